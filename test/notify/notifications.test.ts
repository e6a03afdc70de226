/**
 * Readers' notifications end to end through the API: comments posted and moderated as readers and
 * moderators do, the dispatcher run, and each reader's bell read back. Who is told, of what, and
 * who never is (held, rejected, deleted, banned). Both engines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NOTIFY_EMAIL_JOB } from '../../src/notify/notifications.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

for (const engine of await testEngines()) {
  describe(`readers' notifications (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    let storyId: string;

    before(async () => {
      app = await createTestApp(engine);
      admin = await app.admin();
      storyId = await app.story();
    });
    after(() => app.close());

    const bell = async (token: string) => {
      const response = await app.request({ method: 'GET', url: '/api/v1/notifications', token });
      assert.equal(response.status, 200, response.text);
      return response.json as {
        items: Array<{ kind: string; commentId: string; actorName: string; excerpt: string }>;
        unread: number;
      };
    };
    const posted = async (token: string, body: string, parentId?: string) => {
      const response = await app.post(storyId, token, body, parentId);
      assert.equal(response.status, 201, response.text);
      return response.json.comment as { id: string; status: string };
    };
    const moderate = async (id: string, action: string, body?: unknown) => {
      const response = await app.request({
        method: 'POST',
        url: `/api/v1/admin/comments/${id}/${action}`,
        token: admin,
        body: body ?? {},
      });
      assert.equal(response.status, 200, response.text);
    };
    const hold = (held: boolean) =>
      app.store.db
        .updateTable('stories')
        .set({ premoderated: held ? 1 : 0 })
        .where('id', '=', storyId)
        .execute();

    test('a published reply tells the author of the comment it answers, once', async () => {
      const amal = await app.signup('Amal');
      const ben = await app.signup('Ben');
      const root = await posted(amal.token, 'Where did the figures come from?');
      const reply = await posted(
        ben.token,
        'From the **ministry** report, see [page 4](https://example.org/r).',
        root.id,
      );
      await app.dispatcher.drain();
      await app.dispatcher.drain();
      const seen = await bell(amal.token);
      assert.equal(seen.unread, 1);
      assert.deepEqual(
        seen.items.map((n) => [n.kind, n.commentId, n.actorName]),
        [['reply', reply.id, 'Ben']],
      );
      assert.equal(seen.items[0]?.excerpt, 'From the ministry report, see page 4.');
      assert.equal((await bell(ben.token)).items.length, 0, 'nobody is told of their own reply');
    });

    test('a held reply tells nobody until approved; then its author and the parent', async () => {
      const amal = await app.signup('Amal');
      const ben = await app.signup('Ben');
      const root = await posted(amal.token, 'A question about the timeline.');
      await hold(true);
      const reply = await posted(ben.token, 'The vote was moved twice.', root.id);
      assert.equal(reply.status, 'pending');
      await app.dispatcher.drain();
      assert.equal((await bell(amal.token)).items.length, 0);
      await moderate(reply.id, 'approve');
      await app.dispatcher.drain();
      assert.deepEqual(
        (await bell(amal.token)).items.map((n) => n.kind),
        ['reply'],
      );
      assert.deepEqual(
        (await bell(ben.token)).items.map((n) => n.kind),
        ['approved'],
      );
      await hold(false);
    });

    test('a rejected reply never tells the parent; its author learns why', async () => {
      const amal = await app.signup('Amal');
      const ben = await app.signup('Ben');
      const root = await posted(amal.token, 'Is the map accurate?');
      await hold(true);
      const reply = await posted(ben.token, 'Buy cheap watches here.', root.id);
      await moderate(reply.id, 'reject', { reason: 'SPAM', note: 'Advertising.' });
      await app.dispatcher.drain();
      await hold(false);
      assert.equal((await bell(amal.token)).items.length, 0);
      const ben1 = await app.request({
        method: 'GET',
        url: '/api/v1/notifications',
        token: ben.token,
      });
      assert.deepEqual(
        ben1.json.items.map((n: { kind: string }) => n.kind),
        ['rejected'],
      );
      assert.deepEqual(ben1.json.items[0].rejection, { code: 'SPAM', note: 'Advertising.' });
    });

    test('a reply deleted before dispatch tells nobody; one rejected after is taken back', async () => {
      const amal = await app.signup('Amal');
      const ben = await app.signup('Ben');
      const root = await posted(amal.token, 'What about the second site?');
      const gone = await posted(ben.token, 'Oops, wrong thread.', root.id);
      const deleted = await app.request({
        method: 'DELETE',
        url: `/api/v1/comments/${gone.id}`,
        token: ben.token,
      });
      assert.equal(deleted.status, 200, deleted.text);
      await app.dispatcher.drain();
      assert.equal((await bell(amal.token)).items.length, 0);

      const later = await posted(ben.token, 'It was closed in May.', root.id);
      await app.dispatcher.drain();
      assert.equal((await bell(amal.token)).unread, 1);
      // Mailed already: the bell still stops showing it the moment it is rejected.
      await app.store.db
        .updateTable('notifications')
        .set({ email_state: 'sent' })
        .where('comment_id', '=', later.id)
        .execute();
      await moderate(later.id, 'reject', { reason: 'OFF_TOPIC' });
      assert.equal((await bell(amal.token)).unread, 0, 'hidden before the dispatcher runs');
      await app.dispatcher.drain();
      const left = await app.store.db
        .selectFrom('notifications')
        .select('id')
        .where('comment_id', '=', later.id)
        .where('kind', '!=', 'rejected')
        .execute();
      assert.equal(left.length, 0, 'and taken back once it has (its author keeps the rejection)');
      const after = await bell(amal.token);
      assert.equal(after.items.length, 0, 'the reply is no longer published');
      assert.equal(after.unread, 0);
    });

    test("staff answering deep in a thread tell everyone above; mentions reach the story's readers", async () => {
      const amal = await app.signup('Amal Haddad');
      const ben = await app.signup('Ben');
      const carla = await app.signup('Carla');
      const dana = await app.signup('Dana');
      const journalist = await app.signup('Reporter');
      await app.store.db
        .updateTable('users')
        .set({ role: 'staff' })
        .where('id', '=', journalist.id)
        .execute();
      await posted(dana.token, 'Following this story closely.');
      const a = await posted(amal.token, 'Who paid for the study?');
      const b = await posted(ben.token, 'I read it was the city.', a.id);
      const c = await posted(carla.token, 'No, a foundation.', b.id);
      const answer = await posted(
        journalist.token,
        'It was the foundation; @Dana, see the update.',
        c.id,
      );
      await app.dispatcher.drain();
      const kindsOf = async (token: string) =>
        (await bell(token)).items.filter((n) => n.commentId === answer.id).map((n) => n.kind);
      assert.deepEqual(await kindsOf(carla.token), ['reply']);
      assert.deepEqual(await kindsOf(ben.token), ['staff']);
      assert.deepEqual(await kindsOf(amal.token), ['staff']);
      assert.deepEqual(await kindsOf(dana.token), ['mention']);

      const mention = await posted(ben.token, 'Thanks @amal haddad, good question.');
      await app.dispatcher.drain();
      assert.ok(
        (await bell(amal.token)).items.some(
          (n) => n.commentId === mention.id && n.kind === 'mention',
        ),
        'a mention matches a name with a space, in any case',
      );
    });

    test('mentions find names in any script and case; a reply under a hidden comment tells no one above it as a reply', async () => {
      const elodie = await app.signup('Élodie Durand');
      const ivan = await app.signup('Иван');
      const ben = await app.signup('Ben');
      await posted(elodie.token, 'Bonjour.');
      await posted(ivan.token, 'Привет.');
      const mention = await posted(ben.token, 'Merci @élodie durand et @ИВАН.');
      await app.dispatcher.drain();
      for (const reader of [elodie, ivan]) {
        assert.ok(
          (await bell(reader.token)).items.some(
            (n) => n.commentId === mention.id && n.kind === 'mention',
          ),
        );
      }
      const names = await app.request({
        method: 'GET',
        url: `/api/v1/stories/${storyId}/mentions?q=${encodeURIComponent('éL')}`,
        token: ben.token,
      });
      assert.deepEqual(names.json.names, ['Élodie Durand']);

      const top = await posted(elodie.token, 'A thread.');
      const middle = await posted(ivan.token, 'A middle comment.', top.id);
      await moderate(middle.id, 'reject', { reason: 'ABUSE' });
      const under = await app.store.db
        .insertInto('comments')
        .values({
          id: '01M98ZZZZZZZZZZZZZZZZZZZZZ',
          site_id: app.site.id,
          story_id: storyId,
          parent_id: middle.id,
          thread_parent_id: middle.id,
          depth: 2,
          author_id: ben.id,
          body: 'Left under a comment rejected since.',
          html: '<p>Left under a comment rejected since.</p>',
          status: 'approved',
          reply_count: 0,
          reaction_count: 0,
          created_at: new Date().toISOString(),
          edited_at: null,
          deleted_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { notificationConsumer } = await import('../../src/notify/notifications.ts');
      const record = await (
        await import('../../src/store/comments.ts')
      ).getComment(app.store.db, under.id);
      await app.store.transact((trx) =>
        notificationConsumer()(
          trx,
          {
            change: 'created',
            siteId: app.site.id,
            storyId,
            seq: 0,
            at: new Date().toISOString(),
            commentId: under.id,
            comment: record ?? null,
            previous: null,
          },
          [],
        ),
      );
      assert.ok(
        !(await bell(elodie.token)).items.some((n) => n.commentId === under.id),
        'the grandparent is not told it was answered',
      );
    });

    test("a banned author's approved comment tells nobody", async () => {
      const amal = await app.signup('Amal');
      const ben = await app.signup('Ben');
      const root = await posted(amal.token, 'A fair point about costs.');
      await hold(true);
      const reply = await posted(ben.token, 'You are all wrong.', root.id);
      await app.store.db
        .updateTable('users')
        .set({ banned_at: new Date().toISOString() })
        .where('id', '=', ben.id)
        .execute();
      await moderate(reply.id, 'approve');
      await app.dispatcher.drain();
      await hold(false);
      assert.equal((await bell(amal.token)).items.length, 0);
    });

    test('mail is opt-in: the job is queued only for a reader who asked, for that kind', async () => {
      const amal = await app.signup('Amal');
      const ben = await app.signup('Ben');
      const jobs = () =>
        app.store.db
          .selectFrom('jobs')
          .select('payload')
          .where('kind', '=', NOTIFY_EMAIL_JOB)
          .execute();
      const before = (await jobs()).length;
      const root = await posted(amal.token, 'First.');
      await posted(ben.token, 'Reply one.', root.id);
      await app.dispatcher.drain();
      assert.equal((await jobs()).length, before, 'mail is off by default');

      const set = await app.request({
        method: 'PUT',
        url: '/api/v1/notifications/settings',
        token: amal.token,
        body: { email: 'immediate', kinds: { mention: false } },
      });
      assert.equal(set.status, 200, set.text);
      assert.equal(set.json.email, 'immediate');
      assert.equal(set.json.kinds.mention, false);
      assert.equal(set.json.kinds.reply, true);
      assert.equal(set.json.emailConfirmed, true);
      await posted(ben.token, 'Reply two.', root.id);
      await posted(ben.token, 'Mentioning @Amal here.');
      await app.dispatcher.drain();
      assert.equal((await jobs()).length, before + 1, 'one mail: the reply, not the mention');

      await app.request({
        method: 'PUT',
        url: '/api/v1/notifications/settings',
        token: amal.token,
        body: { email: 'daily' },
      });
      await posted(ben.token, 'Reply three.', root.id);
      await app.dispatcher.drain();
      assert.equal((await jobs()).length, before + 1, 'a digest reader gets no immediate mail');
      const waiting = await app.store.db
        .selectFrom('notifications')
        .select('email_state')
        .where('user_id', '=', amal.id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(waiting.email_state, 'digest');
    });

    test('a reader whose confirmed address bounced can ask for a new confirmation link', async () => {
      const amal = await app.signup('Amal');
      const verifyMails = async () =>
        (
          await app.store.db
            .selectFrom('mail_outbox')
            .select('id')
            .where('user_id', '=', amal.id)
            .where('template', '=', 'verify')
            .execute()
        ).length;
      const resend = () =>
        app.request({ method: 'POST', url: '/api/v1/auth/verify-email/resend', token: amal.token });
      assert.equal((await resend()).status, 202);
      assert.equal(await verifyMails(), 0, 'a confirmed, working address needs no link');
      await app.store.db
        .updateTable('users')
        .set({ mail_bounced_at: new Date().toISOString() })
        .where('id', '=', amal.id)
        .execute();
      const settings = await app.request({
        method: 'GET',
        url: '/api/v1/notifications/settings',
        token: amal.token,
      });
      assert.equal(settings.json.bounced, true);
      assert.equal((await resend()).status, 202);
      assert.equal(await verifyMails(), 1);
    });

    test('marking read, paging, and the routes refuse strangers and bad input', async () => {
      const amal = await app.signup('Amal');
      const ben = await app.signup('Ben');
      const root = await posted(amal.token, 'Paging test.');
      for (let i = 0; i < 3; i++) await posted(ben.token, `Answer ${i}.`, root.id);
      await app.dispatcher.drain();
      const page = await app.request({
        method: 'GET',
        url: '/api/v1/notifications?limit=2',
        token: amal.token,
      });
      assert.equal(page.json.items.length, 2);
      assert.equal(page.json.unread, 3);
      const rest = await app.request({
        method: 'GET',
        url: `/api/v1/notifications?limit=2&cursor=${page.json.nextCursor}`,
        token: amal.token,
      });
      assert.equal(rest.json.items.length, 1);
      assert.equal(rest.json.nextCursor, null);

      const one = await app.request({
        method: 'POST',
        url: '/api/v1/notifications/read',
        token: amal.token,
        body: { ids: [page.json.items[0].id] },
      });
      assert.deepEqual(one.json, { unread: 2 });
      // Someone else's ids change nothing.
      const foreign = await app.request({
        method: 'POST',
        url: '/api/v1/notifications/read',
        token: ben.token,
        body: { ids: [page.json.items[1].id] },
      });
      assert.deepEqual(foreign.json, { unread: 0 });
      assert.equal((await bell(amal.token)).unread, 2);
      const all = await app.request({
        method: 'POST',
        url: '/api/v1/notifications/read',
        token: amal.token,
        body: { all: true },
      });
      assert.deepEqual(all.json, { unread: 0 });

      for (const [method, url, body] of [
        ['GET', '/api/v1/notifications', undefined],
        ['POST', '/api/v1/notifications/read', { all: true }],
        ['GET', '/api/v1/notifications/settings', undefined],
        ['PUT', '/api/v1/notifications/settings', { email: 'off' }],
        ['GET', `/api/v1/stories/${storyId}/mentions?q=a`, undefined],
      ] as const) {
        const response = await app.request({ method, url, body });
        assert.equal(response.status, 401, `${method} ${url}`);
        assert.equal(response.json.error.code, 'UNAUTHENTICATED');
      }
      for (const body of [
        {},
        { ids: ['not an id'] },
        { ids: Array.from({ length: 101 }, () => '01J00000000000000000000000') },
        { all: false },
        { all: true, extra: 1 },
      ]) {
        const response = await app.request({
          method: 'POST',
          url: '/api/v1/notifications/read',
          token: amal.token,
          body,
        });
        assert.equal(response.status, 400, JSON.stringify(body));
      }
      for (const body of [
        { email: 'weekly' },
        { kinds: { reply: 'yes' } },
        { kinds: { unknown: true } },
        { email: "off'; drop table users; --" },
      ]) {
        const response = await app.request({
          method: 'PUT',
          url: '/api/v1/notifications/settings',
          token: amal.token,
          body,
        });
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(response.json.error.code, 'VALIDATION_FAILED');
      }
      const badCursor = await app.request({
        method: 'GET',
        url: '/api/v1/notifications?cursor=%27%20or%201%3D1',
        token: amal.token,
      });
      assert.equal(badCursor.status, 400);
    });

    test('mention names: readers of this story only, by prefix, wildcards taken literally', async () => {
      const zed = await app.signup('Zed Zeta');
      const zoe = await app.signup('Zoe_1');
      await posted(zed.token, 'Hello.');
      await posted(zoe.token, 'Hi.');
      const other = await app.story();
      const zara = await app.signup('Zara');
      await app.post(other, zara.token, 'Elsewhere.');
      const names = async (q: string) =>
        (
          await app.request({
            method: 'GET',
            url: `/api/v1/stories/${storyId}/mentions?q=${encodeURIComponent(q)}`,
            token: zed.token,
          })
        ).json.names as string[];
      assert.deepEqual(await names('z'), ['Zed Zeta', 'Zoe_1']);
      assert.deepEqual(await names('ZE'), ['Zed Zeta']);
      assert.deepEqual(await names('%'), []);
      assert.deepEqual(await names('zoe_'), ['Zoe_1']);
      assert.deepEqual(await names('z_e'), []);
    });

    test('the context of a comment: its ancestors root first, hidden ones without words', async () => {
      const amal = await app.signup('Amal');
      const ben = await app.signup('Ben');
      const a = await posted(amal.token, 'Root words.');
      const b = await posted(ben.token, 'Middle words.', a.id);
      const c = await posted(amal.token, 'Leaf words.', b.id);
      const context = await app.request({ method: 'GET', url: `/api/v1/comments/${c.id}/context` });
      assert.equal(context.status, 200, context.text);
      assert.deepEqual(
        context.json.ancestors.map((x: { id: string }) => x.id),
        [a.id, b.id],
      );
      assert.equal(context.json.comment.id, c.id);
      await moderate(b.id, 'reject', { reason: 'ABUSE' });
      const again = await app.request({ method: 'GET', url: `/api/v1/comments/${c.id}/context` });
      assert.ok(!again.text.includes('Middle words.'), 'a rejected ancestor is not shown');
      const hidden = await app.request({ method: 'GET', url: `/api/v1/comments/${b.id}/context` });
      assert.equal(hidden.status, 404);
    });
  });
}
