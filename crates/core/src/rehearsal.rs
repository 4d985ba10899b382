//! A scan, written back as a sandbox estate, so a consultant can rehearse a customer's exact migration
//! offline: `pinshift-sandbox serve --from-engagement FILE [--scan ID]` (and the desktop's sandbox) serves
//! the customer's projects, settings, channels, segments, campaigns, journeys, templates, recommenders,
//! event streams, SES identities and configuration sets and End User Messaging resources as the scan read
//! them, each account with keys of its own.
//!
//! Payloads are the AWS *responses* the scan kept; the estate says so (`lenient`), and the sandbox keeps
//! of each only what its request shape holds. Ids the customer's resources had are replaced by references
//! the sandbox resolves (`{{segment:NAME}}`, `{{recommender:NAME}}`, `{{phone:NUMBER}}`), since the sandbox
//! mints ids of its own. Endpoints are generated to match the audience profile when the scan made one
//! (counts per channel, opt-outs, endpoints without a user id, attribute names and types — never the
//! customer's values); KPIs and past import/export jobs are not reproduced.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::engagement::Engagement;
use crate::error::{Error, Result};
use crate::estate::{ResourceKind, ResourceRecord, ScanStatus};
use crate::scan::audience::{AttributeProfile, AttributeType, AudienceProfile};

/// The keys of the `n`th account of a rehearsal estate (what a profile pointing at the sandbox uses).
pub fn account_keys(n: usize) -> (String, String) {
    (format!("AKIAREHEARSAL{n:07}"), format!("rehearsal/account/{n:04}/secret/key/000000000000"))
}

impl Engagement {
    /// The rehearsal estate of a finished scan (the newest by default), as the sandbox's estate JSON.
    pub fn rehearsal_estate(&self, scan: Option<&str>) -> Result<Value> {
        let scans = self.list_scans()?;
        let chosen = match scan {
            Some(id) => scans
                .into_iter()
                .find(|s| s.id == id)
                .ok_or_else(|| Error::invalid("scan", format!("no scan {id} in this engagement")))?,
            None => scans
                .into_iter()
                .find(|s| matches!(s.status, ScanStatus::Complete | ScanStatus::CompleteWithGaps))
                .ok_or_else(|| {
                    Error::invalid("scan", "this engagement has no finished scan yet: run `pinshift scan` first")
                })?,
        };
        let records = self.scan_records(&chosen.id, None)?;
        Ok(estate(&format!("rehearsal of scan {}", chosen.id), &records))
    }
}

/// Builds the estate from a scan's records.
pub fn estate(name: &str, records: &[ResourceRecord]) -> Value {
    let names = References::from(records);
    let mut accounts: BTreeMap<&str, BTreeMap<&str, Vec<&ResourceRecord>>> = BTreeMap::new();
    for r in records {
        accounts.entry(r.account_id.as_str()).or_default().entry(r.region.as_str()).or_default().push(r);
    }
    let default_region = records.first().map(|r| r.region.clone()).unwrap_or_else(|| "us-east-1".to_owned());
    let accounts: Vec<Value> = accounts
        .into_iter()
        .enumerate()
        .map(|(n, (account_id, regions))| {
            let (key, secret) = account_keys(n + 1);
            json!({
                "name": format!("account-{account_id}"),
                "account_id": account_id,
                "user": "rehearsal",
                "access_key_id": key,
                "secret_access_key": secret,
                "regions": regions.iter().map(|(region, records)| region_estate(region, records, &names)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "name": name,
        "description": "Written by Pinshift from a scan: the customer's resources as AWS returned them, for an offline rehearsal.",
        "region": default_region,
        "lenient": true,
        "accounts": accounts,
    })
}

/// The customer's ids, each with the reference the sandbox resolves instead.
struct References {
    by_id: BTreeMap<String, String>,
}

impl References {
    fn from(records: &[ResourceRecord]) -> References {
        let mut by_id = BTreeMap::new();
        for r in records {
            let name = r.name.clone().unwrap_or_default();
            match r.kind {
                ResourceKind::Segment => {
                    by_id.insert(r.id.clone(), format!("{{{{segment:{name}}}}}"));
                }
                ResourceKind::Recommender => {
                    by_id.insert(r.id.clone(), format!("{{{{recommender:{name}}}}}"));
                }
                ResourceKind::PhoneNumber => {
                    if let Some(number) = r.raw["PhoneNumber"].as_str() {
                        by_id.insert(r.id.clone(), format!("{{{{phone:{number}}}}}"));
                    }
                }
                _ => {}
            }
        }
        References { by_id }
    }

    /// `value` with every id the scan saw replaced by its reference.
    fn replace(&self, value: &Value) -> Value {
        match value {
            Value::String(text) => {
                self.by_id.get(text).map(|r| Value::String(r.clone())).unwrap_or_else(|| value.clone())
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| self.replace(v)).collect()),
            Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), self.replace(v))).collect()),
            other => other.clone(),
        }
    }
}

fn of<'a>(records: &'a [&ResourceRecord], kind: ResourceKind) -> impl Iterator<Item = &'a ResourceRecord> {
    records.iter().copied().filter(move |r| r.kind == kind)
}

fn region_estate(region: &str, records: &[&ResourceRecord], names: &References) -> Value {
    let account_level: Vec<&ResourceRecord> = records.iter().copied().filter(|r| r.project_id.is_empty()).collect();
    let mut projects: BTreeMap<&str, Vec<&ResourceRecord>> = BTreeMap::new();
    for r in records.iter().filter(|r| !r.project_id.is_empty()) {
        projects.entry(r.project_id.as_str()).or_default().push(r);
    }
    let projects: Vec<Value> = of(&account_level, ResourceKind::Project)
        .map(|project| {
            project_estate(project, projects.get(project.id.as_str()).map(Vec::as_slice).unwrap_or(&[]), names)
        })
        .collect();

    let mut templates: Vec<Value> = Vec::new();
    for template in of(&account_level, ResourceKind::Template) {
        let mut versions: Vec<&ResourceRecord> =
            of(&account_level, ResourceKind::TemplateVersion).filter(|v| v.id == template.id).collect();
        versions.sort_by_key(|v| v.version.parse::<u64>().unwrap_or(0));
        let bodies: Vec<Value> = if versions.is_empty() {
            vec![names.replace(&template.raw)]
        } else {
            versions.iter().map(|v| names.replace(&v.raw)).collect()
        };
        let kind = template.raw["TemplateType"].as_str().unwrap_or("EMAIL");
        let mut entry = json!({
            "type": kind,
            "name": template.name.clone().unwrap_or_else(|| template.id.clone()),
            "tags": template.raw["tags"].as_object().cloned().unwrap_or_default(),
            "versions": bodies,
        });
        if let Some(active) = template.raw["Version"].as_str().filter(|_| !versions.is_empty()) {
            entry["active_version"] = json!(active);
        }
        templates.push(entry);
    }

    let recommenders: Vec<Value> =
        of(&account_level, ResourceKind::Recommender).map(|r| names.replace(&r.raw)).collect();
    let email_identities: Vec<Value> = records
        .iter()
        .copied()
        .filter(|r| r.kind == ResourceKind::EmailIdentity)
        .map(|r| {
            let mut identity = r.raw.clone();
            identity["EmailIdentity"] = json!(r.id);
            identity["verified"] = json!(r.raw["VerifiedForSendingStatus"].as_bool().unwrap_or(false));
            (r.id.clone(), identity)
        })
        .collect::<BTreeMap<String, Value>>()
        .into_values()
        .collect();
    let configuration_sets: Vec<Value> = records
        .iter()
        .copied()
        .filter(|r| r.kind == ResourceKind::EmailConfigurationSet)
        .map(|r| {
            let mut set = r.raw.clone();
            set["ConfigurationSetName"] = json!(r.id);
            set["EventDestinations"] = json!(
                r.raw["EventDestinations"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|d| json!({ "EventDestinationName": d["Name"], "EventDestination": d }))
                    .collect::<Vec<_>>()
            );
            (r.id.clone(), set)
        })
        .collect::<BTreeMap<String, Value>>()
        .into_values()
        .collect();

    json!({
        "region": region,
        "projects": projects,
        "templates": templates,
        "recommenders": recommenders,
        "email_identities": email_identities,
        "configuration_sets": configuration_sets,
        "sms": sms_estate(&account_level),
    })
}

fn sms_estate(records: &[&ResourceRecord]) -> Value {
    let opt_out_lists: Vec<Value> = of(records, ResourceKind::OptOutList)
        .filter(|r| r.id != "Default")
        .map(|r| json!({ "OptOutListName": r.id, "GeneratedOptOuts": r.raw["OptedOutCount"].as_u64().unwrap_or(0) }))
        .collect();
    let phone_numbers: Vec<Value> = of(records, ResourceKind::PhoneNumber)
        .map(|r| {
            let mut number = r.raw.clone();
            // Pools take their members when they are made; the customer's registrations are not reproduced.
            if let Some(object) = number.as_object_mut() {
                object.remove("PoolId");
                object.remove("RegistrationId");
            }
            let label = r.raw["PhoneNumber"].clone();
            number["Label"] = label.clone();
            number["PhoneNumber"] = label;
            number
        })
        .collect();
    let sender_ids: Vec<Value> = of(records, ResourceKind::SenderId).map(|r| r.raw.clone()).collect();
    let number_of = |id: &str| -> Option<String> {
        of(records, ResourceKind::PhoneNumber)
            .find(|n| n.id == id)
            .and_then(|n| n.raw["PhoneNumber"].as_str())
            .map(|n| format!("{{{{phone:{n}}}}}"))
    };
    let pools: Vec<Value> = of(records, ResourceKind::Pool)
        .filter_map(|r| {
            let members: Vec<String> = r.raw["OriginationIdentities"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| m["OriginationIdentity"].as_str())
                .map(|id| number_of(id).unwrap_or_else(|| id.to_owned()))
                .collect();
            let (first, rest) = members.split_first()?;
            let mut pool = r.raw.clone();
            if let Some(object) = pool.as_object_mut() {
                object.remove("OriginationIdentities");
            }
            pool["OriginationIdentity"] = json!(first);
            pool["Members"] = json!(rest);
            Some(pool)
        })
        .collect();
    let configuration_sets: Vec<Value> = of(records, ResourceKind::SmsConfigurationSet)
        .map(|r| {
            let mut set = r.raw.clone();
            set["EventDestinations"] = json!(r.raw["EventDestinations"].as_array().cloned().unwrap_or_default());
            set
        })
        .collect();
    let registrations: Vec<Value> = of(records, ResourceKind::Registration)
        .map(|r| json!({ "RegistrationType": r.raw["RegistrationType"], "RegistrationStatus": r.raw["RegistrationStatus"] }))
        .collect();
    json!({
        "opt_out_lists": opt_out_lists,
        "sender_ids": sender_ids,
        "phone_numbers": phone_numbers,
        "pools": pools,
        "configuration_sets": configuration_sets,
        "registrations": registrations,
    })
}

fn project_estate(project: &ResourceRecord, records: &[&ResourceRecord], names: &References) -> Value {
    let mut channels = Map::new();
    for channel in of(records, ResourceKind::Channel) {
        channels.insert(channel.id.clone(), names.replace(&channel.raw));
    }
    // The newest version of each segment and campaign is what the scan's `Segment`/`Campaign` record holds;
    // earlier versions come first so the sandbox numbers them the same way.
    let versioned = |kind: ResourceKind, versions: ResourceKind| -> Vec<Value> {
        dependencies_first(of(records, kind).collect())
            .into_iter()
            .map(|current| {
                let mut older: Vec<&ResourceRecord> = of(records, versions)
                    .filter(|v| v.id == current.id && v.raw["Version"] != current.raw["Version"])
                    .collect();
                older.sort_by_key(|v| v.version.parse::<u64>().unwrap_or(0));
                if older.is_empty() {
                    names.replace(&current.raw)
                } else {
                    let mut all: Vec<Value> = older.iter().map(|v| names.replace(&v.raw)).collect();
                    all.push(names.replace(&current.raw));
                    json!({ "Versions": all })
                }
            })
            .collect()
    };
    let mut entry = json!({
        "name": project.name.clone().unwrap_or_else(|| project.id.clone()),
        "tags": project.raw["tags"].as_object().cloned().unwrap_or_default(),
        "channels": channels,
        "segments": versioned(ResourceKind::Segment, ResourceKind::SegmentVersion),
        "campaigns": versioned(ResourceKind::Campaign, ResourceKind::CampaignVersion),
        "journeys": of(records, ResourceKind::Journey).map(|j| names.replace(&j.raw)).collect::<Vec<_>>(),
    });
    if let Some(settings) = of(records, ResourceKind::ProjectSettings).next() {
        entry["settings"] = names.replace(&settings.raw);
    }
    if let Some(stream) = of(records, ResourceKind::EventStream).next() {
        entry["event_stream"] = stream.raw.clone();
    }
    if let Some(profile) = of(records, ResourceKind::AudienceProfile).next()
        && let Ok(profile) = serde_json::from_value::<AudienceProfile>(profile.raw.clone())
    {
        entry["endpoints"] = population(&profile, project.id.len() as u64);
    }
    entry
}

/// Records ordered so that one naming another's id (a segment built from other segments) comes after it.
fn dependencies_first(records: Vec<&ResourceRecord>) -> Vec<&ResourceRecord> {
    fn mentions(value: &Value, id: &str) -> bool {
        match value {
            Value::String(text) => text == id,
            Value::Array(items) => items.iter().any(|v| mentions(v, id)),
            Value::Object(map) => map.values().any(|v| mentions(v, id)),
            _ => false,
        }
    }
    let mut left = records;
    let mut out = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let ready = left
            .iter()
            .position(|r| !left.iter().any(|other| other.id != r.id && mentions(&r.raw, &other.id)))
            .unwrap_or(0); // a cycle: keep the scan's order rather than loop
        out.push(left.remove(ready));
    }
    out
}

/// Endpoints like the profiled ones: the same counts, shares and attribute names and types, made-up values.
fn population(profile: &AudienceProfile, seed: u64) -> Value {
    let share = |n: u64| if profile.endpoints == 0 { 0.0 } else { n as f64 / profile.endpoints as f64 };
    let values = |a: &AttributeProfile| -> Vec<String> {
        match a.kind {
            AttributeType::Number => (1..=5).map(|n| (n * 10).to_string()).collect(),
            AttributeType::Boolean => vec!["true".into(), "false".into()],
            AttributeType::Date => vec!["2026-01-15".into(), "2026-04-01".into(), "2026-09-30".into()],
            AttributeType::String => (1..=5).map(|n| format!("{}-{n}", a.name.to_lowercase())).collect(),
        }
    };
    let mut attributes = Map::new();
    let mut user_attributes = Map::new();
    for a in &profile.attributes {
        let name = if a.multi_valued > 0 { format!("{}[]", a.name) } else { a.name.clone() };
        match a.source.as_str() {
            "Attributes" => {
                attributes.insert(name, json!(values(a)));
            }
            "User.UserAttributes" => {
                user_attributes.insert(name, json!(values(a)));
            }
            _ => {}
        }
    }
    json!({
        "seed": seed,
        "per_channel": profile.channels.iter().map(|(c, n)| (c.clone(), json!(n.endpoints))).collect::<Map<_, _>>(),
        "opt_out_share": share(profile.opted_out),
        "without_user_id_share": share(profile.without_user_id),
        "shared_address_share": share(profile.duplicate_addresses).min(0.5),
        "attributes": attributes,
        "user_attributes": user_attributes,
    })
}
