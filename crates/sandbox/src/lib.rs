//! The Pinshift sandbox: a local twin of the AWS APIs Pinshift calls, faithful enough on the wire that the
//! unmodified official SDKs (Rust aws-sdk-*, Python boto3) accept every response.
//!
//! One loopback server verifies SigV4 signatures, routes by the credential scope's service, applies
//! quotas and seeded faults, and logs every call. The source side: STS, Pinpoint (all 122 operations, or
//! retired as after 2026-10-30), S3. The target side: SES v2 with tenants, SMS-voice v2, Connect, Customer
//! Profiles, Outbound Campaigns v2 and Q in Connect (see ARCHITECTURE.md).
//!
//! - [`estate`]: estate files (what the sandbox serves).
//! - [`server`]: the HTTP server and request pipeline.
//! - [`state`]: the simulated world, snapshots and the call log.
//! - [`control`]: the control API under `/_sandbox/`.
//! - [`coverage`]: which client drove which operation (for `scripts/op-coverage.py`).
//! - [`clock`]: the sandbox clock the control API moves forward.
//! - [`target`]: the target side seeded from estate files, and its snapshot.
//! - [`limits`]: quotas and injected faults.
//! - [`model`]: botocore service models as routing table, input parser and output checker.
//! - [`seed`]: from estate files to state.
//! - [`auth`]: SigV4 verification.
//! - [`wire`]: AWS error shapes per protocol.
//! - [`services`]: one module per AWS service.

pub mod auth;
pub mod clock;
pub mod control;
pub mod coverage;
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
