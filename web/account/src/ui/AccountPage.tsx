/**
 * "Your account" (`/account`). Opened by the widget, it tells its opener it is ready (addressed to
 * the publisher's origin, which the server checked) and takes the access token the widget answers
 * with, but only from that origin and that window. Opened alone (a mailed link) or when the widget
 * does not answer, it asks the reader to log in, and keeps that session in memory only.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../api.js';
import type { ResponseOf, Session, Viewer } from '../api.js';
import { AccountSections } from './AccountSections.js';
import { Heading, errorText, t } from './common.js';
import { postToOpener } from './PopupPage.js';
import { SignInForms } from './SignInForms.js';

/** How long to wait for the widget's token before offering to log in here. */
const HANDSHAKE_MS = 4000;
const LOCAL_ONLY = { local: true, sso: false, oidc: false } as const;

type Phase = 'connecting' | 'login' | 'ready' | 'ended';

interface TokenMessage {
  readonly type: 'parley:token';
  readonly token: string;
}

const isTokenMessage = (data: unknown): data is TokenMessage =>
  typeof data === 'object' &&
  data !== null &&
  (data as TokenMessage).type === 'parley:token' &&
  typeof (data as TokenMessage).token === 'string';

export function AccountPage({ origin, siteId }: { origin: string | null; siteId: string | null }) {
  const opener = window.opener as Window | null;
  const [phase, setPhase] = useState<Phase>(origin && opener ? 'connecting' : 'login');
  const [session, setSession] = useState<{ token: string; viewer: Viewer } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const adopt = async (token: string) => {
    try {
      const { user } = await call<ResponseOf<'/api/v1/auth/me', 'get'>>('GET', '/auth/me', {
        token,
      });
      setSession({ token, viewer: user });
      setPhase('ready');
    } catch (failure) {
      setNotice(
        failure instanceof ApiError && failure.status === 401 ? t.sessionEnded : errorText(failure),
      );
      setPhase('login');
    }
  };

  useEffect(() => {
    if (!origin || !opener) return;
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== origin || event.source !== opener || !isTokenMessage(event.data)) return;
      void adopt(event.data.token);
    };
    window.addEventListener('message', onMessage);
    postToOpener({ type: 'parley:ready' }, origin);
    const timer = setTimeout(
      () => setPhase((current) => (current === 'connecting' ? 'login' : current)),
      HANDSHAKE_MS,
    );
    return () => {
      window.removeEventListener('message', onMessage);
      clearTimeout(timer);
    };
  }, []);

  const signedIn = (started: Session) => {
    setNotice(null);
    setSession({ token: started.token, viewer: started.user });
    setPhase('ready');
  };

  return (
    <>
      <Heading>{t.accountTitle}</Heading>
      {phase === 'connecting' && (
        <p class="notice" role="status">
          {t.connecting}
        </p>
      )}
      {phase === 'login' && (
        <>
          <p class="notice" role="status">
            {notice || t.logInToManage}
          </p>
          <SignInForms
            methods={LOCAL_ONLY}
            onSession={signedIn}
            site={siteId ? { siteId } : null}
          />
          <p class="hint">{t.publisherAccount}</p>
        </>
      )}
      {phase === 'ready' && session && (
        <AccountSections
          token={session.token}
          viewer={session.viewer}
          siteId={siteId}
          onViewer={(viewer) => setSession({ token: session.token, viewer })}
          onSignedOut={() => {
            setSession(null);
            setPhase('ended');
          }}
        />
      )}
      {phase === 'ended' && (
        <p class="notice" role="status">
          {t.signedOutEverywhere}
        </p>
      )}
    </>
  );
}
