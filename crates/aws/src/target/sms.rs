//! The End User Messaging SMS v2 writer: pools (found again by their `pinshift:pool` tag, since a pool has
//! no name) and their members, settings and keywords, configuration sets with event destinations and a
//! default sender ID, opt-out lists — read, created and removed through aws-sdk-pinpointsmsvoicev2.

use aws_sdk_pinpointsmsvoicev2::Client;
use aws_sdk_pinpointsmsvoicev2::error::ProvideErrorMetadata;
use aws_sdk_pinpointsmsvoicev2::types as t;
use pinshift_core::Result;
use pinshift_core::blueprint::graph::TargetResource;
use pinshift_core::migration::plan::{Created, Found, Observed, Readiness};
use pinshift_core::target::{TargetKind, TargetService};
use serde_json::{Map, Value, json};

use super::{Ctx, b, enum_of, s, strings};

/// The tag that names a pool Pinshift created (pools have ids, not names).
pub const POOL_TAG: &str = "pinshift:pool";

pub fn supports(kind: TargetKind) -> bool {
    matches!(
        kind,
        TargetKind::SmsPool
            | TargetKind::SmsPoolIdentity
            | TargetKind::SmsPoolSettings
            | TargetKind::SmsConfigurationSet
            | TargetKind::SmsEventDestination
            | TargetKind::SmsOptOutList
            | TargetKind::SmsKeyword
            | TargetKind::SmsDefaultSenderId
    )
}

fn not_found<E: ProvideErrorMetadata>(error: &aws_sdk_pinpointsmsvoicev2::error::SdkError<E>) -> bool {
    error.code() == Some("ResourceNotFoundException")
}

fn tags(request: &Value, extra: Option<(&str, &str)>) -> Vec<t::Tag> {
    request["Tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|tag| Some((s(tag, "Key")?, s(tag, "Value")?)))
        .chain(extra.map(|(k, v)| (k.to_owned(), v.to_owned())))
        .filter_map(|(k, v)| t::Tag::builder().key(k).value(v).build().ok())
        .collect()
}

fn present(arn: String, identifiers: Map<String, Value>, settings: Value) -> Observed {
    Observed::Present(Found { arn: Some(arn), identifiers, settings, ..Found::default() })
}

fn ids(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect()
}

/// The call that reads a kind.
fn read_operation(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::SmsPool | TargetKind::SmsPoolSettings => "DescribePools",
        TargetKind::SmsPoolIdentity => "ListPoolOriginationIdentities",
        TargetKind::SmsConfigurationSet | TargetKind::SmsEventDestination | TargetKind::SmsDefaultSenderId => {
            "DescribeConfigurationSets"
        }
        TargetKind::SmsOptOutList => "DescribeOptOutLists",
        TargetKind::SmsKeyword => "DescribeKeywords",
        _ => "",
    }
}

/// The pool Pinshift created under `name` (by its tag), if any.
async fn pool_named(ctx: &Ctx<'_>, sms: &Client, name: &str) -> Result<Option<t::PoolInformation>> {
    let mut pages = sms.describe_pools().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ctx.error("DescribePools", e))?;
        for pool in page.pools() {
            ctx.pace("sms-voice", "ListTagsForResource").await;
            let tags = sms
                .list_tags_for_resource()
                .resource_arn(pool.pool_arn())
                .send()
                .await
                .map_err(|e| ctx.error("ListTagsForResource", e))?;
            if tags.tags().iter().any(|t| t.key() == POOL_TAG && t.value() == name) {
                return Ok(Some(pool.clone()));
            }
        }
    }
    Ok(None)
}

async fn pool_by_id(ctx: &Ctx<'_>, sms: &Client, id: &str) -> Result<Option<t::PoolInformation>> {
    match sms.describe_pools().pool_ids(id).send().await {
        Ok(got) => Ok(got.pools().first().cloned()),
        Err(e) if not_found(&e) => Ok(None),
        Err(e) => Err(ctx.error("DescribePools", e)),
    }
}

async fn configuration_set(ctx: &Ctx<'_>, sms: &Client, name: &str) -> Result<Option<t::ConfigurationSetInformation>> {
    match sms.describe_configuration_sets().configuration_set_names(name).send().await {
        Ok(got) => Ok(got.configuration_sets().first().cloned()),
        Err(e) if not_found(&e) => Ok(None),
        Err(e) => Err(ctx.error("DescribeConfigurationSets", e)),
    }
}

/// The status of a registration, read live, when it is not complete yet.
async fn registration_open(ctx: &Ctx<'_>, sms: &Client, id: &str) -> Result<Option<t::RegistrationStatus>> {
    ctx.pace("sms-voice", "DescribeRegistrations").await;
    match sms.describe_registrations().registration_ids(id).send().await {
        Ok(got) => Ok(got
            .registrations()
            .first()
            .map(|r| r.registration_status().clone())
            .filter(|s| *s != t::RegistrationStatus::Complete)),
        Err(e) if not_found(&e) => Ok(None),
        Err(e) => Err(ctx.error("DescribeRegistrations", e)),
    }
}

/// What a registration in `status` waits for, in plain words.
fn registration_words(id: &str, status: &t::RegistrationStatus) -> String {
    match status {
        t::RegistrationStatus::RequiresUpdates => {
            format!(
                "registration {id} REQUIRES_UPDATES: the carrier sent it back; correct it in the End User Messaging console and submit it again"
            )
        }
        t::RegistrationStatus::Created => {
            format!(
                "registration {id} is CREATED but not submitted: complete and submit it in the End User Messaging console"
            )
        }
        other => format!("registration {id} is {} (carrier review can take weeks)", other.as_str()),
    }
}

/// What keeps a pool's origination identity from sending, read live: a phone number that is not ACTIVE
/// (its registration still in review) or a sender ID whose registration is not complete. `None` for other
/// kinds, and when nothing does.
pub async fn precondition(ctx: &Ctx<'_>, sms: &Client, resource: &TargetResource) -> Result<Option<String>> {
    if !matches!(resource.kind, TargetKind::SmsPool | TargetKind::SmsPoolIdentity) {
        return Ok(None);
    }
    let Some(identity) = s(&resource.spec, "OriginationIdentity") else { return Ok(None) };
    if identity.contains(":phone-number/") || identity.starts_with("phone-") {
        ctx.pace("sms-voice", "DescribePhoneNumbers").await;
        let number = match sms.describe_phone_numbers().phone_number_ids(&identity).send().await {
            Ok(got) => got.phone_numbers().first().cloned(),
            Err(e) if not_found(&e) => None,
            Err(e) => return Err(ctx.error("DescribePhoneNumbers", e)),
        };
        let Some(number) = number else {
            return Ok(Some(format!("phone number {identity} is not in this account (released, or never moved here)")));
        };
        if *number.status() == t::NumberStatus::Active {
            return Ok(None);
        }
        let phone = number.phone_number();
        let status = number.status().as_str();
        let why = match number.registration_id() {
            Some(id) => match registration_open(ctx, sms, id).await? {
                Some(reg) => registration_words(id, &reg),
                None => format!("registration {id} is complete; the number becomes ACTIVE shortly"),
            },
            None => "it needs a completed registration (10DLC campaign or toll-free verification)".to_owned(),
        };
        return Ok(Some(format!("phone number {phone} is {status}: {why}")));
    }
    if identity.contains(":sender-id/") {
        ctx.pace("sms-voice", "DescribeSenderIds").await;
        let parts: Vec<&str> = identity.rsplit('/').take(2).collect();
        let (Some(country), Some(sender)) = (parts.first(), parts.get(1)) else { return Ok(None) };
        let key = t::SenderIdAndCountry::builder()
            .sender_id(*sender)
            .iso_country_code(*country)
            .build()
            .map_err(|e| ctx.build("DescribeSenderIds", e))?;
        let found = sms.describe_sender_ids().sender_ids(key).send().await;
        let registration = match found {
            Ok(got) => got.sender_ids().first().and_then(|s| s.registration_id().map(str::to_owned)),
            Err(e) if not_found(&e) => None,
            Err(e) => return Err(ctx.error("DescribeSenderIds", e)),
        };
        if let Some(id) = registration
            && let Some(status) = registration_open(ctx, sms, &id).await?
        {
            return Ok(Some(format!("sender ID {sender} ({country}): {}", registration_words(&id, &status))));
        }
    }
    Ok(None)
}

pub async fn observe(ctx: &Ctx<'_>, sms: &Client, resource: &TargetResource, request: &Value) -> Result<Observed> {
    ctx.pace("sms-voice", read_operation(resource.kind)).await;
    match resource.kind {
        TargetKind::SmsPool => Ok(match pool_named(ctx, sms, &resource.name).await? {
            Some(pool) => present(
                pool.pool_arn().to_owned(),
                ids(&[("PoolId", pool.pool_id())]),
                json!({ "MessageType": pool.message_type().as_str(),
                        "DeletionProtectionEnabled": pool.deletion_protection_enabled() }),
            ),
            None => Observed::Absent,
        }),
        TargetKind::SmsPoolSettings => {
            let id = s(request, "PoolId").unwrap_or_default();
            let Some(pool) = pool_by_id(ctx, sms, &id).await? else { return Ok(Observed::Absent) };
            let have = json!({ "OptOutListName": pool.opt_out_list_name(),
                               "SelfManagedOptOutsEnabled": pool.self_managed_opt_outs_enabled(),
                               "DeletionProtectionEnabled": pool.deletion_protection_enabled() });
            let matches = ["OptOutListName", "SelfManagedOptOutsEnabled", "DeletionProtectionEnabled"]
                .iter()
                .all(|k| request.get(*k).is_none_or(|v| *v == have[*k]));
            Ok(if matches {
                present(pool.pool_arn().to_owned(), ids(&[("PoolId", pool.pool_id())]), have)
            } else {
                Observed::Absent
            })
        }
        TargetKind::SmsPoolIdentity => {
            let pool = s(request, "PoolId").unwrap_or_default();
            let wanted = s(request, "OriginationIdentity").unwrap_or_default();
            let mut pages = sms.list_pool_origination_identities().pool_id(&pool).into_paginator().send();
            while let Some(page) = pages.next().await {
                match page {
                    Ok(page) => {
                        if let Some(member) = page
                            .origination_identities()
                            .iter()
                            .find(|m| m.origination_identity_arn() == wanted || m.origination_identity() == wanted)
                        {
                            return Ok(present(
                                member.origination_identity_arn().to_owned(),
                                ids(&[("PoolId", &pool)]),
                                json!({}),
                            ));
                        }
                    }
                    Err(e) if not_found(&e) => return Ok(Observed::Absent),
                    Err(e) => return Err(ctx.error("ListPoolOriginationIdentities", e)),
                }
            }
            Ok(Observed::Absent)
        }
        TargetKind::SmsConfigurationSet => {
            let name = s(request, "ConfigurationSetName").unwrap_or_default();
            Ok(match configuration_set(ctx, sms, &name).await? {
                Some(set) => {
                    present(set.configuration_set_arn().to_owned(), ids(&[("ConfigurationSetName", &name)]), json!({}))
                }
                None => Observed::Absent,
            })
        }
        TargetKind::SmsEventDestination => {
            let name = s(request, "ConfigurationSetName").unwrap_or_default();
            let destination = s(request, "EventDestinationName").unwrap_or_default();
            let Some(set) = configuration_set(ctx, sms, &name).await? else { return Ok(Observed::Absent) };
            Ok(match set.event_destinations().iter().find(|d| d.event_destination_name() == destination) {
                Some(d) => {
                    let types: Vec<&str> = d.matching_event_types().iter().map(|t| t.as_str()).collect();
                    present(
                        format!("{}/{destination}", set.configuration_set_arn()),
                        Map::new(),
                        json!({ "MatchingEventTypes": types }),
                    )
                }
                None => Observed::Absent,
            })
        }
        TargetKind::SmsDefaultSenderId => {
            let name = s(request, "ConfigurationSetName").unwrap_or_default();
            let Some(set) = configuration_set(ctx, sms, &name).await? else { return Ok(Observed::Absent) };
            Ok(if set.default_sender_id().map(str::to_owned) == s(request, "SenderId") {
                present(
                    set.configuration_set_arn().to_owned(),
                    Map::new(),
                    json!({ "SenderId": set.default_sender_id() }),
                )
            } else {
                Observed::Absent
            })
        }
        TargetKind::SmsOptOutList => {
            let name = s(request, "OptOutListName").unwrap_or_default();
            match sms.describe_opt_out_lists().opt_out_list_names(&name).send().await {
                Ok(got) => Ok(match got.opt_out_lists().first() {
                    Some(list) => {
                        present(list.opt_out_list_arn().to_owned(), ids(&[("OptOutListName", &name)]), json!({}))
                    }
                    None => Observed::Absent,
                }),
                Err(e) if not_found(&e) => Ok(Observed::Absent),
                Err(e) => Err(ctx.error("DescribeOptOutLists", e)),
            }
        }
        // A keyword is a setting of its pool: "absent" until the reply is the one the blueprint asks for.
        TargetKind::SmsKeyword => {
            let identity = s(request, "OriginationIdentity").unwrap_or_default();
            let keyword = s(request, "Keyword").unwrap_or_default();
            let got = match sms.describe_keywords().origination_identity(&identity).keywords(&keyword).send().await {
                Ok(got) => got,
                Err(e) if not_found(&e) => return Ok(Observed::Absent),
                Err(e) => return Err(ctx.error("DescribeKeywords", e)),
            };
            let same = got.keywords().iter().any(|k| {
                k.keyword().eq_ignore_ascii_case(&keyword)
                    && Some(k.keyword_message().to_owned()) == s(request, "KeywordMessage")
                    && s(request, "KeywordAction").is_none_or(|a| a == k.keyword_action().as_str())
            });
            Ok(if same {
                present(got.origination_identity_arn().unwrap_or_default().to_owned(), Map::new(), json!({}))
            } else {
                Observed::Absent
            })
        }
        other => Err(ctx.unsupported(read_operation(other), other)),
    }
}

pub async fn create(
    ctx: &Ctx<'_>,
    sms: &Client,
    resource: &TargetResource,
    request: &Value,
    token: &str,
) -> Result<Created> {
    let op = resource.kind.operation();
    ctx.pace("sms-voice", op).await;
    let made = |arn: &str, identifiers: Map<String, Value>| Created {
        arn: Some(arn.to_owned()),
        identifiers,
        ..Created::default()
    };
    match resource.kind {
        TargetKind::SmsPool => {
            let created = sms
                .create_pool()
                .set_origination_identity(s(request, "OriginationIdentity"))
                .set_iso_country_code(s(request, "IsoCountryCode"))
                .set_message_type(s(request, "MessageType").map(|m| enum_of(&m)))
                .set_deletion_protection_enabled(b(request, "DeletionProtectionEnabled"))
                .set_tags(Some(tags(request, Some((POOL_TAG, &resource.name)))))
                .client_token(token)
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            let id = created.pool_id().unwrap_or_default();
            Ok(made(created.pool_arn().unwrap_or_default(), ids(&[("PoolId", id)])))
        }
        TargetKind::SmsPoolIdentity => {
            let pool = s(request, "PoolId").unwrap_or_default();
            let created = sms
                .associate_origination_identity()
                .pool_id(&pool)
                .set_origination_identity(s(request, "OriginationIdentity"))
                .set_iso_country_code(s(request, "IsoCountryCode"))
                .client_token(token)
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(made(created.origination_identity_arn().unwrap_or_default(), ids(&[("PoolId", &pool)])))
        }
        TargetKind::SmsPoolSettings => {
            let pool = s(request, "PoolId").unwrap_or_default();
            let updated = sms
                .update_pool()
                .pool_id(&pool)
                .set_opt_out_list_name(s(request, "OptOutListName"))
                .set_self_managed_opt_outs_enabled(b(request, "SelfManagedOptOutsEnabled"))
                .set_deletion_protection_enabled(b(request, "DeletionProtectionEnabled"))
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(made(updated.pool_arn().unwrap_or_default(), ids(&[("PoolId", &pool)])))
        }
        TargetKind::SmsConfigurationSet => {
            let name = s(request, "ConfigurationSetName").unwrap_or_default();
            let created = sms
                .create_configuration_set()
                .configuration_set_name(&name)
                .set_tags(Some(tags(request, None)))
                .client_token(token)
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(made(created.configuration_set_arn().unwrap_or_default(), ids(&[("ConfigurationSetName", &name)])))
        }
        TargetKind::SmsEventDestination => {
            let mut call = sms
                .create_event_destination()
                .set_configuration_set_name(s(request, "ConfigurationSetName"))
                .set_event_destination_name(s(request, "EventDestinationName"))
                .set_matching_event_types(Some(
                    strings(&request["MatchingEventTypes"]).iter().map(|e| enum_of(e)).collect(),
                ))
                .client_token(token);
            if let Some(topic) = s(&request["SnsDestination"], "TopicArn") {
                call = call.sns_destination(
                    t::SnsDestination::builder().topic_arn(topic).build().map_err(|e| ctx.build(op, e))?,
                );
            }
            let firehose = &request["KinesisFirehoseDestination"];
            if let (Some(stream), Some(role)) = (s(firehose, "DeliveryStreamArn"), s(firehose, "IamRoleArn")) {
                call = call.kinesis_firehose_destination(
                    t::KinesisFirehoseDestination::builder()
                        .delivery_stream_arn(stream)
                        .iam_role_arn(role)
                        .build()
                        .map_err(|e| ctx.build(op, e))?,
                );
            }
            let logs = &request["CloudWatchLogsDestination"];
            if let (Some(group), Some(role)) = (s(logs, "LogGroupArn"), s(logs, "IamRoleArn")) {
                call = call.cloud_watch_logs_destination(
                    t::CloudWatchLogsDestination::builder()
                        .log_group_arn(group)
                        .iam_role_arn(role)
                        .build()
                        .map_err(|e| ctx.build(op, e))?,
                );
            }
            let created = call.send().await.map_err(|e| ctx.error(op, e))?;
            let arn = format!(
                "{}/{}",
                created.configuration_set_arn().unwrap_or_default(),
                s(request, "EventDestinationName").unwrap_or_default()
            );
            Ok(made(&arn, Map::new()))
        }
        TargetKind::SmsDefaultSenderId => {
            let set = sms
                .set_default_sender_id()
                .set_configuration_set_name(s(request, "ConfigurationSetName"))
                .set_sender_id(s(request, "SenderId"))
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(made(set.configuration_set_arn().unwrap_or_default(), Map::new()))
        }
        TargetKind::SmsOptOutList => {
            let name = s(request, "OptOutListName").unwrap_or_default();
            let created = sms
                .create_opt_out_list()
                .opt_out_list_name(&name)
                .set_tags(Some(tags(request, None)))
                .client_token(token)
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(made(created.opt_out_list_arn().unwrap_or_default(), ids(&[("OptOutListName", &name)])))
        }
        TargetKind::SmsKeyword => {
            let put = sms
                .put_keyword()
                .set_origination_identity(s(request, "OriginationIdentity"))
                .set_keyword(s(request, "Keyword"))
                .set_keyword_message(s(request, "KeywordMessage"))
                .set_keyword_action(s(request, "KeywordAction").map(|a| enum_of(&a)))
                .send()
                .await
                .map_err(|e| ctx.error(op, e))?;
            Ok(made(put.origination_identity_arn().unwrap_or_default(), Map::new()))
        }
        other => Err(ctx.unsupported(op, other)),
    }
}

pub async fn delete(
    ctx: &Ctx<'_>,
    sms: &Client,
    resource: &TargetResource,
    request: &Value,
    found: &Found,
) -> Result<()> {
    let pool_id =
        || found.identifiers.get("PoolId").and_then(Value::as_str).map(str::to_owned).or(s(request, "PoolId"));
    match resource.kind {
        TargetKind::SmsPool => {
            let id = pool_id().unwrap_or_default();
            // Pinshift created it protected; it may remove its own pool's protection to undo it.
            sms.update_pool()
                .pool_id(&id)
                .deletion_protection_enabled(false)
                .send()
                .await
                .map_err(|e| ctx.error("UpdatePool", e))?;
            sms.delete_pool().pool_id(&id).send().await.map(|_| ()).map_err(|e| ctx.error("DeletePool", e))
        }
        TargetKind::SmsPoolIdentity => sms
            .disassociate_origination_identity()
            .set_pool_id(pool_id())
            .set_origination_identity(s(request, "OriginationIdentity"))
            .set_iso_country_code(s(request, "IsoCountryCode"))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ctx.error("DisassociateOriginationIdentity", e)),
        TargetKind::SmsConfigurationSet => sms
            .delete_configuration_set()
            .set_configuration_set_name(s(request, "ConfigurationSetName"))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ctx.error("DeleteConfigurationSet", e)),
        TargetKind::SmsEventDestination => sms
            .delete_event_destination()
            .set_configuration_set_name(s(request, "ConfigurationSetName"))
            .set_event_destination_name(s(request, "EventDestinationName"))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ctx.error("DeleteEventDestination", e)),
        TargetKind::SmsOptOutList => sms
            .delete_opt_out_list()
            .set_opt_out_list_name(s(request, "OptOutListName"))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ctx.error("DeleteOptOutList", e)),
        // Settings of a pool or configuration set go with it.
        TargetKind::SmsPoolSettings | TargetKind::SmsKeyword | TargetKind::SmsDefaultSenderId => Ok(()),
        other => Err(ctx.unsupported("delete", other)),
    }
}

/// Whether the account sends SMS to anyone here (DescribeAccountAttributes: ACCOUNT_TIER) and its monthly
/// text spend limit (DescribeSpendLimits).
pub async fn readiness(ctx: &Ctx<'_>, sms: &Client) -> Result<Readiness> {
    ctx.pace("sms-voice", "DescribeAccountAttributes").await;
    let attributes =
        sms.describe_account_attributes().send().await.map_err(|e| ctx.error("DescribeAccountAttributes", e))?;
    let tier = attributes
        .account_attributes()
        .iter()
        .find(|a| *a.name() == t::AccountAttributeName::AccountTier)
        .map(|a| a.value().to_owned())
        .unwrap_or_default();
    ctx.pace("sms-voice", "DescribeSpendLimits").await;
    let limits = sms.describe_spend_limits().send().await.map_err(|e| ctx.error("DescribeSpendLimits", e))?;
    let text = limits.spend_limits().iter().find(|l| *l.name() == t::SpendLimitName::TextMessageMonthlySpendLimit);
    let spend = text.map_or_else(
        || "no text spend limit read".to_owned(),
        |l| {
            format!(
                "text spend limit ${} a month (at most ${} without a support case)",
                l.enforced_limit(),
                l.max_limit()
            )
        },
    );
    let sandboxed = tier.eq_ignore_ascii_case("SANDBOXED");
    let (detail, todo) = if sandboxed {
        (
            format!("in the SMS sandbox: sends only to verified destination numbers, {spend}"),
            Some(
                "Open a case with AWS Support to move this Region's SMS account to production (and raise the spend \
                 limit to cover the clients' monthly volume); run verify again once it is done."
                    .to_owned(),
            ),
        )
    } else {
        (format!("production (tier {tier}), {spend}"), None)
    };
    Ok(Readiness {
        service: TargetService::Sms,
        account_id: ctx.account_id.to_owned(),
        region: ctx.region.to_owned(),
        ready: !sandboxed,
        detail,
        todo,
    })
}
