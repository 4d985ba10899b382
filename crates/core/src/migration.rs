//! Migration runs, over the [`plan::TargetPort`] port (the AWS writers live in pinshift-aws):
//!
//! - [`journal`]: the append-only, hash-chained journal of every effect, its check and export.
//! - [`plan`]: a blueprint version's target graph against what the target holds — create, adopt, differs,
//!   done, gate, blocked, not automated — and the port.
//! - [`run`]: apply and resume (journal-driven, idempotent), gates confirmed by people, rollback of only
//!   what runs created.

pub mod journal;
pub mod plan;
pub mod run;
