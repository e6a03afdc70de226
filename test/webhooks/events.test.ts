/**
 * Which events endpoints hear, and what their payloads say, on both engines: comments' changes as
 * the dispatcher hands them over (created, rejected, approved, featured, deleted: in each story's
 * order, with no address of anyone), a story only when it is really created, a ban on the sites it
 * newly covers (every site: only those that know the reader), an erasure with the account's id
 * alone (and the reader's name and words taken out of what was queued or kept). Only enabled
 * endpoints of the event's site subscribed to its type get a delivery.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { webhookConsumer, WEBHOOK_EVENT_TYPES } from '../../src/webhooks/events.ts';
import { createTestApp, READER_PASSWORD, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const OTHER_ORIGIN = 'https://other.example';

for (const engine of await testEngines()) {
  describe(`webhook events (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    let other: Site;
    /** Endpoints: this site's (every event, story.created only, disabled), the other site's. */
    const ids = { all: '', stories: '', disabled: '', other: '' };

    before(async () => {
      app = await createTestApp(engine, {
        PARLEY_DELETION_GRACE_HOURS: '0',
        PARLEY_WRITE_RATE_LIMIT: '10000',
      });
      admin = await app.admin();
      other = await insertSite(app.store.db, {
        name: 'Other News',
        allowedOrigins: [OTHER_ORIGIN],
        editWindowSeconds: 300,
        maxDepth: 3,
      });
      await app.sites.refresh();
      const register = async (siteId: string, events: readonly string[]) => {
        const response = await app.request({
          method: 'POST',
          url: `/api/v1/admin/sites/${siteId}/webhooks`,
          token: admin,
          body: { url: 'https://hooks.publisher.example/parley', events },
        });
        assert.equal(response.status, 201, response.text);
        return response.json.endpoint.id as string;
      };
      ids.all = await register(app.site.id, WEBHOOK_EVENT_TYPES);
      ids.stories = await register(app.site.id, ['story.created']);
      ids.disabled = await register(app.site.id, WEBHOOK_EVENT_TYPES);
      ids.other = await register(other.id, WEBHOOK_EVENT_TYPES);
      const disabled = await app.request({
        method: 'POST',
        url: `/api/v1/admin/webhooks/${ids.disabled}/disable`,
        token: admin,
      });
      assert.equal(disabled.status, 200, disabled.text);
    });
    after(async () => app.close());

    /** The payloads queued for an endpoint, oldest first (optionally only of one type). */
    async function payloads(endpointId: string, type?: string) {
      let q = app.store.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .orderBy('id');
      if (type) q = q.where('event_type', '=', type);
      const rows = await q.execute();
      return rows.map((row) => ({
        row,
        payload: JSON.parse(row.payload) as {
          type: string;
          version: number;
          timestamp: string;
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
          data: any;
        },
      }));
    }
    const count = async (endpointId: string, type?: string) =>
      (await payloads(endpointId, type)).length;

    it('announces a story when it is created, not when it is found again', async () => {
      const before = await count(ids.all, 'story.created');
      const storyId = await app.story('webhook-story-1');
      assert.equal(await app.story('webhook-story-1'), storyId);
      const created = await payloads(ids.all, 'story.created');
      assert.equal(created.length, before + 1);
      const { payload, row } = created.at(-1)!;
      assert.equal(payload.version, 1);
      assert.equal(row.ordering_key, storyId);
      assert.deepEqual(
        { ...payload.data, createdAt: undefined },
        {
          id: storyId,
          siteId: app.site.id,
          externalId: 'webhook-story-1',
          url: 'https://news.example/news/webhook-story-1',
          title: null,
          createdAt: undefined,
        },
      );
      // The story-only endpoint hears it too; the disabled one and the other site's do not.
      assert.equal(await count(ids.stories, 'story.created'), before + 1);
      assert.equal(await count(ids.disabled), 0);
      assert.equal(await count(ids.other, 'story.created'), 0);
    });

    it('turns a comment’s changes into events in the story’s order, with no addresses', async () => {
      const storyId = await app.story('webhook-story-2');
      const reader = await app.signup('Ada Reader');
      const posted = await app.post(storyId, reader.token, 'A **first** comment');
      assert.equal(posted.status, 201, posted.text);
      const commentId = posted.json.comment.id as string;
      const act = async (action: string, body?: object) => {
        const response = await app.request({
          method: 'POST',
          url: `/api/v1/admin/comments/${commentId}/${action}`,
          token: admin,
          body: body ?? {},
        });
        assert.equal(response.status, 200, response.text);
        // Each change dispatched before the next, as the dispatcher would in time.
        await app.dispatcher.drain();
      };
      await app.dispatcher.drain();
      await act('reject', { reason: 'SPAM', note: 'a private note for moderators' });
      await act('approve');
      await act('feature');
      await act('delete');

      const events = (await payloads(ids.all)).filter((e) => e.row.ordering_key === storyId);
      assert.deepEqual(
        events.map((e) => e.payload.type),
        [
          'story.created',
          'comment.created',
          'comment.rejected',
          'comment.approved',
          'comment.featured',
          'comment.deleted',
        ],
      );
      const [, created, rejected, approved, featured, deleted] = events.map((e) => e.payload);
      assert.deepEqual(created?.data.author, { id: reader.id, name: 'Ada Reader' });
      assert.equal(created?.data.status, 'approved');
      assert.equal(created?.data.previousStatus, null);
      assert.match(created?.data.html ?? '', /<strong>first<\/strong>/);
      assert.equal(created?.data.body, 'A **first** comment');
      assert.equal(created?.data.storyId, storyId);
      assert.equal(created?.data.siteId, app.site.id);
      assert.deepEqual(rejected?.data.rejection, { code: 'SPAM' });
      assert.equal(rejected?.data.status, 'rejected');
      assert.equal(rejected?.data.previousStatus, 'approved');
      assert.equal(approved?.data.status, 'approved');
      assert.equal(approved?.data.previousStatus, 'rejected');
      assert.equal(approved?.data.rejection, null);
      assert.equal(featured?.data.featured, true);
      assert.deepEqual(
        { status: deleted?.data.status, author: deleted?.data.author, body: deleted?.data.body },
        { status: 'deleted', author: null, body: '' },
      );
      assert.ok(deleted?.data.deletedAt);
      for (const e of events) {
        assert.ok(!e.row.payload.includes(reader.email), 'no e-mail address');
        assert.ok(!e.row.payload.includes('private note'), 'no moderator’s note');
        assert.ok(!e.row.payload.includes('127.0.0.1'), 'no client address');
      }
      // Subscriptions decide: the story-only endpoint has no comment events, the other site none.
      assert.equal(await count(ids.stories, 'comment.created'), 0);
      assert.equal(await count(ids.other, 'comment.created'), 0);
    });

    it('takes CommentEvents from the dispatcher contract directly', async () => {
      const storyId = await app.story('webhook-story-3');
      const at = new Date().toISOString();
      const base = { siteId: app.site.id, storyId, seq: 1, at, commentId: 'C'.repeat(26) };
      const before = await count(ids.all);
      await app.store.db.transaction().execute(async (trx) => {
        // A created event without its comment is nothing to send; a deletion without one is sent.
        await webhookConsumer(
          trx,
          { ...base, change: 'created', comment: null, previous: null },
          [],
        );
        await webhookConsumer(
          trx,
          {
            ...base,
            change: 'deleted',
            comment: null,
            previous: { status: 'pending', deleted: false },
          },
          [],
        );
      });
      const added = (await payloads(ids.all)).slice(before);
      assert.deepEqual(
        added.map((e) => [e.payload.type, e.payload.timestamp, e.payload.data.previousStatus]),
        [['comment.deleted', at, 'pending']],
      );
    });

    it('tells the sites a ban newly covers, and a ban everywhere only to the sites that know the reader', async () => {
      const storyId = await app.story('webhook-story-4');
      const reader = await app.signup('Banned Reader');
      assert.equal((await app.post(storyId, reader.token, 'Something rude')).status, 201);
      const ban = (userId: string, body: object, token = admin) =>
        app.request({ method: 'POST', url: `/api/v1/admin/users/${userId}/ban`, token, body });
      const banned = async (endpointId: string, userId: string) =>
        (await payloads(endpointId, 'user.banned')).filter((e) => e.payload.data.id === userId);

      // A ban on this site.
      assert.equal((await ban(reader.id, { reason: 'Abuse', siteIds: [app.site.id] })).status, 200);
      let heard = await banned(ids.all, reader.id);
      assert.equal(heard.length, 1);
      assert.deepEqual(
        { ...heard[0]?.payload.data, bannedAt: undefined },
        {
          id: reader.id,
          name: 'Banned Reader',
          siteId: app.site.id,
          bannedAt: undefined,
          reason: 'Abuse',
        },
      );
      assert.equal(heard[0]?.row.ordering_key, `user:${reader.id}`);
      assert.equal((await banned(ids.other, reader.id)).length, 0);
      // Widened to every site: the other site never saw this reader, so it is not told.
      assert.equal((await ban(reader.id, { reason: 'Abuse' })).status, 200);
      assert.equal((await banned(ids.all, reader.id)).length, 1, 'no second event for this site');
      assert.equal((await banned(ids.other, reader.id)).length, 0);

      // A moderator of the other site bans a reader of both from theirs: that site hears it.
      const both = await app.signup('Reader Of Both');
      assert.equal((await app.post(storyId, both.token, 'Here')).status, 201);
      const moderator = await app.signup('Other Moderator');
      await app.store.db
        .updateTable('users')
        .set({ role: 'moderator', moderator_site_ids: JSON.stringify([other.id]) })
        .where('id', '=', moderator.id)
        .execute();
      assert.equal((await ban(both.id, {}, moderator.token)).status, 200);
      heard = await banned(ids.other, both.id);
      assert.equal(heard.length, 1);
      assert.equal(heard[0]?.payload.data.siteId, other.id);
      assert.equal((await banned(ids.all, both.id)).length, 0);
    });

    it('says an account was erased with its id alone, and takes its name and words out of deliveries', async () => {
      const storyId = await app.story('webhook-story-5');
      const reader = await app.signup('Leaving Reader');
      const posted = await app.post(storyId, reader.token, 'Words to be forgotten');
      assert.equal(posted.status, 201, posted.text);
      await app.dispatcher.drain();
      const mine = async () =>
        (await payloads(ids.all, 'comment.created')).filter(
          (e) => e.payload.data.id === posted.json.comment.id,
        );
      assert.equal((await mine())[0]?.payload.data.author.name, 'Leaving Reader');

      const asked = await app.request({
        method: 'POST',
        url: '/api/v1/auth/me/deletion',
        token: reader.token,
        body: { password: READER_PASSWORD },
      });
      assert.equal(asked.status, 202, asked.text);
      await app.worker.drain();
      const erased = (await payloads(ids.all, 'user.deleted')).filter(
        (e) => e.payload.data.id === reader.id,
      );
      assert.equal(erased.length, 1);
      assert.deepEqual(erased[0]?.payload.data, { id: reader.id });
      assert.equal(erased[0]?.row.ordering_key, `user:${reader.id}`);
      assert.equal((await payloads(ids.other, 'user.deleted')).length, 0, 'not known there');

      const [kept] = await mine();
      assert.equal(kept?.payload.data.author, null);
      assert.equal(kept?.payload.data.body, '');
      assert.ok(!kept?.row.payload.includes('Leaving Reader'));
      assert.ok(!kept?.row.payload.includes('Words to be forgotten'));
      assert.equal(kept?.row.state, 'cancelled', 'not sent after the erasure');
    });
  });
}
