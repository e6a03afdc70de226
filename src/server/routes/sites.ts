/**
 * Administering publisher sites and their allowed origins (admins only): from the CLI, the API and
 * the dashboard's Sites view. A site's creation and every change of its name or origins is recorded
 * in the audit log, like the changes of its settings and branding.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { originOf } from '../../domain/origin.ts';
import { checkText } from '../../domain/text.ts';
import { insertAction } from '../../store/audit.ts';
import { getSite, insertSite, listSites, updateSite } from '../../store/sites.ts';
import { requireRole } from '../auth.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
import { presentSite } from '../presenters.ts';
import { ErrorBody, Site, SiteCreateBody, SiteParams, SitePatchBody } from '../schemas.ts';

const security = [{ bearer: [] }];

/** How a value is quoted back in an error: short, on one line. */
const quoted = (value: string) =>
  `“${[...value.replace(/\s+/g, ' ')].slice(0, 80).join('')}${[...value].length > 80 ? '…' : ''}”`;

/** Whether an address is an origin and nothing more: no path, query, fragment or user name. */
function onlyOrigin(value: string): boolean {
  const url = new URL(value);
  return (
    !/\s/.test(value) &&
    (url.pathname === '/' || url.pathname === '') &&
    !url.search &&
    !url.hash &&
    !value.endsWith('?') &&
    !value.endsWith('#') &&
    !url.username &&
    !url.password
  );
}

/**
 * Origins as browsers send them (scheme, host, port when not the default), each once. Anything
 * more than an origin (a path, a query, a user name) is refused rather than cut off, so what is
 * stored is what the admin wrote.
 */
function normaliseOrigins(values: string[]): string[] {
  const origins = values.map((raw) => {
    const value = raw.trim();
    const origin = originOf(value);
    if (!origin || origin === 'null' || !onlyOrigin(value)) {
      throw new ParleyError(
        'VALIDATION_FAILED',
        `${quoted(value)} is not an origin: write the scheme and the host only, like https://www.example.com.`,
      );
    }
    return origin;
  });
  return [...new Set(origins)];
}

const siteName = (name: string) =>
  checkText(name, { field: 'site name', maxLength: 200, multiline: false }).trim();

export function siteRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;
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
        const name = siteName(request.body.name);
        const allowedOrigins = normaliseOrigins(request.body.allowedOrigins);
        const site = await store.db.transaction().execute(async (trx) => {
          const created = await insertSite(trx, {
            name,
            allowedOrigins,
            editWindowSeconds: request.body.editWindowSeconds ?? config.editWindowSeconds,
            maxDepth: request.body.maxDepth ?? config.maxDepth,
            locale: request.body.locale ?? null,
          });
          await insertAction(trx, {
            actorId: admin.id,
            action: 'site.create',
            siteId: created.id,
            commentId: null,
            userId: null,
            reason: null,
            before: null,
            after: presentSite(created),
            undoable: false,
          });
          return created;
        });
        await sites.refresh();
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
        const { allowedOrigins, name, ...rest } = request.body;
        const patch = {
          ...rest,
          ...(name !== undefined && { name: siteName(name) }),
          ...(allowedOrigins && { allowedOrigins: normaliseOrigins(allowedOrigins) }),
        };
        const site = await store.db.transaction().execute(async (trx) => {
          const before = await getSite(trx, request.params.siteId);
          if (!before) return undefined;
          const after = await updateSite(trx, before.id, patch);
          if (!after) return undefined;
          const shown = (site: typeof before) =>
            Object.fromEntries(
              Object.keys(patch).map((key) => [key, presentSite(site)[key as keyof typeof patch]]),
            );
          await insertAction(trx, {
            actorId: admin.id,
            action: 'site.update',
            siteId: before.id,
            commentId: null,
            userId: null,
            reason: null,
            before: shown(before),
            after: shown(after),
            undoable: false,
          });
          return after;
        });
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        await sites.refresh();
        return { site: presentSite(site) };
      },
    );
  };
}
