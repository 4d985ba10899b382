//! Everything the sandbox holds: the world it simulates (estate, service state, issued sessions), the
//! snapshots of that world, the call log, and the quota and fault settings.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;

use crate::estate::{Estate, EstateError};
use crate::limits::{FaultProfile, Faults, Quotas};
use crate::services::campaigns::CampaignsState;
use crate::services::connect::ConnectState;
use crate::services::pinpoint::PinpointState;
use crate::services::profiles::ProfilesState;
use crate::services::qconnect::QConnectState;
use crate::services::rest::{Idempotency, Tags};
use crate::services::s3::S3State;
use crate::services::sesv2::SesState;
use crate::services::smsv2::SmsState;

/// Who signed a request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub account_id: String,
    pub arn: String,
    pub user_id: String,
    /// IAM action patterns this principal is denied.
    pub deny: Vec<String>,
}

impl Principal {
    /// Whether `action` (`service:Operation`) is denied.
    pub fn denies(&self, action: &str) -> bool {
        self.deny.iter().any(|pattern| glob(pattern, action))
    }
}

/// `*` matches any run of characters; matching is case-insensitive, like IAM's.
fn glob(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.to_ascii_lowercase(), text.to_ascii_lowercase());
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = text.as_str();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    rest.is_empty()
}

/// Temporary credentials issued by AssumeRole.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// When the credentials stop working (AWS answers ExpiredToken after).
    pub expires: jiff::Timestamp,
}

impl Session {
    pub fn issue(principal: Principal, duration_seconds: u64) -> Session {
        let token = |n: usize| -> String {
            let mut s = String::new();
            while s.len() < n {
                s.push_str(&uuid::Uuid::new_v4().simple().to_string());
            }
            s.truncate(n);
            s
        };
        let now = jiff::Timestamp::now();
        let expires =
            now.checked_add(jiff::SignedDuration::from_secs(duration_seconds.clamp(900, 43_200) as i64)).unwrap_or(now);
        Session {
            principal,
            access_key_id: format!("ASIA{}", token(16).to_uppercase()),
            secret_access_key: token(40),
            session_token: token(96),
            expires,
        }
    }

    pub fn expiration(&self) -> String {
        self.expires.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// One served call, as the control API reports it.
#[derive(Debug, Clone, Serialize)]
pub struct CallRecord {
    pub service: String,
    pub operation: String,
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub status: u16,
    pub error_code: Option<String>,
    pub latency_ms: f64,
}

/// The simulated world: what reset, snapshot and restore act on.
#[derive(Debug, Clone)]
pub struct World {
    pub estate: Estate,
    pub pinpoint: PinpointState,
    pub ses: SesState,
    pub sms: SmsState,
    /// SNS topics (the SMS event destinations a migration creates).
    pub sns: crate::services::sns::SnsState,
    pub s3: S3State,
    pub connect: ConnectState,
    pub profiles: ProfilesState,
    pub campaigns: CampaignsState,
    pub qconnect: QConnectState,
    /// Tags of the restJson1 target services' resources, by ARN.
    pub tags: Tags,
    /// First answers per idempotency token, for the restJson1 target services.
    pub idempotency: Idempotency,
    pub sessions: HashMap<String, Session>,
}

impl World {
    /// The world `estate` declares, with its resources created.
    pub fn from_estate(estate: Estate) -> Result<World, EstateError> {
        let mut world = World {
            estate,
            pinpoint: PinpointState::default(),
            ses: SesState::default(),
            sms: SmsState::default(),
            sns: Default::default(),
            s3: S3State::default(),
            connect: ConnectState::default(),
            profiles: ProfilesState::default(),
            campaigns: CampaignsState::default(),
            qconnect: QConnectState::default(),
            tags: Tags::default(),
            idempotency: Idempotency::default(),
            sessions: HashMap::new(),
        };
        crate::seed::seed(&mut world, &now_iso8601())?;
        Ok(world)
    }

    /// The secret, session token and principal for an access key id; `Err(true)` when the key is a
    /// session that has expired.
    pub fn credentials_for(&self, access_key_id: &str) -> Result<(String, Option<String>, Principal), bool> {
        if let Some(account) = self.estate.account_by_key(access_key_id) {
            let principal = Principal {
                account_id: account.account_id.clone(),
                arn: format!("arn:aws:iam::{}:user/{}", account.account_id, account.user),
                user_id: format!("AIDA{}", &access_key_id[access_key_id.len().saturating_sub(16)..]),
                deny: Vec::new(),
            };
            return Ok((account.secret_access_key.clone(), None, principal));
        }
        let session = self.sessions.get(access_key_id).ok_or(false)?;
        if session.expires <= jiff::Timestamp::now() {
            return Err(true);
        }
        Ok((session.secret_access_key.clone(), Some(session.session_token.clone()), session.principal.clone()))
    }
}

/// Everything behind the server.
#[derive(Debug)]
pub struct State {
    world: Mutex<World>,
    /// What `reset` restores: the estate, seeded afresh (cheaper in memory than keeping a second world).
    initial: Mutex<Estate>,
    snapshots: Mutex<HashMap<String, World>>,
    calls: Mutex<Vec<CallRecord>>,
    pub faults: Faults,
    pub quotas: Quotas,
    /// The sandbox clock (wall time plus what the control API advanced).
    pub clock: crate::clock::Clock,
    /// Pinpoint answers as after its end of support (2026-10-30).
    retired: std::sync::atomic::AtomicBool,
}

pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Handlers never leave these half-updated on panic (they build results before writing); keep serving.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl State {
    pub fn new(estate: Estate, faults: FaultProfile) -> Result<State, EstateError> {
        let world = World::from_estate(estate.clone())?;
        let retired = estate.pinpoint_retired;
        Ok(State {
            initial: Mutex::new(estate),
            world: Mutex::new(world),
            snapshots: Mutex::new(HashMap::new()),
            calls: Mutex::new(Vec::new()),
            faults: Faults::new(faults),
            quotas: Quotas::default(),
            clock: crate::clock::Clock::default(),
            retired: std::sync::atomic::AtomicBool::new(retired),
        })
    }

    /// The world, locked for one step of one request.
    pub fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }

    /// Whether Pinpoint's engagement operations answer as after 2026-10-30.
    pub fn pinpoint_retired(&self) -> bool {
        self.retired.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn set_pinpoint_retired(&self, retired: bool) {
        self.retired.store(retired, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn record(&self, call: CallRecord) {
        lock(&self.calls).push(call);
    }

    pub fn calls(&self) -> Vec<CallRecord> {
        lock(&self.calls).clone()
    }

    pub fn clear_calls(&self) {
        lock(&self.calls).clear();
    }

    /// Back to the world the estate declared; snapshots are kept.
    pub fn reset(&self) {
        let estate = lock(&self.initial).clone();
        match World::from_estate(estate) {
            Ok(world) => *self.world() = world,
            // It seeded once already, so this cannot fail short of a bug; keep serving what is there.
            Err(error) => tracing::error!(%error, "reset could not re-seed the estate"),
        }
        self.quotas.clear();
    }

    pub fn snapshot(&self, name: &str) {
        let world = self.world().clone();
        lock(&self.snapshots).insert(name.to_owned(), world);
    }

    /// Restores a snapshot; `false` when there is none of that name.
    pub fn restore(&self, name: &str) -> bool {
        let Some(world) = lock(&self.snapshots).get(name).cloned() else { return false };
        *self.world() = world;
        true
    }

    /// Replaces the world (and what `reset` restores) with a new estate's.
    pub fn load(&self, estate: Estate) -> Result<(), EstateError> {
        let world = World::from_estate(estate.clone())?;
        self.set_pinpoint_retired(estate.pinpoint_retired);
        *lock(&self.initial) = estate;
        *self.world() = world;
        self.quotas.clear();
        Ok(())
    }
}

/// Now as AWS writes dates in JSON: ISO 8601, UTC, milliseconds.
pub fn now_iso8601() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn iam_patterns_match_like_iam() {
        assert!(glob("mobiletargeting:*Journey*", "mobiletargeting:ListJourneys"));
        assert!(glob("mobiletargeting:*", "mobiletargeting:GetApps"));
        assert!(glob("sms-voice:Describe*", "sms-voice:DescribePools"));
        assert!(!glob("sms-voice:Describe*", "sms-voice:CreatePool"));
        assert!(glob("MOBILETARGETING:getapps", "mobiletargeting:GetApps"));
        assert!(!glob("mobiletargeting:GetApp", "mobiletargeting:GetApps"));
    }
}
