//! The SES v2 resources an email channel references: its identity (verification, DKIM) and its
//! configuration set with event destinations. Recorded as account-level resources.

use aws_config::SdkConfig;
use pinshift_core::estate::ResourceKind;
use serde_json::Value;

use crate::source::read::{Collector, send};

/// Reads the identity (`Identity` ARN's last part) and configuration set an email channel names.
pub(crate) async fn read_email_channel_references(config: &SdkConfig, channel: &Value, out: &mut Collector<'_>) {
    let ses = aws_sdk_sesv2::Client::new(config);
    let project = std::mem::take(&mut out.project);
    if let Some(identity) =
        channel["Identity"].as_str().and_then(|arn| arn.rsplit('/').next()).filter(|i| !i.is_empty())
    {
        let (result, raw) = send!(ses.get_email_identity().email_identity(identity));
        match result {
            Ok(_) => out.record(ResourceKind::EmailIdentity, identity, "", Some(identity), raw),
            Err(error) => out.fail(ResourceKind::EmailIdentity, "ses:GetEmailIdentity", &error),
        }
    }
    if let Some(set) = channel["ConfigurationSet"].as_str().filter(|s| !s.is_empty()) {
        let (result, mut raw) = send!(ses.get_configuration_set().configuration_set_name(set));
        match result {
            Ok(_) => {
                let (destinations, destinations_raw) =
                    send!(ses.get_configuration_set_event_destinations().configuration_set_name(set));
                match destinations {
                    Ok(_) => raw["EventDestinations"] = destinations_raw["EventDestinations"].clone(),
                    Err(error) => out.fail(
                        ResourceKind::EmailConfigurationSet,
                        "ses:GetConfigurationSetEventDestinations",
                        &error,
                    ),
                }
                out.record(ResourceKind::EmailConfigurationSet, set, "", Some(set), raw);
            }
            Err(error) => out.fail(ResourceKind::EmailConfigurationSet, "ses:GetConfigurationSet", &error),
        }
    }
    out.project = project;
}
