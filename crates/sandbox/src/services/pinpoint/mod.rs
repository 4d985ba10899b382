//! Amazon Pinpoint (REST-JSON, signing name `mobiletargeting`): the source side Pinshift scans.
//!
//! Requests are routed and parsed by the botocore model (`models/pinpoint-2016-12-01.json`); handlers
//! work on JSON named as the model names it and return the operation's payload. State is per account and
//! Region, like AWS.
//!
//! - [`apps`]: apps, settings, event streams, tags.
//! - [`channels`]: the ten channel types (an unconfigured channel answers NotFound, as AWS does).
//! - [`resources`]: segments, campaigns and journeys, with versions.
//! - [`templates`]: message templates of all five kinds with versions, and recommenders.

mod analytics;
mod apps;
pub(crate) mod channels;
pub(crate) mod endpoints;
mod messages;
mod resources;
pub(crate) mod templates;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde_json::{Map, Value, json};

pub use analytics::{Traffic, finished_job};
pub use endpoints::Population;
pub(crate) use resources::create_segment;

use crate::model::{Call, ServiceModel, bad_request, not_found};
use crate::wire::{Protocol, ServiceError};

pub const SIGNING_NAME: &str = "mobiletargeting";
pub const PROTOCOL: Protocol = Protocol::RestJson(&crate::wire::RestStyle {
    message_key: "Message",
    request_id_in_body: true,
    denied: "ForbiddenException",
    throttled: ("TooManyRequestsException", 429),
    server_error: "InternalServerErrorException",
});

/// Items per page when the caller gives no `page-size`.
const DEFAULT_PAGE_SIZE: usize = 50;
/// Largest `page-size` honoured.
const MAX_PAGE_SIZE: usize = 1000;

/// What Pinpoint's engagement operations answer after 2026-10-30 (the text AWS already returned to new
/// accounts in 2025, its "October 20" typo included).
pub const RETIRED_MESSAGE: &str = "Forbidden:On October 20, 2026, AWS will end support for the Amazon Pinpoint engagement features (e.g., segments, message templates, campaigns, journeys, analytics). We recommend customers to migrate to Amazon Connect for engagement capabilities.";

/// Whether an operation is one of the engagement features that ended on 2026-10-30. Apps, tags, push, SMS
/// and voice channels, sends, OTP and phone-number validation are End User Messaging's and continue.
pub fn is_engagement(operation: &str) -> bool {
    const CONTINUES: &[&str] = &[
        "CreateApp",
        "DeleteApp",
        "GetApp",
        "GetApps",
        "TagResource",
        "UntagResource",
        "ListTagsForResource",
        "GetChannels",
        "SendMessages",
        "SendOTPMessage",
        "VerifyOTPMessage",
        "PhoneNumberValidate",
    ];
    const CHANNELS: &[&str] =
        &["Apns", "ApnsSandbox", "ApnsVoip", "ApnsVoipSandbox", "Gcm", "Baidu", "Adm", "Sms", "Voice"];
    if CONTINUES.contains(&operation) {
        return false;
    }
    let channel = ["Get", "Update", "Delete"]
        .iter()
        .filter_map(|verb| operation.strip_prefix(verb))
        .filter_map(|rest| rest.strip_suffix("Channel"))
        .any(|name| CHANNELS.contains(&name));
    !channel
}

pub fn model() -> &'static ServiceModel {
    static MODEL: OnceLock<ServiceModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        ServiceModel::parse(include_str!("../../../models/pinpoint-2016-12-01.json"))
            .expect("the embedded Pinpoint model is valid JSON")
    })
}

/// Pinpoint's state in one account and Region.
#[derive(Debug, Default, Clone)]
pub struct RegionState {
    pub apps: BTreeMap<String, App>,
    /// (template name, TemplateType) → versions, oldest first.
    pub templates: BTreeMap<(String, String), Template>,
    pub recommenders: BTreeMap<String, Value>,
    /// Tags by resource ARN.
    pub tags: HashMap<String, Map<String, Value>>,
}

#[derive(Debug, Clone)]
pub struct App {
    pub app: Value,
    pub settings: Value,
    /// Configured channels by platform (`EMAIL`, `SMS`, `GCM`, …).
    pub channels: BTreeMap<String, Value>,
    /// Segment id → versions, oldest first.
    pub segments: BTreeMap<String, Vec<Value>>,
    /// Campaign id → versions, oldest first.
    pub campaigns: BTreeMap<String, Vec<Value>>,
    pub campaign_activities: BTreeMap<String, Vec<Value>>,
    pub journeys: BTreeMap<String, Value>,
    pub event_stream: Option<Value>,
    /// What KPIs and metrics are generated from.
    pub traffic: Traffic,
    pub import_jobs: Vec<Value>,
    pub export_jobs: Vec<Value>,
    pub endpoints: endpoints::Endpoints,
}

#[derive(Debug, Clone)]
pub struct Template {
    pub versions: Vec<Value>,
    /// Index into `versions` of the active version.
    pub active: usize,
}

/// An import or export job waiting to run (jobs run a moment after they are created, like AWS's
/// asynchronous ones).
#[derive(Debug, Clone)]
pub struct PendingJob {
    pub import: bool,
    pub scope: Scope,
    pub app_id: String,
    pub job_id: String,
    pub due: std::time::Instant,
}

/// How long a job stays CREATED before it runs.
const JOB_DELAY: std::time::Duration = std::time::Duration::from_millis(300);

/// Pinpoint across every account and Region the sandbox serves.
#[derive(Debug, Default, Clone)]
pub struct PinpointState {
    regions: HashMap<(String, String), RegionState>,
    pub pending_jobs: Vec<PendingJob>,
    /// Makes ids reproducible: the n-th id minted in a sandbox run is always the same.
    counter: u64,
}

/// Where a call runs: account, Region and the current time.
#[derive(Debug, Clone)]
pub struct Scope {
    pub account_id: String,
    pub region: String,
    /// ISO 8601 with milliseconds, as Pinpoint writes dates.
    pub now: String,
}

impl Scope {
    pub fn arn(&self, resource: &str) -> String {
        format!("arn:aws:mobiletargeting:{}:{}:{resource}", self.region, self.account_id)
    }
}

impl PinpointState {
    pub fn region(&mut self, scope: &Scope) -> &mut RegionState {
        self.regions.entry((scope.account_id.clone(), scope.region.clone())).or_default()
    }

    /// A new 32-hex-digit id, like Pinpoint's.
    pub fn mint_id(&mut self, scope: &Scope) -> String {
        self.counter += 1;
        let seed = format!("{}/{}/{}", scope.account_id, scope.region, self.counter);
        let mut a: u64 = 0xcbf2_9ce4_8422_2325;
        let mut b: u64 = 0x8422_2325_cbf2_9ce4;
        for byte in seed.bytes() {
            a = (a ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            b = (b ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(7);
        }
        format!("{a:016x}{b:016x}")
    }

    /// Runs one parsed call.
    pub fn handle(&mut self, scope: &Scope, call: &Call) -> Result<Value, ServiceError> {
        let input = &call.input;
        let op = call.operation.as_str();
        if let Some(result) = apps::handle(self, scope, op, input) {
            return result;
        }
        if let Some(result) = channels::handle(self, scope, op, input) {
            return result;
        }
        if let Some(result) = resources::handle(self, scope, op, input) {
            return result;
        }
        if let Some(result) = templates::handle(self, scope, op, input) {
            return result;
        }
        if let Some(result) = analytics::handle(self, scope, op, input) {
            return result;
        }
        if let Some(result) = endpoints::handle(self, scope, op, input) {
            return result;
        }
        if let Some(result) = messages::handle(self, scope, op, input) {
            return result;
        }
        if op == "CreateExportJob" || op == "CreateImportJob" {
            return self.create_job(scope, input, op == "CreateImportJob");
        }
        Err(ServiceError::new(
            axum::http::StatusCode::NOT_IMPLEMENTED,
            "NotImplementedException",
            format!("the Pinshift sandbox does not implement Pinpoint {op} yet"),
        ))
    }
}

impl PinpointState {
    fn create_job(&mut self, scope: &Scope, input: &Value, import: bool) -> Result<Value, ServiceError> {
        let app_id = text(input, "ApplicationId").to_owned();
        let request = payload(input, if import { "ImportJobRequest" } else { "ExportJobRequest" });
        let (url_member, example) =
            if import { ("S3Url", "s3://bucket/key.csv") } else { ("S3UrlPrefix", "s3://bucket/prefix/") };
        let url = request.get(url_member).and_then(Value::as_str).unwrap_or_default();
        if !url.starts_with("s3://") || url.len() <= 5 {
            return Err(bad_request(format!("{url_member} must look like {example}")));
        }
        if import && !matches!(request.get("Format").and_then(Value::as_str), Some("CSV" | "JSON")) {
            return Err(bad_request("Format must be CSV or JSON"));
        }
        if let Some(segment) = request.get("SegmentId").and_then(Value::as_str)
            && !app_mut(self.region(scope), &app_id)?.segments.contains_key(segment)
        {
            return Err(not_found(format!("Segment {segment} not found")));
        }
        let id = self.mint_id(scope);
        let job = json!({
            "Id": id,
            "ApplicationId": app_id,
            "Type": if import { "IMPORT" } else { "EXPORT" },
            "JobStatus": "CREATED",
            "Definition": request,
            "CreationDate": scope.now,
        });
        let app = app_mut(self.region(scope), &app_id)?;
        if import {
            app.import_jobs.push(job.clone())
        } else {
            app.export_jobs.push(job.clone())
        }
        self.pending_jobs.push(PendingJob {
            import,
            scope: scope.clone(),
            app_id,
            job_id: id,
            due: std::time::Instant::now() + JOB_DELAY,
        });
        Ok(job)
    }

    /// The app a job belongs to, for the job runner.
    pub fn app(&mut self, scope: &Scope, app_id: &str) -> Option<&mut App> {
        self.region(scope).apps.get_mut(app_id)
    }
}

/// The string value of an input member.
pub fn text<'a>(input: &'a Value, member: &str) -> &'a str {
    input[member].as_str().unwrap_or_default()
}

/// The payload member of an input (an object), or an empty object.
pub fn payload(input: &Value, member: &str) -> Map<String, Value> {
    input[member].as_object().cloned().unwrap_or_default()
}

pub fn app_mut<'a>(region: &'a mut RegionState, id: &str) -> Result<&'a mut App, ServiceError> {
    region.apps.get_mut(id).ok_or_else(|| not_found("Resource not found"))
}

/// One page of `items` per Pinpoint's `page-size` / `token` convention: the token is the offset of the
/// next page, opaque to callers.
pub fn page(items: Vec<Value>, input: &Value, size_member: &str, token_member: &str) -> Result<Value, ServiceError> {
    let size = match input[size_member].as_str() {
        None => DEFAULT_PAGE_SIZE,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| bad_request(format!("{size_member} must be a number from 1 to {MAX_PAGE_SIZE}")))?,
    };
    crate::paging::page(items, size, input[token_member].as_str(), "Item")
        .ok_or_else(|| bad_request("The token is not valid"))
}

/// `resource` with the tags stored for `arn` (Pinpoint returns them as `tags`).
pub fn with_tags(region: &RegionState, arn: &str, mut resource: Value) -> Value {
    if let Some(tags) = region.tags.get(arn).filter(|t| !t.is_empty()) {
        resource["tags"] = Value::Object(tags.clone());
    }
    resource
}

/// Stores the `tags` a create request carried.
pub fn store_tags(region: &mut RegionState, arn: &str, request: &Map<String, Value>) {
    if let Some(tags) = request.get("tags").and_then(Value::as_object).filter(|t| !t.is_empty()) {
        region.tags.insert(arn.to_owned(), tags.clone());
    }
}

/// Keeps only the members Pinpoint's `shape` declares.
pub fn project(value: Value, shape: &str) -> Value {
    model().project(value, shape)
}
