//! The least-privilege IAM policies Pinshift asks a customer's admin for. The scan's policy is read-only:
//! every action is a Get, List or Describe, plus STS GetCallerIdentity. A test runs a full scan against
//! the sandbox and checks every call it made is allowed here.

use serde_json::{Value, json};

/// What the inventory scan calls, as IAM actions.
pub const SCAN_ACTIONS: &[&str] = &[
    "sts:GetCallerIdentity",
    "mobiletargeting:GetApps",
    "mobiletargeting:GetApplicationSettings",
    "mobiletargeting:GetChannels",
    "mobiletargeting:GetEmailChannel",
    "mobiletargeting:GetSmsChannel",
    "mobiletargeting:GetVoiceChannel",
    "mobiletargeting:GetApnsChannel",
    "mobiletargeting:GetApnsSandboxChannel",
    "mobiletargeting:GetApnsVoipChannel",
    "mobiletargeting:GetApnsVoipSandboxChannel",
    "mobiletargeting:GetGcmChannel",
    "mobiletargeting:GetBaiduChannel",
    "mobiletargeting:GetAdmChannel",
    "mobiletargeting:GetSegments",
    "mobiletargeting:GetSegmentVersions",
    "mobiletargeting:GetCampaigns",
    "mobiletargeting:GetCampaignVersions",
    "mobiletargeting:GetCampaignActivities",
    "mobiletargeting:ListJourneys",
    "mobiletargeting:GetJourneyExecutionMetrics",
    "mobiletargeting:GetEventStream",
    "mobiletargeting:GetImportJobs",
    "mobiletargeting:GetExportJobs",
    "mobiletargeting:GetApplicationDateRangeKpi",
    "mobiletargeting:ListTemplates",
    "mobiletargeting:ListTemplateVersions",
    "mobiletargeting:GetEmailTemplate",
    "mobiletargeting:GetSmsTemplate",
    "mobiletargeting:GetPushTemplate",
    "mobiletargeting:GetVoiceTemplate",
    "mobiletargeting:GetInAppTemplate",
    "mobiletargeting:GetRecommenderConfigurations",
    "ses:GetEmailIdentity",
    "ses:GetConfigurationSet",
    "ses:GetConfigurationSetEventDestinations",
    "sms-voice:DescribePhoneNumbers",
    "sms-voice:DescribeSenderIds",
    "sms-voice:DescribePools",
    "sms-voice:ListPoolOriginationIdentities",
    "sms-voice:DescribeOptOutLists",
    "sms-voice:DescribeOptedOutNumbers",
    "sms-voice:DescribeConfigurationSets",
    "sms-voice:DescribeRegistrations",
];

/// The scan's IAM policy document. Pinpoint does not support resource-level permissions for most
/// reads, so the resource is `*`.
pub fn scan_policy() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "PinshiftReadOnlyInventory",
            "Effect": "Allow",
            "Action": SCAN_ACTIONS,
            "Resource": "*",
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_policy_is_read_only() {
        for action in SCAN_ACTIONS {
            let (_, operation) = action.split_once(':').expect("service:Operation");
            assert!(
                ["Get", "List", "Describe"].iter().any(|verb| operation.starts_with(verb)),
                "{action} is not a read"
            );
        }
    }
}
