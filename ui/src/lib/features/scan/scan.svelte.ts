import {
  BackendError,
  type Backend,
  type ConnectionSummary,
  type ErrorPayload,
  type ExplainedIssue,
  type LeaseHolder,
  type Pressure,
  type ScanEvent,
  type ScanRequest,
  type ScanSummary,
} from '$lib/ipc';

export type Phase = 'setup' | 'starting' | 'running' | 'cancelling' | 'done';

/** One project read, as progress reports it. */
export interface ProjectProgress {
  name: string;
  resources: number;
  issues: number;
}

/** What has been read so far in one account × Region. */
export interface TargetProgress {
  key: string;
  connection: string;
  accountId: string;
  region: string;
  /** Units finished here (the project list, the account-level read, each project). */
  units: number;
  resources: number;
  issues: number;
  projects: ProjectProgress[];
}

export interface Connected {
  connection: string;
  accountId: string;
  arn: string;
}

/** Projects shown per target while a scan runs (the newest); the totals count them all. */
const RECENT_PROJECTS = 8;

/** The scan screen: what to scan, the live progress of a running scan, and its outcome. */
export class ScanState {
  phase = $state<Phase>('setup');
  loading = $state(false);
  error = $state<BackendError | null>(null);

  connections = $state<ConnectionSummary[]>([]);
  /** Every Region Pinpoint ran in (the default). */
  regions = $state<string[]>([]);
  scans = $state<ScanSummary[]>([]);

  /** Connections to scan through (all of them once loaded). */
  chosenConnections = $state<string[]>([]);
  /** Every Pinpoint Region, or only `chosenRegions`. */
  allRegions = $state(true);
  chosenRegions = $state<string[]>([]);
  audience = $state(false);
  bucket = $state('');
  role = $state('');
  prefix = $state('');

  scanId = $state<string | null>(null);
  resumed = $state(false);
  profiling = $state(false);
  done = $state(0);
  total = $state(0);
  targets = $state<TargetProgress[]>([]);
  connected = $state<Connected[]>([]);
  pressure = $state<Pressure>({ throttled: 0, failed_attempts: 0 });
  summary = $state<ScanSummary | null>(null);
  failure = $state<ErrorPayload | null>(null);
  issues = $state<ExplainedIssue[]>([]);
  /** Whose lease this scan took over (another process's, which the person said is gone). */
  tookOver = $state<LeaseHolder | null>(null);
  /** The last request sent, so a scan refused because another process holds the engagement can take over. */
  private lastRequest: ScanRequest | null = null;
  /** The error shown came from loading (the next load that works clears it). */
  private loadFailed = false;

  constructor(private readonly backend: Backend) {}

  /** The newest scan that stopped before finishing (cancelled, or interrupted by a crash). */
  get resumable(): ScanSummary | undefined {
    if (this.phase !== 'setup' && this.phase !== 'done') return undefined;
    return this.scans.find((s) => s.status === 'cancelled' || s.status === 'running');
  }

  /** The engagement is busy: another process (a CLI scan, another window) holds its lease. */
  get locked(): boolean {
    return this.phase === 'setup' && this.error?.code === 'locked';
  }

  get percent(): number {
    return this.total === 0 ? 0 : Math.min(100, Math.round((this.done / this.total) * 100));
  }

  get resources(): number {
    return this.targets.reduce((n, t) => n + t.resources, 0);
  }

  get issueCount(): number {
    return this.targets.reduce((n, t) => n + t.issues, 0);
  }

  /** What is wrong with the form, field by field (empty when it can start). */
  get problems(): Record<string, string> {
    const problems: Record<string, string> = {};
    if (this.connections.length === 0) problems.connections = 'Add a connection first.';
    else if (this.chosenConnections.length === 0) problems.connections = 'Choose at least one connection.';
    if (!this.allRegions && this.chosenRegions.length === 0) problems.regions = 'Choose at least one Region.';
    if (this.audience) {
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(this.bucket.trim())) {
        problems.bucket = 'An S3 bucket name: 3–63 lowercase letters, digits, dots and hyphens.';
      }
      if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(this.role.trim())) {
        problems.role = 'A role ARN like arn:aws:iam::123456789012:role/PinpointExport.';
      }
    }
    return problems;
  }

  /** Reads the form's choices; an error from a refused start stays (the screen reloads when it returns). */
  async load(): Promise<void> {
    this.loading = true;
    try {
      const [connections, info, scans] = await Promise.all([
        this.backend.listConnections(),
        this.backend.appInfo(),
        this.backend.listScans(),
      ]);
      const known = this.connections.map((c) => c.name);
      const added = connections.map((c) => c.name).filter((name) => !known.includes(name));
      this.connections = connections;
      this.chosenConnections = [
        ...this.chosenConnections.filter((name) => connections.some((c) => c.name === name)),
        ...added,
      ];
      this.regions = info.pinpoint_regions;
      this.scans = scans;
      if (this.loadFailed) this.error = null;
      this.loadFailed = false;
    } catch (error) {
      this.error = BackendError.from(error);
      this.loadFailed = true;
    } finally {
      this.loading = false;
    }
  }

  toggleConnection(name: string): void {
    this.chosenConnections = toggled(this.chosenConnections, name);
  }

  toggleRegion(region: string): void {
    this.chosenRegions = toggled(this.chosenRegions, region);
  }

  /** Starts a new scan, or resumes the newest stopped one. */
  async start(resume = false): Promise<void> {
    if (!resume && Object.keys(this.problems).length > 0) return;
    const request: ScanRequest = {
      // Empty lists mean "all": the back end then also scans connections added later on resume.
      connections:
        resume || this.chosenConnections.length === this.connections.length
          ? []
          : [...this.chosenConnections],
      regions: resume || this.allRegions ? [] : [...this.chosenRegions],
      resume,
      take_over: false,
    };
    if (!resume && this.audience) {
      request.audience = {
        bucket: this.bucket.trim(),
        role_arn: this.role.trim(),
        prefix: this.prefix.trim(),
      };
    }
    await this.send(request);
  }

  /**
   * Sends the refused request again, taking the engagement's lease over: the person says the process that
   * holds it is gone (killed, or its machine is off).
   */
  async takeOver(): Promise<void> {
    if (!this.locked || !this.lastRequest) return;
    await this.send({ ...this.lastRequest, take_over: true });
  }

  private async send(request: ScanRequest): Promise<void> {
    this.lastRequest = request;
    this.clearRun();
    this.phase = 'starting';
    try {
      await this.backend.startScan(request, (event) => this.handle(event));
      if (this.phase === 'starting') this.phase = 'running';
    } catch (error) {
      this.error = BackendError.from(error);
      this.phase = 'setup';
    }
  }

  async cancel(): Promise<void> {
    if (this.phase !== 'running' && this.phase !== 'starting') return;
    this.phase = 'cancelling';
    try {
      await this.backend.cancelScan();
    } catch (error) {
      this.error = BackendError.from(error);
    }
  }

  /** Back to the form after a scan ended. */
  newScan(): void {
    this.clearRun();
    this.phase = 'setup';
  }

  handle(event: ScanEvent): void {
    switch (event.event) {
      case 'started':
        this.scanId = event.scan_id;
        if (this.phase === 'starting') this.phase = 'running';
        break;
      case 'resuming':
        this.scanId = event.scan_id;
        this.resumed = true;
        break;
      case 'took_over':
        this.tookOver = event.holder;
        break;
      case 'connected':
        this.connected = [
          ...this.connected,
          { connection: event.connection, accountId: event.account_id, arn: event.arn },
        ];
        break;
      case 'planned':
        this.total = event.total;
        break;
      case 'progress':
        this.record(event);
        break;
      case 'profiling':
        this.profiling = true;
        break;
      case 'finished':
        this.summary = event.summary;
        this.profiling = false;
        this.phase = 'done';
        this.scans = [event.summary, ...this.scans.filter((s) => s.id !== event.summary.id)];
        if (event.summary.issues > 0) void this.loadIssues(event.summary.id);
        break;
      case 'failed':
        this.failure = event.error;
        this.profiling = false;
        this.phase = 'done';
        void this.refreshScans();
        break;
    }
  }

  private record(event: Extract<ScanEvent, { event: 'progress' }>): void {
    this.done = event.done;
    this.total = Math.max(this.total, event.total);
    this.pressure = event.pressure;
    const key = `${event.target.account_id}/${event.target.region}`;
    let target = this.targets.find((t) => t.key === key);
    if (!target) {
      target = {
        key,
        connection: event.target.connection,
        accountId: event.target.account_id,
        region: event.target.region,
        units: 0,
        resources: 0,
        issues: 0,
        projects: [],
      };
      this.targets.push(target);
      target = this.targets[this.targets.length - 1] as TargetProgress;
    }
    target.units += 1;
    target.resources += event.resources;
    target.issues += event.issues;
    if (event.project) {
      target.projects = [
        { name: event.project, resources: event.resources, issues: event.issues },
        ...target.projects,
      ].slice(0, RECENT_PROJECTS);
    }
  }

  private async loadIssues(scanId: string): Promise<void> {
    try {
      this.issues = await this.backend.scanIssues(scanId);
    } catch (error) {
      this.error = BackendError.from(error);
    }
  }

  private async refreshScans(): Promise<void> {
    try {
      this.scans = await this.backend.listScans();
    } catch (error) {
      this.error = BackendError.from(error);
    }
  }

  private clearRun(): void {
    this.error = null;
    this.scanId = null;
    this.resumed = false;
    this.profiling = false;
    this.done = 0;
    this.total = 0;
    this.targets = [];
    this.connected = [];
    this.pressure = { throttled: 0, failed_attempts: 0 };
    this.summary = null;
    this.failure = null;
    this.issues = [];
    this.tookOver = null;
  }
}

function toggled(list: string[], item: string): string[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}
