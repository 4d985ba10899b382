//! The Pinshift sandbox: a local twin of the AWS APIs Pinshift calls, faithful enough on the wire that the
//! unmodified official SDKs (Rust aws-sdk-*, Python boto3) accept every response.
//!
//! One loopback server verifies SigV4 signatures, routes by the credential scope's service, applies
//! quotas and seeded faults, and logs every call. Served so far: STS (GetCallerIdentity, AssumeRole) and
//! Pinpoint's apps, settings, channels, segments, campaigns, journeys, templates, recommenders, event
//! streams and tags. S3, SES v2 identities and SMS-voice v2 come next (see ARCHITECTURE.md).
//!
//! - [`estate`]: estate files (what the sandbox serves).
//! - [`server`]: the HTTP server and request pipeline.
//! - [`state`]: the simulated world, snapshots and the call log.
//! - [`control`]: the control API under `/_sandbox/`.
//! - [`limits`]: quotas and injected faults.
//! - [`model`]: botocore service models as routing table, input parser and output checker.
//! - [`seed`]: from estate files to state.
//! - [`auth`]: SigV4 verification.
//! - [`wire`]: AWS error shapes per protocol.
//! - [`services`]: one module per AWS service.

pub mod auth;
pub mod clock;
pub mod control;
pub mod estate;
pub mod generate;
pub mod jobs;
pub mod limits;
pub mod model;
pub mod paging;
pub mod seed;
pub mod server;
pub mod services;
pub mod state;
pub mod target;
pub mod wire;

pub use estate::Estate;
pub use server::RunningSandbox;
