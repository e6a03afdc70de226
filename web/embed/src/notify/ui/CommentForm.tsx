/**
 * The textarea form for writing a comment, a reply or an edit, with the formatting hint.
 * Escape cancels when the form can be cancelled. While the viewer has a moderator's warning to
 * acknowledge (known from "me", or learnt when a post was refused for it), the form shows it with
 * "I understand"; the draft stays, so they can post it once they have acknowledged.
 * When the API suggests revising a draft (the classifier would hold it), the draft stays too and
 * the form asks whether to revise it, with "Revise" (back to the text, the question stays until it
 * is edited) and "Post anyway" (posted as it is, held for a moderator). A viewer who has not
 * confirmed their email address is asked to (VerifyNotice), above the draft. The form has
 * @mention suggestions and, but for an edit, the offer to be emailed (Compose.tsx), Ctrl/Cmd+Enter
 * to post and a question before Escape discards a typed reply (FormKeys.tsx), and the site's
 * community guidelines beside the composer and in the suggestion to revise.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { REVISION_SUGGESTED } from '../../api/client.js';
import { useStoreValue } from '../../state/use-store-value.js';
import { cancelOnEscape, focusIn, useInitialFocus } from '../../ui/form-behaviour.js';
import { SESSION, useNotify } from '../shared.js';
import { ErrorText, useTask } from './common.js';
import { Compose } from './Compose.js';
import { FormButtons } from './FormButtons.js';
import { FormKeys } from './FormKeys.js';
import { Guidelines } from './Guidelines.js';
import { VerifyNotice } from './VerifyNotice.js';

interface CommentFormProps {
  readonly label: string;
  readonly submitLabel: string;
  /** postAnyway: the author chose "Post anyway" after the suggestion to revise. */
  readonly onSubmit: (body: string, postAnyway: boolean) => Promise<void>;
  readonly onCancel?: () => void;
  /** An edit's text (no offer to be emailed, no question before Escape). */
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
    initialBody,
    autoFocus = false,
    className = '',
  } = props;
  const notify = useNotify();
  const { t, host } = notify;
  const { session, auth } = host;
  const warning = useStoreValue(session, SESSION, () => session.user && session.user.warning);
  const unverified = useStoreValue(
    session,
    SESSION,
    () => !!session.user && session.user.emailVerified === false,
  );
  const [body, setBody] = useState(initialBody || '');
  const [nudged, setNudged] = useState(false);
  const { busy, error, run } = useTask();
  const form = useInitialFocus<HTMLFormElement>('textarea', autoFocus);
  // The form element, for the features that work with it through the DOM, once it is there.
  const [element, setElement] = useState<HTMLFormElement | null>(null);
  useEffect(() => setElement(form.current), []);
  const fieldId = useId();
  const hintId = useId();
  const nudgeId = useId();
  const edit = initialBody !== undefined;

  const send = async (postAnyway: boolean) => {
    let suggested = false;
    const done = await run(async () => {
      try {
        await onSubmit(body, postAnyway);
      } catch (failure) {
        if ((failure as { code?: unknown }).code !== REVISION_SUGGESTED) throw failure;
        suggested = true;
      }
    });
    if (!done) return;
    setNudged(suggested);
    if (suggested) return;
    setBody('');
    // The offer to be emailed was in this form (it may be gone by now).
    notify.posted(form.current);
  };

  const submit = (event: Event) => {
    event.preventDefault();
    if (body.trim()) void send(false);
  };

  return (
    <form
      ref={form}
      class={`form ${className}`}
      part={`form ${className}`}
      onSubmit={submit}
      onKeyDown={cancelOnEscape(onCancel)}
    >
      {warning && (
        <div class="panel" role="alert">
          <strong>{t.warned}</strong>
          <p dir="auto">{warning.message}</p>
          <button
            type="button"
            class="secondary"
            onClick={async () => {
              if (await run(auth.acknowledgeWarning)) focusIn(form.current, 'textarea');
            }}
          >
            {t.understand}
          </button>
        </div>
      )}
      {unverified && <VerifyNotice />}
      <label class="label" for={fieldId}>
        {label}
      </label>
      <textarea
        id={fieldId}
        part="textarea"
        name="body"
        rows={4}
        required
        dir="auto"
        value={body}
        aria-describedby={nudged ? `${nudgeId} ${hintId}` : hintId}
        onInput={(event) => {
          setBody(event.currentTarget.value);
          setNudged(false);
        }}
      />
      {element && <Compose form={element} edit={edit} />}
      {element && <FormKeys form={element} edit={edit} />}
      {className === 'composer' && <Guidelines />}
      <p id={hintId} class="hint">
        {t.formattingHint}
      </p>
      {nudged && (
        <div class="panel" role="alert">
          <p id={nudgeId}>{t.revisePrompt}</p>
          <Guidelines />
          <div class="buttons">
            <button
              type="button"
              class="secondary"
              onClick={() => focusIn(form.current, 'textarea')}
            >
              {t.revise}
            </button>
            <button type="button" aria-disabled={busy || undefined} onClick={() => send(true)}>
              {t.postAnyway}
            </button>
          </div>
        </div>
      )}
      <ErrorText message={error} />
      <FormButtons submitLabel={submitLabel} busy={busy} onCancel={onCancel} />
    </form>
  );
}
