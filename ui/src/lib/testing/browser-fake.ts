// The fake back end for browser tests, bundled (rolldown) into one script the test injects before the
// production build's own: it installs the one fake (fake-pinshift.ts) with mockIPC and exposes it on
// `window.__fake` so a test can finish a scripted scan or make the engagement busy.
import { mockIPC } from '@tauri-apps/api/mocks';

import { FakePinshift } from './fake-pinshift';

declare global {
  interface Window {
    __SCANNED__?: boolean;
    __BLUEPRINT_CLIENTS__?: number;
    __fake?: FakePinshift;
  }
}

const fake = new FakePinshift({
  scanned: window.__SCANNED__ ?? false,
  clients: window.__BLUEPRINT_CLIENTS__,
  scriptedScan: true,
  scriptedDialogs: true,
});
mockIPC(fake.handle);
window.__fake = fake;
