//! The sandbox against the unmodified official Rust SDK, over loopback.

mod control;
mod estates;
mod exports;
mod pinpoint;
mod ses;
mod sms;
mod sts;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use pinshift_sandbox::{Estate, RunningSandbox};

pub async fn start() -> RunningSandbox {
    RunningSandbox::start(Estate::load("minimal").expect("estate"), 0).await.expect("start")
}

pub async fn sdk_config(sandbox: &RunningSandbox, key: &str, secret: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(sandbox.endpoint())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(key, secret, None, None, "test"))
        .load()
        .await
}
