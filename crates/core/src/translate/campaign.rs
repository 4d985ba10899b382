//! Campaigns → Outbound Campaigns v2 definitions (`CreateCampaign`, type MANAGED, created unstarted).
//!
//! The schedule, the communication time (quiet time and local time), communication limits, the channel
//! subtypes and their message templates carry over; what Outbound Campaigns has no field for — total,
//! session and duration limits, sending rates, hooks, recurring frequencies, A/B treatments and holdouts,
//! push and custom channels — is reported, never dropped silently. Inline messages become Q in Connect
//! templates of their own (translated like any template).

use crate::target::TargetKind;
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::segment::definition_name;
use super::timing::{iana_zone, limit, open_hours_from_quiet_time};
use super::{Loss, Reference, Severity, target_name};
use crate::profile::ProfileMapping;
use crate::translate::template::convert::Target;
use crate::translate::template::{TemplateTranslation, translate as translate_template};

/// What a campaign's translation needs from its client's placement and project.
#[derive(Debug, Clone)]
pub struct CampaignContext<'a> {
    /// The Connect instance alias.
    pub instance: String,
    /// The Customer Profiles domain (event triggers name it).
    pub domain: String,
    /// Prefix for names in a shared instance (the client id).
    pub prefix: Option<String>,
    /// Pinpoint segment id → name.
    pub segment_names: &'a BTreeMap<String, String>,
    /// The project's settings (`GetApplicationSettings`): its limits, quiet time and hook apply when the
    /// campaign sets none.
    pub settings: Option<&'a Value>,
    /// The project's email channel `FromAddress`.
    pub email_from: Option<String>,
    /// A phone number the client owns alone (its SMS pool's), to send SMS from.
    pub sms_number: Option<String>,
    pub mapping: &'a ProfileMapping,
    /// When the translation is made (a start time of `IMMEDIATE` becomes it).
    pub now: jiff::Timestamp,
}

/// A campaign translated.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CampaignTranslation {
    pub campaign_id: String,
    pub name: String,
    pub version: String,
    /// `false` when the campaign has no successor (in-app).
    pub created: bool,
    /// The `CreateCampaign` request.
    #[ts(type = "unknown")]
    pub definition: Value,
    /// Templates to create for messages the campaign held inline.
    pub templates: Vec<TemplateTranslation>,
    pub references: Vec<Reference>,
    pub losses: Vec<Loss>,
}

/// A message template's name in Q in Connect (client-prefixed in a shared instance).
pub fn template_name(prefix: Option<&str>, name: &str) -> String {
    target_name(prefix, name, 255)
}

/// A schedule time as Outbound Campaigns v2 reads it: the wall-clock time in the campaign's zone ("a
/// timestamp with no UTC offset or timezone", say the API docs), written as the model's `iso8601`
/// timestamp — which needs a designator, so it carries `Z` as every SDK writes it; the service reads the
/// digits.
pub fn schedule_time(ts: jiff::Timestamp, zone: Option<&str>) -> String {
    let tz = zone.and_then(|z| jiff::tz::TimeZone::get(z).ok()).unwrap_or(jiff::tz::TimeZone::UTC);
    ts.to_zoned(tz).datetime().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The email subtype: agentless, from `from`, with the message template `template`.
pub(super) fn email_channel(
    channels: &mut Map<String, Value>,
    refs: &mut Vec<Reference>,
    from: &str,
    template: String,
) {
    let tpl = Reference::new(
        "channelSubtypeConfig.email.defaultOutboundConfig.wisdomTemplateArn",
        TargetKind::MessageTemplate,
        template,
    );
    // The field takes the address itself; the reference says the instance must have it first.
    let address = Reference::new(
        "channelSubtypeConfig.email.defaultOutboundConfig.connectSourceEmailAddress",
        TargetKind::ConnectEmailAddress,
        from,
    );
    channels.insert(
        "email".into(),
        json!({"outboundMode": {"agentless": {}}, "defaultOutboundConfig": {"connectSourceEmailAddress": from, "wisdomTemplateArn": tpl.placeholder()}}),
    );
    refs.extend([address, tpl]);
}

/// The SMS subtype: agentless, from the phone number `number`, with the message template `template`.
pub(super) fn sms_channel(
    channels: &mut Map<String, Value>,
    refs: &mut Vec<Reference>,
    number: String,
    template: String,
) {
    let phone = Reference::new(
        "channelSubtypeConfig.sms.defaultOutboundConfig.connectSourcePhoneNumberArn",
        TargetKind::ConnectPhoneNumber,
        number,
    );
    let tpl = Reference::new(
        "channelSubtypeConfig.sms.defaultOutboundConfig.wisdomTemplateArn",
        TargetKind::MessageTemplate,
        template,
    );
    channels.insert(
        "sms".into(),
        json!({"outboundMode": {"agentless": {}}, "defaultOutboundConfig": {"connectSourcePhoneNumberArn": phone.placeholder(), "wisdomTemplateArn": tpl.placeholder()}}),
    );
    refs.extend([phone, tpl]);
}

/// An event trigger on the client's Customer Profiles domain as the source; returns the event types
/// `filter` names, for the report.
pub(super) fn event_source(
    def: &mut Map<String, Value>,
    refs: &mut Vec<Reference>,
    domain: &str,
    filter: &Value,
) -> String {
    let domain = Reference::new("source.eventTrigger.customerProfilesDomainArn", TargetKind::ProfilesDomain, domain);
    def.insert("source".into(), json!({"eventTrigger": {"customerProfilesDomainArn": domain.placeholder()}}));
    refs.push(domain);
    crate::estate::path::find(filter, "Dimensions.EventType.Values[]")
        .into_iter()
        .map(|(_, v)| crate::templates::value::text(Some(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The segment definition `definition` as the source.
pub(super) fn segment_source(def: &mut Map<String, Value>, refs: &mut Vec<Reference>, definition: String) {
    let seg = Reference::new("source.customerProfilesSegmentArn", TargetKind::SegmentDefinition, definition);
    def.insert("source".into(), json!({"customerProfilesSegmentArn": seg.placeholder()}));
    refs.push(seg);
}

/// The quiet time that applies: the resource's own (at `at`), else the project settings'.
pub(super) fn quiet_time<'v>(
    own: &'v Value,
    at: &'static str,
    settings: Option<&'v Value>,
) -> Option<(&'v Value, &'static str)> {
    let has_start = |q: &&Value| q.get("Start").is_some();
    own.get("QuietTime")
        .filter(has_start)
        .map(|q| (q, at))
        .or_else(|| settings.and_then(|s| s.get("QuietTime")).filter(has_start).map(|q| (q, "settings QuietTime")))
}

/// `communicationTimeConfig` from the windows by channel and the zone settings (UTC unless a zone was
/// given), when there is any.
pub(super) fn communication_time(
    def: &mut Map<String, Value>,
    mut time: Map<String, Value>,
    mut local: Map<String, Value>,
) {
    if time.is_empty() && local.is_empty() {
        return;
    }
    local.entry("defaultTimeZone").or_insert_with(|| json!("UTC"));
    time.insert("localTimeZoneConfig".into(), Value::Object(local));
    def.insert("communicationTimeConfig".into(), Value::Object(time));
}

/// Translates one campaign (its `GetCampaign` payload).
pub fn translate(raw: &Value, ctx: &CampaignContext<'_>) -> CampaignTranslation {
    let name = raw["Name"].as_str().unwrap_or_default().to_owned();
    let mut t = CampaignTranslation {
        campaign_id: raw["Id"].as_str().unwrap_or_default().to_owned(),
        version: crate::templates::value::text(raw.get("Version")),
        name: name.clone(),
        created: true,
        definition: Value::Null,
        templates: Vec::new(),
        references: Vec::new(),
        losses: Vec::new(),
    };
    let schedule = &raw["Schedule"];
    let frequency = schedule["Frequency"].as_str().unwrap_or("ONCE");
    if frequency == "IN_APP_EVENT"
        || raw["TemplateConfiguration"].get("InAppTemplate").is_some_and(Value::is_object)
        || raw["MessageConfiguration"].get("InAppMessage").is_some_and(Value::is_object)
    {
        t.created = false;
        t.losses.push(
            Loss::new(
                Severity::Loss,
                "in-app campaign",
                "Schedule.Frequency",
                "in-app messaging has no successor; the campaign is not created",
            )
            .suggest("decide with the app team (web notifications cover web pages only)"),
        );
        return t;
    }
    let prefix = ctx.prefix.as_deref();
    let mut def = Map::new();
    def.insert("name".into(), json!(target_name(prefix, &name, 127)));
    let instance = Reference::new("connectInstanceId", TargetKind::ConnectInstance, ctx.instance.clone());
    def.insert("connectInstanceId".into(), json!(instance.placeholder()));
    t.references.push(instance);
    def.insert("type".into(), json!("MANAGED"));

    // channels and their templates
    let mut channels = Map::new();
    let config = &raw["TemplateConfiguration"];
    let messages = &raw["MessageConfiguration"];
    let email_template = config["EmailTemplate"]["Name"]
        .as_str()
        .map(|n| (n.to_owned(), config["EmailTemplate"]["Version"].as_str().map(str::to_owned)));
    let sms_template = config["SMSTemplate"]["Name"]
        .as_str()
        .map(|n| (n.to_owned(), config["SMSTemplate"]["Version"].as_str().map(str::to_owned)));
    let email = match (email_template, messages.get("EmailMessage").filter(|m| m.is_object())) {
        (Some((n, version)), _) => {
            if let Some(v) = version {
                t.losses.push(Loss::new(
                    Severity::Note,
                    "template version",
                    "TemplateConfiguration.EmailTemplate.Version",
                    format!("version {v} of {n} is pinned: create that version as the template's content"),
                ));
            }
            Some(template_name(prefix, &n))
        }
        (None, Some(m)) => Some(inline_template(
            &mut t,
            ctx,
            "EMAIL",
            &format!("{name}-email"),
            json!({"Subject": m["Title"], "HtmlPart": m["HtmlBody"], "TextPart": m["Body"]}),
        )),
        _ => None,
    };
    if let Some(template) = email {
        let from =
            messages["EmailMessage"]["FromAddress"].as_str().map(str::to_owned).or_else(|| ctx.email_from.clone());
        let from = from.unwrap_or_else(|| {
            t.losses.push(
                Loss::new(
                    Severity::Loss,
                    "email sender",
                    "MessageConfiguration.EmailMessage.FromAddress",
                    "no sender address (neither the campaign nor the email channel names one)",
                )
                .suggest("choose the Connect email address to send from"),
            );
            String::new()
        });
        email_channel(&mut channels, &mut t.references, &from, template);
    }
    let sms = match (sms_template, messages.get("SMSMessage").filter(|m| m.is_object())) {
        (Some((n, _)), _) => Some(template_name(prefix, &n)),
        (None, Some(m)) => {
            Some(inline_template(&mut t, ctx, "SMS", &format!("{name}-sms"), json!({"Body": m["Body"]})))
        }
        _ => None,
    };
    if let Some(template) = sms {
        let sms_message = &messages["SMSMessage"];
        let number = sms_message["OriginationNumber"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| ctx.sms_number.clone())
            .unwrap_or_else(|| {
                t.losses.push(
                    Loss::new(
                        Severity::Loss,
                        "SMS sender",
                        "MessageConfiguration.SMSMessage.OriginationNumber",
                        "no phone number to send from: neither the campaign nor the client's SMS pool names one",
                    )
                    .suggest("import or order a number for the client (a decision in the blueprint)"),
                );
                "unassigned".to_owned()
            });
        if sms_message["SenderId"].as_str().is_some() {
            t.losses.push(
                Loss::new(
                    Severity::Warning,
                    "sender ID",
                    "MessageConfiguration.SMSMessage.SenderId",
                    "Outbound Campaigns send SMS from a Connect phone number, not a sender ID",
                )
                .suggest("import the number the sender ID stood for (ImportPhoneNumber)"),
            );
        }
        for f in ["EntityId", "TemplateId"] {
            if sms_message[f].as_str().is_some() {
                t.losses.push(Loss::new(Severity::Warning, format!("SMSMessage.{f}"), format!("MessageConfiguration.SMSMessage.{f}"), "India DLT registration values have no field in Outbound Campaigns: check the number's registration covers this template"));
            }
        }
        sms_channel(&mut channels, &mut t.references, number, template);
    }
    for (field, what) in [
        ("TemplateConfiguration.PushTemplate", "push template"),
        ("TemplateConfiguration.VoiceTemplate", "voice template"),
        ("MessageConfiguration.DefaultMessage", "default push message"),
        ("MessageConfiguration.APNSMessage", "APNs message"),
        ("MessageConfiguration.GCMMessage", "FCM message"),
        ("MessageConfiguration.ADMMessage", "ADM message"),
        ("MessageConfiguration.BaiduMessage", "Baidu message"),
        ("MessageConfiguration.CustomMessage", "custom message"),
    ] {
        let (a, b) = field.split_once('.').unwrap_or((field, ""));
        if raw[a].get(b).is_some_and(|v| v.is_object()) {
            t.losses.push(
                Loss::new(Severity::Loss, what, field, format!("Outbound Campaigns (MANAGED) have no {what} channel"))
                    .suggest("send it from a journey's custom action (a Lambda function)"),
            );
        }
    }
    if raw.get("CustomDeliveryConfiguration").is_some_and(Value::is_object) {
        t.losses.push(
            Loss::new(
                Severity::Loss,
                "custom delivery",
                "CustomDeliveryConfiguration",
                "campaigns cannot deliver to a Lambda function or webhook",
            )
            .suggest("make it a journey with a custom action"),
        );
    }
    if channels.is_empty() {
        t.losses.push(Loss::new(
            Severity::Loss,
            "channels",
            "MessageConfiguration",
            "no email or SMS message: the campaign has nothing Outbound Campaigns can send",
        ));
    }
    def.insert("channelSubtypeConfig".into(), Value::Object(channels.clone()));

    // audience
    let segment_id = raw["SegmentId"].as_str().unwrap_or_default();
    if frequency == "EVENT" {
        let events = event_source(&mut def, &mut t.references, &ctx.domain, &schedule["EventFilter"]);
        t.losses.push(
            Loss::new(Severity::Warning, "event trigger", "Schedule.EventFilter", format!("the campaign starts on events ({events}): they must be ingested into Customer Profiles and an event trigger created (CreateEventTrigger), filtered to the segment"))
                .suggest("send the app's events to Customer Profiles (PutProfileObject) and define the trigger's conditions from the EventFilter"),
        );
    } else {
        match ctx.segment_names.get(segment_id) {
            Some(segment) => segment_source(&mut def, &mut t.references, definition_name(prefix, segment)),
            None => t.losses.push(Loss::new(
                Severity::Loss,
                "segment",
                "SegmentId",
                format!("segment {segment_id} is not in the scan: the campaign has no audience"),
            )),
        }
    }

    // time
    let zone = schedule["Timezone"].as_str().and_then(|z| iana_zone(z, "Schedule.Timezone", &mut t.losses));
    let start = match schedule["StartTime"].as_str() {
        Some("IMMEDIATE") | None => {
            t.losses.push(Loss::new(Severity::Note, "start time", "Schedule.StartTime", "IMMEDIATE: the start is set to the translation time; the campaign is created unstarted and runs when someone starts it"));
            ctx.now
        }
        Some(s) => s.parse::<jiff::Timestamp>().unwrap_or(ctx.now),
    };
    let end = match schedule["EndTime"].as_str().and_then(|s| s.parse::<jiff::Timestamp>().ok()) {
        Some(e) => e,
        None => {
            let e = start + jiff::SignedDuration::from_hours(24 * 365);
            t.losses.push(Loss::new(
                Severity::Warning,
                "end time",
                "Schedule.EndTime",
                format!(
                    "the campaign had no end; Outbound Campaigns need one: set to {} (a year after the start)",
                    schedule_time(e, zone.as_deref())
                ),
            ));
            e
        }
    };
    def.insert(
        "schedule".into(),
        json!({"startTime": schedule_time(start, zone.as_deref()), "endTime": schedule_time(end, zone.as_deref())}),
    );
    if matches!(frequency, "HOURLY" | "DAILY" | "WEEKLY" | "MONTHLY") {
        t.losses.push(
            Loss::new(Severity::Loss, "recurring frequency", "Schedule.Frequency", format!("{frequency} sends have no successor: an Outbound Campaign sends once per recipient in its window (refreshFrequency only re-reads the segment)"))
                .suggest("create one campaign per send, or a journey that waits and sends again"),
        );
    }
    let mut time = Map::new();
    let mut local = Map::new();
    if let Some(z) = &zone {
        local.insert("defaultTimeZone".into(), json!(z));
    }
    if schedule["IsLocalTime"] == true {
        local.insert("localTimeZoneDetection".into(), json!(["ZIP_CODE", "AREA_CODE"]));
        t.losses.push(Loss::new(Severity::Warning, "local time", "Schedule.IsLocalTime", "Pinpoint used each endpoint's Demographic.Timezone; Outbound Campaigns infer the zone from the postal code or phone area code"));
    }
    if let Some((q, at)) = quiet_time(schedule, "Schedule.QuietTime", ctx.settings)
        && let Some(open) = open_hours_from_quiet_time(q, at, &mut t.losses)
    {
        for channel in channels.keys() {
            time.insert(channel.clone(), open.clone());
        }
    }
    communication_time(&mut def, time, local);

    // limits
    let own = raw.get("Limits").filter(|l| l.as_object().is_some_and(|o| !o.is_empty()));
    let limits = own.map(|l| (l, "Limits")).or_else(|| {
        ctx.settings.and_then(|s| s.get("Limits")).filter(|l| l.is_object()).map(|l| (l, "settings Limits"))
    });
    if let Some((l, at)) = limits {
        if let Some(daily) = l["Daily"].as_u64().filter(|d| *d > 0) {
            if own.is_some() {
                def.insert("communicationLimitsOverride".into(), json!({"allChannelSubtypes": {"communicationLimitsList": [limit(daily, 1)]}, "instanceLimitsHandling": "OPT_IN"}));
            } else {
                t.losses.push(Loss::new(
                    Severity::Note,
                    "Limits.Daily",
                    format!("{at}.Daily"),
                    "the project's daily limit becomes the instance's communication limit, which the campaign observes",
                ));
            }
        }
        for (field, why) in [
            ("Total", "total per endpoint over the campaign's life"),
            ("Session", "cap per app session"),
            ("MaximumDuration", "maximum run time"),
            ("MessagesPerSecond", "sending rate (capacity is a share of the instance's throughput instead)"),
        ] {
            if l[field].as_u64().is_some_and(|v| v > 0) {
                t.losses.push(
                    Loss::new(
                        Severity::Loss,
                        format!("Limits.{field}"),
                        format!("{at}.{field}"),
                        format!("Outbound Campaigns have no {why}"),
                    )
                    .suggest("decide whether the guardrail is still needed and how to keep it"),
                );
            }
        }
    }

    // what campaigns cannot do
    if raw["HoldoutPercent"].as_u64().is_some_and(|h| h > 0) {
        t.losses.push(
            Loss::new(
                Severity::Loss,
                "holdout",
                "HoldoutPercent",
                format!(
                    "{}% of the segment was held out as a control group; MANAGED campaigns have none",
                    raw["HoldoutPercent"]
                ),
            )
            .suggest("make it a journey with a percentage split, or drop the control group"),
        );
    }
    for (i, tr) in raw["AdditionalTreatments"].as_array().into_iter().flatten().enumerate() {
        t.losses.push(
            Loss::new(
                Severity::Loss,
                format!("treatment {}", tr["TreatmentName"].as_str().unwrap_or("(unnamed)")),
                format!("AdditionalTreatments[{i}]"),
                format!(
                    "A/B treatment of {}% has no equivalent in a campaign; only the default treatment is created",
                    tr["SizePercent"]
                ),
            )
            .suggest("rebuild the test as a journey with a percentage split"),
        );
    }
    if raw["TreatmentName"].as_str().is_some() && raw["AdditionalTreatments"].as_array().is_some_and(|a| !a.is_empty())
    {
        t.losses.push(Loss::new(
            Severity::Note,
            "default treatment",
            "TreatmentName",
            format!("the campaign is the default treatment ({})", raw["TreatmentName"].as_str().unwrap_or_default()),
        ));
    }
    let hook = raw
        .get("Hook")
        .filter(|h| h.get("WebUrl").or(h.get("LambdaFunctionName")).is_some())
        .map(|h| (h, "Hook"))
        .or_else(|| {
            ctx.settings
                .and_then(|s| s.get("CampaignHook"))
                .filter(|h| h.get("WebUrl").or(h.get("LambdaFunctionName")).is_some())
                .map(|h| (h, "settings CampaignHook"))
        });
    if let Some((h, at)) = hook {
        t.losses.push(
            Loss::new(
                Severity::Loss,
                "campaign hook",
                at,
                format!(
                    "the {} hook ({}) filtered or delivered each send; campaigns have no hooks",
                    h["Mode"].as_str().unwrap_or("FILTER"),
                    h["WebUrl"].as_str().or(h["LambdaFunctionName"].as_str()).unwrap_or_default()
                ),
            )
            .suggest("apply the filter to the segment, or use a journey's custom action"),
        );
    }
    if raw["IsPaused"] == true || raw["State"]["CampaignStatus"].as_str().is_some() {
        t.losses.push(Loss::new(
            Severity::Note,
            "state",
            "State.CampaignStatus",
            format!(
                "the Pinpoint campaign is {}; the new one is created unstarted",
                raw["State"]["CampaignStatus"].as_str().unwrap_or(if raw["IsPaused"] == true {
                    "PAUSED"
                } else {
                    "unknown"
                })
            ),
        ));
    }
    if let Some(Value::Object(tags)) = raw.get("tags")
        && !tags.is_empty()
    {
        def.insert("tags".into(), Value::Object(tags.clone()));
    }
    t.definition = Value::Object(def);
    t
}

fn inline_template(
    t: &mut CampaignTranslation,
    ctx: &CampaignContext<'_>,
    kind: &str,
    name: &str,
    parts: Value,
) -> String {
    let mut raw = parts;
    raw["TemplateName"] = json!(template_name(ctx.prefix.as_deref(), name));
    raw["TemplateType"] = json!(kind);
    raw["Version"] = json!("1");
    let translation = translate_template(&raw, Target::Connect, ctx.mapping);
    t.losses.push(Loss::new(
        Severity::Note,
        "inline message",
        "MessageConfiguration",
        format!(
            "the campaign's own {} message becomes message template {}",
            kind.to_lowercase(),
            translation.target_name
        ),
    ));
    for l in &translation.losses {
        let mut l = l.clone();
        l.at = format!("MessageConfiguration ({}) {}", kind.to_lowercase(), l.at);
        t.losses.push(l);
    }
    let name = translation.target_name.clone();
    t.templates.push(translation);
    name
}
