use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_sts::error::ProvideErrorMetadata;

use crate::start;

const HUB_KEY: &str = "AKIASANDBOXHUB000001";
const HUB_SECRET: &str = "sandbox/hub/secret/key/0000000000000001";

#[tokio::test]
async fn get_caller_identity_answers_the_keys_account_and_user() {
    let sandbox = start().await;
    let sts = aws_sdk_sts::Client::new(&sandbox.sdk_config(HUB_KEY, HUB_SECRET).await);
    let me = sts.get_caller_identity().send().await.expect("GetCallerIdentity");
    assert_eq!(me.account(), Some("111111111111"));
    assert_eq!(me.arn(), Some("arn:aws:iam::111111111111:user/consultant"));
    let calls = sandbox.state.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (calls[0].service.as_str(), calls[0].operation.as_str(), calls[0].status),
        ("sts", "GetCallerIdentity", 200)
    );
    sandbox.stop().await;
}

#[tokio::test]
async fn a_wrong_secret_is_refused_like_aws_does() {
    let sandbox = start().await;
    let sts = aws_sdk_sts::Client::new(&sandbox.sdk_config(HUB_KEY, "not-the-secret").await);
    let error = sts.get_caller_identity().send().await.expect_err("must fail");
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
    assert_eq!(error.raw_response().map(|r| r.status().as_u16()), Some(403));
    sandbox.stop().await;
}

#[tokio::test]
async fn an_unknown_key_is_refused_like_aws_does() {
    let sandbox = start().await;
    let sts = aws_sdk_sts::Client::new(&sandbox.sdk_config("AKIAUNKNOWN000000000", "x").await);
    let error = sts.get_caller_identity().send().await.expect_err("must fail");
    assert_eq!(error.code(), Some("InvalidClientTokenId"));
    sandbox.stop().await;
}

#[tokio::test]
async fn assume_role_with_the_external_id_yields_working_temporary_credentials() {
    let sandbox = start().await;
    let base = sandbox.sdk_config(HUB_KEY, HUB_SECRET).await;
    let provider = AssumeRoleProvider::builder("arn:aws:iam::222222222222:role/PinshiftScan")
        .session_name("test")
        .external_id("pinshift-demo-external-id")
        .configure(&base)
        .build()
        .await;
    let assumed = base.into_builder().credentials_provider(SharedCredentialsProvider::new(provider)).build();
    let me = aws_sdk_sts::Client::new(&assumed).get_caller_identity().send().await.expect("as the role");
    assert_eq!(me.account(), Some("222222222222"));
    assert_eq!(me.arn(), Some("arn:aws:sts::222222222222:assumed-role/PinshiftScan/test"));
    sandbox.stop().await;
}

#[tokio::test]
async fn assume_role_without_the_external_id_is_denied() {
    let sandbox = start().await;
    let sts = aws_sdk_sts::Client::new(&sandbox.sdk_config(HUB_KEY, HUB_SECRET).await);
    let error = sts
        .assume_role()
        .role_arn("arn:aws:iam::222222222222:role/PinshiftScan")
        .role_session_name("test")
        .send()
        .await
        .expect_err("must be denied");
    assert_eq!(error.code(), Some("AccessDenied"));
    sandbox.stop().await;
}
