/**
 * The textarea form for writing a comment, a reply or an edit, with the formatting hint.
 * Escape cancels when the form can be cancelled.
 */
import { useId, useState } from 'preact/hooks';
import { ErrorAlert } from './ErrorAlert.js';
import { FormButtons } from './FormButtons.js';
import { cancelOnEscape, useInitialFocus } from './form-behaviour.js';
import { useAction } from './use-action.js';
import { useWidget } from './widget-context.js';

interface CommentFormProps {
  readonly label: string;
  readonly submitLabel: string;
  readonly onSubmit: (body: string) => Promise<void>;
  readonly onCancel?: () => void;
  readonly initialBody?: string;
  readonly autoFocus?: boolean;
  readonly className?: string;
}

export function CommentForm(props: CommentFormProps) {
  const {
    label,
    submitLabel,
    onSubmit,
    onCancel,
    initialBody = '',
    autoFocus = false,
    className = '',
  } = props;
  const { t } = useWidget();
  const [body, setBody] = useState(initialBody);
  const { busy, error, run } = useAction();
  const form = useInitialFocus<HTMLFormElement>('textarea', autoFocus);
  const fieldId = useId();
  const hintId = useId();

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!body.trim()) return;
    if (await run(() => onSubmit(body))) setBody('');
  };

  return (
    <form
      ref={form}
      class={`form ${className}`}
      onSubmit={submit}
      onKeyDown={cancelOnEscape(onCancel)}
    >
      <label class="label" for={fieldId}>
        {label}
      </label>
      <textarea
        id={fieldId}
        name="body"
        rows={4}
        required
        dir="auto"
        value={body}
        aria-describedby={hintId}
        onInput={(event) => setBody(event.currentTarget.value)}
      />
      <p id={hintId} class="hint">
        {t.formattingHint}
      </p>
      <ErrorAlert message={error} />
      <FormButtons submitLabel={submitLabel} busy={busy} onCancel={onCancel} />
    </form>
  );
}
