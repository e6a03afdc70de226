/**
 * Notifications and integrations (docs/notifications.md, docs/webhooks.md): readers' notifications
 * and their mail choices, moderators' alerts, publishers' webhook endpoints and their deliveries,
 * the site's branding that every mail carries, and how far each story's live event log has been
 * handed to them (the dispatcher, src/notify/dispatcher.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

export function up(engine: Engine) {
  const time = engine === 'postgres' ? 'timestamptz' : 'text';
  return async (db: AnyDb): Promise<void> => {
    // The publisher's brand (name shown is sites.name): JSON {logoUrl, accentColor,
    // guidelinesUrl, senderName, signoff}, missing keys meaning "not set".
    await db.schema
      .alterTable('sites')
      .addColumn('branding', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    // Notification mail: the one-click unsubscribe address (List-Unsubscribe, RFC 8058) and the
    // publisher's sender name shown in From.
    await db.schema.alterTable('mail_outbox').addColumn('unsubscribe_url', 'text').execute();
    await db.schema.alterTable('mail_outbox').addColumn('from_name', 'text').execute();
    // Keys the installation makes for itself (the unsubscribe links' signing key): generated on
    // first use, shared by every process through the database.
    await db.schema
      .createTable('installation_secrets')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();
    // A hard bounce (SMTP 5xx) stops notification mail to the address until it is confirmed again.
    await db.schema.alterTable('users').addColumn('mail_bounced_at', time).execute();

    // How far each story's live events have been dispatched to notifications, alerts and
    // webhooks. Stories that existed before are taken as dispatched: nobody is told of the past.
    await db.schema
      .alterTable('live_streams')
      .addColumn('dispatched_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`update live_streams set dispatched_seq = last_seq`.execute(db);
    await db.schema
      .createIndex('live_streams_undispatched')
      .on('live_streams')
      .column('last_event_at')
      .where(sql.ref('last_seq'), '>', sql.ref('dispatched_seq'))
      .execute();

    // A reader's choices (one row per reader, for every site; none: the defaults, mail off).
    await db.schema
      .createTable('notification_settings')
      .addColumn('user_id', 'text', (c) =>
        c.primaryKey().references('users.id').onDelete('cascade'),
      )
      // off, immediate, hourly, daily.
      .addColumn('email', 'text', (c) => c.notNull())
      // JSON {reply, staff, mention, moderation, featured}: which kinds of event reach the mail.
      .addColumn('kinds', 'text', (c) => c.notNull())
      .addColumn('updated_at', time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('notifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('story_id', 'text', (c) =>
        c.notNull().references('stories.id').onDelete('cascade'),
      )
      // The comment the notification is about (the reply, the mention, the approved comment).
      .addColumn('comment_id', 'text', (c) =>
        c.notNull().references('comments.id').onDelete('cascade'),
      )
      // reply, staff, mention, approved, rejected, featured.
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('read_at', time)
      // Mail: null (none due), immediate (a job sends it), digest (waits for the reader's digest),
      // sent, skipped (turned off, no confirmed address, bounced, or no longer published).
      .addColumn('email_state', 'text')
      .execute();
    // A redelivered event makes no second notification.
    await db.schema
      .createIndex('notifications_once')
      .unique()
      .on('notifications')
      .columns(['user_id', 'comment_id', 'kind'])
      .execute();
    await db.schema
      .createIndex('notifications_user')
      .on('notifications')
      .columns(['user_id', 'id'])
      .execute();
    await db.schema
      .createIndex('notifications_unread')
      .on('notifications')
      .column('user_id')
      .where(sql.ref('read_at'), 'is', null)
      .execute();
    await db.schema
      .createIndex('notifications_digest')
      .on('notifications')
      .columns(['user_id', 'id'])
      .where(sql.ref('email_state'), '=', sql.lit('digest'))
      .execute();

    // A moderator's alerts for one site.
    await db.schema
      .createTable('moderator_alerts')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      // off, immediate, digest: a comment waits in the pending queue.
      .addColumn('pending', 'text', (c) => c.notNull())
      // off, immediate, digest: a comment is reported.
      .addColumn('reported', 'text', (c) => c.notNull())
      .addColumn('digest_minutes', 'integer', (c) => c.notNull())
      // A comment reported more than this many times (0: off).
      .addColumn('report_threshold', 'integer', (c) => c.notNull())
      // A story's volume spikes: this many comments in an hour (0: off).
      .addColumn('spike_per_hour', 'integer', (c) => c.notNull())
      .addColumn('by_email', 'integer', (c) => c.notNull())
      // A Slack-compatible incoming webhook (a secret: never logged or shown back whole).
      .addColumn('chat_url', 'text')
      // slack, teams, discord.
      .addColumn('chat_format', 'text', (c) => c.notNull())
      // When the last digest went out; the next covers what came after.
      .addColumn('digest_sent_at', time)
      .addColumn('updated_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('moderator_alerts_pkey', ['user_id', 'site_id'])
      .execute();

    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      // JSON array of event types.
      .addColumn('events', 'text', (c) => c.notNull())
      // JSON array [{secret, createdAt, expiresAt|null}], newest first: a rotated secret keeps
      // signing beside the new one until it expires.
      .addColumn('secrets', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('updated_at', time, (c) => c.notNull())
      // Since when every delivery has failed (null: the last one succeeded).
      .addColumn('failing_since', time)
      .addColumn('disabled_at', time)
      .addColumn('disabled_reason', 'text')
      .execute();
    await db.schema
      .createIndex('webhook_endpoints_site')
      .on('webhook_endpoints')
      .column('site_id')
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('endpoint_id', 'text', (c) =>
        c.notNull().references('webhook_endpoints.id').onDelete('cascade'),
      )
      // The event's id (webhook-id): the same for every attempt and every "send again".
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      // Deliveries of one endpoint with the same key go out in order (the story's id; '' for none).
      .addColumn('ordering_key', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      // pending, delivered, failed (gave up), cancelled.
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', time, (c) => c.notNull())
      .addColumn('locked_until', time)
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('delivered_at', time)
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['next_attempt_at'])
      .where(sql.ref('state'), '=', sql.lit('pending'))
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_lane')
      .on('webhook_deliveries')
      .columns(['endpoint_id', 'ordering_key', 'id'])
      .where(sql.ref('state'), '=', sql.lit('pending'))
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_endpoint')
      .on('webhook_deliveries')
      .columns(['endpoint_id', 'id'])
      .execute();

    await db.schema
      .createTable('webhook_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('delivery_id', 'text', (c) =>
        c.notNull().references('webhook_deliveries.id').onDelete('cascade'),
      )
      .addColumn('attempted_at', time, (c) => c.notNull())
      // The receiver's status code (null: no answer: refused, timed out, not a public address).
      .addColumn('status', 'integer')
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      // The first bytes of the receiver's answer, for the delivery log.
      .addColumn('response', 'text')
      .execute();
    await db.schema
      .createIndex('webhook_attempts_delivery')
      .on('webhook_attempts')
      .columns(['delivery_id', 'attempted_at'])
      .execute();
  };
}
