/**
 * The outbox in the admin API (docs/identity.md, "Mail"): with no SMTP_URL, mail is held and
 * admins read it, newest first, page by page, filtered by state, one message with its text and
 * HTML; they can send a held or failed message again. Moderators, readers and strangers cannot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queueMail } from '../../src/mail/outbox.ts';
import { issueSession } from '../../src/services/sessions.ts';
import type { Role } from '../../src/store/schema.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
let counter = 0;

function assertError(response: ApiResponse, status: number, code: string, label = ''): void {
  const context = `${label} → ${response.status} ${response.text.slice(0, 300)}`;
  assert.equal(response.status, status, context);
  assert.equal(response.json?.error?.code, code, context);
}

for (const engine of await testEngines()) {
  describe(`admin mail outbox (${engine})`, () => {
    let app: TestApp;
    const tokens = {} as Record<'admin' | 'moderator' | 'commenter', string>;
    /** Queued by this suite, oldest first. */
    const ids: string[] = [];

    const signIn = async (role: Role) => {
      const user = await insertUser(app.store.db, {
        email: `${role}.${++counter}.${Date.now()}@example.com`,
        displayName: role,
        passwordHash: null,
        role,
      });
      assert.ok(user);
      return (await issueSession(app.store, user.id, { method: 'password' })).token;
    };
    const get = (url: string, token = tokens.admin) =>
      app.request({ method: 'GET', url: `/api/v1${url}`, token });
    const retry = (id: string, token = tokens.admin) =>
      app.request({ method: 'POST', url: `/api/v1/admin/mail/${id}/retry`, token, body: {} });

    before(async () => {
      app = await createTestApp(engine);
      tokens.admin = await signIn('admin');
      tokens.moderator = await signIn('moderator');
      tokens.commenter = await signIn('commenter');
      for (const [locale, name] of [
        ['en', 'Ada'],
        ['he', 'נועה'],
        ['fr', 'Zoé <b>'],
      ] as const) {
        ids.push(
          await app.store.db.transaction().execute((trx) =>
            queueMail(trx, {
              userId: null,
              to: `${name.length}.${locale}.${Date.now()}@readers.example`,
              template: 'reset',
              locale,
              params: { name, link: `http://parley.test/account/reset?token=t-${locale}` },
            }),
          ),
        );
      }
      await app.worker.drain();
    });
    after(async () => app.close());

    it('holds mail when no SMTP server is configured', async () => {
      const rows = await app.store.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('id', 'in', ids)
        .execute();
      assert.equal(rows.length, 3);
      for (const row of rows) {
        assert.equal(row.state, 'held');
        assert.equal(row.attempts, 0);
        assert.equal(row.sent_at, null);
      }
    });

    it('lists mail newest first, page by page, for admins', async () => {
      const first = await get('/admin/mail?limit=2');
      assert.equal(first.status, 200, first.text);
      assert.deepEqual(
        first.json.items.map((item: { id: string }) => item.id),
        [ids[2], ids[1]],
      );
      assert.equal(first.json.nextCursor, ids[1]);
      const item = first.json.items[0];
      assert.deepEqual(Object.keys(item).sort(), [
        'attempts',
        'createdAt',
        'id',
        'lastError',
        'locale',
        'sentAt',
        'state',
        'subject',
        'template',
        'to',
      ]);
      assert.equal(item.template, 'reset');
      assert.equal(item.locale, 'fr');
      assert.equal(item.subject, 'Réinitialisez votre mot de passe');
      assert.equal(item.state, 'held');

      const second = await get(`/admin/mail?limit=2&cursor=${first.json.nextCursor}`);
      assert.equal(second.status, 200, second.text);
      assert.deepEqual(
        second.json.items.map((i: { id: string }) => i.id),
        [ids[0]],
      );
      assert.equal(second.json.nextCursor, null);
    });

    it('filters by state', async () => {
      await app.store.db
        .updateTable('mail_outbox')
        .set({ state: 'failed', last_error: '451 busy', attempts: 6 })
        .where('id', '=', ids[0]!)
        .execute();
      const failed = await get('/admin/mail?state=failed');
      assert.equal(failed.status, 200, failed.text);
      assert.deepEqual(
        failed.json.items.map((i: { id: string }) => i.id),
        [ids[0]],
      );
      assert.equal(failed.json.items[0].lastError, '451 busy');
      assert.equal(failed.json.items[0].attempts, 6);
      const held = await get('/admin/mail?state=held');
      assert.deepEqual(
        held.json.items.map((i: { id: string }) => i.id),
        [ids[2], ids[1]],
      );
      assert.deepEqual((await get('/admin/mail?state=sent')).json.items, []);
    });

    it('shows one message with its text and its HTML, right to left for Hebrew', async () => {
      const hebrew = await get(`/admin/mail/${ids[1]}`);
      assert.equal(hebrew.status, 200, hebrew.text);
      assert.equal(hebrew.json.id, ids[1]);
      assert.equal(hebrew.json.locale, 'he');
      assert.match(hebrew.json.text, /נועה/);
      assert.match(hebrew.json.text, /http:\/\/parley\.test\/account\/reset\?token=t-he/);
      assert.match(hebrew.json.html, /<html lang="he" dir="rtl">/);
      const french = await get(`/admin/mail/${ids[2]}`);
      assert.match(french.json.html, /Zoé &lt;b&gt;/);
    });

    it("masks a delivered message's link tokens (they are the reader's keys), not a held one's", async () => {
      await app.store.db
        .updateTable('mail_outbox')
        .set({ state: 'sent' })
        .where('id', '=', ids[1]!)
        .execute();
      try {
        const sent = await get(`/admin/mail/${ids[1]}`);
        assert.doesNotMatch(sent.json.text, /token=t-he/);
        assert.doesNotMatch(sent.json.html, /token=t-he/);
        assert.match(sent.json.text, /\/account\/reset\?token=\[delivered\]/);
      } finally {
        await app.store.db
          .updateTable('mail_outbox')
          .set({ state: 'held' })
          .where('id', '=', ids[1]!)
          .execute();
      }
      assert.match((await get(`/admin/mail/${ids[1]}`)).json.text, /token=t-he/);
    });

    it('sends a held or failed message again, and refuses any other', async () => {
      const again = await retry(ids[0]!);
      assert.equal(again.status, 202, again.text);
      assert.equal(again.json.state, 'queued');
      await app.worker.drain();
      assert.equal((await get(`/admin/mail/${ids[0]}`)).json.state, 'held');

      await app.store.db
        .updateTable('mail_outbox')
        .set({ state: 'sent' })
        .where('id', '=', ids[0]!)
        .execute();
      assertError(await retry(ids[0]!), 409, 'MAIL_NOT_RETRYABLE');
      assertError(await retry(UNKNOWN_ID), 404, 'MAIL_NOT_FOUND');
    });

    it('answers 403 to moderators and readers, 401 to strangers', async () => {
      for (const role of ['moderator', 'commenter'] as const) {
        assertError(await get('/admin/mail', tokens[role]), 403, 'FORBIDDEN', role);
        assertError(await get(`/admin/mail/${ids[1]}`, tokens[role]), 403, 'FORBIDDEN', role);
        assertError(await retry(ids[1]!, tokens[role]), 403, 'FORBIDDEN', role);
      }
      const anonymous = await app.request({ method: 'GET', url: '/api/v1/admin/mail' });
      assertError(anonymous, 401, 'UNAUTHENTICATED');
      assert.equal((await get(`/admin/mail/${ids[1]}`)).json.state, 'held', 'nothing changed');
    });

    it('refuses bad input with 400 and an unknown message with 404', async () => {
      for (const query of [
        'cursor=not-a-cursor',
        'cursor=',
        'state=lost',
        'limit=0',
        'limit=1000',
        'other=1',
      ]) {
        assertError(await get(`/admin/mail?${query}`), 400, 'VALIDATION_FAILED', query);
      }
      assertError(await get('/admin/mail/nope'), 400, 'VALIDATION_FAILED');
      assertError(await get(`/admin/mail/${UNKNOWN_ID}`), 404, 'MAIL_NOT_FOUND');
    });
  });
}
