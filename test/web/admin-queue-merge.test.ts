/**
 * How the dashboard folds a polled page into the queue a moderator is working through
 * (web/admin/src/state/queue-merge.ts): places kept, departures dropped except the selected one,
 * arrivals appended (oldest-first queues) or held back (newest-first queues).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModerationItem } from '../../web/admin/src/api/types.ts';
import {
  appendPage,
  belongsTo,
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
