//! One module per AWS service the sandbox serves.

pub mod campaigns;
pub mod connect;
pub mod pinpoint;
pub mod profiles;
pub mod qconnect;
pub mod render;
pub mod rest;
pub mod s3;
pub mod sesv2;
pub mod smsv2;
pub mod sns;
pub mod sts;
