/**
 * Administering publisher sites and their allowed origins (admins only): from the CLI, the API and
 * the dashboard's Sites view. A site's creation and every change of its name or origins is checked
 * and recorded in the audit log by src/services/sites.ts, like the changes of its branding.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import type { Sort } from '../../domain/thread.ts';
import { changeSite, createSite } from '../../services/sites.ts';
import { getSite, listSites } from '../../store/sites.ts';
import { requireRole } from '../auth.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
import { presentSite } from '../presenters.ts';
import { ErrorBody, Site, SiteCreateBody, SiteParams, SitePatchBody } from '../schemas.ts';

const security = [{ bearer: [] }];

export function siteRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;
  const deps = { store, sites };
  const rateLimit = limitPerUser(config.writeRateLimit);
  const readLimit = limitPerUser(config.readRateLimit);
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
        const admin = requireRole(request, 'admin');
        const site = await createSite(deps, admin.id, {
          name: request.body.name,
          allowedOrigins: request.body.allowedOrigins,
          editWindowSeconds: request.body.editWindowSeconds ?? config.editWindowSeconds,
          maxDepth: request.body.maxDepth ?? config.maxDepth,
          locale: request.body.locale ?? null,
          ...(request.body.defaultSort !== undefined && {
            defaultSort: request.body.defaultSort as Sort,
          }),
          ...(request.body.pinNewsroom !== undefined && { pinNewsroom: request.body.pinNewsroom }),
        });
        return reply.status(201).send({ site: presentSite(site) });
      },
    );

    app.get(
      '/sites',
      {
        config: { rateLimit: readLimit },
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
        config: { rateLimit: readLimit },
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
          summary: 'Change a site (its name, allowed origins, edit window, depth, language)',
          security,
          params: SiteParams,
          body: SitePatchBody,
          response: { 200: Type.Object({ site: Site }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const admin = requireRole(request, 'admin');
        const site = await changeSite(deps, admin.id, request.params.siteId, request.body);
        return { site: presentSite(site) };
      },
    );
  };
}
