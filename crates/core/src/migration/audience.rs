//! Audience loads: one client's endpoint exports, transformed ([`crate::audience::transform`]), written to
//! the client's Customer Profiles domain (BatchPutProfileObject, ten objects a call, keyed by the object
//! type's unique `ProfileKey` so a repeat never duplicates a profile), its SMS opt-out list
//! (PutOptedOutNumber) and its SES tenant's suppression list (PutSuppressedDestination with the tenant:
//! SES's bulk import has no tenant scope).
//!
//! Each part (a profile file, the numbers, the addresses) is checkpointed after every window of calls in
//! `audience_progress`, and journaled when it starts and ends (run id = the load's id), so a stopped or
//! killed load resumes where it was; the transform is kept in the work folder and reused.

use std::collections::BTreeMap;
use std::future::Future;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::journal::{Entry, Phase};
use crate::audience::input::{Piece, discover};
use crate::audience::transform::{self, Options, Progress, Reconciliation};
use crate::blueprint::graph::{TargetGraph, TargetResource};
use crate::clock::Clock;
use crate::engagement::Engagement;
use crate::target::TargetKind;
use crate::{Error, Result};

/// Where one client's audience goes, from the blueprint version's target graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AudienceTarget {
    pub client: String,
    pub account_id: String,
    pub region: String,
    /// The client's Customer Profiles domain (none for a client on SES and SMS only: its opt-outs and
    /// suppressions are carried, no profiles).
    #[ts(optional)]
    pub domain: Option<String>,
    /// Several clients share the domain: profile keys carry the client, and `pinshift_client` is set.
    pub shared_domain: bool,
    pub expiration_days: u32,
    /// The client's SMS opt-out list (none when the client sends no SMS).
    #[ts(optional)]
    pub opt_out_list: Option<String>,
    /// The client's SES tenant (none when the client sends no email).
    #[ts(optional)]
    pub tenant: Option<String>,
}

/// What the target holds, read back (`None`: not read, or nothing of the kind for this client).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TargetCounts {
    /// Profiles in the domain (for a shared domain: those with this client's `pinshift_client`).
    #[ts(optional, type = "number")]
    pub profiles: Option<u64>,
    #[ts(optional, type = "number")]
    pub opted_out_numbers: Option<u64>,
    #[ts(optional, type = "number")]
    pub suppressed_addresses: Option<u64>,
}

/// The writers an audience load uses (pinshift-aws implements them over the official SDKs).
pub trait AudiencePort: Sync {
    /// Creates or updates the object type (PutProfileObjectType is an upsert).
    fn put_object_type(&self, target: &AudienceTarget, object_type: &Value) -> impl Future<Output = Result<()>> + Send;
    /// Writes up to ten profile objects (JSON text); the items AWS refused, as `(index, message)`.
    fn put_profiles(
        &self,
        target: &AudienceTarget,
        objects: &[String],
    ) -> impl Future<Output = Result<Vec<(usize, String)>>> + Send;
    fn put_opted_out(&self, target: &AudienceTarget, number: &str) -> impl Future<Output = Result<()>> + Send;
    fn put_suppressed(&self, target: &AudienceTarget, address: &str) -> impl Future<Output = Result<()>> + Send;
    /// Reads back what the target holds for the client.
    fn counts(&self, target: &AudienceTarget) -> impl Future<Output = Result<TargetCounts>> + Send;
    /// Downloads every object below `url` (`s3://bucket/prefix/`) into `dir`, keeping the keys' folders
    /// below the prefix; an object already there with its size is not fetched again. The files.
    fn fetch(
        &self,
        target: &AudienceTarget,
        url: &str,
        dir: &Path,
    ) -> impl Future<Output = Result<Vec<PathBuf>>> + Send;
}

/// Where a client's audience comes from: recorded by the user (`pinshift audience source`, or the last
/// `audience load --from`), else the export the scan's audience profiling wrote for the client's projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AudienceSource {
    pub client: String,
    /// Files, folders or `s3://bucket/prefix/` URLs.
    pub from: Vec<String>,
    pub exclude_inactive: bool,
    /// Why the user accepts input that could not all be read (journaled with the load).
    #[ts(optional)]
    pub accept_problems: Option<String>,
    /// When the user recorded it; none for the scan's export.
    #[ts(optional)]
    pub set_at: Option<String>,
    /// `recorded` or `scan export`.
    pub origin: String,
}

/// Whether `path` names an S3 prefix rather than a local file or folder.
pub fn is_s3(path: &Path) -> bool {
    path.to_str().is_some_and(|p| p.starts_with("s3://"))
}

/// A load to run (or resume).
#[derive(Debug, Clone)]
pub struct LoadRequest {
    pub client: String,
    pub from: Vec<PathBuf>,
    pub exclude_inactive: bool,
    /// Why the user accepts input that could not all be read (journaled); `None` refuses it.
    pub accept_problems: Option<String>,
    /// Calls in flight at once (each operation is also paced under its rate by the port).
    pub concurrency: usize,
    /// Write nothing when a finished load of the same input reconciled (a migration run's pass over an
    /// applied client); a standalone load writes again (idempotent), e.g. after profiles were lost.
    pub skip_loaded: bool,
}

/// How a load went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LoadSummary {
    pub id: String,
    pub client: String,
    /// running, finished, stopped, failed (a call failed after its retries: run the load again).
    pub state: String,
    pub work_dir: PathBuf,
    pub target: AudienceTarget,
    pub reconciliation: Reconciliation,
    #[ts(type = "number")]
    pub profiles_written: u64,
    #[ts(type = "number")]
    pub profiles_failed: u64,
    #[ts(type = "number")]
    pub opted_out_written: u64,
    #[ts(type = "number")]
    pub suppressed_written: u64,
    /// What could not be carried, and why (no opt-out list for numbers, no tenant for addresses).
    pub not_carried: Vec<String>,
    #[ts(optional)]
    pub counts: Option<TargetCounts>,
    /// Whether the load reconciles: every endpoint accounted for, every profile, opt-out and suppression
    /// written, and the target holds at least as many as were written.
    pub holds: bool,
    /// It resumed a load that had stopped.
    pub resumed: bool,
    /// Nothing was written: this input was loaded and reconciled already (this is that load).
    #[serde(default)]
    pub reused: bool,
}

/// How far a load is.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadEvent {
    Transform(Progress),
    /// A part's items done (profiles, numbers, addresses), of all.
    Part {
        part: String,
        done: u64,
        total: u64,
    },
}

/// How long a load takes at AWS's rates (profile writes ~100 calls/s of ten; PutOptedOutNumber 10/s;
/// PutSuppressedDestination 5/s — see pinshift-aws `target_rate`), in seconds.
pub fn estimated_seconds(profiles: u64, numbers: u64, addresses: u64) -> f64 {
    profiles.div_ceil(10) as f64 / 100.0 + numbers as f64 / 10.0 + addresses as f64 / 5.0
}

/// How a client's audience would be loaded, and how long it takes at AWS's rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AudienceEstimate {
    pub client: String,
    /// Where the counts come from: the last load's transform, or the scan's audience profiling.
    pub source: String,
    #[ts(type = "number")]
    pub endpoints: u64,
    #[ts(type = "number")]
    pub profiles: u64,
    #[ts(type = "number")]
    pub opted_out_numbers: u64,
    #[ts(type = "number")]
    pub suppressed_addresses: u64,
    /// How the profiles are written.
    pub method: String,
    /// Seconds at AWS's rates ([`estimated_seconds`]).
    pub seconds: f64,
    /// The client's last load, when there is one: its id and state, and whether it reconciled.
    #[ts(optional)]
    pub last_load: Option<String>,
    /// Where a run applying the client loads its audience from (none: the run does not load it).
    #[ts(optional)]
    pub load_from: Option<AudienceSource>,
    /// The counts are not known yet: the run transforms the source first (counts are zero).
    #[serde(default)]
    pub uncounted: bool,
}

/// Profiles past which upload jobs or S3 ingestion would be faster than the batch API.
pub const BATCH_API_PROFILES: u64 = 1_000_000;

/// What the plan says of each client's audience: the counts of its last load's transform, else of the
/// scan's audience profiling (profiles ≈ users + endpoints without a UserId), else nothing.
pub fn estimates(engagement: &Engagement, version: u32, clients: &[String]) -> Result<Vec<AudienceEstimate>> {
    let blueprint = engagement.blueprint_version(version)?;
    let records = engagement.scan_records(&blueprint.scan_id, None)?;
    let loads = engagement.audience_loads()?;
    let mut load_from = sources(engagement, version, clients)?;
    let mut out = Vec::new();
    for client in clients {
        let last = loads.iter().find(|l| l.client == *client);
        let from = load_from.remove(client);
        let (source, endpoints, profiles, numbers, addresses) = match last {
            Some(l) => (
                "the last load's transform".to_owned(),
                l.reconciliation.endpoints_read,
                l.reconciliation.profiles,
                l.reconciliation.opt_outs.sms_numbers,
                l.reconciliation.opt_outs.email_addresses,
            ),
            None => {
                let Ok(scope) = blueprint.scope(&records, client) else { continue };
                let audiences: Vec<crate::scan::audience::AudienceProfile> = scope
                    .project
                    .iter()
                    .filter(|r| r.kind == crate::estate::ResourceKind::AudienceProfile)
                    .filter_map(|r| serde_json::from_value(r.raw.clone()).ok())
                    .collect();
                if audiences.is_empty() {
                    if let Some(from) = from {
                        out.push(AudienceEstimate {
                            client: client.clone(),
                            source: "not counted yet: the run transforms the source first".into(),
                            endpoints: 0,
                            profiles: 0,
                            opted_out_numbers: 0,
                            suppressed_addresses: 0,
                            method: "BatchPutProfileObject, ten profiles a call".into(),
                            seconds: 0.0,
                            last_load: None,
                            load_from: Some(from),
                            uncounted: true,
                        });
                    }
                    continue;
                }
                let opted = |channels: &[&str]| -> u64 {
                    audiences
                        .iter()
                        .flat_map(|a| a.channels.iter())
                        .filter(|(c, _)| channels.contains(&c.as_str()))
                        .map(|(_, c)| c.opted_out)
                        .sum()
                };
                (
                    "the scan's audience profiling".to_owned(),
                    audiences.iter().map(|a| a.endpoints).sum(),
                    audiences.iter().map(|a| a.distinct_users + a.without_user_id).sum(),
                    opted(&["SMS", "VOICE"]),
                    opted(&["EMAIL"]),
                )
            }
        };
        let method = if profiles <= BATCH_API_PROFILES {
            "BatchPutProfileObject, ten profiles a call".to_owned()
        } else {
            "BatchPutProfileObject (this build; at this size upload jobs or S3 ingestion would be faster)".to_owned()
        };
        out.push(AudienceEstimate {
            client: client.clone(),
            source,
            endpoints,
            profiles,
            opted_out_numbers: numbers,
            suppressed_addresses: addresses,
            method,
            seconds: estimated_seconds(profiles, numbers, addresses),
            last_load: last.map(|l| format!("{} ({}{})", l.id, l.state, if l.holds { ", reconciled" } else { "" })),
            load_from: from,
            uncounted: false,
        });
    }
    Ok(out)
}

/// What the target holds fewer of than `load` wrote ("profiles: 120 written, 119 held"); a count the
/// target did not report is not a shortfall.
pub fn shortfalls(load: &LoadSummary, counts: &TargetCounts) -> Vec<String> {
    [
        ("profiles", counts.profiles, load.profiles_written),
        ("opted-out numbers", counts.opted_out_numbers, load.opted_out_written),
        ("suppressed addresses", counts.suppressed_addresses, load.suppressed_written),
    ]
    .into_iter()
    .filter(|(_, held, written)| *written > 0 && held.is_some_and(|h| h < *written))
    .map(|(what, held, written)| format!("{what}: {written} written, {} held", held.unwrap_or(0)))
    .collect()
}

/// Each client's last finished load (every loaded client, or `client`) against what the target holds now:
/// the loads in `account_id` with fresh counts (a load reconciles while it did when it finished and the
/// target holds no fewer), and the clients whose audience is in another account.
pub async fn reconcile<P: AudiencePort>(
    engagement: &Engagement,
    account_id: &str,
    client: Option<&str>,
    port: &P,
) -> Result<(Vec<LoadSummary>, Vec<LoadSummary>)> {
    let mut latest: BTreeMap<String, LoadSummary> = BTreeMap::new();
    for l in engagement.audience_loads()? {
        if client.is_none_or(|c| c == l.client) && l.state == "finished" {
            latest.entry(l.client.clone()).or_insert(l);
        }
    }
    if latest.is_empty() {
        return Err(Error::invalid(
            "client",
            "no finished audience load to reconcile (`pinshift audience load` first)",
        ));
    }
    let (mut here, mut elsewhere) = (Vec::new(), Vec::new());
    for (_, mut l) in latest {
        if l.target.account_id != account_id {
            elsewhere.push(l);
            continue;
        }
        let counts = port.counts(&l.target).await?;
        l.holds = l.holds && shortfalls(&l, &counts).is_empty();
        l.counts = Some(counts);
        here.push(l);
    }
    Ok((here, elsewhere))
}

/// Where each of `clients`' audience comes from: the recorded source, else the export the scan's audience
/// profiling wrote for the client's projects (`s3://` prefixes), else nothing.
pub fn sources(engagement: &Engagement, version: u32, clients: &[String]) -> Result<BTreeMap<String, AudienceSource>> {
    let mut recorded = engagement.audience_sources()?;
    let blueprint = engagement.blueprint_version(version)?;
    let mut records = None;
    let mut out = BTreeMap::new();
    for client in clients {
        if let Some(source) = recorded.remove(client) {
            out.insert(client.clone(), source);
            continue;
        }
        let records = match &records {
            Some(r) => r,
            None => records.insert(engagement.scan_records(&blueprint.scan_id, None)?),
        };
        let Ok(scope) = blueprint.scope(records, client) else { continue };
        let from: Vec<String> = scope
            .project
            .iter()
            .filter(|r| r.kind == crate::estate::ResourceKind::AudienceProfile)
            .filter_map(|r| serde_json::from_value::<crate::scan::audience::AudienceProfile>(r.raw.clone()).ok())
            .map(|a| a.export.location)
            .filter(|l| l.starts_with("s3://"))
            .collect();
        if !from.is_empty() {
            out.insert(
                client.clone(),
                AudienceSource {
                    client: client.clone(),
                    from,
                    exclude_inactive: false,
                    accept_problems: None,
                    set_at: None,
                    origin: "scan export".into(),
                },
            );
        }
    }
    Ok(out)
}

/// The client's audience target in the graph: its profiles domain, SMS opt-out list and SES tenant (at
/// least one of them).
pub fn audience_target(graph: &TargetGraph, client: &str) -> Result<AudienceTarget> {
    let mine =
        |kind: TargetKind| graph.resources.iter().find(|r| r.kind == kind && r.clients.iter().any(|c| c == client));
    let text = |r: &TargetResource, member: &str| r.spec[member].as_str().map(str::to_owned);
    let domain = mine(TargetKind::ProfilesDomain);
    let list = mine(TargetKind::SmsOptOutList);
    let tenant = mine(TargetKind::SesTenant);
    let place = domain.or(list).or(tenant).ok_or_else(|| {
        Error::invalid(
            "client",
            format!(
                "{client:?} has no Customer Profiles domain, SMS opt-out list or SES tenant in this blueprint \
                 version (is it a client of it?)"
            ),
        )
    })?;
    Ok(AudienceTarget {
        client: client.to_owned(),
        account_id: place.account_id.clone(),
        region: place.region.clone(),
        domain: domain.map(|d| d.name.clone()),
        shared_domain: domain.is_some_and(|d| d.clients.len() > 1),
        expiration_days: domain.and_then(|d| d.spec["DefaultExpirationDays"].as_u64()).unwrap_or(366) as u32,
        opt_out_list: list.and_then(|r| text(r, "OptOutListName")),
        tenant: tenant.and_then(|r| text(r, "TenantName")),
    })
}

/// The resources a load writes into, which a migration run must have applied first.
pub(super) fn needed<'g>(graph: &'g TargetGraph, client: &str) -> Vec<&'g TargetResource> {
    graph
        .resources
        .iter()
        .filter(|r| r.clients.iter().any(|c| c == client))
        .filter(|r| {
            matches!(
                r.kind,
                TargetKind::ProfilesDomain
                    | TargetKind::ProfileObjectType
                    | TargetKind::SmsOptOutList
                    | TargetKind::SesTenant
            )
        })
        .collect()
}

/// What identifies an input: its pieces (path, size, modification time) and the transform's options.
fn digest(pieces: &[Piece], options: &Options) -> String {
    let mut h = Sha256::new();
    for p in pieces {
        let modified = std::fs::metadata(&p.path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        h.update(format!("{}\n{}\n{modified}\n", p.path.display(), p.bytes));
    }
    h.update(format!("{}\n{:?}\n", options.exclude_inactive, options.client));
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Where loads keep their transforms: `<engagement>.audience/` beside the engagement file.
pub fn work_root(engagement: &Engagement) -> PathBuf {
    let path = engagement.path();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "engagement".into());
    path.with_file_name(format!("{name}.audience"))
}

/// Deletes the work folders of `client`'s loads (every client's when `None`): the transforms and the
/// downloaded exports, which hold end users' addresses. Refuses a client whose load has not finished
/// (resuming needs its folder). The folders removed.
pub fn clean(engagement: &Engagement, client: Option<&str>) -> Result<Vec<PathBuf>> {
    let root = work_root(engagement);
    let mut clients: Vec<String> = match client {
        Some(c) => vec![c.to_owned()],
        None => match std::fs::read_dir(&root) {
            Ok(entries) => {
                entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect()
            }
            Err(_) => Vec::new(),
        },
    };
    clients.sort();
    // Newest first: a client whose newest load has not finished still needs its folder.
    let loads = engagement.audience_loads()?;
    let open = |c: &str| loads.iter().find(|l| l.client == c).is_some_and(|l| l.state != "finished");
    let unfinished: Vec<String> = clients.iter().filter(|c| open(c)).cloned().collect();
    if !unfinished.is_empty() {
        return Err(Error::invalid(
            "client",
            format!("{}: a load has not finished (resuming needs its folder): finish it first", unfinished.join(", ")),
        ));
    }
    let mut removed = Vec::new();
    for c in clients {
        let dir = root.join(&c);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
            removed.push(dir);
        }
    }
    Ok(removed)
}

struct Stored {
    id: String,
    work_dir: PathBuf,
}

impl Engagement {
    /// Records where `source.client`'s audience comes from (replacing what was recorded).
    pub fn set_audience_source(&self, source: &AudienceSource, clock: &dyn Clock) -> Result<AudienceSource> {
        if source.from.is_empty() {
            return Err(Error::invalid("--from", "name at least one export file, folder or s3:// prefix"));
        }
        for f in &source.from {
            if !f.starts_with("s3://") && !Path::new(f).exists() {
                return Err(Error::invalid("--from", format!("{f}: no such file or folder")));
            }
        }
        let set_at = clock.now().to_string();
        let paths = serde_json::to_string(&source.from).map_err(|e| Error::Internal(e.to_string()))?;
        let tx = self.write_transaction()?;
        tx.execute(
            "INSERT INTO audience_source (client, paths, exclude_inactive, accept_problems, set_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (client) DO UPDATE SET paths = excluded.paths, exclude_inactive = excluded.exclude_inactive,
             accept_problems = excluded.accept_problems, set_at = excluded.set_at",
            params![source.client, paths, source.exclude_inactive, source.accept_problems, set_at],
        )?;
        tx.commit()?;
        Ok(AudienceSource { set_at: Some(set_at), origin: "recorded".into(), ..source.clone() })
    }

    /// Forgets where `client`'s audience comes from; whether there was a record.
    pub fn clear_audience_source(&self, client: &str) -> Result<bool> {
        let tx = self.write_transaction()?;
        let n = tx.execute("DELETE FROM audience_source WHERE client = ?1", params![client])?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// The recorded sources, by client.
    pub fn audience_sources(&self) -> Result<BTreeMap<String, AudienceSource>> {
        let mut stmt = self.conn().prepare(
            "SELECT client, paths, exclude_inactive, accept_problems, set_at FROM audience_source ORDER BY client",
        )?;
        let rows = stmt.query_map([], |r| {
            let paths: String = r.get(1)?;
            Ok(AudienceSource {
                client: r.get(0)?,
                from: serde_json::from_str(&paths).unwrap_or_default(),
                exclude_inactive: r.get(2)?,
                accept_problems: r.get(3)?,
                set_at: r.get(4)?,
                origin: "recorded".into(),
            })
        })?;
        let mut out = BTreeMap::new();
        for row in rows {
            let row = row?;
            out.insert(row.client.clone(), row);
        }
        Ok(out)
    }

    /// The finished load of this input that reconciled, if any.
    fn reconciled_load(&self, client: &str, digest: &str) -> Result<Option<LoadSummary>> {
        let text: Option<String> = self
            .conn()
            .query_row(
                "SELECT result FROM audience_load WHERE client = ?1 AND digest = ?2 AND state = 'finished'
                 ORDER BY started_at DESC, rowid DESC LIMIT 1",
                params![client, digest],
                |r| r.get(0),
            )
            .optional()?;
        let Some(text) = text else { return Ok(None) };
        let load: LoadSummary =
            serde_json::from_str(&text).map_err(|e| Error::Internal(format!("a stored load: {e}")))?;
        Ok(load.holds.then_some(load))
    }

    fn unfinished_load(&self, client: &str, digest: &str) -> Result<Option<Stored>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, work_dir FROM audience_load WHERE client = ?1 AND digest = ?2 AND state != 'finished'
                 ORDER BY started_at DESC LIMIT 1",
                params![client, digest],
                |r| Ok(Stored { id: r.get(0)?, work_dir: PathBuf::from(r.get::<_, String>(1)?) }),
            )
            .optional()?)
    }

    fn progress_of(&self, load: &str) -> Result<BTreeMap<String, (u64, u64)>> {
        let mut stmt = self.conn().prepare("SELECT part, done, failed FROM audience_progress WHERE load_id = ?1")?;
        let rows = stmt.query_map(params![load], |r| {
            Ok((r.get::<_, String>(0)?, (r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64)))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn checkpoint(&self, load: &str, part: &str, done: u64, total: u64, failed: u64) -> Result<()> {
        let tx = self.write_transaction()?;
        tx.execute(
            "INSERT INTO audience_progress (load_id, part, done, total, failed) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (load_id, part) DO UPDATE SET done = excluded.done, total = excluded.total, failed = excluded.failed",
            params![load, part, done as i64, total as i64, failed as i64],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every load's summary, newest first.
    pub fn audience_loads(&self) -> Result<Vec<LoadSummary>> {
        let mut stmt = self.conn().prepare(
            "SELECT result FROM audience_load WHERE result IS NOT NULL ORDER BY started_at DESC, rowid DESC",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for text in rows {
            out.push(serde_json::from_str(&text?).map_err(|e| Error::Internal(format!("a stored load: {e}")))?);
        }
        Ok(out)
    }

    fn store_load(
        &self,
        summary: &LoadSummary,
        started_at: &str,
        digest: &str,
        reason: Option<&str>,
        clock: &dyn Clock,
    ) -> Result<()> {
        let result = serde_json::to_string(summary).map_err(|e| Error::Internal(e.to_string()))?;
        let target = serde_json::to_string(&summary.target).map_err(|e| Error::Internal(e.to_string()))?;
        let rec = serde_json::to_string(&summary.reconciliation).map_err(|e| Error::Internal(e.to_string()))?;
        let finished = (summary.state == "finished").then(|| clock.now().to_string());
        let tx = self.write_transaction()?;
        tx.execute(
            "INSERT INTO audience_load (id, client, started_at, finished_at, state, digest, work_dir, accepted_problems, target, reconciliation, result)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at, state = excluded.state, result = excluded.result",
            params![
                summary.id,
                summary.client,
                started_at,
                finished,
                summary.state,
                digest,
                summary.work_dir.display().to_string(),
                reason,
                target,
                rec,
                result
            ],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// The transform of `pieces` in `dir`: reused when complete, made (again) otherwise.
fn transformed(
    pieces: &[Piece],
    dir: &Path,
    options: &Options,
    progress: &(dyn Fn(LoadEvent) + Sync),
) -> Result<Reconciliation> {
    let file = dir.join(transform::RECONCILIATION_FILE);
    if let Ok(bytes) = std::fs::read(&file)
        && let Ok(rec) = serde_json::from_slice::<Reconciliation>(&bytes)
    {
        return Ok(rec);
    }
    if dir.exists() {
        // A transform cut short: made again from the start.
        std::fs::remove_dir_all(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })?;
    }
    let out = transform::transform(pieces, dir, options, &|p| progress(LoadEvent::Transform(p)))?;
    Ok(out.reconciliation)
}

/// Lines of a text file (a part), from `skip` on.
fn lines_from(path: &Path, skip: u64) -> Result<(u64, Vec<String>)> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io { path: path.to_owned(), source })?;
    let mut all = Vec::new();
    let mut total = 0;
    for line in std::io::BufReader::new(file).lines() {
        let line = line.map_err(|source| Error::Io { path: path.to_owned(), source })?;
        if line.is_empty() {
            continue;
        }
        if total >= skip {
            all.push(line);
        }
        total += 1;
    }
    Ok((total, all))
}

/// Loads (or resumes loading) one client's audience. Stops cleanly between windows when `cancel` is set.
#[allow(clippy::too_many_lines)]
pub async fn load<P: AudiencePort>(
    engagement: &Engagement,
    graph: &TargetGraph,
    request: &LoadRequest,
    port: &P,
    clock: &dyn Clock,
    progress: &(dyn Fn(LoadEvent) + Sync),
    cancel: &AtomicBool,
) -> Result<LoadSummary> {
    let target = audience_target(graph, &request.client)?;
    let history = engagement.last_outcomes()?;
    for r in needed(graph, &request.client) {
        let applied = history
            .get(&r.id)
            .is_some_and(|row| matches!(row.outcome.as_deref(), Some("created" | "adopted" | "confirmed" | "differs")));
        if !applied {
            return Err(Error::invalid(
                "client",
                format!(
                    "the {} {} of {} is not in the target yet: apply the client first (`pinshift migrate apply --client {}`)",
                    r.kind.label(),
                    r.name,
                    request.client,
                    request.client
                ),
            ));
        }
    }
    // S3 prefixes are downloaded into the work folder first (kept for resuming, fetched once).
    let mut local = Vec::new();
    for path in &request.from {
        let Some(url) = path.to_str().filter(|_| is_s3(path)) else {
            local.push(path.clone());
            continue;
        };
        let mut h = Sha256::new();
        h.update(url.as_bytes());
        let name: String = h.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect();
        let dir = work_root(engagement).join(&request.client).join("exports").join(name);
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
        progress(LoadEvent::Part { part: format!("downloading {url}"), done: 0, total: 1 });
        let files = port.fetch(&target, url, &dir).await?;
        if files.is_empty() {
            return Err(Error::invalid("--from", format!("{url}: no objects there")));
        }
        progress(LoadEvent::Part { part: format!("downloaded {url}"), done: 1, total: 1 });
        local.push(dir);
    }
    let (pieces, _) = discover(&local)?;
    if pieces.is_empty() {
        return Err(Error::invalid("--from", "no endpoint export pieces there"));
    }
    let options = Options {
        exclude_inactive: request.exclude_inactive,
        client: target.shared_domain.then(|| request.client.clone()),
        ..Options::default()
    };
    let digest = digest(&pieces, &options);
    if request.skip_loaded
        && let Some(mut done) = engagement.reconciled_load(&request.client, &digest)?
    {
        done.reused = true;
        return Ok(done);
    }
    let open = engagement.unfinished_load(&request.client, &digest)?;
    let resumed = open.is_some();
    let (id, work_dir) = match open {
        Some(s) => (s.id, s.work_dir),
        None => (
            format!("load-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]),
            work_root(engagement).join(&request.client).join(&digest),
        ),
    };
    let rec = transformed(&pieces, &work_dir, &options, progress)?;
    if rec.has_problems() && request.accept_problems.is_none() {
        return Err(Error::invalid(
            "--accept-problems",
            format!(
                "{} line(s) of the export could not be read and {} piece(s) break before their end (each named in {}); \
                 fix the input, or pass --accept-problems REASON to load the rest",
                rec.unreadable_lines,
                rec.damaged_pieces,
                work_dir.join(transform::PROBLEMS_FILE).display()
            ),
        ));
    }
    let started_at = clock.now().to_string();
    let mut summary = LoadSummary {
        id: id.clone(),
        client: request.client.clone(),
        state: "running".into(),
        work_dir: work_dir.clone(),
        target: target.clone(),
        reconciliation: rec.clone(),
        profiles_written: 0,
        profiles_failed: 0,
        opted_out_written: 0,
        suppressed_written: 0,
        not_carried: Vec::new(),
        counts: None,
        holds: false,
        resumed,
        reused: false,
    };
    engagement.store_load(&summary, &started_at, &digest, request.accept_problems.as_deref(), clock)?;
    let journal = |phase: Phase, step: &str, outcome: Option<&str>, detail: Value| -> Result<()> {
        engagement.journal_append(
            &id,
            &clock.now().to_string(),
            phase,
            Entry {
                client: Some(request.client.clone()),
                step: Some(format!("audience/{}/{step}", request.client)),
                kind: Some("audience".into()),
                outcome: outcome.map(str::to_owned),
                detail: Some(detail),
                ..Entry::default()
            },
        )?;
        Ok(())
    };
    engagement.journal_append(
        &id,
        &started_at,
        Phase::RunStarted,
        Entry {
            client: Some(request.client.clone()),
            kind: Some("audience".into()),
            detail: Some(json!({
                "load": id, "resumed": resumed, "pieces": pieces.len(), "digest": digest,
                "endpoints": rec.endpoints_read, "profiles": rec.profiles,
                "opted_out_numbers": rec.opt_outs.sms_numbers, "suppressed_addresses": rec.opt_outs.email_addresses,
                "accepted_problems": request.accept_problems,
            })),
            ..Entry::default()
        },
    )?;

    // The object type: the graph's fields and one per attribute the transform wrote.
    let written: Value = std::fs::read(work_dir.join(transform::OBJECT_TYPE_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    let mut paths = crate::profile::standard_paths();
    for field in written["Fields"].as_object().into_iter().flat_map(|f| f.values()) {
        if let Some(path) = field["Target"].as_str().and_then(|t| t.strip_prefix("_profile."))
            && path != "Attributes.pinshift_profile_key"
        {
            paths.insert(path.to_owned());
        }
    }
    if let Some(domain) = &target.domain {
        let object_type = crate::profile::object_type(domain, &paths, target.expiration_days);
        journal(Phase::Intent, "object-type", None, json!({ "fields": paths.len() }))?;
        port.put_object_type(&target, &object_type).await?;
        journal(Phase::Outcome, "object-type", Some("put"), json!({ "fields": paths.len() }))?;
    }

    let done_before = engagement.progress_of(&id)?;
    let concurrency = request.concurrency.max(1);
    let mut parts: Vec<(String, PathBuf)> = Vec::new();
    // A client on SES and SMS only has no profiles to write (by the blueprint's design, not a loss).
    let mut files: Vec<PathBuf> = match &target.domain {
        Some(_) => std::fs::read_dir(work_dir.join(transform::PROFILES_DIR))
            .map_err(|source| Error::Io { path: work_dir.clone(), source })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect(),
        None => Vec::new(),
    };
    files.sort();
    for f in files {
        let name = format!("{}/{}", transform::PROFILES_DIR, f.file_name().unwrap_or_default().to_string_lossy());
        parts.push((name, f));
    }
    let numbers = work_dir.join(transform::NUMBERS_FILE);
    let addresses = work_dir.join(transform::SUPPRESSED_FILE);
    if rec.opt_outs.sms_numbers > 0 {
        match &target.opt_out_list {
            Some(_) => parts.push((transform::NUMBERS_FILE.into(), numbers)),
            None => summary.not_carried.push(format!(
                "{} opted-out numbers: the client has no SMS opt-out list in this blueprint version",
                rec.opt_outs.sms_numbers
            )),
        }
    }
    if rec.opt_outs.email_addresses > 0 {
        match &target.tenant {
            Some(_) => parts.push((transform::SUPPRESSED_FILE.into(), addresses)),
            None => summary.not_carried.push(format!(
                "{} opted-out email addresses: the client has no SES tenant in this blueprint version",
                rec.opt_outs.email_addresses
            )),
        }
    }

    for (part, path) in &parts {
        let (already, failed_before) = done_before.get(part).copied().unwrap_or((0, 0));
        let (total, todo) = lines_from(path, already)?;
        let is_profiles = part.starts_with(transform::PROFILES_DIR);
        let mut done = already;
        let mut failed = failed_before;
        if done < total {
            journal(Phase::Intent, part, None, json!({ "from": done, "total": total }))?;
        }
        // Windows of `concurrency` calls (of ten profiles, or one number or address), checkpointed after each.
        let per_call = if is_profiles { 10 } else { 1 };
        for window in todo.chunks(per_call * concurrency) {
            if cancel.load(Ordering::Relaxed) {
                engagement.checkpoint(&id, part, done, total, failed)?;
                summary.state = "stopped".into();
                journal(Phase::RunEnded, part, Some("stopped"), json!({ "done": done, "total": total }))?;
                engagement.store_load(&summary, &started_at, &digest, request.accept_problems.as_deref(), clock)?;
                return Ok(summary);
            }
            let target = &target;
            let calls = window.chunks(per_call).map(|items| async move {
                if is_profiles {
                    port.put_profiles(target, items).await.map(|f| f.len() as u64)
                } else if part == transform::NUMBERS_FILE {
                    port.put_opted_out(target, &items[0]).await.map(|()| 0)
                } else {
                    port.put_suppressed(target, &items[0]).await.map(|()| 0)
                }
            });
            let mut error = None;
            for r in futures::future::join_all(calls).await {
                match r {
                    Ok(refused) => failed += refused,
                    Err(e) => {
                        error.get_or_insert(e);
                    }
                }
            }
            if let Some(e) = error {
                // The checkpoint stays before this window: a resume sends it again (the writes are idempotent).
                summary.state = "failed".into();
                journal(
                    Phase::Outcome,
                    part,
                    Some("failed"),
                    json!({ "done": done, "total": total, "error": e.to_string() }),
                )?;
                engagement.store_load(&summary, &started_at, &digest, request.accept_problems.as_deref(), clock)?;
                return Err(e);
            }
            done += window.len() as u64;
            engagement.checkpoint(&id, part, done, total, failed)?;
            progress(LoadEvent::Part { part: part.clone(), done, total });
        }
        if done != already || already == 0 {
            journal(Phase::Outcome, part, Some("loaded"), json!({ "done": done, "total": total, "failed": failed }))?;
        }
        if is_profiles {
            summary.profiles_written += done - failed;
            summary.profiles_failed += failed;
        } else if part == transform::NUMBERS_FILE {
            summary.opted_out_written += done;
        } else {
            summary.suppressed_written += done;
        }
    }

    let counts = port.counts(&target).await?;
    let unread = |held: Option<u64>, written: u64| written > 0 && held.is_none();
    summary.holds = rec.holds()
        && summary.profiles_failed == 0
        && (target.domain.is_none() || summary.profiles_written == rec.profiles)
        && summary.not_carried.is_empty()
        && (target.opt_out_list.is_none() || summary.opted_out_written == rec.opt_outs.sms_numbers)
        && (target.tenant.is_none() || summary.suppressed_written == rec.opt_outs.email_addresses)
        && !unread(counts.profiles, summary.profiles_written)
        && !unread(counts.opted_out_numbers, summary.opted_out_written)
        && !unread(counts.suppressed_addresses, summary.suppressed_written)
        && shortfalls(&summary, &counts).is_empty();
    summary.counts = Some(counts);
    summary.state = "finished".into();
    engagement.journal_append(
        &id,
        &clock.now().to_string(),
        Phase::RunEnded,
        Entry {
            client: Some(request.client.clone()),
            kind: Some("audience".into()),
            outcome: Some(if summary.holds { "reconciled" } else { "does_not_reconcile" }.into()),
            detail: Some(json!({
                "profiles_written": summary.profiles_written, "profiles_failed": summary.profiles_failed,
                "opted_out_written": summary.opted_out_written, "suppressed_written": summary.suppressed_written,
                "counts": summary.counts, "not_carried": summary.not_carried,
            })),
            ..Entry::default()
        },
    )?;
    engagement.store_load(&summary, &started_at, &digest, request.accept_problems.as_deref(), clock)?;
    Ok(summary)
}
