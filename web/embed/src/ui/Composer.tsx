/**
 * The form for a new top-level comment, shown to a signed-in reader while the story is open.
 */
import { Session } from '../state/session.js';
import { STORY } from '../state/thread-store.js';
import { useStoreValue } from '../state/use-store-value.js';
import { CommentForm } from './CommentForm.js';
import { commentSelector, useWidget } from './widget-context.js';

export function Composer() {
  const { t, session, store, thread, announcer, focus } = useWidget();
  const user = useStoreValue(session, Session.key, () => session.user);
  const closed = useStoreValue(store, STORY, () => store.story!.closed);

  if (closed) return <p class="note">{t.closed}</p>;
  if (!user) return null;

  const post = async (body: string, postAnyway: boolean) => {
    const comment = await thread.post(body, undefined, postAnyway);
    announcer.announce(comment.status === 'pending' ? t.announcePending : t.announcePosted);
    focus(commentSelector(comment.id));
  };

  return (
    <CommentForm
      className="composer"
      label={t.yourComment}
      submitLabel={t.postComment}
      onSubmit={post}
    />
  );
}
