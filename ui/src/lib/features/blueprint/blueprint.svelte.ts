import {
  BackendError,
  type Attribution,
  type Backend,
  type Blueprint,
  type Capability,
  type ClientAssessment,
  type Decision,
  type DecisionUpdate,
  type Drift,
  type Format,
  type TenancyOverride,
  type Versions,
  type Finding,
  type Fit,
  type Service,
} from '$lib/ipc';

/** Columns of the mapping matrix, in the order core lists them. */
export const CAPABILITIES: readonly { id: Capability; label: string }[] = [
  { id: 'email', label: 'Email' },
  { id: 'sms', label: 'SMS' },
  { id: 'voice', label: 'Voice' },
  { id: 'push', label: 'Push' },
  { id: 'in_app', label: 'In-app' },
  { id: 'custom_channel', label: 'Custom channel' },
  { id: 'templates', label: 'Templates' },
  { id: 'segments', label: 'Segments' },
  { id: 'campaigns', label: 'Campaigns' },
  { id: 'journeys', label: 'Journeys' },
  { id: 'cadence', label: 'Limits & quiet time' },
  { id: 'audience', label: 'Audience & opt-outs' },
  { id: 'analytics', label: 'Events & KPIs' },
  { id: 'recommenders', label: 'Recommenders' },
  { id: 'origination', label: 'Numbers & sender IDs' },
];

export { FIT } from '$lib/components/FitChip.svelte';

export const SERVICE: Record<Service, string> = {
  ses: 'Amazon SES',
  end_user_messaging: 'End User Messaging SMS',
  connect: 'Amazon Connect',
  customer_profiles: 'Customer Profiles',
  outbound_campaigns: 'Outbound Campaigns',
  q_in_connect: 'Q in Connect templates',
  analytics: 'Kinesis / Firehose / archive',
  none: 'No successor',
};

const FIT_ORDER: Fit[] = ['direct', 'transform', 'rethink', 'no_successor'];

export function worse(a: Fit, b: Fit): Fit {
  return FIT_ORDER.indexOf(a) >= FIT_ORDER.indexOf(b) ? a : b;
}

/** One edge of a client's flow diagram: a capability it uses to the successor service, at its worst fit. */
export interface Flow {
  capability: Capability;
  service: Service;
  fit: Fit;
  findings: number;
}

/**
 * The reviewer's name, shared by every screen that records decisions or sign-offs and kept while the app
 * runs (it is not a secret, but it is not stored on disk either: the engagement records it with each act).
 */
const reviewerName = $state({ value: '' });

/** The blueprint as reviewers see it: the mapping per client and the attribution of shared resources. */
export class BlueprintState {
  blueprint = $state<Blueprint | null>(null);
  loading = $state(false);
  error = $state<BackendError | null>(null);
  selected = $state<string | null>(null);
  filter = $state('');

  constructor(private readonly backend: Backend) {}

  /** No finished scan yet: nothing to assess. */
  noScan = $state(false);

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const scans = await this.backend.listScans();
      this.noScan = !scans.some((s) => s.status === 'complete' || s.status === 'complete_with_gaps');
      if (this.noScan) {
        this.blueprint = null;
        return;
      }
      this.blueprint = await this.backend.blueprint();
      if (this.selected && !this.blueprint.assessment.clients.some((c) => c.client.id === this.selected)) {
        this.selected = null;
      }
    } catch (error) {
      this.error = BackendError.from(error);
    } finally {
      this.loading = false;
    }
  }

  /** Clients whose id or name contains the filter text. */
  get clients(): ClientAssessment[] {
    const all = this.blueprint?.assessment.clients ?? [];
    const needle = this.filter.trim().toLowerCase();
    if (!needle) return all;
    return all.filter((c) => c.client.id.includes(needle) || c.client.name.toLowerCase().includes(needle));
  }

  get client(): ClientAssessment | undefined {
    return this.blueprint?.assessment.clients.find((c) => c.client.id === this.selected);
  }

  findingsOf(client: string): Finding[] {
    return this.blueprint?.assessment.findings.filter((f) => f.client === client) ?? [];
  }

  /** Capability → service edges for the flow diagram, each at the worst fit among its findings. */
  flows(client: string): Flow[] {
    const edges: Record<string, Flow> = {};
    for (const f of this.findingsOf(client)) {
      const key = `${f.capability}|${f.service}`;
      const edge = edges[key];
      if (edge) {
        edge.fit = worse(edge.fit, f.fit);
        edge.findings += 1;
      } else {
        edges[key] = { capability: f.capability, service: f.service, fit: f.fit, findings: 1 };
      }
    }
    const order = (c: Capability) => CAPABILITIES.findIndex((x) => x.id === c);
    return Object.values(edges).sort((a, b) => order(a.capability) - order(b.capability));
  }

  /** Shared or unowned resources that concern `client` (or nobody yet). */
  attributionsFor(client: string): Attribution[] {
    return (this.blueprint?.assessment.attributions ?? []).filter(
      (a) =>
        a.clients.includes(client) ||
        a.proposals.some((p) => p.client === client) ||
        a.status === 'unassigned',
    );
  }

  async accept(resourceKey: string): Promise<void> {
    await this.edit(() => this.backend.attribute(resourceKey, [], true));
  }

  async override(resourceKey: string, clients: string[]): Promise<void> {
    await this.edit(() => this.backend.attribute(resourceKey, clients, false));
  }

  /** Renames a client (display name only); true when core accepted it. */
  async rename(client: string, name: string): Promise<boolean> {
    return this.edit(() => this.backend.renameClient(client, name.trim()));
  }

  /**
   * Moves a project (`account/Region/project id`) into client `into` — an existing one (merge) or a new
   * id (split off) — and selects that client; true when core accepted it.
   */
  async moveProject(into: string, project: string): Promise<boolean> {
    const done = await this.edit(() => this.backend.assignProjects(into, [project]));
    if (done) this.selected = into;
    return done;
  }

  /** Overrides parts of a client's tenancy (only the fields given); true when core accepted it. */
  async adjustTenancy(client: string, change: TenancyOverride): Promise<boolean> {
    return this.edit(() => this.backend.setTenancy(client, change));
  }

  /** Who records decisions and signs off (remembered for the session). */
  get reviewer(): string {
    return reviewerName.value;
  }
  set reviewer(name: string) {
    reviewerName.value = name;
  }
  versions = $state<Versions>({ versions: [], sign_offs: [] });
  /** Files the last export wrote. */
  exported = $state<string[]>([]);
  busy = $state(false);

  /** The selected client's changes since its sign-off; `null` until checked or when not signed off. */
  drift = $state<Drift | null>(null);

  async loadDrift(client: string): Promise<void> {
    this.drift = null;
    try {
      this.drift = (await this.backend.blueprintDrift(client))[0] ?? null;
    } catch (error) {
      this.error = BackendError.from(error);
    }
  }

  decisionsOf(client: string): Decision[] {
    return (this.blueprint?.decisions ?? []).filter((d) => d.client === client);
  }

  /** Engagement-wide decisions and owners nobody claimed yet. */
  get sharedDecisions(): Decision[] {
    return (this.blueprint?.decisions ?? []).filter((d) => d.client === '' || d.client === 'unassigned');
  }

  get latestVersion(): number | null {
    return this.versions.versions.at(-1)?.version ?? null;
  }

  signOffsOf(client: string) {
    return this.versions.sign_offs.filter((s) => s.client === client);
  }

  async loadVersions(): Promise<void> {
    try {
      this.versions = await this.backend.blueprintVersions();
    } catch (error) {
      this.error = BackendError.from(error);
    }
  }

  async decide(id: string, update: DecisionUpdate): Promise<void> {
    await this.edit(() => this.backend.recordDecision(id, update, this.reviewer.trim()));
  }

  async saveVersion(note: string): Promise<void> {
    await this.edit(async () => {
      await this.backend.saveBlueprint(this.reviewer.trim(), note);
      await this.loadVersions();
    });
  }

  async signOff(client: string, note: string): Promise<void> {
    const version = this.latestVersion;
    if (version === null) return;
    await this.edit(async () => {
      await this.backend.signOff(client, version, this.reviewer.trim(), note);
      await this.loadVersions();
      await this.loadDrift(client);
    });
  }

  /** Asks where to save, then writes the report; `exported` lists the files. */
  async export(format: Format): Promise<void> {
    this.error = null;
    this.exported = [];
    try {
      const path = await this.backend.chooseReportPath(format);
      if (!path) return;
      this.busy = true;
      this.exported = await this.backend.exportReport(format, path, null);
    } catch (error) {
      this.error = BackendError.from(error);
    } finally {
      this.busy = false;
    }
  }

  /** Applies an edit and reloads the blueprint; false (with `error` set) when core refused it. */
  private async edit(change: () => Promise<unknown>): Promise<boolean> {
    this.error = null;
    try {
      await change();
    } catch (error) {
      this.error = BackendError.from(error);
      return false;
    }
    await this.load();
    return true;
  }
}
