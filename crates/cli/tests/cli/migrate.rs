//! `pinshift migrate` against the sandbox's demo estate: a signed-off client planned, applied across SES,
//! Connect, Q in Connect, Customer Profiles and Outbound Campaigns (waiting out what AWS creates
//! asynchronously), applied again without duplicates, its journal verified and exported, then rolled back
//! to the target state before the run; tampering with the journal is found. And a kill -9 drill.

use serde_json::Value;

use crate::{Northwind, stderr, stdout};

fn json(output: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(output), stderr(output)))
}

/// What a client's migration writes to, as the sandbox holds it: SES, Connect, Customer Profiles, Q in
/// Connect and Outbound Campaigns (SMS opt-out lists are kept by a rollback, so SMS is checked apart).
fn target_of(sandbox: &pinshift_sandbox::RunningSandbox) -> Value {
    let snapshot = pinshift_sandbox::target::snapshot(&sandbox.state.world(), sandbox.state.clock.now());
    let place = &snapshot["accounts"]["444444444444"]["us-east-1"];
    let mut ses = place["ses"].clone();
    if let Some(ses) = ses.as_object_mut() {
        ses.remove("events");
    }
    serde_json::json!({
        "ses": ses,
        "connect": place["connect"],
        "profiles": place["profiles"],
        "qconnect": place["qconnect"],
        "campaigns": place["campaigns"],
    })
}

/// `migrate apply --wait 0` until a pass creates nothing more, moving the sandbox clock past what AWS
/// brings up asynchronously (a Connect instance, an onboarding job) between passes; the passes' summaries.
fn apply_until_settled(n: &Northwind, client: &str) -> Vec<Value> {
    let mut passes = Vec::new();
    for _ in 0..5 {
        let args = ["--json", "migrate", "apply", "--client", client, "--yes", "--wait", "0"];
        let applied = json(&n.cmd().args(args).output().expect("apply"));
        let created = applied["created"].as_u64().expect("created");
        passes.push(applied);
        if created == 0 {
            return passes;
        }
        n.sandbox.state.clock.advance(120.0);
    }
    panic!("the run did not settle in 5 passes: {passes:#?}")
}

#[test]
fn a_signed_off_client_is_planned_applied_once_journaled_and_rolled_back() {
    let n = Northwind::start(None);
    n.cmd().args(["scan"]).assert().success();
    n.cmd().args(["blueprint", "save", "--by", "tester"]).assert().success();
    let before = target_of(&n.sandbox);

    let unsigned = n.cmd().args(["migrate", "apply", "--client", "aurora-books", "--yes"]).output().expect("apply");
    assert!(!unsigned.status.success() && stderr(&unsigned).contains("not signed off"), "{}", stderr(&unsigned));
    n.cmd().args(["blueprint", "sign-off", "aurora-books", "--by", "Ann"]).assert().success();
    // The account's Connect instance quota is short (the pre-flight says so): the instance waits at a gate
    // until a person has the increase granted and confirms it.
    let gated = json(&n.cmd().args(["--json", "migrate", "plan", "--client", "aurora-books"]).output().expect("plan"));
    let instance = gated["steps"].as_array().expect("steps").iter().find(|s| s["kind"] == "connect-instance").cloned();
    let instance = instance.expect("the instance step");
    assert_eq!(instance["action"], "gate", "{instance:#}");
    assert!(instance["instructions"].as_str().is_some_and(|i| i.contains("Service Quotas")), "{instance:#}");
    let bad = n.cmd().args(["migrate", "gate", "nope", "--by", "Ann"]).output().expect("gate");
    assert!(stderr(&bad).contains("no step \"nope\""), "{}", stderr(&bad));
    grant_instance_quota(&n);
    n.cmd().args(["migrate", "gate", instance["id"].as_str().expect("id"), "--by", "Ann"]).assert().success();
    let unknown = n.cmd().args(["migrate", "plan", "--client", "nobody"]).output().expect("plan");
    assert!(stderr(&unknown).contains("\"nobody\" has no target resources"), "{}", stderr(&unknown));

    let plan = json(&n.cmd().args(["--json", "migrate", "plan", "--client", "aurora-books"]).output().expect("plan"));
    let steps = plan["steps"].as_array().expect("steps");
    let creates = steps.iter().filter(|s| s["action"] == "create").count() as u64;
    let adopts = steps.iter().filter(|s| s["action"] == "adopt").count() as u64;
    let planned = |kind: &str, action: &str| steps.iter().any(|s| s["kind"] == kind && s["action"] == action);
    // The existing Firehose destination has other settings than the blueprint's: a decision, not a write.
    assert!(planned("ses-event-destination", "differs"), "{plan}");
    assert!(planned("ses-tenant", "create"), "{plan}");
    // Every service of the client's tenancy is written: SES, Connect, Q in Connect, Customer Profiles,
    // Outbound Campaigns.
    for kind in ["connect-instance", "knowledge-base", "message-template", "profiles-domain", "campaigns-onboarding"] {
        assert!(planned(kind, "create"), "{kind} is not planned as a create: {plan}");
    }
    // What is adopted gets Pinshift's tags (and a rollback takes back only what it added).
    assert!(planned("tags", "create"), "{plan}");
    // A human gate is announced in the plan, with its instructions.
    assert!(steps.iter().any(|s| s["action"] == "gate" && s["instructions"].as_str().is_some()), "{plan}");

    let unconfirmed = n.cmd().args(["migrate", "apply", "--client", "aurora-books"]).output().expect("apply");
    assert!(stderr(&unconfirmed).contains("pass --yes"), "{}", stderr(&unconfirmed));
    let passes = apply_until_settled(&n, "aurora-books");
    // The first pass leaves the new Connect instance coming up: what needs it waits, nothing fails.
    assert!(passes.len() >= 3, "{passes:#?}");
    assert_eq!(passes[0]["state"], "finished", "{passes:#?}");
    assert!(passes[0]["blocked"].as_u64() > Some(0), "{passes:#?}");
    let sum = |member: &str| passes.iter().map(|p| p[member].as_u64().unwrap_or(0)).sum::<u64>();
    let created = sum("created");
    // Every planned create was made, or found already as wanted (a new tenant's default reputation policy
    // may be the one the blueprint asks for: the plan cannot read a tenant that does not exist yet).
    let adopted = passes[0]["adopted"].as_u64().expect("adopted");
    assert_eq!(created + adopted - adopts, creates, "{passes:#?}");
    let last = passes.last().expect("a pass");
    assert_eq!(last["differs"], 1, "{last}");
    assert_eq!(last["failed"], 0, "{last}");
    assert_eq!(last["clients"], serde_json::json!({ "aurora-books": "needs_decision" }), "{last}");

    // Read back from outside: the instance, the knowledge base with active templates, the flows as
    // drafts with their references resolved, each once.
    let after = target_of(&n.sandbox);
    let instances = |t: &Value| t["connect"]["instances"].as_array().map_or(0, Vec::len);
    assert_eq!(instances(&after), instances(&before) + 1, "{after:#}");
    let kbs: Vec<&Value> = after["qconnect"]["knowledge_bases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|kb| kb["name"].as_str().is_some_and(|n| n.contains("message-templates")))
        .collect();
    assert_eq!(kbs.len(), 1, "{after:#}");
    let templates = kbs[0]["messageTemplates"].as_array().expect("templates");
    assert!(!templates.is_empty(), "{:#}", kbs[0]);
    // The campaigns wait for the address they send from, which waits at its gate.
    let campaigns = steps.iter().filter(|s| s["kind"] == "campaign").count();
    assert!(campaigns > 0, "{plan}");
    assert_eq!(after["campaigns"], before["campaigns"], "a campaign was created before its gate");

    // A person does what the gate asks — the domain set up for the instance, which the Connect admin
    // website records as an SES_IDENTITY integration — and confirms it; the next passes create the
    // address and the campaigns, unstarted.
    let gate = steps.iter().find(|s| s["kind"] == "email-address").expect("email address step");
    let instance = after["connect"]["instances"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["InstanceAlias"] == "shared-engage-us-east-1")
        .and_then(|i| i["Id"].as_str())
        .expect("the new instance")
        .to_owned();
    let theirs = n.sandbox.state.calls().len();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let config = n.sandbox.sdk_config("AKIADEMONORTHWIND001", "demo/northwind/secret/key/00000000000001").await;
        aws_sdk_connect::Client::new(&config)
            .create_integration_association()
            .instance_id(&instance)
            .integration_type(aws_sdk_connect::types::IntegrationType::SesIdentity)
            .integration_arn("arn:aws:ses:us-east-1:444444444444:identity/aurorabooks.example")
            .send()
            .await
            .expect("the person's integration");
    });
    let person = theirs..n.sandbox.state.calls().len();
    let gate_id = gate["id"].as_str().expect("id");
    n.cmd().args(["migrate", "gate", gate_id, "--by", "Dana"]).assert().success();
    let more = apply_until_settled(&n, "aurora-books");
    let later: u64 = more.iter().map(|p| p["created"].as_u64().unwrap_or(0)).sum();
    assert_eq!(later, campaigns as u64 + 1, "{more:#?}");
    let created = created + later;
    let after = target_of(&n.sandbox);
    let made: Vec<&Value> = after["campaigns"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["name"].as_str().is_some_and(|n| n.starts_with("aurora-books")))
        .collect();
    assert_eq!(made.len(), campaigns, "{:#}", after["campaigns"]);
    assert!(made.iter().all(|c| c["state"] == "Initialized"), "campaigns are left unstarted: {made:#?}");

    // Again: nothing new, nothing duplicated.
    let again = json(
        &n.cmd().args(["--json", "migrate", "apply", "--client", "aurora-books", "--yes"]).output().expect("again"),
    );
    assert_eq!(again["created"], 0, "{again}");
    assert_eq!(again["done"].as_u64(), Some(created), "{again}");
    assert_eq!(target_of(&n.sandbox), after, "a second apply changed the target");

    // Verify reads everything back: all there, tagged and as asked except the decision left open; every
    // template rendered by SES and Q in Connect as Pinpoint rendered it; segments wait for the audience.
    let verified = verify(&n, "aurora-books");
    let client = &verified["clients"][0];
    assert_eq!(client["verdict"], "differs", "{client:#}");
    let off: Vec<(&str, &str)> = client["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter(|r| r["check"] != "matches")
        .map(|r| (r["kind"].as_str().unwrap_or_default(), r["check"].as_str().unwrap_or_default()))
        .collect();
    // The two integrations still wait at their gates (the Connect admin website's steps): not applied.
    let waiting = [("campaigns-integration", "not_applied"), ("profiles-integration", "not_applied")];
    assert_eq!(off, [waiting[0], waiting[1], ("ses-event-destination", "differs")], "{client:#}");
    let templates = client["templates"].as_array().expect("templates");
    for kind in ["ses-email-template", "message-template"] {
        assert!(templates.iter().any(|t| t["kind"] == kind), "no {kind} rendered: {client:#}");
    }
    for t in templates {
        assert_eq!(t["identical"], t["endpoints"], "{t:#}");
        assert!(!t["rendered"].as_array().expect("rendered").is_empty(), "{t:#}");
    }
    let segments = client["segments"].as_array().expect("segments");
    assert!(!segments.is_empty() && segments.iter().all(|s| s["state"] == "awaiting_audience"), "{segments:#?}");
    let count = |member: &str| client["counts"][member].as_u64().expect("count");
    assert_eq!(count("present"), count("expected") - 2, "{client:#}");

    // The report carries each client's status, verification and decommission checklist.
    let report = n.dir.path().join("report.md");
    n.cmd().args(["report", "--format", "md", "--out"]).arg(&report).assert().success();
    let text = std::fs::read_to_string(&report).expect("report");
    assert!(text.contains("### Migration") && text.contains("**Verification**: differs"), "{text}");
    assert!(text.contains("### Decommission checklist") && text.contains("KPI windows"), "{text}");

    // Something changed from outside is found: a template deleted and one edited in SES.
    let ses_templates: Vec<String> = templates
        .iter()
        .filter(|t| t["kind"] == "ses-email-template")
        .map(|t| t["template"].as_str().expect("name").to_owned())
        .collect();
    runtime.block_on(async {
        let config = n.sandbox.sdk_config("AKIADEMONORTHWIND001", "demo/northwind/secret/key/00000000000001").await;
        let ses = aws_sdk_sesv2::Client::new(&config);
        ses.delete_email_template().template_name(&ses_templates[0]).send().await.expect("deleted by someone");
    });
    let verified = verify(&n, "aurora-books");
    let missing = verified["clients"][0]["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["name"] == ses_templates[0].as_str())
        .expect("the template")
        .clone();
    assert_eq!(missing["check"], "missing", "{missing:#}");
    let waves = json(&n.cmd().args(["--json", "migrate", "waves"]).output().expect("waves"));
    let aurora = waves["clients"].as_array().expect("clients").iter().find(|c| c["client"] == "aurora-books").cloned();
    assert_eq!(aurora.as_ref().map(|c| &c["verdict"]), Some(&Value::from("differs")), "{waves:#}");
    // Applied again, the template is back (the journal says it was created: a resume re-creates only
    // what a read finds missing) and verify agrees.
    runtime.block_on(async {
        let config = n.sandbox.sdk_config("AKIADEMONORTHWIND001", "demo/northwind/secret/key/00000000000001").await;
        let ses = aws_sdk_sesv2::Client::new(&config);
        ses.create_email_template()
            .template_name(&ses_templates[0])
            .template_content(
                aws_sdk_sesv2::types::EmailTemplateContent::builder().subject("changed").text("changed").build(),
            )
            .send()
            .await
            .expect("re-created by someone, differently");
    });
    let verified = verify(&n, "aurora-books");
    let changed = verified["clients"][0]["templates"]
        .as_array()
        .expect("templates")
        .iter()
        .find(|t| t["template"] == ses_templates[0].as_str())
        .expect("the template")
        .clone();
    assert_eq!(changed["identical"], 0, "{changed:#}");
    runtime.block_on(async {
        let config = n.sandbox.sdk_config("AKIADEMONORTHWIND001", "demo/northwind/secret/key/00000000000001").await;
        aws_sdk_sesv2::Client::new(&config)
            .delete_email_template()
            .template_name(&ses_templates[0])
            .send()
            .await
            .expect("cleaned up by someone");
    });

    n.cmd().args(["journal", "verify"]).assert().success();
    let exported = stdout(&n.cmd().args(["journal", "export", "--format", "jsonl"]).output().expect("export"));
    assert!(exported.lines().count() as u64 > created * 2, "{exported}");

    // Without --include-connect-instances the instance stays (AWS's 30-day limit), and says so.
    let rolled = json(&n.cmd().args(["--json", "migrate", "rollback", "--yes"]).output().expect("rollback"));
    assert_eq!(rolled["deleted"].as_u64(), Some(created - 1), "{rolled}");
    assert!(rolled.to_string().contains("30-day limit"), "{rolled}");
    let args = ["--json", "migrate", "rollback", "--yes", "--include-connect-instances"];
    let rolled = json(&n.cmd().args(args).output().expect("rollback"));
    assert_eq!(rolled["deleted"], 1, "{rolled}");
    let now = target_of(&n.sandbox);
    for service in ["ses", "profiles", "qconnect", "campaigns"] {
        assert_eq!(now[service], before[service], "the rollback leaves {service} as it was before the run");
    }
    assert_eq!(instances(&now), instances(&before));
    let twice = json(&n.cmd().args(["--json", "migrate", "rollback", "--yes"]).output().expect("rollback"));
    assert_eq!(twice["deleted"], 0, "{twice}");

    // Least privilege: every call Pinshift made (scan, plans, applies, rollbacks; not the person's) is
    // one `iam-policy migrate` allows.
    let missing = outside_the_policy(&n, person);
    assert!(missing.is_empty(), "the migrate policy does not allow {missing:?}");

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

/// Where two JSON documents differ, by path (a value each side, cut short).
fn differences(a: &Value, b: &Value, path: &str) -> Vec<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter()
                .flat_map(|k| {
                    differences(
                        x.get(k).unwrap_or(&Value::Null),
                        y.get(k).unwrap_or(&Value::Null),
                        &format!("{path}.{k}"),
                    )
                })
                .collect()
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().flat_map(|(i, (x, y))| differences(x, y, &format!("{path}[{i}]"))).collect()
        }
        _ if a == b => Vec::new(),
        _ => {
            let cut = |v: &Value| v.to_string().chars().take(300).collect::<String>();
            vec![format!("{path}: {} ≠ {}", cut(a), cut(b))]
        }
    }
}

/// `migrate verify --json` for one client (it exits non-zero when something differs; the JSON is printed
/// either way).
fn verify(n: &Northwind, client: &str) -> Value {
    json(&n.cmd().args(["--json", "migrate", "verify", "--client", client]).output().expect("verify"))
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
    let snapshot = pinshift_sandbox::target::snapshot(&sandbox.state.world(), sandbox.state.clock.now());
    let place = &snapshot["accounts"]["444444444444"]["us-east-1"];
    let mut ses = place["ses"].clone();
    if let Some(ses) = ses.as_object_mut() {
        ses.remove("events");
    }
    shape(&serde_json::json!({
        "ses": ses,
        "sms": place["sms"],
        "connect": place["connect"],
        "profiles": place["profiles"],
        "qconnect": place["qconnect"],
        "campaigns": place["campaigns"],
    }))
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
    grant_instance_quota(&n);
    let mut args = vec!["--json", "migrate", "plan"];
    for client in DRILL_CLIENTS {
        args.extend(["--client", client]);
    }
    let plan = json(&n.cmd().args(args).output().expect("plan"));
    for step in plan["steps"].as_array().expect("steps").iter().filter(|s| s["kind"] == "connect-instance") {
        if step["action"] == "gate" {
            n.cmd().args(["migrate", "gate", step["id"].as_str().expect("id"), "--by", "Ann"]).assert().success();
        }
    }
    n
}

/// What AWS does when it grants the Connect instance quota increase a person requested.
fn grant_instance_quota(n: &Northwind) {
    n.sandbox.state.world().connect.instance_quota.insert(("444444444444".into(), "us-east-1".into()), 10);
}

fn apply_args() -> Vec<&'static str> {
    let mut args = vec!["migrate", "apply", "--yes", "--wait", "0"];
    for client in DRILL_CLIENTS {
        args.extend(["--client", client]);
    }
    args
}

/// After the drilled apply: the sandbox clock past the Connect instance's and the onboarding's setup,
/// and applies until nothing is left waiting for them (taking over the lease a killed run may have left).
fn settle(n: &Northwind) {
    for _ in 0..2 {
        n.sandbox.state.clock.advance(120.0);
        n.cmd().args(apply_args()).arg("--take-over").assert().success();
    }
}

/// The calls Pinshift made to the sandbox (outside `skip`) that `pinshift iam-policy migrate` does not
/// allow.
fn outside_the_policy(n: &Northwind, skip: std::ops::Range<usize>) -> Vec<String> {
    let policy = json(&n.cmd().args(["iam-policy", "migrate"]).output().expect("policy"));
    let allowed: std::collections::BTreeSet<String> = policy["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["Effect"] == "Allow")
        .flat_map(|s| s["Action"].as_array().cloned().unwrap_or_default())
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect();
    let mut missing: Vec<String> = n
        .sandbox
        .state
        .calls()
        .iter()
        .enumerate()
        .filter(|(i, c)| !skip.contains(i) && c.status < 300 && c.service != "sts")
        .map(|(_, c)| format!("{}:{}", c.service, c.operation))
        .filter(|action| !allowed.contains(action))
        .collect();
    missing.sort();
    missing.dedup();
    missing
}

fn journal_rows(file: &std::path::Path) -> i64 {
    rusqlite::Connection::open(file)
        .and_then(|db| db.query_row("SELECT count(*) FROM journal", [], |r| r.get(0)))
        .unwrap_or(0)
}

/// Kill -9 during a two-client apply (SES, SMS, Connect, Q in Connect, Customer Profiles and Outbound
/// Campaigns writes), at points spread over its journal — after the
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
        settle(&n);
        let missing = outside_the_policy(&n, 0..0);
        assert!(missing.is_empty(), "the migrate policy does not allow {missing:?}");
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
        let resumed = n.cmd().args(["migrate", "resume", "--take-over", "--wait", "0"]).output().expect("resume");
        // The kill may land after the run finished: then there is nothing to resume (the end state below is
        // still compared).
        let finished = stderr(&resumed).contains("every run has finished");
        assert!(resumed.status.success() || finished, "point {i} (row {k}, at {at}): {}", stderr(&resumed));
        eprintln!(
            "drill point {i}: killed at journal row {at}{}; {}",
            if dangling { " (a create in flight)" } else { "" },
            stderr(&resumed).lines().last().unwrap_or_default()
        );
        settle(&n);
        assert_eq!(target_shape(&n.sandbox), reference, "point {i} (row {k}): the target differs from a clean run");
        n.cmd().args(["journal", "verify"]).assert().success();
        n.stop();
    }
    eprintln!(
        "drill: {points} kill points ({in_flight} with a create in flight), 0 duplicates, every chain verified, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn waves_are_proposed_saved_reshaped_and_choose_the_clients_of_a_run() {
    let n = Northwind::start(None);
    n.cmd().args(["scan"]).assert().success();
    n.cmd().args(["blueprint", "save", "--by", "tester"]).assert().success();
    let proposed = json(&n.cmd().args(["--json", "migrate", "waves"]).output().expect("waves"));
    assert_eq!(proposed["waves"]["saved"], false, "{proposed:#}");
    let waves = proposed["waves"]["waves"].as_array().expect("waves").clone();
    let clients: Vec<String> = proposed["clients"]
        .as_array()
        .expect("clients")
        .iter()
        .map(|c| c["client"].as_str().expect("id").to_owned())
        .collect();
    // A pilot first (3–5 clients, or fewer when there are few), then the rest; every client once.
    assert_eq!(waves[0]["pilot"], true, "{proposed:#}");
    let pilot: Vec<String> =
        waves[0]["clients"].as_array().expect("pilot").iter().map(|c| c.as_str().expect("id").to_owned()).collect();
    assert!((1..=5).contains(&pilot.len()) && pilot.len() < clients.len(), "{proposed:#}");
    assert!(pilot.len() >= 3.min(clients.len() - 1), "{proposed:#}");
    let placed: usize = waves.iter().map(|w| w["clients"].as_array().map_or(0, Vec::len)).sum();
    assert_eq!(placed, clients.len(), "{proposed:#}");
    assert!(proposed["clients"].as_array().expect("clients").iter().all(|c| c["stage"] == "planned"), "{proposed:#}");
    let text = stdout(&n.cmd().args(["migrate", "waves"]).output().expect("waves"));
    assert!(text.contains("pilot") && text.contains("planned"), "{text}");

    n.cmd().args(["migrate", "waves", "--accept"]).assert().success();
    let saved = json(&n.cmd().args(["--json", "migrate", "waves"]).output().expect("waves"));
    assert_eq!(saved["waves"]["saved"], true);
    assert_eq!(saved["waves"]["waves"].as_array(), Some(&waves));

    // One client moved to a wave of its own; bad names and unknown clients are refused, naming them.
    let moved = &pilot[0];
    n.cmd().args(["migrate", "waves", "--set", "late", "--clients", moved]).assert().success();
    let now = json(&n.cmd().args(["--json", "migrate", "waves"]).output().expect("waves"));
    let late = now["waves"]["waves"].as_array().expect("waves").iter().find(|w| w["name"] == "late").cloned();
    assert_eq!(late.map(|w| w["clients"].clone()), Some(serde_json::json!([moved])), "{now:#}");
    let unknown = n.cmd().args(["migrate", "waves", "--set", "x", "--clients", "nobody"]).output().expect("waves");
    assert!(!unknown.status.success() && stderr(&unknown).contains("\"nobody\""), "{}", stderr(&unknown));
    let bad = n.cmd().args(["migrate", "waves", "--set", "a b", "--clients", moved]).output().expect("waves");
    assert!(stderr(&bad).contains("wave name"), "{}", stderr(&bad));
    let missing = n.cmd().args(["migrate", "plan", "--wave", "nope"]).output().expect("plan");
    assert!(stderr(&missing).contains("no wave \"nope\""), "{}", stderr(&missing));

    // A plan of a wave is the plan of its clients.
    let plan = json(&n.cmd().args(["--json", "migrate", "plan", "--wave", "late"]).output().expect("plan"));
    assert_eq!(plan["clients"], serde_json::json!([moved]), "{plan:#}");
    n.stop();
}

#[test]
fn a_run_under_throttles_errors_and_lost_answers_reaches_the_same_target() {
    let reference = {
        let n = signed_off();
        n.cmd().args(apply_args()).assert().success();
        settle(&n);
        let shape = target_shape(&n.sandbox);
        n.stop();
        shape
    };
    let n = signed_off();
    // 20% throttled, 2% server errors, and writes that land but lose their answer (2% a 5xx, 2% a
    // dropped connection): retried, read back, never duplicated.
    let faults = "seed=11,throttle=0.2,server_error=0.02,applied_error=0.02,applied_drop=0.02";
    n.sandbox.state.faults.set(faults.parse().expect("faults"));
    let before = n.sandbox.state.calls().len();
    let started = std::time::Instant::now();
    let mut passes = 0;
    loop {
        passes += 1;
        let pass = json(&n.cmd().args(apply_args()).arg("--json").output().expect("apply"));
        // Settled: a pass after the instance came up that creates nothing and fails nothing.
        let settled = passes > 2 && pass["created"] == 0 && pass["failed"] == 0;
        if settled || passes == 8 {
            assert!(settled, "the run did not settle under faults in {passes} passes: {pass:#}");
            break;
        }
        n.sandbox.state.clock.advance(120.0);
    }
    let calls = n.sandbox.state.calls();
    let injected = calls[before..].iter().filter(|c| c.status == 429 || c.status >= 500).count();
    n.sandbox.state.faults.set(Default::default());
    assert!(injected > 0, "no fault was injected");
    let differences = differences(&target_shape(&n.sandbox), &reference, "");
    assert!(differences.is_empty(), "faults changed what the run left in the target: {differences:#?}");
    n.cmd().args(["journal", "verify"]).assert().success();
    eprintln!(
        "faults drill: {} calls, {injected} answered 429/5xx, {passes} passes, same target as a clean run, {:.1} s",
        calls.len() - before,
        started.elapsed().as_secs_f64()
    );
    n.stop();
}

/// What AWS and third parties finish is read live, never confirmed by a person: a client's unverified
/// domain waits with the DKIM records to publish printed (the tenant association waits on it), and a pool
/// waits while its number's registration is in review. `apply --poll` reads the target again and goes on
/// as each is done — the records published (the sandbox verifies the domain) and the carrier's approval
/// (the sandbox activates the number) — until nothing waits.
#[test]
fn dns_verification_and_registrations_are_read_live_and_a_polling_run_goes_on_when_they_are_done() {
    const CLIENTS: [&str; 2] = ["fjord-travel", "granite-bank"];
    let n = Northwind::start(None);
    n.cmd().args(["scan"]).assert().success();
    n.cmd().args(["blueprint", "save", "--by", "tester"]).assert().success();
    for client in CLIENTS {
        n.cmd().args(["blueprint", "sign-off", client, "--by", "Ann"]).assert().success();
    }
    grant_instance_quota(&n);
    let scoped = |args: &[&'static str]| {
        let mut all = args.to_vec();
        for client in CLIENTS {
            all.extend(["--client", client]);
        }
        all
    };
    let plan = json(&n.cmd().args(scoped(&["--json", "migrate", "plan"])).output().expect("plan"));
    let steps = plan["steps"].as_array().expect("steps").clone();
    for step in steps.iter().filter(|s| s["kind"] == "connect-instance" && s["action"] == "gate") {
        n.cmd().args(["migrate", "gate", step["id"].as_str().expect("id"), "--by", "Ann"]).assert().success();
    }
    let identity = steps.iter().find(|s| s["kind"] == "ses-identity" && s["name"] == "fjordtravel.example");
    let identity = identity.expect("fjord's identity step");
    assert_eq!(identity["action"], "adopt", "{identity:#}");
    let waits = identity["waiting"]["what"].as_str().unwrap_or_default();
    assert!(waits.contains("DNS verification of fjordtravel.example"), "{identity:#}");
    let records = identity["waiting"]["records"].as_array().expect("records");
    assert_eq!(records.len(), 3, "{identity:#}");
    for r in records {
        assert_eq!(r["type"], "CNAME", "{r}");
        let (name, value) = (r["name"].as_str().expect("name"), r["value"].as_str().expect("value"));
        let token = name.strip_suffix("._domainkey.fjordtravel.example").expect("a DKIM selector");
        assert_eq!(value, format!("{token}.dkim.amazonses.com"), "{r}");
    }
    let pool = steps.iter().find(|s| s["kind"] == "sms-pool" && s["clients"] == serde_json::json!(["granite-bank"]));
    let pool = pool.expect("granite's pool step");
    assert_eq!(pool["action"], "waiting", "{pool:#}");
    assert!(pool["on"].as_str().is_some_and(|on| on.contains("is PENDING")), "{pool:#}");
    // The plain plan prints the records to publish and says what waits.
    let text = stderr(&n.cmd().args(scoped(&["migrate", "plan"])).output().expect("plan"));
    assert!(text.contains("Publish these DNS records for SES identity fjordtravel.example"), "{text}");
    assert!(
        text.contains("._domainkey.fjordtravel.example") && text.contains("wait for AWS or a third party"),
        "{text}"
    );

    // A polling run: it applies what it can, then reads again every second.
    let args = scoped(&["--json", "migrate", "apply", "--yes", "--wait", "0", "--poll", "1"]);
    let mut child = n.std_cmd().args(args).stdout(std::process::Stdio::piped()).spawn().expect("a polling apply");
    let world = || n.sandbox.state.world();
    // Whether some SES tenant holds the domain.
    let associated = || {
        let snapshot = pinshift_sandbox::target::snapshot(&world(), n.sandbox.state.clock.now());
        let tenants = snapshot["accounts"]["444444444444"]["us-east-1"]["ses"]["tenants"].clone();
        tenants.as_array().into_iter().flatten().any(|t| {
            t["Resources"].as_array().into_iter().flatten().any(|r| {
                r.as_str().is_some_and(|r| r.ends_with(":identity/fjordtravel.example"))
                    || r["ResourceArn"].as_str().is_some_and(|r| r.ends_with(":identity/fjordtravel.example"))
            })
        })
    };
    // Until the records are published and the registration approved, it waits (and AWS's own setups
    // finish as the sandbox clock moves).
    let started = std::time::Instant::now();
    let journal = n.dir.path().join("e.pinshift");
    let waiting_rows = || -> i64 {
        rusqlite::Connection::open(&journal)
            .and_then(|db| {
                db.query_row("SELECT count(*) FROM journal WHERE phase = 'gate' AND outcome = 'waiting'", [], |r| {
                    r.get(0)
                })
            })
            .unwrap_or(0)
    };
    while waiting_rows() == 0 {
        assert!(started.elapsed().as_secs() < 120, "the run never journaled a wait");
        std::thread::sleep(std::time::Duration::from_millis(500));
        n.sandbox.state.clock.advance(120.0);
    }
    for _ in 0..6 {
        n.sandbox.state.clock.advance(120.0);
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    assert!(child.try_wait().expect("status").is_none(), "the polling run stopped while steps still wait");
    assert!(!associated(), "the association did not wait for DNS");
    let number = world()
        .sms
        .region("444444444444", "us-east-1")
        .phone_numbers
        .iter()
        .find(|(_, p)| p["Status"] == "PENDING")
        .map(|(id, _)| id.clone())
        .expect("granite's pending number");
    assert!(world().ses.verify("444444444444", "us-east-1", "fjordtravel.example"));
    assert!(world().sms.activate("444444444444", "us-east-1", &number));
    let status = loop {
        if let Some(status) = child.try_wait().expect("status") {
            break status;
        }
        if started.elapsed().as_secs() > 240 {
            let _ = child.kill();
            panic!("the polling run did not finish once nothing waited");
        }
        n.sandbox.state.clock.advance(120.0);
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().expect("stdout"), &mut out).expect("output");
    assert!(status.success(), "{out}");
    let summary: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(summary["waiting"], 0, "{summary:#}");
    assert_eq!(summary["failed"], 0, "{summary:#}");

    // Read back: the domain is in fjord's tenant, granite's pool holds its number.
    assert!(associated(), "the domain was not associated once verified");
    let plan = json(&n.cmd().args(scoped(&["--json", "migrate", "plan"])).output().expect("plan"));
    let steps = plan["steps"].as_array().expect("steps");
    // fjord's SMS events go to a topic of its own (End User Messaging may publish to it).
    let kinds = [
        ("sms-pool", "granite-bank"),
        ("ses-tenant-association", "fjord-travel"),
        ("sns-topic", "fjord-travel"),
        ("sms-event-destination", "fjord-travel"),
    ];
    for (kind, client) in kinds {
        let mine: Vec<&Value> =
            steps.iter().filter(|s| s["kind"] == kind && s["clients"] == serde_json::json!([client])).collect();
        assert!(!mine.is_empty(), "{kind} of {client}: {plan:#}");
        assert!(mine.iter().all(|s| s["action"] == "done" || s["action"] == "adopt"), "{mine:#?}");
    }
    assert!(steps.iter().all(|s| s["waiting"].is_null() && s["action"] != "waiting"), "{plan:#}");
    let snapshot = pinshift_sandbox::target::snapshot(&world(), n.sandbox.state.clock.now());
    let topics = &snapshot["accounts"]["444444444444"]["us-east-1"]["sns"];
    let topic = topics.as_array().into_iter().flatten().find(|t| t["Name"] == "fjord-travel-sms-events");
    let topic = topic.unwrap_or_else(|| panic!("no topic: {topics:#}"));
    assert!(topic["Attributes"]["Policy"].as_str().is_some_and(|p| p.contains("sms-voice.amazonaws.com")), "{topic:#}");
    assert_eq!(topic["Tags"]["pinshift:client"], "fjord-travel", "{topic:#}");
    n.cmd().args(["journal", "verify"]).assert().success();
    n.stop();
}

/// Whether the account can send to anyone is read live, never assumed: plan and verify name an account
/// still in the SES sandbox or the SMS sandbox (with what a person does about it), and verify holds the
/// client's verdict short of verified until AWS has let the account out.
#[test]
fn an_account_in_the_ses_or_sms_sandbox_is_named_by_plan_and_verify_until_aws_lets_it_out() {
    let n = Northwind::start(None);
    n.cmd().args(["scan"]).assert().success();
    n.cmd().args(["blueprint", "save", "--by", "tester"]).assert().success();
    n.cmd().args(["blueprint", "sign-off", "fjord-travel", "--by", "Ann"]).assert().success();
    let (account, region) = ("444444444444", "us-east-1");
    n.sandbox.state.world().ses.set_production_access(account, region, false);
    n.sandbox.state.world().sms.set_account(account, region, true, None);

    let plan = json(&n.cmd().args(["--json", "migrate", "plan", "--client", "fjord-travel"]).output().expect("plan"));
    let readiness = plan["readiness"].as_array().expect("readiness");
    let of = |list: &[Value], service: &str| list.iter().find(|r| r["service"] == service).cloned();
    let ses = of(readiness, "ses").expect("SES readiness");
    assert_eq!(ses["ready"], false, "{ses:#}");
    assert!(
        ses["detail"].as_str().is_some_and(|d| d.contains("SES sandbox") && d.contains("200 messages a day")),
        "{ses:#}"
    );
    assert!(ses["todo"].as_str().is_some_and(|t| t.contains("Request production access")), "{ses:#}");
    let sms = of(readiness, "sms").expect("SMS readiness");
    assert_eq!(sms["ready"], false, "{sms:#}");
    assert!(sms["detail"].as_str().is_some_and(|d| d.contains("SMS sandbox") && d.contains("$1 a month")), "{sms:#}");
    let text = stderr(&n.cmd().args(["migrate", "plan", "--client", "fjord-travel"]).output().expect("plan"));
    assert!(text.contains("Not ready to send: Amazon SES in 444444444444 us-east-1: in the SES sandbox"), "{text}");
    assert!(text.contains("AWS Support"), "{text}");
    // Nothing a run creates needs it: the run goes on in a sandboxed account.
    let applied = json(
        &n.cmd()
            .args(["--json", "migrate", "apply", "--client", "fjord-travel", "--yes", "--wait", "0"])
            .output()
            .expect("apply"),
    );
    assert!(applied["created"].as_u64() > Some(0) && applied["failed"] == 0, "{applied:#}");

    let verify =
        || json(&n.cmd().args(["--json", "migrate", "verify", "--client", "fjord-travel"]).output().expect("verify"));
    let before = verify();
    let client = before["clients"].as_array().and_then(|c| c.first()).cloned().expect("fjord's verification");
    assert_ne!(client["verdict"], "verified", "{client:#}");
    let held = client["readiness"].as_array().expect("readiness");
    assert!(held.iter().all(|r| r["ready"] == false) && held.len() == 2, "{client:#}");

    // AWS grants production access and Support moves the SMS account out of the sandbox.
    n.sandbox.state.world().ses.set_production_access(account, region, true);
    n.sandbox.state.world().sms.set_account(account, region, false, Some(5_000));
    let after = verify();
    let client = after["clients"].as_array().and_then(|c| c.first()).cloned().expect("fjord's verification");
    let ready = client["readiness"].as_array().expect("readiness");
    assert!(ready.iter().all(|r| r["ready"] == true && r.get("todo").is_none()), "{client:#}");
    let sms = of(ready, "sms").expect("SMS readiness");
    assert!(sms["detail"].as_str().is_some_and(|d| d.contains("$5000 a month")), "{sms:#}");
}
