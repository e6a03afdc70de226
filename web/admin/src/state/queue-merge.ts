/**
 * Folding a freshly polled first page of a queue (or one item from the live feed) into the list a
 * moderator is working through, without moving what they are looking at: items already shown keep
 * their place (their data is refreshed), items that left the queue elsewhere disappear (except the
 * selected one, which is only marked), and new items are appended at the end, or, in the
 * newest-first queues, held back until the moderator asks to see them.
 */
import type { ModerationItem, QueueName } from '../api/types.js';

export type QueueOrder = 'oldest' | 'newest';

/** `pending` and `reported` are worked from the front (oldest first); the others newest first. */
export const queueOrder = (queue: QueueName): QueueOrder =>
  queue === 'pending' || queue === 'reported' ? 'oldest' : 'newest';

export interface MergeInput {
  readonly current: readonly ModerationItem[];
  /** Items that arrived earlier and are still held back (newest-first queues). */
  readonly held: readonly ModerationItem[];
  readonly fresh: readonly ModerationItem[];
  /** Whether `fresh` is the whole queue (the page had no next cursor). */
  readonly freshComplete: boolean;
  readonly order: QueueOrder;
  /** The selected comment: never removed, only reported as gone. */
  readonly keepId: string | null;
}

export interface MergeResult {
  readonly items: ModerationItem[];
  readonly held: ModerationItem[];
  /** Items appended to `items` by this merge. */
  readonly added: ModerationItem[];
  /** Ids of shown items that are no longer in the queue. */
  readonly gone: string[];
}

const sortKey = (item: ModerationItem) => `${item.comment.createdAt}\u0000${item.comment.id}`;

export function mergeQueue(input: MergeInput): MergeResult {
  const freshById = new Map(input.fresh.map((item) => [item.comment.id, item]));
  const last = input.fresh[input.fresh.length - 1];
  // A shown item missing from the fresh page has left the queue when the page covers the whole
  // queue, or covers the item's place in the order.
  const covered = (item: ModerationItem): boolean => {
    if (input.freshComplete) return true;
    if (!last) return false;
    return input.order === 'oldest'
      ? sortKey(item) <= sortKey(last)
      : sortKey(item) >= sortKey(last);
  };

  const items: ModerationItem[] = [];
  const gone: string[] = [];
  for (const item of input.current) {
    const update = freshById.get(item.comment.id);
    if (update) items.push(update);
    else if (!covered(item)) items.push(item);
    else {
      gone.push(item.comment.id);
      if (item.comment.id === input.keepId) items.push(item);
    }
  }

  const shown = new Set(input.current.map((item) => item.comment.id));
  const heldIds = new Set(input.held.map((item) => item.comment.id));
  const arrivals = input.fresh.filter((item) => !shown.has(item.comment.id));
  if (input.order === 'oldest') {
    return { items: [...items, ...arrivals], held: [], added: arrivals, gone };
  }
  const held = [
    ...input.held.filter((item) => freshById.has(item.comment.id) || !covered(item)),
    ...arrivals.filter((item) => !heldIds.has(item.comment.id)),
  ];
  return { items, held, added: [], gone };
}

export interface LiveResult {
  readonly items: ModerationItem[];
  /** Whether the item was appended (it was not shown yet). */
  readonly added: boolean;
}

/**
 * Folds one item the live feed announced into the list: refreshed in place when it is shown
 * already (a poll brought it first, or it was edited while waiting), otherwise appended at the end,
 * like a poll's arrivals, but only when the list shows the whole queue (`complete`); in a longer
 * queue it comes with the next page. Never a duplicate, whichever of poll and event comes first.
 */
export function insertLive(
  current: readonly ModerationItem[],
  item: ModerationItem,
  complete: boolean,
): LiveResult {
  const id = item.comment.id;
  if (current.some((shown) => shown.comment.id === id)) {
    return {
      items: current.map((shown) => (shown.comment.id === id ? item : shown)),
      added: false,
    };
  }
  if (!complete) return { items: [...current], added: false };
  return { items: [...current, item], added: true };
}

/** Adds the next page under the list, skipping items that polling already appended. */
export function appendPage(
  current: readonly ModerationItem[],
  page: readonly ModerationItem[],
): ModerationItem[] {
  const shown = new Set(current.map((item) => item.comment.id));
  return [...current, ...page.filter((item) => !shown.has(item.comment.id))];
}

/** Whether a comment, as the server now describes it, still belongs in the queue. */
export function belongsTo(queue: QueueName, item: ModerationItem, decided: boolean): boolean {
  const { status, featured, reviewed } = item.comment;
  switch (queue) {
    case 'pending':
      return status === 'pending';
    case 'reported':
      // A moderator's decision settles the reports.
      return status === 'approved' && !decided && item.comment.reports.open > 0;
    case 'unmoderated':
      return status === 'approved' && !reviewed && !decided;
    case 'approved':
      return status === 'approved';
    case 'rejected':
      return status === 'rejected';
    case 'featured':
      return status === 'approved' && featured;
    case 'illegal':
      // As for reports: a decision settles the notice.
      return (
        status === 'approved' &&
        !decided &&
        item.comment.reports.open > 0 &&
        (item.comment.illegalNotices?.length ?? 0) > 0
      );
    case 'appeals':
      return item.comment.appeal?.state === 'open';
    // Q&A (docs/qa.md): held questions, and published ones not yet answered.
    case 'questions':
      return status === 'pending';
    case 'unanswered':
      return status === 'approved' && !decided;
  }
}
