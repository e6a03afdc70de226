/**
 * One comment (named "Comment by <author>"): byline, sanitised body (or tombstone), actions, and
 * whichever inline form the reader opened (reply, edit, delete confirmation, report). Owns the
 * comment's focus handling. The notification features add, for its author, why a held comment
 * waits and how long it may still be edited (Slot.tsx).
 */
import { useState } from 'preact/hooks';
import type { CommentData, NoticeFields, ReportReason } from '../api/types.js';
import { STORY } from '../state/thread-store.js';
import { useStoreValue } from '../state/use-store-value.js';
import { CommentActions } from './CommentActions.js';
import type { CommentMode } from './CommentActions.js';
import { CommentForm } from './CommentForm.js';
import { CommentMeta } from './CommentMeta.js';
import { DeleteConfirm } from './DeleteConfirm.js';
import { ErrorAlert } from './ErrorAlert.js';
import { ReportForm } from './ReportForm.js';
import { Slot } from './Slot.js';
import { memo } from './memo.js';
import { useAction } from './use-action.js';
import { useBeforeDeadline } from './use-deadline.js';
import { actionSelector, commentSelector, useWidget } from './widget-context.js';

const MODES_NEEDING_SIGN_IN: readonly CommentMode[] = ['reply', 'report'];

export const CommentArticle = memo(function CommentArticle({ comment }: { comment: CommentData }) {
  const { t, store, thread, session, announcer, requestSignIn, focus } = useWidget();
  const [mode, setMode] = useState<CommentMode>('read');
  const respect = useAction();
  const storyClosed = useStoreValue(store, STORY, () => store.story!.closed);
  const editWindowOpen = useBeforeDeadline(comment.editableUntil);
  const { id, rejection } = comment;

  if (comment.deleted) {
    return (
      <article class="comment" part="comment" data-comment-id={id} tabIndex={-1}>
        <p class="tombstone">{t.deleted}</p>
      </article>
    );
  }

  const open = (next: CommentMode) => {
    if (!session.user && MODES_NEEDING_SIGN_IN.includes(next)) requestSignIn();
    else setMode(next);
  };

  const close = (focusTarget: string) => {
    setMode('read');
    focus(focusTarget);
  };

  const toggleRespect = () => {
    if (!session.user) requestSignIn();
    else void respect.run(() => thread.toggleReaction(id));
  };

  const postReply = async (body: string, postAnyway: boolean) => {
    const reply = await thread.post(body, id, postAnyway);
    announcer.announce(reply.status === 'pending' ? t.announcePending : t.announcePosted);
    close(commentSelector(reply.id));
  };

  const saveEdit = async (body: string) => {
    await thread.edit(id, body);
    announcer.announce(t.announceUpdated);
    close(commentSelector(id));
  };

  const confirmDelete = async () => {
    const result = await thread.remove(id);
    announcer.announce(t.announceDeleted);
    close(result ? commentSelector(id) : '.heading');
  };

  const sendReport = async (reason: ReportReason, note: string, notice?: NoticeFields) => {
    await thread.report(id, reason, note, notice);
    announcer.announce(t.announceReported);
    close(commentSelector(id));
  };

  return (
    <article
      class={`comment is-${comment.status}`}
      part="comment"
      data-comment-id={id}
      tabIndex={-1}
      aria-label={comment.author ? t.commentBy(comment.author.displayName) : undefined}
    >
      <CommentMeta comment={comment} />
      {mode === 'edit' ? (
        <CommentForm
          label={t.yourComment}
          submitLabel={t.save}
          initialBody={comment.body || ''}
          autoFocus
          onSubmit={saveEdit}
          onCancel={() => close(actionSelector(id, 'edit'))}
        />
      ) : (
        <>
          <div
            class="body"
            part="comment-body"
            dir="auto"
            dangerouslySetInnerHTML={{ __html: comment.html }}
          />
          {rejection && (
            // The moderator's statement of reasons, as text: the note is never markup.
            <p class="error">
              <strong>
                {(t.reasons as Partial<Record<string, string>>)[rejection.code.toLowerCase()] ||
                  rejection.code}
              </strong>{' '}
              {rejection.note && <q dir="auto">{rejection.note}</q>}
            </p>
          )}
          {rejection && <Slot name="appeal" />}
          {comment.status === 'pending' && <Slot name="held" />}
          <CommentActions
            comment={comment}
            mode={mode}
            canReply={comment.status === 'approved' && !storyClosed}
            canEdit={comment.viewer.own && editWindowOpen}
            respectBusy={respect.busy}
            onOpen={open}
            onRespect={toggleRespect}
          />
          {comment.viewer.own && editWindowOpen && <Slot name="edit-time" />}
        </>
      )}
      <ErrorAlert message={respect.error} />
      {mode === 'reply' && (
        <CommentForm
          className="panel"
          label={t.yourReply}
          submitLabel={t.postReply}
          autoFocus
          onSubmit={postReply}
          onCancel={() => close(actionSelector(id, 'reply'))}
        />
      )}
      {mode === 'delete' && (
        <DeleteConfirm
          onConfirm={confirmDelete}
          onCancel={() => close(actionSelector(id, 'delete'))}
        />
      )}
      {mode === 'report' && (
        <ReportForm onSubmit={sendReport} onCancel={() => close(actionSelector(id, 'report'))} />
      )}
    </article>
  );
});
