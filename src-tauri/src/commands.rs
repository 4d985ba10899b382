//! IPC commands. Each one takes state, calls core (or pinshift-aws), and maps errors to the
//! `{code, message, hint}` payload the UI branches on.

use std::path::PathBuf;

use pinshift_core::ErrorPayload;
use pinshift_core::app::AppInfo;
use pinshift_core::connections::{CallerIdentity, ConnectionSummary, NewConnection};
use pinshift_core::engagement::{Engagement, EngagementInfo, SCHEMA_VERSION};
use pinshift_core::secrets::Sensitive;
use tauri::State;

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

fn reply<T>(result: pinshift_core::Result<T>) -> Reply<T> {
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
