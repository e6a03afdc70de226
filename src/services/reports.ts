/**
 * A reader reports a comment to the moderators: for one of the ordinary reasons, or as a notice
 * of illegal content (the Digital Services Act's, recorded with its audit entry by appeals.ts).
 * Each reader reports a comment once. The moderators' open queues hear of it at once, and those
 * who asked to be alerted of reports are (src/notify/alerts.ts).
 */
import { ParleyError } from '../domain/errors.ts';
import { checkText } from '../domain/text.ts';
import { publishLive, reportEvent } from '../live/record.ts';
import { alertOnReport } from '../notify/alerts.ts';
import { insertReport } from '../store/comments.ts';
import type { Store } from '../store/db.ts';
import type { CommentRecord, User } from '../store/rows.ts';
import { checkNotice, recordNotice, type NoticeInput } from './appeals.ts';

/** Where a report that stands but whose alerts could not be queued is told. */
export interface ReportLog {
  warn(message: string): void;
}

/**
 * Records the reader's report of a (visible) comment: ALREADY_REPORTED when they reported it
 * before, VALIDATION_FAILED when the note or the notice's fields are not right for the reason.
 */
export async function reportComment(
  store: Store,
  input: {
    comment: CommentRecord;
    reporter: User;
    reason: string;
    note?: string | undefined;
    /** A notice's fields: required with reason `illegal`, refused with any other. */
    notice: NoticeInput;
  },
  log: ReportLog,
): Promise<void> {
  const { comment, reporter, reason } = input;
  const note = input.note?.trim()
    ? checkText(input.note, { field: 'note', maxLength: 1000, multiline: true })
    : null;
  const notice = checkNotice(reason, input.notice);
  const recorded = notice
    ? await recordNotice(store, { comment, reporter, note, notice })
    : await insertReport(store.db, { commentId: comment.id, userId: reporter.id, reason, note });
  if (!recorded) {
    throw new ParleyError('ALREADY_REPORTED', 'You have already reported this comment.');
  }
  publishLive(store, [reportEvent(comment)]);
  // The report stands whether or not its alerts could be queued.
  await alertOnReport(store.db, comment.id).catch((error: unknown) => {
    log.warn(`report alerts for comment ${comment.id} not queued: ${String(error)}`);
  });
}
