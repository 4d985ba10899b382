//! Estate files: what the sandbox serves. An estate declares accounts (with their IAM user's access key and
//! the roles other accounts may assume) and, per account and Region, Pinpoint projects and account-level
//! resources. Pinpoint resources are written in the AWS API's own request shapes (`WriteSegmentRequest`,
//! `EmailTemplateRequest`, …), checked against the service model when the estate loads, and created through
//! the same code that serves the API — see `docs/estates.md` in this crate.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The estates compiled into the binary, by name.
const BUILT_IN: &[(&str, &str)] = &[
    ("minimal", include_str!("../estates/minimal.json")),
    ("sample", include_str!("../estates/sample.json")),
    ("demo", include_str!("../estates/demo.json")),
];

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Estate {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The default Region announced in the ready file.
    pub region: String,
    /// Pinpoint answers as after its end of support on 2026-10-30: engagement operations (endpoints,
    /// segments, campaigns, journeys, templates, analytics, settings, the email channel, event streams)
    /// are refused with 403 ForbiddenException; apps, push, SMS, voice, OTP and phone-number validation
    /// keep working.
    #[serde(default)]
    pub pinpoint_retired: bool,
    /// Entries are AWS *responses* (what a scan kept, as in a rehearsal estate Pinshift writes): members
    /// their request shapes lack are dropped instead of refused.
    #[serde(default)]
    pub lenient: bool,
    pub accounts: Vec<Account>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub name: String,
    pub account_id: String,
    /// The IAM user that owns the access key.
    pub user: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Pinpoint resources per Region.
    #[serde(default)]
    pub regions: Vec<RegionEstate>,
}

/// What one account holds in one Region.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionEstate {
    pub region: String,
    #[serde(default)]
    pub projects: Vec<Project>,
    /// Message templates (account-level).
    #[serde(default)]
    pub templates: Vec<TemplateSpec>,
    /// `CreateRecommenderConfiguration` requests, each with a `Name` other resources can refer to.
    #[serde(default)]
    pub recommenders: Vec<serde_json::Value>,
    /// SES `CreateEmailIdentityRequest`s; `"verified": true` marks one as if its DNS records were in place.
    #[serde(default)]
    pub email_identities: Vec<serde_json::Value>,
    /// SES `CreateConfigurationSetRequest`s, each with optional `EventDestinations`:
    /// `[{"EventDestinationName": …, "EventDestination": {…}}]`.
    #[serde(default)]
    pub configuration_sets: Vec<serde_json::Value>,
    /// End User Messaging SMS and voice v2 resources.
    #[serde(default)]
    pub sms: SmsEstate,
    /// S3 buckets the account owns in this Region (export jobs write to them).
    #[serde(default)]
    pub buckets: Vec<String>,
    /// SES `CreateTenantRequest`s, each with optional `Resources`: the tenant's resources as
    /// `identity/NAME`, `configuration-set/NAME` or `template/NAME` (or full ARNs).
    #[serde(default)]
    pub tenants: Vec<serde_json::Value>,
    /// SES `CreateEmailTemplateRequest`s.
    #[serde(default)]
    pub email_templates: Vec<serde_json::Value>,
    /// Q in Connect `CreateKnowledgeBaseRequest`s.
    #[serde(default)]
    pub knowledge_bases: Vec<serde_json::Value>,
    /// Connect `CreateInstanceRequest`s, already ACTIVE, each with optional `Flows`
    /// (`CreateContactFlowRequest`s without `InstanceId`) and `KnowledgeBase` (the name of a knowledge base
    /// above, associated as Q_MESSAGE_TEMPLATES).
    #[serde(default)]
    pub connect_instances: Vec<serde_json::Value>,
    /// Customer Profiles `CreateDomainRequest`s, each with optional `ObjectTypes`
    /// (`PutProfileObjectTypeRequest`s without `DomainName`) and `Instance` (the alias of a Connect instance
    /// above, integrated with the domain).
    #[serde(default)]
    pub profile_domains: Vec<serde_json::Value>,
}

/// SMS-voice v2 resources, in the API's request shapes plus a few estate-only keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsEstate {
    /// `CreateOptOutListRequest`s, with `OptedOutNumbers: ["+1…"]` and/or `GeneratedOptOuts: N`.
    #[serde(default)]
    pub opt_out_lists: Vec<serde_json::Value>,
    /// `RequestSenderIdRequest`s.
    #[serde(default)]
    pub sender_ids: Vec<serde_json::Value>,
    /// `RequestPhoneNumberRequest`s, each with an optional `Label` (for `{{phone:LABEL}}`) and `Status`.
    #[serde(default)]
    pub phone_numbers: Vec<serde_json::Value>,
    /// `CreatePoolRequest`s (`OriginationIdentity` may be `{{phone:LABEL}}` or a sender ID), with
    /// optional `Members`: further origination identities.
    #[serde(default)]
    pub pools: Vec<serde_json::Value>,
    /// `CreateConfigurationSetRequest`s with optional `EventDestinations` (`CreateEventDestinationRequest`s
    /// without `ConfigurationSetName`).
    #[serde(default)]
    pub configuration_sets: Vec<serde_json::Value>,
    /// Registrations: `{"RegistrationType": …, "RegistrationStatus": …}`.
    #[serde(default)]
    pub registrations: Vec<serde_json::Value>,
}

/// A Pinpoint project (app), one per client in the usual BPO set-up.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub name: String,
    #[serde(default)]
    pub tags: serde_json::Map<String, serde_json::Value>,
    /// A `WriteApplicationSettingsRequest`.
    #[serde(default)]
    pub settings: Option<serde_json::Value>,
    /// Channel requests by platform: `EMAIL` → `EmailChannelRequest`, `SMS` → `SMSChannelRequest`, …
    #[serde(default)]
    pub channels: serde_json::Map<String, serde_json::Value>,
    /// `WriteSegmentRequest`s; one with `Versions: [request, …]` gets a version per entry.
    #[serde(default)]
    pub segments: Vec<serde_json::Value>,
    /// `WriteCampaignRequest`s (or `Versions`); `SegmentId` may be `{{segment:NAME}}`.
    #[serde(default)]
    pub campaigns: Vec<serde_json::Value>,
    /// `WriteJourneyRequest`s; segment references as for campaigns.
    #[serde(default)]
    pub journeys: Vec<serde_json::Value>,
    /// A `WriteEventStream`.
    #[serde(default)]
    pub event_stream: Option<serde_json::Value>,
    /// Daily traffic from which KPIs and journey metrics are generated; none means zeros.
    #[serde(default)]
    pub traffic: Option<crate::services::pinpoint::Traffic>,
    /// Past import jobs (`ImportJobRequest`s), reported as completed.
    #[serde(default)]
    pub import_jobs: Vec<serde_json::Value>,
    /// Past export jobs (`ExportJobRequest`s), reported as completed.
    #[serde(default)]
    pub export_jobs: Vec<serde_json::Value>,
    /// The generated endpoint population.
    #[serde(default)]
    pub endpoints: Option<crate::services::pinpoint::Population>,
}

/// A message template: its kind, name, tags and one request per version (oldest first).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateSpec {
    /// EMAIL, SMS, PUSH, VOICE or INAPP.
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub tags: serde_json::Map<String, serde_json::Value>,
    pub versions: Vec<serde_json::Value>,
    /// The version `Get…Template` answers without a version number; the first when not given (new
    /// versions do not become active by themselves on AWS either).
    #[serde(default)]
    pub active_version: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub name: String,
    /// Accounts whose principals may assume the role; empty means only this account.
    #[serde(default)]
    pub trusted_accounts: Vec<String>,
    /// When set, AssumeRole must pass exactly this external id.
    #[serde(default)]
    pub external_id: Option<String>,
    /// IAM actions the role is denied, with `*` wildcards (`mobiletargeting:*Journey*`): calls matching
    /// one are answered with the service's access-denied error.
    #[serde(default)]
    pub deny: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum EstateError {
    #[error("{file}: {source}")]
    Read { file: String, source: std::io::Error },
    #[error("{file}: at {path}: {message}")]
    Invalid { file: String, path: String, message: String },
    #[error("unknown estate {0:?}: name a built-in estate ({1}) or a path to an estate file")]
    Unknown(String, String),
}

impl Estate {
    /// A built-in estate by name, or an estate file by path.
    pub fn load(name_or_path: &str) -> Result<Estate, EstateError> {
        if let Some((name, text)) = BUILT_IN.iter().find(|(name, _)| *name == name_or_path) {
            return Estate::parse(&format!("<built-in {name}>"), text);
        }
        let path = Path::new(name_or_path);
        if !path.exists() {
            let names: Vec<&str> = BUILT_IN.iter().map(|(name, _)| *name).collect();
            return Err(EstateError::Unknown(name_or_path.to_owned(), names.join(", ")));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|source| EstateError::Read { file: path.display().to_string(), source })?;
        Estate::parse(&path.display().to_string(), &text)
    }

    /// Parses estate JSON; errors name the file and the path of the bad field.
    pub fn parse(file: &str, text: &str) -> Result<Estate, EstateError> {
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        let mut estate: Estate = serde_path_to_error::deserialize(deserializer).map_err(|error| {
            let path = error.path().to_string();
            EstateError::Invalid { file: file.to_owned(), path, message: error.into_inner().to_string() }
        })?;
        estate.validate(file)?;
        if estate.lenient {
            crate::seed::keep_request_members(&mut estate);
        }
        crate::seed::check(&estate, file)?;
        Ok(estate)
    }

    fn validate(&self, file: &str) -> Result<(), EstateError> {
        let invalid = |path: String, message: &str| EstateError::Invalid {
            file: file.to_owned(),
            path,
            message: message.to_owned(),
        };
        let mut keys = std::collections::HashSet::new();
        for (i, account) in self.accounts.iter().enumerate() {
            if account.account_id.len() != 12 || !account.account_id.chars().all(|c| c.is_ascii_digit()) {
                return Err(invalid(format!("accounts[{i}].account_id"), "an account id is 12 digits"));
            }
            if !keys.insert(account.access_key_id.as_str()) {
                return Err(invalid(format!("accounts[{i}].access_key_id"), "access key ids must be unique"));
            }
        }
        Ok(())
    }

    /// The JSON Schema of estate files (`pinshift-sandbox schema`). Pinpoint, SES and SMS entries are the
    /// AWS API's request shapes, which the schema leaves open and the loader checks against the models.
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Estate)).unwrap_or_default()
    }

    pub fn account_by_key(&self, access_key_id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.access_key_id == access_key_id)
    }

    pub fn account_by_id(&self, account_id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.account_id == account_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `estate.schema.json` is committed for editors and reviewers; it must match the code.
    #[test]
    fn the_committed_schema_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("estate.schema.json");
        let generated = serde_json::to_string_pretty(&Estate::json_schema()).expect("schema");
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &generated).expect("write schema");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} is stale: run `UPDATE_SCHEMA=1 cargo test -p pinshift-sandbox schema`",
            path.display()
        );
    }

    #[test]
    fn built_in_estates_parse_and_seed() {
        for (name, _) in BUILT_IN {
            let estate = Estate::load(name).expect(name);
            crate::state::World::from_estate(estate).expect(name);
        }
    }

    fn with_project(project: serde_json::Value) -> String {
        serde_json::json!({"name": "x", "region": "us-east-1", "accounts": [{"name": "a", "account_id": "123456789012",
            "user": "u", "access_key_id": "AKIA1", "secret_access_key": "s",
            "regions": [{"region": "us-east-1", "projects": [project]}]}]})
        .to_string()
    }

    #[test]
    fn a_request_of_the_wrong_shape_is_named_with_its_path() {
        let text = with_project(
            serde_json::json!({"name": "p", "segments": [{"Name": "s", "Dimensions": {"Attributes": 5}}]}),
        );
        let message = Estate::parse("estate.json", &text).expect_err("bad").to_string();
        assert!(
            message.starts_with("estate.json: at accounts[0].regions[0].projects[0].segments[0].Dimensions.Attributes"),
            "{message}"
        );
        let text = with_project(serde_json::json!({"name": "p", "channels": {"FAX": {}}}));
        let message = Estate::parse("estate.json", &text).expect_err("bad").to_string();
        assert!(message.contains("channels.FAX") && message.contains("EMAIL"), "{message}");
    }

    #[test]
    fn an_unknown_segment_reference_is_named_when_seeding() {
        let text = with_project(
            serde_json::json!({"name": "p", "campaigns": [{"Name": "c", "SegmentId": "{{segment:ghost}}"}]}),
        );
        let estate = Estate::parse("estate.json", &text).expect("shapes are fine");
        let message = crate::state::World::from_estate(estate).expect_err("ghost").to_string();
        assert!(message.contains("projects[0].campaigns[0]") && message.contains("ghost"), "{message}");
    }

    #[test]
    fn a_bad_field_is_named_with_its_path() {
        let text = r#"{"name":"x","region":"us-east-1","accounts":[{"name":"a","account_id":"1","user":"u",
            "access_key_id":"AKIA1","secret_access_key":"s","roles":[{"name":"r","external_id":7}]}]}"#;
        let error = Estate::parse("estate.json", text).expect_err("bad");
        let message = error.to_string();
        assert!(message.starts_with("estate.json: at accounts[0].roles[0].external_id"), "{message}");
    }
}
