//! `pinshift estate list|show`.

use pinshift_core::engagement::Engagement;
use pinshift_core::estate::ResourceKind;

use crate::output;

pub fn list(engagement: &Engagement, json: bool) -> anyhow::Result<()> {
    let scans = engagement.list_scans()?;
    if json {
        return output::json(&scans);
    }
    if scans.is_empty() {
        output::status("No scans yet. Run: pinshift scan");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = scans
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                s.started_at.clone(),
                s.status.to_string(),
                s.accounts.to_string(),
                s.projects.to_string(),
                s.resources.to_string(),
                s.issues.to_string(),
            ]
        })
        .collect();
    output::table(&["SCAN", "STARTED", "STATUS", "ACCOUNTS", "PROJECTS", "RESOURCES", "ISSUES"], &rows)
}

fn parse_kind(kind: Option<&str>) -> anyhow::Result<Option<ResourceKind>> {
    Ok(match kind {
        None => None,
        Some(k) => Some(ResourceKind::parse(k).ok_or_else(|| {
            let known: Vec<&str> = ResourceKind::ALL.iter().map(|k| k.as_str()).collect();
            pinshift_core::Error::invalid("kind", format!("{k:?}: use one of {}", known.join(", ")))
        })?),
    })
}

pub fn show(engagement: &Engagement, scan: Option<&str>, kind: Option<&str>, json: bool) -> anyhow::Result<()> {
    let summary = engagement.scan_summary(scan)?;
    let kind = parse_kind(kind)?;
    let records = engagement.scan_records(&summary.id, kind)?;
    let issues = engagement.scan_issues(&summary.id)?;
    if json {
        return output::json(&serde_json::json!({ "scan": summary, "resources": records, "issues": issues }));
    }
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            vec![
                r.account_id.clone(),
                r.region.clone(),
                r.kind.as_str().to_owned(),
                r.id.clone(),
                r.version.clone(),
                r.name.clone().unwrap_or_default(),
            ]
        })
        .collect();
    output::table(&["ACCOUNT", "REGION", "KIND", "ID", "VERSION", "NAME"], &rows)?;
    for issue in &issues {
        output::status(&format!(
            "issue: {} {} {} {}: {} — {}",
            issue.account_id, issue.region, issue.project_id, issue.operation, issue.code, issue.message
        ));
    }
    Ok(())
}

pub fn export(engagement: &Engagement, scan: Option<&str>, output: Option<&std::path::Path>) -> anyhow::Result<()> {
    let summary = engagement.scan_summary(scan)?;
    let document = serde_json::json!({
        "scan": summary,
        "resources": engagement.scan_records(&summary.id, None)?,
        "issues": engagement.scan_issues(&summary.id)?,
    });
    match output {
        None => output::json(&document),
        Some(path) => {
            let file = std::fs::File::create_new(path).map_err(|source| {
                if source.kind() == std::io::ErrorKind::AlreadyExists {
                    pinshift_core::Error::FileExists { path: path.to_owned() }
                } else {
                    pinshift_core::Error::Io { path: path.to_owned(), source }
                }
            })?;
            serde_json::to_writer_pretty(std::io::BufWriter::new(file), &document)?;
            output::status(&format!("Wrote scan {} to {}", summary.id, path.display()));
            Ok(())
        }
    }
}

pub fn diff(
    engagement: &Engagement,
    before: &str,
    after: Option<&str>,
    kind: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let kind = parse_kind(kind)?;
    let a = engagement.scan_summary(Some(before))?;
    let b = engagement.scan_summary(after)?;
    let changes =
        pinshift_core::diff::diff(&engagement.scan_records(&a.id, kind)?, &engagement.scan_records(&b.id, kind)?);
    if json {
        return output::json(&serde_json::json!({ "before": a.id, "after": b.id, "changes": changes }));
    }
    if changes.is_empty() {
        output::status(&format!("No differences between {} and {}", a.id, b.id));
        return Ok(());
    }
    let mut rows = Vec::new();
    for c in &changes {
        let r = &c.resource;
        let place = format!("{} {} {} {}", r.account_id, r.region, r.kind.as_str(), r.name.as_deref().unwrap_or(&r.id));
        match &c.change {
            pinshift_core::diff::Change::Added => rows.push(vec!["added".into(), place, String::new()]),
            pinshift_core::diff::Change::Removed => rows.push(vec!["removed".into(), place, String::new()]),
            pinshift_core::diff::Change::Changed { fields } => {
                for field in fields {
                    let show = |v: &Option<serde_json::Value>| {
                        v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "(absent)".into())
                    };
                    rows.push(vec![
                        "changed".into(),
                        place.clone(),
                        format!("{}: {} → {}", field.path, show(&field.before), show(&field.after)),
                    ]);
                }
            }
        }
    }
    output::table(&["CHANGE", "RESOURCE", "FIELD"], &rows)
}
