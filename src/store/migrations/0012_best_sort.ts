/**
 * The "Best" order (docs/sorting.md): each comment keeps how many readers saw it (`view_count`,
 * reported by the widget) and its Best key (`best_key`, src/domain/best.ts), recomputed when its
 * respects or views change; top-level comments are read through their own index by that key.
 * Sites choose their default order and whether the newsroom's and featured comments lead it; the
 * newsroom's accounts are found through an index on users' roles.
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

// The Best formula's constants as they were when this migration was written (src/domain/best.ts
// then: z = 1.96, ε = 0.002, a half-life of 18 hours). Written here, not imported, so that the
// migration computes the same keys whatever the domain's constants become later; a change there
// recomputes the keys in a migration of its own.
const Z = 1.96;
const EPSILON = 0.002;
const HALF_LIFE_SECONDS = 18 * 3600;

export function up(engine: Engine) {
  const float = engine === 'postgres' ? 'double precision' : 'real';
  const flag = engine === 'postgres' ? 'boolean' : 'integer';
  const falseValue = engine === 'postgres' ? 'false' : '0';

  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .alterTable('comments')
      .addColumn('view_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('comments')
      .addColumn('best_key', float, (c) => c.notNull().defaultTo(0))
      .execute();
    await backfillBestKeys(db, engine);
    await db.schema
      .createIndex('comments_top_by_best')
      .on('comments')
      .columns(['story_id', 'status', 'best_key', 'id'])
      .where(sql.ref('thread_parent_id'), 'is', null)
      .execute();

    await db.schema
      .alterTable('sites')
      .addColumn('default_sort', 'text', (c) => c.notNull().defaultTo('newest'))
      .execute();
    await db.schema
      .alterTable('sites')
      .addColumn('pin_newsroom', flag, (c) => c.notNull().defaultTo(sql.raw(falseValue)))
      .execute();
    await db.schema.createIndex('users_role').on('users').columns(['role', 'id']).execute();
  };
}

/**
 * The Best key of every comment, in one statement (src/domain/best.ts): before this migration no
 * view was counted, so n = max(respects, 1) and p is 1 when there are respects, 0 when not, and
 * the Wilson lower bound comes down to n / (n + z²) (and 0 without respects).
 */
export async function backfillBestKeys(db: AnyDb, engine: Engine): Promise<void> {
  const seconds =
    engine === 'postgres'
      ? sql`extract(epoch from created_at)`
      : sql`(julianday(created_at) - 2440587.5) * 86400.0`;
  const z2 = Z * Z;
  await sql`
    update comments set best_key =
      ln(case when reaction_count > 0
           then reaction_count * 1.0 / (reaction_count + ${sql.lit(z2)})
           else 0 end + ${sql.lit(EPSILON)})
      + ${seconds} * ${sql.lit(Math.LN2 / HALF_LIFE_SECONDS)}
  `.execute(db);
}
