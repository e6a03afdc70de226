/**
 * "Notifications" on Your account: the reader's latest notifications (as the widget's bell lists
 * them, each a link to its comment in its article) with how many are unread, kept up to date by
 * the reader's own live stream (GET /notifications/events, the token in the URL as EventSource
 * needs), "Mark all read", and their mail settings: never, straight away, or an hourly or daily
 * digest, and about what. Mail goes to a confirmed address only, which the form says.
 */
import { useEffect, useState } from 'preact/hooks';
import { everyWordOf } from '../../../shared/openapi.js';
import { call, type ResponseOf } from '../api.js';
import { Notices, dateText, t, useAction } from './common.js';

type Settings = ResponseOf<'/api/v1/notifications/settings', 'get'>;
type EmailMode = Settings['email'];
type Kind = keyof Settings['kinds'];
type NotificationPage = ResponseOf<'/api/v1/notifications', 'get'>;
type NotificationItem = NotificationPage['items'][number];

const EMAIL_MODES = /* @__PURE__ */ everyWordOf<EmailMode>()([
  'off',
  'immediate',
  'hourly',
  'daily',
]);
const KINDS = /* @__PURE__ */ everyWordOf<Kind>()([
  'reply',
  'staff',
  'mention',
  'moderation',
  'featured',
]);
const SHOWN = 10;

export function NotificationsSection({ token }: { token: string }) {
  return (
    <section class="section" aria-labelledby="notifications">
      <h2 id="notifications">{t.notificationsSection}</h2>
      <RecentNotifications token={token} />
      <MailSettings token={token} />
    </section>
  );
}

function RecentNotifications({ token }: { token: string }) {
  const [items, setItems] = useState<readonly NotificationItem[] | null>(null);
  const [unread, setUnread] = useState(0);
  const action = useAction();

  useEffect(() => {
    let live = true;
    call<NotificationPage>('GET', `/notifications?limit=${SHOWN}`, { token }).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setUnread(page.unread);
      },
      (failure: unknown) => {
        setItems([]);
        action.run(() => Promise.reject(failure));
      },
    );
    // The reader's own stream: a notification from any story, as it happens.
    const stream =
      typeof EventSource === 'function'
        ? new EventSource(`/api/v1/notifications/events?token=${encodeURIComponent(token)}`)
        : null;
    stream?.addEventListener('notification', (event) => {
      try {
        const data = JSON.parse((event as MessageEvent<string>).data) as {
          notification: NotificationItem;
          unread: number;
        };
        setItems((known) =>
          [
            data.notification,
            ...(known || []).filter(({ id }) => id !== data.notification.id),
          ].slice(0, SHOWN),
        );
        setUnread(data.unread);
      } catch {
        // An event this version does not understand changes nothing.
      }
    });
    return () => {
      live = false;
      stream?.close();
    };
  }, [token]);

  const markAll = () =>
    action.run(async () => {
      const answer = await call<ResponseOf<'/api/v1/notifications/read', 'post'>>(
        'POST',
        '/notifications/read',
        {
          token,
          body: { all: true },
        },
      );
      const now = new Date().toISOString();
      setItems((known) => (known || []).map((item) => ({ ...item, readAt: item.readAt || now })));
      setUnread(answer.unread);
      return null;
    });

  return (
    <>
      <p role="status">{items && t.unreadCount(unread)}</p>
      {items && items.length === 0 && <p class="hint">{t.noNotifications}</p>}
      {items && items.length > 0 && (
        <ol class="notifications">
          {items.map((item) => (
            <li key={item.id} class={item.readAt ? undefined : 'unread'}>
              <a href={`${item.storyUrl.split('#')[0]}#parley-comment-${item.commentId}`}>
                {!item.readAt && <span class="vh">{t.unread} </span>}
                {sentence(item)}
              </a>
              {item.kind === 'rejected' && item.rejection && (
                <span class="why">
                  {t.reason}{' '}
                  <strong>
                    {(t.reasons as Record<string, string>)[item.rejection.code.toLowerCase()] ||
                      item.rejection.code}
                  </strong>
                  {item.rejection.note && (
                    <>
                      {' '}
                      <q dir="auto">{item.rejection.note}</q>
                    </>
                  )}
                </span>
              )}
              <span class="where">
                {fillTitle(item.storyTitle)}
                {' · '}
                <time dateTime={item.createdAt}>{dateText(item.createdAt)}</time>
              </span>
              {item.excerpt && (
                <span class="excerpt" dir="auto">
                  {item.excerpt}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      <Notices action={action} />
      {unread > 0 && (
        <p>
          <button type="button" disabled={action.busy} onClick={markAll}>
            {t.markAllRead}
          </button>
        </p>
      )}
    </>
  );
}

/** The sentence of a notification with the writer's name isolated for bidirectional text. */
function sentence(item: NotificationItem) {
  const [before = '', after = ''] = (t.what[item.kind] || t.what.reply).split('{name}');
  const named = (t.what[item.kind] || '').includes('{name}');
  return (
    <>
      {before}
      {named && <bdi>{item.actorName || t.someone}</bdi>}
      {after}
    </>
  );
}

function fillTitle(title: string | null) {
  const [before = '', after = ''] = t.onStory.split('{title}');
  return (
    <>
      {before}
      <cite dir="auto">{title || t.untitledStory}</cite>
      {after}
    </>
  );
}

function MailSettings({ token }: { token: string }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [email, setEmail] = useState<EmailMode>('off');
  const [kinds, setKinds] = useState<Record<Kind, boolean> | null>(null);
  const load = useAction();
  const save = useAction();

  const take = (value: Settings) => {
    setSettings(value);
    setEmail(value.email);
    setKinds({ ...value.kinds });
  };
  useEffect(() => {
    call<Settings>('GET', '/notifications/settings', { token }).then(take, (failure: unknown) =>
      load.run(() => Promise.reject(failure)),
    );
  }, [token]);

  if (!settings || !kinds) return <Notices action={load} />;
  const submit = (event: Event) => {
    event.preventDefault();
    save.run(async () => {
      take(
        await call<Settings>('PUT', '/notifications/settings', { token, body: { email, kinds } }),
      );
      return t.settingsSaved;
    });
  };
  return (
    <form aria-labelledby="mail-settings" onSubmit={submit}>
      <h3 id="mail-settings">{t.mailSettings}</h3>
      <fieldset aria-describedby="mail-note">
        <legend>{t.emailLegend}</legend>
        {EMAIL_MODES.map((mode) => (
          <label key={mode} class="choice">
            <input
              type="radio"
              name="email"
              value={mode}
              checked={email === mode}
              onChange={() => {
                setEmail(mode);
                save.reset();
              }}
            />
            {t.modes[mode]}
          </label>
        ))}
      </fieldset>
      <div id="mail-note">
        {settings.bounced ? (
          <p class="pending">{t.mailBounced}</p>
        ) : (
          !settings.emailConfirmed && <p class="hint">{t.mailUnconfirmed}</p>
        )}
      </div>
      <fieldset>
        <legend>{t.kindsLegend}</legend>
        {KINDS.map((kind) => (
          <label key={kind} class="choice">
            <input
              type="checkbox"
              name={kind}
              checked={kinds[kind]}
              onChange={(event) => {
                setKinds({ ...kinds, [kind]: event.currentTarget.checked });
                save.reset();
              }}
            />
            {t.kinds[kind]}
          </label>
        ))}
      </fieldset>
      <Notices action={save} />
      <button type="submit" class="primary" disabled={save.busy} aria-busy={save.busy}>
        {save.busy ? t.working : t.saveSettings}
      </button>
    </form>
  );
}
