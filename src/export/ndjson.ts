/**
 * Parley's own export: the whole instance, or one site, as one NDJSON archive (docs/export.md) that
 * `parley import parley` restores into another instance, on either engine, with the same threads,
 * counts and pages.
 *
 * The archive is written as it is read: each record type in turn (archive.ts gives the order:
 * each after what it refers to), a page of rows at a time by primary key (keyset pagination, so
 * the millionth page costs what the first did), each page handed to `write` as one chunk. Memory
 * stays the same whatever the size of the instance.
 *
 * Only the columns the schema declares are selected: secrets (password hashes, sessions and
 * tokens, the secrets inside site settings) and client addresses never leave the database.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Store } from '../store/db.ts';
import { toFlag, toIso } from '../store/rows.ts';
import type { Database } from '../store/schema.ts';
import {
  ARCHIVE_VERSION,
  emptyCounts,
  END_TYPE,
  HEADER_TYPE,
  RECORD_TYPES,
  SPECS,
  stripSecrets,
  type ArchiveEnd,
  type ArchiveHeader,
  type FieldKind,
  type RecordCounts,
  type RecordSpec,
  type RecordType,
} from './archive.ts';

/** Rows read per query. */
export const EXPORT_PAGE_SIZE = 1000;

export interface ExportProgress {
  /** The record type being written. */
  type: RecordType;
  /** Records written so far, all types together. */
  records: number;
}

export interface ParleyExportOptions {
  /** Only this site and what belongs to it (its people: see docs/export.md); default everything. */
  siteId?: string | undefined;
  write: (chunk: string) => Promise<void> | void;
  onProgress?: ((progress: ExportProgress) => void) | undefined;
  /** The database to read (a snapshot's transaction); default `store.db`. */
  db?: Kysely<Database> | undefined;
}

export interface ParleyExportResult {
  counts: RecordCounts;
  records: number;
}

type Row = Record<string, unknown>;

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value; // not JSON after all: kept as the text it is
  }
}

/** A column's value as the archive holds it, whatever the engine returned. */
function archiveValue(kind: FieldKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'text':
    case 'text?':
      return typeof value === 'string' ? value : String(value);
    case 'int':
      return Number(value);
    case 'flag':
      return toFlag(value as number | boolean);
    case 'time':
    case 'time?':
      return toIso(value as string | Date);
    case 'json':
    case 'json?':
      return parseJson(value);
  }
}

function toRecord(spec: RecordSpec, row: Row): Row {
  const record: Row = { type: spec.type };
  for (const field of spec.fields) record[field.name] = archiveValue(field.kind, row[field.column]);
  if (spec.type === 'site') {
    // The settings go without their secrets; the record says which were left out, so that a
    // restore can tell the operator what to enter again.
    const removed: string[] = [];
    for (const name of ['moderation', 'auth']) {
      const stripped = stripSecrets(record[name]);
      record[name] = stripped.value;
      removed.push(...stripped.removed.map((path) => `${name}.${path}`));
    }
    record.secretsRemoved = removed;
  }
  return record;
}

/**
 * The users a site's archive holds: everyone who wrote, reacted, voted, reported or moderated on
 * the site, the experts of its Q&A stories, and its moderators and admins. `user` is a column
 * reference holding a user id.
 */
function belongsToSite(user: RawBuilder<unknown>, siteId: string): RawBuilder<unknown> {
  const scoped = `%${JSON.stringify(siteId)}%`;
  return sql`(
    exists (select 1 from comments c where c.author_id = ${user} and c.site_id = ${siteId})
    or exists (
      select 1 from reactions r join comments c on c.id = r.comment_id
      where r.user_id = ${user} and c.site_id = ${siteId}
    )
    or exists (
      select 1 from question_votes v join comments c on c.id = v.comment_id
      where v.user_id = ${user} and c.site_id = ${siteId}
    )
    or exists (
      select 1 from reports p join comments c on c.id = p.comment_id
      where p.user_id = ${user} and c.site_id = ${siteId}
    )
    or exists (
      select 1 from story_experts e join stories s on s.id = e.story_id
      where e.user_id = ${user} and s.site_id = ${siteId}
    )
    or ${user} in (
      select a.actor_id from moderation_actions a
      where a.site_id = ${siteId} and a.actor_id is not null
    )
    or ${user} in (
      select m.id from users m
      where m.role in (${'moderator'}, ${'admin'})
        and (m.moderator_site_ids is null or m.moderator_site_ids like ${scoped})
    )
  )`;
}

/** Which rows of each type a site's archive holds (`t` is the table being read). */
function siteFilter(type: RecordType, siteId: string): RawBuilder<unknown> {
  const t = (column: string) => sql.ref(`t.${column}`);
  const ofSiteComment = sql`exists (
    select 1 from comments c where c.id = ${t('comment_id')} and c.site_id = ${siteId}
  )`;
  switch (type) {
    case 'site':
      return sql`${t('id')} = ${siteId}`;
    case 'qa_section':
    case 'story':
    case 'comment':
    case 'moderation_action':
    case 'import_source':
    case 'import_run':
      return sql`${t('site_id')} = ${siteId}`;
    case 'user':
      return belongsToSite(t('id'), siteId);
    case 'identity':
      // Identities are per site (`sso:<siteId>`, `oidc:<siteId>`): other sites' mean nothing here.
      return sql`${t('provider')} in (${`sso:${siteId}`}, ${`oidc:${siteId}`})
        and ${belongsToSite(t('user_id'), siteId)}`;
    case 'profile_setting':
      return belongsToSite(t('user_id'), siteId);
    case 'ignore':
      // Both readers must be in the archive (a reader of another site is not).
      return sql`${belongsToSite(t('user_id'), siteId)}
        and ${belongsToSite(t('ignored_user_id'), siteId)}`;
    case 'story_expert':
      return sql`exists (
        select 1 from stories s where s.id = ${t('story_id')} and s.site_id = ${siteId}
      )`;
    case 'reaction':
    case 'question_vote':
    case 'report':
      return ofSiteComment;
    case 'user_note':
      return sql`${belongsToSite(t('user_id'), siteId)}
        and (${t('author_id')} is null or ${belongsToSite(t('author_id'), siteId)})`;
  }
}

/** One page of a table in primary key order, after the key `after` (null: from the start). */
async function readPage(
  db: Kysely<Database>,
  spec: RecordSpec,
  filter: RawBuilder<unknown> | null,
  after: unknown[] | null,
): Promise<Row[]> {
  const keys = spec.key.map((column) => sql.ref(`t.${column}`));
  const conditions: RawBuilder<unknown>[] = filter ? [filter] : [];
  if (after) {
    conditions.push(
      keys.length === 1
        ? sql`${keys[0]} > ${after[0]}`
        : sql`(${sql.join(keys)}) > (${sql.join(after)})`,
    );
  }
  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const columns = sql.join(spec.fields.map((field) => sql.ref(`t.${field.column}`)));
  const result = await sql<Row>`
    select ${columns} from ${sql.table(spec.table)} as t ${where}
    order by ${sql.join(keys)} limit ${EXPORT_PAGE_SIZE}
  `.execute(db);
  return result.rows;
}

/** Streams the archive to `write`: header, every record type in order, end line with the counts. */
export async function exportParley(
  store: Pick<Store, 'db' | 'engine'>,
  options: ParleyExportOptions,
): Promise<ParleyExportResult> {
  const db = options.db ?? store.db;
  const siteId = options.siteId ?? null;
  const header: ArchiveHeader = {
    type: HEADER_TYPE,
    version: ARCHIVE_VERSION,
    exportedAt: new Date().toISOString(),
    engine: store.engine,
    siteId,
  };
  await options.write(`${JSON.stringify(header)}\n`);
  const counts = emptyCounts();
  let records = 0;
  for (const type of RECORD_TYPES) {
    const spec = SPECS[type];
    const filter = siteId === null ? null : siteFilter(type, siteId);
    let after: unknown[] | null = null;
    for (;;) {
      const rows = await readPage(db, spec, filter, after);
      if (rows.length === 0) break;
      let chunk = '';
      for (const row of rows) chunk += `${JSON.stringify(toRecord(spec, row))}\n`;
      await options.write(chunk);
      counts[type] += rows.length;
      records += rows.length;
      options.onProgress?.({ type, records });
      if (rows.length < EXPORT_PAGE_SIZE) break;
      const last = rows[rows.length - 1] as Row;
      after = spec.key.map((column) => last[column]);
    }
  }
  const end: ArchiveEnd = { type: END_TYPE, counts };
  await options.write(`${JSON.stringify(end)}\n`);
  return { counts, records };
}
