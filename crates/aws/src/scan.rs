//! A whole scan as both front ends run it — composition only: core checks the request, takes the
//! engagement's lease and decides what to read ([`Engagement::prepare_scan`]); here the connections are
//! resolved (keychain, profiles, assumed roles) and checked with STS, every account × Region is read with
//! the live reader, then audiences are profiled when the scan asked for it. Progress (including who
//! connected) goes through core's `Progress` port.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use pinshift_core::Result;
use pinshift_core::clock::Clock;
use pinshift_core::engagement::Engagement;
use pinshift_core::estate::{ScanStatus, ScanSummary};
use pinshift_core::scan::request::{PreparedScan, ScanRequest};
use pinshift_core::scan::{Progress, ScanEvent, ScanOptions, ScanTarget};
use pinshift_core::secrets::SecretStore;

use crate::source::pinpoint::PinpointReader;

/// Units (a project, a target's list or account-level read) in flight per AWS request in flight:
/// measured with `cargo bench -p pinshift-aws --bench scan` (1× gave 1.4× the lower bound, 4× 1.23×).
pub const UNITS_PER_REQUEST: usize = 4;

/// Checks `request`, takes the lease for `job` and runs the scan to its end (or until `cancel` is set).
pub async fn run(
    engagement: &Engagement,
    secrets: &dyn SecretStore,
    request: &ScanRequest,
    job: &str,
    cancel: Arc<AtomicBool>,
    clock: Arc<dyn Clock>,
    progress: &dyn Progress,
) -> Result<ScanSummary> {
    let prepared = engagement.prepare_scan(request, job, secrets, clock.clone(), cancel)?;
    run_prepared(engagement, secrets, prepared, clock.as_ref(), progress).await
}

/// Runs a scan core has prepared (its lease is held until this returns).
pub async fn run_prepared(
    engagement: &Engagement,
    secrets: &dyn SecretStore,
    prepared: PreparedScan,
    clock: &dyn Clock,
    progress: &dyn Progress,
) -> Result<ScanSummary> {
    if let Some(holder) = prepared.took_over_from() {
        progress.report(ScanEvent::TookOver { holder: holder.clone() });
    }
    let mut configs = HashMap::new();
    let mut targets = Vec::new();
    for name in &prepared.connections {
        let resolved = engagement.resolve_connection(name, secrets)?;
        let (config, identity) = crate::identity::connect(&resolved).await?;
        progress.report(ScanEvent::Connected {
            connection: name.clone(),
            account_id: identity.account.clone(),
            arn: identity.arn.clone(),
        });
        for region in &prepared.regions {
            targets.push(ScanTarget {
                connection: name.clone(),
                account_id: identity.account.clone(),
                region: region.clone(),
            });
        }
        configs.insert(name.clone(), config);
    }
    let reader = PinpointReader::new(configs, prepared.kpi_end).with_concurrency(prepared.concurrency);
    let options =
        ScanOptions { concurrency: prepared.concurrency.saturating_mul(UNITS_PER_REQUEST), ..prepared.options.clone() };
    let summary = match &prepared.resumed {
        Some(id) => {
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
