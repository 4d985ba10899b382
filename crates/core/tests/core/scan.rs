use std::sync::atomic::Ordering;

use pinshift_core::engagement::Engagement;
use pinshift_core::estate::{ResourceKind, ResourceRecord, ScanIssue, ScanStatus};
use pinshift_core::scan::{PinpointSource, Read, ScanOptions, ScanTarget, Silent, resume, scan};

use crate::clock;

/// A source that answers from memory: two projects per target, the second denied its journeys.
struct Canned;

fn record(target: &ScanTarget, project: &str, kind: ResourceKind, id: &str) -> ResourceRecord {
    ResourceRecord {
        account_id: target.account_id.clone(),
        region: target.region.clone(),
        project_id: project.into(),
        kind,
        id: id.into(),
        version: String::new(),
        name: Some(id.into()),
        raw: serde_json::json!({ "Id": id }),
    }
}

impl PinpointSource for Canned {
    async fn read_region(&self, target: &ScanTarget) -> Read {
        Read {
            records: vec![
                record(target, "", ResourceKind::Project, "p1"),
                record(target, "", ResourceKind::Project, "p2"),
            ],
            issues: Vec::new(),
        }
    }

    async fn read_account(&self, target: &ScanTarget) -> Read {
        Read { records: vec![record(target, "", ResourceKind::Template, "t1")], issues: Vec::new() }
    }

    async fn read_project(&self, target: &ScanTarget, project: &str) -> Read {
        let mut read = Read { records: vec![record(target, project, ResourceKind::Segment, "s1")], issues: Vec::new() };
        if project == "p2" {
            read.issues.push(ScanIssue {
                account_id: target.account_id.clone(),
                region: target.region.clone(),
                project_id: project.into(),
                kind: ResourceKind::Journey,
                operation: "mobiletargeting:ListJourneys".into(),
                code: "ForbiddenException".into(),
                message: "denied".into(),
            });
        }
        read
    }
}

fn targets() -> Vec<ScanTarget> {
    ["us-east-1", "eu-west-1"]
        .iter()
        .map(|r| ScanTarget { connection: "c".into(), account_id: "111111111111".into(), region: (*r).into() })
        .collect()
}

#[tokio::test]
async fn a_scan_stores_every_read_and_is_honest_about_gaps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = Engagement::create(&dir.path().join("e.pinshift"), None, &clock()).expect("create");
    let summary = scan(&e, &Canned, &targets(), &ScanOptions::default(), &clock(), &Silent).await.expect("scan");
    assert_eq!(summary.status, ScanStatus::CompleteWithGaps);
    assert_eq!((summary.projects, summary.resources, summary.issues), (4, 10, 2));
    let segments = e.scan_records(&summary.id, Some(ResourceKind::Segment)).expect("records");
    assert_eq!(segments.len(), 4);
    assert_eq!(segments[0].raw["Id"], "s1");
    assert_eq!(e.scan_issues(&summary.id).expect("issues")[0].code, "ForbiddenException");
    assert_eq!(e.list_scans().expect("list")[0].id, summary.id);
}

#[tokio::test]
async fn a_cancelled_scan_keeps_what_it_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = Engagement::create(&dir.path().join("e.pinshift"), None, &clock()).expect("create");
    // Ctrl-C as the first unit (a Region's project list) is stored.
    struct StopAfterFirst(std::sync::Arc<std::sync::atomic::AtomicBool>);
    impl pinshift_core::scan::Progress for StopAfterFirst {
        fn report(&self, event: pinshift_core::scan::ScanEvent) {
            if matches!(event, pinshift_core::scan::ScanEvent::Progress { .. }) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
    }
    let options = ScanOptions { concurrency: 1, ..ScanOptions::default() };
    let stop = StopAfterFirst(options.cancel.clone());
    let summary = scan(&e, &Canned, &targets(), &options, &clock(), &stop).await.expect("scan");
    assert_eq!(summary.status, ScanStatus::Cancelled);
    assert!(summary.projects >= 2, "the first Region's projects were stored before the stop");

    assert_eq!(e.resumable_scan().expect("resumable").as_deref(), Some(summary.id.as_str()));
    let resumed = resume(&e, &Canned, &summary.id, &ScanOptions::default(), &clock(), &Silent).await.expect("resume");
    assert_eq!(resumed.id, summary.id, "the same scan goes on");
    assert_eq!(resumed.status, ScanStatus::CompleteWithGaps);
    assert_eq!((resumed.projects, resumed.resources, resumed.issues), (4, 10, 2), "nothing missing, nothing twice");
    assert!(e.resumable_scan().expect("resumable").is_none());
}
