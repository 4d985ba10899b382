//! Template translation on a corpus that uses every helper Pinpoint documents and every kind of variable:
//! what each target keeps, loses and proves. The summary is a golden file; the assertions below check what
//! a reviewer relies on whatever the summary says.

use std::collections::BTreeSet;

use pinshift_core::profile::{Channel, ProfileMapping};
use pinshift_core::templates::{PINPOINT_HELPERS, usage};
use pinshift_core::translate::Severity;
use pinshift_core::translate::template::convert::{SesPaths, Target};
use pinshift_core::translate::template::proof::{PROOF_SAMPLE, Proof, generate_endpoints, prove};
use pinshift_core::translate::template::{TemplateTranslation, template_variables, translate};
use serde_json::Value;

const TARGETS: [(&str, Target); 3] = [
    ("connect", Target::Connect),
    ("ses keep", Target::Ses(SesPaths::Keep)),
    ("ses rewrite", Target::Ses(SesPaths::Rewrite)),
];

fn corpus() -> Vec<Value> {
    let text = include_str!("fixtures/template-corpus.json");
    let mut cases: Vec<Value> = serde_json::from_str(text).expect("corpus is JSON");
    for c in &mut cases {
        let name = c["case"].as_str().expect("case").replace(' ', "-");
        c["TemplateName"] = Value::String(name);
        c["Version"] = Value::String("1".into());
    }
    cases
}

fn channel(raw: &Value) -> Channel {
    match raw["TemplateType"].as_str() {
        Some("SMS") => Channel::Sms,
        Some("PUSH") => Channel::Push,
        _ => Channel::Email,
    }
}

/// SES takes email only: an SMS case is tried as an email's text part.
fn for_target(raw: &Value, target: Target) -> Value {
    let mut raw = raw.clone();
    if matches!(target, Target::Ses(_)) && raw["TemplateType"] == "SMS" {
        raw["TemplateType"] = "EMAIL".into();
        raw["TextPart"] = raw["Body"].take();
    }
    raw
}

fn run(raw: &Value, target: Target) -> (TemplateTranslation, Proof) {
    let raw = &for_target(raw, target);
    let vars = template_variables(raw);
    let mapping = ProfileMapping::new(&vars, &[]);
    let t = translate(raw, target, &mapping);
    let endpoints = generate_endpoints(&vars, &mapping, channel(raw), PROOF_SAMPLE, 2026);
    let now = "2026-12-01T12:00:00Z".parse().expect("time");
    let proof = prove(&t, raw, &mapping, &endpoints, "generated".into(), now);
    (t, proof)
}

fn case<'a>(cases: &'a [Value], name: &str) -> &'a Value {
    cases.iter().find(|c| c["case"] == name).unwrap_or_else(|| panic!("no case {name}"))
}

#[test]
fn the_corpus_uses_every_documented_helper_and_variable_kind() {
    let mut helpers = BTreeSet::new();
    let mut roots = BTreeSet::new();
    for c in corpus() {
        for part in ["Subject", "TextPart", "HtmlPart", "Body"] {
            if let Some(u) = c[part].as_str().and_then(|s| usage(s).ok()) {
                helpers.extend(u.helpers.into_iter().map(|h| h.name));
                roots.extend(u.variables.into_iter().map(|v| v.split('.').next().unwrap_or_default().to_owned()));
            }
        }
    }
    let missing: Vec<&str> = PINPOINT_HELPERS.iter().map(|(n, _)| *n).filter(|n| !helpers.contains(*n)).collect();
    assert!(missing.is_empty(), "helpers the corpus never calls: {missing:?}");
    for root in ["User", "Attributes", "Metrics", "Demographic", "Location", "Address", "Id", "Recommendations", "Foo"]
    {
        assert!(roots.contains(root), "no variable under {root}");
    }
}

#[test]
fn golden_summary_of_every_case_and_target() {
    let mut out = String::new();
    for raw in corpus() {
        for (label, target) in TARGETS {
            let (t, proof) = run(&raw, target);
            out.push_str(&format!(
                "{} → {label}: {}, {}/{} identical, {} differ, {} cannot render\n",
                raw["case"].as_str().unwrap_or_default(),
                if proof.proven { "PROVEN" } else { "not proven" },
                proof.identical,
                proof.endpoints,
                proof.differs,
                proof.cannot_render,
            ));
            for l in &t.losses {
                out.push_str(&format!("    {} {} @ {}\n", l.severity.label(), l.construct, l.place()));
            }
        }
    }
    insta::assert_snapshot!("template_corpus", out);
}

#[test]
fn ses_flags_every_pinpoint_helper_and_connect_keeps_them() {
    let cases = corpus();
    for name in ["string helpers", "math and encoding helpers", "date helpers", "conditional helpers as blocks"] {
        let raw = &for_target(case(&cases, name), Target::Ses(SesPaths::Keep));
        let (ses, proof) = run(raw, Target::Ses(SesPaths::Keep));
        for part in ["Subject", "TextPart", "HtmlPart", "Body"] {
            let Some(u) = raw[part].as_str().and_then(|s| usage(s).ok()) else { continue };
            for h in u
                .helpers
                .iter()
                .filter(|h| !["if", "unless", "each", "with", "lookup", "log"].contains(&h.name.as_str()))
            {
                assert!(
                    ses.losses.iter().any(|l| l.severity == Severity::Loss
                        && l.construct == format!("helper {}", h.name)
                        && l.position == Some(h.position)),
                    "{name}: SES must flag {} at {:?}: {:#?}",
                    h.name,
                    h.position,
                    ses.losses
                );
            }
        }
        assert!(!proof.proven, "{name}: SES cannot render Pinpoint's helpers");
    }
    // the same templates, for Connect: same helpers, same results on 1,000 endpoints
    for name in ["math and encoding helpers", "nested helpers", "inline partial", "conditional helpers inline"] {
        let (connect, proof) = run(case(&cases, name), Target::Connect);
        assert!(proof.proven, "{name} → Connect: {proof:#?}\n{:#?}", connect.losses);
    }
    // half the generated start dates are not MM/dd/yyyy: Pinpoint cannot render those either, and
    // where it can, Connect says the same (and yesno, substring… throw on values they cannot take, in Pinpoint as in Connect)
    for name in ["date helpers", "string helpers"] {
        let (connect, proof) = run(case(&cases, name), Target::Connect);
        assert!(connect.lossless(), "{:#?}", connect.losses);
        assert_eq!(proof.differs, 0, "{name}: {proof:#?}");
        assert!(proof.identical > 100, "{name}: {proof:#?}");
    }
}

#[test]
fn convertible_templates_are_proven_and_rewritten_for_connect() {
    let cases = corpus();
    let (t, proof) = run(case(&cases, "plain variables"), Target::Connect);
    assert!(proof.proven, "{proof:#?}");
    assert_eq!(proof.identical, PROOF_SAMPLE);
    let html = t.parts.iter().find(|p| p.part == "HtmlPart").and_then(|p| p.converted.clone()).expect("html");
    assert_eq!(
        html,
        "<p>Hi {{#if Attributes.Customer.Attributes.FirstName}}{{Attributes.Customer.Attributes.FirstName}}{{/if}} from \
         {{#if Attributes.Customer.Address.City}}{{{Attributes.Customer.Address.City}}}{{/if}}</p>"
    );
    let (t, proof) = run(case(&cases, "defaults"), Target::Connect);
    assert!(proof.proven);
    assert_eq!(
        t.content["defaultAttributes"]["customerProfileAttributes"]["custom"],
        serde_json::json!({"FirstName": "reader", "Code": "------"})
    );
    let (t, proof) = run(case(&cases, "defaults"), Target::Ses(SesPaths::Keep));
    assert!(proof.proven, "{proof:#?}\n{:#?}", t.losses);
    assert!(
        t.content["TemplateContent"]["Subject"].as_str().is_some_and(|s| s
            .contains("{{#if User.UserAttributes.FirstName}}{{User.UserAttributes.FirstName}}{{else}}reader{{/if}}")),
        "{}",
        t.content
    );
    assert!(t.template_data.iter().any(|f| f.path == "Attributes.Code"), "{:#?}", t.template_data);
}

#[test]
fn what_cannot_move_is_flagged_and_never_dropped() {
    let cases = corpus();
    let (t, proof) = run(case(&cases, "unknown variable and helper"), Target::Connect);
    let body = t.parts[0].converted.clone().unwrap_or_default();
    assert!(body.contains("formatCurrency"), "an unknown helper stays in the text: {body}");
    assert!(t.losses.iter().any(|l| l.construct == "helper formatCurrency" && l.severity == Severity::Loss));
    assert!(t.losses.iter().any(|l| l.construct == "variable Foo.bar"));
    assert_eq!(proof.cannot_render, PROOF_SAMPLE, "Pinpoint could not render it either: nothing is proven");
    assert!(!proof.proven);

    let (t, proof) = run(case(&cases, "unparseable"), Target::Connect);
    let loss = t.losses.iter().find(|l| l.construct == "template syntax").expect("a syntax loss");
    assert_eq!(loss.at, "HtmlPart");
    assert_eq!(loss.position.map(|p| p.line), Some(2), "{loss:?}");
    assert!(!proof.proven);

    for (name, construct) in [("voice", "voice template"), ("in-app", "in-app template")] {
        let (t, _) = run(case(&cases, name), Target::Connect);
        assert!(!t.translated);
        assert!(t.losses.iter().any(|l| l.construct == construct && l.severity == Severity::Loss), "{:#?}", t.losses);
    }

    let (t, _) = run(case(&cases, "malformed defaults"), Target::Connect);
    let loss = t.losses.iter().find(|l| l.at == "DefaultSubstitutions").expect("named");
    assert!(loss.position.is_some(), "line and column of the JSON error: {loss:?}");

    let (t, _) = run(case(&cases, "recommendations"), Target::Ses(SesPaths::Keep));
    assert!(t.losses.iter().any(|l| l.at == "RecommenderId"));
}

#[test]
fn with_is_unrolled_for_connect_and_headers_move() {
    let cases = corpus();
    let (t, proof) = run(case(&cases, "with over user attributes"), Target::Connect);
    assert!(proof.proven, "{proof:#?}");
    let body = t.parts[0].converted.clone().unwrap_or_default();
    assert!(body.starts_with("{{#if true}}Hi {{#if Attributes.Customer.Attributes.FirstName}}"), "{body}");
    assert!(!body.contains("with"), "{body}");
    let (_, proof) = run(case(&cases, "with with an else"), Target::Connect);
    assert_eq!(proof.cannot_render, PROOF_SAMPLE, "with an else it is left for a person");

    let (t, _) = run(case(&cases, "headers"), Target::Connect);
    assert_eq!(
        t.content["content"]["email"]["headers"][0]["value"],
        "<https://example.com/u/{{#if Attributes.Customer.AccountNumber}}{{Attributes.Customer.AccountNumber}}{{/if}}>"
    );
    let (t, _) = run(case(&cases, "headers"), Target::Ses(SesPaths::Keep));
    assert!(t.losses.iter().any(|l| l.construct == "Headers" && l.severity == Severity::Note));
    assert!(t.losses.iter().any(|l| l.construct == "header List-Unsubscribe" && l.severity == Severity::Warning));
}

#[test]
fn push_templates_become_connect_push_content() {
    let cases = corpus();
    let (t, proof) = run(case(&cases, "push"), Target::Connect);
    assert!(proof.proven, "{proof:#?}");
    let push = &t.content["content"]["push"];
    assert_eq!(
        push["apns"]["body"]["content"],
        "New on iOS, {{#if Attributes.Customer.Attributes.FirstName}}{{Attributes.Customer.Attributes.FirstName}}{{/if}}"
    );
    assert_eq!(
        push["fcm"]["title"],
        "Hi {{#if Attributes.Customer.Attributes.FirstName}}{{Attributes.Customer.Attributes.FirstName}}{{/if}}"
    );
    assert!(push["fcm"]["imageUrl"].as_str().is_some_and(|u| u.contains("season")));
    assert_eq!(push["apns"]["action"], "OPEN_APP");
    let (t, _) = run(case(&cases, "push"), Target::Ses(SesPaths::Keep));
    assert!(!t.translated, "SES sends email only");
}

#[test]
fn ses_runs_an_each_only_over_a_value_the_data_has() {
    // SES refuses a send whose data lacks a value its template reads; Pinpoint's each over a missing list
    // printed nothing, and so does the guarded each.
    let raw = serde_json::json!({
        "TemplateType": "EMAIL", "TemplateName": "interests", "Version": "1", "Subject": "Picks",
        "HtmlPart": "<ul>{{#each Attributes.interests}}<li>{{this}}</li>{{/each}}</ul>{{#each Attributes.x}}a{{else}}b{{/each}}",
    });
    let (t, proof) = run(&raw, Target::Ses(SesPaths::Keep));
    let html = t.parts.iter().find(|p| p.part == "HtmlPart").and_then(|p| p.converted.clone());
    assert_eq!(
        html.as_deref(),
        Some(
            "<ul>{{#if Attributes.interests}}{{#each Attributes.interests}}<li>{{this}}</li>{{/each}}{{/if}}</ul>\
             {{#each Attributes.x}}a{{else}}b{{/each}}"
        )
    );
    assert_eq!(proof.identical, proof.endpoints, "{proof:#?}");
}
