//! Pinshift's core: the domain model and the use cases that both front ends (the `pinshift` CLI and the
//! desktop app) call. It never depends on Tauri or on the AWS SDK, never prints, and never reads the
//! system clock or the OS keychain directly: time, secrets and progress come in through ports
//! ([`clock::Clock`], [`secrets::SecretStore`]).
//!
//! Index:
//! - [`assess`]: clients, attribution and findings (the rule table) from an estate.
//! - [`audience`]: audience profiling from endpoint exports (the `AudienceSource` port).
//! - [`engagement`]: the engagement file (one SQLite database per engagement) and its schema.
//! - [`connections`]: named ways to reach AWS accounts; secrets stay in the OS keychain.
//! - [`dump`]: the offline dump folder (the second `PinpointSource`) and the script that writes one.
//! - [`diff`]: what changed between two estates, with field paths.
//! - [`estate`]: what a scan found (raw payloads beside indexed columns) and what it could not read.
//! - [`policy`]: the least-privilege IAM policy the scan needs.
//! - [`report`]: HTML, XLSX, CSV, JSON, Markdown and CloudFormation reports of a blueprint.
//! - [`scan`]: the inventory scan over the `PinpointSource` and `Progress` ports.
//! - [`secrets`]: [`secrets::Sensitive`] and the [`secrets::SecretStore`] port.
//! - [`templates`]: message templates parsed as Handlebars: the helpers and variables they use.
//! - [`clock`]: the [`clock::Clock`] port.
//! - [`error`]: the error type and the stable codes that cross IPC and CLI boundaries.
//! - [`blueprint`]: per-client tenancy plans, quota pre-flight, decisions, versions and sign-off.
//! - [`bindings`]: the TypeScript declarations of every type that crosses IPC.

pub mod app;
pub mod assess;
pub mod bindings;
pub mod blueprint;
pub mod clock;
pub mod connections;
pub mod diff;
pub mod dump;
pub mod engagement;
pub mod error;
pub mod estate;
pub mod policy;
pub mod profile;
pub mod report;
pub mod scan;
pub mod secrets;
pub mod target;
pub mod templates;
pub mod translate;

pub use error::{Error, ErrorCode, ErrorPayload, Result};

/// The version of this build, recorded in engagement files it creates.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
