/**
 * Q&A with the newsroom (docs/qa.md): a story in Q&A mode takes readers' questions (its top-level
 * comments), which the story's experts (journalists named per story) or the site's staff answer
 * with a reply. Readers vote for the questions they want answered too.
 *
 * - `stories.mode` ('comments' or 'qa'), `stories.qa_open` (a closed Q&A stays readable) and
 *   `stories.section` (the page's section, which the site's Q&A defaults are matched against).
 * - `story_experts`: who answers a story's questions, with the title shown beside their name.
 * - `question_votes`: one vote per reader and question; `comments.vote_count` is its count.
 * - `comments.qa_answer` marks a reply that answers a question; `comments.answered_at` is set on a
 *   question once it has a published answer (denormalised for the tabs' range scans).
 * - `qa_sections`: the sections whose new stories start as Q&A, per site.
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the database as it was, not today's types
type AnyDb = Kysely<any>;

export function up(engine: Engine) {
  const time = engine === 'postgres' ? 'timestamptz' : 'text';
  const flag = engine === 'postgres' ? 'boolean' : 'integer';
  const falseValue = sql.raw(engine === 'postgres' ? 'false' : '0');
  const trueValue = sql.raw(engine === 'postgres' ? 'true' : '1');

  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .alterTable('stories')
      .addColumn('mode', 'text', (c) => c.notNull().defaultTo('comments'))
      .execute();
    await db.schema
      .alterTable('stories')
      .addColumn('qa_open', flag, (c) => c.notNull().defaultTo(trueValue))
      .execute();
    await db.schema.alterTable('stories').addColumn('section', 'text').execute();
    // The moderation queues of Q&A (questions, unanswered) read the Q&A stories.
    await db.schema
      .createIndex('stories_qa')
      .on('stories')
      .columns(['site_id', 'id'])
      .where(sql.ref('mode'), '=', sql.lit('qa'))
      .execute();

    await db.schema
      .createTable('story_experts')
      .addColumn('story_id', 'text', (c) =>
        c.notNull().references('stories.id').onDelete('cascade'),
      )
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('title', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('story_experts_pk', ['story_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('story_experts_user')
      .on('story_experts')
      .columns(['user_id'])
      .execute();

    await db.schema
      .createTable('question_votes')
      .addColumn('comment_id', 'text', (c) =>
        c.notNull().references('comments.id').onDelete('cascade'),
      )
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('question_votes_pk', ['comment_id', 'user_id'])
      .execute();
    // A reader's votes (erasure, and the viewer marks of a page).
    await db.schema
      .createIndex('question_votes_user')
      .on('question_votes')
      .columns(['user_id', 'comment_id'])
      .execute();

    await db.schema
      .alterTable('comments')
      .addColumn('vote_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('comments').addColumn('answered_at', time).execute();
    await db.schema
      .alterTable('comments')
      .addColumn('qa_answer', flag, (c) => c.notNull().defaultTo(falseValue))
      .execute();
    // The tabs: unanswered questions by votes then newest, answered ones by when they were
    // answered. Only top-level published comments are questions.
    await db.schema
      .createIndex('comments_questions_unanswered')
      .on('comments')
      .columns(['story_id', 'vote_count', 'id'])
      .where(
        sql<boolean>`parent_id is null and answered_at is null and status = 'approved' and deleted_at is null`,
      )
      .execute();
    await db.schema
      .createIndex('comments_questions_answered')
      .on('comments')
      .columns(['story_id', 'answered_at', 'id'])
      .where(
        sql<boolean>`parent_id is null and answered_at is not null and status = 'approved' and deleted_at is null`,
      )
      .execute();
    // A question's answers.
    await db.schema
      .createIndex('comments_answers')
      .on('comments')
      .columns(['parent_id', 'id'])
      .where(sql.ref('qa_answer'), '=', trueValue)
      .execute();

    await db.schema
      .createTable('qa_sections')
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('section', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('qa_sections_pk', ['site_id', 'section'])
      .execute();
  };
}
