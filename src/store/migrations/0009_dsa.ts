/**
 * The EU's Digital Services Act (docs/dsa.md): notices of illegal content (Article 16) carry the
 * legal ground, an explanation and, optionally, who sent them; authors appeal a decision once
 * (Article 20), and another moderator decides the appeal. The transparency report (Articles 15
 * and 24) is read from these tables, the reports and the audit log; it needs nothing of its own.
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

export function up(engine: Engine) {
  const time = engine === 'postgres' ? 'timestamptz' : 'text';
  const flag = engine === 'postgres' ? 'boolean' : 'integer';

  return async (db: AnyDb): Promise<void> => {
    // A notice of illegal content (reason 'illegal'): null on every other report.
    await db.schema.alterTable('reports').addColumn('legal_ground', 'text').execute();
    await db.schema.alterTable('reports').addColumn('explanation', 'text').execute();
    await db.schema.alterTable('reports').addColumn('reporter_name', 'text').execute();
    await db.schema.alterTable('reports').addColumn('reporter_email', 'text').execute();
    await db.schema.alterTable('reports').addColumn('good_faith', flag).execute();
    // The illegal queue reads a page of comments' notices; the report page by reason and date.
    await db.schema
      .createIndex('reports_illegal')
      .on('reports')
      .columns(['comment_id', 'created_at'])
      .where(sql.ref('reason'), '=', sql.lit('illegal'))
      .execute();

    await db.schema
      .createTable('appeals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('comment_id', 'text', (c) =>
        c.notNull().references('comments.id').onDelete('cascade'),
      )
      // The audit log entry of the decision appealed (comment.reject or pipeline.reject): an
      // author appeals each decision once.
      .addColumn('decision_id', 'text', (c) => c.notNull().unique())
      // Who decided (null: the pipeline); they may not decide the appeal.
      .addColumn('decided_by', 'text')
      .addColumn('author_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      // open, upheld (the decision stands), reversed (the comment is published again).
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('reviewer_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('reviewed_at', time)
      // The reviewer's explanation, told to the author.
      .addColumn('review_note', 'text')
      .execute();
    await db.schema
      .createIndex('appeals_open')
      .on('appeals')
      .columns(['site_id', 'comment_id'])
      .where(sql.ref('state'), '=', sql.lit('open'))
      .execute();
    await db.schema
      .createIndex('appeals_comment')
      .on('appeals')
      .columns(['comment_id', 'id'])
      .execute();
    await db.schema.createIndex('appeals_site').on('appeals').columns(['site_id', 'id']).execute();
  };
}
