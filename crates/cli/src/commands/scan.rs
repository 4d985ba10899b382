//! `pinshift scan`: connects through each connection, then scans every account × Region with the live
//! Pinpoint reader, showing progress; Ctrl-C stops cleanly and keeps what was read.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pinshift_core::clock::SystemClock;
use pinshift_core::dump::DumpSource;
use pinshift_core::engagement::Engagement;
use pinshift_core::estate::{ScanStatus, ScanSummary};
use pinshift_core::scan::request::ScanRequest;
use pinshift_core::scan::{Progress, ScanEvent, resume as resume_scan, scan};

use crate::commands::connection::keychain;
use crate::{EXIT_CANCELLED, EXIT_GAPS, output};

/// Progress as an indicatif bar on stderr (hidden when stderr is not a terminal or with --json), and
/// one-line messages for the steps around it.
struct Bar {
    bar: ProgressBar,
    quiet: bool,
}

impl Bar {
    fn say(&self, message: &str) {
        if !self.quiet {
            self.bar.println(message);
        }
    }
}

impl Progress for Bar {
    fn report(&self, event: ScanEvent) {
        let bar = &self.bar;
        match event {
            ScanEvent::Connected { connection, account_id, arn } => {
                self.say(&format!("Connected {connection}: account {account_id} as {arn}"));
            }
            ScanEvent::Resuming { scan_id } => self.say(&format!("Resuming scan {scan_id}")),
            // Always said (also without a terminal): someone else's lease was taken.
            ScanEvent::TookOver { holder } => bar.suspend(|| {
                output::status(&format!(
                    "Took the engagement over from {} (started {}, lease until {})",
                    holder.describe(),
                    holder.started_at,
                    holder.expires_at
                ))
            }),
            ScanEvent::Profiling { .. } => {
                self.say("Profiling audiences: an endpoint export per project, streamed from S3 (not kept)");
                bar.reset();
            }
            ScanEvent::Started { targets, .. } => bar.set_length(u64::from(targets)),
            ScanEvent::Planned { total } => bar.set_length(u64::from(total)),
            ScanEvent::Progress { done, total, target, project, issues, pressure, .. } => {
                bar.set_length(u64::from(total));
                bar.set_position(u64::from(done));
                let place = match project {
                    Some(project) => format!("{} {} project {project}", target.account_id, target.region),
                    None => format!("{} {}", target.account_id, target.region),
                };
                if issues > 0 {
                    self.say(&format!("  {issues} issue(s) in {place}"));
                }
                let retried = match (pressure.throttled, pressure.failed_attempts) {
                    (0, 0) => String::new(),
                    (throttled, failed) => format!(" · retried {throttled} throttled, {failed} failed attempts"),
                };
                bar.set_message(format!("{place}{retried}"));
            }
            ScanEvent::Finished { .. } => bar.finish_and_clear(),
            ScanEvent::Failed { .. } => bar.abandon(),
        }
    }
}

/// The job name the engagement's lease records for a CLI scan.
const JOB: &str = "pinshift scan";

/// `pinshift scan [--connection N]… [--region R]… [--resume] [--take-over] [--audience-…]`.
pub async fn run(engagement: &Engagement, request: ScanRequest, json: bool) -> anyhow::Result<ExitCode> {
    let cancel = cancel_on_ctrl_c();
    let bar = progress_bar(json);
    let summary =
        pinshift_aws::scan::run(engagement, &keychain(), &request, JOB, cancel, Arc::new(SystemClock), &bar).await?;
    report(engagement, &summary, json)
}

/// `pinshift scan --from-dump DIR [--resume] [--take-over]`: the same scan over the offline dump source.
pub async fn from_dump(
    engagement: &Engagement,
    dir: &std::path::Path,
    resume: bool,
    take_over: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let source = DumpSource::new(dir);
    let targets = source.targets().map_err(|source| pinshift_core::Error::Io { path: dir.to_owned(), source })?;
    let cancel = cancel_on_ctrl_c();
    let prepared = engagement.prepare_dump_scan(
        dir,
        targets,
        resume,
        take_over,
        &format!("{JOB} --from-dump"),
        Arc::new(SystemClock),
        cancel,
    )?;
    let bar = progress_bar(json);
    let summary = match &prepared.resumed {
        Some(id) => {
            if !json {
                output::status(&format!("Resuming scan {id} from {}", dir.display()));
            }
            resume_scan(engagement, &source, id, &prepared.options, &SystemClock, &bar).await?
        }
        None => scan(engagement, &source, &prepared.targets, &prepared.options, &SystemClock, &bar).await?,
    };
    if let Some(holder) = prepared.took_over_from() {
        output::status(&format!("Took the engagement over from {}", holder.describe()));
    }
    drop(prepared);
    report(engagement, &summary, json)
}

/// A cancel flag Ctrl-C sets: the scan stops between reads and keeps what it read.
fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, Ordering::Relaxed);
        }
    });
    cancel
}

fn progress_bar(json: bool) -> Bar {
    let target = if json { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
    let bar = ProgressBar::with_draw_target(Some(0), target);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} [{bar:30}] {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    Bar { bar, quiet: json }
}

/// One line per profiled project: endpoints, opt-outs, missing UserIds, addresses shared with others.
fn audience_summary(engagement: &Engagement, scan_id: &str) -> anyhow::Result<()> {
    let profiles = engagement.scan_records(scan_id, Some(pinshift_core::estate::ResourceKind::AudienceProfile))?;
    if profiles.is_empty() {
        return Ok(());
    }
    let names: std::collections::HashMap<String, String> = engagement
        .scan_records(scan_id, Some(pinshift_core::estate::ResourceKind::Project))?
        .into_iter()
        .map(|p| (p.id, p.name.unwrap_or_default()))
        .collect();
    let mut rows = Vec::new();
    for record in profiles {
        let Ok(p) = serde_json::from_value::<pinshift_core::scan::audience::AudienceProfile>(record.raw) else {
            continue;
        };
        let name = names.get(&record.project_id).cloned().unwrap_or(record.project_id);
        let shared: u64 = p.shared_with.values().sum();
        let cells = [p.endpoints, p.opted_out, p.without_user_id, shared].map(|n| n.to_string());
        rows.push(std::iter::once(name).chain(cells).collect());
    }
    rows.sort();
    output::text("\n")?;
    output::table(&["Audience", "Endpoints", "Opted out", "No UserId", "Shared with other projects"], &rows)?;
    Ok(())
}

fn report(engagement: &Engagement, summary: &ScanSummary, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        output::json(&summary)?;
    } else {
        output::fields(&[
            ("Scan", summary.id.clone()),
            ("Status", summary.status.to_string()),
            ("Accounts", summary.accounts.to_string()),
            ("Projects", summary.projects.to_string()),
            ("Resources", summary.resources.to_string()),
            ("Issues", summary.issues.to_string()),
        ])?;
        audience_summary(engagement, &summary.id)?;
        let issues = engagement.scan_issues(&summary.id)?;
        for issue in issues.iter().take(20) {
            output::status(&format!(
                "  {} {} {} {}: {} — {}",
                issue.account_id, issue.region, issue.project_id, issue.operation, issue.code, issue.message
            ));
        }
        // What to do, once per distinct explanation.
        let mut actions: Vec<String> = issues.iter().map(|i| i.explain().action).collect();
        actions.dedup();
        actions.sort();
        actions.dedup();
        for action in actions {
            output::status(&format!("  → {action}"));
        }
        if summary.issues > 20 {
            output::status(&format!("  … and {} more: pinshift estate show {}", summary.issues - 20, summary.id));
        }
    }
    Ok(match summary.status {
        ScanStatus::Complete => ExitCode::SUCCESS,
        ScanStatus::CompleteWithGaps => ExitCode::from(EXIT_GAPS),
        ScanStatus::Cancelled => ExitCode::from(EXIT_CANCELLED),
        ScanStatus::Running | ScanStatus::Failed => ExitCode::FAILURE,
    })
}
