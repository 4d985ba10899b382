//! Sandbox throughput: requests per second served for Pinpoint list/get calls with faults and quotas off,
//! driven by the official SDK over loopback from the same process (so the figure includes the client's
//! signing and parsing on the same 2 cores: a conservative number). Prints figures; asserts nothing.
//!
//! `cargo bench -p pinshift-sandbox --bench throughput [-- SECONDS CONCURRENCY]`

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use pinshift_sandbox::{Estate, RunningSandbox};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().filter(|a| !a.starts_with("--")).collect();
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5);
    let concurrency: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(32);

    let sandbox = RunningSandbox::start(Estate::load("sample").unwrap(), 0).await.unwrap();
    sandbox.state.quotas.set_enabled(false);
    let config = sandbox.sdk_config("AKIASANDBOXBPO000001", "sandbox/bpo/secret/key/00000000000000001").await;
    let pinpoint = aws_sdk_pinpoint::Client::new(&config);
    let apps = pinpoint.get_apps().send().await.unwrap();
    let app_ids: Vec<String> =
        apps.applications_response().unwrap().item().iter().filter_map(|a| a.id().map(str::to_owned)).collect();

    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (pinpoint, app_ids, done, failed) = (pinpoint.clone(), app_ids.clone(), done.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = worker;
            while Instant::now() < deadline {
                let app = &app_ids[i % app_ids.len()];
                let t = Instant::now();
                let ok = match i % 4 {
                    0 => pinpoint.get_segments().application_id(app).send().await.is_ok(),
                    1 => pinpoint.get_campaigns().application_id(app).send().await.is_ok(),
                    2 => pinpoint.get_app().application_id(app).send().await.is_ok(),
                    _ => pinpoint.list_templates().send().await.is_ok(),
                };
                latencies.push(t.elapsed());
                if ok {
                    done.fetch_add(1, Ordering::Relaxed)
                } else {
                    failed.fetch_add(1, Ordering::Relaxed)
                };
                i += concurrency;
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let pct =
        |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)].as_secs_f64() * 1000.0;
    let ok = done.load(Ordering::Relaxed);
    println!("sandbox throughput (Pinpoint GetSegments/GetCampaigns/GetApp/ListTemplates, faults and quotas off)");
    println!("  concurrency      {concurrency}");
    println!("  duration         {elapsed:.1} s");
    println!("  requests         {ok} ok, {} failed", failed.load(Ordering::Relaxed));
    println!("  throughput       {:.0} requests/s", ok as f64 / elapsed);
    println!("  latency          p50 {:.2} ms, p99 {:.2} ms", pct(0.50), pct(0.99));
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM")) {
        println!("  peak memory      {} (server and client in one process)", line.trim_start_matches("VmHWM:").trim());
    }
    sandbox.stop().await;
}
