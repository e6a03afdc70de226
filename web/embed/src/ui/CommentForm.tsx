/**
 * The textarea form for writing a comment, a reply or an edit, with the formatting hint.
 * Escape cancels when the form can be cancelled. While the viewer has a moderator's warning to
 * acknowledge (known from "me", or learnt when a post was refused for it), the form shows it with
 * "I understand"; the draft stays, so they can post it once they have acknowledged.
 * When the API suggests revising a draft (the classifier would hold it), the draft stays too and
 * the form asks whether to revise it, with "Revise" (back to the text, the question stays until it
 * is edited) and "Post anyway" (posted as it is, held for a moderator). A viewer who has not
 * confirmed their email address is asked to (VerifyNotice), above the draft. The notification
 * features add @mention suggestions, the offer to be emailed, Ctrl/Cmd+Enter to post, a question
 * before Escape discards a typed reply, and the site's community guidelines beside the composer
 * and in the suggestion to revise (Slot.tsx).
 */
import { useId, useState } from 'preact/hooks';
import { ApiError, REVISION_SUGGESTED } from '../api/client.js';
import { Session } from '../state/session.js';
import { useStoreValue } from '../state/use-store-value.js';
import { ErrorAlert } from './ErrorAlert.js';
import { FormButtons } from './FormButtons.js';
import { Slot } from './Slot.js';
import { cancelOnEscape, focusIn, useInitialFocus } from './form-behaviour.js';
import { useAction } from './use-action.js';
import { VerifyNotice } from './VerifyNotice.js';
import { useWidget } from './widget-context.js';

interface CommentFormProps {
  readonly label: string;
  readonly submitLabel: string;
  /** postAnyway: the author chose "Post anyway" after the suggestion to revise. */
  readonly onSubmit: (body: string, postAnyway: boolean) => Promise<void>;
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
  const { t, session, auth, features } = useWidget();
  const warning = useStoreValue(session, Session.key, () => session.user && session.user.warning);
  const unverified = useStoreValue(
    session,
    Session.key,
    () => !!session.user && session.user.emailVerified === false,
  );
  const [body, setBody] = useState(initialBody);
  const [nudged, setNudged] = useState(false);
  const { busy, error, run } = useAction();
  const form = useInitialFocus<HTMLFormElement>('textarea', autoFocus);
  const fieldId = useId();
  const hintId = useId();
  const nudgeId = useId();

  const send = async (postAnyway: boolean) => {
    let suggested = false;
    const done = await run(async () => {
      try {
        await onSubmit(body, postAnyway);
      } catch (failure) {
        if (!(failure instanceof ApiError && failure.code === REVISION_SUGGESTED)) throw failure;
        suggested = true;
      }
    });
    if (!done) return;
    setNudged(suggested);
    if (suggested) return;
    setBody('');
    // The notification features' offer to be emailed was in this form (it may be gone by now).
    features.posted(form.current);
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
      <Slot name={initialBody ? 'edit' : 'compose'} />
      <p id={hintId} class="hint">
        {t.formattingHint}
      </p>
      {nudged && (
        <div class="panel" role="alert">
          <p id={nudgeId}>{t.revisePrompt}</p>
          <Slot name="guidelines" />
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
      <ErrorAlert message={error} />
      <FormButtons submitLabel={submitLabel} busy={busy} onCancel={onCancel} />
    </form>
  );
}
