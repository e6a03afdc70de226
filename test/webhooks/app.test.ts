/**
 * Webhooks as a running server sends them, on both engines: the app's own dispatcher and delivery
 * loop (runJobs on, as `parley start` runs them) carry a new story and a reader's comment, through
 * the widget's API, to a real receiver, signed and in the story's order; a test event from the
 * admin API goes out at once (the route wakes the loop); closing the app stops it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { buildApp, type ParleyApp } from '../../src/server/app.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { issueSession } from '../../src/services/sessions.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/engines.ts';
import { receiverVerifies, startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

const ORIGIN = 'https://news.example';

for (const engine of await testEngines()) {
  describe(`webhooks from a running app (${engine})`, () => {
    let database: TestDatabase;
    let parley: ParleyApp;
    let receiver: Receiver;
    let siteId: string;
    let admin: string;
    let reader: string;

    before(async () => {
      database = await createTestDatabase(engine);
      const config = {
        ...loadConfig({
          PUBLIC_URL: 'http://parley.test',
          PARLEY_CLASSIFIER: '0',
          PARLEY_WEBHOOK_ALLOW_PRIVATE: '1',
        }),
        database: database.config,
        scrapeMetadata: false,
      };
      parley = await buildApp(config, {
        logger: false,
        // Polling every few tens of ms; the default is a second.
        dispatcher: { pollMs: 20 },
        webhooks: { pollMs: 20 },
      });
      const site = await insertSite(parley.store.db, {
        name: 'Running News',
        allowedOrigins: [ORIGIN],
        editWindowSeconds: 300,
        maxDepth: 3,
        moderation: { repeatWindowSeconds: 0 },
      });
      siteId = site.id;
      await parley.sites.refresh();
      const passwordHash = await hashPassword('a long enough password');
      const user = async (email: string, role: 'admin' | 'commenter') => {
        const made = await insertUser(parley.store.db, {
          email,
          displayName: role === 'admin' ? 'Desk' : 'Reader Rita',
          passwordHash,
          role,
        });
        assert.ok(made);
        await parley.store.db
          .updateTable('users')
          .set({ email_verified_at: new Date().toISOString() })
          .where('id', '=', made.id)
          .execute();
        return (await issueSession(parley.store, made.id, { method: 'password' })).token;
      };
      admin = await user('desk@example.com', 'admin');
      reader = await user('rita@example.com', 'commenter');
      receiver = await startReceiver();
    });
    after(async () => {
      await parley?.close();
      await receiver?.close();
      await database?.drop();
    });

    const call = async (method: 'GET' | 'POST', url: string, token: string, body?: unknown) => {
      const response = await parley.app.inject({
        method,
        url,
        headers: {
          origin: ORIGIN,
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { payload: JSON.stringify(body) }),
      });
      return { status: response.statusCode, json: response.json(), text: response.body };
    };

    it('sends a new story and a comment to the receiver, in order, and a test event at once', async () => {
      const created = await call('POST', `/api/v1/admin/sites/${siteId}/webhooks`, admin, {
        url: receiver.url,
        events: ['story.created', 'comment.created'],
      });
      assert.equal(created.status, 201, created.text);
      const secret = created.json.secret as string;

      const story = await call('POST', '/api/v1/stories/resolve', reader, {
        url: `${ORIGIN}/politics/tram-vote`,
        storyId: 'tram-vote',
      });
      assert.equal(story.status, 200, story.text);
      const storyId = story.json.story.id as string;
      const posted = await call('POST', `/api/v1/stories/${storyId}/comments`, reader, {
        body: 'About time.',
      });
      assert.equal(posted.status, 201, posted.text);

      await receiver.waitFor((r) => r.length >= 2);
      assert.deepEqual(
        receiver.received.map((w) => [w.json.type, w.json.data.storyId ?? w.json.data.id]),
        [
          ['story.created', storyId],
          ['comment.created', storyId],
        ],
      );
      const [, comment] = receiver.received;
      assert.deepEqual(comment?.json.data.author.name, 'Reader Rita');
      for (const w of receiver.received) assert.equal(receiverVerifies(secret, w), true);

      const test = await call(
        'POST',
        `/api/v1/admin/webhooks/${created.json.endpoint.id}/test`,
        admin,
      );
      assert.equal(test.status, 202, test.text);
      await receiver.waitFor((r) => r.some((w) => w.json.type === 'webhook.test'));
    });
  });
}
