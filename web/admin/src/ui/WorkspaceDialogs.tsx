/**
 * The workspace's dialogs, for the actions that ask first: rejecting (with a reason), banning,
 * suspending and warning an author, and deleting a comment. At most one is open (`DialogState`).
 */
import type { ModerationItem, ModerationUser, RejectionCode } from '../api/types.js';
import { BanDialog, ConfirmDialog, RejectDialog, SuspendDialog, WarnDialog } from './dialogs.js';
import type { WorkspaceActions } from './workspace-actions.js';

export type DialogState =
  | { kind: 'reject'; ids: string[]; authorName: string | null; suggested: RejectionCode | null }
  | { kind: 'ban'; user: ModerationUser; site: { id: string; name: string } | null }
  | { kind: 'suspend'; user: ModerationUser }
  | { kind: 'warn'; user: ModerationUser }
  | { kind: 'delete'; item: ModerationItem };

export function WorkspaceDialogs({ actions }: { readonly actions: WorkspaceActions }) {
  const { dialog, dialogBusy, dialogError, closeDialog } = actions;
  return (
    <>
      {dialog?.kind === 'reject' && (
        <RejectDialog
          count={dialog.ids.length}
          authorName={dialog.authorName}
          suggested={dialog.suggested}
          busy={dialogBusy}
          error={dialogError}
          onCancel={closeDialog}
          onConfirm={(reason, note) => void actions.reject(dialog.ids, reason, note)}
        />
      )}
      {dialog?.kind === 'ban' && (
        <BanDialog
          userName={dialog.user.name}
          site={dialog.site}
          busy={dialogBusy}
          error={dialogError}
          onCancel={closeDialog}
          onConfirm={(reason, siteIds) =>
            void actions.ban(dialog.user, dialog.site, reason, siteIds)
          }
        />
      )}
      {dialog?.kind === 'suspend' && (
        <SuspendDialog
          userName={dialog.user.name}
          busy={dialogBusy}
          error={dialogError}
          onCancel={closeDialog}
          onConfirm={(hours, reason) => void actions.suspend(dialog.user, hours, reason)}
        />
      )}
      {dialog?.kind === 'warn' && (
        <WarnDialog
          userName={dialog.user.name}
          busy={dialogBusy}
          error={dialogError}
          onCancel={closeDialog}
          onConfirm={(message) => void actions.warn(dialog.user, message)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title="Delete this comment?"
          text={`The comment by ${dialog.item.author.name} is removed for everyone. Replies stay.`}
          confirmLabel="Delete"
          busy={dialogBusy}
          error={dialogError}
          onCancel={closeDialog}
          onConfirm={() => void actions.remove(dialog.item)}
        />
      )}
    </>
  );
}
