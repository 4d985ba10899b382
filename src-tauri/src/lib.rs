//! The Pinshift desktop app: a thin Tauri adapter over pinshift-core and pinshift-aws.
//!
//! - [`commands`]: the IPC commands; each takes state, calls core, maps the error to `{code, message, hint}`.
//! - [`demo`]: "Try the demo estate" — the sandbox inside the app and an engagement connected to it.
//! - [`jobs`]: work off the UI thread: every engagement command, and long jobs (the scan) with a slot each.
//! - [`review`]: the blueprint, reviewers' edits, versions, sign-off and report export.
//! - [`state`]: what the app holds between commands (the open engagement's path, jobs, the keychain).
//! - [`logging`]: the rolling log file in the app's log directory.
//!
//! `pinshift-desktop [FILE]` opens the engagement FILE at start (creating it when it does not exist).

mod commands;
mod demo;
mod jobs;
mod logging;
mod review;
mod state;

use tauri::Manager;

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    let initial_file = std::env::args_os().nth(1).map(std::path::PathBuf::from);
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let log_dir = app.path().app_log_dir()?;
            let data_dir = app.path().app_data_dir()?;
            let guard = logging::init(&log_dir)?;
            tracing::info!(version = pinshift_core::VERSION, log_dir = %log_dir.display(), "Pinshift desktop starting");
            let state = state::AppState::new(data_dir, log_dir, guard);
            if let Some(path) = &initial_file
                && let Err(error) = state.open_or_create(path)
            {
                tracing::error!(%error, path = %path.display(), "could not open the engagement given on the command line");
            }
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::current_engagement,
            commands::create_engagement,
            commands::open_engagement,
            commands::close_engagement,
            commands::try_demo,
            commands::list_connections,
            commands::add_connection,
            commands::remove_connection,
            commands::test_connection,
            commands::start_scan,
            commands::cancel_scan,
            commands::list_scans,
            commands::scan_issues,
            commands::iam_policy,
            commands::estate_tree,
            commands::estate_page,
            commands::estate_resource,
            commands::project_kpis,
            review::blueprint,
            review::rename_client,
            review::assign_projects,
            review::attribute,
            review::set_tenancy,
            review::record_decision,
            review::save_blueprint,
            review::blueprint_versions,
            review::sign_off,
            review::blueprint_drift,
            review::translation,
            review::export_report,
        ])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(error) => {
            // No window and no log file yet: stderr is all there is.
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: Pinshift could not start: {error}");
            }
            std::process::exit(1);
        }
    }
}
