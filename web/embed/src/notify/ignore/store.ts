/**
 * The readers the signed-in reader ignores (docs/profiles.md, "Ignore"): kept on the server, so
 * that every device of theirs collapses the same comments, and read here once when a reader signs
 * in and again after each change they make. It is the reader's own (GET /me/ignores, never part of
 * the thread pages the widget shares with other readers). One per widget.
 */
import type { ApiClient } from '../../api/client.js';
import { Emitter } from '../../state/emitter.js';
import type { Widget } from '../../ui/widget-context.js';

export const IGNORES = 'ignores';
/** The widget's Session emitter key (its class stays in embed.js). */
const SESSION = 'session' as const;

export interface IgnoredReader {
  readonly userId: string;
  readonly displayName: string;
  readonly avatarUrl: string | null;
  readonly since: string;
}

export class Ignores extends Emitter<typeof IGNORES> {
  /** The ignored readers' ids (a new set after each change). */
  ids: ReadonlySet<string> = new Set();
  items: readonly IgnoredReader[] = [];
  private viewer: string | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly signedIn: () => string | null,
    /** The story's site: only its newsroom cannot be ignored (docs/profiles.md). */
    private readonly siteId: () => string | undefined,
  ) {
    super();
  }

  /** Reads the list when the viewer changed (signed in, out, or as someone else). */
  follow(): void {
    const now = this.signedIn();
    if (now === this.viewer) return;
    this.viewer = now;
    this.set([]);
    if (now) void this.load().catch(() => undefined);
  }

  async load(): Promise<void> {
    const asked = this.viewer;
    const { items } = await this.api.call<{ items: IgnoredReader[] }>('GET', '/me/ignores');
    if (asked === this.viewer) this.set(items);
  }

  async ignore(userId: string): Promise<void> {
    const site = this.siteId();
    const query = site ? `?siteId=${encodeURIComponent(site)}` : '';
    await this.api.call('PUT', `/me/ignores/${encodeURIComponent(userId)}${query}`);
    await this.load();
  }

  async unignore(userId: string): Promise<void> {
    await this.api.call('DELETE', `/me/ignores/${encodeURIComponent(userId)}`);
    await this.load();
  }

  private set(items: readonly IgnoredReader[]): void {
    this.items = items;
    this.ids = new Set(items.map((item) => item.userId));
    this.emit(IGNORES);
  }
}

const made = new WeakMap<Widget, Ignores>();

/** The widget's list, made (and following its viewer) the first time it is asked for. */
export function ignoresOf(host: Widget): Ignores {
  let ignores = made.get(host);
  if (!ignores) {
    const { session, store } = host;
    const list = new Ignores(
      host.api,
      () => (session.user ? session.user.id : null),
      () => store.story?.siteId,
    );
    session.subscribe(SESSION, () => list.follow());
    list.follow();
    made.set(host, list);
    ignores = list;
  }
  return ignores;
}
