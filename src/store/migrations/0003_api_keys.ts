/**
 * API keys for the Perspective-compatible analysis endpoint: created and revoked by admins, stored
 * only as SHA-256 hashes (with a short prefix to recognise them by), each with its own rate limit
 * and usage counts. What callers send for analysis is never stored.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

export function up(engine: Engine) {
  const time = engine === 'postgres' ? 'timestamptz' : 'text';
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('rate_per_minute', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('revoked_at', time)
      .addColumn('last_used_at', time)
      .addColumn('request_count', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  };
}
