/**
 * Moderation: per-site settings, pre-moderated stories, user restrictions (ban, suspension,
 * always pre-moderate, warnings) and moderator scopes, each comment's pipeline outcome and review
 * state, the audit log of every decision, and moderators' notes on users. Queue reads page through
 * an index per queue, led by the site.
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

export function up(engine: Engine) {
  const time = engine === 'postgres' ? 'timestamptz' : 'text';
  const flag = engine === 'postgres' ? 'boolean' : 'integer';
  const falseValue = sql.raw(engine === 'postgres' ? 'false' : '0');
  const trueValue = engine === 'postgres' ? sql`true` : sql`1`;

  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .alterTable('sites')
      .addColumn('moderation', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema
      .alterTable('stories')
      .addColumn('premoderated', flag, (c) => c.notNull().defaultTo(falseValue))
      .execute();

    for (const [name, type] of [
      ['banned_at', time],
      ['ban_reason', 'text'],
      ['banned_site_ids', 'text'], // JSON array; null with banned_at set: every site
      ['suspended_until', time],
      ['suspend_reason', 'text'],
      ['warning', 'text'],
      ['warning_acknowledged_at', time],
      ['moderator_site_ids', 'text'], // JSON array; null: every site
    ] as const) {
      await db.schema.alterTable('users').addColumn(name, type).execute();
    }
    await db.schema
      .alterTable('users')
      .addColumn('always_premoderate', flag, (c) => c.notNull().defaultTo(falseValue))
      .execute();

    await db.schema
      .alterTable('comments')
      .addColumn('moderation', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema
      .alterTable('comments')
      .addColumn('featured', flag, (c) => c.notNull().defaultTo(falseValue))
      .execute();
    await db.schema.alterTable('comments').addColumn('reviewed_at', time).execute();
    await db.schema.alterTable('comments').addColumn('rejection_code', 'text').execute();
    await db.schema.alterTable('comments').addColumn('rejection_note', 'text').execute();
    await db.schema
      .alterTable('comments')
      .addColumn('open_reports', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // Comments existing before moderation were published without review; count their reports.
    await sql`update comments set open_reports = (select count(*) from reports r where r.comment_id = comments.id)`.execute(
      db,
    );

    // Queues: by site and status in id (time) order, and the three queues that are not a status.
    await db.schema
      .createIndex('comments_site_status')
      .on('comments')
      .columns(['site_id', 'status', 'id'])
      .execute();
    await db.schema
      .createIndex('comments_status')
      .on('comments')
      .columns(['status', 'id'])
      .execute();
    await db.schema
      .createIndex('comments_story_status')
      .on('comments')
      .columns(['story_id', 'status', 'id'])
      .execute();
    await db.schema
      .createIndex('comments_site_reported')
      .on('comments')
      .columns(['site_id', 'id'])
      .where(sql.ref('open_reports'), '>', 0)
      .execute();
    await db.schema
      .createIndex('comments_site_unreviewed')
      .on('comments')
      .columns(['site_id', 'status', 'id'])
      .where(sql.ref('reviewed_at'), 'is', null)
      .execute();
    await db.schema
      .createIndex('comments_site_featured')
      .on('comments')
      .columns(['site_id', 'id'])
      .where(sql.ref('featured'), '=', trueValue)
      .execute();
    await db.schema
      .createIndex('comments_story_featured')
      .on('comments')
      .columns(['story_id', 'id'])
      .where(sql.ref('featured'), '=', trueValue)
      .execute();
    await db.schema
      .createIndex('comments_author')
      .on('comments')
      .columns(['author_id', 'id'])
      .execute();

    await db.schema
      .createTable('moderation_actions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('site_id', 'text')
      .addColumn('comment_id', 'text')
      .addColumn('user_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('before', 'text')
      .addColumn('after', 'text')
      .addColumn('undoable', flag, (c) => c.notNull().defaultTo(falseValue))
      .addColumn('undone_at', time)
      .execute();
    for (const column of ['site_id', 'comment_id', 'user_id'] as const) {
      await db.schema
        .createIndex(`moderation_actions_${column}`)
        .on('moderation_actions')
        .columns([column, 'id'])
        .execute();
    }

    await db.schema
      .createTable('user_notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('user_notes_user')
      .on('user_notes')
      .columns(['user_id', 'id'])
      .execute();
  };
}
