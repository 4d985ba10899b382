//! Integration tests of pinshift-core: the engagement file, connections against both secret stores, and
//! the generated IPC bindings.

mod audience;
mod bindings;
mod connections;
mod engagement;
mod explore;
mod keychain;
mod layering;
mod scan;
mod template_properties;
mod templates;
mod translations;
mod upgrade;

use jiff::Timestamp;
use pinshift_core::clock::FixedClock;

pub fn clock() -> FixedClock {
    FixedClock("2026-11-23T09:00:00Z".parse::<Timestamp>().expect("timestamp"))
}
