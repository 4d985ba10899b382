import {
  BackendError,
  type Backend,
  type CallerIdentity,
  type ConnectionSummary,
  type NewConnection,
} from '$lib/ipc';

export type TestResult =
  | { status: 'running' }
  | { status: 'ok'; identity: CallerIdentity }
  | { status: 'failed'; error: BackendError };

/** The engagement's connections, with the outcome of the last test of each. */
export class ConnectionsState {
  items = $state<ConnectionSummary[]>([]);
  loading = $state(false);
  loaded = $state(false);
  error = $state<BackendError | null>(null);
  tests = $state<Record<string, TestResult>>({});

  constructor(private readonly backend: Backend) {}

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      this.items = await this.backend.listConnections();
      this.loaded = true;
    } catch (error) {
      this.error = BackendError.from(error);
    } finally {
      this.loading = false;
    }
  }

  /** Adds a connection; returns the error instead of throwing so a form can show it in place. */
  async add(connection: NewConnection, secret?: string): Promise<BackendError | null> {
    try {
      await this.backend.addConnection(connection, secret);
    } catch (error) {
      return BackendError.from(error);
    }
    await this.load();
    return null;
  }

  async remove(name: string): Promise<void> {
    this.error = null;
    try {
      await this.backend.removeConnection(name);
      delete this.tests[name];
    } catch (error) {
      this.error = BackendError.from(error);
    }
    await this.load();
  }

  async test(name: string): Promise<void> {
    this.tests[name] = { status: 'running' };
    try {
      this.tests[name] = { status: 'ok', identity: await this.backend.testConnection(name) };
    } catch (error) {
      this.tests[name] = { status: 'failed', error: BackendError.from(error) };
    }
  }
}
