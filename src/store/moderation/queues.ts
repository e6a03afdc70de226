/**
 * The moderation queues, each a range scan on one of the queue indexes of migration 0002: a queue
 * a page at a time and how many comments wait in each; and search, by text, author, status and
 * date, within the same filters.
 */
import { sql, type Kysely } from 'kysely';
import { idFloor } from '../../domain/ids.ts';
import { QUEUES, type Queue } from '../../domain/vocabulary.ts';
import { openStandingAppeal } from '../appeals.ts';
import type { CommentsQuery } from '../comments.ts';
import { featuredFlag } from '../db.ts';
import type { CommentStatus, Database } from '../schema.ts';
import { likePattern, scoped, type QueueFilter } from './filters.ts';
import { readPage, type ModerationRecord } from './records.ts';

type Db = Kysely<Database>;

/**
 * A notice of illegal content not yet decided: made after the comment's last review (an undone
 * decision puts the review time back, and the notice with it).
 */
const openIllegalNotice = sql<boolean>`exists (select 1 from reports r
  where r.comment_id = comments.id and r.reason = 'illegal'
  and (comments.reviewed_at is null or r.created_at > comments.reviewed_at))`;

/** The ids of Q&A stories (docs/qa.md), read through their partial index. */
const qaStories = (db: Db) => db.selectFrom('stories').select('id').where('mode', '=', 'qa');

/** The comments in a queue, before paging. Pending and reported are worked from the oldest. */
function queueQuery(db: Db, queue: Queue, filter: QueueFilter): CommentsQuery {
  let q = db.selectFrom('comments').selectAll();
  switch (queue) {
    case 'pending':
    case 'rejected':
      q = q.where('status', '=', queue);
      break;
    case 'approved':
      q = q.where('status', '=', 'approved').where('deleted_at', 'is', null);
      break;
    case 'reported':
    case 'illegal':
      q = q
        .where('open_reports', '>', 0)
        .where('status', '=', 'approved')
        .where('deleted_at', 'is', null)
        // Notices of illegal content have their queue: a comment is in one of the two.
        .where(queue === 'illegal' ? openIllegalNotice : sql<boolean>`not ${openIllegalNotice}`);
      break;
    case 'appeals':
      // Open appeals whose decision still stands (not undone, replaced, or the comment deleted).
      q = q.where(openStandingAppeal);
      break;
    case 'unmoderated':
      q = q
        .where('reviewed_at', 'is', null)
        .where('status', '=', 'approved')
        .where('deleted_at', 'is', null);
      break;
    case 'featured':
      q = q.where('featured', '=', featuredFlag(db)).where('deleted_at', 'is', null);
      break;
    case 'questions':
      // Held questions: top-level comments of Q&A stories awaiting review.
      q = q
        .where('status', '=', 'pending')
        .where('parent_id', 'is', null)
        .where('story_id', 'in', qaStories(db));
      break;
    case 'unanswered':
      // Published questions no expert has answered yet.
      q = q
        .where('status', '=', 'approved')
        .where('deleted_at', 'is', null)
        .where('parent_id', 'is', null)
        .where('answered_at', 'is', null)
        .where('story_id', 'in', qaStories(db));
      break;
  }
  return scoped(q, filter);
}

const oldestFirst = (queue: Queue): boolean =>
  queue === 'pending' ||
  queue === 'reported' ||
  queue === 'illegal' ||
  queue === 'appeals' ||
  queue === 'questions';

export async function listQueue(
  db: Db,
  queue: Queue,
  filter: QueueFilter,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ records: ModerationRecord[]; nextCursor: string | null }> {
  const ascending = oldestFirst(queue);
  let q = queueQuery(db, queue, filter);
  if (page.cursor) q = q.where('id', ascending ? '>' : '<', page.cursor);
  q = q.orderBy('id', ascending ? 'asc' : 'desc').limit(page.limit + 1);
  return readPage(db, q, page.limit, ascending);
}

export async function queueCounts(db: Db, filter: QueueFilter): Promise<Record<Queue, number>> {
  const counts = await Promise.all(
    QUEUES.map(async (queue) => {
      const row = await db
        .selectFrom(queueQuery(db, queue, filter).as('q'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return [queue, Number(row.n)] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<Queue, number>;
}

export interface SearchFilter extends QueueFilter {
  q?: string | undefined;
  authorId?: string | undefined;
  author?: string | undefined;
  status?: CommentStatus | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/**
 * Comments matching every given filter, newest first. Dates bound the id range (ids are time
 * ordered), so a dated search reads only that stretch of the table; text is a substring match.
 */
export async function searchComments(
  db: Db,
  filter: SearchFilter,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ records: ModerationRecord[]; nextCursor: string | null }> {
  let q = scoped(db.selectFrom('comments').selectAll(), filter);
  if (filter.q) q = q.where(sql<string>`lower(body)`, 'like', likePattern(filter.q));
  if (filter.authorId) q = q.where('author_id', '=', filter.authorId);
  if (filter.author) {
    const pattern = likePattern(filter.author);
    q = q.where('author_id', 'in', (eb) =>
      eb
        .selectFrom('users')
        .select('id')
        .where(sql<string>`lower(display_name)`, 'like', pattern),
    );
  }
  if (filter.status) q = q.where('status', '=', filter.status);
  else q = q.where('status', '!=', 'deleted');
  if (filter.from) q = q.where('id', '>=', idFloor(filter.from.getTime()));
  if (filter.to) q = q.where('id', '<', idFloor(filter.to.getTime() + 1));
  if (page.cursor) q = q.where('id', '<', page.cursor);
  return readPage(db, q.orderBy('id', 'desc').limit(page.limit + 1), page.limit, false);
}
