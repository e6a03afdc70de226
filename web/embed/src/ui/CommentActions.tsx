/**
 * The row of buttons under a comment. A button whose form is open is hidden while the form shows,
 * so each label names exactly one control of the comment; "Reply" is named with the author
 * ("Reply to Amira"). Authors see their comment's count of "Respect" but no button to give it.
 * "Copy link" copies the comment's permalink, or where the clipboard is unavailable shows it in a
 * field, selected. The features module adds "Ignore" for a signed-in reader (its Slot), and
 * collapses the comment of a reader they ignore (notify/ui/IgnoreControl.tsx).
 */
import { useState } from 'preact/hooks';
import type { CommentData } from '../api/types.js';
import { canonicalUrl } from '../config.js';
import { Slot } from './Slot.js';
import { useWidget } from './widget-context.js';

export type CommentMode = 'read' | 'reply' | 'edit' | 'delete' | 'report';

interface CommentActionsProps {
  readonly comment: CommentData;
  readonly mode: CommentMode;
  readonly canReply: boolean;
  readonly canEdit: boolean;
  readonly respectBusy: boolean;
  readonly onOpen: (mode: CommentMode) => void;
  readonly onRespect: () => void;
}

export function CommentActions(props: CommentActionsProps) {
  const { comment, mode, canReply, canEdit, respectBusy, onOpen, onRespect } = props;
  const { t, announcer } = useWidget();
  // One per comment in the shadow root (the widget's ids are its own, like its heading's).
  const countId = `count-${comment.id}`;
  const [linkShown, setLinkShown] = useState('');
  const { own, reacted, reported } = comment.viewer;
  const published = comment.status === 'approved';
  const author = comment.author;

  // The article's address, opened at this comment (the notification features follow the hash).
  const copyLink = () => {
    const url = `${canonicalUrl()}#parley-comment-${comment.id}`;
    const clipboard = navigator.clipboard;
    const select = () => setLinkShown(url);
    if (clipboard) clipboard.writeText(url).then(() => announcer.announce(t.linkCopied), select);
    else select();
  };

  const open = (target: CommentMode, label: string, name?: string | null) =>
    mode !== target && (
      <button
        type="button"
        data-action={target}
        aria-label={name || undefined}
        onClick={() => onOpen(target)}
      >
        {label}
      </button>
    );

  return (
    <div class="actions" part="actions">
      {canReply && open('reply', t.reply, author && t.replyTo(author.displayName))}
      {published && own && (
        // Respect is what others give: its author sees the count, and no button.
        <span class="count">
          {t.respect} {comment.reactionCount}
        </span>
      )}
      {published && !own && (
        <>
          <button
            type="button"
            class="respect"
            data-action="respect"
            aria-pressed={reacted}
            aria-describedby={countId}
            aria-disabled={respectBusy || undefined}
            onClick={onRespect}
          >
            {t.respect}
          </button>
          <span id={countId} class="count">
            {comment.reactionCount}
          </span>
        </>
      )}
      {/* The author's Edit, from the features (loaded since sign-in), while the window is open. */}
      {canEdit && <Slot name="edit-button" props={{ open: () => onOpen('edit') }} />}
      {own && open('delete', t.delete)}
      {published &&
        !own &&
        (reported ? <span class="count">{t.reported}</span> : open('report', t.report))}
      {published && (
        <button type="button" data-action="link" onClick={copyLink}>
          {t.copyLink}
        </button>
      )}
      {published && !own && author && <Slot name="ignore" />}
      {linkShown && (
        // No clipboard here: the address, selected, for the reader to copy.
        <input
          class="link-field"
          readOnly
          value={linkShown}
          aria-label={t.commentLink}
          ref={(field) => {
            if (field && field !== (field.getRootNode() as ShadowRoot).activeElement) {
              field.focus();
              field.select();
            }
          }}
          onBlur={() => setLinkShown('')}
        />
      )}
    </div>
  );
}
