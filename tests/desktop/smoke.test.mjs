// Desktop smoke test: the real app (built with the embedded UI) in the real webview (WebKitGTK), driven
// through tauri-driver + WebKitWebDriver under Xvfb. Run it through `make test-desktop`, which provides the
// X display, the D-Bus session and the built binary.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { ARTIFACTS, ROOT, startProcess, waitForHttp, webdriverAt } from '../support.mjs';

const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target');
const APP = process.env.PINSHIFT_DESKTOP_BINARY ?? join(TARGET, 'debug', 'pinshift-desktop');
const DRIVER = 'http://127.0.0.1:4444';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

let driver;
let session;
const home = mkdtempSync(join(tmpdir(), 'pinshift-desktop-'));
const engagementFile = join(home, 'smoke.pinshift');

const webdriver = webdriverAt(DRIVER);

const find = async (xpath) => (await webdriver('POST', `/session/${session}/element`, { using: 'xpath', value: xpath }))[ELEMENT];
const text = async (id) => webdriver('GET', `/session/${session}/element/${id}/text`);
const click = async (id) => webdriver('POST', `/session/${session}/element/${id}/click`, {});
const type = async (id, value) => webdriver('POST', `/session/${session}/element/${id}/value`, { text: value });
const run = async (script, args = []) => webdriver('POST', `/session/${session}/execute/sync`, { script, args });

// A secret no other part of the run could produce: after it is typed into Connections it must be found
// in no file under the app's data, config, cache and log dirs and in no IPC response.
const CANARY = `canary${randomBytes(12).toString('hex')}`;

/** Every file under `dir`, recursively. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Runs xdotool on the test's X display (the native save dialog is not part of the webview). */
const xdotool = (...args) => execFileSync('xdotool', args, { encoding: 'utf8' }).trim();

/** Retries `action` until it stops throwing (the webview renders asynchronously). */
async function eventually(action, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await action();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Saves a screenshot once painting has caught up: under Xvfb with software rendering the webview paints
 * after the DOM changes, so wait until two consecutive captures agree.
 */
async function screenshot(name) {
  let previous = '';
  const deadline = Date.now() + 10_000;
  await new Promise((r) => setTimeout(r, 500));
  for (;;) {
    const shot = await webdriver('GET', `/session/${session}/screenshot`);
    if (shot === previous || Date.now() > deadline) {
      writeFileSync(join(ARTIFACTS, name), Buffer.from(shot, 'base64'));
      return;
    }
    previous = shot;
    await new Promise((r) => setTimeout(r, 700));
  }
}

before(async () => {
  assert.ok(existsSync(APP), `build the app first (make test-desktop does): ${APP} is missing`);
  const env = {
    ...process.env,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    HOME: home,
  };
  driver = startProcess('tauri-driver', 'tauri-driver', ['--port', '4444', '--native-port', '4445'], { env });
  await waitForHttp(`${DRIVER}/status`);
  session = (
    await webdriver('POST', '/session', {
      capabilities: {
        alwaysMatch: { browserName: 'wry', 'tauri:options': { application: APP, args: [engagementFile] } },
      },
    })
  ).sessionId;
});

after(async () => {
  if (session) await webdriver('DELETE', `/session/${session}`).catch(() => {});
  await driver?.stop();
  writeFileSync(join(ARTIFACTS, 'desktop-driver.log'), driver?.output() ?? '');
  rmSync(home, { recursive: true, force: true });
});

test('the app starts, renders the frame, and commands round-trip', async () => {
  // The engagement named on the command line is opened (created) by Rust; the UI learns it over IPC.
  const nav = await eventually(() => find("//nav[@aria-label='Sections']"));
  const labels = await text(nav);
  for (const label of ['Estate', 'Clients', 'Blueprint', 'Migrations', 'Journal', 'Connections', 'Settings']) {
    assert.ok(labels.includes(label), `navigation shows ${label}: ${labels}`);
  }
  assert.equal(await webdriver('GET', `/session/${session}/title`), 'smoke — Pinshift');
  assert.ok(existsSync(engagementFile), 'the engagement file was created');
  await eventually(() => find("//h2[text()='No estate scanned yet']"));
  await screenshot('desktop-frame.png');

  // Settings calls app_info: the version and the real log directory come back from Rust.
  await click(await find("//button[normalize-space()='Settings']"));
  const version = await eventually(() => find("//*[@data-testid='app-version']"));
  assert.equal(await text(version), '0.1.0');
  const logDir = join(home, 'data', 'dev.pinshift.desktop', 'logs');
  await eventually(() => find(`//dd[text()='${logDir}']`));
  assert.ok(readdirSync(logDir).some((f) => f.startsWith('pinshift') && f.endsWith('.log')), 'a log file is written');

  // Connections: list_connections round-trips and the empty state shows.
  await click(await find("//button[normalize-space()='Connections']"));
  await eventually(() => find("//h2[text()='No connections yet']"));
  await screenshot('desktop-connections.png');
});

test('a secret typed into Connections goes to the keychain only', async () => {
  // Record everything Rust sends the page from here on: command replies, errors, channel and event
  // payloads all arrive through the callbacks Tauri registers (its `invoke` itself is read-only). The page
  // is a single-page app, so the hook stays for the rest of the run.
  await run(`
    const callbacks = window.__TAURI_INTERNALS__.callbacks;
    const set = callbacks.set.bind(callbacks);
    window.__ipcReplies = [];
    callbacks.set = (id, callback) => set(id, (data) => {
      window.__ipcReplies.push(JSON.stringify(data) ?? String(data));
      return callback(data);
    });`);
  await click(await find("//button[normalize-space()='Add a connection']"));
  await click(await eventually(() => find("//label[contains(., 'Access keys')]")));
  await type(await find("//input[@id='conn-name']"), 'client-keys');
  await type(await find("//input[@id='conn-key']"), 'AKIAIOSFODNN7CANARY1');
  await type(await find("//input[@id='conn-secret']"), CANARY);
  await click(await find("//button[normalize-space()='Add connection']"));
  const row = await eventually(() => find("//tr[td[text()='client-keys']]"));
  const shown = await text(row);
  assert.match(shown, /In keychain/, 'the secret went to the keychain');
  assert.ok(!shown.includes(CANARY), 'the secret is not shown back');
  const page = await webdriver('GET', `/session/${session}/source`);
  assert.ok(!page.includes(CANARY), 'the secret is nowhere in the page after adding');
});

test('try the demo estate: scan it, read a client\'s mapping, record a decision, sign off', async () => {
  await click(await find("//button[normalize-space()='Close']"));
  await click(await eventually(() => find("//button[normalize-space()='Try the demo estate']")));
  // Rust started the sandbox in the app and connected the demo engagement to it.
  await eventually(() => find("//h2[text()='Scan AWS accounts']"), 60_000);
  await eventually(() => find("//label[contains(., 'demo-bpo')]"));
  await click(await find("//label[contains(., 'Only these Regions')]/input"));
  await click(await eventually(() => find("//label[span[text()='us-east-1']]/input")));
  await click(await find("//button[normalize-space()='Start scan']"));
  const outcome = await eventually(() => find("//h2[contains(., 'Scan finished')]"), 240_000);
  assert.match(await text(outcome), /Complete/);
  await screenshot('desktop-scan-done.png');

  await click(await find("//nav[@aria-label='Sections']//button[normalize-space()='Clients']"));
  await click(await eventually(() => find("//*[@role='row'][.//*[text()='iris-insurance']]"), 60_000));
  await eventually(() => find("//h2[text()='iris-insurance']"));
  await eventually(() => find("//*[name()='svg' and @aria-label='Where each capability moves']"));
  await screenshot('desktop-clients.png');

  await click(await find("//nav[@aria-label='Sections']//button[normalize-space()='Blueprint']"));
  await type(await eventually(() => find("//label[contains(., 'Your name')]/input")), 'Ann Reviewer');
  await click(await eventually(() => find("(//button[starts-with(@aria-label, 'Edit decision')])[1]")));
  await click(await find("//label[contains(., 'Status')]/select/option[@value='decided']"));
  await type(await find("//label[contains(., 'Owner')]/input"), 'Dana');
  await click(await find("//button[normalize-space()='Save']"));
  await eventually(() => find("//*[contains(@class, 'meta')][contains(., 'Dana')]"));
  await click(await find("//button[normalize-space()='Save version']"));
  await eventually(() => find("//*[text()='Saved version 1']"));
  await click(await find("//button[starts-with(normalize-space(), 'Sign off')]"));
  await eventually(() => find("//*[contains(., 'Signed off by') and contains(., 'Ann Reviewer')]"));
  await screenshot('desktop-blueprint.png');

  // The client's translations: a template previewed side by side, proven by the real core rendering it
  // both ways for 1,000 generated endpoints.
  await click(await find("(//button[starts-with(@aria-label, 'Preview template') and contains(@aria-label, 'for Connect')])[1]"));
  const verdict = await eventually(() => find("//*[@role='dialog']//*[contains(@class, 'verdict')]"), 60_000);
  assert.match(await text(verdict), /Proven — 1,000 of 1,000 generated endpoints \(seed 1\) render identically/);
  await eventually(() => find("//*[@role='dialog']//figcaption[text()='Connect']"));
  await screenshot('desktop-translation.png');
  await click(await find("//button[@aria-label='Close the preview']"));
});

test('a reviewer renames a client, merges a project into it and overrides its tenancy', async () => {
  await click(await find("//nav[@aria-label='Sections']//button[normalize-space()='Clients']"));
  const filter = await eventually(() => find("//input[@placeholder='Filter clients']"), 60_000);
  await type(filter, 'kestrel');
  // (The row is wider than the window; click its name cell.)
  await click(await eventually(() => find("//*[@role='row']//*[text()='kestrel-energy']")));
  await click(await eventually(() => find("//button[normalize-space()='Rename…']")));
  const name = await find("//label[contains(., 'Display name')]/input");
  await webdriver('POST', `/session/${session}/element/${name}/clear`, {});
  await type(name, 'Kestrel Energy plc');
  await click(await find("//button[normalize-space()='Save name']"));
  await eventually(() => find("//h2[text()='Kestrel Energy plc']"), 60_000);

  // Merge: juniper-pharmacy's project moves into Kestrel; juniper-pharmacy is no longer a client.
  await webdriver('POST', `/session/${session}/element/${filter}/clear`, {});
  await type(filter, 'juniper');
  await click(await eventually(() => find("//*[@role='row']//*[text()='juniper-pharmacy']")));
  await eventually(() => find("//h2[text()='juniper-pharmacy']"));
  await click(await find("(//button[normalize-space()='Move…'])[1]"));
  await click(await find("//label[contains(., 'Move to')]/select/option[normalize-space()='Kestrel Energy plc']"));
  await click(await find("//button[normalize-space()='Move']"));
  await eventually(() => find("//h2[text()='Kestrel Energy plc']"), 60_000);
  await eventually(() => find("//table[@aria-labelledby='projects-title']//td[starts-with(., 'juniper-pharmacy')]"));
  await assert.rejects(find("//*[@role='row'][.//*[text()='juniper-pharmacy']]"), 'the merged client left the matrix');
  await webdriver('POST', `/session/${session}/element/${filter}/clear`, {});

  // Override: a dedicated Connect instance and a strict reputation policy, checked by core.
  await click(await find("//nav[@aria-label='Sections']//button[normalize-space()='Blueprint']"));
  await click(await eventually(() => find("//nav[@aria-label='Clients']//button[normalize-space()='Kestrel Energy plc']")));
  await click(await eventually(() => find("//button[normalize-space()='Adjust tenancy…']")));
  await click(await find("//label[contains(., 'Dedicated Connect instance')]/input"));
  await click(await find("//label[contains(., 'SES reputation policy')]/select/option[@value='strict']"));
  await click(await find("//button[normalize-space()='Apply to tenancy']"));
  await eventually(() => find("//dd[b[text()='dedicated'] and contains(., 'chosen by a reviewer')]"), 60_000);
  await eventually(() => find("//dd[b[text()='strict'] and contains(., 'chosen by a reviewer')]"));
  await eventually(() => find("//span[contains(@class, 'mono') and text()='kestrel-energy-engage']"));
  await screenshot('desktop-tenancy-adjusted.png');
});

test('the HTML report is exported through the save dialog', async () => {
  const report = join(home, 'exports', 'client-review.html');
  mkdirSync(join(home, 'exports'), { recursive: true });
  await click(await find("//section[@aria-labelledby='export-title']//button[normalize-space()='HTML']"));
  // The GTK save dialog: find it, focus it, type the full path into its name field, confirm.
  const dialog = await eventually(() => xdotool('search', '--sync', '--onlyvisible', '--name', '^Save report$').split('\n')[0]);
  xdotool('windowfocus', '--sync', dialog);
  xdotool('key', '--window', dialog, '--clearmodifiers', 'ctrl+a');
  xdotool('type', '--window', dialog, '--delay', '20', report);
  xdotool('key', '--window', dialog, 'Return');
  const wrote = await eventually(() => find(`//*[@role='status'][contains(., 'Wrote ${report}')]`), 60_000);
  await run('arguments[0].scrollIntoView({ block: "center" });', [{ [ELEMENT]: wrote }]);
  const html = readFileSync(report, 'utf8');
  assert.match(html, /<html/);
  assert.ok(html.includes('iris-insurance'), 'the report covers the demo clients');
  assert.ok(html.includes('Ann Reviewer'), 'the report shows the sign-off');
  assert.ok(!/<script/i.test(html), 'the report is self-contained and runs no scripts');
  await screenshot('desktop-exported.png');
});

test('the canary secret is in no file and no IPC reply', async () => {
  const replies = await run('return window.__ipcReplies ?? null;');
  assert.ok(Array.isArray(replies) && replies.length > 20, `IPC replies were recorded (${replies?.length})`);
  const leaking = replies.filter((r) => r.includes(CANARY));
  assert.deepEqual(leaking, [], 'no IPC reply carries the secret');
  const dirs = ['data', 'config', 'cache'].map((d) => join(home, d));
  const files = [...dirs.flatMap(filesUnder), ...filesUnder(home).filter((f) => f.startsWith(engagementFile))];
  assert.ok(files.some((f) => f.endsWith('.log')) && files.some((f) => f.endsWith('.pinshift')), `scanned files: ${files}`);
  const canary = Buffer.from(CANARY);
  const holding = files.filter((f) => readFileSync(f).includes(canary));
  assert.deepEqual(holding, [], 'no file under the data, config, cache or log dirs holds the secret');
});
