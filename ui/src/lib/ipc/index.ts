import { getContext, setContext } from 'svelte';

import type { Backend } from './client';

export { BackendError } from './client';
export type * from './client';

const KEY = Symbol('backend');

/** Makes `backend` available to every component below the caller. */
export function provideBackend(backend: Backend): void {
  setContext(KEY, backend);
}

export function useBackend(): Backend {
  const backend = getContext<Backend | undefined>(KEY);
  if (!backend) throw new Error('no Backend provided: wrap the component in the App root');
  return backend;
}
