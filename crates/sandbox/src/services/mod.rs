//! One module per AWS service the sandbox serves.

pub mod sts;
