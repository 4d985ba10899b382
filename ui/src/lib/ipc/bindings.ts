// Generated from the Rust types by pinshift-core (crates/core/src/bindings.rs). Do not edit:
// run `make bindings` after changing a type that crosses IPC.

export type ErrorCode = "not_found" | "already_exists" | "not_an_engagement" | "corrupt" | "newer_schema" | "invalid_input" | "keychain_unavailable" | "secret_missing" | "aws" | "cancelled" | "locked" | "internal";

export type ErrorPayload = { code: ErrorCode, message: string, hint?: string, };

export type AppInfo = { version: string, schema_version: number, data_dir: string, log_dir: string, 
/**
 * The Regions Amazon Pinpoint ran in (what a scan covers by default).
 */
pinpoint_regions: Array<string>, };

export type EngagementInfo = { id: string, name: string, path: string, 
/**
 * RFC 3339.
 */
created_at: string, created_by_version: string, schema_version: number, connections: number, size_bytes: number, };

export type ConnectionKind = { "kind": "access_key", access_key_id: string, } | { "kind": "profile", profile: string, } | { "kind": "assume_role", 
/**
 * The connection whose credentials call `sts:AssumeRole`.
 */
source: string, role_arn: string, external_id?: string, };

export type NewConnection = { name: string, 
/**
 * Default Region for calls that need one (STS, single-Region scans).
 */
region?: string, } & ({ "kind": "access_key", access_key_id: string, } | { "kind": "profile", profile: string, } | { "kind": "assume_role", 
/**
 * The connection whose credentials call `sts:AssumeRole`.
 */
source: string, role_arn: string, external_id?: string, });

export type SecretState = "present" | "missing" | "not_needed" | "unknown";

export type ConnectionSummary = { name: string, region?: string, 
/**
 * Where its AWS calls go when not the standard endpoints (e.g. the local sandbox).
 */
endpoint_url?: string, secret: SecretState, created_at: string, } & ({ "kind": "access_key", access_key_id: string, } | { "kind": "profile", profile: string, } | { "kind": "assume_role", 
/**
 * The connection whose credentials call `sts:AssumeRole`.
 */
source: string, role_arn: string, external_id?: string, });

export type CallerIdentity = { connection: string, account: string, arn: string, user_id: string, };

export type ResourceKind = "project" | "project_settings" | "channel" | "segment" | "segment_version" | "campaign" | "campaign_version" | "campaign_activity" | "journey" | "journey_metrics" | "event_stream" | "import_job" | "export_job" | "kpi" | "template" | "template_version" | "recommender" | "email_identity" | "email_configuration_set" | "phone_number" | "sender_id" | "pool" | "opt_out_list" | "sms_configuration_set" | "registration" | "audience_profile";

export type ResourceRecord = { account_id: string, region: string, 
/**
 * The project a project-level resource belongs to; empty for account-level ones.
 */
project_id: string, kind: ResourceKind, id: string, 
/**
 * The version for versioned kinds; empty otherwise.
 */
version: string, name?: string, 
/**
 * The payload exactly as AWS returned it.
 */
raw: unknown, };

export type ScanIssue = { account_id: string, region: string, project_id: string, kind: ResourceKind, 
/**
 * The API call that failed, e.g. `mobiletargeting:ListJourneys`.
 */
operation: string, 
/**
 * AWS's error code (`AccessDeniedException`, `ForbiddenException`, …) or `Unreachable`.
 */
code: string, message: string, };

export type ExplainedIssue = { what: string, action: string, account_id: string, region: string, project_id: string, kind: ResourceKind, 
/**
 * The API call that failed, e.g. `mobiletargeting:ListJourneys`.
 */
operation: string, 
/**
 * AWS's error code (`AccessDeniedException`, `ForbiddenException`, …) or `Unreachable`.
 */
code: string, message: string, };

export type ScanStatus = "running" | "complete" | "complete_with_gaps" | "cancelled" | "failed";

export type ScanSummary = { id: string, started_at: string, finished_at?: string, status: ScanStatus, accounts: number, projects: number, resources: number, issues: number, };

export type EstateBranch = { account_id: string, region: string, project_id: string, 
/**
 * The project's name; empty for account-level resources.
 */
project_name: string, counts: { [key in ResourceKind]?: number }, };

export type EstateQuery = { account_id?: string, region?: string, 
/**
 * `Some("")` selects account-level resources.
 */
project_id?: string, kind?: ResourceKind, search: string, offset: number, limit: number, };

export type ResourceSummary = { account_id: string, region: string, project_id: string, kind: ResourceKind, id: string, version: string, name?: string, };

export type EstatePage = { total: number, items: Array<ResourceSummary>, };

export type KpiSeries = { 
/**
 * Pinpoint's KPI name, e.g. `txn-emails-sent-grouped-by-date`.
 */
kpi: string, 
/**
 * (`YYYY-MM-DD`, value), oldest first.
 */
points: Array<[string, number]>, };

export type ScanTarget = { connection: string, account_id: string, region: string, };

export type Pressure = { throttled: number, failed_attempts: number, };

export type ScanEvent = { "event": "started", scan_id: string, targets: number, } | { "event": "planned", total: number, } | { "event": "progress", done: number, total: number, target: ScanTarget, project?: string, resources: number, issues: number, 
/**
 * Retried so far in this run: throttles and failed attempts.
 */
pressure: Pressure, } | { "event": "finished", summary: ScanSummary, } | { "event": "connected", connection: string, account_id: string, arn: string, } | { "event": "resuming", scan_id: string, } | { "event": "took_over", holder: LeaseHolder, } | { "event": "profiling", scan_id: string, } | { "event": "failed", error: ErrorPayload, };

export type FieldChange = { path: string, before: unknown, after: unknown, };

export type Change = { "type": "added" } | { "type": "removed" } | { "type": "changed", fields: Array<FieldChange>, };

export type ResourceChange = { change: Change, account_id: string, region: string, project_id: string, kind: ResourceKind, id: string, version: string, name?: string, };

export type ExportSettings = { bucket: string, 
/**
 * Key prefix inside the bucket; each export goes below `<prefix>pinshift-<scan>/<project>/`.
 */
prefix: string, role_arn: string, };

export type ExportStats = { job_id: string, 
/**
 * Where the export was written (`s3://…/`).
 */
location: string, objects: number, 
/**
 * Compressed bytes read from S3.
 */
bytes: number, seconds: number, };

export type ScanRequest = { 
/**
 * Connections to scan through; all of the engagement's when empty.
 */
connections: Array<string>, 
/**
 * Regions; every Region Pinpoint ran in when empty.
 */
regions: Array<string>, 
/**
 * Audience profiling after the inventory (opt-in).
 */
audience?: ExportSettings, 
/**
 * AWS requests in flight at once ([`DEFAULT_CONCURRENCY`] unless given).
 */
concurrency?: number, 
/**
 * Continue the newest stopped or interrupted scan instead (its connections, Regions and audience).
 */
resume: boolean, 
/**
 * Take the engagement's lease even though another process holds it (that process is gone).
 */
take_over: boolean, };

export type LeaseHolder = { 
/**
 * What runs: `pinshift scan`, `desktop: scan`.
 */
job: string, host: string, pid: number, started_at: string, expires_at: string, };

export type ChannelCounts = { endpoints: number, active: number, opted_out: number, };

export type AttributeType = "number" | "boolean" | "date" | "string";

export type AttributeProfile = { 
/**
 * `Attributes`, `User.UserAttributes` or `Metrics`.
 */
source: string, name: string, type: AttributeType, 
/**
 * Endpoints with at least one value.
 */
filled: number, 
/**
 * `filled` over all endpoints (0–1).
 */
fill_rate: number, 
/**
 * Endpoints with more than one value (Customer Profiles attributes hold one).
 */
multi_valued: number, max_values: number, };

export type AudienceProfile = { endpoints: number, 
/**
 * By `ChannelType` (EMAIL, SMS, APNS, …).
 */
channels: { [key in string]: ChannelCounts }, 
/**
 * `EndpointStatus` INACTIVE.
 */
inactive: number, 
/**
 * `OptOut` ALL.
 */
opted_out: number, 
/**
 * Endpoints without `User.UserId` (Customer Profiles needs a key: a synthetic one must be made).
 */
without_user_id: number, distinct_users: number, 
/**
 * Endpoints whose address another endpoint of the same project also has.
 */
duplicate_addresses: number, 
/**
 * Distinct addresses also found in other projects of this profiling run, by project id.
 */
shared_with: { [key in string]: number }, 
/**
 * How many projects the shared-address comparison covered (a resumed run compares only the projects
 * it read itself).
 */
compared_projects: number, attributes: Array<AttributeProfile>, 
/**
 * Fill counts of the standard fields (`Demographic.*`, `Location.*`) the mapping uses.
 */
standard_fields: { [key in string]: number }, 
/**
 * Lines of the export that were not endpoints (not JSON objects), with the first one's position.
 */
unreadable_lines: number, export: ExportStats, };

export type Fit = "direct" | "transform" | "rethink" | "no_successor";

export type Capability = "email" | "sms" | "voice" | "push" | "in_app" | "custom_channel" | "templates" | "segments" | "campaigns" | "journeys" | "cadence" | "audience" | "analytics" | "recommenders" | "origination";

export type Service = "ses" | "end_user_messaging" | "connect" | "customer_profiles" | "outbound_campaigns" | "q_in_connect" | "analytics" | "none";

export type Band = "low" | "medium" | "high" | "very_high";

export type ResourceRef = { account_id: string, region: string, 
/**
 * Empty for account-level resources.
 */
project_id: string, kind: ResourceKind, id: string, name?: string, };

export type Evidence = { 
/**
 * The concrete path in the raw payload, e.g. `AdditionalTreatments[0]` or `Schedule.Frequency`.
 */
field: string, value: string, };

export type Finding = { 
/**
 * `rule@resource key`: stable across runs of the same estate.
 */
id: string, rule: string, client: string, 
/**
 * The resource is attributed to more than one client (counted once in the engagement's effort).
 */
shared: boolean, capability: Capability, resource: ResourceRef, evidence: Array<Evidence>, service: Service, 
/**
 * The successor resource, e.g. `Outbound Campaigns v2 campaign (MANAGED)`.
 */
successor: string, fit: Fit, reason: string, action: string, effort: number, };

export type ProjectRef = { account_id: string, region: string, project_id: string, name: string, };

export type Client = { 
/**
 * Stable, lowercase letters, digits and hyphens (used in target resource names and tags).
 */
id: string, name: string, projects: Array<ProjectRef>, tags: { [key in string]: string }, };

export type ClientAssessment = { client: Client, findings: number, effort: number, band: Band, 
/**
 * The worst fit per capability the client uses (a row of the mapping matrix).
 */
fits: { [key in Capability]?: Fit }, 
/**
 * Findings per fit, for the summary.
 */
by_fit: { [key in Fit]?: number }, };

export type Basis = "reference" | "tag" | "name_prefix";

export type Confidence = "high" | "medium";

export type Proposal = { client: string, basis: Basis, confidence: Confidence, reason: string, };

export type AttributionStatus = "proposed" | "confirmed" | "overridden" | "unassigned";

export type Attribution = { 
/**
 * The resource's key (`account/Region/kind/id`), what edits name it by.
 */
key: string, resource: ResourceRef, 
/**
 * The owners in effect (empty when unassigned).
 */
clients: Array<string>, status: AttributionStatus, proposals: Array<Proposal>, };

export type Assessment = { scan_id: string, clients: Array<ClientAssessment>, attributions: Array<Attribution>, findings: Array<Finding>, 
/**
 * Engagement effort: every finding once (a shared resource's findings count once).
 */
effort: number, band: Band, };

export type ReputationPolicy = "standard" | "strict" | "none";

export type ConnectTopology = "dedicated" | "shared" | "messaging_only";

export type TenancyOverride = { topology?: ConnectTopology, reputation?: ReputationPolicy, tenant_name?: string, };

export type EmailHealth = { sent: number, delivered: number, hard_bounced: number, complaints: number, 
/**
 * Hard bounces / sent (0 when nothing was sent).
 */
bounce_rate: number, complaint_rate: number, };

export type EventTarget = { "kind": "event_bridge", event_bus_arn?: string, } | { "kind": "firehose", delivery_stream_arn: string, 
/**
 * `None` until someone names a role the service may assume (a decision).
 */
iam_role_arn?: string, } | { "kind": "kinesis_stream", stream_arn: string, } | { "kind": "sns", topic_arn?: string, } | { "kind": "cloud_watch_logs", log_group_arn: string, iam_role_arn?: string, } | { "kind": "cloud_watch_metrics" } | { "kind": "pinpoint", application_arn: string, };

export type EventDestination = { name: string, target: EventTarget, 
/**
 * It is on the client's configuration set already (kept, not created).
 */
existing: boolean, 
/**
 * Why this destination (the project's event stream, AWS's guidance…), for a new one.
 */
reason: string, };

export type SesTenancy = { account_id: string, region: string, tenant_name: string, reputation_policy: ReputationPolicy, reputation_reason: string, 
/**
 * Suppression list scope: `TENANT` keeps one client's bounces from suppressing another's.
 */
suppression_scope: string, suppressed_reasons: Array<string>, configuration_set: string, 
/**
 * `true` when the configuration set exists already (it is associated, not created).
 */
configuration_set_exists: boolean, event_destinations: Array<EventDestination>, 
/**
 * Identities the client sends from (SES identities exist already: Pinpoint used them).
 */
identities: Array<string>, 
/**
 * SES templates to create (email templates the client owns).
 */
templates: Array<string>, };

export type SenderId = { sender_id: string, iso_country_code: string, };

export type SmsPool = { name: string, 
/**
 * `TRANSACTIONAL` or `PROMOTIONAL` (immutable on a pool).
 */
message_type: string, 
/**
 * Numbers (E.164) that move into the pool: only numbers this client owns alone.
 */
numbers: Array<string>, sender_ids: Array<SenderId>, };

export type SmsTenancy = { account_id: string, region: string, pools: Array<SmsPool>, configuration_set: string, configuration_set_exists: boolean, default_sender_id?: string, opt_out_list: string, 
/**
 * Existing opt-out lists whose numbers are copied into the client's list.
 */
carried_opt_out_lists: Array<string>, event_destinations: Array<EventDestination>, 
/**
 * The client places voice messages but sends no SMS: no registration, and its number must be
 * voice-capable; its opted-out numbers still go to the opt-out list.
 */
voice_only?: boolean, };

export type ProfilesDomain = { name: string, 
/**
 * Always explicit: Customer Profiles' defaults would silently expire data.
 */
default_expiration_days: number, shared: boolean, };

export type CampaignChannel = "email" | "sms" | "telephony" | "push" | "custom";

export type TargetCampaign = { source_kind: ResourceKind, source_id: string, name: string, 
/**
 * `MANAGED` or `JOURNEY`.
 */
campaign_type: string, 
/**
 * The CAMPAIGN flow drafted for a journey.
 */
flow?: string, channels: Array<CampaignChannel>, };

export type MessageTemplateRef = { 
/**
 * The Pinpoint template's name.
 */
name: string, 
/**
 * `EMAIL`, `SMS` or `PUSH`.
 */
channel: string, };

export type CommunicationLimit = { max_count_per_recipient: number, 
/**
 * Days (Outbound Campaigns takes 1–30).
 */
frequency_days: number, 
/**
 * The Pinpoint setting it comes from (`JourneyLimits.DailyCap`).
 */
source_field: string, };

export type NotCreated = { kind: ResourceKind, name: string, reason: string, };

export type ConnectTenancy = { topology: ConnectTopology, reason: string, 
/**
 * A person chose the topology.
 */
overridden: boolean, instance_alias?: string, 
/**
 * For a shared instance: the profile attribute that carries the client id.
 */
partition_attribute?: string, profiles_domain?: ProfilesDomain, campaigns: Array<TargetCampaign>, 
/**
 * Q in Connect message templates to create.
 */
message_templates: Array<MessageTemplateRef>, 
/**
 * Instance communication limits from the project settings.
 */
communication_limits: Array<CommunicationLimit>, 
/**
 * Campaigns and journeys that are not created (no successor).
 */
not_created: Array<NotCreated>, };

export type AnalyticsRoute = { "kind": "event_stream", stream_arn: string, } | { "kind": "kpi_archive", windows: number, } | { "kind": "email_metrics" };

export type Severity = "loss" | "warning" | "note";

export type Position = { line: number, column: number, };

export type Loss = { severity: Severity, 
/**
 * What it is: `helper capitalize`, `variable Demographic.Platform`, `Limits.Total`, `activity holdout`.
 */
construct: string, 
/**
 * Where: a template part (`HtmlPart`) or a field path of the Pinpoint resource (`Schedule.Frequency`).
 */
at: string, 
/**
 * Line and column inside a template part.
 */
position?: Position, message: string, suggestion?: string, };

export type TargetService = "ses" | "sms" | "sns" | "connect" | "customer_profiles" | "outbound_campaigns" | "q_in_connect" | "lambda";

export type TargetKind = "ses-identity" | "ses-configuration-set" | "ses-event-destination" | "ses-tenant" | "ses-tenant-association" | "ses-reputation-policy" | "ses-suppression-settings" | "ses-email-template" | "sms-pool" | "sms-pool-identity" | "sms-pool-settings" | "sms-configuration-set" | "sms-event-destination" | "sms-opt-out-list" | "sms-keyword" | "sms-default-sender-id" | "sns-topic" | "connect-instance" | "phone-number" | "email-address" | "connect-integration" | "knowledge-base" | "message-template" | "message-template-version" | "profiles-domain" | "profile-object-type" | "profiles-integration" | "segment-definition" | "campaign-flow" | "campaign" | "campaigns-onboarding" | "campaigns-integration" | "campaigns-communication-limits" | "tags" | "lambda-function";

export type Reference = { 
/**
 * The field of the definition that holds it (`source.customerProfilesSegmentArn`).
 */
field: string, kind: TargetKind, name: string, };

export type TranslationSummary = { 
/**
 * `template`, `segment`, `campaign`, `journey`.
 */
kind: string, id: string, name: string, 
/**
 * `SES`, `Connect`, `Customer Profiles`, `Outbound Campaigns`.
 */
target: string, losses: number, warnings: number, notes: number, };

export type ClientTenancy = { client: string, name: string, ses: Array<SesTenancy>, sms: Array<SmsTenancy>, connect: ConnectTenancy, analytics: Array<AnalyticsRoute>, tags: { [key in string]: string }, email_health: EmailHealth, effort: number, band: Band, 
/**
 * What each of the client's templates, segments, campaigns and journeys translates to, in a line
 * (`pinshift translate` and the desktop's preview give the full translation and its proof).
 */
translations: Array<TranslationSummary>, };

export type QuotaStatus = "ok" | "breach" | "verify";

export type QuotaCheck = { 
/**
 * Stable id, e.g. `connect-instances/111122223333/us-east-1`.
 */
id: string, quota: string, 
/**
 * `account` or `account/Region`.
 */
scope: string, limit?: number, needed: number, status: QuotaStatus, 
/**
 * Who needs what (each client's own, and what several clients share), and what to do on a breach.
 */
note: string, };

export type DecisionKind = "attribution" | "shared_number" | "sms_registration" | "origination_identity" | "short_code" | "sandbox_exit" | "push_credentials" | "domain_association" | "dns_verification" | "ab_redesign" | "unsubscribe" | "no_successor" | "quota_increase";

export type DecisionStatus = "open" | "in_progress" | "decided" | "not_applicable";

export type Decision = { id: string, kind: DecisionKind, 
/**
 * The client it concerns; empty for engagement-wide decisions.
 */
client: string, title: string, detail: string, 
/**
 * Suggested answers (free text is allowed too).
 */
options: Array<string>, 
/**
 * Finding ids, resource keys or quota ids it comes from.
 */
related: Array<string>, status: DecisionStatus, owner: string, due: string, choice: string, note: string, updated_at: string, updated_by: string, };

export type DecisionUpdate = { status?: DecisionStatus, owner?: string, 
/**
 * `YYYY-MM-DD`, or empty to clear.
 */
due?: string, choice?: string, note?: string, };

export type Blueprint = { format: number, scan_id: string, clients: Array<ClientTenancy>, quotas: Array<QuotaCheck>, 
/**
 * Generated decisions merged with what people recorded on them.
 */
decisions: Array<Decision>, assessment: Assessment, };

export type VersionSummary = { version: number, scan_id: string, created_at: string, created_by: string, note: string, digest: string, };

export type SignOff = { client: string, version: number, signed_by: string, signed_at: string, note: string, 
/**
 * Decisions of the client still open when it was signed off (recorded in the note too).
 */
open_decisions: number, };

export type Versions = { versions: Array<VersionSummary>, sign_offs: Array<SignOff>, };

export type Drift = { client: string, signed_version: number, signed_scan: string, current_scan: string, 
/**
 * Resources of the client added, removed or changed (field paths).
 */
resources: Array<ResourceChange>, findings_added: Array<Finding>, findings_removed: Array<Finding>, 
/**
 * Tenancy parts that differ (`Connect topology: Dedicated … → Shared …`).
 */
tenancy_changes: Array<string>, };

export type TranslationOrigin = { 
/**
 * `template`, `segment`, `campaign`, `journey`.
 */
kind: string, 
/**
 * The Pinpoint resource's id (a template's name).
 */
id: string, 
/**
 * What did not carry over, and what to check.
 */
losses: number, warnings: number, };

export type TargetResource = { 
/**
 * `account/Region/kind/name`, unique in the graph.
 */
id: string, kind: TargetKind, name: string, account_id: string, region: string, 
/**
 * The clients it is for: one, or several for a shared resource (created once).
 */
clients: Array<string>, 
/**
 * The request body of the kind's operation, with placeholders for resources created before it.
 */
spec: unknown, tags: { [key in string]: string }, 
/**
 * Ids of the resources that must exist first.
 */
depends_on: Array<string>, 
/**
 * The Pinpoint (or End User Messaging, SES) resources it comes from.
 */
sources: Array<ResourceRef>, translation?: TranslationOrigin, 
/**
 * It exists already (the scan read it): adopted as it is, never created or deleted by Pinshift.
 */
existing: boolean, 
/**
 * What a person must do or decide before (or instead of) creating it.
 */
gate?: string, };

export type TargetGraph = { scan_id: string, 
/**
 * In dependency order: every resource comes after those it depends on.
 */
resources: Array<TargetResource>, 
/**
 * Placeholders no resource of the graph answers (each a bug or a missing input, named).
 */
unresolved: Array<string>, };

export type Format = "html" | "xlsx" | "csv" | "json" | "md" | "cloudformation";

export type SesPaths = "keep" | "rewrite";

export type Target = { "service": "ses", "paths": SesPaths } | { "service": "connect" };

export type TranslationQuery = { 
/**
 * `template`, `segment`, `campaign` or `journey`.
 */
kind: ResourceKind, 
/**
 * Its id or name.
 */
name: string, target: Target, account_id?: string, region?: string, };

export type PartTranslation = { 
/**
 * As Pinpoint names it: `Subject`, `HtmlPart`, `Body`, `APNS.Title`…
 */
part: string, html: boolean, original: string, 
/**
 * `None` when the part does not parse (a loss says where).
 */
converted?: string, };

export type TemplateDataField = { 
/**
 * The path in TemplateData (`User.UserAttributes.FirstName`, `Attributes.tier`).
 */
path: string, 
/**
 * Where its value comes from.
 */
source: string, };

export type VariableUse = { 
/**
 * As the template wrote it (`User.UserAttributes.FirstName.[0]`).
 */
written: string, 
/**
 * Pinpoint's variable (`User.UserAttributes.FirstName`).
 */
variable: string, 
/**
 * What the converted template reads instead; `None` when the target has no equivalent.
 */
converted?: string, position: Position, };

export type TemplateTranslation = { 
/**
 * The Pinpoint template's name.
 */
name: string, 
/**
 * Its name in the target (prefixed with the client in a shared Connect instance).
 */
target_name: string, template_type: string, version: string, target: Target, 
/**
 * `false` when the template has no form in the target (voice, in-app; SMS or push for SES).
 */
translated: boolean, parts: Array<PartTranslation>, 
/**
 * The target API's request body (SES `CreateEmailTemplate`, Q in Connect `CreateMessageTemplate`,
 * without the knowledge base id).
 */
content: unknown, 
/**
 * SES only: what the sending code puts in TemplateData (values may be missing; numbers as text).
 */
template_data: Array<TemplateDataField>, variables: Array<VariableUse>, losses: Array<Loss>, };

export type Outcome = "identical" | "differs" | "cannot_render";

export type Difference = { 
/**
 * The endpoint's `Id`.
 */
endpoint: string, part: string, outcome: Outcome, pinpoint: string, target: string, 
/**
 * `[-removed-]{+added+}` between the two renderings, or why the target could not render.
 */
diff: string, };

export type RenderedPart = { endpoint: string, part: string, html: boolean, 
/**
 * What Pinpoint sent (or why it could not).
 */
pinpoint: string, 
/**
 * What the target sends (or why it cannot).
 */
target: string, };

export type Proof = { 
/**
 * Where the endpoints came from.
 */
sample: string, endpoints: number, identical: number, differs: number, cannot_render: number, 
/**
 * Nothing was lost and all of at least [`PROOF_SAMPLE`] endpoints rendered identically.
 */
proven: boolean, 
/**
 * The first few endpoints that did not render identically.
 */
examples: Array<Difference>, 
/**
 * Every part as the first endpoint receives it, before and after (what a reviewer compares).
 */
rendered: Array<RenderedPart>, };

export type HeaderRename = { from: string, to: string, };

export type UploadPlan = { 
/**
 * The file Pinpoint imported from.
 */
source: string, format: string, rows?: number, headers: Array<HeaderRename>, 
/**
 * The `CreateUploadJob` request.
 */
request: unknown, };

export type SegmentTranslation = { segment_id: string, name: string, version: string, 
/**
 * `CreateSegmentDefinition` requests, in creation order (the last one is this segment).
 */
definitions: unknown[], upload?: UploadPlan, references: Array<Reference>, losses: Array<Loss>, };

export type SizeEstimate = { 
/**
 * Where the endpoints came from.
 */
sample: string, endpoints: number, 
/**
 * Endpoints the Pinpoint segment selects.
 */
pinpoint: number, 
/**
 * Profiles (one per endpoint of the sample) the definition selects.
 */
profiles: number, 
/**
 * `profiles - pinpoint`.
 */
difference: number, 
/**
 * Endpoints selected by one side only.
 */
disagreements: number, };

export type CampaignTranslation = { campaign_id: string, name: string, version: string, 
/**
 * `false` when the campaign has no successor (in-app).
 */
created: boolean, 
/**
 * The `CreateCampaign` request.
 */
definition: unknown, 
/**
 * Templates to create for messages the campaign held inline.
 */
templates: Array<TemplateTranslation>, references: Array<Reference>, losses: Array<Loss>, };

export type JourneyTranslation = { journey_id: string, name: string, 
/**
 * The `CreateContactFlow` request (its `Content` is [`JourneyTranslation::flow_content`] as text).
 */
flow: unknown, 
/**
 * The flow in Connect's flow language.
 */
flow_content: unknown, 
/**
 * The `CreateCampaign` request (type JOURNEY).
 */
campaign: unknown, references: Array<Reference>, losses: Array<Loss>, };

export type TranslationReport = { "kind": "template", client?: string, translation: TemplateTranslation, proof: Proof, } | { "kind": "segment", client: string, 
/**
 * The Pinpoint segment as the scan read it.
 */
source: unknown, translation: SegmentTranslation, estimate: SizeEstimate, } | { "kind": "campaign", client: string, source: unknown, translation: CampaignTranslation, } | { "kind": "journey", client: string, source: unknown, translation: JourneyTranslation, };
