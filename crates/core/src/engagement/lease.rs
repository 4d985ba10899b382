//! The lease that keeps two processes from writing one engagement at once. Whatever writes (a scan now; a
//! migration run or an audience load later) takes it before it starts, from the CLI or the desktop alike:
//! a row in the engagement file naming the job, host, pid and start time, renewed by a heartbeat while the
//! job runs and removed when it ends. A process killed with its lease held leaves a row that lapses after
//! [`LEASE_SECONDS`]; it can be taken over at once by saying so, and the refusal names the holder.
//!
//! A lost lease (taken over by another process) is noticed at the next heartbeat: [`LeaseGuard::lost`]
//! turns true and the job's cancel flag is set, so it stops between reads.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use ts_rs::TS;

use super::Engagement;
use crate::clock::{Clock, rfc3339};
use crate::{Error, Result};

/// How long a lease lasts without a heartbeat (the heartbeat renews it every third of this).
pub const LEASE_SECONDS: i64 = 30;
/// The one lease writers share.
const NAME: &str = "writer";

/// Who holds the lease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LeaseHolder {
    /// What runs: `pinshift scan`, `desktop: scan`.
    pub job: String,
    pub host: String,
    pub pid: u32,
    pub started_at: String,
    pub expires_at: String,
}

impl LeaseHolder {
    /// `pinshift scan (pid 4242 on build-7)`
    pub fn describe(&self) -> String {
        format!("{} (pid {} on {})", self.job, self.pid, self.host)
    }
}

/// How a job asks for the lease.
#[derive(Debug, Clone)]
pub struct LeaseRequest {
    pub job: String,
    /// Take it even if another holder's lease has not lapsed (the person says that process is gone).
    pub take_over: bool,
    /// Seconds without a heartbeat before the lease lapses.
    pub seconds: i64,
}

impl LeaseRequest {
    pub fn new(job: impl Into<String>) -> LeaseRequest {
        LeaseRequest { job: job.into(), take_over: false, seconds: lease_seconds() }
    }

    pub fn take_over(mut self, take_over: bool) -> LeaseRequest {
        self.take_over = take_over;
        self
    }
}

/// The lease length: [`LEASE_SECONDS`], or `PINSHIFT_LEASE_SECONDS` (tests shorten it).
pub fn lease_seconds() -> i64 {
    std::env::var("PINSHIFT_LEASE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|s| *s > 0)
        .unwrap_or(LEASE_SECONDS)
}

/// The held lease: renewed in the background until dropped, then released.
#[derive(Debug)]
pub struct LeaseGuard {
    holder: LeaseHolder,
    /// Previous holder whose unlapsed lease this one took over.
    pub took_over: Option<LeaseHolder>,
    stop: Arc<(Mutex<bool>, Condvar)>,
    lost: Arc<AtomicBool>,
    heartbeat: Option<std::thread::JoinHandle<()>>,
}

impl LeaseGuard {
    pub fn holder(&self) -> &LeaseHolder {
        &self.holder
    }

    /// Another process took the lease over: the job must stop.
    pub fn lost(&self) -> bool {
        self.lost.load(Ordering::Relaxed)
    }
}

impl Drop for LeaseGuard {
    fn drop(&mut self) {
        let (stopped, wake) = &*self.stop;
        if let Ok(mut s) = stopped.lock() {
            *s = true;
        }
        wake.notify_all();
        if let Some(h) = self.heartbeat.take() {
            let _ = h.join();
        }
    }
}

fn host() -> String {
    gethostname::gethostname().to_string_lossy().into_owned()
}

fn holder_of(conn: &Connection) -> Result<Option<(String, LeaseHolder)>> {
    Ok(conn
        .query_row("SELECT token, job, host, pid, started_at, expires_at FROM lease WHERE name = ?1", [NAME], |row| {
            Ok((
                row.get::<_, String>(0)?,
                LeaseHolder {
                    job: row.get(1)?,
                    host: row.get(2)?,
                    pid: row.get(3)?,
                    started_at: row.get(4)?,
                    expires_at: row.get(5)?,
                },
            ))
        })
        .optional()?)
}

impl Engagement {
    /// Who holds the lease now (a lapsed lease is still reported, with its lapse time).
    pub fn lease_holder(&self) -> Result<Option<LeaseHolder>> {
        Ok(holder_of(self.conn())?.map(|(_, h)| h))
    }

    /// Takes the lease for `request.job`, or refuses naming who holds it. `cancel` is set when the lease is
    /// lost later (another process took it over), so the job stops.
    pub fn acquire_lease(
        &self,
        request: &LeaseRequest,
        clock: Arc<dyn Clock>,
        cancel: Option<Arc<AtomicBool>>,
    ) -> Result<LeaseGuard> {
        let now = clock.now();
        let token = uuid::Uuid::new_v4().to_string();
        let expires = now + jiff::SignedDuration::from_secs(request.seconds);
        let holder = LeaseHolder {
            job: request.job.clone(),
            host: host(),
            pid: std::process::id(),
            started_at: rfc3339(now),
            expires_at: rfc3339(expires),
        };
        let mut conn = Connection::open(self.path()).map_err(Error::from)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = holder_of(&tx)?;
        let mut took_over = None;
        if let Some((_, other)) = current {
            let lapsed = other.expires_at.parse::<jiff::Timestamp>().map(|t| t <= now).unwrap_or(true);
            if !lapsed && !request.take_over {
                return Err(Error::Locked {
                    path: self.path().to_owned(),
                    holder: other.describe(),
                    since: other.started_at.clone(),
                    expires: other.expires_at.clone(),
                });
            }
            if !lapsed {
                took_over = Some(other);
            }
        }
        tx.execute(
            "INSERT INTO lease (name, token, job, host, pid, started_at, renewed_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)
             ON CONFLICT (name) DO UPDATE SET token = excluded.token, job = excluded.job, host = excluded.host,
               pid = excluded.pid, started_at = excluded.started_at, renewed_at = excluded.renewed_at,
               expires_at = excluded.expires_at",
            params![NAME, token, holder.job, holder.host, holder.pid, holder.started_at, holder.expires_at],
        )?;
        tx.commit()?;
        if let Some(t) = &took_over {
            tracing::warn!(taken_from = %t.describe(), "took over the engagement's lease");
        }
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let lost = Arc::new(AtomicBool::new(false));
        let heartbeat = {
            let (stop, lost, path, seconds) = (stop.clone(), lost.clone(), self.path().to_owned(), request.seconds);
            std::thread::Builder::new()
                .name("pinshift-lease".into())
                .spawn(move || heartbeat(conn, &path, &token, seconds, clock.as_ref(), &stop, &lost, cancel))
                .map_err(|e| Error::Internal(format!("could not start the lease heartbeat: {e}")))?
        };
        Ok(LeaseGuard { holder, took_over, stop, lost, heartbeat: Some(heartbeat) })
    }
}

/// Renews the lease every third of its length until stopped, then releases it; marks it lost (and sets
/// `cancel`) when another process has taken it over.
#[allow(clippy::too_many_arguments)]
fn heartbeat(
    conn: Connection,
    path: &Path,
    token: &str,
    seconds: i64,
    clock: &dyn Clock,
    stop: &(Mutex<bool>, Condvar),
    lost: &AtomicBool,
    cancel: Option<Arc<AtomicBool>>,
) {
    let every = Duration::from_millis((seconds.max(1) as u64) * 1000 / 3);
    let (stopped, wake) = stop;
    loop {
        let Ok(guard) = stopped.lock() else { break };
        let Ok((guard, _)) = wake.wait_timeout_while(guard, every, |s| !*s) else { break };
        if *guard {
            break;
        }
        drop(guard);
        let now = clock.now();
        let renewed = conn.execute(
            "UPDATE lease SET renewed_at = ?1, expires_at = ?2 WHERE name = ?3 AND token = ?4",
            params![rfc3339(now), rfc3339(now + jiff::SignedDuration::from_secs(seconds)), NAME, token],
        );
        match renewed {
            Ok(0) => {
                tracing::warn!(path = %path.display(), "the engagement's lease was taken over: stopping");
                lost.store(true, Ordering::Relaxed);
                if let Some(cancel) = &cancel {
                    cancel.store(true, Ordering::Relaxed);
                }
                return;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "could not renew the engagement's lease (will retry)"),
        }
    }
    if let Err(error) = conn.execute("DELETE FROM lease WHERE name = ?1 AND token = ?2", params![NAME, token]) {
        tracing::warn!(%error, path = %path.display(), "could not release the engagement's lease; it lapses on its own");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SystemClock;

    fn engagement() -> (tempfile::TempDir, Engagement) {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = Engagement::create(&dir.path().join("e.pinshift"), None, &SystemClock).expect("create");
        (dir, e)
    }

    #[test]
    fn a_second_writer_is_refused_naming_the_first_until_it_releases() {
        let (_dir, e) = engagement();
        let first = e.acquire_lease(&LeaseRequest::new("pinshift scan"), Arc::new(SystemClock), None).expect("first");
        let refused =
            e.acquire_lease(&LeaseRequest::new("desktop: scan"), Arc::new(SystemClock), None).expect_err("busy");
        assert_eq!(refused.code(), crate::ErrorCode::Locked);
        let text = refused.to_string();
        assert!(text.contains("pinshift scan") && text.contains(&std::process::id().to_string()), "{text}");
        assert!(refused.hint().is_some_and(|h| h.contains("--take-over")), "{:?}", refused.hint());
        assert_eq!(e.lease_holder().expect("holder").map(|h| h.job), Some("pinshift scan".to_owned()));
        drop(first);
        assert_eq!(e.lease_holder().expect("holder"), None, "released on drop");
        let second = e.acquire_lease(&LeaseRequest::new("desktop: scan"), Arc::new(SystemClock), None);
        assert!(second.is_ok());
    }

    #[test]
    fn a_taken_over_lease_is_lost_and_cancels_its_job() {
        let (_dir, e) = engagement();
        let cancel = Arc::new(AtomicBool::new(false));
        // Long enough not to lapse before the take-over on a busy machine (a lapsed lease is taken without a
        // take-over), short enough that the loser's heartbeat (every third of it) comes soon.
        let short = LeaseRequest { job: "stuck".into(), take_over: false, seconds: 3 };
        let first = e.acquire_lease(&short, Arc::new(SystemClock), Some(cancel.clone())).expect("first");
        let second = e
            .acquire_lease(&LeaseRequest::new("rescuer").take_over(true), Arc::new(SystemClock), None)
            .expect("take over");
        assert_eq!(second.took_over.as_ref().map(|h| h.job.as_str()), Some("stuck"));
        for _ in 0..100 {
            if first.lost() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(first.lost() && cancel.load(Ordering::Relaxed), "the first job learns it lost the lease");
        drop(first);
        assert_eq!(
            e.lease_holder().expect("holder").map(|h| h.job),
            Some("rescuer".to_owned()),
            "not released by the loser"
        );
    }
}
