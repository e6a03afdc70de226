/**
 * Modal dialogs on the native <dialog> element (focus stays inside, Escape cancels): rejecting
 * with a reason, banning, suspending and warning an author, confirming a delete, and the keyboard
 * help.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { QUEUES, REJECTION_CODES, type RejectionCode } from '../api/types.js';
import { isTyping } from './context.js';
import { queueAbout, queueLabel, REJECTION_LABELS } from './format.js';

let dialogCounter = 0;

interface DialogProps {
  readonly title: string;
  readonly onCancel: () => void;
  readonly children: ComponentChildren;
  readonly wide?: boolean;
  /** Element to focus first (a selector inside the dialog). */
  readonly initialFocus?: string;
  readonly onKeyDown?: (event: KeyboardEvent) => void;
}

export function Dialog(props: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [titleId] = useState(() => `dialog-title-${++dialogCounter}`);
  const cancel = useRef(props.onCancel);
  cancel.current = props.onCancel;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    if (props.initialFocus) dialog.querySelector<HTMLElement>(props.initialFocus)?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      cancel.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus({ preventScroll: true });
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class={props.wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onKeyDown={props.onKeyDown}
    >
      <h2 id={titleId} class="dialog-title">
        {props.title}
      </h2>
      {props.children}
    </dialog>
  );
}

interface FormDialogProps {
  readonly title: string;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly busy: boolean;
  readonly error: string | null;
  readonly onCancel: () => void;
  readonly onSubmit: () => void;
  readonly children: ComponentChildren;
  readonly initialFocus?: string;
  readonly onKeyDown?: (event: KeyboardEvent) => void;
}

/** A dialog around a form: Enter confirms (Shift+Enter is a new line in a text area). */
function FormDialog(props: FormDialogProps) {
  const form = useRef<HTMLFormElement>(null);
  const onKeyDown = (event: KeyboardEvent) => {
    props.onKeyDown?.(event);
    if (event.defaultPrevented) return;
    const target = event.target;
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    if (target instanceof HTMLButtonElement || target instanceof HTMLSelectElement) return;
    event.preventDefault();
    form.current?.requestSubmit();
  };
  return (
    <Dialog
      title={props.title}
      onCancel={props.onCancel}
      onKeyDown={onKeyDown}
      {...(props.initialFocus !== undefined && { initialFocus: props.initialFocus })}
    >
      <form
        ref={form}
        class="dialog-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!props.busy) props.onSubmit();
        }}
      >
        {props.children}
        {props.error && (
          <p class="error" role="alert">
            {props.error}
          </p>
        )}
        <div class="dialog-buttons">
          <button type="button" class="btn" onClick={props.onCancel}>
            Cancel <kbd>Esc</kbd>
          </button>
          <button
            type="submit"
            class={props.danger ? 'btn btn-danger' : 'btn btn-primary'}
            disabled={props.busy}
          >
            {props.busy ? 'Working…' : props.confirmLabel} <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </Dialog>
  );
}

interface RejectDialogProps {
  readonly count: number;
  readonly authorName: string | null;
  readonly suggested: RejectionCode | null;
  readonly busy: boolean;
  readonly error: string | null;
  readonly onCancel: () => void;
  readonly onConfirm: (reason: RejectionCode, note: string) => void;
}

export function RejectDialog(props: RejectDialogProps) {
  const [reason, setReason] = useState<RejectionCode | null>(props.suggested);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const list = useRef<HTMLDivElement>(null);

  const pick = (code: RejectionCode) => {
    setReason(code);
    setProblem(null);
    list.current?.querySelector<HTMLInputElement>(`input[value="${code}"]`)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const index = Number(event.key) - 1;
    const code = Number.isInteger(index) ? REJECTION_CODES[index] : undefined;
    if (code) {
      event.preventDefault();
      pick(code);
    }
  };
  const title =
    props.count === 1
      ? `Reject comment${props.authorName ? ` by ${props.authorName}` : ''}`
      : `Reject ${props.count} comments`;

  return (
    <FormDialog
      title={title}
      confirmLabel="Reject"
      danger
      busy={props.busy}
      error={problem ?? props.error}
      onCancel={props.onCancel}
      onKeyDown={onKeyDown}
      initialFocus={props.suggested ? 'input[type="radio"]:checked' : 'input[type="radio"]'}
      onSubmit={() => {
        if (!reason) setProblem('Pick a reason (keys 1–9).');
        else props.onConfirm(reason, note.trim());
      }}
    >
      <fieldset class="reasons">
        <legend class="field-label">Reason</legend>
        <div ref={list} class="reason-list">
          {REJECTION_CODES.map((code, index) => (
            <label key={code} class={reason === code ? 'reason reason-checked' : 'reason'}>
              <input
                type="radio"
                name="reason"
                value={code}
                checked={reason === code}
                onChange={() => pick(code)}
              />
              <kbd>{index + 1}</kbd>
              <span>{REJECTION_LABELS[code]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label class="field">
        <span class="field-label">
          Note to the author <span class="muted">(optional, shown beside their comment)</span>
        </span>
        <textarea
          name="note"
          rows={3}
          maxLength={1000}
          value={note}
          onInput={(event) => setNote(event.currentTarget.value)}
        />
        <span class="field-hint">
          {note.length}/1000 · Enter confirms, Shift+Enter starts a new line
        </span>
      </label>
    </FormDialog>
  );
}

interface UserDialogProps {
  readonly userName: string;
  readonly busy: boolean;
  readonly error: string | null;
  readonly onCancel: () => void;
}

export function BanDialog(
  props: UserDialogProps & {
    readonly site: { id: string; name: string } | null;
    readonly onConfirm: (reason: string, siteIds: string[] | undefined) => void;
  },
) {
  const [reason, setReason] = useState('');
  const [scope, setScope] = useState<'all' | 'site'>('all');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <FormDialog
      title={`Ban ${props.userName}`}
      confirmLabel="Ban"
      danger
      busy={props.busy}
      error={problem ?? props.error}
      onCancel={props.onCancel}
      initialFocus="input[name='reason']"
      onSubmit={() => {
        if (!reason.trim()) return setProblem('Give a reason; it is kept in the audit log.');
        props.onConfirm(
          reason.trim(),
          scope === 'site' && props.site ? [props.site.id] : undefined,
        );
      }}
    >
      <p class="dialog-text">
        A banned author cannot post or react. Their published comments stay up unless you remove
        them.
      </p>
      <label class="field">
        <span class="field-label">Reason</span>
        <input
          name="reason"
          type="text"
          maxLength={500}
          required
          value={reason}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
      </label>
      {props.site && (
        <fieldset class="scope">
          <legend class="field-label">Where</legend>
          <label class="check">
            <input
              type="radio"
              name="scope"
              checked={scope === 'all'}
              onChange={() => setScope('all')}
            />
            All sites
          </label>
          <label class="check">
            <input
              type="radio"
              name="scope"
              checked={scope === 'site'}
              onChange={() => setScope('site')}
            />
            Only {props.site.name}
          </label>
        </fieldset>
      )}
    </FormDialog>
  );
}

const SUSPEND_CHOICES: readonly (readonly [number, string])[] = [
  [1, '1 hour'],
  [24, '24 hours'],
  [72, '3 days'],
  [168, '1 week'],
  [720, '30 days'],
];

export function SuspendDialog(
  props: UserDialogProps & { readonly onConfirm: (hours: number, reason: string) => void },
) {
  const [hours, setHours] = useState(24);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <FormDialog
      title={`Suspend ${props.userName}`}
      confirmLabel="Suspend"
      danger
      busy={props.busy}
      error={problem ?? props.error}
      onCancel={props.onCancel}
      initialFocus="select"
      onSubmit={() => {
        if (!reason.trim()) return setProblem('Give a reason; it is kept in the audit log.');
        props.onConfirm(hours, reason.trim());
      }}
    >
      <label class="field">
        <span class="field-label">For</span>
        <select
          value={String(hours)}
          onChange={(event) => setHours(Number(event.currentTarget.value))}
        >
          {SUSPEND_CHOICES.map(([value, label]) => (
            <option key={value} value={String(value)}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="field-label">Reason</span>
        <input
          name="reason"
          type="text"
          maxLength={500}
          value={reason}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
      </label>
    </FormDialog>
  );
}

export function WarnDialog(
  props: UserDialogProps & { readonly onConfirm: (message: string) => void },
) {
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <FormDialog
      title={`Warn ${props.userName}`}
      confirmLabel="Send warning"
      busy={props.busy}
      error={problem ?? props.error}
      onCancel={props.onCancel}
      initialFocus="textarea"
      onSubmit={() => {
        if (!message.trim()) return setProblem('Write the warning the author will see.');
        props.onConfirm(message.trim());
      }}
    >
      <p class="dialog-text">
        The author sees this message and must acknowledge it before they can post again.
      </p>
      <label class="field">
        <span class="field-label">Message to the author</span>
        <textarea
          rows={3}
          maxLength={1000}
          value={message}
          onInput={(event) => setMessage(event.currentTarget.value)}
        />
      </label>
    </FormDialog>
  );
}

export function ConfirmDialog(props: {
  readonly title: string;
  readonly text: string;
  readonly confirmLabel: string;
  readonly busy: boolean;
  readonly error: string | null;
  readonly onCancel: () => void;
  readonly onConfirm: () => void;
}) {
  return (
    <FormDialog
      title={props.title}
      confirmLabel={props.confirmLabel}
      danger
      busy={props.busy}
      error={props.error}
      onCancel={props.onCancel}
      initialFocus="button[type='submit']"
      onSubmit={props.onConfirm}
    >
      <p class="dialog-text">{props.text}</p>
    </FormDialog>
  );
}

const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['j / ↓', 'Next comment'],
  ['k / ↑', 'Previous comment'],
  ['a', 'Approve'],
  ['r', 'Reject (then 1–9 picks the reason, Enter confirms, Esc cancels)'],
  ['f', 'Feature or unfeature'],
  ['b', 'Ban the author (asks for a reason)'],
  ['x', 'Tick or untick the comment for a bulk action'],
  ['u', 'Undo the last action'],
  ['?', 'This help'],
];

export function HelpDialog(props: { readonly onClose: () => void }) {
  return (
    <Dialog
      title="Keyboard shortcuts and queues"
      wide
      onCancel={props.onClose}
      initialFocus="button"
    >
      <p class="dialog-text">Shortcuts work whenever you are not typing in a field.</p>
      <table class="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                {keys.split(' / ').map((key, index) => (
                  <span key={key}>
                    {index > 0 && ' or '}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 class="help-title">The queues</h3>
      <dl class="help-queues">
        {QUEUES.map((name) => (
          <div key={name} class="help-queue">
            <dt>{queueLabel(name)}</dt>
            <dd>{queueAbout(name)}</dd>
          </div>
        ))}
      </dl>
      <p class="dialog-text muted">
        Each held or rejected comment says why in words (“Held: posting too fast”, “Held: scored
        0.82 for identity attack”); its scores and the words the model reacted to are below it.
      </p>
      <div class="dialog-buttons">
        <button type="button" class="btn btn-primary" onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
