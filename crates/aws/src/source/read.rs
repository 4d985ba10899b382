//! What every reader shares: sending a call with a raw capture, collecting records and issues, and
//! turning SDK errors into issues that name the operation and AWS's code.

use aws_sdk_pinpoint::error::{ProvideErrorMetadata, SdkError};
use pinshift_core::estate::{ResourceKind, ScanIssue};
use pinshift_core::scan::{Read, ScanTarget};
use serde_json::Value;

/// Sends a fluent builder with a fresh raw capture; yields `(result, raw JSON)`.
macro_rules! send {
    ($builder:expr) => {{
        let capture = $crate::source::raw::RawCapture::default();
        let result = $builder.customize().interceptor(capture.clone()).send().await;
        (result, capture.json())
    }};
}

/// Accumulates a read: records, issues, and where they belong.
pub(crate) struct Collector<'a> {
    pub target: &'a ScanTarget,
    pub project: String,
    pub read: Read,
}

impl<'a> Collector<'a> {
    pub fn new(target: &'a ScanTarget, project: &str) -> Self {
        Collector { target, project: project.to_owned(), read: Read::default() }
    }

    pub fn record(&mut self, kind: ResourceKind, id: &str, version: &str, name: Option<&str>, raw: Value) {
        let record = self.target.record(&self.project, kind, (id, version), name, raw);
        self.read.records.push(record);
    }

    /// Records a failed call as an issue.
    pub fn fail<E, R>(&mut self, kind: ResourceKind, operation: &str, error: &SdkError<E, R>)
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug,
    {
        let found = issue(self.target, &self.project, kind, operation, describe(error));
        self.read.issues.push(found);
    }
}

/// Reads started at once inside one unit (a Region's templates, a project's segments, …); the reader's
/// in-flight limit ([`crate::source::pace`]) bounds the calls across all units.
const FAN_OUT: usize = 16;

/// Reads each item with `read`, [`FAN_OUT`] at a time, and adds the reads to `out` in item order.
pub(crate) async fn fan_out<T, F, Fut>(out: &mut Collector<'_>, items: Vec<T>, read: F)
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = Read>,
{
    use futures::StreamExt;
    let reads: Vec<Read> = futures::stream::iter(items).map(read).buffered(FAN_OUT).collect().await;
    for read in reads {
        out.read.records.extend(read.records);
        out.read.issues.extend(read.issues);
    }
}

pub(crate) fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value[key].as_str().unwrap_or_default()
}

pub(crate) fn no_client(target: &ScanTarget) -> Read {
    Read {
        records: Vec::new(),
        issues: vec![target.issue(
            "",
            ResourceKind::Project,
            "connect",
            ("NoConnection".into(), format!("no configuration for connection {:?}", target.connection)),
        )],
    }
}

pub(crate) type CallError = (String, (String, String));

pub(crate) fn describe<E, R>(error: &SdkError<E, R>) -> (String, String)
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match error {
        SdkError::ServiceError(_) => {
            (error.code().unwrap_or("Unknown").to_owned(), error.message().unwrap_or_default().to_owned())
        }
        other => ("Unreachable".to_owned(), aws_sdk_pinpoint::error::DisplayErrorContext(other).to_string()),
    }
}

pub(crate) fn issue(
    target: &ScanTarget,
    project: &str,
    kind: ResourceKind,
    operation: &str,
    (code, message): (String, String),
) -> ScanIssue {
    target.issue(project, kind, &qualified(operation), (code, message))
}

/// An operation as an IAM action: `mobiletargeting:` unless it names its service already.
pub(crate) fn qualified(operation: &str) -> String {
    if operation.contains(':') { operation.to_owned() } else { format!("mobiletargeting:{operation}") }
}

/// Pages a list call to the end: `$call` is a closure from the page token to a request; each element of
/// the raw payload's `$member` list is handed to `$each`; a failure becomes an issue for `$operation`.
macro_rules! pages {
    ($out:expr, $kind:expr, $operation:expr, $member:literal, $call:expr, |$item:ident| $each:expr) => {{
        let mut token: Option<String> = None;
        loop {
            let (result, raw) = $crate::source::read::send!($call(token.clone()));
            match result {
                Ok(_) => {
                    for $item in raw[$member].as_array().cloned().unwrap_or_default() {
                        $each;
                    }
                    token = raw["NextToken"].as_str().map(str::to_owned);
                }
                Err(error) => {
                    $out.fail($kind, $operation, &error);
                    token = None;
                }
            }
            if token.is_none() {
                break;
            }
        }
    }};
}

pub(crate) use pages;
pub(crate) use send;
