//! Audience profiling against the sandbox's demo estate: an export job per project into the account's
//! bucket, streamed back from S3, compared with the endpoints the sandbox holds.

use std::collections::{BTreeMap, HashMap, HashSet};

use pinshift_aws::source::pinpoint::PinpointReader;
use pinshift_core::clock::SystemClock;
use pinshift_core::engagement::Engagement;
use pinshift_core::estate::{ResourceKind, ScanStatus};
use pinshift_core::scan::audience::{AttributeType, AudienceProfile, ExportSettings, profile};
use pinshift_core::scan::{ScanOptions, ScanTarget, Silent, scan};
use pinshift_sandbox::{Estate, RunningSandbox};

#[tokio::test]
async fn each_projects_audience_is_profiled_from_a_streamed_export() {
    let estate = Estate::load("demo").expect("estate");
    let sandbox = RunningSandbox::start(estate.clone(), 0).await.expect("start");
    let northwind = estate.accounts.iter().find(|a| a.name == "northwind").expect("northwind");
    let config = sandbox.sdk_config(&northwind.access_key_id, &northwind.secret_access_key).await;
    let reader = PinpointReader::new(HashMap::from([("northwind".to_owned(), config)]), 1_795_392_000);
    let target = ScanTarget {
        connection: "northwind".into(),
        account_id: northwind.account_id.clone(),
        region: "us-east-1".into(),
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let engagement = Engagement::create(&dir.path().join("e.pinshift"), None, &SystemClock).expect("create");
    let settings = ExportSettings {
        bucket: "northwind-pinshift-exports".into(),
        prefix: "audits".into(),
        role_arn: "arn:aws:iam::444444444444:role/PinpointExport".into(),
    };
    let options = ScanOptions { audience: Some(settings), ..ScanOptions::default() };
    let inventory = scan(&engagement, &reader, &[target], &options, &SystemClock, &Silent).await.expect("inventory");
    let summary = profile(&engagement, &reader, &inventory.id, &options, &SystemClock, &Silent).await.expect("profile");
    assert_eq!(summary.status, ScanStatus::Complete, "{:?}", engagement.scan_issues(&summary.id));

    let records = engagement.scan_records(&summary.id, Some(ResourceKind::AudienceProfile)).expect("records");
    let projects = engagement.scan_records(&summary.id, Some(ResourceKind::Project)).expect("projects");
    assert_eq!(records.len(), projects.len(), "one profile per project");

    // Ground truth: the endpoints the sandbox holds, read from its state rather than through an export.
    let scope = pinshift_sandbox::services::pinpoint::Scope {
        account_id: northwind.account_id.clone(),
        region: "us-east-1".into(),
        now: "2026-11-23T00:00:00.000Z".into(),
    };
    let mut addresses: HashMap<String, HashSet<String>> = HashMap::new();
    for record in &records {
        let got: AudienceProfile = serde_json::from_value(record.raw.clone()).expect("profile");
        let name = projects.iter().find(|p| p.id == record.project_id).and_then(|p| p.name.clone()).expect("name");
        let mut world = sandbox.state.world();
        let app = world.pinpoint.app(&scope, &record.project_id).expect("app");
        let endpoints: Vec<serde_json::Value> = app.endpoints.all(&record.project_id, &scope.now).collect();
        let mut channels: BTreeMap<String, u64> = BTreeMap::new();
        for e in &endpoints {
            *channels.entry(e["ChannelType"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
            let address = e["Address"].as_str().unwrap_or_default();
            let address = if e["ChannelType"] == "EMAIL" { address.to_lowercase() } else { address.to_owned() };
            addresses.entry(address).or_default().insert(record.project_id.clone());
        }
        let count = |test: &dyn Fn(&serde_json::Value) -> bool| endpoints.iter().filter(|e| test(e)).count() as u64;
        assert_eq!(got.endpoints, endpoints.len() as u64, "{name}");
        assert_eq!(got.channels.iter().map(|(c, n)| (c.clone(), n.endpoints)).collect::<BTreeMap<_, _>>(), channels);
        assert_eq!(got.opted_out, count(&|e| e["OptOut"] == "ALL"), "{name}");
        assert_eq!(got.without_user_id, count(&|e| e["User"]["UserId"].as_str().is_none_or(str::is_empty)), "{name}");
        assert!(got.export.objects >= 1 && got.export.bytes > 0, "{name}: {:?}", got.export);
        assert!(got.export.location.starts_with("s3://northwind-pinshift-exports/audits/pinshift-"), "{name}");
        let interests = got.attributes.iter().find(|a| a.name == "interests").expect("interests");
        assert!(interests.multi_valued > 0 && interests.max_values > 1, "{name}: {interests:?}");
        let tier = got.attributes.iter().find(|a| a.name == "tier").expect("tier");
        assert_eq!((tier.kind, tier.filled), (AttributeType::String, got.endpoints), "{name}");
        assert_eq!(got.compared_projects as usize, records.len());
    }

    // Addresses other projects also have, per pair, as the sandbox's endpoints say.
    let mut expected: HashMap<String, BTreeMap<String, u64>> = HashMap::new();
    for projects in addresses.values().filter(|p| p.len() > 1) {
        for a in projects {
            for b in projects.iter().filter(|b| *b != a) {
                *expected.entry(a.clone()).or_default().entry(b.clone()).or_default() += 1;
            }
        }
    }
    assert!(!expected.is_empty(), "the demo shares some addresses between clients");
    for record in &records {
        let got: AudienceProfile = serde_json::from_value(record.raw.clone()).expect("profile");
        assert_eq!(got.shared_with, expected.get(&record.project_id).cloned().unwrap_or_default());
    }
    // No endpoint reached the engagement file: none of these addresses is in it or its WAL.
    let mut stored = std::fs::read(dir.path().join("e.pinshift")).expect("file");
    stored.extend(std::fs::read(dir.path().join("e.pinshift-wal")).unwrap_or_default());
    let stored = String::from_utf8_lossy(&stored);
    let sample: Vec<&String> = addresses.keys().filter(|a| a.len() > 6).take(500).collect();
    assert!(sample.len() == 500 && !sample.iter().any(|a| stored.contains(a.as_str())), "no address is stored");
    let calls = sandbox.state.calls();
    assert!(!calls.iter().any(|c| c.operation == "GetEndpoint" || c.operation.starts_with("Update")), "read-only");
    sandbox.stop().await;
}
