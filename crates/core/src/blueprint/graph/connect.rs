//! A client's Connect tenancy as target resources: the instance (its own, or shared and created once), the
//! Customer Profiles domain with its object type and integration, the message-template knowledge base and
//! its integration, Outbound Campaigns' onboarding, integrations and limits, and what the client's
//! translations need: message templates (created and activated), segment definitions, CAMPAIGN flows
//! (drafts), campaigns (unstarted), the numbers and email addresses they send from, and the Lambda
//! functions a person provides.

use serde_json::{Value, json};

use super::{Builder, Node, TranslationOrigin, reference};
use crate::blueprint::tenancy::{ClientTenancy, ConnectTopology};
use crate::estate::ResourceKind;
use crate::estate::path::text;
use crate::target::TargetKind;
use crate::translate::Reference;
use crate::translate::estate::ClientTranslations;
use crate::translate::template::TemplateTranslation;
use crate::translate::template::convert::Target;

/// Outbound Campaigns keeps at most this many instance-wide limits.
const MAX_INSTANCE_LIMITS: usize = 2;

/// Who uses an instance: the clients on it and whether any of them calls out.
#[derive(Debug, Clone, Default)]
pub(super) struct InstanceUse {
    pub clients: Vec<String>,
    pub telephony: bool,
}

/// The object type the audience carry-over loads profiles through, with the fields every profile may fill
/// (the load adds a field per attribute the client's endpoints hold).
fn profile_object_type(domain: &str, expiry: u32) -> Value {
    crate::profile::object_type(domain, &crate::profile::standard_paths(), expiry)
}

fn message_template(b: &mut Builder, place: (&str, &str), instance: &str, t: &TemplateTranslation, shared: &[String]) {
    let mut spec = t.content.clone();
    spec["knowledgeBaseId"] = reference(TargetKind::KnowledgeBase, instance);
    let record = b.records.find(place, ResourceKind::Template, |r| r.name.as_deref() == Some(t.name.as_str()));
    b.add(
        place,
        Node::new(TargetKind::MessageTemplate, &t.target_name, spec)
            .from(record)
            .translated(TranslationOrigin::new("template", &t.name, &t.losses))
            .shared(shared),
    );
    b.add(
        place,
        Node::new(
            TargetKind::MessageTemplateVersion,
            &t.target_name,
            json!({
                "knowledgeBaseId": reference(TargetKind::KnowledgeBase, instance),
                "messageTemplateId": reference(TargetKind::MessageTemplate, &t.target_name),
            }),
        )
        .shared(shared),
    );
}

/// Resources that translations name but nothing else creates: numbers, email addresses, Lambda functions.
fn referenced(b: &mut Builder, place: (&str, &str), instance: &str, references: &[Reference]) {
    for r in references {
        match r.kind {
            TargetKind::ConnectPhoneNumber => {
                let record =
                    b.records.find(place, ResourceKind::PhoneNumber, |p| text(&p.raw["PhoneNumber"]) == r.name);
                let arn = record.map(|p| text(&p.raw["PhoneNumberArn"]));
                let gate = record.is_none().then(|| match r.name.as_str() {
                    // The translation found no number at all (its loss says so).
                    "unassigned" => "no phone number to send from: order or import one for the client".to_owned(),
                    name => format!(
                        "{name} is not an End User Messaging number of this account and Region: claim or import one"
                    ),
                });
                // Without an End User Messaging number the request lacks its source until a person
                // decides (the gate says so); it never carries a null the service would refuse.
                let mut spec = json!({ "InstanceId": reference(TargetKind::ConnectInstance, instance) });
                if let Some(arn) = arn {
                    spec["SourcePhoneNumberArn"] = json!(arn);
                }
                b.add(place, Node::new(TargetKind::ConnectPhoneNumber, &r.name, spec).from(record).gate(gate));
            }
            TargetKind::ConnectEmailAddress => {
                b.add(
                    place,
                    Node::new(
                        TargetKind::ConnectEmailAddress,
                        &r.name,
                        json!({ "InstanceId": reference(TargetKind::ConnectInstance, instance), "EmailAddress": r.name }),
                    )
                    .gate(Some(format!(
                        "{} must be on an email domain set up for the instance (Connect admin website, email settings)",
                        r.name
                    ))),
                );
            }
            TargetKind::LambdaFunction => {
                b.add(
                    place,
                    Node::new(TargetKind::LambdaFunction, &r.name, json!({ "FunctionName": r.name }))
                        .gate(Some(format!("provide the Lambda function the flow calls as {} ({})", r.name, r.field))),
                );
            }
            _ => {}
        }
    }
}

pub(super) fn add(
    b: &mut Builder,
    place: (&str, &str),
    tenancy: &ClientTenancy,
    translated: &ClientTranslations,
    instance_use: &InstanceUse,
) {
    let connect = &tenancy.connect;
    if connect.topology == ConnectTopology::MessagingOnly {
        return;
    }
    let Some(instance) = connect.instance_alias.as_deref() else { return };
    let shared: &[String] = if connect.topology == ConnectTopology::Shared { &instance_use.clients } else { &[] };
    let telephony = instance_use.telephony
        || connect
            .campaigns
            .iter()
            .any(|c| c.channels.contains(&crate::blueprint::tenancy::CampaignChannel::Telephony));

    b.add(
        place,
        Node::new(
            TargetKind::ConnectInstance,
            instance,
            json!({
                "IdentityManagementType": "CONNECT_MANAGED",
                "InstanceAlias": instance,
                "InboundCallsEnabled": false,
                "OutboundCallsEnabled": telephony,
            }),
        )
        .shared(shared),
    );
    if let Some(domain) = &connect.profiles_domain {
        let name = domain.name.as_str();
        b.add(
            place,
            Node::new(
                TargetKind::ProfilesDomain,
                name,
                json!({ "DomainName": name, "DefaultExpirationDays": domain.default_expiration_days }),
            )
            .shared(shared),
        );
        b.add(
            place,
            Node::new(
                TargetKind::ProfileObjectType,
                format!("{name}/{}", crate::profile::PROFILE_OBJECT_TYPE),
                profile_object_type(name, domain.default_expiration_days),
            )
            .needs(TargetKind::ProfilesDomain, name)
            .shared(shared),
        );
        b.add(
            place,
            Node::new(
                TargetKind::ProfilesIntegration,
                format!("{name}/{instance}"),
                json!({ "DomainName": name, "Uri": reference(TargetKind::ConnectInstance, instance), "ObjectTypeName": "CTR" }),
            )
            .needs(TargetKind::ProfilesDomain, name)
            .gate(Some(format!(
                "AWS documents associating domain {name} with instance {instance} in the Amazon Connect admin website only"
            )))
            .shared(shared),
        );
    }
    b.add(
        place,
        Node::new(
            TargetKind::KnowledgeBase,
            instance,
            json!({
                "name": format!("{instance}-message-templates"),
                "knowledgeBaseType": "MESSAGE_TEMPLATES",
                "description": format!("Message templates of Connect instance {instance}, created by Pinshift"),
            }),
        )
        .shared(shared),
    );
    b.add(
        place,
        Node::new(
            TargetKind::ConnectIntegration,
            format!("{instance}/knowledge-base"),
            json!({
                "InstanceId": reference(TargetKind::ConnectInstance, instance),
                "IntegrationType": "Q_MESSAGE_TEMPLATES",
                "IntegrationArn": reference(TargetKind::KnowledgeBase, instance),
            }),
        )
        .shared(shared),
    );

    if !connect.campaigns.is_empty() {
        b.add(
            place,
            Node::new(
                TargetKind::CampaignsOnboarding,
                instance,
                json!({ "connectInstanceId": reference(TargetKind::ConnectInstance, instance), "encryptionConfig": { "enabled": false } }),
            )
            .shared(shared),
        );
        b.add(
            place,
            Node::new(
                TargetKind::CampaignsIntegration,
                format!("{instance}/q-connect"),
                json!({
                    "connectInstanceId": reference(TargetKind::ConnectInstance, instance),
                    "integrationConfig": { "qConnect": { "knowledgeBaseArn": reference(TargetKind::KnowledgeBase, instance) } },
                }),
            )
            .needs(TargetKind::CampaignsOnboarding, instance)
            .shared(shared),
        );
        if let Some(domain) = &connect.profiles_domain {
            b.add(
                place,
                Node::new(
                    TargetKind::CampaignsIntegration,
                    format!("{instance}/customer-profiles"),
                    json!({
                        "connectInstanceId": reference(TargetKind::ConnectInstance, instance),
                        "integrationConfig": { "customerProfiles": {
                            "domainArn": reference(TargetKind::ProfilesDomain, &domain.name),
                            "objectTypeNames": {
                                "Campaign-Email": "Campaign-Email",
                                "Campaign-SMS": "Campaign-SMS",
                                "Campaign-Telephony": "Campaign-Telephony",
                                "Campaign-Orchestration": "Campaign-Orchestration",
                            },
                        } },
                    }),
                )
                .needs(TargetKind::CampaignsOnboarding, instance)
                .gate(Some(
                    "check the object type names Outbound Campaigns records its events under (the Connect admin \
                     website proposes them when it integrates the domain)"
                        .into(),
                ))
                .shared(shared),
            );
        }
    }
    // Instance-wide limits belong to the client only on its own instance; on a shared one each campaign
    // carries its client's limits as an override (the campaign translation writes them).
    if connect.topology == ConnectTopology::Dedicated && !connect.communication_limits.is_empty() {
        let limits: Vec<Value> = connect
            .communication_limits
            .iter()
            .filter(|l| (1..=30).contains(&l.frequency_days) && l.max_count_per_recipient >= 1)
            .take(MAX_INSTANCE_LIMITS)
            .map(|l| json!({ "maxCountPerRecipient": l.max_count_per_recipient, "frequency": l.frequency_days, "unit": "DAY" }))
            .collect();
        let dropped = connect.communication_limits.len() - limits.len();
        b.add(
            place,
            Node::new(
                TargetKind::CampaignsCommunicationLimits,
                instance,
                json!({
                    "connectInstanceId": reference(TargetKind::ConnectInstance, instance),
                    "communicationLimitsConfig": { "allChannelSubtypes": { "communicationLimitsList": limits } },
                }),
            )
            .needs(TargetKind::CampaignsOnboarding, instance)
            .gate((dropped > 0).then(|| {
                format!(
                    "{dropped} of the project's limits do not fit (at most {MAX_INSTANCE_LIMITS} limits of 1–30 days): \
                     choose which to keep"
                )
            })),
        );
    }

    // What the client's translations create.
    // Templates are the client's own, also in a shared knowledge base (their names carry the client).
    for t in translated.templates.iter().filter(|t| t.target == Target::Connect && t.translated) {
        message_template(b, place, instance, t, &[]);
    }
    for s in &translated.segments {
        let record = b.records.find(place, ResourceKind::Segment, |r| r.id == s.segment_id);
        for definition in &s.definitions {
            let name = text(&definition["SegmentDefinitionName"]);
            b.add(
                place,
                Node::new(TargetKind::SegmentDefinition, name, definition.clone())
                    .from(record)
                    .translated(TranslationOrigin::new("segment", &s.segment_id, &s.losses)),
            );
        }
        referenced(b, place, instance, &s.references);
    }
    for c in translated.campaigns.iter().filter(|c| c.created) {
        for t in &c.templates {
            message_template(b, place, instance, t, &[]);
        }
        referenced(b, place, instance, &c.references);
        let record = b.records.find(place, ResourceKind::Campaign, |r| r.id == c.campaign_id);
        let mut node = Node::new(TargetKind::Campaign, text(&c.definition["name"]), c.definition.clone())
            .from(record)
            .translated(TranslationOrigin::new("campaign", &c.campaign_id, &c.losses))
            .needs(TargetKind::CampaignsOnboarding, instance);
        for r in &c.references {
            node = node.needs(r.kind, &r.name);
        }
        b.add(place, node);
    }
    for j in &translated.journeys {
        referenced(b, place, instance, &j.references);
        let record = b.records.find(place, ResourceKind::Journey, |r| r.id == j.journey_id);
        let origin = TranslationOrigin::new("journey", &j.journey_id, &j.losses);
        let mut flow = Node::new(TargetKind::CampaignFlow, text(&j.flow["Name"]), j.flow.clone())
            .from(record)
            .translated(origin.clone());
        // The flow's content is text: its placeholders are named by the references.
        for r in j.references.iter().filter(|r| r.kind != TargetKind::CampaignFlow) {
            flow = flow.needs(r.kind, &r.name);
        }
        b.add(place, flow);
        let mut node = Node::new(TargetKind::Campaign, text(&j.campaign["name"]), j.campaign.clone())
            .from(record)
            .translated(origin)
            .needs(TargetKind::CampaignsOnboarding, instance);
        for r in &j.references {
            node = node.needs(r.kind, &r.name);
        }
        b.add(place, node);
    }
}
