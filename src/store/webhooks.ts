/**
 * SQL for publishers' webhooks (src/webhooks/, docs/webhooks.md): endpoints with their secrets,
 * deliveries (one per event and endpoint, in lanes that go out in order) and the attempts made at
 * each. Claiming takes the oldest pending delivery of a lane only, so one story's events reach a
 * receiver in order while other lanes go on; on PostgreSQL, processes claiming together skip the
 * rows another holds.
 */
import { sql, type Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import type { Engine } from './db.ts';
import { toIso } from './rows.ts';
import type { Database, WebhookDeliveryState } from './schema.ts';

type Db = Kysely<Database>;

/** A secret as an endpoint keeps it: rotated ones carry when they stop signing (see signing.ts). */
export interface StoredSecret {
  secret: string;
  createdAt: string;
  /** Null: the current secret. */
  expiresAt: string | null;
}

export interface WebhookEndpoint {
  id: string;
  siteId: string;
  url: string;
  description: string;
  events: string[];
  secrets: StoredSecret[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** Since when every attempt has failed (null: the last one succeeded, or none was made). */
  failingSince: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
}

interface EndpointRow {
  id: string;
  site_id: string;
  url: string;
  description: string;
  events: string;
  secrets: string;
  created_by: string | null;
  created_at: string | Date;
  updated_at: string | Date;
  failing_since: string | Date | null;
  disabled_at: string | Date | null;
  disabled_reason: string | null;
}

function endpointFromRow(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    siteId: row.site_id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as string[],
    secrets: JSON.parse(row.secrets) as StoredSecret[],
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    failingSince: toIso(row.failing_since),
    disabledAt: toIso(row.disabled_at),
    disabledReason: row.disabled_reason,
  };
}

export async function insertEndpoint(
  db: Db,
  endpoint: {
    siteId: string;
    url: string;
    description: string;
    events: string[];
    secrets: StoredSecret[];
    createdBy: string | null;
  },
): Promise<WebhookEndpoint> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      id: newId(),
      site_id: endpoint.siteId,
      url: endpoint.url,
      description: endpoint.description,
      events: JSON.stringify(endpoint.events),
      secrets: JSON.stringify(endpoint.secrets),
      created_by: endpoint.createdBy,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return endpointFromRow(row);
}

export async function getEndpoint(db: Db, id: string): Promise<WebhookEndpoint | undefined> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && endpointFromRow(row);
}

/** The site's endpoints, oldest first, each with how many deliveries wait to go out. */
export async function listEndpoints(
  db: Db,
  siteId: string,
): Promise<(WebhookEndpoint & { pending: number })[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy('id')
    .execute();
  if (rows.length === 0) return [];
  const counts = await db
    .selectFrom('webhook_deliveries')
    .select(['endpoint_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'endpoint_id',
      'in',
      rows.map((row) => row.id),
    )
    .where('state', '=', 'pending')
    .groupBy('endpoint_id')
    .execute();
  const pending = new Map(counts.map((c) => [c.endpoint_id, Number(c.n)]));
  return rows.map((row) => ({ ...endpointFromRow(row), pending: pending.get(row.id) ?? 0 }));
}

export async function pendingCount(db: Db, endpointId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('endpoint_id', '=', endpointId)
    .where('state', '=', sql.lit('pending'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateEndpoint(
  db: Db,
  id: string,
  patch: { url?: string; description?: string; events?: string[]; secrets?: StoredSecret[] },
): Promise<WebhookEndpoint | undefined> {
  const row = await db
    .updateTable('webhook_endpoints')
    .set({
      ...(patch.url !== undefined && { url: patch.url }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.events !== undefined && { events: JSON.stringify(patch.events) }),
      ...(patch.secrets !== undefined && { secrets: JSON.stringify(patch.secrets) }),
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && endpointFromRow(row);
}

/** Locks the endpoint's row for a change that reads it first (a rotation); undefined: gone. */
export async function lockEndpoint(trx: Db, id: string): Promise<WebhookEndpoint | undefined> {
  const row = await trx
    .updateTable('webhook_endpoints')
    .set({ updated_at: sql`updated_at` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && endpointFromRow(row);
}

export async function deleteEndpoint(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Disables an endpoint that is enabled; returns it as it was before, or undefined when it was
 * already disabled (or gone): whoever disables it tells its admins, once.
 */
export async function disableEndpoint(
  db: Db,
  id: string,
  reason: string,
  at = new Date(),
): Promise<WebhookEndpoint | undefined> {
  const row = await db
    .updateTable('webhook_endpoints')
    .set({ disabled_at: at.toISOString(), disabled_reason: reason, updated_at: at.toISOString() })
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row && endpointFromRow(row);
}

/**
 * Enables an endpoint again, its failures forgotten; the deliveries that waited while it was
 * disabled are due at once (in their lanes' order).
 */
export async function enableEndpoint(db: Db, id: string): Promise<WebhookEndpoint | undefined> {
  const now = new Date().toISOString();
  const row = await db
    .updateTable('webhook_endpoints')
    .set({ disabled_at: null, disabled_reason: null, failing_since: null, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  await retryNow(db, id);
  return endpointFromRow(row);
}

/**
 * A fresh start for an endpoint's deliveries (enabled again, or its address changed): its failures
 * forgotten and what waits for a retry due now, each lane in its order.
 */
export async function retryNow(db: Db, endpointId: string): Promise<void> {
  const now = new Date().toISOString();
  await db
    .updateTable('webhook_endpoints')
    .set({ failing_since: null })
    .where('id', '=', endpointId)
    .where('failing_since', 'is not', null)
    .execute();
  await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: now })
    .where('endpoint_id', '=', endpointId)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '>', now)
    .execute();
}

/**
 * Endpoints still enabled whose every attempt has failed since before `cutoff`, disabled now with
 * `reason`; each is returned once, to the process that disabled it.
 */
export async function disableFailingEndpoints(
  db: Db,
  cutoff: Date,
  reason: (endpoint: WebhookEndpoint) => string,
): Promise<WebhookEndpoint[]> {
  const candidates = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('disabled_at', 'is', null)
    .where('failing_since', 'is not', null)
    .where('failing_since', '<=', cutoff.toISOString())
    .execute();
  const disabled: WebhookEndpoint[] = [];
  for (const candidate of candidates.map(endpointFromRow)) {
    const done = await disableEndpoint(db, candidate.id, reason(candidate));
    if (done) disabled.push(done);
  }
  return disabled;
}

/** The site's enabled endpoints that asked for this event type. */
export async function subscribedEndpoints(db: Db, siteId: string, type: string): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('site_id', '=', siteId)
    .where('disabled_at', 'is', null)
    .execute();
  return rows
    .filter((row) => (JSON.parse(row.events) as string[]).includes(type))
    .map((row) => row.id);
}

export interface NewDelivery {
  endpointId: string;
  eventId: string;
  eventType: string;
  orderingKey: string;
  payload: string;
}

/** Queues deliveries, due now; returns their ids in the order given. */
export async function insertDeliveries(db: Db, deliveries: NewDelivery[]): Promise<string[]> {
  if (deliveries.length === 0) return [];
  const now = new Date().toISOString();
  const rows = deliveries.map((d) => ({
    id: newId(),
    endpoint_id: d.endpointId,
    event_id: d.eventId,
    event_type: d.eventType,
    ordering_key: d.orderingKey,
    payload: d.payload,
    state: 'pending' as const,
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  }));
  await db.insertInto('webhook_deliveries').values(rows).execute();
  return rows.map((row) => row.id);
}

/** A delivery as the sender needs it. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  payload: string;
  attempts: number;
  createdAt: string;
}

/**
 * Claims a due delivery that is the oldest pending one of its lane (endpoint and ordering key) on
 * an enabled endpoint, locking it until `lockedUntil`; undefined when none is due. The head of a
 * lane that is locked or waiting for its retry holds its lane only.
 */
export async function claimDelivery(
  db: Db,
  engine: Engine,
  now: Date,
  lockedUntil: Date,
): Promise<ClaimedDelivery | undefined> {
  const at = now.toISOString();
  // The state is written as a literal: SQLite uses a partial index only for a condition it sees.
  const skipLocked = engine === 'postgres' ? sql`for update of d skip locked` : sql``;
  const result = await sql<{
    id: string;
    endpoint_id: string;
    event_id: string;
    event_type: string;
    payload: string;
    attempts: number;
    created_at: string | Date;
  }>`
    update webhook_deliveries set locked_until = ${lockedUntil.toISOString()}
    where id = (
      select d.id from webhook_deliveries d
      join webhook_endpoints e on e.id = d.endpoint_id
      where d.state = 'pending' and d.next_attempt_at <= ${at}
        and (d.locked_until is null or d.locked_until < ${at})
        and e.disabled_at is null
        and not exists (
          select 1 from webhook_deliveries p
          where p.endpoint_id = d.endpoint_id and p.ordering_key = d.ordering_key
            and p.state = 'pending' and p.id < d.id
        )
      order by d.next_attempt_at
      limit 1
      ${skipLocked}
    )
    returning id, endpoint_id, event_id, event_type, payload, attempts, created_at`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    payload: row.payload,
    attempts: Number(row.attempts),
    createdAt: toIso(row.created_at),
  };
}

export interface AttemptRecord {
  attemptedAt: Date;
  status: number | null;
  latencyMs: number;
  error: string | null;
  response: string | null;
}

/**
 * Writes an attempt and what follows from it for the delivery: delivered, tried again at
 * `retryAt`, or failed for good (`retryAt` null); and for its endpoint: failing since this
 * attempt unless it already was, or not failing any more.
 */
export async function recordAttempt(
  trx: Db,
  delivery: { id: string; endpointId: string },
  attempt: AttemptRecord,
  outcome: { delivered: true } | { delivered: false; retryAt: Date | null },
): Promise<void> {
  const at = attempt.attemptedAt.toISOString();
  await trx
    .insertInto('webhook_attempts')
    .values({
      id: newId(),
      delivery_id: delivery.id,
      attempted_at: at,
      status: attempt.status,
      latency_ms: attempt.latencyMs,
      error: attempt.error,
      response: attempt.response,
    })
    .execute();
  await trx
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      locked_until: null,
      last_status: attempt.status,
      last_error: attempt.error,
      ...(outcome.delivered
        ? { state: 'delivered' as const, delivered_at: at }
        : outcome.retryAt
          ? { next_attempt_at: outcome.retryAt.toISOString() }
          : { state: 'failed' as const }),
    }))
    .where('id', '=', delivery.id)
    .execute();
  if (outcome.delivered) {
    await trx
      .updateTable('webhook_endpoints')
      .set({ failing_since: null })
      .where('id', '=', delivery.endpointId)
      .where('failing_since', 'is not', null)
      .execute();
  } else {
    await trx
      .updateTable('webhook_endpoints')
      .set({ failing_since: at })
      .where('id', '=', delivery.endpointId)
      .where('failing_since', 'is', null)
      .execute();
  }
}

/** Lets go of a claimed delivery without an attempt (its endpoint went away or was disabled). */
export async function releaseDelivery(db: Db, id: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ locked_until: null })
    .where('id', '=', id)
    .execute();
}

export interface DeliverySummary {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  orderingKey: string;
  state: WebhookDeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface Attempt {
  id: string;
  attemptedAt: string;
  status: number | null;
  latencyMs: number;
  error: string | null;
  response: string | null;
}

const SUMMARY = [
  'id',
  'endpoint_id',
  'event_id',
  'event_type',
  'ordering_key',
  'state',
  'attempts',
  'next_attempt_at',
  'last_status',
  'last_error',
  'created_at',
  'delivered_at',
] as const;

function deliveryFromRow(row: {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  ordering_key: string;
  state: WebhookDeliveryState;
  attempts: number;
  next_attempt_at: string | Date;
  last_status: number | null;
  last_error: string | null;
  created_at: string | Date;
  delivered_at: string | Date | null;
}): DeliverySummary {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    orderingKey: row.ordering_key,
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: row.state === 'pending' ? toIso(row.next_attempt_at) : null,
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error,
    createdAt: toIso(row.created_at),
    deliveredAt: toIso(row.delivered_at),
  };
}

/** The endpoint's deliveries, newest first (ids are time-ordered); the cursor is the last id. */
export async function listDeliveries(
  db: Db,
  endpointId: string,
  filter: { state?: WebhookDeliveryState | undefined },
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: DeliverySummary[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('webhook_deliveries')
    .select(SUMMARY)
    .where('endpoint_id', '=', endpointId)
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (filter.state) q = q.where('state', '=', filter.state);
  if (page.cursor) q = q.where('id', '<', page.cursor);
  const rows = await q.execute();
  const items = rows.slice(0, page.limit).map(deliveryFromRow);
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

/** One delivery with its payload and every attempt, oldest first. */
export async function getDelivery(
  db: Db,
  id: string,
): Promise<(DeliverySummary & { payload: string; attemptLog: Attempt[] }) | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select([...SUMMARY, 'payload'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', '=', id)
    .orderBy('attempted_at')
    .orderBy('id')
    .execute();
  return {
    ...deliveryFromRow(row),
    payload: row.payload,
    attemptLog: attempts.map((a) => ({
      id: a.id,
      attemptedAt: toIso(a.attempted_at),
      status: a.status === null ? null : Number(a.status),
      latencyMs: Number(a.latency_ms),
      error: a.error,
      response: a.response,
    })),
  };
}

/** A pending delivery brought forward to now (its next attempt as soon as its lane allows). */
export async function bringForward(db: Db, id: string): Promise<boolean> {
  const now = new Date().toISOString();
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: now })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The admins to tell about an endpoint (admins are every site's), with a usable address. */
export async function mailableAdmins(
  db: Db,
): Promise<{ id: string; email: string; name: string; locale: string | null }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'locale'])
    .where('role', '=', 'admin')
    .where('deleted_at', 'is', null)
    .where('mail_bounced_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    name: row.display_name,
    locale: row.locale,
  }));
}

/**
 * The sites a reader is known to (for user events): those they have commented on and those whose
 * sign-in (SSO, OpenID Connect) they have used.
 */
export async function sitesOfUser(db: Db, userId: string): Promise<string[]> {
  const commented = await db
    .selectFrom('comments')
    .select('site_id')
    .distinct()
    .where('author_id', '=', userId)
    .execute();
  const identities = await db
    .selectFrom('user_identities')
    .select('provider')
    .where('user_id', '=', userId)
    .execute();
  const sites = new Set(commented.map((row) => row.site_id));
  for (const { provider } of identities) {
    const match = /^(?:sso|oidc):(.+)$/.exec(provider);
    if (match?.[1]) sites.add(match[1]);
  }
  return [...sites].sort();
}

/**
 * Takes an erased reader out of the webhook deliveries Parley keeps: payloads that name them
 * (their comments' author, name and text; a ban's name) are emptied of it, and those not sent yet
 * are cancelled, so nothing of theirs leaves after the erasure. Returns how many were changed.
 */
export async function scrubUserFromDeliveries(trx: Db, userId: string): Promise<number> {
  const rows = await trx
    .selectFrom('webhook_deliveries')
    .select(['id', 'state', 'payload'])
    .where('payload', 'like', `%${userId}%`)
    .execute();
  let changed = 0;
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as { type: string; data: Record<string, unknown> };
    const data = payload.data;
    const author = data.author as { id?: string } | null | undefined;
    if (author?.id === userId) {
      payload.data = { ...data, author: null, body: '', html: '' };
    } else if (payload.type === 'user.banned' && data.id === userId) {
      payload.data = { ...data, name: '', reason: null };
    } else {
      continue;
    }
    await trx
      .updateTable('webhook_deliveries')
      .set({
        payload: JSON.stringify(payload),
        ...(row.state === 'pending' && { state: 'cancelled' as const, locked_until: null }),
      })
      .where('id', '=', row.id)
      .execute();
    changed++;
  }
  return changed;
}

/** Forgets finished deliveries (and their attempts) queued before `cutoff`; returns how many. */
export async function pruneDeliveries(db: Db, cutoff: Date): Promise<number> {
  const result = await db
    .deleteFrom('webhook_deliveries')
    .where('state', '!=', 'pending')
    .where('created_at', '<', cutoff.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The error of the endpoint's latest attempt (null: none, or it succeeded). */
export async function lastAttemptError(db: Db, endpointId: string): Promise<string | null> {
  const row = await db
    .selectFrom('webhook_attempts as a')
    .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
    .select('a.error')
    .where('d.endpoint_id', '=', endpointId)
    .orderBy('a.attempted_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.error ?? null;
}

/** Whether any delivery is due (a read: idle processes take no write lock to find out). */
export async function anyDeliveryDue(db: Db, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select('id')
    // A literal: SQLite uses the partial index on pending deliveries only for a condition it sees.
    .where('state', '=', sql.lit('pending'))
    .where('next_attempt_at', '<=', now.toISOString())
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
