//! The per-client tenancy plan, after AWS's multi-tenant (BPO) guidance: an SES tenant per client with
//! its identities, configuration set and templates; per-client SMS pools (transactional / promotional),
//! configuration set and opt-out list; a Connect topology (dedicated instance, shared instance with a
//! profiles domain partitioned by a client attribute, or SES + SMS only) with a Customer Profiles domain
//! that has an explicit expiry; the campaigns and flows to create; analytics destinations; tags.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::choices::TenancyChoices;
use crate::assess::{Assessment, Band, Client};
use crate::estate::path::{find, number, text};
use crate::estate::{ResourceKind, ResourceRecord};
use crate::translate::estate::Placement;
use crate::{Error, Result};

/// SES reputation policy for a tenant (`arn:aws:ses:<region>:aws:reputation-policy/<name>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReputationPolicy {
    /// Pauses on high-severity findings. For clients with a clean sending record.
    Standard,
    /// Pauses on any finding that affects deliverability. For new or risky clients.
    Strict,
    /// Monitoring only.
    None,
}

impl ReputationPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            ReputationPolicy::Standard => "standard",
            ReputationPolicy::Strict => "strict",
            ReputationPolicy::None => "none",
        }
    }
}

/// Where a client's campaigns and journeys run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConnectTopology {
    /// A Connect instance and Customer Profiles domain of its own.
    Dedicated,
    /// A shared instance whose profiles domain is partitioned by a client attribute.
    Shared,
    /// No Connect: SES and End User Messaging only.
    MessagingOnly,
}

impl ConnectTopology {
    pub fn label(self) -> &'static str {
        match self {
            ConnectTopology::Dedicated => "Dedicated Connect instance",
            ConnectTopology::Shared => "Shared Connect instance (partitioned)",
            ConnectTopology::MessagingOnly => "SES + SMS only",
        }
    }
}

/// What a person overrode in a client's plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanChoice {
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology: Option<ConnectTopology>,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reputation: Option<ReputationPolicy>,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_name: Option<String>,
}

/// Email health over the scan's 90 days of KPIs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct EmailHealth {
    pub sent: u64,
    pub delivered: u64,
    pub hard_bounced: u64,
    pub complaints: u64,
    /// Hard bounces / sent (0 when nothing was sent).
    pub bounce_rate: f64,
    pub complaint_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SesPlan {
    pub account_id: String,
    pub region: String,
    pub tenant_name: String,
    pub reputation_policy: ReputationPolicy,
    pub reputation_reason: String,
    /// Suppression list scope: `TENANT` keeps one client's bounces from suppressing another's.
    pub suppression_scope: String,
    pub suppressed_reasons: Vec<String>,
    pub configuration_set: String,
    /// `true` when the configuration set exists already (it is associated, not created).
    pub configuration_set_exists: bool,
    pub event_destinations: Vec<String>,
    pub identities: Vec<String>,
    pub templates: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PoolPlan {
    pub name: String,
    /// `TRANSACTIONAL` or `PROMOTIONAL` (immutable on a pool).
    pub message_type: String,
    /// Numbers (E.164) that move into the pool: only numbers this client owns alone.
    pub numbers: Vec<String>,
    pub sender_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SmsPlan {
    pub account_id: String,
    pub region: String,
    pub pools: Vec<PoolPlan>,
    pub configuration_set: String,
    pub configuration_set_exists: bool,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_sender_id: Option<String>,
    pub opt_out_list: String,
    /// Existing opt-out lists whose numbers are copied into the client's list.
    pub carried_opt_out_lists: Vec<String>,
    pub event_destinations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DomainPlan {
    pub name: String,
    /// Always explicit: Customer Profiles' defaults would silently expire data.
    pub default_expiration_days: u32,
    pub shared: bool,
}

/// A campaign or journey to create on the target (created unstarted / saved as draft).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TargetCampaign {
    pub source_kind: ResourceKind,
    pub source_id: String,
    pub name: String,
    /// `MANAGED` or `JOURNEY`.
    pub campaign_type: String,
    /// The CAMPAIGN flow drafted for a journey.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    pub channels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConnectPlan {
    pub topology: ConnectTopology,
    pub reason: String,
    /// A person chose the topology.
    pub overridden: bool,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_alias: Option<String>,
    /// For a shared instance: the profile attribute that carries the client id.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_attribute: Option<String>,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profiles_domain: Option<DomainPlan>,
    pub campaigns: Vec<TargetCampaign>,
    /// Q in Connect message templates to create.
    pub message_templates: Vec<String>,
    /// Instance communication limits from the project settings.
    pub communication_limits: Vec<String>,
    /// Campaigns and journeys that are not created (no successor), with why.
    pub not_created: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnalyticsPlan {
    pub source: String,
    pub destination: String,
}

/// One client's target tenancy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ClientPlan {
    pub client: String,
    pub name: String,
    pub ses: Vec<SesPlan>,
    pub sms: Vec<SmsPlan>,
    pub connect: ConnectPlan,
    pub analytics: Vec<AnalyticsPlan>,
    pub tags: BTreeMap<String, String>,
    pub email_health: EmailHealth,
    pub effort: u32,
    pub band: Band,
    /// What each of the client's templates, segments, campaigns and journeys translates to, in a line
    /// (`pinshift translate` and the desktop's preview give the full translation and its proof).
    #[serde(default)]
    pub translations: Vec<crate::translate::estate::TranslationSummary>,
}

impl ClientPlan {
    /// Where this client's resources go, for translating them.
    pub fn placement(&self) -> Placement {
        let connect = &self.connect;
        Placement {
            client: self.client.clone(),
            instance: connect.instance_alias.clone().unwrap_or_else(|| format!("{}-engage", self.client)),
            domain: connect
                .profiles_domain
                .as_ref()
                .map_or_else(|| format!("{}-profiles", self.client), |d| d.name.clone()),
            partition_attribute: (connect.topology == ConnectTopology::Shared)
                .then(|| connect.partition_attribute.clone().unwrap_or_else(|| PARTITION_ATTRIBUTE.to_owned())),
            data_expiry_days: connect
                .profiles_domain
                .as_ref()
                .map_or(DEFAULT_EXPIRATION_DAYS, |d| d.default_expiration_days),
            connect: connect.topology != ConnectTopology::MessagingOnly,
            ses: !self.ses.is_empty(),
            sms_number: self.sms.iter().flat_map(|s| &s.pools).flat_map(|pool| &pool.numbers).next().cloned(),
        }
    }
}

/// Days of Customer Profiles data kept unless the plan says otherwise (set explicitly: the service's
/// own default for upload jobs is two weeks).
pub const DEFAULT_EXPIRATION_DAYS: u32 = 366;
/// The profile attribute that partitions a shared domain.
pub const PARTITION_ATTRIBUTE: &str = "Attributes.pinshift_client_id";
/// AWS reviews SES accounts at these rates; a client at or above them starts on Strict.
const BOUNCE_REVIEW_RATE: f64 = 0.05;
const COMPLAINT_REVIEW_RATE: f64 = 0.001;

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

fn channels_of(raw: &Value) -> Vec<String> {
    let mut out = BTreeSet::new();
    let has = |p: &str| !find(raw, p).is_empty();
    if has("TemplateConfiguration.EmailTemplate")
        || has("MessageConfiguration.EmailMessage")
        || has("Activities.*.EMAIL")
    {
        out.insert("email");
    }
    if has("TemplateConfiguration.SMSTemplate") || has("MessageConfiguration.SMSMessage") || has("Activities.*.SMS") {
        out.insert("sms");
    }
    if has("Activities.*.ContactCenter") {
        out.insert("telephony");
    }
    if has("TemplateConfiguration.PushTemplate") || has("Activities.*.PUSH") || has("MessageConfiguration.GCMMessage") {
        out.insert("push (custom action)");
    }
    if has("CustomDeliveryConfiguration") || has("Activities.*.CUSTOM") {
        out.insert("custom action");
    }
    out.into_iter().map(str::to_owned).collect()
}

fn destinations(raw: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for d in raw["EventDestinations"].as_array().into_iter().flatten() {
        let name = text(d.get("Name").or_else(|| d.get("EventDestinationName")).unwrap_or(&Value::Null));
        for (kind, arn) in [
            ("Firehose", "KinesisFirehoseDestination.DeliveryStreamArn"),
            ("SNS", "SnsDestination.TopicArn"),
            ("EventBridge", "EventBridgeDestination.EventBusArn"),
            ("CloudWatch Logs", "CloudWatchLogsDestination.LogGroupArn"),
        ] {
            if let Some((_, v)) = find(d, arn).into_iter().next() {
                out.push(format!("{name}: {kind} {}", text(v)));
            }
        }
        if d.get("PinpointDestination").is_some() {
            out.push(format!("{name}: Pinpoint (replace: it stops working)"));
        }
    }
    out
}

/// Plans every client of an assessment.
pub fn plan(records: &[ResourceRecord], assessment: &Assessment, choices: &TenancyChoices) -> Result<Vec<ClientPlan>> {
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
    let mut plans = Vec::new();
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
            // SES
            let email_channel = enabled_channel(&holdings, "EMAIL");
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
            if email_channel.is_some() || !identities.is_empty() || !templates.is_empty() {
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
                let mut event_destinations = own_set.map(|r| destinations(&r.raw)).unwrap_or_default();
                if event_destinations.is_empty() {
                    event_destinations.push(match &event_stream {
                        Some(arn) => format!("events: Firehose into {arn} (the project's event stream)"),
                        None => "events: EventBridge (default bus), for reputation findings and sending status".into(),
                    });
                }
                ses.push(SesPlan {
                    account_id: account_id.clone(),
                    region: region.clone(),
                    tenant_name,
                    reputation_policy: policy,
                    reputation_reason: reason,
                    suppression_scope: "TENANT".into(),
                    suppressed_reasons: vec!["BOUNCE".into(), "COMPLAINT".into()],
                    configuration_set: own_set.map(|r| r.id.clone()).unwrap_or_else(|| format!("{}-email", client.id)),
                    configuration_set_exists: own_set.is_some(),
                    event_destinations,
                    identities,
                    templates,
                });
            }
            // SMS
            let sms_channel = enabled_channel(&holdings, "SMS");
            let numbers: Vec<&ResourceRecord> = holdings
                .owned_of(ResourceKind::PhoneNumber)
                .filter(|(r, alone)| here(r) && *alone)
                .map(|(r, _)| r)
                .collect();
            let sender_ids: Vec<&ResourceRecord> =
                holdings.owned_of(ResourceKind::SenderId).filter(|(r, _)| here(r)).map(|(r, _)| r).collect();
            if sms_channel.is_some() || !numbers.is_empty() || !sender_ids.is_empty() {
                let mut pools: BTreeMap<String, PoolPlan> = BTreeMap::new();
                let pool_of = |pools: &mut BTreeMap<String, PoolPlan>, message_type: &str| {
                    pools.entry(message_type.to_owned()).or_insert_with(|| PoolPlan {
                        name: format!("{}-{}", client.id, message_type.to_ascii_lowercase()),
                        message_type: message_type.to_owned(),
                        numbers: Vec::new(),
                        sender_ids: Vec::new(),
                    });
                };
                for n in &numbers {
                    let t = text(&n.raw["MessageType"]);
                    let t = if t.is_empty() { "TRANSACTIONAL".to_owned() } else { t };
                    pool_of(&mut pools, &t);
                    if let Some(p) = pools.get_mut(&t) {
                        p.numbers.push(text(&n.raw["PhoneNumber"]));
                    }
                }
                for s in &sender_ids {
                    let label = format!("{} ({})", text(&s.raw["SenderId"]), text(&s.raw["IsoCountryCode"]));
                    for (_, t) in find(&s.raw, "MessageTypes[]") {
                        let t = text(t);
                        pool_of(&mut pools, &t);
                        if let Some(p) = pools.get_mut(&t) {
                            p.sender_ids.push(label.clone());
                        }
                    }
                }
                let own_set = holdings
                    .owned_of(ResourceKind::SmsConfigurationSet)
                    .find(|(r, alone)| here(r) && *alone)
                    .map(|(r, _)| r);
                let own_list = holdings
                    .owned_of(ResourceKind::OptOutList)
                    .find(|(r, alone)| here(r) && *alone)
                    .map(|(r, _)| r.id.clone());
                let carried: Vec<String> = holdings
                    .owned_of(ResourceKind::OptOutList)
                    .filter(|(r, _)| here(r))
                    .map(|(r, _)| r.id.clone())
                    .collect();
                let mut event_destinations = own_set.map(|r| destinations(&r.raw)).unwrap_or_default();
                if event_destinations.is_empty() {
                    event_destinations.push(match &event_stream {
                        Some(arn) => format!("events: Firehose into {arn} (the project's event stream)"),
                        None => "events: CloudWatch Logs (TEXT_* events)".into(),
                    });
                }
                sms.push(SmsPlan {
                    account_id: account_id.clone(),
                    region: region.clone(),
                    pools: pools.into_values().collect(),
                    configuration_set: own_set.map(|r| r.id.clone()).unwrap_or_else(|| format!("{}-sms", client.id)),
                    configuration_set_exists: own_set.is_some(),
                    default_sender_id: sms_channel.as_ref().map(|c| text(&c["SenderId"])).filter(|s| !s.is_empty()),
                    opt_out_list: own_list.unwrap_or_else(|| format!("{}-opt-outs", client.id)),
                    carried_opt_out_lists: carried,
                    event_destinations,
                });
            }
        }

        let (topology, reason, overridden) = topology(&holdings, choice.topology);
        let first_region = client.projects.first().map(|p| p.region.clone()).unwrap_or_default();
        let mut campaigns = Vec::new();
        let mut not_created = Vec::new();
        if topology != ConnectTopology::MessagingOnly {
            for c in holdings.of_kind(ResourceKind::Campaign) {
                let name = c.name.clone().unwrap_or_else(|| c.id.clone());
                let in_app = text(&c.raw["Schedule"]["Frequency"]) == "IN_APP_EVENT"
                    || !find(&c.raw, "TemplateConfiguration.InAppTemplate").is_empty();
                if in_app {
                    not_created.push(format!("campaign {name}: in-app messaging has no successor"));
                    continue;
                }
                campaigns.push(TargetCampaign {
                    source_kind: ResourceKind::Campaign,
                    source_id: c.id.clone(),
                    name,
                    campaign_type: "MANAGED".into(),
                    flow: None,
                    channels: channels_of(&c.raw),
                });
            }
            for j in holdings.of_kind(ResourceKind::Journey) {
                let name = j.name.clone().unwrap_or_else(|| j.id.clone());
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
                not_created
                    .push(format!("campaign {}: no Connect in this topology", c.name.as_deref().unwrap_or(&c.id)));
            }
        }
        let message_templates = if topology == ConnectTopology::MessagingOnly {
            Vec::new()
        } else {
            holdings
                .owned_of(ResourceKind::Template)
                .filter(|(r, _)| matches!(template_type(r).as_str(), "EMAIL" | "SMS" | "PUSH"))
                .map(|(r, _)| format!("{} ({})", r.name.as_deref().unwrap_or(&r.id), template_type(r)))
                .collect()
        };
        let mut communication_limits = Vec::new();
        for s in holdings.of_kind(ResourceKind::ProjectSettings) {
            if let Some(n) = number(&s.raw["JourneyLimits"]["DailyCap"]) {
                communication_limits.push(format!("{n} per recipient per 1 day (JourneyLimits.DailyCap)"));
            }
            if let (Some(cap), Some(days)) = (
                number(&s.raw["JourneyLimits"]["TimeframeCap"]["Cap"]),
                number(&s.raw["JourneyLimits"]["TimeframeCap"]["Days"]),
            ) {
                communication_limits.push(format!("{cap} per recipient per {days} days (JourneyLimits.TimeframeCap)"));
            }
            if let Some(n) = number(&s.raw["Limits"]["Daily"]) {
                communication_limits.push(format!("{n} per recipient per 1 day (Limits.Daily)"));
            }
        }
        let connect = ConnectPlan {
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
                ConnectTopology::Dedicated => Some(DomainPlan {
                    name: format!("{}-profiles", client.id),
                    default_expiration_days: DEFAULT_EXPIRATION_DAYS,
                    shared: false,
                }),
                ConnectTopology::Shared => Some(DomainPlan {
                    name: format!("shared-profiles-{first_region}"),
                    default_expiration_days: DEFAULT_EXPIRATION_DAYS,
                    shared: true,
                }),
                ConnectTopology::MessagingOnly => None,
            },
            campaigns,
            message_templates,
            communication_limits,
            not_created,
        };

        let mut analytics = Vec::new();
        if let Some(arn) = &event_stream {
            analytics.push(AnalyticsPlan {
                source: format!("Pinpoint event stream → {arn}"),
                destination: "SES and SMS configuration-set event destinations into the same stream; consumers move \
                              to the new event shapes"
                    .into(),
            });
        }
        let kpis = holdings.of_kind(ResourceKind::Kpi).count();
        if kpis > 0 {
            analytics.push(AnalyticsPlan {
                source: format!("{kpis} KPI windows (90 days)"),
                destination: "archived in the engagement file and exported with the reports (CSV/XLSX)".into(),
            });
        }
        if !ses.is_empty() {
            analytics.push(AnalyticsPlan {
                source: "email engagement".into(),
                destination: "SES per-tenant metrics in CloudWatch; Virtual Deliverability Manager".into(),
            });
        }

        let mut tags = client.tags.clone();
        tags.insert("pinshift:client".into(), client.id.clone());
        plans.push(ClientPlan {
            client: client.id.clone(),
            name: client.name.clone(),
            ses,
            sms,
            connect,
            analytics,
            tags,
            email_health: health,
            effort: ca.effort,
            band: ca.band,
            translations: Vec::new(),
        });
    }
    Ok(plans)
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
}
