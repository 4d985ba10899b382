//! The Amazon Connect writer: instances (created asynchronously: the writer waits for ACTIVE up to the
//! run's wait and otherwise leaves the instance pending for a resume), the instance's integration with its
//! message-template knowledge base, CAMPAIGN flows saved as drafts, the End User Messaging numbers
//! imported into the instance and the email addresses it sends from — read, created and removed through
//! aws-sdk-connect.

use aws_sdk_connect::Client;
use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types as t;
use pinshift_core::blueprint::graph::TargetResource;
use pinshift_core::migration::plan::{Created, Found, Observed};
use pinshift_core::target::TargetKind;
use pinshift_core::{Error, Result};
use serde_json::{Map, Value, json};

use super::wire::{Response, tags};
use super::{Ctx, b, enum_of, s};

pub fn supports(kind: TargetKind) -> bool {
    matches!(
        kind,
        TargetKind::ConnectInstance
            | TargetKind::ConnectIntegration
            | TargetKind::CampaignFlow
            | TargetKind::ConnectPhoneNumber
            | TargetKind::ConnectEmailAddress
    )
}

fn not_found<E: ProvideErrorMetadata>(error: &aws_sdk_connect::error::SdkError<E>) -> bool {
    error.code() == Some("ResourceNotFoundException")
}

fn ids(pairs: &[(&str, Option<&str>)]) -> Map<String, Value> {
    pairs.iter().filter_map(|(k, v)| v.map(|v| ((*k).to_owned(), json!(v)))).collect()
}

/// What an instance's status means for the run: ready, still coming up, or failed (a person's turn).
fn instance_state(alias: &str, status: Option<&t::InstanceStatus>) -> Result<Option<String>> {
    match status {
        Some(t::InstanceStatus::Active) | None => Ok(None),
        Some(t::InstanceStatus::CreationFailed) => Err(Error::invalid(
            "connect-instance",
            format!(
                "Connect instance {alias} failed to be created (CREATION_FAILED): delete it in the Connect console, \
                 then resume the run"
            ),
        )),
        Some(other) => Ok(Some(other.as_str().to_owned())),
    }
}

async fn instance(ctx: &Ctx<'_>, c: &Client, alias: &str) -> Result<Option<t::InstanceSummary>> {
    let mut pages = c.list_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ctx.error("ListInstances", e))?;
        if let Some(found) = page.instance_summary_list().iter().find(|i| i.instance_alias() == Some(alias)) {
            return Ok(Some(found.clone()));
        }
    }
    Ok(None)
}

/// The instance's state now (`None` once ACTIVE).
async fn instance_now(ctx: &Ctx<'_>, c: &Client, alias: &str, id: &str) -> Result<Option<String>> {
    ctx.pace("connect", "DescribeInstance").await;
    let got = c.describe_instance().instance_id(id).send().await.map_err(|e| ctx.error("DescribeInstance", e))?;
    instance_state(alias, got.instance().and_then(|i| i.instance_status()))
}

pub async fn observe(ctx: &Ctx<'_>, c: &Client, resource: &TargetResource, request: &Value) -> Result<Observed> {
    match resource.kind {
        TargetKind::ConnectInstance => {
            ctx.pace("connect", "ListInstances").await;
            let alias = s(request, "InstanceAlias").unwrap_or_default();
            let Some(found) = instance(ctx, c, &alias).await? else { return Ok(Observed::Absent) };
            let pending = instance_state(&alias, found.instance_status())?;
            Ok(Observed::Present(Found {
                arn: found.arn().map(str::to_owned),
                identifiers: ids(&[("InstanceId", found.id())]),
                settings: json!({
                    "IdentityManagementType": found.identity_management_type().map(|t| t.as_str()),
                    "InboundCallsEnabled": found.inbound_calls_enabled(),
                    "OutboundCallsEnabled": found.outbound_calls_enabled(),
                }),
                pending,
                ..Found::default()
            }))
        }
        TargetKind::ConnectIntegration => {
            ctx.pace("connect", "ListIntegrationAssociations").await;
            let instance = s(request, "InstanceId").unwrap_or_default();
            let integration = s(request, "IntegrationArn");
            let kind: t::IntegrationType = enum_of(&s(request, "IntegrationType").unwrap_or_default());
            let mut pages =
                c.list_integration_associations().instance_id(&instance).integration_type(kind).into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = match page {
                    Ok(page) => page,
                    Err(e) if not_found(&e) => return Ok(Observed::Absent),
                    Err(e) => return Err(ctx.error("ListIntegrationAssociations", e)),
                };
                let list = page.integration_association_summary_list();
                if let Some(a) = list.iter().find(|a| a.integration_arn() == integration.as_deref()) {
                    return Ok(Observed::Present(Found {
                        arn: a.integration_association_arn().map(str::to_owned),
                        identifiers: ids(&[("IntegrationAssociationId", a.integration_association_id())]),
                        ..Found::default()
                    }));
                }
            }
            Ok(Observed::Absent)
        }
        TargetKind::CampaignFlow => {
            ctx.pace("connect", "ListContactFlows").await;
            let instance = s(request, "InstanceId").unwrap_or_default();
            let name = s(request, "Name").unwrap_or_default();
            let kind: t::ContactFlowType = enum_of(&s(request, "Type").unwrap_or_else(|| "CAMPAIGN".into()));
            let mut pages =
                c.list_contact_flows().instance_id(&instance).contact_flow_types(kind).into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = match page {
                    Ok(page) => page,
                    Err(e) if not_found(&e) => return Ok(Observed::Absent),
                    Err(e) => return Err(ctx.error("ListContactFlows", e)),
                };
                let Some(flow) = page.contact_flow_summary_list().iter().find(|f| f.name() == Some(name.as_str()))
                else {
                    continue;
                };
                ctx.pace("connect", "DescribeContactFlow").await;
                let raw = Response::default();
                c.describe_contact_flow()
                    .instance_id(&instance)
                    .set_contact_flow_id(flow.id().map(str::to_owned))
                    .customize()
                    .interceptor(raw.clone())
                    .send()
                    .await
                    .map_err(|e| ctx.error("DescribeContactFlow", e))?;
                let described = raw.json()["ContactFlow"].clone();
                return Ok(Observed::Present(Found {
                    arn: flow.arn().map(str::to_owned),
                    identifiers: ids(&[("ContactFlowId", flow.id())]),
                    tags: super::wire::tag_map(&described["Tags"]),
                    settings: json!({ "Type": described["Type"], "Content": described["Content"] }),
                    ..Found::default()
                }));
            }
            Ok(Observed::Absent)
        }
        TargetKind::ConnectPhoneNumber => {
            ctx.pace("connect", "ListPhoneNumbersV2").await;
            let instance = s(request, "InstanceId").unwrap_or_default();
            let mut pages = c.list_phone_numbers_v2().instance_id(&instance).into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| ctx.error("ListPhoneNumbersV2", e))?;
                let list = page.list_phone_numbers_summary_list();
                if let Some(number) = list.iter().find(|n| n.phone_number() == Some(resource.name.as_str())) {
                    return Ok(Observed::Present(Found {
                        arn: number.phone_number_arn().map(str::to_owned),
                        identifiers: ids(&[("PhoneNumberId", number.phone_number_id())]),
                        settings: json!({ "SourcePhoneNumberArn": number.source_phone_number_arn() }),
                        ..Found::default()
                    }));
                }
            }
            Ok(Observed::Absent)
        }
        TargetKind::ConnectEmailAddress => {
            ctx.pace("connect", "SearchEmailAddresses").await;
            let address = s(request, "EmailAddress").unwrap_or_default();
            let criteria = t::EmailAddressSearchCriteria::builder()
                .string_condition(
                    t::StringCondition::builder()
                        .field_name("email_address")
                        .value(&address)
                        .comparison_type(t::StringComparisonType::Exact)
                        .build(),
                )
                .build();
            let got = match c
                .search_email_addresses()
                .set_instance_id(s(request, "InstanceId"))
                .search_criteria(criteria)
                .send()
                .await
            {
                Ok(got) => got,
                Err(e) if not_found(&e) => return Ok(Observed::Absent),
                Err(e) => return Err(ctx.error("SearchEmailAddresses", e)),
            };
            Ok(match got.email_addresses().iter().find(|a| a.email_address() == Some(address.as_str())) {
                Some(found) => Observed::Present(Found {
                    arn: found.email_address_arn().map(str::to_owned),
                    identifiers: ids(&[("EmailAddressId", found.email_address_id())]),
                    ..Found::default()
                }),
                None => Observed::Absent,
            })
        }
        other => Err(ctx.unsupported("observe", other)),
    }
}

pub async fn create(
    ctx: &Ctx<'_>,
    c: &Client,
    resource: &TargetResource,
    request: &Value,
    token: &str,
) -> Result<Created> {
    ctx.pace("connect", resource.kind.operation()).await;
    match resource.kind {
        TargetKind::ConnectInstance => {
            let alias = s(request, "InstanceAlias").unwrap_or_default();
            let got = c
                .create_instance()
                .identity_management_type(enum_of(
                    &s(request, "IdentityManagementType").unwrap_or_else(|| "CONNECT_MANAGED".into()),
                ))
                .instance_alias(&alias)
                .inbound_calls_enabled(b(request, "InboundCallsEnabled").unwrap_or(false))
                .outbound_calls_enabled(b(request, "OutboundCallsEnabled").unwrap_or(false))
                .set_tags(tags(request))
                .client_token(token)
                .send()
                .await
                .map_err(|e| ctx.error("CreateInstance", e))?;
            let id = got.id().unwrap_or_default().to_owned();
            let first = super::started(instance_now(ctx, c, &alias, &id).await)?;
            let pending = super::until_ready(ctx, first, || instance_now(ctx, c, &alias, &id)).await?;
            Ok(Created {
                arn: got.arn().map(str::to_owned),
                identifiers: ids(&[("InstanceId", Some(id.as_str()))]),
                pending,
                ..Created::default()
            })
        }
        TargetKind::ConnectIntegration => {
            let got = c
                .create_integration_association()
                .set_instance_id(s(request, "InstanceId"))
                .integration_type(enum_of(&s(request, "IntegrationType").unwrap_or_default()))
                .set_integration_arn(s(request, "IntegrationArn"))
                .set_tags(tags(request))
                .send()
                .await
                .map_err(|e| ctx.error("CreateIntegrationAssociation", e))?;
            Ok(Created {
                arn: got.integration_association_arn().map(str::to_owned),
                identifiers: ids(&[("IntegrationAssociationId", got.integration_association_id())]),
                ..Created::default()
            })
        }
        TargetKind::CampaignFlow => {
            let got = c
                .create_contact_flow()
                .set_instance_id(s(request, "InstanceId"))
                .set_name(s(request, "Name"))
                .r#type(enum_of(&s(request, "Type").unwrap_or_else(|| "CAMPAIGN".into())))
                .set_description(s(request, "Description"))
                .set_content(s(request, "Content"))
                // A draft: saved, not published, so nothing runs until a person reviews it.
                .status(enum_of(&s(request, "Status").unwrap_or_else(|| "SAVED".into())))
                .set_tags(tags(request))
                .send()
                .await
                .map_err(|e| ctx.error("CreateContactFlow", e))?;
            Ok(Created {
                arn: got.contact_flow_arn().map(str::to_owned),
                identifiers: ids(&[("ContactFlowId", got.contact_flow_id())]),
                ..Created::default()
            })
        }
        TargetKind::ConnectPhoneNumber => {
            let got = c
                .import_phone_number()
                .set_instance_id(s(request, "InstanceId"))
                .set_source_phone_number_arn(s(request, "SourcePhoneNumberArn"))
                .set_tags(tags(request))
                .client_token(token)
                .send()
                .await
                .map_err(|e| ctx.error("ImportPhoneNumber", e))?;
            Ok(Created {
                arn: got.phone_number_arn().map(str::to_owned),
                identifiers: ids(&[("PhoneNumberId", got.phone_number_id())]),
                ..Created::default()
            })
        }
        TargetKind::ConnectEmailAddress => {
            let got = c
                .create_email_address()
                .set_instance_id(s(request, "InstanceId"))
                .set_email_address(s(request, "EmailAddress"))
                .set_display_name(s(request, "DisplayName"))
                .set_description(s(request, "Description"))
                .set_tags(tags(request))
                .client_token(token)
                .send()
                .await
                .map_err(|e| ctx.error("CreateEmailAddress", e))?;
            Ok(Created {
                arn: got.email_address_arn().map(str::to_owned),
                identifiers: ids(&[("EmailAddressId", got.email_address_id())]),
                ..Created::default()
            })
        }
        other => Err(ctx.unsupported("create", other)),
    }
}

pub async fn delete(
    ctx: &Ctx<'_>,
    c: &Client,
    resource: &TargetResource,
    request: &Value,
    found: &Found,
) -> Result<()> {
    let id = |member: &str| found.identifiers.get(member).and_then(Value::as_str).map(str::to_owned);
    match resource.kind {
        TargetKind::ConnectInstance => {
            ctx.pace("connect", "DeleteInstance").await;
            c.delete_instance()
                .set_instance_id(id("InstanceId"))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeleteInstance", e))
        }
        TargetKind::ConnectIntegration => {
            ctx.pace("connect", "DeleteIntegrationAssociation").await;
            c.delete_integration_association()
                .set_instance_id(s(request, "InstanceId"))
                .set_integration_association_id(id("IntegrationAssociationId"))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeleteIntegrationAssociation", e))
        }
        TargetKind::CampaignFlow => {
            ctx.pace("connect", "DeleteContactFlow").await;
            c.delete_contact_flow()
                .set_instance_id(s(request, "InstanceId"))
                .set_contact_flow_id(id("ContactFlowId"))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeleteContactFlow", e))
        }
        TargetKind::ConnectPhoneNumber => {
            ctx.pace("connect", "ReleasePhoneNumber").await;
            c.release_phone_number()
                .set_phone_number_id(id("PhoneNumberId"))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("ReleasePhoneNumber", e))
        }
        TargetKind::ConnectEmailAddress => {
            ctx.pace("connect", "DeleteEmailAddress").await;
            c.delete_email_address()
                .set_instance_id(s(request, "InstanceId"))
                .set_email_address_id(id("EmailAddressId"))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeleteEmailAddress", e))
        }
        other => Err(ctx.unsupported("delete", other)),
    }
}
