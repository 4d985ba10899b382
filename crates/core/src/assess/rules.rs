//! The rule table: every Pinpoint capability Pinshift recognises, as data. A rule reads fields of one
//! resource kind's raw payload (the paths in its condition, see [`Rule::reads`]), and when they are
//! set produces a finding: the successor, how well it fits, why, what to do, and the effort in points.
//!
//! Conditions are [`When`] values, not code, so the table can be listed (`pinshift assess --rules`),
//! tested rule by rule, and checked against the reference's mapping tables ([`super::coverage`]).

use serde_json::Value;

use super::{Capability, Evidence, Fit, Service};
use crate::estate::ResourceKind;
use crate::estate::path::{find, is_set, number, text};
use crate::templates;

/// A condition on a raw payload. Paths use [`crate::estate::path`] syntax.
#[derive(Debug, Clone, Copy)]
pub enum When {
    /// The field is set (not null or empty).
    Set(&'static str),
    /// The field's text is one of these.
    Is(&'static str, &'static [&'static str]),
    /// The field is set and its text is none of these.
    IsNot(&'static str, &'static [&'static str]),
    /// The field is a number above this.
    Above(&'static str, f64),
    All(&'static [When]),
    Any(&'static [When]),
    /// These template parts call a Handlebars helper not in the list.
    HelpersBeyond(&'static [&'static str], &'static [&'static str]),
    /// These template parts call one of the listed helpers.
    HelpersAmong(&'static [&'static str], &'static [&'static str]),
    /// One of these template parts does not parse as Handlebars.
    Unparseable(&'static [&'static str]),
}

const PREVIEW: usize = 80;

fn evidence(field: String, value: &Value) -> Evidence {
    let mut value = match value {
        Value::Object(_) | Value::Array(_) => value.to_string(),
        other => text(other),
    };
    if value.chars().count() > PREVIEW {
        value = value.chars().take(PREVIEW - 1).collect::<String>() + "…";
    }
    Evidence { field, value }
}

impl When {
    /// The fields that made the condition true, or `None` when it is false.
    pub fn evaluate(&self, raw: &Value) -> Option<Vec<Evidence>> {
        let found = match *self {
            When::Set(path) => {
                find(raw, path).into_iter().filter(|(_, v)| is_set(v)).map(|(p, v)| evidence(p, v)).collect()
            }
            When::Is(path, values) => find(raw, path)
                .into_iter()
                .filter(|(_, v)| values.iter().any(|want| text(v).eq_ignore_ascii_case(want)))
                .map(|(p, v)| evidence(p, v))
                .collect(),
            When::IsNot(path, values) => find(raw, path)
                .into_iter()
                .filter(|(_, v)| is_set(v) && !values.iter().any(|want| text(v).eq_ignore_ascii_case(want)))
                .map(|(p, v)| evidence(p, v))
                .collect(),
            When::Above(path, limit) => find(raw, path)
                .into_iter()
                .filter(|(_, v)| number(v).is_some_and(|n| n > limit))
                .map(|(p, v)| evidence(p, v))
                .collect(),
            When::All(conditions) => {
                let mut all = Vec::new();
                for c in conditions {
                    all.extend(c.evaluate(raw)?);
                }
                all
            }
            When::Any(conditions) => conditions.iter().filter_map(|c| c.evaluate(raw)).flatten().collect(),
            When::HelpersBeyond(parts, allowed) => helpers(raw, parts, |name| !allowed.contains(&name)),
            When::HelpersAmong(parts, listed) => helpers(raw, parts, |name| listed.contains(&name)),
            When::Unparseable(parts) => parts
                .iter()
                .flat_map(|part| find(raw, part))
                .filter_map(|(p, v)| {
                    let source = v.as_str()?;
                    let error = templates::usage(source).err()?;
                    Some(Evidence { field: p, value: error.to_string() })
                })
                .collect(),
        };
        if found.is_empty() { None } else { Some(found) }
    }

    /// Every path the condition reads.
    pub fn reads(&self) -> Vec<&'static str> {
        match *self {
            When::Set(p) | When::Is(p, _) | When::IsNot(p, _) | When::Above(p, _) => vec![p],
            When::All(cs) | When::Any(cs) => cs.iter().flat_map(When::reads).collect(),
            When::HelpersBeyond(parts, _) | When::HelpersAmong(parts, _) | When::Unparseable(parts) => parts.to_vec(),
        }
    }
}

fn helpers(raw: &Value, parts: &[&str], flagged: impl Fn(&str) -> bool) -> Vec<Evidence> {
    let mut out = Vec::new();
    for part in parts {
        for (field, value) in find(raw, part) {
            let Some(source) = value.as_str() else { continue };
            let Ok(usage) = templates::usage(source) else { continue };
            for h in usage.helpers.iter().filter(|h| flagged(&h.name)) {
                out.push(Evidence {
                    field: field.clone(),
                    value: format!(
                        "{{{{{}{}}}}} at line {}, column {}",
                        if h.block { "#" } else { "" },
                        h.name,
                        h.position.line,
                        h.position.column
                    ),
                });
            }
        }
    }
    out
}

/// One row of the rule table.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub kind: ResourceKind,
    pub capability: Capability,
    pub when: When,
    pub service: Service,
    pub successor: &'static str,
    pub fit: Fit,
    pub reason: &'static str,
    pub action: &'static str,
    pub effort: u32,
}

impl Rule {
    /// The Pinpoint fields this rule reads.
    pub fn reads(&self) -> Vec<&'static str> {
        self.when.reads()
    }
}

/// Template parts that hold Handlebars text.
const PARTS: &[&str] = &[
    "Subject",
    "HtmlPart",
    "TextPart",
    "Body",
    "Default.Body",
    "Default.Title",
    "APNS.Body",
    "APNS.Title",
    "GCM.Body",
    "GCM.Title",
    "ADM.Body",
    "ADM.Title",
    "Baidu.Body",
    "Baidu.Title",
];
/// Helpers SES templates support: Handlebars built-ins only.
/// SES renders Handlebars' built-in helpers (its "Advanced email personalization" page points to them).
const SES_HELPERS: &[&str] = crate::templates::HANDLEBARS_BUILT_INS;
const PUSH_PLATFORMS: &[&str] = &["APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "GCM", "BAIDU", "ADM"];
const RECURRING: &[&str] = &["HOURLY", "DAILY", "WEEKLY", "MONTHLY"];

use Capability as C;
use Fit::{Direct, NoSuccessor, Rethink, Transform};
use ResourceKind as K;
use Service as S;

macro_rules! rule {
    ($id:literal, $kind:expr, $cap:expr, $when:expr, $service:expr, $successor:literal, $fit:expr, $effort:literal,
     $reason:literal, $action:literal) => {
        Rule {
            id: $id,
            kind: $kind,
            capability: $cap,
            when: $when,
            service: $service,
            successor: $successor,
            fit: $fit,
            reason: $reason,
            action: $action,
            effort: $effort,
        }
    };
}

/// The table. Ids are stable: decisions, reports and tests refer to them.
pub static RULES: &[Rule] = &[
    // ── Application settings ────────────────────────────────────────────────────────────────────────
    rule!(
        "settings.campaign-hook",
        K::ProjectSettings,
        C::Campaigns,
        When::Any(&[When::Set("CampaignHook.LambdaFunctionName"), When::Set("CampaignHook.WebUrl")]),
        S::None,
        "none (no campaign hook in Outbound Campaigns)",
        NoSuccessor,
        5,
        "Pinpoint calls this function to filter or enrich every campaign's audience; Outbound Campaigns has no hook.",
        "Move the filtering into the segment definition, or into a journey custom action (Lambda)."
    ),
    rule!(
        "settings.limits-daily",
        K::ProjectSettings,
        C::Cadence,
        When::Above("Limits.Daily", 0.0),
        S::OutboundCampaigns,
        "instance communication limits (maxCountPerRecipient per 1 day)",
        Transform,
        1,
        "The project's daily cap per endpoint becomes an instance (or campaign) communication limit.",
        "Pinshift sets it on the client's Connect instance; check it on a shared instance."
    ),
    rule!(
        "settings.limits-total",
        K::ProjectSettings,
        C::Cadence,
        When::Above("Limits.Total", 0.0),
        S::None,
        "none (no lifetime cap per recipient)",
        Rethink,
        2,
        "Connect limits count per 1–30 days; a lifetime cap per endpoint has no equivalent.",
        "Agree a rolling cap (up to 30 days) with the client, or enforce the total in the segment."
    ),
    rule!(
        "settings.limits-session",
        K::ProjectSettings,
        C::Cadence,
        When::Above("Limits.Session", 0.0),
        S::None,
        "none (no per-session cap)",
        Rethink,
        1,
        "Session caps apply to in-app messages, which have no successor.",
        "Drop with the in-app messages, recording the decision."
    ),
    rule!(
        "settings.limits-maximum-duration",
        K::ProjectSettings,
        C::Cadence,
        When::Above("Limits.MaximumDuration", 0.0),
        S::None,
        "none (campaign schedule end time only)",
        Rethink,
        1,
        "Pinpoint stops a campaign run after this many seconds; Outbound Campaigns only has an end time.",
        "Set each campaign's end time to cover it, or accept the difference."
    ),
    rule!(
        "settings.limits-mps",
        K::ProjectSettings,
        C::Cadence,
        When::Above("Limits.MessagesPerSecond", 0.0),
        S::None,
        "none (capacity is a share of instance throughput)",
        Rethink,
        1,
        "A per-project send rate has no successor: SES rates are per account, Connect capacity is a share.",
        "Size the Connect campaign capacity and the SES account rate for the client's peak."
    ),
    rule!(
        "settings.quiet-time",
        K::ProjectSettings,
        C::Cadence,
        When::Set("QuietTime.Start"),
        S::OutboundCampaigns,
        "communication time config: open hours (the inverse window)",
        Transform,
        1,
        "Quiet time becomes open hours per channel on each campaign.",
        "Pinshift converts it; check the time zone settings."
    ),
    rule!(
        "settings.journey-daily-cap",
        K::ProjectSettings,
        C::Cadence,
        When::Above("JourneyLimits.DailyCap", 0.0),
        S::Connect,
        "instance communication limit {n per 1 day}",
        Transform,
        1,
        "The daily journey cap maps to an instance communication limit.",
        "Pinshift sets it."
    ),
    rule!(
        "settings.journey-timeframe-cap",
        K::ProjectSettings,
        C::Cadence,
        When::Set("JourneyLimits.TimeframeCap.Cap"),
        S::Connect,
        "instance communication limit {Cap per Days}",
        Transform,
        1,
        "The timeframe cap maps to an instance communication limit (at most two rules per instance).",
        "Pinshift sets it; a shared instance holds one set of limits for every client on it."
    ),
    rule!(
        "settings.journey-total-cap",
        K::ProjectSettings,
        C::Cadence,
        When::Above("JourneyLimits.TotalCap", 0.0),
        S::None,
        "none (no lifetime journey cap)",
        Rethink,
        1,
        "A lifetime cap on journey messages has no Connect equivalent.",
        "Agree a rolling cap (up to 30 days) with the client."
    ),
    // ── Channels ────────────────────────────────────────────────────────────────────────────────────
    rule!(
        "channel.email",
        K::Channel,
        C::Email,
        When::All(&[When::Is("Platform", &["EMAIL"]), When::Is("Enabled", &["true"])]),
        S::Ses,
        "SES identity + configuration set, associated with the client's tenant",
        Direct,
        2,
        "Pinpoint email is SES underneath: the identity stays; it is associated with the client's tenant.",
        "Review the tenant and its reputation policy in the blueprint."
    ),
    rule!(
        "channel.email-mps",
        K::Channel,
        C::Email,
        When::All(&[When::Is("Platform", &["EMAIL"]), When::Above("MessagesPerSecond", 0.0)]),
        S::Ses,
        "the SES account's sending quota, shared by every tenant",
        Direct,
        0,
        "Pinpoint reports the SES account's sending rate here (it is not a project setting); after the move every client's tenant shares it.",
        "Check that the account's sending quota covers all clients' peaks together."
    ),
    rule!(
        "channel.sms",
        K::Channel,
        C::Sms,
        When::All(&[When::Is("Platform", &["SMS"]), When::Is("Enabled", &["true"])]),
        S::EndUserMessaging,
        "phone pool + configuration set + opt-out list per client",
        Direct,
        2,
        "Numbers and sender IDs are shared with End User Messaging and keep working; Pinshift isolates them per client.",
        "Review the client's pools and opt-out list in the blueprint."
    ),
    rule!(
        "channel.sms-short-code",
        K::Channel,
        C::Origination,
        When::Set("ShortCode"),
        S::EndUserMessaging,
        "pool membership of the short code",
        Rethink,
        3,
        "Short codes cannot be requested through the API; moving one is a support case.",
        "Open the support case early; short-code changes take weeks."
    ),
    rule!(
        "channel.voice",
        K::Channel,
        C::Voice,
        When::All(&[When::Is("Platform", &["VOICE"]), When::Is("Enabled", &["true"])]),
        S::EndUserMessaging,
        "SendVoiceMessage (End User Messaging voice)",
        Direct,
        1,
        "The voice channel continues under End User Messaging.",
        "No action beyond the SMS pools in the blueprint."
    ),
    rule!(
        "channel.push",
        K::Channel,
        C::Push,
        When::All(&[When::Is("Platform", PUSH_PLATFORMS), When::Is("Enabled", &["true"])]),
        S::EndUserMessaging,
        "push channel on the same project (End User Messaging push APIs)",
        Rethink,
        3,
        "Push keeps working for direct sends, but credentials cannot be read back and campaigns cannot send push.",
        "Keep the project for push; re-enter credentials where needed; send campaign push through a journey custom action."
    ),
    // ── Segments ────────────────────────────────────────────────────────────────────────────────────
    rule!(
        "segment.dimensional",
        K::Segment,
        C::Segments,
        When::Is("SegmentType", &["DIMENSIONAL"]),
        S::CustomerProfiles,
        "segment definition",
        Transform,
        2,
        "Dimensional criteria become profile-attribute dimensions.",
        "Pinshift converts it; compare the estimate."
    ),
    rule!(
        "segment.imported",
        K::Segment,
        C::Segments,
        When::Is("SegmentType", &["IMPORT"]),
        S::CustomerProfiles,
        "CSV upload job (explicit DataExpiry) + segment definition",
        Transform,
        2,
        "Imported segments are re-imported as a profile upload with dot-free headers.",
        "Pinshift plans the upload; set the data expiry on purpose (the default is 2 weeks)."
    ),
    rule!(
        "segment.gps",
        K::Segment,
        C::Segments,
        When::Any(&[
            When::Set("Dimensions.Location.GPSPoint"),
            When::Set("SegmentGroups.Groups[].Dimensions[].Location.GPSPoint")
        ]),
        S::None,
        "none (no GPS-radius dimension)",
        NoSuccessor,
        3,
        "Customer Profiles segments cannot select by distance from a point.",
        "Precompute an area or distance attribute per profile and segment on it."
    ),
    rule!(
        "segment.recency",
        K::Segment,
        C::Segments,
        When::Any(&[
            When::Set("Dimensions.Behavior.Recency"),
            When::Set("SegmentGroups.Groups[].Dimensions[].Behavior.Recency")
        ]),
        S::CustomerProfiles,
        "calculated attribute (last occurrence) + dimension",
        Rethink,
        3,
        "Recency needs activity events in Customer Profiles and a calculated attribute.",
        "Ingest the app events into profiles and define the calculated attribute."
    ),
    rule!(
        "segment.demographic",
        K::Segment,
        C::Segments,
        When::Any(&[When::Set("Dimensions.Demographic"), When::Set("SegmentGroups.Groups[].Dimensions[].Demographic")]),
        S::CustomerProfiles,
        "profile attributes imported from endpoint demographics",
        Transform,
        2,
        "Device fields (platform, model, app version, channel) become custom profile attributes.",
        "Pinshift maps them when it imports endpoints; check the segment's estimate."
    ),
    rule!(
        "segment.metrics",
        K::Segment,
        C::Segments,
        When::Any(&[When::Set("Dimensions.Metrics"), When::Set("SegmentGroups.Groups[].Dimensions[].Metrics")]),
        S::CustomerProfiles,
        "calculated attribute",
        Rethink,
        2,
        "Endpoint metrics have no profile field; a calculated attribute stands in.",
        "Define the calculated attribute, then the dimension on it."
    ),
    rule!(
        "segment.source-segments",
        K::Segment,
        C::Segments,
        When::Set("SegmentGroups.Groups[].SourceSegments[]"),
        S::CustomerProfiles,
        "SourceSegments by segment definition name",
        Transform,
        1,
        "Segments built on other segments keep that shape.",
        "Pinshift orders the creation."
    ),
    // ── Campaigns ───────────────────────────────────────────────────────────────────────────────────
    rule!(
        "campaign.definition",
        K::Campaign,
        C::Campaigns,
        When::Set("Schedule.Frequency"),
        S::OutboundCampaigns,
        "Outbound Campaigns v2 campaign (MANAGED), created unstarted",
        Transform,
        3,
        "Campaigns are recreated in Outbound Campaigns and started by a person.",
        "Review the converted campaign."
    ),
    rule!(
        "campaign.ab-treatments",
        K::Campaign,
        C::Campaigns,
        When::Set("AdditionalTreatments[]"),
        S::Connect,
        "journey flow with a percentage split (campaigns have none)",
        Rethink,
        5,
        "A/B treatments have no campaign equivalent; only a journey flow can split traffic.",
        "Choose a winning treatment, or rebuild the test as a journey with a percentage split."
    ),
    rule!(
        "campaign.holdout",
        K::Campaign,
        C::Campaigns,
        When::Above("HoldoutPercent", 0.0),
        S::Connect,
        "journey flow percentage split",
        Rethink,
        3,
        "Holdout groups exist only as journey percentage splits.",
        "Decide whether the holdout is still needed."
    ),
    rule!(
        "campaign.hook",
        K::Campaign,
        C::Campaigns,
        When::Any(&[When::Set("Hook.LambdaFunctionName"), When::Set("Hook.WebUrl")]),
        S::None,
        "none (no campaign hook)",
        NoSuccessor,
        5,
        "This campaign's audience passes through a hook that Outbound Campaigns cannot call.",
        "Move the filter into the segment, or use a journey custom action."
    ),
    rule!(
        "campaign.recurring",
        K::Campaign,
        C::Campaigns,
        When::Is("Schedule.Frequency", RECURRING),
        S::OutboundCampaigns,
        "none (refreshFrequency re-evaluates the segment; no recurrence)",
        Rethink,
        3,
        "Outbound Campaigns has no recurring schedule.",
        "Run it as one long campaign with a segment refresh, or schedule new campaigns from outside."
    ),
    rule!(
        "campaign.event-triggered",
        K::Campaign,
        C::Campaigns,
        When::Is("Schedule.Frequency", &["EVENT"]),
        S::CustomerProfiles,
        "Customer Profiles event trigger + campaign source.eventTrigger",
        Rethink,
        4,
        "Events must reach Customer Profiles before they can trigger a campaign.",
        "Route the app's events into profiles, then define the event trigger."
    ),
    rule!(
        "campaign.in-app",
        K::Campaign,
        C::InApp,
        When::Any(&[
            When::Is("Schedule.Frequency", &["IN_APP_EVENT"]),
            When::Set("TemplateConfiguration.InAppTemplate"),
            When::Set("MessageConfiguration.InAppMessage")
        ]),
        S::None,
        "none (mobile in-app messaging has no successor)",
        NoSuccessor,
        5,
        "AWS offers no mobile in-app messaging after Pinpoint (web notifications only).",
        "Choose a third-party in-app tool or drop the campaign; record the decision."
    ),
    rule!(
        "campaign.push",
        K::Campaign,
        C::Push,
        When::Any(&[
            When::Set("TemplateConfiguration.PushTemplate"),
            When::Set("MessageConfiguration.APNSMessage"),
            When::Set("MessageConfiguration.GCMMessage"),
            When::Set("MessageConfiguration.DefaultPushNotificationMessage"),
            When::Set("MessageConfiguration.ADMMessage"),
            When::Set("MessageConfiguration.BaiduMessage")
        ]),
        S::Connect,
        "journey custom action (Lambda) sending push",
        Rethink,
        4,
        "Outbound Campaigns cannot send push; only a journey custom action can.",
        "Build the push send as a Lambda custom action in a journey flow."
    ),
    rule!(
        "campaign.custom-delivery",
        K::Campaign,
        C::CustomChannel,
        When::Any(&[
            When::Set("CustomDeliveryConfiguration.DeliveryUri"),
            When::Set("MessageConfiguration.CustomMessage")
        ]),
        S::Connect,
        "journey custom action (Lambda); not available in campaigns",
        Rethink,
        4,
        "Custom channels exist for journeys only.",
        "Rebuild as a journey with a custom action."
    ),
    rule!(
        "campaign.limits-daily",
        K::Campaign,
        C::Cadence,
        When::Above("Limits.Daily", 0.0),
        S::OutboundCampaigns,
        "communicationLimitsOverride {n per 1 day}",
        Transform,
        1,
        "The campaign's daily cap maps directly.",
        "Pinshift converts it."
    ),
    rule!(
        "campaign.limits-total",
        K::Campaign,
        C::Cadence,
        When::Above("Limits.Total", 0.0),
        S::None,
        "none",
        Rethink,
        1,
        "A lifetime cap per endpoint has no equivalent.",
        "Agree a rolling cap (up to 30 days), or accept the difference."
    ),
    rule!(
        "campaign.limits-session",
        K::Campaign,
        C::Cadence,
        When::Above("Limits.Session", 0.0),
        S::None,
        "none",
        Rethink,
        1,
        "Session caps belong to in-app messaging, which has no successor.",
        "Drop with the in-app campaign."
    ),
    rule!(
        "campaign.limits-maximum-duration",
        K::Campaign,
        C::Cadence,
        When::Above("Limits.MaximumDuration", 0.0),
        S::None,
        "none (end time only)",
        Rethink,
        1,
        "Outbound Campaigns stops at an end time, not after a duration.",
        "Set the end time to cover it."
    ),
    rule!(
        "campaign.limits-mps",
        K::Campaign,
        C::Cadence,
        When::Above("Limits.MessagesPerSecond", 0.0),
        S::None,
        "none (capacity is a share of instance throughput)",
        Rethink,
        1,
        "A per-campaign send rate has no successor.",
        "Set the campaign capacity share instead."
    ),
    rule!(
        "campaign.quiet-time",
        K::Campaign,
        C::Cadence,
        When::Set("Schedule.QuietTime.Start"),
        S::OutboundCampaigns,
        "communicationTimeConfig open hours",
        Transform,
        1,
        "Quiet time becomes open hours.",
        "Pinshift converts it."
    ),
    rule!(
        "campaign.local-time",
        K::Campaign,
        C::Cadence,
        When::Is("Schedule.IsLocalTime", &["true"]),
        S::OutboundCampaigns,
        "localTimeZoneConfig (detection by area code or ZIP code)",
        Transform,
        1,
        "Pinpoint used each endpoint's Demographic.Timezone; Connect detects the zone from the phone or postal code.",
        "Check that profiles carry phone numbers or postal codes."
    ),
    rule!(
        "campaign.inline-email",
        K::Campaign,
        C::Templates,
        When::Set("MessageConfiguration.EmailMessage"),
        S::QInConnect,
        "message template made from the inline message",
        Transform,
        2,
        "Outbound Campaigns sends templates only; the inline message becomes one.",
        "Pinshift converts it."
    ),
    rule!(
        "campaign.inline-sms",
        K::Campaign,
        C::Templates,
        When::Set("MessageConfiguration.SMSMessage.Body"),
        S::QInConnect,
        "SMS message template made from the inline message",
        Transform,
        1,
        "Outbound Campaigns sends templates only; the inline message becomes one.",
        "Pinshift converts it."
    ),
    rule!(
        "campaign.india-dlt",
        K::Campaign,
        C::Sms,
        When::Any(&[
            When::Set("MessageConfiguration.SMSMessage.EntityId"),
            When::Set("MessageConfiguration.SMSMessage.TemplateId")
        ]),
        S::EndUserMessaging,
        "DestinationCountryParameters IN_ENTITY_ID / IN_TEMPLATE_ID",
        Transform,
        1,
        "India DLT identifiers move to the send request.",
        "Carry them in the sending configuration."
    ),
    // ── Journeys ────────────────────────────────────────────────────────────────────────────────────
    rule!(
        "journey.flow",
        K::Journey,
        C::Journeys,
        When::Set("Activities"),
        S::Connect,
        "flow (type CAMPAIGN, saved as draft) + campaign of type JOURNEY",
        Rethink,
        5,
        "Journeys are rebuilt as Connect campaign flows; Pinshift drafts the flow, a person reviews it.",
        "Review the drafted flow block by block before publishing."
    ),
    rule!(
        "journey.wait",
        K::Journey,
        C::Journeys,
        When::Set("Activities.*.Wait"),
        S::Connect,
        "wait block",
        Transform,
        1,
        "Waits map to flow wait blocks.",
        "Pinshift converts them."
    ),
    rule!(
        "journey.conditional-split",
        K::Journey,
        C::Journeys,
        When::Any(&[When::Set("Activities.*.ConditionalSplit"), When::Set("Activities.*.MultiCondition")]),
        S::Connect,
        "check-profile / condition blocks",
        Transform,
        2,
        "Splits on events or segment dimensions become condition blocks; event conditions need events in profiles.",
        "Review each condition in the drafted flow."
    ),
    rule!(
        "journey.random-split",
        K::Journey,
        C::Journeys,
        When::Set("Activities.*.RandomSplit"),
        S::Connect,
        "percentage split block",
        Transform,
        1,
        "Random splits map to percentage splits.",
        "Pinshift converts them."
    ),
    rule!(
        "journey.holdout",
        K::Journey,
        C::Journeys,
        When::Set("Activities.*.Holdout"),
        S::Connect,
        "percentage split block with an exit branch",
        Transform,
        1,
        "A holdout becomes a percentage split whose held-out branch ends.",
        "Pinshift converts it."
    ),
    rule!(
        "journey.custom-activity",
        K::Journey,
        C::CustomChannel,
        When::Set("Activities.*.CUSTOM"),
        S::Connect,
        "custom action block (Lambda)",
        Rethink,
        3,
        "Custom activities call a Lambda or webhook; Connect needs a Lambda custom action.",
        "Wrap the webhook in a Lambda with the Outbound Campaigns payload."
    ),
    rule!(
        "journey.push-activity",
        K::Journey,
        C::Push,
        When::Set("Activities.*.PUSH"),
        S::Connect,
        "custom action block (Lambda) sending push",
        Rethink,
        4,
        "Push in journeys works only through a Lambda custom action and a device-token store.",
        "Build the push Lambda; plan where device tokens live."
    ),
    rule!(
        "journey.contact-center",
        K::Journey,
        C::Journeys,
        When::Set("Activities.*.ContactCenter"),
        S::Connect,
        "telephony channel subtype (progressive, predictive, preview or agentless)",
        Transform,
        3,
        "Calls placed through Connect Campaigns v1 move to the v2 telephony subtype.",
        "Choose the dialing mode and queue."
    ),
    rule!(
        "journey.event-start",
        K::Journey,
        C::Journeys,
        When::Set("StartCondition.EventStartCondition"),
        S::CustomerProfiles,
        "event trigger + campaign source.eventTrigger",
        Rethink,
        3,
        "Event-started journeys need the events in Customer Profiles.",
        "Route the events into profiles, then define the event trigger."
    ),
    rule!(
        "journey.open-hours",
        K::Journey,
        C::Cadence,
        When::Set("OpenHours"),
        S::OutboundCampaigns,
        "communicationTimeConfig openHours.dailyHours",
        Transform,
        1,
        "Open hours map per channel.",
        "Pinshift converts them."
    ),
    rule!(
        "journey.closed-days",
        K::Journey,
        C::Cadence,
        When::Set("ClosedDays"),
        S::OutboundCampaigns,
        "communicationTimeConfig restrictedPeriods",
        Transform,
        1,
        "Closed days map to restricted periods.",
        "Pinshift converts them."
    ),
    rule!(
        "journey.quiet-time",
        K::Journey,
        C::Cadence,
        When::Set("QuietTime.Start"),
        S::OutboundCampaigns,
        "communicationTimeConfig open hours",
        Transform,
        1,
        "Quiet time becomes open hours.",
        "Pinshift converts it."
    ),
    rule!(
        "journey.reentry",
        K::Journey,
        C::Cadence,
        When::Any(&[When::Set("Limits.EndpointReentryCap"), When::Set("Limits.EndpointReentryInterval")]),
        S::OutboundCampaigns,
        "entryLimitsConfig maxEntryCount / minEntryInterval",
        Transform,
        1,
        "Re-entry limits map directly.",
        "Pinshift converts them."
    ),
    rule!(
        "journey.limits-daily",
        K::Journey,
        C::Cadence,
        When::Above("Limits.DailyCap", 0.0),
        S::OutboundCampaigns,
        "communicationLimitsOverride {n per 1 day}",
        Transform,
        1,
        "The journey's daily cap maps to a campaign limit.",
        "Pinshift converts it."
    ),
    rule!(
        "journey.limits-mps",
        K::Journey,
        C::Cadence,
        When::Above("Limits.MessagesPerSecond", 0.0),
        S::None,
        "none (capacity share)",
        Rethink,
        1,
        "A per-journey send rate has no successor.",
        "Set the campaign capacity share instead."
    ),
    rule!(
        "journey.refresh",
        K::Journey,
        C::Segments,
        When::Set("RefreshFrequency"),
        S::OutboundCampaigns,
        "schedule.refreshFrequency",
        Transform,
        1,
        "Segment refreshes map to the campaign's refresh frequency.",
        "Pinshift converts it."
    ),
    rule!(
        "journey.timezone-estimation",
        K::Journey,
        C::Cadence,
        When::Set("TimezoneEstimationMethods[]"),
        S::OutboundCampaigns,
        "localTimeZoneDetection AREA_CODE / ZIP_CODE",
        Transform,
        1,
        "Phone-number and postal-code estimation map to area-code and ZIP-code detection.",
        "Pinshift converts it."
    ),
    // ── Event stream and jobs ───────────────────────────────────────────────────────────────────────
    rule!(
        "event-stream.consumers",
        K::EventStream,
        C::Analytics,
        When::Set("DestinationStreamArn"),
        S::Analytics,
        "SES and SMS configuration-set event destinations (Firehose / EventBridge)",
        Rethink,
        4,
        "The Pinpoint event schema (_email.*, _SMS.*, _campaign.*) ends; consumers of this stream must read the new events.",
        "List the stream's consumers and plan their move to the new event shapes."
    ),
    rule!(
        "import-job.pipeline",
        K::ImportJob,
        C::Audience,
        When::Set("Definition.S3Url"),
        S::CustomerProfiles,
        "S3 integration or upload job into the client's domain",
        Rethink,
        2,
        "An upstream pipeline imports endpoints into Pinpoint; it must feed Customer Profiles instead.",
        "Find the job's owner and re-point the pipeline."
    ),
    // ── Templates ───────────────────────────────────────────────────────────────────────────────────
    rule!(
        "template.email",
        K::Template,
        C::Templates,
        When::Is("TemplateType", &["EMAIL"]),
        S::Ses,
        "SES template associated with the tenant, and/or a Q in Connect email template",
        Transform,
        1,
        "Email templates are rewritten for SES and Connect (variables, defaults, headers).",
        "Pinshift converts them."
    ),
    rule!(
        "template.sms",
        K::Template,
        C::Templates,
        When::Is("TemplateType", &["SMS"]),
        S::QInConnect,
        "Q in Connect SMS template (End User Messaging has no stored templates)",
        Transform,
        1,
        "SMS templates become Connect message templates; direct sends carry the body.",
        "Pinshift converts them."
    ),
    rule!(
        "template.push",
        K::Template,
        C::Templates,
        When::Is("TemplateType", &["PUSH"]),
        S::QInConnect,
        "Q in Connect push template",
        Transform,
        2,
        "Push templates become Connect push templates, used from journey custom actions.",
        "Pinshift converts them."
    ),
    rule!(
        "template.voice",
        K::Template,
        C::Voice,
        When::Is("TemplateType", &["VOICE"]),
        S::None,
        "none (Connect flows and prompts instead)",
        NoSuccessor,
        3,
        "Voice templates have no successor.",
        "Rebuild the message as a Connect flow prompt."
    ),
    rule!(
        "template.in-app",
        K::Template,
        C::InApp,
        When::Is("TemplateType", &["INAPP"]),
        S::None,
        "none (mobile in-app has no successor)",
        NoSuccessor,
        3,
        "In-app templates have no successor.",
        "Decide with the in-app campaigns."
    ),
    rule!(
        "template.helpers-ses",
        K::Template,
        C::Templates,
        When::All(&[When::Is("TemplateType", &["EMAIL"]), When::HelpersBeyond(PARTS, SES_HELPERS)]),
        S::Ses,
        "SES template (built-in helpers only)",
        Rethink,
        2,
        "The template calls Pinpoint helpers SES does not have.",
        "Compute the values in TemplateData before sending, or send through Connect."
    ),
    rule!(
        "template.helpers-connect",
        K::Template,
        C::Templates,
        When::HelpersAmong(PARTS, &["with"]),
        S::QInConnect,
        "Q in Connect template (no `with` helper)",
        Transform,
        1,
        "Connect templates do not support `with`.",
        "Pinshift rewrites a with block without else into full paths; one with an else needs a person."
    ),
    rule!(
        "template.default-substitutions",
        K::Template,
        C::Templates,
        When::Set("DefaultSubstitutions"),
        S::QInConnect,
        "defaultAttributes (Connect) / {{#if}} fallbacks (SES)",
        Transform,
        1,
        "SES has no server-side defaults; Connect has defaultAttributes.",
        "Pinshift converts them."
    ),
    rule!(
        "template.email-headers",
        K::Template,
        C::Templates,
        When::Set("Headers[]"),
        S::Ses,
        "headers set at send time (SendEmail)",
        Transform,
        1,
        "SES stores no headers with a template.",
        "Add the headers to the sending configuration."
    ),
    rule!(
        "template.recommender",
        K::Template,
        C::Recommenders,
        When::Set("RecommenderId"),
        S::None,
        "none (no template-level recommendations)",
        NoSuccessor,
        4,
        "The template pulls Amazon Personalize recommendations at send time; no successor does.",
        "Fetch recommendations in the sending application and pass them as template data."
    ),
    rule!(
        "template.unparseable",
        K::Template,
        C::Templates,
        When::Unparseable(PARTS),
        S::None,
        "none until fixed",
        Rethink,
        2,
        "A template part does not parse as Handlebars.",
        "Fix the template; the evidence gives line and column."
    ),
    rule!(
        "recommender.personalize",
        K::Recommender,
        C::Recommenders,
        When::Set("RecommendationProviderUri"),
        S::CustomerProfiles,
        "Customer Profiles recommender (partial)",
        Rethink,
        5,
        "Customer Profiles recommenders cover part of this; nothing fills templates with recommendations.",
        "Decide whether the Personalize campaign stays and who calls it."
    ),
    // ── SES resources ───────────────────────────────────────────────────────────────────────────────
    rule!(
        "email-identity.carry",
        K::EmailIdentity,
        C::Email,
        When::Set("IdentityType"),
        S::Ses,
        "the same identity, associated with the client's tenant",
        Direct,
        1,
        "The identity stays verified; it is associated with the tenant.",
        "Pinshift associates it."
    ),
    rule!(
        "email-identity.unverified",
        K::EmailIdentity,
        C::Email,
        When::Is("VerifiedForSendingStatus", &["false"]),
        S::Ses,
        "identity verification (DNS records)",
        Rethink,
        2,
        "The identity cannot send until its DNS records verify.",
        "Ask the client's DNS owner to publish the records."
    ),
    rule!(
        "email-config-set.carry",
        K::EmailConfigurationSet,
        C::Email,
        When::Set("ConfigurationSetName"),
        S::Ses,
        "configuration set associated with the tenant",
        Direct,
        1,
        "The configuration set is associated with the tenant.",
        "Pinshift associates it."
    ),
    rule!(
        "email-config-set.pinpoint-destination",
        K::EmailConfigurationSet,
        C::Analytics,
        When::Set("EventDestinations[].PinpointDestination"),
        S::Analytics,
        "Firehose / EventBridge event destination",
        Transform,
        1,
        "Event destinations into Pinpoint stop working.",
        "Replace them with Firehose or EventBridge destinations."
    ),
    // ── SMS and voice v2 resources ──────────────────────────────────────────────────────────────────
    rule!(
        "phone-number.pool",
        K::PhoneNumber,
        C::Origination,
        When::Set("PhoneNumber"),
        S::EndUserMessaging,
        "member of the client's pool (the same number)",
        Direct,
        1,
        "Numbers are shared with End User Messaging; nothing is re-provisioned.",
        "Pinshift adds it to the client's pool."
    ),
    rule!(
        "phone-number.pending",
        K::PhoneNumber,
        C::Origination,
        When::IsNot("Status", &["ACTIVE"]),
        S::EndUserMessaging,
        "number activation (registration)",
        Rethink,
        2,
        "The number is not active yet.",
        "Finish its registration before cut-over."
    ),
    rule!(
        "phone-number.two-way",
        K::PhoneNumber,
        C::Sms,
        When::Is("TwoWayEnabled", &["true"]),
        S::EndUserMessaging,
        "TwoWayChannelArn on the pool",
        Transform,
        1,
        "Two-way messaging moves to the pool's two-way channel.",
        "Pinshift sets it; check the destination."
    ),
    rule!(
        "sender-id.carry",
        K::SenderId,
        C::Origination,
        When::Set("SenderId"),
        S::EndUserMessaging,
        "pool member / configuration set default sender ID",
        Direct,
        1,
        "Sender IDs are shared with End User Messaging.",
        "Pinshift adds it to the client's pool."
    ),
    rule!(
        "pool.carry",
        K::Pool,
        C::Origination,
        When::Set("PoolId"),
        S::EndUserMessaging,
        "the client's pool",
        Direct,
        1,
        "The pool is kept, or its numbers move to per-client pools.",
        "Review the SMS pools in the blueprint."
    ),
    rule!(
        "opt-out-list.carry",
        K::OptOutList,
        C::Audience,
        When::Set("OptOutListName"),
        S::EndUserMessaging,
        "the client's opt-out list, every number carried",
        Direct,
        1,
        "Opted-out numbers must stay opted out: 100% carried and reconciled.",
        "Pinshift copies and counts them."
    ),
    rule!(
        "sms-config-set.carry",
        K::SmsConfigurationSet,
        C::Sms,
        When::Set("ConfigurationSetName"),
        S::EndUserMessaging,
        "the client's configuration set (default sender ID, event destination)",
        Direct,
        1,
        "Configuration sets carry over.",
        "Pinshift associates it."
    ),
    rule!(
        "registration.incomplete",
        K::Registration,
        C::Origination,
        When::IsNot("RegistrationStatus", &["COMPLETE"]),
        S::EndUserMessaging,
        "registration (carrier review)",
        Rethink,
        3,
        "The registration is not complete; carrier review takes weeks.",
        "Finish it with the client's brand data."
    ),
    // ── Audience (from profiling) ───────────────────────────────────────────────────────────────────
    rule!(
        "audience.profiles",
        K::AudienceProfile,
        C::Audience,
        When::Above("endpoints", 0.0),
        S::CustomerProfiles,
        "profiles (object type mapping, explicit expiry)",
        Transform,
        3,
        "Endpoints become profiles grouped by user id, with an explicit expiry.",
        "Pinshift plans the import."
    ),
    rule!(
        "audience.without-user-id",
        K::AudienceProfile,
        C::Audience,
        When::Above("without_user_id", 0.0),
        S::CustomerProfiles,
        "profiles keyed by a synthetic id",
        Rethink,
        2,
        "Endpoints without a user id are silently skipped by AWS's own script.",
        "Decide their key (address or endpoint id); Pinshift never drops them."
    ),
    rule!(
        "audience.multi-value",
        K::AudienceProfile,
        C::Audience,
        When::Above("attributes[].multi_valued", 0.0),
        S::CustomerProfiles,
        "flattened attributes (key_1, key_2…)",
        Transform,
        1,
        "Multi-valued attributes are flattened; segments on them change shape.",
        "Check segments that use them."
    ),
    rule!(
        "audience.opt-outs",
        K::AudienceProfile,
        C::Audience,
        When::Above("opted_out", 0.0),
        S::EndUserMessaging,
        "opt-out list numbers and the tenant's suppression list",
        Direct,
        1,
        "Opted-out endpoints must stay opted out after the move.",
        "Pinshift carries and reconciles them."
    ),
    rule!(
        "audience.shared",
        K::AudienceProfile,
        C::Audience,
        When::Above("shared_with.*", 0.0),
        S::CustomerProfiles,
        "one profile per client domain",
        Rethink,
        1,
        "Some addresses are also endpoints of other clients.",
        "Confirm each client keeps its own copy."
    ),
];

#[cfg(test)]
mod tests;
