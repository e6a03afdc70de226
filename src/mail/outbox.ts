/**
 * The mail outbox: every mail is a row here, written in the caller's transaction with the
 * `mail.send` job that delivers it (src/mail/sender.ts), so the row, the job and the change that
 * causes them (a sign-up, a reset request, a notification marked sent) all commit or none does.
 * Admins read the outbox in the dashboard: what was sent, what is held (no SMTP configured) and
 * what failed.
 *
 * A mail about a site carries that site's brand (its name and logo at the top, its colour, its
 * sign-off, and its sender name in From): give `siteId` (or the brand itself). A notification
 * carries its one-click unsubscribe address (`unsubscribe`), written into the body and, by the
 * sender, into the List-Unsubscribe headers.
 */
import type { Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { toIso } from '../store/rows.ts';
import type { Database, MailState } from '../store/schema.ts';
import { getSiteBranding } from '../store/branding.ts';
import {
  renderMail,
  type MailBrand,
  type MailFooter,
  type MailParams,
  type MailTemplate,
} from './templates.ts';

type Db = Kysely<Database>;

export const MAIL_JOB = 'mail.send';
/** One try, then retries after 2, 4, 8, 16 and 32 seconds (src/jobs/queue.ts). */
const MAIL_ATTEMPTS = 6;

export interface MailRequest<T extends MailTemplate> {
  /** The account it concerns (null when there is none, e.g. an address nobody owns). */
  userId: string | null;
  to: string;
  template: T;
  /** Interface language; anything unknown falls back to English. */
  locale: string | null;
  params: MailParams[T];
  /** The site the mail is about: its brand is looked up (ignored when `brand` is given). */
  siteId?: string | null;
  /** The publisher's brand, when the caller has it already. */
  brand?: MailBrand;
  /** A notification's one-click unsubscribe (body link and List-Unsubscribe headers). */
  unsubscribe?: MailFooter;
}

/** The brand a site's mail carries; undefined for a site that does not exist (any more). */
export async function mailBrandOf(db: Db, siteId: string): Promise<MailBrand | undefined> {
  const found = await getSiteBranding(db, siteId);
  return found && { siteName: found.siteName, ...found.branding };
}

/** What the `mail.send` job carries; also how a row's pending job is found again. */
export interface MailJobPayload {
  outboxId: string;
}
const jobPayload = (outboxId: string): MailJobPayload => ({ outboxId });

/** Writes the outbox row and its job; returns the outbox id. */
export async function queueMail<T extends MailTemplate>(
  db: Db,
  mail: MailRequest<T>,
): Promise<string> {
  const brand = mail.brand ?? (mail.siteId ? await mailBrandOf(db, mail.siteId) : undefined);
  const rendered = renderMail(mail.template, mail.locale, mail.params, brand, mail.unsubscribe);
  const id = newId();
  await db
    .insertInto('mail_outbox')
    .values({
      id,
      user_id: mail.userId,
      to_address: mail.to,
      template: mail.template,
      locale: rendered.locale,
      subject: rendered.subject,
      text_body: rendered.text,
      html_body: rendered.html,
      state: 'queued',
      created_at: new Date().toISOString(),
      unsubscribe_url: mail.unsubscribe?.unsubscribeUrl ?? null,
      from_name: brand ? brand.senderName?.trim() || brand.siteName : null,
    })
    .execute();
  await enqueueJob(db, MAIL_JOB, jobPayload(id), { maxAttempts: MAIL_ATTEMPTS });
  return id;
}

/** An outbox row as admins see it (docs/identity.md, "Mail"). */
export interface OutboxMail {
  id: string;
  to: string;
  template: string;
  locale: string;
  subject: string;
  state: MailState;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxMessage extends OutboxMail {
  text: string;
  html: string;
}

const SUMMARY = [
  'id',
  'to_address',
  'template',
  'locale',
  'subject',
  'state',
  'attempts',
  'last_error',
  'created_at',
  'sent_at',
] as const;

type SummaryRow = {
  id: string;
  to_address: string;
  template: string;
  locale: string;
  subject: string;
  state: MailState;
  attempts: number;
  last_error: string | null;
  created_at: string | Date;
  sent_at: string | Date | null;
};

const mailFromRow = (row: SummaryRow): OutboxMail => ({
  id: row.id,
  to: row.to_address,
  template: row.template,
  locale: row.locale,
  subject: row.subject,
  state: row.state,
  attempts: Number(row.attempts),
  lastError: row.last_error,
  createdAt: toIso(row.created_at),
  sentAt: toIso(row.sent_at),
});

/** Newest first (ids are time-ordered); the cursor is the last id of the previous page. */
export async function listOutbox(
  db: Db,
  filter: { state?: MailState | undefined },
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: OutboxMail[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('mail_outbox')
    .select(SUMMARY)
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (filter.state) q = q.where('state', '=', filter.state);
  if (page.cursor) q = q.where('id', '<', page.cursor);
  const rows = await q.execute();
  const items = rows.slice(0, page.limit).map(mailFromRow);
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * One message for an admin to read. Once delivered, its links' tokens are masked: a reset link in
 * another account's mail is that account's key, and an admin has no need of it any more. Held mail
 * (no SMTP configured) keeps them: the admin is then how the link reaches its reader.
 */
export async function getOutboxMessage(db: Db, id: string): Promise<OutboxMessage | undefined> {
  const row = await db
    .selectFrom('mail_outbox')
    .select([...SUMMARY, 'text_body', 'html_body'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const shown = (body: string) =>
    row.state === 'sent' ? body.replace(/([?&]token=)[A-Za-z0-9_-]+/g, '$1[delivered]') : body;
  return { ...mailFromRow(row), text: shown(row.text_body), html: shown(row.html_body) };
}

export type RetryOutcome = 'queued' | 'not-found' | 'not-retryable';

/**
 * Sends a failed or held message again, now. A failed message whose job still has retries left
 * has that job brought forward rather than a second one added, so it cannot go out twice at once;
 * otherwise (retries exhausted, or held) a new job is queued.
 */
export async function retryMail(db: Db, id: string): Promise<RetryOutcome> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('mail_outbox')
      .set({ state: 'queued' })
      .where('id', '=', id)
      .where('state', 'in', ['failed', 'held'])
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const exists = await trx
        .selectFrom('mail_outbox')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      return exists ? 'not-retryable' : 'not-found';
    }
    const pending = await trx
      .updateTable('jobs')
      .set({ run_at: new Date().toISOString() })
      .where('kind', '=', MAIL_JOB)
      .where('payload', '=', JSON.stringify(jobPayload(id)))
      .where('done_at', 'is', null)
      .executeTakeFirst();
    if (Number(pending.numUpdatedRows) === 0) {
      await enqueueJob(trx, MAIL_JOB, jobPayload(id), { maxAttempts: MAIL_ATTEMPTS });
    }
    return 'queued';
  });
}
