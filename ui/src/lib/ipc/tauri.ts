// The Backend over Tauri IPC. The only module (with the dialog calls) that imports @tauri-apps/*.
import { Channel, invoke } from '@tauri-apps/api/core';
import { open, save } from '@tauri-apps/plugin-dialog';

import type { ScanEvent } from './bindings';
import { BackendError, type Backend } from './client';
import type { Command, Commands } from './commands';

const FILTERS = [{ name: 'Pinshift engagement', extensions: ['pinshift'] }];

/** One command, typed by the IPC contract; failures become `BackendError`s. */
async function call<C extends Command>(
  command: C,
  ...args: Commands[C]['args'] extends Record<string, never> ? [] : [Commands[C]['args']]
): Promise<Commands[C]['reply']> {
  try {
    return await invoke<Commands[C]['reply']>(command, args[0] as Record<string, unknown> | undefined);
  } catch (error) {
    throw BackendError.from(error);
  }
}

export const tauriBackend: Backend = {
  appInfo: () => call('app_info'),
  currentEngagement: () => call('current_engagement'),
  createEngagement: (path, name) => call('create_engagement', { path, name: name ?? null }),
  openEngagement: (path) => call('open_engagement', { path }),
  closeEngagement: () => call('close_engagement').then(() => undefined),
  tryDemo: () => call('try_demo'),
  listConnections: () => call('list_connections'),
  addConnection: (connection, secret) => call('add_connection', { connection, secret: secret ?? null }),
  removeConnection: (name) => call('remove_connection', { name }).then(() => undefined),
  testConnection: (name, region) => call('test_connection', { name, region: region ?? null }),
  async startScan(request, onEvent) {
    const events = new Channel<ScanEvent>();
    events.onmessage = onEvent;
    await call('start_scan', { request, events });
  },
  cancelScan: () => call('cancel_scan'),
  listScans: () => call('list_scans'),
  scanIssues: (scanId) => call('scan_issues', { scanId }),
  iamPolicy: (audience) => call('iam_policy', { audience }),
  estateTree: (scanId) => call('estate_tree', { scanId }),
  estatePage: (scanId, query) => call('estate_page', { scanId, query }),
  estateResource: (scanId, resource) => call('estate_resource', { scanId, resource }),
  projectKpis: (scanId, accountId, region, projectId) =>
    call('project_kpis', { scanId, accountId, region, projectId }),
  blueprint: () => call('blueprint', { scan: null }),
  renameClient: (client, name) => call('rename_client', { client, name }).then(() => undefined),
  assignProjects: (into, projects) => call('assign_projects', { into, projects }).then(() => undefined),
  attribute: (resource, clients, accept) =>
    call('attribute', { resource, clients, accept }).then(() => undefined),
  setTenancy: (client, change) => call('set_tenancy', { client, change }).then(() => undefined),
  recordDecision: (id, update, by) => call('record_decision', { id, update, by }).then(() => undefined),
  saveBlueprint: (by, note) => call('save_blueprint', { by, note }),
  blueprintVersions: () => call('blueprint_versions'),
  signOff: (client, version, by, note) => call('sign_off', { client, version, by, note }),
  blueprintDrift: (client) => call('blueprint_drift', { client }),
  translation: (query) => call('translation', { query }),
  exportReport: (format, path, version) => call('export_report', { format, path, version }),
  async chooseReportPath(format) {
    if (format === 'csv' || format === 'cloudformation') {
      const path = await open({ title: 'Choose a folder for the report', directory: true, multiple: false });
      return typeof path === 'string' ? path : null;
    }
    const extension = format === 'md' ? 'md' : format;
    const path = await save({
      title: 'Save report',
      defaultPath: `blueprint.${extension}`,
      filters: [{ name: format.toUpperCase(), extensions: [extension] }],
    });
    return path ?? null;
  },
  async chooseEngagementToOpen() {
    const path = await open({
      title: 'Open engagement',
      multiple: false,
      directory: false,
      filters: FILTERS,
    });
    return typeof path === 'string' ? path : null;
  },
  async chooseEngagementToCreate() {
    const path = await save({
      title: 'New engagement',
      defaultPath: 'engagement.pinshift',
      filters: FILTERS,
    });
    if (!path) return null;
    return path.endsWith('.pinshift') ? path : `${path}.pinshift`;
  },
};
