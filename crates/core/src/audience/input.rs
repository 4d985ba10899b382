//! The pieces of an endpoint export: what Pinpoint's export job writes (one or more gzip pieces of JSON
//! lines per job), the same uncompressed, and Pinpoint's CSV import files. Files and folders (nested, any
//! names) are recognised by their content, not their names.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

/// How a piece is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// One endpoint as JSON per line (what an export job writes).
    JsonLines,
    /// Pinpoint's import CSV: a header of endpoint paths (`ChannelType`, `Address`, `User.UserId`,
    /// `Attributes.tier` …), one endpoint per row.
    Csv,
}

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Piece {
    pub path: PathBuf,
    pub format: Format,
    pub gzip: bool,
    /// Size on disk.
    pub bytes: u64,
}

/// Files found in the folders given that are not endpoint exports (manifests, notes), with why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The pieces in `paths` (files, or folders searched recursively), in path order. A file named directly
/// that is not an export is an error naming it; one found in a folder is listed as skipped.
pub fn discover(paths: &[PathBuf]) -> Result<(Vec<Piece>, Vec<Skipped>)> {
    if paths.is_empty() {
        return Err(Error::invalid("--from", "name at least one export file or folder"));
    }
    let mut pieces = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| io(path, e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            files.sort();
            for file in files {
                match recognise(&file)? {
                    Ok(piece) => pieces.push(piece),
                    Err(reason) => skipped.push(Skipped { path: file, reason }),
                }
            }
        } else {
            match recognise(path)? {
                Ok(piece) => pieces.push(piece),
                Err(reason) => return Err(Error::invalid(path.display().to_string(), reason)),
            }
        }
    }
    pieces.dedup_by(|a, b| a.path == b.path);
    Ok((pieces, skipped))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let entry = entry.map_err(|e| io(dir, e))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type().map_err(|e| io(&path, e))?.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn io(path: &Path, source: std::io::Error) -> Error {
    if source.kind() == std::io::ErrorKind::NotFound {
        Error::FileNotFound { path: path.to_owned() }
    } else {
        Error::Io { path: path.to_owned(), source }
    }
}

/// What a file is, from its first bytes (decompressed when gzip): `Err(reason)` when no export.
fn recognise(path: &Path) -> Result<std::result::Result<Piece, String>> {
    let bytes = std::fs::metadata(path).map_err(|e| io(path, e))?.len();
    let mut file = File::open(path).map_err(|e| io(path, e))?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).map_err(|e| io(path, e))?;
    let gzip = n == 2 && magic == GZIP_MAGIC;
    let mut head = Vec::with_capacity(4096);
    let reader: Box<dyn Read> = if gzip {
        Box::new(MultiGzDecoder::new(File::open(path).map_err(|e| io(path, e))?))
    } else {
        Box::new(File::open(path).map_err(|e| io(path, e))?)
    };
    // A damaged gzip piece still counts as a piece: reading it names where it breaks.
    let _ = reader.take(4096).read_to_end(&mut head);
    let text = String::from_utf8_lossy(&head);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim_start_matches('\u{feff}');
    let format = if first.trim_start().starts_with('{') {
        Format::JsonLines
    } else if first.contains(',') && first.split(',').any(|c| c.trim().trim_matches('"') == "ChannelType") {
        Format::Csv
    } else if head.is_empty() && bytes == 0 {
        return Ok(Err("empty file".into()));
    } else if head.is_empty() && gzip {
        // Nothing could be decompressed: still a piece, so the damage is named and counted.
        Format::JsonLines
    } else {
        return Ok(Err("neither endpoint JSON lines nor a Pinpoint import CSV (no ChannelType column)".into()));
    };
    Ok(Ok(Piece { path: path.to_owned(), format, gzip, bytes }))
}

/// Opens a piece for reading line by line (decompressing a gzip piece as it goes).
pub fn open(piece: &Piece) -> Result<Box<dyn BufRead + Send>> {
    let file = File::open(&piece.path).map_err(|e| io(&piece.path, e))?;
    Ok(if piece.gzip {
        Box::new(BufReader::with_capacity(256 * 1024, MultiGzDecoder::new(BufReader::with_capacity(256 * 1024, file))))
    } else {
        Box::new(BufReader::with_capacity(256 * 1024, file))
    })
}

/// A CSV row as the endpoint JSON it stands for: `User.UserAttributes.tier` → `{"User": {"UserAttributes":
/// {"tier": ["gold"]}}}` (attributes are lists, metrics numbers, as in an export).
pub fn csv_endpoint(header: &[String], row: &csv::StringRecord) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut endpoint = Value::Object(Map::new());
    for (name, value) in header.iter().zip(row.iter()) {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let path: Vec<String> = name.split('.').map(str::to_owned).collect();
        let typed = match path.first().map(String::as_str) {
            Some("Attributes") => Value::Array(value.split(',').map(|v| Value::String(v.trim().to_owned())).collect()),
            Some("User") if path.get(1).map(String::as_str) == Some("UserAttributes") => {
                Value::Array(value.split(',').map(|v| Value::String(v.trim().to_owned())).collect())
            }
            Some("Metrics") => value.parse::<f64>().map_or_else(|_| Value::String(value.to_owned()), Value::from),
            Some("Location") if matches!(path.get(1).map(String::as_str), Some("Latitude" | "Longitude")) => {
                value.parse::<f64>().map_or_else(|_| Value::String(value.to_owned()), Value::from)
            }
            _ => Value::String(value.to_owned()),
        };
        crate::profile::set(&mut endpoint, &path, typed);
    }
    endpoint
}
