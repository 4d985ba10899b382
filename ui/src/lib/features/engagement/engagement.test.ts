import { describe, expect, it } from 'vitest';

import { fakeBackend } from '$lib/testing/fake-backend';

import { EngagementState } from './engagement.svelte';

describe('EngagementState', () => {
  it('is ready with no engagement when none is open', async () => {
    const state = new EngagementState(fakeBackend().backend);
    expect(state.ready).toBe(false);
    await state.load();
    expect(state.ready).toBe(true);
    expect(state.info).toBeNull();
  });

  it('creates the engagement the save dialog names', async () => {
    const { backend, fake } = fakeBackend();
    fake.nextDialogPath = '/work/acme.pinshift';
    const state = new EngagementState(backend);
    await state.createNew();
    expect(state.info?.name).toBe('acme');
    expect(state.error).toBeNull();
  });

  it('does nothing when the dialog is cancelled', async () => {
    const { backend, fake } = fakeBackend();
    const state = new EngagementState(backend);
    await state.openExisting();
    expect(fake.calls).not.toContain('open_engagement');
    expect(state.info).toBeNull();
  });

  it('keeps the error code and hint for the UI to show', async () => {
    const { backend, fake } = fakeBackend();
    fake.nextDialogPath = '/work/exists.pinshift';
    const state = new EngagementState(backend);
    await state.createNew();
    expect(state.error?.code).toBe('already_exists');
    expect(state.error?.hint).toBe('choose another name');
    expect(state.busy).toBe(false);
  });

  it('returns to no engagement when closed', async () => {
    const { backend, fake } = fakeBackend();
    fake.nextDialogPath = '/work/acme.pinshift';
    const state = new EngagementState(backend);
    await state.openExisting();
    await state.close();
    expect(state.info).toBeNull();
  });

  it('opens the demo engagement with its sandbox connection', async () => {
    const { backend } = fakeBackend();
    const state = new EngagementState(backend);
    await state.tryDemo();
    expect(state.info?.name).toBe('Demo BPO');
    const connections = await backend.listConnections();
    expect(connections.map((c) => [c.name, c.endpoint_url])).toEqual([
      ['demo-bpo', 'http://127.0.0.1:40123'],
    ]);
  });
});
