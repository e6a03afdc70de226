/**
 * The forms the widget's Slots ask for (../features.tsx), which only a signed-in reader uses: the
 * composer of a new comment, and under a comment (given the comment and how to close the form,
 * CommentFormProps) a reply, an edit, the question before deleting, a report. Each sends its
 * request, says what happened through the live region, closes, and moves focus to what changed
 * (or, cancelled, back to the button that opened it).
 */
import type { NoticeFields, ReportReason } from '../../api/types.js';
import type { CommentFormProps } from '../../state/features.js';
import { actionSelector, commentSelector } from '../../ui/widget-context.js';
import { useNotify } from '../shared.js';
import { CommentForm } from './CommentForm.js';
import { DeleteConfirm } from './DeleteConfirm.js';
import { ReportForm } from './ReportForm.js';

export function Composer() {
  const { t, host } = useNotify();
  const post = async (body: string, postAnyway: boolean) => {
    const comment = await host.thread.post(body, undefined, postAnyway);
    host.announcer.announce(comment.status === 'pending' ? t.announcePending : t.announcePosted);
    host.focus(commentSelector(comment.id));
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

/** The form `name` ("reply", "edit", "delete" or "report") under a comment. */
export function CommentForms({ name, comment, close }: CommentFormProps & { name: string }) {
  const { t, host } = useNotify();
  const { thread, announcer, focus } = host;
  const { id } = comment;
  const done = (said: string, focusOn: string) => {
    announcer.announce(said);
    close();
    focus(focusOn);
  };
  const cancel = () => {
    close();
    focus(actionSelector(id, name));
  };

  switch (name) {
    case 'reply':
      return (
        <CommentForm
          className="panel"
          label={t.yourReply}
          submitLabel={t.postReply}
          autoFocus
          onSubmit={async (body, postAnyway) => {
            const reply = await thread.post(body, id, postAnyway);
            done(
              reply.status === 'pending' ? t.announcePending : t.announcePosted,
              commentSelector(reply.id),
            );
          }}
          onCancel={cancel}
        />
      );
    case 'edit':
      return (
        <CommentForm
          label={t.yourComment}
          submitLabel={t.save}
          initialBody={comment.body || ''}
          autoFocus
          onSubmit={async (body) => {
            await thread.edit(id, body);
            done(t.announceUpdated, commentSelector(id));
          }}
          onCancel={cancel}
        />
      );
    case 'delete':
      return (
        <DeleteConfirm
          onConfirm={async () => {
            const tombstone = await thread.remove(id);
            done(t.announceDeleted, tombstone ? commentSelector(id) : '.heading');
          }}
          onCancel={cancel}
        />
      );
    case 'report':
      return (
        <ReportForm
          onSubmit={async (reason: ReportReason, note: string, notice?: NoticeFields) => {
            await thread.report(id, reason, note, notice);
            done(t.announceReported, commentSelector(id));
          }}
          onCancel={cancel}
        />
      );
    default:
      return null;
  }
}
