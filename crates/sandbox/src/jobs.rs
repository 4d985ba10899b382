//! Pinpoint import and export jobs, run a moment after they are created (on the next Pinpoint call).
//!
//! **Export**: the app's endpoints (or a segment's) are written to the sandbox's S3 as gzipped JSON lines,
//! one endpoint per line, in pieces of at most 100,000 endpoints:
//! `s3://<bucket>/<prefix><app id>/<job id>/<piece>.gz`. Segment exports evaluate the segment's
//! `Attributes`, `UserAttributes` (INCLUSIVE / EXCLUSIVE) and `Demographic.Channel` dimensions; other
//! dimensions are not evaluated by the sandbox.
//!
//! **Import**: every object at `S3Url` (a key, or a prefix ending in `/`) is read as CSV (a header of
//! endpoint field paths such as `ChannelType,Address,User.UserId,Attributes.tier`) or JSON lines; with
//! `RegisterEndpoints` the endpoints are stored, with `DefineSegment` an imported segment named `SegmentName`
//! is created with its ImportDefinition and channel counts.
//!
//! Either job ends COMPLETED with its counts, or FAILED with the reasons (a missing bucket, bad rows).

use std::io::Write;

use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};

use crate::services::pinpoint::{PendingJob, Scope, create_segment};
use crate::state::World;

const PIECE: usize = 100_000;

/// Runs every job that is due.
pub fn run_due(world: &mut World) {
    if world.pinpoint.pending_jobs.is_empty() {
        return;
    }
    let now = std::time::Instant::now();
    let (due, waiting): (Vec<PendingJob>, Vec<PendingJob>) =
        std::mem::take(&mut world.pinpoint.pending_jobs).into_iter().partition(|p| p.due <= now);
    world.pinpoint.pending_jobs = waiting;
    for job in due {
        if job.import {
            import(world, &job);
        } else {
            export(world, &job);
        }
    }
}

fn split_url(url: &str) -> (String, String) {
    let url = url.trim_start_matches("s3://");
    url.split_once('/').map(|(b, p)| (b.to_owned(), p.to_owned())).unwrap_or((url.to_owned(), String::new()))
}

fn export(world: &mut World, pending: &PendingJob) {
    let World { pinpoint, s3, .. } = world;
    let Some(app) = pinpoint.app(&pending.scope, &pending.app_id) else { return };
    let Some(index) = app.export_jobs.iter().position(|j| j["Id"] == pending.job_id.as_str()) else { return };
    let definition = app.export_jobs[index]["Definition"].clone();
    let url = definition["S3UrlPrefix"].as_str().unwrap_or_default().trim_start_matches("s3://").to_owned();
    let (bucket, prefix) =
        url.split_once('/').map(|(b, p)| (b.to_owned(), p.to_owned())).unwrap_or((url.clone(), String::new()));
    let segment = definition["SegmentId"].as_str().and_then(|id| app.segments.get(id)).and_then(|v| v.last()).cloned();

    let result: Result<(u64, u64), String> = (|| {
        let exists = s3.buckets.get(&bucket).ok_or_else(|| format!("The bucket {bucket} does not exist"))?;
        if exists.region != pending.scope.region {
            return Err(format!("The bucket {bucket} is in {}, not {}", exists.region, pending.scope.region));
        }
        let mut processed = 0u64;
        let mut pieces = 0u64;
        let mut lines = Vec::new();
        let mut count = 0usize;
        let mut flush = |lines: &mut Vec<u8>, pieces: &mut u64| -> Result<(), String> {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
            encoder.write_all(lines).map_err(|e| e.to_string())?;
            let data = encoder.finish().map_err(|e| e.to_string())?;
            let key = format!("{prefix}{}/{}/{}.gz", pending.app_id, pending.job_id, *pieces);
            s3.put(&bucket, &key, Bytes::from(data), "application/gzip").map_err(|e| e.message)?;
            *pieces += 1;
            lines.clear();
            Ok(())
        };
        for endpoint in app.endpoints.all(&pending.app_id, &pending.scope.now) {
            if segment.as_ref().is_some_and(|s| !matches(s, &endpoint)) {
                continue;
            }
            serde_json::to_writer(&mut lines, &endpoint).map_err(|e| e.to_string())?;
            lines.push(b'\n');
            processed += 1;
            count += 1;
            if count == PIECE {
                flush(&mut lines, &mut pieces)?;
                count = 0;
            }
        }
        if count > 0 || pieces == 0 {
            flush(&mut lines, &mut pieces)?;
        }
        Ok((processed, pieces))
    })();

    finish(
        &mut app.export_jobs[index],
        &pending.scope,
        result.map(|(processed, pieces)| (processed, pieces, Vec::new())),
    );
}

/// Records a job's outcome: counts, or the reasons it failed.
fn finish(job: &mut Value, scope: &Scope, result: Result<(u64, u64, Vec<String>), String>) {
    job["CompletionDate"] = json!(scope.now);
    match result {
        Ok((processed, pieces, failures)) => {
            job["JobStatus"] = json!("COMPLETED");
            job["TotalProcessed"] = json!(processed);
            job["TotalPieces"] = json!(pieces);
            job["CompletedPieces"] = json!(pieces);
            job["FailedPieces"] = json!(0);
            job["TotalFailures"] = json!(failures.len());
            if !failures.is_empty() {
                job["Failures"] = json!(failures.into_iter().take(100).collect::<Vec<_>>());
            }
        }
        Err(reason) => {
            job["JobStatus"] = json!("FAILED");
            job["Failures"] = json!([reason]);
            job["TotalFailures"] = json!(1);
        }
    }
}

fn import(world: &mut World, pending: &PendingJob) {
    let World { pinpoint, s3, .. } = world;
    let Some(app) = pinpoint.app(&pending.scope, &pending.app_id) else { return };
    let Some(index) = app.import_jobs.iter().position(|j| j["Id"] == pending.job_id.as_str()) else { return };
    let definition = app.import_jobs[index]["Definition"].clone();
    let (bucket, key) = split_url(definition["S3Url"].as_str().unwrap_or_default());
    let csv = definition["Format"] == "CSV";

    let read: Result<(Vec<Value>, Vec<String>, u64), String> = (|| {
        let found = s3.buckets.get(&bucket).ok_or_else(|| format!("The bucket {bucket} does not exist"))?;
        let objects: Vec<&crate::services::s3::Object> = if key.is_empty() || key.ends_with('/') {
            found.objects.iter().filter(|(k, _)| k.starts_with(&key)).map(|(_, o)| o).collect()
        } else {
            found.objects.get(&key).into_iter().collect()
        };
        if objects.is_empty() {
            return Err(format!("No objects at s3://{bucket}/{key}"));
        }
        let mut endpoints = Vec::new();
        let mut failures = Vec::new();
        for object in &objects {
            let text = String::from_utf8_lossy(&object.data);
            let parsed = if csv { parse_csv(&text) } else { parse_json_lines(&text) };
            endpoints.extend(parsed.0);
            failures.extend(parsed.1);
        }
        Ok((endpoints, failures, objects.len() as u64))
    })();
    let result = read.map(|(endpoints, failures, pieces)| {
        let mut counts: serde_json::Map<String, Value> = serde_json::Map::new();
        for endpoint in &endpoints {
            let channel = endpoint["ChannelType"].as_str().unwrap_or("UNKNOWN").to_owned();
            let n = counts.get(&channel).and_then(Value::as_u64).unwrap_or(0);
            counts.insert(channel, json!(n + 1));
        }
        if definition["RegisterEndpoints"].as_bool().unwrap_or(false) {
            for (i, endpoint) in endpoints.iter().enumerate() {
                let id = endpoint["Id"]
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("import-{}-{i}", pending.job_id));
                let mut stored = endpoint.clone();
                stored["Id"] = json!(id);
                stored["ApplicationId"] = json!(pending.app_id);
                stored["CreationDate"] = json!(pending.scope.now);
                stored["EffectiveDate"] = json!(pending.scope.now);
                app.endpoints.deleted.remove(&id);
                app.endpoints.written.insert(id, stored);
            }
        }
        (endpoints.len() as u64, pieces, failures, counts)
    });
    let segment = match &result {
        Ok((processed, _, _, counts)) if definition["DefineSegment"].as_bool().unwrap_or(false) => Some(json!({
            "Name": definition["SegmentName"].as_str().unwrap_or("imported"),
            "ImportDefinition": {
                "ExternalId": definition["ExternalId"].as_str().unwrap_or(&pending.job_id),
                "Format": definition["Format"],
                "RoleArn": definition["RoleArn"],
                "S3Url": definition["S3Url"],
                "Size": processed,
                "ChannelCounts": counts,
            },
        })),
        _ => None,
    };
    let index_and_finish = result.map(|(processed, pieces, failures, _)| (processed, pieces, failures));
    if let Some(app) = pinpoint.app(&pending.scope, &pending.app_id) {
        finish(&mut app.import_jobs[index], &pending.scope, index_and_finish);
    }
    if let Some(request) = segment.and_then(|s| s.as_object().cloned())
        && let Err(error) = create_segment(pinpoint, &pending.scope, &pending.app_id, request)
    {
        tracing::warn!(code = error.code, message = %error.message, "import job could not define its segment");
    }
}

/// CSV with a header of endpoint field paths; returns the endpoints and a failure per bad row.
fn parse_csv(text: &str) -> (Vec<Value>, Vec<String>) {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let Some(header) = lines.next() else { return (Vec::new(), vec!["The file is empty".into()]) };
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    let mut endpoints = Vec::new();
    let mut failures = Vec::new();
    for (row, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() != columns.len() {
            failures.push(format!("row {}: {} values for {} columns", row + 2, cells.len(), columns.len()));
            continue;
        }
        let mut endpoint = json!({});
        for (column, cell) in columns.iter().zip(&cells) {
            if cell.is_empty() {
                continue;
            }
            let path: Vec<&str> = column.split('.').collect();
            let list = matches!(path.first(), Some(&"Attributes")) || path.get(1) == Some(&"UserAttributes");
            let value = if list { json!(cell.split(';').collect::<Vec<_>>()) } else { json!(cell) };
            set_path(&mut endpoint, &path, value);
        }
        if endpoint.get("ChannelType").is_none() || endpoint.get("Address").is_none() {
            failures.push(format!("row {}: ChannelType and Address are required", row + 2));
            continue;
        }
        endpoints.push(endpoint);
    }
    (endpoints, failures)
}

fn set_path(target: &mut Value, path: &[&str], value: Value) {
    match path {
        [] => {}
        [last] => target[*last] = value,
        [first, rest @ ..] => {
            if !target[*first].is_object() {
                target[*first] = json!({});
            }
            set_path(&mut target[*first], rest, value);
        }
    }
}

fn parse_json_lines(text: &str) -> (Vec<Value>, Vec<String>) {
    let mut endpoints = Vec::new();
    let mut failures = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match serde_json::from_str::<Value>(line) {
            Ok(endpoint) if endpoint.get("ChannelType").is_some() && endpoint.get("Address").is_some() => {
                endpoints.push(endpoint)
            }
            Ok(_) => failures.push(format!("line {}: ChannelType and Address are required", n + 1)),
            Err(error) => failures.push(format!("line {}: {error}", n + 1)),
        }
    }
    (endpoints, failures)
}

/// Whether `endpoint` belongs to the dimensional segment `segment` (the dimensions listed above).
fn matches(segment: &Value, endpoint: &Value) -> bool {
    let dimensions = &segment["Dimensions"];
    let attribute_match = |spec: &Value, values: &Value| -> bool {
        spec.as_object().into_iter().flatten().all(|(name, dimension)| {
            let wanted: Vec<&str> =
                dimension["Values"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            let has = values[name.as_str()]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .any(|v| wanted.contains(&v));
            if dimension["AttributeType"] == "EXCLUSIVE" { !has } else { has }
        })
    };
    let channel_ok = match dimensions["Demographic"]["Channel"].as_object() {
        None => true,
        Some(channel) => {
            let wanted: Vec<&str> =
                channel["Values"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            let has = endpoint["ChannelType"].as_str().is_some_and(|c| wanted.contains(&c));
            if channel["DimensionType"] == "EXCLUSIVE" { !has } else { has }
        }
    };
    channel_ok
        && attribute_match(&dimensions["Attributes"], &endpoint["Attributes"])
        && attribute_match(&dimensions["UserAttributes"], &endpoint["User"]["UserAttributes"])
}
