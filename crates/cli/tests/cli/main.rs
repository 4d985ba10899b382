//! Black-box tests of the `pinshift` binary: temp engagement files, the sandbox over loopback for AWS,
//! and (under `make test`) a throwaway OS keychain.

mod audience;
mod blueprint;
mod connection;
mod engagement;
mod lock;
mod migrate;
mod rehearsal;
mod resources;
mod scan;
mod translate;

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

/// A consultant's setup against the sandbox's demo estate: an AWS profile `northwind` (the BPO account's
/// keys) in a temp home, the sandbox running, `e.pinshift` created with a `northwind` connection.
#[derive(Debug)]
pub struct Northwind {
    pub dir: tempfile::TempDir,
    pub sandbox: pinshift_sandbox::RunningSandbox,
    // Owns the sandbox's tasks; dropped last.
    _runtime: tokio::runtime::Runtime,
}

impl Northwind {
    pub fn start(faults: Option<&str>) -> Northwind {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("aws-config"), "[profile northwind]\nregion = us-east-1\n").expect("config");
        std::fs::write(
            dir.path().join("aws-credentials"),
            "[northwind]\naws_access_key_id = AKIADEMONORTHWIND001\naws_secret_access_key = demo/northwind/secret/key/00000000000001\n",
        )
        .expect("credentials");
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
        let estate = pinshift_sandbox::Estate::load("demo").expect("estate");
        let faults = faults.map_or_else(Default::default, |f| f.parse().expect("faults"));
        let sandbox =
            runtime.block_on(pinshift_sandbox::RunningSandbox::start_with(estate, 0, faults)).expect("sandbox");
        let northwind = Northwind { dir, sandbox, _runtime: runtime };
        pinshift(northwind.dir.path()).args(["init", "e.pinshift"]).assert().success();
        northwind.cmd().args(["connection", "add", "northwind", "--profile", "northwind"]).assert().success();
        northwind
    }

    /// `pinshift` on `e.pinshift`, pointed at the sandbox.
    pub fn cmd(&self) -> Command {
        let mut cmd = pinshift(self.dir.path());
        cmd.env("PINSHIFT_ENGAGEMENT", self.dir.path().join("e.pinshift"))
            .env("AWS_ENDPOINT_URL", self.sandbox.endpoint());
        cmd
    }

    /// `pinshift` on `e.pinshift` as a plain process a test can kill (output discarded).
    pub fn std_cmd(&self) -> std::process::Command {
        let dir = self.dir.path();
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("pinshift"));
        cmd.current_dir(dir)
            .env("NO_COLOR", "1")
            .env("HOME", dir)
            .env("AWS_CONFIG_FILE", dir.join("aws-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("aws-credentials"))
            .env("PINSHIFT_KEYCHAIN_SERVICE", format!("pinshift-cli-test-{}", std::process::id()))
            .env("PINSHIFT_ENGAGEMENT", dir.join("e.pinshift"))
            .env("AWS_ENDPOINT_URL", self.sandbox.endpoint())
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_REGION")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        cmd
    }

    /// Stops the sandbox (its requests finish first).
    pub fn stop(self) {
        let Northwind { sandbox, _runtime: runtime, dir } = self;
        runtime.block_on(sandbox.stop());
        drop(dir);
    }
}

/// Changes the estate behind Pinshift's back: creates a segment in the demo BPO account's project named
/// `project` (us-east-1), as if someone used the Pinpoint console between two scans.
pub fn add_segment(sandbox: &pinshift_sandbox::RunningSandbox, project: &str, request: serde_json::Value) {
    let scope = pinshift_sandbox::services::pinpoint::Scope {
        account_id: "444444444444".into(),
        region: "us-east-1".into(),
        now: "2026-11-23T00:00:00.000Z".into(),
    };
    let list = pinshift_sandbox::model::Call {
        operation: "GetApps".into(),
        input: serde_json::json!({}),
        status: http::StatusCode::OK,
    };
    let mut world = sandbox.state.world();
    let apps = world.pinpoint.handle(&scope, &list).expect("apps");
    let app = apps["Item"]
        .as_array()
        .and_then(|items| items.iter().find(|a| a["Name"] == project))
        .unwrap_or_else(|| panic!("no project {project} in {apps}"));
    let call = pinshift_sandbox::model::Call {
        operation: "CreateSegment".into(),
        input: serde_json::json!({ "ApplicationId": app["Id"], "WriteSegmentRequest": request }),
        status: http::StatusCode::CREATED,
    };
    world.pinpoint.handle(&scope, &call).expect("segment created");
}

/// Calls a Pinpoint operation on the sandbox's northwind account directly (behind Pinshift's back).
pub fn sandbox_call(sandbox: &pinshift_sandbox::RunningSandbox, operation: &str, input: serde_json::Value) {
    let scope = pinshift_sandbox::services::pinpoint::Scope {
        account_id: "444444444444".into(),
        region: "us-east-1".into(),
        now: "2026-11-23T00:00:00.000Z".into(),
    };
    let call = pinshift_sandbox::model::Call { operation: operation.into(), input, status: http::StatusCode::CREATED };
    sandbox.state.world().pinpoint.handle(&scope, &call).unwrap_or_else(|e| panic!("{operation}: {e:?}"));
}
