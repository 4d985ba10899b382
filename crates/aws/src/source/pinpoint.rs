//! The live Pinpoint reader: core's `PinpointSource` over aws-sdk-pinpoint. Every response's raw JSON is
//! kept (see [`crate::source::raw`]); a failed call becomes a `ScanIssue` naming the operation and AWS's code,
//! and the read goes on with what it can still reach.

use std::collections::HashMap;
use std::sync::Arc;

use aws_config::SdkConfig;
use aws_sdk_pinpoint::Client;
use aws_sdk_pinpoint::error::ProvideErrorMetadata;
use aws_sdk_pinpoint::primitives::DateTime;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use pinshift_core::estate::ResourceKind;
use pinshift_core::scan::{PinpointSource, Pressure, Read, ScanTarget};
use serde_json::Value;

use crate::source::pace::{PacedHttpClient, Pacer};
use crate::source::read::{CallError, Collector, describe, fan_out, issue, no_client, pages, send, text};

/// Reads Pinpoint with one SDK configuration per connection (its credentials, assumed roles and the
/// standard AWS environment); the Region comes from each target.
#[derive(Debug, Clone)]
pub struct PinpointReader {
    configs: HashMap<String, SdkConfig>,
    /// Slots under Pinpoint's per-operation rates, shared by every target of the scan.
    pacer: Arc<Pacer>,
    /// The SDK's HTTPS client (proxy settings from the environment), wrapped per target for pacing.
    http: SharedHttpClient,
    /// KPIs are read for the 90 days before this instant (epoch seconds).
    kpi_end: i64,
}

pub use pinshift_core::scan::DAILY_KPIS;

/// Attempts per call before a throttle or server error becomes a scan issue.
const SCAN_ATTEMPTS: u32 = 10;

impl PinpointReader {
    /// `kpi_end`: the end of the KPI archive, in epoch seconds (usually now).
    pub fn new(configs: HashMap<String, SdkConfig>, kpi_end: i64) -> Self {
        PinpointReader { configs, kpi_end, pacer: Arc::default(), http: crate::source::pace::default_https_client() }
    }

    /// At most `calls` requests in flight across all targets (the scan's `--concurrency`).
    pub fn with_concurrency(mut self, calls: usize) -> Self {
        self.pacer = Arc::new(Pacer::new(calls));
        self
    }

    /// The connection's configuration in the target's Region, retrying throttles and server errors with
    /// the SDK's standard mode (exponential backoff with full jitter) and more attempts than the default —
    /// a scan should ride out 429s, not report them — and pacing every Pinpoint request under its
    /// operation's published rate ([`crate::source::pace`]), so a wide scan is rarely throttled at all. (Adaptive
    /// mode's client-side rate limiter was tried: under sustained throttling it slows a scan to a crawl.)
    pub(crate) fn config(&self, target: &ScanTarget) -> Option<SdkConfig> {
        let config = self.configs.get(&target.connection)?;
        Some(
            config
                .clone()
                .into_builder()
                .region(aws_config::Region::new(target.region.clone()))
                .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(SCAN_ATTEMPTS))
                .http_client(PacedHttpClient::new(
                    config.http_client().unwrap_or_else(|| self.http.clone()),
                    self.pacer.clone(),
                    format!("{}/{}", target.account_id, target.region),
                ))
                .build(),
        )
    }

    fn client(&self, target: &ScanTarget) -> Option<Client> {
        self.config(target).map(|c| Client::new(&c))
    }

    /// The 31-day windows covering the last 90 days, oldest first.
    fn kpi_windows(&self) -> Vec<(DateTime, DateTime)> {
        pinshift_core::scan::kpi_windows(self.kpi_end)
            .into_iter()
            .map(|(from, to)| (DateTime::from_secs(from), DateTime::from_secs(to)))
            .collect()
    }
}

impl PinpointSource for PinpointReader {
    fn pressure(&self) -> Pressure {
        use std::sync::atomic::Ordering::Relaxed;
        Pressure {
            throttled: self.pacer.throttled.load(Relaxed),
            failed_attempts: self.pacer.failed_attempts.load(Relaxed),
        }
    }

    async fn read_region(&self, target: &ScanTarget) -> Read {
        let Some(client) = self.client(target) else { return no_client(target) };
        let mut out = Collector::new(target, "");

        pages!(
            out,
            ResourceKind::Project,
            "GetApps",
            "Item",
            |t| client.get_apps().page_size("100").set_token(t),
            |app| { out.record(ResourceKind::Project, text(&app, "Id"), "", app["Name"].as_str(), app.clone()) }
        );
        out.read
    }

    async fn read_account(&self, target: &ScanTarget) -> Read {
        let Some(client) = self.client(target) else { return no_client(target) };
        let mut out = Collector::new(target, "");

        // Templates (account-level): the active version, then every version's full content.
        let mut templates: Vec<(String, String)> = Vec::new();
        pages!(
            out,
            ResourceKind::Template,
            "ListTemplates",
            "Item",
            |t| client.list_templates().page_size("100").set_next_token(t),
            |t| { templates.push((text(&t, "TemplateName").to_owned(), text(&t, "TemplateType").to_owned())) }
        );
        let client = &client;
        fan_out(&mut out, templates, |(name, kind)| async move {
            let mut out = Collector::new(target, "");
            let id = format!("{kind}/{name}");
            match get_template(client, &name, &kind, None).await {
                Ok(raw) => {
                    let version = text(&raw, "Version").to_owned();
                    out.record(ResourceKind::Template, &id, &version, Some(&name), raw);
                }
                Err((operation, error)) => {
                    out.read.issues.push(issue(target, "", ResourceKind::Template, &operation, error))
                }
            }
            let mut versions = Vec::new();
            pages!(
                out,
                ResourceKind::TemplateVersion,
                "ListTemplateVersions",
                "Item",
                |t| client
                    .list_template_versions()
                    .template_name(&name)
                    .template_type(kind.to_lowercase())
                    .set_next_token(t),
                |v| versions.push(text(&v, "Version").to_owned())
            );
            for number in versions {
                match get_template(client, &name, &kind, Some(&number)).await {
                    Ok(raw) => out.record(ResourceKind::TemplateVersion, &id, &number, Some(&name), raw),
                    Err((operation, error)) => {
                        out.read.issues.push(issue(target, "", ResourceKind::TemplateVersion, &operation, error))
                    }
                }
            }
            out.read
        })
        .await;

        pages!(
            out,
            ResourceKind::Recommender,
            "GetRecommenderConfigurations",
            "Item",
            |t| client.get_recommender_configurations().page_size("100").set_token(t),
            |r| out.record(ResourceKind::Recommender, text(&r, "Id"), "", r["Name"].as_str(), r.clone())
        );

        // End User Messaging SMS and voice v2, account-level.
        if let Some(config) = self.config(target) {
            crate::source::sms::read(&config, &mut out).await;
        }
        out.read
    }

    async fn read_project(&self, target: &ScanTarget, project: &str) -> Read {
        let Some(client) = self.client(target) else { return no_client(target) };
        let mut out = Collector::new(target, project);

        let (result, raw) = send!(client.get_application_settings().application_id(project));
        match result {
            Ok(_) => out.record(ResourceKind::ProjectSettings, project, "", None, raw),
            Err(error) => out.fail(ResourceKind::ProjectSettings, "GetApplicationSettings", &error),
        }

        let (result, raw) = send!(client.get_channels().application_id(project));
        match result {
            Ok(_) => {
                let platforms: Vec<String> =
                    raw["Channels"].as_object().map(|c| c.keys().cloned().collect()).unwrap_or_default();
                for platform in platforms {
                    match get_channel(&client, project, &platform).await {
                        Some(Ok(raw)) => out.record(ResourceKind::Channel, &platform, "", Some(&platform), raw),
                        Some(Err((operation, error))) => {
                            out.read.issues.push(issue(target, project, ResourceKind::Channel, &operation, error))
                        }
                        None => {}
                    }
                }
            }
            Err(error) => out.fail(ResourceKind::Channel, "GetChannels", &error),
        }

        // The rest in parallel: each part waits on its own operations' pacing, not on the others.
        let client = &client;
        let segments = async {
            let mut out = Collector::new(target, project);
            // Segments, each with every version.
            let mut segments = Vec::new();
            pages!(
                out,
                ResourceKind::Segment,
                "GetSegments",
                "Item",
                |t| client.get_segments().application_id(project).page_size("100").set_token(t),
                |s| segments.push(s)
            );
            fan_out(&mut out, segments, |segment| async move {
                let mut out = Collector::new(target, project);
                let id = text(&segment, "Id").to_owned();
                out.record(
                    ResourceKind::Segment,
                    &id,
                    &version_of(&segment),
                    segment["Name"].as_str(),
                    segment.clone(),
                );
                pages!(
                    out,
                    ResourceKind::SegmentVersion,
                    "GetSegmentVersions",
                    "Item",
                    |t| client
                        .get_segment_versions()
                        .application_id(project)
                        .segment_id(&id)
                        .page_size("100")
                        .set_token(t),
                    |v| out.record(ResourceKind::SegmentVersion, &id, &version_of(&v), v["Name"].as_str(), v.clone())
                );
                out.read
            })
            .await;

            out.read
        };
        let campaigns = async {
            let mut out = Collector::new(target, project);
            // Campaigns, each with every version and its activities.
            let mut campaigns = Vec::new();
            pages!(
                out,
                ResourceKind::Campaign,
                "GetCampaigns",
                "Item",
                |t| client.get_campaigns().application_id(project).page_size("100").set_token(t),
                |c| campaigns.push(c)
            );
            fan_out(&mut out, campaigns, |campaign| async move {
                let mut out = Collector::new(target, project);
                let id = text(&campaign, "Id").to_owned();
                out.record(
                    ResourceKind::Campaign,
                    &id,
                    &version_of(&campaign),
                    campaign["Name"].as_str(),
                    campaign.clone(),
                );
                pages!(
                    out,
                    ResourceKind::CampaignVersion,
                    "GetCampaignVersions",
                    "Item",
                    |t| client
                        .get_campaign_versions()
                        .application_id(project)
                        .campaign_id(&id)
                        .page_size("100")
                        .set_token(t),
                    |v| out.record(ResourceKind::CampaignVersion, &id, &version_of(&v), v["Name"].as_str(), v.clone())
                );
                pages!(
                    out,
                    ResourceKind::CampaignActivity,
                    "GetCampaignActivities",
                    "Item",
                    |t| client
                        .get_campaign_activities()
                        .application_id(project)
                        .campaign_id(&id)
                        .page_size("100")
                        .set_token(t),
                    |a| out.record(ResourceKind::CampaignActivity, &id, text(&a, "Id"), None, a.clone())
                );
                out.read
            })
            .await;

            out.read
        };
        let journeys = async {
            let mut out = Collector::new(target, project);
            // Journeys, each with its execution metrics.
            let mut journeys = Vec::new();
            pages!(
                out,
                ResourceKind::Journey,
                "ListJourneys",
                "Item",
                |t| client.list_journeys().application_id(project).page_size("100").set_token(t),
                |j| journeys.push(j)
            );
            fan_out(&mut out, journeys, |journey| async move {
                let mut out = Collector::new(target, project);
                let id = text(&journey, "Id").to_owned();
                out.record(ResourceKind::Journey, &id, "", journey["Name"].as_str(), journey.clone());
                let (metrics, raw) =
                    send!(client.get_journey_execution_metrics().application_id(project).journey_id(&id));
                match metrics {
                    Ok(_) => out.record(ResourceKind::JourneyMetrics, &id, "", None, raw),
                    Err(error) => out.fail(ResourceKind::JourneyMetrics, "GetJourneyExecutionMetrics", &error),
                }
                out.read
            })
            .await;

            out.read
        };
        let history = async {
            let mut out = Collector::new(target, project);
            // Event stream (absent is normal).
            let (result, raw) = send!(client.get_event_stream().application_id(project));
            match result {
                Ok(_) => out.record(ResourceKind::EventStream, project, "", None, raw),
                Err(error) if error.code() == Some("NotFoundException") => {}
                Err(error) => out.fail(ResourceKind::EventStream, "GetEventStream", &error),
            }

            // Import and export job history.
            pages!(
                out,
                ResourceKind::ImportJob,
                "GetImportJobs",
                "Item",
                |t| client.get_import_jobs().application_id(project).page_size("100").set_token(t),
                |job| { out.record(ResourceKind::ImportJob, text(&job, "Id"), "", None, job.clone()) }
            );
            pages!(
                out,
                ResourceKind::ExportJob,
                "GetExportJobs",
                "Item",
                |t| client.get_export_jobs().application_id(project).page_size("100").set_token(t),
                |job| { out.record(ResourceKind::ExportJob, text(&job, "Id"), "", None, job.clone()) }
            );

            out.read
        };
        let kpis = async {
            let mut out = Collector::new(target, project);
            // KPIs: the last 90 days, day by day, in 31-day windows.
            // By index into DAILY_KPIS: a closure over borrowed names trips the compiler's async lifetimes.
            let windows: Vec<(usize, (DateTime, DateTime))> =
                (0..DAILY_KPIS.len()).flat_map(|k| self.kpi_windows().into_iter().map(move |w| (k, w))).collect();
            fan_out(&mut out, windows, |(k, (start, end))| async move {
                let kpi = DAILY_KPIS[k];
                let mut out = Collector::new(target, project);
                let (result, raw) = send!(
                    client
                        .get_application_date_range_kpi()
                        .application_id(project)
                        .kpi_name(kpi)
                        .start_time(start)
                        .end_time(end)
                );
                match result {
                    Ok(_) => {
                        let window = raw["StartTime"].as_str().and_then(|t| t.get(..10)).unwrap_or_default().to_owned();
                        out.record(ResourceKind::Kpi, kpi, &window, None, raw);
                    }
                    Err(error) => out.fail(ResourceKind::Kpi, "GetApplicationDateRangeKpi", &error),
                }
                out.read
            })
            .await;

            out.read
        };
        let (segments, campaigns, journeys, history, kpis) =
            futures::join!(segments, campaigns, journeys, history, kpis);
        for part in [segments, campaigns, journeys, history, kpis] {
            out.read.records.extend(part.records);
            out.read.issues.extend(part.issues);
        }

        // The SES identity and configuration set the email channel sends with (account-level records).
        let email =
            out.read.records.iter().find(|r| r.kind == ResourceKind::Channel && r.id == "EMAIL").map(|r| r.raw.clone());
        if let (Some(email), Some(config)) = (email, self.config(target)) {
            crate::source::ses::read_email_channel_references(&config, &email, &mut out).await;
        }
        out.read
    }
}

/// A segment's or campaign's `Version` as text.
fn version_of(resource: &Value) -> String {
    resource["Version"].as_i64().map(|v| v.to_string()).unwrap_or_default()
}

/// The full content of a template (a version, or the active one).
async fn get_template(client: &Client, name: &str, kind: &str, version: Option<&str>) -> Result<Value, CallError> {
    let version = version.map(str::to_owned);
    macro_rules! get {
        ($op:ident, $label:literal) => {{
            let (result, raw) = send!(client.$op().template_name(name).set_version(version.clone()));
            result.map(|_| raw).map_err(|e| ($label.to_owned(), describe(&e)))
        }};
    }
    match kind {
        "EMAIL" => get!(get_email_template, "GetEmailTemplate"),
        "SMS" => get!(get_sms_template, "GetSmsTemplate"),
        "PUSH" => get!(get_push_template, "GetPushTemplate"),
        "VOICE" => get!(get_voice_template, "GetVoiceTemplate"),
        "INAPP" => get!(get_in_app_template, "GetInAppTemplate"),
        other => Err(("GetTemplate".to_owned(), ("UnknownTemplateType".to_owned(), format!("template type {other}")))),
    }
}

/// A channel's full settings by its GetChannels key; `None` for a key Pinshift does not know.
async fn get_channel(client: &Client, project: &str, platform: &str) -> Option<Result<Value, CallError>> {
    macro_rules! get {
        ($op:ident, $label:literal) => {{
            let (result, raw) = send!(client.$op().application_id(project));
            Some(result.map(|_| raw).map_err(|e| ($label.to_owned(), describe(&e))))
        }};
    }
    match platform {
        "EMAIL" => get!(get_email_channel, "GetEmailChannel"),
        "SMS" => get!(get_sms_channel, "GetSmsChannel"),
        "VOICE" => get!(get_voice_channel, "GetVoiceChannel"),
        "APNS" => get!(get_apns_channel, "GetApnsChannel"),
        "APNS_SANDBOX" => get!(get_apns_sandbox_channel, "GetApnsSandboxChannel"),
        "APNS_VOIP" => get!(get_apns_voip_channel, "GetApnsVoipChannel"),
        "APNS_VOIP_SANDBOX" => get!(get_apns_voip_sandbox_channel, "GetApnsVoipSandboxChannel"),
        "GCM" => get!(get_gcm_channel, "GetGcmChannel"),
        "BAIDU" => get!(get_baidu_channel, "GetBaiduChannel"),
        "ADM" => get!(get_adm_channel, "GetAdmChannel"),
        _ => None,
    }
}
