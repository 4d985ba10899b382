//! Customer Profiles' bulk paths: CSV **upload jobs** (create, a presigned upload URL the sandbox itself
//! serves, start, results summary; `DataExpiry` defaulting to 14 days, after which the profiles an upload
//! created are gone), **S3 integrations** that ingest the objects under their prefix (JSON lines, a JSON
//! array or CSV with a header), and **segment snapshots** written to the sandbox's S3.

use std::collections::{BTreeMap, BTreeSet};

use jiff::SignedDuration;
use serde_json::{Map, Value, json};

use super::{Domain, bad, not_found};
use crate::services::rest::{Ctx, hex_id};
use crate::services::s3::S3State;

/// The service's default when CreateUploadJob names no DataExpiry ("the system default of 2 weeks").
pub const DEFAULT_DATA_EXPIRY_DAYS: i64 = 14;
/// How long an upload URL stays valid.
const UPLOAD_URL_VALIDITY: SignedDuration = SignedDuration::from_secs(15 * 60);

#[derive(Debug, Clone)]
pub struct UploadJob {
    /// The `GetUploadJob` shape (Status, ResultsSummary, …).
    pub record: Value,
    /// The token in the upload URL, once GetUploadJobPath issued one.
    pub token: Option<String>,
    pub data: Option<Vec<u8>>,
    /// When the upload URL stops accepting files.
    pub valid_until: Option<jiff::Timestamp>,
    /// Reads of the job since it started: the first answers IN_PROGRESS, as a fresh job does.
    pub reads: u32,
}

fn csv_records(data: &[u8]) -> Result<Vec<Map<String, Value>>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(data);
    let headers = reader.headers().map_err(|e| format!("The file has no CSV header: {e}"))?.clone();
    let mut out = Vec::new();
    for (n, row) in reader.records().enumerate() {
        let row = row.map_err(|e| format!("row {}: {e}", n + 2))?;
        out.push(headers.iter().zip(row.iter()).map(|(h, v)| (h.to_owned(), Value::String(v.to_owned()))).collect());
    }
    Ok(out)
}

/// The records of an S3 object: JSON lines, one JSON array, or CSV with a header.
fn records(data: &[u8]) -> Result<Vec<Value>, String> {
    let text = String::from_utf8_lossy(data);
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return serde_json::from_str::<Vec<Value>>(trimmed).map_err(|e| format!("not a JSON array: {e}"));
    }
    if trimmed.starts_with('{') {
        return trimmed
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(n, line)| serde_json::from_str(line).map_err(|e| format!("line {}: {e}", n + 1)))
            .collect();
    }
    Ok(csv_records(data)?.into_iter().map(Value::Object).collect())
}

impl Domain {
    pub fn create_upload_job(&mut self, ctx: &Ctx<'_>, input: &Value) -> Result<Value, super::ServiceError> {
        let fields = input["Fields"].as_object().cloned().unwrap_or_default();
        let unique = input["UniqueKey"].as_str().unwrap_or_default();
        if !fields.contains_key(unique) {
            return Err(bad(format!("UniqueKey {unique} is not one of the job's Fields")));
        }
        let expiry = input["DataExpiry"].as_i64().unwrap_or(DEFAULT_DATA_EXPIRY_DAYS);
        if !(1..=1098).contains(&expiry) {
            return Err(bad("DataExpiry must be between 1 and 1098 days"));
        }
        let id = hex_id();
        let record = json!({
            "JobId": id, "DisplayName": input["DisplayName"], "Status": "CREATED", "CreatedAt": ctx.epoch(),
            "Fields": fields, "UniqueKey": unique, "DataExpiry": expiry,
        });
        self.upload_jobs.insert(id.clone(), UploadJob { record, token: None, data: None, valid_until: None, reads: 0 });
        Ok(json!({ "JobId": id }))
    }

    pub fn upload_path(&mut self, ctx: &Ctx<'_>, id: &str) -> Result<Value, super::ServiceError> {
        let job = self.upload_jobs.get_mut(id).ok_or_else(|| not_found(format!("Upload job {id} not found")))?;
        if job.record["Status"] != "CREATED" {
            return Err(bad(format!(
                "Upload job {id} is {}; files are uploaded before it starts",
                job.record["Status"].as_str().unwrap_or("?")
            )));
        }
        let token = job.token.get_or_insert_with(hex_id).clone();
        let until = ctx.now.checked_add(UPLOAD_URL_VALIDITY).unwrap_or(ctx.now);
        job.valid_until = Some(until);
        Ok(json!({
            "Url": format!("{}/_sandbox/uploads/{token}", ctx.endpoint),
            "ClientToken": token,
            "ValidUntil": crate::clock::epoch(until),
        }))
    }

    pub fn start_upload(&mut self, ctx: &Ctx<'_>, id: &str) -> Result<(), super::ServiceError> {
        let job = self.upload_jobs.get_mut(id).ok_or_else(|| not_found(format!("Upload job {id} not found")))?;
        if job.record["Status"] != "CREATED" {
            return Err(bad(format!("Upload job {id} was already started")));
        }
        let Some(data) = job.data.take() else {
            return Err(bad(format!("Nothing was uploaded for job {id} (GetUploadJobPath, then PUT the file)")));
        };
        job.record["Status"] = json!("IN_PROGRESS");
        job.reads = 0;
        let fields = job.record["Fields"].clone();
        let unique = job.record["UniqueKey"].as_str().unwrap_or_default().to_owned();
        let expiry = job.record["DataExpiry"].as_i64().unwrap_or(DEFAULT_DATA_EXPIRY_DAYS);
        let (created, updated, failed, failure) = match csv_records(&data) {
            Ok(rows) => {
                let (mut created, mut updated, mut failed) = (0u64, 0u64, 0u64);
                for row in rows {
                    match self.upload_row(&row, &fields, &unique, ctx, expiry) {
                        Ok(true) => created += 1,
                        Ok(false) => updated += 1,
                        Err(_) => failed += 1,
                    }
                }
                (created, updated, failed, None)
            }
            Err(message) => (0, 0, 0, Some(message)),
        };
        let job = self.upload_jobs.get_mut(id).ok_or_else(|| not_found(format!("Upload job {id} not found")))?;
        let status = match (&failure, failed, created + updated) {
            (Some(_), _, _) => "FAILED",
            (None, 0, _) => "SUCCEEDED",
            (None, _, 0) => "FAILED",
            _ => "PARTIALLY_SUCCEEDED",
        };
        job.record["ResultsSummary"] =
            json!({ "CreatedRecords": created, "UpdatedRecords": updated, "FailedRecords": failed });
        job.record["CompletedAt"] = json!(ctx.epoch());
        job.record["FinalStatus"] = json!(status);
        if failure.is_some() || status == "FAILED" {
            job.record["StatusReason"] = json!("VALIDATION_FAILURE");
        }
        Ok(())
    }

    /// One CSV row into a profile, found by the unique key's value; `Ok(true)` when the row created it.
    fn upload_row(
        &mut self,
        row: &Map<String, Value>,
        fields: &Value,
        unique: &str,
        ctx: &Ctx<'_>,
        expiry: i64,
    ) -> Result<bool, String> {
        let source = |field: &Value| -> Option<String> {
            let column = field["Source"].as_str()?;
            let column = column.strip_prefix("_source.").unwrap_or(column);
            row.get(column).and_then(Value::as_str).map(str::to_owned)
        };
        let key = source(&fields[unique])
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("the unique key {unique} is empty"))?;
        let key_name = format!("_upload_{unique}");
        let found = self.find_profile(&key_name, &key);
        let created = found.is_none();
        let id = found.unwrap_or_else(|| self.new_profile());
        let profile = self.profiles.get_mut(&id).ok_or("profile vanished")?;
        for (_, field) in fields.as_object().into_iter().flatten() {
            if let (Some(path), Some(value)) =
                (field["Target"].as_str().and_then(|t| t.strip_prefix("_profile.")), source(field))
            {
                super::set_path(&mut profile.record, path, Value::String(value));
            }
        }
        profile.keys.entry(key_name).or_default().insert(key);
        super::index_standard_keys(profile);
        let until = ctx.now.checked_add(SignedDuration::from_hours(24 * expiry)).unwrap_or(ctx.now);
        profile.expires = Some(profile.expires.map_or(until, |e| e.max(until)));
        let expires = profile.expires.unwrap_or(until);
        self.reindex(&id);
        self.expires_at(expires);
        Ok(created)
    }

    /// What GetUploadJob answers: a started job reads IN_PROGRESS once, then its outcome.
    pub fn upload_job(&mut self, id: &str) -> Result<Value, super::ServiceError> {
        let job = self.upload_jobs.get_mut(id).ok_or_else(|| not_found(format!("Upload job {id} not found")))?;
        if job.record["Status"] == "IN_PROGRESS" {
            job.reads += 1;
            if job.reads > 1 {
                job.record["Status"] = job.record["FinalStatus"].clone();
            }
        }
        let mut record = job.record.clone();
        if let Some(object) = record.as_object_mut() {
            object.remove("FinalStatus");
            if record_status(object) == "IN_PROGRESS" {
                object.remove("ResultsSummary");
                object.remove("CompletedAt");
                object.remove("StatusReason");
            }
        }
        Ok(record)
    }

    /// Ingests the objects under each S3 integration's prefix that it has not read yet.
    pub fn ingest_s3(&mut self, s3: &S3State, ctx: &Ctx<'_>) {
        let integrations: Vec<(String, String)> = self
            .integrations
            .iter()
            .filter(|(uri, _)| uri.starts_with("s3://"))
            .filter_map(|(uri, i)| i["ObjectTypeName"].as_str().map(|t| (uri.clone(), t.to_owned())))
            .collect();
        for (uri, object_type) in integrations {
            let rest = uri.trim_start_matches("s3://");
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let Some(found) = s3.buckets.get(bucket) else { continue };
            let keys: Vec<String> = found.objects.keys().filter(|k| k.starts_with(prefix)).cloned().collect();
            for key in keys {
                let seen = self.ingested.entry(uri.clone()).or_default();
                if !seen.insert(key.clone()) {
                    continue;
                }
                let Some(object) = found.objects.get(&key) else { continue };
                let outcome = records(&object.data).map(|items| {
                    items
                        .iter()
                        .filter(|item| self.put_object(&object_type, &item.to_string(), ctx.now).is_err())
                        .count()
                });
                let entry = self.ingest_log.entry(uri.clone()).or_default();
                match outcome {
                    Ok(0) => entry.push(format!("{key}: ingested")),
                    Ok(failed) => entry.push(format!("{key}: ingested, {failed} record(s) refused")),
                    Err(message) => entry.push(format!("{key}: not ingested: {message}")),
                }
            }
        }
    }

    /// Writes a segment's members to S3 (CSV or JSON lines) and records the snapshot.
    pub fn snapshot(&mut self, s3: &mut S3State, input: &Value) -> Result<Value, super::ServiceError> {
        let name = input["SegmentDefinitionName"].as_str().unwrap_or_default().to_owned();
        let definition = self
            .segments
            .get(&name)
            .cloned()
            .ok_or_else(|| not_found(format!("Segment definition {name} not found")))?;
        let id = hex_id();
        let format = input["DataFormat"].as_str().unwrap_or("CSV").to_owned();
        let mut record = json!({ "SnapshotId": id, "DataFormat": format, "Status": "COMPLETED" });
        for member in ["DestinationUri", "RoleArn", "EncryptionKey"] {
            if let Some(v) = input.get(member) {
                record[member] = v.clone();
            }
        }
        let outcome: Result<(), String> = (|| {
            if format == "ORC" {
                return Err("The sandbox does not write ORC; ask for CSV or JSONL".to_owned());
            }
            let mut members = Vec::new();
            for profile in self.profiles.values() {
                if self.in_group(&definition["SegmentGroups"], &profile.record, 0)? {
                    members.push(profile.record.clone());
                }
            }
            let body = if format == "JSONL" {
                members.iter().map(|m| m.to_string() + "\n").collect::<String>()
            } else {
                let columns: BTreeSet<String> = members
                    .iter()
                    .flat_map(|m| {
                        m.as_object().into_iter().flatten().filter(|(_, v)| v.is_string()).map(|(k, _)| k.clone())
                    })
                    .collect();
                let mut writer = csv::Writer::from_writer(Vec::new());
                writer.write_record(&columns).map_err(|e| e.to_string())?;
                for m in &members {
                    writer
                        .write_record(columns.iter().map(|c| m[c].as_str().unwrap_or_default()))
                        .map_err(|e| e.to_string())?;
                }
                String::from_utf8_lossy(&writer.into_inner().map_err(|e| e.to_string())?).into_owned()
            };
            if let Some(uri) = input["DestinationUri"].as_str() {
                let rest = uri
                    .strip_prefix("s3://")
                    .ok_or_else(|| format!("DestinationUri {uri} is not an s3:// location"))?;
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                let key = format!(
                    "{}{id}.{}",
                    if prefix.is_empty() || prefix.ends_with('/') { prefix.to_owned() } else { format!("{prefix}/") },
                    format.to_lowercase()
                );
                let content_type = if format == "JSONL" { "application/x-ndjson" } else { "text/csv" };
                s3.put(bucket, &key, bytes::Bytes::from(body), content_type).map_err(|e| e.message)?;
            }
            Ok(())
        })();
        if let Err(message) = outcome {
            record["Status"] = json!("FAILED");
            record["StatusMessage"] = json!(message);
        }
        self.snapshots.insert((name, id.clone()), record);
        Ok(json!({ "SnapshotId": id }))
    }
}

fn record_status(object: &Map<String, Value>) -> &str {
    object.get("Status").and_then(Value::as_str).unwrap_or_default()
}

/// Stores an uploaded file for the job whose URL token it names. `Err` says why not (no such upload, an
/// expired URL, a job already started), as S3 would refuse a presigned PUT.
pub fn accept_upload(
    domains: &mut BTreeMap<(String, String, String), Domain>,
    token: &str,
    data: Vec<u8>,
    now: jiff::Timestamp,
) -> Result<(), String> {
    for domain in domains.values_mut() {
        if let Some(job) = domain.upload_jobs.values_mut().find(|j| j.token.as_deref() == Some(token)) {
            if job.valid_until.is_some_and(|until| until < now) {
                return Err("Request has expired".to_owned());
            }
            if job.record["Status"] != "CREATED" {
                return Err("The upload job has already started".to_owned());
            }
            job.data = Some(data);
            return Ok(());
        }
    }
    Err("The specified upload does not exist".to_owned())
}
