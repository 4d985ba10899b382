//! Amazon Connect Outbound Campaigns v2 (restJson1, signing name `connect-campaigns`): instance onboarding
//! (asynchronous, by the sandbox clock), the instance's Customer Profiles, Q in Connect and Lambda
//! integrations, instance communication limits, and campaigns (MANAGED and JOURNEY; email, SMS and
//! telephony subtypes; sources from segment definitions or event triggers; schedules, communication time
//! and limits) with their lifecycle: Initialized → Running ⇄ Paused → Stopped.
//!
//! What a campaign refers to must exist: the instance (onboarded), the segment definition or profiles
//! domain, the Q in Connect template, the instance's phone number or email address, and the flow — which
//! must be published before the campaign can start. `CreateCampaign` is idempotent as the model marks it:
//! the same request again answers the campaign it created.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::rest::{Ctx, RestService, error, new_id, page, text};
use crate::model::{Call, ServiceModel};
use crate::state::World;
use crate::wire::{Protocol, RestStyle, ServiceError};

pub const SIGNING_NAME: &str = "connect-campaigns";
pub const PROTOCOL: Protocol = Protocol::RestJson(&RestStyle {
    message_key: "message",
    request_id_in_body: false,
    denied: "AccessDeniedException",
    throttled: ("ThrottlingException", 429),
    server_error: "InternalServerException",
});

pub static SERVICE: RestService =
    RestService { signing_name: SIGNING_NAME, iam_prefix: "connect-campaigns", protocol: PROTOCOL, model, handle };

/// How long instance onboarding runs.
pub const ONBOARDING: SignedDuration = SignedDuration::from_secs(30);

pub fn model() -> &'static ServiceModel {
    static MODEL: OnceLock<ServiceModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        ServiceModel::parse(include_str!("../../models/connectcampaignsv2-2024-04-23.json"))
            .expect("the embedded Outbound Campaigns v2 model is valid JSON")
    })
}

#[derive(Debug, Clone)]
pub struct InstanceConfig {
    pub encryption: Value,
    pub onboarded_at: Timestamp,
    /// Integration kind (`customerProfiles`, `qConnect`, `lambda`) → its configuration.
    pub integrations: BTreeMap<String, Value>,
    pub limits: Option<Value>,
}

#[derive(Debug, Clone)]
pub struct Campaign {
    pub account_id: String,
    pub region: String,
    /// The `Campaign` shape without `tags`.
    pub record: Value,
    pub state: &'static str,
    /// The create request, for idempotent repeats.
    request: Value,
}

#[derive(Debug, Default, Clone)]
pub struct CampaignsState {
    /// Connect instance id → its campaigns configuration.
    pub instances: BTreeMap<String, InstanceConfig>,
    pub campaigns: BTreeMap<String, Campaign>,
}

fn not_found(message: impl Into<String>) -> ServiceError {
    error(404, "ResourceNotFoundException", message).with("xAmzErrorType", "ResourceNotFoundException")
}

fn validation(message: impl Into<String>) -> ServiceError {
    error(400, "ValidationException", message)
}

fn invalid_state(state: &str, message: impl Into<String>) -> ServiceError {
    error(409, "InvalidCampaignStateException", message).with("state", state)
}

fn instance_id(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// Checks what a campaign's configuration refers to.
fn check_references(world: &World, ctx: &Ctx<'_>, instance: &str, input: &Value) -> Result<(), ServiceError> {
    let Some(connect_instance) = world.connect.instances.get(instance) else {
        return Err(not_found(format!("Connect instance {instance} not found")));
    };
    if let Some(arn) = input["source"]["customerProfilesSegmentArn"].as_str()
        && !world.profiles.segment_exists(arn)
    {
        return Err(not_found(format!("Segment definition {arn} not found")));
    }
    if let Some(arn) = input["source"]["eventTrigger"]["customerProfilesDomainArn"].as_str()
        && world.profiles.domain_by_arn(arn).is_none()
    {
        return Err(not_found(format!("Customer Profiles domain {arn} not found")));
    }
    if let Some(arn) = input["connectCampaignFlowArn"].as_str() {
        let id = arn.rsplit('/').next().unwrap_or_default();
        if !connect_instance.flows.contains_key(id) {
            return Err(not_found(format!("Flow {arn} not found in instance {instance}")));
        }
    }
    for subtype in ["sms", "email", "telephony", "whatsApp"] {
        let config = &input["channelSubtypeConfig"][subtype]["defaultOutboundConfig"];
        if let Some(arn) = config["wisdomTemplateArn"].as_str() {
            let bare = arn.split(':').take(6).collect::<Vec<_>>().join(":");
            let template_id = bare.rsplit('/').next().unwrap_or_default();
            let exists = world
                .qconnect
                .knowledge_bases
                .values()
                .any(|kb| kb.account_id == ctx.account_id && kb.templates.contains_key(template_id));
            if !exists {
                return Err(not_found(format!("Message template {arn} not found")));
            }
        }
        if let Some(arn) = config["connectSourcePhoneNumberArn"].as_str() {
            let id = arn.rsplit('/').next().unwrap_or_default();
            let claimed = world.connect.phone_numbers.get(id).is_some_and(|n| n["InstanceId"] == instance);
            if !claimed {
                return Err(not_found(format!("Phone number {arn} is not claimed by instance {instance}")));
            }
        }
        if let Some(address) = config["connectSourceEmailAddress"].as_str()
            && !connect_instance.email_addresses.values().any(|e| e["EmailAddress"] == address)
        {
            return Err(not_found(format!("Email address {address} is not an address of instance {instance}")));
        }
    }
    Ok(())
}

fn subtypes(record: &Value) -> Vec<&'static str> {
    [("telephony", "TELEPHONY"), ("sms", "SMS"), ("email", "EMAIL"), ("whatsApp", "WHATSAPP")]
        .into_iter()
        .filter(|(key, _)| record["channelSubtypeConfig"].get(*key).is_some())
        .map(|(_, name)| name)
        .collect()
}

fn handle(world: &mut World, ctx: &Ctx<'_>, call: &Call) -> Result<Value, ServiceError> {
    let input = &call.input;
    if let Some(answer) =
        world.tags.handle(&call.operation, input, &|arn| not_found(format!("Resource not found: {arn}")))
    {
        return answer;
    }
    let instance = instance_id(input["connectInstanceId"].as_str().unwrap_or_default()).to_owned();
    let onboarded = |world: &World| -> Result<(), ServiceError> {
        match world.campaigns.instances.get(&instance) {
            Some(config) if config.onboarded_at <= ctx.now => Ok(()),
            Some(_) => Err(error(
                409,
                "InvalidStateException",
                format!("Onboarding of instance {instance} is still in progress"),
            )),
            None => Err(not_found(format!(
                "Instance {instance} is not onboarded to Outbound Campaigns (StartInstanceOnboardingJob)"
            ))),
        }
    };
    match call.operation.as_str() {
        "StartInstanceOnboardingJob" => {
            if !world.connect.has_active_instance(ctx, &instance) {
                return Err(not_found(format!("Connect instance {instance} not found")));
            }
            let config = world.campaigns.instances.entry(instance.clone()).or_insert_with(|| InstanceConfig {
                encryption: input["encryptionConfig"].clone(),
                onboarded_at: ctx.now.checked_add(ONBOARDING).unwrap_or(ctx.now),
                integrations: BTreeMap::new(),
                limits: None,
            });
            let status = if config.onboarded_at <= ctx.now { "SUCCEEDED" } else { "IN_PROGRESS" };
            Ok(json!({ "connectInstanceOnboardingJobStatus": { "connectInstanceId": instance, "status": status } }))
        }
        "GetInstanceOnboardingJobStatus" => {
            let config = world
                .campaigns
                .instances
                .get(&instance)
                .ok_or_else(|| not_found(format!("No onboarding job for instance {instance}")))?;
            let status = if config.onboarded_at <= ctx.now { "SUCCEEDED" } else { "IN_PROGRESS" };
            Ok(json!({ "connectInstanceOnboardingJobStatus": { "connectInstanceId": instance, "status": status } }))
        }
        "GetConnectInstanceConfig" => {
            let config = world
                .campaigns
                .instances
                .get(&instance)
                .ok_or_else(|| not_found(format!("Instance {instance} is not onboarded")))?;
            Ok(json!({ "connectInstanceConfig": {
                "connectInstanceId": instance,
                "serviceLinkedRoleArn": format!("arn:aws:iam::{}:role/aws-service-role/connect-campaigns.amazonaws.com/AWSServiceRoleForConnectCampaigns", ctx.account_id),
                "encryptionConfig": config.encryption,
            }}))
        }
        "PutConnectInstanceIntegration" => {
            onboarded(world)?;
            let config = &input["integrationConfig"];
            let (kind, value) = config
                .as_object()
                .and_then(|o| o.iter().next())
                .ok_or_else(|| validation("integrationConfig needs one member"))?;
            match kind.as_str() {
                "customerProfiles" => {
                    let arn = value["domainArn"].as_str().unwrap_or_default();
                    let domain = world
                        .profiles
                        .domain_by_arn(arn)
                        .ok_or_else(|| not_found(format!("Domain {arn} not found")))?;
                    for name in
                        value["objectTypeNames"].as_object().into_iter().flatten().filter_map(|(_, v)| v.as_str())
                    {
                        if !domain.object_types.contains_key(name) {
                            return Err(validation(format!("Object type {name} does not exist in {arn}")));
                        }
                    }
                }
                "qConnect" => {
                    let arn = value["knowledgeBaseArn"].as_str().unwrap_or_default();
                    if world.qconnect.knowledge_base_by_arn(arn).is_none() {
                        return Err(not_found(format!("Knowledge base {arn} not found")));
                    }
                }
                _ => {}
            }
            if let Some(config) = world.campaigns.instances.get_mut(&instance) {
                config.integrations.insert(kind.clone(), value.clone());
            }
            Ok(json!({}))
        }
        "DeleteConnectInstanceIntegration" => {
            let identifier = &input["integrationIdentifier"];
            let kind = identifier
                .as_object()
                .and_then(|o| o.keys().next().cloned())
                .ok_or_else(|| validation("integrationIdentifier needs one member"))?;
            let config = world
                .campaigns
                .instances
                .get_mut(&instance)
                .ok_or_else(|| not_found(format!("Instance {instance} is not onboarded")))?;
            config
                .integrations
                .remove(&kind)
                .ok_or_else(|| not_found(format!("Instance {instance} has no {kind} integration")))?;
            Ok(json!({}))
        }
        "DeleteInstanceOnboardingJob" => {
            let config = world
                .campaigns
                .instances
                .get(&instance)
                .ok_or_else(|| not_found(format!("No onboarding job for instance {instance}")))?;
            if config.onboarded_at <= ctx.now {
                return Err(error(
                    409,
                    "InvalidStateException",
                    "Only an onboarding job in progress can be deleted; delete the instance config instead",
                ));
            }
            world.campaigns.instances.remove(&instance);
            Ok(json!({}))
        }
        "DeleteConnectInstanceConfig" => {
            world
                .campaigns
                .instances
                .get(&instance)
                .ok_or_else(|| not_found(format!("Instance {instance} is not onboarded")))?;
            let campaigns: Vec<&Campaign> = world
                .campaigns
                .campaigns
                .values()
                .filter(|c| c.record["connectInstanceId"] == instance.as_str())
                .collect();
            match input["campaignDeletionPolicy"].as_str().unwrap_or("RETAIN_ALL") {
                "DELETE_ALL" => {
                    let arns: Vec<String> =
                        campaigns.iter().filter_map(|c| c.record["arn"].as_str().map(str::to_owned)).collect();
                    world.campaigns.campaigns.retain(|_, c| c.record["connectInstanceId"] != instance.as_str());
                    for arn in arns {
                        world.tags.forget(&arn);
                    }
                }
                _ if !campaigns.is_empty() => {
                    return Err(error(
                        409,
                        "InvalidStateException",
                        format!(
                            "Instance {instance} still has {} campaign(s); delete them or use DELETE_ALL",
                            campaigns.len()
                        ),
                    ));
                }
                _ => {}
            }
            world.campaigns.instances.remove(&instance);
            Ok(json!({}))
        }
        op @ ("DeleteCampaignChannelSubtypeConfig"
        | "DeleteCampaignCommunicationLimits"
        | "DeleteCampaignCommunicationTime"
        | "DeleteCampaignEntryLimits") => {
            let id = text(input, "id");
            let state = find(world, ctx, &id)?.state;
            if state == "Running" {
                return Err(invalid_state(state, format!("{op} is not allowed while the campaign is Running")));
            }
            let Some(campaign) = world.campaigns.campaigns.get_mut(&id) else {
                return Err(not_found(format!("Campaign {id} not found")));
            };
            match op {
                "DeleteCampaignChannelSubtypeConfig" => {
                    let subtype = match input["channelSubtype"].as_str().unwrap_or_default() {
                        "TELEPHONY" => "telephony",
                        "SMS" => "sms",
                        "EMAIL" => "email",
                        _ => "whatsApp",
                    };
                    if let Some(config) = campaign.record["channelSubtypeConfig"].as_object_mut() {
                        config.remove(subtype);
                    }
                }
                other => {
                    let member = match other {
                        "DeleteCampaignCommunicationLimits" => "communicationLimitsOverride",
                        "DeleteCampaignCommunicationTime" => "communicationTimeConfig",
                        _ => "entryLimitsConfig",
                    };
                    if let Some(record) = campaign.record.as_object_mut() {
                        record.remove(member);
                    }
                }
            }
            campaign.record["lastModifiedTime"] = json!(ctx.iso());
            Ok(json!({}))
        }
        "ListConnectInstanceIntegrations" => {
            let config = world
                .campaigns
                .instances
                .get(&instance)
                .ok_or_else(|| not_found(format!("Instance {instance} is not onboarded")))?;
            let items = config.integrations.iter().map(|(k, v)| json!({ k.clone(): v })).collect();
            page(
                items,
                input["maxResults"].as_u64(),
                10,
                input["nextToken"].as_str(),
                "integrationSummaryList",
                "nextToken",
                || validation("Invalid nextToken"),
            )
        }
        "PutInstanceCommunicationLimits" => {
            onboarded(world)?;
            let limits = &input["communicationLimitsConfig"];
            let list = limits["allChannelSubtypes"]["communicationLimitsList"].as_array().cloned().unwrap_or_default();
            if list.len() > 2 {
                return Err(validation("communicationLimitsList holds at most 2 limits"));
            }
            for limit in &list {
                let frequency = limit["frequency"].as_i64().unwrap_or(0);
                if !(1..=30).contains(&frequency) || limit["maxCountPerRecipient"].as_i64().unwrap_or(0) < 1 {
                    return Err(validation(
                        "Each limit needs maxCountPerRecipient ≥ 1 and frequency between 1 and 30 days",
                    ));
                }
            }
            if let Some(config) = world.campaigns.instances.get_mut(&instance) {
                config.limits = Some(limits.clone());
            }
            Ok(json!({}))
        }
        "GetInstanceCommunicationLimits" => {
            let config = world
                .campaigns
                .instances
                .get(&instance)
                .ok_or_else(|| not_found(format!("Instance {instance} is not onboarded")))?;
            Ok(json!({ "communicationLimitsConfig": config.limits.clone().unwrap_or_else(|| json!({})) }))
        }
        "CreateCampaign" => {
            onboarded(world)?;
            if let Some(existing) =
                world.campaigns.campaigns.values().find(|c| c.request == *input && c.account_id == ctx.account_id)
            {
                let arn = existing.record["arn"].as_str().unwrap_or_default().to_owned();
                return Ok(json!({ "id": existing.record["id"], "arn": arn, "tags": world.tags.get(&arn) }));
            }
            if let Some(schedule) = input.get("schedule")
                && schedule["startTime"].as_str() >= schedule["endTime"].as_str()
            {
                return Err(validation("schedule.startTime must be before schedule.endTime"));
            }
            check_references(world, ctx, &instance, input)?;
            let id = new_id();
            let arn = ctx.arn(SIGNING_NAME, &format!("campaign/{id}"));
            let mut record = json!({ "id": id, "arn": arn, "name": input["name"], "connectInstanceId": instance,
                                     "lastModifiedTime": ctx.iso() });
            for member in [
                "channelSubtypeConfig",
                "type",
                "source",
                "connectCampaignFlowArn",
                "schedule",
                "entryLimitsConfig",
                "communicationTimeConfig",
                "communicationLimitsOverride",
            ] {
                if let Some(value) = input.get(member) {
                    record[member] = value.clone();
                }
            }
            world.tags.set(&arn, input.get("tags"));
            world.campaigns.campaigns.insert(
                id.clone(),
                Campaign {
                    account_id: ctx.account_id.to_owned(),
                    region: ctx.region.to_owned(),
                    record,
                    state: "Initialized",
                    request: input.clone(),
                },
            );
            Ok(json!({ "id": id, "arn": arn, "tags": world.tags.get(&arn) }))
        }
        "DescribeCampaign" => {
            let id = text(input, "id");
            let campaign = find(world, ctx, &id)?;
            let mut record = campaign.record.clone();
            record["tags"] = world.tags.get(record["arn"].as_str().unwrap_or_default());
            Ok(json!({ "campaign": record }))
        }
        "ListCampaigns" => {
            let filter = input["filters"]["instanceIdFilter"]["value"].as_str().map(instance_id);
            let items = world
                .campaigns
                .campaigns
                .values()
                .filter(|c| c.account_id == ctx.account_id && c.region == ctx.region)
                .filter(|c| filter.is_none_or(|f| c.record["connectInstanceId"] == f))
                .map(|c| {
                    let mut summary = json!({ "id": c.record["id"], "arn": c.record["arn"], "name": c.record["name"],
                        "connectInstanceId": c.record["connectInstanceId"], "channelSubtypes": subtypes(&c.record),
                        "lastModifiedTime": c.record["lastModifiedTime"] });
                    for member in ["type", "schedule", "connectCampaignFlowArn", "entryLimitsConfig"] {
                        if let Some(value) = c.record.get(member) {
                            summary[member] = value.clone();
                        }
                    }
                    summary
                })
                .collect();
            page(
                items,
                input["maxResults"].as_u64(),
                50,
                input["nextToken"].as_str(),
                "campaignSummaryList",
                "nextToken",
                || validation("Invalid nextToken"),
            )
        }
        "GetCampaignState" => {
            let campaign = find(world, ctx, &text(input, "id"))?;
            Ok(json!({ "state": campaign.state }))
        }
        "GetCampaignStateBatch" => {
            let ids: Vec<String> = input["campaignIds"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            if ids.is_empty() || ids.len() > 25 {
                return Err(validation("campaignIds holds between 1 and 25 ids"));
            }
            let (mut ok, mut failed) = (Vec::new(), Vec::new());
            for id in ids {
                match find(world, ctx, &id) {
                    Ok(c) => ok.push(json!({ "campaignId": id, "state": c.state })),
                    Err(_) => failed.push(json!({ "campaignId": id, "failureCode": "ResourceNotFound" })),
                }
            }
            Ok(json!({ "successfulRequests": ok, "failedRequests": failed }))
        }
        op @ ("StartCampaign" | "PauseCampaign" | "ResumeCampaign" | "StopCampaign") => {
            let id = text(input, "id");
            let state = find(world, ctx, &id)?.state;
            let next = match (op, state) {
                ("StartCampaign", "Initialized") => "Running",
                ("PauseCampaign", "Running") => "Paused",
                ("ResumeCampaign", "Paused") => "Running",
                ("StopCampaign", "Running" | "Paused" | "Initialized") => "Stopped",
                _ => return Err(invalid_state(state, format!("{op} is not allowed while the campaign is {state}"))),
            };
            if op == "StartCampaign" {
                let record = find(world, ctx, &id)?.record.clone();
                if let Some(arn) = record["connectCampaignFlowArn"].as_str() {
                    let flow_id = arn.rsplit('/').next().unwrap_or_default();
                    let instance = record["connectInstanceId"].as_str().unwrap_or_default();
                    let published = world
                        .connect
                        .instances
                        .get(instance)
                        .and_then(|i| i.flows.get(flow_id))
                        .is_some_and(|f| f.record["Status"] == "PUBLISHED");
                    if !published {
                        return Err(invalid_state(state, format!("The campaign's flow {arn} is not published")));
                    }
                }
            }
            if let Some(campaign) = world.campaigns.campaigns.get_mut(&id) {
                campaign.state = next;
            }
            Ok(json!({}))
        }
        "DeleteCampaign" => {
            let id = text(input, "id");
            let arn = find(world, ctx, &id)?.record["arn"].as_str().unwrap_or_default().to_owned();
            world.campaigns.campaigns.remove(&id);
            world.tags.forget(&arn);
            Ok(json!({}))
        }
        op if op.starts_with("UpdateCampaign") => {
            let id = text(input, "id");
            let state = find(world, ctx, &id)?.state;
            if state == "Stopped" || state == "Completed" {
                return Err(invalid_state(state, format!("A {state} campaign cannot be updated")));
            }
            let member = match op {
                "UpdateCampaignName" => "name",
                "UpdateCampaignFlowAssociation" => "connectCampaignFlowArn",
                "UpdateCampaignSource" => "source",
                "UpdateCampaignSchedule" => "schedule",
                "UpdateCampaignEntryLimits" => "entryLimitsConfig",
                "UpdateCampaignCommunicationTime" => "communicationTimeConfig",
                "UpdateCampaignCommunicationLimits" => "communicationLimitsOverride",
                "UpdateCampaignChannelSubtypeConfig" => "channelSubtypeConfig",
                other => {
                    return Err(error(
                        501,
                        "NotImplementedException",
                        format!("the Pinshift sandbox does not implement {other} yet"),
                    ));
                }
            };
            let instance = find(world, ctx, &id)?.record["connectInstanceId"].as_str().unwrap_or_default().to_owned();
            check_references(world, ctx, &instance, &json!({ member: input[member] }))?;
            if let Some(campaign) = world.campaigns.campaigns.get_mut(&id) {
                campaign.record[member] = input[member].clone();
                campaign.record["lastModifiedTime"] = json!(ctx.iso());
            }
            Ok(json!({}))
        }
        other => Err(error(
            501,
            "NotImplementedException",
            format!("the Pinshift sandbox does not implement Outbound Campaigns v2 {other} yet"),
        )),
    }
}

fn find<'a>(world: &'a World, ctx: &Ctx<'_>, id: &str) -> Result<&'a Campaign, ServiceError> {
    let id = id.rsplit('/').next().unwrap_or(id);
    world
        .campaigns
        .campaigns
        .get(id)
        .filter(|c| c.account_id == ctx.account_id && c.region == ctx.region)
        .ok_or_else(|| not_found(format!("Campaign {id} not found")))
}
