//! The desired state: from a blueprint (a saved version or the current one) and its scan's records, the
//! graph of target resources each client needs — kind, name, the request body the target API takes (with
//! `pinshift:ref:` placeholders for what does not exist yet), tags, dependencies, and the source resources
//! and translation each comes from. The CloudFormation export, the quota pre-flight and the migration
//! plan read this graph; nothing else derives "what must exist".
//!
//! - [`ses`], [`sms`], [`connect`]: the nodes of one client's tenancy, per service.

mod connect;
mod ses;
mod sms;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::Blueprint;
use super::tenancy::{CampaignChannel, ClientTenancy, ConnectTopology};
use crate::assess::ResourceRef;
use crate::estate::{ResourceKind, ResourceRecord};
use crate::target::{TagShape, TargetKind, placeholder, placeholders};
use crate::translate::Loss;
use crate::translate::estate::{ClientTranslations, translate_clients};
use crate::{Error, Result};

/// The tag every resource carries with the client (or `shared`) it is for.
pub const CLIENT_TAG: &str = "pinshift:client";
/// The client tag's value on a resource several clients use.
pub const SHARED: &str = "shared";

/// The translation a resource comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TranslationOrigin {
    /// `template`, `segment`, `campaign`, `journey`.
    pub kind: String,
    /// The Pinpoint resource's id (a template's name).
    pub id: String,
    /// What did not carry over, and what to check.
    pub losses: u32,
    pub warnings: u32,
}

impl TranslationOrigin {
    fn new(kind: &str, id: &str, losses: &[Loss]) -> TranslationOrigin {
        use crate::translate::Severity;
        let n = |s| losses.iter().filter(|l| l.severity == s).count() as u32;
        TranslationOrigin {
            kind: kind.into(),
            id: id.into(),
            losses: n(Severity::Loss),
            warnings: n(Severity::Warning),
        }
    }
}

/// One resource that must exist in a target account.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TargetResource {
    /// `account/Region/kind/name`, unique in the graph.
    pub id: String,
    pub kind: TargetKind,
    pub name: String,
    pub account_id: String,
    pub region: String,
    /// The clients it is for: one, or several for a shared resource (created once).
    pub clients: Vec<String>,
    /// The request body of the kind's operation, with placeholders for resources created before it.
    #[ts(type = "unknown")]
    pub spec: Value,
    pub tags: BTreeMap<String, String>,
    /// Ids of the resources that must exist first.
    pub depends_on: Vec<String>,
    /// The Pinpoint (or End User Messaging, SES) resources it comes from.
    pub sources: Vec<ResourceRef>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation: Option<TranslationOrigin>,
    /// It exists already (the scan read it): adopted as it is, never created or deleted by Pinshift.
    pub existing: bool,
    /// What a person must do or decide before (or instead of) creating it.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<String>,
}

impl TargetResource {
    pub fn shared(&self) -> bool {
        self.clients.len() > 1
    }

    /// The request body with the resource's tags in the shape its service takes (`extra` are added,
    /// e.g. the run's own tags). Kinds whose call takes no tags get the spec unchanged.
    pub fn request(&self, extra: &BTreeMap<String, String>) -> Value {
        let mut body = self.spec.clone();
        let mut tags = self.tags.clone();
        tags.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        if let Value::Object(map) = &mut body {
            match self.kind.tag_shape() {
                TagShape::KeyValueList => {
                    map.insert("Tags".into(), tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect());
                }
                TagShape::PascalMap => {
                    map.insert("Tags".into(), json!(tags));
                }
                TagShape::CamelMap => {
                    map.insert("tags".into(), json!(tags));
                }
                TagShape::None => {}
            }
        }
        body
    }
}

/// The target resources of a whole blueprint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct TargetGraph {
    pub scan_id: String,
    /// In dependency order: every resource comes after those it depends on.
    pub resources: Vec<TargetResource>,
    /// Placeholders no resource of the graph answers (each a bug or a missing input, named).
    pub unresolved: Vec<String>,
}

impl TargetGraph {
    /// The resources a client needs: its own and the shared ones it uses.
    pub fn of_client<'a>(&'a self, client: &'a str) -> impl Iterator<Item = &'a TargetResource> + 'a {
        self.resources.iter().filter(move |r| r.clients.iter().any(|c| c == client))
    }

    pub fn get(&self, id: &str) -> Option<&TargetResource> {
        self.resources.iter().find(|r| r.id == id)
    }

    /// The resources of `kind` Pinshift creates (not those it adopts).
    pub fn created(&self, kind: TargetKind) -> impl Iterator<Item = &TargetResource> + '_ {
        self.resources.iter().filter(move |r| r.kind == kind && !r.existing)
    }
}

/// The id of a resource: `account/Region/kind/name`.
pub fn resource_id(account_id: &str, region: &str, kind: TargetKind, name: &str) -> String {
    format!("{account_id}/{region}/{}/{name}", kind.slug())
}

/// Collects the nodes of one place (account and Region) while they are built.
struct Builder<'a> {
    client: &'a str,
    tags: &'a BTreeMap<String, String>,
    nodes: &'a mut BTreeMap<String, TargetResource>,
    records: &'a Records<'a>,
}

/// One node under construction, added with [`Builder::add`].
struct Node {
    kind: TargetKind,
    name: String,
    spec: Value,
    needs: Vec<(TargetKind, String)>,
    sources: Vec<ResourceRef>,
    translation: Option<TranslationOrigin>,
    existing: bool,
    gate: Option<String>,
    /// Other clients it is for (a shared resource): tagged `shared`, created once.
    shared_with: Vec<String>,
}

impl Node {
    fn new(kind: TargetKind, name: impl Into<String>, spec: Value) -> Node {
        Node {
            kind,
            name: name.into(),
            spec,
            needs: Vec::new(),
            sources: Vec::new(),
            translation: None,
            existing: false,
            gate: None,
            shared_with: Vec::new(),
        }
    }

    fn needs(mut self, kind: TargetKind, name: impl Into<String>) -> Node {
        self.needs.push((kind, name.into()));
        self
    }

    fn from(mut self, record: Option<&ResourceRecord>) -> Node {
        self.sources.extend(record.map(ResourceRef::of));
        self
    }

    fn translated(mut self, origin: TranslationOrigin) -> Node {
        self.translation = Some(origin);
        self
    }

    fn existing(mut self, existing: bool) -> Node {
        self.existing = existing;
        self
    }

    fn gate(mut self, why: Option<String>) -> Node {
        self.gate = why;
        self
    }

    fn shared(mut self, clients: &[String]) -> Node {
        self.shared_with = clients.to_vec();
        self
    }
}

impl Builder<'_> {
    fn add(&mut self, place: (&str, &str), node: Node) -> String {
        let (account_id, region) = place;
        let id = resource_id(account_id, region, node.kind, &node.name);
        let mut clients: BTreeSet<String> = node.shared_with.iter().cloned().collect();
        clients.insert(self.client.to_owned());
        let shared = clients.len() > 1;
        let mut depends_on: Vec<String> = node
            .needs
            .iter()
            .chain(placeholders(&node.spec).iter())
            .map(|(kind, name)| resource_id(account_id, region, *kind, name))
            .filter(|d| *d != id)
            .collect();
        depends_on.sort();
        depends_on.dedup();
        match self.nodes.get_mut(&id) {
            Some(known) => {
                known.clients =
                    known.clients.iter().cloned().chain(clients).collect::<BTreeSet<_>>().into_iter().collect();
                for d in depends_on {
                    if !known.depends_on.contains(&d) {
                        known.depends_on.push(d);
                    }
                }
                for s in node.sources {
                    if !known.sources.contains(&s) {
                        known.sources.push(s);
                    }
                }
                if known.clients.len() > 1 {
                    known.tags.insert(CLIENT_TAG.into(), SHARED.into());
                }
            }
            None => {
                let mut tags = if shared { BTreeMap::new() } else { self.tags.clone() };
                tags.insert(CLIENT_TAG.into(), if shared { SHARED.into() } else { self.client.to_owned() });
                self.nodes.insert(
                    id.clone(),
                    TargetResource {
                        id: id.clone(),
                        kind: node.kind,
                        name: node.name,
                        account_id: account_id.to_owned(),
                        region: region.to_owned(),
                        clients: clients.into_iter().collect(),
                        spec: node.spec,
                        tags,
                        depends_on,
                        sources: node.sources,
                        translation: node.translation,
                        existing: node.existing,
                        gate: node.gate,
                    },
                );
            }
        }
        id
    }
}

impl Builder<'_> {
    /// Pinshift's tags on a resource it adopts (it exists already): a `TagResource` of the resource's
    /// service, so what belongs to the client is found by tag like everything Pinshift creates.
    fn tag_adopted(&mut self, place: (&str, &str), kind: TargetKind, name: &str) {
        self.add(
            place,
            Node::new(
                TargetKind::ResourceTags,
                format!("{}/{name}", kind.slug()),
                json!({ "ResourceArn": reference(kind, name) }),
            ),
        );
    }
}

/// The scan's records by account, Region and kind, and the owners of account-level ones, indexed once.
struct Records<'a> {
    by_place: BTreeMap<(&'a str, &'a str, ResourceKind), Vec<&'a ResourceRecord>>,
    /// Resource key → the clients that own it.
    owners: BTreeMap<String, &'a [String]>,
}

impl<'a> Records<'a> {
    fn new(records: &'a [ResourceRecord], blueprint: &'a Blueprint) -> Records<'a> {
        let mut by_place: BTreeMap<(&str, &str, ResourceKind), Vec<&ResourceRecord>> = BTreeMap::new();
        for r in records {
            by_place.entry((r.account_id.as_str(), r.region.as_str(), r.kind)).or_default().push(r);
        }
        let owners = blueprint.assessment.attributions.iter().map(|a| (a.key.clone(), a.clients.as_slice())).collect();
        Records { by_place, owners }
    }

    fn find(
        &self,
        (account_id, region): (&str, &str),
        kind: ResourceKind,
        matches: impl Fn(&ResourceRecord) -> bool,
    ) -> Option<&'a ResourceRecord> {
        self.by_place.get(&(account_id, region, kind))?.iter().copied().find(|r| matches(r))
    }

    /// The clients that own an account-level record (empty when nobody does).
    fn owners_of(&self, record: &ResourceRecord) -> &'a [String] {
        self.owners.get(&ResourceRef::of(record).key()).copied().unwrap_or_default()
    }
}

/// The graph of a blueprint, from its scan's records. Campaign schedules are written relative to `now`.
pub fn derive(blueprint: &Blueprint, records: &[ResourceRecord], now: jiff::Timestamp) -> Result<TargetGraph> {
    let placements = blueprint.clients.iter().map(ClientTenancy::placement).collect();
    let translations = translate_clients(&blueprint.assessment, records, placements, now);
    derive_with(blueprint, records, &translations)
}

/// The graph of a blueprint whose clients are translated already.
pub fn derive_with(
    blueprint: &Blueprint,
    records: &[ResourceRecord],
    translations: &BTreeMap<String, ClientTranslations>,
) -> Result<TargetGraph> {
    let records = Records::new(records, blueprint);
    let mut nodes = BTreeMap::new();
    // Where each client's Connect resources go: the account and Region of its first project.
    let place_of = |client: &str| {
        blueprint.assessment.client(client).and_then(|c| c.client.projects.first()).map(|p| (&p.account_id, &p.region))
    };
    // Who uses each shared instance (by account and alias), so its resources are created once for them.
    let mut sharing: BTreeMap<(&str, &str), connect::InstanceUse> = BTreeMap::new();
    for t in &blueprint.clients {
        if let (ConnectTopology::Shared, Some(alias), Some((account, _))) =
            (t.connect.topology, &t.connect.instance_alias, place_of(&t.client))
        {
            let instance = sharing.entry((account.as_str(), alias.as_str())).or_default();
            instance.clients.push(t.client.clone());
            instance.telephony |= t.connect.campaigns.iter().any(|c| c.channels.contains(&CampaignChannel::Telephony));
        }
    }
    for tenancy in &blueprint.clients {
        let empty = ClientTranslations {
            client: tenancy.client.clone(),
            templates: Vec::new(),
            segments: Vec::new(),
            campaigns: Vec::new(),
            journeys: Vec::new(),
        };
        let translated = translations.get(&tenancy.client).unwrap_or(&empty);
        let mut b = Builder { client: &tenancy.client, tags: &tenancy.tags, nodes: &mut nodes, records: &records };
        for s in &tenancy.ses {
            ses::add(&mut b, s, translated);
        }
        for s in &tenancy.sms {
            sms::add(&mut b, tenancy, s);
        }
        if let Some((account, region)) = place_of(&tenancy.client) {
            let instance_use = tenancy
                .connect
                .instance_alias
                .as_ref()
                .and_then(|alias| sharing.get(&(account.as_str(), alias.as_str())))
                .cloned()
                .unwrap_or_default();
            connect::add(&mut b, (account, region), tenancy, translated, &instance_use);
        }
    }
    order(blueprint.scan_id.clone(), nodes)
}

/// Puts the nodes in dependency order (ties by id: Kahn's algorithm over a sorted ready set) and lists
/// placeholders nothing answers.
fn order(scan_id: String, mut nodes: BTreeMap<String, TargetResource>) -> Result<TargetGraph> {
    let mut unresolved = BTreeSet::new();
    let ids: BTreeSet<String> = nodes.keys().cloned().collect();
    for node in nodes.values_mut() {
        let (known, missing): (Vec<String>, Vec<String>) = node.depends_on.drain(..).partition(|d| ids.contains(d));
        node.depends_on = known;
        for m in missing {
            unresolved.insert(format!("{m} (needed by {})", node.id));
        }
    }
    let mut waiting: BTreeMap<&str, usize> = BTreeMap::new();
    let mut dependents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for node in nodes.values() {
        waiting.insert(&node.id, node.depends_on.len());
        for d in &node.depends_on {
            dependents.entry(d.as_str()).or_default().push(&node.id);
        }
    }
    let mut ready: BTreeSet<&str> = waiting.iter().filter(|(_, n)| **n == 0).map(|(id, _)| *id).collect();
    let mut order: Vec<String> = Vec::with_capacity(nodes.len());
    while let Some(id) = ready.pop_first() {
        order.push(id.to_owned());
        for next in dependents.get(id).into_iter().flatten() {
            if let Some(n) = waiting.get_mut(next) {
                *n -= 1;
                if *n == 0 {
                    ready.insert(next);
                }
            }
        }
    }
    if order.len() < nodes.len() {
        let placed: BTreeSet<&String> = order.iter().collect();
        let stuck: Vec<&str> = nodes.keys().filter(|id| !placed.contains(id)).map(String::as_str).take(5).collect();
        return Err(Error::Internal(format!("the target graph has a dependency cycle among {}", stuck.join(", "))));
    }
    let resources = order.iter().filter_map(|id| nodes.remove(id)).collect();
    Ok(TargetGraph { scan_id, resources, unresolved: unresolved.into_iter().collect() })
}

/// A placeholder as a JSON value.
fn reference(kind: TargetKind, name: &str) -> Value {
    Value::String(placeholder(kind, name))
}

/// An object of the pairs whose value is not null.
fn object(pairs: &[(&str, Value)]) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        if !v.is_null() {
            map.insert((*k).to_owned(), v.clone());
        }
    }
    Value::Object(map)
}

impl crate::engagement::Engagement {
    /// The target graph of a saved blueprint version (or the current blueprint of `scan`, the newest
    /// finished scan by default), with campaign schedules relative to `now`.
    pub fn target_graph(&self, version: Option<u32>, scan: Option<&str>, now: jiff::Timestamp) -> Result<TargetGraph> {
        let (blueprint, records) = match version {
            Some(v) => {
                let blueprint = self.blueprint_version(v)?;
                let records = self.scan_records(&blueprint.scan_id, None)?;
                (blueprint, records)
            }
            None => self.current_blueprint(scan)?,
        };
        derive(&blueprint, &records, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(kind: TargetKind, spec: Value) -> TargetResource {
        TargetResource {
            id: resource_id("1", "us-east-1", kind, "x"),
            kind,
            name: "x".into(),
            account_id: "1".into(),
            region: "us-east-1".into(),
            clients: vec!["acme".into()],
            spec,
            tags: BTreeMap::from([(CLIENT_TAG.to_owned(), "acme".to_owned())]),
            depends_on: Vec::new(),
            sources: Vec::new(),
            translation: None,
            existing: false,
            gate: None,
        }
    }

    #[test]
    fn a_request_carries_the_tags_in_its_services_shape() {
        let run = BTreeMap::from([("pinshift:run".to_owned(), "r1".to_owned())]);
        let ses = resource(TargetKind::SesTenant, json!({ "TenantName": "acme" })).request(&run);
        assert_eq!(
            ses["Tags"],
            json!([{"Key": "pinshift:client", "Value": "acme"}, {"Key": "pinshift:run", "Value": "r1"}])
        );
        let connect = resource(TargetKind::ConnectInstance, json!({})).request(&run);
        assert_eq!(connect["Tags"]["pinshift:run"], "r1");
        let campaign = resource(TargetKind::Campaign, json!({ "name": "c" })).request(&run);
        assert_eq!(campaign["tags"]["pinshift:client"], "acme");
        let association = resource(TargetKind::SesTenantAssociation, json!({ "TenantName": "acme" })).request(&run);
        assert!(association.get("Tags").is_none(), "a call without tags gets none: {association}");
    }

    #[test]
    fn resources_come_in_dependency_order_and_a_missing_one_is_named() {
        let mut a = resource(TargetKind::SesTenant, json!({}));
        a.id = "a".into();
        let mut b = resource(TargetKind::SesTenantAssociation, json!({}));
        b.id = "b".into();
        b.depends_on = vec!["c".into(), "a".into()];
        let mut c = resource(TargetKind::SesIdentity, json!({}));
        c.id = "c".into();
        c.depends_on = vec!["nowhere".into()];
        let nodes = BTreeMap::from([("b".to_owned(), b), ("a".to_owned(), a), ("c".to_owned(), c)]);
        let graph = order("scan".into(), nodes).expect("ordered");
        let ids: Vec<&str> = graph.resources.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "c", "b"]);
        assert_eq!(graph.unresolved, ["nowhere (needed by c)"]);
        let mut x = resource(TargetKind::SesTenant, json!({}));
        x.id = "x".into();
        x.depends_on = vec!["y".into()];
        let mut y = resource(TargetKind::SesTenant, json!({}));
        y.id = "y".into();
        y.depends_on = vec!["x".into()];
        let cycle = order("scan".into(), BTreeMap::from([("x".to_owned(), x), ("y".to_owned(), y)]));
        assert!(cycle.expect_err("a cycle").to_string().contains("cycle"));
    }
}
