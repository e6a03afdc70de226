/**
 * The pages mailed links open: confirm an address (`/account/verify`), confirm a new address
 * (`/account/email`), choose a new password (`/account/reset`). The token is read from the
 * address and then removed from it, so that it does not stay in the history; each token works
 * once, so the page says what to do when it has expired or been used.
 *
 * Confirming a new account's address in the browser that signed up sends the secret that sign-up
 * kept here, and the API answers with a session (../handoff.ts): it goes where the reader signed
 * up, when the sign-in popup still waits in this browser, and otherwise stays on this page, which
 * becomes the signed-in account page (in memory, like /account). Anywhere else (no secret, or a
 * confirmation again) the address is confirmed and the page offers to log in with the password.
 * A link mailed for a site's article offers a button back to it once the reader is signed in or
 * the link failed (the server checked it is one of the site's pages).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../api.js';
import type { ResponseOf, Session, Viewer } from '../api.js';
import { forgetBinding, heldBindings, offerSession } from '../handoff.js';
import { AccountSections } from './AccountSections.js';
import { Form, Heading, NewPasswordField, Notices, Submit, t, useAction } from './common.js';
import { SignInForms } from './SignInForms.js';

const LOCAL_ONLY = { local: true, sso: false, oidc: false } as const;

function takeToken(): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  url.searchParams.delete('token');
  history.replaceState(null, '', url.pathname + url.search);
  return token;
}

/** The token of this page's address, read once. */
function useToken(): string | null {
  return useRef(takeToken()).current;
}

/** Who is signed in on this page (in memory only, like the account page). */
interface Here {
  readonly token: string;
  readonly viewer: Viewer;
}

/** Verify and email pages: the link's token is sent at once, and the answer shown. */
export function ConfirmPage({
  kind,
  siteId = null,
  article = null,
}: {
  kind: 'verify' | 'email';
  siteId?: string | null;
  article?: string | null;
}) {
  const token = useToken();
  const action = useAction();
  const [failed, setFailed] = useState(false);
  /** The confirmed address, when this page asks for the password (no session came). */
  const [logIn, setLogIn] = useState<string | null>(null);
  const [here, setHere] = useState<Here | null>(null);
  /** Words for a sign-in with the password on this page. */
  const [passwordSignIn, setPasswordSignIn] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (!token) return;
    const path = kind === 'verify' ? '/auth/verify-email' : '/auth/email/confirm';
    action.run(async () => {
      try {
        const bindings = kind === 'verify' ? heldBindings() : [];
        const body =
          kind === 'email'
            ? { token, ...(siteId && { siteId }) }
            : { token, ...(bindings.length > 0 && { bindings }) };
        // /auth/email/confirm answers the same without a session.
        const { user, session } = await call<ResponseOf<'/api/v1/auth/verify-email', 'post'>>(
          'POST',
          path,
          { body },
        );
        if (kind === 'email') return t.emailChanged(user.email);
        // The confirmation spent this address's secret, whatever it answered.
        forgetBinding(user.email);
        if (!session) {
          setLogIn(user.email);
          return t.verified;
        }
        if (await offerSession(session)) return t.verifiedThere;
        setHere({ token: session.token, viewer: session.user });
        return t.verifiedHere(session.user.displayName);
      } catch (failure) {
        setFailed(true);
        throw failure;
      }
    });
  }, []);
  const signedInHere = (session: Session) => {
    setLogIn(null);
    setHere({ token: session.token, viewer: session.user });
    action.reset();
    setPasswordSignIn(t.signedInHere(session.user.displayName));
  };
  // Not while the page asks for the password: the reader signs in here first.
  const offerBack = (action.done || failed || here !== null) && logIn === null;
  return (
    <>
      <Heading>{kind === 'verify' ? t.verifyTitle : t.emailTitle}</Heading>
      {!token ? (
        <p class="error" role="alert">
          {t.missingToken}
        </p>
      ) : (
        <>
          {action.busy && <p class="notice">{t.checking}</p>}
          <Notices action={action} />
          {passwordSignIn && (
            <p class="notice" role="status">
              {passwordSignIn}
            </p>
          )}
          {failed && kind === 'verify' && <p class="notice">{t.verifyAgain}</p>}
        </>
      )}
      {article && offerBack && (
        <p>
          <a class="button primary back" href={article}>
            {t.backToArticle}
          </a>
        </p>
      )}
      {logIn !== null && (
        <SignInForms
          methods={LOCAL_ONLY}
          email={logIn}
          onSession={signedInHere}
          site={siteId ? { siteId, article } : null}
        />
      )}
      {here && (
        <AccountSections
          token={here.token}
          viewer={here.viewer}
          siteId={siteId}
          onViewer={(viewer) => setHere({ token: here.token, viewer })}
          onSignedOut={() => {
            setHere(null);
            setEnded(true);
          }}
        />
      )}
      {ended && (
        <p class="notice" role="status">
          {t.signedOutEverywhere}
        </p>
      )}
    </>
  );
}

export function ResetPage() {
  const token = useToken();
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = () =>
    action.run(async () => {
      await call('POST', '/auth/password/reset', { body: { token, password } });
      setPassword('');
      return t.passwordReset;
    });
  const expired = action.error === t.invalidLink;
  return (
    <>
      <Heading>{t.resetTitle}</Heading>
      {!token ? (
        <p class="error" role="alert">
          {t.missingToken}
        </p>
      ) : (
        <Form onSubmit={submit}>
          {!action.done && !expired && (
            <NewPasswordField
              label={t.newPassword}
              name="password"
              value={password}
              onInput={setPassword}
            />
          )}
          <Notices action={action} />
          {expired && <p class="notice">{t.resetAgain}</p>}
          {!action.done && !expired && <Submit busy={action.busy}>{t.savePassword}</Submit>}
        </Form>
      )}
    </>
  );
}
