/**
 * Atom feeds of published comments (docs/notifications.md, "Feeds"), for readers' feed readers and
 * aggregators: a story's latest 50 comments and a site's latest 50, newest first, as Atom 1.0
 * (src/domain/atom.ts). Each entry links to the comment on the article page
 * (`<story url>#parley-comment-<id>`, which the widget opens) and carries the comment's stored,
 * sanitised HTML.
 *
 * Public reads like the thread pages: rate-limited per client address, with an ETag (a hash of the
 * document) answered 304 on If-None-Match, and `Cache-Control: no-cache` so that caches ask again.
 * Unknown stories and sites are the usual 404 JSON error.
 */
import { permalink } from '../../domain/permalink.ts';
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderAtom, tagUri, type AtomEntry, type AtomLink } from '../../domain/atom.ts';
import { ParleyError } from '../../domain/errors.ts';
import { requireStory } from '../../services/comments.ts';
import { latestPublished, type FeedComment } from '../../store/feeds.ts';
import { limitPerIp, type RouteContext } from '../context.ts';
import { ErrorBody, SiteParams, StoryParams } from '../schemas.ts';

export const FEED_ENTRIES = 50;
export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

const AtomResponse = {
  description: 'An Atom 1.0 feed (RFC 4287)',
  content: { 'application/atom+xml': { schema: { type: 'string' } } },
};
const NotModified = { description: 'Not modified (If-None-Match matched the ETag)', type: 'null' };

/** Whether If-None-Match names this ETag (a list, weak forms and `*` included). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((part) => part.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

function sendFeed(request: FastifyRequest, reply: FastifyReply, xml: string) {
  const body = Buffer.from(xml, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  void reply.header('etag', etag).header('cache-control', 'no-cache');
  if (matchesEtag(request.headers['if-none-match'], etag)) return reply.status(304).send(null);
  return reply.type(ATOM_TYPE).send(body);
}

const latest = (comments: FeedComment[], fallback: string): string =>
  comments.reduce((max, c) => {
    const updated = c.editedAt ?? c.createdAt;
    return updated > max ? updated : max;
  }, fallback);

export function feedRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;
  const readLimit = { rateLimit: limitPerIp(config.readRateLimit) };
  const host = new URL(config.publicUrl).hostname;
  const api = `${config.publicUrl}/api/v1`;

  const entryOf = (comment: FeedComment, title: string): AtomEntry => ({
    id: tagUri(host, comment.createdAt, `comment:${comment.id}`),
    title,
    authorName: comment.authorName,
    published: comment.createdAt,
    updated: comment.editedAt ?? comment.createdAt,
    html: comment.html,
    link: permalink(comment.storyUrl, comment.id),
  });
  const selfLink = (href: string): AtomLink => ({
    rel: 'self',
    href,
    type: 'application/atom+xml',
  });

  return async (app) => {
    app.get(
      '/stories/:storyId/comments.atom',
      {
        config: readLimit,
        schema: {
          tags: ['feeds'],
          summary: 'The story’s latest published comments as an Atom feed',
          description: `The latest ${FEED_ENTRIES} published comments, newest first.`,
          params: StoryParams,
          response: { 200: AtomResponse, 304: NotModified, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const { story, site } = await requireStory(store, sites, request.params.storyId);
        const comments = await latestPublished(store.db, { storyId: story.id }, FEED_ENTRIES);
        const title = story.title ?? story.url;
        const xml = renderAtom({
          id: tagUri(host, story.createdAt, `story:${story.id}:comments`),
          title: `Comments on ${title}`,
          subtitle: site.name,
          updated: latest(comments, story.createdAt),
          lang: site.locale,
          generator: 'Parley',
          links: [
            selfLink(`${api}/stories/${story.id}/comments.atom`),
            { rel: 'alternate', href: story.url, type: 'text/html' },
          ],
          entries: comments.map((c) => entryOf(c, `Comment by ${c.authorName}`)),
        });
        return sendFeed(request, reply, xml);
      },
    );

    app.get(
      '/sites/:siteId/comments.atom',
      {
        config: readLimit,
        schema: {
          tags: ['feeds'],
          summary: 'The site’s latest published comments, on every story, as an Atom feed',
          description: `The latest ${FEED_ENTRIES} published comments, newest first.`,
          params: SiteParams,
          response: { 200: AtomResponse, 304: NotModified, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const site = await sites.get(request.params.siteId);
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        const comments = await latestPublished(store.db, { siteId: site.id }, FEED_ENTRIES);
        const home = site.allowedOrigins[0];
        const xml = renderAtom({
          id: tagUri(host, site.createdAt, `site:${site.id}:comments`),
          title: `Latest comments on ${site.name}`,
          updated: latest(comments, site.createdAt),
          lang: site.locale,
          generator: 'Parley',
          links: [
            selfLink(`${api}/sites/${site.id}/comments.atom`),
            ...(home ? [{ rel: 'alternate' as const, href: home, type: 'text/html' }] : []),
          ],
          entries: comments.map((c) =>
            entryOf(c, `${c.authorName} on “${c.storyTitle ?? c.storyUrl}”`),
          ),
        });
        return sendFeed(request, reply, xml);
      },
    );
  };
}
