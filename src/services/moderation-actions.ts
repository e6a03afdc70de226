/**
 * What moderators do, and who may do it. Every action runs in one transaction that locks what it
 * changes, writes the change, moves the counts that follow from it and appends the audit entry
 * (before and after), so the log can never disagree with the data. Undo replays an entry's
 * "before", refusing when something else has changed the thing since.
 */
import { ParleyError } from '../domain/errors.ts';
import { inScope } from '../domain/moderation/scope.ts';
import { checkText } from '../domain/text.ts';
import type { Store } from '../store/db.ts';
import { closeMoot, mootAppealsOf, reviewedByAppeal } from '../store/appeals.ts';
import { moveCounts, removeComment } from '../store/comments.ts';
import { insertAction, laterActionExists, lockAction, markUndone } from '../store/audit.ts';
import {
  isLivePublished,
  lockCommentState,
  writeCommentState,
  type CommentState,
} from '../store/moderation/comment-state.ts';
import type { SiteScope } from '../store/moderation/filters.ts';
import { getRecord, type ModerationRecord } from '../store/moderation/records.ts';
import {
  insertNote,
  lockUserState,
  writeUserState,
  type UserState,
} from '../store/moderation/users.ts';
import type { Site, User } from '../store/rows.ts';
import { hasCommentedOn } from '../store/users.ts';
import { publishLive, recordCommentChange } from '../live/record.ts';
import type { LiveEvent } from '../live/bus.ts';
import type { Database, Role } from '../store/schema.ts';
import type { RejectionCode } from '../domain/vocabulary.ts';
import type { Kysely } from 'kysely';
import { announceBan } from '../webhooks/events.ts';
import type { SiteDirectory } from './site-directory.ts';

type Db = Kysely<Database>;

export type { RejectionCode } from '../domain/vocabulary.ts';

export type CommentActionKind = 'approve' | 'reject' | 'feature' | 'unfeature' | 'delete';
export type UserActionKind =
  'warn' | 'suspend' | 'unsuspend' | 'ban' | 'unban' | 'premoderate' | 'role';

/** A signed-in admin or moderator, with the sites they may act on (null: every site). */
export interface Moderator {
  user: User;
  scope: SiteScope;
}

/** Admins and moderators pass; a moderator limited to no site at all may do nothing. */
export function asModerator(user: User | null): Moderator {
  if (!user) throw new ParleyError('UNAUTHENTICATED', 'Log in to do this.');
  if (user.role === 'admin') return { user, scope: null };
  if (user.role === 'moderator') {
    if (user.moderatorSiteIds !== null && user.moderatorSiteIds.length === 0) {
      throw new ParleyError('FORBIDDEN', 'You are not a moderator of any site.');
    }
    return { user, scope: user.moderatorSiteIds };
  }
  throw new ParleyError('FORBIDDEN', 'Only moderators and admins may do this.');
}

/**
 * Whether the moderator reaches this account: a moderator of every site reaches every account, a
 * moderator of some sites the readers who have commented on one of them (the readers whose
 * comments reach their queues). Readers of other sites are not theirs to see or restrict.
 */
export async function reaches(db: Db, moderator: Moderator, userId: string): Promise<boolean> {
  return moderator.scope === null || hasCommentedOn(db, userId, moderator.scope);
}

/** The site, if in the moderator's scope; any other is "not found", as if it did not exist. */
export async function siteInScope(
  sites: SiteDirectory,
  moderator: Moderator,
  siteId: string,
): Promise<Site> {
  const site = inScope(moderator.scope, siteId) ? await sites.get(siteId) : undefined;
  if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
  return site;
}

/**
 * Actions whose effect is the account's, on every site: the account has one suspension, one
 * warning and one pre-moderation flag. A ban is per site and is not among them.
 */
const ACCOUNT_WIDE: ReadonlySet<UserActionKind> = new Set([
  'warn',
  'suspend',
  'unsuspend',
  'premoderate',
]);

async function requireReach(db: Db, moderator: Moderator, userId: string): Promise<void> {
  if (!(await reaches(db, moderator, userId))) {
    throw new ParleyError(
      'FORBIDDEN',
      'This reader has not commented on the sites you moderate: ban them from yours, or ask an admin.',
    );
  }
}

export interface ActionResult {
  id: string;
  undoable: boolean;
  /** The story whose readers' pages changed, if any. */
  storyId: string | null;
  /** The account whose restrictions or role changed, if any. */
  userId?: string | null;
}

export interface CommentActionInput {
  reason?: RejectionCode | undefined;
  note?: string | undefined;
  /**
   * More writes in the action's transaction, after it (an appeal's review, src/services/appeals.ts):
   * the action and they commit or fail together.
   */
  within?: ((trx: Db) => Promise<void>) | undefined;
  /**
   * False: the action may not be undone (a reversal on appeal: the appeal decided it, and the
   * author could not appeal again).
   */
  undoable?: false | undefined;
}

/**
 * Closes the comment's open appeals whose decision no longer stands (undone, superseded, or the
 * comment deleted) as moot, each with its audit entry: nothing is left to decide, and the author
 * is not told "upheld" about a comment already back (docs/dsa.md).
 */
export async function closeMootAppeals(
  trx: Db,
  commentId: string,
  actorId: string | null,
): Promise<string[]> {
  const moot = await mootAppealsOf(trx, commentId);
  for (const appeal of moot) {
    await closeMoot(trx, appeal.id);
    await insertAction(trx, {
      actorId,
      action: 'appeal.decide',
      siteId: appeal.siteId,
      commentId: appeal.commentId,
      userId: appeal.authorId,
      reason: 'moot',
      before: { appealId: appeal.id, state: 'open' },
      after: { appealId: appeal.id, state: 'moot' },
      undoable: false,
    });
  }
  return moot.map((appeal) => appeal.id);
}

/** What a bulk decision did: each action and comment's record, and the comments left undecided. */
export interface BulkResult {
  actions: { id: string; undoable: boolean }[];
  records: ModerationRecord[];
  errors: { id: string; code: string; message: string }[];
}

export interface UserActionInput {
  message?: string | undefined;
  hours?: number | undefined;
  reason?: string | undefined;
  siteIds?: string[] | undefined;
  on?: boolean | undefined;
  role?: Role | undefined;
}

const statesDiffer = (a: CommentState, b: Partial<CommentState>) =>
  a.status !== b.status || a.featured !== b.featured;

/** The sites a ban covers: none, some, or every site (null). */
const banCoverage = (state: UserState): string[] | null =>
  state.bannedAt === null ? [] : state.bannedSiteIds;

/** Whether two account states differ in more than the ban (which is per site). */
const accountWideChange = (a: UserState, b: UserState): boolean =>
  a.role !== b.role ||
  JSON.stringify(a.moderatorSiteIds) !== JSON.stringify(b.moderatorSiteIds) ||
  a.suspendedUntil !== b.suspendedUntil ||
  a.suspendReason !== b.suspendReason ||
  a.warning !== b.warning ||
  a.warningAcknowledgedAt !== b.warningAcknowledgedAt ||
  a.alwaysPremoderate !== b.alwaysPremoderate;

/**
 * Whether going from one account state to another changes bans only on sites in the scope: a
 * moderator of some sites may not, by undoing, lift or lay a ban on other sites or everywhere.
 */
function banChangeWithin(scope: SiteScope, from: UserState, to: UserState): boolean {
  if (scope === null) return true;
  const a = banCoverage(from);
  const b = banCoverage(to);
  if (a === null || b === null) return a === b;
  const changed = [...a.filter((id) => !b.includes(id)), ...b.filter((id) => !a.includes(id))];
  return changed.every((id) => scope.includes(id));
}

function reasonText(value: string | undefined, field: string, maxLength = 1000): string | null {
  if (value === undefined || value.trim() === '') return null;
  return checkText(value, { field, maxLength, multiline: true });
}

export class ModerationActions {
  constructor(
    private readonly store: Store,
    /** Told about every story whose public pages an action changed. */
    private readonly storyChanged: (storyId: string) => void,
    /** Told about every account whose restrictions or role an action changed. */
    private readonly accountChanged: (userId: string) => void = () => undefined,
  ) {}

  async onComment(
    moderator: Moderator,
    commentId: string,
    kind: CommentActionKind,
    input: CommentActionInput = {},
  ): Promise<ActionResult> {
    const note = kind === 'reject' ? reasonText(input.note, 'note') : null;
    if (kind === 'reject' && !input.reason) {
      throw new ParleyError('VALIDATION_FAILED', 'A rejection needs a reason code.');
    }
    // Live events are recorded in the action's transaction and published once it commits.
    let events: LiveEvent[] = [];
    const result = await this.store.db.transaction().execute(async (trx) => {
      const state = await lockCommentState(trx, commentId);
      if (!state || !inScope(moderator.scope, state.siteId)) {
        throw new ParleyError('COMMENT_NOT_FOUND', 'That comment does not exist.');
      }
      if (state.deleted) throw new ParleyError('COMMENT_DELETED', 'That comment was deleted.');
      const now = new Date().toISOString();
      const before: CommentState = {
        status: state.status,
        featured: state.featured,
        reviewedAt: state.reviewedAt,
        openReports: state.openReports,
        rejection: state.rejection,
      };
      const place = { storyId: state.storyId, threadParentId: state.threadParentId };
      const seen = { status: state.status, deleted: false, featured: state.featured };
      if (kind === 'delete') {
        await removeComment(trx, commentId);
        events = await recordCommentChange(trx, commentId, seen);
        const id = await insertAction(trx, {
          actorId: moderator.user.id,
          action: 'comment.delete',
          siteId: state.siteId,
          commentId,
          userId: state.authorId,
          reason: null,
          before,
          after: { status: 'deleted' },
          undoable: false,
        });
        await closeMootAppeals(trx, commentId, moderator.user.id);
        return { id, undoable: false, storyId: state.storyId };
      }
      let after: CommentState;
      switch (kind) {
        case 'approve':
          await this.requireShownParent(trx, state.parentId);
          after = {
            ...before,
            status: 'approved',
            reviewedAt: now,
            openReports: 0,
            rejection: null,
          };
          break;
        case 'reject':
          after = {
            ...before,
            status: 'rejected',
            featured: false,
            reviewedAt: now,
            openReports: 0,
            rejection: { code: input.reason as RejectionCode, note },
          };
          break;
        case 'feature':
          if (state.status !== 'approved') {
            throw new ParleyError(
              'COMMENT_NOT_PUBLISHED',
              'Only a published comment can be featured; approve it first.',
            );
          }
          after = { ...before, featured: true, reviewedAt: now };
          break;
        case 'unfeature':
          after = { ...before, featured: false, reviewedAt: now };
          break;
      }
      await writeCommentState(trx, commentId, after);
      if (before.status === 'approved' && after.status !== 'approved') {
        await moveCounts(trx, place, -1);
      } else if (before.status !== 'approved' && after.status === 'approved') {
        await moveCounts(trx, place, +1);
      }
      events = await recordCommentChange(trx, commentId, seen);
      const id = await insertAction(trx, {
        actorId: moderator.user.id,
        action: `comment.${kind}`,
        siteId: state.siteId,
        commentId,
        userId: state.authorId,
        reason: kind === 'reject' ? (input.reason ?? null) : null,
        before,
        after,
        undoable: input.undoable ?? true,
      });
      await input.within?.(trx);
      await closeMootAppeals(trx, commentId, moderator.user.id);
      return { id, undoable: input.undoable ?? true, storyId: state.storyId };
    });
    if (result.storyId) this.storyChanged(result.storyId);
    publishLive(this.store, events);
    return result;
  }

  /**
   * Approves or rejects each comment on its own: those that cannot be decided (deleted meanwhile,
   * or not the moderator's) are listed in `errors` and the rest go ahead.
   */
  async onComments(
    moderator: Moderator,
    commentIds: string[],
    kind: 'approve' | 'reject',
    input: Pick<CommentActionInput, 'reason' | 'note'>,
  ): Promise<BulkResult> {
    if (kind === 'reject' && !input.reason) {
      throw new ParleyError('VALIDATION_FAILED', 'A bulk rejection needs a reason code.');
    }
    const bulk: BulkResult = { actions: [], records: [], errors: [] };
    for (const id of [...new Set(commentIds)]) {
      try {
        const result = await this.onComment(moderator, id, kind, input);
        bulk.actions.push({ id: result.id, undoable: result.undoable });
        const record = await getRecord(this.store.db, id);
        if (record) bulk.records.push(record);
      } catch (error) {
        if (!(error instanceof ParleyError) || error.status >= 500) throw error;
        bulk.errors.push({ id, code: error.code, message: error.message });
      }
    }
    return bulk;
  }

  async onUser(
    moderator: Moderator,
    userId: string,
    kind: UserActionKind,
    input: UserActionInput,
    siteExists: (siteId: string) => Promise<boolean>,
  ): Promise<ActionResult> {
    const actor = moderator.user;
    if (userId === actor.id) {
      throw new ParleyError('FORBIDDEN', 'You cannot do this to your own account.');
    }
    if (kind === 'role' && actor.role !== 'admin') {
      throw new ParleyError('FORBIDDEN', 'Only admins may change roles.');
    }
    const reason = reasonText(input.reason, 'reason', 500);
    const siteIds = input.siteIds && [...new Set(input.siteIds)];
    for (const siteId of siteIds ?? []) {
      if (!inScope(moderator.scope, siteId) || !(await siteExists(siteId))) {
        throw new ParleyError('SITE_NOT_FOUND', `There is no site ${siteId}.`);
      }
    }
    const message =
      kind === 'warn'
        ? checkText(input.message ?? '', { field: 'message', maxLength: 1000, multiline: true })
        : null;

    const result = await this.store.db.transaction().execute(async (trx) => {
      const before = await lockUserState(trx, userId);
      if (!before) throw new ParleyError('USER_NOT_FOUND', 'That user does not exist.');
      if ((before.role === 'admin' || before.role === 'moderator') && actor.role !== 'admin') {
        throw new ParleyError('FORBIDDEN', 'Only admins may act on moderators and admins.');
      }
      if (ACCOUNT_WIDE.has(kind)) await requireReach(trx, moderator, userId);
      const now = new Date();
      let after: UserState;
      switch (kind) {
        case 'warn':
          after = { ...before, warning: message, warningAcknowledgedAt: null };
          break;
        case 'suspend':
          after = {
            ...before,
            suspendedUntil: new Date(now.getTime() + (input.hours ?? 24) * 3_600_000).toISOString(),
            suspendReason: reason,
          };
          break;
        case 'unsuspend':
          after = { ...before, suspendedUntil: null, suspendReason: null };
          break;
        case 'ban':
          after = {
            ...before,
            ...this.banned(moderator, before, siteIds),
            // A ban that was already in place keeps its reason unless a new one is given.
            banReason: reason ?? (before.bannedAt !== null ? before.banReason : null),
          };
          break;
        case 'unban':
          after = { ...before, ...this.unbanned(moderator, before) };
          break;
        case 'premoderate':
          after = { ...before, alwaysPremoderate: input.on ?? true };
          break;
        case 'role':
          after = {
            ...before,
            role: input.role ?? before.role,
            moderatorSiteIds: input.role === 'moderator' ? (siteIds ?? null) : null,
          };
          break;
      }
      await writeUserState(trx, userId, after);
      // The sites a ban newly covers tell their webhooks (src/webhooks/events.ts says which).
      await announceBan(trx, userId, before, after);
      const id = await insertAction(trx, {
        actorId: actor.id,
        action: `user.${kind}`,
        siteId: null,
        commentId: null,
        userId,
        reason: kind === 'warn' ? message : reason,
        before,
        after,
        undoable: true,
      });
      return { id, undoable: true, storyId: null };
    });
    this.accountChanged(userId);
    return result;
  }

  /** A reply is published only under a published parent (readers could not see it otherwise). */
  private async requireShownParent(trx: Db, parentId: string | null): Promise<void> {
    if (parentId !== null && !(await isLivePublished(trx, parentId))) {
      throw new ParleyError(
        'COMMENT_NOT_PUBLISHED',
        'This reply answers a comment that is not published; publish that one first.',
      );
    }
  }

  /**
   * A ban on the given sites (none: every site the moderator covers). A moderator of some sites
   * adds theirs to any ban already in place; a ban everywhere stays everywhere.
   */
  private banned(
    moderator: Moderator,
    before: UserState,
    siteIds: string[] | undefined,
  ): Pick<UserState, 'bannedAt' | 'bannedSiteIds'> {
    const bannedAt = before.bannedAt ?? new Date().toISOString();
    const everywhere = before.bannedAt !== null && before.bannedSiteIds === null;
    if (moderator.scope === null) {
      return { bannedAt, bannedSiteIds: siteIds ?? null };
    }
    if (everywhere) return { bannedAt, bannedSiteIds: null };
    const adding = siteIds ?? moderator.scope;
    const current = before.bannedAt === null ? [] : (before.bannedSiteIds ?? []);
    return { bannedAt, bannedSiteIds: [...new Set([...current, ...adding])] };
  }

  /** Lifts the ban on the sites the moderator covers (every site for a moderator of all). */
  private unbanned(
    moderator: Moderator,
    before: UserState,
  ): Pick<UserState, 'bannedAt' | 'bannedSiteIds' | 'banReason'> {
    const lifted = { bannedAt: null, bannedSiteIds: null, banReason: null };
    if (moderator.scope === null || before.bannedAt === null) return lifted;
    const scope = moderator.scope;
    if (before.bannedSiteIds === null) {
      throw new ParleyError(
        'FORBIDDEN',
        'This ban covers every site; only a moderator of every site can lift it.',
      );
    }
    const remaining = before.bannedSiteIds.filter((id) => !scope.includes(id));
    return remaining.length === 0
      ? lifted
      : { bannedAt: before.bannedAt, bannedSiteIds: remaining, banReason: before.banReason };
  }

  async addNote(moderator: Moderator, userId: string, text: string): Promise<string> {
    const checked = checkText(text, { field: 'text', maxLength: 2000, multiline: true });
    return this.store.db.transaction().execute(async (trx) => {
      const user = await lockUserState(trx, userId);
      if (!user) throw new ParleyError('USER_NOT_FOUND', 'That user does not exist.');
      // Notes are read by the moderators of every site the reader writes on.
      await requireReach(trx, moderator, userId);
      const id = await insertNote(trx, { userId, authorId: moderator.user.id, text: checked });
      await insertAction(trx, {
        actorId: moderator.user.id,
        action: 'user.note',
        siteId: null,
        commentId: null,
        userId,
        reason: null,
        before: null,
        after: { noteId: id, text: checked },
        undoable: false,
      });
      return id;
    });
  }

  /** Puts back what an action changed, and logs the undo as an action of its own. */
  async undo(moderator: Moderator, actionId: string): Promise<ActionResult> {
    let events: LiveEvent[] = [];
    const result = await this.store.db.transaction().execute(async (trx) => {
      const action = await lockAction(trx, actionId);
      if (!action || (action.siteId !== null && !inScope(moderator.scope, action.siteId))) {
        throw new ParleyError('ACTION_NOT_FOUND', 'That action does not exist.');
      }
      if (action.undoneAt !== null) {
        throw new ParleyError('ALREADY_UNDONE', 'That action has already been undone.');
      }
      if (!action.undoable) {
        throw new ParleyError('NOT_UNDOABLE', 'That action cannot be undone.');
      }
      // An appeal reviewed this decision: the review, not an undo, is the last word on it.
      if (await reviewedByAppeal(trx, action.id)) {
        throw new ParleyError(
          'APPEAL_REVIEWED',
          'An appeal of this decision has been reviewed; the decision cannot be undone.',
        );
      }
      if (await laterActionExists(trx, action)) {
        throw new ParleyError(
          'ACTION_SUPERSEDED',
          'Something was done here since; undo the later action first.',
        );
      }
      let storyId: string | null = null;
      let current: unknown;
      if (action.commentId !== null) {
        const state = await lockCommentState(trx, action.commentId);
        const expected = action.after as CommentState;
        if (!state || state.deleted || statesDiffer(state, expected)) {
          throw new ParleyError(
            'ACTION_SUPERSEDED',
            'The comment has changed since; undo the later action first.',
          );
        }
        const before = action.before as CommentState;
        const after = action.after as CommentState;
        if (before.status === 'approved' && state.status !== 'approved') {
          await this.requireShownParent(trx, state.parentId);
        }
        // Reports that came in since the action stay open on top of those it had closed.
        const restored: CommentState = {
          ...before,
          openReports: before.openReports + Math.max(0, state.openReports - after.openReports),
        };
        await writeCommentState(trx, action.commentId, restored);
        const place = { storyId: state.storyId, threadParentId: state.threadParentId };
        if (state.status === 'approved' && restored.status !== 'approved') {
          await moveCounts(trx, place, -1);
        } else if (state.status !== 'approved' && restored.status === 'approved') {
          await moveCounts(trx, place, +1);
        }
        events = await recordCommentChange(trx, action.commentId, {
          status: state.status,
          deleted: false,
          featured: state.featured,
        });
        storyId = state.storyId;
        current = {
          status: state.status,
          featured: state.featured,
          reviewedAt: state.reviewedAt,
          openReports: state.openReports,
          rejection: state.rejection,
        };
      } else if (action.userId !== null) {
        // An undo acts on the account as much as the action did: the same rules apply.
        const actor = moderator.user;
        if (action.action === 'user.role' && actor.role !== 'admin') {
          throw new ParleyError('FORBIDDEN', 'Only admins may change roles.');
        }
        if (action.userId === actor.id) {
          throw new ParleyError('FORBIDDEN', 'You cannot do this to your own account.');
        }
        const state = await lockUserState(trx, action.userId);
        const restored = action.before as UserState;
        if (
          state &&
          actor.role !== 'admin' &&
          [state.role, restored.role].some((role) => role === 'admin' || role === 'moderator')
        ) {
          throw new ParleyError('FORBIDDEN', 'Only admins may act on moderators and admins.');
        }
        if (state && !banChangeWithin(moderator.scope, state, restored)) {
          throw new ParleyError(
            'FORBIDDEN',
            'Undoing this would change a ban on sites you do not moderate.',
          );
        }
        if (state && accountWideChange(state, restored)) {
          await requireReach(trx, moderator, action.userId);
        }
        if (!state || JSON.stringify(state) !== JSON.stringify(action.after)) {
          throw new ParleyError(
            'ACTION_SUPERSEDED',
            'The account has changed since; undo the later action first.',
          );
        }
        await writeUserState(trx, action.userId, restored);
        await announceBan(trx, action.userId, state, restored);
        current = state;
      } else {
        throw new ParleyError('NOT_UNDOABLE', 'That action cannot be undone.');
      }
      await markUndone(trx, action.id);
      if (action.commentId !== null) {
        await closeMootAppeals(trx, action.commentId, moderator.user.id);
      }
      const id = await insertAction(trx, {
        actorId: moderator.user.id,
        action: `${action.action}.undo`,
        siteId: action.siteId,
        commentId: action.commentId,
        userId: action.userId,
        reason: `undo ${action.id}`,
        before: current,
        after: action.before,
        undoable: false,
      });
      return {
        id,
        undoable: false,
        storyId,
        userId: action.commentId === null ? action.userId : null,
      };
    });
    if (result.storyId) this.storyChanged(result.storyId);
    if (result.userId) this.accountChanged(result.userId);
    publishLive(this.store, events);
    return result;
  }
}
