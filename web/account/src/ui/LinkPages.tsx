/**
 * The pages mailed links open: confirm an address (`/account/verify`), confirm a new address
 * (`/account/email`), choose a new password (`/account/reset`). The token is read from the
 * address and then removed from it, so that it does not stay in the history; each token works
 * once, so the page says what to do when it has expired or been used.
 *
 * Confirming a new account's address signs the reader in (the API answers with a session): where
 * they signed up, when the sign-in popup still waits in this browser, and otherwise on this page,
 * which also leaves the session for the next popup of the site (../handoff.ts). A link mailed for a
 * site's article offers a button back to it (the server checked it is one of the site's pages).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../api.js';
import type { Session, Viewer } from '../api.js';
import { keepForLater, offerSession } from '../handoff.js';
import { Form, Heading, NewPasswordField, Notices, Submit, t, useAction } from './common.js';

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

/** Where the new session went: to the widget the reader signed up from, or to this page. */
async function signIn(session: Session, siteId: string | null, article: string | null) {
  if (await offerSession(session)) return t.verifiedThere;
  if (siteId && article) keepForLater(session, siteId, new URL(article).origin);
  return t.verifiedHere(session.user.displayName);
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
  useEffect(() => {
    if (!token) return;
    const path = kind === 'verify' ? '/auth/verify-email' : '/auth/email/confirm';
    action.run(async () => {
      try {
        const body = kind === 'email' && siteId ? { token, siteId } : { token };
        const { user, session } = await call<{ user: Viewer; session?: Session }>('POST', path, {
          body,
        });
        if (kind === 'email') return t.emailChanged(user.email);
        return session ? signIn(session, siteId, article) : t.verified;
      } catch (failure) {
        setFailed(true);
        throw failure;
      }
    });
  }, []);
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
          {failed && kind === 'verify' && <p class="notice">{t.verifyAgain}</p>}
        </>
      )}
      {article && (action.done || failed) && (
        <p>
          <a class="button primary back" href={article}>
            {t.backToArticle}
          </a>
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
