//! Quota pre-flight: what the blueprint's target graph creates, per target account and Region, against the
//! default quotas AWS documents. A breach becomes a decision (request an increase, or change the topology).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::graph::{TargetGraph, TargetResource};
use crate::target::TargetKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QuotaStatus {
    Ok,
    /// The blueprint needs more than the default quota.
    Breach,
    /// AWS documents no fixed default Pinshift relies on: read Service Quotas before applying.
    Verify,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QuotaCheck {
    /// Stable id, e.g. `connect-instances/111122223333/us-east-1`.
    pub id: String,
    pub quota: String,
    /// `account` or `account/Region`.
    pub scope: String,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    pub needed: u32,
    pub status: QuotaStatus,
    /// Who needs what (each client's own, and what several clients share), and what to do on a breach.
    pub note: String,
}

struct Quota {
    kind: TargetKind,
    slug: &'static str,
    name: &'static str,
    per_region: bool,
    default: Option<u32>,
    remedy: &'static str,
}

/// Default quotas (reference §3, §5.1, §5.2; SES template limit from the SES v2 docs).
const CONNECT_INSTANCES: Quota = Quota {
    kind: TargetKind::ConnectInstance,
    slug: "connect-instances",
    // Service Quotas holds L-AA17A6B9 per Region: an account's instances in one Region count against it,
    // another Region's do not.
    name: "Amazon Connect instances per account (in each Region)",
    per_region: true,
    default: Some(2),
    remedy: "request an increase (Service Quotas, Amazon Connect) or move clients to a shared instance",
};
const PROFILE_DOMAINS: Quota = Quota {
    kind: TargetKind::ProfilesDomain,
    slug: "profiles-domains",
    name: "Customer Profiles domains per account and Region",
    per_region: true,
    default: Some(100),
    remedy: "request an increase or share domains",
};
const SES_TENANTS: Quota = Quota {
    kind: TargetKind::SesTenant,
    slug: "ses-tenants",
    name: "SES tenants per account and Region",
    per_region: true,
    default: Some(10_000),
    remedy: "request an increase (up to 300,000)",
};
const SES_TEMPLATES: Quota = Quota {
    kind: TargetKind::SesEmailTemplate,
    slug: "ses-templates",
    name: "SES email templates per Region",
    per_region: true,
    default: Some(20_000),
    remedy: "request an increase or consolidate templates",
};
const CAMPAIGNS: Quota = Quota {
    kind: TargetKind::Campaign,
    slug: "outbound-campaigns",
    name: "Outbound campaigns (all instances in the Region)",
    per_region: true,
    default: None,
    remedy: "read the connect-campaigns quotas in Service Quotas before applying",
};
const MESSAGE_TEMPLATES: Quota = Quota {
    kind: TargetKind::MessageTemplate,
    slug: "message-templates",
    name: "Q in Connect message templates (all knowledge bases in the Region)",
    per_region: true,
    default: None,
    remedy: "read the Amazon Q in Connect quotas in Service Quotas before applying",
};

const QUOTAS: [&Quota; 6] =
    [&CONNECT_INSTANCES, &PROFILE_DOMAINS, &SES_TENANTS, &SES_TEMPLATES, &CAMPAIGNS, &MESSAGE_TEMPLATES];

/// `3 for cobalt-games, dahlia-health, iris-insurance (1 each); 1 shared by 8 clients (aurora-books, … and 2 more)`
fn who(resources: &[&TargetResource]) -> String {
    let mut own: BTreeMap<&str, u32> = BTreeMap::new();
    let mut shared: BTreeMap<Vec<String>, u32> = BTreeMap::new();
    for r in resources {
        match r.clients.as_slice() {
            [one] => *own.entry(one.as_str()).or_default() += 1,
            many => *shared.entry(many.to_vec()).or_default() += 1,
        }
    }
    let list = |names: &[&str]| -> String {
        if names.len() > 6 {
            format!("{} and {} more", names[..6].join(", "), names.len() - 6)
        } else {
            names.join(", ")
        }
    };
    let mut parts = Vec::new();
    if !own.is_empty() {
        let total: u32 = own.values().sum();
        let names: Vec<&str> = own.keys().copied().collect();
        if own.values().all(|n| *n == 1) {
            parts.push(format!("{total} for {} (1 each)", list(&names)));
        } else {
            let each: Vec<String> = own.iter().map(|(c, n)| format!("{c} {n}")).collect();
            parts.push(format!(
                "{total} for single clients ({})",
                list(&each.iter().map(String::as_str).collect::<Vec<_>>())
            ));
        }
    }
    for (clients, n) in shared {
        let names: Vec<&str> = clients.iter().map(String::as_str).collect();
        parts.push(format!("{n} shared by {} clients ({})", clients.len(), list(&names)));
    }
    parts.join("; ")
}

fn check(quota: &Quota, scope: String, resources: &[&TargetResource]) -> QuotaCheck {
    let needed = resources.len() as u32;
    let status = match quota.default {
        None => QuotaStatus::Verify,
        Some(limit) if needed > limit => QuotaStatus::Breach,
        Some(_) => QuotaStatus::Ok,
    };
    let mut note = who(resources);
    if status != QuotaStatus::Ok {
        note = format!("{note}; {}", quota.remedy);
    }
    QuotaCheck {
        id: format!("{}/{scope}", quota.slug),
        quota: quota.name.to_owned(),
        scope,
        limit: quota.default,
        needed,
        status,
        note,
    }
}

/// Checks what the graph creates (resources it adopts cost nothing) against the default quotas; a quota
/// nothing needs is not listed.
pub fn preflight(graph: &TargetGraph) -> Vec<QuotaCheck> {
    let mut out = Vec::new();
    for quota in QUOTAS {
        let mut by_scope: BTreeMap<String, Vec<&TargetResource>> = BTreeMap::new();
        for r in graph.created(quota.kind) {
            let scope = if quota.per_region { format!("{}/{}", r.account_id, r.region) } else { r.account_id.clone() };
            by_scope.entry(scope).or_default().push(r);
        }
        out.extend(by_scope.into_iter().map(|(scope, resources)| check(quota, scope, &resources)));
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Puts a gate on every resource a breached default quota counts: a person requests the increase
/// (Service Quotas) and confirms the gate once AWS granted it; until then the run does not try and fail.
pub fn gate_breaches(graph: &mut TargetGraph) {
    let checks = preflight(graph);
    for quota in QUOTAS {
        for r in graph.resources.iter_mut().filter(|r| r.kind == quota.kind && !r.existing && r.gate.is_none()) {
            let scope = if quota.per_region { format!("{}/{}", r.account_id, r.region) } else { r.account_id.clone() };
            let id = format!("{}/{scope}", quota.slug);
            if let Some(check) = checks.iter().find(|c| c.id == id && c.status == QuotaStatus::Breach) {
                r.gate = Some(format!(
                    "{} in {scope}: AWS allows {} by default and the blueprint needs {}. Request an increase \
                     (Service Quotas), then confirm this gate once AWS has granted it",
                    check.quota,
                    check.limit.unwrap_or(0),
                    check.needed
                ));
            }
        }
    }
}
