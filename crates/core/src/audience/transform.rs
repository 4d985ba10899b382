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

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::endpoint::Source;
pub use super::group::attribute_name;
use super::group::{GroupCounts, Grouper, Record, records};
use super::input::Piece;
use super::read::{ReadCounts, Reader};
pub use super::reconcile::{ChannelCounts, OptOutCounts, Problem, Reconciliation};
use crate::profile::{Channel, ProfileField, ProfileMapping, Variable, object_type};
use crate::{Error, Result};

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

pub(super) const CHANNELS: [&str; 13] = [
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

pub(super) const INACTIVE: u8 = 1;
pub(super) const OPTED_OUT: u8 = 2;

pub(super) fn put_str(buf: &mut Vec<u8>, s: &str) {
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

/// Adds one to `channel`'s count (allocating its name only the first time).
pub(super) fn bump(map: &mut BTreeMap<String, u64>, channel: &str) {
    match map.get_mut(channel) {
        Some(n) => *n += 1,
        None => {
            map.insert(channel.to_owned(), 1);
        }
    }
}

pub(super) fn spill_error(e: &std::io::Error) -> Error {
    Error::Internal(format!("writing the transform's files: {e}"))
}

pub(super) fn write_csv_row(w: &mut impl Write, cells: &[&str]) -> std::io::Result<()> {
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
