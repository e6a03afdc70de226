/**
 * Where comments are worked through: the list in the middle, the selected comment's details on
 * the right, the keyboard (j/k, a, r, f, b, x, u), the dialogs and every action on comments and
 * their authors. The queue and search views supply the list and decide what leaves it.
 *
 * On a phone (styles.css, below 760 px) the list and the details take turns: choosing a comment
 * opens its details (with a "Back to the list" control, or Escape), whose action bar stays at the
 * bottom of the screen; `detailsOpen` says which shows, and wider screens ignore it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/client.js';
import type {
  ActionRef,
  BulkError,
  ModerationItem,
  ModerationUser,
  RejectionCode,
  UserActionResult,
} from '../api/types.js';
import { REJECTION_CODES } from '../api/types.js';
import { useDashboard, isTyping } from './context.js';
import { DetailsPanel, type DetailActions } from './DetailsPanel.js';
import { BanDialog, ConfirmDialog, RejectDialog, SuspendDialog, WarnDialog } from './dialogs.js';
import { ItemCard } from './ItemCard.js';
import { plural, rejectionLabel } from './format.js';

/** Where the list and the details take turns (styles.css has the same width). */
const NARROW = '(max-width: 759.98px)';
const isNarrow = () => typeof matchMedia === 'function' && matchMedia(NARROW).matches;

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

type DialogState =
  | { kind: 'reject'; ids: string[]; authorName: string | null; suggested: RejectionCode | null }
  | { kind: 'ban'; user: ModerationUser; site: { id: string; name: string } | null }
  | { kind: 'suspend'; user: ModerationUser }
  | { kind: 'warn'; user: ModerationUser }
  | { kind: 'delete'; item: ModerationItem };

interface Status {
  readonly text: string;
  readonly error: boolean;
  readonly undoable: boolean;
}

const undoableIds = (actions: readonly ActionRef[]) =>
  actions.filter((action) => action.undoable).map((action) => action.id);

const decidedIds = (ids: readonly string[], errors: readonly BulkError[]): string[] => {
  const failed = new Set(errors.map((error) => error.id));
  return ids.filter((id) => !failed.has(id));
};

export function Workspace(props: WorkspaceProps) {
  const { api, announce, undo, siteName } = useDashboard();
  const { items } = props;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [dialogBusy, setDialogBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [detailsVersion, setDetailsVersion] = useState(0);
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

  const move = (delta: number) => {
    if (items.length === 0) return;
    const index = items.findIndex((item) => item.comment.id === selectedId);
    const next = items[Math.max(0, Math.min(items.length - 1, index + delta))];
    if (next) select(next.comment.id, true);
    if (delta > 0 && index === items.length - 1 && props.hasMore) props.onLoadMore();
  };

  const report = (text: string, undoable: boolean) => {
    setStatus({ text, error: false, undoable });
    announce(undoable ? `${text} Press u to undo.` : text);
  };
  /** A bulk action's outcome: what was done, and what could not be (those stay ticked). */
  const reportBulk = (label: string, undoable: boolean, errors: readonly BulkError[]) => {
    if (errors.length === 0) return report(label, undoable);
    const first = errors[0]?.message ?? '';
    const text =
      `${label} ${plural(errors.length, 'comment')} could not be: ${first}` +
      (errors.length > 1 ? ` (and ${errors.length - 1} more)` : '');
    setStatus({ text, error: true, undoable });
    announce(text);
  };
  const fail = (error: unknown) => {
    const text = describeError(error);
    setStatus({ text, error: true, undoable: false });
  };

  const withBusy = async (ids: string[], run: () => Promise<void>) => {
    if (ids.some((id) => busy.has(id))) return;
    setBusy((current) => new Set([...current, ...ids]));
    try {
      await run();
    } finally {
      setBusy((current) => new Set([...current].filter((id) => !ids.includes(id))));
    }
  };

  const pushUndo = (
    label: string,
    actions: readonly ActionRef[],
    commentIds: string[],
    userId: string | null,
  ) => {
    const actionIds = undoableIds(actions);
    if (actionIds.length > 0) undo.push({ label, actionIds, commentIds, userId });
    return actionIds.length > 0;
  };

  const approve = (ids: string[]) =>
    withBusy(ids, async () => {
      try {
        if (ids.length === 1 && ids[0]) {
          const result = await api.act(ids[0], 'approve');
          props.onUpdated([result.item], true);
          const label = `Approved the comment by ${result.item.author.name}.`;
          report(label, pushUndo(label, [result.action], ids, null));
        } else {
          const result = await api.bulk('approve', ids);
          props.onUpdated(result.items, true);
          const label = `Approved ${plural(result.items.length, 'comment')}.`;
          const undoable = pushUndo(label, result.actions, decidedIds(ids, result.errors), null);
          reportBulk(label, undoable, result.errors);
          setChecked(new Set(result.errors.map((error) => error.id)));
        }
        setDetailsVersion((n) => n + 1);
      } catch (error) {
        fail(error);
      }
    });

  const reject = async (ids: string[], reason: RejectionCode, note: string) => {
    setDialogBusy(true);
    setDialogError(null);
    try {
      if (ids.length === 1 && ids[0]) {
        const result = await api.reject(ids[0], reason, note || undefined);
        props.onUpdated([result.item], true);
        const label = `Rejected the comment by ${result.item.author.name}: ${rejectionLabel(reason)}.`;
        report(label, pushUndo(label, [result.action], ids, null));
      } else {
        const result = await api.bulk('reject', ids, reason, note || undefined);
        props.onUpdated(result.items, true);
        const label = `Rejected ${plural(result.items.length, 'comment')}: ${rejectionLabel(reason)}.`;
        const undoable = pushUndo(label, result.actions, decidedIds(ids, result.errors), null);
        reportBulk(label, undoable, result.errors);
        setChecked(new Set(result.errors.map((error) => error.id)));
      }
      setDialog(null);
      setDetailsVersion((n) => n + 1);
    } catch (error) {
      setDialogError(describeError(error));
    } finally {
      setDialogBusy(false);
    }
  };

  const toggleFeature = (item: ModerationItem) =>
    withBusy([item.comment.id], async () => {
      try {
        const action = item.comment.featured ? 'unfeature' : 'feature';
        const result = await api.act(item.comment.id, action);
        props.onUpdated([result.item], false);
        const label =
          action === 'feature'
            ? `Featured the comment by ${item.author.name}.`
            : `Took the comment by ${item.author.name} out of Featured.`;
        report(label, pushUndo(label, [result.action], [item.comment.id], null));
        setDetailsVersion((n) => n + 1);
      } catch (error) {
        fail(error);
      }
    });

  const remove = async (item: ModerationItem) => {
    setDialogBusy(true);
    setDialogError(null);
    try {
      const result = await api.act(item.comment.id, 'delete');
      props.onUpdated([result.item], true);
      const label = `Deleted the comment by ${item.author.name}.`;
      report(label, pushUndo(label, [result.action], [item.comment.id], null));
      setDialog(null);
      setDetailsVersion((n) => n + 1);
    } catch (error) {
      setDialogError(describeError(error));
    } finally {
      setDialogBusy(false);
    }
  };

  /** Puts the author's new standing on every listed comment of theirs. */
  const applyUser = (user: ModerationUser) => {
    const updated = items
      .filter((item) => item.author.id === user.id)
      .map((item) => ({ ...item, author: user }));
    if (updated.length > 0) props.onUpdated(updated, false);
  };

  const userAction = async (
    label: string,
    run: () => Promise<UserActionResult>,
    inDialog: boolean,
  ): Promise<boolean> => {
    if (inDialog) {
      setDialogBusy(true);
      setDialogError(null);
    }
    try {
      const result = await run();
      applyUser(result.user);
      report(label, pushUndo(label, [result.action], [], result.user.id));
      if (inDialog) setDialog(null);
      setDetailsVersion((n) => n + 1);
      return true;
    } catch (error) {
      if (inDialog) setDialogError(describeError(error));
      else fail(error);
      return false;
    } finally {
      if (inDialog) setDialogBusy(false);
    }
  };

  const undoLast = async () => {
    const entry = undo.pop();
    if (!entry) {
      report('Nothing to undo.', false);
      return;
    }
    try {
      for (const id of [...entry.actionIds].reverse()) {
        try {
          await api.undo(id);
        } catch (error) {
          if (!(error instanceof ApiError && error.code === 'ALREADY_UNDONE')) throw error;
        }
      }
      selectAfterReload.current = entry.commentIds[0] ?? null;
      await props.onUndone();
      if (entry.commentIds[0]) select(entry.commentIds[0], true);
      setDetailsVersion((n) => n + 1);
      report(`Undone: ${entry.label}`, false);
    } catch (error) {
      undo.push(entry);
      fail(error);
    }
  };

  const openDialog = (next: DialogState) => {
    setDialogError(null);
    setDialogBusy(false);
    setDialog(next);
  };

  const openReject = (ids: string[]) => {
    if (ids.length === 0) return;
    const first = items.find((item) => item.comment.id === ids[0]);
    const suggested =
      ids.length === 1 && first
        ? (REJECTION_CODES.find((code) => code === first.comment.moderation.rejection?.code) ??
          null)
        : null;
    openDialog({
      kind: 'reject',
      ids,
      authorName: ids.length === 1 && first ? first.author.name : null,
      suggested,
    });
  };

  const openBan = (item: ModerationItem) => {
    const name = siteName(item.story.siteId);
    openDialog({
      kind: 'ban',
      user: item.author,
      site: name ? { id: item.story.siteId, name } : null,
    });
  };

  const toggleCheck = (id: string, on: boolean) =>
    setChecked((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const keys = useRef<(event: KeyboardEvent) => void>(() => undefined);
  keys.current = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (isTyping(event.target) || dialog || document.querySelector('dialog[open]')) return;
    const current = selected;
    const handled = (() => {
      switch (event.key) {
        case 'j':
        case 'ArrowDown':
          move(1);
          return true;
        case 'k':
        case 'ArrowUp':
          move(-1);
          return true;
        case 'a':
          if (current) void approve([current.comment.id]);
          return true;
        case 'r':
          if (current) openReject([current.comment.id]);
          return true;
        case 'f':
          if (current?.comment.status === 'approved') void toggleFeature(current);
          else if (current) report('Only published comments can be featured.', false);
          return true;
        case 'b':
          if (current) openBan(current);
          return true;
        case 'x':
          if (current) toggleCheck(current.comment.id, !checked.has(current.comment.id));
          return true;
        case 'u':
          void undoLast();
          return true;
        case 'Escape':
          if (checked.size === 0) {
            if (!detailsOpen || !isNarrow()) return false;
            closeDetails();
            return true;
          }
          setChecked(new Set());
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

  const actions: DetailActions = {
    approve: (item) => void approve([item.comment.id]),
    reject: (item) => openReject([item.comment.id]),
    toggleFeature: (item) => void toggleFeature(item),
    remove: (item) => openDialog({ kind: 'delete', item }),
    ban: (item) => openBan(item),
    unban: (user) =>
      void userAction(`Lifted the ban on ${user.name}.`, () => api.unban(user.id), false),
    suspend: (user) => openDialog({ kind: 'suspend', user }),
    unsuspend: (user) =>
      void userAction(
        `Lifted the suspension of ${user.name}.`,
        () => api.unsuspend(user.id),
        false,
      ),
    warn: (user) => openDialog({ kind: 'warn', user }),
    premoderate: (user, on) =>
      void userAction(
        on
          ? `Every new comment by ${user.name} is now held for a moderator.`
          : `${user.name} is no longer pre-moderated.`,
        () => api.premoderate(user.id, on),
        false,
      ),
    setRole: (user, role, siteIds) =>
      userAction(
        `${user.name} is now ${role}${siteIds ? ` of ${plural(siteIds.length, 'site')}` : ''}.`,
        () => api.setRole(user.id, role, siteIds),
        false,
      ),
    noteAdded: () => report('Note added.', false),
  };

  const checkedIds = items.map((item) => item.comment.id).filter((id) => checked.has(id));
  const allChecked = items.length > 0 && checkedIds.length === items.length;
  const selectAll = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (selectAll.current) {
      selectAll.current.indeterminate = checkedIds.length > 0 && !allChecked;
    }
  });

  return (
    <>
      <section
        class={detailsOpen ? 'column column-list pane-off' : 'column column-list'}
        aria-label={props.listLabel}
      >
        <div class="list-head">
          <div class="list-title">{props.heading}</div>
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
              onClick={() => void approve(checkedIds)}
            >
              Approve selected{checkedIds.length > 0 && ` (${checkedIds.length})`}
            </button>
            <button
              type="button"
              class="btn btn-small btn-reject"
              disabled={checkedIds.length === 0}
              onClick={() => openReject(checkedIds)}
            >
              Reject selected{checkedIds.length > 0 && ` (${checkedIds.length})`}
            </button>
          </div>
        </div>
        {props.above}
        {props.error && (
          <p class="error banner" role="alert">
            {props.error}
          </p>
        )}
        <div class="list-scroll">
          {items.length === 0 && !props.loading && !props.error && (
            <div class="empty">{props.empty}</div>
          )}
          <ol ref={listRef} class="items">
            {items.map((item) => (
              <li
                key={item.comment.id}
                class={busy.has(item.comment.id) ? 'item-row item-busy' : 'item-row'}
              >
                <ItemCard
                  item={item}
                  selected={item.comment.id === selectedId}
                  checked={checked.has(item.comment.id)}
                  isNew={props.newIds?.has(item.comment.id) ?? false}
                  gone={props.goneIds?.has(item.comment.id) ?? false}
                  onSelect={() => openDetails(item.comment.id)}
                  onToggle={(on) => toggleCheck(item.comment.id, on)}
                />
              </li>
            ))}
          </ol>
          {props.loading && <p class="muted list-note">Loading…</p>}
          {props.hasMore && !props.loading && (
            <div class="list-note">
              <button type="button" class="btn" onClick={props.onLoadMore}>
                Load more
              </button>
            </div>
          )}
        </div>
        <div
          class={status?.error ? 'statusbar statusbar-error' : 'statusbar'}
          role={status?.error ? 'alert' : undefined}
        >
          {status ? (
            <>
              <span class="statusbar-text">{status.text}</span>
              {status.undoable && undo.peek() && (
                <button type="button" class="btn btn-small" onClick={() => void undoLast()}>
                  Undo <kbd>u</kbd>
                </button>
              )}
            </>
          ) : (
            <span class="muted statusbar-keys">
              <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> approve · <kbd>r</kbd> reject ·{' '}
              <kbd>f</kbd> feature · <kbd>b</kbd> ban · <kbd>u</kbd> undo · <kbd>?</kbd> help
            </span>
          )}
        </div>
      </section>
      <DetailsPanel
        open={detailsOpen}
        onBack={closeDetails}
        status={
          status && (
            <p class={status.error ? 'action-status statusbar-error' : 'action-status'}>
              <span>{status.text}</span>
              {status.undoable && undo.peek() && (
                <button type="button" class="btn btn-small" onClick={() => void undoLast()}>
                  Undo
                </button>
              )}
            </p>
          )
        }
        item={selected}
        version={detailsVersion}
        busy={selected ? busy.has(selected.comment.id) : false}
        actions={actions}
        {...(props.onFilterStory && { onFilterStory: props.onFilterStory })}
      />
      {dialog?.kind === 'reject' && (
        <RejectDialog
          count={dialog.ids.length}
          authorName={dialog.authorName}
          suggested={dialog.suggested}
          busy={dialogBusy}
          error={dialogError}
          onCancel={() => setDialog(null)}
          onConfirm={(reason, note) => void reject(dialog.ids, reason, note)}
        />
      )}
      {dialog?.kind === 'ban' && (
        <BanDialog
          userName={dialog.user.name}
          site={dialog.site}
          busy={dialogBusy}
          error={dialogError}
          onCancel={() => setDialog(null)}
          onConfirm={(reason, siteIds) =>
            void userAction(
              `Banned ${dialog.user.name}${siteIds ? ` from ${dialog.site?.name ?? 'this site'}` : ''}.`,
              () => api.ban(dialog.user.id, reason, siteIds),
              true,
            )
          }
        />
      )}
      {dialog?.kind === 'suspend' && (
        <SuspendDialog
          userName={dialog.user.name}
          busy={dialogBusy}
          error={dialogError}
          onCancel={() => setDialog(null)}
          onConfirm={(hours, reason) =>
            void userAction(
              `Suspended ${dialog.user.name} for ${plural(hours, 'hour')}.`,
              () => api.suspend(dialog.user.id, hours, reason),
              true,
            )
          }
        />
      )}
      {dialog?.kind === 'warn' && (
        <WarnDialog
          userName={dialog.user.name}
          busy={dialogBusy}
          error={dialogError}
          onCancel={() => setDialog(null)}
          onConfirm={(message) =>
            void userAction(
              `Warned ${dialog.user.name}.`,
              () => api.warn(dialog.user.id, message),
              true,
            )
          }
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title="Delete this comment?"
          text={`The comment by ${dialog.item.author.name} is removed for everyone. Replies stay.`}
          confirmLabel="Delete"
          busy={dialogBusy}
          error={dialogError}
          onCancel={() => setDialog(null)}
          onConfirm={() => void remove(dialog.item)}
        />
      )}
    </>
  );
}
