//! One module per AWS service the sandbox serves.

pub mod pinpoint;
pub mod sts;
