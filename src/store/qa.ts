/**
 * SQL for Q&A (docs/qa.md, migration 0010): a story's mode and experts, the site's Q&A sections,
 * readers' votes on questions, the two tabs of questions (range scans on the partial indexes of
 * 0010) and the answers under them.
 *
 * A question is a published top-level comment of a Q&A story; an answer a reply to it marked
 * `qa_answer` (by the dispatcher's Q&A consumer, src/notify/qa.ts, when its author answers for
 * the site then: answersForSite); `answered_at` is the time of the question's first published
 * answer.
 */
import { sql, type Kysely } from 'kysely';
import { isSiteStaff } from '../domain/moderation/scope.ts';
import type { Database, StoryMode } from './schema.ts';
import { readPage } from './comments.ts';
import { takesRowLocks } from './db.ts';
import { toggleMark } from './marks.ts';
import {
  isBannedOn,
  toIso,
  userFromRow,
  type CommentRecord,
  type Story,
  type StoryExpert,
  type User,
} from './rows.ts';

type Db = Kysely<Database>;

const flag = (db: Db, value: boolean) =>
  takesRowLocks(db)
    ? sql<number>`${sql.raw(value ? 'true' : 'false')}`
    : sql<number>`${value ? 1 : 0}`;

// ---------------------------------------------------------------------------------------------
// Stories and experts

/**
 * Whether the user answers a site's questions now: one of its staff (isSiteStaff: not erased),
 * and not banned on it. Asked of the account as it is at each check (a role taken away or a ban
 * ends it at once), never of what it was when named an expert.
 */
export function answersForSite(user: User, siteId: string): boolean {
  return isSiteStaff(user, siteId) && !isBannedOn(user, siteId);
}

/** Of these accounts, those who answer the site's questions now (answersForSite), read afresh. */
export async function readAnswerers(
  db: Db,
  siteId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
  return new Set(
    rows
      .map(userFromRow)
      .filter((user) => answersForSite(user, siteId))
      .map((user) => user.id),
  );
}

/** Whether this account answers the site's questions now (its row read at the time of asking). */
export async function answersNow(db: Db, siteId: string, userId: string): Promise<boolean> {
  return (await readAnswerers(db, siteId, [userId])).has(userId);
}

/**
 * A story's experts, in the order they were named (erased accounts left out). With `siteId`, only
 * those who answer for that site now (answersForSite): a journalist demoted or banned since is not
 * listed, though their naming is kept (it shows again if they are made staff again).
 */
export async function readStoryExperts(
  db: Db,
  storyId: string,
  siteId?: string,
): Promise<StoryExpert[]> {
  const rows = await db
    .selectFrom('story_experts as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .selectAll('u')
    .select(['e.title', 'e.created_at as named_at'])
    .where('e.story_id', '=', storyId)
    .where('u.deleted_at', 'is', null)
    .orderBy('e.created_at')
    .orderBy('u.id')
    .execute();
  return rows
    .filter((row) => siteId === undefined || answersForSite(userFromRow(row), siteId))
    .map((row) => ({
      id: row.id,
      displayName: row.display_name,
      avatarUrl: row.avatar_url,
      title: row.title,
    }));
}

/** The story with its experts who answer now, when it is a Q&A (other stories cost no query). */
export async function withExperts(db: Db, story: Story): Promise<Story> {
  if (story.mode !== 'qa') return story;
  return { ...story, experts: await readStoryExperts(db, story.id, story.siteId) };
}

/** The same, named as a read for the routes (src/server may import reads only). */
export const readStoryWithExperts = withExperts;

/**
 * Forgets the account's namings as an expert (erasure); answers the stories that listed them, for
 * the caches.
 */
export async function removeUserExpertships(trx: Db, userId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('story_experts')
    .select('story_id')
    .where('user_id', '=', userId)
    .execute();
  await trx.deleteFrom('story_experts').where('user_id', '=', userId).execute();
  return rows.map((row) => row.story_id);
}

/** Locks the story's row (PostgreSQL) and reads its Q&A state, for a change. */
export async function lockStoryQa(trx: Db, storyId: string) {
  let query = trx
    .selectFrom('stories')
    .select(['id', 'site_id', 'mode', 'qa_open'])
    .where('id', '=', storyId);
  if (takesRowLocks(trx)) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return (
    row && {
      id: row.id,
      siteId: row.site_id,
      mode: row.mode,
      open: row.qa_open === true || row.qa_open === 1,
    }
  );
}

export async function writeStoryQa(
  trx: Db,
  storyId: string,
  state: { mode: StoryMode; open: boolean },
): Promise<void> {
  await trx
    .updateTable('stories')
    .set({ mode: state.mode, qa_open: state.open ? 1 : 0 })
    .where('id', '=', storyId)
    .execute();
}

/** Replaces a story's experts (keeping when those already named were named). */
export async function replaceStoryExperts(
  trx: Db,
  storyId: string,
  experts: { userId: string; title: string | null }[],
): Promise<void> {
  const ids = experts.map((e) => e.userId);
  let removal = trx.deleteFrom('story_experts').where('story_id', '=', storyId);
  if (ids.length > 0) removal = removal.where('user_id', 'not in', ids);
  await removal.execute();
  const now = new Date().toISOString();
  for (const expert of experts) {
    await trx
      .insertInto('story_experts')
      .values({ story_id: storyId, user_id: expert.userId, title: expert.title, created_at: now })
      .onConflict((oc) => oc.columns(['story_id', 'user_id']).doUpdateSet({ title: expert.title }))
      .execute();
  }
}

// ---------------------------------------------------------------------------------------------
// The site's Q&A sections

export async function readQaSections(db: Db, siteId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('qa_sections')
    .select('section')
    .where('site_id', '=', siteId)
    .orderBy('section')
    .execute();
  return rows.map((row) => row.section);
}

export async function isQaSection(db: Db, siteId: string, section: string): Promise<boolean> {
  const row = await db
    .selectFrom('qa_sections')
    .select('section')
    .where('site_id', '=', siteId)
    .where('section', '=', section)
    .executeTakeFirst();
  return row !== undefined;
}

export async function replaceQaSections(
  trx: Db,
  siteId: string,
  sections: string[],
): Promise<void> {
  await trx.deleteFrom('qa_sections').where('site_id', '=', siteId).execute();
  if (sections.length === 0) return;
  await trx
    .insertInto('qa_sections')
    .values(sections.map((section) => ({ site_id: siteId, section })))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Votes

/**
 * Adds or takes back a reader's vote; answers the question's count afterwards and whether it
 * changed. Inside the caller's transaction.
 */
export async function setQuestionVote(
  trx: Db,
  commentId: string,
  userId: string,
  voted: boolean,
): Promise<{ votes: number; changed: boolean }> {
  const changed = await toggleMark(trx, 'question_votes', commentId, userId, voted);
  const row = await trx
    .selectFrom('comments')
    .select('vote_count')
    .where('id', '=', commentId)
    .executeTakeFirstOrThrow();
  return { votes: row.vote_count, changed };
}

/** Which of these questions the reader voted for. */
export async function readViewerVotes(
  db: Db,
  userId: string,
  commentIds: string[],
): Promise<Set<string>> {
  if (commentIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('question_votes')
    .select('comment_id')
    .where('user_id', '=', userId)
    .where('comment_id', 'in', commentIds)
    .execute();
  return new Set(rows.map((row) => row.comment_id));
}

/**
 * A page of the reader's votes (the data export), by question id: the question and its story, not
 * its text (the question is someone else's words).
 */
export async function exportQuestionVotesPage(
  db: Db,
  userId: string,
  afterCommentId: string | null,
  limit: number,
) {
  let q = db
    .selectFrom('question_votes as v')
    .innerJoin('comments as c', 'c.id', 'v.comment_id')
    .select(['v.comment_id', 'c.story_id', 'v.created_at'])
    .where('v.user_id', '=', userId);
  if (afterCommentId) q = q.where('v.comment_id', '>', afterCommentId);
  return q.orderBy('v.comment_id').limit(limit).execute();
}

/**
 * Takes away every vote of a reader (erasure), lowering the counts; answers the questions changed
 * with their story, for the caches and live pages.
 */
export async function removeUserVotes(
  trx: Db,
  userId: string,
): Promise<{ commentId: string; storyId: string }[]> {
  const rows = await trx
    .selectFrom('question_votes as v')
    .innerJoin('comments as c', 'c.id', 'v.comment_id')
    .select(['v.comment_id', 'c.story_id'])
    .where('v.user_id', '=', userId)
    .execute();
  for (const row of rows) {
    await trx
      .updateTable('comments')
      .set({ vote_count: sql`case when vote_count > 0 then vote_count - 1 else 0 end` })
      .where('id', '=', row.comment_id)
      .execute();
  }
  await trx.deleteFrom('question_votes').where('user_id', '=', userId).execute();
  return rows.map((row) => ({ commentId: row.comment_id, storyId: row.story_id }));
}

// ---------------------------------------------------------------------------------------------
// Questions and answers

export type QuestionTab = 'answered' | 'unanswered';

/** Where a page of a tab ends: the sort key and id of its last question. */
export interface QuestionCursor {
  tab: QuestionTab;
  /** Votes (unanswered) or the answer time in epoch ms (answered). */
  key: number;
  id: string;
}

export interface Question {
  comment: CommentRecord;
  votes: number;
  answeredAt: string | null;
}

/**
 * A page of a tab: unanswered questions by votes then newest, answered ones by when they were
 * answered, newest first. The page is chosen from the comments table alone (its partial index),
 * then read with its authors.
 */
export async function listQuestions(
  db: Db,
  input: { storyId: string; tab: QuestionTab; cursor: QuestionCursor | null; limit: number },
): Promise<{ questions: Question[]; next: QuestionCursor | null }> {
  const { storyId, tab, cursor, limit } = input;
  let q = db
    .selectFrom('comments')
    .select(['id', 'vote_count', 'answered_at'])
    .where('story_id', '=', storyId)
    .where('parent_id', 'is', null)
    .where('status', '=', 'approved')
    .where('deleted_at', 'is', null);
  if (tab === 'unanswered') {
    q = q.where('answered_at', 'is', null);
    if (cursor) {
      const { key, id } = cursor;
      q = q.where((eb) =>
        eb.or([
          eb('vote_count', '<', key),
          eb.and([eb('vote_count', '=', key), eb('id', '<', id)]),
        ]),
      );
    }
    q = q.orderBy('vote_count', 'desc').orderBy('id', 'desc');
  } else {
    q = q.where('answered_at', 'is not', null);
    if (cursor) {
      const at = new Date(cursor.key).toISOString();
      const { id } = cursor;
      q = q.where((eb) =>
        eb.or([
          eb('answered_at', '<', at),
          eb.and([eb('answered_at', '=', at), eb('id', '<', id)]),
        ]),
      );
    }
    q = q.orderBy('answered_at', 'desc').orderBy('id', 'desc');
  }
  const keys = await q.limit(limit + 1).execute();
  const more = keys.length > limit;
  const page = keys.slice(0, limit);
  if (page.length === 0) return { questions: [], next: null };
  const records = await readPage(
    db,
    db
      .selectFrom('comments')
      .selectAll()
      .where(
        'id',
        'in',
        page.map((k) => k.id),
      ),
  );
  const byId = new Map(records.map((r) => [r.id, r]));
  const questions: Question[] = [];
  for (const k of page) {
    const comment = byId.get(k.id);
    if (comment) {
      questions.push({ comment, votes: k.vote_count, answeredAt: toIso(k.answered_at) });
    }
  }
  const last = page[page.length - 1];
  const next: QuestionCursor | null =
    more && last
      ? {
          tab,
          key: tab === 'unanswered' ? last.vote_count : Date.parse(toIso(last.answered_at) ?? ''),
          id: last.id,
        }
      : null;
  return { questions, next };
}

/** The published answers of these questions, oldest first, by question. */
export async function listAnswers(
  db: Db,
  questionIds: string[],
): Promise<Map<string, CommentRecord[]>> {
  const answers = new Map<string, CommentRecord[]>();
  if (questionIds.length === 0) return answers;
  const records = await readPage(
    db,
    db
      .selectFrom('comments')
      .selectAll()
      .where('parent_id', 'in', questionIds)
      .where('qa_answer', '=', flag(db, true))
      .where('status', '=', 'approved')
      .where('deleted_at', 'is', null),
  );
  records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const record of records) {
    const list = answers.get(record.parentId ?? '') ?? [];
    list.push(record);
    answers.set(record.parentId ?? '', list);
  }
  return answers;
}

/** A question's votes and answer time (any comment: the caller checks it is a question). */
export async function readQuestionState(
  db: Db,
  commentId: string,
): Promise<{ votes: number; answeredAt: string | null } | undefined> {
  const row = await db
    .selectFrom('comments')
    .select(['vote_count', 'answered_at'])
    .where('id', '=', commentId)
    .executeTakeFirst();
  return row && { votes: row.vote_count, answeredAt: toIso(row.answered_at) };
}

export async function isMarkedAnswer(db: Db, commentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('comments')
    .select('qa_answer')
    .where('id', '=', commentId)
    .executeTakeFirst();
  return row !== undefined && (row.qa_answer === true || row.qa_answer === 1);
}

export async function markAnswer(trx: Db, commentId: string): Promise<void> {
  await trx.updateTable('comments').set({ qa_answer: 1 }).where('id', '=', commentId).execute();
}

/**
 * Sets a question's `answered_at` from its published answers (the first one's time; null when
 * none is left). Answers the time before and after.
 */
export async function refreshAnswered(
  trx: Db,
  questionId: string,
): Promise<{ before: string | null; after: string | null }> {
  const current = await trx
    .selectFrom('comments')
    .select('answered_at')
    .where('id', '=', questionId)
    .executeTakeFirst();
  if (!current) return { before: null, after: null };
  const first = await trx
    .selectFrom('comments')
    .select('created_at')
    .where('parent_id', '=', questionId)
    .where('qa_answer', '=', flag(trx, true))
    .where('status', '=', 'approved')
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  const before = toIso(current.answered_at);
  const after = first ? toIso(first.created_at) : null;
  if (before !== after) {
    await trx
      .updateTable('comments')
      .set({ answered_at: after })
      .where('id', '=', questionId)
      .execute();
  }
  return { before, after };
}

/**
 * Takes the section read from a story's page (the metadata job), unless the story has one (the
 * widget's); a story still without comments whose section is one of its site's Q&A sections
 * becomes a Q&A. Answers whether it did.
 */
export async function adoptScrapedSection(
  db: Db,
  storyId: string,
  section: string,
): Promise<boolean> {
  await db
    .updateTable('stories')
    .set({ section })
    .where('id', '=', storyId)
    .where('section', 'is', null)
    .execute();
  const result = await db
    .updateTable('stories')
    .set({ mode: 'qa' })
    .where('id', '=', storyId)
    .where('section', '=', section)
    .where('mode', '=', 'comments')
    .where('comment_count', '=', 0)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('qa_sections')
          .select('section')
          .whereRef('qa_sections.site_id', '=', 'stories.site_id')
          .where('qa_sections.section', '=', section),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Unmarks the answered time of a story's questions left with no published answer. */
export async function clearOrphanedAnswers(trx: Db, storyId: string): Promise<number> {
  const result = await trx
    .updateTable('comments')
    .set({ answered_at: null })
    .where('story_id', '=', storyId)
    .where('parent_id', 'is', null)
    .where('answered_at', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('comments as a')
            .select('a.id')
            .whereRef('a.parent_id', '=', 'comments.id')
            .where('a.qa_answer', '=', flag(trx, true))
            .where('a.status', '=', 'approved')
            .where('a.deleted_at', 'is', null),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A story's mode (undefined: no such story). */
export async function storyMode(db: Db, storyId: string): Promise<StoryMode | undefined> {
  const row = await db
    .selectFrom('stories')
    .select('mode')
    .where('id', '=', storyId)
    .executeTakeFirst();
  return row?.mode;
}
