//! AWS End User Messaging SMS and voice v2 (awsJson1_0, signing name `sms-voice`): phone numbers
//! (simulated provisioning), sender IDs, pools and their origination identities, opt-out lists and opted-out
//! numbers, configuration sets with event destinations, and registrations (read).
//!
//! Toll-free and 10DLC numbers stay PENDING until registered, as on AWS; the control API's
//! `POST /_sandbox/sms/{account}/{region}/phone-numbers/{id}/activate` plays the part of the carrier.
//! Every operation that takes a `ClientToken` is idempotent on it.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Map, Value, json};

use crate::model::{Call, ServiceModel};
use crate::wire::{Protocol, ServiceError};

pub const SIGNING_NAME: &str = "sms-voice";
pub const PROTOCOL: Protocol = Protocol::Json10;

const DEFAULT_PAGE_SIZE: usize = 100;

pub fn model() -> &'static ServiceModel {
    static MODEL: OnceLock<ServiceModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        ServiceModel::parse(include_str!("../../models/pinpoint-sms-voice-v2-2022-03-31.json"))
            .expect("the embedded SMS-voice v2 model is valid JSON")
    })
}

/// awsJson1_0: the operation is named by `X-Amz-Target: PinpointSMSVoiceV2.<Operation>`, the body is the input.
pub fn parse_call(headers: &HeaderMap, body: &[u8]) -> Result<Call, ServiceError> {
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let prefix = model().raw["metadata"]["targetPrefix"].as_str().unwrap_or_default();
    let operation = target
        .strip_prefix(prefix)
        .and_then(|t| t.strip_prefix('.'))
        .filter(|op| model().operation(op).is_object())
        .ok_or_else(|| {
            ServiceError::new(
                StatusCode::BAD_REQUEST,
                "UnknownOperationException",
                format!("Unknown operation {target}"),
            )
        })?;
    let input: Value = if body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(body).map_err(|e| validation(format!("The request body is not valid JSON: {e}")))?
    };
    if !input.is_object() {
        return Err(validation("The request body must be a JSON object"));
    }
    let shape = model().shape(model().operation(operation)["input"]["shape"].as_str().unwrap_or_default());
    for required in shape["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if input.get(required).is_none_or(Value::is_null) {
            return Err(validation(format!(
                "1 validation error detected: Value null at '{required}' failed to satisfy constraint: Member must not be null"
            )));
        }
    }
    Ok(Call { operation: operation.to_owned(), input, status: StatusCode::OK })
}

fn validation(message: impl Into<String>) -> ServiceError {
    ServiceError::new(StatusCode::BAD_REQUEST, "ValidationException", message)
}

fn not_found(kind: &str, id: &str) -> ServiceError {
    ServiceError::new(StatusCode::NOT_FOUND, "ResourceNotFoundException", format!("{kind} {id} not found"))
}

fn conflict(message: impl Into<String>) -> ServiceError {
    ServiceError::new(StatusCode::CONFLICT, "ConflictException", message)
}

/// A ConflictException with the model's `Reason` and the resource it is about.
fn conflict_because(reason: &str, kind: &str, id: &str, message: impl Into<String>) -> ServiceError {
    conflict(message).with("Reason", reason).with("ResourceType", kind).with("ResourceId", id)
}

/// The account limits DescribeAccountLimits reports (AWS's defaults).
const LIMITS: &[(&str, u64)] = &[
    ("PHONE_NUMBERS", 100),
    ("POOLS", 100),
    ("CONFIGURATION_SETS", 100),
    ("OPT_OUT_LISTS", 100),
    ("SENDER_IDS", 100),
    ("REGISTRATIONS", 100),
    ("REGISTRATION_ATTACHMENTS", 100),
    ("VERIFIED_DESTINATION_NUMBERS", 10),
];

/// `DeleteOptedOutNumber` may delete a number from a list once every 30 days.
const OPT_OUT_DELETE_INTERVAL: f64 = 30.0 * 86_400.0;

#[derive(Debug, Default, Clone)]
pub struct RegionState {
    pub phone_numbers: BTreeMap<String, Value>,
    /// (sender id, country) → information.
    pub sender_ids: BTreeMap<(String, String), Value>,
    pub pools: BTreeMap<String, Value>,
    /// Pool id → origination identity ARNs.
    pub pool_members: BTreeMap<String, Vec<Value>>,
    pub opt_out_lists: BTreeMap<String, Value>,
    /// Opt-out list name → number → OptedOutNumberInformation.
    pub opted_out: BTreeMap<String, BTreeMap<String, Value>>,
    pub configuration_sets: BTreeMap<String, Value>,
    pub registrations: BTreeMap<String, Value>,
    /// (origination identity id, keyword) → KeywordInformation.
    pub keywords: BTreeMap<(String, String), Value>,
    /// Tags by resource ARN (TagResource, and the Tags a create named).
    pub tags: BTreeMap<String, Vec<Value>>,
    /// Whether the account is still in the SMS sandbox here (ACCOUNT_TIER SANDBOXED: it sends only to
    /// verified destination numbers). Production (BASIC) is the default: the estate's accounts sent SMS.
    pub sandboxed: bool,
    /// The monthly text spend limit in USD the account enforces (`None`: AWS's default for the tier).
    pub text_spend_limit: Option<u64>,
    /// (opt-out list, number) → when DeleteOptedOutNumber last removed it (epoch seconds).
    opt_out_deletions: HashMap<(String, String), f64>,
    /// (operation, ClientToken) → the first answer.
    idempotency: HashMap<(String, String), Value>,
    counter: u64,
}

#[derive(Debug, Default, Clone)]
pub struct SmsState {
    regions: HashMap<(String, String), RegionState>,
}

/// Where a call runs.
#[derive(Debug, Clone)]
pub struct Place<'a> {
    pub account_id: &'a str,
    pub region: &'a str,
    /// Epoch seconds.
    pub now: f64,
}

impl Place<'_> {
    fn arn(&self, resource: &str) -> String {
        format!("arn:aws:sms-voice:{}:{}:{resource}", self.region, self.account_id)
    }
}

impl SmsState {
    /// Every (account, Region) with state, for the control API's snapshot.
    pub fn places(&self) -> impl Iterator<Item = (&(String, String), &RegionState)> {
        self.regions.iter()
    }

    pub fn region(&mut self, account_id: &str, region: &str) -> &mut RegionState {
        let state = self.regions.entry((account_id.to_owned(), region.to_owned())).or_default();
        state.opt_out_lists.entry("Default".to_owned()).or_insert_with(|| {
            json!({
                "OptOutListName": "Default",
                "OptOutListArn": format!("arn:aws:sms-voice:{region}:{account_id}:opt-out-list/Default"),
                "CreatedTimestamp": 1_700_000_000.0,
            })
        });
        state
    }

    /// Adds a registration as the estate declares it (there is no API to create one in a single step).
    pub fn add_registration(&mut self, place: &Place<'_>, declared: &Value) {
        let region = self.region(place.account_id, place.region);
        let (_, id) = region.mint("registration", place);
        let status = declared["RegistrationStatus"].as_str().unwrap_or("CREATED");
        let mut info = json!({
            "RegistrationId": id,
            "RegistrationArn": place.arn(&format!("registration/{id}")),
            "RegistrationType": declared["RegistrationType"],
            "RegistrationStatus": status,
            "CurrentVersionNumber": 1,
            "CreatedTimestamp": place.now,
        });
        if status == "COMPLETE" {
            info["ApprovedVersionNumber"] = json!(1);
        }
        if let Some(attributes) = declared.get("AdditionalAttributes") {
            info["AdditionalAttributes"] = attributes.clone();
        }
        region.registrations.insert(id, info);
    }

    /// Plays the part of AWS Support: moves the account in or out of the SMS sandbox and sets its monthly
    /// text spend limit (USD; `None` keeps the tier's default).
    pub fn set_account(&mut self, account_id: &str, region: &str, sandboxed: bool, text_spend_limit: Option<u64>) {
        let place = self.region(account_id, region);
        place.sandboxed = sandboxed;
        place.text_spend_limit = text_spend_limit;
    }

    /// Activates a pending phone number (named by its id, ARN or E.164 number), as a completed registration
    /// would; `false` when there is none.
    pub fn activate(&mut self, account_id: &str, region: &str, id: &str) -> bool {
        let numbers = &mut self.region(account_id, region).phone_numbers;
        let Some(number) = numbers
            .values_mut()
            .find(|n| ["PhoneNumberId", "PhoneNumberArn", "PhoneNumber"].iter().any(|k| n[*k].as_str() == Some(id)))
        else {
            return false;
        };
        number["Status"] = json!("ACTIVE");
        true
    }

    pub fn handle(&mut self, place: &Place<'_>, call: &Call) -> Result<Value, ServiceError> {
        let region = self.region(place.account_id, place.region);
        let token = call.input["ClientToken"].as_str().map(|t| (call.operation.clone(), t.to_owned()));
        if let Some(previous) = token.as_ref().and_then(|key| region.idempotency.get(key)) {
            return Ok(previous.clone());
        }
        let result = region.run(place, &call.operation, &call.input)?;
        // What a create tagged, kept by ARN for ListTagsForResource.
        if call.operation.starts_with("Create") || call.operation.starts_with("Request") {
            let arn = ["PoolArn", "OptOutListArn", "ConfigurationSetArn", "PhoneNumberArn", "SenderIdArn"]
                .iter()
                .find_map(|k| result[*k].as_str())
                .map(str::to_owned);
            if let (Some(arn), Some(tags)) = (arn, call.input["Tags"].as_array()) {
                region.tags.insert(arn, tags.clone());
            }
        }
        if let Some(key) = token {
            region.idempotency.insert(key, result.clone());
        }
        Ok(result)
    }
}

impl RegionState {
    fn mint(&mut self, prefix: &str, place: &Place<'_>) -> (u64, String) {
        self.counter += 1;
        let hash = format!("{}/{}/{}/{prefix}", place.account_id, place.region, self.counter)
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        (self.counter, format!("{prefix}-{hash:016x}{:016x}", hash.rotate_left(17) ^ self.counter))
    }

    #[allow(clippy::too_many_lines)]
    fn run(&mut self, place: &Place<'_>, op: &str, input: &Value) -> Result<Value, ServiceError> {
        let text = |member: &str| input[member].as_str().unwrap_or_default().to_owned();
        let tags = input.get("Tags").cloned().unwrap_or_else(|| json!([]));
        match op {
            "RequestPhoneNumber" => {
                let number_type = text("NumberType");
                let (n, id) = self.mint("phone", place);
                let country = text("IsoCountryCode");
                let opt_out = input["OptOutListName"].as_str().unwrap_or("Default").to_owned();
                if !self.opt_out_lists.contains_key(&opt_out) {
                    return Err(not_found("OptOutList", &opt_out));
                }
                let status = if matches!(number_type.as_str(), "TOLL_FREE" | "TEN_DLC") { "PENDING" } else { "ACTIVE" };
                let price = match number_type.as_str() {
                    "SIMULATOR" => "0.00",
                    "TOLL_FREE" => "2.00",
                    "SHORT_CODE" => "995.00",
                    _ => "1.15",
                };
                let prefix = if number_type == "TOLL_FREE" { "+1833555" } else { "+1206555" };
                let mut info = json!({
                    "PhoneNumberId": id,
                    "PhoneNumberArn": place.arn(&format!("phone-number/{id}")),
                    "PhoneNumber": format!("{prefix}{:04}", n % 10_000),
                    "Status": status,
                    "IsoCountryCode": country,
                    "MessageType": text("MessageType"),
                    "NumberCapabilities": input["NumberCapabilities"],
                    "NumberType": number_type,
                    "MonthlyLeasingPrice": price,
                    "TwoWayEnabled": false,
                    "SelfManagedOptOutsEnabled": false,
                    "OptOutListName": opt_out,
                    "DeletionProtectionEnabled": input["DeletionProtectionEnabled"].as_bool().unwrap_or(false),
                    "InternationalSendingEnabled": input["InternationalSendingEnabled"].as_bool().unwrap_or(false),
                    "CreatedTimestamp": place.now,
                });
                if let Some(registration) = input.get("RegistrationId") {
                    info["RegistrationId"] = registration.clone();
                }
                self.phone_numbers.insert(id.clone(), info.clone());
                if let Some(pool) = input["PoolId"].as_str() {
                    self.join_pool(place, pool, &id)?;
                    info["PoolId"] = json!(pool);
                }
                info.as_object_mut().map(|o| o.remove("PricingTier"));
                info["Tags"] = tags;
                Ok(info)
            }
            "ReleasePhoneNumber" => {
                let id = text("PhoneNumberId");
                let info = self.phone_numbers.get(&id).cloned().ok_or_else(|| not_found("PhoneNumber", &id))?;
                if info["DeletionProtectionEnabled"].as_bool().unwrap_or(false) {
                    return Err(conflict("DeletionProtectionEnabled is set on this phone number"));
                }
                self.phone_numbers.remove(&id);
                let mut released = info;
                released["Status"] = json!("DELETED");
                Ok(model().project(released, "ReleasePhoneNumberResult"))
            }
            "DescribePhoneNumbers" => {
                let wanted = ids(input, "PhoneNumberIds");
                let items = select(&self.phone_numbers, &wanted, "PhoneNumber", |v| v["PhoneNumberId"].as_str())?;
                page(filter(items, input)?, input, "PhoneNumbers")
            }
            "RequestSenderId" => {
                let sender = text("SenderId");
                let country = text("IsoCountryCode");
                let key = (sender.clone(), country.clone());
                if self.sender_ids.contains_key(&key) {
                    return Err(conflict(format!("Sender ID {sender} already exists for {country}")));
                }
                let info = json!({
                    "SenderId": sender,
                    "SenderIdArn": place.arn(&format!("sender-id/{sender}/{country}")),
                    "IsoCountryCode": country,
                    "MessageTypes": input.get("MessageTypes").cloned().unwrap_or_else(|| json!(["TRANSACTIONAL", "PROMOTIONAL"])),
                    "MonthlyLeasingPrice": "0.00",
                    "DeletionProtectionEnabled": input["DeletionProtectionEnabled"].as_bool().unwrap_or(false),
                    "Registered": false,
                });
                self.sender_ids.insert(key, info.clone());
                let mut result = info;
                result["Tags"] = tags;
                Ok(result)
            }
            "DescribeSenderIds" => {
                let wanted: Vec<(String, String)> = input["SenderIds"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| {
                        (
                            s["SenderId"].as_str().unwrap_or_default().to_owned(),
                            s["IsoCountryCode"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect();
                let mut items = Vec::new();
                if wanted.is_empty() {
                    items.extend(self.sender_ids.values().cloned());
                } else {
                    for key in &wanted {
                        items.push(self.sender_ids.get(key).cloned().ok_or_else(|| not_found("SenderId", &key.0))?);
                    }
                }
                page(filter(items, input)?, input, "SenderIds")
            }
            "CreatePool" => {
                let identity = text("OriginationIdentity");
                let member =
                    self.origination_identity(&identity).ok_or_else(|| not_found("OriginationIdentity", &identity))?;
                if let Some(number) = member["OriginationIdentity"].as_str().and_then(|id| self.phone_numbers.get(id))
                    && let Some(other) = number["PoolId"].as_str()
                {
                    return Err(conflict_because(
                        "PHONE_NUMBER_ASSOCIATED_TO_POOL",
                        "phone-number",
                        number["PhoneNumberId"].as_str().unwrap_or_default(),
                        format!("The phone number is already associated with pool {other}"),
                    ));
                }
                let opt_out = member["OriginationIdentity"]
                    .as_str()
                    .and_then(|id| self.phone_numbers.get(id))
                    .and_then(|n| n["OptOutListName"].as_str())
                    .unwrap_or("Default")
                    .to_owned();
                let (_, id) = self.mint("pool", place);
                let pool = json!({
                    "PoolId": id,
                    "PoolArn": place.arn(&format!("pool/{id}")),
                    "Status": "ACTIVE",
                    "MessageType": text("MessageType"),
                    "TwoWayEnabled": false,
                    "SelfManagedOptOutsEnabled": false,
                    "OptOutListName": opt_out,
                    "SharedRoutesEnabled": false,
                    "DeletionProtectionEnabled": input["DeletionProtectionEnabled"].as_bool().unwrap_or(false),
                    "CreatedTimestamp": place.now,
                });
                self.pools.insert(id.clone(), pool.clone());
                self.pool_members.insert(id.clone(), Vec::new());
                self.join_pool(place, &id, &identity)?;
                let mut result = pool;
                result["Tags"] = tags;
                Ok(result)
            }
            "DescribePools" => {
                let wanted = ids(input, "PoolIds");
                let items = select(&self.pools, &wanted, "Pool", |v| v["PoolId"].as_str())?;
                page(filter(items, input)?, input, "Pools")
            }
            "AssociateOriginationIdentity" => {
                let pool = text("PoolId");
                let identity = text("OriginationIdentity");
                let member = self.join_pool(place, &pool, &identity)?;
                let pool_arn = self.pools[&pool]["PoolArn"].clone();
                Ok(json!({
                    "PoolId": pool,
                    "PoolArn": pool_arn,
                    "OriginationIdentity": member["OriginationIdentity"],
                    "OriginationIdentityArn": member["OriginationIdentityArn"],
                    "IsoCountryCode": member["IsoCountryCode"],
                }))
            }
            "ListPoolOriginationIdentities" => {
                let pool = text("PoolId");
                let info = self.pools.get(&pool).ok_or_else(|| not_found("Pool", &pool))?;
                let arn = info["PoolArn"].clone();
                let members = self.pool_members.get(&pool).cloned().unwrap_or_default();
                let mut out = page(filter(members, input)?, input, "OriginationIdentities")?;
                out["PoolId"] = json!(pool);
                out["PoolArn"] = arn;
                Ok(out)
            }
            "CreateOptOutList" => {
                let name = text("OptOutListName");
                if self.opt_out_lists.contains_key(&name) {
                    return Err(conflict(format!("Opt-out list {name} already exists")));
                }
                let info = json!({
                    "OptOutListName": name,
                    "OptOutListArn": place.arn(&format!("opt-out-list/{name}")),
                    "CreatedTimestamp": place.now,
                });
                self.opt_out_lists.insert(name, info.clone());
                let mut result = info;
                result["Tags"] = tags;
                Ok(result)
            }
            "DescribeOptOutLists" => {
                let wanted = ids(input, "OptOutListNames");
                let items = select(&self.opt_out_lists, &wanted, "OptOutList", |v| v["OptOutListName"].as_str())?;
                page(items, input, "OptOutLists")
            }
            "PutOptedOutNumber" => {
                let list = text("OptOutListName");
                let number = text("OptedOutNumber");
                let info = self.opt_out_lists.get(&list).cloned().ok_or_else(|| not_found("OptOutList", &list))?;
                if !number.starts_with('+') || number.len() < 8 || !number[1..].chars().all(|c| c.is_ascii_digit()) {
                    return Err(validation(format!("{number} is not an E.164 phone number")));
                }
                let entry =
                    json!({ "OptedOutNumber": number, "OptedOutTimestamp": place.now, "EndUserOptedOut": false });
                self.opted_out.entry(list.clone()).or_default().insert(number, entry.clone());
                let mut result = entry;
                result["OptOutListName"] = json!(list);
                result["OptOutListArn"] = info["OptOutListArn"].clone();
                Ok(result)
            }
            "DescribeOptedOutNumbers" => {
                let list = text("OptOutListName");
                let info = self.opt_out_lists.get(&list).cloned().ok_or_else(|| not_found("OptOutList", &list))?;
                let numbers = self.opted_out.get(&list).cloned().unwrap_or_default();
                let wanted = ids(input, "OptedOutNumbers");
                let items = select(&numbers, &wanted, "OptedOutNumber", |v| v["OptedOutNumber"].as_str())?;
                let mut out = page(filter(items, input)?, input, "OptedOutNumbers")?;
                out["OptOutListName"] = json!(list);
                out["OptOutListArn"] = info["OptOutListArn"].clone();
                Ok(out)
            }
            "CreateConfigurationSet" => {
                let name = text("ConfigurationSetName");
                if self.configuration_sets.contains_key(&name) {
                    return Err(conflict(format!("Configuration set {name} already exists")));
                }
                let info = json!({
                    "ConfigurationSetName": name,
                    "ConfigurationSetArn": place.arn(&format!("configuration-set/{name}")),
                    "CreatedTimestamp": place.now,
                    "EventDestinations": [],
                });
                self.configuration_sets.insert(name.clone(), info.clone());
                Ok(
                    json!({ "ConfigurationSetName": name, "ConfigurationSetArn": info["ConfigurationSetArn"], "CreatedTimestamp": place.now, "Tags": tags }),
                )
            }
            "CreateEventDestination" => {
                let name = text("ConfigurationSetName");
                let set = self.configuration_sets.get_mut(&name).ok_or_else(|| not_found("ConfigurationSet", &name))?;
                let mut destination = Map::new();
                for key in [
                    "EventDestinationName",
                    "MatchingEventTypes",
                    "CloudWatchLogsDestination",
                    "KinesisFirehoseDestination",
                    "SnsDestination",
                ] {
                    if let Some(value) = input.get(key) {
                        destination.insert(key.to_owned(), value.clone());
                    }
                }
                destination.insert("Enabled".into(), json!(true));
                let destination = Value::Object(destination);
                if let Some(list) = set["EventDestinations"].as_array_mut() {
                    list.push(destination.clone());
                }
                Ok(
                    json!({ "ConfigurationSetName": name, "ConfigurationSetArn": set["ConfigurationSetArn"], "EventDestination": destination }),
                )
            }
            "DescribeConfigurationSets" => {
                let wanted = ids(input, "ConfigurationSetNames");
                let items = select(&self.configuration_sets, &wanted, "ConfigurationSet", |v| {
                    v["ConfigurationSetName"].as_str()
                })?;
                page(filter(items, input)?, input, "ConfigurationSets")
            }
            "UpdatePool" => {
                let id = text("PoolId");
                if let Some(list) = input["OptOutListName"].as_str()
                    && !self.opt_out_lists.contains_key(list)
                {
                    return Err(not_found("OptOutList", list));
                }
                let pool = self.pools.get_mut(&id).ok_or_else(|| not_found("Pool", &id))?;
                for key in [
                    "TwoWayEnabled",
                    "TwoWayChannelArn",
                    "TwoWayChannelRole",
                    "SelfManagedOptOutsEnabled",
                    "OptOutListName",
                    "SharedRoutesEnabled",
                    "DeletionProtectionEnabled",
                ] {
                    if let Some(value) = input.get(key) {
                        pool[key] = value.clone();
                    }
                }
                Ok(model().project(pool.clone(), "UpdatePoolResult"))
            }
            "DeletePool" => {
                let id = text("PoolId");
                let pool = self.pools.get(&id).cloned().ok_or_else(|| not_found("Pool", &id))?;
                if pool["DeletionProtectionEnabled"].as_bool().unwrap_or(false) {
                    return Err(conflict_because(
                        "DELETION_PROTECTION_ENABLED",
                        "pool",
                        &id,
                        "DeletionProtectionEnabled is set on this pool",
                    ));
                }
                self.pools.remove(&id);
                self.pool_members.remove(&id);
                for number in self.phone_numbers.values_mut() {
                    if number["PoolId"] == id.as_str()
                        && let Some(object) = number.as_object_mut()
                    {
                        object.remove("PoolId");
                    }
                }
                self.keywords.retain(|(owner, _), _| *owner != id);
                let mut deleted = pool;
                deleted["Status"] = json!("DELETING");
                Ok(model().project(deleted, "DeletePoolResult"))
            }
            "DisassociateOriginationIdentity" => {
                let pool = text("PoolId");
                let identity = text("OriginationIdentity");
                let arn =
                    self.pools.get(&pool).map(|p| p["PoolArn"].clone()).ok_or_else(|| not_found("Pool", &pool))?;
                let member =
                    self.origination_identity(&identity).ok_or_else(|| not_found("OriginationIdentity", &identity))?;
                let members = self.pool_members.entry(pool.clone()).or_default();
                let before = members.len();
                members.retain(|m| m["OriginationIdentityArn"] != member["OriginationIdentityArn"]);
                if members.len() == before {
                    return Err(conflict_because(
                        "PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL",
                        "pool",
                        &pool,
                        format!("{identity} is not in pool {pool}"),
                    ));
                }
                if members.is_empty() {
                    members.push(member.clone());
                    return Err(conflict_because(
                        "LAST_PHONE_NUMBER",
                        "pool",
                        &pool,
                        "A pool keeps at least one origination identity",
                    ));
                }
                if let Some(number) =
                    member["OriginationIdentity"].as_str().and_then(|id| self.phone_numbers.get_mut(id))
                    && let Some(object) = number.as_object_mut()
                {
                    object.remove("PoolId");
                }
                Ok(json!({
                    "PoolId": pool, "PoolArn": arn, "OriginationIdentity": member["OriginationIdentity"],
                    "OriginationIdentityArn": member["OriginationIdentityArn"], "IsoCountryCode": member["IsoCountryCode"],
                }))
            }
            op @ ("SetDefaultSenderId" | "SetDefaultMessageType") => {
                let name = text("ConfigurationSetName");
                let set = self.configuration_sets.get_mut(&name).ok_or_else(|| not_found("ConfigurationSet", &name))?;
                let (member, field) = if op == "SetDefaultSenderId" {
                    ("SenderId", "DefaultSenderId")
                } else {
                    ("MessageType", "DefaultMessageType")
                };
                set[field] = input[member].clone();
                Ok(
                    json!({ "ConfigurationSetName": name, "ConfigurationSetArn": set["ConfigurationSetArn"], member: input[member] }),
                )
            }
            "DeleteOptedOutNumber" => {
                let list = text("OptOutListName");
                let number = text("OptedOutNumber");
                let info = self.opt_out_lists.get(&list).cloned().ok_or_else(|| not_found("OptOutList", &list))?;
                let key = (list.clone(), number.clone());
                if let Some(last) = self.opt_out_deletions.get(&key)
                    && place.now - last < OPT_OUT_DELETE_INTERVAL
                {
                    return Err(validation(format!(
                        "{number} was deleted from {list} less than 30 days ago; each destination phone number can only be deleted once every 30 days"
                    )));
                }
                let entry = self
                    .opted_out
                    .get_mut(&list)
                    .and_then(|n| n.remove(&number))
                    .ok_or_else(|| not_found("OptedOutNumber", &number))?;
                self.opt_out_deletions.insert(key, place.now);
                let mut result = entry;
                result["OptOutListName"] = json!(list);
                result["OptOutListArn"] = info["OptOutListArn"].clone();
                Ok(result)
            }
            "PutKeyword" | "DeleteKeyword" | "DescribeKeywords" => {
                let identity = text("OriginationIdentity");
                let (owner, owner_arn) = if let Some(pool) =
                    self.pools.values().find(|p| p["PoolId"] == identity.as_str() || p["PoolArn"] == identity.as_str())
                {
                    (pool["PoolId"].as_str().unwrap_or_default().to_owned(), pool["PoolArn"].clone())
                } else {
                    let member = self
                        .origination_identity(&identity)
                        .ok_or_else(|| not_found("OriginationIdentity", &identity))?;
                    (
                        member["OriginationIdentity"].as_str().unwrap_or_default().to_owned(),
                        member["OriginationIdentityArn"].clone(),
                    )
                };
                let keyword = text("Keyword");
                let info = |entry: &Value| {
                    json!({ "OriginationIdentity": owner, "OriginationIdentityArn": owner_arn, "Keyword": entry["Keyword"],
                            "KeywordMessage": entry["KeywordMessage"], "KeywordAction": entry["KeywordAction"] })
                };
                match op {
                    "PutKeyword" => {
                        let entry = json!({ "Keyword": keyword, "KeywordMessage": input["KeywordMessage"],
                                            "KeywordAction": input["KeywordAction"].as_str().unwrap_or("AUTOMATIC_RESPONSE") });
                        self.keywords.insert((owner.clone(), keyword.to_uppercase()), entry.clone());
                        Ok(info(&entry))
                    }
                    "DeleteKeyword" => {
                        let entry = self
                            .keywords
                            .remove(&(owner.clone(), keyword.to_uppercase()))
                            .ok_or_else(|| not_found("Keyword", &keyword))?;
                        Ok(info(&entry))
                    }
                    _ => {
                        let wanted: Vec<String> = ids(input, "Keywords").iter().map(|k| k.to_uppercase()).collect();
                        let items: Vec<Value> = self
                            .keywords
                            .iter()
                            .filter(|((o, k), _)| *o == owner && (wanted.is_empty() || wanted.contains(k)))
                            .map(|(_, v)| v.clone())
                            .collect();
                        let mut out = page(filter(items, input)?, input, "Keywords")?;
                        out["OriginationIdentity"] = json!(owner);
                        out["OriginationIdentityArn"] = owner_arn.clone();
                        Ok(out)
                    }
                }
            }
            "DescribeAccountAttributes" => {
                let tier = if self.sandboxed { "SANDBOXED" } else { "BASIC" };
                page(vec![json!({ "Name": "ACCOUNT_TIER", "Value": tier })], input, "AccountAttributes")
            }
            "DescribeSpendLimits" => {
                // A sandboxed account may spend $1 a month; raising the maximum is a support case.
                let text = self.text_spend_limit.unwrap_or(if self.sandboxed { 1 } else { 1_000 });
                let items = [
                    ("TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", text),
                    ("VOICE_MESSAGE_MONTHLY_SPEND_LIMIT", if self.sandboxed { 1 } else { 1_000 }),
                    ("MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT", if self.sandboxed { 1 } else { 1_000 }),
                ]
                .into_iter()
                .map(|(name, limit)| {
                    json!({ "Name": name, "EnforcedLimit": limit, "MaxLimit": limit.max(1), "Overridden": false })
                })
                .collect();
                page(items, input, "SpendLimits")
            }
            "DescribeAccountLimits" => {
                let used = |name: &str| -> usize {
                    match name {
                        "PHONE_NUMBERS" => self.phone_numbers.len(),
                        "POOLS" => self.pools.len(),
                        "CONFIGURATION_SETS" => self.configuration_sets.len(),
                        "OPT_OUT_LISTS" => self.opt_out_lists.len(),
                        "SENDER_IDS" => self.sender_ids.len(),
                        "REGISTRATIONS" => self.registrations.len(),
                        _ => 0,
                    }
                };
                let items =
                    LIMITS.iter().map(|(name, max)| json!({ "Name": name, "Used": used(name), "Max": max })).collect();
                page(items, input, "AccountLimits")
            }
            "DeleteConfigurationSet" => {
                let name = text("ConfigurationSetName");
                let set = self.configuration_sets.remove(&name).ok_or_else(|| not_found("ConfigurationSet", &name))?;
                Ok(model().project(set, "DeleteConfigurationSetResult"))
            }
            "DeleteOptOutList" => {
                let name = text("OptOutListName");
                if name == "Default" {
                    return Err(conflict_because(
                        "RESOURCE_DELETION_NOT_ALLOWED",
                        "opt-out-list",
                        &name,
                        "The Default opt-out list cannot be deleted",
                    ));
                }
                let in_use = self.pools.values().any(|p| p["OptOutListName"] == name.as_str())
                    || self.phone_numbers.values().any(|n| n["OptOutListName"] == name.as_str());
                if in_use {
                    return Err(conflict_because(
                        "RESOURCE_NOT_EMPTY",
                        "opt-out-list",
                        &name,
                        format!("Opt-out list {name} is used by a pool or a phone number"),
                    ));
                }
                let list = self.opt_out_lists.remove(&name).ok_or_else(|| not_found("OptOutList", &name))?;
                self.opted_out.remove(&name);
                Ok(model().project(list, "DeleteOptOutListResult"))
            }
            "TagResource" | "UntagResource" | "ListTagsForResource" => {
                let arn = text("ResourceArn");
                let known = self.pools.values().any(|v| v["PoolArn"] == arn.as_str())
                    || self.opt_out_lists.values().any(|v| v["OptOutListArn"] == arn.as_str())
                    || self.configuration_sets.values().any(|v| v["ConfigurationSetArn"] == arn.as_str())
                    || self.phone_numbers.values().any(|v| v["PhoneNumberArn"] == arn.as_str())
                    || self.sender_ids.values().any(|v| v["SenderIdArn"] == arn.as_str());
                if !known {
                    return Err(not_found("Resource", &arn));
                }
                let tags = self.tags.entry(arn.clone()).or_default();
                match op {
                    "TagResource" => {
                        for tag in input["Tags"].as_array().into_iter().flatten() {
                            tags.retain(|t| t["Key"] != tag["Key"]);
                            tags.push(tag.clone());
                        }
                        Ok(json!({}))
                    }
                    "UntagResource" => {
                        let keys: Vec<&Value> = input["TagKeys"].as_array().into_iter().flatten().collect();
                        tags.retain(|t| !keys.contains(&&t["Key"]));
                        Ok(json!({}))
                    }
                    _ => Ok(json!({ "ResourceArn": arn, "Tags": tags })),
                }
            }
            op @ ("UpdateEventDestination" | "DeleteEventDestination") => {
                let name = text("ConfigurationSetName");
                let destination_name = text("EventDestinationName");
                let set = self.configuration_sets.get_mut(&name).ok_or_else(|| not_found("ConfigurationSet", &name))?;
                let list = set["EventDestinations"]
                    .as_array_mut()
                    .ok_or_else(|| not_found("EventDestination", &destination_name))?;
                let at = list
                    .iter()
                    .position(|d| d["EventDestinationName"] == destination_name.as_str())
                    .ok_or_else(|| not_found("EventDestination", &destination_name))?;
                let destination = if op == "DeleteEventDestination" {
                    list.remove(at)
                } else {
                    let kinds = ["CloudWatchLogsDestination", "KinesisFirehoseDestination", "SnsDestination"];
                    let current = kinds.iter().find(|k| list[at].get(**k).is_some());
                    if let Some(asked) = kinds.iter().find(|k| input.get(**k).is_some())
                        && current != Some(asked)
                    {
                        return Err(validation("UpdateEventDestination cannot change the destination's type"));
                    }
                    for key in [
                        "Enabled",
                        "MatchingEventTypes",
                        "CloudWatchLogsDestination",
                        "KinesisFirehoseDestination",
                        "SnsDestination",
                    ] {
                        if let Some(value) = input.get(key) {
                            list[at][key] = value.clone();
                        }
                    }
                    list[at].clone()
                };
                Ok(
                    json!({ "ConfigurationSetName": name, "ConfigurationSetArn": set["ConfigurationSetArn"], "EventDestination": destination }),
                )
            }
            "DescribeRegistrations" => {
                let wanted = ids(input, "RegistrationIds");
                let items = select(&self.registrations, &wanted, "Registration", |v| v["RegistrationId"].as_str())?;
                page(filter(items, input)?, input, "Registrations")
            }
            other => Err(ServiceError::new(
                StatusCode::NOT_IMPLEMENTED,
                "NotImplementedException",
                format!("the Pinshift sandbox does not implement SMS-voice v2 {other} yet"),
            )),
        }
    }

    /// A phone number (by id, ARN or number) or sender ID (by id or ARN), as a pool member.
    fn origination_identity(&self, identity: &str) -> Option<Value> {
        if let Some(number) = self
            .phone_numbers
            .values()
            .find(|n| n["PhoneNumberId"] == identity || n["PhoneNumberArn"] == identity || n["PhoneNumber"] == identity)
        {
            return Some(json!({
                "OriginationIdentity": number["PhoneNumberId"],
                "OriginationIdentityArn": number["PhoneNumberArn"],
                "PhoneNumber": number["PhoneNumber"],
                "IsoCountryCode": number["IsoCountryCode"],
                "NumberCapabilities": number["NumberCapabilities"],
            }));
        }
        self.sender_ids.values().find(|s| s["SenderId"] == identity || s["SenderIdArn"] == identity).map(|sender| {
            json!({
                "OriginationIdentity": sender["SenderId"],
                "OriginationIdentityArn": sender["SenderIdArn"],
                "IsoCountryCode": sender["IsoCountryCode"],
                "NumberCapabilities": ["SMS"],
            })
        })
    }

    fn join_pool(&mut self, _place: &Place<'_>, pool: &str, identity: &str) -> Result<Value, ServiceError> {
        if !self.pools.contains_key(pool) {
            return Err(not_found("Pool", pool));
        }
        let member = self.origination_identity(identity).ok_or_else(|| not_found("OriginationIdentity", identity))?;
        if let Some(id) = member["OriginationIdentity"].as_str().filter(|id| id.starts_with("phone-"))
            && let Some(other) = self.phone_numbers.get(id).and_then(|n| n["PoolId"].as_str())
            && other != pool
        {
            return Err(conflict_because(
                "PHONE_NUMBER_ASSOCIATED_TO_POOL",
                "phone-number",
                id,
                format!("Phone number {id} is already associated with pool {other}"),
            ));
        }
        let members = self.pool_members.entry(pool.to_owned()).or_default();
        if !members.iter().any(|m| m["OriginationIdentityArn"] == member["OriginationIdentityArn"]) {
            members.push(member.clone());
        }
        if let Some(id) = member["OriginationIdentity"].as_str().filter(|id| id.starts_with("phone-"))
            && let Some(number) = self.phone_numbers.get_mut(id)
        {
            number["PoolId"] = json!(pool);
        }
        Ok(member)
    }
}

fn ids(input: &Value, member: &str) -> Vec<String> {
    input[member].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

/// Everything, or exactly the named items (an unknown name is ResourceNotFound, as on AWS).
fn select(
    items: &BTreeMap<String, Value>,
    wanted: &[String],
    kind: &str,
    key: impl Fn(&Value) -> Option<&str>,
) -> Result<Vec<Value>, ServiceError> {
    if wanted.is_empty() {
        return Ok(items.values().cloned().collect());
    }
    wanted
        .iter()
        .map(|w| {
            items
                .values()
                .find(|v| {
                    key(v) == Some(w.as_str()) || v.as_object().is_some_and(|o| o.values().any(|x| x == w.as_str()))
                })
                .cloned()
                .ok_or_else(|| not_found(kind, w))
        })
        .collect()
}

/// `Filters: [{Name: "kebab-name", Values: [...]}]` against each item's field of that name in PascalCase
/// (or its plural, for list fields such as `NumberCapabilities`). SDKs only send the names the model's
/// filter enums allow.
fn filter(items: Vec<Value>, input: &Value) -> Result<Vec<Value>, ServiceError> {
    let mut items = items;
    for f in input["Filters"].as_array().into_iter().flatten() {
        let field: String = f["Name"]
            .as_str()
            .unwrap_or_default()
            .split('-')
            .map(|p| {
                let mut c = p.chars();
                c.next().map(|first| first.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
            })
            .collect();
        let candidates = [field.clone(), format!("{field}s"), format!("{}ies", field.trim_end_matches('y'))];
        let values: Vec<&str> = f["Values"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        items.retain(|item| match candidates.iter().find_map(|c| item.get(c)) {
            Some(Value::Array(list)) => list.iter().any(|v| v.as_str().is_some_and(|s| values.contains(&s))),
            Some(Value::Bool(b)) => values.contains(&if *b { "true" } else { "false" }),
            Some(v) => v.as_str().is_some_and(|s| values.contains(&s)),
            None => false,
        });
    }
    Ok(items)
}

/// `NextToken` / `MaxResults` paging.
fn page(items: Vec<Value>, input: &Value, list: &str) -> Result<Value, ServiceError> {
    let size = input["MaxResults"].as_u64().map(|n| n as usize).unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, 1000);
    crate::paging::page(items, size, input["NextToken"].as_str(), list).ok_or_else(|| validation("Invalid NextToken"))
}
