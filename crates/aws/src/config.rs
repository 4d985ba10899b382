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
/// A connection's own endpoint (the sandbox of "Try the demo estate") wins over the environment's.
/// Everything else — retry and timeout settings, proxies, other endpoint overrides — comes from the
/// standard AWS environment and config files, like every AWS tool.
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
    if let Some(url) = &connection.endpoint_url {
        loader = loader.endpoint_url(url);
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

/// The AWS config and credentials files, as every AWS tool finds them (`AWS_CONFIG_FILE`,
/// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config` and `~/.aws/credentials`).
fn profile_files() -> [std::path::PathBuf; 2] {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from).unwrap_or_default();
    let file = |variable: &str, default: &str| {
        std::env::var_os(variable).map(std::path::PathBuf::from).unwrap_or_else(|| home.join(".aws").join(default))
    };
    [file("AWS_CONFIG_FILE", "config"), file("AWS_SHARED_CREDENTIALS_FILE", "credentials")]
}

/// Whether `profile` is defined in the AWS config or credentials file: a clear error now, instead of the
/// SDK's chain of fallbacks (environment, IMDS, …) failing obscurely later.
pub fn check_profile(connection: &str, profile: &str) -> pinshift_core::Result<()> {
    check_profile_in(profile_files(), connection, profile)
}

fn check_profile_in(
    [config, credentials]: [std::path::PathBuf; 2],
    connection: &str,
    profile: &str,
) -> pinshift_core::Result<()> {
    let defines = |path: &std::path::Path, in_config: bool| {
        std::fs::read_to_string(path).is_ok_and(|text| {
            text.lines().map(str::trim).any(|line| {
                let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) else { return false };
                let section = section.trim();
                let name = if in_config && section != "default" {
                    section.strip_prefix("profile").map(str::trim).unwrap_or("")
                } else {
                    section
                };
                name == profile
            })
        })
    };
    if defines(&config, true) || defines(&credentials, false) {
        return Ok(());
    }
    Err(pinshift_core::Error::Credentials {
        name: connection.to_owned(),
        detail: format!("profile {profile:?} is in neither {} nor {}", config.display(), credentials.display()),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn profiles_are_found_in_either_file_and_unknown_ones_are_named() {
        let dir = std::env::temp_dir().join(format!("pinshift-profiles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config"), "[default]\nregion = eu-west-1\n[profile hub]\nregion = us-east-1\n")
            .unwrap();
        std::fs::write(dir.join("credentials"), "[ keys ]\naws_access_key_id = AKIA\n").unwrap();
        let files = [dir.join("config"), dir.join("credentials")];
        for known in ["default", "hub", "keys"] {
            assert!(super::check_profile_in(files.clone(), "c", known).is_ok(), "{known}");
        }
        let error = super::check_profile_in(files.clone(), "c", "hbu").unwrap_err().to_string();
        assert!(error.contains("profile \"hbu\" is in neither") && error.contains("config"), "{error}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
