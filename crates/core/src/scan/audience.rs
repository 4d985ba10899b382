//! Audience profiling (opt-in): each project's endpoints, exported by Pinpoint to the customer's own S3
//! bucket and streamed back line by line, summarised without keeping any endpoint — counts per channel,
//! opt-outs, endpoints without a UserId, the attribute schema (names, types, fill rates, multi-value
//! use), and addresses that appear in more than one project (clients sharing contacts).
//!
//! Pinpoint has no API listing attribute names, so the export is the only way to learn the schema the
//! Customer Profiles mapping needs (reference §1.1, Endpoints).
//!
//! Addresses are compared as keyed 64-bit hashes held in memory for the run only (about 18 bytes per
//! distinct address); neither addresses nor hashes reach the engagement file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::sync::atomic::Ordering;

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::Result;
use crate::clock::{Clock, rfc3339};
use crate::engagement::Engagement;
use crate::estate::{ResourceKind, ResourceRecord, ScanIssue, ScanStatus, ScanSummary};
use crate::scan::{ScanEvent, ScanOptions, ScanTarget};

/// Where exports go: the customer's bucket (in the project's Region) and the role Pinpoint assumes to
/// write there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportSettings {
    pub bucket: String,
    /// Key prefix inside the bucket; each export goes below `<prefix>pinshift-<scan>/<project>/`.
    pub prefix: String,
    pub role_arn: String,
}

impl ExportSettings {
    /// Checks the bucket name, prefix and role ARN, naming the field at fault.
    pub fn validate(&self) -> Result<()> {
        let bucket_ok = (3..=63).contains(&self.bucket.len())
            && self.bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
            && !self.bucket.starts_with(['-', '.'])
            && !self.bucket.ends_with(['-', '.']);
        if !bucket_ok {
            return Err(crate::Error::invalid(
                "export bucket",
                format!("{:?} is not an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)", self.bucket),
            ));
        }
        if self.prefix.starts_with('/') {
            return Err(crate::Error::invalid("export prefix", "a key prefix does not start with '/'"));
        }
        let parts: Vec<&str> = self.role_arn.splitn(6, ':').collect();
        let role_ok = parts.len() == 6
            && parts[0] == "arn"
            && parts[2] == "iam"
            && parts[4].len() == 12
            && parts[4].chars().all(|c| c.is_ascii_digit())
            && parts[5].starts_with("role/");
        if !role_ok {
            return Err(crate::Error::invalid(
                "export role",
                format!("{:?} is not a role ARN like arn:aws:iam::123456789012:role/PinpointExport", self.role_arn),
            ));
        }
        Ok(())
    }

    /// The key prefix as a folder (`exports/`, or empty).
    pub fn key_prefix(&self) -> String {
        if self.prefix.is_empty() || self.prefix.ends_with('/') {
            self.prefix.clone()
        } else {
            format!("{}/", self.prefix)
        }
    }

    /// The S3 URL prefix one project's export is written below.
    pub fn url_for(&self, scan_id: &str, project: &str) -> String {
        format!("s3://{}/{}pinshift-{scan_id}/{project}/", self.bucket, self.key_prefix())
    }
}

/// What one export was, for the record (and for cleaning up the bucket afterwards).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportStats {
    pub job_id: String,
    /// Where the export was written (`s3://…/`).
    pub location: String,
    pub objects: u32,
    /// Compressed bytes read from S3.
    pub bytes: u64,
    pub seconds: f64,
}

/// Endpoints of one channel type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ChannelCounts {
    pub endpoints: u64,
    pub active: u64,
    pub opted_out: u64,
}

/// The inferred type of an attribute's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    Number,
    Boolean,
    Date,
    String,
}

/// One attribute as the endpoints use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AttributeProfile {
    /// `Attributes`, `User.UserAttributes` or `Metrics`.
    pub source: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: AttributeType,
    /// Endpoints with at least one value.
    pub filled: u64,
    /// `filled` over all endpoints (0–1).
    pub fill_rate: f64,
    /// Endpoints with more than one value (Customer Profiles attributes hold one).
    pub multi_valued: u64,
    pub max_values: u32,
}

/// A project's audience, summarised.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct AudienceProfile {
    pub endpoints: u64,
    /// By `ChannelType` (EMAIL, SMS, APNS, …).
    pub channels: BTreeMap<String, ChannelCounts>,
    /// `EndpointStatus` INACTIVE.
    pub inactive: u64,
    /// `OptOut` ALL.
    pub opted_out: u64,
    /// Endpoints without `User.UserId` (Customer Profiles needs a key: a synthetic one must be made).
    pub without_user_id: u64,
    pub distinct_users: u64,
    /// Endpoints whose address another endpoint of the same project also has.
    pub duplicate_addresses: u64,
    /// Distinct addresses also found in other projects of this profiling run, by project id.
    pub shared_with: BTreeMap<String, u64>,
    /// How many projects the shared-address comparison covered (a resumed run compares only the projects
    /// it read itself).
    pub compared_projects: u32,
    pub attributes: Vec<AttributeProfile>,
    /// Fill counts of the standard fields (`Demographic.*`, `Location.*`) the mapping uses.
    pub standard_fields: BTreeMap<String, u64>,
    /// Lines of the export that were not endpoints (not JSON objects), with the first one's position.
    pub unreadable_lines: u64,
    pub export: ExportStats,
}

#[derive(Debug, Default)]
struct Attribute {
    filled: u64,
    multi: u64,
    max_values: u32,
    number: bool,
    boolean: bool,
    date: bool,
    seen: bool,
}

impl Attribute {
    fn add_text(&mut self, values: &[Value]) {
        self.count(values.len());
        for value in values {
            let text = match value {
                Value::String(s) => s.as_str(),
                Value::Number(_) => {
                    self.observe(true, false, false);
                    continue;
                }
                _ => "",
            };
            let number = text.trim().parse::<f64>().is_ok_and(f64::is_finite);
            let boolean = text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false");
            let date = text.len() >= 10 && text.get(..10).is_some_and(|d| d.parse::<jiff::civil::Date>().is_ok());
            self.observe(number, boolean, date);
        }
    }

    fn count(&mut self, values: usize) {
        if values > 0 {
            self.filled += 1;
        }
        if values > 1 {
            self.multi += 1;
        }
        self.max_values = self.max_values.max(values as u32);
    }

    fn observe(&mut self, number: bool, boolean: bool, date: bool) {
        if self.seen {
            self.number &= number;
            self.boolean &= boolean;
            self.date &= date;
        } else {
            (self.number, self.boolean, self.date, self.seen) = (number, boolean, date, true);
        }
    }

    fn kind(&self) -> AttributeType {
        match (self.seen, self.number, self.boolean, self.date) {
            (true, true, _, _) => AttributeType::Number,
            (true, _, true, _) => AttributeType::Boolean,
            (true, _, _, true) => AttributeType::Date,
            _ => AttributeType::String,
        }
    }
}

const STANDARD_FIELDS: [(&str, &[&str]); 2] = [
    (
        "Demographic",
        &["AppVersion", "Locale", "Make", "Model", "ModelVersion", "Platform", "PlatformVersion", "Timezone"],
    ),
    ("Location", &["City", "Country", "Latitude", "Longitude", "PostalCode", "Region"]),
];

/// Builds one project's [`AudienceProfile`] from its endpoints, one at a time.
#[derive(Debug, Default)]
pub struct Profiler {
    profile: AudienceProfile,
    attributes: BTreeMap<(&'static str, String), Attribute>,
    users: HashSet<u64>,
    addresses: HashMap<u64, u32>,
    hasher: std::hash::RandomState,
}

impl Profiler {
    /// Adds one line of an export (an endpoint as JSON); returns its address hash, if it has one.
    pub fn add_line(&mut self, line: &str) -> Option<u64> {
        if line.trim().is_empty() {
            return None;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(endpoint @ Value::Object(_)) => self.add(&endpoint),
            _ => {
                self.profile.unreadable_lines += 1;
                None
            }
        }
    }

    /// Adds one endpoint; returns its address hash, if it has one.
    pub fn add(&mut self, endpoint: &Value) -> Option<u64> {
        let p = &mut self.profile;
        p.endpoints += 1;
        let channel = endpoint["ChannelType"].as_str().unwrap_or("UNKNOWN").to_owned();
        let counts = p.channels.entry(channel.clone()).or_default();
        counts.endpoints += 1;
        let inactive = endpoint["EndpointStatus"].as_str() == Some("INACTIVE");
        let opted_out = endpoint["OptOut"].as_str() == Some("ALL");
        if inactive {
            p.inactive += 1;
        } else {
            counts.active += 1;
        }
        if opted_out {
            p.opted_out += 1;
            counts.opted_out += 1;
        }
        match endpoint["User"]["UserId"].as_str().filter(|u| !u.is_empty()) {
            Some(user) => {
                self.users.insert(self.hasher.hash_one(user));
            }
            None => p.without_user_id += 1,
        }
        for (group, fields) in STANDARD_FIELDS {
            for field in fields {
                let value = &endpoint[group][*field];
                if !value.is_null() && value.as_str() != Some("") {
                    *p.standard_fields.entry(format!("{group}.{field}")).or_default() += 1;
                }
            }
        }
        for (source, object) in
            [("Attributes", &endpoint["Attributes"]), ("User.UserAttributes", &endpoint["User"]["UserAttributes"])]
        {
            for (name, values) in object.as_object().into_iter().flatten() {
                let values = values.as_array().map(Vec::as_slice).unwrap_or_default();
                self.attributes.entry((source, name.clone())).or_default().add_text(values);
            }
        }
        for (name, value) in endpoint["Metrics"].as_object().into_iter().flatten() {
            let metric = self.attributes.entry(("Metrics", name.clone())).or_default();
            metric.count(1);
            metric.observe(value.is_number(), false, false);
        }
        let address = endpoint["Address"].as_str().map(str::trim).filter(|a| !a.is_empty())?;
        // Email addresses compare case-insensitively; phone numbers and tokens as they are.
        let address = if channel == "EMAIL" {
            self.hasher.hash_one(address.to_lowercase())
        } else {
            self.hasher.hash_one(address)
        };
        let seen = self.addresses.entry(address).or_default();
        *seen += 1;
        if *seen > 1 {
            self.profile.duplicate_addresses += if *seen == 2 { 2 } else { 1 };
        }
        Some(address)
    }

    /// The profile so far, with the hashes of the addresses it saw (for [`Overlap`]).
    pub fn finish(mut self, export: ExportStats) -> (AudienceProfile, impl Iterator<Item = u64>) {
        let total = self.profile.endpoints.max(1) as f64;
        self.profile.distinct_users = self.users.len() as u64;
        self.profile.attributes = self
            .attributes
            .into_iter()
            .map(|((source, name), a)| AttributeProfile {
                source: source.to_owned(),
                name,
                kind: a.kind(),
                filled: a.filled,
                fill_rate: a.filled as f64 / total,
                multi_valued: a.multi,
                max_values: a.max_values,
            })
            .collect();
        self.profile.export = export;
        (self.profile, self.addresses.into_keys())
    }

    /// Hashes with the same key as another profiler (so addresses compare across projects).
    pub fn with_hasher(hasher: std::hash::RandomState) -> Self {
        Profiler { hasher, ..Profiler::default() }
    }
}

/// Addresses across projects: which projects each distinct address was seen in.
#[derive(Debug, Default)]
pub struct Overlap {
    /// Address hash → the first project's index, or `SHARED + i` for the i-th entry of `shared`.
    first: HashMap<u64, u32>,
    shared: Vec<Vec<u32>>,
    projects: Vec<String>,
}

const SHARED: u32 = 1 << 31;

impl Overlap {
    /// Adds a project's distinct address hashes.
    pub fn add(&mut self, project: &str, addresses: impl Iterator<Item = u64>) {
        let index = self.projects.len() as u32;
        self.projects.push(project.to_owned());
        for address in addresses {
            match self.first.get(&address).copied() {
                None => {
                    self.first.insert(address, index);
                }
                Some(slot) if slot >= SHARED => self.shared[(slot - SHARED) as usize].push(index),
                Some(other) => {
                    self.first.insert(address, SHARED + self.shared.len() as u32);
                    self.shared.push(vec![other, index]);
                }
            }
        }
    }

    /// For each project, how many of its distinct addresses each other project also has.
    pub fn shared_with(&self) -> HashMap<String, BTreeMap<String, u64>> {
        let mut out: HashMap<String, BTreeMap<String, u64>> = HashMap::new();
        for projects in &self.shared {
            for a in projects {
                for b in projects.iter().filter(|b| *b != a) {
                    let (a, b) = (&self.projects[*a as usize], &self.projects[*b as usize]);
                    *out.entry(a.clone()).or_default().entry(b.clone()).or_default() += 1;
                }
            }
        }
        out
    }

    pub fn projects(&self) -> usize {
        self.projects.len()
    }
}

/// The `AudienceSource` port: exports one project's endpoints below `url` (Pinpoint assuming `role_arn`
/// to write there) and hands each line of the export to `sink`.
pub trait AudienceSource: Sync {
    fn export(
        &self,
        target: &ScanTarget,
        project: &str,
        role_arn: &str,
        url: &str,
        sink: &mut (dyn FnMut(&str) + Send),
    ) -> impl Future<Output = std::result::Result<ExportStats, (String, String)>> + Send;
}

fn unit(target: &ScanTarget, project: &str) -> String {
    format!("audience/{}/{}/{project}", target.account_id, target.region)
}

/// The audience profiling a stored scan was asked for, if any.
pub fn requested(engagement: &Engagement, scan_id: &str) -> Result<Option<ExportSettings>> {
    let request = engagement.scan_request(scan_id)?;
    Ok(serde_json::from_value(request["audience"].clone()).ok())
}

/// Profiles the audience of every project a stored scan found, as the scan's request asked: one
/// `audience_profile` record per project (stored unit by unit, so a stopped run resumes) and an issue
/// for each export that failed. The scan is running again meanwhile and finishes with its status
/// updated; returns its summary.
pub async fn profile(
    engagement: &Engagement,
    source: &impl AudienceSource,
    scan_id: &str,
    options: &ScanOptions,
    clock: &dyn Clock,
    progress: &dyn crate::scan::Progress,
) -> Result<ScanSummary> {
    let Some(settings) = requested(engagement, scan_id)? else {
        return engagement.scan_summary(Some(scan_id));
    };
    settings.validate()?;
    engagement.reopen_scan(scan_id)?;
    let profiled = run(engagement, source, scan_id, &settings, options, progress).await;
    let issues = engagement.scan_issues(scan_id)?.len();
    let status = if options.cancel.load(Ordering::Relaxed) {
        ScanStatus::Cancelled
    } else if profiled.is_err() {
        ScanStatus::Failed
    } else if issues > 0 {
        ScanStatus::CompleteWithGaps
    } else {
        ScanStatus::Complete
    };
    engagement.finish_scan(scan_id, &rfc3339(clock.now()), status)?;
    profiled?;
    let summary = engagement.scan_summary(Some(scan_id))?;
    progress.report(ScanEvent::Finished { summary: summary.clone() });
    Ok(summary)
}

async fn run(
    engagement: &Engagement,
    source: &impl AudienceSource,
    scan_id: &str,
    settings: &ExportSettings,
    options: &ScanOptions,
    progress: &dyn crate::scan::Progress,
) -> Result<u32> {
    let targets = crate::scan::stored_targets(engagement, scan_id)?;
    let finished = engagement.scan_units(scan_id)?;
    let projects: Vec<(ScanTarget, String)> = engagement
        .scan_records(scan_id, Some(ResourceKind::Project))?
        .into_iter()
        .filter_map(|p| {
            let target = targets.iter().find(|t| t.account_id == p.account_id && t.region == p.region)?;
            Some((target.clone(), p.id))
        })
        .collect();
    let total = projects.len() as u32;
    let pending: Vec<(ScanTarget, String)> =
        projects.into_iter().filter(|(t, p)| !finished.contains(&unit(t, p))).collect();
    let mut done = total - pending.len() as u32;
    progress.report(ScanEvent::Planned { total });
    let hasher = std::hash::RandomState::new();
    let overlap = Mutex::new(Overlap::default());
    let cancelled = || options.cancel.load(Ordering::Relaxed);

    // Export jobs are heavy on Pinpoint's side: a few at a time.
    let mut runs = futures::stream::iter(pending)
        .map(|(target, project)| {
            let hasher = hasher.clone();
            let overlap = &overlap;
            async move {
                let mut profiler = Profiler::with_hasher(hasher);
                let url = settings.url_for(scan_id, &project);
                let mut sink = |line: &str| {
                    profiler.add_line(line);
                };
                let outcome = source.export(&target, &project, &settings.role_arn, &url, &mut sink).await;
                let result = outcome.map(|stats| {
                    let (profile, addresses) = profiler.finish(stats);
                    overlap.lock().unwrap_or_else(|p| p.into_inner()).add(&project, addresses);
                    profile
                });
                (target, project, result)
            }
        })
        .buffer_unordered(options.concurrency.clamp(1, 3));
    let mut profiles: Vec<(ScanTarget, String, AudienceProfile)> = Vec::new();
    while let Some((target, project, result)) = runs.next().await {
        let (records, issues) = match result {
            Ok(profile) => {
                let raw = serde_json::to_value(&profile).unwrap_or_default();
                let record = target.record(&project, ResourceKind::AudienceProfile, (&project, ""), None, raw);
                profiles.push((target.clone(), project.clone(), profile));
                (vec![record], Vec::new())
            }
            Err(error) => (
                Vec::new(),
                vec![target.issue(&project, ResourceKind::AudienceProfile, "mobiletargeting:CreateExportJob", error)],
            ),
        };
        engagement.store_scan_results(scan_id, &unit(&target, &project), &records, &issues)?;
        done += 1;
        progress.report(ScanEvent::Progress {
            done,
            total,
            target,
            project: Some(project),
            resources: records.len() as u32,
            issues: issues.len() as u32,
            pressure: crate::scan::Pressure::default(),
        });
        if cancelled() {
            break;
        }
    }
    drop(runs);

    // Addresses shared across the projects this run read: rewrite their records with the counts.
    let overlap = overlap.into_inner().unwrap_or_else(|p| p.into_inner());
    let shared = overlap.shared_with();
    let compared = overlap.projects() as u32;
    let records: Vec<ResourceRecord> = profiles
        .into_iter()
        .map(|(target, project, mut profile)| {
            profile.shared_with = shared.get(&project).cloned().unwrap_or_default();
            profile.compared_projects = compared;
            let raw = serde_json::to_value(&profile).unwrap_or_default();
            target.record(&project, ResourceKind::AudienceProfile, (&project, ""), None, raw)
        })
        .collect();
    engagement.store_scan_results(scan_id, "audience/overlap", &records, &[] as &[ScanIssue])?;
    Ok(compared)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(channel: &str, address: &str, user: Option<&str>, attributes: Value) -> Value {
        let mut e = serde_json::json!({ "ChannelType": channel, "Address": address, "EndpointStatus": "ACTIVE",
            "OptOut": "NONE", "Attributes": attributes, "User": { "UserAttributes": { "tier": ["gold"] } } });
        if let Some(user) = user {
            e["User"]["UserId"] = user.into();
        }
        e
    }

    #[test]
    fn a_profile_counts_channels_users_and_infers_the_attribute_schema() {
        let mut p = Profiler::default();
        p.add(&endpoint("EMAIL", "A@x.com", Some("u1"), serde_json::json!({ "age": ["31"], "tags": ["a", "b"] })));
        p.add(&endpoint("EMAIL", "a@x.com", Some("u1"), serde_json::json!({ "age": ["40"], "since": ["2024-01-02"] })));
        let mut opted = endpoint("SMS", "+15550001", None, serde_json::json!({ "age": ["n/a"] }));
        opted["OptOut"] = "ALL".into();
        opted["EndpointStatus"] = "INACTIVE".into();
        opted["Metrics"] = serde_json::json!({ "score": 4.5 });
        opted["Location"] = serde_json::json!({ "Country": "US" });
        p.add(&opted);
        assert_eq!(p.add_line("not json"), None);
        let (profile, addresses) = p.finish(ExportStats::default());

        assert_eq!(profile.endpoints, 3);
        assert_eq!(profile.channels["EMAIL"].endpoints, 2);
        assert_eq!((profile.channels["SMS"].opted_out, profile.channels["SMS"].active), (1, 0));
        assert_eq!((profile.opted_out, profile.inactive, profile.without_user_id), (1, 1, 1));
        assert_eq!(profile.distinct_users, 1);
        assert_eq!(profile.duplicate_addresses, 2, "emails compare case-insensitively");
        assert_eq!(addresses.count(), 2);
        assert_eq!(profile.unreadable_lines, 1);
        assert_eq!(profile.standard_fields["Location.Country"], 1);
        let attribute = |name: &str| profile.attributes.iter().find(|a| a.name == name).expect(name);
        assert_eq!(attribute("age").kind, AttributeType::String, "one value is not a number");
        assert_eq!(attribute("age").filled, 3);
        assert_eq!(attribute("since").kind, AttributeType::Date);
        assert_eq!((attribute("tags").multi_valued, attribute("tags").max_values), (1, 2));
        assert_eq!(attribute("tier").source, "User.UserAttributes");
        assert!((attribute("tier").fill_rate - 1.0).abs() < 1e-9);
        assert_eq!(attribute("score").kind, AttributeType::Number);
    }

    #[test]
    fn addresses_shared_between_projects_are_counted_per_pair() {
        let hasher = std::hash::RandomState::new();
        let mut overlap = Overlap::default();
        for (project, addresses) in
            [("a", vec!["x@e.com", "y@e.com"]), ("b", vec!["X@e.com", "z@e.com"]), ("c", vec!["x@e.com", "z@e.com"])]
        {
            let mut p = Profiler::with_hasher(hasher.clone());
            for address in addresses {
                p.add(&endpoint("EMAIL", address, None, Value::Null));
            }
            overlap.add(project, p.finish(ExportStats::default()).1);
        }
        let shared = overlap.shared_with();
        assert_eq!(shared["a"], BTreeMap::from([("b".to_owned(), 1), ("c".to_owned(), 1)]));
        assert_eq!(shared["b"], BTreeMap::from([("a".to_owned(), 1), ("c".to_owned(), 2)]));
    }

    #[test]
    fn export_settings_name_the_field_at_fault() {
        let good = ExportSettings {
            bucket: "acme-exports".into(),
            prefix: "pinpoint".into(),
            role_arn: "arn:aws:iam::123456789012:role/PinpointExport".into(),
        };
        good.validate().expect("valid");
        assert_eq!(good.url_for("s1", "p1"), "s3://acme-exports/pinpoint/pinshift-s1/p1/");
        let bad_bucket = ExportSettings { bucket: "Acme_Exports".into(), ..good.clone() };
        assert!(bad_bucket.validate().unwrap_err().to_string().contains("export bucket"));
        let bad_role = ExportSettings { role_arn: "PinpointExport".into(), ..good };
        assert!(bad_role.validate().unwrap_err().to_string().contains("export role"));
    }
}
