//! Which client drove which operation successfully, for `scripts/op-coverage.py`: with
//! `PINSHIFT_SANDBOX_OP_LOG=DIR` set, every sandbox process appends one line per new
//! (client, service, operation) it answered with a 2xx to `DIR/ops-<pid>.tsv`. `make test` sets it for
//! the Rust and boto3 suites, then checks that every operation the sandbox implements for the target
//! services was driven by both official SDKs.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The client family a request came from, by its user agent.
pub fn client_of(headers: &http::HeaderMap) -> &'static str {
    let agent = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let all = format!("{} {}", agent("x-amz-user-agent"), agent("user-agent"));
    if all.contains("aws-cli/") {
        "aws-cli"
    } else if all.contains("Boto3/") || all.contains("Botocore/") || all.contains("botocore/") {
        "boto3"
    } else if all.contains("aws-sdk-rust") {
        "rust"
    } else {
        "other"
    }
}

struct Log {
    path: PathBuf,
    seen: Mutex<HashSet<(String, String, String)>>,
}

fn log() -> Option<&'static Log> {
    static LOG: OnceLock<Option<Log>> = OnceLock::new();
    LOG.get_or_init(|| {
        let dir = PathBuf::from(std::env::var_os("PINSHIFT_SANDBOX_OP_LOG")?);
        std::fs::create_dir_all(&dir).ok()?;
        Some(Log { path: dir.join(format!("ops-{}.tsv", std::process::id())), seen: Mutex::new(HashSet::new()) })
    })
    .as_ref()
}

/// Notes a successful call (no-op unless `PINSHIFT_SANDBOX_OP_LOG` is set).
pub fn note(client: &str, service: &str, operation: &str, status: u16) {
    let Some(log) = log() else { return };
    if !(200..300).contains(&status) || operation.is_empty() {
        return;
    }
    let key = (client.to_owned(), service.to_owned(), operation.to_owned());
    let mut seen = log.seen.lock().unwrap_or_else(|p| p.into_inner());
    // One short write per line; a lost line only under-reports coverage.
    if seen.insert(key)
        && let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(&log.path)
    {
        let _ = writeln!(file, "{client}\t{service}\t{operation}");
    }
}
