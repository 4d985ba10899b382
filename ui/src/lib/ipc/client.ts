// The typed client every feature uses. Only this folder knows about Tauri; tests pass a fake Backend.
import type {
  AppInfo,
  Blueprint,
  DecisionUpdate,
  Drift,
  EstateBranch,
  EstatePage,
  EstateQuery,
  KpiSeries,
  ResourceRecord,
  ResourceSummary,
  Format,
  TenancyOverride,
  SignOff,
  TranslationQuery,
  TranslationReport,
  Versions,
  CallerIdentity,
  ConnectionSummary,
  EngagementInfo,
  ErrorCode,
  ErrorPayload,
  ExportSettings,
  NewConnection,
  ScanEvent,
  ScanRequest,
  ExplainedIssue,
  ScanSummary,
} from './bindings';

import type { PolicyDocument } from './commands';

export type { PolicyDocument } from './commands';

export type * from './bindings';

/** What the back end offers the UI. Each method maps to one IPC command (or a native dialog). */
export interface Backend {
  appInfo(): Promise<AppInfo>;
  currentEngagement(): Promise<EngagementInfo | null>;
  createEngagement(path: string, name?: string): Promise<EngagementInfo>;
  openEngagement(path: string): Promise<EngagementInfo>;
  closeEngagement(): Promise<void>;
  /** Starts the local sandbox with the demo estate and opens the demo engagement connected to it. */
  tryDemo(): Promise<EngagementInfo>;
  listConnections(): Promise<ConnectionSummary[]>;
  /** `secret` is write-only: it goes to the OS keychain and never comes back. */
  addConnection(connection: NewConnection, secret?: string): Promise<ConnectionSummary>;
  removeConnection(name: string): Promise<void>;
  testConnection(name: string, region?: string): Promise<CallerIdentity>;
  /**
   * Starts a scan; resolves once it runs. Events arrive on `onEvent` until `finished` or `failed`.
   * Rejects (without events) when the request is invalid, another scan runs here, or another process
   * holds the engagement (code `locked`; `take_over` in the request takes it over).
   */
  startScan(request: ScanRequest, onEvent: (event: ScanEvent) => void): Promise<void>;
  /** Asks the running scan to stop between reads; `false` when none runs. */
  cancelScan(): Promise<boolean>;
  listScans(): Promise<ScanSummary[]>;
  /** A scan's issues, each with what happened and what to do in plain words. */
  scanIssues(scanId: string): Promise<ExplainedIssue[]>;
  /** The read-only scan policy, with audience profiling's statements when `audience` is given. */
  iamPolicy(audience: ExportSettings | null): Promise<PolicyDocument>;
  /** The explorer: a scan's tree with counts, pages of resources, one resource with its payload. */
  estateTree(scanId: string): Promise<EstateBranch[]>;
  estatePage(scanId: string, query: EstateQuery): Promise<EstatePage>;
  estateResource(scanId: string, resource: ResourceSummary): Promise<ResourceRecord>;
  /** A project's daily KPIs over the scan's 90 days. */
  projectKpis(scanId: string, accountId: string, region: string, projectId: string): Promise<KpiSeries[]>;
  /** The current blueprint of the newest finished scan (assessment, plans, quotas, decisions). */
  blueprint(): Promise<Blueprint>;
  renameClient(client: string, name: string): Promise<void>;
  /** Moves projects (`account/Region/project id`) into a client: an existing one (merge) or a new id (split). */
  assignProjects(into: string, projects: string[]): Promise<void>;
  /** Sets the owners of an account-level resource, or (`accept`) confirms Pinshift's proposal. */
  attribute(resource: string, clients: string[], accept: boolean): Promise<void>;
  /** Overrides parts of a client's tenancy (Connect topology, SES reputation policy, tenant name). */
  setTenancy(client: string, change: TenancyOverride): Promise<void>;
  recordDecision(id: string, update: DecisionUpdate, by: string): Promise<void>;
  /** Freezes the current blueprint as a new version; resolves to its number. */
  saveBlueprint(by: string, note: string): Promise<number>;
  blueprintVersions(): Promise<Versions>;
  signOff(client: string, version: number, by: string, note: string): Promise<SignOff>;
  /** What changed for a signed-off client since its sign-off (empty when not signed off). */
  blueprintDrift(client: string): Promise<Drift[]>;
  /** One resource of the current blueprint translated for a target, with its proof. */
  translation(query: TranslationQuery): Promise<TranslationReport>;
  /** Writes a report (a saved `version`, or the current blueprint) to `path`; resolves to the files. */
  exportReport(format: Format, path: string, version: number | null): Promise<string[]>;
  /** Where to save a report: a file, or a folder for csv and cloudformation; `null` on cancel. */
  chooseReportPath(format: Format): Promise<string | null>;
  /** Native file dialogs; `null` when the user cancels. */
  chooseEngagementToOpen(): Promise<string | null>;
  chooseEngagementToCreate(): Promise<string | null>;
}

/** A failed command: the stable code to branch on, plain words, and what to do. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = 'BackendError';
    this.code = payload.code;
    this.hint = payload.hint;
  }

  /** Normalises anything a command can reject with. */
  static from(error: unknown): BackendError {
    if (error instanceof BackendError) return error;
    if (isPayload(error)) return new BackendError(error);
    const message = error instanceof Error ? error.message : String(error);
    return new BackendError({ code: 'internal', message });
  }
}

function isPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorPayload).code === 'string' &&
    typeof (value as ErrorPayload).message === 'string'
  );
}
