//! The rules that decide each client's tenancy from its records, the assessment and people's overrides:
//! which identities, templates, numbers and sender IDs it takes along, its event destinations, the Connect
//! topology and the SES reputation policy.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{
    AnalyticsRoute, CampaignChannel, ClientTenancy, CommunicationLimit, ConnectTenancy, ConnectTopology,
    DEFAULT_EXPIRATION_DAYS, EmailHealth, EventDestination, EventTarget, MessageTemplateRef, NotCreated,
    PARTITION_ATTRIBUTE, ProfilesDomain, ReputationPolicy, SenderId, SesTenancy, SmsPool, SmsTenancy, TargetCampaign,
};
use crate::assess::{Assessment, Client};
use crate::blueprint::choices::TenancyChoices;
use crate::estate::path::{find, number, text};
use crate::estate::{ResourceKind, ResourceRecord};
use crate::{Error, Result};

/// AWS reviews SES accounts at these rates; a client at or above them starts on Strict.
const BOUNCE_REVIEW_RATE: f64 = 0.05;
const COMPLAINT_REVIEW_RATE: f64 = 0.001;
/// What an SES configuration set Pinshift creates sends to its event destination.
pub const SES_EVENT_TYPES: [&str; 10] = [
    "SEND",
    "REJECT",
    "BOUNCE",
    "COMPLAINT",
    "DELIVERY",
    "OPEN",
    "CLICK",
    "RENDERING_FAILURE",
    "DELIVERY_DELAY",
    "SUBSCRIPTION",
];

/// Checks an SES tenant name: 1–64 letters, digits, hyphens and underscores.
pub fn check_tenant_name(field: &str, name: &str) -> Result<()> {
    let ok =
        !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("{name:?}: an SES tenant name is 1–64 letters, digits, '-' and '_'")))
    }
}

/// What belongs to one client: its projects' records and the account-level records it owns.
struct Holdings<'a> {
    project: Vec<&'a ResourceRecord>,
    /// (record, owned by this client alone)
    owned: Vec<(&'a ResourceRecord, bool)>,
}

impl<'a> Holdings<'a> {
    fn of_kind(&self, kind: ResourceKind) -> impl Iterator<Item = &'a ResourceRecord> + '_ {
        self.project.iter().copied().filter(move |r| r.kind == kind)
    }

    fn owned_of(&self, kind: ResourceKind) -> impl Iterator<Item = (&'a ResourceRecord, bool)> + '_ {
        self.owned.iter().copied().filter(move |(r, _)| r.kind == kind)
    }

    fn places(&self, client: &Client) -> BTreeSet<(String, String)> {
        client.projects.iter().map(|p| (p.account_id.clone(), p.region.clone())).collect()
    }
}

fn enabled_channel(h: &Holdings, platform: &str) -> Option<Value> {
    h.of_kind(ResourceKind::Channel)
        .find(|c| text(&c.raw["Platform"]) == platform && c.raw["Enabled"] == Value::Bool(true))
        .map(|c| c.raw.clone())
}

fn template_type(r: &ResourceRecord) -> String {
    text(&r.raw["TemplateType"])
}

fn kpi_total(h: &Holdings, name: &str) -> u64 {
    h.of_kind(ResourceKind::Kpi)
        .filter(|k| k.id == name)
        .flat_map(|k| crate::estate::kpi_days(&k.raw))
        .map(|(_, value)| value)
        .sum::<f64>() as u64
}

fn email_health(h: &Holdings) -> EmailHealth {
    let sent = kpi_total(h, "txn-emails-sent-grouped-by-date");
    let delivered = kpi_total(h, "txn-emails-delivered-grouped-by-date");
    let hard_bounced = kpi_total(h, "txn-emails-hard-bounced-grouped-by-date");
    let complaints = kpi_total(h, "txn-emails-with-complaints-grouped-by-date");
    let rate = |n: u64| if sent == 0 { 0.0 } else { n as f64 / sent as f64 };
    EmailHealth {
        sent,
        delivered,
        hard_bounced,
        complaints,
        bounce_rate: rate(hard_bounced),
        complaint_rate: rate(complaints),
    }
}

fn reputation(health: &EmailHealth, choice: Option<ReputationPolicy>) -> (ReputationPolicy, String) {
    if let Some(policy) = choice {
        return (policy, "chosen by a reviewer".to_owned());
    }
    if health.sent == 0 {
        return (
            ReputationPolicy::Strict,
            "no email sent in the last 90 days: a new sender starts on Strict (AWS's BPO guidance)".to_owned(),
        );
    }
    let pct = |r: f64| format!("{:.2}%", r * 100.0);
    if health.bounce_rate >= BOUNCE_REVIEW_RATE || health.complaint_rate >= COMPLAINT_REVIEW_RATE {
        return (
            ReputationPolicy::Strict,
            format!(
                "bounce rate {} / complaint rate {} over 90 days is at or above the levels at which AWS reviews \
                 accounts (5% / 0.1%)",
                pct(health.bounce_rate),
                pct(health.complaint_rate)
            ),
        );
    }
    (
        ReputationPolicy::Standard,
        format!(
            "bounce rate {} / complaint rate {} over 90 days ({} sent) is below AWS's review levels",
            pct(health.bounce_rate),
            pct(health.complaint_rate),
            health.sent
        ),
    )
}

fn topology(h: &Holdings, choice: Option<ConnectTopology>) -> (ConnectTopology, String, bool) {
    if let Some(t) = choice {
        return (t, "chosen by a reviewer".to_owned(), true);
    }
    let journeys = h.of_kind(ResourceKind::Journey).count();
    let campaigns = h.of_kind(ResourceKind::Campaign).count();
    if journeys > 0 {
        (
            ConnectTopology::Dedicated,
            format!(
                "{journeys} journey(s) need a campaign flow, instance limits and a profiles domain of their own; \
                 AWS recommends one instance per client for isolation"
            ),
            false,
        )
    } else if campaigns > 0 {
        (
            ConnectTopology::Shared,
            format!(
                "{campaigns} campaign(s) and no journeys: a shared instance with its profiles domain partitioned by \
                 client keeps within the default of 2 instances per account"
            ),
            false,
        )
    } else {
        (
            ConnectTopology::MessagingOnly,
            "no campaigns or journeys: SES and End User Messaging cover its direct sends".to_owned(),
            false,
        )
    }
}

fn channels_of(raw: &Value) -> Vec<CampaignChannel> {
    let mut out = BTreeSet::new();
    let has = |p: &str| !find(raw, p).is_empty();
    if has("TemplateConfiguration.EmailTemplate")
        || has("MessageConfiguration.EmailMessage")
        || has("Activities.*.EMAIL")
    {
        out.insert(CampaignChannel::Email);
    }
    if has("TemplateConfiguration.SMSTemplate") || has("MessageConfiguration.SMSMessage") || has("Activities.*.SMS") {
        out.insert(CampaignChannel::Sms);
    }
    if has("Activities.*.ContactCenter") {
        out.insert(CampaignChannel::Telephony);
    }
    if has("TemplateConfiguration.PushTemplate") || has("Activities.*.PUSH") || has("MessageConfiguration.GCMMessage") {
        out.insert(CampaignChannel::Push);
    }
    if has("CustomDeliveryConfiguration") || has("Activities.*.CUSTOM") {
        out.insert(CampaignChannel::Custom);
    }
    out.into_iter().collect()
}

/// The event destinations an existing configuration set has (SES or SMS payload).
fn existing_destinations(raw: &Value) -> Vec<EventDestination> {
    let mut out = Vec::new();
    for d in raw["EventDestinations"].as_array().into_iter().flatten() {
        let name = text(d.get("Name").or_else(|| d.get("EventDestinationName")).unwrap_or(&Value::Null));
        let field = |path: &str| find(d, path).into_iter().next().map(|(_, v)| text(v)).filter(|s| !s.is_empty());
        let targets = [
            field("KinesisFirehoseDestination.DeliveryStreamArn").map(|arn| EventTarget::Firehose {
                delivery_stream_arn: arn,
                iam_role_arn: field("KinesisFirehoseDestination.IamRoleArn"),
            }),
            field("SnsDestination.TopicArn").map(|arn| EventTarget::Sns { topic_arn: Some(arn) }),
            d.get("EventBridgeDestination")
                .map(|_| EventTarget::EventBridge { event_bus_arn: field("EventBridgeDestination.EventBusArn") }),
            field("CloudWatchLogsDestination.LogGroupArn").map(|arn| EventTarget::CloudWatchLogs {
                log_group_arn: arn,
                iam_role_arn: field("CloudWatchLogsDestination.IamRoleArn"),
            }),
            d.get("CloudWatchDestination").map(|_| EventTarget::CloudWatchMetrics),
            d.get("PinpointDestination").map(|_| EventTarget::Pinpoint {
                application_arn: field("PinpointDestination.ApplicationArn").unwrap_or_default(),
            }),
        ];
        for target in targets.into_iter().flatten() {
            out.push(EventDestination { name: name.clone(), target, existing: true, reason: String::new() });
        }
    }
    out
}

/// The project's event stream as a destination SES or SMS can write to (or say what is missing).
fn stream_destination(arn: &str) -> EventDestination {
    let target = if arn.contains(":kinesis:") {
        EventTarget::KinesisStream { stream_arn: arn.to_owned() }
    } else {
        EventTarget::Firehose { delivery_stream_arn: arn.to_owned(), iam_role_arn: None }
    };
    EventDestination {
        name: "pinshift-firehose".into(),
        target,
        existing: false,
        reason: "the project's event stream".into(),
    }
}

/// The event destinations of a client's SES configuration set: what its own set has (a Pinpoint one
/// replaced by EventBridge), else the project's event stream, else the default EventBridge bus.
fn ses_destinations(own_set: Option<&ResourceRecord>, event_stream: Option<&str>) -> Vec<EventDestination> {
    let mut out = own_set.map(|r| existing_destinations(&r.raw)).unwrap_or_default();
    let pinpoint_only = !out.is_empty() && out.iter().all(|d| matches!(d.target, EventTarget::Pinpoint { .. }));
    if out.is_empty() || pinpoint_only {
        out.push(match event_stream {
            Some(arn) if !pinpoint_only => stream_destination(arn),
            _ => EventDestination {
                name: "pinshift-eventbridge".into(),
                target: EventTarget::EventBridge { event_bus_arn: None },
                existing: false,
                reason: if pinpoint_only {
                    "replaces the Pinpoint destination, which stops working".into()
                } else {
                    "reputation findings and sending status (AWS's BPO guidance)".into()
                },
            },
        });
    }
    out
}

/// The event destinations of a client's SMS configuration set: its own set's, else the project's event
/// stream, else an SNS topic created for the client.
fn sms_destinations(own_set: Option<&ResourceRecord>, event_stream: Option<&str>) -> Vec<EventDestination> {
    let mut out = own_set.map(|r| existing_destinations(&r.raw)).unwrap_or_default();
    if out.is_empty() {
        out.push(match event_stream {
            Some(arn) => stream_destination(arn),
            None => EventDestination {
                name: "pinshift-sns".into(),
                target: EventTarget::Sns { topic_arn: None },
                existing: false,
                reason: "delivery receipts for the client's own consumers".into(),
            },
        });
    }
    out
}

fn communication_limits(h: &Holdings) -> Vec<CommunicationLimit> {
    let mut out = Vec::new();
    let whole = |v: &Value| number(v).filter(|n| *n >= 0.0).map(|n| n as u32);
    for s in h.of_kind(ResourceKind::ProjectSettings) {
        if let Some(n) = whole(&s.raw["JourneyLimits"]["DailyCap"]) {
            out.push(CommunicationLimit {
                max_count_per_recipient: n,
                frequency_days: 1,
                source_field: "JourneyLimits.DailyCap".into(),
            });
        }
        if let (Some(cap), Some(days)) = (
            whole(&s.raw["JourneyLimits"]["TimeframeCap"]["Cap"]),
            whole(&s.raw["JourneyLimits"]["TimeframeCap"]["Days"]),
        ) {
            out.push(CommunicationLimit {
                max_count_per_recipient: cap,
                frequency_days: days,
                source_field: "JourneyLimits.TimeframeCap".into(),
            });
        }
        if let Some(n) = whole(&s.raw["Limits"]["Daily"]) {
            out.push(CommunicationLimit {
                max_count_per_recipient: n,
                frequency_days: 1,
                source_field: "Limits.Daily".into(),
            });
        }
    }
    out
}

fn sms_tenancy(
    client: &Client,
    holdings: &Holdings,
    (account_id, region): (&str, &str),
    event_stream: Option<&str>,
) -> Option<SmsTenancy> {
    let here = |r: &&ResourceRecord| r.account_id == account_id && r.region == region;
    let sms_channel = enabled_channel(holdings, "SMS");
    // Voice moves to End User Messaging too: its opted-out numbers need the client's opt-out list.
    let voice_channel = enabled_channel(holdings, "VOICE");
    let numbers: Vec<&ResourceRecord> =
        holdings.owned_of(ResourceKind::PhoneNumber).filter(|(r, alone)| here(r) && *alone).map(|(r, _)| r).collect();
    let sender_ids: Vec<&ResourceRecord> =
        holdings.owned_of(ResourceKind::SenderId).filter(|(r, _)| here(r)).map(|(r, _)| r).collect();
    if sms_channel.is_none() && voice_channel.is_none() && numbers.is_empty() && sender_ids.is_empty() {
        return None;
    }
    let mut pools: BTreeMap<String, SmsPool> = BTreeMap::new();
    fn pool_of<'p>(pools: &'p mut BTreeMap<String, SmsPool>, client: &str, message_type: &str) -> &'p mut SmsPool {
        pools.entry(message_type.to_owned()).or_insert_with(|| SmsPool {
            name: format!("{client}-{}", message_type.to_ascii_lowercase()),
            message_type: message_type.to_owned(),
            numbers: Vec::new(),
            sender_ids: Vec::new(),
        })
    }
    for n in &numbers {
        let t = text(&n.raw["MessageType"]);
        let t = if t.is_empty() { "TRANSACTIONAL".to_owned() } else { t };
        pool_of(&mut pools, &client.id, &t).numbers.push(text(&n.raw["PhoneNumber"]));
    }
    for s in &sender_ids {
        let sender = SenderId { sender_id: text(&s.raw["SenderId"]), iso_country_code: text(&s.raw["IsoCountryCode"]) };
        for (_, t) in find(&s.raw, "MessageTypes[]") {
            pool_of(&mut pools, &client.id, &text(t)).sender_ids.push(sender.clone());
        }
    }
    let own_set =
        holdings.owned_of(ResourceKind::SmsConfigurationSet).find(|(r, alone)| here(r) && *alone).map(|(r, _)| r);
    let own_list =
        holdings.owned_of(ResourceKind::OptOutList).find(|(r, alone)| here(r) && *alone).map(|(r, _)| r.id.clone());
    let carried: Vec<String> =
        holdings.owned_of(ResourceKind::OptOutList).filter(|(r, _)| here(r)).map(|(r, _)| r.id.clone()).collect();
    Some(SmsTenancy {
        account_id: account_id.to_owned(),
        region: region.to_owned(),
        pools: pools.into_values().collect(),
        configuration_set: own_set.map(|r| r.id.clone()).unwrap_or_else(|| format!("{}-sms", client.id)),
        configuration_set_exists: own_set.is_some(),
        default_sender_id: sms_channel.as_ref().map(|c| text(&c["SenderId"])).filter(|s| !s.is_empty()),
        opt_out_list: own_list.unwrap_or_else(|| format!("{}-opt-outs", client.id)),
        carried_opt_out_lists: carried,
        event_destinations: sms_destinations(own_set, event_stream),
        voice_only: (sms_channel.is_none() && voice_channel.is_some() && numbers.is_empty() && sender_ids.is_empty())
            .then_some(true),
    })
}

fn connect_tenancy(client: &Client, holdings: &Holdings, choice: Option<ConnectTopology>) -> ConnectTenancy {
    let (topology, reason, overridden) = topology(holdings, choice);
    let first_region = client.projects.first().map(|p| p.region.clone()).unwrap_or_default();
    let mut campaigns = Vec::new();
    let mut not_created = Vec::new();
    let name_of = |r: &ResourceRecord| r.name.clone().unwrap_or_else(|| r.id.clone());
    if topology != ConnectTopology::MessagingOnly {
        for c in holdings.of_kind(ResourceKind::Campaign) {
            let in_app = text(&c.raw["Schedule"]["Frequency"]) == "IN_APP_EVENT"
                || !find(&c.raw, "TemplateConfiguration.InAppTemplate").is_empty();
            if in_app {
                not_created.push(NotCreated {
                    kind: ResourceKind::Campaign,
                    name: name_of(c),
                    reason: "in-app messaging has no successor".into(),
                });
                continue;
            }
            campaigns.push(TargetCampaign {
                source_kind: ResourceKind::Campaign,
                source_id: c.id.clone(),
                name: name_of(c),
                campaign_type: "MANAGED".into(),
                flow: None,
                channels: channels_of(&c.raw),
            });
        }
        for j in holdings.of_kind(ResourceKind::Journey) {
            let name = name_of(j);
            campaigns.push(TargetCampaign {
                source_kind: ResourceKind::Journey,
                source_id: j.id.clone(),
                flow: Some(format!("{name}-flow")),
                name,
                campaign_type: "JOURNEY".into(),
                channels: channels_of(&j.raw),
            });
        }
    } else {
        for c in holdings.of_kind(ResourceKind::Campaign) {
            not_created.push(NotCreated {
                kind: ResourceKind::Campaign,
                name: name_of(c),
                reason: "no Connect in this topology".into(),
            });
        }
    }
    let message_templates = if topology == ConnectTopology::MessagingOnly {
        Vec::new()
    } else {
        holdings
            .owned_of(ResourceKind::Template)
            .filter(|(r, _)| matches!(template_type(r).as_str(), "EMAIL" | "SMS" | "PUSH"))
            .map(|(r, _)| MessageTemplateRef { name: name_of(r), channel: template_type(r) })
            .collect()
    };
    let domain =
        |name: String, shared| ProfilesDomain { name, default_expiration_days: DEFAULT_EXPIRATION_DAYS, shared };
    ConnectTenancy {
        topology,
        reason,
        overridden,
        instance_alias: match topology {
            ConnectTopology::Dedicated => Some(format!("{}-engage", client.id)),
            ConnectTopology::Shared => Some(format!("shared-engage-{first_region}")),
            ConnectTopology::MessagingOnly => None,
        },
        partition_attribute: (topology == ConnectTopology::Shared).then(|| PARTITION_ATTRIBUTE.to_owned()),
        profiles_domain: match topology {
            ConnectTopology::Dedicated => Some(domain(format!("{}-profiles", client.id), false)),
            ConnectTopology::Shared => Some(domain(format!("shared-profiles-{first_region}"), true)),
            ConnectTopology::MessagingOnly => None,
        },
        campaigns,
        message_templates,
        communication_limits: communication_limits(holdings),
        not_created,
    }
}

/// Derives every client's tenancy from an assessment and people's overrides.
pub fn derive(
    records: &[ResourceRecord],
    assessment: &Assessment,
    choices: &TenancyChoices,
) -> Result<Vec<ClientTenancy>> {
    for (client, choice) in &choices.plans {
        if let Some(name) = &choice.tenant_name {
            check_tenant_name(&format!("clients.{client}.tenant_name"), name)?;
        }
    }
    let by_key: BTreeMap<String, &ResourceRecord> = records
        .iter()
        .filter(|r| r.project_id.is_empty())
        .map(|r| (crate::assess::ResourceRef::of(r).key(), r))
        .collect();
    let mut out = Vec::new();
    let mut tenants: BTreeMap<String, String> = BTreeMap::new();
    for ca in &assessment.clients {
        let client = &ca.client;
        let projects: BTreeSet<String> = client.projects.iter().map(|p| p.key()).collect();
        let holdings = Holdings {
            project: records
                .iter()
                .filter(|r| !r.project_id.is_empty() && projects.contains(&r.project_key()))
                .collect(),
            owned: assessment
                .attributions
                .iter()
                .filter(|a| a.clients.contains(&client.id))
                .filter_map(|a| by_key.get(&a.resource.key()).map(|r| (*r, a.clients.len() == 1)))
                .collect(),
        };
        let choice = choices.plans.get(&client.id).cloned().unwrap_or_default();
        let health = email_health(&holdings);
        let event_stream =
            holdings.of_kind(ResourceKind::EventStream).next().map(|r| text(&r.raw["DestinationStreamArn"]));

        let mut ses = Vec::new();
        let mut sms = Vec::new();
        for (account_id, region) in holdings.places(client) {
            let here = |r: &&ResourceRecord| r.account_id == account_id && r.region == region;
            let identities: Vec<String> = holdings
                .owned_of(ResourceKind::EmailIdentity)
                .filter(|(r, _)| here(r))
                .map(|(r, _)| r.id.clone())
                .collect();
            let templates: Vec<String> = holdings
                .owned_of(ResourceKind::Template)
                .filter(|(r, _)| here(r) && template_type(r) == "EMAIL")
                .map(|(r, _)| r.name.clone().unwrap_or_else(|| r.id.clone()))
                .collect();
            if enabled_channel(&holdings, "EMAIL").is_some() || !identities.is_empty() || !templates.is_empty() {
                let tenant_name = choice.tenant_name.clone().unwrap_or_else(|| client.id.clone());
                let field = format!("clients.{}.tenant_name", client.id);
                if let Some(other) = tenants.insert(format!("{account_id}/{region}/{tenant_name}"), client.id.clone()) {
                    return Err(Error::invalid(
                        field,
                        format!("SES tenant {tenant_name:?} is already the tenant of client {other:?}"),
                    ));
                }
                let (policy, reason) = reputation(&health, choice.reputation);
                let own_set = holdings
                    .owned_of(ResourceKind::EmailConfigurationSet)
                    .find(|(r, alone)| here(r) && *alone)
                    .map(|(r, _)| r);
                ses.push(SesTenancy {
                    account_id: account_id.clone(),
                    region: region.clone(),
                    tenant_name,
                    reputation_policy: policy,
                    reputation_reason: reason,
                    suppression_scope: "TENANT".into(),
                    suppressed_reasons: vec!["BOUNCE".into(), "COMPLAINT".into()],
                    configuration_set: own_set.map(|r| r.id.clone()).unwrap_or_else(|| format!("{}-email", client.id)),
                    configuration_set_exists: own_set.is_some(),
                    event_destinations: ses_destinations(own_set, event_stream.as_deref()),
                    identities,
                    templates,
                });
            }
            sms.extend(sms_tenancy(client, &holdings, (&account_id, &region), event_stream.as_deref()));
        }

        let mut analytics = Vec::new();
        if let Some(arn) = &event_stream {
            analytics.push(AnalyticsRoute::EventStream { stream_arn: arn.clone() });
        }
        let kpis = holdings.of_kind(ResourceKind::Kpi).count() as u32;
        if kpis > 0 {
            analytics.push(AnalyticsRoute::KpiArchive { windows: kpis });
        }
        if !ses.is_empty() {
            analytics.push(AnalyticsRoute::EmailMetrics);
        }
        let mut tags = client.tags.clone();
        tags.insert("pinshift:client".into(), client.id.clone());
        out.push(ClientTenancy {
            client: client.id.clone(),
            name: client.name.clone(),
            ses,
            sms,
            connect: connect_tenancy(client, &holdings, choice.topology),
            analytics,
            tags,
            email_health: health,
            effort: ca.effort,
            band: ca.band,
            translations: Vec::new(),
        });
    }
    distinct_aliases(&mut out, assessment);
    Ok(out)
}

/// Connect instance aliases are unique across AWS (each is a `<alias>.my.connect.aws` address): when
/// shared instances of two accounts would take the same alias, every account after the first (by id)
/// gets its id appended (`shared-engage-us-east-1-555555555555`, within the 45 characters AWS allows).
fn distinct_aliases(out: &mut [ClientTenancy], assessment: &Assessment) {
    let account_of =
        |client: &str| assessment.client(client).and_then(|c| c.client.projects.first()).map(|p| p.account_id.clone());
    let mut accounts: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in out.iter().filter(|t| t.connect.topology == ConnectTopology::Shared) {
        if let (Some(alias), Some(account)) = (&t.connect.instance_alias, account_of(&t.client)) {
            accounts.entry(alias.clone()).or_default().insert(account);
        }
    }
    for t in out.iter_mut().filter(|t| t.connect.topology == ConnectTopology::Shared) {
        let (Some(alias), Some(account)) = (t.connect.instance_alias.clone(), account_of(&t.client)) else { continue };
        let first = accounts.get(&alias).and_then(|a| a.first()).cloned();
        if first.is_some_and(|first| first != account) {
            t.connect.instance_alias = Some(format!("{alias}-{account}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reputation_policy_follows_the_sending_record() {
        let new = EmailHealth::default();
        assert_eq!(reputation(&new, None).0, ReputationPolicy::Strict, "a new sender starts strict");
        let clean = EmailHealth {
            sent: 10_000,
            hard_bounced: 100,
            complaints: 2,
            bounce_rate: 0.01,
            complaint_rate: 0.0002,
            ..Default::default()
        };
        assert_eq!(reputation(&clean, None).0, ReputationPolicy::Standard);
        let bouncy = EmailHealth { sent: 10_000, hard_bounced: 600, bounce_rate: 0.06, ..Default::default() };
        let (policy, reason) = reputation(&bouncy, None);
        assert_eq!(policy, ReputationPolicy::Strict);
        assert!(reason.contains("6.00%"), "{reason}");
        assert_eq!(
            reputation(&bouncy, Some(ReputationPolicy::None)).0,
            ReputationPolicy::None,
            "a reviewer's choice wins"
        );
    }

    #[test]
    fn tenant_names_follow_ses_rules() {
        assert!(check_tenant_name("t", "acme_Corp-1").is_ok());
        for bad in ["", "acme corp", "ç", &"a".repeat(65)] {
            let e = check_tenant_name("clients.acme.tenant_name", bad).expect_err(bad);
            assert!(e.to_string().contains("clients.acme.tenant_name"), "{e}");
        }
    }

    #[test]
    fn event_destinations_are_typed_from_the_payload_or_chosen_by_rule() {
        let set = ResourceRecord {
            account_id: "1".into(),
            region: "us-east-1".into(),
            project_id: String::new(),
            kind: ResourceKind::EmailConfigurationSet,
            id: "set".into(),
            version: String::new(),
            name: None,
            raw: serde_json::json!({"EventDestinations": [
                {"Name": "fh", "KinesisFirehoseDestination": {"DeliveryStreamArn": "arn:aws:firehose:us-east-1:1:deliverystream/x", "IamRoleArn": "arn:aws:iam::1:role/r"}},
                {"Name": "pp", "PinpointDestination": {"ApplicationArn": "arn:aws:mobiletargeting:us-east-1:1:apps/a"}}
            ]}),
        };
        let got = ses_destinations(Some(&set), None);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(
            got[0].target,
            EventTarget::Firehose {
                delivery_stream_arn: "arn:aws:firehose:us-east-1:1:deliverystream/x".into(),
                iam_role_arn: Some("arn:aws:iam::1:role/r".into())
            }
        );
        assert!(got.iter().all(|d| d.existing));
        let stream = ses_destinations(None, Some("arn:aws:kinesis:us-east-1:1:stream/s"));
        assert!(matches!(stream[0].target, EventTarget::KinesisStream { .. }), "{stream:?}");
        let none = sms_destinations(None, None);
        assert_eq!(none[0].target, EventTarget::Sns { topic_arn: None });
        assert!(!none[0].existing);
    }
}
