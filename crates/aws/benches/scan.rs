//! Scan speed: the live Pinpoint reader and the scan engine against a sandbox serving a generated estate
//! (100 projects × 200 resources by default) with Pinpoint's quotas on and 20 ms added to every call, as
//! from a jump host to AWS. Prints the wall time against the lower bound those impose, and peak memory;
//! asserts nothing.
//!
//! The lower bound is the larger of: every call's latency spread over the reads in flight, and, for the
//! busiest operation, its calls beyond one second's burst at its published rate.
//!
//! `cargo bench -p pinshift-aws --bench scan [-- PROJECTS RESOURCES CONCURRENCY LATENCY_MS]`

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::Instant;

use pinshift_aws::source::pace::pinpoint_rate;
use pinshift_aws::source::pinpoint::PinpointReader;
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
    let concurrency = number(3, 32) as usize;
    let latency = number(4, 20);

    let faults = format!("latency_ms={latency}").parse().unwrap();
    let sandbox = RunningSandbox::start_with(generate(&shape), 0, faults).await.unwrap();
    let config = sandbox.sdk_config("AKIAGENERATEDBPO0001", "generated/bpo/secret/key/0000000000000001").await;
    let reader =
        PinpointReader::new(HashMap::from([("bpo".to_owned(), config)]), 1_795_392_000).with_concurrency(concurrency);
    let dir = tempfile::tempdir().unwrap();
    let engagement = Engagement::create(&dir.path().join("bench.pinshift"), None, &SystemClock).unwrap();
    let targets =
        [ScanTarget { connection: "bpo".into(), account_id: "777777777777".into(), region: "us-east-1".into() }];
    // As the CLI runs it: four units in flight per request in flight.
    let options = ScanOptions { concurrency: concurrency * 4, ..ScanOptions::default() };

    let started = Instant::now();
    let summary = scan(&engagement, &reader, &targets, &options, &SystemClock, &Silent).await.unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let log = sandbox.state.calls();
    let calls = log.len();
    let throttled = log.iter().filter(|c| c.status == 429).count();
    let mut per_operation: HashMap<&str, usize> = HashMap::new();
    for call in log.iter().filter(|c| c.service == "mobiletargeting") {
        *per_operation.entry(call.operation.as_str()).or_default() += 1;
    }
    let (busiest, busiest_calls) = per_operation.iter().max_by_key(|(_, n)| **n).map(|(o, n)| (*o, *n)).unwrap();
    let rate_bound = per_operation
        .iter()
        .map(|(op, n)| (*n as f64 - pinpoint_rate(op)).max(0.0) / pinpoint_rate(op))
        .fold(0.0, f64::max);
    let latency_bound = calls as f64 * latency as f64 / 1000.0 / concurrency as f64;
    let bound = rate_bound.max(latency_bound);
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
    println!(
        "  lower bound      {bound:.2} s (latency {latency} ms over {concurrency} in flight: {latency_bound:.2} s; \
         quotas: {rate_bound:.2} s, busiest {busiest} with {busiest_calls} calls)"
    );
    println!("  ratio            {:.2}x the lower bound", elapsed / bound);
    println!("  throttled        {throttled} calls answered 429");
    let mut busiest: Vec<(&str, usize)> = per_operation.into_iter().collect();
    busiest.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let top: Vec<String> = busiest.iter().take(8).map(|(op, n)| format!("{op} {n}")).collect();
    println!("  busiest          {}", top.join(", "));
    println!("  API calls        {calls} ({:.0} calls/s)", calls as f64 / elapsed);
    println!("  resources stored {} ({:.0} resources/s)", summary.resources, f64::from(summary.resources) / elapsed);
    println!("  engagement file  {:.1} MiB", size as f64 / 1_048_576.0);
    println!("  peak memory      {peak} (sandbox, SDK client and scan in one process)");
    for issue in engagement.scan_issues(&summary.id).unwrap().iter().take(3) {
        println!("  issue            {} {}: {}", issue.operation, issue.code, issue.message);
    }
    sandbox.stop().await;
}
