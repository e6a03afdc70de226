/**
 * A site's branding as admins set it (docs/notifications.md, "Mail"): the logo, accent colour and
 * community guidelines every mail of the site (and the widget's and account pages) show, the name
 * mail is sent under and the words it is signed with. Admins only: moderators keep to moderation.
 * A change is checked strictly (https addresses only, `#rrggbb`, lengths, no control or direction
 * characters; src/domain/branding.ts) and recorded in the audit log. Its public part (name, logo,
 * accent colour, guidelines) is also served to anyone as the site's brand, and on every story.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { BRANDING_LIMITS } from '../../domain/branding.ts';
import { ParleyError } from '../../domain/errors.ts';
import { changeSiteBranding } from '../../services/sites.ts';
import { etagOf } from '../../services/thread-cache.ts';
import { getSiteBranding } from '../../store/branding.ts';
import { requireRole } from '../auth.ts';
import { limitPerIp, limitPerUser, type RouteContext } from '../context.ts';
import { presentBrand } from '../presenters.ts';
import { Brand, ErrorBody, SiteParams } from '../schemas.ts';

const security = [{ bearer: [] }];
const tags = ['admin'];
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const BrandingSchema = Type.Object({
  logoUrl: Nullable(Type.String({ description: 'An https image shown at the top of every mail' })),
  accentColor: Nullable(Type.String({ description: '#rrggbb: the colour of the mail’s button' })),
  guidelinesUrl: Nullable(
    Type.String({ description: 'The community guidelines (https), linked from a rejection' }),
  ),
  senderName: Nullable(
    Type.String({ description: 'The From name of the site’s mail (default: the site’s name)' }),
  ),
  signoff: Nullable(
    Type.String({ description: 'The last line of every mail (default: “The <site> team”)' }),
  ),
});

/** Lengths the schema refuses outright; the finer limits are the domain's (BRANDING_LIMITS). */
const BrandingBody = Type.Object(
  {
    logoUrl: Type.Optional(Nullable(Type.String({ maxLength: BRANDING_LIMITS.url }))),
    accentColor: Type.Optional(Nullable(Type.String({ maxLength: 16 }))),
    guidelinesUrl: Type.Optional(Nullable(Type.String({ maxLength: BRANDING_LIMITS.url }))),
    senderName: Type.Optional(Nullable(Type.String({ maxLength: BRANDING_LIMITS.senderName * 4 }))),
    signoff: Type.Optional(Nullable(Type.String({ maxLength: BRANDING_LIMITS.signoff * 4 }))),
  },
  {
    additionalProperties: false,
    description: 'Keys left out keep their value; null (or an empty string) removes it.',
  },
);

const BrandingResponse = Type.Object({ siteName: Type.String(), branding: BrandingSchema });

/** How long browsers and proxies may keep a site's public brand before asking again. */
export const BRAND_MAX_AGE_S = 60;

export function brandingRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;

  async function requireBranding(siteId: string) {
    const found = await getSiteBranding(store.db, siteId);
    if (!found) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
    return found;
  }

  return async (app) => {
    // Public: the widget, the sign-in popup and account pages show the publisher's brand. Browsers
    // may keep it a minute and then revalidate with the ETag; a change reaches them after that.
    app.get(
      '/sites/:siteId/brand',
      {
        config: { rateLimit: limitPerIp(config.readRateLimit) },
        schema: {
          tags: ['sites'],
          summary: 'A publisher’s brand: its name, logo, accent colour and guidelines (public)',
          params: SiteParams,
          response: {
            200: Brand,
            304: Type.Null({ description: 'Not modified (If-None-Match matched the ETag)' }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const site = await sites.get(request.params.siteId);
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        const brand = presentBrand(site);
        const etag = etagOf(Buffer.from(JSON.stringify(brand)));
        void reply
          .header('etag', etag)
          .header('cache-control', `public, max-age=${BRAND_MAX_AGE_S}`);
        if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
        return brand;
      },
    );

    app.get(
      '/admin/sites/:siteId/branding',
      {
        config: { rateLimit: limitPerUser(config.readRateLimit) },
        schema: {
          tags,
          summary:
            'A site’s branding: logo, accent colour, guidelines, mail sender and sign-off (admins)',
          security,
          params: SiteParams,
          response: { 200: BrandingResponse, '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return requireBranding(request.params.siteId);
      },
    );

    app.put(
      '/admin/sites/:siteId/branding',
      {
        config: { rateLimit: limitPerUser(config.writeRateLimit) },
        schema: {
          tags,
          summary: 'Change a site’s branding (admins)',
          description:
            'Keys left out keep their value; null or "" removes one. Addresses must be https; ' +
            `the colour #rrggbb; the sender name at most ${BRANDING_LIMITS.senderName} ` +
            `characters and the sign-off ${BRANDING_LIMITS.signoff}, on one line.`,
          security,
          params: SiteParams,
          body: BrandingBody,
          response: { 200: BrandingResponse, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const admin = requireRole(request, 'admin');
        return changeSiteBranding({ store, sites }, admin.id, request.params.siteId, request.body);
      },
    );
  };
}
