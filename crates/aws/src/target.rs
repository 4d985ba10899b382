//! The target side of migration runs: core's `TargetPort` over the official SDK clients, one writer per
//! service (each reads, creates and removes the kinds of its service). Clients are made per Region from
//! the run's connection.
//!
//! - [`ses`]: SES v2 (identities, configuration sets, event destinations, tenants, associations,
//!   reputation policy, suppression settings, email templates).
//! - [`sms`]: End User Messaging SMS v2 (pools, members, settings, keywords, configuration sets, event
//!   destinations, default sender IDs, opt-out lists).
//!
//! The other services' writers (Connect, Customer Profiles, Outbound Campaigns, Q in Connect) are not in
//! this build yet: their steps plan as "not automated".

pub mod ses;
pub mod sms;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_config::SdkConfig;
use pinshift_core::blueprint::graph::TargetResource;
use pinshift_core::migration::plan::{Created, Found, Observed, TargetPort};
use pinshift_core::target::TargetKind;
use pinshift_core::{Error, Result};
use serde_json::Value;

use crate::source::pace::{Pacer, target_rate};

/// What every writer call needs besides its client.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub account_id: &'a str,
    pub connection: &'a str,
    pub region: &'a str,
    pacer: &'a Pacer,
}

impl Ctx<'_> {
    /// Waits for `operation`'s turn under its published rate (in this account and Region), if it has one.
    async fn pace(&self, service: &str, operation: &str) {
        if let Some((bucket, rate)) = target_rate(service, operation) {
            self.pacer.wait(&format!("{}/{}/{bucket}", self.account_id, self.region), rate).await;
        }
    }

    fn error<E, R>(&self, operation: &str, error: aws_sdk_sesv2::error::SdkError<E, R>) -> Error
    where
        E: aws_sdk_sesv2::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug,
    {
        crate::errors::from_sdk(operation, self.connection, error)
    }

    fn build(&self, operation: &str, error: impl std::fmt::Display) -> Error {
        Error::invalid(operation, format!("the request cannot be built: {error}"))
    }

    fn unsupported(&self, operation: &str, kind: TargetKind) -> Error {
        Error::Internal(format!("{operation}: this build has no writer for a {}", kind.label()))
    }
}

/// A string member.
fn s(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A boolean member.
fn b(value: &Value, key: &str) -> Option<bool> {
    value.get(key).and_then(Value::as_bool)
}

/// A list of strings.
fn strings(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

/// An SDK enum from its wire value.
fn enum_of<T: for<'a> From<&'a str>>(value: &str) -> T {
    T::from(value)
}

/// The AWS target of one connection.
#[derive(Debug)]
pub struct AwsTarget {
    config: SdkConfig,
    account_id: String,
    connection: String,
    pacer: Arc<Pacer>,
    ses: Mutex<HashMap<String, aws_sdk_sesv2::Client>>,
    sms: Mutex<HashMap<String, aws_sdk_pinpointsmsvoicev2::Client>>,
}

/// Attempts per call: pacing keeps to the published rates, retries (standard mode, with jitter) ride out
/// what others in the account use and AWS's transient errors.
const ATTEMPTS: u32 = 6;

impl AwsTarget {
    pub fn new(config: SdkConfig, account_id: &str, connection: &str) -> AwsTarget {
        AwsTarget {
            config,
            account_id: account_id.to_owned(),
            connection: connection.to_owned(),
            pacer: Arc::new(Pacer::new(1)),
            ses: Mutex::new(HashMap::new()),
            sms: Mutex::new(HashMap::new()),
        }
    }

    fn ctx<'a>(&'a self, region: &'a str) -> Ctx<'a> {
        Ctx { account_id: &self.account_id, connection: &self.connection, region, pacer: &self.pacer }
    }

    fn ses(&self, region: &str) -> aws_sdk_sesv2::Client {
        let mut clients = self.ses.lock().unwrap_or_else(|p| p.into_inner());
        clients
            .entry(region.to_owned())
            .or_insert_with(|| {
                aws_sdk_sesv2::Client::from_conf(
                    aws_sdk_sesv2::config::Builder::from(&self.config)
                        .region(aws_sdk_sesv2::config::Region::new(region.to_owned()))
                        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(ATTEMPTS))
                        .build(),
                )
            })
            .clone()
    }

    fn sms(&self, region: &str) -> aws_sdk_pinpointsmsvoicev2::Client {
        let mut clients = self.sms.lock().unwrap_or_else(|p| p.into_inner());
        clients
            .entry(region.to_owned())
            .or_insert_with(|| {
                aws_sdk_pinpointsmsvoicev2::Client::from_conf(
                    aws_sdk_pinpointsmsvoicev2::config::Builder::from(&self.config)
                        .region(aws_sdk_pinpointsmsvoicev2::config::Region::new(region.to_owned()))
                        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(ATTEMPTS))
                        .build(),
                )
            })
            .clone()
    }

    fn check_account(&self, resource: &TargetResource) -> Result<()> {
        if resource.account_id == self.account_id {
            Ok(())
        } else {
            Err(Error::invalid(
                "connection",
                format!(
                    "{} belongs in account {}, but connection {:?} reaches account {}",
                    resource.id, resource.account_id, self.connection, self.account_id
                ),
            ))
        }
    }
}

impl TargetPort for AwsTarget {
    fn supports(&self, kind: TargetKind) -> bool {
        ses::supports(kind) || sms::supports(kind)
    }

    async fn observe(&self, resource: &TargetResource, request: &Value) -> Result<Observed> {
        self.check_account(resource)?;
        let (ctx, region) = (self.ctx(&resource.region), resource.region.as_str());
        if sms::supports(resource.kind) {
            sms::observe(&ctx, &self.sms(region), resource, request).await
        } else {
            ses::observe(&ctx, &self.ses(region), resource, request).await
        }
    }

    async fn create(&self, resource: &TargetResource, request: &Value, token: &str) -> Result<Created> {
        self.check_account(resource)?;
        let (ctx, region) = (self.ctx(&resource.region), resource.region.as_str());
        if sms::supports(resource.kind) {
            sms::create(&ctx, &self.sms(region), resource, request, token).await
        } else {
            ses::create(&ctx, &self.ses(region), resource, request).await
        }
    }

    async fn delete(&self, resource: &TargetResource, request: &Value, found: &Found) -> Result<()> {
        self.check_account(resource)?;
        let (ctx, region) = (self.ctx(&resource.region), resource.region.as_str());
        if sms::supports(resource.kind) {
            sms::delete(&ctx, &self.sms(region), resource, request, found).await
        } else {
            ses::delete(&ctx, &self.ses(region), resource, request).await
        }
    }
}
