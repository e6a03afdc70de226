/**
 * What the moderator has picked in the workspace's list: the selected comment (kept on the same
 * comment while the list changes; when it leaves, the next one takes its place), the ticked ones
 * for bulk actions, where keyboard focus goes, and on a phone whether the details have the screen
 * (the list and the details take turns below 760 px; wider screens ignore `detailsOpen`).
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { WorkspaceProps } from './Workspace.js';

/** Where the list and the details take turns (styles.css has the same width). */
const NARROW = '(max-width: 759.98px)';
export const isNarrow = () => typeof matchMedia === 'function' && matchMedia(NARROW).matches;

export type Selection = ReturnType<typeof useSelection>;

export function useSelection(
  props: Pick<WorkspaceProps, 'items' | 'hasMore' | 'onLoadMore' | 'onSelectionChange'>,
) {
  const { items } = props;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  /** On a phone: the details are shown instead of the list. */
  const [detailsOpen, setDetailsOpen] = useState(false);
  const lastIndex = useRef(0);
  // A link from an alert names its comment (?comment=…): selected once the list holds it.
  const selectAfterReload = useRef<string | null>(
    new URLSearchParams(location.search).get('comment'),
  );
  /** The comment to focus once it is selected (set by keyboard moves). */
  const focusTarget = useRef<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  const selected = items.find((item) => item.comment.id === selectedId) ?? null;

  // Keep the selection on the same comment; when it leaves, the next one takes its place.
  useLayoutEffect(() => {
    const wanted = selectAfterReload.current;
    if (wanted && items.some((item) => item.comment.id === wanted)) {
      selectAfterReload.current = null;
      setSelectedId(wanted);
      return;
    }
    const index = items.findIndex((item) => item.comment.id === selectedId);
    if (index >= 0) {
      lastIndex.current = index;
      return;
    }
    const next = items[Math.min(lastIndex.current, items.length - 1)];
    // The focused comment left the list (focus fell to the page): focus its successor.
    const active = document.activeElement;
    if (next && selectedId && (!active || active === document.body)) {
      focusTarget.current = next.comment.id;
    }
    setSelectedId(next ? next.comment.id : null);
    setChecked((current) => {
      const ids = new Set(items.map((item) => item.comment.id));
      const kept = [...current].filter((id) => ids.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [items, selectedId]);

  useEffect(() => props.onSelectionChange?.(selectedId), [selectedId]);

  // Bring the selected comment into view (and focus it when the keyboard moved there).
  useEffect(() => {
    if (!selectedId) return;
    const element = listRef.current?.querySelector<HTMLElement>(
      `[data-comment-id="${CSS.escape(selectedId)}"]`,
    );
    if (!element) return;
    element.scrollIntoView({ block: 'nearest' });
    if (focusTarget.current === selectedId) {
      focusTarget.current = null;
      element.focus({ preventScroll: true });
    }
  }, [selectedId]);

  const select = (id: string | null, byKeyboard = false) => {
    focusTarget.current = byKeyboard ? id : null;
    setSelectedId(id);
  };

  /** Opens a comment's details (on a phone they take the screen) and puts focus there. */
  const openDetails = (id: string) => {
    select(id);
    setDetailsOpen(true);
    if (isNarrow()) {
      setTimeout(() => document.getElementById('details-back')?.focus({ preventScroll: true }), 0);
    }
  };
  /** Back from the details to the list, to the comment they were about. */
  const closeDetails = () => {
    setDetailsOpen(false);
    focusTarget.current = selectedId;
    setTimeout(() => {
      if (!selectedId) return;
      const card = listRef.current?.querySelector<HTMLElement>(
        `[data-comment-id="${CSS.escape(selectedId)}"]`,
      );
      card?.scrollIntoView({ block: 'nearest' });
      card?.focus({ preventScroll: true });
    }, 0);
  };

  /** Selects the comment `delta` places away (by keyboard); past the last, loads more. */
  const move = (delta: number) => {
    if (items.length === 0) return;
    const index = items.findIndex((item) => item.comment.id === selectedId);
    const next = items[Math.max(0, Math.min(items.length - 1, index + delta))];
    if (next) select(next.comment.id, true);
    if (delta > 0 && index === items.length - 1 && props.hasMore) props.onLoadMore();
  };

  const toggleCheck = (id: string, on: boolean) =>
    setChecked((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return {
    selectedId,
    selected,
    select,
    /** The comment an undo brings back: selected once the reloaded list holds it. */
    selectAfterReload,
    listRef,
    checked,
    setChecked,
    toggleCheck,
    move,
    detailsOpen,
    openDetails,
    closeDetails,
  };
}
