use std::path::Path;

use pinshift_sandbox::{Estate, RunningSandbox};

use crate::{pinshift, stderr, stdout};

const HUB_KEY: &str = "AKIASANDBOXHUB000001";
const HUB_SECRET: &str = "sandbox/hub/secret/key/0000000000000001";
/// Keys of the sandbox's second account; unlike the hub's, they appear in no AWS credentials file here.
const CLIENT_KEY: &str = "AKIASANDBOXCLIENTA01";
const CLIENT_SECRET: &str = "sandbox/client-a/secret/key/00000000001";

struct Fixture {
    dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
    sandbox: Option<RunningSandbox>,
}

impl Fixture {
    /// A temp dir with an engagement file, an AWS profile `hub` holding the sandbox's hub keys, and a
    /// running sandbox.
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("aws-config"), "[profile hub]\nregion = us-east-1\n").expect("config");
        std::fs::write(
            dir.path().join("aws-credentials"),
            format!("[hub]\naws_access_key_id = {HUB_KEY}\naws_secret_access_key = {HUB_SECRET}\n"),
        )
        .expect("credentials");
        pinshift(dir.path()).args(["init", "e.pinshift"]).assert().success();
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
        let sandbox =
            runtime.block_on(RunningSandbox::start(Estate::load("minimal").expect("estate"), 0)).expect("sandbox");
        Fixture { dir, runtime, sandbox: Some(sandbox) }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = pinshift(self.path());
        cmd.env("PINSHIFT_ENGAGEMENT", self.path().join("e.pinshift"));
        if let Some(sandbox) = &self.sandbox {
            cmd.env("AWS_ENDPOINT_URL", sandbox.endpoint());
        }
        cmd
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            self.runtime.block_on(sandbox.stop());
        }
    }
}

#[test]
fn a_profile_connection_tests_against_sts() {
    let f = Fixture::new();
    f.cmd().args(["connection", "add", "hub", "--profile", "hub"]).assert().success();
    let output = f.cmd().args(["connection", "test", "hub"]).output().expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("111111111111"), "{text}");
    assert!(text.contains("arn:aws:iam::111111111111:user/consultant"), "{text}");
}

#[test]
fn an_assumed_role_reaches_the_client_account() {
    let f = Fixture::new();
    f.cmd().args(["connection", "add", "hub", "--profile", "hub"]).assert().success();
    f.cmd()
        .args(["connection", "add", "client-a", "--role-arn", "arn:aws:iam::222222222222:role/PinshiftScan"])
        .args(["--source", "hub", "--external-id", "pinshift-demo-external-id"])
        .assert()
        .success();
    let output = f.cmd().args(["--json", "connection", "test", "client-a"]).output().expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["account"], "222222222222");
    assert_eq!(json["arn"], "arn:aws:sts::222222222222:assumed-role/PinshiftScan/pinshift-client-a");

    let list = f.cmd().args(["connection", "list"]).output().expect("run");
    let text = stdout(&list);
    assert!(text.contains("client-a") && text.contains("assume-role") && text.contains("(with external id)"));
    assert!(!text.contains("pinshift-demo-external-id"), "the list shows that an external id is set, not its value");
}

#[test]
fn a_wrong_external_id_is_reported_with_the_aws_code() {
    let f = Fixture::new();
    f.cmd().args(["connection", "add", "hub", "--profile", "hub"]).assert().success();
    f.cmd()
        .args(["connection", "add", "bad", "--role-arn", "arn:aws:iam::222222222222:role/PinshiftScan"])
        .args(["--source", "hub", "--external-id", "wrong-id"])
        .assert()
        .success();
    let output = f.cmd().args(["connection", "test", "bad"]).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("error: could not load credentials for connection \"bad\""), "{err}");
    assert!(err.contains("AccessDenied"), "{err}");
    assert!(err.contains("hint: "), "{err}");
}

#[test]
fn an_unreachable_endpoint_says_so() {
    let mut f = Fixture::new();
    let sandbox = f.sandbox.take().expect("sandbox");
    let endpoint = sandbox.endpoint();
    f.runtime.block_on(sandbox.stop());
    f.cmd().args(["connection", "add", "hub", "--profile", "hub"]).assert().success();
    let output = f
        .cmd()
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["connection", "test", "hub"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("could not reach AWS for sts:GetCallerIdentity"), "{}", stderr(&output));
}

#[test]
fn the_secret_is_never_taken_from_argv() {
    let f = Fixture::new();
    // There is no flag for it: clap refuses the attempt as a usage error.
    f.cmd()
        .args(["connection", "add", "k", "--access-key-id", HUB_KEY, "--secret-access-key", HUB_SECRET])
        .assert()
        .code(2);
}

/// Access keys: the secret read from stdin goes to the OS keychain (a throwaway gnome-keyring under
/// `make test`), never to the engagement file, and `connection test` signs with it.
#[test]
fn access_keys_live_in_the_os_keychain() {
    if std::env::var_os("PINSHIFT_TEST_KEYCHAIN").is_none() {
        eprintln!("skipping: PINSHIFT_TEST_KEYCHAIN is not set (run through `make test`)");
        return;
    }
    let f = Fixture::new();
    let service = format!("pinshift-cli-test-{}", uuid_like());
    let cmd = || {
        let mut cmd = f.cmd();
        cmd.env("PINSHIFT_KEYCHAIN_SERVICE", &service);
        cmd
    };
    cmd()
        .args(["connection", "add", "keys", "--access-key-id", CLIENT_KEY, "--region", "us-east-1"])
        .write_stdin(format!("{CLIENT_SECRET}\n"))
        .assert()
        .success();
    let list = cmd().args(["connection", "list"]).output().expect("run");
    assert!(stdout(&list).contains("in keychain"), "{}", stdout(&list));

    let output = cmd().args(["connection", "test", "keys"]).output().expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("222222222222"));

    for entry in std::fs::read_dir(f.path()).expect("dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).unwrap_or_default();
        assert!(!bytes.windows(CLIENT_SECRET.len()).any(|w| w == CLIENT_SECRET.as_bytes()), "secret on disk");
    }

    // Another machine (another keychain) sees the connection but not its secret.
    let elsewhere = f
        .cmd()
        .env("PINSHIFT_KEYCHAIN_SERVICE", "pinshift-other-machine")
        .args(["connection", "list"])
        .output()
        .expect("run");
    assert!(stdout(&elsewhere).contains("MISSING"), "{}", stdout(&elsewhere));

    cmd().args(["connection", "remove", "keys"]).assert().success();
    let output = cmd().args(["connection", "test", "keys"]).output().expect("run");
    assert!(stderr(&output).contains("no connection named \"keys\""), "{}", stderr(&output));
}

fn uuid_like() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
    )
}
