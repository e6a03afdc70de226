/**
 * The pages mailed links open: confirm an address (`/account/verify`), confirm a new address
 * (`/account/email`), choose a new password (`/account/reset`). The token is read from the
 * address and then removed from it, so that it does not stay in the history; each token works
 * once, so the page says what to do when it has expired or been used.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../api.js';
import type { Viewer } from '../api.js';
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

/** Verify and email pages: the link's token is sent at once, and the answer shown. */
export function ConfirmPage({ kind }: { kind: 'verify' | 'email' }) {
  const token = useToken();
  const action = useAction();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!token) return;
    const path = kind === 'verify' ? '/auth/verify-email' : '/auth/email/confirm';
    action.run(async () => {
      try {
        const { user } = await call<{ user: Viewer }>('POST', path, { body: { token } });
        return kind === 'verify' ? t.verified : t.emailChanged(user.email);
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
