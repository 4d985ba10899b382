//! The reconciliation of a transform: every endpoint read accounted for, by channel, with the opt-outs and
//! what could not be read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Endpoints of one channel, accounted for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChannelCounts {
    pub read: u64,
    pub in_profiles: u64,
    pub invalid_address: u64,
    pub inactive_excluded: u64,
    pub duplicate: u64,
    pub opted_out: u64,
}

/// Opted-out addresses: every endpoint with `OptOut = ALL` read, the distinct addresses written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OptOutCounts {
    /// SMS and voice endpoints opted out (with a valid number).
    pub sms_endpoints: u64,
    /// Distinct numbers written for the SMS opt-out list.
    pub sms_numbers: u64,
    /// Email endpoints opted out (with a valid address).
    pub email_endpoints: u64,
    /// Distinct addresses written for the tenant's suppression list.
    pub email_addresses: u64,
    /// Opted-out endpoints whose address is not valid (nothing to carry; also in `invalid_address`).
    pub invalid: u64,
}

/// A line that is not an endpoint, or a piece that cannot be read to its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Problem {
    pub file: String,
    /// 0: the piece as a whole (it breaks after its last line read).
    #[ts(type = "number")]
    pub line: u64,
    pub problem: String,
}

/// Every endpoint read accounted for: `endpoints_read = in_profiles + invalid_address + inactive_excluded +
/// duplicate`; lines that are no endpoint are counted (and named in `problems.csv`) apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Reconciliation {
    pub pieces: u32,
    #[ts(type = "number")]
    pub lines: u64,
    #[ts(type = "number")]
    pub endpoints_read: u64,
    #[ts(type = "number")]
    pub in_profiles: u64,
    #[ts(type = "number")]
    pub invalid_address: u64,
    #[ts(type = "number")]
    pub inactive_excluded: u64,
    #[ts(type = "number")]
    pub duplicate: u64,
    /// Lines that are no endpoint (not JSON, no `Id` or `ChannelType`, a CSV row that does not parse).
    #[ts(type = "number")]
    pub unreadable_lines: u64,
    /// Pieces that break before their end (a truncated gzip piece); what came before is read.
    pub damaged_pieces: u32,
    #[ts(type = "number")]
    pub profiles: u64,
    /// Profiles of one endpoint without a `UserId`.
    #[ts(type = "number")]
    pub profiles_without_user_id: u64,
    pub by_channel: BTreeMap<String, ChannelCounts>,
    pub opt_outs: OptOutCounts,
    /// Attribute names changed to what Customer Profiles accepts: original → profile attribute.
    pub renamed_attributes: BTreeMap<String, String>,
    /// Values cut to Customer Profiles' 255 characters.
    #[ts(type = "number")]
    pub truncated_values: u64,
    /// The first problems (all of them are in `problems.csv`).
    pub problems: Vec<Problem>,
    pub exclude_inactive: bool,
}

impl Reconciliation {
    /// Whether every endpoint read is in a profile or excluded for a stated reason.
    pub fn holds(&self) -> bool {
        self.endpoints_read == self.in_profiles + self.invalid_address + self.inactive_excluded + self.duplicate
            && self.by_channel.values().map(|c| c.read).sum::<u64>() == self.endpoints_read
    }

    /// Whether some input could not be read (a run does not load it without the user's say).
    pub fn has_problems(&self) -> bool {
        self.unreadable_lines > 0 || self.damaged_pieces > 0
    }
}
