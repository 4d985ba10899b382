//! Black-box tests of the `pinshift` binary: temp engagement files, the sandbox over loopback for AWS,
//! and (under `make test`) a throwaway OS keychain.

mod blueprint;
mod connection;
mod engagement;
mod scan;

use std::path::Path;

use assert_cmd::Command;

/// `pinshift` with a clean environment: no user AWS config, no colour, a private keychain service name.
pub fn pinshift(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("pinshift").expect("binary");
    cmd.current_dir(dir)
        .env_remove("PINSHIFT_ENGAGEMENT")
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env("AWS_CONFIG_FILE", dir.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("aws-credentials"))
        .env("PINSHIFT_KEYCHAIN_SERVICE", format!("pinshift-cli-test-{}", std::process::id()))
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_REGION");
    cmd
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
