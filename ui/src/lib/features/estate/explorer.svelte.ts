import {
  BackendError,
  type Backend,
  type EstateBranch,
  type EstateQuery,
  type KpiSeries,
  type ResourceKind,
  type ResourceRecord,
  type ResourceSummary,
} from '$lib/ipc';

export const PAGE_SIZE = 100;

/** A place in the tree: everything, an account, a Region, or one project ('' = account-level). */
export interface Place {
  accountId?: string;
  region?: string;
  projectId?: string;
}

/** The estate explorer: the tree of one scan, a filtered page of its resources, one resource's payload. */
export class ExplorerState {
  scanId = $state<string | null>(null);
  tree = $state<EstateBranch[]>([]);
  place = $state<Place>({});
  kind = $state<ResourceKind | null>(null);
  search = $state('');
  offset = $state(0);
  total = $state(0);
  items = $state<ResourceSummary[]>([]);
  selected = $state<ResourceRecord | null>(null);
  /** The selected project's daily KPIs (empty elsewhere). */
  kpis = $state<KpiSeries[]>([]);
  loading = $state(false);
  error = $state<BackendError | null>(null);

  constructor(private readonly backend: Backend) {}

  /** Accounts → Regions → branches, for the tree. */
  get accounts(): { accountId: string; regions: { region: string; branches: EstateBranch[] }[] }[] {
    const out: { accountId: string; regions: { region: string; branches: EstateBranch[] }[] }[] = [];
    for (const b of this.tree) {
      let account = out.find((a) => a.accountId === b.account_id);
      if (!account) {
        account = { accountId: b.account_id, regions: [] };
        out.push(account);
      }
      let region = account.regions.find((r) => r.region === b.region);
      if (!region) {
        region = { region: b.region, branches: [] };
        account.regions.push(region);
      }
      region.branches.push(b);
    }
    return out;
  }

  /** Kinds present in the current place, for the kind filter. */
  get kinds(): ResourceKind[] {
    const kinds: ResourceKind[] = [];
    for (const b of this.tree) {
      if (this.place.accountId && b.account_id !== this.place.accountId) continue;
      if (this.place.region && b.region !== this.place.region) continue;
      if (this.place.projectId !== undefined && b.project_id !== this.place.projectId) continue;
      for (const kind of Object.keys(b.counts) as ResourceKind[]) if (!kinds.includes(kind)) kinds.push(kind);
    }
    return kinds.sort();
  }

  async open(scanId: string): Promise<void> {
    this.scanId = scanId;
    this.place = {};
    this.kind = null;
    this.search = '';
    this.selected = null;
    try {
      this.tree = await this.backend.estateTree(scanId);
    } catch (error) {
      this.error = BackendError.from(error);
    }
    await this.query(0);
  }

  async go(place: Place): Promise<void> {
    this.place = place;
    this.kpis = [];
    if (this.scanId && place.accountId && place.region && place.projectId) {
      try {
        this.kpis = await this.backend.projectKpis(
          this.scanId,
          place.accountId,
          place.region,
          place.projectId,
        );
      } catch (error) {
        this.error = BackendError.from(error);
      }
    }
    if (this.kind && !this.kinds.includes(this.kind)) this.kind = null;
    await this.query(0);
  }

  async query(offset = this.offset): Promise<void> {
    if (!this.scanId) return;
    const query: EstateQuery = {
      account_id: this.place.accountId,
      region: this.place.region,
      project_id: this.place.projectId,
      kind: this.kind ?? undefined,
      search: this.search,
      offset,
      limit: PAGE_SIZE,
    };
    this.loading = true;
    this.error = null;
    try {
      const page = await this.backend.estatePage(this.scanId, query);
      this.offset = offset;
      this.total = page.total;
      this.items = page.items;
    } catch (error) {
      this.error = BackendError.from(error);
    } finally {
      this.loading = false;
    }
  }

  async show(resource: ResourceSummary): Promise<void> {
    if (!this.scanId) return;
    try {
      this.selected = await this.backend.estateResource(this.scanId, resource);
    } catch (error) {
      this.error = BackendError.from(error);
    }
  }
}
