//! Decisions: the judgement calls a person must make before or during the migration — SMS registrations
//! per Region, short codes, sandbox exits, push credentials, the console-only domain ↔ instance
//! association, A/B redesigns, unsubscribe topics, every feature without a successor, quota breaches,
//! owners of unattributed or contested resources. Pinshift generates them from the blueprint (stable
//! ids); people record owner, status, due date, choice and note, which survive re-assessment.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::quota::{QuotaCheck, QuotaStatus};
use super::tenancy::{ClientTenancy, ConnectTopology};
use crate::assess::{Assessment, AttributionStatus, Fit, UNASSIGNED};
use crate::estate::ResourceKind;
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Attribution,
    SharedNumber,
    SmsRegistration,
    /// A client sends SMS but owns no number or sender ID.
    OriginationIdentity,
    ShortCode,
    SandboxExit,
    PushCredentials,
    DomainAssociation,
    DnsVerification,
    AbRedesign,
    Unsubscribe,
    NoSuccessor,
    QuotaIncrease,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    Open,
    InProgress,
    Decided,
    /// Not needed after all (say why in the note).
    NotApplicable,
}

impl DecisionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionStatus::Open => "open",
            DecisionStatus::InProgress => "in_progress",
            DecisionStatus::Decided => "decided",
            DecisionStatus::NotApplicable => "not_applicable",
        }
    }

    pub fn parse(field: &str, text: &str) -> Result<DecisionStatus> {
        match text.replace('-', "_").as_str() {
            "open" => Ok(DecisionStatus::Open),
            "in_progress" => Ok(DecisionStatus::InProgress),
            "decided" => Ok(DecisionStatus::Decided),
            "not_applicable" => Ok(DecisionStatus::NotApplicable),
            _ => {
                Err(Error::invalid(field, format!("{text:?} is not one of open, in-progress, decided, not-applicable")))
            }
        }
    }

    /// Still needs someone.
    pub fn is_open(self) -> bool {
        matches!(self, DecisionStatus::Open | DecisionStatus::InProgress)
    }
}

/// What a person recorded on a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Recorded {
    pub id: String,
    pub status: DecisionStatus,
    pub owner: String,
    /// `YYYY-MM-DD`, or empty.
    pub due: String,
    pub choice: String,
    pub note: String,
    pub updated_at: String,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Decision {
    pub id: String,
    pub kind: DecisionKind,
    /// The client it concerns; empty for engagement-wide decisions.
    pub client: String,
    pub title: String,
    pub detail: String,
    /// Suggested answers (free text is allowed too).
    pub options: Vec<String>,
    /// Finding ids, resource keys or quota ids it comes from.
    pub related: Vec<String>,
    pub status: DecisionStatus,
    pub owner: String,
    pub due: String,
    pub choice: String,
    pub note: String,
    pub updated_at: String,
    pub updated_by: String,
}

struct Draft {
    id: String,
    kind: DecisionKind,
    client: String,
    title: String,
    detail: String,
    options: Vec<String>,
    related: Vec<String>,
}

fn draft(id: String, kind: DecisionKind, client: &str, title: String, detail: &str, options: &[&str]) -> Draft {
    Draft {
        id,
        kind,
        client: client.to_owned(),
        title,
        detail: detail.to_owned(),
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        related: Vec::new(),
    }
}

/// The decisions a blueprint needs, merged with what people recorded (by id).
pub fn generate(
    assessment: &Assessment,
    plans: &[ClientTenancy],
    quotas: &[QuotaCheck],
    recorded: &[Recorded],
) -> Vec<Decision> {
    let mut drafts: Vec<Draft> = Vec::new();

    for a in &assessment.attributions {
        let label = format!("{} {:?}", a.resource.kind.as_str().replace('_', " "), a.resource.label());
        if a.status == AttributionStatus::Unassigned {
            let mut d = draft(
                format!("attribution/{}", a.resource.key()),
                DecisionKind::Attribution,
                UNASSIGNED,
                format!("Who owns the {label}?"),
                "Nothing in the estate points at an owner. Attribute it to one or more clients, or mark it not needed.",
                &["attribute to a client", "shared by several clients", "not migrated"],
            );
            d.related.push(a.resource.key());
            drafts.push(d);
        } else if a.resource.kind == ResourceKind::PhoneNumber && a.shared() {
            let options: Vec<&str> = a.clients.iter().map(String::as_str).collect();
            let mut d = draft(
                format!("shared-number/{}", a.resource.key()),
                DecisionKind::SharedNumber,
                "",
                format!("Which client keeps the number {}?", a.resource.label()),
                "A phone number can be in only one pool, and these clients all send from it. Choose its owner; the \
                 others need numbers of their own (and registrations).",
                &options,
            );
            d.related.push(a.resource.key());
            drafts.push(d);
        }
    }

    let mut sandbox_places = BTreeSet::new();
    for plan in plans {
        let c = plan.client.as_str();
        for sms in &plan.sms {
            let place = format!("{}/{}", sms.account_id, sms.region);
            if sms.voice_only == Some(true) {
                // Voice needs a voice-capable number, not an SMS registration.
                drafts.push(draft(
                    format!("origination/{c}/{place}"),
                    DecisionKind::OriginationIdentity,
                    c,
                    format!("Which number does {} place voice messages from in {}?", plan.name, sms.region),
                    "The client sends voice messages through Pinpoint, which End User Messaging sends from a \
                     voice-capable phone number of the client's. Attribute an existing one, or request a number.",
                    &["attribute an existing number", "request a new number", "voice is not carried over"],
                ));
                sandbox_places.insert((place, "sms"));
                continue;
            }
            drafts.push(draft(
                format!("sms-registration/{c}/{place}"),
                DecisionKind::SmsRegistration,
                c,
                format!("SMS registrations for {} in {}", plan.name, sms.region),
                "Registrations (10DLC brand and campaign, toll-free verification, sender-ID forms) belong to the \
                 client's brand and are per Region; US 10DLC must be registered again in each new Region. Carrier \
                 review takes weeks: start now.",
                &["existing registrations cover it", "register with the client's brand data", "not needed"],
            ));
            if sms.pools.is_empty() {
                drafts.push(draft(
                    format!("origination/{c}/{place}"),
                    DecisionKind::OriginationIdentity,
                    c,
                    format!("Which numbers or sender IDs does {} send SMS from in {}?", plan.name, sms.region),
                    "The client sends SMS, but no phone number or sender ID in this Region is attributed to it alone, \
                     so its pools would be empty. Attribute an existing one, or request a number (and register it).",
                    &["attribute an existing number", "request a new number", "shared pool by exception"],
                ));
            }
            sandbox_places.insert((place, "sms"));
        }
        for ses in &plan.ses {
            sandbox_places.insert((format!("{}/{}", ses.account_id, ses.region), "ses"));
            drafts.push(draft(
                format!("unsubscribe/{c}/{}/{}", ses.account_id, ses.region),
                DecisionKind::Unsubscribe,
                c,
                format!("Unsubscribe and topics for {}", plan.name),
                "SES allows one contact list per account with up to 20 topics, so subscription topics cannot map one \
                 to one per client. Decide how this client's unsubscribe links and preferences work.",
                &[
                    "topics per client in the shared list",
                    "unsubscribe handled by the client's own system",
                    "no topics",
                ],
            ));
        }
        if plan.connect.topology == ConnectTopology::Dedicated
            && let Some(domain) = &plan.connect.profiles_domain
        {
            drafts.push(draft(
                format!("domain-association/{c}"),
                DecisionKind::DomainAssociation,
                c,
                format!(
                    "Associate the {} domain with the {} instance",
                    domain.name,
                    plan.connect.instance_alias.as_deref().unwrap_or("client's")
                ),
                "AWS offers no API for this: a person does it in the Amazon Connect admin website. Also decide the \
                 instance's KMS key.",
                &["done in the console"],
            ));
        }
    }
    for (place, service) in sandbox_places {
        let (title, detail) = match service {
            "ses" => (
                format!("SES production access in {place}"),
                "Confirm the account has SES production access in this Region (no sandbox), and its sending quota \
                 covers every client's peak.",
            ),
            _ => (
                format!("SMS sandbox exit and spend limit in {place}"),
                "Confirm the account has left the SMS sandbox in this Region and the monthly spend limit covers the \
                 clients' volume (raising the maximum is a support case).",
            ),
        };
        drafts.push(draft(
            format!("sandbox-exit/{service}/{place}"),
            DecisionKind::SandboxExit,
            "",
            title,
            detail,
            &["confirmed", "request opened"],
        ));
    }

    let mut per_finding: BTreeMap<String, Draft> = BTreeMap::new();
    for f in &assessment.findings {
        let label = format!("{} {:?}", f.resource.kind.as_str().replace('_', " "), f.resource.label());
        let (kind, title, options): (DecisionKind, String, &[&str]) = match f.rule.as_str() {
            "channel.sms-short-code" => (
                DecisionKind::ShortCode,
                format!("Short code of {label}"),
                &["keep it (support case)", "replace it with a toll-free or 10DLC number"],
            ),
            "channel.push" | "journey.push-activity" | "campaign.push" => (
                DecisionKind::PushCredentials,
                format!("Push for {label}"),
                &[
                    "keep the project for push and re-enter credentials",
                    "send push from a journey custom action",
                    "drop push",
                ],
            ),
            "email-identity.unverified" => (
                DecisionKind::DnsVerification,
                format!("DNS verification of {label}"),
                &["records published", "use another identity"],
            ),
            "campaign.ab-treatments" | "campaign.holdout" => (
                DecisionKind::AbRedesign,
                format!("A/B test or holdout in {label}"),
                &["keep the winning treatment only", "rebuild as a journey with a percentage split", "drop the test"],
            ),
            _ if f.fit == Fit::NoSuccessor => (
                DecisionKind::NoSuccessor,
                format!(
                    "{label}: {}",
                    f.successor.strip_prefix("none (").and_then(|s| s.strip_suffix(')')).unwrap_or(&f.successor)
                ),
                &["drop it", "replace it outside AWS", "rebuild differently"],
            ),
            _ => continue,
        };
        let id = format!("{}/{}/{}", kind_slug(kind), f.client, f.resource.key());
        let entry = per_finding.entry(id.clone()).or_insert_with(|| {
            let mut d = draft(id, kind, &f.client, title, &format!("{} {}", f.reason, f.action), options);
            d.related.clear();
            d
        });
        entry.related.push(f.id.clone());
    }
    drafts.extend(per_finding.into_values());

    for q in quotas.iter().filter(|q| q.status == QuotaStatus::Breach) {
        let mut d = draft(
            format!("quota/{}", q.id),
            DecisionKind::QuotaIncrease,
            "",
            format!("{}: {} needed, default {}", q.quota, q.needed, q.limit.unwrap_or_default()),
            &q.note,
            &["request a quota increase", "change some clients' topology"],
        );
        d.related.push(q.id.clone());
        drafts.push(d);
    }

    let recorded: BTreeMap<&str, &Recorded> = recorded.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut out: Vec<Decision> = drafts
        .into_iter()
        .map(|d| {
            let r = recorded.get(d.id.as_str());
            Decision {
                status: r.map_or(DecisionStatus::Open, |r| r.status),
                owner: r.map(|r| r.owner.clone()).unwrap_or_default(),
                due: r.map(|r| r.due.clone()).unwrap_or_default(),
                choice: r.map(|r| r.choice.clone()).unwrap_or_default(),
                note: r.map(|r| r.note.clone()).unwrap_or_default(),
                updated_at: r.map(|r| r.updated_at.clone()).unwrap_or_default(),
                updated_by: r.map(|r| r.updated_by.clone()).unwrap_or_default(),
                id: d.id,
                kind: d.kind,
                client: d.client,
                title: d.title,
                detail: d.detail,
                options: d.options,
                related: d.related,
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.client, a.kind, &a.id).cmp(&(&b.client, b.kind, &b.id)));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

fn kind_slug(kind: DecisionKind) -> &'static str {
    match kind {
        DecisionKind::Attribution => "attribution",
        DecisionKind::SharedNumber => "shared-number",
        DecisionKind::SmsRegistration => "sms-registration",
        DecisionKind::OriginationIdentity => "origination",
        DecisionKind::ShortCode => "short-code",
        DecisionKind::SandboxExit => "sandbox-exit",
        DecisionKind::PushCredentials => "push",
        DecisionKind::DomainAssociation => "domain-association",
        DecisionKind::DnsVerification => "dns",
        DecisionKind::AbRedesign => "ab-redesign",
        DecisionKind::Unsubscribe => "unsubscribe",
        DecisionKind::NoSuccessor => "no-successor",
        DecisionKind::QuotaIncrease => "quota",
    }
}
