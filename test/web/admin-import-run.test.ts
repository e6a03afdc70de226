/**
 * Following an import in the dashboard (web/admin/src/state/import-run.ts) with a fake EventSource
 * and fake timers: `progress` events reach the view, `done` closes the stream, a stream refused or
 * lost gives way to reading the run every two seconds until it ends, and close() stops both; and
 * the figures beside the progress bar (share read, comments per second, time left).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImportRun } from '../../web/admin/src/api/types.ts';
import {
  followRun,
  formatBytes,
  isStalled,
  POLL_MS,
  progressFigures,
  sightOf,
} from '../../web/admin/src/state/import-run.ts';
import type { FeedSource } from '../../web/admin/src/state/live-feed.ts';

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
  emit(type: string, run: ImportRun): void {
    for (const listener of this.listeners.get(type) ?? []) {
      listener({ data: JSON.stringify({ run }) } as MessageEvent<string>);
    }
  }
}

function run(
  state: ImportRun['state'],
  bytesRead: number,
  imported: number,
  extra: Partial<ImportRun> = {},
): ImportRun {
  return {
    id: '01J00000000000000000000000',
    siteId: '01J00000000000000000000001',
    format: 'disqus',
    fileName: 'export.xml',
    fileBytes: 1000,
    state,
    startedBy: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
    heartbeatAt: '2026-01-01T00:00:00.000Z',
    error: null,
    report: {
      runId: '01J00000000000000000000000',
      format: 'disqus',
      file: 'export.xml',
      dryRun: false,
      state,
      progress: { bytesRead, totalBytes: 1000 },
      read: { stories: 0, comments: imported, items: imported },
      stories: { created: 0, matched: 0, known: 0 },
      authors: { created: 0, merged: 0, known: 0 },
      comments: {
        imported,
        unchanged: 0,
        approved: imported,
        pending: 0,
        rejected: 0,
        tombstones: 0,
      },
      skipped: {},
      warnings: [],
      error: null,
      durationMs: 2000,
    },
    ...extra,
  };
}

function timers() {
  const pending: { callback: () => void; ms: number }[] = [];
  return {
    pending,
    setTimeout: (callback: () => void, ms: number) => {
      const timer = { callback, ms };
      pending.push(timer);
      return timer;
    },
    clearTimeout: (handle: unknown) => {
      const i = pending.indexOf(handle as (typeof pending)[number]);
      if (i >= 0) pending.splice(i, 1);
    },
    fire: async () => {
      const timer = pending.shift();
      assert.ok(timer, 'a timer is waiting');
      timer.callback();
      await new Promise((resolve) => setImmediate(resolve));
      return timer.ms;
    },
  };
}

describe('following an import', () => {
  it('hands on progress events and stops at done', () => {
    FakeSource.opened = [];
    const seen: [string, number][] = [];
    followRun({
      url: '/api/v1/admin/imports/x/events?token=t',
      EventSource: FakeSource,
      load: () => Promise.reject(new Error('not read')),
      onRun: (next) => seen.push([next.state, next.report.comments.imported]),
    });
    const [source] = FakeSource.opened;
    assert.equal(source?.url, '/api/v1/admin/imports/x/events?token=t');
    source?.emit('progress', run('running', 100, 10));
    source?.emit('progress', run('done', 1000, 90));
    source?.emit('done', run('done', 1000, 90));
    assert.equal(source?.readyState, 2, 'closed at done');
    source?.emit('progress', run('done', 1000, 91));
    assert.deepEqual(seen, [
      ['running', 10],
      ['done', 90],
      ['done', 90],
    ]);
  });

  it('reads the run every two seconds when the stream fails, until it ends', async () => {
    FakeSource.opened = [];
    const clock = timers();
    const answers = [run('running', 500, 40), run('done', 1000, 90)];
    const seen: string[] = [];
    followRun({
      url: '/events',
      EventSource: FakeSource,
      load: async () => answers.shift() ?? assert.fail('read after the end'),
      onRun: (next) => seen.push(next.state),
      setTimeout: clock.setTimeout,
      clearTimeout: clock.clearTimeout,
    });
    FakeSource.opened[0]?.onerror?.({} as Event);
    assert.equal(FakeSource.opened[0]?.readyState, 2);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, ['running']);
    assert.equal(await clock.fire(), POLL_MS);
    assert.deepEqual(seen, ['running', 'done']);
    assert.equal(clock.pending.length, 0, 'no more reads once it has ended');
  });

  it('polls without EventSource, and close() stops it', async () => {
    const clock = timers();
    let reads = 0;
    const follower = followRun({
      url: null,
      EventSource: undefined,
      load: async () => {
        reads++;
        return run('running', 10, 1);
      },
      onRun: () => undefined,
      setTimeout: clock.setTimeout,
      clearTimeout: clock.clearTimeout,
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(reads, 1);
    await clock.fire();
    assert.equal(reads, 2);
    follower.close();
    assert.equal(clock.pending.length, 0);
  });
});

describe('the figures beside the progress bar', () => {
  it('measures the pace from what the page saw', () => {
    const first = sightOf(run('running', 100, 10), 0);
    assert.deepEqual(progressFigures(run('running', 100, 10), first, 500), {
      fraction: 0.1,
      perSecond: null,
      secondsLeft: null,
    });
    assert.deepEqual(progressFigures(run('running', 300, 50), first, 2000), {
      fraction: 0.3,
      perSecond: 20,
      secondsLeft: 7,
    });
    const done = progressFigures(run('done', 1000, 90), first, 9000);
    assert.deepEqual(done, { fraction: 1, perSecond: 45, secondsLeft: null });
  });

  it('says when a running import has gone quiet, and sizes files', () => {
    const quiet = run('running', 10, 1, { heartbeatAt: '2026-01-01T00:00:00.000Z' });
    assert.equal(isStalled(quiet, Date.parse('2026-01-01T00:01:00Z')), false);
    assert.equal(isStalled(quiet, Date.parse('2026-01-01T00:03:00Z')), true);
    assert.equal(formatBytes(7653), '7.5 KB');
    assert.equal(formatBytes(2 * 1024 ** 3), '2 GB');
    assert.equal(formatBytes(512), '512 bytes');
  });
});
