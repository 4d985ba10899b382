//! Field paths into raw payloads, as the rule table writes them: `Schedule.Frequency`,
//! `AdditionalTreatments[]` (every element), `Activities.*.Holdout` (every key). Matching yields the
//! concrete paths (`Activities.holdout.Holdout`), so a finding names the exact field it read.

use serde_json::Value;

/// Every value at `pattern` in `root`, with its concrete path.
pub fn find<'a>(root: &'a Value, pattern: &str) -> Vec<(String, &'a Value)> {
    let mut out = vec![(String::new(), root)];
    for segment in pattern.split('.') {
        let (key, each) = match segment.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (segment, false),
        };
        let mut next = Vec::new();
        for (path, value) in out {
            if key == "*" {
                if let Value::Object(map) = value {
                    for (k, v) in map {
                        next.push((join(&path, k), v));
                    }
                }
            } else if let Some(v) = value.get(key) {
                next.push((join(&path, key), v));
            }
        }
        if each {
            next = next
                .into_iter()
                .flat_map(|(path, value)| match value {
                    Value::Array(items) => {
                        items.iter().enumerate().map(|(i, v)| (format!("{path}[{i}]"), v)).collect::<Vec<_>>()
                    }
                    _ => Vec::new(),
                })
                .collect();
        }
        out = next;
    }
    out.retain(|(_, v)| !v.is_null());
    out
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// Whether a value counts as set: not null, not an empty string, object or array.
pub fn is_set(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

/// A scalar as text (`"WEEKLY"`, `200`, `true`), for comparisons and previews.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A number, also from numeric text (Pinpoint returns some numbers as strings).
pub fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcards_and_arrays_give_concrete_paths() {
        let v = json!({"Activities": {"a": {"Holdout": {"Percentage": 10}}, "b": {"Wait": {}}},
                       "T": [{"Name": "x"}, {"Name": null}, {"Name": "z"}]});
        let holdouts: Vec<_> = find(&v, "Activities.*.Holdout").into_iter().map(|(p, _)| p).collect();
        assert_eq!(holdouts, ["Activities.a.Holdout"]);
        let names: Vec<_> = find(&v, "T[].Name").into_iter().map(|(p, v)| format!("{p}={}", text(v))).collect();
        assert_eq!(names, ["T[0].Name=x", "T[2].Name=z"]);
        assert!(find(&v, "Missing.Path").is_empty());
    }
}
