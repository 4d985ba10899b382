//! Audience carry-over: a client's Pinpoint endpoints become Customer Profiles, its opted-out phone numbers
//! its SMS opt-out list, its opted-out email addresses its SES tenant's suppression list — every endpoint
//! accounted for in a reconciliation.
//!
//! - [`input`]: the pieces an export is made of (gzip or plain JSON lines, Pinpoint's CSV import files),
//!   found in files and folders by their content, read line by line with file and line named.
//! - [`transform`]: endpoints grouped into profiles by `UserId` (an endpoint without one is a profile of
//!   its own) through [`crate::profile::ProfileMapping`], the mapping the template proof uses; streaming,
//!   in bounded memory (endpoints spill to hash partitions on disk, each grouped alone), on every core.
//!   Writes the profile objects, the object type they need, the opt-outs and the reconciliation.

pub mod endpoint;
mod group;
pub mod input;
mod read;
pub mod reconcile;
pub mod transform;
