/**
 * A signed-in reader's account bar, which the widget's AuthPanel shows through its "account" Slot
 * (with a placeholder of the same size until this module is there): who is signed in, the bell,
 * "Your account" (Parley's account pages in a popup, opened in the click itself, so no popup
 * blocker stops it; the session is handed over when they ask and read again when they close) and
 * "Sign out". Only signed-in readers see it, so it is not in the widget's first-paint file.
 */
import { Session } from '../../state/session.js';
import { useStoreValue } from '../../state/use-store-value.js';
import { useNotify } from '../shared.js';
import { Bell } from './Bell.js';

/** The Sign in button once signed out, where focus goes. */
const FIRST_ACCOUNT_BUTTON = '.account button';

/** Each widget's account popup, while it is open. */
const accountPopups = new WeakMap<object, { focus: () => void }>();

export function AccountBar() {
  const { host } = useNotify();
  const { t, session, auth, signIn, announcer, focus } = host;
  const user = useStoreValue(session, Session.key, () => session.user);
  if (!user) return null;

  const openAccount = () => {
    const open = accountPopups.get(host);
    if (open) return open.focus();
    const popup = signIn.open('/account', {
      message: (data, reply) => {
        if (data.type !== 'parley:ready') return;
        // Restoring refreshes an expired access token before it is handed over.
        void auth.restore().then(() => {
          if (session.token) reply({ type: 'parley:token', token: session.token });
        });
      },
      // The reader may have changed their name, or signed out everywhere, over there.
      closed: () => {
        accountPopups.delete(host);
        void auth.restore();
      },
    });
    if (popup) accountPopups.set(host, popup);
  };

  const signOut = async () => {
    await auth.logOut();
    announcer.announce(t.announceSignedOut);
    focus(FIRST_ACCOUNT_BUTTON);
  };

  return (
    <div class="account" part="account">
      <p>
        {t.signedInAs} <strong dir="auto">{user.displayName}</strong>
      </p>
      <div class="buttons">
        <Bell />
        <button type="button" class="secondary" part="button" onClick={openAccount}>
          {t.yourAccount}
        </button>
        <button type="button" class="secondary" part="button" onClick={signOut}>
          {t.signOut}
        </button>
      </div>
    </div>
  );
}
