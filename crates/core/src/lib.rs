//! Pinshift's core: the domain model and the use cases that both front ends (the `pinshift` CLI and the
//! desktop app) call. It never depends on Tauri or on the AWS SDK, never prints, and never reads the
//! system clock or the OS keychain directly: time, secrets and progress come in through ports
//! ([`clock::Clock`], [`secrets::SecretStore`]).
//!
//! Index, bottom-up — each module imports only those above it in this list (`tests/core/layering.rs`
//! fails otherwise):
//! - [`error`], [`clock`], [`app`]: the error type and its stable codes, the [`clock::Clock`] port, build info.
//! - [`secrets`], [`engagement`]: [`secrets::Sensitive`] and the `SecretStore` port; the engagement file
//!   (one SQLite database per engagement), its schema, and the lease that keeps two processes from writing
//!   it at once ([`engagement::lease`]).
//! - [`connections`]: named ways to reach AWS accounts; secrets stay in the OS keychain.
//! - [`estate`]: what a scan found (raw payloads beside indexed columns, with their JSON paths) and what it
//!   could not read.
//! - [`diff`], [`templates`], [`target`]: how two estates differ; the engines' model (Handlebars as
//!   Pinpoint, SES and Connect read it); the kinds of resource Pinshift creates in the successors.
//! - [`scan`]: the inventory scan over the `PinpointSource` and `Progress` ports, its request checks and
//!   choices ([`scan::request`]) and audience profiling ([`scan::audience`]).
//! - [`dump`]: the offline dump folder (the second `PinpointSource`) and the script that writes one.
//! - [`rehearsal`]: a scan written back as a sandbox estate, to rehearse a migration offline.
//! - [`assess`]: clients, attribution and findings (the rule table) from an estate.
//! - [`profile`]: the endpoint → Customer Profile mapping.
//! - [`translate`]: templates, segments, campaigns and journeys turned into their successors' definitions.
//! - [`blueprint`]: choices, per-client tenancies, the target graph (the desired state), quotas,
//!   decisions, versions, sign-off and the edits reviewers make.
//! - [`migration`]: plans, runs (apply, resume, rollback) and their hash-chained journal, over the
//!   `TargetPort` port.
//! - [`report`], [`policy`]: HTML, XLSX, CSV, JSON, Markdown and CloudFormation reports; IAM policies.
//! - [`bindings`]: the TypeScript declarations of every type that crosses IPC.

pub mod app;
pub mod assess;
pub mod audience;
pub mod bindings;
pub mod blueprint;
pub mod clock;
pub mod connections;
pub mod diff;
pub mod dump;
pub mod engagement;
pub mod error;
pub mod estate;
pub mod migration;
pub mod policy;
pub mod profile;
pub mod rehearsal;
pub mod report;
pub mod scan;
pub mod secrets;
pub mod target;
pub mod templates;
pub mod translate;

pub use error::{Error, ErrorCode, ErrorPayload, Result};

/// The version of this build, recorded in engagement files it creates.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
