/**
 * The comment thread of one story, normalised: each comment by id with the ids of the replies
 * shown under it, the top-level list with its cursor, and the story itself. Every change
 * notifies only the keys it touched, so one comment re-renders without the rest of the list.
 * The viewer's pending replies wait until the comment they belong under has been loaded.
 * Live events (see live.ts) land here too: each updates the one comment it names, and new
 * top-level comments of others wait in a queue behind the "new comments" button (key NEW). A
 * linked comment is shown with the comments it answers even when their pages are not loaded (pin).
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
/** The number of new comments waiting behind the "new comments" button. */
export const NEW: unique symbol = Symbol('new');
export type ThreadKey = string | typeof ROOT | typeof STORY | typeof NEW;

export class ThreadStore extends Emitter<ThreadKey> {
  private readonly entries = new Map<string, CommentEntry>();
  private readonly pendingByParent = new Map<string, CommentData[]>();
  private rootList: RootList = { ids: [], nextCursor: null, sort: 'newest', featured: 0 };
  private currentStory: Story | null = null;
  /** New comments from live events, in the order they came, not shown yet (replies to them too). */
  private queued: CommentData[] = [];
  /** How much the story's count grew by, when it is polled instead of streamed. */
  private unseen = 0;
  private fresh = 0;
  /** A linked comment and the comments it answers, root first (see pin). */
  private linked: readonly CommentData[] = [];

  get story(): Story | null {
    return this.currentStory;
  }

  get root(): RootList {
    return this.rootList;
  }

  entry(id: string): CommentEntry | undefined {
    return this.entries.get(id);
  }

  /** How many new comments the "new comments" button offers. */
  get newCount(): number {
    return this.fresh;
  }

  /** Whether revealing the new comments needs the first page again (they are not all here). */
  get newNeedsReload(): boolean {
    return this.unseen > 0 || this.rootList.sort !== 'newest';
  }

  /** Replaces everything with the first page of a thread, the viewer's pending comments included. */
  reset(page: ThreadPage, sort: ListOrder): void {
    this.entries.clear();
    this.pendingByParent.clear();
    this.queued = [];
    this.unseen = this.fresh = 0;
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
    this.pin(this.linked);
    this.emitAll();
  }

  /**
   * Shows a linked comment (the last of `chain`) under the comments it answers (the rest, root
   * first), wherever their pages are: what is not loaded joins its thread parent, counting nothing,
   * and a root that is not joins the top of the list. A comment added so shows no replies but
   * offers them from their first page (an empty cursor). Kept through reloads until another chain
   * (or none) is pinned.
   */
  pin(chain: readonly CommentData[]): void {
    this.linked = chain;
    for (const comment of chain) {
      if (this.entries.has(comment.id)) continue;
      const repliesCursor = comment.replyCount > 0 ? '' : null;
      this.entries.set(comment.id, { comment, childIds: [], repliesCursor });
      const parent = this.threadParent(comment);
      if (parent) this.setEntry({ ...parent, childIds: [...parent.childIds, comment.id] });
      else this.setRoot({ ids: [comment.id, ...this.rootList.ids] });
    }
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

  /**
   * Shows a comment under its thread parent, or first: one of the viewer's own (just posted, or
   * pending), or one from a live event (not counted: the story's count comes in its own event).
   */
  insert(comment: CommentData, counted = true): void {
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
    if (counted && comment.status === 'approved') this.adjustCommentCount(1);
  }

  /**
   * Applies a comment from a live event (an upsert). One on the page is updated in place, keeping
   * the viewer's marks (events do not carry them). Of one not here yet (isNew: created or
   * approved; an edit of a comment that is not loaded is no news), a reply joins its parent when
   * the parent shows all its replies, else counts as one more reply to load; the viewer's own
   * comment is shown at once; another's waits in the queue. Returns whether a top-level comment
   * was queued.
   */
  receive(comment: CommentData, isNew: boolean): boolean {
    const { id, viewer } = comment;
    const entry = this.entries.get(id);
    if (entry) {
      const { reacted, reported } = entry.comment.viewer;
      this.setEntry({
        ...entry,
        comment: { ...comment, viewer: { ...viewer, reacted, reported } },
      });
      return false;
    }
    const at = this.queued.findIndex((queued) => queued.id === id);
    if (at >= 0) this.queued[at] = comment;
    if (at >= 0 || !isNew) return false;
    const parentId = threadParentId(comment);
    const parent = parentId === null ? undefined : this.entries.get(parentId);
    if (parent && !viewer.own && parent.repliesCursor) {
      const replyCount = parent.comment.replyCount + 1;
      this.setEntry({ ...parent, comment: { ...parent.comment, replyCount } });
    } else if (parent || (viewer.own && parentId === null)) {
      this.insert(comment, false);
    } else if (
      parentId === null
        ? this.rootList.sort !== 'featured' || comment.featured
        : this.queued.some((queued) => queued.id === parentId)
    ) {
      this.queued.push(comment);
      this.countNew();
      return parentId === null;
    }
    return false;
  }

  /** Applies a live removal: a queued comment leaves the queue, a shown one the thread. */
  discard(id: string, tombstone: CommentData | null): void {
    const before = this.queued.length;
    this.queued = this.queued.filter((queued) => queued.id !== id);
    if (this.queued.length < before) this.countNew();
    else this.remove(id, tombstone);
  }

  /** Shows the queued comments (the newest first); returns the ids of the top-level ones. */
  revealNew(): string[] {
    const shown = this.queued;
    this.queued = [];
    shown.forEach((comment) => this.insert(comment, false));
    this.countNew();
    return shown.filter((comment) => threadParentId(comment) === null).map(({ id }) => id);
  }

  /** The story's count grew by this much since the thread was loaded (when polled). */
  setUnseen(count: number): void {
    this.unseen = Math.max(count, 0);
    this.countNew();
  }

  setCommentCount(commentCount: number): void {
    if (this.currentStory) this.currentStory = { ...this.currentStory, commentCount };
    this.emit(STORY);
  }

  setReactionCount(id: string, reactionCount: number): void {
    this.updateComment(id, (comment) => ({ ...comment, reactionCount }));
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

  private countNew(): void {
    const count =
      this.unseen || this.queued.filter((comment) => threadParentId(comment) === null).length;
    if (count !== this.fresh) {
      this.fresh = count;
      this.emit(NEW);
    }
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
