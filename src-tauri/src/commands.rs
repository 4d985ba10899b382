//! IPC commands. Each one takes state, calls core (or pinshift-aws), and maps errors to the
//! `{code, message, hint}` payload the UI branches on.

use std::path::PathBuf;

use pinshift_aws::scan::ScanRequest;
use pinshift_core::ErrorPayload;
use pinshift_core::app::AppInfo;
use pinshift_core::clock::SystemClock;
use pinshift_core::connections::{CallerIdentity, ConnectionSummary, NewConnection};
use pinshift_core::engagement::{Engagement, EngagementInfo, SCHEMA_VERSION};
use pinshift_core::estate::{
    EstateBranch, EstatePage, EstateQuery, ExplainedIssue, KpiSeries, ResourceRecord, ResourceSummary, ScanIssue,
    ScanSummary,
};
use pinshift_core::scan::audience::ExportSettings;
use pinshift_core::scan::{Progress, ScanEvent};
use pinshift_core::secrets::Sensitive;
use tauri::State;
use tauri::ipc::Channel;

use crate::state::AppState;

pub(crate) type Reply<T> = Result<T, ErrorPayload>;

pub(crate) fn reply<T>(result: pinshift_core::Result<T>) -> Reply<T> {
    result.map_err(|error| {
        tracing::warn!(code = ?error.code(), %error, "command failed");
        error.payload()
    })
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: pinshift_core::VERSION.to_owned(),
        schema_version: SCHEMA_VERSION,
        data_dir: state.data_dir.display().to_string(),
        log_dir: state.log_dir.display().to_string(),
        pinpoint_regions: pinshift_core::scan::PINPOINT_REGIONS.iter().map(|r| (*r).to_owned()).collect(),
    }
}

#[tauri::command]
pub fn current_engagement(state: State<'_, AppState>) -> Reply<Option<EngagementInfo>> {
    reply(state.engagement().and_then(|guard| guard.as_ref().map(Engagement::info).transpose()))
}

#[tauri::command]
pub fn create_engagement(state: State<'_, AppState>, path: PathBuf, name: Option<String>) -> Reply<EngagementInfo> {
    let created = Engagement::create(&path, name.as_deref(), &state.clock);
    reply(created.and_then(|e| state.set(e)))
}

#[tauri::command]
pub fn open_engagement(state: State<'_, AppState>, path: PathBuf) -> Reply<EngagementInfo> {
    let opened = Engagement::open(&path, &state.clock);
    reply(opened.and_then(|e| state.set(e)))
}

/// Starts the local sandbox with the demo BPO estate (once per run) and opens the demo engagement.
#[tauri::command]
pub fn try_demo(state: State<'_, AppState>) -> Reply<EngagementInfo> {
    reply(crate::demo::open(&state))
}

#[tauri::command]
pub fn close_engagement(state: State<'_, AppState>) -> Reply<()> {
    reply(state.close())
}

#[tauri::command]
pub fn list_connections(state: State<'_, AppState>) -> Reply<Vec<ConnectionSummary>> {
    reply(state.with_engagement(|e| e.list_connections(&state.secrets)))
}

/// The secret arrives as `Sensitive`: it goes to the keychain and is never sent back.
#[tauri::command]
pub fn add_connection(
    state: State<'_, AppState>,
    connection: NewConnection,
    secret: Option<Sensitive<String>>,
) -> Reply<ConnectionSummary> {
    reply(state.with_engagement(|e| e.add_connection(&connection, secret.as_ref(), &state.secrets, &state.clock)))
}

#[tauri::command]
pub fn remove_connection(state: State<'_, AppState>, name: String) -> Reply<()> {
    reply(state.with_engagement(|e| e.remove_connection(&name, &state.secrets)))
}

#[tauri::command]
pub async fn test_connection(
    state: State<'_, AppState>,
    name: String,
    region: Option<String>,
) -> Reply<CallerIdentity> {
    // Resolve under the lock, call AWS without it.
    let resolved = reply(state.with_engagement(|e| e.resolve_connection(&name, &state.secrets)))?;
    reply(pinshift_aws::identity::caller_identity(&resolved, region.as_deref()).await)
}

/// What the Scan screen starts: connections, Regions, optional audience profiling.
#[derive(Debug, serde::Deserialize)]
pub struct StartScan {
    #[serde(default)]
    pub connections: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub audience: Option<ExportSettings>,
    #[serde(default)]
    pub resume: bool,
}

/// Starts a scan (or resumes the newest stopped one) on its own thread with its own connection to the
/// engagement file; progress arrives on `events` until a `finished` or `failed` event. One scan at a time.
#[tauri::command]
pub fn start_scan(state: State<'_, AppState>, request: StartScan, events: Channel<ScanEvent>) -> Reply<()> {
    let path = reply(state.with_engagement(|e| Ok(e.path().to_owned())))?;
    let request = ScanRequest {
        connections: request.connections,
        regions: request.regions,
        audience: request.audience,
        concurrency: 16,
        resume: request.resume,
    };
    if let Some(settings) = &request.audience {
        reply(settings.validate())?;
    }
    reply(pinshift_aws::scan::check_regions(&request.regions))?;
    let cancel = reply(state.begin_scan())?;
    let secrets = state.secrets.clone();
    let running = state.scan_slot();
    std::thread::Builder::new()
        .name("pinshift-scan".into())
        .spawn(move || {
            let progress = ChannelProgress(events.clone());
            let outcome = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| pinshift_core::Error::Internal(format!("could not start the scan's runtime: {e}")));
            let outcome = outcome.and_then(|runtime| {
                let engagement = Engagement::open(&path, &SystemClock)?;
                runtime.block_on(pinshift_aws::scan::run(
                    &engagement,
                    &secrets,
                    request,
                    cancel,
                    &SystemClock,
                    &progress,
                ))
            });
            if let Err(error) = outcome {
                tracing::warn!(%error, "scan failed");
                let _ = events.send(ScanEvent::Failed { error: error.payload() });
            }
            running.finish();
        })
        .map_err(|e| pinshift_core::Error::Internal(format!("could not start the scan: {e}")).payload())?;
    Ok(())
}

/// Asks the running scan to stop between reads; what it read is kept and `resume` continues it.
#[tauri::command]
pub fn cancel_scan(state: State<'_, AppState>) -> Reply<bool> {
    reply(state.cancel_scan())
}

#[tauri::command]
pub fn list_scans(state: State<'_, AppState>) -> Reply<Vec<ScanSummary>> {
    reply(state.with_engagement(Engagement::list_scans))
}

#[tauri::command]
pub fn scan_issues(state: State<'_, AppState>, scan_id: String) -> Reply<Vec<ExplainedIssue>> {
    reply(state.with_engagement(|e| Ok(e.scan_issues(&scan_id)?.iter().map(ScanIssue::explain).collect())))
}

/// The explorer's tree of a scan: account × Region × project with counts per kind.
#[tauri::command]
pub fn estate_tree(state: State<'_, AppState>, scan_id: String) -> Reply<Vec<EstateBranch>> {
    reply(state.with_engagement(|e| e.estate_tree(&scan_id)))
}

/// A page of a scan's resources (no payloads).
#[tauri::command]
pub fn estate_page(state: State<'_, AppState>, scan_id: String, query: EstateQuery) -> Reply<EstatePage> {
    reply(state.with_engagement(|e| e.estate_page(&scan_id, &query)))
}

/// One resource with the payload AWS returned.
#[tauri::command]
pub fn estate_resource(
    state: State<'_, AppState>,
    scan_id: String,
    resource: ResourceSummary,
) -> Reply<ResourceRecord> {
    reply(state.with_engagement(|e| e.estate_resource(&scan_id, &resource)))
}

/// A project's daily KPIs over the scan's 90 days.
#[tauri::command]
pub fn project_kpis(
    state: State<'_, AppState>,
    scan_id: String,
    account_id: String,
    region: String,
    project_id: String,
) -> Reply<Vec<KpiSeries>> {
    reply(state.with_engagement(|e| e.project_kpis(&scan_id, &account_id, &region, &project_id)))
}

/// The IAM policy to hand to the customer's admin (with audience profiling's statements when asked).
#[tauri::command]
pub fn iam_policy(audience: Option<ExportSettings>) -> Reply<serde_json::Value> {
    match audience {
        Some(settings) => reply(settings.validate().map(|()| pinshift_core::policy::audience_policy(&settings))),
        None => Ok(pinshift_core::policy::scan_policy()),
    }
}

/// Core's `Progress` port over a Tauri channel.
struct ChannelProgress(Channel<ScanEvent>);

impl Progress for ChannelProgress {
    fn report(&self, event: ScanEvent) {
        if let Err(error) = self.0.send(event) {
            tracing::debug!(%error, "scan progress not delivered (window closed?)");
        }
    }
}
