import { describe, expect, it } from 'vitest';

import type { TranslationReport, TranslationSummary } from '$lib/ipc';
import { fakeBackend } from '$lib/testing/fake-backend';
import demo from '$lib/testing/demo-blueprint.json';

import { TranslationPreview, needsWords, ordered, queryOf } from './preview.svelte';

const summaries = (demo.clients as { client: string; translations: TranslationSummary[] }[]).flatMap((c) =>
  c.translations.map((t) => ({ ...t, client: c.client })),
);

describe('translation summaries', () => {
  it('ask for what the blueprint lists, for its target', () => {
    const ses = summaries.find((s) => s.kind === 'template' && s.target === 'SES');
    const connect = summaries.find((s) => s.kind === 'template' && s.target === 'Connect');
    expect(ses && queryOf(ses).target).toEqual({ service: 'ses', paths: 'keep' });
    expect(connect && queryOf(connect).target).toEqual({ service: 'connect' });
    const journey = summaries.find((s) => s.kind === 'journey');
    expect(journey && queryOf(journey)).toMatchObject({ kind: 'journey', name: journey?.id });
  });

  it('say in words how much needs a person', () => {
    expect(needsWords({ losses: 2, warnings: 1 })).toBe('2 lost, 1 to check');
    expect(needsWords({ losses: 0, warnings: 0 })).toBe('carries over');
    expect(summaries.some((s) => s.losses > 0)).toBe(true);
  });

  it('list losses before warnings before notes', () => {
    const l = (severity: 'loss' | 'warning' | 'note') => ({
      severity,
      construct: severity,
      at: 'x',
      message: '',
    });
    expect(ordered([l('note'), l('loss'), l('warning')]).map((x) => x.severity)).toEqual([
      'loss',
      'warning',
      'note',
    ]);
  });
});

describe('TranslationPreview', () => {
  it('shows a template with its proof, then the same template for another target', async () => {
    const { backend } = fakeBackend();
    const preview = new TranslationPreview(backend);
    await preview.show({ kind: 'template', name: 'dahlia-welcome', target: { service: 'connect' } });
    const report = preview.report as Extract<TranslationReport, { kind: 'template' }>;
    expect(report.proof.proven).toBe(true);
    expect(report.proof.rendered.length).toBeGreaterThan(0);
    await preview.switchTarget({ service: 'ses', paths: 'keep' });
    const ses = preview.report as Extract<TranslationReport, { kind: 'template' }>;
    expect(ses.translation.target).toEqual({ service: 'ses', paths: 'keep' });
    expect(ses.translation.losses.some((l) => l.construct === 'HTML escaping')).toBe(true);
    preview.close();
    expect(preview.open).toBe(false);
  });

  it('keeps only the newest answer when the reviewer switches quickly', async () => {
    const { backend } = fakeBackend();
    const preview = new TranslationPreview(backend);
    const first = preview.show({ kind: 'template', name: 'dahlia-welcome', target: { service: 'connect' } });
    const second = preview.show({
      kind: 'template',
      name: 'dahlia-welcome',
      target: { service: 'ses', paths: 'rewrite' },
    });
    await Promise.all([first, second]);
    const report = preview.report as Extract<TranslationReport, { kind: 'template' }>;
    expect(report.translation.target).toEqual({ service: 'ses', paths: 'rewrite' });
    expect(preview.loading).toBe(false);
  });

  it('reports what cannot be translated as an error in words', async () => {
    const preview = new TranslationPreview(fakeBackend().backend);
    await preview.show({ kind: 'campaign', name: 'no-such-campaign', target: { service: 'connect' } });
    expect(preview.report).toBeNull();
    expect(preview.error?.code).toBe('invalid_input');
    expect(preview.loading).toBe(false);
  });
});
