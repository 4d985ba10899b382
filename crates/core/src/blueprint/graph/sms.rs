//! A client's End User Messaging SMS tenancy as target resources: its opt-out list, pools (created with
//! one of the client's numbers or sender IDs, the others associated, the list attached, HELP and STOP
//! answered), configuration set with its event destination and default sender ID, and the SNS topic SMS
//! events go to when the client has no stream of its own.

use serde_json::{Value, json};

use super::{Builder, Node, object, reference};
use crate::blueprint::tenancy::{ClientTenancy, EventTarget, SmsTenancy};
use crate::estate::path::text;
use crate::estate::{ResourceKind, ResourceRecord};
use crate::target::TargetKind;

/// What SMS configuration sets Pinshift creates send to their event destination.
const SMS_EVENT_TYPES: [&str; 1] = ["TEXT_ALL"];

/// The SNS topic a client's SMS events go to, and the policy that lets End User Messaging publish to it.
fn topic(name: &str, account_id: &str, region: &str) -> Value {
    let arn = format!("arn:aws:sns:{region}:{account_id}:{name}");
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "EndUserMessagingPublishes",
            "Effect": "Allow",
            "Principal": { "Service": "sms-voice.amazonaws.com" },
            "Action": "sns:Publish",
            "Resource": arn,
            "Condition": { "StringEquals": { "aws:SourceAccount": account_id } }
        }]
    });
    json!({ "Name": name, "Attributes": { "Policy": policy.to_string() } })
}

pub(super) fn add(b: &mut Builder, tenancy: &ClientTenancy, sms: &SmsTenancy) {
    let place = (sms.account_id.as_str(), sms.region.as_str());
    let records = b.records;

    let list_record = records.find(place, ResourceKind::OptOutList, |r| r.id == sms.opt_out_list);
    b.add(
        place,
        Node::new(TargetKind::SmsOptOutList, &sms.opt_out_list, json!({ "OptOutListName": sms.opt_out_list }))
            .from(list_record)
            .existing(list_record.is_some()),
    );
    if list_record.is_some() {
        b.tag_adopted(place, TargetKind::SmsOptOutList, &sms.opt_out_list);
    }

    for pool in &sms.pools {
        // (origination identity ARN, country for sender IDs, the record it comes from)
        let mut identities = Vec::new();
        for number in &pool.numbers {
            if let Some(r) = records.find(place, ResourceKind::PhoneNumber, |r| text(&r.raw["PhoneNumber"]) == *number)
            {
                identities.push((text(&r.raw["PhoneNumberArn"]), None, r));
            }
        }
        for sender in &pool.sender_ids {
            if let Some(r) = records.find(place, ResourceKind::SenderId, |r| {
                text(&r.raw["SenderId"]) == sender.sender_id
                    && text(&r.raw["IsoCountryCode"]) == sender.iso_country_code
            }) {
                identities.push((text(&r.raw["SenderIdArn"]), Some(sender.iso_country_code.clone()), r));
            }
        }
        identities.dedup_by(|a, b| a.0 == b.0);
        // A number sits in one pool only: the pool is created with an identity that is free (a sender ID,
        // or a number in no pool), so only moving the others waits for a person.
        let in_pool = |r: &ResourceRecord| !text(&r.raw["PoolId"]).is_empty();
        identities.sort_by_key(|(_, _, r)| in_pool(r));
        let moves = |r: &ResourceRecord| {
            in_pool(r).then(|| {
                format!(
                    "{} is in pool {} today: a number is in one pool only, so it leaves that pool first",
                    text(&r.raw["PhoneNumber"]),
                    text(&r.raw["PoolId"])
                )
            })
        };
        let Some(((first, first_country, first_record), rest)) = identities.split_first() else { continue };
        let create = Node::new(
            TargetKind::SmsPool,
            &pool.name,
            object(&[
                ("OriginationIdentity", json!(first)),
                ("MessageType", json!(pool.message_type)),
                ("IsoCountryCode", json!(first_country)),
                ("DeletionProtectionEnabled", json!(true)),
            ]),
        )
        .from(Some(first_record))
        .gate(moves(first_record));
        b.add(place, create);
        for (arn, country, record) in rest {
            b.add(
                place,
                Node::new(
                    TargetKind::SmsPoolIdentity,
                    format!("{}/{arn}", pool.name),
                    object(&[
                        ("PoolId", reference(TargetKind::SmsPool, &pool.name)),
                        ("OriginationIdentity", json!(arn)),
                        ("IsoCountryCode", json!(country)),
                    ]),
                )
                .from(Some(record))
                .gate(moves(record)),
            );
        }
        b.add(
            place,
            Node::new(
                TargetKind::SmsPoolSettings,
                &pool.name,
                json!({
                    "PoolId": reference(TargetKind::SmsPool, &pool.name),
                    "OptOutListName": sms.opt_out_list,
                    "SelfManagedOptOutsEnabled": false,
                    "DeletionProtectionEnabled": true,
                }),
            )
            .needs(TargetKind::SmsOptOutList, &sms.opt_out_list),
        );
        for (keyword, message, action) in [
            (
                "HELP",
                format!("{}: for help, contact customer service. Reply STOP to opt out.", tenancy.name),
                "AUTOMATIC_RESPONSE",
            ),
            ("STOP", format!("{}: you are unsubscribed and will receive no more messages.", tenancy.name), "OPT_OUT"),
        ] {
            b.add(
                place,
                Node::new(
                    TargetKind::SmsKeyword,
                    format!("{}/{keyword}", pool.name),
                    json!({
                        "OriginationIdentity": reference(TargetKind::SmsPool, &pool.name),
                        "Keyword": keyword,
                        "KeywordMessage": message,
                        "KeywordAction": action,
                    }),
                ),
            );
        }
    }

    let set = sms.configuration_set.as_str();
    let set_record = records.find(place, ResourceKind::SmsConfigurationSet, |r| r.id == set);
    b.add(
        place,
        Node::new(TargetKind::SmsConfigurationSet, set, json!({ "ConfigurationSetName": set }))
            .from(set_record)
            .existing(sms.configuration_set_exists),
    );
    if sms.configuration_set_exists {
        b.tag_adopted(place, TargetKind::SmsConfigurationSet, set);
    }
    for d in &sms.event_destinations {
        let mut body = json!({
            "ConfigurationSetName": set,
            "EventDestinationName": d.name,
            "MatchingEventTypes": SMS_EVENT_TYPES,
        });
        let gate = match &d.target {
            EventTarget::Sns { topic_arn: Some(arn) } => {
                body["SnsDestination"] = json!({ "TopicArn": arn });
                None
            }
            EventTarget::Sns { topic_arn: None } => {
                let name = format!("{set}-events");
                b.add(place, Node::new(TargetKind::SnsTopic, &name, topic(&name, place.0, place.1)));
                body["SnsDestination"] = json!({ "TopicArn": reference(TargetKind::SnsTopic, &name) });
                None
            }
            EventTarget::Firehose { delivery_stream_arn, iam_role_arn } => {
                body["KinesisFirehoseDestination"] =
                    object(&[("DeliveryStreamArn", json!(delivery_stream_arn)), ("IamRoleArn", json!(iam_role_arn))]);
                iam_role_arn.is_none().then(|| {
                    format!("name an IAM role End User Messaging may assume to write to {delivery_stream_arn}")
                })
            }
            EventTarget::CloudWatchLogs { log_group_arn, iam_role_arn } => {
                body["CloudWatchLogsDestination"] =
                    object(&[("LogGroupArn", json!(log_group_arn)), ("IamRoleArn", json!(iam_role_arn))]);
                iam_role_arn.is_none().then(|| format!("name an IAM role that may write to {log_group_arn}"))
            }
            EventTarget::KinesisStream { stream_arn } => Some(format!(
                "End User Messaging cannot write to the Kinesis stream {stream_arn}: put a Firehose delivery stream in \
                 front of it and name an IAM role that may write to it"
            )),
            EventTarget::EventBridge { .. } | EventTarget::CloudWatchMetrics | EventTarget::Pinpoint { .. } => {
                Some(format!("{} is not an SMS event destination", d.target.describe()))
            }
        };
        b.add(
            place,
            Node::new(TargetKind::SmsEventDestination, format!("{set}/{}", d.name), body)
                .needs(TargetKind::SmsConfigurationSet, set)
                .existing(d.existing)
                .gate(if d.existing { None } else { gate }),
        );
    }
    if let Some(sender) = &sms.default_sender_id {
        b.add(
            place,
            Node::new(TargetKind::SmsDefaultSenderId, set, json!({ "ConfigurationSetName": set, "SenderId": sender }))
                .needs(TargetKind::SmsConfigurationSet, set),
        );
    }
}
