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
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::hash::{BuildHasher, Hash, Hasher};
use std::io::{BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::input::{Format, Piece, open};
use crate::profile::{Channel, ProfileField, ProfileMapping, Variable};
use crate::{Error, Result};

/// The object type the profile objects are loaded through (its fields are written beside them).
pub const PROFILE_OBJECT_TYPE: &str = "PinpointProfile";
/// Standard fields per kind, in the order a user's addresses fill them (AWS's counts).
pub const EMAIL_FIELDS: [&str; 3] = ["EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress"];
pub const PHONE_FIELDS: [&str; 4] = ["PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber"];
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

#[derive(Deserialize, Default)]
struct RawUser<'a> {
    #[serde(rename = "UserId", borrow, default)]
    user_id: Option<Cow<'a, str>>,
    #[serde(rename = "UserAttributes", borrow, default)]
    attributes: Option<BTreeMap<Cow<'a, str>, Vec<Cow<'a, str>>>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar<'a> {
    Number(f64),
    Text(#[serde(borrow)] Cow<'a, str>),
    Bool(bool),
}

#[derive(Deserialize)]
struct RawEndpoint<'a> {
    #[serde(rename = "Id", borrow, default)]
    id: Option<Cow<'a, str>>,
    #[serde(rename = "ChannelType", borrow, default)]
    channel: Option<Cow<'a, str>>,
    #[serde(rename = "Address", borrow, default)]
    address: Option<Cow<'a, str>>,
    #[serde(rename = "EndpointStatus", borrow, default)]
    status: Option<Cow<'a, str>>,
    #[serde(rename = "OptOut", borrow, default)]
    opt_out: Option<Cow<'a, str>>,
    #[serde(rename = "Attributes", borrow, default)]
    attributes: Option<BTreeMap<Cow<'a, str>, Vec<Cow<'a, str>>>>,
    #[serde(rename = "User", borrow, default)]
    user: Option<RawUser<'a>>,
    #[serde(rename = "Metrics", borrow, default)]
    metrics: Option<BTreeMap<Cow<'a, str>, f64>>,
    #[serde(rename = "Demographic", borrow, default)]
    demographic: Option<BTreeMap<Cow<'a, str>, Scalar<'a>>>,
    #[serde(rename = "Location", borrow, default)]
    location: Option<BTreeMap<Cow<'a, str>, Scalar<'a>>>,
}

/// Where a field's value came from (decides its place through the mapping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Source {
    User = b'U',
    Endpoint = b'E',
    Metric = b'M',
    Demographic = b'D',
    Location = b'L',
}

impl Source {
    fn of(byte: u8) -> Source {
        match byte {
            b'U' => Source::User,
            b'E' => Source::Endpoint,
            b'M' => Source::Metric,
            b'D' => Source::Demographic,
            _ => Source::Location,
        }
    }

    fn variable(self, name: &str) -> Variable {
        let name = name.to_owned();
        match self {
            Source::User => Variable::UserAttribute(name),
            Source::Endpoint => Variable::EndpointAttribute(name),
            Source::Metric => Variable::Metric(name),
            Source::Demographic => Variable::Demographic(name),
            Source::Location => Variable::Location(name),
        }
    }
}

const INACTIVE: u8 = 1;
const OPTED_OUT: u8 = 2;

fn put_str(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
    buf.extend_from_slice(s.as_bytes());
}

fn number_text(f: f64) -> String {
    crate::templates::value::number_text(f)
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
    names: BTreeSet<(u8, String)>,
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
        self.names.extend(other.names);
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
    hasher: std::hash::RandomState,
    next: AtomicUsize,
    bytes_done: AtomicU64,
    endpoints_done: AtomicU64,
}

/// Problems kept in the reconciliation itself (all are in `problems.csv`).
const PROBLEMS_KEPT: usize = 20;

impl Reader<'_> {
    fn partition_of(&self, key: &str) -> usize {
        let mut h = self.hasher.build_hasher();
        key.hash(&mut h);
        (h.finish() % self.partitions as u64) as usize
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
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = self.pieces.get(i) else { break };
            let mut reader = open(piece)?;
            let mut handle = |counts: &mut ReadCounts,
                              line_no: u64,
                              endpoint: std::result::Result<RawEndpoint<'_>, String>|
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
                *counts.read.entry(channel.to_owned()).or_default() += 1;
                let opted_out = endpoint.opt_out.as_deref() == Some("ALL");
                if opted_out {
                    *counts.opted_out.entry(channel.to_owned()).or_default() += 1;
                }
                let raw_address = endpoint.address.as_deref().unwrap_or_default();
                let address: Option<String> = match channel {
                    "EMAIL" => valid_email(raw_address).map(str::to_owned),
                    "SMS" | "VOICE" => valid_phone(raw_address),
                    _ => Some(raw_address.trim().to_owned()).filter(|a| !a.is_empty()),
                };
                let Some(address) = address else {
                    *counts.invalid.entry(channel.to_owned()).or_default() += 1;
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
                        "EMAIL" => (b'E', address.to_lowercase()),
                        "SMS" | "VOICE" => (b'S', address.clone()),
                        _ => (0, String::new()),
                    };
                    if tag != 0 {
                        if tag == b'E' {
                            counts.email_opt_outs += 1;
                        } else {
                            counts.sms_opt_outs += 1;
                        }
                        let mut line = Vec::with_capacity(value.len() + 2);
                        line.push(tag);
                        line.extend_from_slice(value.as_bytes());
                        line.push(b'\n');
                        opt_spill.push(self.partition_of(&value), &line).map_err(|e| spill_error(&e))?;
                    }
                }
                let user = endpoint.user.as_ref().and_then(|u| u.user_id.as_deref()).filter(|u| !u.is_empty());
                let key = match (&self.options.client, user) {
                    (Some(c), Some(u)) => format!("{c}#u#{u}"),
                    (Some(c), None) => format!("{c}#e#{id}"),
                    (None, Some(u)) => format!("u#{u}"),
                    (None, None) => format!("e#{id}"),
                };
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
                put_str(&mut record, &key);
                put_str(&mut record, id);
                put_str(&mut record, &address);
                put_str(&mut record, channel);
                put_str(&mut record, user.unwrap_or_default());
                let count_at = record.len();
                record.extend_from_slice(&[0, 0]);
                let mut fields = 0u16;
                let mut field =
                    |record: &mut Vec<u8>, counts: &mut ReadCounts, source: Source, name: &str, value: &str| {
                        if value.is_empty() || fields == u16::MAX {
                            return;
                        }
                        if !counts.names.contains(&(source as u8, name.to_owned())) {
                            counts.names.insert((source as u8, name.to_owned()));
                        }
                        record.push(source as u8);
                        put_str(record, name);
                        put_str(record, value);
                        fields += 1;
                    };
                if let Some(u) = &endpoint.user
                    && let Some(attrs) = &u.attributes
                {
                    for (name, values) in attrs {
                        field(&mut record, counts, Source::User, name, &values.join(","));
                    }
                }
                for (name, values) in endpoint.attributes.iter().flatten() {
                    field(&mut record, counts, Source::Endpoint, name, &values.join(","));
                }
                for (name, value) in endpoint.metrics.iter().flatten() {
                    field(&mut record, counts, Source::Metric, name, &number_text(*value));
                }
                for (source, map) in
                    [(Source::Demographic, &endpoint.demographic), (Source::Location, &endpoint.location)]
                {
                    for (name, value) in map.iter().flatten() {
                        let text = match value {
                            Scalar::Number(n) => number_text(*n),
                            Scalar::Text(t) => t.to_string(),
                            Scalar::Bool(b) => b.to_string(),
                        };
                        field(&mut record, counts, source, name, &text);
                    }
                }
                record[count_at..count_at + 2].copy_from_slice(&fields.to_le_bytes());
                let len = (record.len() - 4) as u32;
                record[..4].copy_from_slice(&len.to_le_bytes());
                spill.push(self.partition_of(&key), &record).map_err(|e| spill_error(&e))?;
                if counts.endpoints % 65_536 == 0 {
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
                        let parsed = serde_json::from_slice::<RawEndpoint<'_>>(text).map_err(|e| {
                            if serde_json::from_slice::<serde_json::Value>(text).is_ok() {
                                format!("not an endpoint: {e}")
                            } else {
                                format!("not valid JSON: {e}")
                            }
                        });
                        handle(&mut counts, line_no, parsed)?;
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
                                        let text = serde_json::to_vec(&value).unwrap_or_default();
                                        let parsed = serde_json::from_slice::<RawEndpoint<'_>>(&text)
                                            .map_err(|e| format!("not an endpoint: {e}"));
                                        handle(&mut counts, line_no, parsed)?;
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
        let mut p = 14;
        let key = take(body, &mut p);
        let id = take(body, &mut p);
        let address = take(body, &mut p);
        let channel = take(body, &mut p);
        let user = take(body, &mut p);
        let field_count = u16::from_le_bytes([body[p], body[p + 1]]);
        out.push(Record {
            flags: body[0],
            piece: u32::from_le_bytes(body[2..6].try_into().unwrap_or_default()),
            line: u64::from_le_bytes(body[6..14].try_into().unwrap_or_default()),
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
    /// Profile paths written (`EmailAddress`, `Address.City`, `Attributes.tier`).
    paths: BTreeSet<String>,
}

struct Grouper<'a> {
    options: &'a Options,
    /// (source, original name) → profile field.
    fields: HashMap<(u8, String), Option<ProfileField>>,
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

impl Grouper<'_> {
    fn cut(value: &str, counts: &mut GroupCounts) -> String {
        if value.chars().count() > MAX_VALUE {
            counts.truncated += 1;
            value.chars().take(MAX_VALUE).collect()
        } else {
            value.to_owned()
        }
    }

    /// Writes the profile object of one key's endpoints (sorted: active first, then as read).
    fn profile(&self, group: &[&Record<'_>], out: &mut Vec<u8>, counts: &mut GroupCounts) -> Result<()> {
        let mut seen_ids: BTreeSet<&str> = BTreeSet::new();
        let mut kept: Vec<&Record<'_>> = Vec::with_capacity(group.len());
        for r in group {
            let reason = if !seen_ids.insert(r.id) {
                *counts.duplicate.entry(r.channel.to_owned()).or_default() += 1;
                Some("duplicate of another endpoint with the same Id")
            } else if self.options.exclude_inactive && r.flags & INACTIVE != 0 {
                *counts.inactive.entry(r.channel.to_owned()).or_default() += 1;
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
                    *counts.in_profiles.entry(r.channel.to_owned()).or_default() += 1;
                    kept.push(r);
                }
            }
        }
        let Some(first) = kept.first() else { return Ok(()) };
        counts.profiles += 1;
        let mut standard: BTreeMap<String, String> = BTreeMap::new();
        let mut attributes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let (mut emails, mut phones): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
        let mut others: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        let mut opted_out: BTreeSet<&str> = BTreeSet::new();
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
                other => {
                    let list = others.entry(other.to_ascii_lowercase()).or_default();
                    if !list.contains(&r.address) {
                        list.push(r.address);
                    }
                }
            }
            if r.flags & OPTED_OUT != 0 {
                opted_out.insert(r.channel);
            }
            let mut at = 0;
            for _ in 0..r.field_count {
                let source = r.fields[at];
                at += 1;
                let name = take(r.fields, &mut at);
                let value = take(r.fields, &mut at);
                let Some(Some(field)) = self.fields.get(&(source, name.to_owned())) else { continue };
                match field {
                    ProfileField::Standard(path) => {
                        standard.entry(path.clone()).or_insert_with(|| value.to_owned());
                    }
                    ProfileField::Custom(n) => {
                        let values = attributes.entry(n.clone()).or_default();
                        for v in value.split(',') {
                            if !values.iter().any(|x| x == v) {
                                values.push(v.to_owned());
                            }
                        }
                    }
                }
            }
        }
        if !first.user.is_empty() {
            standard.insert("AccountNumber".into(), first.user.to_owned());
        } else {
            counts.without_user += 1;
        }
        for (i, e) in emails.iter().enumerate() {
            match EMAIL_FIELDS.get(i) {
                Some(f) => {
                    standard.insert((*f).to_owned(), (*e).to_owned());
                }
                None => {
                    attributes.insert(format!("pinpoint_email_{}", i + 1), vec![(*e).to_owned()]);
                }
            }
        }
        for (i, p) in phones.iter().enumerate() {
            match PHONE_FIELDS.get(i) {
                Some(f) => {
                    standard.insert((*f).to_owned(), (*p).to_owned());
                }
                None => {
                    attributes.insert(format!("pinpoint_phone_{}", i + 1), vec![(*p).to_owned()]);
                }
            }
        }
        for (channel, addresses) in others {
            for (i, a) in addresses.iter().enumerate() {
                attributes.insert(format!("pinpoint_{channel}_{}", i + 1), vec![(*a).to_owned()]);
            }
        }
        attributes.insert("pinpoint_endpoints".into(), vec![kept.len().to_string()]);
        if !opted_out.is_empty() {
            attributes
                .insert("pinpoint_opted_out".into(), vec![opted_out.iter().copied().collect::<Vec<_>>().join(",")]);
        }
        if let Some(client) = &self.options.client {
            attributes.insert("pinshift_client".into(), vec![client.clone()]);
        }

        out.push(b'{');
        let mut top = true;
        member(out, &mut top, "ProfileKey", first.key);
        let mut address: Vec<(&str, String)> = Vec::new();
        for (path, value) in &standard {
            let value = Self::cut(value, counts);
            match path.strip_prefix("Address.") {
                Some(part) => address.push((part, value)),
                None => {
                    if !counts.paths.contains(path) {
                        counts.paths.insert(path.clone());
                    }
                    member(out, &mut top, path, &value);
                }
            }
        }
        if !address.is_empty() {
            out.extend_from_slice(b",\"Address\":{");
            let mut first_member = true;
            for (part, value) in address {
                let path = format!("Address.{part}");
                if !counts.paths.contains(&path) {
                    counts.paths.insert(path);
                }
                member(out, &mut first_member, part, &value);
            }
            out.push(b'}');
        }
        out.extend_from_slice(b",\"Attributes\":{");
        let mut first_member = true;
        for (name, values) in &attributes {
            let value = Self::cut(&values.join(","), counts);
            if value.is_empty() {
                continue;
            }
            let path = format!("Attributes.{name}");
            if !counts.paths.contains(&path) {
                counts.paths.insert(path);
            }
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

/// The object type the profile objects need: a field per profile path written, keyed by `ProfileKey`
/// (unique and the profile's key, so loading twice never duplicates), with the given expiry.
pub fn object_type(domain: &str, paths: &BTreeSet<String>, expiration_days: u32) -> serde_json::Value {
    let mut fields = serde_json::Map::new();
    fields.insert(
        "ProfileKey".into(),
        serde_json::json!({ "Source": "_source.ProfileKey", "Target": "_profile.Attributes.pinshift_profile_key", "ContentType": "STRING" }),
    );
    for path in paths {
        let content = if path.ends_with("EmailAddress") {
            "EMAIL_ADDRESS"
        } else if PHONE_FIELDS.contains(&path.as_str()) {
            "PHONE_NUMBER"
        } else {
            "STRING"
        };
        fields.insert(
            field_name(path),
            serde_json::json!({ "Source": format!("_source.{path}"), "Target": format!("_profile.{path}"), "ContentType": content }),
        );
    }
    serde_json::json!({
        "DomainName": domain,
        "ObjectTypeName": PROFILE_OBJECT_TYPE,
        "Description": "Pinpoint endpoints carried over by Pinshift: one object per profile (a user's endpoints, or one endpoint without a UserId)",
        "ExpirationDays": expiration_days,
        "AllowProfileCreation": true,
        "Fields": fields,
        "Keys": { "ProfileKey": [{ "StandardIdentifiers": ["PROFILE", "UNIQUE"], "FieldNames": ["ProfileKey"] }] },
    })
}

/// An object type field name for a profile path (at most 64 of `[A-Za-z0-9_.-]`).
fn field_name(path: &str) -> String {
    if path.len() <= 64 {
        return path.to_owned();
    }
    let mut h = std::hash::DefaultHasher::new();
    path.hash(&mut h);
    format!("{}_{:08x}", &path[..55], h.finish() as u32)
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
        hasher: std::hash::RandomState::new(),
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
    drop(endpoint_files);
    drop(opt_files);
    progress(Progress::Read { bytes: total, total, endpoints: read.endpoints });

    // The mapping the template proof uses, over every attribute name seen.
    let variables: Vec<Variable> = read.names.iter().map(|(source, name)| Source::of(*source).variable(name)).collect();
    let mapping = ProfileMapping::new(&variables, &[]);
    let mut renamed = BTreeMap::new();
    let mut fields = HashMap::new();
    for (source, name) in &read.names {
        let field = mapping.field(&Source::of(*source).variable(name), Channel::Email).map(|f| match f {
            ProfileField::Custom(n) => {
                let clean = attribute_name(&n);
                if clean != n {
                    renamed.insert(n, clean.clone());
                }
                ProfileField::Custom(clean)
            }
            standard => standard,
        });
        fields.insert((*source, name.clone()), field);
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
                    loop {
                        let p = next.fetch_add(1, Ordering::Relaxed);
                        if p >= partitions {
                            return Ok(());
                        }
                        let mut counts = GroupCounts::default();
                        let path = spill_dir.path().join(format!("e{p:05}"));
                        let bytes = std::fs::read(&path).map_err(io(&path))?;
                        let mut recs = records(&bytes);
                        recs.sort_unstable_by(|a, b| {
                            (a.key, a.flags & INACTIVE, a.piece, a.line).cmp(&(
                                b.key,
                                b.flags & INACTIVE,
                                b.piece,
                                b.line,
                            ))
                        });
                        let mut body = Vec::with_capacity(bytes.len());
                        let refs: Vec<&Record<'_>> = recs.iter().collect();
                        for group in refs.chunk_by(|a, b| a.key == b.key) {
                            grouper.profile(group, &mut body, &mut counts)?;
                        }
                        drop(recs);
                        drop(bytes);
                        if !body.is_empty() {
                            let path = out.join(PROFILES_DIR).join(format!("part-{p:05}.jsonl"));
                            std::fs::write(&path, &body).map_err(io(&path))?;
                        }
                        let path = spill_dir.path().join(format!("o{p:05}"));
                        let bytes = std::fs::read(&path).map_err(io(&path))?;
                        let (numbers, emails) = Grouper::opt_outs(&bytes);
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
        paths.extend(g.paths);
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
