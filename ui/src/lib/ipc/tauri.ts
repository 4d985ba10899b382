// The Backend over Tauri IPC. The only module (with the dialog calls) that imports @tauri-apps/*.
import { Channel, invoke } from '@tauri-apps/api/core';
import { open, save } from '@tauri-apps/plugin-dialog';

import type { ScanEvent } from './bindings';
import { BackendError, type Backend } from './client';

const FILTERS = [{ name: 'Pinshift engagement', extensions: ['pinshift'] }];

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw BackendError.from(error);
  }
}

export const tauriBackend: Backend = {
  appInfo: () => call('app_info'),
  currentEngagement: () => call('current_engagement'),
  createEngagement: (path, name) => call('create_engagement', { path, name: name ?? null }),
  openEngagement: (path) => call('open_engagement', { path }),
  closeEngagement: () => call('close_engagement'),
  listConnections: () => call('list_connections'),
  addConnection: (connection, secret) => call('add_connection', { connection, secret: secret ?? null }),
  removeConnection: (name) => call('remove_connection', { name }),
  testConnection: (name, region) => call('test_connection', { name, region: region ?? null }),
  startScan(request, onEvent) {
    const events = new Channel<ScanEvent>();
    events.onmessage = onEvent;
    return call('start_scan', { request, events });
  },
  cancelScan: () => call('cancel_scan'),
  listScans: () => call('list_scans'),
  scanIssues: (scanId) => call('scan_issues', { scanId }),
  iamPolicy: (audience) => call('iam_policy', { audience }),
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
