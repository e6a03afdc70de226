/**
 * The dashboard's live feed (web/admin/src/state/live-feed.ts) with a fake EventSource and a fake
 * clock: `ready` makes it live, `counts` and `queue.item` reach listeners, any error closes the
 * stream and falls back to polling with a growing, jittered delay before the next try, a stream
 * that had been up a while is reopened quickly, no EventSource means polling for good, and close()
 * (signing out) ends the stream and every retry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QueueCounts } from '../../web/admin/src/api/types.ts';
import {
  createLiveFeed,
  MAX_RETRY_MS,
  parseCounts,
  parseQueueItem,
  retryDelay,
  sameCounts,
  STEADY_MS,
  type FeedComment,
  type FeedSource,
  type FeedStatus,
  type LiveFeedOptions,
} from '../../web/admin/src/state/live-feed.ts';

class FakeSource implements FeedSource {
  static opened: FakeSource[] = [];
  readyState = 0;
  onerror: ((event: Event) => void) | null = null;
  readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {
    FakeSource.opened.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.readyState = 2;
  }
  emit(type: string, data: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) {
      listener({ data: JSON.stringify(data) } as MessageEvent<string>);
    }
  }
  fail(): void {
    this.onerror?.({} as Event);
  }
}

const COUNTS: QueueCounts = {
  pending: 3,
  reported: 1,
  unmoderated: 7,
  approved: 40,
  rejected: 2,
  featured: 1,
  illegal: 0,
  appeals: 0,
  questions: 0,
  unanswered: 0,
};

function harness(overrides: Partial<LiveFeedOptions> = {}) {
  FakeSource.opened = [];
  let clock = 0;
  const timers: { at: number; run: () => void; id: number }[] = [];
  let nextId = 1;
  const feed = createLiveFeed({
    url: () => '/api/v1/admin/events?token=abc',
    EventSource: FakeSource,
    setTimeout: (run, ms) => {
      const id = nextId++;
      timers.push({ at: clock + ms, run, id });
      return id;
    },
    clearTimeout: (id) => {
      const index = timers.findIndex((timer) => timer.id === id);
      if (index >= 0) timers.splice(index, 1);
    },
    now: () => clock,
    random: () => 0,
    ...overrides,
  });
  const statuses: FeedStatus[] = [];
  const counts: QueueCounts[] = [];
  const items: FeedComment[] = [];
  feed.subscribe({
    status: (status) => statuses.push(status),
    counts: (next) => counts.push(next),
    item: (comment) => items.push(comment),
  });
  return {
    feed,
    statuses,
    counts,
    items,
    timers,
    /** Moves the clock on, running the timers that fall due. */
    advance(ms: number) {
      clock += ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at > clock) break;
        timers.shift();
        due.run();
      }
    },
    latest(): FakeSource {
      const source = FakeSource.opened[FakeSource.opened.length - 1];
      assert.ok(source, 'a stream was opened');
      return source;
    },
  };
}

describe('admin live feed', () => {
  it('goes live on ready and hands on counts and newly held comments', () => {
    const h = harness();
    assert.equal(h.feed.status(), 'connecting');
    assert.equal(h.latest().url, '/api/v1/admin/events?token=abc');
    h.latest().emit('ready', {});
    assert.equal(h.feed.status(), 'live');
    h.latest().emit('counts', { counts: COUNTS });
    assert.deepEqual(h.counts, [COUNTS]);
    assert.deepEqual(h.feed.counts(), COUNTS);
    h.latest().emit('queue.item', {
      comment: { id: 'c1', storyId: 's1', status: 'pending', createdAt: '2026-01-01T00:00:00Z' },
    });
    assert.deepEqual(
      h.items.map((item) => [item.id, item.storyId]),
      [['c1', 's1']],
    );
    assert.deepEqual(h.statuses, ['live']);
  });

  it('ignores events that are not what the contract says', () => {
    const h = harness();
    const source = h.latest();
    source.emit('counts', { counts: { pending: 'many' } });
    source.emit('queue.item', { comment: { storyId: 's1' } });
    for (const listener of source.listeners.get('counts') ?? []) {
      listener({ data: 'not json' } as MessageEvent<string>);
    }
    assert.deepEqual(h.counts, []);
    assert.deepEqual(h.items, []);
  });

  it('falls back to polling on an error and reconnects with a growing delay', () => {
    const h = harness();
    h.latest().fail(); // e.g. 429: EventSource gives up
    assert.equal(h.latest().readyState, 2, 'the failed stream is closed');
    assert.equal(h.feed.status(), 'polling');
    assert.equal(FakeSource.opened.length, 1);
    h.advance(retryDelay(1) - 1);
    assert.equal(FakeSource.opened.length, 1, 'not before the delay');
    h.advance(1);
    assert.equal(FakeSource.opened.length, 2, 'retried after 2 s');
    h.latest().fail();
    h.advance(retryDelay(2) - 1);
    assert.equal(FakeSource.opened.length, 2);
    h.advance(1);
    assert.equal(FakeSource.opened.length, 3, 'then after 4 s');
    assert.deepEqual([retryDelay(1), retryDelay(2), retryDelay(3)], [2000, 4000, 8000]);
    assert.equal(retryDelay(20), MAX_RETRY_MS);

    h.latest().emit('ready', {});
    assert.equal(h.feed.status(), 'live');
    assert.deepEqual(h.statuses, ['polling', 'live']);
    // Events of a stream given up on are not heard.
    const old = FakeSource.opened[0];
    old?.emit('counts', { counts: COUNTS });
    assert.deepEqual(h.counts, []);
  });

  it('adds jitter to the delay', () => {
    const h = harness({ random: () => 1 });
    h.latest().fail();
    h.advance(retryDelay(1) * 1.5 - 1);
    assert.equal(FakeSource.opened.length, 1);
    h.advance(1);
    assert.equal(FakeSource.opened.length, 2);
  });

  it('reopens a stream that had been up a while quickly, without showing polling', () => {
    const h = harness();
    h.latest().fail();
    h.advance(retryDelay(1));
    h.latest().emit('ready', {});
    h.advance(STEADY_MS + 5000);
    h.latest().fail(); // the server ends streams after about 30 minutes
    assert.equal(h.feed.status(), 'connecting');
    h.advance(1000);
    assert.equal(FakeSource.opened.length, 3, 'reopened after a second');
    h.latest().emit('ready', {});
    assert.deepEqual(h.statuses, ['polling', 'live', 'connecting', 'live']);
    // A stream that drops again soon after is a failure: polling, and the delay grows again.
    h.latest().fail();
    assert.equal(h.feed.status(), 'polling');
    h.advance(retryDelay(1));
    assert.equal(FakeSource.opened.length, 4);
  });

  it('polls for good without EventSource', () => {
    const h = harness({ EventSource: undefined });
    assert.equal(h.feed.status(), 'polling');
    assert.equal(FakeSource.opened.length, 0);
    assert.equal(h.timers.length, 0, 'nothing to retry');
  });

  it('stays closed after close(): no stream, no retry', () => {
    const h = harness();
    h.latest().emit('ready', {});
    h.feed.close();
    assert.equal(h.latest().readyState, 2);
    assert.equal(h.feed.status(), 'polling');
    h.latest().fail();
    h.advance(MAX_RETRY_MS * 2);
    assert.equal(FakeSource.opened.length, 1);

    const failing = harness();
    failing.latest().fail();
    failing.feed.close();
    failing.advance(MAX_RETRY_MS * 2);
    assert.equal(FakeSource.opened.length, 1, 'the pending retry was cancelled');
  });

  it('does not open a stream while signed out', () => {
    const h = harness({ url: () => null });
    assert.equal(FakeSource.opened.length, 0);
    assert.equal(h.feed.status(), 'polling');
  });

  it('parses and compares counts', () => {
    assert.deepEqual(parseCounts(JSON.stringify({ counts: COUNTS })), COUNTS);
    assert.equal(parseCounts('{"counts":null}'), null);
    assert.equal(parseQueueItem('{"comment":{"id":"x"}}'), null);
    assert.equal(sameCounts(COUNTS, { ...COUNTS }), true);
    assert.equal(sameCounts(COUNTS, { ...COUNTS, approved: 41 }), false);
    assert.equal(sameCounts(null, COUNTS), false);
    assert.equal(sameCounts(null, null), true);
  });
});
