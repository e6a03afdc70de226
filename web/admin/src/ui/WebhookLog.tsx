/**
 * An endpoint's delivery log (GET /admin/webhooks/:id/deliveries): its deliveries newest first,
 * filtered by state, refreshed by itself while some are still on their way; a delivery opens with
 * every attempt (when, the receiver's status, how long it took, the error, the first part of the
 * answer) and the payload as sent, and can be sent again (same webhook-id).
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import {
  WEBHOOK_DELIVERY_STATES,
  type WebhookDelivery,
  type WebhookDeliveryDetails,
  type WebhookDeliveryState,
  type WebhookEndpoint,
} from '../api/types.js';
import { usePagedList } from '../state/paged-list.js';
import { useDashboard } from './context.js';
import { formatDateTime, formatRelative, plural } from './format.js';

const STATE_LABELS: Record<WebhookDeliveryState, string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const STATE_CLASS: Record<WebhookDeliveryState, string> = {
  pending: 'status status-pending',
  delivered: 'status status-approved',
  failed: 'status status-rejected',
  cancelled: 'status status-deleted',
};
const STATE_HINTS: Record<WebhookDeliveryState, string> = {
  pending: 'On its way: tried again with backoff until three days after it was queued',
  delivered: 'The receiver answered 2xx',
  failed: 'Given up three days after it was queued',
  cancelled: 'Not sent: its reader’s account was erased',
};
/** How often the log looks again while deliveries are on their way. */
const REFRESH_MS = 1500;

function DeliveryBadge({ state }: { readonly state: WebhookDeliveryState }) {
  return (
    <span class={STATE_CLASS[state]} title={STATE_HINTS[state]}>
      {STATE_LABELS[state]}
    </span>
  );
}

export function WebhookLog(props: {
  readonly endpoint: WebhookEndpoint;
  readonly version: number;
}) {
  const { api } = useDashboard();
  const { endpoint } = props;
  const [state, setState] = useState<WebhookDeliveryState | ''>('');
  const [refresh, setRefresh] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const list = usePagedList<WebhookDelivery>(
    (cursor, signal) => api.webhookDeliveries(endpoint.id, state || undefined, cursor, signal),
    [endpoint.id, state, props.version, refresh],
  );
  const pending = list.items.some((d) => d.state === 'pending');
  const { replace } = list;

  // While deliveries are on their way, their rows are brought up to date in place.
  useEffect(() => {
    if (!pending || list.loading) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.webhookDeliveries(endpoint.id, state || undefined, null, controller.signal).then(
        (page) => page.items.forEach(replace),
        () => undefined,
      );
    }, REFRESH_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [pending, list.loading, list.items]);

  return (
    <section class="settings-card webhook-log" aria-labelledby="webhook-log-title">
      <h2 id="webhook-log-title" class="settings-title">
        Delivery log
        {!list.loading && (
          <span class="view-count">
            {plural(list.items.length, 'delivery', 'deliveries')}
            {list.nextCursor ? '+' : ''}
          </span>
        )}
      </h2>
      <div class="toolbar">
        <label class="field field-inline">
          <span class="field-label-inline">State</span>
          <select
            name="delivery-state"
            value={state}
            onChange={(event) => setState(event.currentTarget.value as WebhookDeliveryState | '')}
          >
            <option value="">Any state</option>
            {WEBHOOK_DELIVERY_STATES.map((each) => (
              <option key={each} value={each}>
                {STATE_LABELS[each]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="btn" onClick={() => setRefresh((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {list.error && (
        <p class="error" role="alert">
          {list.error}
        </p>
      )}
      {list.items.length > 0 && (
        <table class="table webhook-deliveries">
          <caption class="vh">Deliveries to this endpoint, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Queued</th>
              <th scope="col">Event</th>
              <th scope="col">State</th>
              <th scope="col" class="num">
                Attempts
              </th>
              <th scope="col" class="num">
                Last status
              </th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((d) => (
              <DeliveryRows
                key={d.id}
                endpointId={endpoint.id}
                delivery={d}
                open={d.id === openId}
                onToggle={() => setOpenId(d.id === openId ? null : d.id)}
                onResent={() => setRefresh((n) => n + 1)}
              />
            ))}
          </tbody>
        </table>
      )}
      {!list.loading && list.items.length === 0 && !list.error && (
        <p class="empty">
          {state ? `No ${STATE_LABELS[state].toLowerCase()} delivery.` : 'Nothing sent yet.'}
        </p>
      )}
      {list.nextCursor && !list.loading && (
        <div class="list-note">
          <button type="button" class="btn" onClick={() => void list.loadMore()}>
            Load more
          </button>
        </div>
      )}
    </section>
  );
}

function DeliveryRows(props: {
  readonly endpointId: string;
  readonly delivery: WebhookDelivery;
  readonly open: boolean;
  readonly onToggle: () => void;
  readonly onResent: () => void;
}) {
  const d = props.delivery;
  return (
    <>
      <tr class={props.open ? 'row-selected' : undefined} data-delivery={d.id}>
        <td class="nowrap">
          <time dateTime={d.createdAt} title={formatDateTime(d.createdAt)}>
            {formatRelative(d.createdAt)}
          </time>
        </td>
        <td>
          <button
            type="button"
            class="btn-link"
            aria-expanded={props.open}
            onClick={props.onToggle}
          >
            <code>{d.eventType}</code>
          </button>
        </td>
        <td>
          <DeliveryBadge state={d.state} />
        </td>
        <td class="num">{d.attempts}</td>
        <td class="num">{d.lastStatus ?? '—'}</td>
        <td class="mail-error" title={d.lastError ?? undefined}>
          {d.lastError ?? <span class="muted">—</span>}
        </td>
      </tr>
      {props.open && (
        <tr class="webhook-details-row">
          <td colSpan={6}>
            <DeliveryDetails endpointId={props.endpointId} delivery={d} onResent={props.onResent} />
          </td>
        </tr>
      )}
    </>
  );
}

function DeliveryDetails(props: {
  readonly endpointId: string;
  readonly delivery: WebhookDelivery;
  readonly onResent: () => void;
}) {
  const deliveryId = props.delivery.id;
  const { api, announce } = useDashboard();
  const [details, setDetails] = useState<WebhookDeliveryDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api.webhookDelivery(props.endpointId, deliveryId, controller.signal).then(
      (result) => setDetails(result.delivery),
      (failure: unknown) => {
        if (!isAbort(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
    // Read again when the row shows another attempt or state.
  }, [deliveryId, props.delivery.attempts, props.delivery.state]);

  const resend = async () => {
    setBusy(true);
    try {
      const { delivery } = await api.resendWebhookDelivery(props.endpointId, deliveryId);
      announce(
        delivery.id === deliveryId
          ? 'It will be tried again now.'
          : 'Queued again, with the same webhook-id.',
      );
      props.onResent();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  if (!details) {
    return error ? (
      <p class="error" role="alert">
        {error}
      </p>
    ) : (
      <p class="muted">Loading…</p>
    );
  }
  return (
    <div class="webhook-details" aria-label={`Delivery ${details.eventId}`}>
      <dl class="facts">
        <dt>webhook-id</dt>
        <dd>
          <code>{details.eventId}</code>
        </dd>
        {details.nextAttemptAt && (
          <>
            <dt>Next attempt</dt>
            <dd>{formatDateTime(details.nextAttemptAt)}</dd>
          </>
        )}
        {details.deliveredAt && (
          <>
            <dt>Delivered</dt>
            <dd>{formatDateTime(details.deliveredAt)}</dd>
          </>
        )}
      </dl>
      {details.attemptLog.length === 0 ? (
        <p class="muted">No attempt yet.</p>
      ) : (
        <table class="table webhook-attempts">
          <caption>Attempts</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col" class="num">
                Status
              </th>
              <th scope="col" class="num">
                Latency
              </th>
              <th scope="col">Error</th>
              <th scope="col">Answer</th>
            </tr>
          </thead>
          <tbody>
            {details.attemptLog.map((a) => (
              <tr key={a.id}>
                <td class="nowrap">{formatDateTime(a.attemptedAt)}</td>
                <td class="num">{a.status ?? 'none'}</td>
                <td class="num">{a.latencyMs} ms</td>
                <td>{a.error ?? <span class="muted">—</span>}</td>
                <td>
                  {a.response ? (
                    <code class="webhook-answer">{a.response}</code>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details class="webhook-payload">
        <summary>Payload</summary>
        <pre>{prettyJson(details.payload)}</pre>
      </details>
      <div class="button-row">
        <button type="button" class="btn" disabled={busy} onClick={() => void resend()}>
          {busy ? 'Sending…' : 'Send again'}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
