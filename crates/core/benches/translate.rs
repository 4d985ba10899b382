//! How long translation and its proof take: one email template with helpers, defaults and a list, proven
//! for Connect and for SES on 1,000 generated endpoints; a segment's size estimate on 1,000 endpoints.
//! Prints figures; asserts nothing.
//!
//! `cargo bench -p pinshift-core --bench translate`

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::Instant;

use pinshift_core::profile::{Channel, ProfileMapping};
use pinshift_core::translate::estimate::{Segments, estimate, segment_sample};
use pinshift_core::translate::segment::{SegmentContext, translate as translate_segment};
use pinshift_core::translate::template::convert::{SesPaths, Target};
use pinshift_core::translate::template::proof::{generate_endpoints, prove};
use pinshift_core::translate::template::{template_variables, translate};
use serde_json::json;

fn main() {
    let raw = json!({
        "TemplateName": "bench", "TemplateType": "EMAIL", "Version": "1",
        "Subject": "{{capitalize User.UserAttributes.FirstName.[0]}}, your {{Attributes.tier}} picks",
        "TextPart": "Hi {{User.UserAttributes.FirstName}}, {{#each Attributes.interests}}{{this}} {{/each}}",
        "HtmlPart": "<h1>Hi {{User.UserAttributes.FirstName}}</h1>{{#if Attributes.tier}}<p>{{upper Attributes.tier}} member since {{User.UserAttributes.since}}</p>{{else}}<p>Join us</p>{{/if}}<p>{{Location.City}} · {{add Metrics.visits 1}} visits</p>",
        "DefaultSubstitutions": "{\"User.UserAttributes.FirstName\":\"reader\"}"
    });
    let vars = template_variables(&raw);
    let mapping = ProfileMapping::new(&vars, &[]);
    let endpoints = generate_endpoints(&vars, &mapping, Channel::Email, 1000, 1);
    let now = "2026-12-01T00:00:00Z".parse().unwrap();
    for (label, target) in [
        ("connect", Target::Connect),
        ("ses keep", Target::Ses(SesPaths::Keep)),
        ("ses rewrite", Target::Ses(SesPaths::Rewrite)),
    ] {
        let started = Instant::now();
        let t = translate(&raw, target, &mapping);
        let converted = started.elapsed();
        let started = Instant::now();
        let proof = prove(&t, &raw, &mapping, &endpoints, "generated".into(), now);
        let proved = started.elapsed();
        println!(
            "template → {label:<11} convert {:>6.2} ms, prove on {} endpoints {:>7.1} ms ({} identical, {} renders/s)",
            converted.as_secs_f64() * 1000.0,
            proof.endpoints,
            proved.as_secs_f64() * 1000.0,
            proof.identical,
            (proof.endpoints as f64 * 2.0 * t.parts.len() as f64 / proved.as_secs_f64()) as u64
        );
    }
    let segment = json!({"Id": "s1", "Name": "vip", "Dimensions": {"UserAttributes": {"tier": {"AttributeType": "INCLUSIVE", "Values": ["gold", "silver"]}}, "Location": {"Country": {"DimensionType": "INCLUSIVE", "Values": ["US"]}}}});
    let names = [("s1".to_owned(), "vip".to_owned())].into_iter().collect();
    let mapping = ProfileMapping::new(&pinshift_core::translate::estate::segment_attributes(&segment), &[]);
    let ctx = SegmentContext {
        domain: "d".into(),
        prefix: None,
        partition: None,
        mapping: &mapping,
        segment_names: &names,
        data_expiry_days: 366,
    };
    let t = translate_segment(&segment, &ctx);
    let mut all = Segments::default();
    all.add(&segment, &t);
    let sample = segment_sample(&[&segment], &mapping, 1000, 1, now);
    let started = Instant::now();
    let e = estimate(&segment, &t, &all, &mapping, None, &sample, "generated".into(), now);
    println!(
        "segment estimate on {} endpoints: {:.1} ms (pinpoint {}, profiles {})",
        e.endpoints,
        started.elapsed().as_secs_f64() * 1000.0,
        e.pinpoint,
        e.profiles
    );
}
