/**
 * What admins do with a site's webhook endpoints (src/server/routes/webhooks.ts): register one
 * (its secret shown once), change it, rotate its secret with an overlap, disable and enable it,
 * send a test event, and send a delivery again. Each change is written to the audit log with the
 * address's query left out and never a secret.
 */
import { ParleyError } from '../domain/errors.ts';
import { checkTargetUrl, nonPublicHost } from '../notify/outbound.ts';
import type { Db } from '../notify/events.ts';
import { insertAction } from '../store/audit.ts';
import {
  bringForward,
  disableEndpoint,
  enableEndpoint,
  getDelivery,
  insertDeliveries,
  insertEndpoint,
  lockEndpoint,
  retryNow,
  updateEndpoint,
  type DeliverySummary,
  type WebhookEndpoint,
} from '../store/webhooks.ts';
import { displayUrl } from './delivery.ts';
import { enqueueTestEvent } from './events.ts';
import { generateSecret, liveSecrets, rotateSecrets } from './signing.ts';

export const MAX_URL_LENGTH = 2000;
/** How long a rotated secret keeps signing unless told: a day; at most a week. */
export const DEFAULT_OVERLAP_HOURS = 24;
export const MAX_OVERLAP_HOURS = 7 * 24;

/**
 * Refuses an address deliveries could never go to: not http(s), credentials in it, or a literal
 * loopback, private or otherwise non-public address (or a `localhost` name) unless the operator
 * allows private receivers. Names are checked again on every delivery, on what DNS then says.
 */
export function checkEndpointUrl(value: string, allowPrivate: boolean): string {
  const trimmed = value.trim();
  if (trimmed.length > MAX_URL_LENGTH) {
    throw new ParleyError(
      'INVALID_URL',
      `The address is longer than ${MAX_URL_LENGTH} characters.`,
    );
  }
  const problem = checkTargetUrl(trimmed);
  if (problem) throw new ParleyError('INVALID_URL', `The address ${problem}.`);
  const url = new URL(trimmed);
  if (url.hash) throw new ParleyError('INVALID_URL', 'The address must not have a #fragment.');
  const host = allowPrivate ? null : nonPublicHost(url);
  if (host) {
    throw new ParleyError(
      'INVALID_URL',
      `${host} is not a public address. Receivers on your own network need ` +
        'PARLEY_WEBHOOK_ALLOW_PRIVATE=1 in the server’s environment.',
    );
  }
  return url.href;
}

export type EndpointState = 'enabled' | 'failing' | 'disabled';

export const endpointState = (endpoint: WebhookEndpoint): EndpointState =>
  endpoint.disabledAt !== null
    ? 'disabled'
    : endpoint.failingSince !== null
      ? 'failing'
      : 'enabled';

/** An endpoint as admins see it: its secrets by their dates only. */
export function presentEndpoint(endpoint: WebhookEndpoint, pending: number) {
  return {
    id: endpoint.id,
    siteId: endpoint.siteId,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    state: endpointState(endpoint),
    failingSince: endpoint.failingSince,
    disabledAt: endpoint.disabledAt,
    disabledReason: endpoint.disabledReason,
    secrets: liveSecrets(endpoint.secrets).map((s) => ({
      createdAt: s.createdAt,
      expiresAt: s.expiresAt,
    })),
    pending,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

/** What the audit log keeps of an endpoint. */
const audited = (endpoint: WebhookEndpoint) => ({
  url: displayUrl(endpoint.url),
  description: endpoint.description,
  events: endpoint.events,
  state: endpointState(endpoint),
});

async function audit(
  trx: Db,
  actorId: string,
  action: string,
  siteId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await insertAction(trx, {
    actorId,
    action,
    siteId,
    commentId: null,
    userId: null,
    reason: null,
    before,
    after,
    undoable: false,
  });
}

export async function createEndpoint(
  db: Db,
  actorId: string,
  input: { siteId: string; url: string; description: string; events: string[] },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const secret = generateSecret();
  const endpoint = await db.transaction().execute(async (trx) => {
    const created = await insertEndpoint(trx, {
      ...input,
      secrets: [{ secret, createdAt: new Date().toISOString(), expiresAt: null }],
      createdBy: actorId,
    });
    await audit(trx, actorId, 'webhook.create', input.siteId, null, {
      id: created.id,
      ...audited(created),
    });
    return created;
  });
  return { endpoint, secret };
}

export async function changeEndpoint(
  db: Db,
  actorId: string,
  id: string,
  patch: { url?: string; description?: string; events?: string[] },
): Promise<WebhookEndpoint | undefined> {
  return db.transaction().execute(async (trx) => {
    const before = await lockEndpoint(trx, id);
    if (!before) return undefined;
    let after = await updateEndpoint(trx, id, patch);
    // A new address is a fix to try at once: the old one's failures are not its own.
    if (after && after.url !== before.url) {
      await retryNow(trx, id);
      after = { ...after, failingSince: null };
    }
    if (after)
      await audit(trx, actorId, 'webhook.update', after.siteId, audited(before), audited(after));
    return after;
  });
}

export async function removeEndpoint(
  db: Db,
  actorId: string,
  endpoint: WebhookEndpoint,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhook_endpoints').where('id', '=', endpoint.id).execute();
    await audit(trx, actorId, 'webhook.delete', endpoint.siteId, audited(endpoint), null);
  });
}

/**
 * A new secret, returned once; the one it replaces keeps signing for `overlapHours` (receivers
 * accept either meanwhile, since every delivery carries a signature with each).
 */
export async function rotateEndpointSecret(
  db: Db,
  actorId: string,
  id: string,
  overlapHours: number,
): Promise<{ endpoint: WebhookEndpoint; secret: string } | undefined> {
  const secret = generateSecret();
  return db.transaction().execute(async (trx) => {
    const current = await lockEndpoint(trx, id);
    if (!current) return undefined;
    const secrets = rotateSecrets(current.secrets, secret, overlapHours * 3_600_000);
    const endpoint = await updateEndpoint(trx, id, { secrets });
    if (!endpoint) return undefined;
    await audit(trx, actorId, 'webhook.rotate', endpoint.siteId, null, {
      overlapHours,
      previousExpiresAt: secrets[1]?.expiresAt ?? null,
    });
    return { endpoint, secret };
  });
}

export async function setEndpointEnabled(
  db: Db,
  actor: { id: string; name: string },
  endpoint: WebhookEndpoint,
  enabled: boolean,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (enabled) await enableEndpoint(trx, endpoint.id);
    else await disableEndpoint(trx, endpoint.id, `Disabled by ${actor.name}.`);
    await audit(
      trx,
      actor.id,
      enabled ? 'webhook.enable' : 'webhook.disable',
      endpoint.siteId,
      audited(endpoint),
      null,
    );
  });
}

function requireEnabled(endpoint: WebhookEndpoint): void {
  if (endpoint.disabledAt !== null) {
    throw new ParleyError(
      'WEBHOOK_DISABLED',
      'This endpoint is disabled and sends nothing: enable it first.',
    );
  }
}

/** Queues the test event for the endpoint; returns its delivery. */
export async function sendTestEvent(db: Db, endpoint: WebhookEndpoint): Promise<DeliverySummary> {
  requireEnabled(endpoint);
  const id = await enqueueTestEvent(db, endpoint.id);
  const delivery = await getDelivery(db, id);
  if (!delivery) throw new Error('the test delivery just queued is gone');
  return delivery;
}

/**
 * "Send again". A delivery still pending is tried now, as soon as its lane allows (no second copy
 * that could overtake or duplicate it). A finished one (delivered, failed, cancelled) is copied to
 * a new delivery with the same event id and payload, queued now in the same lane: receivers see
 * the same webhook-id and can tell it is the same event, and the log keeps the first delivery's
 * attempts as they were. Returns the delivery that will be sent.
 */
export async function sendAgain(
  db: Db,
  endpoint: WebhookEndpoint,
  deliveryId: string,
): Promise<DeliverySummary | undefined> {
  requireEnabled(endpoint);
  const original = await getDelivery(db, deliveryId);
  if (!original || original.endpointId !== endpoint.id) return undefined;
  if (original.state === 'pending') {
    await bringForward(db, original.id);
    return getDelivery(db, original.id);
  }
  const [id] = await insertDeliveries(db, [
    {
      endpointId: endpoint.id,
      eventId: original.eventId,
      eventType: original.eventType,
      orderingKey: original.orderingKey,
      payload: original.payload,
    },
  ]);
  return getDelivery(db, id as string);
}
