//! The inventory scan: reads every target (an account in a Region, reached through a connection) with a
//! [`PinpointSource`], stores what it finds as an estate in the engagement file, and reports progress.
//!
//! Reads run concurrently (bounded); results are stored as they arrive, so an interrupted scan keeps what
//! it read. A target's failures become [`ScanIssue`]s and the scan finishes "complete with gaps".

pub mod audience;
pub mod request;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;
use serde::Serialize;
use ts_rs::TS;

use crate::Result;
use crate::clock::{Clock, rfc3339};
use crate::engagement::Engagement;
use crate::estate::{ResourceKind, ResourceRecord, ScanIssue, ScanStatus, ScanSummary};

/// The Regions where Amazon Pinpoint ran; a scan without an explicit Region list covers them all.
pub const PINPOINT_REGIONS: [&str; 20] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "eu-south-1",
    "sa-east-1",
    "me-south-1",
    "af-south-1",
    "ap-east-1",
];

/// Daily application KPIs kept for every project (reference §1.3): what was sent, delivered, bounced,
/// complained about and opened, per day.
pub const DAILY_KPIS: [&str; 10] = [
    "txn-emails-sent-grouped-by-date",
    "txn-emails-delivered-grouped-by-date",
    "txn-emails-hard-bounced-grouped-by-date",
    "txn-emails-soft-bounced-grouped-by-date",
    "txn-emails-with-complaints-grouped-by-date",
    "txn-emails-opened-grouped-by-date",
    "txn-sms-sent-grouped-by-date",
    "txn-sms-delivered-grouped-by-date",
    "successful-delivery-rate-grouped-by-date",
    "unique-deliveries-grouped-by-date",
];

/// KPIs cover 90 days, read in windows of at most 31 days (Pinpoint's limit per call).
pub const KPI_DAYS: i64 = 90;
pub const KPI_WINDOW_DAYS: i64 = 31;

/// The KPI windows (first and last second, epoch seconds) covering the 90 days before `end`, oldest
/// first: whole UTC days, so windows meet at midnight, each ending a second before the next begins so no
/// day is counted twice; the last ends at `end`. (`pinshift dump-commands` computes the same in bash.)
pub fn kpi_windows(end: i64) -> Vec<(i64, i64)> {
    let day = 86_400;
    let start = end - end.rem_euclid(day) - KPI_DAYS * day;
    let mut windows = Vec::new();
    let mut from = start;
    while from < end {
        let to = (from + KPI_WINDOW_DAYS * day).min(end);
        windows.push((from, if to < end { to - 1 } else { to }));
        from = to;
    }
    windows
}

/// One account in one Region, reached through a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScanTarget {
    pub connection: String,
    pub account_id: String,
    pub region: String,
}

impl ScanTarget {
    /// A resource read in this target (`project` empty for account-level resources).
    pub fn record(
        &self,
        project: &str,
        kind: ResourceKind,
        (id, version): (&str, &str),
        name: Option<&str>,
        raw: serde_json::Value,
    ) -> ResourceRecord {
        ResourceRecord {
            account_id: self.account_id.clone(),
            region: self.region.clone(),
            project_id: project.to_owned(),
            kind,
            id: id.to_owned(),
            version: version.to_owned(),
            name: name.map(str::to_owned),
            raw,
        }
    }

    /// Something in this target that could not be read.
    pub fn issue(
        &self,
        project: &str,
        kind: ResourceKind,
        operation: &str,
        (code, message): (String, String),
    ) -> ScanIssue {
        ScanIssue {
            account_id: self.account_id.clone(),
            region: self.region.clone(),
            project_id: project.to_owned(),
            kind,
            operation: operation.to_owned(),
            code,
            message,
        }
    }
}

/// What one read found.
#[derive(Debug, Default, Clone)]
pub struct Read {
    pub records: Vec<ResourceRecord>,
    pub issues: Vec<ScanIssue>,
}

/// The `PinpointSource` port: live AWS (the sandbox is live AWS on a loopback endpoint) or an offline
/// dump. Reads never fail as a whole: what cannot be read comes back as issues.
pub trait PinpointSource: Sync {
    /// A target's projects (the list; each project's content comes from `read_project`).
    fn read_region(&self, target: &ScanTarget) -> impl Future<Output = Read> + Send;
    /// A target's account-level resources: templates, recommenders, SMS and voice v2 resources.
    fn read_account(&self, target: &ScanTarget) -> impl Future<Output = Read> + Send;
    /// Everything inside one project.
    fn read_project(&self, target: &ScanTarget, project_id: &str) -> impl Future<Output = Read> + Send;
    /// Attempts throttled and attempts failed (5xx, dropped) so far, all retried; zero for offline sources.
    fn pressure(&self) -> Pressure {
        Pressure::default()
    }
}

/// What a scan has had to retry so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Pressure {
    pub throttled: u64,
    pub failed_attempts: u64,
}

/// What a scan reports as it goes.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ScanEvent {
    Started {
        scan_id: String,
        targets: u32,
    },
    /// `total` units of work are known now (it grows as targets' project lists arrive).
    Planned {
        total: u32,
    },
    /// One unit (a target's project list, its account-level read, or one project) is done.
    Progress {
        done: u32,
        total: u32,
        target: ScanTarget,
        #[ts(optional)]
        project: Option<String>,
        resources: u32,
        issues: u32,
        /// Retried so far in this run: throttles and failed attempts.
        pressure: Pressure,
    },
    Finished {
        summary: ScanSummary,
    },
    /// A connection reached its account (before the scan starts).
    Connected {
        connection: String,
        account_id: String,
        arn: String,
    },
    /// A stopped scan goes on.
    Resuming {
        scan_id: String,
    },
    /// The engagement's lease was taken over from a holder that had not released it (asked to: that
    /// process is gone).
    TookOver {
        holder: crate::engagement::lease::LeaseHolder,
    },
    /// The inventory is stored; audience profiling (an export per project) begins.
    Profiling {
        scan_id: String,
    },
    /// The scan could not go on (a front end reports the error that ended it; what was read is kept).
    Failed {
        error: crate::ErrorPayload,
    },
}

/// The `Progress` port: CLI progress bars, desktop events.
pub trait Progress: Sync {
    fn report(&self, event: ScanEvent);
}

/// Ignores progress (for tests and scripts).
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn report(&self, _: ScanEvent) {}
}

/// How a scan runs.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Units (a target's project list or account-level read, a project) read at once.
    pub concurrency: usize,
    /// Set to stop the scan between reads; what was read is kept.
    pub cancel: Arc<AtomicBool>,
    /// Audience profiling after the inventory (opt-in); stored with the scan so a resumed scan does it too.
    pub audience: Option<audience::ExportSettings>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions { concurrency: 8, cancel: Arc::new(AtomicBool::new(false)), audience: None }
    }
}

/// Scans `targets` and stores the estate; returns its summary.
pub async fn scan(
    engagement: &Engagement,
    source: &impl PinpointSource,
    targets: &[ScanTarget],
    options: &ScanOptions,
    clock: &dyn Clock,
    progress: &dyn Progress,
) -> Result<ScanSummary> {
    let scan_id = uuid::Uuid::new_v4().to_string();
    let request = serde_json::json!({ "targets": targets, "audience": options.audience });
    engagement.begin_scan(&scan_id, &rfc3339(clock.now()), &request)?;
    run(engagement, source, &scan_id, targets, options, clock, progress).await
}

/// The targets a stored scan was asked to read.
pub fn stored_targets(engagement: &Engagement, scan_id: &str) -> Result<Vec<ScanTarget>> {
    let request = engagement.scan_request(scan_id)?;
    let targets = request["targets"].as_array().cloned().unwrap_or_default();
    Ok(targets
        .iter()
        .map(|t| ScanTarget {
            connection: t["connection"].as_str().unwrap_or_default().to_owned(),
            account_id: t["account_id"].as_str().unwrap_or_default().to_owned(),
            region: t["region"].as_str().unwrap_or_default().to_owned(),
        })
        .collect())
}

/// When a stored scan started, in epoch seconds: a resumed scan reads time-bound data (KPI windows) as
/// of then, so its parts agree with each other.
pub fn started_epoch(engagement: &Engagement, scan_id: &str) -> Result<i64> {
    let summary = engagement.scan_summary(Some(scan_id))?;
    summary
        .started_at
        .parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|e| crate::Error::Internal(format!("scan {scan_id} has a bad start time: {e}")))
}

/// Continues an interrupted scan: what it stored is kept, and only unfinished units are read.
pub async fn resume(
    engagement: &Engagement,
    source: &impl PinpointSource,
    scan_id: &str,
    options: &ScanOptions,
    clock: &dyn Clock,
    progress: &dyn Progress,
) -> Result<ScanSummary> {
    let targets = stored_targets(engagement, scan_id)?;
    engagement.reopen_scan(scan_id)?;
    run(engagement, source, scan_id, &targets, options, clock, progress).await
}

fn region_unit(target: &ScanTarget) -> String {
    format!("region/{}/{}/{}", target.connection, target.account_id, target.region)
}

fn account_unit(target: &ScanTarget) -> String {
    format!("account/{}/{}/{}", target.connection, target.account_id, target.region)
}

fn project_unit(target: &ScanTarget, project: &str) -> String {
    format!("project/{}/{}/{project}", target.account_id, target.region)
}

/// One stored step of a scan.
enum Unit {
    /// A target's project list.
    Region(ScanTarget),
    /// A target's account-level resources (templates, recommenders, SMS).
    Account(ScanTarget),
    Project(ScanTarget, String),
}

impl Unit {
    fn key(&self) -> String {
        match self {
            Unit::Region(t) => region_unit(t),
            Unit::Account(t) => account_unit(t),
            Unit::Project(t, p) => project_unit(t, p),
        }
    }
}

async fn run(
    engagement: &Engagement,
    source: &impl PinpointSource,
    scan_id: &str,
    targets: &[ScanTarget],
    options: &ScanOptions,
    clock: &dyn Clock,
    progress: &dyn Progress,
) -> Result<ScanSummary> {
    progress.report(ScanEvent::Started { scan_id: scan_id.to_owned(), targets: targets.len() as u32 });
    let finished = engagement.scan_units(scan_id)?;
    let cancelled = || options.cancel.load(Ordering::Relaxed);

    // Work: every target's project list first; a listed target adds its account-level read and its
    // projects, so projects are read while the (long) account-level read runs. A resumed scan queues
    // what it had not finished, with the projects its finished lists stored.
    let mut queue: std::collections::VecDeque<Unit> = std::collections::VecDeque::new();
    let stored_projects = engagement.scan_records(scan_id, Some(ResourceKind::Project))?;
    let mut total = 0u32;
    for target in targets {
        total += 2;
        if !finished.contains(&region_unit(target)) {
            queue.push_back(Unit::Region(target.clone()));
            continue;
        }
        let units = std::iter::once(Unit::Account(target.clone())).chain(
            stored_projects
                .iter()
                .filter(|r| r.account_id == target.account_id && r.region == target.region)
                .map(|r| Unit::Project(target.clone(), r.id.clone())),
        );
        for unit in units {
            total += u32::from(matches!(unit, Unit::Project(..)));
            if !finished.contains(&unit.key()) {
                queue.push_back(unit);
            }
        }
    }
    let mut done = total - queue.len() as u32 - queue.iter().filter(|u| matches!(u, Unit::Region(_))).count() as u32;
    progress.report(ScanEvent::Planned { total });

    let read = |unit: Unit| async move {
        let read = match &unit {
            Unit::Region(target) => source.read_region(target).await,
            Unit::Account(target) => source.read_account(target).await,
            Unit::Project(target, project) => source.read_project(target, project).await,
        };
        (unit, read)
    };
    let mut running = futures::stream::FuturesUnordered::new();
    loop {
        while running.len() < options.concurrency.max(1) && !cancelled() {
            let Some(unit) = queue.pop_front() else { break };
            running.push(read(unit));
        }
        let Some((unit, read)) = running.next().await else { break };
        engagement.store_scan_results(scan_id, &unit.key(), &read.records, &read.issues)?;
        done += 1;
        let (target, project) = match unit {
            Unit::Region(target) => {
                // The account-level read goes first: it is the longest of the target's reads.
                queue.push_front(Unit::Account(target.clone()));
                for record in read.records.iter().filter(|r| r.kind == ResourceKind::Project) {
                    queue.push_back(Unit::Project(target.clone(), record.id.clone()));
                    total += 1;
                }
                progress.report(ScanEvent::Planned { total });
                (target, None)
            }
            Unit::Account(target) => (target, None),
            Unit::Project(target, project) => (target, Some(project)),
        };
        progress.report(ScanEvent::Progress {
            done,
            total,
            target,
            project,
            resources: read.records.len() as u32,
            issues: read.issues.len() as u32,
            pressure: source.pressure(),
        });
        if cancelled() {
            break;
        }
    }
    drop(running);

    let issues = engagement.scan_issues(scan_id)?.len();
    let status = if cancelled() {
        ScanStatus::Cancelled
    } else if issues > 0 {
        ScanStatus::CompleteWithGaps
    } else {
        ScanStatus::Complete
    };
    engagement.finish_scan(scan_id, &rfc3339(clock.now()), status)?;
    let summary = engagement.scan_summary(Some(scan_id))?;
    progress.report(ScanEvent::Finished { summary: summary.clone() });
    Ok(summary)
}
