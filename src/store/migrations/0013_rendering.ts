/**
 * Server-rendered threads (docs/server-rendering.md): a site's switch for the rendered fragment
 * and Parley's plain and AMP pages of its stories. On by default: they show only what any reader
 * of the site's widget already sees, and publishers opt in by including them.
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

export function up(engine: Engine) {
  const flag = engine === 'postgres' ? 'boolean' : 'integer';
  const trueValue = engine === 'postgres' ? 'true' : '1';

  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .alterTable('sites')
      .addColumn('rendering', flag, (c) => c.notNull().defaultTo(sql.raw(trueValue)))
      .execute();
  };
}
