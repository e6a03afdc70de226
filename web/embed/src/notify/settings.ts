/**
 * The signed-in reader's notification settings (GET and PUT /notifications/settings): read once
 * per reader, when something needs them (the settings form, the offer to be emailed), and replaced
 * by the server's answer to each change.
 */
import type { EmailMode, NotificationKinds, NotificationSettings } from '../api/types.js';
import { Emitter } from '../state/emitter.js';

export const SETTINGS = 'settings';

export interface SettingsChange {
  readonly email?: EmailMode;
  readonly kinds?: NotificationKinds;
}

export interface SettingsApi {
  readonly get: () => Promise<NotificationSettings>;
  readonly put: (change: SettingsChange) => Promise<NotificationSettings>;
}

export class SettingsStore extends Emitter<typeof SETTINGS> {
  value: NotificationSettings | null = null;
  private loading: Promise<NotificationSettings> | null = null;
  private generation = 0;

  constructor(private readonly api: SettingsApi) {
    super();
  }

  /**
   * The reader's settings, asked for once (again after a failure), or afresh (`fresh`: they may
   * have been changed on Your account since).
   */
  load(fresh = false): Promise<NotificationSettings> {
    if (this.value && !fresh) return Promise.resolve(this.value);
    if (!this.loading || fresh) {
      const generation = this.generation;
      this.loading = this.api.get().then(
        (value) => {
          if (generation === this.generation) this.set(value);
          return value;
        },
        (failure: unknown) => {
          if (generation === this.generation) this.loading = null;
          throw failure;
        },
      );
    }
    return this.loading;
  }

  async save(change: SettingsChange): Promise<NotificationSettings> {
    const generation = this.generation;
    const value = await this.api.put(change);
    if (generation === this.generation) this.set(value);
    return value;
  }

  /** Another reader (or none): their settings are asked for when needed. */
  clear(): void {
    this.generation += 1;
    this.loading = null;
    this.value = null;
    this.emit(SETTINGS);
  }

  private set(value: NotificationSettings): void {
    this.value = value;
    this.emit(SETTINGS);
  }
}
