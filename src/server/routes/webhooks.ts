/**
 * Publishers' webhook endpoints and their delivery log (docs/webhooks.md), admins only: a site's
 * endpoints, registering one (its signing secret answered once, never again), changing, deleting,
 * rotating the secret with an overlap, disabling and enabling, a test event, the deliveries with
 * each attempt, and "send again" (each change made by src/services/webhook-endpoints.ts).
 * Moderators get 403: endpoints carry secrets and every payload.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import {
  changeEndpoint,
  createEndpoint,
  DEFAULT_OVERLAP_HOURS,
  endpointState,
  MAX_OVERLAP_HOURS,
  MAX_URL_LENGTH,
  removeEndpoint,
  rotateEndpointSecret,
  sendAgain,
  sendTestEvent,
  setEndpointEnabled,
} from '../../services/webhook-endpoints.ts';
import {
  getEndpoint,
  listDeliveries,
  listEndpoints,
  pendingCount,
  getDelivery,
  type DeliverySummary,
  type WebhookEndpoint,
} from '../../store/webhooks.ts';
import type { WebhookDelivery } from '../../webhooks/delivery.ts';
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from '../../webhooks/events.ts';
import { liveSecrets } from '../../webhooks/signing.ts';
import { requireRole } from '../auth.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
import { Paging } from '../admin-schemas.ts';
import { ErrorBody, Id, IdParams, SiteParams } from '../schemas.ts';

const security = [{ bearer: [] }];
const tags = ['webhooks'];
const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const READS_PER_MINUTE = 600;
const WRITES_PER_MINUTE = 120;
/** Test events and "send again" per admin per minute: each is a request to someone's server. */
const SENDS_PER_MINUTE = 30;

const EventType = Type.Union(
  WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type)),
  { description: 'An event an endpoint may subscribe to' },
);
const Events = Type.Array(EventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length });
const Url = Type.String({
  minLength: 1,
  maxLength: MAX_URL_LENGTH,
  description:
    'Where deliveries are POSTed: http(s), a public address unless the server allows private ' +
    'ones (PARLEY_WEBHOOK_ALLOW_PRIVATE)',
});
const Description = Type.String({ maxLength: 200 });

const Endpoint = Type.Object({
  id: Id,
  siteId: Id,
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String()),
  state: Type.Union([Type.Literal('enabled'), Type.Literal('failing'), Type.Literal('disabled')], {
    description: 'failing: enabled, and every attempt since failingSince has failed',
  }),
  failingSince: Nullable(Time),
  disabledAt: Nullable(Time),
  disabledReason: Nullable(Type.String()),
  secrets: Type.Array(Type.Object({ createdAt: Time, expiresAt: Nullable(Time) }), {
    description:
      'The secrets that sign deliveries now, newest first (never the secrets themselves); a ' +
      'rotated one signs until expiresAt',
  }),
  pending: Type.Integer({ description: 'Deliveries waiting to go out' }),
  createdAt: Time,
  updatedAt: Time,
});
const WithSecret = Type.Object({
  endpoint: Endpoint,
  secret: Type.String({
    description: 'The signing secret (whsec_…): shown this once; keep it in the receiver',
  }),
});

const DeliveryState = Type.Union(
  [
    Type.Literal('pending'),
    Type.Literal('delivered'),
    Type.Literal('failed'),
    Type.Literal('cancelled'),
  ],
  { description: 'failed: given up three days after it was queued' },
);
const Delivery = Type.Object({
  id: Id,
  eventId: Type.String({ description: 'The webhook-id header: the same on every attempt' }),
  eventType: Type.String(),
  state: DeliveryState,
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Time),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  createdAt: Time,
  deliveredAt: Nullable(Time),
});
const Attempt = Type.Object({
  id: Id,
  attemptedAt: Time,
  status: Nullable(Type.Integer({ description: 'The receiver’s status; null: no answer' })),
  latencyMs: Type.Integer(),
  error: Nullable(Type.String()),
  response: Nullable(Type.String({ description: 'The first part of the receiver’s answer' })),
});
const DeliveryDetails = Type.Object({
  ...Delivery.properties,
  payload: Type.String({ description: 'The body as sent (JSON)' }),
  attemptLog: Type.Array(Attempt, { description: 'Every attempt, oldest first' }),
});
const DeliveryParams = Type.Object({ id: Id, deliveryId: Id });

const presentDelivery = (d: DeliverySummary) => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  state: d.state,
  attempts: d.attempts,
  nextAttemptAt: d.nextAttemptAt,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  createdAt: d.createdAt,
  deliveredAt: d.deliveredAt,
});

/** An endpoint as admins see it: its secrets by their dates only. */
function presentEndpoint(endpoint: WebhookEndpoint, pending: number) {
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

export function webhookRoutes(
  ctx: RouteContext,
  delivery: Pick<WebhookDelivery, 'wake'>,
): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;
  const db = store.db;
  const addresses = { allowPrivate: config.webhooks.allowPrivate };
  const reads = { rateLimit: limitPerUser(READS_PER_MINUTE) };
  const writes = { rateLimit: limitPerUser(WRITES_PER_MINUTE) };
  const sends = { rateLimit: limitPerUser(SENDS_PER_MINUTE) };

  async function requireEndpoint(id: string): Promise<WebhookEndpoint> {
    const endpoint = await getEndpoint(db, id);
    if (!endpoint)
      throw new ParleyError('WEBHOOK_NOT_FOUND', 'That webhook endpoint does not exist.');
    return endpoint;
  }
  const present = async (endpoint: WebhookEndpoint) =>
    presentEndpoint(endpoint, await pendingCount(db, endpoint.id));

  return async (app) => {
    app.get(
      '/admin/sites/:siteId/webhooks',
      {
        config: reads,
        schema: {
          tags,
          summary: 'The site’s webhook endpoints (admins only)',
          security,
          params: SiteParams,
          response: {
            200: Type.Object({
              endpoints: Type.Array(Endpoint),
              eventTypes: Type.Array(Type.String(), {
                description: 'The event types an endpoint may subscribe to',
              }),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        const site = await sites.get(request.params.siteId);
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        const endpoints = await listEndpoints(db, site.id);
        return {
          endpoints: endpoints.map((e) => presentEndpoint(e, e.pending)),
          eventTypes: [...WEBHOOK_EVENT_TYPES],
        };
      },
    );

    app.post(
      '/admin/sites/:siteId/webhooks',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Register a webhook endpoint for the site (admins only)',
          description:
            'Answers 201 with the endpoint and its signing secret, which is never shown again ' +
            '(rotate it to get a new one). 400 INVALID_URL for an address that is not http(s), ' +
            'carries credentials, or is a private or loopback address the server does not allow.',
          security,
          params: SiteParams,
          body: Type.Object(
            { url: Url, description: Type.Optional(Description), events: Events },
            { additionalProperties: false },
          ),
          response: { 201: WithSecret, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const admin = requireRole(request, 'admin');
        const site = await sites.get(request.params.siteId);
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        const { endpoint, secret } = await createEndpoint(
          db,
          admin.id,
          { siteId: site.id, ...request.body },
          addresses,
        );
        return reply.status(201).send({ endpoint: presentEndpoint(endpoint, 0), secret });
      },
    );

    app.get(
      '/admin/webhooks/:id',
      {
        config: reads,
        schema: {
          tags,
          summary: 'One webhook endpoint (admins only)',
          security,
          params: IdParams,
          response: { 200: Type.Object({ endpoint: Endpoint }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return { endpoint: await present(await requireEndpoint(request.params.id)) };
      },
    );

    app.patch(
      '/admin/webhooks/:id',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Change an endpoint’s address, description or events (admins only)',
          security,
          params: IdParams,
          body: Type.Object(
            {
              url: Type.Optional(Url),
              description: Type.Optional(Description),
              events: Type.Optional(Events),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Type.Object({ endpoint: Endpoint }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const admin = requireRole(request, 'admin');
        const changed = await changeEndpoint(
          db,
          admin.id,
          request.params.id,
          request.body,
          addresses,
        );
        return { endpoint: await present(changed) };
      },
    );

    app.delete(
      '/admin/webhooks/:id',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Delete an endpoint, its deliveries and their log (admins only)',
          security,
          params: IdParams,
          response: { 200: Type.Object({ endpoint: Endpoint }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const admin = requireRole(request, 'admin');
        const endpoint = await requireEndpoint(request.params.id);
        const shown = await present(endpoint);
        await removeEndpoint(db, admin.id, endpoint);
        return { endpoint: shown };
      },
    );

    app.post(
      '/admin/webhooks/:id/rotate',
      {
        config: writes,
        schema: {
          tags,
          summary: 'A new signing secret, shown once; the old one signs on for an overlap',
          description:
            'Every delivery carries a signature with each live secret, so a receiver holding ' +
            `either verifies. overlapHours: how long the old secret goes on signing (default ` +
            `${DEFAULT_OVERLAP_HOURS}, at most ${MAX_OVERLAP_HOURS}; 0 stops it at once). Admins only.`,
          security,
          params: IdParams,
          body: Type.Object(
            {
              overlapHours: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OVERLAP_HOURS })),
            },
            { additionalProperties: false },
          ),
          response: { 200: WithSecret, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const admin = requireRole(request, 'admin');
        const rotated = await rotateEndpointSecret(
          db,
          admin.id,
          request.params.id,
          request.body.overlapHours ?? DEFAULT_OVERLAP_HOURS,
        );
        return { endpoint: await present(rotated.endpoint), secret: rotated.secret };
      },
    );

    for (const enabled of [true, false]) {
      app.post(
        `/admin/webhooks/:id/${enabled ? 'enable' : 'disable'}`,
        {
          config: writes,
          schema: {
            tags,
            summary: enabled
              ? 'Enable an endpoint again: its failures forgotten, its waiting deliveries sent'
              : 'Disable an endpoint: nothing is sent or queued for it until it is enabled',
            security,
            params: IdParams,
            response: { 200: Type.Object({ endpoint: Endpoint }), '4xx': ErrorBody },
          },
        },
        async (request) => {
          const admin = requireRole(request, 'admin');
          const endpoint = await requireEndpoint(request.params.id);
          const now = await setEndpointEnabled(
            db,
            { id: admin.id, name: admin.displayName },
            endpoint,
            enabled,
          );
          if (enabled) delivery.wake();
          return { endpoint: await present(now) };
        },
      );
    }

    app.post(
      '/admin/webhooks/:id/test',
      {
        config: sends,
        schema: {
          tags,
          summary: `Send a test event (${TEST_EVENT_TYPE}) to the endpoint (admins only)`,
          description:
            'Queued like any event, in a lane of its own: follow it in the delivery log. 409 ' +
            'WEBHOOK_DISABLED when the endpoint is disabled.',
          security,
          params: IdParams,
          response: { 202: Type.Object({ delivery: Delivery }), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        requireRole(request, 'admin');
        const endpoint = await requireEndpoint(request.params.id);
        const queued = await sendTestEvent(db, endpoint);
        delivery.wake();
        return reply.status(202).send({ delivery: presentDelivery(queued) });
      },
    );

    app.get(
      '/admin/webhooks/:id/deliveries',
      {
        config: reads,
        schema: {
          tags,
          summary: 'The endpoint’s deliveries, newest first (admins only)',
          security,
          params: IdParams,
          querystring: Type.Object(
            { state: Type.Optional(DeliveryState), ...Paging },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ items: Type.Array(Delivery), nextCursor: Nullable(Type.String()) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        const endpoint = await requireEndpoint(request.params.id);
        const { state, cursor, limit } = request.query;
        const page = await listDeliveries(
          db,
          endpoint.id,
          { state },
          { cursor, limit: limit ?? 50 },
        );
        return { items: page.items.map(presentDelivery), nextCursor: page.nextCursor };
      },
    );

    async function requireDelivery(endpointId: string, deliveryId: string) {
      const found = await getDelivery(db, deliveryId);
      if (!found || found.endpointId !== endpointId) {
        throw new ParleyError('WEBHOOK_DELIVERY_NOT_FOUND', 'That delivery does not exist.');
      }
      return found;
    }

    app.get(
      '/admin/webhooks/:id/deliveries/:deliveryId',
      {
        config: reads,
        schema: {
          tags,
          summary: 'One delivery: its payload and every attempt (admins only)',
          security,
          params: DeliveryParams,
          response: { 200: Type.Object({ delivery: DeliveryDetails }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        const endpoint = await requireEndpoint(request.params.id);
        const found = await requireDelivery(endpoint.id, request.params.deliveryId);
        return {
          delivery: {
            ...presentDelivery(found),
            payload: found.payload,
            attemptLog: found.attemptLog,
          },
        };
      },
    );

    app.post(
      '/admin/webhooks/:id/deliveries/:deliveryId/resend',
      {
        config: sends,
        schema: {
          tags,
          summary: 'Send a delivery again (admins only)',
          description:
            'A pending delivery is tried now (as soon as its lane allows). A finished one is ' +
            'copied to a new delivery with the same event id (webhook-id) and payload, queued ' +
            'now; the first keeps its log. Answers 202 with the delivery that will be sent. 409 ' +
            'WEBHOOK_DISABLED when the endpoint is disabled.',
          security,
          params: DeliveryParams,
          response: { 202: Type.Object({ delivery: Delivery }), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        requireRole(request, 'admin');
        const endpoint = await requireEndpoint(request.params.id);
        const queued = await sendAgain(db, endpoint, request.params.deliveryId);
        delivery.wake();
        return reply.status(202).send({ delivery: presentDelivery(queued) });
      },
    );
  };
}
