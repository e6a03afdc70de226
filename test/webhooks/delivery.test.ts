/**
 * Webhook delivery end to end on both engines, against real HTTP receivers on 127.0.0.1 that check
 * signatures with their own code (test/helpers/webhook-receiver.ts):
 *
 * - every delivery is signed; after a rotation both secrets verify during the overlap, and the old
 *   one stops once it has expired;
 * - a receiver that fails several times then recovers gets every event, one story's events in
 *   their order (nothing of a story overtakes its failing head), while other stories' events go on;
 * - a receiver that always fails is disabled after the window (shortened here), every admin is
 *   mailed, its deliveries wait, and they go out once it is enabled; 410 Gone disables at once; a
 *   delivery is given up at its deadline and its lane moves on;
 * - private addresses are refused without PARLEY_WEBHOOK_ALLOW_PRIVATE; a receiver that never
 *   answers, one that cuts its answer off and one that answers without end are all handled;
 * - the dashboard's test event and "send again" (same webhook-id) go through the same path;
 * - two processes sending from one database deliver each event once, each story in order;
 * - the log never holds a secret or a payload.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../src/store/db.ts';
import { insertSite } from '../../src/store/sites.ts';
import { startWebhookDelivery, type DeliveryOptions } from '../../src/webhooks/delivery.ts';
import { enqueueWebhookEvent } from '../../src/webhooks/events.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';
import {
  receiverVerifies,
  startReceiver,
  type Receiver,
  type ReceivedWebhook,
} from '../helpers/webhook-receiver.ts';

/** Retries within milliseconds, so that a test sees many of them. */
const FAST: Partial<DeliveryOptions> = {
  allowPrivateAddresses: true,
  retryBaseMs: 5,
  retryMaxMs: 40,
  timeoutMs: 2000,
  autoStart: false,
};

for (const engine of await testEngines()) {
  describe(`webhook delivery (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    const receivers: Receiver[] = [];
    const logged: string[] = [];
    const log = {
      warn: (object: object, message: string) => logged.push(JSON.stringify(object) + message),
      info: (object: object, message: string) => logged.push(JSON.stringify(object) + message),
      error: (object: object, message: string) => logged.push(JSON.stringify(object) + message),
    };
    const secrets: string[] = [];
    const loops: { stop(): Promise<void> }[] = [];

    before(async () => {
      app = await createTestApp(engine, { PARLEY_WEBHOOK_ALLOW_PRIVATE: '1' });
      admin = await app.admin();
    });
    after(async () => {
      for (const loop of loops) await loop.stop();
      for (const receiver of receivers) await receiver.close();
      await app.close();
    });

    const loop = (options: Partial<DeliveryOptions> = {}) => {
      const made = startWebhookDelivery(
        app.store,
        { publicUrl: app.config.publicUrl, ...FAST, ...options },
        log,
      );
      loops.push(made);
      return made;
    };
    const receiver = async () => {
      const made = await startReceiver();
      receivers.push(made);
      return made;
    };

    /** A site of its own with one endpoint for `url`; answers its ids and secret. */
    async function endpoint(url: string, events = ['comment.created', 'story.created']) {
      const site = await insertSite(app.store.db, {
        name: `Site ${receivers.length}`,
        allowedOrigins: ['https://publisher.example'],
        editWindowSeconds: 300,
        maxDepth: 3,
      });
      await app.sites.refresh();
      const created = await app.request({
        method: 'POST',
        url: `/api/v1/admin/sites/${site.id}/webhooks`,
        token: admin,
        body: { url, events, description: 'Newsroom CMS' },
      });
      assert.equal(created.status, 201, created.text);
      secrets.push(created.json.secret);
      return {
        siteId: site.id,
        id: created.json.endpoint.id as string,
        secret: created.json.secret as string,
      };
    }

    const event = (siteId: string, storyId: string, n: number) =>
      enqueueWebhookEvent(
        app.store.db,
        siteId,
        'comment.created',
        { id: `comment-${storyId}-${n}`, storyId, n },
        storyId,
      );

    const endpointRow = (id: string) =>
      app.store.db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const deliveries = (endpointId: string) =>
      app.store.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .orderBy('id')
        .execute();
    const remove = (id: string) =>
      app.request({ method: 'DELETE', url: `/api/v1/admin/webhooks/${id}`, token: admin });

    it('signs every delivery, and both secrets verify during a rotation’s overlap only', async () => {
      const peer = await receiver();
      const hook = await endpoint(peer.url);
      const sender = loop();
      await event(hook.siteId, 'story-1', 1);
      await peer.waitFor(
        (r) => r.length === 1,
        () => sender.drain(),
      );
      const [first] = peer.received as [ReceivedWebhook];
      assert.equal(first.signatures.length, 1);
      assert.equal(receiverVerifies(hook.secret, first), true);
      assert.equal(first.json.type, 'comment.created');
      assert.equal(first.json.version, 1);
      assert.equal(first.json.data.n, 1);
      assert.match(first.id, /^msg_[0-9A-Z]{26}$/);
      assert.equal(first.headers['content-type'], 'application/json');
      // The same event id as the delivery log shows.
      const [row] = await deliveries(hook.id);
      assert.equal(row?.event_id, first.id);
      assert.equal(row?.state, 'delivered');

      const rotated = await app.request({
        method: 'POST',
        url: `/api/v1/admin/webhooks/${hook.id}/rotate`,
        token: admin,
        body: { overlapHours: 2 },
      });
      assert.equal(rotated.status, 200, rotated.text);
      const fresh = rotated.json.secret as string;
      secrets.push(fresh);
      assert.notEqual(fresh, hook.secret);
      assert.equal(rotated.json.endpoint.secrets.length, 2);
      assert.ok(
        !rotated.json.endpoint.secrets.some((s: object) => JSON.stringify(s).includes('whsec_')),
      );

      await event(hook.siteId, 'story-1', 2);
      await peer.waitFor(
        (r) => r.length === 2,
        () => sender.drain(),
      );
      const second = peer.received[1] as ReceivedWebhook;
      assert.equal(second.signatures.length, 2);
      assert.equal(
        receiverVerifies(hook.secret, second),
        true,
        'the old secret during the overlap',
      );
      assert.equal(receiverVerifies(fresh, second), true, 'the new secret');

      // The overlap runs out (moved into the past, as two hours later).
      const stored = JSON.parse((await endpointRow(hook.id)).secrets) as {
        expiresAt: string | null;
      }[];
      const expired = stored.map((s) =>
        s.expiresAt === null ? s : { ...s, expiresAt: new Date(Date.now() - 1000).toISOString() },
      );
      await app.store.db
        .updateTable('webhook_endpoints')
        .set({ secrets: JSON.stringify(expired) })
        .where('id', '=', hook.id)
        .execute();
      await event(hook.siteId, 'story-1', 3);
      await peer.waitFor(
        (r) => r.length === 3,
        () => sender.drain(),
      );
      const third = peer.received[2] as ReceivedWebhook;
      assert.equal(third.signatures.length, 1);
      assert.equal(receiverVerifies(hook.secret, third), false, 'the old secret has stopped');
      assert.equal(receiverVerifies(fresh, third), true);
      const shown = await app.request({
        method: 'GET',
        url: `/api/v1/admin/webhooks/${hook.id}`,
        token: admin,
      });
      assert.equal(shown.json.endpoint.secrets.length, 1);
      assert.ok(!shown.text.includes(fresh) && !shown.text.includes(hook.secret));
      await remove(hook.id);
    });

    it('retries a failing receiver until it recovers: every event, each story in order, others not held up', async () => {
      const peer = await receiver();
      const hook = await endpoint(peer.url);
      const sender = loop();
      let failuresOfA = 0;
      // Story A's events fail until three attempts have failed and story B's are all in.
      peer.answer = (webhook) => {
        const storyId = webhook.json?.data?.storyId;
        const bDone = peer.received.filter((r) => r.json.data.storyId === 'B').length >= 3;
        if (storyId === 'A' && (failuresOfA < 3 || !bDone)) {
          failuresOfA++;
          return { status: failuresOfA % 2 === 0 ? 503 : 500, body: 'try later' };
        }
        return { status: 200, body: 'ok' };
      };
      for (let n = 1; n <= 5; n++) await event(hook.siteId, 'A', n);
      for (let n = 1; n <= 3; n++) await event(hook.siteId, 'B', n);
      await peer.waitFor(
        (r) => r.filter((w) => w.json.data.storyId === 'A').length >= failuresOfA + 5,
        () => sender.drain(),
      );
      const ofA = peer.received.filter((w) => w.json.data.storyId === 'A');
      const ofB = peer.received.filter((w) => w.json.data.storyId === 'B');
      assert.ok(failuresOfA >= 3);
      // Nothing of A went before its head was taken: the failures are all of event 1.
      assert.deepEqual(
        ofA.map((w) => w.json.data.n),
        [...new Array<number>(failuresOfA).fill(1), 1, 2, 3, 4, 5],
      );
      // The retries of one event carry its one id.
      assert.equal(new Set(ofA.slice(0, failuresOfA + 1).map((w) => w.id)).size, 1);
      assert.deepEqual(
        ofB.map((w) => w.json.data.n),
        [1, 2, 3],
      );
      // B was all in while A's head was still failing.
      const lastB = peer.received.indexOf(ofB[2] as ReceivedWebhook);
      const firstAOk = peer.received.indexOf(ofA[failuresOfA] as ReceivedWebhook);
      assert.ok(lastB < firstAOk, 'story B waited for story A');
      for (const w of peer.received) assert.equal(receiverVerifies(hook.secret, w), true);

      const rows = await deliveries(hook.id);
      assert.ok(rows.every((d) => d.state === 'delivered'));
      const head = rows.find((d) => d.event_id === ofA[0]?.id);
      assert.equal(head?.attempts, failuresOfA + 1);
      const log = await app.request({
        method: 'GET',
        url: `/api/v1/admin/webhooks/${hook.id}/deliveries/${head?.id}`,
        token: admin,
      });
      assert.equal(log.status, 200, log.text);
      const attempts = log.json.delivery.attemptLog as {
        status: number;
        error: string | null;
        latencyMs: number;
        response: string | null;
      }[];
      assert.equal(attempts.length, failuresOfA + 1);
      assert.ok(attempts.slice(0, -1).every((a) => [500, 503].includes(a.status) && a.error));
      assert.equal(attempts[0]?.response, 'try later');
      assert.deepEqual(
        { status: attempts.at(-1)?.status, error: attempts.at(-1)?.error },
        { status: 200, error: null },
      );
      assert.ok(attempts.every((a) => Number.isInteger(a.latencyMs) && a.latencyMs >= 0));
      // Succeeding again cleared the endpoint's failing mark.
      assert.equal((await endpointRow(hook.id)).failing_since, null);
      await remove(hook.id);
    });

    it('disables a receiver that always fails after the window, mails the admins, and sends what waited once enabled', async () => {
      const peer = await receiver();
      peer.answer = () => ({ status: 500, body: 'down' });
      const hook = await endpoint(peer.url);
      const sender = loop({ disableAfterMs: 300, giveUpAfterMs: 3_600_000 });
      await event(hook.siteId, 'C', 1);
      await event(hook.siteId, 'C', 2);
      const disabledAt = async () => (await endpointRow(hook.id)).disabled_at;
      for (let i = 0; !(await disabledAt()); i++) {
        assert.ok(i < 1000, 'the endpoint was never disabled');
        await sender.drain();
        await sleep(10);
      }
      const row = await endpointRow(hook.id);
      assert.match(row.disabled_reason ?? '', /Every delivery failed/);
      assert.notEqual(row.failing_since, null);
      const mail = await app.store.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('template', '=', 'webhook-disabled')
        .execute();
      assert.equal(mail.length, 1, 'one admin, one mail');
      assert.match(mail[0]?.text_body ?? '', /127\.0\.0\.1/);
      // Nothing is sent while disabled; the deliveries wait.
      const before = peer.received.length;
      await sleep(30);
      await sender.drain();
      assert.equal(peer.received.length, before);
      assert.ok((await deliveries(hook.id)).every((d) => d.state === 'pending'));
      const listed = await app.request({
        method: 'GET',
        url: `/api/v1/admin/sites/${hook.siteId}/webhooks`,
        token: admin,
      });
      assert.equal(listed.json.endpoints[0].state, 'disabled');
      assert.equal(listed.json.endpoints[0].pending, 2);

      // Fixed and enabled again: what waited goes out, in order.
      peer.answer = () => ({ status: 204 });
      const enabled = await app.request({
        method: 'POST',
        url: `/api/v1/admin/webhooks/${hook.id}/enable`,
        token: admin,
      });
      assert.equal(enabled.status, 200, enabled.text);
      assert.equal(enabled.json.endpoint.state, 'enabled');
      await peer.waitFor(
        (r) => r.filter((w) => w.headers['webhook-id'] && w.json.data.n === 2).length === 1,
        () => sender.drain(),
      );
      const ok = peer.received.slice(-2).map((w) => w.json.data.n);
      assert.deepEqual(ok, [1, 2]);
      assert.ok((await deliveries(hook.id)).every((d) => d.state === 'delivered'));
      await remove(hook.id);
    });

    it('disables at once on 410 Gone, and gives a delivery up at its deadline', async () => {
      const gone = await receiver();
      gone.answer = () => ({ status: 410 });
      const hook = await endpoint(gone.url);
      const sender = loop();
      await event(hook.siteId, 'D', 1);
      await gone.waitFor(
        (r) => r.length === 1,
        () => sender.drain(),
      );
      await sender.drain();
      const row = await endpointRow(hook.id);
      assert.notEqual(row.disabled_at, null);
      assert.match(row.disabled_reason ?? '', /410/);
      assert.equal(gone.received.length, 1, 'no retry after 410');
      await remove(hook.id);

      // A deadline reached: the head fails for good and the next in its lane goes.
      const flaky = await receiver();
      flaky.answer = (webhook) => (webhook.json.data.n === 1 ? { status: 502 } : { status: 200 });
      const other = await endpoint(flaky.url);
      const short = loop({ giveUpAfterMs: 150, disableAfterMs: 3_600_000 });
      await event(other.siteId, 'E', 1);
      await event(other.siteId, 'E', 2);
      await flaky.waitFor(
        (r) => r.some((w) => w.json.data.n === 2),
        () => short.drain(),
      );
      const rows = await deliveries(other.id);
      assert.deepEqual(
        rows.map((d) => d.state),
        ['failed', 'delivered'],
      );
      assert.ok((rows[0]?.attempts ?? 0) >= 2, 'retried before giving up');
      await remove(other.id);
    });

    it('reaches private addresses only when allowed', async () => {
      const peer = await receiver();
      const hook = await endpoint(peer.url);
      const guarded = loop({ allowPrivateAddresses: false, giveUpAfterMs: 0 });
      await event(hook.siteId, 'F', 1);
      await guarded.drain();
      assert.equal(peer.received.length, 0);
      const [row] = await deliveries(hook.id);
      assert.equal(row?.state, 'failed');
      assert.match(row?.last_error ?? '', /not a public address/);
      assert.equal(row?.last_status, null);
      await remove(hook.id);

      // Registering a private literal address is refused unless the operator allows it.
      const strict = await createTestApp(engine);
      try {
        const token = await strict.admin();
        for (const url of [
          'http://127.0.0.1:9/hooks',
          'http://10.1.2.3/hooks',
          'http://[::1]/hooks',
          'http://169.254.169.254/latest',
          'http://localhost:8080/',
        ]) {
          const refused = await strict.request({
            method: 'POST',
            url: `/api/v1/admin/sites/${strict.site.id}/webhooks`,
            token,
            body: { url, events: ['comment.created'] },
          });
          assert.equal(refused.status, 400, `${url}: ${refused.text}`);
          assert.equal(refused.json.error.code, 'INVALID_URL');
          assert.match(refused.json.error.message, /PARLEY_WEBHOOK_ALLOW_PRIVATE/);
        }
        const publicOne = await strict.request({
          method: 'POST',
          url: `/api/v1/admin/sites/${strict.site.id}/webhooks`,
          token,
          body: { url: 'https://hooks.publisher.example/parley', events: ['comment.created'] },
        });
        assert.equal(publicOne.status, 201, publicOne.text);
      } finally {
        await strict.close();
      }
    });

    it('handles a receiver that never answers, one that cuts its answer off, and one that answers without end', async () => {
      const silent = await receiver();
      silent.answer = () => () => undefined; // keeps the request open
      const hook = await endpoint(silent.url);
      const sender = loop({ timeoutMs: 300, giveUpAfterMs: 0 });
      await event(hook.siteId, 'G', 1);
      await sender.drain();
      let [row] = await deliveries(hook.id);
      assert.equal(row?.state, 'failed');
      assert.match(row?.last_error ?? '', /no answer within 300 ms/);
      await remove(hook.id);

      // 200 and half an answer, then nothing: the status alone is not a delivery.
      const stalling = await receiver();
      stalling.answer = () => (_request, response) => {
        response.writeHead(200, { 'content-length': '100' });
        response.write('partial');
      };
      const stalled = await endpoint(stalling.url);
      await event(stalled.siteId, 'H', 1);
      await sender.drain();
      [row] = await deliveries(stalled.id);
      assert.equal(row?.state, 'failed');
      assert.equal(row?.last_status, 200);
      assert.match(row?.last_error ?? '', /did not end within 300 ms/);
      await remove(stalled.id);

      // The connection closed mid-answer.
      const closing = await receiver();
      closing.answer = () => (_request, response) => {
        response.writeHead(200, { 'content-length': '100' });
        response.write('partial', () => response.socket?.destroy());
      };
      const closed = await endpoint(closing.url);
      await event(closed.siteId, 'I', 1);
      await sender.drain();
      [row] = await deliveries(closed.id);
      assert.equal(row?.state, 'failed');
      assert.match(row?.last_error ?? '', /cut off/);
      await remove(closed.id);

      // An endless answer: read up to the cap, delivered, its first part kept.
      const flooding = await receiver();
      flooding.answer = () => (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = 'x'.repeat(64 * 1024);
        const pump = () => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once('drain', pump);
        };
        pump();
      };
      const flooded = await endpoint(flooding.url);
      await event(flooded.siteId, 'J', 1);
      await sender.drain();
      [row] = await deliveries(flooded.id);
      assert.equal(row?.state, 'delivered');
      const attempt = await app.store.db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where('delivery_id', '=', row?.id ?? '')
        .executeTakeFirstOrThrow();
      assert.equal(attempt.status, 200);
      assert.equal(attempt.response?.length, 1000);
      await remove(flooded.id);
    });

    it('sends the dashboard’s test event and sends a delivery again with its webhook-id', async () => {
      const peer = await receiver();
      const hook = await endpoint(peer.url);
      const sender = loop();
      const test = await app.request({
        method: 'POST',
        url: `/api/v1/admin/webhooks/${hook.id}/test`,
        token: admin,
      });
      assert.equal(test.status, 202, test.text);
      assert.equal(test.json.delivery.eventType, 'webhook.test');
      assert.equal(test.json.delivery.state, 'pending');
      await peer.waitFor(
        (r) => r.length === 1,
        () => sender.drain(),
      );
      const [received] = peer.received as [ReceivedWebhook];
      assert.equal(received.json.type, 'webhook.test');
      assert.equal(received.json.data.endpointId, hook.id);
      assert.equal(received.id, test.json.delivery.eventId);
      assert.equal(receiverVerifies(hook.secret, received), true);

      const again = await app.request({
        method: 'POST',
        url: `/api/v1/admin/webhooks/${hook.id}/deliveries/${test.json.delivery.id}/resend`,
        token: admin,
      });
      assert.equal(again.status, 202, again.text);
      assert.notEqual(again.json.delivery.id, test.json.delivery.id);
      assert.equal(again.json.delivery.eventId, test.json.delivery.eventId);
      await peer.waitFor(
        (r) => r.length === 2,
        () => sender.drain(),
      );
      const [, resent] = peer.received as [ReceivedWebhook, ReceivedWebhook];
      assert.equal(resent.id, received.id, 'the same webhook-id');
      assert.equal(resent.body, received.body, 'the same payload');
      assert.equal(receiverVerifies(hook.secret, resent), true);
      // The first delivery's log is as it was.
      const first = await app.request({
        method: 'GET',
        url: `/api/v1/admin/webhooks/${hook.id}/deliveries/${test.json.delivery.id}`,
        token: admin,
      });
      assert.equal(first.json.delivery.attemptLog.length, 1);
      assert.equal(first.json.delivery.state, 'delivered');

      // A pending delivery is brought forward, not copied.
      peer.answer = () => ({ status: 500 });
      await event(hook.siteId, 'K', 1);
      const slow = loop({ retryBaseMs: 3_600_000, retryMaxMs: 3_600_000 });
      await slow.drain();
      const [pending] = (await deliveries(hook.id)).filter(
        (d) => d.event_type === 'comment.created',
      );
      assert.equal(pending?.state, 'pending');
      assert.ok(Date.parse(String(pending?.next_attempt_at)) > Date.now() + 60_000);
      peer.answer = () => ({ status: 200 });
      const forward = await app.request({
        method: 'POST',
        url: `/api/v1/admin/webhooks/${hook.id}/deliveries/${pending?.id}/resend`,
        token: admin,
      });
      assert.equal(forward.status, 202, forward.text);
      assert.equal(forward.json.delivery.id, pending?.id);
      await slow.drain();
      const done = (await deliveries(hook.id)).filter((d) => d.event_type === 'comment.created');
      assert.deepEqual(
        done.map((d) => d.state),
        ['delivered'],
      );
      await remove(hook.id);
    });

    it('delivers each event once from two processes, each story in order', async () => {
      const peer = await receiver();
      const hook = await endpoint(peer.url);
      // A second process: its own connection (pool) to the same database.
      const second = openStore(app.config.database);
      try {
        const mine = loop({ concurrency: 3 });
        const theirs = startWebhookDelivery(
          second,
          { publicUrl: app.config.publicUrl, ...FAST, concurrency: 3 },
          log,
        );
        loops.push(theirs);
        peer.answer = () => ({ status: 200 });
        const stories = ['L', 'M', 'N', 'O'];
        for (let n = 1; n <= 6; n++) {
          for (const story of stories) await event(hook.siteId, story, n);
        }
        await peer.waitFor(
          (r) => r.length >= 24,
          () => Promise.all([mine.drain(), theirs.drain()]),
        );
        await Promise.all([mine.drain(), theirs.drain()]);
        assert.equal(peer.received.length, 24, 'no event twice');
        assert.equal(new Set(peer.received.map((w) => w.id)).size, 24);
        for (const story of stories) {
          assert.deepEqual(
            peer.received.filter((w) => w.json.data.storyId === story).map((w) => w.json.data.n),
            [1, 2, 3, 4, 5, 6],
            `story ${story} in order`,
          );
        }
        await theirs.stop();
      } finally {
        await second.close();
      }
      await remove(hook.id);
    });

    it('never logs a secret or a payload', () => {
      assert.ok(logged.length > 0, 'failures were logged');
      const text = logged.join('\n');
      for (const secret of secrets)
        assert.ok(!text.includes(secret.slice(6)), 'a secret in the log');
      assert.ok(!text.includes('"storyId"'), 'a payload in the log');
      assert.ok(!text.includes('webhook-signature') && !text.includes('v1,'));
    });
  });
}
