//! Segment sizes before and after: the Pinpoint segment evaluated on a sample of endpoints, the translated
//! definition on the profiles those endpoints become (the same [`ProfileMapping`]), and the difference.
//! The sample is generated from the segment's own criteria (so both sides select someone) or read from an
//! endpoint export.

use std::collections::BTreeMap;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::{Value, json};
use ts_rs::TS;

use super::segment::{IMPORT_ATTRIBUTE, SegmentTranslation};
use crate::profile::{Channel, ProfileMapping, Variable};
use crate::templates::value::{compare, number, text};

/// Both sizes on one sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SizeEstimate {
    /// Where the endpoints came from.
    pub sample: String,
    pub endpoints: usize,
    /// Endpoints the Pinpoint segment selects.
    pub pinpoint: usize,
    /// Profiles (one per endpoint of the sample) the definition selects.
    pub profiles: usize,
    /// `profiles - pinpoint`.
    pub difference: i64,
    /// Endpoints selected by one side only.
    pub disagreements: usize,
}

/// Everything the evaluators need: segments by Pinpoint id, their translations by definition name, and
/// the marker each imported segment's upload puts on its profiles.
#[derive(Debug, Default)]
pub struct Segments<'a> {
    pub pinpoint: BTreeMap<String, &'a Value>,
    pub definitions: BTreeMap<String, Value>,
    pub imports: BTreeMap<String, String>,
}

impl<'a> Segments<'a> {
    pub fn add(&mut self, raw: &'a Value, translation: &SegmentTranslation) {
        if let Some(id) = raw["Id"].as_str() {
            self.pinpoint.insert(id.to_owned(), raw);
            if translation.upload.is_some()
                && let Some(marker) = translation.definition_name()
            {
                self.imports.insert(id.to_owned(), marker.to_owned());
            }
        }
        for d in &translation.definitions {
            if let Some(n) = d["SegmentDefinitionName"].as_str() {
                self.definitions.insert(n.to_owned(), d.clone());
            }
        }
    }
}

/// Whether an endpoint was in an imported segment's file (the sample decides it the same way on both
/// sides: about 40% of the endpoints).
fn imported(endpoint: &Value, segment: &str) -> bool {
    let id = endpoint["Id"].as_str().unwrap_or_default();
    let h = id
        .bytes()
        .chain(segment.bytes())
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    h % 5 < 2
}

/// Estimates both sizes of `t` on `endpoints`. `partition` is the shared domain's client attribute and
/// the client's id: the endpoint import sets it on every profile it loads for the client.
#[allow(clippy::too_many_arguments)]
pub fn estimate(
    raw: &Value,
    t: &SegmentTranslation,
    all: &Segments<'_>,
    mapping: &ProfileMapping,
    partition: Option<&(String, String)>,
    endpoints: &[Value],
    sample: String,
    now: jiff::Timestamp,
) -> SizeEstimate {
    let variables = mapping.known();
    let mut out =
        SizeEstimate { sample, endpoints: endpoints.len(), pinpoint: 0, profiles: 0, difference: 0, disagreements: 0 };
    let Some(definition) = t.definitions.last() else { return out };
    for e in endpoints {
        let mut profile =
            mapping.profile(e, variables.iter().chain([Variable::Location("Country".into())].iter()), Channel::Email);
        if let Some((attribute, client)) = partition {
            let path: Vec<String> = attribute.split('.').map(str::to_owned).collect();
            crate::profile::set(&mut profile, &path, json!(client));
        }
        // profiles loaded from an imported segment's file carry its marker
        for (id, marker) in &all.imports {
            if imported(e, id) {
                crate::profile::set(&mut profile, &["Attributes".into(), IMPORT_ATTRIBUTE.into()], json!(marker));
            }
        }
        let before = pinpoint_member(raw, e, all, now, 0);
        let after = profile_member(definition, &profile, all, 0);
        out.pinpoint += usize::from(before);
        out.profiles += usize::from(after);
        out.disagreements += usize::from(before != after);
    }
    out.difference = out.profiles as i64 - out.pinpoint as i64;
    out
}

fn combine(mode: &str, results: impl Iterator<Item = bool>) -> bool {
    let r: Vec<bool> = results.collect();
    match mode {
        "ANY" => r.iter().any(|x| *x),
        "NONE" => !r.iter().any(|x| *x),
        _ => r.iter().all(|x| *x),
    }
}

/// Whether Pinpoint's segment selects the endpoint.
pub fn pinpoint_member(seg: &Value, e: &Value, all: &Segments<'_>, now: jiff::Timestamp, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    if seg["SegmentType"] == "IMPORT" || seg.get("ImportDefinition").is_some_and(Value::is_object) {
        return imported(e, seg["Id"].as_str().unwrap_or_default());
    }
    if let Some(groups) = seg.get("SegmentGroups").filter(|g| g.is_object()) {
        let include = groups["Include"].as_str().unwrap_or("ALL");
        return combine(
            include,
            groups["Groups"].as_array().into_iter().flatten().map(|g| {
                let dims: Vec<bool> =
                    g["Dimensions"].as_array().into_iter().flatten().map(|d| pinpoint_dims(d, e, now)).collect();
                let sources: Vec<bool> = g["SourceSegments"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| {
                        all.pinpoint
                            .get(s["Id"].as_str().unwrap_or_default())
                            .is_some_and(|src| pinpoint_member(src, e, all, now, depth + 1))
                    })
                    .collect();
                let d = dims.is_empty() || combine(g["Type"].as_str().unwrap_or("ALL"), dims.into_iter());
                let s = sources.is_empty() || combine(g["SourceType"].as_str().unwrap_or("ANY"), sources.into_iter());
                d && s
            }),
        );
    }
    seg.get("Dimensions").is_none_or(|d| pinpoint_dims(d, e, now))
}

fn list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().map(|x| text(Some(x))).collect(),
        None | Some(Value::Null) => Vec::new(),
        Some(x) => vec![text(Some(x))],
    }
}

fn strings(v: &Value) -> Vec<String> {
    list(Some(v))
}

fn date(s: &str) -> Option<jiff::civil::Date> {
    s.get(..10)?.parse().ok()
}

fn attribute_matches(operator: &str, have: &[String], want: &[String]) -> bool {
    let any = |f: &dyn Fn(&str) -> bool| have.iter().any(|h| f(h));
    match operator {
        "INCLUSIVE" => any(&|h| want.iter().any(|w| w == h)),
        "EXCLUSIVE" => !any(&|h| want.iter().any(|w| w == h)),
        "CONTAINS" => any(&|h| want.iter().any(|w| h.contains(w.as_str()))),
        "BEGINS_WITH" => any(&|h| want.iter().any(|w| h.starts_with(w.as_str()))),
        "ENDS_WITH" => any(&|h| want.iter().any(|w| h.ends_with(w.as_str()))),
        "BEFORE" | "AFTER" | "ON" | "BETWEEN" | "NOT_BETWEEN" => {
            let w: Vec<jiff::civil::Date> = want.iter().filter_map(|x| date(x)).collect();
            any(&|h| {
                let Some(d) = date(h) else { return false };
                match (operator, w.first(), w.get(1)) {
                    ("BEFORE", Some(a), _) => d < *a,
                    ("AFTER", Some(a), _) => d > *a,
                    ("ON", Some(a), _) => d == *a,
                    ("BETWEEN", Some(a), Some(b)) => *a <= d && d <= *b,
                    ("NOT_BETWEEN", Some(a), Some(b)) => d < *a || d > *b,
                    _ => false,
                }
            })
        }
        op => {
            let w = want.first().map(|x| Value::String(x.clone()));
            any(&|h| {
                let o = compare(
                    Some(&Value::from(number(Some(&Value::String(h.to_owned()))))),
                    Some(&Value::from(number(w.as_ref()))),
                );
                match (op, o) {
                    ("GREATER_THAN", Some(o)) => o.is_gt(),
                    ("LESS_THAN", Some(o)) => o.is_lt(),
                    ("GREATER_THAN_OR_EQUAL", Some(o)) => o.is_ge(),
                    ("LESS_THAN_OR_EQUAL", Some(o)) => o.is_le(),
                    ("EQUAL", Some(o)) => o.is_eq(),
                    _ => false,
                }
            })
        }
    }
}

fn pinpoint_dims(d: &Value, e: &Value, now: jiff::Timestamp) -> bool {
    for (source, base) in [("Attributes", &e["Attributes"]), ("UserAttributes", &e["User"]["UserAttributes"])] {
        for (name, c) in d[source].as_object().into_iter().flatten() {
            if !attribute_matches(
                c["AttributeType"].as_str().unwrap_or("INCLUSIVE"),
                &list(base.get(name)),
                &strings(&c["Values"]),
            ) {
                return false;
            }
        }
    }
    for (name, c) in d["Metrics"].as_object().into_iter().flatten() {
        let Some(m) = e["Metrics"].get(name).and_then(Value::as_f64) else { return false };
        let v = c["Value"].as_f64().unwrap_or(0.0);
        let ok = match c["ComparisonOperator"].as_str().unwrap_or("EQUAL") {
            "GREATER_THAN" => m > v,
            "LESS_THAN" => m < v,
            "GREATER_THAN_OR_EQUAL" => m >= v,
            "LESS_THAN_OR_EQUAL" => m <= v,
            _ => m == v,
        };
        if !ok {
            return false;
        }
    }
    for (field, c) in d["Demographic"].as_object().into_iter().flatten() {
        let have = if field == "Channel" { list(e.get("ChannelType")) } else { list(e["Demographic"].get(field)) };
        if !attribute_matches(c["DimensionType"].as_str().unwrap_or("INCLUSIVE"), &have, &strings(&c["Values"])) {
            return false;
        }
    }
    if let Some(c) = d["Location"].get("Country").filter(|c| c.is_object())
        && !attribute_matches(
            c["DimensionType"].as_str().unwrap_or("INCLUSIVE"),
            &list(e["Location"].get("Country")),
            &strings(&c["Values"]),
        )
    {
        return false;
    }
    if let Some(g) = d["Location"].get("GPSPoint").filter(|g| g.is_object()) {
        let (Some(lat), Some(lon)) = (e["Location"]["Latitude"].as_f64(), e["Location"]["Longitude"].as_f64()) else {
            return false;
        };
        let (clat, clon) = (
            g["Coordinates"]["Latitude"].as_f64().unwrap_or(0.0),
            g["Coordinates"]["Longitude"].as_f64().unwrap_or(0.0),
        );
        if distance_km(lat, lon, clat, clon) > g["RangeInKilometers"].as_f64().unwrap_or(0.0) {
            return false;
        }
    }
    if let Some(r) = d["Behavior"].get("Recency").filter(|r| r.is_object()) {
        let days = match r["Duration"].as_str().unwrap_or("DAY_30") {
            "HR_24" => 1,
            "DAY_7" => 7,
            "DAY_14" => 14,
            _ => 30,
        };
        let active = e["EffectiveDate"]
            .as_str()
            .and_then(|s| s.parse::<jiff::Timestamp>().ok())
            .is_some_and(|t| now.duration_since(t).as_secs() <= days * 86_400);
        if active != (r["RecencyType"].as_str().unwrap_or("ACTIVE") == "ACTIVE") {
            return false;
        }
    }
    true
}

fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6_371.0 * 2.0 * a.sqrt().asin()
}

/// Whether a segment definition selects the profile.
pub fn profile_member(def: &Value, profile: &Value, all: &Segments<'_>, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    let groups = &def["SegmentGroups"];
    combine(
        groups["Include"].as_str().unwrap_or("ALL"),
        groups["Groups"].as_array().into_iter().flatten().map(|g| {
            let dims: Vec<bool> =
                g["Dimensions"].as_array().into_iter().flatten().map(|d| profile_dims(d, profile)).collect();
            let sources: Vec<bool> = g["SourceSegments"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| {
                    all.definitions
                        .get(s["SegmentDefinitionName"].as_str().unwrap_or_default())
                        .is_some_and(|src| profile_member(src, profile, all, depth + 1))
                })
                .collect();
            let d = dims.is_empty() || combine(g["Type"].as_str().unwrap_or("ALL"), dims.into_iter());
            let s = sources.is_empty() || combine(g["SourceType"].as_str().unwrap_or("ANY"), sources.into_iter());
            d && s
        }),
    )
}

fn profile_dims(d: &Value, profile: &Value) -> bool {
    let p = &d["ProfileAttributes"];
    for (name, c) in p["Attributes"].as_object().into_iter().flatten() {
        // a profile attribute is one text
        if !attribute_matches(
            c["DimensionType"].as_str().unwrap_or("INCLUSIVE"),
            &list(profile["Attributes"].get(name)),
            &strings(&c["Values"]),
        ) {
            return false;
        }
    }
    for (field, c) in p["Address"].as_object().into_iter().flatten() {
        if !attribute_matches(
            c["DimensionType"].as_str().unwrap_or("INCLUSIVE"),
            &list(profile["Address"].get(field)),
            &strings(&c["Values"]),
        ) {
            return false;
        }
    }
    true
}

const OTHER: [&str; 8] = ["other", "none", "bronze", "no", "basic", "2", "android", "DE"];

/// `n` endpoints (seeded) shaped to the segment's criteria: about half take one of the values a criterion
/// names, the rest other values or none; activity dates fall in the 60 days before `now`.
pub fn segment_sample(
    segments: &[&Value],
    mapping: &ProfileMapping,
    n: usize,
    seed: u64,
    now: jiff::Timestamp,
) -> Vec<Value> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut wanted: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut metrics: BTreeMap<String, f64> = BTreeMap::new();
    let mut gps: Vec<(f64, f64, f64)> = Vec::new();
    let mut countries: Vec<String> = Vec::new();
    let mut demographics: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut visit = |d: &Value| {
        for source in ["Attributes", "UserAttributes"] {
            for (name, c) in d[source].as_object().into_iter().flatten() {
                wanted.entry((source.to_owned(), name.clone())).or_default().extend(strings(&c["Values"]));
            }
        }
        for (name, c) in d["Metrics"].as_object().into_iter().flatten() {
            metrics.insert(name.clone(), c["Value"].as_f64().unwrap_or(1.0));
        }
        if let Some(g) = d["Location"].get("GPSPoint").filter(|g| g.is_object()) {
            gps.push((
                g["Coordinates"]["Latitude"].as_f64().unwrap_or(0.0),
                g["Coordinates"]["Longitude"].as_f64().unwrap_or(0.0),
                g["RangeInKilometers"].as_f64().unwrap_or(1.0),
            ));
        }
        if let Some(c) = d["Location"].get("Country") {
            countries.extend(strings(&c["Values"]));
        }
        for (field, c) in d["Demographic"].as_object().into_iter().flatten() {
            demographics.entry(field.clone()).or_default().extend(strings(&c["Values"]));
        }
    };
    for s in segments {
        if let Some(d) = s.get("Dimensions") {
            visit(d);
        }
        for g in s["SegmentGroups"]["Groups"].as_array().into_iter().flatten() {
            for d in g["Dimensions"].as_array().into_iter().flatten() {
                visit(d);
            }
        }
    }
    (0..n)
        .map(|i| {
            let mut e = json!({
                "Id": format!("endpoint-{:04}", i + 1),
                "ChannelType": if rng.gen_bool(0.7) { "EMAIL" } else { "SMS" },
                "Address": format!("user{i}@example.com"),
                "Attributes": {}, "User": {"UserId": format!("user-{i:05}"), "UserAttributes": {}},
                "Metrics": {}, "Location": {}, "Demographic": {},
                "EffectiveDate": (now - jiff::SignedDuration::from_hours(rng.gen_range(1..24 * 60))).to_string(),
            });
            for ((source, name), values) in &wanted {
                if rng.gen_bool(0.12) {
                    continue;
                }
                let variable = if source == "UserAttributes" {
                    Variable::UserAttribute(name.clone())
                } else {
                    Variable::EndpointAttribute(name.clone())
                };
                let count = if mapping.multi_valued(&variable) == Some(true) { rng.gen_range(1..=3) } else { 1 };
                let items: Vec<String> = (0..count)
                    .map(|_| {
                        if rng.gen_bool(0.55) {
                            values.choose(&mut rng).cloned().unwrap_or_default()
                        } else {
                            OTHER.choose(&mut rng).copied().unwrap_or("other").to_owned()
                        }
                    })
                    .collect();
                let slot =
                    if source == "UserAttributes" { &mut e["User"]["UserAttributes"] } else { &mut e["Attributes"] };
                slot[name] = json!(items);
            }
            for (name, threshold) in &metrics {
                e["Metrics"][name] = json!((threshold * rng.gen_range(0.0..2.0_f64)).round());
            }
            if !countries.is_empty() || !gps.is_empty() {
                e["Location"]["Country"] = json!(if rng.gen_bool(0.6) {
                    countries.choose(&mut rng).cloned().unwrap_or_else(|| "US".into())
                } else {
                    "DE".to_owned()
                });
            }
            if let Some((lat, lon, km)) = gps.choose(&mut rng) {
                // near (inside the radius) or far
                let off = if rng.gen_bool(0.5) {
                    km / 111.0 * rng.gen_range(0.0..0.7)
                } else {
                    km / 111.0 * rng.gen_range(2.0..5.0)
                };
                e["Location"]["Latitude"] = json!(lat + off);
                e["Location"]["Longitude"] = json!(*lon);
            }
            for (field, values) in &demographics {
                let v = if rng.gen_bool(0.5) {
                    values.choose(&mut rng).cloned().unwrap_or_default()
                } else {
                    "other".to_owned()
                };
                if field == "Channel" {
                    e["ChannelType"] = json!(v);
                } else {
                    e["Demographic"][field] = json!(v);
                }
            }
            e
        })
        .collect()
}
