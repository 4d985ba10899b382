//! The use case both front ends call: translate one resource of the current blueprint a person names, for
//! the client that owns it and placed where that client's tenancy says, and prove it (templates: render
//! equivalence; segments: both sizes on one sample).

use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::engagement::Engagement;
use crate::estate::{ResourceKind, ResourceRecord};
use crate::profile::ProfileMapping;
use crate::translate::campaign::CampaignTranslation;
use crate::translate::estate::{find, named_template, owner_of};
use crate::translate::estimate::{Segments, SizeEstimate, estimate, segment_sample};
use crate::translate::journey::JourneyTranslation;
use crate::translate::segment::SegmentTranslation;
use crate::translate::template::convert::Target;
use crate::translate::template::proof::{PROOF_SAMPLE, Proof, generate_endpoints, prove, read_endpoints};
use crate::translate::template::{TemplateTranslation, template_variables, translate as translate_template};
use crate::{Error, Result};

/// What to translate.
#[derive(Debug, Clone)]
pub struct TranslateRequest {
    /// Template, Segment, Campaign or Journey.
    pub kind: ResourceKind,
    /// Its name or id.
    pub name: String,
    pub target: Target,
    pub account: Option<String>,
    pub region: Option<String>,
    /// A scan id (the newest finished scan by default).
    pub scan: Option<String>,
    /// Real endpoints (a Pinpoint export, JSON lines, gzip or not) instead of generated ones.
    pub endpoints: Option<PathBuf>,
    /// How many endpoints to generate (or at most read).
    pub sample: usize,
    pub seed: u64,
}

impl TranslateRequest {
    pub fn new(kind: ResourceKind, name: impl Into<String>, target: Target) -> TranslateRequest {
        TranslateRequest {
            kind,
            name: name.into(),
            target,
            account: None,
            region: None,
            scan: None,
            endpoints: None,
            sample: PROOF_SAMPLE,
            seed: 1,
        }
    }
}

/// What the desktop asks to preview: a resource of the current blueprint and where it goes.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, TS)]
pub struct TranslationQuery {
    /// `template`, `segment`, `campaign` or `journey`.
    pub kind: ResourceKind,
    /// Its id or name.
    pub name: String,
    pub target: Target,
    #[ts(optional)]
    #[serde(default)]
    pub account_id: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub region: Option<String>,
}

impl From<TranslationQuery> for TranslateRequest {
    fn from(q: TranslationQuery) -> TranslateRequest {
        TranslateRequest { account: q.account_id, region: q.region, ..TranslateRequest::new(q.kind, q.name, q.target) }
    }
}

/// A translation with its proof, as the CLI prints it and the desktop shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TranslationReport {
    Template {
        #[ts(optional)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<String>,
        translation: TemplateTranslation,
        proof: Proof,
    },
    Segment {
        client: String,
        /// The Pinpoint segment as the scan read it.
        #[ts(type = "unknown")]
        source: serde_json::Value,
        translation: SegmentTranslation,
        estimate: SizeEstimate,
    },
    Campaign {
        client: String,
        #[ts(type = "unknown")]
        source: serde_json::Value,
        translation: CampaignTranslation,
    },
    Journey {
        client: String,
        #[ts(type = "unknown")]
        source: serde_json::Value,
        translation: JourneyTranslation,
    },
}

impl Engagement {
    /// Translates (and proves) the resource `request` names.
    pub fn translate(&self, request: &TranslateRequest, now: jiff::Timestamp) -> Result<TranslationReport> {
        if request.sample == 0 {
            return Err(Error::invalid("sample", "give at least one endpoint (--sample 1000 proves a template)"));
        }
        let (blueprint, records) = self.current_blueprint(request.scan.as_deref())?;
        let record =
            find(&records, request.kind, &request.name, request.account.as_deref(), request.region.as_deref())?;
        let client = owner_of(&blueprint.assessment, record);
        // the proof's endpoints: the export the person gave, or generated for the resource
        let sample = |generate: &dyn Fn() -> Vec<Value>| -> Result<(String, Vec<Value>)> {
            match &request.endpoints {
                Some(path) => Ok((format!("endpoints from {}", path.display()), read_endpoints(path, request.sample)?)),
                None => Ok((format!("generated endpoints (seed {})", request.seed), generate())),
            }
        };
        if request.kind == ResourceKind::Template {
            let scope = client.as_ref().map(|c| blueprint.scope(&records, c)).transpose()?;
            let unowned;
            let (translation, mapping) = match &scope {
                Some(s) => (s.translate_template(record, request.target), &s.mapping),
                None => {
                    unowned = ProfileMapping::new(&template_variables(&record.raw), &[]);
                    (translate_template(&named_template(record), request.target, &unowned), &unowned)
                }
            };
            let (label, endpoints) = sample(&|| {
                let variables = template_variables(&record.raw);
                generate_endpoints(&variables, mapping, translation.channel(), request.sample, request.seed)
            })?;
            let proof = prove(&translation, &record.raw, mapping, &endpoints, label, now);
            return Ok(TranslationReport::Template { client, translation, proof });
        }
        let kind = request.kind;
        let client = client.ok_or_else(|| {
            Error::invalid(kind.as_str(), format!("{:?} belongs to no client of the blueprint", request.name))
        })?;
        if request.target != Target::Connect {
            return Err(Error::invalid(
                "target",
                format!("{}s translate to Connect only (--target connect)", kind.as_str()),
            ));
        }
        let scope = blueprint.scope(&records, &client)?;
        let source = record.raw.clone();
        match kind {
            ResourceKind::Segment => {
                // every segment of the client, so source segments resolve on both sides
                let segments: Vec<(&ResourceRecord, SegmentTranslation)> = scope
                    .project
                    .iter()
                    .filter(|r| r.kind == ResourceKind::Segment)
                    .map(|r| (*r, scope.translate_segment(r)))
                    .collect();
                let mut all = Segments::default();
                for (r, t) in &segments {
                    all.add(&r.raw, t);
                }
                let (label, endpoints) = sample(&|| {
                    let raws: Vec<&Value> = segments.iter().map(|(r, _)| &r.raw).collect();
                    segment_sample(&raws, &scope.mapping, request.sample, request.seed, now)
                })?;
                let translation = segments
                    .iter()
                    .find(|(r, _)| std::ptr::eq(*r, record))
                    .map_or_else(|| scope.translate_segment(record), |(_, t)| t.clone());
                let partition = scope.segment_context().partition;
                let estimate = estimate(
                    &record.raw,
                    &translation,
                    &all,
                    &scope.mapping,
                    partition.as_ref(),
                    &endpoints,
                    label,
                    now,
                );
                Ok(TranslationReport::Segment { client, source, translation, estimate })
            }
            ResourceKind::Campaign => {
                Ok(TranslationReport::Campaign { client, source, translation: scope.translate_campaign(record, now) })
            }
            ResourceKind::Journey => {
                Ok(TranslationReport::Journey { client, source, translation: scope.translate_journey(record, now) })
            }
            other => Err(Error::invalid("kind", format!("{} cannot be translated", other.as_str()))),
        }
    }
}
