/**
 * The sign-in popup (`/auth/popup`): after a log-in it hands the session to the widget that opened
 * it with postMessage, addressed to the publisher's origin only (checked by the server against the
 * site's allowed origins), then closes. An OIDC sign-in ends on the callback's own page, which
 * does the same (src/server/routes/federated.ts).
 */
import { useState } from 'preact/hooks';
import type { AuthMethods, Session } from '../api.js';
import { Heading, t } from './common.js';
import { SignInForms } from './SignInForms.js';

/** Posts to the widget; false when there is no opener any more to post to. */
export function postToOpener(message: object, origin: string): boolean {
  const opener = window.opener as Window | null;
  if (!opener || opener.closed) return false;
  opener.postMessage(message, origin);
  return true;
}

/** Hands the session over and closes; the words that stay if the window cannot close. */
function handOver(session: Session, origin: string): string {
  if (!postToOpener({ type: 'parley:session', session }, origin)) return t.noOpener;
  window.close();
  return t.signedIn;
}

export function PopupPage(props: { siteId: string; origin: string; methods: AuthMethods }) {
  const [outcome, setOutcome] = useState<string | null>(null);
  return (
    <>
      <Heading>{t.signInTitle}</Heading>
      {outcome ? (
        <p class="notice" role="status">
          {outcome}
        </p>
      ) : (
        <SignInForms
          methods={props.methods}
          oidc={{ siteId: props.siteId, origin: props.origin }}
          onSession={(session) => setOutcome(handOver(session, props.origin))}
        />
      )}
    </>
  );
}
