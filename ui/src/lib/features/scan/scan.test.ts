import { describe, expect, it, vi } from 'vitest';

import type { ScanEvent, ScanSummary } from '$lib/ipc';
import { fakeBackend } from '$lib/testing/fake-backend';

import { ScanState } from './scan.svelte';

const TARGET = { connection: 'northwind', account_id: '444444444444', region: 'us-east-1' };
const CALM = { throttled: 0, failed_attempts: 0 };

function summary(status: ScanSummary['status'], issues = 0): ScanSummary {
  return {
    id: 'scan-1',
    started_at: '2026-11-23T10:00:00Z',
    finished_at: '2026-11-23T10:02:00Z',
    status,
    accounts: 1,
    projects: 2,
    resources: 40,
    issues,
  };
}

async function withConnections(...names: string[]) {
  const { backend, fake } = fakeBackend();
  for (const name of names) {
    await backend.addConnection({ name, kind: 'profile', profile: name });
  }
  const scan = new ScanState(backend);
  await scan.load();
  return { backend, fake, scan };
}

describe('ScanState', () => {
  it('offers every connection and every Pinpoint Region by default, and sends "all" as empty lists', async () => {
    const { fake, scan } = await withConnections('northwind', 'meridian');
    expect(scan.chosenConnections).toEqual(['northwind', 'meridian']);
    expect(scan.regions).toContain('eu-west-1');
    expect(scan.regions.length).toBeGreaterThan(10);
    await scan.start();
    expect(fake.lastScanRequest).toEqual({ connections: [], regions: [], resume: false, take_over: false });
    expect(scan.phase).toBe('running');
  });

  it('sends the chosen connections, Regions and audience settings', async () => {
    const { fake, scan } = await withConnections('northwind', 'meridian');
    scan.toggleConnection('meridian');
    scan.allRegions = false;
    scan.toggleRegion('eu-west-1');
    scan.audience = true;
    scan.bucket = 'acme-exports';
    scan.role = 'arn:aws:iam::444444444444:role/PinpointExport';
    scan.prefix = 'audits/';
    await scan.start();
    expect(fake.lastScanRequest).toEqual({
      connections: ['northwind'],
      regions: ['eu-west-1'],
      audience: {
        bucket: 'acme-exports',
        role_arn: 'arn:aws:iam::444444444444:role/PinpointExport',
        prefix: 'audits/',
      },
      resume: false,
      take_over: false,
    });
  });

  it('refuses to start with a form that names what is wrong', async () => {
    const { fake, scan } = await withConnections('northwind');
    scan.toggleConnection('northwind');
    scan.allRegions = false;
    scan.audience = true;
    scan.bucket = 'Bad_Bucket';
    scan.role = 'not-an-arn';
    expect(Object.keys(scan.problems).sort()).toEqual(['bucket', 'connections', 'regions', 'role']);
    await scan.start();
    expect(fake.calls).not.toContain('start_scan');
    expect(scan.phase).toBe('setup');
  });

  it('adds up progress per account and Region, keeps the latest pressure, and shows the outcome', async () => {
    const { fake, scan } = await withConnections('northwind');
    await scan.start();
    const progress = (
      done: number,
      project: string | undefined,
      resources: number,
      issues: number,
      throttled: number,
    ): ScanEvent => ({
      event: 'progress',
      done,
      total: 3,
      target: TARGET,
      project,
      resources,
      issues,
      pressure: { throttled, failed_attempts: 1 },
    });
    fake.emit(
      { event: 'started', scan_id: 'scan-1', targets: 1 },
      {
        event: 'connected',
        connection: 'northwind',
        account_id: '444444444444',
        arn: 'arn:aws:iam::444444444444:user/c',
      },
      { event: 'planned', total: 3 },
      progress(1, undefined, 11, 0, 0),
      progress(2, 'aurora-books', 20, 0, 4),
      progress(3, 'bluebird-telecom', 9, 1, 7),
    );
    expect(scan.scanId).toBe('scan-1');
    expect(scan.percent).toBe(100);
    expect(scan.targets).toHaveLength(1);
    expect(scan.targets[0]).toMatchObject({ units: 3, resources: 40, issues: 1 });
    expect(scan.targets[0]?.projects.map((p) => p.name)).toEqual(['bluebird-telecom', 'aurora-books']);
    expect(scan.pressure).toEqual({ throttled: 7, failed_attempts: 1 });
    expect(scan.connected[0]?.accountId).toBe('444444444444');

    fake.issues.set('scan-1', [
      {
        what: 'The connection may not call mobiletargeting:ListJourneys, so this journey was not read.',
        action: 'Ask the account admin to attach the policy.',
        account_id: '444444444444',
        region: 'us-east-1',
        project_id: 'p1',
        kind: 'journey',
        operation: 'mobiletargeting:ListJourneys',
        code: 'ForbiddenException',
        message: 'denied',
      },
    ]);
    fake.emit({ event: 'finished', summary: summary('complete_with_gaps', 1) });
    expect(scan.phase).toBe('done');
    expect(scan.summary?.status).toBe('complete_with_gaps');
    await vi.waitFor(() => expect(scan.issues[0]?.what).toContain('ListJourneys'));
    expect(scan.scans[0]?.id).toBe('scan-1');
  });

  it('stops on request and offers to resume the stopped scan', async () => {
    const { fake, scan } = await withConnections('northwind');
    await scan.start();
    fake.emit({ event: 'started', scan_id: 'scan-1', targets: 1 });
    await scan.cancel();
    expect(fake.cancelRequested).toBe(true);
    expect(scan.phase).toBe('cancelling');
    fake.emit({ event: 'finished', summary: summary('cancelled') });
    expect(scan.resumable?.id).toBe('scan-1');
    await scan.start(true);
    expect(fake.lastScanRequest).toEqual({ connections: [], regions: [], resume: true, take_over: false });
    fake.emit({ event: 'resuming', scan_id: 'scan-1' });
    expect(scan.resumed).toBe(true);
  });

  it('shows a failed scan in plain words and returns to the form', async () => {
    const { fake, scan } = await withConnections('northwind');
    await scan.start();
    fake.emit({
      event: 'failed',
      error: {
        code: 'aws',
        message: 'could not load credentials for connection "northwind"',
        hint: 'run aws sso login',
      },
    });
    expect(scan.phase).toBe('done');
    expect(scan.failure?.hint).toBe('run aws sso login');
    scan.newScan();
    expect(scan.phase).toBe('setup');
    expect(scan.failure).toBeNull();
    expect(CALM).toEqual(scan.pressure);
  });

  it('reports a refused start without leaving the form', async () => {
    const { backend, scan } = await withConnections('northwind');
    await backend.startScan({ connections: [], regions: [], resume: false, take_over: false }, () => {});
    await scan.start();
    expect(scan.phase).toBe('setup');
    expect(scan.error?.message).toContain('already running');
    expect(scan.locked).toBe(false);
  });

  it('names the process that holds the engagement and takes it over only when asked', async () => {
    const { fake, scan } = await withConnections('northwind');
    const holder = {
      job: 'pinshift scan',
      host: 'jump-host-1',
      pid: 4242,
      started_at: '2026-12-02T09:00:00Z',
      expires_at: '2026-12-02T09:00:30Z',
    };
    fake.busy = holder;
    await scan.start();
    expect(scan.phase).toBe('setup');
    expect(scan.locked).toBe(true);
    expect(scan.error?.message).toContain('pinshift scan (pid 4242 on jump-host-1)');
    expect(scan.error?.hint).toContain('lapses at 2026-12-02T09:00:30Z');
    await scan.takeOver();
    expect(fake.lastScanRequest?.take_over).toBe(true);
    expect(scan.phase).toBe('running');
    fake.emit({ event: 'took_over', holder });
    expect(scan.tookOver?.pid).toBe(4242);
  });
});
