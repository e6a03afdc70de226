/**
 * What every route of the moderation API shares: the caller resolved to a moderator with a site
 * scope (asModerator: staff and commenters get 403), the lookups that find a site, story or comment
 * only within that scope (anything outside it is "not found", as if it did not exist), how records
 * are shown to a moderator, and the routes' tags, security and rate limits.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ParleyError } from '../../../domain/errors.ts';
import { inScope } from '../../../domain/moderation/scope.ts';
import {
  asModerator,
  ModerationActions,
  siteInScope,
  type Moderator,
} from '../../../services/moderation-actions.ts';
import type { QueueFilter } from '../../../store/moderation/filters.ts';
import { getRecord, type ModerationRecord } from '../../../store/moderation/records.ts';
import type { Site } from '../../../store/rows.ts';
import { getStory } from '../../../store/stories.ts';
import { limitPerUser, type RouteContext } from '../../context.ts';
import { ModerationItem, presentItem } from '../../admin-schemas.ts';

export const security = [{ bearer: [] }];
export const tags = ['moderation'];

/** Moderators' read rate per minute: the dashboard polls counts and pages through queues. */
const READS_PER_MINUTE = 1200;
const ACTIONS_PER_MINUTE = 600;
export const reads = { rateLimit: limitPerUser(READS_PER_MINUTE) };
export const writes = { rateLimit: limitPerUser(ACTIONS_PER_MINUTE) };

/** A page of comments as moderators list them (a queue, a search). */
export const ItemPage = Type.Object({
  items: Type.Array(ModerationItem),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const moderatorOf = (request: FastifyRequest): Moderator => asModerator(request.viewer);

/** Only admins see (and may search by) readers' email addresses. */
export const showEmail = (moderator: Moderator): boolean => moderator.user.role === 'admin';

/** Records as this moderator sees them. */
export const presenterFor = (moderator: Moderator) => (record: ModerationRecord) =>
  presentItem(record, showEmail(moderator));

/** The lookups that find a site, story or comment only within the moderator's scope. */
export function scopedLookups({ store, sites }: RouteContext) {
  const requireSite = (moderator: Moderator, siteId: string): Promise<Site> =>
    siteInScope(sites, moderator, siteId);

  /** The queue filter for a request: the caller's scope, narrowed to a site or story they cover. */
  async function filterFor(
    moderator: Moderator,
    query: { siteId?: string | undefined; storyId?: string | undefined },
  ): Promise<QueueFilter> {
    if (query.siteId) await requireSite(moderator, query.siteId);
    if (query.storyId) {
      const story = await getStory(store.db, query.storyId);
      if (!story || !inScope(moderator.scope, story.siteId)) {
        throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
      }
    }
    return { scope: moderator.scope, siteId: query.siteId, storyId: query.storyId };
  }

  async function requireRecord(moderator: Moderator, id: string): Promise<ModerationRecord> {
    const record = await getRecord(store.db, id);
    if (!record || !inScope(moderator.scope, record.story.siteId)) {
      throw new ParleyError('COMMENT_NOT_FOUND', 'That comment does not exist.');
    }
    return record;
  }

  return { requireSite, filterFor, requireRecord };
}

/**
 * Moderators' actions, with what follows them in this process: a story's cached pages are
 * refreshed, and an account whose rights changed loses its cached sessions and live streams (they
 * reconnect).
 */
export const moderationActions = ({ store, threads, sessions, live }: RouteContext) =>
  new ModerationActions(
    store,
    (storyId) => threads.storyChanged(storyId),
    (userId) => {
      sessions.forgetUser(userId);
      live.dropUser(userId);
    },
  );
