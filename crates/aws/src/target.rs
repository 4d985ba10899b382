//! The target side of migration runs: core's `TargetPort` over the official SDK clients, one writer per
//! service (each reads, creates and removes the kinds of its service). Clients are made per Region from
//! the run's connection.
//!
//! - [`ses`]: SES v2 (identities, configuration sets, event destinations, tenants, associations,
//!   reputation policy, suppression settings, email templates).
//! - [`sms`]: End User Messaging SMS v2 (pools, members, settings, keywords, configuration sets, event
//!   destinations, default sender IDs, opt-out lists).
//! - [`qconnect`]: Q in Connect (the message-template knowledge base, templates, their active version).
//! - [`profiles`]: Customer Profiles (domain, object type, instance integration, segment definitions).
//! - [`connect`]: Amazon Connect (instances, the knowledge-base integration, CAMPAIGN flows as drafts).
//! - [`campaigns`]: Outbound Campaigns v2 (onboarding, integrations, limits, campaigns left unstarted).
//! - [`sns`]: SNS (the topic a client's SMS events go to, with End User Messaging's publish policy).
//! - [`tags`]: Pinshift's tags on the SES and SMS resources a run adopts.
//!
//! What AWS creates asynchronously (a Connect instance, an onboarding job) is waited for up to the run's
//! wait; past it the resource is left pending and what needs it waits for a resume. [`wire`] holds the
//! exact-body and raw-response interceptors the nested shapes go through.

pub mod audience;
pub mod campaigns;
pub mod connect;
pub mod profiles;
pub mod qconnect;
pub mod ses;
pub mod sms;
pub mod sns;
pub mod tags;
pub mod wire;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::SdkConfig;
use pinshift_core::blueprint::graph::TargetResource;
use pinshift_core::migration::plan::{Created, Found, Observed, Readiness, TargetPort};
use pinshift_core::migration::verify::{Rendering, SegmentSize, VerifyPort};
use pinshift_core::target::{TargetKind, TargetService};
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
    /// How long a create waits for what AWS brings up asynchronously.
    wait: Duration,
    rate_scale: f64,
}

/// How often an asynchronous creation is polled.
const POLL: Duration = Duration::from_secs(5);
/// How long a create waits by default: AWS documents minutes for a Connect instance.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(15 * 60);

impl Ctx<'_> {
    /// Waits for `operation`'s turn under its published rate (in this account and Region), if it has one.
    async fn pace(&self, service: &str, operation: &str) {
        if let Some((bucket, rate)) = target_rate(service, operation) {
            self.pacer.wait(&format!("{}/{}/{bucket}", self.account_id, self.region), rate * self.rate_scale).await;
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

/// After a create AWS finishes asynchronously: what `state` answers (`None` once ready) polled until
/// ready or the run's wait is over.
async fn until_ready<F, Fut>(ctx: &Ctx<'_>, mut pending: Option<String>, state: F) -> Result<Option<String>>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>>>,
{
    let deadline = std::time::Instant::now() + ctx.wait;
    while pending.is_some() {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            break;
        }
        tokio::time::sleep(left.min(POLL)).await;
        pending = started(state().await)?;
        if pending.as_deref().is_some_and(|p| p.starts_with(UNREAD)) {
            break;
        }
    }
    Ok(pending)
}

const UNREAD: &str = "status not read: ";

/// A state read after the create: the resource exists from then on, so a status that cannot be read leaves
/// it pending (recorded as created, so a rollback knows it), never a failed create a later run would adopt.
fn started(state: Result<Option<String>>) -> Result<Option<String>> {
    match state {
        Err(error @ Error::Aws { .. }) => Ok(Some(format!("{UNREAD}{error}"))),
        other => other,
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

/// The clients of one Region.
#[derive(Debug, Clone)]
struct Clients {
    ses: aws_sdk_sesv2::Client,
    sms: aws_sdk_pinpointsmsvoicev2::Client,
    connect: aws_sdk_connect::Client,
    profiles: aws_sdk_customerprofiles::Client,
    campaigns: aws_sdk_connectcampaignsv2::Client,
    qconnect: aws_sdk_qconnect::Client,
    sns: aws_sdk_sns::Client,
}

/// The AWS target of one connection.
#[derive(Debug)]
pub struct AwsTarget {
    config: SdkConfig,
    account_id: String,
    connection: String,
    pacer: Arc<Pacer>,
    wait: Duration,
    /// Published rates times this (1 by default): for an account whose quotas AWS raised.
    rate_scale: f64,
    clients: Mutex<HashMap<String, Clients>>,
}

/// Attempts per call: pacing keeps to the published rates, retries (standard mode, with jitter) ride out
/// what others in the account use and AWS's transient errors.
const ATTEMPTS: u32 = 6;

/// One service's client for `region`, with the run's retry policy.
macro_rules! client {
    ($sdk:ident, $config:expr, $region:expr) => {
        $sdk::Client::from_conf(
            $sdk::config::Builder::from($config)
                .region($sdk::config::Region::new($region.to_owned()))
                .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(ATTEMPTS))
                .build(),
        )
    };
}

impl AwsTarget {
    pub fn new(config: SdkConfig, account_id: &str, connection: &str) -> AwsTarget {
        AwsTarget {
            config,
            account_id: account_id.to_owned(),
            connection: connection.to_owned(),
            pacer: Arc::new(Pacer::new(1)),
            wait: DEFAULT_WAIT,
            rate_scale: 1.0,
            clients: Mutex::new(HashMap::new()),
        }
    }

    /// Paces target calls at `scale` times AWS's published default rates (an account whose quotas AWS
    /// raised; the sandbox, which has none). Ignored unless positive and finite.
    pub fn with_rate_scale(mut self, scale: f64) -> AwsTarget {
        if scale.is_finite() && scale > 0.0 {
            self.rate_scale = scale;
        }
        self
    }

    /// How long a create waits for what AWS brings up asynchronously before leaving it pending.
    pub fn with_wait(mut self, wait: Duration) -> AwsTarget {
        self.wait = wait;
        self
    }

    fn ctx<'a>(&'a self, region: &'a str) -> Ctx<'a> {
        Ctx {
            account_id: &self.account_id,
            connection: &self.connection,
            region,
            pacer: &self.pacer,
            wait: self.wait,
            rate_scale: self.rate_scale,
        }
    }

    fn clients(&self, region: &str) -> Clients {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        clients
            .entry(region.to_owned())
            .or_insert_with(|| Clients {
                ses: client!(aws_sdk_sesv2, &self.config, region),
                sms: client!(aws_sdk_pinpointsmsvoicev2, &self.config, region),
                connect: client!(aws_sdk_connect, &self.config, region),
                profiles: client!(aws_sdk_customerprofiles, &self.config, region),
                campaigns: client!(aws_sdk_connectcampaignsv2, &self.config, region),
                qconnect: client!(aws_sdk_qconnect, &self.config, region),
                sns: client!(aws_sdk_sns, &self.config, region),
            })
            .clone()
    }

    fn check_account(&self, resource: &TargetResource) -> Result<()> {
        self.check_reaches(&resource.id, &resource.account_id)
    }

    /// Refuses `what` when it belongs in another account than the connection reaches.
    fn check_reaches(&self, what: &str, account_id: &str) -> Result<()> {
        if account_id == self.account_id {
            Ok(())
        } else {
            Err(Error::invalid(
                "connection",
                format!(
                    "{what} belongs in account {account_id}, but connection {:?} reaches account {}",
                    self.connection, self.account_id
                ),
            ))
        }
    }
}

impl TargetPort for AwsTarget {
    fn supports(&self, kind: TargetKind) -> bool {
        ses::supports(kind)
            || sms::supports(kind)
            || qconnect::supports(kind)
            || profiles::supports(kind)
            || connect::supports(kind)
            || campaigns::supports(kind)
            || tags::supports(kind)
            || sns::supports(kind)
    }

    async fn observe(&self, resource: &TargetResource, request: &Value) -> Result<Observed> {
        self.check_account(resource)?;
        let (ctx, c) = (self.ctx(&resource.region), self.clients(&resource.region));
        let kind = resource.kind;
        if sns::supports(kind) {
            sns::observe(&ctx, &c.sns, resource, request).await
        } else if sms::supports(kind) {
            sms::observe(&ctx, &c.sms, resource, request).await
        } else if qconnect::supports(kind) {
            qconnect::observe(&ctx, &c.qconnect, resource, request).await
        } else if profiles::supports(kind) {
            profiles::observe(&ctx, &c.profiles, resource, request).await
        } else if connect::supports(kind) {
            connect::observe(&ctx, &c.connect, resource, request).await
        } else if campaigns::supports(kind) {
            campaigns::observe(&ctx, &c.campaigns, resource, request).await
        } else if tags::supports(kind) {
            tags::observe(&ctx, &c.ses, &c.sms, request).await
        } else {
            ses::observe(&ctx, &c.ses, resource, request).await
        }
    }

    async fn create(&self, resource: &TargetResource, request: &Value, token: &str) -> Result<Created> {
        self.check_account(resource)?;
        let (ctx, c) = (self.ctx(&resource.region), self.clients(&resource.region));
        let kind = resource.kind;
        if sns::supports(kind) {
            sns::create(&ctx, &c.sns, resource, request).await
        } else if sms::supports(kind) {
            sms::create(&ctx, &c.sms, resource, request, token).await
        } else if qconnect::supports(kind) {
            qconnect::create(&ctx, &c.qconnect, resource, request, token).await
        } else if profiles::supports(kind) {
            profiles::create(&ctx, &c.profiles, resource, request).await
        } else if connect::supports(kind) {
            connect::create(&ctx, &c.connect, resource, request, token).await
        } else if campaigns::supports(kind) {
            campaigns::create(&ctx, &c.campaigns, resource, request).await
        } else if tags::supports(kind) {
            tags::create(&ctx, &c.ses, &c.sms, resource, request).await
        } else {
            ses::create(&ctx, &c.ses, resource, request).await
        }
    }

    async fn precondition(&self, resource: &TargetResource) -> Result<Option<String>> {
        self.check_account(resource)?;
        let (ctx, c) = (self.ctx(&resource.region), self.clients(&resource.region));
        sms::precondition(&ctx, &c.sms, resource).await
    }

    async fn readiness(&self, service: TargetService, account_id: &str, region: &str) -> Result<Option<Readiness>> {
        if account_id != self.account_id {
            return Ok(None);
        }
        let (ctx, c) = (self.ctx(region), self.clients(region));
        match service {
            TargetService::Ses => ses::readiness(&ctx, &c.ses).await.map(Some),
            TargetService::Sms => sms::readiness(&ctx, &c.sms).await.map(Some),
            _ => Ok(None),
        }
    }

    async fn delete(&self, resource: &TargetResource, request: &Value, found: &Found) -> Result<()> {
        self.check_account(resource)?;
        let (ctx, c) = (self.ctx(&resource.region), self.clients(&resource.region));
        let kind = resource.kind;
        if sns::supports(kind) {
            sns::delete(&ctx, &c.sns, resource, request).await
        } else if sms::supports(kind) {
            sms::delete(&ctx, &c.sms, resource, request, found).await
        } else if qconnect::supports(kind) {
            qconnect::delete(&ctx, &c.qconnect, resource, request, found).await
        } else if profiles::supports(kind) {
            profiles::delete(&ctx, &c.profiles, resource, request).await
        } else if connect::supports(kind) {
            connect::delete(&ctx, &c.connect, resource, request, found).await
        } else if campaigns::supports(kind) {
            campaigns::delete(&ctx, &c.campaigns, resource, request, found).await
        } else if tags::supports(kind) {
            tags::delete(&ctx, &c.ses, &c.sms, request, found).await
        } else {
            ses::delete(&ctx, &c.ses, resource, request).await
        }
    }
}

impl VerifyPort for AwsTarget {
    async fn render(
        &self,
        resource: &TargetResource,
        request: &Value,
        found: &Found,
        input: &Value,
    ) -> Result<Rendering> {
        self.check_account(resource)?;
        let (ctx, c) = (self.ctx(&resource.region), self.clients(&resource.region));
        match resource.kind {
            TargetKind::SesEmailTemplate => ses::render(&ctx, &c.ses, request, input).await,
            TargetKind::MessageTemplate => qconnect::render(&ctx, &c.qconnect, request, found, input).await,
            other => Err(ctx.unsupported("render", other)),
        }
    }

    async fn tags(&self, resource: &TargetResource, arn: &str) -> Result<std::collections::BTreeMap<String, String>> {
        self.check_account(resource)?;
        let (ctx, c) = (self.ctx(&resource.region), self.clients(&resource.region));
        tags::read(&ctx, &c, arn).await
    }

    async fn estimate(&self, resource: &TargetResource, request: &Value) -> Result<SegmentSize> {
        self.check_account(resource)?;
        let (ctx, c) = (self.ctx(&resource.region), self.clients(&resource.region));
        match resource.kind {
            TargetKind::SegmentDefinition => profiles::estimate(&ctx, &c.profiles, request).await,
            other => Err(ctx.unsupported("estimate", other)),
        }
    }
}
