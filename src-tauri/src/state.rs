//! What the desktop holds between commands: which engagement is open (its path — each command opens its
//! own connection to the file, off the UI thread), the demo sandbox, the running jobs, the keychain.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use pinshift_core::clock::{Clock, SystemClock};
use pinshift_core::engagement::{Engagement, EngagementInfo};
use pinshift_core::secrets::KeychainStore;
use pinshift_core::{Error, Result};
use tracing_appender::non_blocking::WorkerGuard;

use crate::jobs::{Jobs, off_ui_thread};

#[derive(Debug)]
pub struct AppState {
    /// The open engagement's file.
    open: Mutex<Option<PathBuf>>,
    /// The demo sandbox, once "Try the demo estate" started it.
    demo: Arc<Mutex<Option<crate::demo::Demo>>>,
    pub jobs: Jobs,
    pub secrets: KeychainStore,
    pub clock: Arc<dyn Clock>,
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
    _log_guard: WorkerGuard,
}

/// What a command's core call gets besides the engagement.
#[derive(Debug, Clone)]
pub struct Context {
    pub secrets: KeychainStore,
    pub clock: Arc<dyn Clock>,
}

impl AppState {
    pub fn new(data_dir: PathBuf, log_dir: PathBuf, log_guard: WorkerGuard) -> AppState {
        let secrets = match std::env::var("PINSHIFT_KEYCHAIN_SERVICE") {
            Ok(service) if !service.is_empty() => KeychainStore::with_service(service),
            _ => KeychainStore::new(),
        };
        AppState {
            open: Mutex::new(None),
            demo: Arc::new(Mutex::new(None)),
            jobs: Jobs::default(),
            secrets,
            clock: Arc::new(SystemClock),
            data_dir,
            log_dir,
            _log_guard: log_guard,
        }
    }

    pub fn context(&self) -> Context {
        Context { secrets: self.secrets.clone(), clock: self.clock.clone() }
    }

    /// The open engagement's path; an error if none is open.
    pub fn path(&self) -> Result<PathBuf> {
        self.open
            .lock()
            .map_err(|_| Error::Internal("engagement lock poisoned".into()))?
            .clone()
            .ok_or_else(|| Error::invalid("engagement", "no engagement is open: open or create one first"))
    }

    /// Runs `f` on the open engagement off the UI thread, with a connection of its own.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Engagement, &Context) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let path = self.path()?;
        let context = self.context();
        off_ui_thread(move || f(&Engagement::open(&path, context.clock.as_ref())?, &context)).await
    }

    /// Makes the engagement at `path` the open one (closing any other) and returns its info.
    pub fn set(&self, path: &Path, info: EngagementInfo) -> Result<EngagementInfo> {
        *self.open.lock().map_err(|_| Error::Internal("engagement lock poisoned".into()))? = Some(path.to_owned());
        Ok(info)
    }

    pub fn close(&self) -> Result<()> {
        *self.open.lock().map_err(|_| Error::Internal("engagement lock poisoned".into()))? = None;
        Ok(())
    }

    /// Opens `path`, or creates it when nothing is there (used for a file named on the command line).
    pub fn open_or_create(&self, path: &Path) -> Result<EngagementInfo> {
        let engagement = if path.exists() {
            Engagement::open(path, self.clock.as_ref())?
        } else {
            Engagement::create(path, None, self.clock.as_ref())?
        };
        self.set(engagement.path(), engagement.info()?)
    }

    /// The demo sandbox (started on first use), shared with worker threads.
    pub fn demo(&self) -> Arc<Mutex<Option<crate::demo::Demo>>> {
        self.demo.clone()
    }
}
