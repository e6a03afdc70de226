/**
 * The comment thread of one story, normalised: each comment by id with the ids of the replies
 * shown under it, the top-level list with its cursor, and the story itself. Every change
 * notifies only the keys it touched, so one comment re-renders without the rest of the list.
 * The viewer's pending replies wait until the comment they belong under has been loaded.
 */
import type { CommentData, ListOrder, Story, ThreadComment, ThreadPage } from '../api/types.js';
import { Emitter } from './emitter.js';

export interface CommentEntry {
  readonly comment: CommentData;
  readonly childIds: readonly string[];
  readonly repliesCursor: string | null;
}

export interface RootList {
  readonly ids: readonly string[];
  readonly nextCursor: string | null;
  readonly sort: ListOrder;
  /** How many featured comments the story has (the Featured tab shows when there are some). */
  readonly featured: number;
}

export const ROOT: unique symbol = Symbol('root');
export const STORY: unique symbol = Symbol('story');
export type ThreadKey = string | typeof ROOT | typeof STORY;

export class ThreadStore extends Emitter<ThreadKey> {
  private readonly entries = new Map<string, CommentEntry>();
  private readonly pendingByParent = new Map<string, CommentData[]>();
  private rootList: RootList = { ids: [], nextCursor: null, sort: 'newest', featured: 0 };
  private currentStory: Story | null = null;

  get story(): Story | null {
    return this.currentStory;
  }

  get root(): RootList {
    return this.rootList;
  }

  entry(id: string): CommentEntry | undefined {
    return this.entries.get(id);
  }

  /** Replaces everything with the first page of a thread, the viewer's pending comments included. */
  reset(page: ThreadPage, sort: ListOrder): void {
    this.entries.clear();
    this.pendingByParent.clear();
    this.currentStory = page.story;
    this.rootList = {
      ids: this.addAll(page.comments),
      nextCursor: page.nextCursor,
      sort,
      featured: page.featuredCount || 0,
    };
    for (const pending of page.pending || []) {
      const parentId = threadParentId(pending);
      if (parentId === null || this.entries.has(parentId)) this.insert(pending);
      else
        this.pendingByParent.set(parentId, [
          ...(this.pendingByParent.get(parentId) || []),
          pending,
        ]);
    }
    this.emitAll();
  }

  appendPage(comments: readonly ThreadComment[], nextCursor: string | null): string[] {
    const added = this.addAll(comments);
    this.setRoot({ ids: [...this.rootList.ids, ...added], nextCursor });
    return added;
  }

  appendReplies(
    parentId: string,
    replies: readonly ThreadComment[],
    repliesCursor: string | null,
  ): string[] {
    const parent = this.entries.get(parentId);
    if (!parent) return [];
    const added = this.addAll(replies);
    this.setEntry({ ...parent, childIds: [...parent.childIds, ...added], repliesCursor });
    return added;
  }

  /** Shows one of the viewer's own comments (just posted, or pending): under its thread parent, or first. */
  insert(comment: CommentData): void {
    if (this.entries.has(comment.id)) return;
    this.entries.set(comment.id, { comment, childIds: [], repliesCursor: null });
    const parent = this.threadParent(comment);
    if (parent) {
      const replyCount = parent.comment.replyCount + 1;
      this.setEntry({
        ...parent,
        comment: { ...parent.comment, replyCount },
        childIds: [...parent.childIds, comment.id],
      });
    } else {
      this.setRoot({ ids: [comment.id, ...this.rootList.ids] });
    }
    if (comment.status === 'approved') this.adjustCommentCount(1);
  }

  /** Updates a comment in place, keeping the replies already shown under it. */
  replace(comment: CommentData): void {
    const entry = this.entries.get(comment.id);
    if (entry) this.setEntry({ ...entry, comment });
  }

  /**
   * Applies a deletion: a tombstone (a deleted comment that keeps its replies) stays in place;
   * without one, the comment leaves the thread and its parent counts one reply fewer.
   */
  remove(id: string, tombstone: CommentData | null): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (entry.comment.status === 'approved') this.adjustCommentCount(-1);
    if (tombstone) {
      this.setEntry({ ...entry, comment: tombstone });
      return;
    }
    this.entries.delete(id);
    const parent = this.threadParent(entry.comment);
    if (parent) {
      const replyCount = Math.max(parent.comment.replyCount - 1, 0);
      const childIds = parent.childIds.filter((childId) => childId !== id);
      this.setEntry({ ...parent, comment: { ...parent.comment, replyCount }, childIds });
    } else {
      this.setRoot({ ids: this.rootList.ids.filter((rootId) => rootId !== id) });
    }
  }

  setReaction(id: string, reactionCount: number, reacted: boolean): void {
    this.updateComment(id, (comment) => ({
      ...comment,
      reactionCount,
      viewer: { ...comment.viewer, reacted },
    }));
  }

  markReported(id: string): void {
    this.updateComment(id, (comment) => ({
      ...comment,
      viewer: { ...comment.viewer, reported: true },
    }));
  }

  private addAll(comments: readonly ThreadComment[]): string[] {
    const added: string[] = [];
    for (const comment of comments) {
      if (this.entries.has(comment.id)) continue;
      const { replies = [], repliesCursor = null, ...data } = comment;
      const childIds = [...this.addAll(replies), ...this.adoptPending(comment.id)];
      this.entries.set(comment.id, { comment: data, childIds, repliesCursor });
      added.push(comment.id);
    }
    return added;
  }

  /** Adds the viewer's pending replies that were waiting for this parent; returns their ids. */
  private adoptPending(parentId: string): string[] {
    const waiting = this.pendingByParent.get(parentId) || [];
    this.pendingByParent.delete(parentId);
    return waiting.map((pending) => {
      this.entries.set(pending.id, {
        comment: pending,
        childIds: this.adoptPending(pending.id),
        repliesCursor: null,
      });
      return pending.id;
    });
  }

  private threadParent(comment: CommentData): CommentEntry | undefined {
    const parentId = threadParentId(comment);
    return parentId === null ? undefined : this.entries.get(parentId);
  }

  private updateComment(id: string, change: (comment: CommentData) => CommentData): void {
    const entry = this.entries.get(id);
    if (entry) this.setEntry({ ...entry, comment: change(entry.comment) });
  }

  private setEntry(entry: CommentEntry): void {
    this.entries.set(entry.comment.id, entry);
    this.emit(entry.comment.id);
  }

  private setRoot(change: Partial<RootList>): void {
    this.rootList = { ...this.rootList, ...change };
    this.emit(ROOT);
  }

  private adjustCommentCount(delta: number): void {
    const story = this.currentStory;
    if (!story) return;
    this.currentStory = { ...story, commentCount: Math.max(story.commentCount + delta, 0) };
    this.emit(STORY);
  }
}

/** The comment under which a comment is shown. */
function threadParentId(comment: CommentData): string | null {
  return comment.threadParentId || comment.parentId;
}
