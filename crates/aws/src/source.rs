//! The source side: reading Pinpoint (and the SES and End User Messaging resources its projects use)
//! for the scan, and exporting endpoints for audience profiling. Read-only by construction: every call
//! here is a Get, List or Describe, or an export job into the customer's bucket.
//!
//! - [`pinpoint`]: the live `PinpointSource` (aws-sdk-pinpoint), keeping raw payloads ([`raw`]).
//! - [`pace`]: client-side pacing under Pinpoint's per-operation quotas.
//! - [`audience`]: the live `AudienceSource` (export jobs, then S3 streamed line by line).
//! - [`ses`], [`sms`]: the SES and End User Messaging reads.

pub mod audience;
pub mod pace;
pub mod pinpoint;
pub mod raw;
pub(crate) mod read;
mod ses;
mod sms;
