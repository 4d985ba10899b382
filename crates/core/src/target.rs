//! The kinds of resource Pinshift creates (or names) in the successor services — Amazon SES v2, AWS End
//! User Messaging SMS v2, Amazon Connect, Customer Profiles, Outbound Campaigns v2 and Q in Connect — with
//! the API call that creates each, and the `pinshift:ref:<kind>/<name>` placeholders that stand for a
//! resource before it exists. Translations write placeholders into request bodies; the blueprint's target
//! graph gives every placeholder a node; a migration run replaces each with what AWS returned.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A successor service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TargetService {
    Ses,
    Sms,
    Sns,
    Connect,
    CustomerProfiles,
    OutboundCampaigns,
    QInConnect,
    Lambda,
}

impl TargetService {
    pub fn label(self) -> &'static str {
        match self {
            TargetService::Ses => "Amazon SES",
            TargetService::Sms => "End User Messaging SMS",
            TargetService::Sns => "Amazon SNS",
            TargetService::Connect => "Amazon Connect",
            TargetService::CustomerProfiles => "Customer Profiles",
            TargetService::OutboundCampaigns => "Outbound Campaigns",
            TargetService::QInConnect => "Q in Connect",
            TargetService::Lambda => "AWS Lambda",
        }
    }
}

/// How a service takes tags in its request bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagShape {
    /// `Tags: [{Key, Value}]` (SES v2, SMS v2, SNS).
    KeyValueList,
    /// `Tags: {key: value}` (Connect, Customer Profiles).
    PascalMap,
    /// `tags: {key: value}` (Outbound Campaigns, Q in Connect).
    CamelMap,
    /// The call takes no tags (associations, settings, versions).
    None,
}

macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident = $slug:literal, $service:ident, $operation:literal, $tags:ident, $label:literal;)*) => {
        /// A kind of target resource. The serialised name is the kind's slug, as placeholders write it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
        pub enum TargetKind {
            $($(#[$doc])* #[serde(rename = $slug)] $variant,)*
        }

        impl TargetKind {
            pub const ALL: &[TargetKind] = &[$(TargetKind::$variant,)*];

            /// `segment-definition`: the kind's name in placeholders, node ids and JSON.
            pub fn slug(self) -> &'static str {
                match self { $(TargetKind::$variant => $slug,)* }
            }

            pub fn service(self) -> TargetService {
                match self { $(TargetKind::$variant => TargetService::$service,)* }
            }

            /// The API operation that creates (or sets) it.
            pub fn operation(self) -> &'static str {
                match self { $(TargetKind::$variant => $operation,)* }
            }

            pub fn tag_shape(self) -> TagShape {
                match self { $(TargetKind::$variant => TagShape::$tags,)* }
            }

            /// Plain words for reviewers: `SES tenant`.
            pub fn label(self) -> &'static str {
                match self { $(TargetKind::$variant => $label,)* }
            }
        }
    };
}

kinds! {
    /// An email identity (domain or address): adopted as it is, or created with Easy DKIM.
    SesIdentity = "ses-identity", Ses, "CreateEmailIdentity", KeyValueList, "SES identity";
    SesConfigurationSet = "ses-configuration-set", Ses, "CreateConfigurationSet", KeyValueList, "SES configuration set";
    SesEventDestination = "ses-event-destination", Ses, "CreateConfigurationSetEventDestination", None, "SES event destination";
    SesTenant = "ses-tenant", Ses, "CreateTenant", KeyValueList, "SES tenant";
    /// An identity, configuration set or template associated with a tenant.
    SesTenantAssociation = "ses-tenant-association", Ses, "CreateTenantResourceAssociation", None, "SES tenant association";
    /// The tenant's reputation policy (standard, strict, none).
    SesReputationPolicy = "ses-reputation-policy", Ses, "UpdateReputationEntityPolicy", None, "SES reputation policy";
    /// The tenant's suppression list scope and reasons.
    SesSuppressionSettings = "ses-suppression-settings", Ses, "PutTenantSuppressionAttributes", None, "SES tenant suppression";
    SesEmailTemplate = "ses-email-template", Ses, "CreateEmailTemplate", KeyValueList, "SES email template";
    SmsPool = "sms-pool", Sms, "CreatePool", KeyValueList, "SMS pool";
    /// A number or sender ID added to a pool after the one it was created with.
    SmsPoolIdentity = "sms-pool-identity", Sms, "AssociateOriginationIdentity", None, "SMS pool member";
    /// The pool's opt-out list and protection.
    SmsPoolSettings = "sms-pool-settings", Sms, "UpdatePool", None, "SMS pool settings";
    SmsConfigurationSet = "sms-configuration-set", Sms, "CreateConfigurationSet", KeyValueList, "SMS configuration set";
    SmsEventDestination = "sms-event-destination", Sms, "CreateEventDestination", None, "SMS event destination";
    SmsOptOutList = "sms-opt-out-list", Sms, "CreateOptOutList", KeyValueList, "SMS opt-out list";
    /// A keyword reply (HELP, STOP, …) on a pool.
    SmsKeyword = "sms-keyword", Sms, "PutKeyword", None, "SMS keyword";
    SmsDefaultSenderId = "sms-default-sender-id", Sms, "SetDefaultSenderId", None, "SMS default sender ID";
    /// The topic a client's SMS events go to.
    SnsTopic = "sns-topic", Sns, "CreateTopic", KeyValueList, "SNS topic";
    /// A Connect instance, the client's own or shared by several clients.
    ConnectInstance = "connect-instance", Connect, "CreateInstance", PascalMap, "Connect instance";
    /// An End User Messaging number imported into the instance (campaigns send SMS from it).
    ConnectPhoneNumber = "phone-number", Connect, "ImportPhoneNumber", PascalMap, "Connect phone number";
    /// An address the instance sends campaign email from.
    ConnectEmailAddress = "email-address", Connect, "CreateEmailAddress", PascalMap, "Connect email address";
    /// The instance's link to its message-template knowledge base.
    ConnectIntegration = "connect-integration", Connect, "CreateIntegrationAssociation", PascalMap, "Connect integration";
    /// The Q in Connect knowledge base (type MESSAGE_TEMPLATES) that holds an instance's templates.
    KnowledgeBase = "knowledge-base", QInConnect, "CreateKnowledgeBase", CamelMap, "Q in Connect knowledge base";
    MessageTemplate = "message-template", QInConnect, "CreateMessageTemplate", CamelMap, "Q in Connect message template";
    /// A template's first version, created and activated.
    MessageTemplateVersion = "message-template-version", QInConnect, "CreateMessageTemplateVersion", None, "Q in Connect template version";
    /// A Customer Profiles domain, with an explicit expiry.
    ProfilesDomain = "profiles-domain", CustomerProfiles, "CreateDomain", PascalMap, "Customer Profiles domain";
    ProfileObjectType = "profile-object-type", CustomerProfiles, "PutProfileObjectType", PascalMap, "Customer Profiles object type";
    /// The domain's integration with the Connect instance.
    ProfilesIntegration = "profiles-integration", CustomerProfiles, "PutIntegration", PascalMap, "Customer Profiles integration";
    SegmentDefinition = "segment-definition", CustomerProfiles, "CreateSegmentDefinition", PascalMap, "segment definition";
    /// A journey's flow (type CAMPAIGN), saved as a draft.
    CampaignFlow = "campaign-flow", Connect, "CreateContactFlow", PascalMap, "campaign flow";
    /// An Outbound Campaigns v2 campaign, created unstarted.
    Campaign = "campaign", OutboundCampaigns, "CreateCampaign", CamelMap, "outbound campaign";
    /// Outbound Campaigns turned on for an instance.
    CampaignsOnboarding = "campaigns-onboarding", OutboundCampaigns, "StartInstanceOnboardingJob", None, "Outbound Campaigns onboarding";
    /// The instance's profiles domain and knowledge base, as Outbound Campaigns uses them.
    CampaignsIntegration = "campaigns-integration", OutboundCampaigns, "PutConnectInstanceIntegration", None, "Outbound Campaigns integration";
    /// The instance's communication limits (per recipient and period).
    CampaignsCommunicationLimits = "campaigns-communication-limits", OutboundCampaigns, "PutInstanceCommunicationLimits", None, "communication limits";
    /// Pinshift's tags on a resource it adopts rather than creates (`TagResource` of that resource's
    /// service; the body names it by `ResourceArn`).
    ResourceTags = "tags", Ses, "TagResource", KeyValueList, "tags";
    /// A function the customer provides (push delivery, custom channels); never created by Pinshift.
    LambdaFunction = "lambda-function", Lambda, "(provided by the customer)", None, "Lambda function";
}

impl TargetKind {
    /// The kind a slug names.
    pub fn from_slug(slug: &str) -> Option<TargetKind> {
        TargetKind::ALL.iter().copied().find(|k| k.slug() == slug)
    }

    /// `false` for what a person provides (a Lambda function): the graph names it, a gate asks for it.
    pub fn created_by_pinshift(self) -> bool {
        self != TargetKind::LambdaFunction
    }
}

/// What a placeholder in a request body starts with.
pub const PLACEHOLDER_PREFIX: &str = "pinshift:ref:";

/// `pinshift:ref:segment-definition/aurora-readers`
pub fn placeholder(kind: TargetKind, name: &str) -> String {
    format!("{PLACEHOLDER_PREFIX}{}/{name}", kind.slug())
}

/// The kind and name of a placeholder (`None` for any other text).
pub fn parse_placeholder(text: &str) -> Option<(TargetKind, &str)> {
    let rest = text.strip_prefix(PLACEHOLDER_PREFIX)?;
    let (slug, name) = rest.split_once('/')?;
    Some((TargetKind::from_slug(slug)?, name))
}

/// Every placeholder in a request body, in document order.
pub fn placeholders(body: &serde_json::Value) -> Vec<(TargetKind, String)> {
    let mut out = Vec::new();
    let mut stack = vec![body];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::String(s) => {
                if let Some((kind, name)) = parse_placeholder(s) {
                    out.push((kind, name.to_owned()));
                }
            }
            serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
            serde_json::Value::Object(map) => stack.extend(map.values().rev()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in TargetKind::ALL {
            assert!(seen.insert(kind.slug()), "{} twice", kind.slug());
            assert_eq!(TargetKind::from_slug(kind.slug()), Some(*kind));
            assert_eq!(serde_json::to_value(kind).expect("serialises"), kind.slug());
        }
    }

    #[test]
    fn placeholders_are_found_wherever_a_body_holds_them() {
        let body = serde_json::json!({
            "source": {"customerProfilesSegmentArn": placeholder(TargetKind::SegmentDefinition, "acme-readers")},
            "list": ["x", "pinshift:ref:phone-number/+12065550100"],
            "not": "pinshift:ref:no-such-kind/x",
        });
        assert_eq!(
            placeholders(&body),
            [
                (TargetKind::ConnectPhoneNumber, "+12065550100".to_owned()),
                (TargetKind::SegmentDefinition, "acme-readers".to_owned())
            ]
        );
    }
}
