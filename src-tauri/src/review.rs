//! IPC commands for reviewing: the blueprint (assessment, per-client plans, quotas, decisions), the edits
//! reviewers make, versions and sign-off, and report export. Each takes state, calls core, maps the error.

use std::path::PathBuf;

use pinshift_core::blueprint::store::{DecisionUpdate, Drift, SignOff, Versions};
use pinshift_core::blueprint::translation::{TranslationQuery, TranslationReport};
use pinshift_core::blueprint::{Blueprint, TenancyOverride};
use pinshift_core::clock::{Clock, rfc3339};
use pinshift_core::report::{Format, render_engagement};
use tauri::State;

use crate::commands::{Reply, reply};
use crate::state::AppState;

/// The current blueprint of a scan (the newest finished one by default).
#[tauri::command]
pub fn blueprint(state: State<'_, AppState>, scan: Option<String>) -> Reply<Blueprint> {
    reply(state.with_engagement(|e| Ok(e.current_blueprint(scan.as_deref())?.0)))
}

#[tauri::command]
pub fn rename_client(state: State<'_, AppState>, client: String, name: String) -> Reply<()> {
    let now = rfc3339(state.clock.now());
    reply(state.with_engagement(|e| e.rename_client(&e.current_blueprint(None)?.0, &client, &name, &now)))
}

/// Moves projects (keys `account/Region/project id`) into client `into`: an existing client merges them,
/// a new id splits them off into a client of their own.
#[tauri::command]
pub fn assign_projects(state: State<'_, AppState>, into: String, projects: Vec<String>) -> Reply<()> {
    let now = rfc3339(state.clock.now());
    reply(state.with_engagement(|e| e.assign_projects(&e.current_blueprint(None)?.0, &into, &projects, &now)))
}

/// Sets the owners of an account-level resource, or (`accept`) confirms the proposal.
#[tauri::command]
pub fn attribute(state: State<'_, AppState>, resource: String, clients: Vec<String>, accept: bool) -> Reply<()> {
    let now = rfc3339(state.clock.now());
    reply(state.with_engagement(|e| e.attribute(&e.current_blueprint(None)?.0, &resource, &clients, accept, &now)))
}

#[tauri::command]
pub fn set_plan(state: State<'_, AppState>, client: String, choice: TenancyOverride) -> Reply<()> {
    let now = rfc3339(state.clock.now());
    reply(state.with_engagement(|e| {
        let (blueprint, records) = e.current_blueprint(None)?;
        e.set_plan_choice(&blueprint, &client, choice, &records, &now)
    }))
}

#[tauri::command]
pub fn record_decision(state: State<'_, AppState>, id: String, update: DecisionUpdate, by: String) -> Reply<()> {
    let now = rfc3339(state.clock.now());
    reply(state.with_engagement(|e| e.record_decision(&e.current_blueprint(None)?.0, &id, update, &by, &now)))
}

/// Freezes the current blueprint as the next version; returns its number.
#[tauri::command]
pub fn save_blueprint(state: State<'_, AppState>, by: String, note: String) -> Reply<u32> {
    let now = rfc3339(state.clock.now());
    reply(state.with_engagement(|e| e.save_blueprint(&e.current_blueprint(None)?.0, &by, &note, &now)))
}

#[tauri::command]
pub fn blueprint_versions(state: State<'_, AppState>) -> Reply<Versions> {
    reply(state.with_engagement(|e| Ok(Versions { versions: e.blueprint_versions()?, sign_offs: e.sign_offs()? })))
}

#[tauri::command]
pub fn sign_off(state: State<'_, AppState>, client: String, version: u32, by: String, note: String) -> Reply<SignOff> {
    let now = rfc3339(state.clock.now());
    reply(state.with_engagement(|e| e.sign_off(&client, version, &by, &note, &now)))
}

/// Writes a report where the save dialog said (a folder for CSV and CloudFormation); returns the files.
#[tauri::command]
pub fn export_report(
    state: State<'_, AppState>,
    format: Format,
    path: PathBuf,
    version: Option<u32>,
) -> Reply<Vec<String>> {
    let now = rfc3339(state.clock.now());
    reply(state.with_engagement(|e| {
        let artifacts = render_engagement(e, format, version, None, &now)?;
        // The save dialog already asked before replacing a file.
        let written = pinshift_core::report::write(&artifacts, format, &path, true)?;
        Ok(written.iter().map(|p| p.display().to_string()).collect())
    }))
}

/// One template, segment, campaign or journey of the current blueprint translated, with its proof (a
/// template rendered both ways for 1,000 generated endpoints; a segment's size on both sides).
#[tauri::command]
pub fn translation(state: State<'_, AppState>, query: TranslationQuery) -> Reply<TranslationReport> {
    let now = state.clock.now();
    reply(state.with_engagement(|e| e.translate(&query.into(), now)))
}

/// What changed for a signed-off client since its sign-off (empty when it is not signed off).
#[tauri::command]
pub fn blueprint_drift(state: State<'_, AppState>, client: String) -> Reply<Vec<Drift>> {
    reply(state.with_engagement(|e| e.drift_since_sign_off(Some(&client), None)))
}
