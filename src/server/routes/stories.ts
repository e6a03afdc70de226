/** Stories: resolving the widget's story, reading it, its thread, and bulk comment counts. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import type { Site, User } from '../../store/rows.ts';
import { storyCounts } from '../../store/stories.ts';
import { requireStory } from '../../services/comments.ts';
import { resolveStory } from '../../services/stories.ts';
import {
  anonymousOverlay,
  readThread,
  readViewerOverlay,
  type ThreadPage,
  type ThreadSort,
  type ViewerOverlay,
} from '../../services/threads.ts';
import { PageMarksCache, ViewerPageCache } from '../../services/thread-cache.ts';
import { listOwnUnpublished } from '../../store/comments.ts';
import { listPageMarks } from '../../store/viewer-stories.ts';
import { limitPerIp, sendSharedPage, type RouteContext } from '../context.ts';
import { presentSiteSettings, presentStory, presentThreadPage } from '../presenters.ts';
import { sendViewerAnswer, viewerAnswer, viewerAnswerUntil } from '../viewer-page.ts';
import {
  Comment,
  CountsQuery,
  ErrorBody,
  ResolveStoryBody,
  SiteParams,
  SiteSettings,
  Story,
  StoryParams,
  ThreadComment,
  ThreadQuery,
} from '../schemas.ts';

/**
 * Marks kept per page (reactions, reports, unpublished comments' authors): a page with more is
 * read reader by reader; all pages together hold at most `MAX_MARK_ROWS` (about 100 bytes each).
 */
const MAX_MARK_ROWS_PER_PAGE = 100_000;
const MAX_MARK_ROWS = 400_000;

const splitList = (value: string | undefined): string[] =>
  value
    ? [
        ...new Set(
          value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ]
    : [];

export function storyRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites, threads } = ctx;
  // Signed-in readers' answers, per viewer and page, for as long as the page cache keeps pages.
  const viewerPages = new ViewerPageCache({ ttlMs: config.threadCacheTtlMs });
  const pageMarks = new PageMarksCache({
    maxRows: MAX_MARK_ROWS,
    maxRowsPerPage: MAX_MARK_ROWS_PER_PAGE,
  });

  /**
   * What only `viewer` sees on `page` (the cached record `shared`): from the page's marks, read
   * once for all its readers after the page itself (thread-cache.ts), so a reader with nothing
   * there costs no query, and one with comments awaiting review one (those comments). A page with
   * too many marks to keep is read for each reader as before.
   */
  async function overlayOf(
    viewer: User,
    storyId: string,
    shared: object,
    page: ThreadPage,
    firstPage: boolean,
  ): Promise<ViewerOverlay> {
    const marks = await pageMarks.get(shared, (limit) =>
      listPageMarks(store.db, {
        storyId,
        commentIds: page.entries.flatMap((e) => [e.comment.id, ...e.replies.map((r) => r.id)]),
        firstPage,
        limit,
      }),
    );
    if (!marks) return readViewerOverlay(store, { storyId, viewer, page, firstPage });
    const mine = marks.byUser.get(viewer.id);
    const pending =
      firstPage && marks.unpublished.has(viewer.id)
        ? await listOwnUnpublished(store.db, storyId, viewer.id)
        : [];
    if (!mine && pending.length === 0) return anonymousOverlay;
    return {
      pending,
      marks: { reacted: new Set(mine?.reacted), reported: new Set(mine?.reported) },
    };
  }
  const readLimit = { rateLimit: limitPerIp(config.readRateLimit) };
  return async (app) => {
    app.post(
      '/stories/resolve',
      {
        config: { rateLimit: limitPerIp(config.writeRateLimit * 4) },
        schema: {
          tags: ['stories'],
          summary: 'Find (or create, on an allowed origin) the story a widget is embedded under',
          body: ResolveStoryBody,
          response: {
            200: Type.Object({ story: Story, site: SiteSettings }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const { story, site } = await resolveStory(store, sites, {
          requestOrigin: request.headers.origin,
          url: request.body.url,
          storyId: request.body.storyId,
          siteId: request.body.siteId,
          title: request.body.title,
          section: request.body.section,
          fetchMetadata: config.scrapeMetadata,
        });
        return { story: presentStory(story, site), site: presentSiteSettings(site) };
      },
    );

    app.get(
      '/stories/:storyId',
      {
        config: readLimit,
        schema: {
          tags: ['stories'],
          summary: 'One story',
          params: StoryParams,
          response: { 200: Type.Object({ story: Story }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const { story, site } = await requireStory(store, sites, request.params.storyId);
        return { story: presentStory(story, site) };
      },
    );

    app.get(
      '/stories/:storyId/comments',
      {
        config: readLimit,
        schema: {
          tags: ['comments'],
          summary:
            'A page of top-level comments (or, with sort=featured, of the featured ones), each ' +
            'with its first replies',
          params: StoryParams,
          querystring: ThreadQuery,
          response: {
            200: Type.Object({
              story: Story,
              comments: Type.Array(ThreadComment),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
              pending: Type.Array(Comment, {
                description:
                  "The viewer's own comments that readers do not see: awaiting review (status " +
                  'pending) or rejected (with the reasons). First page only; none with ' +
                  'sort=featured.',
              }),
              featuredCount: Type.Optional(
                Type.Integer({
                  description:
                    'How many featured comments the story has (sort=featured lists them). First ' +
                    'page only.',
                }),
              ),
            }),
            304: Type.Null({ description: 'Not modified (If-None-Match matched the ETag)' }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const { storyId } = request.params;
        const { cursor, limit = 20 } = request.query;
        // (TypeBox types a union mapped from an array as never, so the schema cannot say this.)
        const sort = (request.query.sort ?? 'newest') as ThreadSort;
        const key = `thread ${sort} ${limit} ${cursor ?? ''}`;
        let cached = threads.get(storyId, key);
        let site: Site | undefined;
        if (!cached) {
          const version = threads.version(storyId);
          const found = await requireStory(store, sites, storyId);
          const page = await readThread(store, {
            storyId,
            sort,
            cursor,
            limit,
            // The site's newsroom and featured comments lead its default order (docs/sorting.md).
            pin: found.site.pinNewsroom && sort === found.site.defaultSort,
          });
          cached = threads.set(storyId, key, { kind: 'thread', story: found.story, page }, version);
          site = found.site;
        }
        const shared = cached.value;
        // (Keys say what they hold: a `thread …` key never holds a reply page.)
        if (shared.kind !== 'thread') throw new Error(`thread cache: ${key} holds ${shared.kind}`);
        const { story, page } = shared;
        // The site from the directory, not the one the page was read with: settings changed since
        // (depth, edit window) apply at once, and the anonymous bytes are re-rendered for them.
        site ??= await sites.get(story.siteId);
        if (!site) throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
        const shownSite = site;
        const render = (overlay: ViewerOverlay, viewer: User | null) => ({
          story: presentStory(story, shownSite),
          ...presentThreadPage(page, overlay, viewer, shownSite),
          featuredCount: page.featuredCount,
        });
        // Anonymous and signed-in answers differ: no shared cache may give one for the other.
        void reply.header('vary', 'authorization');
        const viewer = request.viewer;
        if (!viewer) {
          return sendSharedPage(request, reply, threads, cached, site, () =>
            render(anonymousOverlay, null),
          );
        }
        // A signed-in reader: everyone's bytes, with what is theirs cut in (viewer-page.ts), kept
        // for them alone while the story, the page and its rendering stay as they were.
        const anonymous = threads.serialised(cached, site, () =>
          Buffer.from(reply.serialize(render(anonymousOverlay, null)) as string),
        );
        const version = threads.version(storyId);
        let answer = viewerPages.get(viewer.id, `${storyId} ${key}`, version, anonymous);
        if (!answer) {
          const overlay = await overlayOf(
            viewer,
            storyId,
            shared,
            page,
            !cursor && sort !== 'featured',
          );
          const made = viewerAnswer(reply, {
            anonymous,
            page,
            overlay,
            viewer,
            site,
            story: presentStory(story, site),
            full: () => render(overlay, viewer),
          });
          answer = made.answer;
          viewerPages.set(viewer.id, `${storyId} ${key}`, {
            version,
            from: anonymous,
            answer,
            shared: made.shared,
            until: viewerAnswerUntil(page, overlay, viewer.id, site.editWindowSeconds),
          });
        }
        return sendViewerAnswer(request, reply, answer);
      },
    );

    app.get(
      '/sites/:siteId/counts',
      {
        config: readLimit,
        schema: {
          tags: ['stories'],
          summary: "Comment counts for many stories at once (for a publisher's front page)",
          params: SiteParams,
          querystring: CountsQuery,
          response: {
            200: Type.Object({ counts: Type.Record(Type.String(), Type.Integer()) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const site = await sites.get(request.params.siteId);
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        const storyIds = splitList(request.query.storyIds);
        const urls = splitList(request.query.urls);
        if (storyIds.length + urls.length > 100) {
          throw new ParleyError('VALIDATION_FAILED', 'Ask for at most 100 stories at once.');
        }
        const found = await storyCounts(store.db, site.id, storyIds, urls);
        const keys = [...storyIds, ...urls];
        return { counts: Object.fromEntries(keys.map((key) => [key, found.get(key) ?? 0])) };
      },
    );
  };
}
