// An in-memory Backend for unit tests: behaves like the real commands for the cases the UI handles.
import { BackendError, type Backend, type PolicyDocument, type ScanRequest } from '$lib/ipc/client';
import type {
  Blueprint,
  EstateBranch,
  EstateQuery,
  KpiSeries,
  ResourceKind,
  ResourceRecord,
  ResourceSummary,
  DecisionUpdate,
  Drift,
  Format,
  PlanChoice,
  SignOff,
  VersionSummary,
  CallerIdentity,
  ConnectionSummary,
  EngagementInfo,
  ExplainedIssue,
  ExportSettings,
  NewConnection,
  ScanEvent,
  ScanSummary,
  Target,
  TranslationQuery,
  TranslationReport,
} from '$lib/ipc/bindings';

import demo from './demo-blueprint.json';
import translations from './demo-translations.json';

/** The finished scan the demo blueprint was built from. */
export const DEMO_SCAN: ScanSummary = {
  id: '6cb96a65-07c1-434b-ba5c-1be3363a86bb',
  started_at: '2026-11-23T10:00:00Z',
  finished_at: '2026-11-23T10:02:00Z',
  status: 'complete',
  accounts: 1,
  projects: 11,
  resources: 507,
  issues: 0,
};

export class FakeBackend implements Backend {
  engagement: EngagementInfo | null = null;
  connections: ConnectionSummary[] = [];
  secrets = new Map<string, string>();
  /** What the next file dialog answers; `null` is a cancel. */
  nextDialogPath: string | null = null;
  identities = new Map<string, CallerIdentity>();
  calls: string[] = [];

  async appInfo() {
    this.calls.push('app_info');
    return {
      version: '0.1.0',
      schema_version: 1,
      data_dir: '/data',
      log_dir: '/logs',
      pinpoint_regions: ['us-east-1', 'eu-west-1'],
    };
  }

  async currentEngagement() {
    this.calls.push('current_engagement');
    return this.engagement;
  }

  async createEngagement(path: string, name?: string) {
    this.calls.push('create_engagement');
    if (path.endsWith('exists.pinshift')) {
      throw new BackendError({
        code: 'already_exists',
        message: `${path} already exists`,
        hint: 'choose another name',
      });
    }
    this.engagement = info(path, name);
    return this.engagement;
  }

  async openEngagement(path: string) {
    this.calls.push('open_engagement');
    if (path.endsWith('.txt')) {
      throw new BackendError({
        code: 'not_an_engagement',
        message: `${path} is not a Pinshift engagement file`,
      });
    }
    this.engagement = info(path);
    return this.engagement;
  }

  async closeEngagement() {
    this.calls.push('close_engagement');
    this.engagement = null;
  }

  async tryDemo() {
    this.calls.push('try_demo');
    this.engagement = info('/data/demo.pinshift', 'Demo BPO');
    if (!this.connections.some((c) => c.name === 'demo-bpo')) {
      this.connections.push({
        name: 'demo-bpo',
        kind: 'access_key',
        access_key_id: 'AKIADEMONORTHWIND001',
        region: 'us-east-1',
        endpoint_url: 'http://127.0.0.1:40123',
        secret: 'present',
        created_at: '2026-11-23T09:00:00Z',
      });
    }
    return this.engagement;
  }

  async listConnections() {
    this.calls.push('list_connections');
    return this.connections.map((c) => ({
      ...c,
      secret: c.kind === 'access_key' ? (this.secrets.has(c.name) ? 'present' : 'missing') : 'not_needed',
    })) as ConnectionSummary[];
  }

  async addConnection(connection: NewConnection, secret?: string) {
    this.calls.push('add_connection');
    if (this.connections.some((c) => c.name === connection.name)) {
      throw new BackendError({
        code: 'already_exists',
        message: `a connection named "${connection.name}" already exists`,
      });
    }
    if (connection.kind === 'access_key' && !secret) {
      throw new BackendError({ code: 'invalid_input', message: 'invalid secret access key: it is required' });
    }
    if (secret) this.secrets.set(connection.name, secret);
    const summary = {
      ...connection,
      secret: secret ? 'present' : 'not_needed',
      created_at: '2026-11-23T09:00:00Z',
    } as ConnectionSummary;
    this.connections.push(summary);
    return summary;
  }

  async removeConnection(name: string) {
    this.calls.push('remove_connection');
    this.connections = this.connections.filter((c) => c.name !== name);
    this.secrets.delete(name);
  }

  async testConnection(name: string) {
    this.calls.push('test_connection');
    const identity = this.identities.get(name);
    if (!identity) {
      throw new BackendError({
        code: 'aws',
        message:
          'AWS sts:GetCallerIdentity failed: InvalidClientTokenId: The security token included in the request is invalid.',
        hint: 'AWS does not know this access key id',
      });
    }
    return identity;
  }

  scans: ScanSummary[] = [];
  issues = new Map<string, ExplainedIssue[]>();
  lastScanRequest: ScanRequest | null = null;
  cancelRequested = false;
  private listener: ((event: ScanEvent) => void) | null = null;

  async startScan(request: ScanRequest, onEvent: (event: ScanEvent) => void) {
    this.calls.push('start_scan');
    if (this.listener) {
      throw new BackendError({ code: 'invalid_input', message: 'invalid scan: a scan is already running' });
    }
    this.lastScanRequest = request;
    this.cancelRequested = false;
    this.listener = onEvent;
  }

  /** Sends scan events to the running scan's listener, as the back end's channel would. */
  emit(...events: ScanEvent[]) {
    for (const event of events) {
      this.listener?.(event);
      if (event.event === 'finished') this.scans.unshift(event.summary);
      if (event.event === 'finished' || event.event === 'failed') this.listener = null;
    }
  }

  async cancelScan() {
    this.calls.push('cancel_scan');
    this.cancelRequested = this.listener !== null;
    return this.cancelRequested;
  }

  async listScans() {
    this.calls.push('list_scans');
    return this.scans;
  }

  async scanIssues(scanId: string) {
    this.calls.push('scan_issues');
    return this.issues.get(scanId) ?? [];
  }

  async iamPolicy(audience: ExportSettings | null): Promise<PolicyDocument> {
    this.calls.push('iam_policy');
    const statements: unknown[] = [{ Sid: 'PinshiftReadOnlyInventory', Effect: 'Allow', Resource: '*' }];
    if (audience) statements.push({ Sid: 'PinshiftAudienceExport', Effect: 'Allow', Resource: '*' });
    return { Version: '2012-10-17', Statement: statements };
  }

  /** The demo estate's blueprint, as `pinshift --json blueprint show` printed it (a deep copy per fake). */
  current: Blueprint = structuredClone(demo) as Blueprint;
  versions: VersionSummary[] = [];
  signOffs: SignOff[] = [];
  reports: { format: Format; path: string; version: number | null }[] = [];

  /** The demo's resources as the blueprint names them (findings and attributions), for the explorer. */
  resources(): ResourceSummary[] {
    const seen = new Map<string, ResourceSummary>();
    const refs = [
      ...this.current.assessment.findings.map((f) => f.resource),
      ...this.current.assessment.attributions.map((a) => a.resource),
    ];
    for (const r of refs) {
      const key = `${r.account_id}/${r.region}/${r.project_id}/${r.kind}/${r.id}`;
      if (!seen.has(key)) seen.set(key, { ...r, version: '' });
    }
    return [...seen.values()].sort((a, b) =>
      (a.project_id + a.kind + a.id).localeCompare(b.project_id + b.kind + b.id),
    );
  }

  async estateTree(): Promise<EstateBranch[]> {
    this.calls.push('estate_tree');
    const branches: EstateBranch[] = [];
    for (const r of this.resources()) {
      let branch = branches.find(
        (b) => b.account_id === r.account_id && b.region === r.region && b.project_id === r.project_id,
      );
      if (!branch) {
        const client = this.current.assessment.clients
          .flatMap((c) => c.client.projects)
          .find((p) => p.project_id === r.project_id);
        branch = {
          account_id: r.account_id,
          region: r.region,
          project_id: r.project_id,
          project_name: client?.name ?? '',
          counts: {},
        };
        branches.push(branch);
      }
      branch.counts[r.kind] = (branch.counts[r.kind] ?? 0) + 1;
    }
    return branches;
  }

  async estatePage(_scanId: string, query: EstateQuery) {
    this.calls.push('estate_page');
    const needle = query.search.toLowerCase();
    const matches = this.resources().filter(
      (r) =>
        (query.account_id === undefined || r.account_id === query.account_id) &&
        (query.region === undefined || r.region === query.region) &&
        (query.project_id === undefined || r.project_id === query.project_id) &&
        (query.kind === undefined || r.kind === query.kind) &&
        (r.id.toLowerCase().includes(needle) || (r.name ?? '').toLowerCase().includes(needle)),
    );
    return { total: matches.length, items: matches.slice(query.offset, query.offset + query.limit) };
  }

  async estateResource(_scanId: string, resource: ResourceSummary): Promise<ResourceRecord> {
    this.calls.push('estate_resource');
    return {
      ...resource,
      raw: { Id: resource.id, Name: resource.name, Kind: resource.kind as ResourceKind },
    };
  }

  async projectKpis(): Promise<KpiSeries[]> {
    this.calls.push('project_kpis');
    return demoKpis();
  }

  async blueprint() {
    this.calls.push('blueprint');
    return structuredClone(this.current);
  }

  async renameClient(client: string, name: string) {
    this.calls.push('rename_client');
    const c = this.current.assessment.clients.find((x) => x.client.id === client);
    if (!c)
      throw new BackendError({ code: 'invalid_input', message: `invalid client: no client "${client}"` });
    c.client.name = name;
    for (const plan of this.current.clients.filter((x) => x.client === client)) plan.name = name;
  }

  /** Moves projects between clients the way core's tenancy choice does (a new id splits one off). */
  async assignProjects(into: string, projects: string[]) {
    this.calls.push('assign_projects');
    if (!/^[a-z0-9][a-z0-9-]{0,47}$/.test(into)) {
      throw new BackendError({
        code: 'invalid_input',
        message: `invalid client: "${into}" must be 1–48 lowercase letters, digits and hyphens (it names target resources)`,
      });
    }
    const clients = this.current.assessment.clients;
    for (const key of projects) {
      const from = clients.find((c) =>
        c.client.projects.some((p) => `${p.account_id}/${p.region}/${p.project_id}` === key),
      );
      if (!from)
        throw new BackendError({
          code: 'invalid_input',
          message: `invalid project: no project "${key}" in this scan`,
        });
      const project = from.client.projects.find(
        (p) => `${p.account_id}/${p.region}/${p.project_id}` === key,
      )!;
      from.client.projects = from.client.projects.filter((p) => p !== project);
      let target = clients.find((c) => c.client.id === into);
      if (!target) {
        target = structuredClone(from);
        target.client = { ...target.client, id: into, name: into, projects: [] };
        clients.push(target);
        const plan = this.current.clients.find((p) => p.client === from.client.id);
        if (plan) this.current.clients.push({ ...structuredClone(plan), client: into, name: into });
      }
      target.client.projects.push(project);
      if (from.client.projects.length === 0) {
        this.current.assessment.clients = clients.filter((c) => c !== from);
        this.current.clients = this.current.clients.filter((p) => p.client !== from.client.id);
      }
    }
  }

  async attribute(resource: string, clients: string[], accept: boolean) {
    this.calls.push('attribute');
    const a = this.current.assessment.attributions.find((x) => x.key === resource);
    if (!a)
      throw new BackendError({
        code: 'invalid_input',
        message: `invalid resource: no resource "${resource}"`,
      });
    if (a.resource.kind === 'phone_number' && clients.length > 1) {
      throw new BackendError({
        code: 'invalid_input',
        message: `invalid clients: phone number ${a.resource.name} can be in only one pool, so only one client can own it`,
      });
    }
    a.status = accept ? 'confirmed' : 'overridden';
    if (!accept) a.clients = [...clients].sort();
  }

  async setPlan(client: string, choice: PlanChoice) {
    this.calls.push('set_plan');
    const plan = this.current.clients.find((x) => x.client === client);
    if (!plan)
      throw new BackendError({ code: 'invalid_input', message: `invalid client: no client "${client}"` });
    if (choice.tenant_name !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(choice.tenant_name)) {
      throw new BackendError({
        code: 'invalid_input',
        message: `invalid tenant_name: "${choice.tenant_name}" must be 1–64 letters, digits, hyphens and underscores`,
      });
    }
    if (choice.topology) {
      plan.connect.topology = choice.topology;
      plan.connect.overridden = true;
      plan.connect.reason = 'chosen by a reviewer';
    }
    for (const ses of plan.ses) {
      if (choice.reputation) {
        ses.reputation_policy = choice.reputation;
        ses.reputation_reason = 'chosen by a reviewer';
      }
      if (choice.tenant_name) ses.tenant_name = choice.tenant_name;
    }
  }

  async recordDecision(id: string, update: DecisionUpdate, by: string) {
    this.calls.push('record_decision');
    const d = this.current.decisions.find((x) => x.id === id);
    if (!d)
      throw new BackendError({ code: 'invalid_input', message: `invalid decision: no decision "${id}"` });
    Object.assign(d, Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)));
    d.updated_by = by;
    d.updated_at = '2026-11-23T12:00:00Z';
  }

  async saveBlueprint(by: string, note: string) {
    this.calls.push('save_blueprint');
    const version = this.versions.length + 1;
    this.versions.push({
      version,
      scan_id: this.current.scan_id,
      created_at: '2026-11-23T12:00:00Z',
      created_by: by,
      note,
      digest: 'f'.repeat(64),
    });
    return version;
  }

  async blueprintVersions() {
    this.calls.push('blueprint_versions');
    return { versions: this.versions, sign_offs: this.signOffs };
  }

  async signOff(client: string, version: number, by: string, note: string) {
    this.calls.push('sign_off');
    const signed = {
      client,
      version,
      signed_by: by,
      signed_at: '2026-11-23T12:00:00Z',
      note,
      open_decisions: 0,
    };
    this.signOffs.push(signed);
    return signed;
  }

  /** What `blueprintDrift` answers for signed-off clients (no change by default). */
  drift: Omit<Drift, 'client' | 'signed_version'> = {
    signed_scan: DEMO_SCAN.id,
    current_scan: DEMO_SCAN.id,
    resources: [],
    findings_added: [],
    findings_removed: [],
    plan_changes: [],
  };

  /** Real translations of the demo estate (`pinshift --json translate …`), answered by kind, name and target. */
  translations = translations as unknown as TranslationReport[];

  async translation(query: TranslationQuery): Promise<TranslationReport> {
    this.calls.push('translation');
    const same = (t: Target) =>
      t.service === query.target.service &&
      (t.service === 'connect' || (query.target.service === 'ses' && t.paths === query.target.paths));
    const found = this.translations.find(
      (r) =>
        r.kind === query.kind &&
        (r.kind === 'template'
          ? r.translation.name === query.name && same(r.translation.target)
          : r.kind === 'segment'
            ? r.translation.segment_id === query.name || r.translation.name === query.name
            : r.kind === 'campaign'
              ? r.translation.campaign_id === query.name || r.translation.name === query.name
              : r.translation.journey_id === query.name || r.translation.name === query.name),
    );
    if (!found)
      throw new BackendError({
        code: 'invalid_input',
        message: `invalid ${query.kind}: no fake translation of ${query.name}`,
      });
    return structuredClone(found);
  }

  async blueprintDrift(client: string): Promise<Drift[]> {
    this.calls.push('blueprint_drift');
    const signed = this.signOffs.filter((s) => s.client === client).at(-1);
    return signed ? [{ ...this.drift, client, signed_version: signed.version }] : [];
  }

  async exportReport(format: Format, path: string, version: number | null) {
    this.calls.push('export_report');
    this.reports.push({ format, path, version });
    return [path];
  }

  async chooseReportPath() {
    return this.nextDialogPath;
  }

  async chooseEngagementToOpen() {
    return this.nextDialogPath;
  }

  async chooseEngagementToCreate() {
    return this.nextDialogPath;
  }
}

function info(path: string, name?: string): EngagementInfo {
  return {
    id: '7d1c0a52-5b1e-4a57-9a53-0f3a2b1c9d10',
    name:
      name ??
      path
        .split('/')
        .pop()
        ?.replace(/\.pinshift$/, '') ??
      'engagement',
    path,
    created_at: '2026-11-23T09:00:00Z',
    created_by_version: '0.1.0',
    schema_version: 1,
    connections: 0,
    size_bytes: 24576,
  };
}

/** 90 days of plausible email KPIs (deterministic), as a scan stores them. */
export function demoKpis(): KpiSeries[] {
  const days = Array.from({ length: 90 }, (_, i) => {
    const d = new Date(Date.UTC(2026, 7, 26 + i));
    return d.toISOString().slice(0, 10);
  });
  const sent = days.map((_, i) => 8000 + ((i * 7919) % 2500) + (i % 7 === 5 ? -3000 : 0));
  return [
    { kpi: 'txn-emails-sent-grouped-by-date', points: days.map((d, i) => [d, sent[i] ?? 0]) },
    {
      kpi: 'txn-emails-delivered-grouped-by-date',
      points: days.map((d, i) => [d, Math.round((sent[i] ?? 0) * 0.97)]),
    },
    {
      kpi: 'txn-emails-hard-bounced-grouped-by-date',
      points: days.map((d, i) => [d, Math.round((sent[i] ?? 0) * 0.012)]),
    },
    { kpi: 'txn-emails-with-complaints-grouped-by-date', points: days.map((d, i) => [d, (i * 31) % 5]) },
  ];
}
