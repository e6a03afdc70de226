/**
 * Admins create and revoke the API keys of the Perspective-compatible analysis endpoint (the rules
 * and the audit entries are src/services/api-keys.ts's). A key is shown once, when created.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createApiKey, revokeApiKey } from '../../services/api-keys.ts';
import { listApiKeys } from '../../store/api-keys.ts';
import { requireRole } from '../auth.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
import { ErrorBody, IdParams } from '../schemas.ts';
import type { ApiKeyCache } from './perspective.ts';

const security = [{ bearer: [] }];
const tags = ['analysis'];

const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  ratePerMinute: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  requests: Type.Integer(),
});

export function apiKeyRoutes(ctx: RouteContext, keys: ApiKeyCache): FastifyPluginAsyncTypebox {
  const { store, config } = ctx;
  const rateLimit = limitPerUser(config.writeRateLimit);
  return async (app) => {
    app.get(
      '/admin/api-keys',
      {
        config: { rateLimit: limitPerUser(config.readRateLimit) },
        schema: {
          tags,
          summary: 'API keys of the analysis endpoint (admins only)',
          security,
          response: { 200: Type.Object({ keys: Type.Array(ApiKey) }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return { keys: await listApiKeys(store.db) };
      },
    );

    app.post(
      '/admin/api-keys',
      {
        config: { rateLimit },
        schema: {
          tags,
          summary: 'Create an API key; the key itself is in this answer only',
          security,
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 200 }),
              ratePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ key: Type.String(), apiKey: ApiKey }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const admin = requireRole(request, 'admin');
        const { key, apiKey } = await createApiKey(store, admin, request.body);
        keys.clear();
        return reply.status(201).send({ key, apiKey });
      },
    );

    app.delete(
      '/admin/api-keys/:id',
      {
        config: { rateLimit },
        schema: {
          tags,
          summary: 'Revoke an API key (at once in this process, within 30 s in others)',
          security,
          params: IdParams,
          response: { 200: Type.Object({ apiKey: ApiKey }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const admin = requireRole(request, 'admin');
        const apiKey = await revokeApiKey(store, admin, request.params.id);
        keys.clear();
        return { apiKey };
      },
    );
  };
}
