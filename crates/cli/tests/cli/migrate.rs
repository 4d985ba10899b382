//! `pinshift migrate` against the sandbox's demo estate: a signed-off client planned, applied (SES v2 in
//! this build), applied again without duplicates, its journal verified and exported, then rolled back
//! to the target state before the run; tampering with the journal is found.

use serde_json::Value;

use crate::{Northwind, stderr, stdout};

fn json(output: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(output), stderr(output)))
}

fn ses_of(sandbox: &pinshift_sandbox::RunningSandbox) -> Value {
    let snapshot = pinshift_sandbox::target::snapshot(&sandbox.state.world(), jiff::Timestamp::now());
    let place = &snapshot["accounts"]["444444444444"]["us-east-1"];
    serde_json::json!({ "ses": place["ses"] })
}

#[test]
fn a_signed_off_client_is_planned_applied_once_journaled_and_rolled_back() {
    let n = Northwind::start(None);
    n.cmd().args(["scan"]).assert().success();
    n.cmd().args(["blueprint", "save", "--by", "tester"]).assert().success();
    let before = ses_of(&n.sandbox);

    let unsigned = n.cmd().args(["migrate", "apply", "--client", "aurora-books", "--yes"]).output().expect("apply");
    assert!(!unsigned.status.success() && stderr(&unsigned).contains("not signed off"), "{}", stderr(&unsigned));
    n.cmd().args(["blueprint", "sign-off", "aurora-books", "--by", "Ann"]).assert().success();
    let unknown = n.cmd().args(["migrate", "plan", "--client", "nobody"]).output().expect("plan");
    assert!(stderr(&unknown).contains("\"nobody\" has no target resources"), "{}", stderr(&unknown));

    let plan = json(&n.cmd().args(["--json", "migrate", "plan", "--client", "aurora-books"]).output().expect("plan"));
    let steps = plan["steps"].as_array().expect("steps");
    let creates = steps.iter().filter(|s| s["action"] == "create").count();
    let adopts = steps.iter().filter(|s| s["action"] == "adopt").count() as u64;
    // The existing Firehose destination has other settings than the blueprint's: a decision, not a write.
    assert!(steps.iter().any(|s| s["kind"] == "ses-event-destination" && s["action"] == "differs"), "{plan}");
    // What this build cannot write yet is said, not skipped silently.
    assert!(steps.iter().any(|s| s["kind"] == "connect-instance" && s["action"] == "not_automated"), "{plan}");
    assert!(creates > 3, "{plan}");
    assert!(steps.iter().any(|s| s["kind"] == "ses-tenant" && s["action"] == "create"), "{plan}");

    let unconfirmed = n.cmd().args(["migrate", "apply", "--client", "aurora-books"]).output().expect("apply");
    assert!(stderr(&unconfirmed).contains("pass --yes"), "{}", stderr(&unconfirmed));
    let applied = json(
        &n.cmd().args(["--json", "migrate", "apply", "--client", "aurora-books", "--yes"]).output().expect("apply"),
    );
    assert_eq!(applied["state"], "finished", "{applied}");
    // Every planned create was made, or found already as wanted (a new tenant's default reputation policy
    // may be the one the blueprint asks for: the plan cannot read a tenant that does not exist yet).
    let created = applied["created"].as_u64().expect("created");
    let adopted = applied["adopted"].as_u64().expect("adopted");
    assert_eq!(created + adopted - adopts, creates as u64, "{applied}");
    assert_eq!(applied["differs"], 1, "{applied}");
    assert_eq!(applied["clients"], serde_json::json!({ "aurora-books": "needs_decision" }), "{applied}");
    let after = ses_of(&n.sandbox);
    assert_ne!(before, after);
    let tenants = after["ses"]["tenants"].as_array().expect("tenants").len();

    // Again: nothing new, nothing duplicated.
    let again = json(
        &n.cmd().args(["--json", "migrate", "apply", "--client", "aurora-books", "--yes"]).output().expect("again"),
    );
    assert_eq!(again["created"], 0, "{again}");
    assert_eq!(again["done"].as_u64(), Some(created), "{again}");
    assert_eq!(ses_of(&n.sandbox)["ses"]["tenants"].as_array().map(Vec::len), Some(tenants));

    n.cmd().args(["journal", "verify"]).assert().success();
    let exported = stdout(&n.cmd().args(["journal", "export", "--format", "jsonl"]).output().expect("export"));
    assert!(exported.lines().count() as u64 > created * 2, "{exported}");

    let rolled = json(&n.cmd().args(["--json", "migrate", "rollback", "--yes"]).output().expect("rollback"));
    assert_eq!(rolled["deleted"].as_u64(), Some(created), "{rolled}");
    assert_eq!(ses_of(&n.sandbox), before, "the rollback leaves SES as it was before the run");
    let twice = json(&n.cmd().args(["--json", "migrate", "rollback", "--yes"]).output().expect("rollback"));
    assert_eq!(twice["deleted"], 0, "{twice}");

    // A changed row breaks the chain, named.
    let file = n.dir.path().join("e.pinshift");
    {
        let db = rusqlite::Connection::open(&file).expect("open");
        db.execute("UPDATE journal SET outcome = 'adopted' WHERE seq = 5", []).expect("tamper");
    }
    let broken = n.cmd().args(["journal", "verify"]).output().expect("verify");
    assert!(!broken.status.success(), "{}", stdout(&broken));
    assert!(stderr(&broken).contains("breaks at row 5"), "{}", stderr(&broken));
    n.stop();
}

/// The target side as a shape that two sandboxes can share: ids, ARNs, times and run names replaced,
/// maps keyed by ids turned into sorted lists — so a duplicate shows as an extra item.
fn shape(value: &Value) -> Value {
    fn random(text: &str) -> bool {
        let hex_run = text.chars().filter(char::is_ascii_hexdigit).count() >= 16;
        hex_run || text.starts_with("run-") || (text.len() >= 20 && text.contains('T') && text.ends_with('Z'))
    }
    fn walk(value: &Value, key: &str) -> Value {
        let timeish = ["Timestamp", "Time", "At", "Date"].iter().any(|k| key.ends_with(k));
        match value {
            _ if timeish => Value::String("*".into()),
            Value::String(s) if random(s) => Value::String("*".into()),
            Value::Array(items) => {
                let mut items: Vec<Value> = items.iter().map(|v| walk(v, key)).collect();
                items.sort_by_key(|v| v.to_string());
                Value::Array(items)
            }
            Value::Object(map) if map.keys().any(|k| random(k)) => {
                let mut items: Vec<Value> = map.iter().map(|(k, v)| walk(v, k)).collect();
                items.sort_by_key(|v| v.to_string());
                Value::Array(items)
            }
            Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), walk(v, k))).collect()),
            other => other.clone(),
        }
    }
    walk(value, "")
}

fn target_shape(sandbox: &pinshift_sandbox::RunningSandbox) -> Value {
    let snapshot = pinshift_sandbox::target::snapshot(&sandbox.state.world(), jiff::Timestamp::now());
    let place = &snapshot["accounts"]["444444444444"]["us-east-1"];
    let mut ses = place["ses"].clone();
    if let Some(ses) = ses.as_object_mut() {
        ses.remove("events");
    }
    shape(&serde_json::json!({ "ses": ses, "sms": place["sms"] }))
}

const DRILL_CLIENTS: [&str; 2] = ["aurora-books", "granite-bank"];

/// A demo engagement scanned, saved and signed off for the drill's clients.
fn signed_off() -> Northwind {
    let n = Northwind::start(None);
    n.cmd().args(["scan"]).assert().success();
    n.cmd().args(["blueprint", "save", "--by", "tester"]).assert().success();
    for client in DRILL_CLIENTS {
        n.cmd().args(["blueprint", "sign-off", client, "--by", "Ann"]).assert().success();
    }
    n
}

fn apply_args() -> Vec<&'static str> {
    let mut args = vec!["migrate", "apply", "--yes"];
    for client in DRILL_CLIENTS {
        args.extend(["--client", client]);
    }
    args
}

fn journal_rows(file: &std::path::Path) -> i64 {
    rusqlite::Connection::open(file)
        .and_then(|db| db.query_row("SELECT count(*) FROM journal", [], |r| r.get(0)))
        .unwrap_or(0)
}

/// Kill -9 during a two-client apply (SES and SMS writes), at points spread over its journal — after the
/// k-th row lands, so between an intent and its outcome as well as between steps — then resume: the
/// target ends as an uninterrupted run leaves it, with no duplicate, and the journal's chain holds.
/// `PINSHIFT_DRILL_POINTS=N` runs N points (3 by default; `make drills` runs 20).
#[test]
fn a_run_killed_at_any_point_resumes_to_the_same_target_without_duplicates() {
    let (reference, rows, took) = {
        let n = signed_off();
        let started = std::time::Instant::now();
        n.cmd().args(apply_args()).assert().success();
        let took = started.elapsed();
        let rows = journal_rows(&n.dir.path().join("e.pinshift"));
        let shape = target_shape(&n.sandbox);
        n.stop();
        (shape, rows, took)
    };
    eprintln!(
        "drill: an uninterrupted two-client apply takes {:.2} s and writes {rows} journal rows",
        took.as_secs_f64()
    );
    let points: i64 = std::env::var("PINSHIFT_DRILL_POINTS").ok().and_then(|p| p.parse().ok()).unwrap_or(3);
    let started = std::time::Instant::now();
    let mut in_flight = 0;
    for i in 0..points {
        // After row k, k spread from the first row to the last but one.
        let k = 1 + (rows - 2).max(0) * i / (points - 1).max(1);
        let n = signed_off();
        let file = n.dir.path().join("e.pinshift");
        let mut child = n.std_cmd().args(apply_args()).spawn().expect("spawn");
        while journal_rows(&file) < k && child.try_wait().expect("child").is_none() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        child.kill().expect("kill -9");
        child.wait().expect("reaped");
        let at = journal_rows(&file);
        let dangling = rusqlite::Connection::open(&file)
            .and_then(|db| {
                db.query_row("SELECT phase FROM journal ORDER BY seq DESC LIMIT 1", [], |r| r.get::<_, String>(0))
            })
            .is_ok_and(|phase| phase == "intent");
        in_flight += i64::from(dangling);
        let resumed = n.cmd().args(["migrate", "resume", "--take-over"]).output().expect("resume");
        // The kill may land after the run's last row: then there is nothing to resume.
        let finished = stderr(&resumed).contains("every run has finished") && at == rows;
        assert!(resumed.status.success() || finished, "point {i} (row {k}): {}", stderr(&resumed));
        eprintln!(
            "drill point {i}: killed at journal row {at}{}; {}",
            if dangling { " (a create in flight)" } else { "" },
            stderr(&resumed).lines().last().unwrap_or_default()
        );
        assert_eq!(target_shape(&n.sandbox), reference, "point {i} (row {k}): the target differs from a clean run");
        n.cmd().args(["journal", "verify"]).assert().success();
        n.stop();
    }
    eprintln!(
        "drill: {points} kill points ({in_flight} with a create in flight), 0 duplicates, every chain verified, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
