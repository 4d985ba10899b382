//! Target-side write throughput a migration will meet: BatchPutProfileObject (10 objects a call) and
//! PutSuppressedDestination (one address a call, with TenantName: per-tenant suppression has no bulk path)
//! through the official SDKs over loopback, with the sandbox's quotas on (the rates AWS publishes or, for
//! Customer Profiles, the unverified ~100/s) and off. Prints figures; asserts nothing.
//!
//! `cargo bench -p pinshift-sandbox --bench target_writes [-- OBJECTS ADDRESSES CONCURRENCY]`

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::Instant;

use aws_sdk_customerprofiles::types::{
    BatchPutProfileObjectRequestItem, ObjectTypeField, ObjectTypeKey, StandardIdentifier,
};
use aws_sdk_sesv2::types::SuppressionListReason;
use futures_util::stream::{self, StreamExt};
use pinshift_sandbox::{Estate, RunningSandbox};

async fn profiles_run(sandbox: &RunningSandbox, domain: &str, objects: usize, concurrency: usize) -> (f64, u64) {
    let config = sandbox.sdk_config("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await;
    let profiles = aws_sdk_customerprofiles::Client::new(&config);
    profiles.create_domain().domain_name(domain).default_expiration_days(365).send().await.unwrap();
    profiles
        .put_profile_object_type()
        .domain_name(domain)
        .object_type_name("Endpoint")
        .description("Pinpoint endpoints")
        .allow_profile_creation(true)
        .fields("email", ObjectTypeField::builder().source("_source.email").target("_profile.EmailAddress").build())
        .fields("id", ObjectTypeField::builder().source("_source.id").target("Endpoint.id").build())
        .keys(
            "_email",
            vec![
                ObjectTypeKey::builder().standard_identifiers(StandardIdentifier::Profile).field_names("email").build(),
            ],
        )
        .keys(
            "endpoint",
            vec![ObjectTypeKey::builder().standard_identifiers(StandardIdentifier::Unique).field_names("id").build()],
        )
        .send()
        .await
        .unwrap();
    let started = Instant::now();
    let failed: u64 = stream::iter((0..objects).step_by(10))
        .map(|first| {
            let profiles = profiles.clone();
            async move {
                let mut call = profiles.batch_put_profile_object().domain_name(domain).object_type_name("Endpoint");
                for n in first..(first + 10).min(objects) {
                    let object = format!(r#"{{"id":"e{n}","email":"user{n}@example.com"}}"#);
                    call = call.items(
                        BatchPutProfileObjectRequestItem::builder().id(format!("{n}")).object(object).build().unwrap(),
                    );
                }
                match call.send().await {
                    Ok(out) => out.failed().len() as u64,
                    Err(_) => 10,
                }
            }
        })
        .buffer_unordered(concurrency)
        .fold(0, |a, b| async move { a + b })
        .await;
    (started.elapsed().as_secs_f64(), failed)
}

async fn suppression_run(sandbox: &RunningSandbox, tenant: &str, addresses: usize, concurrency: usize) -> (f64, u64) {
    let config = sandbox.sdk_config("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await;
    let ses = aws_sdk_sesv2::Client::new(&config);
    ses.create_tenant().tenant_name(tenant).send().await.unwrap();
    let started = Instant::now();
    let failed: u64 = stream::iter(0..addresses)
        .map(|n| {
            let ses = ses.clone();
            async move {
                let sent = ses
                    .put_suppressed_destination()
                    .email_address(format!("bounced{n}@example.com"))
                    .reason(SuppressionListReason::Bounce)
                    .tenant_name(tenant)
                    .send()
                    .await;
                u64::from(sent.is_err())
            }
        })
        .buffer_unordered(concurrency)
        .fold(0, |a, b| async move { a + b })
        .await;
    (started.elapsed().as_secs_f64(), failed)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let objects: usize = args.first().and_then(|s| s.parse().ok()).unwrap_or(5_000);
    let addresses: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5_000);
    let concurrency: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(16);
    let sandbox = RunningSandbox::start(Estate::load("minimal").unwrap(), 0).await.unwrap();
    println!("target writes through the official SDKs, concurrency {concurrency} (SDK standard retries on throttles)");
    for (quotas, label) in [(true, "published rates"), (false, "unthrottled")] {
        sandbox.state.quotas.set_enabled(quotas);
        let suffix = if quotas { "rated" } else { "free" };
        let (secs, failed) = profiles_run(&sandbox, &format!("bench-{suffix}"), objects, concurrency).await;
        println!(
            "BatchPutProfileObject, {label:>15}: {objects} objects in {secs:.2} s = {:.0} objects/s ({:.0} calls/s), {failed} failed",
            objects as f64 / secs,
            objects as f64 / 10.0 / secs
        );
        let (secs, failed) = suppression_run(&sandbox, &format!("bench-{suffix}"), addresses, concurrency).await;
        println!(
            "PutSuppressedDestination, {label:>12}: {addresses} addresses in {secs:.2} s = {:.0} addresses/s, {failed} failed{}",
            addresses as f64 / secs,
            if quotas { " (SES publishes no rate for it: not throttled)" } else { "" }
        );
    }
    sandbox.stop().await;
}
