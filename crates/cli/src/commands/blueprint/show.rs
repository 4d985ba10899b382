//! `pinshift blueprint show` and `pinshift blueprint resources` as people read them: every line rendered
//! from the blueprint's typed fields (core's sentences) and the target graph, never from debug output.

use std::fmt::Write as _;

use pinshift_core::blueprint::quota::QuotaStatus;
use pinshift_core::blueprint::{Blueprint, ClientTenancy, TargetGraph, TargetResource};

use crate::output;

/// One client's tenancy: a heading line, then core's sentences (the same the reports print), indented.
pub fn tenancy(p: &ClientTenancy) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}) — effort {} ({})", p.name, p.client, p.effort, p.band.label());
    for line in p.lines() {
        let _ = writeln!(out, "  {}: {}", line.label, line.text);
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
