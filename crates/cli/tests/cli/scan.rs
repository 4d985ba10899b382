//! `pinshift scan` against the sandbox's `demo` estate, the way a consultant runs it: the hub's profile,
//! scan roles assumed in the BPO's account and in a client's own account.

use pinshift_sandbox::{Estate, RunningSandbox};

use crate::{Northwind, pinshift, stderr, stdout};

const HUB_KEY: &str = "AKIADEMOHUB000000001";
const HUB_SECRET: &str = "demo/hub/secret/key/000000000000000000001";

#[test]
fn a_scan_stores_every_project_with_raw_payloads_and_reports_gaps() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("aws-config"), "[profile hub]\nregion = us-east-1\n").expect("config");
    std::fs::write(
        dir.path().join("aws-credentials"),
        format!("[hub]\naws_access_key_id = {HUB_KEY}\naws_secret_access_key = {HUB_SECRET}\n"),
    )
    .expect("credentials");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let sandbox = runtime.block_on(RunningSandbox::start(Estate::load("demo").expect("estate"), 0)).expect("sandbox");
    let cmd = || {
        let mut cmd = pinshift(dir.path());
        cmd.env("PINSHIFT_ENGAGEMENT", dir.path().join("e.pinshift")).env("AWS_ENDPOINT_URL", sandbox.endpoint());
        cmd
    };
    pinshift(dir.path()).args(["init", "e.pinshift"]).assert().success();
    cmd().args(["connection", "add", "hub", "--profile", "hub"]).assert().success();
    for (name, account) in [("northwind", "444444444444"), ("meridian", "555555555555")] {
        cmd()
            .args(["connection", "add", name, "--source", "hub", "--external-id", "pinshift-demo"])
            .args(["--role-arn", &format!("arn:aws:iam::{account}:role/PinshiftScan")])
            .assert()
            .success();
    }

    let output = cmd()
        .args([
            "scan",
            "--connection",
            "northwind",
            "--connection",
            "meridian",
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
        ])
        .output()
        .expect("scan");
    assert_eq!(output.status.code(), Some(3), "complete with gaps: {}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Projects   13"), "{text}");
    assert!(text.contains("complete with gaps"), "{text}");
    assert!(stderr(&output).contains("mobiletargeting:ListJourneys: ForbiddenException"), "{}", stderr(&output));

    let shown = cmd().args(["--json", "estate", "show", "--kind", "journey"]).output().expect("show");
    let json: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    let journeys = json["resources"].as_array().expect("resources");
    assert!(journeys.len() >= 4, "demo journeys in the BPO account: {}", journeys.len());
    let dahlia = journeys.iter().find(|j| j["name"] == "dahlia-onboarding").expect("dahlia journey");
    assert_eq!(
        dahlia["raw"]["Activities"]["ab"]["RandomSplit"]["Branches"][0]["Percentage"], 50,
        "the raw payload is kept whole"
    );
    assert_eq!(json["issues"][0]["code"], "ForbiddenException");

    let templates = cmd().args(["--json", "estate", "show", "--kind", "template_version"]).output().expect("versions");
    let json: serde_json::Value = serde_json::from_slice(&templates.stdout).expect("json");
    let newsletter: Vec<&serde_json::Value> =
        json["resources"].as_array().expect("list").iter().filter(|t| t["name"] == "shared-newsletter").collect();
    assert_eq!(newsletter.len(), 2, "both versions of the shared template, with their content");
    assert!(newsletter.iter().all(|t| t["raw"]["HtmlPart"].is_string()));

    let lists = cmd().args(["--json", "estate", "show", "--kind", "opt_out_list"]).output().expect("opt-out lists");
    let json: serde_json::Value = serde_json::from_slice(&lists.stdout).expect("json");
    let bluebird =
        json["resources"].as_array().expect("list").iter().find(|l| l["id"] == "bluebird").expect("bluebird");
    assert_eq!(bluebird["raw"]["OptedOutCount"], 800, "opt-outs are counted, not copied");

    // Connect aliases are unique across AWS: the shared instances of the two accounts get different ones.
    let shown = cmd().args(["--json", "blueprint", "show"]).output().expect("blueprint");
    let json: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    let blueprint = if json["blueprint"].is_object() { &json["blueprint"] } else { &json };
    let aliases: std::collections::BTreeSet<&str> = blueprint["clients"]
        .as_array()
        .expect("clients")
        .iter()
        .filter(|c| c["connect"]["topology"] == "shared")
        .filter_map(|c| c["connect"]["instance_alias"].as_str())
        .collect();
    assert!(
        aliases.contains("shared-engage-us-east-1") && aliases.contains("shared-engage-us-east-1-555555555555"),
        "{aliases:?}"
    );

    let kpis = cmd().args(["--json", "estate", "show", "--kind", "kpi"]).output().expect("kpis");
    let json: serde_json::Value = serde_json::from_slice(&kpis.stdout).expect("json");
    let project = json["resources"][0]["project_id"].as_str().expect("project").to_owned();
    let days: std::collections::BTreeSet<String> = json["resources"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|k| k["project_id"] == project.as_str() && k["id"] == "txn-emails-sent-grouped-by-date")
        .flat_map(|k| k["raw"]["KpiResult"]["Rows"].as_array().cloned().unwrap_or_default())
        .filter_map(|row| row["GroupedBys"][0]["Value"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(days.len(), 91, "90 days and today, each once, from 31-day windows");

    let identities = cmd().args(["--json", "estate", "show", "--kind", "email_identity"]).output().expect("identities");
    let json: serde_json::Value = serde_json::from_slice(&identities.stdout).expect("json");
    assert!(json["resources"].as_array().expect("list").iter().any(|i| i["id"] == "aurorabooks.example"));

    let list = cmd().args(["estate", "list"]).output().expect("list");
    assert!(stdout(&list).contains("complete with gaps"), "{}", stdout(&list));

    // Change the estate behind Pinshift's back, scan again, and ask what changed.
    crate::add_segment(&sandbox, "aurora-books", serde_json::json!({ "Name": "added-later" }));
    let second = cmd().args(["scan", "--connection", "northwind", "--region", "us-east-1"]).output().expect("scan 2");
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let scans = cmd().args(["--json", "estate", "list"]).output().expect("list");
    let scans: serde_json::Value = serde_json::from_slice(&scans.stdout).expect("json");
    let (newest, first) = (scans[0]["id"].as_str().expect("id"), scans[1]["id"].as_str().expect("id"));
    let diff = cmd().args(["estate", "diff", first, newest, "--kind", "segment"]).output().expect("diff");
    let text = stdout(&diff);
    assert!(text.contains("added") && text.contains("added-later"), "{text}");

    let exported = dir.path().join("estate.json");
    cmd().args(["estate", "export", newest, "--output"]).arg(&exported).assert().success();
    let document: serde_json::Value = serde_json::from_slice(&std::fs::read(&exported).expect("read")).expect("json");
    assert!(document["resources"].as_array().is_some_and(|r| r.len() > 100));
    cmd().args(["estate", "export", newest, "--output"]).arg(&exported).assert().code(1);
    runtime.block_on(sandbox.stop());
}

/// With a fifth of all calls throttled and a few failing, the scan retries its way to a complete estate.
#[test]
fn a_scan_rides_out_throttles_and_server_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("aws-config"), "[profile bpo]\nregion = us-east-1\n").expect("config");
    std::fs::write(
        dir.path().join("aws-credentials"),
        "[bpo]\naws_access_key_id = AKIASANDBOXBPO000001\naws_secret_access_key = sandbox/bpo/secret/key/00000000000000001\n",
    )
    .expect("credentials");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let faults = "seed=3,throttle=0.2,server_error=0.02".parse().expect("faults");
    let sandbox = runtime
        .block_on(RunningSandbox::start_with(Estate::load("sample").expect("estate"), 0, faults))
        .expect("sandbox");
    let cmd = || {
        let mut cmd = pinshift(dir.path());
        cmd.env("PINSHIFT_ENGAGEMENT", dir.path().join("e.pinshift")).env("AWS_ENDPOINT_URL", sandbox.endpoint());
        cmd
    };
    pinshift(dir.path()).args(["init", "e.pinshift"]).assert().success();
    cmd().args(["connection", "add", "bpo", "--profile", "bpo"]).assert().success();
    let output = cmd()
        .args(["scan", "--region", "us-east-1", "--region", "eu-west-1"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("scan");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("Projects   4"), "{}", stdout(&output));
    let throttled = sandbox.state.calls().iter().filter(|c| c.status == 429).count();
    assert!(throttled > 10, "the sandbox did throttle ({throttled} times)");

    let again = cmd().args(["scan", "--resume"]).output().expect("resume");
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("no stopped or interrupted scan to resume"), "{}", stderr(&again));
    runtime.block_on(sandbox.stop());
}

#[test]
fn a_dump_folder_is_scanned_offline_and_its_holes_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let region = dir.path().join("dump/111122223333/eu-west-1");
    std::fs::create_dir_all(region.join("apps/app1")).expect("dump dirs");
    std::fs::write(
        region.join("get-apps.json"),
        r#"{"ApplicationsResponse": {"Item": [{"Id": "app1", "Name": "Northwind", "Arn": "arn:aws:mobiletargeting:eu-west-1:111122223333:apps/app1"}]}}"#,
    )
    .expect("get-apps");
    std::fs::write(region.join("apps/app1/get-segments.json"), "{ truncated").expect("segments");
    let cmd = || {
        let mut cmd = pinshift(dir.path());
        cmd.env("PINSHIFT_ENGAGEMENT", dir.path().join("e.pinshift"));
        cmd
    };
    pinshift(dir.path()).args(["init", "e.pinshift"]).assert().success();

    let output = cmd().args(["scan", "--from-dump"]).arg(dir.path().join("dump")).output().expect("scan");
    assert_eq!(output.status.code(), Some(3), "complete with gaps: {}", stderr(&output));
    assert!(stdout(&output).contains("Projects   1"), "{}", stdout(&output));
    let shown = cmd().args(["--json", "estate", "show"]).output().expect("show");
    let json: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    let issues = json["issues"].as_array().expect("issues");
    assert!(
        issues
            .iter()
            .any(|i| i["code"] == "InvalidDumpFile" && i["message"].as_str().unwrap().contains("get-segments.json")),
        "{issues:?}"
    );
    assert!(issues.iter().any(|i| i["code"] == "MissingFromDump"), "{issues:?}");

    // Nothing was stopped, so there is nothing to resume; an empty folder is refused with a way forward.
    let resumed =
        cmd().args(["scan", "--resume", "--from-dump"]).arg(dir.path().join("dump")).output().expect("resume");
    assert_eq!(resumed.status.code(), Some(1));
    assert!(stderr(&resumed).contains("no stopped or interrupted scan"), "{}", stderr(&resumed));
    std::fs::create_dir_all(dir.path().join("empty")).expect("empty");
    let empty = cmd().args(["scan", "--from-dump"]).arg(dir.path().join("empty")).output().expect("empty scan");
    assert_eq!(empty.status.code(), Some(1));
    assert!(stderr(&empty).contains("pinshift dump-commands"), "{}", stderr(&empty));
}

/// `kill -9` in the middle of a scan, then `scan --resume`: the estate equals an uninterrupted scan's.
#[test]
fn a_killed_scan_resumes_to_the_same_estate() {
    use pinshift_core::clock::SystemClock;
    use pinshift_core::diff::{Change, diff};
    use pinshift_core::engagement::Engagement;
    use pinshift_core::estate::ResourceKind;

    // Slow enough that the kill lands mid-scan.
    let northwind = Northwind::start(Some("latency_ms=40..60"));
    let (dir, sandbox) = (&northwind.dir, &northwind.sandbox);
    let cmd = || northwind.cmd();
    let scan_args = ["scan", "--region", "us-east-1", "--region", "eu-west-1", "--concurrency", "2"];

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pinshift"))
        .args(scan_args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("HOME", dir.path())
        .env("AWS_CONFIG_FILE", dir.path().join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("aws-credentials"))
        .env("PINSHIFT_ENGAGEMENT", dir.path().join("e.pinshift"))
        .env("AWS_ENDPOINT_URL", sandbox.endpoint())
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_REGION")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill once some work is stored, and before the scan could finish.
    let engagement = dir.path().join("e.pinshift");
    let started = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let stored = Engagement::open(&engagement, &SystemClock)
            .ok()
            .and_then(|e| e.list_scans().ok())
            .and_then(|scans| scans.first().map(|s| s.projects))
            .unwrap_or(0);
        if stored >= 1 || started.elapsed().as_secs() > 30 {
            break;
        }
    }
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    sandbox.state.faults.set(pinshift_sandbox::limits::FaultProfile::default());

    let listed = cmd().args(["--json", "estate", "list"]).output().expect("list");
    let scans: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    assert_eq!(scans[0]["status"], "running", "killed mid-scan: {scans}");
    // The killed scan still holds the engagement's lease: resuming is refused naming it, until the
    // person says that process is gone.
    let refused = cmd().args(["scan", "--resume"]).output().expect("resume");
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("is busy") && stderr(&refused).contains("--take-over"), "{}", stderr(&refused));
    let resumed = cmd().args(["scan", "--resume", "--take-over"]).output().expect("resume");
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    assert!(stderr(&resumed).contains("Took the engagement over from pinshift scan (pid"), "{}", stderr(&resumed));
    let whole = cmd().args(scan_args).output().expect("scan");
    assert_eq!(whole.status.code(), Some(0), "{}", stderr(&whole));

    let engagement = Engagement::open(&engagement, &SystemClock).expect("open");
    let scans = engagement.list_scans().expect("scans");
    let (whole, resumed) = (&scans[0], &scans[1]);
    assert_eq!(whole.resources, resumed.resources, "nothing missing, nothing twice");
    let before = engagement.scan_records(&resumed.id, None).expect("records");
    let after = engagement.scan_records(&whole.id, None).expect("records");
    // Fields that say when they were read move between two scans: when AWS last evaluated a journey's
    // metrics, and the end of the newest KPI window (the scan's start). Nothing else may differ.
    let changes: Vec<_> = diff(&before, &after)
        .into_iter()
        .filter(|c| match &c.change {
            Change::Changed { fields } => !fields.iter().all(|f| {
                f.path == "LastEvaluatedTime" || (c.resource.kind == ResourceKind::Kpi && f.path == "EndTime")
            }),
            _ => true,
        })
        .collect();
    assert!(changes.is_empty(), "{changes:#?}");
    northwind.stop();
}

/// `pinshift scan --audience-bucket … --audience-role …` profiles every project's audience; an export
/// that cannot be written is a gap named with its cause.
#[test]
fn a_scan_profiles_audiences_when_asked() {
    let northwind = Northwind::start(None);
    let cmd = || northwind.cmd();
    let role = "arn:aws:iam::444444444444:role/PinpointExport";

    let bad = cmd().args(["scan", "--region", "eu-west-1", "--audience-role", role]).output().expect("usage");
    assert_eq!(bad.status.code(), Some(2), "a role without a bucket is a usage error");
    let bad = cmd()
        .args(["scan", "--region", "eu-west-1", "--audience-bucket", "Bad_Bucket", "--audience-role", role])
        .output()
        .expect("bad bucket");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("export bucket"), "{}", stderr(&bad));

    // eu-west-1's project, exported to a bucket in another Region: the job fails and says why.
    let output = cmd()
        .args([
            "scan",
            "--region",
            "eu-west-1",
            "--audience-bucket",
            "northwind-pinshift-exports",
            "--audience-role",
            role,
        ])
        .output()
        .expect("scan");
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("ExportJobFailed") || stderr(&output).contains("ExportJobFailed"),
        "{}",
        stdout(&output)
    );

    let output = cmd()
        .args(["scan", "--region", "eu-west-1", "--audience-bucket", "northwind-pinshift-exports-eu"])
        .args(["--audience-role", role, "--audience-prefix", "audits/"])
        .output()
        .expect("scan");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("harbor-logistics-eu"), "the audience summary: {}", stdout(&output));
    let shown = cmd().args(["--json", "estate", "show", "--kind", "audience_profile"]).output().expect("show");
    let json: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    let profiles = json["resources"].as_array().expect("resources");
    assert_eq!(profiles.len(), 1);
    assert_eq!(profiles[0]["raw"]["endpoints"], 15_000);
    assert_eq!(profiles[0]["raw"]["channels"]["SMS"]["endpoints"], 9_000);

    let policy = cmd()
        .args(["iam-policy", "scan", "--audience-bucket", "northwind-pinshift-exports-eu", "--audience-role", role])
        .output()
        .expect("policy");
    let policy: serde_json::Value = serde_json::from_slice(&policy.stdout).expect("json");
    let text = policy.to_string();
    assert!(text.contains("mobiletargeting:CreateExportJob") && text.contains("iam:PassRole"), "{text}");
    assert!(text.contains("arn:aws:s3:::northwind-pinshift-exports-eu/pinshift-*"), "{text}");
    northwind.stop();
}

/// A connection with its own endpoint reaches the sandbox with no `AWS_ENDPOINT_URL` in the environment
/// (how the desktop's "Try the demo estate" works); a malformed URL is refused by name.
#[test]
fn a_connection_with_its_own_endpoint_scans_without_the_environment() {
    let northwind = Northwind::start(None);
    let dir = northwind.dir.path();
    let cmd = || {
        let mut cmd = pinshift(dir);
        cmd.env("PINSHIFT_ENGAGEMENT", dir.join("e.pinshift"));
        cmd
    };
    let bad = cmd()
        .args(["connection", "add", "sandbox", "--profile", "northwind", "--endpoint-url", "ftp://nowhere"])
        .output()
        .expect("bad");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("invalid endpoint URL"), "{}", stderr(&bad));
    cmd()
        .args(["connection", "add", "sandbox", "--profile", "northwind", "--endpoint-url"])
        .arg(northwind.sandbox.endpoint())
        .assert()
        .success();
    let listed = stdout(&cmd().args(["connection", "list"]).output().expect("list"));
    assert!(listed.contains(&northwind.sandbox.endpoint()), "{listed}");
    let scan = cmd().args(["scan", "--connection", "sandbox", "--region", "us-east-1"]).output().expect("scan");
    assert_eq!(scan.status.code(), Some(0), "{}", stderr(&scan));
    assert!(stdout(&scan).contains("Projects   11"), "{}", stdout(&scan));
    northwind.stop();
}
