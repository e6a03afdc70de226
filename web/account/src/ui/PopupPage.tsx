/**
 * The sign-in popup (`/auth/popup`): after a log-in it hands the session to the widget that opened
 * it with postMessage, addressed to the publisher's origin only (checked by the server against the
 * site's allowed origins), and the widget closes it. An OIDC sign-in ends on the callback's own page, which
 * does the same (src/server/routes/federated.ts). After a sign-up it stays open, waiting for the
 * mailed link to be followed in this browser: the confirmation page sends the new session here
 * (../handoff.ts), and it goes to the widget the same way. Nothing else hands it a session: one
 * opened while no popup waited stays on the confirmation page. The heading names the form shown.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AuthMethods, Session } from '../api.js';
import type { Messages } from '../i18n/en.js';
import { Heading, t } from './common.js';
import { SignInForms, type View } from './SignInForms.js';

/** Posts to the widget; false when there is no opener any more to post to. */
export function postToOpener(message: object, origin: string): boolean {
  const opener = window.opener as Window | null;
  if (!opener || opener.closed) return false;
  opener.postMessage(message, origin);
  return true;
}

/** How often the session is posted again until the widget, having taken it, closes this window. */
const REPOST_MS = 500;
/** When this window closes itself if no widget took the session (another origin's page, say). */
const SELF_CLOSE_MS = 5000;

/**
 * Hands the session over; the words shown until the window closes. The widget closes it as soon
 * as it has the session; until then it is posted again every half second. A window that posted
 * once and closed at once lost the session now and then in CI (the widget stayed signed out with
 * no error; the message never reached its handler), and a message repeated until it is taken
 * does not depend on why.
 */
function handOver(session: Session, origin: string): string {
  const message = { type: 'parley:session', session };
  if (!postToOpener(message, origin)) return t.noOpener;
  const again = setInterval(() => postToOpener(message, origin), REPOST_MS);
  setTimeout(() => {
    clearInterval(again);
    window.close();
  }, SELF_CLOSE_MS);
  return t.signedIn;
}

const HEADINGS: Record<View, keyof Messages> = {
  login: 'signInTitle',
  signup: 'signUpTitle',
  forgot: 'forgotTitle',
};

export function PopupPage(props: {
  siteId: string;
  origin: string;
  methods: AuthMethods;
  article: string | null;
}) {
  const [outcome, setOutcome] = useState<string | null>(null);
  const [view, setView] = useState<View>('login');
  const heading = t[HEADINGS[view]] as string;
  useEffect(() => {
    document.title = document.title.replace(/^[^·]*·/, `${heading} ·`);
  }, [heading]);
  const confirmed = (session: Session): boolean => {
    const outcome = handOver(session, props.origin);
    if (outcome === t.noOpener) return false;
    setOutcome(outcome);
    return true;
  };
  return (
    <>
      <Heading>{heading}</Heading>
      {outcome ? (
        <p class="notice" role="status">
          {outcome}
        </p>
      ) : (
        <SignInForms
          methods={props.methods}
          oidc={{ siteId: props.siteId, origin: props.origin }}
          site={{ siteId: props.siteId, article: props.article }}
          onView={setView}
          onSession={(session) => setOutcome(handOver(session, props.origin))}
          onConfirmed={confirmed}
        />
      )}
    </>
  );
}
