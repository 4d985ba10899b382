// The IPC contract: every command the desktop's Rust side handles (src-tauri/src/lib.rs), with the
// arguments it takes and what it answers, in the generated types. The production client (tauri.ts) and the
// test fake (lib/testing/fake-pinshift.ts) are both typed by it; `commands.test.ts` keeps its names equal
// to the Rust handler list, the build script's command gate and the capability's allow-list.
import type {
  AppInfo,
  Blueprint,
  CallerIdentity,
  ConnectionSummary,
  DecisionUpdate,
  Drift,
  EngagementInfo,
  EstateBranch,
  EstatePage,
  EstateQuery,
  ExplainedIssue,
  ExportSettings,
  Format,
  KpiSeries,
  NewConnection,
  ResourceRecord,
  ResourceSummary,
  ScanEvent,
  ScanRequest,
  ScanSummary,
  SignOff,
  TenancyOverride,
  TranslationQuery,
  TranslationReport,
  Versions,
} from './bindings';

/** The IAM policy document the back end generates (JSON, to show and copy as is). */
export type PolicyDocument = Record<string, unknown>;

/** The end of a Tauri `Channel` a command sends events to. */
export interface EventSink<T> {
  onmessage: (event: T) => void;
}

type NoArgs = Record<string, never>;

/** Command name → its arguments (as Tauri takes them: camelCase) and its reply. */
export interface Commands {
  app_info: { args: NoArgs; reply: AppInfo };
  current_engagement: { args: NoArgs; reply: EngagementInfo | null };
  create_engagement: { args: { path: string; name: string | null }; reply: EngagementInfo };
  open_engagement: { args: { path: string }; reply: EngagementInfo };
  close_engagement: { args: NoArgs; reply: null };
  try_demo: { args: NoArgs; reply: EngagementInfo };
  list_connections: { args: NoArgs; reply: ConnectionSummary[] };
  add_connection: { args: { connection: NewConnection; secret: string | null }; reply: ConnectionSummary };
  remove_connection: { args: { name: string }; reply: null };
  test_connection: { args: { name: string; region: string | null }; reply: CallerIdentity };
  start_scan: { args: { request: ScanRequest; events: EventSink<ScanEvent> }; reply: null };
  cancel_scan: { args: NoArgs; reply: boolean };
  list_scans: { args: NoArgs; reply: ScanSummary[] };
  scan_issues: { args: { scanId: string }; reply: ExplainedIssue[] };
  iam_policy: { args: { audience: ExportSettings | null }; reply: PolicyDocument };
  estate_tree: { args: { scanId: string }; reply: EstateBranch[] };
  estate_page: { args: { scanId: string; query: EstateQuery }; reply: EstatePage };
  estate_resource: { args: { scanId: string; resource: ResourceSummary }; reply: ResourceRecord };
  project_kpis: {
    args: { scanId: string; accountId: string; region: string; projectId: string };
    reply: KpiSeries[];
  };
  blueprint: { args: { scan: string | null }; reply: Blueprint };
  rename_client: { args: { client: string; name: string }; reply: null };
  assign_projects: { args: { into: string; projects: string[] }; reply: null };
  attribute: { args: { resource: string; clients: string[]; accept: boolean }; reply: null };
  set_tenancy: { args: { client: string; change: TenancyOverride }; reply: null };
  record_decision: { args: { id: string; update: DecisionUpdate; by: string }; reply: null };
  save_blueprint: { args: { by: string; note: string }; reply: number };
  blueprint_versions: { args: NoArgs; reply: Versions };
  sign_off: { args: { client: string; version: number; by: string; note: string }; reply: SignOff };
  blueprint_drift: { args: { client: string }; reply: Drift[] };
  translation: { args: { query: TranslationQuery }; reply: TranslationReport };
  export_report: { args: { format: Format; path: string; version: number | null }; reply: string[] };
}

export type Command = keyof Commands;

/** Every command's name (TypeScript refuses this object when a command is missing or unknown). */
const NAMES: { [K in Command]: true } = {
  app_info: true,
  current_engagement: true,
  create_engagement: true,
  open_engagement: true,
  close_engagement: true,
  try_demo: true,
  list_connections: true,
  add_connection: true,
  remove_connection: true,
  test_connection: true,
  start_scan: true,
  cancel_scan: true,
  list_scans: true,
  scan_issues: true,
  iam_policy: true,
  estate_tree: true,
  estate_page: true,
  estate_resource: true,
  project_kpis: true,
  blueprint: true,
  rename_client: true,
  assign_projects: true,
  attribute: true,
  set_tenancy: true,
  record_decision: true,
  save_blueprint: true,
  blueprint_versions: true,
  sign_off: true,
  blueprint_drift: true,
  translation: true,
  export_report: true,
};

export const COMMANDS = Object.keys(NAMES) as Command[];

/** The dialog plugin's commands the UI uses (a save or open dialog answers a path, or null on cancel). */
export interface DialogCommands {
  'plugin:dialog|open': { args: { options?: Record<string, unknown> }; reply: string | string[] | null };
  'plugin:dialog|save': { args: { options?: Record<string, unknown> }; reply: string | null };
}
