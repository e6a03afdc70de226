/**
 * Readers shape their view (docs/profiles.md): a reader may keep their comment history off their
 * public profile (`profile_settings`, a row only for readers who changed the default), and may
 * ignore other readers (`ignores`: one row per pair, listed by the ignorer, newest first).
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

export function up(engine: Engine) {
  const time = engine === 'postgres' ? 'timestamptz' : 'text';
  const flag = engine === 'postgres' ? 'boolean' : 'integer';

  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('profile_settings')
      .addColumn('user_id', 'text', (c) =>
        c.primaryKey().references('users.id').onDelete('cascade'),
      )
      .addColumn('private', flag, (c) => c.notNull())
      .addColumn('updated_at', time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('ignores')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('ignored_user_id', 'text', (c) =>
        c.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('created_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('ignores_pk', ['user_id', 'ignored_user_id'])
      .execute();
    // Erasure removes the rows naming the erased reader as the one ignored.
    await db.schema
      .createIndex('ignores_ignored')
      .on('ignores')
      .columns(['ignored_user_id'])
      .execute();
    // A reader's profile lists their approved comments on one site, newest first.
    await db.schema
      .createIndex('comments_author_site')
      .on('comments')
      .columns(['author_id', 'site_id', 'id'])
      .execute();
  };
}
