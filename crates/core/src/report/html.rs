//! The HTML report: one self-contained file (inline CSS and SVG charts, no scripts, no network) with a
//! summary dashboard, the clients × capabilities matrix and a page per client; print CSS makes "Save as
//! PDF" come out clean. Rendered with Handlebars (escaping on); the SVG is built here from numbers and
//! escaped labels only.

use std::fmt::Write;

use serde_json::{Value, json};

use super::{ReportInput, Summary, daily_kpis};
use crate::assess::{Capability, Fit};
use crate::{Error, Result};

const TEMPLATE: &str = include_str!("report.html.hbs");
/// Clients drawn in the summary charts (the rest are in the tables).
const CHART_CLIENTS: usize = 30;

fn class(fit: Fit) -> &'static str {
    match fit {
        Fit::Direct => "direct",
        Fit::Transform => "transform",
        Fit::Rethink => "rethink",
        Fit::NoSuccessor => "no_successor",
    }
}

fn short(fit: Fit) -> &'static str {
    match fit {
        Fit::Direct => "As is",
        Fit::Transform => "Changes",
        Fit::Rethink => "Redesign",
        Fit::NoSuccessor => "None",
    }
}

fn colour(fit: Fit) -> &'static str {
    match fit {
        Fit::Direct => "#1f7a4d",
        Fit::Transform => "#2f5fd0",
        Fit::Rethink => "#c98a1b",
        Fit::NoSuccessor => "#b42318",
    }
}

fn escape(text: &str) -> String {
    handlebars::html_escape(text)
}

/// Horizontal stacked bars: findings per fit for each client.
fn fits_chart(rows: &[(String, Vec<(Fit, u32)>)]) -> String {
    let max = rows.iter().map(|(_, v)| v.iter().map(|(_, n)| n).sum::<u32>()).max().unwrap_or(1).max(1);
    let (label_w, bar_w, row_h) = (130.0, 330.0, 18.0);
    let height = row_h * rows.len() as f64 + 4.0;
    let mut svg = format!(
        r#"<svg viewBox="0 0 {w} {height}" width="100%" role="img" aria-label="Findings by fit per client">"#,
        w = label_w + bar_w + 40.0
    );
    for (i, (name, counts)) in rows.iter().enumerate() {
        let y = i as f64 * row_h;
        let _ = write!(svg, r#"<text x="0" y="{}">{}</text>"#, y + 12.0, escape(&truncate(name, 20)));
        let mut x = label_w;
        let mut total = 0;
        for (fit, n) in counts {
            let w = bar_w * f64::from(*n) / f64::from(max);
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{}"><title>{}: {n}</title></rect>"#,
                y + 2.0,
                row_h - 5.0,
                colour(*fit),
                fit.label()
            );
            x += w;
            total += n;
        }
        let _ = write!(svg, r#"<text x="{:.1}" y="{}">{total}</text>"#, x + 4.0, y + 12.0);
    }
    svg.push_str("</svg>");
    svg
}

fn effort_chart(rows: &[(String, u32)]) -> String {
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let (label_w, bar_w, row_h) = (130.0, 330.0, 18.0);
    let height = row_h * rows.len() as f64 + 4.0;
    let mut svg = format!(
        r#"<svg viewBox="0 0 {w} {height}" width="100%" role="img" aria-label="Effort per client">"#,
        w = label_w + bar_w + 40.0
    );
    for (i, (name, n)) in rows.iter().enumerate() {
        let y = i as f64 * row_h;
        let w = bar_w * f64::from(*n) / f64::from(max);
        let _ = write!(
            svg,
            r##"<text x="0" y="{}">{}</text><rect x="{label_w}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="#5b6675"></rect><text x="{:.1}" y="{}">{n}</text>"##,
            y + 12.0,
            escape(&truncate(name, 20)),
            y + 2.0,
            row_h - 5.0,
            label_w + w + 4.0,
            y + 12.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Daily sends as an area chart with the first and last date under it.
fn sends_chart(days: &[(String, f64)]) -> String {
    let (w, h) = (1000.0, 90.0);
    let max = days.iter().map(|(_, v)| *v).fold(1.0_f64, f64::max);
    let step = if days.len() > 1 { w / (days.len() - 1) as f64 } else { w };
    let mut points = String::new();
    for (i, (_, v)) in days.iter().enumerate() {
        let _ = write!(points, "{:.1},{:.1} ", i as f64 * step, h - (v / max) * (h - 6.0));
    }
    let first = days.first().map(|d| d.0.as_str()).unwrap_or_default();
    let last = days.last().map(|d| d.0.as_str()).unwrap_or_default();
    format!(
        r##"<svg viewBox="0 0 {w} {}" width="100%" role="img" aria-label="Emails sent per day"><polygon points="0,{h} {points}{w},{h}" fill="#e6edfb"></polygon><polyline points="{points}" fill="none" stroke="#2f5fd0" stroke-width="2"></polyline><text x="0" y="{}">{}</text><text x="{w}" y="{}" text-anchor="end">{} · peak {max:.0}/day</text></svg>"##,
        h + 16.0,
        h + 14.0,
        escape(first),
        h + 14.0,
        escape(last)
    )
}

fn truncate(text: &str, n: usize) -> String {
    if text.chars().count() <= n { text.to_owned() } else { text.chars().take(n - 1).collect::<String>() + "…" }
}

pub fn render(input: &ReportInput) -> Result<String> {
    let summary = Summary::of(input);
    let bp = input.blueprint;
    let kpis = daily_kpis(input);
    let fits_order = [Fit::Direct, Fit::Transform, Fit::Rethink, Fit::NoSuccessor];

    let mut by_effort: Vec<_> = bp.assessment.clients.iter().collect();
    by_effort.sort_by(|a, b| b.effort.cmp(&a.effort).then(a.client.id.cmp(&b.client.id)));
    by_effort.truncate(CHART_CLIENTS);
    let fit_rows: Vec<(String, Vec<(Fit, u32)>)> = by_effort
        .iter()
        .map(|c| {
            (c.client.name.clone(), fits_order.iter().map(|f| (*f, c.by_fit.get(f).copied().unwrap_or(0))).collect())
        })
        .collect();
    let effort_rows: Vec<(String, u32)> = by_effort.iter().map(|c| (c.client.name.clone(), c.effort)).collect();

    let matrix: Vec<Value> = bp
        .assessment
        .clients
        .iter()
        .map(|c| {
            let cells: Vec<Value> = Capability::ALL
                .iter()
                .map(|cap| match c.fits.get(cap) {
                    Some(fit) => json!({ "class": class(*fit), "short": short(*fit), "label": fit.label() }),
                    None => json!({ "class": "", "short": "", "label": "" }),
                })
                .collect();
            json!({ "id": c.client.id, "name": c.client.name, "cells": cells })
        })
        .collect();

    let clients: Vec<Value> = bp
        .clients
        .iter()
        .map(|p| {
            let ca = bp.assessment.client(&p.client);
            let projects = ca
                .map(|c| c.client.projects.iter().map(|x| format!("{} ({})", x.name, x.region)).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            let signed = input
                .sign_offs
                .iter()
                .filter(|s| s.client == p.client)
                .map(|s| format!("v{} by {} on {}", s.version, s.signed_by, s.signed_at.get(..10).unwrap_or(&s.signed_at)))
                .collect::<Vec<_>>()
                .join("; ");
            let tenancy: Vec<Value> =
                p.lines().into_iter().map(|l| json!({ "label": l.label, "text": l.text })).collect();

            let findings: Vec<Value> = bp
                .assessment
                .findings_of(&p.client)
                .filter(|f| f.fit != Fit::Direct)
                .map(|f| {
                    json!({
                        "class": class(f.fit), "fit": f.fit.label(),
                        "resource": format!("{} {}", f.resource.kind.as_str().replace('_', " "), f.resource.label()),
                        "field": f.evidence.iter().map(|e| e.field.as_str()).collect::<Vec<_>>().join(", "),
                        "reason": f.reason, "action": f.action,
                    })
                })
                .collect();
            let direct_count = bp.assessment.findings_of(&p.client).filter(|f| f.fit == Fit::Direct).count();
            let decisions: Vec<Value> = bp
                .decisions
                .iter()
                .filter(|d| d.client == p.client)
                .map(|d| {
                    let choice = [d.choice.as_str(), d.note.as_str()]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" — ");
                    json!({ "title": d.title, "status": d.status.as_str().replace('_', " "), "owner": d.owner,
                        "due": d.due, "choice": choice })
                })
                .collect();
            let sends: Vec<(String, f64)> = kpis
                .get(&(p.client.clone(), "txn-emails-sent-grouped-by-date".to_owned()))
                .map(|d| d.iter().map(|(k, v)| (k.clone(), *v)).collect())
                .unwrap_or_default();
            let h = &p.email_health;
            let migration = input.migration.and_then(|m| {
                let state = m.state(&p.client)?;
                let off: Vec<Value> = m
                    .verifications
                    .get(&p.client)
                    .map(|(_, v)| {
                        v.resources
                            .iter()
                            .filter(|r| r.check != crate::migration::verify::Check::Matches)
                            .map(|r| json!({ "what": format!("{} {}", r.kind.label(), r.name),
                                "check": r.check.label(), "detail": r.detail }))
                            .collect()
                    })
                    .unwrap_or_default();
                Some(json!({
                    "stage": state.stage.label(), "wave": state.wave,
                    "since": state.since.as_deref().map(super::minutes),
                    "verification": m.verification_line(&p.client), "off": off,
                    "audience": m.audience_line(&p.client),
                    "audience_written": m.audience_written(&p.client),
                    "audience_channels": m.audience_channels(&p.client),
                }))
            });
            let checklist: Vec<Value> = super::decommission::checklist(bp, input.records, &p.client)
                .into_iter()
                .map(|i| json!({ "step": i.step.label(), "what": i.what, "when": i.when, "why": i.why }))
                .collect();
            json!({
                "migration": migration, "decommission": checklist,
                "id": p.client, "name": p.name, "projects": projects, "effort": p.effort, "band": p.band.label(),
                "topology": p.connect.topology.label(),
                "reputation": p.ses.iter().map(|s| s.reputation_policy.as_str()).collect::<Vec<_>>().join(", "),
                "pool_count": p.sms.iter().map(|s| s.pools.len()).sum::<usize>(),
                "open_decisions": bp.decisions.iter().filter(|d| d.client == p.client && d.status.is_open()).count(),
                "signed": signed, "tenancy": tenancy, "findings": findings, "direct_count": direct_count, "decisions": decisions,
                "translations": p.translations.iter().map(|t| json!({
                    "kind": t.kind, "name": t.name, "target": t.target, "needs": t.needs_words(),
                    "class": if t.losses > 0 { "rethink" } else if t.warnings > 0 { "transform" } else { "direct" },
                })).collect::<Vec<_>>(),
                "sends": if sends.is_empty() { Value::Null } else { Value::String(sends_chart(&sends)) },
                "health": format!("{} sent, {} delivered, {:.2}% hard bounces, {:.3}% complaints.",
                    h.sent, h.delivered, h.bounce_rate * 100.0, h.complaint_rate * 100.0),
            })
        })
        .collect();

    let engagement_decisions: Vec<Value> = bp
        .decisions
        .iter()
        .filter(|d| d.client.is_empty() || d.client == crate::assess::UNASSIGNED)
        .map(|d| json!({ "title": d.title, "detail": d.detail, "status": d.status.as_str().replace('_', " "), "owner": d.owner, "due": d.due }))
        .collect();
    let quotas: Vec<Value> = bp
        .quotas
        .iter()
        .map(|q| {
            let (class, status) = match q.status {
                crate::blueprint::quota::QuotaStatus::Ok => ("direct", "within default"),
                crate::blueprint::quota::QuotaStatus::Breach => ("no_successor", "above default"),
                crate::blueprint::quota::QuotaStatus::Verify => ("rethink", "check"),
            };
            json!({ "quota": q.quota, "scope": q.scope, "needed": q.needed,
                "limit": q.limit.map_or("—".into(), |l| l.to_string()), "note": q.note, "class": class, "status": status })
        })
        .collect();

    let context = json!({
        "version": crate::VERSION,
        "summary": summary,
        "deadline": summary.deadline(),
        "deadline_future": summary.days_past_end_of_support < 0,
        "band": bp.assessment.band.label(),
        "no_successor": summary.by_fit.get(&Fit::NoSuccessor).copied().unwrap_or(0),
        "charts": { "fits": fits_chart(&fit_rows), "effort": effort_chart(&effort_rows) },
        "fits": fits_order.iter().map(|f| json!({ "class": class(*f), "label": f.label() })).collect::<Vec<_>>(),
        "capabilities": Capability::ALL.iter().map(|c| c.label()).collect::<Vec<_>>(),
        "matrix": matrix,
        "clients": clients,
        "engagement_decisions": engagement_decisions,
        "quotas": quotas,
    });
    let registry = handlebars::Handlebars::new();
    registry.render_template(TEMPLATE, &context).map_err(|e| Error::Internal(format!("rendering the HTML report: {e}")))
}
