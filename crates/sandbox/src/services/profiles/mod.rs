//! Amazon Connect Customer Profiles (restJson1, signing name `profile`): domains (100 per Region by default;
//! `DefaultExpirationDays` required), object types whose fields and keys decide how objects create, find and
//! merge profiles, `PutProfileObject` and `BatchPutProfileObject` (at most 10 items), profiles
//! (create, update, search by key, delete), objects listed per profile, integrations (a Connect instance ARN
//! or an S3 URI), segment definitions, and segment estimates computed over the stored profiles by the
//! definition's semantics.
//!
//! **How an object lands** (`PutProfileObject`): the object type's `Fields` read values from the object
//! (`_source.<path>`) and write them to the profile (`_profile.<path>`). Keys whose `StandardIdentifiers`
//! include `PROFILE`, `LOOKUP_ONLY` or `SECONDARY` look for an existing profile with the same key value;
//! without one, a profile is created when the type allows it (`AllowProfileCreation`) and the call is
//! refused otherwise. The `UNIQUE` key identifies the object, so putting it again replaces it. Every key
//! but `LOOKUP_ONLY` is then searchable with `SearchProfiles` (`NEW_ONLY` only on the profile it created),
//! beside the standard `_email`, `_phone`, `_account` and `_profileId` keys. Objects expire after the
//! type's `ExpirationDays` (else the domain's `DefaultExpirationDays`) by the sandbox clock.

mod jobs;

pub use jobs::{DEFAULT_DATA_EXPIRY_DAYS, accept_upload};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value, json};

use super::rest::{Ctx, RestService, error, hex_id, page, text};
use crate::model::{Call, ServiceModel};
use crate::state::World;
use crate::wire::{Protocol, RestStyle, ServiceError};

pub const SIGNING_NAME: &str = "profile";
pub const PROTOCOL: Protocol = Protocol::RestJson(&RestStyle {
    message_key: "Message",
    request_id_in_body: false,
    denied: "AccessDeniedException",
    throttled: ("ThrottlingException", 429),
    server_error: "InternalServerException",
});

pub static SERVICE: RestService =
    RestService { signing_name: SIGNING_NAME, iam_prefix: "profile", protocol: PROTOCOL, model, handle };

/// Domains per account and Region (quota L-6603B252, adjustable).
pub const DOMAINS_PER_REGION: usize = 100;
/// Object types per domain.
pub const OBJECT_TYPES_PER_DOMAIN: usize = 100;
/// Items per `BatchPutProfileObject`.
pub const BATCH_ITEMS: usize = 10;
const MAX_OBJECT: usize = 256_000;

pub fn model() -> &'static ServiceModel {
    static MODEL: OnceLock<ServiceModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        ServiceModel::parse(include_str!("../../../models/customer-profiles-2020-08-15.json"))
            .expect("the embedded Customer Profiles model is valid JSON")
    })
}

#[derive(Debug, Clone)]
pub struct Domain {
    pub account_id: String,
    pub region: String,
    /// The domain's settings as GetDomain answers them, without `Tags` and `Stats`.
    pub record: Value,
    pub object_types: BTreeMap<String, Value>,
    pub profiles: BTreeMap<String, Profile>,
    pub integrations: BTreeMap<String, Value>,
    pub segments: BTreeMap<String, Value>,
    pub estimates: BTreeMap<String, Estimate>,
    pub upload_jobs: BTreeMap<String, jobs::UploadJob>,
    /// S3 integration URI → the object keys it has ingested.
    pub ingested: BTreeMap<String, BTreeSet<String>>,
    /// S3 integration URI → what happened to each object it read.
    pub ingest_log: BTreeMap<String, Vec<String>>,
    /// (segment definition, snapshot id) → the GetSegmentSnapshot shape.
    pub snapshots: BTreeMap<(String, String), Value>,
    pub calculated_attributes: BTreeMap<String, Value>,
    pub event_triggers: BTreeMap<String, Value>,
    /// (key name, value) → the profile that had it when indexed: a lookup checks the profile still has
    /// it (a deleted profile or a changed address is a miss), so writes stay fast at any domain size.
    pub key_index: HashMap<(String, String), String>,
    /// The earliest expiry of anything in the domain (none: nothing expires, or not known yet: a full
    /// pass finds it), so the pass before each call runs only when something may have expired.
    pub next_expiry: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct Profile {
    /// The `Profile` shape (ProfileId, names, addresses, `Attributes`, …).
    pub record: Value,
    /// Key name → values, for SearchProfiles.
    pub keys: BTreeMap<String, BTreeSet<String>>,
    /// Objects by unique key.
    pub objects: BTreeMap<String, StoredObject>,
    /// When the profile's uploaded data expires (upload jobs' DataExpiry); `None` for other profiles.
    pub expires: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct StoredObject {
    pub object_type: String,
    pub object: String,
    pub expires: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Estimate {
    pub count: usize,
    /// How many times it was read: the first read answers RUNNING, as a fresh estimate does on AWS.
    pub reads: u32,
    pub failure: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct ProfilesState {
    pub domains: BTreeMap<(String, String, String), Domain>,
}

fn bad(message: impl Into<String>) -> ServiceError {
    error(400, "BadRequestException", message)
}

fn not_found(message: impl Into<String>) -> ServiceError {
    error(404, "ResourceNotFoundException", message)
}

/// Standard profile fields that hold an email address, a phone number, the account number.
const EMAIL_FIELDS: &[&str] = &["EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress"];
const PHONE_FIELDS: &[&str] = &["PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber"];

impl ProfilesState {
    fn domain_mut(&mut self, ctx: &Ctx<'_>, name: &str) -> Result<&mut Domain, ServiceError> {
        self.domains
            .get_mut(&(ctx.account_id.to_owned(), ctx.region.to_owned(), name.to_owned()))
            .ok_or_else(|| not_found(format!("Domain {name} not found")))
    }

    /// The domain an ARN names (for Campaigns' integration and event-trigger sources).
    pub fn domain_by_arn(&self, arn: &str) -> Option<&Domain> {
        self.domains.values().find(|d| d.record["DomainArn"] == arn || d.arn() == arn)
    }

    /// A segment definition's ARN, if it exists.
    pub fn segment_exists(&self, arn: &str) -> bool {
        self.domains.values().any(|d| d.segments.values().any(|s| s["SegmentDefinitionArn"] == arn))
    }
}

impl Domain {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:profile:{}:{}:domains/{}",
            self.region,
            self.account_id,
            self.record["DomainName"].as_str().unwrap_or_default()
        )
    }

    fn expire(&mut self, now: Timestamp) {
        if self.next_expiry.is_some_and(|at| at > now) {
            return;
        }
        let mut next: Option<Timestamp> = None;
        for profile in self.profiles.values_mut() {
            profile.objects.retain(|_, o| o.expires > now);
            for at in profile.objects.values().map(|o| o.expires).chain(profile.expires) {
                next = Some(next.map_or(at, |n| n.min(at)));
            }
        }
        self.profiles.retain(|_, p| p.expires.is_none_or(|at| at > now));
        // Nothing left to expire: the next write that sets an expiry says when.
        self.next_expiry = Some(next.unwrap_or(Timestamp::MAX));
    }

    /// Something in the domain expires at `at`.
    fn expires_at(&mut self, at: Timestamp) {
        self.next_expiry = Some(self.next_expiry.map_or(at, |n| n.min(at)));
    }

    /// Indexes the keys profile `id` has now.
    fn reindex(&mut self, id: &str) {
        if let Some(profile) = self.profiles.get(id) {
            for (key, values) in &profile.keys {
                for value in values {
                    self.key_index.insert((key.clone(), value.clone()), id.to_owned());
                }
            }
        }
    }

    fn default_expiration(&self) -> i64 {
        self.record["DefaultExpirationDays"].as_i64().unwrap_or(366)
    }

    fn find_profile(&self, key: &str, value: &str) -> Option<String> {
        let id = self.key_index.get(&(key.to_owned(), value.to_owned()))?;
        let profile = self.profiles.get(id)?;
        profile.keys.get(key).is_some_and(|v| v.contains(value)).then(|| id.clone())
    }

    fn new_profile(&mut self) -> String {
        let id = hex_id();
        let mut profile = Profile {
            record: json!({ "ProfileId": id }),
            keys: BTreeMap::new(),
            objects: BTreeMap::new(),
            expires: None,
        };
        profile.keys.entry("_profileId".to_owned()).or_default().insert(id.clone());
        self.profiles.insert(id.clone(), profile);
        self.reindex(&id);
        id
    }

    /// Lands one object (see the module docs); returns its unique key.
    fn put_object(&mut self, type_name: &str, object_text: &str, now: Timestamp) -> Result<String, String> {
        if object_text.len() > MAX_OBJECT {
            return Err(format!("Object is larger than {MAX_OBJECT} characters"));
        }
        let object: Value = serde_json::from_str(object_text).map_err(|e| format!("Object is not valid JSON: {e}"))?;
        let object_type =
            self.object_types.get(type_name).cloned().ok_or_else(|| format!("Object type {type_name} not found"))?;
        let mut values: BTreeMap<String, String> = BTreeMap::new();
        for (name, field) in object_type["Fields"].as_object().into_iter().flatten() {
            let source = field["Source"].as_str().unwrap_or_default();
            let path = source.strip_prefix("_source.").unwrap_or(source);
            if let Some(value) = lookup(&object, path).and_then(scalar) {
                values.insert(name.clone(), value);
            }
        }
        let key_value = |spec: &Value| -> Option<String> {
            let names: Vec<&str> =
                spec["FieldNames"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            let parts: Option<Vec<&String>> = names.iter().map(|n| values.get(*n)).collect();
            parts.filter(|p| !p.is_empty()).map(|p| p.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("_"))
        };
        let mut unique = None;
        let mut lookups = Vec::new();
        let mut stored_keys = Vec::new();
        for (key, specs) in object_type["Keys"].as_object().into_iter().flatten() {
            for spec in specs.as_array().into_iter().flatten() {
                let ids: Vec<&str> =
                    spec["StandardIdentifiers"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                let Some(value) = key_value(spec) else { continue };
                if ids.contains(&"UNIQUE") {
                    unique = Some(value.clone());
                }
                if ids.iter().any(|i| matches!(*i, "PROFILE" | "LOOKUP_ONLY" | "SECONDARY")) {
                    lookups.push((key.clone(), value.clone()));
                }
                if !ids.contains(&"LOOKUP_ONLY") {
                    stored_keys.push((key.clone(), value, ids.contains(&"NEW_ONLY")));
                }
            }
        }
        let found = lookups.iter().find_map(|(k, v)| self.find_profile(k, v));
        let created = found.is_none();
        let profile_id = match found {
            Some(id) => id,
            None if object_type["AllowProfileCreation"].as_bool().unwrap_or(false) => self.new_profile(),
            None => {
                return Err(format!(
                    "No profile matches this {type_name} object's keys and the object type does not allow profile creation"
                ));
            }
        };
        let expiration = object_type["ExpirationDays"].as_i64().unwrap_or_else(|| self.default_expiration());
        let unique = unique.map(|u| format!("{type_name}_{u}")).unwrap_or_else(hex_id);
        let unique_key = format!("{:x}", md5_like(&unique));
        let Some(profile) = self.profiles.get_mut(&profile_id) else { return Err("profile vanished".to_owned()) };
        for (name, field) in object_type["Fields"].as_object().into_iter().flatten() {
            let target = field["Target"].as_str().unwrap_or_default();
            if let (Some(path), Some(value)) = (target.strip_prefix("_profile."), values.get(name)) {
                set_path(&mut profile.record, path, Value::String(value.clone()));
            }
        }
        for (key, value, new_only) in stored_keys {
            if !new_only || created {
                profile.keys.entry(key).or_default().insert(value);
            }
        }
        index_standard_keys(profile);
        let expires = now.checked_add(SignedDuration::from_hours(24 * expiration)).unwrap_or(now);
        profile.objects.insert(
            unique_key.clone(),
            StoredObject { object_type: type_name.to_owned(), object: object_text.to_owned(), expires },
        );
        self.reindex(&profile_id);
        self.expires_at(expires);
        Ok(unique_key)
    }
}

/// A short stable hash for object unique keys.
fn md5_like(text: &str) -> u128 {
    use md5::{Digest, Md5};
    u128::from_be_bytes(Md5::digest(text.as_bytes()).into())
}

fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, k| v.get(k))
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn set_path(record: &mut Value, path: &str, value: Value) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let Some(last) = parts.pop() else { return };
    let mut at = record;
    for part in parts {
        if !at[part].is_object() {
            at[part] = json!({});
        }
        at = &mut at[part];
    }
    at[last] = value;
}

fn index_standard_keys(profile: &mut Profile) {
    let record = &profile.record;
    let mut add = |key: &str, fields: &[&str]| {
        for field in fields {
            if let Some(v) = record[*field].as_str().filter(|v| !v.is_empty()) {
                profile.keys.entry(key.to_owned()).or_default().insert(v.to_owned());
            }
        }
    };
    add("_email", EMAIL_FIELDS);
    add("_phone", PHONE_FIELDS);
    add("_account", &["AccountNumber"]);
}

/// The members of a CreateProfile / UpdateProfile request that are profile fields.
fn profile_fields(input: &Value) -> Map<String, Value> {
    input
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !matches!(k.as_str(), "DomainName" | "ProfileId"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

// --- segments ----------------------------------------------------------------------------------------

fn combine(mode: &str, mut results: impl Iterator<Item = bool>) -> bool {
    match mode {
        "ANY" => results.any(|r| r),
        "NONE" => !results.any(|r| r),
        _ => results.all(|r| r),
    }
}

fn values(dimension: &Value) -> Vec<String> {
    dimension["Values"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

/// One criterion on one profile value (absent: `None`).
fn matches(operator: &str, have: Option<&str>, want: &[String]) -> bool {
    let Some(have) = have else { return operator == "EXCLUSIVE" };
    let number = |s: &str| s.trim().parse::<f64>().ok();
    let date = |s: &str| s.get(..10).and_then(|d| d.parse::<jiff::civil::Date>().ok());
    let list = || -> Vec<String> {
        serde_json::from_str::<Vec<Value>>(have)
            .map(|items| items.iter().filter_map(scalar).collect())
            .unwrap_or_else(|_| have.split(',').map(|s| s.trim().to_owned()).collect())
    };
    match operator {
        "INCLUSIVE" => want.iter().any(|w| w == have),
        "EXCLUSIVE" => !want.iter().any(|w| w == have),
        "CONTAINS" => want.iter().any(|w| have.contains(w.as_str())),
        "BEGINS_WITH" => want.iter().any(|w| have.starts_with(w.as_str())),
        "ENDS_WITH" => want.iter().any(|w| have.ends_with(w.as_str())),
        "LIST_CONTAINS" => list().iter().any(|item| want.contains(item)),
        "LIST_CONTAINS_ALL" => {
            let items = list();
            want.iter().all(|w| items.contains(w))
        }
        "BEFORE" | "AFTER" | "ON" | "BETWEEN" | "NOT_BETWEEN" => {
            let (Some(d), Some(a)) = (date(have), want.first().and_then(|w| date(w))) else { return false };
            let b = want.get(1).and_then(|w| date(w));
            match (operator, b) {
                ("BEFORE", _) => d < a,
                ("AFTER", _) => d > a,
                ("ON", _) => d == a,
                ("BETWEEN", Some(b)) => a <= d && d <= b,
                ("NOT_BETWEEN", Some(b)) => d < a || d > b,
                _ => false,
            }
        }
        op => {
            let (Some(h), Some(w)) = (number(have), want.first().and_then(|w| number(w))) else { return false };
            match op {
                "GREATER_THAN" => h > w,
                "LESS_THAN" => h < w,
                "GREATER_THAN_OR_EQUAL" => h >= w,
                "LESS_THAN_OR_EQUAL" => h <= w,
                "EQUAL" => h == w,
                _ => false,
            }
        }
    }
}

/// Whether a profile meets one `Dimension` (profile attributes; calculated attributes are refused earlier).
fn dimension_matches(dimension: &Value, profile: &Value) -> bool {
    let attributes = &dimension["ProfileAttributes"];
    for (field, criterion) in attributes.as_object().into_iter().flatten() {
        let ok = match field.as_str() {
            "Attributes" => criterion.as_object().into_iter().flatten().all(|(name, c)| {
                matches(
                    c["DimensionType"].as_str().unwrap_or("INCLUSIVE"),
                    profile["Attributes"][name].as_str(),
                    &values(c),
                )
            }),
            "Address" | "BillingAddress" | "MailingAddress" | "ShippingAddress" => {
                criterion.as_object().into_iter().flatten().all(|(part, c)| {
                    matches(
                        c["DimensionType"].as_str().unwrap_or("INCLUSIVE"),
                        profile[field][part].as_str(),
                        &values(c),
                    )
                })
            }
            _ => matches(
                criterion["DimensionType"].as_str().unwrap_or("INCLUSIVE"),
                profile[field].as_str(),
                &values(criterion),
            ),
        };
        if !ok {
            return false;
        }
    }
    true
}

impl Domain {
    /// Whether a profile is in a `SegmentGroups` / `SegmentQuery` (source segments by definition name).
    fn in_group(&self, query: &Value, profile: &Value, depth: usize) -> Result<bool, String> {
        if depth > 10 {
            return Err("Source segments nest more than 10 deep (or refer to each other)".to_owned());
        }
        let mut results = Vec::new();
        for group in query["Groups"].as_array().into_iter().flatten() {
            let mut dims = Vec::new();
            for dimension in group["Dimensions"].as_array().into_iter().flatten() {
                if dimension.get("CalculatedAttributes").is_some() {
                    return Err("The sandbox does not evaluate calculated-attribute dimensions".to_owned());
                }
                dims.push(dimension_matches(dimension, profile));
            }
            let mut sources = Vec::new();
            for source in group["SourceSegments"].as_array().into_iter().flatten() {
                let name = source["SegmentDefinitionName"].as_str().unwrap_or_default();
                let definition =
                    self.segments.get(name).ok_or_else(|| format!("Segment definition {name} not found"))?;
                sources.push(self.in_group(&definition["SegmentGroups"], profile, depth + 1)?);
            }
            let d = dims.is_empty() || combine(group["Type"].as_str().unwrap_or("ALL"), dims.into_iter());
            let s = sources.is_empty() || combine(group["SourceType"].as_str().unwrap_or("ANY"), sources.into_iter());
            results.push(d && s);
        }
        Ok(results.is_empty() || combine(query["Include"].as_str().unwrap_or("ALL"), results.into_iter()))
    }

    fn count(&self, query: &Value) -> Result<usize, String> {
        let mut n = 0;
        for profile in self.profiles.values() {
            if self.in_group(query, &profile.record, 0)? {
                n += 1;
            }
        }
        Ok(n)
    }
}

// --- the API -------------------------------------------------------------------------------------------

/// One page of `Items` (`MaxResults` / `NextToken`).
fn list(items: Vec<Value>, input: &Value, default_size: usize) -> Result<Value, ServiceError> {
    page(items, input["MaxResults"].as_u64(), default_size, input["NextToken"].as_str(), "Items", "NextToken", || {
        bad("Invalid NextToken")
    })
}

/// A definition kept as its request says (without `DomainName` and `Tags`), stamped, tagged under `arn`,
/// and answered with its tags: object types, calculated attributes and event triggers.
fn store(input: &Value, created: f64, now: f64, arn: &str, tags: &mut super::rest::Tags) -> (Value, Value) {
    let mut record: Map<String, Value> = input
        .as_object()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| !matches!(k.as_str(), "DomainName" | "Tags"))
        .collect();
    record.insert("CreatedAt".into(), json!(created));
    record.insert("LastUpdatedAt".into(), json!(now));
    let stored = Value::Object(record.clone());
    tags.set(arn, input.get("Tags"));
    record.insert("Tags".into(), tags.get(arn));
    (stored, Value::Object(record))
}

fn handle(world: &mut World, ctx: &Ctx<'_>, call: &Call) -> Result<Value, ServiceError> {
    let World { profiles, tags, connect, s3, .. } = world;
    let input = &call.input;
    if let Some(answer) = tags.handle(&call.operation, input, &|arn| not_found(format!("Resource not found: {arn}"))) {
        return answer;
    }
    let domain_name = text(input, "DomainName");
    // Flows from S3 run before anything reads the domain, so what the bucket holds is in the profiles.
    if let Ok(domain) = profiles.domain_mut(ctx, &domain_name) {
        domain.ingest_s3(s3, ctx);
        domain.expire(ctx.now);
    }
    match call.operation.as_str() {
        "CreateDomain" => {
            let here = profiles.domains.keys().filter(|(a, r, _)| a == ctx.account_id && r == ctx.region).count();
            let key = (ctx.account_id.to_owned(), ctx.region.to_owned(), domain_name.clone());
            if profiles.domains.contains_key(&key) {
                return Err(bad(format!("Domain {domain_name} already exists")));
            }
            if here >= DOMAINS_PER_REGION {
                return Err(bad(format!(
                    "The maximum number of domains ({DOMAINS_PER_REGION}) in {} has been reached",
                    ctx.region
                )));
            }
            let days = input["DefaultExpirationDays"].as_i64().unwrap_or(0);
            if !(1..=1098).contains(&days) {
                return Err(bad("DefaultExpirationDays must be between 1 and 1098"));
            }
            let mut record = json!({
                "DomainName": domain_name,
                "DefaultExpirationDays": days,
                "CreatedAt": ctx.epoch(),
                "LastUpdatedAt": ctx.epoch(),
            });
            for member in ["DefaultEncryptionKey", "DeadLetterQueueUrl", "Matching", "RuleBasedMatching", "DataStore"] {
                if let Some(value) = input.get(member) {
                    record[member] = value.clone();
                }
            }
            if record["RuleBasedMatching"].is_object() {
                record["RuleBasedMatching"]["Status"] = json!("ACTIVE");
            }
            let domain = Domain {
                account_id: ctx.account_id.to_owned(),
                region: ctx.region.to_owned(),
                record: record.clone(),
                object_types: BTreeMap::new(),
                profiles: BTreeMap::new(),
                integrations: BTreeMap::new(),
                segments: BTreeMap::new(),
                estimates: BTreeMap::new(),
                upload_jobs: BTreeMap::new(),
                ingested: BTreeMap::new(),
                ingest_log: BTreeMap::new(),
                snapshots: BTreeMap::new(),
                calculated_attributes: BTreeMap::new(),
                event_triggers: BTreeMap::new(),
                key_index: HashMap::new(),
                next_expiry: None,
            };
            let arn = domain.arn();
            profiles.domains.insert(key, domain);
            tags.set(&arn, input.get("Tags"));
            record["Tags"] = tags.get(&arn);
            Ok(record)
        }
        "GetDomain" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            domain.expire(ctx.now);
            let mut record = domain.record.clone();
            let objects: usize = domain.profiles.values().map(|p| p.objects.len()).sum();
            record["Stats"] = json!({
                "ProfileCount": domain.profiles.len(),
                "MeteringProfileCount": domain.profiles.values().map(|p| if p.objects.len() > 100 { 2 } else { 1 }).sum::<usize>(),
                "ObjectCount": objects,
                "TotalSize": domain.profiles.values().flat_map(|p| p.objects.values()).map(|o| o.object.len()).sum::<usize>(),
            });
            record["Tags"] = tags.get(&domain.arn());
            Ok(record)
        }
        "UpdateDomain" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            for member in [
                "DefaultExpirationDays",
                "DefaultEncryptionKey",
                "DeadLetterQueueUrl",
                "Matching",
                "RuleBasedMatching",
                "DataStore",
            ] {
                if let Some(value) = input.get(member) {
                    domain.record[member] = value.clone();
                }
            }
            domain.record["LastUpdatedAt"] = json!(ctx.epoch());
            let arn = domain.arn();
            tags.set(&arn, input.get("Tags"));
            let mut record = domain.record.clone();
            record["Tags"] = tags.get(&arn);
            Ok(record)
        }
        "ListDomains" => {
            let items = profiles
                .domains
                .values()
                .filter(|d| d.account_id == ctx.account_id && d.region == ctx.region)
                .map(|d| {
                    json!({ "DomainName": d.record["DomainName"], "CreatedAt": d.record["CreatedAt"],
                            "LastUpdatedAt": d.record["LastUpdatedAt"], "Tags": tags.get(&d.arn()) })
                })
                .collect();
            list(items, input, 100)
        }
        "DeleteDomain" => {
            let arn = profiles.domain_mut(ctx, &domain_name)?.arn();
            profiles.domains.remove(&(ctx.account_id.to_owned(), ctx.region.to_owned(), domain_name.clone()));
            tags.forget(&arn);
            Ok(json!({ "Message": format!("Domain {domain_name} was deleted") }))
        }
        "PutProfileObjectType" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "ObjectTypeName");
            if !domain.object_types.contains_key(&name) && domain.object_types.len() >= OBJECT_TYPES_PER_DOMAIN {
                return Err(bad(format!("A domain has at most {OBJECT_TYPES_PER_DOMAIN} object types")));
            }
            let fields = input["Fields"].as_object().cloned().unwrap_or_default();
            for (key, specs) in input["Keys"].as_object().into_iter().flatten() {
                if specs.as_array().is_none_or(|s| s.is_empty()) {
                    return Err(bad(format!("Key {key} needs at least one definition")));
                }
                for spec in specs.as_array().into_iter().flatten() {
                    for field in spec["FieldNames"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                        if !fields.contains_key(field) {
                            return Err(bad(format!("Key {key} names the field {field}, which is not in Fields")));
                        }
                    }
                }
            }
            for (field, spec) in &fields {
                let target = spec["Target"].as_str().unwrap_or_default();
                if !target.is_empty() && !target.starts_with("_profile.") && !target.starts_with(&format!("{name}.")) {
                    return Err(bad(format!("Field {field}: Target must start with _profile. or {name}.")));
                }
            }
            let created = domain.object_types.get(&name).and_then(|t| t["CreatedAt"].as_f64()).unwrap_or(ctx.epoch());
            let arn = format!("{}/object-types/{name}", domain.arn());
            let (stored, answer) = store(input, created, ctx.epoch(), &arn, tags);
            domain.object_types.insert(name, stored);
            Ok(answer)
        }
        "GetProfileObjectType" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "ObjectTypeName");
            let mut record = domain
                .object_types
                .get(&name)
                .cloned()
                .ok_or_else(|| not_found(format!("Object type {name} not found")))?;
            record["Tags"] = tags.get(&format!("{}/object-types/{name}", domain.arn()));
            Ok(record)
        }
        "ListProfileObjectTypes" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let items = domain
                .object_types
                .values()
                .map(|t| {
                    json!({ "ObjectTypeName": t["ObjectTypeName"], "Description": t["Description"],
                                 "CreatedAt": t["CreatedAt"], "LastUpdatedAt": t["LastUpdatedAt"] })
                })
                .collect();
            list(items, input, 100)
        }
        "DeleteProfileObjectType" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "ObjectTypeName");
            domain.object_types.remove(&name).ok_or_else(|| not_found(format!("Object type {name} not found")))?;
            for profile in domain.profiles.values_mut() {
                profile.objects.retain(|_, o| o.object_type != name);
            }
            Ok(json!({ "Message": format!("Object type {name} was deleted") }))
        }
        "PutProfileObject" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let type_name = text(input, "ObjectTypeName");
            if !domain.object_types.contains_key(&type_name) {
                return Err(not_found(format!("Object type {type_name} not found")));
            }
            let key = domain.put_object(&type_name, &text(input, "Object"), ctx.now).map_err(bad)?;
            Ok(json!({ "ProfileObjectUniqueKey": key }))
        }
        "BatchPutProfileObject" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let type_name = text(input, "ObjectTypeName");
            if !domain.object_types.contains_key(&type_name) {
                return Err(not_found(format!("Object type {type_name} not found")));
            }
            let items = input["Items"].as_array().cloned().unwrap_or_default();
            if items.is_empty() || items.len() > BATCH_ITEMS {
                return Err(bad(format!("Items must hold between 1 and {BATCH_ITEMS} objects, not {}", items.len())));
            }
            let (mut successful, mut failed) = (Vec::new(), Vec::new());
            for item in items {
                let id = text(&item, "Id");
                match domain.put_object(&type_name, &text(&item, "Object"), ctx.now) {
                    Ok(key) => successful.push(json!({ "Id": id, "ProfileObjectUniqueKey": key })),
                    Err(message) => failed.push(json!({ "Id": id, "Code": 400, "Message": message })),
                }
            }
            Ok(json!({ "Successful": successful, "Failed": failed }))
        }
        "ListProfileObjects" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            domain.expire(ctx.now);
            let profile_id = text(input, "ProfileId");
            let type_name = text(input, "ObjectTypeName");
            let profile =
                domain.profiles.get(&profile_id).ok_or_else(|| not_found(format!("Profile {profile_id} not found")))?;
            let items = profile
                .objects
                .iter()
                .filter(|(_, o)| o.object_type == type_name)
                .map(|(k, o)| json!({ "ObjectTypeName": o.object_type, "ProfileObjectUniqueKey": k, "Object": o.object }))
                .collect();
            list(items, input, 20)
        }
        "CreateProfile" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let id = domain.new_profile();
            if let Some(profile) = domain.profiles.get_mut(&id) {
                for (k, v) in profile_fields(input) {
                    profile.record[k] = v;
                }
                index_standard_keys(profile);
            }
            domain.reindex(&id);
            Ok(json!({ "ProfileId": id }))
        }
        "UpdateProfile" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let id = text(input, "ProfileId");
            let profile = domain.profiles.get_mut(&id).ok_or_else(|| not_found(format!("Profile {id} not found")))?;
            for (k, v) in profile_fields(input) {
                match (k.as_str(), v) {
                    // An empty string clears a field, as the API documents.
                    (_, Value::String(s)) if s.is_empty() => {
                        if let Some(object) = profile.record.as_object_mut() {
                            object.remove(&k);
                        }
                    }
                    (
                        "Attributes" | "Address" | "ShippingAddress" | "MailingAddress" | "BillingAddress",
                        Value::Object(map),
                    ) => {
                        for (ak, av) in map {
                            if av.as_str() == Some("") {
                                if let Some(object) = profile.record[&k].as_object_mut() {
                                    object.remove(&ak);
                                }
                            } else {
                                set_path(&mut profile.record, &format!("{k}.{ak}"), av);
                            }
                        }
                    }
                    (_, v) => profile.record[k] = v,
                }
            }
            profile.keys.retain(|k, _| !matches!(k.as_str(), "_email" | "_phone" | "_account"));
            index_standard_keys(profile);
            domain.reindex(&id);
            Ok(json!({ "ProfileId": id }))
        }
        "DeleteProfile" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let id = text(input, "ProfileId");
            domain.profiles.remove(&id).ok_or_else(|| not_found(format!("Profile {id} not found")))?;
            Ok(json!({ "Message": format!("Profile {id} was deleted") }))
        }
        "SearchProfiles" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let mut criteria = vec![(text(input, "KeyName"), values(input))];
            for extra in input["AdditionalSearchKeys"].as_array().into_iter().flatten() {
                criteria.push((text(extra, "KeyName"), values(extra)));
            }
            let known: BTreeSet<String> = domain
                .object_types
                .values()
                .flat_map(|t| t["Keys"].as_object().into_iter().flatten().map(|(k, _)| k.clone()))
                .chain(["_email", "_phone", "_account", "_profileId", "_fullName"].map(str::to_owned))
                .collect();
            if let Some((unknown, _)) = criteria.iter().find(|(k, _)| !known.contains(k)) {
                return Err(bad(format!("The search key {unknown} is not defined in this domain")));
            }
            let or = input["LogicalOperator"].as_str() == Some("OR");
            let items = domain
                .profiles
                .values()
                .filter(|p| {
                    let mut hits = criteria.iter().map(|(k, want)| {
                        if k == "_fullName" {
                            let full = format!(
                                "{} {}",
                                p.record["FirstName"].as_str().unwrap_or_default(),
                                p.record["LastName"].as_str().unwrap_or_default()
                            );
                            want.iter().any(|w| w == full.trim())
                        } else {
                            p.keys.get(k).is_some_and(|have| want.iter().any(|w| have.contains(w)))
                        }
                    });
                    if or { hits.any(|h| h) } else { hits.all(|h| h) }
                })
                .map(|p| p.record.clone())
                .collect();
            list(items, input, 20)
        }
        "PutIntegration" => {
            let uri = text(input, "Uri");
            if uri.starts_with("arn:aws:connect:") {
                if !connect.has_active_instance(ctx, &uri) {
                    return Err(bad(format!(
                        "{uri} is not an active Connect instance in {} of this account",
                        ctx.region
                    )));
                }
            } else if let Some(rest) = uri.strip_prefix("s3://") {
                let bucket = rest.split('/').next().unwrap_or_default();
                if !s3.buckets.contains_key(bucket) {
                    return Err(bad(format!("The bucket {bucket} does not exist")));
                }
            } else if input.get("FlowDefinition").is_none() {
                return Err(bad("Uri must be a Connect instance ARN or an s3:// location (or give a FlowDefinition)"));
            }
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            for name in input["ObjectTypeName"]
                .as_str()
                .into_iter()
                .chain(input["ObjectTypeNames"].as_object().into_iter().flatten().filter_map(|(_, v)| v.as_str()))
            {
                if !domain.object_types.contains_key(name) && !name.starts_with("CTR") {
                    return Err(bad(format!("Object type {name} not found in {domain_name}")));
                }
            }
            let created = domain.integrations.get(&uri).and_then(|i| i["CreatedAt"].as_f64()).unwrap_or(ctx.epoch());
            let mut record = json!({
                "DomainName": domain_name, "Uri": uri, "CreatedAt": created, "LastUpdatedAt": ctx.epoch(),
            });
            for member in ["ObjectTypeName", "ObjectTypeNames", "RoleArn", "EventTriggerNames", "Scope"] {
                if let Some(value) = input.get(member) {
                    record[member] = value.clone();
                }
            }
            domain.integrations.insert(uri.clone(), record.clone());
            let arn = format!("{}/integrations/{}", domain.arn(), uri.replace('/', "_"));
            tags.set(&arn, input.get("Tags"));
            record["Tags"] = tags.get(&arn);
            Ok(record)
        }
        "GetIntegration" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let uri = text(input, "Uri");
            domain.integrations.get(&uri).cloned().ok_or_else(|| not_found(format!("Integration {uri} not found")))
        }
        "ListIntegrations" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let items = domain.integrations.values().cloned().collect();
            list(items, input, 100)
        }
        "DeleteIntegration" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let uri = text(input, "Uri");
            domain.integrations.remove(&uri).ok_or_else(|| not_found(format!("Integration {uri} not found")))?;
            Ok(json!({ "Message": format!("Integration {uri} was deleted") }))
        }
        "CreateSegmentDefinition" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "SegmentDefinitionName");
            let groups = input.get("SegmentGroups");
            if groups.is_none() && input.get("SegmentSqlQuery").is_none() {
                return Err(bad("Give SegmentGroups or SegmentSqlQuery"));
            }
            if let Some(groups) = groups {
                // Every source segment must exist (and the definition must evaluate).
                domain.in_group(groups, &json!({}), 0).map_err(bad)?;
            }
            let arn = format!("{}/segment-definitions/{name}", domain.arn());
            if let Some(existing) = domain.segments.get(&name) {
                // Creating the same definition again is idempotent; a different one is refused.
                if existing["SegmentGroups"] == input["SegmentGroups"]
                    && existing["SegmentSqlQuery"] == input["SegmentSqlQuery"]
                {
                    return Ok(json!({ "SegmentDefinitionName": name, "DisplayName": existing["DisplayName"],
                        "CreatedAt": existing["CreatedAt"], "SegmentDefinitionArn": arn, "Tags": tags.get(&arn) }));
                }
                return Err(bad(format!("Segment definition {name} already exists with a different definition")));
            }
            let mut record = json!({
                "SegmentDefinitionName": name, "SegmentDefinitionArn": arn, "DisplayName": input["DisplayName"],
                "CreatedAt": ctx.epoch(),
                "SegmentType": if input.get("SegmentSqlQuery").is_some() { "ENHANCED" } else { "CLASSIC" },
            });
            for member in ["Description", "SegmentGroups", "SegmentSqlQuery", "SegmentSort"] {
                if let Some(value) = input.get(member) {
                    record[member] = value.clone();
                }
            }
            domain.segments.insert(name.clone(), record.clone());
            tags.set(&arn, input.get("Tags"));
            let mut out = json!({ "SegmentDefinitionName": name, "DisplayName": record["DisplayName"],
                "CreatedAt": record["CreatedAt"], "SegmentDefinitionArn": arn, "Tags": tags.get(&arn) });
            if let Some(description) = record.get("Description") {
                out["Description"] = description.clone();
            }
            Ok(out)
        }
        "GetSegmentDefinition" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "SegmentDefinitionName");
            let mut record = domain
                .segments
                .get(&name)
                .cloned()
                .ok_or_else(|| not_found(format!("Segment definition {name} not found")))?;
            record["Tags"] = tags.get(record["SegmentDefinitionArn"].as_str().unwrap_or_default());
            Ok(record)
        }
        "ListSegmentDefinitions" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let items = domain
                .segments
                .values()
                .map(|s| {
                    let mut summary = json!({ "SegmentDefinitionName": s["SegmentDefinitionName"], "DisplayName": s["DisplayName"],
                        "SegmentDefinitionArn": s["SegmentDefinitionArn"], "CreatedAt": s["CreatedAt"], "SegmentType": s["SegmentType"],
                        "Tags": tags.get(s["SegmentDefinitionArn"].as_str().unwrap_or_default()) });
                    if let Some(d) = s.get("Description") {
                        summary["Description"] = d.clone();
                    }
                    summary
                })
                .collect();
            list(items, input, 100)
        }
        "DeleteSegmentDefinition" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "SegmentDefinitionName");
            let removed = domain
                .segments
                .remove(&name)
                .ok_or_else(|| not_found(format!("Segment definition {name} not found")))?;
            tags.forget(removed["SegmentDefinitionArn"].as_str().unwrap_or_default());
            Ok(json!({ "Message": format!("Segment definition {name} was deleted") }))
        }
        "CreateSegmentEstimate" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            domain.expire(ctx.now);
            let estimate = match (input.get("SegmentQuery"), input.get("SegmentSqlQuery")) {
                (Some(query), _) => match domain.count(query) {
                    Ok(count) => Estimate { count, reads: 0, failure: None },
                    Err(message) => return Err(bad(message)),
                },
                (None, Some(_)) => Estimate {
                    count: 0,
                    reads: 0,
                    failure: Some("The sandbox does not evaluate SegmentSqlQuery".to_owned()),
                },
                (None, None) => return Err(bad("Give SegmentQuery or SegmentSqlQuery")),
            };
            let id = hex_id();
            domain.estimates.insert(id.clone(), estimate);
            Ok(json!({ "DomainName": domain_name, "EstimateId": id, "StatusCode": 201 }))
        }
        "GetSegmentEstimate" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let id = text(input, "EstimateId");
            let estimate =
                domain.estimates.get_mut(&id).ok_or_else(|| not_found(format!("Estimate {id} not found")))?;
            estimate.reads += 1;
            let mut out = json!({ "DomainName": domain_name, "EstimateId": id });
            if estimate.reads == 1 {
                out["Status"] = json!("RUNNING");
                out["StatusCode"] = json!(202);
            } else if let Some(failure) = &estimate.failure {
                out["Status"] = json!("FAILED");
                out["StatusCode"] = json!(400);
                out["Message"] = json!(failure);
            } else {
                out["Status"] = json!("SUCCEEDED");
                out["StatusCode"] = json!(200);
                out["Estimate"] = json!(estimate.count.to_string());
            }
            Ok(out)
        }
        "CreateUploadJob" => profiles.domain_mut(ctx, &domain_name)?.create_upload_job(ctx, input),
        "GetUploadJobPath" => profiles.domain_mut(ctx, &domain_name)?.upload_path(ctx, &text(input, "JobId")),
        "StartUploadJob" => {
            profiles.domain_mut(ctx, &domain_name)?.start_upload(ctx, &text(input, "JobId")).map(|()| json!({}))
        }
        "GetUploadJob" => profiles.domain_mut(ctx, &domain_name)?.upload_job(&text(input, "JobId")),
        "StopUploadJob" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let id = text(input, "JobId");
            let job = domain.upload_jobs.get_mut(&id).ok_or_else(|| not_found(format!("Upload job {id} not found")))?;
            if job.record["Status"] == "CREATED" {
                job.record["Status"] = json!("STOPPED");
            }
            Ok(json!({}))
        }
        "ListUploadJobs" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let ids: Vec<String> = domain.upload_jobs.keys().cloned().collect();
            let mut items = Vec::new();
            for id in ids {
                let mut job = domain.upload_job(&id)?;
                if let Some(object) = job.as_object_mut() {
                    for member in ["Fields", "UniqueKey", "ResultsSummary"] {
                        object.remove(member);
                    }
                }
                items.push(job);
            }
            list(items, input, 20)
        }
        "CreateSegmentSnapshot" => profiles.domain_mut(ctx, &domain_name)?.snapshot(s3, input),
        "GetSegmentSnapshot" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let key = (text(input, "SegmentDefinitionName"), text(input, "SnapshotId"));
            domain.snapshots.get(&key).cloned().ok_or_else(|| not_found(format!("Snapshot {} not found", key.1)))
        }
        "GetSegmentMembership" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "SegmentDefinitionName");
            let definition = domain
                .segments
                .get(&name)
                .cloned()
                .ok_or_else(|| not_found(format!("Segment definition {name} not found")))?;
            let (mut found, mut failures) = (Vec::new(), Vec::new());
            for id in values(&json!({ "Values": input["ProfileIds"] })) {
                match domain.profiles.get(&id) {
                    Some(p) => {
                        let present = domain.in_group(&definition["SegmentGroups"], &p.record, 0).map_err(bad)?;
                        found.push(json!({ "ProfileId": id, "QueryResult": if present { "PRESENT" } else { "ABSENT" }, "Profile": p.record }));
                    }
                    None => failures.push(json!({ "ProfileId": id, "Message": "Profile not found", "Status": 404 })),
                }
            }
            Ok(
                json!({ "SegmentDefinitionName": name, "Profiles": found, "Failures": failures, "LastComputedAt": ctx.epoch() }),
            )
        }
        "CreateCalculatedAttributeDefinition" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "CalculatedAttributeName");
            if domain.calculated_attributes.contains_key(&name) {
                return Err(bad(format!("Calculated attribute definition {name} already exists")));
            }
            let mut with_status = input.clone();
            with_status["Status"] = json!("COMPLETED");
            let arn = format!("{}/calculated-attributes/{name}", domain.arn());
            let (stored, answer) = store(&with_status, ctx.epoch(), ctx.epoch(), &arn, tags);
            domain.calculated_attributes.insert(name, stored);
            Ok(answer)
        }
        "GetCalculatedAttributeDefinition" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "CalculatedAttributeName");
            let mut record = domain
                .calculated_attributes
                .get(&name)
                .cloned()
                .ok_or_else(|| not_found(format!("Calculated attribute definition {name} not found")))?;
            record["Tags"] = tags.get(&format!("{}/calculated-attributes/{name}", domain.arn()));
            Ok(record)
        }
        "ListCalculatedAttributeDefinitions" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let items = domain
                .calculated_attributes
                .values()
                .map(|c| {
                    let mut summary = json!({});
                    for member in [
                        "CalculatedAttributeName",
                        "DisplayName",
                        "Description",
                        "CreatedAt",
                        "LastUpdatedAt",
                        "Status",
                        "UseHistoricalData",
                    ] {
                        if let Some(v) = c.get(member) {
                            summary[member] = v.clone();
                        }
                    }
                    summary
                })
                .collect();
            list(items, input, 100)
        }
        "CreateEventTrigger" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "EventTriggerName");
            let object_type = text(input, "ObjectTypeName");
            if !domain.object_types.contains_key(&object_type) {
                return Err(bad(format!("Object type {object_type} not found in {domain_name}")));
            }
            if let Some(segment) = input["SegmentFilter"].as_str()
                && !domain.segments.contains_key(segment)
            {
                return Err(bad(format!("Segment definition {segment} not found in {domain_name}")));
            }
            if domain.event_triggers.contains_key(&name) {
                return Err(bad(format!("Event trigger {name} already exists")));
            }
            let arn = format!("{}/event-triggers/{name}", domain.arn());
            let (stored, answer) = store(input, ctx.epoch(), ctx.epoch(), &arn, tags);
            domain.event_triggers.insert(name, stored);
            Ok(answer)
        }
        "GetEventTrigger" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "EventTriggerName");
            let mut record = domain
                .event_triggers
                .get(&name)
                .cloned()
                .ok_or_else(|| not_found(format!("Event trigger {name} not found")))?;
            record["Tags"] = tags.get(&format!("{}/event-triggers/{name}", domain.arn()));
            Ok(record)
        }
        "ListEventTriggers" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let items = domain
                .event_triggers
                .values()
                .map(|t| {
                    let mut summary = json!({});
                    for member in ["EventTriggerName", "ObjectTypeName", "Description", "CreatedAt", "LastUpdatedAt"] {
                        if let Some(v) = t.get(member) {
                            summary[member] = v.clone();
                        }
                    }
                    summary
                })
                .collect();
            list(items, input, 10)
        }
        "DeleteEventTrigger" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "EventTriggerName");
            domain.event_triggers.remove(&name).ok_or_else(|| not_found(format!("Event trigger {name} not found")))?;
            Ok(json!({ "Message": format!("Event trigger {name} was deleted") }))
        }
        "DeleteCalculatedAttributeDefinition" => {
            let domain = profiles.domain_mut(ctx, &domain_name)?;
            let name = text(input, "CalculatedAttributeName");
            domain
                .calculated_attributes
                .remove(&name)
                .ok_or_else(|| not_found(format!("Calculated attribute definition {name} not found")))?;
            Ok(json!({}))
        }
        other => Err(error(
            501,
            "NotImplementedException",
            format!("the Pinshift sandbox does not implement Customer Profiles {other} yet"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn criteria_follow_the_dimension_types() {
        let w = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(matches("INCLUSIVE", Some("gold"), &w(&["gold", "silver"])));
        assert!(matches("EXCLUSIVE", None, &w(&["gold"])));
        assert!(!matches("INCLUSIVE", None, &w(&["gold"])));
        assert!(matches("GREATER_THAN", Some("10"), &w(&["9.5"])));
        assert!(matches("BETWEEN", Some("2026-05-01"), &w(&["2026-01-01", "2026-12-31"])));
        assert!(matches("LIST_CONTAINS", Some("[\"a\",\"b\"]"), &w(&["b"])));
        assert!(!matches("LIST_CONTAINS_ALL", Some("a,b"), &w(&["a", "c"])));
    }
}
