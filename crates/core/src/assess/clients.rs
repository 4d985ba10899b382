//! Clients and attribution. By default one Pinpoint project is one client; the user may rename clients
//! and merge projects (also across Regions and accounts) into one. Account-level resources (templates,
//! recommenders, numbers, sender IDs, pools, opt-out lists, SES identities, configuration sets,
//! registrations) are attributed to clients: Pinshift proposes owners from references (a campaign or
//! journey naming a template, a channel naming an identity…), tags and name prefixes, each proposal
//! with its reason and confidence; the user confirms or overrides. A resource with several owners is
//! shared, visibly.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::{ResourceRef, key};
use crate::estate::path;
use crate::estate::{ResourceKind, ResourceRecord};
use crate::{Error, Result};

/// The owner of account-level resources nobody has claimed yet.
pub const UNASSIGNED: &str = "unassigned";

/// A Pinpoint project, by where it lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct ProjectRef {
    pub account_id: String,
    pub region: String,
    pub project_id: String,
    pub name: String,
}

impl ProjectRef {
    /// `account/Region/project id`.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.account_id, self.region, self.project_id)
    }
}

/// The unit of tenancy: one or more projects, with the tags they carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Client {
    /// Stable, lowercase letters, digits and hyphens (used in target resource names and tags).
    pub id: String,
    pub name: String,
    pub projects: Vec<ProjectRef>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A campaign, journey, channel or other resource of the client names it.
    Reference,
    /// It carries one of the client's tags.
    Tag,
    /// Its name starts with the client's name.
    NamePrefix,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    High,
    Medium,
}

/// Why Pinshift thinks a client owns a resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct Proposal {
    pub client: String,
    pub basis: Basis,
    pub confidence: Confidence,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttributionStatus {
    /// Pinshift's proposal, not yet reviewed.
    Proposed,
    /// A person accepted the proposal.
    Confirmed,
    /// A person chose other owners than proposed.
    Overridden,
    /// Nothing points at an owner: a person must decide.
    Unassigned,
}

/// Who owns an account-level resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Attribution {
    /// The resource's key (`account/Region/kind/id`), what edits name it by.
    pub key: String,
    pub resource: ResourceRef,
    /// The owners in effect (empty when unassigned).
    pub clients: Vec<String>,
    pub status: AttributionStatus,
    pub proposals: Vec<Proposal>,
}

impl Attribution {
    pub fn shared(&self) -> bool {
        self.clients.len() > 1
    }
}

/// The clients a person shaped, as the assessment applies them: merges and renamed ids, display names and
/// the owners of account-level resources. The blueprint stores them with its other choices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ClientChoices {
    /// Project key (`account/Region/project id`) → client id: merges and renamed ids.
    #[serde(default)]
    pub project_clients: BTreeMap<String, String>,
    /// Client id → display name.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// Resource key → owners chosen by a person (accepting a proposal records it here too).
    #[serde(default)]
    pub owners: BTreeMap<String, OwnerChoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OwnerChoice {
    pub clients: Vec<String>,
    /// `true` when the person accepted Pinshift's proposal as it was.
    pub accepted: bool,
}

/// Checks a client id: 1–48 lowercase letters, digits and hyphens, starting with a letter or digit.
pub fn check_client_id(field: &str, id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 48
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{id:?} must be 1–48 lowercase letters, digits and hyphens (it names target resources)"),
        ))
    }
}

/// A slug for a project name: `ACME Corp` → `acme-corp`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(48).collect();
    if out.is_empty() { "client".to_owned() } else { out }
}

/// Clients and attribution resolved for one estate.
#[derive(Debug)]
pub struct Tenancy {
    pub clients: Vec<Client>,
    pub attributions: Vec<Attribution>,
    project_client: BTreeMap<String, String>,
    owners: BTreeMap<String, Vec<String>>,
}

impl Tenancy {
    /// The client of a project-level record.
    pub fn client_of_project(&self, record: &ResourceRecord) -> Option<String> {
        self.project_client.get(&record.project_key()).cloned()
    }

    /// The owners of an account-level record ([`UNASSIGNED`] when nobody owns it).
    pub fn owners(&self, record: &ResourceRecord) -> Vec<String> {
        let key = key(&record.account_id, &record.region, "", record.kind, &record.id);
        match self.owners.get(&key) {
            Some(owners) if !owners.is_empty() => owners.clone(),
            Some(_) => vec![UNASSIGNED.to_owned()],
            None => Vec::new(),
        }
    }
}

/// Kinds that live at account level and need an owner.
pub fn attributable(kind: ResourceKind) -> bool {
    matches!(
        kind,
        ResourceKind::Template
            | ResourceKind::Recommender
            | ResourceKind::EmailIdentity
            | ResourceKind::EmailConfigurationSet
            | ResourceKind::PhoneNumber
            | ResourceKind::SenderId
            | ResourceKind::Pool
            | ResourceKind::OptOutList
            | ResourceKind::SmsConfigurationSet
            | ResourceKind::Registration
    )
}

/// Builds the clients and the attribution of an estate under the user's choices.
pub fn resolve(records: &[ResourceRecord], choices: &ClientChoices) -> Result<Tenancy> {
    // Clients: one per project unless the user merged projects.
    let projects: Vec<&ResourceRecord> = records.iter().filter(|r| r.kind == ResourceKind::Project).collect();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for p in &projects {
        *ids.entry(slug(p.name.as_deref().unwrap_or(&p.id))).or_default() += 1;
    }
    let mut by_id: BTreeMap<String, Client> = BTreeMap::new();
    let mut project_client = BTreeMap::new();
    for p in &projects {
        let name = p.name.clone().unwrap_or_else(|| p.id.clone());
        let project = ProjectRef {
            account_id: p.account_id.clone(),
            region: p.region.clone(),
            project_id: p.id.clone(),
            name: name.clone(),
        };
        let default_id = {
            let base = slug(&name);
            if ids.get(&base).copied().unwrap_or(0) > 1 { slug(&format!("{base}-{}", p.region)) } else { base }
        };
        let id = choices.project_clients.get(&project.key()).cloned().unwrap_or(default_id);
        check_client_id(&format!("clients of project {}", project.key()), &id)?;
        project_client.insert(project.key(), id.clone());
        let client = by_id.entry(id.clone()).or_insert_with(|| Client {
            id: id.clone(),
            name: choices.names.get(&id).cloned().unwrap_or_else(|| name.clone()),
            projects: Vec::new(),
            tags: BTreeMap::new(),
        });
        if let Some(tags) = p.raw.get("tags").and_then(Value::as_object) {
            for (k, v) in tags {
                client.tags.entry(k.clone()).or_insert_with(|| path::text(v));
            }
        }
        client.projects.push(project);
    }
    let clients: Vec<Client> = by_id.into_values().collect();

    let proposals = propose(records, &clients, &project_client);
    let mut attributions = Vec::new();
    let mut owners = BTreeMap::new();
    for record in records.iter().filter(|r| attributable(r.kind)) {
        let resource = ResourceRef::of(record);
        let resource_key = resource.key();
        let proposed: Vec<Proposal> = proposals.get(&resource_key).cloned().unwrap_or_default();
        let best = proposed.iter().map(|p| p.confidence).min();
        let auto: Vec<String> = proposed
            .iter()
            .filter(|p| Some(p.confidence) == best)
            .map(|p| p.client.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let (clients_in_effect, status) = match choices.owners.get(&resource_key) {
            Some(choice) if choice.accepted => (choice.clients.clone(), AttributionStatus::Confirmed),
            Some(choice) => (choice.clients.clone(), AttributionStatus::Overridden),
            None if auto.is_empty() => (Vec::new(), AttributionStatus::Unassigned),
            None => (auto, AttributionStatus::Proposed),
        };
        owners.insert(resource_key, clients_in_effect.clone());
        attributions.push(Attribution {
            key: resource.key(),
            resource,
            clients: clients_in_effect,
            status,
            proposals: proposed,
        });
    }
    Ok(Tenancy { clients, attributions, project_client, owners })
}

/// Template references in a campaign or journey: (template type, name).
fn template_refs(record: &ResourceRecord) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    const PARTS: [(&str, &str); 5] = [
        ("EmailTemplate", "EMAIL"),
        ("SMSTemplate", "SMS"),
        ("PushTemplate", "PUSH"),
        ("VoiceTemplate", "VOICE"),
        ("InAppTemplate", "INAPP"),
    ];
    match record.kind {
        ResourceKind::Campaign => {
            for base in ["TemplateConfiguration", "AdditionalTreatments[].TemplateConfiguration"] {
                for (part, kind) in PARTS {
                    for (field, v) in path::find(&record.raw, &format!("{base}.{part}.Name")) {
                        out.push((kind.to_owned(), path::text(v), field));
                    }
                }
            }
        }
        ResourceKind::Journey => {
            for (activity, kind) in [("EMAIL", "EMAIL"), ("SMS", "SMS"), ("PUSH", "PUSH"), ("CUSTOM", "*")] {
                for (field, v) in path::find(&record.raw, &format!("Activities.*.{activity}.TemplateName")) {
                    out.push((kind.to_owned(), path::text(v), field));
                }
            }
        }
        _ => {}
    }
    out
}

/// What a project-level record names at account level: (kind, matcher, the field that names it).
fn references(record: &ResourceRecord) -> Vec<(ResourceKind, String, String)> {
    let mut out = Vec::new();
    let raw = &record.raw;
    let mut push = |kind, value: &Value, field: String| {
        let text = path::text(value);
        if !text.is_empty() {
            out.push((kind, text, field));
        }
    };
    match record.kind {
        ResourceKind::Channel => {
            if let Some(v) = raw.get("Identity") {
                let identity = path::text(v);
                let name = identity.rsplit('/').next().unwrap_or(&identity).to_owned();
                push(ResourceKind::EmailIdentity, &Value::String(name), "Identity".into());
            }
            if let Some(v) = raw.get("FromAddress") {
                let from = path::text(v);
                if let Some((_, domain)) = from.rsplit_once('@') {
                    push(ResourceKind::EmailIdentity, &Value::String(domain.to_owned()), "FromAddress".into());
                }
                push(ResourceKind::EmailIdentity, v, "FromAddress".into());
            }
            for (field, kind) in [
                ("ConfigurationSet", ResourceKind::EmailConfigurationSet),
                ("SenderId", ResourceKind::SenderId),
                ("ShortCode", ResourceKind::PhoneNumber),
            ] {
                if let Some(v) = raw.get(field) {
                    push(kind, v, field.to_owned());
                }
            }
        }
        ResourceKind::Campaign | ResourceKind::Journey => {
            for pattern in [
                "MessageConfiguration.SMSMessage",
                "AdditionalTreatments[].MessageConfiguration.SMSMessage",
                "Activities.*.SMS.MessageConfig",
            ] {
                for (field, v) in path::find(raw, &format!("{pattern}.OriginationNumber")) {
                    push(ResourceKind::PhoneNumber, v, field.clone());
                    push(ResourceKind::Pool, v, field);
                }
                for (field, v) in path::find(raw, &format!("{pattern}.SenderId")) {
                    push(ResourceKind::SenderId, v, field);
                }
            }
            for pattern in
                ["MessageConfiguration.EmailMessage.FromAddress", "Activities.*.EMAIL.MessageConfig.FromAddress"]
            {
                for (field, v) in path::find(raw, pattern) {
                    let from = path::text(v);
                    if let Some((_, domain)) = from.rsplit_once('@') {
                        push(ResourceKind::EmailIdentity, &Value::String(domain.to_owned()), field.clone());
                    }
                    push(ResourceKind::EmailIdentity, v, field);
                }
            }
        }
        _ => {}
    }
    out
}

/// The names an account-level resource answers to when referenced.
fn answers_to(record: &ResourceRecord) -> Vec<String> {
    let mut names = vec![record.id.clone()];
    names.extend(record.name.clone());
    for field in ["PhoneNumber", "PhoneNumberArn", "PoolArn", "SenderId", "SenderIdArn", "TemplateName"] {
        if let Some(v) = record.raw.get(field) {
            names.push(path::text(v));
        }
    }
    names
}

fn tags_of(raw: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(map) = raw.get("tags").and_then(Value::as_object) {
        out.extend(map.iter().map(|(k, v)| (k.clone(), path::text(v))));
    }
    for tag in raw.get("Tags").and_then(Value::as_array).into_iter().flatten() {
        if let (Some(k), Some(v)) = (tag.get("Key"), tag.get("Value")) {
            out.push((path::text(k), path::text(v)));
        }
    }
    out
}

/// Name prefixes a client's resources tend to start with: its id, its project names, and their first
/// word when it is at least three characters long.
fn prefixes(client: &Client) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    out.insert(client.id.clone());
    for p in &client.projects {
        let name = slug(&p.name);
        if let Some(first) = name.split('-').next().filter(|w| w.len() >= 3) {
            out.insert(first.to_owned());
        }
        out.insert(name);
    }
    out
}

fn starts_with_word(name: &str, prefix: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '_', '.', ' ', '/']))
}

/// Proposals per resource key.
fn propose(
    records: &[ResourceRecord],
    clients: &[Client],
    project_client: &BTreeMap<String, String>,
) -> BTreeMap<String, Vec<Proposal>> {
    let mut out: BTreeMap<String, BTreeSet<Proposal>> = BTreeMap::new();
    let account_level: Vec<&ResourceRecord> = records.iter().filter(|r| attributable(r.kind)).collect();
    let mut propose = |record: &ResourceRecord, client: &str, basis: Basis, confidence: Confidence, reason: String| {
        let key = key(&record.account_id, &record.region, "", record.kind, &record.id);
        out.entry(key).or_default().insert(Proposal { client: client.to_owned(), basis, confidence, reason });
    };
    let client_of = |r: &ResourceRecord| project_client.get(&r.project_key());
    let same_place = |a: &ResourceRecord, b: &ResourceRecord| a.account_id == b.account_id && a.region == b.region;

    // 1. Direct references from the client's projects.
    for record in records.iter().filter(|r| !r.project_id.is_empty()) {
        let Some(client) = client_of(record) else { continue };
        let what =
            format!("{} {:?}", record.kind.as_str().replace('_', " "), record.name.as_deref().unwrap_or(&record.id));
        for (kind, name, field) in template_refs(record) {
            for t in account_level.iter().filter(|t| t.kind == ResourceKind::Template && same_place(t, record)) {
                let t_type = path::text(t.raw.get("TemplateType").unwrap_or(&Value::Null));
                if t.name.as_deref() == Some(name.as_str()) && (kind == "*" || kind == t_type) {
                    propose(t, client, Basis::Reference, Confidence::High, format!("{what} uses it ({field})"));
                }
            }
        }
        for (kind, value, field) in references(record) {
            for r in account_level.iter().filter(|r| r.kind == kind && same_place(r, record)) {
                if answers_to(r).iter().any(|n| n.eq_ignore_ascii_case(&value)) {
                    propose(r, client, Basis::Reference, Confidence::High, format!("{what} names it ({field})"));
                }
            }
        }
    }

    // 2. Tags shared with exactly one client.
    for record in &account_level {
        for (k, v) in tags_of(&record.raw) {
            let matching: Vec<&Client> =
                clients.iter().filter(|c| c.tags.get(&k).is_some_and(|cv| cv.eq_ignore_ascii_case(&v))).collect();
            if let [client] = matching.as_slice() {
                propose(record, &client.id, Basis::Tag, Confidence::High, format!("tagged {k}={v}, like the client"));
            }
        }
    }

    // 3. Name prefixes (phone numbers have no meaningful names).
    for record in account_level.iter().filter(|r| r.kind != ResourceKind::PhoneNumber) {
        let name = record.name.as_deref().unwrap_or(&record.id);
        let name = name.rsplit('/').next().unwrap_or(name);
        for client in clients {
            if let Some(prefix) = prefixes(client).into_iter().find(|p| starts_with_word(name, p)) {
                propose(
                    record,
                    &client.id,
                    Basis::NamePrefix,
                    Confidence::Medium,
                    format!("its name starts with \"{prefix}\""),
                );
            }
        }
    }
    let mut proposals: BTreeMap<String, Vec<Proposal>> =
        out.into_iter().map(|(k, v)| (k, v.into_iter().collect())).collect();

    // 4. Transitive references: what an owned resource names is owned by the same clients.
    let links: Vec<(&ResourceRecord, ResourceKind, String, &'static str)> = account_level
        .iter()
        .flat_map(|r| {
            let mut l = Vec::new();
            let mut add = |kind, field: &'static str| {
                if let Some(v) = r.raw.get(field).map(path::text).filter(|v| !v.is_empty()) {
                    l.push((*r, kind, v, field));
                }
            };
            add(ResourceKind::Recommender, "RecommenderId");
            add(ResourceKind::EmailConfigurationSet, "ConfigurationSetName");
            add(ResourceKind::OptOutList, "OptOutListName");
            add(ResourceKind::Pool, "PoolId");
            add(ResourceKind::Registration, "RegistrationId");
            for member in r.raw.get("OriginationIdentities").and_then(Value::as_array).into_iter().flatten() {
                if let Some(id) = member.get("OriginationIdentity") {
                    l.push((*r, ResourceKind::PhoneNumber, path::text(id), "OriginationIdentities"));
                }
            }
            l
        })
        .collect();
    for _round in 0..3 {
        let mut added = false;
        for (from, kind, value, field) in &links {
            let from_key = key(&from.account_id, &from.region, "", from.kind, &from.id);
            let owners: BTreeSet<String> = proposals
                .get(&from_key)
                .into_iter()
                .flatten()
                .filter(|p| p.confidence == Confidence::High)
                .map(|p| p.client.clone())
                .collect();
            for target in account_level.iter().filter(|t| t.kind == *kind && same_place(t, from)) {
                if !answers_to(target).iter().any(|n| n == value) {
                    continue;
                }
                let target_key = key(&target.account_id, &target.region, "", target.kind, &target.id);
                let list = proposals.entry(target_key).or_default();
                for owner in &owners {
                    let reason = format!(
                        "the {} {:?} it belongs with is the client's ({field})",
                        from.kind.as_str().replace('_', " "),
                        from.name.as_deref().unwrap_or(&from.id)
                    );
                    if !list.iter().any(|p| &p.client == owner && p.basis == Basis::Reference) {
                        list.push(Proposal {
                            client: owner.clone(),
                            basis: Basis::Reference,
                            confidence: Confidence::High,
                            reason,
                        });
                        added = true;
                    }
                }
            }
        }
        if !added {
            break;
        }
    }
    // 5. Numbers and pools that use a client's own opt-out list are probably the client's (the account's
    //    `Default` list says nothing).
    for record in account_level.iter().filter(|r| matches!(r.kind, ResourceKind::PhoneNumber | ResourceKind::Pool)) {
        let Some(list) =
            record.raw.get("OptOutListName").map(path::text).filter(|l| !l.eq_ignore_ascii_case("Default"))
        else {
            continue;
        };
        let list_key = key(&record.account_id, &record.region, "", ResourceKind::OptOutList, &list);
        let owners: BTreeSet<String> =
            proposals.get(&list_key).into_iter().flatten().map(|p| p.client.clone()).collect();
        let record_key = key(&record.account_id, &record.region, "", record.kind, &record.id);
        let entry = proposals.entry(record_key).or_default();
        for owner in owners {
            if !entry.iter().any(|p| p.client == owner) {
                entry.push(Proposal {
                    client: owner,
                    basis: Basis::Reference,
                    confidence: Confidence::Medium,
                    reason: format!("it uses the client's opt-out list {list:?} (OptOutListName)"),
                });
            }
        }
    }
    for list in proposals.values_mut() {
        list.sort();
    }
    proposals
}
