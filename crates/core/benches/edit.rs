//! How long each reviewer's edit takes at 300 clients through core's API — the one call a desktop command
//! or CLI subcommand makes — on an engagement file holding the large BPO estate. The desktop runs these off
//! its UI thread; before, a synchronous command ran the same work on it (load the current blueprint, then
//! edit), so these figures are also how long the window froze then. `tests/desktop/bench-edit.mjs`
//! measures the window itself. Prints figures; asserts nothing.
//!
//! `cargo bench -p pinshift-core --bench edit` (`PINSHIFT_BENCH_ENGAGEMENT=path` keeps the file, e.g. for
//! the desktop measurement).

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::Instant;

use pinshift_core::blueprint::TenancyOverride;
use pinshift_core::blueprint::store::DecisionUpdate;
use pinshift_core::blueprint::tenancy::{ConnectTopology, ReputationPolicy};
use pinshift_core::clock::{FixedClock, rfc3339};
use pinshift_core::engagement::Engagement;
use pinshift_core::estate::ScanStatus;

#[path = "common/estate.rs"]
mod estate;

use estate::{CLIENTS, estate};

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let clock = FixedClock("2026-12-02T09:00:00Z".parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var_os("PINSHIFT_BENCH_ENGAGEMENT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("bench.pinshift"));
    let _ = std::fs::remove_file(&path);
    let engagement = Engagement::create(&path, Some("Bench BPO"), &clock).unwrap();
    let records = estate();
    let now = rfc3339(jiff::Timestamp::now());
    engagement.begin_scan("bench-scan", &now, &serde_json::json!({ "targets": [] })).unwrap();
    engagement.store_scan_results("bench-scan", "bench", &records, &[]).unwrap();
    engagement.finish_scan("bench-scan", &now, ScanStatus::Complete).unwrap();
    println!("engagement {}: {CLIENTS} clients, {} records", path.display(), records.len());

    let started = Instant::now();
    let (blueprint, _) = engagement.current_blueprint(None).unwrap();
    let load = ms(started);
    println!("load the current blueprint (what every edit checks against): {load:.0} ms");
    let client = blueprint.clients[7].client.clone();
    let decision = blueprint.decisions.iter().find(|d| d.client == client).unwrap().id.clone();
    let template =
        blueprint.assessment.attributions.iter().find(|a| a.clients.len() == 1).map(|a| a.resource.key()).unwrap();
    let other = blueprint.clients[8].client.clone();
    let project = blueprint.assessment.client(&client).unwrap().client.projects[0].key();

    type Edit<'a> = (&'a str, Box<dyn Fn() -> pinshift_core::Result<()> + 'a>);
    let edits: Vec<Edit> = vec![
        ("rename a client", Box::new(|| engagement.rename_client(&client, "Renamed Client Ltd", &clock))),
        (
            "override a tenancy (topology, reputation, tenant name)",
            Box::new(|| {
                engagement.set_tenancy(
                    &client,
                    TenancyOverride {
                        topology: Some(ConnectTopology::Dedicated),
                        reputation: Some(ReputationPolicy::Strict),
                        tenant_name: Some("renamed-tenant".into()),
                    },
                    &clock,
                )
            }),
        ),
        (
            "name a resource's owner",
            Box::new(|| engagement.attribute(&template, std::slice::from_ref(&other), false, &clock)),
        ),
        (
            "record a decision",
            Box::new(|| {
                let update = DecisionUpdate { owner: Some("Dana".into()), ..DecisionUpdate::default() };
                engagement.record_decision(&decision, update, "Ann Reviewer", &clock)
            }),
        ),
        (
            "move a project into another client",
            Box::new(|| engagement.assign_projects(&other, std::slice::from_ref(&project), &clock)),
        ),
        ("save a version", Box::new(|| engagement.save_blueprint("Ann Reviewer", "bench", &clock).map(|_| ()))),
    ];
    println!("{:<58} {:>9}", "edit (one core call, on a worker thread in the desktop)", "ms");
    let mut slowest = ("", 0.0f64);
    for (name, edit) in &edits {
        let started = Instant::now();
        edit().unwrap();
        let took = ms(started);
        if took > slowest.1 {
            slowest = (name, took);
        }
        println!("{name:<58} {took:>9.0}");
    }
    let started = Instant::now();
    engagement.current_blueprint(None).unwrap();
    println!("reload the blueprint the screen shows after an edit: {:.0} ms", ms(started));
    println!(
        "slowest edit: {} ({:.0} ms); a synchronous command held the UI thread for it plus the reload",
        slowest.0, slowest.1
    );
}
