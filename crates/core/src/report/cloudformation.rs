//! CloudFormation templates of the blueprint's target graph: one stack per client and Region, plus one
//! shared stack per account and Region for what several clients use (shared templates, a shared instance
//! and its domain). Each CloudFormation resource names, in its `Metadata.Pinshift.resources`, the graph
//! resources it creates: a tenant with its associations, reputation policy and suppression settings; a
//! pool with its members, opt-out list and keywords; an SMS configuration set with its event destination
//! and default sender ID; SES configuration sets, event destinations and templates; opt-out lists; SNS
//! topics; Connect instances (retained on delete) and Customer Profiles domains.
//!
//! What the graph adopts (resources that exist), what waits for a person (a gate) and what a migration run
//! creates (message templates, segments, flows, campaigns, whose ids only exist after these stacks) is not
//! here; each stack's notes say so.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Artifact, ReportInput};
use crate::blueprint::graph::{self, TargetGraph, TargetResource};
use crate::target::{TargetKind, parse_placeholder};
use crate::{Error, Result};

/// A CloudFormation logical id from a name: letters and digits only.
fn logical(prefix: &str, name: &str) -> String {
    let mut out = prefix.to_owned();
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

fn tags(r: &TargetResource) -> Value {
    Value::Array(r.tags.iter().map(|(k, v)| json!({ "Key": k, "Value": v })).collect())
}

fn sub(text: String) -> Value {
    json!({ "Fn::Sub": text })
}

/// A placeholder's value in a stack: an ARN CloudFormation can compute, or the name itself.
fn resolve(text: &str) -> Value {
    match parse_placeholder(text) {
        Some((TargetKind::SesIdentity, name)) => {
            sub(format!("arn:${{AWS::Partition}}:ses:${{AWS::Region}}:${{AWS::AccountId}}:identity/{name}"))
        }
        Some((TargetKind::SesConfigurationSet, name)) => {
            sub(format!("arn:${{AWS::Partition}}:ses:${{AWS::Region}}:${{AWS::AccountId}}:configuration-set/{name}"))
        }
        Some((TargetKind::SesEmailTemplate, name)) => {
            sub(format!("arn:${{AWS::Partition}}:ses:${{AWS::Region}}:${{AWS::AccountId}}:template/{name}"))
        }
        Some((TargetKind::SnsTopic, name)) => {
            sub(format!("arn:${{AWS::Partition}}:sns:${{AWS::Region}}:${{AWS::AccountId}}:{name}"))
        }
        Some((_, name)) => Value::String(name.to_owned()),
        None => Value::String(text.to_owned()),
    }
}

/// SES v2's event type names as CloudFormation writes them (`RENDERING_FAILURE` → `renderingFailure`).
fn cfn_event_type(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

struct Stack {
    description: String,
    resources: Map<String, Value>,
    outputs: Map<String, Value>,
    notes: Vec<String>,
}

impl Stack {
    fn new(description: String) -> Stack {
        Stack { description, resources: Map::new(), outputs: Map::new(), notes: Vec::new() }
    }

    /// Adds a CloudFormation resource made from graph resources `from`.
    fn add(&mut self, id: String, mut resource: Value, from: &[&TargetResource]) {
        let ids: Vec<&str> = from.iter().map(|r| r.id.as_str()).collect();
        resource["Metadata"] = json!({ "Pinshift": { "resources": ids } });
        self.resources.insert(id, resource);
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    fn render(self) -> Result<Vec<u8>> {
        let mut doc = json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": self.description,
            "Metadata": { "Pinshift": { "version": crate::VERSION, "notes": self.notes } },
        });
        for (key, map) in [("Resources", self.resources), ("Outputs", self.outputs)] {
            if !map.is_empty() {
                doc[key] = Value::Object(map);
            }
        }
        serde_json::to_vec_pretty(&doc).map_err(|e| Error::Internal(e.to_string()))
    }
}

/// The graph's resources of one stack, with what their CloudFormation resources need from each other.
struct Place<'a> {
    resources: Vec<&'a TargetResource>,
}

impl<'a> Place<'a> {
    fn of(&self, kind: TargetKind) -> impl Iterator<Item = &'a TargetResource> + '_ {
        self.resources.iter().copied().filter(move |r| r.kind == kind)
    }

    /// Resources of `kind` whose spec field `field` is `value` (a tenant's associations, a pool's keywords).
    fn with(&self, kind: TargetKind, field: &str, value: &Value) -> Vec<&'a TargetResource> {
        self.of(kind).filter(|r| &r.spec[field] == value).collect()
    }
}

/// Whether CloudFormation creates it here: created by Pinshift, not waiting for a person.
fn creatable(r: &TargetResource) -> bool {
    !r.existing && r.gate.is_none() && r.kind.created_by_pinshift()
}

fn add_ses(stack: &mut Stack, place: &Place) {
    for set in place.of(TargetKind::SesConfigurationSet).filter(|r| creatable(r)) {
        let set_id = logical("EmailConfigurationSet", &set.name);
        stack.add(
            set_id.clone(),
            json!({ "Type": "AWS::SES::ConfigurationSet", "Properties": {
                "Name": set.name,
                "ReputationOptions": { "ReputationMetricsEnabled": true },
                "SendingOptions": { "SendingEnabled": true },
                "Tags": tags(set),
            } }),
            &[set],
        );
        for d in place.with(TargetKind::SesEventDestination, "ConfigurationSetName", &json!(set.name)) {
            if !creatable(d) {
                continue;
            }
            let spec = &d.spec["EventDestination"];
            let mut destination = json!({
                "Name": d.spec["EventDestinationName"],
                "Enabled": true,
                "MatchingEventTypes": spec["MatchingEventTypes"].as_array().into_iter().flatten()
                    .filter_map(Value::as_str).map(cfn_event_type).collect::<Vec<_>>(),
            });
            if let Some(bus) = spec.get("EventBridgeDestination") {
                destination["EventBridgeDestination"] = json!({ "EventBusArn": bus["EventBusArn"] });
                stack.note(
                    "Email events go to EventBridge (AWS's BPO guidance: alert on reputation findings and sending status at once)."
                        .into(),
                );
            } else if let Some(firehose) = spec.get("KinesisFirehoseDestination") {
                destination["KinesisFirehoseDestination"] = json!({
                    "DeliveryStreamARN": firehose["DeliveryStreamArn"], "IAMRoleARN": firehose["IamRoleArn"] });
            } else if let Some(sns) = spec.get("SnsDestination") {
                destination["SnsDestination"] = json!({ "TopicARN": sns["TopicArn"] });
            }
            stack.add(
                logical("EmailEvents", &d.name),
                json!({ "Type": "AWS::SES::ConfigurationSetEventDestination", "Properties": {
                    "ConfigurationSetName": { "Ref": set_id },
                    "EventDestination": destination,
                } }),
                &[d],
            );
        }
    }
    // A template or pool waiting for a person is named in the stack's notes (render).
    for t in place.of(TargetKind::SesEmailTemplate).filter(|r| creatable(r)) {
        let content = &t.spec["TemplateContent"];
        let mut template = json!({ "TemplateName": t.name, "SubjectPart": content["Subject"] });
        for (from, to) in [("Html", "HtmlPart"), ("Text", "TextPart")] {
            if let Some(part) = content.get(from) {
                template[to] = part.clone();
            }
        }
        stack.add(
            logical("Template", &t.name),
            json!({ "Type": "AWS::SES::Template", "Properties": { "Template": template } }),
            &[t],
        );
    }
    for tenant in place.of(TargetKind::SesTenant) {
        let name = json!(tenant.name);
        let associations = place.with(TargetKind::SesTenantAssociation, "TenantName", &name);
        let policy = place.of(TargetKind::SesReputationPolicy).find(|r| r.name == tenant.name);
        let suppression = place.of(TargetKind::SesSuppressionSettings).find(|r| r.name == tenant.name);
        let mut properties = json!({
            "TenantName": tenant.name,
            "ResourceAssociations": associations.iter()
                .map(|a| json!({ "ResourceArn": resolve(a.spec["ResourceArn"].as_str().unwrap_or_default()) }))
                .collect::<Vec<_>>(),
            "Tags": tags(tenant),
        });
        if let Some(p) = policy {
            properties["ReputationEntity"] =
                json!({ "Policy": { "ReputationEntityPolicy": p.spec["ReputationEntityPolicy"] } });
        }
        if let Some(s) = suppression {
            properties["SuppressionAttributes"] = json!({
                "SuppressionScope": s.spec["SuppressionScope"], "SuppressedReasons": s.spec["SuppressedReasons"] });
        }
        let mut from = vec![tenant];
        from.extend(associations.iter().copied());
        from.extend(policy);
        from.extend(suppression);
        let mut resource = json!({ "Type": "AWS::SES::Tenant", "Properties": properties });
        // Associations name resources by ARN, so the tenant waits for those this stack creates.
        let waits: Vec<String> = stack
            .resources
            .keys()
            .filter(|k| k.starts_with("Template") || k.starts_with("EmailConfigurationSet"))
            .cloned()
            .collect();
        if !waits.is_empty() {
            resource["DependsOn"] = json!(waits);
        }
        let id = logical("Tenant", &tenant.name);
        stack.outputs.insert(logical("TenantName", &tenant.name), json!({ "Value": { "Ref": id } }));
        stack.add(id, resource, &from);
        if let Some(p) = policy {
            stack.note(format!(
                "SES reputation policy of tenant {}: {}.",
                tenant.name,
                p.spec["ReputationEntityPolicy"].as_str().unwrap_or_default()
            ));
        }
    }
}

fn add_sms(stack: &mut Stack, place: &Place) {
    for list in place.of(TargetKind::SmsOptOutList).filter(|r| creatable(r)) {
        stack.add(
            logical("OptOutList", &list.name),
            json!({ "Type": "AWS::SMSVOICE::OptOutList", "Properties": { "OptOutListName": list.name, "Tags": tags(list) } }),
            &[list],
        );
    }
    for pool in place.of(TargetKind::SmsPool).filter(|r| creatable(r)) {
        let reference = json!(crate::target::placeholder(TargetKind::SmsPool, &pool.name));
        // Members that wait for a person (a number still in another pool) stay out of the stack: its notes say so.
        let members: Vec<_> = place
            .with(TargetKind::SmsPoolIdentity, "PoolId", &reference)
            .into_iter()
            .filter(|m| creatable(m))
            .collect();
        let keywords = place.with(TargetKind::SmsKeyword, "OriginationIdentity", &reference);
        let settings = place.with(TargetKind::SmsPoolSettings, "PoolId", &reference);
        let mut identities = vec![pool.spec["OriginationIdentity"].clone()];
        identities.extend(members.iter().map(|m| m.spec["OriginationIdentity"].clone()));
        let mut mandatory = Map::new();
        for k in &keywords {
            mandatory.insert(
                k.spec["Keyword"].as_str().unwrap_or_default().to_owned(),
                json!({ "Message": k.spec["KeywordMessage"] }),
            );
        }
        let mut properties = json!({
            "OriginationIdentities": identities,
            "MandatoryKeywords": mandatory,
            "DeletionProtectionEnabled": true,
            "Tags": tags(pool),
        });
        if let Some(s) = settings.first() {
            let list = s.spec["OptOutListName"].as_str().unwrap_or_default();
            let id = logical("OptOutList", list);
            properties["OptOutListName"] =
                if stack.resources.contains_key(&id) { json!({ "Ref": id }) } else { json!(list) };
            properties["SelfManagedOptOutsEnabled"] = s.spec["SelfManagedOptOutsEnabled"].clone();
        }
        let mut from = vec![pool];
        from.extend(members);
        from.extend(keywords);
        from.extend(settings);
        stack.add(
            logical("Pool", &pool.name),
            json!({ "Type": "AWS::SMSVOICE::Pool", "Properties": properties }),
            &from,
        );
    }
    for topic in place.of(TargetKind::SnsTopic).filter(|r| creatable(r)) {
        let id = logical("SmsEventsTopic", &topic.name);
        stack.add(
            id.clone(),
            json!({ "Type": "AWS::SNS::Topic", "Properties": { "TopicName": topic.name, "Tags": tags(topic) } }),
            &[topic],
        );
        let policy: Value =
            serde_json::from_str(topic.spec["Attributes"]["Policy"].as_str().unwrap_or("{}")).unwrap_or_default();
        stack.add(
            logical("SmsEventsTopicPolicy", &topic.name),
            json!({ "Type": "AWS::SNS::TopicPolicy", "Properties": { "PolicyDocument": policy, "Topics": [{ "Ref": id }] } }),
            &[topic],
        );
    }
    for set in place.of(TargetKind::SmsConfigurationSet).filter(|r| creatable(r)) {
        let name = json!(set.name);
        let destinations: Vec<&TargetResource> = place
            .with(TargetKind::SmsEventDestination, "ConfigurationSetName", &name)
            .into_iter()
            .filter(|d| creatable(d))
            .collect();
        let sender = place.with(TargetKind::SmsDefaultSenderId, "ConfigurationSetName", &name);
        let mut properties = json!({
            "ConfigurationSetName": set.name,
            "EventDestinations": destinations.iter().map(|d| {
                let mut destination = json!({
                    "EventDestinationName": d.spec["EventDestinationName"],
                    "Enabled": true,
                    "MatchingEventTypes": d.spec["MatchingEventTypes"],
                });
                for key in ["SnsDestination", "KinesisFirehoseDestination", "CloudWatchLogsDestination"] {
                    if let Some(Value::Object(fields)) = d.spec.get(key) {
                        let fields: Map<String, Value> = fields
                            .iter()
                            .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.clone(), |t| {
                                match parse_placeholder(t) {
                                    Some((TargetKind::SnsTopic, topic)) => json!({ "Ref": logical("SmsEventsTopic", topic) }),
                                    _ => resolve(t),
                                }
                            })))
                            .collect();
                        destination[key] = Value::Object(fields);
                    }
                }
                destination
            }).collect::<Vec<_>>(),
            "Tags": tags(set),
        });
        if let Some(s) = sender.first() {
            properties["DefaultSenderId"] = s.spec["SenderId"].clone();
        }
        let mut from = vec![set];
        from.extend(destinations);
        from.extend(sender);
        stack.add(
            logical("SmsConfigurationSet", &set.name),
            json!({ "Type": "AWS::SMSVOICE::ConfigurationSet", "Properties": properties }),
            &from,
        );
    }
}

fn add_connect(stack: &mut Stack, place: &Place) {
    for instance in place.of(TargetKind::ConnectInstance).filter(|r| creatable(r)) {
        let spec = &instance.spec;
        stack.add(
            logical("ConnectInstance", &instance.name),
            json!({
                "Type": "AWS::Connect::Instance",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "IdentityManagementType": spec["IdentityManagementType"],
                    "InstanceAlias": spec["InstanceAlias"],
                    "Attributes": {
                        "InboundCalls": spec["InboundCallsEnabled"],
                        "OutboundCalls": spec["OutboundCallsEnabled"],
                        "HighVolumeOutBound": true,
                    },
                    "Tags": tags(instance),
                }
            }),
            &[instance],
        );
        stack.note(
            "Connect instances are retained on stack deletion: AWS limits how many instances an account may create or delete in 30 days."
                .into(),
        );
    }
    for domain in place.of(TargetKind::ProfilesDomain).filter(|r| creatable(r)) {
        stack.add(
            logical("ProfilesDomain", &domain.name),
            json!({
                "Type": "AWS::CustomerProfiles::Domain",
                "Properties": {
                    "DomainName": domain.name,
                    "DefaultExpirationDays": domain.spec["DefaultExpirationDays"],
                    "Tags": tags(domain),
                }
            }),
            &[domain],
        );
    }
}

/// One stack's file name: `<client>-<Region>.json`, with the account when a client spans several.
fn stack_name(owner: &str, account: &str, region: &str, accounts: usize) -> String {
    if owner == graph::SHARED || accounts > 1 {
        format!("{owner}-{account}-{region}.json")
    } else {
        format!("{owner}-{region}.json")
    }
}

pub fn render(input: &ReportInput) -> Result<Vec<Artifact>> {
    let graph: TargetGraph = graph::derive(input.blueprint, input.records, jiff::Timestamp::UNIX_EPOCH)?;
    // (owner, account, Region) → its resources; shared resources go to the shared stack of their place.
    let mut places: BTreeMap<(String, String, String), Place> = BTreeMap::new();
    for r in &graph.resources {
        let owner = if r.shared() { graph::SHARED.to_owned() } else { r.clients.first().cloned().unwrap_or_default() };
        places
            .entry((owner, r.account_id.clone(), r.region.clone()))
            .or_insert_with(|| Place { resources: Vec::new() })
            .resources
            .push(r);
    }
    let mut accounts: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for (owner, account, _) in places.keys() {
        accounts.entry(owner.as_str()).or_default().insert(account.as_str());
    }
    let mut out = Vec::new();
    for ((owner, account, region), place) in &places {
        let description = if owner == graph::SHARED {
            format!("Pinshift: resources shared by several clients in {region}")
        } else {
            let name = input.blueprint.client(owner).map_or(owner.as_str(), |c| c.name.as_str());
            format!("Pinshift: {name} ({owner}) in {region}")
        };
        let mut stack = Stack::new(description);
        add_ses(&mut stack, place);
        add_sms(&mut stack, place);
        add_connect(&mut stack, place);
        let run: Vec<&str> = place
            .resources
            .iter()
            .filter(|r| creatable(r))
            .filter(|r| {
                !stack.resources.values().any(|v| {
                    v["Metadata"]["Pinshift"]["resources"].as_array().is_some_and(|ids| ids.iter().any(|i| i == &r.id))
                })
            })
            .map(|r| r.kind.label())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if !run.is_empty() {
            stack.note(format!(
                "Created by a Pinshift migration run, not by this stack (they need ids only known after it): {}.",
                run.join(", ")
            ));
        }
        let gated: Vec<String> = place
            .resources
            .iter()
            .filter_map(|r| r.gate.as_ref().map(|g| format!("{} {}: {g}", r.kind.label(), r.name)))
            .collect();
        for g in gated {
            stack.note(format!("Waits for a person — {g}."));
        }
        if stack.resources.is_empty() {
            continue;
        }
        out.push(Artifact {
            name: stack_name(owner, account, region, accounts.get(owner.as_str()).map_or(1, |a| a.len())),
            bytes: stack.render()?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_read_as_cloudformation_writes_them() {
        assert_eq!(cfn_event_type("RENDERING_FAILURE"), "renderingFailure");
        assert_eq!(cfn_event_type("SEND"), "send");
        assert_eq!(cfn_event_type("DELIVERY_DELAY"), "deliveryDelay");
    }
}
