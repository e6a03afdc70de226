/**
 * The actions of a signed-in reader's forms and notices (the widget's WriteActions and
 * NoticeActions: post, edit, delete, respect, report; resend the address check, acknowledge a warning),
 * added to the widget's thread and auth actions when this module first renders for it. Only what
 * this module shows calls them, so they are here rather than in the widget's first-paint file.
 * Each calls the API, then applies the answer to the thread store; errors are left to the caller.
 */
import type { CommentData, ReactionResult, User } from '../api/types.js';
import type { NoticeActions } from '../state/auth-actions.js';
import type { WriteActions } from '../state/thread-actions.js';
import type { Widget } from '../ui/widget-context.js';

export function addWrites({ api, store, thread, auth, session }: Widget): void {
  const comment = (id: string) => `/comments/${encodeURIComponent(id)}`;
  const writes: WriteActions = {
    post: async (body, parentId, postAnyway) => {
      const story = store.story;
      if (!story) throw new Error('Parley: the story is not loaded yet');
      const { comment: posted } = await api.call<{ comment: CommentData }>(
        'POST',
        `/stories/${encodeURIComponent(story.id)}/comments`,
        // postAnyway: the author was asked to revise this draft and posts it as it is.
        { body, parentId, postAnyway: postAnyway || undefined },
      );
      store.insert(posted);
      return posted;
    },
    edit: async (id, body) => {
      const { comment: edited } = await api.call<{ comment: CommentData }>('PATCH', comment(id), {
        body,
      });
      store.replace(edited);
    },
    remove: async (id) => {
      const { comment: tombstone } = await api.call<{ comment: CommentData | null }>(
        'DELETE',
        comment(id),
      );
      store.remove(id, tombstone);
      return tombstone;
    },
    toggleReaction: async (id) => {
      const entry = store.entry(id);
      if (!entry) return;
      const { reactionCount, reacted } = await api.call<ReactionResult>(
        entry.comment.viewer.reacted ? 'DELETE' : 'PUT',
        `${comment(id)}/reaction`,
      );
      store.setReaction(id, reactionCount, reacted);
    },
    report: async (id, reason, note, notice) => {
      await api.call<void>('POST', `${comment(id)}/reports`, {
        reason,
        note: note.trim() || undefined,
        ...notice,
      });
      store.markReported(id);
    },
  };
  const notices: NoticeActions = {
    resendVerification: () => api.call<void>('POST', '/auth/verify-email/resend'),
    acknowledgeWarning: async () => {
      session.setUser(
        (await api.call<{ user: User }>('POST', '/auth/me/warning/acknowledge')).user,
      );
    },
  };
  Object.assign(thread, writes);
  Object.assign(auth, notices);
}
