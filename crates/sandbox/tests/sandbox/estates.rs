//! The built-in `sample` estate, read back through the official SDK as a scan would see it.

use aws_sdk_pinpoint::Client;
use aws_sdk_pinpoint::error::ProvideErrorMetadata;
use pinshift_sandbox::{Estate, RunningSandbox};

use crate::{app_id, pinpoint_via_role};

/// The consultant's hub keys, assuming the scan role in the BPO account, like Pinshift connects.
async fn bpo(sandbox: &RunningSandbox, region: &str) -> Client {
    let hub = ("AKIASANDBOXHUB000001", "sandbox/hub/secret/key/0000000000000001");
    pinpoint_via_role(
        sandbox,
        hub,
        "arn:aws:iam::333333333333:role/PinshiftScan",
        "pinshift-sample-external-id",
        region,
    )
    .await
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

#[tokio::test]
async fn kpis_metrics_and_job_history_come_from_the_estate() {
    use aws_sdk_pinpoint::primitives::DateTime;
    let sandbox = RunningSandbox::start(Estate::load("sample").expect("estate"), 0).await.expect("start");
    let pinpoint = bpo(&sandbox, "us-east-1").await;
    let acme = app_id(&pinpoint, "acme-retail").await;

    let end = DateTime::from_secs(1_793_750_400); // 2026-11-04T00:00:00Z
    let start = DateTime::from_secs(1_793_750_400 - 30 * 86_400);
    let kpi = |name: &'static str| {
        pinpoint
            .get_application_date_range_kpi()
            .application_id(&acme)
            .kpi_name(name)
            .start_time(start)
            .end_time(end)
            .send()
    };
    let daily = kpi("successful-delivery-rate-grouped-by-date").await.expect("KPI");
    let rows = daily.application_date_range_kpi_response().and_then(|r| r.kpi_result()).expect("rows").rows();
    assert_eq!(rows.len(), 31, "one row per day, both ends included");
    assert_eq!(rows[0].grouped_bys()[0].value(), Some("2026-10-05"));
    let rate: f64 = rows[0].values()[0].value().expect("value").parse().expect("number");
    assert!((0.85..=1.0).contains(&rate), "{rate}");
    let again = kpi("successful-delivery-rate-grouped-by-date").await.expect("KPI");
    assert_eq!(
        daily.application_date_range_kpi_response(),
        again.application_date_range_kpi_response(),
        "deterministic"
    );

    let sent = kpi("txn-emails-sent").await.expect("KPI");
    let total: f64 = sent.application_date_range_kpi_response().and_then(|r| r.kpi_result()).expect("rows").rows()[0]
        .values()[0]
        .value()
        .expect("value")
        .parse()
        .expect("number");
    assert!(total > 100_000.0, "a month of ACME's email: {total}");

    let error = kpi("not-a-kpi").await.expect_err("unknown");
    assert_eq!(error.code(), Some("BadRequestException"));
    let error = pinpoint
        .get_application_date_range_kpi()
        .application_id(&acme)
        .kpi_name("txn-emails-sent")
        .start_time(DateTime::from_secs(1_793_750_400 - 60 * 86_400))
        .end_time(end)
        .send()
        .await
        .expect_err("window too long");
    assert_eq!(error.code(), Some("BadRequestException"));

    let journeys = pinpoint.list_journeys().application_id(&acme).send().await.expect("journeys");
    let journey = journeys.journeys_response().expect("payload").item()[0].id().expect("id").to_owned();
    let metrics = pinpoint
        .get_journey_execution_metrics()
        .application_id(&acme)
        .journey_id(&journey)
        .send()
        .await
        .expect("metrics");
    let metrics = metrics.journey_execution_metrics_response().expect("payload").metrics().expect("map");
    assert!(metrics.contains_key("ENDPOINT_ENTERED") && metrics.contains_key("ENDPOINT_ACTIVE"));
    let activity = pinpoint
        .get_journey_execution_activity_metrics()
        .application_id(&acme)
        .journey_id(&journey)
        .journey_activity_id("wait-3d")
        .send()
        .await
        .expect("activity metrics");
    assert_eq!(activity.journey_execution_activity_metrics_response().and_then(|r| r.activity_type()), Some("WAIT"));
    let runs = pinpoint.get_journey_runs().application_id(&acme).journey_id(&journey).send().await.expect("runs");
    assert_eq!(runs.journey_runs_response().expect("payload").item().len(), 1);

    let imports = pinpoint.get_import_jobs().application_id(&acme).send().await.expect("import jobs");
    let job = &imports.import_jobs_response().expect("payload").item()[0];
    assert_eq!(job.job_status().map(|s| s.as_str()), Some("COMPLETED"));
    assert_eq!(job.definition().and_then(|d| d.s3_url()), Some("s3://acme-imports/2026-10/customers.csv"));
    let exports = pinpoint.get_export_jobs().application_id(&acme).send().await.expect("export jobs");
    assert_eq!(exports.export_jobs_response().expect("payload").item().len(), 1);
    sandbox.stop().await;
}

/// The consultant's hub keys assuming `PinshiftScan` in `account` of the demo estate.
async fn demo_role(sandbox: &RunningSandbox, account: &str, region: &str) -> Client {
    let hub = ("AKIADEMOHUB000000001", "demo/hub/secret/key/000000000000000000001");
    pinpoint_via_role(sandbox, hub, &format!("arn:aws:iam::{account}:role/PinshiftScan"), "pinshift-demo", region).await
}

#[tokio::test]
async fn the_demo_estate_has_twelve_clients_and_a_role_that_denies_journeys() {
    let sandbox = RunningSandbox::start(Estate::load("demo").expect("estate"), 0).await.expect("start");
    let northwind = demo_role(&sandbox, "444444444444", "us-east-1").await;
    let apps = northwind.get_apps().send().await.expect("GetApps");
    let mut names: Vec<String> = apps
        .applications_response()
        .expect("payload")
        .item()
        .iter()
        .filter_map(|a| a.name().map(str::to_owned))
        .collect();
    let eu = demo_role(&sandbox, "444444444444", "eu-west-1").await;
    let eu_apps = eu.get_apps().send().await.expect("GetApps eu");
    names.extend(
        eu_apps.applications_response().expect("payload").item().iter().filter_map(|a| a.name().map(str::to_owned)),
    );
    let meridian = demo_role(&sandbox, "555555555555", "us-east-1").await;
    let own = meridian.get_apps().send().await.expect("GetApps meridian");
    let meridian_app = own.applications_response().expect("payload").item()[0].id().expect("id").to_owned();
    names.push(own.applications_response().expect("payload").item()[0].name().expect("name").to_owned());
    let clients: std::collections::BTreeSet<&str> =
        names.iter().map(|n| n.split('-').next().expect("prefix")).collect();
    assert_eq!(clients.len(), 12, "{clients:?}");
    assert_eq!(names.len(), 13, "one client in two Regions");

    assert!(meridian.get_campaigns().application_id(&meridian_app).send().await.is_ok());
    let denied = meridian.list_journeys().application_id(&meridian_app).send().await.expect_err("denied");
    assert_eq!(denied.code(), Some("ForbiddenException"));
    assert_eq!(denied.raw_response().map(|r| r.status().as_u16()), Some(403));
    sandbox.stop().await;
}
