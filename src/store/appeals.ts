/**
 * SQL for the Digital Services Act (docs/dsa.md): authors' appeals of decisions on their comments,
 * the notices of illegal content shown to moderators, and the figures of the transparency report.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { idFloor, newId } from '../domain/ids.ts';
import type { AppealState, AppealTable, Database } from './schema.ts';
import { toFlag, toIso } from './rows.ts';

type Db = Kysely<Database>;

/** Audit log actions that take a comment down: the decisions an author may appeal. */
export const APPEALABLE_ACTIONS = ['comment.reject', 'pipeline.reject'] as const;

export interface AppealRecord {
  id: string;
  siteId: string;
  commentId: string;
  decisionId: string;
  /** Who made the decision appealed (null: the pipeline). */
  decidedBy: string | null;
  authorId: string;
  text: string;
  createdAt: string;
  state: AppealState;
  reviewerId: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}

type AppealRow = Selectable<AppealTable>;

function appealFromRow(row: AppealRow): AppealRecord {
  return {
    id: row.id,
    siteId: row.site_id,
    commentId: row.comment_id,
    decisionId: row.decision_id,
    decidedBy: row.decided_by,
    authorId: row.author_id,
    text: row.text,
    createdAt: toIso(row.created_at),
    state: row.state,
    reviewerId: row.reviewer_id,
    reviewedAt: toIso(row.reviewed_at),
    reviewNote: row.review_note,
  };
}

/** The audit log actions that set a comment's status: the latest not undone is what stands. */
const STATUS_DECISIONS = [
  ...APPEALABLE_ACTIONS,
  'comment.approve',
  'pipeline.approve',
  'pipeline.hold',
] as const;

/** The decision that took the comment down and still stands (not undone), if any. */
export async function standingRemoval(
  db: Db,
  commentId: string,
): Promise<{ id: string; actorId: string | null } | undefined> {
  const row = await db
    .selectFrom('moderation_actions')
    .select(['id', 'actor_id', 'action'])
    .where('comment_id', '=', commentId)
    .where('undone_at', 'is', null)
    .where('action', 'in', [...STATUS_DECISIONS])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || !(APPEALABLE_ACTIONS as readonly string[]).includes(row.action)) return undefined;
  return { id: row.id, actorId: row.actor_id };
}

/**
 * Whether the decision an appeal is about still stands: the comment is not deleted, is rejected,
 * and that decision is the latest on its status, not undone. An appeal of a decision that no
 * longer stands has nothing left to decide (it is closed as moot).
 */
export async function decisionStands(
  db: Db,
  appeal: Pick<AppealRecord, 'commentId' | 'decisionId'>,
): Promise<boolean> {
  const comment = await db
    .selectFrom('comments')
    .select(['status', 'deleted_at'])
    .where('id', '=', appeal.commentId)
    .executeTakeFirst();
  if (!comment || comment.deleted_at !== null || comment.status !== 'rejected') return false;
  return (await standingRemoval(db, appeal.commentId))?.id === appeal.decisionId;
}

/** The same as decisionStands, in SQL, for the appeals queue (`comments` is the outer table). */
export const openStandingAppeal = sql<boolean>`(comments.status = 'rejected'
  and comments.deleted_at is null
  and exists (select 1 from appeals a
    inner join moderation_actions d on d.id = a.decision_id
    where a.comment_id = comments.id and a.state = 'open' and d.undone_at is null
    and not exists (select 1 from moderation_actions l
      where l.comment_id = comments.id and l.id > d.id and l.undone_at is null
      and l.action in (${sql.join([...STATUS_DECISIONS])}))))`;

/** Whether an appeal was decided (upheld or reversed) about this audit log entry. */
export async function reviewedByAppeal(db: Db, decisionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('appeals')
    .select('id')
    .where('decision_id', '=', decisionId)
    .where('state', 'in', ['upheld', 'reversed'])
    .executeTakeFirst();
  return row !== undefined;
}

/** The comment's open appeals whose decision no longer stands (to be closed as moot). */
export async function mootAppealsOf(db: Db, commentId: string): Promise<AppealRecord[]> {
  const rows = await db
    .selectFrom('appeals')
    .selectAll()
    .where('comment_id', '=', commentId)
    .where('state', '=', 'open')
    .execute();
  const moot: AppealRecord[] = [];
  for (const row of rows) {
    const appeal = appealFromRow(row);
    if (!(await decisionStands(db, appeal))) moot.push(appeal);
  }
  return moot;
}

/** Closes an appeal undecided: its decision no longer stands. */
export async function closeMoot(trx: Db, id: string): Promise<void> {
  await trx
    .updateTable('appeals')
    .set({ state: 'moot', reviewed_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .execute();
}

/** Records an appeal; false when this decision was appealed already. */
export async function insertAppeal(
  db: Db,
  appeal: Pick<
    AppealRecord,
    'siteId' | 'commentId' | 'decisionId' | 'decidedBy' | 'authorId' | 'text'
  >,
): Promise<AppealRecord | undefined> {
  const row = await db
    .insertInto('appeals')
    .values({
      id: newId(),
      site_id: appeal.siteId,
      comment_id: appeal.commentId,
      decision_id: appeal.decisionId,
      decided_by: appeal.decidedBy,
      author_id: appeal.authorId,
      text: appeal.text,
      created_at: new Date().toISOString(),
      state: 'open',
    })
    .onConflict((oc) => oc.column('decision_id').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && appealFromRow(row);
}

export async function getAppeal(db: Db, id: string): Promise<AppealRecord | undefined> {
  const row = await db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();
  return row && appealFromRow(row);
}

/** Locks the appeal for this transaction (PostgreSQL row lock; SQLite holds the write lock). */
export async function lockAppeal(trx: Db, id: string): Promise<AppealRecord | undefined> {
  const row = await trx
    .updateTable('appeals')
    .set({ state: sql`state` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && appealFromRow(row);
}

export async function writeAppealReview(
  trx: Db,
  id: string,
  review: { state: Exclude<AppealState, 'open'>; reviewerId: string; note: string },
): Promise<void> {
  await trx
    .updateTable('appeals')
    .set({
      state: review.state,
      reviewer_id: review.reviewerId,
      reviewed_at: new Date().toISOString(),
      review_note: review.note,
    })
    .where('id', '=', id)
    .execute();
}

/** The latest appeal of each comment (open or decided), for the moderators' cards. */
export async function appealsOf(db: Db, commentIds: string[]): Promise<Map<string, AppealRecord>> {
  const latest = new Map<string, AppealRecord>();
  if (commentIds.length === 0) return latest;
  const rows = await db
    .selectFrom('appeals')
    .selectAll()
    .where('comment_id', 'in', commentIds)
    .orderBy('id', 'asc')
    .execute();
  for (const row of rows) latest.set(row.comment_id, appealFromRow(row));
  return latest;
}

/** The latest decided appeal of a comment: what its author's "appeal" notification tells. */
export async function decidedAppealOf(
  db: Db,
  commentId: string,
): Promise<AppealRecord | undefined> {
  const row = await db
    .selectFrom('appeals')
    .selectAll()
    .where('comment_id', '=', commentId)
    // A moot appeal was closed undecided: there is no outcome to tell.
    .where('state', 'in', ['upheld', 'reversed'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && appealFromRow(row);
}

export interface IllegalNotice {
  legalGround: string;
  explanation: string;
  reporterName: string | null;
  reporterEmail: string | null;
  goodFaith: boolean;
  createdAt: string;
}

/** The notices of illegal content on each comment, oldest first. */
export async function illegalNoticesOf(
  db: Db,
  commentIds: string[],
): Promise<Map<string, IllegalNotice[]>> {
  const byComment = new Map<string, IllegalNotice[]>();
  if (commentIds.length === 0) return byComment;
  const rows = await db
    .selectFrom('reports')
    .select([
      'comment_id',
      'legal_ground',
      'explanation',
      'reporter_name',
      'reporter_email',
      'good_faith',
      'created_at',
    ])
    .where('comment_id', 'in', commentIds)
    .where('reason', '=', 'illegal')
    .orderBy('id', 'asc')
    .execute();
  for (const row of rows) {
    const list = byComment.get(row.comment_id) ?? [];
    list.push({
      legalGround: row.legal_ground ?? '',
      explanation: row.explanation ?? '',
      reporterName: row.reporter_name,
      reporterEmail: row.reporter_email,
      goodFaith: row.good_faith !== null && toFlag(row.good_faith),
      createdAt: toIso(row.created_at),
    });
    byComment.set(row.comment_id, list);
  }
  return byComment;
}

// ---------------------------------------------------------------------------------------------
// The transparency report

/**
 * Decisions on comments, counted by one rule for people and the pipeline: every approval, hold,
 * rejection and deletion that was not undone.
 */
export const HUMAN_DECISIONS = ['comment.approve', 'comment.reject', 'comment.delete'] as const;
export const AUTOMATED_DECISIONS = [
  'pipeline.approve',
  'pipeline.hold',
  'pipeline.reject',
  'pipeline.delete',
] as const;
/** Restrictions of an account (Article 17): counted on their own, not as decisions on comments. */
export const RESTRICTIONS = ['user.suspend', 'user.ban'] as const;

export interface TransparencyFigures {
  reports: { reason: string; n: number }[];
  decisions: { action: string; reason: string | null; n: number }[];
  appeals: { state: AppealState; n: number }[];
  /** Suspensions and bans (not undone) of accounts that wrote on the site; a ban covering it. */
  restrictions: { action: string; n: number }[];
  /** Seconds from each report in the period to the first human decision on its comment after. */
  reportToDecision: number[];
  /** Seconds from each hold in the period to the first human decision on the held comment. */
  heldToDecision: number[];
  /** Reports and holds in the period not decided yet. */
  undecided: { reports: number; held: number };
}

/** Whether a ban's audit entry (its `after`, the account's state) covers the site. */
function banCovers(after: unknown, siteId: string): boolean {
  try {
    const state = (typeof after === 'string' ? JSON.parse(after) : after) as {
      bannedSiteIds?: string[] | null;
    } | null;
    const sites = state?.bannedSiteIds;
    return sites === null || sites === undefined || sites.includes(siteId);
  } catch {
    return false;
  }
}

const seconds = (from: string | Date, to: string | Date) =>
  Math.max(0, (new Date(to).getTime() - new Date(from).getTime()) / 1000);

/**
 * What happened on a site in [from, to): every table is read by id range (ids are time ordered),
 * so a year's report reads that year's rows and no others.
 */
export async function transparencyFigures(
  db: Db,
  siteId: string,
  from: Date,
  to: Date,
): Promise<TransparencyFigures> {
  const low = idFloor(from.getTime());
  const high = idFloor(to.getTime());
  const firstHumanDecision = (commentColumn: string, sinceColumn: string) =>
    sql<string | Date | null>`(select min(d.created_at) from moderation_actions d
      where d.comment_id = ${sql.ref(commentColumn)}
      and d.action in (${sql.join([...HUMAN_DECISIONS])})
      and d.undone_at is null
      and d.created_at >= ${sql.ref(sinceColumn)})`;

  const reports = await db
    .selectFrom('reports as r')
    .innerJoin('comments as c', 'c.id', 'r.comment_id')
    .select(['r.reason', (eb) => eb.fn.countAll<number>().as('n')])
    .where('c.site_id', '=', siteId)
    .where('r.id', '>=', low)
    .where('r.id', '<', high)
    .groupBy('r.reason')
    .execute();
  const decisions = await db
    .selectFrom('moderation_actions')
    .select(['action', 'reason', (eb) => eb.fn.countAll<number>().as('n')])
    .where('site_id', '=', siteId)
    .where('id', '>=', low)
    .where('id', '<', high)
    .where('action', 'in', [...HUMAN_DECISIONS, ...AUTOMATED_DECISIONS])
    .where('undone_at', 'is', null)
    .groupBy(['action', 'reason'])
    .execute();
  const appeals = await db
    .selectFrom('appeals')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('site_id', '=', siteId)
    .where('id', '>=', low)
    .where('id', '<', high)
    .groupBy('state')
    .execute();
  // Account-wide actions have no site: an account counts on the sites it wrote on, a ban on the
  // sites it covers (null: every site).
  const restrictionRows = await db
    .selectFrom('moderation_actions as m')
    .select(['m.action', 'm.after'])
    .where('m.id', '>=', low)
    .where('m.id', '<', high)
    .where('m.action', 'in', [...RESTRICTIONS])
    .where('m.undone_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('comments as w')
          .select('w.id')
          .whereRef('w.author_id', '=', 'm.user_id')
          .where('w.site_id', '=', siteId),
      ),
    )
    .execute();
  const restrictions = new Map<string, number>();
  for (const row of restrictionRows) {
    if (row.action === 'user.ban' && !banCovers(row.after, siteId)) continue;
    restrictions.set(row.action, (restrictions.get(row.action) ?? 0) + 1);
  }
  const reportTimes = await db
    .selectFrom('reports as r')
    .innerJoin('comments as c', 'c.id', 'r.comment_id')
    .select(['r.created_at', firstHumanDecision('r.comment_id', 'r.created_at').as('decided_at')])
    .where('c.site_id', '=', siteId)
    .where('r.id', '>=', low)
    .where('r.id', '<', high)
    .execute();
  const holdTimes = await db
    .selectFrom('moderation_actions as h')
    .select(['h.created_at', firstHumanDecision('h.comment_id', 'h.created_at').as('decided_at')])
    .where('h.site_id', '=', siteId)
    .where('h.id', '>=', low)
    .where('h.id', '<', high)
    .where('h.action', '=', 'pipeline.hold')
    .execute();
  const waits = (rows: { created_at: string | Date; decided_at: string | Date | null }[]) =>
    rows.flatMap((r) => (r.decided_at === null ? [] : [seconds(r.created_at, r.decided_at)]));
  return {
    reports: reports.map((r) => ({ reason: r.reason, n: Number(r.n) })),
    decisions: decisions.map((d) => ({ action: d.action, reason: d.reason, n: Number(d.n) })),
    appeals: appeals.map((a) => ({ state: a.state, n: Number(a.n) })),
    restrictions: [...restrictions].map(([action, n]) => ({ action, n })),
    reportToDecision: waits(reportTimes),
    heldToDecision: waits(holdTimes),
    undecided: {
      reports: reportTimes.filter((r) => r.decided_at === null).length,
      held: holdTimes.filter((r) => r.decided_at === null).length,
    },
  };
}
