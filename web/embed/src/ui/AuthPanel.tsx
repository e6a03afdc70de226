/**
 * The account bar: who is signed in, with the bell, "Your account" and "Sign out", or an
 * invitation with "Sign in" (Parley's sign-in popup, or the publisher's own login: see
 * state/sign-in.ts). The thread reloads by itself when the viewer changes
 * (state/auth-actions.ts). A signed-in reader's bar, and their list of notifications, come from
 * the notification features (Slot.tsx, notify/ui/AccountBar.tsx), which load once they sign in.
 */
import { useEffect } from 'preact/hooks';
import { Session } from '../state/session.js';
import { SIGN_IN } from '../state/sign-in.js';
import { useStoreValue } from '../state/use-store-value.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Slot } from './Slot.js';
import { describeError } from './use-action.js';
import { useWidget } from './widget-context.js';

export function AuthPanel() {
  const { t, session, signIn } = useWidget();
  const user = useStoreValue(session, Session.key, () => session.user);
  const failure = useStoreValue(signIn, SIGN_IN, () => signIn.failure);

  useEffect(() => {
    if (!user) signIn.loadMethods();
  }, [user]);

  return (
    <>
      {user ? (
        // The features' account bar (notify/ui/AccountBar.tsx); until it is there, this one
        // without its buttons, of the same height.
        <Slot name="account">
          <div class="account" part="account">
            <p>
              {t.signedInAs} <strong dir="auto">{user.displayName}</strong>
            </p>
            <button type="button" class="secondary" disabled aria-hidden="true">
              {'\u00a0'}
            </button>
          </div>
        </Slot>
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
