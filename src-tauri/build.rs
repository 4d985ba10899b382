// App commands are gated: only those listed here get permissions, and the `main` capability grants them.
const COMMANDS: &[&str] = &[
    "app_info",
    "current_engagement",
    "create_engagement",
    "open_engagement",
    "close_engagement",
    "try_demo",
    "list_connections",
    "add_connection",
    "remove_connection",
    "test_connection",
    "start_scan",
    "cancel_scan",
    "list_scans",
    "scan_issues",
    "iam_policy",
    "estate_tree",
    "estate_page",
    "estate_resource",
    "project_kpis",
    "blueprint",
    "rename_client",
    "assign_projects",
    "attribute",
    "set_tenancy",
    "record_decision",
    "save_blueprint",
    "blueprint_versions",
    "sign_off",
    "blueprint_drift",
    "translation",
    "export_report",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
