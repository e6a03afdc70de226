/**
 * Log in, create an account, ask for a password reset: the forms of the sign-in popup, and of the
 * account page and of the confirmation page when they have no session. Sign-up answers 202
 * without a session (the address is confirmed first, docs/identity.md); it sends the hash of a
 * secret this browser keeps, and the form then waits for the mailed link to be followed in this
 * browser, whose confirmation alone brings a session back here (../handoff.ts). The
 * forgotten-password answer is the same whether or not the address has an account; the words say
 * so. The OIDC button leaves for the provider in this same window, which comes back to the
 * callback's finishing page.
 */
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import type { AuthMethods, Session } from '../api.js';
import { awaitConfirmation, bindSignUp } from '../handoff.js';
import {
  CurrentPasswordField,
  Field,
  Form,
  NewPasswordField,
  Notices,
  Submit,
  t,
  useAction,
} from './common.js';

export type View = 'login' | 'signup' | 'forgot';

/** The site the forms are for: its mail is branded, and the confirmation links back to `article`. */
export interface FormSite {
  readonly siteId: string;
  readonly article?: string | null;
}

export interface SignInProps {
  readonly methods: AuthMethods;
  readonly onSession: (session: Session) => void;
  /**
   * The session that confirming a new account's address brought back; answers whether it was
   * taken (by default it is given to `onSession`).
   */
  readonly onConfirmed?: (session: Session) => boolean;
  /** Which form is shown (the page's heading follows it). */
  readonly onView?: (view: View) => void;
  /** Where the OIDC flow hands the session back: needed for the OIDC button. */
  readonly oidc?: { readonly siteId: string; readonly origin: string };
  readonly site?: FormSite | null;
  /** The address the forms start with (the confirmation page's). */
  readonly email?: string;
}

export function SignInForms(props: SignInProps) {
  const { methods, onSession, onConfirmed, onView, oidc, site } = props;
  const [view, setView] = useState<View>('login');
  const [email, setEmail] = useState(props.email ?? '');
  const action = useAction();
  const show = (next: View) => {
    action.reset();
    setView(next);
    onView?.(next);
  };
  const confirmed =
    onConfirmed ??
    ((session: Session) => {
      onSession(session);
      return true;
    });
  const offersOidc = methods.oidc && oidc;
  if (!methods.local && !offersOidc) return <p class="notice">{t.noMethods}</p>;

  return (
    <div class="sign-in">
      {offersOidc && (
        <>
          <p>
            <a
              class="button provider"
              href={`/api/v1/auth/oidc/start?${new URLSearchParams(oidc)}`}
            >
              {t.continueWith((methods.oidc as { label: string }).label)}
            </a>
          </p>
          {methods.local && <p class="or">{t.or}</p>}
        </>
      )}
      {methods.local && view === 'login' && (
        <LogIn email={email} setEmail={setEmail} onSession={onSession} show={show} />
      )}
      {methods.local && view === 'signup' && (
        <SignUp
          email={email}
          setEmail={setEmail}
          show={show}
          site={site ?? null}
          onConfirmed={confirmed}
        />
      )}
      {methods.local && view === 'forgot' && (
        <Forgot email={email} setEmail={setEmail} show={show} site={site ?? null} />
      )}
    </div>
  );
}

interface FormProps {
  readonly email: string;
  readonly setEmail: (email: string) => void;
  readonly show: (view: View) => void;
}

/** What the API is told of the site, when there is one. */
const siteFields = (site: FormSite | null, withArticle: boolean) =>
  site
    ? { siteId: site.siteId, ...(withArticle && site.article && { article: site.article }) }
    : {};

function LogIn({ email, setEmail, onSession, show }: FormProps & Pick<SignInProps, 'onSession'>) {
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = () =>
    action.run(async () => {
      onSession(await call<Session>('POST', '/auth/login', { body: { email, password } }));
      return null;
    });
  return (
    <>
      <Form label={t.logIn} onSubmit={submit}>
        <Field
          label={t.email}
          name="email"
          type="email"
          autocomplete="username"
          value={email}
          onInput={setEmail}
        />
        <CurrentPasswordField
          label={t.password}
          name="password"
          value={password}
          onInput={setPassword}
        />
        <Notices action={action} />
        <Submit busy={action.busy}>{t.logIn}</Submit>
      </Form>
      <p class="links">
        <button type="button" class="link" onClick={() => show('forgot')}>
          {t.forgotPassword}
        </button>
        <button type="button" class="link" onClick={() => show('signup')}>
          {t.signUp}
        </button>
      </p>
    </>
  );
}

function SignUp({
  email,
  setEmail,
  show,
  site,
  onConfirmed,
}: FormProps & { site: FormSite | null; onConfirmed: (session: Session) => boolean }) {
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [waitingFor, setWaitingFor] = useState<string | null>(null);
  const action = useAction();
  // Until the reader follows the mailed link in this browser, or leaves this form.
  useEffect(
    () => (waitingFor ? awaitConfirmation(waitingFor, onConfirmed) : undefined),
    [waitingFor],
  );
  const submit = () =>
    action.run(async () => {
      const binding = await bindSignUp(email);
      const body = {
        displayName,
        email,
        password,
        locale: document.documentElement.lang,
        ...siteFields(site, true),
        ...(binding && { binding }),
      };
      await call('POST', '/auth/signup', { body });
      setPassword('');
      setWaitingFor(email);
      return t.signUpSent(email);
    });
  return (
    <>
      <Form label={t.signUp} onSubmit={submit}>
        <Field
          label={t.displayName}
          name="displayName"
          autocomplete="nickname"
          value={displayName}
          onInput={setDisplayName}
          maxLength={50}
        />
        <Field
          label={t.email}
          name="email"
          type="email"
          autocomplete="email"
          value={email}
          onInput={setEmail}
        />
        <NewPasswordField
          label={t.password}
          name="password"
          value={password}
          onInput={setPassword}
        />
        <Notices action={action} />
        {!action.done && <Submit busy={action.busy}>{t.signUp}</Submit>}
      </Form>
      <p class="links">
        <button type="button" class="link" onClick={() => show('login')}>
          {t.backToLogIn}
        </button>
      </p>
    </>
  );
}

function Forgot({ email, setEmail, show, site }: FormProps & { site: FormSite | null }) {
  const action = useAction();
  const submit = () =>
    action.run(async () => {
      const body = { email, ...siteFields(site, false) };
      await call('POST', '/auth/password/forgot', { body });
      return t.forgotSent(email);
    });
  return (
    <>
      <Form label={t.forgotPassword} onSubmit={submit}>
        <Field
          label={t.email}
          name="email"
          type="email"
          autocomplete="email"
          value={email}
          onInput={setEmail}
        />
        <Notices action={action} />
        <Submit busy={action.busy}>{t.sendLink}</Submit>
      </Form>
      <p class="links">
        <button type="button" class="link" onClick={() => show('login')}>
          {t.backToLogIn}
        </button>
      </p>
    </>
  );
}
