//! The use case both front ends call: translate one resource a person names, for the client that owns it,
//! and prove it (templates: render equivalence; segments: both sizes on one sample).

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use super::campaign::CampaignTranslation;
use super::estate::{ClientScope, find, owner_of};
use super::estimate::{Segments, SizeEstimate, estimate, segment_sample};
use super::journey::JourneyTranslation;
use super::segment::SegmentTranslation;
use crate::engagement::Engagement;
use crate::estate::ResourceKind;
use crate::profile::Channel;
use crate::templates::convert::Target;
use crate::templates::proof::{PROOF_SAMPLE, Proof, generate_endpoints, prove, read_endpoints};
use crate::templates::translation::{TemplateTranslation, template_variables};
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
        let (blueprint, records) = self.current_blueprint(request.scan.as_deref())?;
        let record =
            find(&records, request.kind, &request.name, request.account.as_deref(), request.region.as_deref())?;
        let client = owner_of(&blueprint, record);
        let sample_of = |_n: usize| match &request.endpoints {
            Some(path) => {
                read_endpoints(path, request.sample).map(|e| (format!("endpoints from {}", path.display()), e))
            }
            None => Ok((format!("generated endpoints (seed {})", request.seed), Vec::new())),
        };
        match request.kind {
            ResourceKind::Template => {
                let scope = match &client {
                    Some(c) => Some(ClientScope::new(&blueprint, &records, c)?),
                    None => None,
                };
                let mapping = match &scope {
                    Some(s) => s.mapping.clone(),
                    None => crate::profile::ProfileMapping::new(&template_variables(&record.raw), &[]),
                };
                let translation = match &scope {
                    Some(s) => s.translate_template(record, request.target),
                    None => {
                        let mut raw = record.raw.clone();
                        if raw.get("TemplateName").is_none() {
                            raw["TemplateName"] = serde_json::json!(record.name.clone().unwrap_or_default());
                        }
                        crate::templates::translation::translate(&raw, request.target, &mapping)
                    }
                };
                let channel = match record.raw["TemplateType"].as_str() {
                    Some("SMS") => Channel::Sms,
                    Some("PUSH") => Channel::Push,
                    _ => Channel::Email,
                };
                let (label, mut endpoints) = sample_of(request.sample)?;
                if request.endpoints.is_none() {
                    endpoints = generate_endpoints(
                        &template_variables(&record.raw),
                        &mapping,
                        channel,
                        request.sample,
                        request.seed,
                    );
                }
                let proof = prove(&translation, &record.raw, &mapping, &endpoints, label, now);
                Ok(TranslationReport::Template { client, translation, proof })
            }
            kind => {
                let client = client.ok_or_else(|| {
                    Error::invalid(kind.as_str(), format!("{:?} belongs to no client of the blueprint", request.name))
                })?;
                if request.target != Target::Connect {
                    return Err(Error::invalid(
                        "target",
                        format!("{}s translate to Connect only (--target connect)", kind.as_str()),
                    ));
                }
                let scope = ClientScope::new(&blueprint, &records, &client)?;
                match kind {
                    ResourceKind::Segment => {
                        let translation = scope.translate_segment(record);
                        // every segment of the client, so source segments resolve on both sides
                        let others: Vec<(&crate::estate::ResourceRecord, SegmentTranslation)> = scope
                            .project
                            .iter()
                            .filter(|r| r.kind == ResourceKind::Segment)
                            .map(|r| (*r, scope.translate_segment(r)))
                            .collect();
                        let mut all = Segments::default();
                        for (r, t) in &others {
                            all.add(&r.raw, t);
                        }
                        let (label, mut endpoints) = sample_of(request.sample)?;
                        if request.endpoints.is_none() {
                            let raws: Vec<&serde_json::Value> = others.iter().map(|(r, _)| &r.raw).collect();
                            endpoints = segment_sample(&raws, &scope.mapping, request.sample, request.seed, now);
                        }
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
                        Ok(TranslationReport::Segment { client, source: record.raw.clone(), translation, estimate })
                    }
                    ResourceKind::Campaign => Ok(TranslationReport::Campaign {
                        client,
                        source: record.raw.clone(),
                        translation: scope.translate_campaign(record, now),
                    }),
                    ResourceKind::Journey => Ok(TranslationReport::Journey {
                        client,
                        source: record.raw.clone(),
                        translation: scope.translate_journey(record, now),
                    }),
                    other => Err(Error::invalid("kind", format!("{} cannot be translated", other.as_str()))),
                }
            }
        }
    }
}
