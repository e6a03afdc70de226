/**
 * The log-in and sign-up forms, with a button to switch between them. Inputs keep the API's
 * field names (displayName, email, password) in every language.
 */
import { useId } from 'preact/hooks';
import { ErrorAlert } from './ErrorAlert.js';
import { FormButtons } from './FormButtons.js';
import { cancelOnEscape, useInitialFocus } from './form-behaviour.js';
import { useAction } from './use-action.js';
import { useWidget } from './widget-context.js';

export type AuthFormMode = 'login' | 'signup';

interface AuthFormProps {
  readonly mode: AuthFormMode;
  readonly onSwitch: (mode: AuthFormMode) => void;
  readonly onCancel: () => void;
  readonly onSignedIn: (displayName: string) => Promise<void>;
}

export function AuthForm({ mode, onSwitch, onCancel, onSignedIn }: AuthFormProps) {
  const { t, auth } = useWidget();
  const { busy, error, run } = useAction();
  const form = useInitialFocus<HTMLFormElement>('input');
  const signingUp = mode === 'signup';
  const title = signingUp ? t.signUp : t.logIn;

  const submit = (event: Event) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    const field = (name: string) => String(fields.get(name) || '');
    void run(async () => {
      const user = signingUp
        ? await auth.signUp(field('displayName').trim(), field('email').trim(), field('password'))
        : await auth.logIn(field('email').trim(), field('password'));
      await onSignedIn(user.displayName);
    });
  };

  return (
    <form
      ref={form}
      class="form panel auth"
      aria-label={title}
      onSubmit={submit}
      onKeyDown={cancelOnEscape(onCancel)}
    >
      {signingUp && (
        <Field name="displayName" label={t.displayName} type="text" autoComplete="nickname" />
      )}
      <Field name="email" label={t.email} type="email" autoComplete="email" />
      <Field
        name="password"
        label={t.password}
        type="password"
        autoComplete={signingUp ? 'new-password' : 'current-password'}
      />
      <ErrorAlert message={error} />
      <FormButtons submitLabel={title} busy={busy} onCancel={onCancel} />
      <button type="button" class="link" onClick={() => onSwitch(signingUp ? 'login' : 'signup')}>
        {signingUp ? t.logIn : t.signUp}
      </button>
    </form>
  );
}

interface FieldProps {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'email' | 'password';
  readonly autoComplete: string;
}

function Field({ name, label, type, autoComplete }: FieldProps) {
  const id = useId();
  return (
    <div class="field">
      <label class="label" for={id}>
        {label}
      </label>
      <input id={id} name={name} type={type} autoComplete={autoComplete} required dir="auto" />
    </div>
  );
}
