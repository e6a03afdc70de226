/**
 * The settings moderators manage (docs/moderation-api.md): a site's moderation settings (word
 * lists, pre-moderation, links, thresholds, an external service; changed by admins only), and the
 * stories on their sites (open or closed, pre-moderated, live updates).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ParleyError } from '../../../domain/errors.ts';
import {
  changeSiteSettings,
  changeStorySettings,
  withoutSecret,
  type StoryChangeDeps,
} from '../../../services/moderation-settings.ts';
import { listStories } from '../../../store/moderation/stories.ts';
import { storyFromRow, type Site, type Story as StoryRecord } from '../../../store/rows.ts';
import { getStory } from '../../../store/stories.ts';
import { readStoryWithExperts } from '../../../store/qa.ts';
import type { RouteContext } from '../../context.ts';
import { presentStory } from '../../presenters.ts';
import { Paging, SiteModerationPatch, StoryPatchBody } from '../../admin-schemas.ts';
import { ErrorBody, Id, SiteParams, Story } from '../../schemas.ts';
import { moderatorOf, reads, scopedLookups, security, tags, writes } from './moderator.ts';

/** A word list of thousands of terms is larger than the API's usual 64 KB. */
const SETTINGS_BODY_LIMIT = 1024 * 1024;

const AdminStory = Type.Object({
  ...Story.properties,
  premoderated: Type.Boolean(),
  liveUpdates: Type.Boolean(),
});

const presentAdminStory = (story: StoryRecord, site: Site | undefined) => ({
  ...presentStory(story, site),
  premoderated: story.premoderated,
  liveUpdates: story.liveUpdates,
});

const SiteSettings = Type.Object({
  id: Id,
  name: Type.String(),
  editWindowSeconds: Type.Integer(),
  maxDepth: Type.Integer(),
  moderation: Type.Unknown(),
});

const presentSettings = (site: Site) => ({
  id: site.id,
  name: site.name,
  editWindowSeconds: site.editWindowSeconds,
  maxDepth: site.maxDepth,
  // The external service's secret is not sent.
  moderation: withoutSecret(site.moderation),
});

export function settingsRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, sites, threads, live } = ctx;
  const { requireSite } = scopedLookups(ctx);
  const storyChanges: StoryChangeDeps = {
    store,
    storyChanged: (storyId) => threads.storyChanged(storyId),
    liveUpdatesOff: (storyId) => live.dropStory(storyId),
  };

  return async (app) => {
    app.get(
      '/admin/sites/:siteId/settings',
      {
        config: reads,
        schema: {
          tags,
          summary: 'A site’s moderation settings (word lists, pre-moderation, links, thresholds)',
          security,
          params: SiteParams,
          response: { 200: Type.Object({ site: SiteSettings }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        return { site: presentSettings(await requireSite(moderator, request.params.siteId)) };
      },
    );

    app.patch(
      '/admin/sites/:siteId/settings',
      {
        config: writes,
        bodyLimit: SETTINGS_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Change a site’s moderation settings (admins only)',
          description:
            'Keys left out keep their value; `external.secret` left out keeps the stored secret.',
          security,
          params: SiteParams,
          body: SiteModerationPatch,
          response: { 200: Type.Object({ site: SiteSettings }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const site = await changeSiteSettings(
          { store, sites },
          moderator,
          request.params.siteId,
          request.body,
        );
        return { site: presentSettings(site) };
      },
    );

    app.get(
      '/admin/stories',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Stories on the sites you moderate, newest first',
          security,
          querystring: Type.Object(
            {
              siteId: Type.Optional(Id),
              q: Type.Optional(Type.String({ maxLength: 200 })),
              ...Paging,
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              stories: Type.Array(AdminStory),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const { siteId, q, cursor, limit } = request.query;
        if (siteId) await requireSite(moderator, siteId);
        const page = await listStories(
          store.db,
          { scope: moderator.scope, siteId, q: q?.trim() || undefined },
          { cursor, limit: limit ?? 25 },
        );
        return {
          stories: await Promise.all(
            page.stories.map(async (row) => {
              // A Q&A story is listed with its experts (docs/qa.md).
              const story = await readStoryWithExperts(store.db, storyFromRow(row));
              return presentAdminStory(story, await sites.get(story.siteId));
            }),
          ),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.patch(
      '/admin/stories/:storyId',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Open or close a story, pre-moderate it, or turn its live updates off',
          security,
          params: Type.Object({ storyId: Id }),
          body: StoryPatchBody,
          response: { 200: Type.Object({ story: AdminStory }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const { storyId } = request.params;
        await changeStorySettings(storyChanges, moderator, storyId, request.body);
        const story = await getStory(store.db, storyId);
        if (!story) throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
        return { story: presentAdminStory(story, await sites.get(story.siteId)) };
      },
    );
  };
}
