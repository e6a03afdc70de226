/**
 * Reading threads: a page of top-level comments with each one's first replies, and further pages
 * of replies, with what the viewer has reacted to and reported. Every query is an index range
 * scan; a page costs the same however long the story. The server's presenters turn the result
 * into JSON.
 */
import { decodeCursor, encodeCursor, type Sort } from '../domain/thread.ts';
import type { Store } from '../store/db.ts';
import type { CommentRecord, User } from '../store/rows.ts';
import {
  countFeatured,
  listFeatured,
  listFirstReplies,
  listOwnUnpublished,
  listPinned,
  listThread,
  viewerMarks,
} from '../store/comments.ts';

export const FIRST_REPLIES = 3;

/**
 * The orders of a story's thread, plus its featured comments: those moderators picked (replies
 * included), newest first, each with its first replies like any thread entry. Featured pages go
 * by id like `newest`, so they share its cursor format.
 */
export type ThreadSort = Sort | 'featured';

export interface ViewerMarks {
  reacted: Set<string>;
  reported: Set<string>;
}

export const noMarks: ViewerMarks = { reacted: new Set(), reported: new Set() };

function cursorAfter(
  comment: CommentRecord | undefined,
  sort: Sort,
  more: boolean,
  bestKeys?: Map<string, number>,
): string | null {
  if (!comment || !more) return null;
  const key =
    sort === 'replies'
      ? comment.replyCount
      : sort === 'reactions'
        ? comment.reactionCount
        : sort === 'best'
          ? (bestKeys?.get(comment.id) ?? null)
          : null;
  return encodeCursor({ sort, key, id: comment.id });
}

/** What the viewer has reacted to and reported among `comments` (nothing for a stranger). */
export async function readMarks(
  store: Store,
  viewer: User | null,
  comments: CommentRecord[],
): Promise<ViewerMarks> {
  if (!viewer || comments.length === 0) return noMarks;
  return viewerMarks(
    store.db,
    viewer.id,
    comments.map((c) => c.id),
  );
}

export interface ThreadEntry {
  comment: CommentRecord;
  replies: CommentRecord[];
  repliesCursor: string | null;
  /** Set on the comments the site pins above its default order (docs/sorting.md). */
  pinned?: boolean;
}

/** A page of a thread as every reader sees it. */
export interface ThreadPage {
  entries: ThreadEntry[];
  nextCursor: string | null;
  /** How many featured comments the story has (first pages only: it decides the widget's tab). */
  featuredCount?: number;
}

/** What only the signed-in viewer sees on that page. */
export interface ViewerOverlay {
  /** The viewer's own comments awaiting review or rejected (first page only). */
  pending: CommentRecord[];
  marks: ViewerMarks;
}

export const anonymousOverlay: ViewerOverlay = { pending: [], marks: noMarks };

/** At most this many comments are pinned above a site's default order. */
export const MAX_PINNED = 5;

export async function readThread(
  store: Store,
  input: {
    storyId: string;
    sort: ThreadSort;
    cursor?: string;
    limit: number;
    /**
     * The site pins its newsroom's and featured comments above this order (it is the site's
     * default, and pinning is on): they lead the first page, marked, and no page lists them again.
     */
    pin?: boolean;
  },
): Promise<ThreadPage> {
  const { storyId, limit } = input;
  const sort = input.sort === 'featured' ? 'newest' : input.sort;
  const cursor = input.cursor ? decodeCursor(input.cursor, sort) : null;
  const pinned =
    input.pin && input.sort !== 'featured' ? await listPinned(store.db, storyId, MAX_PINNED) : [];
  const exclude = pinned.map((c) => c.id);
  const [page, featuredCount]: [Awaited<ReturnType<typeof listThread>>, number | undefined] =
    await Promise.all([
      input.sort === 'featured'
        ? listFeatured(store.db, { storyId, cursor, limit })
        : listThread(store.db, { storyId, threadParentId: null, sort, cursor, limit, exclude }),
      input.cursor ? undefined : countFeatured(store.db, storyId),
    ]);
  const shown = cursor ? page.comments : [...pinned, ...page.comments];
  const withReplies = shown.filter((c) => c.replyCount > 0).map((c) => c.id);
  const replies = await listFirstReplies(store.db, withReplies, FIRST_REPLIES);
  const pinnedIds = new Set(cursor ? [] : exclude);
  return {
    entries: shown.map((comment) => {
      const first = replies.get(comment.id) ?? [];
      return {
        comment,
        replies: first,
        repliesCursor: cursorAfter(first.at(-1), 'oldest', comment.replyCount > first.length),
        ...(pinnedIds.has(comment.id) && { pinned: true }),
      };
    }),
    nextCursor: cursorAfter(page.last, sort, page.more, page.bestKeys),
    ...(featuredCount !== undefined && { featuredCount }),
  };
}

/** The viewer's marks on a page, and on its first page their comments awaiting review. */
export async function readViewerOverlay(
  store: Store,
  input: { storyId: string; viewer: User; page: ThreadPage; firstPage: boolean },
): Promise<ViewerOverlay> {
  const pending = input.firstPage
    ? await listOwnUnpublished(store.db, input.storyId, input.viewer.id)
    : [];
  const shown = input.page.entries.flatMap((e) => [e.comment, ...e.replies]);
  return { pending, marks: await readMarks(store, input.viewer, [...shown, ...pending]) };
}

/** A page of the replies shown under a comment, as every reader sees it. */
export interface RepliesPage {
  comments: CommentRecord[];
  nextCursor: string | null;
}

/**
 * Where a shown comment's replies are read from when none came with it: replies of replies (the
 * thread page brings the first replies of top-level comments only) and every comment of a reply
 * page. It is the start of its replies, oldest first, so a reader can open the replies at every
 * depth; null when it has none.
 */
export function unopenedRepliesCursor(comment: CommentRecord): string | null {
  return comment.replyCount > 0 ? FROM_START : null;
}

/** Before every id: ids are ULIDs, 26 characters of Crockford base32. */
const FROM_START = encodeCursor({ sort: 'oldest', key: null, id: '0'.repeat(26) });

export async function readReplies(
  store: Store,
  input: { parent: CommentRecord; cursor?: string; limit: number },
): Promise<RepliesPage> {
  const page = await listThread(store.db, {
    storyId: input.parent.storyId,
    threadParentId: input.parent.id,
    sort: 'oldest',
    cursor: input.cursor ? decodeCursor(input.cursor, 'oldest') : null,
    limit: input.limit,
  });
  return { comments: page.comments, nextCursor: cursorAfter(page.last, 'oldest', page.more) };
}
