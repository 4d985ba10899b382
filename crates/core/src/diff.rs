//! What changed between two estates: resources added, removed, and changed with the field paths that
//! differ (`Schedule.Frequency`, `AdditionalTreatments[0].SizePercent`). Pure; no I/O.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::estate::{ResourceKind, ResourceRecord, ResourceSummary};

/// One resource's change.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ResourceChange {
    /// Which resource (serialised inline: `account_id`, `kind`, `id`, … next to `change`).
    #[serde(flatten)]
    #[ts(flatten)]
    pub resource: ResourceSummary,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    Changed { fields: Vec<FieldChange> },
}

impl Change {
    /// `added`, `removed`, `changed (3 fields)`.
    pub fn label(&self) -> String {
        match self {
            Change::Added => "added".into(),
            Change::Removed => "removed".into(),
            Change::Changed { fields } if fields.len() == 1 => format!("changed ({})", fields[0].path),
            Change::Changed { fields } => format!("changed ({} fields)", fields.len()),
        }
    }
}

/// A field that differs; `None` where the field is absent on that side.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FieldChange {
    pub path: String,
    #[ts(type = "unknown")]
    pub before: Option<Value>,
    #[ts(type = "unknown")]
    pub after: Option<Value>,
}

type Key = (String, String, String, ResourceKind, String, String);

fn key(r: &ResourceRecord) -> Key {
    (r.account_id.clone(), r.region.clone(), r.project_id.clone(), r.kind, r.id.clone(), r.version.clone())
}

/// The changes from `before` to `after`, in a stable order.
pub fn diff(before: &[ResourceRecord], after: &[ResourceRecord]) -> Vec<ResourceChange> {
    let old: BTreeMap<Key, &ResourceRecord> = before.iter().map(|r| (key(r), r)).collect();
    let new: BTreeMap<Key, &ResourceRecord> = after.iter().map(|r| (key(r), r)).collect();
    let mut keys: Vec<&Key> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut changes = Vec::new();
    for k in keys {
        let change = match (old.get(k), new.get(k)) {
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            (Some(a), Some(b)) => {
                let mut fields = Vec::new();
                compare(&a.raw, &b.raw, "", &mut fields);
                if fields.is_empty() {
                    continue;
                }
                Change::Changed { fields }
            }
            (None, None) => continue,
        };
        let Some(record) = new.get(k).or_else(|| old.get(k)) else { continue };
        changes.push(ResourceChange { resource: record.summary(), change });
    }
    changes
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

fn compare(a: &Value, b: &Value, path: &str, out: &mut Vec<FieldChange>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => compare(p, q, &join(path, k), out),
                    (p, q) => out.push(FieldChange { path: join(path, k), before: p.cloned(), after: q.cloned() }),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                let at = format!("{path}[{i}]");
                match (x.get(i), y.get(i)) {
                    (Some(p), Some(q)) => compare(p, q, &at, out),
                    (p, q) => out.push(FieldChange { path: at, before: p.cloned(), after: q.cloned() }),
                }
            }
        }
        (p, q) if p != q => {
            out.push(FieldChange { path: path.to_owned(), before: Some(p.clone()), after: Some(q.clone()) })
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn record(id: &str, raw: Value) -> ResourceRecord {
        ResourceRecord {
            account_id: "1".into(),
            region: "us-east-1".into(),
            project_id: "p".into(),
            kind: ResourceKind::Campaign,
            id: id.into(),
            version: String::new(),
            name: Some(id.into()),
            raw,
        }
    }

    #[test]
    fn additions_removals_and_field_paths() {
        let before = [
            record(
                "a",
                json!({ "Schedule": { "Frequency": "ONCE" }, "AdditionalTreatments": [{ "SizePercent": 40 }] }),
            ),
            record("gone", json!({})),
        ];
        let after = [
            record(
                "a",
                json!({ "Schedule": { "Frequency": "DAILY" }, "AdditionalTreatments": [{ "SizePercent": 40 }, { "SizePercent": 10 }], "HoldoutPercent": 5 }),
            ),
            record("new", json!({})),
        ];
        let changes = diff(&before, &after);
        assert_eq!(changes.len(), 3);
        let Change::Changed { fields } = &changes[0].change else { panic!("a changed") };
        let paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["AdditionalTreatments[1]", "HoldoutPercent", "Schedule.Frequency"]);
        assert_eq!(fields[2].before, Some(json!("ONCE")));
        assert_eq!(changes[1].change, Change::Removed);
        assert_eq!(changes[1].resource.id, "gone");
        assert_eq!(changes[2].change, Change::Added);
        assert!(diff(&after, &after).is_empty(), "an estate equals itself");
    }
}
