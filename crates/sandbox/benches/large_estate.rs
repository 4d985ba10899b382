//! A large generated estate (100 projects × 200 resources, 1,000,000 endpoints by default): how long it
//! takes to load, how much memory it holds, how fast a scan-like listing of every project runs, and how
//! fast an export job writes endpoints. Prints figures; asserts nothing.
//!
//! `cargo bench -p pinshift-sandbox --bench large_estate [-- PROJECTS RESOURCES ENDPOINTS]`

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use pinshift_sandbox::RunningSandbox;
use pinshift_sandbox::generate::{Shape, generate};

fn rss_kib() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .map(|l| l.trim_start_matches("VmRSS:").trim().to_owned())
        .unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().filter(|a| !a.starts_with("--")).collect();
    let number = |i: usize, default: u64| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let shape = Shape {
        projects: number(1, 100) as usize,
        resources: number(2, 200) as usize,
        endpoints: number(3, 1_000_000),
        seed: 1,
    };

    let started = Instant::now();
    let estate = generate(&shape);
    let generated = started.elapsed();
    let started = Instant::now();
    let sandbox = RunningSandbox::start(estate, 0).await.unwrap();
    let loaded = started.elapsed();
    sandbox.state.quotas.set_enabled(false);
    println!(
        "large estate: {} projects x {} resources, {} endpoints",
        shape.projects, shape.resources, shape.endpoints
    );
    println!("  generate         {:.2} s", generated.as_secs_f64());
    println!("  load and seed    {:.2} s", loaded.as_secs_f64());
    println!("  resident memory  {} after load", rss_kib());

    let config = sandbox.sdk_config("AKIAGENERATEDBPO0001", "generated/bpo/secret/key/0000000000000001").await;
    let pinpoint = aws_sdk_pinpoint::Client::new(&config);

    // A scan's listing pass: every app, then every app's segments, campaigns and journeys, all pages.
    let started = Instant::now();
    let mut calls = 0u64;
    let mut resources = 0usize;
    let mut app_ids = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = pinpoint.get_apps().page_size("50").set_token(token.clone()).send().await.unwrap();
        calls += 1;
        let page = page.applications_response().unwrap();
        app_ids.extend(page.item().iter().filter_map(|a| a.id().map(str::to_owned)));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    for app in &app_ids {
        let mut token: Option<String> = None;
        loop {
            let page = pinpoint
                .get_segments()
                .application_id(app)
                .page_size("100")
                .set_token(token.clone())
                .send()
                .await
                .unwrap();
            calls += 1;
            let page = page.segments_response().unwrap();
            resources += page.item().len();
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        let mut token: Option<String> = None;
        loop {
            let page = pinpoint
                .get_campaigns()
                .application_id(app)
                .page_size("100")
                .set_token(token.clone())
                .send()
                .await
                .unwrap();
            calls += 1;
            let page = page.campaigns_response().unwrap();
            resources += page.item().len();
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        let journeys = pinpoint.list_journeys().application_id(app).page_size("100").send().await.unwrap();
        calls += 1;
        resources += journeys.journeys_response().unwrap().item().len();
    }
    let listing = started.elapsed();
    println!(
        "  listing pass     {} calls, {} resources in {:.2} s ({:.0} calls/s, sequential, one client)",
        calls,
        resources,
        listing.as_secs_f64(),
        calls as f64 / listing.as_secs_f64()
    );

    // One project's export job: endpoints written to S3 as gzipped JSON lines.
    let started = Instant::now();
    let job = pinpoint
        .create_export_job()
        .application_id(&app_ids[0])
        .export_job_request(
            aws_sdk_pinpoint::types::ExportJobRequest::builder()
                .role_arn("arn:aws:iam::777777777777:role/x")
                .s3_url_prefix("s3://bpo-exports/bench/")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let job_id = job.export_job_response().unwrap().id().unwrap().to_owned();
    let processed = loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let state = pinpoint.get_export_job().application_id(&app_ids[0]).job_id(&job_id).send().await.unwrap();
        let state = state.export_job_response().unwrap();
        if state.job_status().map(|s| s.as_str()) == Some("COMPLETED") {
            break state.total_processed().unwrap_or(0);
        }
    };
    let export = started.elapsed();
    println!(
        "  export job       {processed} endpoints in {:.2} s including the 0.3 s job delay ({:.0} endpoints/s)",
        export.as_secs_f64(),
        processed as f64 / (export.as_secs_f64() - 0.3).max(0.001)
    );
    println!("  resident memory  {} at the end", rss_kib());
    sandbox.stop().await;
}
