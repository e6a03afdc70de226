/**
 * Identity and privacy: accounts signed in through a publisher's SSO or an OpenID Connect provider
 * (user_identities), emailed single-use links (email_tokens), sign-in backoff (auth_throttle),
 * SSO token ids already used (sso_token_uses), OIDC logins in flight (oidc_states), the mail
 * outbox, refresh tokens that rotate (sessions), account deletion with a grace period (users),
 * and the client address and user agent kept with a comment until the retention job erases them.
 * Also two columns for live updates: a per-story switch and each story's last event time.
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

export function up(engine: Engine) {
  const time = engine === 'postgres' ? 'timestamptz' : 'text';
  return async (db: AnyDb): Promise<void> => {
    const addColumns = async (table: string, columns: [string, string][]) => {
      // One statement per column: SQLite's ALTER TABLE adds one at a time.
      for (const [name, type] of columns) {
        await db.schema
          .alterTable(table)
          .addColumn(name, sql.raw(type) as never)
          .execute();
      }
    };

    await addColumns('users', [
      ['email_verified_at', time],
      ['locale', 'text'],
      ['avatar_url', 'text'],
      ['badges', 'text'],
      ['display_name_changed_at', time],
      ['deletion_requested_at', time],
      ['deletion_due_at', time],
      ['deleted_at', time],
    ]);
    // Accounts that existed before verification was asked for keep working as they did.
    await db
      .updateTable('users')
      .set({ email_verified_at: sql`created_at` })
      .execute();

    await addColumns('sessions', [
      ['refresh_hash', 'text'],
      ['refresh_expires_at', time],
      ['previous_refresh_hash', 'text'],
      ['revoked_at', time],
      ['method', 'text'],
      ['ip', 'text'],
      ['user_agent', 'text'],
      ['last_refreshed_at', time],
    ]);
    await db.schema
      .createIndex('sessions_refresh')
      .on('sessions')
      .column('refresh_hash')
      .unique()
      .execute();
    await db.schema
      .createIndex('sessions_previous_refresh')
      .on('sessions')
      .column('previous_refresh_hash')
      .execute();

    await addColumns('comments', [
      ['author_ip', 'text'],
      ['author_user_agent', 'text'],
    ]);
    // The retention job looks only at comments that still hold an address.
    await db.schema
      .createIndex('comments_with_address')
      .on('comments')
      .column('created_at')
      .where(sql.ref('author_ip'), 'is not', null)
      .execute();

    await db.schema
      .alterTable('sites')
      .addColumn('auth', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();

    // Live updates (issue 6): a per-story switch, and when a story last had an event, so that
    // quiet stories stop holding streams open.
    await db.schema
      .alterTable('stories')
      .addColumn('live_updates', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await addColumns('live_streams', [['last_event_at', time]]);

    await db.schema
      .createTable('user_identities')
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('user_identities_pk', ['provider', 'subject'])
      .execute();
    await db.schema
      .createIndex('user_identities_user')
      .on('user_identities')
      .column('user_id')
      .execute();

    await db.schema
      .createTable('email_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('new_email', 'text')
      .addColumn('expires_at', time, (c) => c.notNull())
      .addColumn('used_at', time)
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('email_tokens_user').on('email_tokens').column('user_id').execute();

    await db.schema
      .createTable('auth_throttle')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('first_failure_at', time, (c) => c.notNull())
      .addColumn('blocked_until', time)
      .execute();

    await db.schema
      .createTable('sso_token_uses')
      .addColumn('site_id', 'text', (c) => c.notNull())
      .addColumn('jti', 'text', (c) => c.notNull())
      .addColumn('expires_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('sso_token_uses_pk', ['site_id', 'jti'])
      .execute();
    await db.schema
      .createIndex('sso_token_uses_expiry')
      .on('sso_token_uses')
      .column('expires_at')
      .execute();

    await db.schema
      .createTable('oidc_states')
      .addColumn('state', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('code_verifier', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('expires_at', time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('mail_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('text_body', 'text', (c) => c.notNull())
      .addColumn('html_body', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('message_id', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('sent_at', time)
      .execute();
    await db.schema
      .createIndex('mail_outbox_created')
      .on('mail_outbox')
      .column('created_at')
      .execute();
    await db.schema.createIndex('mail_outbox_user').on('mail_outbox').column('user_id').execute();
  };
}
