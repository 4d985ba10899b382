//! The scan against ground truth: what the sandbox's demo estate declares, compared field by field with
//! what a scan stored — with every list answered two items at a time, so paging is exercised everywhere.

use std::collections::HashMap;

use pinshift_aws::source::pinpoint::PinpointReader;
use pinshift_core::clock::SystemClock;
use pinshift_core::diff::Change;
use pinshift_core::engagement::Engagement;
use pinshift_core::estate::{ResourceKind, ResourceRecord};
use pinshift_core::scan::{ScanOptions, ScanTarget, Silent, scan};
use pinshift_sandbox::{Estate, RunningSandbox};
use serde_json::Value;

/// Fields a request carries that AWS does not echo back (secrets, write-only switches).
const WRITE_ONLY: [&str; 13] = [
    "ApiKey",
    "Certificate",
    "PrivateKey",
    "TokenKey",
    "TokenKeyId",
    "TeamId",
    "BundleId",
    "ClientSecret",
    "ServiceJson",
    "DefaultAuthenticationMethod",
    "CloudWatchMetricsEnabled",
    "EventTaggingEnabled",
    "Versions",
];

#[derive(Default)]
struct Report {
    problems: Vec<String>,
    compared: usize,
}

impl Report {
    /// `found` holds the scanned versions of one declared resource, oldest first.
    fn check(&mut self, what: String, declared: &Value, found: Vec<&ResourceRecord>, expected: usize) {
        if found.len() != expected {
            self.problems.push(format!("{what}: declared {expected}, scanned {}", found.len()));
            return;
        }
        for (v, record) in found.iter().enumerate() {
            let want = versions(declared).get(v).cloned().unwrap_or_else(|| declared.clone());
            compare(&want, &record.raw, &what, &mut self.problems);
            self.compared += 1;
        }
    }
}

/// Every field of `declared` is in `scanned` with the same value (`{{…}}` references only need a value).
fn compare(declared: &Value, scanned: &Value, path: &str, problems: &mut Vec<String>) {
    match (declared, scanned) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want.iter().filter(|(k, _)| !WRITE_ONLY.contains(&k.as_str())) {
                match got.get(key) {
                    Some(found) => compare(value, found, &format!("{path}.{key}"), problems),
                    None => problems.push(format!("{path}.{key}: declared {value}, not in the scan")),
                }
            }
        }
        (Value::Array(want), Value::Array(got)) if want.len() == got.len() => {
            for (i, (w, g)) in want.iter().zip(got).enumerate() {
                compare(w, g, &format!("{path}[{i}]"), problems);
            }
        }
        (Value::String(reference), found) if reference.starts_with("{{") => {
            if found.as_str().is_none_or(str::is_empty) {
                problems.push(format!("{path}: the reference {reference} resolved to {found}"));
            }
        }
        (want, got) if want == got => {}
        // Pinpoint answers some numbers as strings and the other way round (e.g. `Version`).
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) if n.to_string() == *s => {}
        (want, got) => problems.push(format!("{path}: declared {want}, scanned {got}")),
    }
}

fn versions(item: &Value) -> Vec<Value> {
    item.get("Versions").and_then(Value::as_array).cloned().unwrap_or_else(|| vec![item.clone()])
}

fn find(
    records: &[ResourceRecord],
    kind: ResourceKind,
    test: impl Fn(&ResourceRecord) -> bool,
) -> Vec<&ResourceRecord> {
    let mut found: Vec<&ResourceRecord> = records.iter().filter(|r| r.kind == kind && test(r)).collect();
    found.sort_by_key(|r| r.version.parse::<u64>().unwrap_or(0));
    found
}

#[tokio::test]
async fn every_declared_resource_is_scanned_with_equal_content_across_pages() {
    let estate = Estate::load("demo").expect("estate");
    let faults = "short_pages=2".parse().expect("profile");
    let sandbox = RunningSandbox::start_with(estate.clone(), 0, faults).await.expect("start");
    let mut configs = HashMap::new();
    let mut targets = Vec::new();
    for account in estate.accounts.iter().filter(|a| !a.regions.is_empty()) {
        configs
            .insert(account.name.clone(), sandbox.sdk_config(&account.access_key_id, &account.secret_access_key).await);
        for region in &account.regions {
            targets.push(ScanTarget {
                connection: account.name.clone(),
                account_id: account.account_id.clone(),
                region: region.region.clone(),
            });
        }
    }
    let reader = PinpointReader::new(configs, 1_795_392_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let engagement = Engagement::create(&dir.path().join("e.pinshift"), None, &SystemClock).expect("create");
    let summary =
        scan(&engagement, &reader, &targets, &ScanOptions::default(), &SystemClock, &Silent).await.expect("scan");
    assert_eq!(summary.issues, 0, "{:?}", engagement.scan_issues(&summary.id));
    let records = engagement.scan_records(&summary.id, None).expect("records");
    let calls = sandbox.state.calls();
    let count = |operation: &str| calls.iter().filter(|c| c.operation == operation).count();
    // Each target answers GetApps and ListTemplates once per page: more calls than targets means paging.
    let (apps, templates) = (count("GetApps"), count("ListTemplates"));

    let mut report = Report::default();
    for account in &estate.accounts {
        for region in &account.regions {
            let here = |r: &ResourceRecord| r.account_id == account.account_id && r.region == region.region;
            let at = format!("{}/{}", account.name, region.region);

            for project in &region.projects {
                let Some(app) =
                    find(&records, ResourceKind::Project, |r| here(r) && r.name.as_deref() == Some(&project.name))
                        .first()
                        .copied()
                else {
                    report.problems.push(format!("{at}: project {} not scanned", project.name));
                    continue;
                };
                let in_app = |r: &ResourceRecord| here(r) && r.project_id == app.id;
                let p = format!("{at}/{}", project.name);
                let mut declared = serde_json::json!({ "Name": project.name });
                if !project.tags.is_empty() {
                    declared["tags"] = Value::Object(project.tags.clone());
                }
                report.check(p.clone(), &declared, vec![app], 1);
                if let Some(settings) = &project.settings {
                    report.check(
                        format!("{p}.settings"),
                        settings,
                        find(&records, ResourceKind::ProjectSettings, in_app),
                        1,
                    );
                }
                // The SES identity an email channel sends from is read with it.
                if let Some(identity) = project.channels.get("EMAIL").and_then(|c| c["Identity"].as_str()) {
                    let name = identity.rsplit('/').next().unwrap_or_default();
                    if find(&records, ResourceKind::EmailIdentity, |r| here(r) && r.id == name).is_empty() {
                        report.problems.push(format!("{p}: the email channel's identity {name} was not scanned"));
                    }
                }
                for (platform, request) in &project.channels {
                    let found = find(&records, ResourceKind::Channel, |r| in_app(r) && r.id == *platform);
                    report.check(format!("{p}.channels.{platform}"), request, found, 1);
                }
                for (kind, listed, items) in [
                    (ResourceKind::SegmentVersion, ResourceKind::Segment, &project.segments),
                    (ResourceKind::CampaignVersion, ResourceKind::Campaign, &project.campaigns),
                ] {
                    for item in items {
                        let name = versions(item)[0]["Name"].as_str().unwrap_or_default().to_owned();
                        let latest = versions(item).last().cloned().unwrap_or_default();
                        let name = latest["Name"].as_str().map(str::to_owned).unwrap_or(name);
                        let head = find(&records, listed, |r| in_app(r) && r.name.as_deref() == Some(&name));
                        let Some(head) = head.first() else {
                            report.problems.push(format!("{p}: {} {name} not scanned", listed.as_str()));
                            continue;
                        };
                        let count = versions(item).len();
                        let found = find(&records, kind, |r| in_app(r) && r.id == head.id);
                        report.check(format!("{p}.{}.{name}", kind.as_str()), item, found, count);
                    }
                }
                for journey in &project.journeys {
                    let name = journey["Name"].as_str().unwrap_or_default();
                    let found = find(&records, ResourceKind::Journey, |r| in_app(r) && r.name.as_deref() == Some(name));
                    report.check(format!("{p}.journeys.{name}"), journey, found, 1);
                }
                if let Some(stream) = &project.event_stream {
                    report.check(
                        format!("{p}.event_stream"),
                        stream,
                        find(&records, ResourceKind::EventStream, in_app),
                        1,
                    );
                }
                for (kind, jobs) in
                    [(ResourceKind::ImportJob, &project.import_jobs), (ResourceKind::ExportJob, &project.export_jobs)]
                {
                    let found = find(&records, kind, in_app);
                    if found.len() < jobs.len() {
                        report.problems.push(format!(
                            "{p}: {} {}s declared, {} scanned",
                            jobs.len(),
                            kind.as_str(),
                            found.len()
                        ));
                    }
                }
            }

            for template in &region.templates {
                let id = format!("{}/{}", template.kind, template.name);
                let found = find(&records, ResourceKind::TemplateVersion, |r| here(r) && r.id == id);
                let declared = serde_json::json!({ "Versions": template.versions });
                report.check(format!("{at}.templates.{id}"), &declared, found, template.versions.len());
            }
            for recommender in &region.recommenders {
                let name = recommender["Name"].as_str().unwrap_or_default();
                let found = find(&records, ResourceKind::Recommender, |r| here(r) && r.name.as_deref() == Some(name));
                report.check(format!("{at}.recommenders.{name}"), recommender, found, 1);
            }
            let sms = &region.sms;
            for list in &sms.opt_out_lists {
                let name = list["OptOutListName"].as_str().unwrap_or_default();
                let found = find(&records, ResourceKind::OptOutList, |r| here(r) && r.id == name);
                let count = list["OptedOutNumbers"].as_array().map_or(0, Vec::len) as u64
                    + list["GeneratedOptOuts"].as_u64().unwrap_or(0);
                let declared = serde_json::json!({ "OptOutListName": name, "OptedOutCount": count });
                report.check(format!("{at}.sms.opt_out_lists.{name}"), &declared, found, 1);
            }
            for sender in &sms.sender_ids {
                let id = sender["SenderId"].as_str().unwrap_or_default();
                let found = find(&records, ResourceKind::SenderId, |r| here(r) && r.raw["SenderId"] == id);
                let declared = serde_json::json!({ "SenderId": id, "IsoCountryCode": sender["IsoCountryCode"] });
                report.check(format!("{at}.sms.sender_ids.{id}"), &declared, found, 1);
            }
            for set in &sms.configuration_sets {
                let name = set["ConfigurationSetName"].as_str().unwrap_or_default();
                let found = find(&records, ResourceKind::SmsConfigurationSet, |r| {
                    here(r) && r.raw["ConfigurationSetName"] == name
                });
                let destinations = set["EventDestinations"].as_array().map_or(0, Vec::len);
                let declared = serde_json::json!({ "ConfigurationSetName": name });
                report.check(format!("{at}.sms.configuration_sets.{name}"), &declared, found.clone(), 1);
                if let Some(set) = found.first()
                    && set.raw["EventDestinations"].as_array().map_or(0, Vec::len) != destinations
                {
                    report.problems.push(format!(
                        "{at}.sms.configuration_sets.{name}: {destinations} event destinations declared"
                    ));
                }
            }
            let counts = [
                (ResourceKind::PhoneNumber, sms.phone_numbers.len()),
                (ResourceKind::Pool, sms.pools.len()),
                (ResourceKind::Registration, sms.registrations.len()),
            ];
            for (kind, declared) in counts {
                let scanned = find(&records, kind, here).len();
                if scanned != declared {
                    report.problems.push(format!("{at}: {declared} {} declared, {scanned} scanned", kind.as_str()));
                }
            }
        }
    }
    sandbox.stop().await;
    let Report { problems, compared } = report;
    assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
    assert!(compared > 100, "compared {compared} resources");
    assert!(apps > targets.len() && templates > targets.len(), "paged: {apps} GetApps, {templates} ListTemplates");
}

/// Under a fifth of calls throttled, 2% server errors and 2% dropped connections, a scan stores exactly
/// what a fault-free scan of the same estate stores.
#[tokio::test]
async fn faults_do_not_change_the_estate() {
    let estate = Estate::load("demo").expect("estate");
    let sandbox = RunningSandbox::start(estate.clone(), 0).await.expect("start");
    let northwind = estate.accounts.iter().find(|a| a.name == "northwind").expect("northwind");
    let config = sandbox.sdk_config(&northwind.access_key_id, &northwind.secret_access_key).await;
    let reader = PinpointReader::new(HashMap::from([("northwind".to_owned(), config)]), 1_795_392_000);
    let targets: Vec<ScanTarget> = northwind
        .regions
        .iter()
        .map(|r| ScanTarget {
            connection: "northwind".into(),
            account_id: northwind.account_id.clone(),
            region: r.region.clone(),
        })
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let engagement = Engagement::create(&dir.path().join("e.pinshift"), None, &SystemClock).expect("create");
    let options = ScanOptions { concurrency: 16, ..ScanOptions::default() };
    let calm = scan(&engagement, &reader, &targets, &options, &SystemClock, &Silent).await.expect("scan");

    sandbox.state.faults.set("seed=11,throttle=0.2,server_error=0.02,drop=0.02".parse().expect("faults"));
    let stormy = scan(&engagement, &reader, &targets, &options, &SystemClock, &Silent).await.expect("scan");
    let calls = sandbox.state.calls();
    let failed = |status: u16| calls.iter().filter(|c| c.status == status).count();
    assert!(
        failed(429) > 100 && failed(500) > 5,
        "faults were injected: {} throttled, {} 5xx",
        failed(429),
        failed(500)
    );
    assert_eq!(stormy.issues, 0, "{:?}", engagement.scan_issues(&stormy.id));
    let pressure = pinshift_core::scan::PinpointSource::pressure(&reader);
    assert!(pressure.throttled > 100 && pressure.failed_attempts > 5, "progress reports the retries: {pressure:?}");

    let before = engagement.scan_records(&calm.id, None).expect("records");
    let after = engagement.scan_records(&stormy.id, None).expect("records");
    assert_eq!(before.len(), after.len());
    // Journey metrics say when AWS last evaluated them: the one field that moves between two reads.
    let changes: Vec<_> = pinshift_core::diff::diff(&before, &after)
        .into_iter()
        .filter(|c| match &c.change {
            Change::Changed { fields } => !fields.iter().all(|f| f.path == "LastEvaluatedTime"),
            _ => true,
        })
        .collect();
    assert!(changes.is_empty(), "{changes:#?}");
    sandbox.stop().await;
}
