/**
 * Readers' notification digests through a real SMTP peer, on both engines: a reader's waiting
 * notifications on several stories arrive as one mail grouped by story, with permalinks and the
 * digest's one-click unsubscribe, exactly once even when the digest job runs twice at the same
 * time in two workers with their own database connections, and never again afterwards; a long
 * digest is capped (the rest counted); daily readers wait for the daily run; readers who turned
 * mail off have their waiting notifications skipped; the schedule exists once however often it is
 * planned, and each run plans the next.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { newId } from '../../src/domain/ids.ts';
import { enqueueJob } from '../../src/jobs/queue.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { mailJobs } from '../../src/mail/sender.ts';
import {
  DIGEST_MAX_ITEMS,
  digestJobId,
  digestJobPayload,
  digestTime,
  notificationMailJobs,
  NOTIFY_DIGEST_JOB,
  permalink,
  scheduleDigests,
} from '../../src/notify/mail.ts';
import { openStore } from '../../src/store/db.ts';
import { updateNotificationSettings } from '../../src/store/notifications.ts';
import type { EmailMode, NotificationKind } from '../../src/store/schema.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';
import { startSmtpPeer, type SmtpPeer } from '../helpers/smtp.ts';

const ENV = {
  MAIL_FROM: 'Parley <no-reply@comments.example>',
  PARLEY_WRITE_RATE_LIMIT: '100000',
  PARLEY_AUTH_RATE_LIMIT: '1000',
};

describe('digest times', () => {
  it('runs hourly at the top of the hour and daily at the digest hour, in UTC', () => {
    const at = (iso: string) => new Date(iso);
    assert.equal(
      digestTime('hourly', at('2026-03-12T10:42:13Z'), 7).toISOString(),
      '2026-03-12T10:00:00.000Z',
    );
    assert.equal(
      digestTime('daily', at('2026-03-12T10:42:13Z'), 7).toISOString(),
      '2026-03-12T07:00:00.000Z',
    );
    assert.equal(
      digestTime('daily', at('2026-03-12T06:59:59Z'), 7).toISOString(),
      '2026-03-11T07:00:00.000Z',
    );
    assert.equal(
      digestTime('daily', at('2026-03-01T00:30:00Z'), 23).toISOString(),
      '2026-02-28T23:00:00.000Z',
    );
    assert.equal(
      digestJobId('hourly', at('2026-03-12T10:00:00Z')),
      'notify.digest:hourly:2026-03-12T10',
    );
    assert.equal(loadConfig({ PARLEY_DIGEST_HOUR: '5' }).digestHour, 5);
    assert.equal(loadConfig({}).digestHour, 7);
    assert.throws(() => loadConfig({ PARLEY_DIGEST_HOUR: '24' }), /PARLEY_DIGEST_HOUR/);
  });
});

for (const engine of await testEngines()) {
  describe(`notification digests (${engine})`, () => {
    let peer: SmtpPeer;
    let app: TestApp;
    let writer: { token: string; id: string };
    const stories: Record<string, string> = {};

    before(async () => {
      peer = await startSmtpPeer();
      app = await createTestApp(engine, { ...ENV, SMTP_URL: peer.url });
      writer = await app.signup('Amal Haddad');
      for (const name of ['rates', 'floods', 'budget']) stories[name] = await app.story(name);
      await app.store.db
        .updateTable('stories')
        .set({ title: 'Rates rise again' })
        .where('id', '=', stories.rates as string)
        .execute();
    });
    after(async () => {
      await app.close();
      await peer.close();
    });

    const db = () => app.store.db;
    async function reader(name: string, email: EmailMode) {
      const user = await app.signup(name);
      await updateNotificationSettings(db(), user.id, { email });
      return user;
    }
    let n = 0;
    /** A reply on a story and the reader's waiting notification of it (as the dispatcher writes). */
    async function waiting(userId: string, story: string, kind: NotificationKind = 'reply') {
      const posted = await app.post(stories[story] as string, writer.token, `Reply number ${++n}.`);
      assert.equal(posted.status, 201, posted.text);
      const commentId = posted.json.comment.id as string;
      const id = newId();
      await db()
        .insertInto('notifications')
        .values({
          id,
          user_id: userId,
          site_id: app.site.id,
          story_id: stories[story] as string,
          comment_id: commentId,
          kind,
          created_at: new Date().toISOString(),
          email_state: 'digest',
        })
        .execute();
      return { id, commentId, text: `Reply number ${n}.` };
    }
    const states = async (ids: string[]) =>
      (
        await db()
          .selectFrom('notifications')
          .select(['id', 'email_state'])
          .where('id', 'in', ids)
          .orderBy('id')
          .execute()
      ).map((row) => row.email_state);
    const received = (to: string) => peer.messages.filter((m) => m.envelope.to.includes(to));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
    let runs = 0;
    /** A run of the period's digest (each with an id of its own: a second run of the same hour). */
    const runDigest = (period: 'hourly' | 'daily', store = app.store) =>
      enqueueJob(store.db, NOTIFY_DIGEST_JOB, digestJobPayload(period, new Date()), {
        id: `test-digest-${engine}-${++runs}`,
      });

    it('sends one mail grouped by story, once, even run twice at once by two workers', async () => {
      const rana = await reader('Rana', 'hourly');
      const items = [
        await waiting(rana.id, 'rates'),
        await waiting(rana.id, 'floods', 'mention'),
        await waiting(rana.id, 'rates'),
      ];
      const removed = await waiting(rana.id, 'budget');
      await db()
        .updateTable('comments')
        .set({ status: 'rejected', rejection_code: 'SPAM' })
        .where('id', '=', removed.commentId)
        .execute();

      // A second process: its own connection(s) to the same database, its own worker.
      const other = openStore(app.config.database);
      const log = app.app.log;
      const secondWorker = startWorker(
        other,
        {
          ...notificationMailJobs(other, app.config, log),
          ...mailJobs(other, app.config, log),
        },
        log,
        { autoStart: false },
      );
      try {
        await runDigest('hourly');
        await runDigest('hourly', other);
        await Promise.all([app.worker.drain(), secondWorker.drain()]);
        await Promise.all([app.worker.drain(), secondWorker.drain()]);
      } finally {
        await secondWorker.stop();
        await other.close();
      }
      const mail = await peer.waitForMessage((m) => m.envelope.to.includes(rana.email));
      await settle();
      assert.equal(received(rana.email).length, 1, 'one digest');
      assert.equal(mail.subject, 'Your last hour on Test News: replies and news of your comments');
      assert.match(
        mail.headers.get('list-unsubscribe') ?? '',
        /^<http:\/\/parley\.test\/unsubscribe\?user=[0-9A-Z]{26}&kind=digest&token=[\w-]{43}>$/,
      );
      assert.equal(mail.headers.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
      // Grouped by story: the two replies on "Rates rise again" together, then the mention.
      const rates = mail.text.indexOf('Rates rise again\n');
      const floods = mail.text.indexOf(`${SITE_ORIGIN}/news/floods\n`);
      assert.ok(rates >= 0 && floods > rates, mail.text);
      const positions = items.map((item) => mail.text.indexOf(`> ${item.text}`));
      assert.ok(
        positions.every((p) => p > rates),
        mail.text,
      );
      assert.ok(positions[0]! < positions[2]! && positions[2]! < floods, 'rates first, in order');
      assert.ok(positions[1]! > floods, 'then floods');
      assert.ok(mail.text.includes('Amal Haddad mentioned you:'));
      for (const item of items) {
        const link = permalink(
          `${SITE_ORIGIN}/news/${item === items[1] ? 'floods' : 'rates'}`,
          item.commentId,
        );
        assert.ok(mail.text.includes(`\n${link}\n`), link);
        assert.ok(mail.html.includes(`href="${link}"`), link);
      }
      assert.ok(!mail.text.includes(removed.text), 'a reply no longer published is left out');
      assert.deepEqual(await states([...items.map((i) => i.id), removed.id].sort()), [
        ...[...items.map((i) => i.id), removed.id]
          .sort()
          .map((id) => (id === removed.id ? 'skipped' : 'sent')),
      ]);

      // And never again.
      await runDigest('hourly');
      await app.worker.drain();
      await settle();
      assert.equal(received(rana.email).length, 1);
    });

    it(`caps a long digest at ${DIGEST_MAX_ITEMS} and counts the rest`, async () => {
      const noa = await reader('Noa', 'hourly');
      for (let i = 0; i < DIGEST_MAX_ITEMS + 3; i++) await waiting(noa.id, 'budget');
      await runDigest('hourly');
      await app.worker.drain();
      const mail = await peer.waitForMessage((m) => m.envelope.to.includes(noa.email));
      const quotes = mail.text.split('\n').filter((line) => line.startsWith('> '));
      assert.equal(quotes.length, DIGEST_MAX_ITEMS);
      assert.ok(mail.text.includes('And 3 more on this article:'), mail.text);
      const waitingRows = await db()
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', noa.id)
        .where('email_state', '=', 'digest')
        .execute();
      assert.equal(waitingRows.length, 0, 'all of them are accounted for');
    });

    it('leaves daily readers to the daily run and skips readers who turned mail off', async () => {
      const dana = await reader('Dana', 'daily');
      const daily = await waiting(dana.id, 'rates');
      const omar = await reader('Omar', 'hourly');
      const offLater = await waiting(omar.id, 'rates');
      await updateNotificationSettings(db(), omar.id, { email: 'off' });
      await runDigest('hourly');
      await app.worker.drain();
      assert.deepEqual(await states([daily.id]), ['digest'], 'waits for the daily run');
      assert.deepEqual(await states([offLater.id]), ['skipped']);
      await runDigest('daily');
      await app.worker.drain();
      const mail = await peer.waitForMessage((m) => m.envelope.to.includes(dana.email));
      assert.equal(mail.subject, 'Your day on Test News: replies and news of your comments');
      assert.deepEqual(await states([daily.id]), ['sent']);
      await settle();
      assert.equal(received(omar.email).length, 0);
    });

    it('is planned once however often, and each run plans the next', async () => {
      const now = new Date();
      await scheduleDigests(app.store, app.config, now);
      await scheduleDigests(app.store, app.config, now);
      const planned = await db()
        .selectFrom('jobs')
        .select(['id', 'payload', 'run_at'])
        .where('kind', '=', NOTIFY_DIGEST_JOB)
        .where('id', 'not like', 'test-digest-%')
        .execute();
      const ids = planned.map((job) => job.id).sort();
      const hour = digestTime('hourly', now, app.config.digestHour);
      const day = digestTime('daily', now, app.config.digestHour);
      for (const id of [digestJobId('hourly', hour), digestJobId('daily', day)]) {
        assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
      }
      await app.worker.drain();
      const next = await db()
        .selectFrom('jobs')
        .select(['id', 'run_at', 'done_at'])
        .where('id', 'in', [
          digestJobId('hourly', new Date(hour.getTime() + 3_600_000)),
          digestJobId('daily', new Date(day.getTime() + 86_400_000)),
        ])
        .execute();
      assert.equal(next.length, 2, 'both next runs planned');
      for (const job of next) {
        assert.equal(job.done_at, null);
        assert.ok(new Date(job.run_at).getTime() > now.getTime());
      }
    });
  });
}
