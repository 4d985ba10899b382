//! The plan: the target graph of a signed-off blueprint version minus what the target account holds now.
//! Each resource of the chosen clients is read through the [`TargetPort`] and classified — create, adopt
//! (exists and matches), differs (exists otherwise: a decision, never overwritten), done (this engagement
//! created it before), gate (a person acts first), blocked (what it needs cannot be had yet) or not
//! automated (this build has no writer for its kind yet).

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::blueprint::graph::{TargetGraph, TargetResource};
use crate::target::{PLACEHOLDER_PREFIX, TargetKind, TargetService, parse_placeholder};
use crate::{Error, Result};

/// The tag naming the engagement on everything a run creates or adopts.
pub const ENGAGEMENT_TAG: &str = "pinshift:engagement";
/// The tag naming the run that created a resource.
pub const RUN_TAG: &str = "pinshift:run";

/// What the target holds for one resource.
#[derive(Debug, Clone, PartialEq)]
pub enum Observed {
    Absent,
    Present(Found),
}

/// A resource found in the target account.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    pub arn: Option<String>,
    /// Ids AWS gave it (`PoolId`, `Id`, `knowledgeBaseId` …): what `…Id` members of later requests take.
    pub identifiers: Map<String, Value>,
    pub tags: BTreeMap<String, String>,
    /// The request's members as the target reports them back (only those it can read), for comparison.
    pub settings: Value,
    /// Set while AWS is still bringing it up (a Connect instance `CREATION_IN_PROGRESS`, an onboarding
    /// job, a domain waiting for its DNS records): it exists, but what needs it waits (a later pass
    /// continues).
    pub pending: Option<String>,
    /// The DNS records a person publishes for it to stop pending (a new SES domain identity's DKIM).
    pub records: Vec<DnsRecord>,
}

/// What a create answered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Created {
    pub arn: Option<String>,
    pub identifiers: Map<String, Value>,
    pub request_id: Option<String>,
    /// As [`Found::pending`]: created, but AWS had not finished bringing it up when the writer stopped
    /// waiting.
    pub pending: Option<String>,
    /// As [`Found::records`].
    pub records: Vec<DnsRecord>,
}

/// A DNS record a person publishes so AWS can verify a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DnsRecord {
    pub name: String,
    /// `CNAME`, `MX` or `TXT`.
    #[serde(rename = "type")]
    pub record_type: String,
    pub value: String,
}

/// What a step waits for that AWS or someone outside does — a domain's DNS verification, a carrier's
/// review of a number's registration, an instance AWS is still creating. Read again on every pass; no
/// person confirms it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Waiting {
    pub what: String,
    /// The DNS records to publish, when it is a domain's verification.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<DnsRecord>,
}

impl Waiting {
    pub fn of(pending: Option<&String>, records: &[DnsRecord]) -> Option<Waiting> {
        pending.map(|what| Waiting { what: what.clone(), records: records.to_vec() })
    }
}

/// The target side of a migration run: the AWS writers (pinshift-aws), one per service, over the
/// official SDK clients. Requests are the graph's bodies with placeholders resolved and the run's tags
/// added; every create is preceded by an `observe`.
pub trait TargetPort: Sync {
    /// Whether this build reads and writes `kind`.
    fn supports(&self, kind: TargetKind) -> bool;
    /// The target's state of the resource `request` describes.
    fn observe(&self, resource: &TargetResource, request: &Value) -> impl Future<Output = Result<Observed>> + Send;
    /// Creates (or sets) it; `token` is the idempotency token for services that take one.
    fn create(
        &self,
        resource: &TargetResource,
        request: &Value,
        token: &str,
    ) -> impl Future<Output = Result<Created>> + Send;
    /// Removes what a run created (rollback). `request` is the create's resolved request.
    fn delete(
        &self,
        resource: &TargetResource,
        request: &Value,
        found: &Found,
    ) -> impl Future<Output = Result<()>> + Send;
    /// What AWS or someone outside must finish before `resource` can be created, read live (a phone number
    /// whose registration is still in review): `None` when nothing. Only the literal members of the
    /// resource's spec are read (it runs before placeholders resolve).
    fn precondition(&self, resource: &TargetResource) -> impl Future<Output = Result<Option<String>>> + Send {
        let _ = resource;
        async { Ok(None) }
    }
    /// Whether the account can send through `service` (SES, SMS) in `region` to anyone, read live:
    /// `None` when this build reads nothing for the service.
    fn readiness(
        &self,
        service: TargetService,
        account_id: &str,
        region: &str,
    ) -> impl Future<Output = Result<Option<Readiness>>> + Send {
        let _ = (service, account_id, region);
        async { Ok(None) }
    }
}

/// What an account must have before its clients send for real, read live from AWS: SES production
/// access and sending quota, the SMS sandbox and monthly spend limit. Nothing Pinshift creates needs it
/// (a run goes on in a sandboxed account); a client whose account is not ready is not verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Readiness {
    pub service: TargetService,
    pub account_id: String,
    pub region: String,
    /// Sends to anyone (out of the sandbox, sending enabled).
    pub ready: bool,
    /// What was read, in plain words.
    pub detail: String,
    /// What a person does about it, when not ready.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub todo: Option<String>,
}

/// The (service, account, Region) places whose readiness matters to `resources`: where they send email
/// or SMS.
pub fn sending_places<'a>(
    resources: impl IntoIterator<Item = &'a TargetResource>,
) -> BTreeSet<(TargetService, String, String)> {
    resources
        .into_iter()
        .filter(|r| matches!(r.kind.service(), TargetService::Ses | TargetService::Sms))
        .map(|r| (r.kind.service(), r.account_id.clone(), r.region.clone()))
        .collect()
}

/// Reads the readiness of every place in `places` the port reads.
pub async fn read_readiness<P: TargetPort>(
    port: &P,
    places: &BTreeSet<(TargetService, String, String)>,
) -> Result<Vec<Readiness>> {
    let mut out = Vec::new();
    for (service, account_id, region) in places {
        if let Some(r) = port.readiness(*service, account_id, region).await? {
            out.push(r);
        }
    }
    Ok(out)
}

/// How a step stands against the target.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Absent: a run creates it.
    Create,
    /// Present and matching: used as it is, tagged, never deleted by Pinshift.
    Adopt,
    /// Present with other settings: a person decides (Pinshift never overwrites silently).
    Differs { members: Vec<String> },
    /// Created by an earlier run of this engagement.
    Done,
    /// A person must act first; the text says what.
    Gate { instructions: String },
    /// AWS or someone outside must finish something first (a number's registration in carrier review):
    /// read again on every pass, never confirmed by a person.
    Waiting { on: String },
    /// What it needs is not there yet (created by an earlier step of this run, or waiting at a gate).
    Blocked { on: String },
    /// This build has no writer for its kind yet; it is left for a person (the report lists it).
    NotAutomated,
}

/// One target resource's step.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Step {
    /// The resource id (`account/Region/kind/name`).
    pub id: String,
    pub kind: TargetKind,
    pub name: String,
    pub clients: Vec<String>,
    pub shared: bool,
    pub depends_on: Vec<String>,
    #[serde(flatten)]
    pub action: Action,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The translation losses a person accepted for it.
    #[ts(type = "number")]
    pub losses: u32,
    /// It exists, but AWS or someone outside has not finished with it (what needs it waits).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting: Option<Waiting>,
}

/// The plan of some clients.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Plan {
    pub version: u32,
    pub account_id: String,
    pub clients: Vec<String>,
    /// In dependency order.
    pub steps: Vec<Step>,
    /// Steps of these clients in other accounts (a run with a connection to each applies them), by account.
    pub elsewhere: BTreeMap<String, u32>,
    /// Whether the account can send where these clients send (SES production access, the SMS sandbox).
    pub readiness: Vec<Readiness>,
    /// How each client's audience would be loaded (`pinshift audience load`) and how long it takes at
    /// AWS's rates, when its size is known.
    pub audience: Vec<super::audience::AudienceEstimate>,
}

impl Plan {
    pub fn count(&self, matches: impl Fn(&Action) -> bool) -> usize {
        self.steps.iter().filter(|s| matches(&s.action)).count()
    }
}

/// What an applied (or found) resource answers to placeholders: its ARN and ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reference {
    pub arn: Option<String>,
    pub identifiers: Map<String, Value>,
}

impl Reference {
    pub fn of_found(found: &Found) -> Reference {
        Reference { arn: found.arn.clone(), identifiers: found.identifiers.clone() }
    }

    pub fn of_created(created: &Created) -> Reference {
        Reference { arn: created.arn.clone(), identifiers: created.identifiers.clone() }
    }

    /// The value a member named `member` takes: an id for `…Id` members, the ARN otherwise.
    fn answer(&self, member: &str) -> Option<Value> {
        let wants_id = member.ends_with("Id") || member.ends_with("id");
        if wants_id {
            let first_id = self.identifiers.values().find(|v| v.is_string()).cloned();
            self.identifiers.get(member).cloned().or(first_id).or_else(|| self.arn.clone().map(Value::String))
        } else {
            self.arn.clone().map(Value::String).or_else(|| self.identifiers.values().next().cloned())
        }
    }
}

/// The request with every placeholder replaced by what its resource answers (`Err` names the first one
/// nothing answers yet).
pub fn resolve(body: &Value, refs: &BTreeMap<(TargetKind, String), Reference>) -> Result<Value, String> {
    fn walk(value: &Value, member: &str, refs: &BTreeMap<(TargetKind, String), Reference>) -> Result<Value, String> {
        Ok(match value {
            Value::String(text) => match parse_placeholder(text) {
                Some((kind, name)) => refs
                    .get(&(kind, name.to_owned()))
                    .and_then(|r| r.answer(member))
                    .ok_or_else(|| format!("{} {name}", kind.label()))?,
                // A JSON document carried as text (a flow's `Content`): its placeholders resolved inside.
                None if text.contains(PLACEHOLDER_PREFIX) => match serde_json::from_str::<Value>(text) {
                    Ok(document) if document.is_object() || document.is_array() => {
                        Value::String(walk(&document, member, refs)?.to_string())
                    }
                    _ => value.clone(),
                },
                None => value.clone(),
            },
            Value::Array(items) => Value::Array(items.iter().map(|v| walk(v, member, refs)).collect::<Result<_, _>>()?),
            Value::Object(map) => Value::Object(
                map.iter().map(|(k, v)| Ok((k.clone(), walk(v, k, refs)?))).collect::<Result<_, String>>()?,
            ),
            other => other.clone(),
        })
    }
    walk(body, "", refs)
}

/// Request members a comparison ignores: names, tokens and tags are not settings.
const NOT_SETTINGS: &[&str] = &["Tags", "tags", "ClientToken", "clientToken"];

/// The top-level members of `request` the target reports differently.
pub fn differing_members(request: &Value, found: &Found) -> Vec<String> {
    let (Some(wanted), Some(have)) = (request.as_object(), found.settings.as_object()) else {
        return Vec::new();
    };
    wanted
        .iter()
        .filter(|(k, _)| !NOT_SETTINGS.contains(&k.as_str()))
        .filter(|(k, v)| have.get(*k).is_some_and(|h| !same(v, h)))
        .map(|(k, _)| k.clone())
        .collect()
}

/// Equal as settings: objects compared on the members the request names, lists as sets of values.
fn same(wanted: &Value, have: &Value) -> bool {
    match (wanted, have) {
        (Value::Object(w), Value::Object(h)) => w.iter().all(|(k, v)| h.get(k).is_none_or(|hv| same(v, hv))),
        (Value::Array(w), Value::Array(h)) => w.len() == h.len() && w.iter().all(|x| h.iter().any(|y| same(x, y))),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        // A JSON document carried as text (a flow's `Content`) is the same however AWS spaces it.
        (Value::String(w), Value::String(h)) if w != h => match (document(w), document(h)) {
            (Some(w), Some(h)) => w == h,
            _ => false,
        },
        _ => wanted == have,
    }
}

/// A JSON object or array written as text.
fn document(text: &str) -> Option<Value> {
    serde_json::from_str::<Value>(text).ok().filter(|v| v.is_object() || v.is_array())
}

/// The target graph a run of blueprint `version` works from: the version's graph, with a gate on what a
/// breached default quota counts (a person requests the increase first).
pub fn run_graph(
    engagement: &crate::engagement::Engagement,
    version: u32,
    now: jiff::Timestamp,
) -> Result<TargetGraph> {
    let mut graph = engagement.target_graph(Some(version), None, now)?;
    crate::blueprint::quota::gate_breaches(&mut graph);
    Ok(graph)
}

/// The resources of `account` (one connection reaches one account), and how many are in others.
pub fn in_account<'a>(
    resources: Vec<&'a TargetResource>,
    account: &str,
) -> (Vec<&'a TargetResource>, BTreeMap<String, u32>) {
    let mut elsewhere = BTreeMap::new();
    let here = resources
        .into_iter()
        .filter(|r| {
            let ours = r.account_id == account;
            if !ours {
                *elsewhere.entry(r.account_id.clone()).or_insert(0) += 1;
            }
            ours
        })
        .collect();
    (here, elsewhere)
}

/// The resources of `clients` (all of the graph's when empty), in dependency order.
pub fn scope<'a>(graph: &'a TargetGraph, clients: &[String]) -> Result<Vec<&'a TargetResource>> {
    let known: BTreeSet<&str> = graph.resources.iter().flat_map(|r| r.clients.iter().map(String::as_str)).collect();
    for c in clients {
        if !known.contains(c.as_str()) {
            return Err(Error::invalid(
                "client",
                format!(
                    "{c:?} has no target resources in this blueprint version (clients: {})",
                    known.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    Ok(graph
        .resources
        .iter()
        .filter(|r| r.kind.created_by_pinshift())
        .filter(|r| clients.is_empty() || r.clients.iter().any(|c| clients.contains(c)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::placeholder;
    use serde_json::json;

    #[test]
    fn placeholders_take_an_id_or_an_arn_by_the_member_they_fill() {
        let mut refs = BTreeMap::new();
        let mut ids = Map::new();
        ids.insert("PoolId".into(), json!("pool-1"));
        refs.insert(
            (TargetKind::SmsPool, "acme".to_owned()),
            Reference { arn: Some("arn:aws:sms-voice:us-east-1:1:pool/pool-1".into()), identifiers: ids },
        );
        let body = json!({ "PoolId": placeholder(TargetKind::SmsPool, "acme"),
                           "OriginationIdentity": placeholder(TargetKind::SmsPool, "acme"), "Name": "x" });
        let resolved = resolve(&body, &refs).expect("resolved");
        assert_eq!(resolved["PoolId"], "pool-1");
        assert_eq!(resolved["OriginationIdentity"], "arn:aws:sms-voice:us-east-1:1:pool/pool-1");
        let missing = resolve(&json!({ "TenantName": placeholder(TargetKind::SesTenant, "x") }), &refs);
        assert_eq!(missing.expect_err("unresolved"), "SES tenant x");
    }

    #[test]
    fn placeholders_inside_a_json_document_carried_as_text_are_resolved() {
        let mut refs = BTreeMap::new();
        refs.insert(
            (TargetKind::KnowledgeBase, "acme".to_owned()),
            Reference { arn: Some("arn:aws:wisdom:us-east-1:1:knowledge-base/kb-1".into()), ..Reference::default() },
        );
        let content = json!({ "Actions": [{ "Parameters": { "WisdomKnowledgeBaseArn": placeholder(TargetKind::KnowledgeBase, "acme") } }] });
        let body = json!({ "Name": "flow", "Content": content.to_string() });
        let resolved = resolve(&body, &refs).expect("resolved");
        let inner: Value = serde_json::from_str(resolved["Content"].as_str().expect("text")).expect("json");
        assert_eq!(
            inner["Actions"][0]["Parameters"]["WisdomKnowledgeBaseArn"],
            "arn:aws:wisdom:us-east-1:1:knowledge-base/kb-1"
        );
        let waiting = json!({ "Content": json!({ "Arn": placeholder(TargetKind::MessageTemplate, "t") }).to_string() });
        assert_eq!(resolve(&waiting, &refs).expect_err("unresolved"), "Q in Connect message template t");
    }

    #[test]
    fn settings_differ_only_where_the_target_reports_otherwise() {
        let found = Found {
            settings: json!({ "SendingOptions": { "SendingEnabled": false }, "ReputationOptions": { "ReputationMetricsEnabled": true } }),
            ..Found::default()
        };
        let request = json!({ "ConfigurationSetName": "acme", "SendingOptions": { "SendingEnabled": true },
                              "ReputationOptions": { "ReputationMetricsEnabled": true }, "Tags": [] });
        assert_eq!(differing_members(&request, &found), ["SendingOptions"]);
        let flow = Found { settings: json!({ "Content": "{\"Version\": \"2019-10-30\"}" }), ..Found::default() };
        assert!(differing_members(&json!({ "Content": "{\"Version\":\"2019-10-30\"}" }), &flow).is_empty());
        assert_eq!(differing_members(&json!({ "Content": "{\"Version\":\"2020\"}" }), &flow), ["Content"]);
    }
}
