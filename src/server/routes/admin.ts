/**
 * The moderation API under /api/v1/admin (docs/moderation-api.md): queues, one comment in its
 * context, actions on comments and accounts with undo, the audit log, search, statistics, and the
 * settings moderators manage (sites' moderation, stories, roles).
 *
 * Every route starts by resolving the caller to a moderator with a site scope (asModerator):
 * staff and commenters get 403, and a moderator of some sites finds every other site's comments,
 * stories and audit entries "not found", as if they did not exist, and the readers who have not
 * commented on their sites too (src/services/moderation-actions.ts says what they may do to them).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { readModerationSettings } from '../../domain/moderation/settings.ts';
import type { ModerationSettings } from '../../domain/moderation/types.ts';
import {
  asModerator,
  inScope,
  ModerationActions,
  reaches,
  type CommentActionKind,
  type Moderator,
  type RejectionCode,
  type UserActionKind,
} from '../../services/moderation-actions.ts';
import {
  authorComments,
  commentStats,
  decidedByStats,
  getModeratedUser,
  getRecord,
  insertAction,
  listNotes,
  listQueue,
  listStories,
  listUsers,
  lockStorySettings,
  queueCounts,
  recordSurroundings,
  searchComments,
  topReportedStories,
  writeStorySettings,
  type ModerationRecord,
  type Queue,
  type QueueFilter,
} from '../../store/moderation.ts';
import { storyFromRow, type Site, type Story as StoryRecord } from '../../store/rows.ts';
import { getStory } from '../../store/stories.ts';
import { listSites, updateSite } from '../../store/sites.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
import { presentStory } from '../presenters.ts';
import {
  ActionRef,
  AuditEntry,
  AuditQuery,
  BulkBody,
  Filters,
  ModerationItem,
  ModerationUser,
  Note,
  NoteBody,
  Paging,
  presentItem,
  presentModeratedUser,
  QueueName,
  QueueQuery,
  RejectBody,
  SearchQuery,
  SiteModerationPatch,
  StatsQuery,
  StoryPatchBody,
  UserBodies,
  UsersQuery,
} from '../admin-schemas.ts';
import { ErrorBody, Id, IdParams, SiteParams, Story } from '../schemas.ts';
import { listAuditEntries } from '../../store/audit.ts';

const AdminStory = Type.Object({
  ...Story.properties,
  premoderated: Type.Boolean(),
  liveUpdates: Type.Boolean(),
});

const security = [{ bearer: [] }];
const tags = ['moderation'];
const ItemResult = Type.Object({ item: ModerationItem, action: ActionRef });
const UserResult = Type.Object({ user: ModerationUser, action: ActionRef });
const ItemPage = Type.Object({
  items: Type.Array(ModerationItem),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** Moderators' read rate per minute: the dashboard polls counts and pages through queues. */
const READS_PER_MINUTE = 1200;
const ACTIONS_PER_MINUTE = 600;
const SETTINGS_BODY_LIMIT = 1024 * 1024;

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

export function adminRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, sites, threads } = ctx;
  const actions = new ModerationActions(store, (storyId) => threads.storyChanged(storyId));
  const reads = { rateLimit: limitPerUser(READS_PER_MINUTE) };
  const writes = { rateLimit: limitPerUser(ACTIONS_PER_MINUTE) };

  const moderatorOf = (request: FastifyRequest): Moderator => asModerator(request.viewer);
  const showEmail = (moderator: Moderator) => moderator.user.role === 'admin';
  const present = (moderator: Moderator) => (record: ModerationRecord) =>
    presentItem(record, showEmail(moderator));

  async function requireSite(moderator: Moderator, siteId: string): Promise<Site> {
    const site = inScope(moderator.scope, siteId) ? await sites.get(siteId) : undefined;
    if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
    return site;
  }

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

  const siteExists = async (siteId: string) => (await sites.get(siteId)) !== undefined;

  return async (app) => {
    app.get(
      '/admin/me',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Who is moderating, and which sites they may act on',
          security,
          response: {
            200: Type.Object({
              user: Type.Object({
                id: Id,
                name: Type.String(),
                role: Type.String(),
                moderatorSiteIds: Type.Union([Type.Array(Type.String()), Type.Null()]),
              }),
              sites: Type.Array(Type.Object({ id: Id, name: Type.String() })),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const visible = (await listSites(store.db)).filter((site) =>
          inScope(moderator.scope, site.id),
        );
        return {
          user: {
            id: moderator.user.id,
            name: moderator.user.displayName,
            role: moderator.user.role,
            moderatorSiteIds: moderator.scope,
          },
          sites: visible.map((site) => ({ id: site.id, name: site.name })),
        };
      },
    );

    app.get(
      '/admin/queues/counts',
      {
        config: reads,
        schema: {
          tags,
          summary: 'How many comments wait in each queue',
          security,
          querystring: Filters,
          response: {
            200: Type.Object({ counts: Type.Record(Type.String(), Type.Integer()) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        return { counts: await queueCounts(store.db, await filterFor(moderator, request.query)) };
      },
    );

    app.get(
      '/admin/queues/:queue',
      {
        config: reads,
        schema: {
          tags,
          summary: 'One queue, a page at a time (pending and reported oldest first)',
          security,
          params: Type.Object({ queue: QueueName }),
          querystring: QueueQuery,
          response: { 200: ItemPage, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const queue = request.params.queue as Queue;
        const { records, nextCursor } = await listQueue(
          store.db,
          queue,
          await filterFor(moderator, request.query),
          { cursor: request.query.cursor, limit: request.query.limit ?? 25 },
        );
        return { items: records.map(present(moderator)), nextCursor };
      },
    );

    app.get(
      '/admin/comments/:id',
      {
        config: reads,
        schema: {
          tags,
          summary: 'A comment with its parent, replies and its author’s latest comments',
          security,
          params: IdParams,
          response: {
            200: Type.Object({
              item: ModerationItem,
              parent: Type.Union([ModerationItem, Type.Null()]),
              replies: Type.Array(ModerationItem),
              authorRecent: Type.Array(ModerationItem),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const record = await requireRecord(moderator, request.params.id);
        const around = await recordSurroundings(store.db, record, moderator.scope);
        const show = present(moderator);
        return {
          item: show(record),
          parent: around.parent && show(around.parent),
          replies: around.replies.map(show),
          authorRecent: around.authorRecent.map(show),
        };
      },
    );

    const commentActions: { kind: CommentActionKind; summary: string }[] = [
      { kind: 'approve', summary: 'Publish a comment (and close its reports)' },
      { kind: 'feature', summary: 'Feature a published comment' },
      { kind: 'unfeature', summary: 'Stop featuring a comment' },
      { kind: 'delete', summary: 'Delete a comment for good (cannot be undone)' },
    ];
    for (const { kind, summary } of commentActions) {
      app.post(
        `/admin/comments/:id/${kind}`,
        {
          config: writes,
          schema: {
            tags,
            summary,
            security,
            params: IdParams,
            response: { 200: ItemResult, '4xx': ErrorBody },
          },
        },
        async (request) => {
          const moderator = moderatorOf(request);
          const action = await actions.onComment(moderator, request.params.id, kind);
          const record = await requireRecord(moderator, request.params.id);
          return { item: present(moderator)(record), action };
        },
      );
    }

    app.post(
      '/admin/comments/:id/reject',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Reject a comment with a reason (and a note the author sees)',
          security,
          params: IdParams,
          body: RejectBody,
          response: { 200: ItemResult, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const action = await actions.onComment(moderator, request.params.id, 'reject', {
          reason: request.body.reason as RejectionCode,
          note: request.body.note,
        });
        const record = await requireRecord(moderator, request.params.id);
        return { item: present(moderator)(record), action };
      },
    );

    app.post(
      '/admin/comments/bulk',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Approve or reject up to 100 comments',
          description:
            'Each comment is decided on its own; those that cannot be (deleted meanwhile, or not ' +
            'yours to moderate) are listed in `errors` and the rest go ahead.',
          security,
          body: BulkBody,
          response: {
            200: Type.Object({
              items: Type.Array(ModerationItem),
              actions: Type.Array(ActionRef),
              errors: Type.Array(
                Type.Object({ id: Id, code: Type.String(), message: Type.String() }),
              ),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const { action, ids, reason, note } = request.body;
        if (action === 'reject' && !reason) {
          throw new ParleyError('VALIDATION_FAILED', 'A bulk rejection needs a reason code.');
        }
        const done: { id: string; undoable: boolean }[] = [];
        const records: ModerationRecord[] = [];
        const errors: { id: string; code: string; message: string }[] = [];
        for (const id of [...new Set(ids)]) {
          try {
            const result = await actions.onComment(moderator, id, action, {
              reason: reason as RejectionCode | undefined,
              note,
            });
            done.push({ id: result.id, undoable: result.undoable });
            const record = await getRecord(store.db, id);
            if (record) records.push(record);
          } catch (error) {
            if (!(error instanceof ParleyError) || error.status >= 500) throw error;
            errors.push({ id, code: error.code, message: error.message });
          }
        }
        return { items: records.map(present(moderator)), actions: done, errors };
      },
    );

    app.post(
      '/admin/actions/:id/undo',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Undo an action (once, and only while nothing has changed it since)',
          security,
          params: IdParams,
          response: {
            200: Type.Object({ ok: Type.Literal(true), action: ActionRef }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const result = await actions.undo(moderatorOf(request), request.params.id);
        if (result.userId) forgetUser(result.userId);
        return { ok: true as const, action: { id: result.id, undoable: result.undoable } };
      },
    );

    // Accounts -------------------------------------------------------------------------------

    /** An account's rights changed: drop its cached sessions and live streams (they reconnect). */
    function forgetUser(id: string) {
      ctx.sessions.forgetUser(id);
      ctx.live.dropUser(id);
    }

    async function presentUserOf(moderator: Moderator, id: string) {
      const user = await getModeratedUser(store.db, id);
      if (!user) throw new ParleyError('USER_NOT_FOUND', 'That user does not exist.');
      return presentModeratedUser(user, showEmail(moderator));
    }

    /** A moderator of some sites finds readers of other sites "not found", like their comments. */
    async function requireReachable(moderator: Moderator, id: string): Promise<void> {
      if (!(await reaches(store.db, moderator, id))) {
        throw new ParleyError('USER_NOT_FOUND', 'That user does not exist.');
      }
    }

    app.get(
      '/admin/users',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Find accounts by name or email, or by role',
          description:
            'A moderator of some sites finds the accounts that have commented on one of them.',
          security,
          querystring: UsersQuery,
          response: {
            200: Type.Object({
              users: Type.Array(ModerationUser),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const { q, role, cursor, limit } = request.query;
        // Only admins may look accounts up by email address.
        const byEmail = showEmail(moderator);
        const page = await listUsers(
          store.db,
          { q, role, nameOnly: !byEmail, activeOn: moderator.scope },
          { cursor, limit: limit ?? 25 },
        );
        return {
          users: page.users.map((u) => presentModeratedUser(u, byEmail)),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/admin/users/:id',
      {
        config: reads,
        schema: {
          tags,
          summary: 'An account: standing, moderators’ notes and latest comments',
          security,
          params: IdParams,
          response: {
            200: Type.Object({
              user: ModerationUser,
              notes: Type.Array(Note),
              recent: Type.Array(ModerationItem),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        await requireReachable(moderator, request.params.id);
        const user = await presentUserOf(moderator, request.params.id);
        const [notes, recent] = await Promise.all([
          listNotes(store.db, user.id),
          authorComments(store.db, user.id, moderator.scope, 20),
        ]);
        return { user, notes, recent: recent.map(present(moderator)) };
      },
    );

    const userActions: {
      kind: UserActionKind;
      method: 'POST' | 'PUT';
      summary: string;
      path: string;
    }[] = [
      { kind: 'warn', method: 'POST', path: 'warn', summary: 'Warn (acknowledged before posting)' },
      { kind: 'suspend', method: 'POST', path: 'suspend', summary: 'Suspend for some hours' },
      { kind: 'unsuspend', method: 'POST', path: 'unsuspend', summary: 'Lift a suspension' },
      { kind: 'ban', method: 'POST', path: 'ban', summary: 'Ban on every site, or some' },
      { kind: 'unban', method: 'POST', path: 'unban', summary: 'Lift a ban' },
      {
        kind: 'premoderate',
        method: 'POST',
        path: 'premoderate',
        summary: 'Always hold (or stop holding) this account’s comments',
      },
      { kind: 'role', method: 'PUT', path: 'role', summary: 'Change the role (admins only)' },
    ];
    for (const { kind, method, path, summary } of userActions) {
      app.route({
        method,
        url: `/admin/users/:id/${path}`,
        config: writes,
        schema: {
          tags,
          summary,
          security,
          params: IdParams,
          body: UserBodies[kind],
          response: { 200: UserResult, '4xx': ErrorBody },
        },
        handler: async (request) => {
          const moderator = moderatorOf(request);
          const { id } = request.params as { id: string };
          const action = await actions.onUser(
            moderator,
            id,
            kind,
            (request.body ?? {}) as Record<string, never>,
            siteExists,
          );
          forgetUser(id);
          return { user: await presentUserOf(moderator, id), action };
        },
      });
    }

    app.post(
      '/admin/users/:id/notes',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Add a note on an account for other moderators',
          security,
          params: IdParams,
          body: NoteBody,
          response: { 200: Type.Object({ note: Note }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const id = await actions.addNote(moderator, request.params.id, request.body.text);
        const note = (await listNotes(store.db, request.params.id)).find((n) => n.id === id);
        if (!note) throw new ParleyError('USER_NOT_FOUND', 'That user does not exist.');
        return { note };
      },
    );

    // The record -----------------------------------------------------------------------------

    app.get(
      '/admin/audit',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Every decision, automatic or human, newest first',
          description:
            'Each entry names who acted, the comment (an excerpt of its text, plain), its author ' +
            'and story, or the account acted on, and for an undo the entry it took back. Filters ' +
            'combine: siteId, commentId, userId, actorId (or "pipeline"), action, storyId.',
          security,
          querystring: AuditQuery,
          response: {
            200: Type.Object({
              entries: Type.Array(AuditEntry),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const { siteId, commentId, userId, actorId, action, storyId, cursor, limit } =
          request.query;
        if (siteId) await requireSite(moderator, siteId);
        // One query for the page (entries joined with their names, comment, story), scoped.
        return listAuditEntries(
          store.db,
          {
            scope: moderator.scope,
            viewerId: moderator.user.id,
            siteId,
            commentId,
            userId,
            actorId,
            action,
            storyId,
          },
          { cursor, limit: limit ?? 50 },
        );
      },
    );

    app.get(
      '/admin/search',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Search comments by text, author, story, site, status and date',
          security,
          querystring: SearchQuery,
          response: { 200: ItemPage, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const { q, authorId, author, status, from, to, cursor, limit } = request.query;
        const filter = await filterFor(moderator, request.query);
        const page = await searchComments(
          store.db,
          {
            ...filter,
            q: q?.trim() || undefined,
            authorId,
            author: author?.trim() || undefined,
            status,
            from: from ? new Date(from) : undefined,
            to: to ? new Date(to) : undefined,
          },
          { cursor, limit: limit ?? 25 },
        );
        return { items: page.records.map(present(moderator)), nextCursor: page.nextCursor };
      },
    );

    const Bucket = {
      approved: Type.Integer(),
      pending: Type.Integer(),
      rejected: Type.Integer(),
      reported: Type.Integer(),
    };
    app.get(
      '/admin/stats',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Comments and reports per day and per hour, decisions, most reported stories',
          security,
          querystring: StatsQuery,
          response: {
            200: Type.Object({
              days: Type.Array(Type.Object({ date: Type.String(), ...Bucket })),
              hours: Type.Array(Type.Object({ hour: Type.String(), ...Bucket })),
              decidedBy: Type.Record(Type.String(), Type.Integer()),
              topReported: Type.Array(
                Type.Object({
                  story: Type.Object({
                    id: Id,
                    title: Type.Union([Type.String(), Type.Null()]),
                    url: Type.String(),
                  }),
                  reports: Type.Integer(),
                }),
              ),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const filter = await filterFor(moderator, request.query);
        const days = request.query.days ?? 14;
        const now = Date.now();
        const today = Date.UTC(
          new Date(now).getUTCFullYear(),
          new Date(now).getUTCMonth(),
          new Date(now).getUTCDate(),
        );
        const since = new Date(today - (days - 1) * 86_400_000);
        const hourStart = Math.floor(now / 3_600_000) * 3_600_000 - 23 * 3_600_000;
        const [byDay, byHour, decidedBy, topReported] = await Promise.all([
          commentStats(store.db, store.engine, filter, since, 'day'),
          commentStats(store.db, store.engine, filter, new Date(hourStart), 'hour'),
          decidedByStats(store.db, store.engine, filter, since),
          topReportedStories(store.db, filter),
        ]);
        const empty = { approved: 0, pending: 0, rejected: 0, reported: 0 };
        return {
          days: Array.from({ length: days }, (_, i) => {
            const date = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
            return { date, ...(byDay.get(date) ?? empty) };
          }),
          hours: Array.from({ length: 24 }, (_, i) => {
            const hour = new Date(hourStart + i * 3_600_000).toISOString().slice(0, 13);
            return { hour: `${hour}:00:00Z`, ...(byHour.get(hour) ?? empty) };
          }),
          decidedBy,
          topReported,
        };
      },
    );

    // Settings -------------------------------------------------------------------------------

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
        // A word list of thousands of terms is larger than the API's usual 64 KB.
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
