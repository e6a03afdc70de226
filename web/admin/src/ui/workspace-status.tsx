/**
 * The workspace's status line: what the last action did or could not do, announced to screen
 * readers, with Undo while it can be taken back. It shows under the list (with the keyboard's
 * reminder when there is nothing to say) and again in the details' action bar, which on a phone
 * is where the moderator is looking.
 */
import { useState } from 'preact/hooks';
import type { BulkError } from '../api/types.js';
import { describeError } from '../api/client.js';
import { useDashboard } from './context.js';
import { plural } from './format.js';

export interface Status {
  readonly text: string;
  readonly error: boolean;
  readonly undoable: boolean;
}

export type StatusLine = ReturnType<typeof useStatusLine>;

export function useStatusLine() {
  const { announce } = useDashboard();
  const [status, setStatus] = useState<Status | null>(null);

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

  return { status, report, reportBulk, fail };
}

interface StatusProps {
  readonly status: Status | null;
  readonly onUndo: () => void;
}

/** Under the list: the last outcome, or the keys to press. */
export function StatusBar({ status, onUndo }: StatusProps) {
  const { undo } = useDashboard();
  return (
    <div
      class={status?.error ? 'statusbar statusbar-error' : 'statusbar'}
      role={status?.error ? 'alert' : undefined}
    >
      {status ? (
        <>
          <span class="statusbar-text">{status.text}</span>
          {status.undoable && undo.peek() && (
            <button type="button" class="btn btn-small" onClick={onUndo}>
              Undo <kbd>u</kbd>
            </button>
          )}
        </>
      ) : (
        <span class="muted statusbar-keys">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> approve · <kbd>r</kbd> reject · <kbd>f</kbd>{' '}
          feature · <kbd>b</kbd> ban · <kbd>u</kbd> undo · <kbd>?</kbd> help
        </span>
      )}
    </div>
  );
}

/** In the details' action bar: the last outcome. */
export function ActionStatus({ status, onUndo }: StatusProps & { readonly status: Status }) {
  const { undo } = useDashboard();
  return (
    <p class={status.error ? 'action-status statusbar-error' : 'action-status'}>
      <span>{status.text}</span>
      {status.undoable && undo.peek() && (
        <button type="button" class="btn btn-small" onClick={onUndo}>
          Undo
        </button>
      )}
    </p>
  );
}
