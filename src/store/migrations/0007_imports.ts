/**
 * Imports (src/import/): what each imported row came from, so that running a file again, or
 * resuming a run that was killed, changes nothing already done; each run and its report; and the
 * profiles of imported authors, which a reader claims by confirming the same address.
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

export function up(engine: Engine) {
  const time = engine === 'postgres' ? 'timestamptz' : 'text';
  const flag = engine === 'postgres' ? 'boolean' : 'integer';
  const falseValue = engine === 'postgres' ? 'false' : '0';
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('import_sources')
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      // The source system (disqus, wordpress, coral…): ids are unique only within one.
      .addColumn('source', 'text', (c) => c.notNull())
      // story, comment or author.
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      // The Parley row it became (a story, comment or user id); null: read and deliberately skipped.
      .addColumn('target_id', 'text')
      .addPrimaryKeyConstraint('import_sources_pkey', ['site_id', 'source', 'kind', 'source_id'])
      .execute();
    await db.schema
      .createTable('import_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('format', 'text', (c) => c.notNull())
      // The file's name as given (never its contents).
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('file_bytes', 'bigint', (c) => c.notNull())
      // running, done, failed.
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('dry_run', flag, (c) => c.notNull().defaultTo(sql.raw(falseValue)))
      .addColumn('started_by', 'text')
      .addColumn('started_at', time, (c) => c.notNull())
      // When the run last committed a batch: a running run silent for long has died.
      .addColumn('heartbeat_at', time, (c) => c.notNull())
      .addColumn('finished_at', time)
      // JSON: the report (counts read, imported, skipped, merged, reasons and examples).
      .addColumn('report', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .execute();
    // One running import per site: two runs of one file would both find a comment missing and
    // both write it. (A run that died is marked failed before the next one starts.)
    await db.schema
      .createIndex('import_runs_one_running')
      .unique()
      .on('import_runs')
      .column('site_id')
      .where(sql.ref('state'), '=', sql.lit('running'))
      .execute();
    await db.schema
      .createIndex('import_runs_site_started')
      .on('import_runs')
      .columns(['site_id', 'started_at'])
      .execute();
    // An imported author: no password, no deliverable address (email is a placeholder), the
    // source's address kept only as a SHA-256 hash, claimed by a reader who confirms it.
    await db.schema.alterTable('users').addColumn('claim_email_hash', 'text').execute();
    await db.schema.alterTable('users').addColumn('imported_at', time).execute();
    await db.schema
      .createIndex('users_claim_email_hash')
      .on('users')
      .column('claim_email_hash')
      .where(sql.ref('claim_email_hash'), 'is not', null)
      .execute();
  };
}
