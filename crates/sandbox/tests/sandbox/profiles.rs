//! Customer Profiles' bulk paths through the unmodified SDKs: upload jobs with their presigned URL and
//! results summary (and the 14-day default expiry), an S3 integration that ingests what the bucket holds,
//! segment snapshots written to S3.

use aws_sdk_customerprofiles::types::{
    FieldContentType, IncludeOptions, ObjectTypeField, ObjectTypeKey, SegmentGroup, StandardIdentifier,
};
use pinshift_sandbox::RunningSandbox;

use crate::connect::clients;
use crate::control::control;
use crate::start;

async fn ready(sandbox: &RunningSandbox) -> aws_sdk_customerprofiles::Client {
    assert_eq!(control(sandbox, "PUT", "/_sandbox/quotas", r#"{"enabled": false}"#).await.0, 204);
    let profiles = clients(sandbox).await.profiles;
    profiles.create_domain().domain_name("acme").default_expiration_days(365).send().await.expect("domain");
    profiles
}

fn field(source: &str, target: &str) -> ObjectTypeField {
    ObjectTypeField::builder().source(source).target(target).content_type(FieldContentType::String).build()
}

async fn job_outcome(
    profiles: &aws_sdk_customerprofiles::Client,
    job: &str,
) -> aws_sdk_customerprofiles::operation::get_upload_job::GetUploadJobOutput {
    loop {
        let got = profiles.get_upload_job().domain_name("acme").job_id(job).send().await.expect("job");
        if got.status().map(|s| s.as_str()) != Some("IN_PROGRESS") {
            return got;
        }
    }
}

#[tokio::test]
async fn upload_jobs_take_a_csv_report_their_results_and_expire_after_fourteen_days_by_default() {
    let sandbox = start().await;
    let profiles = ready(&sandbox).await;
    let job = profiles
        .create_upload_job()
        .domain_name("acme")
        .display_name("pinpoint endpoints")
        .fields("id", field("_source.id", "_profile.AccountNumber"))
        .fields("email", field("_source.email", "_profile.EmailAddress"))
        .fields("tier", field("_source.tier", "_profile.Attributes.tier"))
        .unique_key("id")
        .send()
        .await
        .expect("job");
    let job_id = job.job_id().to_owned();
    let early =
        profiles.start_upload_job().domain_name("acme").job_id(&job_id).send().await.expect_err("nothing uploaded");
    assert!(format!("{early:?}").contains("Nothing was uploaded"), "{early:?}");

    let path = profiles.get_upload_job_path().domain_name("acme").job_id(&job_id).send().await.expect("path");
    let url = path.url();
    let upload_path =
        url.split_once("://").and_then(|(_, rest)| rest.split_once('/')).map(|(_, p)| format!("/{p}")).expect("path");
    let csv = "id,email,tier\nu1,ann@example.com,gold\nu2,bo@example.com,silver\n,nobody@example.com,gold\nu1,ann@example.com,platinum\n";
    assert_eq!(control(&sandbox, "PUT", &upload_path, csv).await.0, 200);
    profiles.start_upload_job().domain_name("acme").job_id(&job_id).send().await.expect("start");
    let done = job_outcome(&profiles, &job_id).await;
    assert_eq!(done.status().map(|s| s.as_str()), Some("PARTIALLY_SUCCEEDED"));
    let summary = done.results_summary().expect("summary");
    assert_eq!(
        (summary.created_records(), summary.updated_records(), summary.failed_records()),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(done.data_expiry(), Some(14), "the service's default");
    let ann = profiles
        .search_profiles()
        .domain_name("acme")
        .key_name("_email")
        .values("ann@example.com")
        .send()
        .await
        .expect("search");
    assert_eq!(ann.items()[0].attributes().and_then(|a| a.get("tier")).map(String::as_str), Some("platinum"));

    let (status, _) = control(&sandbox, "POST", "/_sandbox/clock/advance", r#"{"days": 15}"#).await;
    assert_eq!(status, 200);
    let gone = profiles
        .search_profiles()
        .domain_name("acme")
        .key_name("_email")
        .values("ann@example.com")
        .send()
        .await
        .expect("search");
    assert!(gone.items().is_empty(), "uploaded profiles expire with DataExpiry");
    sandbox.stop().await;
}

#[tokio::test]
async fn an_s3_integration_ingests_the_bucket_and_snapshots_land_in_s3() {
    let sandbox = start().await;
    let profiles = ready(&sandbox).await;
    let config = sandbox.sdk_config("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await;
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build());
    s3.create_bucket().bucket("acme-data").send().await.expect("bucket");
    let lines =
        "{\"email\": \"ann@example.com\", \"tier\": \"gold\"}\n{\"email\": \"bo@example.com\", \"tier\": \"silver\"}\n";
    s3.put_object()
        .bucket("acme-data")
        .key("contacts/part-0.json")
        .body(lines.as_bytes().to_vec().into())
        .send()
        .await
        .expect("put");
    profiles
        .put_profile_object_type()
        .domain_name("acme")
        .object_type_name("Contact")
        .description("contacts from S3")
        .allow_profile_creation(true)
        .fields("email", field("_source.email", "_profile.EmailAddress"))
        .fields("tier", field("_source.tier", "_profile.Attributes.tier"))
        .keys(
            "_email",
            vec![
                ObjectTypeKey::builder().standard_identifiers(StandardIdentifier::Profile).field_names("email").build(),
            ],
        )
        .send()
        .await
        .expect("object type");
    profiles
        .put_integration()
        .domain_name("acme")
        .uri("s3://acme-data/contacts/")
        .object_type_name("Contact")
        .send()
        .await
        .expect("integration");
    let domain = profiles.get_domain().domain_name("acme").send().await.expect("domain");
    assert_eq!(domain.stats().map(|s| s.profile_count()), Some(2));
    s3.put_object()
        .bucket("acme-data")
        .key("contacts/part-1.csv")
        .body(b"email,tier\ncy@example.com,gold\n".to_vec().into())
        .send()
        .await
        .expect("put");
    let domain = profiles.get_domain().domain_name("acme").send().await.expect("domain");
    assert_eq!(domain.stats().map(|s| s.profile_count()), Some(3), "a new object is ingested too");

    let gold = aws_sdk_customerprofiles::types::Group::builder()
        .dimensions(aws_sdk_customerprofiles::types::Dimension::ProfileAttributes(
            aws_sdk_customerprofiles::types::ProfileAttributes::builder()
                .attributes(
                    "tier",
                    aws_sdk_customerprofiles::types::AttributeDimension::builder()
                        .dimension_type(aws_sdk_customerprofiles::types::AttributeDimensionType::Inclusive)
                        .values("gold")
                        .build()
                        .expect("dimension"),
                )
                .build(),
        ))
        .build();
    profiles
        .create_segment_definition()
        .domain_name("acme")
        .segment_definition_name("gold")
        .display_name("Gold")
        .segment_groups(SegmentGroup::builder().include(IncludeOptions::All).groups(gold).build())
        .send()
        .await
        .expect("segment");
    let snapshot = profiles
        .create_segment_snapshot()
        .domain_name("acme")
        .segment_definition_name("gold")
        .data_format(aws_sdk_customerprofiles::types::DataFormat::Jsonl)
        .destination_uri("s3://acme-data/snapshots/")
        .send()
        .await
        .expect("snapshot");
    let got = profiles
        .get_segment_snapshot()
        .domain_name("acme")
        .segment_definition_name("gold")
        .snapshot_id(snapshot.snapshot_id())
        .send()
        .await
        .expect("get");
    assert_eq!(got.status().as_str(), "COMPLETED");
    let listed = s3.list_objects_v2().bucket("acme-data").prefix("snapshots/").send().await.expect("list");
    let key = listed.contents()[0].key().expect("key").to_owned();
    let body =
        s3.get_object().bucket("acme-data").key(&key).send().await.expect("get").body.collect().await.expect("body");
    let text = String::from_utf8(body.into_bytes().to_vec()).expect("utf8");
    assert_eq!(text.lines().count(), 2, "two gold profiles: {text}");
    sandbox.stop().await;
}
