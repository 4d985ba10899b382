//! `pinshift audience`: a client's endpoint export transformed locally, then loaded into the sandbox — its
//! profiles, opt-out list and tenant suppression read back from outside — resumed after kill -9 without a
//! duplicate, refused while part of the input cannot be read, and reconciled.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use crate::{Northwind, stderr, stdout};

const ACCOUNT: &str = "444444444444";
const REGION: &str = "us-east-1";
const CLIENT: &str = "fjord-travel";

fn json_of(output: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(output), stderr(output)))
}

/// `n` endpoints over two gzip pieces: about two per user, one in eight without a UserId, one in
/// twenty opted out (SMS and email), one invalid number.
fn export(dir: &Path, n: usize) -> (Vec<String>, Vec<String>) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let (mut numbers, mut emails) = (Vec::new(), Vec::new());
    let mut pieces: Vec<Vec<Value>> = vec![Vec::new(), Vec::new()];
    for i in 0..n {
        let channel = if i % 2 == 0 { "EMAIL" } else { "SMS" };
        let address = if channel == "EMAIL" { format!("person{i}@fjord.example") } else { format!("+1206555{:04}", i) };
        let address = if i == 7 { "not-a-number".to_owned() } else { address };
        let opted = i % 20 == 3;
        if opted && i != 7 {
            if channel == "EMAIL" { emails.push(address.clone()) } else { numbers.push(address.clone()) }
        }
        let tier = ["gold", "silver"][i % 2];
        let mut e = json!({ "Id": format!("ep-{i}"), "ChannelType": channel, "Address": address,
                            "EndpointStatus": "ACTIVE", "OptOut": if opted { "ALL" } else { "NONE" },
                            "Attributes": { "tier": [tier] } });
        if i % 8 != 5 {
            e["User"] =
                json!({ "UserId": format!("user-{}", i / 2), "UserAttributes": { "FirstName": [format!("P{i}")] } });
        }
        pieces[i % 2].push(e);
    }
    for (p, lines) in pieces.iter().enumerate() {
        let file = std::fs::File::create(dir.join(format!("part-{p}.gz"))).expect("create");
        let mut w = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        for l in lines {
            writeln!(w, "{l}").expect("write");
        }
        w.finish().expect("finish");
    }
    numbers.sort();
    emails.sort();
    (numbers, emails)
}

/// fjord-travel signed off and applied (its profiles domain, opt-out list and tenant exist).
fn applied() -> Northwind {
    let n = Northwind::start(None);
    n.cmd().args(["scan"]).assert().success();
    n.cmd().args(["blueprint", "save", "--by", "tester"]).assert().success();
    n.cmd().args(["blueprint", "sign-off", CLIENT, "--by", "Ann"]).assert().success();
    n.cmd().args(["migrate", "apply", "--client", CLIENT, "--yes", "--wait", "0"]).assert().success();
    n
}

/// What the sandbox holds for the client: profiles (objects per profile), opted-out numbers, suppressed
/// addresses of its tenant.
fn held(n: &Northwind, target: &Value) -> (usize, usize, Vec<String>, Vec<String>) {
    let mut world = n.sandbox.state.world();
    let domain = target["domain"].as_str().expect("domain").to_owned();
    let d = world.profiles.domains.get(&(ACCOUNT.to_owned(), REGION.to_owned(), domain)).expect("the domain");
    let profiles = d.profiles.len();
    let objects = d.profiles.values().map(|p| p.objects.len()).sum();
    let list = target["opt_out_list"].as_str().expect("list").to_owned();
    let mut numbers: Vec<String> =
        world.sms.region(ACCOUNT, REGION).opted_out.get(&list).map(|m| m.keys().cloned().collect()).unwrap_or_default();
    numbers.sort();
    let tenant = target["tenant"].as_str().expect("tenant").to_owned();
    let mut emails: Vec<String> = world
        .ses
        .region(ACCOUNT, REGION)
        .suppressed
        .keys()
        .filter(|(t, _)| t.as_deref() == Some(tenant.as_str()))
        .map(|(_, a)| a.clone())
        .collect();
    emails.sort();
    (profiles, objects, numbers, emails)
}

#[test]
fn a_clients_audience_is_loaded_complete_reconciled_and_resumed_after_kill_9_without_a_duplicate() {
    let n = applied();
    let input = n.dir.path().join("export");
    let (numbers, emails) = export(&input, 2400);

    // Locally first: the transform says what will be loaded.
    let out = n.dir.path().join("transformed");
    let t = json_of(
        &n.cmd()
            .args(["--json", "audience", "transform", "--from"])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("transform"),
    );
    let rec = &t["reconciliation"];
    assert_eq!(rec["endpoints_read"], 2400);
    assert_eq!(rec["invalid_address"], 1);
    assert_eq!(rec["in_profiles"], 2399);
    assert_eq!(rec["opt_outs"]["sms_numbers"], numbers.len());
    assert_eq!(rec["opt_outs"]["email_addresses"], emails.len());
    let profiles = rec["profiles"].as_u64().expect("profiles");

    // A load killed part-way (after some checkpoints), then run again with the same input.
    let journal = n.dir.path().join("e.pinshift");
    let checkpoints = || -> i64 {
        rusqlite::Connection::open(&journal)
            .and_then(|db| db.query_row("SELECT coalesce(sum(done), 0) FROM audience_progress", [], |r| r.get(0)))
            .unwrap_or(0)
    };
    let args = |extra: &[&str]| {
        let mut a: Vec<String> = ["audience", "load", "--client", CLIENT, "--concurrency", "2", "--from"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        a.push(input.display().to_string());
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        a
    };
    let mut child = n.std_cmd().args(args(&[])).stdout(std::process::Stdio::null()).spawn().expect("a load");
    let started = std::time::Instant::now();
    while checkpoints() < 300 {
        assert!(started.elapsed().as_secs() < 120, "the load made no progress");
        assert!(child.try_wait().expect("status").is_none(), "the load finished before it could be killed");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    let first = checkpoints();
    assert!(first < profiles as i64 + (numbers.len() + emails.len()) as i64, "killed before the end");

    let resumed = n.cmd().args(["--json"]).args(args(&["--take-over"])).output().expect("resume");
    let summary = json_of(&resumed);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert_eq!(summary["resumed"], true, "{summary:#}");
    assert_eq!(summary["state"], "finished");
    assert_eq!(summary["holds"], true, "{summary:#}");
    assert_eq!(summary["profiles_written"], profiles);
    assert_eq!(summary["opted_out_written"], numbers.len());
    assert_eq!(summary["suppressed_written"], emails.len());

    // Read back from outside: one profile per user or lone endpoint, one object each (no duplicate after
    // the kill), every opted-out number in the client's list and every address in its tenant's suppression.
    let (held_profiles, objects, held_numbers, held_emails) = held(&n, &summary["target"]);
    assert_eq!(held_profiles as u64, profiles);
    assert_eq!(objects as u64, profiles, "an object written twice would be a duplicate");
    assert_eq!(held_numbers, numbers);
    assert_eq!(held_emails, emails);
    let counts = &summary["counts"];
    assert_eq!(counts["profiles"], profiles);
    assert_eq!(counts["opted_out_numbers"], numbers.len());
    assert_eq!(counts["suppressed_addresses"], emails.len());

    // The profile of a user carries its attributes and addresses.
    {
        let world = n.sandbox.state.world();
        let domain = summary["target"]["domain"].as_str().expect("domain").to_owned();
        let d = world.profiles.domains.get(&(ACCOUNT.to_owned(), REGION.to_owned(), domain)).expect("domain");
        let user0 = d.profiles.values().find(|p| p.record["AccountNumber"] == "user-0").expect("user-0's profile");
        assert_eq!(user0.record["EmailAddress"], "person0@fjord.example", "{:#}", user0.record);
        assert_eq!(user0.record["PhoneNumber"], "+12065550001", "{:#}", user0.record);
        assert_eq!(user0.record["Attributes"]["tier"], "gold,silver", "{:#}", user0.record);
    }

    // Loading again changes nothing; reconcile reads the target again and agrees.
    let again = json_of(&n.cmd().args(["--json"]).args(args(&[])).output().expect("again"));
    assert_eq!(again["holds"], true);
    assert_eq!(held(&n, &summary["target"]).0 as u64, profiles);
    let reconciled = n.cmd().args(["audience", "reconcile", "--client", CLIENT]).output().expect("reconcile");
    assert!(reconciled.status.success(), "{}", stderr(&reconciled));
    assert!(stderr(&reconciled).contains("The load reconciles"), "{}", stderr(&reconciled));

    // The plan says how the audience is loaded and how long it takes at AWS's rates.
    let plan = stderr(&n.cmd().args(["migrate", "plan", "--client", CLIENT]).output().expect("plan"));
    assert!(plan.contains(&format!("Audience of {CLIENT} (from the last load's transform): 2400 endpoints")), "{plan}");
    assert!(plan.contains("BatchPutProfileObject") && plan.contains("at AWS's rates"), "{plan}");

    // Verify reads the audience back with the rest; a profile lost in the target is found.
    let verify = || {
        let out = n.cmd().args(["--json", "migrate", "verify", "--client", CLIENT]).output().expect("verify");
        json_of(&out)["clients"][0].clone()
    };
    let checked = verify();
    assert_eq!(checked["audience"]["state"], "loaded", "{checked:#}");
    assert_eq!(checked["audience"]["counts"]["profiles"], profiles);
    {
        let mut world = n.sandbox.state.world();
        let domain = summary["target"]["domain"].as_str().expect("domain").to_owned();
        let d = world.profiles.domains.get_mut(&(ACCOUNT.to_owned(), REGION.to_owned(), domain)).expect("domain");
        let first = d.profiles.keys().next().cloned().expect("a profile");
        d.profiles.remove(&first);
    }
    let checked = verify();
    assert_eq!(checked["audience"]["state"], "lost", "{checked:#}");
    assert_eq!(checked["verdict"], "differs", "{checked:#}");
    assert!(checked["audience"]["note"].as_str().is_some_and(|n| n.contains(&format!("profiles: {profiles} written"))));

    // The journal holds the load (started, parts, ended) and its chain verifies.
    n.cmd().args(["journal", "verify"]).assert().success();
    let rows = json_of(&n.cmd().args(["--json", "journal", "show", "--client", CLIENT]).output().expect("show"));
    let loads = rows.as_array().expect("rows").iter().filter(|r| r["kind"] == "audience").count();
    assert!(loads >= 6, "{rows:#}");
}

#[test]
fn a_load_refuses_input_it_cannot_read_until_the_user_accepts_the_loss_and_a_client_must_be_applied_first() {
    let n = Northwind::start(None);
    n.cmd().args(["scan"]).assert().success();
    n.cmd().args(["blueprint", "save", "--by", "tester"]).assert().success();
    let input = n.dir.path().join("export");
    export(&input, 40);
    std::fs::write(
        input.join("extra.jsonl"),
        "{\"Id\":\"x1\",\"ChannelType\":\"EMAIL\",\"Address\":\"x@fjord.example\"}\n{broken\n",
    )
    .expect("write");
    let load = |extra: &[&str]| {
        let mut cmd = n.cmd();
        cmd.args(["audience", "load", "--client", CLIENT, "--from"]).arg(&input).args(extra);
        cmd.output().expect("load")
    };
    let unapplied = load(&[]);
    assert!(!unapplied.status.success());
    assert!(stderr(&unapplied).contains("apply the client first"), "{}", stderr(&unapplied));

    n.cmd().args(["blueprint", "sign-off", CLIENT, "--by", "Ann"]).assert().success();
    // The load above recorded its input as the client's source: the run applies the client, then stops
    // at the input it cannot all read and asks for the user's say.
    let run = n.cmd().args(["migrate", "apply", "--client", CLIENT, "--yes", "--wait", "0"]).output().expect("apply");
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stderr(&run).contains(&format!("Audience of {CLIENT}: needs decision:")), "{}", stderr(&run));
    assert!(stderr(&run).contains("--accept-problems REASON"), "{}", stderr(&run));
    let refused = load(&[]);
    assert!(!refused.status.success());
    let text = stderr(&refused);
    assert!(text.contains("1 line(s) of the export could not be read") && text.contains("problems.csv"), "{text}");
    assert!(text.contains("--accept-problems"), "{text}");
    // Under throttles and writes whose answer is lost (applied, then a 5xx or a dropped connection), a
    // load that fails is run again until it finishes: nothing is duplicated, nothing missing.
    let faults = "seed=5,throttle=0.2,applied_error=0.05,applied_drop=0.05";
    n.sandbox.state.faults.set(faults.parse().expect("faults"));
    let mut summary = Value::Null;
    for _ in 0..6 {
        let accepted = load(&["--json", "--accept-problems", "the customer re-exports the broken line later"]);
        if accepted.status.success() {
            summary = json_of(&accepted);
            break;
        }
        assert!(stderr(&accepted).contains("failed") || stderr(&accepted).contains("AWS"), "{}", stderr(&accepted));
    }
    n.sandbox.state.faults.set(Default::default());
    assert_eq!(summary["holds"], true, "{summary:#}");
    let (profiles, objects, numbers, emails) = held(&n, &summary["target"]);
    assert_eq!((profiles as u64, objects as u64), (summary["profiles_written"].as_u64().unwrap_or(0), profiles as u64));
    assert_eq!(numbers.len() as u64, summary["opted_out_written"].as_u64().unwrap_or(0));
    assert_eq!(emails.len() as u64, summary["suppressed_written"].as_u64().unwrap_or(0));
    // The reason is journaled.
    let rows = json_of(&n.cmd().args(["--json", "journal", "show", "--client", CLIENT]).output().expect("show"));
    assert!(
        rows.as_array()
            .expect("rows")
            .iter()
            .any(|r| r["detail"].as_str().is_some_and(|d| d.contains("the customer re-exports the broken line later"))),
        "{rows:#}"
    );
}

/// The client's audience as a step of the migration run: its source recorded (an S3 prefix the customer
/// exported to), the plan says apply loads it, apply loads it once the domain, list and tenant exist,
/// a second run finds it loaded, verify reads it back, and a rollback says what stays.
#[test]
fn applying_a_client_loads_its_audience_from_its_recorded_source_in_s3_once() {
    let n = Northwind::start(None);
    n.cmd().args(["scan"]).assert().success();
    n.cmd().args(["blueprint", "save", "--by", "tester"]).assert().success();
    n.cmd().args(["blueprint", "sign-off", CLIENT, "--by", "Ann"]).assert().success();
    let input = n.dir.path().join("export");
    let (numbers, emails) = export(&input, 600);
    {
        let mut world = n.sandbox.state.world();
        world.s3.buckets.insert(
            "fjord-exports".into(),
            pinshift_sandbox::services::s3::Bucket {
                owner: ACCOUNT.into(),
                region: REGION.into(),
                objects: Default::default(),
            },
        );
        for piece in ["part-0.gz", "part-1.gz"] {
            let data = std::fs::read(input.join(piece)).expect("piece");
            let key = format!("pinpoint/fjord/job-1/{piece}");
            world.s3.put("fjord-exports", &key, data.into(), "application/gzip").expect("put");
        }
    }
    let url = "s3://fjord-exports/pinpoint/fjord/";

    // Nothing recorded: the run would not load it, and load asks for --from.
    let none = n.cmd().args(["audience", "load", "--client", CLIENT]).output().expect("load");
    assert!(!none.status.success());
    assert!(stderr(&none).contains("no audience source recorded"), "{}", stderr(&none));
    let missing = n.cmd().args(["audience", "source", "--client", CLIENT, "--from", "/nowhere/at/all"]).output();
    let missing = missing.expect("source");
    assert!(!missing.status.success() && stderr(&missing).contains("/nowhere/at/all"), "{}", stderr(&missing));

    n.cmd().args(["audience", "source", "--client", CLIENT, "--from", url]).assert().success();
    let listed = stdout(&n.cmd().args(["audience", "source"]).output().expect("list"));
    assert!(listed.contains(url) && listed.contains("recorded"), "{listed}");
    let plan = stderr(&n.cmd().args(["migrate", "plan", "--client", CLIENT]).output().expect("plan"));
    assert!(plan.contains(&format!("apply loads them from {url} (recorded)")), "{plan}");
    let policy = n.cmd().args(["iam-policy", "migrate"]).output().expect("policy");
    assert!(stdout(&policy).contains("arn:aws:s3:::fjord-exports/pinpoint/fjord/*"), "{}", stdout(&policy));

    let applied =
        n.cmd().args(["migrate", "apply", "--client", CLIENT, "--yes", "--wait", "0"]).output().expect("apply");
    assert!(applied.status.success(), "{}", stderr(&applied));
    assert!(stderr(&applied).contains(&format!("Audience of {CLIENT}: loaded: load-")), "{}", stderr(&applied));
    let loads = json_of(&n.cmd().args(["--json", "migrate", "verify", "--client", CLIENT]).output().expect("verify"));
    let checked = &loads["clients"][0];
    assert_eq!(checked["audience"]["state"], "loaded", "{checked:#}");
    let profiles = checked["audience"]["counts"]["profiles"].as_u64().expect("profiles");

    // Read back from the sandbox: every user's profile once, every opt-out and suppression.
    let target: Value = rusqlite::Connection::open(n.dir.path().join("e.pinshift"))
        .and_then(|db| db.query_row("SELECT target FROM audience_load", [], |r| r.get::<_, String>(0)))
        .map(|t| serde_json::from_str(&t).expect("a target"))
        .expect("the load's target");
    let (held_profiles, objects, held_numbers, held_emails) = held(&n, &target);
    assert_eq!((held_profiles as u64, objects as u64), (profiles, profiles));
    assert!(profiles > 250, "about two endpoints a user, lone endpoints their own profile: {profiles}");
    assert_eq!(held_numbers, numbers);
    assert_eq!(held_emails, emails);

    // The next run finds it loaded and writes nothing.
    let calls = || n.sandbox.state.calls().iter().filter(|c| c.operation == "BatchPutProfileObject").count();
    let before = calls();
    let again = n.cmd().args(["migrate", "apply", "--client", CLIENT, "--yes", "--wait", "0"]).output().expect("again");
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains(&format!("Audience of {CLIENT}: already loaded")), "{}", stderr(&again));
    assert_eq!(calls(), before, "a loaded audience is not written again");
    let rows = json_of(&n.cmd().args(["--json", "journal", "show", "--client", CLIENT]).output().expect("show"));
    let step = format!("audience/{CLIENT}");
    let outcomes: Vec<&str> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["step"] == step.as_str() && r["phase"] == "outcome")
        .filter_map(|r| r["outcome"].as_str())
        .collect();
    assert_eq!(outcomes, ["loaded", "already_loaded"], "{rows:#}");

    // The reports carry the reconciliation: CSV (and the same tables in XLSX), HTML.
    let csv = n.dir.path().join("report-csv");
    n.cmd().args(["report", "--format", "csv", "--out"]).arg(&csv).assert().success();
    let audience = std::fs::read_to_string(csv.join("audience.csv")).expect("audience.csv");
    assert!(audience.starts_with("client,load,state,reconciles,what,transformed,written,held,where"), "{audience}");
    assert!(
        audience.contains(&format!("{CLIENT},load-")) && audience.contains(",finished,true,profiles,"),
        "{audience}"
    );
    assert!(audience.contains(&format!(",opted-out numbers,{n},{n},{n},", n = numbers.len())), "{audience}");
    let channels = std::fs::read_to_string(csv.join("audience-channels.csv")).expect("audience-channels.csv");
    assert!(channels.contains(&format!("{CLIENT},all,600,599,1,0,0,")), "{channels}");
    let html = n.dir.path().join("report.html");
    n.cmd().args(["report", "--format", "html", "--out"]).arg(&html).assert().success();
    let html = std::fs::read_to_string(html).expect("html");
    assert!(html.contains("Audience reconciliation") && html.contains("every endpoint accounted for"), "html");
    assert!(!html.contains("@fjord.example") && !audience.contains("+1206"), "reports hold counts, never addresses");

    // The work folder (the download and the transform hold addresses) goes on request; a later run still
    // finds the audience loaded (the source's files are downloaded again, the load is idempotent).
    let work = n.dir.path().join("e.pinshift.audience").join(CLIENT);
    assert!(work.join("exports").exists(), "the download is kept for resuming");
    let cleaned = n.cmd().args(["audience", "clean", "--client", CLIENT]).output().expect("clean");
    assert!(cleaned.status.success() && stderr(&cleaned).contains("Deleted"), "{}", stderr(&cleaned));
    assert!(!work.exists());

    // A rollback removes what runs created and says the audience is end users' data.
    let rolled = n.cmd().args(["migrate", "rollback", "--client", CLIENT, "--yes"]).output().expect("rollback");
    assert!(rolled.status.success(), "{}", stderr(&rolled));
    let text = format!("{}{}", stdout(&rolled), stderr(&rolled));
    assert!(text.contains(&format!("audience/{CLIENT}: loaded profiles go only with")), "{text}");
    assert!(!text.contains("object-type: not in this blueprint"), "{text}");
}

/// Every client of the demo BPO account, end to end: the scan's audience profiling exports each project
/// into the customer's bucket; applying every client loads each export; then, read back from the sandbox
/// and computed from the exported endpoints themselves (not from Pinshift's transform), each client's
/// domain holds one profile per user and per endpoint without a UserId, and its opt-out list and tenant
/// suppression hold exactly its opted-out numbers and addresses — no other client's.
#[test]
fn every_demo_client_is_loaded_and_holds_exactly_its_own_audience() {
    let t0 = std::time::Instant::now();
    let n = Northwind::start(None);
    let scan = n
        .cmd()
        .args(["scan", "--region", REGION, "--audience-bucket", "northwind-pinshift-exports"])
        .args(["--audience-role", "arn:aws:iam::444444444444:role/PinpointExport"])
        .output()
        .expect("scan");
    assert_eq!(scan.status.code(), Some(0), "{}", stderr(&scan));
    n.cmd().args(["blueprint", "save", "--by", "tester"]).assert().success();
    let sources = json_of(&n.cmd().args(["--json", "audience", "source"]).output().expect("sources"));
    let mut sources = sources.as_object().expect("by client").clone();
    assert!(sources.len() >= 10, "every us-east-1 project exported: {sources:#?}");
    // CI loads three clients (a shared domain's two, email + SMS; voice and email on a dedicated one);
    // `make drills` loads every client (PINSHIFT_DEMO_AUDIENCE=all).
    let chosen = std::env::var("PINSHIFT_DEMO_AUDIENCE")
        .unwrap_or_else(|_| "fjord-travel,harbor-logistics,iris-insurance".into());
    if chosen != "all" {
        sources.retain(|client, _| chosen.split(',').any(|c| c == client));
    }
    let mut apply = n.cmd();
    apply.env("PINSHIFT_TARGET_RATE_SCALE", "200").args(["migrate", "apply", "--yes", "--wait", "0"]);
    for (client, source) in &sources {
        assert_eq!(source["origin"], "scan export", "{source:#}");
        n.cmd().args(["blueprint", "sign-off", client, "--by", "Ann"]).assert().success();
        apply.args(["--client", client]);
    }
    // What the account's opt-out lists held before (an adopted list keeps its Pinpoint-era numbers).
    let before: BTreeMap<String, BTreeSet<String>> = {
        let mut world = n.sandbox.state.world();
        world
            .sms
            .region(ACCOUNT, REGION)
            .opted_out
            .iter()
            .map(|(l, m)| (l.clone(), m.keys().cloned().collect()))
            .collect()
    };
    let applied = apply.output().expect("apply");
    let text = stderr(&applied);
    eprintln!("{} clients scanned and applied, audiences loaded in {:.1} s", sources.len(), t0.elapsed().as_secs_f64());
    assert!(applied.status.success(), "{text}");
    for client in sources.keys() {
        assert!(text.contains(&format!("Audience of {client}: loaded: load-")), "{client}: {text}");
    }

    // What each client's export holds, from the objects in the bucket.
    // Client → (profile keys, opted-out numbers, opted-out addresses).
    type Expected = (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>);
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    {
        let world = n.sandbox.state.world();
        let bucket = &world.s3.buckets["northwind-pinshift-exports"];
        for (client, source) in &sources {
            let url = source["from"][0].as_str().expect("url");
            let prefix = url.trim_start_matches("s3://northwind-pinshift-exports/");
            let (profiles, numbers, emails) = expected.entry(client.clone()).or_default();
            for (key, object) in bucket.objects.range(prefix.to_owned()..).take_while(|(k, _)| k.starts_with(prefix)) {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(&object.data[..]), &mut text)
                    .unwrap_or_else(|e| panic!("{key}: {e}"));
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    let e: Value = serde_json::from_str(line).expect("an endpoint");
                    let id = e["Id"].as_str().expect("Id");
                    profiles.insert(match e["User"]["UserId"].as_str() {
                        Some(user) if !user.is_empty() => format!("user:{user}"),
                        _ => format!("endpoint:{id}"),
                    });
                    if e["OptOut"] == "ALL" {
                        let address = e["Address"].as_str().unwrap_or_default();
                        match e["ChannelType"].as_str() {
                            Some("SMS" | "VOICE") => {
                                numbers.insert(address.to_owned());
                            }
                            Some("EMAIL") => {
                                emails.insert(address.to_lowercase());
                            }
                            _ => {}
                        }
                    }
                }
            }
            assert!(!profiles.is_empty(), "{client}: nothing exported under {url}");
        }
    }

    let loads: Vec<Value> = {
        let db = rusqlite::Connection::open(n.dir.path().join("e.pinshift")).expect("db");
        let mut stmt = db.prepare("SELECT result FROM audience_load WHERE state = 'finished'").expect("sql");
        stmt.query_map([], |r| r.get::<_, String>(0))
            .expect("rows")
            .map(|t| serde_json::from_str(&t.expect("row")).expect("json"))
            .collect()
    };
    assert!(
        loads.iter().any(|l| l["target"]["shared_domain"] == true),
        "a shared domain is among the clients: {:#?}",
        loads.iter().map(|l| &l["target"]).collect::<Vec<_>>()
    );
    let mut world = n.sandbox.state.world();
    for (client, (profiles, numbers, emails)) in &expected {
        let load = loads.iter().find(|l| l["client"] == client.as_str()).expect("the client's load");
        assert_eq!(load["holds"], true, "{client}: {load:#}");
        let rec = &load["reconciliation"];
        assert_eq!(rec["endpoints_read"], rec["in_profiles"], "{client}: every endpoint in a profile: {rec:#}");
        let target = &load["target"];
        if let Some(domain) = target["domain"].as_str() {
            let d = &world.profiles.domains[&(ACCOUNT.to_owned(), REGION.to_owned(), domain.to_owned())];
            let mine: Vec<_> = d
                .profiles
                .values()
                .filter(|p| {
                    !target["shared_domain"].as_bool().unwrap_or(false)
                        || p.record["Attributes"]["pinshift_client"] == client.as_str()
                })
                .collect();
            assert_eq!(mine.len(), profiles.len(), "{client}: one profile per user and per lone endpoint");
            assert!(mine.iter().all(|p| p.objects.len() == 1), "{client}: no profile written twice");
        }
        if let Some(list) = target["opt_out_list"].as_str() {
            let held: BTreeSet<String> = world
                .sms
                .region(ACCOUNT, REGION)
                .opted_out
                .get(list)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            let mut want = before.get(list).cloned().unwrap_or_default();
            want.extend(numbers.iter().cloned());
            let (missing, extra): (Vec<_>, Vec<_>) =
                (want.difference(&held).collect(), held.difference(&want).collect());
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{client}: the opt-out list {list} holds what it held and the export's {} opt-outs; missing {missing:?}, \
                 not the client's {extra:?}",
                numbers.len()
            );
        } else {
            assert!(numbers.is_empty(), "{client} has opted-out numbers but no opt-out list");
        }
        if let Some(tenant) = target["tenant"].as_str() {
            let held: BTreeSet<String> = world
                .ses
                .region(ACCOUNT, REGION)
                .suppressed
                .keys()
                .filter(|(t, _)| t.as_deref() == Some(tenant))
                .map(|(_, a)| a.clone())
                .collect();
            let (missing, extra): (Vec<_>, Vec<_>) =
                (emails.difference(&held).collect(), held.difference(emails).collect());
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{client}: tenant {tenant}'s suppression holds exactly the export's {}; missing {missing:?}, not the \
                 client's {extra:?}",
                emails.len()
            );
        } else {
            assert!(emails.is_empty(), "{client} has opted-out addresses but no SES tenant");
        }
    }
}

/// kill -9 while a migration run loads a client's audience, then `migrate resume`: the load goes on
/// where its checkpoint was, and the target ends with every profile once, every opt-out and suppression.
#[test]
fn a_run_killed_while_loading_an_audience_resumes_without_a_duplicate_or_a_gap() {
    let n = Northwind::start(None);
    n.cmd().args(["scan"]).assert().success();
    n.cmd().args(["blueprint", "save", "--by", "tester"]).assert().success();
    n.cmd().args(["blueprint", "sign-off", CLIENT, "--by", "Ann"]).assert().success();
    let input = n.dir.path().join("export");
    let (numbers, emails) = export(&input, 2400);
    n.cmd().args(["audience", "source", "--client", CLIENT, "--from"]).arg(&input).assert().success();

    let journal = n.dir.path().join("e.pinshift");
    let checkpoints = || -> i64 {
        rusqlite::Connection::open(&journal)
            .and_then(|db| db.query_row("SELECT coalesce(sum(done), 0) FROM audience_progress", [], |r| r.get(0)))
            .unwrap_or(0)
    };
    let mut child = n
        .std_cmd()
        .args(["migrate", "apply", "--client", CLIENT, "--yes", "--wait", "0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("a run");
    let started = std::time::Instant::now();
    while checkpoints() < 200 {
        assert!(started.elapsed().as_secs() < 180, "the run's load made no progress");
        assert!(child.try_wait().expect("status").is_none(), "the run finished before it could be killed");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("kill -9");
    child.wait().expect("reaped");

    let resumed = n.cmd().args(["migrate", "resume", "--take-over", "--wait", "0"]).output().expect("resume");
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert!(stderr(&resumed).contains(&format!("Audience of {CLIENT}: loaded: load-")), "{}", stderr(&resumed));
    let load: Value = rusqlite::Connection::open(&journal)
        .and_then(|db| db.query_row("SELECT result FROM audience_load", [], |r| r.get::<_, String>(0)))
        .map(|t| serde_json::from_str(&t).expect("json"))
        .expect("one load, resumed");
    assert_eq!(load["resumed"], true, "{load:#}");
    assert_eq!(load["holds"], true, "{load:#}");
    let profiles = load["reconciliation"]["profiles"].as_u64().expect("profiles");
    let (held_profiles, objects, held_numbers, held_emails) = held(&n, &load["target"]);
    assert_eq!((held_profiles as u64, objects as u64), (profiles, profiles), "one object per profile: no duplicate");
    assert_eq!(held_numbers, numbers);
    assert_eq!(held_emails, emails);
    n.cmd().args(["journal", "verify"]).assert().success();
}
