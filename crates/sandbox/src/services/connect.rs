//! Amazon Connect (restJson1, signing name `connect`): the part a migration builds — instances (created
//! asynchronously; the default quota of 2 per account and Region; create and delete events counted over 30
//! days with AWS's lockout), instance attributes, integration associations (Q_MESSAGE_TEMPLATES, SES_IDENTITY,
//! EVENT, …), contact flows of every type saved (SAVED, not validated) or published (PUBLISHED, checked as
//! flow language), their content, versions and aliases, phone numbers imported from End User Messaging
//! (same account and Region) and released with their cooldown, email addresses, and tags.
//!
//! An instance answers CREATION_IN_PROGRESS for [`INSTANCE_SETUP`] by the sandbox clock, then ACTIVE;
//! `POST /_sandbox/clock/advance` moves it along without a real wait.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::rest::{Ctx, RestService, error, new_id, page, text};
use crate::model::{Call, ServiceModel};
use crate::state::World;
use crate::wire::{Protocol, RestStyle, ServiceError};

pub const SIGNING_NAME: &str = "connect";
pub const PROTOCOL: Protocol = Protocol::RestJson(&RestStyle {
    message_key: "Message",
    request_id_in_body: false,
    denied: "AccessDeniedException",
    throttled: ("ThrottlingException", 429),
    server_error: "InternalServiceException",
});

pub static SERVICE: RestService =
    RestService { signing_name: SIGNING_NAME, iam_prefix: "connect", protocol: PROTOCOL, model, handle };

/// How long a new instance stays CREATION_IN_PROGRESS.
pub const INSTANCE_SETUP: SignedDuration = SignedDuration::from_secs(90);
/// Instances per account and Region (quota L-AA17A6B9, adjustable).
pub const INSTANCES_PER_REGION: usize = 2;
/// Instance create and delete events per account in a rolling 30 days, before the 30-day lockout.
pub const LIFECYCLE_EVENTS_PER_30_DAYS: usize = 100;
/// The longest cooldown of a released phone number ("up to 180 days").
pub const RELEASE_COOLDOWN: SignedDuration = SignedDuration::from_hours(180 * 24);
/// Largest flow content (the member's documented limit).
const MAX_FLOW_CONTENT: usize = 256_000;
const THIRTY_DAYS: SignedDuration = SignedDuration::from_hours(30 * 24);

pub fn model() -> &'static ServiceModel {
    static MODEL: OnceLock<ServiceModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        ServiceModel::parse(include_str!("../../models/connect-2017-08-08.json"))
            .expect("the embedded Connect model is valid JSON")
    })
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub account_id: String,
    pub region: String,
    /// The `Instance` shape, without `Tags` (kept by ARN) and with the status computed on read.
    pub record: Value,
    pub ready_at: Timestamp,
    pub attributes: BTreeMap<String, String>,
    pub flows: BTreeMap<String, Flow>,
    pub associations: BTreeMap<String, Value>,
    pub email_addresses: BTreeMap<String, Value>,
}

#[derive(Debug, Clone)]
pub struct Flow {
    /// The `ContactFlow` shape without `Tags`.
    pub record: Value,
    /// Immutable versions, oldest first: (version, content, description, time).
    pub versions: Vec<(i64, String, String, f64)>,
    /// Alias name → (alias id, version).
    pub aliases: BTreeMap<String, (String, i64)>,
}

#[derive(Debug, Default, Clone)]
pub struct ConnectState {
    /// Every instance, by id.
    pub instances: BTreeMap<String, Instance>,
    /// Instance create and delete events: (account, Region, when).
    lifecycle: Vec<(String, String, Timestamp)>,
    /// Claimed (imported) phone numbers by id: the `ClaimedPhoneNumberSummary` shape without `Tags`.
    pub phone_numbers: BTreeMap<String, Value>,
    /// Released numbers and when they leave their cooldown.
    released: BTreeMap<String, Timestamp>,
    /// Instance quotas AWS raised (Service Quotas increases granted), by (account, Region).
    pub instance_quota: BTreeMap<(String, String), usize>,
}

fn not_found(message: impl Into<String>) -> ServiceError {
    error(404, "ResourceNotFoundException", message)
}

fn invalid_request(message: impl Into<String>) -> ServiceError {
    error(400, "InvalidRequestException", message)
}

fn invalid_parameter(message: impl Into<String>) -> ServiceError {
    error(400, "InvalidParameterException", message)
}

fn duplicate(message: impl Into<String>) -> ServiceError {
    error(409, "DuplicateResourceException", message)
}

fn quota(message: impl Into<String>) -> ServiceError {
    error(402, "ServiceQuotaExceededException", message)
}

fn sha256(content: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(content.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

impl Instance {
    fn arn(&self) -> &str {
        self.record["Arn"].as_str().unwrap_or_default()
    }

    fn status(&self, now: Timestamp) -> &'static str {
        if now >= self.ready_at { "ACTIVE" } else { "CREATION_IN_PROGRESS" }
    }

    /// The `Instance` shape as DescribeInstance answers it.
    pub fn describe(&self, now: Timestamp, tags: Value) -> Value {
        let mut record = self.record.clone();
        record["InstanceStatus"] = json!(self.status(now));
        record["Tags"] = tags;
        record
    }
}

impl ConnectState {
    /// The instance `id` (an id or an ARN) of this account and Region.
    pub fn instance_mut(&mut self, ctx: &Ctx<'_>, id: &str) -> Result<&mut Instance, ServiceError> {
        let id = id.rsplit('/').next().unwrap_or(id);
        self.instances
            .get_mut(id)
            .filter(|i| i.account_id == ctx.account_id && i.region == ctx.region)
            .ok_or_else(|| not_found(format!("Instance not found: {id}")))
    }

    /// The instance, refused while it is still being created (as AWS refuses calls on it).
    fn active_instance(&mut self, ctx: &Ctx<'_>, id: &str) -> Result<&mut Instance, ServiceError> {
        let instance = self.instance_mut(ctx, id)?;
        if instance.status(ctx.now) != "ACTIVE" {
            return Err(error(409, "ResourceNotReadyException", format!("Instance {id} is still being created")));
        }
        Ok(instance)
    }

    /// Whether `arn` names an active instance of this account and Region.
    pub fn has_active_instance(&self, ctx: &Ctx<'_>, arn_or_id: &str) -> bool {
        let id = arn_or_id.rsplit('/').next().unwrap_or(arn_or_id);
        self.instances
            .get(id)
            .is_some_and(|i| i.account_id == ctx.account_id && i.region == ctx.region && i.status(ctx.now) == "ACTIVE")
    }

    fn count_lifecycle(&mut self, ctx: &Ctx<'_>) -> usize {
        let since = ctx.now.checked_sub(THIRTY_DAYS).unwrap_or(ctx.now);
        self.lifecycle.retain(|(_, _, at)| *at > since);
        self.lifecycle.iter().filter(|(a, r, _)| a == ctx.account_id && r == ctx.region).count()
    }

    /// Adds an instance directly (the estate's existing instances: already ACTIVE, no lifecycle event).
    pub fn create_instance(&mut self, ctx: &Ctx<'_>, input: &Value, setup: SignedDuration) -> Value {
        let id = new_id();
        let arn = ctx.arn(SIGNING_NAME, &format!("instance/{id}"));
        let alias =
            input["InstanceAlias"].as_str().map(str::to_owned).unwrap_or_else(|| format!("instance-{}", &id[..8]));
        let record = json!({
            "Id": id,
            "Arn": arn,
            "IdentityManagementType": input["IdentityManagementType"],
            "InstanceAlias": alias,
            "CreatedTime": ctx.epoch(),
            "ServiceRole": format!("arn:aws:iam::{}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_{}", ctx.account_id, &id[..20.min(id.len())]),
            "InboundCallsEnabled": input["InboundCallsEnabled"].as_bool().unwrap_or(false),
            "OutboundCallsEnabled": input["OutboundCallsEnabled"].as_bool().unwrap_or(false),
            "InstanceAccessUrl": format!("https://{alias}.my.connect.aws"),
        });
        let mut attributes = BTreeMap::new();
        for kind in ["INBOUND_CALLS", "OUTBOUND_CALLS"] {
            let member = if kind == "INBOUND_CALLS" { "InboundCallsEnabled" } else { "OutboundCallsEnabled" };
            attributes.insert(kind.to_owned(), record[member].as_bool().unwrap_or(false).to_string());
        }
        for kind in
            ["CONTACTFLOW_LOGS", "CONTACT_LENS", "EARLY_MEDIA", "MULTI_PARTY_CONFERENCE", "HIGH_VOLUME_OUTBOUND"]
        {
            attributes.insert(kind.to_owned(), "false".to_owned());
        }
        let instance = Instance {
            account_id: ctx.account_id.to_owned(),
            region: ctx.region.to_owned(),
            record,
            ready_at: ctx.now.checked_add(setup).unwrap_or(ctx.now),
            attributes,
            flows: BTreeMap::new(),
            associations: BTreeMap::new(),
            email_addresses: BTreeMap::new(),
        };
        self.instances.insert(id.clone(), instance);
        json!({ "Id": id, "Arn": arn })
    }
}

/// Checks flow language (what PUBLISHED validates): a JSON document with `Version`, a `StartAction` that
/// exists and transitions that land on actions that exist. Returns the problems, as
/// InvalidContactFlowException lists them.
pub fn flow_problems(content: &str) -> Vec<String> {
    let flow: Value = match serde_json::from_str(content) {
        Ok(flow) => flow,
        Err(e) => return vec![format!("The flow content is not valid JSON: {e}")],
    };
    let mut problems = Vec::new();
    if flow["Version"].as_str().is_none() {
        problems.push("Version is required".to_owned());
    }
    let actions = flow["Actions"].as_array().cloned().unwrap_or_default();
    if actions.is_empty() {
        problems.push("Actions must contain at least one action".to_owned());
    }
    let ids: Vec<&str> = actions.iter().filter_map(|a| a["Identifier"].as_str()).collect();
    if ids.len() != actions.len() {
        problems.push("Every action needs an Identifier".to_owned());
    }
    match flow["StartAction"].as_str() {
        Some(start) if ids.contains(&start) => {}
        Some(start) => problems.push(format!("StartAction {start} is not an action of this flow")),
        None => problems.push("StartAction is required".to_owned()),
    }
    for action in &actions {
        let id = action["Identifier"].as_str().unwrap_or("?");
        if action["Type"].as_str().is_none() {
            problems.push(format!("Action {id} has no Type"));
        }
        let transitions = &action["Transitions"];
        let mut targets: Vec<&str> = transitions["NextAction"].as_str().into_iter().collect();
        for list in ["Conditions", "Errors"] {
            targets.extend(transitions[list].as_array().into_iter().flatten().filter_map(|c| c["NextAction"].as_str()));
        }
        for target in targets {
            if !ids.contains(&target) {
                problems.push(format!("Action {id} transitions to {target}, which is not an action of this flow"));
            }
        }
    }
    problems
}

/// One page of a Connect list (`MaxResults` / `NextToken`).
fn list(items: Vec<Value>, input: &Value, default_size: usize, key: &str) -> Result<Value, ServiceError> {
    page(items, input["MaxResults"].as_u64(), default_size, input["NextToken"].as_str(), key, "NextToken", || {
        invalid_parameter("Invalid NextToken")
    })
}

fn flow_invalid(problems: Vec<String>) -> ServiceError {
    let list: Vec<Value> = problems.iter().map(|p| json!({ "message": p })).collect();
    error(400, "InvalidContactFlowException", problems.join("; ")).with("problems", list)
}

fn flow_content(input: &Value, status: &str) -> Result<String, ServiceError> {
    let content = text(input, "Content");
    if content.len() > MAX_FLOW_CONTENT {
        return Err(invalid_parameter(format!("Content is longer than {MAX_FLOW_CONTENT} characters")));
    }
    if status == "PUBLISHED" {
        let problems = flow_problems(&content);
        if !problems.is_empty() {
            return Err(flow_invalid(problems));
        }
    }
    Ok(content)
}

fn handle(world: &mut World, ctx: &Ctx<'_>, call: &Call) -> Result<Value, ServiceError> {
    let World { connect, tags, sms, ses, qconnect, .. } = world;
    let input = &call.input;
    if let Some(answer) = tags.handle(&call.operation, input, &|arn| not_found(format!("Resource not found: {arn}"))) {
        return answer;
    }
    let instance_id = text(input, "InstanceId");
    match call.operation.as_str() {
        "CreateInstance" => {
            let place =
                connect.instances.values().filter(|i| i.account_id == ctx.account_id && i.region == ctx.region).count();
            let limit = connect
                .instance_quota
                .get(&(ctx.account_id.to_owned(), ctx.region.to_owned()))
                .copied()
                .unwrap_or(INSTANCES_PER_REGION);
            if place >= limit {
                return Err(quota(format!(
                    "The maximum number of instances ({limit}) for this account in {} has been reached",
                    ctx.region
                )));
            }
            if connect.count_lifecycle(ctx) >= LIFECYCLE_EVENTS_PER_30_DAYS {
                return Err(quota(format!(
                    "More than {LIFECYCLE_EVENTS_PER_30_DAYS} instances were created or deleted in this account in the last 30 days; wait 30 days before creating or deleting instances"
                )));
            }
            if let Some(alias) = input["InstanceAlias"].as_str()
                && connect.instances.values().any(|i| i.record["InstanceAlias"] == alias)
            {
                return Err(invalid_request(format!("The alias {alias} is already in use")));
            }
            let created = connect.create_instance(ctx, input, INSTANCE_SETUP);
            connect.lifecycle.push((ctx.account_id.to_owned(), ctx.region.to_owned(), ctx.now));
            tags.set(created["Arn"].as_str().unwrap_or_default(), input.get("Tags"));
            Ok(created)
        }
        "DescribeInstance" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            Ok(json!({ "Instance": instance.describe(ctx.now, tags.get(instance.arn())) }))
        }
        "ListInstances" => {
            let items = connect
                .instances
                .values()
                .filter(|i| i.account_id == ctx.account_id && i.region == ctx.region)
                .map(|i| {
                    let mut summary = i.describe(ctx.now, json!({}));
                    if let Some(object) = summary.as_object_mut() {
                        object.remove("Tags");
                    }
                    summary
                })
                .collect();
            list(items, input, 10, "InstanceSummaryList")
        }
        "DeleteInstance" => {
            let arn = connect.instance_mut(ctx, &instance_id)?.arn().to_owned();
            if connect.count_lifecycle(ctx) >= LIFECYCLE_EVENTS_PER_30_DAYS {
                return Err(invalid_request(format!(
                    "More than {LIFECYCLE_EVENTS_PER_30_DAYS} instances were created or deleted in this account in the last 30 days; wait 30 days before creating or deleting instances"
                )));
            }
            let id = arn.rsplit('/').next().unwrap_or_default().to_owned();
            if let Some(instance) = connect.instances.remove(&id) {
                for flow in instance.flows.values() {
                    tags.forget(flow.record["Arn"].as_str().unwrap_or_default());
                }
            }
            connect.phone_numbers.retain(|_, n| n["TargetArn"] != arn.as_str());
            connect.lifecycle.push((ctx.account_id.to_owned(), ctx.region.to_owned(), ctx.now));
            tags.forget(&arn);
            Ok(json!({}))
        }
        "UpdateInstanceAttribute" => {
            let instance = connect.active_instance(ctx, &instance_id)?;
            let value = text(input, "Value");
            if value != "true" && value != "false" {
                return Err(invalid_parameter(format!("Value must be true or false, not {value:?}")));
            }
            instance.attributes.insert(text(input, "AttributeType"), value);
            Ok(json!({}))
        }
        "DescribeInstanceAttribute" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let kind = text(input, "AttributeType");
            let value = instance.attributes.get(&kind).cloned().unwrap_or_else(|| "false".to_owned());
            Ok(json!({ "Attribute": { "AttributeType": kind, "Value": value } }))
        }
        "ListInstanceAttributes" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let items = instance.attributes.iter().map(|(k, v)| json!({ "AttributeType": k, "Value": v })).collect();
            page(items, input["MaxResults"].as_u64(), 7, input["NextToken"].as_str(), "Attributes", "NextToken", || {
                invalid_parameter("Invalid NextToken")
            })
        }
        "CreateIntegrationAssociation" => {
            let instance = connect.active_instance(ctx, &instance_id)?;
            let kind = text(input, "IntegrationType");
            let integration_arn = text(input, "IntegrationArn");
            if instance.associations.values().any(|a| a["IntegrationArn"] == integration_arn.as_str()) {
                return Err(duplicate(format!("{integration_arn} is already associated with this instance")));
            }
            let arn_place = format!(":{}:{}:", ctx.region, ctx.account_id);
            match kind.as_str() {
                "Q_MESSAGE_TEMPLATES" | "WISDOM_KNOWLEDGE_BASE" | "WISDOM_QUICK_RESPONSES" => {
                    let Some(kb) = qconnect.knowledge_base_by_arn(&integration_arn) else {
                        return Err(not_found(format!("Knowledge base not found: {integration_arn}")));
                    };
                    if kind == "Q_MESSAGE_TEMPLATES" && kb["knowledgeBaseType"] != "MESSAGE_TEMPLATES" {
                        return Err(invalid_request(format!(
                            "{integration_arn} is a {} knowledge base, not MESSAGE_TEMPLATES",
                            kb["knowledgeBaseType"].as_str().unwrap_or("?")
                        )));
                    }
                    if instance.associations.values().any(|a| a["IntegrationType"] == kind.as_str()) {
                        return Err(quota(format!(
                            "An instance can have one {kind} integration association (quota L-D55E707F)"
                        )));
                    }
                }
                "SES_IDENTITY" => {
                    if !integration_arn.contains(&arn_place) {
                        return Err(invalid_request(
                            "The SES identity must be in the same account and Region as the instance",
                        ));
                    }
                    let identity = integration_arn.rsplit('/').next().unwrap_or_default();
                    if !ses.identity_exists(ctx.account_id, ctx.region, identity) {
                        return Err(not_found(format!("Email identity not found: {identity}")));
                    }
                }
                "PINPOINT_APP" if instance.associations.values().any(|a| a["IntegrationType"] == "PINPOINT_APP") => {
                    return Err(quota("An instance can have one PINPOINT_APP integration association"));
                }
                _ => {}
            }
            let id = new_id();
            let arn = format!("{}/integration-association/{id}", instance.arn());
            let mut record = json!({
                "IntegrationAssociationId": id,
                "IntegrationAssociationArn": arn,
                "InstanceId": instance.record["Id"],
                "IntegrationType": kind,
                "IntegrationArn": integration_arn,
                "LastModifiedTime": ctx.epoch(),
                "LastModifiedRegion": ctx.region,
            });
            for member in ["SourceApplicationUrl", "SourceApplicationName", "SourceType"] {
                if let Some(value) = input.get(member) {
                    record[member] = value.clone();
                }
            }
            instance.associations.insert(id.clone(), record);
            tags.set(&arn, input.get("Tags"));
            Ok(json!({ "IntegrationAssociationId": id, "IntegrationAssociationArn": arn }))
        }
        "ListIntegrationAssociations" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let items = instance
                .associations
                .values()
                .filter(|a| input["IntegrationType"].as_str().is_none_or(|t| a["IntegrationType"] == t))
                .filter(|a| input["IntegrationArn"].as_str().is_none_or(|t| a["IntegrationArn"] == t))
                .cloned()
                .collect();
            list(items, input, 100, "IntegrationAssociationSummaryList")
        }
        "DeleteIntegrationAssociation" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let id = text(input, "IntegrationAssociationId");
            let removed = instance
                .associations
                .remove(&id)
                .ok_or_else(|| not_found(format!("Integration association not found: {id}")))?;
            tags.forget(removed["IntegrationAssociationArn"].as_str().unwrap_or_default());
            Ok(json!({}))
        }
        "CreateContactFlow" => {
            let instance = connect.active_instance(ctx, &instance_id)?;
            let name = text(input, "Name");
            if instance.flows.values().any(|f| f.record["Name"] == name.as_str()) {
                return Err(duplicate(format!("A flow named {name} already exists")));
            }
            let status = input["Status"].as_str().unwrap_or("PUBLISHED").to_owned();
            let content = flow_content(input, &status)?;
            let id = new_id();
            let arn = format!("{}/contact-flow/{id}", instance.arn());
            let sha = sha256(&content);
            let mut record = json!({
                "Arn": arn,
                "Id": id,
                "Name": name,
                "Type": input["Type"],
                "State": "ACTIVE",
                "Status": status,
                "Content": content,
                "FlowContentSha256": sha,
                "LastModifiedTime": ctx.epoch(),
                "LastModifiedRegion": ctx.region,
            });
            if let Some(description) = input.get("Description") {
                record["Description"] = description.clone();
            }
            instance.flows.insert(id.clone(), Flow { record, versions: Vec::new(), aliases: BTreeMap::new() });
            tags.set(&arn, input.get("Tags"));
            Ok(json!({ "ContactFlowId": id, "ContactFlowArn": arn, "FlowContentSha256": sha }))
        }
        "DescribeContactFlow" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let (flow, version) = find_flow(instance, &text(input, "ContactFlowId"))?;
            let mut record = flow.record.clone();
            if let Some((number, content, description, _)) = version {
                record["Version"] = json!(number);
                record["Content"] = json!(content);
                record["FlowContentSha256"] = json!(sha256(&content));
                record["VersionDescription"] = json!(description);
            }
            record["Tags"] = tags.get(flow.record["Arn"].as_str().unwrap_or_default());
            Ok(json!({ "ContactFlow": record }))
        }
        "ListContactFlows" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let types: Vec<&str> =
                input["ContactFlowTypes"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            let items = instance
                .flows
                .values()
                .filter(|f| types.is_empty() || types.iter().any(|t| f.record["Type"] == *t))
                .map(|f| {
                    json!({
                        "Id": f.record["Id"], "Arn": f.record["Arn"], "Name": f.record["Name"],
                        "ContactFlowType": f.record["Type"], "ContactFlowState": f.record["State"],
                        "ContactFlowStatus": f.record["Status"],
                    })
                })
                .collect();
            list(items, input, 100, "ContactFlowSummaryList")
        }
        "UpdateContactFlowContent" => {
            // `id:$SAVED` saves a draft (not validated); the bare id publishes (validated).
            let reference = text(input, "ContactFlowId");
            let publish = !reference.ends_with(":$SAVED");
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let flow = flow_mut(instance, &reference)?;
            let content = flow_content(input, if publish { "PUBLISHED" } else { "SAVED" })?;
            flow.record["FlowContentSha256"] = json!(sha256(&content));
            flow.record["Content"] = json!(content);
            flow.record["LastModifiedTime"] = json!(ctx.epoch());
            if publish {
                flow.record["Status"] = json!("PUBLISHED");
            }
            Ok(json!({}))
        }
        "UpdateContactFlowMetadata" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let id = text(input, "ContactFlowId");
            if let Some(name) = input["Name"].as_str()
                && instance.flows.values().any(|f| f.record["Name"] == name && f.record["Id"] != id.as_str())
            {
                return Err(duplicate(format!("A flow named {name} already exists")));
            }
            let flow = flow_mut(instance, &id)?;
            for (member, field) in [("Name", "Name"), ("Description", "Description"), ("ContactFlowState", "State")] {
                if let Some(value) = input.get(member) {
                    flow.record[field] = value.clone();
                }
            }
            Ok(json!({}))
        }
        "DeleteContactFlow" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let id = text(input, "ContactFlowId");
            let flow = instance.flows.remove(&id).ok_or_else(|| not_found(format!("Flow not found: {id}")))?;
            tags.forget(flow.record["Arn"].as_str().unwrap_or_default());
            Ok(json!({}))
        }
        "CreateContactFlowVersion" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let flow = flow_mut(instance, &text(input, "ContactFlowId"))?;
            let content = flow.record["Content"].as_str().unwrap_or_default().to_owned();
            if let Some(expected) = input["FlowContentSha256"].as_str()
                && expected != sha256(&content)
            {
                return Err(invalid_request("FlowContentSha256 does not match the flow's current content"));
            }
            if let Some((number, last, _, _)) = flow.versions.last()
                && *last == content
            {
                return Ok(
                    json!({ "ContactFlowArn": format!("{}:{number}", flow.record["Arn"].as_str().unwrap_or_default()), "Version": number }),
                );
            }
            let number = flow.versions.last().map(|v| v.0 + 1).unwrap_or(1);
            flow.versions.push((number, content, text(input, "Description"), ctx.epoch()));
            Ok(
                json!({ "ContactFlowArn": format!("{}:{number}", flow.record["Arn"].as_str().unwrap_or_default()), "Version": number }),
            )
        }
        "ListContactFlowVersions" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let flow = flow_mut(instance, &text(input, "ContactFlowId"))?;
            let arn = flow.record["Arn"].as_str().unwrap_or_default().to_owned();
            let items = flow
                .versions
                .iter()
                .map(|(n, _, description, at)| {
                    json!({ "Arn": format!("{arn}:{n}"), "Version": n, "VersionDescription": description,
                            "LastModifiedTime": at, "LastModifiedRegion": ctx.region })
                })
                .collect();
            list(items, input, 100, "ContactFlowVersionSummaryList")
        }
        "CreateContactFlowAlias" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let flow = flow_mut(instance, &text(input, "ContactFlowId"))?;
            let alias = text(input, "AliasName");
            let version = input["ContactFlowVersion"].as_i64().unwrap_or(0);
            if !flow.versions.iter().any(|v| v.0 == version) {
                return Err(not_found(format!("Flow version {version} not found")));
            }
            if flow.aliases.contains_key(&alias) {
                return Err(duplicate(format!("An alias named {alias} already exists")));
            }
            let id = new_id();
            flow.aliases.insert(alias.clone(), (id.clone(), version));
            Ok(
                json!({ "Id": id, "ContactFlowArn": format!("{}:{alias}", flow.record["Arn"].as_str().unwrap_or_default()) }),
            )
        }
        "ImportPhoneNumber" => {
            let instance = connect.active_instance(ctx, &instance_id)?;
            let target = instance.arn().to_owned();
            let instance_id = instance.record["Id"].as_str().unwrap_or_default().to_owned();
            let source = text(input, "SourcePhoneNumberArn");
            let prefix = format!("arn:aws:sms-voice:{}:{}:phone-number/", ctx.region, ctx.account_id);
            let Some(number_id) = source.strip_prefix(&prefix) else {
                return Err(invalid_parameter(format!(
                    "SourcePhoneNumberArn must be an End User Messaging phone number in {} of account {}",
                    ctx.region, ctx.account_id
                )));
            };
            let number = sms
                .region(ctx.account_id, ctx.region)
                .phone_numbers
                .get(number_id)
                .cloned()
                .ok_or_else(|| not_found(format!("Phone number not found: {source}")))?;
            if number["Status"] != "ACTIVE" {
                return Err(invalid_parameter(format!(
                    "The phone number is {}, not ACTIVE",
                    number["Status"].as_str().unwrap_or("?")
                )));
            }
            let e164 = number["PhoneNumber"].as_str().unwrap_or_default().to_owned();
            if connect.phone_numbers.values().any(|n| n["SourcePhoneNumberArn"] == source.as_str()) {
                return Err(error(409, "ResourceConflictException", format!("{e164} is already imported")));
            }
            if let Some(until) = connect.released.get(&e164)
                && *until > ctx.now
            {
                return Err(invalid_parameter(format!("{e164} was released and is in its cooldown until {until}")));
            }
            let id = new_id();
            let arn = ctx.arn(SIGNING_NAME, &format!("phone-number/{id}"));
            let kind = if number["NumberType"] == "TOLL_FREE" { "TOLL_FREE" } else { "DID" };
            let mut record = json!({
                "PhoneNumberId": id,
                "PhoneNumberArn": arn,
                "PhoneNumber": e164,
                "PhoneNumberCountryCode": number["IsoCountryCode"],
                "PhoneNumberType": kind,
                "TargetArn": target,
                "InstanceId": instance_id,
                "SourcePhoneNumberArn": source,
                "PhoneNumberStatus": { "Status": "CLAIMED" },
            });
            if let Some(description) = input.get("PhoneNumberDescription") {
                record["PhoneNumberDescription"] = description.clone();
            }
            connect.phone_numbers.insert(id.clone(), record);
            tags.set(&arn, input.get("Tags"));
            Ok(json!({ "PhoneNumberId": id, "PhoneNumberArn": arn }))
        }
        "DescribePhoneNumber" => {
            let id = text(input, "PhoneNumberId");
            let mut record = connect
                .phone_numbers
                .get(&id)
                .cloned()
                .ok_or_else(|| not_found(format!("Phone number not found: {id}")))?;
            record["Tags"] = tags.get(record["PhoneNumberArn"].as_str().unwrap_or_default());
            Ok(json!({ "ClaimedPhoneNumberSummary": record }))
        }
        "ListPhoneNumbersV2" => {
            let target = input["TargetArn"].as_str().map(str::to_owned).or_else(|| {
                input["InstanceId"]
                    .as_str()
                    .and_then(|id| connect.instance_mut(ctx, id).ok().map(|i| i.arn().to_owned()))
            });
            let arn_place = format!(":{}:{}:", ctx.region, ctx.account_id);
            let items = connect
                .phone_numbers
                .values()
                .filter(|n| n["PhoneNumberArn"].as_str().is_some_and(|a| a.contains(&arn_place)))
                .filter(|n| target.as_deref().is_none_or(|t| n["TargetArn"] == t))
                .map(|n| {
                    let mut summary = n.clone();
                    if let Some(object) = summary.as_object_mut() {
                        object.remove("PhoneNumberStatus");
                    }
                    summary
                })
                .collect();
            list(items, input, 100, "ListPhoneNumbersSummaryList")
        }
        "ReleasePhoneNumber" => {
            let id = text(input, "PhoneNumberId");
            let record =
                connect.phone_numbers.remove(&id).ok_or_else(|| not_found(format!("Phone number not found: {id}")))?;
            let until = ctx.now.checked_add(RELEASE_COOLDOWN).unwrap_or(ctx.now);
            connect.released.insert(record["PhoneNumber"].as_str().unwrap_or_default().to_owned(), until);
            tags.forget(record["PhoneNumberArn"].as_str().unwrap_or_default());
            Ok(json!({}))
        }
        "CreateEmailAddress" => {
            let instance = connect.active_instance(ctx, &instance_id)?;
            let address = text(input, "EmailAddress");
            let Some((_, domain)) = address.split_once('@') else {
                return Err(invalid_parameter(format!("{address:?} is not an email address")));
            };
            let integrated = domain.ends_with(".email.connect.aws")
                || instance.associations.values().any(|a| {
                    a["IntegrationType"] == "SES_IDENTITY"
                        && a["IntegrationArn"].as_str().is_some_and(|arn| arn.ends_with(&format!("/{domain}")))
                });
            if !integrated {
                return Err(invalid_request(format!(
                    "The domain {domain} is not integrated with this instance (an SES_IDENTITY integration association for a verified domain)"
                )));
            }
            if !domain.ends_with(".email.connect.aws") && !ses.identity_verified(ctx.account_id, ctx.region, domain) {
                return Err(invalid_request(format!("The SES identity {domain} is not verified")));
            }
            if instance.email_addresses.values().any(|e| e["EmailAddress"] == address.as_str()) {
                return Err(duplicate(format!("{address} already exists")));
            }
            let id = new_id();
            let arn = format!("{}/email-address/{id}", instance.arn());
            let stamp = ctx.now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            let mut record = json!({
                "EmailAddressId": id, "EmailAddressArn": arn, "EmailAddress": address,
                "CreateTimestamp": stamp, "ModifiedTimestamp": stamp,
            });
            for member in ["Description", "DisplayName"] {
                if let Some(value) = input.get(member) {
                    record[member] = value.clone();
                }
            }
            instance.email_addresses.insert(id.clone(), record);
            tags.set(&arn, input.get("Tags"));
            Ok(json!({ "EmailAddressId": id, "EmailAddressArn": arn }))
        }
        "DescribeEmailAddress" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let id = text(input, "EmailAddressId");
            let mut record = instance
                .email_addresses
                .get(&id)
                .cloned()
                .ok_or_else(|| not_found(format!("Email address not found: {id}")))?;
            record["Tags"] = tags.get(record["EmailAddressArn"].as_str().unwrap_or_default());
            Ok(record)
        }
        "SearchEmailAddresses" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let criteria = &input["SearchCriteria"];
            let items: Vec<Value> = instance
                .email_addresses
                .values()
                .filter(|record| matches_criteria(record, criteria))
                .map(|record| {
                    let mut item = json!({});
                    for member in ["EmailAddressId", "EmailAddressArn", "EmailAddress", "Description", "DisplayName"] {
                        if let Some(value) = record.get(member) {
                            item[member] = value.clone();
                        }
                    }
                    item
                })
                .collect();
            let total = items.len();
            let mut answer = list(items, input, 100, "EmailAddresses")?;
            answer["ApproximateTotalCount"] = json!(total);
            Ok(answer)
        }
        "DeleteEmailAddress" => {
            let instance = connect.instance_mut(ctx, &instance_id)?;
            let id = text(input, "EmailAddressId");
            let removed = instance
                .email_addresses
                .remove(&id)
                .ok_or_else(|| not_found(format!("Email address not found: {id}")))?;
            tags.forget(removed["EmailAddressArn"].as_str().unwrap_or_default());
            Ok(json!({}))
        }
        other => Err(error(
            501,
            "NotImplementedException",
            format!("the Pinshift sandbox does not implement Connect {other} yet"),
        )),
    }
}

/// Search criteria as Connect's search APIs take them: a `StringCondition` (EXACT, CONTAINS or STARTS_WITH
/// on a field, named as the record's member in any case or with underscores: `email_address`), or
/// `AndConditions` / `OrConditions` of criteria. No criteria match everything.
fn matches_criteria(record: &Value, criteria: &Value) -> bool {
    if let Some(all) = criteria["AndConditions"].as_array() {
        return all.iter().all(|c| matches_criteria(record, c));
    }
    if let Some(any) = criteria["OrConditions"].as_array() {
        return any.iter().any(|c| matches_criteria(record, c));
    }
    let condition = &criteria["StringCondition"];
    let Some(field) = condition["FieldName"].as_str() else { return true };
    let wanted = field.replace('_', "").to_ascii_lowercase();
    let have = record
        .as_object()
        .into_iter()
        .flatten()
        .find(|(k, _)| k.to_ascii_lowercase() == wanted)
        .and_then(|(_, v)| v.as_str())
        .unwrap_or_default();
    let value = condition["Value"].as_str().unwrap_or_default();
    match condition["ComparisonType"].as_str().unwrap_or("EXACT") {
        "CONTAINS" => have.contains(value),
        "STARTS_WITH" => have.starts_with(value),
        _ => have == value,
    }
}

type Version = (i64, String, String, f64);

/// A flow by id, or `id:version` / `id:alias` / `id:$SAVED` as DescribeContactFlow accepts.
fn find_flow<'a>(instance: &'a Instance, reference: &str) -> Result<(&'a Flow, Option<Version>), ServiceError> {
    let (id, qualifier) = match reference.split_once(':') {
        Some((id, q)) if !reference.starts_with("arn:") => (id, Some(q)),
        _ => (reference.rsplit('/').next().unwrap_or(reference), None),
    };
    let flow = instance.flows.get(id).ok_or_else(|| not_found(format!("Flow not found: {id}")))?;
    let version = match qualifier {
        None | Some("$SAVED") | Some("$LATEST") => None,
        Some(q) => {
            let number = q.parse::<i64>().ok().or_else(|| flow.aliases.get(q).map(|(_, v)| *v));
            let found = number.and_then(|n| flow.versions.iter().find(|v| v.0 == n)).cloned();
            Some(found.ok_or_else(|| not_found(format!("Flow version or alias not found: {q}")))?)
        }
    };
    if qualifier.is_none() && flow.record["Status"] == "SAVED" {
        return Err(error(
            404,
            "ContactFlowNotPublishedException",
            format!("Flow {id} is not published; describe it as {id}:$SAVED"),
        ));
    }
    Ok((flow, version))
}

fn flow_mut<'a>(instance: &'a mut Instance, id: &str) -> Result<&'a mut Flow, ServiceError> {
    let id = id.split(':').next().unwrap_or(id);
    instance.flows.get_mut(id).ok_or_else(|| not_found(format!("Flow not found: {id}")))
}

#[cfg(test)]
mod tests {
    use super::flow_problems;

    #[test]
    fn flow_language_is_checked_for_published_flows() {
        let good = r#"{"Version":"2019-10-30","StartAction":"a","Actions":[
            {"Identifier":"a","Type":"MessageParticipant","Parameters":{},"Transitions":{"NextAction":"b"}},
            {"Identifier":"b","Type":"EndFlowExecution","Parameters":{},"Transitions":{}}]}"#;
        assert!(flow_problems(good).is_empty(), "{:?}", flow_problems(good));
        let dangling = good.replace(r#""NextAction":"b""#, r#""NextAction":"c""#);
        assert!(flow_problems(&dangling).iter().any(|p| p.contains("transitions to c")));
        assert!(!flow_problems("not json").is_empty());
        assert!(flow_problems(r#"{"Version":"x","Actions":[]}"#).len() >= 2);
    }
}
