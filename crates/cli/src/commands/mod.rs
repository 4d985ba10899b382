//! One module per command group; each command opens what it needs, calls core, prints.

pub mod audience;
pub mod blueprint;
pub mod connection;
pub mod engagement;
pub mod estate;
pub mod migrate;
pub mod report;
pub mod scan;
pub mod translate;

use std::path::{Path, PathBuf};

use pinshift_core::clock::SystemClock;
use pinshift_core::engagement::Engagement;

/// The engagement named by `--engagement` / `PINSHIFT_ENGAGEMENT`.
pub fn open_engagement(path: Option<&Path>) -> anyhow::Result<Engagement> {
    let path: PathBuf = path.map(Path::to_owned).ok_or_else(|| {
        pinshift_core::Error::invalid(
            "engagement",
            "no engagement file given: pass --engagement FILE or set PINSHIFT_ENGAGEMENT",
        )
    })?;
    Ok(Engagement::open(&path, &SystemClock)?)
}
