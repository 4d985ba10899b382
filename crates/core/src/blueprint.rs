//! The blueprint: per client, the target tenancy (SES tenant, SMS pools, Connect topology, Customer
//! Profiles domain, campaigns and flows to create, analytics routes, tags), the quota pre-flight for the
//! whole engagement, and the decisions people must make — all derived deterministically from an
//! [`Assessment`](crate::assess::Assessment) and the user's choices, following AWS's guidance for
//! multi-tenant (BPO) Pinpoint migrations. From a blueprint and its scan, [`graph`] derives the desired
//! state: every target resource each client needs, as the request bodies the target APIs take.
//!
//! - [`choices`]: what people chose (clients, owners, tenancy overrides), as stored.
//! - [`tenancy`]: each client's target tenancy and the rules that decide it.
//! - [`graph`]: the target resources of a blueprint (the desired state) in dependency order.
//! - [`quota`]: what the graph needs against the target accounts' default quotas.
//! - [`decisions`]: the judgement calls, each with owner, status, due date and note.
//! - [`edit`]: reviewers' edits, each one call checked against the current blueprint.
//! - [`store`]: choices, versions, decisions and sign-offs in the engagement file; drift since sign-off.
//! - [`upgrade`]: saved blueprints of older formats read as this build's.
//! - [`translation`]: translating one resource of the current blueprint, with its proof (both front ends).

pub mod choices;
pub mod decisions;
pub mod edit;
pub mod graph;
pub mod quota;
pub mod store;
pub mod tenancy;
pub mod translation;
pub mod upgrade;

use serde::{Deserialize, Serialize};

use crate::Result;
use ts_rs::TS;

pub use choices::TenancyChoices;
pub use decisions::{Decision, DecisionKind, DecisionStatus};
pub use graph::{TargetGraph, TargetResource};
pub use quota::QuotaCheck;
pub use tenancy::{ClientTenancy, ConnectTopology, ReputationPolicy, TenancyOverride};

use crate::assess::{self, Assessment};
use crate::estate::ResourceRecord;
use crate::translate::estate::{ClientScope, Placement, translate_clients};

/// The blueprint format this build writes; older saved versions are upgraded on read, newer refused.
/// Format 2 types what format 1 kept as prose (event destinations, sender IDs, message templates,
/// communication limits, campaign channels, what is not created, analytics routes).
pub const FORMAT: u32 = 2;

/// Everything reviewers sign off, for one scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Blueprint {
    pub format: u32,
    pub scan_id: String,
    pub clients: Vec<ClientTenancy>,
    pub quotas: Vec<QuotaCheck>,
    /// Generated decisions merged with what people recorded on them.
    pub decisions: Vec<Decision>,
    pub assessment: Assessment,
}

impl Blueprint {
    pub fn client(&self, id: &str) -> Option<&ClientTenancy> {
        self.clients.iter().find(|c| c.client == id)
    }

    /// Where `client`'s resources go (its tenancy's Connect instance, profiles domain, SES and SMS).
    pub fn placement(&self, client: &str) -> Result<Placement> {
        self.require_client("client", client)?;
        self.client(client)
            .map(ClientTenancy::placement)
            .ok_or_else(|| crate::Error::invalid("client", format!("client {client:?} has no tenancy")))
    }

    /// `client`'s records and placement, for translating its resources.
    pub fn scope<'a>(&'a self, records: &'a [ResourceRecord], client: &str) -> Result<ClientScope<'a>> {
        ClientScope::new(&self.assessment, records, self.placement(client)?)
    }

    /// An error naming `field` and the known clients unless `client` is one of them.
    pub fn require_client(&self, field: &str, client: &str) -> Result<()> {
        self.assessment.require_client(field, client).map(|_| ())
    }
}

/// Builds the blueprint of one scan: assessment, per-client tenancies (with their translations'
/// summaries), the quota pre-flight of its target graph and decisions. `recorded` is what people already
/// recorded on decisions (owner, status…), merged by decision id.
pub fn build(
    scan_id: &str,
    records: &[ResourceRecord],
    choices: &TenancyChoices,
    recorded: &[decisions::Recorded],
) -> Result<Blueprint> {
    let assessment = assess::assess(scan_id, records, &choices.clients)?;
    let clients = tenancy::derive(records, &assessment, choices)?;
    let mut blueprint = Blueprint {
        format: FORMAT,
        scan_id: scan_id.to_owned(),
        clients,
        quotas: Vec::new(),
        decisions: Vec::new(),
        assessment,
    };
    let placements = blueprint.clients.iter().map(ClientTenancy::placement).collect();
    // Counting resources does not depend on the day: campaign schedules are written relative to the epoch.
    let translations = translate_clients(&blueprint.assessment, records, placements, jiff::Timestamp::UNIX_EPOCH);
    for c in &mut blueprint.clients {
        c.translations = translations.get(&c.client).map(|t| t.summaries()).unwrap_or_default();
    }
    let graph = graph::derive_with(&blueprint, records, &translations)?;
    blueprint.quotas = quota::preflight(&graph);
    blueprint.decisions = decisions::generate(&blueprint.assessment, &blueprint.clients, &blueprint.quotas, recorded);
    Ok(blueprint)
}
