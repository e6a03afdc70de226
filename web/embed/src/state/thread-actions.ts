/**
 * What a reader can do with the thread: each action calls the API, then applies the answer to
 * the ThreadStore. Errors are left to the caller, which shows them next to the control used.
 */
import type { ApiClient } from '../api/client.js';
import type {
  CommentData,
  ListOrder,
  NoticeFields,
  ReportReason,
  StoryTarget,
} from '../api/types.js';
import { SORT_ORDERS } from '../api/types.js';
import type { SortOrder } from '../api/types.js';
import type { ThreadStore } from './thread-store.js';

/** A site's default order as the API says it, or newest when it says none the widget knows. */
export const siteSort = (value: string | undefined): SortOrder =>
  SORT_ORDERS.find((order) => order === value) || 'newest';

export type ThreadActions = ReturnType<typeof createThreadActions>;

export function createThreadActions(api: ApiClient, store: ThreadStore) {
  const storyId = (): string => {
    const story = store.story;
    if (!story) throw new Error('Parley: the story is not loaded yet');
    return story.id;
  };

  const load = async (id: string, sort: ListOrder): Promise<void> => {
    store.reset(await api.listComments(id, sort), sort);
  };

  return {
    /**
     * Resolves the story, then loads its first page once the viewer of its site is known too (the
     * thread carries per-viewer flags, and a stale token must be dropped before it is sent again).
     */
    open: async (
      target: StoryTarget,
      sort: ListOrder | undefined,
      viewerKnown: (siteId: string) => Promise<void>,
    ): Promise<void> => {
      const { story, site } = await api.resolveStory(target);
      await viewerKnown(story.siteId);
      await load(story.id, sort ?? siteSort(site.defaultSort));
    },

    reload: (sort: ListOrder = store.root.sort): Promise<void> => load(storyId(), sort),

    /** Returns the ids of the comments added, for focus and announcements. */
    loadMore: async (): Promise<string[]> => {
      const { nextCursor, sort } = store.root;
      if (!nextCursor) return [];
      const page = await api.listComments(storyId(), sort, nextCursor);
      return store.appendPage(page.comments, page.nextCursor);
    },

    loadReplies: async (parentId: string): Promise<string[]> => {
      // An empty cursor asks for the first page (a linked comment's, see ThreadStore.pin).
      const cursor = store.entry(parentId)?.repliesCursor;
      if (cursor == null) return [];
      const page = await api.listReplies(parentId, cursor);
      return store.appendReplies(parentId, page.comments, page.nextCursor);
    },

    /** Posts a comment, or a reply to parentId; postAnyway after the suggestion to revise. */
    post: async (body: string, parentId?: string, postAnyway?: boolean): Promise<CommentData> => {
      const { comment } = await api.postComment(storyId(), body, parentId, postAnyway);
      store.insert(comment);
      return comment;
    },

    edit: async (commentId: string, body: string): Promise<void> => {
      const { comment } = await api.editComment(commentId, body);
      store.replace(comment);
    },

    /** Deletes a comment; resolves to its tombstone, or null when it left the thread. */
    remove: async (commentId: string): Promise<CommentData | null> => {
      const { comment } = await api.deleteComment(commentId);
      store.remove(commentId, comment);
      return comment;
    },

    toggleReaction: async (commentId: string): Promise<void> => {
      const entry = store.entry(commentId);
      if (!entry) return;
      const result = await api.setReaction(commentId, !entry.comment.viewer.reacted);
      store.setReaction(commentId, result.reactionCount, result.reacted);
    },

    report: async (
      commentId: string,
      reason: ReportReason,
      note: string,
      notice?: NoticeFields,
    ): Promise<void> => {
      await api.report(commentId, reason, note.trim() || undefined, notice);
      store.markReported(commentId);
    },
  };
}
