//! `pinshift assess` and `pinshift blueprint …` on the sandbox's demo BPO estate, the way a reviewer uses
//! them: the per-client blueprint (snapshot), edits that break a constraint refused with the field named,
//! decisions recorded, a version saved and signed off, and drift reported after the estate changes.

use super::{Northwind, stderr, stdout};

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(output), stderr(output)))
}

#[test]
fn a_reviewer_assesses_edits_signs_off_and_sees_drift() {
    let northwind = Northwind::start(None);
    let (dir, sandbox) = (&northwind.dir, &northwind.sandbox);
    let cmd = || northwind.cmd();

    // Before any scan, the blueprint says what to do first.
    let early = cmd().args(["assess"]).output().expect("assess");
    assert_eq!(early.status.code(), Some(1));
    assert!(stderr(&early).contains("run `pinshift scan` first"), "{}", stderr(&early));

    let scan = cmd().args(["scan", "--region", "us-east-1"]).output().expect("scan");
    assert_eq!(scan.status.code(), Some(0), "{}", stderr(&scan));

    // The assessment: one client per project, findings naming their fields.
    let assessment = json(&cmd().args(["--json", "assess"]).output().expect("assess"));
    let clients = assessment["clients"].as_array().expect("clients");
    assert_eq!(clients.len(), 11, "one client per demo project");
    for finding in assessment["findings"].as_array().expect("findings") {
        assert!(!finding["evidence"].as_array().expect("evidence").is_empty(), "{finding}");
    }
    let iris = clients.iter().find(|c| c["client"]["id"] == "iris-insurance").expect("iris");
    assert_eq!(iris["fits"]["campaigns"], "no_successor", "the campaign hook has no successor: {iris}");
    let text = stdout(&cmd().args(["assess", "--client", "ember-fashion"]).output().expect("client"));
    assert!(text.contains("AdditionalTreatments[0]"), "A/B treatments are named by field: {text}");

    // The shared template is shared, visibly; the number the outage campaign sends from is bluebird's.
    let attributions = json(&cmd().args(["--json", "blueprint", "attributions"]).output().expect("attributions"));
    let find = |label: &str| {
        attributions
            .as_array()
            .expect("list")
            .iter()
            .find(|a| a["resource"]["name"] == label)
            .unwrap_or_else(|| panic!("{label} in {attributions}"))
            .clone()
    };
    assert_eq!(find("shared-newsletter")["clients"], serde_json::json!(["ember-fashion", "fjord-travel"]));
    assert_eq!(find("+18335550001")["clients"], serde_json::json!(["bluebird-telecom"]));

    // The blueprint of the demo estate, condensed to what reviewers read.
    let blueprint = json(&cmd().args(["--json", "blueprint", "show"]).output().expect("show"));
    let condensed = serde_json::json!({
        "clients": blueprint["clients"],
        "quotas": blueprint["quotas"],
        "decisions": blueprint["decisions"].as_array().expect("decisions").iter()
            .map(|d| format!("{} | {} | {}", d["client"].as_str().unwrap_or_default(), d["kind"].as_str().unwrap_or_default(), d["title"].as_str().unwrap_or_default()))
            .collect::<Vec<_>>(),
    });
    // The sandbox's KPIs follow the calendar (a scan reads the 90 days before it), so the sums and rates
    // they feed change from day to day; what they decide (the reputation policy) does not.
    insta::with_settings!({filters => vec![
        (r"[0-9a-f]{32}", "[id]"),
        (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", "[time]"),
        (r#""(bounce_rate|complaint_rate|complaints|delivered|hard_bounced|sent)": [0-9.e-]+"#, r#""$1": "[kpi]""#),
        (r"bounce rate [0-9.]+% / complaint rate [0-9.]+% over 90 days \(\d+ sent\)", "bounce rate [kpi] / complaint rate [kpi] over 90 days ([kpi] sent)"),
        (r"bounce rate [0-9.]+% / complaint rate [0-9.]+% over 90 days is", "bounce rate [kpi] / complaint rate [kpi] over 90 days is"),
        (r"\d+ KPI windows", "[n] KPI windows"),
        (r#""windows": \d+"#, r#""windows": "[n]""#),
    ]}, {
        insta::assert_json_snapshot!("demo_blueprint", condensed);
    });

    // Edits that break a constraint are refused, naming the field; nothing is saved.
    let bad = cmd().args(["blueprint", "set", "granite-bank", "--tenant-name", "granite bank!"]).output().expect("set");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("clients.granite-bank.tenant_name"), "{}", stderr(&bad));
    let taken =
        cmd().args(["blueprint", "set", "aurora-books", "--tenant-name", "granite-bank"]).output().expect("set");
    assert_eq!(taken.status.code(), Some(1));
    assert!(stderr(&taken).contains("already the tenant of client"), "{}", stderr(&taken));
    let two_owners = cmd()
        .args(["blueprint", "attribute", "+18335550001", "--client", "bluebird-telecom", "--client", "granite-bank"])
        .output()
        .expect("attribute");
    assert_eq!(two_owners.status.code(), Some(1));
    assert!(stderr(&two_owners).contains("only one pool"), "{}", stderr(&two_owners));
    let nobody = cmd().args(["blueprint", "rename", "nobody", "X"]).output().expect("rename");
    assert!(stderr(&nobody).contains("no client \"nobody\""), "{}", stderr(&nobody));

    // Edits that hold are kept.
    cmd().args(["blueprint", "rename", "aurora-books", "Aurora Books Ltd"]).assert().success();
    cmd().args(["blueprint", "set", "granite-bank", "--topology", "dedicated"]).assert().success();
    cmd()
        .args(["blueprint", "attribute", "shared-otp", "--client", "fjord-travel", "--client", "bluebird-telecom"])
        .assert()
        .success();
    cmd().args(["blueprint", "attribute", "--accept-all"]).assert().success();
    let shown = json(&cmd().args(["--json", "blueprint", "show", "--client", "granite-bank"]).output().expect("show"));
    assert_eq!(shown[0]["connect"]["topology"], "dedicated");
    assert_eq!(shown[0]["connect"]["overridden"], true);
    let attributions = json(&cmd().args(["--json", "blueprint", "attributions"]).output().expect("attributions"));
    let otp =
        attributions.as_array().expect("list").iter().find(|a| a["resource"]["name"] == "shared-otp").expect("otp");
    assert_eq!(otp["status"], "overridden");
    assert_eq!(otp["clients"], serde_json::json!(["bluebird-telecom", "fjord-travel"]));

    // Decisions: recorded with owner, status and due date; a bad date is refused by name.
    let bad_due = cmd()
        .args(["blueprint", "decide", "sandbox-exit/ses/", "--due", "next week", "--by", "tester"])
        .output()
        .expect("decide");
    assert!(stderr(&bad_due).contains("invalid due"), "{}", stderr(&bad_due));
    cmd()
        .args(["blueprint", "decide", "sandbox-exit/ses/", "--status", "decided", "--owner", "Dana (ops)"])
        .args(["--due", "2026-12-15", "--choice", "confirmed", "--by", "tester"])
        .assert()
        .success();
    let decisions = json(&cmd().args(["--json", "blueprint", "decisions"]).output().expect("decisions"));
    let ses = decisions
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["kind"] == "sandbox_exit" && d["id"].as_str().unwrap_or_default().contains("/ses/"))
        .expect("ses");
    assert_eq!(
        (ses["status"].as_str(), ses["owner"].as_str(), ses["due"].as_str()),
        (Some("decided"), Some("Dana (ops)"), Some("2026-12-15"))
    );

    // Save, sign off, list.
    let no_version = cmd().args(["blueprint", "sign-off", "aurora-books", "--by", "Ann"]).output().expect("sign-off");
    assert!(stderr(&no_version).contains("blueprint save"), "{}", stderr(&no_version));
    cmd().args(["blueprint", "save", "--by", "tester", "--note", "first review"]).assert().success();
    let signed =
        cmd().args(["blueprint", "sign-off", "aurora-books", "--by", "Ann Reviewer"]).output().expect("sign-off");
    assert!(stderr(&signed).contains("signed off by Ann Reviewer on blueprint version 1"), "{}", stderr(&signed));
    let versions = stdout(&cmd().args(["blueprint", "versions"]).output().expect("versions"));
    assert!(versions.contains("aurora-books by Ann Reviewer") && versions.contains("first review"), "{versions}");
    let saved = json(
        &cmd()
            .args(["--json", "blueprint", "show", "--version", "1", "--client", "aurora-books"])
            .output()
            .expect("v1"),
    );
    assert_eq!(saved[0]["name"], "Aurora Books Ltd");

    // Reports from the signed-off version: the workbook reads back, CSV parses, Markdown says who signed.
    let xlsx = dir.path().join("blueprint.xlsx");
    cmd().args(["report", "--format", "xlsx", "--version", "1", "--out"]).arg(&xlsx).assert().success();
    let again =
        cmd().args(["report", "--format", "xlsx", "--version", "1", "--out"]).arg(&xlsx).output().expect("again");
    assert_eq!(again.status.code(), Some(1), "an existing report is not overwritten without --force");
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    let bad = cmd().args(["report", "--format", "pdf", "--out", "x.pdf"]).output().expect("pdf");
    assert!(stderr(&bad).contains("invalid format") && stderr(&bad).contains("html"), "{}", stderr(&bad));
    {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("workbook");
        assert_eq!(
            book.sheet_names(),
            [
                "Summary",
                "Clients",
                "Findings",
                "Decisions",
                "Translations",
                "Attributions",
                "Inventory",
                "KPIs",
                "Migration",
                "Audience",
                "Audience-channels",
                "Decommission"
            ]
        );
        let clients = book.worksheet_range("Clients").expect("clients");
        assert_eq!(clients.height(), 12, "a header and a row per client");
        assert_eq!(clients.get((0, 0)).map(ToString::to_string).as_deref(), Some("client"));
        let aurora = clients.rows().find(|r| r[0] == "aurora-books").expect("aurora row");
        assert_eq!(aurora[1].to_string(), "Aurora Books Ltd");
        assert!(aurora[13].to_string().contains("Ann Reviewer"), "signed off: {:?}", aurora[13]);
        let findings = book.worksheet_range("Findings").expect("findings");
        let saved = json(&cmd().args(["--json", "blueprint", "show", "--version", "1"]).output().expect("v1"));
        let total = saved["assessment"]["findings"].as_array().expect("findings").len();
        assert_eq!(findings.height(), total + 1);
        let inventory = book.worksheet_range("Inventory").expect("inventory");
        let account = inventory.rows().nth(1).map(|r| r[0].clone()).expect("a row");
        assert_eq!(account, calamine::Data::String("444444444444".into()), "account ids stay text");
    }
    let csv_dir = dir.path().join("csv");
    cmd().args(["report", "--format", "csv", "--out"]).arg(&csv_dir).assert().success();
    let mut decisions = csv::Reader::from_path(csv_dir.join("decisions.csv")).expect("decisions.csv");
    let decided = decisions
        .records()
        .map(|r| r.expect("row"))
        .find(|r| r.get(0).is_some_and(|id| id.starts_with("sandbox-exit/ses/")))
        .expect("the SES decision");
    assert_eq!((decided.get(4), decided.get(5)), (Some("decided"), Some("Dana (ops)")));
    assert!(csv_dir.join("kpis.csv").exists() && csv_dir.join("inventory.csv").exists());
    let mut translations = csv::Reader::from_path(csv_dir.join("translations.csv")).expect("translations.csv");
    assert!(
        translations
            .records()
            .map(|r| r.expect("row"))
            .any(|r| r.get(1) == Some("journey") && r.get(3) == Some("dahlia-onboarding")),
        "each client's translations are listed"
    );
    let md = dir.path().join("blueprint.md");
    cmd().args(["report", "--format", "md", "--version", "1", "--out"]).arg(&md).assert().success();
    let md = std::fs::read_to_string(md).expect("md");
    assert!(md.contains("## Aurora Books Ltd") && md.contains("v1 by Ann Reviewer"), "{md}");
    assert!(md.contains("reached end of support on 2026-10-30"), "the deadline is stated");
    assert!(md.contains("### Translations") && md.contains("| journey | `dahlia-onboarding` |"), "{md}");
    let policy = json(&cmd().args(["iam-policy", "migrate"]).output().expect("policy"));
    let text = policy.to_string();
    assert!(
        text.contains("ses:CreateTenant")
            && text.contains("sms-voice:CreatePool")
            && text.contains("connect:CreateInstance")
    );
    let deny =
        policy["Statement"].as_array().expect("statements").iter().find(|s| s["Effect"] == "Deny").expect("deny");
    assert!(deny.to_string().contains("mobiletargeting:Delete*"), "Pinpoint is never written: {deny}");

    // No change yet, then the estate changes behind Pinshift's back: drift names it.
    let calm = stdout(&cmd().args(["blueprint", "drift"]).output().expect("drift"));
    assert!(calm.contains("aurora-books: no change since version 1"), "{calm}");
    crate::add_segment(
        sandbox,
        "aurora-books",
        serde_json::json!({
            "Name": "near-shops",
            "Dimensions": { "Location": { "GPSPoint": {
                "Coordinates": { "Latitude": 51.5, "Longitude": -0.1 }, "RangeInKilometers": 5 } } }
        }),
    );
    let second = cmd().args(["scan", "--region", "us-east-1"]).output().expect("scan 2");
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let drift =
        json(&cmd().args(["--json", "blueprint", "drift", "--client", "aurora-books"]).output().expect("drift"));
    let drift = &drift[0];
    assert!(drift["resources"].as_array().expect("changes").iter().any(|c| c["name"] == "near-shops"), "{drift}");
    let added: Vec<&str> =
        drift["findings_added"].as_array().expect("added").iter().filter_map(|f| f["rule"].as_str()).collect();
    assert!(added.contains(&"segment.gps"), "the new GPS segment has no successor: {added:?}");
}
