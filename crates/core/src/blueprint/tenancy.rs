//! Each client's target tenancy, after AWS's multi-tenant (BPO) guidance: an SES tenant per client with
//! its identities, configuration set and templates; per-client SMS pools (transactional / promotional),
//! configuration set and opt-out list; a Connect topology (dedicated instance, shared instance with a
//! profiles domain partitioned by a client attribute, or SES + SMS only) with a Customer Profiles domain
//! that has an explicit expiry; the campaigns and flows to create; analytics routes; tags.
//!
//! Every field is typed (names, ARNs, counts, enums); the words a reader sees are rendered from them
//! (`describe`, `label`), so the target graph, the reports and both front ends read the same values.
//! [`derive`] holds the rules that decide a tenancy.

mod derive;
mod words;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use derive::{SES_EVENT_TYPES, check_tenant_name, derive};
pub use words::TenancyLine;

use crate::assess::Band;
use crate::estate::ResourceKind;
use crate::translate::estate::{Placement, TranslationSummary};

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

    /// The AWS-managed policy's ARN in `region`.
    pub fn arn(self, region: &str) -> String {
        format!("arn:aws:ses:{region}:aws:reputation-policy/{}", self.as_str())
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

/// What a person overrode in a client's tenancy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct TenancyOverride {
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

/// Where a configuration set's events go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventTarget {
    /// An EventBridge bus (SES only); `None` is the account's default bus.
    EventBridge {
        #[ts(optional)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_bus_arn: Option<String>,
    },
    /// A Firehose delivery stream, written with an IAM role the service assumes.
    Firehose {
        delivery_stream_arn: String,
        /// `None` until someone names a role the service may assume (a decision).
        #[ts(optional)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        iam_role_arn: Option<String>,
    },
    /// A Kinesis data stream (Pinpoint could write to one; SES and SMS cannot): a Firehose stream must
    /// be put in front of it.
    KinesisStream { stream_arn: String },
    /// An SNS topic; `None` is a topic Pinshift creates for the client.
    Sns {
        #[ts(optional)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic_arn: Option<String>,
    },
    CloudWatchLogs {
        log_group_arn: String,
        #[ts(optional)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        iam_role_arn: Option<String>,
    },
    /// CloudWatch metrics (SES only).
    CloudWatchMetrics,
    /// A Pinpoint project: stops working with Pinpoint, so it is replaced.
    Pinpoint { application_arn: String },
}

impl EventTarget {
    /// `Firehose arn:aws:firehose:…`, `EventBridge (default bus)`.
    pub fn describe(&self) -> String {
        match self {
            EventTarget::EventBridge { event_bus_arn: None } => "EventBridge (default bus)".into(),
            EventTarget::EventBridge { event_bus_arn: Some(arn) } => format!("EventBridge {arn}"),
            EventTarget::Firehose { delivery_stream_arn, .. } => format!("Firehose {delivery_stream_arn}"),
            EventTarget::KinesisStream { stream_arn } => {
                format!("Kinesis stream {stream_arn} (needs a Firehose stream in front)")
            }
            EventTarget::Sns { topic_arn: None } => "SNS topic created for the client".into(),
            EventTarget::Sns { topic_arn: Some(arn) } => format!("SNS {arn}"),
            EventTarget::CloudWatchLogs { log_group_arn, .. } => format!("CloudWatch Logs {log_group_arn}"),
            EventTarget::CloudWatchMetrics => "CloudWatch metrics".into(),
            EventTarget::Pinpoint { .. } => "Pinpoint (stops working: replaced)".into(),
        }
    }
}

/// One event destination of a configuration set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventDestination {
    pub name: String,
    pub target: EventTarget,
    /// It is on the client's configuration set already (kept, not created).
    pub existing: bool,
    /// Why this destination (the project's event stream, AWS's guidance…), for a new one.
    #[serde(default)]
    pub reason: String,
}

impl EventDestination {
    pub fn describe(&self) -> String {
        let mut out = format!("{}: {}", self.name, self.target.describe());
        if self.existing {
            out.push_str(" (existing)");
        } else if !self.reason.is_empty() {
            out.push_str(&format!(" — {}", self.reason));
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SesTenancy {
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
    pub event_destinations: Vec<EventDestination>,
    /// Identities the client sends from (SES identities exist already: Pinpoint used them).
    pub identities: Vec<String>,
    /// SES templates to create (email templates the client owns).
    pub templates: Vec<String>,
}

/// A sender ID registered for one country.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct SenderId {
    pub sender_id: String,
    pub iso_country_code: String,
}

impl SenderId {
    /// `BLUEBIRD (GB)`
    pub fn describe(&self) -> String {
        format!("{} ({})", self.sender_id, self.iso_country_code)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SmsPool {
    pub name: String,
    /// `TRANSACTIONAL` or `PROMOTIONAL` (immutable on a pool).
    pub message_type: String,
    /// Numbers (E.164) that move into the pool: only numbers this client owns alone.
    pub numbers: Vec<String>,
    pub sender_ids: Vec<SenderId>,
}

impl SmsPool {
    /// Its numbers and sender IDs, as a reader sees them.
    pub fn members(&self) -> Vec<String> {
        self.numbers.iter().cloned().chain(self.sender_ids.iter().map(SenderId::describe)).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SmsTenancy {
    pub account_id: String,
    pub region: String,
    pub pools: Vec<SmsPool>,
    pub configuration_set: String,
    pub configuration_set_exists: bool,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_sender_id: Option<String>,
    pub opt_out_list: String,
    /// Existing opt-out lists whose numbers are copied into the client's list.
    pub carried_opt_out_lists: Vec<String>,
    pub event_destinations: Vec<EventDestination>,
    /// The client places voice messages but sends no SMS: no registration, and its number must be
    /// voice-capable; its opted-out numbers still go to the opt-out list.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_only: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProfilesDomain {
    pub name: String,
    /// Always explicit: Customer Profiles' defaults would silently expire data.
    pub default_expiration_days: u32,
    pub shared: bool,
}

/// A channel a campaign or journey sends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CampaignChannel {
    Email,
    Sms,
    Telephony,
    /// Push goes out through a custom action (a Lambda function the customer provides).
    Push,
    /// A custom channel (webhook or Lambda): a custom action.
    Custom,
}

impl CampaignChannel {
    pub fn label(self) -> &'static str {
        match self {
            CampaignChannel::Email => "email",
            CampaignChannel::Sms => "sms",
            CampaignChannel::Telephony => "telephony",
            CampaignChannel::Push => "push (custom action)",
            CampaignChannel::Custom => "custom action",
        }
    }
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
    pub channels: Vec<CampaignChannel>,
}

impl TargetCampaign {
    /// `email, sms`
    pub fn channel_labels(&self) -> String {
        self.channels.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ")
    }
}

/// A Q in Connect message template to create from one of the client's Pinpoint templates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct MessageTemplateRef {
    /// The Pinpoint template's name.
    pub name: String,
    /// `EMAIL`, `SMS` or `PUSH`.
    pub channel: String,
}

impl MessageTemplateRef {
    /// `aurora-newsletter (EMAIL)`
    pub fn describe(&self) -> String {
        format!("{} ({})", self.name, self.channel)
    }
}

/// A per-recipient cap the instance enforces over all of its campaigns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommunicationLimit {
    pub max_count_per_recipient: u32,
    /// Days (Outbound Campaigns takes 1–30).
    pub frequency_days: u32,
    /// The Pinpoint setting it comes from (`JourneyLimits.DailyCap`).
    pub source_field: String,
}

impl CommunicationLimit {
    /// `3 per recipient per 1 day (JourneyLimits.DailyCap)`
    pub fn describe(&self) -> String {
        let days = if self.frequency_days == 1 { "1 day".to_owned() } else { format!("{} days", self.frequency_days) };
        format!("{} per recipient per {days} ({})", self.max_count_per_recipient, self.source_field)
    }
}

/// A campaign or journey that is not created, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NotCreated {
    pub kind: ResourceKind,
    pub name: String,
    pub reason: String,
}

impl NotCreated {
    /// `campaign cobalt-inapp-offer: in-app messaging has no successor`
    pub fn describe(&self) -> String {
        format!("{} {}: {}", self.kind.as_str(), self.name, self.reason)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConnectTenancy {
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
    pub profiles_domain: Option<ProfilesDomain>,
    pub campaigns: Vec<TargetCampaign>,
    /// Q in Connect message templates to create.
    pub message_templates: Vec<MessageTemplateRef>,
    /// Instance communication limits from the project settings.
    pub communication_limits: Vec<CommunicationLimit>,
    /// Campaigns and journeys that are not created (no successor).
    pub not_created: Vec<NotCreated>,
}

/// Where a kind of analytics goes after Pinpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnalyticsRoute {
    /// The project's event stream: the configuration sets' event destinations write into it.
    EventStream { stream_arn: String },
    /// KPI windows read by the scan, archived in the engagement file.
    KpiArchive { windows: u32 },
    /// Email engagement: SES per-tenant metrics.
    EmailMetrics,
}

impl AnalyticsRoute {
    pub fn source(&self) -> String {
        match self {
            AnalyticsRoute::EventStream { stream_arn } => format!("Pinpoint event stream → {stream_arn}"),
            AnalyticsRoute::KpiArchive { windows } => format!("{windows} KPI windows (90 days)"),
            AnalyticsRoute::EmailMetrics => "email engagement".into(),
        }
    }

    pub fn destination(&self) -> String {
        match self {
            AnalyticsRoute::EventStream { .. } => "SES and SMS configuration-set event destinations into the same \
                                                   stream; consumers move to the new event shapes"
                .into(),
            AnalyticsRoute::KpiArchive { .. } => {
                "archived in the engagement file and exported with the reports (CSV/XLSX)".into()
            }
            AnalyticsRoute::EmailMetrics => {
                "SES per-tenant metrics in CloudWatch; Virtual Deliverability Manager".into()
            }
        }
    }
}

/// One client's target tenancy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ClientTenancy {
    pub client: String,
    pub name: String,
    pub ses: Vec<SesTenancy>,
    pub sms: Vec<SmsTenancy>,
    pub connect: ConnectTenancy,
    pub analytics: Vec<AnalyticsRoute>,
    pub tags: BTreeMap<String, String>,
    pub email_health: EmailHealth,
    pub effort: u32,
    pub band: Band,
    /// What each of the client's templates, segments, campaigns and journeys translates to, in a line
    /// (`pinshift translate` and the desktop's preview give the full translation and its proof).
    #[serde(default)]
    pub translations: Vec<TranslationSummary>,
}

/// Days of Customer Profiles data kept unless the tenancy says otherwise (set explicitly: the service's
/// own default for upload jobs is two weeks).
pub const DEFAULT_EXPIRATION_DAYS: u32 = 366;
/// The profile attribute that partitions a shared domain.
pub const PARTITION_ATTRIBUTE: &str = "Attributes.pinshift_client_id";

impl ClientTenancy {
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
