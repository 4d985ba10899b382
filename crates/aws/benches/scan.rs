//! Scan speed: the live Pinpoint reader and the scan engine against a sandbox serving a generated estate
//! (100 projects × 200 resources by default), faults and quotas off. Prints figures; asserts nothing.
//!
//! `cargo bench -p pinshift-aws --bench scan [-- PROJECTS RESOURCES CONCURRENCY]`

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::Instant;

use pinshift_aws::pinpoint::PinpointReader;
use pinshift_core::clock::SystemClock;
use pinshift_core::engagement::Engagement;
use pinshift_core::scan::{ScanOptions, ScanTarget, Silent, scan};
use pinshift_sandbox::RunningSandbox;
use pinshift_sandbox::generate::{Shape, generate};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().filter(|a| !a.starts_with("--")).collect();
    let number = |i: usize, default: u64| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let shape =
        Shape { projects: number(1, 100) as usize, resources: number(2, 200) as usize, endpoints: 100_000, seed: 1 };
    let concurrency = number(3, 8) as usize;

    let sandbox = RunningSandbox::start(generate(&shape), 0).await.unwrap();
    sandbox.state.quotas.set_enabled(false);
    let config = sandbox.sdk_config("AKIAGENERATEDBPO0001", "generated/bpo/secret/key/0000000000000001").await;
    let reader = PinpointReader::new(HashMap::from([("bpo".to_owned(), config)]), 1_795_392_000);
    let dir = tempfile::tempdir().unwrap();
    let engagement = Engagement::create(&dir.path().join("bench.pinshift"), None, &SystemClock).unwrap();
    let targets =
        [ScanTarget { connection: "bpo".into(), account_id: "777777777777".into(), region: "us-east-1".into() }];
    let options = ScanOptions { concurrency, ..ScanOptions::default() };

    let started = Instant::now();
    let summary = scan(&engagement, &reader, &targets, &options, &SystemClock, &Silent).await.unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let calls = sandbox.state.calls().len();
    let size = std::fs::metadata(dir.path().join("bench.pinshift")).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(dir.path().join("bench.pinshift-wal")).map(|m| m.len()).unwrap_or(0);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        .unwrap_or_default();
    println!(
        "scan of a generated estate: {} projects x {} resources, concurrency {concurrency}",
        shape.projects, shape.resources
    );
    println!("  status           {}", summary.status);
    println!("  time             {elapsed:.2} s");
    println!("  API calls        {calls} ({:.0} calls/s)", calls as f64 / elapsed);
    println!("  resources stored {} ({:.0} resources/s)", summary.resources, f64::from(summary.resources) / elapsed);
    println!("  engagement file  {:.1} MiB", size as f64 / 1_048_576.0);
    println!("  peak memory      {peak} (sandbox, SDK client and scan in one process)");
    for issue in engagement.scan_issues(&summary.id).unwrap().iter().take(3) {
        println!("  issue            {} {}: {}", issue.operation, issue.code, issue.message);
    }
    sandbox.stop().await;
}
