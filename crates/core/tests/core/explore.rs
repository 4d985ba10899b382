//! The explorer's queries over a stored scan: the tree with counts, filtered and searched pages, one
//! resource with its payload.

use pinshift_core::engagement::Engagement;
use pinshift_core::estate::{EstateQuery, ResourceKind, ResourceRecord};
use serde_json::json;

use crate::clock;

fn record(project: &str, kind: ResourceKind, id: &str, name: &str) -> ResourceRecord {
    ResourceRecord {
        account_id: "444444444444".into(),
        region: "us-east-1".into(),
        project_id: project.into(),
        kind,
        id: id.into(),
        version: String::new(),
        name: Some(name.into()),
        raw: json!({ "Id": id, "Name": name }),
    }
}

#[test]
fn the_tree_pages_and_payloads_of_a_scan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = Engagement::create(&dir.path().join("e.pinshift"), None, &clock()).expect("create");
    e.begin_scan("s1", "2026-11-23T09:00:00Z", &json!({})).expect("begin");
    let mut records = vec![
        record("", ResourceKind::Project, "p1", "aurora-books"),
        record("", ResourceKind::Template, "EMAIL/aurora-news", "aurora-news"),
        record("p1", ResourceKind::Campaign, "c1", "winback_50%"),
    ];
    for i in 0..30 {
        records.push(record("p1", ResourceKind::Segment, &format!("s{i:02}"), &format!("segment {i}")));
    }
    e.store_scan_results("s1", "u", &records, &[]).expect("store");

    let tree = e.estate_tree("s1").expect("tree");
    assert_eq!(tree.len(), 2, "account-level and one project: {tree:?}");
    let project = tree.iter().find(|b| b.project_id == "p1").expect("project branch");
    assert_eq!(project.project_name, "aurora-books");
    assert_eq!(project.counts.get(&ResourceKind::Segment), Some(&30));

    let page = e
        .estate_page(
            "s1",
            &EstateQuery {
                project_id: Some("p1".into()),
                kind: Some(ResourceKind::Segment),
                offset: 25,
                limit: 10,
                ..Default::default()
            },
        )
        .expect("page");
    assert_eq!((page.total, page.items.len()), (30, 5));
    let found =
        e.estate_page("s1", &EstateQuery { search: "50%".into(), limit: 10, ..Default::default() }).expect("search");
    assert_eq!(found.items.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["c1"], "% is matched literally");
    let account_level = e
        .estate_page("s1", &EstateQuery { project_id: Some(String::new()), limit: 10, ..Default::default() })
        .expect("account level");
    assert_eq!(account_level.total, 2, "the project record and the template");

    let mut kpi = record("p1", ResourceKind::Kpi, "txn-emails-sent-grouped-by-date", "sent");
    kpi.version = "2026-09-01".into();
    kpi.raw = json!({ "KpiResult": { "Rows": [
        { "GroupedBys": [{ "Key": "Date", "Value": "2026-09-02" }], "Values": [{ "Key": "Count", "Value": "7" }] },
        { "GroupedBys": [{ "Key": "Date", "Value": "2026-09-01" }], "Values": [{ "Key": "Count", "Value": "5" }] }
    ] } });
    e.store_scan_results("s1", "k", &[kpi], &[]).expect("kpi");
    let kpis = e.project_kpis("s1", "444444444444", "us-east-1", "p1").expect("kpis");
    assert_eq!(kpis.len(), 1);
    assert_eq!(kpis[0].points, [("2026-09-01".to_owned(), 5.0), ("2026-09-02".to_owned(), 7.0)], "days in order");

    let full = e.estate_resource("s1", &found.items[0]).expect("resource");
    assert_eq!(full.raw["Name"], "winback_50%");
    let mut missing = found.items[0].clone();
    missing.id = "nope".into();
    assert!(e.estate_resource("s1", &missing).expect_err("missing").to_string().contains("nope"));
}
