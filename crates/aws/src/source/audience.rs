//! The live `AudienceSource`: a Pinpoint export job per project into the customer's bucket, then every
//! object it wrote streamed from S3 through a gzip decoder, line by line — never loaded whole.

use std::time::{Duration, Instant};

use aws_sdk_pinpoint::types::ExportJobRequest;
use pinshift_core::scan::ScanTarget;
use pinshift_core::scan::audience::{AudienceSource, ExportStats};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

use crate::source::pinpoint::PinpointReader;
use crate::source::read::describe;

/// How long an export job may take before the project is reported as not profiled.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(4 * 60 * 60);

/// `s3://bucket/prefix/` → (bucket, prefix).
fn split_url(url: &str) -> (String, String) {
    let rest = url.trim_start_matches("s3://");
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    (bucket.to_owned(), prefix.to_owned())
}

impl AudienceSource for PinpointReader {
    async fn export(
        &self,
        target: &ScanTarget,
        project: &str,
        role_arn: &str,
        url: &str,
        sink: &mut (dyn FnMut(&str) + Send),
    ) -> Result<ExportStats, (String, String)> {
        let started = Instant::now();
        let Some(config) = self.config(target) else {
            return Err(("NoConnection".into(), format!("no configuration for connection {:?}", target.connection)));
        };
        let pinpoint = aws_sdk_pinpoint::Client::new(&config);
        let request = ExportJobRequest::builder().role_arn(role_arn).s3_url_prefix(url).build();
        let created = pinpoint
            .create_export_job()
            .application_id(project)
            .export_job_request(request)
            .send()
            .await
            .map_err(|e| with_operation("CreateExportJob", describe(&e)))?;
        let job_id = created.export_job_response().and_then(|j| j.id()).unwrap_or_default().to_owned();

        // Poll until the job is done: quickly at first, then every ten seconds.
        let mut pause = Duration::from_millis(250);
        loop {
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(10));
            let job = pinpoint
                .get_export_job()
                .application_id(project)
                .job_id(&job_id)
                .send()
                .await
                .map_err(|e| with_operation("GetExportJob", describe(&e)))?;
            let Some(job) = job.export_job_response() else { continue };
            match job.job_status().map(|s| s.as_str()) {
                Some("COMPLETED") => break,
                Some("FAILED") => {
                    let reasons = job.failures().join("; ");
                    return Err(("ExportJobFailed".into(), format!("export job {job_id} failed: {reasons}")));
                }
                _ if started.elapsed() > EXPORT_TIMEOUT => {
                    return Err((
                        "ExportJobTimedOut".into(),
                        format!("export job {job_id} did not finish in {} hours", EXPORT_TIMEOUT.as_secs() / 3600),
                    ));
                }
                _ => {}
            }
        }

        // Custom endpoints (the sandbox, S3-compatible stores) need path-style addressing.
        let custom_endpoint = config.endpoint_url().is_some();
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&config).force_path_style(custom_endpoint).build(),
        );
        let (bucket, prefix) = split_url(url);
        let mut stats = ExportStats { job_id, location: url.to_owned(), ..ExportStats::default() };
        let mut pages = s3.list_objects_v2().bucket(&bucket).prefix(&prefix).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| with_operation("s3:ListObjectsV2", describe(&e)))?;
            for object in page.contents() {
                let Some(key) = object.key() else { continue };
                let got = s3
                    .get_object()
                    .bucket(&bucket)
                    .key(key)
                    .send()
                    .await
                    .map_err(|e| with_operation("s3:GetObject", describe(&e)))?;
                stats.objects += 1;
                stats.bytes += got.content_length().unwrap_or(0).max(0) as u64;
                let body = BufReader::new(got.body.into_async_read());
                let reader: Box<dyn AsyncRead + Send + Unpin> = if key.ends_with(".gz") {
                    let mut decoder = async_compression::tokio::bufread::GzipDecoder::new(body);
                    decoder.multiple_members(true);
                    Box::new(decoder)
                } else {
                    Box::new(body)
                };
                let mut lines = BufReader::new(reader).lines();
                loop {
                    match lines.next_line().await {
                        Ok(Some(line)) => sink(&line),
                        Ok(None) => break,
                        Err(error) => {
                            return Err((
                                "ExportUnreadable".into(),
                                format!("s3://{bucket}/{key}: {error} (after {} objects)", stats.objects - 1),
                            ));
                        }
                    }
                }
            }
        }
        stats.seconds = started.elapsed().as_secs_f64();
        Ok(stats)
    }
}

/// An SDK failure named with its operation (`mobiletargeting:` unless another service's prefix is given).
fn with_operation(operation: &str, (code, message): (String, String)) -> (String, String) {
    (code, format!("{}: {message}", crate::source::read::qualified(operation)))
}
