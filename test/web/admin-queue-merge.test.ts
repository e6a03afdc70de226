/**
 * How the dashboard folds a polled page into the queue a moderator is working through
 * (web/admin/src/state/queue-merge.ts): places kept, departures dropped except the selected one,
 * arrivals appended (oldest-first queues) or held back (newest-first queues); and how one item
 * from the live feed joins it, never twice whichever of the poll and the event comes first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModerationItem } from '../../web/admin/src/api/types.ts';
import {
  appendPage,
  belongsTo,
  insertLive,
  mergeQueue,
  queueOrder,
} from '../../web/admin/src/state/queue-merge.ts';

function item(id: string, minute: number, patch: Partial<ModerationItem['comment']> = {}) {
  return {
    comment: {
      id,
      storyId: 's',
      parentId: null,
      body: id,
      html: `<p>${id}</p>`,
      status: 'pending',
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
      editedAt: null,
      featured: false,
      reviewed: false,
      replyCount: 0,
      reactionCount: 0,
      moderation: { decidedBy: null, reasons: [], scores: {}, tags: [], rejection: null },
      reports: { total: 0, open: 0, byReason: {} },
      ...patch,
    },
    story: { id: 's', title: null, url: 'https://news.example/a', siteId: 'site' },
    author: {
      id: 'u',
      name: 'U',
      role: 'commenter',
      createdAt: new Date(0).toISOString(),
      banned: false,
      suspendedUntil: null,
      alwaysPremoderate: false,
      warning: null,
      counts: { approved: 0, pending: 0, rejected: 0 },
      bannedSiteIds: null,
      banReason: null,
      suspendReason: null,
      moderatorSiteIds: null,
    },
  } as ModerationItem;
}
const ids = (items: readonly ModerationItem[]) => items.map((i) => i.comment.id);

describe('admin queue merge', () => {
  const a = item('a', 1);
  const b = item('b', 2);
  const c = item('c', 3);
  const d = item('d', 4);

  it('keeps places, appends arrivals at the end of an oldest-first queue', () => {
    const result = mergeQueue({
      current: [a, b, c],
      held: [],
      fresh: [a, c, d],
      freshComplete: true,
      order: 'oldest',
      keepId: null,
    });
    assert.deepEqual(ids(result.items), ['a', 'c', 'd']);
    assert.deepEqual(ids(result.added), ['d']);
    assert.deepEqual(result.gone, ['b']);
  });

  it('keeps the selected item when it left, and reports it gone', () => {
    const result = mergeQueue({
      current: [a, b, c],
      held: [],
      fresh: [a, c],
      freshComplete: true,
      order: 'oldest',
      keepId: 'b',
    });
    assert.deepEqual(ids(result.items), ['a', 'b', 'c']);
    assert.deepEqual(result.gone, ['b']);
  });

  it('does not drop items beyond the polled page', () => {
    const result = mergeQueue({
      current: [a, b, c, d],
      held: [],
      fresh: [a, b],
      freshComplete: false,
      order: 'oldest',
      keepId: null,
    });
    assert.deepEqual(ids(result.items), ['a', 'b', 'c', 'd']);
    assert.deepEqual(result.gone, []);
  });

  it('holds arrivals back in a newest-first queue', () => {
    const result = mergeQueue({
      current: [c, b],
      held: [],
      fresh: [d, c, b],
      freshComplete: true,
      order: 'newest',
      keepId: null,
    });
    assert.deepEqual(ids(result.items), ['c', 'b']);
    assert.deepEqual(ids(result.held), ['d']);
    const again = mergeQueue({
      ...result,
      current: result.items,
      fresh: [d, c, b],
      freshComplete: true,
      order: 'newest',
      keepId: null,
    });
    assert.deepEqual(ids(again.held), ['d'], 'held once, not twice');
  });

  it('appends a page without duplicating polled arrivals', () => {
    assert.deepEqual(ids(appendPage([a, b, d], [c, d])), ['a', 'b', 'd', 'c']);
  });

  it('appends an item from the live feed at the end, marked as added', () => {
    const result = insertLive([a, b], c, true);
    assert.deepEqual(ids(result.items), ['a', 'b', 'c']);
    assert.equal(result.added, true);
  });

  it('refreshes in place an item the feed announces that a poll already brought', () => {
    const edited = item('b', 2, { body: 'edited while waiting' });
    const result = insertLive([a, b, c], edited, true);
    assert.deepEqual(ids(result.items), ['a', 'b', 'c']);
    assert.equal(result.items[1]?.comment.body, 'edited while waiting');
    assert.equal(result.added, false);
  });

  it('leaves a longer queue to its next page', () => {
    const result = insertLive([a, b], d, false);
    assert.deepEqual(ids(result.items), ['a', 'b']);
    assert.equal(result.added, false);
    assert.deepEqual(ids(appendPage(result.items, [c, d])), ['a', 'b', 'c', 'd']);
  });

  it('never shows an item twice, whichever of the event and the poll comes first', () => {
    const merge = (current: ModerationItem[]) =>
      mergeQueue({
        current,
        held: [],
        fresh: [a, b, c],
        freshComplete: true,
        order: 'oldest',
        keepId: 'a',
      });
    // The event first, then a poll that brings the same comment.
    const eventFirst = merge(insertLive([a, b], c, true).items);
    assert.deepEqual(ids(eventFirst.items), ['a', 'b', 'c']);
    assert.deepEqual(ids(eventFirst.added), [], 'not announced twice');
    // The poll first, then the event.
    const pollFirst = insertLive(merge([a, b]).items, c, true);
    assert.deepEqual(ids(pollFirst.items), ['a', 'b', 'c']);
    assert.equal(pollFirst.added, false);
  });

  it('knows which queues are worked from the front and what leaves them', () => {
    assert.equal(queueOrder('pending'), 'oldest');
    assert.equal(queueOrder('reported'), 'oldest');
    assert.equal(queueOrder('approved'), 'newest');
    const approved = item('x', 1, { status: 'approved', reviewed: true });
    assert.equal(belongsTo('pending', approved, true), false);
    assert.equal(belongsTo('approved', approved, true), true);
    const reported = item('y', 1, {
      status: 'approved',
      reports: { total: 2, open: 2, byReason: {} },
    });
    assert.equal(belongsTo('reported', reported, false), true, 'featuring keeps it');
    assert.equal(belongsTo('reported', reported, true), false, 'a decision settles it');
    const settled = item('w', 1, {
      status: 'approved',
      reports: { total: 2, open: 0, byReason: {} },
    });
    assert.equal(belongsTo('reported', settled, false), false, 'closed reports are settled');
    assert.equal(
      belongsTo('featured', item('z', 1, { status: 'approved', featured: false }), false),
      false,
    );
  });
});
