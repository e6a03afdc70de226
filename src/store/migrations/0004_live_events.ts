/**
 * Live events: what the SSE streams send, kept for an hour so that a reader who reconnects (or
 * lands on another process) gets what they missed. `live_streams` holds each story's last event
 * number; taking the next one locks that row, so a story's events are numbered in commit order
 * and a reader's `Last-Event-ID` tells exactly what they have seen.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

export function up(engine: Engine) {
  const time = engine === 'postgres' ? 'timestamptz' : 'text';
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('live_streams')
      .addColumn('story_id', 'text', (c) => c.primaryKey())
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .execute();
    let events = db.schema.createTable('live_events');
    events =
      engine === 'postgres'
        ? events.addColumn('id', 'bigserial', (c) => c.primaryKey())
        : events.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
    await events
      .addColumn('story_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('site_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('audience', 'integer', (c) => c.notNull())
      .addColumn('author_id', 'text')
      .addColumn('comment_id', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('live_events_story_seq')
      .on('live_events')
      .columns(['story_id', 'seq'])
      .unique()
      .execute();
    await db.schema
      .createIndex('live_events_comment')
      .on('live_events')
      .column('comment_id')
      .execute();
    await db.schema
      .createIndex('live_events_created')
      .on('live_events')
      .column('created_at')
      .execute();
  };
}
