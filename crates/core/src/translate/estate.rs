//! Translation over a scan: finding the resource a person names, the client it belongs to and where that
//! client's resources go ([`Placement`]: which Connect instance and profiles domain, shared or not — the
//! blueprint's tenancy decides it), the client's profile mapping (every variable its templates use, every
//! attribute its segments name, what audience profiling learned), and translating a client's whole set.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::campaign::{self, CampaignContext, CampaignTranslation};
use super::journey::{self, JourneyTranslation};
use super::segment::{self, SegmentContext, SegmentTranslation};
use super::{Loss, Severity};
use crate::assess::{Assessment, ResourceRef};
use crate::estate::{ResourceKind, ResourceRecord};
use crate::profile::{ProfileMapping, Variable};
use crate::scan::audience::AudienceProfile;
use crate::target::TargetKind;
use crate::translate::template::convert::{SesPaths, Target};
use crate::translate::template::{TemplateTranslation, template_variables, translate as translate_template};
use crate::{Error, Result};

/// Everything translated for one client.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ClientTranslations {
    pub client: String,
    pub templates: Vec<TemplateTranslation>,
    pub segments: Vec<SegmentTranslation>,
    pub campaigns: Vec<CampaignTranslation>,
    pub journeys: Vec<JourneyTranslation>,
}

/// One translated resource in a line: what it is, where it goes, how much needs a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct TranslationSummary {
    /// `template`, `segment`, `campaign`, `journey`.
    pub kind: String,
    pub id: String,
    pub name: String,
    /// `SES`, `Connect`, `Customer Profiles`, `Outbound Campaigns`.
    pub target: String,
    pub losses: u32,
    pub warnings: u32,
    pub notes: u32,
}

impl TranslationSummary {
    /// "2 lost, 1 to check" — or "carries over".
    pub fn needs_words(&self) -> String {
        let mut parts = Vec::new();
        if self.losses > 0 {
            parts.push(format!("{} lost", self.losses));
        }
        if self.warnings > 0 {
            parts.push(format!("{} to check", self.warnings));
        }
        if parts.is_empty() { "carries over".to_owned() } else { parts.join(", ") }
    }
}

fn counts(losses: &[Loss]) -> (u32, u32, u32) {
    let n = |s| losses.iter().filter(|l| l.severity == s).count() as u32;
    (n(Severity::Loss), n(Severity::Warning), n(Severity::Note))
}

impl ClientTranslations {
    /// A line per translated resource.
    pub fn summaries(&self) -> Vec<TranslationSummary> {
        let line = |kind: &str, id: &str, name: &str, target: &str, losses: &[Loss]| {
            let (l, w, n) = counts(losses);
            TranslationSummary {
                kind: kind.into(),
                id: id.into(),
                name: name.into(),
                target: target.into(),
                losses: l,
                warnings: w,
                notes: n,
            }
        };
        let mut out = Vec::new();
        for t in &self.templates {
            out.push(line("template", &t.name, &t.target_name, t.target.engine().label(), &t.losses));
        }
        for s in &self.segments {
            out.push(line("segment", &s.segment_id, &s.name, "Customer Profiles", &s.losses));
        }
        for c in &self.campaigns {
            out.push(line("campaign", &c.campaign_id, &c.name, "Outbound Campaigns", &c.losses));
        }
        for j in &self.journeys {
            out.push(line("journey", &j.journey_id, &j.name, "Outbound Campaigns", &j.losses));
        }
        out
    }
}

/// A scan's records by project and by account-level key, built once.
#[derive(Debug, Default)]
pub struct RecordIndex<'a> {
    by_project: BTreeMap<String, Vec<&'a ResourceRecord>>,
    account_level: BTreeMap<String, &'a ResourceRecord>,
    /// Every version of every template: (account, Region, template) → versions.
    versions: BTreeMap<(String, String, String), Vec<&'a ResourceRecord>>,
}

impl<'a> RecordIndex<'a> {
    pub fn new(records: &'a [ResourceRecord]) -> RecordIndex<'a> {
        let mut index = RecordIndex::default();
        for r in records {
            if r.kind == ResourceKind::TemplateVersion {
                index.versions.entry((r.account_id.clone(), r.region.clone(), r.id.clone())).or_default().push(r);
            } else if r.project_id.is_empty() {
                index.account_level.insert(ResourceRef::of(r).key(), r);
            } else {
                index.by_project.entry(r.project_key()).or_default().push(r);
            }
        }
        index
    }
}

/// Where one client's resources go, as its tenancy in the blueprint says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub client: String,
    /// The Connect instance (alias) its campaigns, flows and message templates go to.
    pub instance: String,
    /// The Customer Profiles domain its segments and profiles go to.
    pub domain: String,
    /// In a shared instance: the profile attribute that carries the client id. Names there carry the
    /// client as a prefix.
    pub partition_attribute: Option<String>,
    /// Days the profiles domain keeps data (upload jobs set it explicitly).
    pub data_expiry_days: u32,
    /// `false` when the tenancy has no Connect (SES + SMS only): translations then show what the
    /// resources would become with one, and say so.
    pub connect: bool,
    /// The tenancy has an SES tenant, so email templates translate for SES too.
    pub ses: bool,
    /// The origination number of the client's SMS campaigns (the first number of its pools).
    pub sms_number: Option<String>,
}

/// A client's records and placement, and what translating for it needs.
#[derive(Debug)]
pub struct ClientScope<'a> {
    pub client: String,
    pub placement: Placement,
    pub project: Vec<&'a ResourceRecord>,
    pub templates: Vec<&'a ResourceRecord>,
    /// Every version of the client's templates (journeys may pin one).
    pub template_versions: Vec<&'a ResourceRecord>,
    pub mapping: ProfileMapping,
    pub segment_names: BTreeMap<String, String>,
}

impl<'a> ClientScope<'a> {
    /// The scope of a client of an assessment, placed where its tenancy says.
    pub fn new(
        assessment: &'a Assessment,
        records: &'a [ResourceRecord],
        placement: Placement,
    ) -> Result<ClientScope<'a>> {
        ClientScope::indexed(assessment, &RecordIndex::new(records), placement)
    }

    /// The scope of a client, with the records already indexed (for translating every client at once).
    pub fn indexed(
        assessment: &'a Assessment,
        index: &RecordIndex<'a>,
        placement: Placement,
    ) -> Result<ClientScope<'a>> {
        let client = placement.client.as_str();
        let ca = assessment.require_client("client", client)?;
        let project: Vec<&ResourceRecord> = ca
            .client
            .projects
            .iter()
            .flat_map(|p| index.by_project.get(&p.key()).into_iter().flatten().copied())
            .collect();
        let templates: Vec<&ResourceRecord> = assessment
            .attributions
            .iter()
            .filter(|a| a.resource.kind == ResourceKind::Template && a.clients.iter().any(|c| c == client))
            .filter_map(|a| index.account_level.get(&a.resource.key()).copied())
            .collect();
        let template_versions: Vec<&ResourceRecord> = templates
            .iter()
            .flat_map(|t| {
                index
                    .versions
                    .get(&(t.account_id.clone(), t.region.clone(), t.id.clone()))
                    .into_iter()
                    .flatten()
                    .copied()
            })
            .collect();
        let audiences: Vec<AudienceProfile> = project
            .iter()
            .filter(|r| r.kind == ResourceKind::AudienceProfile)
            .filter_map(|r| serde_json::from_value(r.raw.clone()).ok())
            .collect();
        let mut variables: Vec<Variable> = templates.iter().flat_map(|t| template_variables(&t.raw)).collect();
        for s in project.iter().filter(|r| r.kind == ResourceKind::Segment) {
            variables.extend(segment_attributes(&s.raw));
        }
        let mapping = ProfileMapping::new(&variables, &audiences);
        let segment_names = project
            .iter()
            .filter(|r| r.kind == ResourceKind::Segment)
            .map(|r| (r.id.clone(), r.name.clone().unwrap_or_else(|| r.id.clone())))
            .collect();
        Ok(ClientScope {
            client: client.to_owned(),
            placement,
            project,
            templates,
            template_versions,
            mapping,
            segment_names,
        })
    }

    fn shared(&self) -> bool {
        self.placement.partition_attribute.is_some()
    }

    fn prefix(&self) -> Option<String> {
        self.shared().then(|| self.client.clone())
    }

    /// Where this client's segments go.
    pub fn segment_context(&self) -> SegmentContext<'_> {
        SegmentContext {
            domain: self.placement.domain.clone(),
            prefix: self.prefix(),
            partition: self.placement.partition_attribute.clone().map(|attribute| (attribute, self.client.clone())),
            mapping: &self.mapping,
            segment_names: &self.segment_names,
            data_expiry_days: self.placement.data_expiry_days,
        }
    }

    /// Where this client's campaigns and journeys go, for the project of `record`.
    pub fn campaign_context(&self, record: &ResourceRecord, now: jiff::Timestamp) -> CampaignContext<'_> {
        let here = |r: &&&ResourceRecord| r.project_key() == record.project_key();
        let settings =
            self.project.iter().filter(here).find(|r| r.kind == ResourceKind::ProjectSettings).map(|r| &r.raw);
        let email_from = self
            .project
            .iter()
            .filter(here)
            .find(|r| r.kind == ResourceKind::Channel && r.raw["Platform"] == "EMAIL")
            .and_then(|r| r.raw["FromAddress"].as_str().map(str::to_owned));
        CampaignContext {
            sms_number: self.placement.sms_number.clone(),
            instance: self.placement.instance.clone(),
            domain: self.placement.domain.clone(),
            prefix: self.prefix(),
            segment_names: &self.segment_names,
            settings,
            email_from,
            mapping: &self.mapping,
            now,
        }
    }

    /// Losses that come from the placement rather than the resource (a client without Connect).
    fn placement_losses(&self) -> Vec<Loss> {
        match self.placement.connect {
            false => vec![
                Loss::new(
                    Severity::Warning,
                    "Connect topology",
                    "blueprint",
                    format!(
                        "{}'s tenancy has no Connect instance (SES + SMS only): this is what it would become with one",
                        self.client
                    ),
                )
                .suggest(format!("pinshift blueprint set {} --topology shared", self.client)),
            ],
            true => Vec::new(),
        }
    }

    pub fn translate_segment(&self, record: &ResourceRecord) -> SegmentTranslation {
        let mut t = segment::translate(&record.raw, &self.segment_context());
        t.losses.extend(self.placement_losses());
        t
    }

    pub fn translate_campaign(&self, record: &ResourceRecord, now: jiff::Timestamp) -> CampaignTranslation {
        let mut t = campaign::translate(&record.raw, &self.campaign_context(record, now));
        t.losses.extend(self.placement_losses());
        t
    }

    pub fn translate_journey(&self, record: &ResourceRecord, now: jiff::Timestamp) -> JourneyTranslation {
        let mut t = journey::translate(&record.raw, &self.campaign_context(record, now));
        t.losses.extend(self.placement_losses());
        t
    }

    pub fn translate_template(&self, record: &ResourceRecord, target: Target) -> TemplateTranslation {
        self.translate_raw_template(&named_template(record), target)
    }

    /// A template payload (with its `TemplateName`) translated for where this client's templates go.
    fn translate_raw_template(&self, raw: &Value, target: Target) -> TemplateTranslation {
        let mut t = translate_template(raw, target, &self.mapping);
        if target == Target::Connect && self.shared() {
            t.target_name = campaign::template_name(self.prefix().as_deref(), &t.name);
            if let Some(n) = t.content.get_mut("name") {
                *n = Value::String(t.target_name.clone());
            }
        }
        t
    }

    /// Every resource of the client, translated for where its placement sends it.
    pub fn translate_all(&self, now: jiff::Timestamp) -> ClientTranslations {
        let connect = self.placement.connect;
        let has_ses = self.placement.ses;
        let mut templates = Vec::new();
        for r in &self.templates {
            let kind = r.raw["TemplateType"].as_str().unwrap_or_default();
            if kind == "EMAIL" && (has_ses || !connect) {
                templates.push(self.translate_template(r, Target::Ses(SesPaths::Keep)));
            }
            if connect || matches!(kind, "VOICE" | "INAPP") {
                templates.push(self.translate_template(r, Target::Connect));
            }
        }
        let of = |kind| self.project.iter().filter(move |r| r.kind == kind);
        let journeys: Vec<JourneyTranslation> = if connect {
            of(ResourceKind::Journey).map(|r| self.translate_journey(r, now)).collect()
        } else {
            Vec::new()
        };
        // A journey that pins a template version sends it as a message template of its own.
        for pinned in journeys.iter().flat_map(|j| &j.references).filter(|r| r.kind == TargetKind::MessageTemplate) {
            if templates.iter().any(|t| t.target == Target::Connect && t.target_name == pinned.name) {
                continue;
            }
            let version = self.template_versions.iter().find(|v| {
                let name = v.name.as_deref().unwrap_or(&v.id);
                campaign::template_name(self.prefix().as_deref(), &format!("{name}-v{}", v.version)) == pinned.name
            });
            if let Some(v) = version {
                let mut raw = v.raw.clone();
                raw["TemplateName"] = Value::String(format!("{}-v{}", v.name.as_deref().unwrap_or(&v.id), v.version));
                templates.push(self.translate_raw_template(&raw, Target::Connect));
            }
        }
        ClientTranslations {
            client: self.client.clone(),
            templates,
            segments: if connect {
                of(ResourceKind::Segment).map(|r| self.translate_segment(r)).collect()
            } else {
                Vec::new()
            },
            campaigns: if connect {
                of(ResourceKind::Campaign).map(|r| self.translate_campaign(r, now)).collect()
            } else {
                Vec::new()
            },
            journeys,
        }
    }
}

/// The attributes a segment's criteria name.
pub fn segment_attributes(raw: &Value) -> Vec<Variable> {
    let mut out = Vec::new();
    let mut visit = |d: &Value| {
        for (name, _) in d["UserAttributes"].as_object().into_iter().flatten() {
            out.push(Variable::UserAttribute(name.clone()));
        }
        for (name, _) in d["Attributes"].as_object().into_iter().flatten() {
            out.push(Variable::EndpointAttribute(name.clone()));
        }
    };
    if let Some(d) = raw.get("Dimensions") {
        visit(d);
    }
    for g in raw["SegmentGroups"]["Groups"].as_array().into_iter().flatten() {
        for d in g["Dimensions"].as_array().into_iter().flatten() {
            visit(d);
        }
    }
    out
}

/// A template's payload with its name (the scan keeps the name on the record), as the translator reads it.
pub fn named_template(record: &ResourceRecord) -> Value {
    let mut raw = record.raw.clone();
    if raw.get("TemplateName").is_none() {
        raw["TemplateName"] = Value::String(record.name.clone().unwrap_or_else(|| record.id.clone()));
    }
    raw
}

/// The client whose project holds `record` (or who owns it, for account-level records).
pub fn owner_of(assessment: &Assessment, record: &ResourceRecord) -> Option<String> {
    if record.project_id.is_empty() {
        let key = ResourceRef::of(record).key();
        return assessment
            .attributions
            .iter()
            .find(|a| a.resource.key() == key)
            .and_then(|a| a.clients.first().cloned());
    }
    let key = record.project_key();
    assessment.clients.iter().find(|c| c.client.projects.iter().any(|p| p.key() == key)).map(|c| c.client.id.clone())
}

/// The one record of `kind` a person named by id or name (`--account`/`--region` narrow it down).
pub fn find<'a>(
    records: &'a [ResourceRecord],
    kind: ResourceKind,
    wanted: &str,
    account: Option<&str>,
    region: Option<&str>,
) -> Result<&'a ResourceRecord> {
    let field = kind.as_str();
    let matches: Vec<&ResourceRecord> = records
        .iter()
        .filter(|r| r.kind == kind)
        .filter(|r| account.is_none_or(|a| r.account_id == a) && region.is_none_or(|g| r.region == g))
        .filter(|r| r.id == wanted || r.name.as_deref() == Some(wanted))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => {
            let mut known: Vec<String> = records
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| r.name.clone().unwrap_or_else(|| r.id.clone()))
                .collect();
            known.sort();
            known.dedup();
            let list = if known.len() > 12 {
                format!("{}, … ({} in all)", known[..12].join(", "), known.len())
            } else {
                known.join(", ")
            };
            Err(Error::invalid(
                field,
                format!(
                    "the scan has no {field} {wanted:?}; it has: {}",
                    if list.is_empty() { "none".into() } else { list }
                ),
            ))
        }
        many => {
            let places: Vec<String> = many
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {}",
                        r.account_id,
                        r.region,
                        if r.project_id.is_empty() { String::new() } else { format!("project {}", r.project_id) }
                    )
                })
                .collect();
            Err(Error::invalid(
                field,
                format!(
                    "{wanted:?} names {} {field}s ({}): narrow it down with --account and --region, or give the id",
                    many.len(),
                    places.join("; ")
                ),
            ))
        }
    }
}

/// Every client's translations (each placed as given), translated once.
pub fn translate_clients(
    assessment: &Assessment,
    records: &[ResourceRecord],
    placements: Vec<Placement>,
    now: jiff::Timestamp,
) -> BTreeMap<String, ClientTranslations> {
    let index = RecordIndex::new(records);
    let mut out = BTreeMap::new();
    for placement in placements {
        if let Ok(scope) = ClientScope::indexed(assessment, &index, placement) {
            out.insert(scope.client.clone(), scope.translate_all(now));
        }
    }
    out
}
