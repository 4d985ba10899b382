//! What the desktop holds between commands.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use pinshift_core::clock::SystemClock;
use pinshift_core::engagement::{Engagement, EngagementInfo};
use pinshift_core::secrets::KeychainStore;
use pinshift_core::{Error, Result};
use tracing_appender::non_blocking::WorkerGuard;

#[derive(Debug)]
pub struct AppState {
    engagement: Mutex<Option<Engagement>>,
    pub secrets: KeychainStore,
    pub clock: SystemClock,
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
    _log_guard: WorkerGuard,
}

impl AppState {
    pub fn new(data_dir: PathBuf, log_dir: PathBuf, log_guard: WorkerGuard) -> AppState {
        let secrets = match std::env::var("PINSHIFT_KEYCHAIN_SERVICE") {
            Ok(service) if !service.is_empty() => KeychainStore::with_service(service),
            _ => KeychainStore::new(),
        };
        AppState { engagement: Mutex::new(None), secrets, clock: SystemClock, data_dir, log_dir, _log_guard: log_guard }
    }

    /// The open engagement, locked for the duration of one command.
    pub fn engagement(&self) -> Result<MutexGuard<'_, Option<Engagement>>> {
        self.engagement.lock().map_err(|_| Error::Internal("engagement lock poisoned".into()))
    }

    /// Runs `f` on the open engagement; an error if none is open.
    pub fn with_engagement<T>(&self, f: impl FnOnce(&Engagement) -> Result<T>) -> Result<T> {
        let guard = self.engagement()?;
        let engagement = guard
            .as_ref()
            .ok_or_else(|| Error::invalid("engagement", "no engagement is open: open or create one first"))?;
        f(engagement)
    }

    /// Makes `engagement` the open one (closing any other) and returns its info.
    pub fn set(&self, engagement: Engagement) -> Result<EngagementInfo> {
        let info = engagement.info()?;
        *self.engagement()? = Some(engagement);
        Ok(info)
    }

    pub fn close(&self) -> Result<()> {
        *self.engagement()? = None;
        Ok(())
    }

    /// Opens `path`, or creates it when nothing is there (used for a file named on the command line).
    pub fn open_or_create(&self, path: &Path) -> Result<EngagementInfo> {
        let engagement = if path.exists() {
            Engagement::open(path, &self.clock)?
        } else {
            Engagement::create(path, None, &self.clock)?
        };
        self.set(engagement)
    }
}
