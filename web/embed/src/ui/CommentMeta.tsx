/**
 * The byline of a comment: author (with a staff badge), whom it answers, when it was written,
 * whether it was edited, and for the viewer's own unpublished comments "Awaiting review" or
 * "Removed by a moderator".
 */
import type { CommentData } from '../api/types.js';
import { RelativeTime } from './RelativeTime.js';
import { useWidget } from './widget-context.js';

export function CommentMeta({ comment }: { comment: CommentData }) {
  const { t } = useWidget();
  const { author, replyToName, createdAt, editedAt, status } = comment;
  const unpublished = status === 'pending' ? t.awaitingReview : status === 'rejected' && t.removed;
  return (
    <header class="meta">
      {author && (
        <span class="author" dir="auto">
          {author.displayName}
        </span>
      )}
      {author && author.role !== 'commenter' && <span class="badge">{t.staff}</span>}
      {replyToName && (
        <span>
          {t.inReplyTo} <span dir="auto">{replyToName}</span>
        </span>
      )}
      <RelativeTime iso={createdAt} />
      {editedAt && <span>{t.edited}</span>}
      {unpublished && <span class={`badge ${status}`}>{unpublished}</span>}
    </header>
  );
}
