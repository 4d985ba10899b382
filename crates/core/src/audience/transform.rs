//! Endpoints to profile objects, opt-outs and suppressions, with the reconciliation that accounts for every
//! endpoint read.
//!
//! Two passes, each on every core, in bounded memory:
//! 1. *Read*: each piece is decompressed and parsed line by line; an endpoint becomes a compact record
//!    (its profile key, address, flags and the profile fields [`ProfileMapping`] gives its values) spilled
//!    to one of P partition files by the hash of its profile key; an opted-out address is spilled by the
//!    hash of the address. A line that is no endpoint is named (file, line) in `problems.csv`.
//! 2. *Group*: each partition is read alone, sorted by profile key, and each key's endpoints become one
//!    profile object (a user's endpoints together; an endpoint without a `UserId` alone). Opted-out
//!    addresses are deduplicated per partition.
//!
//! Memory is the partitions' size (chosen from the input's size) times the workers, not the audience's.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::endpoint::{self, Parsed, Source};
use super::input::{Format, Piece, open};
use crate::profile::{Channel, EMAIL_FIELDS, PHONE_FIELDS, ProfileField, ProfileMapping, Variable, object_type};
use crate::{Error, Result};

/// Customer Profiles keeps attribute values of at most this many characters.
const MAX_VALUE: usize = 255;
/// How much a worker buffers for one partition before it writes.
const FLUSH_AT: usize = 32 * 1024;

/// What the user chose.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Leave inactive endpoints out of the profiles (they are counted, and their opt-outs still carried).
    pub exclude_inactive: bool,
    /// Threads (default: the machine's cores).
    pub workers: Option<usize>,
    /// Partitions the endpoints spill to (default: from the input's size).
    pub partitions: Option<usize>,
    /// In a domain several clients share: prefixes every profile key and sets `pinshift_client`.
    pub client: Option<String>,
}

/// Endpoints of one channel, accounted for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChannelCounts {
    pub read: u64,
    pub in_profiles: u64,
    pub invalid_address: u64,
    pub inactive_excluded: u64,
    pub duplicate: u64,
    pub opted_out: u64,
}

/// Opted-out addresses: every endpoint with `OptOut = ALL` read, the distinct addresses written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OptOutCounts {
    /// SMS and voice endpoints opted out (with a valid number).
    pub sms_endpoints: u64,
    /// Distinct numbers written for the SMS opt-out list.
    pub sms_numbers: u64,
    /// Email endpoints opted out (with a valid address).
    pub email_endpoints: u64,
    /// Distinct addresses written for the tenant's suppression list.
    pub email_addresses: u64,
    /// Opted-out endpoints whose address is not valid (nothing to carry; also in `invalid_address`).
    pub invalid: u64,
}

/// A line that is not an endpoint, or a piece that cannot be read to its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Problem {
    pub file: String,
    /// 0: the piece as a whole (it breaks after its last line read).
    #[ts(type = "number")]
    pub line: u64,
    pub problem: String,
}

/// Every endpoint read accounted for: `endpoints_read = in_profiles + invalid_address + inactive_excluded +
/// duplicate`; lines that are no endpoint are counted (and named in `problems.csv`) apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Reconciliation {
    pub pieces: u32,
    #[ts(type = "number")]
    pub lines: u64,
    #[ts(type = "number")]
    pub endpoints_read: u64,
    #[ts(type = "number")]
    pub in_profiles: u64,
    #[ts(type = "number")]
    pub invalid_address: u64,
    #[ts(type = "number")]
    pub inactive_excluded: u64,
    #[ts(type = "number")]
    pub duplicate: u64,
    /// Lines that are no endpoint (not JSON, no `Id` or `ChannelType`, a CSV row that does not parse).
    #[ts(type = "number")]
    pub unreadable_lines: u64,
    /// Pieces that break before their end (a truncated gzip piece); what came before is read.
    pub damaged_pieces: u32,
    #[ts(type = "number")]
    pub profiles: u64,
    /// Profiles of one endpoint without a `UserId`.
    #[ts(type = "number")]
    pub profiles_without_user_id: u64,
    pub by_channel: BTreeMap<String, ChannelCounts>,
    pub opt_outs: OptOutCounts,
    /// Attribute names changed to what Customer Profiles accepts: original → profile attribute.
    pub renamed_attributes: BTreeMap<String, String>,
    /// Values cut to Customer Profiles' 255 characters.
    #[ts(type = "number")]
    pub truncated_values: u64,
    /// The first problems (all of them are in `problems.csv`).
    pub problems: Vec<Problem>,
    pub exclude_inactive: bool,
}

impl Reconciliation {
    /// Whether every endpoint read is in a profile or excluded for a stated reason.
    pub fn holds(&self) -> bool {
        self.endpoints_read == self.in_profiles + self.invalid_address + self.inactive_excluded + self.duplicate
            && self.by_channel.values().map(|c| c.read).sum::<u64>() == self.endpoints_read
    }

    /// Whether some input could not be read (a run does not load it without the user's say).
    pub fn has_problems(&self) -> bool {
        self.unreadable_lines > 0 || self.damaged_pieces > 0
    }
}

/// How far a transform is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Bytes of the pieces read so far (compressed size), of all.
    Read { bytes: u64, total: u64, endpoints: u64 },
    /// Partitions grouped, of all.
    Group { done: u64, total: u64, profiles: u64 },
}

/// What a transform wrote, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Output {
    pub dir: PathBuf,
    /// `profiles/part-NNNNN.jsonl`, in order.
    pub profile_files: Vec<PathBuf>,
    pub reconciliation: Reconciliation,
}

/// File names in a transform's folder.
pub const OBJECT_TYPE_FILE: &str = "object-type.json";
pub const RECONCILIATION_FILE: &str = "reconciliation.json";
pub const NUMBERS_FILE: &str = "opted-out-numbers.txt";
pub const SUPPRESSED_FILE: &str = "suppressed-addresses.txt";
pub const EXCLUDED_FILE: &str = "excluded.csv";
pub const PROBLEMS_FILE: &str = "problems.csv";
pub const PROFILES_DIR: &str = "profiles";

const CHANNELS: [&str; 13] = [
    "EMAIL",
    "SMS",
    "VOICE",
    "GCM",
    "APNS",
    "APNS_SANDBOX",
    "APNS_VOIP",
    "APNS_VOIP_SANDBOX",
    "ADM",
    "BAIDU",
    "CUSTOM",
    "IN_APP",
    "PUSH",
];

const INACTIVE: u8 = 1;
const OPTED_OUT: u8 = 2;

fn put_str(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
    buf.extend_from_slice(s.as_bytes());
}

/// The template variable a field is (the mapping places variables).
fn variable(source: Source, name: &str) -> Variable {
    let name = name.to_owned();
    match source {
        Source::User => Variable::UserAttribute(name),
        Source::Endpoint => Variable::EndpointAttribute(name),
        Source::Metric => Variable::Metric(name),
        Source::Demographic => Variable::Demographic(name),
        Source::Location => Variable::Location(name),
    }
}

/// An email address as SES takes it, or `None`.
fn valid_email(address: &str) -> Option<&str> {
    let a = address.trim();
    let (local, domain) = a.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && a.len() <= 254
        && !a.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(a)
}

/// A phone number in E.164 (`+` and 8–15 digits; spaces, dashes, dots and brackets dropped), or `None`.
fn valid_phone(address: &str) -> Option<String> {
    let a = address.trim();
    let rest = a.strip_prefix('+')?;
    let digits: String = rest.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
    ((8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'))
        .then(|| format!("+{digits}"))
}

fn channel_code(channel: &str) -> u8 {
    CHANNELS.iter().position(|c| *c == channel).map_or(255, |i| i as u8)
}

/// One worker's view of the spill partitions: buffers written to the shared files when full.
struct Spill<'a> {
    files: &'a [Mutex<BufWriter<File>>],
    buffers: Vec<Vec<u8>>,
}

impl<'a> Spill<'a> {
    fn new(files: &'a [Mutex<BufWriter<File>>]) -> Spill<'a> {
        Spill { files, buffers: vec![Vec::new(); files.len()] }
    }

    fn push(&mut self, partition: usize, record: &[u8]) -> std::io::Result<()> {
        let buf = &mut self.buffers[partition];
        buf.extend_from_slice(record);
        if buf.len() >= FLUSH_AT {
            let mut file = self.files[partition].lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            file.write_all(buf)?;
            buf.clear();
        }
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        for (partition, buf) in self.buffers.iter_mut().enumerate() {
            if !buf.is_empty() {
                let mut file = self.files[partition].lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                file.write_all(buf)?;
                buf.clear();
            }
        }
        Ok(())
    }
}

/// What one worker counted while reading.
#[derive(Default)]
struct ReadCounts {
    lines: u64,
    endpoints: u64,
    unreadable: u64,
    damaged: u32,
    invalid: BTreeMap<String, u64>,
    read: BTreeMap<String, u64>,
    opted_out: BTreeMap<String, u64>,
    sms_opt_outs: u64,
    email_opt_outs: u64,
    invalid_opt_outs: u64,
    /// This worker's cache of field ids, per source ([`Source::index`]); [`Reader::names`] holds them all.
    ids: [foldhash::HashMap<String, u16>; 5],
    problems: Vec<Problem>,
}

impl ReadCounts {
    fn merge(&mut self, other: ReadCounts) {
        self.lines += other.lines;
        self.endpoints += other.endpoints;
        self.unreadable += other.unreadable;
        self.damaged += other.damaged;
        for (map, from) in
            [(&mut self.invalid, other.invalid), (&mut self.read, other.read), (&mut self.opted_out, other.opted_out)]
        {
            for (k, v) in from {
                *map.entry(k).or_default() += v;
            }
        }
        self.sms_opt_outs += other.sms_opt_outs;
        self.email_opt_outs += other.email_opt_outs;
        self.invalid_opt_outs += other.invalid_opt_outs;
        self.problems.extend(other.problems);
    }
}

/// Shared state of the read pass.
struct Reader<'a> {
    pieces: &'a [Piece],
    options: &'a Options,
    partitions: usize,
    endpoints: &'a [Mutex<BufWriter<File>>],
    opt_outs: &'a [Mutex<BufWriter<File>>],
    problems: &'a Mutex<BufWriter<File>>,
    excluded: &'a Mutex<BufWriter<File>>,
    hasher: foldhash::fast::RandomState,
    /// Every field name seen, by id (records carry the id, not the name).
    names: Mutex<Vec<(Source, String)>>,
    next: AtomicUsize,
    bytes_done: AtomicU64,
    endpoints_done: AtomicU64,
}

/// Problems kept in the reconciliation itself (all are in `problems.csv`).
const PROBLEMS_KEPT: usize = 20;

impl Reader<'_> {
    fn hash_of(&self, key: &str) -> u64 {
        self.hasher.hash_one(key)
    }

    fn partition_of(&self, key: &str) -> usize {
        (self.hash_of(key) % self.partitions as u64) as usize
    }

    /// The id of a field name (the same in every worker).
    fn id_of(&self, counts: &mut ReadCounts, source: Source, name: &str) -> Option<u16> {
        if let Some(id) = counts.ids[source.index()].get(name) {
            return Some(*id);
        }
        let mut names = self.names.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let id = match names.iter().position(|(s, n)| *s == source && n == name) {
            Some(id) => id,
            None if names.len() < usize::from(u16::MAX) => {
                names.push((source, name.to_owned()));
                names.len() - 1
            }
            None => return None,
        };
        let id = u16::try_from(id).ok()?;
        counts.ids[source.index()].insert(name.to_owned(), id);
        Some(id)
    }

    fn problem(&self, counts: &mut ReadCounts, piece: &Piece, line: u64, problem: String) -> Result<()> {
        let p = Problem { file: piece.path.display().to_string(), line, problem };
        {
            let mut w = self.problems.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            write_csv_row(&mut *w, &[&p.file, &p.line.to_string(), &p.problem]).map_err(|e| spill_error(&e))?;
        }
        if counts.problems.len() < PROBLEMS_KEPT {
            counts.problems.push(p);
        }
        Ok(())
    }

    fn run(&self, progress: &(dyn Fn(Progress) + Sync), total: u64) -> Result<ReadCounts> {
        let mut counts = ReadCounts::default();
        let mut spill = Spill::new(self.endpoints);
        let mut opt_spill = Spill::new(self.opt_outs);
        let mut record = Vec::with_capacity(1024);
        let mut scratch = String::new();
        let mut key = String::new();
        let mut opt_line = Vec::new();
        let mut fields = Vec::with_capacity(1024);
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = self.pieces.get(i) else { break };
            let mut reader = open(piece)?;
            let mut handle = |counts: &mut ReadCounts,
                              line_no: u64,
                              endpoint: std::result::Result<Parsed<'_>, String>,
                              fields: &[u8],
                              field_count: u16|
             -> Result<()> {
                counts.lines += 1;
                let endpoint = match endpoint {
                    Ok(e) => e,
                    Err(message) => {
                        counts.unreadable += 1;
                        return self.problem(counts, piece, line_no, message);
                    }
                };
                let (Some(id), Some(channel)) = (
                    endpoint.id.as_deref().filter(|s| !s.is_empty()),
                    endpoint.channel.as_deref().filter(|s| !s.is_empty()),
                ) else {
                    counts.unreadable += 1;
                    let missing = if endpoint.id.as_deref().is_none_or(str::is_empty) { "Id" } else { "ChannelType" };
                    return self.problem(counts, piece, line_no, format!("an endpoint without {missing}"));
                };
                counts.endpoints += 1;
                bump(&mut counts.read, channel);
                let opted_out = endpoint.opt_out.as_deref() == Some("ALL");
                if opted_out {
                    bump(&mut counts.opted_out, channel);
                }
                let raw_address = endpoint.address.as_deref().unwrap_or_default();
                let address: Option<Cow<'_, str>> = match channel {
                    "EMAIL" => valid_email(raw_address).map(Cow::Borrowed),
                    "SMS" | "VOICE" => valid_phone(raw_address)
                        .map(|p| if p == raw_address { Cow::Borrowed(raw_address) } else { Cow::Owned(p) }),
                    _ => Some(raw_address.trim()).filter(|a| !a.is_empty()).map(Cow::Borrowed),
                };
                let Some(address) = address else {
                    bump(&mut counts.invalid, channel);
                    if opted_out {
                        counts.invalid_opt_outs += 1;
                    }
                    let mut w = self.excluded.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    let reason = if raw_address.trim().is_empty() { "no address" } else { "invalid address" };
                    return write_csv_row(
                        &mut *w,
                        &[&piece.path.display().to_string(), &line_no.to_string(), id, channel, reason],
                    )
                    .map_err(|e| spill_error(&e));
                };
                if opted_out {
                    let (tag, value) = match channel {
                        "EMAIL" => (b'E', Cow::Owned(address.to_lowercase())),
                        "SMS" | "VOICE" => (b'S', Cow::Borrowed(&*address)),
                        _ => (0, Cow::Borrowed("")),
                    };
                    if tag != 0 {
                        if tag == b'E' {
                            counts.email_opt_outs += 1;
                        } else {
                            counts.sms_opt_outs += 1;
                        }
                        opt_line.clear();
                        opt_line.push(tag);
                        opt_line.extend_from_slice(value.as_bytes());
                        opt_line.push(b'\n');
                        opt_spill.push(self.partition_of(&value), &opt_line).map_err(|e| spill_error(&e))?;
                    }
                }
                let user = endpoint.user_id.as_deref().filter(|u| !u.is_empty());
                key.clear();
                if let Some(c) = &self.options.client {
                    key.push_str(c);
                    key.push('#');
                }
                match user {
                    Some(u) => {
                        key.push_str("u#");
                        key.push_str(u);
                    }
                    None => {
                        key.push_str("e#");
                        key.push_str(id);
                    }
                }
                let mut flags = 0;
                if endpoint.status.as_deref() == Some("INACTIVE") {
                    flags |= INACTIVE;
                }
                if opted_out {
                    flags |= OPTED_OUT;
                }
                record.clear();
                record.extend_from_slice(&[0, 0, 0, 0]);
                record.push(flags);
                record.push(channel_code(channel));
                record.extend_from_slice(&(i as u32).to_le_bytes());
                record.extend_from_slice(&line_no.to_le_bytes());
                let key_hash = self.hash_of(&key);
                record.extend_from_slice(&key_hash.to_le_bytes());
                put_str(&mut record, &key);
                put_str(&mut record, id);
                put_str(&mut record, &address);
                // A known channel is its code; the user its length at the key's end.
                put_str(&mut record, if channel_code(channel) == 255 { channel } else { "" });
                record.extend_from_slice(&(user.map_or(0, str::len) as u32).to_le_bytes());
                record.extend_from_slice(&field_count.to_le_bytes());
                record.extend_from_slice(fields);
                let len = (record.len() - 4) as u32;
                record[..4].copy_from_slice(&len.to_le_bytes());
                spill.push((key_hash % self.partitions as u64) as usize, &record).map_err(|e| spill_error(&e))?;
                if counts.endpoints.is_multiple_of(65_536) {
                    let done = self.endpoints_done.fetch_add(65_536, Ordering::Relaxed) + 65_536;
                    progress(Progress::Read { bytes: self.bytes_done.load(Ordering::Relaxed), total, endpoints: done });
                }
                Ok(())
            };
            let broke = match piece.format {
                Format::JsonLines => {
                    let mut line = Vec::with_capacity(4096);
                    let mut line_no = 0u64;
                    loop {
                        line.clear();
                        match reader.read_until(b'\n', &mut line) {
                            Ok(0) => break None,
                            Ok(_) => {}
                            Err(e) => break Some((line_no, e.to_string())),
                        }
                        line_no += 1;
                        let text = trim_ascii(&line);
                        if text.is_empty() {
                            continue;
                        }
                        fields.clear();
                        let mut field_count = 0u16;
                        let parsed = {
                            let mut emit = |source: Source, name: &str, value: &str| {
                                emit_field(self, &mut counts, &mut fields, &mut field_count, source, name, value);
                            };
                            let mut de = serde_json::Deserializer::from_slice(text);
                            endpoint::parse(&mut de, &mut scratch, &mut emit).and_then(|p| de.end().map(|()| p))
                        };
                        let parsed = parsed.map_err(|e| {
                            if serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok() {
                                format!("not an endpoint: {e}")
                            } else {
                                format!("not valid JSON: {e}")
                            }
                        });
                        handle(&mut counts, line_no, parsed, &fields, field_count)?;
                    }
                }
                Format::Csv => {
                    let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
                    match csv.headers() {
                        Ok(h) => {
                            let header: Vec<String> =
                                h.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_owned()).collect();
                            let mut row = csv::StringRecord::new();
                            let mut broke = None;
                            loop {
                                match csv.read_record(&mut row) {
                                    Ok(false) => break,
                                    Ok(true) => {
                                        let line_no = row.position().map_or(0, csv::Position::line);
                                        let value = super::input::csv_endpoint(&header, &row);
                                        fields.clear();
                                        let mut field_count = 0u16;
                                        let parsed = {
                                            let mut emit = |source: Source, name: &str, value: &str| {
                                                emit_field(
                                                    self,
                                                    &mut counts,
                                                    &mut fields,
                                                    &mut field_count,
                                                    source,
                                                    name,
                                                    value,
                                                );
                                            };
                                            endpoint::parse(value, &mut scratch, &mut emit)
                                                .map_err(|e| format!("not an endpoint: {e}"))
                                        };
                                        handle(&mut counts, line_no, parsed, &fields, field_count)?;
                                    }
                                    Err(e) => {
                                        let line_no = e.position().map_or(0, csv::Position::line);
                                        if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                                            broke = Some((line_no, e.to_string()));
                                            break;
                                        }
                                        counts.lines += 1;
                                        counts.unreadable += 1;
                                        self.problem(&mut counts, piece, line_no, format!("not a CSV row: {e}"))?;
                                    }
                                }
                            }
                            broke
                        }
                        Err(e) => Some((0, e.to_string())),
                    }
                }
            };
            if let Some((after, why)) = broke {
                counts.damaged += 1;
                self.problem(
                    &mut counts,
                    piece,
                    0,
                    format!("the piece cannot be read past line {after} ({why}): it is damaged or truncated"),
                )?;
            }
            self.bytes_done.fetch_add(piece.bytes, Ordering::Relaxed);
        }
        spill.finish().map_err(|e| spill_error(&e))?;
        opt_spill.finish().map_err(|e| spill_error(&e))?;
        Ok(counts)
    }
}

/// Adds one field to an endpoint's record (its name as an id); empty values are not kept.
fn emit_field(
    reader: &Reader<'_>,
    counts: &mut ReadCounts,
    fields: &mut Vec<u8>,
    field_count: &mut u16,
    source: Source,
    name: &str,
    value: &str,
) {
    if value.is_empty() || *field_count == u16::MAX {
        return;
    }
    // Past 65,535 distinct names the rest are not carried (no object type could hold them).
    let Some(id) = reader.id_of(counts, source, name) else { return };
    fields.extend_from_slice(&id.to_le_bytes());
    put_str(fields, value);
    *field_count += 1;
}

fn trim_ascii(line: &[u8]) -> &[u8] {
    let line = line.trim_ascii();
    line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line)
}

fn spill_error(e: &std::io::Error) -> Error {
    Error::Internal(format!("writing the transform's files: {e}"))
}

fn write_csv_row(w: &mut impl Write, cells: &[&str]) -> std::io::Result<()> {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        if cell.contains([',', '"', '\n', '\r']) {
            w.write_all(b"\"")?;
            w.write_all(cell.replace('"', "\"\"").as_bytes())?;
            w.write_all(b"\"")?;
        } else {
            w.write_all(cell.as_bytes())?;
        }
    }
    w.write_all(b"\n")
}

/// One endpoint as spilled, borrowed from its partition's bytes.
struct Record<'a> {
    flags: u8,
    piece: u32,
    line: u64,
    hash: u64,
    key: &'a str,
    id: &'a str,
    address: &'a str,
    channel: &'a str,
    user: &'a str,
    fields: &'a [u8],
    field_count: u16,
}

fn take<'a>(bytes: &'a [u8], at: &mut usize) -> &'a str {
    let len = u32::from_le_bytes(bytes[*at..*at + 4].try_into().unwrap_or_default()) as usize;
    *at += 4;
    let s = std::str::from_utf8(&bytes[*at..*at + len]).unwrap_or_default();
    *at += len;
    s
}

fn records(bytes: &[u8]) -> Vec<Record<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 4 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default()) as usize;
        let body = &bytes[at + 4..at + 4 + len];
        at += 4 + len;
        let mut p = 22;
        let key = take(body, &mut p);
        let id = take(body, &mut p);
        let address = take(body, &mut p);
        let named = take(body, &mut p);
        let channel = CHANNELS.get(usize::from(body[1])).copied().unwrap_or(named);
        let user_len = u32::from_le_bytes(body[p..p + 4].try_into().unwrap_or_default()) as usize;
        p += 4;
        let user = &key[key.len() - user_len.min(key.len())..];
        let field_count = u16::from_le_bytes([body[p], body[p + 1]]);
        out.push(Record {
            flags: body[0],
            piece: u32::from_le_bytes(body[2..6].try_into().unwrap_or_default()),
            line: u64::from_le_bytes(body[6..14].try_into().unwrap_or_default()),
            hash: u64::from_le_bytes(body[14..22].try_into().unwrap_or_default()),
            key,
            id,
            address,
            channel,
            user,
            fields: &body[p + 2..],
            field_count,
        });
    }
    out
}

/// The attribute name Customer Profiles accepts for `name` (letters, digits, `_` and `-`).
pub fn attribute_name(name: &str) -> String {
    let clean: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    let clean = if clean.is_empty() { "_".to_owned() } else { clean };
    clean.chars().take(MAX_VALUE).collect()
}

/// What the group pass counted in one partition.
#[derive(Default)]
struct GroupCounts {
    profiles: u64,
    without_user: u64,
    in_profiles: BTreeMap<String, u64>,
    inactive: BTreeMap<String, u64>,
    duplicate: BTreeMap<String, u64>,
    truncated: u64,
    sms_numbers: u64,
    email_addresses: u64,
    /// Standard paths written (`EmailAddress`, `Address.City`).
    standard_paths: foldhash::HashSet<String>,
    /// Attribute names written.
    attribute_names: foldhash::HashSet<String>,
}

struct Grouper<'a> {
    options: &'a Options,
    /// (source, original name) → profile field.
    /// By field id: its place in a profile.
    fields: Vec<Option<ProfileField>>,
    pieces: &'a [Piece],
    excluded: &'a Mutex<BufWriter<File>>,
}

/// Appends `"key":"value"` (JSON-escaped) to an object being written.
fn member(out: &mut Vec<u8>, first: &mut bool, key: &str, value: &str) {
    if !*first {
        out.push(b',');
    }
    *first = false;
    let _ = serde_json::to_writer(&mut *out, key);
    out.push(b':');
    let _ = serde_json::to_writer(&mut *out, value);
}

/// Adds one to `channel`'s count (allocating its name only the first time).
fn bump(map: &mut BTreeMap<String, u64>, channel: &str) {
    match map.get_mut(channel) {
        Some(n) => *n += 1,
        None => {
            map.insert(channel.to_owned(), 1);
        }
    }
}

impl Grouper<'_> {
    /// `value` cut to what Customer Profiles keeps.
    fn cut<'v>(value: &'v str, counts: &mut GroupCounts) -> Cow<'v, str> {
        if value.len() > MAX_VALUE && value.chars().count() > MAX_VALUE {
            counts.truncated += 1;
            Cow::Owned(value.chars().take(MAX_VALUE).collect())
        } else {
            Cow::Borrowed(value)
        }
    }

    /// Writes the profile object of one key's endpoints (sorted: active first, then as read).
    fn profile(&self, group: &[&Record<'_>], out: &mut Vec<u8>, counts: &mut GroupCounts) -> Result<()> {
        let mut kept: Vec<&Record<'_>> = Vec::with_capacity(group.len());
        for (i, r) in group.iter().enumerate() {
            let reason = if group[..i].iter().any(|o| o.id == r.id) {
                bump(&mut counts.duplicate, r.channel);
                Some("duplicate of another endpoint with the same Id")
            } else if self.options.exclude_inactive && r.flags & INACTIVE != 0 {
                bump(&mut counts.inactive, r.channel);
                Some("inactive (excluded by choice)")
            } else {
                None
            };
            match reason {
                Some(reason) => {
                    let file =
                        self.pieces.get(r.piece as usize).map(|p| p.path.display().to_string()).unwrap_or_default();
                    let mut w = self.excluded.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    write_csv_row(&mut *w, &[&file, &r.line.to_string(), r.id, r.channel, reason])
                        .map_err(|e| spill_error(&e))?;
                }
                None => {
                    bump(&mut counts.in_profiles, r.channel);
                    kept.push(r);
                }
            }
        }
        let Some(first) = kept.first() else { return Ok(()) };
        counts.profiles += 1;
        // Standard fields by path and mapped attributes by name, borrowed from the records.
        let mut standard: BTreeMap<&str, &str> = BTreeMap::new();
        let mut attributes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let (mut emails, mut phones): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
        let mut others: Vec<(&str, Vec<&str>)> = Vec::new();
        let mut opted_out: Vec<&str> = Vec::new();
        for r in &kept {
            match r.channel {
                "EMAIL" => {
                    if !emails.iter().any(|e| e.eq_ignore_ascii_case(r.address)) {
                        emails.push(r.address);
                    }
                }
                "SMS" | "VOICE" => {
                    if !phones.contains(&r.address) {
                        phones.push(r.address);
                    }
                }
                other => match others.iter_mut().find(|(c, _)| *c == other) {
                    Some((_, list)) if !list.contains(&r.address) => list.push(r.address),
                    Some(_) => {}
                    None => others.push((other, vec![r.address])),
                },
            }
            if r.flags & OPTED_OUT != 0 && !opted_out.contains(&r.channel) {
                opted_out.push(r.channel);
            }
            let mut at = 0;
            for _ in 0..r.field_count {
                let id = u16::from_le_bytes([r.fields[at], r.fields[at + 1]]);
                at += 2;
                let value = take(r.fields, &mut at);
                let Some(Some(field)) = self.fields.get(usize::from(id)) else { continue };
                match field {
                    ProfileField::Standard(path) => {
                        standard.entry(path.as_str()).or_insert(value);
                    }
                    ProfileField::Custom(n) => {
                        let values = attributes.entry(n.as_str()).or_default();
                        for v in value.split(',') {
                            if !values.contains(&v) {
                                values.push(v);
                            }
                        }
                    }
                }
            }
        }
        if first.user.is_empty() {
            counts.without_user += 1;
        } else {
            standard.insert("AccountNumber", first.user);
        }
        let mut extra: Vec<(String, String)> = Vec::new();
        for (i, e) in emails.iter().enumerate() {
            match EMAIL_FIELDS.get(i) {
                Some(f) => {
                    standard.insert(f, e);
                }
                None => extra.push((format!("pinpoint_email_{}", i + 1), (*e).to_owned())),
            }
        }
        for (i, p) in phones.iter().enumerate() {
            match PHONE_FIELDS.get(i) {
                Some(f) => {
                    standard.insert(f, p);
                }
                None => extra.push((format!("pinpoint_phone_{}", i + 1), (*p).to_owned())),
            }
        }
        others.sort_unstable();
        for (channel, addresses) in others {
            for (i, a) in addresses.iter().enumerate() {
                extra.push((format!("pinpoint_{}_{}", channel.to_ascii_lowercase(), i + 1), (*a).to_owned()));
            }
        }
        extra.push(("pinpoint_endpoints".into(), kept.len().to_string()));
        if !opted_out.is_empty() {
            opted_out.sort_unstable();
            extra.push(("pinpoint_opted_out".into(), opted_out.join(",")));
        }
        if let Some(client) = &self.options.client {
            extra.push(("pinshift_client".into(), client.clone()));
        }

        out.push(b'{');
        let mut top = true;
        member(out, &mut top, "ProfileKey", first.key);
        let mut address_open = false;
        // `Address.*` paths sort together: written as one nested object.
        for (path, value) in &standard {
            let value = Self::cut(value, counts);
            if !counts.standard_paths.contains(*path) {
                counts.standard_paths.insert((*path).to_owned());
            }
            match path.strip_prefix("Address.") {
                Some(part) => {
                    if !address_open {
                        out.extend_from_slice(b",\"Address\":{");
                        address_open = true;
                        let mut first_member = true;
                        member(out, &mut first_member, part, &value);
                    } else {
                        let mut first_member = false;
                        member(out, &mut first_member, part, &value);
                    }
                }
                None => {
                    if address_open {
                        out.push(b'}');
                        address_open = false;
                    }
                    member(out, &mut top, path, &value);
                }
            }
        }
        if address_open {
            out.push(b'}');
        }
        out.extend_from_slice(b",\"Attributes\":{");
        let mut first_member = true;
        let mut joined = String::new();
        for (name, values) in &attributes {
            joined.clear();
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    joined.push(',');
                }
                joined.push_str(v);
            }
            if joined.is_empty() {
                continue;
            }
            if !counts.attribute_names.contains(*name) {
                counts.attribute_names.insert((*name).to_owned());
            }
            let value = Self::cut(&joined, counts);
            member(out, &mut first_member, name, &value);
        }
        for (name, value) in &extra {
            if !counts.attribute_names.contains(name) {
                counts.attribute_names.insert(name.clone());
            }
            let value = Self::cut(value, counts);
            member(out, &mut first_member, name, &value);
        }
        out.extend_from_slice(b"}}\n");
        Ok(())
    }

    fn opt_outs(bytes: &[u8]) -> (BTreeSet<&[u8]>, BTreeSet<&[u8]>) {
        let (mut numbers, mut emails) = (BTreeSet::new(), BTreeSet::new());
        for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            match line[0] {
                b'S' => numbers.insert(&line[1..]),
                _ => emails.insert(&line[1..]),
            };
        }
        (numbers, emails)
    }
}

/// Transforms `pieces` into `out` (a folder that does not exist yet or is empty).
pub fn transform(
    pieces: &[Piece],
    out: &Path,
    options: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Output> {
    if out.exists()
        && std::fs::read_dir(out).map_err(|e| Error::Io { path: out.to_owned(), source: e })?.next().is_some()
    {
        return Err(Error::FileExists { path: out.to_owned() });
    }
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source: std::io::Error| Error::Io { path: path.clone(), source }
    };
    std::fs::create_dir_all(out.join(PROFILES_DIR)).map_err(io(out))?;
    let spill_dir = tempfile::Builder::new().prefix(".spill-").tempdir_in(out).map_err(io(out))?;
    let workers = options.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())).max(1);
    let total: u64 = pieces.iter().map(|p| p.bytes).sum();
    // A partition of about 16 MB of spilled records (a gzip piece grows about 4×, plain JSON shrinks).
    let spilled: u64 = pieces.iter().map(|p| if p.gzip { p.bytes * 4 } else { p.bytes / 2 }).sum();
    let partitions = options
        .partitions
        .unwrap_or_else(|| (spilled / (16 << 20)).max(1).next_power_of_two().clamp(4, 1024) as usize)
        .max(1);
    let create = |name: String| -> Result<Mutex<BufWriter<File>>> {
        let path = spill_dir.path().join(name);
        Ok(Mutex::new(BufWriter::with_capacity(64 * 1024, File::create(&path).map_err(io(&path))?)))
    };
    let endpoint_files: Vec<_> = (0..partitions).map(|p| create(format!("e{p:05}"))).collect::<Result<_>>()?;
    let opt_files: Vec<_> = (0..partitions).map(|p| create(format!("o{p:05}"))).collect::<Result<_>>()?;
    let open_out = |name: &str, header: &str| -> Result<Mutex<BufWriter<File>>> {
        let path = out.join(name);
        let mut w = BufWriter::new(File::create(&path).map_err(io(&path))?);
        w.write_all(header.as_bytes()).map_err(io(&path))?;
        Ok(Mutex::new(w))
    };
    let problems = open_out(PROBLEMS_FILE, "file,line,problem\n")?;
    let excluded = open_out(EXCLUDED_FILE, "file,line,endpoint_id,channel,reason\n")?;

    let reader = Reader {
        pieces,
        options,
        partitions,
        endpoints: &endpoint_files,
        opt_outs: &opt_files,
        problems: &problems,
        excluded: &excluded,
        hasher: foldhash::fast::RandomState::default(),
        names: Mutex::new(Vec::new()),
        next: AtomicUsize::new(0),
        bytes_done: AtomicU64::new(0),
        endpoints_done: AtomicU64::new(0),
    };
    let mut read = ReadCounts::default();
    std::thread::scope(|s| -> Result<()> {
        let handles: Vec<_> =
            (0..workers.min(pieces.len().max(1))).map(|_| s.spawn(|| reader.run(progress, total))).collect();
        for h in handles {
            read.merge(h.join().map_err(|_| Error::Internal("a transform worker panicked".into()))??);
        }
        Ok(())
    })?;
    for f in endpoint_files.iter().chain(&opt_files) {
        f.lock().unwrap_or_else(std::sync::PoisonError::into_inner).flush().map_err(|e| spill_error(&e))?;
    }
    let names = std::mem::take(&mut *reader.names.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    drop(reader);
    drop(endpoint_files);
    drop(opt_files);
    progress(Progress::Read { bytes: total, total, endpoints: read.endpoints });

    // The mapping the template proof uses, over every attribute name seen.
    let variables: Vec<Variable> = names.iter().map(|(source, name)| variable(*source, name)).collect();
    let mapping = ProfileMapping::new(&variables, &[]);
    let mut renamed = BTreeMap::new();
    let mut fields: Vec<Option<ProfileField>> = Vec::with_capacity(names.len());
    for (source, name) in &names {
        let field = mapping.field(&variable(*source, name), Channel::Email).map(|f| match f {
            ProfileField::Custom(n) => {
                let clean = attribute_name(&n);
                if clean != n {
                    renamed.insert(n, clean.clone());
                }
                ProfileField::Custom(clean)
            }
            standard => standard,
        });
        fields.push(field);
    }
    let grouper = Grouper { options, fields, pieces, excluded: &excluded };

    // Group each partition alone; outputs in partition order.
    let next = AtomicUsize::new(0);
    let done = AtomicU64::new(0);
    let profiles_done = AtomicU64::new(0);
    let results: Mutex<Vec<(usize, GroupCounts)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| -> Result<()> {
        let handles: Vec<_> = (0..workers.min(partitions))
            .map(|_| {
                s.spawn(|| -> Result<()> {
                    // Reused from partition to partition (fewer page faults than fresh buffers).
                    let (mut bytes, mut body) = (Vec::new(), Vec::new());
                    loop {
                        let p = next.fetch_add(1, Ordering::Relaxed);
                        if p >= partitions {
                            return Ok(());
                        }
                        let mut counts = GroupCounts::default();
                        let path = spill_dir.path().join(format!("e{p:05}"));
                        bytes.clear();
                        File::open(&path).and_then(|mut f| f.read_to_end(&mut bytes)).map_err(io(&path))?;
                        // Read once: removed before the kernel writes it back.
                        std::fs::remove_file(&path).map_err(io(&path))?;
                        let mut recs = records(&bytes);
                        // By the key's hash first (keys compared only when two hashes are equal).
                        recs.sort_unstable_by(|a, b| {
                            (a.hash, a.key, a.flags & INACTIVE, a.piece, a.line).cmp(&(
                                b.hash,
                                b.key,
                                b.flags & INACTIVE,
                                b.piece,
                                b.line,
                            ))
                        });
                        body.clear();
                        let refs: Vec<&Record<'_>> = recs.iter().collect();
                        for group in refs.chunk_by(|a, b| a.key == b.key) {
                            grouper.profile(group, &mut body, &mut counts)?;
                        }
                        drop(refs);
                        drop(recs);
                        if !body.is_empty() {
                            let path = out.join(PROFILES_DIR).join(format!("part-{p:05}.jsonl"));
                            std::fs::write(&path, &body).map_err(io(&path))?;
                        }
                        let path = spill_dir.path().join(format!("o{p:05}"));
                        let opted = std::fs::read(&path).map_err(io(&path))?;
                        std::fs::remove_file(&path).map_err(io(&path))?;
                        let (numbers, emails) = Grouper::opt_outs(&opted);
                        counts.sms_numbers = numbers.len() as u64;
                        counts.email_addresses = emails.len() as u64;
                        for (set, name) in [(numbers, "n"), (emails, "s")] {
                            if set.is_empty() {
                                continue;
                            }
                            let mut text = Vec::new();
                            for item in set {
                                text.extend_from_slice(item);
                                text.push(b'\n');
                            }
                            let path = spill_dir.path().join(format!("{name}{p:05}"));
                            std::fs::write(&path, text).map_err(io(&path))?;
                        }
                        let profiles = profiles_done.fetch_add(counts.profiles, Ordering::Relaxed) + counts.profiles;
                        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                        progress(Progress::Group { done: d, total: partitions as u64, profiles });
                        results.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((p, counts));
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().map_err(|_| Error::Internal("a transform worker panicked".into()))??;
        }
        Ok(())
    })?;
    let mut results = results.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    results.sort_by_key(|(p, _)| *p);

    // The opt-outs, one file each, partition after partition.
    for (name, file) in [("n", NUMBERS_FILE), ("s", SUPPRESSED_FILE)] {
        let path = out.join(file);
        let mut w = BufWriter::new(File::create(&path).map_err(io(&path))?);
        for p in 0..partitions {
            let part = spill_dir.path().join(format!("{name}{p:05}"));
            if let Ok(mut f) = File::open(&part) {
                let mut buf = Vec::new();
                f.read_to_end(&mut buf).map_err(io(&part))?;
                w.write_all(&buf).map_err(io(&path))?;
            }
        }
        w.flush().map_err(io(&path))?;
    }
    for f in [&problems, &excluded] {
        f.lock().unwrap_or_else(std::sync::PoisonError::into_inner).flush().map_err(|e| spill_error(&e))?;
    }

    let mut rec = Reconciliation {
        pieces: pieces.len() as u32,
        lines: read.lines,
        endpoints_read: read.endpoints,
        unreadable_lines: read.unreadable,
        damaged_pieces: read.damaged,
        renamed_attributes: renamed,
        exclude_inactive: options.exclude_inactive,
        problems: read.problems.clone(),
        ..Reconciliation::default()
    };
    for (channel, n) in &read.read {
        rec.by_channel.entry(channel.clone()).or_default().read = *n;
    }
    for (channel, n) in &read.invalid {
        rec.by_channel.entry(channel.clone()).or_default().invalid_address = *n;
        rec.invalid_address += n;
    }
    for (channel, n) in &read.opted_out {
        rec.by_channel.entry(channel.clone()).or_default().opted_out = *n;
    }
    rec.opt_outs.sms_endpoints = read.sms_opt_outs;
    rec.opt_outs.email_endpoints = read.email_opt_outs;
    rec.opt_outs.invalid = read.invalid_opt_outs;
    let mut paths = BTreeSet::new();
    let mut profile_files = Vec::new();
    for (p, g) in results {
        rec.profiles += g.profiles;
        rec.profiles_without_user_id += g.without_user;
        rec.truncated_values += g.truncated;
        rec.opt_outs.sms_numbers += g.sms_numbers;
        rec.opt_outs.email_addresses += g.email_addresses;
        for (channel, n) in g.in_profiles {
            rec.by_channel.entry(channel).or_default().in_profiles += n;
            rec.in_profiles += n;
        }
        for (channel, n) in g.inactive {
            rec.by_channel.entry(channel).or_default().inactive_excluded += n;
            rec.inactive_excluded += n;
        }
        for (channel, n) in g.duplicate {
            rec.by_channel.entry(channel).or_default().duplicate += n;
            rec.duplicate += n;
        }
        paths.extend(g.standard_paths);
        paths.extend(g.attribute_names.into_iter().map(|n| format!("Attributes.{n}")));
        let file = out.join(PROFILES_DIR).join(format!("part-{p:05}.jsonl"));
        if file.exists() {
            profile_files.push(file);
        }
    }
    // The fields and keys; a load adds the domain and the expiry the blueprint asks for.
    let mut object_type = object_type("", &paths, 0);
    if let Some(t) = object_type.as_object_mut() {
        t.remove("DomainName");
        t.remove("ExpirationDays");
    }
    let path = out.join(OBJECT_TYPE_FILE);
    std::fs::write(&path, serde_json::to_vec_pretty(&object_type).unwrap_or_default()).map_err(io(&path))?;
    let path = out.join(RECONCILIATION_FILE);
    std::fs::write(&path, serde_json::to_vec_pretty(&rec).unwrap_or_default()).map_err(io(&path))?;
    drop(spill_dir);
    Ok(Output { dir: out.to_owned(), profile_files, reconciliation: rec })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_as_aws_takes_them() {
        assert_eq!(valid_email(" Ann@Example.com "), Some("Ann@Example.com"));
        assert_eq!(valid_email("ann@localhost"), None);
        assert_eq!(valid_email("ann example.com"), None);
        assert_eq!(valid_phone("+1 (206) 555-0100"), Some("+12065550100".into()));
        assert_eq!(valid_phone("2065550100"), None, "E.164 needs its +");
        assert_eq!(valid_phone("+12"), None);
        assert_eq!(attribute_name("favourite colour"), "favourite_colour");
        assert_eq!(attribute_name("tier"), "tier");
    }
}
