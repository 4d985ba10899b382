//! Quota pre-flight: what the whole blueprint needs, per target account and Region, against the default
//! quotas AWS documents. A breach becomes a decision (request an increase, or change the topology).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::plan::{ClientPlan, ConnectTopology};
use crate::assess::Assessment;

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
    /// Stable id, e.g. `connect-instances/111122223333`.
    pub id: String,
    pub quota: String,
    /// `account` or `account/Region`.
    pub scope: String,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    pub needed: u32,
    pub status: QuotaStatus,
    /// Which clients need it, and what to do on a breach.
    pub note: String,
}

struct Quota {
    slug: &'static str,
    name: &'static str,
    per_region: bool,
    default: Option<u32>,
    remedy: &'static str,
}

/// Default quotas (reference §3, §5.1, §5.2; SES template limit from the SES v2 docs).
const CONNECT_INSTANCES: Quota = Quota {
    slug: "connect-instances",
    name: "Amazon Connect instances per account",
    per_region: false,
    default: Some(2),
    remedy: "request an increase (Service Quotas, Amazon Connect) or move clients to a shared instance",
};
const PROFILE_DOMAINS: Quota = Quota {
    slug: "profiles-domains",
    name: "Customer Profiles domains per account and Region",
    per_region: true,
    default: Some(100),
    remedy: "request an increase or share domains",
};
const SES_TENANTS: Quota = Quota {
    slug: "ses-tenants",
    name: "SES tenants per account",
    per_region: false,
    default: Some(10_000),
    remedy: "request an increase (up to 300,000)",
};
const SES_TEMPLATES: Quota = Quota {
    slug: "ses-templates",
    name: "SES email templates per Region",
    per_region: true,
    default: Some(20_000),
    remedy: "request an increase or consolidate templates",
};
const CAMPAIGNS: Quota = Quota {
    slug: "outbound-campaigns",
    name: "Outbound campaigns (all instances in the Region)",
    per_region: true,
    default: None,
    remedy: "read the connect-campaigns quotas in Service Quotas before applying",
};
const MESSAGE_TEMPLATES: Quota = Quota {
    slug: "message-templates",
    name: "Q in Connect message templates (all knowledge bases in the Region)",
    per_region: true,
    default: None,
    remedy: "read the Amazon Q in Connect quotas in Service Quotas before applying",
};

fn check(quota: &Quota, scope: String, needed: u32, who: &BTreeSet<String>) -> QuotaCheck {
    let status = match quota.default {
        None => QuotaStatus::Verify,
        Some(limit) if needed > limit => QuotaStatus::Breach,
        Some(_) => QuotaStatus::Ok,
    };
    let clients: Vec<&str> = who.iter().map(String::as_str).collect();
    let mut note = format!("needed by {}", if clients.is_empty() { "no client".into() } else { clients.join(", ") });
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

/// Checks the whole blueprint against the default quotas.
pub fn preflight(plans: &[ClientPlan], assessment: &Assessment) -> Vec<QuotaCheck> {
    // (quota slug, scope) → (needed, clients)
    let mut needs: BTreeMap<(&'static str, String), (u32, BTreeSet<String>)> = BTreeMap::new();
    let mut add = |quota: &Quota, account: &str, region: &str, n: u32, client: &str| {
        let scope = if quota.per_region { format!("{account}/{region}") } else { account.to_owned() };
        let entry = needs.entry((quota.slug, scope)).or_default();
        entry.0 += n;
        entry.1.insert(client.to_owned());
    };
    let mut shared_instances = BTreeSet::new();
    let mut ses_templates: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for plan in plans {
        let Some(place) = assessment.client(&plan.client).and_then(|c| c.client.projects.first()) else { continue };
        let (account, region) = (place.account_id.as_str(), place.region.as_str());
        match plan.connect.topology {
            ConnectTopology::Dedicated => {
                add(&CONNECT_INSTANCES, account, region, 1, &plan.client);
                add(&PROFILE_DOMAINS, account, region, 1, &plan.client);
            }
            ConnectTopology::Shared => {
                let first = shared_instances.insert((account.to_owned(), region.to_owned()));
                add(&CONNECT_INSTANCES, account, region, u32::from(first), &plan.client);
                add(&PROFILE_DOMAINS, account, region, u32::from(first), &plan.client);
            }
            ConnectTopology::MessagingOnly => {}
        }
        if plan.connect.topology != ConnectTopology::MessagingOnly {
            add(&CAMPAIGNS, account, region, plan.connect.campaigns.len() as u32, &plan.client);
            add(&MESSAGE_TEMPLATES, account, region, plan.connect.message_templates.len() as u32, &plan.client);
        }
        for ses in &plan.ses {
            add(&SES_TENANTS, &ses.account_id, &ses.region, 1, &plan.client);
            let set = ses_templates.entry(format!("{}/{}", ses.account_id, ses.region)).or_default();
            set.extend(ses.templates.iter().cloned());
            add(&SES_TEMPLATES, &ses.account_id, &ses.region, 0, &plan.client);
        }
    }
    // Shared templates count once per Region.
    for ((slug, scope), (needed, _)) in needs.iter_mut() {
        if *slug == SES_TEMPLATES.slug {
            *needed = ses_templates.get(scope).map_or(0, |s| s.len() as u32);
        }
    }
    let all = [&CONNECT_INSTANCES, &PROFILE_DOMAINS, &SES_TENANTS, &SES_TEMPLATES, &CAMPAIGNS, &MESSAGE_TEMPLATES];
    needs
        .into_iter()
        .map(|((slug, scope), (needed, who))| {
            let quota = all.iter().find(|q| q.slug == slug).copied().unwrap_or(&CAMPAIGNS);
            check(quota, scope, needed, &who)
        })
        .collect()
}
