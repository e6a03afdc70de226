/**
 * Admins create and revoke the API keys of the Perspective-compatible analysis endpoint. A key is
 * shown once, when created; Parley keeps only its SHA-256 hash and a short prefix.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { insertApiKey, listApiKeys, revokeApiKey } from '../../store/api-keys.ts';
import { insertAction } from '../../store/audit.ts';
import { requireRole } from '../auth.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
import { ErrorBody, IdParams } from '../schemas.ts';
import { hashApiKey, type ApiKeyCache } from './perspective.ts';

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
        const key = `pk_${randomBytes(30).toString('base64url')}`;
        const apiKey = await store.db.transaction().execute(async (trx) => {
          const created = await insertApiKey(trx, {
            name: request.body.name.trim(),
            prefix: key.slice(0, 10),
            keyHash: hashApiKey(key),
            ratePerMinute: request.body.ratePerMinute ?? 600,
            createdBy: admin.id,
          });
          await insertAction(trx, {
            actorId: admin.id,
            action: 'apikey.create',
            siteId: null,
            commentId: null,
            userId: null,
            reason: null,
            before: null,
            after: { id: created.id, name: created.name, prefix: created.prefix },
            undoable: false,
          });
          return created;
        });
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
        const apiKey = await store.db.transaction().execute(async (trx) => {
          const revoked = await revokeApiKey(trx, request.params.id);
          if (!revoked) return undefined;
          await insertAction(trx, {
            actorId: admin.id,
            action: 'apikey.revoke',
            siteId: null,
            commentId: null,
            userId: null,
            reason: null,
            before: { id: revoked.id, name: revoked.name, prefix: revoked.prefix },
            after: { revokedAt: revoked.revokedAt },
            undoable: false,
          });
          return revoked;
        });
        if (!apiKey) throw new ParleyError('NOT_FOUND', 'No live API key has that id.');
        keys.clear();
        return { apiKey };
      },
    );
  };
}
