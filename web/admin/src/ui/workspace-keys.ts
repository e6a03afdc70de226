/**
 * The workspace's keyboard: j/k (or the arrows) move, a approves, r rejects, f features, b bans,
 * x ticks, u undoes, Escape clears the ticks (or, on a phone, goes back from the details to the
 * list). Keys are ignored while typing, with a modifier held, or while a dialog is open.
 */
import { useEffect, useRef } from 'preact/hooks';
import { isTyping } from './context.js';
import type { WorkspaceActions } from './workspace-actions.js';
import { isNarrow, type Selection } from './workspace-selection.js';
import type { StatusLine } from './workspace-status.js';

/** Listens on the document for as long as the workspace is shown; reads the latest state. */
export function useWorkspaceKeys(
  selection: Selection,
  actions: WorkspaceActions,
  { report }: Pick<StatusLine, 'report'>,
) {
  const keys = useRef<(event: KeyboardEvent) => void>(() => undefined);
  keys.current = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (isTyping(event.target) || actions.dialog || document.querySelector('dialog[open]')) return;
    const { selected: current, checked } = selection;
    const handled = (() => {
      switch (event.key) {
        case 'j':
        case 'ArrowDown':
          selection.move(1);
          return true;
        case 'k':
        case 'ArrowUp':
          selection.move(-1);
          return true;
        case 'a':
          if (current) void actions.approve([current.comment.id]);
          return true;
        case 'r':
          if (current) actions.openReject([current.comment.id]);
          return true;
        case 'f':
          if (current?.comment.status === 'approved') void actions.toggleFeature(current);
          else if (current) report('Only published comments can be featured.', false);
          return true;
        case 'b':
          if (current) actions.openBan(current);
          return true;
        case 'x':
          if (current) selection.toggleCheck(current.comment.id, !checked.has(current.comment.id));
          return true;
        case 'u':
          void actions.undoLast();
          return true;
        case 'Escape':
          if (checked.size === 0) {
            if (!selection.detailsOpen || !isNarrow()) return false;
            selection.closeDetails();
            return true;
          }
          selection.setChecked(new Set());
          return true;
        default:
          return false;
      }
    })();
    if (handled) event.preventDefault();
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keys.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
}
