/**
 * What the notification features of one widget share between the places they are rendered (the
 * bell, its list, the comment forms, the linked comment's notice): the reader's notifications and
 * settings, whether the list is open, the linked comment, and the offer to be emailed. Made when
 * the first of them is rendered; follows the widget's viewer (signing in reads the notifications,
 * signing out forgets them) and its live events.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { EmailMode } from '../api/types.js';
import { Emitter } from '../state/emitter.js';
import { NOTIFIED } from '../state/features.js';
import type { Widget } from '../ui/widget-context.js';
import { notifyApi } from './api.js';
import type { NotifyApi } from './api.js';
import type { NotifyMessages } from './i18n/en.js';
import { Inbox } from './inbox.js';
import { Linked } from './linked.js';
import { SettingsStore } from './settings.js';
import { fillText, sentence } from './words.js';

/** The widget's Session emitter key (its class stays in embed.js). */
export const SESSION = 'session';
export const PANEL = 'panel';
export const OFFER = 'offer';

export type PanelView = 'list' | 'settings';

/** Whether the bell's list is open, and showing the notifications or the settings. */
export class Panel extends Emitter<typeof PANEL> {
  open = false;
  view: PanelView = 'list';

  show(view: PanelView = 'list'): void {
    this.open = true;
    this.view = view;
    this.emit(PANEL);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.emit(PANEL);
  }
}

/**
 * The offer to be emailed when someone replies, made in the comment forms of a reader whose mail
 * is off until they first post from one of them (remembered in this browser): a box to tick, never
 * ticked for them. Posting with it ticked turns mail on (immediate).
 */
export class Offer extends Emitter<typeof OFFER> {
  /** The forms that make the offer, and those whose box is ticked. */
  readonly madeIn = new WeakSet<HTMLFormElement>();
  readonly ticked = new WeakSet<HTMLFormElement>();
  private made: string | null = null;

  constructor(private readonly storageKey: (userId: string) => string) {
    super();
  }

  /** Whether the offer was made to this reader in this browser (and they posted since). */
  madeTo(userId: string): boolean {
    if (this.made === userId) return true;
    try {
      return localStorage.getItem(this.storageKey(userId)) !== null;
    } catch {
      return false;
    }
  }

  /** The reader posted from a form that made the offer: it is not made again. */
  markMade(userId: string): void {
    this.made = userId;
    try {
      localStorage.setItem(this.storageKey(userId), '1');
    } catch {
      // Storage may be blocked: the offer then ends with the page.
    }
    this.emit(OFFER);
  }
}

export interface Notify {
  readonly host: Widget;
  readonly t: NotifyMessages;
  readonly api: NotifyApi;
  readonly inbox: Inbox;
  readonly settings: SettingsStore;
  readonly panel: Panel;
  readonly linked: Linked;
  readonly offer: Offer;
  /** Where the widget is rendered (its shadow root). */
  readonly root: ParentNode;
  /** A comment was posted (or an edit saved) from `form`, which may have left the page since. */
  readonly posted: (form: HTMLFormElement | null) => void;
}

export const NotifyContext = createContext<Notify | null>(null);

export function useNotify(): Notify {
  const notify = useContext(NotifyContext);
  if (!notify) throw new Error('Parley: notification feature rendered outside the widget');
  return notify;
}

export function createNotify(host: Widget, t: NotifyMessages, root: ParentNode): Notify {
  const { session, features, announcer } = host;
  const api = notifyApi(host.api);
  const inbox = new Inbox(api, (item) =>
    announcer.announce(fillText(t.announce, { text: sentence(item, t) })),
  );
  const settings = new SettingsStore(api.settings);
  const panel = new Panel();
  const offer = new Offer((userId) => `parley:email-offer:${location.origin}:${userId}`);
  const posted = (form: HTMLFormElement | null) => {
    const user = session.user;
    if (!form || !user || !offer.madeIn.has(form) || offer.madeTo(user.id)) return;
    offer.markMade(user.id);
    // Ticked while mail was off (not turned on elsewhere since).
    if (offer.ticked.has(form) && offered(settings.value?.email)) {
      void settings.save({ email: 'immediate' }).then(
        (saved) =>
          announcer.announce(
            saved.emailConfirmed ? t.optInDone : `${t.optInDone} ${t.unconfirmed}`,
          ),
        () => undefined,
      );
    }
  };
  const notify: Notify = {
    host,
    t,
    api,
    inbox,
    settings,
    panel,
    linked: new Linked(host, api, root),
    offer,
    root,
    posted,
  };

  let viewer = session.user && session.user.id;
  const refresh = () => {
    if (session.user) inbox.refresh().catch(() => undefined);
  };
  session.subscribe(SESSION, () => {
    const now = session.user && session.user.id;
    if (now === viewer) return;
    viewer = now;
    inbox.clear();
    settings.clear();
    panel.close();
    refresh();
  });
  features.subscribe(NOTIFIED, () => {
    if (features.last && session.user) inbox.receive(features.last);
  });
  // The stream is closed while the page is hidden for long, and these events are not replayed.
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && inbox.state.loaded) refresh();
  });
  refresh();
  return notify;
}

/** The offer is made while mail is off. */
export const offered = (email: EmailMode | undefined): boolean => email === 'off';
