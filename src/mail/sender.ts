/**
 * The `mail.send` job: delivers an outbox row through SMTP (nodemailer, `SMTP_URL`), or holds it
 * in the outbox for admins to read when no SMTP server is configured (the demo). A failure marks
 * the row failed and is rethrown, so the job queue retries it with backoff; after the last attempt
 * the row stays failed.
 *
 * Delivery is at least once: if the process dies after the SMTP server accepted a message but
 * before the row says so, the retried job sends it again. The Message-ID is derived from the
 * outbox id, so both copies carry the same one and mail systems can recognise the duplicate.
 *
 * A hard bounce (the server refuses the recipient or the message with a 5xx answer) is not retried:
 * the row is marked failed and the job ends. When the mail was for an account still at that
 * address, the account is marked bounced (`users.mail_bounced_at`): notification mail, digests and
 * alerts stop until the reader confirms an address again, while account mail (a confirmation
 * link, a reset) still goes out so that they can (docs/notifications.md, "Mail").
 *
 * Notification mail goes out under the publisher's sender name (`from_name`, with MAIL_FROM's
 * address) and with the one-click unsubscribe headers of RFC 8058 (`unsubscribe_url`).
 *
 * Neither the SMTP URL (it holds the password) nor message bodies (they hold sign-in links) are
 * ever logged; error messages are scrubbed of the credentials before they are stored or thrown.
 */
import net from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { Config } from '../config.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { Store } from '../store/db.ts';
import { MAIL_JOB, type MailJobPayload } from './outbox.ts';
import { isAccountMail } from './templates.ts';

/**
 * Under the job lock (60 s), so a stuck server fails the attempt instead of letting another worker
 * claim the job while this one still waits. The URL's own query options take precedence.
 */
/** SMTP connections a process keeps open at most (as many as jobs run at once). */
const POOL_CONNECTIONS = 4;

const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };

export function mailJobs(
  store: Store,
  config: Config,
  log: FastifyBaseLogger,
): Record<string, JobHandler> {
  const smtp = config.smtpUrl ? { url: config.smtpUrl, transport: pooled(config.smtpUrl) } : null;
  if (!smtp) log.info('SMTP_URL is not set: account mail is held in the outbox (Mail)');
  const messageDomain = domainOf(config.mailFrom) ?? new URL(config.publicUrl).hostname;
  const fromAddress = addressOf(config.mailFrom);

  const hasBounced = async (mail: { user_id: string | null; to_address: string }) => {
    const user = await store.db
      .selectFrom('users')
      .select('mail_bounced_at')
      .where('id', '=', mail.user_id as string)
      .where('email', '=', mail.to_address)
      .executeTakeFirst();
    return user !== undefined && user.mail_bounced_at !== null;
  };

  const send: JobHandler = async (payload) => {
    const { outboxId } = payload as MailJobPayload;
    const mail = await store.db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('id', '=', outboxId)
      .executeTakeFirst();
    // Gone (erased with its account) or already done by an earlier run of this job.
    if (!mail || mail.state === 'sent' || mail.state === 'held') return;
    const outbox = store.db.updateTable('mail_outbox').where('id', '=', outboxId);

    // An address that bounced gets account mail only, until it is confirmed again.
    if (mail.user_id && !isAccountMail(mail.template) && (await hasBounced(mail))) {
      await outbox
        .set({ state: 'failed', last_error: 'Not sent: this address bounced earlier mail.' })
        .execute();
      return;
    }
    if (!smtp) {
      await outbox.set({ state: 'held' }).execute();
      return;
    }
    let messageId: string;
    try {
      const info = await smtp.transport.send({
        from: mail.from_name ? { name: mail.from_name, address: fromAddress } : config.mailFrom,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        html: mail.html_body,
        messageId: `<${mail.id}@${messageDomain}>`,
        ...(mail.unsubscribe_url && {
          headers: {
            'List-Unsubscribe': `<${mail.unsubscribe_url}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }),
      });
      messageId = info.messageId;
    } catch (error) {
      const message = scrubSecrets(
        error instanceof Error ? error.message : String(error),
        smtp.url,
      );
      const bounced = isHardBounce(error);
      await store.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('mail_outbox')
          .set({ state: 'failed', attempts: mail.attempts + 1, last_error: message.slice(0, 1000) })
          .where('id', '=', outboxId)
          .execute();
        if (bounced && mail.user_id) {
          // Only while the account still has this address: a bounce says nothing of a new one.
          await trx
            .updateTable('users')
            .set({ mail_bounced_at: new Date().toISOString() })
            .where('id', '=', mail.user_id)
            .where('email', '=', mail.to_address)
            .where('mail_bounced_at', 'is', null)
            .execute();
        }
      });
      // Trying again would be refused again: the job ends here, the row stays failed.
      if (bounced) {
        log.info({ mailId: mail.id, template: mail.template }, 'mail bounced (5xx): not retried');
        return;
      }
      throw new Error(message);
    }
    // Outside the try: a failure to record a delivered message must not record it as undelivered.
    await outbox
      .set({
        state: 'sent',
        sent_at: new Date().toISOString(),
        message_id: messageId,
        attempts: mail.attempts + 1,
      })
      .execute();
    log.debug({ mailId: mail.id, template: mail.template }, 'mail sent');
  };

  return { [MAIL_JOB]: send };
}

/** After this long without a message the pool's connections are closed (and opened again on use). */
const POOL_IDLE_MS = 1000;

/**
 * The pool of SMTP connections, opened on the first message and closed once idle: an open
 * connection would otherwise keep a stopping process (and a test run) alive.
 */
function pooled(smtpUrl: string) {
  let transport: Transporter<SMTPPool.SentMessageInfo> | null = null;
  let sending = 0;
  let idle: NodeJS.Timeout | null = null;
  return {
    async send(message: Mail.Options) {
      if (idle) clearTimeout(idle);
      idle = null;
      transport ??= createTransport(smtpUrl);
      const using = transport;
      sending++;
      try {
        return await using.sendMail(message);
      } finally {
        if (--sending === 0) {
          idle = setTimeout(() => {
            if (transport === using && sending === 0) {
              transport = null;
              using.close();
            }
          }, POOL_IDLE_MS);
        }
      }
    },
  };
}

/**
 * A pool of SMTP connections, kept open between messages and shared by the jobs sending at once:
 * a connection per message (greeting, TLS, authentication every time) held notification mail to
 * about six messages a second (BENCHMARKS.md, notifications). Idle connections are closed by the
 * server's own timeout or when the process stops.
 */
function createTransport(smtpUrl: string): Transporter<SMTPPool.SentMessageInfo> {
  return nodemailer.createTransport(
    new SMTPPool({
      pool: true,
      url: smtpUrl,
      logger: false,
      debug: false,
      ...TIMEOUTS,
      maxConnections: POOL_CONNECTIONS,
      maxMessages: 1000,
      getSocket: connectWithoutDelay,
    }),
  );
}

/**
 * Opens the pool's TCP connections with Nagle's algorithm off (nodemailer leaves it on): a
 * message goes out in several writes, and each later write waited for the server's delayed
 * acknowledgement of the one before, about 40 ms a time. Off, a pool of four sent 430 messages a
 * second to a local server instead of 77. TLS (smtps, or STARTTLS) is then set up by nodemailer
 * on this connection as it would on its own.
 */
function connectWithoutDelay(
  options: SMTPPool.Options,
  callback: (error: Error | null, socket?: { connection: net.Socket }) => void,
): void {
  const port = options.port ?? (options.secure ? 465 : 587);
  const socket = net.connect({ host: options.host ?? 'localhost', port, noDelay: true });
  socket.setTimeout(TIMEOUTS.connectionTimeout);
  const failed = (error: Error) => {
    socket.destroy();
    callback(error);
  };
  socket.once('error', failed);
  socket.once('timeout', () => failed(new Error('Connection timeout')));
  socket.once('connect', () => {
    socket.removeListener('error', failed);
    socket.removeAllListeners('timeout');
    socket.setTimeout(0);
    callback(null, { connection: socket });
  });
}

/** The address of MAIL_FROM ("Parley <no-reply@news.example>" → "no-reply@news.example"). */
function addressOf(from: string): string {
  return /<([^<>\s]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}

/**
 * A permanent refusal of this recipient or this message: a 5xx answer to RCPT TO or to the message
 * itself. A 5xx elsewhere (the server refusing our credentials or our sender address) is our
 * configuration's fault, not the reader's address: it is retried like any other failure.
 */
export function isHardBounce(error: unknown): boolean {
  const { responseCode, command } = (error ?? {}) as { responseCode?: unknown; command?: unknown };
  return (
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode < 600 &&
    (command === 'RCPT TO' || command === 'DATA')
  );
}

/** The domain of the From address ("Parley <no-reply@news.example>" → "news.example"). */
function domainOf(from: string): string | null {
  return /@([^\s<>@]+?)>?\s*$/.exec(from)?.[1] ?? null;
}

/**
 * An error message without the SMTP credentials in any form they could take on the wire or in a
 * message: as written in the URL, percent-decoded, and base64-encoded the way AUTH PLAIN and AUTH
 * LOGIN send them (a server may echo what it received). Any other URL's user info goes too.
 */
export function scrubSecrets(message: string, smtpUrl: string): string {
  let scrubbed = message.replace(/\/\/[^\s/@]*@/g, '//[redacted]@');
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return scrubbed;
  }
  const decode = (value: string) => {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  };
  const user = decode(url.username);
  const password = decode(url.password);
  const base64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
  const secrets = [url.password, password, base64(password)];
  if (password) secrets.push(base64(`\u0000${user}\u0000${password}`));
  // A user name is less secret and may be a common word: only a distinctive one is removed.
  if (user.length >= 6) secrets.push(url.username, user, base64(user));
  for (const secret of secrets.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
    scrubbed = scrubbed.split(secret).join('[redacted]');
  }
  return scrubbed;
}
