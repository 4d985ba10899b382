//! Sending and events: SendMessages, SendUsersMessages, SendOTPMessage / VerifyOTPMessage, PutEvents,
//! GetInAppMessages, PhoneNumberValidate and RemoveAttributes. The sandbox delivers nothing: sends are
//! accepted and reported per address the way Pinpoint reports them (an opted-out endpoint gets OPT_OUT),
//! which is what a parallel run compares.
//!
//! The one-time password the sandbox "sends" is always the first `CodeLength` digits of `1234567890`
//! (`123456` by default), so tests can verify it.

use serde_json::{Map, Value, json};

use super::{PinpointState, Scope, app_mut, payload, text};
use crate::model::bad_request;
use crate::wire::ServiceError;

const OPERATIONS: [&str; 8] = [
    "SendMessages",
    "SendUsersMessages",
    "SendOTPMessage",
    "VerifyOTPMessage",
    "PutEvents",
    "GetInAppMessages",
    "PhoneNumberValidate",
    "RemoveAttributes",
];

fn delivered(address: Option<&str>, opted_out: bool) -> Value {
    let mut result = if opted_out {
        json!({ "DeliveryStatus": "OPT_OUT", "StatusCode": 400, "StatusMessage": "The endpoint has opted out" })
    } else {
        json!({
            "DeliveryStatus": "SUCCESSFUL",
            "StatusCode": 200,
            "StatusMessage": "Accepted (the sandbox delivers nothing)",
            "MessageId": uuid::Uuid::new_v4().simple().to_string(),
        })
    };
    if let Some(address) = address {
        result["Address"] = json!(address);
    }
    result
}

pub fn handle(
    state: &mut PinpointState,
    scope: &Scope,
    op: &str,
    input: &Value,
) -> Option<Result<Value, ServiceError>> {
    if !OPERATIONS.contains(&op) {
        return None;
    }
    if op == "PhoneNumberValidate" {
        return Some(validate_number(&payload(input, "NumberValidateRequest")));
    }
    let app_id = text(input, "ApplicationId").to_owned();
    let now = scope.now.clone();
    Some(app_mut(state.region(scope), &app_id).and_then(|app| match op {
        "SendMessages" => {
            let request = payload(input, "MessageRequest");
            let mut results = Map::new();
            for address in request.get("Addresses").and_then(Value::as_object).into_iter().flat_map(|a| a.keys()) {
                results.insert(address.clone(), without_address(delivered(None, false)));
            }
            let mut endpoint_results = Map::new();
            for id in request.get("Endpoints").and_then(Value::as_object).into_iter().flat_map(|e| e.keys()) {
                let endpoint = app.endpoints.get(&app_id, id, &now);
                let result = match &endpoint {
                    Some(e) => delivered(e["Address"].as_str(), e["OptOut"] == "ALL"),
                    None => json!({ "DeliveryStatus": "PERMANENT_FAILURE", "StatusCode": 404, "StatusMessage": "Endpoint not found" }),
                };
                endpoint_results.insert(id.clone(), result);
            }
            Ok(json!({
                "ApplicationId": app_id,
                "RequestId": uuid::Uuid::new_v4().to_string(),
                "Result": results,
                "EndpointResult": endpoint_results,
            }))
        }
        "SendUsersMessages" => {
            let request = payload(input, "SendUsersMessageRequest");
            let mut results = Map::new();
            for user in request.get("Users").and_then(Value::as_object).into_iter().flat_map(|u| u.keys()) {
                let per_endpoint: Map<String, Value> = app
                    .endpoints
                    .all(&app_id, &now)
                    .filter(|e| e["User"]["UserId"] == user.as_str())
                    .map(|e| {
                        let id = e["Id"].as_str().unwrap_or_default().to_owned();
                        (id, delivered(e["Address"].as_str(), e["OptOut"] == "ALL"))
                    })
                    .collect();
                results.insert(user.clone(), Value::Object(per_endpoint));
            }
            Ok(json!({ "ApplicationId": app_id, "RequestId": uuid::Uuid::new_v4().to_string(), "Result": results }))
        }
        "SendOTPMessage" => {
            let request = payload(input, "SendOTPMessageRequestParameters");
            let destination = request.get("DestinationIdentity").and_then(Value::as_str).unwrap_or_default();
            let mut result = Map::new();
            result.insert(destination.to_owned(), without_address(delivered(None, false)));
            Ok(json!({ "ApplicationId": app_id, "RequestId": uuid::Uuid::new_v4().to_string(), "Result": result }))
        }
        "VerifyOTPMessage" => {
            let request = payload(input, "VerifyOTPMessageRequestParameters");
            let otp = request.get("Otp").and_then(Value::as_str).unwrap_or_default();
            let valid = (4..=8).contains(&otp.len()) && "1234567890".starts_with(otp);
            Ok(json!({ "Valid": valid }))
        }
        "PutEvents" => {
            let request = payload(input, "EventsRequest");
            let mut results = Map::new();
            for (id, batch) in request.get("BatchItem").and_then(Value::as_object).into_iter().flatten() {
                let mut endpoint = app.endpoints.get(&app_id, id, &now).unwrap_or_else(|| {
                    json!({ "ApplicationId": app_id, "Id": id, "CreationDate": now, "EndpointStatus": "ACTIVE", "OptOut": "NONE", "CohortId": "0" })
                });
                for (key, value) in batch["Endpoint"].as_object().into_iter().flatten() {
                    endpoint[key.as_str()] = value.clone();
                }
                endpoint["EffectiveDate"] = json!(now);
                app.endpoints.written.insert(id.clone(), endpoint);
                let events: Map<String, Value> = batch["Events"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(event_id, _)| (event_id.clone(), json!({ "Message": "Accepted", "StatusCode": 202 })))
                    .collect();
                results.insert(
                    id.clone(),
                    json!({ "EndpointItemResponse": { "Message": "Accepted", "StatusCode": 202 }, "EventsItemResponse": events }),
                );
            }
            Ok(json!({ "Results": results }))
        }
        "GetInAppMessages" => {
            let campaigns: Vec<Value> = app
                .campaigns
                .values()
                .filter_map(|versions| versions.last())
                .filter(|c| c["Schedule"]["Frequency"] == "IN_APP_EVENT" && c["State"]["CampaignStatus"] != "PAUSED")
                .map(|c| {
                    let message = c["MessageConfiguration"]["InAppMessage"].clone();
                    let mut entry = json!({
                        "CampaignId": c["Id"],
                        "Priority": c.get("Priority").cloned().unwrap_or(json!(1)),
                        "DailyCap": c["Limits"]["Daily"].as_i64().unwrap_or(0),
                        "SessionCap": c["Limits"]["Session"].as_i64().unwrap_or(0),
                        "TotalCap": c["Limits"]["Total"].as_i64().unwrap_or(0),
                        "TreatmentId": "0",
                        "Schedule": { "EventFilter": c["Schedule"]["EventFilter"] },
                    });
                    if message.is_object() {
                        entry["InAppMessage"] = json!({ "Content": message["Content"], "Layout": message["Layout"] });
                    }
                    entry
                })
                .collect();
            Ok(json!({ "InAppMessageCampaigns": campaigns }))
        }
        "RemoveAttributes" => {
            let kind = text(input, "AttributeType").to_owned();
            let field = match kind.as_str() {
                "endpoint-custom-attributes" => "Attributes",
                "endpoint-metric-attributes" => "Metrics",
                "endpoint-user-attributes" => "UserAttributes",
                other => return Err(bad_request(format!("{other} is not an attribute type"))),
            };
            let names: Vec<String> = payload(input, "UpdateAttributesRequest")
                .get("Blacklist")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            for endpoint in app.endpoints.written.values_mut() {
                // get_mut, not indexing: indexing a missing key would insert a null.
                let target = if field == "UserAttributes" {
                    endpoint.get_mut("User").and_then(|u| u.get_mut("UserAttributes"))
                } else {
                    endpoint.get_mut(field)
                };
                if let Some(map) = target.and_then(Value::as_object_mut) {
                    map.retain(|k, _| !names.contains(k));
                }
            }
            app.endpoints.removed_attributes.extend(names.iter().map(|n| (field.to_owned(), n.clone())));
            Ok(json!({ "ApplicationId": app_id, "AttributeType": kind, "Attributes": names }))
        }
        _ => Err(bad_request(format!("{op} is not a messaging operation"))),
    }))
}

fn without_address(mut result: Value) -> Value {
    if let Some(object) = result.as_object_mut() {
        object.remove("Address");
    }
    result
}

/// Number validation with what can be told from the number itself (country calling code, E.164 form).
fn validate_number(request: &Map<String, Value>) -> Result<Value, ServiceError> {
    let original = request.get("PhoneNumber").and_then(Value::as_str).unwrap_or_default();
    let digits: String = original.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 7 || digits.len() > 15 {
        return Err(bad_request("PhoneNumber must have 7 to 15 digits"));
    }
    let country_hint = request.get("IsoCountryCode").and_then(Value::as_str).unwrap_or("US");
    let (e164, iso, numeric, country) = match (original.starts_with('+'), &digits) {
        (true, d) if d.starts_with('1') => (format!("+{d}"), "US", "1", "United States"),
        (true, d) if d.starts_with("44") => (format!("+{d}"), "GB", "44", "United Kingdom"),
        (true, d) => (format!("+{d}"), "ZZ", "", "Unknown"),
        (false, d) if country_hint == "GB" => {
            (format!("+44{}", d.trim_start_matches('0')), "GB", "44", "United Kingdom")
        }
        (false, d) => (format!("+1{d}"), "US", "1", "United States"),
    };
    Ok(json!({
        "OriginalPhoneNumber": original,
        "OriginalCountryCodeIso2": country_hint,
        "CleansedPhoneNumberE164": e164,
        "CleansedPhoneNumberNational": digits,
        "CountryCodeIso2": iso,
        "CountryCodeNumeric": numeric,
        "Country": country,
        "PhoneType": "MOBILE",
        "PhoneTypeCode": 0,
        "Carrier": "Sandbox Mobile",
    }))
}
