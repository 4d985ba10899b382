//! The sandbox against the unmodified official Rust SDK, over loopback.

mod connect;
mod control;
mod estates;
mod exports;
mod hazards;
mod malformed;
mod pinpoint;
mod profiles;
mod ses;
mod sms;
mod sts;
mod sweep;
mod target_sweep;
mod tenants;

use pinshift_sandbox::{Estate, RunningSandbox};

pub async fn start() -> RunningSandbox {
    RunningSandbox::start(Estate::load("minimal").expect("estate"), 0).await.expect("start")
}

/// Pinpoint in `region` with `hub`'s keys assuming `role_arn` (with `external_id`), as Pinshift connects.
pub async fn pinpoint_via_role(
    sandbox: &RunningSandbox,
    (hub_key, hub_secret): (&str, &str),
    role_arn: &str,
    external_id: &str,
    region: &str,
) -> aws_sdk_pinpoint::Client {
    use aws_config::sts::AssumeRoleProvider;
    use aws_credential_types::provider::SharedCredentialsProvider;
    let hub = sandbox.sdk_config(hub_key, hub_secret).await;
    let role = AssumeRoleProvider::builder(role_arn)
        .session_name("scan")
        .external_id(external_id)
        .configure(&hub)
        .build()
        .await;
    let config = hub.into_builder().credentials_provider(SharedCredentialsProvider::new(role)).build();
    aws_sdk_pinpoint::Client::from_conf(
        aws_sdk_pinpoint::config::Builder::from(&config)
            .region(aws_sdk_pinpoint::config::Region::new(region.to_owned()))
            .build(),
    )
}

/// The id of the app named `name`.
pub async fn app_id(pinpoint: &aws_sdk_pinpoint::Client, name: &str) -> String {
    let apps = pinpoint.get_apps().send().await.expect("GetApps");
    let apps = apps.applications_response().expect("payload").item();
    apps.iter().find(|a| a.name() == Some(name)).and_then(|a| a.id()).expect("app").to_owned()
}
