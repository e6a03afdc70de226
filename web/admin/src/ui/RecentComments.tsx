/** A user's latest comments as a compact list, shown in the comment details and the user panel. */
import type { ModerationItem } from '../api/types.js';
import { StatusBadge } from './badges.js';
import { formatDateTime, formatRelative } from './format.js';
import { CommentBody } from './ItemCard.js';

export function RecentComments({
  id,
  title,
  items,
}: {
  id: string;
  title: string;
  items: readonly ModerationItem[];
}) {
  if (items.length === 0) return null;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id} class="panel-title">
        {title}
      </h2>
      <ol class="recent">
        {items.map((recent) => (
          <li key={recent.comment.id} class="recent-item">
            <div class="recent-meta">
              <StatusBadge status={recent.comment.status} />
              <time
                dateTime={recent.comment.createdAt}
                title={formatDateTime(recent.comment.createdAt)}
              >
                {formatRelative(recent.comment.createdAt)}
              </time>
              <span class="muted recent-story">{recent.story.title ?? recent.story.url}</span>
            </div>
            <CommentBody html={recent.comment.html} />
          </li>
        ))}
      </ol>
    </section>
  );
}
