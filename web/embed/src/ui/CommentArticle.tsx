/**
 * One comment (named "Comment by <author>"): byline, sanitised body (or tombstone), actions, and
 * whichever inline form the reader opened (reply, edit, delete confirmation, report). The forms
 * are the notification features' (Slot.tsx), loaded once a reader is signed in, as only a
 * signed-in reader opens one; each closes itself and moves focus where it belongs. The features
 * add too, for the comment's author, why a held comment waits and how long it may still be edited.
 */
import { useState } from 'preact/hooks';
import type { CommentData } from '../api/types.js';
import type { CommentFormProps } from '../state/features.js';
import { STORY } from '../state/thread-store.js';
import { useStoreValue } from '../state/use-store-value.js';
import { CommentActions } from './CommentActions.js';
import type { CommentMode } from './CommentActions.js';
import { CommentMeta } from './CommentMeta.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Slot } from './Slot.js';
import { memo } from './memo.js';
import { useAction } from './use-action.js';
import { useWidget } from './widget-context.js';

const MODES_NEEDING_SIGN_IN: readonly CommentMode[] = ['reply', 'report'];

export const CommentArticle = memo(function CommentArticle({ comment }: { comment: CommentData }) {
  const { t, store, thread, session, features, requestSignIn } = useWidget();
  const [mode, setMode] = useState<CommentMode>('read');
  const respect = useAction();
  const storyClosed = useStoreValue(store, STORY, () => store.story!.closed);
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

  const toggleRespect = () => {
    if (!session.user) requestSignIn();
    // A signed-in reader's actions are the features' (notify/writes.ts), loading since sign-in.
    else void respect.run(() => features.ready.then(() => thread.toggleReaction(id)));
  };

  // The open form, the notification features' (they load once a reader is signed in).
  const form: CommentFormProps = { comment, close: () => setMode('read') };

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
        <Slot name="edit" props={form} />
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
            canEdit={comment.viewer.own && !!comment.editableUntil}
            respectBusy={respect.busy}
            onOpen={open}
            onRespect={toggleRespect}
          />
          {/* Gone once the edit window closes, like the Edit button (both the features'). */}
          {comment.viewer.own && <Slot name="edit-time" />}
        </>
      )}
      <ErrorAlert message={respect.error} />
      {mode !== 'read' && mode !== 'edit' && <Slot key={mode} name={mode} props={form} />}
    </article>
  );
});
