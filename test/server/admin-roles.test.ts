/**
 * Every route of the moderation API (/api/v1/admin) walked with every role, on both engines:
 * anonymous callers get 401, commenters and staff 403, moderators of every site and admins 2xx
 * (admin-only routes 403 for moderators), and a moderator of another site only finds this site's
 * comments, stories, settings and readers "not found" and nothing of it in lists, counts, the audit
 * log, search and statistics. Each action on an account is walked on a reader of this site only
 * (the moderator of another site may ban them from theirs, and nothing else: 403) and on a reader
 * of both sites (theirs too). A refused call changes nothing. The table of routes is checked against
 * the OpenAPI document, so a new admin route without a row here fails the suite.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { queueMail } from '../../src/mail/outbox.ts';
import { newId } from '../../src/domain/ids.ts';
import { insertImportRun } from '../../src/store/imports.ts';
import { insertEndpoint } from '../../src/store/webhooks.ts';
import { enqueueTestEvent } from '../../src/webhooks/events.ts';
import type { Site } from '../../src/store/rows.ts';
import { createTestApp, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';
import { StandInClassifier } from '../helpers/site-model.ts';

const OTHER_ORIGIN = 'https://other.example';
const ENV = {
  PARLEY_AUTH_RATE_LIMIT: '1000',
  PARLEY_WRITE_RATE_LIMIT: '100000',
  PARLEY_THREAD_CACHE_TTL_MS: '0',
};

type Role = 'anonymous' | 'commenter' | 'staff' | 'moderator' | 'siteModerator' | 'admin';
const ROLES: Role[] = ['anonymous', 'commenter', 'staff', 'moderator', 'siteModerator', 'admin'];

/** One call of a route: its URL with real ids, its body, and the state it would change. */
interface Call {
  url: string;
  body?: unknown;
  /** What a refused call must leave as it was. */
  state?: () => Promise<unknown>;
  /** Ids the row's check looks for. */
  ids?: Record<string, string>;
  /** A body sent as it is, with its own Content-Type (an uploaded file), instead of JSON. */
  file?: { body: string; type: string };
}

/** How the moderator of another site only fares on a route about this site. */
type ForeignOutcome =
  | { status: 404 } // this site's comment, story or settings: "not found"
  | { status: 403 } // admin-only
  | { status: 200; check?: (json: ApiResponse['json'], call: Call) => void | Promise<void> };

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As registered, e.g. /api/v1/admin/comments/:id/approve */
  route: string;
  make: () => Promise<Call>;
  adminOnly?: boolean;
  foreign: ForeignOutcome;
  /** The status of success, when not 200. */
  created?: number;
  /**
   * A route of another plugin under /admin, being written beside this one: walked when the
   * OpenAPI document has it, so its row can land before or after it.
   */
  optional?: boolean;
}

const key = (method: string, route: string) => `${method} ${route.replace(/:(\w+)/g, '{$1}')}`;

for (const engine of await testEngines()) {
  describe(`moderation API: every route × every role (${engine})`, () => {
    let app: TestApp;
    let other: Site;
    let openStory: string;
    let heldStory: string;
    let otherStory: string;
    let settingsStory: string;
    const tokens = {} as Record<Exclude<Role, 'anonymous'>, string>;
    const userIds = {} as Record<Exclude<Role, 'anonymous'>, string>;
    let author: { token: string; id: string };
    let reporter: { token: string; id: string };
    let adminToken: string;
    let rows: Row[];
    /** The moderator who makes the decisions appealed (no role walked here may review them). */
    let deciderToken: string | undefined;
    const documented = new Set<string>();

    const db = () => app.store.db;
    const setRole = (id: string, role: string, siteIds: string[] | null = null) =>
      db()
        .updateTable('users')
        .set({
          role: role as 'moderator',
          moderator_site_ids: siteIds && JSON.stringify(siteIds),
        })
        .where('id', '=', id)
        .execute();

    async function postOn(
      story: string,
      body: string,
      origin?: string,
      token = author.token,
    ): Promise<string> {
      const response = await app.request({
        method: 'POST',
        url: `/api/v1/stories/${story}/comments`,
        token,
        body: { body },
        ...(origin && { origin }),
      });
      assert.equal(response.status, 201, response.text);
      return response.json.comment.id as string;
    }
    let n = 0;
    const pending = () => postOn(heldStory, `Held comment ${++n}`);
    const approved = () => postOn(openStory, `Published comment ${++n}`);
    const featured = async () => {
      const id = await approved();
      await db().updateTable('comments').set({ featured: 1 }).where('id', '=', id).execute();
      return id;
    };
    const commentState = (id: string) => () =>
      db()
        .selectFrom('comments')
        .select(['status', 'featured', 'deleted_at', 'rejection_code', 'open_reports', 'body'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    /** A message in the outbox (held: no SMTP in tests). */
    const mail = () =>
      queueMail(db(), {
        userId: null,
        to: `someone${++n}@example.com`,
        template: 'verify',
        locale: 'en',
        params: { name: 'Someone', link: 'http://parley.test/account/verify?token=x' },
      });
    /** A publisher's reader (signed in through the site's SSO), maybe with a deletion pending. */
    async function ssoReader(pending: boolean) {
      const sub = `sub-${++n}`;
      const user = await insertUser(db(), {
        email: `${sub}.${Date.now()}@publisher.example`,
        displayName: `Publisher reader ${n}`,
        passwordHash: null,
        role: 'commenter',
      });
      assert.ok(user);
      await db()
        .insertInto('user_identities')
        .values({
          provider: `sso:${app.site.id}`,
          subject: sub,
          user_id: user.id,
          created_at: new Date().toISOString(),
        })
        .execute();
      if (pending) {
        await db()
          .updateTable('users')
          .set({ deletion_due_at: new Date(Date.now() + 3_600_000).toISOString() })
          .where('id', '=', user.id)
          .execute();
      }
      const state = () =>
        db().selectFrom('users').select('deletion_due_at').where('id', '=', user.id).execute();
      return { sub, state };
    }
    /** Readers who have commented on this site only: none of the other site's moderator's. */
    const thisSiteOnly = new Set<string>();
    /**
     * A reader who has commented on this site, and on the other one too when `both`, then given
     * `setup` (a ban or a suspension, laid after the comments).
     */
    async function target(
      setup: Record<string, unknown> = {},
      both = false,
      name = 'Target',
    ): Promise<string> {
      const user = await app.signup(name);
      await postOn(openStory, `A reader’s comment ${++n}`, undefined, user.token);
      if (both) {
        await postOn(otherStory, `Also on the other site ${n}`, OTHER_ORIGIN, user.token);
      } else {
        thisSiteOnly.add(user.id);
      }
      if (Object.keys(setup).length) {
        await db().updateTable('users').set(setup).where('id', '=', user.id).execute();
      }
      return user.id;
    }
    const userState = (id: string) => async () => ({
      user: await db()
        .selectFrom('users')
        .select([
          'role',
          'moderator_site_ids',
          'banned_at',
          'banned_site_ids',
          'suspended_until',
          'warning',
          'always_premoderate',
        ])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
      notes: (await db().selectFrom('user_notes').select('id').where('user_id', '=', id).execute())
        .length,
    });
    const siteState = () =>
      db()
        .selectFrom('sites')
        .select(['moderation', 'edit_window_seconds'])
        .where('id', '=', app.site.id)
        .executeTakeFirstOrThrow();
    const storyState = () =>
      db()
        .selectFrom('stories')
        .select(['closed', 'premoderated'])
        .where('id', '=', settingsStory)
        .executeTakeFirstOrThrow();

    /** Nothing in a list of moderation items belongs to this site; the other site's do show. */
    const onlyOtherItems = (items: { story: { siteId: string } }[], expectSome = true) => {
      for (const item of items) assert.equal(item.story.siteId, other.id);
      if (expectSome) assert.ok(items.length > 0, 'the other site’s own comments are listed');
    };
    const asAdmin = async (url: string) => {
      const response = await app.request({ method: 'GET', url, token: adminToken });
      assert.equal(response.status, 200, response.text);
      return response.json;
    };

    before(async () => {
      // A classifier a site's own layer can be learned over (it scores this suite's comments as
      // harmless), so that "retrain now" is available to admins.
      app = await createTestApp(engine, ENV, { classifier: new StandInClassifier() });
      other = await insertSite(app.store.db, {
        name: 'Other News',
        allowedOrigins: [OTHER_ORIGIN],
        editWindowSeconds: 900,
        maxDepth: 3,
        moderation: { premoderateAll: true, repeatWindowSeconds: 0, maxPostsPerMinute: 100_000 },
      });
      await app.sites.refresh();
      adminToken = await app.admin();
      author = await app.signup('Author');
      reporter = await app.signup('Reporter');
      for (const role of ROLES) {
        if (role === 'anonymous') continue;
        const user = await app.signup(`As ${role}`);
        tokens[role] = user.token;
        userIds[role] = user.id;
        if (role === 'staff') await setRole(user.id, 'staff');
        if (role === 'moderator') await setRole(user.id, 'moderator');
        if (role === 'siteModerator') await setRole(user.id, 'moderator', [other.id]);
        if (role === 'admin') await setRole(user.id, 'admin');
      }
      openStory = await app.story('roles-open');
      heldStory = await app.story('roles-held');
      settingsStory = await app.story('roles-settings');
      await db()
        .updateTable('stories')
        .set({ premoderated: 1 })
        .where('id', '=', heldStory)
        .execute();
      const resolved = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        origin: OTHER_ORIGIN,
        body: { url: `${OTHER_ORIGIN}/news/elsewhere`, storyId: 'elsewhere' },
      });
      assert.equal(resolved.status, 200, resolved.text);
      otherStory = resolved.json.story.id;

      // Something of this site in every list: held, published, reported, featured, rejected, an
      // audit entry by a person; and the other site's own held comment.
      await pending();
      await featured();
      const reported = await approved();
      const report = await app.request({
        method: 'POST',
        url: `/api/v1/comments/${reported}/reports`,
        token: reporter.token,
        body: { reason: 'abuse' },
      });
      assert.equal(report.status, 201, report.text);
      const rejected = await pending();
      const rejection = await app.request({
        method: 'POST',
        url: `/api/v1/admin/comments/${rejected}/reject`,
        token: adminToken,
        body: { reason: 'SPAM' },
      });
      assert.equal(rejection.status, 200, rejection.text);
      await postOn(otherStory, 'A comment on the other site.', OTHER_ORIGIN);

      const docs = await app.request({ method: 'GET', url: '/api/docs/json' });
      assert.equal(docs.status, 200);
      for (const [path, operations] of Object.entries(
        docs.json.paths as Record<string, Record<string, unknown>>,
      )) {
        if (!path.startsWith('/api/v1/admin')) continue;
        for (const method of Object.keys(operations)) {
          if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) {
            documented.add(`${method.toUpperCase()} ${path}`);
          }
        }
      }
      const apiKeys = async () => (await asAdmin('/api/v1/admin/api-keys')).keys;
      const importRuns = async () =>
        (
          await db()
            .selectFrom('import_runs')
            .select('id')
            .where('site_id', '=', app.site.id)
            .execute()
        ).length;
      /** A finished import of this site (as the command line leaves one). */
      const importRun = async () => {
        const id = newId();
        await insertImportRun(db(), {
          id,
          siteId: app.site.id,
          format: 'disqus',
          fileName: `export-${++n}.xml`,
          fileBytes: 100,
          state: 'done',
          dryRun: false,
          startedBy: null,
          startedAt: new Date().toISOString(),
          report: {},
        });
        return id;
      };
      /** A webhook endpoint of this site (disabled when asked). */
      const webhook = async (disabled = false) => {
        const endpoint = await insertEndpoint(db(), {
          siteId: app.site.id,
          url: `https://hooks.publisher.example/${++n}`,
          description: '',
          events: ['comment.created'],
          secrets: [
            { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: '', expiresAt: null },
          ],
          createdBy: null,
        });
        if (disabled) {
          await db()
            .updateTable('webhook_endpoints')
            .set({ disabled_at: new Date().toISOString(), disabled_reason: 'test' })
            .where('id', '=', endpoint.id)
            .execute();
        }
        return endpoint.id;
      };
      const webhookRow = (id: string) => () =>
        db().selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
      const webhookDeliveries = (id: string) => async () =>
        (
          await db()
            .selectFrom('webhook_deliveries')
            .select('id')
            .where('endpoint_id', '=', id)
            .execute()
        ).length;
      /** An endpoint with one delivered test event: its ids. */
      const delivered = async () => {
        const id = await webhook();
        const deliveryId = await enqueueTestEvent(db(), id);
        await db()
          .updateTable('webhook_deliveries')
          .set({ state: 'delivered', delivered_at: new Date().toISOString() })
          .where('id', '=', deliveryId)
          .execute();
        return { id, deliveryId };
      };

      const comment = (
        method: Row['method'],
        action: string,
        make: () => Promise<string>,
        body?: unknown,
      ): Row => ({
        method,
        route: `/api/v1/admin/comments/:id/${action}`,
        make: async () => {
          const id = await make();
          return {
            url: `/api/v1/admin/comments/${id}/${action}`,
            ...(body !== undefined && { body }),
            state: commentState(id),
          };
        },
        foreign: { status: 404 },
      });
      /**
       * An action on an account, twice: on a reader of this site only, where the other site's
       * moderator fares as `foreign` says, and on a reader of both sites, whom they reach.
       */
      const user = (
        method: Row['method'],
        action: string,
        body: unknown,
        foreign: ForeignOutcome,
        setup: Record<string, unknown> = {},
        extra: Partial<Row> = {},
      ): Row[] =>
        [false, true].map((both) => ({
          method,
          route: `/api/v1/admin/users/:id/${action}`,
          make: async () => {
            const id = await target(setup, both);
            return { url: `/api/v1/admin/users/${id}/${action}`, body, state: userState(id) };
          },
          foreign: both && foreign.status === 403 ? { status: 200 } : foreign,
          ...extra,
        }));
      /** Account-wide: the account has one suspension, warning, pre-moderation flag, notes. */
      const accountWide: ForeignOutcome = { status: 403 };
      /** A ban is per site: the other site's moderator bans (or lifts the ban) on theirs only. */
      const onTheirSite = (bannedSiteIds: string[]): ForeignOutcome => ({
        status: 200,
        check: (json) => {
          assert.equal(json.user.banned, true);
          assert.deepEqual(json.user.bannedSiteIds, bannedSiteIds);
        },
      });
      const get = (route: string, url: string, foreign: ForeignOutcome): Row => ({
        method: 'GET',
        route,
        make: async () => ({ url }),
        foreign,
      });

      rows = [
        get('/api/v1/admin/me', '/api/v1/admin/me', {
          status: 200,
          check: (json) => {
            assert.deepEqual(json.user.moderatorSiteIds, [other.id]);
            assert.deepEqual(
              json.sites.map((s: { id: string }) => s.id),
              [other.id],
            );
          },
        }),
        get('/api/v1/admin/queues/counts', '/api/v1/admin/queues/counts', {
          status: 200,
          check: async (json) => {
            const theirs = await asAdmin(`/api/v1/admin/queues/counts?siteId=${other.id}`);
            assert.deepEqual(json.counts, theirs.counts);
            assert.ok(json.counts.pending >= 1);
          },
        }),
        get('/api/v1/admin/queues/counts', `/api/v1/admin/queues/counts?siteId=${app.site.id}`, {
          status: 404,
        }),
        get('/api/v1/admin/queues/counts', `/api/v1/admin/queues/counts?storyId=${openStory}`, {
          status: 404,
        }),
        ...[
          'pending',
          'reported',
          'unmoderated',
          'approved',
          'rejected',
          'featured',
          'illegal',
          'appeals',
        ].map((queue) =>
          get('/api/v1/admin/queues/:queue', `/api/v1/admin/queues/${queue}`, {
            status: 200,
            check: (json) => onlyOtherItems(json.items, queue === 'pending'),
          }),
        ),
        get('/api/v1/admin/queues/:queue', `/api/v1/admin/queues/pending?siteId=${app.site.id}`, {
          status: 404,
        }),
        {
          method: 'GET',
          route: '/api/v1/admin/comments/:id',
          make: async () => ({ url: `/api/v1/admin/comments/${await approved()}` }),
          foreign: { status: 404 },
        },
        comment('POST', 'approve', pending),
        comment('POST', 'reject', pending, { reason: 'ABUSE', note: 'Personal attack.' }),
        comment('POST', 'feature', approved),
        comment('POST', 'unfeature', featured),
        comment('POST', 'delete', approved),
        {
          method: 'POST',
          route: '/api/v1/admin/comments/bulk',
          make: async () => {
            const [a, b] = [await pending(), await pending()];
            const before = async () => [await commentState(a)(), await commentState(b)()];
            return {
              url: '/api/v1/admin/comments/bulk',
              body: { action: 'approve', ids: [a, b] },
              state: before,
            };
          },
          foreign: {
            status: 200,
            check: async (json, call) => {
              // Each comment is decided on its own: not theirs, so listed as not found.
              assert.deepEqual(json.items, []);
              assert.deepEqual(
                json.errors.map((e: { code: string }) => e.code),
                ['COMMENT_NOT_FOUND', 'COMMENT_NOT_FOUND'],
              );
              const states = (await call.state?.()) as { status: string }[];
              assert.deepEqual(
                states.map((s) => s.status),
                ['pending', 'pending'],
              );
            },
          },
        },
        {
          method: 'POST',
          route: '/api/v1/admin/actions/:id/undo',
          make: async () => {
            const id = await pending();
            const approval = await app.request({
              method: 'POST',
              url: `/api/v1/admin/comments/${id}/approve`,
              token: adminToken,
            });
            assert.equal(approval.status, 200, approval.text);
            const actionId = approval.json.action.id as string;
            return {
              url: `/api/v1/admin/actions/${actionId}/undo`,
              state: async () => ({
                comment: await commentState(id)(),
                action: await db()
                  .selectFrom('moderation_actions')
                  .select('undone_at')
                  .where('id', '=', actionId)
                  .executeTakeFirstOrThrow(),
              }),
            };
          },
          foreign: { status: 404 },
        },
        {
          method: 'GET',
          route: '/api/v1/admin/users',
          make: async () => {
            const name = `Listed ${++n}`;
            const [mine, theirs] = [await target({}, false, name), await target({}, true, name)];
            return {
              url: `/api/v1/admin/users?q=${encodeURIComponent(name)}`,
              ids: { mine, theirs },
            };
          },
          foreign: {
            status: 200,
            check: (json, call) => {
              // Only the reader who has commented on their site: not the installation's list.
              assert.deepEqual(
                json.users.map((u: { id: string }) => u.id),
                [call.ids?.theirs],
              );
              for (const u of json.users) assert.equal(u.email, undefined, 'emails: admins only');
            },
          },
        },
        {
          method: 'GET',
          route: '/api/v1/admin/users/:id',
          make: async () => ({ url: `/api/v1/admin/users/${author.id}` }),
          foreign: {
            status: 200,
            check: (json) => {
              assert.equal(json.user.id, author.id);
              onlyOtherItems(json.recent);
            },
          },
        },
        {
          method: 'GET',
          route: '/api/v1/admin/users/:id',
          make: async () => ({ url: `/api/v1/admin/users/${await target()}` }),
          foreign: { status: 404 },
        },
        ...user('POST', 'warn', { message: 'Keep it civil.' }, accountWide),
        ...user('POST', 'suspend', { hours: 24, reason: 'Flooding' }, accountWide),
        ...user('POST', 'unsuspend', {}, accountWide, {
          suspended_until: '2999-01-01T00:00:00.000Z',
        }),
        ...user('POST', 'ban', { reason: 'Abuse' }, onTheirSite([other.id])),
        ...user('POST', 'unban', {}, onTheirSite([app.site.id]), {
          banned_at: new Date().toISOString(),
          banned_site_ids: JSON.stringify([app.site.id, other.id]),
        }),
        ...user('POST', 'premoderate', { on: true }, accountWide),
        ...user(
          'PUT',
          'role',
          { role: 'moderator', siteIds: [app.site.id] },
          { status: 403 },
          {},
          { adminOnly: true, foreign: { status: 403 } },
        ),
        ...user('POST', 'notes', { text: 'Seen this one before.' }, accountWide),
        {
          method: 'POST',
          route: '/api/v1/admin/actions/:id/undo',
          make: async () => {
            // An admin's suspension of a reader of this site only: lifting it is account-wide too.
            const id = await target();
            const suspension = await app.request({
              method: 'POST',
              url: `/api/v1/admin/users/${id}/suspend`,
              token: adminToken,
              body: { hours: 1 },
            });
            assert.equal(suspension.status, 200, suspension.text);
            return {
              url: `/api/v1/admin/actions/${suspension.json.action.id}/undo`,
              state: userState(id),
            };
          },
          foreign: { status: 403 },
        },
        get('/api/v1/admin/audit', '/api/v1/admin/audit?limit=100', {
          status: 200,
          check: (json) => {
            assert.ok(json.entries.length > 0);
            for (const entry of json.entries) {
              assert.ok(entry.siteId === null || entry.siteId === other.id, entry.action);
              // Entries about readers of this site only: their own (bans on their site), no other.
              if (entry.userId !== null && thisSiteOnly.has(entry.userId)) {
                assert.equal(entry.actor?.id, userIds.siteModerator, entry.action);
              }
            }
          },
        }),
        get('/api/v1/admin/audit', `/api/v1/admin/audit?siteId=${app.site.id}`, { status: 404 }),
        get('/api/v1/admin/search', '/api/v1/admin/search?q=comment', {
          status: 200,
          check: (json) => onlyOtherItems(json.items),
        }),
        get('/api/v1/admin/search', `/api/v1/admin/search?storyId=${openStory}`, {
          status: 404,
        }),
        get('/api/v1/admin/stats', '/api/v1/admin/stats', {
          status: 200,
          check: async (json) => {
            const theirs = await asAdmin(`/api/v1/admin/stats?siteId=${other.id}`);
            assert.deepEqual(json.days, theirs.days);
            assert.deepEqual(json.decidedBy, theirs.decidedBy);
            assert.deepEqual(json.topReported, []);
          },
        }),
        get('/api/v1/admin/stats', `/api/v1/admin/stats?siteId=${app.site.id}`, { status: 404 }),
        {
          method: 'GET',
          route: '/api/v1/admin/sites/:siteId/settings',
          make: async () => ({ url: `/api/v1/admin/sites/${app.site.id}/settings` }),
          foreign: { status: 404 },
        },
        {
          method: 'PATCH',
          route: '/api/v1/admin/sites/:siteId/settings',
          make: async () => ({
            url: `/api/v1/admin/sites/${app.site.id}/settings`,
            body: {
              editWindowSeconds: 600 + ++n,
              moderation: { wordList: [{ term: `word${n}`, strength: 'suspect' }] },
            },
            state: siteState,
          }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        get('/api/v1/admin/stories', '/api/v1/admin/stories', {
          status: 200,
          check: (json) => {
            assert.deepEqual(
              json.stories.map((s: { id: string }) => s.id),
              [otherStory],
            );
          },
        }),
        get('/api/v1/admin/stories', `/api/v1/admin/stories?siteId=${app.site.id}`, {
          status: 404,
        }),
        {
          method: 'PATCH',
          route: '/api/v1/admin/stories/:storyId',
          make: async () => {
            const { closed } = await storyState();
            return {
              url: `/api/v1/admin/stories/${settingsStory}`,
              body: { closed: !closed },
              state: storyState,
            };
          },
          foreign: { status: 404 },
        },
        // Q&A (docs/qa.md): a story's switch and experts (moderators of its site), a site's Q&A
        // sections (read by its moderators, set by admins).
        {
          method: 'PUT',
          route: '/api/v1/admin/stories/:storyId/qa',
          make: async () => {
            const qaState = () =>
              db()
                .selectFrom('stories')
                .select(['mode', 'qa_open'])
                .where('id', '=', settingsStory)
                .executeTakeFirstOrThrow();
            const { mode } = await qaState();
            return {
              url: `/api/v1/admin/stories/${settingsStory}/qa`,
              body: { enabled: mode !== 'qa' },
              state: qaState,
            };
          },
          foreign: { status: 404 },
        },
        {
          method: 'GET',
          route: '/api/v1/admin/sites/:siteId/qa-defaults',
          make: async () => ({ url: `/api/v1/admin/sites/${app.site.id}/qa-defaults` }),
          foreign: { status: 404 },
        },
        {
          method: 'PUT',
          route: '/api/v1/admin/sites/:siteId/qa-defaults',
          make: async () => ({
            url: `/api/v1/admin/sites/${app.site.id}/qa-defaults`,
            body: { sections: [`Section ${++n}`] },
            state: () =>
              db()
                .selectFrom('qa_sections')
                .select('section')
                .where('site_id', '=', app.site.id)
                .execute(),
          }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        // The analysis endpoint's API keys: admins only.
        {
          method: 'GET',
          route: '/api/v1/admin/api-keys',
          make: async () => ({ url: '/api/v1/admin/api-keys' }),
          adminOnly: true,
          foreign: { status: 403 },
          optional: true,
        },
        {
          method: 'POST',
          route: '/api/v1/admin/api-keys',
          make: async () => ({
            url: '/api/v1/admin/api-keys',
            body: { name: `Key ${++n}` },
            state: apiKeys,
          }),
          adminOnly: true,
          foreign: { status: 403 },
          created: 201,
          optional: true,
        },
        {
          method: 'DELETE',
          route: '/api/v1/admin/api-keys/:id',
          make: async () => {
            const created = await app.request({
              method: 'POST',
              url: '/api/v1/admin/api-keys',
              token: adminToken,
              body: { name: `Key ${++n}` },
            });
            assert.equal(created.status, 201, created.text);
            return { url: `/api/v1/admin/api-keys/${created.json.apiKey.id}`, state: apiKeys };
          },
          adminOnly: true,
          foreign: { status: 403 },
          optional: true,
        },
        // Mail (identity): the outbox is the admins'.
        {
          method: 'GET',
          route: '/api/v1/admin/mail',
          make: async () => ({ url: '/api/v1/admin/mail' }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        {
          method: 'GET',
          route: '/api/v1/admin/mail/:mailId',
          make: async () => ({ url: `/api/v1/admin/mail/${await mail()}` }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        {
          method: 'POST',
          route: '/api/v1/admin/mail/:mailId/retry',
          make: async () => {
            const id = await mail();
            await db()
              .updateTable('mail_outbox')
              .set({ state: 'held' })
              .where('id', '=', id)
              .execute();
            return {
              url: `/api/v1/admin/mail/${id}/retry`,
              state: () =>
                db()
                  .selectFrom('mail_outbox')
                  .select('state')
                  .where('id', '=', id)
                  .executeTakeFirst(),
            };
          },
          adminOnly: true,
          foreign: { status: 403 },
          created: 202,
        },
        // Sign-in settings hold secrets: admins only.
        {
          method: 'GET',
          route: '/api/v1/admin/sites/:siteId/auth',
          make: async () => ({ url: `/api/v1/admin/sites/${app.site.id}/auth` }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        {
          method: 'PUT',
          route: '/api/v1/admin/sites/:siteId/auth',
          make: async () => ({
            url: `/api/v1/admin/sites/${app.site.id}/auth`,
            body: { requireVerifiedEmail: n++ % 2 === 0 },
            state: () =>
              db()
                .selectFrom('sites')
                .select('auth')
                .where('id', '=', app.site.id)
                .executeTakeFirst(),
          }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        // The site's branding (every mail it sends, its sender name): admins only.
        {
          method: 'GET',
          route: '/api/v1/admin/sites/:siteId/branding',
          make: async () => ({ url: `/api/v1/admin/sites/${app.site.id}/branding` }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        {
          method: 'PUT',
          route: '/api/v1/admin/sites/:siteId/branding',
          make: async () => ({
            url: `/api/v1/admin/sites/${app.site.id}/branding`,
            body: { signoff: `The desk, take ${++n}` },
            state: () =>
              db()
                .selectFrom('sites')
                .select('branding')
                .where('id', '=', app.site.id)
                .executeTakeFirst(),
          }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        // Signing a reader out everywhere: admins, and moderators of a site the reader wrote on.
        {
          method: 'POST',
          route: '/api/v1/admin/users/:userId/sessions/revoke',
          make: async () => {
            const reader = await app.signup(`Revoked ${++n}`);
            const posted = await app.post(openStory, reader.token, `Comment before sign-out ${n}`);
            assert.equal(posted.status, 201, posted.text);
            return {
              url: `/api/v1/admin/users/${reader.id}/sessions/revoke`,
              state: () =>
                db()
                  .selectFrom('sessions')
                  .select('revoked_at')
                  .where('user_id', '=', reader.id)
                  .execute(),
            };
          },
          foreign: { status: 404 },
        },
        // Publishers' systems acting on their SSO readers' data (privacy): admins only.
        ...(['GET', 'POST', 'DELETE'] as const).map((method): Row => ({
          method,
          route: `/api/v1/admin/sites/:siteId/sso-users/:sub/${method === 'GET' ? 'export' : 'deletion'}`,
          make: async () => {
            const reader = await ssoReader(method === 'DELETE');
            const base = `/api/v1/admin/sites/${app.site.id}/sso-users/${reader.sub}`;
            return method === 'GET'
              ? { url: `${base}/export` }
              : {
                  url: `${base}/deletion`,
                  ...(method === 'POST' && { body: {} }),
                  state: reader.state,
                };
          },
          adminOnly: true,
          foreign: { status: 403 },
          ...(method === 'POST' && { created: 202 }),
          optional: true,
        })),
        // The site's own layer over the classifier: admins and the site's moderators read it;
        // only admins ask for a training (logged, so a refused call leaves the log as it was).
        get(
          '/api/v1/admin/sites/:siteId/site-model',
          `/api/v1/admin/sites/${app.site.id}/site-model`,
          { status: 404 },
        ),
        {
          method: 'POST',
          route: '/api/v1/admin/sites/:siteId/site-model/retrain',
          make: async () => ({
            url: `/api/v1/admin/sites/${app.site.id}/site-model/retrain`,
            state: async () =>
              (
                await db()
                  .selectFrom('moderation_actions')
                  .select('id')
                  .where('action', '=', 'site.model.retrain')
                  .where('site_id', '=', app.site.id)
                  .execute()
              ).length,
          }),
          adminOnly: true,
          foreign: { status: 403 },
          created: 202,
        },
        // Imports (the dashboard's upload, its runs and their reports): admins only.
        {
          method: 'GET',
          route: '/api/v1/admin/import-formats',
          make: async () => ({ url: '/api/v1/admin/import-formats' }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        {
          method: 'POST',
          route: '/api/v1/admin/sites/:siteId/imports',
          make: async () => ({
            url: `/api/v1/admin/sites/${app.site.id}/imports?format=disqus&fileName=roles.xml`,
            file: {
              body: '<disqus xmlns="http://disqus.com"></disqus>',
              type: 'application/octet-stream',
            },
            state: importRuns,
          }),
          adminOnly: true,
          foreign: { status: 403 },
          created: 202,
        },
        {
          method: 'GET',
          route: '/api/v1/admin/sites/:siteId/imports',
          make: async () => ({ url: `/api/v1/admin/sites/${app.site.id}/imports` }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        ...(['', '/report'] as const).map((suffix): Row => ({
          method: 'GET',
          route: `/api/v1/admin/imports/:runId${suffix}`,
          make: async () => ({ url: `/api/v1/admin/imports/${await importRun()}${suffix}` }),
          adminOnly: true,
          foreign: { status: 403 },
        })),
        // Publishers' webhooks (secrets, every payload): admins only.
        {
          method: 'GET',
          route: '/api/v1/admin/sites/:siteId/webhooks',
          make: async () => ({ url: `/api/v1/admin/sites/${app.site.id}/webhooks` }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        {
          method: 'POST',
          route: '/api/v1/admin/sites/:siteId/webhooks',
          make: async () => ({
            url: `/api/v1/admin/sites/${app.site.id}/webhooks`,
            body: { url: `https://hooks.publisher.example/new/${++n}`, events: ['story.created'] },
            state: async () =>
              (
                await db()
                  .selectFrom('webhook_endpoints')
                  .select('id')
                  .where('site_id', '=', app.site.id)
                  .execute()
              ).length,
          }),
          adminOnly: true,
          foreign: { status: 403 },
          created: 201,
        },
        {
          method: 'GET',
          route: '/api/v1/admin/webhooks/:id',
          make: async () => ({ url: `/api/v1/admin/webhooks/${await webhook()}` }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        {
          method: 'PATCH',
          route: '/api/v1/admin/webhooks/:id',
          make: async () => {
            const id = await webhook();
            return {
              url: `/api/v1/admin/webhooks/${id}`,
              body: { description: `Changed ${++n}` },
              state: webhookRow(id),
            };
          },
          adminOnly: true,
          foreign: { status: 403 },
        },
        {
          method: 'DELETE',
          route: '/api/v1/admin/webhooks/:id',
          make: async () => {
            const id = await webhook();
            return { url: `/api/v1/admin/webhooks/${id}`, state: webhookRow(id) };
          },
          adminOnly: true,
          foreign: { status: 403 },
        },
        ...(['rotate', 'enable', 'disable'] as const).map((action): Row => ({
          method: 'POST',
          route: `/api/v1/admin/webhooks/:id/${action}`,
          make: async () => {
            const id = await webhook(action === 'enable');
            return {
              url: `/api/v1/admin/webhooks/${id}/${action}`,
              ...(action === 'rotate' && { body: {} }),
              state: webhookRow(id),
            };
          },
          adminOnly: true,
          foreign: { status: 403 },
        })),
        {
          method: 'POST',
          route: '/api/v1/admin/webhooks/:id/test',
          make: async () => {
            const id = await webhook();
            return { url: `/api/v1/admin/webhooks/${id}/test`, state: webhookDeliveries(id) };
          },
          adminOnly: true,
          foreign: { status: 403 },
          created: 202,
        },
        {
          method: 'GET',
          route: '/api/v1/admin/webhooks/:id/deliveries',
          make: async () => ({
            url: `/api/v1/admin/webhooks/${(await delivered()).id}/deliveries`,
          }),
          adminOnly: true,
          foreign: { status: 403 },
        },
        {
          method: 'GET',
          route: '/api/v1/admin/webhooks/:id/deliveries/:deliveryId',
          make: async () => {
            const { id, deliveryId } = await delivered();
            return { url: `/api/v1/admin/webhooks/${id}/deliveries/${deliveryId}` };
          },
          adminOnly: true,
          foreign: { status: 403 },
        },
        {
          method: 'POST',
          route: '/api/v1/admin/webhooks/:id/deliveries/:deliveryId/resend',
          make: async () => {
            const { id, deliveryId } = await delivered();
            return {
              url: `/api/v1/admin/webhooks/${id}/deliveries/${deliveryId}/resend`,
              state: webhookDeliveries(id),
            };
          },
          adminOnly: true,
          foreign: { status: 403 },
          created: 202,
        },
        // The Digital Services Act (docs/dsa.md): an appeal, decided by a moderator who did not
        // make the decision appealed (a moderator made only for that), and the transparency report.
        {
          method: 'POST',
          route: '/api/v1/admin/appeals/:id/decide',
          make: async () => {
            const id = await approved();
            deciderToken ??= await (async () => {
              const decider = await app.signup('Decider');
              await setRole(decider.id, 'moderator');
              return decider.token;
            })();
            const rejected = await app.request({
              method: 'POST',
              url: `/api/v1/admin/comments/${id}/reject`,
              token: deciderToken,
              body: { reason: 'ABUSE' },
            });
            assert.equal(rejected.status, 200, rejected.text);
            const filed = await app.request({
              method: 'POST',
              url: `/api/v1/comments/${id}/appeal`,
              token: author.token,
              body: { text: 'Please look again.' },
            });
            assert.equal(filed.status, 201, filed.text);
            const appealId = filed.json.appeal.id as string;
            return {
              url: `/api/v1/admin/appeals/${appealId}/decide`,
              body: { outcome: 'reversed', note: 'Fair comment.' },
              state: async () => ({
                appeal: await db()
                  .selectFrom('appeals')
                  .select(['state', 'review_note'])
                  .where('id', '=', appealId)
                  .executeTakeFirst(),
                comment: await commentState(id)(),
              }),
            };
          },
          foreign: { status: 404 },
        },
        get(
          '/api/v1/admin/sites/:siteId/transparency',
          `/api/v1/admin/sites/${app.site.id}/transparency?from=2026-01-01&to=2026-12-31`,
          { status: 404 },
        ),
        // A moderator's own alerts for a site: any moderator covering it; their own row only.
        get('/api/v1/admin/sites/:siteId/alerts', `/api/v1/admin/sites/${app.site.id}/alerts`, {
          status: 404,
        }),
        {
          method: 'PUT',
          route: '/api/v1/admin/sites/:siteId/alerts',
          make: async () => ({
            url: `/api/v1/admin/sites/${app.site.id}/alerts`,
            body: { pending: 'digest', digestMinutes: 5 + (++n % 100) },
            state: () =>
              db()
                .selectFrom('moderator_alerts')
                .selectAll()
                .where('site_id', '=', app.site.id)
                .orderBy('user_id')
                .execute(),
          }),
          foreign: { status: 404 },
        },
        {
          method: 'POST',
          route: '/api/v1/admin/sites/:siteId/alerts/test',
          // Mail is the channel by default: a test queues a message to the caller.
          make: async () => ({
            url: `/api/v1/admin/sites/${app.site.id}/alerts/test`,
            state: async () =>
              (
                await db()
                  .selectFrom('mail_outbox')
                  .select('id')
                  .where('template', '=', 'moderator-alert')
                  .execute()
              ).length,
          }),
          foreign: { status: 404 },
        },
      ];
    });
    after(async () => app.close());

    const active = () =>
      rows.filter((row) => !row.optional || documented.has(key(row.method, row.route)));

    it('has a row for every /api/v1/admin route in the OpenAPI document, and no stale row', () => {
      assert.ok(documented.size >= 27, `only ${documented.size} admin routes documented`);
      const tabled = new Set(active().map((row) => key(row.method, row.route)));
      assert.deepEqual([...documented].sort(), [...tabled].sort());
    });

    for (const role of ROLES) {
      it(`answers every route as ${role} should`, async () => {
        for (const row of active()) {
          const call = await row.make();
          const before = await call.state?.();
          const response = await app.request({
            method: row.method,
            url: call.url,
            ...(role !== 'anonymous' && { token: tokens[role] }),
            ...(call.body !== undefined && { body: call.body }),
            ...(call.file && { raw: call.file.body, headers: { 'content-type': call.file.type } }),
          });
          const label = `${role} ${row.method} ${call.url} → ${response.status} ${response.text.slice(0, 300)}`;
          let expected: number;
          let check: ((json: ApiResponse['json'], call: Call) => void | Promise<void>) | undefined;
          switch (role) {
            case 'anonymous':
              expected = 401;
              break;
            case 'commenter':
            case 'staff':
              expected = 403;
              break;
            case 'moderator':
              expected = row.adminOnly ? 403 : (row.created ?? 200);
              break;
            case 'siteModerator':
              expected = row.foreign.status === 200 ? (row.created ?? 200) : row.foreign.status;
              check = row.foreign.status === 200 ? row.foreign.check : undefined;
              break;
            case 'admin':
              expected = row.created ?? 200;
              break;
          }
          assert.equal(response.status, expected, label);
          if (expected >= 400) {
            const codes: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };
            const code: string | undefined = codes[expected];
            if (code) assert.equal(response.json?.error?.code, code, label);
            else assert.match(response.json?.error?.code ?? '', /_NOT_FOUND$/, label);
            if (call.state) {
              assert.deepEqual(
                await call.state(),
                before,
                `${label}: a refused call changed state`,
              );
            }
          } else {
            if (call.state && row.method !== 'GET' && !check) {
              assert.notDeepEqual(await call.state(), before, `${label}: nothing changed`);
            }
            await check?.(response.json, call);
          }
        }
      });
    }
  });
}
