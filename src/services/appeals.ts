/**
 * The Digital Services Act's notice and action, and its appeals (docs/dsa.md).
 *
 * - A notice of illegal content (Article 16) is a report with reason `illegal`, the legal ground,
 *   an explanation, a statement of good faith and, if the notifier wishes, their name and address.
 *   It lands in the moderators' `illegal` queue and in the audit log.
 * - The author of a comment taken down may appeal the decision once (Article 20), with a text. A
 *   moderator other than the one who decided reviews it: upheld (the decision stands) or reversed
 *   (the comment is published again, in the same transaction). The author is told either way, with
 *   the reviewer's explanation. Filing and deciding are in the audit log.
 */
import type { Kysely } from 'kysely';
import { ParleyError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { inScope } from '../domain/moderation/scope.ts';
import { checkText } from '../domain/text.ts';
import {
  decisionStands,
  getAppeal,
  insertAppeal,
  lockAppeal,
  standingRemoval,
  writeAppealReview,
  type AppealRecord,
} from '../store/appeals.ts';
import { permalink } from '../domain/permalink.ts';
import { mailBrandOf, queueMail } from '../mail/outbox.ts';
import { getComment } from '../store/comments.ts';
import type { Store } from '../store/db.ts';
import { insertAction } from '../store/audit.ts';
import type { CommentRecord, User } from '../store/rows.ts';
import type { Database } from '../store/schema.ts';
import { busOf } from '../live/record.ts';
import { notifyAppealDecided } from '../notify/notifications.ts';
import type { AfterCommit } from '../notify/events.ts';
import { closeMootAppeals, type ModerationActions, type Moderator } from './moderation-actions.ts';

type Db = Kysely<Database>;

/** Bounds of a notice's and an appeal's texts (the request schemas say the same). */
export const LIMITS = {
  legalGround: 300,
  explanation: 5000,
  reporterName: 100,
  reporterEmail: 254,
  appeal: 5000,
  reviewNote: 5000,
} as const;

export interface NoticeInput {
  legalGround?: string | undefined;
  explanation?: string | undefined;
  reporterName?: string | undefined;
  reporterEmail?: string | undefined;
  goodFaith?: boolean | undefined;
}

export interface CheckedNotice {
  legalGround: string;
  explanation: string;
  reporterName: string | null;
  reporterEmail: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const optional = (value: string | undefined, field: string, maxLength: number): string | null =>
  value === undefined || value.trim() === ''
    ? null
    : checkText(value.trim(), { field, maxLength, multiline: false });

/**
 * A notice's fields, checked: the legal ground and the explanation are required, the statement
 * of good faith must be made; a report for another reason may carry none of them.
 */
export function checkNotice(reason: string, input: NoticeInput): CheckedNotice | null {
  if (reason !== 'illegal') {
    const given = Object.values(input).some((value) => value !== undefined);
    if (given) {
      throw new ParleyError(
        'VALIDATION_FAILED',
        'A legal ground, explanation and notifier belong to a report of illegal content only.',
      );
    }
    return null;
  }
  if (!input.legalGround?.trim()) {
    throw new ParleyError(
      'VALIDATION_FAILED',
      'A report of illegal content needs its legal ground (the law, or the kind of illegality).',
    );
  }
  if (!input.explanation?.trim()) {
    throw new ParleyError(
      'VALIDATION_FAILED',
      'A report of illegal content needs an explanation of why the comment is illegal.',
    );
  }
  if (input.goodFaith !== true) {
    throw new ParleyError(
      'VALIDATION_FAILED',
      'A report of illegal content needs your statement that it is made in good faith.',
    );
  }
  const reporterEmail = optional(input.reporterEmail, 'email', LIMITS.reporterEmail);
  if (reporterEmail !== null && !EMAIL.test(reporterEmail)) {
    throw new ParleyError('VALIDATION_FAILED', 'That email address does not look right.');
  }
  return {
    legalGround: checkText(input.legalGround.trim(), {
      field: 'legal ground',
      maxLength: LIMITS.legalGround,
      multiline: false,
    }),
    explanation: checkText(input.explanation, {
      field: 'explanation',
      maxLength: LIMITS.explanation,
      multiline: true,
    }),
    reporterName: optional(input.reporterName, 'name', LIMITS.reporterName),
    reporterEmail,
  };
}

/**
 * Records a notice of illegal content as a report (false: this reader reported the comment
 * already), opens it to the moderators and writes the audit entry, in one transaction. The
 * notifier's name and address stay with the report, for the moderators; the log keeps the ground.
 */
export async function recordNotice(
  store: Store,
  input: { comment: CommentRecord; reporter: User; note: string | null; notice: CheckedNotice },
): Promise<boolean> {
  const { comment, reporter, notice } = input;
  return store.db.transaction().execute(async (trx) => {
    const reportId = newId();
    const added = await trx
      .insertInto('reports')
      .values({
        id: reportId,
        comment_id: comment.id,
        user_id: reporter.id,
        reason: 'illegal',
        note: input.note,
        created_at: new Date().toISOString(),
        legal_ground: notice.legalGround,
        explanation: notice.explanation,
        reporter_name: notice.reporterName,
        reporter_email: notice.reporterEmail,
        good_faith: 1,
      })
      .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
      .executeTakeFirst();
    if (Number(added.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await trx
      .updateTable('comments')
      .set((eb) => ({ open_reports: eb('open_reports', '+', 1) }))
      .where('id', '=', comment.id)
      .execute();
    await insertAction(trx, {
      actorId: reporter.id,
      action: 'report.illegal',
      siteId: comment.siteId,
      commentId: comment.id,
      userId: comment.authorId,
      reason: notice.legalGround,
      before: null,
      after: { reportId, legalGround: notice.legalGround },
      undoable: false,
    });
    await acknowledgeNotice(trx, comment, reporter, notice);
    return true;
  });
}

/**
 * The acknowledgement of receipt (Article 16(4)): to the address the notifier gave, or else to
 * their account's address when it is confirmed and has not bounced; in the notifier's language,
 * under the site's brand, in the notice's transaction.
 */
async function acknowledgeNotice(
  trx: Db,
  comment: CommentRecord,
  reporter: User,
  notice: CheckedNotice,
): Promise<void> {
  const account = await trx
    .selectFrom('users')
    .select(['email', 'email_verified_at', 'mail_bounced_at'])
    .where('id', '=', reporter.id)
    .executeTakeFirst();
  const to =
    notice.reporterEmail ??
    (account?.email_verified_at && !account.mail_bounced_at && account.email.includes('@')
      ? account.email
      : null);
  const story = await trx
    .selectFrom('stories')
    .select(['title', 'url'])
    .where('id', '=', comment.storyId)
    .executeTakeFirst();
  const brand = await mailBrandOf(trx, comment.siteId);
  if (!to || !story || !brand) return;
  await queueMail(trx, {
    userId: reporter.id,
    to,
    template: 'notice-received',
    locale: reporter.locale,
    brand,
    params: {
      name: notice.reporterName ?? reporter.displayName,
      siteName: brand.siteName,
      storyTitle: story.title?.trim() || story.url,
      legalGround: notice.legalGround,
      link: permalink(story.url, comment.id),
    },
  });
}

/** The author appeals the decision that took their comment down (once per decision). */
export async function fileAppeal(
  store: Store,
  input: { viewer: User; commentId: string; text: string },
): Promise<AppealRecord> {
  const text = checkText(input.text, {
    field: 'appeal',
    maxLength: LIMITS.appeal,
    multiline: true,
  });
  const comment = await getComment(store.db, input.commentId);
  if (!comment || (comment.authorId !== input.viewer.id && comment.status !== 'approved')) {
    throw new ParleyError('COMMENT_NOT_FOUND', 'That comment does not exist.');
  }
  if (comment.authorId !== input.viewer.id) {
    throw new ParleyError('FORBIDDEN', 'Only the author of a comment may appeal a decision on it.');
  }
  if (comment.deletedAt !== null) {
    throw new ParleyError('COMMENT_DELETED', 'That comment has been deleted.');
  }
  return store.db.transaction().execute(async (trx) => {
    const decision = await standingRemoval(trx, comment.id);
    if (!decision || comment.status !== 'rejected') {
      throw new ParleyError('NOT_APPEALABLE', 'No decision on this comment is there to appeal.');
    }
    const appeal = await insertAppeal(trx, {
      siteId: comment.siteId,
      commentId: comment.id,
      decisionId: decision.id,
      decidedBy: decision.actorId,
      authorId: input.viewer.id,
      text,
    });
    if (!appeal) {
      throw new ParleyError('ALREADY_APPEALED', 'You have already appealed this decision.');
    }
    await insertAction(trx, {
      actorId: input.viewer.id,
      action: 'appeal.file',
      siteId: comment.siteId,
      commentId: comment.id,
      userId: input.viewer.id,
      reason: null,
      before: null,
      after: { appealId: appeal.id, decisionId: decision.id, text },
      undoable: false,
    });
    return appeal;
  });
}

export type AppealOutcome = 'upheld' | 'reversed';

const MOOT_MESSAGE =
  'The decision appealed no longer stands (it was undone or replaced, or the comment deleted): ' +
  'the appeal is closed with nothing to decide.';

/**
 * Whether this moderator may review the appeal now: it exists in their sites (404), they did not
 * make the decision appealed (403 APPEAL_OWN_DECISION), and it is still open (409 APPEAL_DECIDED, or APPEAL_MOOT once closed as moot).
 */
function checkReviewable(
  appeal: AppealRecord | undefined,
  moderator: Moderator,
): asserts appeal is AppealRecord {
  if (!appeal || !inScope(moderator.scope, appeal.siteId)) {
    throw new ParleyError('APPEAL_NOT_FOUND', 'That appeal does not exist.');
  }
  if (appeal.decidedBy === moderator.user.id) {
    throw new ParleyError(
      'APPEAL_OWN_DECISION',
      'You made the decision appealed: another moderator must review the appeal.',
    );
  }
  if (appeal.state === 'moot') throw new ParleyError('APPEAL_MOOT', MOOT_MESSAGE);
  if (appeal.state !== 'open') {
    throw new ParleyError('APPEAL_DECIDED', 'That appeal has already been decided.');
  }
}

/**
 * A moderator decides an appeal. The moderator who made the decision may not (403
 * APPEAL_OWN_DECISION); a reversal publishes the comment through the moderators' own approve
 * action, in the same transaction as the review, recorded as not undoable (the appeal decided it).
 * An appeal whose decision no longer stands is closed as moot instead (409 APPEAL_MOOT), and its
 * author is told nothing of an outcome.
 */
export async function decideAppeal(
  store: Store,
  actions: ModerationActions,
  moderator: Moderator,
  appealId: string,
  input: { outcome: AppealOutcome; note: string },
): Promise<AppealRecord> {
  const note = checkText(input.note, {
    field: 'explanation',
    maxLength: LIMITS.reviewNote,
    multiline: true,
  });
  const after: AfterCommit = [];
  const review = async (trx: Db) => {
    const appeal = await lockAppeal(trx, appealId);
    checkReviewable(appeal, moderator);
    await writeAppealReview(trx, appeal.id, {
      state: input.outcome,
      reviewerId: moderator.user.id,
      note,
    });
    await insertAction(trx, {
      actorId: moderator.user.id,
      action: 'appeal.decide',
      siteId: appeal.siteId,
      commentId: appeal.commentId,
      userId: appeal.authorId,
      reason: input.outcome,
      before: { appealId: appeal.id, state: 'open' },
      after: { appealId: appeal.id, state: input.outcome, note },
      undoable: false,
    });
    const comment = await getComment(trx, appeal.commentId);
    if (comment) {
      await notifyAppealDecided(trx, after, busOf(store), {
        comment,
        outcome: input.outcome,
        note,
      });
    }
  };
  // Checked before the comment is touched, so that a refusal says why (not "not published").
  const seen = await getAppeal(store.db, appealId);
  checkReviewable(seen, moderator);
  // A decision undone, replaced or on a deleted comment: the appeal is moot, closed as such.
  const closeIfMoot = () =>
    store.db.transaction().execute(async (trx) => {
      const appeal = await lockAppeal(trx, appealId);
      checkReviewable(appeal, moderator);
      if (await decisionStands(trx, appeal)) return false;
      await closeMootAppeals(trx, appeal.commentId, moderator.user.id);
      return true;
    });
  if (await closeIfMoot()) throw new ParleyError('APPEAL_MOOT', MOOT_MESSAGE);
  if (input.outcome === 'reversed') {
    try {
      await actions.onComment(moderator, seen.commentId, 'approve', {
        within: review,
        undoable: false,
      });
    } catch (error) {
      // The author deleted the comment since the check: the appeal is moot, not failing for ever.
      if (
        error instanceof ParleyError &&
        error.code === 'COMMENT_DELETED' &&
        (await closeIfMoot())
      ) {
        throw new ParleyError('APPEAL_MOOT', MOOT_MESSAGE);
      }
      throw error;
    }
  } else {
    // Still standing inside the review's transaction (nothing changed it since the check above).
    await store.db.transaction().execute(async (trx) => {
      const appeal = await lockAppeal(trx, appealId);
      if (appeal && !(await decisionStands(trx, appeal))) {
        throw new ParleyError('APPEAL_MOOT', MOOT_MESSAGE);
      }
      await review(trx);
    });
  }
  for (const run of after) run();
  const decided = await getAppeal(store.db, appealId);
  if (!decided) throw new ParleyError('APPEAL_NOT_FOUND', 'That appeal does not exist.');
  return decided;
}
