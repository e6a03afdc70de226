/**
 * Where comments are worked through: the list in the middle, the selected comment's details on
 * the right, the keyboard, the dialogs and every action on comments and their authors. The queue
 * and search views supply the list and decide what leaves it. The parts:
 *
 * - workspace-selection.ts: the selected and the ticked comments, focus, and on a phone whether
 *   the list or the details have the screen.
 * - workspace-actions.ts: the actions, their undo, the open dialog (WorkspaceDialogs.tsx).
 * - workspace-status.tsx: the status line saying what the last action did.
 * - workspace-keys.ts: the keyboard (j/k, a, r, f, b, x, u, Escape).
 * - WorkspaceList.tsx: the list column, with its bulk actions.
 *
 * On a phone (styles.css, below 760 px) the list and the details take turns: choosing a comment
 * opens its details (with a "Back to the list" control, or Escape), whose action bar stays at the
 * bottom of the screen; `detailsOpen` says which shows, and wider screens ignore it.
 */
import type { ComponentChildren } from 'preact';
import type { ModerationItem } from '../api/types.js';
import { DetailsPanel } from './DetailsPanel.js';
import { useWorkspaceActions } from './workspace-actions.js';
import { useWorkspaceKeys } from './workspace-keys.js';
import { useSelection } from './workspace-selection.js';
import { ActionStatus, useStatusLine } from './workspace-status.js';
import { WorkspaceDialogs } from './WorkspaceDialogs.js';
import { WorkspaceList } from './WorkspaceList.js';

export interface WorkspaceProps {
  readonly heading: ComponentChildren;
  readonly listLabel: string;
  readonly items: readonly ModerationItem[];
  readonly loading: boolean;
  readonly error: string | null;
  readonly hasMore: boolean;
  readonly onLoadMore: () => void;
  readonly empty: ComponentChildren;
  readonly newIds?: ReadonlySet<string>;
  readonly goneIds?: ReadonlySet<string>;
  /** Shown above the list (held new items in newest-first queues). */
  readonly above?: ComponentChildren;
  /** The server's view of comments after an action; `decided` for approve, reject and delete. */
  readonly onUpdated: (items: ModerationItem[], decided: boolean) => void;
  /** An action was undone: reload the list. */
  readonly onUndone: () => Promise<void> | void;
  /** Called when the selection changes (the queue keeps the selected item while polling). */
  readonly onSelectionChange?: (id: string | null) => void;
  readonly onFilterStory?: (story: ModerationItem['story']) => void;
}

export function Workspace(props: WorkspaceProps) {
  const statusLine = useStatusLine();
  const selection = useSelection(props);
  const actions = useWorkspaceActions(props, selection, statusLine);
  useWorkspaceKeys(selection, actions, statusLine);
  const { selected } = selection;
  const { status } = statusLine;
  const undoLast = () => void actions.undoLast();

  return (
    <>
      <WorkspaceList list={props} selection={selection} actions={actions} status={status} />
      <DetailsPanel
        open={selection.detailsOpen}
        onBack={selection.closeDetails}
        status={status && <ActionStatus status={status} onUndo={undoLast} />}
        item={selected}
        version={actions.detailsVersion}
        busy={selected ? actions.busy.has(selected.comment.id) : false}
        actions={actions.detailActions}
        {...(props.onFilterStory && { onFilterStory: props.onFilterStory })}
      />
      <WorkspaceDialogs actions={actions} />
    </>
  );
}
