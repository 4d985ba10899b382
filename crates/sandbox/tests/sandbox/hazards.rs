//! What a migration meets: Pinpoint after its end of support (2026-10-30), writes whose answer is lost, a
//! role denied some writes, and Connect's lockout of instance churn.

use aws_sdk_pinpoint::error::ProvideErrorMetadata;
use aws_sdk_pinpoint::types::{CreateApplicationRequest, WriteSegmentRequest};

use crate::control::control;
use crate::start;

#[tokio::test]
async fn a_retired_pinpoint_refuses_engagement_and_keeps_apps_and_channels() {
    let sandbox = start().await;
    let config = sandbox.sdk_config("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await;
    let pinpoint = aws_sdk_pinpoint::Client::new(&config);
    let app = pinpoint
        .create_app()
        .create_application_request(CreateApplicationRequest::builder().name("acme").build())
        .send()
        .await
        .expect("app");
    let id = app.application_response().and_then(|a| a.id()).expect("id").to_owned();
    assert_eq!(control(&sandbox, "PUT", "/_sandbox/pinpoint/retired", r#"{"retired": true}"#).await.0, 204);

    let segments = pinpoint.get_segments().application_id(&id).send().await.expect_err("retired");
    assert_eq!(segments.code(), Some("ForbiddenException"));
    assert!(segments.message().unwrap_or_default().contains("end support for the Amazon Pinpoint engagement features"));
    let raw = segments.raw_response().map(|r| r.status().as_u16());
    assert_eq!(raw, Some(403));
    let create = pinpoint
        .create_segment()
        .application_id(&id)
        .write_segment_request(WriteSegmentRequest::builder().name("s").build())
        .send()
        .await
        .expect_err("retired");
    assert_eq!(create.code(), Some("ForbiddenException"));
    let email = pinpoint.get_email_channel().application_id(&id).send().await.expect_err("email channel is engagement");
    assert_eq!(email.code(), Some("ForbiddenException"));

    pinpoint.get_apps().send().await.expect("apps continue");
    pinpoint.get_app().application_id(&id).send().await.expect("an app continues");
    let push = pinpoint.get_apns_channel().application_id(&id).send().await;
    assert_ne!(
        push.err().and_then(|e| e.code().map(str::to_owned)).as_deref(),
        Some("ForbiddenException"),
        "push continues"
    );
    sandbox.stop().await;
}

#[tokio::test]
async fn a_write_whose_answer_is_lost_still_lands_and_a_token_retry_finds_it() {
    use aws_sdk_connect::types::DirectoryType;
    let sandbox = start().await;
    assert_eq!(control(&sandbox, "PUT", "/_sandbox/quotas", r#"{"enabled": false}"#).await.0, 204);
    let config = sandbox.sdk_config("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await;
    let connect = aws_sdk_connect::Client::from_conf(
        aws_sdk_connect::config::Builder::from(&config)
            .retry_config(aws_sdk_connect::config::retry::RetryConfig::disabled())
            .build(),
    );
    let ses = aws_sdk_sesv2::Client::from_conf(
        aws_sdk_sesv2::config::Builder::from(&config)
            .retry_config(aws_sdk_sesv2::config::retry::RetryConfig::disabled())
            .build(),
    );
    assert_eq!(control(&sandbox, "PUT", "/_sandbox/faults", "applied_error=1").await.0, 204);
    let lost = ses.create_tenant().tenant_name("acme").send().await.expect_err("the answer is lost");
    assert_eq!(lost.raw_response().map(|r| r.status().as_u16()), Some(500));
    let lost_instance = connect
        .create_instance()
        .identity_management_type(DirectoryType::ConnectManaged)
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .client_token("run-1-step-3")
        .send()
        .await
        .expect_err("the answer is lost");
    assert!(lost_instance.raw_response().is_some_and(|r| r.status().as_u16() == 500));
    ses.list_tenants().send().await.expect("reads are not affected");

    assert_eq!(control(&sandbox, "PUT", "/_sandbox/faults", "none").await.0, 204);
    ses.get_tenant().tenant_name("acme").send().await.expect("the tenant exists all the same");
    let naive = ses.create_tenant().tenant_name("acme").send().await.expect_err("a blind retry collides");
    assert_eq!(naive.code(), Some("AlreadyExistsException"));
    let retried = connect
        .create_instance()
        .identity_management_type(DirectoryType::ConnectManaged)
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .client_token("run-1-step-3")
        .send()
        .await
        .expect("the same token answers the instance created");
    let listed = connect.list_instances().send().await.expect("list");
    assert_eq!(listed.instance_summary_list().len(), 1, "no duplicate");
    assert_eq!(listed.instance_summary_list()[0].id(), retried.id());

    assert_eq!(control(&sandbox, "PUT", "/_sandbox/faults", "applied_drop=1").await.0, 204);
    let dropped = ses.create_tenant().tenant_name("globex").send().await.expect_err("dropped");
    assert!(dropped.raw_response().is_none(), "the connection dropped before an answer: {dropped:?}");
    assert_eq!(control(&sandbox, "PUT", "/_sandbox/faults", "none").await.0, 204);
    ses.get_tenant().tenant_name("globex").send().await.expect("landed");
    sandbox.stop().await;
}

#[tokio::test]
async fn a_migration_role_denied_some_writes_is_refused_them_and_the_call_log_shows_it() {
    use aws_config::sts::AssumeRoleProvider;
    use aws_credential_types::provider::SharedCredentialsProvider;
    let sandbox = start().await;
    let estate = serde_json::json!({
        "name": "deny", "region": "us-east-1",
        "accounts": [
            {"name": "hub", "account_id": "111111111111", "user": "consultant", "access_key_id": "AKIAHUB", "secret_access_key": "hub-secret"},
            {"name": "bpo", "account_id": "444444444444", "user": "admin", "access_key_id": "AKIABPO", "secret_access_key": "bpo-secret",
             "roles": [{"name": "PinshiftMigrate", "trusted_accounts": ["111111111111"], "external_id": "x",
                        "deny": ["ses:*Tenant*", "connect:CreateInstance"]}]}
        ]
    });
    assert_eq!(control(&sandbox, "PUT", "/_sandbox/estate", &estate.to_string()).await.0, 204);
    assert_eq!(control(&sandbox, "PUT", "/_sandbox/quotas", r#"{"enabled": false}"#).await.0, 204);
    let hub = sandbox.sdk_config("AKIAHUB", "hub-secret").await;
    let role = AssumeRoleProvider::builder("arn:aws:iam::444444444444:role/PinshiftMigrate")
        .session_name("migrate")
        .external_id("x")
        .configure(&hub)
        .build()
        .await;
    let config = hub.into_builder().credentials_provider(SharedCredentialsProvider::new(role)).build();
    let ses = aws_sdk_sesv2::Client::new(&config);
    let connect = aws_sdk_connect::Client::new(&config);
    let denied = ses.create_tenant().tenant_name("acme").send().await.expect_err("denied");
    assert_eq!(denied.code(), Some("AccessDeniedException"));
    assert!(denied.message().unwrap_or_default().contains("ses:CreateTenant"), "{denied:?}");
    let denied = connect
        .create_instance()
        .identity_management_type(aws_sdk_connect::types::DirectoryType::ConnectManaged)
        .inbound_calls_enabled(false)
        .outbound_calls_enabled(true)
        .send()
        .await
        .expect_err("denied");
    assert_eq!(denied.code(), Some("AccessDeniedException"));
    ses.create_configuration_set().configuration_set_name("allowed").send().await.expect("not denied");
    let (_, calls) = control(&sandbox, "GET", "/_sandbox/calls", "").await;
    let calls: serde_json::Value = serde_json::from_str(&calls).expect("calls");
    let refused: Vec<&str> = calls
        .as_array()
        .expect("list")
        .iter()
        .filter(|c| c["error_code"] == "AccessDeniedException")
        .filter_map(|c| c["operation"].as_str())
        .collect();
    assert_eq!(refused, ["CreateTenant", "CreateInstance"]);
    sandbox.stop().await;
}

#[tokio::test]
async fn connect_locks_out_instance_churn_past_a_hundred_events_in_thirty_days() {
    use aws_sdk_connect::types::DirectoryType;
    let sandbox = start().await;
    assert_eq!(control(&sandbox, "PUT", "/_sandbox/quotas", r#"{"enabled": false}"#).await.0, 204);
    let config = sandbox.sdk_config("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await;
    let connect = aws_sdk_connect::Client::new(&config);
    let create = || {
        connect
            .create_instance()
            .identity_management_type(DirectoryType::ConnectManaged)
            .inbound_calls_enabled(true)
            .outbound_calls_enabled(true)
            .send()
    };
    for _ in 0..50 {
        let id = create().await.expect("create").id().expect("id").to_owned();
        connect.delete_instance().instance_id(id).send().await.expect("delete");
    }
    let locked = create().await.expect_err("101st event");
    assert_eq!(locked.code(), Some("ServiceQuotaExceededException"));
    assert!(locked.message().unwrap_or_default().contains("30 days"), "{locked:?}");
    let (status, _) = control(&sandbox, "POST", "/_sandbox/clock/advance", r#"{"days": 31}"#).await;
    assert_eq!(status, 200);
    create().await.expect("the window has passed");
    sandbox.stop().await;
}
