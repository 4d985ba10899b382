//! The CSV report: one file per table (clients, findings, decisions, attributions, inventory, the 90-day
//! KPI archive, each client's migration status and verification, and the decommission checklists), for
//! spreadsheets and other tools.

use super::{Artifact, ReportInput, daily_kpis, owners};
use crate::estate::ResourceKind;
use crate::{Error, Result};

fn table(name: &str, header: &[&str], rows: Vec<Vec<String>>) -> Result<Artifact> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Internal(format!("writing {name}: {e}"));
    writer.write_record(header).map_err(fail)?;
    for row in rows {
        writer.write_record(&row).map_err(fail)?;
    }
    let bytes = writer.into_inner().map_err(|e| Error::Internal(format!("writing {name}: {e}")))?;
    Ok(Artifact { name: name.to_owned(), bytes })
}

/// One table of the report: its name, header and rows.
pub(crate) type Table = (&'static str, Vec<&'static str>, Vec<Vec<String>>);

/// Rows of each table, shared with the XLSX workbook.
pub(crate) fn tables(input: &ReportInput) -> Vec<Table> {
    let bp = input.blueprint;
    let clients = bp
        .clients
        .iter()
        .map(|p| {
            let ca = bp.assessment.client(&p.client);
            vec![
                p.client.clone(),
                p.name.clone(),
                ca.map(|c| c.client.projects.iter().map(|x| x.name.clone()).collect::<Vec<_>>().join("; "))
                    .unwrap_or_default(),
                ca.map_or(0, |c| c.findings).to_string(),
                p.effort.to_string(),
                p.band.label().to_owned(),
                p.connect.topology.label().to_owned(),
                p.ses
                    .iter()
                    .map(|s| format!("{} ({})", s.tenant_name, s.reputation_policy.as_str()))
                    .collect::<Vec<_>>()
                    .join("; "),
                p.sms.iter().flat_map(|s| s.pools.iter().map(|x| x.name.clone())).collect::<Vec<_>>().join("; "),
                p.connect.profiles_domain.as_ref().map(|d| d.name.clone()).unwrap_or_default(),
                p.email_health.sent.to_string(),
                format!("{:.4}", p.email_health.bounce_rate),
                format!("{:.4}", p.email_health.complaint_rate),
                input
                    .sign_offs
                    .iter()
                    .filter(|s| s.client == p.client)
                    .map(|s| format!("v{} {} {}", s.version, s.signed_by, s.signed_at))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    let findings = bp
        .assessment
        .findings
        .iter()
        .map(|f| {
            vec![
                f.client.clone(),
                f.rule.clone(),
                f.capability.label().to_owned(),
                f.fit.label().to_owned(),
                f.resource.kind.as_str().to_owned(),
                f.resource.label().to_owned(),
                f.resource.region.clone(),
                f.evidence.iter().map(|e| e.field.clone()).collect::<Vec<_>>().join("; "),
                f.evidence.iter().map(|e| e.value.clone()).collect::<Vec<_>>().join("; "),
                f.service.label().to_owned(),
                f.successor.clone(),
                f.reason.clone(),
                f.action.clone(),
                f.effort.to_string(),
                if f.shared { "yes".into() } else { String::new() },
            ]
        })
        .collect();
    let decisions = bp
        .decisions
        .iter()
        .map(|d| {
            vec![
                d.id.clone(),
                d.client.clone(),
                format!("{:?}", d.kind),
                d.title.clone(),
                d.status.as_str().to_owned(),
                d.owner.clone(),
                d.due.clone(),
                d.choice.clone(),
                d.note.clone(),
                d.updated_by.clone(),
                d.updated_at.clone(),
            ]
        })
        .collect();
    let attributions = bp
        .assessment
        .attributions
        .iter()
        .map(|a| {
            vec![
                a.resource.kind.as_str().to_owned(),
                a.resource.label().to_owned(),
                a.resource.region.clone(),
                a.clients.join("; "),
                format!("{:?}", a.status).to_lowercase(),
                a.proposals.iter().map(|p| format!("{}: {}", p.client, p.reason)).collect::<Vec<_>>().join("; "),
            ]
        })
        .collect();
    let owner = owners(bp);
    let inventory = input
        .records
        .iter()
        .filter(|r| r.kind != ResourceKind::Kpi)
        .map(|r| {
            vec![
                r.account_id.clone(),
                r.region.clone(),
                r.project_id.clone(),
                r.kind.as_str().to_owned(),
                r.id.clone(),
                r.version.clone(),
                r.name.clone().unwrap_or_default(),
                owner(r).join("; "),
            ]
        })
        .collect();
    let kpis = daily_kpis(input)
        .into_iter()
        .flat_map(|((client, kpi), days)| {
            days.into_iter().map(move |(date, value)| vec![client.clone(), kpi.clone(), date, value.to_string()])
        })
        .collect();
    vec![
        (
            "clients",
            vec![
                "client",
                "name",
                "projects",
                "findings",
                "effort",
                "band",
                "connect",
                "ses tenants",
                "sms pools",
                "profiles domain",
                "emails sent (90 d)",
                "bounce rate",
                "complaint rate",
                "signed off",
            ],
            clients,
        ),
        (
            "findings",
            vec![
                "client",
                "rule",
                "capability",
                "fit",
                "kind",
                "resource",
                "region",
                "fields",
                "values",
                "service",
                "successor",
                "reason",
                "action",
                "effort",
                "shared",
            ],
            findings,
        ),
        (
            "decisions",
            vec![
                "id",
                "client",
                "kind",
                "title",
                "status",
                "owner",
                "due",
                "choice",
                "note",
                "updated by",
                "updated at",
            ],
            decisions,
        ),
        (
            "translations",
            vec!["client", "kind", "id", "name", "target", "losses", "warnings", "notes"],
            bp.clients
                .iter()
                .flat_map(|p| {
                    p.translations.iter().map(|t| {
                        vec![
                            p.client.clone(),
                            t.kind.clone(),
                            t.id.clone(),
                            t.name.clone(),
                            t.target.clone(),
                            t.losses.to_string(),
                            t.warnings.to_string(),
                            t.notes.to_string(),
                        ]
                    })
                })
                .collect(),
        ),
        ("attributions", vec!["kind", "resource", "region", "owners", "status", "why"], attributions),
        ("inventory", vec!["account", "region", "project", "kind", "id", "version", "name", "clients"], inventory),
        ("kpis", vec!["client", "kpi", "date", "value"], kpis),
        (
            "migration",
            vec![
                "client",
                "wave",
                "status",
                "since",
                "run",
                "verified",
                "verdict",
                "resources expected",
                "present",
                "matching",
                "templates",
                "renders identical",
                "segments",
            ],
            migration_rows(input),
        ),
        (
            "audience",
            vec!["client", "load", "state", "reconciles", "what", "transformed", "written", "held", "where"],
            audience_rows(input),
        ),
        (
            "audience-channels",
            vec![
                "client",
                "channel",
                "endpoints read",
                "in profiles",
                "invalid address",
                "inactive excluded",
                "duplicate",
                "opted out",
            ],
            audience_channel_rows(input),
        ),
        ("decommission", vec!["client", "step", "what", "when", "why"], decommission_rows(input)),
    ]
}

/// Each loaded client's audience: what the transform made, the load wrote and the target held.
fn audience_rows(input: &ReportInput) -> Vec<Vec<String>> {
    let Some(m) = input.migration else { return Vec::new() };
    m.audience
        .iter()
        .flat_map(|(client, l)| {
            m.audience_written(client).into_iter().map(move |row| {
                let mut out = vec![client.clone(), l.id.clone(), l.state.clone(), (l.holds).to_string()];
                out.extend(row);
                out
            })
        })
        .collect()
}

/// Each loaded client's endpoints by channel: where every one went.
fn audience_channel_rows(input: &ReportInput) -> Vec<Vec<String>> {
    let Some(m) = input.migration else { return Vec::new() };
    m.audience
        .keys()
        .flat_map(|client| {
            m.audience_channels(client).into_iter().map(move |row| {
                let mut out = vec![client.clone()];
                out.extend(row);
                out
            })
        })
        .collect()
}

fn migration_rows(input: &ReportInput) -> Vec<Vec<String>> {
    let Some(m) = input.migration else { return Vec::new() };
    m.states
        .iter()
        .map(|s| {
            let v = m.verifications.get(&s.client);
            let n = |f: &dyn Fn(&crate::migration::verify::Counts) -> u32| {
                v.map(|(_, v)| f(&v.counts).to_string()).unwrap_or_default()
            };
            vec![
                s.client.clone(),
                s.wave.clone().unwrap_or_default(),
                s.stage.label().to_owned(),
                s.since.clone().unwrap_or_default(),
                s.run.clone().unwrap_or_default(),
                v.map(|(at, _)| at.clone()).unwrap_or_default(),
                v.map(|(_, v)| v.verdict.label().to_owned()).unwrap_or_default(),
                n(&|c| c.expected),
                n(&|c| c.present),
                n(&|c| c.matching),
                n(&|c| c.templates),
                n(&|c| c.templates_identical),
                n(&|c| c.segments),
            ]
        })
        .collect()
}

fn decommission_rows(input: &ReportInput) -> Vec<Vec<String>> {
    input
        .blueprint
        .clients
        .iter()
        .flat_map(|c| {
            super::decommission::checklist(input.blueprint, input.records, &c.client)
                .into_iter()
                .map(|i| vec![c.client.clone(), i.step.label().to_owned(), i.what, i.when, i.why])
        })
        .collect()
}

pub fn render(input: &ReportInput) -> Result<Vec<Artifact>> {
    tables(input).into_iter().map(|(name, header, rows)| table(&format!("{name}.csv"), &header, rows)).collect()
}
