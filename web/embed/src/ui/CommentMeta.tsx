/**
 * The byline of a comment: the author's picture (or initials) and name (a link to their profile), with a staff badge and
 * the badges their publisher grants (subscriber, verified…), whom it answers, when it was written,
 * whether it was edited, and for the viewer's own unpublished comments "Awaiting review" or
 * "Removed by a moderator".
 */
import type { CommentData } from '../api/types.js';
import { Avatar } from './Avatar.js';
import { RelativeTime } from './RelativeTime.js';
import { useWidget } from './widget-context.js';

export function CommentMeta({ comment }: { comment: CommentData }) {
  const { t, api, store, locale } = useWidget();
  const { author, replyToName, createdAt, editedAt, status } = comment;
  const unpublished = status === 'pending' ? t.awaitingReview : status === 'rejected' && t.removed;
  return (
    <header class="meta" part="comment-meta">
      {author && <Avatar author={author} />}
      {author && (
        // The author's profile (docs/profiles.md): a plain page on Parley's origin, in a new tab.
        <a
          class="author"
          part="author"
          dir="auto"
          href={`${api.origin}/profiles/${store.story!.siteId}/${author.id}?lang=${locale}`}
          target="_blank"
        >
          {author.displayName}
        </a>
      )}
      {author && author.role !== 'commenter' && <span class="badge">{t.staff}</span>}
      {author &&
        (author.badges || []).map(
          (badge) =>
            // The publisher's label as text: a known one in the reader's language (and "staff"
            // only once, when the role already says so).
            (badge.toLowerCase() !== 'staff' || author.role === 'commenter') && (
              <span key={badge} class="badge granted" dir="auto">
                {t.badges[badge.toLowerCase()] || badge}
              </span>
            ),
        )}
      {replyToName && (
        <span>
          {t.inReplyTo} <span dir="auto">{replyToName}</span>
        </span>
      )}
      <RelativeTime iso={createdAt} />
      {editedAt && <span>{t.edited}</span>}
      {unpublished && <span class={`badge ${status}`}>{unpublished}</span>}
      {(comment as { pinned?: boolean }).pinned && <span class="badge pinned">{t.pinned}</span>}
    </header>
  );
}
