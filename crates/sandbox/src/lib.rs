//! The Pinshift sandbox: a local twin of the AWS APIs Pinshift calls, faithful enough on the wire that the
//! unmodified official SDKs (Rust aws-sdk-*, Python boto3) accept every response.
//!
//! This is the framework — one loopback server that verifies SigV4 signatures and routes by the credential
//! scope's service — and STS (GetCallerIdentity, AssumeRole). Pinpoint, SMS-voice v2, S3 and SES come next
//! (see ARCHITECTURE.md).
//!
//! - [`estate`]: estate files (what the sandbox serves).
//! - [`server`]: the HTTP server, state and call log.
//! - [`auth`]: SigV4 verification.
//! - [`wire`]: AWS error shapes per protocol.
//! - [`services`]: one module per AWS service.

pub mod auth;
pub mod estate;
pub mod model;
pub mod seed;
pub mod server;
pub mod services;
pub mod wire;

pub use estate::Estate;
pub use server::RunningSandbox;
