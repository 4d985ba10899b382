//! What the desktop holds between commands.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use pinshift_core::clock::SystemClock;
use pinshift_core::engagement::{Engagement, EngagementInfo};
use pinshift_core::secrets::KeychainStore;
use pinshift_core::{Error, Result};
use tracing_appender::non_blocking::WorkerGuard;

#[derive(Debug)]
pub struct AppState {
    engagement: Mutex<Option<Engagement>>,
    /// The demo sandbox, once "Try the demo estate" started it.
    demo: Mutex<Option<crate::demo::Demo>>,
    /// The running scan's cancel flag; `None` when no scan runs.
    scan: ScanSlot,
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
        AppState {
            engagement: Mutex::new(None),
            demo: Mutex::new(None),
            scan: ScanSlot::default(),
            secrets,
            clock: SystemClock,
            data_dir,
            log_dir,
            _log_guard: log_guard,
        }
    }

    /// Runs `f` on the demo sandbox, starting it first if needed.
    pub fn with_demo<T>(&self, f: impl FnOnce(&crate::demo::Demo) -> Result<T>) -> Result<T> {
        let mut demo = self.demo.lock().map_err(|_| Error::Internal("demo lock poisoned".into()))?;
        if demo.is_none() {
            *demo = Some(crate::demo::Demo::start()?);
        }
        match demo.as_ref() {
            Some(demo) => f(demo),
            None => Err(Error::Internal("the demo sandbox is not running".into())),
        }
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

    /// Claims the scan slot: the new scan's cancel flag, or an error while another scan runs.
    pub fn begin_scan(&self) -> Result<Arc<AtomicBool>> {
        let mut slot = self.scan.0.lock().map_err(|_| Error::Internal("scan lock poisoned".into()))?;
        if slot.is_some() {
            return Err(Error::invalid("scan", "a scan is already running: wait for it or cancel it"));
        }
        let cancel = Arc::new(AtomicBool::new(false));
        *slot = Some(cancel.clone());
        Ok(cancel)
    }

    /// A handle the scan thread releases the slot with.
    pub fn scan_slot(&self) -> ScanSlot {
        self.scan.clone()
    }

    /// Sets the running scan's cancel flag; `false` when no scan runs.
    pub fn cancel_scan(&self) -> Result<bool> {
        let slot = self.scan.0.lock().map_err(|_| Error::Internal("scan lock poisoned".into()))?;
        Ok(slot.as_ref().map(|cancel| cancel.store(true, Ordering::Relaxed)).is_some())
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

/// The running scan, shared with its thread.
#[derive(Debug, Clone, Default)]
pub struct ScanSlot(Arc<Mutex<Option<Arc<AtomicBool>>>>);

impl ScanSlot {
    /// Frees the slot (the scan ended, however).
    pub fn finish(&self) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = None;
        }
    }
}
