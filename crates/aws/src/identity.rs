//! Who a connection authenticates as.

use pinshift_core::Result;
use pinshift_core::connections::{BaseCredentials, CallerIdentity, ResolvedConnection};

use crate::config::sdk_config;
use crate::errors::from_sdk;

/// Calls STS GetCallerIdentity with `connection`'s credentials (after assuming its roles).
pub async fn caller_identity(connection: &ResolvedConnection, region: Option<&str>) -> Result<CallerIdentity> {
    if let BaseCredentials::Profile { profile } = &connection.base {
        crate::config::check_profile(&connection.name, profile)?;
    }
    let config = sdk_config(connection, region).await;
    let sts = aws_sdk_sts::Client::new(&config);
    let output = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|error| from_sdk("sts:GetCallerIdentity", &connection.name, error))?;
    Ok(CallerIdentity {
        connection: connection.name.clone(),
        account: output.account.unwrap_or_default(),
        arn: output.arn.unwrap_or_default(),
        user_id: output.user_id.unwrap_or_default(),
    })
}

/// The SDK configuration for `connection` and the identity it authenticates as: what a scan needs to
/// reach an account.
pub async fn connect(connection: &ResolvedConnection) -> Result<(aws_config::SdkConfig, CallerIdentity)> {
    let config = sdk_config(connection, None).await;
    let identity = caller_identity(connection, None).await?;
    Ok((config, identity))
}
