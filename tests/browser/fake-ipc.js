// A fake Pinshift back end for browser tests, installed with @tauri-apps/api's mockIPC. It answers the
// commands the UI calls the way the Rust commands do (same shapes, `{code, message, hint}` errors), so the
// unmodified production build runs in Chromium.
// eslint-disable-next-line no-unused-vars
function installFakePinshift(mockIPC) {
  // `window.__SCANNED__` starts the engagement with the demo estate's finished scan.
  const demoScan = { id: '6cb96a65-07c1-434b-ba5c-1be3363a86bb', started_at: '2026-11-23T10:00:00Z', finished_at: '2026-11-23T10:02:00Z', status: 'complete', accounts: 1, projects: 11, resources: 507, issues: 0 };
  const state = { engagement: null, connections: [], secrets: {}, scans: window.__SCANNED__ ? [demoScan] : [], issues: {}, scan: null };
  const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'ap-south-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ca-central-1', 'eu-central-1', 'eu-west-1', 'eu-west-2'];
  const PROJECTS = ['aurora-books', 'bluebird-telecom', 'cobalt-games', 'dahlia-health', 'ember-fashion', 'fjord-travel', 'granite-bank', 'harbor-logistics', 'iris-insurance', 'juniper-pharmacy', 'kestrel-energy'];
  const target = { connection: 'northwind', account_id: '444444444444', region: 'us-east-1' };
  // A scripted scan: reads the project list, the account-level resources and the first six projects, then
  // waits for the test to call `window.__fakeScan.finish()` (or for cancel_scan).
  const scanSummary = (status, issues) => ({
    id: state.scan.id, started_at: '2026-11-23T10:00:00Z', finished_at: '2026-11-23T10:03:12Z', status,
    accounts: 1, projects: status === 'cancelled' ? 6 : 11, resources: status === 'cancelled' ? 250 : 507, issues,
  });
  const endScan = (summary) => {
    state.scans.unshift(summary);
    state.scan.channel.onmessage({ event: 'finished', summary });
    state.scan = null;
  };
  window.__fakeScan = {
    lastRequest: null,
    finish() {
      const send = (event) => state.scan.channel.onmessage(event);
      PROJECTS.slice(6).forEach((project, i) => send({ event: 'progress', done: 9 + i, total: 13, target, project, resources: 40, issues: project === 'iris-insurance' ? 1 : 0, pressure: { throttled: 37, failed_attempts: 2 } }));
      state.issues[state.scan.id] = [{
        what: 'The connection may not call mobiletargeting:ListJourneys, so this journey was not read.',
        action: 'Ask the account\'s admin to attach the policy `pinshift iam-policy scan` prints (Connections shows it), then resume or scan again.',
        account_id: '444444444444', region: 'us-east-1', project_id: '9bed3bdc2ba4ee57b07a721822e4c0aa', kind: 'journey',
        operation: 'mobiletargeting:ListJourneys', code: 'ForbiddenException', message: 'User is not authorized',
      }];
      endScan(scanSummary('complete_with_gaps', 1));
    },
  };
  const fail = (code, message, hint) => {
    throw hint ? { code, message, hint } : { code, message };
  };
  const engagementInfo = (path) => ({
    id: '2b7e1516-28ae-4d2a-a6ab-f7158809cf4f',
    name: path.split('/').pop().replace(/\.pinshift$/, ''),
    path,
    created_at: '2026-11-23T09:00:00Z',
    created_by_version: '0.1.0',
    schema_version: 1,
    connections: state.connections.length,
    size_bytes: 24576,
  });
  // The demo estate's real blueprint (injected by the test as window.__DEMO_BLUEPRINT__), optionally
  // multiplied to `window.__BLUEPRINT_CLIENTS__` clients to see how the screens cope with a large BPO.
  let cached = null;
  const blueprint = () => {
    if (cached) return cached;
    cached = structuredClone(window.__DEMO_BLUEPRINT__);
    const want = window.__BLUEPRINT_CLIENTS__ ?? cached.assessment.clients.length;
    const base = cached.assessment.clients;
    const findings = cached.assessment.findings;
    cached.assessment.clients = [];
    cached.assessment.findings = [];
    for (let i = 0; i < want; i++) {
      const from = base[i % base.length];
      const id = i < base.length ? from.client.id : `${from.client.id}-${String(i).padStart(3, '0')}`;
      cached.assessment.clients.push({ ...structuredClone(from), client: { ...structuredClone(from.client), id, name: i < base.length ? from.client.name : id } });
      for (const f of findings.filter((x) => x.client === from.client.id)) cached.assessment.findings.push({ ...f, client: id });
    }
    return cached;
  };
  // The demo's resources as the blueprint names them (findings and attributions), for the explorer.
  const resources = () => {
    const seen = new Map();
    for (const r of [...blueprint().assessment.findings.map((f) => f.resource), ...blueprint().assessment.attributions.map((a) => a.resource)]) {
      const key = `${r.account_id}/${r.region}/${r.project_id}/${r.kind}/${r.id}`;
      if (!seen.has(key)) seen.set(key, { ...r, version: '' });
    }
    return [...seen.values()].sort((a, b) => (a.project_id + a.kind + a.id).localeCompare(b.project_id + b.kind + b.id));
  };
  mockIPC((cmd, args) => {
    switch (cmd) {
      case 'app_info':
        return { version: '0.1.0', schema_version: 1, data_dir: '/home/consultant/.local/share/dev.pinshift.desktop', log_dir: '/home/consultant/.local/share/dev.pinshift.desktop/logs', pinpoint_regions: REGIONS };
      case 'list_scans':
        return state.scans;
      case 'scan_issues':
        return state.issues[args.scanId] ?? [];
      case 'iam_policy':
        return { Version: '2012-10-17', Statement: [{ Sid: 'PinshiftReadOnlyInventory', Effect: 'Allow', Action: ['mobiletargeting:GetApps'], Resource: '*' }] };
      case 'estate_tree': {
        const branches = [];
        for (const r of resources()) {
          let b = branches.find((x) => x.account_id === r.account_id && x.region === r.region && x.project_id === r.project_id);
          if (!b) {
            const p = blueprint().assessment.clients.flatMap((c) => c.client.projects).find((x) => x.project_id === r.project_id);
            b = { account_id: r.account_id, region: r.region, project_id: r.project_id, project_name: p?.name ?? '', counts: {} };
            branches.push(b);
          }
          b.counts[r.kind] = (b.counts[r.kind] ?? 0) + 1;
        }
        return branches;
      }
      case 'estate_page': {
        const q = args.query;
        const needle = q.search.toLowerCase();
        const matches = resources().filter((r) => (q.account_id === undefined || r.account_id === q.account_id) && (q.region === undefined || r.region === q.region)
          && (q.project_id === undefined || r.project_id === q.project_id) && (q.kind === undefined || r.kind === q.kind)
          && (r.id.toLowerCase().includes(needle) || (r.name ?? '').toLowerCase().includes(needle)));
        return { total: matches.length, items: matches.slice(q.offset, q.offset + q.limit) };
      }
      case 'project_kpis': {
        const days = Array.from({ length: 90 }, (_, i) => new Date(Date.UTC(2026, 7, 26 + i)).toISOString().slice(0, 10));
        const sent = days.map((_, i) => 8000 + ((i * 7919) % 2500) + (i % 7 === 5 ? -3000 : 0));
        return [
          { kpi: 'txn-emails-sent-grouped-by-date', points: days.map((d, i) => [d, sent[i]]) },
          { kpi: 'txn-emails-delivered-grouped-by-date', points: days.map((d, i) => [d, Math.round(sent[i] * 0.97)]) },
          { kpi: 'txn-emails-hard-bounced-grouped-by-date', points: days.map((d, i) => [d, Math.round(sent[i] * (args.projectId.startsWith('9bed35') ? 0.061 : 0.012))]) },
          { kpi: 'txn-emails-with-complaints-grouped-by-date', points: days.map((d, i) => [d, (i * 31) % 5]) },
        ];
      }
      case 'estate_resource': {
        const r = args.resource;
        const evidence = blueprint().assessment.findings.filter((f) => f.resource.id === r.id && f.resource.kind === r.kind).flatMap((f) => f.evidence);
        return { ...r, raw: { Id: r.id, Name: r.name, ...Object.fromEntries(evidence.map((e) => [e.field, e.value])) } };
      }
      case 'blueprint':
        if (!state.scans.some((x) => x.status === 'complete' || x.status === 'complete_with_gaps')) {
          fail('invalid_input', 'invalid scan: this engagement has no finished scan yet: run `pinshift scan` first');
        }
        return blueprint();
      case 'rename_client': {
        const c = blueprint().assessment.clients.find((x) => x.client.id === args.client);
        if (!c) fail('invalid_input', `invalid client: no client "${args.client}"`);
        c.client.name = args.name;
        for (const plan of blueprint().clients.filter((x) => x.client === args.client)) plan.name = args.name;
        return null;
      }
      case 'assign_projects': {
        if (!/^[a-z0-9][a-z0-9-]{0,47}$/.test(args.into)) fail('invalid_input', `invalid client: "${args.into}" must be 1–48 lowercase letters, digits and hyphens (it names target resources)`);
        const bp = blueprint();
        for (const key of args.projects) {
          const keyOf = (p) => `${p.account_id}/${p.region}/${p.project_id}`;
          const from = bp.assessment.clients.find((c) => c.client.projects.some((p) => keyOf(p) === key));
          if (!from) fail('invalid_input', `invalid project: no project "${key}" in this scan`);
          const project = from.client.projects.find((p) => keyOf(p) === key);
          from.client.projects = from.client.projects.filter((p) => p !== project);
          let into = bp.assessment.clients.find((c) => c.client.id === args.into);
          if (!into) {
            into = structuredClone(from);
            into.client = { ...into.client, id: args.into, name: args.into, projects: [] };
            bp.assessment.clients.push(into);
            const plan = bp.clients.find((p) => p.client === from.client.id);
            if (plan) bp.clients.push({ ...structuredClone(plan), client: args.into, name: args.into });
          }
          into.client.projects.push(project);
          if (from.client.projects.length === 0) {
            bp.assessment.clients = bp.assessment.clients.filter((c) => c !== from);
            bp.clients = bp.clients.filter((p) => p.client !== from.client.id);
          }
        }
        return null;
      }
      case 'set_plan': {
        const plan = blueprint().clients.find((x) => x.client === args.client);
        if (!plan) fail('invalid_input', `invalid client: no client "${args.client}"`);
        const c = args.choice;
        if (c.tenant_name !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(c.tenant_name)) fail('invalid_input', `invalid tenant_name: "${c.tenant_name}" must be 1–64 letters, digits, hyphens and underscores`);
        if (c.topology) Object.assign(plan.connect, { topology: c.topology, overridden: true, reason: 'chosen by a reviewer' });
        for (const ses of plan.ses) {
          if (c.reputation) Object.assign(ses, { reputation_policy: c.reputation, reputation_reason: 'chosen by a reviewer' });
          if (c.tenant_name) ses.tenant_name = c.tenant_name;
        }
        return null;
      }
      case 'attribute': {
        const a = blueprint().assessment.attributions.find((x) => x.key === args.resource);
        if (!a) fail('invalid_input', `invalid resource: no account-level resource "${args.resource}" in this scan`);
        if (a.resource.kind === 'phone_number' && args.clients.length > 1) {
          fail('invalid_input', `invalid clients: phone number ${a.resource.name} can be in only one pool, so only one client can own it (asked: ${args.clients.join(', ')})`);
        }
        a.status = args.accept ? 'confirmed' : 'overridden';
        if (!args.accept) a.clients = [...args.clients].sort();
        return null;
      }
      case 'record_decision': {
        const d = blueprint().decisions.find((x) => x.id === args.id);
        if (!d) fail('invalid_input', `invalid decision: no decision "${args.id}"`);
        if (args.update.due && !/^\d{4}-\d{2}-\d{2}$/.test(args.update.due)) fail('invalid_input', `invalid due: "${args.update.due}" is not a date like 2026-12-15`);
        Object.assign(d, args.update, { updated_by: args.by, updated_at: '2026-11-23T12:00:00Z' });
        return null;
      }
      case 'save_blueprint':
        state.versions = [...(state.versions ?? []), { version: (state.versions?.length ?? 0) + 1, scan_id: demoScan.id, created_at: '2026-11-23T12:00:00Z', created_by: args.by, note: args.note, digest: 'f'.repeat(64) }];
        return state.versions.length;
      case 'blueprint_versions':
        return { versions: state.versions ?? [], sign_offs: state.signOffs ?? [] };
      case 'sign_off': {
        const signed = { client: args.client, version: args.version, signed_by: args.by, signed_at: '2026-11-23T12:05:00Z', note: args.note, open_decisions: 0 };
        state.signOffs = [...(state.signOffs ?? []), signed];
        return signed;
      }
      case 'blueprint_drift': {
        const signed = (state.signOffs ?? []).filter((x) => x.client === args.client).at(-1);
        return signed ? [{ client: args.client, signed_version: signed.version, signed_scan: demoScan.id, current_scan: demoScan.id, resources: [], findings_added: [], findings_removed: [], plan_changes: [] }] : [];
      }
      case 'translation': {
        // real translations of the demo estate (window.__DEMO_TRANSLATIONS__), by kind, name or id, and target
        const q = args.query;
        const sameTarget = (t) => t.service === q.target.service && (t.service === 'connect' || t.paths === q.target.paths);
        const found = (window.__DEMO_TRANSLATIONS__ ?? []).find((r) => {
          if (r.kind !== q.kind) return false;
          const t = r.translation;
          if (r.kind === 'template') return t.name === q.name && sameTarget(t.target);
          return [t.segment_id, t.campaign_id, t.journey_id, t.name].includes(q.name);
        });
        if (!found) fail('invalid_input', `invalid ${q.kind}: the scan has no ${q.kind} "${q.name}" translated for this test`);
        return structuredClone(found);
      }
      case 'export_report':
        window.__fakeReports = [...(window.__fakeReports ?? []), args];
        return [args.path];
      case 'start_scan': {
        if (state.scan) fail('invalid_input', 'invalid scan: a scan is already running in this window', 'wait for it to finish, or stop it');
        window.__fakeScan.lastRequest = args.request;
        // A resumed scan keeps its id (and replaces its row); a new one gets the next.
        const resumed = args.request.resume ? state.scans.find((x) => x.status === 'cancelled') : undefined;
        const id = resumed?.id ?? `c0ffee00-5ca1-4e00-8000-00000000000${state.scans.length + 1}`;
        state.scans = state.scans.filter((x) => x.id !== id);
        state.scan = { id, channel: args.events };
        const send = (event) => state.scan?.channel.onmessage(event);
        setTimeout(() => {
          send(resumed ? { event: 'resuming', scan_id: id } : { event: 'started', scan_id: id, targets: 1 });
          send({ event: 'connected', connection: 'northwind', account_id: '444444444444', arn: 'arn:aws:iam::444444444444:user/consultant' });
          send({ event: 'planned', total: 1 });
          send({ event: 'progress', done: 1, total: 13, target, resources: 0, issues: 0, pressure: { throttled: 0, failed_attempts: 0 } });
          send({ event: 'progress', done: 2, total: 13, target, resources: 171, issues: 0, pressure: { throttled: 4, failed_attempts: 0 } });
          PROJECTS.slice(0, 6).forEach((project, i) => send({ event: 'progress', done: 3 + i, total: 13, target, project, resources: 30 + i, issues: 0, pressure: { throttled: 12 + i, failed_attempts: 1 } }));
        }, 50);
        return null;
      }
      case 'cancel_scan':
        if (!state.scan) return false;
        setTimeout(() => endScan(scanSummary('cancelled', 0)), 50);
        return true;
      case 'current_engagement':
        return state.engagement;
      case 'plugin:dialog|save': {
        const suggested = args.options?.defaultPath ?? '';
        return suggested.startsWith('blueprint.') ? `/home/consultant/reports/${suggested}` : '/home/consultant/engagements/acme-retail.pinshift';
      }
      case 'plugin:dialog|open':
        return '/home/consultant/engagements/acme-retail.pinshift';
      case 'create_engagement':
      case 'open_engagement':
        state.engagement = engagementInfo(args.path);
        return state.engagement;
      case 'try_demo':
        state.engagement = { ...engagementInfo('/home/consultant/.local/share/dev.pinshift.desktop/demo.pinshift'), name: 'Demo BPO' };
        if (!state.connections.some((c) => c.name === 'demo-bpo')) {
          state.connections.push({ name: 'demo-bpo', kind: 'access_key', access_key_id: 'AKIADEMONORTHWIND001', region: 'us-east-1', endpoint_url: 'http://127.0.0.1:40123', created_at: '2026-11-23T09:00:00Z' });
          state.secrets['demo-bpo'] = true;
        }
        return state.engagement;
      case 'close_engagement':
        state.engagement = null;
        return null;
      case 'list_connections':
        return state.connections.map((c) => ({
          ...c,
          secret: c.kind === 'access_key' ? (state.secrets[c.name] ? 'present' : 'missing') : 'not_needed',
        }));
      case 'add_connection': {
        const c = args.connection;
        if (state.connections.some((x) => x.name === c.name)) {
          fail('already_exists', `a connection named "${c.name}" already exists`, 'choose another name, or remove the old connection first');
        }
        if (c.kind === 'assume_role' && !/^arn:aws:iam::\d{12}:role\/.+/.test(c.role_arn)) {
          fail('invalid_input', `invalid role ARN: "${c.role_arn}" is not like arn:aws:iam::123456789012:role/Name`);
        }
        if (args.secret) state.secrets[c.name] = true;
        const summary = { ...c, created_at: '2026-11-23T09:05:00Z' };
        state.connections.push(summary);
        return { ...summary, secret: args.secret ? 'present' : 'not_needed' };
      }
      case 'remove_connection':
        state.connections = state.connections.filter((c) => c.name !== args.name);
        return null;
      case 'test_connection': {
        const c = state.connections.find((x) => x.name === args.name);
        if (!c) fail('not_found', `no connection named "${args.name}"`);
        if (c.kind === 'assume_role') {
          return { connection: c.name, account: '222222222222', arn: `arn:aws:sts::222222222222:assumed-role/PinshiftScan/pinshift-${c.name}`, user_id: 'AROA:x' };
        }
        if (c.profile === 'expired') {
          fail('aws', 'could not load credentials for connection "' + c.name + '": the SSO session has expired', 'for a profile, check ~/.aws/config (for SSO run `aws sso login --profile NAME`)');
        }
        return { connection: c.name, account: '111111111111', arn: 'arn:aws:iam::111111111111:user/consultant', user_id: 'AIDAEXAMPLE' };
      }
      default:
        fail('internal', `the fake back end does not know ${cmd}`);
    }
  });
}
