//! Facts about the running installation, shown in Settings / About and by `pinshift --version`.

use serde::Serialize;
use ts_rs::TS;

/// Where this installation keeps its data and logs, and which version it is.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub schema_version: u32,
    pub data_dir: String,
    pub log_dir: String,
    /// The Regions Amazon Pinpoint ran in (what a scan covers by default).
    pub pinpoint_regions: Vec<String>,
}
