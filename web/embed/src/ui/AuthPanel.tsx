/**
 * The account bar: who is signed in and "Sign out", or an invitation with "Log in" and
 * "Sign up" that open the matching form. Signing in or out reloads the thread, since the
 * viewer's own, pending and reacted flags change with the viewer.
 */
import { Session } from '../state/session.js';
import { useStoreValue } from '../state/use-store-value.js';
import { AuthForm } from './AuthForm.js';
import type { AuthFormMode } from './AuthForm.js';
import { useWidget } from './widget-context.js';

export type AuthPanelMode = 'closed' | AuthFormMode;

interface AuthPanelProps {
  readonly mode: AuthPanelMode;
  readonly onModeChange: (mode: AuthPanelMode) => void;
}

const COMPOSER_FIELD = '.composer textarea';
const FIRST_ACCOUNT_BUTTON = '.account button';

export function AuthPanel({ mode, onModeChange }: AuthPanelProps) {
  const { t, session, auth, thread, announcer, focus } = useWidget();
  const user = useStoreValue(session, Session.key, () => session.user);

  const afterSessionChange = async (announcement: string, focusTarget: string) => {
    onModeChange('closed');
    await thread.reload().catch(() => undefined);
    announcer.announce(announcement);
    focus(focusTarget);
  };

  const signOut = async () => {
    await auth.logOut();
    await afterSessionChange(t.announceSignedOut, FIRST_ACCOUNT_BUTTON);
  };

  if (user) {
    return (
      <div class="account">
        <p>
          {t.signedInAs} <strong dir="auto">{user.displayName}</strong>
        </p>
        <button type="button" class="secondary" onClick={signOut}>
          {t.signOut}
        </button>
      </div>
    );
  }

  if (mode !== 'closed') {
    return (
      <AuthForm
        key={mode}
        mode={mode}
        onSwitch={onModeChange}
        onCancel={() => {
          onModeChange('closed');
          focus(FIRST_ACCOUNT_BUTTON);
        }}
        onSignedIn={(displayName) =>
          afterSessionChange(`${t.signedInAs} ${displayName}`, COMPOSER_FIELD)
        }
      />
    );
  }

  return (
    <div class="account">
      <p>{t.joinPrompt}</p>
      <div class="buttons">
        <button type="button" class="primary" onClick={() => onModeChange('login')}>
          {t.logIn}
        </button>
        <button type="button" class="secondary" onClick={() => onModeChange('signup')}>
          {t.signUp}
        </button>
      </div>
    </div>
  );
}
