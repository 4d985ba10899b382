//! The HTTP server: authenticates every request (SigV4), routes it by the credential scope's service,
//! records it in the call log, and serves the control API under `/_sandbox/`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State as AxumState};
use axum::http::{HeaderValue, Response, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::auth;
use crate::estate::Estate;
use crate::services::pinpoint::{self, PinpointState};
use crate::services::sts;
use crate::wire::{Protocol, ServiceError};

/// Largest request body accepted (AWS's own limits are lower for every API served).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Who signed a request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub account_id: String,
    pub arn: String,
    pub user_id: String,
}

/// Temporary credentials issued by AssumeRole.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    pub expiration: String,
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
        let expiration = jiff::Timestamp::now()
            .checked_add(jiff::SignedDuration::from_secs(duration_seconds.min(43_200) as i64))
            .unwrap_or_else(|_| jiff::Timestamp::now());
        Session {
            principal,
            access_key_id: format!("ASIA{}", token(16).to_uppercase()),
            secret_access_key: token(40),
            session_token: token(96),
            expiration: expiration.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
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

/// Everything the sandbox holds.
#[derive(Debug)]
pub struct State {
    pub estate: Estate,
    sessions: Mutex<HashMap<String, Session>>,
    calls: Mutex<Vec<CallRecord>>,
    pub pinpoint: Mutex<PinpointState>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave these maps half-updated; keep serving.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Why a sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("could not listen on 127.0.0.1: {0}")]
    Listen(#[from] std::io::Error),
    #[error(transparent)]
    Estate(#[from] crate::estate::EstateError),
}

impl State {
    /// The state `estate` declares, with its Pinpoint resources created.
    pub fn new(estate: Estate) -> Result<State, crate::estate::EstateError> {
        let mut pinpoint = PinpointState::default();
        crate::seed::seed(&estate, &mut pinpoint, &now_iso8601())?;
        Ok(State {
            estate,
            sessions: Mutex::new(HashMap::new()),
            calls: Mutex::new(Vec::new()),
            pinpoint: Mutex::new(pinpoint),
        })
    }

    pub fn add_session(&self, session: Session) {
        lock(&self.sessions).insert(session.access_key_id.clone(), session);
    }

    pub fn calls(&self) -> Vec<CallRecord> {
        lock(&self.calls).clone()
    }

    /// The secret, session token and principal for an access key id.
    fn credentials_for(&self, access_key_id: &str) -> Option<(String, Option<String>, Principal)> {
        if let Some(account) = self.estate.account_by_key(access_key_id) {
            let principal = Principal {
                account_id: account.account_id.clone(),
                arn: format!("arn:aws:iam::{}:user/{}", account.account_id, account.user),
                user_id: format!("AIDA{}", &access_key_id[access_key_id.len().saturating_sub(16)..]),
            };
            return Some((account.secret_access_key.clone(), None, principal));
        }
        let sessions = lock(&self.sessions);
        let session = sessions.get(access_key_id)?;
        Some((session.secret_access_key.clone(), Some(session.session_token.clone()), session.principal.clone()))
    }
}

pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/_sandbox/health", get(|| async { "ok" }))
        .route("/_sandbox/calls", get(calls))
        .fallback(dispatch)
        .with_state(state)
}

async fn calls(AxumState(state): AxumState<Arc<State>>) -> Json<Vec<CallRecord>> {
    Json(state.calls())
}

async fn dispatch(AxumState(state): AxumState<Arc<State>>, request: Request) -> Response<Body> {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = request.into_parts();
    let authorization = auth::parse_authorization(&parts.headers);
    let service = authorization.as_ref().map(|a| a.service.clone()).unwrap_or_else(|_| "unknown".into());
    let protocol = protocol_of(&service);
    let mut record = CallRecord {
        service: service.clone(),
        operation: String::new(),
        account_id: None,
        region: authorization.as_ref().ok().map(|a| a.region.clone()),
        status: 200,
        error_code: None,
        latency_ms: 0.0,
    };

    let outcome: Result<Response<Body>, ServiceError> = async {
        let authorization = authorization?;
        let body = to_bytes(body, MAX_BODY).await.map_err(|_| {
            ServiceError::new(StatusCode::PAYLOAD_TOO_LARGE, "RequestEntityTooLarge", "request body too large")
        })?;
        let (secret, token, principal) = state.credentials_for(&authorization.access_key_id).ok_or_else(|| {
            ServiceError::new(
                StatusCode::FORBIDDEN,
                unknown_key_code(protocol),
                "The security token included in the request is invalid.",
            )
        })?;
        if let Some(token) = &token {
            let sent = parts.headers.get("x-amz-security-token").and_then(|v| v.to_str().ok());
            if sent != Some(token.as_str()) {
                return Err(ServiceError::new(
                    StatusCode::FORBIDDEN,
                    unknown_key_code(protocol),
                    "The security token included in the request is invalid.",
                ));
            }
        }
        auth::verify(&authorization, &secret, token.as_deref(), &parts.method, &parts.uri, &parts.headers, &body)?;
        record.account_id = Some(principal.account_id.clone());
        match service.as_str() {
            "sts" => {
                let (operation, result) = sts::handle(&state, &principal, &body);
                record.operation = operation;
                result.map(|xml| xml_response(xml, &request_id))
            }
            pinpoint::SIGNING_NAME => {
                let call = pinpoint::model().parse_call(
                    &parts.method,
                    parts.uri.path(),
                    parts.uri.query(),
                    &parts.headers,
                    &body,
                )?;
                record.operation = call.operation.clone();
                let scope = pinpoint::Scope {
                    account_id: principal.account_id.clone(),
                    region: authorization.region.clone(),
                    now: now_iso8601(),
                };
                let payload = lock(&state.pinpoint).handle(&scope, &call)?;
                checked(pinpoint::model(), &call.operation, &payload)?;
                Ok(json_response(call.status, &payload, &request_id))
            }
            other => Err(ServiceError::new(
                StatusCode::BAD_REQUEST,
                "UnknownService",
                format!("the Pinshift sandbox does not serve the {other:?} service yet"),
            )),
        }
    }
    .await;

    let response = outcome.unwrap_or_else(|error| {
        record.error_code = Some(error.code.to_owned());
        error.render(protocol, &request_id)
    });
    record.status = response.status().as_u16();
    record.latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::debug!(service = %record.service, operation = %record.operation, status = record.status, "call");
    lock(&state.calls).push(record);
    response
}

fn protocol_of(service: &str) -> Protocol {
    match service {
        "sms-voice" => Protocol::Json10,
        pinpoint::SIGNING_NAME => pinpoint::PROTOCOL,
        "ses" | "connect" | "profile" | "connect-campaigns" | "wisdom" => Protocol::RestJson { message_key: "message" },
        _ => sts::PROTOCOL,
    }
}

/// Every response is checked against the service model before it leaves: a sandbox bug surfaces as a
/// loud 500 naming the field, never as a response an SDK would silently misread.
fn checked(
    model: &crate::model::ServiceModel,
    operation: &str,
    payload: &serde_json::Value,
) -> Result<(), ServiceError> {
    let problems = model.check_output(operation, payload);
    if problems.is_empty() {
        return Ok(());
    }
    tracing::error!(operation, ?problems, "sandbox response does not match the service model");
    Err(ServiceError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "InternalServerErrorException",
        format!("sandbox bug: {operation} response does not match the model: {}", problems.join("; ")),
    ))
}

/// Now as Pinpoint writes dates: ISO 8601, UTC, milliseconds.
fn now_iso8601() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn json_response(status: StatusCode, payload: &serde_json::Value, request_id: &str) -> Response<Body> {
    let body = if status == StatusCode::NO_CONTENT { Body::empty() } else { Body::from(payload.to_string()) };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-amzn-requestid", id);
    }
    response
}

/// The code AWS returns for an access key it does not know, per protocol family.
fn unknown_key_code(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Query { .. } => "InvalidClientTokenId",
        Protocol::RestJson { .. } | Protocol::Json10 => "UnrecognizedClientException",
    }
}

fn xml_response(xml: String, request_id: &str) -> Response<Body> {
    let mut response = Response::new(Body::from(xml));
    response.headers_mut().insert("content-type", HeaderValue::from_static("text/xml"));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-amzn-requestid", id);
    }
    response
}

/// A running sandbox.
#[derive(Debug)]
pub struct RunningSandbox {
    pub addr: SocketAddr,
    pub state: Arc<State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningSandbox {
    /// Binds 127.0.0.1:`port` (0 picks a free port) and serves `estate` until stopped.
    pub async fn start(estate: Estate, port: u16) -> Result<RunningSandbox, StartError> {
        let state = Arc::new(State::new(estate)?);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "sandbox server stopped");
            }
        });
        Ok(RunningSandbox { addr, state, shutdown: Some(tx), task })
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What scripts and tests read to connect: endpoint, Region and every account's keys.
    pub fn ready_info(&self) -> serde_json::Value {
        let estate = &self.state.estate;
        serde_json::json!({
            "endpoint": self.endpoint(),
            "region": estate.region,
            "estate": estate.name,
            "accounts": estate.accounts.iter().map(|a| serde_json::json!({
                "name": a.name,
                "account_id": a.account_id,
                "access_key_id": a.access_key_id,
                "secret_access_key": a.secret_access_key,
            })).collect::<Vec<_>>(),
        })
    }

    /// Stops accepting requests and waits for in-flight ones.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}
