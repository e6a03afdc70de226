/**
 * The webhook admin API on both engines: the secret is answered once (creation, rotation) and never
 * again; bad input of every kind is a 400 with a JSON error, unknown things 404; disabled
 * endpoints refuse test events and "send again" (409); the delivery log pages newest first and
 * filters by state; changes are in the audit log without the address's query or any secret;
 * deleting an endpoint takes its deliveries with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enqueueWebhookEvent } from '../../src/webhooks/events.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

for (const engine of await testEngines()) {
  describe(`webhook admin API (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    const base = () => `/api/v1/admin/sites/${app.site.id}/webhooks`;

    before(async () => {
      app = await createTestApp(engine);
      admin = await app.admin();
    });
    after(async () => app.close());

    const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
      app.request({ method, url, token: admin, ...(body !== undefined && { body }) });
    async function create(body: object = {}) {
      const response = await call('POST', base(), {
        url: 'https://hooks.publisher.example/parley?token=abc123',
        events: ['comment.created'],
        ...body,
      });
      assert.equal(response.status, 201, response.text);
      return response.json as { endpoint: { id: string }; secret: string };
    }

    it('answers the secret on creation only', async () => {
      const { endpoint, secret } = await create({ description: ' Newsroom CMS ' });
      assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      const listed = await call('GET', base());
      assert.equal(listed.status, 200, listed.text);
      const shown = listed.json.endpoints.find((e: { id: string }) => e.id === endpoint.id);
      assert.equal(shown.description, 'Newsroom CMS');
      assert.deepEqual(shown.events, ['comment.created']);
      assert.equal(shown.state, 'enabled');
      assert.equal(shown.pending, 0);
      assert.equal(shown.secrets.length, 1);
      assert.deepEqual(Object.keys(shown.secrets[0]).sort(), ['createdAt', 'expiresAt']);
      assert.ok(listed.json.eventTypes.includes('user.deleted'));
      const one = await call('GET', `/api/v1/admin/webhooks/${endpoint.id}`);
      for (const text of [listed.text, one.text]) {
        assert.ok(!text.includes(secret.slice(6)), 'the secret again');
      }
    });

    it('refuses bad input with 400 JSON errors', async () => {
      const { endpoint } = await create();
      const cases: [string, 'POST' | 'PATCH' | 'GET', string, unknown, string][] = [
        ['no events', 'POST', base(), { url: 'https://a.example/' }, 'VALIDATION_FAILED'],
        [
          'empty events',
          'POST',
          base(),
          { url: 'https://a.example/', events: [] },
          'VALIDATION_FAILED',
        ],
        [
          'unknown event',
          'POST',
          base(),
          { url: 'https://a.example/', events: ['comment.edited'] },
          'VALIDATION_FAILED',
        ],
        [
          'the test type',
          'POST',
          base(),
          { url: 'https://a.example/', events: ['webhook.test'] },
          'VALIDATION_FAILED',
        ],
        [
          'unknown field',
          'POST',
          base(),
          { url: 'https://a.example/', events: ['story.created'], secret: 'whsec_x' },
          'VALIDATION_FAILED',
        ],
        [
          'events not a list',
          'POST',
          base(),
          { url: 'https://a.example/', events: 'story.created' },
          'VALIDATION_FAILED',
        ],
        [
          'ftp',
          'POST',
          base(),
          { url: 'ftp://a.example/', events: ['story.created'] },
          'INVALID_URL',
        ],
        [
          'not a URL',
          'POST',
          base(),
          { url: 'hooks please', events: ['story.created'] },
          'INVALID_URL',
        ],
        [
          'credentials',
          'POST',
          base(),
          { url: 'https://user:pw@a.example/', events: ['story.created'] },
          'INVALID_URL',
        ],
        [
          'too long',
          'POST',
          base(),
          { url: `https://a.example/${'x'.repeat(2000)}`, events: ['story.created'] },
          'VALIDATION_FAILED',
        ],
        [
          'bidi override',
          'POST',
          base(),
          { url: 'https://a.example/', events: ['story.created'], description: 'evil\u202Etxt' },
          'INVALID_UNICODE',
        ],
        ['empty patch', 'PATCH', `/api/v1/admin/webhooks/${endpoint.id}`, {}, 'VALIDATION_FAILED'],
        [
          'private address',
          'PATCH',
          `/api/v1/admin/webhooks/${endpoint.id}`,
          { url: 'http://192.168.1.10/' },
          'INVALID_URL',
        ],
        [
          'overlap too long',
          'POST',
          `/api/v1/admin/webhooks/${endpoint.id}/rotate`,
          { overlapHours: 169 },
          'VALIDATION_FAILED',
        ],
        [
          'negative overlap',
          'POST',
          `/api/v1/admin/webhooks/${endpoint.id}/rotate`,
          { overlapHours: -1 },
          'VALIDATION_FAILED',
        ],
        [
          'bad state',
          'GET',
          `/api/v1/admin/webhooks/${endpoint.id}/deliveries?state=lost`,
          undefined,
          'VALIDATION_FAILED',
        ],
        [
          'bad limit',
          'GET',
          `/api/v1/admin/webhooks/${endpoint.id}/deliveries?limit=0`,
          undefined,
          'VALIDATION_FAILED',
        ],
        [
          'bad cursor',
          'GET',
          `/api/v1/admin/webhooks/${endpoint.id}/deliveries?cursor=abc`,
          undefined,
          'VALIDATION_FAILED',
        ],
        ['bad id', 'GET', '/api/v1/admin/webhooks/not-an-id', undefined, 'VALIDATION_FAILED'],
      ];
      for (const [label, method, url, body, code] of cases) {
        const response = await call(method, url, body);
        assert.equal(response.status, 400, `${label}: ${response.text}`);
        assert.equal(response.json?.error?.code, code, `${label}: ${response.text}`);
      }
      const malformed = await app.request({
        method: 'POST',
        url: base(),
        token: admin,
        raw: '{"url": ',
      });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.json.error.code, 'MALFORMED_JSON');
    });

    it('answers 404 for what does not exist', async () => {
      const missing = '0'.repeat(26);
      const { endpoint } = await create();
      const other = await create();
      const [deliveryOfOther] = await app.store.db.transaction().execute(async (trx) => {
        await enqueueWebhookEvent(trx, app.site.id, 'comment.created', { n: 1 }, 'x');
        return trx
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('endpoint_id', '=', other.endpoint.id)
          .execute();
      });
      const cases: [string, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown, string][] = [
        ['site', 'GET', `/api/v1/admin/sites/${missing}/webhooks`, undefined, 'SITE_NOT_FOUND'],
        [
          'site',
          'POST',
          `/api/v1/admin/sites/${missing}/webhooks`,
          { url: 'https://a.example/', events: ['story.created'] },
          'SITE_NOT_FOUND',
        ],
        ['endpoint', 'GET', `/api/v1/admin/webhooks/${missing}`, undefined, 'WEBHOOK_NOT_FOUND'],
        [
          'endpoint',
          'PATCH',
          `/api/v1/admin/webhooks/${missing}`,
          { description: 'x' },
          'WEBHOOK_NOT_FOUND',
        ],
        ['endpoint', 'DELETE', `/api/v1/admin/webhooks/${missing}`, undefined, 'WEBHOOK_NOT_FOUND'],
        ['endpoint', 'POST', `/api/v1/admin/webhooks/${missing}/rotate`, {}, 'WEBHOOK_NOT_FOUND'],
        [
          'endpoint',
          'POST',
          `/api/v1/admin/webhooks/${missing}/test`,
          undefined,
          'WEBHOOK_NOT_FOUND',
        ],
        [
          'delivery',
          'GET',
          `/api/v1/admin/webhooks/${endpoint.id}/deliveries/${missing}`,
          undefined,
          'WEBHOOK_DELIVERY_NOT_FOUND',
        ],
        [
          'another endpoint’s',
          'GET',
          `/api/v1/admin/webhooks/${endpoint.id}/deliveries/${deliveryOfOther?.id}`,
          undefined,
          'WEBHOOK_DELIVERY_NOT_FOUND',
        ],
        [
          'another endpoint’s',
          'POST',
          `/api/v1/admin/webhooks/${endpoint.id}/deliveries/${deliveryOfOther?.id}/resend`,
          undefined,
          'WEBHOOK_DELIVERY_NOT_FOUND',
        ],
      ];
      for (const [label, method, url, body, code] of cases) {
        const response = await call(method, url, body);
        assert.equal(response.status, 404, `${label} ${method} ${url}: ${response.text}`);
        assert.equal(response.json?.error?.code, code);
      }
    });

    it('changes, rotates, disables and enables an endpoint, each in the audit log', async () => {
      const { endpoint, secret } = await create();
      // Failing at its old address; a new address starts afresh.
      await app.store.db
        .updateTable('webhook_endpoints')
        .set({ failing_since: new Date(Date.now() - 3_600_000).toISOString() })
        .where('id', '=', endpoint.id)
        .execute();
      const failing = await call('GET', `/api/v1/admin/webhooks/${endpoint.id}`);
      assert.equal(failing.json.endpoint.state, 'failing');
      const patched = await call('PATCH', `/api/v1/admin/webhooks/${endpoint.id}`, {
        url: 'https://cms.publisher.example/hooks?key=s3cret-key',
        events: ['story.created', 'user.deleted', 'story.created'],
      });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.json.endpoint.url, 'https://cms.publisher.example/hooks?key=s3cret-key');
      assert.deepEqual(patched.json.endpoint.events, ['story.created', 'user.deleted']);
      assert.equal(patched.json.endpoint.state, 'enabled');
      assert.equal(patched.json.endpoint.failingSince, null);

      const rotated = await call('POST', `/api/v1/admin/webhooks/${endpoint.id}/rotate`, {});
      assert.equal(rotated.status, 200, rotated.text);
      assert.notEqual(rotated.json.secret, secret);
      const [current, previous] = rotated.json.endpoint.secrets;
      assert.equal(current.expiresAt, null);
      const overlap = Date.parse(previous.expiresAt) - Date.now();
      assert.ok(overlap > 23 * 3_600_000 && overlap <= 24 * 3_600_000, 'a day by default');

      const disabled = await call('POST', `/api/v1/admin/webhooks/${endpoint.id}/disable`);
      assert.equal(disabled.status, 200, disabled.text);
      assert.equal(disabled.json.endpoint.state, 'disabled');
      assert.match(disabled.json.endpoint.disabledReason, /Disabled by Admin/);
      const test = await call('POST', `/api/v1/admin/webhooks/${endpoint.id}/test`);
      assert.equal(test.status, 409, test.text);
      assert.equal(test.json.error.code, 'WEBHOOK_DISABLED');
      const enabled = await call('POST', `/api/v1/admin/webhooks/${endpoint.id}/enable`);
      assert.equal(enabled.json.endpoint.state, 'enabled');
      assert.equal(enabled.json.endpoint.disabledReason, null);

      const audit = await app.store.db
        .selectFrom('moderation_actions')
        .select(['action', 'site_id', 'before', 'after'])
        .where('action', 'like', 'webhook.%')
        .orderBy('id')
        .execute();
      const mine = audit.filter(
        (a) => JSON.stringify(a).includes('cms.publisher.example') || a.action === 'webhook.rotate',
      );
      assert.deepEqual([...new Set(audit.map((a) => a.action))].sort(), [
        'webhook.create',
        'webhook.disable',
        'webhook.enable',
        'webhook.rotate',
        'webhook.update',
      ]);
      assert.ok(mine.length >= 4);
      assert.ok(audit.every((a) => a.site_id === app.site.id));
      const text = JSON.stringify(audit);
      assert.ok(!text.includes('s3cret-key') && !text.includes('abc123'), 'a query in the log');
      assert.ok(!text.includes('whsec_'), 'a secret in the log');
    });

    it('pages the delivery log newest first, filters it, and deletes it with its endpoint', async () => {
      const { endpoint } = await create({ events: ['story.created'] });
      for (let n = 0; n < 5; n++) {
        await enqueueWebhookEvent(app.store.db, app.site.id, 'story.created', { n }, `s${n}`);
      }
      await app.store.db
        .updateTable('webhook_deliveries')
        .set({ state: 'failed' })
        .where('endpoint_id', '=', endpoint.id)
        .where('payload', 'like', '%"n":0%')
        .execute();
      const url = `/api/v1/admin/webhooks/${endpoint.id}/deliveries`;
      const first = await call('GET', `${url}?limit=3`);
      assert.equal(first.status, 200, first.text);
      assert.equal(first.json.items.length, 3);
      const second = await call('GET', `${url}?limit=3&cursor=${first.json.nextCursor}`);
      assert.equal(second.json.items.length, 2);
      assert.equal(second.json.nextCursor, null);
      const all = [...first.json.items, ...second.json.items].map((d: { id: string }) => d.id);
      assert.deepEqual(all, [...all].sort().reverse(), 'newest first');
      const failed = await call('GET', `${url}?state=failed`);
      assert.equal(failed.json.items.length, 1);
      assert.equal(failed.json.items[0].state, 'failed');
      const details = await call('GET', `${url}/${failed.json.items[0].id}`);
      assert.equal(JSON.parse(details.json.delivery.payload).data.n, 0);
      assert.deepEqual(details.json.delivery.attemptLog, []);

      const deleted = await call('DELETE', `/api/v1/admin/webhooks/${endpoint.id}`);
      assert.equal(deleted.status, 200, deleted.text);
      const left = await app.store.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('endpoint_id', '=', endpoint.id)
        .execute();
      assert.equal(left.length, 0);
      assert.equal((await call('GET', `/api/v1/admin/webhooks/${endpoint.id}`)).status, 404);
    });
  });
}
