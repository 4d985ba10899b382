//! The blueprint: per client, the target tenancy (SES tenant, SMS pools, Connect topology, Customer
//! Profiles domain, campaigns and flows to create, analytics destinations, tags), the quota pre-flight
//! for the whole engagement, and the decisions people must make — all derived deterministically from an
//! [`Assessment`](crate::assess::Assessment) and the user's choices, following AWS's guidance for
//! multi-tenant (BPO) Pinpoint migrations.
//!
//! - [`plan`]: the per-client tenancy plan and its rules (which Connect topology, which reputation policy).
//! - [`quota`]: what the whole blueprint needs against the target accounts' default quotas.
//! - [`decisions`]: the judgement calls, each with owner, status, due date and note.
//! - [`store`]: choices, versions, decisions and sign-offs in the engagement file; drift since sign-off.

pub mod choices;
pub mod decisions;
pub mod plan;
pub mod quota;
pub mod store;
pub mod translation;

use serde::{Deserialize, Serialize};

use crate::Result;
use ts_rs::TS;

pub use choices::TenancyChoices;
pub use decisions::{Decision, DecisionKind, DecisionStatus};
pub use plan::{ClientPlan, ConnectTopology, PlanChoice, ReputationPolicy};
pub use quota::QuotaCheck;

use crate::assess::{self, Assessment};
use crate::estate::ResourceRecord;
use crate::translate::estate::{ClientScope, Placement, translate_clients};

/// The blueprint format this build writes; older saved versions are upgraded on read, newer refused.
pub const FORMAT: u32 = 1;

/// Everything reviewers sign off, for one scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Blueprint {
    pub format: u32,
    pub scan_id: String,
    pub clients: Vec<ClientPlan>,
    pub quotas: Vec<QuotaCheck>,
    /// Generated decisions merged with what people recorded on them.
    pub decisions: Vec<Decision>,
    pub assessment: Assessment,
}

impl Blueprint {
    pub fn client(&self, id: &str) -> Option<&ClientPlan> {
        self.clients.iter().find(|c| c.client == id)
    }

    /// Where `client`'s resources go (its tenancy's Connect instance, profiles domain, SES and SMS).
    pub fn placement(&self, client: &str) -> Result<Placement> {
        self.require_client("client", client)?;
        self.client(client)
            .map(ClientPlan::placement)
            .ok_or_else(|| crate::Error::invalid("client", format!("client {client:?} has no tenancy")))
    }

    /// `client`'s records and placement, for translating its resources.
    pub fn scope<'a>(&'a self, records: &'a [ResourceRecord], client: &str) -> Result<ClientScope<'a>> {
        ClientScope::new(&self.assessment, records, self.placement(client)?)
    }

    /// An error naming `field` and the known clients unless `client` is one of them.
    pub fn require_client(&self, field: &str, client: &str) -> Result<()> {
        if self.assessment.client(client).is_some() {
            return Ok(());
        }
        let known: Vec<&str> = self.assessment.clients.iter().map(|c| c.client.id.as_str()).collect();
        Err(crate::Error::invalid(field, format!("no client {client:?}; the clients are {}", known.join(", "))))
    }
}

/// Builds the blueprint of one scan: assessment, per-client plans, quota pre-flight and decisions.
/// `recorded` is what people already recorded on decisions (owner, status…), merged by decision id.
pub fn build(
    scan_id: &str,
    records: &[ResourceRecord],
    choices: &TenancyChoices,
    recorded: &[decisions::Recorded],
) -> Result<Blueprint> {
    let assessment = assess::assess(scan_id, records, &choices.clients)?;
    let clients = plan::plan(records, &assessment, choices)?;
    let quotas = quota::preflight(&clients, &assessment);
    let decisions = decisions::generate(&assessment, &clients, &quotas, recorded);
    let mut blueprint =
        Blueprint { format: FORMAT, scan_id: scan_id.to_owned(), clients, quotas, decisions, assessment };
    let placements = blueprint.clients.iter().map(ClientPlan::placement).collect();
    let mut translations = translate_clients(&blueprint.assessment, records, placements, jiff::Timestamp::UNIX_EPOCH);
    for c in &mut blueprint.clients {
        c.translations = translations.remove(&c.client).map(|t| t.summaries()).unwrap_or_default();
    }
    Ok(blueprint)
}
