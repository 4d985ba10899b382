//! Endpoints. An estate declares a *population* per project (counts per channel and distributions);
//! endpoints are generated from it on demand, deterministically, so a project can hold a million endpoints
//! without a million stored objects. Writes (UpdateEndpoint, UpdateEndpointsBatch, deletes) are stored
//! beside the population and win over generated values.
//!
//! Generated ids are `<channel>-<index>` (`email-00000042`); the endpoints of all channels at one index
//! belong to one user, `user-<index>`, unless that index is in the share without a UserId.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{App, PinpointState, Scope, app_mut, payload, text};
use crate::model::{bad_request, not_found};
use crate::wire::ServiceError;

/// How a project's endpoints are generated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Population {
    pub seed: u64,
    /// Endpoints per ChannelType (`EMAIL`, `SMS`, `GCM`, `APNS`, …).
    pub per_channel: BTreeMap<String, u64>,
    /// Share of endpoints with `OptOut: ALL`.
    pub opt_out_share: f64,
    /// Share of users (indexes) whose endpoints carry no UserId.
    pub without_user_id_share: f64,
    /// Share of addresses drawn from one pool shared by every project: the same person known to several
    /// clients.
    pub shared_address_share: f64,
    /// Endpoint `Attributes`: name → values drawn from. A name ending in `[]` gets up to three values
    /// (multi-value attribute); the `[]` is dropped from the name.
    pub attributes: BTreeMap<String, Vec<String>>,
    /// `User.UserAttributes`, same convention.
    pub user_attributes: BTreeMap<String, Vec<String>>,
    /// Email domain for generated addresses; defaults to the project name + `.example`.
    pub email_domain: Option<String>,
}

/// An app's endpoints: the generated population, plus what the API wrote.
#[derive(Debug, Clone, Default)]
pub struct Endpoints {
    pub population: Population,
    pub project: String,
    pub written: BTreeMap<String, Value>,
    pub deleted: BTreeSet<String>,
    /// (field, name) pairs RemoveAttributes took away: `Attributes`, `Metrics` or `UserAttributes`.
    pub removed_attributes: BTreeSet<(String, String)>,
}

const COUNTRIES: [(&str, &str, &str); 4] = [
    ("US", "Seattle", "America/Los_Angeles"),
    ("US", "New York", "America/New_York"),
    ("CA", "Toronto", "America/Toronto"),
    ("GB", "London", "Europe/London"),
];

fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h ^ (h >> 29)
}

fn unit(parts: &[&str]) -> f64 {
    (hash(parts) % 1_000_000) as f64 / 1_000_000.0
}

impl Endpoints {
    /// Every channel's count, in a fixed order.
    pub fn total(&self) -> u64 {
        self.population.per_channel.values().sum()
    }

    fn generated(&self, app_id: &str, channel: &str, index: u64, now: &str) -> Value {
        let p = &self.population;
        let seed = p.seed.to_string();
        let i = index.to_string();
        let key = |field: &str| -> [String; 4] { [seed.clone(), self.project.clone(), i.clone(), field.to_owned()] };
        let pick = |field: &str, values: &[String]| -> Option<String> {
            let k = key(field);
            (!values.is_empty())
                .then(|| values[(hash(&[&k[0], &k[1], &k[2], &k[3]]) % values.len() as u64) as usize].clone())
        };
        let share = |field: &str| {
            let k = key(field);
            unit(&[&k[0], &k[1], &k[2], &k[3]])
        };
        let shared = share("shared") < p.shared_address_share;
        // Shared addresses come from one estate-wide pool of people, so they repeat across projects.
        let person = if shared { hash(&[&seed, "shared-person", &i]) % 10_000 } else { index };
        let domain = p.email_domain.clone().unwrap_or_else(|| format!("{}.example", self.project));
        let address = match channel {
            "EMAIL" if shared => format!("customer{person}@shared.example"),
            "EMAIL" => format!("user{index}@{domain}"),
            "SMS" | "VOICE" if shared => format!("+1555900{person:04}"),
            "SMS" | "VOICE" => format!("+1{}{:07}", 200 + hash(&[&self.project]) % 700, index % 10_000_000),
            _ => format!(
                "{:016x}{:016x}",
                hash(&[&seed, &self.project, &i, channel]),
                hash(&[&i, channel, &self.project])
            ),
        };
        let values = |spec: &BTreeMap<String, Vec<String>>, salt: &str| -> Map<String, Value> {
            spec.iter()
                .map(|(name, options)| {
                    let (name, multi) = match name.strip_suffix("[]") {
                        Some(base) => (base.to_owned(), true),
                        None => (name.clone(), false),
                    };
                    let count =
                        if multi { 1 + (hash(&[&seed, &self.project, &i, &name, "n"]) % 3) as usize } else { 1 };
                    let mut chosen: Vec<Value> = Vec::new();
                    for n in 0..count {
                        if let Some(v) = pick(&format!("{salt}/{name}/{n}"), options)
                            && !chosen.iter().any(|c| c == &v)
                        {
                            chosen.push(json!(v));
                        }
                    }
                    (name, Value::Array(chosen))
                })
                .collect()
        };
        let (country, city, timezone) =
            COUNTRIES[(hash(&[&seed, &self.project, &i, "geo"]) % COUNTRIES.len() as u64) as usize];
        let mut endpoint = json!({
            "ApplicationId": app_id,
            "Id": format!("{}-{index:08}", channel.to_lowercase()),
            "ChannelType": channel,
            "Address": address,
            "EndpointStatus": "ACTIVE",
            "OptOut": if share("optout") < p.opt_out_share { "ALL" } else { "NONE" },
            "RequestId": format!("seed-{:016x}", hash(&[&seed, &i, channel])),
            "CohortId": (hash(&[&self.project, &i]) % 100).to_string(),
            "CreationDate": now,
            "EffectiveDate": now,
            "Attributes": values(&p.attributes, "attr"),
            "Metrics": { "sessions": (hash(&[&seed, &i, "sessions"]) % 200) as f64 },
            "Demographic": { "Timezone": timezone, "Locale": if country == "GB" { "en_GB" } else { "en_US" }, "Platform": platform(channel) },
            "Location": { "Country": country, "City": city },
        });
        let mut user_attributes = values(&p.user_attributes, "user");
        for (field, name) in &self.removed_attributes {
            match field.as_str() {
                "UserAttributes" => {
                    user_attributes.remove(name);
                }
                other => {
                    if let Some(map) = endpoint[other].as_object_mut() {
                        map.remove(name);
                    }
                }
            }
        }
        if share("no-user") >= p.without_user_id_share {
            endpoint["User"] = json!({ "UserId": format!("user-{index:07}"), "UserAttributes": user_attributes });
        } else if !user_attributes.is_empty() {
            endpoint["User"] = json!({ "UserAttributes": user_attributes });
        }
        endpoint
    }

    /// The endpoint with `id`, generated or written.
    pub fn get(&self, app_id: &str, id: &str, now: &str) -> Option<Value> {
        if self.deleted.contains(id) {
            return None;
        }
        if let Some(written) = self.written.get(id) {
            return Some(written.clone());
        }
        let (channel, index) = id.rsplit_once('-')?;
        let index: u64 = index.parse().ok()?;
        let channel = channel.to_uppercase();
        let count = *self.population.per_channel.get(&channel)?;
        (index < count && id == format!("{}-{index:08}", channel.to_lowercase()))
            .then(|| self.generated(app_id, &channel, index, now))
    }

    /// Every endpoint, generated then written-only ones, in a stable order. Written values replace
    /// generated ones with the same id.
    pub fn all<'a>(&'a self, app_id: &'a str, now: &'a str) -> impl Iterator<Item = Value> + 'a {
        let generated = self.population.per_channel.iter().flat_map(move |(channel, count)| {
            (0..*count)
                .filter_map(move |index| self.get(app_id, &format!("{}-{index:08}", channel.to_lowercase()), now))
        });
        let extra = self.written.iter().filter(|(id, _)| !self.is_generated_id(id)).map(|(_, v)| v.clone());
        generated.chain(extra)
    }

    fn is_generated_id(&self, id: &str) -> bool {
        id.rsplit_once('-').is_some_and(|(channel, index)| {
            index
                .parse::<u64>()
                .is_ok_and(|i| self.population.per_channel.get(&channel.to_uppercase()).is_some_and(|n| i < *n))
        })
    }

    fn user(&self, app_id: &str, user_id: &str, now: &str) -> Vec<Value> {
        let mut found: Vec<Value> = Vec::new();
        if let Some(index) = user_id.strip_prefix("user-").and_then(|n| n.parse::<u64>().ok()) {
            for channel in self.population.per_channel.keys() {
                if let Some(endpoint) = self.get(app_id, &format!("{}-{index:08}", channel.to_lowercase()), now)
                    && endpoint["User"]["UserId"] == user_id
                {
                    found.push(endpoint);
                }
            }
        }
        for endpoint in self.written.values() {
            if endpoint["User"]["UserId"] == user_id && !found.iter().any(|f| f["Id"] == endpoint["Id"]) {
                found.push(endpoint.clone());
            }
        }
        found
            .retain(|e| e["User"]["UserId"] == user_id && !self.deleted.contains(e["Id"].as_str().unwrap_or_default()));
        found
    }
}

fn platform(channel: &str) -> &'static str {
    match channel {
        "APNS" | "APNS_SANDBOX" | "APNS_VOIP" | "APNS_VOIP_SANDBOX" => "ios",
        "GCM" | "BAIDU" | "ADM" => "android",
        _ => "web",
    }
}

fn accepted() -> Value {
    json!({ "Message": "Accepted", "RequestID": uuid::Uuid::new_v4().to_string() })
}

fn write(app: &mut App, app_id: &str, id: &str, request: &Map<String, Value>, now: &str) -> Result<(), ServiceError> {
    if id.is_empty() || id.len() > 200 {
        return Err(bad_request("Endpoint Id must be 1 to 200 characters"));
    }
    let mut endpoint = app.endpoints.get(app_id, id, now).unwrap_or_else(|| {
        json!({ "ApplicationId": app_id, "Id": id, "CreationDate": now, "EndpointStatus": "ACTIVE", "OptOut": "NONE", "CohortId": "0" })
    });
    for (key, value) in request {
        if key != "Id" {
            endpoint[key.as_str()] = value.clone();
        }
    }
    endpoint["EffectiveDate"] = json!(now);
    app.endpoints.deleted.remove(id);
    app.endpoints.written.insert(id.to_owned(), endpoint);
    Ok(())
}

const OPERATIONS: [&str; 6] = [
    "GetEndpoint",
    "UpdateEndpoint",
    "UpdateEndpointsBatch",
    "DeleteEndpoint",
    "GetUserEndpoints",
    "DeleteUserEndpoints",
];

pub fn handle(
    state: &mut PinpointState,
    scope: &Scope,
    op: &str,
    input: &Value,
) -> Option<Result<Value, ServiceError>> {
    if !OPERATIONS.contains(&op) {
        return None;
    }
    let app_id = text(input, "ApplicationId").to_owned();
    let now = scope.now.as_str();
    Some(app_mut(state.region(scope), &app_id).and_then(|app| match op {
        "GetEndpoint" => {
            app.endpoints.get(&app_id, text(input, "EndpointId"), now).ok_or_else(|| not_found("Resource not found"))
        }
        "UpdateEndpoint" => {
            write(app, &app_id, text(input, "EndpointId"), &payload(input, "EndpointRequest"), now).map(|()| accepted())
        }
        "UpdateEndpointsBatch" => {
            let items = payload(input, "EndpointBatchRequest")
                .get("Item")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if items.len() > 100 {
                return Err(bad_request("A batch can contain at most 100 endpoints"));
            }
            for item in items {
                let request = item.as_object().cloned().unwrap_or_default();
                write(app, &app_id, item["Id"].as_str().unwrap_or_default(), &request, now)?;
            }
            Ok(accepted())
        }
        "DeleteEndpoint" => {
            let id = text(input, "EndpointId");
            let endpoint = app.endpoints.get(&app_id, id, now).ok_or_else(|| not_found("Resource not found"))?;
            app.endpoints.written.remove(id);
            app.endpoints.deleted.insert(id.to_owned());
            Ok(endpoint)
        }
        "GetUserEndpoints" => {
            let found = app.endpoints.user(&app_id, text(input, "UserId"), now);
            if found.is_empty() { Err(not_found("Resource not found")) } else { Ok(json!({ "Item": found })) }
        }
        "DeleteUserEndpoints" => {
            let found = app.endpoints.user(&app_id, text(input, "UserId"), now);
            for endpoint in &found {
                let id = endpoint["Id"].as_str().unwrap_or_default().to_owned();
                app.endpoints.written.remove(&id);
                app.endpoints.deleted.insert(id);
            }
            Ok(json!({ "Item": found }))
        }
        _ => unreachable!("checked against OPERATIONS above"),
    }))
}
