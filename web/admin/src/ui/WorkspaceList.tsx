/**
 * The workspace's list column: the heading with the bulk actions (tick all, approve or reject the
 * ticked comments), the comments as cards, "Load more", and the status line at the bottom. On a
 * phone it steps aside while the details are open.
 */
import { useEffect, useRef } from 'preact/hooks';
import { ItemCard } from './ItemCard.js';
import type { WorkspaceProps } from './Workspace.js';
import type { WorkspaceActions } from './workspace-actions.js';
import type { Selection } from './workspace-selection.js';
import { StatusBar, type Status } from './workspace-status.js';

type ListProps = Pick<
  WorkspaceProps,
  | 'heading'
  | 'listLabel'
  | 'items'
  | 'loading'
  | 'error'
  | 'hasMore'
  | 'onLoadMore'
  | 'empty'
  | 'newIds'
  | 'goneIds'
  | 'above'
>;

interface WorkspaceListProps {
  readonly list: ListProps;
  readonly selection: Selection;
  readonly actions: WorkspaceActions;
  readonly status: Status | null;
}

export function WorkspaceList({ list, selection, actions, status }: WorkspaceListProps) {
  const { items } = list;
  const { checked, setChecked, selectedId } = selection;
  const { busy } = actions;
  const checkedIds = items.map((item) => item.comment.id).filter((id) => checked.has(id));
  const allChecked = items.length > 0 && checkedIds.length === items.length;
  const selectAll = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (selectAll.current) {
      selectAll.current.indeterminate = checkedIds.length > 0 && !allChecked;
    }
  });

  return (
    <section
      class={selection.detailsOpen ? 'column column-list pane-off' : 'column column-list'}
      aria-label={list.listLabel}
    >
      <div class="list-head">
        <div class="list-title">{list.heading}</div>
        <div class="bulk" role="group" aria-label="Bulk actions">
          <label class="check">
            <input
              ref={selectAll}
              type="checkbox"
              checked={allChecked}
              disabled={items.length === 0}
              onChange={(event) =>
                setChecked(
                  event.currentTarget.checked
                    ? new Set(items.map((item) => item.comment.id))
                    : new Set(),
                )
              }
            />
            All
          </label>
          <button
            type="button"
            class="btn btn-small btn-approve"
            disabled={checkedIds.length === 0}
            onClick={() => void actions.approve(checkedIds)}
          >
            Approve selected{checkedIds.length > 0 && ` (${checkedIds.length})`}
          </button>
          <button
            type="button"
            class="btn btn-small btn-reject"
            disabled={checkedIds.length === 0}
            onClick={() => actions.openReject(checkedIds)}
          >
            Reject selected{checkedIds.length > 0 && ` (${checkedIds.length})`}
          </button>
        </div>
      </div>
      {list.above}
      {list.error && (
        <p class="error banner" role="alert">
          {list.error}
        </p>
      )}
      <div class="list-scroll">
        {items.length === 0 && !list.loading && !list.error && (
          <div class="empty">{list.empty}</div>
        )}
        <ol ref={selection.listRef} class="items">
          {items.map((item) => (
            <li
              key={item.comment.id}
              class={busy.has(item.comment.id) ? 'item-row item-busy' : 'item-row'}
            >
              <ItemCard
                item={item}
                selected={item.comment.id === selectedId}
                checked={checked.has(item.comment.id)}
                isNew={list.newIds?.has(item.comment.id) ?? false}
                gone={list.goneIds?.has(item.comment.id) ?? false}
                onSelect={() => selection.openDetails(item.comment.id)}
                onToggle={(on) => selection.toggleCheck(item.comment.id, on)}
              />
            </li>
          ))}
        </ol>
        {list.loading && <p class="muted list-note">Loading…</p>}
        {list.hasMore && !list.loading && (
          <div class="list-note">
            <button type="button" class="btn" onClick={list.onLoadMore}>
              Load more
            </button>
          </div>
        )}
      </div>
      <StatusBar status={status} onUndo={() => void actions.undoLast()} />
    </section>
  );
}
