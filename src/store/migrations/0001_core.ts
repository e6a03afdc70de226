/**
 * Core tables: sites, stories, users, sessions, comments, reactions, reports, jobs.
 * Comment reads page through an index per sort order, led by the story (top level) or the parent
 * (replies) and the status, so that a page never touches rows outside itself.
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
      .createTable('sites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('allowed_origins', 'text', (c) => c.notNull())
      .addColumn('edit_window_seconds', 'integer', (c) => c.notNull())
      .addColumn('max_depth', 'integer', (c) => c.notNull())
      .addColumn('locale', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('updated_at', time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('stories')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('external_id', 'text')
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('author', 'text')
      .addColumn('description', 'text')
      .addColumn('image_url', 'text')
      .addColumn('published_at', time)
      .addColumn('closed', flag, (c) => c.notNull().defaultTo(sql.raw(falseValue)))
      .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('metadata_fetched_at', time)
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('stories_site_external_id')
      .unique()
      .on('stories')
      .columns(['site_id', 'external_id'])
      .execute();
    await db.schema
      .createIndex('stories_site_url')
      .unique()
      .on('stories')
      .columns(['site_id', 'url'])
      .where(sql.ref('external_id'), 'is', null)
      .execute();
    await db.schema.createIndex('stories_url').on('stories').columns(['site_id', 'url']).execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('expires_at', time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('comments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('story_id', 'text', (c) =>
        c.notNull().references('stories.id').onDelete('cascade'),
      )
      .addColumn('parent_id', 'text', (c) => c.references('comments.id'))
      .addColumn('thread_parent_id', 'text', (c) => c.references('comments.id'))
      .addColumn('depth', 'integer', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('html', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reply_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reaction_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('edited_at', time)
      .addColumn('deleted_at', time)
      .execute();
    // Top-level comments and replies get partial indexes of their own: PostgreSQL will not use an
    // `IS NULL` condition to deliver rows in index order, but a partial index needs no condition.
    for (const [name, sortColumns] of [
      ['comments_top_by_id', ['id']],
      ['comments_top_by_replies', ['reply_count', 'id']],
      ['comments_top_by_reactions', ['reaction_count', 'id']],
    ] as const) {
      await db.schema
        .createIndex(name)
        .on('comments')
        .columns(['story_id', 'status', ...sortColumns])
        .where(sql.ref('thread_parent_id'), 'is', null)
        .execute();
    }
    await db.schema
      .createIndex('comments_replies_by_id')
      .on('comments')
      .columns(['thread_parent_id', 'status', 'id'])
      .where(sql.ref('thread_parent_id'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('comments_author_story')
      .on('comments')
      .columns(['author_id', 'story_id', 'status'])
      .execute();

    await db.schema
      .createTable('reactions')
      .addColumn('comment_id', 'text', (c) =>
        c.notNull().references('comments.id').onDelete('cascade'),
      )
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('reactions_pk', ['comment_id', 'user_id'])
      .execute();
    await db.schema.createIndex('reactions_user').on('reactions').column('user_id').execute();

    await db.schema
      .createTable('reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('comment_id', 'text', (c) =>
        c.notNull().references('comments.id').onDelete('cascade'),
      )
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .addUniqueConstraint('reports_once_per_user', ['comment_id', 'user_id'])
      .execute();
    await db.schema.createIndex('reports_user').on('reports').column('user_id').execute();

    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('run_at', time, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('locked_until', time)
      .addColumn('last_error', 'text')
      .addColumn('done_at', time)
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('jobs_due').on('jobs').columns(['done_at', 'run_at']).execute();
  };
}
