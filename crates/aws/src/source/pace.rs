//! Client-side pacing: every request to Pinpoint waits for a token under its operation's published rate
//! (reference §1.2), per account and Region, so a wide scan stays below AWS's quotas instead of learning
//! them from 429s. Retries (standard mode, with jitter) remain for what pacing cannot prevent.
//!
//! How: the per-call [`crate::source::raw::RawCapture`] interceptor tags each request with its operation name
//! (a header the pacing HTTP client removes before sending), and [`PacedHttpClient`] — the SDK's own
//! HTTPS client wrapped — waits for a token from a shared [`Pacer`] before each attempt, and for one of
//! the scan's in-flight permits (`--concurrency`), so readers can start many reads and stay bounded.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;

/// The header carrying an operation's name from the interceptor to the pacing client (never sent).
pub(crate) const OPERATION_HEADER: &str = "x-pinshift-operation";

/// Share of a published rate Pinshift's token buckets allow: headroom for latency jitter and other
/// callers in the account.
const HEADROOM: f64 = 0.95;

/// Pinpoint's published rate (requests per second, per account and Region) for an operation.
pub fn pinpoint_rate(operation: &str) -> f64 {
    match operation {
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
        // "All other operations", which includes every Get/List call a scan makes.
        _ => 300.0,
    }
}

/// The published rate of a target-side operation (requests per second, per account and Region) and the
/// bucket it draws from, where AWS publishes one: SES v2's template operations ("no more than once per
/// second"; GetEmailTemplate 50/s), End User Messaging's Create*, Associate* and Set* (1/s) and
/// DeleteOptedOutNumber (10/s), Amazon Connect's shared 2/s. `None`: no published rate (retries cover it).
pub fn target_rate(service: &str, operation: &str) -> Option<(String, f64)> {
    let own = |rate: f64| Some((format!("{service}/{operation}"), rate));
    match service {
        "ses" => match operation {
            "CreateEmailTemplate"
            | "UpdateEmailTemplate"
            | "DeleteEmailTemplate"
            | "TestRenderEmailTemplate"
            | "ListEmailTemplates" => own(1.0),
            "GetEmailTemplate" => own(50.0),
            // No published rate: a conservative pace for the address-by-address tenant suppression load.
            "PutSuppressedDestination" => own(5.0),
            _ => None,
        },
        "sms-voice" => match operation {
            "DeleteOptedOutNumber" => own(10.0),
            // Not in the quota table's excerpt: DeleteOptedOutNumber's documented rate, assumed.
            "PutOptedOutNumber" => own(10.0),
            op if ["Create", "Associate", "Set"].iter().any(|p| op.starts_with(p)) => own(1.0),
            _ => None,
        },
        "connect" => Some(("connect/*".to_owned(), 2.0)),
        // Domain-level calls: "1–5 TPS" by a second-hand table (target-side.md §quotas); the low end,
        // shared, until AWS publishes them. Profile data calls (BatchPutProfileObject …) are not these.
        "profile" => match operation {
            "CreateDomain"
            | "DeleteDomain"
            | "GetDomain"
            | "PutProfileObjectType"
            | "GetProfileObjectType"
            | "DeleteProfileObjectType"
            | "PutIntegration"
            | "GetIntegration"
            | "DeleteIntegration"
            | "CreateSegmentDefinition"
            | "GetSegmentDefinition"
            | "DeleteSegmentDefinition" => Some(("profile/domain".to_owned(), 1.0)),
            // Profile data writes: ~100 TPS by the same second-hand table (unverified).
            "BatchPutProfileObject" | "PutProfileObject" => Some(("profile/data".to_owned(), 100.0)),
            _ => None,
        },
        _ => None,
    }
}

/// The HTTPS client the SDK would use by default: hyper 1 with rustls (aws-lc), honouring the proxy
/// environment (`HTTPS_PROXY`, `NO_PROXY`), as consultants behind a customer's proxy need.
pub fn default_https_client() -> SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector = ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::AwsLc));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

/// Token buckets per (place, operation), mirroring AWS's (a second's worth of burst, refilled at the
/// rate), at [`HEADROOM`] of the published rate. A token is taken right before a request leaves — after
/// it got an in-flight permit — so requests that queued for permits cannot leave in a burst AWS would
/// throttle.
#[derive(Debug)]
pub struct Pacer {
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
    in_flight: Arc<tokio::sync::Semaphore>,
    /// Attempts AWS answered with a throttle (429, or 400/503 with a throttling code's status), and with
    /// a server error or no answer at all: the pressure a scan is under, for progress reports.
    pub throttled: AtomicU64,
    pub failed_attempts: AtomicU64,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new(16)
    }
}

impl Pacer {
    /// At most `in_flight` requests at once (at least one).
    pub fn new(in_flight: usize) -> Self {
        Pacer {
            throttled: AtomicU64::new(0),
            failed_attempts: AtomicU64::new(0),
            buckets: Mutex::default(),
            in_flight: Arc::new(tokio::sync::Semaphore::new(in_flight.max(1))),
        }
    }

    /// Waits until a token for `key` at `rate` per second is there, and takes it.
    pub async fn wait(&self, key: &str, rate: f64) {
        while let Err(wait) = self.take(key, rate) {
            tokio::time::sleep(wait).await;
        }
    }

    /// Takes a token for `key` at `rate` per second, or says how long until one is there.
    pub fn take(&self, key: &str, rate: f64) -> Result<(), Duration> {
        let rate = rate * HEADROOM;
        // A second's worth of burst, but at least one request (a 1/s operation would never get a token).
        let burst = rate.max(1.0);
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, last) = buckets.entry(key.to_owned()).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rate).min(burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / rate))
        }
    }
}

/// The SDK's HTTPS client, waiting for a [`Pacer`] token before each Pinpoint request of one account in
/// one Region (`place`).
#[derive(Debug, Clone)]
pub struct PacedHttpClient {
    inner: SharedHttpClient,
    pacer: Arc<Pacer>,
    place: String,
}

impl PacedHttpClient {
    pub fn new(inner: SharedHttpClient, pacer: Arc<Pacer>, place: String) -> Self {
        PacedHttpClient { inner, pacer, place }
    }
}

impl HttpClient for PacedHttpClient {
    fn http_connector(&self, settings: &HttpConnectorSettings, components: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(PacedConnector {
            inner: self.inner.http_connector(settings, components),
            pacer: self.pacer.clone(),
            place: self.place.clone(),
            sleep: components.sleep_impl(),
        })
    }
}

#[derive(Debug)]
struct PacedConnector {
    inner: SharedHttpConnector,
    pacer: Arc<Pacer>,
    place: String,
    sleep: Option<SharedAsyncSleep>,
}

impl HttpConnector for PacedConnector {
    fn call(&self, mut request: HttpRequest) -> HttpConnectorFuture {
        // `Service:Operation`; only Pinpoint's rates are published per operation, so only it is paced.
        let tag = request.headers_mut().remove(OPERATION_HEADER);
        let key = match tag.as_deref().and_then(|t| t.split_once(':')) {
            Some(("Pinpoint", op)) => Some((format!("{}/{op}", self.place), pinpoint_rate(op))),
            _ => None,
        };
        let (inner, sleep, pacer) = (self.inner.clone(), self.sleep.clone(), self.pacer.clone());
        HttpConnectorFuture::new(async move {
            loop {
                // The semaphore is never closed; should it be, send anyway rather than fail.
                let permit = pacer.in_flight.clone().acquire_owned().await.ok();
                let wait = match &key {
                    Some((key, rate)) => pacer.take(key, *rate).err(),
                    None => None,
                };
                match (wait, &sleep) {
                    (Some(wait), Some(sleep)) => {
                        // Give the permit back while waiting for this operation's next token.
                        drop(permit);
                        sleep.sleep(wait).await;
                    }
                    _ => {
                        let response = inner.call(request).await;
                        drop(permit);
                        match &response {
                            Ok(r) if r.status().as_u16() == 429 => {
                                pacer.throttled.fetch_add(1, Ordering::Relaxed);
                            }
                            Ok(r) if r.status().is_server_error() => {
                                pacer.failed_attempts.fetch_add(1, Ordering::Relaxed);
                            }
                            Ok(_) => {}
                            Err(_) => {
                                pacer.failed_attempts.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        return response;
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Pacer;

    #[test]
    fn a_burst_goes_at_once_and_the_rest_at_the_rate() {
        let pacer = Pacer::default();
        // 20/s with headroom = 19/s: nineteen go now, the twentieth waits about a nineteenth of a second.
        let taken: Vec<_> = (0..20).map(|_| pacer.take("a/GetApps", 20.0)).collect();
        assert!(taken[..19].iter().all(Result::is_ok), "{taken:?}");
        let wait = taken[19].expect_err("the twentieth waits").as_secs_f64();
        assert!(wait > 0.04 && wait < 0.06, "{wait}");
        assert!(pacer.take("b/GetApps", 10.0).is_ok(), "keys are paced separately");
    }

    #[test]
    fn a_once_per_second_operation_goes_once_then_waits_a_second() {
        let pacer = Pacer::default();
        assert!(pacer.take("ses/CreateEmailTemplate", 1.0).is_ok(), "the first goes at once");
        let wait = pacer.take("ses/CreateEmailTemplate", 1.0).expect_err("the second waits").as_secs_f64();
        assert!(wait > 1.0 && wait < 1.1, "{wait}");
    }
}
