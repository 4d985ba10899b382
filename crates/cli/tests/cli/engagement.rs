use crate::{pinshift, stderr, stdout};

#[test]
fn init_then_info_shows_the_new_engagement() {
    let dir = tempfile::tempdir().expect("tempdir");
    pinshift(dir.path()).args(["init", "acme.pinshift", "--name", "ACME Corp"]).assert().success();
    let output = pinshift(dir.path()).args(["info", "acme.pinshift", "--check"]).output().expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("ACME Corp"), "{text}");
    assert!(text.contains(&format!("Schema       version {}", pinshift_core::engagement::SCHEMA_VERSION)), "{text}");
    assert!(text.contains("Integrity    ok"), "{text}");

    let output = pinshift(dir.path())
        .args(["--json", "info"])
        .env("PINSHIFT_ENGAGEMENT", dir.path().join("acme.pinshift"))
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["name"], "ACME Corp");
    assert_eq!(json["connections"], 0);
}

#[test]
fn init_refuses_to_overwrite_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("taken.pinshift"), "keep me").expect("write");
    let output = pinshift(dir.path()).args(["init", "taken.pinshift"]).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("error: ") && err.contains("taken.pinshift already exists"), "{err}");
    assert!(err.contains("hint: "), "{err}");
    assert_eq!(std::fs::read_to_string(dir.path().join("taken.pinshift")).expect("read"), "keep me");
}

#[test]
fn info_on_a_non_engagement_file_names_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("notes.txt"), "just notes").expect("write");
    let output = pinshift(dir.path()).args(["info", "notes.txt"]).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("notes.txt is not a Pinshift engagement file"), "{}", stderr(&output));
    assert!(stdout(&output).is_empty(), "errors go to stderr only");
}

#[test]
fn a_file_from_a_newer_pinshift_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    pinshift(dir.path()).args(["init", "new.pinshift"]).assert().success();
    let raw = rusqlite_bump(&dir.path().join("new.pinshift"));
    assert!(raw);
    let output = pinshift(dir.path()).args(["info", "new.pinshift"]).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("written by a newer Pinshift"), "{err}");
    assert!(err.contains("hint: install the Pinshift version"), "{err}");
}

/// Bumps the schema version the way a future Pinshift would, with the sqlite3-free route: rewrite the
/// header's user_version field (bytes 60..64, big-endian) after a checkpoint.
fn rusqlite_bump(path: &std::path::Path) -> bool {
    let mut bytes = std::fs::read(path).expect("read");
    if bytes.len() < 100 {
        return false;
    }
    bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(path, bytes).expect("write");
    let _ = std::fs::remove_file(path.with_extension("pinshift-wal"));
    let _ = std::fs::remove_file(path.with_extension("pinshift-shm"));
    true
}

#[test]
fn commands_that_need_an_engagement_say_how_to_name_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = pinshift(dir.path()).args(["connection", "list"]).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--engagement FILE or set PINSHIFT_ENGAGEMENT"), "{}", stderr(&output));
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    pinshift(dir.path()).args(["connection", "add", "x"]).assert().code(2);
}

#[test]
fn the_scan_policy_is_printed_for_the_customers_admin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = pinshift(dir.path()).args(["iam-policy", "scan"]).output().expect("run");
    assert!(output.status.success());
    let policy: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let actions = policy["Statement"][0]["Action"].as_array().expect("actions");
    assert!(actions.iter().any(|a| a == "mobiletargeting:GetSegments"));
    assert!(actions.iter().all(|a| !a.as_str().unwrap_or_default().contains(":Create")), "read-only");
}

/// A Region Pinpoint never ran in, or a profile no AWS file defines, is one line saying so and what to do.
#[test]
fn unknown_regions_and_profiles_are_one_line_errors_with_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("aws-config"), "[profile hub]\nregion = us-east-1\n").expect("config");
    let e = dir.path().join("e.pinshift");
    pinshift(dir.path()).arg("init").arg(&e).assert().success();

    let output = pinshift(dir.path()).arg("-e").arg(&e).args(["scan", "--region", "us-east-9"]).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("Amazon Pinpoint never ran in \"us-east-9\"") && text.contains("eu-west-1"), "{text}");

    let output = pinshift(dir.path())
        .arg("-e")
        .arg(&e)
        .args(["connection", "add", "typo", "--profile", "hbu"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert_eq!(text.lines().count(), 2, "the error and its hint: {text}");
    assert!(text.contains("profile \"hbu\" is in neither"), "{text}");
    assert!(text.lines().nth(1).is_some_and(|l| l.starts_with("hint: ")), "{text}");
    pinshift(dir.path()).arg("-e").arg(&e).args(["connection", "add", "hub", "--profile", "hub"]).assert().success();
}
