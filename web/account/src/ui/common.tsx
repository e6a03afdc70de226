/**
 * What every account page form shares: the interface words of this page's language, labelled
 * fields, the messages under a form (errors announced at once, confirmations politely) and the
 * one-request-at-a-time action that feeds them.
 */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError, NETWORK } from '../api.js';
import type { Messages } from '../i18n/en.js';

/** This page's words: one language per bundle, set once by the entry point before rendering. */
export let t: Messages;

export function setLanguage(messages: Messages): void {
  t = messages;
}

const lang = () => document.documentElement.lang || 'en';

/** "in 30 seconds", "in 4 minutes", in the page's language. */
export function waitText(seconds: number): string {
  const format = new Intl.RelativeTimeFormat(lang(), { numeric: 'always' });
  return seconds < 90
    ? format.format(Math.max(1, Math.ceil(seconds)), 'second')
    : format.format(Math.ceil(seconds / 60), 'minute');
}

export function dateText(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'long', timeStyle: 'short' }).format(date);
}

/** A failure as the reader should read it; `known` words some codes for one form. */
export function errorText(failure: unknown, known: Record<string, string> = {}): string {
  if (!(failure instanceof ApiError)) return t.unknownError;
  const own = known[failure.code];
  if (own) return own;
  switch (failure.code) {
    case NETWORK:
      return t.networkError;
    case 'INVALID_CREDENTIALS':
      return t.invalidCredentials;
    case 'TOO_MANY_ATTEMPTS':
      return t.tooManyAttempts(waitText(failure.retryAfter || 60));
    case 'RATE_LIMITED':
      return t.tooManyRequests;
    case 'EMAIL_TAKEN':
      return t.emailTaken;
    case 'INVALID_TOKEN':
      return t.invalidLink;
    case 'DISPLAY_NAME_RECENTLY_CHANGED':
      return t.nameTooSoon;
    case 'UNAUTHENTICATED':
      return t.sessionEnded;
    default:
      // The API's own sentence (in English) says more than a generic one would.
      return failure.message || t.unknownError;
  }
}

export interface Action {
  readonly busy: boolean;
  readonly error: string | null;
  readonly done: string | null;
  /** Runs the task unless one is running; its result (a confirmation) or error is shown. */
  readonly run: (task: () => Promise<string | null>, known?: Record<string, string>) => void;
  readonly reset: () => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const running = useRef(false);
  const run: Action['run'] = (task, known) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    setDone(null);
    task()
      .then(
        (message) => setDone(message),
        (failure: unknown) => setError(errorText(failure, known)),
      )
      .finally(() => {
        running.current = false;
        setBusy(false);
      });
  };
  const reset = () => {
    setError(null);
    setDone(null);
  };
  return { busy, error, done, run, reset };
}

/**
 * The messages under a form. Both regions stay in the page, empty or not, so that screen readers
 * announce what arrives in them: errors at once (role="alert"), confirmations when idle.
 */
export function Notices({ action }: { action: Pick<Action, 'error' | 'done'> }) {
  return (
    <>
      <p class="error" role="alert">
        {action.error}
      </p>
      <p class="done" role="status" aria-live="polite">
        {action.done}
      </p>
    </>
  );
}

let fieldCount = 0;

export function Field(props: {
  label: string;
  name: string;
  type?: 'text' | 'email' | 'password';
  autocomplete: string;
  value: string;
  onInput: (value: string) => void;
  hint?: string;
  minLength?: number;
  maxLength?: number;
}) {
  const id = useRef(`field-${++fieldCount}`).current;
  return (
    <p class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type || 'text'}
        autocomplete={props.autocomplete}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        required
        dir={props.type === 'email' ? 'ltr' : 'auto'}
        {...(props.minLength !== undefined && { minLength: props.minLength })}
        {...(props.maxLength !== undefined && { maxLength: props.maxLength })}
        {...(props.hint && { 'aria-describedby': `${id}-hint` })}
      />
      {props.hint && (
        <span class="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
    </p>
  );
}

interface PasswordProps {
  label: string;
  name: string;
  value: string;
  onInput: (value: string) => void;
}

/** A password being chosen: the server's shortest length (8) and its hint; managers may suggest one. */
export function NewPasswordField(props: PasswordProps) {
  return (
    <Field
      {...props}
      type="password"
      autocomplete="new-password"
      hint={t.passwordHint}
      minLength={8}
    />
  );
}

/** The password the account has now (signing in, or confirming a change). */
export function CurrentPasswordField(props: PasswordProps) {
  return <Field {...props} type="password" autocomplete="current-password" />;
}

/** A form that never leaves the page: submitting runs `onSubmit`. */
export function Form(props: { label?: string; onSubmit: () => void; children: ComponentChildren }) {
  return (
    <form
      {...(props.label && { 'aria-label': props.label })}
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
    </form>
  );
}

export function Submit({ busy, children }: { busy: boolean; children: ComponentChildren }) {
  return (
    <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
      {busy ? t.working : children}
    </button>
  );
}

/** The page's one heading, focused when the view changes so that it is read out first. */
export function Heading({ children }: { children: ComponentChildren }) {
  return (
    <h1 tabIndex={-1} class="title">
      {children}
    </h1>
  );
}
