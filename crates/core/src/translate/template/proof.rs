//! Render equivalence: the original template rendered by Pinpoint's rules and the converted one by the
//! target's, with the same endpoints — generated ones (seeded, varied: missing values, empty lists, several
//! values, zeros, names like O'Brien) or real ones from an endpoint export. Each endpoint is identical,
//! differs (with a diff) or cannot be rendered by the target. A translation is proven only when at least
//! [`PROOF_SAMPLE`] endpoints all render identically.
//!
//! HTML parts rendered by SES are compared as a reader sees them: SES does not escape, so `O'Brien` and
//! `O&#x27;Brien` compare equal, while a value's `<b>` still differs (the converter warns about both).

use std::collections::BTreeMap;
use std::io::BufRead;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use ts_rs::TS;

use super::convert::Target;
use super::{TemplateTranslation, connect_render_defaults, defaults_of, ses_template_data};
use crate::profile::{Channel, ProfileMapping, Variable};
use crate::templates::helpers::Env;
use crate::templates::render::{Engine, Input, render};
use crate::templates::value::reader_view;

/// Endpoints that must all render identically before a translation counts as proven.
pub const PROOF_SAMPLE: usize = 1000;

/// How one endpoint rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Identical,
    Differs,
    CannotRender,
}

/// A difference, shown to a reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Difference {
    /// The endpoint's `Id`.
    pub endpoint: String,
    pub part: String,
    pub outcome: Outcome,
    pub pinpoint: String,
    pub target: String,
    /// `[-removed-]{+added+}` between the two renderings, or why the target could not render.
    pub diff: String,
}

/// The result of rendering a translation's parts with a sample of endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Proof {
    /// Where the endpoints came from.
    pub sample: String,
    pub endpoints: usize,
    pub identical: usize,
    pub differs: usize,
    pub cannot_render: usize,
    /// Nothing was lost and all of at least [`PROOF_SAMPLE`] endpoints rendered identically.
    pub proven: bool,
    /// The first few endpoints that did not render identically.
    pub examples: Vec<Difference>,
    /// Every part as the first endpoint receives it, before and after (what a reviewer compares).
    pub rendered: Vec<RenderedPart>,
}

/// One part rendered for one endpoint by both engines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RenderedPart {
    pub endpoint: String,
    pub part: String,
    pub html: bool,
    /// What Pinpoint sent (or why it could not).
    pub pinpoint: String,
    /// What the target sends (or why it cannot).
    pub target: String,
}

const EXAMPLES: usize = 5;

/// Renders every part of `t` with each endpoint, by Pinpoint's rules and the target's.
pub fn prove(
    t: &TemplateTranslation,
    raw: &Value,
    mapping: &ProfileMapping,
    endpoints: &[Value],
    sample: String,
    now: jiff::Timestamp,
) -> Proof {
    let mut proof = Proof {
        sample,
        endpoints: endpoints.len(),
        identical: 0,
        differs: 0,
        cannot_render: 0,
        proven: false,
        examples: Vec::new(),
        rendered: Vec::new(),
    };
    if !t.translated {
        proof.cannot_render = endpoints.len();
        return proof;
    }
    let channel = t.channel();
    let pinpoint_defaults = defaults_of(raw, &mut Vec::new());
    let target_defaults = match t.target {
        Target::Connect => connect_render_defaults(&pinpoint_defaults, mapping, channel),
        Target::Ses(_) => BTreeMap::new(),
    };
    let variables: Vec<Variable> = {
        let mut v = super::template_variables(raw);
        v.dedup();
        v
    };
    let parts = t.parsed_parts();
    let engine = t.target.engine();
    for (i, endpoint) in endpoints.iter().enumerate() {
        let target_data = match t.target {
            Target::Connect => json!({"Attributes": {"Customer": mapping.profile(endpoint, &variables, channel)}}),
            Target::Ses(paths) => ses_template_data(endpoint, paths, mapping, &variables, channel),
        };
        let id = endpoint.get("Id").and_then(Value::as_str).map_or_else(|| format!("#{}", i + 1), str::to_owned);
        let mut outcome = Outcome::Identical;
        let mut example = None;
        for super::ParsedPart { part, html, original, converted } in &parts {
            let seed = i as u64;
            let mut env = Env::new(now, seed);
            let before = match original {
                Ok(original) => render(
                    Engine::Pinpoint,
                    original,
                    *html,
                    Input { data: endpoint, defaults: &pinpoint_defaults },
                    &mut env,
                )
                .map_err(|e| e.to_string()),
                Err(e) => Err(e.clone()),
            };
            let mut env = Env::new(now, seed);
            let after = match converted {
                Some(c) => render(engine, c, *html, Input { data: &target_data, defaults: &target_defaults }, &mut env)
                    .map_err(|e| e.to_string()),
                None => Err("the part was not converted".to_owned()),
            };
            if i == 0 {
                let shown = |r: &Result<String, String>| match r {
                    Ok(s) => s.clone(),
                    Err(e) => format!("(cannot be rendered: {e})"),
                };
                proof.rendered.push(RenderedPart {
                    endpoint: id.clone(),
                    part: part.clone(),
                    html: *html,
                    pinpoint: shown(&before),
                    target: shown(&after),
                });
            }
            let (this, diff, a, b) = match (&before, &after) {
                (Ok(a), Ok(b)) => {
                    let same = if *html && engine == Engine::Ses { reader_view(a) == reader_view(b) } else { a == b };
                    if same {
                        continue;
                    }
                    (Outcome::Differs, inline_diff(a, b), a.clone(), b.clone())
                }
                // neither renders it: nothing is proven about it
                (Err(a), Err(b)) => (
                    Outcome::CannotRender,
                    format!("Pinpoint: {a}; {}: {b}", engine.label()),
                    String::new(),
                    String::new(),
                ),
                (Ok(a), Err(e)) => (Outcome::CannotRender, e.clone(), a.clone(), String::new()),
                (Err(e), Ok(b)) => (
                    Outcome::Differs,
                    format!("Pinpoint could not render this ({e}); the target renders it"),
                    String::new(),
                    b.clone(),
                ),
            };
            if outcome == Outcome::Identical || this == Outcome::CannotRender {
                outcome = this;
                example = Some(Difference {
                    endpoint: id.clone(),
                    part: part.clone(),
                    outcome: this,
                    pinpoint: a,
                    target: b,
                    diff,
                });
            }
        }
        match outcome {
            Outcome::Identical => proof.identical += 1,
            Outcome::Differs => proof.differs += 1,
            Outcome::CannotRender => proof.cannot_render += 1,
        }
        if let Some(e) = example
            && proof.examples.len() < EXAMPLES
        {
            proof.examples.push(e);
        }
    }
    proof.proven = t.lossless() && proof.endpoints >= PROOF_SAMPLE && proof.identical == proof.endpoints;
    proof
}

/// `a [-old-]{+new+} b` where two texts differ, cut at 600 characters.
pub fn inline_diff(a: &str, b: &str) -> String {
    use similar::ChangeTag;
    fn close(out: &mut String, tag: Option<ChangeTag>) {
        match tag {
            Some(ChangeTag::Delete) => out.push_str("-]"),
            Some(ChangeTag::Insert) => out.push_str("+}"),
            _ => {}
        }
    }
    let diff = similar::TextDiff::from_chars(a, b);
    let mut out = String::new();
    let mut last = None;
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        if last != Some(tag) {
            close(&mut out, last);
            match tag {
                ChangeTag::Delete => out.push_str("[-"),
                ChangeTag::Insert => out.push_str("{+"),
                ChangeTag::Equal => {}
            }
            last = Some(tag);
        }
        out.push_str(change.value());
    }
    close(&mut out, last);
    if out.chars().count() > 600 {
        out = out.chars().take(599).collect::<String>() + "…";
    }
    out
}

/// Endpoints from an export file (JSON lines, as Pinpoint's CreateExportJob writes them; gzip or not).
/// A line that is not a JSON object is an error naming the file and line.
pub fn read_endpoints(path: &std::path::Path, limit: usize) -> crate::Result<Vec<Value>> {
    let file = std::fs::File::open(path)
        .map_err(|e| crate::Error::invalid("endpoints", format!("{}: {e}", path.display())))?;
    let mut reader = std::io::BufReader::new(file);
    let gz = reader.fill_buf().map(|b| b.starts_with(&[0x1f, 0x8b])).unwrap_or(false);
    let reader: Box<dyn BufRead> = if gz {
        Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(reader)))
    } else {
        Box::new(reader)
    };
    let mut out = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line =
            line.map_err(|e| crate::Error::invalid("endpoints", format!("{} line {}: {e}", path.display(), n + 1)))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line).map_err(|e| {
            crate::Error::invalid(
                "endpoints",
                format!("{} line {}, column {}: not a JSON endpoint ({e})", path.display(), n + 1, e.column()),
            )
        })?;
        if !v.is_object() {
            return Err(crate::Error::invalid(
                "endpoints",
                format!("{} line {}: not a JSON object", path.display(), n + 1),
            ));
        }
        out.push(v);
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

const FIRST: [&str; 12] =
    ["Ann", "José", "Li", "Zoë", "Marie-Claire", "Kwame", "Aoife", "Ravi", "Ólafur", "Sam", "Chloé", "Björn"];
const LAST: [&str; 10] =
    ["Santos", "O'Brien", "Nguyen", "Müller", "Smith & Sons", "de la Cruz", "Okafor", "Kim", "Rossi", "Dubois"];
const CITIES: [&str; 8] = ["Los Angeles", "Seattle", "São Paulo", "Köln", "Austin", "Dublin", "Chicago", "Osaka"];
const WORDS: [&str; 12] =
    ["gold", "silver", "books", "films", "offers", "travel", "yes", "no", "true", "false", "premium", "basic"];

fn pick<'a>(rng: &mut ChaCha8Rng, pool: &[&'a str]) -> &'a str {
    pool.choose(rng).copied().unwrap_or_default()
}

/// A text value that suits an attribute's name (names, places, dates, counts…).
fn value_for(rng: &mut ChaCha8Rng, name: &str) -> String {
    let n = name.to_ascii_lowercase();
    if n.contains("first") || n == "name" {
        return pick(rng, &FIRST).to_owned();
    }
    if n.contains("last") || n.contains("surname") {
        return pick(rng, &LAST).to_owned();
    }
    if n.contains("city") {
        return pick(rng, &CITIES).to_owned();
    }
    if n.contains("date") || n.contains("since") || n.contains("birthday") {
        let (y, m, d) = (rng.gen_range(2015..2027), rng.gen_range(1..=12), rng.gen_range(1..=28));
        return if rng.gen_bool(0.5) { format!("{m:02}/{d:02}/{y}") } else { format!("{y}-{m:02}-{d:02}") };
    }
    if ["age", "count", "days", "num", "kwh", "points", "balance", "trips", "code", "id"].iter().any(|k| n.contains(k))
    {
        return rng.gen_range(0..250).to_string();
    }
    match rng.gen_range(0..10) {
        0 => rng.gen_range(0..100).to_string(),
        1 => format!("{} {}", pick(rng, &FIRST), pick(rng, &LAST)),
        _ => pick(rng, &WORDS).to_owned(),
    }
}

fn list_value(rng: &mut ChaCha8Rng, name: &str, multi: Option<bool>) -> Value {
    let count = match multi {
        Some(true) => rng.gen_range(0..=3),
        _ => usize::from(rng.gen_bool(0.97)),
    };
    Value::Array((0..count).map(|_| Value::String(value_for(rng, name))).collect())
}

/// `n` endpoints (seeded) with values for `variables`, shaped like Pinpoint's export of the channel.
pub fn generate_endpoints(
    variables: &[Variable],
    mapping: &ProfileMapping,
    channel: Channel,
    n: usize,
    seed: u64,
) -> Vec<Value> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let channel_type = match channel {
                Channel::Email => "EMAIL",
                Channel::Sms => "SMS",
                Channel::Push => ["APNS", "GCM"][i % 2],
            };
            let address = match channel {
                Channel::Email => format!("user{i}@example.com"),
                Channel::Sms => format!("+1206555{:04}", i % 10_000),
                Channel::Push => format!("token-{i:08x}"),
            };
            let mut e = json!({
                "Id": format!("endpoint-{:04}", i + 1),
                "ChannelType": channel_type,
                "Address": address,
                "EndpointStatus": if rng.gen_bool(0.9) { "ACTIVE" } else { "INACTIVE" },
                "OptOut": if rng.gen_bool(0.95) { "NONE" } else { "ALL" },
                "EffectiveDate": "2026-09-01T10:00:00.000Z",
                "CreationDate": "2025-03-14T08:30:00.000Z",
                "Attributes": {},
                "Metrics": {},
                "User": {"UserAttributes": {}},
            });
            if rng.gen_bool(0.9) {
                e["User"]["UserId"] = Value::String(format!("user-{:05}", rng.gen_range(0..100_000)));
            }
            for v in variables {
                // values go missing now and then: the commonest source of silent loss
                if rng.gen_bool(0.12) {
                    continue;
                }
                match v {
                    Variable::UserAttribute(name) => {
                        e["User"]["UserAttributes"][name] = list_value(&mut rng, name, mapping.multi_valued(v));
                    }
                    Variable::EndpointAttribute(name) => {
                        e["Attributes"][name] = list_value(&mut rng, name, mapping.multi_valued(v));
                    }
                    Variable::Metric(name) => {
                        let m = match rng.gen_range(0..4) {
                            0 => 0.0,
                            1 => f64::from(rng.gen_range(1..500)),
                            _ => (rng.gen_range(0.0..100.0_f64) * 100.0).round() / 100.0,
                        };
                        e["Metrics"][name] = json!(m);
                    }
                    Variable::Demographic(field) => {
                        let value = match field.as_str() {
                            "Platform" => pick(&mut rng, &["ios", "android", "web"]).to_owned(),
                            "Locale" => pick(&mut rng, &["en_US", "fr_FR", "pt_BR"]).to_owned(),
                            "Timezone" => pick(&mut rng, &["America/Chicago", "Europe/Paris"]).to_owned(),
                            "AppVersion" => format!("{}.{}", rng.gen_range(1..6), rng.gen_range(0..10)),
                            _ => pick(&mut rng, &["Apple", "Samsung", "Pixel 8"]).to_owned(),
                        };
                        e["Demographic"][field] = Value::String(value);
                    }
                    Variable::Location(field) => {
                        let value = match field.as_str() {
                            "City" => json!(pick(&mut rng, &CITIES)),
                            "Country" => json!(pick(&mut rng, &["US", "DE", "BR", "IE"])),
                            "PostalCode" => json!(format!("{:05}", rng.gen_range(10_000..99_999))),
                            "Region" => json!(pick(&mut rng, &["WA", "TX", "NRW"])),
                            _ => json!((rng.gen_range(-90.0..90.0_f64) * 1000.0).round() / 1000.0),
                        };
                        e["Location"][field] = value;
                    }
                    _ => {}
                }
            }
            e
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_diffs_mark_what_changed() {
        assert_eq!(inline_diff("Hi Ann!", "Hi {{x}}!"), "Hi [-Ann-]{+{{x}}+}!");
    }

    #[test]
    fn generated_endpoints_are_reproducible_and_varied() {
        let vars = [Variable::UserAttribute("FirstName".into()), Variable::Metric("visits".into())];
        let mapping = ProfileMapping::new(&vars, &[]);
        let a = generate_endpoints(&vars, &mapping, Channel::Email, 200, 7);
        assert_eq!(a, generate_endpoints(&vars, &mapping, Channel::Email, 200, 7), "same seed, same endpoints");
        let missing = a.iter().filter(|e| e["User"]["UserAttributes"].get("FirstName").is_none()).count();
        assert!(missing > 5 && missing < 60, "some values are missing: {missing}");
        assert!(a.iter().any(|e| e["Metrics"]["visits"] == json!(0.0)), "zeros occur");
    }
}
