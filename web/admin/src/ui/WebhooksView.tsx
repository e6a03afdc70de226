/**
 * Webhooks, for admins (docs/webhooks.md): a site's endpoints with their state, adding one (its
 * signing secret shown once, with a copy button), and for the endpoint chosen: its events, the
 * secret's rotation (the old one signs on for an overlap), disabling and enabling, a test event,
 * deleting it, and its delivery log (./WebhookLog.tsx) with every attempt and "send again".
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpoint,
  type WebhookState,
  type WebhookWithSecret,
} from '../api/types.js';
import { useDashboard } from './context.js';
import { ConfirmDialog } from './dialogs.js';
import { formatDateTime, formatRelative, plural } from './format.js';
import { Section } from './SettingsView.js';
import { OneSiteSelect, useOneSite } from './SiteSelect.js';
import { WebhookLog } from './WebhookLog.js';

const STATE_LABELS: Record<WebhookState, string> = {
  enabled: 'Enabled',
  failing: 'Failing',
  disabled: 'Disabled',
};
const STATE_CLASS: Record<WebhookState, string> = {
  enabled: 'status status-approved',
  failing: 'status status-pending',
  disabled: 'status status-rejected',
};

const EVENT_HINTS: Record<string, string> = {
  'comment.created': 'A comment is posted (published, held or rejected: its status says)',
  'comment.approved': 'A held or rejected comment is published',
  'comment.rejected': 'A moderator rejects a comment',
  'comment.featured': 'A moderator features a comment',
  'comment.deleted': 'A comment is deleted by its author or a moderator',
  'story.created': 'A new article gets its first visit from the widget',
  'user.banned': 'A reader is banned from this site',
  'user.deleted': 'A reader’s account is erased (their id only)',
};

/** How long a rotated secret keeps signing, as offered. */
const OVERLAPS: readonly (readonly [number, string])[] = [
  [0, 'Stop it now'],
  [1, '1 hour'],
  [24, '24 hours'],
  [72, '3 days'],
  [168, '7 days'],
];

export function StateBadge({ state }: { readonly state: WebhookState }) {
  return <span class={STATE_CLASS[state]}>{STATE_LABELS[state]}</span>;
}

export function WebhooksView() {
  const { api, me, siteName } = useDashboard();
  const siteId = useOneSite();
  const [endpoints, setEndpoints] = useState<WebhookEndpoint[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ id: string; value: string; rotated: boolean } | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);
  const isAdmin = me.user.role === 'admin';

  const load = async (signal?: AbortSignal) => {
    if (!siteId) return;
    const result = await api.webhooks(siteId, signal);
    setEndpoints(result.endpoints);
  };

  useEffect(() => {
    if (!isAdmin || !siteId) return undefined;
    const controller = new AbortController();
    setEndpoints(null);
    setSelectedId(null);
    setSecret(null);
    load(controller.signal).catch((failure: unknown) => {
      if (!isAbort(failure)) setError(describeError(failure));
    });
    return () => controller.abort();
  }, [siteId]);

  if (!isAdmin) {
    return (
      <div class="page">
        <h1 class="view-title">Webhooks</h1>
        <p class="notice">Only administrators manage webhooks.</p>
      </div>
    );
  }

  const site = siteId ? (siteName(siteId) ?? 'the site') : 'the site';
  const selected = endpoints?.find((each) => each.id === selectedId) ?? null;
  const replace = (endpoint: WebhookEndpoint) =>
    setEndpoints(
      (list) => list?.map((each) => (each.id === endpoint.id ? endpoint : each)) ?? list,
    );
  const showSecret = (result: WebhookWithSecret, rotated: boolean) =>
    setSecret({ id: result.endpoint.id, value: result.secret, rotated });

  return (
    <div class="page">
      <div class="page-head">
        <h1 class="view-title">Webhooks</h1>
        <div class="toolbar">
          <OneSiteSelect />
        </div>
      </div>
      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      {!siteId && <p class="empty">There is no site yet.</p>}
      {siteId && (
        <div class="page-body webhooks">
          <Section title={`Endpoints of ${site}`} id="webhook-endpoints">
            <p class="field-hint">
              Parley POSTs a signed JSON document to each endpoint when something it subscribed to
              happens on this site (docs/webhooks.md says how to check the signature).
            </p>
            {endpoints === null ? (
              <p class="muted">Loading…</p>
            ) : endpoints.length === 0 ? (
              <p class="muted">No endpoint yet.</p>
            ) : (
              <EndpointTable
                endpoints={endpoints}
                selectedId={selectedId}
                onSelect={(id) => {
                  setSelectedId(id);
                  if (secret?.id !== id) setSecret(null);
                }}
              />
            )}
          </Section>

          {secret && (
            <SecretBox
              key={secret.value}
              secret={secret.value}
              rotated={secret.rotated}
              onDone={() => setSecret(null)}
            />
          )}

          {selected ? (
            <EndpointPanel
              key={selected.id}
              endpoint={selected}
              onChange={replace}
              onRotated={(result) => {
                replace(result.endpoint);
                showSecret(result, true);
              }}
              onDeleted={() => {
                setEndpoints((list) => list?.filter((each) => each.id !== selected.id) ?? list);
                setSelectedId(null);
                setSecret(null);
              }}
            />
          ) : (
            <AddEndpoint
              siteId={siteId}
              onAdded={(result) => {
                setEndpoints((list) => [...(list ?? []), result.endpoint]);
                setSelectedId(result.endpoint.id);
                showSecret(result, false);
              }}
            />
          )}
        </div>
      )}
    </div>
  );
}

function EndpointTable(props: {
  readonly endpoints: WebhookEndpoint[];
  readonly selectedId: string | null;
  readonly onSelect: (id: string | null) => void;
}) {
  return (
    <>
      <table class="table webhook-endpoints">
        <caption class="vh">The site’s webhook endpoints</caption>
        <thead>
          <tr>
            <th scope="col">Address</th>
            <th scope="col">Events</th>
            <th scope="col">State</th>
            <th scope="col" class="num">
              Waiting
            </th>
          </tr>
        </thead>
        <tbody>
          {props.endpoints.map((endpoint) => {
            const current = endpoint.id === props.selectedId;
            return (
              <tr key={endpoint.id} class={current ? 'row-selected' : undefined}>
                <td>
                  <button
                    type="button"
                    class="btn-link webhook-url"
                    aria-current={current ? 'true' : undefined}
                    onClick={() => props.onSelect(endpoint.id)}
                  >
                    {endpoint.url}
                  </button>
                  {endpoint.description && (
                    <span class="muted webhook-description">{endpoint.description}</span>
                  )}
                </td>
                <td>{plural(endpoint.events.length, 'event')}</td>
                <td>
                  <StateBadge state={endpoint.state} />
                </td>
                <td class="num">{endpoint.pending}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {props.selectedId && (
        <div class="button-row">
          <button type="button" class="btn" onClick={() => props.onSelect(null)}>
            Add another endpoint
          </button>
        </div>
      )}
    </>
  );
}

/** The secret, once: a read-only field to select, and a button that copies it. */
function SecretBox(props: {
  readonly secret: string;
  readonly rotated: boolean;
  readonly onDone: () => void;
}) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.secret);
      setCopied('Copied to the clipboard.');
    } catch {
      // Without the asynchronous clipboard (a page not served over https), the selection.
      field.current?.select();
      setCopied(
        document.execCommand('copy') ? 'Copied to the clipboard.' : 'Selected: copy it now.',
      );
    }
  };
  return (
    <section class="settings-card webhook-secret" aria-labelledby="webhook-secret-title">
      <h2 id="webhook-secret-title" class="settings-title">
        {props.rotated ? 'The new signing secret' : 'The signing secret'}
      </h2>
      <p class="field-hint">
        Keep it in your receiver to check each delivery’s signature. It is shown this once: Parley
        will not show it again (rotate it to get a new one).
      </p>
      <div class="secret-row">
        <label class="vh" for="webhook-secret">
          Signing secret
        </label>
        <input
          ref={field}
          id="webhook-secret"
          class="secret-value"
          readOnly
          value={props.secret}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" class="btn" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" class="btn btn-ghost" onClick={props.onDone}>
          Done
        </button>
      </div>
      <p class="muted" role="status">
        {copied ?? ''}
      </p>
    </section>
  );
}

function EventChoices(props: {
  readonly legend: string;
  readonly chosen: readonly string[];
  readonly onChange: (events: string[]) => void;
}) {
  return (
    <fieldset class="webhook-events">
      <legend class="field-label">{props.legend}</legend>
      {WEBHOOK_EVENT_TYPES.map((type) => (
        <label key={type} class="check">
          <input
            type="checkbox"
            name="events"
            value={type}
            checked={props.chosen.includes(type)}
            onChange={(event) =>
              props.onChange(
                event.currentTarget.checked
                  ? WEBHOOK_EVENT_TYPES.filter((t) => t === type || props.chosen.includes(t))
                  : props.chosen.filter((t) => t !== type),
              )
            }
          />
          <code>{type}</code>
          <span class="muted"> {EVENT_HINTS[type]}</span>
        </label>
      ))}
    </fieldset>
  );
}

function AddEndpoint(props: {
  readonly siteId: string;
  readonly onAdded: (result: WebhookWithSecret) => void;
}) {
  const { api, announce } = useDashboard();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['comment.created']);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const add = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (url.trim() === '') return setProblem('Give the address that receives the events.');
    if (events.length === 0) return setProblem('Choose at least one event.');
    setBusy(true);
    setProblem(null);
    try {
      const result = await api.createWebhook(props.siteId, {
        url: url.trim(),
        description: description.trim(),
        events,
      });
      setUrl('');
      setDescription('');
      announce('Endpoint added. Copy its signing secret now: it is shown once.');
      props.onAdded(result);
    } catch (failure) {
      setProblem(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title="Add an endpoint" id="webhook-add">
      <form class="webhook-form" noValidate onSubmit={add} aria-label="Add an endpoint">
        <label class="field">
          <span class="field-label">Address</span>
          <input
            type="url"
            name="url"
            placeholder="https://cms.example/parley-events"
            value={url}
            onInput={(event) => setUrl(event.currentTarget.value)}
          />
          <span class="field-hint">
            Public https addresses; one on your own network only if the server allows it.
          </span>
        </label>
        <label class="field">
          <span class="field-label">Description</span>
          <input
            type="text"
            name="description"
            maxLength={200}
            value={description}
            onInput={(event) => setDescription(event.currentTarget.value)}
          />
        </label>
        <EventChoices legend="Events" chosen={events} onChange={setEvents} />
        <div class="button-row">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add endpoint'}
          </button>
        </div>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
      </form>
    </Section>
  );
}

function EndpointPanel(props: {
  readonly endpoint: WebhookEndpoint;
  readonly onChange: (endpoint: WebhookEndpoint) => void;
  readonly onRotated: (result: WebhookWithSecret) => void;
  readonly onDeleted: () => void;
}) {
  const { api, announce } = useDashboard();
  const { endpoint } = props;
  const [events, setEvents] = useState<string[]>(endpoint.events);
  const [overlap, setOverlap] = useState(24);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [logVersion, setLogVersion] = useState(0);

  const run = async (label: string, action: () => Promise<void>) => {
    if (busy) return;
    setBusy(label);
    setProblem(null);
    try {
      await action();
    } catch (failure) {
      setProblem(describeError(failure));
    } finally {
      setBusy(null);
    }
  };
  const eventsChanged =
    events.length !== endpoint.events.length || events.some((e) => !endpoint.events.includes(e));

  const saveEvents = () => {
    if (events.length === 0) return setProblem('Choose at least one event.');
    return run('events', async () => {
      const result = await api.updateWebhook(endpoint.id, { events });
      props.onChange(result.endpoint);
      announce('Events saved.');
    });
  };
  const rotate = () =>
    run('rotate', async () => {
      props.onRotated(await api.rotateWebhookSecret(endpoint.id, overlap));
      announce('New secret made. Copy it now: it is shown once.');
    });
  const toggle = () =>
    run('toggle', async () => {
      const enable = endpoint.state === 'disabled';
      const result = await api.setWebhookEnabled(endpoint.id, enable);
      props.onChange(result.endpoint);
      announce(enable ? 'Endpoint enabled.' : 'Endpoint disabled.');
    });
  const test = () =>
    run('test', async () => {
      await api.testWebhook(endpoint.id);
      setLogVersion((n) => n + 1);
      announce('Test event queued.');
    });
  const remove = () =>
    run('delete', async () => {
      await api.deleteWebhook(endpoint.id);
      setConfirming(false);
      announce('Endpoint deleted.');
      props.onDeleted();
    });

  const disabled = endpoint.state === 'disabled';
  return (
    <>
      <section class="settings-card" aria-labelledby="webhook-endpoint-title">
        <h2 id="webhook-endpoint-title" class="settings-title webhook-url">
          {endpoint.url}
        </h2>
        <div class="badge-line">
          <StateBadge state={endpoint.state} />
          {endpoint.description && <span class="muted">{endpoint.description}</span>}
        </div>
        <dl class="facts">
          {endpoint.failingSince && (
            <>
              <dt>Failing since</dt>
              <dd>{formatDateTime(endpoint.failingSince)}</dd>
            </>
          )}
          {endpoint.disabledAt && (
            <>
              <dt>Disabled</dt>
              <dd>
                {formatDateTime(endpoint.disabledAt)}
                {endpoint.disabledReason && `: ${endpoint.disabledReason}`}
              </dd>
            </>
          )}
          <dt>Waiting</dt>
          <dd>{plural(endpoint.pending, 'delivery', 'deliveries')}</dd>
          <dt>Secrets</dt>
          <dd>
            <ul class="plain-list">
              {endpoint.secrets.map((s) => (
                <li key={s.createdAt}>
                  Made {formatRelative(s.createdAt)}
                  {s.expiresAt ? `, signs until ${formatDateTime(s.expiresAt)}` : ' (current)'}
                </li>
              ))}
            </ul>
          </dd>
        </dl>
        <div class="button-row">
          <button
            type="button"
            class="btn btn-primary"
            disabled={busy !== null || disabled}
            title={disabled ? 'Enable the endpoint first' : undefined}
            onClick={() => void test()}
          >
            {busy === 'test' ? 'Sending…' : 'Send test event'}
          </button>
          <button type="button" class="btn" disabled={busy !== null} onClick={() => void toggle()}>
            {disabled ? 'Enable' : 'Disable'}
          </button>
          <button
            type="button"
            class="btn btn-quiet-danger"
            disabled={busy !== null}
            onClick={() => setConfirming(true)}
          >
            Delete
          </button>
        </div>
        <div class="webhook-rotate">
          <label class="field field-inline">
            <span class="field-label-inline">The old secret signs on for</span>
            <select
              name="overlap"
              value={overlap}
              onChange={(event) => setOverlap(Number(event.currentTarget.value))}
            >
              {OVERLAPS.map(([hours, label]) => (
                <option key={hours} value={hours}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="btn" disabled={busy !== null} onClick={() => void rotate()}>
            {busy === 'rotate' ? 'Rotating…' : 'Rotate secret'}
          </button>
        </div>
        <EventChoices legend="Events sent" chosen={events} onChange={setEvents} />
        <div class="button-row">
          <button
            type="button"
            class="btn"
            disabled={busy !== null || !eventsChanged}
            onClick={() => void saveEvents()}
          >
            Save events
          </button>
        </div>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
      </section>
      <WebhookLog endpoint={endpoint} version={logVersion} />
      {confirming && (
        <ConfirmDialog
          title="Delete this endpoint?"
          text={`Nothing more is sent to ${endpoint.url}, and its delivery log goes with it.`}
          confirmLabel="Delete endpoint"
          busy={busy === 'delete'}
          error={problem}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void remove()}
        />
      )}
    </>
  );
}
