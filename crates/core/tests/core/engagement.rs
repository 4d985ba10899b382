use std::io::Write;

use pinshift_core::ErrorCode;
use pinshift_core::engagement::{Engagement, SCHEMA_VERSION};

use crate::clock;

#[test]
fn create_then_open_round_trips_the_engagement() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("acme.pinshift");
    let created = Engagement::create(&path, None, &clock()).expect("create");
    let id = created.id().to_owned();
    drop(created);

    let opened = Engagement::open(&path, &clock()).expect("open");
    let info = opened.info().expect("info");
    assert_eq!(info.id, id);
    assert_eq!(info.name, "acme", "the default name is the file stem");
    assert_eq!(info.schema_version, SCHEMA_VERSION);
    assert_eq!(info.created_at, "2026-11-23T09:00:00Z");
    assert_eq!(info.created_by_version, pinshift_core::VERSION);
    assert_eq!(info.connections, 0);
    assert!(opened.integrity_problems().expect("check").is_empty());
}

#[test]
fn the_file_uses_wal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("wal.pinshift");
    let _engagement = Engagement::create(&path, Some("WAL check"), &clock()).expect("create");
    let raw = rusqlite::Connection::open(&path).expect("raw open");
    let mode: String = raw.pragma_query_value(None, "journal_mode", |row| row.get(0)).expect("pragma");
    assert_eq!(mode, "wal");
}

#[test]
fn create_never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notes.pinshift");
    std::fs::write(&path, b"my precious notes").expect("write");
    let error = Engagement::create(&path, None, &clock()).expect_err("must refuse");
    assert_eq!(error.code(), ErrorCode::AlreadyExists);
    assert_eq!(std::fs::read(&path).expect("read"), b"my precious notes");
}

#[test]
fn a_text_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("readme.pinshift");
    std::fs::write(&path, b"hello, this is not a database at all").expect("write");
    let error = Engagement::open(&path, &clock()).expect_err("must refuse");
    assert_eq!(error.code(), ErrorCode::NotAnEngagement);
    assert!(error.to_string().contains("readme.pinshift"), "{error}");
    assert!(error.hint().is_some());
    assert_eq!(std::fs::read(&path).expect("read"), b"hello, this is not a database at all");
}

#[test]
fn an_empty_file_is_refused_and_left_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("empty.pinshift");
    std::fs::File::create(&path).expect("create");
    let error = Engagement::open(&path, &clock()).expect_err("must refuse");
    assert_eq!(error.code(), ErrorCode::NotAnEngagement);
    assert_eq!(std::fs::metadata(&path).expect("meta").len(), 0);
}

#[test]
fn a_missing_file_is_not_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let error = Engagement::open(&dir.path().join("nope.pinshift"), &clock()).expect_err("must fail");
    assert_eq!(error.code(), ErrorCode::NotFound);
    assert!(!dir.path().join("nope.pinshift").exists(), "opening must not create the file");
}

#[test]
fn another_applications_database_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("other.db");
    let raw = rusqlite::Connection::open(&path).expect("raw");
    raw.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);").expect("seed");
    drop(raw);
    let before = std::fs::read(&path).expect("read");
    let error = Engagement::open(&path, &clock()).expect_err("must refuse");
    assert_eq!(error.code(), ErrorCode::NotAnEngagement);
    assert!(error.to_string().contains("another application"), "{error}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("future.pinshift");
    drop(Engagement::create(&path, None, &clock()).expect("create"));
    {
        let raw = rusqlite::Connection::open(&path).expect("raw");
        raw.pragma_update(None, "user_version", SCHEMA_VERSION + 7).expect("bump");
        raw.pragma_update(None, "journal_mode", "DELETE").expect("checkpoint");
    }
    let before = std::fs::read(&path).expect("read");
    let error = Engagement::open(&path, &clock()).expect_err("must refuse");
    assert_eq!(error.code(), ErrorCode::NewerSchema);
    let message = error.to_string();
    assert!(message.contains(&format!("schema version {}", SCHEMA_VERSION + 7)), "{message}");
    assert!(message.contains("newer Pinshift"), "{message}");
    assert_eq!(std::fs::read(&path).expect("read"), before, "the file must not be modified");
}

#[test]
fn a_damaged_file_gets_a_clear_error_and_is_not_overwritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("damaged.pinshift");
    drop(Engagement::create(&path, None, &clock()).expect("create"));
    {
        let raw = rusqlite::Connection::open(&path).expect("raw");
        raw.pragma_update(None, "journal_mode", "DELETE").expect("checkpoint");
    }
    // Keep SQLite's header, garble the rest: schema pages included.
    let mut bytes = std::fs::read(&path).expect("read");
    for byte in bytes.iter_mut().skip(100) {
        *byte = 0xA5;
    }
    std::fs::File::create(&path).and_then(|mut f| f.write_all(&bytes)).expect("write");
    let error = Engagement::open(&path, &clock()).expect_err("must refuse");
    assert!(
        matches!(error.code(), ErrorCode::Corrupt | ErrorCode::NotAnEngagement),
        "unexpected {:?}: {error}",
        error.code()
    );
    assert_eq!(std::fs::read(&path).expect("read"), bytes, "the damaged file must be left as it was");
}

#[test]
fn an_unnamed_directory_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let error = Engagement::open(dir.path(), &clock()).expect_err("must refuse");
    assert_eq!(error.code(), ErrorCode::NotAnEngagement);
}

#[test]
fn an_older_schema_is_upgraded_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.pinshift");
    drop(Engagement::create(&path, None, &clock()).expect("create"));
    {
        // What a version-1 file looks like: no estate or blueprint tables.
        let raw = rusqlite::Connection::open(&path).expect("raw");
        raw.execute_batch("DROP TABLE audience_source; DROP TABLE audience_progress; DROP TABLE audience_load; DROP TABLE wave; DROP TABLE verification; DROP TABLE journal; DROP TABLE run; DROP TABLE lease; ALTER TABLE connection DROP COLUMN endpoint_url; DROP TABLE sign_off; DROP TABLE decision; DROP TABLE blueprint_version; DROP TABLE tenancy_choices; DROP TABLE scan_unit; DROP TABLE scan_issue; DROP TABLE scan_resource; DROP TABLE scan; DELETE FROM schema_history WHERE version > 1;")
            .expect("downgrade");
        raw.pragma_update(None, "user_version", 1).expect("version");
    }
    let upgraded = Engagement::open(&path, &clock()).expect("open");
    assert_eq!(upgraded.info().expect("info").schema_version, SCHEMA_VERSION);
    assert!(upgraded.list_scans().expect("estate tables exist").is_empty());
}

/// The journal is appended to while another connection writes the same file — the lease heartbeat does,
/// every third of the lease — and no append fails with "database is locked" (a deferred transaction that
/// read first cannot take the write lock once another connection wrote: `make demo` hit it mid-run).
#[test]
fn journal_appends_hold_while_another_connection_writes() {
    use pinshift_core::migration::journal::{Entry, Phase};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("e.pinshift");
    let e = Engagement::create(&path, None, &clock()).expect("create");
    let (stop, writes) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
    let writer = {
        let (stop, writes, path) = (stop.clone(), writes.clone(), path.clone());
        std::thread::spawn(move || {
            let other = rusqlite::Connection::open(&path).expect("open");
            other.busy_timeout(std::time::Duration::from_secs(5)).expect("timeout");
            other.execute_batch("CREATE TABLE IF NOT EXISTS beat (n INTEGER)").expect("table");
            while !stop.load(Ordering::Relaxed) {
                other.execute("INSERT INTO beat (n) VALUES (1)", []).expect("a write");
                writes.fetch_add(1, Ordering::Relaxed);
                // Often, not back to back: a writer that never lets go would starve any other (the busy
                // timeout is for waiting out a write, not a livelock).
                std::thread::sleep(std::time::Duration::from_micros(300));
            }
        })
    };
    while writes.load(Ordering::Relaxed) == 0 {
        std::thread::yield_now();
    }
    // Appends until the other connection wrote 50 times meanwhile (at least 400 appends).
    let before = writes.load(Ordering::Relaxed);
    let mut appended = 0;
    while appended < 400 || writes.load(Ordering::Relaxed) - before < 50 {
        assert!(appended < 50_000, "the other connection stopped writing");
        let entry =
            Entry { step: Some(format!("step-{appended}")), outcome: Some("created".into()), ..Entry::default() };
        e.journal_append("run-1", "2026-12-03T00:00:00Z", Phase::Outcome, entry)
            .unwrap_or_else(|error| panic!("append {appended}: {error}"));
        appended += 1;
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().expect("writer");
    let chain = e.journal_verify().expect("verify");
    assert_eq!((chain.rows, chain.broken), (appended, None));
}
