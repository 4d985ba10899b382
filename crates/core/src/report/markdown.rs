//! The Markdown report: the summary, a table of clients, then a section per client.

use std::fmt::Write;

use super::{ReportInput, Summary};
use crate::assess::{Capability, Fit};

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn render(input: &ReportInput) -> String {
    let s = Summary::of(input);
    let bp = input.blueprint;
    let mut md = String::new();
    let _ = writeln!(md, "# Pinpoint migration blueprint — {}\n", cell(&s.engagement));
    let version = s.version.map_or_else(|| "current (not saved)".to_owned(), |v| format!("version {v}"));
    let _ = writeln!(md, "Generated {} · blueprint {version} · scan `{}`\n", s.generated_at, s.scan_id);
    let _ = writeln!(md, "> {}\n", s.deadline());
    let _ = writeln!(md, "## Summary\n");
    let _ = writeln!(md, "| | |\n|---|---|");
    let _ = writeln!(md, "| Clients | {} ({} signed off) |", s.clients, s.signed_off);
    let _ = writeln!(md, "| Projects / resources | {} / {} |", s.projects, s.resources);
    let _ = writeln!(md, "| Findings | {} |", s.findings);
    for fit in [Fit::Direct, Fit::Transform, Fit::Rethink, Fit::NoSuccessor] {
        let _ = writeln!(md, "| — {} | {} |", fit.label(), s.by_fit.get(&fit).copied().unwrap_or(0));
    }
    let _ = writeln!(md, "| Effort | {} points ({}) |", s.effort, bp.assessment.band.label());
    let _ = writeln!(md, "| Decisions | {} open, {} made |\n", s.open_decisions, s.decided);

    let _ = writeln!(md, "## Clients\n");
    let _ = writeln!(
        md,
        "| Client | Projects | Effort | Connect | Email reputation | Signed off |\n|---|---|---|---|---|---|"
    );
    for tenancy in &bp.clients {
        let ca = bp.assessment.client(&tenancy.client);
        let projects = ca
            .map(|c| {
                c.client.projects.iter().map(|p| format!("{} ({})", p.name, p.region)).collect::<Vec<_>>().join(", ")
            })
            .unwrap_or_default();
        let reputation = tenancy.ses.iter().map(|x| x.reputation_policy.as_str()).collect::<Vec<_>>().join(", ");
        let signed = input
            .sign_offs
            .iter()
            .filter(|x| x.client == tenancy.client)
            .map(|x| format!("v{} by {}", x.version, x.signed_by))
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(
            md,
            "| {} | {} | {} ({}) | {} | {} | {} |",
            cell(&tenancy.name),
            cell(&projects),
            tenancy.effort,
            tenancy.band.label(),
            tenancy.connect.topology.label(),
            if reputation.is_empty() { "—".into() } else { reputation },
            if signed.is_empty() { "—".into() } else { cell(&signed) }
        );
    }

    for tenancy in &bp.clients {
        let _ = writeln!(md, "\n## {} (`{}`)\n", cell(&tenancy.name), tenancy.client);
        if let Some(ca) = bp.assessment.client(&tenancy.client) {
            let _ = writeln!(md, "| Capability | Fit |\n|---|---|");
            for cap in Capability::ALL {
                if let Some(fit) = ca.fits.get(&cap) {
                    let _ = writeln!(md, "| {} | {} |", cap.label(), fit.label());
                }
            }
        }
        if let Some(m) = input.migration
            && let Some(state) = m.state(&tenancy.client)
        {
            let _ = writeln!(md, "\n### Migration\n");
            let wave = state.wave.as_deref().map(|w| format!(" (wave {w})")).unwrap_or_default();
            let since = state.since.as_deref().map(|s| format!(" since {}", super::minutes(s))).unwrap_or_default();
            let _ = writeln!(md, "- **Status**: {}{wave}{since}", state.stage.label());
            if let Some(line) = m.verification_line(&tenancy.client) {
                let _ = writeln!(md, "- **Verification**: {}", cell(&line));
            }
            if let Some((_, v)) = m.verifications.get(&tenancy.client) {
                for r in v.resources.iter().filter(|r| r.check != crate::migration::verify::Check::Matches) {
                    let _ = writeln!(
                        md,
                        "- {} {}: {} — {}",
                        r.kind.label(),
                        cell(&r.name),
                        r.check.label(),
                        cell(&r.detail)
                    );
                }
            }
            if let Some(line) = m.audience_line(&tenancy.client) {
                let _ = writeln!(md, "\n#### Audience reconciliation\n\nLoad {}\n", cell(&line));
                let _ = writeln!(md, "| | Transformed | Written | In the target | Where |\n|---|---|---|---|---|");
                for r in m.audience_written(&tenancy.client) {
                    let _ = writeln!(md, "| {} |", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
                }
                let _ = writeln!(
                    md,
                    "\n| Channel | Endpoints read | In profiles | Invalid address | Inactive (excluded) | Duplicate | Opted out |\n|---|---|---|---|---|---|---|"
                );
                for r in m.audience_channels(&tenancy.client) {
                    let _ = writeln!(md, "| {} |", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
                }
            }
        }
        let checklist = super::decommission::checklist(bp, input.records, &tenancy.client);
        if !checklist.is_empty() {
            let _ = writeln!(md, "\n### Decommission checklist\n");
            let _ = writeln!(md, "| Step | What | When | Why |\n|---|---|---|---|");
            for item in checklist {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} |",
                    item.step.label(),
                    cell(&item.what),
                    cell(&item.when),
                    cell(&item.why)
                );
            }
        }
        let _ = writeln!(md, "\n### Target\n");
        for line in tenancy.lines() {
            let _ = writeln!(md, "- **{}**: {}", line.label, cell(&line.text));
        }
        let findings: Vec<_> = bp.assessment.findings_of(&tenancy.client).filter(|f| f.fit != Fit::Direct).collect();
        if !findings.is_empty() {
            let _ = writeln!(md, "\n### What needs work\n");
            let _ = writeln!(md, "| Fit | Resource | Field | Why | What to do |\n|---|---|---|---|---|");
            for f in findings {
                let fields: Vec<&str> = f.evidence.iter().map(|e| e.field.as_str()).collect();
                let _ = writeln!(
                    md,
                    "| {} | {} {} | `{}` | {} | {} |",
                    f.fit.label(),
                    f.resource.kind.as_str().replace('_', " "),
                    cell(f.resource.label()),
                    cell(&fields.join(", ")),
                    cell(&f.reason),
                    cell(&f.action)
                );
            }
        }
        if !tenancy.translations.is_empty() {
            let _ = writeln!(md, "\n### Translations\n");
            let _ = writeln!(md, "| What | Name | Goes to | Needs a person |\n|---|---|---|---|");
            for t in &tenancy.translations {
                let _ = writeln!(md, "| {} | `{}` | {} | {} |", t.kind, cell(&t.name), t.target, t.needs_words());
            }
        }
        let decisions: Vec<_> = bp.decisions.iter().filter(|d| d.client == tenancy.client).collect();
        if !decisions.is_empty() {
            let _ = writeln!(md, "\n### Decisions\n");
            let _ = writeln!(md, "| Decision | Status | Owner | Due | Choice / note |\n|---|---|---|---|---|");
            for d in decisions {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {} |",
                    cell(&d.title),
                    d.status.as_str().replace('_', " "),
                    cell(&d.owner),
                    d.due,
                    cell(
                        &[d.choice.as_str(), d.note.as_str()]
                            .iter()
                            .filter(|s| !s.is_empty())
                            .copied()
                            .collect::<Vec<_>>()
                            .join(" — ")
                    )
                );
            }
        }
    }
    let shared: Vec<_> =
        bp.decisions.iter().filter(|d| d.client.is_empty() || d.client == crate::assess::UNASSIGNED).collect();
    if !shared.is_empty() {
        let _ = writeln!(md, "\n## Engagement-wide decisions\n");
        let _ = writeln!(md, "| Decision | Status | Owner | Due |\n|---|---|---|---|");
        for d in shared {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                cell(&d.title),
                d.status.as_str().replace('_', " "),
                cell(&d.owner),
                d.due
            );
        }
    }
    let _ = writeln!(md, "\n## Quota pre-flight\n");
    let _ = writeln!(md, "| Quota | Scope | Needed | Default | Status |\n|---|---|---|---|---|");
    for q in &bp.quotas {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {:?} |",
            q.quota,
            q.scope,
            q.needed,
            q.limit.map_or("—".into(), |l| l.to_string()),
            q.status
        );
    }
    md
}
