//! Verify: what runs created or adopted, read back from the target account and compared with what the
//! blueprint version asks — every resource (present, settings, Pinshift's tags), each client's templates
//! rendered by the target itself (SES `TestRenderEmailTemplate`, Q in Connect `RenderMessageTemplate`) for
//! the first endpoints of the translation's proof sample and compared with Pinpoint's render, and every
//! segment definition's estimate against the Pinpoint segment's size where Pinpoint knew it. The result is
//! stored in the engagement file (the newest verification of a client is its state), printed per client
//! and carried into the reports.

use std::collections::BTreeMap;
use std::future::Future;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use ts_rs::TS;

use super::audience::{AudiencePort, AudienceTarget, TargetCounts, audience_target, shortfalls};
use super::journal::JournalRow;
use super::plan::{
    ENGAGEMENT_TAG, Found, Observed, Readiness, Reference, TargetPort, differing_members, in_account, read_readiness,
    resolve, scope, sending_places,
};
use super::run::{RunEvent, RunProgress};
use crate::blueprint::graph::{TargetGraph, TargetResource};
use crate::clock::Clock;
use crate::engagement::Engagement;
use crate::estate::{ResourceKind, ResourceRecord};
use crate::profile::ProfileMapping;
use crate::target::{TagShape, TargetKind};
use crate::templates::helpers::Env;
use crate::templates::render::{Engine, Input, render};
use crate::templates::value::reader_view;
use crate::translate::estate::{ClientTranslations, translate_clients};
use crate::translate::template::convert::Target;
use crate::translate::template::proof::{Difference, Outcome, RenderedPart, generate_endpoints, inline_diff};
use crate::translate::template::{TemplateTranslation, defaults_of, ses_template_data, template_variables};
use crate::{Error, Result};

/// How many endpoints of a template's proof sample (seed 1, the proof's default) the target renders.
pub const VERIFY_SAMPLE: usize = 5;

/// A segment's size in the target now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentSize {
    /// The estimate (`CreateSegmentEstimate`, then `GetSegmentEstimate` until it finished).
    pub estimate: Option<u64>,
    /// Profiles in the segment's domain (`GetDomain` statistics).
    pub profiles: Option<u64>,
    /// Why the target gave no estimate.
    pub failure: Option<String>,
}

/// What a target render answers: the parts by Pinpoint's names (`Subject`, `TextPart`, `HtmlPart`,
/// `Body`, `APNS.Title` …), or the target's refusal.
pub type Rendering = std::result::Result<BTreeMap<String, String>, String>;

/// The reads verify needs besides [`TargetPort::observe`].
pub trait VerifyPort: TargetPort {
    /// Renders the template `request` created (found as `found`) through the target with `input`: SES's
    /// TemplateData for an SES email template, Q in Connect's `attributes` for a message template.
    fn render(
        &self,
        resource: &TargetResource,
        request: &Value,
        found: &Found,
        input: &Value,
    ) -> impl Future<Output = Result<Rendering>> + Send;
    /// The tags of the resource at `arn` (its service's `ListTagsForResource`), for resources whose own
    /// read leaves them out.
    fn tags(
        &self,
        resource: &TargetResource,
        arn: &str,
    ) -> impl Future<Output = Result<BTreeMap<String, String>>> + Send;
    /// The size of the segment definition `request` created.
    fn estimate(&self, resource: &TargetResource, request: &Value) -> impl Future<Output = Result<SegmentSize>> + Send;
}

/// How one resource reads back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Present, with the settings asked and Pinshift's tags.
    Matches,
    /// Present with other settings than the blueprint version asks.
    Differs,
    /// A run created or adopted it, and the target no longer has it.
    Missing,
    /// Created by a run, but without the `pinshift:engagement` tag.
    Untagged,
    /// AWS is still bringing it up.
    Pending,
    /// No run has created or adopted it yet (a gate, a decision, a failure, or not applied).
    NotApplied,
    /// This build reads no resource of its kind.
    NotAutomated,
    /// The read failed.
    Failed,
}

impl Check {
    /// Plain words.
    pub fn label(self) -> &'static str {
        match self {
            Check::Matches => "matches",
            Check::Differs => "differs",
            Check::Missing => "missing",
            Check::Untagged => "untagged",
            Check::Pending => "pending",
            Check::NotApplied => "not applied",
            Check::NotAutomated => "not automated",
            Check::Failed => "read failed",
        }
    }
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::Differs => "differs",
            Verdict::Incomplete => "incomplete",
        }
    }
}

/// One resource of a client, read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ResourceCheck {
    pub step: String,
    pub kind: TargetKind,
    pub name: String,
    pub check: Check,
    /// Plain words: what differs, what it waits for.
    pub detail: String,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
}

/// A template rendered by Pinpoint's rules and by the target, for the sample endpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TemplateCheck {
    pub step: String,
    /// Its name in the target.
    pub template: String,
    pub kind: TargetKind,
    pub endpoints: u32,
    pub identical: u32,
    pub differs: u32,
    pub cannot_render: u32,
    /// What the translation lost (a person accepted it at sign-off): renders that differ are then expected.
    pub losses: u32,
    pub examples: Vec<Difference>,
    /// The first endpoint's parts, side by side.
    pub rendered: Vec<RenderedPart>,
}

/// How a segment definition's estimate compares with the Pinpoint segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SegmentState {
    /// Within 5% (or 1) of Pinpoint's size.
    Close,
    Differs,
    /// The domain holds no profiles yet: the audience has not been loaded.
    AwaitingAudience,
    /// Pinpoint knew no size (a dynamic segment), or the target gave no estimate.
    Unknown,
}

/// One segment definition, sized both ways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SegmentCheck {
    pub step: String,
    pub name: String,
    #[ts(type = "number | null")]
    pub pinpoint: Option<u64>,
    #[ts(type = "number | null")]
    pub target: Option<u64>,
    #[ts(type = "number | null")]
    pub profiles: Option<u64>,
    pub state: SegmentState,
    pub note: String,
}

/// A client's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Everything read back as asked, every render identical, no segment differs.
    Verified,
    /// Something is missing, differs, is untagged, or renders differently.
    Differs,
    /// Nothing differs, but something is not applied yet (a gate, a pending resource, the audience).
    Incomplete,
}

/// Counts a reviewer checks at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Counts {
    /// Resources the blueprint version asks for the client.
    pub expected: u32,
    /// Of those, present in the target.
    pub present: u32,
    /// Of those, matching.
    pub matching: u32,
    pub templates: u32,
    pub templates_identical: u32,
    pub segments: u32,
}

/// One client, verified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ClientVerification {
    pub client: String,
    pub verdict: Verdict,
    pub counts: Counts,
    pub resources: Vec<ResourceCheck>,
    pub templates: Vec<TemplateCheck>,
    pub segments: Vec<SegmentCheck>,
    /// Whether the account sends where this client sends (SES production access, the SMS sandbox), read
    /// live; a place not ready keeps the verdict incomplete.
    #[serde(default)]
    pub readiness: Vec<Readiness>,
    /// The client's audience: its last load against what the target holds now (none when the client
    /// has no profiles domain in this account).
    #[serde(default)]
    #[ts(optional)]
    pub audience: Option<AudienceCheck>,
}

/// A client's audience, verified: the last load's counts against the target's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AudienceCheck {
    /// not_loaded, stopped (a load to resume), loaded (reconciles, the target holds it), lost (the target
    /// holds fewer than were written, or the load did not reconcile).
    pub state: String,
    #[ts(optional)]
    pub load: Option<String>,
    #[ts(type = "number")]
    pub endpoints_read: u64,
    #[ts(type = "number")]
    pub profiles_written: u64,
    #[ts(type = "number")]
    pub opted_out_written: u64,
    #[ts(type = "number")]
    pub suppressed_written: u64,
    #[ts(optional)]
    pub counts: Option<TargetCounts>,
    /// Where the audience goes: the client's domain, opt-out list and tenant.
    #[ts(optional)]
    pub target: Option<AudienceTarget>,
    pub note: String,
}

/// A verification of some clients against one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Verification {
    pub id: String,
    pub at: String,
    pub version: u32,
    pub account_id: String,
    pub clients: Vec<ClientVerification>,
    /// Resources of the chosen clients in other accounts (not read here), by account.
    #[serde(default)]
    pub elsewhere: BTreeMap<String, u32>,
}

impl Verification {
    pub fn client(&self, id: &str) -> Option<&ClientVerification> {
        self.clients.iter().find(|c| c.client == id)
    }
}

/// Outcomes after which a run left the resource in the target (read it back).
fn applied(row: &JournalRow) -> bool {
    matches!(row.outcome.as_deref(), Some("created" | "adopted" | "confirmed" | "differs"))
}

/// Why a resource was not read back, in plain words.
fn not_applied(resource: &TargetResource, last: Option<&JournalRow>) -> String {
    match last.and_then(|r| r.outcome.as_deref()) {
        Some("deleted") => "removed by a rollback".into(),
        Some("failed") => "its last create failed: resume the run".into(),
        _ => match &resource.gate {
            Some(gate) => format!("waits at a gate: {gate}"),
            None => "not applied yet: `pinshift migrate apply`".into(),
        },
    }
}

/// The translation, source payload and mapping of one template resource.
struct TemplateSource<'a> {
    translation: &'a TemplateTranslation,
    raw: &'a Value,
    mapping: &'a ProfileMapping,
}

fn template_source<'a>(
    resource: &TargetResource,
    translations: &'a BTreeMap<String, ClientTranslations>,
    mappings: &'a BTreeMap<String, ProfileMapping>,
    records: &'a [ResourceRecord],
) -> Option<TemplateSource<'a>> {
    let ses = resource.kind == TargetKind::SesEmailTemplate;
    let (client, translation) = resource.clients.iter().find_map(|c| {
        let t =
            translations.get(c)?.templates.iter().find(|t| {
                t.target_name == resource.name && matches!(t.target, Target::Ses(_)) == ses && t.translated
            })?;
        Some((c, t))
    })?;
    let source = resource.sources.first()?;
    let raw = records
        .iter()
        .find(|r| {
            matches!(r.kind, ResourceKind::Template | ResourceKind::TemplateVersion)
                && r.id == source.id
                && r.account_id == source.account_id
                && r.region == source.region
        })
        .map(|r| &r.raw)?;
    Some(TemplateSource { translation, raw, mapping: mappings.get(client)? })
}

/// A template rendered by Pinpoint's rules (here) and by the target (through the port) for the sample.
async fn check_template<P: VerifyPort>(
    resource: &TargetResource,
    request: &Value,
    found: &Found,
    source: &TemplateSource<'_>,
    port: &P,
    now: jiff::Timestamp,
) -> Result<TemplateCheck> {
    let t = source.translation;
    let channel = t.channel();
    let mut variables = template_variables(source.raw);
    variables.dedup();
    let endpoints = generate_endpoints(&variables, source.mapping, channel, VERIFY_SAMPLE, 1);
    let defaults = defaults_of(source.raw, &mut Vec::new());
    let parts = t.parsed_parts();
    let mut check = TemplateCheck {
        step: resource.id.clone(),
        template: resource.name.clone(),
        kind: resource.kind,
        endpoints: endpoints.len() as u32,
        identical: 0,
        differs: 0,
        cannot_render: 0,
        losses: t.losses.iter().filter(|l| l.severity == crate::translate::Severity::Loss).count() as u32,
        examples: Vec::new(),
        rendered: Vec::new(),
    };
    for (i, endpoint) in endpoints.iter().enumerate() {
        let id = endpoint["Id"].as_str().unwrap_or_default().to_owned();
        // Pinpoint's render of every part it had.
        let mut pinpoint: BTreeMap<String, (bool, std::result::Result<String, String>)> = BTreeMap::new();
        for part in &parts {
            let Ok(original) = &part.original else { continue };
            let mut env = Env::new(now, i as u64);
            let text =
                render(Engine::Pinpoint, original, part.html, Input { data: endpoint, defaults: &defaults }, &mut env)
                    .map_err(|e| e.to_string());
            pinpoint.insert(part.part.clone(), (part.html, text));
        }
        let input = match t.target {
            Target::Ses(paths) => ses_template_data(endpoint, paths, source.mapping, &variables, channel),
            Target::Connect => {
                json!({ "customerProfileAttributes": source.mapping.connect_attributes(endpoint, &variables, channel) })
            }
        };
        let target = port.render(resource, request, found, &input).await?;
        let mut outcome = Outcome::Identical;
        let mut example = None;
        match &target {
            Err(message) => {
                outcome = Outcome::CannotRender;
                example = Some(Difference {
                    endpoint: id.clone(),
                    part: "(all)".into(),
                    outcome,
                    pinpoint: String::new(),
                    target: String::new(),
                    diff: format!("the target refused to render it: {message}"),
                });
            }
            Ok(rendered) => {
                for (part, text) in rendered {
                    // A push platform's part the template did not set comes from Pinpoint's default message.
                    let default = part.split_once('.').map(|(_, field)| format!("Default.{field}"));
                    let Some((html, before)) =
                        pinpoint.get(part).or_else(|| default.as_ref().and_then(|d| pinpoint.get(d)))
                    else {
                        continue;
                    };
                    if i == 0 {
                        check.rendered.push(RenderedPart {
                            endpoint: id.clone(),
                            part: part.clone(),
                            html: *html,
                            pinpoint: before.clone().unwrap_or_else(|e| format!("(cannot be rendered: {e})")),
                            target: text.clone(),
                        });
                    }
                    let same = match before {
                        Ok(b) if *html && matches!(t.target, Target::Ses(_)) => reader_view(b) == reader_view(text),
                        Ok(b) => b == text,
                        Err(_) => false,
                    };
                    if !same && outcome == Outcome::Identical {
                        outcome = Outcome::Differs;
                        example = Some(Difference {
                            endpoint: id.clone(),
                            part: part.clone(),
                            outcome,
                            pinpoint: before.clone().unwrap_or_default(),
                            target: text.clone(),
                            diff: match before {
                                Ok(b) => inline_diff(b, text),
                                Err(e) => format!("Pinpoint could not render this ({e}); the target renders it"),
                            },
                        });
                    }
                }
                for (part, (_, before)) in &pinpoint {
                    let platform_part = part.contains('.') && !part.starts_with("Default.");
                    let shown = rendered.contains_key(part) || part.starts_with("Default.") || platform_part;
                    if !shown && before.as_ref().is_ok_and(|b| !b.is_empty()) && outcome == Outcome::Identical {
                        outcome = Outcome::Differs;
                        example = Some(Difference {
                            endpoint: id.clone(),
                            part: part.clone(),
                            outcome,
                            pinpoint: before.clone().unwrap_or_default(),
                            target: String::new(),
                            diff: format!("the target's render has no {part}"),
                        });
                    }
                }
            }
        }
        match outcome {
            Outcome::Identical => check.identical += 1,
            Outcome::Differs => check.differs += 1,
            Outcome::CannotRender => check.cannot_render += 1,
        }
        if let Some(e) = example
            && check.examples.len() < 3
        {
            check.examples.push(e);
        }
    }
    Ok(check)
}

/// The segment's size as Pinpoint knew it: an imported segment's `ImportDefinition.Size`.
fn pinpoint_size(resource: &TargetResource, records: &[ResourceRecord]) -> Option<u64> {
    let source = resource.sources.iter().find(|s| s.kind == ResourceKind::Segment)?;
    let record = records.iter().find(|r| r.kind == ResourceKind::Segment && r.id == source.id)?;
    record.raw["ImportDefinition"]["Size"].as_u64()
}

fn segment_check(resource: &TargetResource, pinpoint: Option<u64>, size: SegmentSize) -> SegmentCheck {
    let (state, note) = match (&size, pinpoint) {
        (SegmentSize { profiles: Some(0), .. }, _) => (
            SegmentState::AwaitingAudience,
            "the domain holds no profiles yet: load the client's audience, then verify again".to_owned(),
        ),
        (SegmentSize { failure: Some(why), .. }, _) => (SegmentState::Unknown, format!("no estimate: {why}")),
        (SegmentSize { estimate: Some(_), .. }, None) => (
            SegmentState::Unknown,
            "Pinpoint kept no size for this dynamic segment; compare the estimate with the client's own counts"
                .to_owned(),
        ),
        (SegmentSize { estimate: Some(target), .. }, Some(pinpoint)) => {
            let tolerance = (pinpoint / 20).max(1);
            if target.abs_diff(pinpoint) <= tolerance {
                (SegmentState::Close, format!("{target} profiles against {pinpoint} endpoints in Pinpoint"))
            } else {
                (
                    SegmentState::Differs,
                    format!("{target} profiles against {pinpoint} endpoints in Pinpoint (beyond 5%)"),
                )
            }
        }
        (SegmentSize { estimate: None, .. }, _) => (SegmentState::Unknown, "the target gave no estimate".to_owned()),
    };
    SegmentCheck {
        step: resource.id.clone(),
        name: resource.name.clone(),
        pinpoint,
        target: size.estimate,
        profiles: size.profiles,
        state,
        note,
    }
}

fn verdict(client: &ClientVerification) -> Verdict {
    let bad = client
        .resources
        .iter()
        .any(|r| matches!(r.check, Check::Differs | Check::Missing | Check::Untagged | Check::Failed))
        || client.templates.iter().any(|t| (t.differs > 0 && t.losses == 0) || t.cannot_render > 0)
        || client.segments.iter().any(|s| s.state == SegmentState::Differs)
        || client.audience.as_ref().is_some_and(|a| a.state == "lost");
    let waiting =
        client.resources.iter().any(|r| matches!(r.check, Check::NotApplied | Check::Pending | Check::NotAutomated))
            || client.segments.iter().any(|s| s.state == SegmentState::AwaitingAudience)
            || client.readiness.iter().any(|r| !r.ready)
            || client.audience.as_ref().is_some_and(|a| a.state == "not_loaded" || a.state == "stopped");
    if bad {
        Verdict::Differs
    } else if waiting {
        Verdict::Incomplete
    } else {
        Verdict::Verified
    }
}

/// What verify reads and compares.
#[derive(Debug, Clone)]
pub struct VerifyRequest {
    pub version: u32,
    /// Empty: every client of the version.
    pub clients: Vec<String>,
    pub account_id: String,
}

/// Reads back every resource of the chosen clients, renders their templates through the target,
/// estimates their segments, and stores the result.
pub async fn verify<P: VerifyPort + AudiencePort>(
    engagement: &Engagement,
    graph: &TargetGraph,
    request: &VerifyRequest,
    port: &P,
    clock: &dyn Clock,
    progress: &dyn RunProgress,
) -> Result<Verification> {
    let (resources, elsewhere) = in_account(scope(graph, &request.clients)?, &request.account_id);
    let history = engagement.last_outcomes()?;
    let blueprint = engagement.blueprint_version(request.version)?;
    let records = engagement.scan_records(&blueprint.scan_id, None)?;
    let now = clock.now();
    let translations = translate_clients(
        &blueprint.assessment,
        &records,
        blueprint.clients.iter().map(|c| c.placement()).collect(),
        now,
    );
    let mappings: BTreeMap<String, ProfileMapping> = blueprint
        .clients
        .iter()
        .filter_map(|c| Some((c.client.clone(), blueprint.scope(&records, &c.client).ok()?.mapping)))
        .collect();
    // The clients with resources in this account (the others are verified through a connection to theirs).
    let mut here: Vec<String> = resources.iter().flat_map(|r| r.clients.iter().cloned()).collect();
    here.sort();
    here.dedup();
    let chosen: Vec<String> = if request.clients.is_empty() {
        here
    } else {
        request.clients.iter().filter(|c| here.contains(c)).cloned().collect()
    };
    let mut clients: BTreeMap<String, ClientVerification> = chosen
        .iter()
        .map(|c| {
            (
                c.clone(),
                ClientVerification {
                    client: c.clone(),
                    verdict: Verdict::Incomplete,
                    counts: Counts::default(),
                    resources: Vec::new(),
                    templates: Vec::new(),
                    segments: Vec::new(),
                    readiness: Vec::new(),
                    audience: None,
                },
            )
        })
        .collect();
    let mut refs: BTreeMap<(TargetKind, String), Reference> = BTreeMap::new();
    let mut checked: BTreeMap<String, Check> = BTreeMap::new();
    let total = resources.len() as u32;
    for (i, resource) in resources.iter().enumerate() {
        let last = history.get(&resource.id);
        let mut template = None;
        let mut segment = None;
        let (check, detail, arn) = 'read: {
            if !port.supports(resource.kind) {
                break 'read (Check::NotAutomated, "this build reads no resource of its kind".to_owned(), None);
            }
            if !last.is_some_and(applied) {
                // What it needs first: a resource of the run not there as asked, or one only the customer
                // provides (a Lambda function a flow calls).
                let waiting_for = resource.depends_on.iter().find_map(|d| {
                    let needed = graph.resources.iter().find(|r| r.id == *d)?;
                    match checked.get(d.as_str()) {
                        Some(c) if *c != Check::Matches => {
                            Some(format!("waits for {} {}", needed.kind.label(), needed.name))
                        }
                        None if !needed.kind.created_by_pinshift() => Some(format!(
                            "waits for {} {}: {}",
                            needed.kind.label(),
                            needed.name,
                            needed.gate.as_deref().unwrap_or("the customer provides it")
                        )),
                        _ => None,
                    }
                });
                let why = match (last.and_then(|r| r.outcome.as_deref()), &resource.gate, waiting_for) {
                    (None, None, Some(waiting_for)) => waiting_for,
                    _ => not_applied(resource, last),
                };
                break 'read (Check::NotApplied, why, None);
            }
            let wanted = match resolve(&resource.request(&BTreeMap::new()), &refs) {
                Ok(wanted) => wanted,
                Err(missing) => break 'read (Check::NotApplied, format!("needs {missing}, which is not there"), None),
            };
            let found = match port.observe(resource, &wanted).await {
                Ok(Observed::Present(found)) => found,
                Ok(Observed::Absent) => {
                    break 'read (
                        Check::Missing,
                        "a run created or adopted it; the target no longer has it".into(),
                        None,
                    );
                }
                Err(error) => break 'read (Check::Failed, error.to_string(), None),
            };
            refs.insert((resource.kind, resource.name.clone()), Reference::of_found(&found));
            if let Some(state) = &found.pending {
                break 'read (Check::Pending, format!("AWS is still bringing it up ({state})"), found.arn.clone());
            }
            let differs = differing_members(&wanted, &found);
            let created = last.is_some_and(|r| r.outcome.as_deref() == Some("created"));
            let takes_tags = resource.kind.tag_shape() != TagShape::None;
            let mut tags = found.tags.clone();
            if takes_tags
                && created
                && tags.is_empty()
                && let Some(arn) = &found.arn
            {
                match port.tags(resource, arn).await {
                    Ok(read) => tags = read,
                    Err(error) => {
                        break 'read (Check::Failed, format!("its tags cannot be read: {error}"), found.arn.clone());
                    }
                }
            }
            let tagged = tags.get(ENGAGEMENT_TAG).is_some_and(|v| v == engagement.id());
            let (check, detail) = if !differs.is_empty() {
                (Check::Differs, format!("differs in {}", differs.join(", ")))
            } else if created && takes_tags && !tagged {
                (Check::Untagged, format!("created without the {ENGAGEMENT_TAG} tag"))
            } else {
                (Check::Matches, String::new())
            };
            if check != Check::Missing {
                match resource.kind {
                    TargetKind::SesEmailTemplate | TargetKind::MessageTemplate => {
                        if let Some(source) = template_source(resource, &translations, &mappings, &records) {
                            template = Some(check_template(resource, &wanted, &found, &source, port, now).await?);
                        }
                    }
                    TargetKind::SegmentDefinition => {
                        let size = port
                            .estimate(resource, &wanted)
                            .await
                            .unwrap_or_else(|e| SegmentSize { failure: Some(e.to_string()), ..SegmentSize::default() });
                        segment = Some(segment_check(resource, pinpoint_size(resource, &records), size));
                    }
                    _ => {}
                }
            }
            (check, detail, found.arn.clone())
        };
        checked.insert(resource.id.clone(), check);
        for client in resource.clients.iter() {
            let Some(c) = clients.get_mut(client) else { continue };
            c.counts.expected += 1;
            if matches!(check, Check::Matches | Check::Differs | Check::Untagged | Check::Pending) {
                c.counts.present += 1;
            }
            if check == Check::Matches {
                c.counts.matching += 1;
            }
            c.resources.push(ResourceCheck {
                step: resource.id.clone(),
                kind: resource.kind,
                name: resource.name.clone(),
                check,
                detail: detail.clone(),
                arn: arn.clone(),
            });
            if let Some(t) = &template {
                c.counts.templates += 1;
                if t.identical == t.endpoints {
                    c.counts.templates_identical += 1;
                }
                c.templates.push(t.clone());
            }
            if let Some(s) = &segment {
                c.counts.segments += 1;
                c.segments.push(s.clone());
            }
        }
        progress.report(RunEvent::Checked {
            done: i as u32 + 1,
            total,
            step: resource.id.clone(),
            kind: resource.kind,
            name: resource.name.clone(),
            check,
        });
    }
    let readiness = read_readiness(port, &sending_places(resources.iter().copied())).await?;
    let mut clients: Vec<ClientVerification> = clients.into_values().collect();
    for c in &mut clients {
        let places = sending_places(resources.iter().copied().filter(|r| r.clients.contains(&c.client)));
        c.readiness = readiness
            .iter()
            .filter(|r| places.contains(&(r.service, r.account_id.clone(), r.region.clone())))
            .cloned()
            .collect();
        c.audience = audience_check(engagement, graph, &request.account_id, &c.client, port).await?;
        c.verdict = verdict(c);
    }
    let verification = Verification {
        id: format!("verify-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]),
        at: clock.now().to_string(),
        version: request.version,
        account_id: request.account_id.clone(),
        clients,
        elsewhere,
    };
    engagement.store_verification(&verification)?;
    Ok(verification)
}

/// The client's last audience load against what the target holds now.
async fn audience_check<P: AudiencePort>(
    engagement: &Engagement,
    graph: &TargetGraph,
    account_id: &str,
    client: &str,
    port: &P,
) -> Result<Option<AudienceCheck>> {
    let Ok(target) = audience_target(graph, client) else { return Ok(None) };
    if target.account_id != account_id {
        return Ok(None);
    }
    let last = engagement.audience_loads()?.into_iter().find(|l| l.client == client);
    let Some(load) = last else {
        return Ok(Some(AudienceCheck {
            state: "not_loaded".into(),
            load: None,
            endpoints_read: 0,
            profiles_written: 0,
            opted_out_written: 0,
            suppressed_written: 0,
            counts: None,
            target: Some(target),
            note: format!(
                "no audience loaded yet: `pinshift audience load --client {client} --from EXPORTS`, or record its \
                 source (`pinshift audience source`) and apply"
            ),
        }));
    };
    let mut check = AudienceCheck {
        state: String::new(),
        load: Some(load.id.clone()),
        endpoints_read: load.reconciliation.endpoints_read,
        profiles_written: load.profiles_written,
        opted_out_written: load.opted_out_written,
        suppressed_written: load.suppressed_written,
        counts: None,
        target: Some(load.target.clone()),
        note: String::new(),
    };
    if load.state != "finished" {
        check.state = "stopped".into();
        check.note = format!("load {} {}: run `pinshift audience load` again with the same input", load.id, load.state);
        return Ok(Some(check));
    }
    let counts = port.counts(&load.target).await?;
    let lost = shortfalls(&load, &counts);
    (check.state, check.note) = if !lost.is_empty() {
        ("lost".into(), format!("the target holds fewer than the load wrote — {}", lost.join("; ")))
    } else if !load.holds {
        ("lost".into(), "the load did not reconcile (`pinshift audience reconcile` shows where)".into())
    } else {
        ("loaded".into(), String::new())
    };
    check.counts = Some(counts);
    Ok(Some(check))
}

impl Engagement {
    fn store_verification(&self, v: &Verification) -> Result<()> {
        let report = serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))?;
        let clients = serde_json::to_string(&v.clients.iter().map(|c| &c.client).collect::<Vec<_>>())
            .map_err(|e| Error::Internal(e.to_string()))?;
        self.conn().execute(
            "INSERT INTO verification (id, at, version, account_id, clients, report) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![v.id, v.at, v.version, v.account_id, clients, report],
        )?;
        Ok(())
    }

    /// Every verification, oldest first.
    pub fn verifications(&self) -> Result<Vec<Verification>> {
        let mut stmt = self.conn().prepare("SELECT report FROM verification ORDER BY at, rowid")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            let text = row?;
            out.push(serde_json::from_str(&text).map_err(|e| Error::Corrupt {
                path: self.path().to_owned(),
                detail: format!("a stored verification does not read back: {e}"),
            })?);
        }
        Ok(out)
    }

    /// Each client's newest verification, with when it was made.
    pub fn latest_verifications(&self) -> Result<BTreeMap<String, (String, ClientVerification)>> {
        let mut out = BTreeMap::new();
        for v in self.verifications()? {
            for c in v.clients {
                out.insert(c.client.clone(), (v.at.clone(), c));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource() -> TargetResource {
        TargetResource {
            id: "1/us-east-1/segment-definition/s".into(),
            kind: TargetKind::SegmentDefinition,
            name: "s".into(),
            account_id: "1".into(),
            region: "us-east-1".into(),
            clients: vec!["acme".into()],
            spec: json!({}),
            tags: BTreeMap::new(),
            depends_on: Vec::new(),
            sources: Vec::new(),
            translation: None,
            existing: false,
            gate: None,
        }
    }

    #[test]
    fn segment_sizes_compare_within_five_percent_and_wait_for_the_audience() {
        let r = resource();
        let size =
            |estimate, profiles| SegmentSize { estimate: Some(estimate), profiles: Some(profiles), failure: None };
        assert_eq!(segment_check(&r, Some(1000), size(960, 5000)).state, SegmentState::Close);
        assert_eq!(segment_check(&r, Some(1000), size(900, 5000)).state, SegmentState::Differs);
        assert_eq!(segment_check(&r, Some(1000), size(0, 0)).state, SegmentState::AwaitingAudience);
        assert_eq!(segment_check(&r, None, size(12, 40)).state, SegmentState::Unknown);
    }
}
