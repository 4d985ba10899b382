//! Migration runs, over the [`plan::TargetPort`] port (the AWS writers live in pinshift-aws):
//!
//! - [`journal`]: the append-only, hash-chained journal of every effect, its check and export.
//! - [`plan`]: a blueprint version's target graph against what the target holds — create, adopt, differs,
//!   done, gate, blocked, not automated — and the port.
//! - [`run`]: apply and resume (journal-driven, idempotent), gates confirmed by people, rollback of only
//!   what runs created.
//! - [`verify`]: what runs left in the target read back and compared — settings, tags, template renders
//!   by the target itself, segment estimates — stored per client.
//! - [`waves`]: the order clients migrate in (a proposed pilot first) and each client's status.

pub mod audience;
pub mod journal;
pub mod plan;
pub mod run;
pub mod verify;
pub mod waves;
