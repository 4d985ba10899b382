//! SES v2 identities and configuration sets through the unmodified aws-sdk-sesv2 client.

use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::error::ProvideErrorMetadata;
use aws_sdk_sesv2::types::{EventDestinationDefinition, EventType, KinesisFirehoseDestination};
use pinshift_sandbox::{Estate, RunningSandbox};

use crate::control::control;
use crate::start;

async fn client(sandbox: &RunningSandbox, key: &str, secret: &str) -> Client {
    Client::new(&sandbox.sdk_config(key, secret).await)
}

#[tokio::test]
async fn identities_wait_for_dns_and_configuration_sets_keep_destinations() {
    let sandbox = start().await;
    let ses = client(&sandbox, "AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await;
    let created = ses.create_email_identity().email_identity("acme.example").send().await.expect("create identity");
    assert_eq!(created.identity_type().map(|t| t.as_str()), Some("DOMAIN"));
    assert_eq!(created.dkim_attributes().map(|d| d.tokens().len()), Some(3));
    assert!(!created.verified_for_sending_status());

    let pending = ses.get_email_identity().email_identity("acme.example").send().await.expect("get");
    assert_eq!(pending.verification_status().map(|s| s.as_str()), Some("PENDING"));
    let path = "/_sandbox/ses/222222222222/us-east-1/identities/acme.example/verify";
    assert_eq!(control(&sandbox, "POST", path, "").await.0, 204);
    let verified = ses.get_email_identity().email_identity("acme.example").send().await.expect("get");
    assert_eq!(verified.verification_status().map(|s| s.as_str()), Some("SUCCESS"));
    assert!(verified.verified_for_sending_status());

    let duplicate = ses.create_email_identity().email_identity("acme.example").send().await.expect_err("dup");
    assert_eq!(duplicate.code(), Some("AlreadyExistsException"));
    let missing = ses.get_email_identity().email_identity("nope.example").send().await.expect_err("missing");
    assert_eq!(missing.code(), Some("NotFoundException"));

    ses.create_configuration_set().configuration_set_name("acme-events").send().await.expect("config set");
    ses.create_configuration_set_event_destination()
        .configuration_set_name("acme-events")
        .event_destination_name("firehose")
        .event_destination(
            EventDestinationDefinition::builder()
                .enabled(true)
                .matching_event_types(EventType::Bounce)
                .kinesis_firehose_destination(
                    KinesisFirehoseDestination::builder()
                        .delivery_stream_arn("arn:aws:firehose:us-east-1:222222222222:deliverystream/x")
                        .iam_role_arn("arn:aws:iam::222222222222:role/x")
                        .build()
                        .expect("destination"),
                )
                .build(),
        )
        .send()
        .await
        .expect("event destination");
    let destinations =
        ses.get_configuration_set_event_destinations().configuration_set_name("acme-events").send().await.expect("get");
    let destination = &destinations.event_destinations()[0];
    assert_eq!(destination.name(), "firehose");
    assert_eq!(destination.matching_event_types(), [EventType::Bounce]);
    let sets = ses.list_configuration_sets().send().await.expect("list");
    assert_eq!(sets.configuration_sets(), ["acme-events"]);
    sandbox.stop().await;
}

#[tokio::test]
async fn the_sample_estate_declares_identities_per_region() {
    let sandbox = RunningSandbox::start(Estate::load("sample").expect("estate"), 0).await.expect("start");
    let ses = client(&sandbox, "AKIASANDBOXBPO000001", "sandbox/bpo/secret/key/00000000000000001").await;
    let listed = ses.list_email_identities().page_size(1).send().await.expect("list");
    assert_eq!(listed.email_identities().len(), 1);
    assert!(listed.next_token().is_some(), "two identities, pages of one");
    let acme = ses.get_email_identity().email_identity("acme.example").send().await.expect("acme");
    assert!(acme.verified_for_sending_status());
    assert_eq!(acme.configuration_set_name(), Some("acme-events"));
    let globex = ses.get_email_identity().email_identity("alerts@globex.example").send().await.expect("globex");
    assert_eq!(globex.identity_type().map(|t| t.as_str()), Some("EMAIL_ADDRESS"));
    assert!(!globex.verified_for_sending_status());
    sandbox.stop().await;
}

#[tokio::test]
async fn identities_and_configuration_sets_can_be_deleted() {
    let sandbox = start().await;
    let ses = client(&sandbox, "AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await;
    ses.create_configuration_set().configuration_set_name("gone").send().await.expect("create set");
    let set = ses.get_configuration_set().configuration_set_name("gone").send().await.expect("GetConfigurationSet");
    assert_eq!(set.configuration_set_name(), Some("gone"));
    ses.delete_configuration_set().configuration_set_name("gone").send().await.expect("DeleteConfigurationSet");
    let missing = ses.get_configuration_set().configuration_set_name("gone").send().await.expect_err("deleted");
    assert_eq!(missing.code(), Some("NotFoundException"));
    ses.create_email_identity().email_identity("x@example.com").send().await.expect("create identity");
    ses.delete_email_identity().email_identity("x@example.com").send().await.expect("DeleteEmailIdentity");
    assert!(ses.list_email_identities().send().await.expect("list").email_identities().is_empty());
    sandbox.stop().await;
}
