//! `pinshift blueprint show` and `pinshift blueprint resources` as people read them: every line rendered
//! from the blueprint's typed fields and the target graph, never from debug output.

use std::fmt::Write as _;

use pinshift_core::blueprint::quota::QuotaStatus;
use pinshift_core::blueprint::{Blueprint, ClientTenancy, TargetGraph, TargetResource};

use crate::output;

/// `a, b, c` — or `none`.
fn list(items: &[String]) -> String {
    if items.is_empty() { "none".into() } else { items.join(", ") }
}

/// One client's tenancy, indented under its name.
pub fn tenancy(p: &ClientTenancy) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}) — effort {} ({})", p.name, p.client, p.effort, p.band.label());
    for s in &p.ses {
        let _ = writeln!(
            out,
            "  SES in {} ({}): tenant {}, {} reputation policy — {}",
            s.region,
            s.account_id,
            s.tenant_name,
            s.reputation_policy.as_str(),
            s.reputation_reason
        );
        let _ = writeln!(
            out,
            "    configuration set {}{}; suppression scoped to the {} ({})",
            s.configuration_set,
            if s.configuration_set_exists { " (existing)" } else { "" },
            s.suppression_scope.to_lowercase(),
            s.suppressed_reasons.join(", ").to_lowercase()
        );
        for d in &s.event_destinations {
            let _ = writeln!(out, "    events → {}", d.describe());
        }
        let _ = writeln!(out, "    identities: {}", list(&s.identities));
        let _ = writeln!(out, "    templates: {}", list(&s.templates));
    }
    for s in &p.sms {
        let _ = writeln!(
            out,
            "  SMS in {} ({}): configuration set {}{}; opt-out list {}; default sender ID {}",
            s.region,
            s.account_id,
            s.configuration_set,
            if s.configuration_set_exists { " (existing)" } else { "" },
            s.opt_out_list,
            s.default_sender_id.as_deref().unwrap_or("none")
        );
        if !s.carried_opt_out_lists.is_empty() {
            let _ = writeln!(out, "    opted-out numbers carried from: {}", s.carried_opt_out_lists.join(", "));
        }
        for d in &s.event_destinations {
            let _ = writeln!(out, "    events → {}", d.describe());
        }
        if s.pools.is_empty() {
            let _ = writeln!(out, "    pools: none yet (the client owns no number or sender ID alone)");
        }
        for pool in &s.pools {
            let _ = writeln!(
                out,
                "    pool {} ({}): {}",
                pool.name,
                pool.message_type.to_lowercase(),
                list(&pool.members())
            );
        }
    }
    let c = &p.connect;
    let _ = writeln!(
        out,
        "  Connect: {}{} — {}",
        c.topology.label(),
        c.instance_alias.as_ref().map(|a| format!(" {a}")).unwrap_or_default(),
        c.reason
    );
    if let Some(d) = &c.profiles_domain {
        let _ = writeln!(
            out,
            "    profiles domain {} (data kept {} days{})",
            d.name,
            d.default_expiration_days,
            if d.shared { ", shared and partitioned by client" } else { "" }
        );
    }
    if !c.message_templates.is_empty() {
        let names: Vec<String> = c.message_templates.iter().map(|t| t.describe()).collect();
        let _ = writeln!(out, "    message templates: {}", names.join(", "));
    }
    for l in &c.communication_limits {
        let _ = writeln!(out, "    limit: {}", l.describe());
    }
    for t in &c.campaigns {
        let _ = writeln!(
            out,
            "    {} campaign {} ({}){}",
            t.campaign_type.to_lowercase(),
            t.name,
            t.channel_labels(),
            t.flow.as_ref().map(|f| format!(", flow {f} saved as a draft")).unwrap_or_default()
        );
    }
    for n in &c.not_created {
        let _ = writeln!(out, "    not created: {}", n.describe());
    }
    for a in &p.analytics {
        let _ = writeln!(out, "  Analytics: {} → {}", a.source(), a.destination());
    }
    out
}

pub fn show(blueprint: &Blueprint, client: Option<&str>, json: bool) -> anyhow::Result<()> {
    let tenancies: Vec<_> = match client {
        Some(c) => {
            blueprint.require_client("client", c)?;
            blueprint.client(c).into_iter().collect()
        }
        None => blueprint.clients.iter().collect(),
    };
    if json {
        return match client {
            Some(_) => output::json(&tenancies),
            None => output::json(blueprint),
        };
    }
    for p in tenancies {
        output::text(&tenancy(p))?;
    }
    for q in blueprint.quotas.iter().filter(|q| q.status != QuotaStatus::Ok) {
        let limit = q.limit.map(|l| format!(", default {l}")).unwrap_or_else(|| ", no fixed default".into());
        let what = if q.status == QuotaStatus::Breach { "over its quota" } else { "check its quota" };
        output::text(&format!("{} in {}: {} needed{limit} — {what}: {}\n", q.quota, q.scope, q.needed, q.note))?;
    }
    let open = blueprint.decisions.iter().filter(|d| d.status.is_open()).count();
    output::status(&format!("{open} open decision(s): `pinshift blueprint decisions --open`"));
    Ok(())
}

fn status(r: &TargetResource) -> String {
    if r.existing {
        "exists".into()
    } else if r.gate.is_some() {
        "waits".into()
    } else if !r.kind.created_by_pinshift() {
        "provided".into()
    } else {
        "create".into()
    }
}

pub fn resources(graph: &TargetGraph, client: Option<&str>, json: bool) -> anyhow::Result<()> {
    let chosen: Vec<&TargetResource> = match client {
        Some(c) => graph.of_client(c).collect(),
        None => graph.resources.iter().collect(),
    };
    if json {
        return output::json(&serde_json::json!({
            "scan_id": graph.scan_id,
            "resources": chosen,
            "unresolved": graph.unresolved,
        }));
    }
    let rows: Vec<Vec<String>> = chosen
        .iter()
        .map(|r| {
            vec![
                status(r),
                r.kind.label().to_owned(),
                r.name.clone(),
                format!("{} {}", r.account_id, r.region),
                if r.shared() { format!("shared by {}", r.clients.join(", ")) } else { r.clients.join(", ") },
                r.gate.clone().unwrap_or_default(),
            ]
        })
        .collect();
    output::table(&["STATUS", "KIND", "NAME", "WHERE", "FOR", "WAITS FOR"], &rows)?;
    let count = |s: &str| rows.iter().filter(|r| r[0] == s).count();
    output::status(&format!(
        "{} resources in dependency order: {} to create, {} existing (adopted), {} waiting for a person, {} provided by \
         the customer",
        rows.len(),
        count("create"),
        count("exists"),
        count("waits"),
        count("provided")
    ));
    for u in &graph.unresolved {
        output::status(&format!("warning: nothing in the graph answers {u}"));
    }
    Ok(())
}
