//! A rehearsal: the demo scanned, written back as a sandbox estate (core's `rehearsal_estate`), served, and
//! scanned again: the second scan finds the customer's estate as the first read it.

use std::collections::BTreeMap;

use pinshift_core::clock::SystemClock;
use pinshift_core::engagement::Engagement;
use pinshift_core::estate::ResourceKind;

use super::{Northwind, pinshift, stderr};

/// What a scan found, by kind: the names (or ids where a resource has no name) it read.
fn inventory(path: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    let engagement = Engagement::open(path, &SystemClock).expect("engagement");
    let scan = engagement.newest_finished_scan().expect("scan");
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in engagement.scan_records(&scan, None).expect("records") {
        let label = match r.kind {
            ResourceKind::Kpi
            | ResourceKind::JourneyMetrics
            | ResourceKind::ImportJob
            | ResourceKind::ExportJob
            | ResourceKind::CampaignActivity => continue,
            ResourceKind::Pool => format!("pool of {}", r.raw["OriginationIdentities"].as_array().map_or(0, Vec::len)),
            // Ids AWS minted (the sandbox mints new ones): compared by their settings, not their ids.
            ResourceKind::ProjectSettings => format!("quiet time {}", r.raw["QuietTime"]),
            ResourceKind::EventStream => r.raw["DestinationStreamArn"].as_str().unwrap_or_default().to_owned(),
            ResourceKind::Channel | ResourceKind::EmailIdentity | ResourceKind::OptOutList => r.id.clone(),
            ResourceKind::SegmentVersion | ResourceKind::CampaignVersion | ResourceKind::TemplateVersion => {
                format!("{} v{}", r.name.clone().unwrap_or_default(), r.version)
            }
            _ => r.name.clone().unwrap_or_else(|| r.id.clone()),
        };
        out.entry(format!("{:?}", r.kind)).or_default().push(label);
    }
    for names in out.values_mut() {
        names.sort();
    }
    out
}

#[test]
fn a_scan_written_back_as_an_estate_serves_what_the_scan_read() {
    let northwind = Northwind::start(None);
    let scan = northwind.cmd().args(["scan", "--region", "us-east-1"]).output().expect("scan");
    assert_eq!(scan.status.code(), Some(0), "{}", stderr(&scan));
    let original = northwind.dir.path().join("e.pinshift");
    let engagement = Engagement::open(&original, &SystemClock).expect("engagement");
    let estate = engagement.rehearsal_estate(None).expect("rehearsal estate").to_string();
    let estate = pinshift_sandbox::Estate::parse("rehearsal", &estate).expect("the sandbox takes the estate");

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let rehearsal = runtime.block_on(pinshift_sandbox::RunningSandbox::start(estate, 0)).expect("rehearsal sandbox");
    let dir = tempfile::tempdir().expect("tempdir");
    let (key, secret) = pinshift_core::rehearsal::account_keys(1);
    std::fs::write(dir.path().join("aws-config"), "[profile rehearsal]\nregion = us-east-1\n").expect("config");
    std::fs::write(
        dir.path().join("aws-credentials"),
        format!("[rehearsal]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"),
    )
    .expect("credentials");
    let cmd = || {
        let mut cmd = pinshift(dir.path());
        cmd.env("PINSHIFT_ENGAGEMENT", dir.path().join("r.pinshift")).env("AWS_ENDPOINT_URL", rehearsal.endpoint());
        cmd
    };
    pinshift(dir.path()).args(["init", "r.pinshift"]).assert().success();
    cmd().args(["connection", "add", "rehearsal", "--profile", "rehearsal"]).assert().success();
    let again = cmd().args(["scan", "--region", "us-east-1"]).output().expect("scan");
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));

    let (before, after) = (inventory(&original), inventory(&dir.path().join("r.pinshift")));
    for kind in [
        "Project",
        "ProjectSettings",
        "Channel",
        "Segment",
        "Campaign",
        "Journey",
        "Template",
        "TemplateVersion",
        "Recommender",
        "EmailIdentity",
        "EmailConfigurationSet",
        "PhoneNumber",
        "SenderId",
        "Pool",
        "OptOutList",
        "SmsConfigurationSet",
        "EventStream",
        "SegmentVersion",
        "CampaignVersion",
    ] {
        assert_eq!(before.get(kind), after.get(kind), "{kind}: the rehearsal serves what the scan read");
    }
    runtime.block_on(rehearsal.stop());
    northwind.stop();
}
