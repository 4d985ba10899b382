//! The control API, quotas and injected faults, observed through the official SDK.

use std::time::{Duration, Instant};

use aws_sdk_pinpoint::Client;
use aws_sdk_pinpoint::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_pinpoint::types::CreateApplicationRequest;
use pinshift_sandbox::RunningSandbox;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::start;

/// A control API call over plain HTTP/1.1; returns the status and body.
pub async fn control(sandbox: &RunningSandbox, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(sandbox.addr).await.expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        sandbox.addr,
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status line");
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

/// A client that does not retry, so each injected fault is seen.
async fn no_retries(sandbox: &RunningSandbox) -> Client {
    let config = sandbox.sdk_config("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await;
    Client::from_conf(
        aws_sdk_pinpoint::config::Builder::from(&config)
            .retry_config(aws_sdk_pinpoint::config::retry::RetryConfig::disabled())
            .build(),
    )
}

async fn app_count(pinpoint: &Client) -> usize {
    pinpoint.get_apps().send().await.expect("GetApps").applications_response().expect("payload").item().len()
}

async fn create(pinpoint: &Client, name: &str) {
    pinpoint
        .create_app()
        .create_application_request(CreateApplicationRequest::builder().name(name).build())
        .send()
        .await
        .expect("CreateApp");
}

#[tokio::test]
async fn reset_snapshot_restore_and_load_change_what_clients_see() {
    let sandbox = start().await;
    let pinpoint = no_retries(&sandbox).await;
    create(&pinpoint, "one").await;
    assert_eq!(control(&sandbox, "POST", "/_sandbox/snapshots/after-one", "").await.0, 204);
    create(&pinpoint, "two").await;
    assert_eq!(app_count(&pinpoint).await, 2);
    assert_eq!(control(&sandbox, "POST", "/_sandbox/snapshots/after-one/restore", "").await.0, 204);
    assert_eq!(app_count(&pinpoint).await, 1);
    assert_eq!(control(&sandbox, "POST", "/_sandbox/reset", "").await.0, 204);
    assert_eq!(app_count(&pinpoint).await, 0, "reset returns to the estate as declared");
    assert_eq!(control(&sandbox, "POST", "/_sandbox/snapshots/missing/restore", "").await.0, 404);

    let (status, body) = control(&sandbox, "PUT", "/_sandbox/estate", "{\"name\": \"nope\"}").await;
    assert_eq!(status, 400);
    assert!(body.contains("unknown estate"), "{body}");

    let (status, calls) = control(&sandbox, "GET", "/_sandbox/calls", "").await;
    assert_eq!(status, 200);
    let calls: serde_json::Value = serde_json::from_str(&calls).expect("json");
    let first = &calls[0];
    assert_eq!((first["service"].as_str(), first["operation"].as_str()), (Some("mobiletargeting"), Some("CreateApp")));
    assert_eq!(
        (first["account_id"].as_str(), first["region"].as_str(), first["status"].as_u64()),
        (Some("222222222222"), Some("us-east-1"), Some(201))
    );
    assert!(first["latency_ms"].as_f64().is_some());
    sandbox.stop().await;
}

#[tokio::test]
async fn injected_faults_look_like_aws_failures() {
    let sandbox = start().await;
    let pinpoint = no_retries(&sandbox).await;

    assert_eq!(control(&sandbox, "PUT", "/_sandbox/faults", "seed=1,throttle=1").await.0, 204);
    let error = pinpoint.get_apps().send().await.expect_err("throttled");
    assert_eq!(error.code(), Some("TooManyRequestsException"));
    let raw = error.raw_response().expect("response");
    assert_eq!(raw.status().as_u16(), 429);
    assert!(raw.headers().get("retry-after").is_none(), "AWS sends no Retry-After");

    control(&sandbox, "PUT", "/_sandbox/faults", "server_error=1").await;
    let error = pinpoint.get_apps().send().await.expect_err("5xx");
    assert_eq!(error.raw_response().map(|r| r.status().as_u16()), Some(500));

    control(&sandbox, "PUT", "/_sandbox/faults", "drop=1").await;
    let error = pinpoint.get_apps().send().await.expect_err("dropped");
    assert!(!matches!(error, SdkError::ServiceError(_)), "a dropped connection is not a service answer: {error:?}");

    control(&sandbox, "PUT", "/_sandbox/faults", "latency_ms=150..150").await;
    let started = Instant::now();
    pinpoint.get_apps().send().await.expect("slow but fine");
    assert!(started.elapsed() >= Duration::from_millis(140), "latency applied");

    let (status, body) = control(&sandbox, "PUT", "/_sandbox/faults", "throttle=7").await;
    assert_eq!(status, 400);
    assert!(body.contains("throttle"), "{body}");
    sandbox.stop().await;
}

#[tokio::test]
async fn a_seeded_throttle_share_is_reproducible() {
    let sandbox = start().await;
    let pinpoint = no_retries(&sandbox).await;
    let mut counts = Vec::new();
    for _ in 0..2 {
        control(&sandbox, "PUT", "/_sandbox/faults", "seed=9,throttle=0.25").await;
        let mut throttled = 0;
        for _ in 0..200 {
            if pinpoint.get_apps().send().await.is_err() {
                throttled += 1;
            }
        }
        counts.push(throttled);
    }
    assert_eq!(counts[0], counts[1], "same seed, same faults");
    assert!((30..=70).contains(&counts[0]), "about a quarter throttled: {}", counts[0]);
    sandbox.stop().await;
}

#[tokio::test]
async fn quotas_throttle_past_pinpoints_published_rate() {
    let sandbox = start().await;
    let pinpoint = no_retries(&sandbox).await;
    // CreateEmailTemplate runs at 10/s: a burst of 15 exceeds it.
    let mut throttled = 0;
    for i in 0..15 {
        let result = pinpoint
            .create_email_template()
            .template_name(format!("t{i}"))
            .email_template_request(aws_sdk_pinpoint::types::EmailTemplateRequest::builder().subject("s").build())
            .send()
            .await;
        if let Err(error) = result {
            assert_eq!(error.code(), Some("TooManyRequestsException"));
            throttled += 1;
        }
    }
    assert!(throttled >= 4, "{throttled} of 15 throttled");
    assert_eq!(control(&sandbox, "PUT", "/_sandbox/quotas", "{\"enabled\": false}").await.0, 204);
    for i in 15..30 {
        pinpoint
            .create_email_template()
            .template_name(format!("t{i}"))
            .email_template_request(aws_sdk_pinpoint::types::EmailTemplateRequest::builder().subject("s").build())
            .send()
            .await
            .expect("quotas off");
    }
    sandbox.stop().await;
}
