//! The live Pinpoint reader: core's `PinpointSource` over aws-sdk-pinpoint. Every response's raw JSON is
//! kept (see [`crate::raw`]); a failed call becomes a `ScanIssue` naming the operation and AWS's code,
//! and the read goes on with what it can still reach.

use std::collections::HashMap;

use aws_config::SdkConfig;
use aws_sdk_pinpoint::Client;
use aws_sdk_pinpoint::error::{ProvideErrorMetadata, SdkError};
use pinshift_core::estate::{ResourceKind, ResourceRecord, ScanIssue};
use pinshift_core::scan::{PinpointSource, Read, ScanTarget};
use serde_json::Value;

use crate::raw::RawCapture;

/// Reads Pinpoint with one SDK configuration per connection (its credentials, assumed roles and the
/// standard AWS environment); the Region comes from each target.
#[derive(Debug, Clone)]
pub struct PinpointReader {
    configs: HashMap<String, SdkConfig>,
}

impl PinpointReader {
    pub fn new(configs: HashMap<String, SdkConfig>) -> Self {
        PinpointReader { configs }
    }

    fn client(&self, target: &ScanTarget) -> Option<Client> {
        let config = self.configs.get(&target.connection)?;
        Some(Client::from_conf(
            aws_sdk_pinpoint::config::Builder::from(config)
                .region(aws_sdk_pinpoint::config::Region::new(target.region.clone()))
                .build(),
        ))
    }
}

/// Sends a fluent builder with a fresh raw capture; yields `(result, raw JSON)`.
macro_rules! send {
    ($builder:expr) => {{
        let capture = RawCapture::default();
        let result = $builder.customize().interceptor(capture.clone()).send().await;
        (result, capture.json())
    }};
}

/// Accumulates a read: records, issues, and where they belong.
struct Collector<'a> {
    target: &'a ScanTarget,
    project: String,
    read: Read,
}

impl<'a> Collector<'a> {
    fn new(target: &'a ScanTarget, project: &str) -> Self {
        Collector { target, project: project.to_owned(), read: Read::default() }
    }

    fn record(&mut self, kind: ResourceKind, id: &str, version: &str, name: Option<&str>, raw: Value) {
        self.read.records.push(ResourceRecord {
            account_id: self.target.account_id.clone(),
            region: self.target.region.clone(),
            project_id: self.project.clone(),
            kind,
            id: id.to_owned(),
            version: version.to_owned(),
            name: name.map(str::to_owned),
            raw,
        });
    }

    /// Records a failed call as an issue.
    fn fail<E, R>(&mut self, kind: ResourceKind, operation: &str, error: &SdkError<E, R>)
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug,
    {
        let found = issue(self.target, &self.project, kind, operation, describe(error));
        self.read.issues.push(found);
    }
}

fn items(raw: &Value, wrapper: &str) -> Vec<Value> {
    raw.get(wrapper).unwrap_or(raw)["Item"].as_array().cloned().unwrap_or_default()
}

fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value[key].as_str().unwrap_or_default()
}

fn no_client(target: &ScanTarget) -> Read {
    Read {
        records: Vec::new(),
        issues: vec![ScanIssue {
            account_id: target.account_id.clone(),
            region: target.region.clone(),
            project_id: String::new(),
            kind: ResourceKind::Project,
            operation: "connect".into(),
            code: "NoConnection".into(),
            message: format!("no configuration for connection {:?}", target.connection),
        }],
    }
}

impl PinpointSource for PinpointReader {
    async fn read_region(&self, target: &ScanTarget) -> Read {
        let Some(client) = self.client(target) else { return no_client(target) };
        let mut out = Collector::new(target, "");

        // Projects.
        let mut token: Option<String> = None;
        loop {
            let (result, raw) = send!(client.get_apps().page_size("100").set_token(token.clone()));
            match result {
                Ok(output) => {
                    for app in items(&raw, "ApplicationsResponse") {
                        out.record(ResourceKind::Project, text(&app, "Id"), "", app["Name"].as_str(), app.clone());
                    }
                    token = output.applications_response().and_then(|r| r.next_token()).map(str::to_owned);
                }
                Err(error) => {
                    out.fail(ResourceKind::Project, "GetApps", &error);
                    token = None;
                }
            }
            if token.is_none() {
                break;
            }
        }

        // Templates (account-level), every version's full content.
        let mut token: Option<String> = None;
        let mut templates: Vec<(String, String)> = Vec::new();
        loop {
            let (result, raw) = send!(client.list_templates().page_size("100").set_next_token(token.clone()));
            match result {
                Ok(output) => {
                    for t in items(&raw, "TemplatesResponse") {
                        templates.push((text(&t, "TemplateName").to_owned(), text(&t, "TemplateType").to_owned()));
                    }
                    token = output.templates_response().and_then(|r| r.next_token()).map(str::to_owned);
                }
                Err(error) => {
                    out.fail(ResourceKind::Template, "ListTemplates", &error);
                    token = None;
                }
            }
            if token.is_none() {
                break;
            }
        }
        for (name, kind) in templates {
            let id = format!("{kind}/{name}");
            match get_template(&client, &name, &kind, None).await {
                Ok(raw) => {
                    let version = text(&raw, "Version").to_owned();
                    out.record(ResourceKind::Template, &id, &version, Some(&name), raw);
                }
                Err((operation, error)) => {
                    out.read.issues.push(issue(target, "", ResourceKind::Template, &operation, error))
                }
            }
            let (result, raw) =
                send!(client.list_template_versions().template_name(&name).template_type(kind.to_lowercase()));
            match result {
                Ok(_) => {
                    for version in items(&raw, "TemplateVersionsResponse") {
                        let number = text(&version, "Version").to_owned();
                        match get_template(&client, &name, &kind, Some(&number)).await {
                            Ok(raw) => out.record(ResourceKind::TemplateVersion, &id, &number, Some(&name), raw),
                            Err((operation, error)) => out.read.issues.push(issue(
                                target,
                                "",
                                ResourceKind::TemplateVersion,
                                &operation,
                                error,
                            )),
                        }
                    }
                }
                Err(error) => out.fail(ResourceKind::TemplateVersion, "ListTemplateVersions", &error),
            }
        }

        // Recommenders (account-level).
        let (result, raw) = send!(client.get_recommender_configurations().page_size("100"));
        match result {
            Ok(_) => {
                for r in items(&raw, "ListRecommenderConfigurationsResponse") {
                    out.record(ResourceKind::Recommender, text(&r, "Id"), "", r["Name"].as_str(), r.clone());
                }
            }
            Err(error) => out.fail(ResourceKind::Recommender, "GetRecommenderConfigurations", &error),
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

        // Segments and every version.
        let mut token: Option<String> = None;
        loop {
            let (result, raw) =
                send!(client.get_segments().application_id(project).page_size("100").set_token(token.clone()));
            match result {
                Ok(output) => {
                    for segment in items(&raw, "SegmentsResponse") {
                        let id = text(&segment, "Id").to_owned();
                        let version = segment["Version"].as_i64().map(|v| v.to_string()).unwrap_or_default();
                        out.record(ResourceKind::Segment, &id, &version, segment["Name"].as_str(), segment.clone());
                        let (versions, raw) = send!(
                            client.get_segment_versions().application_id(project).segment_id(&id).page_size("100")
                        );
                        match versions {
                            Ok(_) => {
                                for v in items(&raw, "SegmentsResponse") {
                                    let number = v["Version"].as_i64().map(|n| n.to_string()).unwrap_or_default();
                                    out.record(
                                        ResourceKind::SegmentVersion,
                                        &id,
                                        &number,
                                        v["Name"].as_str(),
                                        v.clone(),
                                    );
                                }
                            }
                            Err(error) => out.fail(ResourceKind::SegmentVersion, "GetSegmentVersions", &error),
                        }
                    }
                    token = output.segments_response().and_then(|r| r.next_token()).map(str::to_owned);
                }
                Err(error) => {
                    out.fail(ResourceKind::Segment, "GetSegments", &error);
                    token = None;
                }
            }
            if token.is_none() {
                break;
            }
        }

        // Campaigns and every version.
        let mut token: Option<String> = None;
        loop {
            let (result, raw) =
                send!(client.get_campaigns().application_id(project).page_size("100").set_token(token.clone()));
            match result {
                Ok(output) => {
                    for campaign in items(&raw, "CampaignsResponse") {
                        let id = text(&campaign, "Id").to_owned();
                        let version = campaign["Version"].as_i64().map(|v| v.to_string()).unwrap_or_default();
                        out.record(ResourceKind::Campaign, &id, &version, campaign["Name"].as_str(), campaign.clone());
                        let (versions, raw) = send!(
                            client.get_campaign_versions().application_id(project).campaign_id(&id).page_size("100")
                        );
                        match versions {
                            Ok(_) => {
                                for v in items(&raw, "CampaignsResponse") {
                                    let number = v["Version"].as_i64().map(|n| n.to_string()).unwrap_or_default();
                                    out.record(
                                        ResourceKind::CampaignVersion,
                                        &id,
                                        &number,
                                        v["Name"].as_str(),
                                        v.clone(),
                                    );
                                }
                            }
                            Err(error) => out.fail(ResourceKind::CampaignVersion, "GetCampaignVersions", &error),
                        }
                    }
                    token = output.campaigns_response().and_then(|r| r.next_token()).map(str::to_owned);
                }
                Err(error) => {
                    out.fail(ResourceKind::Campaign, "GetCampaigns", &error);
                    token = None;
                }
            }
            if token.is_none() {
                break;
            }
        }

        // Journeys.
        let mut token: Option<String> = None;
        loop {
            let (result, raw) =
                send!(client.list_journeys().application_id(project).page_size("100").set_token(token.clone()));
            match result {
                Ok(output) => {
                    for journey in items(&raw, "JourneysResponse") {
                        out.record(
                            ResourceKind::Journey,
                            text(&journey, "Id"),
                            "",
                            journey["Name"].as_str(),
                            journey.clone(),
                        );
                    }
                    token = output.journeys_response().and_then(|r| r.next_token()).map(str::to_owned);
                }
                Err(error) => {
                    out.fail(ResourceKind::Journey, "ListJourneys", &error);
                    token = None;
                }
            }
            if token.is_none() {
                break;
            }
        }

        // Event stream (absent is normal).
        let (result, raw) = send!(client.get_event_stream().application_id(project));
        match result {
            Ok(_) => out.record(ResourceKind::EventStream, project, "", None, raw),
            Err(error) if error.code() == Some("NotFoundException") => {}
            Err(error) => out.fail(ResourceKind::EventStream, "GetEventStream", &error),
        }

        // Import and export job history.
        let (result, raw) = send!(client.get_import_jobs().application_id(project).page_size("100"));
        match result {
            Ok(_) => {
                for job in items(&raw, "ImportJobsResponse") {
                    out.record(ResourceKind::ImportJob, text(&job, "Id"), "", None, job.clone());
                }
            }
            Err(error) => out.fail(ResourceKind::ImportJob, "GetImportJobs", &error),
        }
        let (result, raw) = send!(client.get_export_jobs().application_id(project).page_size("100"));
        match result {
            Ok(_) => {
                for job in items(&raw, "ExportJobsResponse") {
                    out.record(ResourceKind::ExportJob, text(&job, "Id"), "", None, job.clone());
                }
            }
            Err(error) => out.fail(ResourceKind::ExportJob, "GetExportJobs", &error),
        }
        out.read
    }
}

type CallError = (String, (String, String));

fn describe<E, R>(error: &SdkError<E, R>) -> (String, String)
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match error {
        SdkError::ServiceError(_) => {
            (error.code().unwrap_or("Unknown").to_owned(), error.message().unwrap_or_default().to_owned())
        }
        other => ("Unreachable".to_owned(), aws_sdk_pinpoint::error::DisplayErrorContext(other).to_string()),
    }
}

fn issue(
    target: &ScanTarget,
    project: &str,
    kind: ResourceKind,
    operation: &str,
    (code, message): (String, String),
) -> ScanIssue {
    ScanIssue {
        account_id: target.account_id.clone(),
        region: target.region.clone(),
        project_id: project.to_owned(),
        kind,
        operation: format!("mobiletargeting:{operation}"),
        code,
        message,
    }
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
