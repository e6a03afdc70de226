/**
 * Sites' own layers over the classifier, learned from their moderators' decisions
 * (src/domain/moderation/site-model.ts): every training is kept, measured or not, with the
 * held-out comparison of the classifier alone against the classifier with the layer. At most one
 * layer per site is active (a partial unique index: two trainings finishing together cannot both
 * activate theirs).
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

export function up(engine: Engine) {
  const time = engine === 'postgres' ? 'timestamptz' : 'text';
  const flag = engine === 'postgres' ? 'boolean' : 'integer';
  const falseValue = engine === 'postgres' ? 'false' : '0';
  const trueValue = engine === 'postgres' ? 'true' : '1';
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('site_models')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      // The classifier whose representation the layer reads (a new classifier needs a new layer).
      .addColumn('base_model', 'text', (c) => c.notNull())
      // JSON: { dims, mean, scale, weights, bias, l2 }.
      .addColumn('weights', 'text', (c) => c.notNull())
      .addColumn('trained_at', time, (c) => c.notNull())
      // Comments learned from and measured on (each comment's standing decision once).
      .addColumn('decisions', 'integer', (c) => c.notNull())
      .addColumn('held_out', 'integer', (c) => c.notNull())
      // JSON: the held-out comparison (base and site: precision, recall, F1 per class, macro-F1).
      .addColumn('metrics', 'text', (c) => c.notNull())
      // active, not_better, unmeasured, superseded, rolled_back.
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('active', flag, (c) => c.notNull().defaultTo(sql.raw(falseValue)))
      .addColumn('rolled_back_at', time)
      .addColumn('note', 'text')
      .execute();
    await db.schema
      .createIndex('site_models_site_trained')
      .on('site_models')
      .columns(['site_id', 'trained_at'])
      .execute();
    await db.schema
      .createIndex('site_models_one_active')
      .unique()
      .on('site_models')
      .column('site_id')
      .where(sql.ref('active'), '=', sql.raw(trueValue))
      .execute();
  };
}
