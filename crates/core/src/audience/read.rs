//! The transform's read pass: each piece decompressed and parsed line by line on every core; an endpoint
//! becomes a compact record (its profile key and its hash, address, flags, and its fields as name ids with
//! text values) spilled to one of P partition files by its key's hash; an opted-out address is spilled by
//! the address's hash. A line that is no endpoint is named (file, line) in `problems.csv`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{BufRead, BufWriter, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use super::endpoint::{self, Parsed, Source};
use super::input::{Format, Piece, open};
use super::reconcile::Problem;
use super::transform::{CHANNELS, INACTIVE, OPTED_OUT, Options, Progress, bump, put_str, spill_error, write_csv_row};
use crate::Result;

/// How much a worker buffers for one partition before it writes.
const FLUSH_AT: usize = 32 * 1024;

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
pub(super) struct ReadCounts {
    pub(super) lines: u64,
    pub(super) endpoints: u64,
    pub(super) unreadable: u64,
    pub(super) damaged: u32,
    pub(super) invalid: BTreeMap<String, u64>,
    pub(super) read: BTreeMap<String, u64>,
    pub(super) opted_out: BTreeMap<String, u64>,
    pub(super) sms_opt_outs: u64,
    pub(super) email_opt_outs: u64,
    pub(super) invalid_opt_outs: u64,
    /// This worker's cache of field ids, per source ([`Source::index`]); [`Reader::names`] holds them all.
    pub(super) ids: [foldhash::HashMap<String, u16>; 5],
    pub(super) problems: Vec<Problem>,
}

impl ReadCounts {
    pub(super) fn merge(&mut self, other: ReadCounts) {
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
pub(super) struct Reader<'a> {
    pub(super) pieces: &'a [Piece],
    pub(super) options: &'a Options,
    pub(super) partitions: usize,
    pub(super) endpoints: &'a [Mutex<BufWriter<File>>],
    pub(super) opt_outs: &'a [Mutex<BufWriter<File>>],
    pub(super) problems: &'a Mutex<BufWriter<File>>,
    pub(super) excluded: &'a Mutex<BufWriter<File>>,
    pub(super) hasher: foldhash::fast::RandomState,
    /// Every field name seen, by id (records carry the id, not the name).
    pub(super) names: Mutex<Vec<(Source, String)>>,
    pub(super) next: AtomicUsize,
    pub(super) bytes_done: AtomicU64,
    pub(super) endpoints_done: AtomicU64,
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

    pub(super) fn run(&self, progress: &(dyn Fn(Progress) + Sync), total: u64) -> Result<ReadCounts> {
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
        assert_eq!(super::super::group::attribute_name("favourite colour"), "favourite_colour");
        assert_eq!(super::super::group::attribute_name("tier"), "tier");
    }
}
