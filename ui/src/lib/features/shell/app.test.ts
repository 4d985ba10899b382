import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';

import App from '../../../App.svelte';
import { fakeBackend } from '$lib/testing/fake-backend';

describe('App', () => {
  it('welcomes with new/open actions when no engagement is open', async () => {
    render(App, { props: { backend: fakeBackend().backend } });
    expect(await screen.findByRole('button', { name: /New engagement/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /Open engagement/ })).toBeTruthy();
  });

  it('shows the frame with every section once an engagement is open', async () => {
    const { backend } = fakeBackend();
    await backend.openEngagement('/work/acme.pinshift');
    render(App, { props: { backend } });
    const nav = await screen.findByRole('navigation', { name: 'Sections' });
    for (const label of [
      'Estate',
      'Clients',
      'Blueprint',
      'Migrations',
      'Journal',
      'Connections',
      'Settings',
    ]) {
      expect(nav.textContent).toContain(label);
    }
    expect(await screen.findByText('No estate scanned yet')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Connections' }));
    expect(await screen.findByText('No connections yet')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Connections' }).getAttribute('aria-current')).toBe('page');
  });

  it('explains a refused file in plain words with a hint', async () => {
    const { backend, fake } = fakeBackend();
    fake.nextDialogPath = '/work/exists.pinshift';
    render(App, { props: { backend } });
    await fireEvent.click(await screen.findByRole('button', { name: /New engagement/ }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('already exists');
    expect(alert.textContent).toContain('choose another name');
  });
});
