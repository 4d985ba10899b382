//! KPIs, journey execution metrics and runs, and import/export job history.
//!
//! Metrics are not recorded from sends (the sandbox sends nothing): they are generated, deterministically,
//! from each project's traffic profile in the estate, so the same estate and date range always give the
//! same numbers, and a project with no profile reports zeros.

use jiff::{Timestamp, ToSpan, civil::Date, tz::TimeZone};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{App, PinpointState, Scope, app_mut, page, text};
use crate::model::{bad_request, not_found};
use crate::wire::ServiceError;

/// The longest window one KPI call may cover, as on AWS.
const MAX_WINDOW_DAYS: i64 = 31;

/// KPI names Pinpoint accepts (analytics-standard-metrics), without the `-grouped-by-…` variants, which
/// are derived below.
const KPI_NAMES: &[&str] = &[
    "successful-delivery-rate",
    "email-open-rate",
    "unique-deliveries",
    "successful-deliveries",
    "push-open-rate",
    "hard-bounce-rate",
    "direct-email-opens",
    "clicks",
    "attempted-deliveries",
    "direct-push-opens",
    "txn-emails-clicked",
    "txn-emails-complaint-rate",
    "txn-emails-with-complaints",
    "txn-emails-delivered",
    "txn-emails-delivery-rate",
    "txn-emails-hard-bounced",
    "txn-emails-opened",
    "txn-emails-sent",
    "txn-emails-soft-bounced",
    "txn-emails-unique-clicks",
    "txn-emails-unique-opens",
    "txn-sms-average-price",
    "txn-sms-delivered",
    "txn-sms-error-distribution",
    "txn-sms-delivery-rate",
    "txn-sms-sent",
    "txn-sms-total-price",
    "journey-emails-clicked",
    "journey-emails-complained",
    "journey-emails-delivered",
    "journey-emails-hardbounced",
    "journey-emails-opened",
    "journey-emails-rejected",
    "journey-emails-sent",
    "journey-emails-softbounced",
    "journey-emails-unsubscribed",
    "emails-clicked",
    "emails-complained",
    "emails-delivered",
    "emails-hardbounced",
    "emails-opened",
    "emails-rejected",
    "emails-sent",
    "emails-softbounced",
    "emails-unsubscribed",
];

const GROUPINGS: &[&str] = &[
    "-grouped-by-date",
    "-grouped-by-campaign-activity",
    "-grouped-by-campaign",
    "-grouped-by-country",
    "-grouped-by-journey-activity",
];

/// A project's traffic, from which its KPIs are generated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Traffic {
    /// Messages sent per day, all channels.
    pub daily_sends: f64,
    pub delivery_rate: f64,
    pub open_rate: f64,
    pub click_rate: f64,
    pub bounce_rate: f64,
    pub complaint_rate: f64,
    /// Share of sends that are SMS (the rest email).
    pub sms_share: f64,
}

pub fn handle(
    state: &mut PinpointState,
    scope: &Scope,
    op: &str,
    input: &Value,
) -> Option<Result<Value, ServiceError>> {
    let app_id = text(input, "ApplicationId").to_owned();
    Some(match op {
        "GetApplicationDateRangeKpi" | "GetCampaignDateRangeKpi" | "GetJourneyDateRangeKpi" => {
            app_mut(state.region(scope), &app_id).and_then(|app| kpi(app, &app_id, op, input))
        }
        "GetJourneyExecutionMetrics" | "GetJourneyRunExecutionMetrics" => app_mut(state.region(scope), &app_id)
            .and_then(|app| {
                let journey_id = text(input, "JourneyId");
                let journey = app.journeys.get(journey_id).ok_or_else(|| not_found("Resource not found"))?;
                let entered = (app.traffic.daily_sends * 3.0 * noise(journey_id, "entered")).round();
                let active = if journey["State"] == "ACTIVE" { (entered * 0.3).round() } else { 0.0 };
                let mut response = json!({
                    "ApplicationId": app_id,
                    "JourneyId": journey_id,
                    "LastEvaluatedTime": scope.now,
                    "Metrics": {
                        "ENDPOINT_ENTERED": format!("{entered}"),
                        "ENDPOINT_ACTIVE": format!("{active}"),
                        "ENDPOINT_LEFT": format!("{}", entered - active),
                        "REENTRY_CAP_EXCEEDED": format!("{}", (entered * 0.01).round()),
                    },
                });
                if op == "GetJourneyRunExecutionMetrics" {
                    response["RunId"] = json!(text(input, "RunId"));
                }
                Ok(response)
            }),
        "GetJourneyExecutionActivityMetrics" | "GetJourneyRunExecutionActivityMetrics" => {
            app_mut(state.region(scope), &app_id).and_then(|app| {
                let journey_id = text(input, "JourneyId");
                let activity_id = text(input, "JourneyActivityId");
                let journey = app.journeys.get(journey_id).ok_or_else(|| not_found("Resource not found"))?;
                let activity = journey["Activities"].get(activity_id).ok_or_else(|| not_found("Resource not found"))?;
                let (kind, keys): (&str, &[&str]) = match activity
                    .as_object()
                    .and_then(|o| o.keys().find(|k| *k != "Description"))
                    .map(String::as_str)
                {
                    Some("Wait") => ("WAIT", &["WAIT_TIME_ELAPSED", "WAIT_TIME_PENDING"]),
                    Some("RandomSplit") => ("RANDOM_SPLIT", &["TOTAL"]),
                    Some("Holdout") => ("HOLDOUT", &["HOLDOUT", "PASSED"]),
                    Some("ConditionalSplit") => ("CONDITIONAL_SPLIT", &["True", "False"]),
                    Some("MultiCondition") => ("MULTI_CONDITIONAL_SPLIT", &["Branch_0", "Branch_1", "Default"]),
                    Some("ContactCenter") => ("CONTACT_CENTER", &["SUCCESS", "FAILURE"]),
                    _ => ("MESSAGE", &["SUCCESS", "THROTTLED", "TEMPORARY_FAILURE", "PERMANENT_FAILURE", "UNKNOWN"]),
                };
                let metrics: serde_json::Map<String, Value> = keys
                    .iter()
                    .map(|k| {
                        (
                            (*k).to_owned(),
                            json!(format!("{}", (app.traffic.daily_sends * noise(activity_id, k)).round())),
                        )
                    })
                    .collect();
                let mut response = json!({
                    "ApplicationId": app_id, "JourneyId": journey_id, "JourneyActivityId": activity_id,
                    "ActivityType": kind, "LastEvaluatedTime": scope.now, "Metrics": metrics,
                });
                if op == "GetJourneyRunExecutionActivityMetrics" {
                    response["RunId"] = json!(text(input, "RunId"));
                }
                Ok(response)
            })
        }
        "GetJourneyRuns" => app_mut(state.region(scope), &app_id).and_then(|app| {
            let journey_id = text(input, "JourneyId");
            let journey = app.journeys.get(journey_id).ok_or_else(|| not_found("Resource not found"))?;
            let runs = match journey["State"].as_str() {
                Some("ACTIVE" | "PAUSED") => vec![json!({
                    "RunId": format!("{journey_id}-run-1"),
                    "Status": "RUNNING",
                    "CreationTime": journey["CreationDate"],
                    "LastUpdateTime": journey["LastModifiedDate"],
                })],
                Some("COMPLETED" | "CLOSED") => vec![json!({
                    "RunId": format!("{journey_id}-run-1"),
                    "Status": "COMPLETED",
                    "CreationTime": journey["CreationDate"],
                    "LastUpdateTime": journey["LastModifiedDate"],
                })],
                _ => Vec::new(),
            };
            page(runs, input, "PageSize", "Token")
        }),
        "GetImportJobs" | "GetExportJobs" | "GetSegmentImportJobs" | "GetSegmentExportJobs" => {
            app_mut(state.region(scope), &app_id).and_then(|app| {
                let jobs = if op.contains("Import") { &app.import_jobs } else { &app.export_jobs };
                let segment = input["SegmentId"].as_str();
                let items = jobs
                    .iter()
                    .filter(|j| segment.is_none_or(|s| j["Definition"]["SegmentId"] == s))
                    .cloned()
                    .collect();
                page(items, input, "PageSize", "Token")
            })
        }
        "GetImportJob" | "GetExportJob" => app_mut(state.region(scope), &app_id).and_then(|app| {
            let jobs = if op == "GetImportJob" { &app.import_jobs } else { &app.export_jobs };
            jobs.iter()
                .find(|j| j["Id"] == text(input, "JobId"))
                .cloned()
                .ok_or_else(|| not_found("Resource not found"))
        }),
        _ => return None,
    })
}

fn kpi(app: &App, app_id: &str, op: &str, input: &Value) -> Result<Value, ServiceError> {
    let name = text(input, "KpiName");
    let (base, grouping) =
        GROUPINGS.iter().find_map(|g| name.strip_suffix(g).map(|base| (base, Some(*g)))).unwrap_or((name, None));
    if !KPI_NAMES.contains(&base) {
        return Err(bad_request(format!("{name} is not a valid KPI name")));
    }
    let parse = |member: &str| -> Result<Option<Timestamp>, ServiceError> {
        input[member]
            .as_str()
            .map(|t| t.parse::<Timestamp>().map_err(|_| bad_request(format!("{member} must be an ISO 8601 date-time"))))
            .transpose()
    };
    let end = parse("EndTime")?.unwrap_or_else(Timestamp::now);
    let start =
        parse("StartTime")?.unwrap_or_else(|| end.checked_sub(jiff::SignedDuration::from_hours(24 * 7)).unwrap_or(end));
    if start > end {
        return Err(bad_request("StartTime must be before EndTime"));
    }
    if end.duration_since(start) > jiff::SignedDuration::from_hours(24 * MAX_WINDOW_DAYS) {
        return Err(bad_request(format!("The date range can't be more than {MAX_WINDOW_DAYS} days")));
    }

    let key = value_key(base);
    let traffic = &app.traffic;
    let scope_id = match op {
        "GetCampaignDateRangeKpi" => text(input, "CampaignId"),
        "GetJourneyDateRangeKpi" => text(input, "JourneyId"),
        _ => app_id,
    };
    let exists = match op {
        "GetCampaignDateRangeKpi" => app.campaigns.contains_key(scope_id),
        "GetJourneyDateRangeKpi" => app.journeys.contains_key(scope_id),
        _ => true,
    };
    if !exists {
        return Err(not_found("Resource not found"));
    }
    let first = start.to_zoned(TimeZone::UTC).date();
    let last = end.to_zoned(TimeZone::UTC).date();
    let days: Vec<Date> = first.series(1.day()).take_while(|d| *d <= last).collect();
    let value_on = |day: Option<Date>, salt: &str| -> f64 {
        let label = day.map(|d| d.to_string()).unwrap_or_default();
        metric(
            base,
            traffic,
            noise(scope_id, &format!("{base}/{label}/{salt}")),
            if day.is_some() { 1.0 } else { days.len() as f64 },
        )
    };
    let row = |group: Value, value: f64| json!({ "GroupedBys": group, "Values": [{ "Key": key, "Type": "Double", "Value": format_value(value) }] });
    let rows: Vec<Value> = match grouping {
        Some("-grouped-by-date") => days
            .iter()
            .map(|d| row(json!([{ "Key": "Date", "Type": "String", "Value": d.to_string() }]), value_on(Some(*d), "")))
            .collect(),
        Some("-grouped-by-campaign") | Some("-grouped-by-campaign-activity") => app
            .campaigns
            .keys()
            .map(|id| row(json!([{ "Key": "CampaignId", "Type": "String", "Value": id }]), value_on(None, id)))
            .collect(),
        Some("-grouped-by-journey-activity") => app.journeys[scope_id]["Activities"]
            .as_object()
            .map(|acts| {
                acts.keys()
                    .map(|id| {
                        row(json!([{ "Key": "JourneyActivityId", "Type": "String", "Value": id }]), value_on(None, id))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Some("-grouped-by-country") => ["US", "CA", "GB", "DE"]
            .iter()
            .map(|c| row(json!([{ "Key": "Country", "Type": "String", "Value": c }]), value_on(None, c)))
            .collect(),
        _ => vec![row(json!([]), value_on(None, ""))],
    };
    let format = |t: Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut response = json!({
        "ApplicationId": app_id,
        "KpiName": name,
        "StartTime": format(start),
        "EndTime": format(end),
        "KpiResult": { "Rows": rows },
    });
    match op {
        "GetCampaignDateRangeKpi" => response["CampaignId"] = json!(scope_id),
        "GetJourneyDateRangeKpi" => response["JourneyId"] = json!(scope_id),
        _ => {}
    }
    Ok(response)
}

/// A finished job in the history the estate declares (`Import` or `Export`), as AWS reports it.
pub fn finished_job(id: String, app_id: &str, kind: &str, definition: Value, processed: u64, scope: &Scope) -> Value {
    json!({
        "Id": id,
        "ApplicationId": app_id,
        "Type": kind.to_uppercase(),
        "JobStatus": "COMPLETED",
        "Definition": definition,
        "CreationDate": scope.now,
        "CompletionDate": scope.now,
        "TotalPieces": 1,
        "CompletedPieces": 1,
        "FailedPieces": 0,
        "TotalProcessed": processed,
        "TotalFailures": 0,
    })
}

/// `successful-delivery-rate` → `SuccessfulDeliveryRate`.
fn value_key(base: &str) -> String {
    base.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// One KPI value over `days` days: rates stay rates, counts scale with traffic and days.
fn metric(base: &str, t: &Traffic, noise: f64, days: f64) -> f64 {
    let sends = t.daily_sends * days * noise;
    let (email, sms) = (sends * (1.0 - t.sms_share), sends * t.sms_share);
    let jitter = |rate: f64| (rate * (0.9 + 0.2 * noise.fract())).min(1.0);
    match base {
        b if b.ends_with("complaint-rate") => jitter(t.complaint_rate),
        b if b.ends_with("bounce-rate") => jitter(t.bounce_rate),
        b if b.ends_with("open-rate") => jitter(t.open_rate),
        b if b.ends_with("delivery-rate") => jitter(t.delivery_rate),
        b if b.contains("price") => sms * 0.00645,
        b if b.starts_with("txn-sms") && b.ends_with("sent") => sms,
        b if b.starts_with("txn-sms") => sms * t.delivery_rate,
        b if b.contains("complain") => email * t.complaint_rate,
        b if b.contains("bounce") => email * t.bounce_rate,
        b if b.contains("click") => email * t.delivery_rate * t.click_rate,
        b if b.contains("open") => email * t.delivery_rate * t.open_rate,
        b if b.contains("unsubscribed") || b.contains("rejected") => email * t.complaint_rate * 2.0,
        b if b.ends_with("sent") || b.starts_with("attempted") => sends,
        _ => sends * t.delivery_rate,
    }
}

fn format_value(value: f64) -> String {
    if value.fract() == 0.0 || value >= 100.0 { format!("{}", value.round()) } else { format!("{value:.4}") }
}

/// A deterministic factor in [0.8, 1.2) for `(scope, salt)`.
fn noise(scope: &str, salt: &str) -> f64 {
    let hash = format!("{scope}/{salt}")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    0.8 + (hash % 10_000) as f64 / 25_000.0
}
