//! The estate: what one inventory scan found. Every resource is a [`ResourceRecord`] — where it lives,
//! what it is, and the raw payload AWS returned — and everything that could not be read is a
//! [`ScanIssue`]. Both are stored in the engagement file, one scan at a time.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::engagement::Engagement;

mod explore;
pub mod path;
use crate::{Error, Result};
pub use explore::{EstateBranch, EstatePage, EstateQuery, KpiSeries, ResourceSummary};

/// What kind of resource a record is. Project-level kinds carry their project's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    /// A Pinpoint project (app).
    Project,
    ProjectSettings,
    Channel,
    Segment,
    SegmentVersion,
    Campaign,
    CampaignVersion,
    CampaignActivity,
    Journey,
    /// A journey's execution metrics (entered, active, left).
    JourneyMetrics,
    EventStream,
    ImportJob,
    ExportJob,
    /// One KPI over one window (version = the window's first day).
    Kpi,
    /// A message template (its active version).
    Template,
    TemplateVersion,
    Recommender,
    /// An SES identity an email channel sends from.
    EmailIdentity,
    /// An SES configuration set an email channel names, with its event destinations.
    EmailConfigurationSet,
    /// End User Messaging SMS and voice v2 resources (account-level).
    PhoneNumber,
    SenderId,
    Pool,
    /// An opt-out list, with its opted-out count.
    OptOutList,
    SmsConfigurationSet,
    Registration,
    /// A project's audience, profiled from an endpoint export (opt-in): counts and schema, no endpoints.
    AudienceProfile,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 26] = [
        ResourceKind::Project,
        ResourceKind::ProjectSettings,
        ResourceKind::Channel,
        ResourceKind::Segment,
        ResourceKind::SegmentVersion,
        ResourceKind::Campaign,
        ResourceKind::CampaignVersion,
        ResourceKind::CampaignActivity,
        ResourceKind::Journey,
        ResourceKind::JourneyMetrics,
        ResourceKind::EventStream,
        ResourceKind::ImportJob,
        ResourceKind::ExportJob,
        ResourceKind::Kpi,
        ResourceKind::Template,
        ResourceKind::TemplateVersion,
        ResourceKind::Recommender,
        ResourceKind::EmailIdentity,
        ResourceKind::EmailConfigurationSet,
        ResourceKind::PhoneNumber,
        ResourceKind::SenderId,
        ResourceKind::Pool,
        ResourceKind::OptOutList,
        ResourceKind::SmsConfigurationSet,
        ResourceKind::Registration,
        ResourceKind::AudienceProfile,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Project => "project",
            ResourceKind::ProjectSettings => "project_settings",
            ResourceKind::Channel => "channel",
            ResourceKind::Segment => "segment",
            ResourceKind::SegmentVersion => "segment_version",
            ResourceKind::Campaign => "campaign",
            ResourceKind::CampaignVersion => "campaign_version",
            ResourceKind::CampaignActivity => "campaign_activity",
            ResourceKind::Journey => "journey",
            ResourceKind::JourneyMetrics => "journey_metrics",
            ResourceKind::EventStream => "event_stream",
            ResourceKind::ImportJob => "import_job",
            ResourceKind::ExportJob => "export_job",
            ResourceKind::Kpi => "kpi",
            ResourceKind::Template => "template",
            ResourceKind::TemplateVersion => "template_version",
            ResourceKind::Recommender => "recommender",
            ResourceKind::EmailIdentity => "email_identity",
            ResourceKind::EmailConfigurationSet => "email_configuration_set",
            ResourceKind::PhoneNumber => "phone_number",
            ResourceKind::SenderId => "sender_id",
            ResourceKind::Pool => "pool",
            ResourceKind::OptOutList => "opt_out_list",
            ResourceKind::SmsConfigurationSet => "sms_configuration_set",
            ResourceKind::Registration => "registration",
            ResourceKind::AudienceProfile => "audience_profile",
        }
    }

    pub fn parse(text: &str) -> Option<ResourceKind> {
        ResourceKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One resource as scanned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ResourceRecord {
    pub account_id: String,
    pub region: String,
    /// The project a project-level resource belongs to; empty for account-level ones.
    pub project_id: String,
    pub kind: ResourceKind,
    pub id: String,
    /// The version for versioned kinds; empty otherwise.
    pub version: String,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The payload exactly as AWS returned it.
    #[ts(type = "unknown")]
    pub raw: serde_json::Value,
}

impl ResourceRecord {
    /// The record without its payload, as lists and changes show it.
    pub fn summary(&self) -> ResourceSummary {
        ResourceSummary {
            account_id: self.account_id.clone(),
            region: self.region.clone(),
            project_id: self.project_id.clone(),
            kind: self.kind,
            id: self.id.clone(),
            version: self.version.clone(),
            name: self.name.clone(),
        }
    }

    /// `account/Region/project id` of the project a project-level record belongs to (its client's key).
    pub fn project_key(&self) -> String {
        format!("{}/{}/{}", self.account_id, self.region, self.project_id)
    }
}

/// A KPI payload's daily values: (`YYYY-MM-DD`, the row's values summed), in the order AWS listed them.
pub fn kpi_days(raw: &serde_json::Value) -> Vec<(String, f64)> {
    raw["KpiResult"]["Rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| {
            let date = row["GroupedBys"].as_array()?.iter().find(|g| g["Key"] == "Date")?["Value"].as_str()?;
            let value = row["Values"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| crate::estate::path::number(&v["Value"]))
                .sum();
            Some((date.to_owned(), value))
        })
        .collect()
}

/// A scan issue in plain words: what happened, and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ExplainedIssue {
    #[serde(flatten)]
    pub issue: ScanIssue,
    pub what: String,
    pub action: String,
}

impl ScanIssue {
    /// What happened and what to do, for people who do not read AWS error codes.
    pub fn explain(&self) -> ExplainedIssue {
        let kind = self.kind.as_str().replace('_', " ");
        let operation = &self.operation;
        let (what, action) = match self.code.as_str() {
            "AccessDenied" | "AccessDeniedException" | "ForbiddenException" | "UnauthorizedOperation" => (
                format!("The connection may not call {operation}, so this {kind} was not read."),
                "Ask the account's admin to attach the policy `pinshift iam-policy scan` prints (Connections shows it), then resume or scan again.".to_owned(),
            ),
            "NotFoundException" | "ResourceNotFoundException" | "NotFound" => (
                format!("This {kind} disappeared while the scan ran."),
                "Scan again to confirm it is gone.".to_owned(),
            ),
            "TooManyRequestsException" | "ThrottlingException" | "Throttling" | "SlowDown" => (
                format!("AWS kept throttling {operation}, even after ten paced attempts."),
                "Resume the scan later, or with a lower concurrency.".to_owned(),
            ),
            "Unreachable" | "InternalServerErrorException" | "InternalServerException" | "ServiceUnavailable" => (
                format!("AWS did not answer {operation} after ten attempts."),
                "Check the network and proxy, then resume the scan.".to_owned(),
            ),
            "MissingFromDump" => (
                format!("The dump has no file for this {kind}."),
                "Run the dump script again where the AWS CLI can reach the account, then scan the folder again.".to_owned(),
            ),
            "InvalidDumpFile" => (
                "A file in the dump is damaged or not what the AWS CLI writes.".to_owned(),
                "Re-create that file with the dump script; the message names it and the place in it.".to_owned(),
            ),
            "IncompleteDump" => (
                "A file in the dump holds only the first page of a longer list.".to_owned(),
                "Scan the account live, or write that list's remaining pages with --next-token.".to_owned(),
            ),
            "ExportJobFailed" | "ExportJobTimedOut" | "ExportUnreadable" => (
                "Pinpoint could not export this project's endpoints for audience profiling.".to_owned(),
                "Check that the bucket is in the project's Region and that the export role trusts pinpoint.amazonaws.com and may write to the bucket.".to_owned(),
            ),
            code => (
                format!("AWS answered {code} to {operation}."),
                "Read AWS's message; resume the scan once the cause is fixed.".to_owned(),
            ),
        };
        ExplainedIssue { issue: self.clone(), what, action }
    }
}

/// Something a scan could not read, and why, in AWS's words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScanIssue {
    pub account_id: String,
    pub region: String,
    pub project_id: String,
    pub kind: ResourceKind,
    /// The API call that failed, e.g. `mobiletargeting:ListJourneys`.
    pub operation: String,
    /// AWS's error code (`AccessDeniedException`, `ForbiddenException`, …) or `Unreachable`.
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ScanStatus {
    Running,
    Complete,
    /// Finished, but some resources could not be read: see the scan's issues.
    CompleteWithGaps,
    Cancelled,
    Failed,
}

impl std::fmt::Display for ScanStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ScanStatus::Running => "running",
            ScanStatus::Complete => "complete",
            ScanStatus::CompleteWithGaps => "complete with gaps",
            ScanStatus::Cancelled => "cancelled",
            ScanStatus::Failed => "failed",
        })
    }
}

impl ScanStatus {
    fn as_str(self) -> &'static str {
        match self {
            ScanStatus::Running => "running",
            ScanStatus::Complete => "complete",
            ScanStatus::CompleteWithGaps => "complete_with_gaps",
            ScanStatus::Cancelled => "cancelled",
            ScanStatus::Failed => "failed",
        }
    }

    fn parse(text: &str) -> ScanStatus {
        match text {
            "running" => ScanStatus::Running,
            "complete" => ScanStatus::Complete,
            "complete_with_gaps" => ScanStatus::CompleteWithGaps,
            "cancelled" => ScanStatus::Cancelled,
            _ => ScanStatus::Failed,
        }
    }
}

/// One scan, as `pinshift estate list` shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ScanSummary {
    pub id: String,
    pub started_at: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    pub status: ScanStatus,
    pub accounts: u32,
    pub projects: u32,
    pub resources: u32,
    pub issues: u32,
}

impl Engagement {
    /// Starts recording a scan; `request` describes what was asked for (connections, Regions).
    pub fn begin_scan(&self, id: &str, started_at: &str, request: &serde_json::Value) -> Result<()> {
        self.conn().execute(
            "INSERT INTO scan (id, started_at, status, request) VALUES (?1, ?2, 'running', ?3)",
            params![id, started_at, request.to_string()],
        )?;
        Ok(())
    }

    /// Stores a unit's records and issues, and marks the unit done, in one transaction: after a crash a
    /// unit is either wholly stored or read again.
    pub fn store_scan_results(
        &self,
        scan_id: &str,
        unit: &str,
        records: &[ResourceRecord],
        issues: &[ScanIssue],
    ) -> Result<()> {
        let tx = self.write_transaction()?;
        {
            tx.execute("INSERT OR IGNORE INTO scan_unit (scan_id, unit) VALUES (?1, ?2)", params![scan_id, unit])?;
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO scan_resource (scan_id, account_id, region, project_id, kind, id, version, name, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for r in records {
                insert.execute(params![
                    scan_id,
                    r.account_id,
                    r.region,
                    r.project_id,
                    r.kind.as_str(),
                    r.id,
                    r.version,
                    r.name,
                    r.raw.to_string()
                ])?;
            }
            let mut insert = tx.prepare_cached(
                "INSERT INTO scan_issue (scan_id, account_id, region, project_id, kind, operation, code, message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for i in issues {
                insert.execute(params![
                    scan_id,
                    i.account_id,
                    i.region,
                    i.project_id,
                    i.kind.as_str(),
                    i.operation,
                    i.code,
                    i.message
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The units a scan has finished.
    pub fn scan_units(&self, scan_id: &str) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn().prepare("SELECT unit FROM scan_unit WHERE scan_id = ?1")?;
        let rows = stmt.query_map([scan_id], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What a scan was asked to do (its stored request).
    pub fn scan_request(&self, scan_id: &str) -> Result<serde_json::Value> {
        let text: String =
            self.conn().query_row("SELECT request FROM scan WHERE id = ?1", [scan_id], |row| row.get(0))?;
        serde_json::from_str(&text).map_err(|e| Error::Internal(format!("stored scan request: {e}")))
    }

    /// The newest scan that did not finish (stopped or interrupted), if any.
    pub fn resumable_scan(&self) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM scan WHERE status IN ('running', 'cancelled') ORDER BY started_at DESC, rowid DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Marks a scan running again (resumed).
    pub fn reopen_scan(&self, scan_id: &str) -> Result<()> {
        self.conn().execute("UPDATE scan SET status = 'running', finished_at = NULL WHERE id = ?1", [scan_id])?;
        Ok(())
    }

    pub fn finish_scan(&self, scan_id: &str, finished_at: &str, status: ScanStatus) -> Result<()> {
        self.conn().execute(
            "UPDATE scan SET finished_at = ?2, status = ?3 WHERE id = ?1",
            params![scan_id, finished_at, status.as_str()],
        )?;
        Ok(())
    }

    /// Every scan, newest first.
    pub fn list_scans(&self) -> Result<Vec<ScanSummary>> {
        let mut stmt = self.conn().prepare(
            "SELECT s.id, s.started_at, s.finished_at, s.status,
                    (SELECT count(DISTINCT account_id) FROM scan_resource r WHERE r.scan_id = s.id),
                    (SELECT count(*) FROM scan_resource r WHERE r.scan_id = s.id AND r.kind = 'project'),
                    (SELECT count(*) FROM scan_resource r WHERE r.scan_id = s.id),
                    (SELECT count(*) FROM scan_issue i WHERE i.scan_id = s.id)
             FROM scan s ORDER BY s.started_at DESC, s.rowid DESC",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(ScanSummary {
                id: row.get(0)?,
                started_at: row.get(1)?,
                finished_at: row.get(2)?,
                status: ScanStatus::parse(&row.get::<_, String>(3)?),
                accounts: row.get(4)?,
                projects: row.get(5)?,
                resources: row.get(6)?,
                issues: row.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A scan by id, or the newest when `id` is `None`.
    pub fn scan_summary(&self, id: Option<&str>) -> Result<ScanSummary> {
        let scans = self.list_scans()?;
        let found = match id {
            None => scans.into_iter().next(),
            Some(id) => scans.into_iter().find(|s| s.id == id || s.id.starts_with(id)),
        };
        found.ok_or_else(|| match id {
            None => Error::invalid("scan", "this engagement has no scan yet: run `pinshift scan`"),
            Some(id) => Error::invalid("scan", format!("no scan {id:?} in this engagement (`pinshift estate list`)")),
        })
    }

    /// A scan's records, optionally of one kind, in a stable order.
    pub fn scan_records(&self, scan_id: &str, kind: Option<ResourceKind>) -> Result<Vec<ResourceRecord>> {
        let mut stmt = self.conn().prepare(
            "SELECT account_id, region, project_id, kind, id, version, name, raw FROM scan_resource
             WHERE scan_id = ?1 AND (?2 IS NULL OR kind = ?2)
             ORDER BY account_id, region, project_id, kind, id, version",
        )?;
        let rows = stmt.query_map(params![scan_id, kind.map(ResourceKind::as_str)], |row| {
            let kind: String = row.get(3)?;
            let raw: String = row.get(7)?;
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, kind, row.get(4)?, row.get(5)?, row.get(6)?, raw))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (account_id, region, project_id, kind, id, version, name, raw): (
                String,
                String,
                String,
                String,
                String,
                String,
                Option<String>,
                String,
            ) = row?;
            let kind = ResourceKind::parse(&kind)
                .ok_or_else(|| Error::Internal(format!("unknown resource kind {kind:?} in the engagement file")))?;
            let raw = serde_json::from_str(&raw).map_err(|e| Error::Internal(format!("stored payload: {e}")))?;
            out.push(ResourceRecord { account_id, region, project_id, kind, id, version, name, raw });
        }
        Ok(out)
    }

    pub fn scan_issues(&self, scan_id: &str) -> Result<Vec<ScanIssue>> {
        let mut stmt = self.conn().prepare(
            "SELECT account_id, region, project_id, kind, operation, code, message FROM scan_issue
             WHERE scan_id = ?1 ORDER BY account_id, region, project_id, operation",
        )?;
        let rows = stmt.query_map([scan_id], |row| {
            let kind: String = row.get(3)?;
            Ok(ScanIssue {
                account_id: row.get(0)?,
                region: row.get(1)?,
                project_id: row.get(2)?,
                kind: ResourceKind::parse(&kind).unwrap_or(ResourceKind::Project),
                operation: row.get(4)?,
                code: row.get(5)?,
                message: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
