/**
 * Ignoring a reader (docs/profiles.md, "Ignore") over real HTTP: the list is the reader's own and
 * the same on each of their devices; another reader never sees it, not in their own list nor in a
 * thread page (cached and shared between readers); oneself, staff and unknown readers cannot be
 * ignored, and the list has a cap; the ignored reader's replies and mentions do not notify the
 * ignorer; erasure removes the rows both ways and the export carries the list.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eraseAccount } from '../../src/services/privacy.ts';
import { IGNORE_LIMIT } from '../../src/services/ignores.ts';
import { issueSession } from '../../src/services/sessions.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const OTHER_SITE = '01ARZ3NDEKTSV4RRFFQ69G5FAW';

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  json: any;
  text: string;
  headers: Headers;
}

function client(base: string) {
  return async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = { origin: SITE_ORIGIN, ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, headers: response.headers };
  };
}

for (const engine of await testEngines()) {
  describe(`ignores (${engine})`, () => {
    let app: TestApp;
    let call: ReturnType<typeof client>;
    let alice: { token: string; id: string };
    let bob: { token: string; id: string };
    let carol: { token: string; id: string };
    let storyId: string;

    const ids = (answer: Answer) => answer.json.items.map((i: { userId: string }) => i.userId);

    before(async () => {
      app = await createTestApp(engine, {
        PARLEY_WRITE_RATE_LIMIT: '5000',
        PARLEY_READ_RATE_LIMIT: '5000',
      });
      await app.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.app.server.address() as AddressInfo;
      call = client(`http://127.0.0.1:${port}`);
      alice = await app.signup('Alice');
      bob = await app.signup('Bob');
      // A name from before today's checks (or an import) with a direction override: still text.
      await app.store.db
        .updateTable('users')
        .set({ display_name: 'Bob\u202Eevil' })
        .where('id', '=', bob.id)
        .execute();
      carol = await app.signup('Carol');
      storyId = await app.story();
    });
    after(() => app.close());

    it('ignores, lists (the same on another device) and undoes', async () => {
      const put = await call('PUT', `/api/v1/me/ignores/${bob.id}`, { token: alice.token });
      assert.equal(put.status, 200, put.text);
      assert.deepEqual(put.json, { ignored: true, created: true });
      const again = await call('PUT', `/api/v1/me/ignores/${bob.id}`, {
        token: alice.token,
        body: {},
      });
      assert.deepEqual(again.json, { ignored: true, created: false });

      const list = await call('GET', '/api/v1/me/ignores', { token: alice.token });
      assert.equal(list.status, 200);
      assert.equal(list.headers.get('cache-control'), 'private, no-store');
      assert.equal(list.json.items.length, 1);
      const [item] = list.json.items;
      assert.equal(item.userId, bob.id);
      assert.equal(item.displayName, 'Bob\u202Eevil');
      assert.equal(item.avatarUrl, null);
      assert.ok(!Number.isNaN(Date.parse(item.since)));

      // Alice's phone: a second session of hers sees the same list.
      const { token: phone } = await issueSession(app.store, alice.id, { method: 'password' });
      assert.deepEqual(ids(await call('GET', '/api/v1/me/ignores', { token: phone })), [bob.id]);

      // Bob is not told, and his own list says nothing of it.
      assert.deepEqual(ids(await call('GET', '/api/v1/me/ignores', { token: bob.token })), []);
      assert.deepEqual(ids(await call('GET', '/api/v1/me/ignores', { token: carol.token })), []);

      const removed = await call('DELETE', `/api/v1/me/ignores/${bob.id}`, { token: phone });
      assert.deepEqual(removed.json, { ignored: false, removed: true });
      assert.deepEqual(ids(await call('GET', '/api/v1/me/ignores', { token: alice.token })), []);
      const twice = await call('DELETE', `/api/v1/me/ignores/${bob.id}`, { token: alice.token });
      assert.deepEqual(twice.json, { ignored: false, removed: false });
    });

    it('refuses oneself, staff, unknown readers, bad ids, strangers and bodies', async () => {
      const code = (answer: Answer) => [answer.status, answer.json?.error?.code];
      assert.deepEqual(
        code(await call('PUT', `/api/v1/me/ignores/${alice.id}`, { token: alice.token })),
        [400, 'CANNOT_IGNORE_SELF'],
      );
      const moderator = await insertUser(app.store.db, {
        email: `moderator-${Date.now()}@example.com`,
        displayName: 'Moderator',
        passwordHash: null,
        role: 'moderator',
      });
      assert.ok(moderator);
      assert.deepEqual(
        code(await call('PUT', `/api/v1/me/ignores/${moderator.id}`, { token: alice.token })),
        [403, 'CANNOT_IGNORE_STAFF'],
      );
      assert.deepEqual(
        code(await call('PUT', `/api/v1/me/ignores/${UNKNOWN_ID}`, { token: alice.token })),
        [404, 'USER_NOT_FOUND'],
      );
      assert.deepEqual(
        code(
          await call('PUT', `/api/v1/me/ignores/${encodeURIComponent("1' or '1'='1")}`, {
            token: alice.token,
          }),
        ),
        [400, 'VALIDATION_FAILED'],
      );
      assert.deepEqual(code(await call('PUT', `/api/v1/me/ignores/${bob.id}`)), [
        401,
        'UNAUTHENTICATED',
      ]);
      assert.deepEqual(code(await call('GET', '/api/v1/me/ignores')), [401, 'UNAUTHENTICATED']);
      assert.deepEqual(code(await call('DELETE', `/api/v1/me/ignores/${bob.id}`)), [
        401,
        'UNAUTHENTICATED',
      ]);
      assert.equal(
        (
          await call('PUT', `/api/v1/me/ignores/${bob.id}`, {
            token: alice.token,
            body: { userId: carol.id },
          })
        ).status,
        400,
      );
      assert.deepEqual(ids(await call('GET', '/api/v1/me/ignores', { token: alice.token })), []);
    });

    it("protects the site's own staff only: a moderator of other sites is a reader here", async () => {
      const code = (answer: Answer) => [answer.status, answer.json?.error?.code];
      const moderator = async (siteIds: string[] | null) => {
        const user = await insertUser(app.store.db, {
          email: `scoped-${Math.random()}@example.com`,
          displayName: 'Scoped moderator',
          passwordHash: null,
          role: 'moderator',
        });
        assert.ok(user);
        await app.store.db
          .updateTable('users')
          .set({ moderator_site_ids: siteIds === null ? null : JSON.stringify(siteIds) })
          .where('id', '=', user.id)
          .execute();
        return user.id;
      };
      const site = app.site.id;
      const elsewhere = await moderator([OTHER_SITE]);
      const here = await moderator([OTHER_SITE, site]);
      const everywhere = await moderator(null);
      const from = (id: string, siteId?: string) =>
        call(
          'PUT',
          `/api/v1/me/ignores/${id}${siteId === undefined ? '' : `?siteId=${encodeURIComponent(siteId)}`}`,
          { token: carol.token },
        );
      // Named from this site: another site's moderator is a reader; its own and every site's not.
      const ignored = await from(elsewhere, site);
      assert.equal(ignored.status, 200, ignored.text);
      assert.deepEqual(ignored.json, { ignored: true, created: true });
      assert.deepEqual(code(await from(here, site)), [403, 'CANNOT_IGNORE_STAFF']);
      assert.deepEqual(code(await from(everywhere, site)), [403, 'CANNOT_IGNORE_STAFF']);
      // No site named: every newsroom role is refused, as before.
      assert.deepEqual(code(await from(here)), [403, 'CANNOT_IGNORE_STAFF']);
      // A site that does not exist, or is not an id.
      assert.deepEqual(code(await from(here, UNKNOWN_ID)), [404, 'SITE_NOT_FOUND']);
      assert.deepEqual(code(await from(here, "x' or 1=1 --")), [400, 'VALIDATION_FAILED']);
      assert.deepEqual(ids(await call('GET', '/api/v1/me/ignores', { token: carol.token })), [
        elsewhere,
      ]);
      await call('DELETE', `/api/v1/me/ignores/${elsewhere}`, { token: carol.token });
    });

    it(`stops at ${IGNORE_LIMIT} readers`, async () => {
      const heavy = await app.signup('Heavy Ignorer');
      const now = new Date().toISOString();
      const others: string[] = [];
      for (let i = 0; i < IGNORE_LIMIT; i += 1) {
        const user = await insertUser(app.store.db, {
          email: `filler-${i}-${Date.now()}@example.com`,
          displayName: `Filler ${i}`,
          passwordHash: null,
          role: 'commenter',
        });
        assert.ok(user);
        others.push(user.id);
      }
      for (let i = 0; i < others.length; i += 200) {
        await app.store.db
          .insertInto('ignores')
          .values(
            others
              .slice(i, i + 200)
              .map((id) => ({ user_id: heavy.id, ignored_user_id: id, created_at: now })),
          )
          .execute();
      }
      const full = await call('PUT', `/api/v1/me/ignores/${carol.id}`, { token: heavy.token });
      assert.equal(full.status, 409, full.text);
      assert.equal(full.json.error.code, 'IGNORE_LIMIT');
      // Ignoring one already ignored is still fine at the cap.
      const same = await call('PUT', `/api/v1/me/ignores/${others[0]}`, { token: heavy.token });
      assert.deepEqual(same.json, { ignored: true, created: false });
      const list = await call('GET', '/api/v1/me/ignores', { token: heavy.token });
      assert.equal(list.json.items.length, IGNORE_LIMIT);
    });

    it("never carries one reader's ignores to another, nor into the shared thread page", async () => {
      const posted = await app.post(storyId, bob.token, 'A comment by Bob');
      assert.equal(posted.status, 201);
      const anonymousBefore = await call('GET', `/api/v1/stories/${storyId}/comments`);
      assert.equal(anonymousBefore.status, 200);
      assert.equal(
        (await call('PUT', `/api/v1/me/ignores/${bob.id}`, { token: alice.token })).status,
        200,
      );
      try {
        // Alice reads first (her view, then the cached page), then the others.
        const pages = {
          alice: await call('GET', `/api/v1/stories/${storyId}/comments`, { token: alice.token }),
          bob: await call('GET', `/api/v1/stories/${storyId}/comments`, { token: bob.token }),
          carol: await call('GET', `/api/v1/stories/${storyId}/comments`, { token: carol.token }),
          anonymous: await call('GET', `/api/v1/stories/${storyId}/comments`),
        };
        for (const [who, page] of Object.entries(pages)) {
          assert.equal(page.status, 200, `${who}: ${page.text}`);
          assert.ok(!/ignor/i.test(page.text), `${who}'s thread page mentions ignoring`);
          assert.ok(page.text.includes('A comment by Bob'), `${who} gets Bob's comment`);
        }
        // The shared page is the same bytes as before Alice ignored Bob.
        assert.equal(pages.anonymous.text, anonymousBefore.text);
        assert.deepEqual(ids(await call('GET', '/api/v1/me/ignores', { token: carol.token })), []);
        assert.deepEqual(ids(await call('GET', '/api/v1/me/ignores', { token: bob.token })), []);
      } finally {
        await call('DELETE', `/api/v1/me/ignores/${bob.id}`, { token: alice.token });
      }
    });

    it('does not notify the ignorer of replies and mentions by the ignored reader', async () => {
      const own = await app.post(storyId, alice.token, 'Alice asks something');
      assert.equal(own.status, 201);
      await app.dispatcher.drain();
      assert.equal(
        (await call('PUT', `/api/v1/me/ignores/${carol.id}`, { token: alice.token })).status,
        200,
      );
      const fromCarol = await app.post(
        storyId,
        carol.token,
        'Carol answers @Alice',
        own.json.comment.id,
      );
      assert.equal(fromCarol.status, 201, fromCarol.text);
      const fromBob = await app.post(storyId, bob.token, 'Bob answers too', own.json.comment.id);
      assert.equal(fromBob.status, 201, fromBob.text);
      await app.dispatcher.drain();
      const bell = await call('GET', '/api/v1/notifications', { token: alice.token });
      assert.equal(bell.status, 200, bell.text);
      const about = bell.json.items.map((n: { commentId: string }) => n.commentId);
      assert.ok(about.includes(fromBob.json.comment.id), 'a reply by someone else is told');
      assert.ok(!about.includes(fromCarol.json.comment.id), 'a reply by an ignored reader is not');
      await call('DELETE', `/api/v1/me/ignores/${carol.id}`, { token: alice.token });
    });

    it('exports the list, and erasure removes the rows both ways', async () => {
      const dave = await app.signup('Dave');
      assert.equal(
        (await call('PUT', `/api/v1/me/ignores/${carol.id}`, { token: dave.token })).status,
        200,
      );
      assert.equal(
        (await call('PUT', `/api/v1/me/ignores/${dave.id}`, { token: alice.token })).status,
        200,
      );
      const exported = await call('GET', '/api/v1/auth/me/export', { token: dave.token });
      assert.equal(exported.status, 200, exported.text.slice(0, 300));
      assert.deepEqual(
        exported.json.ignores.map((i: { userId: string }) => i.userId),
        [carol.id],
      );
      assert.equal(exported.json.profilePrivate, false);
      await eraseAccount(
        {
          store: app.store,
          config: app.config,
          sessions: { forgetUser: () => undefined },
          threads: { storyChanged: () => undefined },
        },
        dave.id,
        { immediate: true },
      );
      const rows = await app.store.db
        .selectFrom('ignores')
        .selectAll()
        .where((eb) => eb.or([eb('user_id', '=', dave.id), eb('ignored_user_id', '=', dave.id)]))
        .execute();
      assert.deepEqual(rows, []);
      assert.ok(
        !ids(await call('GET', '/api/v1/me/ignores', { token: alice.token })).includes(dave.id),
      );
      // An erased reader cannot be ignored again.
      const gone = await call('PUT', `/api/v1/me/ignores/${dave.id}`, { token: alice.token });
      assert.equal(gone.status, 404);
    });
  });
}
