//! Every Pinpoint operation through aws-sdk-pinpoint at least once (the ones the focused tests in
//! pinpoint.rs, estates.rs and exports.rs do not already drive): channels of every kind, every template
//! kind, recommenders, versions, journeys, KPIs, event streams, endpoint batches, sends and events.

use aws_sdk_pinpoint::Client;
use aws_sdk_pinpoint::error::ProvideErrorMetadata;
use aws_sdk_pinpoint::types::*;
use pinshift_sandbox::{Estate, RunningSandbox};

use crate::app_id;

async fn sample() -> (RunningSandbox, Client, String) {
    let sandbox = RunningSandbox::start(Estate::load("sample").expect("estate"), 0).await.expect("start");
    let config = sandbox.sdk_config("AKIASANDBOXBPO000001", "sandbox/bpo/secret/key/00000000000000001").await;
    let pinpoint = Client::new(&config);
    let acme = app_id(&pinpoint, "acme-retail").await;
    (sandbox, pinpoint, acme)
}

#[tokio::test]
async fn every_channel_kind_can_be_configured_read_and_removed() {
    let (sandbox, p, _) = sample().await;
    let app = p
        .create_app()
        .create_application_request(CreateApplicationRequest::builder().name("channels").build())
        .send()
        .await
        .expect("CreateApp")
        .application_response()
        .and_then(|a| a.id())
        .expect("id")
        .to_owned();
    let a = app.as_str();
    p.update_adm_channel()
        .application_id(a)
        .adm_channel_request(AdmChannelRequest::builder().client_id("id").client_secret("s").build())
        .send()
        .await
        .expect("UpdateAdmChannel");
    p.update_apns_channel()
        .application_id(a)
        .apns_channel_request(ApnsChannelRequest::builder().certificate("c").private_key("k").build())
        .send()
        .await
        .expect("UpdateApnsChannel");
    p.update_apns_sandbox_channel()
        .application_id(a)
        .apns_sandbox_channel_request(ApnsSandboxChannelRequest::builder().token_key("k").build())
        .send()
        .await
        .expect("UpdateApnsSandboxChannel");
    p.update_apns_voip_channel()
        .application_id(a)
        .apns_voip_channel_request(ApnsVoipChannelRequest::builder().token_key("k").build())
        .send()
        .await
        .expect("UpdateApnsVoipChannel");
    p.update_apns_voip_sandbox_channel()
        .application_id(a)
        .apns_voip_sandbox_channel_request(ApnsVoipSandboxChannelRequest::builder().token_key("k").build())
        .send()
        .await
        .expect("UpdateApnsVoipSandboxChannel");
    p.update_baidu_channel()
        .application_id(a)
        .baidu_channel_request(BaiduChannelRequest::builder().api_key("k").secret_key("s").build())
        .send()
        .await
        .expect("UpdateBaiduChannel");
    p.update_email_channel()
        .application_id(a)
        .email_channel_request(
            EmailChannelRequest::builder()
                .from_address("a@b.example")
                .identity("arn:aws:ses:us-east-1:333333333333:identity/b.example")
                .build(),
        )
        .send()
        .await
        .expect("UpdateEmailChannel");
    p.update_gcm_channel()
        .application_id(a)
        .gcm_channel_request(GcmChannelRequest::builder().api_key("k").build())
        .send()
        .await
        .expect("UpdateGcmChannel");
    p.update_sms_channel()
        .application_id(a)
        .sms_channel_request(SmsChannelRequest::builder().sender_id("SWEEP").build())
        .send()
        .await
        .expect("UpdateSmsChannel");
    p.update_voice_channel()
        .application_id(a)
        .voice_channel_request(VoiceChannelRequest::builder().enabled(true).build())
        .send()
        .await
        .expect("UpdateVoiceChannel");

    assert_eq!(
        p.get_adm_channel()
            .application_id(a)
            .send()
            .await
            .expect("GetAdmChannel")
            .adm_channel_response()
            .and_then(|c| c.has_credential()),
        Some(true)
    );
    assert_eq!(
        p.get_apns_channel()
            .application_id(a)
            .send()
            .await
            .expect("GetApnsChannel")
            .apns_channel_response()
            .and_then(|c| c.default_authentication_method()),
        Some("CERTIFICATE")
    );
    assert_eq!(
        p.get_apns_sandbox_channel()
            .application_id(a)
            .send()
            .await
            .expect("GetApnsSandboxChannel")
            .apns_sandbox_channel_response()
            .and_then(|c| c.has_token_key()),
        Some(true)
    );
    assert_eq!(
        p.get_apns_voip_channel()
            .application_id(a)
            .send()
            .await
            .expect("GetApnsVoipChannel")
            .apns_voip_channel_response()
            .and_then(|c| c.platform()),
        Some("APNS_VOIP")
    );
    assert_eq!(
        p.get_apns_voip_sandbox_channel()
            .application_id(a)
            .send()
            .await
            .expect("GetApnsVoipSandboxChannel")
            .apns_voip_sandbox_channel_response()
            .and_then(|c| c.platform()),
        Some("APNS_VOIP_SANDBOX")
    );
    assert_eq!(
        p.get_baidu_channel()
            .application_id(a)
            .send()
            .await
            .expect("GetBaiduChannel")
            .baidu_channel_response()
            .and_then(|c| c.platform()),
        Some("BAIDU")
    );
    assert_eq!(
        p.get_sms_channel()
            .application_id(a)
            .send()
            .await
            .expect("GetSmsChannel")
            .sms_channel_response()
            .and_then(|c| c.sender_id()),
        Some("SWEEP")
    );
    assert_eq!(
        p.get_voice_channel()
            .application_id(a)
            .send()
            .await
            .expect("GetVoiceChannel")
            .voice_channel_response()
            .and_then(|c| c.enabled()),
        Some(true)
    );
    let channels = p.get_channels().application_id(a).send().await.expect("GetChannels");
    assert_eq!(channels.channels_response().and_then(|c| c.channels()).map(|c| c.len()), Some(10));

    p.delete_adm_channel().application_id(a).send().await.expect("DeleteAdmChannel");
    p.delete_apns_channel().application_id(a).send().await.expect("DeleteApnsChannel");
    p.delete_apns_sandbox_channel().application_id(a).send().await.expect("DeleteApnsSandboxChannel");
    p.delete_apns_voip_channel().application_id(a).send().await.expect("DeleteApnsVoipChannel");
    p.delete_apns_voip_sandbox_channel().application_id(a).send().await.expect("DeleteApnsVoipSandboxChannel");
    p.delete_baidu_channel().application_id(a).send().await.expect("DeleteBaiduChannel");
    p.delete_email_channel().application_id(a).send().await.expect("DeleteEmailChannel");
    p.delete_gcm_channel().application_id(a).send().await.expect("DeleteGcmChannel");
    p.delete_sms_channel().application_id(a).send().await.expect("DeleteSmsChannel");
    p.delete_voice_channel().application_id(a).send().await.expect("DeleteVoiceChannel");
    let gone = p.get_sms_channel().application_id(a).send().await.expect_err("deleted");
    assert_eq!(gone.code(), Some("NotFoundException"));
    sandbox.stop().await;
}

#[tokio::test]
async fn every_template_kind_and_recommenders_round_trip() {
    let (sandbox, p, _) = sample().await;
    p.create_push_template()
        .template_name("sweep-push")
        .push_notification_template_request(
            PushNotificationTemplateRequest::builder()
                .default_value(DefaultPushNotificationTemplate::builder().body("hi").build())
                .build(),
        )
        .send()
        .await
        .expect("CreatePushTemplate");
    p.create_voice_template()
        .template_name("sweep-voice")
        .voice_template_request(VoiceTemplateRequest::builder().body("hello").language_code("en-US").build())
        .send()
        .await
        .expect("CreateVoiceTemplate");
    p.create_in_app_template()
        .template_name("sweep-inapp")
        .in_app_template_request(
            InAppTemplateRequest::builder()
                .layout(Layout::TopBanner)
                .content(
                    InAppMessageContent::builder()
                        .body_config(
                            InAppMessageBodyConfig::builder()
                                .alignment(Alignment::Left)
                                .body("b")
                                .text_color("#000000")
                                .build(),
                        )
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("CreateInAppTemplate");
    p.update_push_template()
        .template_name("sweep-push")
        .create_new_version(true)
        .push_notification_template_request(
            PushNotificationTemplateRequest::builder()
                .default_value(DefaultPushNotificationTemplate::builder().body("hi v2").build())
                .build(),
        )
        .send()
        .await
        .expect("UpdatePushTemplate");
    p.update_voice_template()
        .template_name("sweep-voice")
        .voice_template_request(VoiceTemplateRequest::builder().body("hello again").build())
        .send()
        .await
        .expect("UpdateVoiceTemplate");
    p.update_in_app_template()
        .template_name("sweep-inapp")
        .in_app_template_request(InAppTemplateRequest::builder().layout(Layout::Carousel).build())
        .send()
        .await
        .expect("UpdateInAppTemplate");
    p.update_sms_template()
        .template_name("shared-otp")
        .sms_template_request(SmsTemplateRequest::builder().body("Code: {{Attributes.Code}}").build())
        .send()
        .await
        .expect("UpdateSmsTemplate");
    p.update_template_active_version()
        .template_name("sweep-push")
        .template_type("push")
        .template_active_version_request(TemplateActiveVersionRequest::builder().version("2").build())
        .send()
        .await
        .expect("UpdateTemplateActiveVersion");

    let push = p.get_push_template().template_name("sweep-push").send().await.expect("GetPushTemplate");
    assert_eq!(
        push.push_notification_template_response().and_then(|t| t.default_value()).and_then(|d| d.body()),
        Some("hi v2")
    );
    let voice = p.get_voice_template().template_name("sweep-voice").send().await.expect("GetVoiceTemplate");
    assert_eq!(voice.voice_template_response().and_then(|t| t.body()), Some("hello again"));
    let inapp = p.get_in_app_template().template_name("sweep-inapp").send().await.expect("GetInAppTemplate");
    assert_eq!(inapp.in_app_template_response().and_then(|t| t.layout()), Some(&Layout::Carousel));
    let sms = p.get_sms_template().template_name("shared-otp").send().await.expect("GetSmsTemplate");
    assert_eq!(sms.sms_template_response().and_then(|t| t.body()), Some("Code: {{Attributes.Code}}"));

    p.delete_push_template()
        .template_name("sweep-push")
        .version("1")
        .send()
        .await
        .expect("DeletePushTemplate (a version)");
    p.delete_voice_template().template_name("sweep-voice").send().await.expect("DeleteVoiceTemplate");
    p.delete_in_app_template().template_name("sweep-inapp").send().await.expect("DeleteInAppTemplate");
    p.delete_sms_template().template_name("shared-otp").send().await.expect("DeleteSmsTemplate");
    p.delete_email_template().template_name("acme-welcome").send().await.expect("DeleteEmailTemplate");
    let gone = p.get_email_template().template_name("acme-welcome").send().await.expect_err("deleted");
    assert_eq!(gone.code(), Some("NotFoundException"));

    let created = p
        .create_recommender_configuration()
        .create_recommender_configuration(
            CreateRecommenderConfigurationShape::builder()
                .name("sweep")
                .recommendation_provider_uri("arn:aws:personalize:us-east-1:333333333333:campaign/sweep")
                .recommendation_provider_role_arn("arn:aws:iam::333333333333:role/sweep")
                .build(),
        )
        .send()
        .await
        .expect("CreateRecommenderConfiguration");
    let id = created.recommender_configuration_response().and_then(|r| r.id()).expect("id").to_owned();
    p.update_recommender_configuration()
        .recommender_id(&id)
        .update_recommender_configuration(
            UpdateRecommenderConfigurationShape::builder()
                .recommendation_provider_uri("arn:aws:personalize:us-east-1:333333333333:campaign/sweep")
                .recommendation_provider_role_arn("arn:aws:iam::333333333333:role/sweep")
                .recommendations_per_message(4)
                .build(),
        )
        .send()
        .await
        .expect("UpdateRecommenderConfiguration");
    let fetched =
        p.get_recommender_configuration().recommender_id(&id).send().await.expect("GetRecommenderConfiguration");
    assert_eq!(fetched.recommender_configuration_response().and_then(|r| r.recommendations_per_message()), Some(4));
    p.delete_recommender_configuration().recommender_id(&id).send().await.expect("DeleteRecommenderConfiguration");
    sandbox.stop().await;
}

#[tokio::test]
async fn versions_journeys_kpis_and_jobs_of_an_app() {
    let (sandbox, p, acme) = sample().await;
    let campaigns = p.get_campaigns().application_id(&acme).send().await.expect("campaigns");
    let campaign = campaigns.campaigns_response().expect("payload").item()[0].clone();
    let campaign_id = campaign.id().expect("id");
    p.update_campaign()
        .application_id(&acme)
        .campaign_id(campaign_id)
        .write_campaign_request(
            WriteCampaignRequest::builder().name("renamed").segment_id(campaign.segment_id().expect("segment")).build(),
        )
        .send()
        .await
        .expect("UpdateCampaign");
    let versions = p
        .get_campaign_versions()
        .application_id(&acme)
        .campaign_id(campaign_id)
        .send()
        .await
        .expect("GetCampaignVersions");
    assert_eq!(versions.campaigns_response().expect("payload").item().len(), 2);
    let first = p
        .get_campaign_version()
        .application_id(&acme)
        .campaign_id(campaign_id)
        .version("1")
        .send()
        .await
        .expect("GetCampaignVersion");
    assert_eq!(first.campaign_response().and_then(|c| c.name()), campaign.name());
    let end = aws_sdk_pinpoint::primitives::DateTime::from_secs(1_793_750_400);
    let start = aws_sdk_pinpoint::primitives::DateTime::from_secs(1_793_750_400 - 7 * 86_400);
    let kpi = p
        .get_campaign_date_range_kpi()
        .application_id(&acme)
        .campaign_id(campaign_id)
        .kpi_name("unique-deliveries")
        .start_time(start)
        .end_time(end)
        .send()
        .await
        .expect("GetCampaignDateRangeKpi");
    assert_eq!(kpi.campaign_date_range_kpi_response().and_then(|k| k.campaign_id()), Some(campaign_id));
    p.delete_campaign().application_id(&acme).campaign_id(campaign_id).send().await.expect("DeleteCampaign");

    let journeys = p.list_journeys().application_id(&acme).send().await.expect("journeys");
    let journey_id = journeys.journeys_response().expect("payload").item()[0].id().expect("id").to_owned();
    let journey = p.get_journey().application_id(&acme).journey_id(&journey_id).send().await.expect("GetJourney");
    assert_eq!(journey.journey_response().and_then(|j| j.name()), Some("welcome-series"));
    p.update_journey()
        .application_id(&acme)
        .journey_id(&journey_id)
        .write_journey_request(WriteJourneyRequest::builder().name("welcome-v2").build())
        .send()
        .await
        .expect("UpdateJourney");
    let kpi = p
        .get_journey_date_range_kpi()
        .application_id(&acme)
        .journey_id(&journey_id)
        .kpi_name("journey-emails-opened")
        .start_time(start)
        .end_time(end)
        .send()
        .await
        .expect("GetJourneyDateRangeKpi");
    assert_eq!(kpi.journey_date_range_kpi_response().and_then(|k| k.journey_id()), Some(journey_id.as_str()));
    let runs = p.get_journey_runs().application_id(&acme).journey_id(&journey_id).send().await.expect("runs");
    let run_id = runs.journey_runs_response().expect("payload").item()[0].run_id().expect("run").to_owned();
    p.get_journey_run_execution_metrics()
        .application_id(&acme)
        .journey_id(&journey_id)
        .run_id(&run_id)
        .send()
        .await
        .expect("GetJourneyRunExecutionMetrics");
    let activity = p
        .get_journey_run_execution_activity_metrics()
        .application_id(&acme)
        .journey_id(&journey_id)
        .run_id(&run_id)
        .journey_activity_id("send-welcome")
        .send()
        .await
        .expect("GetJourneyRunExecutionActivityMetrics");
    assert_eq!(
        activity.journey_run_execution_activity_metrics_response().and_then(|m| m.activity_type()),
        Some("MESSAGE")
    );
    p.delete_journey().application_id(&acme).journey_id(&journey_id).send().await.expect("DeleteJourney");

    let segments = p.get_segments().application_id(&acme).send().await.expect("segments");
    let vip = segments
        .segments_response()
        .expect("payload")
        .item()
        .iter()
        .find(|s| s.name() == Some("vip"))
        .and_then(|s| s.id())
        .expect("vip")
        .to_owned();
    let exports =
        p.get_segment_export_jobs().application_id(&acme).segment_id(&vip).send().await.expect("GetSegmentExportJobs");
    assert_eq!(exports.export_jobs_response().expect("payload").item().len(), 1, "the estate's export of vip");
    p.get_segment_import_jobs().application_id(&acme).segment_id(&vip).send().await.expect("GetSegmentImportJobs");
    let near = segments
        .segments_response()
        .expect("payload")
        .item()
        .iter()
        .find(|s| s.name() == Some("near-store"))
        .and_then(|s| s.id())
        .expect("near")
        .to_owned();
    p.delete_segment().application_id(&acme).segment_id(&near).send().await.expect("DeleteSegment");

    p.put_event_stream()
        .application_id(&acme)
        .write_event_stream(
            WriteEventStream::builder()
                .destination_stream_arn("arn:aws:kinesis:us-east-1:333333333333:stream/x")
                .role_arn("arn:aws:iam::333333333333:role/x")
                .build(),
        )
        .send()
        .await
        .expect("PutEventStream");
    p.delete_event_stream().application_id(&acme).send().await.expect("DeleteEventStream");
    assert_eq!(
        p.get_event_stream().application_id(&acme).send().await.expect_err("gone").code(),
        Some("NotFoundException")
    );
    sandbox.stop().await;
}

#[tokio::test]
async fn sends_events_and_attributes() {
    let (sandbox, p, acme) = sample().await;
    p.update_endpoints_batch()
        .application_id(&acme)
        .endpoint_batch_request(
            EndpointBatchRequest::builder()
                .item(
                    EndpointBatchItem::builder()
                        .id("batch-1")
                        .channel_type(ChannelType::Email)
                        .address("b1@example.com")
                        .user(EndpointUser::builder().user_id("batch-user").build())
                        .build(),
                )
                .item(
                    EndpointBatchItem::builder()
                        .id("batch-2")
                        .channel_type(ChannelType::Sms)
                        .address("+12065550188")
                        .opt_out("ALL")
                        .user(EndpointUser::builder().user_id("batch-user").build())
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("UpdateEndpointsBatch");

    let sent = p
        .send_messages()
        .application_id(&acme)
        .message_request(
            MessageRequest::builder()
                .addresses("+12065550100", AddressConfiguration::builder().channel_type(ChannelType::Sms).build())
                .endpoints("batch-1", EndpointSendConfiguration::builder().build())
                .endpoints("batch-2", EndpointSendConfiguration::builder().build())
                .message_configuration(
                    DirectMessageConfiguration::builder().sms_message(SmsMessage::builder().body("hi").build()).build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("SendMessages");
    let response = sent.message_response().expect("payload");
    let endpoints = response.endpoint_result().expect("per endpoint");
    assert_eq!(endpoints["batch-1"].delivery_status(), Some(&DeliveryStatus::Successful));
    assert_eq!(endpoints["batch-2"].delivery_status(), Some(&DeliveryStatus::OptOut));
    assert!(response.result().is_some_and(|r| r.contains_key("+12065550100")));

    let users = p
        .send_users_messages()
        .application_id(&acme)
        .send_users_message_request(
            SendUsersMessageRequest::builder()
                .users("batch-user", EndpointSendConfiguration::builder().build())
                .message_configuration(
                    DirectMessageConfiguration::builder()
                        .default_message(DefaultMessage::builder().body("hi").build())
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("SendUsersMessages");
    assert_eq!(
        users.send_users_message_response().and_then(|r| r.result()).and_then(|r| r.get("batch-user")).map(|e| e.len()),
        Some(2)
    );

    p.send_otp_message()
        .application_id(&acme)
        .send_otp_message_request_parameters(
            SendOtpMessageRequestParameters::builder()
                .brand_name("ACME")
                .channel("SMS")
                .destination_identity("+12065550100")
                .origination_identity("+12065550170")
                .reference_id("login-1")
                .build(),
        )
        .send()
        .await
        .expect("SendOTPMessage");
    let verify = |otp: &'static str| {
        p.verify_otp_message()
            .application_id(&acme)
            .verify_otp_message_request_parameters(
                VerifyOtpMessageRequestParameters::builder()
                    .destination_identity("+12065550100")
                    .otp(otp)
                    .reference_id("login-1")
                    .build(),
            )
            .send()
    };
    assert_eq!(
        verify("123456").await.expect("VerifyOTPMessage").verification_response().and_then(|v| v.valid()),
        Some(true)
    );
    assert_eq!(
        verify("999999").await.expect("VerifyOTPMessage").verification_response().and_then(|v| v.valid()),
        Some(false)
    );

    let events = p
        .put_events()
        .application_id(&acme)
        .events_request(
            EventsRequest::builder()
                .batch_item(
                    "device-1",
                    EventsBatch::builder()
                        .endpoint(PublicEndpoint::builder().channel_type(ChannelType::Gcm).address("token-1").build())
                        .events(
                            "e1",
                            Event::builder().event_type("cart.abandoned").timestamp("2026-11-01T10:00:00Z").build(),
                        )
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("PutEvents");
    let item =
        events.events_response().and_then(|r| r.results()).and_then(|r| r.get("device-1")).expect("item").clone();
    assert_eq!(item.events_item_response().and_then(|e| e.get("e1")).and_then(|e| e.status_code()), Some(202));
    assert!(
        p.get_endpoint().application_id(&acme).endpoint_id("device-1").send().await.is_ok(),
        "events register the endpoint"
    );

    let inapp =
        p.get_in_app_messages().application_id(&acme).endpoint_id("device-1").send().await.expect("GetInAppMessages");
    assert!(inapp.in_app_messages_response().is_some());
    let validated = p
        .phone_number_validate()
        .number_validate_request(
            NumberValidateRequest::builder().phone_number("2065550100").iso_country_code("US").build(),
        )
        .send()
        .await
        .expect("PhoneNumberValidate");
    assert_eq!(validated.number_validate_response().and_then(|n| n.cleansed_phone_number_e164()), Some("+12065550100"));

    p.remove_attributes()
        .application_id(&acme)
        .attribute_type("endpoint-custom-attributes")
        .update_attributes_request(UpdateAttributesRequest::builder().blacklist("tier").build())
        .send()
        .await
        .expect("RemoveAttributes");
    let endpoint = p.get_endpoint().application_id(&acme).endpoint_id("email-00000001").send().await.expect("endpoint");
    assert!(endpoint.endpoint_response().and_then(|e| e.attributes()).is_some_and(|a| !a.contains_key("tier")));

    let removed = p
        .delete_user_endpoints()
        .application_id(&acme)
        .user_id("batch-user")
        .send()
        .await
        .expect("DeleteUserEndpoints");
    assert_eq!(removed.endpoints_response().map(|e| e.item().len()), Some(2));
    sandbox.stop().await;
}
