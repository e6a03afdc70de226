/**
 * What admins do with a site's webhook endpoints (src/server/routes/webhooks.ts): register one
 * (its secret shown once), change it, rotate its secret with an overlap, disable and enable it,
 * send a test event, and send a delivery again. An address and a description are checked here
 * before they are stored; each change is written to the audit log with the address's query left
 * out and never a secret. Delivering is src/webhooks/'s.
 */
import type { Kysely } from 'kysely';
import { ParleyError } from '../domain/errors.ts';
import { checkText } from '../domain/text.ts';
import { checkTargetUrl, nonPublicHost } from '../notify/outbound.ts';
import type { Database } from '../store/schema.ts';
import {
  bringForward,
  deleteEndpoint,
  disableEndpoint,
  enableEndpoint,
  getDelivery,
  getEndpoint,
  insertDeliveries,
  insertEndpoint,
  lockEndpoint,
  retryNow,
  updateEndpoint,
  type DeliverySummary,
  type WebhookEndpoint,
} from '../store/webhooks.ts';
import { displayUrl } from '../webhooks/delivery.ts';
import { enqueueTestEvent } from '../webhooks/events.ts';
import { generateSecret, rotateSecrets } from '../webhooks/signing.ts';
import { auditSiteChange } from './sites.ts';

type Db = Kysely<Database>;

export const MAX_URL_LENGTH = 2000;
/** How long a rotated secret keeps signing unless told: a day; at most a week. */
export const DEFAULT_OVERLAP_HOURS = 24;
export const MAX_OVERLAP_HOURS = 7 * 24;

/**
 * Refuses an address deliveries could never go to: not http(s), credentials in it, or a literal
 * loopback, private or otherwise non-public address (or a `localhost` name) unless the operator
 * allows private receivers. Names are checked again on every delivery, on what DNS then says.
 */
function checkEndpointUrl(value: string, allowPrivate: boolean): string {
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

/** A description as stored: one line, trimmed; blank is none. */
function checkDescription(value: string): string {
  if (value.trim() === '') return '';
  return checkText(value.trim(), { field: 'description', maxLength: 200, multiline: false });
}

export type EndpointState = 'enabled' | 'failing' | 'disabled';

export const endpointState = (endpoint: WebhookEndpoint): EndpointState =>
  endpoint.disabledAt !== null
    ? 'disabled'
    : endpoint.failingSince !== null
      ? 'failing'
      : 'enabled';

/** What the audit log keeps of an endpoint. */
const audited = (endpoint: WebhookEndpoint) => ({
  url: displayUrl(endpoint.url),
  description: endpoint.description,
  events: endpoint.events,
  state: endpointState(endpoint),
});

const endpointNotFound = () =>
  new ParleyError('WEBHOOK_NOT_FOUND', 'That webhook endpoint does not exist.');
const deliveryNotFound = () =>
  new ParleyError('WEBHOOK_DELIVERY_NOT_FOUND', 'That delivery does not exist.');

/** Whether receivers on the operator's own network may be registered. */
export interface AddressPolicy {
  allowPrivate: boolean;
}

export async function createEndpoint(
  db: Db,
  actorId: string,
  input: { siteId: string; url: string; description?: string | undefined; events: string[] },
  { allowPrivate }: AddressPolicy,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const checked = {
    siteId: input.siteId,
    url: checkEndpointUrl(input.url, allowPrivate),
    description: input.description === undefined ? '' : checkDescription(input.description),
    events: [...new Set(input.events)],
  };
  const secret = generateSecret();
  const endpoint = await db.transaction().execute(async (trx) => {
    const created = await insertEndpoint(trx, {
      ...checked,
      secrets: [{ secret, createdAt: new Date().toISOString(), expiresAt: null }],
      createdBy: actorId,
    });
    await auditSiteChange(trx, {
      actorId,
      action: 'webhook.create',
      siteId: checked.siteId,
      before: null,
      after: { id: created.id, ...audited(created) },
    });
    return created;
  });
  return { endpoint, secret };
}

/** Changes an endpoint's address, description or events; a new address is tried again at once. */
export async function changeEndpoint(
  db: Db,
  actorId: string,
  id: string,
  change: {
    url?: string | undefined;
    description?: string | undefined;
    events?: string[] | undefined;
  },
  { allowPrivate }: AddressPolicy,
): Promise<WebhookEndpoint> {
  if (!(await getEndpoint(db, id))) throw endpointNotFound();
  const patch = {
    ...(change.url !== undefined && { url: checkEndpointUrl(change.url, allowPrivate) }),
    ...(change.description !== undefined && {
      description: checkDescription(change.description),
    }),
    ...(change.events !== undefined && { events: [...new Set(change.events)] }),
  };
  const changed = await db.transaction().execute(async (trx) => {
    const before = await lockEndpoint(trx, id);
    if (!before) return undefined;
    let after = await updateEndpoint(trx, id, patch);
    // A new address is a fix to try at once: the old one's failures are not its own.
    if (after && after.url !== before.url) {
      await retryNow(trx, id);
      after = { ...after, failingSince: null };
    }
    if (after) {
      await auditSiteChange(trx, {
        actorId,
        action: 'webhook.update',
        siteId: after.siteId,
        before: audited(before),
        after: audited(after),
      });
    }
    return after;
  });
  if (!changed) throw endpointNotFound();
  return changed;
}

/** Deletes an endpoint with its deliveries and their log. */
export async function removeEndpoint(
  db: Db,
  actorId: string,
  endpoint: WebhookEndpoint,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await deleteEndpoint(trx, endpoint.id);
    await auditSiteChange(trx, {
      actorId,
      action: 'webhook.delete',
      siteId: endpoint.siteId,
      before: audited(endpoint),
      after: null,
    });
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
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const secret = generateSecret();
  const rotated = await db.transaction().execute(async (trx) => {
    const current = await lockEndpoint(trx, id);
    if (!current) return undefined;
    const secrets = rotateSecrets(current.secrets, secret, overlapHours * 3_600_000);
    const endpoint = await updateEndpoint(trx, id, { secrets });
    if (!endpoint) return undefined;
    await auditSiteChange(trx, {
      actorId,
      action: 'webhook.rotate',
      siteId: endpoint.siteId,
      before: null,
      after: { overlapHours, previousExpiresAt: secrets[1]?.expiresAt ?? null },
    });
    return { endpoint, secret };
  });
  if (!rotated) throw endpointNotFound();
  return rotated;
}

/** Disables an endpoint (by this admin) or enables it again; returns it as it is now. */
export async function setEndpointEnabled(
  db: Db,
  actor: { id: string; name: string },
  endpoint: WebhookEndpoint,
  enabled: boolean,
): Promise<WebhookEndpoint> {
  await db.transaction().execute(async (trx) => {
    if (enabled) await enableEndpoint(trx, endpoint.id);
    else await disableEndpoint(trx, endpoint.id, `Disabled by ${actor.name}.`);
    await auditSiteChange(trx, {
      actorId: actor.id,
      action: enabled ? 'webhook.enable' : 'webhook.disable',
      siteId: endpoint.siteId,
      before: audited(endpoint),
      after: null,
    });
  });
  const now = await getEndpoint(db, endpoint.id);
  if (!now) throw endpointNotFound();
  return now;
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
): Promise<DeliverySummary> {
  const original = await getDelivery(db, deliveryId);
  if (!original || original.endpointId !== endpoint.id) throw deliveryNotFound();
  requireEnabled(endpoint);
  let queuedId = original.id;
  if (original.state === 'pending') {
    await bringForward(db, original.id);
  } else {
    const [id] = await insertDeliveries(db, [
      {
        endpointId: endpoint.id,
        eventId: original.eventId,
        eventType: original.eventType,
        orderingKey: original.orderingKey,
        payload: original.payload,
      },
    ]);
    queuedId = id as string;
  }
  const queued = await getDelivery(db, queuedId);
  if (!queued) throw deliveryNotFound();
  return queued;
}
