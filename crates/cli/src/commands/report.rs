//! `pinshift report`: renders a report in core and writes it without ever clobbering anything by accident.

use std::path::Path;

use pinshift_core::clock::{Clock, SystemClock, rfc3339};
use pinshift_core::engagement::Engagement;
use pinshift_core::report::{Format, render_engagement};

use crate::output;

pub fn write(
    engagement: &Engagement,
    format: &str,
    out: &Path,
    version: Option<u32>,
    scan: Option<&str>,
    force: bool,
    json: bool,
) -> anyhow::Result<()> {
    let format = Format::parse(format)?;
    let now = rfc3339(SystemClock.now());
    let artifacts = render_engagement(engagement, format, version, scan, &now)?;
    let written = pinshift_core::report::write(&artifacts, format, out, force)?;
    if json {
        return output::json(&serde_json::json!({ "format": format, "files": written }));
    }
    for path in &written {
        output::status(&format!("Wrote {}", path.display()));
    }
    Ok(())
}
