//! Blueprints in the engagement file: the tenancy choices people make (validated against the estate),
//! frozen blueprint versions, decisions, sign-offs, and the drift between a signed-off version and a
//! later scan.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::choices::TenancyChoices;
use super::decisions::{DecisionStatus, Recorded};
use super::{Blueprint, FORMAT};
use crate::assess::Finding;
use crate::clock::{Clock, rfc3339};
use crate::diff::{self, ResourceChange};
use crate::engagement::Engagement;
use crate::estate::{ResourceKind, ResourceRecord};
use crate::{Error, Result};

/// A saved blueprint version, as `pinshift blueprint versions` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VersionSummary {
    pub version: u32,
    pub scan_id: String,
    pub created_at: String,
    pub created_by: String,
    pub note: String,
    pub digest: String,
}

/// Saved versions and sign-offs, as the desktop's version list shows them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Versions {
    pub versions: Vec<VersionSummary>,
    pub sign_offs: Vec<SignOff>,
}

/// Who signed off which client on which version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SignOff {
    pub client: String,
    pub version: u32,
    pub signed_by: String,
    pub signed_at: String,
    pub note: String,
    /// Decisions of the client still open when it was signed off (recorded in the note too).
    #[serde(default)]
    pub open_decisions: u32,
}

/// A change to a decision; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
pub struct DecisionUpdate {
    #[ts(optional)]
    pub status: Option<DecisionStatus>,
    #[ts(optional)]
    pub owner: Option<String>,
    /// `YYYY-MM-DD`, or empty to clear.
    #[ts(optional)]
    pub due: Option<String>,
    #[ts(optional)]
    pub choice: Option<String>,
    #[ts(optional)]
    pub note: Option<String>,
}

/// What changed for one client since a signed-off version.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Drift {
    pub client: String,
    pub signed_version: u32,
    pub signed_scan: String,
    pub current_scan: String,
    /// Resources of the client added, removed or changed (field paths).
    pub resources: Vec<ResourceChange>,
    pub findings_added: Vec<Finding>,
    pub findings_removed: Vec<Finding>,
    /// Tenancy parts that differ (`Connect topology: Dedicated … → Shared …`).
    pub tenancy_changes: Vec<String>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.findings_added.is_empty()
            && self.findings_removed.is_empty()
            && self.tenancy_changes.is_empty()
    }
}

impl Engagement {
    /// The tenancy choices recorded so far (none yet: the defaults).
    pub fn tenancy_choices(&self) -> Result<TenancyChoices> {
        let body: Option<String> =
            self.conn().query_row("SELECT body FROM tenancy_choices WHERE id = 1", [], |row| row.get(0)).optional()?;
        match body {
            None => Ok(TenancyChoices::default()),
            Some(body) => serde_json::from_str(&body)
                .map_err(|e| Error::Internal(format!("stored tenancy choices cannot be read: {e}"))),
        }
    }

    pub(super) fn save_tenancy_choices(&self, choices: &TenancyChoices, now: &str) -> Result<()> {
        let body = serde_json::to_string(choices).map_err(|e| Error::Internal(e.to_string()))?;
        self.conn().execute(
            "INSERT INTO tenancy_choices (id, body, updated_at) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            params![body, now],
        )?;
        Ok(())
    }

    pub fn recorded_decisions(&self) -> Result<Vec<Recorded>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, status, owner, due, choice, note, updated_at, updated_by FROM decision ORDER BY id")?;
        let rows = stmt.query_map([], |row| {
            let status: String = row.get(1)?;
            Ok(Recorded {
                id: row.get(0)?,
                status: DecisionStatus::parse("status", &status).unwrap_or(DecisionStatus::Open),
                owner: row.get(2)?,
                due: row.get(3)?,
                choice: row.get(4)?,
                note: row.get(5)?,
                updated_at: row.get(6)?,
                updated_by: row.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Freezes the current blueprint (of the newest finished scan) as the next version.
    pub fn save_blueprint(&self, by: &str, note: &str, clock: &dyn Clock) -> Result<VersionSummary> {
        if by.trim().is_empty() {
            return Err(Error::invalid("by", "say who saves the blueprint"));
        }
        let (blueprint, _) = self.current_blueprint(None)?;
        let body = serde_json::to_string(&blueprint).map_err(|e| Error::Internal(e.to_string()))?;
        let digest = format!("{:x}", Sha256::digest(body.as_bytes()));
        let now = rfc3339(clock.now());
        let version: u32 =
            self.conn()
                .query_row("SELECT coalesce(max(version), 0) + 1 FROM blueprint_version", [], |row| row.get(0))?;
        self.conn().execute(
            "INSERT INTO blueprint_version (version, scan_id, created_at, created_by, note, body, digest)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![version, blueprint.scan_id, now, by.trim(), note, body, digest],
        )?;
        Ok(VersionSummary {
            version,
            scan_id: blueprint.scan_id,
            created_at: now,
            created_by: by.trim().to_owned(),
            note: note.to_owned(),
            digest,
        })
    }

    pub fn blueprint_versions(&self) -> Result<Vec<VersionSummary>> {
        let mut stmt = self.conn().prepare(
            "SELECT version, scan_id, created_at, created_by, note, digest FROM blueprint_version ORDER BY version",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(VersionSummary {
                version: row.get(0)?,
                scan_id: row.get(1)?,
                created_at: row.get(2)?,
                created_by: row.get(3)?,
                note: row.get(4)?,
                digest: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A saved version, checked against its digest and upgraded from older formats (or refused when newer).
    pub fn blueprint_version(&self, version: u32) -> Result<Blueprint> {
        let row: Option<(String, String)> = self
            .conn()
            .query_row("SELECT body, digest FROM blueprint_version WHERE version = ?1", [version], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        let (body, digest) = row.ok_or_else(|| {
            Error::invalid("version", format!("no blueprint version {version} (`pinshift blueprint versions`)"))
        })?;
        if format!("{:x}", Sha256::digest(body.as_bytes())) != digest {
            return Err(Error::Corrupt {
                path: self.path().to_owned(),
                detail: format!("blueprint version {version} does not match its digest"),
            });
        }
        parse_blueprint(&body, &format!("blueprint version {version}"))
    }

    /// Records that `by` signed off `client` on `version` (the newest saved version when `None`).
    pub fn sign_off(
        &self,
        client: &str,
        version: Option<u32>,
        by: &str,
        note: &str,
        clock: &dyn Clock,
    ) -> Result<SignOff> {
        let version = match version {
            Some(v) => v,
            None => self.blueprint_versions()?.last().map(|v| v.version).ok_or_else(|| {
                Error::invalid("version", "no saved blueprint yet: run `pinshift blueprint save` first")
            })?,
        };
        let blueprint = self.blueprint_version(version)?;
        blueprint.require_client("client", client)?;
        if by.trim().is_empty() {
            return Err(Error::invalid("by", "say who signs off"));
        }
        let open_decisions =
            blueprint.decisions.iter().filter(|d| d.client == client && d.status.is_open()).count() as u32;
        let now = rfc3339(clock.now());
        self.conn().execute(
            "INSERT INTO sign_off (client, version, signed_by, signed_at, note) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (client, version) DO UPDATE SET signed_by = excluded.signed_by,
               signed_at = excluded.signed_at, note = excluded.note",
            params![client, version, by.trim(), now, note],
        )?;
        Ok(SignOff {
            client: client.to_owned(),
            version,
            signed_by: by.trim().to_owned(),
            signed_at: now,
            note: note.to_owned(),
            open_decisions,
        })
    }

    pub fn sign_offs(&self) -> Result<Vec<SignOff>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT client, version, signed_by, signed_at, note FROM sign_off ORDER BY client, version")?;
        let rows = stmt.query_map([], |row| {
            Ok(SignOff {
                client: row.get(0)?,
                version: row.get(1)?,
                signed_by: row.get(2)?,
                signed_at: row.get(3)?,
                note: row.get(4)?,
                open_decisions: 0,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Reads a blueprint document, upgrading older formats and refusing newer ones.
pub fn parse_blueprint(body: &str, what: &str) -> Result<Blueprint> {
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|e| Error::invalid(what, format!("not a blueprint document: {e}")))?;
    let format = value.get("format").and_then(serde_json::Value::as_u64).unwrap_or(0) as u32;
    if format > FORMAT {
        return Err(Error::invalid(
            what,
            format!("written in blueprint format {format} by a newer Pinshift; this build reads up to format {FORMAT}"),
        ));
    }
    if format == 0 {
        return Err(Error::invalid(what, "has no blueprint format number: it was not written by Pinshift"));
    }
    // Upgrades, oldest first.
    let value = if format == 1 { super::upgrade::from_format_1(value, what)? } else { value };
    serde_json::from_value(value).map_err(|e| Error::invalid(what, format!("cannot be read: {e}")))
}

/// What changed for `client` between a signed-off blueprint (and its scan's records) and the current one.
pub fn drift(
    client: &str,
    signed_version: u32,
    signed: &Blueprint,
    signed_records: &[ResourceRecord],
    current: &Blueprint,
    current_records: &[ResourceRecord],
) -> Drift {
    let mine = |bp: &Blueprint, records: &[ResourceRecord]| -> Vec<ResourceRecord> {
        let projects: BTreeSet<String> = bp
            .assessment
            .client(client)
            .map(|c| c.client.projects.iter().map(|p| p.key()).collect())
            .unwrap_or_default();
        let owned: BTreeSet<String> = bp
            .assessment
            .attributions
            .iter()
            .filter(|a| a.clients.iter().any(|c| c == client))
            .map(|a| a.resource.key())
            .collect();
        records
            .iter()
            .filter(|r| r.kind != ResourceKind::Kpi && r.kind != ResourceKind::JourneyMetrics)
            .filter(|r| {
                if r.project_id.is_empty() {
                    owned.contains(&crate::assess::ResourceRef::of(r).key())
                } else {
                    projects.contains(&r.project_key())
                }
            })
            .cloned()
            .collect()
    };
    let before = mine(signed, signed_records);
    let after = mine(current, current_records);
    let resources = diff::diff(&before, &after);
    let ids =
        |bp: &Blueprint| -> BTreeSet<String> { bp.assessment.findings_of(client).map(|f| f.id.clone()).collect() };
    let (old_ids, new_ids) = (ids(signed), ids(current));
    let findings_added = current.assessment.findings_of(client).filter(|f| !old_ids.contains(&f.id)).cloned().collect();
    let findings_removed =
        signed.assessment.findings_of(client).filter(|f| !new_ids.contains(&f.id)).cloned().collect();
    let mut tenancy_changes = Vec::new();
    match (signed.client(client), current.client(client)) {
        (Some(a), Some(b)) => {
            let mut compare = |what: &str, before: Vec<String>, after: Vec<String>| {
                if before != after {
                    let words = |list: Vec<String>| if list.is_empty() { "none".to_owned() } else { list.join(", ") };
                    tenancy_changes.push(format!("{what}: {} → {}", words(before), words(after)));
                }
            };
            compare(
                "Connect topology",
                vec![a.connect.topology.label().into()],
                vec![b.connect.topology.label().into()],
            );
            let policies = |p: &super::ClientTenancy| -> Vec<String> {
                p.ses.iter().map(|s| format!("tenant {} on {}", s.tenant_name, s.reputation_policy.as_str())).collect()
            };
            compare("SES", policies(a), policies(b));
            let pools = |p: &super::ClientTenancy| -> Vec<String> {
                p.sms
                    .iter()
                    .flat_map(|s| s.pools.iter().map(|p| format!("{} with {}", p.name, p.numbers.join(" "))))
                    .collect()
            };
            compare("SMS pools", pools(a), pools(b));
            let campaigns = |p: &super::ClientTenancy| -> Vec<String> {
                p.connect.campaigns.iter().map(|c| c.name.clone()).collect()
            };
            compare("campaigns", campaigns(a), campaigns(b));
        }
        (Some(_), None) => tenancy_changes.push("the client is gone from the current scan".into()),
        (None, Some(_)) => tenancy_changes.push("the client was not in the signed-off version".into()),
        (None, None) => {}
    }
    Drift {
        client: client.to_owned(),
        signed_version,
        signed_scan: signed.scan_id.clone(),
        current_scan: current.scan_id.clone(),
        resources,
        findings_added,
        findings_removed,
        tenancy_changes,
    }
}

impl Engagement {
    /// The blueprint of a scan (the newest finished scan by default) under the recorded choices and
    /// decisions, with the scan's records.
    pub fn current_blueprint(&self, scan: Option<&str>) -> Result<(Blueprint, Vec<ResourceRecord>)> {
        let scan = match scan {
            Some(id) => self.scan_summary(Some(id))?.id,
            None => self.newest_finished_scan()?,
        };
        let records = self.scan_records(&scan, None)?;
        let choices = self.tenancy_choices()?;
        let recorded = self.recorded_decisions()?;
        let blueprint = super::build(&scan, &records, &choices, &recorded)?;
        Ok((blueprint, records))
    }
}

impl Engagement {
    /// The id of the newest scan that finished (complete, or complete with gaps): the one blueprints read.
    pub fn newest_finished_scan(&self) -> Result<String> {
        self.list_scans()?
            .into_iter()
            .find(|s| {
                matches!(s.status, crate::estate::ScanStatus::Complete | crate::estate::ScanStatus::CompleteWithGaps)
            })
            .map(|s| s.id)
            .ok_or_else(|| {
                Error::invalid("scan", "this engagement has no finished scan yet: run `pinshift scan` first")
            })
    }

    /// What changed for each signed-off client (or only `client`) between its newest signed-off version
    /// and the blueprint of `scan` (the newest finished scan by default).
    pub fn drift_since_sign_off(&self, client: Option<&str>, scan: Option<&str>) -> Result<Vec<Drift>> {
        let mut latest: std::collections::BTreeMap<String, u32> = Default::default();
        for s in self.sign_offs()?.iter().filter(|s| client.is_none_or(|c| s.client == c)) {
            let v = latest.entry(s.client.clone()).or_default();
            *v = (*v).max(s.version);
        }
        if latest.is_empty() {
            return Ok(Vec::new());
        }
        let (current, current_records) = self.current_blueprint(scan)?;
        let mut drifts = Vec::new();
        for (client, version) in latest {
            let signed = self.blueprint_version(version)?;
            let signed_records = self.scan_records(&signed.scan_id, None)?;
            drifts.push(drift(&client, version, &signed, &signed_records, &current, &current_records));
        }
        Ok(drifts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blueprints_of_newer_or_unknown_formats_are_refused_by_name() {
        let newer = parse_blueprint(r#"{"format": 99}"#, "blueprint version 3").expect_err("newer");
        assert!(
            newer.to_string().contains("blueprint version 3") && newer.to_string().contains("format 99"),
            "{newer}"
        );
        let foreign = parse_blueprint(r#"{"clients": []}"#, "report.json").expect_err("foreign");
        assert!(foreign.to_string().contains("report.json") && foreign.to_string().contains("no blueprint format"));
        let garbage = parse_blueprint("not json", "x").expect_err("garbage");
        assert!(garbage.to_string().contains("not a blueprint document"), "{garbage}");
    }
}
