// Generated from the Rust types by pinshift-core (crates/core/src/bindings.rs). Do not edit:
// run `make bindings` after changing a type that crosses IPC.

export type ErrorCode = "not_found" | "already_exists" | "not_an_engagement" | "corrupt" | "newer_schema" | "invalid_input" | "keychain_unavailable" | "secret_missing" | "aws" | "cancelled" | "internal";

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

export type ConnectionSummary = { name: string, region?: string, secret: SecretState, created_at: string, } & ({ "kind": "access_key", access_key_id: string, } | { "kind": "profile", profile: string, } | { "kind": "assume_role", 
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

export type ScanTarget = { connection: string, account_id: string, region: string, };

export type Pressure = { throttled: number, failed_attempts: number, };

export type ScanEvent = { "event": "started", scan_id: string, targets: number, } | { "event": "planned", total: number, } | { "event": "progress", done: number, total: number, target: ScanTarget, project?: string, resources: number, issues: number, 
/**
 * Retried so far in this run: throttles and failed attempts.
 */
pressure: Pressure, } | { "event": "finished", summary: ScanSummary, } | { "event": "connected", connection: string, account_id: string, arn: string, } | { "event": "resuming", scan_id: string, } | { "event": "profiling", scan_id: string, } | { "event": "failed", error: ErrorPayload, };

export type FieldChange = { path: string, before: unknown, after: unknown, };

export type Change = { "type": "added" } | { "type": "removed" } | { "type": "changed", fields: Array<FieldChange>, };

export type ResourceChange = { account_id: string, region: string, project_id: string, kind: ResourceKind, id: string, version: string, name?: string, change: Change, };

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
