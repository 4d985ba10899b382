//! One module per AWS service the sandbox serves.

pub mod pinpoint;
pub mod s3;
pub mod sesv2;
pub mod smsv2;
pub mod sts;
