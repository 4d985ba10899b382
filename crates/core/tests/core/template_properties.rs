//! Properties of template translation on generated templates and generated endpoints:
//! - nothing passes silently: whenever a converted template renders differently from the original for
//!   some endpoint, the translation carries a loss or a warning;
//! - convertible templates (the constructs every target keeps) translate without any loss or warning and
//!   render identically.

use pinshift_core::profile::{Channel, ProfileMapping};
use pinshift_core::scan::audience::{AttributeProfile, AttributeType, AudienceProfile};
use pinshift_core::translate::needs_review;
use pinshift_core::translate::template::convert::{SesPaths, Target};
use pinshift_core::translate::template::proof::prove;
use pinshift_core::translate::template::{template_variables, translate};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const ALL_TARGETS: [Target; 3] = [Target::Connect, Target::Ses(SesPaths::Keep), Target::Ses(SesPaths::Rewrite)];

fn any_var() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "User.UserAttributes.FirstName",
        "User.UserAttributes.FirstName.[0]",
        "User.UserAttributes.interests",
        "User.UserAttributes.interests.[1]",
        "User.UserAttributes.interests.length",
        "User.UserAttributes.tier",
        "User.UserAttributes.[Last Name]",
        "Attributes.tier",
        "Attributes.tier.[0]",
        "Attributes.Code",
        "Metrics.visits",
        "Location.City",
        "Location.Latitude",
        "Demographic.Platform",
        "User.UserId",
        "Address",
        "Id",
        "ChannelType",
        "Recommendations.Title",
        "Foo.bar",
    ])
}

fn any_text() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["Hi ", ", ", " & ", "<p>", "</p>", "O'Brien", "\n", " ", "x", "{", "}"])
}

fn any_leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        any_text().prop_map(str::to_owned),
        any_var().prop_map(|v| format!("{{{{{v}}}}}")),
        any_var().prop_map(|v| format!("{{{{{{{v}}}}}}}")),
        any_var().prop_map(|v| format!("{{{{upper {v}}}}}")),
        any_var().prop_map(|v| format!("{{{{lower (upper {v})}}}}")),
        any_var().prop_map(|v| format!("{{{{eq {v} \"gold\" yes='G' no='-'}}}}")),
        any_var().prop_map(|v| format!("{{{{join {v} \", \"}}}}")),
        any_var().prop_map(|v| format!("{{{{add {v} 1}}}}")),
        any_var().prop_map(|v| format!("{{{{~{v}~}}}}")),
    ]
}

fn any_part() -> impl Strategy<Value = String> {
    let leaf = any_leaf();
    leaf.prop_recursive(3, 24, 4, |inner| {
        let body = prop::collection::vec(inner, 1..4).prop_map(|v| v.concat());
        prop_oneof![
            (any_var(), body.clone(), body.clone())
                .prop_map(|(v, a, b)| format!("{{{{#if {v}}}}}{a}{{{{else}}}}{b}{{{{/if}}}}")),
            (any_var(), body.clone()).prop_map(|(v, a)| format!("{{{{#unless {v}}}}}{a}{{{{/unless}}}}")),
            (any_var(), body.clone()).prop_map(|(v, a)| format!("{{{{~#if {v}~}}}} {a} {{{{~/if~}}}}")),
            any_var().prop_map(|v| format!(
                "{{{{#each {v}}}}}[{{{{@index}}}}:{{{{this}}}}|{{{{../Attributes.tier}}}}]{{{{else}}}}none{{{{/each}}}}"
            )),
            body.clone().prop_map(|a| format!("{{{{#with User.UserAttributes}}}}{{{{FirstName}}}}:{a}{{{{/with}}}}")),
            Just("{{#with Location}}{{City}}{{else}}nowhere{{/with}}".to_owned()),
            (any_var(), body.clone(), body.clone())
                .prop_map(|(v, a, b)| format!("{{{{#eq {v} \"gold\"}}}}{a}{{{{else}}}}{b}{{{{/eq}}}}")),
            (any_var(), body).prop_map(|(v, a)| format!("{{{{#if (gt {v} 5)}}}}{a}{{{{/if}}}}")),
        ]
    })
}

fn any_defaults() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(
        prop::sample::select(vec![
            "User.UserAttributes.FirstName",
            "Attributes.tier",
            "Attributes.Code",
            "Location.City",
            "Metrics.visits",
        ]),
        prop::sample::select(vec!["reader", "0", "", "x & y"]),
        0..3,
    )
    .prop_map(|m| m.into_iter().map(|(k, v)| (k.to_owned(), json!(v))).collect())
}

fn any_list() -> impl Strategy<Value = Option<Value>> {
    prop::option::weighted(
        0.8,
        prop::collection::vec(
            prop::sample::select(vec!["gold", "Ann", "O'Brien", "17", "9", "true", "a & b", "<b>x</b>", "Los Angeles"]),
            0..4,
        )
        .prop_map(|v| json!(v)),
    )
}

fn any_endpoint() -> impl Strategy<Value = Value> {
    (
        (any_list(), any_list(), any_list(), any_list(), any_list(), any_list()),
        prop::option::of(prop::sample::select(vec![0.0, 5.0, 2.5, 10.0])),
        prop::option::of(prop::sample::select(vec!["Los Angeles", "Köln", "Austin"])),
        prop::option::of(prop::sample::select(vec![0.0, 41.88])),
        prop::option::of(prop::sample::select(vec!["ios", "android"])),
        prop::option::of(Just("user-1")),
        any::<bool>(),
    )
        .prop_map(|((first, interests, utier, last, tier, code), visits, city, lat, platform, user_id, has_user)| {
            let mut user_attributes = Map::new();
            for (k, v) in [("FirstName", first), ("interests", interests), ("tier", utier), ("Last Name", last)] {
                if let Some(v) = v {
                    user_attributes.insert(k.into(), v);
                }
            }
            let mut attributes = Map::new();
            for (k, v) in [("tier", tier), ("Code", code)] {
                if let Some(v) = v {
                    attributes.insert(k.into(), v);
                }
            }
            let mut e = json!({"Id": "e-1", "ChannelType": "EMAIL", "Address": "ann@example.com", "Attributes": attributes});
            if has_user {
                e["User"] = json!({"UserAttributes": user_attributes});
                if let Some(u) = user_id {
                    e["User"]["UserId"] = json!(u);
                }
            }
            if let Some(v) = visits {
                e["Metrics"] = json!({"visits": v});
            }
            let mut location = Map::new();
            if let Some(c) = city {
                location.insert("City".into(), json!(c));
            }
            if let Some(l) = lat {
                location.insert("Latitude".into(), json!(l));
            }
            if !location.is_empty() {
                e["Location"] = Value::Object(location);
            }
            if let Some(p) = platform {
                e["Demographic"] = json!({"Platform": p});
            }
            e
        })
}

fn template(part: &str, html: bool, defaults: &Map<String, Value>) -> Value {
    let mut raw = json!({"TemplateName": "generated", "TemplateType": "EMAIL", "Version": "1", "Subject": "s"});
    raw[if html { "HtmlPart" } else { "TextPart" }] = json!(part);
    if !defaults.is_empty() {
        raw["DefaultSubstitutions"] = json!(Value::Object(defaults.clone()).to_string());
    }
    raw
}

fn now() -> jiff::Timestamp {
    "2026-12-01T12:00:00Z".parse().expect("time")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn nothing_passes_silently(
        part in any_part(),
        html in any::<bool>(),
        defaults in any_defaults(),
        endpoints in prop::collection::vec(any_endpoint(), 12),
    ) {
        let raw = template(&part, html, &defaults);
        let vars = template_variables(&raw);
        let mapping = ProfileMapping::new(&vars, &[]);
        for target in ALL_TARGETS {
            let t = translate(&raw, target, &mapping);
            let proof = prove(&t, &raw, &mapping, &endpoints, "proptest".into(), now());
            if proof.identical != proof.endpoints {
                prop_assert!(
                    needs_review(&t.losses),
                    "{target:?} renders differently with no loss or warning:\n{part}\n→ {:?}\n{:#?}",
                    t.parts.iter().map(|p| p.converted.clone()).collect::<Vec<_>>(),
                    proof.examples
                );
            }
        }
    }
}

fn safe_var() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "User.UserAttributes.FirstName",
        "User.UserAttributes.FirstName.[0]",
        "Attributes.tier",
        "Location.City",
        "User.UserId",
        "Address",
    ])
}

fn safe_part() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        prop::sample::select(vec!["Hi ", ", ", " & ", "O'Brien", "\n", " ", "x"]).prop_map(str::to_owned),
        safe_var().prop_map(|v| format!("{{{{{v}}}}}")),
        safe_var().prop_map(|v| format!("{{{{{{{v}}}}}}}")),
        safe_var().prop_map(|v| format!("{{{{~{v}~}}}}")),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        let body = prop::collection::vec(inner, 1..3).prop_map(|v| v.concat());
        prop_oneof![
            (safe_var(), body.clone(), body.clone())
                .prop_map(|(v, a, b)| format!("{{{{#if {v}}}}}{a}{{{{else}}}}{b}{{{{/if}}}}")),
            (safe_var(), body).prop_map(|(v, a)| format!("{{{{#unless {v}}}}}{a}{{{{/unless}}}}")),
        ]
    })
}

/// An audience profile that has seen one value per attribute.
fn single_valued() -> AudienceProfile {
    let attr = |source: &str, name: &str| AttributeProfile {
        source: source.into(),
        name: name.into(),
        kind: AttributeType::String,
        filled: 10,
        fill_rate: 1.0,
        multi_valued: 0,
        max_values: 1,
    };
    AudienceProfile {
        attributes: vec![attr("User.UserAttributes", "FirstName"), attr("Attributes", "tier")],
        ..Default::default()
    }
}

fn single_endpoint() -> impl Strategy<Value = Value> {
    let one = || {
        prop::option::weighted(0.8, prop::sample::select(vec!["Ann", "O'Brien", "gold", "17"]).prop_map(|v| json!([v])))
    };
    (one(), one(), prop::option::of(prop::sample::select(vec!["Austin", "Köln"])), any::<bool>()).prop_map(
        |(first, tier, city, user_id)| {
            let mut e = json!({"Id": "e-1", "ChannelType": "EMAIL", "Address": "ann@example.com", "Attributes": {}, "User": {"UserAttributes": {}}});
            if let Some(f) = first {
                e["User"]["UserAttributes"]["FirstName"] = f;
            }
            if let Some(t) = tier {
                e["Attributes"]["tier"] = t;
            }
            if let Some(c) = city {
                e["Location"] = json!({"City": c});
            }
            if user_id {
                e["User"]["UserId"] = json!("user-7");
            }
            e
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn convertible_templates_translate_cleanly_and_render_identically(
        part in safe_part(),
        defaults in prop::collection::btree_map(
            prop::sample::select(vec!["User.UserAttributes.FirstName", "Attributes.tier"]),
            prop::sample::select(vec!["reader", "friend"]),
            0..2,
        ),
        endpoints in prop::collection::vec(single_endpoint(), 12),
    ) {
        let defaults: Map<String, Value> = defaults.into_iter().map(|(k, v)| (k.to_owned(), json!(v))).collect();
        // a text part: SES does not escape HTML, which is a warning of its own
        let raw = template(&part, false, &defaults);
        let vars = template_variables(&raw);
        let mapping = ProfileMapping::new(&vars, &[single_valued()]);
        for target in [Target::Connect, Target::Ses(SesPaths::Rewrite)] {
            let t = translate(&raw, target, &mapping);
            // defaults in conditions are SES's known difference; Connect has them
            let conditional_default = matches!(target, Target::Ses(_)) && !defaults.is_empty() && (part.contains("#if") || part.contains("#unless"));
            if !conditional_default {
                prop_assert!(!needs_review(&t.losses), "{target:?}: {part}\n{:#?}", t.losses);
            }
            let proof = prove(&t, &raw, &mapping, &endpoints, "proptest".into(), now());
            if !conditional_default {
                prop_assert_eq!(proof.identical, proof.endpoints, "{:?}: {}\n{:#?}", target, part, proof.examples);
            }
        }
        let _ = Channel::Email;
    }
}
