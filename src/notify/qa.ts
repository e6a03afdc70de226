/**
 * Q&A's consumer of the dispatcher (docs/qa.md): which replies answer a question, and when each
 * question was answered. It sees every change to a comment once, after it committed, in the
 * story's order (posted, approved after review, rejected, deleted), so a held answer counts once
 * a moderator publishes it, and a question whose only answer is rejected or deleted goes back to
 * the unanswered tab.
 *
 * - A reply to a question of a Q&A story, by one of the site's staff (the story's experts are named
 *   from them) not banned on the site, as their account is when the reply is posted or published,
 *   is marked an answer (`comments.qa_answer`).
 * - The question's `answered_at` is the time of its first published answer; when a question
 *   becomes answered, `qa.answered` is written to the story's event log (replayed like comment
 *   events) with the answer.
 *
 * It runs before the readers' notifications, which tell the asker of an answer by its own kind
 * (`answer`, src/notify/notifications.ts).
 */
import { EVERYONE } from '../live/bus.ts';
import { publishLive } from '../live/record.ts';
import type { Store } from '../store/db.ts';
import { appendLiveEvents } from '../store/live-events.ts';
import {
  answersForSite,
  clearOrphanedAnswers,
  isMarkedAnswer,
  markAnswer,
  refreshAnswered,
  storyMode,
} from '../store/qa.ts';
import { getComment } from '../store/comments.ts';
import { getUser } from '../store/users.ts';
import type { Consumer } from './events.ts';

export interface QaConsumerOptions {
  store: Store;
  /** Told that a story's pages changed (the thread cache of this process). */
  storyChanged?: (storyId: string) => void;
}

export function qaConsumer(options: QaConsumerOptions): Consumer {
  return async (trx, event, after) => {
    if ((await storyMode(trx, event.storyId)) !== 'qa') return;
    const changed = () => after.push(() => options.storyChanged?.(event.storyId));
    const comment = event.comment ?? (await getComment(trx, event.commentId)) ?? null;
    if (!comment) {
      // A deleted comment that left nothing behind: whatever it answered is checked again.
      if (event.change === 'deleted' && (await clearOrphanedAnswers(trx, event.storyId)) > 0)
        changed();
      return;
    }
    if (comment.parentId === null) return;
    const parent = await trx
      .selectFrom('comments')
      .select(['id', 'parent_id', 'story_id'])
      .where('id', '=', comment.parentId)
      .executeTakeFirst();
    if (!parent || parent.parent_id !== null || parent.story_id !== comment.storyId) return;
    if (
      (event.change === 'created' || event.change === 'approved') &&
      comment.status === 'approved' &&
      !(await isMarkedAnswer(trx, comment.id))
    ) {
      // As the author's account is now (read here, not when they were named an expert): a
      // journalist demoted or banned since, or erased, answers no more.
      const author = await getUser(trx, comment.authorId);
      if (author !== undefined && answersForSite(author, comment.siteId)) {
        await markAnswer(trx, comment.id);
      }
    }
    const { before, after: answeredAt } = await refreshAnswered(trx, parent.id);
    if (before === answeredAt) return;
    changed();
    if (before === null && answeredAt !== null) {
      const answer = await getComment(trx, comment.id);
      const events = await appendLiveEvents(trx, comment.storyId, [
        {
          siteId: comment.siteId,
          kind: 'qa.answered',
          audience: EVERYONE,
          authorId: comment.authorId,
          commentId: parent.id,
          data: JSON.stringify({ questionId: parent.id, answer }),
        },
      ]);
      after.push(() => publishLive(options.store, events));
    }
  };
}
