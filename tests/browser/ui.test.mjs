// Browser test: the production build of the UI in Debian's Chromium (Playwright), with the IPC faked by
// @tauri-apps/api's mockIPC. Saves screenshots under tests/artifacts/ for people to look at.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { ARTIFACTS, ROOT, freePort, startProcess, uiRequire, waitForHttp } from '../support.mjs';

const { chromium } = uiRequire('playwright-core');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server;
let baseUrl;
const contexts = [];

before(async () => {
  const port = await freePort();
  server = startProcess('vite preview', 'npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: join(ROOT, 'ui'),
  });
  baseUrl = `http://127.0.0.1:${port}/`;
  await waitForHttp(baseUrl);
});

after(async () => {
  for (const { context, dir } of contexts) {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
  await server?.stop();
});

// The one fake back end (ui/src/lib/testing/fake-pinshift.ts), bundled by `make test-browser`.
const FAKE = readFileSync(join(ROOT, 'ui', 'dist-test', 'fake-ipc.js'), 'utf8');

async function openApp({ colorScheme = 'light', clients, scanned = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pinshift-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    colorScheme,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  contexts.push({ context, dir });
  const data = `${clients ? `window.__BLUEPRINT_CLIENTS__ = ${clients};` : ''}${scanned ? 'window.__SCANNED__ = true;' : ''}`;
  await context.addInitScript({ content: `${data}\n${FAKE}` });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(baseUrl);
  return { page, errors };
}

test('a newcomer creates an engagement and sees the app frame', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'New engagement…' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'browser-welcome.png') });

  await page.getByRole('button', { name: 'New engagement…' }).click();
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await nav.waitFor();
  for (const label of ['Estate', 'Clients', 'Blueprint', 'Migrations', 'Journal', 'Connections', 'Settings']) {
    assert.ok(await nav.getByRole('button', { name: label }).isVisible(), `${label} is in the navigation`);
  }
  assert.equal(await page.title(), 'acme-retail — Pinshift');
  await page.getByText('No estate scanned yet').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'browser-frame-estate.png') });

  for (const [label, empty] of [
    ['Clients', 'No clients yet'],
    ['Blueprint', 'No blueprint yet'],
    ['Migrations', 'No migrations yet'],
    ['Journal', 'The journal is empty'],
    ['Connections', 'No connections yet'],
  ]) {
    await nav.getByRole('button', { name: label }).click();
    await page.getByRole('heading', { name: empty }).waitFor();
  }

  await nav.getByRole('button', { name: 'Settings' }).click();
  await page.getByTestId('app-version').waitFor();
  assert.equal(await page.getByTestId('app-version').textContent(), '0.1.0');
  assert.deepEqual(errors, []);
});

test('connections: add a profile and a role, test both, see failures explained', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Open engagement…' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Add a connection' }).click();

  await page.getByLabel('Name', { exact: true }).fill('acme-hub');
  await page.getByLabel('Default Region (optional)').fill('us-east-1');
  await page.getByLabel('Profile name').fill('acme-audit');
  await page.getByRole('button', { name: 'Add connection' }).click();
  await page.getByRole('cell', { name: 'acme-hub', exact: true }).waitFor();

  await page.getByRole('button', { name: 'Add connection' }).click();
  await page.getByRole('radio', { name: /Assume a role/ }).check();
  await page.getByLabel('Name', { exact: true }).fill('client-a');
  await page.getByLabel('Assume from').selectOption('acme-hub');
  await page.getByLabel('Role ARN').fill('not-an-arn');
  await page.getByRole('button', { name: 'Add connection' }).last().click();
  const refusal = page.getByRole('alert');
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /invalid role ARN/);

  await page.getByLabel('Role ARN').fill('arn:aws:iam::222222222222:role/PinshiftScan');
  await page.getByLabel(/External id/).fill('pinshift-demo-external-id');
  await page.getByRole('button', { name: 'Add connection' }).last().click();
  await page.getByRole('cell', { name: 'client-a', exact: true }).waitFor();

  await page.getByRole('button', { name: 'Add connection' }).click();
  await page.getByRole('radio', { name: /AWS profile/ }).check();
  await page.getByLabel('Name', { exact: true }).fill('old-sso');
  await page.getByLabel('Profile name').fill('expired');
  await page.getByRole('button', { name: 'Add connection' }).last().click();
  await page.getByRole('cell', { name: 'old-sso', exact: true }).waitFor();

  for (const row of await page.getByRole('row').filter({ has: page.getByRole('button', { name: 'Test' }) }).all()) {
    await row.getByRole('button', { name: 'Test' }).click();
  }
  await page.getByText('222222222222', { exact: true }).waitFor();
  await page.getByText('111111111111', { exact: true }).waitFor();
  const failure = page.getByRole('alert').filter({ hasText: 'SSO session has expired' });
  await failure.waitFor();
  assert.match(await failure.textContent(), /aws sso login/, 'the failure says what to do');
  await page.screenshot({ path: join(ARTIFACTS, 'browser-connections.png') });
  assert.deepEqual(errors, []);
});

test('the frame in the dark theme', async () => {
  const { page, errors } = await openApp({ colorScheme: 'dark' });
  await page.getByRole('button', { name: 'New engagement…' }).click();
  await page.getByText('No estate scanned yet').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'browser-frame-dark.png') });
  assert.deepEqual(errors, []);
});

test('scan: choose Regions and audience profiling, watch progress, read the issues, stop and resume', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Open engagement…' }).click();
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await nav.getByRole('button', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Add a connection' }).click();
  await page.getByLabel('Name', { exact: true }).fill('northwind');
  await page.getByLabel('Profile name').fill('bpo-audit');
  await page.getByRole('button', { name: 'Add connection' }).click();
  await page.getByRole('cell', { name: 'northwind', exact: true }).waitFor();

  await nav.getByRole('button', { name: 'Estate' }).click();
  await page.getByRole('heading', { name: 'Scan AWS accounts' }).waitFor();
  assert.ok(await page.getByRole('checkbox', { name: 'northwind' }).isChecked(), 'every connection by default');
  await page.getByRole('radio', { name: 'Only these Regions' }).check();
  const start = page.getByRole('button', { name: 'Start scan' });
  assert.ok(await start.isDisabled(), 'no Region chosen yet');
  await page.getByRole('checkbox', { name: 'us-east-1' }).check();
  await page.getByRole('checkbox', { name: /Profile each project's endpoints/ }).check();
  await page.getByLabel('S3 bucket').fill('Bad_Bucket');
  await page.getByLabel('Export role ARN').fill('arn:aws:iam::444444444444:role/PinpointExport');
  await page.getByText('An S3 bucket name: 3–63 lowercase letters').waitFor();
  assert.ok(await start.isDisabled(), 'a bad bucket name blocks the start');
  await page.getByLabel('S3 bucket').fill('northwind-pinshift-exports');
  await page.screenshot({ path: join(ARTIFACTS, 'browser-scan-setup.png') });
  await start.click();

  await page.getByText('8 of 13 units').waitFor();
  await page.getByText('AWS throttled 17 requests').waitFor();
  await page.getByRole('cell', { name: '444444444444' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'browser-scan-running.png') });
  const request = await page.evaluate(() => window.__fake.lastScanRequest);
  assert.deepEqual(request, {
    connections: [],
    regions: ['us-east-1'],
    audience: { bucket: 'northwind-pinshift-exports', role_arn: 'arn:aws:iam::444444444444:role/PinpointExport', prefix: '' },
    resume: false,
    take_over: false,
  });

  await page.evaluate(() => window.__fake.finishScan());
  await page.getByText('Complete with gaps').first().waitFor();
  await page.getByText('The connection may not call mobiletargeting:ListJourneys').waitFor();
  await page.getByText(/Ask the account's admin to attach the policy/).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'browser-scan-done.png') });

  // A second scan, stopped half way, is offered for resuming.
  await page.getByRole('button', { name: 'New scan' }).click();
  await page.getByRole('button', { name: 'Start scan' }).click();
  await page.getByText('8 of 13 units').waitFor();
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByText('You stopped the scan').waitFor();
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.getByText('8 of 13 units').waitFor();
  assert.equal((await page.evaluate(() => window.__fake.lastScanRequest)).resume, true);
  await page.evaluate(() => window.__fake.finishScan());

  // Another process holds the engagement (a CLI scan on a jump host): refused, naming it; taken over only
  // when the person says that process is gone.
  await page.evaluate(() => {
    window.__fake.busy = { job: 'pinshift scan', host: 'jump-host-1', pid: 4242, started_at: '2026-12-02T09:00:00Z', expires_at: '2026-12-02T09:00:30Z' };
  });
  await page.getByRole('button', { name: 'New scan' }).click();
  await page.getByRole('button', { name: 'Start scan' }).click();
  await page.getByText(/is busy: pinshift scan \(pid 4242 on jump-host-1\)/).waitFor();
  await page.getByText(/lapses at 2026-12-02T09:00:30Z/).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'browser-scan-locked.png') });
  await page.getByRole('button', { name: 'Take over and scan' }).click();
  await page.getByText('Took the engagement over from pinshift scan (pid 4242 on jump-host-1').waitFor();
  assert.equal((await page.evaluate(() => window.__fake.lastScanRequest)).take_over, true);
  assert.deepEqual(errors, []);
});

test('clients: the mapping matrix, a client\'s flow diagram, and owners of shared resources', async () => {
  const { page, errors } = await openApp({ scanned: true });
  await page.getByRole('button', { name: 'Open engagement…' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Clients' }).click();
  const matrix = page.getByRole('grid', { name: 'Clients by capability' });
  await matrix.waitFor();
  assert.equal(await matrix.getByRole('row').count(), 12, 'a header and 11 clients');
  const iris = matrix.getByRole('row').filter({ hasText: 'iris-insurance' });
  assert.match(await iris.textContent(), /None/, 'fit shown in words, not only colour');
  await iris.click();
  await page.getByRole('heading', { name: 'iris-insurance' }).waitFor();
  await page.getByRole('img', { name: 'Where each capability moves' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'browser-clients.png') });
  await page.getByRole('region', { name: 'iris-insurance' }).screenshot({ path: join(ARTIFACTS, 'browser-client-flow.png') });

  // Keyboard: arrow keys move the selection.
  await matrix.getByRole('row').filter({ hasText: 'iris-insurance' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.getByRole('heading', { name: 'juniper-pharmacy' }).waitFor();

  await matrix.getByRole('row').filter({ hasText: 'ember-fashion' }).click();
  const shared = page.getByRole('row').filter({ hasText: 'shared-newsletter' });
  assert.match(await shared.textContent(), /shared/);
  await shared.getByRole('button', { name: 'Accept' }).click();
  await shared.getByText('Confirmed').waitFor();
  await shared.getByRole('button', { name: 'Change…' }).click();
  await shared.getByRole('checkbox', { name: 'ember-fashion' }).uncheck();
  await shared.getByRole('button', { name: 'Save owners' }).click();
  await shared.getByText('Set by a person').waitFor();
  assert.deepEqual(errors, []);
});

test('clients (dark theme): rename a client, merge a project into another, then adjust its tenancy', async () => {
  const { page, errors } = await openApp({ scanned: true, colorScheme: 'dark' });
  await page.getByRole('button', { name: 'Open engagement…' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Clients' }).click();
  const matrix = page.getByRole('grid', { name: 'Clients by capability' });
  await matrix.getByRole('row').filter({ hasText: 'kestrel-energy' }).click();
  await page.getByRole('button', { name: 'Rename…' }).click();
  await page.getByLabel('Display name').fill('Kestrel Energy plc');
  await page.getByRole('button', { name: 'Save name' }).click();
  await page.getByRole('heading', { name: 'Kestrel Energy plc' }).waitFor();

  await matrix.getByRole('row').filter({ hasText: 'juniper-pharmacy' }).click();
  await page.getByRole('heading', { name: 'juniper-pharmacy' }).waitFor();
  await page.getByRole('button', { name: 'Move…' }).first().click();
  // A bad id is refused in plain words and nothing moves.
  await page.getByLabel('Move to').selectOption({ label: 'A new client…' });
  await page.getByLabel('New client id').fill('Juniper EU');
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await page.getByText(/must be 1–48 lowercase letters, digits and hyphens/).waitFor();
  assert.equal(await matrix.getByRole('row').count(), 12);
  await page.getByLabel('Move to').selectOption({ label: 'Kestrel Energy plc' });
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await page.getByRole('heading', { name: 'Kestrel Energy plc' }).waitFor();
  assert.equal(await matrix.getByRole('row').count(), 11, 'the merged client is gone from the matrix');
  await page.getByRole('table', { name: 'Name and projects' }).getByText('juniper-pharmacy').waitFor();
  await page.getByRole('region', { name: 'Kestrel Energy plc' }).screenshot({ path: join(ARTIFACTS, 'browser-client-merged-dark.png') });

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Blueprint' }).click();
  await page.getByRole('navigation', { name: 'Clients' }).getByRole('button', { name: 'Kestrel Energy plc' }).click();
  await page.getByRole('button', { name: 'Adjust tenancy…' }).click();
  const form = page.getByRole('form', { name: /Adjust the tenancy of Kestrel Energy plc/ });
  assert.ok(await form.getByRole('button', { name: 'Apply to tenancy' }).isDisabled(), 'nothing changed yet');
  await form.getByLabel('SES tenant name').fill('kestrel energy!');
  await form.getByRole('button', { name: 'Apply to tenancy' }).click();
  await page.getByText(/invalid clients\.kestrel-energy\.tenant_name/).waitFor();
  await form.getByLabel('SES tenant name').fill('kestrel-energy-plc');
  await form.getByLabel(/Dedicated Connect instance/).check();
  await form.getByLabel('SES reputation policy').selectOption('strict');
  await page.screenshot({ path: join(ARTIFACTS, 'browser-tenancy-adjust-dark.png') });
  await form.getByRole('button', { name: 'Apply to tenancy' }).click();
  await page.getByText(/dedicated\s*—\s*chosen by a reviewer/).waitFor();
  await page.getByText(/kestrel-energy-plc/).first().waitFor();
  await page.getByText(/strict reputation policy\s*—\s*chosen by a reviewer/).waitFor();
  await page.evaluate(() => document.querySelector('main.content')?.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'browser-blueprint-dark.png') });
  // Errors were shown on purpose above; none reached the console.
  assert.deepEqual(errors, []);
});

test('clients: the mapping matrix stays quick with 300 clients', async () => {
  const { page, errors } = await openApp({ clients: 300, scanned: true });
  await page.getByRole('button', { name: 'Open engagement…' }).click();
  const started = await page.evaluate(() => performance.now());
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Clients' }).click();
  await page.getByRole('grid', { name: 'Clients by capability' }).getByRole('row').nth(1).waitFor();
  const shown = await page.evaluate(() => performance.now());
  const rows = await page.getByRole('row').count();
  assert.ok(rows < 60, `only the rows in view are rendered (${rows})`);
  const scrolled = await page.evaluate(async () => {
    const body = document.querySelector('.matrix .body');
    const t0 = performance.now();
    body.scrollTop = body.scrollHeight;
    body.dispatchEvent(new Event('scroll'));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  });
  await page.getByText('kestrel-energy-296').waitFor();
  console.log(`# mapping matrix, 300 clients: first rows after ${Math.round(shown - started)} ms (blueprint IPC + render); scroll to the end ${Math.round(scrolled)} ms`);
  await page.screenshot({ path: join(ARTIFACTS, 'browser-clients-300.png') });
  assert.deepEqual(errors, []);
});

test('blueprint: record a decision, save a version, sign off a client, export the HTML report', async () => {
  const { page, errors } = await openApp({ scanned: true });
  await page.getByRole('button', { name: 'Open engagement…' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Blueprint' }).click();
  await page.getByRole('navigation', { name: 'Clients' }).getByRole('button', { name: 'granite-bank' }).click();
  await page.getByRole('heading', { name: 'granite-bank' }).waitFor();
  await page.getByText(/strict reputation policy/).waitFor();

  await page.getByLabel('Your name').fill('Ann Reviewer');
  await page.getByRole('button', { name: /Edit decision: SMS registrations for granite-bank/ }).click();
  await page.getByLabel('Status').selectOption('in_progress');
  await page.getByLabel('Owner').fill('Dana (ops)');
  await page.getByLabel('Due').fill('2026-12-15');
  await page.getByLabel('Note', { exact: true }).fill('10DLC brand submitted');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Dana (ops)').waitFor();

  await page.getByRole('button', { name: 'No successor' }).click();
  assert.equal(await page.getByRole('row').filter({ hasText: 'Moves as is' }).count(), 0, 'the fit filter applies');

  const signOff = page.getByRole('button', { name: /Sign off granite-bank/ });
  assert.ok(await signOff.isDisabled(), 'a version must be saved first');
  await page.getByLabel('Version note').fill('first review');
  await page.getByRole('button', { name: 'Save version' }).click();
  await page.getByText('Saved version 1').waitFor();
  await page.getByRole('button', { name: 'Sign off granite-bank on version 1' }).click();
  await page.getByText(/Signed off by Ann Reviewer on version 1/).waitFor();
  await page.getByText('No change since the sign-off of version 1.').waitFor();
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await page.evaluate(() => document.querySelector('main.content')?.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'browser-blueprint.png') });

  await page.getByRole('button', { name: 'HTML', exact: true }).click();
  await page.getByText('Wrote /home/consultant/reports/blueprint.html').waitFor();
  const reports = await page.evaluate(() => window.__fake.reports);
  assert.deepEqual(reports, [{ format: 'html', path: '/home/consultant/reports/blueprint.html', version: null }]);
  assert.deepEqual(errors, []);
});

test('blueprint: preview translations side by side, switch an email template between Connect and SES, read a journey\'s flow', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, errors } = await openApp({ scanned: true, colorScheme });
    await page.getByRole('button', { name: 'Open engagement…' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Blueprint' }).click();
    await page.getByRole('navigation', { name: 'Clients' }).getByRole('button', { name: 'dahlia-health' }).click();
    await page.getByRole('heading', { name: 'Translations' }).waitFor();

    // a template: before and after, as a test endpoint receives it, and the proof
    await page.getByRole('button', { name: 'Preview template dahlia-welcome for Connect' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/Proven — 1,000 of 1,000 generated endpoints \(seed 1\) render identically/).waitFor();
    await dialog.getByText('{{User.UserAttributes.FirstName}}', { exact: false }).first().waitFor();
    assert.ok(await dialog.getByText('Attributes.Customer.Attributes.FirstName', { exact: false }).first().isVisible(), 'the converted paths are shown');
    assert.ok(await dialog.getByText(/As endpoint-0001 receives it/).first().isVisible(), 'a rendering of a test endpoint');
    await page.screenshot({ path: join(ARTIFACTS, `browser-translation-template-${colorScheme}.png`) });

    // the same template for SES: the warning about escaping is listed in words, with its place
    await dialog.getByRole('button', { name: 'SES (Pinpoint paths)' }).click();
    await dialog.getByText('SES does not HTML-escape values', { exact: false }).waitFor();
    assert.ok(await dialog.getByText('Check', { exact: true }).first().isVisible(), 'severity in words, not colour only');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // a journey: its flow's blocks and the campaign that runs it
    await page.getByRole('button', { name: 'Preview journey dahlia-onboarding for Outbound Campaigns' }).click();
    await dialog.getByRole('cell', { name: 'DistributeByPercentage' }).first().waitFor();
    assert.ok(await dialog.getByText('"type": "JOURNEY"', { exact: false }).isVisible(), 'the JOURNEY campaign definition');
    await page.screenshot({ path: join(ARTIFACTS, `browser-translation-journey-${colorScheme}.png`) });
    await dialog.getByRole('button', { name: 'Close the preview' }).click();

    // a segment whose criteria cannot move: the size on both sides shows the gap
    await page.getByRole('navigation', { name: 'Clients' }).getByRole('button', { name: 'juniper-pharmacy' }).click();
    await page.getByRole('button', { name: 'Preview segment active-app for Customer Profiles' }).click();
    await dialog.getByText(/Pinpoint selects 34 endpoints and the definition 0 profiles/).waitFor();
    await dialog.getByText('Lost — needs a person').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, `browser-translation-segment-${colorScheme}.png`) });
    assert.deepEqual(errors, []);
  }
});

test('estate: browse accounts, Regions and projects, search, and read a payload as AWS returned it', async () => {
  const { page, errors } = await openApp({ scanned: true });
  await page.getByRole('button', { name: 'Open engagement…' }).click();
  await page.getByRole('tab', { name: 'Explore' }).waitFor();
  const tree = page.getByRole('navigation', { name: 'Accounts, Regions and projects' });
  await tree.getByRole('button', { name: /granite-bank/ }).click();
  await page.getByText(/\d+ resources?$/).waitFor();
  const kpis = page.getByRole('region', { name: 'Key figures over 90 days' });
  await kpis.getByText('Hard bounces').waitFor();
  assert.match(await kpis.textContent(), /Emails sent/);
  await page.getByPlaceholder('Search ids and names').fill('card');
  await page.getByText('1 resource', { exact: true }).waitFor();
  assert.equal(await page.getByRole('row').count(), 2, 'a header and the one match');
  await page.getByRole('cell', { name: 'granite-card-offer' }).click();
  await page.getByRole('heading', { name: 'granite-card-offer' }).waitFor();
  await page.getByText('As AWS returned it').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'browser-estate.png') });
  await page.getByRole('tab', { name: 'Scan' }).click();
  await page.getByRole('heading', { name: 'Scan AWS accounts' }).waitFor();
  assert.deepEqual(errors, []);
});

test('welcome: try the demo estate opens the demo engagement with its connection', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Try the demo estate' }).click();
  await page.getByRole('heading', { name: 'Scan AWS accounts' }).waitFor();
  assert.ok(await page.getByRole('checkbox', { name: 'demo-bpo' }).isChecked());
  assert.match(await page.title(), /Demo BPO/);
  assert.deepEqual(errors, []);
});
