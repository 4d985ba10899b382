// The production client (tauri.ts) over the one fake back end (fake-pinshift.ts), for unit tests: the fake
// answers at the IPC level through @tauri-apps/api's mockIPC, so tests exercise the same command names and
// argument shapes the desktop sends.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';

import type { Backend } from '$lib/ipc/client';
import { tauriBackend } from '$lib/ipc/tauri';

import { FakePinshift, type FakeOptions } from './fake-pinshift';

export { DEMO_SCAN, demoKpis, FakePinshift } from './fake-pinshift';

/** A fresh fake installed as the IPC back end; `backend` is the client features use. */
export function fakeBackend(options: FakeOptions = {}): { backend: Backend; fake: FakePinshift } {
  clearMocks();
  const fake = new FakePinshift(options);
  mockIPC(fake.handle);
  return { backend: tauriBackend, fake };
}
