/**
 * The notification features (the bell and its list, the reader's mail settings, the offer to be
 * emailed, @mention suggestions, links to a comment) and the forms only a signed-in reader uses
 * (the composer, a reply, an edit, a report, the question before deleting) live in a module of
 * their own, web/embed/src/notify, built per language into notify/<lang>.<version>.js beside
 * embed.js: embed.js has a first-paint budget, and most readers of a story are not signed in. The
 * module is imported once a reader is signed in, or as soon as the page's address names a comment
 * (#parley-comment-<id>); until then the places it fills (ui/Slot.tsx) stay empty. A module that
 * cannot be loaded leaves the widget as it was.
 *
 * The story stream's `notification` events (sent to their recipient only) come through here, so
 * that the module hears of them.
 */
import type { CommentData, NotificationEvent } from '../api/types.js';
import { Emitter } from './emitter.js';
import { Session } from './session.js';

export const LOADED = 'loaded';
export const NOTIFIED = 'notified';
/**
 * The story's event stream was opened (again): the Q&A feature (docs/qa.md) listens to its own
 * events on it (`source`).
 */
export const STREAM = 'stream';
/** What a link to a comment ends with. */
export const COMMENT_HASH = /^#parley-comment-([\w-]{1,64})$/;

/** What the module exports: each feature is rendered by a Preact of its own into `element`. */
export interface FeatureModule {
  /** Renders the feature `name` into `element` for the widget `host`; returns its removal. */
  readonly mount: (name: string, element: HTMLElement, host: object, props?: object) => () => void;
}

/** What a comment gives the form opened under it (Slots "reply", "edit", "delete", "report"). */
export interface CommentFormProps {
  readonly comment: CommentData;
  /** Closes the form (which moves focus where it belongs itself). */
  readonly close: () => void;
}

export class Features extends Emitter<typeof LOADED | typeof NOTIFIED | typeof STREAM> {
  module: FeatureModule | null = null;
  /** The last `notification` event heard. */
  last: NotificationEvent | null = null;
  /** The story's open event stream (live.ts). */
  source: EventSource | null = null;
  /** Settles once the module is loaded, or could not be. */
  readonly ready: Promise<void>;
  private settle = (): void => undefined;
  private url = '';

  constructor() {
    super();
    this.ready = new Promise((resolve) => (this.settle = resolve));
  }

  /** Imports the module from `url` once wanted: now, on sign-in, or on a link to a comment. */
  start(url: string, session: Session): void {
    this.url = url;
    const wanted = () => {
      if (session.user || COMMENT_HASH.test(location.hash)) this.load();
    };
    session.subscribe(Session.key, wanted);
    addEventListener('hashchange', wanted);
    wanted();
  }

  opened(stream: EventSource): void {
    this.source = stream;
    this.emit(STREAM);
  }

  notified(event: NotificationEvent): void {
    this.last = event;
    this.emit(NOTIFIED);
  }

  /** Imports the module (once): also as soon as a Q&A story shows, for every reader. */
  load(): void {
    const url = this.url;
    if (!url) return;
    this.url = '';
    // The signed-in reader's forms are in the module: a failed fetch is tried twice more.
    const attempt = (left: number): void => {
      import(url).then(
        (loaded: { default: FeatureModule }) => {
          this.module = loaded.default;
          this.emit(LOADED);
          this.settle();
        },
        () => (left > 0 ? setTimeout(() => attempt(left - 1), 1000) : this.settle()),
      );
    };
    attempt(2);
  }
}
