/**
 * Opening one comment of the story: the one a link names (#parley-comment-<id>, from a mail or
 * another article's bell) or a notification chosen in the bell's list. A comment not on the loaded
 * pages is fetched with the comments it answers (GET /comments/:id/context) and pinned: its thread
 * shows first in the list, with only the way down to it, until the reader asks for the whole
 * discussion (which loads each of those comments' replies) or another comment is opened. Paging
 * through the story until it turns up would cost a request per 20 comments, and never end on a
 * story with thousands; the context costs one. Then the comment is scrolled into view (at once when
 * the reader prefers reduced motion), focused, and highlighted for a few seconds.
 */
import type { CommentData } from '../api/types.js';
import { Emitter } from '../state/emitter.js';
import { COMMENT_HASH } from '../state/features.js';
import type { Widget } from '../ui/widget-context.js';
import type { NotifyApi } from './api.js';

export const LINKED = 'linked';
const HIGHLIGHT_MS = 6000;
/** How long to wait for the widget to show a comment it was given (in steps of STEP_MS). */
const WAIT_STEPS = 100;
const STEP_MS = 20;

export interface LinkedState {
  readonly id: string;
  readonly status: 'loading' | 'shown' | 'gone' | 'failed';
  /** The comments fetched and pinned for it (its ancestors and itself), root first. */
  readonly pinned: readonly string[];
}

export class Linked extends Emitter<typeof LINKED> {
  state: LinkedState | null = null;
  private highlighted: { element: Element; timer: number } | null = null;
  private followed: string | null = null;

  constructor(
    private readonly host: Widget,
    private readonly api: NotifyApi,
    /** Where the widget's comments are rendered. */
    private readonly root: ParentNode,
  ) {
    super();
  }

  /** Opens the comment; resolves to whether the reader may see it here. */
  async open(id: string): Promise<boolean> {
    const { store } = this.host;
    this.set({ id, status: 'loading', pinned: [] });
    let pinned: string[] = [];
    if (!store.entry(id)) {
      let comments: CommentData[];
      try {
        const { comment, ancestors } = await this.api.context(id);
        comments = [...ancestors, comment];
      } catch (failure) {
        this.set({ id, status: isRefusal(failure) ? 'gone' : 'failed', pinned: [] });
        return false;
      }
      const story = store.story;
      const last = comments[comments.length - 1] as CommentData;
      if (!story || (last.storyId && last.storyId !== story.id)) {
        this.set({ id, status: 'gone', pinned: [] });
        return false;
      }
      pinned = comments.filter((comment) => !store.entry(comment.id)).map(({ id }) => id);
      store.pin(comments);
    }
    if (this.state?.id !== id) return true;
    this.set({ id, status: 'shown', pinned });
    const article = await this.rendered(id);
    if (article && this.state?.id === id) this.reveal(article);
    return true;
  }

  /** Opens the comment the page's address names, unless it was the last one followed so. */
  followHash(): string | null {
    const id = (COMMENT_HASH.exec(location.hash) || [])[1] || null;
    if (id && id !== this.followed) void this.open(id);
    this.followed = id;
    return id;
  }

  /** Loads the replies of every comment pinned for the link, then lets reloads forget the pin. */
  async showWhole(): Promise<void> {
    const { store, thread } = this.host;
    const state = this.state;
    if (!state) return;
    for (const id of state.pinned) {
      if (store.entry(id)?.repliesCursor === '') await thread.loadReplies(id);
    }
    store.pin([]);
    this.set({ ...state, pinned: [] });
  }

  /** Forgets the link (its notice goes); what it showed stays until the next reload. */
  dismiss(): void {
    this.host.store.pin([]);
    this.set(null);
  }

  private async rendered(id: string): Promise<HTMLElement | null> {
    const selector = `[data-comment-id="${CSS.escape(id)}"]`;
    for (let step = 0; step < WAIT_STEPS; step++) {
      const element = this.root.querySelector<HTMLElement>(selector);
      if (element) return element;
      await new Promise((resolve) => setTimeout(resolve, STEP_MS));
    }
    return null;
  }

  private reveal(article: HTMLElement): void {
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (this.highlighted) {
      clearTimeout(this.highlighted.timer);
      this.highlighted.element.removeAttribute('data-linked');
    }
    // An attribute, not a class: the widget's own renders leave attributes they do not set alone.
    article.setAttribute('data-linked', '');
    article.focus({ preventScroll: true });
    article.scrollIntoView({ block: 'center', behavior: still ? 'auto' : 'smooth' });
    const timer = window.setTimeout(() => {
      article.removeAttribute('data-linked');
      this.highlighted = null;
    }, HIGHLIGHT_MS);
    this.highlighted = { element: article, timer };
  }

  private set(state: LinkedState | null): void {
    this.state = state;
    this.emit(LINKED);
  }
}

/**
 * The server will not show the comment to this viewer, or it is not there. (The widget's ApiError
 * is another copy of the class in this module: its status is read, not its class.)
 */
function isRefusal(failure: unknown): boolean {
  const status = (failure as { status?: unknown } | null)?.status;
  return status === 404 || status === 403;
}
