/**
 * The mail outbox as admins act on it (docs/identity.md, "Mail"): sending a message that failed or
 * was held again, now. Queuing and delivering mail is src/mail/'s.
 */
import { ParleyError } from '../domain/errors.ts';
import { getOutboxMessage, retryMail, type OutboxMessage } from '../mail/outbox.ts';
import type { Store } from '../store/db.ts';

const mailNotFound = () => new ParleyError('MAIL_NOT_FOUND', 'That message does not exist.');

/** Queues a failed or held message again; returns it as it now stands. */
export async function retryOutboxMessage(store: Store, mailId: string): Promise<OutboxMessage> {
  const outcome = await retryMail(store.db, mailId);
  if (outcome === 'not-found') throw mailNotFound();
  if (outcome === 'not-retryable') {
    throw new ParleyError(
      'MAIL_NOT_RETRYABLE',
      'Only a message that failed or was held can be sent again.',
    );
  }
  const message = await getOutboxMessage(store.db, mailId);
  if (!message) throw mailNotFound();
  return message;
}
