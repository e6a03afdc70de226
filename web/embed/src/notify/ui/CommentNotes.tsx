/**
 * What the author of a comment is told about it, under the comment (its Slot carries no props: the
 * comment is the one whose article holds the slot): why a held comment waits, its reason codes
 * turned into plain words; and how long it may still be edited ("You can edit for 4 more
 * minutes"), updated as the minutes pass and gone when the window closes, like its Edit button.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CommentData } from '../../api/types.js';
import { useStoreValue } from '../../state/use-store-value.js';
import { useNotify } from '../shared.js';

const MINUTE_MS = 60_000;

/** The comment whose article holds `slot`, kept up to date. */
function useComment(slot: HTMLElement): CommentData | null {
  const { host } = useNotify();
  const article = slot.closest('[data-comment-id]');
  const id = (article && article.getAttribute('data-comment-id')) || '';
  const entry = useStoreValue(host.store, id, () => host.store.entry(id));
  return entry ? entry.comment : null;
}

/** The held comment's reasons in words, each said once (several codes may share a sentence). */
export function heldSentences(
  reasons: readonly string[],
  held: Partial<Record<string, string>>,
  other: string,
): string[] {
  const sentences = reasons.map((code) => held[code] || other);
  return sentences.length ? [...new Set(sentences)] : [other];
}

export function HeldReasons({ slot }: { slot: HTMLElement }) {
  const { t } = useNotify();
  const comment = useComment(slot);
  if (!comment || comment.status !== 'pending' || !comment.viewer.own) return null;
  const sentences = heldSentences(comment.held ? comment.held.reasons : [], t.held, t.heldOther);
  return (
    <p class="held">
      <strong>{t.heldWhy}</strong> {sentences.join(' ')}
    </p>
  );
}

/**
 * The comment whose article holds `slot`, and how long (ms) it may still be edited, re-rendering
 * as the minutes pass and when the window closes.
 */
function useEditWindow(slot: HTMLElement): [CommentData | null, number] {
  const comment = useComment(slot);
  const [now, setNow] = useState(Date.now);
  const until = comment && comment.editableUntil ? Date.parse(comment.editableUntil) : 0;
  const left = until - now;

  useEffect(() => {
    if (left <= 0) return undefined;
    // Wakes when the rounded-up count of minutes changes, and at the end.
    const timer = setTimeout(() => setNow(Date.now()), (left % MINUTE_MS || MINUTE_MS) + 20);
    return () => clearTimeout(timer);
  }, [now, until]);
  return [comment, left];
}

export function EditTime({ slot }: { slot: HTMLElement }) {
  const { t } = useNotify();
  const [comment, left] = useEditWindow(slot);
  if (!comment || !comment.viewer.own || left <= 0) return null;
  return <p class="edit-time">{t.editTime(Math.ceil(left / MINUTE_MS))}</p>;
}

/**
 * The author's Edit button among their comment's actions (the widget's "edit-button" Slot), while
 * the comment may still be edited; `open` opens the edit form in its place.
 */
export function EditButton({ slot, open }: { slot: HTMLElement; open: () => void }) {
  const { host } = useNotify();
  const [comment, left] = useEditWindow(slot);
  if (!comment || !comment.viewer.own || left <= 0) return null;
  return (
    <button type="button" data-action="edit" onClick={open}>
      {host.t.edit}
    </button>
  );
}
