/**
 * What the moderation API (/api/v1/admin, docs/moderation-api.md) does, on both engines: held
 * and rejected comments as readers and authors see them before and after a decision, reports
 * closed and reopened, undo and its refusals, featuring, bulk decisions, queue order and paging,
 * counts, actions on accounts and what they do to posting, who may act on whom, roles, notes, the
 * audit log, search, statistics, and site and story settings. The thread cache is on: every
 * decision must reach readers through it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertSite } from '../../src/store/sites.ts';
import type { Site } from '../../src/store/rows.ts';
import { createTestApp, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const OTHER_ORIGIN = 'https://other.example';
const ENV = { PARLEY_AUTH_RATE_LIMIT: '1000', PARLEY_WRITE_RATE_LIMIT: '100000' };

interface Account {
  token: string;
  id: string;
}
interface ThreadComment {
  id: string;
  status: string;
  replyCount: number;
  rejection?: { code: string; note: string | null };
  replies?: ThreadComment[];
}

function assertError(response: ApiResponse, status: number, code: string, label = ''): void {
  const context = `${label} → ${response.status} ${response.text.slice(0, 300)}`;
  assert.equal(response.status, status, context);
  assert.equal(response.json?.error?.code, code, context);
}

/** Every comment of a thread page, replies included. */
const flatten = (comments: ThreadComment[]): ThreadComment[] =>
  comments.flatMap((c) => [c, ...flatten(c.replies ?? [])]);

for (const engine of await testEngines()) {
  describe(`moderation API behaviour (${engine})`, () => {
    let app: TestApp;
    let other: Site;
    let admin: Account;
    let moderator: Account;
    let siteModerator: Account;
    let rana: Account;
    let yossi: Account;
    let mei: Account;

    const db = () => app.store.db;
    const call = (
      method: 'GET' | 'POST' | 'PUT' | 'PATCH',
      url: string,
      token: string,
      body?: unknown,
    ) =>
      app.request({
        method,
        url: `/api/v1/admin${url}`,
        token,
        ...(body !== undefined && { body }),
      });
    async function ok(
      method: 'GET' | 'POST' | 'PUT' | 'PATCH',
      url: string,
      token = admin.token,
      body?: unknown,
    ): Promise<ApiResponse['json']> {
      const response = await call(method, url, token, body);
      assert.equal(response.status, 200, `${method} ${url} → ${response.text.slice(0, 300)}`);
      return response.json;
    }
    const approve = (id: string, token = admin.token) =>
      ok('POST', `/comments/${id}/approve`, token);
    const reject = (id: string, reason = 'ABUSE', note?: string) =>
      ok('POST', `/comments/${id}/reject`, admin.token, { reason, ...(note && { note }) });
    const undo = (actionId: string, token = admin.token) =>
      call('POST', `/actions/${actionId}/undo`, token);
    const thread = (story: string, token?: string) =>
      app.request({ method: 'GET', url: `/api/v1/stories/${story}/comments`, token });
    async function visible(story: string, token?: string) {
      const page = await thread(story, token);
      assert.equal(page.status, 200, page.text);
      return {
        ids: flatten(page.json.comments).map((c) => c.id),
        byId: new Map(flatten(page.json.comments).map((c) => [c.id, c])),
        pending: page.json.pending as ThreadComment[],
        commentCount: page.json.story.commentCount as number,
      };
    }
    async function posted(story: string, who: Account, body: string, parentId?: string) {
      const response = await app.post(story, who.token, body, parentId);
      assert.equal(response.status, 201, response.text);
      return { id: response.json.comment.id as string, status: response.json.comment.status };
    }
    /** A comment on the other site (a reader of both sites is the other desk's reader too). */
    async function postedElsewhere(who: Account, body: string) {
      const story = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        origin: OTHER_ORIGIN,
        body: { url: `${OTHER_ORIGIN}/news/elsewhere`, storyId: 'elsewhere' },
      });
      assert.equal(story.status, 200, story.text);
      const response = await app.request({
        method: 'POST',
        url: `/api/v1/stories/${story.json.story.id}/comments`,
        origin: OTHER_ORIGIN,
        token: who.token,
        body: { body },
      });
      assert.equal(response.status, 201, response.text);
      return { id: response.json.comment.id as string, status: response.json.comment.status };
    }
    const setUser = (id: string, values: Record<string, unknown>) =>
      db().updateTable('users').set(values).where('id', '=', id).execute();
    const premoderate = (story: string) =>
      db().updateTable('stories').set({ premoderated: 1 }).where('id', '=', story).execute();
    const commentRow = (id: string) =>
      db().selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const queue = async (name: string, query: string) =>
      ((await ok('GET', `/queues/${name}?${query}`)).items as { comment: { id: string } }[]).map(
        (item) => item.comment.id,
      );

    before(async () => {
      app = await createTestApp(engine, ENV);
      other = await insertSite(app.store.db, {
        name: 'Other News',
        allowedOrigins: [OTHER_ORIGIN],
        editWindowSeconds: 900,
        maxDepth: 3,
        moderation: { repeatWindowSeconds: 0, maxPostsPerMinute: 100_000 },
      });
      await app.sites.refresh();
      admin = { token: await app.admin(), id: '' };
      admin.id = (await ok('GET', '/me')).user.id;
      moderator = await app.signup('Moderator Mo');
      await setUser(moderator.id, { role: 'moderator' });
      siteModerator = await app.signup('Other Desk');
      await setUser(siteModerator.id, {
        role: 'moderator',
        moderator_site_ids: JSON.stringify([other.id]),
      });
      rana = await app.signup('Rana');
      yossi = await app.signup('Yossi');
      mei = await app.signup('Mei');
    });
    after(async () => app.close());

    it('keeps a held reply from other readers until approved, then counts it', async () => {
      const story = await app.story();
      const parent = await posted(story, rana, 'The parent comment.');
      await setUser(yossi.id, { always_premoderate: 1 });
      const reply = await posted(story, yossi, 'A held reply.', parent.id);
      await setUser(yossi.id, { always_premoderate: 0 });
      assert.equal(reply.status, 'pending');
      for (const token of [undefined, rana.token, mei.token]) {
        const seen = await visible(story, token);
        assert.deepEqual(seen.ids, [parent.id]);
        assert.ok(!seen.pending.some((c) => c.id === reply.id));
        assert.equal(seen.commentCount, 1);
        assert.equal(seen.byId.get(parent.id)?.replyCount, 0);
      }
      const own = await visible(story, yossi.token);
      assert.deepEqual(
        own.pending.map((c) => [c.id, c.status]),
        [[reply.id, 'pending']],
      );

      const approved = await approve(reply.id);
      assert.equal(approved.item.comment.status, 'approved');
      assert.equal(approved.item.comment.reviewed, true);
      assert.deepEqual(approved.action, { id: approved.action.id, undoable: true });
      for (const token of [undefined, mei.token]) {
        const seen = await visible(story, token);
        assert.deepEqual(seen.ids.sort(), [parent.id, reply.id].sort());
        assert.equal(seen.commentCount, 2);
        assert.equal(seen.byId.get(parent.id)?.replyCount, 1);
      }
      assert.deepEqual((await visible(story, yossi.token)).pending, []);
    });

    it('never shows a rejected comment to others; its author sees the reason and note', async () => {
      const story = await app.story();
      const parent = await posted(story, rana, 'Opening comment.');
      const reply = await posted(story, yossi, 'A published reply, then rejected.', parent.id);
      assert.equal((await visible(story)).commentCount, 2);
      const rejected = await reject(reply.id, 'OFF_TOPIC', 'Please stay on the story.');
      assert.equal(rejected.item.comment.status, 'rejected');
      assert.deepEqual(rejected.item.comment.moderation.rejection, {
        code: 'OFF_TOPIC',
        note: 'Please stay on the story.',
      });
      for (const token of [undefined, rana.token, mei.token]) {
        const seen = await visible(story, token);
        assert.deepEqual(seen.ids, [parent.id]);
        assert.deepEqual(seen.pending, []);
        assert.equal(seen.commentCount, 1);
        assert.equal(seen.byId.get(parent.id)?.replyCount, 0);
      }
      const own = await visible(story, yossi.token);
      assert.equal(own.pending.length, 1);
      assert.equal(own.pending[0]?.status, 'rejected');
      assert.deepEqual(own.pending[0]?.rejection, {
        code: 'OFF_TOPIC',
        note: 'Please stay on the story.',
      });
      const withoutNote = await posted(story, yossi, 'Another one.');
      await reject(withoutNote.id, 'SPAM');
      const again = await visible(story, yossi.token);
      assert.deepEqual(again.byId.get(withoutNote.id), undefined);
      assert.deepEqual(again.pending.find((c) => c.id === withoutNote.id)?.rejection, {
        code: 'SPAM',
        note: null,
      });
    });

    it('closes reports on approve and reject, and undo reopens them', async () => {
      const story = await app.story();
      const report = (id: string, who: Account, reason = 'abuse') =>
        app.request({
          method: 'POST',
          url: `/api/v1/comments/${id}/reports`,
          token: who.token,
          body: { reason },
        });
      const first = await posted(story, rana, 'Reported, then approved.');
      const second = await posted(story, rana, 'Reported, then rejected.');
      for (const id of [first.id, second.id]) {
        assert.equal((await report(id, yossi)).status, 201);
        assert.equal((await report(id, mei, 'spam')).status, 201);
      }
      const reported = await ok('GET', `/queues/reported?storyId=${story}`);
      assert.deepEqual(
        reported.items.map((i: { comment: { id: string } }) => i.comment.id),
        [first.id, second.id],
      );
      assert.deepEqual(reported.items[0].comment.reports, {
        total: 2,
        open: 2,
        byReason: { abuse: 1, spam: 1 },
      });
      const counts = async () => (await ok('GET', `/queues/counts?storyId=${story}`)).counts;
      assert.equal((await counts()).reported, 2);

      const approval = await approve(first.id);
      assert.equal(approval.item.comment.reports.open, 0);
      assert.equal(approval.item.comment.reports.total, 2, 'the reports themselves are kept');
      const rejection = await reject(second.id, 'SPAM');
      assert.deepEqual(await queue('reported', `storyId=${story}`), []);
      assert.equal((await counts()).reported, 0);

      assert.equal((await undo(approval.action.id)).status, 200);
      assert.deepEqual(await queue('reported', `storyId=${story}`), [first.id]);
      assert.equal((await commentRow(first.id)).open_reports, 2);
      assert.equal((await undo(rejection.action.id)).status, 200);
      assert.deepEqual(await queue('reported', `storyId=${story}`), [first.id, second.id]);
      assert.equal((await counts()).reported, 2);
    });

    it('keeps reports made after an approval open when the approval is undone', async () => {
      const story = await app.story();
      const comment = await posted(story, rana, 'Reported before and after the approval.');
      await app.request({
        method: 'POST',
        url: `/api/v1/comments/${comment.id}/reports`,
        token: yossi.token,
        body: { reason: 'abuse' },
      });
      const approval = await approve(comment.id);
      assert.equal((await commentRow(comment.id)).open_reports, 0);
      await app.request({
        method: 'POST',
        url: `/api/v1/comments/${comment.id}/reports`,
        token: mei.token,
        body: { reason: 'spam' },
      });
      assert.equal((await undo(approval.action.id)).status, 200);
      assert.equal((await commentRow(comment.id)).open_reports, 2, 'one reopened, one new');
    });

    it('shows a moderator of some sites the entries about their readers’ accounts, not others or API keys', async () => {
      const created = await app.request({
        method: 'POST',
        url: '/api/v1/admin/api-keys',
        token: admin.token,
        body: { name: 'audit check' },
      });
      assert.equal(created.status, 201, created.text);
      const theirs = await app.signup('Reader of both');
      await postedElsewhere(theirs, 'A comment over there.');
      const notTheirs = await app.signup('Reader of this site');
      await posted(await app.story(), notTheirs, 'A comment here only.');
      for (const reader of [theirs, notTheirs]) {
        await ok('POST', `/users/${reader.id}/notes`, admin.token, { text: 'Audit check.' });
      }
      const seen = (await ok('GET', '/audit?limit=100', siteModerator.token)).entries as {
        action: string;
        userId: string | null;
      }[];
      const actions = new Set(seen.map((e) => e.action));
      assert.ok(
        seen.some((e) => e.action === 'user.note' && e.userId === theirs.id),
        'entries about their readers’ accounts are visible',
      );
      assert.ok(!seen.some((e) => e.userId === notTheirs.id), 'not about other sites’ readers');
      assert.ok(!actions.has('apikey.create'), 'API key entries are admins’ only');
      const all = (await ok('GET', '/audit?limit=100')).entries as { action: string }[];
      assert.ok(all.some((e) => e.action === 'apikey.create'));
    });

    it('undoes once, refuses an undo a later action has overtaken, and never undoes a delete', async () => {
      const story = await app.story();
      const parent = await posted(story, rana, 'Parent.');
      const reply = await posted(story, yossi, 'Reply to be rejected and restored.', parent.id);
      const rejection = await reject(reply.id, 'HATE', 'Slur.');
      assert.equal((await visible(story)).commentCount, 1);
      const undone = await undo(rejection.action.id);
      assert.equal(undone.status, 200, undone.text);
      assert.deepEqual(undone.json, {
        ok: true,
        action: { id: undone.json.action.id, undoable: false },
      });
      const restored = await commentRow(reply.id);
      assert.equal(restored.status, 'approved');
      assert.equal(restored.rejection_code, null);
      const seen = await visible(story);
      assert.equal(seen.commentCount, 2);
      assert.equal(seen.byId.get(parent.id)?.replyCount, 1);
      assert.ok(seen.ids.includes(reply.id));
      assertError(await undo(rejection.action.id), 409, 'ALREADY_UNDONE');
      assertError(await undo(undone.json.action.id), 409, 'NOT_UNDOABLE', 'an undo entry');

      const held = await posted(story, rana, 'Approved, then rejected.');
      const approval = await approve(held.id);
      await reject(held.id, 'SPAM');
      assertError(await undo(approval.action.id), 409, 'ACTION_SUPERSEDED');
      assert.equal((await commentRow(held.id)).status, 'rejected', 'the refusal changed nothing');

      const featured = await ok('POST', `/comments/${reply.id}/feature`);
      const deletion = await ok('POST', `/comments/${reply.id}/delete`);
      assert.equal(deletion.action.undoable, false);
      assert.equal(deletion.item.comment.status, 'deleted');
      assertError(await undo(deletion.action.id), 409, 'NOT_UNDOABLE');
      assertError(await undo(featured.action.id), 409, 'ACTION_SUPERSEDED', 'deleted since');
      assertError(
        await call('POST', `/comments/${reply.id}/approve`, admin.token),
        409,
        'COMMENT_DELETED',
      );
      assert.equal((await visible(story)).commentCount, 1);
      assertError(await undo('01ARZ3NDEKTSV4RRFFQ69G5FAV'), 404, 'ACTION_NOT_FOUND');
    });

    it('features published comments only, listed in the featured queue', async () => {
      const story = await app.story();
      await premoderate(story);
      const held = await posted(story, mei, 'Held, not featurable yet.');
      assertError(
        await call('POST', `/comments/${held.id}/feature`, moderator.token),
        409,
        'COMMENT_NOT_PUBLISHED',
      );
      assert.equal(Boolean((await commentRow(held.id)).featured), false);
      await approve(held.id, moderator.token);
      const featured = await ok('POST', `/comments/${held.id}/feature`, moderator.token);
      assert.equal(featured.item.comment.featured, true);
      assert.deepEqual(await queue('featured', `storyId=${story}`), [held.id]);
      assert.equal((await ok('GET', `/queues/counts?storyId=${story}`)).counts.featured, 1);
      await ok('POST', `/comments/${held.id}/unfeature`, moderator.token);
      assert.deepEqual(await queue('featured', `storyId=${story}`), []);
      // Rejecting a featured comment takes it off the tab.
      await ok('POST', `/comments/${held.id}/feature`, moderator.token);
      await reject(held.id, 'OTHER');
      assert.deepEqual(await queue('featured', `storyId=${story}`), []);
    });

    it('approves and rejects in bulk, listing the comments it could not decide', async () => {
      const story = await app.story();
      await premoderate(story);
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push((await posted(story, mei, `Bulk ${i}.`)).id);
      const gone = (await posted(story, mei, 'Deleted before the bulk action.')).id;
      await ok('POST', `/comments/${gone}/delete`);
      const unknown = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
      const approved = await ok('POST', '/comments/bulk', moderator.token, {
        action: 'approve',
        ids: [ids[0], unknown, ids[1], gone, ids[1]],
      });
      assert.deepEqual(
        approved.items.map((i: { comment: { id: string; status: string } }) => [
          i.comment.id,
          i.comment.status,
        ]),
        [
          [ids[0], 'approved'],
          [ids[1], 'approved'],
        ],
      );
      assert.equal(approved.actions.length, 2);
      assert.ok(approved.actions.every((a: { undoable: boolean }) => a.undoable));
      assert.deepEqual(
        approved.errors.map((e: { id: string; code: string }) => [e.id, e.code]),
        [
          [unknown, 'COMMENT_NOT_FOUND'],
          [gone, 'COMMENT_DELETED'],
        ],
      );
      const rejected = await ok('POST', '/comments/bulk', moderator.token, {
        action: 'reject',
        ids: [ids[2], ids[3]],
        reason: 'SPAM',
        note: 'Advertising.',
      });
      assert.deepEqual(rejected.errors, []);
      for (const item of rejected.items) {
        assert.deepEqual(item.comment.moderation.rejection, { code: 'SPAM', note: 'Advertising.' });
      }
      assertError(
        await call('POST', '/comments/bulk', moderator.token, { action: 'reject', ids: [ids[0]] }),
        400,
        'VALIDATION_FAILED',
        'a bulk rejection needs a reason',
      );
      assert.equal((await commentRow(ids[0] as string)).status, 'approved');
      assert.equal((await visible(story)).commentCount, 2);
      // Undoing one of a bulk's actions undoes that comment only.
      assert.equal((await undo(approved.actions[0].id, moderator.token)).status, 200);
      assert.deepEqual((await commentRow(ids[0] as string)).status, 'pending');
      assert.deepEqual((await commentRow(ids[1] as string)).status, 'approved');
    });

    it('lists pending oldest first and approved newest first, paging without gaps or repeats', async () => {
      const story = await app.story();
      await premoderate(story);
      const held: string[] = [];
      for (let i = 0; i < 7; i++) held.push((await posted(story, mei, `Queued ${i}.`)).id);
      async function all(name: string): Promise<string[]> {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: ApiResponse['json'] = await ok(
            'GET',
            `/queues/${name}?storyId=${story}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          );
          assert.ok(page.items.length <= 3);
          seen.push(...page.items.map((i: { comment: { id: string } }) => i.comment.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 10);
        return seen;
      }
      assert.deepEqual(await all('pending'), held);
      // Approve in a scrambled order: the approved queue still goes by age, newest first.
      for (const index of [3, 0, 6, 1, 5, 2, 4]) await approve(held[index] as string);
      assert.deepEqual(await all('approved'), [...held].reverse());
      assert.deepEqual(await all('pending'), []);
      assert.deepEqual(await all('unmoderated'), [], 'a person has seen them all');
      const exact = await ok('GET', `/queues/approved?storyId=${story}&limit=7`);
      assert.equal(exact.items.length, 7);
      assert.equal(exact.nextCursor, null, 'no empty last page');
    });

    it('counts each queue per site and per story', async () => {
      const story = await app.story();
      const published = await posted(story, rana, 'Published by the pipeline.');
      const toReject = await posted(story, rana, 'To be rejected.');
      await reject(toReject.id, 'SPAM');
      await premoderate(story);
      const held = await posted(story, mei, 'Held.');
      await app.request({
        method: 'POST',
        url: `/api/v1/comments/${published.id}/reports`,
        token: yossi.token,
        body: { reason: 'spam' },
      });
      const counts: Record<string, number> = (await ok('GET', `/queues/counts?storyId=${story}`))
        .counts;
      assert.deepEqual(counts, {
        pending: 1,
        reported: 1,
        unmoderated: 1,
        approved: 1,
        rejected: 1,
        featured: 0,
        illegal: 0,
        appeals: 0,
        questions: 0,
        unanswered: 0,
      });
      assert.ok(held.id);
      const siteCounts = (await ok('GET', `/queues/counts?siteId=${app.site.id}`)).counts;
      const allCounts = (await ok('GET', '/queues/counts')).counts;
      for (const [name, value] of Object.entries(counts as Record<string, number>)) {
        assert.ok(siteCounts[name] >= value, name);
      }
      const otherCounts = (await ok('GET', `/queues/counts?siteId=${other.id}`)).counts;
      for (const name of Object.keys(counts)) {
        assert.equal(allCounts[name], siteCounts[name] + otherCounts[name], `${name}: both sites`);
      }
      assert.deepEqual(
        (await ok('GET', '/queues/counts', siteModerator.token)).counts,
        otherCounts,
        "a moderator of the other site counts that site's comments only",
      );
    });

    it('keeps warned, suspended and banned users from posting until lifted', async () => {
      const story = await app.story();
      const target = await app.signup('Troublemaker');
      const attempt = () => app.post(story, target.token, `Trying again ${Math.random()}.`);

      const warned = await ok('POST', `/users/${target.id}/warn`, moderator.token, {
        message: 'Mind your language.',
      });
      assert.deepEqual(warned.user.warning, {
        message: 'Mind your language.',
        acknowledged: false,
      });
      assertError(await attempt(), 403, 'WARNING_UNACKNOWLEDGED');
      const ack = await app.request({
        method: 'POST',
        url: '/api/v1/auth/me/warning/acknowledge',
        token: target.token,
      });
      assert.equal(ack.status, 200, ack.text);
      assert.equal((await attempt()).status, 201);

      const suspended = await ok('POST', `/users/${target.id}/suspend`, moderator.token, {
        hours: 2,
        reason: 'Cooling off.',
      });
      const until = Date.parse(suspended.user.suspendedUntil);
      assert.ok(Math.abs(until - (Date.now() + 2 * 3_600_000)) < 60_000);
      assert.equal(suspended.user.suspendReason, 'Cooling off.');
      assertError(await attempt(), 403, 'AUTHOR_SUSPENDED');
      await ok('POST', `/users/${target.id}/unsuspend`, moderator.token, {});
      assert.equal((await attempt()).status, 201);

      const banned = await ok('POST', `/users/${target.id}/ban`, moderator.token, {
        reason: 'Repeated abuse.',
      });
      assert.equal(banned.user.banned, true);
      assert.equal(banned.user.bannedSiteIds, null, 'no siteIds: every site');
      assertError(await attempt(), 403, 'AUTHOR_BANNED');
      await ok('POST', `/users/${target.id}/unban`, moderator.token, {});
      assert.equal((await attempt()).status, 201);

      const elsewhere = await ok('POST', `/users/${target.id}/ban`, moderator.token, {
        reason: 'Trouble on the other site.',
        siteIds: [other.id],
      });
      assert.deepEqual(elsewhere.user.bannedSiteIds, [other.id]);
      assert.equal((await attempt()).status, 201, 'a ban on another site does not reach here');
      const otherStory = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        origin: OTHER_ORIGIN,
        body: { url: `${OTHER_ORIGIN}/news/ban-check`, storyId: 'ban-check' },
      });
      assertError(
        await app.request({
          method: 'POST',
          url: `/api/v1/stories/${otherStory.json.story.id}/comments`,
          origin: OTHER_ORIGIN,
          token: target.token,
          body: { body: 'Over there.' },
        }),
        403,
        'AUTHOR_BANNED',
      );
      await ok('POST', `/users/${target.id}/unban`, moderator.token, {});

      await ok('POST', `/users/${target.id}/premoderate`, moderator.token, { on: true });
      assert.equal((await attempt()).json.comment.status, 'pending');
      const off = await ok('POST', `/users/${target.id}/premoderate`, moderator.token, {
        on: false,
      });
      assert.equal(off.user.alwaysPremoderate, false);
      assert.equal((await attempt()).json.comment.status, 'approved');
    });

    it('lets nobody act on themselves, and only admins on moderators and admins', async () => {
      for (const [actor, targetId] of [
        [moderator, moderator.id],
        [admin, admin.id],
        [moderator, admin.id],
        [moderator, siteModerator.id],
        [siteModerator, moderator.id],
      ] as const) {
        const before = await db()
          .selectFrom('users')
          .selectAll()
          .where('id', '=', targetId)
          .executeTakeFirstOrThrow();
        for (const [path, body] of [
          ['ban', { reason: 'x' }],
          ['suspend', { hours: 1 }],
          ['warn', { message: 'x' }],
          ['premoderate', { on: true }],
        ] as const) {
          assertError(
            await call('POST', `/users/${targetId}/${path}`, actor.token, body),
            403,
            'FORBIDDEN',
            `${path} ${targetId}`,
          );
        }
        const after = await db()
          .selectFrom('users')
          .selectAll()
          .where('id', '=', targetId)
          .executeTakeFirstOrThrow();
        assert.deepEqual(after, before);
      }
      assertError(
        await call('PUT', `/users/${admin.id}/role`, admin.token, { role: 'commenter' }),
        403,
        'FORBIDDEN',
        'an admin demoting themselves',
      );
      // An admin may act on a moderator.
      const warned = await ok('POST', `/users/${siteModerator.id}/warn`, admin.token, {
        message: 'Be quicker on the queue.',
      });
      assert.equal(warned.user.warning.message, 'Be quicker on the queue.');
      // Undo follows the same rules: not on oneself, and only admins on moderators.
      assertError(await undo(warned.action.id, siteModerator.token), 403, 'FORBIDDEN', 'self');
      assertError(await undo(warned.action.id, moderator.token), 403, 'FORBIDDEN', 'a moderator');
      assert.equal(
        (await ok('GET', `/users/${siteModerator.id}`)).user.warning.acknowledged,
        false,
      );
      assert.equal((await undo(warned.action.id)).status, 200);
      assert.equal((await ok('GET', `/users/${siteModerator.id}`)).user.warning, null);
    });

    it('bans on their own sites when a moderator of some sites bans, and keeps bans everywhere', async () => {
      const target = await app.signup('Scoped ban');
      const banned = await ok('POST', `/users/${target.id}/ban`, siteModerator.token, {
        reason: 'Abuse on our site.',
      });
      assert.deepEqual(banned.user.bannedSiteIds, [other.id]);
      assert.equal(
        (await app.post(await app.story(), target.token, 'Still fine here.')).status,
        201,
      );
      assertError(
        await call('POST', `/users/${target.id}/ban`, siteModerator.token, {
          siteIds: [app.site.id],
        }),
        404,
        'SITE_NOT_FOUND',
        'a site they do not moderate',
      );
      await ok('POST', `/users/${target.id}/unban`, siteModerator.token, {});
      const everywhere = await ok('POST', `/users/${target.id}/ban`, moderator.token, {
        reason: 'Everywhere.',
      });
      assert.equal(everywhere.user.bannedSiteIds, null);
      assertError(
        await call('POST', `/users/${target.id}/unban`, siteModerator.token, {}),
        403,
        'FORBIDDEN',
      );
      const stillBanned = await ok('GET', `/users/${target.id}`);
      assert.equal(stillBanned.user.banned, true);
      assert.equal(stillBanned.user.bannedSiteIds, null);
      // Nor may they lift it by undoing the ban.
      assertError(await undo(everywhere.action.id, siteModerator.token), 403, 'FORBIDDEN');
      assert.equal((await ok('GET', `/users/${target.id}`)).user.banned, true);
    });

    it('keeps a moderator of some sites to the readers of their sites, and their restrictions', async () => {
      const story = await app.story();
      const here = await app.signup('Only here');
      await posted(story, here, 'A comment on this site only.');
      const both = await app.signup('Here and there');
      await posted(story, both, 'A comment here.');
      const userRow = (id: string) =>
        db().selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const before = await userRow(here.id);
      for (const [path, body] of [
        ['premoderate', { on: true }],
        ['suspend', { hours: 1 }],
        ['warn', { message: 'Not your reader.' }],
        ['notes', { text: 'Not your reader.' }],
      ] as const) {
        assertError(
          await call('POST', `/users/${here.id}/${path}`, siteModerator.token, body),
          403,
          'FORBIDDEN',
          path,
        );
      }
      assert.deepEqual(await userRow(here.id), before);
      assert.equal((await posted(story, here, 'Still published.')).status, 'approved');
      assertError(
        await call('GET', `/users/${here.id}`, siteModerator.token),
        404,
        'USER_NOT_FOUND',
      );
      const listed = async (q: string) =>
        (await ok('GET', `/users?q=${encodeURIComponent(q)}`, siteModerator.token)).users.map(
          (u: { id: string }) => u.id,
        );
      assert.deepEqual(await listed('Only here'), []);
      assert.deepEqual(await listed('Here and there'), []);

      // Once the reader writes on their site, the reader is theirs: held there, and theirs to approve.
      await postedElsewhere(both, 'A comment there.');
      assert.deepEqual(await listed('Here and there'), [both.id]);
      await ok('POST', `/users/${both.id}/premoderate`, siteModerator.token, { on: true });
      const held = await postedElsewhere(both, 'Held for the other desk.');
      assert.equal(held.status, 'pending');
      assert.equal((await approve(held.id, siteModerator.token)).item.comment.status, 'approved');
    });

    it('makes a commenter a moderator of one site when an admin says so', async () => {
      const promoted = await app.signup('New moderator');
      const noAccess = await call('GET', '/me', promoted.token);
      assertError(noAccess, 403, 'FORBIDDEN');
      assertError(
        await call('PUT', `/users/${promoted.id}/role`, moderator.token, {
          role: 'moderator',
          siteIds: [app.site.id],
        }),
        403,
        'FORBIDDEN',
        'moderators do not hand out roles',
      );
      const changed = await ok('PUT', `/users/${promoted.id}/role`, admin.token, {
        role: 'moderator',
        siteIds: [app.site.id],
      });
      assert.equal(changed.user.role, 'moderator');
      assert.deepEqual(changed.user.moderatorSiteIds, [app.site.id]);
      const me = await ok('GET', '/me', promoted.token);
      assert.deepEqual(me.user.moderatorSiteIds, [app.site.id]);
      assert.equal(me.user.role, 'moderator');
      assert.deepEqual(me.sites, [{ id: app.site.id, name: app.site.name }]);
      assertError(
        await call('GET', `/queues/counts?siteId=${other.id}`, promoted.token),
        404,
        'SITE_NOT_FOUND',
      );
      // Undoing the change takes the role back.
      assert.equal((await undo(changed.action.id)).status, 200);
      assertError(await call('GET', '/me', promoted.token), 403, 'FORBIDDEN');
    });

    it('keeps moderators’ notes on an account, shown with the account', async () => {
      const target = await app.signup('Noted');
      await postedElsewhere(target, 'Noted over there.');
      const first = await ok('POST', `/users/${target.id}/notes`, moderator.token, {
        text: 'Borderline, watch.',
      });
      assert.equal(first.note.text, 'Borderline, watch.');
      assert.deepEqual(first.note.by, { id: moderator.id, name: 'Moderator Mo' });
      await ok('POST', `/users/${target.id}/notes`, admin.token, { text: 'Second note.' });
      const account = await ok('GET', `/users/${target.id}`, siteModerator.token);
      assert.deepEqual(
        account.notes.map((n: { text: string }) => n.text),
        ['Second note.', 'Borderline, watch.'],
      );
      assert.equal(account.user.email, undefined, 'emails: admins only');
      assert.equal((await ok('GET', `/users/${target.id}`)).user.email, target.email);
      const entries = await ok('GET', `/audit?userId=${target.id}`);
      assert.deepEqual(
        entries.entries
          .map((e: { action: string }) => e.action)
          .filter((action: string) => action.startsWith('user.')),
        ['user.note', 'user.note'],
      );
    });

    it('logs every decision with its actor, reason, before and after, and the pipeline’s as null', async () => {
      const story = await app.story();
      await premoderate(story);
      const held = await posted(story, mei, 'Held by the story setting.');
      await approve(held.id, moderator.token);
      await ok('POST', `/comments/${held.id}/feature`, moderator.token);
      const rejection = await reject(held.id, 'THREAT', 'Threatening.');
      await undo(rejection.action.id);
      const log = await ok('GET', `/audit?commentId=${held.id}`);
      const entries = log.entries as {
        id: string;
        actor: { id: string; name: string } | null;
        action: string;
        reason: string | null;
        siteId: string | null;
        commentId: string;
        userId: string | null;
        before: { status?: string; featured?: boolean } | null;
        after: { status?: string; featured?: boolean } | null;
        undoneAt: string | null;
      }[];
      assert.deepEqual(
        entries.map((e) => e.action),
        [
          'comment.reject.undo',
          'comment.reject',
          'comment.feature',
          'comment.approve',
          'pipeline.hold',
        ],
        'newest first',
      );
      const [undoEntry, rejected, feature, approval, pipeline] = entries;
      assert.equal(pipeline?.actor, null);
      assert.match(pipeline?.reason ?? '', /PREMOD_STORY/);
      assert.deepEqual(approval?.actor, { id: moderator.id, name: 'Moderator Mo', erased: false });
      assert.equal(approval?.before?.status, 'pending');
      assert.equal(approval?.after?.status, 'approved');
      assert.equal(feature?.before?.featured, false);
      assert.equal(feature?.after?.featured, true);
      assert.equal(rejected?.actor?.id, admin.id);
      assert.equal(rejected?.reason, 'THREAT');
      assert.equal(rejected?.after?.status, 'rejected');
      assert.ok(rejected?.undoneAt, 'the undone entry says so');
      assert.equal(undoEntry?.before?.status, 'rejected');
      assert.equal(undoEntry?.after?.status, 'approved');
      for (const entry of entries) {
        assert.equal(entry.siteId, app.site.id);
        assert.equal(entry.commentId, held.id);
        assert.equal(entry.userId, mei.id);
      }
      const byUser = await ok('GET', `/audit?userId=${mei.id}&limit=2`);
      assert.equal(byUser.entries.length, 2);
      assert.ok(byUser.nextCursor);
      const next = await ok('GET', `/audit?userId=${mei.id}&limit=2&cursor=${byUser.nextCursor}`);
      assert.ok(next.entries[0].id < byUser.entries[1].id, 'the next page goes on, older');
      // Settings changes are logged too.
      const storyEntry = await ok('PATCH', `/stories/${story}`, moderator.token, {
        premoderated: false,
      });
      assert.equal(storyEntry.story.premoderated, false);
      const siteLog = await ok('GET', `/audit?siteId=${app.site.id}&limit=1`);
      assert.equal(siteLog.entries[0].action, 'story.settings');
      assert.deepEqual(siteLog.entries[0].before, {
        closed: false,
        premoderated: true,
        liveUpdates: true,
      });
      assert.deepEqual(siteLog.entries[0].after, {
        closed: false,
        premoderated: false,
        liveUpdates: true,
      });
    });

    it('searches by text (case-insensitive, % and _ literal), author, status and date', async () => {
      const story = await app.story();
      const quill = await app.signup('Quillon Zebediah');
      const a = await posted(story, quill, 'The FERRY schedule is 50% late.');
      const b = await posted(story, quill, 'A ferry_timetable, underscored.');
      const c = await posted(story, rana, 'Another ferry, and 50 percent of nothing.');
      await reject(b.id, 'SPAM');
      const ids = async (query: string) =>
        (
          (await ok('GET', `/search?storyId=${story}&${query}`)).items as {
            comment: { id: string };
          }[]
        ).map((i) => i.comment.id);
      assert.deepEqual(await ids('q=ferry'), [c.id, b.id, a.id], 'newest first');
      assert.deepEqual(await ids('q=FeRrY%20SCHEDULE'), [a.id]);
      assert.deepEqual(await ids(`q=${encodeURIComponent('50%')}`), [a.id], '% is literal');
      assert.deepEqual(await ids(`q=${encodeURIComponent('ferry_')}`), [b.id], '_ is literal');
      assert.deepEqual(await ids('q=%25'), [a.id]);
      assert.deepEqual(await ids('q=_'), [b.id]);
      assert.deepEqual(await ids('author=quillon%20zeb'), [b.id, a.id]);
      assert.deepEqual(await ids(`authorId=${quill.id}&status=rejected`), [b.id]);
      assert.deepEqual(await ids('status=approved&q=ferr'), [c.id, a.id]);
      const created = (await commentRow(b.id)).created_at;
      const at = new Date(created as string | Date).toISOString();
      assert.deepEqual(await ids(`from=${encodeURIComponent(at)}&to=${encodeURIComponent(at)}`), [
        b.id,
      ]);
      assert.deepEqual(await ids(`to=${encodeURIComponent('2001-01-01T00:00:00Z')}`), []);
      assert.deepEqual(await ids(`from=${encodeURIComponent('2999-01-01T00:00:00Z')}`), []);
      assert.deepEqual(await ids('q=nothing%20like%20this'), []);
      assert.deepEqual(
        ((await ok('GET', `/search?q=ferry&siteId=${other.id}`)).items as unknown[]).length,
        0,
      );
    });

    it('adds statistics up: days, hours, decisions and most reported stories', async () => {
      const story = await app.story();
      await posted(story, rana, 'Approved by the pipeline.');
      const rejected = await posted(story, rana, 'Rejected by a person.');
      await reject(rejected.id, 'ABUSE');
      const reportedOne = await posted(story, rana, 'Reported twice.');
      for (const who of [yossi, mei]) {
        await app.request({
          method: 'POST',
          url: `/api/v1/comments/${reportedOne.id}/reports`,
          token: who.token,
          body: { reason: 'abuse' },
        });
      }
      await premoderate(story);
      await posted(story, mei, 'Held one.');
      await posted(story, mei, 'Held two.');
      // A deleted comment counts nowhere.
      const gone = await posted(story, mei, 'Held, then deleted.');
      await ok('POST', `/comments/${gone.id}/delete`);
      const stats = await ok('GET', `/stats?storyId=${story}&days=3`);
      assert.equal(stats.days.length, 3);
      assert.equal(stats.hours.length, 24);
      const sum = (buckets: Record<string, number>[], key: string) =>
        buckets.reduce((total, b) => total + (b[key] ?? 0), 0);
      const expected = { approved: 2, pending: 2, rejected: 1, reported: 2 };
      for (const [key, value] of Object.entries(expected)) {
        assert.equal(sum(stats.days, key), value, `days ${key}`);
        assert.equal(sum(stats.hours, key), value, `hours ${key}`);
      }
      assert.equal(stats.days.at(-1).date, new Date().toISOString().slice(0, 10));
      assert.equal(stats.hours.at(-1).hour, `${new Date().toISOString().slice(0, 13)}:00:00Z`);
      const decided = Object.values(stats.decidedBy as Record<string, number>).reduce(
        (a, b) => a + b,
        0,
      );
      assert.equal(decided, 5, 'every comment of the period, decided or not');
      assert.equal(stats.decidedBy.premoderation, 2);
      assert.equal(stats.decidedBy.none, 3);
      assert.deepEqual(stats.topReported, [
        { story: { id: story, title: null, url: stats.topReported[0].story.url }, reports: 2 },
      ]);
      const site = await ok('GET', `/stats?siteId=${app.site.id}`);
      assert.equal(site.days.length, 14);
      assert.ok(sum(site.days, 'approved') >= 2);
    });

    it('applies a new word list to the next post and never sends the external secret back', async () => {
      const story = await app.story();
      const patched = await ok('PATCH', `/sites/${app.site.id}/settings`, admin.token, {
        moderation: { wordList: [{ term: 'scoundrel', strength: 'banned' }] },
      });
      assert.deepEqual(patched.site.moderation.wordList, [
        { term: 'scoundrel', strength: 'banned' },
      ]);
      const post = await posted(story, rana, 'What a SCOUNDREL.');
      assert.equal(post.status, 'rejected');
      await ok('PATCH', `/sites/${app.site.id}/settings`, admin.token, {
        moderation: { wordList: [] },
      });
      assert.equal((await posted(story, rana, 'What a scoundrel.')).status, 'approved');

      const secret = 'a-very-secret-shared-key-123';
      const withExternal = await call('PATCH', `/sites/${other.id}/settings`, admin.token, {
        editWindowSeconds: 120,
        moderation: {
          external: { url: 'https://moderation.example/check', secret, timeoutMs: 500 },
          links: { holdLinks: true },
        },
      });
      assert.equal(withExternal.status, 200, withExternal.text);
      assert.ok(!withExternal.text.includes(secret));
      assert.deepEqual(withExternal.json.site.moderation.external, {
        url: 'https://moderation.example/check',
        timeoutMs: 500,
        secretSet: true,
      });
      assert.equal(withExternal.json.site.editWindowSeconds, 120);
      assert.equal(withExternal.json.site.moderation.links.holdLinks, true);
      assert.deepEqual(withExternal.json.site.moderation.links.allowDomains, [], 'merged');
      // The timeout changes and the secret stays (a new address needs a new secret: see below).
      const moved = await call('PATCH', `/sites/${other.id}/settings`, admin.token, {
        moderation: { external: { url: 'https://moderation.example/check', timeoutMs: 800 } },
      });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.json.site.moderation.external.secretSet, true);
      const stored = await db()
        .selectFrom('sites')
        .select('moderation')
        .where('id', '=', other.id)
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(stored.moderation).external.secret, secret);
      for (const token of [admin.token, siteModerator.token]) {
        const read = await call('GET', `/sites/${other.id}/settings`, token);
        assert.equal(read.status, 200);
        assert.ok(!read.text.includes(secret));
        assert.equal(read.json.site.moderation.external.secretSet, true);
      }
      const log = await ok('GET', `/audit?siteId=${other.id}&limit=1`);
      assert.equal(log.entries[0].action, 'site.settings');
      assert.ok(!JSON.stringify(log.entries[0]).includes(secret), 'nor is it in the audit log');

      const before = stored.moderation;
      for (const body of [
        { moderation: { external: { url: 'http://plain.example/', secret } } },
        { moderation: { external: { url: 'https://x.example/', secret: 'short' } } },
        { moderation: { external: { url: 'https://x.example/', secret, timeoutMs: 50 } } },
        { moderation: { maxLength: 0 } },
        { moderation: { classifier: { hold: 1.5 } } },
        { moderation: { wordList: [{ term: 'x', strength: 'ban' }] } },
        { moderation: { wordList: [{ term: '', strength: 'banned' }] } },
        { moderation: { unknownKey: true } },
        { editWindowSeconds: -1 },
        { moderation: { premoderateAll: 'yes' } },
      ]) {
        assertError(
          await call('PATCH', `/sites/${other.id}/settings`, admin.token, body),
          400,
          'VALIDATION_FAILED',
          JSON.stringify(body),
        );
      }
      const after = await db()
        .selectFrom('sites')
        .select('moderation')
        .where('id', '=', other.id)
        .executeTakeFirstOrThrow();
      assert.equal(after.moderation, before, 'refused settings change nothing');
      // A site without a stored secret cannot have a service added without one.
      await ok('PATCH', `/sites/${other.id}/settings`, admin.token, {
        moderation: { external: null },
      });
      assertError(
        await call('PATCH', `/sites/${other.id}/settings`, admin.token, {
          moderation: { external: { url: 'https://x.example/' } },
        }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('closes stories the set number of days after publication, for readers and writers', async () => {
      const story = await app.story();
      const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
      await db()
        .updateTable('stories')
        .set({ published_at: threeDaysAgo })
        .where('id', '=', story)
        .execute();
      const set = (closeAfterDays: number) =>
        ok('PATCH', `/sites/${app.site.id}/settings`, admin.token, {
          moderation: { closeAfterDays },
        });
      const storyJson = async () =>
        (await app.request({ method: 'GET', url: `/api/v1/stories/${story}` })).json.story;
      try {
        assert.equal((await set(2)).site.moderation.closeAfterDays, 2);
        assert.equal((await storyJson()).closed, true);
        const refused = await app.post(story, rana.token, 'Too late for this one.');
        assertError(refused, 409, 'STORY_CLOSED');
        assert.match(refused.json.error.message, /2 days/);
        await set(5);
        assert.equal((await storyJson()).closed, false);
        assert.equal((await app.post(story, rana.token, 'Still open.')).status, 201);
      } finally {
        await set(0);
      }
    });

    it('turns live updates off for a site: its event streams are refused', async () => {
      const story = await app.story();
      try {
        const off = await ok('PATCH', `/sites/${app.site.id}/settings`, admin.token, {
          moderation: { liveUpdates: false },
        });
        assert.equal(off.site.moderation.liveUpdates, false);
        const refused = await app.request({
          method: 'GET',
          url: `/api/v1/stories/${story}/events`,
        });
        assertError(refused, 409, 'LIVE_DISABLED');
      } finally {
        await ok('PATCH', `/sites/${app.site.id}/settings`, admin.token, {
          moderation: { liveUpdates: true },
        });
      }
    });

    it('never fails or miscounts when replies and approvals race on one thread', async () => {
      const story = await app.story();
      const parent = await posted(story, rana, 'A parent many people answer.');
      await premoderate(story);
      const held: string[] = [];
      for (let i = 0; i < 20; i++)
        held.push((await posted(story, yossi, `Held reply ${i}.`, parent.id)).id);
      await db().updateTable('stories').set({ premoderated: 0 }).where('id', '=', story).execute();
      const statuses = await Promise.all(
        held.flatMap((id, i) => [
          call('POST', `/comments/${id}/approve`, admin.token).then((r) => r.status),
          app.post(story, mei.token, `Racing reply ${i}.`, parent.id).then((r) => r.status),
        ]),
      );
      assert.deepEqual(
        [...new Set(statuses)].sort(),
        [200, 201],
        'every approval and reply succeeds, none is a 500',
      );
      const row = await commentRow(parent.id);
      assert.equal(row.reply_count, 40);
      assert.equal((await visible(story)).commentCount, 41);
    });

    it('publishes a reply only under a published parent, and undoes only the latest action', async () => {
      const story = await app.story();
      await premoderate(story);
      const parent = await posted(story, rana, 'Held parent.');
      await approve(parent.id);
      const reply = await posted(story, yossi, 'Held reply under it.', parent.id);
      await reject(parent.id);
      assertError(
        await call('POST', `/comments/${reply.id}/approve`, admin.token),
        409,
        'COMMENT_NOT_PUBLISHED',
      );
      const again = await approve(parent.id);
      const first = await approve(reply.id);
      await reject(reply.id);
      await approve(reply.id);
      assertError(await undo(first.action.id), 409, 'ACTION_SUPERSEDED');
      assert.ok(again.action.id);
    });

    it('asks for a new external secret when the service moves', async () => {
      const settings = (body: unknown) =>
        call('PATCH', `/sites/${app.site.id}/settings`, admin.token, body);
      try {
        const set = await settings({
          moderation: { external: { url: 'https://mod.example/check', secret: 's'.repeat(24) } },
        });
        assert.equal(set.status, 200, set.text);
        assert.equal(
          (
            await settings({
              moderation: { external: { url: 'https://mod.example/check', timeoutMs: 900 } },
            })
          ).status,
          200,
          'same address: the secret is kept',
        );
        assertError(
          await settings({ moderation: { external: { url: 'https://elsewhere.example/x' } } }),
          400,
          'VALIDATION_FAILED',
        );
      } finally {
        await settings({ moderation: { external: null } });
      }
    });

    it('closes a story to new comments and opens it again', async () => {
      const story = await app.story();
      const closed = await ok('PATCH', `/stories/${story}`, moderator.token, { closed: true });
      assert.equal(closed.story.closed, true);
      assertError(await app.post(story, rana.token, 'Too late.'), 409, 'STORY_CLOSED');
      const listed = await ok('GET', `/stories?q=${encodeURIComponent(closed.story.url)}`);
      assert.deepEqual(
        listed.stories.map((s: { id: string; closed: boolean }) => [s.id, s.closed]),
        [[story, true]],
      );
      await ok('PATCH', `/stories/${story}`, moderator.token, { closed: false });
      assert.equal((await app.post(story, rana.token, 'Open again.')).status, 201);
    });
  });
}
