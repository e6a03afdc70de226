/**
 * Queueing account mail. The caller passes its own transaction, so the outbox row and the job that
 * sends it are written with the change that causes them (a sign-up, a reset request): both commit
 * or neither does. The `mail.send` job (src/mail/sender.ts) delivers it.
 */
import type { Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import { enqueueJob } from '../jobs/queue.ts';
import type { Database } from '../store/schema.ts';
import { renderMail, type MailParams, type MailTemplate } from './templates.ts';

export const MAIL_JOB = 'mail.send';

export interface MailRequest<T extends MailTemplate> {
  /** The account it concerns (null when there is none, e.g. an address nobody owns). */
  userId: string | null;
  to: string;
  template: T;
  /** Interface language; anything unknown falls back to English. */
  locale: string | null;
  params: MailParams[T];
}

/** Writes the outbox row and its job; returns the outbox id. */
export async function queueMail<T extends MailTemplate>(
  db: Kysely<Database>,
  mail: MailRequest<T>,
): Promise<string> {
  const rendered = renderMail(mail.template, mail.locale, mail.params);
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
    })
    .execute();
  await enqueueJob(db, MAIL_JOB, { outboxId: id }, { maxAttempts: 6 });
  return id;
}
