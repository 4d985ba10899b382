//! SES v2 tenant management: tenants (create, get, list with filters, delete — which removes the
//! associations, never the resources), tenant resource associations (identity, configuration set,
//! template; one resource may belong to several tenants), reputation entities with their management policy
//! (standard, strict, none) and customer-managed sending status, and recommendations.

use serde_json::{Value, json};

use super::{RegionState, Where, already_exists, bad, not_found, page};
use crate::model::Call;
use crate::wire::ServiceError;

/// Tenants per account and Region (SES's default quota).
pub const TENANTS_PER_REGION: usize = 10_000;

/// The reputation policies AWS manages, by the last part of their ARN.
const POLICIES: &[&str] = &["standard", "strict", "none"];

pub fn policy_arn(place: &Where<'_>, name: &str) -> String {
    format!("arn:aws:ses:{}:aws:reputation-policy/{name}", place.region)
}

fn status_record(status: &str, now: f64) -> Value {
    json!({ "Status": status, "LastUpdatedTimestamp": now })
}

impl RegionState {
    /// The kind of SES resource an ARN names in this place (for associations and tags).
    pub fn resource_kind(&self, place: &Where<'_>, arn: &str) -> Option<&'static str> {
        let prefix = format!("arn:aws:ses:{}:{}:", place.region, place.account_id);
        let rest = arn.strip_prefix(&prefix)?;
        let (kind, name) = rest.split_once('/')?;
        match kind {
            "identity" if self.identities.contains_key(name) => Some("EMAIL_IDENTITY"),
            "configuration-set" if self.configuration_sets.contains_key(name) => Some("CONFIGURATION_SET"),
            "template" if self.templates.contains_key(name) => Some("EMAIL_TEMPLATE"),
            _ => None,
        }
    }

    fn tenant(&self, name: &str) -> Result<&Value, ServiceError> {
        self.tenants.get(name).ok_or_else(|| not_found(format!("Tenant {name} does not exist.")))
    }

    /// The reputation entity of a tenant or resource ARN, created on first sight with the standard policy.
    fn entity(&mut self, place: &Where<'_>, reference: &str) -> Result<&mut Value, ServiceError> {
        let known = self.tenants.values().any(|t| t["TenantArn"] == reference)
            || self.resource_kind(place, reference).is_some();
        if !known {
            return Err(not_found(format!("Reputation entity {reference} does not exist.")));
        }
        let now = place.epoch;
        let standard = policy_arn(place, "standard");
        Ok(self.reputation.entry(reference.to_owned()).or_insert_with(|| {
            json!({
                "ReputationEntityReference": reference,
                "ReputationEntityType": "RESOURCE",
                "ReputationManagementPolicy": standard,
                "CustomerManagedStatus": status_record("ENABLED", now),
                "AwsSesManagedStatus": status_record("ENABLED", now),
                "SendingStatusAggregate": "ENABLED",
                "ReputationImpact": "LOW",
            })
        }))
    }

    /// What Virtual Deliverability Manager would recommend: DKIM for every domain identity (OPEN until its
    /// records verify, then FIXED).
    fn recommendations(&self, place: &Where<'_>) -> Vec<Value> {
        self.identities
            .iter()
            .filter(|(_, i)| i["IdentityType"] == "DOMAIN")
            .map(|(name, i)| {
                let fixed = i["DkimAttributes"]["Status"] == "SUCCESS";
                json!({
                    "ResourceArn": format!("arn:aws:ses:{}:{}:identity/{name}", place.region, place.account_id),
                    "Type": "DKIM",
                    "Description": if fixed { "DKIM is set up" } else { "Publish the DKIM CNAME records so that mail from this domain is signed" },
                    "Status": if fixed { "FIXED" } else { "OPEN" },
                    "Impact": "HIGH",
                    "CreatedTimestamp": i["CreatedTimestamp"].as_f64().unwrap_or(place.epoch),
                    "LastUpdatedTimestamp": place.epoch,
                })
            })
            .collect()
    }

    /// Whether a tenant may send with a resource (it must be associated with it).
    pub fn associated(&self, tenant: &str, arn: &str) -> bool {
        self.associations.contains_key(&(tenant.to_owned(), arn.to_owned()))
    }

    pub fn handle_tenants(&mut self, place: &Where<'_>, call: &Call) -> Option<Result<Value, ServiceError>> {
        let input = &call.input;
        let text = |member: &str| input[member].as_str().unwrap_or_default().to_owned();
        Some((|| match call.operation.as_str() {
            "CreateTenant" => {
                let name = text("TenantName");
                if name.is_empty() || name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                    return Err(bad("TenantName must be 1-64 letters, digits, '-' or '_'"));
                }
                if self.tenants.contains_key(&name) {
                    return Err(already_exists(format!("Tenant {name} already exists.")));
                }
                if self.tenants.len() >= TENANTS_PER_REGION {
                    return Err(ServiceError::new(
                        axum::http::StatusCode::BAD_REQUEST,
                        "LimitExceededException",
                        format!("The maximum number of tenants ({TENANTS_PER_REGION}) has been reached."),
                    ));
                }
                let id = uuid::Uuid::new_v4().simple().to_string();
                let tenant = json!({
                    "TenantName": name,
                    "TenantId": id,
                    "TenantArn": format!("arn:aws:ses:{}:{}:tenant/{name}/{id}", place.region, place.account_id),
                    "CreatedTimestamp": place.epoch,
                    "SendingStatus": "ENABLED",
                    "SuppressionAttributes": input.get("SuppressionAttributes").cloned()
                        .unwrap_or_else(|| json!({ "SuppressedReasons": ["BOUNCE", "COMPLAINT"], "SuppressionScope": "ACCOUNT" })),
                    "Tags": input.get("Tags").cloned().unwrap_or_else(|| json!([])),
                });
                self.tenants.insert(name, tenant.clone());
                Ok(tenant)
            }
            "GetTenant" => Ok(json!({ "Tenant": self.tenant(&text("TenantName"))? })),
            "ListTenants" => {
                let contains = input["Filter"]["TENANT_NAME_CONTAINS"].as_str();
                let status = input["Filter"]["SENDING_STATUS"].as_str();
                let items = self
                    .tenants
                    .values()
                    .filter(|t| contains.is_none_or(|c| t["TenantName"].as_str().is_some_and(|n| n.contains(c))))
                    .filter(|t| status.is_none_or(|s| t["SendingStatus"] == s))
                    .map(|t| json!({ "TenantName": t["TenantName"], "TenantId": t["TenantId"], "TenantArn": t["TenantArn"],
                                     "CreatedTimestamp": t["CreatedTimestamp"], "SendingStatus": t["SendingStatus"] }))
                    .collect();
                page(items, input, "Tenants")
            }
            "DeleteTenant" => {
                let name = text("TenantName");
                let tenant = self.tenants.remove(&name).ok_or_else(|| not_found(format!("Tenant {name} does not exist.")))?;
                self.associations.retain(|(t, _), _| *t != name);
                self.suppressed.retain(|(t, _), _| t.as_deref() != Some(name.as_str()));
                if let Some(arn) = tenant["TenantArn"].as_str() {
                    self.reputation.remove(arn);
                }
                Ok(json!({}))
            }
            "CreateTenantResourceAssociation" => {
                let name = text("TenantName");
                let arn = text("ResourceArn");
                self.tenant(&name)?;
                if self.resource_kind(place, &arn).is_none() {
                    return Err(not_found(format!("Resource {arn} does not exist.")));
                }
                let key = (name.clone(), arn.clone());
                if self.associations.contains_key(&key) {
                    return Err(already_exists(format!("{arn} is already associated with tenant {name}.")));
                }
                self.associations.insert(key, place.epoch);
                Ok(json!({}))
            }
            "DeleteTenantResourceAssociation" => {
                let key = (text("TenantName"), text("ResourceArn"));
                self.tenant(&key.0)?;
                self.associations
                    .remove(&key)
                    .map(|_| json!({}))
                    .ok_or_else(|| not_found(format!("{} is not associated with tenant {}.", key.1, key.0)))
            }
            "ListTenantResources" => {
                let name = text("TenantName");
                self.tenant(&name)?;
                let kind = input["Filter"]["RESOURCE_TYPE"].as_str();
                let items = self
                    .associations
                    .keys()
                    .filter(|(t, _)| *t == name)
                    .filter_map(|(_, arn)| self.resource_kind(place, arn).map(|k| (arn, k)))
                    .filter(|(_, k)| kind.is_none_or(|want| want == *k))
                    .map(|(arn, k)| json!({ "ResourceArn": arn, "ResourceType": k }))
                    .collect();
                page(items, input, "TenantResources")
            }
            "ListResourceTenants" => {
                let arn = text("ResourceArn");
                if self.resource_kind(place, &arn).is_none() {
                    return Err(not_found(format!("Resource {arn} does not exist.")));
                }
                let items = self
                    .associations
                    .iter()
                    .filter(|((_, a), _)| *a == arn)
                    .filter_map(|((t, _), at)| self.tenants.get(t).map(|tenant| (tenant, at)))
                    .map(|(tenant, at)| json!({ "TenantName": tenant["TenantName"], "TenantId": tenant["TenantId"],
                                                "ResourceArn": arn, "AssociatedTimestamp": at }))
                    .collect();
                page(items, input, "ResourceTenants")
            }
            "PutTenantSuppressionAttributes" => {
                let name = text("TenantName");
                let tenant = self.tenants.get_mut(&name).ok_or_else(|| not_found(format!("Tenant {name} does not exist.")))?;
                for member in ["SuppressedReasons", "SuppressionScope"] {
                    if let Some(value) = input.get(member) {
                        tenant["SuppressionAttributes"][member] = value.clone();
                    }
                }
                Ok(json!({}))
            }
            "GetReputationEntity" => {
                let entity = self.entity(place, &text("ReputationEntityReference"))?;
                Ok(json!({ "ReputationEntity": entity }))
            }
            "ListReputationEntities" => {
                let references: Vec<String> = self
                    .tenants
                    .values()
                    .filter_map(|t| t["TenantArn"].as_str().map(str::to_owned))
                    // Resources a tenant uses have reputation entities, as do those read or set before.
                    .chain(self.associations.keys().map(|(_, arn)| arn.clone()))
                    .chain(self.reputation.keys().cloned())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let mut items = Vec::new();
                for reference in references {
                    if let Ok(entity) = self.entity(place, &reference) {
                        items.push(entity.clone());
                    }
                }
                let filter = &input["Filter"];
                items.retain(|e| {
                    filter["SENDING_STATUS"].as_str().is_none_or(|s| e["SendingStatusAggregate"] == s)
                        && filter["REPUTATION_IMPACT"].as_str().is_none_or(|s| e["ReputationImpact"] == s)
                        && filter["ENTITY_TYPE"].as_str().is_none_or(|s| e["ReputationEntityType"] == s)
                        && filter["ENTITY_REFERENCE_PREFIX"]
                            .as_str()
                            .is_none_or(|p| e["ReputationEntityReference"].as_str().is_some_and(|r| r.starts_with(p)))
                });
                page(items, input, "ReputationEntities")
            }
            "UpdateReputationEntityPolicy" => {
                let policy = text("ReputationEntityPolicy");
                let name = policy.rsplit('/').next().unwrap_or_default();
                if !policy.starts_with("arn:aws:ses:") || !POLICIES.contains(&name) {
                    return Err(bad(format!(
                        "ReputationEntityPolicy must be an AWS-managed policy ARN (…:reputation-policy/standard|strict|none), not {policy:?}"
                    )));
                }
                let entity = self.entity(place, &text("ReputationEntityReference"))?;
                entity["ReputationManagementPolicy"] = json!(policy);
                Ok(json!({}))
            }
            "UpdateReputationEntityCustomerManagedStatus" => {
                let status = text("SendingStatus");
                let now = place.epoch;
                let reference = text("ReputationEntityReference");
                let entity = self.entity(place, &reference)?;
                entity["CustomerManagedStatus"] = status_record(&status, now);
                let aggregate = if status == "DISABLED" || entity["AwsSesManagedStatus"]["Status"] == "DISABLED" { "DISABLED" } else { "ENABLED" };
                entity["SendingStatusAggregate"] = json!(aggregate);
                if let Some(tenant) = self.tenants.values_mut().find(|t| t["TenantArn"] == reference.as_str()) {
                    tenant["SendingStatus"] = json!(aggregate);
                }
                Ok(json!({}))
            }
            "ListRecommendations" => {
                let items: Vec<Value> = self
                    .recommendations(place)
                    .into_iter()
                    .filter(|r| {
                        let filter = &input["Filter"];
                        ["TYPE", "IMPACT", "STATUS", "RESOURCE_ARN"].iter().all(|key| {
                            let member = match *key {
                                "TYPE" => "Type",
                                "IMPACT" => "Impact",
                                "STATUS" => "Status",
                                _ => "ResourceArn",
                            };
                            filter[*key].as_str().is_none_or(|want| r[member] == want)
                        })
                    })
                    .collect();
                page(items, input, "Recommendations")
            }
            _ => Err(ServiceError::new(axum::http::StatusCode::NOT_IMPLEMENTED, "NotImplemented", "")),
        })())
        .filter(|answer| !matches!(answer, Err(e) if e.code == "NotImplemented"))
    }
}
