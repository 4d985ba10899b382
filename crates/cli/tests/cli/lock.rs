//! One writer at a time: a scan holds the engagement's lease, a second scan (another CLI, or the desktop
//! through core's API) is refused naming the holder, and a holder killed with SIGKILL is taken over — at
//! once when asked, or by anyone once its lease lapses.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use pinshift_core::ErrorCode;
use pinshift_core::clock::SystemClock;
use pinshift_core::engagement::Engagement;
use pinshift_core::scan::request::ScanRequest;
use pinshift_core::secrets::MemoryStore;

use super::{Northwind, stderr};

/// `pinshift scan` as a child process the test can kill, with `lease_seconds` for its lease.
fn spawn_scan(northwind: &Northwind, lease_seconds: u32) -> Child {
    let dir = northwind.dir.path();
    Command::new(assert_cmd::cargo::cargo_bin("pinshift"))
        .args(["scan", "--region", "us-east-1", "--region", "eu-west-1", "--concurrency", "2"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env("AWS_CONFIG_FILE", dir.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("aws-credentials"))
        .env("PINSHIFT_ENGAGEMENT", dir.join("e.pinshift"))
        .env("PINSHIFT_LEASE_SECONDS", lease_seconds.to_string())
        .env("AWS_ENDPOINT_URL", northwind.sandbox.endpoint())
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_REGION")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn")
}

fn engagement(northwind: &Northwind) -> Engagement {
    Engagement::open(&northwind.dir.path().join("e.pinshift"), &SystemClock).expect("open")
}

/// Waits until some process holds the lease; returns its pid.
fn wait_for_holder(northwind: &Northwind) -> u32 {
    let started = Instant::now();
    loop {
        if let Some(holder) = engagement(northwind).lease_holder().expect("holder") {
            return holder.pid;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "nobody took the lease");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_second_cli_scan_is_refused_naming_the_first_and_a_killed_holder_lapses() {
    let northwind = Northwind::start(Some("latency_ms=40..60"));
    let mut first = spawn_scan(&northwind, 2);
    let pid = wait_for_holder(&northwind);
    assert_eq!(pid, first.id(), "the running scan holds the lease");

    let second = northwind.cmd().args(["scan", "--region", "us-east-1"]).output().expect("second");
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    let said = stderr(&second);
    assert!(said.contains("is busy") && said.contains(&format!("pinshift scan (pid {pid} on ")), "{said}");
    assert!(said.contains("--take-over"), "the hint says how to go on: {said}");
    assert!(engagement(&northwind).list_scans().expect("scans").len() <= 1, "the refused scan wrote nothing");

    first.kill().expect("kill -9");
    first.wait().expect("reaped");
    northwind.sandbox.state.faults.set(pinshift_sandbox::limits::FaultProfile::default());
    // The killed holder's row stays until its lease lapses (2 s here); then anyone may write.
    let holder = engagement(&northwind).lease_holder().expect("holder").expect("left behind");
    assert_eq!(holder.pid, pid);
    std::thread::sleep(Duration::from_millis(2500));
    let after = northwind.cmd().args(["scan", "--region", "us-east-1"]).output().expect("after");
    assert_eq!(after.status.code(), Some(0), "a lapsed lease is taken without asking: {}", stderr(&after));
    assert_eq!(engagement(&northwind).lease_holder().expect("holder"), None, "released when the scan ended");
}

#[test]
fn the_desktop_and_the_cli_cannot_scan_one_engagement_at_once() {
    let northwind = Northwind::start(Some("latency_ms=40..60"));
    let desktop = engagement(&northwind);
    let request = ScanRequest { regions: vec!["us-east-1".into()], ..ScanRequest::default() };
    // What the desktop's start_scan command does first: core checks the request and takes the lease.
    let prepare = |request: &ScanRequest| {
        desktop.prepare_scan(
            request,
            "Pinshift desktop: scan",
            &MemoryStore::default(),
            Arc::new(SystemClock),
            Arc::new(AtomicBool::new(false)),
        )
    };

    let prepared = prepare(&request).expect("the desktop takes the lease");
    let cli = northwind.cmd().args(["scan", "--region", "us-east-1"]).output().expect("cli");
    assert_eq!(cli.status.code(), Some(1));
    assert!(
        stderr(&cli).contains(&format!("Pinshift desktop: scan (pid {} on ", std::process::id())),
        "{}",
        stderr(&cli)
    );
    drop(prepared);
    northwind.sandbox.state.faults.set(pinshift_sandbox::limits::FaultProfile::default());
    let cli = northwind.cmd().args(["scan", "--region", "us-east-1"]).output().expect("cli");
    assert_eq!(cli.status.code(), Some(0), "free once the desktop's scan ended: {}", stderr(&cli));

    // And the other way round: while a CLI scan runs, the desktop is refused with the code it branches on.
    northwind.sandbox.state.faults.set("latency_ms=40..60".parse().expect("faults"));
    let mut running = spawn_scan(&northwind, 30);
    let pid = wait_for_holder(&northwind);
    let refused = prepare(&request).expect_err("busy");
    assert_eq!(refused.code(), ErrorCode::Locked);
    assert!(refused.to_string().contains(&format!("pinshift scan (pid {pid} on ")), "{refused}");
    // Killed with its lease fresh: taking over is the person's call, and then it works at once.
    running.kill().expect("kill -9");
    running.wait().expect("reaped");
    let taken = prepare(&ScanRequest { take_over: true, ..request.clone() }).expect("taken over");
    assert_eq!(taken.took_over_from().map(|h| h.pid), Some(pid), "it says whose lease it took");
}
