//! Reports for people who sign off: rendered from the same blueprint the CLI and the desktop show, in
//! HTML (self-contained, print-ready), XLSX, CSV, JSON, Markdown, and CloudFormation templates of the
//! target topology per client. Rendering returns bytes; front ends decide where they go.
//!
//! Reports never contain secrets (the blueprint holds none) nor endpoint addresses (profiling keeps
//! counts only).

mod cloudformation;
mod csv_files;
pub mod decommission;
mod html;
mod markdown;
mod xlsx;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::assess::Fit;
use crate::blueprint::Blueprint;
use crate::blueprint::store::SignOff;
use crate::estate::{ResourceKind, ResourceRecord};
use crate::{Error, Result};

/// Amazon Pinpoint's end of support.
pub const END_OF_SUPPORT: &str = "2026-10-30";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Html,
    Xlsx,
    Csv,
    Json,
    Md,
    #[serde(rename = "cloudformation")]
    CloudFormation,
}

impl Format {
    pub const ALL: [Format; 6] =
        [Format::Html, Format::Xlsx, Format::Csv, Format::Json, Format::Md, Format::CloudFormation];

    pub fn parse(text: &str) -> Result<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == text).ok_or_else(|| {
            let known: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
            Error::invalid("format", format!("{text:?}: use one of {}", known.join(", ")))
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Md => "md",
            Format::CloudFormation => "cloudformation",
        }
    }

    /// Whether the format is several files (written into a folder).
    pub fn is_folder(self) -> bool {
        matches!(self, Format::Csv | Format::CloudFormation)
    }
}

/// What a report is made from.
#[derive(Debug)]
pub struct ReportInput<'a> {
    pub engagement: &'a str,
    /// RFC 3339.
    pub generated_at: &'a str,
    pub blueprint: &'a Blueprint,
    /// The saved version the blueprint is, if it is one.
    pub version: Option<u32>,
    pub sign_offs: &'a [SignOff],
    /// The scan's records (inventory and KPI archive).
    pub records: &'a [ResourceRecord],
    /// Where each client's migration stands, when the report is of an engagement that has one.
    pub migration: Option<&'a Migration>,
}

/// Each client's migration status and newest verification.
#[derive(Debug, Clone, Default)]
pub struct Migration {
    pub states: Vec<crate::migration::waves::ClientState>,
    /// Client → (when, its newest verification).
    pub verifications: BTreeMap<String, (String, crate::migration::verify::ClientVerification)>,
    /// Client → its newest audience load (counts only: a load summary holds no address).
    pub audience: BTreeMap<String, crate::migration::audience::LoadSummary>,
}

/// `2026-12-03 12:00 UTC` from an RFC 3339 time (as it is when it does not parse).
pub fn minutes(at: &str) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => at.to_owned(),
    }
}

impl Migration {
    pub fn state(&self, client: &str) -> Option<&crate::migration::waves::ClientState> {
        self.states.iter().find(|s| s.client == client)
    }

    /// The reconciliation of `client`'s audience: one row per channel (channel, endpoints read, in
    /// profiles, invalid address, inactive excluded, duplicate, opted out), then `all`.
    pub fn audience_channels(&self, client: &str) -> Vec<[String; 7]> {
        let Some(l) = self.audience.get(client) else { return Vec::new() };
        let rec = &l.reconciliation;
        let mut rows: Vec<[String; 7]> = rec
            .by_channel
            .iter()
            .map(|(channel, c)| {
                [
                    channel.clone(),
                    c.read.to_string(),
                    c.in_profiles.to_string(),
                    c.invalid_address.to_string(),
                    c.inactive_excluded.to_string(),
                    c.duplicate.to_string(),
                    c.opted_out.to_string(),
                ]
            })
            .collect();
        rows.push([
            "all".into(),
            rec.endpoints_read.to_string(),
            rec.in_profiles.to_string(),
            rec.invalid_address.to_string(),
            rec.inactive_excluded.to_string(),
            rec.duplicate.to_string(),
            rec.by_channel.values().map(|c| c.opted_out).sum::<u64>().to_string(),
        ]);
        rows
    }

    /// What `client`'s audience load wrote against what the transform made and the target held when it
    /// finished: (what, transformed, written, held, where).
    pub fn audience_written(&self, client: &str) -> Vec<[String; 5]> {
        let Some(l) = self.audience.get(client) else { return Vec::new() };
        let counts = l.counts.clone().unwrap_or_default();
        let held = |n: Option<u64>| n.map_or_else(|| "not read".to_owned(), |n| n.to_string());
        let rec = &l.reconciliation;
        vec![
            [
                "profiles".into(),
                rec.profiles.to_string(),
                l.profiles_written.to_string(),
                held(counts.profiles),
                match &l.target.domain {
                    Some(d) if l.target.shared_domain => format!("domain {d} (shared: held counts the whole domain)"),
                    Some(d) => format!("domain {d}"),
                    None => "no Customer Profiles domain (SES and SMS only)".into(),
                },
            ],
            [
                "opted-out numbers".into(),
                rec.opt_outs.sms_numbers.to_string(),
                l.opted_out_written.to_string(),
                held(counts.opted_out_numbers),
                l.target
                    .opt_out_list
                    .as_ref()
                    .map_or_else(|| "no opt-out list".into(), |n| format!("opt-out list {n}")),
            ],
            [
                "suppressed addresses".into(),
                rec.opt_outs.email_addresses.to_string(),
                l.suppressed_written.to_string(),
                held(counts.suppressed_addresses),
                l.target.tenant.as_ref().map_or_else(|| "no SES tenant".into(), |t| format!("tenant {t}")),
            ],
        ]
    }

    /// `load-… finished, reconciles` for `client`'s newest load.
    pub fn audience_line(&self, client: &str) -> Option<String> {
        let l = self.audience.get(client)?;
        Some(format!(
            "{} {}{}{}",
            l.id,
            l.state,
            match (l.state.as_str(), l.holds) {
                ("finished", true) =>
                    ": every endpoint accounted for, every profile, opt-out and suppression written and held",
                ("finished", false) => ": does NOT reconcile",
                _ => "",
            },
            if l.not_carried.is_empty() {
                String::new()
            } else {
                format!("; not carried: {}", l.not_carried.join("; "))
            }
        ))
    }

    /// The verification of `client` in a line: verdict, counts, renders.
    pub fn verification_line(&self, client: &str) -> Option<String> {
        let (at, v) = self.verifications.get(client)?;
        let not_ready: Vec<String> = v
            .readiness
            .iter()
            .filter(|r| !r.ready)
            .map(|r| format!("; not ready to send: {} in {}: {}", r.service.label(), r.region, r.detail))
            .chain(v.audience.iter().map(|a| match a.state.as_str() {
                "loaded" => format!(
                    "; audience loaded: {} endpoints, {} profiles, {} opted-out numbers, {} suppressed addresses",
                    a.endpoints_read, a.profiles_written, a.opted_out_written, a.suppressed_written
                ),
                _ => format!("; audience: {}", a.note),
            }))
            .collect();
        Some(format!(
            "{} on {}: {} of {} resources present, {} match; {} of {} templates render as in Pinpoint; {} segments{}",
            v.verdict.label(),
            minutes(at),
            v.counts.present,
            v.counts.expected,
            v.counts.matching,
            v.counts.templates_identical,
            v.counts.templates,
            v.counts.segments,
            not_ready.concat()
        ))
    }
}

/// One file of a report.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// File name (inside the output folder for folder formats).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The headline numbers every format shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Summary {
    pub engagement: String,
    pub generated_at: String,
    pub scan_id: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    pub clients: u32,
    pub projects: u32,
    pub resources: u32,
    pub findings: u32,
    pub by_fit: BTreeMap<Fit, u32>,
    pub effort: u32,
    pub open_decisions: u32,
    pub decided: u32,
    pub signed_off: u32,
    pub end_of_support: String,
    /// Days since (positive) or until (negative) Pinpoint's end of support.
    pub days_past_end_of_support: i64,
}

impl Summary {
    pub fn of(input: &ReportInput) -> Summary {
        let bp = input.blueprint;
        let mut by_fit = BTreeMap::new();
        let mut seen = std::collections::BTreeSet::new();
        for f in bp.assessment.findings.iter().filter(|f| seen.insert(f.id.as_str())) {
            *by_fit.entry(f.fit).or_insert(0) += 1;
        }
        let today = input.generated_at.get(..10).and_then(|d| jiff::civil::Date::strptime("%Y-%m-%d", d).ok());
        let eos = jiff::civil::date(2026, 10, 30);
        let days = today.map_or(0, |t| (t - eos).get_days() as i64);
        let signed: std::collections::BTreeSet<&str> = input.sign_offs.iter().map(|s| s.client.as_str()).collect();
        Summary {
            engagement: input.engagement.to_owned(),
            generated_at: input.generated_at.to_owned(),
            scan_id: bp.scan_id.clone(),
            version: input.version,
            clients: bp.clients.len() as u32,
            projects: bp.assessment.clients.iter().map(|c| c.client.projects.len() as u32).sum(),
            resources: input.records.iter().filter(|r| r.kind != ResourceKind::Kpi).count() as u32,
            findings: seen.len() as u32,
            by_fit,
            effort: bp.assessment.effort,
            open_decisions: bp.decisions.iter().filter(|d| d.status.is_open()).count() as u32,
            decided: bp.decisions.iter().filter(|d| !d.status.is_open()).count() as u32,
            signed_off: bp.clients.iter().filter(|c| signed.contains(c.client.as_str())).count() as u32,
            end_of_support: END_OF_SUPPORT.to_owned(),
            days_past_end_of_support: days,
        }
    }

    /// The deadline in words.
    pub fn deadline(&self) -> String {
        match self.days_past_end_of_support {
            d if d > 0 => format!("Pinpoint reached end of support on {} ({d} days ago).", self.end_of_support),
            0 => format!("Pinpoint reaches end of support today ({}).", self.end_of_support),
            d => format!("Pinpoint reaches end of support on {} (in {} days).", self.end_of_support, -d),
        }
    }
}

/// Which clients own each record (projects' records: the project's client; account-level: attribution).
pub(crate) fn owners(blueprint: &Blueprint) -> impl Fn(&ResourceRecord) -> Vec<String> + '_ {
    let projects: BTreeMap<String, String> = blueprint
        .assessment
        .clients
        .iter()
        .flat_map(|c| c.client.projects.iter().map(move |p| (p.key(), c.client.id.clone())))
        .collect();
    let owned: BTreeMap<String, Vec<String>> =
        blueprint.assessment.attributions.iter().map(|a| (a.resource.key(), a.clients.clone())).collect();
    move |r: &ResourceRecord| {
        if r.project_id.is_empty() {
            owned.get(&crate::assess::ResourceRef::of(r).key()).cloned().unwrap_or_default()
        } else {
            projects.get(&r.project_key()).cloned().into_iter().collect()
        }
    }
}

/// Daily KPI values per client: (client, KPI name) → date → value.
pub(crate) fn daily_kpis(input: &ReportInput) -> BTreeMap<(String, String), BTreeMap<String, f64>> {
    let owners = owners(input.blueprint);
    let mut out: BTreeMap<(String, String), BTreeMap<String, f64>> = BTreeMap::new();
    for r in input.records.iter().filter(|r| r.kind == ResourceKind::Kpi) {
        let Some(client) = owners(r).into_iter().next() else { continue };
        let days = out.entry((client, r.id.clone())).or_default();
        for (date, value) in crate::estate::kpi_days(&r.raw) {
            *days.entry(date).or_default() += value;
        }
    }
    out
}

/// Renders a report.
pub fn render(input: &ReportInput, format: Format) -> Result<Vec<Artifact>> {
    Ok(match format {
        Format::Json => {
            let decommission: BTreeMap<&str, Vec<decommission::Item>> = input
                .blueprint
                .clients
                .iter()
                .map(|c| (c.client.as_str(), decommission::checklist(input.blueprint, input.records, &c.client)))
                .collect();
            let doc = serde_json::json!({
                "summary": Summary::of(input),
                "sign_offs": input.sign_offs,
                "blueprint": input.blueprint,
                "migration": input.migration.map(|m| serde_json::json!({
                    "clients": m.states,
                    "verifications": m.verifications.iter().map(|(c, (at, v))| (c.clone(), serde_json::json!({ "at": at, "verification": v }))).collect::<BTreeMap<_, _>>(),
                })),
                "decommission": decommission,
            });
            let bytes = serde_json::to_vec_pretty(&doc).map_err(|e| Error::Internal(e.to_string()))?;
            vec![Artifact { name: "report.json".into(), bytes }]
        }
        Format::Md => vec![Artifact { name: "report.md".into(), bytes: markdown::render(input).into_bytes() }],
        Format::Html => vec![Artifact { name: "report.html".into(), bytes: html::render(input)?.into_bytes() }],
        Format::Xlsx => vec![Artifact { name: "report.xlsx".into(), bytes: xlsx::render(input)? }],
        Format::Csv => csv_files::render(input)?,
        Format::CloudFormation => cloudformation::render(input)?,
    })
}

/// Writes a rendered report to `out` (a file, or a folder for [`Format::is_folder`] formats). Refuses to
/// replace an existing file or a non-empty folder unless `force`; each file is written next to its target
/// and renamed into place, so a reader never sees half a report and a failure leaves the old one as it was.
pub fn write(artifacts: &[Artifact], format: Format, out: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    if format.is_folder() {
        if out.is_file() {
            return Err(Error::invalid(
                "out",
                format!("{} is a file; {} reports are folders", out.display(), format.as_str()),
            ));
        }
        let occupied = out.read_dir().map(|mut d| d.next().is_some()).unwrap_or(false);
        if occupied && !force {
            return Err(Error::FileExists { path: out.to_owned() });
        }
        std::fs::create_dir_all(out).map_err(|source| Error::Io { path: out.to_owned(), source })?;
        for a in artifacts {
            let path = out.join(&a.name);
            atomic_write(&path, &a.bytes)?;
            written.push(path);
        }
    } else {
        if out.exists() && !force {
            return Err(Error::FileExists { path: out.to_owned() });
        }
        for a in artifacts {
            atomic_write(out, &a.bytes)?;
            written.push(out.to_owned());
        }
    }
    Ok(written)
}

fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let io = |source| Error::Io { path: path.to_owned(), source };
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Renders a report of an engagement's blueprint: a saved `version`, or the current blueprint of `scan`
/// (the newest finished scan by default), with the sign-offs that apply to it.
pub fn render_engagement(
    engagement: &crate::engagement::Engagement,
    format: Format,
    version: Option<u32>,
    scan: Option<&str>,
    generated_at: &str,
) -> Result<Vec<Artifact>> {
    let (blueprint, records) = match version {
        Some(v) => {
            let blueprint = engagement.blueprint_version(v)?;
            let records = engagement.scan_records(&blueprint.scan_id, None)?;
            (blueprint, records)
        }
        None => engagement.current_blueprint(scan)?,
    };
    let sign_offs: Vec<SignOff> =
        engagement.sign_offs()?.into_iter().filter(|s| version.is_none_or(|v| s.version == v)).collect();
    let info = engagement.info()?;
    let migration = Migration {
        states: engagement.client_states(&blueprint.assessment)?,
        verifications: engagement.latest_verifications()?,
        audience: {
            let mut newest = BTreeMap::new();
            for l in engagement.audience_loads()? {
                newest.entry(l.client.clone()).or_insert(l);
            }
            newest
        },
    };
    let input = ReportInput {
        engagement: &info.name,
        generated_at,
        blueprint: &blueprint,
        version,
        sign_offs: &sign_offs,
        records: &records,
        migration: Some(&migration),
    };
    render(&input, format)
}
