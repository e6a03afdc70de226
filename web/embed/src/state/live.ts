/**
 * Live updates of the open story (docs/live.md): its event stream through EventSource, which
 * reconnects by itself with Last-Event-ID. Each event changes the one comment it names in the
 * ThreadStore; new top-level comments of others wait behind the "new comments" button, announced
 * politely (at most every ANNOUNCE_GAP_MS). The signed-in viewer's token goes in the URL, so
 * authors hear of their held comments and moderators of everyone's. Another viewer reconnects the
 * stream; a refreshed token of the same viewer does not (the server checked the viewer when the
 * stream opened), but the next reconnection uses it rather than the expired one.
 *
 * A stream the server refuses (429, 503, live updates turned off) or a browser without
 * EventSource falls back to polling the story's count every 30 to 60 s; a grown count offers the
 * same button, which then reloads the first page. The stream (or the poll) stops while the page
 * has been hidden for HIDDEN_CLOSE_MS and resumes, after the last event heard, once it is visible
 * again; everything stops when the widget leaves the page. The viewer's own `notification` events
 * are handed to the notification features (features.ts).
 */
import type { ApiClient } from '../api/client.js';
import type { CommentData, NotificationEvent } from '../api/types.js';
import type { Features } from './features.js';
import { Session } from './session.js';
import type { ThreadActions } from './thread-actions.js';
import type { ThreadStore } from './thread-store.js';

const HIDDEN_CLOSE_MS = 60_000;
const POLL_MS = 30_000;
/** While polling, the stream is tried again every this many polls (5 to 10 minutes). */
const STREAM_RETRY_POLLS = 10;
const ANNOUNCE_GAP_MS = 10_000;

export interface LiveOptions {
  /** Tells the reader how many new comments wait (through the polite live region). */
  readonly announce: (count: number) => void;
  /** Whether the widget is still on the page. */
  readonly attached: () => boolean;
}

interface RemovedData {
  readonly id: string;
  readonly comment: CommentData | null;
}

/** Starts live updates of the loaded story; returns the function that stops them. */
export function startLive(
  api: ApiClient,
  store: ThreadStore,
  session: Session,
  thread: ThreadActions,
  { announce, attached }: LiveOptions,
  features: Features,
): () => void {
  const storyId = store.story!.id;
  const streams = typeof EventSource === 'function';
  let source: EventSource | null = null;
  let lastEventId = '';
  let polling = !streams;
  let polls = 0;
  let paused = false;
  const viewerId = () => session.user && session.user.id;
  let viewer = viewerId();
  let token = session.token;
  /** The token in the open stream's URL. */
  let streamToken = token;
  let pollTimer = 0;
  let hiddenTimer = 0;
  let announceTimer = 0;
  let announcedAt = 0;

  const close = () => {
    if (source) source.close();
    source = null;
  };

  const scheduleAnnouncement = () => {
    if (announceTimer) return;
    announceTimer = window.setTimeout(
      () => {
        announceTimer = 0;
        announcedAt = Date.now();
        if (store.newCount) announce(store.newCount);
      },
      Math.max(1000, announcedAt + ANNOUNCE_GAP_MS - Date.now()),
    );
  };

  const handlers: Record<string, (data: never) => void> = {
    'comment.created': onComment(true),
    'comment.approved': onComment(true),
    'comment.updated': onComment(false),
    'comment.removed': ({ id, comment }: RemovedData) => store.discard(id, comment),
    reactions: ({ commentId, reactionCount }: { commentId: string; reactionCount: number }) =>
      store.setReactionCount(commentId, reactionCount),
    count: ({ commentCount }: { commentCount: number }) => store.setCommentCount(commentCount),
    reset: () => void thread.reload().catch(() => undefined),
    // Carries the story's current event number as its id, to resume from if nothing else comes.
    ready: () => undefined,
    // To the signed-in viewer only, without an id (not replayed): for the bell (features.ts).
    notification: (event: NotificationEvent) => features.notified(event),
  };

  function onComment(isNew: boolean) {
    return ({ comment }: { comment: CommentData }) => {
      if (store.receive(comment, isNew)) scheduleAnnouncement();
    };
  }

  const open = () => {
    close();
    if (polling || paused) return;
    streamToken = session.token;
    const stream = new EventSource(api.eventsUrl(storyId, lastEventId));
    source = stream;
    // A Q&A story's events are the Q&A feature's, which listens on the stream itself.
    features.opened(stream);
    for (const [name, handle] of Object.entries(handlers)) {
      stream.addEventListener(name, (event) => {
        const { data, lastEventId: id } = event as MessageEvent<string>;
        if (id) lastEventId = id;
        try {
          handle(JSON.parse(data) as never);
        } catch {
          // An event this version does not understand changes nothing.
        }
      });
    }
    stream.onerror = () => {
      // EventSource retries lost connections itself, with the URL it has: not with an old token.
      if (streamToken !== session.token) return open();
      // It gives up on a refusal (any non-200).
      if (stream.readyState === EventSource.CLOSED) {
        polling = true;
        close();
        void poll();
      }
    };
  };

  const poll = async () => {
    const known = store.story;
    if (!polling || paused || !known) return;
    const answer = await api.getStory(storyId).catch(() => null);
    if (answer && store.story === known)
      store.setUnseen(answer.story.commentCount - known.commentCount);
  };

  const tick = () => {
    pollTimer = window.setTimeout(
      () => {
        if (!attached()) return stop();
        if (polling && streams && ++polls % STREAM_RETRY_POLLS === 0) {
          polling = false;
          open();
        } else void poll();
        tick();
      },
      POLL_MS * (1 + Math.random()),
    );
  };

  const onVisibility = () => {
    clearTimeout(hiddenTimer);
    if (document.hidden) {
      hiddenTimer = window.setTimeout(() => {
        paused = true;
        close();
      }, HIDDEN_CLOSE_MS);
    } else if (paused) {
      paused = false;
      open();
      void poll();
    }
  };

  // Signing in or out changes what the stream may carry: reconnect with the new token. A refreshed
  // token of the same viewer keeps an open stream, and reopens one refused for the expired token.
  const unsubscribe = session.subscribe(Session.key, () => {
    const refreshed = session.token !== token;
    token = session.token;
    if (viewerId() === viewer && (source || !refreshed)) return;
    viewer = viewerId();
    if (streams && !paused) {
      polling = false;
      open();
    }
  });

  function stop() {
    close();
    paused = true;
    [pollTimer, hiddenTimer, announceTimer].forEach((timer) => clearTimeout(timer));
    document.removeEventListener('visibilitychange', onVisibility);
    unsubscribe();
  }

  document.addEventListener('visibilitychange', onVisibility);
  onVisibility();
  open();
  tick();
  return stop;
}
