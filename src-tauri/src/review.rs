//! IPC commands for reviewing: the blueprint (assessment, per-client tenancies, quotas, decisions), the
//! edits reviewers make, versions and sign-off, and report export. Each is one core call off the UI thread.

use std::path::PathBuf;

use pinshift_core::blueprint::store::{DecisionUpdate, Drift, SignOff, Versions};
use pinshift_core::blueprint::translation::{TranslationQuery, TranslationReport};
use pinshift_core::blueprint::{Blueprint, TenancyOverride};
use pinshift_core::clock::rfc3339;
use pinshift_core::report::{Format, render_engagement};
use tauri::State;

use crate::commands::{Reply, reply};
use crate::state::AppState;

/// The current blueprint of a scan (the newest finished one by default).
#[tauri::command]
pub async fn blueprint(state: State<'_, AppState>, scan: Option<String>) -> Reply<Blueprint> {
    reply(state.run(move |e, _| Ok(e.current_blueprint(scan.as_deref())?.0)).await)
}

#[tauri::command]
pub async fn rename_client(state: State<'_, AppState>, client: String, name: String) -> Reply<()> {
    reply(state.run(move |e, cx| e.rename_client(&client, &name, cx.clock.as_ref())).await)
}

/// Moves projects (keys `account/Region/project id`) into client `into`: an existing client merges them,
/// a new id splits them off into a client of their own.
#[tauri::command]
pub async fn assign_projects(state: State<'_, AppState>, into: String, projects: Vec<String>) -> Reply<()> {
    reply(state.run(move |e, cx| e.assign_projects(&into, &projects, cx.clock.as_ref())).await)
}

/// Sets the owners of an account-level resource, or (`accept`) confirms the proposal.
#[tauri::command]
pub async fn attribute(state: State<'_, AppState>, resource: String, clients: Vec<String>, accept: bool) -> Reply<()> {
    reply(state.run(move |e, cx| e.attribute(&resource, &clients, accept, cx.clock.as_ref())).await)
}

/// Overrides parts of a client's tenancy (Connect topology, SES reputation policy, tenant name).
#[tauri::command]
pub async fn set_tenancy(state: State<'_, AppState>, client: String, change: TenancyOverride) -> Reply<()> {
    reply(state.run(move |e, cx| e.set_tenancy(&client, change, cx.clock.as_ref())).await)
}

#[tauri::command]
pub async fn record_decision(state: State<'_, AppState>, id: String, update: DecisionUpdate, by: String) -> Reply<()> {
    reply(state.run(move |e, cx| e.record_decision(&id, update, &by, cx.clock.as_ref())).await)
}

/// Freezes the current blueprint as the next version; returns its number.
#[tauri::command]
pub async fn save_blueprint(state: State<'_, AppState>, by: String, note: String) -> Reply<u32> {
    reply(state.run(move |e, cx| Ok(e.save_blueprint(&by, &note, cx.clock.as_ref())?.version)).await)
}

#[tauri::command]
pub async fn blueprint_versions(state: State<'_, AppState>) -> Reply<Versions> {
    reply(state.run(|e, _| Ok(Versions { versions: e.blueprint_versions()?, sign_offs: e.sign_offs()? })).await)
}

#[tauri::command]
pub async fn sign_off(
    state: State<'_, AppState>,
    client: String,
    version: u32,
    by: String,
    note: String,
) -> Reply<SignOff> {
    reply(state.run(move |e, cx| e.sign_off(&client, Some(version), &by, &note, cx.clock.as_ref())).await)
}

/// Writes a report where the save dialog said (a folder for CSV and CloudFormation); returns the files.
#[tauri::command]
pub async fn export_report(
    state: State<'_, AppState>,
    format: Format,
    path: PathBuf,
    version: Option<u32>,
) -> Reply<Vec<String>> {
    reply(
        state
            .run(move |e, cx| {
                let artifacts = render_engagement(e, format, version, None, &rfc3339(cx.clock.now()))?;
                // The save dialog already asked before replacing a file.
                let written = pinshift_core::report::write(&artifacts, format, &path, true)?;
                Ok(written.iter().map(|p| p.display().to_string()).collect())
            })
            .await,
    )
}

/// One template, segment, campaign or journey of the current blueprint translated, with its proof (a
/// template rendered both ways for 1,000 generated endpoints; a segment's size on both sides).
#[tauri::command]
pub async fn translation(state: State<'_, AppState>, query: TranslationQuery) -> Reply<TranslationReport> {
    reply(state.run(move |e, cx| e.translate(&query.into(), cx.clock.now())).await)
}

/// What changed for a signed-off client since its sign-off (empty when it is not signed off).
#[tauri::command]
pub async fn blueprint_drift(state: State<'_, AppState>, client: String) -> Reply<Vec<Drift>> {
    reply(state.run(move |e, _| e.drift_since_sign_off(Some(&client), None)).await)
}
