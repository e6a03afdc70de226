/**
 * The queues: the list of queues with live counts and the site/story filter on the left, the
 * chosen queue in the workspace. With the moderators' live feed (state/live-feed.ts) counts arrive
 * as they change; each change of the counts has the queue's first page read again, and a comment
 * newly held is read and added to the open pending queue at once. Without the feed (refused, lost,
 * or no EventSource) counts and the first page are polled every 10 s, and at once when the tab
 * comes back into view. Either way the list is folded without moving the moderator's place (see
 * state/queue-merge.ts): new comments in the pending and reported queues are appended at the end,
 * in the others they wait behind a "new comments" bar. A small indicator says which it is.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, isAbort, type Filters } from '../api/client.js';
import { QUEUES, type ModerationItem, type QueueCounts, type QueueName } from '../api/types.js';
import { sameCounts, type FeedComment, type FeedStatus } from '../state/live-feed.js';
import { appendPage, belongsTo, insertLive, mergeQueue, queueOrder } from '../state/queue-merge.js';
import { BASE } from '../state/route.js';
import { useDashboard } from './context.js';
import {
  formatCount,
  plural,
  QUEUE_HINTS,
  QUEUE_LABELS,
  queueAbout,
  queueExplanation,
} from './format.js';
import { SiteSelect } from './SiteSelect.js';
import { Workspace } from './Workspace.js';

/**
 * Without the live feed: two small reads per poll. Slower than the 3 s of old, since the feed is
 * most often refused when the server is busy (429).
 */
export const POLL_MS = 10_000;
/** With the feed: a slow look all the same, for changes the feed does not tell (edits). */
export const LIVE_CHECK_MS = 60_000;
const PAGE = 50;
/** The most a poll re-reads (the API's limit). */
const POLL_LIMIT = 100;

interface StoryFilter {
  readonly id: string;
  readonly title: string | null;
}

interface QueueViewProps {
  readonly queue: QueueName;
  readonly onQueueChange: (queue: QueueName) => void;
}

export function QueueView({ queue, onQueueChange }: QueueViewProps) {
  const { api, siteId, announce, feed } = useDashboard();
  const [story, setStory] = useState<StoryFilter | null>(null);
  const [counts, setCounts] = useState<QueueCounts | null>(null);
  const [items, setItems] = useState<ModerationItem[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [held, setHeld] = useState<ModerationItem[]>([]);
  const [newIds, setNewIds] = useState<ReadonlySet<string>>(new Set());
  const [goneIds, setGoneIds] = useState<ReadonlySet<string>>(new Set());

  const filters: Filters = { siteId, storyId: story?.id };
  const state = useRef({ items, held, nextCursor, selected: null as string | null });
  state.current = { ...state.current, items, held, nextCursor };
  /**
   * Bumped by every local change (an action, a live arrival, a reload); a poll that started before
   * one is thrown away (and run again).
   */
  const generation = useRef(0);
  /** Bumped by every reload: an older reload, or a next page asked for before, is thrown away. */
  const epoch = useRef(0);
  const loadController = useRef<AbortController | null>(null);
  /** Sets the list, and at once what polls and live arrivals fold into (not after the render). */
  const show = (next: ModerationItem[]) => {
    state.current.items = next;
    setItems(next);
  };

  const refreshCounts = async (signal?: AbortSignal) => {
    try {
      const result = await api.counts(filters, signal);
      setCounts(result.counts);
    } catch {
      // The next poll tries again; the list shows errors that matter.
    }
  };

  /** Loads the queue from the top, replacing the list. */
  const reload = async () => {
    loadController.current?.abort();
    const controller = new AbortController();
    loadController.current = controller;
    const started = ++epoch.current;
    generation.current++;
    setLoading(true);
    try {
      const page = await api.queue(queue, filters, { limit: PAGE }, controller.signal);
      if (started !== epoch.current) return;
      generation.current++;
      show(page.items);
      setNextCursor(page.nextCursor);
      setHeld([]);
      setGoneIds(new Set());
      setError(null);
    } catch (failure) {
      if (!isAbort(failure)) setError(describeError(failure));
    } finally {
      if (!controller.signal.aborted) setLoading(false);
    }
  };

  const loadMore = async () => {
    const cursor = state.current.nextCursor;
    if (!cursor || loading) return;
    setLoading(true);
    const started = epoch.current;
    try {
      const page = await api.queue(queue, filters, { cursor, limit: PAGE });
      if (started !== epoch.current) return;
      show(appendPage(state.current.items, page.items));
      setNextCursor(page.nextCursor);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoading(false);
    }
  };

  // A new queue or filter starts from the top.
  useEffect(() => {
    setItems([]);
    setNextCursor(null);
    setNewIds(new Set());
    setGoneIds(new Set());
    setError(null);
    void reload();
    void refreshCounts();
    return () => loadController.current?.abort();
  }, [queue, siteId, story?.id]);

  // Live feed and polling.
  useEffect(() => {
    const controller = new AbortController();
    const filtered = siteId !== undefined || story !== null;
    let running = false;
    let again = false;

    /** Reads the queue's first page (and the counts, unless the feed brings them) and folds it in. */
    const poll = async (timed: boolean) => {
      if (controller.signal.aborted || (timed && document.hidden)) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      const started = generation.current;
      try {
        const shown = state.current.items.length;
        const [page] = await Promise.all([
          api.queue(
            queue,
            filters,
            { limit: Math.min(POLL_LIMIT, Math.max(PAGE, shown)) },
            controller.signal,
          ),
          feed.status() === 'live' && !filtered ? undefined : refreshCounts(controller.signal),
        ]);
        if (started !== generation.current) {
          // Something changed the list meanwhile: this page may be older than it. Read again.
          again = true;
          return;
        }
        const merged = mergeQueue({
          current: state.current.items,
          held: state.current.held,
          fresh: page.items,
          freshComplete: page.nextCursor === null,
          order: queueOrder(queue),
          keepId: state.current.selected,
        });
        if (state.current.nextCursor === null && page.nextCursor !== null && shown >= POLL_LIMIT) {
          setNextCursor(page.nextCursor);
        }
        const heldBefore = new Set(state.current.held.map((item) => item.comment.id));
        show(merged.items);
        state.current.held = merged.held;
        setHeld(merged.held);
        setGoneIds(new Set(merged.gone));
        setError(null);
        const arrived =
          merged.added.length +
          merged.held.filter((item) => !heldBefore.has(item.comment.id)).length;
        if (merged.added.length > 0) {
          setNewIds((current) => new Set([...current, ...merged.added.map((i) => i.comment.id)]));
        }
        if (arrived > 0) {
          announce(
            `${plural(arrived, 'new comment')} in ${QUEUE_LABELS[queue]}` +
              (merged.added.length > 0 ? ', added at the end of the list.' : '.'),
          );
        }
      } catch (failure) {
        if (!isAbort(failure)) setError(describeError(failure));
      } finally {
        running = false;
        if (again && !controller.signal.aborted) {
          again = false;
          void poll(false);
        }
      }
    };

    /** A comment newly held (or edited while held): into the open pending queue, if it fits. */
    const arrive = async (comment: FeedComment) => {
      if (queue !== 'pending' || comment.status !== 'pending') return;
      if (story && comment.storyId !== story.id) return;
      const started = generation.current;
      let item: ModerationItem;
      try {
        item = (await api.comment(comment.id, controller.signal)).item;
      } catch {
        return; // Decided or deleted meanwhile, or out of reach: the next poll says.
      }
      if (controller.signal.aborted) return;
      if (siteId !== undefined && item.story.siteId !== siteId) return;
      if (!belongsTo('pending', item, false)) return;
      if (started !== generation.current) {
        void poll(false);
        return;
      }
      const result = insertLive(state.current.items, item, state.current.nextCursor === null);
      generation.current++;
      show(result.items);
      setGoneIds((current) =>
        current.has(item.comment.id)
          ? new Set([...current].filter((id) => id !== item.comment.id))
          : current,
      );
      if (result.added) {
        setNewIds((current) => new Set([...current, item.comment.id]));
        announce(`1 new comment in ${QUEUE_LABELS[queue]}, added at the end of the list.`);
      }
    };

    let timer: ReturnType<typeof setInterval> | undefined;
    const pace = () => {
      clearInterval(timer);
      const every = feed.status() === 'live' ? LIVE_CHECK_MS : POLL_MS;
      timer = setInterval(() => void poll(true), every);
    };
    pace();
    let seen = feed.counts();
    const unsubscribe = feed.subscribe({
      status: (next) => {
        pace();
        // The feed has no replay: the counts it sends on connecting have the queue read again.
        if (next !== 'live') seen = null;
      },
      counts: (next) => {
        if (!filtered) setCounts(next);
        // Only the counts say that comments left the queue (decided elsewhere): read it again.
        if (sameCounts(next, seen)) return;
        seen = next;
        void poll(false);
      },
      item: (comment) => void arrive(comment),
    });
    const onVisible = () => {
      if (!document.hidden) void poll(false);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      unsubscribe();
      clearInterval(timer);
      controller.abort();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [queue, siteId, story?.id, feed]);

  useEffect(() => {
    const pending = counts?.pending;
    document.title =
      pending !== undefined && pending > 0
        ? `(${formatCount(pending)}) ${QUEUE_LABELS[queue]} · Parley moderation`
        : `${QUEUE_LABELS[queue]} · Parley moderation`;
  }, [counts, queue]);
  useEffect(() => () => void (document.title = 'Parley moderation'), []);

  const onUpdated = (updated: ModerationItem[], decided: boolean) => {
    generation.current++;
    const byId = new Map(updated.map((item) => [item.comment.id, item]));
    show(
      state.current.items.flatMap((item) => {
        const next = byId.get(item.comment.id);
        if (!next) return [item];
        return belongsTo(queue, next, decided) ? [next] : [];
      }),
    );
    void refreshCounts();
  };

  const onUndone = async () => {
    await Promise.all([reload(), refreshCounts()]);
  };

  const showHeld = () => {
    generation.current++;
    show([...held, ...state.current.items]);
    setNewIds((current) => new Set([...current, ...held.map((item) => item.comment.id)]));
    state.current.held = [];
    setHeld([]);
  };

  const firstNew = items.find((item) => newIds.has(item.comment.id));
  const count = counts?.[queue];

  return (
    <div class="workspace workspace-queues">
      <nav class="column column-queues" aria-label="Queues">
        <div class="side-head">
          <h2 class="side-title">Queues</h2>
          <FeedIndicator />
        </div>
        <ul class="queue-list">
          {QUEUES.map((name) => (
            <li key={name}>
              <a
                class="queue-link"
                href={`${BASE}/queues/${name}`}
                aria-current={name === queue ? 'page' : undefined}
                // The explanation on hover (title) and for screen readers (the hidden text).
                title={queueExplanation(name)}
                aria-describedby={`queue-about-${name}`}
                onClick={(event) => {
                  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
                    return;
                  }
                  event.preventDefault();
                  onQueueChange(name);
                }}
              >
                <span class="queue-name">{QUEUE_LABELS[name]}</span>
                <span
                  class={
                    (name === 'pending' || name === 'reported') && (counts?.[name] ?? 0) > 0
                      ? 'queue-count queue-count-hot'
                      : 'queue-count'
                  }
                  data-queue-count={name}
                >
                  {counts ? formatCount(counts[name]) : '…'}
                </span>
              </a>
              <span id={`queue-about-${name}`} class="vh">
                {queueExplanation(name)}
              </span>
            </li>
          ))}
        </ul>
        <h2 class="side-title side-title-filter">Filter</h2>
        <div class="side-filters">
          <SiteSelect />
          <StoryFilterField story={story} onChange={setStory} />
        </div>
      </nav>
      <Workspace
        listLabel={`${QUEUE_LABELS[queue]} queue`}
        heading={
          <>
            <h1 class="view-title">
              {QUEUE_LABELS[queue]}
              {count !== undefined && <span class="view-count">{formatCount(count)}</span>}
            </h1>
            <p class="view-about muted">{queueAbout(queue)}</p>
            {firstNew && queueOrder(queue) === 'oldest' && (
              <button
                type="button"
                class="new-chip"
                onClick={() =>
                  document
                    .querySelector(`[data-comment-id="${CSS.escape(firstNew.comment.id)}"]`)
                    ?.scrollIntoView({ block: 'center' })
                }
              >
                {formatCount(newIds.size)} new below
              </button>
            )}
          </>
        }
        above={
          held.length > 0 && (
            <button type="button" class="held-bar" onClick={showHeld}>
              {plural(held.length, 'new comment')} — show
            </button>
          )
        }
        items={items}
        loading={loading}
        error={error}
        hasMore={nextCursor !== null}
        onLoadMore={() => void loadMore()}
        newIds={newIds}
        goneIds={goneIds}
        empty={
          <>
            <p class="empty-title">Nothing {queue === 'pending' ? 'waiting' : 'here'}.</p>
            <p class="muted">
              {queue === 'pending'
                ? 'New held comments appear here by themselves.'
                : QUEUE_HINTS[queue]}
            </p>
          </>
        }
        onUpdated={onUpdated}
        onUndone={onUndone}
        onSelectionChange={(id) => {
          state.current.selected = id;
          if (id && newIds.has(id)) {
            setNewIds((current) => new Set([...current].filter((other) => other !== id)));
          }
        }}
        onFilterStory={(target) => setStory({ id: target.id, title: target.title ?? target.url })}
      />
    </div>
  );
}

const FEED_LABELS: Record<FeedStatus, { text: string; hint: string }> = {
  live: {
    text: 'Live',
    hint: 'Counts and newly held comments arrive as they happen.',
  },
  connecting: {
    text: 'Connecting…',
    hint: 'Reconnecting to the live feed; the queue is checked meanwhile.',
  },
  polling: {
    text: `Polling · ${POLL_MS / 1000} s`,
    hint:
      `The live feed is not available: counts and the list refresh every ${POLL_MS / 1000} ` +
      'seconds. The dashboard keeps trying to reconnect.',
  },
};

/** Whether the queues are live or polled: small, out of the way, explained on hover. */
function FeedIndicator() {
  const { feed } = useDashboard();
  const [status, setStatus] = useState<FeedStatus>(feed.status());
  useEffect(() => {
    setStatus(feed.status());
    return feed.subscribe({ status: (next) => setStatus(next) });
  }, [feed]);
  const label = FEED_LABELS[status];
  return (
    <span class={`feed-status feed-${status}`} data-feed-status={status} title={label.hint}>
      <span class="feed-dot" aria-hidden="true" />
      {label.text}
      <span class="vh"> — {label.hint}</span>
    </span>
  );
}

function StoryFilterField(props: {
  readonly story: StoryFilter | null;
  readonly onChange: (story: StoryFilter | null) => void;
}) {
  const [text, setText] = useState('');
  if (props.story) {
    return (
      <div class="field">
        <span class="field-label">Story</span>
        <div class="chip">
          <span class="chip-text" title={props.story.id}>
            {props.story.title ?? props.story.id}
          </span>
          <button
            type="button"
            class="chip-clear"
            aria-label="Clear the story filter"
            onClick={() => props.onChange(null)}
          >
            ×
          </button>
        </div>
      </div>
    );
  }
  return (
    <form
      class="field"
      onSubmit={(event) => {
        event.preventDefault();
        const id = text.trim();
        if (id) props.onChange({ id, title: null });
        setText('');
      }}
    >
      <label class="field-label" for="story-filter">
        Story ID
      </label>
      <div class="input-row">
        <input
          id="story-filter"
          type="text"
          placeholder="All stories"
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <button type="submit" class="btn btn-small" disabled={!text.trim()}>
          Apply
        </button>
      </div>
      <span class="field-hint">Or pick “Only this story” on a comment.</span>
    </form>
  );
}
