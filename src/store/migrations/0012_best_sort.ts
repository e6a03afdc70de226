/**
 * The "Best" order (docs/sorting.md): each comment keeps how many readers saw it (`view_count`,
 * reported by the widget) and its Best key (`best_key`, src/domain/best.ts), recomputed when its
 * respects or views change; top-level comments are read through their own index by that key.
 * Sites choose their default order and whether the newsroom's and featured comments lead it; the
 * newsroom's accounts are found through an index on users' roles.
 */
import { sql, type Kysely } from 'kysely';
import { bestKey } from '../../domain/best.ts';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

const BATCH = 1000;

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
    // Existing comments: no views yet, so the key is their respects and age.
    let after = '';
    for (;;) {
      const rows = (await db
        .selectFrom('comments')
        .select(['id', 'reaction_count', 'created_at'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .execute()) as { id: string; reaction_count: number; created_at: string | Date }[];
      if (rows.length === 0) break;
      await db.transaction().execute(async (trx) => {
        for (const row of rows) {
          await trx
            .updateTable('comments')
            .set({
              best_key: bestKey({
                respects: row.reaction_count,
                views: 0,
                createdAt: row.created_at,
              }),
            })
            .where('id', '=', row.id)
            .execute();
        }
      });
      after = rows[rows.length - 1]!.id;
    }
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
