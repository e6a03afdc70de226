/**
 * The live event log (see src/live/): each story's events numbered 1, 2, 3… in commit order. The
 * number comes from the story's `live_streams` row, whose update locks it until the transaction
 * ends, so a later number is never visible before an earlier one; a reader who has seen `n` of a
 * story has seen everything up to `n`.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, LiveEventTable } from './schema.ts';
import { toIso } from './rows.ts';

type Db = Kysely<Database>;

/**
 * In place of an event's data: the story's published comment count as the writing transaction
 * leaves it (`{ storyId, commentCount }`), which only the store can read at that moment.
 */
export const STORY_COUNT = Symbol('the story count');

export interface NewLiveEventRow {
  siteId: string;
  kind: string;
  audience: number;
  authorId: string | null;
  commentId: string | null;
  data: string | typeof STORY_COUNT;
}

export interface LiveEventRow extends NewLiveEventRow {
  storyId: string;
  seq: number;
  data: string;
  createdAt: string;
}

/** The data of a story's count event. */
export const storyCountData = (storyId: string, commentCount: number): string =>
  JSON.stringify({ storyId, commentCount });

function fromRow(row: Selectable<LiveEventTable>): LiveEventRow {
  return {
    storyId: row.story_id,
    seq: Number(row.seq),
    siteId: row.site_id,
    kind: row.kind,
    audience: row.audience,
    authorId: row.author_id,
    commentId: row.comment_id,
    data: row.data,
    createdAt: toIso(row.created_at),
  };
}

/**
 * Appends events to a story's stream inside the caller's transaction and returns them numbered.
 * Taking the numbers locks the story's stream row until that transaction ends.
 */
export async function appendLiveEvents(
  trx: Db,
  storyId: string,
  events: NewLiveEventRow[],
): Promise<LiveEventRow[]> {
  if (events.length === 0) return [];
  const n = events.length;
  const createdAt = new Date().toISOString();
  const { last_seq } = await trx
    .insertInto('live_streams')
    .values({ story_id: storyId, last_seq: n, last_event_at: createdAt })
    .onConflict((oc) =>
      oc
        .column('story_id')
        .doUpdateSet({ last_seq: sql`live_streams.last_seq + ${n}`, last_event_at: createdAt }),
    )
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  // The count is read once the sequence is taken: an event numbered later never carries an older
  // count than one numbered before it, even when the count changed in another transaction.
  let countData: string | undefined;
  if (events.some((event) => event.data === STORY_COUNT)) {
    countData = storyCountData(storyId, (await storyCommentCount(trx, storyId)) ?? 0);
  }
  const first = Number(last_seq) - n + 1;
  const rows = events.map((event, i) => ({
    story_id: storyId,
    seq: first + i,
    site_id: event.siteId,
    kind: event.kind,
    audience: event.audience,
    author_id: event.authorId,
    comment_id: event.commentId,
    data: event.data === STORY_COUNT ? (countData as string) : event.data,
    created_at: createdAt,
  }));
  await trx.insertInto('live_events').values(rows).execute();
  return rows.map((row) => ({
    storyId,
    seq: row.seq,
    siteId: row.site_id,
    kind: row.kind,
    audience: row.audience,
    authorId: row.author_id,
    commentId: row.comment_id,
    data: row.data,
    createdAt,
  }));
}

/**
 * Takes a comment's earlier events out of every replay (nobody receives them, their numbers stay
 * so that gaps are still seen): once a comment is removed, a reader catching up is not shown its
 * text only to have it taken away again.
 */
export async function silenceCommentEvents(
  trx: Db,
  storyId: string,
  commentId: string,
  beforeSeq: number,
): Promise<void> {
  await trx
    .updateTable('live_events')
    .set({ audience: 0, data: '{}' })
    .where('comment_id', '=', commentId)
    .where('story_id', '=', storyId)
    .where('seq', '<', beforeSeq)
    .where('kind', '!=', 'count')
    .where('audience', '!=', 0)
    .execute();
}

/** A story's events after `afterSeq`, oldest first. */
export async function readLiveEvents(
  db: Db,
  storyId: string,
  afterSeq: number,
  limit: number,
): Promise<LiveEventRow[]> {
  const rows = await db
    .selectFrom('live_events')
    .selectAll()
    .where('story_id', '=', storyId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

/** The number of the story's last committed event (0: none yet). */
export async function lastLiveSeq(db: Db, storyId: string): Promise<number> {
  const row = await db
    .selectFrom('live_streams')
    .select('last_seq')
    .where('story_id', '=', storyId)
    .executeTakeFirst();
  return row ? Number(row.last_seq) : 0;
}

/** When the story's last live event was written (null: never, or before this was recorded). */
export async function lastLiveEventAt(db: Db, storyId: string): Promise<number | null> {
  const row = await db
    .selectFrom('live_streams')
    .select('last_event_at')
    .where('story_id', '=', storyId)
    .executeTakeFirst();
  return row?.last_event_at ? new Date(row.last_event_at).getTime() : null;
}

/** Deletes events written before `cutoff`; returns how many went. */
export async function pruneLiveEvents(db: Db, cutoff: Date): Promise<number> {
  const result = await db
    .deleteFrom('live_events')
    .where('created_at', '<', cutoff.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The story's published comment count, read inside the transaction that changed it. */
export async function storyCommentCount(db: Db, storyId: string): Promise<number | null> {
  const row = await db
    .selectFrom('stories')
    .select('comment_count')
    .where('id', '=', storyId)
    .executeTakeFirst();
  return row ? Number(row.comment_count) : null;
}
