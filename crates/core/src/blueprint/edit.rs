//! The edits reviewers make to a blueprint — rename a client, move projects between clients, name the
//! owners of account-level resources, override a tenancy, record a decision — each one call: it loads what
//! it is checked against (the current blueprint of the newest finished scan), refuses what does not hold
//! naming the field, and stores the change with the time from the `Clock`.

use std::collections::BTreeSet;

use rusqlite::params;

use super::store::DecisionUpdate;
use super::tenancy::TenancyOverride;
use crate::assess::clients::{OwnerChoice, check_client_id};
use crate::clock::{Clock, rfc3339};
use crate::engagement::Engagement;
use crate::estate::ResourceKind;
use crate::{Error, Result};

impl Engagement {
    /// Renames a client (display name only; the id stays).
    pub fn rename_client(&self, client: &str, name: &str, clock: &dyn Clock) -> Result<()> {
        let (blueprint, _) = self.current_blueprint(None)?;
        blueprint.require_client("client", client)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::invalid("name", "a client name is 1–100 characters"));
        }
        let mut choices = self.tenancy_choices()?;
        choices.clients.names.insert(client.to_owned(), name.to_owned());
        self.save_tenancy_choices(&choices, &rfc3339(clock.now()))
    }

    /// Moves projects (keys `account/Region/project id`, or project names) into client `into` — an
    /// existing client (merge) or a new id (split off).
    pub fn assign_projects(&self, into: &str, projects: &[String], clock: &dyn Clock) -> Result<()> {
        let (blueprint, _) = self.current_blueprint(None)?;
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
        self.save_tenancy_choices(&choices, &rfc3339(clock.now()))
    }

    /// Sets the owners of an account-level resource (`resource` is its key or name). With `accept`, the
    /// current proposal is confirmed as it is; otherwise `clients` overrides it.
    pub fn attribute(&self, resource: &str, clients: &[String], accept: bool, clock: &dyn Clock) -> Result<()> {
        let (blueprint, _) = self.current_blueprint(None)?;
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
        self.save_tenancy_choices(&choices, &rfc3339(clock.now()))
    }

    /// Accepts every current proposal that nobody reviewed yet; returns how many.
    pub fn accept_all_proposals(&self, clock: &dyn Clock) -> Result<u32> {
        let (blueprint, _) = self.current_blueprint(None)?;
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
        self.save_tenancy_choices(&choices, &rfc3339(clock.now()))?;
        Ok(n)
    }

    /// Overrides parts of a client's tenancy. Checked by building the blueprint with it before saving
    /// (tenant name rules, two clients on one tenant…); nothing is saved when it does not hold.
    pub fn set_tenancy(&self, client: &str, change: TenancyOverride, clock: &dyn Clock) -> Result<()> {
        let scan = self.newest_finished_scan()?;
        let records = self.scan_records(&scan, None)?;
        let mut choices = self.tenancy_choices()?;
        // Overrides leave the clients as they are: one assessment checks the client and the tenancy.
        let assessment = crate::assess::assess(&scan, &records, &choices.clients)?;
        assessment.require_client("client", client)?;
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
        super::tenancy::derive(&records, &assessment, &choices)?;
        self.save_tenancy_choices(&choices, &rfc3339(clock.now()))
    }

    /// Records a change to a decision of the current blueprint.
    pub fn record_decision(&self, id: &str, update: DecisionUpdate, by: &str, clock: &dyn Clock) -> Result<()> {
        let (blueprint, _) = self.current_blueprint(None)?;
        let now = rfc3339(clock.now());
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
}
