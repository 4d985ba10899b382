//! A whole scan as both front ends run it: resolve the connections (keychain, profiles, assumed roles),
//! check who each one is, scan every account × Region with the live reader, then profile audiences when
//! the scan asked for it. Progress (including who connected) goes through core's `Progress` port.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use pinshift_core::clock::Clock;
use pinshift_core::connections::validate_region;
use pinshift_core::dump;
use pinshift_core::engagement::Engagement;
use pinshift_core::estate::{ScanStatus, ScanSummary};
use pinshift_core::scan::audience::ExportSettings;
use pinshift_core::scan::{PINPOINT_REGIONS, Progress, ScanEvent, ScanOptions, ScanTarget, stored_targets};
use pinshift_core::secrets::SecretStore;
use pinshift_core::{Error, Result};

use crate::pinpoint::PinpointReader;

/// Units (a project, a target's list or account-level read) in flight per AWS request in flight:
/// measured with `cargo bench -p pinshift-aws --bench scan` (1× gave 1.4× the lower bound, 4× 1.23×).
pub const UNITS_PER_REQUEST: usize = 4;

/// What to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanRequest {
    /// Connections to scan through; all of the engagement's when empty.
    pub connections: Vec<String>,
    /// Regions; every Region Pinpoint ran in when empty.
    pub regions: Vec<String>,
    /// Audience profiling after the inventory (opt-in).
    pub audience: Option<ExportSettings>,
    /// AWS requests in flight at once.
    pub concurrency: usize,
    /// Continue the newest stopped scan instead (connections, Regions and audience come from it).
    pub resume: bool,
}

/// Checks a scan's Regions: names Pinpoint ran in.
pub fn check_regions(regions: &[String]) -> Result<()> {
    for region in regions {
        validate_region(region)?;
        if !PINPOINT_REGIONS.contains(&region.as_str()) {
            return Err(Error::invalid(
                "region",
                format!("Amazon Pinpoint never ran in {region:?}; its Regions are {}", PINPOINT_REGIONS.join(", ")),
            ));
        }
    }
    Ok(())
}

/// The newest stopped or interrupted scan and its targets.
pub fn resumable(engagement: &Engagement) -> Result<(String, Vec<ScanTarget>)> {
    let id = engagement.resumable_scan()?.ok_or_else(|| {
        Error::invalid("scan", "no stopped or interrupted scan to resume: start one with `pinshift scan`")
    })?;
    let targets = stored_targets(engagement, &id)?;
    Ok((id, targets))
}

/// Runs `request` to its end (or until `cancel` is set) and returns the scan's summary.
pub async fn run(
    engagement: &Engagement,
    secrets: &dyn SecretStore,
    request: ScanRequest,
    cancel: Arc<AtomicBool>,
    clock: &dyn Clock,
    progress: &dyn Progress,
) -> Result<ScanSummary> {
    if let Some(settings) = &request.audience {
        settings.validate()?;
    }
    check_regions(&request.regions)?;
    let resumed = if request.resume {
        let (id, targets) = resumable(engagement)?;
        if targets.iter().any(|t| t.connection == dump::CONNECTION) {
            return Err(Error::invalid(
                "scan",
                format!("scan {id} read an offline dump: resume it with `pinshift scan --resume --from-dump DIR`"),
            ));
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
        None if request.connections.is_empty() => {
            engagement.list_connections(secrets)?.into_iter().map(|c| c.name).collect()
        }
        None => request.connections.clone(),
    };
    if names.is_empty() {
        return Err(Error::invalid(
            "connection",
            "this engagement has no connection: add one with `pinshift connection add`",
        ));
    }
    let regions: Vec<String> = if request.regions.is_empty() {
        PINPOINT_REGIONS.iter().map(|r| (*r).to_owned()).collect()
    } else {
        request.regions.clone()
    };

    let mut configs = HashMap::new();
    let mut targets = Vec::new();
    for name in &names {
        let resolved = engagement.resolve_connection(name, secrets)?;
        let (config, identity) = crate::identity::connect(&resolved).await?;
        progress.report(ScanEvent::Connected {
            connection: name.clone(),
            account_id: identity.account.clone(),
            arn: identity.arn.clone(),
        });
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
        None => clock.now().as_second(),
    };
    let concurrency = request.concurrency.max(1);
    let reader = PinpointReader::new(configs, kpi_end).with_concurrency(concurrency);
    let options =
        ScanOptions { concurrency: concurrency.saturating_mul(UNITS_PER_REQUEST), cancel, audience: request.audience };
    let summary = match &resumed {
        Some((id, _)) => {
            progress.report(ScanEvent::Resuming { scan_id: id.clone() });
            pinshift_core::scan::resume(engagement, &reader, id, &options, clock, progress).await?
        }
        None => pinshift_core::scan::scan(engagement, &reader, &targets, &options, clock, progress).await?,
    };
    if summary.status == ScanStatus::Cancelled
        || pinshift_core::scan::audience::requested(engagement, &summary.id)?.is_none()
    {
        return Ok(summary);
    }
    progress.report(ScanEvent::Profiling { scan_id: summary.id.clone() });
    pinshift_core::scan::audience::profile(engagement, &reader, &summary.id, &options, clock, progress).await
}
