//! Translation: Pinpoint resources turned into the definitions their successors take — pure functions, no
//! network — each with the list of what did not carry over. The blueprint shows them, the migration will
//! apply them. Quiet loss is the failure this module exists to prevent: whatever a translation cannot
//! carry is reported as a [`Loss`] naming the construct and where it is, never dropped.
//!
//! - templates: [`crate::translate::template`] (SES and Connect message templates, with proof).
//! - [`segment`]: segments → Customer Profiles segment definitions or upload-job plans, with size estimates.
//! - [`campaign`]: campaigns → Outbound Campaigns v2 definitions.
//! - [`journey`]: journeys → a CAMPAIGN flow plus a JOURNEY campaign definition, both drafts.
//! - [`estimate`]: a segment's size before and after, on one sample of endpoints.
//! - [`timing`]: quiet time, open hours, closed days, time zones and caps in Outbound Campaigns' terms.
//! - [`estate`]: looking resources up in a scan and translating a client's whole set for the blueprint.

pub mod campaign;
pub mod estate;
pub mod estimate;
pub mod journey;
pub mod segment;
pub mod template;
pub mod timing;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::target::TargetKind;
use crate::templates::Position;

/// How much a reader must care about a [`Loss`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Not carried over: a person must redesign or decide.
    Loss,
    /// Carried over, but the target may behave differently.
    Warning,
    /// Carried over mechanically, somewhere else or in another form (say so, nothing is lost).
    Note,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Loss => "loss",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// Something a translation could not carry over as it was, and where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct Loss {
    pub severity: Severity,
    /// What it is: `helper capitalize`, `variable Demographic.Platform`, `Limits.Total`, `activity holdout`.
    pub construct: String,
    /// Where: a template part (`HtmlPart`) or a field path of the Pinpoint resource (`Schedule.Frequency`).
    pub at: String,
    /// Line and column inside a template part.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    pub message: String,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl Loss {
    pub fn new(
        severity: Severity,
        construct: impl Into<String>,
        at: impl Into<String>,
        message: impl Into<String>,
    ) -> Loss {
        Loss {
            severity,
            construct: construct.into(),
            at: at.into(),
            position: None,
            message: message.into(),
            suggestion: None,
        }
    }

    pub fn at_position(mut self, position: Position) -> Loss {
        self.position = Some(position);
        self
    }

    pub fn suggest(mut self, suggestion: impl Into<String>) -> Loss {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// `HtmlPart 3:14` or `Schedule.Frequency`.
    pub fn place(&self) -> String {
        match self.position {
            Some(p) => format!("{} {}:{}", self.at, p.line, p.column),
            None => self.at.clone(),
        }
    }
}

/// A resource a translated definition names before it exists (a segment definition, a message template,
/// a phone number…). The definition holds [`Reference::placeholder`] where the resource's ARN (or id) goes;
/// the blueprint's target graph has a node for it and a migration run replaces the placeholder with what
/// AWS returned. A field that takes the name itself (a campaign's source email address) keeps the name:
/// the reference then only says what must exist first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct Reference {
    /// The field of the definition that holds it (`source.customerProfilesSegmentArn`).
    pub field: String,
    pub kind: TargetKind,
    pub name: String,
}

impl Reference {
    pub fn new(field: impl Into<String>, kind: TargetKind, name: impl Into<String>) -> Reference {
        Reference { field: field.into(), kind, name: name.into() }
    }

    /// `pinshift:ref:segment-definition/aurora-readers`
    pub fn placeholder(&self) -> String {
        crate::target::placeholder(self.kind, &self.name)
    }
}

/// A name the target accepts (`[a-zA-Z0-9_-]`, at most `max` characters) made from a Pinpoint name,
/// prefixed with the client when the target is shared.
pub fn target_name(prefix: Option<&str>, name: &str, max: usize) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    let full = match prefix {
        Some(p) if !p.is_empty() => format!("{p}-{slug}"),
        _ => slug.to_owned(),
    };
    let full = if full.is_empty() { "unnamed".to_owned() } else { full };
    full.chars().take(max).collect()
}

/// Whether any loss needs a person (a loss or a warning, not a note).
pub fn needs_review(losses: &[Loss]) -> bool {
    losses.iter().any(|l| l.severity != Severity::Note)
}
