// The one fake Pinshift back end, at the IPC level: it answers every command of the IPC contract
// (lib/ipc/commands.ts) the way the Rust commands do — same shapes, `{code, message, hint}` errors — so the
// production client (tauri.ts) runs unchanged on top of it. Unit tests install it with `mockIPC` (see
// fake-backend.ts); browser tests load it bundled into the production build's page (browser-fake.ts).
import type {
  Blueprint,
  ConnectionSummary,
  Drift,
  EngagementInfo,
  ErrorCode,
  EstateBranch,
  ExplainedIssue,
  Format,
  KpiSeries,
  LeaseHolder,
  ResourceKind,
  ResourceSummary,
  ScanEvent,
  ScanRequest,
  ScanSummary,
  ScanTarget,
  SignOff,
  Target,
  TranslationReport,
  VersionSummary,
  CallerIdentity,
} from '$lib/ipc/bindings';
import type { Command, Commands, DialogCommands, EventSink } from '$lib/ipc/commands';

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

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
];
const PROJECTS = [
  'aurora-books',
  'bluebird-telecom',
  'cobalt-games',
  'dahlia-health',
  'ember-fashion',
  'fjord-travel',
  'granite-bank',
  'harbor-logistics',
  'iris-insurance',
  'juniper-pharmacy',
  'kestrel-energy',
];
const TARGET: ScanTarget = { connection: 'northwind', account_id: '444444444444', region: 'us-east-1' };

function fail(code: ErrorCode, message: string, hint?: string): never {
  throw hint ? { code, message, hint } : { code, message };
}

export interface FakeOptions {
  /** Start with the demo estate's finished scan. */
  scanned?: boolean;
  /** The demo blueprint multiplied to this many clients (how the screens cope with a large BPO). */
  clients?: number;
  /** A started scan sends scripted progress by itself (browser tests); otherwise tests `emit` it. */
  scriptedScan?: boolean;
  /** Dialogs answer plausible paths (browser tests); otherwise `nextDialogPath` (null: cancelled). */
  scriptedDialogs?: boolean;
}

type Handlers = { [C in Command]: (args: Commands[C]['args']) => Commands[C]['reply'] } & {
  [C in keyof DialogCommands]: (args: DialogCommands[C]['args']) => DialogCommands[C]['reply'];
};

export class FakePinshift {
  engagement: EngagementInfo | null = null;
  /** Connections as added (`secret` is worked out when they are listed). */
  connections: ConnectionSummary[] = [];
  secrets = new Map<string, string>();
  identities = new Map<string, CallerIdentity>();
  /** What the next file dialog answers when dialogs are not scripted; `null` is a cancel. */
  nextDialogPath: string | null = null;
  /** Every command received, in order. */
  calls: string[] = [];
  scans: ScanSummary[] = [];
  issues = new Map<string, ExplainedIssue[]>();
  lastScanRequest: ScanRequest | null = null;
  cancelRequested = false;
  /** Another process holding the engagement's lease: `start_scan` is refused until `take_over`. */
  busy: LeaseHolder | null = null;
  current: Blueprint;
  versions: VersionSummary[] = [];
  signOffs: SignOff[] = [];
  reports: { format: Format; path: string; version: number | null }[] = [];
  /** What `blueprint_drift` answers for signed-off clients (no change by default). */
  drift: Omit<Drift, 'client' | 'signed_version'> = {
    signed_scan: DEMO_SCAN.id,
    current_scan: DEMO_SCAN.id,
    resources: [],
    findings_added: [],
    findings_removed: [],
    tenancy_changes: [],
  };
  /** Real translations of the demo estate (`pinshift --json translate …`), answered by kind, name and target. */
  translations = translations as unknown as TranslationReport[];
  private scan: { id: string; events: EventSink<ScanEvent> } | null = null;

  constructor(readonly options: FakeOptions = {}) {
    if (options.scanned) this.scans = [DEMO_SCAN];
    this.current = multiply(structuredClone(demo) as unknown as Blueprint, options.clients);
  }

  /** The IPC handler (for `mockIPC`): runs a command like the Rust side would. */
  handle = (cmd: string, args: unknown): unknown => {
    this.calls.push(cmd);
    const handler = (this.handlers as Record<string, ((args: unknown) => unknown) | undefined>)[cmd];
    if (!handler) fail('internal', `the fake back end does not know ${cmd}`);
    return handler((args ?? {}) as never);
  };

  /** Sends scan events to the running scan's channel, as the back end does. */
  emit(...events: ScanEvent[]) {
    for (const event of events) {
      this.scan?.events.onmessage(event);
      if (event.event === 'finished') this.scans.unshift(event.summary);
      if (event.event === 'finished' || event.event === 'failed') this.scan = null;
    }
  }

  /** Finishes a scripted scan: the other projects, one issue, "complete with gaps". */
  finishScan() {
    const running = this.scan;
    if (!running) return;
    PROJECTS.slice(6).forEach((project, i) =>
      this.emit({
        event: 'progress',
        done: 9 + i,
        total: 13,
        target: TARGET,
        project,
        resources: 40,
        issues: project === 'iris-insurance' ? 1 : 0,
        pressure: { throttled: 37, failed_attempts: 2 },
      }),
    );
    this.issues.set(running.id, [
      {
        what: 'The connection may not call mobiletargeting:ListJourneys, so this journey was not read.',
        action:
          "Ask the account's admin to attach the policy `pinshift iam-policy scan` prints (Connections shows it), then resume or scan again.",
        account_id: '444444444444',
        region: 'us-east-1',
        project_id: '9bed3bdc2ba4ee57b07a721822e4c0aa',
        kind: 'journey',
        operation: 'mobiletargeting:ListJourneys',
        code: 'ForbiddenException',
        message: 'User is not authorized',
      },
    ]);
    this.emit({ event: 'finished', summary: this.scanSummary(running.id, 'complete_with_gaps', 1) });
  }

  private scanSummary(id: string, status: ScanSummary['status'], issues: number): ScanSummary {
    const cancelled = status === 'cancelled';
    return {
      id,
      started_at: '2026-11-23T10:00:00Z',
      finished_at: '2026-11-23T10:03:12Z',
      status,
      accounts: 1,
      projects: cancelled ? 6 : 11,
      resources: cancelled ? 250 : 507,
      issues,
    };
  }

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

  private client(client: string) {
    const c = this.current.assessment.clients.find((x) => x.client.id === client);
    if (!c) fail('invalid_input', `invalid client: no client "${client}"`);
    return c;
  }

  private dialog(suggested: string | undefined): string | null {
    if (!this.options.scriptedDialogs) return this.nextDialogPath;
    return suggested?.startsWith('blueprint.')
      ? `/home/consultant/reports/${suggested}`
      : '/home/consultant/engagements/acme-retail.pinshift';
  }

  private readonly handlers: Handlers = {
    app_info: () => ({
      version: '0.1.0',
      schema_version: 5,
      data_dir: '/home/consultant/.local/share/dev.pinshift.desktop',
      log_dir: '/home/consultant/.local/share/dev.pinshift.desktop/logs',
      pinpoint_regions: REGIONS,
    }),
    current_engagement: () => this.engagement,
    create_engagement: ({ path, name }) => {
      if (path.endsWith('exists.pinshift')) {
        fail('already_exists', `${path} already exists`, 'choose another name');
      }
      this.engagement = info(path, name ?? undefined);
      return this.engagement;
    },
    open_engagement: ({ path }) => {
      if (path.endsWith('.txt')) fail('not_an_engagement', `${path} is not a Pinshift engagement file`);
      this.engagement = info(path);
      return this.engagement;
    },
    close_engagement: () => {
      this.engagement = null;
      return null;
    },
    try_demo: () => {
      this.engagement = info('/home/consultant/.local/share/dev.pinshift.desktop/demo.pinshift', 'Demo BPO');
      if (!this.connections.some((c) => c.name === 'demo-bpo')) {
        this.connections.push({
          name: 'demo-bpo',
          kind: 'access_key',
          access_key_id: 'AKIADEMONORTHWIND001',
          region: 'us-east-1',
          endpoint_url: 'http://127.0.0.1:40123',
          created_at: '2026-11-23T09:00:00Z',
          secret: 'present',
        });
        this.secrets.set('demo-bpo', 'demo');
      }
      return this.engagement;
    },
    list_connections: () =>
      this.connections.map((c) => ({
        ...c,
        secret: c.kind === 'access_key' ? (this.secrets.has(c.name) ? 'present' : 'missing') : 'not_needed',
      })),
    add_connection: ({ connection, secret }) => {
      if (this.connections.some((c) => c.name === connection.name)) {
        fail(
          'already_exists',
          `a connection named "${connection.name}" already exists`,
          'choose another name, or remove the old connection first',
        );
      }
      if (connection.kind === 'access_key' && !secret) {
        fail('invalid_input', 'invalid secret access key: it is required');
      }
      if (connection.kind === 'assume_role' && !/^arn:aws:iam::\d{12}:role\/.+/.test(connection.role_arn)) {
        fail(
          'invalid_input',
          `invalid role ARN: "${connection.role_arn}" is not like arn:aws:iam::123456789012:role/Name`,
        );
      }
      if (secret) this.secrets.set(connection.name, secret);
      const summary: ConnectionSummary = {
        ...connection,
        created_at: '2026-11-23T09:05:00Z',
        secret: secret ? 'present' : 'not_needed',
      };
      this.connections.push(summary);
      return summary;
    },
    remove_connection: ({ name }) => {
      this.connections = this.connections.filter((c) => c.name !== name);
      this.secrets.delete(name);
      return null;
    },
    test_connection: ({ name }) => {
      const known = this.identities.get(name);
      if (known) return known;
      const c = this.connections.find((x) => x.name === name);
      if (!c) fail('not_found', `no connection named "${name}"`);
      if (c.kind === 'assume_role') {
        return {
          connection: c.name,
          account: '222222222222',
          arn: `arn:aws:sts::222222222222:assumed-role/PinshiftScan/pinshift-${c.name}`,
          user_id: 'AROA:x',
        };
      }
      // Profiles named `expired` or `bad` fail the way AWS answers them.
      if (c.kind === 'profile' && c.profile === 'expired') {
        fail(
          'aws',
          `could not load credentials for connection "${c.name}": the SSO session has expired`,
          'for a profile, check ~/.aws/config (for SSO run `aws sso login --profile NAME`)',
        );
      }
      if (c.kind === 'profile' && c.profile === 'bad') {
        fail(
          'aws',
          'AWS sts:GetCallerIdentity failed: InvalidClientTokenId: The security token included in the request is invalid.',
          'AWS does not know this access key id',
        );
      }
      return {
        connection: c.name,
        account: '111111111111',
        arn: 'arn:aws:iam::111111111111:user/consultant',
        user_id: 'AIDAEXAMPLE',
      };
    },
    start_scan: ({ request, events }) => {
      if (this.scan) {
        fail('invalid_input', 'invalid scan: a scan is already running: wait for it or stop it');
      }
      if (this.busy && !request.take_over) {
        const h = this.busy;
        fail(
          'locked',
          `${this.engagement?.path ?? 'the engagement'} is busy: ${h.job} (pid ${h.pid} on ${h.host}) has held it since ${h.started_at}`,
          `wait for it to finish; if that process is gone (killed, or its machine is off), its lease lapses at ${h.expires_at}, or take it over now (\`--take-over\`, or Take over in the desktop)`,
        );
      }
      const tookOver = request.take_over ? this.busy : null;
      this.busy = null;
      this.lastScanRequest = request;
      this.cancelRequested = false;
      // A resumed scan keeps its id (and replaces its row); a new one gets the next.
      const resumed = request.resume ? this.scans.find((x) => x.status === 'cancelled') : undefined;
      const id = resumed?.id ?? `c0ffee00-5ca1-4e00-8000-00000000000${this.scans.length + 1}`;
      this.scans = this.scans.filter((x) => x.id !== id);
      this.scan = { id, events };
      if (this.options.scriptedScan) {
        setTimeout(() => {
          if (tookOver) this.emit({ event: 'took_over', holder: tookOver });
          this.emit(
            resumed ? { event: 'resuming', scan_id: id } : { event: 'started', scan_id: id, targets: 1 },
            {
              event: 'connected',
              connection: 'northwind',
              account_id: '444444444444',
              arn: 'arn:aws:iam::444444444444:user/consultant',
            },
            { event: 'planned', total: 1 },
            {
              event: 'progress',
              done: 1,
              total: 13,
              target: TARGET,
              resources: 0,
              issues: 0,
              pressure: { throttled: 0, failed_attempts: 0 },
            },
            {
              event: 'progress',
              done: 2,
              total: 13,
              target: TARGET,
              resources: 171,
              issues: 0,
              pressure: { throttled: 4, failed_attempts: 0 },
            },
            ...PROJECTS.slice(0, 6).map((project, i): ScanEvent => ({
              event: 'progress',
              done: 3 + i,
              total: 13,
              target: TARGET,
              project,
              resources: 30 + i,
              issues: 0,
              pressure: { throttled: 12 + i, failed_attempts: 1 },
            })),
          );
        }, 50);
      }
      return null;
    },
    cancel_scan: () => {
      const running = this.scan;
      this.cancelRequested = running !== null;
      if (running && this.options.scriptedScan) {
        setTimeout(
          () => this.emit({ event: 'finished', summary: this.scanSummary(running.id, 'cancelled', 0) }),
          50,
        );
      }
      return this.cancelRequested;
    },
    list_scans: () => this.scans,
    scan_issues: ({ scanId }) => this.issues.get(scanId) ?? [],
    iam_policy: ({ audience }) => {
      const statements: unknown[] = [
        {
          Sid: 'PinshiftReadOnlyInventory',
          Effect: 'Allow',
          Action: ['mobiletargeting:GetApps'],
          Resource: '*',
        },
      ];
      if (audience) statements.push({ Sid: 'PinshiftAudienceExport', Effect: 'Allow', Resource: '*' });
      return { Version: '2012-10-17', Statement: statements };
    },
    estate_tree: () => {
      const branches: EstateBranch[] = [];
      for (const r of this.resources()) {
        let branch = branches.find(
          (b) => b.account_id === r.account_id && b.region === r.region && b.project_id === r.project_id,
        );
        if (!branch) {
          const project = this.current.assessment.clients
            .flatMap((c) => c.client.projects)
            .find((p) => p.project_id === r.project_id);
          branch = {
            account_id: r.account_id,
            region: r.region,
            project_id: r.project_id,
            project_name: project?.name ?? '',
            counts: {},
          };
          branches.push(branch);
        }
        branch.counts[r.kind] = (branch.counts[r.kind] ?? 0) + 1;
      }
      return branches;
    },
    estate_page: ({ query }) => {
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
    },
    estate_resource: ({ resource }) => {
      const evidence = this.current.assessment.findings
        .filter((f) => f.resource.id === resource.id && f.resource.kind === resource.kind)
        .flatMap((f) => f.evidence);
      return {
        ...resource,
        raw: {
          Id: resource.id,
          Name: resource.name,
          Kind: resource.kind as ResourceKind,
          ...Object.fromEntries(evidence.map((e) => [e.field, e.value])),
        },
      };
    },
    project_kpis: ({ projectId }) => demoKpis(projectId.startsWith('9bed35') ? 0.061 : 0.012),
    blueprint: () => {
      if (!this.scans.some((x) => x.status === 'complete' || x.status === 'complete_with_gaps')) {
        fail(
          'invalid_input',
          'invalid scan: this engagement has no finished scan yet: run `pinshift scan` first',
        );
      }
      return structuredClone(this.current);
    },
    rename_client: ({ client, name }) => {
      this.client(client).client.name = name;
      for (const t of this.current.clients.filter((x) => x.client === client)) t.name = name;
      return null;
    },
    assign_projects: ({ into, projects }) => {
      if (!/^[a-z0-9][a-z0-9-]{0,47}$/.test(into)) {
        fail(
          'invalid_input',
          `invalid client: "${into}" must be 1–48 lowercase letters, digits and hyphens (it names target resources)`,
        );
      }
      const bp = this.current;
      const keyOf = (p: { account_id: string; region: string; project_id: string }) =>
        `${p.account_id}/${p.region}/${p.project_id}`;
      for (const key of projects) {
        const from = bp.assessment.clients.find((c) => c.client.projects.some((p) => keyOf(p) === key));
        if (!from) fail('invalid_input', `invalid project: no project "${key}" in this scan`);
        const project = from.client.projects.find((p) => keyOf(p) === key)!;
        from.client.projects = from.client.projects.filter((p) => p !== project);
        let target = bp.assessment.clients.find((c) => c.client.id === into);
        if (!target) {
          target = structuredClone(from);
          target.client = { ...target.client, id: into, name: into, projects: [] };
          bp.assessment.clients.push(target);
          const tenancy = bp.clients.find((p) => p.client === from.client.id);
          if (tenancy) bp.clients.push({ ...structuredClone(tenancy), client: into, name: into });
        }
        target.client.projects.push(project);
        if (from.client.projects.length === 0) {
          bp.assessment.clients = bp.assessment.clients.filter((c) => c !== from);
          bp.clients = bp.clients.filter((p) => p.client !== from.client.id);
        }
      }
      return null;
    },
    attribute: ({ resource, clients, accept }) => {
      const a = this.current.assessment.attributions.find((x) => x.key === resource);
      if (!a) fail('invalid_input', `invalid resource: no account-level resource "${resource}" in this scan`);
      if (a.resource.kind === 'phone_number' && clients.length > 1) {
        fail(
          'invalid_input',
          `invalid clients: phone number ${a.resource.name} can be in only one pool, so only one client can own it (asked: ${clients.join(', ')})`,
        );
      }
      a.status = accept ? 'confirmed' : 'overridden';
      if (!accept) a.clients = [...clients].sort();
      return null;
    },
    set_tenancy: ({ client, change }) => {
      const tenancy = this.current.clients.find((x) => x.client === client);
      if (!tenancy) fail('invalid_input', `invalid client: no client "${client}"`);
      if (change.tenant_name !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(change.tenant_name)) {
        fail(
          'invalid_input',
          `invalid clients.${client}.tenant_name: "${change.tenant_name}": an SES tenant name is 1–64 letters, digits, '-' and '_'`,
        );
      }
      if (change.topology) {
        Object.assign(tenancy.connect, {
          topology: change.topology,
          overridden: true,
          reason: 'chosen by a reviewer',
        });
      }
      for (const ses of tenancy.ses) {
        if (change.reputation) {
          Object.assign(ses, {
            reputation_policy: change.reputation,
            reputation_reason: 'chosen by a reviewer',
          });
        }
        if (change.tenant_name) ses.tenant_name = change.tenant_name;
      }
      return null;
    },
    record_decision: ({ id, update, by }) => {
      const d = this.current.decisions.find((x) => x.id === id);
      if (!d) fail('invalid_input', `invalid decision: no decision "${id}"`);
      if (update.due && !/^\d{4}-\d{2}-\d{2}$/.test(update.due)) {
        fail('invalid_input', `invalid due: "${update.due}" is not a date like 2026-12-15`);
      }
      Object.assign(d, Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)), {
        updated_by: by,
        updated_at: '2026-11-23T12:00:00Z',
      });
      return null;
    },
    save_blueprint: ({ by, note }) => {
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
    },
    blueprint_versions: () => ({ versions: this.versions, sign_offs: this.signOffs }),
    sign_off: ({ client, version, by, note }) => {
      const signed = {
        client,
        version,
        signed_by: by,
        signed_at: '2026-11-23T12:05:00Z',
        note,
        open_decisions: 0,
      };
      this.signOffs.push(signed);
      return signed;
    },
    blueprint_drift: ({ client }) => {
      const signed = this.signOffs.filter((s) => s.client === client).at(-1);
      return signed ? [{ ...this.drift, client, signed_version: signed.version }] : [];
    },
    translation: ({ query }) => {
      const same = (t: Target) =>
        t.service === query.target.service &&
        (t.service === 'connect' || (query.target.service === 'ses' && t.paths === query.target.paths));
      const found = this.translations.find((r) => {
        if (r.kind !== query.kind) return false;
        if (r.kind === 'template') return r.translation.name === query.name && same(r.translation.target);
        const t = r.translation as {
          name: string;
          segment_id?: string;
          campaign_id?: string;
          journey_id?: string;
        };
        return [t.segment_id, t.campaign_id, t.journey_id, t.name].includes(query.name);
      });
      if (!found) {
        fail(
          'invalid_input',
          `invalid ${query.kind}: the scan has no ${query.kind} "${query.name}" translated for this test`,
        );
      }
      return structuredClone(found);
    },
    export_report: ({ format, path, version }) => {
      this.reports.push({ format, path, version });
      return [path];
    },
    'plugin:dialog|open': ({ options }) => this.dialog(options?.defaultPath as string | undefined),
    'plugin:dialog|save': ({ options }) => this.dialog(options?.defaultPath as string | undefined),
  };
}

/** The demo blueprint with its clients repeated to `want` clients (ids suffixed past the demo's own). */
function multiply(bp: Blueprint, want: number | undefined): Blueprint {
  if (!want) return bp;
  const base = bp.assessment.clients;
  const findings = bp.assessment.findings;
  const tenancies = bp.clients;
  bp.assessment.clients = [];
  bp.assessment.findings = [];
  bp.clients = [];
  for (let i = 0; i < want; i++) {
    const from = base[i % base.length]!;
    const id = i < base.length ? from.client.id : `${from.client.id}-${String(i).padStart(3, '0')}`;
    const name = i < base.length ? from.client.name : id;
    bp.assessment.clients.push({
      ...structuredClone(from),
      client: { ...structuredClone(from.client), id, name },
    });
    for (const f of findings.filter((x) => x.client === from.client.id))
      bp.assessment.findings.push({ ...f, client: id });
    const tenancy = tenancies.find((t) => t.client === from.client.id);
    if (tenancy) bp.clients.push({ ...structuredClone(tenancy), client: id, name });
  }
  return bp;
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
    schema_version: 5,
    connections: 0,
    size_bytes: 24576,
  };
}

/** 90 days of plausible email KPIs (deterministic), as a scan stores them. */
export function demoKpis(bounceRate = 0.012): KpiSeries[] {
  const days = Array.from({ length: 90 }, (_, i) =>
    new Date(Date.UTC(2026, 7, 26 + i)).toISOString().slice(0, 10),
  );
  const sent = days.map((_, i) => 8000 + ((i * 7919) % 2500) + (i % 7 === 5 ? -3000 : 0));
  return [
    { kpi: 'txn-emails-sent-grouped-by-date', points: days.map((d, i) => [d, sent[i] ?? 0]) },
    {
      kpi: 'txn-emails-delivered-grouped-by-date',
      points: days.map((d, i) => [d, Math.round((sent[i] ?? 0) * 0.97)]),
    },
    {
      kpi: 'txn-emails-hard-bounced-grouped-by-date',
      points: days.map((d, i) => [d, Math.round((sent[i] ?? 0) * bounceRate)]),
    },
    { kpi: 'txn-emails-with-complaints-grouped-by-date', points: days.map((d, i) => [d, (i * 31) % 5]) },
  ];
}
