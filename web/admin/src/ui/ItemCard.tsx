/**
 * One comment in a list: who wrote it where and when, the text as readers see it (the server's
 * sanitised HTML, direction from its own text), and what the pipeline and readers said about it:
 * its reasons, the words the classifier reacted to (Highlights.tsx), the scores, reports and tags.
 * All of it in words (format.ts): "Held: posting too fast", "scored 0.82 for identity attack",
 * "Off topic"; the server's codes (postingRate, model:…, OFF_TOPIC) are never shown, not even in
 * a tooltip.
 */
import type { ModerationItem } from '../api/types.js';
import { AuthorBadges, ScoreBars, StatusBadge } from './badges.js';
import { useDashboard } from './context.js';
import {
  formatDateTime,
  formatRelative,
  reasonLabel,
  reasonMessage,
  reasonWords,
  rejectionLabel,
  reportReasonLabel,
  tagLabel,
  verdict,
} from './format.js';
import { DsaFindings } from './DsaPanels.js';
import { Highlights } from './Highlights.js';

interface ItemCardProps {
  readonly item: ModerationItem;
  readonly selected?: boolean;
  readonly checked?: boolean;
  readonly isNew?: boolean;
  readonly gone?: boolean;
  readonly compact?: boolean;
  readonly onSelect?: () => void;
  readonly onToggle?: (checked: boolean) => void;
}

export function ItemCard(props: ItemCardProps) {
  const { item } = props;
  const { comment, story, author } = item;
  const { siteName, sites } = useDashboard();
  const classes = ['item'];
  if (props.selected) classes.push('item-selected');
  if (props.gone) classes.push('item-gone');
  if (props.isNew) classes.push('item-new');
  if (props.compact) classes.push('item-compact');
  const site = sites.length > 1 ? siteName(story.siteId) : null;
  const headingId = `item-${comment.id}`;

  return (
    <article
      class={classes.join(' ')}
      data-comment-id={comment.id}
      aria-labelledby={headingId}
      aria-current={props.selected ? 'true' : undefined}
      tabIndex={props.onSelect ? (props.selected ? 0 : -1) : undefined}
      onClick={props.onSelect}
    >
      {props.onToggle && (
        <div class="item-check">
          <input
            type="checkbox"
            checked={props.checked ?? false}
            aria-label={`Select the comment by ${author.name}`}
            onClick={(event) => event.stopPropagation()}
            onChange={(event) => props.onToggle?.(event.currentTarget.checked)}
          />
        </div>
      )}
      <div class="item-main">
        <header class="item-head">
          <h3 id={headingId} class="item-author">
            {author.name}
          </h3>
          <AuthorBadges user={author} />
          <span class="item-sep" aria-hidden="true">
            ·
          </span>
          <time
            class="item-time"
            dateTime={comment.createdAt}
            title={formatDateTime(comment.createdAt)}
          >
            {formatRelative(comment.createdAt)}
          </time>
          {comment.editedAt && (
            <span class="muted" title={`Edited ${formatDateTime(comment.editedAt)}`}>
              (edited)
            </span>
          )}
          <span class="item-flags">
            {props.isNew && <span class="badge badge-new">New</span>}
            {comment.featured && <span class="badge badge-featured">★ Featured</span>}
            <StatusBadge status={comment.status} />
          </span>
        </header>
        <p class="item-story">
          {comment.parentId ? 'Reply on ' : 'On '}
          <a href={story.url} target="_blank" rel="noopener noreferrer" title={story.url}>
            {story.title ?? story.url}
          </a>
          {site && <span class="muted"> · {site}</span>}
        </p>
        <CommentBody html={comment.html} />
        {props.gone && <p class="item-gone-note">Someone else has already handled this comment.</p>}
        {!props.compact && <ItemFindings item={item} />}
      </div>
    </article>
  );
}

/** The sanitised HTML from the API (the only markup the dashboard injects). */
export function CommentBody({ html }: { readonly html: string }) {
  return (
    <div
      class="comment-body"
      dir="auto"
      onClick={(event) => {
        // Links in comments open in a new tab so the moderator keeps their place.
        const link = (event.target as Element | null)?.closest?.('a[href]');
        if (!(link instanceof HTMLAnchorElement)) return;
        event.preventDefault();
        if (/^https?:/i.test(link.href)) window.open(link.href, '_blank', 'noopener,noreferrer');
      }}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

export function ItemFindings({ item }: { readonly item: ModerationItem }) {
  const { moderation, reports } = item.comment;
  const reportReasons = Object.entries(reports.byReason).sort((a, b) => b[1] - a[1]);
  const hasAnything =
    moderation.reasons.length > 0 ||
    Object.keys(moderation.scores).length > 0 ||
    (moderation.highlights?.length ?? 0) > 0 ||
    moderation.tags.length > 0 ||
    reports.total > 0 ||
    moderation.rejection !== null ||
    moderation.decidedBy !== null;
  if (!hasAnything) return null;
  const decision = verdict(moderation);
  const tags = [...new Set(moderation.tags.map(tagLabel))];
  return (
    <div class="findings">
      {decision && (
        <p class="verdict" data-verdict>
          <strong>{decision.verb}:</strong> <span>{decision.why}</span>
          {decision.by && moderation.reasons.length > 0 && (
            <span class="muted"> · by {decision.by}</span>
          )}
        </p>
      )}
      {moderation.rejection && (
        <p class="rejection">
          <strong>Rejected by a moderator:</strong> {rejectionLabel(moderation.rejection.code)}
          {moderation.rejection.note && <span dir="auto"> — “{moderation.rejection.note}”</span>}
        </p>
      )}
      {moderation.reasons.length > 0 && (
        <ul class="reasons-found" aria-label="Pipeline reasons">
          {moderation.reasons.map((reason, index) => (
            <li key={`${reason.code}-${index}`}>
              <span class="code-chip" title={reasonWords(reason.code)}>
                {reasonLabel(reason.code)}
              </span>{' '}
              <span>{reasonMessage(reason.message)}</span>
            </li>
          ))}
        </ul>
      )}
      <Highlights
        id={`highlights-${item.comment.id}`}
        body={item.comment.body}
        highlights={moderation.highlights}
      />
      <div class="findings-row">
        <ScoreBars scores={moderation.scores} />
        {reports.total > 0 && (
          <p class="reports">
            <strong>
              {reports.total} {reports.total === 1 ? 'report' : 'reports'}
            </strong>
            {reports.open < reports.total && (
              <span class="muted">
                {' '}
                ({reports.open === 0 ? 'all dealt with' : `${reports.open} open`})
              </span>
            )}
            {reportReasons.length > 0 && ': '}
            {reportReasons.map(([reason, count], index) => (
              <span key={reason}>
                {index > 0 && ' · '}
                {reportReasonLabel(reason)} {count}
              </span>
            ))}
          </p>
        )}
      </div>
      <DsaFindings item={item} />
      {tags.length > 0 && (
        <p class="tags">
          {tags.map((tag) => (
            <span key={tag} class="tag" dir="auto">
              {tag}
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
