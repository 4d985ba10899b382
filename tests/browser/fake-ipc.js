// A fake Pinshift back end for browser tests, installed with @tauri-apps/api's mockIPC. It answers the
// commands the UI calls the way the Rust commands do (same shapes, `{code, message, hint}` errors), so the
// unmodified production build runs in Chromium.
// eslint-disable-next-line no-unused-vars
function installFakePinshift(mockIPC) {
  const state = { engagement: null, connections: [], secrets: {} };
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
  mockIPC((cmd, args) => {
    switch (cmd) {
      case 'app_info':
        return { version: '0.1.0', schema_version: 1, data_dir: '/home/consultant/.local/share/dev.pinshift.desktop', log_dir: '/home/consultant/.local/share/dev.pinshift.desktop/logs' };
      case 'current_engagement':
        return state.engagement;
      case 'plugin:dialog|save':
        return '/home/consultant/engagements/acme-retail.pinshift';
      case 'plugin:dialog|open':
        return '/home/consultant/engagements/acme-retail.pinshift';
      case 'create_engagement':
      case 'open_engagement':
        state.engagement = engagementInfo(args.path);
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
