import { describe, expect, it } from 'vitest';

import { DEMO_SCAN, fakeBackend } from '$lib/testing/fake-backend';

import { BlueprintState } from './blueprint.svelte';

async function loaded() {
  const { backend, fake } = fakeBackend();
  fake.scans = [DEMO_SCAN];
  const review = new BlueprintState(backend);
  await review.load();
  return { backend, fake, review };
}

describe('BlueprintState', () => {
  it('waits for a finished scan before assessing', async () => {
    const { backend, fake } = fakeBackend();
    const review = new BlueprintState(backend);
    await review.load();
    expect(review.noScan).toBe(true);
    expect(fake.calls).not.toContain('blueprint');
  });

  it('loads the demo estate as one client per project', async () => {
    const { review } = await loaded();
    expect(review.clients).toHaveLength(11);
    review.filter = 'GRANITE';
    expect(review.clients.map((c) => c.client.id)).toEqual(['granite-bank']);
  });

  it('draws each capability to its successor at the worst fit among its findings', async () => {
    const { review } = await loaded();
    const flows = review.flows('iris-insurance');
    const campaigns = flows.filter((f) => f.capability === 'campaigns');
    expect(campaigns.map((f) => f.service)).toContain('none');
    expect(campaigns.find((f) => f.service === 'none')?.fit).toBe('no_successor');
    const email = flows.find((f) => f.capability === 'email' && f.service === 'ses');
    expect(email?.fit).toBe('direct');
    expect(flows.reduce((n, f) => n + f.findings, 0)).toBe(review.findingsOf('iris-insurance').length);
  });

  it('lists the shared template under both clients and accepts or overrides owners', async () => {
    const { fake, review } = await loaded();
    const shared = review
      .attributionsFor('ember-fashion')
      .find((a) => a.resource.name === 'shared-newsletter');
    expect(shared?.clients).toEqual(['ember-fashion', 'fjord-travel']);
    expect(review.attributionsFor('fjord-travel').some((a) => a.key === shared?.key)).toBe(true);
    await review.accept(shared?.key ?? '');
    expect(fake.calls).toContain('attribute');
    expect(review.blueprint?.assessment.attributions.find((a) => a.key === shared?.key)?.status).toBe(
      'confirmed',
    );
    await review.override(shared?.key ?? '', ['fjord-travel']);
    expect(review.blueprint?.assessment.attributions.find((a) => a.key === shared?.key)?.clients).toEqual([
      'fjord-travel',
    ]);
  });

  it('keeps a refused edit as an error naming the field', async () => {
    const { review } = await loaded();
    const number = review.blueprint?.assessment.attributions.find((a) => a.resource.kind === 'phone_number');
    await review.override(number?.key ?? '', ['bluebird-telecom', 'granite-bank']);
    expect(review.error?.message).toMatch(/invalid clients: .*only one pool/);
  });

  it('renames a client, merges a project into another, splits one off, and selects where it went', async () => {
    const { fake, review } = await loaded();
    expect(await review.rename('kestrel-energy', '  Kestrel Energy plc ')).toBe(true);
    expect(
      review.blueprint?.assessment.clients.find((c) => c.client.id === 'kestrel-energy')?.client.name,
    ).toBe('Kestrel Energy plc');
    const juniper = review.blueprint?.assessment.clients.find((c) => c.client.id === 'juniper-pharmacy');
    const project = juniper?.client.projects[0];
    const key = `${project?.account_id}/${project?.region}/${project?.project_id}`;

    expect(await review.moveProject('Not An Id', key)).toBe(false);
    expect(review.error?.message).toMatch(/lowercase letters, digits and hyphens/);
    expect(review.clients).toHaveLength(11);

    expect(await review.moveProject('kestrel-energy', key)).toBe(true);
    expect(fake.calls).toContain('assign_projects');
    expect(review.clients).toHaveLength(10);
    expect(review.selected).toBe('kestrel-energy');
    expect(review.client?.client.projects.map((p) => p.project_id)).toContain(project?.project_id);

    expect(await review.moveProject('juniper-eu', key)).toBe(true);
    expect(review.clients).toHaveLength(11);
    expect(review.client?.client.projects.map((p) => p.project_id)).toEqual([project?.project_id]);
  });

  it('overrides a tenancy and keeps a refused override as an error naming the field', async () => {
    const { fake, review } = await loaded();
    expect(await review.adjustTenancy('granite-bank', { topology: 'dedicated', reputation: 'strict' })).toBe(
      true,
    );
    expect(fake.calls).toContain('set_tenancy');
    const plan = review.blueprint?.clients.find((c) => c.client === 'granite-bank');
    expect([plan?.connect.topology, plan?.connect.overridden, plan?.ses[0]?.reputation_policy]).toEqual([
      'dedicated',
      true,
      'strict',
    ]);
    expect(await review.adjustTenancy('granite-bank', { tenant_name: 'granite bank!' })).toBe(false);
    expect(review.error?.message).toMatch(/invalid clients.granite-bank.tenant_name/);
  });

  it('records decisions as the reviewer, saves a version, signs off on it, and exports', async () => {
    const { backend, fake, review } = await loaded();
    review.reviewer = 'Ann Reviewer';
    expect(new BlueprintState(backend).reviewer).toBe('Ann Reviewer'); // kept when the screen is left
    const decision = review.decisionsOf('granite-bank')[0];
    await review.decide(decision?.id ?? '', { status: 'decided', owner: 'Dana', due: '2026-12-15' });
    const after = review.decisionsOf('granite-bank').find((d) => d.id === decision?.id);
    expect([after?.status, after?.owner, after?.updated_by]).toEqual(['decided', 'Dana', 'Ann Reviewer']);

    expect(review.latestVersion).toBeNull();
    await review.signOff('granite-bank', '');
    expect(fake.calls).not.toContain('sign_off');
    await review.saveVersion('first review');
    expect(review.latestVersion).toBe(1);
    await review.signOff('granite-bank', 'ok');
    expect(review.signOffsOf('granite-bank').map((s) => [s.version, s.signed_by])).toEqual([
      [1, 'Ann Reviewer'],
    ]);

    expect(review.drift).toMatchObject({ client: 'granite-bank', signed_version: 1, findings_added: [] });
    fake.drift = {
      ...fake.drift,
      tenancy_changes: [
        'Connect topology: Shared Connect instance (partitioned) → Dedicated Connect instance',
      ],
    };
    await review.loadDrift('granite-bank');
    expect(review.drift?.tenancy_changes).toEqual([
      'Connect topology: Shared Connect instance (partitioned) → Dedicated Connect instance',
    ]);
    await review.loadDrift('aurora-books');
    expect(review.drift).toBeNull();

    fake.nextDialogPath = null;
    await review.export('html');
    expect(fake.reports).toEqual([]);
    fake.nextDialogPath = '/reports/blueprint.html';
    await review.export('html');
    expect(review.exported).toEqual(['/reports/blueprint.html']);
    expect(fake.reports).toEqual([{ format: 'html', path: '/reports/blueprint.html', version: null }]);
  });
});
