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

/// What audience profiling adds (opt-in): an export job per project, written by Pinpoint with the
/// export role to the customer's bucket, then read back.
pub const AUDIENCE_ACTIONS: &[&str] = &["mobiletargeting:CreateExportJob", "mobiletargeting:GetExportJob"];

/// The scan's policy with audience profiling: the read-only statement, the export job, passing the
/// export role to Pinpoint only, and reading the export back from the bucket (below the prefix).
pub fn audience_policy(settings: &crate::scan::audience::ExportSettings) -> Value {
    let mut policy = scan_policy();
    let statements = policy["Statement"].as_array_mut().expect("the scan policy has statements");
    statements.push(json!({
        "Sid": "PinshiftAudienceExport",
        "Effect": "Allow",
        "Action": AUDIENCE_ACTIONS,
        "Resource": "*",
    }));
    statements.push(json!({
        "Sid": "PinshiftPassExportRoleToPinpoint",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": settings.role_arn,
        "Condition": { "StringEquals": { "iam:PassedToService": "pinpoint.amazonaws.com" } },
    }));
    statements.push(json!({
        "Sid": "PinshiftListExports",
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": format!("arn:aws:s3:::{}", settings.bucket),
        "Condition": { "StringLike": { "s3:prefix": format!("{}pinshift-*", settings.key_prefix()) } },
    }));
    statements.push(json!({
        "Sid": "PinshiftReadExports",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": format!("arn:aws:s3:::{}/{}pinshift-*", settings.bucket, settings.key_prefix()),
    }));
    policy
}

/// What a migration run may write, per successor. Every create is tagged with the client and run id, and
/// rollback deletes only what carries that tag.
const SES_WRITE: &[&str] = &[
    "ses:CreateTenant",
    "ses:GetTenant",
    "ses:ListTenants",
    "ses:DeleteTenant",
    "ses:CreateTenantResourceAssociation",
    "ses:DeleteTenantResourceAssociation",
    "ses:ListTenantResources",
    "ses:GetReputationEntity",
    "ses:UpdateReputationEntityPolicy",
    "ses:CreateConfigurationSet",
    "ses:GetConfigurationSet",
    "ses:DeleteConfigurationSet",
    "ses:CreateConfigurationSetEventDestination",
    "ses:GetConfigurationSetEventDestinations",
    "ses:CreateEmailTemplate",
    "ses:GetEmailTemplate",
    "ses:UpdateEmailTemplate",
    "ses:DeleteEmailTemplate",
    "ses:TestRenderEmailTemplate",
    "ses:GetEmailIdentity",
    "ses:CreateEmailIdentity",
    "ses:DeleteEmailIdentity",
    "ses:PutTenantSuppressionAttributes",
    "ses:DeleteConfigurationSetEventDestination",
    "ses:PutSuppressedDestination",
    "ses:GetSuppressedDestination",
    "ses:ListSuppressedDestinations",
    "ses:TagResource",
    "ses:UntagResource",
    "ses:ListTagsForResource",
    // Production access and the sending quota, read by plan and verify.
    "ses:GetAccount",
];
const SMS_WRITE: &[&str] = &[
    "sms-voice:CreatePool",
    "sms-voice:UpdatePool",
    "sms-voice:DeletePool",
    "sms-voice:DescribePools",
    "sms-voice:AssociateOriginationIdentity",
    "sms-voice:DisassociateOriginationIdentity",
    "sms-voice:ListPoolOriginationIdentities",
    "sms-voice:CreateOptOutList",
    "sms-voice:DeleteOptOutList",
    "sms-voice:PutOptedOutNumber",
    "sms-voice:DescribeOptedOutNumbers",
    "sms-voice:CreateConfigurationSet",
    "sms-voice:DeleteConfigurationSet",
    "sms-voice:SetDefaultSenderId",
    "sms-voice:CreateEventDestination",
    "sms-voice:DeleteEventDestination",
    "sms-voice:DescribeConfigurationSets",
    "sms-voice:PutKeyword",
    "sms-voice:DescribeKeywords",
    "sms-voice:DescribeOptOutLists",
    "sms-voice:DescribePhoneNumbers",
    "sms-voice:DescribeSenderIds",
    "sms-voice:DescribeRegistrations",
    // The SMS sandbox (ACCOUNT_TIER) and the monthly spend limit, read by plan and verify.
    "sms-voice:DescribeAccountAttributes",
    "sms-voice:DescribeSpendLimits",
    "sms-voice:ListTagsForResource",
    "sms-voice:SendTextMessage",
    "sms-voice:TagResource",
    "sms-voice:UntagResource",
    // The topic a client's SMS events go to when it has no stream of its own.
    "sns:CreateTopic",
    "sns:GetTopicAttributes",
    "sns:DeleteTopic",
    "sns:ListTagsForResource",
    "sns:TagResource",
];
const CONNECT_WRITE: &[&str] = &[
    "connect:CreateInstance",
    "connect:DescribeInstance",
    "connect:ListInstances",
    "connect:UpdateInstanceAttribute",
    "connect:CreateContactFlow",
    "connect:DescribeContactFlow",
    "connect:CreateIntegrationAssociation",
    "connect:ListIntegrationAssociations",
    "connect:DeleteIntegrationAssociation",
    "connect:ListContactFlows",
    "connect:DeleteContactFlow",
    "connect:DeleteInstance",
    "connect:ListPhoneNumbersV2",
    "connect:ReleasePhoneNumber",
    "connect:CreateEmailAddress",
    "connect:SearchEmailAddresses",
    "connect:DeleteEmailAddress",
    "connect:ImportPhoneNumber",
    "connect:TagResource",
    "connect:ListTagsForResource",
    "ds:CheckAlias",
    "ds:CreateAlias",
    "ds:CreateIdentityPoolDirectory",
    "ds:DescribeDirectories",
    "ds:AuthorizeApplication",
    "ds:UnauthorizeApplication",
    "ds:DeleteDirectory",
    "iam:CreateServiceLinkedRole",
    "profile:CreateDomain",
    "profile:GetDomain",
    "profile:DeleteDomain",
    "profile:GetProfileObjectType",
    "profile:DeleteProfileObjectType",
    "profile:PutIntegration",
    "profile:GetIntegration",
    "profile:DeleteIntegration",
    "profile:GetSegmentDefinition",
    "profile:DeleteSegmentDefinition",
    "profile:PutProfileObjectType",
    "profile:CreateSegmentDefinition",
    "profile:CreateSegmentEstimate",
    "profile:GetSegmentEstimate",
    "profile:CreateUploadJob",
    "profile:GetUploadJobPath",
    "profile:StartUploadJob",
    "profile:GetUploadJob",
    // The audience load: profile objects, ten a call.
    "profile:BatchPutProfileObject",
    "profile:TagResource",
    "profile:ListTagsForResource",
    "connect-campaigns:CreateCampaign",
    "connect-campaigns:DescribeCampaign",
    "connect-campaigns:DeleteCampaign",
    "connect-campaigns:ListCampaigns",
    "connect-campaigns:DeleteConnectInstanceConfig",
    "connect-campaigns:ListConnectInstanceIntegrations",
    "connect-campaigns:DeleteConnectInstanceIntegration",
    "connect-campaigns:GetInstanceCommunicationLimits",
    "connect-campaigns:StartInstanceOnboardingJob",
    "connect-campaigns:GetInstanceOnboardingJobStatus",
    "connect-campaigns:PutConnectInstanceIntegration",
    "connect-campaigns:PutInstanceCommunicationLimits",
    "connect-campaigns:TagResource",
    "connect-campaigns:ListTagsForResource",
    "wisdom:CreateKnowledgeBase",
    "wisdom:ListKnowledgeBases",
    "wisdom:DeleteKnowledgeBase",
    "wisdom:ListMessageTemplates",
    "wisdom:DeleteMessageTemplate",
    "wisdom:CreateMessageTemplateVersion",
    "wisdom:ListMessageTemplateVersions",
    "wisdom:ActivateMessageTemplate",
    "wisdom:DeactivateMessageTemplate",
    "wisdom:CreateMessageTemplate",
    "wisdom:GetMessageTemplate",
    "wisdom:RenderMessageTemplate",
    "wisdom:TagResource",
    "wisdom:ListTagsForResource",
];

/// Adds to a migrate policy the reads of the endpoint exports that audience loads download
/// (`s3://bucket/prefix/` URLs): ListBucket under each prefix, GetObject below it.
pub fn with_export_reads(mut policy: Value, urls: &[String]) -> Value {
    let mut places: Vec<(String, String)> = urls
        .iter()
        .filter_map(|u| u.strip_prefix("s3://"))
        .map(|rest| {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            (bucket.to_owned(), prefix.to_owned())
        })
        .collect();
    places.sort();
    places.dedup();
    if places.is_empty() {
        return policy;
    }
    let Some(statements) = policy["Statement"].as_array_mut() else { return policy };
    for (i, (bucket, prefix)) in places.iter().enumerate() {
        statements.push(json!({
            "Sid": format!("PinshiftListAudienceExports{i}"),
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": format!("arn:aws:s3:::{bucket}"),
            "Condition": { "StringLike": { "s3:prefix": format!("{prefix}*") } },
        }));
        statements.push(json!({
            "Sid": format!("PinshiftReadAudienceExports{i}"),
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": format!("arn:aws:s3:::{bucket}/{prefix}*"),
        }));
    }
    policy
}

/// The write policy a blueprint's migration needs: only the successors it uses, plus the scan's reads
/// (to verify) and an explicit deny on every Pinpoint write, so the source cannot be modified even by
/// mistake (endpoint exports excepted: they write to the customer's bucket, not to Pinpoint).
pub fn migrate_policy(blueprint: &crate::blueprint::Blueprint) -> Value {
    let mut statements = vec![json!({
        "Sid": "PinshiftReadSource",
        "Effect": "Allow",
        "Action": SCAN_ACTIONS,
        "Resource": "*",
    })];
    let uses = |f: &dyn Fn(&crate::blueprint::ClientTenancy) -> bool| blueprint.clients.iter().any(f);
    if uses(&|p| !p.ses.is_empty()) {
        statements.push(json!({ "Sid": "PinshiftWriteSes", "Effect": "Allow", "Action": SES_WRITE, "Resource": "*" }));
    }
    if uses(&|p| !p.sms.is_empty()) {
        statements.push(json!({ "Sid": "PinshiftWriteSms", "Effect": "Allow", "Action": SMS_WRITE, "Resource": "*" }));
    }
    if uses(&|p| p.connect.topology != crate::blueprint::ConnectTopology::MessagingOnly) {
        statements.push(
            json!({ "Sid": "PinshiftWriteConnect", "Effect": "Allow", "Action": CONNECT_WRITE, "Resource": "*" }),
        );
    }
    statements.push(json!({
        "Sid": "PinshiftNeverWritePinpoint",
        "Effect": "Deny",
        "Action": ["mobiletargeting:Delete*", "mobiletargeting:Update*", "mobiletargeting:Put*",
                   "mobiletargeting:Remove*", "mobiletargeting:Send*", "mobiletargeting:CreateApp",
                   "mobiletargeting:CreateCampaign", "mobiletargeting:CreateSegment", "mobiletargeting:CreateJourney",
                   "mobiletargeting:CreateImportJob", "mobiletargeting:Create*Template"],
        "Resource": "*",
    }));
    json!({ "Version": "2012-10-17", "Statement": statements })
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
