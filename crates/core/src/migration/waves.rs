//! Waves: the order clients migrate in. Pinshift proposes a pilot of three to five clients — the least
//! effort that still covers the capabilities the other clients use — and one wave for the rest; people
//! save, reshape or rename them. Each client's status (planned, applying, waiting at a gate, needs a
//! decision, partly applied, applied, verified, rolled back, failed) is read from the runs, the journal and
//! the newest verification.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::journal::{JournalFilter, Phase};
use super::run::ClientStatus;
use super::verify::Verdict;
use crate::assess::{Assessment, Capability};
use crate::clock::Clock;
use crate::engagement::Engagement;
use crate::{Error, Result};

/// The pilot's name in a proposal.
pub const PILOT: &str = "pilot";
const PILOT_MIN: usize = 3;
const PILOT_MAX: usize = 5;

/// A group of clients migrated together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Wave {
    pub name: String,
    pub pilot: bool,
    pub clients: Vec<String>,
}

/// The waves people saved, or Pinshift's proposal when none are saved.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Waves {
    pub saved: bool,
    pub waves: Vec<Wave>,
    /// Why the pilot is what it is (proposals only).
    pub reasons: Vec<String>,
}

impl Waves {
    /// The clients of the wave `name`, or an error naming the waves there are.
    pub fn clients_of(&self, name: &str) -> Result<Vec<String>> {
        self.waves.iter().find(|w| w.name == name).map(|w| w.clients.clone()).ok_or_else(|| {
            let names: Vec<&str> = self.waves.iter().map(|w| w.name.as_str()).collect();
            Error::invalid("wave", format!("no wave {name:?}; the waves are {}", names.join(", ")))
        })
    }
}

/// A pilot of 3–5 clients (fewer when there are few: at least one client is left for a later wave) chosen
/// greedily — the capability coverage each client adds per unit of effort — then one wave for the rest.
pub fn propose(assessment: &Assessment) -> Waves {
    let mut clients: Vec<(&str, u32, BTreeSet<Capability>)> =
        assessment.clients.iter().map(|c| (c.client.id.as_str(), c.effort, c.fits.keys().copied().collect())).collect();
    clients.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
    let n = clients.len();
    let size_max = if n <= 1 { n } else { PILOT_MAX.min(n - 1) };
    let size_min = PILOT_MIN.min(size_max);
    let wanted: BTreeSet<Capability> = clients.iter().flat_map(|c| c.2.iter().copied()).collect();
    let mut covered = BTreeSet::new();
    let mut pilot: Vec<usize> = Vec::new();
    while pilot.len() < size_max {
        let best = (0..n)
            .filter(|i| !pilot.contains(i))
            .map(|i| (i, clients[i].2.difference(&covered).count()))
            .filter(|(_, new)| *new > 0)
            // the most new capabilities per unit of effort; ties to the smaller effort, then the id
            .max_by(|(a, na), (b, nb)| {
                let score = |i: usize, new: usize| new as f64 / f64::from(clients[i].1 + 1);
                score(*a, *na)
                    .total_cmp(&score(*b, *nb))
                    .then_with(|| (clients[*b].1, clients[*b].0).cmp(&(clients[*a].1, clients[*a].0)))
            });
        match best {
            Some((i, _)) => {
                covered.extend(clients[i].2.iter().copied());
                pilot.push(i);
            }
            None => break,
        }
    }
    // Top up with the least effort.
    for i in 0..n {
        if pilot.len() >= size_min {
            break;
        }
        if !pilot.contains(&i) {
            pilot.push(i);
        }
    }
    let missed: Vec<&str> = wanted.difference(&covered).map(|c| c.label()).collect();
    let mut reasons = vec![format!(
        "the pilot covers {} of the {} capabilities the clients use, for {} of {} effort points",
        covered.len(),
        wanted.len(),
        pilot.iter().map(|i| clients[*i].1).sum::<u32>(),
        clients.iter().map(|c| c.1).sum::<u32>()
    )];
    if !missed.is_empty() {
        reasons.push(format!("not covered by the pilot (a {PILOT_MAX}-client limit): {}", missed.join(", ")));
    }
    let name_of = |i: &usize| clients[*i].0.to_owned();
    let mut pilot_clients: Vec<String> = pilot.iter().map(name_of).collect();
    pilot_clients.sort();
    let rest: Vec<String> = (0..n).filter(|i| !pilot.contains(i)).map(|i| name_of(&i)).collect();
    let mut waves = vec![Wave { name: PILOT.into(), pilot: true, clients: pilot_clients }];
    if !rest.is_empty() {
        let mut rest = rest;
        rest.sort();
        waves.push(Wave { name: "wave-2".into(), pilot: false, clients: rest });
    }
    Waves { saved: false, waves, reasons }
}

/// Where a client stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Planned,
    Applying,
    WaitingAtGate,
    NeedsDecision,
    /// Applied in part: something waits for AWS or is not automated.
    Partial,
    Applied,
    Verified,
    RolledBack,
    Failed,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Planned => "planned",
            Stage::Applying => "applying",
            Stage::WaitingAtGate => "waiting at a gate",
            Stage::NeedsDecision => "needs a decision",
            Stage::Partial => "partly applied",
            Stage::Applied => "applied",
            Stage::Verified => "verified",
            Stage::RolledBack => "rolled back",
            Stage::Failed => "failed",
        }
    }
}

/// A client's status.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ClientState {
    pub client: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wave: Option<String>,
    pub stage: Stage,
    /// The newest run that included the client.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// The newest verification's verdict, when it is newer than the run.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// When the stage was reached.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

/// Whether the time `at` is not before `since` (no `since`: always).
fn not_before(at: &str, since: Option<&str>) -> bool {
    let parse = |t: &str| t.parse::<jiff::Timestamp>().ok();
    match (parse(at), since.and_then(parse)) {
        (Some(at), Some(since)) => at >= since,
        _ => true,
    }
}

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid("wave", format!("{name:?}: a wave name is 1–64 letters, digits, '-', '_' or '.'")))
    }
}

impl Engagement {
    /// The saved waves (in order), or `None` when people saved none.
    pub fn saved_waves(&self) -> Result<Option<Vec<Wave>>> {
        let mut stmt = self.conn().prepare("SELECT name, pilot, clients FROM wave ORDER BY position, name")?;
        let rows = stmt.query_map([], |r| {
            let clients: String = r.get(2)?;
            Ok(Wave {
                name: r.get(0)?,
                pilot: r.get::<_, i64>(1)? != 0,
                clients: serde_json::from_str(&clients).unwrap_or_default(),
            })
        })?;
        let waves: Vec<Wave> = rows.collect::<rusqlite::Result<_>>()?;
        Ok((!waves.is_empty()).then_some(waves))
    }

    /// The saved waves, or the proposal for `assessment`.
    pub fn waves(&self, assessment: &Assessment) -> Result<Waves> {
        Ok(match self.saved_waves()? {
            Some(waves) => Waves { saved: true, waves, reasons: Vec::new() },
            None => propose(assessment),
        })
    }

    /// Replaces the saved waves with `waves` (in order; at most one pilot, and first). Every client must be
    /// one of `assessment`'s and in at most one wave.
    pub fn save_waves(&self, waves: &[Wave], assessment: &Assessment, clock: &dyn Clock) -> Result<()> {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        let mut names = BTreeSet::new();
        for (i, wave) in waves.iter().enumerate() {
            check_name(&wave.name)?;
            if !names.insert(wave.name.as_str()) {
                return Err(Error::invalid("wave", format!("two waves are called {:?}", wave.name)));
            }
            if wave.pilot && i != 0 {
                return Err(Error::invalid("wave", format!("the pilot wave {:?} must come first", wave.name)));
            }
            if wave.clients.is_empty() {
                return Err(Error::invalid("wave", format!("wave {:?} has no clients", wave.name)));
            }
            for client in &wave.clients {
                assessment.require_client("client", client)?;
                if let Some(other) = seen.insert(client, &wave.name) {
                    return Err(Error::invalid(
                        "wave",
                        format!("client {client:?} is in both {other:?} and {:?}", wave.name),
                    ));
                }
            }
        }
        let at = clock.now().to_string();
        let tx = self.write_transaction()?;
        tx.execute("DELETE FROM wave", [])?;
        for (i, wave) in waves.iter().enumerate() {
            tx.execute(
                "INSERT INTO wave (name, position, pilot, clients, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    wave.name,
                    i as i64,
                    i64::from(wave.pilot),
                    serde_json::to_string(&wave.clients).unwrap_or_default(),
                    at
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every client's status, in the waves' order (clients in no wave last).
    pub fn client_states(&self, assessment: &Assessment) -> Result<Vec<ClientState>> {
        let waves = self.waves(assessment)?;
        let runs = self.runs()?;
        let verifications = self.latest_verifications()?;
        // Per client: the newest rollback deletion and the newest run end with the client's status.
        let mut ended: BTreeMap<String, (String, ClientStatus)> = BTreeMap::new();
        let mut rolled_back: BTreeMap<String, String> = BTreeMap::new();
        for row in self.journal_rows(&JournalFilter::default())? {
            match row.phase() {
                Some(Phase::RunEnded) if !row.run_id.starts_with("rollback-") => {
                    let detail: serde_json::Value =
                        row.detail.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
                    for (client, status) in detail["clients"].as_object().into_iter().flatten() {
                        if let Ok(status) = serde_json::from_value::<ClientStatus>(status.clone()) {
                            ended.insert(client.clone(), (row.at.clone(), status));
                        }
                    }
                }
                Some(Phase::Outcome)
                    if row.run_id.starts_with("rollback-") && row.outcome.as_deref() == Some("deleted") =>
                {
                    for client in row.client.as_deref().unwrap_or_default().split(',').filter(|c| !c.is_empty()) {
                        rolled_back.insert(client.to_owned(), row.at.clone());
                    }
                }
                _ => {}
            }
        }
        let mut order: Vec<(Option<String>, String)> = Vec::new();
        for wave in &waves.waves {
            order.extend(wave.clients.iter().map(|c| (Some(wave.name.clone()), c.clone())));
        }
        for c in &assessment.clients {
            if !order.iter().any(|(_, id)| *id == c.client.id) {
                order.push((None, c.client.id.clone()));
            }
        }
        let mut out = Vec::new();
        for (wave, client) in order {
            let run = runs.iter().rev().find(|r| r.clients.contains(&client));
            let mut state = ClientState {
                client: client.clone(),
                wave,
                stage: Stage::Planned,
                run: None,
                verdict: None,
                since: None,
            };
            if let Some(run) = run {
                state.run = Some(run.id.clone());
                if matches!(run.state.as_str(), "running" | "stopped") {
                    state.stage = Stage::Applying;
                    state.since = Some(run.started_at.clone());
                } else if let Some((at, status)) = ended.get(&client) {
                    state.since = Some(at.clone());
                    state.stage = match status {
                        ClientStatus::Applied => Stage::Applied,
                        ClientStatus::WaitingAtGate => Stage::WaitingAtGate,
                        ClientStatus::NeedsDecision => Stage::NeedsDecision,
                        ClientStatus::Partial => Stage::Partial,
                        ClientStatus::Failed => Stage::Failed,
                    };
                }
            }
            if let Some(at) = rolled_back.get(&client)
                && not_before(at, state.since.as_deref())
            {
                state.stage = Stage::RolledBack;
                state.since = Some(at.clone());
            }
            if let Some((at, verification)) = verifications.get(&client)
                && state.run.is_some()
                && state.stage != Stage::RolledBack
                && not_before(at, state.since.as_deref())
            {
                state.verdict = Some(verification.verdict);
                if verification.verdict == Verdict::Verified && state.stage == Stage::Applied {
                    state.stage = Stage::Verified;
                    state.since = Some(at.clone());
                }
            }
            out.push(state);
        }
        Ok(out)
    }
}
