// Generated from the Rust types by pinshift-core (crates/core/src/bindings.rs). Do not edit:
// run `make bindings` after changing a type that crosses IPC.

export type ErrorCode = "not_found" | "already_exists" | "not_an_engagement" | "corrupt" | "newer_schema" | "invalid_input" | "keychain_unavailable" | "secret_missing" | "aws" | "cancelled" | "internal";

export type ErrorPayload = { code: ErrorCode, message: string, hint?: string, };

export type AppInfo = { version: string, schema_version: number, data_dir: string, log_dir: string, };

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

export type ResourceKind = "project" | "project_settings" | "channel" | "segment" | "segment_version" | "campaign" | "campaign_version" | "campaign_activity" | "journey" | "journey_metrics" | "event_stream" | "import_job" | "export_job" | "kpi" | "template" | "template_version" | "recommender" | "email_identity" | "email_configuration_set" | "phone_number" | "sender_id" | "pool" | "opt_out_list" | "sms_configuration_set" | "registration";

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

export type ScanStatus = "running" | "complete" | "complete_with_gaps" | "cancelled" | "failed";

export type ScanSummary = { id: string, started_at: string, finished_at?: string, status: ScanStatus, accounts: number, projects: number, resources: number, issues: number, };

export type ScanTarget = { connection: string, account_id: string, region: string, };

export type ScanEvent = { "event": "started", scan_id: string, targets: number, } | { "event": "planned", total: number, } | { "event": "progress", done: number, total: number, target: ScanTarget, project?: string, resources: number, issues: number, } | { "event": "finished", summary: ScanSummary, };

export type FieldChange = { path: string, before: unknown, after: unknown, };

export type Change = { "type": "added" } | { "type": "removed" } | { "type": "changed", fields: Array<FieldChange>, };

export type ResourceChange = { account_id: string, region: string, project_id: string, kind: ResourceKind, id: string, version: string, name?: string, change: Change, };
