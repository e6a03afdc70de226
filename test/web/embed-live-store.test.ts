/**
 * The widget's thread store under live events (web/embed/src/state/thread-store.ts): each event
 * changes the one comment it names and notifies that key only (no re-render of the list); new
 * top-level comments of others wait in the queue behind the "new comments" button; replies join a
 * parent that shows all its replies, or count as one more to load; removals, reactions and counts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommentData, Story, ThreadPage } from '../../web/embed/src/api/types.ts';
import { NEW, ROOT, STORY, ThreadStore } from '../../web/embed/src/state/thread-store.ts';
import type { ThreadKey } from '../../web/embed/src/state/thread-store.ts';

/** The story of the thread pages below, as GET /stories/:id answers it. */
const THE_STORY: Story = {
  id: 's1',
  siteId: 'site1',
  externalId: null,
  url: 'https://news.example/s1',
  title: null,
  author: null,
  description: null,
  publishedAt: null,
  imageUrl: null,
  commentCount: 0,
  closed: false,
  mode: 'comments',
};

let serial = 0;
function comment(overrides: Partial<CommentData> = {}): CommentData {
  serial += 1;
  return {
    id: `c${serial}`,
    storyId: 's1',
    parentId: null,
    threadParentId: null,
    replyToName: null,
    depth: 0,
    author: { id: 'u-other', displayName: 'Other', role: 'commenter', avatarUrl: null, badges: [] },
    html: `<p>comment ${serial}</p>`,
    status: 'approved',
    deleted: false,
    createdAt: '2026-11-28T12:00:00.000Z',
    editedAt: null,
    editableUntil: null,
    replyCount: 0,
    reactionCount: 0,
    featured: false,
    viewer: { reacted: false, reported: false, own: false },
    ...overrides,
  };
}

const reply = (parent: CommentData, overrides: Partial<CommentData> = {}) =>
  comment({ parentId: parent.id, threadParentId: parent.id, depth: 1, ...overrides });

/** A store with two top-level comments: `open` shows all its replies, `more` has some to load. */
function loaded() {
  const open = comment();
  const shownReply = reply(open);
  const more = comment({ replyCount: 3 });
  const store = new ThreadStore();
  const page: ThreadPage['comments'] = [
    {
      ...open,
      replyCount: 1,
      replies: [{ ...shownReply, repliesCursor: null }],
      repliesCursor: null,
    },
    { ...more, replies: [], repliesCursor: 'cursor' },
  ];
  store.reset(
    {
      story: { ...THE_STORY, commentCount: 5 },
      comments: page,
      nextCursor: null,
      pending: [],
    },
    'newest',
  );
  const heard: ThreadKey[] = [];
  for (const key of [ROOT, STORY, NEW, open.id, shownReply.id, more.id] as ThreadKey[]) {
    store.subscribe(key, () => heard.push(key));
  }
  return { store, open, shownReply, more, heard };
}

describe('the thread store under live events', () => {
  it('queues a new top-level comment of another reader without touching the list', () => {
    const { store, heard } = loaded();
    const fresh = comment();
    assert.equal(store.receive(fresh, true), true);
    assert.deepEqual(heard, [NEW]);
    assert.equal(store.newCount, 1);
    assert.equal(store.entry(fresh.id), undefined);
    assert.equal(store.root.ids.length, 2);

    // An edit of a queued comment stays queued; a second one counts two.
    assert.equal(store.receive({ ...fresh, html: '<p>edited</p>' }, false), false);
    const second = comment();
    store.receive(second, true);
    assert.equal(store.newCount, 2);

    heard.length = 0;
    assert.deepEqual(store.revealNew(), [fresh.id, second.id]);
    assert.deepEqual(store.root.ids.slice(0, 2), [second.id, fresh.id], 'newest first');
    assert.equal(store.entry(fresh.id)?.comment.html, '<p>edited</p>');
    assert.equal(store.newCount, 0);
    assert.equal(store.story?.commentCount, 5, 'the count comes in its own event');
    assert.ok(heard.includes(NEW) && heard.includes(ROOT));
    assert.ok(!heard.includes(STORY));
  });

  it("shows the viewer's own new comment at once, once", () => {
    const { store } = loaded();
    const mine = comment({ viewer: { reacted: false, reported: false, own: true } });
    assert.equal(store.receive(mine, true), false);
    assert.equal(store.root.ids[0], mine.id);
    store.insert(mine); // the answer to the POST, after its event
    assert.equal(store.root.ids.filter((id) => id === mine.id).length, 1);
    assert.equal(store.newCount, 0);
  });

  it('puts a reply under a parent that shows all its replies, else counts it', () => {
    const { store, open, more, heard } = loaded();
    const answer = reply(open);
    store.receive(answer, true);
    assert.deepEqual(store.entry(open.id)?.childIds.at(-1), answer.id);
    assert.equal(store.entry(open.id)?.comment.replyCount, 2);
    assert.deepEqual(heard, [open.id], 'only the parent re-renders');

    heard.length = 0;
    store.receive(reply(more), true);
    assert.deepEqual(store.entry(more.id)?.childIds, []);
    assert.equal(store.entry(more.id)?.comment.replyCount, 4, 'one more to load');
    assert.deepEqual(heard, [more.id]);

    // A reply to a comment that is not loaded, and an edit of one, change nothing.
    heard.length = 0;
    store.receive(reply(comment()), true);
    store.receive(comment(), false);
    assert.deepEqual(heard, []);
    assert.equal(store.newCount, 0);
  });

  it('updates a comment in place, keeping the marks events do not carry', () => {
    const { store, open, heard } = loaded();
    store.setReaction(open.id, 4, true);
    heard.length = 0;
    store.receive({ ...open, html: '<p>edited</p>', reactionCount: 4 }, false);
    const entry = store.entry(open.id);
    assert.equal(entry?.comment.html, '<p>edited</p>');
    assert.equal(entry?.comment.viewer.reacted, true);
    assert.equal(entry?.childIds.length, 1, 'its replies stay');
    store.setReactionCount(open.id, 9);
    assert.equal(store.entry(open.id)?.comment.reactionCount, 9);
    assert.equal(store.entry(open.id)?.comment.viewer.reacted, true);
    assert.deepEqual(heard, [open.id, open.id]);
  });

  it('takes removed comments off the page or out of the queue, or leaves a tombstone', () => {
    const { store, open, shownReply, more, heard } = loaded();
    store.discard(shownReply.id, null);
    assert.deepEqual(store.entry(open.id)?.childIds, []);
    assert.equal(store.entry(shownReply.id), undefined);
    assert.deepEqual(heard, [STORY, open.id]);

    store.discard(more.id, { ...more, deleted: true, status: 'deleted', html: '' });
    assert.equal(store.entry(more.id)?.comment.deleted, true);

    const queued = comment();
    store.receive(queued, true);
    assert.equal(store.newCount, 1);
    store.discard(queued.id, null);
    assert.equal(store.newCount, 0);
    store.discard('unknown', null); // a no-op
    heard.length = 0;
    store.setCommentCount(42);
    assert.equal(store.story?.commentCount, 42);
    assert.deepEqual(heard, [STORY]);
  });

  it('offers what the polled count grew by, and a reload resets it', () => {
    const { store } = loaded();
    store.setUnseen(3);
    assert.equal(store.newCount, 3);
    assert.equal(store.newNeedsReload, true);
    store.reset(
      {
        story: { ...THE_STORY, commentCount: 8 },
        comments: [],
        nextCursor: null,
        pending: [],
      },
      'newest',
    );
    assert.equal(store.newCount, 0);
    assert.equal(store.newNeedsReload, false);
  });

  it('queues only featured comments on the Featured tab', () => {
    const store = new ThreadStore();
    store.reset(
      {
        story: { ...THE_STORY, commentCount: 1 },
        comments: [],
        nextCursor: null,
        pending: [],
      },
      'featured',
    );
    assert.equal(store.receive(comment(), true), false);
    assert.equal(store.receive(comment({ featured: true }), true), true);
    assert.equal(store.newCount, 1);
    assert.equal(store.newNeedsReload, true, 'a list in another order than newest is reloaded');
  });
});
