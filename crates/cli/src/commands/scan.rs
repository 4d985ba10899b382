//! `pinshift scan`: connects through each connection, then scans every account × Region with the live
//! Pinpoint reader, showing progress; Ctrl-C stops cleanly and keeps what was read.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pinshift_aws::pinpoint::PinpointReader;
use pinshift_core::audience::ExportSettings;
use pinshift_core::clock::{Clock, SystemClock};
use pinshift_core::connections::validate_region;
use pinshift_core::dump::{self, DumpSource};
use pinshift_core::engagement::Engagement;
use pinshift_core::estate::{ScanStatus, ScanSummary};
use pinshift_core::scan::{
    PINPOINT_REGIONS, Progress, ScanEvent, ScanOptions, ScanTarget, resume as resume_scan, scan, stored_targets,
};

use crate::commands::connection::keychain;
use crate::{EXIT_CANCELLED, EXIT_GAPS, output};

/// Progress as an indicatif bar on stderr (hidden when stderr is not a terminal or with --json).
struct Bar(ProgressBar);

impl Progress for Bar {
    fn report(&self, event: ScanEvent) {
        match event {
            ScanEvent::Started { targets, .. } => self.0.set_length(u64::from(targets)),
            ScanEvent::Planned { total } => self.0.set_length(u64::from(total)),
            ScanEvent::Progress { done, total, target, project, issues, .. } => {
                self.0.set_length(u64::from(total));
                self.0.set_position(u64::from(done));
                let place = match project {
                    Some(project) => format!("{} {} project {project}", target.account_id, target.region),
                    None => format!("{} {}", target.account_id, target.region),
                };
                if issues > 0 {
                    self.0.println(format!("  {issues} issue(s) in {place}"));
                }
                self.0.set_message(place);
            }
            ScanEvent::Finished { .. } => self.0.finish_and_clear(),
        }
    }
}

/// What a new scan covers.
pub struct Scope<'a> {
    pub connections: &'a [String],
    pub regions: &'a [String],
    pub audience: Option<ExportSettings>,
}

pub async fn run(
    engagement: &Engagement,
    Scope { connections, regions, audience }: Scope<'_>,
    concurrency: usize,
    resume: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    if let Some(settings) = &audience {
        settings.validate()?;
    }
    for region in regions {
        validate_region(region)?;
        if !PINPOINT_REGIONS.contains(&region.as_str()) {
            return Err(pinshift_core::Error::invalid(
                "region",
                format!("Amazon Pinpoint never ran in {region:?}; its Regions are {}", PINPOINT_REGIONS.join(", ")),
            )
            .into());
        }
    }
    let resumed = if resume {
        let (id, targets) = resumable(engagement)?;
        if targets.iter().any(|t| t.connection == dump::CONNECTION) {
            return Err(pinshift_core::Error::invalid(
                "scan",
                format!("scan {id} read an offline dump: resume it with `pinshift scan --resume --from-dump DIR`"),
            )
            .into());
        }
        Some((id, targets))
    } else {
        None
    };
    let names: Vec<String> = match &resumed {
        Some((_, targets)) => {
            let mut names: Vec<String> = targets.iter().map(|t| t.connection.clone()).collect();
            names.dedup();
            names
        }
        None if connections.is_empty() => {
            engagement.list_connections(&keychain())?.into_iter().map(|c| c.name).collect()
        }
        None => connections.to_vec(),
    };
    if names.is_empty() {
        return Err(pinshift_core::Error::invalid(
            "connection",
            "this engagement has no connection: add one with `pinshift connection add`",
        )
        .into());
    }
    let regions: Vec<String> =
        if regions.is_empty() { PINPOINT_REGIONS.iter().map(|r| (*r).to_owned()).collect() } else { regions.to_vec() };

    let mut configs = HashMap::new();
    let mut targets = Vec::new();
    for name in &names {
        let resolved = engagement.resolve_connection(name, &keychain())?;
        let (config, identity) = pinshift_aws::identity::connect(&resolved).await?;
        if !json {
            output::status(&format!("Connected {name}: account {} as {}", identity.account, identity.arn));
        }
        for region in &regions {
            targets.push(ScanTarget {
                connection: name.clone(),
                account_id: identity.account.clone(),
                region: region.clone(),
            });
        }
        configs.insert(name.clone(), config);
    }

    // KPI windows end when the scan started, also for the parts a resumed scan reads later.
    let kpi_end = match &resumed {
        Some((id, _)) => pinshift_core::scan::started_epoch(engagement, id)?,
        None => SystemClock.now().as_second(),
    };
    let reader = PinpointReader::new(configs, kpi_end).with_concurrency(concurrency);
    let (mut options, bar) = prepare(concurrency, json);
    options.audience = audience;
    let mut summary = match &resumed {
        Some((id, _)) => {
            if !json {
                output::status(&format!("Resuming scan {id}"));
            }
            resume_scan(engagement, &reader, id, &options, &SystemClock, &bar).await?
        }
        None => scan(engagement, &reader, &targets, &options, &SystemClock, &bar).await?,
    };
    if summary.status != ScanStatus::Cancelled && pinshift_core::audience::requested(engagement, &summary.id)?.is_some()
    {
        if !json {
            output::status("Profiling audiences: an endpoint export per project, streamed from S3 (not kept)");
        }
        let bar = progress_bar(json);
        summary =
            pinshift_core::audience::profile(engagement, &reader, &summary.id, &options, &SystemClock, &bar).await?;
    }
    report(engagement, &summary, json)
}

/// The newest stopped or interrupted scan and its targets.
fn resumable(engagement: &Engagement) -> anyhow::Result<(String, Vec<ScanTarget>)> {
    let id = engagement.resumable_scan()?.ok_or_else(|| {
        pinshift_core::Error::invalid(
            "scan",
            "no stopped or interrupted scan to resume: start one with `pinshift scan`",
        )
    })?;
    let targets = stored_targets(engagement, &id)?;
    Ok((id, targets))
}

/// `pinshift scan --from-dump DIR [--resume]`: the same scan over the offline dump source.
pub async fn from_dump(
    engagement: &Engagement,
    dir: &std::path::Path,
    concurrency: usize,
    resume: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let source = DumpSource::new(dir);
    if resume {
        let (id, targets) = resumable(engagement)?;
        if targets.iter().any(|t| t.connection != dump::CONNECTION) {
            return Err(pinshift_core::Error::invalid(
                "scan",
                format!("scan {id} read AWS, not a dump: resume it with `pinshift scan --resume`"),
            )
            .into());
        }
        if !json {
            output::status(&format!("Resuming scan {id} from {}", dir.display()));
        }
        let (options, bar) = prepare(concurrency, json);
        let summary = resume_scan(engagement, &source, &id, &options, &SystemClock, &bar).await?;
        return report(engagement, &summary, json);
    }
    let targets = source.targets().map_err(|source| pinshift_core::Error::Io { path: dir.to_owned(), source })?;
    if targets.is_empty() {
        return Err(pinshift_core::Error::invalid(
            "dump",
            format!(
                "{} holds no <account id>/<region> folders: write one with `pinshift dump-commands`",
                dir.display()
            ),
        )
        .into());
    }
    let (options, bar) = prepare(concurrency, json);
    let summary = scan(engagement, &source, &targets, &options, &SystemClock, &bar).await?;
    report(engagement, &summary, json)
}

/// Units (a project, a target's list or account-level read) in flight per AWS request in flight: measured
/// with `cargo bench -p pinshift-aws --bench scan` (1× gave 1.4× the lower bound, 4× 1.23×).
const UNITS_PER_REQUEST: usize = 4;

/// Scan options whose cancel flag Ctrl-C sets, and the progress bar (hidden for --json).
fn prepare(concurrency: usize, json: bool) -> (ScanOptions, Bar) {
    // `--concurrency` bounds AWS requests in flight (the reader's permits); more units than that run side
    // by side, so the requests of one unit's slow tail never leave permits idle.
    let options = ScanOptions { concurrency: concurrency.saturating_mul(UNITS_PER_REQUEST), ..ScanOptions::default() };
    let cancel = options.cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            cancel.store(true, Ordering::Relaxed);
        }
    });
    (options, progress_bar(json))
}

fn progress_bar(json: bool) -> Bar {
    let target = if json { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
    let bar = ProgressBar::with_draw_target(Some(0), target);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} [{bar:30}] {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    Bar(bar)
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
        let Ok(p) = serde_json::from_value::<pinshift_core::audience::AudienceProfile>(record.raw) else { continue };
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
        for issue in engagement.scan_issues(&summary.id)?.iter().take(20) {
            output::status(&format!(
                "  {} {} {} {}: {} — {}",
                issue.account_id, issue.region, issue.project_id, issue.operation, issue.code, issue.message
            ));
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
