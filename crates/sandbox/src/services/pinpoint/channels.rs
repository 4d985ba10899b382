//! The ten channel types. Credentials (APNs certificates and keys, FCM service JSON, API keys) are
//! accepted and never returned, as on AWS; responses only say whether one is present.

use serde_json::{Map, Value, json};

use super::{PinpointState, Scope, app_mut, payload, project, text};
use crate::model::not_found;
use crate::wire::ServiceError;

/// (operation infix, platform, request payload member, response shape).
const CHANNELS: &[(&str, &str, &str, &str)] = &[
    ("Email", "EMAIL", "EmailChannelRequest", "EmailChannelResponse"),
    ("Sms", "SMS", "SMSChannelRequest", "SMSChannelResponse"),
    ("Voice", "VOICE", "VoiceChannelRequest", "VoiceChannelResponse"),
    ("Apns", "APNS", "APNSChannelRequest", "APNSChannelResponse"),
    ("ApnsSandbox", "APNS_SANDBOX", "APNSSandboxChannelRequest", "APNSSandboxChannelResponse"),
    ("ApnsVoip", "APNS_VOIP", "APNSVoipChannelRequest", "APNSVoipChannelResponse"),
    ("ApnsVoipSandbox", "APNS_VOIP_SANDBOX", "APNSVoipSandboxChannelRequest", "APNSVoipSandboxChannelResponse"),
    ("Gcm", "GCM", "GCMChannelRequest", "GCMChannelResponse"),
    ("Baidu", "BAIDU", "BaiduChannelRequest", "BaiduChannelResponse"),
    ("Adm", "ADM", "ADMChannelRequest", "ADMChannelResponse"),
];

/// The Update operation and request shape for a platform (`EMAIL`, `SMS`, …).
pub fn update_operation(platform: &str) -> Option<(String, &'static str)> {
    CHANNELS.iter().find(|c| c.1 == platform).map(|c| (format!("Update{}Channel", c.0), c.2))
}

/// Every platform name.
pub fn platforms() -> impl Iterator<Item = &'static str> {
    CHANNELS.iter().map(|c| c.1)
}

/// Request members that are credentials: stored as "present", never echoed.
const SECRETS: &[&str] = &[
    "Certificate",
    "PrivateKey",
    "TokenKey",
    "TokenKeyId",
    "TeamId",
    "BundleId",
    "ApiKey",
    "ServiceJson",
    "SecretKey",
    "ClientId",
    "ClientSecret",
];

pub fn handle(
    state: &mut PinpointState,
    scope: &Scope,
    op: &str,
    input: &Value,
) -> Option<Result<Value, ServiceError>> {
    let app_id = text(input, "ApplicationId");
    if op == "GetChannels" {
        return Some(app_mut(state.region(scope), app_id).map(|app| {
            let channels: Map<String, Value> = app
                .channels
                .iter()
                .map(|(platform, channel)| (platform.clone(), project(channel.clone(), "ChannelResponse")))
                .collect();
            json!({ "Channels": channels })
        }));
    }
    let (verb, rest) =
        ["Get", "Update", "Delete"].iter().find_map(|verb| op.strip_prefix(verb).map(|rest| (*verb, rest)))?;
    let infix = rest.strip_suffix("Channel")?;
    let (_, platform, request_member, response_shape) = CHANNELS.iter().find(|(name, ..)| *name == infix)?;
    let app = match app_mut(state.region(scope), app_id) {
        Ok(app) => app,
        Err(error) => return Some(Err(error)),
    };
    Some(match verb {
        "Get" => app
            .channels
            .get(*platform)
            .cloned()
            .map(|c| project(c, response_shape))
            .ok_or_else(|| not_found("Resource not found")),
        "Delete" => app
            .channels
            .remove(*platform)
            .map(|c| project(c, response_shape))
            .ok_or_else(|| not_found("Resource not found")),
        _ => {
            let request = payload(input, request_member);
            let previous = app.channels.get(*platform);
            let mut channel = previous.cloned().unwrap_or_else(|| {
                json!({
                    "ApplicationId": app_id,
                    "CreationDate": scope.now,
                    "Id": platform.to_lowercase(),
                    "IsArchived": false,
                    "Platform": platform,
                    "Version": 0,
                    "Enabled": true,
                    "HasCredential": false,
                })
            });
            let mut has_secret = false;
            for (key, value) in &request {
                if SECRETS.contains(&key.as_str()) {
                    has_secret = true;
                } else {
                    channel[key.as_str()] = value.clone();
                }
            }
            if has_secret {
                channel["HasCredential"] = json!(true);
            }
            defaults(&mut channel, platform, &request);
            channel["Version"] = json!(channel["Version"].as_i64().unwrap_or(0) + 1);
            channel["LastModifiedDate"] = json!(scope.now);
            channel["LastModifiedBy"] = json!(format!("arn:aws:iam::{}:root", scope.account_id));
            app.channels.insert((*platform).to_owned(), channel.clone());
            Ok(project(channel, response_shape))
        }
    })
}

/// What AWS fills in for each platform.
fn defaults(channel: &mut Value, platform: &str, request: &Map<String, Value>) {
    match platform {
        "EMAIL" if channel.get("MessagesPerSecond").is_none() => channel["MessagesPerSecond"] = json!(1),
        "SMS" if channel.get("PromotionalMessagesPerSecond").is_none() => {
            channel["PromotionalMessagesPerSecond"] = json!(20);
            channel["TransactionalMessagesPerSecond"] = json!(20);
        }
        "APNS" | "APNS_SANDBOX" | "APNS_VOIP" | "APNS_VOIP_SANDBOX" => {
            if request.contains_key("TokenKey") {
                channel["HasTokenKey"] = json!(true);
            }
            if channel.get("DefaultAuthenticationMethod").is_none() {
                let token = channel["HasTokenKey"].as_bool().unwrap_or(false);
                channel["DefaultAuthenticationMethod"] = json!(if token { "TOKEN" } else { "CERTIFICATE" });
            }
        }
        // The model requires Baidu's Credential (its API key): answered masked, never echoed.
        "BAIDU" => channel["Credential"] = json!("****"),
        "GCM" => {
            if request.contains_key("ServiceJson") {
                channel["HasFcmServiceCredentials"] = json!(true);
            }
            if channel.get("DefaultAuthenticationMethod").is_none() {
                let token = channel["HasFcmServiceCredentials"].as_bool().unwrap_or(false);
                channel["DefaultAuthenticationMethod"] = json!(if token { "TOKEN" } else { "KEY" });
            }
        }
        _ => {}
    }
}
