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
