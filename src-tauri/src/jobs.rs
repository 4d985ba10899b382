//! Work off the UI thread. Tauri runs synchronous commands on the main (UI) thread, so every command that
//! touches the engagement is `async` and hands its core call to [`off_ui_thread`]. Long jobs (a scan now;
//! a migration run or an audience load later) go through [`Jobs`]: one slot per kind, a thread of their
//! own with a runtime, a cancel flag, progress over the caller's channel, and the slot freed however the
//! job ends.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use pinshift_core::{Error, Result};

/// Runs `f` on a thread of its own and waits for it without blocking any thread: the UI thread stays free
/// while core computes a blueprint or writes the engagement file.
pub async fn off_ui_thread<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("pinshift-command".into())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .map_err(|e| Error::Internal(format!("could not start a worker thread: {e}")))?;
    rx.await.map_err(|_| Error::Internal("a command's worker thread ended without an answer".into()))?
}

/// The kinds of long job; one of each runs at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    Scan,
}

impl JobKind {
    fn label(self) -> &'static str {
        match self {
            JobKind::Scan => "scan",
        }
    }
}

/// The jobs running, each kind with its cancel flag.
type Running = Arc<Mutex<Vec<(JobKind, Arc<AtomicBool>)>>>;

/// The running jobs, by kind, with their cancel flags.
#[derive(Debug, Default)]
pub struct Jobs {
    running: Running,
}

/// A claimed slot: the job's cancel flag; the slot is freed when this is dropped (the job ended, or it
/// never started).
#[derive(Debug)]
pub struct JobSlot {
    kind: JobKind,
    pub cancel: Arc<AtomicBool>,
    running: Running,
}

impl Drop for JobSlot {
    fn drop(&mut self) {
        if let Ok(mut running) = self.running.lock() {
            running.retain(|(k, _)| *k != self.kind);
        }
    }
}

/// What a job's body gets: a runtime for its async work (the cancel flag is the slot's, handed to the
/// work before it starts).
#[derive(Debug)]
pub struct JobContext {
    pub runtime: tokio::runtime::Runtime,
}

impl Jobs {
    /// Claims the slot of `kind`, or refuses while a job of that kind runs.
    pub fn claim(&self, kind: JobKind) -> Result<JobSlot> {
        let mut running = self.running.lock().map_err(|_| Error::Internal("job list lock poisoned".into()))?;
        if running.iter().any(|(k, _)| *k == kind) {
            return Err(Error::invalid(
                kind.label(),
                format!("a {} is already running: wait for it or stop it", kind.label()),
            ));
        }
        let cancel = Arc::new(AtomicBool::new(false));
        running.push((kind, cancel.clone()));
        Ok(JobSlot { kind, cancel, running: self.running.clone() })
    }

    /// Asks the running job of `kind` to stop; `false` when none runs.
    pub fn cancel(&self, kind: JobKind) -> Result<bool> {
        let running = self.running.lock().map_err(|_| Error::Internal("job list lock poisoned".into()))?;
        let found = running.iter().find(|(k, _)| *k == kind);
        if let Some((_, cancel)) = found {
            cancel.store(true, Ordering::Relaxed);
        }
        Ok(found.is_some())
    }

    /// The kinds running now.
    #[cfg(test)]
    fn running(&self) -> std::collections::HashSet<&'static str> {
        self.running.lock().map(|r| r.iter().map(|(k, _)| k.label()).collect()).unwrap_or_default()
    }
}

impl JobSlot {
    /// Runs `body` on the job's own thread with its own runtime; an error it returns goes to `failed`
    /// (the job's channel). The slot is freed when the thread ends.
    pub fn spawn(
        self,
        body: impl FnOnce(&JobContext) -> Result<()> + Send + 'static,
        failed: impl FnOnce(Error) + Send + 'static,
    ) -> Result<()> {
        let name = format!("pinshift-{}", self.kind.label());
        std::thread::Builder::new()
            .name(name)
            .spawn(move || {
                let outcome = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Error::Internal(format!("could not start the job's runtime: {e}")))
                    .and_then(|runtime| body(&JobContext { runtime }));
                if let Err(error) = outcome {
                    tracing::warn!(%error, job = self.kind.label(), "job failed");
                    failed(error);
                }
                drop(self);
            })
            .map(|_| ())
            .map_err(|e| Error::Internal(format!("could not start the job: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_job_of_a_kind_at_a_time_and_the_slot_frees_itself() {
        let jobs = Jobs::default();
        let slot = jobs.claim(JobKind::Scan).expect("first");
        assert!(jobs.claim(JobKind::Scan).is_err(), "a second scan is refused");
        assert!(jobs.cancel(JobKind::Scan).expect("cancel"));
        assert!(slot.cancel.load(Ordering::Relaxed));
        let (tx, rx) = std::sync::mpsc::channel();
        let cancel = slot.cancel.clone();
        slot.spawn(
            move |job| {
                let answer = job.runtime.block_on(async { 42 });
                let _ = tx.send((answer, cancel.load(Ordering::Relaxed)));
                Err(pinshift_core::Error::Internal("done".into()))
            },
            |error| assert!(error.to_string().contains("done")),
        )
        .expect("spawn");
        assert_eq!(rx.recv().ok(), Some((42, true)), "the job runs async work and sees its cancel flag");
        for _ in 0..100 {
            if jobs.running().is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(jobs.running().is_empty(), "the slot is freed when the job ends");
        assert!(!jobs.cancel(JobKind::Scan).expect("cancel"), "nothing to cancel");
    }
}
