/**
 * What a signed-in reader can do on "Your account": their name, address and password (what the
 * publisher manages for SSO accounts is left out), their notifications and mail settings
 * (NotificationsSection.tsx), where they are signed in, their data, and the deletion of their
 * account (confirmed with the password for local accounts, cancellable while it is pending). Each
 * section is its own form with its own messages.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, downloadExport, listSessions } from '../api.js';
import type { ResponseOf, SessionInfo, Viewer } from '../api.js';
import {
  CurrentPasswordField,
  Field,
  Form,
  NewPasswordField,
  Notices,
  Submit,
  dateText,
  t,
  useAction,
} from './common.js';
import { NotificationsSection } from './NotificationsSection.js';
import { ProfileSection } from './ProfileSection.js';

interface SectionProps {
  readonly token: string;
  readonly viewer: Viewer;
  readonly onViewer: (viewer: Viewer) => void;
  /** The site the page was opened for: the mail it asks for carries the site's brand. */
  readonly siteId?: string | null;
}

export function AccountSections(props: SectionProps & { onSignedOut: () => void }) {
  const { viewer } = props;
  const local = viewer.identity === undefined || viewer.identity === 'local';
  return (
    <>
      <p class="who">
        <bdi>{t.signedInAs(viewer.displayName)}</bdi>
      </p>
      {viewer.deletionDueAt && (
        <p class="pending">
          {t.deletionDue(dateText(viewer.deletionDueAt))} <a href="#delete">{t.cancelDeletion}</a>
        </p>
      )}
      {viewer.identity !== 'sso' && <NameSection {...props} />}
      {local && <AddressSection {...props} />}
      {local && <PasswordSection {...props} />}
      <NotificationsSection token={props.token} />
      <ProfileSection token={props.token} userId={viewer.id} siteId={props.siteId} />
      <SessionsSection token={props.token} onSignedOut={props.onSignedOut} />
      <DataSection token={props.token} />
      <DeletionSection {...props} local={local} />
    </>
  );
}

function Section({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: ComponentChildren;
}) {
  return (
    <section class="section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function NameSection({ token, viewer, onViewer }: SectionProps) {
  const [displayName, setDisplayName] = useState(viewer.displayName);
  const action = useAction();
  const submit = () =>
    action.run(async () => {
      const { user } = await call<ResponseOf<'/api/v1/auth/me', 'patch'>>('PATCH', '/auth/me', {
        token,
        body: { displayName },
      });
      onViewer(user);
      return t.nameSaved;
    });
  return (
    <Section id="profile" title={t.profile}>
      <Form onSubmit={submit}>
        <Field
          label={t.displayName}
          name="displayName"
          autocomplete="nickname"
          value={displayName}
          onInput={setDisplayName}
          maxLength={50}
        />
        <Notices action={action} />
        <Submit busy={action.busy}>{t.save}</Submit>
      </Form>
    </Section>
  );
}

function AddressSection({ token, viewer, siteId }: SectionProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const change = useAction();
  const resend = useAction();
  const submit = () =>
    change.run(
      async () => {
        const body = { email, password, ...(siteId && { siteId }) };
        await call('POST', '/auth/me/email', { token, body });
        setPassword('');
        return t.emailSent(email);
      },
      { INVALID_CREDENTIALS: t.wrongPassword },
    );
  return (
    <Section id="address" title={t.addressSection}>
      <p>
        <bdi dir="ltr">{t.currentAddress(viewer.email)}</bdi>
      </p>
      {viewer.emailVerified === false && (
        <div class="unverified">
          <p>{t.notVerified}</p>
          <button
            type="button"
            disabled={resend.busy}
            onClick={() =>
              resend.run(async () => {
                const query = siteId ? `?${new URLSearchParams({ siteId })}` : '';
                await call('POST', `/auth/verify-email/resend${query}`, { token });
                return t.verifySent;
              })
            }
          >
            {t.sendAgain}
          </button>
          <Notices action={resend} />
        </div>
      )}
      <Form label={t.changeEmail} onSubmit={submit}>
        <Field
          label={t.newEmail}
          name="email"
          type="email"
          autocomplete="email"
          value={email}
          onInput={setEmail}
        />
        <CurrentPasswordField
          label={t.password}
          name="password"
          value={password}
          onInput={setPassword}
        />
        <Notices action={change} />
        <Submit busy={change.busy}>{t.changeEmail}</Submit>
      </Form>
    </Section>
  );
}

function PasswordSection({ token }: SectionProps) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const action = useAction();
  const submit = () =>
    action.run(
      async () => {
        await call('POST', '/auth/me/password', { token, body: { currentPassword, newPassword } });
        setCurrent('');
        setNew('');
        return t.passwordChanged;
      },
      { INVALID_CREDENTIALS: t.wrongPassword },
    );
  return (
    <Section id="password" title={t.passwordSection}>
      <Form onSubmit={submit}>
        <CurrentPasswordField
          label={t.currentPassword}
          name="currentPassword"
          value={currentPassword}
          onInput={setCurrent}
        />
        <NewPasswordField
          label={t.newPassword}
          name="newPassword"
          value={newPassword}
          onInput={setNew}
        />
        <Notices action={action} />
        <Submit busy={action.busy}>{t.changePassword}</Submit>
      </Form>
    </Section>
  );
}

/** "Chrome on Windows (this device)": the names the server read from the user agent. */
function deviceText(session: SessionInfo): string {
  const named = t.device(session.browser ?? null, session.os ?? null);
  if (session.current) return named ? t.thisNamedDevice(named) : t.thisDevice;
  return named || t.unknownDevice;
}

function SessionsSection({ token, onSignedOut }: { token: string; onSignedOut: () => void }) {
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const action = useAction();
  const load = () =>
    listSessions(token).then(setSessions, (failure: unknown) => {
      setSessions([]);
      action.run(() => Promise.reject(failure));
    });
  useEffect(() => void load(), []);
  const revoke = (id: string) =>
    action.run(async () => {
      await call('DELETE', `/auth/sessions/${encodeURIComponent(id)}`, { token });
      await load();
      return null;
    });
  const everywhere = () =>
    action.run(async () => {
      await call('POST', '/auth/logout-everywhere', { token });
      onSignedOut();
      return null;
    });
  return (
    <Section id="sessions" title={t.sessionsSection}>
      {sessions && sessions.length > 0 && (
        <ul class="sessions">
          {sessions.map((session) => (
            <li key={session.id}>
              <span class="device" dir="auto">
                {deviceText(session)}
              </span>
              {session.createdAt && (
                <span class="since">{t.signedInOn(dateText(session.createdAt))}</span>
              )}
              {!session.current && (
                <button type="button" disabled={action.busy} onClick={() => revoke(session.id)}>
                  {t.signOut}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <Notices action={action} />
      <p>
        <button type="button" disabled={action.busy} onClick={everywhere}>
          {t.signOutEverywhere}
        </button>
      </p>
    </Section>
  );
}

function DataSection({ token }: { token: string }) {
  const action = useAction();
  return (
    <Section id="data" title={t.dataSection}>
      <p>{t.dataExplained}</p>
      <Notices action={action} />
      <p>
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            action.run(async () => {
              await downloadExport(token);
              return t.downloaded;
            })
          }
        >
          {t.download}
        </button>
      </p>
    </Section>
  );
}

function DeletionSection({ token, onViewer, viewer, local }: SectionProps & { local: boolean }) {
  const [password, setPassword] = useState('');
  const action = useAction();
  const schedule = () =>
    action.run(
      async () => {
        const { deletionDueAt } = await call<ResponseOf<'/api/v1/auth/me/deletion', 'post'>>(
          'POST',
          '/auth/me/deletion',
          { token, body: local ? { password } : {} },
        );
        setPassword('');
        onViewer({ ...viewer, deletionDueAt });
        return null;
      },
      { INVALID_CREDENTIALS: t.wrongPassword },
    );
  const cancel = () =>
    action.run(async () => {
      const { user } = await call<ResponseOf<'/api/v1/auth/me/deletion', 'delete'>>(
        'DELETE',
        '/auth/me/deletion',
        { token },
      );
      onViewer({ ...user, deletionDueAt: null });
      return t.deletionCancelled;
    });
  if (viewer.deletionDueAt) {
    return (
      <Section id="delete" title={t.deleteSection}>
        <p>{t.deletionDue(dateText(viewer.deletionDueAt))}</p>
        <Notices action={action} />
        <button type="button" class="primary" disabled={action.busy} onClick={cancel}>
          {t.cancelDeletion}
        </button>
      </Section>
    );
  }
  return (
    <Section id="delete" title={t.deleteSection}>
      <p>{t.deleteExplained}</p>
      <Form onSubmit={schedule}>
        {local && (
          <CurrentPasswordField
            label={t.confirmWithPassword}
            name="deletePassword"
            value={password}
            onInput={setPassword}
          />
        )}
        <Notices action={action} />
        <button type="submit" class="danger" disabled={action.busy}>
          {t.deleteAccount}
        </button>
      </Form>
    </Section>
  );
}
