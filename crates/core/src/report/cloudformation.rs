//! CloudFormation templates of the target topology: one stack per client and Region (SES tenant with its
//! associations and reputation policy, configuration set, templates; SMS pools, opt-out list and
//! configuration set; a dedicated Connect instance and Customer Profiles domain), plus one shared stack
//! per account and Region for what several clients use (shared templates, the shared instance and
//! domain). Email events go to the default EventBridge bus, SMS events to an SNS topic per client.
//!
//! Campaigns, flows and message templates are not here: Pinshift creates them in a run (unstarted,
//! drafts), because they need the converted content and ids only known after these stacks exist.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Artifact, ReportInput};
use crate::blueprint::plan::{ConnectTopology, SesPlan, SmsPlan};
use crate::estate::path::text;
use crate::estate::{ResourceKind, ResourceRecord};
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

fn tags(tags: &BTreeMap<String, String>) -> Value {
    Value::Array(tags.iter().map(|(k, v)| json!({ "Key": k, "Value": v })).collect())
}

fn sub(text: String) -> Value {
    json!({ "Fn::Sub": text })
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

fn template_record<'a>(records: &'a [ResourceRecord], ses: &SesPlan, name: &str) -> Option<&'a ResourceRecord> {
    records.iter().find(|r| {
        r.kind == ResourceKind::Template
            && r.account_id == ses.account_id
            && r.region == ses.region
            && r.name.as_deref() == Some(name)
            && text(&r.raw["TemplateType"]) == "EMAIL"
    })
}

fn ses_template(record: &ResourceRecord, name: &str) -> Option<Value> {
    if name.is_empty() || name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    let mut template = json!({ "TemplateName": name, "SubjectPart": text(&record.raw["Subject"]) });
    for (from, to) in [("HtmlPart", "HtmlPart"), ("TextPart", "TextPart")] {
        let part = text(&record.raw[from]);
        if !part.is_empty() {
            template[to] = Value::String(part);
        }
    }
    Some(json!({ "Type": "AWS::SES::Template", "Properties": { "Template": template } }))
}

fn add_ses(stack: &mut Stack, ses: &SesPlan, plan_tags: &BTreeMap<String, String>, shared_templates: &[String]) {
    let mut associations = Vec::new();
    for identity in &ses.identities {
        associations.push(json!({ "ResourceArn": sub(format!(
            "arn:${{AWS::Partition}}:ses:${{AWS::Region}}:${{AWS::AccountId}}:identity/{identity}")) }));
    }
    if ses.configuration_set_exists {
        associations.push(json!({ "ResourceArn": sub(format!(
            "arn:${{AWS::Partition}}:ses:${{AWS::Region}}:${{AWS::AccountId}}:configuration-set/{}", ses.configuration_set)) }));
    } else {
        stack.resources.insert(
            "EmailConfigurationSet".into(),
            json!({ "Type": "AWS::SES::ConfigurationSet", "Properties": { "Name": ses.configuration_set, "Tags": tags(plan_tags) } }),
        );
        associations.push(json!({ "ResourceArn": sub(
            "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/${EmailConfigurationSet}".into()) }));
        stack.resources.insert(
            "EmailEventDestination".into(),
            json!({
                "Type": "AWS::SES::ConfigurationSetEventDestination",
                "Properties": {
                    "ConfigurationSetName": { "Ref": "EmailConfigurationSet" },
                    "EventDestination": {
                        "Name": "pinshift-eventbridge",
                        "Enabled": true,
                        "MatchingEventTypes": ["send", "reject", "bounce", "complaint", "delivery", "open", "click", "renderingFailure", "deliveryDelay", "subscription"],
                        "EventBridgeDestination": {
                            "EventBusArn": sub("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default".into())
                        }
                    }
                }
            }),
        );
        stack.notes.push(
            "Email events go to the default EventBridge bus (AWS's BPO guidance: alert on reputation findings and sending status at once)."
                .into(),
        );
    }
    for name in &ses.templates {
        associations.push(json!({ "ResourceArn": sub(format!(
            "arn:${{AWS::Partition}}:ses:${{AWS::Region}}:${{AWS::AccountId}}:template/{name}")) }));
        if shared_templates.contains(name) {
            continue;
        }
        let id = logical("Template", name);
        if stack.resources.contains_key(&id) {
            continue;
        }
        // Filled in by the caller, which has the records.
        stack.resources.insert(id, Value::Null);
    }
    stack.resources.insert(
        "Tenant".into(),
        json!({
            "Type": "AWS::SES::Tenant",
            "Properties": {
                "TenantName": ses.tenant_name,
                "ReputationEntity": { "Policy": { "ReputationEntityPolicy": format!(
                    "arn:aws:ses:{}:aws:reputation-policy/{}", ses.region, ses.reputation_policy.as_str()) } },
                "SuppressionAttributes": { "SuppressionScope": ses.suppression_scope, "SuppressedReasons": ses.suppressed_reasons },
                "ResourceAssociations": associations,
                "Tags": tags(plan_tags),
            }
        }),
    );
    stack.outputs.insert("TenantName".into(), json!({ "Value": { "Ref": "Tenant" } }));
    stack.notes.push(format!("SES reputation policy {}: {}", ses.reputation_policy.as_str(), ses.reputation_reason));
}

fn add_sms(
    stack: &mut Stack,
    sms: &SmsPlan,
    name: &str,
    plan_tags: &BTreeMap<String, String>,
    records: &[ResourceRecord],
) {
    let here = |r: &&ResourceRecord| r.account_id == sms.account_id && r.region == sms.region;
    let list_exists =
        records.iter().filter(here).any(|r| r.kind == ResourceKind::OptOutList && r.id == sms.opt_out_list);
    let opt_out_list: Value = if list_exists {
        Value::String(sms.opt_out_list.clone())
    } else {
        stack.resources.insert(
            "OptOutList".into(),
            json!({ "Type": "AWS::SMSVOICE::OptOutList", "Properties": { "OptOutListName": sms.opt_out_list, "Tags": tags(plan_tags) } }),
        );
        json!({ "Ref": "OptOutList" })
    };
    if !sms.carried_opt_out_lists.is_empty() {
        stack.notes.push(format!(
            "Opted-out numbers of {} are copied into {} by the migration run (PutOptedOutNumber), not by this stack.",
            sms.carried_opt_out_lists.join(", "),
            sms.opt_out_list
        ));
    }
    for pool in &sms.pools {
        let mut identities = Vec::new();
        for number in &pool.numbers {
            if let Some(r) = records
                .iter()
                .filter(here)
                .find(|r| r.kind == ResourceKind::PhoneNumber && text(&r.raw["PhoneNumber"]) == *number)
            {
                identities.push(Value::String(text(&r.raw["PhoneNumberArn"])));
                if r.raw.get("PoolId").is_some_and(|p| !p.is_null()) {
                    stack.notes.push(format!(
                        "{number} is in pool {} today: a number is in one pool only, so it leaves that pool first.",
                        text(&r.raw["PoolId"])
                    ));
                }
            }
        }
        for label in &pool.sender_ids {
            let id = label.split(' ').next().unwrap_or_default();
            if let Some(r) =
                records.iter().filter(here).find(|r| r.kind == ResourceKind::SenderId && text(&r.raw["SenderId"]) == id)
            {
                identities.push(Value::String(text(&r.raw["SenderIdArn"])));
            }
        }
        if identities.is_empty() {
            continue;
        }
        identities.dedup();
        stack.resources.insert(
            logical("Pool", &pool.message_type.to_ascii_lowercase()),
            json!({
                "Type": "AWS::SMSVOICE::Pool",
                "Properties": {
                    "OriginationIdentities": identities,
                    "MandatoryKeywords": {
                        "HELP": { "Message": format!("{name}: for help, contact customer service. Reply STOP to opt out.") },
                        "STOP": { "Message": format!("{name}: you are unsubscribed and will receive no more messages.") }
                    },
                    "OptOutListName": opt_out_list,
                    "DeletionProtectionEnabled": true,
                    "Tags": tags(plan_tags),
                }
            }),
        );
    }
    let configuration_set_exists = records
        .iter()
        .filter(here)
        .any(|r| r.kind == ResourceKind::SmsConfigurationSet && r.id == sms.configuration_set);
    if !configuration_set_exists {
        stack.resources.insert(
            "SmsEventsTopic".into(),
            json!({ "Type": "AWS::SNS::Topic", "Properties": { "TopicName": format!("{}-events", sms.configuration_set), "Tags": tags(plan_tags) } }),
        );
        let mut properties = json!({
            "ConfigurationSetName": sms.configuration_set,
            "EventDestinations": [{
                "EventDestinationName": "pinshift-sns",
                "Enabled": true,
                "MatchingEventTypes": ["TEXT_ALL"],
                "SnsDestination": { "TopicArn": { "Ref": "SmsEventsTopic" } }
            }],
            "Tags": tags(plan_tags),
        });
        stack.notes.push(
            "SMS events go to an SNS topic of the client's; subscribe the consumers of the old event stream.".into(),
        );
        if let Some(sender) = &sms.default_sender_id {
            properties["DefaultSenderId"] = Value::String(sender.clone());
        }
        stack.resources.insert(
            "SmsConfigurationSet".into(),
            json!({ "Type": "AWS::SMSVOICE::ConfigurationSet", "Properties": properties }),
        );
    }
}

fn add_connect(
    stack: &mut Stack,
    alias: &str,
    domain: Option<(&str, u32)>,
    plan_tags: &BTreeMap<String, String>,
    telephony: bool,
) {
    stack.resources.insert(
        "ConnectInstance".into(),
        json!({
            "Type": "AWS::Connect::Instance",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "IdentityManagementType": "CONNECT_MANAGED",
                "InstanceAlias": alias,
                "Attributes": { "InboundCalls": false, "OutboundCalls": telephony, "HighVolumeOutBound": true },
                "Tags": tags(plan_tags),
            }
        }),
    );
    stack.notes.push(
        "The Connect instance is retained on stack deletion: AWS limits how many instances an account may create or delete in 30 days."
            .into(),
    );
    if let Some((name, days)) = domain {
        stack.resources.insert(
            "ProfilesDomain".into(),
            json!({
                "Type": "AWS::CustomerProfiles::Domain",
                "Properties": { "DomainName": name, "DefaultExpirationDays": days, "Tags": tags(plan_tags) }
            }),
        );
        stack.notes.push(format!(
            "Associate domain {name} with instance {alias} in the Amazon Connect admin website: AWS has no API for it."
        ));
    }
}

pub fn render(input: &ReportInput) -> Result<Vec<Artifact>> {
    let bp = input.blueprint;
    // Templates owned by several clients live in the shared stack of their account and Region.
    let shared_templates: Vec<(String, String, String)> = bp
        .assessment
        .attributions
        .iter()
        .filter(|a| a.resource.kind == ResourceKind::Template && a.shared())
        .map(|a| (a.resource.account_id.clone(), a.resource.region.clone(), a.resource.label().to_owned()))
        .collect();
    let mut shared: BTreeMap<(String, String), Stack> = BTreeMap::new();
    let mut out = Vec::new();
    for plan in &bp.clients {
        let mut places: BTreeMap<(String, String), Stack> = BTreeMap::new();
        let first = bp.assessment.client(&plan.client).and_then(|c| c.client.projects.first());
        for ses in &plan.ses {
            let stack = places
                .entry((ses.account_id.clone(), ses.region.clone()))
                .or_insert_with(|| Stack::new(format!("Pinshift: {} ({}) in {}", plan.name, plan.client, ses.region)));
            let shared_here: Vec<String> = shared_templates
                .iter()
                .filter(|(a, r, _)| *a == ses.account_id && *r == ses.region)
                .map(|(_, _, n)| n.clone())
                .collect();
            add_ses(stack, ses, &plan.tags, &shared_here);
            let pending: Vec<String> =
                stack.resources.iter().filter(|(_, v)| v.is_null()).map(|(k, _)| k.clone()).collect();
            for id in pending {
                let name = ses.templates.iter().find(|n| logical("Template", n) == id).cloned().unwrap_or_default();
                match template_record(input.records, ses, &name).and_then(|r| ses_template(r, &name)) {
                    Some(resource) => {
                        stack.resources.insert(id, resource);
                    }
                    None => {
                        stack.resources.remove(&id);
                        stack.notes.push(format!("Template {name:?} is not created here: SES template names are 1–64 letters, digits, '-' and '_'."));
                    }
                }
            }
            // Associations name templates by ARN, so the tenant waits for the ones this stack creates.
            let templates: Vec<String> =
                stack.resources.keys().filter(|k| k.starts_with("Template")).cloned().collect();
            if let (false, Some(tenant)) = (templates.is_empty(), stack.resources.get_mut("Tenant")) {
                tenant["DependsOn"] = json!(templates);
            }
            for name in &ses.templates {
                if shared_here.contains(name) {
                    let shared_stack =
                        shared.entry((ses.account_id.clone(), ses.region.clone())).or_insert_with(|| {
                            Stack::new(format!("Pinshift: resources shared by several clients in {}", ses.region))
                        });
                    let id = logical("Template", name);
                    if !shared_stack.resources.contains_key(&id)
                        && let Some(resource) =
                            template_record(input.records, ses, name).and_then(|r| ses_template(r, name))
                    {
                        shared_stack.resources.insert(id, resource);
                    }
                    stack.notes.push(format!(
                        "Template {name} is shared: it is created by the shared stack; deploy that first."
                    ));
                }
            }
            stack.notes.push(
                "Template content keeps Pinpoint's variable paths: the sender's TemplateData supplies them.".into(),
            );
        }
        for sms in &plan.sms {
            let stack = places
                .entry((sms.account_id.clone(), sms.region.clone()))
                .or_insert_with(|| Stack::new(format!("Pinshift: {} ({}) in {}", plan.name, plan.client, sms.region)));
            add_sms(stack, sms, &plan.name, &plan.tags, input.records);
        }
        if let Some(project) = first {
            let telephony = plan.connect.campaigns.iter().any(|c| c.channels.iter().any(|ch| ch == "telephony"));
            let key = (project.account_id.clone(), project.region.clone());
            match plan.connect.topology {
                ConnectTopology::Dedicated => {
                    let stack = places.entry(key).or_insert_with(|| {
                        Stack::new(format!("Pinshift: {} ({}) in {}", plan.name, plan.client, project.region))
                    });
                    let domain =
                        plan.connect.profiles_domain.as_ref().map(|d| (d.name.as_str(), d.default_expiration_days));
                    add_connect(
                        stack,
                        plan.connect.instance_alias.as_deref().unwrap_or(&plan.client),
                        domain,
                        &plan.tags,
                        telephony,
                    );
                }
                ConnectTopology::Shared => {
                    let stack = shared.entry(key).or_insert_with(|| {
                        Stack::new(format!("Pinshift: resources shared by several clients in {}", project.region))
                    });
                    if !stack.resources.contains_key("ConnectInstance") {
                        let domain =
                            plan.connect.profiles_domain.as_ref().map(|d| (d.name.as_str(), d.default_expiration_days));
                        let shared_tags = BTreeMap::from([("pinshift:client".to_owned(), "shared".to_owned())]);
                        add_connect(
                            stack,
                            plan.connect.instance_alias.as_deref().unwrap_or("shared-engage"),
                            domain,
                            &shared_tags,
                            telephony,
                        );
                        stack.notes.push(format!(
                            "Profiles in the shared domain carry the client id in {}; segments filter on it.",
                            crate::blueprint::plan::PARTITION_ATTRIBUTE
                        ));
                    }
                }
                ConnectTopology::MessagingOnly => {}
            }
        }
        let accounts = places.keys().map(|(a, _)| a).collect::<std::collections::BTreeSet<_>>().len();
        for ((account, region), stack) in places {
            if stack.resources.is_empty() {
                continue;
            }
            let name = if accounts > 1 {
                format!("{}-{account}-{region}.json", plan.client)
            } else {
                format!("{}-{region}.json", plan.client)
            };
            out.push(Artifact { name, bytes: stack.render()? });
        }
    }
    for ((account, region), stack) in shared {
        if !stack.resources.is_empty() {
            out.push(Artifact { name: format!("shared-{account}-{region}.json"), bytes: stack.render()? });
        }
    }
    Ok(out)
}
