//! TypeScript declarations of every type that crosses the desktop's IPC boundary, generated from the Rust
//! types with ts-rs into one committed file, `ui/src/lib/ipc/bindings.ts`.
//!
//! The `bindings` integration test fails when the committed file is stale; `make bindings` (or
//! `UPDATE_BINDINGS=1 cargo test -p pinshift-core --test core bindings`) rewrites it.

use ts_rs::{Config, TS};

use crate::app::AppInfo;
use crate::assess::{
    Assessment, Attribution, AttributionStatus, Band, Basis, Capability, Client, ClientAssessment, Confidence,
    Evidence, Finding, Fit, ProjectRef, Proposal, ResourceRef, Service,
};
use crate::blueprint::Blueprint;
use crate::blueprint::decisions::{Decision, DecisionKind, DecisionStatus};
use crate::blueprint::graph::{TargetGraph, TargetResource, TranslationOrigin};
use crate::blueprint::quota::{QuotaCheck, QuotaStatus};
use crate::blueprint::store::{DecisionUpdate, Drift, SignOff, VersionSummary, Versions};
use crate::blueprint::tenancy::{
    AnalyticsRoute, CampaignChannel, ClientTenancy, CommunicationLimit, ConnectTenancy, ConnectTopology, EmailHealth,
    EventDestination, EventTarget, MessageTemplateRef, NotCreated, ProfilesDomain, ReputationPolicy, SenderId,
    SesTenancy, SmsPool, SmsTenancy, TargetCampaign, TenancyOverride,
};
use crate::blueprint::translation::{TranslationQuery, TranslationReport};
use crate::connections::{CallerIdentity, ConnectionKind, ConnectionSummary, NewConnection, SecretState};
use crate::diff::{Change, FieldChange, ResourceChange};
use crate::engagement::EngagementInfo;
use crate::engagement::lease::LeaseHolder;
use crate::error::{ErrorCode, ErrorPayload};
use crate::estate::{
    EstateBranch, EstatePage, EstateQuery, ExplainedIssue, KpiSeries, ResourceKind, ResourceRecord, ResourceSummary,
    ScanIssue, ScanStatus, ScanSummary,
};
use crate::report::Format;
use crate::scan::audience::{
    AttributeProfile, AttributeType, AudienceProfile, ChannelCounts, ExportSettings, ExportStats,
};
use crate::scan::request::ScanRequest;
use crate::scan::{Pressure, ScanEvent, ScanTarget};
use crate::target::{TargetKind, TargetService};
use crate::templates::Position;
use crate::translate::campaign::CampaignTranslation;
use crate::translate::estate::TranslationSummary;
use crate::translate::estimate::SizeEstimate;
use crate::translate::journey::JourneyTranslation;
use crate::translate::segment::{HeaderRename, SegmentTranslation, UploadPlan};
use crate::translate::template::convert::{SesPaths, Target, VariableUse};
use crate::translate::template::proof::{Difference, Outcome, Proof, RenderedPart};
use crate::translate::template::{PartTranslation, TemplateDataField, TemplateTranslation};
use crate::translate::{Loss, Reference, Severity};

/// Path of the generated file, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/lib/ipc/bindings.ts";

fn declare<T: TS>(cfg: &Config, out: &mut String) {
    out.push_str("export ");
    out.push_str(&T::decl(cfg));
    out.push_str("\n\n");
}

/// The full text of `ui/src/lib/ipc/bindings.ts`.
pub fn typescript() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types by pinshift-core (crates/core/src/bindings.rs). Do not edit:\n\
         // run `make bindings` after changing a type that crosses IPC.\n\n",
    );
    declare::<ErrorCode>(&cfg, &mut out);
    declare::<ErrorPayload>(&cfg, &mut out);
    declare::<AppInfo>(&cfg, &mut out);
    declare::<EngagementInfo>(&cfg, &mut out);
    declare::<ConnectionKind>(&cfg, &mut out);
    declare::<NewConnection>(&cfg, &mut out);
    declare::<SecretState>(&cfg, &mut out);
    declare::<ConnectionSummary>(&cfg, &mut out);
    declare::<CallerIdentity>(&cfg, &mut out);
    declare::<ResourceKind>(&cfg, &mut out);
    declare::<ResourceRecord>(&cfg, &mut out);
    declare::<ScanIssue>(&cfg, &mut out);
    declare::<ExplainedIssue>(&cfg, &mut out);
    declare::<ScanStatus>(&cfg, &mut out);
    declare::<ScanSummary>(&cfg, &mut out);
    declare::<EstateBranch>(&cfg, &mut out);
    declare::<EstateQuery>(&cfg, &mut out);
    declare::<ResourceSummary>(&cfg, &mut out);
    declare::<EstatePage>(&cfg, &mut out);
    declare::<KpiSeries>(&cfg, &mut out);
    declare::<ScanTarget>(&cfg, &mut out);
    declare::<Pressure>(&cfg, &mut out);
    declare::<ScanEvent>(&cfg, &mut out);
    declare::<FieldChange>(&cfg, &mut out);
    declare::<Change>(&cfg, &mut out);
    declare::<ResourceChange>(&cfg, &mut out);
    declare::<ExportSettings>(&cfg, &mut out);
    declare::<ExportStats>(&cfg, &mut out);
    declare::<ScanRequest>(&cfg, &mut out);
    declare::<LeaseHolder>(&cfg, &mut out);
    declare::<ChannelCounts>(&cfg, &mut out);
    declare::<AttributeType>(&cfg, &mut out);
    declare::<AttributeProfile>(&cfg, &mut out);
    declare::<AudienceProfile>(&cfg, &mut out);
    declare::<Fit>(&cfg, &mut out);
    declare::<Capability>(&cfg, &mut out);
    declare::<Service>(&cfg, &mut out);
    declare::<Band>(&cfg, &mut out);
    declare::<ResourceRef>(&cfg, &mut out);
    declare::<Evidence>(&cfg, &mut out);
    declare::<Finding>(&cfg, &mut out);
    declare::<ProjectRef>(&cfg, &mut out);
    declare::<Client>(&cfg, &mut out);
    declare::<ClientAssessment>(&cfg, &mut out);
    declare::<Basis>(&cfg, &mut out);
    declare::<Confidence>(&cfg, &mut out);
    declare::<Proposal>(&cfg, &mut out);
    declare::<AttributionStatus>(&cfg, &mut out);
    declare::<Attribution>(&cfg, &mut out);
    declare::<Assessment>(&cfg, &mut out);
    declare::<ReputationPolicy>(&cfg, &mut out);
    declare::<ConnectTopology>(&cfg, &mut out);
    declare::<TenancyOverride>(&cfg, &mut out);
    declare::<EmailHealth>(&cfg, &mut out);
    declare::<EventTarget>(&cfg, &mut out);
    declare::<EventDestination>(&cfg, &mut out);
    declare::<SesTenancy>(&cfg, &mut out);
    declare::<SenderId>(&cfg, &mut out);
    declare::<SmsPool>(&cfg, &mut out);
    declare::<SmsTenancy>(&cfg, &mut out);
    declare::<ProfilesDomain>(&cfg, &mut out);
    declare::<CampaignChannel>(&cfg, &mut out);
    declare::<TargetCampaign>(&cfg, &mut out);
    declare::<MessageTemplateRef>(&cfg, &mut out);
    declare::<CommunicationLimit>(&cfg, &mut out);
    declare::<NotCreated>(&cfg, &mut out);
    declare::<ConnectTenancy>(&cfg, &mut out);
    declare::<AnalyticsRoute>(&cfg, &mut out);
    declare::<Severity>(&cfg, &mut out);
    declare::<Position>(&cfg, &mut out);
    declare::<Loss>(&cfg, &mut out);
    declare::<TargetService>(&cfg, &mut out);
    declare::<TargetKind>(&cfg, &mut out);
    declare::<Reference>(&cfg, &mut out);
    declare::<TranslationSummary>(&cfg, &mut out);
    declare::<ClientTenancy>(&cfg, &mut out);
    declare::<QuotaStatus>(&cfg, &mut out);
    declare::<QuotaCheck>(&cfg, &mut out);
    declare::<DecisionKind>(&cfg, &mut out);
    declare::<DecisionStatus>(&cfg, &mut out);
    declare::<Decision>(&cfg, &mut out);
    declare::<DecisionUpdate>(&cfg, &mut out);
    declare::<Blueprint>(&cfg, &mut out);
    declare::<VersionSummary>(&cfg, &mut out);
    declare::<SignOff>(&cfg, &mut out);
    declare::<Versions>(&cfg, &mut out);
    declare::<Drift>(&cfg, &mut out);
    declare::<TranslationOrigin>(&cfg, &mut out);
    declare::<TargetResource>(&cfg, &mut out);
    declare::<TargetGraph>(&cfg, &mut out);
    declare::<Format>(&cfg, &mut out);
    declare::<SesPaths>(&cfg, &mut out);
    declare::<Target>(&cfg, &mut out);
    declare::<TranslationQuery>(&cfg, &mut out);
    declare::<PartTranslation>(&cfg, &mut out);
    declare::<TemplateDataField>(&cfg, &mut out);
    declare::<VariableUse>(&cfg, &mut out);
    declare::<TemplateTranslation>(&cfg, &mut out);
    declare::<Outcome>(&cfg, &mut out);
    declare::<Difference>(&cfg, &mut out);
    declare::<RenderedPart>(&cfg, &mut out);
    declare::<Proof>(&cfg, &mut out);
    declare::<HeaderRename>(&cfg, &mut out);
    declare::<UploadPlan>(&cfg, &mut out);
    declare::<SegmentTranslation>(&cfg, &mut out);
    declare::<SizeEstimate>(&cfg, &mut out);
    declare::<CampaignTranslation>(&cfg, &mut out);
    declare::<JourneyTranslation>(&cfg, &mut out);
    declare::<TranslationReport>(&cfg, &mut out);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
