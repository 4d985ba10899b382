//! `pinshift assess` and `pinshift blueprint …`: thin wrappers over pinshift_core's assess and blueprint.

mod show;

use pinshift_core::assess::{Fit, RULES};
use pinshift_core::blueprint::store::DecisionUpdate;
use pinshift_core::blueprint::{ConnectTopology, DecisionStatus, ReputationPolicy, TenancyOverride};
use pinshift_core::clock::{Clock, SystemClock};
use pinshift_core::engagement::Engagement;
use pinshift_core::{Error, Result};

use crate::args::BlueprintCommand;
use crate::output;

pub fn assess(engagement: &Engagement, scan: Option<&str>, client: Option<&str>, json: bool) -> anyhow::Result<()> {
    let (blueprint, _) = engagement.current_blueprint(scan)?;
    let a = &blueprint.assessment;
    if let Some(client) = client {
        blueprint.require_client("client", client)?;
        let Some(ca) = a.client(client) else { return Ok(()) };
        let findings: Vec<_> = a.findings_of(client).collect();
        if json {
            return output::json(&serde_json::json!({ "client": ca, "findings": findings }));
        }
        output::fields(&[
            ("Client", format!("{} ({})", ca.client.name, ca.client.id)),
            (
                "Projects",
                ca.client.projects.iter().map(|p| format!("{} [{}]", p.name, p.region)).collect::<Vec<_>>().join(", "),
            ),
            ("Effort", format!("{} points ({})", ca.effort, ca.band.label())),
        ])?;
        let rows: Vec<Vec<String>> = findings
            .iter()
            .map(|f| {
                vec![
                    f.fit.label().to_owned(),
                    f.capability.label().to_owned(),
                    format!("{} {}", f.resource.kind.as_str(), f.resource.label()),
                    f.evidence.iter().map(|e| e.field.clone()).collect::<Vec<_>>().join(", "),
                    f.successor.clone(),
                ]
            })
            .collect();
        println_blank();
        return output::table(&["FIT", "CAPABILITY", "RESOURCE", "FIELD", "SUCCESSOR"], &rows);
    }
    if json {
        return output::json(a);
    }
    let rows: Vec<Vec<String>> = a
        .clients
        .iter()
        .map(|c| {
            let n = |fit| c.by_fit.get(&fit).copied().unwrap_or(0).to_string();
            vec![
                c.client.id.clone(),
                c.client.name.clone(),
                c.client.projects.len().to_string(),
                c.findings.to_string(),
                n(Fit::Direct),
                n(Fit::Transform),
                n(Fit::Rethink),
                n(Fit::NoSuccessor),
                format!("{} ({})", c.effort, c.band.label()),
            ]
        })
        .collect();
    output::table(
        &["CLIENT", "NAME", "PROJECTS", "FINDINGS", "AS IS", "CHANGES", "REDESIGN", "NO SUCCESSOR", "EFFORT"],
        &rows,
    )?;
    let unassigned = a.attributions.iter().filter(|x| x.clients.is_empty()).count();
    let shared = a.attributions.iter().filter(|x| x.shared()).count();
    output::status(&format!(
        "{} clients, {} findings, effort {} points; {} account-level resources ({} shared, {} unassigned: \
         `pinshift blueprint attributions`)",
        a.clients.len(),
        a.findings.len(),
        a.effort,
        a.attributions.len(),
        shared,
        unassigned
    ));
    Ok(())
}

fn println_blank() {
    let _ = output::text("\n");
}

/// `pinshift assess --rules`: the rule table; needs no engagement.
pub fn assess_rules(json: bool) -> anyhow::Result<()> {
    if json {
        let rules: Vec<_> = RULES
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "kind": r.kind, "capability": r.capability, "reads": r.reads(),
                    "service": r.service, "successor": r.successor, "fit": r.fit, "reason": r.reason,
                    "action": r.action, "effort": r.effort,
                })
            })
            .collect();
        return output::json(&rules);
    }
    let rows: Vec<Vec<String>> = RULES
        .iter()
        .map(|r| {
            vec![
                r.id.to_owned(),
                r.kind.as_str().to_owned(),
                r.fit.label().to_owned(),
                r.effort.to_string(),
                r.reads().join(", "),
            ]
        })
        .collect();
    output::table(&["RULE", "KIND", "FIT", "EFFORT", "READS"], &rows)
}

fn parse_topology(text: &str) -> Result<ConnectTopology> {
    match text {
        "dedicated" => Ok(ConnectTopology::Dedicated),
        "shared" => Ok(ConnectTopology::Shared),
        "messaging-only" | "messaging_only" => Ok(ConnectTopology::MessagingOnly),
        _ => Err(Error::invalid("topology", format!("{text:?}: use dedicated, shared or messaging-only"))),
    }
}

fn parse_reputation(text: &str) -> Result<ReputationPolicy> {
    match text {
        "standard" => Ok(ReputationPolicy::Standard),
        "strict" => Ok(ReputationPolicy::Strict),
        "none" => Ok(ReputationPolicy::None),
        _ => Err(Error::invalid("reputation", format!("{text:?}: use standard, strict or none"))),
    }
}

pub fn run(engagement: &Engagement, command: BlueprintCommand, json: bool) -> anyhow::Result<()> {
    match command {
        BlueprintCommand::Show { client, version, scan } => {
            let blueprint = match version {
                Some(v) => engagement.blueprint_version(v)?,
                None => engagement.current_blueprint(scan.as_deref())?.0,
            };
            show::show(&blueprint, client.as_deref(), json)
        }
        BlueprintCommand::Resources { client, version, scan } => {
            if let Some(c) = &client {
                let blueprint = match version {
                    Some(v) => engagement.blueprint_version(v)?,
                    None => engagement.current_blueprint(scan.as_deref())?.0,
                };
                blueprint.require_client("client", c)?;
            }
            let graph = engagement.target_graph(version, scan.as_deref(), SystemClock.now())?;
            show::resources(&graph, client.as_deref(), json)
        }
        BlueprintCommand::Rename { client, name } => {
            engagement.rename_client(&client, &name, &SystemClock)?;
            output::status(&format!("Client {client} is now called {name:?}."));
            Ok(())
        }
        BlueprintCommand::Assign { client, projects } => {
            engagement.assign_projects(&client, &projects, &SystemClock)?;
            output::status(&format!("{} project(s) now belong to client {client}.", projects.len()));
            Ok(())
        }
        BlueprintCommand::Attributions { unassigned } => {
            let (blueprint, _) = engagement.current_blueprint(None)?;
            let list: Vec<_> =
                blueprint.assessment.attributions.iter().filter(|a| !unassigned || a.clients.is_empty()).collect();
            if json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|a| {
                    vec![
                        a.resource.kind.as_str().to_owned(),
                        a.resource.label().to_owned(),
                        if a.clients.is_empty() { "—".into() } else { a.clients.join(", ") },
                        format!("{:?}", a.status).to_lowercase(),
                        a.proposals
                            .iter()
                            .map(|p| format!("{}: {}", p.client, p.reason))
                            .collect::<Vec<_>>()
                            .join("; "),
                    ]
                })
                .collect();
            output::table(&["KIND", "RESOURCE", "OWNERS", "STATUS", "WHY"], &rows)
        }
        BlueprintCommand::Attribute { resource, clients, accept, accept_all } => {
            if accept_all {
                let n = engagement.accept_all_proposals(&SystemClock)?;
                output::status(&format!("Confirmed {n} proposal(s)."));
                return Ok(());
            }
            let resource = resource.unwrap_or_default();
            if !accept && clients.is_empty() {
                return Err(
                    Error::invalid("client", "name the owning client(s) with --client, or pass --accept").into()
                );
            }
            engagement.attribute(&resource, &clients, accept, &SystemClock)?;
            output::status(&format!("Recorded the owners of {resource}."));
            Ok(())
        }
        BlueprintCommand::Set { client, topology, reputation, tenant_name } => {
            let change = TenancyOverride {
                topology: topology.as_deref().map(parse_topology).transpose()?,
                reputation: reputation.as_deref().map(parse_reputation).transpose()?,
                tenant_name,
            };
            engagement.set_tenancy(&client, change, &SystemClock)?;
            output::status(&format!("Updated the tenancy of {client}."));
            Ok(())
        }
        BlueprintCommand::Decisions { client, open } => {
            let (blueprint, _) = engagement.current_blueprint(None)?;
            let list: Vec<_> = blueprint
                .decisions
                .iter()
                .filter(|d| client.as_deref().is_none_or(|c| d.client == c))
                .filter(|d| !open || d.status.is_open())
                .collect();
            if json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|d| {
                    vec![
                        d.id.clone(),
                        if d.client.is_empty() { "(all)".into() } else { d.client.clone() },
                        d.status.as_str().replace('_', "-"),
                        d.owner.clone(),
                        d.due.clone(),
                        d.title.clone(),
                    ]
                })
                .collect();
            output::table(&["DECISION", "CLIENT", "STATUS", "OWNER", "DUE", "TITLE"], &rows)
        }
        BlueprintCommand::Decide { id, status, owner, due, choice, note, by } => {
            let update = DecisionUpdate {
                status: status.as_deref().map(|s| DecisionStatus::parse("status", s)).transpose()?,
                owner,
                due,
                choice,
                note,
            };
            engagement.record_decision(&id, update, &by, &SystemClock)?;
            output::status(&format!("Recorded decision {id}."));
            Ok(())
        }
        BlueprintCommand::Save { by, note } => {
            let saved = engagement.save_blueprint(&by, &note, &SystemClock)?;
            if json {
                return output::json(&serde_json::json!({ "version": saved.version }));
            }
            output::status(&format!("Saved blueprint version {} (scan {}).", saved.version, saved.scan_id));
            Ok(())
        }
        BlueprintCommand::Versions => {
            let versions = engagement.blueprint_versions()?;
            let sign_offs = engagement.sign_offs()?;
            if json {
                return output::json(&serde_json::json!({ "versions": versions, "sign_offs": sign_offs }));
            }
            let rows: Vec<Vec<String>> = versions
                .iter()
                .map(|v| {
                    let signed: Vec<String> = sign_offs
                        .iter()
                        .filter(|s| s.version == v.version)
                        .map(|s| format!("{} by {}", s.client, s.signed_by))
                        .collect();
                    vec![
                        v.version.to_string(),
                        v.created_at.clone(),
                        v.created_by.clone(),
                        v.scan_id.chars().take(8).collect(),
                        signed.join(", "),
                        v.note.clone(),
                    ]
                })
                .collect();
            output::table(&["VERSION", "SAVED", "BY", "SCAN", "SIGNED OFF", "NOTE"], &rows)
        }
        BlueprintCommand::SignOff { client, by, version, note } => {
            let signed = engagement.sign_off(&client, version, &by, &note, &SystemClock)?;
            if json {
                return output::json(&signed);
            }
            output::status(&format!(
                "{client} signed off by {} on blueprint version {}.",
                signed.signed_by, signed.version
            ));
            if signed.open_decisions > 0 {
                output::status(&format!(
                    "note: {} decision(s) of {client} were still open (`pinshift blueprint decisions --client {client} --open`).",
                    signed.open_decisions
                ));
            }
            Ok(())
        }
        BlueprintCommand::Drift { client, scan } => {
            let drifts = engagement.drift_since_sign_off(client.as_deref(), scan.as_deref())?;
            if drifts.is_empty() {
                return Err(Error::invalid(
                    "client",
                    "nothing is signed off yet: `pinshift blueprint sign-off CLIENT --by NAME`",
                )
                .into());
            }
            if json {
                return output::json(&drifts);
            }
            for d in &drifts {
                if d.is_empty() {
                    output::text(&format!("{}: no change since version {}\n", d.client, d.signed_version))?;
                    continue;
                }
                output::text(&format!("{}: changed since version {}\n", d.client, d.signed_version))?;
                for r in &d.resources {
                    output::text(&format!(
                        "  {} {} {}\n",
                        r.change.label(),
                        r.resource.kind.as_str(),
                        r.resource.name.as_deref().unwrap_or(&r.resource.id)
                    ))?;
                }
                for f in &d.findings_added {
                    output::text(&format!("  + finding {} ({})\n", f.rule, f.resource.label()))?;
                }
                for f in &d.findings_removed {
                    output::text(&format!("  - finding {} ({})\n", f.rule, f.resource.label()))?;
                }
                for p in &d.tenancy_changes {
                    output::text(&format!("  tenancy: {p}\n"))?;
                }
            }
            Ok(())
        }
    }
}
