/** Administering publisher sites and their allowed origins (admins only). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { originOf } from '../../domain/origin.ts';
import { getSite, insertSite, listSites, updateSite } from '../../store/sites.ts';
import { requireRole } from '../auth.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
import { presentSite } from '../presenters.ts';
import { ErrorBody, Site, SiteCreateBody, SiteParams, SitePatchBody } from '../schemas.ts';

const security = [{ bearer: [] }];

/** Origins as browsers send them (scheme, host, port when not the default), each once. */
function normaliseOrigins(values: string[]): string[] {
  const origins = values.map((value) => {
    const origin = originOf(value);
    if (!origin) throw new ParleyError('VALIDATION_FAILED', `Not a valid origin: ${value}`);
    return origin;
  });
  return [...new Set(origins)];
}

export function siteRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;
  const rateLimit = limitPerUser(config.writeRateLimit);
  return async (app) => {
    app.post(
      '/sites',
      {
        config: { rateLimit },
        schema: {
          tags: ['sites'],
          summary: 'Create a publisher site',
          security,
          body: SiteCreateBody,
          response: { 201: Type.Object({ site: Site }), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        requireRole(request, 'admin');
        const site = await insertSite(store.db, {
          name: request.body.name,
          allowedOrigins: normaliseOrigins(request.body.allowedOrigins),
          editWindowSeconds: request.body.editWindowSeconds ?? config.editWindowSeconds,
          maxDepth: request.body.maxDepth ?? config.maxDepth,
          locale: request.body.locale ?? null,
        });
        await sites.refresh();
        return reply.status(201).send({ site: presentSite(site) });
      },
    );

    app.get(
      '/sites',
      {
        schema: {
          tags: ['sites'],
          summary: 'List sites',
          security,
          response: { 200: Type.Object({ sites: Type.Array(Site) }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return { sites: (await listSites(store.db)).map(presentSite) };
      },
    );

    app.get(
      '/sites/:siteId',
      {
        schema: {
          tags: ['sites'],
          summary: 'One site',
          security,
          params: SiteParams,
          response: { 200: Type.Object({ site: Site }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        const site = await getSite(store.db, request.params.siteId);
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        return { site: presentSite(site) };
      },
    );

    app.patch(
      '/sites/:siteId',
      {
        config: { rateLimit },
        schema: {
          tags: ['sites'],
          summary: 'Change a site',
          security,
          params: SiteParams,
          body: SitePatchBody,
          response: { 200: Type.Object({ site: Site }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        const { allowedOrigins, ...rest } = request.body;
        const site = await updateSite(store.db, request.params.siteId, {
          ...rest,
          ...(allowedOrigins && { allowedOrigins: normaliseOrigins(allowedOrigins) }),
        });
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        await sites.refresh();
        return { site: presentSite(site) };
      },
    );
  };
}
