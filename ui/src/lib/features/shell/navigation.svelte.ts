import type { IconName } from '$lib/components/icons';

export type PageId =
  'estate' | 'clients' | 'blueprint' | 'migrations' | 'journal' | 'connections' | 'settings';

export interface Page {
  id: PageId;
  label: string;
  icon: IconName;
  /** One line under the title: what the page is for. */
  summary: string;
}

/** The app's sections, in pipeline order, then the setup pages. */
export const PAGES: readonly Page[] = [
  { id: 'estate', label: 'Estate', icon: 'layers', summary: 'Everything the inventory scan found' },
  {
    id: 'clients',
    label: 'Clients',
    icon: 'users',
    summary: 'One client per Pinpoint project, mapped to its successors',
  },
  {
    id: 'blueprint',
    label: 'Blueprint',
    icon: 'map',
    summary: 'Per-client target topology, decisions and sign-off',
  },
  {
    id: 'migrations',
    label: 'Migrations',
    icon: 'arrow-right',
    summary: 'Guided plan, apply, verify and rollback per client',
  },
  {
    id: 'journal',
    label: 'Journal',
    icon: 'book',
    summary: 'Every step taken, append-only and hash-chained',
  },
  { id: 'connections', label: 'Connections', icon: 'key', summary: 'How Pinshift reaches the AWS accounts' },
  { id: 'settings', label: 'Settings', icon: 'settings', summary: 'Data and log locations, version' },
];

export class Navigation {
  current = $state<PageId>('estate');

  get page(): Page {
    return PAGES.find((p) => p.id === this.current) ?? (PAGES[0] as Page);
  }

  go(id: PageId): void {
    this.current = id;
  }
}
