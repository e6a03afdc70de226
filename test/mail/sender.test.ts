/**
 * Account mail from the outbox to a real SMTP server on loopback: the outbox row and its job are
 * written in the caller's transaction (and vanish with it); the `mail.send` job delivers the
 * message in the reader's language with its link intact and the credentials of SMTP_URL; a
 * refusing or absent server marks the row failed, keeps the password out of every error and log,
 * and a later attempt delivers it; a message already sent is not sent again.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { enqueueJob } from '../../src/jobs/queue.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { MAIL_JOB, queueMail, retryMail, type MailRequest } from '../../src/mail/outbox.ts';
import { mailJobs, scrubSecrets } from '../../src/mail/sender.ts';
import { renderMail, type MailTemplate } from '../../src/mail/templates.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';
import { extractLink, startSmtpPeer, type SmtpPeer } from '../helpers/smtp.ts';

const FROM = 'The Daily <no-reply@daily.example>';
let counter = 0;
const freshAddress = (label: string) => `${label}.${++counter}.${Date.now()}@readers.example`;

function verifyMail(to: string, locale: string | null): MailRequest<'verify'> {
  return {
    userId: null,
    to,
    template: 'verify',
    locale,
    params: { name: 'Rana', link: `http://parley.test/account/verify?token=tok_${counter}-x&y=1` },
  };
}

/** A logger that keeps everything it is given, to look for secrets in it. */
function capturingLogger(lines: string[]): FastifyBaseLogger {
  const record = (...args: unknown[]) => {
    lines.push(
      JSON.stringify(args, (_key, value: unknown) =>
        value instanceof Error ? value.message : value,
      ),
    );
  };
  const logger = {
    level: 'trace',
    trace: record,
    debug: record,
    info: record,
    warn: record,
    error: record,
    fatal: record,
    silent: () => undefined,
    child: () => logger,
  };
  return logger as unknown as FastifyBaseLogger;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('scrubSecrets', () => {
  const url = 'smtps://mailer-account:s3cret%20p%40ss@smtp.example:465';
  it('removes the password and user in every form they could take', () => {
    const plain = Buffer.from('\u0000mailer-account\u0000s3cret p@ss').toString('base64');
    const message = [
      'Invalid login for mailer-account with s3cret p@ss',
      's3cret%20p%40ss',
      `AUTH PLAIN ${plain}`,
      `AUTH LOGIN ${Buffer.from('s3cret p@ss').toString('base64')}`,
      'connecting to smtp://someone:hunter22@other.example failed',
    ].join('\n');
    const scrubbed = scrubSecrets(message, url);
    for (const secret of ['s3cret', 'p@ss', 'p%40ss', plain, 'mailer-account', 'hunter22']) {
      assert.ok(!scrubbed.includes(secret), `${secret} in ${scrubbed}`);
    }
    assert.match(scrubbed, /Invalid login for \[redacted\] with \[redacted\]/);
    assert.match(scrubbed, /smtp:\/\/\[redacted\]@other\.example/);
  });
  it('leaves a message without secrets alone', () => {
    assert.equal(
      scrubSecrets('connect ECONNREFUSED 127.0.0.1:25', url),
      'connect ECONNREFUSED 127.0.0.1:25',
    );
    assert.equal(scrubSecrets('a: b', 'not a url'), 'a: b');
  });
});

for (const engine of await testEngines()) {
  describe(`mail delivery (${engine})`, () => {
    let app: TestApp;
    let peer: SmtpPeer;
    before(async () => {
      peer = await startSmtpPeer();
      app = await createTestApp(engine, { SMTP_URL: peer.url, MAIL_FROM: FROM });
    });
    after(async () => {
      await app.close();
      await peer.close();
    });

    const queue = <T extends MailTemplate>(mail: MailRequest<T>) =>
      app.store.db.transaction().execute((trx) => queueMail(trx, mail));
    const outboxRow = (id: string) =>
      app.store.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    const jobOf = (id: string) =>
      app.store.db
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', MAIL_JOB)
        .where('payload', '=', JSON.stringify({ outboxId: id }))
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
    /** Skips the backoff wait: the job is due now. */
    const makeDue = (jobId: string) =>
      app.store.db
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', jobId)
        .execute();

    it('writes nothing when the transaction that queues the mail rolls back', async () => {
      let id = '';
      await assert.rejects(
        app.store.db.transaction().execute(async (trx) => {
          id = await queueMail(trx, verifyMail(freshAddress('rollback'), 'en'));
          const inside = await trx
            .selectFrom('mail_outbox')
            .select('id')
            .where('id', '=', id)
            .execute();
          assert.equal(inside.length, 1, 'the row exists inside the transaction');
          throw new Error('the sign-up failed');
        }),
        /the sign-up failed/,
      );
      assert.ok(id);
      assert.equal(await outboxRow(id), undefined);
      assert.equal(await jobOf(id), undefined);
      await app.worker.drain();
      assert.equal(peer.messages.length, 0);
    });

    for (const locale of ['ar', 'he', 'zh', 'fr-CA'] as const) {
      it(`delivers a ${locale} message through SMTP with its link intact`, async () => {
        const to = freshAddress(`reader-${locale}`);
        const request = verifyMail(to, locale);
        const expected = renderMail('verify', locale, request.params);
        const id = await queue(request);
        assert.equal((await outboxRow(id))?.state, 'queued');

        assert.ok((await app.worker.drain()) >= 1);
        const message = await peer.waitForMessage((m) => m.envelope.to.includes(to));
        assert.deepEqual(message.envelope, { from: 'no-reply@daily.example', to: [to] });
        assert.equal(message.user, peer.user, 'signed in with the credentials of SMTP_URL');
        assert.equal(message.subject, expected.subject);
        assert.equal(message.headers.get('message-id'), `<${id}@daily.example>`);
        assert.match(message.headers.get('from') ?? '', /The Daily <no-reply@daily\.example>/);
        assert.equal(message.text.trim(), expected.text.trim());
        const lang = expected.locale;
        const dir = lang === 'ar' || lang === 'he' ? 'rtl' : 'ltr';
        assert.ok(message.html.includes(`<html lang="${lang}" dir="${dir}">`), message.html);
        assert.equal(extractLink(message, '/account/verify'), request.params.link);

        const row = await outboxRow(id);
        assert.equal(row?.state, 'sent');
        assert.equal(row?.attempts, 1);
        assert.equal(row?.message_id, `<${id}@daily.example>`);
        assert.ok(row?.sent_at);
        assert.ok((await jobOf(id))?.done_at, 'the job is done');
      });
    }

    it('does not send a message again when its job runs twice', async () => {
      const to = freshAddress('twice');
      const id = await queue(verifyMail(to, 'en'));
      await app.worker.drain();
      await peer.waitForMessage((m) => m.envelope.to.includes(to));
      const sent = await outboxRow(id);
      await enqueueJob(app.store.db, MAIL_JOB, { outboxId: id });
      await app.worker.drain();
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(peer.messages.filter((m) => m.envelope.to.includes(to)).length, 1);
      assert.deepEqual(await outboxRow(id), sent);
    });

    it('marks a refused message failed without the password, and a later attempt delivers it', async () => {
      const to = freshAddress('refused');
      // A server that echoes what it knows: the error must still not carry the credentials.
      peer.refuse(`Try later, ${peer.user}:${peer.password}`);
      try {
        const id = await queue(verifyMail(to, 'es'));
        await app.worker.drain();
        const failed = await outboxRow(id);
        assert.equal(failed?.state, 'failed');
        assert.equal(failed?.attempts, 1);
        assert.match(failed?.last_error ?? '', /451/);
        const job = await jobOf(id);
        assert.ok(job && job.done_at === null, 'the job will be retried');
        assert.ok(new Date(job.run_at).getTime() > Date.now(), 'after a backoff');
        for (const text of [failed?.last_error ?? '', job.last_error ?? '']) {
          assert.ok(!text.includes(peer.password), text);
          assert.ok(!text.includes(encodeURIComponent(peer.password)), text);
          assert.ok(!text.includes(peer.user), text);
        }

        peer.accept();
        await makeDue(job.id);
        await app.worker.drain();
        await peer.waitForMessage((m) => m.envelope.to.includes(to));
        const sent = await outboxRow(id);
        assert.equal(sent?.state, 'sent');
        assert.equal(sent?.attempts, 2);
      } finally {
        peer.accept();
      }
    });

    it('leaves the message failed after the last attempt, until an admin retries it', async () => {
      const to = freshAddress('exhausted');
      peer.refuse();
      try {
        const id = await queue(verifyMail(to, 'en'));
        const job = await jobOf(id);
        assert.ok(job);
        // Five attempts already spent: the next one is the last.
        await app.store.db
          .updateTable('jobs')
          .set({ attempts: job.max_attempts - 1 })
          .where('id', '=', job.id)
          .execute();
        await app.worker.drain();
        assert.equal((await outboxRow(id))?.state, 'failed');
        assert.ok((await jobOf(id))?.done_at, 'the queue gave up');

        peer.accept();
        assert.equal(await retryMail(app.store.db, id), 'queued');
        assert.equal((await outboxRow(id))?.state, 'queued');
        await app.worker.drain();
        await peer.waitForMessage((m) => m.envelope.to.includes(to));
        assert.equal((await outboxRow(id))?.state, 'sent');
        assert.equal(await retryMail(app.store.db, id), 'not-retryable');
      } finally {
        peer.accept();
      }
    });

    it('brings a pending retry forward instead of adding a second job', async () => {
      peer.refuse();
      try {
        const id = await queue(verifyMail(freshAddress('forward'), 'en'));
        await app.worker.drain();
        assert.equal((await outboxRow(id))?.state, 'failed');
        assert.equal(await retryMail(app.store.db, id), 'queued');
        const jobs = await app.store.db
          .selectFrom('jobs')
          .select(['run_at', 'done_at'])
          .where('payload', '=', JSON.stringify({ outboxId: id }))
          .execute();
        assert.equal(jobs.length, 1);
        assert.ok(new Date(jobs[0]!.run_at).getTime() <= Date.now());
      } finally {
        peer.accept();
      }
      await app.worker.drain();
    });

    it('records an unreachable server as a failure and logs no secret', async () => {
      const password = 'unreachable-pass-9931';
      const config = {
        ...app.config,
        smtpUrl: `smtp://mailer-user:${password}@127.0.0.1:${await closedPort()}`,
      };
      const lines: string[] = [];
      const log = capturingLogger(lines);
      const worker = startWorker(app.store, mailJobs(app.store, config, log), log, {
        autoStart: false,
      });
      try {
        const id = await queue(verifyMail(freshAddress('unreachable'), 'en'));
        await worker.drain();
        const row = await outboxRow(id);
        assert.equal(row?.state, 'failed');
        assert.equal(row?.attempts, 1);
        assert.match(row?.last_error ?? '', /ECONNREFUSED/);
        assert.ok(
          lines.some((line) => line.includes('job failed')),
          lines.join('\n'),
        );
        for (const text of [...lines, row?.last_error ?? '']) {
          assert.ok(!text.includes(password), text);
          assert.ok(!text.includes('Rana'), 'no message body in the log');
        }
      } finally {
        await worker.stop();
      }
    });
  });
}
