// Benchmark (prints figures, asserts nothing): how long the desktop's UI thread is blocked while a
// reviewer's edit runs at 300 clients. The real app runs in WebKitGTK under tauri-driver, on an engagement
// holding the large BPO estate (`PINSHIFT_BENCH_ENGAGEMENT=… cargo bench -p pinshift-core --bench edit`
// writes one). While each edit runs, the page pings `app_info` — a synchronous command, so Tauri answers
// it on the main (UI) thread — every 5 ms: the longest ping is how long the UI thread could not answer.
//
//   make bench-desktop            (or: PINSHIFT_DESKTOP_BINARY=… PINSHIFT_BENCH_ENGAGEMENT=… \
//                                   xvfb-run -a node tests/desktop/bench-edit.mjs)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ROOT, startProcess, waitForHttp, webdriverAt } from '../support.mjs';

const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target');
const APP = process.env.PINSHIFT_DESKTOP_BINARY ?? join(TARGET, 'debug', 'pinshift-desktop');
const ENGAGEMENT = process.env.PINSHIFT_BENCH_ENGAGEMENT;
const DRIVER = 'http://127.0.0.1:4444';

if (!ENGAGEMENT || !existsSync(ENGAGEMENT) || !existsSync(APP)) {
  console.error(`need the app (${APP}) and PINSHIFT_BENCH_ENGAGEMENT (from the core edit bench)`);
  process.exit(2);
}

const webdriver = webdriverAt(DRIVER);

// Runs `invoke(command, args)` in the page while pinging `app_info`; answers the edit's duration, the
// longest ping and how many pings came back while it ran.
const MEASURE = `
  const [command, args, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
  const invoke = window.__TAURI_INTERNALS__.invoke;
  let running = true, longest = 0, pings = 0;
  const ping = (async () => {
    while (running) {
      const start = performance.now();
      await invoke('app_info', {});
      longest = Math.max(longest, performance.now() - start);
      pings += 1;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const start = performance.now();
  invoke(command, args).then(
    async () => { const editMs = performance.now() - start; running = false; await ping; done({ editMs, longest, pings }); },
    async (error) => { running = false; await ping; done({ error: JSON.stringify(error) }); },
  );
`;

const home = mkdtempSync(join(tmpdir(), 'pinshift-bench-'));
const env = { ...process.env, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), HOME: home };
const driver = startProcess('tauri-driver', 'tauri-driver', ['--port', '4444', '--native-port', '4445'], { env });
let session;
try {
  await waitForHttp(`${DRIVER}/status`);
  session = (
    await webdriver('POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'wry', 'tauri:options': { application: APP, args: [ENGAGEMENT] } } },
    })
  ).sessionId;
  await webdriver('POST', `/session/${session}/timeouts`, { script: 600_000 });
  const run = (command, args) => webdriver('POST', `/session/${session}/execute/async`, { script: MEASURE, args: [command, args] });
  // Wait until the page can talk to Rust, then learn the engagement's clients from the blueprint.
  const blueprint = await webdriver('POST', `/session/${session}/execute/async`, {
    script: `const done = arguments[arguments.length - 1];
      const tryIt = () => window.__TAURI_INTERNALS__?.invoke('blueprint', { scan: null }).then(done, () => setTimeout(tryIt, 500));
      tryIt();`,
    args: [],
  });
  const client = blueprint.clients[7].client;
  const decision = blueprint.decisions.find((d) => d.client === client).id;
  const override = (await run('set_tenancy', { client, change: { reputation: 'strict' } }).catch(() => null))?.error
    ? ['set_plan', { client, choice: { reputation: 'strict' } }]
    : ['set_tenancy', { client, change: { reputation: 'standard' } }];
  const edits = [
    ['rename a client', 'rename_client', { client, name: 'Renamed Client Ltd' }],
    ['override a tenancy', ...override],
    ['record a decision', 'record_decision', { id: decision, update: { owner: 'Dana' }, by: 'Ann Reviewer' }],
    ['save a version', 'save_blueprint', { by: 'Ann Reviewer', note: 'bench' }],
    ['reload the blueprint', 'blueprint', { scan: null }],
  ];
  console.log(`# ${APP}\n# ${blueprint.clients.length} clients`);
  console.log(`# ${'edit'.padEnd(22)} ${'edit ms'.padStart(8)} ${'UI thread blocked ms (longest app_info)'.padStart(40)} ${'pings'.padStart(6)}`);
  for (const [label, command, args] of edits) {
    const r = await run(command, args);
    if (r.error) {
      console.log(`# ${label.padEnd(22)} failed: ${r.error}`);
      continue;
    }
    console.log(`# ${label.padEnd(22)} ${r.editMs.toFixed(0).padStart(8)} ${r.longest.toFixed(0).padStart(40)} ${String(r.pings).padStart(6)}`);
  }
} finally {
  if (session) await webdriver('DELETE', `/session/${session}`).catch(() => {});
  await driver.stop();
  rmSync(home, { recursive: true, force: true });
}
