/**
 * Server-rendered threads (docs/server-rendering.md): the first page of a story's thread as an
 * HTML fragment for publishers to include in their article pages (by story id, or by site and the
 * story's identifier or address, found the way the widget finds it but never created by a read),
 * and Parley's own pages of a story's comments: a plain one per story (`/stories/{storyId}`,
 * paginated, no script) and one for AMP articles' `amp-iframe` (`/amp/stories/{storyId}`).
 *
 * Everything here is what any stranger may read: approved comments, as anonymous readers get them.
 * The pages are kept in the thread cache beside the JSON pages (the same story version drops them
 * on every write), rendered once per page and site settings, with an ETag. A site can turn all of
 * this off (`rendering: false`): its routes then answer 404 RENDERING_DISABLED.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { SORTS } from '../../domain/thread.ts';
import { normaliseStoryUrl } from '../../domain/story-url.ts';
import { INTERFACE_LANGUAGES, type InterfaceLanguage } from '../../domain/vocabulary.ts';
import { requireStory } from '../../services/comments.ts';
import type { CachedPage } from '../../services/thread-cache.ts';
import { anonymousOverlay, readThread, type ThreadSort } from '../../services/threads.ts';
import type { Site, Story } from '../../store/rows.ts';
import { findStory } from '../../store/stories.ts';
import { limitPerIp, type RouteContext, type SharedPage } from '../context.ts';
import { matchesEtag } from './feeds.ts';
import { presentSiteSettings, presentStory, presentThreadPage } from '../presenters.ts';
import { renderFragment } from '../rendered/fragment.ts';
import { RENDERED_STYLESHEET_PATH } from '../rendered/markup.ts';
import type { AnonymousPage } from '../rendered/page-data.ts';
import {
  renderAmpPage,
  renderStoryPage,
  storyPagePolicy,
  type StoryPageInput,
  type Theme,
} from '../rendered/pages.ts';
import {
  Cursor,
  ErrorBody,
  Limit,
  OneOf,
  SiteParams,
  StoryParams,
  ThreadSort as SortSchema,
} from '../schemas.ts';

/** Where the fragment's and pages' stylesheet is served (built with the widget). */
const RENDERED_STYLESHEET = RENDERED_STYLESHEET_PATH;

/** How long a publisher's cache (an include, an edge) may keep a fragment before asking again. */
export const FRAGMENT_CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=30';
/** The plain and AMP pages: a little longer; an ETag makes asking again cheap. */
export const PAGE_CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=60';

const DEFAULT_LIMIT = 20;

const Lang = OneOf(INTERFACE_LANGUAGES, {
  description: "The interface language of the page's own words (default: the site's locale)",
});

const FragmentQuery = Type.Object(
  { sort: Type.Optional(SortSchema), limit: Type.Optional(Limit), lang: Type.Optional(Lang) },
  { additionalProperties: false },
);

const SiteFragmentQuery = Type.Object(
  {
    url: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: "The article's address, as the widget reports it",
      }),
    ),
    storyIdentifier: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '^[^\\s]+$',
        description: "The publisher's own identifier of the story (the widget's storyId)",
      }),
    ),
    sort: Type.Optional(SortSchema),
    limit: Type.Optional(Limit),
    lang: Type.Optional(Lang),
  },
  { additionalProperties: false },
);

const PageQuery = Type.Object(
  {
    cursor: Type.Optional(Cursor),
    sort: Type.Optional(SortSchema),
    lang: Type.Optional(Lang),
    theme: Type.Optional(OneOf(['light', 'dark'] as const)),
  },
  { additionalProperties: false },
);

const HtmlResponse = {
  200: {
    description: 'An HTML fragment',
    content: { 'text/html': { schema: Type.String() } },
  },
  304: Type.Null({ description: 'Not modified (If-None-Match matched the ETag)' }),
  '4xx': ErrorBody,
};

export function renderingDisabled(): ParleyError {
  return new ParleyError(
    'RENDERING_DISABLED',
    'This site does not serve server-rendered comments (its rendering setting is off).',
  );
}

/** The site's interface language, when it is one of ours; else English. */
function siteLanguage(site: Site): InterfaceLanguage {
  const primary = (site.locale ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (INTERFACE_LANGUAGES as readonly string[]).includes(primary)
    ? (primary as InterfaceLanguage)
    : 'en';
}

export function renderedRoutes(ctx: RouteContext) {
  const { store, config, sites, threads } = ctx;
  const readLimit = { rateLimit: limitPerIp(config.readRateLimit) };
  const publicUrl = config.publicUrl;
  const stylesheetHref = `${publicUrl}${RENDERED_STYLESHEET}`;

  /** Which site each story seen is on (it never changes): most requests then read nothing. */
  const siteOfStory = new Map<string, string>();
  /** Stories found by site and the publisher's identifier or address, by that key. */
  const storyByKey = new Map<string, string>();

  /**
   * The story's site from the directory (settings changed since apply at once), refusing when
   * the site has turned rendering off; and the story, when it had to be read.
   */
  async function storySite(storyId: string, known?: Story): Promise<{ site: Site; story?: Story }> {
    let story = known;
    let siteId = known?.siteId ?? siteOfStory.get(storyId);
    if (!siteId) {
      story = (await requireStory(store, sites, storyId)).story;
      siteId = story.siteId;
      if (siteOfStory.size >= 50_000) siteOfStory.clear();
      siteOfStory.set(storyId, siteId);
    }
    const site = await sites.get(siteId);
    if (!site) throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
    if (!site.rendering) throw renderingDisabled();
    return { site, ...(story && { story }) };
  }

  /**
   * A page of the thread as everyone sees it, from the cache or read now (and kept): in the
   * order asked for, else the site's default, with the newsroom's and featured comments leading
   * the default order when the site says so, as the widget shows it.
   */
  async function sharedThread(
    storyId: string,
    name: string,
    read: { sort?: string; cursor?: string; limit: number },
    known?: Story,
  ): Promise<{ cached: CachedPage<SharedPage>; story: Story; site: Site; sort: ThreadSort }> {
    const { site, story: loaded } = await storySite(storyId, known);
    const sort = (read.sort ?? site.defaultSort) as ThreadSort;
    const pin = site.pinNewsroom && sort === site.defaultSort;
    const key = `rendered ${name} ${sort} ${pin} ${read.limit} ${read.cursor ?? ''}`;
    let cached = threads.get(storyId, key);
    if (!cached) {
      const version = threads.version(storyId);
      const story = loaded ?? (await requireStory(store, sites, storyId)).story;
      const page = await readThread(store, {
        storyId,
        sort,
        limit: read.limit,
        pin,
        ...(read.cursor && { cursor: read.cursor }),
      });
      cached = threads.set(storyId, key, { kind: 'thread', story, page }, version);
    }
    const shared = cached.value;
    if (shared.kind !== 'thread') throw new Error(`thread cache: ${key} holds ${shared.kind}`);
    return { cached, story: shared.story, site, sort };
  }

  /** A page's Content-Security-Policy, worked out once per page's bytes. */
  const policies = new Map<string, string>();
  function policyOf(
    rendered: { body: Buffer; etag: string },
    site: Site,
    theme: Theme,
    amp: boolean,
  ): string {
    const memo = `${amp} ${theme} ${rendered.etag}`;
    let policy = policies.get(memo);
    if (!policy) {
      policy = storyPagePolicy(site, theme, amp);
      if (policies.size >= 5000) policies.clear();
      policies.set(memo, policy);
    }
    return policy;
  }

  function anonymousPage(cached: CachedPage<SharedPage>, site: Site): AnonymousPage {
    const shared = cached.value as Extract<SharedPage, { kind: 'thread' }>;
    return {
      story: presentStory(shared.story, site),
      ...presentThreadPage(shared.page, anonymousOverlay, null, site),
      ...(shared.page.featuredCount !== undefined && { featuredCount: shared.page.featuredCount }),
    };
  }

  const storyPagePath = (storyId: string) => `/stories/${storyId}`;

  /** A link to a plain page of the story, keeping the reader's choices. */
  function pageHref(
    storyId: string,
    query: { cursor?: string | null; sort?: string; lang?: string; theme?: string },
    absolute: boolean,
  ): string {
    const params = new URLSearchParams();
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.sort) params.set('sort', query.sort);
    if (query.lang) params.set('lang', query.lang);
    if (query.theme && query.theme !== 'light') params.set('theme', query.theme);
    const search = params.size > 0 ? `?${params.toString()}` : '';
    return `${absolute ? publicUrl : ''}${storyPagePath(storyId)}${search}`;
  }

  /** Sends a rendered page's bytes: ETag (304 when held), caching, open to any origin. */
  function sendHtml(
    request: FastifyRequest,
    reply: FastifyReply,
    rendered: { body: Buffer; etag: string },
    headers: Record<string, string>,
  ) {
    void reply.header('etag', rendered.etag).headers(headers);
    if (matchesEtag(request.headers['if-none-match'], rendered.etag))
      return reply.status(304).send(null);
    return reply.type('text/html; charset=utf-8').send(rendered.body);
  }

  async function sendFragment(
    request: FastifyRequest,
    reply: FastifyReply,
    storyId: string,
    query: { sort?: string; limit?: number; lang?: InterfaceLanguage },
    known?: Story,
  ) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const { cached, story, site, sort } = await sharedThread(
      storyId,
      `fragment ${query.lang ?? ''}`,
      { ...(query.sort && { sort: query.sort }), limit },
      known,
    );
    const rendered = threads.serialised(cached, site, () => {
      const page = anonymousPage(cached, site);
      const lang = query.lang ?? siteLanguage(site);
      return Buffer.from(
        renderFragment({
          page,
          site: presentSiteSettings(site),
          storyCreatedAt: story.createdAt,
          lang,
          sort,
          moreHref: page.nextCursor
            ? pageHref(
                storyId,
                { cursor: page.nextCursor, sort: query.sort, lang: query.lang },
                true,
              )
            : null,
          stylesheetHref,
          origin: publicUrl,
        }),
      );
    });
    return sendHtml(request, reply, rendered, {
      'cache-control': FRAGMENT_CACHE_CONTROL,
      'access-control-allow-origin': '*',
      'x-robots-tag': 'noindex',
    });
  }

  /** Under /api/v1: the fragment. */
  const api: FastifyPluginAsyncTypebox = async (app) => {
    app.get(
      '/stories/:storyId/rendered',
      {
        config: readLimit,
        schema: {
          tags: ['stories'],
          summary:
            "The first page of a story's thread as an HTML fragment to include in the article " +
            '(approved comments, JSON-LD, the page as JSON for the widget)',
          params: StoryParams,
          querystring: FragmentQuery,
          response: HtmlResponse,
        },
      },
      async (request, reply) => sendFragment(request, reply, request.params.storyId, request.query),
    );

    app.get(
      '/sites/:siteId/rendered',
      {
        config: readLimit,
        schema: {
          tags: ['stories'],
          summary:
            "The rendered fragment of a site's story named by the publisher's identifier or the " +
            "article's address (never creates a story)",
          params: SiteParams,
          querystring: SiteFragmentQuery,
          response: HtmlResponse,
        },
      },
      async (request, reply) => {
        const { url, storyIdentifier, ...query } = request.query;
        const site = await sites.get(request.params.siteId);
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        if (!site.rendering) throw renderingDisabled();
        if (url === undefined && storyIdentifier === undefined) {
          throw new ParleyError('VALIDATION_FAILED', 'Give the story as url or storyIdentifier.');
        }
        // The widget's key: its identifier when the page gives one, else the address.
        const key = storyIdentifier
          ? { externalId: storyIdentifier, url: '' }
          : { externalId: null, url: normaliseStoryUrl(url as string).href };
        // A story found once keeps its id: includes ask for the same stories again and again.
        const memo = `${site.id} ${key.externalId ?? ''} ${key.url}`;
        const knownId = storyByKey.get(memo);
        if (knownId) return sendFragment(request, reply, knownId, query);
        const story = await findStory(store.db, site.id, key);
        // Not found is not remembered: the widget may create the story at any moment.
        if (!story) throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
        if (storyByKey.size >= 50_000) storyByKey.clear();
        storyByKey.set(memo, story.id);
        return sendFragment(request, reply, story.id, query, story);
      },
    );
  };

  /**
   * The plain page (paginated, links to each order) or the AMP page (the first page only, a link
   * to the plain page, framed by AMP hosts).
   */
  async function sendStoryPage(
    request: FastifyRequest,
    reply: FastifyReply,
    storyId: string,
    query: Static<typeof PageQuery>,
    amp: boolean,
  ) {
    const { cursor, sort: askedSort, lang: askedLang, theme = 'light' } = query;
    if (amp && cursor) {
      throw new ParleyError('VALIDATION_FAILED', 'The AMP page shows the first page only.');
    }
    const { cached, story, site, sort } = await sharedThread(
      storyId,
      `${amp ? 'amp' : 'page'} ${askedLang ?? ''} ${theme}`,
      { limit: DEFAULT_LIMIT, ...(askedSort && { sort: askedSort }), ...(cursor && { cursor }) },
    );
    const asked = { sort: askedSort, lang: askedLang, theme };
    const rendered = threads.serialised(cached, site, () => {
      const page = anonymousPage(cached, site);
      const input: StoryPageInput = {
        page,
        site,
        siteSettings: presentSiteSettings(site),
        storyCreatedAt: story.createdAt,
        lang: askedLang ?? siteLanguage(site),
        theme,
        sort,
        moreHref:
          !amp && page.nextCursor
            ? pageHref(storyId, { ...asked, cursor: page.nextCursor }, false)
            : null,
        firstHref: !amp && cursor ? pageHref(storyId, asked, false) : null,
        ...(amp
          ? { fullHref: pageHref(storyId, asked, true) }
          : {
              sortLinks: SORTS.map((order) => ({
                order,
                href: pageHref(storyId, { ...asked, sort: order }, false),
              })),
            }),
        stylesheetHref: RENDERED_STYLESHEET,
        origin: publicUrl,
      };
      return Buffer.from(amp ? renderAmpPage(input) : renderStoryPage(input));
    });
    // Framed by AMP hosts: the page's own policy says by whom; no X-Frame-Options.
    if (amp) void reply.removeHeader('x-frame-options');
    return sendHtml(request, reply, rendered, {
      'cache-control': PAGE_CACHE_CONTROL,
      'content-security-policy': policyOf(rendered, site, theme, amp),
    });
  }

  /** At the root: the plain page and the AMP page. */
  const pages: FastifyPluginAsyncTypebox = async (app) => {
    const schema = { hide: true, params: StoryParams, querystring: PageQuery };
    app.get('/stories/:storyId', { config: readLimit, schema }, (request, reply) =>
      sendStoryPage(request, reply, request.params.storyId, request.query, false),
    );
    app.get('/amp/stories/:storyId', { config: readLimit, schema }, (request, reply) =>
      sendStoryPage(request, reply, request.params.storyId, request.query, true),
    );
  };

  return { api, pages };
}
