import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { COMMANDS } from './commands';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const tauri = (path: string) => readFileSync(join(ROOT, 'src-tauri', path), 'utf8');

/** The command names of `tauri::generate_handler![…]` in src-tauri/src/lib.rs. */
function handlers(): string[] {
  const source = tauri('src/lib.rs');
  const list = /generate_handler!\[([^\]]*)\]/.exec(source)?.[1] ?? '';
  return [...list.matchAll(/(?:\w+::)?(\w+)\s*,/g)].map((m) => m[1] ?? '');
}

/** The `COMMANDS` the build script gates (src-tauri/build.rs). */
function gated(): string[] {
  const source = tauri('build.rs');
  const list = /const COMMANDS: &\[&str\] = &\[([^\]]*)\]/.exec(source)?.[1] ?? '';
  return [...list.matchAll(/"(\w+)"/g)].map((m) => m[1] ?? '');
}

/** The app commands the main window's capability allows (`allow-<name>`, dashes for underscores). */
function allowed(): string[] {
  const capability = JSON.parse(tauri('capabilities/main.json')) as { permissions: string[] };
  return capability.permissions
    .filter((p) => p.startsWith('allow-'))
    .map((p) => p.slice('allow-'.length).replaceAll('-', '_'));
}

describe('the IPC contract', () => {
  const contract = [...COMMANDS].sort();

  it('names exactly the commands the Rust side handles, gates and allows', () => {
    expect(handlers().sort()).toEqual(contract);
    expect(gated().sort()).toEqual(contract);
    expect(allowed().sort()).toEqual(contract);
  });

  it('reads the lists it compares (a parser that finds nothing would agree with nothing)', () => {
    expect(handlers().length).toBeGreaterThan(20);
    expect(handlers()).toContain('set_tenancy');
    expect(gated()).toContain('start_scan');
    expect(allowed()).toContain('export_report');
  });
});
