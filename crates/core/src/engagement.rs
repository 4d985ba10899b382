//! The engagement file: one SQLite database (WAL) per engagement, holding everything Pinshift learns and
//! decides for one customer — connections now; estates, blueprints and journals as later schema versions
//! add them.
//!
//! Invariants:
//! - A file is recognised by SQLite's header *and* Pinshift's `application_id`; anything else is refused
//!   before a single byte is written, and an existing file is never overwritten.
//! - Schema versions are numbered, embedded migrations applied forward only, each in one transaction.
//!   `PRAGMA user_version` is the schema version; a file newer than this build is refused untouched.

pub mod lease;

use std::fs::OpenOptions;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

use crate::clock::Clock;
use crate::{Error, Result};

/// `PRAGMA application_id` of every engagement file: "PSHF" in ASCII.
pub const APPLICATION_ID: i32 = 0x5053_4846;

/// The conventional file extension (without the dot).
pub const FILE_EXTENSION: &str = "pinshift";

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Embedded migrations; index + 1 is the schema version each one produces. Append only: a released
/// migration is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("engagement/migrations/0001_initial.sql"),
    include_str!("engagement/migrations/0002_estate.sql"),
    include_str!("engagement/migrations/0003_blueprint.sql"),
    include_str!("engagement/migrations/0004_connection_endpoint.sql"),
    include_str!("engagement/migrations/0005_lease.sql"),
    include_str!("engagement/migrations/0006_journal.sql"),
    include_str!("engagement/migrations/0007_verification_waves.sql"),
    include_str!("engagement/migrations/0008_audience.sql"),
    include_str!("engagement/migrations/0009_audience_source.sql"),
];

/// The newest schema version this build writes and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// An open engagement file.
#[derive(Debug)]
pub struct Engagement {
    conn: Connection,
    path: PathBuf,
    id: String,
}

/// What `pinshift info` and the desktop's title bar show about an engagement.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EngagementInfo {
    pub id: String,
    pub name: String,
    pub path: String,
    /// RFC 3339.
    pub created_at: String,
    pub created_by_version: String,
    pub schema_version: u32,
    pub connections: u32,
    #[ts(type = "number")]
    pub size_bytes: u64,
}

impl Engagement {
    /// Creates a new engagement file at `path`. Fails if anything exists there already.
    pub fn create(path: &Path, name: Option<&str>, clock: &dyn Clock) -> Result<Engagement> {
        let name = match name {
            Some(name) => validate_engagement_name(name)?,
            None => default_name(path),
        };
        // `create_new` claims the path atomically, so a file that appears meanwhile is never clobbered.
        OpenOptions::new().write(true).create_new(true).open(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                Error::FileExists { path: path.to_owned() }
            } else {
                Error::Io { path: path.to_owned(), source }
            }
        })?;
        let created = Self::initialise(path, &name, clock);
        if created.is_err() {
            // Only remove what this call created; the file was empty a moment ago.
            let _ = std::fs::remove_file(path);
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(sidecar(path, suffix));
            }
        }
        created
    }

    fn initialise(path: &Path, name: &str, clock: &dyn Clock) -> Result<Engagement> {
        let mut conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(|e| classify(path, e))?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        configure(&conn).map_err(|e| classify(path, e))?;
        migrate(&mut conn, 0, clock)?;
        let id = uuid::Uuid::new_v4().to_string();
        conn.execute(
            "INSERT INTO engagement (id, name, created_at, created_by_version) VALUES (?1, ?2, ?3, ?4)",
            params![id, name, crate::clock::rfc3339(clock.now()), crate::VERSION],
        )?;
        Ok(Engagement { conn, path: absolute(path), id })
    }

    /// Opens an existing engagement file, upgrading an older schema in place.
    pub fn open(path: &Path, clock: &dyn Clock) -> Result<Engagement> {
        check_header(path)?;
        let mut conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(|e| classify(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;

        // Read-only checks first: a foreign or newer file must not be touched at all.
        let application_id: i32 =
            conn.pragma_query_value(None, "application_id", |row| row.get(0)).map_err(|e| classify(path, e))?;
        if application_id != APPLICATION_ID {
            return Err(Error::NotAnEngagement {
                path: path.to_owned(),
                detail: "it is a SQLite database of another application".into(),
            });
        }
        let version: u32 =
            conn.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(|e| classify(path, e))?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema { path: path.to_owned(), found: version, supported: SCHEMA_VERSION });
        }

        configure(&conn).map_err(|e| classify(path, e))?;
        migrate(&mut conn, version, clock).map_err(|e| match e {
            Error::Storage(e) => classify(path, e),
            other => other,
        })?;
        let id: Option<String> = conn
            .query_row("SELECT id FROM engagement", [], |row| row.get(0))
            .optional()
            .map_err(|e| classify(path, e))?;
        let id = id.ok_or_else(|| Error::Corrupt {
            path: path.to_owned(),
            detail: "the engagement record is missing".into(),
        })?;
        Ok(Engagement { conn, path: absolute(path), id })
    }

    /// The engagement's stable id (also the namespace of its keychain entries).
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A transaction that writes: it takes the write lock when it begins (`BEGIN IMMEDIATE`, waiting out
    /// the busy timeout). A deferred one that reads first fails with "database is locked" as soon as another
    /// connection — the lease heartbeat, another process — wrote since its read began (WAL's busy snapshot,
    /// which no busy timeout waits out).
    pub(crate) fn write_transaction(&self) -> Result<rusqlite::Transaction<'_>> {
        Ok(rusqlite::Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)?)
    }

    pub fn info(&self) -> Result<EngagementInfo> {
        let (name, created_at, created_by_version): (String, String, String) =
            self.conn.query_row("SELECT name, created_at, created_by_version FROM engagement", [], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
        let schema_version: u32 = self.conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let connections: u32 = self.conn.query_row("SELECT count(*) FROM connection", [], |row| row.get(0))?;
        let size_bytes = std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(sidecar(&self.path, "-wal")).map(|m| m.len()).unwrap_or(0);
        Ok(EngagementInfo {
            id: self.id.clone(),
            name,
            path: self.path.display().to_string(),
            created_at,
            created_by_version,
            schema_version,
            connections,
            size_bytes,
        })
    }

    /// Runs SQLite's full integrity check; returns the problems found (empty when the file is sound).
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
        let problems: Vec<String> = rows.collect::<rusqlite::Result<_>>()?;
        Ok(problems.into_iter().filter(|p| p != "ok").collect())
    }
}

/// The path as users should see it: absolute, so `info` says where the file really is.
fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn default_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Engagement".into())
}

fn validate_engagement_name(name: &str) -> Result<String> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 200 || trimmed.chars().any(char::is_control) {
        return Err(Error::invalid("engagement name", "use 1 to 200 printable characters"));
    }
    Ok(trimmed.to_owned())
}

/// Refuses anything that is not a SQLite database before SQLite gets a chance to "create" it.
fn check_header(path: &Path) -> Result<()> {
    let mut file = std::fs::File::open(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            Error::FileNotFound { path: path.to_owned() }
        } else {
            Error::Io { path: path.to_owned(), source }
        }
    })?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(Error::NotAnEngagement { path: path.to_owned(), detail: "it is a directory".into() });
    }
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(source) => {
                return Err(Error::Io { path: path.to_owned(), source });
            }
        }
    }
    if read == 0 {
        return Err(Error::NotAnEngagement { path: path.to_owned(), detail: "the file is empty".into() });
    }
    if read < header.len() || &header != SQLITE_HEADER {
        return Err(Error::NotAnEngagement { path: path.to_owned(), detail: "it is not a SQLite database".into() });
    }
    Ok(())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "engagement file could not switch to WAL");
    }
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

fn migrate(conn: &mut Connection, from: u32, clock: &dyn Clock) -> Result<()> {
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let version = index as u32 + 1;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_history (version, applied_at, app_version) VALUES (?1, ?2, ?3)",
            params![version, crate::clock::rfc3339(clock.now()), crate::VERSION],
        )?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(version, "engagement schema migrated");
    }
    Ok(())
}

/// Maps SQLite's "this is not a database" and "corrupt" failures to errors a user can act on.
fn classify(path: &Path, error: rusqlite::Error) -> Error {
    use rusqlite::ffi::ErrorCode as Code;
    match error.sqlite_error_code() {
        Some(Code::NotADatabase) => {
            Error::NotAnEngagement { path: path.to_owned(), detail: "it is not a SQLite database".into() }
        }
        Some(Code::DatabaseCorrupt) => Error::Corrupt { path: path.to_owned(), detail: error.to_string() },
        Some(Code::ReadOnly) | Some(Code::CannotOpen) | Some(Code::PermissionDenied) => Error::Io {
            path: path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, error.to_string()),
        },
        _ => Error::Storage(error),
    }
}
