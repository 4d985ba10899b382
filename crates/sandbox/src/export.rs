//! Pinpoint export jobs: when a job is due, its endpoints (the app's, or a segment's) are written to the
//! sandbox's S3 as gzipped JSON lines, one endpoint per line, in pieces of at most 100,000 endpoints:
//! `s3://<bucket>/<prefix><app id>/<job id>/<piece>.gz`. The job then reports COMPLETED with its counts,
//! or FAILED with the reason (a missing bucket, say).
//!
//! Segment exports evaluate the segment's `Attributes`, `UserAttributes` (INCLUSIVE / EXCLUSIVE) and
//! `Demographic.Channel` dimensions; other dimensions are not evaluated by the sandbox.

use std::io::Write;

use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};

use crate::services::pinpoint::PendingExport;
use crate::state::World;

const PIECE: usize = 100_000;

/// Runs every export job that is due.
pub fn run_due(world: &mut World) {
    let now = std::time::Instant::now();
    let (due, waiting): (Vec<PendingExport>, Vec<PendingExport>) =
        std::mem::take(&mut world.pinpoint.pending_exports).into_iter().partition(|p| p.due <= now);
    world.pinpoint.pending_exports = waiting;
    for job in due {
        run(world, &job);
    }
}

fn run(world: &mut World, pending: &PendingExport) {
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

    let job = &mut app.export_jobs[index];
    job["CompletionDate"] = json!(pending.scope.now);
    match result {
        Ok((processed, pieces)) => {
            job["JobStatus"] = json!("COMPLETED");
            job["TotalProcessed"] = json!(processed);
            job["TotalPieces"] = json!(pieces);
            job["CompletedPieces"] = json!(pieces);
            job["FailedPieces"] = json!(0);
            job["TotalFailures"] = json!(0);
        }
        Err(reason) => {
            job["JobStatus"] = json!("FAILED");
            job["Failures"] = json!([reason]);
            job["TotalFailures"] = json!(1);
        }
    }
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
