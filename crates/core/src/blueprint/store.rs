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
use super::tenancy::TenancyOverride;
use super::{Blueprint, FORMAT};
use crate::assess::Finding;
use crate::assess::clients::{OwnerChoice, check_client_id};
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

    fn save_tenancy_choices(&self, choices: &TenancyChoices, now: &str) -> Result<()> {
        let body = serde_json::to_string(choices).map_err(|e| Error::Internal(e.to_string()))?;
        self.conn().execute(
            "INSERT INTO tenancy_choices (id, body, updated_at) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            params![body, now],
        )?;
        Ok(())
    }

    /// Renames a client (display name only; the id stays).
    pub fn rename_client(&self, blueprint: &Blueprint, client: &str, name: &str, now: &str) -> Result<()> {
        blueprint.require_client("client", client)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::invalid("name", "a client name is 1–100 characters"));
        }
        let mut choices = self.tenancy_choices()?;
        choices.clients.names.insert(client.to_owned(), name.to_owned());
        self.save_tenancy_choices(&choices, now)
    }

    /// Moves projects (keys `account/Region/project id`, or project names) into client `into` — an
    /// existing client (merge) or a new id (split off).
    pub fn assign_projects(&self, blueprint: &Blueprint, into: &str, projects: &[String], now: &str) -> Result<()> {
        check_client_id("client", into)?;
        let mut choices = self.tenancy_choices()?;
        for wanted in projects {
            let found: Vec<String> = blueprint
                .assessment
                .clients
                .iter()
                .flat_map(|c| &c.client.projects)
                .filter(|p| &p.key() == wanted || &p.name == wanted || &p.project_id == wanted)
                .map(|p| p.key())
                .collect();
            match found.as_slice() {
                [key] => {
                    choices.clients.project_clients.insert(key.clone(), into.to_owned());
                }
                [] => return Err(Error::invalid("project", format!("no project {wanted:?} in this scan"))),
                _ => {
                    return Err(Error::invalid(
                        "project",
                        format!(
                            "{wanted:?} names several projects; give account/Region/project id: {}",
                            found.join(", ")
                        ),
                    ));
                }
            }
        }
        self.save_tenancy_choices(&choices, now)
    }

    /// Sets the owners of an account-level resource (`resource` is its key or name). With `accept`, the
    /// current proposal is confirmed as it is; otherwise `clients` overrides it.
    pub fn attribute(
        &self,
        blueprint: &Blueprint,
        resource: &str,
        clients: &[String],
        accept: bool,
        now: &str,
    ) -> Result<()> {
        let matches: Vec<_> = blueprint
            .assessment
            .attributions
            .iter()
            .filter(|a| a.resource.key() == resource || a.resource.label() == resource || a.resource.id == resource)
            .collect();
        let attribution = match matches.as_slice() {
            [one] => *one,
            [] => {
                return Err(Error::invalid("resource", format!("no account-level resource {resource:?} in this scan")));
            }
            many => {
                let keys: Vec<String> = many.iter().map(|a| a.resource.key()).collect();
                return Err(Error::invalid("resource", format!("{resource:?} is ambiguous: {}", keys.join(", "))));
            }
        };
        let owners: Vec<String> = if accept { attribution.clients.clone() } else { clients.to_vec() };
        if accept && owners.is_empty() {
            return Err(Error::invalid("resource", "nothing is proposed for it: name its clients instead"));
        }
        for (i, c) in owners.iter().enumerate() {
            blueprint.require_client(&format!("clients[{i}]"), c)?;
        }
        if attribution.resource.kind == ResourceKind::PhoneNumber && owners.len() > 1 {
            return Err(Error::invalid(
                "clients",
                format!(
                    "phone number {} can be in only one pool, so only one client can own it (asked: {})",
                    attribution.resource.label(),
                    owners.join(", ")
                ),
            ));
        }
        let mut choices = self.tenancy_choices()?;
        let unique: BTreeSet<String> = owners.into_iter().collect();
        choices.clients.owners.insert(
            attribution.resource.key(),
            OwnerChoice { clients: unique.into_iter().collect(), accepted: accept },
        );
        self.save_tenancy_choices(&choices, now)
    }

    /// Accepts every current proposal that nobody reviewed yet; returns how many.
    pub fn accept_all_proposals(&self, blueprint: &Blueprint, now: &str) -> Result<u32> {
        let mut choices = self.tenancy_choices()?;
        let mut n = 0;
        for a in &blueprint.assessment.attributions {
            if a.status == crate::assess::AttributionStatus::Proposed
                && !choices.clients.owners.contains_key(&a.resource.key())
            {
                choices
                    .clients
                    .owners
                    .insert(a.resource.key(), OwnerChoice { clients: a.clients.clone(), accepted: true });
                n += 1;
            }
        }
        self.save_tenancy_choices(&choices, now)?;
        Ok(n)
    }

    /// Overrides parts of a client's plan. Checked by building the blueprint with it before saving.
    pub fn set_plan_choice(
        &self,
        blueprint: &Blueprint,
        client: &str,
        change: TenancyOverride,
        records: &[ResourceRecord],
        now: &str,
    ) -> Result<()> {
        blueprint.require_client("client", client)?;
        let mut choices = self.tenancy_choices()?;
        let entry = choices.plans.entry(client.to_owned()).or_default();
        if change.topology.is_some() {
            entry.topology = change.topology;
        }
        if change.reputation.is_some() {
            entry.reputation = change.reputation;
        }
        if let Some(name) = change.tenant_name {
            entry.tenant_name = Some(name);
        }
        // Refuse a choice that breaks a constraint (tenant name rules, two clients on one tenant…).
        super::build(&blueprint.scan_id, records, &choices, &[])?;
        self.save_tenancy_choices(&choices, now)
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

    /// Records a change to a decision of the current blueprint.
    pub fn record_decision(
        &self,
        blueprint: &Blueprint,
        id: &str,
        update: DecisionUpdate,
        by: &str,
        now: &str,
    ) -> Result<()> {
        let matches: Vec<_> = blueprint.decisions.iter().filter(|d| d.id == id || d.id.starts_with(id)).collect();
        let decision = match matches.as_slice() {
            [one] => *one,
            [] => {
                return Err(Error::invalid("decision", format!("no decision {id:?} (`pinshift blueprint decisions`)")));
            }
            many => {
                let exact = many.iter().find(|d| d.id == id);
                exact.copied().ok_or_else(|| {
                    Error::invalid("decision", format!("{id:?} matches {} decisions; give the whole id", many.len()))
                })?
            }
        };
        if let Some(due) = update.due.as_deref().filter(|d| !d.is_empty()) {
            jiff::civil::Date::strptime("%Y-%m-%d", due)
                .map_err(|_| Error::invalid("due", format!("{due:?} is not a date like 2026-12-15")))?;
        }
        for (field, value) in [("owner", &update.owner), ("choice", &update.choice), ("note", &update.note)] {
            if value.as_ref().is_some_and(|v| v.chars().count() > 2000) {
                return Err(Error::invalid(field, "at most 2,000 characters"));
            }
        }
        if by.trim().is_empty() {
            return Err(Error::invalid("by", "say who records the decision"));
        }
        self.conn().execute(
            "INSERT INTO decision (id, status, owner, due, choice, note, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (id) DO UPDATE SET status = excluded.status, owner = excluded.owner, due = excluded.due,
               choice = excluded.choice, note = excluded.note, updated_at = excluded.updated_at,
               updated_by = excluded.updated_by",
            params![
                decision.id,
                update.status.unwrap_or(decision.status).as_str(),
                update.owner.unwrap_or_else(|| decision.owner.clone()),
                update.due.unwrap_or_else(|| decision.due.clone()),
                update.choice.unwrap_or_else(|| decision.choice.clone()),
                update.note.unwrap_or_else(|| decision.note.clone()),
                now,
                by.trim(),
            ],
        )?;
        Ok(())
    }

    /// Freezes a blueprint as the next version; returns its number.
    pub fn save_blueprint(&self, blueprint: &Blueprint, by: &str, note: &str, now: &str) -> Result<u32> {
        if by.trim().is_empty() {
            return Err(Error::invalid("by", "say who saves the blueprint"));
        }
        let body = serde_json::to_string(blueprint).map_err(|e| Error::Internal(e.to_string()))?;
        let digest = format!("{:x}", Sha256::digest(body.as_bytes()));
        let version: u32 =
            self.conn()
                .query_row("SELECT coalesce(max(version), 0) + 1 FROM blueprint_version", [], |row| row.get(0))?;
        self.conn().execute(
            "INSERT INTO blueprint_version (version, scan_id, created_at, created_by, note, body, digest)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![version, blueprint.scan_id, now, by.trim(), note, body, digest],
        )?;
        Ok(version)
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

    /// Records that `by` signed off `client` on `version`.
    pub fn sign_off(&self, client: &str, version: u32, by: &str, note: &str, now: &str) -> Result<SignOff> {
        let blueprint = self.blueprint_version(version)?;
        blueprint.require_client("client", client)?;
        if by.trim().is_empty() {
            return Err(Error::invalid("by", "say who signs off"));
        }
        let open_decisions =
            blueprint.decisions.iter().filter(|d| d.client == client && d.status.is_open()).count() as u32;
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
            signed_at: now.to_owned(),
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
            compare("Connect topology", vec![a.connect.topology.label().into()], vec![b.connect.topology.label().into()]);
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
            let campaigns =
                |p: &super::ClientTenancy| -> Vec<String> { p.connect.campaigns.iter().map(|c| c.name.clone()).collect() };
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
        let summary = match scan {
            Some(id) => self.scan_summary(Some(id))?,
            None => self
                .list_scans()?
                .into_iter()
                .find(|s| {
                    matches!(
                        s.status,
                        crate::estate::ScanStatus::Complete | crate::estate::ScanStatus::CompleteWithGaps
                    )
                })
                .ok_or_else(|| {
                    Error::invalid("scan", "this engagement has no finished scan yet: run `pinshift scan` first")
                })?,
        };
        let records = self.scan_records(&summary.id, None)?;
        let choices = self.tenancy_choices()?;
        let recorded = self.recorded_decisions()?;
        let blueprint = super::build(&summary.id, &records, &choices, &recorded)?;
        Ok((blueprint, records))
    }
}

impl Engagement {
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
