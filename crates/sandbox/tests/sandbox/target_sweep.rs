//! Every target-side operation the sandbox implements, through its official Rust SDK crate at least once
//! (the ones the focused tests in tenants.rs, connect.rs, profiles.rs and sms.rs do not already drive),
//! each with the read-back a user would check. `scripts/op-coverage.py` proves the coverage from the
//! sandbox's operation log after `make test`.

use aws_sdk_sesv2::types as ses_t;
use pinshift_sandbox::RunningSandbox;

use crate::connect::{active_instance, clients};
use crate::control::control;
use crate::start;

const ACCOUNT: &str = "222222222222";
const KEY: (&str, &str) = ("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001");

async fn quotas_off(sandbox: &RunningSandbox) {
    assert_eq!(control(sandbox, "PUT", "/_sandbox/quotas", r#"{"enabled": false}"#).await.0, 204);
}

fn ses_arn(kind: &str, name: &str) -> String {
    format!("arn:aws:ses:us-east-1:{ACCOUNT}:{kind}/{name}")
}

#[tokio::test]
async fn ses_identities_configuration_sets_templates_lists_and_imports() {
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let config = sandbox.sdk_config(KEY.0, KEY.1).await;
    let ses = aws_sdk_sesv2::Client::new(&config);
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build());

    // Identity attributes.
    ses.create_email_identity().email_identity("acme.example").send().await.expect("identity");
    ses.create_configuration_set().configuration_set_name("acme").send().await.expect("set");
    ses.put_email_identity_configuration_set_attributes()
        .email_identity("acme.example")
        .configuration_set_name("acme")
        .send()
        .await
        .expect("PutEmailIdentityConfigurationSetAttributes");
    ses.put_email_identity_dkim_signing_attributes()
        .email_identity("acme.example")
        .signing_attributes_origin(ses_t::DkimSigningAttributesOrigin::AwsSes)
        .signing_attributes(
            ses_t::DkimSigningAttributes::builder()
                .next_signing_key_length(ses_t::DkimSigningKeyLength::Rsa2048Bit)
                .build(),
        )
        .send()
        .await
        .expect("PutEmailIdentityDkimSigningAttributes");
    ses.put_email_identity_mail_from_attributes()
        .email_identity("acme.example")
        .mail_from_domain("bounce.acme.example")
        .behavior_on_mx_failure(ses_t::BehaviorOnMxFailure::RejectMessage)
        .send()
        .await
        .expect("PutEmailIdentityMailFromAttributes");
    let identity = ses.get_email_identity().email_identity("acme.example").send().await.expect("get");
    assert_eq!(identity.configuration_set_name(), Some("acme"));
    let mail_from = identity.mail_from_attributes().expect("mail from");
    assert_eq!(mail_from.mail_from_domain(), "bounce.acme.example");
    assert_eq!(mail_from.behavior_on_mx_failure(), &ses_t::BehaviorOnMxFailure::RejectMessage);

    // Every option setter of a configuration set, read back in one GetConfigurationSet.
    let set = || "acme";
    ses.put_configuration_set_tracking_options()
        .configuration_set_name(set())
        .custom_redirect_domain("track.acme.example")
        .send()
        .await
        .expect("tracking");
    ses.put_configuration_set_reputation_options()
        .configuration_set_name(set())
        .reputation_metrics_enabled(true)
        .send()
        .await
        .expect("reputation");
    ses.put_configuration_set_sending_options()
        .configuration_set_name(set())
        .sending_enabled(false)
        .send()
        .await
        .expect("sending");
    ses.put_configuration_set_delivery_options()
        .configuration_set_name(set())
        .tls_policy(ses_t::TlsPolicy::Require)
        .send()
        .await
        .expect("delivery");
    ses.put_configuration_set_vdm_options()
        .configuration_set_name(set())
        .vdm_options(
            ses_t::VdmOptions::builder()
                .dashboard_options(
                    ses_t::DashboardOptions::builder().engagement_metrics(ses_t::FeatureStatus::Enabled).build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("vdm");
    ses.put_configuration_set_archiving_options()
        .configuration_set_name(set())
        .archive_arn(format!("arn:aws:ses:us-east-1:{ACCOUNT}:mailmanager-archive/a-1234"))
        .send()
        .await
        .expect("archiving");
    ses.put_configuration_set_suppression_options()
        .configuration_set_name(set())
        .suppressed_reasons(ses_t::SuppressionListReason::Complaint)
        .send()
        .await
        .expect("suppression");
    ses.update_configuration_set()
        .configuration_set_name(set())
        .message_security_options(ses_t::MessageSecurityOptions::builder().build())
        .send()
        .await
        .expect("UpdateConfigurationSet");
    let got = ses.get_configuration_set().configuration_set_name(set()).send().await.expect("get set");
    assert_eq!(got.tracking_options().map(|t| t.custom_redirect_domain()), Some("track.acme.example"));
    assert!(got.reputation_options().is_some_and(|r| r.reputation_metrics_enabled()));
    assert!(got.sending_options().is_some_and(|s| !s.sending_enabled()));
    assert_eq!(got.delivery_options().and_then(|d| d.tls_policy()), Some(&ses_t::TlsPolicy::Require));
    assert!(got.vdm_options().is_some());
    assert!(got.archiving_options().is_some());
    assert_eq!(
        got.suppression_options().map(|s| s.suppressed_reasons()),
        Some(&[ses_t::SuppressionListReason::Complaint][..])
    );

    // Event destinations: update keeps the destination, delete removes it.
    let sns = ses_t::SnsDestination::builder()
        .topic_arn(format!("arn:aws:sns:us-east-1:{ACCOUNT}:acme-events"))
        .build()
        .expect("sns");
    let destination = |enabled: bool| {
        ses_t::EventDestinationDefinition::builder()
            .enabled(enabled)
            .matching_event_types(ses_t::EventType::Bounce)
            .sns_destination(sns.clone())
            .build()
    };
    ses.create_configuration_set_event_destination()
        .configuration_set_name(set())
        .event_destination_name("events")
        .event_destination(destination(true))
        .send()
        .await
        .expect("create destination");
    ses.update_configuration_set_event_destination()
        .configuration_set_name(set())
        .event_destination_name("events")
        .event_destination(destination(false))
        .send()
        .await
        .expect("UpdateConfigurationSetEventDestination");
    let listed = ses.get_configuration_set_event_destinations().configuration_set_name(set()).send().await.expect("l");
    assert!(!listed.event_destinations()[0].enabled());
    ses.delete_configuration_set_event_destination()
        .configuration_set_name(set())
        .event_destination_name("events")
        .send()
        .await
        .expect("DeleteConfigurationSetEventDestination");
    let listed = ses.get_configuration_set_event_destinations().configuration_set_name(set()).send().await.expect("l");
    assert!(listed.event_destinations().is_empty());

    // Templates: get, update, delete.
    let content = |subject: &str| {
        ses_t::EmailTemplateContent::builder().subject(subject).text("Hi {{name}}").html("<p>Hi {{name}}</p>").build()
    };
    ses.create_email_template().template_name("welcome").template_content(content("Hello")).send().await.expect("t");
    ses.update_email_template()
        .template_name("welcome")
        .template_content(content("Welcome, {{name}}"))
        .send()
        .await
        .expect("UpdateEmailTemplate");
    let template = ses.get_email_template().template_name("welcome").send().await.expect("GetEmailTemplate");
    assert_eq!(template.template_content().and_then(|c| c.subject()), Some("Welcome, {{name}}"));
    ses.delete_email_template().template_name("welcome").send().await.expect("DeleteEmailTemplate");
    let gone = ses.get_email_template().template_name("welcome").send().await.expect_err("deleted");
    assert_eq!(aws_sdk_sesv2::error::ProvideErrorMetadata::code(&gone), Some("NotFoundException"));

    // Tags on an identity.
    let identity_arn = ses_arn("identity", "acme.example");
    ses.tag_resource()
        .resource_arn(&identity_arn)
        .tags(ses_t::Tag::builder().key("pinshift:client").value("acme").build().expect("tag"))
        .tags(ses_t::Tag::builder().key("team").value("cx").build().expect("tag"))
        .send()
        .await
        .expect("TagResource");
    ses.untag_resource().resource_arn(&identity_arn).tag_keys("team").send().await.expect("UntagResource");
    let tags = ses.list_tags_for_resource().resource_arn(&identity_arn).send().await.expect("ListTagsForResource");
    let keys: Vec<_> = tags.tags().iter().map(|t| t.key()).collect();
    assert_eq!(keys, ["pinshift:client"]);

    // Contact lists.
    ses.create_contact_list()
        .contact_list_name("news")
        .topics(
            ses_t::Topic::builder()
                .topic_name("offers")
                .display_name("Offers")
                .default_subscription_status(ses_t::SubscriptionStatus::OptOut)
                .build()
                .expect("topic"),
        )
        .send()
        .await
        .expect("contact list");
    ses.create_contact().contact_list_name("news").email_address("ann@example.com").send().await.expect("contact");
    let lists = ses.list_contact_lists().send().await.expect("ListContactLists");
    assert_eq!(lists.contact_lists()[0].contact_list_name(), Some("news"));
    let list = ses.get_contact_list().contact_list_name("news").send().await.expect("GetContactList");
    assert_eq!(list.topics()[0].topic_name(), "offers");
    let contacts = ses.list_contacts().contact_list_name("news").send().await.expect("ListContacts");
    assert_eq!(contacts.contacts()[0].email_address(), Some("ann@example.com"));
    ses.delete_contact_list().contact_list_name("news").send().await.expect("DeleteContactList");
    assert!(ses.list_contact_lists().send().await.expect("list").contact_lists().is_empty());

    // Suppression: one address read back and removed; a bulk import from S3.
    ses.put_suppressed_destination()
        .email_address("gone@example.com")
        .reason(ses_t::SuppressionListReason::Bounce)
        .send()
        .await
        .expect("suppress");
    let suppressed =
        ses.get_suppressed_destination().email_address("gone@example.com").send().await.expect("GetSuppressed");
    assert_eq!(suppressed.suppressed_destination().map(|d| d.reason()), Some(&ses_t::SuppressionListReason::Bounce));
    ses.delete_suppressed_destination().email_address("gone@example.com").send().await.expect("DeleteSuppressed");
    let gone = ses.get_suppressed_destination().email_address("gone@example.com").send().await.expect_err("gone");
    assert_eq!(aws_sdk_sesv2::error::ProvideErrorMetadata::code(&gone), Some("NotFoundException"));

    s3.create_bucket().bucket("acme-suppression").send().await.expect("bucket");
    s3.put_object()
        .bucket("acme-suppression")
        .key("list.csv")
        .body(b"EMAIL,REASON\nold@acme.example,BOUNCE\nbad-row,BOUNCE\n".to_vec().into())
        .send()
        .await
        .expect("object");
    let job = ses
        .create_import_job()
        .import_destination(
            ses_t::ImportDestination::builder()
                .suppression_list_destination(
                    ses_t::SuppressionListDestination::builder()
                        .suppression_list_import_action(ses_t::SuppressionListImportAction::Put)
                        .build()
                        .expect("destination"),
                )
                .build(),
        )
        .import_data_source(
            ses_t::ImportDataSource::builder()
                .s3_url("s3://acme-suppression/list.csv")
                .data_format(ses_t::DataFormat::Csv)
                .build()
                .expect("source"),
        )
        .send()
        .await
        .expect("CreateImportJob");
    let job_id = job.job_id().expect("id");
    let done = ses.get_import_job().job_id(job_id).send().await.expect("GetImportJob");
    assert_eq!(done.job_status(), Some(&ses_t::JobStatus::Completed));
    assert_eq!(done.processed_records_count(), Some(1), "the good row");
    assert_eq!(done.failed_records_count(), Some(1), "the row without an address");
    let jobs = ses
        .list_import_jobs()
        .import_destination_type(ses_t::ImportDestinationType::SuppressionList)
        .send()
        .await
        .expect("ListImportJobs");
    assert_eq!(jobs.import_jobs()[0].job_id(), Some(job_id));
    sandbox.stop().await;
}

#[tokio::test]
async fn ses_tenants_reputation_and_bulk_sends() {
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let ses = aws_sdk_sesv2::Client::new(&sandbox.sdk_config(KEY.0, KEY.1).await);
    ses.create_email_identity().email_identity("acme.example").send().await.expect("identity");
    let path = format!("/_sandbox/ses/{ACCOUNT}/us-east-1/identities/acme.example/verify");
    assert_eq!(control(&sandbox, "POST", &path, "").await.0, 204);
    ses.create_tenant().tenant_name("acme").send().await.expect("tenant");
    let identity = ses_arn("identity", "acme.example");
    let template = ses_arn("template", "welcome");
    ses.create_email_template()
        .template_name("welcome")
        .template_content(ses_t::EmailTemplateContent::builder().subject("Hi {{name}}").text("Hello {{name}}").build())
        .send()
        .await
        .expect("template");
    for resource in [&identity, &template] {
        ses.create_tenant_resource_association()
            .tenant_name("acme")
            .resource_arn(resource)
            .send()
            .await
            .expect("associate");
    }
    let resources = ses.list_tenant_resources().tenant_name("acme").send().await.expect("ListTenantResources");
    assert_eq!(resources.tenant_resources().len(), 2);
    ses.delete_tenant_resource_association()
        .tenant_name("acme")
        .resource_arn(&template)
        .send()
        .await
        .expect("DeleteTenantResourceAssociation");
    let resources = ses.list_tenant_resources().tenant_name("acme").send().await.expect("list");
    let kinds: Vec<_> = resources.tenant_resources().iter().filter_map(|r| r.resource_type()).collect();
    assert_eq!(kinds, [&ses_t::ResourceType::EmailIdentity]);

    let entities = ses.list_reputation_entities().send().await.expect("ListReputationEntities");
    assert!(
        entities.reputation_entities().iter().any(|e| e.reputation_entity_reference() == Some(identity.as_str())),
        "the identity has a reputation entity"
    );
    ses.update_reputation_entity_customer_managed_status()
        .reputation_entity_type(ses_t::ReputationEntityType::Resource)
        .reputation_entity_reference(&identity)
        .sending_status(ses_t::SendingStatus::Disabled)
        .send()
        .await
        .expect("UpdateReputationEntityCustomerManagedStatus");
    let entity = ses
        .get_reputation_entity()
        .reputation_entity_type(ses_t::ReputationEntityType::Resource)
        .reputation_entity_reference(&identity)
        .send()
        .await
        .expect("get entity");
    let status = entity.reputation_entity().and_then(|e| e.customer_managed_status()).and_then(|s| s.status());
    assert_eq!(status, Some(&ses_t::SendingStatus::Disabled));
    ses.update_reputation_entity_customer_managed_status()
        .reputation_entity_type(ses_t::ReputationEntityType::Resource)
        .reputation_entity_reference(&identity)
        .sending_status(ses_t::SendingStatus::Enabled)
        .send()
        .await
        .expect("enable again");
    let recommendations = ses.list_recommendations().send().await.expect("ListRecommendations");
    assert!(!recommendations.recommendations().is_empty(), "an identity without DKIM records is recommended DKIM");

    let sent = ses
        .send_bulk_email()
        .from_email_address("news@acme.example")
        .default_content(
            ses_t::BulkEmailContent::builder()
                .template(
                    ses_t::Template::builder().template_name("welcome").template_data(r#"{"name":"you"}"#).build(),
                )
                .build(),
        )
        .bulk_email_entries(
            ses_t::BulkEmailEntry::builder()
                .destination(ses_t::Destination::builder().to_addresses("success@simulator.amazonses.com").build())
                .build(),
        )
        .bulk_email_entries(
            ses_t::BulkEmailEntry::builder()
                .destination(ses_t::Destination::builder().to_addresses("bounce@simulator.amazonses.com").build())
                .build(),
        )
        .send()
        .await
        .expect("SendBulkEmail");
    assert_eq!(sent.bulk_email_entry_results().len(), 2);
    assert!(sent.bulk_email_entry_results().iter().all(|r| r.status() == Some(&ses_t::BulkEmailStatus::Success)));
    let (_, events) = control(&sandbox, "GET", &format!("/_sandbox/ses/{ACCOUNT}/us-east-1/events"), "").await;
    assert!(events.contains("Bounce") && events.contains("Delivery"), "{events}");
    sandbox.stop().await;
}

#[tokio::test]
async fn sms_pools_keywords_configuration_sets_opt_outs_and_tags() {
    use aws_sdk_pinpointsmsvoicev2::error::ProvideErrorMetadata;
    use aws_sdk_pinpointsmsvoicev2::types::{
        EventType, KeywordAction, MessageType, NumberCapability, RequestableNumberType, SnsDestination, Tag,
    };
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let sms = clients(&sandbox).await.sms;
    let number = |token: &'static str| {
        sms.request_phone_number()
            .iso_country_code("US")
            .message_type(MessageType::Transactional)
            .number_capabilities(NumberCapability::Sms)
            .number_type(RequestableNumberType::Simulator)
            .client_token(token)
            .send()
    };
    let first = number("one").await.expect("number").phone_number_id().expect("id").to_owned();
    let second = number("two").await.expect("number").phone_number_id().expect("id").to_owned();
    let pool = sms
        .create_pool()
        .origination_identity(&first)
        .iso_country_code("US")
        .message_type(MessageType::Transactional)
        .send()
        .await
        .expect("pool");
    let pool_id = pool.pool_id().expect("id").to_owned();
    let pool_arn = pool.pool_arn().expect("arn").to_owned();
    sms.associate_origination_identity()
        .pool_id(&pool_id)
        .origination_identity(&second)
        .iso_country_code("US")
        .send()
        .await
        .expect("associate");
    sms.disassociate_origination_identity()
        .pool_id(&pool_id)
        .origination_identity(&second)
        .iso_country_code("US")
        .send()
        .await
        .expect("DisassociateOriginationIdentity");
    let members = sms.list_pool_origination_identities().pool_id(&pool_id).send().await.expect("members");
    assert_eq!(members.origination_identities().len(), 1, "the second number left the pool");

    sms.update_pool()
        .pool_id(&pool_id)
        .deletion_protection_enabled(true)
        .two_way_enabled(false)
        .send()
        .await
        .expect("UpdatePool");
    let protected = sms.delete_pool().pool_id(&pool_id).send().await.expect_err("protected");
    assert_eq!(protected.code(), Some("ConflictException"));

    // Keywords on the pool.
    sms.put_keyword()
        .origination_identity(&pool_id)
        .keyword("JOIN")
        .keyword_message("Welcome to Acme alerts")
        .keyword_action(KeywordAction::AutomaticResponse)
        .send()
        .await
        .expect("PutKeyword");
    let keywords = sms.describe_keywords().origination_identity(&pool_id).send().await.expect("DescribeKeywords");
    assert!(keywords.keywords().iter().any(|k| k.keyword() == "JOIN"));
    sms.delete_keyword().origination_identity(&pool_id).keyword("JOIN").send().await.expect("DeleteKeyword");
    let keywords = sms.describe_keywords().origination_identity(&pool_id).send().await.expect("keywords");
    assert!(keywords.keywords().iter().all(|k| k.keyword() != "JOIN"));

    // Tags on the pool.
    sms.tag_resource()
        .resource_arn(&pool_arn)
        .tags(Tag::builder().key("pinshift:client").value("acme").build().expect("tag"))
        .tags(Tag::builder().key("team").value("cx").build().expect("tag"))
        .send()
        .await
        .expect("TagResource");
    sms.untag_resource().resource_arn(&pool_arn).tag_keys("team").send().await.expect("UntagResource");
    let tags = sms.list_tags_for_resource().resource_arn(&pool_arn).send().await.expect("ListTagsForResource");
    assert_eq!(tags.tags().iter().map(|t| t.key()).collect::<Vec<_>>(), ["pinshift:client"]);

    sms.update_pool().pool_id(&pool_id).deletion_protection_enabled(false).send().await.expect("unprotect");
    sms.delete_pool().pool_id(&pool_id).send().await.expect("DeletePool");
    assert!(sms.describe_pools().send().await.expect("pools").pools().iter().all(|p| p.pool_id() != pool_id));

    // A configuration set with defaults and an event destination.
    sms.create_configuration_set().configuration_set_name("acme").send().await.expect("set");
    sms.set_default_sender_id()
        .configuration_set_name("acme")
        .sender_id("ACME")
        .send()
        .await
        .expect("SetDefaultSenderId");
    sms.set_default_message_type()
        .configuration_set_name("acme")
        .message_type(MessageType::Promotional)
        .send()
        .await
        .expect("SetDefaultMessageType");
    let topic = SnsDestination::builder()
        .topic_arn(format!("arn:aws:sns:us-east-1:{ACCOUNT}:sms-events"))
        .build()
        .expect("sns");
    sms.create_event_destination()
        .configuration_set_name("acme")
        .event_destination_name("events")
        .matching_event_types(EventType::TextAll)
        .sns_destination(topic.clone())
        .send()
        .await
        .expect("destination");
    sms.update_event_destination()
        .configuration_set_name("acme")
        .event_destination_name("events")
        .enabled(false)
        .send()
        .await
        .expect("UpdateEventDestination");
    let sets = sms.describe_configuration_sets().configuration_set_names("acme").send().await.expect("sets");
    let set = &sets.configuration_sets()[0];
    assert_eq!(set.default_sender_id(), Some("ACME"));
    assert_eq!(set.default_message_type(), Some(&MessageType::Promotional));
    assert!(!set.event_destinations()[0].enabled());
    sms.delete_event_destination()
        .configuration_set_name("acme")
        .event_destination_name("events")
        .send()
        .await
        .expect("DeleteEventDestination");
    sms.delete_configuration_set().configuration_set_name("acme").send().await.expect("DeleteConfigurationSet");
    assert!(sms.describe_configuration_sets().send().await.expect("sets").configuration_sets().is_empty());

    // Opt-outs: a number deleted once may not be deleted again within 30 days.
    sms.create_opt_out_list().opt_out_list_name("acme").send().await.expect("list");
    let put = || sms.put_opted_out_number().opt_out_list_name("acme").opted_out_number("+12065550100").send();
    let delete = || sms.delete_opted_out_number().opt_out_list_name("acme").opted_out_number("+12065550100").send();
    put().await.expect("opt out");
    delete().await.expect("DeleteOptedOutNumber");
    put().await.expect("opt out again");
    let again = delete().await.expect_err("within 30 days");
    assert_eq!(again.code(), Some("ValidationException"));
    sms.delete_opt_out_list().opt_out_list_name("acme").send().await.expect("DeleteOptOutList");
    let lists = sms.describe_opt_out_lists().send().await.expect("lists");
    assert!(lists.opt_out_lists().iter().all(|l| l.opt_out_list_name() != "acme"));

    let limits = sms.describe_account_limits().send().await.expect("DescribeAccountLimits");
    assert!(limits.account_limits().iter().any(|l| l.max() > 0));
    sandbox.stop().await;
}

const FLOW: &str = r#"{"Version":"2019-10-30","StartAction":"end","Actions":[
    {"Identifier":"end","Type":"EndFlowExecution","Parameters":{},"Transitions":{}}]}"#;

#[tokio::test]
async fn connect_attributes_integrations_flows_numbers_email_addresses_and_tags() {
    use aws_sdk_connect::types::{
        ContactFlowType, InstanceAttributeType, IntegrationType, PhoneNumberCountryCode, PhoneNumberType,
    };
    use aws_sdk_pinpointsmsvoicev2::types::{MessageType, NumberCapability, RequestableNumberType};
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let c = clients(&sandbox).await;
    let connect = &c.connect;
    let (instance, _) = active_instance(&sandbox, connect, "acme-cx").await;

    connect
        .update_instance_attribute()
        .instance_id(&instance)
        .attribute_type(InstanceAttributeType::ContactLens)
        .value("false")
        .send()
        .await
        .expect("UpdateInstanceAttribute");
    let attribute = connect
        .describe_instance_attribute()
        .instance_id(&instance)
        .attribute_type(InstanceAttributeType::ContactLens)
        .send()
        .await
        .expect("DescribeInstanceAttribute");
    assert_eq!(attribute.attribute().and_then(|a| a.value()), Some("false"));
    let attributes = connect.list_instance_attributes().instance_id(&instance).send().await.expect("list attributes");
    assert!(attributes.attributes().iter().any(|a| a.attribute_type() == Some(&InstanceAttributeType::ContactLens)));

    // An SES identity integrated, listed, then removed.
    let ses = aws_sdk_sesv2::Client::new(&sandbox.sdk_config(KEY.0, KEY.1).await);
    ses.create_email_identity().email_identity("acme.example").send().await.expect("identity");
    let association = connect
        .create_integration_association()
        .instance_id(&instance)
        .integration_type(IntegrationType::SesIdentity)
        .integration_arn(ses_arn("identity", "acme.example"))
        .send()
        .await
        .expect("associate");
    let listed = connect
        .list_integration_associations()
        .instance_id(&instance)
        .integration_type(IntegrationType::SesIdentity)
        .send()
        .await
        .expect("ListIntegrationAssociations");
    assert_eq!(listed.integration_association_summary_list().len(), 1);
    connect
        .delete_integration_association()
        .instance_id(&instance)
        .integration_association_id(association.integration_association_id().expect("id"))
        .send()
        .await
        .expect("DeleteIntegrationAssociation");
    let listed = connect.list_integration_associations().instance_id(&instance).send().await.expect("list");
    assert!(listed.integration_association_summary_list().is_empty());

    // A campaign flow: metadata, versions, an alias, tags, deletion.
    let flow = connect
        .create_contact_flow()
        .instance_id(&instance)
        .name("journey")
        .r#type(ContactFlowType::Campaign)
        .content(FLOW)
        .send()
        .await
        .expect("flow");
    let flow_id = flow.contact_flow_id().expect("id").to_owned();
    let flow_arn = flow.contact_flow_arn().expect("arn").to_owned();
    connect
        .update_contact_flow_metadata()
        .instance_id(&instance)
        .contact_flow_id(&flow_id)
        .name("spring journey")
        .description("from Pinpoint journey spring")
        .send()
        .await
        .expect("UpdateContactFlowMetadata");
    let flows = connect
        .list_contact_flows()
        .instance_id(&instance)
        .contact_flow_types(ContactFlowType::Campaign)
        .send()
        .await
        .expect("ListContactFlows");
    assert_eq!(flows.contact_flow_summary_list()[0].name(), Some("spring journey"));
    connect
        .create_contact_flow_version()
        .instance_id(&instance)
        .contact_flow_id(&flow_id)
        .description("v1")
        .send()
        .await
        .expect("version");
    let versions = connect
        .list_contact_flow_versions()
        .instance_id(&instance)
        .contact_flow_id(&flow_id)
        .send()
        .await
        .expect("ListContactFlowVersions");
    assert_eq!(versions.contact_flow_version_summary_list()[0].version(), Some(1));
    let alias = connect
        .create_contact_flow_alias()
        .instance_id(&instance)
        .contact_flow_id(&flow_id)
        .contact_flow_version(1)
        .alias_name("live")
        .send()
        .await
        .expect("CreateContactFlowAlias");
    assert!(alias.contact_flow_arn().is_some_and(|a| a.ends_with(":live")));
    connect
        .tag_resource()
        .resource_arn(&flow_arn)
        .tags("pinshift:client", "acme")
        .tags("team", "cx")
        .send()
        .await
        .expect("TagResource");
    connect.untag_resource().resource_arn(&flow_arn).tag_keys("team").send().await.expect("UntagResource");
    let tags = connect.list_tags_for_resource().resource_arn(&flow_arn).send().await.expect("ListTagsForResource");
    assert_eq!(tags.tags().map(|t| t.keys().map(String::as_str).collect::<Vec<_>>()), Some(vec!["pinshift:client"]));
    connect
        .delete_contact_flow()
        .instance_id(&instance)
        .contact_flow_id(&flow_id)
        .send()
        .await
        .expect("DeleteContactFlow");
    let flows = connect.list_contact_flows().instance_id(&instance).send().await.expect("flows");
    assert!(flows.contact_flow_summary_list().iter().all(|f| f.id() != Some(flow_id.as_str())));

    // A number imported from End User Messaging, described and listed.
    let number = c
        .sms
        .request_phone_number()
        .iso_country_code("US")
        .message_type(MessageType::Transactional)
        .number_capabilities(NumberCapability::Sms)
        .number_type(RequestableNumberType::Simulator)
        .send()
        .await
        .expect("number");
    let imported = connect
        .import_phone_number()
        .instance_id(&instance)
        .source_phone_number_arn(number.phone_number_arn().expect("arn"))
        .send()
        .await
        .expect("import");
    let described = connect
        .describe_phone_number()
        .phone_number_id(imported.phone_number_id().expect("id"))
        .send()
        .await
        .expect("DescribePhoneNumber");
    let summary = described.claimed_phone_number_summary().expect("summary");
    assert_eq!(summary.phone_number(), number.phone_number());
    assert_eq!(summary.phone_number_country_code(), Some(&PhoneNumberCountryCode::Us));
    let numbers = connect.list_phone_numbers_v2().instance_id(&instance).send().await.expect("ListPhoneNumbersV2");
    let listed = &numbers.list_phone_numbers_summary_list()[0];
    assert_eq!(listed.phone_number_type(), Some(&PhoneNumberType::Did));

    // An email address on the instance's own domain, then deleted.
    let address = connect
        .create_email_address()
        .instance_id(&instance)
        .email_address("news@acme-cx.email.connect.aws")
        .send()
        .await
        .expect("email address");
    let id = address.email_address_id().expect("id").to_owned();
    connect
        .delete_email_address()
        .instance_id(&instance)
        .email_address_id(&id)
        .send()
        .await
        .expect("DeleteEmailAddress");
    let gone = connect.describe_email_address().instance_id(&instance).email_address_id(&id).send().await;
    assert_eq!(
        aws_sdk_connect::error::ProvideErrorMetadata::code(&gone.expect_err("deleted")),
        Some("ResourceNotFoundException")
    );
    sandbox.stop().await;
}

#[tokio::test]
async fn customer_profiles_domains_types_profiles_segments_triggers_attributes_and_jobs() {
    use aws_sdk_customerprofiles::types::{
        AttributeDetails, AttributeItem, ComparisonOperator, EventTriggerCondition, EventTriggerDimension,
        EventTriggerLogicalOperator, FieldContentType, IncludeOptions, ObjectAttribute, ObjectTypeField, ObjectTypeKey,
        SegmentGroup, StandardIdentifier, Statistic,
    };
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let c = clients(&sandbox).await;
    let p = &c.profiles;
    p.create_domain().domain_name("acme").default_expiration_days(365).send().await.expect("domain");
    p.update_domain().domain_name("acme").default_expiration_days(400).send().await.expect("UpdateDomain");
    let domains = p.list_domains().send().await.expect("ListDomains");
    assert_eq!(domains.items()[0].domain_name(), "acme");
    let got = p.get_domain().domain_name("acme").send().await.expect("GetDomain");
    assert_eq!(got.default_expiration_days(), Some(400));

    // An object type: read back, listed, and (at the end) deleted.
    p.put_profile_object_type()
        .domain_name("acme")
        .object_type_name("Contact")
        .description("one Pinpoint endpoint")
        .allow_profile_creation(true)
        .fields(
            "email",
            ObjectTypeField::builder()
                .source("_source.email")
                .target("_profile.EmailAddress")
                .content_type(FieldContentType::EmailAddress)
                .build(),
        )
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
    let object_type =
        p.get_profile_object_type().domain_name("acme").object_type_name("Contact").send().await.expect("get type");
    assert_eq!(object_type.description(), "one Pinpoint endpoint");
    let types = p.list_profile_object_types().domain_name("acme").send().await.expect("ListProfileObjectTypes");
    assert_eq!(types.items()[0].object_type_name(), "Contact");

    // Profiles: create, update, segment membership, delete.
    let created = p
        .create_profile()
        .domain_name("acme")
        .first_name("Ann")
        .email_address("ann@example.com")
        .attributes("tier", "gold")
        .send()
        .await
        .expect("CreateProfile");
    let profile_id = created.profile_id().to_owned();
    p.update_profile()
        .domain_name("acme")
        .profile_id(&profile_id)
        .last_name("Lee")
        .attributes("tier", "platinum")
        .send()
        .await
        .expect("UpdateProfile");
    let found = p
        .search_profiles()
        .domain_name("acme")
        .key_name("_email")
        .values("ann@example.com")
        .send()
        .await
        .expect("search");
    let profile = &found.items()[0];
    assert_eq!((profile.first_name(), profile.last_name()), (Some("Ann"), Some("Lee")));
    assert_eq!(profile.attributes().and_then(|a| a.get("tier")).map(String::as_str), Some("platinum"));

    p.create_segment_definition()
        .domain_name("acme")
        .segment_definition_name("everyone")
        .display_name("Everyone")
        .segment_groups(SegmentGroup::builder().include(IncludeOptions::All).build())
        .send()
        .await
        .expect("segment");
    let segment =
        p.get_segment_definition().domain_name("acme").segment_definition_name("everyone").send().await.expect("get");
    assert_eq!(segment.display_name(), Some("Everyone"));
    let segments = p.list_segment_definitions().domain_name("acme").send().await.expect("ListSegmentDefinitions");
    assert_eq!(segments.items().len(), 1);
    let membership = p
        .get_segment_membership()
        .domain_name("acme")
        .segment_definition_name("everyone")
        .profile_ids(&profile_id)
        .profile_ids("no-such-profile")
        .send()
        .await
        .expect("GetSegmentMembership");
    assert_eq!(membership.profiles().len(), 1);
    assert_eq!(membership.failures().len(), 1);
    p.delete_segment_definition()
        .domain_name("acme")
        .segment_definition_name("everyone")
        .send()
        .await
        .expect("DeleteSegmentDefinition");
    p.delete_profile().domain_name("acme").profile_id(&profile_id).send().await.expect("DeleteProfile");
    let gone = p.search_profiles().domain_name("acme").key_name("_email").values("ann@example.com").send().await;
    assert!(gone.expect("search").items().is_empty());

    // Event triggers and calculated attributes: created, read, listed, deleted.
    p.create_event_trigger()
        .domain_name("acme")
        .event_trigger_name("signed-up")
        .object_type_name("Contact")
        .event_trigger_conditions(
            EventTriggerCondition::builder()
                .logical_operator(EventTriggerLogicalOperator::Any)
                .event_trigger_dimensions(
                    EventTriggerDimension::builder()
                        .object_attributes(
                            ObjectAttribute::builder()
                                .field_name("email")
                                .comparison_operator(ComparisonOperator::Contains)
                                .values("@")
                                .build()
                                .expect("attribute"),
                        )
                        .build()
                        .expect("dimension"),
                )
                .build()
                .expect("condition"),
        )
        .send()
        .await
        .expect("CreateEventTrigger");
    let trigger = p
        .get_event_trigger()
        .domain_name("acme")
        .event_trigger_name("signed-up")
        .send()
        .await
        .expect("GetEventTrigger");
    assert_eq!(trigger.object_type_name(), Some("Contact"));
    let triggers = p.list_event_triggers().domain_name("acme").send().await.expect("ListEventTriggers");
    assert_eq!(triggers.items().len(), 1);
    p.delete_event_trigger().domain_name("acme").event_trigger_name("signed-up").send().await.expect("delete");
    assert!(p.list_event_triggers().domain_name("acme").send().await.expect("list").items().is_empty());

    p.create_calculated_attribute_definition()
        .domain_name("acme")
        .calculated_attribute_name("emails_seen")
        .display_name("Emails seen")
        .attribute_details(
            AttributeDetails::builder()
                .attributes(AttributeItem::builder().name("email").build().expect("item"))
                .expression("{Contact.email}")
                .build()
                .expect("details"),
        )
        .statistic(Statistic::Count)
        .send()
        .await
        .expect("CreateCalculatedAttributeDefinition");
    let attribute = p
        .get_calculated_attribute_definition()
        .domain_name("acme")
        .calculated_attribute_name("emails_seen")
        .send()
        .await
        .expect("GetCalculatedAttributeDefinition");
    assert_eq!(attribute.statistic(), Some(&Statistic::Count));
    let attributes = p.list_calculated_attribute_definitions().domain_name("acme").send().await.expect("list");
    assert_eq!(attributes.items()[0].calculated_attribute_name(), Some("emails_seen"));
    p.delete_calculated_attribute_definition()
        .domain_name("acme")
        .calculated_attribute_name("emails_seen")
        .send()
        .await
        .expect("DeleteCalculatedAttributeDefinition");

    // An upload job created, listed and stopped before anything was uploaded.
    let job = p
        .create_upload_job()
        .domain_name("acme")
        .display_name("endpoints")
        .fields("id", ObjectTypeField::builder().source("_source.id").target("_profile.AccountNumber").build())
        .unique_key("id")
        .send()
        .await
        .expect("job");
    p.stop_upload_job().domain_name("acme").job_id(job.job_id()).send().await.expect("StopUploadJob");
    let jobs = p.list_upload_jobs().domain_name("acme").send().await.expect("ListUploadJobs");
    assert_eq!(jobs.items()[0].status().map(|s| s.as_str()), Some("STOPPED"));

    // The Connect instance integration: read, listed, tagged, removed.
    let (_, instance_arn) = active_instance(&sandbox, &c.connect, "acme-cx").await;
    p.put_integration().domain_name("acme").uri(&instance_arn).send().await.expect("integration");
    let got = p.get_integration().domain_name("acme").uri(&instance_arn).send().await.expect("GetIntegration");
    assert_eq!(got.uri(), instance_arn);
    let listed = p.list_integrations().domain_name("acme").send().await.expect("ListIntegrations");
    assert_eq!(listed.items().len(), 1);
    let domain_arn = format!("arn:aws:profile:us-east-1:{ACCOUNT}:domains/acme");
    p.tag_resource()
        .resource_arn(&domain_arn)
        .tags("pinshift:client", "acme")
        .tags("team", "cx")
        .send()
        .await
        .expect("TagResource");
    p.untag_resource().resource_arn(&domain_arn).tag_keys("team").send().await.expect("UntagResource");
    let tags = p.list_tags_for_resource().resource_arn(&domain_arn).send().await.expect("ListTagsForResource");
    assert_eq!(tags.tags().map(|t| t.keys().map(String::as_str).collect::<Vec<_>>()), Some(vec!["pinshift:client"]));
    p.delete_integration().domain_name("acme").uri(&instance_arn).send().await.expect("DeleteIntegration");
    assert!(p.list_integrations().domain_name("acme").send().await.expect("list").items().is_empty());
    p.delete_profile_object_type()
        .domain_name("acme")
        .object_type_name("Contact")
        .send()
        .await
        .expect("DeleteProfileObjectType");
    p.delete_domain().domain_name("acme").send().await.expect("DeleteDomain");
    assert!(p.list_domains().send().await.expect("domains").items().is_empty());
    sandbox.stop().await;
}

async fn advance(sandbox: &RunningSandbox, seconds: u64) {
    let body = format!(r#"{{"seconds": {seconds}}}"#);
    assert_eq!(control(sandbox, "POST", "/_sandbox/clock/advance", &body).await.0, 200);
}

#[tokio::test]
async fn outbound_campaigns_instance_config_integrations_limits_and_every_campaign_update() {
    use aws_sdk_connectcampaignsv2::error::ProvideErrorMetadata;
    use aws_sdk_connectcampaignsv2::primitives::DateTime;
    use aws_sdk_connectcampaignsv2::types::*;
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let c = clients(&sandbox).await;
    let oc = &c.campaigns;
    let (instance, _) = active_instance(&sandbox, &c.connect, "acme-cx").await;
    let onboard = |id: &str| {
        oc.start_instance_onboarding_job()
            .connect_instance_id(id)
            .encryption_config(EncryptionConfig::builder().enabled(false).build())
            .send()
    };
    onboard(&instance).await.expect("onboard");
    let status = oc.get_instance_onboarding_job_status().connect_instance_id(&instance).send().await.expect("status");
    let status = status.connect_instance_onboarding_job_status().map(|s| s.status().clone());
    assert_eq!(status, Some(InstanceOnboardingJobStatusCode::InProgress));
    advance(&sandbox, 60).await;
    let status = oc.get_instance_onboarding_job_status().connect_instance_id(&instance).send().await.expect("status");
    let status = status.connect_instance_onboarding_job_status().map(|s| s.status().clone());
    assert_eq!(status, Some(InstanceOnboardingJobStatusCode::Succeeded));
    let config = oc.get_connect_instance_config().connect_instance_id(&instance).send().await.expect("config");
    assert!(
        config.connect_instance_config().is_some_and(|c| c.service_linked_role_arn().contains("connect-campaigns"))
    );

    // A second instance whose onboarding is withdrawn while it runs.
    let (second, _) = active_instance(&sandbox, &c.connect, "globex-cx").await;
    onboard(&second).await.expect("onboard");
    oc.delete_instance_onboarding_job().connect_instance_id(&second).send().await.expect("DeleteInstanceOnboardingJob");
    let gone = oc.get_instance_onboarding_job_status().connect_instance_id(&second).send().await.expect_err("gone");
    assert_eq!(gone.code(), Some("ResourceNotFoundException"));

    // The Customer Profiles integration, listed and removed.
    let p = &c.profiles;
    let domain = p.create_domain().domain_name("acme").default_expiration_days(365).send().await.expect("domain");
    let domain_arn = format!("arn:aws:profile:us-east-1:{ACCOUNT}:domains/{}", domain.domain_name());
    let segment = p
        .create_segment_definition()
        .domain_name("acme")
        .segment_definition_name("everyone")
        .display_name("Everyone")
        .segment_groups(
            aws_sdk_customerprofiles::types::SegmentGroup::builder()
                .include(aws_sdk_customerprofiles::types::IncludeOptions::All)
                .build(),
        )
        .send()
        .await
        .expect("segment");
    let segment_arn = segment.segment_definition_arn().expect("arn").to_owned();
    oc.put_connect_instance_integration()
        .connect_instance_id(&instance)
        .integration_config(IntegrationConfig::CustomerProfiles(
            CustomerProfilesIntegrationConfig::builder()
                .domain_arn(&domain_arn)
                .set_object_type_names(Some(Default::default()))
                .build()
                .expect("config"),
        ))
        .send()
        .await
        .expect("PutConnectInstanceIntegration");
    let integrations =
        oc.list_connect_instance_integrations().connect_instance_id(&instance).send().await.expect("list");
    assert_eq!(integrations.integration_summary_list().len(), 1);
    oc.delete_connect_instance_integration()
        .connect_instance_id(&instance)
        .integration_identifier(IntegrationIdentifier::CustomerProfiles(
            CustomerProfilesIntegrationIdentifier::builder().domain_arn(&domain_arn).build().expect("id"),
        ))
        .send()
        .await
        .expect("DeleteConnectInstanceIntegration");
    let integrations =
        oc.list_connect_instance_integrations().connect_instance_id(&instance).send().await.expect("list");
    assert!(integrations.integration_summary_list().is_empty());

    // Instance-wide communication limits.
    let limit = |max: i32, days: i32| {
        CommunicationLimit::builder()
            .max_count_per_recipient(max)
            .frequency(days)
            .unit(CommunicationLimitTimeUnit::Day)
            .build()
            .expect("limit")
    };
    oc.put_instance_communication_limits()
        .connect_instance_id(&instance)
        .communication_limits_config(
            InstanceCommunicationLimitsConfig::builder()
                .all_channel_subtypes(CommunicationLimits::CommunicationLimitsList(vec![limit(3, 7)]))
                .build(),
        )
        .send()
        .await
        .expect("PutInstanceCommunicationLimits");
    let limits = oc.get_instance_communication_limits().connect_instance_id(&instance).send().await.expect("get");
    let list = limits.communication_limits_config().and_then(|c| c.all_channel_subtypes());
    assert!(
        matches!(list, Some(CommunicationLimits::CommunicationLimitsList(l)) if l[0].max_count_per_recipient() == 3)
    );

    // A telephony campaign, every Update* and Delete* config call, its states, tags and deletion.
    let telephony = |flow: &str| {
        ChannelSubtypeConfig::builder()
            .telephony(
                TelephonyChannelSubtypeConfig::builder()
                    .outbound_mode(TelephonyOutboundMode::Agentless(AgentlessConfig::builder().build()))
                    .default_outbound_config(
                        TelephonyOutboundConfig::builder().connect_contact_flow_id(flow).build().expect("config"),
                    )
                    .build(),
            )
            .build()
    };
    let created = oc
        .create_campaign()
        .name("spring")
        .connect_instance_id(&instance)
        .r#type(ExternalCampaignType::Managed)
        .channel_subtype_config(telephony("flow-1"))
        .send()
        .await
        .expect("campaign");
    let id = created.id().expect("id").to_owned();
    let arn = created.arn().expect("arn").to_owned();
    let flow = c
        .connect
        .create_contact_flow()
        .instance_id(&instance)
        .name("spring")
        .r#type(aws_sdk_connect::types::ContactFlowType::Campaign)
        .content(FLOW)
        .send()
        .await
        .expect("flow");
    oc.update_campaign_name().id(&id).name("spring 2027").send().await.expect("UpdateCampaignName");
    oc.update_campaign_flow_association()
        .id(&id)
        .connect_campaign_flow_arn(flow.contact_flow_arn().expect("arn"))
        .send()
        .await
        .expect("UpdateCampaignFlowAssociation");
    oc.update_campaign_source()
        .id(&id)
        .source(Source::CustomerProfilesSegmentArn(segment_arn.clone()))
        .send()
        .await
        .expect("UpdateCampaignSource");
    oc.update_campaign_schedule()
        .id(&id)
        .schedule(
            Schedule::builder()
                .start_time(DateTime::from_secs(1_798_761_600))
                .end_time(DateTime::from_secs(1_801_440_000))
                .build()
                .expect("schedule"),
        )
        .send()
        .await
        .expect("UpdateCampaignSchedule");
    oc.update_campaign_entry_limits()
        .id(&id)
        .entry_limits_config(
            EntryLimitsConfig::builder().max_entry_count(1).min_entry_interval("P1D").build().expect("limits"),
        )
        .send()
        .await
        .expect("UpdateCampaignEntryLimits");
    let nine_to_five = TimeRange::builder().start_time("09:00").end_time("17:00").build().expect("range");
    oc.update_campaign_communication_time()
        .id(&id)
        .communication_time_config(
            CommunicationTimeConfig::builder()
                .local_time_zone_config(LocalTimeZoneConfig::builder().default_time_zone("America/New_York").build())
                .telephony(
                    TimeWindow::builder()
                        .open_hours(OpenHours::DailyHours(
                            [(DayOfWeek::Monday, vec![nine_to_five])].into_iter().collect(),
                        ))
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("UpdateCampaignCommunicationTime");
    oc.update_campaign_communication_limits()
        .id(&id)
        .communication_limits_override(
            CommunicationLimitsConfig::builder()
                .all_channel_subtypes(CommunicationLimits::CommunicationLimitsList(vec![limit(1, 1)]))
                .instance_limits_handling(InstanceLimitsHandling::OptOut)
                .build(),
        )
        .send()
        .await
        .expect("UpdateCampaignCommunicationLimits");
    oc.update_campaign_channel_subtype_config()
        .id(&id)
        .channel_subtype_config(telephony("flow-2"))
        .send()
        .await
        .expect("UpdateCampaignChannelSubtypeConfig");
    let described = oc.describe_campaign().id(&id).send().await.expect("DescribeCampaign");
    let campaign = described.campaign().expect("campaign");
    assert_eq!(campaign.name(), "spring 2027");
    assert_eq!(campaign.connect_campaign_flow_arn(), flow.contact_flow_arn());
    assert!(campaign.schedule().is_some() && campaign.entry_limits_config().is_some());
    assert!(campaign.communication_time_config().is_some() && campaign.communication_limits_override().is_some());
    let flow_id = campaign
        .channel_subtype_config()
        .and_then(|c| c.telephony())
        .and_then(|t| t.default_outbound_config())
        .map(|d| d.connect_contact_flow_id());
    assert_eq!(flow_id, Some("flow-2"));

    oc.delete_campaign_communication_limits()
        .id(&id)
        .config(CommunicationLimitsConfigType::AllChannelSubtypes)
        .send()
        .await
        .expect("DeleteCampaignCommunicationLimits");
    oc.delete_campaign_communication_time()
        .id(&id)
        .config(CommunicationTimeConfigType::Telephony)
        .send()
        .await
        .expect("DeleteCampaignCommunicationTime");
    oc.delete_campaign_entry_limits().id(&id).send().await.expect("DeleteCampaignEntryLimits");
    oc.delete_campaign_channel_subtype_config()
        .id(&id)
        .channel_subtype(ChannelSubtype::Telephony)
        .send()
        .await
        .expect("DeleteCampaignChannelSubtypeConfig");
    let described = oc.describe_campaign().id(&id).send().await.expect("describe");
    let campaign = described.campaign().expect("campaign");
    assert!(campaign.communication_limits_override().is_none() && campaign.communication_time_config().is_none());
    assert!(campaign.entry_limits_config().is_none());
    assert!(campaign.channel_subtype_config().is_none_or(|c| c.telephony().is_none()));

    let listed = oc.list_campaigns().send().await.expect("ListCampaigns");
    assert_eq!(listed.campaign_summary_list()[0].name(), "spring 2027");
    c.connect
        .update_contact_flow_content()
        .instance_id(&instance)
        .contact_flow_id(flow.contact_flow_id().expect("id"))
        .content(FLOW)
        .send()
        .await
        .expect("publish");
    oc.start_campaign().id(&id).send().await.expect("start");
    oc.pause_campaign().id(&id).send().await.expect("pause");
    oc.resume_campaign().id(&id).send().await.expect("ResumeCampaign");
    let states = oc.get_campaign_state_batch().campaign_ids(&id).campaign_ids("no-such").send().await.expect("batch");
    assert_eq!(states.successful_requests()[0].state(), Some(&CampaignState::Running));
    assert_eq!(states.failed_requests()[0].failure_code(), Some(&GetCampaignStateBatchFailureCode::ResourceNotFound));

    oc.tag_resource().arn(&arn).tags("pinshift:client", "acme").tags("team", "cx").send().await.expect("TagResource");
    oc.untag_resource().arn(&arn).tag_keys("team").send().await.expect("UntagResource");
    let tags = oc.list_tags_for_resource().arn(&arn).send().await.expect("ListTagsForResource");
    assert_eq!(tags.tags().map(|t| t.keys().map(String::as_str).collect::<Vec<_>>()), Some(vec!["pinshift:client"]));

    oc.stop_campaign().id(&id).send().await.expect("stop");
    oc.delete_campaign().id(&id).send().await.expect("DeleteCampaign");
    assert!(oc.list_campaigns().send().await.expect("list").campaign_summary_list().is_empty());
    oc.delete_connect_instance_config()
        .connect_instance_id(&instance)
        .campaign_deletion_policy(CampaignDeletionPolicy::RetainAll)
        .send()
        .await
        .expect("DeleteConnectInstanceConfig");
    let gone = oc.get_connect_instance_config().connect_instance_id(&instance).send().await.expect_err("gone");
    assert_eq!(gone.code(), Some("ResourceNotFoundException"));
    sandbox.stop().await;
}

#[tokio::test]
async fn q_in_connect_knowledge_bases_and_the_message_template_lifecycle() {
    use aws_sdk_qconnect::error::ProvideErrorMetadata;
    use aws_sdk_qconnect::types::{
        ChannelSubtype, KnowledgeBaseType, MessageTemplateBodyContentProvider, MessageTemplateContentProvider,
        MessageTemplateQueryField, MessageTemplateQueryOperator, MessageTemplateSearchExpression,
        SmsMessageTemplateContent, SmsMessageTemplateContentBody,
    };
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let q = clients(&sandbox).await.qconnect;
    let sms = |text: &str| {
        MessageTemplateContentProvider::Sms(
            SmsMessageTemplateContent::builder()
                .body(
                    SmsMessageTemplateContentBody::builder()
                        .plain_text(MessageTemplateBodyContentProvider::Content(text.to_owned()))
                        .build(),
                )
                .build(),
        )
    };
    let kb = q
        .create_knowledge_base()
        .name("acme-templates")
        .knowledge_base_type(KnowledgeBaseType::MessageTemplates)
        .send()
        .await
        .expect("kb");
    let kb = kb.knowledge_base().expect("kb");
    let (kb_id, kb_arn) = (kb.knowledge_base_id().to_owned(), kb.knowledge_base_arn().to_owned());
    let got = q.get_knowledge_base().knowledge_base_id(&kb_id).send().await.expect("GetKnowledgeBase");
    assert_eq!(got.knowledge_base().map(|k| k.name()), Some("acme-templates"));
    let listed = q.list_knowledge_bases().send().await.expect("ListKnowledgeBases");
    assert_eq!(listed.knowledge_base_summaries()[0].knowledge_base_id(), kb_id);

    let created = q
        .create_message_template()
        .knowledge_base_id(&kb_id)
        .name("reminder")
        .channel_subtype(ChannelSubtype::Sms)
        .content(sms("Hi {{Attributes.Customer.FirstName}}"))
        .send()
        .await
        .expect("template");
    let template = created.message_template().expect("template");
    let (id, arn) = (template.message_template_id().to_owned(), template.message_template_arn().to_owned());
    let updated = q
        .update_message_template()
        .knowledge_base_id(&kb_id)
        .message_template_id(&id)
        .content(sms("Hello {{Attributes.Customer.FirstName}}"))
        .send()
        .await
        .expect("UpdateMessageTemplate");
    assert!(updated.message_template().is_some());
    q.create_message_template_version()
        .knowledge_base_id(&kb_id)
        .message_template_id(&id)
        .send()
        .await
        .expect("version");
    let versions = q
        .list_message_template_versions()
        .knowledge_base_id(&kb_id)
        .message_template_id(&id)
        .send()
        .await
        .expect("ListMessageTemplateVersions");
    assert_eq!(versions.message_template_version_summaries()[0].version_number(), 1);
    let templates = q.list_message_templates().knowledge_base_id(&kb_id).send().await.expect("ListMessageTemplates");
    assert_eq!(templates.message_template_summaries()[0].name(), "reminder");
    let found = q
        .search_message_templates()
        .knowledge_base_id(&kb_id)
        .search_expression(
            MessageTemplateSearchExpression::builder()
                .queries(
                    MessageTemplateQueryField::builder()
                        .name("name")
                        .values("remind")
                        .operator(MessageTemplateQueryOperator::Contains)
                        .build()
                        .expect("query"),
                )
                .build(),
        )
        .send()
        .await
        .expect("SearchMessageTemplates");
    assert_eq!(found.results().len(), 1);

    q.activate_message_template()
        .knowledge_base_id(&kb_id)
        .message_template_id(&id)
        .version_number(1)
        .send()
        .await
        .expect("activate");
    let active = q.delete_message_template().knowledge_base_id(&kb_id).message_template_id(&id).send().await;
    assert_eq!(active.expect_err("active version").code(), Some("ConflictException"));
    q.deactivate_message_template()
        .knowledge_base_id(&kb_id)
        .message_template_id(&id)
        .version_number(1)
        .send()
        .await
        .expect("DeactivateMessageTemplate");

    q.tag_resource().resource_arn(&arn).tags("pinshift:client", "acme").tags("team", "cx").send().await.expect("tag");
    q.untag_resource().resource_arn(&arn).tag_keys("team").send().await.expect("UntagResource");
    let tags = q.list_tags_for_resource().resource_arn(&arn).send().await.expect("ListTagsForResource");
    assert_eq!(tags.tags().map(|t| t.keys().map(String::as_str).collect::<Vec<_>>()), Some(vec!["pinshift:client"]));

    q.delete_message_template()
        .knowledge_base_id(&kb_id)
        .message_template_id(&id)
        .send()
        .await
        .expect("DeleteMessageTemplate");
    let gone = q.get_message_template().knowledge_base_id(&kb_id).message_template_id(&id).send().await;
    assert_eq!(gone.expect_err("deleted").code(), Some("ResourceNotFoundException"));
    q.delete_knowledge_base().knowledge_base_id(&kb_arn).send().await.expect("DeleteKnowledgeBase");
    assert!(q.list_knowledge_bases().send().await.expect("list").knowledge_base_summaries().is_empty());
    sandbox.stop().await;
}

#[tokio::test]
async fn sns_topics_are_created_once_read_tagged_listed_and_deleted() {
    use aws_sdk_sns::types::Tag;
    let sandbox = start().await;
    quotas_off(&sandbox).await;
    let config = sandbox.sdk_config(KEY.0, KEY.1).await;
    let sns = aws_sdk_sns::Client::new(&config);
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sms-voice.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}]}"#;
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().expect("tag");
    let create = || {
        sns.create_topic()
            .name("acme-sms-events")
            .attributes("Policy", policy)
            .tags(tag("pinshift:client", "acme"))
            .send()
    };
    let arn = create().await.expect("CreateTopic").topic_arn().expect("arn").to_owned();
    assert_eq!(arn, format!("arn:aws:sns:us-east-1:{ACCOUNT}:acme-sms-events"));
    // The same request again is the same topic; other attributes under the name are refused.
    assert_eq!(create().await.expect("again").topic_arn(), Some(arn.as_str()));
    let other = sns.create_topic().name("acme-sms-events").attributes("DisplayName", "Other").send().await;
    let error = other.expect_err("different attributes");
    assert_eq!(aws_sdk_sns::error::ProvideErrorMetadata::code(&error), Some("InvalidParameter"));
    let bad = sns.create_topic().name("no spaces").send().await.expect_err("a bad name");
    assert_eq!(aws_sdk_sns::error::ProvideErrorMetadata::code(&bad), Some("InvalidParameter"));

    let got = sns.get_topic_attributes().topic_arn(&arn).send().await.expect("GetTopicAttributes");
    let attributes = got.attributes().expect("attributes");
    assert_eq!(attributes.get("Policy").map(String::as_str), Some(policy));
    assert_eq!(attributes.get("Owner").map(String::as_str), Some(ACCOUNT));
    sns.set_topic_attributes()
        .topic_arn(&arn)
        .attribute_name("DisplayName")
        .attribute_value("Acme SMS")
        .send()
        .await
        .expect("SetTopicAttributes");
    let got = sns.get_topic_attributes().topic_arn(&arn).send().await.expect("read again");
    assert_eq!(got.attributes().and_then(|a| a.get("DisplayName")).map(String::as_str), Some("Acme SMS"));

    sns.tag_resource().resource_arn(&arn).tags(tag("pinshift:run", "run-1")).send().await.expect("TagResource");
    sns.untag_resource().resource_arn(&arn).tag_keys("pinshift:client").send().await.expect("UntagResource");
    let tags = sns.list_tags_for_resource().resource_arn(&arn).send().await.expect("ListTagsForResource");
    let keys: Vec<&str> = tags.tags().iter().map(Tag::key).collect();
    assert_eq!(keys, ["pinshift:run"]);

    for n in 0..120 {
        sns.create_topic().name(format!("t{n:03}")).send().await.expect("more topics");
    }
    let mut listed = Vec::new();
    let mut pages = sns.list_topics().into_paginator().send();
    while let Some(page) = pages.next().await {
        listed.extend(page.expect("ListTopics").topics().iter().filter_map(|t| t.topic_arn().map(str::to_owned)));
    }
    assert_eq!(listed.len(), 121, "every topic, over two pages");

    sns.delete_topic().topic_arn(&arn).send().await.expect("DeleteTopic");
    sns.delete_topic().topic_arn(&arn).send().await.expect("deleting it again is no error");
    let gone = sns.get_topic_attributes().topic_arn(&arn).send().await.expect_err("deleted");
    assert_eq!(aws_sdk_sns::error::ProvideErrorMetadata::code(&gone), Some("NotFound"));
    let untagged = sns.list_tags_for_resource().resource_arn(&arn).send().await.expect_err("deleted");
    assert_eq!(aws_sdk_sns::error::ProvideErrorMetadata::code(&untagged), Some("ResourceNotFound"));
    sandbox.stop().await;
}
