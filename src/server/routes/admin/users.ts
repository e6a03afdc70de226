/**
 * Accounts as moderators see and restrict them (docs/moderation-api.md): finding accounts, one
 * account's standing with moderators' notes and latest comments, warnings, suspensions, bans,
 * pre-moderation, roles (admins only), and notes. A moderator of some sites finds readers of other
 * sites "not found", like their comments (src/services/moderation-actions.ts says what they may
 * do to them).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ParleyError } from '../../../domain/errors.ts';
import {
  reaches,
  type Moderator,
  type UserActionKind,
} from '../../../services/moderation-actions.ts';
import { authorComments } from '../../../store/moderation/records.ts';
import { getModeratedUser, listNotes, listUsers } from '../../../store/moderation/users.ts';
import type { RouteContext } from '../../context.ts';
import {
  ActionRef,
  ModerationItem,
  ModerationUser,
  Note,
  NoteBody,
  presentModeratedUser,
  UserBodies,
  UsersQuery,
} from '../../admin-schemas.ts';
import { ErrorBody, IdParams } from '../../schemas.ts';
import {
  moderationActions,
  moderatorOf,
  presenterFor,
  reads,
  security,
  showEmail,
  tags,
  writes,
} from './moderator.ts';

const UserResult = Type.Object({ user: ModerationUser, action: ActionRef });

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

export function userRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, sites } = ctx;
  const actions = moderationActions(ctx);
  const siteExists = async (siteId: string) => (await sites.get(siteId)) !== undefined;

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

  return async (app) => {
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
        return { user, notes, recent: recent.map(presenterFor(moderator)) };
      },
    );

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
  };
}
