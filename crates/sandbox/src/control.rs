//! The control API under `/_sandbox/` (loopback only, unsigned): health, the call log, reset, snapshots,
//! loading another estate, the fault profile and quotas. Tests and scripts drive the sandbox through it.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Value, json};

use crate::estate::Estate;
use crate::limits::FaultProfile;
use crate::state::State;

pub fn routes() -> axum::Router<Arc<State>> {
    axum::Router::new()
        .route("/_sandbox/health", get(|| async { "ok" }))
        .route("/_sandbox/calls", get(calls).delete(clear_calls))
        .route("/_sandbox/reset", post(reset))
        .route("/_sandbox/snapshots/{name}", post(snapshot))
        .route("/_sandbox/snapshots/{name}/restore", post(restore))
        .route("/_sandbox/estate", put(load_estate))
        .route("/_sandbox/faults", get(faults).put(set_faults))
        .route("/_sandbox/quotas", get(quotas).put(set_quotas))
        .route("/_sandbox/connect/{account}/{region}/instance-quota", put(grant_instance_quota))
        .route("/_sandbox/ses/{account}/{region}/identities/{identity}/verify", post(verify_identity))
        .route("/_sandbox/sms/{account}/{region}/phone-numbers/{id}/activate", post(activate_number))
        .route("/_sandbox/ses/{account}/{region}/events", get(ses_events))
        .route("/_sandbox/ses/{account}/{region}/account", put(set_ses_account))
        .route("/_sandbox/sms/{account}/{region}/account", put(set_sms_account))
        .route("/_sandbox/uploads/{token}", put(upload))
        .route("/_sandbox/clock", get(clock))
        .route("/_sandbox/clock/advance", post(advance_clock))
        .route("/_sandbox/pinpoint/retired", get(retired).put(set_retired))
        .route("/_sandbox/target", get(target_snapshot))
}

fn problem(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

async fn calls(AxumState(state): AxumState<Arc<State>>) -> Response {
    Json(state.calls()).into_response()
}

async fn clear_calls(AxumState(state): AxumState<Arc<State>>) -> StatusCode {
    state.clear_calls();
    StatusCode::NO_CONTENT
}

async fn reset(AxumState(state): AxumState<Arc<State>>) -> StatusCode {
    state.reset();
    StatusCode::NO_CONTENT
}

async fn snapshot(AxumState(state): AxumState<Arc<State>>, Path(name): Path<String>) -> StatusCode {
    state.snapshot(&name);
    StatusCode::NO_CONTENT
}

async fn restore(AxumState(state): AxumState<Arc<State>>, Path(name): Path<String>) -> Response {
    if state.restore(&name) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        problem(StatusCode::NOT_FOUND, format!("no snapshot named {name:?}"))
    }
}

/// Body: an estate file's JSON, or `{"name": "<built-in estate>"}`.
async fn load_estate(AxumState(state): AxumState<Arc<State>>, body: String) -> Response {
    let built_in = serde_json::from_str::<Value>(&body)
        .ok()
        .filter(|v| v.as_object().is_some_and(|o| o.len() == 1))
        .and_then(|v| v["name"].as_str().map(str::to_owned));
    let estate = match built_in {
        Some(name) => Estate::load(&name),
        None => Estate::parse("<request body>", &body),
    };
    match estate.and_then(|estate| state.load(estate)) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => problem(StatusCode::BAD_REQUEST, error.to_string()),
    }
}

async fn faults(AxumState(state): AxumState<Arc<State>>) -> Response {
    Json(state.faults.profile()).into_response()
}

/// Body: a profile name (`flaky`), `key=value` pairs, or the profile as JSON.
async fn set_faults(AxumState(state): AxumState<Arc<State>>, body: String) -> Response {
    match body.parse::<FaultProfile>() {
        Ok(profile) => {
            state.faults.set(profile);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(error) => problem(StatusCode::BAD_REQUEST, error),
    }
}

async fn quotas(AxumState(state): AxumState<Arc<State>>) -> Response {
    Json(json!({ "enabled": state.quotas.enabled() })).into_response()
}

/// Body: `{"enabled": true|false}`.
async fn set_quotas(AxumState(state): AxumState<Arc<State>>, Json(body): Json<Value>) -> Response {
    match body["enabled"].as_bool() {
        Some(enabled) => {
            state.quotas.set_enabled(enabled);
            StatusCode::NO_CONTENT.into_response()
        }
        None => problem(StatusCode::BAD_REQUEST, "expected {\"enabled\": true|false}"),
    }
}

/// Plays the part of AWS granting a Service Quotas increase: Amazon Connect instances per account and
/// Region (L-AA17A6B9). Body: `{"value": N}`.
async fn grant_instance_quota(
    AxumState(state): AxumState<Arc<State>>,
    Path((account, region)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    match body["value"].as_u64() {
        Some(value) if value > 0 => {
            state.world().connect.instance_quota.insert((account, region), value as usize);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => problem(StatusCode::BAD_REQUEST, "expected {\"value\": N} with N at least 1"),
    }
}

/// Plays the part of DNS: marks an SES identity verified.
async fn verify_identity(
    AxumState(state): AxumState<Arc<State>>,
    Path((account, region, identity)): Path<(String, String, String)>,
) -> Response {
    if state.world().ses.verify(&account, &region, &identity) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        problem(StatusCode::NOT_FOUND, format!("no identity {identity:?} in {account}/{region}"))
    }
}

/// Plays the part of AWS reviewing a production access request. Body: `{"production_access": true|false}`.
async fn set_ses_account(
    AxumState(state): AxumState<Arc<State>>,
    Path((account, region)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    match body["production_access"].as_bool() {
        Some(granted) => {
            state.world().ses.set_production_access(&account, &region, granted);
            StatusCode::NO_CONTENT.into_response()
        }
        None => problem(StatusCode::BAD_REQUEST, "expected {\"production_access\": true|false}"),
    }
}

/// Plays the part of AWS Support on SMS. Body: `{"tier": "SANDBOXED"|"BASIC", "text_spend_limit": N}` (the
/// limit in USD a month, optional).
async fn set_sms_account(
    AxumState(state): AxumState<Arc<State>>,
    Path((account, region)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let sandboxed = match body["tier"].as_str() {
        Some("SANDBOXED") => true,
        Some("BASIC") => false,
        _ => return problem(StatusCode::BAD_REQUEST, "expected {\"tier\": \"SANDBOXED\"|\"BASIC\"}"),
    };
    let limit = body["text_spend_limit"].as_u64();
    if body.get("text_spend_limit").is_some_and(|v| !v.is_null()) && limit.is_none() {
        return problem(StatusCode::BAD_REQUEST, "text_spend_limit must be a whole number of USD");
    }
    state.world().sms.set_account(&account, &region, sandboxed, limit);
    StatusCode::NO_CONTENT.into_response()
}

/// Plays the part of the carrier: activates a pending toll-free or 10DLC number (its id, ARN or number).
async fn activate_number(
    AxumState(state): AxumState<Arc<State>>,
    Path((account, region, id)): Path<(String, String, String)>,
) -> Response {
    if state.world().sms.activate(&account, &region, &id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        problem(StatusCode::NOT_FOUND, format!("no phone number {id:?} in {account}/{region}"))
    }
}

async fn clock(AxumState(state): AxumState<Arc<State>>) -> Response {
    let now = state.clock.now();
    Json(json!({ "now": now.to_string(), "offset_seconds": state.clock.offset_seconds() })).into_response()
}

/// Body: `{"seconds": N}` (or `{"days": N}`): moves the sandbox clock forward, so what AWS does over time
/// (instance creation, onboarding, expiry, the 30-day rules) completes.
async fn advance_clock(AxumState(state): AxumState<Arc<State>>, Json(body): Json<Value>) -> Response {
    let seconds = body["seconds"].as_f64().or_else(|| body["days"].as_f64().map(|d| d * 86_400.0));
    match seconds {
        Some(seconds) if seconds >= 0.0 => {
            state.clock.advance(seconds);
            clock(AxumState(state)).await
        }
        _ => problem(StatusCode::BAD_REQUEST, "expected {\"seconds\": N} or {\"days\": N} with N >= 0"),
    }
}

async fn retired(AxumState(state): AxumState<Arc<State>>) -> Response {
    Json(json!({ "retired": state.pinpoint_retired() })).into_response()
}

/// Body: `{"retired": true|false}`: Pinpoint answers as AWS does after 2026-10-30 (engagement operations
/// refused with 403 ForbiddenException; apps, push, SMS, voice, OTP and phone-number validation kept).
async fn set_retired(AxumState(state): AxumState<Arc<State>>, Json(body): Json<Value>) -> Response {
    match body["retired"].as_bool() {
        Some(retired) => {
            state.set_pinpoint_retired(retired);
            StatusCode::NO_CONTENT.into_response()
        }
        None => problem(StatusCode::BAD_REQUEST, "expected {\"retired\": true|false}"),
    }
}

/// Everything the target side holds, per account and Region, with tags: what tests and the desktop diff
/// before and after a migration.
async fn target_snapshot(AxumState(state): AxumState<Arc<State>>) -> Response {
    let now = state.clock.now();
    Json(crate::target::snapshot(&state.world(), now)).into_response()
}

/// The sending events of an account and Region (delivery, bounce, complaint, rendering failure), oldest
/// first: what SES would publish to the configuration set's event destinations.
async fn ses_events(
    AxumState(state): AxumState<Arc<State>>,
    Path((account, region)): Path<(String, String)>,
) -> Response {
    Json(state.world().ses.events(&account, &region)).into_response()
}

/// The presigned URL Customer Profiles' GetUploadJobPath hands out: takes the job's CSV file.
async fn upload(
    AxumState(state): AxumState<Arc<State>>,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let now = state.clock.now();
    let mut world = state.world();
    match crate::services::profiles::accept_upload(&mut world.profiles.domains, &token, body.to_vec(), now) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(message) => problem(StatusCode::FORBIDDEN, message),
    }
}
