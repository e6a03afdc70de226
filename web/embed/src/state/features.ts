/**
 * The notification features (the bell and its list, the reader's mail settings, the offer to be
 * emailed, @mention suggestions, links to a comment) live in a module of their own,
 * web/embed/src/notify, built per language into notify/<lang>.<version>.js beside embed.js:
 * embed.js has a first-paint budget, and most readers of a story are not signed in. The module
 * is imported once a reader is signed in, or as soon as the page's address names a comment
 * (#parley-comment-<id>); until then the places it fills (ui/Slot.tsx) stay empty. A module that
 * cannot be loaded leaves the widget as it was.
 *
 * The story stream's `notification` events (sent to their recipient only) come through here, and
 * word of each comment posted from a form of the widget, so that the module hears of them.
 */
import type { NotificationEvent } from '../api/types.js';
import { Emitter } from './emitter.js';
import { Session } from './session.js';

export const LOADED = 'loaded';
export const NOTIFIED = 'notified';
export const POSTED = 'posted';
/** What a link to a comment ends with. */
export const COMMENT_HASH = /^#parley-comment-([\w-]{1,64})$/;

/** What the module exports: each feature is rendered by a Preact of its own into `element`. */
export interface FeatureModule {
  /** Renders the feature `name` into `element` for the widget `host`; returns its removal. */
  readonly mount: (name: string, element: HTMLElement, host: object) => () => void;
}

export class Features extends Emitter<typeof LOADED | typeof NOTIFIED | typeof POSTED> {
  module: FeatureModule | null = null;
  /** The last `notification` event heard. */
  last: NotificationEvent | null = null;
  /** The form of the last comment posted (or edit saved), which may have left the page since. */
  postedFrom: HTMLFormElement | null = null;
  private url = '';

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

  notified(event: NotificationEvent): void {
    this.last = event;
    this.emit(NOTIFIED);
  }

  posted(form: HTMLFormElement | null): void {
    this.postedFrom = form;
    this.emit(POSTED);
  }

  private load(): void {
    const url = this.url;
    if (!url) return;
    this.url = '';
    import(url).then(
      (loaded: { default: FeatureModule }) => {
        this.module = loaded.default;
        this.emit(LOADED);
      },
      () => undefined,
    );
  }
}
