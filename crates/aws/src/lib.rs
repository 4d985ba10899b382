//! Pinshift's AWS side. Everything that talks to AWS through the official `aws-sdk-*` clients lives here,
//! behind plain functions that take and return core types, so core never depends on the SDK.
//!
//! - [`config`]: from a resolved connection to an `aws_config::SdkConfig` (keychain keys, profiles and
//!   SSO, assumed roles), honouring the standard AWS environment (`AWS_ENDPOINT_URL`, `AWS_REGION`, …),
//!   which is also how the sandbox is reached.
//! - [`identity`]: STS GetCallerIdentity, for `pinshift connection test`.
//! - [`errors`]: SDK errors to core errors with codes and hints.
//! - [`pinpoint`]: the live `PinpointSource` (aws-sdk-pinpoint), keeping raw payloads ([`raw`]).

pub mod audience;
pub mod config;
pub mod errors;
pub mod identity;
pub mod pace;
pub mod pinpoint;
pub mod raw;
mod read;
pub mod scan;
mod ses;
mod sms;
