//! What a person asks a scan to do, and the checks and choices made before it reads anything — the same
//! for the CLI and the desktop: the Regions must be Pinpoint's, audience settings must hold, the
//! engagement's lease is taken (one writer at a time), and `resume` continues the newest stopped or
//! interrupted scan with its own connections, Regions and KPI windows.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::audience::ExportSettings;
use super::{PINPOINT_REGIONS, ScanOptions, ScanTarget, started_epoch, stored_targets};
use crate::clock::Clock;
use crate::connections::validate_region;
use crate::engagement::Engagement;
use crate::engagement::lease::{LeaseGuard, LeaseRequest};
use crate::secrets::SecretStore;
use crate::{Error, Result};

/// AWS requests in flight at once unless asked otherwise.
pub const DEFAULT_CONCURRENCY: usize = 16;
/// The connection name a scan of an offline dump records for its targets.
pub const DUMP_CONNECTION: &str = "dump";

/// What to scan, as both front ends ask for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ScanRequest {
    /// Connections to scan through; all of the engagement's when empty.
    #[serde(default)]
    pub connections: Vec<String>,
    /// Regions; every Region Pinpoint ran in when empty.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Audience profiling after the inventory (opt-in).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<ExportSettings>,
    /// AWS requests in flight at once ([`DEFAULT_CONCURRENCY`] unless given).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    /// Continue the newest stopped or interrupted scan instead (its connections, Regions and audience).
    #[serde(default)]
    pub resume: bool,
    /// Take the engagement's lease even though another process holds it (that process is gone).
    #[serde(default)]
    pub take_over: bool,
}

/// A checked scan with the lease held: what to read, and as of when.
#[derive(Debug)]
pub struct PreparedScan {
    /// Held until the scan ends (dropped with this).
    pub lease: LeaseGuard,
    /// The id of the scan being continued, for `resume`.
    pub resumed: Option<String>,
    /// What it reads: a resumed scan's stored targets, a dump folder's; empty for a new scan of AWS until
    /// its connections say which accounts they reach.
    pub targets: Vec<ScanTarget>,
    /// Connections to connect through (in the resumed scan's order, or the request's).
    pub connections: Vec<String>,
    pub regions: Vec<String>,
    /// The instant KPI windows end (epoch seconds): when the scan first started, so a resumed scan's
    /// parts agree with each other.
    pub kpi_end: i64,
    /// AWS requests in flight at once.
    pub concurrency: usize,
    pub options: ScanOptions,
}

impl PreparedScan {
    /// The holder whose unlapsed lease this scan took over (asked to, because that process is gone).
    pub fn took_over_from(&self) -> Option<&crate::engagement::lease::LeaseHolder> {
        self.lease.took_over.as_ref()
    }
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

impl Engagement {
    /// The newest stopped or interrupted scan and its targets.
    pub fn resumable(&self) -> Result<(String, Vec<ScanTarget>)> {
        let id = self.resumable_scan()?.ok_or_else(|| {
            Error::invalid("scan", "no stopped or interrupted scan to resume: start one with `pinshift scan`")
        })?;
        let targets = stored_targets(self, &id)?;
        Ok((id, targets))
    }

    /// Checks `request`, takes the engagement's lease for `job` (refused, naming the holder, while another
    /// process writes the engagement) and decides what the scan reads. `cancel` stops the scan, and is
    /// set if the lease is lost.
    pub fn prepare_scan(
        &self,
        request: &ScanRequest,
        job: &str,
        secrets: &dyn SecretStore,
        clock: Arc<dyn Clock>,
        cancel: Arc<AtomicBool>,
    ) -> Result<PreparedScan> {
        if let Some(settings) = &request.audience {
            settings.validate()?;
        }
        check_regions(&request.regions)?;
        let concurrency = request.concurrency.map_or(DEFAULT_CONCURRENCY, |n| n as usize);
        if concurrency == 0 {
            return Err(Error::invalid("concurrency", "at least 1 request at a time"));
        }
        let resumed = if request.resume {
            let (id, targets) = self.resumable()?;
            if targets.iter().any(|t| t.connection == DUMP_CONNECTION) {
                return Err(Error::invalid(
                    "scan",
                    format!("scan {id} read an offline dump: resume it with `pinshift scan --resume --from-dump DIR`"),
                ));
            }
            Some((id, targets))
        } else {
            None
        };
        let connections: Vec<String> = match &resumed {
            Some((_, targets)) => {
                let mut names: Vec<String> = targets.iter().map(|t| t.connection.clone()).collect();
                names.dedup();
                names
            }
            None if request.connections.is_empty() => {
                self.list_connections(secrets)?.into_iter().map(|c| c.name).collect()
            }
            None => request.connections.clone(),
        };
        if connections.is_empty() {
            return Err(Error::invalid(
                "connection",
                "this engagement has no connection: add one with `pinshift connection add`",
            ));
        }
        let regions: Vec<String> = match (&resumed, request.regions.is_empty()) {
            (Some((_, targets)), _) => {
                let mut regions: Vec<String> = targets.iter().map(|t| t.region.clone()).collect();
                regions.sort();
                regions.dedup();
                regions
            }
            (None, true) => PINPOINT_REGIONS.iter().map(|r| (*r).to_owned()).collect(),
            (None, false) => request.regions.clone(),
        };
        let kpi_end = match &resumed {
            Some((id, _)) => started_epoch(self, id)?,
            None => clock.now().as_second(),
        };
        let lease =
            self.acquire_lease(&LeaseRequest::new(job).take_over(request.take_over), clock, Some(cancel.clone()))?;
        let (resumed, targets) = match resumed {
            Some((id, targets)) => (Some(id), targets),
            None => (None, Vec::new()),
        };
        Ok(PreparedScan {
            lease,
            resumed,
            targets,
            connections,
            regions,
            kpi_end,
            concurrency,
            options: ScanOptions { concurrency, cancel, audience: request.audience.clone() },
        })
    }

    /// Like [`Engagement::prepare_scan`] for the offline dump `folder`: its targets are the folder's, and
    /// `resume` continues a stopped scan of a dump (never one that read AWS).
    #[allow(clippy::too_many_arguments)]
    pub fn prepare_dump_scan(
        &self,
        folder: &std::path::Path,
        targets: Vec<ScanTarget>,
        resume: bool,
        take_over: bool,
        job: &str,
        clock: Arc<dyn Clock>,
        cancel: Arc<AtomicBool>,
    ) -> Result<PreparedScan> {
        let resumed = if resume {
            let (id, stored) = self.resumable()?;
            if stored.iter().any(|t| t.connection != DUMP_CONNECTION) {
                return Err(Error::invalid(
                    "scan",
                    format!("scan {id} read AWS, not a dump: resume it with `pinshift scan --resume`"),
                ));
            }
            Some((id, stored))
        } else {
            if targets.is_empty() {
                return Err(Error::invalid(
                    "dump",
                    format!(
                        "{} holds no <account id>/<region> folders: write one with `pinshift dump-commands`",
                        folder.display()
                    ),
                ));
            }
            None
        };
        let kpi_end = match &resumed {
            Some((id, _)) => started_epoch(self, id)?,
            None => clock.now().as_second(),
        };
        let lease = self.acquire_lease(&LeaseRequest::new(job).take_over(take_over), clock, Some(cancel.clone()))?;
        let (resumed, targets) = match resumed {
            Some((id, stored)) => (Some(id), stored),
            None => (None, targets),
        };
        let regions = targets.iter().map(|t| t.region.clone()).collect();
        Ok(PreparedScan {
            lease,
            connections: vec![DUMP_CONNECTION.to_owned()],
            regions,
            resumed,
            targets,
            kpi_end,
            concurrency: DEFAULT_CONCURRENCY,
            options: ScanOptions { concurrency: DEFAULT_CONCURRENCY, cancel, audience: None },
        })
    }
}
