/**
 * Moderation statistics within a moderator's filters: comments and reports per day or hour, how
 * comments were decided, and the most reported stories. Each period is an id range (ids are time
 * ordered), so only its rows are read.
 */
import { sql, type Kysely } from 'kysely';
import { idFloor } from '../../domain/ids.ts';
import type { Engine } from '../db.ts';
import type { Database } from '../schema.ts';
import { scoped, type QueueFilter } from './filters.ts';

type Db = Kysely<Database>;

export interface StatsBucket {
  approved: number;
  pending: number;
  rejected: number;
  reported: number;
}

/**
 * Comments by the status they have now, grouped by the day or hour they were written, and reports
 * by when they were made; the period is an id range, so only its rows are read.
 */
export async function commentStats(
  db: Db,
  engine: Engine,
  filter: QueueFilter,
  since: Date,
  unit: 'day' | 'hour',
): Promise<Map<string, StatsBucket>> {
  const width = unit === 'day' ? 10 : 13; // "2026-11-29" or "2026-11-29T04"
  const bucket = (column: string) =>
    engine === 'postgres'
      ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', ${sql.lit(unit === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM-DD"T"HH24')})`
      : sql<string>`substr(${sql.ref(column)}, 1, ${sql.lit(width)})`;
  const floor = idFloor(since.getTime());
  const comments = await scoped(db.selectFrom('comments').selectAll(), filter)
    .where('id', '>=', floor)
    .clearSelect()
    .select([bucket('created_at').as('bucket'), 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy([bucket('created_at'), 'status'])
    .execute();
  let reportQuery = db
    .selectFrom('reports as r')
    .innerJoin('comments as c', 'c.id', 'r.comment_id')
    .select([bucket('r.created_at').as('bucket'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.id', '>=', floor);
  if (filter.scope !== null) reportQuery = reportQuery.where('c.site_id', 'in', filter.scope);
  if (filter.siteId) reportQuery = reportQuery.where('c.site_id', '=', filter.siteId);
  if (filter.storyId) reportQuery = reportQuery.where('c.story_id', '=', filter.storyId);
  const reports = await reportQuery.groupBy(bucket('r.created_at')).execute();
  const buckets = new Map<string, StatsBucket>();
  const at = (key: string) => {
    let entry = buckets.get(key);
    if (!entry) {
      entry = { approved: 0, pending: 0, rejected: 0, reported: 0 };
      buckets.set(key, entry);
    }
    return entry;
  };
  for (const row of comments) {
    if (row.status === 'deleted') continue;
    at(row.bucket)[row.status] += Number(row.n);
  }
  for (const row of reports) at(row.bucket).reported += Number(row.n);
  return buckets;
}

/**
 * How the comments written since then were decided (pipeline phase, or "none"); deleted ones are
 * left out, as they are from the per-day and per-hour counts, so the two add up.
 */
export async function decidedByStats(
  db: Db,
  engine: Engine,
  filter: QueueFilter,
  since: Date,
): Promise<Record<string, number>> {
  const decidedBy =
    engine === 'postgres'
      ? sql<string | null>`(moderation::json ->> 'decidedBy')`
      : sql<string | null>`json_extract(moderation, '$.decidedBy')`;
  const rows = await scoped(db.selectFrom('comments').selectAll(), filter)
    .where('id', '>=', idFloor(since.getTime()))
    .where('status', '!=', 'deleted')
    .clearSelect()
    .select([decidedBy.as('phase'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(decidedBy)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.phase ?? 'none', Number(r.n)]));
}

/** The stories with the most open reports on the sites in scope. */
export async function topReportedStories(
  db: Db,
  filter: QueueFilter,
  limit = 5,
): Promise<{ story: { id: string; title: string | null; url: string }; reports: number }[]> {
  const open = scoped(db.selectFrom('comments').selectAll(), filter)
    .where('open_reports', '>', 0)
    .where('status', '=', 'approved')
    .where('deleted_at', 'is', null)
    .clearSelect()
    .select(['story_id', (eb) => eb.fn.sum<number>('open_reports').as('reports')])
    .groupBy('story_id');
  const rows = await db
    .selectFrom(open.as('o'))
    .innerJoin('stories as s', 's.id', 'o.story_id')
    .select(['s.id', 's.title', 's.url', 'o.reports'])
    .orderBy('o.reports', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    story: { id: r.id, title: r.title, url: r.url },
    reports: Number(r.reports),
  }));
}
