/**
 * The row of buttons under a comment. A button whose form is open is hidden while the form shows,
 * so each label names exactly one control of the comment.
 */
import { useId } from 'preact/hooks';
import type { CommentData } from '../api/types.js';
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
  const { t } = useWidget();
  const countId = useId();
  const { own, reacted, reported } = comment.viewer;
  const published = comment.status === 'approved';

  const open = (target: CommentMode, label: string) =>
    mode !== target && (
      <button type="button" data-action={target} onClick={() => onOpen(target)}>
        {label}
      </button>
    );

  return (
    <div class="actions">
      {canReply && open('reply', t.reply)}
      {published && (
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
      {canEdit && open('edit', t.edit)}
      {own && open('delete', t.delete)}
      {published &&
        !own &&
        (reported ? <span class="count">{t.reported}</span> : open('report', t.report))}
    </div>
  );
}
