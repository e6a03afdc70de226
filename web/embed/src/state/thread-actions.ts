/**
 * What a reader can do with the thread: each action calls the API, then applies the answer to
 * the ThreadStore. Errors are left to the caller, which shows them next to the control used.
 * What only a signed-in reader does (WriteActions: post, edit, delete, respect, report) is added by
 * the features' module, which holds those forms (notify/writes.ts), so the widget's first-paint
 * file does not carry it.
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

/** The actions of the comment forms, added by the features' module (notify/writes.ts). */
export interface WriteActions {
  /** Posts a comment, or a reply to parentId; postAnyway after the suggestion to revise. */
  post(body: string, parentId?: string, postAnyway?: boolean): Promise<CommentData>;
  edit(commentId: string, body: string): Promise<void>;
  /** Deletes a comment; resolves to its tombstone, or null when it left the thread. */
  remove(commentId: string): Promise<CommentData | null>;
  /** Gives the comment the reader's respect, or takes it back. */
  toggleReaction(commentId: string): Promise<void>;
  report(
    commentId: string,
    reason: ReportReason,
    note: string,
    notice?: NoticeFields,
  ): Promise<void>;
}

export function createThreadActions(api: ApiClient, store: ThreadStore) {
  const storyId = (): string => {
    const story = store.story;
    if (!story) throw new Error('Parley: the story is not loaded yet');
    return story.id;
  };

  const load = async (id: string, sort: ListOrder): Promise<void> => {
    store.reset(await api.listComments(id, sort), sort);
  };

  const actions = {
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
  };
  return actions as typeof actions & WriteActions;
}
