//! The SES v2 writer: identities, configuration sets and their event destinations, tenants with their
//! associations, reputation policy and suppression settings, email templates, and tags — each read
//! (observed), created and removed through aws-sdk-sesv2.

use std::collections::BTreeMap;

use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::error::ProvideErrorMetadata;
use aws_sdk_sesv2::types as t;
use pinshift_core::Result;
use pinshift_core::blueprint::graph::TargetResource;
use pinshift_core::migration::plan::{Created, DnsRecord, Found, Observed, Readiness};
use pinshift_core::migration::verify::Rendering;
use pinshift_core::target::{TargetKind, TargetService};
use serde_json::{Map, Value, json};

use super::{Ctx, b, enum_of, s, strings};

/// Whether the writer handles `kind`.
pub fn supports(kind: TargetKind) -> bool {
    matches!(
        kind,
        TargetKind::SesIdentity
            | TargetKind::SesConfigurationSet
            | TargetKind::SesEventDestination
            | TargetKind::SesTenant
            | TargetKind::SesTenantAssociation
            | TargetKind::SesReputationPolicy
            | TargetKind::SesSuppressionSettings
            | TargetKind::SesEmailTemplate
    )
}

fn not_found<E: ProvideErrorMetadata>(error: &aws_sdk_sesv2::error::SdkError<E>) -> bool {
    error.code() == Some("NotFoundException")
}

fn tags(request: &Value) -> Vec<t::Tag> {
    request["Tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|tag| t::Tag::builder().key(s(tag, "Key")?).value(s(tag, "Value")?).build().ok())
        .collect()
}

fn tag_map(tags: &[t::Tag]) -> BTreeMap<String, String> {
    tags.iter().map(|t| (t.key().to_owned(), t.value().to_owned())).collect()
}

fn arn(ctx: &Ctx<'_>, resource: &TargetResource, kind: &str, name: &str) -> String {
    format!("arn:aws:ses:{}:{}:{kind}/{name}", resource.region, ctx.account_id)
}

/// What a new identity still waits for and the DNS records that end the wait: Easy DKIM's three CNAMEs
/// and, with a custom MAIL FROM domain, its MX and SPF records. Nothing once SES verified it for sending.
fn verification(
    name: &str,
    region: &str,
    verified: bool,
    dkim: Option<&t::DkimAttributes>,
    mail_from: Option<&t::MailFromAttributes>,
) -> (Option<String>, Vec<DnsRecord>) {
    if verified {
        return (None, Vec::new());
    }
    if name.contains('@') {
        return (Some(format!("{name} to be verified: open the link in the email SES sent to it")), Vec::new());
    }
    let record =
        |name: String, record_type: &str, value: String| DnsRecord { name, record_type: record_type.to_owned(), value };
    let zone = dkim.and_then(|d| d.signing_hosted_zone()).unwrap_or("dkim.amazonses.com");
    let mut records: Vec<DnsRecord> = dkim
        .map(|d| d.tokens())
        .unwrap_or_default()
        .iter()
        .map(|token| record(format!("{token}._domainkey.{name}"), "CNAME", format!("{token}.{zone}")))
        .collect();
    if let Some(m) = mail_from.filter(|m| *m.mail_from_domain_status() != t::MailFromDomainStatus::Success) {
        let domain = m.mail_from_domain();
        records.push(record(domain.to_owned(), "MX", format!("10 feedback-smtp.{region}.amazonses.com")));
        records.push(record(domain.to_owned(), "TXT", "\"v=spf1 include:amazonses.com ~all\"".to_owned()));
    }
    let status = dkim.and_then(|d| d.status()).map_or("PENDING", |s| s.as_str());
    let what = match status {
        "FAILED" => format!(
            "DNS verification of {name}: SES stopped looking (DKIM FAILED); publish the records, then restart \
             the verification in the SES console"
        ),
        _ if records.is_empty() => format!("DNS verification of {name} (DKIM {status}): publish the domain's DKIM key"),
        _ => format!("DNS verification of {name} (DKIM {status}): publish the records below"),
    };
    (Some(what), records)
}

fn present(arn: String, settings: Value) -> Observed {
    Observed::Present(Found { arn: Some(arn), settings, ..Found::default() })
}

/// The call that reads a kind (paced under its rate before it is made).
fn read_operation(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::SesIdentity => "GetEmailIdentity",
        TargetKind::SesConfigurationSet => "GetConfigurationSet",
        TargetKind::SesEventDestination => "GetConfigurationSetEventDestinations",
        TargetKind::SesTenant | TargetKind::SesSuppressionSettings => "GetTenant",
        TargetKind::SesTenantAssociation => "ListTenantResources",
        TargetKind::SesReputationPolicy => "GetReputationEntity",
        TargetKind::SesEmailTemplate => "GetEmailTemplate",
        _ => "",
    }
}

/// The call that removes a kind.
fn delete_operation(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::SesIdentity => "DeleteEmailIdentity",
        TargetKind::SesConfigurationSet => "DeleteConfigurationSet",
        TargetKind::SesEventDestination => "DeleteConfigurationSetEventDestination",
        TargetKind::SesTenant => "DeleteTenant",
        TargetKind::SesTenantAssociation => "DeleteTenantResourceAssociation",
        TargetKind::SesEmailTemplate => "DeleteEmailTemplate",
        _ => "",
    }
}

pub async fn observe(ctx: &Ctx<'_>, ses: &Client, resource: &TargetResource, request: &Value) -> Result<Observed> {
    let op = resource.kind.operation();
    ctx.pace("ses", read_operation(resource.kind)).await;
    match resource.kind {
        TargetKind::SesIdentity => {
            let name = s(request, "EmailIdentity").unwrap_or_default();
            match ses.get_email_identity().email_identity(&name).send().await {
                Ok(got) => {
                    let (pending, records) = verification(
                        &name,
                        &resource.region,
                        got.verified_for_sending_status(),
                        got.dkim_attributes(),
                        got.mail_from_attributes(),
                    );
                    Ok(Observed::Present(Found {
                        arn: Some(arn(ctx, resource, "identity", &name)),
                        tags: tag_map(got.tags()),
                        settings: json!({}),
                        pending,
                        records,
                        ..Found::default()
                    }))
                }
                Err(e) if not_found(&e) => Ok(Observed::Absent),
                Err(e) => Err(ctx.error("GetEmailIdentity", e)),
            }
        }
        TargetKind::SesConfigurationSet => {
            let name = s(request, "ConfigurationSetName").unwrap_or_default();
            match ses.get_configuration_set().configuration_set_name(&name).send().await {
                Ok(got) => {
                    let mut settings = Map::new();
                    if let Some(r) = got.reputation_options() {
                        settings.insert(
                            "ReputationOptions".into(),
                            json!({ "ReputationMetricsEnabled": r.reputation_metrics_enabled() }),
                        );
                    }
                    if let Some(o) = got.sending_options() {
                        settings.insert("SendingOptions".into(), json!({ "SendingEnabled": o.sending_enabled() }));
                    }
                    let found = Found {
                        arn: Some(arn(ctx, resource, "configuration-set", &name)),
                        tags: tag_map(got.tags()),
                        settings: Value::Object(settings),
                        ..Found::default()
                    };
                    Ok(Observed::Present(found))
                }
                Err(e) if not_found(&e) => Ok(Observed::Absent),
                Err(e) => Err(ctx.error("GetConfigurationSet", e)),
            }
        }
        TargetKind::SesEventDestination => {
            let set = s(request, "ConfigurationSetName").unwrap_or_default();
            let name = s(request, "EventDestinationName").unwrap_or_default();
            match ses.get_configuration_set_event_destinations().configuration_set_name(&set).send().await {
                Ok(got) => Ok(match got.event_destinations().iter().find(|d| d.name() == name) {
                    Some(d) => {
                        let types: Vec<&str> = d.matching_event_types().iter().map(|t| t.as_str()).collect();
                        let settings =
                            json!({ "EventDestination": { "Enabled": d.enabled(), "MatchingEventTypes": types } });
                        present(format!("{}/{name}", arn(ctx, resource, "configuration-set", &set)), settings)
                    }
                    None => Observed::Absent,
                }),
                Err(e) if not_found(&e) => Ok(Observed::Absent),
                Err(e) => Err(ctx.error("GetConfigurationSetEventDestinations", e)),
            }
        }
        TargetKind::SesTenant => {
            let name = s(request, "TenantName").unwrap_or_default();
            match ses.get_tenant().tenant_name(&name).send().await {
                Ok(got) => {
                    let tenant = got.tenant();
                    let mut identifiers = Map::new();
                    if let Some(id) = tenant.and_then(|t| t.tenant_id()) {
                        identifiers.insert("TenantId".into(), json!(id));
                    }
                    identifiers.insert("TenantName".into(), json!(name));
                    Ok(Observed::Present(Found {
                        arn: tenant.and_then(|t| t.tenant_arn()).map(str::to_owned),
                        identifiers,
                        tags: tag_map(tenant.map(|t| t.tags()).unwrap_or_default()),
                        ..Found::default()
                    }))
                }
                Err(e) if not_found(&e) => Ok(Observed::Absent),
                Err(e) => Err(ctx.error("GetTenant", e)),
            }
        }
        TargetKind::SesTenantAssociation => {
            let tenant = s(request, "TenantName").unwrap_or_default();
            let wanted = s(request, "ResourceArn").unwrap_or_default();
            let mut pages = ses.list_tenant_resources().tenant_name(&tenant).into_paginator().send();
            while let Some(page) = pages.next().await {
                match page {
                    Ok(page) => {
                        if page.tenant_resources().iter().any(|r| r.resource_arn() == Some(wanted.as_str())) {
                            return Ok(present(wanted.clone(), json!({})));
                        }
                    }
                    Err(e) if not_found(&e) => return Ok(Observed::Absent),
                    Err(e) => return Err(ctx.error("ListTenantResources", e)),
                }
            }
            Ok(Observed::Absent)
        }
        // Settings: "absent" until the target holds what the request sets.
        TargetKind::SesReputationPolicy => {
            let reference = s(request, "ReputationEntityReference").unwrap_or_default();
            let wanted = s(request, "ReputationEntityPolicy").unwrap_or_default();
            let got = ses
                .get_reputation_entity()
                .reputation_entity_type(t::ReputationEntityType::Resource)
                .reputation_entity_reference(&reference)
                .send()
                .await
                .map_err(|e| ctx.error("GetReputationEntity", e))?;
            let policy = got.reputation_entity().and_then(|e| e.reputation_management_policy()).unwrap_or_default();
            Ok(if policy == wanted {
                present(reference, json!({ "ReputationEntityPolicy": policy }))
            } else {
                Observed::Absent
            })
        }
        TargetKind::SesSuppressionSettings => {
            let name = s(request, "TenantName").unwrap_or_default();
            let got = ses.get_tenant().tenant_name(&name).send().await.map_err(|e| ctx.error("GetTenant", e))?;
            let attributes = got.tenant().and_then(|t| t.suppression_attributes());
            let scope = attributes.and_then(|a| a.suppression_scope()).map(|s| s.as_str().to_owned());
            let reasons: Vec<String> = attributes
                .map(|a| a.suppressed_reasons().iter().map(|r| r.as_str().to_owned()).collect())
                .unwrap_or_default();
            let mut wanted_reasons = strings(&request["SuppressedReasons"]);
            wanted_reasons.sort();
            let mut have = reasons.clone();
            have.sort();
            let matches = scope.as_deref() == s(request, "SuppressionScope").as_deref() && have == wanted_reasons;
            let tenant_arn = got.tenant().and_then(|t| t.tenant_arn()).unwrap_or_default().to_owned();
            Ok(if matches {
                present(tenant_arn, json!({ "SuppressionScope": scope, "SuppressedReasons": reasons }))
            } else {
                Observed::Absent
            })
        }
        TargetKind::SesEmailTemplate => {
            let name = s(request, "TemplateName").unwrap_or_default();
            match ses.get_email_template().template_name(&name).send().await {
                Ok(got) => {
                    let content = got.template_content();
                    let settings = json!({ "TemplateContent": {
                        "Subject": content.and_then(|c| c.subject()),
                        "Text": content.and_then(|c| c.text()),
                        "Html": content.and_then(|c| c.html()),
                    }});
                    Ok(present(arn(ctx, resource, "template", &name), settings))
                }
                Err(e) if not_found(&e) => Ok(Observed::Absent),
                Err(e) => Err(ctx.error("GetEmailTemplate", e)),
            }
        }
        other => Err(ctx.unsupported(op, other)),
    }
}

pub async fn create(ctx: &Ctx<'_>, ses: &Client, resource: &TargetResource, request: &Value) -> Result<Created> {
    let op = resource.kind.operation();
    ctx.pace("ses", op).await;
    let done = |arn: String| Created { arn: Some(arn), ..Created::default() };
    match resource.kind {
        TargetKind::SesIdentity => {
            let name = s(request, "EmailIdentity").unwrap_or_default();
            let made = ses
                .create_email_identity()
                .email_identity(&name)
                .set_tags(Some(tags(request)))
                .set_configuration_set_name(s(request, "ConfigurationSetName"))
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            let (pending, records) =
                verification(&name, &resource.region, made.verified_for_sending_status(), made.dkim_attributes(), None);
            Ok(Created { pending, records, ..done(arn(ctx, resource, "identity", &name)) })
        }
        TargetKind::SesConfigurationSet => {
            let name = s(request, "ConfigurationSetName").unwrap_or_default();
            let reputation = b(&request["ReputationOptions"], "ReputationMetricsEnabled");
            let sending = b(&request["SendingOptions"], "SendingEnabled");
            ses.create_configuration_set()
                .configuration_set_name(&name)
                .set_tags(Some(tags(request)))
                .set_reputation_options(
                    reputation.map(|r| t::ReputationOptions::builder().reputation_metrics_enabled(r).build()),
                )
                .set_sending_options(sending.map(|e| t::SendingOptions::builder().sending_enabled(e).build()))
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(done(arn(ctx, resource, "configuration-set", &name)))
        }
        TargetKind::SesEventDestination => {
            let set = s(request, "ConfigurationSetName").unwrap_or_default();
            let name = s(request, "EventDestinationName").unwrap_or_default();
            let d = &request["EventDestination"];
            let mut destination = t::EventDestinationDefinition::builder()
                .set_enabled(b(d, "Enabled"))
                .set_matching_event_types(Some(strings(&d["MatchingEventTypes"]).iter().map(|e| enum_of(e)).collect()));
            if let Some(bus) = s(&d["EventBridgeDestination"], "EventBusArn") {
                destination = destination.event_bridge_destination(
                    t::EventBridgeDestination::builder().event_bus_arn(bus).build().map_err(|e| ctx.build(op, e))?,
                );
            }
            if let Some(topic) = s(&d["SnsDestination"], "TopicArn") {
                destination = destination.sns_destination(
                    t::SnsDestination::builder().topic_arn(topic).build().map_err(|e| ctx.build(op, e))?,
                );
            }
            let firehose = &d["KinesisFirehoseDestination"];
            if let (Some(stream), Some(role)) = (s(firehose, "DeliveryStreamArn"), s(firehose, "IamRoleArn")) {
                destination = destination.kinesis_firehose_destination(
                    t::KinesisFirehoseDestination::builder()
                        .delivery_stream_arn(stream)
                        .iam_role_arn(role)
                        .build()
                        .map_err(|e| ctx.build(op, e))?,
                );
            }
            ses.create_configuration_set_event_destination()
                .configuration_set_name(&set)
                .event_destination_name(&name)
                .event_destination(destination.build())
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(done(format!("{}/{name}", arn(ctx, resource, "configuration-set", &set))))
        }
        TargetKind::SesTenant => {
            let name = s(request, "TenantName").unwrap_or_default();
            let created = ses
                .create_tenant()
                .tenant_name(&name)
                .set_tags(Some(tags(request)))
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            let mut identifiers = Map::new();
            if let Some(id) = created.tenant_id() {
                identifiers.insert("TenantId".into(), json!(id));
            }
            identifiers.insert("TenantName".into(), json!(name));
            Ok(Created { arn: created.tenant_arn().map(str::to_owned), identifiers, ..Created::default() })
        }
        TargetKind::SesTenantAssociation => {
            let arn = s(request, "ResourceArn").unwrap_or_default();
            ses.create_tenant_resource_association()
                .set_tenant_name(s(request, "TenantName"))
                .resource_arn(&arn)
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(done(arn))
        }
        TargetKind::SesReputationPolicy => {
            let reference = s(request, "ReputationEntityReference").unwrap_or_default();
            ses.update_reputation_entity_policy()
                .reputation_entity_type(t::ReputationEntityType::Resource)
                .reputation_entity_reference(&reference)
                .set_reputation_entity_policy(s(request, "ReputationEntityPolicy"))
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(done(reference))
        }
        TargetKind::SesSuppressionSettings => {
            let name = s(request, "TenantName").unwrap_or_default();
            ses.put_tenant_suppression_attributes()
                .tenant_name(&name)
                .set_suppression_scope(s(request, "SuppressionScope").map(|v| enum_of(&v)))
                .set_suppressed_reasons(Some(
                    strings(&request["SuppressedReasons"]).iter().map(|r| enum_of(r)).collect(),
                ))
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(done(arn(ctx, resource, "tenant", &name)))
        }
        TargetKind::SesEmailTemplate => {
            let name = s(request, "TemplateName").unwrap_or_default();
            let content = &request["TemplateContent"];
            ses.create_email_template()
                .template_name(&name)
                .template_content(
                    t::EmailTemplateContent::builder()
                        .set_subject(s(content, "Subject"))
                        .set_text(s(content, "Text"))
                        .set_html(s(content, "Html"))
                        .build(),
                )
                .set_tags(Some(tags(request)))
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(done(arn(ctx, resource, "template", &name)))
        }
        other => Err(ctx.unsupported(op, other)),
    }
}

pub async fn delete(ctx: &Ctx<'_>, ses: &Client, resource: &TargetResource, request: &Value) -> Result<()> {
    ctx.pace("ses", delete_operation(resource.kind)).await;
    match resource.kind {
        TargetKind::SesIdentity => ses
            .delete_email_identity()
            .set_email_identity(s(request, "EmailIdentity"))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ctx.error("DeleteEmailIdentity", e)),
        TargetKind::SesConfigurationSet => ses
            .delete_configuration_set()
            .set_configuration_set_name(s(request, "ConfigurationSetName"))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ctx.error("DeleteConfigurationSet", e)),
        TargetKind::SesEventDestination => ses
            .delete_configuration_set_event_destination()
            .set_configuration_set_name(s(request, "ConfigurationSetName"))
            .set_event_destination_name(s(request, "EventDestinationName"))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ctx.error("DeleteConfigurationSetEventDestination", e)),
        TargetKind::SesTenant => ses
            .delete_tenant()
            .set_tenant_name(s(request, "TenantName"))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ctx.error("DeleteTenant", e)),
        TargetKind::SesTenantAssociation => ses
            .delete_tenant_resource_association()
            .set_tenant_name(s(request, "TenantName"))
            .set_resource_arn(s(request, "ResourceArn"))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ctx.error("DeleteTenantResourceAssociation", e)),
        // A setting goes with the tenant it was set on.
        TargetKind::SesReputationPolicy | TargetKind::SesSuppressionSettings => Ok(()),
        TargetKind::SesEmailTemplate => ses
            .delete_email_template()
            .set_template_name(s(request, "TemplateName"))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ctx.error("DeleteEmailTemplate", e)),
        other => Err(ctx.unsupported("delete", other)),
    }
}

/// An SES email template rendered by SES (`TestRenderEmailTemplate`) with `data` as TemplateData: the
/// MIME message it answers, read back into the parts Pinpoint names (`Subject`, `TextPart`, `HtmlPart`).
/// SES's refusal (a printed value missing from the data) is the rendering's `Err`.
pub async fn render(ctx: &Ctx<'_>, ses: &Client, request: &Value, data: &Value) -> Result<Rendering> {
    ctx.pace("ses", "TestRenderEmailTemplate").await;
    let name = s(request, "TemplateName").unwrap_or_default();
    let got = match ses.test_render_email_template().template_name(&name).template_data(data.to_string()).send().await {
        Ok(got) => got,
        Err(e) if e.code() == Some("BadRequestException") => {
            return Ok(Err(e.message().unwrap_or("SES refused the template data").to_owned()));
        }
        Err(e) => return Err(ctx.error("TestRenderEmailTemplate", e)),
    };
    Ok(Ok(mime_parts(got.rendered_template())
        .map_err(|e| ctx.build("TestRenderEmailTemplate", format!("the rendered message does not parse: {e}")))?))
}

/// A rendered MIME message's subject and text and HTML bodies (decoded), by Pinpoint's part names.
pub fn mime_parts(message: &str) -> std::result::Result<BTreeMap<String, String>, mailparse::MailParseError> {
    use mailparse::MailHeaderMap;
    let parsed = mailparse::parse_mail(message.as_bytes())?;
    let mut out = BTreeMap::new();
    if let Some(subject) = parsed.headers.get_first_value("Subject") {
        out.insert("Subject".to_owned(), subject);
    }
    let mut stack = vec![&parsed];
    while let Some(part) = stack.pop() {
        if part.subparts.is_empty() {
            let name = match part.ctype.mimetype.as_str() {
                "text/plain" => "TextPart",
                "text/html" => "HtmlPart",
                _ => continue,
            };
            // The body as written, without the line end MIME puts before the next boundary.
            let body = part.get_body()?;
            let body = body.strip_suffix("\r\n").or_else(|| body.strip_suffix('\n')).unwrap_or(&body).to_owned();
            out.entry(name.to_owned()).or_insert(body);
        } else {
            stack.extend(part.subparts.iter().rev());
        }
    }
    Ok(out)
}

/// Whether the account sends email to anyone here (GetAccount): production access, sending enabled, the
/// enforcement status and the daily quota.
pub async fn readiness(ctx: &Ctx<'_>, ses: &Client) -> Result<Readiness> {
    ctx.pace("ses", "GetAccount").await;
    let account = ses.get_account().send().await.map_err(|e| ctx.error("GetAccount", e))?;
    let quota = account.send_quota();
    let daily = quota.map_or(0.0, t::SendQuota::max24_hour_send);
    let rate = quota.map_or(0.0, t::SendQuota::max_send_rate);
    let quota_words = format!("{daily:.0} messages a day, {rate:.0} a second");
    let enforcement = account.enforcement_status().unwrap_or("HEALTHY");
    let (ready, detail, todo) = if !account.production_access_enabled() {
        (
            false,
            format!("in the SES sandbox: sends only to verified addresses, {quota_words}"),
            Some(
                "Request production access for this Region (SES console → Get set up → Request production access, \
                 or PutAccountDetails); AWS answers within a day. Run verify again once it is granted."
                    .to_owned(),
            ),
        )
    } else if !account.sending_enabled() {
        (
            false,
            format!("production access, but sending is paused for the account (enforcement {enforcement})"),
            Some("Resolve the review in the SES console's account dashboard, then resume sending (PutAccountSendingAttributes).".to_owned()),
        )
    } else {
        (true, format!("production access, {quota_words}, enforcement {enforcement}"), None)
    };
    Ok(Readiness {
        service: TargetService::Ses,
        account_id: ctx.account_id.to_owned(),
        region: ctx.region.to_owned(),
        ready,
        detail,
        todo,
    })
}
