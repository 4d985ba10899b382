//! `pinshift translate …`: one resource translated by core, printed as before/after, what did not carry
//! over, and the proof.

use std::io::Write;

use pinshift_core::blueprint::translation::{TranslateRequest, TranslationReport};
use pinshift_core::clock::{Clock, SystemClock};
use pinshift_core::engagement::Engagement;
use pinshift_core::estate::ResourceKind;
use pinshift_core::translate::template::convert::{SesPaths, Target};
use pinshift_core::translate::{Loss, Reference, Severity};
use serde_json::Value;

use crate::args::{SesPathsArg, TemplateTarget, TranslateArgs, TranslateCommand};
use crate::output::{self, LABEL};

pub fn run(engagement: &Engagement, command: TranslateCommand, json: bool) -> anyhow::Result<()> {
    let (kind, name, target, common) = match command {
        TranslateCommand::Template { name, target, ses_paths, common } => {
            let target = match (target, ses_paths) {
                (TemplateTarget::Connect, _) => Target::Connect,
                (TemplateTarget::Ses, SesPathsArg::Keep) => Target::Ses(SesPaths::Keep),
                (TemplateTarget::Ses, SesPathsArg::Rewrite) => Target::Ses(SesPaths::Rewrite),
            };
            (ResourceKind::Template, name, target, common)
        }
        TranslateCommand::Segment { id, common, .. } => (ResourceKind::Segment, id, Target::Connect, common),
        TranslateCommand::Campaign { id, common, .. } => (ResourceKind::Campaign, id, Target::Connect, common),
        TranslateCommand::Journey { id, common, .. } => (ResourceKind::Journey, id, Target::Connect, common),
    };
    let TranslateArgs { account, region, scan, endpoints, sample, seed } = common;
    let request = TranslateRequest { kind, name, target, account, region, scan, endpoints, sample, seed };
    let report = engagement.translate(&request, SystemClock.now())?;
    if json {
        return output::json(&report);
    }
    let mut out = anstream::stdout().lock();
    match &report {
        TranslationReport::Template { client, translation: t, proof } => {
            let target = match t.target {
                Target::Connect => "Connect message template (Q in Connect)".to_owned(),
                Target::Ses(SesPaths::Keep) => "SES email template (Pinpoint's paths kept)".to_owned(),
                Target::Ses(SesPaths::Rewrite) => "SES email template (paths of the customer profile)".to_owned(),
            };
            output::fields(&[
                ("Template", format!("{} ({}, version {})", t.name, t.template_type, t.version)),
                (
                    "Client",
                    client.clone().unwrap_or_else(|| "(no owner yet: `pinshift blueprint attributions`)".into()),
                ),
                (
                    "Target",
                    match (t.translated, t.target_name != t.name) {
                        (false, _) => format!("{target}: not translated"),
                        (true, true) => format!("{target} named {}", t.target_name),
                        (true, false) => target,
                    },
                ),
            ])?;
            for p in &t.parts {
                writeln!(out)?;
                writeln!(out, "{LABEL}{}{LABEL:#}", p.part)?;
                block(&mut out, "before", &p.original)?;
                match &p.converted {
                    Some(c) if c == &p.original => writeln!(out, "  after:  (unchanged)")?,
                    Some(c) => block(&mut out, "after", c)?,
                    None => writeln!(out, "  after:  (not converted: see below)")?,
                }
            }
            if !t.variables.is_empty() {
                writeln!(out)?;
                writeln!(out, "{LABEL}Variables{LABEL:#}")?;
                let mut seen = std::collections::BTreeSet::new();
                for v in &t.variables {
                    if seen.insert((&v.written, &v.converted)) {
                        let to = v.converted.clone().unwrap_or_else(|| "(nothing: see below)".into());
                        if to == v.written {
                            writeln!(out, "  {}", v.written)?;
                        } else {
                            writeln!(out, "  {} → {to}", v.written)?;
                        }
                    }
                }
            }
            if !t.template_data.is_empty() {
                writeln!(out)?;
                writeln!(
                    out,
                    "{LABEL}TemplateData the sender passes SES{LABEL:#} (values may be missing; the template guards them)"
                )?;
                for f in &t.template_data {
                    writeln!(out, "  {}  ← {}", f.path, f.source)?;
                }
            }
            if let Some(d) = t.content.get("defaultAttributes") {
                writeln!(out)?;
                writeln!(out, "{LABEL}Default attributes{LABEL:#}  {d}")?;
            }
            drop(out);
            losses(&t.losses)?;
            let mut out = anstream::stdout().lock();
            writeln!(out)?;
            let verdict = if proof.proven { "PROVEN" } else { "NOT PROVEN" };
            writeln!(
                out,
                "{LABEL}Proof: {verdict}{LABEL:#} — {} of {} {} render identically; {} differ, {} cannot be rendered by the target",
                proof.identical, proof.endpoints, proof.sample, proof.differs, proof.cannot_render
            )?;
            if proof.identical == proof.endpoints && !proof.proven && t.translated {
                writeln!(out, "  (identical renders, but what is listed as lost above must be settled first)")?;
            }
            for e in &proof.examples {
                writeln!(out, "  {} {}: {}", e.endpoint, e.part, e.diff.replace('\n', "⏎"))?;
            }
        }
        TranslationReport::Segment { client, translation: t, estimate, .. } => {
            output::fields(&[
                ("Segment", format!("{} ({}, version {})", t.name, t.segment_id, t.version)),
                ("Client", client.clone()),
                ("Target", "Customer Profiles segment definition".into()),
            ])?;
            for d in &t.definitions {
                writeln!(out)?;
                writeln!(
                    out,
                    "{LABEL}CreateSegmentDefinition{LABEL:#} {}",
                    d["SegmentDefinitionName"].as_str().unwrap_or_default()
                )?;
                writeln!(out, "{}", indent(&serde_json::to_string_pretty(&d["SegmentGroups"])?))?;
            }
            if let Some(u) = &t.upload {
                writeln!(out)?;
                writeln!(
                    out,
                    "{LABEL}Upload job{LABEL:#} from {} ({}{})",
                    u.source,
                    u.format,
                    u.rows.map(|r| format!(", {r} rows")).unwrap_or_default()
                )?;
                for h in &u.headers {
                    writeln!(out, "  column {} → {}", h.from, h.to)?;
                }
                writeln!(
                    out,
                    "  DataExpiry {} days, UniqueKey {}",
                    u.request["DataExpiry"],
                    u.request["UniqueKey"].as_str().unwrap_or_default()
                )?;
            }
            drop(out);
            references(&t.references)?;
            losses(&t.losses)?;
            let mut out = anstream::stdout().lock();
            writeln!(out)?;
            writeln!(
                out,
                "{LABEL}Size{LABEL:#} on {} {}: Pinpoint selects {} endpoints, the definition {} profiles ({:+}); {} disagree",
                estimate.endpoints,
                estimate.sample,
                estimate.pinpoint,
                estimate.profiles,
                estimate.difference,
                estimate.disagreements
            )?;
        }
        TranslationReport::Campaign { client, translation: t, .. } => {
            output::fields(&[
                ("Campaign", format!("{} ({}, version {})", t.name, t.campaign_id, t.version)),
                ("Client", client.clone()),
                (
                    "Target",
                    if t.created {
                        "Outbound Campaigns v2 (MANAGED, created unstarted)".into()
                    } else {
                        "not created".into()
                    },
                ),
            ])?;
            if t.created {
                writeln!(out)?;
                writeln!(out, "{LABEL}CreateCampaign{LABEL:#}")?;
                writeln!(out, "{}", indent(&serde_json::to_string_pretty(&t.definition)?))?;
            }
            for tpl in &t.templates {
                writeln!(out, "{LABEL}Message template to create{LABEL:#} {} ({})", tpl.name, tpl.template_type)?;
            }
            drop(out);
            references(&t.references)?;
            losses(&t.losses)?;
        }
        TranslationReport::Journey { client, translation: t, .. } => {
            output::fields(&[
                ("Journey", format!("{} ({})", t.name, t.journey_id)),
                ("Client", client.clone()),
                ("Target", "Connect flow (CAMPAIGN, saved as a draft) + Outbound Campaigns v2 (JOURNEY)".into()),
            ])?;
            writeln!(out)?;
            writeln!(
                out,
                "{LABEL}Flow{LABEL:#} {} (starts at {})",
                t.flow["Name"].as_str().unwrap_or_default(),
                t.flow_content["StartAction"].as_str().unwrap_or_default()
            )?;
            drop(out);
            let rows: Vec<Vec<String>> =
                t.flow_content["Actions"].as_array().into_iter().flatten().map(action_row).collect();
            output::table(&["BLOCK", "TYPE", "THEN"], &rows)?;
            let mut out = anstream::stdout().lock();
            writeln!(out)?;
            writeln!(out, "{LABEL}CreateCampaign{LABEL:#}")?;
            writeln!(out, "{}", indent(&serde_json::to_string_pretty(&t.campaign)?))?;
            drop(out);
            references(&t.references)?;
            losses(&t.losses)?;
        }
    }
    Ok(())
}

fn action_row(a: &Value) -> Vec<String> {
    let t = &a["Transitions"];
    let mut then = Vec::new();
    for c in t["Conditions"].as_array().into_iter().flatten() {
        let op = c["Condition"]["Operator"].as_str().unwrap_or_default();
        let operands: Vec<String> = c["Condition"]["Operands"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|o| o.as_str().unwrap_or_default().to_owned())
            .collect();
        then.push(
            format!("{op} {} → {}", operands.join(","), c["NextAction"].as_str().unwrap_or_default())
                .replace("  ", " "),
        );
    }
    if let Some(n) = t["NextAction"].as_str() {
        then.push(if then.is_empty() { n.to_owned() } else { format!("otherwise → {n}") });
    }
    vec![
        a["Identifier"].as_str().unwrap_or_default().to_owned(),
        a["Type"].as_str().unwrap_or_default().to_owned(),
        then.join("; "),
    ]
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}

fn block(out: &mut impl Write, label: &str, text: &str) -> std::io::Result<()> {
    let mut lines = text.lines();
    writeln!(out, "  {label}:{:pad$}{}", "", lines.next().unwrap_or_default(), pad = 7 - label.len())?;
    for l in lines {
        writeln!(out, "          {l}")?;
    }
    Ok(())
}

fn references(refs: &[Reference]) -> anyhow::Result<()> {
    if refs.is_empty() {
        return Ok(());
    }
    let mut out = anstream::stdout().lock();
    writeln!(out)?;
    writeln!(out, "{LABEL}Created first, then filled in{LABEL:#}")?;
    let mut seen = std::collections::BTreeSet::new();
    for r in refs {
        if seen.insert((&r.kind, &r.name)) {
            writeln!(out, "  {} {}", r.kind.slug(), r.name)?;
        }
    }
    Ok(())
}

fn losses(losses: &[Loss]) -> anyhow::Result<()> {
    let n = |s| losses.iter().filter(|l| l.severity == s).count();
    let mut out = anstream::stdout().lock();
    writeln!(out)?;
    if losses.is_empty() {
        writeln!(out, "{LABEL}Everything carried over{LABEL:#}")?;
        return Ok(());
    }
    writeln!(
        out,
        "{LABEL}What did not carry over as it was{LABEL:#} ({} lost, {} warning(s), {} note(s))",
        n(Severity::Loss),
        n(Severity::Warning),
        n(Severity::Note)
    )?;
    drop(out);
    let rows: Vec<Vec<String>> = losses
        .iter()
        .map(|l| {
            let message = match &l.suggestion {
                Some(s) => format!("{} — {s}", l.message),
                None => l.message.clone(),
            };
            vec![l.severity.label().to_uppercase(), l.construct.clone(), l.place(), message]
        })
        .collect();
    output::table(&["", "WHAT", "WHERE", "WHY / WHAT TO DO"], &rows)
}
