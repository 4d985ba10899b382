//! The assessment: from an estate (one scan) and the user's tenancy choices, the clients, the
//! attribution of account-level resources to them, and the findings — per client and capability, what
//! moves where, how well it fits, and what it costs. Deterministic and offline: the same estate and
//! choices always give the same assessment.
//!
//! Findings come from the rule table in [`rules`] (data: each rule names the fields it reads); clients
//! and attribution from [`clients`].

pub mod clients;
pub mod coverage;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use clients::{
    Attribution, AttributionStatus, Basis, Client, ClientChoices, Confidence, OwnerChoice, ProjectRef, Proposal,
    UNASSIGNED,
};
pub use rules::{RULES, Rule, When};

use crate::estate::{ResourceKind, ResourceRecord};

/// How well a Pinpoint capability maps to its successor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    /// Moves as it is.
    Direct,
    /// Moves, with a mechanical change (a rewrite Pinshift can do).
    Transform,
    /// Needs a person to redesign it on the target.
    Rethink,
    /// Nothing on the target does this.
    NoSuccessor,
}

impl Fit {
    /// Plain words for reviewers (colour is never the only signal).
    pub fn label(self) -> &'static str {
        match self {
            Fit::Direct => "Moves as is",
            Fit::Transform => "Moves with changes",
            Fit::Rethink => "Needs redesign",
            Fit::NoSuccessor => "No successor",
        }
    }
}

/// A column of the clients × capabilities matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    Email,
    Sms,
    Voice,
    Push,
    InApp,
    CustomChannel,
    Templates,
    Segments,
    Campaigns,
    Journeys,
    /// Limits, quiet time, open hours, caps.
    Cadence,
    /// Endpoints, user attributes, opt-outs.
    Audience,
    /// Event stream, KPIs.
    Analytics,
    Recommenders,
    /// Phone numbers, sender IDs, pools, registrations.
    Origination,
}

impl Capability {
    pub const ALL: [Capability; 15] = [
        Capability::Email,
        Capability::Sms,
        Capability::Voice,
        Capability::Push,
        Capability::InApp,
        Capability::CustomChannel,
        Capability::Templates,
        Capability::Segments,
        Capability::Campaigns,
        Capability::Journeys,
        Capability::Cadence,
        Capability::Audience,
        Capability::Analytics,
        Capability::Recommenders,
        Capability::Origination,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Capability::Email => "Email",
            Capability::Sms => "SMS",
            Capability::Voice => "Voice",
            Capability::Push => "Push",
            Capability::InApp => "In-app",
            Capability::CustomChannel => "Custom channel",
            Capability::Templates => "Templates",
            Capability::Segments => "Segments",
            Capability::Campaigns => "Campaigns",
            Capability::Journeys => "Journeys",
            Capability::Cadence => "Limits & quiet time",
            Capability::Audience => "Audience & opt-outs",
            Capability::Analytics => "Events & KPIs",
            Capability::Recommenders => "Recommenders",
            Capability::Origination => "Numbers & sender IDs",
        }
    }
}

/// A successor service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Amazon SES v2 (with tenants).
    Ses,
    /// AWS End User Messaging SMS and voice v2.
    EndUserMessaging,
    /// Amazon Connect (instance, flows).
    Connect,
    CustomerProfiles,
    OutboundCampaigns,
    /// Amazon Q in Connect message templates.
    QInConnect,
    /// Kinesis / Firehose / EventBridge and archives.
    Analytics,
    /// No AWS successor.
    None,
}

impl Service {
    pub fn label(self) -> &'static str {
        match self {
            Service::Ses => "Amazon SES",
            Service::EndUserMessaging => "End User Messaging SMS",
            Service::Connect => "Amazon Connect",
            Service::CustomerProfiles => "Customer Profiles",
            Service::OutboundCampaigns => "Outbound Campaigns",
            Service::QInConnect => "Q in Connect templates",
            Service::Analytics => "Kinesis / Firehose / archive",
            Service::None => "No successor",
        }
    }
}

/// One scanned resource, by where it lives and what it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct ResourceRef {
    pub account_id: String,
    pub region: String,
    /// Empty for account-level resources.
    pub project_id: String,
    pub kind: ResourceKind,
    pub id: String,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ResourceRef {
    pub fn of(record: &ResourceRecord) -> ResourceRef {
        ResourceRef {
            account_id: record.account_id.clone(),
            region: record.region.clone(),
            project_id: record.project_id.clone(),
            kind: record.kind,
            id: record.id.clone(),
            name: record.name.clone(),
        }
    }

    /// `account/Region/kind/id` (project resources: `account/Region/project/kind/id`): stable across scans.
    pub fn key(&self) -> String {
        key(&self.account_id, &self.region, &self.project_id, self.kind, &self.id)
    }

    /// What people call it: its name, else its id.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

pub(crate) fn key(account: &str, region: &str, project: &str, kind: ResourceKind, id: &str) -> String {
    if project.is_empty() {
        format!("{account}/{region}/{}/{id}", kind.as_str())
    } else {
        format!("{account}/{region}/{project}/{}/{id}", kind.as_str())
    }
}

/// A field a finding read, with its value as text (shortened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Evidence {
    /// The concrete path in the raw payload, e.g. `AdditionalTreatments[0]` or `Schedule.Frequency`.
    pub field: String,
    pub value: String,
}

/// For one client and one used capability: what it maps to and how well.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Finding {
    /// `rule@resource key`: stable across runs of the same estate.
    pub id: String,
    pub rule: String,
    pub client: String,
    /// The resource is attributed to more than one client (counted once in the engagement's effort).
    pub shared: bool,
    pub capability: Capability,
    pub resource: ResourceRef,
    pub evidence: Vec<Evidence>,
    pub service: Service,
    /// The successor resource, e.g. `Outbound Campaigns v2 campaign (MANAGED)`.
    pub successor: String,
    pub fit: Fit,
    pub reason: String,
    pub action: String,
    pub effort: u32,
}

/// Effort bands (points): Low < 10, Medium < 30, High < 70, Very high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Low,
    Medium,
    High,
    VeryHigh,
}

impl Band {
    pub fn of(points: u32) -> Band {
        match points {
            0..10 => Band::Low,
            10..30 => Band::Medium,
            30..70 => Band::High,
            _ => Band::VeryHigh,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::Low => "Low",
            Band::Medium => "Medium",
            Band::High => "High",
            Band::VeryHigh => "Very high",
        }
    }
}

/// One client's share of the assessment: its findings' totals and the matrix row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ClientAssessment {
    pub client: Client,
    pub findings: u32,
    pub effort: u32,
    pub band: Band,
    /// The worst fit per capability the client uses (a row of the mapping matrix).
    pub fits: BTreeMap<Capability, Fit>,
    /// Findings per fit, for the summary.
    pub by_fit: BTreeMap<Fit, u32>,
}

/// The whole assessment of one scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Assessment {
    pub scan_id: String,
    pub clients: Vec<ClientAssessment>,
    pub attributions: Vec<Attribution>,
    pub findings: Vec<Finding>,
    /// Engagement effort: every finding once (a shared resource's findings count once).
    pub effort: u32,
    pub band: Band,
}

impl Assessment {
    pub fn client(&self, id: &str) -> Option<&ClientAssessment> {
        self.clients.iter().find(|c| c.client.id == id)
    }

    /// The client `id`, or an error naming `field` and the known clients.
    pub fn require_client(&self, field: &str, id: &str) -> crate::Result<&ClientAssessment> {
        self.client(id).ok_or_else(|| {
            let known: Vec<&str> = self.clients.iter().map(|c| c.client.id.as_str()).collect();
            crate::Error::invalid(field, format!("no client {id:?}; the clients are {}", known.join(", ")))
        })
    }

    pub fn findings_of<'a>(&'a self, client: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.client == client)
    }
}

/// Kinds whose records the rules read. Version and metric records repeat their resource; KPIs feed the
/// blueprint's reputation judgement instead.
fn assessed(kind: ResourceKind) -> bool {
    !matches!(
        kind,
        ResourceKind::SegmentVersion
            | ResourceKind::CampaignVersion
            | ResourceKind::CampaignActivity
            | ResourceKind::TemplateVersion
            | ResourceKind::JourneyMetrics
            | ResourceKind::Kpi
    )
}

/// Assesses one scan's records under the user's choices.
pub fn assess(scan_id: &str, records: &[ResourceRecord], choices: &ClientChoices) -> crate::Result<Assessment> {
    let tenancy = clients::resolve(records, choices)?;
    let mut findings = Vec::new();
    for record in records.iter().filter(|r| assessed(r.kind)) {
        let owners: Vec<String> = if record.project_id.is_empty() {
            tenancy.owners(record)
        } else {
            tenancy.client_of_project(record).into_iter().collect()
        };
        if owners.is_empty() {
            continue;
        }
        for rule in RULES.iter().filter(|rule| rule.kind == record.kind) {
            let Some(evidence) = rule.when.evaluate(&record.raw) else { continue };
            let resource = ResourceRef::of(record);
            for client in &owners {
                findings.push(Finding {
                    id: format!("{}@{}", rule.id, resource.key()),
                    rule: rule.id.to_owned(),
                    client: client.clone(),
                    shared: owners.len() > 1,
                    capability: rule.capability,
                    resource: resource.clone(),
                    evidence: evidence.clone(),
                    service: rule.service,
                    successor: rule.successor.to_owned(),
                    fit: rule.fit,
                    reason: rule.reason.to_owned(),
                    action: rule.action.to_owned(),
                    effort: rule.effort,
                });
            }
        }
    }
    findings.sort_by(|a, b| (&a.client, &a.resource, &a.rule).cmp(&(&b.client, &b.resource, &b.rule)));

    let clients = tenancy
        .clients
        .iter()
        .map(|client| {
            let mine: Vec<&Finding> = findings.iter().filter(|f| f.client == client.id).collect();
            let mut fits = BTreeMap::new();
            let mut by_fit = BTreeMap::new();
            for f in &mine {
                let worst = fits.entry(f.capability).or_insert(f.fit);
                *worst = (*worst).max(f.fit);
                *by_fit.entry(f.fit).or_insert(0) += 1;
            }
            let effort = mine.iter().map(|f| f.effort).sum();
            ClientAssessment {
                client: client.clone(),
                findings: mine.len() as u32,
                effort,
                band: Band::of(effort),
                fits,
                by_fit,
            }
        })
        .collect();
    let mut counted = BTreeSet::new();
    let effort = findings.iter().filter(|f| counted.insert(f.id.as_str())).map(|f| f.effort).sum();
    Ok(Assessment {
        scan_id: scan_id.to_owned(),
        clients,
        attributions: tenancy.attributions,
        findings,
        effort,
        band: Band::of(effort),
    })
}
