//! Building SDK configuration from a [`ResolvedConnection`].

use aws_config::sts::AssumeRoleProvider;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use pinshift_core::connections::{BaseCredentials, ResolvedConnection};

/// The Region used when neither the caller, the connection nor the AWS environment names one. STS and
/// IAM answer in every partition's first Region; Pinpoint scans name their Regions explicitly.
pub const FALLBACK_REGION: &str = "us-east-1";

/// SDK configuration for `connection`: its base credentials, then each role assumed in turn.
///
/// Everything else — endpoint overrides, retry and timeout settings, proxies — comes from the standard
/// AWS environment and config files, like every AWS tool.
pub async fn sdk_config(connection: &ResolvedConnection, region: Option<&str>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    loader = match &connection.base {
        BaseCredentials::AccessKey { access_key_id, secret_access_key } => loader.credentials_provider(
            Credentials::new(access_key_id, secret_access_key.expose(), None, None, "pinshift-keychain"),
        ),
        BaseCredentials::Profile { profile } => loader.profile_name(profile),
    };
    if let Some(region) = region.or(connection.region.as_deref()) {
        loader = loader.region(Region::new(region.to_owned()));
    }
    let mut config = loader.load().await;
    if config.region().is_none() {
        config = config.into_builder().region(Region::from_static(FALLBACK_REGION)).build();
    }

    for hop in &connection.roles {
        let mut builder = AssumeRoleProvider::builder(hop.role_arn.clone()).session_name(hop.session_name.clone());
        if let Some(external_id) = &hop.external_id {
            builder = builder.external_id(external_id.clone());
        }
        let provider = builder.configure(&config).build().await;
        config = config.into_builder().credentials_provider(SharedCredentialsProvider::new(provider)).build();
    }
    config
}
