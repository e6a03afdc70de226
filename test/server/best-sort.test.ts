/**
 * The Best order, readers' views, the site's default order and pinning, on both engines over real
 * HTTP (a listening server and fetch): the order the API gives is the one src/domain/best.ts
 * computes from the stored counts; Best cursors neither repeat nor skip a comment, also when counts
 * change between pages without moving a comment across the cursor (one that crosses it may show
 * twice or not at all: docs/sorting.md); the views route counts each address once per comment,
 * counts only the story's published comments, keeps each client's memory apart, refuses bad
 * input with a JSON error and is rate-limited; a flush that moves the order bumps the story's
 * cached pages; a site's default order and its pinned newsroom and featured comments.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bestKey } from '../../src/domain/best.ts';
import { addViews, insertComment, setReaction } from '../../src/store/comments.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const HOUR = 3600_000;

interface Http {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  json: any;
}

/** A listening server for `app`, and a fetch against it. */
async function serve(app: TestApp) {
  const address = await app.app.listen({ port: 0, host: '127.0.0.1' });
  return async (
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    raw?: string,
  ): Promise<Http> => {
    const response = await fetch(`${address}${path}`, {
      method,
      headers: {
        origin: 'https://news.example',
        ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(raw !== undefined ? { body: raw } : body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  };
}

let users = 0;
async function user(app: TestApp, role: 'commenter' | 'staff' | 'moderator' = 'commenter') {
  const created = await insertUser(app.store.db, {
    email: `best${++users}.${Date.now()}@example.com`,
    displayName: `Reader ${users}`,
    passwordHash: null,
    role,
  });
  assert.ok(created);
  return created.id;
}

async function comment(
  app: TestApp,
  storyId: string,
  authorId: string,
  hoursAgo: number,
  parent?: string,
): Promise<string> {
  const stored = await insertComment(app.store.db, {
    siteId: app.site.id,
    storyId,
    parentId: parent ?? null,
    threadParentId: parent ?? null,
    depth: parent ? 1 : 0,
    authorId,
    body: `Written ${hoursAgo} hours ago`,
    html: `<p>Written ${hoursAgo} hours ago</p>`,
    status: 'approved',
    createdAt: new Date(Date.now() - hoursAgo * HOUR),
  });
  assert.ok(stored);
  return stored.id;
}

const ids = (page: Http): string[] => page.json.comments.map((c: { id: string }) => c.id);

for (const engine of await testEngines()) {
  describe(`the Best order, views, default order and pinning (${engine})`, () => {
    let app: TestApp;
    let http: Awaited<ReturnType<typeof serve>>;
    let admin: string;
    const reactors: string[] = [];
    before(async () => {
      app = await createTestApp(engine, { PARLEY_THREAD_CACHE_TTL_MS: '0' });
      http = await serve(app);
      admin = await app.admin();
      for (let i = 0; i < 12; i++) reactors.push(await user(app));
    });
    after(async () => app.close());

    const respect = async (commentId: string, n: number) => {
      for (const reactor of reactors.slice(0, n)) {
        await setReaction(app.store.db, commentId, reactor, true);
      }
    };
    const stored = async (storyId: string) =>
      app.store.db
        .selectFrom('comments')
        .select(['id', 'reaction_count', 'view_count', 'created_at', 'best_key'])
        .where('story_id', '=', storyId)
        .where('thread_parent_id', 'is', null)
        .execute();
    const expectedOrder = async (storyId: string) =>
      (await stored(storyId))
        .map((row) => ({
          id: row.id,
          key: bestKey({
            respects: row.reaction_count,
            views: row.view_count,
            createdAt: row.created_at,
          }),
        }))
        .sort((a, b) => b.key - a.key || (a.id < b.id ? 1 : -1))
        .map((row) => row.id);
    const best = (storyId: string, query = '') =>
      http('GET', `/api/v1/stories/${storyId}/comments?sort=best${query}`);

    it('ranks by respects against views and age, as the stored key says', async () => {
      const story = await app.story();
      const author = await user(app);
      const established = await comment(app, story, author, 30); // 10 of 14, a day old
      const lucky = await comment(app, story, author, 30); // 1 of 1, as old
      const fresh = await comment(app, story, author, 1); // nothing yet, new
      const liked = await comment(app, story, author, 2); // 5 of 6, recent
      const ignored = await comment(app, story, author, 2); // 0 of 40, recent
      await respect(established, 10);
      await respect(lucky, 1);
      await respect(liked, 5);
      await addViews(
        app.store.db,
        story,
        new Map([
          [established, 14],
          [lucky, 1],
          [liked, 6],
          [ignored, 40],
        ]),
      );
      for (const row of await stored(story)) {
        const key = bestKey({
          respects: row.reaction_count,
          views: row.view_count,
          createdAt: row.created_at,
        });
        assert.ok(Math.abs(Number(row.best_key) - key) < 1e-6, 'the stored key is in step');
      }
      const page = await best(story);
      assert.equal(page.status, 200);
      assert.deepEqual(ids(page), await expectedOrder(story));
      const order = ids(page);
      assert.ok(order.indexOf(liked) < order.indexOf(fresh), 'evidence beats mere newness');
      assert.ok(
        order.indexOf(established) < order.indexOf(lucky),
        'one lucky respect is not enough',
      );
      assert.ok(order.indexOf(fresh) < order.indexOf(ignored), 'seen by many, respected by none');
      const newest = ids(await http('GET', `/api/v1/stories/${story}/comments?sort=newest`));
      const reactions = ids(await http('GET', `/api/v1/stories/${story}/comments?sort=reactions`));
      assert.notDeepEqual(order, newest);
      assert.notDeepEqual(order, reactions);

      // Taking a respect back moves the key down again.
      const before = (await stored(story)).find((r) => r.id === liked)!.best_key;
      await setReaction(app.store.db, liked, reactors[0]!, false);
      const afterwards = (await stored(story)).find((r) => r.id === liked)!.best_key;
      assert.ok(Number(afterwards) < Number(before));
    });

    it('pages by cursor without repeating or skipping, also when counts change on one side of the cursor', async () => {
      const story = await app.story();
      const author = await user(app);
      const all: string[] = [];
      for (let i = 0; i < 9; i++) all.push(await comment(app, story, author, i % 3)); // ties
      await respect(all[4]!, 2);
      await respect(all[7]!, 1);
      const whole = ids(await best(story, '&limit=100'));
      assert.deepEqual(whole, await expectedOrder(story));

      const seen: string[] = [];
      let page = await best(story, '&limit=3');
      seen.push(...ids(page));
      // Counts change between pages: a comment already shown gains respects (it moves up, still
      // before the cursor) and one not yet shown loses ground to views (it moves down, still after).
      await respect(seen[0]!, 3);
      const later = whole.at(-2)!;
      await addViews(app.store.db, story, new Map([[later, 5]]));
      while (page.json.nextCursor) {
        page = await best(story, `&limit=3&cursor=${encodeURIComponent(page.json.nextCursor)}`);
        assert.equal(page.status, 200);
        seen.push(...ids(page));
      }
      assert.equal(new Set(seen).size, seen.length, 'no comment twice');
      assert.deepEqual([...seen].sort(), [...all].sort(), 'every comment once');
    });

    it('refuses forged and foreign cursors with a JSON error', async () => {
      const story = await app.story();
      const id = '01HZY3M9QK8W5T2N4RBXJ6CDVE';
      const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      for (const cursor of [
        forge(['best', 1e12, id]),
        forge(['best', 'NaN', id]),
        forge(['best', null, "' or 1=1 --"]),
        forge(['reactions', 3, id]),
        forge(['newest', null, id]),
        'not a cursor',
      ]) {
        const page = await best(story, `&cursor=${encodeURIComponent(cursor)}`);
        assert.equal(page.status, 400, cursor);
        assert.equal(page.json.error.code, 'INVALID_CURSOR');
      }
    });

    it('counts views once per address and comment, after a flush, only for the story', async () => {
      const story = await app.story();
      const other = await app.story();
      const author = await user(app);
      const [a, b] = [await comment(app, story, author, 1), await comment(app, story, author, 1)];
      const elsewhere = await comment(app, other, author, 1);
      const views = async (id: string) =>
        (
          await app.store.db
            .selectFrom('comments')
            .select('view_count')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).view_count;

      const sent = await http('POST', `/api/v1/stories/${story}/views`, {
        commentIds: [a, b, a, elsewhere],
      });
      assert.equal(sent.status, 204);
      assert.equal(await views(a), 0, 'buffered until a flush');
      await app.views.flush();
      assert.equal(await views(a), 1, 'a repeated id counts once');
      assert.equal(await views(b), 1);
      assert.equal(await views(elsewhere), 0, "another story's comment is not counted");

      // The same address again: nothing more; other addresses count, an IPv6 /64 once.
      assert.equal(
        (await http('POST', `/api/v1/stories/${story}/views`, { commentIds: [a] })).status,
        204,
      );
      for (const remoteAddress of ['203.0.113.7', '2001:db8:1:2::5', '2001:db8:1:2:ffff::9']) {
        const injected = await app.app.inject({
          method: 'POST',
          url: `/api/v1/stories/${story}/views`,
          remoteAddress,
          payload: { commentIds: [a] },
        });
        assert.equal(injected.statusCode, 204);
      }
      await app.views.flush();
      assert.equal(await views(a), 3, 'one more for 203.0.113.7 and one for the IPv6 network');
    });

    it('keeps only the story’s published comments: made-up ids take no memory and no write', async () => {
      const story = await app.story();
      const author = await user(app);
      const real = await comment(app, story, author, 1);
      const rejected = await comment(app, story, author, 1);
      await app.store.db
        .updateTable('comments')
        .set({ status: 'rejected' })
        .where('id', '=', rejected)
        .execute();
      const made = Array.from(
        { length: 99 },
        (_, i) => `01ARZ3NDEKTSV4RRFFQ69G${String(i).padStart(4, '0')}`,
      );
      const before = app.views.remembered;
      const sent = await app.app.inject({
        method: 'POST',
        url: `/api/v1/stories/${story}/views`,
        remoteAddress: '192.0.2.50',
        payload: { commentIds: [...made, rejected] },
      });
      assert.equal(sent.statusCode, 204);
      assert.equal(
        app.views.remembered,
        before,
        'nothing remembered for ids that are not comments',
      );
      assert.equal(app.views.rememberedOf('192.0.2.50'), 0);

      // A counter of its own, small enough to show the limits: made-up ids fill nothing.
      const { ViewCounter } = await import('../../src/services/views.ts');
      const counter = new ViewCounter(app.store, { flushMs: 0, maxPending: 2 });
      assert.equal(await counter.report('192.0.2.51', story, made), 0);
      assert.equal(await counter.report('192.0.2.52', story, [real, rejected]), 1);
      assert.equal(counter.remembered, 1);
      await counter.stop();
      const row = await app.store.db
        .selectFrom('comments')
        .select('view_count')
        .where('id', '=', real)
        .executeTakeFirstOrThrow();
      assert.equal(row.view_count, 1);
    });

    it('gives each client its own budget in the memory: one cannot push out others, nor count again early', async () => {
      const story = await app.story();
      const author = await user(app);
      const comments: string[] = [];
      for (let i = 0; i < 8; i++) comments.push(await comment(app, story, author, 1));
      const { ViewCounter } = await import('../../src/services/views.ts');
      const HOURS_6 = 6 * HOUR;
      const counter = new ViewCounter(app.store, {
        flushMs: 0,
        dedupeMs: HOURS_6,
        maxPerClient: 3,
        maxRemembered: 6,
      });
      const t = 1_000_000;
      // A reader's two views, then one client (an IPv6 /64) going through every comment, twice.
      assert.equal(await counter.report('198.51.100.9', story, comments.slice(0, 2), t), 2);
      assert.equal(await counter.report('2001:db8:9::1', story, comments, t + 1), 3, 'its budget');
      assert.equal(
        await counter.report('2001:db8:9::2', story, comments, t + 2),
        0,
        'the same /64',
      );
      assert.equal(counter.rememberedOf('2001:db8:9::1'), 3);
      assert.equal(counter.rememberedOf('198.51.100.9'), 2, 'the reader is still remembered');
      assert.equal(await counter.report('198.51.100.9', story, comments.slice(0, 2), t + 3), 0);
      assert.equal(
        await counter.report('2001:db8:9::1', story, comments.slice(0, 3), t + 4),
        0,
        'not counted again within the window',
      );
      // Six hours later the window has passed: each counts again, within its budget.
      assert.equal(await counter.report('2001:db8:9::1', story, comments, t + 1 + HOURS_6), 3);
      assert.equal(
        await counter.report('198.51.100.9', story, comments.slice(0, 1), t + HOURS_6),
        1,
      );
      await counter.stop();
      const counts = await app.store.db
        .selectFrom('comments')
        .select(['id', 'view_count'])
        .where('story_id', '=', story)
        .execute();
      const total = counts.reduce((sum, row) => sum + row.view_count, 0);
      assert.equal(total, 2 + 3 + 3 + 1);
    });

    it('refuses bad view reports with a clear JSON error', async () => {
      const story = await app.story();
      const author = await user(app);
      const a = await comment(app, story, author, 1);
      const many = Array.from({ length: 101 }, () => a);
      const cases: [string, unknown, string | undefined][] = [
        ['too many ids', { commentIds: many }, undefined],
        ['no ids', { commentIds: [] }, undefined],
        ['not an id', { commentIds: ["' or 1=1 --"] }, undefined],
        ['script', { commentIds: ['<script>alert(1)</script>'] }, undefined],
        ['extra field', { commentIds: [a], views: 1000 }, undefined],
        ['ids as a string', { commentIds: a }, undefined],
        ['malformed JSON', undefined, '{"commentIds": ['],
        ['oversized id', { commentIds: ['A'.repeat(100_000)] }, undefined],
      ];
      for (const [name, body, raw] of cases) {
        const response = await http('POST', `/api/v1/stories/${story}/views`, body, undefined, raw);
        assert.ok(response.status >= 400 && response.status < 500, `${name}: ${response.status}`);
        assert.equal(typeof response.json?.error?.code, 'string', name);
      }
      const unknown = await http('POST', `/api/v1/stories/01HZY3M9QK8W5T2N4RBXJ6CDVE/views`, {
        commentIds: [a],
      });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json.error.code, 'STORY_NOT_FOUND');
      await app.views.flush();
      const row = await app.store.db
        .selectFrom('comments')
        .select('view_count')
        .where('id', '=', a)
        .executeTakeFirstOrThrow();
      assert.equal(row.view_count, 0, 'nothing refused was counted');
    });

    it('lets admins choose the default order and pinning; readers get it from resolve', async () => {
      const patch = (body: unknown, token = admin) =>
        http('PATCH', `/api/v1/sites/${app.site.id}`, body, token);
      for (const bad of [
        { defaultSort: 'random' },
        { defaultSort: 'featured' },
        { pinNewsroom: 'yes' },
      ]) {
        const refused = await patch(bad);
        assert.equal(refused.status, 400, JSON.stringify(bad));
        assert.equal(refused.json.error.code, 'VALIDATION_FAILED');
      }
      const reader = await app.signup('Not an admin');
      assert.equal((await patch({ defaultSort: 'best' }, reader.token)).status, 403);
      const changed = await patch({ defaultSort: 'best', pinNewsroom: false });
      assert.equal(changed.status, 200);
      assert.equal(changed.json.site.defaultSort, 'best');
      assert.equal(changed.json.site.pinNewsroom, false);
      const resolved = await http('POST', '/api/v1/stories/resolve', {
        url: 'https://news.example/news/default-sort',
        storyId: 'default-sort',
      });
      assert.equal(resolved.status, 200);
      assert.equal(resolved.json.site.defaultSort, 'best');
      await patch({ defaultSort: 'newest' });
    });

    it('pins the newsroom and featured comments on the default order’s first page only', async () => {
      const story = await app.story();
      const reader = await user(app);
      const staff = await user(app, 'staff');
      const moderator = await user(app, 'moderator');
      const byStaff = await comment(app, story, staff, 50);
      const featured = await comment(app, story, reader, 40);
      await app.store.db
        .updateTable('comments')
        .set({ featured: 1 })
        .where('id', '=', featured)
        .execute();
      const others: string[] = [];
      for (let i = 0; i < 6; i++) others.push(await comment(app, story, reader, 10 - i));
      // A staff reply does not pin the comment it answers (docs/sorting.md); a moderator's reply
      // is not pinned itself either.
      await comment(app, story, moderator, 1, others[0]);
      const patch = (body: unknown) => http('PATCH', `/api/v1/sites/${app.site.id}`, body, admin);
      assert.equal((await patch({ defaultSort: 'newest', pinNewsroom: true })).status, 200);

      let page = await http('GET', `/api/v1/stories/${story}/comments?sort=newest&limit=2`);
      assert.equal(page.status, 200);
      assert.deepEqual(ids(page).slice(0, 2), [featured, byStaff], 'pinned first, newest first');
      assert.deepEqual(
        page.json.comments.map((c: { pinned?: boolean }) => c.pinned === true),
        [true, true, false, false],
      );
      const seen = [...ids(page)];
      while (page.json.nextCursor) {
        page = await http(
          'GET',
          `/api/v1/stories/${story}/comments?sort=newest&limit=2&cursor=${encodeURIComponent(page.json.nextCursor)}`,
        );
        assert.ok(page.json.comments.every((c: { pinned?: boolean }) => c.pinned === undefined));
        seen.push(...ids(page));
      }
      assert.equal(new Set(seen).size, seen.length, 'pinned comments are not listed again');
      assert.deepEqual(seen.slice(2), [...others].reverse());

      // Without a sort, the API lists newest first (the default here): pinned too.
      const implicit = await http('GET', `/api/v1/stories/${story}/comments?limit=2`);
      assert.equal(implicit.json.comments[0].pinned, true);
      // Another order: nothing pinned, everyone in their place.
      const oldest = await http('GET', `/api/v1/stories/${story}/comments?sort=oldest&limit=100`);
      assert.deepEqual(ids(oldest), [byStaff, featured, ...others]);
      assert.ok(oldest.json.comments.every((c: { pinned?: boolean }) => c.pinned === undefined));
      // Pinning off: nothing pinned on the default order either.
      await patch({ pinNewsroom: false });
      const plain = await http('GET', `/api/v1/stories/${story}/comments?sort=newest&limit=100`);
      assert.deepEqual(ids(plain), [...others].reverse().concat([featured, byStaff]));
      assert.ok(plain.json.comments.every((c: { pinned?: boolean }) => c.pinned === undefined));
    });

    it("pins the story's site's newsroom only: a moderator of other sites is a reader here", async () => {
      const story = await app.story();
      const scoped = async (siteIds: string[]) => {
        const id = await user(app, 'moderator');
        await app.store.db
          .updateTable('users')
          .set({ moderator_site_ids: JSON.stringify(siteIds) })
          .where('id', '=', id)
          .execute();
        return id;
      };
      const otherSite = '01ARZ3NDEKTSV4RRFFQ69G5FAW';
      const reader = await user(app);
      const byElsewhere = await comment(app, story, await scoped([otherSite]), 3);
      const byHere = await comment(app, story, await scoped([otherSite, app.site.id]), 4);
      const byStaff = await comment(app, story, await user(app, 'staff'), 5);
      const plain = await comment(app, story, reader, 2);
      const patch = (body: unknown) => http('PATCH', `/api/v1/sites/${app.site.id}`, body, admin);
      assert.equal((await patch({ defaultSort: 'newest', pinNewsroom: true })).status, 200);
      try {
        const page = await http('GET', `/api/v1/stories/${story}/comments?sort=newest&limit=10`);
        assert.equal(page.status, 200);
        const pinned = page.json.comments
          .filter((c: { pinned?: boolean }) => c.pinned === true)
          .map((c: { id: string }) => c.id);
        assert.deepEqual(
          pinned,
          [byHere, byStaff],
          "this site's moderator and staff, newest first",
        );
        assert.deepEqual(ids(page).slice(2), [plain, byElsewhere], 'the others in their place');
      } finally {
        await patch({ pinNewsroom: false });
      }
    });
  });

  describe(`views against cached pages and the rate limit (${engine})`, () => {
    let app: TestApp;
    let http: Awaited<ReturnType<typeof serve>>;
    before(async () => {
      // Pages live for ten minutes: only the story's version can make a new order show.
      app = await createTestApp(engine, {
        PARLEY_THREAD_CACHE_TTL_MS: '600000',
        PARLEY_WRITE_RATE_LIMIT: '3',
      });
      http = await serve(app);
    });
    after(async () => app.close());

    it('a flush that moves the Best order bumps the story’s cached pages', async () => {
      const story = await app.story();
      const author = await user(app);
      const reactor = await user(app);
      const first = await comment(app, story, author, 2);
      const second = await comment(app, story, author, 2);
      await setReaction(app.store.db, first, reactor, true);
      await setReaction(app.store.db, second, reactor, true);
      const read = async () =>
        ids(await http('GET', `/api/v1/stories/${story}/comments?sort=best`));
      const before = await read();
      assert.deepEqual(before, [second, first], 'equal evidence: the later id first');
      assert.deepEqual(await read(), before, 'served from the cache');
      // Views without respects push `second` down, from several addresses.
      for (const remoteAddress of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        const sent = await app.app.inject({
          method: 'POST',
          url: `/api/v1/stories/${story}/views`,
          remoteAddress,
          payload: { commentIds: [second] },
        });
        assert.equal(sent.statusCode, 204);
      }
      assert.deepEqual(await read(), before, 'not yet written');
      await app.views.flush();
      assert.deepEqual(await read(), [first, second], 'the new order, at once');
    });

    it('limits view reports per address', async () => {
      const story = await app.story();
      const author = await user(app);
      const a = await comment(app, story, author, 1);
      const statuses: number[] = [];
      // The limit is four times the write limit (3) a minute.
      for (let i = 0; i < 14; i++) {
        const sent = await http('POST', `/api/v1/stories/${story}/views`, { commentIds: [a] });
        statuses.push(sent.status);
        if (sent.status === 429) assert.equal(typeof sent.json.error.code, 'string');
      }
      assert.ok(
        statuses.slice(0, 12).every((s) => s === 204),
        statuses.join(),
      );
      assert.equal(statuses.at(-1), 429);
    });
  });
}
