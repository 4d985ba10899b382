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

pub fn show(engagement: &Engagement, scan: Option<&str>, kind: Option<&str>, json: bool) -> anyhow::Result<()> {
    let summary = engagement.scan_summary(scan)?;
    let kind = match kind {
        None => None,
        Some(k) => Some(ResourceKind::parse(k).ok_or_else(|| {
            let known: Vec<&str> = ResourceKind::ALL.iter().map(|k| k.as_str()).collect();
            pinshift_core::Error::invalid("kind", format!("{k:?}: use one of {}", known.join(", ")))
        })?),
    };
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
