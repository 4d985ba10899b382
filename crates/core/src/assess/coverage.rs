//! The reference's mapping tables (../shared/reference/pinpoint-domain.md §2 templates, §3 SES, §4 End User Messaging,
//! §5.3 Connect, §6 no-successor features), row by row, with the rules that cover each row — or why a row
//! is carried without a finding. A test checks that every row is covered, every named rule exists, and
//! every rule answers to some row, so a capability cannot silently drop out of the assessment.

/// How the assessment covers one mapping row.
#[derive(Debug, Clone, Copy)]
pub enum Coverage {
    /// These rules produce findings for it.
    Rules(&'static [&'static str]),
    /// Carried without a finding, and where it is handled instead.
    Carried(&'static str),
}

/// (section, Pinpoint capability as the reference names it, coverage).
pub static MAPPING: &[(&str, &str, Coverage)] = &[
    // §3 SES
    (
        "§3",
        "App (client) → Tenant + reputation policy",
        Coverage::Carried("blueprint: one SES tenant per client, reputation policy from KPIs"),
    ),
    (
        "§3",
        "Email channel Identity",
        Coverage::Rules(&["channel.email", "email-identity.carry", "email-identity.unverified"]),
    ),
    (
        "§3",
        "Email channel ConfigurationSet (remove PinpointDestination)",
        Coverage::Rules(&["email-config-set.carry", "email-config-set.pinpoint-destination"]),
    ),
    (
        "§3",
        "Templates → EMAIL_TEMPLATE",
        Coverage::Rules(&[
            "template.email",
            "template.helpers-ses",
            "template.default-substitutions",
            "template.email-headers",
            "campaign.inline-email",
        ]),
    ),
    ("§3", "MessagesPerSecond", Coverage::Rules(&["channel.email-mps", "settings.limits-mps"])),
    ("§3", "Endpoint OptOut=ALL / hard-bounce history → tenant suppression", Coverage::Rules(&["audience.opt-outs"])),
    // §4 End User Messaging (and §2: it stores no templates)
    (
        "§2",
        "SMS templates and inline SMS bodies (End User Messaging stores no templates)",
        Coverage::Rules(&["template.sms", "campaign.inline-sms"]),
    ),
    (
        "§4",
        "SMSChannel.SenderId → configuration set DefaultSenderId",
        Coverage::Rules(&["channel.sms", "sender-id.carry", "sms-config-set.carry"]),
    ),
    (
        "§4",
        "ShortCode / campaign OriginationNumber → pool membership",
        Coverage::Rules(&["channel.sms-short-code", "phone-number.pool", "pool.carry", "phone-number.pending"]),
    ),
    (
        "§4",
        "Promotional/Transactional MPS",
        Coverage::Carried("informational only: MPS is per number and country; shown with the blueprint's SMS pools"),
    ),
    (
        "§4",
        "Endpoint OptOut on SMS endpoints → PutOptedOutNumber",
        Coverage::Rules(&["audience.opt-outs", "opt-out-list.carry"]),
    ),
    ("§4", "SMS events from the event stream → event destination", Coverage::Rules(&["event-stream.consumers"])),
    ("§4", "Two-way SNS topics → TwoWayChannelArn", Coverage::Rules(&["phone-number.two-way"])),
    ("§4", "App quiet time (no EUM equivalent)", Coverage::Rules(&["settings.quiet-time"])),
    ("§4", "Registrations (per Region)", Coverage::Rules(&["registration.incomplete"])),
    ("§4", "India DLT EntityId / TemplateId", Coverage::Rules(&["campaign.india-dlt"])),
    ("§4", "Voice channel", Coverage::Rules(&["channel.voice"])),
    // §5.3 Connect
    ("§5.3", "App JourneyLimits.DailyCap", Coverage::Rules(&["settings.journey-daily-cap"])),
    ("§5.3", "TimeframeCap{Cap, Days}", Coverage::Rules(&["settings.journey-timeframe-cap"])),
    ("§5.3", "JourneyLimits.TotalCap", Coverage::Rules(&["settings.journey-total-cap"])),
    (
        "§5.3",
        "Campaign Limits.Daily",
        Coverage::Rules(&["campaign.limits-daily", "settings.limits-daily", "journey.limits-daily"]),
    ),
    ("§5.3", "Limits.Total", Coverage::Rules(&["campaign.limits-total", "settings.limits-total"])),
    ("§5.3", "Limits.Session", Coverage::Rules(&["campaign.limits-session", "settings.limits-session"])),
    (
        "§5.3",
        "Limits.MaximumDuration",
        Coverage::Rules(&["campaign.limits-maximum-duration", "settings.limits-maximum-duration"]),
    ),
    (
        "§5.3",
        "Limits.MessagesPerSecond",
        Coverage::Rules(&["campaign.limits-mps", "settings.limits-mps", "journey.limits-mps"]),
    ),
    ("§5.3", "Journey EndpointReentryCap / EndpointReentryInterval", Coverage::Rules(&["journey.reentry"])),
    (
        "§5.3",
        "QuietTime Start/End",
        Coverage::Rules(&["settings.quiet-time", "campaign.quiet-time", "journey.quiet-time"]),
    ),
    ("§5.3", "Journey OpenHours / ClosedDays", Coverage::Rules(&["journey.open-hours", "journey.closed-days"])),
    (
        "§5.3",
        "IsLocalTime + Timezone / TimezoneEstimationMethods",
        Coverage::Rules(&["campaign.local-time", "journey.timezone-estimation"]),
    ),
    ("§5.3", "Schedule ONCE + Start/End", Coverage::Rules(&["campaign.definition"])),
    ("§5.3", "Schedule HOURLY/DAILY/WEEKLY/MONTHLY", Coverage::Rules(&["campaign.recurring"])),
    (
        "§5.3",
        "Schedule EVENT / journey EventStartCondition",
        Coverage::Rules(&["campaign.event-triggered", "journey.event-start"]),
    ),
    (
        "§5.3",
        "HoldoutPercent / AdditionalTreatments (A/B)",
        Coverage::Rules(&["campaign.holdout", "campaign.ab-treatments"]),
    ),
    ("§5.3", "CampaignHook (FILTER Lambda)", Coverage::Rules(&["settings.campaign-hook", "campaign.hook"])),
    (
        "§5.3",
        "CustomDeliveryConfiguration / CUSTOM activity",
        Coverage::Rules(&["campaign.custom-delivery", "journey.custom-activity"]),
    ),
    (
        "§5.3",
        "Journey Wait / ConditionalSplit / MultiCondition / RandomSplit / Holdout",
        Coverage::Rules(&[
            "journey.flow",
            "journey.wait",
            "journey.conditional-split",
            "journey.random-split",
            "journey.holdout",
        ]),
    ),
    ("§5.3", "ContactCenter activity", Coverage::Rules(&["journey.contact-center"])),
    (
        "§5.3",
        "Push / In-app message configs",
        Coverage::Rules(&["campaign.push", "campaign.in-app", "journey.push-activity"]),
    ),
    ("§5.3", "Journey RefreshFrequency", Coverage::Rules(&["journey.refresh"])),
    // §6 no successor / partial successor
    ("§6", "In-App Messaging", Coverage::Rules(&["campaign.in-app", "template.in-app"])),
    ("§6", "Push (not native in campaigns)", Coverage::Rules(&["channel.push", "campaign.push", "template.push"])),
    ("§6", "Custom channel (journeys only)", Coverage::Rules(&["campaign.custom-delivery", "journey.custom-activity"])),
    (
        "§6",
        "A/B treatments and holdouts",
        Coverage::Rules(&["campaign.ab-treatments", "campaign.holdout", "journey.holdout"]),
    ),
    ("§6", "Campaign hooks", Coverage::Rules(&["campaign.hook", "settings.campaign-hook"])),
    ("§6", "Recurring campaign frequencies", Coverage::Rules(&["campaign.recurring"])),
    ("§6", "Recommenders", Coverage::Rules(&["recommender.personalize", "template.recommender"])),
    ("§6", "Behavioural recency and GPS-radius segments", Coverage::Rules(&["segment.recency", "segment.gps"])),
    ("§6", "Voice templates", Coverage::Rules(&["template.voice"])),
    ("§6", "Pinpoint event stream schema", Coverage::Rules(&["event-stream.consumers"])),
    (
        "§6",
        "Pinpoint analytics console (funnels, demographics, revenue)",
        Coverage::Carried("not visible through the API; the blueprint archives 90 days of KPIs per client"),
    ),
    // Issue #5's list beyond the tables
    (
        "issue",
        "Segments (dimensional, imported, demographic, metrics, source segments)",
        Coverage::Rules(&[
            "segment.dimensional",
            "segment.imported",
            "segment.demographic",
            "segment.metrics",
            "segment.source-segments",
        ]),
    ),
    (
        "issue",
        "Templates using helpers a target lacks / unparseable",
        Coverage::Rules(&["template.helpers-ses", "template.helpers-connect", "template.unparseable"]),
    ),
    (
        "issue",
        "Endpoints without UserId, multi-value attributes, audience",
        Coverage::Rules(&["audience.without-user-id", "audience.multi-value", "audience.profiles", "audience.shared"]),
    ),
    ("issue", "Import jobs (upstream pipelines)", Coverage::Rules(&["import-job.pipeline"])),
    (
        "issue",
        "KPIs → archived before decommission",
        Coverage::Carried("the blueprint archives the scan's 90 days of KPIs per client (reports export them)"),
    ),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::assess::RULES;

    #[test]
    fn every_mapping_row_is_covered_by_existing_rules_and_every_rule_answers_to_a_row() {
        let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len(), "rule ids must be unique");
        let mut used = BTreeSet::new();
        for (section, row, coverage) in MAPPING {
            match coverage {
                Coverage::Rules(rules) => {
                    assert!(!rules.is_empty(), "{section} {row}: no rules");
                    for id in *rules {
                        assert!(ids.contains(id), "{section} {row}: no rule {id:?} in the table");
                        used.insert(*id);
                    }
                }
                Coverage::Carried(why) => assert!(!why.is_empty(), "{section} {row}: say where it is handled"),
            }
        }
        let orphans: Vec<_> = ids.difference(&used).collect();
        assert!(orphans.is_empty(), "rules no mapping row mentions: {orphans:?}");
    }
}
