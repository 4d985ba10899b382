//! The live readers against the sandbox through the real SDK clients.

use std::collections::HashMap;

mod audience;
mod truth;

use pinshift_aws::source::pinpoint::PinpointReader;
use pinshift_core::estate::ResourceKind;
use pinshift_core::scan::{PinpointSource, ScanTarget};
use pinshift_sandbox::{Estate, RunningSandbox};

async fn reader(sandbox: &RunningSandbox) -> PinpointReader {
    let config = sandbox.sdk_config("AKIASANDBOXBPO000001", "sandbox/bpo/secret/key/00000000000000001").await;
    PinpointReader::new(HashMap::from([("bpo".to_owned(), config)]), 1_795_392_000)
}

fn target(region: &str) -> ScanTarget {
    ScanTarget { connection: "bpo".into(), account_id: "333333333333".into(), region: region.into() }
}

#[tokio::test]
async fn region_reads_keep_every_payload_as_aws_sent_it() {
    let sandbox = RunningSandbox::start(Estate::load("sample").expect("estate"), 0).await.expect("start");
    let reader = reader(&sandbox).await;
    let mut read = reader.read_region(&target("us-east-1")).await;
    let account = reader.read_account(&target("us-east-1")).await;
    read.records.extend(account.records);
    read.issues.extend(account.issues);
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    let count = |kind| read.records.iter().filter(|r| r.kind == kind).count();
    assert_eq!(count(ResourceKind::Project), 3);
    assert_eq!(count(ResourceKind::Template), 6);
    assert_eq!(count(ResourceKind::TemplateVersion), 7, "acme-welcome has two versions");
    assert_eq!(count(ResourceKind::Recommender), 1);
    assert_eq!(count(ResourceKind::PhoneNumber), 3);
    let project = read.records.iter().find(|r| r.kind == ResourceKind::Project).expect("project");
    assert!(
        project.raw["Arn"]
            .as_str()
            .is_some_and(|a| a.starts_with("arn:aws:mobiletargeting:us-east-1:333333333333:apps/"))
    );
    let welcome = read
        .records
        .iter()
        .find(|r| {
            r.kind == ResourceKind::TemplateVersion && r.name.as_deref() == Some("acme-welcome") && r.version == "2"
        })
        .expect("version 2");
    assert!(welcome.raw["HtmlPart"].as_str().is_some_and(|h| h.contains("Recommendations.Title")));
    sandbox.stop().await;
}

#[tokio::test]
async fn a_missing_event_stream_is_absence_not_an_issue() {
    let sandbox = RunningSandbox::start(Estate::load("sample").expect("estate"), 0).await.expect("start");
    let reader = reader(&sandbox).await;
    let region = reader.read_region(&target("us-east-1")).await;
    let globex = region.records.iter().find(|r| r.name.as_deref() == Some("globex-bank")).expect("globex");
    let read = reader.read_project(&target("us-east-1"), &globex.id).await;
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    assert!(!read.records.iter().any(|r| r.kind == ResourceKind::EventStream));
    assert_eq!(read.records.iter().filter(|r| r.kind == ResourceKind::Channel).count(), 2, "SMS and VOICE");
    sandbox.stop().await;
}

/// A full scan of the demo estate calls nothing the read-only policy does not allow.
#[tokio::test]
async fn every_call_a_scan_makes_is_in_the_read_only_policy() {
    use pinshift_core::clock::SystemClock;
    use pinshift_core::engagement::Engagement;
    use pinshift_core::scan::{ScanOptions, Silent, scan};

    let sandbox = RunningSandbox::start(Estate::load("demo").expect("estate"), 0).await.expect("start");
    let config = sandbox.sdk_config("AKIADEMONORTHWIND001", "demo/northwind/secret/key/00000000000001").await;
    let reader = PinpointReader::new(HashMap::from([("northwind".to_owned(), config)]), 1_795_392_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let engagement = Engagement::create(&dir.path().join("e.pinshift"), None, &SystemClock).expect("create");
    let targets =
        [ScanTarget { connection: "northwind".into(), account_id: "444444444444".into(), region: "us-east-1".into() }];
    scan(&engagement, &reader, &targets, &ScanOptions::default(), &SystemClock, &Silent).await.expect("scan");

    let allowed = pinshift_core::policy::SCAN_ACTIONS;
    let mut called: Vec<String> = sandbox
        .state
        .calls()
        .iter()
        .map(|c| format!("{}:{}", if c.service == "ses" { "ses" } else { c.service.as_str() }, c.operation))
        .collect();
    called.sort();
    called.dedup();
    assert!(called.len() > 20, "{called:?}");
    for action in &called {
        assert!(allowed.contains(&action.as_str()), "the scan called {action}, which the policy does not allow");
    }
    sandbox.stop().await;
}

/// The dump reader's list of timestamp members is the botocore models' list for SMS v2 and SES v2.
#[test]
fn the_dump_readers_timestamp_members_are_the_models() {
    let models = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../sandbox/models");
    let mut members = std::collections::BTreeSet::new();
    for file in ["pinpoint-sms-voice-v2-2022-03-31.json", "sesv2-2019-09-27.json"] {
        let model: serde_json::Value =
            serde_json::from_slice(&std::fs::read(models.join(file)).expect("model")).expect("json");
        let shapes = model["shapes"].as_object().expect("shapes");
        for shape in shapes.values().filter(|s| s["type"] == "structure") {
            for (name, member) in shape["members"].as_object().into_iter().flatten() {
                let target = member["shape"].as_str().unwrap_or_default();
                if shapes.get(target).is_some_and(|s| s["type"] == "timestamp") {
                    members.insert(name.clone());
                }
            }
        }
    }
    let listed: std::collections::BTreeSet<String> =
        pinshift_core::dump::WIRE_TIMESTAMPS.iter().map(|m| (*m).to_owned()).collect();
    assert_eq!(listed, members);
}
