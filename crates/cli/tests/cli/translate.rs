//! `pinshift translate …` on the sandbox's demo estate: every segment, campaign and journey translated
//! (a golden file of what each becomes and what it loses), templates proven on 1,000 endpoints or on a
//! real export, and bad input refused with the file, line or field named.

use super::{Northwind, stderr, stdout};

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(output), stderr(output)))
}

fn losses(t: &serde_json::Value) -> Vec<String> {
    t["losses"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            format!(
                "{} | {} | {}",
                l["severity"].as_str().unwrap_or_default(),
                l["construct"].as_str().unwrap_or_default(),
                l["at"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn the_demo_estates_segments_campaigns_and_journeys_translate() {
    let northwind = Northwind::start(None);
    let cmd = || northwind.cmd();
    let scan = cmd().args(["scan"]).output().expect("scan");
    assert!(scan.status.code() == Some(0), "{}", stderr(&scan));
    let records = json(&cmd().args(["--json", "estate", "show"]).output().expect("show"));
    let names = |kind: &str| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = records["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .filter(|r| r["kind"] == kind)
            .map(|r| {
                (r["name"].as_str().unwrap_or_default().to_owned(), r["region"].as_str().unwrap_or_default().to_owned())
            })
            .collect();
        v.sort();
        v
    };
    let translate = |kind: &str, name: &str, region: &str| {
        let out = cmd().args(["--json", "translate", kind, name, "--region", region]).output().expect("translate");
        assert_eq!(out.status.code(), Some(0), "{kind} {name}: {}", stderr(&out));
        json(&out)
    };
    let mut golden = serde_json::Map::new();
    let segments = names("segment");
    assert!(segments.len() >= 20, "{segments:?}");
    for (name, region) in &segments {
        let r = translate("segment", name, region);
        let t = &r["translation"];
        golden.insert(
            format!("segment {name} ({region})"),
            serde_json::json!({
                "client": r["client"],
                "definitions": t["definitions"].as_array().expect("definitions").iter().map(|d| serde_json::json!({"name": d["SegmentDefinitionName"], "groups": d["SegmentGroups"]})).collect::<Vec<_>>(),
                "upload": t["upload"],
                "losses": losses(t),
                "size": format!("pinpoint {} / profiles {}", r["estimate"]["pinpoint"], r["estimate"]["profiles"]),
            }),
        );
    }
    for (name, region) in names("campaign") {
        let r = translate("campaign", &name, &region);
        let t = &r["translation"];
        golden.insert(
            format!("campaign {name} ({region})"),
            serde_json::json!({
                "client": r["client"],
                "created": t["created"],
                "definition": t["definition"],
                "templates": t["templates"].as_array().expect("templates").iter().map(|x| x["name"].clone()).collect::<Vec<_>>(),
                "losses": losses(t),
            }),
        );
    }
    for (name, region) in names("journey") {
        let r = translate("journey", &name, &region);
        let t = &r["translation"];
        assert_eq!(t["flow"]["Type"], "CAMPAIGN");
        assert_eq!(t["flow"]["Status"], "SAVED", "created as a draft");
        assert_eq!(t["campaign"]["type"], "JOURNEY");
        let content: serde_json::Value =
            serde_json::from_str(t["flow"]["Content"].as_str().expect("content")).expect("flow JSON");
        assert_eq!(content, t["flow_content"], "the request carries the flow as text");
        // every path ends: each action's targets exist
        let ids: Vec<&str> =
            content["Actions"].as_array().expect("actions").iter().filter_map(|a| a["Identifier"].as_str()).collect();
        for a in content["Actions"].as_array().expect("actions") {
            for next in crate::translate::targets(a) {
                assert!(ids.contains(&next.as_str()), "{name}: {} goes to unknown block {next}", a["Identifier"]);
            }
        }
        // a wait until a fixed date lasts as long as is left until it
        let mut content = content;
        for a in content["Actions"].as_array_mut().into_iter().flatten() {
            if a["Identifier"] == "wait" && name == "cobalt-comeback" {
                a["Parameters"]["TimeLimitSeconds"] = serde_json::json!("[until 2026-12-24]");
            }
        }
        golden.insert(
            format!("journey {name} ({region})"),
            serde_json::json!({"client": r["client"], "flow": content["Actions"], "start": content["StartAction"], "campaign": t["campaign"], "losses": losses(t)}),
        );
    }
    insta::with_settings!({filters => vec![
        (r"[0-9a-f]{32}", "[id]"),
        (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?", "[time]"),
        (r"so it is \d+ seconds from", "so it is [n] seconds from"),
    ]}, {
        insta::assert_json_snapshot!("demo_translations", golden);
    });

    // a name in two Regions is refused until a Region says which
    let both = cmd().args(["translate", "segment", "shippers"]).output().expect("translate");
    assert_eq!(both.status.code(), Some(1));
    assert!(stderr(&both).contains("names 2 segments") && stderr(&both).contains("--region"), "{}", stderr(&both));
    let unknown = cmd().args(["translate", "campaign", "no-such-campaign"]).output().expect("translate");
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("aurora-monthly"), "the known names are listed: {}", stderr(&unknown));
    northwind.stop();
}

/// Every block an action can go to.
pub fn targets(a: &serde_json::Value) -> Vec<String> {
    let t = &a["Transitions"];
    let mut out: Vec<String> = t["NextAction"].as_str().map(str::to_owned).into_iter().collect();
    for list in ["Conditions", "Errors"] {
        for c in t[list].as_array().into_iter().flatten() {
            out.extend(c["NextAction"].as_str().map(str::to_owned));
        }
    }
    out
}

#[test]
fn templates_are_proven_on_generated_and_real_endpoints() {
    let northwind = Northwind::start(None);
    let cmd = || northwind.cmd();
    let scan = cmd().args(["scan", "--region", "us-east-1"]).output().expect("scan");
    assert_eq!(scan.status.code(), Some(0), "{}", stderr(&scan));

    // what a reviewer reads: before and after, the variables, the proof
    let out =
        cmd().args(["translate", "template", "aurora-newsletter", "--target", "connect"]).output().expect("translate");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("before: <h1>Hi {{User.UserAttributes.FirstName}}</h1>"), "{text}");
    assert!(text.contains("after:  <h1>Hi {{Attributes.Customer.Attributes.FirstName}}</h1>"), "{text}");
    assert!(text.contains("Proof: PROVEN — 1000 of 1000 generated endpoints (seed 1) render identically"), "{text}");

    let proof = json(
        &cmd().args(["--json", "translate", "template", "aurora-newsletter", "--target", "ses"]).output().expect("ses"),
    );
    assert_eq!(proof["proof"]["identical"], 1000);
    assert_eq!(proof["proof"]["proven"], true, "{proof}");
    assert!(
        proof["translation"]["content"]["TemplateContent"]["Html"].as_str().is_some_and(|h| h
            .contains("{{#if User.UserAttributes.FirstName}}{{User.UserAttributes.FirstName}}{{else}}reader{{/if}}")),
        "the default becomes an if/else: {proof}"
    );

    // the recommender cannot move: flagged, never proven
    let rec = json(
        &cmd()
            .args(["--json", "translate", "template", "juniper-recommendations", "--target", "connect"])
            .output()
            .expect("rec"),
    );
    assert_eq!(rec["proof"]["proven"], false);
    assert!(losses(&rec["translation"]).iter().any(|l| l.starts_with("loss | recommender | RecommenderId")), "{rec}");

    // real endpoints from an export file (gzip or not), and a bad line named by file and line
    let export = northwind.dir.path().join("export.jsonl");
    std::fs::write(
        &export,
        "{\"Id\":\"real-1\",\"ChannelType\":\"EMAIL\",\"Address\":\"a@example.com\",\"User\":{\"UserAttributes\":{\"FirstName\":[\"Zoë\"]}}}\n\
         {\"Id\":\"real-2\",\"ChannelType\":\"EMAIL\",\"Address\":\"b@example.com\",\"User\":{}}\n",
    )
    .expect("export");
    let real = json(
        &cmd()
            .args(["--json", "translate", "template", "aurora-newsletter", "--target", "connect", "--endpoints"])
            .arg(&export)
            .output()
            .expect("real"),
    );
    assert_eq!(real["proof"]["endpoints"], 2);
    assert_eq!(real["proof"]["identical"], 2);
    assert_eq!(real["proof"]["proven"], false, "two endpoints are not a proof");
    assert!(real["proof"]["sample"].as_str().is_some_and(|s| s.contains("export.jsonl")), "{real}");
    std::fs::write(&export, "{\"Id\":\"ok\"}\nnot json\n").expect("bad export");
    let bad = cmd()
        .args(["translate", "template", "aurora-newsletter", "--target", "connect", "--endpoints"])
        .arg(&export)
        .output()
        .expect("bad");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("export.jsonl line 2"), "{}", stderr(&bad));

    // a broken template added behind Pinshift's back: the scan keeps it, translation says where it breaks
    super::sandbox_call(
        &northwind.sandbox,
        "CreateEmailTemplate",
        serde_json::json!({"TemplateName": "broken", "EmailTemplateRequest": {"Subject": "ok", "HtmlPart": "<p>\n{{#if Attributes.tier}}never closed</p>"}}),
    );
    let scan = cmd().args(["scan", "--region", "us-east-1"]).output().expect("scan");
    assert_eq!(scan.status.code(), Some(0), "{}", stderr(&scan));
    let broken =
        json(&cmd().args(["--json", "translate", "template", "broken", "--target", "ses"]).output().expect("broken"));
    let syntax = broken["translation"]["losses"]
        .as_array()
        .expect("losses")
        .iter()
        .find(|l| l["construct"] == "template syntax")
        .expect("syntax loss")
        .clone();
    assert_eq!(syntax["at"], "HtmlPart");
    assert_eq!(syntax["position"]["line"], 2, "{syntax}");
    let sms_to_ses = cmd().args(["translate", "template", "bluebird-topup", "--target", "ses"]).output().expect("sms");
    assert!(stdout(&sms_to_ses).contains("SES sends email only"), "{}", stdout(&sms_to_ses));
    let segment_to_ses = cmd().args(["translate", "template"]).output().expect("usage");
    assert_eq!(segment_to_ses.status.code(), Some(2), "usage errors exit 2");
    northwind.stop();
}
