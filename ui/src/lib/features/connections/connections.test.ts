import { describe, expect, it } from 'vitest';

import { fakeBackend } from '$lib/testing/fake-backend';

import { ConnectionsState } from './connections.svelte';

describe('ConnectionsState', () => {
  it('adds a connection and lists it with its secret state', async () => {
    const state = new ConnectionsState(fakeBackend().backend);
    await state.load();
    expect(state.items).toEqual([]);
    const error = await state.add(
      { name: 'prod', kind: 'access_key', access_key_id: 'AKIAEXAMPLE000000001' },
      'secret-value',
    );
    expect(error).toBeNull();
    expect(state.items.map((c) => [c.name, c.secret])).toEqual([['prod', 'present']]);
    expect(JSON.stringify(state.items)).not.toContain('secret-value');
  });

  it('returns the error of a refused add without throwing', async () => {
    const state = new ConnectionsState(fakeBackend().backend);
    const error = await state.add({
      name: 'prod',
      kind: 'access_key',
      access_key_id: 'AKIAEXAMPLE000000001',
    });
    expect(error?.code).toBe('invalid_input');
    expect(error?.message).toContain('secret access key');
  });

  it('records a successful and a failed test per connection', async () => {
    const { backend, fake } = fakeBackend();
    fake.identities.set('hub', {
      connection: 'hub',
      account: '111111111111',
      arn: 'arn:aws:iam::111111111111:user/c',
      user_id: 'AIDA',
    });
    const state = new ConnectionsState(backend);
    await state.add({ name: 'hub', kind: 'profile', profile: 'hub' });
    await state.add({ name: 'bad', kind: 'profile', profile: 'bad' });
    await Promise.all([state.test('hub'), state.test('bad')]);
    const hub = state.tests['hub'];
    const bad = state.tests['bad'];
    expect(hub?.status === 'ok' && hub.identity.account).toBe('111111111111');
    expect(bad?.status === 'failed' && bad.error.code).toBe('aws');
  });

  it('forgets a removed connection and its test result', async () => {
    const { backend, fake } = fakeBackend();
    fake.identities.set('hub', { connection: 'hub', account: '1', arn: 'a', user_id: 'u' });
    const state = new ConnectionsState(backend);
    await state.add({ name: 'hub', kind: 'profile', profile: 'hub' });
    await state.test('hub');
    await state.remove('hub');
    expect(state.items).toEqual([]);
    expect(state.tests['hub']).toBeUndefined();
  });
});
