/**
 * The account bar: who is signed in, with "Your account" and "Sign out", or an invitation with
 * "Sign in" (Parley's sign-in popup, or the publisher's own login: see state/sign-in.ts). The
 * thread reloads by itself when the viewer changes (state/auth-actions.ts). A signed-in reader's
 * bell and its list of notifications come from the notification features (Slot.tsx).
 */
import { useEffect } from 'preact/hooks';
import { Session } from '../state/session.js';
import { SIGN_IN } from '../state/sign-in.js';
import { useStoreValue } from '../state/use-store-value.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Slot } from './Slot.js';
import { describeError } from './use-action.js';
import { useWidget } from './widget-context.js';

const FIRST_ACCOUNT_BUTTON = '.account button';

export function AuthPanel() {
  const { t, session, auth, signIn, announcer, focus } = useWidget();
  const user = useStoreValue(session, Session.key, () => session.user);
  const failure = useStoreValue(signIn, SIGN_IN, () => signIn.failure);

  useEffect(() => {
    if (!user) signIn.loadMethods();
  }, [user]);

  const signOut = async () => {
    await auth.logOut();
    announcer.announce(t.announceSignedOut);
    focus(FIRST_ACCOUNT_BUTTON);
  };

  return (
    <>
      {user ? (
        <div class="account" part="account">
          <p>
            {t.signedInAs} <strong dir="auto">{user.displayName}</strong>
          </p>
          <div class="buttons">
            <Slot name="bell" />
            <button
              type="button"
              class="secondary"
              part="button"
              onClick={() => signIn.openAccount()}
            >
              {t.yourAccount}
            </button>
            <button type="button" class="secondary" part="button" onClick={signOut}>
              {t.signOut}
            </button>
          </div>
        </div>
      ) : (
        <div class="account" part="account">
          <p>{t.joinPrompt}</p>
          <button
            type="button"
            class="primary"
            part="button primary"
            onClick={() => signIn.start()}
          >
            {t.signIn}
          </button>
        </div>
      )}
      {user && <Slot name="inbox" />}
      <ErrorAlert message={failure && describeError(failure, t)} />
    </>
  );
}
