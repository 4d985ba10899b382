//! Amazon SES v2 (REST-JSON, signing name `ses`): email identities with their DKIM, mail-from and
//! verification status, configuration sets with their options and event destinations, and — in
//! [`tenants`] and [`mail`] — tenants, resource associations, reputation entities, recommendations,
//! templates and their test render, contact lists, suppression at account and tenant scope, and sending
//! through the mailbox simulator.
//!
//! Identities created through the API start unverified (AWS waits for DNS records); the control API's
//! `POST /_sandbox/ses/{account}/{region}/identities/{identity}/verify` plays the part of DNS.

mod mail;
mod tenants;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::model::{Call, ServiceModel, not_found};
use crate::wire::{Protocol, ServiceError};

pub const SIGNING_NAME: &str = "ses";
pub const PROTOCOL: Protocol = Protocol::RestJson(&crate::wire::RestStyle {
    message_key: "message",
    request_id_in_body: false,
    denied: "AccessDeniedException",
    throttled: ("TooManyRequestsException", 429),
    server_error: "InternalServiceErrorException",
});

const DEFAULT_PAGE_SIZE: usize = 100;

pub fn model() -> &'static ServiceModel {
    static MODEL: OnceLock<ServiceModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        ServiceModel::parse(include_str!("../../../models/sesv2-2019-09-27.json"))
            .expect("the embedded SES v2 model is valid JSON")
            // The Rust SDK still lists with GET and query parameters; botocore uses the newer POST forms.
            .with_alias("ListEmailIdentities", axum::http::Method::GET, "/v2/email/identities")
            .with_alias("ListConfigurationSets", axum::http::Method::GET, "/v2/email/configuration-sets")
    })
}

#[derive(Debug, Default, Clone)]
pub struct RegionState {
    pub identities: BTreeMap<String, Value>,
    /// Configuration set name → (settings, event destinations by name).
    pub configuration_sets: BTreeMap<String, (Value, BTreeMap<String, Value>)>,
    pub tenants: BTreeMap<String, Value>,
    /// (tenant name, resource ARN) → when associated.
    pub associations: BTreeMap<(String, String), f64>,
    /// Reputation entities by reference (a tenant's or resource's ARN), made on first sight.
    pub reputation: BTreeMap<String, Value>,
    pub templates: BTreeMap<String, Value>,
    /// Contact list name → (list, contacts by address).
    pub contact_lists: BTreeMap<String, (Value, BTreeMap<String, Value>)>,
    /// (tenant, address) → the suppressed destination; `None` is the account-level list.
    pub suppressed: BTreeMap<(Option<String>, String), Value>,
    /// Sending events (delivery, bounce, complaint, rendering failure), oldest first.
    pub events: Vec<Value>,
    /// Bulk import jobs by id (the GetImportJob shape).
    pub import_jobs: BTreeMap<String, Value>,
    /// Whether the account is still in the SES sandbox here: it sends only to verified addresses and the
    /// mailbox simulator, at most 200 messages a day (production access granted is the default: the
    /// estate's accounts sent through Pinpoint).
    pub in_sandbox: bool,
}

/// Where and when an SES call runs.
#[derive(Debug, Clone, Copy)]
pub struct Where<'a> {
    pub account_id: &'a str,
    pub region: &'a str,
    /// Epoch seconds by the sandbox clock.
    pub epoch: f64,
}

impl RegionState {
    /// What the control API's snapshot shows of this place.
    pub fn snapshot(&self) -> Value {
        json!({
            "identities": self.identities,
            "configuration_sets": self.configuration_sets.iter().map(|(name, (settings, destinations))| {
                let mut settings = settings.clone();
                settings["EventDestinations"] = json!(destinations.values().collect::<Vec<_>>());
                (name.clone(), settings)
            }).collect::<Map<_, _>>(),
            "tenants": self.tenants.values().map(|t| {
                let name = t["TenantName"].as_str().unwrap_or_default();
                let mut t = t.clone();
                t["Resources"] = json!(self.associations.keys().filter(|(n, _)| n == name).map(|(_, a)| a).collect::<Vec<_>>());
                t["ReputationEntity"] = t["TenantArn"].as_str().and_then(|a| self.reputation.get(a)).cloned().unwrap_or(Value::Null);
                t
            }).collect::<Vec<_>>(),
            "templates": self.templates,
            "contact_lists": self.contact_lists.iter().map(|(n, (l, c))| {
                let mut l = l.clone();
                l["ContactCount"] = json!(c.len());
                (n.clone(), l)
            }).collect::<Map<_, _>>(),
            "suppressed": self.suppressed.iter().map(|((tenant, _), v)| {
                let mut v = v.clone();
                v["TenantName"] = json!(tenant);
                v
            }).collect::<Vec<_>>(),
            "events": self.events.len(),
            "production_access": !self.in_sandbox,
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct SesState {
    regions: HashMap<(String, String), RegionState>,
}

fn already_exists(message: String) -> ServiceError {
    ServiceError::new(StatusCode::BAD_REQUEST, "AlreadyExistsException", message)
}

fn bad(message: impl Into<String>) -> ServiceError {
    ServiceError::new(StatusCode::BAD_REQUEST, "BadRequestException", message)
}

impl SesState {
    /// Every (account, Region) with state, for the control API's snapshot.
    pub fn places(&self) -> impl Iterator<Item = (&(String, String), &RegionState)> {
        self.regions.iter()
    }

    pub fn region(&mut self, account_id: &str, region: &str) -> &mut RegionState {
        self.regions.entry((account_id.to_owned(), region.to_owned())).or_default()
    }

    /// Whether the identity (a domain or an address) exists.
    pub fn identity_exists(&mut self, account_id: &str, region: &str, identity: &str) -> bool {
        self.region(account_id, region).identities.contains_key(identity)
    }

    /// Whether the identity exists and is verified for sending.
    pub fn identity_verified(&mut self, account_id: &str, region: &str, identity: &str) -> bool {
        self.region(account_id, region).identities.get(identity).is_some_and(|i| i["VerifiedForSendingStatus"] == true)
    }

    /// Marks an identity verified, as DNS records would; `false` when there is no such identity.
    pub fn verify(&mut self, account_id: &str, region: &str, identity: &str) -> bool {
        let Some(found) = self.region(account_id, region).identities.get_mut(identity) else { return false };
        found["VerificationStatus"] = json!("SUCCESS");
        found["VerifiedForSendingStatus"] = json!(true);
        found["DkimAttributes"]["Status"] = json!("SUCCESS");
        // The same DNS publishes the MAIL FROM domain's MX and SPF records.
        if found["MailFromAttributes"].is_object() {
            found["MailFromAttributes"]["MailFromDomainStatus"] = json!("SUCCESS");
        }
        true
    }

    /// Plays the part of AWS granting (or not yet) production access.
    pub fn set_production_access(&mut self, account_id: &str, region: &str, granted: bool) {
        self.region(account_id, region).in_sandbox = !granted;
    }

    /// The sending events of a place (the control API lists them).
    pub fn events(&mut self, account_id: &str, region: &str) -> Vec<Value> {
        self.region(account_id, region).events.clone()
    }

    pub fn handle(
        &mut self,
        account_id: &str,
        region_name: &str,
        epoch: f64,
        call: &Call,
        s3: &crate::services::s3::S3State,
    ) -> Result<Value, ServiceError> {
        let input = &call.input;
        let place = Where { account_id, region: region_name, epoch };
        let region = self.region(account_id, region_name);
        if let Some(answer) = region.handle_import(&place, call, s3) {
            return answer;
        }
        if let Some(answer) = region.handle_tenants(&place, call) {
            return answer;
        }
        if let Some(answer) = region.handle_mail(&place, call) {
            return answer;
        }
        let text = |member: &str| input[member].as_str().unwrap_or_default().to_owned();
        match call.operation.as_str() {
            "GetAccount" => {
                let (max, rate) = if region.in_sandbox { (200.0, 1.0) } else { (50_000.0, 14.0) };
                let sent = region
                    .events
                    .iter()
                    .filter(|e| e["mail"]["timestamp"].as_f64().is_some_and(|t| t > epoch - 86_400.0))
                    .count();
                Ok(json!({
                    "DedicatedIpAutoWarmupEnabled": false,
                    "EnforcementStatus": "HEALTHY",
                    "ProductionAccessEnabled": !region.in_sandbox,
                    "SendingEnabled": true,
                    "SendQuota": { "Max24HourSend": max, "MaxSendRate": rate, "SentLast24Hours": sent as f64 },
                    "SuppressionAttributes": { "SuppressedReasons": ["BOUNCE", "COMPLAINT"] },
                }))
            }
            "CreateEmailIdentity" => {
                let identity = text("EmailIdentity");
                if identity.is_empty() || identity.len() > 320 {
                    return Err(bad("EmailIdentity must be an email address or a domain"));
                }
                if region.identities.contains_key(&identity) {
                    return Err(already_exists(format!("Email identity {identity} already exist.")));
                }
                let is_address = identity.contains('@');
                let tokens: Vec<String> = (0..3).map(|i| token(&format!("{account_id}/{identity}/{i}"))).collect();
                let mut record = json!({
                    "IdentityType": if is_address { "EMAIL_ADDRESS" } else { "DOMAIN" },
                    "FeedbackForwardingStatus": true,
                    "VerifiedForSendingStatus": false,
                    "VerificationStatus": "PENDING",
                    "DkimAttributes": {
                        "SigningEnabled": !is_address,
                        "Status": if is_address { "NOT_STARTED" } else { "PENDING" },
                        "Tokens": if is_address { Vec::new() } else { tokens },
                        "SigningAttributesOrigin": "AWS_SES",
                        "CurrentSigningKeyLength": "RSA_2048_BIT",
                        "NextSigningKeyLength": "RSA_2048_BIT",
                    },
                    "Policies": {},
                    "Tags": input.get("Tags").cloned().unwrap_or_else(|| json!([])),
                    "CreatedTimestamp": epoch,
                });
                if let Some(set) = input.get("ConfigurationSetName") {
                    record["ConfigurationSetName"] = set.clone();
                }
                let response = json!({
                    "IdentityType": record["IdentityType"],
                    "VerifiedForSendingStatus": false,
                    "DkimAttributes": record["DkimAttributes"],
                });
                region.identities.insert(identity, record);
                Ok(response)
            }
            "GetEmailIdentity" | "DeleteEmailIdentity" if !region.identities.contains_key(&text("EmailIdentity")) => {
                Err(not_found(format!("Email identity {} does not exist.", text("EmailIdentity"))))
            }
            "GetEmailIdentity" => {
                let mut record = region.identities.get(&text("EmailIdentity")).cloned().unwrap_or_default();
                if let Some(object) = record.as_object_mut() {
                    object.remove("CreatedTimestamp");
                }
                Ok(record)
            }
            "DeleteEmailIdentity" => {
                let name = text("EmailIdentity");
                let arn = format!("arn:aws:ses:{region_name}:{account_id}:identity/{name}");
                region.associations.retain(|(_, a), _| *a != arn);
                region.identities.remove(&name);
                Ok(json!({}))
            }
            "ListEmailIdentities" => {
                let items = region
                    .identities
                    .iter()
                    .map(|(name, r)| {
                        json!({
                            "IdentityName": name,
                            "IdentityType": r["IdentityType"],
                            "SendingEnabled": r["VerifiedForSendingStatus"],
                            "VerificationStatus": r["VerificationStatus"],
                        })
                    })
                    .collect();
                page(items, input, "EmailIdentities")
            }
            "CreateConfigurationSet" => {
                let name = text("ConfigurationSetName");
                if region.configuration_sets.contains_key(&name) {
                    return Err(already_exists(format!("Configuration set <{name}> already exists.")));
                }
                let mut settings: Map<String, Value> = input.as_object().cloned().unwrap_or_default();
                settings.entry("Tags").or_insert_with(|| json!([]));
                region.configuration_sets.insert(name, (Value::Object(settings), BTreeMap::new()));
                Ok(json!({}))
            }
            // The per-option setters and UpdateConfigurationSet: each replaces one options member.
            op if (op.starts_with("PutConfigurationSet")
                && op.ends_with("Options")
                && op != "PutConfigurationSetSuppressionOptions")
                || op == "UpdateConfigurationSet" =>
            {
                let name = text("ConfigurationSetName");
                let (settings, _) = region
                    .configuration_sets
                    .get_mut(&name)
                    .ok_or_else(|| not_found(format!("Configuration set <{name}> does not exist.")))?;
                let member = if op == "UpdateConfigurationSet" {
                    "MessageSecurityOptions".to_owned()
                } else {
                    op.trim_start_matches("PutConfigurationSet").to_owned()
                };
                let mut options: Map<String, Value> = input.as_object().cloned().unwrap_or_default();
                options.remove("ConfigurationSetName");
                settings[member.as_str()] = match op {
                    "UpdateConfigurationSet" => input["MessageSecurityOptions"].clone(),
                    // The one setter whose input wraps the options in a member of the same name.
                    "PutConfigurationSetVdmOptions" => input["VdmOptions"].clone(),
                    _ => Value::Object(options),
                };
                Ok(json!({}))
            }
            "GetConfigurationSet" => {
                let name = text("ConfigurationSetName");
                region
                    .configuration_sets
                    .get(&name)
                    .map(|(s, _)| s.clone())
                    .ok_or_else(|| not_found(format!("Configuration set <{name}> does not exist.")))
            }
            "DeleteConfigurationSet" => {
                let name = text("ConfigurationSetName");
                let arn = format!("arn:aws:ses:{region_name}:{account_id}:configuration-set/{name}");
                region.associations.retain(|(_, a), _| *a != arn);
                region
                    .configuration_sets
                    .remove(&name)
                    .map(|_| json!({}))
                    .ok_or_else(|| not_found(format!("Configuration set <{name}> does not exist.")))
            }
            "ListConfigurationSets" => {
                let items = region.configuration_sets.keys().map(|k| json!(k)).collect();
                page(items, input, "ConfigurationSets")
            }
            "CreateConfigurationSetEventDestination" => {
                let name = text("ConfigurationSetName");
                let destination_name = text("EventDestinationName");
                let (_, destinations) = region
                    .configuration_sets
                    .get_mut(&name)
                    .ok_or_else(|| not_found(format!("Configuration set <{name}> does not exist.")))?;
                if destinations.contains_key(&destination_name) {
                    return Err(already_exists(format!("Event destination {destination_name} already exists.")));
                }
                let mut destination = input["EventDestination"].clone();
                destination["Name"] = json!(destination_name);
                if destination.get("MatchingEventTypes").is_none() {
                    destination["MatchingEventTypes"] = json!([]);
                }
                destinations.insert(destination_name, destination);
                Ok(json!({}))
            }
            op @ ("UpdateConfigurationSetEventDestination" | "DeleteConfigurationSetEventDestination") => {
                let name = text("ConfigurationSetName");
                let destination_name = text("EventDestinationName");
                let (_, destinations) = region
                    .configuration_sets
                    .get_mut(&name)
                    .ok_or_else(|| not_found(format!("Configuration set <{name}> does not exist.")))?;
                if !destinations.contains_key(&destination_name) {
                    return Err(not_found(format!("Event destination {destination_name} does not exist.")));
                }
                if op == "DeleteConfigurationSetEventDestination" {
                    destinations.remove(&destination_name);
                } else {
                    let mut destination = input["EventDestination"].clone();
                    destination["Name"] = json!(destination_name);
                    if destination.get("MatchingEventTypes").is_none() {
                        destination["MatchingEventTypes"] = json!([]);
                    }
                    destinations.insert(destination_name, destination);
                }
                Ok(json!({}))
            }
            "GetConfigurationSetEventDestinations" => {
                let name = text("ConfigurationSetName");
                let (_, destinations) = region
                    .configuration_sets
                    .get(&name)
                    .ok_or_else(|| not_found(format!("Configuration set <{name}> does not exist.")))?;
                Ok(json!({ "EventDestinations": destinations.values().cloned().collect::<Vec<_>>() }))
            }
            other => Err(ServiceError::new(
                StatusCode::NOT_IMPLEMENTED,
                "NotImplementedException",
                format!("the Pinshift sandbox does not implement SES v2 {other} yet"),
            )),
        }
    }
}

/// SES v2 paging: `PageSize` / `NextToken` in, `NextToken` beside the list out.
fn page(items: Vec<Value>, input: &Value, list: &str) -> Result<Value, ServiceError> {
    let size = input["PageSize"].as_u64().map(|n| n as usize).unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, 1000);
    crate::paging::page(items, size, input["NextToken"].as_str(), list).ok_or_else(|| bad("Invalid NextToken"))
}

/// A DKIM token: 32 lowercase letters and digits, stable for the identity.
fn token(seed: &str) -> String {
    let mut state =
        seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (0..32)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let n = (state >> 33) % 36;
            char::from_digit(n as u32, 36).unwrap_or('a')
        })
        .collect()
}
