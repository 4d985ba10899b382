//! Quotas (token buckets at AWS's published rates) and injected faults (throttles, server errors,
//! latency, dropped connections) from a seeded, reproducible profile.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::state::lock;
use crate::wire::{Protocol, ServiceError};

/// The token bucket a call draws from: (bucket name, rate per second, burst). Buckets are per account and
/// Region. `None`: no published rate, not throttled.
fn rate(service: &str, operation: &str) -> Option<(String, f64, f64)> {
    let own = |rate: f64| Some((operation.to_owned(), rate, rate));
    match service {
        // Amazon Pinpoint quotas (reference §1.2); "all other operations" run at 300/s.
        crate::services::pinpoint::SIGNING_NAME => own(match operation {
            "CreateCampaign" | "UpdateCampaign" | "DeleteCampaign" | "CreateSegment" | "UpdateSegment"
            | "DeleteSegment" => 25.0,
            op if (op.starts_with("Create") || op.starts_with("Update")) && op.ends_with("Template") => 10.0,
            "GetEndpoint" | "UpdateEndpoint" => 10.0,
            "DeleteEndpoint" => 5.0,
            "UpdateEndpointsBatch" => 2.0,
            "PutEvents" => 15.0,
            "PhoneNumberValidate" => 20.0,
            "SendMessages" => 4_000.0,
            "SendUsersMessages" => 6_000.0,
            _ => 300.0,
        }),
        // SES v2: the template operations' documented "no more than once per second" (50/s for Get).
        crate::services::sesv2::SIGNING_NAME => match operation {
            "CreateEmailTemplate"
            | "UpdateEmailTemplate"
            | "DeleteEmailTemplate"
            | "TestRenderEmailTemplate"
            | "ListEmailTemplates" => own(1.0),
            "GetEmailTemplate" => own(50.0),
            _ => None,
        },
        // End User Messaging SMS v2: 1 request per second for Create*, Associate* and Set*, 10 for
        // DeleteOptedOutNumber (reference §3; the other writes' rates are not published). Describe* is
        // published at 1/s too but not throttled here: it would make every scan crawl, and no scan has met
        // it on AWS.
        crate::services::smsv2::SIGNING_NAME => match operation {
            "DeleteOptedOutNumber" => own(10.0),
            op if ["Create", "Associate", "Set"].iter().any(|p| op.starts_with(p)) => own(1.0),
            _ => None,
        },
        // Amazon Connect: one bucket per account and Region shared by every operation, 2/s with a burst of 5.
        crate::services::connect::SIGNING_NAME => Some(("*".to_owned(), 2.0, 5.0)),
        // Customer Profiles: ~100/s for profile and object reads and writes. Second-hand and unverified
        // (reference §3): what a migration should plan for until a customer's own quota says otherwise.
        crate::services::profiles::SIGNING_NAME => match operation {
            "PutProfileObject"
            | "BatchPutProfileObject"
            | "CreateProfile"
            | "UpdateProfile"
            | "SearchProfiles"
            | "DeleteProfile" => own(100.0),
            _ => None,
        },
        _ => None,
    }
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Token buckets per (service, bucket, account, Region). On by default, as on AWS.
#[derive(Debug)]
pub struct Quotas {
    enabled: AtomicBool,
    buckets: Mutex<HashMap<(String, String, String, String), Bucket>>,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas { enabled: AtomicBool::new(true), buckets: Mutex::new(HashMap::new()) }
    }
}

impl Quotas {
    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    pub fn clear(&self) {
        lock(&self.buckets).clear();
    }

    /// Takes a token for one call; `false` means the call is over quota.
    pub fn admit(&self, service: &str, operation: &str, account: &str, region: &str) -> bool {
        if !self.enabled() {
            return true;
        }
        let Some((name, rate, burst)) = rate(service, operation) else { return true };
        let now = Instant::now();
        let mut buckets = lock(&self.buckets);
        let bucket = buckets
            .entry((service.to_owned(), name, account.to_owned(), region.to_owned()))
            .or_insert(Bucket { tokens: burst, last: now });
        bucket.tokens = (bucket.tokens + now.duration_since(bucket.last).as_secs_f64() * rate).min(burst);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// What AWS answers when a caller is over its rate, per protocol (no Retry-After header, like AWS).
pub fn throttled(protocol: Protocol) -> ServiceError {
    match protocol {
        Protocol::RestJson(style) => ServiceError::new(
            StatusCode::from_u16(style.throttled.1).unwrap_or(StatusCode::TOO_MANY_REQUESTS),
            style.throttled.0,
            "Rate exceeded",
        ),
        Protocol::Json10 => ServiceError::new(StatusCode::BAD_REQUEST, "ThrottlingException", "Rate exceeded"),
        Protocol::Query { .. } => ServiceError::new(StatusCode::BAD_REQUEST, "Throttling", "Rate exceeded"),
        Protocol::RestXml => {
            ServiceError::new(StatusCode::SERVICE_UNAVAILABLE, "SlowDown", "Please reduce your request rate.")
        }
    }
}

/// A server-side failure, per protocol.
pub fn server_error(protocol: Protocol) -> ServiceError {
    let code = match protocol {
        Protocol::RestJson(style) => style.server_error,
        Protocol::Json10 => "InternalServerException",
        Protocol::Query { .. } => "InternalFailure",
        Protocol::RestXml => "InternalError",
    };
    ServiceError::new(StatusCode::INTERNAL_SERVER_ERROR, code, "Internal server error (injected by the sandbox)")
}

/// Which faults to inject, as shares of requests, and the latency range added to each.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FaultProfile {
    /// Seed of the decision sequence: the same seed and request order give the same faults.
    pub seed: u64,
    /// Share of requests answered as throttled (0.0–1.0).
    pub throttle: f64,
    /// Share answered with a 5xx.
    pub server_error: f64,
    /// Share whose connection is dropped mid-response.
    pub drop: f64,
    /// Share of writes that are applied and then answered with a 5xx: the caller sees a failure though
    /// the resource exists (what makes a migration's idempotency matter). Reads are not affected.
    pub applied_error: f64,
    /// Share of writes that are applied and then have their connection dropped before the answer.
    pub applied_drop: f64,
    /// Extra latency, uniformly between the two values, in milliseconds.
    pub latency_ms: [u64; 2],
    /// When not 0, every list answers at most this many items per page, whatever page size was asked
    /// for (AWS may return fewer items than asked): exercises a client's paging on small estates.
    pub short_pages: usize,
}

impl FaultProfile {
    pub fn is_off(&self) -> bool {
        self.throttle == 0.0
            && self.server_error == 0.0
            && self.drop == 0.0
            && self.applied_error == 0.0
            && self.applied_drop == 0.0
            && self.latency_ms == [0, 0]
            && self.short_pages == 0
    }

    fn validate(self) -> Result<Self, String> {
        let shares = [
            ("throttle", self.throttle),
            ("server_error", self.server_error),
            ("drop", self.drop),
            ("applied_error", self.applied_error),
            ("applied_drop", self.applied_drop),
        ];
        for (name, share) in shares {
            if !(0.0..=1.0).contains(&share) {
                return Err(format!("{name} must be a share from 0 to 1, not {share}"));
            }
        }
        if shares.iter().map(|(_, s)| s).sum::<f64>() > 1.0 {
            return Err("throttle + server_error + drop + applied_error + applied_drop must not exceed 1".into());
        }
        if self.latency_ms[0] > self.latency_ms[1] {
            return Err("latency_ms must be [min, max] with min <= max".into());
        }
        Ok(self)
    }
}

/// `none`, `flaky`, `slow`, `throttled`, `lossy`, a JSON object, or `key=value,…` (keys: seed, throttle,
/// server_error, drop, applied_error, applied_drop, latency_ms=MIN..MAX, short_pages).
impl FromStr for FaultProfile {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let named = |throttle, server_error, drop, latency_ms| FaultProfile {
            seed: 1,
            throttle,
            server_error,
            drop,
            latency_ms,
            ..FaultProfile::default()
        };
        let profile = match text.trim() {
            "" | "none" | "off" => FaultProfile::default(),
            "flaky" => named(0.05, 0.01, 0.002, [2, 30]),
            "slow" => named(0.0, 0.0, 0.0, [100, 400]),
            "throttled" => named(0.3, 0.0, 0.0, [0, 0]),
            // Writes that land but whose answer is lost: retries must not duplicate.
            "lossy" => FaultProfile { seed: 1, applied_error: 0.1, applied_drop: 0.05, ..FaultProfile::default() },
            json if json.starts_with('{') => serde_json::from_str(json).map_err(|e| format!("fault profile: {e}"))?,
            pairs => {
                let mut profile = FaultProfile::default();
                for pair in pairs.split(',') {
                    let (key, value) = pair
                        .split_once('=')
                        .ok_or_else(|| format!("fault profile: expected key=value, got {pair:?}"))?;
                    let number = |v: &str| {
                        v.trim().parse::<f64>().map_err(|_| format!("fault profile: {key}: {v:?} is not a number"))
                    };
                    match key.trim() {
                        "seed" => profile.seed = number(value)? as u64,
                        "throttle" => profile.throttle = number(value)?,
                        "server_error" | "error" => profile.server_error = number(value)?,
                        "drop" => profile.drop = number(value)?,
                        "applied_error" => profile.applied_error = number(value)?,
                        "applied_drop" => profile.applied_drop = number(value)?,
                        "short_pages" | "page" => profile.short_pages = number(value)? as usize,
                        "latency_ms" | "latency" => {
                            let (min, max) = value.split_once("..").unwrap_or((value, value));
                            profile.latency_ms = [number(min)? as u64, number(max)? as u64];
                        }
                        other => {
                            return Err(format!(
                                "fault profile: unknown key {other:?} (seed, throttle, server_error, drop, applied_error, applied_drop, latency_ms, short_pages)"
                            ));
                        }
                    }
                }
                profile
            }
        };
        profile.validate()
    }
}

/// The decision for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Throttle,
    ServerError,
    Drop,
    /// Apply the write, then answer a 5xx.
    ErrorAfterWrite,
    /// Apply the write, then drop the connection.
    DropAfterWrite,
}

/// The active profile and its random sequence.
#[derive(Debug)]
pub struct Faults {
    inner: Mutex<(FaultProfile, u64)>,
}

impl Faults {
    pub fn new(profile: FaultProfile) -> Faults {
        let seed = profile.seed;
        Faults { inner: Mutex::new((profile, seed)) }
    }

    pub fn profile(&self) -> FaultProfile {
        lock(&self.inner).0.clone()
    }

    /// Sets a profile and restarts its sequence from the seed.
    pub fn set(&self, profile: FaultProfile) {
        let seed = profile.seed;
        *lock(&self.inner) = (profile, seed);
    }

    /// The fault (if any) and added latency for the next request.
    pub fn decide(&self) -> (Option<Fault>, Duration) {
        let mut inner = lock(&self.inner);
        let (profile, state) = &mut *inner;
        if profile.is_off() {
            return (None, Duration::ZERO);
        }
        let roll = unit(state);
        let fault = if roll < profile.throttle {
            Some(Fault::Throttle)
        } else if roll < profile.throttle + profile.server_error {
            Some(Fault::ServerError)
        } else if roll < profile.throttle + profile.server_error + profile.drop {
            Some(Fault::Drop)
        } else if roll < profile.throttle + profile.server_error + profile.drop + profile.applied_error {
            Some(Fault::ErrorAfterWrite)
        } else if roll
            < profile.throttle + profile.server_error + profile.drop + profile.applied_error + profile.applied_drop
        {
            Some(Fault::DropAfterWrite)
        } else {
            None
        };
        let [min, max] = profile.latency_ms;
        let latency = min + ((max - min) as f64 * unit(state)).round() as u64;
        (fault, Duration::from_millis(latency))
    }
}

/// splitmix64: a small, good, seedable generator; returns a value in [0, 1).
fn unit(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_parse_from_names_pairs_and_json() {
        assert!("none".parse::<FaultProfile>().expect("none").is_off());
        let flaky: FaultProfile = "flaky".parse().expect("flaky");
        assert!(flaky.throttle > 0.0);
        let pairs: FaultProfile = "seed=7,throttle=0.1,error=0.05,latency=10..20".parse().expect("pairs");
        assert_eq!(
            pairs,
            FaultProfile {
                seed: 7,
                throttle: 0.1,
                server_error: 0.05,
                latency_ms: [10, 20],
                ..FaultProfile::default()
            }
        );
        let json: FaultProfile =
            r#"{"seed": 7, "throttle": 0.1, "server_error": 0.05, "latency_ms": [10, 20]}"#.parse().expect("json");
        assert_eq!(json, pairs);
        assert!("throttle=2".parse::<FaultProfile>().is_err());
        assert!("bogus=1".parse::<FaultProfile>().expect_err("unknown").contains("bogus"));
    }

    #[test]
    fn the_same_seed_gives_the_same_faults_at_the_configured_share() {
        let profile: FaultProfile = "seed=42,throttle=0.2,error=0.1".parse().expect("profile");
        let run = || {
            let faults = Faults::new(profile.clone());
            (0..10_000).map(|_| faults.decide().0).collect::<Vec<_>>()
        };
        let (a, b) = (run(), run());
        assert_eq!(a, b, "reproducible");
        let throttles = a.iter().filter(|f| **f == Some(Fault::Throttle)).count() as f64 / 10_000.0;
        let errors = a.iter().filter(|f| **f == Some(Fault::ServerError)).count() as f64 / 10_000.0;
        assert!((throttles - 0.2).abs() < 0.02, "{throttles}");
        assert!((errors - 0.1).abs() < 0.02, "{errors}");
    }

    #[test]
    fn buckets_refuse_past_the_burst_and_are_per_account() {
        let quotas = Quotas::default();
        let admitted = (0..400).filter(|_| quotas.admit("mobiletargeting", "GetSegments", "1", "us-east-1")).count();
        assert!((300..=305).contains(&admitted), "{admitted}");
        assert!(quotas.admit("mobiletargeting", "GetSegments", "2", "us-east-1"), "another account has its own bucket");
        let templates =
            (0..50).filter(|_| quotas.admit("mobiletargeting", "CreateEmailTemplate", "1", "us-east-1")).count();
        assert!((10..=11).contains(&templates), "{templates}");
        quotas.set_enabled(false);
        assert!(quotas.admit("mobiletargeting", "GetSegments", "1", "us-east-1"));
    }
}
