//! The HTTP server: authenticates every request (SigV4), routes it by the credential scope's service,
//! applies quotas and injected faults, records it in the call log, and serves the control API.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State as AxumState};
use axum::http::{HeaderValue, Response, StatusCode};
use bytes::Bytes;

use crate::auth;
use crate::estate::Estate;
use crate::limits::{Fault, FaultProfile, server_error, throttled};
use crate::model::{Call, ServiceModel};
use crate::services::rest::{self, Ctx, RestService};
use crate::services::{pinpoint, s3, sesv2, smsv2, sns, sts};
use crate::state::{CallRecord, State, now_iso8601};
use crate::wire::{Protocol, ServiceError};

/// Largest request body accepted (Pinpoint's payload limit is 7 MB).
const MAX_BODY: usize = 8 * 1024 * 1024;

pub fn router(state: Arc<State>) -> Router {
    crate::control::routes().fallback(dispatch).with_state(state)
}

/// A request parsed far enough to know its operation, before it runs.
enum Prepared {
    Sts,
    Sns,
    Pinpoint(Call),
    Ses(Call),
    Sms(Call),
    S3,
    /// Connect, Customer Profiles, Outbound Campaigns v2, Q in Connect.
    Rest(&'static RestService, Call),
}

/// Whether an operation only reads (faults "after the write" leave reads alone).
pub fn is_read(operation: &str) -> bool {
    ["Get", "List", "Describe", "Search", "Render", "TestRender", "Head"].iter().any(|p| operation.starts_with(p))
}

async fn dispatch(AxumState(state): AxumState<Arc<State>>, request: Request) -> Response<Body> {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = request.into_parts();
    let authorization = auth::parse_authorization(&parts.headers);
    let service = authorization.as_ref().map(|a| a.service.clone()).unwrap_or_else(|_| "unknown".into());
    let protocol = protocol_of(&service);
    let client = crate::coverage::client_of(&parts.headers);
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
            ServiceError::new(StatusCode::PAYLOAD_TOO_LARGE, "PayloadTooLargeException", "Request body too large")
        })?;
        let credentials = state.world().credentials_for(&authorization.access_key_id);
        let (secret, token, principal) = credentials.map_err(|expired| {
            if expired {
                ServiceError::new(
                    StatusCode::FORBIDDEN,
                    expired_code(protocol),
                    "The security token included in the request is expired",
                )
            } else {
                ServiceError::new(
                    StatusCode::FORBIDDEN,
                    unknown_key_code(protocol),
                    "The security token included in the request is invalid.",
                )
            }
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

        let prepared = match service.as_str() {
            "sts" => {
                record.operation = sts::action(&body);
                Prepared::Sts
            }
            sns::SIGNING_NAME => {
                record.operation = sns::action(&body);
                Prepared::Sns
            }
            pinpoint::SIGNING_NAME => {
                let call = pinpoint::model().parse_request(&parts, &body)?;
                record.operation = call.operation.clone();
                Prepared::Pinpoint(call)
            }
            sesv2::SIGNING_NAME => {
                let call = sesv2::model().parse_request(&parts, &body)?;
                record.operation = call.operation.clone();
                Prepared::Ses(call)
            }
            s3::SIGNING_NAME => {
                record.operation = s3::operation(&parts.method, parts.uri.path(), parts.uri.query()).to_owned();
                Prepared::S3
            }
            smsv2::SIGNING_NAME => {
                let call = smsv2::parse_call(&parts.headers, &body)?;
                record.operation = call.operation.clone();
                Prepared::Sms(call)
            }
            other => match rest::service(other) {
                Some(service) => {
                    let call = (service.model)().parse_request(&parts, &body)?;
                    record.operation = call.operation.clone();
                    Prepared::Rest(service, call)
                }
                None => {
                    return Err(ServiceError::new(
                        StatusCode::BAD_REQUEST,
                        "UnknownService",
                        format!("the Pinshift sandbox does not serve the {other:?} service yet"),
                    ));
                }
            },
        };

        if principal.denies(&format!("{}:{}", iam_prefix(&service), record.operation)) {
            return Err(access_denied(
                protocol,
                &principal.arn,
                &format!("{}:{}", iam_prefix(&service), record.operation),
            ));
        }
        if !state.quotas.admit(&service, &record.operation, &principal.account_id, &authorization.region) {
            return Err(throttled(protocol));
        }
        let (fault, latency) = state.faults.decide();
        let short_pages = state.faults.profile().short_pages;
        let paged = |handler: &mut dyn FnMut() -> Result<serde_json::Value, ServiceError>| {
            crate::paging::with_short_pages(short_pages, handler)
        };
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        match fault {
            Some(Fault::Throttle) => return Err(throttled(protocol)),
            Some(Fault::ServerError) => return Err(server_error(protocol)),
            Some(Fault::Drop) => return Ok(dropped()),
            Some(Fault::ErrorAfterWrite | Fault::DropAfterWrite) | None => {}
        }
        let lose_answer = fault.filter(|_| !is_read(&record.operation));

        let answered: Result<Response<Body>, ServiceError> = match prepared {
            Prepared::Sts => {
                let xml = sts::handle(&state, &principal, &body)?;
                Ok(xml_response(xml, &request_id))
            }
            Prepared::Sns => {
                let xml = state.world().sns.handle(&principal.account_id, &authorization.region, &body)?;
                Ok(xml_response(xml, &request_id))
            }
            Prepared::Pinpoint(call) if state.pinpoint_retired() && pinpoint::is_engagement(&call.operation) => {
                Err(ServiceError::new(StatusCode::FORBIDDEN, "ForbiddenException", pinpoint::RETIRED_MESSAGE))
            }
            Prepared::Pinpoint(call) => {
                let scope = pinpoint::Scope {
                    account_id: principal.account_id.clone(),
                    region: authorization.region.clone(),
                    now: now_iso8601(),
                };
                let payload = {
                    let mut world = state.world();
                    crate::jobs::run_due(&mut world);
                    paged(&mut || world.pinpoint.handle(&scope, &call))?
                };
                checked(pinpoint::model(), &call.operation, &payload)?;
                Ok(json_response(call.status, &payload, &request_id))
            }
            Prepared::Ses(call) => {
                let payload = paged(&mut || {
                    let epoch = crate::clock::epoch(state.clock.now());
                    let mut world = state.world();
                    let crate::state::World { ses, s3, .. } = &mut *world;
                    ses.handle(&principal.account_id, &authorization.region, epoch, &call, s3)
                })?;
                checked(sesv2::model(), &call.operation, &payload)?;
                Ok(json_response(call.status, &payload, &request_id))
            }
            Prepared::S3 => {
                let mut response =
                    state.world().s3.handle(&principal.account_id, &authorization.region, &parts, body.clone())?;
                if let Ok(id) = HeaderValue::from_str(&request_id) {
                    response.headers_mut().insert("x-amz-request-id", id);
                }
                Ok(response)
            }
            Prepared::Sms(call) => {
                let place = smsv2::Place {
                    account_id: &principal.account_id,
                    region: &authorization.region,
                    now: crate::clock::epoch(state.clock.now()),
                };
                let payload = paged(&mut || state.world().sms.handle(&place, &call))?;
                checked(smsv2::model(), &call.operation, &payload)?;
                let mut response = json_response(call.status, &payload, &request_id);
                response.headers_mut().insert("content-type", HeaderValue::from_static("application/x-amz-json-1.0"));
                Ok(response)
            }
            Prepared::Rest(service, call) => {
                let endpoint = format!(
                    "http://{}",
                    parts.headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1")
                );
                let ctx = Ctx {
                    account_id: &principal.account_id,
                    region: &authorization.region,
                    now: state.clock.now(),
                    endpoint: &endpoint,
                };
                let payload = {
                    let mut world = state.world();
                    match world.idempotency.recall(service.signing_name, &ctx, &call) {
                        Some(previous) => previous,
                        None => {
                            let answer = paged(&mut || (service.handle)(&mut world, &ctx, &call))?;
                            world.idempotency.remember(service.signing_name, &ctx, &call, &answer);
                            answer
                        }
                    }
                };
                checked((service.model)(), &call.operation, &payload)?;
                Ok(json_response(call.status, &payload, &request_id))
            }
        };
        match (lose_answer, answered) {
            (Some(Fault::DropAfterWrite), Ok(_)) => Ok(dropped()),
            (Some(_), Ok(_)) => Err(server_error(protocol)),
            (_, answered) => answered,
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
    crate::coverage::note(client, &record.service, &record.operation, record.status);
    state.record(record);
    response
}

fn protocol_of(service: &str) -> Protocol {
    match service {
        smsv2::SIGNING_NAME => smsv2::PROTOCOL,
        s3::SIGNING_NAME => Protocol::RestXml,
        pinpoint::SIGNING_NAME => pinpoint::PROTOCOL,
        sesv2::SIGNING_NAME => sesv2::PROTOCOL,
        sns::SIGNING_NAME => sns::PROTOCOL,
        other => rest::service(other).map(|s| s.protocol).unwrap_or(sts::PROTOCOL),
    }
}

/// The IAM action prefix of a signing name.
fn iam_prefix(service: &str) -> &str {
    match service {
        sesv2::SIGNING_NAME => "ses",
        other => rest::service(other).map(|s| s.iam_prefix).unwrap_or(other),
    }
}

/// What AWS answers when IAM denies a call, per protocol family.
fn access_denied(protocol: Protocol, principal: &str, action: &str) -> ServiceError {
    let message = format!("User: {principal} is not authorized to perform: {action}");
    match protocol {
        Protocol::RestJson(style) => ServiceError::new(StatusCode::FORBIDDEN, style.denied, message),
        Protocol::Json10 => ServiceError::new(StatusCode::FORBIDDEN, "AccessDeniedException", message),
        Protocol::Query { .. } | Protocol::RestXml => ServiceError::new(StatusCode::FORBIDDEN, "AccessDenied", message),
    }
}

/// The code AWS returns for an access key it does not know, per protocol family.
fn unknown_key_code(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::RestXml => "InvalidAccessKeyId",
        Protocol::Query { .. } => "InvalidClientTokenId",
        Protocol::RestJson(_) | Protocol::Json10 => "UnrecognizedClientException",
    }
}

fn expired_code(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Query { .. } | Protocol::RestXml => "ExpiredToken",
        Protocol::RestJson(_) | Protocol::Json10 => "ExpiredTokenException",
    }
}

/// Every response is checked against the service model before it leaves: a sandbox bug surfaces as a
/// loud 500 naming the field, never as a response an SDK would silently misread.
fn checked(model: &ServiceModel, operation: &str, payload: &serde_json::Value) -> Result<(), ServiceError> {
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

fn json_response(status: StatusCode, payload: &serde_json::Value, request_id: &str) -> Response<Body> {
    let body = if status == StatusCode::NO_CONTENT { Body::empty() } else { Body::from(payload.to_string()) };
    with_headers(Response::new(body), status, "application/json", request_id)
}

fn xml_response(xml: String, request_id: &str) -> Response<Body> {
    with_headers(Response::new(Body::from(xml)), StatusCode::OK, "text/xml", request_id)
}

fn with_headers(
    mut response: Response<Body>,
    status: StatusCode,
    content_type: &'static str,
    request_id: &str,
) -> Response<Body> {
    *response.status_mut() = status;
    response.headers_mut().insert("content-type", HeaderValue::from_static(content_type));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-amzn-requestid", id);
    }
    response
}

/// A response whose body fails after the headers: hyper aborts the connection, and the client sees a
/// connection dropped mid-response.
fn dropped() -> Response<Body> {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "dropped by the sandbox"))
    });
    Response::new(Body::from_stream(failing))
}

/// Why a sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("could not listen on 127.0.0.1: {0}")]
    Listen(#[from] std::io::Error),
    #[error(transparent)]
    Estate(#[from] crate::estate::EstateError),
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
    /// Binds 127.0.0.1:`port` (0 picks a free port) and serves `estate` until stopped, without faults.
    pub async fn start(estate: Estate, port: u16) -> Result<RunningSandbox, StartError> {
        Self::start_with(estate, port, FaultProfile::default()).await
    }

    pub async fn start_with(estate: Estate, port: u16, faults: FaultProfile) -> Result<RunningSandbox, StartError> {
        let state = Arc::new(State::new(estate, faults)?);
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

    /// An AWS SDK configuration that reaches this sandbox as the account owning `access_key_id`
    /// (us-east-1, static keys): what tests and benchmarks hand the official SDK clients.
    pub async fn sdk_config(&self, access_key_id: &str, secret_access_key: &str) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(self.endpoint())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_credential_types::Credentials::new(
                access_key_id,
                secret_access_key,
                None,
                None,
                "pinshift-sandbox",
            ))
            .load()
            .await
    }

    /// What scripts and tests read to connect: endpoint, Region and every account's keys.
    pub fn ready_info(&self) -> serde_json::Value {
        let world = self.state.world();
        let estate = &world.estate;
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
