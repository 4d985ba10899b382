//! The journal of migration runs: append-only rows in the engagement file — an intent before each effect
//! on AWS, an outcome after it (failures kept) — each hash-chained to the row before, so a changed,
//! removed or inserted row is found. Request bodies are stored redacted ([`redact`]).
//!
//! The chain: `hash = sha256_hex(prev_hash + "\n" + canon)` where `canon` is the compact JSON array
//! `[seq, run_id, at, client, step, kind, phase, outcome, arn, identifiers, request_id, error_code,
//! detail]` (strings or null; `identifiers` and `detail` are JSON text, kept as strings), and the first
//! row's `prev_hash` is [`GENESIS`]. docs/journal.md shows the check with Python's standard library.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::engagement::Engagement;
use crate::{Error, Result};

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// A run began (its scope in `detail`).
    RunStarted,
    /// About to call AWS for a step (the redacted request in `detail`).
    Intent,
    /// What the call (or the read that replaced it) came to.
    Outcome,
    /// A step waits for a person (instructions in `detail`), or a person confirmed it.
    Gate,
    /// A run ended (finished, stopped, failed), or a person's note (an unsigned client's reason).
    RunEnded,
    Note,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::RunStarted => "run_started",
            Phase::Intent => "intent",
            Phase::Outcome => "outcome",
            Phase::Gate => "gate",
            Phase::RunEnded => "run_ended",
            Phase::Note => "note",
        }
    }

    fn parse(text: &str) -> Option<Phase> {
        [Phase::RunStarted, Phase::Intent, Phase::Outcome, Phase::Gate, Phase::RunEnded, Phase::Note]
            .into_iter()
            .find(|p| p.as_str() == text)
    }
}

/// A row to append (the journal numbers, times and chains it).
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub client: Option<String>,
    /// The target resource's id (`account/Region/kind/name`).
    pub step: Option<String>,
    pub kind: Option<String>,
    pub outcome: Option<String>,
    pub arn: Option<String>,
    pub identifiers: Option<Value>,
    pub request_id: Option<String>,
    pub error_code: Option<String>,
    /// Redacted request body, error message or instructions.
    pub detail: Option<Value>,
}

/// A stored row.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct JournalRow {
    #[ts(type = "number")]
    pub seq: i64,
    pub run_id: String,
    /// RFC 3339.
    pub at: String,
    pub client: Option<String>,
    pub step: Option<String>,
    pub kind: Option<String>,
    pub phase: String,
    pub outcome: Option<String>,
    pub arn: Option<String>,
    /// JSON text.
    pub identifiers: Option<String>,
    pub request_id: Option<String>,
    pub error_code: Option<String>,
    /// JSON text.
    pub detail: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl JournalRow {
    fn canon(&self) -> String {
        let row = serde_json::json!([
            self.seq,
            self.run_id,
            self.at,
            self.client,
            self.step,
            self.kind,
            self.phase,
            self.outcome,
            self.arn,
            self.identifiers,
            self.request_id,
            self.error_code,
            self.detail
        ]);
        row.to_string()
    }

    /// The hash this row must carry given its `prev_hash`.
    pub fn expected_hash(&self) -> String {
        chain(&self.prev_hash, &self.canon())
    }

    pub fn phase(&self) -> Option<Phase> {
        Phase::parse(&self.phase)
    }

    pub fn identifiers_json(&self) -> Value {
        self.identifiers.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null)
    }
}

fn chain(prev: &str, canon: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev.as_bytes());
    hasher.update(b"\n");
    hasher.update(canon.as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Which rows to list.
#[derive(Debug, Clone, Default)]
pub struct JournalFilter {
    pub run_id: Option<String>,
    pub client: Option<String>,
    pub step: Option<String>,
}

/// What `journal verify` found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ChainCheck {
    #[ts(type = "number")]
    pub rows: i64,
    /// The first row whose chain breaks (its hash or its link to the row before), and why.
    pub broken: Option<BrokenLink>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BrokenLink {
    #[ts(type = "number")]
    pub seq: i64,
    pub reason: String,
}

const COLUMNS: &str = "seq, run_id, at, client, step, kind, phase, outcome, arn, identifiers, request_id, error_code, detail, prev_hash, hash";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JournalRow> {
    Ok(JournalRow {
        seq: r.get(0)?,
        run_id: r.get(1)?,
        at: r.get(2)?,
        client: r.get(3)?,
        step: r.get(4)?,
        kind: r.get(5)?,
        phase: r.get(6)?,
        outcome: r.get(7)?,
        arn: r.get(8)?,
        identifiers: r.get(9)?,
        request_id: r.get(10)?,
        error_code: r.get(11)?,
        detail: r.get(12)?,
        prev_hash: r.get(13)?,
        hash: r.get(14)?,
    })
}

impl Engagement {
    /// Appends one row to the journal, chained to the last one, in one transaction.
    pub fn journal_append(&self, run_id: &str, at: &str, phase: Phase, entry: Entry) -> Result<JournalRow> {
        let tx = self.write_transaction()?;
        let last: Option<(i64, String)> = tx
            .query_row("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (seq, prev_hash) = match last {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, GENESIS.to_owned()),
        };
        let text = |v: &Option<Value>| v.as_ref().map(|v| v.to_string());
        let mut stored = JournalRow {
            seq,
            run_id: run_id.to_owned(),
            at: at.to_owned(),
            client: entry.client,
            step: entry.step,
            kind: entry.kind,
            phase: phase.as_str().to_owned(),
            outcome: entry.outcome,
            arn: entry.arn,
            identifiers: text(&entry.identifiers),
            request_id: entry.request_id,
            error_code: entry.error_code,
            detail: text(&entry.detail),
            prev_hash,
            hash: String::new(),
        };
        stored.hash = stored.expected_hash();
        tx.execute(
            &format!("INSERT INTO journal ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"),
            params![
                stored.seq,
                stored.run_id,
                stored.at,
                stored.client,
                stored.step,
                stored.kind,
                stored.phase,
                stored.outcome,
                stored.arn,
                stored.identifiers,
                stored.request_id,
                stored.error_code,
                stored.detail,
                stored.prev_hash,
                stored.hash
            ],
        )?;
        tx.commit()?;
        Ok(stored)
    }

    /// Journal rows in order, filtered.
    pub fn journal_rows(&self, filter: &JournalFilter) -> Result<Vec<JournalRow>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM journal
             WHERE (?1 IS NULL OR run_id = ?1) AND (?2 IS NULL OR client = ?2) AND (?3 IS NULL OR step = ?3)
             ORDER BY seq"
        ))?;
        let rows = stmt.query_map(params![filter.run_id, filter.client, filter.step], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Checks the whole chain; names the first row that breaks it.
    pub fn journal_verify(&self) -> Result<ChainCheck> {
        let rows = self.journal_rows(&JournalFilter::default())?;
        Ok(verify_rows(&rows))
    }
}

/// The chain check over rows in `seq` order (also what an exported file is checked with).
pub fn verify_rows(rows: &[JournalRow]) -> ChainCheck {
    let mut prev = GENESIS.to_owned();
    for (expected_seq, r) in (1_i64..).zip(rows) {
        let reason = if r.seq != expected_seq {
            Some(format!("row {expected_seq} is missing (the next row is {})", r.seq))
        } else if r.prev_hash != prev {
            Some("its prev_hash is not the hash of the row before".to_owned())
        } else if r.hash != r.expected_hash() {
            Some("its content does not match its hash (the row was changed)".to_owned())
        } else {
            None
        };
        if let Some(reason) = reason {
            return ChainCheck { rows: rows.len() as i64, broken: Some(BrokenLink { seq: r.seq, reason }) };
        }
        prev = r.hash.clone();
    }
    ChainCheck { rows: rows.len() as i64, broken: None }
}

/// Export formats of `journal export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

impl ExportFormat {
    pub fn parse(text: &str) -> Result<ExportFormat> {
        match text {
            "jsonl" => Ok(ExportFormat::Jsonl),
            "csv" => Ok(ExportFormat::Csv),
            other => {
                Err(Error::invalid("format", format!("unknown journal export format {other:?}: use jsonl or csv")))
            }
        }
    }
}

/// The rows as JSON lines (one object per row, every column) or CSV (a header, then one line per row).
pub fn export(rows: &[JournalRow], format: ExportFormat) -> Result<Vec<u8>> {
    match format {
        ExportFormat::Jsonl => {
            let mut out = Vec::new();
            for r in rows {
                serde_json::to_writer(&mut out, r).map_err(|e| Error::Internal(e.to_string()))?;
                out.push(b'\n');
            }
            Ok(out)
        }
        ExportFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let header: Vec<&str> = COLUMNS.split(", ").collect();
            writer.write_record(&header).map_err(|e| Error::Internal(e.to_string()))?;
            for r in rows {
                let o = |v: &Option<String>| v.clone().unwrap_or_default();
                writer
                    .write_record([
                        r.seq.to_string(),
                        r.run_id.clone(),
                        r.at.clone(),
                        o(&r.client),
                        o(&r.step),
                        o(&r.kind),
                        r.phase.clone(),
                        o(&r.outcome),
                        o(&r.arn),
                        o(&r.identifiers),
                        o(&r.request_id),
                        o(&r.error_code),
                        o(&r.detail),
                        r.prev_hash.clone(),
                        r.hash.clone(),
                    ])
                    .map_err(|e| Error::Internal(e.to_string()))?;
            }
            writer.into_inner().map_err(|e| Error::Internal(e.to_string()))
        }
    }
}

/// Member names whose values are secrets or an end user's address: replaced before a body is journaled.
const REDACTED_MEMBERS: &[&str] = &[
    "secret",
    "password",
    "privatekey",
    "token",
    "credential",
    "apikey",
    "optedoutnumber",
    "destinationphonenumber",
    "toaddresses",
    "ccaddresses",
    "bccaddresses",
];

/// A request body fit for the journal: secret-like members and end users' addresses replaced by
/// `"<redacted>"`; everything else (names, ARNs, settings) kept so a person can follow what was done.
/// (`ClientToken` is an idempotency key, not a secret, and is kept.)
pub fn redact(body: &Value) -> Value {
    match body {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let lower = k.to_ascii_lowercase();
                    let secret = lower != "clienttoken" && REDACTED_MEMBERS.iter().any(|m| lower.contains(m));
                    (k.clone(), if secret && !v.is_null() { Value::String("<redacted>".into()) } else { redact(v) })
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_and_addresses_are_redacted_and_the_rest_kept() {
        let body = json!({"TenantName": "acme", "ClientToken": "t-1", "ApnsChannel": {"PrivateKey": "k", "TokenKey": "x"},
                          "Destination": {"ToAddresses": ["ann@example.com"]}, "OptedOutNumber": "+12065550100"});
        let redacted = redact(&body);
        assert_eq!(redacted["TenantName"], "acme");
        assert_eq!(redacted["ClientToken"], "t-1");
        assert_eq!(redacted["ApnsChannel"]["PrivateKey"], "<redacted>");
        assert_eq!(redacted["ApnsChannel"]["TokenKey"], "<redacted>");
        assert_eq!(redacted["Destination"]["ToAddresses"], "<redacted>");
        assert_eq!(redacted["OptedOutNumber"], "<redacted>");
    }
}
