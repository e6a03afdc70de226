/**
 * What the workspace does to comments and their authors: approve, reject, feature, delete, and
 * ban, suspend, warn, pre-moderate or change the role of an author. Each outcome goes to the
 * status line and, when it can be taken back, onto the undo stack (`undoLast`, the `u` key). Also
 * which dialog is open (the actions that ask first), and which comments have a request under way.
 */
import { useState } from 'preact/hooks';
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
import { useDashboard } from './context.js';
import type { DetailActions } from './DetailsPanel.js';
import { plural, rejectionLabel } from './format.js';
import type { WorkspaceProps } from './Workspace.js';
import type { DialogState } from './WorkspaceDialogs.js';
import type { Selection } from './workspace-selection.js';
import type { StatusLine } from './workspace-status.js';

const undoableIds = (actions: readonly ActionRef[]) =>
  actions.filter((action) => action.undoable).map((action) => action.id);

const decidedIds = (ids: readonly string[], errors: readonly BulkError[]): string[] => {
  const failed = new Set(errors.map((error) => error.id));
  return ids.filter((id) => !failed.has(id));
};

export type WorkspaceActions = ReturnType<typeof useWorkspaceActions>;

export function useWorkspaceActions(
  props: Pick<WorkspaceProps, 'items' | 'onUpdated' | 'onUndone'>,
  selection: Pick<Selection, 'select' | 'selectAfterReload' | 'setChecked'>,
  { report, reportBulk, fail }: Pick<StatusLine, 'report' | 'reportBulk' | 'fail'>,
) {
  const { api, undo, siteName } = useDashboard();
  const { items } = props;
  const { select, selectAfterReload, setChecked } = selection;
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [dialogBusy, setDialogBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  /** Bumped after every action, so the details load the comment and its author again. */
  const [detailsVersion, setDetailsVersion] = useState(0);

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

  const ban = (
    user: ModerationUser,
    site: { id: string; name: string } | null,
    reason: string,
    siteIds: string[] | undefined,
  ) =>
    userAction(
      `Banned ${user.name}${siteIds ? ` from ${site?.name ?? 'this site'}` : ''}.`,
      () => api.ban(user.id, reason, siteIds),
      true,
    );

  const suspend = (user: ModerationUser, hours: number, reason: string) =>
    userAction(
      `Suspended ${user.name} for ${plural(hours, 'hour')}.`,
      () => api.suspend(user.id, hours, reason),
      true,
    );

  const warn = (user: ModerationUser, message: string) =>
    userAction(`Warned ${user.name}.`, () => api.warn(user.id, message), true);

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

  /** What the details pane's buttons do. */
  const detailActions: DetailActions = {
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

  return {
    busy,
    dialog,
    dialogBusy,
    dialogError,
    closeDialog: () => setDialog(null),
    detailsVersion,
    detailActions,
    approve,
    reject,
    toggleFeature,
    remove,
    ban,
    suspend,
    warn,
    undoLast,
    openReject,
    openBan,
  };
}
