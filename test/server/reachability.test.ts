/**
 * Every published comment is reachable: random threads (up to depth 8, every sort order, author
 * deletions, comments held for review and approved or left waiting, comments rejected by a
 * moderator) are walked page by page through the public API the way the widget walks them (thread
 * pages by `nextCursor`, then every comment's replies by `repliesCursor` and the reply pages'
 * `nextCursor`), and the walk must reach every approved comment whose thread parents are all
 * published, exactly once, and nothing else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seededRandom } from '../../src/domain/seeded-random.ts';
import { placeReply } from '../../src/domain/thread.ts';
import { insertComment } from '../../src/store/comments.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

interface Node {
  id: string;
  parentId: string | null;
  threadParentId: string | null;
  depth: number;
  state: 'approved' | 'pending' | 'rejected' | 'deleted' | 'tombstone';
}

const SORTS = ['newest', 'oldest', 'replies', 'reactions'] as const;

for (const engine of await testEngines()) {
  describe(`every published comment is reachable (${engine})`, () => {
    let app: TestApp;
    let readers: { token: string; id: string }[];
    let admin: string;

    before(async () => {
      app = await createTestApp(engine, { PARLEY_WRITE_RATE_LIMIT: '100000' });
      readers = [await app.signup('Amal'), await app.signup('Noa'), await app.signup('Wei')];
      admin = await app.admin();
    });
    after(async () => app.close());

    /** Builds a random thread on a new story; returns its comments as the database holds them. */
    async function buildThread(seed: number, maxDepth: number): Promise<[string, Node[]]> {
      // Seeded, so that a failing thread can be rebuilt from its seed.
      const next = seededRandom(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
      await app.store.db
        .updateTable('sites')
        .set({ max_depth: maxDepth })
        .where('id', '=', app.site.id)
        .execute();
      await app.sites.refresh();
      const story = await app.story();
      const nodes: Node[] = [];
      const size = 20 + Math.floor(next() * 40);
      for (let i = 0; i < size; i++) {
        const open = nodes.filter((n) => n.state === 'approved');
        // Deep chains are likely: a reply usually answers one of the latest comments.
        const parent =
          open.length === 0 || next() < 0.2
            ? null
            : next() < 0.6
              ? (open.at(-1 - Math.floor(next() * Math.min(3, open.length))) ?? null)
              : pick(open);
        const author = pick(readers);
        if (next() < 0.12) {
          // Held for review: readers do not see it (nor, yet, any reply to it).
          const place = parent ? placeReply(parent, maxDepth) : null;
          const held = await insertComment(app.store.db, {
            siteId: app.site.id,
            storyId: story,
            parentId: parent?.id ?? null,
            threadParentId: place?.threadParentId ?? null,
            depth: place?.depth ?? 0,
            authorId: author.id,
            body: `held ${i}`,
            html: `<p>held ${i}</p>`,
            status: 'pending',
          });
          assert.ok(held);
          nodes.push({
            id: held.id,
            parentId: parent?.id ?? null,
            threadParentId: held.threadParentId,
            depth: held.depth,
            state: 'pending',
          });
          continue;
        }
        const posted = await app.post(story, author.token, `comment ${i}`, parent?.id);
        assert.equal(posted.status, 201, posted.text);
        const c = posted.json.comment;
        nodes.push({
          id: c.id,
          parentId: c.parentId,
          threadParentId: c.threadParentId,
          depth: c.depth,
          state: 'approved',
        });
      }
      // Moderators approve some held comments, reject some published ones; authors delete some
      // of theirs (a comment with replies stays as a tombstone).
      for (const node of nodes) {
        const roll = next();
        if (node.state === 'pending' && roll < 0.5) {
          const approved = await app.request({
            method: 'POST',
            url: `/api/v1/admin/comments/${node.id}/approve`,
            token: admin,
          });
          assert.equal(approved.status, 200, approved.text);
          node.state = 'approved';
        } else if (node.state === 'approved' && roll < 0.08) {
          const rejected = await app.request({
            method: 'POST',
            url: `/api/v1/admin/comments/${node.id}/reject`,
            token: admin,
            body: { reason: 'ABUSE' },
          });
          assert.equal(rejected.status, 200, rejected.text);
          node.state = 'rejected';
        }
      }
      for (const node of nodes) {
        if (node.state !== 'approved' || next() >= 0.08) continue;
        const row = await app.store.db
          .selectFrom('comments')
          .select(['author_id'])
          .where('id', '=', node.id)
          .executeTakeFirstOrThrow();
        const author = readers.find((r) => r.id === row.author_id);
        const deleted = await app.request({
          method: 'DELETE',
          url: `/api/v1/comments/${node.id}`,
          token: author?.token,
        });
        assert.equal(deleted.status, 200, deleted.text);
        node.state = deleted.json.comment ? 'tombstone' : 'deleted';
      }
      return [story, nodes];
    }

    /** The published comments a reader should find: shown, under shown thread parents. */
    function expectedIds(nodes: Node[]): Set<string> {
      const byId = new Map(nodes.map((n) => [n.id, n]));
      const shown = (node: Node | undefined): boolean => {
        if (!node || (node.state !== 'approved' && node.state !== 'tombstone')) return false;
        return node.threadParentId === null || shown(byId.get(node.threadParentId));
      };
      return new Set(nodes.filter((n) => shown(n)).map((n) => n.id));
    }

    /** Walks the thread as the widget does; returns every comment id in the order reached. */
    async function walk(story: string, sort: string, limit: number): Promise<string[]> {
      const reached: string[] = [];
      const openReplies = async (parentId: string, cursor: string | null) => {
        for (let next = cursor; next !== null;) {
          const page = await app.request({
            method: 'GET',
            url: `/api/v1/comments/${parentId}/replies?limit=${limit}&cursor=${next}`,
          });
          assert.equal(page.status, 200, page.text);
          for (const reply of page.json.comments) await visit(reply);
          next = page.json.nextCursor;
        }
      };
      const visit = async (comment: {
        id: string;
        replies?: { id: string }[];
        repliesCursor?: string | null;
      }) => {
        reached.push(comment.id);
        for (const reply of comment.replies ?? []) {
          await visit(reply as typeof comment);
        }
        await openReplies(comment.id, comment.repliesCursor ?? null);
      };
      let cursor: string | null = '';
      while (cursor !== null) {
        const query: string = `sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await app.request({
          method: 'GET',
          url: `/api/v1/stories/${story}/comments?${query}`,
        });
        assert.equal(page.status, 200, page.text);
        for (const comment of page.json.comments) await visit(comment);
        cursor = page.json.nextCursor;
      }
      return reached;
    }

    for (let trial = 0; trial < 6; trial++) {
      const seed = 1000 + trial;
      const maxDepth = [1, 2, 3, 8, 5, 8][trial] ?? 8;
      it(`thread ${seed} (max depth ${maxDepth}): every published comment, once`, async () => {
        const [story, nodes] = await buildThread(seed, maxDepth);
        const expected = expectedIds(nodes);
        const deepest = Math.max(...nodes.map((n) => n.depth));
        assert.ok(deepest >= Math.min(maxDepth, 2), `the thread reaches depth ${deepest}`);
        for (const sort of SORTS) {
          const limit = 1 + ((seed + sort.length) % 7);
          const reached = await walk(story, sort, limit);
          assert.equal(new Set(reached).size, reached.length, `${sort}: nothing twice`);
          assert.deepEqual(
            [...reached].sort(),
            [...expected].sort(),
            `${sort}, pages of ${limit}: reached exactly the published comments`,
          );
        }
      });
    }
  });
}
