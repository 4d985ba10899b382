//! SES v2 tenant management, templates, suppression and sending through the unmodified aws-sdk-sesv2.

use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::error::ProvideErrorMetadata;
use aws_sdk_sesv2::types::{
    Body, Content, Destination, EmailContent, EmailTemplateContent, ListTenantsFilterKey, Message,
    ReputationEntityType, SendingStatus, SuppressionListReason, SuppressionListScope, Template,
};
use pinshift_sandbox::RunningSandbox;

use crate::control::control;
use crate::start;

const ACCOUNT: &str = "222222222222";

async fn ses(sandbox: &RunningSandbox) -> Client {
    Client::new(&sandbox.sdk_config("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await)
}

fn arn(kind: &str, name: &str) -> String {
    format!("arn:aws:ses:us-east-1:{ACCOUNT}:{kind}/{name}")
}

/// A verified domain identity, a configuration set and the quotas off (templates are 1/s).
async fn ready(sandbox: &RunningSandbox, ses: &Client) {
    assert_eq!(control(sandbox, "PUT", "/_sandbox/quotas", r#"{"enabled": false}"#).await.0, 204);
    ses.create_email_identity().email_identity("acme.example").send().await.expect("identity");
    let path = format!("/_sandbox/ses/{ACCOUNT}/us-east-1/identities/acme.example/verify");
    assert_eq!(control(sandbox, "POST", &path, "").await.0, 204);
    ses.create_configuration_set().configuration_set_name("acme").send().await.expect("set");
}

#[tokio::test]
async fn tenants_associate_resources_that_several_tenants_may_share() {
    let sandbox = start().await;
    let ses = ses(&sandbox).await;
    ready(&sandbox, &ses).await;
    let created = ses.create_tenant().tenant_name("acme").send().await.expect("tenant");
    assert_eq!(created.sending_status(), Some(&SendingStatus::Enabled));
    let tenant_arn = created.tenant_arn().expect("arn").to_owned();
    ses.create_tenant().tenant_name("globex").send().await.expect("second tenant");
    let duplicate = ses.create_tenant().tenant_name("acme").send().await.expect_err("dup");
    assert_eq!(duplicate.code(), Some("AlreadyExistsException"));

    for tenant in ["acme", "globex"] {
        ses.create_tenant_resource_association()
            .tenant_name(tenant)
            .resource_arn(arn("identity", "acme.example"))
            .send()
            .await
            .expect("associate");
    }
    let again = ses
        .create_tenant_resource_association()
        .tenant_name("acme")
        .resource_arn(arn("identity", "acme.example"))
        .send()
        .await
        .expect_err("dup");
    assert_eq!(again.code(), Some("AlreadyExistsException"));
    let ghost = ses
        .create_tenant_resource_association()
        .tenant_name("acme")
        .resource_arn(arn("identity", "nobody.example"))
        .send()
        .await
        .expect_err("ghost");
    assert_eq!(ghost.code(), Some("NotFoundException"));

    let tenants = ses.list_resource_tenants().resource_arn(arn("identity", "acme.example")).send().await.expect("list");
    let names: Vec<_> = tenants.resource_tenants().iter().filter_map(|t| t.tenant_name()).collect();
    assert_eq!(names, ["acme", "globex"]);
    let filtered =
        ses.list_tenants().filter(ListTenantsFilterKey::TenantNameContains, "glo").send().await.expect("filter");
    assert_eq!(filtered.tenants().len(), 1);

    // Reputation: the standard policy by default, strict on request; a customer-managed pause.
    let entity = ses
        .get_reputation_entity()
        .reputation_entity_type(ReputationEntityType::Resource)
        .reputation_entity_reference(&tenant_arn)
        .send()
        .await
        .expect("entity");
    let policy = entity.reputation_entity().and_then(|e| e.reputation_management_policy()).expect("policy");
    assert!(policy.ends_with("/standard"), "{policy}");
    ses.update_reputation_entity_policy()
        .reputation_entity_type(ReputationEntityType::Resource)
        .reputation_entity_reference(&tenant_arn)
        .reputation_entity_policy("arn:aws:ses:us-east-1:aws:reputation-policy/strict")
        .send()
        .await
        .expect("strict");
    let bogus = ses
        .update_reputation_entity_policy()
        .reputation_entity_type(ReputationEntityType::Resource)
        .reputation_entity_reference(&tenant_arn)
        .reputation_entity_policy("lenient")
        .send()
        .await
        .expect_err("bogus policy");
    assert_eq!(bogus.code(), Some("BadRequestException"));

    // Deleting a tenant removes its associations, never the resources.
    ses.delete_tenant().tenant_name("acme").send().await.expect("delete");
    ses.get_email_identity().email_identity("acme.example").send().await.expect("identity survives");
    let tenants = ses.list_resource_tenants().resource_arn(arn("identity", "acme.example")).send().await.expect("list");
    assert_eq!(tenants.resource_tenants().len(), 1);
    sandbox.stop().await;
}

#[tokio::test]
async fn templates_render_by_ses_rules_and_run_at_one_per_second() {
    let sandbox = start().await;
    let ses = ses(&sandbox).await;
    ready(&sandbox, &ses).await;
    let content = EmailTemplateContent::builder()
        .subject("Hi {{name}}")
        .text("Dear {{name}}, {{#if tier}}you are {{tier}}{{/if}}.")
        .html("<p>{{name}}</p>")
        .build();
    ses.create_email_template()
        .template_name("welcome")
        .template_content(content.clone())
        .send()
        .await
        .expect("create");
    let rendered = ses
        .test_render_email_template()
        .template_name("welcome")
        .template_data(r#"{"name": "Ann & Bo"}"#)
        .send()
        .await
        .expect("render");
    let mime = rendered.rendered_template();
    assert!(mime.contains("Subject: Hi Ann & Bo"), "{mime}");
    assert!(mime.contains("<p>Ann & Bo</p>"), "SES does not escape: {mime}");
    let missing = ses
        .test_render_email_template()
        .template_name("welcome")
        .template_data("{}")
        .send()
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Some("BadRequestException"));
    assert!(missing.message().unwrap_or_default().contains("'name'"), "{missing:?}");

    // With quotas on, the second template call within a second is throttled (no retries to hide it).
    assert_eq!(control(&sandbox, "PUT", "/_sandbox/quotas", r#"{"enabled": true}"#).await.0, 204);
    let strict = Client::from_conf(
        aws_sdk_sesv2::config::Builder::from(
            &sandbox.sdk_config("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await,
        )
        .retry_config(aws_sdk_sesv2::config::retry::RetryConfig::disabled())
        .build(),
    );
    let first = strict.list_email_templates().send().await;
    let second = strict.list_email_templates().send().await;
    assert!(first.is_ok());
    assert_eq!(second.expect_err("throttled").code(), Some("TooManyRequestsException"));
    sandbox.stop().await;
}

#[tokio::test]
async fn suppression_is_kept_per_tenant_and_sends_need_the_tenants_resources() {
    let sandbox = start().await;
    let ses = ses(&sandbox).await;
    ready(&sandbox, &ses).await;
    ses.create_tenant().tenant_name("acme").send().await.expect("tenant");
    ses.put_tenant_suppression_attributes()
        .tenant_name("acme")
        .suppression_scope(SuppressionListScope::Tenant)
        .send()
        .await
        .expect("scope");
    ses.put_suppressed_destination()
        .email_address("gone@acme.example")
        .reason(SuppressionListReason::Bounce)
        .tenant_name("acme")
        .send()
        .await
        .expect("suppress");
    let tenant_list = ses.list_suppressed_destinations().tenant_name("acme").send().await.expect("list");
    assert_eq!(tenant_list.suppressed_destination_summaries().len(), 1);
    let account_list = ses.list_suppressed_destinations().send().await.expect("list");
    assert!(account_list.suppressed_destination_summaries().is_empty(), "the account list is apart");
    let ghost = ses
        .put_suppressed_destination()
        .email_address("x@y.example")
        .reason(SuppressionListReason::Bounce)
        .tenant_name("nobody")
        .send()
        .await
        .expect_err("no tenant");
    assert_eq!(ghost.code(), Some("NotFoundException"));

    let simple = |to: &str| Destination::builder().to_addresses(to).build();
    let content = || {
        EmailContent::builder()
            .simple(
                Message::builder()
                    .subject(Content::builder().data("hi").build().expect("subject"))
                    .body(Body::builder().text(Content::builder().data("hello").build().expect("text")).build())
                    .build(),
            )
            .build()
    };
    let refused = ses
        .send_email()
        .from_email_address("news@acme.example")
        .destination(simple("success@simulator.amazonses.com"))
        .content(content())
        .tenant_name("acme")
        .send()
        .await
        .expect_err("identity not associated with the tenant");
    assert_eq!(refused.code(), Some("MessageRejected"));
    ses.create_tenant_resource_association()
        .tenant_name("acme")
        .resource_arn(arn("identity", "acme.example"))
        .send()
        .await
        .expect("associate");
    for to in [
        "success@simulator.amazonses.com",
        "bounce@simulator.amazonses.com",
        "complaint@simulator.amazonses.com",
        "gone@acme.example",
    ] {
        ses.send_email()
            .from_email_address("news@acme.example")
            .destination(simple(to))
            .content(content())
            .tenant_name("acme")
            .send()
            .await
            .expect("send");
    }
    let (_, events) = control(&sandbox, "GET", &format!("/_sandbox/ses/{ACCOUNT}/us-east-1/events"), "").await;
    let events: serde_json::Value = serde_json::from_str(&events).expect("events");
    let kinds: Vec<&str> = events.as_array().expect("list").iter().filter_map(|e| e["eventType"].as_str()).collect();
    assert_eq!(kinds, ["Delivery", "Bounce", "Complaint", "Bounce"]);
    assert_eq!(events[3]["bounce"]["bounceSubType"], "OnTenantSuppressionList");

    let unverified = ses
        .send_email()
        .from_email_address("x@unknown.example")
        .destination(simple("success@simulator.amazonses.com"))
        .content(content())
        .send()
        .await
        .expect_err("unverified sender");
    assert_eq!(unverified.code(), Some("MessageRejected"));

    // A templated send whose data misses a value is accepted and fails to render, as SES reports it.
    ses.create_email_template()
        .template_name("t")
        .template_content(EmailTemplateContent::builder().subject("{{x}}").text("y").build())
        .send()
        .await
        .expect("template");
    ses.send_email()
        .from_email_address("news@acme.example")
        .destination(simple("success@simulator.amazonses.com"))
        .content(
            EmailContent::builder()
                .template(Template::builder().template_name("t").template_data("{}").build())
                .build(),
        )
        .send()
        .await
        .expect("accepted");
    let (_, events) = control(&sandbox, "GET", &format!("/_sandbox/ses/{ACCOUNT}/us-east-1/events"), "").await;
    assert!(events.contains("Rendering Failure"), "{events}");
    sandbox.stop().await;
}

#[tokio::test]
async fn contact_lists_keep_topics_and_refuse_unknown_ones() {
    use aws_sdk_sesv2::types::{SubscriptionStatus, Topic, TopicPreference};
    let sandbox = start().await;
    let ses = ses(&sandbox).await;
    ses.create_contact_list()
        .contact_list_name("news")
        .topics(
            Topic::builder()
                .topic_name("deals")
                .display_name("Deals")
                .default_subscription_status(SubscriptionStatus::OptOut)
                .build()
                .expect("topic"),
        )
        .send()
        .await
        .expect("list");
    let preference = |topic: &str| {
        TopicPreference::builder()
            .topic_name(topic)
            .subscription_status(SubscriptionStatus::OptIn)
            .build()
            .expect("pref")
    };
    ses.create_contact()
        .contact_list_name("news")
        .email_address("ann@example.com")
        .topic_preferences(preference("deals"))
        .send()
        .await
        .expect("contact");
    let unknown = ses
        .create_contact()
        .contact_list_name("news")
        .email_address("bo@example.com")
        .topic_preferences(preference("nope"))
        .send()
        .await
        .expect_err("unknown topic");
    assert_eq!(unknown.code(), Some("BadRequestException"));
    let contact =
        ses.get_contact().contact_list_name("news").email_address("ann@example.com").send().await.expect("get");
    assert_eq!(contact.topic_preferences()[0].subscription_status(), &SubscriptionStatus::OptIn);
    let second = ses.create_contact_list().contact_list_name("other").send().await.expect_err("one per Region");
    assert_eq!(second.code(), Some("LimitExceededException"));
    sandbox.stop().await;
}
