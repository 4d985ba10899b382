//! The transform's group pass: a partition's records sorted by their key's hash, each key's endpoints one
//! profile object (duplicates and, by choice, inactive endpoints excluded and named), addresses into the
//! standard fields by AWS's counts, fields placed by the mapping, values cut to what Customer Profiles keeps.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::BufWriter;
use std::sync::Mutex;

use super::input::Piece;
use super::transform::{CHANNELS, INACTIVE, OPTED_OUT, Options, bump, spill_error, write_csv_row};
use crate::Result;
use crate::profile::{EMAIL_FIELDS, PHONE_FIELDS, ProfileField};

/// Customer Profiles keeps attribute values of at most this many characters.
const MAX_VALUE: usize = 255;

/// One endpoint as spilled, borrowed from its partition's bytes.
pub(super) struct Record<'a> {
    pub(super) flags: u8,
    pub(super) piece: u32,
    pub(super) line: u64,
    pub(super) hash: u64,
    pub(super) key: &'a str,
    pub(super) id: &'a str,
    pub(super) address: &'a str,
    pub(super) channel: &'a str,
    pub(super) user: &'a str,
    pub(super) fields: &'a [u8],
    pub(super) field_count: u16,
}

fn take<'a>(bytes: &'a [u8], at: &mut usize) -> &'a str {
    let len = u32::from_le_bytes(bytes[*at..*at + 4].try_into().unwrap_or_default()) as usize;
    *at += 4;
    let s = std::str::from_utf8(&bytes[*at..*at + len]).unwrap_or_default();
    *at += len;
    s
}

pub(super) fn records(bytes: &[u8]) -> Vec<Record<'_>> {
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
pub(super) struct GroupCounts {
    pub(super) profiles: u64,
    pub(super) without_user: u64,
    pub(super) in_profiles: BTreeMap<String, u64>,
    pub(super) inactive: BTreeMap<String, u64>,
    pub(super) duplicate: BTreeMap<String, u64>,
    pub(super) truncated: u64,
    pub(super) sms_numbers: u64,
    pub(super) email_addresses: u64,
    /// Standard paths written (`EmailAddress`, `Address.City`).
    pub(super) standard_paths: foldhash::HashSet<String>,
    /// Attribute names written.
    pub(super) attribute_names: foldhash::HashSet<String>,
}

pub(super) struct Grouper<'a> {
    pub(super) options: &'a Options,
    /// (source, original name) → profile field.
    /// By field id: its place in a profile.
    pub(super) fields: Vec<Option<ProfileField>>,
    pub(super) pieces: &'a [Piece],
    pub(super) excluded: &'a Mutex<BufWriter<File>>,
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
    pub(super) fn profile(&self, group: &[&Record<'_>], out: &mut Vec<u8>, counts: &mut GroupCounts) -> Result<()> {
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

    pub(super) fn opt_outs(bytes: &[u8]) -> (BTreeSet<&[u8]>, BTreeSet<&[u8]>) {
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
