//! The built-in `sample` estate, read back through the official SDK as a scan would see it.

use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_pinpoint::Client;
use aws_sdk_pinpoint::error::ProvideErrorMetadata;
use pinshift_sandbox::{Estate, RunningSandbox};

use crate::sdk_config;

/// The consultant's hub keys, assuming the scan role in the BPO account, like Pinshift connects.
async fn bpo(sandbox: &RunningSandbox, region: &str) -> Client {
    let hub = sdk_config(sandbox, "AKIASANDBOXHUB000001", "sandbox/hub/secret/key/0000000000000001").await;
    let role = AssumeRoleProvider::builder("arn:aws:iam::333333333333:role/PinshiftScan")
        .session_name("scan")
        .external_id("pinshift-sample-external-id")
        .configure(&hub)
        .build()
        .await;
    let config = hub.into_builder().credentials_provider(SharedCredentialsProvider::new(role)).build();
    Client::from_conf(
        aws_sdk_pinpoint::config::Builder::from(&config)
            .region(aws_sdk_pinpoint::config::Region::new(region.to_owned()))
            .build(),
    )
}

#[tokio::test]
async fn the_sample_estate_reads_back_as_declared() {
    let sandbox = RunningSandbox::start(Estate::load("sample").expect("estate"), 0).await.expect("start");
    let pinpoint = bpo(&sandbox, "us-east-1").await;

    let apps = pinpoint.get_apps().send().await.expect("GetApps");
    let apps = apps.applications_response().expect("payload").item();
    let mut names: Vec<&str> = apps.iter().filter_map(|a| a.name()).collect();
    names.sort();
    assert_eq!(names, ["acme-retail", "globex-bank", "initech-app"]);
    let acme = apps.iter().find(|a| a.name() == Some("acme-retail")).and_then(|a| a.id()).expect("acme").to_owned();
    let initech =
        apps.iter().find(|a| a.name() == Some("initech-app")).and_then(|a| a.id()).expect("initech").to_owned();

    let segments = pinpoint.get_segments().application_id(&acme).send().await.expect("GetSegments");
    let vip = segments
        .segments_response()
        .expect("payload")
        .item()
        .iter()
        .find(|s| s.name() == Some("vip"))
        .expect("vip")
        .clone();
    assert_eq!(vip.version(), Some(2), "two versions declared");

    let campaigns = pinpoint.get_campaigns().application_id(&acme).send().await.expect("GetCampaigns");
    let campaigns = campaigns.campaigns_response().expect("payload").item();
    assert_eq!(campaigns.len(), 3);
    let ab = campaigns.iter().find(|c| c.name() == Some("spring-sale-ab")).expect("A/B campaign");
    assert_eq!(ab.additional_treatments().len(), 1);
    assert_eq!(ab.holdout_percent(), Some(10));
    let segment_ids: Vec<&str> =
        segments.segments_response().expect("payload").item().iter().filter_map(|s| s.id()).collect();
    assert!(segment_ids.contains(&ab.segment_id().expect("segment")), "segment references resolve to ids");

    let journeys = pinpoint.list_journeys().application_id(&acme).send().await.expect("ListJourneys");
    let journey = &journeys.journeys_response().expect("payload").item()[0];
    assert_eq!(journey.activities().map(|a| a.len()), Some(5));
    assert_eq!(journey.state().map(|s| s.as_str()), Some("ACTIVE"));

    let settings = pinpoint.get_application_settings().application_id(&acme).send().await.expect("settings");
    assert_eq!(
        settings.application_settings_resource().and_then(|s| s.quiet_time()).and_then(|q| q.start()),
        Some("21:00")
    );
    assert!(pinpoint.get_event_stream().application_id(&acme).send().await.is_ok());

    let email = pinpoint.get_email_channel().application_id(&initech).send().await.expect_err("initech has no email");
    assert_eq!(email.code(), Some("NotFoundException"));
    let apns = pinpoint.get_apns_channel().application_id(&initech).send().await.expect("APNS");
    assert_eq!(apns.apns_channel_response().and_then(|c| c.has_token_key()), Some(true));

    let templates = pinpoint.list_templates().send().await.expect("ListTemplates");
    assert_eq!(templates.templates_response().expect("payload").item().len(), 6);
    let welcome = pinpoint.get_email_template().template_name("acme-welcome").send().await.expect("template");
    let welcome = welcome.email_template_response().expect("payload");
    assert_eq!(welcome.version(), Some("2"));
    let recommenders = pinpoint.get_recommender_configurations().send().await.expect("recommenders");
    let recommender = &recommenders.list_recommender_configurations_response().expect("payload").item()[0];
    assert_eq!(welcome.recommender_id(), recommender.id(), "recommender references resolve to ids");

    let eu = bpo(&sandbox, "eu-west-1").await;
    let eu_apps = eu.get_apps().send().await.expect("GetApps eu");
    assert_eq!(eu_apps.applications_response().expect("payload").item().len(), 1);
    sandbox.stop().await;
}
