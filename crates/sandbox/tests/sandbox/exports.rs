//! Endpoints from generated populations, S3 through aws-sdk-s3, and export jobs that write gzipped JSON
//! lines to it — the path a scan's audience profiling takes.

use std::io::Read;
use std::time::Duration;

use aws_sdk_pinpoint::error::ProvideErrorMetadata;
use aws_sdk_pinpoint::types::{EndpointRequest, EndpointUser, ExportJobRequest};
use aws_sdk_s3::primitives::ByteStream;
use pinshift_sandbox::{Estate, RunningSandbox};

use crate::app_id;

const KEY: &str = "AKIASANDBOXBPO000001";
const SECRET: &str = "sandbox/bpo/secret/key/00000000000000001";

async fn sample() -> (RunningSandbox, aws_sdk_pinpoint::Client, aws_sdk_s3::Client, String) {
    let sandbox = RunningSandbox::start(Estate::load("sample").expect("estate"), 0).await.expect("start");
    let config = sandbox.sdk_config(KEY, SECRET).await;
    let pinpoint = aws_sdk_pinpoint::Client::new(&config);
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build());
    let acme = app_id(&pinpoint, "acme-retail").await;
    (sandbox, pinpoint, s3, acme)
}

#[tokio::test]
async fn generated_endpoints_read_write_and_delete_like_stored_ones() {
    let (sandbox, pinpoint, _, acme) = sample().await;
    let endpoint =
        pinpoint.get_endpoint().application_id(&acme).endpoint_id("email-00000042").send().await.expect("GetEndpoint");
    let endpoint = endpoint.endpoint_response().expect("payload");
    assert_eq!(endpoint.channel_type().map(|c| c.as_str()), Some("EMAIL"));
    assert!(endpoint.address().is_some_and(|a| a.contains('@')));
    let user = endpoint.user().and_then(|u| u.user_id()).map(str::to_owned);

    if let Some(user) = &user {
        let theirs =
            pinpoint.get_user_endpoints().application_id(&acme).user_id(user).send().await.expect("user endpoints");
        let channels: Vec<&str> = theirs
            .endpoints_response()
            .expect("payload")
            .item()
            .iter()
            .filter_map(|e| e.channel_type().map(|c| c.as_str()))
            .collect();
        assert!(channels.contains(&"EMAIL"), "{channels:?}");
    }

    pinpoint
        .update_endpoint()
        .application_id(&acme)
        .endpoint_id("email-00000042")
        .endpoint_request(
            EndpointRequest::builder().opt_out("ALL").user(EndpointUser::builder().user_id("vip-1").build()).build(),
        )
        .send()
        .await
        .expect("UpdateEndpoint");
    let updated =
        pinpoint.get_endpoint().application_id(&acme).endpoint_id("email-00000042").send().await.expect("again");
    let updated = updated.endpoint_response().expect("payload");
    assert_eq!(updated.opt_out(), Some("ALL"));
    assert_eq!(updated.address(), endpoint.address(), "untouched fields keep their generated values");

    pinpoint.delete_endpoint().application_id(&acme).endpoint_id("email-00000042").send().await.expect("delete");
    let gone =
        pinpoint.get_endpoint().application_id(&acme).endpoint_id("email-00000042").send().await.expect_err("deleted");
    assert_eq!(gone.code(), Some("NotFoundException"));
    let beyond = pinpoint
        .get_endpoint()
        .application_id(&acme)
        .endpoint_id("email-00009999")
        .send()
        .await
        .expect_err("past the population");
    assert_eq!(beyond.code(), Some("NotFoundException"));
    sandbox.stop().await;
}

#[tokio::test]
async fn s3_stores_lists_ranges_and_deletes_objects() {
    let (sandbox, _, s3, _) = sample().await;
    s3.create_bucket().bucket("scratch").send().await.expect("CreateBucket");
    let again = s3.create_bucket().bucket("scratch").send().await.expect_err("exists");
    assert_eq!(aws_sdk_s3::error::ProvideErrorMetadata::code(&again), Some("BucketAlreadyOwnedByYou"));
    for i in 0..3 {
        s3.put_object()
            .bucket("scratch")
            .key(format!("dir/file-{i}.txt"))
            .body(ByteStream::from(format!("hello {i}").into_bytes()))
            .send()
            .await
            .expect("PutObject");
    }
    let head = s3.head_object().bucket("scratch").key("dir/file-1.txt").send().await.expect("HeadObject");
    assert_eq!(head.content_length(), Some(7));
    let range = s3.get_object().bucket("scratch").key("dir/file-1.txt").range("bytes=0-4").send().await.expect("range");
    assert_eq!(range.body.collect().await.expect("body").into_bytes().as_ref(), b"hello");
    let first = s3.list_objects_v2().bucket("scratch").prefix("dir/").max_keys(2).send().await.expect("list");
    assert_eq!(first.contents().len(), 2);
    assert_eq!(first.is_truncated(), Some(true));
    let rest = s3
        .list_objects_v2()
        .bucket("scratch")
        .prefix("dir/")
        .continuation_token(first.next_continuation_token().expect("token"))
        .send()
        .await
        .expect("list page 2");
    assert_eq!(rest.contents().len(), 1);
    s3.delete_object().bucket("scratch").key("dir/file-0.txt").send().await.expect("delete");
    let missing = s3.get_object().bucket("scratch").key("dir/file-0.txt").send().await.expect_err("deleted");
    assert!(missing.as_service_error().is_some_and(|e| e.is_no_such_key()), "{missing:?}");
    sandbox.stop().await;
}

#[tokio::test]
async fn an_export_job_writes_every_endpoint_as_gzipped_json_lines() {
    let (sandbox, pinpoint, s3, acme) = sample().await;
    let created = pinpoint
        .create_export_job()
        .application_id(&acme)
        .export_job_request(
            ExportJobRequest::builder()
                .role_arn("arn:aws:iam::333333333333:role/pinpoint-export")
                .s3_url_prefix("s3://bpo-exports/pinshift/")
                .build(),
        )
        .send()
        .await
        .expect("CreateExportJob");
    let job_id = created.export_job_response().and_then(|j| j.id()).expect("id").to_owned();
    assert_eq!(created.export_job_response().and_then(|j| j.job_status()).map(|s| s.as_str()), Some("CREATED"));

    let mut status = String::new();
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let job = pinpoint.get_export_job().application_id(&acme).job_id(&job_id).send().await.expect("GetExportJob");
        let job = job.export_job_response().expect("payload");
        status = job.job_status().map(|s| s.as_str().to_owned()).unwrap_or_default();
        if status == "COMPLETED" {
            assert_eq!(job.total_processed(), Some(4000));
            break;
        }
    }
    assert_eq!(status, "COMPLETED");

    let listed = s3
        .list_objects_v2()
        .bucket("bpo-exports")
        .prefix(format!("pinshift/{acme}/{job_id}/"))
        .send()
        .await
        .expect("list");
    assert_eq!(listed.contents().len(), 1);
    let key = listed.contents()[0].key().expect("key").to_owned();
    let object = s3.get_object().bucket("bpo-exports").key(&key).send().await.expect("get");
    let gz = object.body.collect().await.expect("body").into_bytes();
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz.as_ref()).read_to_string(&mut text).expect("gunzip");
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    assert_eq!(lines.len(), 4000);
    let opted_out = lines.iter().filter(|e| e["OptOut"] == "ALL").count();
    assert!((80..=250).contains(&opted_out), "about 4% opted out: {opted_out}");
    let without_user = lines.iter().filter(|e| e["User"]["UserId"].is_null()).count();
    assert!(without_user > 200, "some endpoints carry no UserId: {without_user}");
    assert!(
        lines.iter().any(|e| e["Attributes"]["interests"].as_array().is_some_and(|v| v.len() > 1)),
        "multi-value attributes"
    );

    let error = pinpoint
        .create_export_job()
        .application_id(&acme)
        .export_job_request(
            ExportJobRequest::builder().role_arn("arn:aws:iam::1:role/x").s3_url_prefix("not-a-url").build(),
        )
        .send()
        .await
        .expect_err("bad prefix");
    assert_eq!(error.code(), Some("BadRequestException"));
    sandbox.stop().await;
}

#[tokio::test]
async fn an_import_job_registers_endpoints_and_defines_a_segment_from_s3() {
    let (sandbox, pinpoint, s3, acme) = sample().await;
    let csv = "ChannelType,Address,Id,User.UserId,User.UserAttributes.FirstName,Attributes.interests\n\
               EMAIL,new1@acme.example,imp-1,u-new-1,Zoe,shoes;bags\n\
               SMS,+12065550111,imp-2,u-new-2,Yan,\n\
               EMAIL,,imp-3,u-new-3,Xi,\n";
    s3.put_object()
        .bucket("bpo-exports")
        .key("imports/new.csv")
        .body(ByteStream::from_static(csv.as_bytes()))
        .send()
        .await
        .expect("put csv");
    let created = pinpoint
        .create_import_job()
        .application_id(&acme)
        .import_job_request(
            aws_sdk_pinpoint::types::ImportJobRequest::builder()
                .format(aws_sdk_pinpoint::types::Format::Csv)
                .role_arn("arn:aws:iam::333333333333:role/pinpoint-import")
                .s3_url("s3://bpo-exports/imports/new.csv")
                .define_segment(true)
                .segment_name("new-imports")
                .register_endpoints(true)
                .build(),
        )
        .send()
        .await
        .expect("CreateImportJob");
    let job_id = created.import_job_response().and_then(|j| j.id()).expect("id").to_owned();
    let mut done = None;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let job = pinpoint.get_import_job().application_id(&acme).job_id(&job_id).send().await.expect("GetImportJob");
        let job = job.import_job_response().expect("payload").clone();
        if job.job_status().map(|s| s.as_str()) == Some("COMPLETED") {
            done = Some(job);
            break;
        }
    }
    let job = done.expect("completed");
    assert_eq!(job.total_processed(), Some(2));
    assert_eq!(job.total_failures(), Some(1));
    assert!(job.failures()[0].contains("row 4"), "{:?}", job.failures());

    let imported =
        pinpoint.get_endpoint().application_id(&acme).endpoint_id("imp-1").send().await.expect("imported endpoint");
    let imported = imported.endpoint_response().expect("payload");
    assert_eq!(imported.attributes().and_then(|a| a.get("interests")).map(Vec::len), Some(2));
    let segments = pinpoint.get_segments().application_id(&acme).send().await.expect("segments");
    let segment = segments
        .segments_response()
        .expect("payload")
        .item()
        .iter()
        .find(|s| s.name() == Some("new-imports"))
        .expect("defined");
    assert_eq!(segment.segment_type().map(|t| t.as_str()), Some("IMPORT"));
    assert_eq!(segment.import_definition().and_then(|d| d.size()), Some(2));
    sandbox.stop().await;
}
