//! What the restJson1 target services (Connect, Customer Profiles, Outbound Campaigns v2, Q in Connect)
//! share: where a call runs, ARNs, paging under each service's own key names, tags kept by ARN, and the
//! idempotency-token memory.

use std::collections::{BTreeMap, HashMap};

use axum::http::StatusCode;
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::model::{Call, ServiceModel};
use crate::state::World;
use crate::wire::{Protocol, ServiceError};

/// Where a call runs and when (by the sandbox clock).
#[derive(Debug, Clone)]
pub struct Ctx<'a> {
    pub account_id: &'a str,
    pub region: &'a str,
    pub now: Timestamp,
    /// The sandbox's own address as the caller reached it (`http://127.0.0.1:PORT`), for the URLs a
    /// service hands out (Customer Profiles' upload paths).
    pub endpoint: &'a str,
}

impl Ctx<'_> {
    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!("arn:aws:{service}:{}:{}:{resource}", self.region, self.account_id)
    }

    /// Now as epoch seconds (how restJson1 writes timestamps).
    pub fn epoch(&self) -> f64 {
        crate::clock::epoch(self.now)
    }

    /// Now as ISO 8601 (for the members whose model says `timestampFormat: iso8601`).
    pub fn iso(&self) -> String {
        self.now.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    }

    /// The (account, Region) key of per-place state.
    pub fn place(&self) -> (String, String) {
        (self.account_id.to_owned(), self.region.to_owned())
    }
}

/// One restJson1 target service: how it is reached, spoken and handled.
#[derive(Debug)]
pub struct RestService {
    pub signing_name: &'static str,
    /// The IAM action prefix (`wisdom:` for Q in Connect).
    pub iam_prefix: &'static str,
    pub protocol: Protocol,
    pub model: fn() -> &'static ServiceModel,
    pub handle: fn(&mut World, &Ctx<'_>, &Call) -> Result<Value, ServiceError>,
}

/// The restJson1 target services, by signing name.
pub fn service(signing_name: &str) -> Option<&'static RestService> {
    [&super::connect::SERVICE, &super::profiles::SERVICE, &super::campaigns::SERVICE, &super::qconnect::SERVICE]
        .into_iter()
        .find(|s| s.signing_name == signing_name)
}

/// A string member of the input ("" when absent).
pub fn text(input: &Value, member: &str) -> String {
    input[member].as_str().unwrap_or_default().to_owned()
}

/// A fresh resource id (a UUID, as these services mint them).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A 32-hex id (Customer Profiles' profile ids, Q in Connect's content ids are UUIDs).
pub fn hex_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

pub fn error(status: u16, code: &'static str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST), code, message)
}

/// One page of `items` under `list`, the continuation under `token_key` (`NextToken` or `nextToken`).
pub fn page(
    items: Vec<Value>,
    size: Option<u64>,
    default_size: usize,
    token: Option<&str>,
    list: &str,
    token_key: &str,
    invalid_token: impl FnOnce() -> ServiceError,
) -> Result<Value, ServiceError> {
    let size = size.map(|n| n as usize).unwrap_or(default_size).max(1);
    let mut out = crate::paging::page(items, size, token, list).ok_or_else(invalid_token)?;
    if token_key != "NextToken"
        && let Some(object) = out.as_object_mut()
        && let Some(next) = object.remove("NextToken")
    {
        object.insert(token_key.to_owned(), next);
    }
    Ok(out)
}

/// Tags of every target resource, by ARN: `TagResource`, `UntagResource` and `ListTagsForResource` of
/// each service, and the snapshot, read them here.
#[derive(Debug, Default, Clone)]
pub struct Tags {
    by_arn: BTreeMap<String, Map<String, Value>>,
}

impl Tags {
    pub fn set(&mut self, arn: &str, tags: Option<&Value>) {
        let entry = self.by_arn.entry(arn.to_owned()).or_default();
        if let Some(tags) = tags.and_then(Value::as_object) {
            entry.extend(tags.clone());
        }
    }

    pub fn get(&self, arn: &str) -> Value {
        Value::Object(self.by_arn.get(arn).cloned().unwrap_or_default())
    }

    pub fn knows(&self, arn: &str) -> bool {
        self.by_arn.contains_key(arn)
    }

    pub fn remove_keys(&mut self, arn: &str, keys: &[String]) {
        if let Some(tags) = self.by_arn.get_mut(arn) {
            tags.retain(|k, _| !keys.contains(k));
        }
    }

    pub fn forget(&mut self, arn: &str) {
        self.by_arn.remove(arn);
    }

    /// Every tagged resource, for the snapshot.
    pub fn all(&self) -> &BTreeMap<String, Map<String, Value>> {
        &self.by_arn
    }

    /// The three tag operations every one of these services has, with its member names (`resourceArn`,
    /// `tags`, `tagKeys`). `None` when `operation` is not one of them.
    pub fn handle(
        &mut self,
        operation: &str,
        input: &Value,
        not_found: &dyn Fn(&str) -> ServiceError,
    ) -> Option<Result<Value, ServiceError>> {
        let arn = input["resourceArn"].as_str().or(input["arn"].as_str()).unwrap_or_default().to_owned();
        let known = |tags: &Tags| if tags.knows(&arn) { Ok(()) } else { Err(not_found(&arn)) };
        Some(match operation {
            "TagResource" => known(self).map(|()| {
                self.set(&arn, input.get("tags"));
                json!({})
            }),
            "UntagResource" => known(self).map(|()| {
                let keys: Vec<String> = input["tagKeys"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                self.remove_keys(&arn, &keys);
                json!({})
            }),
            "ListTagsForResource" => known(self).map(|()| json!({ "tags": self.get(&arn) })),
            _ => return None,
        })
    }
}

/// Answers remembered per idempotency token: a retried create returns the first answer instead of a
/// duplicate or a conflict.
#[derive(Debug, Default, Clone)]
pub struct Idempotency {
    seen: HashMap<(String, String, String, String), Value>,
}

impl Idempotency {
    /// The token member of `call`'s input, if the operation has one and it was sent.
    fn key(service: &str, ctx: &Ctx<'_>, call: &Call) -> Option<(String, String, String, String)> {
        let token = ["ClientToken", "clientToken"].iter().find_map(|k| call.input[*k].as_str())?;
        Some((
            service.to_owned(),
            format!("{}/{}", ctx.account_id, ctx.region),
            call.operation.clone(),
            token.to_owned(),
        ))
    }

    pub fn recall(&self, service: &str, ctx: &Ctx<'_>, call: &Call) -> Option<Value> {
        Self::key(service, ctx, call).and_then(|key| self.seen.get(&key).cloned())
    }

    pub fn remember(&mut self, service: &str, ctx: &Ctx<'_>, call: &Call, answer: &Value) {
        if let Some(key) = Self::key(service, ctx, call) {
            self.seen.insert(key, answer.clone());
        }
    }
}
