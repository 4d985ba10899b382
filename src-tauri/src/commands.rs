//! IPC commands. Each one takes state, calls core (or pinshift-aws) off the UI thread, and maps errors to
//! the `{code, message, hint}` payload the UI branches on.

use std::path::PathBuf;

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
use pinshift_core::scan::request::ScanRequest;
use pinshift_core::scan::{Progress, ScanEvent};
use pinshift_core::secrets::Sensitive;
use tauri::State;
use tauri::ipc::Channel;

use crate::jobs::{JobKind, off_ui_thread};
use crate::state::AppState;

pub(crate) type Reply<T> = Result<T, ErrorPayload>;

pub(crate) fn reply<T>(result: pinshift_core::Result<T>) -> Reply<T> {
    result.map_err(|error| {
        tracing::warn!(code = ?error.code(), %error, "command failed");
        error.payload()
    })
}

/// The job name the engagement's lease records for a desktop scan.
const SCAN_JOB: &str = "Pinshift desktop: scan";

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
pub async fn current_engagement(state: State<'_, AppState>) -> Reply<Option<EngagementInfo>> {
    if state.path().is_err() {
        return Ok(None);
    }
    reply(state.run(|e, _| e.info()).await.map(Some))
}

#[tauri::command]
pub async fn create_engagement(
    state: State<'_, AppState>,
    path: PathBuf,
    name: Option<String>,
) -> Reply<EngagementInfo> {
    let clock = state.clock.clone();
    let created = off_ui_thread(move || {
        let e = Engagement::create(&path, name.as_deref(), clock.as_ref())?;
        Ok((e.path().to_owned(), e.info()?))
    })
    .await;
    reply(created.and_then(|(path, info)| state.set(&path, info)))
}

#[tauri::command]
pub async fn open_engagement(state: State<'_, AppState>, path: PathBuf) -> Reply<EngagementInfo> {
    let clock = state.clock.clone();
    let opened = off_ui_thread(move || {
        let e = Engagement::open(&path, clock.as_ref())?;
        Ok((e.path().to_owned(), e.info()?))
    })
    .await;
    reply(opened.and_then(|(path, info)| state.set(&path, info)))
}

/// Starts the local sandbox with the demo BPO estate (once per run) and opens the demo engagement.
#[tauri::command]
pub async fn try_demo(state: State<'_, AppState>) -> Reply<EngagementInfo> {
    let (demo, data_dir, secrets) = (state.demo(), state.data_dir.clone(), state.secrets.clone());
    let opened = off_ui_thread(move || crate::demo::open(&demo, &data_dir, &secrets)).await;
    reply(opened.and_then(|(path, info)| state.set(&path, info)))
}

#[tauri::command]
pub fn close_engagement(state: State<'_, AppState>) -> Reply<()> {
    reply(state.close())
}

#[tauri::command]
pub async fn list_connections(state: State<'_, AppState>) -> Reply<Vec<ConnectionSummary>> {
    reply(state.run(|e, cx| e.list_connections(&cx.secrets)).await)
}

/// The secret arrives as `Sensitive`: it goes to the keychain and is never sent back.
#[tauri::command]
pub async fn add_connection(
    state: State<'_, AppState>,
    connection: NewConnection,
    secret: Option<Sensitive<String>>,
) -> Reply<ConnectionSummary> {
    reply(state.run(move |e, cx| e.add_connection(&connection, secret.as_ref(), &cx.secrets, cx.clock.as_ref())).await)
}

#[tauri::command]
pub async fn remove_connection(state: State<'_, AppState>, name: String) -> Reply<()> {
    reply(state.run(move |e, cx| e.remove_connection(&name, &cx.secrets)).await)
}

#[tauri::command]
pub async fn test_connection(
    state: State<'_, AppState>,
    name: String,
    region: Option<String>,
) -> Reply<CallerIdentity> {
    let resolved = reply(state.run(move |e, cx| e.resolve_connection(&name, &cx.secrets)).await)?;
    reply(pinshift_aws::identity::caller_identity(&resolved, region.as_deref()).await)
}

/// Starts a scan (or resumes the newest stopped one) as a background job. The request is checked and the
/// engagement's lease taken first, so a refusal (a bad Region, another process scanning) comes back at
/// once; then progress arrives on `events` until a `finished` or `failed` event. One scan at a time.
#[tauri::command]
pub async fn start_scan(state: State<'_, AppState>, request: ScanRequest, events: Channel<ScanEvent>) -> Reply<()> {
    let slot = reply(state.jobs.claim(JobKind::Scan))?;
    let cancel = slot.cancel.clone();
    let prepared =
        reply(state.run(move |e, cx| e.prepare_scan(&request, SCAN_JOB, &cx.secrets, cx.clock.clone(), cancel)).await)?;
    let (path, secrets) = (reply(state.path())?, state.secrets.clone());
    let failed = events.clone();
    reply(slot.spawn(
        move |job| {
            let engagement = Engagement::open(&path, &SystemClock)?;
            let progress = ChannelProgress(events);
            job.runtime
                .block_on(pinshift_aws::scan::run_prepared(&engagement, &secrets, prepared, &SystemClock, &progress))
                .map(|_| ())
        },
        move |error| {
            let _ = failed.send(ScanEvent::Failed { error: error.payload() });
        },
    ))
}

/// Asks the running scan to stop between reads; what it read is kept and `resume` continues it.
#[tauri::command]
pub fn cancel_scan(state: State<'_, AppState>) -> Reply<bool> {
    reply(state.jobs.cancel(JobKind::Scan))
}

#[tauri::command]
pub async fn list_scans(state: State<'_, AppState>) -> Reply<Vec<ScanSummary>> {
    reply(state.run(|e, _| e.list_scans()).await)
}

#[tauri::command]
pub async fn scan_issues(state: State<'_, AppState>, scan_id: String) -> Reply<Vec<ExplainedIssue>> {
    reply(state.run(move |e, _| Ok(e.scan_issues(&scan_id)?.iter().map(ScanIssue::explain).collect())).await)
}

/// The explorer's tree of a scan: account × Region × project with counts per kind.
#[tauri::command]
pub async fn estate_tree(state: State<'_, AppState>, scan_id: String) -> Reply<Vec<EstateBranch>> {
    reply(state.run(move |e, _| e.estate_tree(&scan_id)).await)
}

/// A page of a scan's resources (no payloads).
#[tauri::command]
pub async fn estate_page(state: State<'_, AppState>, scan_id: String, query: EstateQuery) -> Reply<EstatePage> {
    reply(state.run(move |e, _| e.estate_page(&scan_id, &query)).await)
}

/// One resource with the payload AWS returned.
#[tauri::command]
pub async fn estate_resource(
    state: State<'_, AppState>,
    scan_id: String,
    resource: ResourceSummary,
) -> Reply<ResourceRecord> {
    reply(state.run(move |e, _| e.estate_resource(&scan_id, &resource)).await)
}

/// A project's daily KPIs over the scan's 90 days.
#[tauri::command]
pub async fn project_kpis(
    state: State<'_, AppState>,
    scan_id: String,
    account_id: String,
    region: String,
    project_id: String,
) -> Reply<Vec<KpiSeries>> {
    reply(state.run(move |e, _| e.project_kpis(&scan_id, &account_id, &region, &project_id)).await)
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
