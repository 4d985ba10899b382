//! Pinshift's AWS side. Everything that talks to AWS through the official `aws-sdk-*` clients lives here,
//! behind plain functions that take and return core types, so core never depends on the SDK.
//!
//! - [`config`]: from a resolved connection to an `aws_config::SdkConfig` (keychain keys, profiles and
//!   SSO, assumed roles), honouring the standard AWS environment (`AWS_ENDPOINT_URL`, `AWS_REGION`, …),
//!   which is also how the sandbox is reached.
//! - [`identity`]: STS GetCallerIdentity, for `pinshift connection test`.
//! - [`errors`]: SDK errors to core errors with codes and hints.
//! - [`source`]: the read-only side — the live `PinpointSource` and `AudienceSource` and what they read.
//! - [`scan`]: a whole scan as both front ends run it (composition only: the checks and choices are core's).
//!
//! - [`target`]: the writers of migration runs behind core's `TargetPort` (SES v2 so far).

pub mod config;
pub mod errors;
pub mod identity;
pub mod scan;
pub mod source;
pub mod target;
