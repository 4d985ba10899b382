//! The Outbound Campaigns v2 writer: the instance's onboarding (asynchronous: the writer waits up to the
//! run's wait), its Q in Connect and Customer Profiles integrations, its communication limits, and
//! campaigns — created unstarted, sent exactly as translated — read, created and removed through
//! aws-sdk-connectcampaignsv2.

use aws_sdk_connectcampaignsv2::Client;
use aws_sdk_connectcampaignsv2::error::ProvideErrorMetadata;
use aws_sdk_connectcampaignsv2::types as t;
use pinshift_core::blueprint::graph::TargetResource;
use pinshift_core::migration::plan::{Created, Found, Observed};
use pinshift_core::target::TargetKind;
use pinshift_core::{Error, Result};
use serde_json::{Map, Value, json};

use super::wire::{ExactBody, Response, only, tag_map};
use super::{Ctx, s};

pub fn supports(kind: TargetKind) -> bool {
    matches!(
        kind,
        TargetKind::CampaignsOnboarding
            | TargetKind::CampaignsIntegration
            | TargetKind::CampaignsCommunicationLimits
            | TargetKind::Campaign
    )
}

fn not_found<E: ProvideErrorMetadata>(error: &aws_sdk_connectcampaignsv2::error::SdkError<E>) -> bool {
    error.code() == Some("ResourceNotFoundException")
}

fn instance_ids(instance: &str) -> Map<String, Value> {
    Map::from_iter([("connectInstanceId".to_owned(), json!(instance))])
}

/// The campaign members a comparison looks at (the schedule's times are written differently than read).
const CAMPAIGN_SETTINGS: &[&str] = &["type", "connectCampaignFlowArn", "channelSubtypeConfig", "source"];

/// The onboarding's state: `Ok(None)` done, `Ok(Some(state))` still running, `Err` failed.
fn onboarding_state(instance: &str, status: Option<&t::InstanceOnboardingJobStatus>) -> Result<Option<String>> {
    match status.map(|s| s.status()) {
        Some(t::InstanceOnboardingJobStatusCode::Succeeded) | None => Ok(None),
        Some(t::InstanceOnboardingJobStatusCode::Failed) => Err(Error::invalid(
            "campaigns-onboarding",
            format!(
                "Outbound Campaigns onboarding of instance {instance} failed ({}): fix the cause the console names, \
                 then resume the run",
                status.and_then(|s| s.failure_code()).map(|c| c.as_str()).unwrap_or("no failure code")
            ),
        )),
        Some(other) => Ok(Some(other.as_str().to_owned())),
    }
}

async fn onboarding(ctx: &Ctx<'_>, c: &Client, instance: &str) -> Result<Option<Option<String>>> {
    ctx.pace("connect-campaigns", "GetInstanceOnboardingJobStatus").await;
    match c.get_instance_onboarding_job_status().connect_instance_id(instance).send().await {
        Ok(got) => Ok(Some(onboarding_state(instance, got.connect_instance_onboarding_job_status())?)),
        Err(e) if not_found(&e) => Ok(None),
        Err(e) => Err(ctx.error("GetInstanceOnboardingJobStatus", e)),
    }
}

/// The kind of an integration (`qConnect`, `customerProfiles`, `lambda`): its union member.
fn integration_kind(value: &Value) -> Option<&str> {
    value.as_object().and_then(|o| o.keys().next()).map(String::as_str)
}

/// What names an integration for deletion: its kind with the ARN that identifies it.
fn integration_identifier(config: &Value) -> Value {
    let Some(kind) = integration_kind(config) else { return json!({}) };
    let member = match kind {
        "customerProfiles" => "domainArn",
        "qConnect" => "knowledgeBaseArn",
        _ => "functionArn",
    };
    json!({ kind: { member: config[kind][member] } })
}

pub async fn observe(ctx: &Ctx<'_>, c: &Client, resource: &TargetResource, request: &Value) -> Result<Observed> {
    let instance = s(request, "connectInstanceId").unwrap_or_default();
    match resource.kind {
        TargetKind::CampaignsOnboarding => Ok(match onboarding(ctx, c, &instance).await? {
            Some(pending) => {
                Observed::Present(Found { identifiers: instance_ids(&instance), pending, ..Found::default() })
            }
            None => Observed::Absent,
        }),
        TargetKind::CampaignsIntegration => {
            ctx.pace("connect-campaigns", "ListConnectInstanceIntegrations").await;
            let wanted = integration_kind(&request["integrationConfig"]).unwrap_or_default().to_owned();
            let raw = Response::default();
            match c
                .list_connect_instance_integrations()
                .connect_instance_id(&instance)
                .customize()
                .interceptor(raw.clone())
                .send()
                .await
            {
                Ok(_) => {}
                Err(e) if not_found(&e) => return Ok(Observed::Absent),
                Err(e) => return Err(ctx.error("ListConnectInstanceIntegrations", e)),
            }
            let body = raw.json();
            let found = body["integrationSummaryList"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|summary| integration_kind(summary) == Some(wanted.as_str()));
            Ok(match found {
                Some(summary) => Observed::Present(Found {
                    identifiers: instance_ids(&instance),
                    settings: json!({ "integrationConfig": summary }),
                    ..Found::default()
                }),
                None => Observed::Absent,
            })
        }
        TargetKind::CampaignsCommunicationLimits => {
            ctx.pace("connect-campaigns", "GetInstanceCommunicationLimits").await;
            let raw = Response::default();
            match c
                .get_instance_communication_limits()
                .connect_instance_id(&instance)
                .customize()
                .interceptor(raw.clone())
                .send()
                .await
            {
                Ok(_) => {}
                Err(e) if not_found(&e) => return Ok(Observed::Absent),
                Err(e) => return Err(ctx.error("GetInstanceCommunicationLimits", e)),
            }
            let config = raw.json()["communicationLimitsConfig"].clone();
            let set = config["allChannelSubtypes"]["communicationLimitsList"].as_array().is_some_and(|l| !l.is_empty());
            // A setting: absent until some limit is set.
            Ok(if set {
                Observed::Present(Found {
                    identifiers: instance_ids(&instance),
                    settings: json!({ "communicationLimitsConfig": config }),
                    ..Found::default()
                })
            } else {
                Observed::Absent
            })
        }
        TargetKind::Campaign => {
            ctx.pace("connect-campaigns", "ListCampaigns").await;
            let name = s(request, "name").unwrap_or_default();
            let mut pages = c.list_campaigns().into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| ctx.error("ListCampaigns", e))?;
                let Some(campaign) = page
                    .campaign_summary_list()
                    .iter()
                    .find(|c| c.name() == name && c.connect_instance_id() == instance)
                else {
                    continue;
                };
                ctx.pace("connect-campaigns", "DescribeCampaign").await;
                let raw = Response::default();
                c.describe_campaign()
                    .id(campaign.id())
                    .customize()
                    .interceptor(raw.clone())
                    .send()
                    .await
                    .map_err(|e| ctx.error("DescribeCampaign", e))?;
                let described = raw.json()["campaign"].clone();
                return Ok(Observed::Present(Found {
                    arn: Some(campaign.arn().to_owned()),
                    identifiers: Map::from_iter([("id".to_owned(), json!(campaign.id()))]),
                    tags: tag_map(&described["tags"]),
                    settings: only(&described, CAMPAIGN_SETTINGS),
                    ..Found::default()
                }));
            }
            Ok(Observed::Absent)
        }
        other => Err(ctx.unsupported("observe", other)),
    }
}

pub async fn create(ctx: &Ctx<'_>, c: &Client, resource: &TargetResource, request: &Value) -> Result<Created> {
    ctx.pace("connect-campaigns", resource.kind.operation()).await;
    let instance = s(request, "connectInstanceId").unwrap_or_default();
    let in_path = &["connectInstanceId"];
    match resource.kind {
        TargetKind::CampaignsOnboarding => {
            let got = c
                .start_instance_onboarding_job()
                .connect_instance_id(&instance)
                .customize()
                .interceptor(ExactBody::of(request, in_path, None))
                .send()
                .await
                .map_err(|e| ctx.error("StartInstanceOnboardingJob", e))?;
            let first = onboarding_state(&instance, got.connect_instance_onboarding_job_status())?;
            let read = || async { Ok(onboarding(ctx, c, &instance).await?.flatten()) };
            let pending = super::until_ready(ctx, first, read).await?;
            Ok(Created { identifiers: instance_ids(&instance), pending, ..Created::default() })
        }
        TargetKind::CampaignsIntegration => {
            c.put_connect_instance_integration()
                .connect_instance_id(&instance)
                .customize()
                .interceptor(ExactBody::of(request, in_path, None))
                .send()
                .await
                .map_err(|e| ctx.error("PutConnectInstanceIntegration", e))?;
            Ok(Created { identifiers: instance_ids(&instance), ..Created::default() })
        }
        TargetKind::CampaignsCommunicationLimits => {
            c.put_instance_communication_limits()
                .connect_instance_id(&instance)
                .customize()
                .interceptor(ExactBody::of(request, in_path, None))
                .send()
                .await
                .map_err(|e| ctx.error("PutInstanceCommunicationLimits", e))?;
            Ok(Created { identifiers: instance_ids(&instance), ..Created::default() })
        }
        TargetKind::Campaign => {
            // Created in its initial state: nothing is sent until a person starts it.
            let got = c
                .create_campaign()
                .customize()
                .interceptor(ExactBody::of(request, &[], None))
                .send()
                .await
                .map_err(|e| ctx.error("CreateCampaign", e))?;
            Ok(Created {
                arn: got.arn().map(str::to_owned),
                identifiers: got.id().map(|id| Map::from_iter([("id".to_owned(), json!(id))])).unwrap_or_default(),
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
    let instance = s(request, "connectInstanceId").unwrap_or_default();
    match resource.kind {
        TargetKind::CampaignsOnboarding => {
            ctx.pace("connect-campaigns", "DeleteConnectInstanceConfig").await;
            c.delete_connect_instance_config()
                .connect_instance_id(&instance)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeleteConnectInstanceConfig", e))
        }
        TargetKind::CampaignsIntegration => {
            ctx.pace("connect-campaigns", "DeleteConnectInstanceIntegration").await;
            let body = json!({ "integrationIdentifier": integration_identifier(&request["integrationConfig"]) });
            c.delete_connect_instance_integration()
                .connect_instance_id(&instance)
                .customize()
                .interceptor(ExactBody::of(&body, &[], None))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeleteConnectInstanceIntegration", e))
        }
        TargetKind::CampaignsCommunicationLimits => {
            // Limits are a setting: undoing them sets none.
            ctx.pace("connect-campaigns", "PutInstanceCommunicationLimits").await;
            let body =
                json!({ "communicationLimitsConfig": { "allChannelSubtypes": { "communicationLimitsList": [] } } });
            c.put_instance_communication_limits()
                .connect_instance_id(&instance)
                .customize()
                .interceptor(ExactBody::of(&body, &[], None))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("PutInstanceCommunicationLimits", e))
        }
        TargetKind::Campaign => {
            ctx.pace("connect-campaigns", "DeleteCampaign").await;
            let id = found.identifiers.get("id").and_then(Value::as_str).map(str::to_owned);
            c.delete_campaign().set_id(id).send().await.map(|_| ()).map_err(|e| ctx.error("DeleteCampaign", e))
        }
        other => Err(ctx.unsupported("delete", other)),
    }
}
