//! Runs: apply a blueprint version's target resources for some clients, resume after a crash, roll back.
//! Everything is journaled ([`super::journal`]): an intent row before each create or delete, an outcome
//! row after it. Idempotent: every create is preceded by a read, tokens are deterministic per run and
//! resource, and a resume reconciles an intent without an outcome by reading the target.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::audience::{AudiencePort, LoadEvent, LoadRequest, audience_target, needed, sources};
use super::journal::{Entry, JournalFilter, JournalRow, Phase, redact};
use super::plan::{
    Action, ENGAGEMENT_TAG, Found, Observed, Plan, RUN_TAG, Reference, Step, TargetPort, Waiting, differing_members,
    in_account, read_readiness, resolve, scope, sending_places,
};
use crate::blueprint::graph::{TargetGraph, TargetResource};
use crate::clock::Clock;
use crate::engagement::Engagement;
use crate::target::TargetKind;
use crate::{Error, Result};

/// A run as the engagement file keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RunRecord {
    pub id: String,
    pub started_at: String,
    pub version: u32,
    pub scan_id: String,
    pub connection: String,
    pub account_id: String,
    pub clients: Vec<String>,
    pub unsigned_reason: Option<String>,
    /// `running`, `finished`, `stopped`, `failed`.
    pub state: String,
    pub finished_at: Option<String>,
}

/// What a run is asked to do.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub version: u32,
    /// Empty: every client of the version.
    pub clients: Vec<String>,
    pub connection: String,
    pub account_id: String,
    /// Apply clients nobody signed off on this version, for this reason (journaled).
    pub allow_unsigned: Option<String>,
}

/// What a run reports as it goes.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RunEvent {
    Started {
        run_id: String,
        steps: u32,
    },
    Step {
        done: u32,
        total: u32,
        step: Step,
    },
    Finished {
        summary: RunSummary,
    },
    /// A client's audience load, as it goes (the transform, then each part: profiles, numbers, addresses).
    Audience {
        client: String,
        part: String,
        #[ts(type = "number")]
        done: u64,
        #[ts(type = "number")]
        total: u64,
    },
    /// Verify read one resource back.
    Checked {
        done: u32,
        total: u32,
        step: String,
        kind: TargetKind,
        name: String,
        check: super::verify::Check,
    },
}

/// The `Progress` port of runs.
pub trait RunProgress: Sync {
    fn report(&self, event: RunEvent);
}

/// Ignores progress.
#[derive(Debug, Default)]
pub struct Quiet;

impl RunProgress for Quiet {
    fn report(&self, _: RunEvent) {}
}

/// How one client stands after a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClientStatus {
    Applied,
    WaitingAtGate,
    NeedsDecision,
    Partial,
    Failed,
}

/// What a run did.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct RunSummary {
    pub run_id: String,
    pub state: String,
    pub created: u32,
    pub adopted: u32,
    pub done: u32,
    pub differs: u32,
    pub gates: u32,
    /// Steps waiting for AWS or someone outside (DNS verification, a registration's review, an instance
    /// AWS is creating): a later pass (`--poll`, resume or apply) continues them.
    pub waiting: u32,
    pub blocked: u32,
    pub not_automated: u32,
    pub failed: u32,
    pub clients: BTreeMap<String, ClientStatus>,
    /// The failures, one line each.
    pub errors: Vec<String>,
    /// Steps of the run's clients in other accounts (left for a run with a connection to each), by account.
    pub elsewhere: BTreeMap<String, u32>,
    /// The audience step of each client with an audience source, after its resources.
    pub audiences: Vec<AudienceStep>,
}

/// A client's audience in a run: loaded from its source once the resources it goes into are applied.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AudienceStep {
    pub client: String,
    /// `loaded` (and reconciled), `already_loaded`, `does_not_reconcile`, `blocked`, `needs_decision` (input
    /// that cannot all be read), `stopped`, `failed`.
    pub outcome: String,
    #[ts(optional)]
    pub load_id: Option<String>,
    /// Plain words: what was written, what it waits for, or the error.
    pub detail: String,
}

/// What a rollback did.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct RollbackSummary {
    pub run_id: String,
    pub deleted: u32,
    /// Created by Pinshift but left on purpose, with why.
    pub kept: Vec<String>,
    pub failed: Vec<String>,
}

fn now(clock: &dyn Clock) -> String {
    clock.now().to_string()
}

/// The idempotency token of one resource's create in one run: the same after a crash, another in the
/// next run.
pub fn client_token(engagement_id: &str, run_id: &str, resource_id: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!("{engagement_id}\n{run_id}\n{resource_id}").as_bytes());
    hasher.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

impl Engagement {
    /// Starts a run: checks the clients' sign-off on `request.version`, records the run and journals it.
    pub fn start_run(&self, request: &RunRequest, graph: &TargetGraph, clock: &dyn Clock) -> Result<RunRecord> {
        let in_scope = scope(graph, &request.clients)?;
        let clients: Vec<String> = if request.clients.is_empty() {
            in_scope.iter().flat_map(|r| r.clients.iter().cloned()).collect::<BTreeSet<_>>().into_iter().collect()
        } else {
            request.clients.clone()
        };
        let signed: BTreeSet<String> =
            self.sign_offs()?.into_iter().filter(|s| s.version == request.version).map(|s| s.client).collect();
        let unsigned: Vec<String> = clients.iter().filter(|c| !signed.contains(*c)).cloned().collect();
        if !unsigned.is_empty() && request.allow_unsigned.is_none() {
            return Err(Error::invalid(
                "sign-off",
                format!(
                    "{} not signed off on version {} (sign off with `pinshift blueprint sign-off`, or pass \
                     --allow-unsigned --reason TEXT)",
                    unsigned.join(", "),
                    request.version
                ),
            ));
        }
        if let Some(open) = self.open_run()? {
            return Err(Error::invalid(
                "run",
                format!("run {} has not finished: resume it (`pinshift migrate resume`) first", open.id),
            ));
        }
        let record = RunRecord {
            id: format!("run-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]),
            started_at: now(clock),
            version: request.version,
            scan_id: graph.scan_id.clone(),
            connection: request.connection.clone(),
            account_id: request.account_id.clone(),
            clients,
            unsigned_reason: if unsigned.is_empty() { None } else { request.allow_unsigned.clone() },
            state: "running".into(),
            finished_at: None,
        };
        self.conn().execute(
            "INSERT INTO run (id, started_at, version, scan_id, connection, account_id, clients, unsigned_reason, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'running')",
            params![
                record.id,
                record.started_at,
                record.version,
                record.scan_id,
                record.connection,
                record.account_id,
                serde_json::to_string(&record.clients).unwrap_or_default(),
                record.unsigned_reason
            ],
        )?;
        self.journal_append(
            &record.id,
            &record.started_at,
            Phase::RunStarted,
            Entry {
                detail: Some(json!({ "version": record.version, "clients": record.clients,
                                     "connection": record.connection, "account_id": record.account_id })),
                ..Entry::default()
            },
        )?;
        if let Some(reason) = &record.unsigned_reason {
            for client in unsigned {
                self.journal_append(
                    &record.id,
                    &record.started_at,
                    Phase::Note,
                    Entry {
                        client: Some(client),
                        outcome: Some("applied_unsigned".into()),
                        detail: Some(json!({ "reason": reason })),
                        ..Entry::default()
                    },
                )?;
            }
        }
        Ok(record)
    }

    /// The run that has not finished (stopped, crashed or still running), if any.
    pub fn open_run(&self) -> Result<Option<RunRecord>> {
        Ok(self.runs()?.into_iter().rev().find(|r| r.state == "running" || r.state == "stopped"))
    }

    pub fn runs(&self) -> Result<Vec<RunRecord>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, started_at, version, scan_id, connection, account_id, clients, unsigned_reason, state, finished_at
             FROM run ORDER BY started_at, rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            let clients: String = r.get(6)?;
            Ok(RunRecord {
                id: r.get(0)?,
                started_at: r.get(1)?,
                version: r.get(2)?,
                scan_id: r.get(3)?,
                connection: r.get(4)?,
                account_id: r.get(5)?,
                clients: serde_json::from_str(&clients).unwrap_or_default(),
                unsigned_reason: r.get(7)?,
                state: r.get(8)?,
                finished_at: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn run(&self, id: &str) -> Result<RunRecord> {
        self.runs()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::invalid("run", format!("no run {id:?} in this engagement")))
    }

    fn finish_run(&self, run_id: &str, state: &str, clock: &dyn Clock, summary: &RunSummary) -> Result<()> {
        let at = now(clock);
        self.conn().execute(
            "UPDATE run SET state = ?2, finished_at = ?3 WHERE id = ?1",
            params![run_id, state, if state == "stopped" { None } else { Some(at.clone()) }],
        )?;
        self.journal_append(
            run_id,
            &at,
            Phase::RunEnded,
            Entry {
                outcome: Some(state.to_owned()),
                detail: Some(serde_json::to_value(summary).unwrap_or(Value::Null)),
                ..Entry::default()
            },
        )?;
        Ok(())
    }

    /// Records that a person did what a gate asked (`by`, now).
    pub fn confirm_gate(&self, run_id: &str, step: &str, by: &str, clock: &dyn Clock) -> Result<JournalRow> {
        if by.trim().is_empty() {
            return Err(Error::invalid("by", "say who confirmed the gate"));
        }
        self.journal_append(
            run_id,
            &now(clock),
            Phase::Gate,
            Entry {
                step: Some(step.to_owned()),
                outcome: Some("confirmed".into()),
                detail: Some(json!({ "by": by.trim() })),
                ..Entry::default()
            },
        )
    }

    /// The newest outcome row of each step (any run): what the journal says happened to it last.
    pub(super) fn last_outcomes(&self) -> Result<BTreeMap<String, JournalRow>> {
        let mut out = BTreeMap::new();
        for row in self.journal_rows(&JournalFilter::default())? {
            if let Some(step) = row.step.clone() {
                let relevant = row.phase() == Some(Phase::Outcome)
                    || (row.phase() == Some(Phase::Gate) && row.outcome.as_deref() == Some("confirmed"));
                if relevant {
                    out.insert(step, row);
                }
            }
        }
        Ok(out)
    }

    /// Steps of `run_id` with an intent row and no outcome after it (a crash between the two).
    fn dangling_intents(&self, run_id: &str) -> Result<BTreeSet<String>> {
        let mut open = BTreeSet::new();
        let filter = JournalFilter { run_id: Some(run_id.to_owned()), ..JournalFilter::default() };
        for row in self.journal_rows(&filter)? {
            match (row.phase(), row.step) {
                (Some(Phase::Intent), Some(step)) => {
                    open.insert(step);
                }
                (Some(Phase::Outcome), Some(step)) => {
                    open.remove(&step);
                }
                _ => {}
            }
        }
        Ok(open)
    }

    fn gate_journaled(&self, run_id: &str, step: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM journal WHERE run_id = ?1 AND step = ?2 AND phase = 'gate' LIMIT 1",
                params![run_id, step],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

/// The outcomes a step can end a walk with.
#[derive(Debug, Clone, PartialEq)]
enum Status {
    Ready(Reference),
    Planned,
    NotReady(Action),
}

/// The tags a run adds to what it creates.
fn run_tags(engagement_id: &str, run_id: Option<&str>) -> BTreeMap<String, String> {
    let mut tags = BTreeMap::from([(ENGAGEMENT_TAG.to_owned(), engagement_id.to_owned())]);
    if let Some(run) = run_id {
        tags.insert(RUN_TAG.to_owned(), run.to_owned());
    }
    tags
}

fn step_of(resource: &TargetResource, action: Action, arn: Option<String>, waiting: Option<Waiting>) -> Step {
    Step {
        id: resource.id.clone(),
        kind: resource.kind,
        name: resource.name.clone(),
        clients: resource.clients.clone(),
        shared: resource.shared(),
        depends_on: resource.depends_on.clone(),
        action,
        arn,
        losses: resource.translation.as_ref().map(|t| t.losses).unwrap_or(0),
        waiting,
    }
}

/// What stops a step before its own state is read: a dependency that is not ready.
fn blocker(resource: &TargetResource, statuses: &BTreeMap<String, Status>) -> Option<Action> {
    let mut planned = false;
    for d in &resource.depends_on {
        match statuses.get(d) {
            Some(Status::Ready(_)) => {}
            Some(Status::Planned) => planned = true,
            Some(Status::NotReady(_)) | None => return Some(Action::Blocked { on: d.clone() }),
        }
    }
    planned.then_some(Action::Create)
}

fn references(graph: &TargetGraph, statuses: &BTreeMap<String, Status>) -> BTreeMap<(TargetKind, String), Reference> {
    graph
        .resources
        .iter()
        .filter_map(|r| match statuses.get(&r.id) {
            Some(Status::Ready(reference)) => Some(((r.kind, r.name.clone()), reference.clone())),
            _ => None,
        })
        .collect()
}

/// Whether a step's gate is behind it: a person confirmed it, and what followed (created or adopted)
/// does not undo that. After a rollback removed it, the gate asks again.
fn gate_passed(last: &JournalRow) -> bool {
    matches!(last.outcome.as_deref(), Some("confirmed" | "created" | "adopted"))
}

/// What dependents see of a resource that exists: ready, or still being brought up by AWS.
fn ready(resource: &TargetResource, reference: Reference, pending: Option<&String>) -> Status {
    match pending {
        Some(state) => Status::NotReady(Action::Blocked {
            on: format!("{} {} to finish ({state}): resume later", resource.kind.label(), resource.name),
        }),
        None => Status::Ready(reference),
    }
}

fn reference_of(row: &JournalRow) -> Reference {
    Reference { arn: row.arn.clone(), identifiers: row.identifiers_json().as_object().cloned().unwrap_or_default() }
}

/// The plan of `clients` (all when empty) of a blueprint version's graph against the target.
pub async fn plan<P: TargetPort>(
    engagement: &Engagement,
    graph: &TargetGraph,
    version: u32,
    account_id: &str,
    clients: &[String],
    port: &P,
) -> Result<Plan> {
    let (resources, elsewhere) = in_account(scope(graph, clients)?, account_id);
    let history = engagement.last_outcomes()?;
    let tags = run_tags(engagement.id(), None);
    let mut statuses: BTreeMap<String, Status> = BTreeMap::new();
    // Resources outside the scope that the scope depends on (a shared instance): read like the others.
    let mut steps = Vec::new();
    for &resource in &resources {
        let (status, action, arn, waiting) =
            classify_for_plan(resource, graph, &statuses, &history, &tags, port).await?;
        statuses.insert(resource.id.clone(), status);
        steps.push(step_of(resource, action, arn, waiting));
    }
    let chosen: BTreeSet<String> = steps.iter().flat_map(|s| s.clients.iter().cloned()).collect();
    let readiness = read_readiness(port, &sending_places(resources.iter().copied())).await?;
    let chosen: Vec<String> = if clients.is_empty() { chosen.into_iter().collect() } else { clients.to_vec() };
    let audience = super::audience::estimates(engagement, version, &chosen)?;
    Ok(Plan { version, account_id: account_id.to_owned(), clients: chosen, steps, elsewhere, readiness, audience })
}

/// A step's plan: its status for dependents, its action, its ARN and what it waits for.
type Classified = (Status, Action, Option<String>, Option<Waiting>);

/// The step a resource that cannot be created yet (what the precondition read) stands at.
fn waiting_for(on: String) -> Classified {
    let action = Action::Waiting { on };
    (Status::NotReady(action.clone()), action, None, None)
}

async fn classify_for_plan<P: TargetPort>(
    resource: &TargetResource,
    graph: &TargetGraph,
    statuses: &BTreeMap<String, Status>,
    history: &BTreeMap<String, JournalRow>,
    tags: &BTreeMap<String, String>,
    port: &P,
) -> Result<Classified> {
    match blocker(resource, statuses) {
        Some(Action::Create) if resource.gate.is_none() && port.supports(resource.kind) => {
            if let Some(on) = port.precondition(resource).await? {
                return Ok(waiting_for(on));
            }
            return Ok((Status::Planned, Action::Create, None, None));
        }
        Some(Action::Blocked { on }) => {
            return Ok((Status::NotReady(Action::Blocked { on: on.clone() }), Action::Blocked { on }, None, None));
        }
        _ => {}
    }
    let confirmed = history.get(&resource.id).is_some_and(|r| r.outcome.as_deref() == Some("confirmed"));
    if let Some(instructions) = &resource.gate
        && !history.get(&resource.id).is_some_and(gate_passed)
    {
        let action = Action::Gate { instructions: instructions.clone() };
        return Ok((Status::NotReady(action.clone()), action, None, None));
    }
    if !port.supports(resource.kind) {
        return Ok((Status::NotReady(Action::NotAutomated), Action::NotAutomated, None, None));
    }
    if blocker(resource, statuses).is_some() {
        return Ok((Status::Planned, Action::Create, None, None));
    }
    let request = match resolve(&resource.request(tags), &references(graph, statuses)) {
        Ok(request) => request,
        Err(missing) => {
            let action = Action::Blocked { on: missing };
            return Ok((Status::NotReady(action.clone()), action, None, None));
        }
    };
    match port.observe(resource, &request).await? {
        Observed::Absent => match port.precondition(resource).await? {
            Some(on) => Ok(waiting_for(on)),
            None => Ok((Status::Planned, Action::Create, None, None)),
        },
        Observed::Present(found) => {
            let ours = history.get(&resource.id).is_some_and(|r| r.outcome.as_deref() == Some("created"));
            let differs = differing_members(&request, &found);
            let action = if ours || confirmed {
                Action::Done
            } else if differs.is_empty() {
                Action::Adopt
            } else {
                Action::Differs { members: differs }
            };
            let (status, waiting) = match &action {
                Action::Differs { .. } => (Status::NotReady(action.clone()), None),
                _ => (
                    ready(resource, Reference::of_found(&found), found.pending.as_ref()),
                    Waiting::of(found.pending.as_ref(), &found.records),
                ),
            };
            Ok((status, action, found.arn, waiting))
        }
    }
}

/// Applies (or resumes) `run`: every step in dependency order, journaled, then each client's audience
/// (when it has a source) once what it goes into is applied; stops cleanly between steps when `cancel`
/// is set.
pub async fn apply<P: TargetPort + AudiencePort>(
    engagement: &Engagement,
    graph: &TargetGraph,
    run: &RunRecord,
    port: &P,
    clock: &dyn Clock,
    cancel: &Arc<AtomicBool>,
    progress: &dyn RunProgress,
) -> Result<RunSummary> {
    let (resources, elsewhere) = in_account(scope(graph, &run.clients)?, &run.account_id);
    let history = engagement.last_outcomes()?;
    let dangling = engagement.dangling_intents(&run.id)?;
    let tags = run_tags(engagement.id(), Some(&run.id));
    let total = resources.len() as u32;
    progress.report(RunEvent::Started { run_id: run.id.clone(), steps: total });
    let mut statuses: BTreeMap<String, Status> = BTreeMap::new();
    let mut summary = RunSummary { run_id: run.id.clone(), elsewhere, ..RunSummary::default() };
    let mut stopped = false;
    for (i, resource) in resources.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            stopped = true;
            break;
        }
        let entry = |outcome: &str| Entry {
            client: Some(resource.clients.join(",")),
            step: Some(resource.id.clone()),
            kind: Some(resource.kind.slug().to_owned()),
            outcome: Some(outcome.to_owned()),
            ..Entry::default()
        };
        // What the step itself waits for once it exists (a domain's DNS verification).
        let mut waiting: Option<Waiting> = None;
        let (status, action, arn) = 'step: {
            if let Some(action @ Action::Blocked { .. }) = blocker(resource, &statuses) {
                break 'step (Status::NotReady(action.clone()), action, None);
            }
            let last = history.get(&resource.id);
            let confirmed = last.is_some_and(|r| r.outcome.as_deref() == Some("confirmed"));
            if let Some(instructions) = &resource.gate
                && !last.is_some_and(gate_passed)
            {
                if !engagement.gate_journaled(&run.id, &resource.id)? {
                    engagement.journal_append(
                        &run.id,
                        &now(clock),
                        Phase::Gate,
                        Entry { detail: Some(json!({ "instructions": instructions })), ..entry("waiting") },
                    )?;
                }
                let action = Action::Gate { instructions: instructions.clone() };
                break 'step (Status::NotReady(action.clone()), action, None);
            }
            if !port.supports(resource.kind) {
                break 'step (Status::NotReady(Action::NotAutomated), Action::NotAutomated, None);
            }
            let request = match resolve(&resource.request(&tags), &references(graph, &statuses)) {
                Ok(request) => request,
                Err(missing) => {
                    let action = Action::Blocked { on: missing };
                    break 'step (Status::NotReady(action.clone()), action, None);
                }
            };
            let observed = match port.observe(resource, &request).await {
                Ok(observed) => observed,
                Err(error) => {
                    summary.errors.push(format!("{}: {error}", resource.id));
                    engagement.journal_append(
                        &run.id,
                        &now(clock),
                        Phase::Outcome,
                        Entry { detail: Some(json!({ "read": error.to_string() })), ..entry("failed") },
                    )?;
                    break 'step (Status::NotReady(Action::Blocked { on: "a failed read".into() }), failed(), None);
                }
            };
            match observed {
                Observed::Present(found) => {
                    let ours = last.is_some_and(|r| r.outcome.as_deref() == Some("created"));
                    waiting = Waiting::of(found.pending.as_ref(), &found.records);
                    if ours || confirmed {
                        let status = ready(resource, Reference::of_found(&found), found.pending.as_ref());
                        break 'step (status, Action::Done, found.arn.clone());
                    }
                    if dangling.contains(&resource.id) {
                        // The create landed but its answer was lost (a crash or a dropped connection).
                        engagement.journal_append(
                            &run.id,
                            &now(clock),
                            Phase::Outcome,
                            Entry {
                                arn: found.arn.clone(),
                                identifiers: Some(Value::Object(found.identifiers.clone())),
                                detail: Some(pending_detail(
                                    json!({ "recovered": "found by reading the target after an interrupted create" }),
                                    waiting.as_ref(),
                                )),
                                ..entry("created")
                            },
                        )?;
                        summary.created += 1;
                        let status = ready(resource, Reference::of_found(&found), found.pending.as_ref());
                        break 'step (status, Action::Create, found.arn.clone());
                    }
                    let differs = differing_members(&request, &found);
                    let (outcome, action) = if differs.is_empty() {
                        ("adopted", Action::Adopt)
                    } else {
                        ("differs", Action::Differs { members: differs.clone() })
                    };
                    engagement.journal_append(
                        &run.id,
                        &now(clock),
                        Phase::Outcome,
                        Entry {
                            arn: found.arn.clone(),
                            identifiers: Some(Value::Object(found.identifiers.clone())),
                            detail: (!differs.is_empty()).then(|| json!({ "differs": differs })),
                            ..entry(outcome)
                        },
                    )?;
                    let status = if differs.is_empty() {
                        ready(resource, Reference::of_found(&found), found.pending.as_ref())
                    } else {
                        waiting = None;
                        Status::NotReady(action.clone())
                    };
                    break 'step (status, action, found.arn.clone());
                }
                Observed::Absent => {
                    // Not creatable yet (a number whose registration is in review): read again next pass.
                    if let Some(on) = port.precondition(resource).await? {
                        // Journaled once per run; never over a person's confirmation of the step's own gate
                        // (the last row says whether the gate is behind it).
                        if resource.gate.is_none() && !engagement.gate_journaled(&run.id, &resource.id)? {
                            engagement.journal_append(
                                &run.id,
                                &now(clock),
                                Phase::Gate,
                                Entry { detail: Some(json!({ "waits_for": on })), ..entry("waiting") },
                            )?;
                        }
                        let action = Action::Waiting { on };
                        break 'step (Status::NotReady(action.clone()), action, None);
                    }
                    engagement.journal_append(
                        &run.id,
                        &now(clock),
                        Phase::Intent,
                        Entry { detail: Some(redact(&request)), outcome: None, ..entry("") },
                    )?;
                    let token = client_token(engagement.id(), &run.id, &resource.id);
                    match port.create(resource, &request, &token).await {
                        Ok(created) => {
                            waiting = Waiting::of(created.pending.as_ref(), &created.records);
                            engagement.journal_append(
                                &run.id,
                                &now(clock),
                                Phase::Outcome,
                                Entry {
                                    arn: created.arn.clone(),
                                    identifiers: Some(Value::Object(created.identifiers.clone())),
                                    request_id: created.request_id.clone(),
                                    detail: waiting.as_ref().map(|w| pending_detail(json!({}), Some(w))),
                                    ..entry("created")
                                },
                            )?;
                            summary.created += 1;
                            let status = ready(resource, Reference::of_created(&created), created.pending.as_ref());
                            break 'step (status, Action::Create, created.arn);
                        }
                        Err(error) => {
                            // The create may have landed with its answer lost (a 5xx or a dropped connection
                            // after AWS wrote it, then a retry refused as a duplicate): read again first.
                            // Only as asked: what exists otherwise was made by someone else (a decision).
                            let landed = match port.observe(resource, &request).await {
                                Ok(Observed::Present(found)) if differing_members(&request, &found).is_empty() => {
                                    Some(found)
                                }
                                _ => None,
                            };
                            if let Some(found) = landed {
                                waiting = Waiting::of(found.pending.as_ref(), &found.records);
                                engagement.journal_append(
                                    &run.id,
                                    &now(clock),
                                    Phase::Outcome,
                                    Entry {
                                        arn: found.arn.clone(),
                                        identifiers: Some(Value::Object(found.identifiers.clone())),
                                        detail: Some(pending_detail(
                                            json!({
                                                "recovered": "the create answered an error, but the resource is there: its answer was lost",
                                                "error": error.to_string(),
                                            }),
                                            waiting.as_ref(),
                                        )),
                                        ..entry("created")
                                    },
                                )?;
                                summary.created += 1;
                                let status = ready(resource, Reference::of_found(&found), found.pending.as_ref());
                                break 'step (status, Action::Create, found.arn.clone());
                            }
                            let code = match &error {
                                Error::Aws { code, .. } => code.clone(),
                                other => format!("{:?}", other.code()),
                            };
                            engagement.journal_append(
                                &run.id,
                                &now(clock),
                                Phase::Outcome,
                                Entry {
                                    error_code: Some(code),
                                    detail: Some(json!({ "message": error.to_string() })),
                                    ..entry("failed")
                                },
                            )?;
                            summary.errors.push(format!("{}: {error}", resource.id));
                            break 'step (
                                Status::NotReady(Action::Blocked { on: "a failed create".into() }),
                                failed(),
                                None,
                            );
                        }
                    }
                }
            }
        };
        match &action {
            Action::Adopt => summary.adopted += 1,
            Action::Done => summary.done += 1,
            Action::Differs { .. } => summary.differs += 1,
            Action::Gate { .. } => summary.gates += 1,
            Action::Waiting { .. } => summary.waiting += 1,
            Action::Blocked { on } if on.starts_with("a failed") => summary.failed += 1,
            Action::Blocked { .. } => summary.blocked += 1,
            Action::NotAutomated => summary.not_automated += 1,
            Action::Create => {}
        }
        if waiting.is_some() {
            summary.waiting += 1;
        }
        for client in resource.clients.iter().filter(|c| run.clients.contains(c)) {
            let current = summary.clients.entry(client.clone()).or_insert(ClientStatus::Applied);
            let this = match &action {
                Action::Create | Action::Adopt | Action::Done if waiting.is_some() => ClientStatus::WaitingAtGate,
                Action::Create | Action::Adopt | Action::Done => ClientStatus::Applied,
                Action::Gate { .. } | Action::Waiting { .. } => ClientStatus::WaitingAtGate,
                Action::Differs { .. } => ClientStatus::NeedsDecision,
                Action::Blocked { on } if on.starts_with("a failed") => ClientStatus::Failed,
                Action::Blocked { .. } | Action::NotAutomated => ClientStatus::Partial,
            };
            *current = worse(*current, this);
        }
        progress.report(RunEvent::Step { done: i as u32 + 1, total, step: step_of(resource, action, arn, waiting) });
        statuses.insert(resource.id.clone(), status);
    }
    if !stopped {
        stopped =
            load_audiences(engagement, graph, run, &statuses, port, clock, cancel, progress, &mut summary).await?;
    }
    let state = if stopped {
        "stopped"
    } else if summary.failed > 0 {
        "failed"
    } else {
        "finished"
    };
    summary.state = state.to_owned();
    engagement.finish_run(&run.id, state, clock, &summary)?;
    progress.report(RunEvent::Finished { summary: summary.clone() });
    Ok(summary)
}

/// The run's audience steps: each client of `run` with an audience source whose domain is in the run's
/// account, loaded once the resources it goes into are ready in this pass (a repeat pass finds it loaded).
/// Whether the run was stopped.
#[allow(clippy::too_many_arguments)]
async fn load_audiences<P: AudiencePort>(
    engagement: &Engagement,
    graph: &TargetGraph,
    run: &RunRecord,
    statuses: &BTreeMap<String, Status>,
    port: &P,
    clock: &dyn Clock,
    cancel: &Arc<AtomicBool>,
    progress: &dyn RunProgress,
    summary: &mut RunSummary,
) -> Result<bool> {
    let sources = sources(engagement, run.version, &run.clients)?;
    for (client, source) in sources {
        let Ok(target) = audience_target(graph, &client) else { continue };
        if target.account_id != run.account_id {
            *summary.elsewhere.entry(target.account_id.clone()).or_default() += 1;
            continue;
        }
        if cancel.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let step = format!("audience/{client}");
        let entry = |outcome: Option<&str>, detail: Value| Entry {
            client: Some(client.clone()),
            step: Some(step.clone()),
            kind: Some("audience".into()),
            outcome: outcome.map(str::to_owned),
            detail: Some(detail),
            ..Entry::default()
        };
        let mut record = |outcome: &str, load_id: Option<String>, detail: String, status: ClientStatus| {
            let current = summary.clients.entry(client.clone()).or_insert(ClientStatus::Applied);
            *current = worse(*current, status);
            summary.audiences.push(AudienceStep { client: client.clone(), outcome: outcome.into(), load_id, detail });
        };
        let waits: Vec<String> = needed(graph, &client)
            .into_iter()
            .filter(|r| !matches!(statuses.get(&r.id), Some(Status::Ready(_))))
            .map(|r| format!("{} {}", r.kind.label(), r.name))
            .collect();
        if !waits.is_empty() {
            record("blocked", None, format!("waits for {} to be applied", waits.join(", ")), ClientStatus::Partial);
            summary.blocked += 1;
            continue;
        }
        let request = LoadRequest {
            client: client.clone(),
            from: source.from.iter().map(std::path::PathBuf::from).collect(),
            exclude_inactive: source.exclude_inactive,
            accept_problems: source.accept_problems.clone(),
            concurrency: 8,
            skip_loaded: true,
        };
        engagement.journal_append(
            &run.id,
            &now(clock),
            Phase::Intent,
            entry(
                None,
                json!({ "from": source.from, "origin": source.origin, "exclude_inactive": source.exclude_inactive }),
            ),
        )?;
        let report = |event: LoadEvent| {
            let (part, done, total) = match event {
                LoadEvent::Transform(crate::audience::transform::Progress::Read { bytes, total, .. }) => {
                    ("export read (bytes)".to_owned(), bytes, total)
                }
                LoadEvent::Transform(crate::audience::transform::Progress::Group { done, total, .. }) => {
                    ("grouped into profiles (partitions)".to_owned(), done, total)
                }
                LoadEvent::Part { part, done, total } => (part, done, total),
            };
            progress.report(RunEvent::Audience { client: client.clone(), part, done, total });
        };
        match super::audience::load(engagement, graph, &request, port, clock, &report, cancel).await {
            Ok(load) => {
                let written = format!(
                    "{} profiles, {} opted-out numbers, {} suppressed addresses",
                    load.profiles_written, load.opted_out_written, load.suppressed_written
                );
                let (outcome, detail, status) = match load.state.as_str() {
                    "stopped" => {
                        ("stopped", format!("{} stopped: resume the run to go on", load.id), ClientStatus::Partial)
                    }
                    _ if load.reused => {
                        ("already_loaded", format!("{} reconciled: {written}", load.id), ClientStatus::Applied)
                    }
                    _ if load.holds => ("loaded", format!("{} reconciled: {written}", load.id), ClientStatus::Applied),
                    _ => (
                        "does_not_reconcile",
                        format!(
                            "{} does not reconcile ({written}): `pinshift audience reconcile --client {client}`",
                            load.id
                        ),
                        ClientStatus::Partial,
                    ),
                };
                engagement.journal_append(
                    &run.id,
                    &now(clock),
                    Phase::Outcome,
                    entry(
                        Some(outcome),
                        json!({ "load": load.id, "holds": load.holds, "profiles_written": load.profiles_written,
                        "opted_out_written": load.opted_out_written, "suppressed_written": load.suppressed_written }),
                    ),
                )?;
                let stopped = outcome == "stopped";
                record(outcome, Some(load.id), detail, status);
                if stopped {
                    return Ok(true);
                }
            }
            // Input that cannot all be read waits for the user's say (fix it, or accept the loss).
            Err(Error::InvalidInput { field, reason }) if field == "--accept-problems" => {
                let detail = format!(
                    "{reason} (record the decision: `pinshift audience source --client {client} --from … \
                     --accept-problems REASON`)"
                );
                engagement.journal_append(
                    &run.id,
                    &now(clock),
                    Phase::Outcome,
                    entry(Some("needs_decision"), json!({ "message": detail })),
                )?;
                summary.differs += 1;
                record("needs_decision", None, detail, ClientStatus::NeedsDecision);
            }
            Err(error) => {
                engagement.journal_append(
                    &run.id,
                    &now(clock),
                    Phase::Outcome,
                    entry(Some("failed"), json!({ "message": error.to_string() })),
                )?;
                summary.errors.push(format!("{step}: {error}"));
                summary.failed += 1;
                record("failed", None, error.to_string(), ClientStatus::Failed);
            }
        }
    }
    Ok(false)
}

/// A created row's detail with what the resource still waits for (and the DNS records to publish).
fn pending_detail(mut detail: Value, waiting: Option<&Waiting>) -> Value {
    if let (Some(w), Value::Object(map)) = (waiting, &mut detail) {
        map.insert("pending".into(), json!(w.what));
        if !w.records.is_empty() {
            map.insert("records".into(), json!(w.records));
        }
    }
    detail
}

fn failed() -> Action {
    Action::Blocked { on: "a failed step".into() }
}

fn worse(a: ClientStatus, b: ClientStatus) -> ClientStatus {
    let rank = |s: ClientStatus| match s {
        ClientStatus::Applied => 0,
        ClientStatus::Partial => 1,
        ClientStatus::WaitingAtGate => 2,
        ClientStatus::NeedsDecision => 3,
        ClientStatus::Failed => 4,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// Kinds a rollback leaves in place even when Pinshift created them, and why.
fn kept_on_rollback(kind: TargetKind, include_connect_instances: bool) -> Option<&'static str> {
    match kind {
        TargetKind::ConnectInstance if !include_connect_instances => Some(
            "a Connect instance (AWS counts creations and deletions against a 30-day limit; \
             --include-connect-instances removes it)",
        ),
        TargetKind::ConnectPhoneNumber => Some("a phone number (a released number cools down for 180 days)"),
        TargetKind::SmsOptOutList => {
            Some("an opt-out list (it holds end users' opt-outs; numbers are deletable once per 30 days)")
        }
        _ => None,
    }
}

/// Undoes what runs of this engagement created for `clients` (all when empty), newest first: never what
/// was adopted, never a Pinpoint resource. Journaled as its own run; a second rollback finds nothing.
#[allow(clippy::too_many_arguments)]
pub async fn rollback<P: TargetPort>(
    engagement: &Engagement,
    graph: &TargetGraph,
    clients: &[String],
    only_step: Option<&str>,
    include_connect_instances: bool,
    port: &P,
    clock: &dyn Clock,
    cancel: &Arc<AtomicBool>,
) -> Result<RollbackSummary> {
    let last = engagement.last_outcomes()?;
    let by_id: BTreeMap<&str, &TargetResource> = graph.resources.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut created: Vec<&JournalRow> = last
        .values()
        .filter(|row| row.outcome.as_deref() == Some("created") && row.kind.as_deref() != Some("audience"))
        .filter(|row| only_step.is_none_or(|s| row.step.as_deref() == Some(s)))
        .filter(|row| {
            clients.is_empty()
                || row.client.as_deref().is_some_and(|c| c.split(',').any(|c| clients.iter().any(|x| x == c)))
        })
        .collect();
    created.sort_by_key(|row| std::cmp::Reverse(row.seq));
    let run_id = format!("rollback-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut summary = RollbackSummary { run_id: run_id.clone(), ..RollbackSummary::default() };
    engagement.journal_append(
        &run_id,
        &now(clock),
        Phase::RunStarted,
        Entry {
            detail: Some(json!({ "rollback": true, "clients": clients, "steps": created.len() })),
            ..Entry::default()
        },
    )?;
    // What created resources answer, for the delete requests of the ones that depend on them.
    let refs: BTreeMap<(TargetKind, String), Reference> = last
        .values()
        .filter(|row| matches!(row.outcome.as_deref(), Some("created" | "adopted")))
        .filter_map(|row| by_id.get(row.step.as_deref()?).map(|r| ((r.kind, r.name.clone()), reference_of(row))))
        .collect();
    for row in created {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let Some(step) = row.step.as_deref() else { continue };
        let Some(resource) = by_id.get(step) else {
            summary.kept.push(format!("{step}: not in this blueprint version's graph; remove it by hand if unwanted"));
            continue;
        };
        if let Some(why) = kept_on_rollback(resource.kind, include_connect_instances) {
            summary.kept.push(format!("{step}: {why}"));
            continue;
        }
        if !port.supports(resource.kind) {
            summary.kept.push(format!("{step}: this build cannot remove a {}", resource.kind.label()));
            continue;
        }
        let request = resolve(&resource.spec, &refs).unwrap_or_else(|_| resource.spec.clone());
        let entry = |outcome: Option<&str>| Entry {
            client: row.client.clone(),
            step: Some(step.to_owned()),
            kind: Some(resource.kind.slug().to_owned()),
            outcome: outcome.map(str::to_owned),
            arn: row.arn.clone(),
            ..Entry::default()
        };
        engagement.journal_append(
            &run_id,
            &now(clock),
            Phase::Intent,
            Entry { detail: Some(json!({ "delete": redact(&request) })), ..entry(None) },
        )?;
        let found = Found {
            arn: row.arn.clone(),
            identifiers: row.identifiers_json().as_object().cloned().unwrap_or_default(),
            ..Found::default()
        };
        let outcome = match port.observe(resource, &request).await {
            Ok(Observed::Absent) => Ok(Some("already gone")),
            Ok(Observed::Present(current)) => {
                let found = Found { tags: current.tags, settings: current.settings, ..found };
                port.delete(resource, &request, &found).await.map(|()| None)
            }
            Err(error) => Err(error),
        };
        match outcome {
            Ok(note) => {
                engagement.journal_append(
                    &run_id,
                    &now(clock),
                    Phase::Outcome,
                    Entry { detail: note.map(|n| json!({ "note": n })), ..entry(Some("deleted")) },
                )?;
                summary.deleted += 1;
            }
            Err(error) => {
                engagement.journal_append(
                    &run_id,
                    &now(clock),
                    Phase::Outcome,
                    Entry { detail: Some(json!({ "message": error.to_string() })), ..entry(Some("failed")) },
                )?;
                summary.failed.push(format!("{step}: {error}"));
            }
        }
    }
    // Loaded audiences are end users' data, not resources: nothing deletes them one by one.
    for row in last.values().filter(|r| r.kind.as_deref() == Some("audience") && r.phase() == Some(Phase::Outcome)) {
        let Some(client) = row.step.as_deref().and_then(|s| s.strip_prefix("audience/")).filter(|c| !c.contains('/'))
        else {
            continue;
        };
        if only_step.is_none()
            && (clients.is_empty() || clients.iter().any(|c| c == client))
            && matches!(row.outcome.as_deref(), Some("loaded" | "already_loaded" | "does_not_reconcile"))
        {
            summary.kept.push(format!(
                "audience/{client}: loaded profiles go only with the Customer Profiles domain, suppressed addresses \
                 with the SES tenant, and opted-out numbers stay in the opt-out list (they are end users' choices)"
            ));
        }
    }
    engagement.journal_append(
        &run_id,
        &now(clock),
        Phase::RunEnded,
        Entry {
            outcome: Some(if summary.failed.is_empty() { "finished" } else { "failed" }.into()),
            detail: Some(serde_json::to_value(&summary).unwrap_or(Value::Null)),
            ..Entry::default()
        },
    )?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stable_per_run_and_resource() {
        let a = client_token("e", "run-1", "1/us-east-1/ses-tenant/acme");
        assert_eq!(a, client_token("e", "run-1", "1/us-east-1/ses-tenant/acme"));
        assert_ne!(a, client_token("e", "run-2", "1/us-east-1/ses-tenant/acme"));
        assert_eq!(a.len(), 32);
    }
}
