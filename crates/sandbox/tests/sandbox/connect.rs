//! Amazon Connect, Q in Connect, Customer Profiles and Outbound Campaigns v2 through their unmodified
//! official SDKs: the semantics a migration depends on.

use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{ContactFlowType, DirectoryType, InstanceStatus, IntegrationType};
use aws_sdk_customerprofiles::types::{
    AttributeDimension, AttributeDimensionType, BatchPutProfileObjectRequestItem, Dimension, FieldContentType, Group,
    IncludeOptions, ObjectTypeField, ObjectTypeKey, ProfileAttributes, SegmentGroupStructure, StandardIdentifier,
};
use aws_sdk_qconnect::types::{
    ChannelSubtype, CustomerProfileAttributes, KnowledgeBaseType, MessageTemplateAttributes,
    MessageTemplateBodyContentProvider, MessageTemplateContentProvider, SmsMessageTemplateContent,
    SmsMessageTemplateContentBody,
};
use pinshift_sandbox::RunningSandbox;
use serde_json::Value;

use crate::control::control;
use crate::start;

const KEY: (&str, &str) = ("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001");

pub struct Clients {
    pub connect: aws_sdk_connect::Client,
    pub profiles: aws_sdk_customerprofiles::Client,
    pub campaigns: aws_sdk_connectcampaignsv2::Client,
    pub qconnect: aws_sdk_qconnect::Client,
    pub sms: aws_sdk_pinpointsmsvoicev2::Client,
}

pub async fn clients(sandbox: &RunningSandbox) -> Clients {
    let config = sandbox.sdk_config(KEY.0, KEY.1).await;
    Clients {
        connect: aws_sdk_connect::Client::new(&config),
        profiles: aws_sdk_customerprofiles::Client::new(&config),
        campaigns: aws_sdk_connectcampaignsv2::Client::new(&config),
        qconnect: aws_sdk_qconnect::Client::new(&config),
        sms: aws_sdk_pinpointsmsvoicev2::Client::new(&config),
    }
}

async fn quotas_off(sandbox: &RunningSandbox) {
    assert_eq!(control(sandbox, "PUT", "/_sandbox/quotas", r#"{"enabled": false}"#).await.0, 204);
}

async fn advance(sandbox: &RunningSandbox, seconds: u64) {
    let (status, _) =
        control(sandbox, "POST", "/_sandbox/clock/advance", &format!(r#"{{"seconds": {seconds}}}"#)).await;
    assert_eq!(status, 200);
}

/// An ACTIVE instance: created, then the clock moved past its set-up.
pub async fn active_instance(
    sandbox: &RunningSandbox,
    connect: &aws_sdk_connect::Client,
    alias: &str,
) -> (String, String) {
    let created = connect
        .create_instance()
        .identity_management_type(DirectoryType::ConnectManaged)
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .instance_alias(alias)
        .send()
        .await
        .expect("CreateInstance");
    advance(sandbox, 120).await;
    (created.id().expect("id").to_owned(), created.arn().expect("arn").to_owned())
}

const FLOW: &str = r#"{"Version":"2019-10-30","StartAction":"send","Actions":[
    {"Identifier":"send","Type":"MessageParticipant","Parameters":{"Text":"hi"},"Transitions":{"NextAction":"end"}},
    {"Identifier":"end","Type":"EndFlowExecution","Parameters":{},"Transitions":{}}]}"#;

#[tokio::test]
async fn instances_come_up_asynchronously_within_their_quota() {
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let c = clients(&sandbox).await;
    let created = c
        .connect
        .create_instance()
        .identity_management_type(DirectoryType::ConnectManaged)
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .instance_alias("acme-cx")
        .client_token("first")
        .send()
        .await
        .expect("create");
    let id = created.id().expect("id").to_owned();
    let described = c.connect.describe_instance().instance_id(&id).send().await.expect("describe");
    assert_eq!(described.instance().and_then(|i| i.instance_status()), Some(&InstanceStatus::CreationInProgress));
    let early = c
        .connect
        .create_contact_flow()
        .instance_id(&id)
        .name("early")
        .r#type(ContactFlowType::Campaign)
        .content(FLOW)
        .send()
        .await
        .expect_err("not ready");
    assert_eq!(early.code(), Some("ResourceNotReadyException"));
    advance(&sandbox, 120).await;
    let described = c.connect.describe_instance().instance_id(&id).send().await.expect("describe");
    assert_eq!(described.instance().and_then(|i| i.instance_status()), Some(&InstanceStatus::Active));

    active_instance(&sandbox, &c.connect, "globex-cx").await;
    let third = c
        .connect
        .create_instance()
        .identity_management_type(DirectoryType::ConnectManaged)
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .expect_err("quota");
    assert_eq!(third.code(), Some("ServiceQuotaExceededException"));
    // A retry with the first call's token answers the first instance, not a quota error or a duplicate.
    let retried = c
        .connect
        .create_instance()
        .identity_management_type(DirectoryType::ConnectManaged)
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .instance_alias("acme-cx")
        .client_token("first")
        .send()
        .await
        .expect("idempotent");
    assert_eq!(retried.id(), Some(id.as_str()));
    let listed = c.connect.list_instances().send().await.expect("list");
    assert_eq!(listed.instance_summary_list().len(), 2);
    sandbox.stop().await;
}

#[tokio::test]
async fn flows_save_drafts_unchecked_and_publish_only_valid_flow_language() {
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let c = clients(&sandbox).await;
    let (instance, _) = active_instance(&sandbox, &c.connect, "acme-cx").await;
    let draft = c
        .connect
        .create_contact_flow()
        .instance_id(&instance)
        .name("journey-welcome")
        .r#type(ContactFlowType::Campaign)
        .content(r#"{"not": "a flow yet"}"#)
        .status(aws_sdk_connect::types::ContactFlowStatus::Saved)
        .send()
        .await
        .expect("a draft is not validated");
    let flow_id = draft.contact_flow_id().expect("id").to_owned();
    let unpublished = c
        .connect
        .describe_contact_flow()
        .instance_id(&instance)
        .contact_flow_id(&flow_id)
        .send()
        .await
        .expect_err("not published");
    assert_eq!(unpublished.code(), Some("ContactFlowNotPublishedException"));
    c.connect
        .describe_contact_flow()
        .instance_id(&instance)
        .contact_flow_id(format!("{flow_id}:$SAVED"))
        .send()
        .await
        .expect("the draft reads with :$SAVED");
    let invalid = c
        .connect
        .create_contact_flow()
        .instance_id(&instance)
        .name("broken")
        .r#type(ContactFlowType::Campaign)
        .content(r#"{"Version":"2019-10-30","StartAction":"nowhere","Actions":[]}"#)
        .send()
        .await
        .expect_err("published flows are validated");
    assert_eq!(invalid.code(), Some("InvalidContactFlowException"));
    let duplicate = c
        .connect
        .create_contact_flow()
        .instance_id(&instance)
        .name("journey-welcome")
        .r#type(ContactFlowType::Campaign)
        .content(FLOW)
        .send()
        .await
        .expect_err("same name");
    assert_eq!(duplicate.code(), Some("DuplicateResourceException"));
    c.connect
        .update_contact_flow_content()
        .instance_id(&instance)
        .contact_flow_id(&flow_id)
        .content(FLOW)
        .send()
        .await
        .expect("publish");
    let published = c
        .connect
        .describe_contact_flow()
        .instance_id(&instance)
        .contact_flow_id(&flow_id)
        .send()
        .await
        .expect("describe");
    assert_eq!(published.contact_flow().and_then(|f| f.status()).map(|s| s.as_str()), Some("PUBLISHED"));
    let version = c
        .connect
        .create_contact_flow_version()
        .instance_id(&instance)
        .contact_flow_id(&flow_id)
        .send()
        .await
        .expect("version");
    assert_eq!(version.version(), Some(1));
    sandbox.stop().await;
}

#[tokio::test]
async fn numbers_import_from_end_user_messaging_and_released_ones_cool_down() {
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let c = clients(&sandbox).await;
    let (instance, _) = active_instance(&sandbox, &c.connect, "acme-cx").await;
    let number = c
        .sms
        .request_phone_number()
        .iso_country_code("US")
        .message_type(aws_sdk_pinpointsmsvoicev2::types::MessageType::Transactional)
        .number_capabilities(aws_sdk_pinpointsmsvoicev2::types::NumberCapability::Sms)
        .number_type(aws_sdk_pinpointsmsvoicev2::types::RequestableNumberType::Simulator)
        .send()
        .await
        .expect("number");
    let source = number.phone_number_arn().expect("arn").to_owned();
    let imported = c
        .connect
        .import_phone_number()
        .instance_id(&instance)
        .source_phone_number_arn(&source)
        .send()
        .await
        .expect("import");
    let id = imported.phone_number_id().expect("id").to_owned();
    let again = c
        .connect
        .import_phone_number()
        .instance_id(&instance)
        .source_phone_number_arn(&source)
        .send()
        .await
        .expect_err("already imported");
    assert_eq!(again.code(), Some("ResourceConflictException"));
    c.connect.release_phone_number().phone_number_id(&id).send().await.expect("release");
    let cooling = c
        .connect
        .import_phone_number()
        .instance_id(&instance)
        .source_phone_number_arn(&source)
        .send()
        .await
        .expect_err("cooldown");
    assert!(cooling.message().unwrap_or_default().contains("cooldown"), "{cooling:?}");
    let other_region = source.replace("us-east-1", "eu-west-1");
    let refused = c
        .connect
        .import_phone_number()
        .instance_id(&instance)
        .source_phone_number_arn(other_region)
        .send()
        .await
        .expect_err("another Region");
    assert_eq!(refused.code(), Some("InvalidParameterException"));
    sandbox.stop().await;
}

fn sms_content(text: &str) -> MessageTemplateContentProvider {
    MessageTemplateContentProvider::Sms(
        SmsMessageTemplateContent::builder()
            .body(
                SmsMessageTemplateContentBody::builder()
                    .plain_text(MessageTemplateBodyContentProvider::Content(text.to_owned()))
                    .build(),
            )
            .build(),
    )
}

#[tokio::test]
async fn message_templates_version_activate_and_render_by_connect_rules() {
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let c = clients(&sandbox).await;
    let kb = c
        .qconnect
        .create_knowledge_base()
        .name("acme-templates")
        .knowledge_base_type(KnowledgeBaseType::MessageTemplates)
        .send()
        .await
        .expect("kb");
    let kb = kb.knowledge_base().expect("kb");
    let (kb_id, kb_arn) = (kb.knowledge_base_id().to_owned(), kb.knowledge_base_arn().to_owned());
    let created = c
        .qconnect
        .create_message_template()
        .knowledge_base_id(&kb_id)
        .name("reminder")
        .channel_subtype(ChannelSubtype::Sms)
        .content(sms_content("Hi {{Attributes.Customer.FirstName}}, tier {{Attributes.Customer.Attributes.tier}}"))
        .send()
        .await
        .expect("template");
    let template_id = created.message_template().expect("template").message_template_id().to_owned();
    let rendered = c
        .qconnect
        .render_message_template()
        .knowledge_base_id(&kb_id)
        .message_template_id(&template_id)
        .attributes(
            MessageTemplateAttributes::builder()
                .customer_profile_attributes(CustomerProfileAttributes::builder().first_name("Ann").build())
                .build(),
        )
        .send()
        .await
        .expect("render");
    let text = match rendered.content() {
        Some(MessageTemplateContentProvider::Sms(sms)) => match sms.body().and_then(|b| b.plain_text()) {
            Some(MessageTemplateBodyContentProvider::Content(text)) => text.clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert_eq!(text, "Hi Ann, tier {{Attributes.Customer.Attributes.tier}}");
    assert_eq!(rendered.attributes_not_interpolated(), ["Attributes.Customer.Attributes.tier"]);

    let v1 = c
        .qconnect
        .create_message_template_version()
        .knowledge_base_id(&kb_id)
        .message_template_id(&template_id)
        .send()
        .await
        .expect("v1");
    let v1_again = c
        .qconnect
        .create_message_template_version()
        .knowledge_base_id(&kb_id)
        .message_template_id(&template_id)
        .send()
        .await
        .expect("v1 again");
    let number =
        |r: &aws_sdk_qconnect::operation::create_message_template_version::CreateMessageTemplateVersionOutput| {
            r.message_template().and_then(|t| t.version_number())
        };
    assert_eq!((number(&v1), number(&v1_again)), (Some(1), Some(1)), "unchanged content keeps its version");
    c.qconnect
        .activate_message_template()
        .knowledge_base_id(&kb_id)
        .message_template_id(&template_id)
        .version_number(1)
        .send()
        .await
        .expect("activate");
    let active = c
        .qconnect
        .get_message_template()
        .knowledge_base_id(&kb_id)
        .message_template_id(format!("{template_id}:$ACTIVE_VERSION"))
        .send()
        .await
        .expect("active");
    assert_eq!(active.message_template().and_then(|t| t.is_active()), Some(true));

    let (instance, _) = active_instance(&sandbox, &c.connect, "acme-cx").await;
    c.connect
        .create_integration_association()
        .instance_id(&instance)
        .integration_type(IntegrationType::QMessageTemplates)
        .integration_arn(&kb_arn)
        .send()
        .await
        .expect("associate");
    let second_kb = c
        .qconnect
        .create_knowledge_base()
        .name("more-templates")
        .knowledge_base_type(KnowledgeBaseType::MessageTemplates)
        .send()
        .await
        .expect("kb");
    let refused = c
        .connect
        .create_integration_association()
        .instance_id(&instance)
        .integration_type(IntegrationType::QMessageTemplates)
        .integration_arn(second_kb.knowledge_base().expect("kb").knowledge_base_arn())
        .send()
        .await
        .expect_err("one per instance");
    assert_eq!(refused.code(), Some("ServiceQuotaExceededException"));
    sandbox.stop().await;
}

async fn email_type(profiles: &aws_sdk_customerprofiles::Client, domain: &str, allow_creation: bool) {
    profiles
        .put_profile_object_type()
        .domain_name(domain)
        .object_type_name("Contact")
        .description("one endpoint")
        .allow_profile_creation(allow_creation)
        .fields(
            "email",
            ObjectTypeField::builder()
                .source("_source.email")
                .target("_profile.EmailAddress")
                .content_type(FieldContentType::EmailAddress)
                .build(),
        )
        .fields("tier", ObjectTypeField::builder().source("_source.tier").target("_profile.Attributes.tier").build())
        .fields("id", ObjectTypeField::builder().source("_source.id").target("Contact.id").build())
        .keys(
            "_email",
            vec![
                ObjectTypeKey::builder().standard_identifiers(StandardIdentifier::Profile).field_names("email").build(),
            ],
        )
        .keys(
            "endpoint",
            vec![ObjectTypeKey::builder().standard_identifiers(StandardIdentifier::Unique).field_names("id").build()],
        )
        .send()
        .await
        .expect("object type");
}

async fn estimate(profiles: &aws_sdk_customerprofiles::Client, domain: &str, tier: &str) -> String {
    let query = SegmentGroupStructure::builder()
        .include(IncludeOptions::All)
        .groups(
            Group::builder()
                .r#type(IncludeOptions::All)
                .dimensions(Dimension::ProfileAttributes(
                    ProfileAttributes::builder()
                        .attributes(
                            "tier",
                            AttributeDimension::builder()
                                .dimension_type(AttributeDimensionType::Inclusive)
                                .values(tier)
                                .build()
                                .expect("dimension"),
                        )
                        .build(),
                ))
                .build(),
        )
        .build();
    let id =
        profiles.create_segment_estimate().domain_name(domain).segment_query(query).send().await.expect("estimate");
    let id = id.estimate_id().expect("id").to_owned();
    loop {
        let got = profiles.get_segment_estimate().domain_name(domain).estimate_id(&id).send().await.expect("get");
        match got.status().map(|s| s.as_str()) {
            Some("RUNNING") => continue,
            Some("SUCCEEDED") => return got.estimate().expect("estimate").to_owned(),
            other => panic!("{other:?}: {:?}", got.message()),
        }
    }
}

#[tokio::test]
async fn objects_find_or_create_profiles_by_their_keys_and_estimates_follow_the_profiles() {
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let c = clients(&sandbox).await;
    let p = &c.profiles;
    p.create_domain().domain_name("acme").default_expiration_days(365).send().await.expect("domain");
    email_type(p, "acme", true).await;
    let put = |email: &str, tier: &str, id: &str| {
        p.put_profile_object()
            .domain_name("acme")
            .object_type_name("Contact")
            .object(serde_json::json!({ "email": email, "tier": tier, "id": id }).to_string())
            .send()
    };
    put("ann@example.com", "gold", "e1").await.expect("object");
    put("ann@example.com", "gold", "e2").await.expect("same person, another endpoint");
    put("bo@example.com", "silver", "e3").await.expect("object");
    let ann = p
        .search_profiles()
        .domain_name("acme")
        .key_name("_email")
        .values("ann@example.com")
        .send()
        .await
        .expect("search");
    assert_eq!(ann.items().len(), 1, "one profile for two objects with the same PROFILE key");
    let ann_id = ann.items()[0].profile_id().expect("id").to_owned();
    let objects = p
        .list_profile_objects()
        .domain_name("acme")
        .object_type_name("Contact")
        .profile_id(&ann_id)
        .send()
        .await
        .expect("objects");
    assert_eq!(objects.items().len(), 2);
    put("ann@example.com", "gold", "e1").await.expect("the same UNIQUE key replaces");
    let objects = p
        .list_profile_objects()
        .domain_name("acme")
        .object_type_name("Contact")
        .profile_id(&ann_id)
        .send()
        .await
        .expect("objects");
    assert_eq!(objects.items().len(), 2);

    assert_eq!(estimate(p, "acme", "gold").await, "1");
    put("cy@example.com", "gold", "e4").await.expect("object");
    assert_eq!(estimate(p, "acme", "gold").await, "2", "the estimate follows the profiles written");

    let items: Vec<_> = (0..11)
        .map(|i| BatchPutProfileObjectRequestItem::builder().id(format!("b{i}")).object("{}").build().expect("item"))
        .collect();
    let too_many = p
        .batch_put_profile_object()
        .domain_name("acme")
        .object_type_name("Contact")
        .set_items(Some(items))
        .send()
        .await
        .expect_err("11");
    assert_eq!(too_many.code(), Some("BadRequestException"));
    let batch = p
        .batch_put_profile_object()
        .domain_name("acme")
        .object_type_name("Contact")
        .items(
            BatchPutProfileObjectRequestItem::builder()
                .id("ok")
                .object(r#"{"email":"di@example.com","tier":"gold","id":"e5"}"#)
                .build()
                .expect("item"),
        )
        .items(BatchPutProfileObjectRequestItem::builder().id("bad").object("not json").build().expect("item"))
        .send()
        .await
        .expect("batch");
    assert_eq!((batch.successful().len(), batch.failed().len()), (1, 1));
    assert_eq!(batch.failed()[0].id(), "bad");

    p.create_domain().domain_name("strict").default_expiration_days(30).send().await.expect("domain");
    email_type(p, "strict", false).await;
    let orphan = p
        .put_profile_object()
        .domain_name("strict")
        .object_type_name("Contact")
        .object(r#"{"email":"x@example.com","id":"1"}"#)
        .send()
        .await
        .expect_err("no profile to attach to");
    assert_eq!(orphan.code(), Some("BadRequestException"));
    sandbox.stop().await;
}

#[tokio::test]
async fn the_101st_profiles_domain_is_refused() {
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let c = clients(&sandbox).await;
    for i in 0..100 {
        c.profiles
            .create_domain()
            .domain_name(format!("d{i}"))
            .default_expiration_days(14)
            .send()
            .await
            .expect("domain");
    }
    let refused =
        c.profiles.create_domain().domain_name("d100").default_expiration_days(14).send().await.expect_err("quota");
    assert_eq!(refused.code(), Some("BadRequestException"));
    assert!(refused.message().unwrap_or_default().contains("100"), "{refused:?}");
    sandbox.stop().await;
}

#[tokio::test]
async fn campaigns_need_their_references_and_start_only_with_a_published_flow() {
    use aws_sdk_connectcampaignsv2::types::{
        AgentlessConfig, CampaignState, ChannelSubtypeConfig, EncryptionConfig, ExternalCampaignType,
        SmsChannelSubtypeConfig, SmsOutboundConfig, SmsOutboundMode, Source,
    };
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let c = clients(&sandbox).await;
    let (instance, _) = active_instance(&sandbox, &c.connect, "acme-cx").await;
    let onboarding = c
        .campaigns
        .start_instance_onboarding_job()
        .connect_instance_id(&instance)
        .encryption_config(EncryptionConfig::builder().enabled(false).build())
        .send()
        .await
        .expect("onboard");
    assert_eq!(onboarding.connect_instance_onboarding_job_status().map(|s| s.status().as_str()), Some("IN_PROGRESS"));
    advance(&sandbox, 60).await;

    c.profiles.create_domain().domain_name("acme").default_expiration_days(365).send().await.expect("domain");
    email_type(&c.profiles, "acme", true).await;
    let segment = c
        .profiles
        .create_segment_definition()
        .domain_name("acme")
        .segment_definition_name("gold")
        .display_name("Gold")
        .segment_groups(aws_sdk_customerprofiles::types::SegmentGroup::builder().include(IncludeOptions::All).build())
        .send()
        .await
        .expect("segment");
    let segment_arn = segment.segment_definition_arn().expect("arn").to_owned();
    let kb = c
        .qconnect
        .create_knowledge_base()
        .name("t")
        .knowledge_base_type(KnowledgeBaseType::MessageTemplates)
        .send()
        .await
        .expect("kb");
    let kb_id = kb.knowledge_base().expect("kb").knowledge_base_id().to_owned();
    let template = c
        .qconnect
        .create_message_template()
        .knowledge_base_id(&kb_id)
        .name("sms")
        .channel_subtype(ChannelSubtype::Sms)
        .content(sms_content("hi"))
        .send()
        .await
        .expect("template");
    let template_arn = template.message_template().expect("t").message_template_arn().to_owned();
    let number = c
        .sms
        .request_phone_number()
        .iso_country_code("US")
        .message_type(aws_sdk_pinpointsmsvoicev2::types::MessageType::Transactional)
        .number_capabilities(aws_sdk_pinpointsmsvoicev2::types::NumberCapability::Sms)
        .number_type(aws_sdk_pinpointsmsvoicev2::types::RequestableNumberType::Simulator)
        .send()
        .await
        .expect("number");
    let imported = c
        .connect
        .import_phone_number()
        .instance_id(&instance)
        .source_phone_number_arn(number.phone_number_arn().expect("arn"))
        .send()
        .await
        .expect("import");
    let flow = c
        .connect
        .create_contact_flow()
        .instance_id(&instance)
        .name("journey")
        .r#type(ContactFlowType::Campaign)
        .content(FLOW)
        .status(aws_sdk_connect::types::ContactFlowStatus::Saved)
        .send()
        .await
        .expect("flow");

    let create = || {
        c.campaigns
            .create_campaign()
            .name("spring")
            .connect_instance_id(&instance)
            .r#type(ExternalCampaignType::Journey)
            .source(Source::CustomerProfilesSegmentArn(segment_arn.clone()))
            .connect_campaign_flow_arn(flow.contact_flow_arn().expect("arn"))
            .channel_subtype_config(
                ChannelSubtypeConfig::builder()
                    .sms(
                        SmsChannelSubtypeConfig::builder()
                            .outbound_mode(SmsOutboundMode::Agentless(AgentlessConfig::builder().build()))
                            .default_outbound_config(
                                SmsOutboundConfig::builder()
                                    .connect_source_phone_number_arn(imported.phone_number_arn().expect("arn"))
                                    .wisdom_template_arn(&template_arn)
                                    .build()
                                    .expect("config"),
                            )
                            .build(),
                    )
                    .build(),
            )
            .tags("pinshift:client", "acme")
            .send()
    };
    let campaign = create().await.expect("campaign");
    let again = create().await.expect("the same request again");
    assert_eq!(campaign.id(), again.id(), "CreateCampaign is idempotent");
    let id = campaign.id().expect("id").to_owned();
    let state = c.campaigns.get_campaign_state().id(&id).send().await.expect("state");
    assert_eq!(state.state(), Some(&CampaignState::Initialized));
    let unpublished = c.campaigns.start_campaign().id(&id).send().await.expect_err("flow is a draft");
    assert_eq!(unpublished.code(), Some("InvalidCampaignStateException"));
    c.connect
        .update_contact_flow_content()
        .instance_id(&instance)
        .contact_flow_id(flow.contact_flow_id().expect("id"))
        .content(FLOW)
        .send()
        .await
        .expect("publish");
    c.campaigns.start_campaign().id(&id).send().await.expect("start");
    c.campaigns.pause_campaign().id(&id).send().await.expect("pause");
    let restart = c.campaigns.start_campaign().id(&id).send().await.expect_err("paused, not initialized");
    assert_eq!(restart.code(), Some("InvalidCampaignStateException"));
    c.campaigns.stop_campaign().id(&id).send().await.expect("stop");

    let ghost = c
        .campaigns
        .create_campaign()
        .name("ghost")
        .connect_instance_id(&instance)
        .source(Source::CustomerProfilesSegmentArn(format!("{segment_arn}-missing")))
        .send()
        .await
        .expect_err("missing segment");
    assert_eq!(ghost.code(), Some("ResourceNotFoundException"));

    // The snapshot shows the whole target side with tags.
    let (_, snapshot) = control(&sandbox, "GET", "/_sandbox/target", "").await;
    let snapshot: Value = serde_json::from_str(&snapshot).expect("json");
    let place = &snapshot["accounts"]["222222222222"]["us-east-1"];
    assert_eq!(place["campaigns"][0]["tags"]["pinshift:client"], "acme");
    assert_eq!(place["campaigns"][0]["state"], "Stopped");
    assert_eq!(place["connect"]["instances"][0]["ContactFlows"][0]["Status"], "PUBLISHED");
    assert_eq!(place["profiles"]["domains"][0]["SegmentDefinitions"][0], "gold");
    assert_eq!(place["qconnect"]["knowledge_bases"][0]["messageTemplates"][0]["name"], "sms");
    sandbox.stop().await;
}

#[tokio::test]
async fn an_email_address_needs_a_verified_domain_integrated_with_the_instance() {
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let c = clients(&sandbox).await;
    let ses = aws_sdk_sesv2::Client::new(&sandbox.sdk_config(KEY.0, KEY.1).await);
    let (instance, _) = active_instance(&sandbox, &c.connect, "acme-cx").await;
    let address = || c.connect.create_email_address().instance_id(&instance).email_address("news@acme.example").send();
    let unintegrated = address().await.expect_err("no SES_IDENTITY association");
    assert_eq!(unintegrated.code(), Some("InvalidRequestException"));
    ses.create_email_identity().email_identity("acme.example").send().await.expect("identity");
    c.connect
        .create_integration_association()
        .instance_id(&instance)
        .integration_type(IntegrationType::SesIdentity)
        .integration_arn("arn:aws:ses:us-east-1:222222222222:identity/acme.example")
        .send()
        .await
        .expect("associate");
    let unverified = address().await.expect_err("the domain is not verified yet");
    assert!(unverified.message().unwrap_or_default().contains("not verified"), "{unverified:?}");
    let path = "/_sandbox/ses/222222222222/us-east-1/identities/acme.example/verify";
    assert_eq!(control(&sandbox, "POST", path, "").await.0, 204);
    let created = address().await.expect("email address");
    let described = c
        .connect
        .describe_email_address()
        .instance_id(&instance)
        .email_address_id(created.email_address_id().expect("id"))
        .send()
        .await
        .expect("describe");
    assert_eq!(described.email_address(), Some("news@acme.example"));
    assert_eq!(address().await.expect_err("twice").code(), Some("DuplicateResourceException"));
    sandbox.stop().await;
}
