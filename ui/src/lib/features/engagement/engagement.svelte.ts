import { BackendError, type Backend, type EngagementInfo } from '$lib/ipc';

/** The open engagement file, and the actions that change it. */
export class EngagementState {
  info = $state<EngagementInfo | null>(null);
  /** The first load is done: until then the app shows neither the welcome screen nor the frame. */
  ready = $state(false);
  busy = $state(false);
  error = $state<BackendError | null>(null);

  constructor(private readonly backend: Backend) {}

  async load(): Promise<void> {
    await this.run(() => this.backend.currentEngagement());
    this.ready = true;
  }

  async openExisting(): Promise<void> {
    const path = await this.backend.chooseEngagementToOpen();
    if (path) await this.run(() => this.backend.openEngagement(path));
  }

  async createNew(): Promise<void> {
    const path = await this.backend.chooseEngagementToCreate();
    if (path) await this.run(() => this.backend.createEngagement(path));
  }

  /** Opens the demo engagement against the local sandbox (started by the back end). */
  async tryDemo(): Promise<void> {
    await this.run(() => this.backend.tryDemo());
  }

  async close(): Promise<void> {
    await this.run(async () => {
      await this.backend.closeEngagement();
      return null;
    });
  }

  dismissError(): void {
    this.error = null;
  }

  private async run(action: () => Promise<EngagementInfo | null>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      this.info = await action();
    } catch (error) {
      this.error = BackendError.from(error);
    } finally {
      this.busy = false;
    }
  }
}
