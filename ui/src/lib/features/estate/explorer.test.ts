import { describe, expect, it } from 'vitest';

import { DEMO_SCAN, fakeBackend } from '$lib/testing/fake-backend';

import { ExplorerState } from './explorer.svelte';

describe('ExplorerState', () => {
  it('groups the tree by account and Region and narrows the list by place, kind and search', async () => {
    const { backend } = fakeBackend();
    const explorer = new ExplorerState(backend);
    await explorer.open(DEMO_SCAN.id);
    expect(explorer.accounts.map((a) => a.accountId)).toEqual(['444444444444']);
    const branches = explorer.accounts[0]?.regions[0]?.branches ?? [];
    expect(branches.some((b) => b.project_id === '')).toBe(true);
    const everything = explorer.total;

    const granite = branches.find((b) => b.project_name === 'granite-bank');
    await explorer.go({ accountId: '444444444444', region: 'us-east-1', projectId: granite?.project_id });
    expect(explorer.total).toBeLessThan(everything);
    expect(explorer.kpis.map((k) => k.kpi)).toContain('txn-emails-sent-grouped-by-date');
    await explorer.go({});
    expect(explorer.kpis).toEqual([]);
    await explorer.go({ accountId: '444444444444', region: 'us-east-1', projectId: granite?.project_id });
    expect(explorer.kinds).toContain('campaign');
    explorer.kind = 'campaign';
    await explorer.query(0);
    expect(explorer.items.map((r) => r.name)).toEqual(['granite-card-offer']);

    explorer.kind = null;
    explorer.search = 'no-such-thing';
    await explorer.query(0);
    expect(explorer.total).toBe(0);
  });

  it('loads one resource with its payload', async () => {
    const { backend } = fakeBackend();
    const explorer = new ExplorerState(backend);
    await explorer.open(DEMO_SCAN.id);
    const first = explorer.items[0];
    if (!first) throw new Error('no resources');
    await explorer.show(first);
    expect(explorer.selected?.id).toBe(first.id);
    expect(explorer.selected?.raw).toBeTruthy();
  });
});
