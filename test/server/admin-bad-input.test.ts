/**
 * Broken and hostile input on the moderation API (/api/v1/admin), on both engines: malformed ids,
 * unknown queues, limits and cursors out of range, overlong and NUL-carrying text, oversized bulk
 * requests, wrong JSON types and SQL-looking search text. Every refusal is a 4xx with a stable
 * code, changes nothing, and no request ever gets a 500. Markup in moderators' text is stored and
 * returned as text, in JSON only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createTestApp,
  type ApiResponse,
  type RequestOptions,
  type TestApp,
} from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const ENV = { PARLEY_AUTH_RATE_LIMIT: '1000', PARLEY_WRITE_RATE_LIMIT: '100000' };

for (const engine of await testEngines()) {
  describe(`moderation API under hostile input (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    let author: { token: string; id: string };
    let story: string;
    let held: string;
    let published: string;
    let actionId: string;
    const statuses: { label: string; status: number }[] = [];

    async function send(
      method: RequestOptions['method'],
      url: string,
      extra: Partial<RequestOptions> = {},
    ): Promise<ApiResponse> {
      const response = await app.request({
        method,
        url: `/api/v1/admin${url}`,
        token: admin,
        ...extra,
      });
      statuses.push({ label: `${method} ${url}`, status: response.status });
      return response;
    }
    function refused(response: ApiResponse, status: number, code: string | RegExp, label: string) {
      const context = `${label} → ${response.status} ${response.text.slice(0, 300)}`;
      assert.equal(response.status, status, context);
      if (typeof code === 'string') assert.equal(response.json?.error?.code, code, context);
      else assert.match(response.json?.error?.code ?? '', code, context);
      assert.equal(typeof response.json.error.message, 'string', context);
    }
    const snapshot = async () => ({
      comments: await app.store.db
        .selectFrom('comments')
        .select(['id', 'status', 'featured', 'rejection_code', 'rejection_note', 'open_reports'])
        .orderBy('id')
        .execute(),
      users: await app.store.db
        .selectFrom('users')
        .select(['id', 'role', 'banned_at', 'suspended_until', 'warning', 'always_premoderate'])
        .orderBy('id')
        .execute(),
      notes: await app.store.db.selectFrom('user_notes').select('id').execute(),
      actions: (await app.store.db.selectFrom('moderation_actions').select('id').execute()).length,
      sites: await app.store.db.selectFrom('sites').select(['moderation']).execute(),
      stories: await app.store.db
        .selectFrom('stories')
        .select(['closed', 'premoderated'])
        .execute(),
    });

    before(async () => {
      app = await createTestApp(engine, ENV);
      admin = await app.admin();
      author = await app.signup('Author');
      story = await app.story();
      published = (await app.post(story, author.token, 'A published comment.')).json.comment.id;
      await app.store.db
        .updateTable('stories')
        .set({ premoderated: 1 })
        .where('id', '=', story)
        .execute();
      held = (await app.post(story, author.token, 'A held comment.')).json.comment.id;
      const approval = await send('POST', `/comments/${published}/approve`);
      assert.equal(approval.status, 200, approval.text);
      actionId = approval.json.action.id;
    });
    after(async () => {
      const failures = statuses.filter((s) => s.status >= 500);
      await app.close();
      assert.deepEqual(failures, [], 'no request got a 500');
    });

    it('refuses malformed ids with 400 and unknown ones with 404', async () => {
      const before = await snapshot();
      const bad = ['not-an-id', '123', `${UNKNOWN_ID}0`, UNKNOWN_ID.toLowerCase(), "1' OR '1'='1"];
      for (const id of bad.map(encodeURIComponent)) {
        for (const [method, url, body] of [
          ['GET', `/comments/${id}`],
          ['POST', `/comments/${id}/approve`],
          ['POST', `/comments/${id}/reject`, { reason: 'SPAM' }],
          ['POST', `/actions/${id}/undo`],
          ['GET', `/users/${id}`],
          ['POST', `/users/${id}/ban`, {}],
          ['PUT', `/users/${id}/role`, { role: 'moderator' }],
          ['POST', `/users/${id}/notes`, { text: 'x' }],
          ['GET', `/sites/${id}/settings`],
          ['PATCH', `/sites/${id}/settings`, {}],
          ['PATCH', `/stories/${id}`, { closed: true }],
          ['GET', `/queues/pending?siteId=${id}`],
          ['GET', `/queues/counts?storyId=${id}`],
          ['GET', `/audit?commentId=${id}`],
          ['GET', `/search?authorId=${id}`],
        ] as const) {
          refused(
            await send(method, url, body ? { body } : {}),
            400,
            'VALIDATION_FAILED',
            `${method} ${url}`,
          );
        }
      }
      for (const [method, url, body, code] of [
        ['GET', `/comments/${UNKNOWN_ID}`, undefined, 'COMMENT_NOT_FOUND'],
        ['POST', `/comments/${UNKNOWN_ID}/approve`, undefined, 'COMMENT_NOT_FOUND'],
        ['POST', `/actions/${UNKNOWN_ID}/undo`, undefined, 'ACTION_NOT_FOUND'],
        ['GET', `/users/${UNKNOWN_ID}`, undefined, 'USER_NOT_FOUND'],
        ['POST', `/users/${UNKNOWN_ID}/warn`, { message: 'x' }, 'USER_NOT_FOUND'],
        ['POST', `/users/${UNKNOWN_ID}/notes`, { text: 'x' }, 'USER_NOT_FOUND'],
        ['POST', `/users/${author.id}/ban`, { siteIds: [UNKNOWN_ID] }, 'SITE_NOT_FOUND'],
        ['GET', `/sites/${UNKNOWN_ID}/settings`, undefined, 'SITE_NOT_FOUND'],
        ['PATCH', `/stories/${UNKNOWN_ID}`, { closed: true }, 'STORY_NOT_FOUND'],
        ['GET', `/queues/pending?storyId=${UNKNOWN_ID}`, undefined, 'STORY_NOT_FOUND'],
        ['GET', `/stats?siteId=${UNKNOWN_ID}`, undefined, 'SITE_NOT_FOUND'],
      ] as const) {
        refused(await send(method, url, body ? { body } : {}), 404, code, `${method} ${url}`);
      }
      assert.deepEqual(await snapshot(), before);
    });

    it('refuses unknown queues, limits out of range and garbage cursors', async () => {
      for (const queue of ['spam', 'PENDING', 'counts2', '..%2Fpending', '']) {
        const response = await send('GET', `/queues/${queue}`);
        assert.ok([400, 404].includes(response.status), `${queue} → ${response.status}`);
        if (queue !== '') refused(response, 400, 'VALIDATION_FAILED', queue);
      }
      for (const path of ['/queues/pending', '/audit', '/search', '/users', '/stories']) {
        for (const limit of ['0', '101', '-1', '1.5', 'ten', '1e3', '']) {
          refused(
            await send('GET', `${path}?limit=${limit}`),
            400,
            'VALIDATION_FAILED',
            `${path} limit=${limit}`,
          );
        }
        for (const cursor of [
          'garbage',
          '..%2F..%2Fetc',
          UNKNOWN_ID.toLowerCase(),
          `${UNKNOWN_ID}A`,
          "'%20OR%201=1--",
        ]) {
          refused(
            await send('GET', `${path}?cursor=${cursor}`),
            400,
            'VALIDATION_FAILED',
            `${path} cursor=${cursor}`,
          );
        }
        for (const limit of ['1', '100']) {
          assert.equal(
            (await send('GET', `${path}?limit=${limit}`)).status,
            200,
            `${path} ${limit}`,
          );
        }
      }
      for (const query of ['days=0', 'days=91', 'days=x', 'unknown=1', 'siteId=']) {
        refused(await send('GET', `/stats?${query}`), 400, 'VALIDATION_FAILED', query);
      }
      for (const query of [
        'from=yesterday',
        'to=2026-13-01T00:00:00Z',
        'status=spam',
        `q=${'x'.repeat(201)}`,
        `author=${'x'.repeat(201)}`,
        'unknown=1',
      ]) {
        refused(await send('GET', `/search?${query}`), 400, 'VALIDATION_FAILED', query);
      }
      refused(await send('GET', '/users?role=superuser'), 400, 'VALIDATION_FAILED', 'role');
    });

    it('refuses overlong and NUL-carrying text, storing nothing', async () => {
      const before = await snapshot();
      const long = (n: number) => 'x'.repeat(n);
      for (const [url, body] of [
        [`/comments/${held}/reject`, { reason: 'ABUSE', note: long(1001) }],
        ['/comments/bulk', { action: 'reject', ids: [held], reason: 'SPAM', note: long(1001) }],
        [`/users/${author.id}/warn`, { message: long(1001) }],
        [`/users/${author.id}/warn`, { message: '' }],
        [`/users/${author.id}/suspend`, { hours: 1, reason: long(501) }],
        [`/users/${author.id}/ban`, { reason: long(501) }],
        [`/users/${author.id}/notes`, { text: long(2001) }],
        [`/users/${author.id}/notes`, { text: '' }],
      ] as const) {
        refused(await send('POST', url, { body }), 400, 'VALIDATION_FAILED', url);
      }
      for (const [method, url, body] of [
        ['POST', `/comments/${held}/reject`, { reason: 'ABUSE', note: 'bad\u0000note' }],
        ['POST', `/users/${author.id}/warn`, { message: 'stop\u0000' }],
        ['POST', `/users/${author.id}/ban`, { reason: '\u0000' }],
        ['POST', `/users/${author.id}/notes`, { text: 'a\u0000b' }],
        [
          'PATCH',
          `/sites/${app.site.id}/settings`,
          { moderation: { wordList: [{ term: 'bad\u0000word', strength: 'banned' }] } },
        ],
        ['POST', '/comments/bulk', { action: 'approve', ids: [held], 'x\u0000': 1 }],
      ] as const) {
        refused(
          await send(method, url, { body }),
          400,
          /^(INVALID_UNICODE|VALIDATION_FAILED)$/,
          url,
        );
      }
      for (const url of ['/search?q=a%00b', '/users?q=%00', `/comments/${held}%00`]) {
        refused(await send('GET', url), 400, 'INVALID_UNICODE', url);
      }
      // Text that is only control characters or a lone surrogate is not a note.
      for (const text of ['\u0001\u0002', 'half \ud800 a pair']) {
        const response = await send('POST', `/users/${author.id}/notes`, { body: { text } });
        assert.equal(response.status, 400, `${JSON.stringify(text)} → ${response.text}`);
      }
      assert.deepEqual(await snapshot(), before);
    });

    it('keeps markup in moderators’ text as text, answered as JSON', async () => {
      const note = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"';
      const target = (await app.post(story, author.token, 'To reject with markup.')).json.comment
        .id;
      const rejected = await send('POST', `/comments/${target}/reject`, {
        body: { reason: 'OTHER', note },
      });
      assert.equal(rejected.status, 200, rejected.text);
      assert.match(String(rejected.headers['content-type']), /^application\/json/);
      assert.equal(rejected.json.item.comment.moderation.rejection.note, note);
      const stored = await app.store.db
        .selectFrom('comments')
        .select('rejection_note')
        .where('id', '=', target)
        .executeTakeFirstOrThrow();
      assert.equal(stored.rejection_note, note, 'stored as written');
      const own = await app.request({
        method: 'GET',
        url: `/api/v1/stories/${story}/comments`,
        token: author.token,
      });
      assert.match(String(own.headers['content-type']), /^application\/json/);
      const mine = own.json.pending.find((c: { id: string }) => c.id === target);
      assert.deepEqual(mine.rejection, { code: 'OTHER', note });
      const added = await send('POST', `/users/${author.id}/notes`, { body: { text: note } });
      assert.equal(added.status, 200, added.text);
      assert.equal(added.json.note.text, note);
      const account = await send('GET', `/users/${author.id}`);
      assert.match(String(account.headers['content-type']), /^application\/json/);
      assert.equal(account.json.notes[0].text, note);
      const warned = await send('POST', `/users/${author.id}/warn`, { body: { message: note } });
      assert.equal(warned.json.user.warning.message, note);
      await app.store.db
        .updateTable('users')
        .set({ warning: null })
        .where('id', '=', author.id)
        .execute();
    });

    it('treats SQL-looking search text as text: 200 and nothing extra', async () => {
      const before = await snapshot();
      for (const q of [
        "' OR 1=1 --",
        "%' OR '1'='1",
        "'); DROP TABLE comments; --",
        '\\',
        '\\%',
        '" OR ""="',
        '*',
        '1; select pg_sleep(5)',
      ]) {
        const encoded = encodeURIComponent(q);
        for (const path of ['/search', '/users', '/stories']) {
          const response = await send('GET', `${path}?q=${encoded}`);
          assert.equal(response.status, 200, `${path} ${q} → ${response.text.slice(0, 200)}`);
          const list = response.json.items ?? response.json.users ?? response.json.stories;
          assert.deepEqual(list, [], `${path} ${q}`);
        }
        const byAuthor = await send('GET', `/search?author=${encoded}`);
        assert.equal(byAuthor.status, 200);
        assert.deepEqual(byAuthor.json.items, []);
      }
      assert.deepEqual(await snapshot(), before, 'the tables are all there, unchanged');
      const everything = await send('GET', '/search?q=comment');
      assert.ok(everything.json.items.length >= 2, 'ordinary search still works');
    });

    it('refuses wrong JSON types, bad bodies and oversized bulk requests', async () => {
      const before = await snapshot();
      const ids = (n: number) =>
        Array.from({ length: n }, (_, i) => `01ARZ3NDEKTSV4RRFFQ69G${String(i).padStart(4, '0')}`);
      for (const [method, url, body] of [
        ['POST', '/comments/bulk', { action: 'approve', ids: ids(101) }],
        ['POST', '/comments/bulk', { action: 'approve', ids: [] }],
        ['POST', '/comments/bulk', { action: 'delete', ids: [held] }],
        ['POST', '/comments/bulk', { action: 'approve', ids: held }],
        ['POST', '/comments/bulk', { action: 'approve', ids: [held, 42] }],
        ['POST', '/comments/bulk', { action: 'reject', ids: [held], reason: 'NOPE' }],
        ['POST', '/comments/bulk', { ids: [held] }],
        ['POST', '/comments/bulk', [held]],
        ['POST', `/comments/${held}/reject`, { reason: 5 }],
        ['POST', `/comments/${held}/reject`, { reason: 'abuse' }],
        ['POST', `/comments/${held}/reject`, { reason: 'ABUSE', note: 123 }],
        ['POST', `/comments/${held}/reject`, { reason: 'ABUSE', extra: true }],
        ['POST', `/comments/${held}/reject`, {}],
        ['POST', `/users/${author.id}/suspend`, { hours: '24' }],
        ['POST', `/users/${author.id}/suspend`, { hours: 0 }],
        ['POST', `/users/${author.id}/suspend`, { hours: 8761 }],
        ['POST', `/users/${author.id}/suspend`, { hours: 1.5 }],
        ['POST', `/users/${author.id}/suspend`, {}],
        ['POST', `/users/${author.id}/premoderate`, { on: 'true' }],
        ['POST', `/users/${author.id}/premoderate`, {}],
        ['POST', `/users/${author.id}/ban`, { siteIds: app.site.id }],
        ['POST', `/users/${author.id}/ban`, { siteIds: [] }],
        ['POST', `/users/${author.id}/ban`, { siteIds: ['x'] }],
        ['POST', `/users/${author.id}/warn`, { message: ['hi'] }],
        ['POST', `/users/${author.id}/warn`, null],
        ['POST', `/users/${author.id}/unban`, { now: true }],
        ['PUT', `/users/${author.id}/role`, { role: 'superuser' }],
        ['PUT', `/users/${author.id}/role`, { role: ['admin'] }],
        ['POST', `/users/${author.id}/notes`, { text: { $ne: '' } }],
        ['PATCH', `/stories/${story}`, {}],
        ['PATCH', `/stories/${story}`, { closed: 'yes' }],
        ['PATCH', `/stories/${story}`, { closed: 1 }],
        ['PATCH', `/sites/${app.site.id}/settings`, { moderation: { wordList: 'idiot' } }],
        ['PATCH', `/sites/${app.site.id}/settings`, { moderation: { links: { holdLinks: 1 } } }],
        ['PATCH', `/sites/${app.site.id}/settings`, { moderation: null }],
        ['PATCH', `/sites/${app.site.id}/settings`, 'settings'],
      ] as const) {
        refused(
          await send(method, url, { body }),
          400,
          'VALIDATION_FAILED',
          `${method} ${url} ${JSON.stringify(body).slice(0, 80)}`,
        );
      }
      for (const raw of ['{"action":"approve",', '{"action":"approve","ids":[', 'nope', '[]]']) {
        refused(
          await send('POST', '/comments/bulk', { raw }),
          400,
          /^(MALFORMED_JSON|VALIDATION_FAILED)$/,
          raw,
        );
      }
      refused(
        await send('POST', `/comments/${held}/reject`, {
          raw: 'reason=SPAM',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'form body',
      );
      refused(
        await send('POST', '/comments/bulk', {
          raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
        }),
        400,
        'INVALID_UTF8',
        'bytes that are not UTF-8',
      );
      const proto = await send('POST', `/users/${author.id}/premoderate`, {
        raw: '{"on":false,"__proto__":{"on":true}}',
      });
      assert.equal(proto.status, 200, proto.text);
      assert.equal(proto.json.user.alwaysPremoderate, false);
      const after = await snapshot();
      assert.deepEqual(after.comments, before.comments);
      assert.deepEqual(after.sites, before.sites);
      assert.deepEqual(after.stories, before.stories);
      assert.equal(after.actions, before.actions + 1, 'only the premoderate call was an action');
    });

    it('still refuses callers before it reads their input', async () => {
      const anonymous = await app.request({
        method: 'POST',
        url: '/api/v1/admin/comments/bulk',
        body: { action: 'approve', ids: [held] },
      });
      refused(anonymous, 401, 'UNAUTHENTICATED', 'anonymous bulk');
      const forged = await app.request({
        method: 'GET',
        url: '/api/v1/admin/me',
        token: 'not-a-real-token',
      });
      assert.ok([401].includes(forged.status), forged.text);
      assert.equal((await send('POST', `/actions/${actionId}/undo`)).status, 200, 'real undo');
    });
  });
}
