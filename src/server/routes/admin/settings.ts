/**
 * The settings moderators manage (docs/moderation-api.md): a site's moderation settings (word
 * lists, pre-moderation, links, thresholds, an external service; changed by admins only), and the
 * stories on their sites (open or closed, pre-moderated, live updates).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ParleyError } from '../../../domain/errors.ts';
import { readModerationSettings } from '../../../domain/moderation/settings.ts';
import type { ModerationSettings } from '../../../domain/moderation/types.ts';
import { inScope } from '../../../services/moderation-actions.ts';
import {
  insertAction,
  listStories,
  lockStorySettings,
  writeStorySettings,
} from '../../../store/moderation.ts';
import { storyFromRow, type Site, type Story as StoryRecord } from '../../../store/rows.ts';
import { updateSite } from '../../../store/sites.ts';
import { getStory } from '../../../store/stories.ts';
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

/** A site's moderation settings as admins see them: the external service's secret is not sent. */
function presentModerationSettings(settings: ModerationSettings) {
  return {
    ...settings,
    external: settings.external && {
      url: settings.external.url,
      timeoutMs: settings.external.timeoutMs,
      secretSet: settings.external.secret.length > 0,
    },
  };
}

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
  moderation: presentModerationSettings(site.moderation),
});

export function settingsRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, sites, threads } = ctx;
  const { requireSite } = scopedLookups(ctx);

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
        if (moderator.user.role !== 'admin') {
          throw new ParleyError('FORBIDDEN', 'Only admins may change site settings.');
        }
        const site = await requireSite(moderator, request.params.siteId);
        const { editWindowSeconds, moderation: patch = {} } = request.body;
        const before = site.moderation;
        const external =
          patch.external === undefined
            ? before.external
            : patch.external === null
              ? null
              : {
                  url: patch.external.url,
                  timeoutMs: patch.external.timeoutMs ?? before.external?.timeoutMs ?? 2000,
                  // A new address gets a new secret: the old one is not sent to another host.
                  secret:
                    patch.external.secret ??
                    (before.external?.url === patch.external.url ? before.external.secret : ''),
                };
        if (external && external.secret === '') {
          throw new ParleyError(
            'VALIDATION_FAILED',
            'An external service needs a secret (a new one whenever its address changes).',
          );
        }
        const moderation = readModerationSettings({
          ...before,
          ...patch,
          links: { ...before.links, ...patch.links },
          classifier: { ...before.classifier, ...patch.classifier },
          external,
        });
        const updated = await store.db.transaction().execute(async (trx) => {
          const row = await updateSite(trx, site.id, {
            moderation,
            ...(editWindowSeconds !== undefined && { editWindowSeconds }),
          });
          await insertAction(trx, {
            actorId: moderator.user.id,
            action: 'site.settings',
            siteId: site.id,
            commentId: null,
            userId: null,
            reason: null,
            before: presentModerationSettings(before),
            after: presentModerationSettings(moderation),
            undoable: false,
          });
          return row;
        });
        if (!updated) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        await sites.refresh();
        return { site: presentSettings(updated) };
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
              const story = storyFromRow(row);
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
        await store.db.transaction().execute(async (trx) => {
          const before = await lockStorySettings(trx, storyId);
          if (!before || !inScope(moderator.scope, before.siteId)) {
            throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
          }
          const after = {
            closed: request.body.closed ?? before.closed,
            premoderated: request.body.premoderated ?? before.premoderated,
            liveUpdates: request.body.liveUpdates ?? before.liveUpdates,
          };
          await writeStorySettings(trx, storyId, after);
          await insertAction(trx, {
            actorId: moderator.user.id,
            action: 'story.settings',
            siteId: before.siteId,
            commentId: null,
            userId: null,
            reason: null,
            before: {
              closed: before.closed,
              premoderated: before.premoderated,
              liveUpdates: before.liveUpdates,
            },
            after,
            undoable: false,
          });
        });
        threads.storyChanged(storyId);
        if (request.body.liveUpdates === false) ctx.live.dropStory(storyId);
        const story = await getStory(store.db, storyId);
        if (!story) throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
        return { story: presentAdminStory(story, await sites.get(story.siteId)) };
      },
    );
  };
}
