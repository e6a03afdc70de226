/**
 * SQL for imports (src/import/): what imported rows came from, the rows an import writes (in
 * batches, in the caller's transaction), and the runs with their reports.
 */
import { sql, type Kysely } from 'kysely';
import type { CommentStatus, Database, ImportRunState } from './schema.ts';
import { toIso } from './rows.ts';

type Db = Kysely<Database>;
type Kind = 'story' | 'comment' | 'author';

/**
 * Rows per statement, and values per `in (…)` list. Few and fixed, so that every batch runs the
 * same statements, which each engine prepares once: SQLite keeps every prepared statement in the
 * store's cache, and statements of a thousand rows, or lists of every length, took over 100 MB of
 * an import's memory there and much of its time preparing.
 */
const ROWS_PER_STATEMENT = 50;
const VALUES_PER_LIST = 100;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    out.push(rows.slice(i, i + ROWS_PER_STATEMENT));
  }
  return out;
}

/** Lists of exactly VALUES_PER_LIST values (the last repeated to fill): one statement each. */
function lists(values: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < values.length; i += VALUES_PER_LIST) {
    const list = values.slice(i, i + VALUES_PER_LIST);
    const last = list[list.length - 1] as string;
    while (list.length < VALUES_PER_LIST) list.push(last);
    out.push(list);
  }
  return out;
}

export interface SourceKey {
  siteId: string;
  source: string;
}

/** The Parley ids that source ids of one kind became (null: read before and skipped). */
export async function findImported(
  db: Db,
  key: SourceKey,
  kind: Kind,
  sourceIds: string[],
): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  for (const ids of lists(sourceIds)) {
    const rows = await db
      .selectFrom('import_sources')
      .select(['source_id', 'target_id'])
      .where('site_id', '=', key.siteId)
      .where('source', '=', key.source)
      .where('kind', '=', kind)
      .where('source_id', 'in', ids)
      .execute();
    for (const row of rows) found.set(row.source_id, row.target_id);
  }
  return found;
}

/** Where an imported comment sits, for placing its replies. */
export interface ImportedPlacement {
  id: string;
  storyId: string;
  depth: number;
  threadParentId: string | null;
  status: CommentStatus;
}

/** Comments imported before (this run's earlier batches or an earlier run), by source id. */
export async function findImportedComments(
  db: Db,
  key: SourceKey,
  sourceIds: string[],
): Promise<Map<string, ImportedPlacement | null>> {
  const found = new Map<string, ImportedPlacement | null>();
  for (const ids of lists(sourceIds)) {
    const rows = await db
      .selectFrom('import_sources as s')
      .leftJoin('comments as c', 'c.id', 's.target_id')
      .select(['s.source_id', 'c.id', 'c.story_id', 'c.depth', 'c.thread_parent_id', 'c.status'])
      .where('s.site_id', '=', key.siteId)
      .where('s.source', '=', key.source)
      .where('s.kind', '=', 'comment')
      .where('s.source_id', 'in', ids)
      .execute();
    for (const row of rows) {
      found.set(
        row.source_id,
        row.id && row.story_id && row.status
          ? {
              id: row.id,
              storyId: row.story_id,
              depth: row.depth ?? 0,
              threadParentId: row.thread_parent_id,
              status: row.status,
            }
          : null,
      );
    }
  }
  return found;
}

export interface StoryMatch {
  id: string;
  externalId: string | null;
  url: string;
  closed: boolean;
}

/** The site's existing stories with one of these identifiers or URLs. */
export async function findStoriesByKeys(
  db: Db,
  siteId: string,
  identifiers: string[],
  urls: string[],
): Promise<StoryMatch[]> {
  const out: StoryMatch[] = [];
  const read = async (column: 'external_id' | 'url', values: string[]) => {
    for (const part of lists(values)) {
      const rows = await db
        .selectFrom('stories')
        .select(['id', 'external_id', 'url', 'closed'])
        .where('site_id', '=', siteId)
        .where(column, 'in', part)
        .execute();
      for (const row of rows) {
        out.push({ id: row.id, externalId: row.external_id, url: row.url, closed: !!row.closed });
      }
    }
  };
  if (identifiers.length) await read('external_id', identifiers);
  if (urls.length) await read('url', urls);
  return out;
}

/** Readers whose confirmed address is one of these (lowercased), to credit imported comments to. */
export async function findConfirmedUsers(db: Db, emails: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of lists(emails)) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'email'])
      .where('email', 'in', part)
      .where('email_verified_at', 'is not', null)
      .where('deleted_at', 'is', null)
      .execute();
    for (const row of rows) found.set(row.email, row.id);
  }
  return found;
}

export interface ImportBatch {
  stories: NewStoryRow[];
  users: NewUserRow[];
  comments: NewCommentRow[];
  sources: { kind: Kind; sourceId: string; targetId: string | null }[];
  /** Published comments added per story, and replies per thread parent. */
  storyCounts: Map<string, number>;
  replyCounts: Map<string, number>;
}

export interface NewStoryRow {
  id: string;
  site_id: string;
  external_id: string | null;
  url: string;
  title: string | null;
  closed: number;
  created_at: string;
}

export interface NewUserRow {
  id: string;
  email: string;
  display_name: string;
  claim_email_hash: string | null;
  created_at: string;
  imported_at: string;
}

export interface NewCommentRow {
  id: string;
  site_id: string;
  story_id: string;
  parent_id: string | null;
  thread_parent_id: string | null;
  depth: number;
  author_id: string;
  body: string;
  html: string;
  status: CommentStatus;
  reaction_count: number;
  /** Its key in the Best order (src/domain/best.ts): from the source's likes, no views yet. */
  best_key: number;
  created_at: string;
  deleted_at: string | null;
  moderation: string;
  reviewed_at: string | null;
  rejection_code: string | null;
  rejection_note: string | null;
  author_ip: string | null;
}

/** Writes one batch in the caller's transaction: rows, what they came from, and counts. */
export async function writeImportBatch(db: Db, key: SourceKey, batch: ImportBatch): Promise<void> {
  for (const rows of chunks(batch.stories)) {
    await db
      .insertInto('stories')
      .values(
        rows.map((row) => ({
          ...row,
          author: null,
          description: null,
          image_url: null,
          published_at: null,
          comment_count: 0,
          metadata_fetched_at: null,
        })),
      )
      .execute();
  }
  for (const rows of chunks(batch.users)) {
    await db
      .insertInto('users')
      .values(rows.map((row) => ({ ...row, password_hash: null, role: 'commenter' as const })))
      .execute();
  }
  for (const rows of chunks(batch.comments)) {
    await db
      .insertInto('comments')
      .values(rows.map((row) => ({ ...row, reply_count: 0, edited_at: null })))
      .execute();
  }
  for (const rows of chunks(batch.sources)) {
    await db
      .insertInto('import_sources')
      .values(
        rows.map((row) => ({
          site_id: key.siteId,
          source: key.source,
          kind: row.kind,
          source_id: row.sourceId,
          target_id: row.targetId,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  // Parents before stories: the order every writer takes these rows in.
  for (const [id, n] of batch.replyCounts) {
    await db
      .updateTable('comments')
      .set({ reply_count: sql`reply_count + ${n}` })
      .where('id', '=', id)
      .execute();
  }
  for (const [id, n] of batch.storyCounts) {
    await db
      .updateTable('stories')
      .set({ comment_count: sql`comment_count + ${n}` })
      .where('id', '=', id)
      .execute();
  }
}

/**
 * PostgreSQL plans from statistics, and a table an import fills starts with none worth having:
 * planned as nearly empty, the look-ups of each batch read all of import_sources (a re-run of a
 * 200,000-comment file took three minutes, ten times SQLite's). The importer has them gathered
 * again as the tables grow. SQLite plans these queries from its indexes alone.
 */
export async function refreshImportStatistics(db: Db): Promise<void> {
  await sql`analyze import_sources`.execute(db);
  await sql`analyze comments`.execute(db);
  await sql`analyze users`.execute(db);
}

export interface ImportRunRow {
  id: string;
  siteId: string;
  format: string;
  fileName: string;
  fileBytes: number;
  state: ImportRunState;
  dryRun: boolean;
  startedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** When the run last committed a batch (a running run silent for long has died). */
  heartbeatAt: string;
  report: unknown;
  error: string | null;
}

export async function insertImportRun(
  db: Db,
  run: Omit<ImportRunRow, 'finishedAt' | 'heartbeatAt' | 'error'>,
): Promise<void> {
  await db
    .insertInto('import_runs')
    .values({
      id: run.id,
      site_id: run.siteId,
      format: run.format,
      file_name: run.fileName,
      file_bytes: run.fileBytes,
      state: run.state,
      dry_run: run.dryRun ? 1 : 0,
      started_by: run.startedBy,
      started_at: run.startedAt,
      heartbeat_at: run.startedAt,
      report: JSON.stringify(run.report),
    })
    .execute();
}

export async function updateImportRun(
  db: Db,
  id: string,
  change: {
    state?: ImportRunState;
    report?: unknown;
    error?: string | null;
    finishedAt?: string;
    heartbeatAt?: string;
  },
): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({
      ...(change.report !== undefined && { report: JSON.stringify(change.report) }),
      ...(change.heartbeatAt && { heartbeat_at: change.heartbeatAt }),
      ...(change.state && { state: change.state }),
      ...(change.error !== undefined && { error: change.error }),
      ...(change.finishedAt && { finished_at: change.finishedAt }),
    })
    .where('id', '=', id)
    .execute();
}

function runFromRow(row: {
  id: string;
  site_id: string;
  format: string;
  file_name: string;
  file_bytes: number;
  state: ImportRunState;
  dry_run: number | boolean;
  started_by: string | null;
  started_at: string | Date;
  finished_at: string | Date | null;
  heartbeat_at: string | Date;
  report: string;
  error: string | null;
}): ImportRunRow {
  return {
    id: row.id,
    siteId: row.site_id,
    format: row.format,
    fileName: row.file_name,
    fileBytes: Number(row.file_bytes),
    state: row.state,
    dryRun: !!row.dry_run,
    startedBy: row.started_by,
    startedAt: toIso(row.started_at),
    finishedAt: toIso(row.finished_at),
    heartbeatAt: toIso(row.heartbeat_at),
    report: JSON.parse(row.report) as unknown,
    error: row.error,
  };
}

/** Runs of the site still marked running, with when each last committed a batch. */
export async function findRunningImports(db: Db, siteId: string) {
  const rows = await db
    .selectFrom('import_runs')
    .select(['id', 'format', 'file_name', 'started_at', 'heartbeat_at'])
    .where('site_id', '=', siteId)
    .where('state', '=', 'running')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    format: row.format,
    fileName: row.file_name,
    startedAt: toIso(row.started_at),
    heartbeatAt: toIso(row.heartbeat_at),
  }));
}

export async function getImportRun(db: Db, id: string): Promise<ImportRunRow | undefined> {
  const row = await db
    .selectFrom('import_runs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && runFromRow(row);
}

export async function listImportRuns(db: Db, siteId: string, limit = 50): Promise<ImportRunRow[]> {
  const rows = await db
    .selectFrom('import_runs')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(runFromRow);
}
