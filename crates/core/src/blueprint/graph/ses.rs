//! A client's SES tenancy as target resources: its identities (adopted), configuration set and event
//! destinations, tenant with its associations, reputation policy and suppression settings, and email
//! templates (translated for SES).

use serde_json::{Value, json};

use super::{Builder, Node, TranslationOrigin, object, reference};
use crate::blueprint::tenancy::{EventDestination, EventTarget, SES_EVENT_TYPES, SesTenancy};
use crate::estate::ResourceKind;
use crate::target::TargetKind;
use crate::translate::estate::ClientTranslations;
use crate::translate::template::convert::Target;

/// SES's rule for template names (CreateEmailTemplate).
pub fn valid_template_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The `EventDestination` body of an SES event destination (`None` when a person must supply a part).
fn ses_destination(d: &EventDestination, account_id: &str, region: &str) -> (Value, Option<String>) {
    let mut body = json!({ "Enabled": true, "MatchingEventTypes": SES_EVENT_TYPES });
    let gate = match &d.target {
        EventTarget::EventBridge { event_bus_arn } => {
            let bus = event_bus_arn
                .clone()
                .unwrap_or_else(|| format!("arn:aws:events:{region}:{account_id}:event-bus/default"));
            body["EventBridgeDestination"] = json!({ "EventBusArn": bus });
            None
        }
        EventTarget::Firehose { delivery_stream_arn, iam_role_arn } => {
            body["KinesisFirehoseDestination"] =
                object(&[("DeliveryStreamArn", json!(delivery_stream_arn)), ("IamRoleArn", json!(iam_role_arn))]);
            iam_role_arn.is_none().then(|| {
                format!("name an IAM role SES may assume to write to {delivery_stream_arn} (Pinpoint's role trusts Pinpoint only)")
            })
        }
        EventTarget::KinesisStream { stream_arn } => Some(format!(
            "SES cannot write to the Kinesis stream {stream_arn}: put a Firehose delivery stream in front of it and name \
             it with an IAM role SES may assume"
        )),
        EventTarget::Sns { topic_arn } => {
            body["SnsDestination"] = json!({ "TopicArn": topic_arn });
            None
        }
        EventTarget::CloudWatchLogs { .. } | EventTarget::CloudWatchMetrics | EventTarget::Pinpoint { .. } => {
            Some(format!("{} is not a destination Pinshift creates for SES", d.target.describe()))
        }
    };
    (body, gate)
}

pub(super) fn add(b: &mut Builder, ses: &SesTenancy, translated: &ClientTranslations) {
    let place = (ses.account_id.as_str(), ses.region.as_str());
    let tenant = ses.tenant_name.as_str();
    let records = b.records;

    // The configuration set and its event destinations.
    let set_record = records.find(place, ResourceKind::EmailConfigurationSet, |r| r.id == ses.configuration_set);
    b.add(
        place,
        Node::new(
            TargetKind::SesConfigurationSet,
            &ses.configuration_set,
            json!({
                "ConfigurationSetName": ses.configuration_set,
                "ReputationOptions": { "ReputationMetricsEnabled": true },
                "SendingOptions": { "SendingEnabled": true },
            }),
        )
        .from(set_record)
        .existing(ses.configuration_set_exists),
    );
    if ses.configuration_set_exists {
        b.tag_adopted(place, TargetKind::SesConfigurationSet, &ses.configuration_set);
    }
    for d in &ses.event_destinations {
        let (destination, gate) = ses_destination(d, place.0, place.1);
        b.add(
            place,
            Node::new(
                TargetKind::SesEventDestination,
                format!("{}/{}", ses.configuration_set, d.name),
                json!({
                    "ConfigurationSetName": ses.configuration_set,
                    "EventDestinationName": d.name,
                    "EventDestination": destination,
                }),
            )
            .needs(TargetKind::SesConfigurationSet, &ses.configuration_set)
            .existing(d.existing)
            .gate(if d.existing { None } else { gate }),
        );
    }

    // The tenant, its settings and what it holds.
    b.add(place, Node::new(TargetKind::SesTenant, tenant, json!({ "TenantName": tenant })));
    b.add(
        place,
        Node::new(
            TargetKind::SesReputationPolicy,
            tenant,
            json!({
                "ReputationEntityType": "RESOURCE",
                "ReputationEntityReference": reference(TargetKind::SesTenant, tenant),
                "ReputationEntityPolicy": ses.reputation_policy.arn(&ses.region),
            }),
        ),
    );
    b.add(
        place,
        Node::new(
            TargetKind::SesSuppressionSettings,
            tenant,
            json!({
                "TenantName": tenant,
                "SuppressionScope": ses.suppression_scope,
                "SuppressedReasons": ses.suppressed_reasons,
            }),
        )
        .needs(TargetKind::SesTenant, tenant),
    );
    let associate = |b: &mut Builder, kind: TargetKind, name: &str| {
        b.add(
            place,
            Node::new(
                TargetKind::SesTenantAssociation,
                format!("{tenant}/{}/{name}", kind.slug()),
                json!({ "TenantName": tenant, "ResourceArn": reference(kind, name) }),
            )
            .needs(TargetKind::SesTenant, tenant),
        );
    };
    for identity in &ses.identities {
        let record = records.find(place, ResourceKind::EmailIdentity, |r| r.id == *identity);
        b.add(
            place,
            Node::new(TargetKind::SesIdentity, identity, json!({ "EmailIdentity": identity }))
                .from(record)
                .existing(record.is_some()),
        );
        if record.is_some() {
            b.tag_adopted(place, TargetKind::SesIdentity, identity);
        }
        associate(b, TargetKind::SesIdentity, identity);
    }
    associate(b, TargetKind::SesConfigurationSet, &ses.configuration_set);

    // Email templates, translated for SES (shared ones once, associated with each owner's tenant).
    for name in &ses.templates {
        let record = records.find(place, ResourceKind::Template, |r| r.name.as_deref() == Some(name.as_str()));
        let translation =
            translated.templates.iter().find(|t| t.name == *name && matches!(t.target, Target::Ses(_)) && t.translated);
        let Some(t) = translation else { continue };
        let owners: Vec<String> = record.map(|r| records.owners_of(r).to_vec()).unwrap_or_default();
        let gate = (!valid_template_name(&t.target_name))
            .then(|| format!("rename {:?}: SES template names are 1–64 letters, digits, '-' and '_'", t.target_name));
        b.add(
            place,
            Node::new(TargetKind::SesEmailTemplate, &t.target_name, t.content.clone())
                .from(record)
                .translated(TranslationOrigin::new("template", &t.name, &t.losses))
                .gate(gate)
                .shared(&owners),
        );
        associate(b, TargetKind::SesEmailTemplate, &t.target_name);
    }
}
