//! `pinshift report`: renders a report in core and writes it without ever clobbering anything by accident.

use std::io::Write;
use std::path::Path;

use pinshift_core::Error;
use pinshift_core::clock::{Clock, SystemClock, rfc3339};
use pinshift_core::engagement::Engagement;
use pinshift_core::report::{Format, ReportInput, render};

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
    let (blueprint, records) = match version {
        Some(v) => {
            let blueprint = engagement.blueprint_version(v)?;
            let records = engagement.scan_records(&blueprint.scan_id, None)?;
            (blueprint, records)
        }
        None => engagement.current_blueprint(scan)?,
    };
    let sign_offs: Vec<_> =
        engagement.sign_offs()?.into_iter().filter(|s| version.is_none_or(|v| s.version == v)).collect();
    let info = engagement.info()?;
    let now = rfc3339(SystemClock.now());
    let input = ReportInput {
        engagement: &info.name,
        generated_at: &now,
        blueprint: &blueprint,
        version,
        sign_offs: &sign_offs,
        records: &records,
    };
    let artifacts = render(&input, format)?;
    let mut written = Vec::new();
    if format.is_folder() {
        if out.is_file() {
            return Err(Error::invalid(
                "out",
                format!("{} is a file; {} reports are folders", out.display(), format.as_str()),
            )
            .into());
        }
        let occupied = out.read_dir().map(|mut d| d.next().is_some()).unwrap_or(false);
        if occupied && !force {
            return Err(Error::FileExists { path: out.to_owned() }.into());
        }
        std::fs::create_dir_all(out).map_err(|source| Error::Io { path: out.to_owned(), source })?;
        for a in &artifacts {
            let path = out.join(&a.name);
            atomic_write(&path, &a.bytes)?;
            written.push(path);
        }
    } else {
        if out.exists() && !force {
            return Err(Error::FileExists { path: out.to_owned() }.into());
        }
        for a in &artifacts {
            atomic_write(out, &a.bytes)?;
            written.push(out.to_owned());
        }
    }
    if json {
        return output::json(&serde_json::json!({ "format": format, "files": written }));
    }
    for path in &written {
        output::status(&format!("Wrote {}", path.display()));
    }
    Ok(())
}

/// Writes next to the target, then renames: a reader never sees half a report, and a failure leaves the
/// old file as it was.
fn atomic_write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let io = |source| Error::Io { path: path.to_owned(), source };
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
