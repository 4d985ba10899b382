//! Browsing a stored estate: the account × Region × project tree with counts per kind, pages of
//! resources matching a filter, and one resource with its raw payload — what the desktop's explorer shows
//! without sending tens of megabytes of payloads across IPC.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ResourceKind, ResourceRecord};
use crate::engagement::Engagement;
use crate::{Error, Result};

/// One branch of the estate tree: an account × Region × project (empty project: account-level), with its
/// resource counts per kind.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EstateBranch {
    pub account_id: String,
    pub region: String,
    pub project_id: String,
    /// The project's name; empty for account-level resources.
    pub project_name: String,
    pub counts: std::collections::BTreeMap<ResourceKind, u32>,
}

/// What the explorer asks for: a place in the tree, a kind, and text to find in ids and names.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
pub struct EstateQuery {
    #[ts(optional)]
    #[serde(default)]
    pub account_id: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub region: Option<String>,
    /// `Some("")` selects account-level resources.
    #[ts(optional)]
    #[serde(default)]
    pub project_id: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub kind: Option<ResourceKind>,
    #[serde(default)]
    pub search: String,
    #[serde(default)]
    pub offset: u32,
    pub limit: u32,
}

/// A resource without its payload, for lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ResourceSummary {
    pub account_id: String,
    pub region: String,
    pub project_id: String,
    pub kind: ResourceKind,
    pub id: String,
    pub version: String,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One page of resources and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EstatePage {
    pub total: u32,
    pub items: Vec<ResourceSummary>,
}

impl Engagement {
    /// The estate tree of a scan: every account × Region × project with counts per kind.
    pub fn estate_tree(&self, scan_id: &str) -> Result<Vec<EstateBranch>> {
        let mut stmt = self.conn().prepare(
            "SELECT r.account_id, r.region, r.project_id, r.kind, count(*),
                    coalesce((SELECT p.name FROM scan_resource p WHERE p.scan_id = r.scan_id AND p.kind = 'project'
                              AND p.account_id = r.account_id AND p.region = r.region AND p.id = r.project_id), '')
             FROM scan_resource r WHERE r.scan_id = ?1 AND r.kind != 'project'
             GROUP BY r.account_id, r.region, r.project_id, r.kind
             ORDER BY r.account_id, r.region, r.project_id",
        )?;
        let rows = stmt.query_map([scan_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, u32>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?;
        let mut branches: Vec<EstateBranch> = Vec::new();
        for row in rows {
            let (account_id, region, project_id, kind, count, project_name) = row?;
            let Some(kind) = ResourceKind::parse(&kind) else { continue };
            let same = branches.last().is_some_and(|b: &EstateBranch| {
                b.account_id == account_id && b.region == region && b.project_id == project_id
            });
            if !same {
                branches.push(EstateBranch {
                    account_id,
                    region,
                    project_id,
                    project_name,
                    counts: Default::default(),
                });
            }
            if let Some(branch) = branches.last_mut() {
                branch.counts.insert(kind, count);
            }
        }
        Ok(branches)
    }

    /// A page of a scan's resources matching `query` (ids and names contain `search`, any case).
    pub fn estate_page(&self, scan_id: &str, query: &EstateQuery) -> Result<EstatePage> {
        let limit = query.limit.clamp(1, 1000);
        let search = format!("%{}%", query.search.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let filter = "scan_id = ?1 AND (?2 IS NULL OR account_id = ?2) AND (?3 IS NULL OR region = ?3)
             AND (?4 IS NULL OR project_id = ?4) AND (?5 IS NULL OR kind = ?5)
             AND (id LIKE ?6 ESCAPE '\\' OR coalesce(name, '') LIKE ?6 ESCAPE '\\')";
        let args = params![
            scan_id,
            query.account_id,
            query.region,
            query.project_id,
            query.kind.map(ResourceKind::as_str),
            search
        ];
        let total: u32 =
            self.conn().query_row(&format!("SELECT count(*) FROM scan_resource WHERE {filter}"), args, |r| r.get(0))?;
        let mut stmt = self.conn().prepare(&format!(
            "SELECT account_id, region, project_id, kind, id, version, name FROM scan_resource WHERE {filter}
             ORDER BY account_id, region, project_id, kind, id, version LIMIT ?7 OFFSET ?8"
        ))?;
        let rows = stmt.query_map(
            params![
                scan_id,
                query.account_id,
                query.region,
                query.project_id,
                query.kind.map(ResourceKind::as_str),
                search,
                limit,
                query.offset
            ],
            |row| {
                let kind: String = row.get(3)?;
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, kind, row.get(4)?, row.get(5)?, row.get(6)?))
            },
        )?;
        let mut items = Vec::new();
        for row in rows {
            let (account_id, region, project_id, kind, id, version, name): (
                String,
                String,
                String,
                String,
                String,
                String,
                Option<String>,
            ) = row?;
            let Some(kind) = ResourceKind::parse(&kind) else { continue };
            items.push(ResourceSummary { account_id, region, project_id, kind, id, version, name });
        }
        Ok(EstatePage { total, items })
    }

    /// One resource with its raw payload.
    pub fn estate_resource(&self, scan_id: &str, r: &ResourceSummary) -> Result<ResourceRecord> {
        let raw: Option<String> = self
            .conn()
            .query_row(
                "SELECT raw FROM scan_resource WHERE scan_id = ?1 AND account_id = ?2 AND region = ?3
                 AND project_id = ?4 AND kind = ?5 AND id = ?6 AND version = ?7",
                params![scan_id, r.account_id, r.region, r.project_id, r.kind.as_str(), r.id, r.version],
                |row| row.get(0),
            )
            .optional()?;
        let raw =
            raw.ok_or_else(|| Error::invalid("resource", format!("no {} {:?} in this scan", r.kind.as_str(), r.id)))?;
        let raw = serde_json::from_str(&raw).map_err(|e| Error::Internal(format!("stored payload: {e}")))?;
        Ok(ResourceRecord {
            account_id: r.account_id.clone(),
            region: r.region.clone(),
            project_id: r.project_id.clone(),
            kind: r.kind,
            id: r.id.clone(),
            version: r.version.clone(),
            name: r.name.clone(),
            raw,
        })
    }
}

/// One KPI of one project over the scan's 90 days: a value per day.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct KpiSeries {
    /// Pinpoint's KPI name, e.g. `txn-emails-sent-grouped-by-date`.
    pub kpi: String,
    /// (`YYYY-MM-DD`, value), oldest first.
    pub points: Vec<(String, f64)>,
}

impl Engagement {
    /// A project's daily KPIs from a scan, one series per KPI, days in order.
    pub fn project_kpis(
        &self,
        scan_id: &str,
        account_id: &str,
        region: &str,
        project_id: &str,
    ) -> Result<Vec<KpiSeries>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, raw FROM scan_resource WHERE scan_id = ?1 AND kind = 'kpi'
             AND account_id = ?2 AND region = ?3 AND project_id = ?4 ORDER BY id, version",
        )?;
        let rows = stmt.query_map(params![scan_id, account_id, region, project_id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut series: std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>> =
            Default::default();
        for row in rows {
            let (kpi, raw) = row?;
            let raw: serde_json::Value =
                serde_json::from_str(&raw).map_err(|e| Error::Internal(format!("stored payload: {e}")))?;
            let days = series.entry(kpi).or_default();
            for (date, value) in super::kpi_days(&raw) {
                *days.entry(date).or_default() += value;
            }
        }
        Ok(series.into_iter().map(|(kpi, days)| KpiSeries { kpi, points: days.into_iter().collect() }).collect())
    }
}
