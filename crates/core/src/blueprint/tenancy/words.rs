//! A client's tenancy in sentences, rendered once from its typed fields for every reader: `pinshift
//! blueprint show`, the HTML and Markdown reports. (The desktop renders the same fields with its own
//! markup.)

use super::ClientTenancy;

/// One line of a tenancy as a reader sees it: `SES (us-east-1)` — `Tenant granite-bank with …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenancyLine {
    pub label: String,
    pub text: String,
}

fn list(items: &[String]) -> String {
    if items.is_empty() { "none".into() } else { items.join(", ") }
}

impl ClientTenancy {
    /// The tenancy in lines, in reading order: SES and SMS per place, Connect, campaigns, limits, what is
    /// not created, analytics, tags.
    pub fn lines(&self) -> Vec<TenancyLine> {
        let mut out = Vec::new();
        let mut line = |label: String, text: String| out.push(TenancyLine { label, text });
        for s in &self.ses {
            let events: Vec<String> = s.event_destinations.iter().map(|d| d.describe()).collect();
            line(
                format!("SES ({})", s.region),
                format!(
                    "Tenant {} with the {} reputation policy ({}); suppression scoped to the {} ({}); configuration set \
                     {}{}, events to {}; identities: {}; templates: {}.",
                    s.tenant_name,
                    s.reputation_policy.as_str(),
                    s.reputation_reason,
                    s.suppression_scope.to_lowercase(),
                    s.suppressed_reasons.join(", ").to_lowercase(),
                    s.configuration_set,
                    if s.configuration_set_exists { " (existing)" } else { "" },
                    list(&events),
                    list(&s.identities),
                    list(&s.templates)
                ),
            );
        }
        for s in &self.sms {
            let pools: Vec<String> = s
                .pools
                .iter()
                .map(|p| format!("{} ({}: {})", p.name, p.message_type.to_lowercase(), list(&p.members())))
                .collect();
            let events: Vec<String> = s.event_destinations.iter().map(|d| d.describe()).collect();
            line(
                format!("SMS ({})", s.region),
                format!(
                    "Pools: {}. Configuration set {}{}, events to {}; default sender ID {}; opt-out list {} (opted-out \
                     numbers carried from {}).",
                    if pools.is_empty() {
                        "none yet (no number or sender ID is the client's alone: a decision is open)".into()
                    } else {
                        pools.join("; ")
                    },
                    s.configuration_set,
                    if s.configuration_set_exists { " (existing)" } else { "" },
                    list(&events),
                    s.default_sender_id.as_deref().unwrap_or("none"),
                    s.opt_out_list,
                    list(&s.carried_opt_out_lists)
                ),
            );
        }
        let c = &self.connect;
        line(
            "Connect".into(),
            format!(
                "{}{} — {}.",
                c.topology.label(),
                c.instance_alias.as_ref().map(|a| format!(" {a}")).unwrap_or_default(),
                c.reason
            ),
        );
        if let Some(d) = &c.profiles_domain {
            line(
                "Customer Profiles".into(),
                format!(
                    "Domain {}, data kept {} days{}.",
                    d.name,
                    d.default_expiration_days,
                    if d.shared { ", shared and partitioned by client" } else { "" }
                ),
            );
        }
        if !c.message_templates.is_empty() {
            let names: Vec<String> = c.message_templates.iter().map(|t| t.describe()).collect();
            line("Message templates".into(), format!("{}.", names.join(", ")));
        }
        if !c.campaigns.is_empty() {
            let campaigns: Vec<String> = c
                .campaigns
                .iter()
                .map(|t| {
                    format!(
                        "{} ({}: {}{})",
                        t.name,
                        t.campaign_type.to_lowercase(),
                        t.channel_labels(),
                        t.flow.as_ref().map(|f| format!(", flow {f}")).unwrap_or_default()
                    )
                })
                .collect();
            line(
                "Campaigns".into(),
                format!("{} — created unstarted; journey flows saved as drafts.", campaigns.join(", ")),
            );
        }
        if !c.communication_limits.is_empty() {
            let limits: Vec<String> = c.communication_limits.iter().map(|l| l.describe()).collect();
            line("Limits".into(), format!("{}.", limits.join("; ")));
        }
        for n in &c.not_created {
            line("Not created".into(), n.describe());
        }
        for a in &self.analytics {
            line("Analytics".into(), format!("{} → {}", a.source(), a.destination()));
        }
        let tags: Vec<String> = self.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        line("Tags".into(), tags.join(", "));
        out
    }
}
