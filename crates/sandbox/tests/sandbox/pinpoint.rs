//! Pinpoint through the unmodified aws-sdk-pinpoint client: write, read back, compare; paging; errors.
//! Every response the sandbox sends is also checked against the botocore model on the way out, so a
//! shape mistake fails these tests with the offending field named.

use aws_sdk_pinpoint::Client;
use aws_sdk_pinpoint::error::ProvideErrorMetadata;
use aws_sdk_pinpoint::types::{
    ApplicationSettingsJourneyLimits, AttributeDimension, AttributeType, CampaignLimits, CreateApplicationRequest,
    EmailChannelRequest, EmailTemplateRequest, Frequency, GcmChannelRequest, JourneyStateRequest, QuietTime, Schedule,
    SegmentDimensions, SmsTemplateRequest, State, TagsModel, Template, TemplateConfiguration,
    WriteApplicationSettingsRequest, WriteCampaignRequest, WriteJourneyRequest, WriteSegmentRequest,
    WriteTreatmentResource,
};

use crate::start;

const KEY: &str = "AKIASANDBOXCLIENTA01";
const SECRET: &str = "sandbox/client-a/secret/key/00000000001";

async fn client(sandbox: &pinshift_sandbox::RunningSandbox) -> Client {
    Client::new(&sandbox.sdk_config(KEY, SECRET).await)
}

async fn create_app(pinpoint: &Client, name: &str) -> String {
    let created = pinpoint
        .create_app()
        .create_application_request(CreateApplicationRequest::builder().name(name).tags("client", name).build())
        .send()
        .await
        .expect("CreateApp");
    created.application_response().and_then(|a| a.id()).expect("id").to_owned()
}

fn segment(name: &str, attribute: &str) -> WriteSegmentRequest {
    WriteSegmentRequest::builder()
        .name(name)
        .dimensions(
            SegmentDimensions::builder()
                .user_attributes(
                    attribute,
                    AttributeDimension::builder().attribute_type(AttributeType::Inclusive).values("gold").build(),
                )
                .build(),
        )
        .build()
}

#[tokio::test]
async fn apps_are_created_listed_in_pages_and_deleted() {
    let sandbox = start().await;
    let pinpoint = client(&sandbox).await;
    let mut ids = Vec::new();
    for name in ["acme", "globex", "initech"] {
        ids.push(create_app(&pinpoint, name).await);
    }
    let first = pinpoint.get_apps().page_size("2").send().await.expect("GetApps");
    let page = first.applications_response().expect("payload");
    assert_eq!(page.item().len(), 2);
    let token = page.next_token().expect("a second page").to_owned();
    let second = pinpoint.get_apps().page_size("2").token(token).send().await.expect("GetApps page 2");
    let rest = second.applications_response().expect("payload");
    assert_eq!(rest.item().len(), 1);
    assert!(rest.next_token().is_none());

    let app = pinpoint.get_app().application_id(&ids[0]).send().await.expect("GetApp");
    let app = app.application_response().expect("payload");
    assert_eq!(app.name(), Some("acme"));
    assert_eq!(app.arn(), Some(format!("arn:aws:mobiletargeting:us-east-1:222222222222:apps/{}", ids[0]).as_str()));
    assert_eq!(app.tags().and_then(|t| t.get("client")).map(String::as_str), Some("acme"));
    assert!(app.creation_date().is_some_and(|d| d.ends_with('Z')));

    pinpoint.delete_app().application_id(&ids[0]).send().await.expect("DeleteApp");
    let error = pinpoint.get_app().application_id(&ids[0]).send().await.expect_err("gone");
    assert_eq!(error.code(), Some("NotFoundException"));
    assert_eq!(error.raw_response().map(|r| r.status().as_u16()), Some(404));
    sandbox.stop().await;
}

#[tokio::test]
async fn apps_are_per_account_and_region() {
    let sandbox = start().await;
    let pinpoint = client(&sandbox).await;
    create_app(&pinpoint, "client-a-app").await;
    let hub = Client::new(&sandbox.sdk_config("AKIASANDBOXHUB000001", "sandbox/hub/secret/key/0000000000000001").await);
    let listed = hub.get_apps().send().await.expect("GetApps");
    assert!(listed.applications_response().expect("payload").item().is_empty(), "another account sees nothing");
    let other_region = Client::from_conf(
        aws_sdk_pinpoint::config::Builder::from(&sandbox.sdk_config(KEY, SECRET).await)
            .region(aws_sdk_pinpoint::config::Region::new("eu-west-1"))
            .build(),
    );
    let listed = other_region.get_apps().send().await.expect("GetApps");
    assert!(listed.applications_response().expect("payload").item().is_empty(), "another Region sees nothing");
    sandbox.stop().await;
}

#[tokio::test]
async fn channels_answer_not_found_until_configured_and_never_echo_credentials() {
    let sandbox = start().await;
    let pinpoint = client(&sandbox).await;
    let app = create_app(&pinpoint, "acme").await;
    let error = pinpoint.get_email_channel().application_id(&app).send().await.expect_err("unconfigured");
    assert_eq!(error.code(), Some("NotFoundException"));

    pinpoint
        .update_email_channel()
        .application_id(&app)
        .email_channel_request(
            EmailChannelRequest::builder()
                .from_address("news@acme.example")
                .identity("arn:aws:ses:us-east-1:222222222222:identity/acme.example")
                .configuration_set("acme-events")
                .build(),
        )
        .send()
        .await
        .expect("UpdateEmailChannel");
    let email = pinpoint.get_email_channel().application_id(&app).send().await.expect("GetEmailChannel");
    let email = email.email_channel_response().expect("payload");
    assert_eq!(email.from_address(), Some("news@acme.example"));
    assert_eq!(email.configuration_set(), Some("acme-events"));
    assert_eq!((email.platform(), email.enabled(), email.version()), (Some("EMAIL"), Some(true), Some(1)));

    pinpoint
        .update_gcm_channel()
        .application_id(&app)
        .gcm_channel_request(GcmChannelRequest::builder().service_json("{\"private_key\":\"s3cr3t\"}").build())
        .send()
        .await
        .expect("UpdateGcmChannel");
    let gcm = pinpoint.get_gcm_channel().application_id(&app).send().await.expect("GetGcmChannel");
    let gcm = gcm.gcm_channel_response().expect("payload");
    assert_eq!(gcm.has_fcm_service_credentials(), Some(true));
    assert_eq!(gcm.default_authentication_method(), Some("TOKEN"));
    assert!(gcm.credential().is_none(), "credentials are never returned");

    let channels = pinpoint.get_channels().application_id(&app).send().await.expect("GetChannels");
    let mut kinds: Vec<&String> =
        channels.channels_response().and_then(|c| c.channels()).expect("map").keys().collect();
    kinds.sort();
    assert_eq!(kinds, ["EMAIL", "GCM"]);
    sandbox.stop().await;
}

#[tokio::test]
async fn settings_keep_limits_and_quiet_time_but_not_write_only_flags() {
    let sandbox = start().await;
    let pinpoint = client(&sandbox).await;
    let app = create_app(&pinpoint, "acme").await;
    pinpoint
        .update_application_settings()
        .application_id(&app)
        .write_application_settings_request(
            WriteApplicationSettingsRequest::builder()
                .limits(CampaignLimits::builder().daily(3).total(10).messages_per_second(50).build())
                .quiet_time(QuietTime::builder().start("22:00").end("07:00").build())
                .journey_limits(ApplicationSettingsJourneyLimits::builder().daily_cap(2).build())
                .cloud_watch_metrics_enabled(true)
                .build(),
        )
        .send()
        .await
        .expect("UpdateApplicationSettings");
    let settings = pinpoint.get_application_settings().application_id(&app).send().await.expect("get");
    let settings = settings.application_settings_resource().expect("payload");
    assert_eq!(settings.limits().and_then(|l| l.daily()), Some(3));
    assert_eq!(settings.quiet_time().and_then(|q| q.start()), Some("22:00"));
    assert_eq!(settings.journey_limits().and_then(|j| j.daily_cap()), Some(2));
    sandbox.stop().await;
}

#[tokio::test]
async fn segments_keep_every_version() {
    let sandbox = start().await;
    let pinpoint = client(&sandbox).await;
    let app = create_app(&pinpoint, "acme").await;
    let created = pinpoint
        .create_segment()
        .application_id(&app)
        .write_segment_request(segment("gold", "tier"))
        .send()
        .await
        .expect("CreateSegment");
    let id = created.segment_response().and_then(|s| s.id()).expect("id").to_owned();
    pinpoint
        .update_segment()
        .application_id(&app)
        .segment_id(&id)
        .write_segment_request(segment("gold members", "tier"))
        .send()
        .await
        .expect("UpdateSegment");
    let latest = pinpoint.get_segment().application_id(&app).segment_id(&id).send().await.expect("GetSegment");
    let latest = latest.segment_response().expect("payload");
    assert_eq!((latest.name(), latest.version()), (Some("gold members"), Some(2)));
    assert_eq!(latest.segment_type().map(|t| t.as_str()), Some("DIMENSIONAL"));
    let v1 = pinpoint.get_segment_version().application_id(&app).segment_id(&id).version("1").send().await.expect("v1");
    assert_eq!(v1.segment_response().and_then(|s| s.name()), Some("gold"));
    let versions = pinpoint.get_segment_versions().application_id(&app).segment_id(&id).send().await.expect("versions");
    assert_eq!(versions.segments_response().expect("payload").item().len(), 2);
    let error =
        pinpoint.get_segment_version().application_id(&app).segment_id(&id).version("9").send().await.expect_err("v9");
    assert_eq!(error.code(), Some("NotFoundException"));
    sandbox.stop().await;
}

#[tokio::test]
async fn campaigns_carry_treatments_schedules_and_template_references() {
    let sandbox = start().await;
    let pinpoint = client(&sandbox).await;
    let app = create_app(&pinpoint, "acme").await;
    let segment_id = pinpoint
        .create_segment()
        .application_id(&app)
        .write_segment_request(segment("all", "tier"))
        .send()
        .await
        .expect("CreateSegment")
        .segment_response()
        .and_then(|s| s.id())
        .expect("id")
        .to_owned();
    let request = WriteCampaignRequest::builder()
        .name("spring sale")
        .segment_id(&segment_id)
        .holdout_percent(10)
        .schedule(Schedule::builder().start_time("IMMEDIATE").frequency(Frequency::Once).build())
        .template_configuration(
            TemplateConfiguration::builder()
                .email_template(Template::builder().name("spring").version("2").build())
                .build(),
        )
        .additional_treatments(WriteTreatmentResource::builder().size_percent(40).treatment_name("B").build())
        .tags("client", "acme")
        .build();
    let created =
        pinpoint.create_campaign().application_id(&app).write_campaign_request(request).send().await.expect("create");
    let campaign = created.campaign_response().expect("payload");
    assert_eq!(campaign.segment_version(), Some(1));
    assert_eq!(campaign.holdout_percent(), Some(10));
    assert_eq!(campaign.additional_treatments()[0].size_percent(), Some(40));
    assert!(campaign.additional_treatments()[0].id().is_some());
    assert_eq!(campaign.state().and_then(|s| s.campaign_status()).map(|s| s.as_str()), Some("SCHEDULED"));
    let id = campaign.id().expect("id").to_owned();

    let fetched = pinpoint.get_campaign().application_id(&app).campaign_id(&id).send().await.expect("get");
    let fetched = fetched.campaign_response().expect("payload");
    assert_eq!(fetched.template_configuration().and_then(|t| t.email_template()).and_then(|t| t.version()), Some("2"));
    assert_eq!(fetched.tags().and_then(|t| t.get("client")).map(String::as_str), Some("acme"));
    let activities =
        pinpoint.get_campaign_activities().application_id(&app).campaign_id(&id).send().await.expect("acts");
    assert!(activities.activities_response().expect("payload").item().is_empty());

    let error = pinpoint
        .create_campaign()
        .application_id(&app)
        .write_campaign_request(WriteCampaignRequest::builder().name("x").segment_id("nope").build())
        .send()
        .await
        .expect_err("unknown segment");
    assert_eq!(error.code(), Some("NotFoundException"));
    sandbox.stop().await;
}

#[tokio::test]
async fn journeys_start_as_drafts_and_change_state() {
    let sandbox = start().await;
    let pinpoint = client(&sandbox).await;
    let app = create_app(&pinpoint, "acme").await;
    let created = pinpoint
        .create_journey()
        .application_id(&app)
        .write_journey_request(WriteJourneyRequest::builder().name("welcome").local_time(true).build())
        .send()
        .await
        .expect("CreateJourney");
    let journey = created.journey_response().expect("payload");
    assert_eq!(journey.state().map(|s| s.as_str()), Some("DRAFT"));
    let id = journey.id().expect("id").to_owned();
    pinpoint
        .update_journey_state()
        .application_id(&app)
        .journey_id(&id)
        .journey_state_request(JourneyStateRequest::builder().state(State::Paused).build())
        .send()
        .await
        .expect("UpdateJourneyState");
    let listed = pinpoint.list_journeys().application_id(&app).send().await.expect("ListJourneys");
    let item = &listed.journeys_response().expect("payload").item()[0];
    assert_eq!((item.name(), item.state().map(|s| s.as_str())), (Some("welcome"), Some("PAUSED")));
    sandbox.stop().await;
}

#[tokio::test]
async fn templates_have_versions_an_active_version_and_paging() {
    let sandbox = start().await;
    let pinpoint = client(&sandbox).await;
    let email = |subject: &str| {
        EmailTemplateRequest::builder()
            .subject(subject)
            .html_part("<p>Hello {{User.UserAttributes.FirstName}}</p>")
            .default_substitutions("{\"User.UserAttributes.FirstName\":\"there\"}")
            .build()
    };
    pinpoint
        .create_email_template()
        .template_name("acme-welcome")
        .email_template_request(email("Welcome"))
        .send()
        .await
        .expect("create");
    pinpoint
        .update_email_template()
        .template_name("acme-welcome")
        .create_new_version(true)
        .email_template_request(email("Welcome aboard"))
        .send()
        .await
        .expect("new version");
    let versions = pinpoint
        .list_template_versions()
        .template_name("acme-welcome")
        .template_type("email")
        .send()
        .await
        .expect("versions");
    let versions: Vec<Option<&str>> =
        versions.template_versions_response().expect("payload").item().iter().map(|v| v.version()).collect();
    assert_eq!(versions, [Some("1"), Some("2")]);
    let v1 = pinpoint.get_email_template().template_name("acme-welcome").version("1").send().await.expect("v1");
    assert_eq!(v1.email_template_response().and_then(|t| t.subject()), Some("Welcome"));

    for name in ["acme-otp", "globex-otp"] {
        pinpoint
            .create_sms_template()
            .template_name(name)
            .sms_template_request(SmsTemplateRequest::builder().body("Your code is {{Attributes.Code}}").build())
            .send()
            .await
            .expect("sms");
    }
    let acme = pinpoint.list_templates().prefix("acme-").send().await.expect("ListTemplates");
    let mut names: Vec<&str> =
        acme.templates_response().expect("payload").item().iter().filter_map(|t| t.template_name()).collect();
    names.sort();
    assert_eq!(names, ["acme-otp", "acme-welcome"]);
    let sms = pinpoint.list_templates().template_type("SMS").page_size("1").send().await.expect("page");
    let sms = sms.templates_response().expect("payload");
    assert_eq!(sms.item().len(), 1);
    assert!(sms.next_token().is_some());

    let duplicate =
        pinpoint.create_email_template().template_name("acme-welcome").email_template_request(email("x")).send().await;
    assert_eq!(duplicate.expect_err("exists").code(), Some("BadRequestException"));
    sandbox.stop().await;
}

#[tokio::test]
async fn tags_can_be_added_listed_and_removed_by_arn() {
    let sandbox = start().await;
    let pinpoint = client(&sandbox).await;
    let app = create_app(&pinpoint, "acme").await;
    let arn = format!("arn:aws:mobiletargeting:us-east-1:222222222222:apps/{app}");
    pinpoint
        .tag_resource()
        .resource_arn(&arn)
        .tags_model(TagsModel::builder().tags("cost-centre", "42").build())
        .send()
        .await
        .expect("TagResource");
    let tags = pinpoint.list_tags_for_resource().resource_arn(&arn).send().await.expect("list");
    let tags = tags.tags_model().and_then(|t| t.tags()).expect("tags");
    assert_eq!(tags.get("cost-centre").map(String::as_str), Some("42"));
    assert_eq!(tags.get("client").map(String::as_str), Some("acme"));
    pinpoint.untag_resource().resource_arn(&arn).tag_keys("client").send().await.expect("untag");
    let tags = pinpoint.list_tags_for_resource().resource_arn(&arn).send().await.expect("list");
    assert!(!tags.tags_model().and_then(|t| t.tags()).expect("tags").contains_key("client"));
    let error = pinpoint
        .list_tags_for_resource()
        .resource_arn("arn:aws:mobiletargeting:us-east-1:222222222222:apps/nope")
        .send()
        .await
        .expect_err("unknown");
    assert_eq!(error.code(), Some("NotFoundException"));
    sandbox.stop().await;
}
