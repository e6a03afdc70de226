/**
 * The mail outbox (GET /admin/mail, admins only): every account mail Parley sent or holds, newest
 * first, with its delivery state, attempts and last error; a message opens beside the list with
 * its plain text and its HTML. The HTML is shown in a sandboxed frame (no scripts, no same-origin
 * access): it is a reader's mail, not part of the dashboard. With no SMTP server configured (the
 * demo) mail is held here, and this is where its links are read.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  RIGHT_TO_LEFT_LANGUAGES,
  type InterfaceLanguage,
} from '../../../../src/domain/vocabulary.js';
import { describeError, isAbort } from '../api/client.js';
import { MAIL_STATES, type MailMessage, type MailState, type MailSummary } from '../api/types.js';
import { usePagedList } from '../state/paged-list.js';
import { useDashboard } from './context.js';
import { formatDateTime, formatRelative, plural } from './format.js';
import { PagedListFrame } from './PagedListFrame.js';

const STATE_LABELS: Record<MailState, string> = {
  queued: 'Queued',
  sent: 'Sent',
  held: 'Held',
  failed: 'Failed',
};

const STATE_CLASS: Record<MailState, string> = {
  queued: 'badge badge-info',
  sent: 'status status-approved',
  held: 'status status-pending',
  failed: 'status status-rejected',
};

const STATE_HINTS: Record<MailState, string> = {
  queued: 'Waiting for the job queue',
  sent: 'Accepted by the SMTP server',
  held: 'No SMTP server is configured: read it here',
  failed: 'The last attempt failed; retried with backoff until attempts run out',
};

const LANGUAGE_NAMES: Readonly<Record<InterfaceLanguage, string>> = {
  en: 'English',
  ar: 'Arabic',
  he: 'Hebrew',
  zh: 'Chinese',
  fr: 'French',
  es: 'Spanish',
};

/** The direction of a message's language, for showing its text. */
const dirOf = (locale: string) =>
  (RIGHT_TO_LEFT_LANGUAGES as readonly string[]).includes(locale) ? 'rtl' : 'ltr';

/** A message's language by name (a locale Parley no longer has: as written). */
const languageName = (locale: string): string =>
  (LANGUAGE_NAMES as Readonly<Record<string, string | undefined>>)[locale] ?? locale;

function StateBadge({ state }: { readonly state: MailState }) {
  return (
    <span class={STATE_CLASS[state]} title={STATE_HINTS[state]}>
      {STATE_LABELS[state]}
    </span>
  );
}

export function MailView() {
  const { api } = useDashboard();
  const [state, setState] = useState<MailState | ''>('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const list = usePagedList<MailSummary>(
    (cursor, signal) => api.mail(state || undefined, cursor, signal),
    [state, version],
  );
  const { items, replace } = list;

  return (
    <div class="workspace">
      <div class="column column-queues">
        <h2 class="side-title">Mail</h2>
        <div class="side-filters">
          <label class="field">
            <span class="field-label">State</span>
            <select
              name="state"
              value={state}
              onChange={(event) => setState(event.currentTarget.value as MailState | '')}
            >
              <option value="">Any state</option>
              {MAIL_STATES.map((each) => (
                <option key={each} value={each}>
                  {STATE_LABELS[each]}
                </option>
              ))}
            </select>
          </label>
          <div class="button-row">
            <button type="button" class="btn" onClick={() => setVersion((n) => n + 1)}>
              Refresh
            </button>
          </div>
        </div>
        <p class="side-note muted">
          Account mail: address checks, password resets, address changes and deletions. “Held” mail
          waits here when no SMTP server is configured (SMTP_URL).
        </p>
      </div>

      <PagedListFrame
        layout="column"
        title="Mail"
        count={(n) => plural(n, 'message')}
        list={list}
        empty={state ? `No ${STATE_LABELS[state].toLowerCase()} mail.` : 'No mail yet.'}
      >
        <table class="table mail-table">
          <caption class="vh">Account mail, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">State</th>
              <th scope="col" class="num">
                Attempts
              </th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr
                key={item.id}
                class={item.id === selectedId ? 'row-selected' : undefined}
                aria-selected={item.id === selectedId}
              >
                <td class="nowrap">
                  <time dateTime={item.createdAt} title={formatDateTime(item.createdAt)}>
                    {formatRelative(item.createdAt)}
                  </time>
                </td>
                <td class="mail-to">{item.to}</td>
                <td>
                  <button
                    type="button"
                    class="btn-link mail-subject"
                    dir={dirOf(item.locale)}
                    aria-current={item.id === selectedId ? 'true' : undefined}
                    onClick={() => setSelectedId(item.id)}
                  >
                    {item.subject}
                  </button>
                  <span class="muted mail-kind">
                    {item.template} · {languageName(item.locale)}
                  </span>
                </td>
                <td>
                  <StateBadge state={item.state} />
                </td>
                <td class="num">{item.attempts}</td>
                <td class="mail-error" title={item.lastError ?? undefined}>
                  {item.lastError ?? <span class="muted">—</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </PagedListFrame>

      {selectedId ? (
        <MessagePanel key={selectedId} id={selectedId} onChanged={replace} />
      ) : (
        <aside class="column column-details" aria-label="Message">
          <p class="empty">Select a message to read it.</p>
        </aside>
      )}
    </div>
  );
}

function MessagePanel(props: {
  readonly id: string;
  readonly onChanged: (message: MailSummary) => void;
}) {
  const { api, announce } = useDashboard();
  const [message, setMessage] = useState<MailMessage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api.mailMessage(props.id, controller.signal).then(
      (result) => {
        setMessage(result);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbort(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [props.id]);

  const retry = async () => {
    setBusy(true);
    try {
      const result = await api.retryMail(props.id);
      setMessage(result);
      props.onChanged(result);
      setError(null);
      announce('Queued to be sent again.');
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  if (!message) {
    return (
      <aside class="column column-details" aria-label="Message">
        {error ? (
          <p class="error banner" role="alert">
            {error}
          </p>
        ) : (
          <p class="muted list-note">Loading…</p>
        )}
      </aside>
    );
  }

  const dir = dirOf(message.locale);
  return (
    <aside class="column column-details" aria-label={`Message: ${message.subject}`}>
      <section class="panel" aria-labelledby="mail-title">
        <h2 id="mail-title" class="panel-title" dir={dir}>
          {message.subject}
        </h2>
        <div class="badge-line">
          <StateBadge state={message.state} />
          <span class="muted">
            {message.template} · {languageName(message.locale)}
          </span>
        </div>
        <dl class="facts">
          <dt>To</dt>
          <dd>{message.to}</dd>
          <dt>Created</dt>
          <dd>{formatDateTime(message.createdAt)}</dd>
          <dt>Sent</dt>
          <dd>{message.sentAt ? formatDateTime(message.sentAt) : '—'}</dd>
          <dt>Attempts</dt>
          <dd>{message.attempts}</dd>
          {message.lastError && (
            <>
              <dt>Last error</dt>
              <dd class="mail-error-full">{message.lastError}</dd>
            </>
          )}
        </dl>
        {(message.state === 'failed' || message.state === 'held') && (
          <div class="button-row mail-actions">
            <button type="button" class="btn" disabled={busy} onClick={() => void retry()}>
              {busy ? 'Sending…' : 'Send again now'}
            </button>
          </div>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </section>
      <section class="panel" aria-labelledby="mail-text-title">
        <h3 id="mail-text-title" class="panel-title">
          Plain text
        </h3>
        <pre class="mail-text" dir={dir} lang={message.locale}>
          {message.text}
        </pre>
      </section>
      <section class="panel" aria-labelledby="mail-html-title">
        <h3 id="mail-html-title" class="panel-title">
          HTML
        </h3>
        <iframe
          class="mail-preview"
          title={`The HTML of “${message.subject}”`}
          sandbox=""
          srcdoc={message.html}
        />
      </section>
    </aside>
  );
}
