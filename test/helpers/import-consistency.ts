/**
 * What every import must leave, whatever stopped it: checked after imports that fail half way,
 * are killed, or resume (test/import/hostile.test.ts, resume.test.ts).
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Store } from '../../src/store/db.ts';

/**
 * What was committed holds together: every comment's story, parent and thread parent exist in
 * the same story; each story's comment_count is its published comments (approved, not deleted);
 * each comment's reply_count is its approved children by thread_parent_id (tombstones included,
 * as the importer places them); each import_sources comment row points at an existing comment and
 * each comment has exactly one.
 */
export async function assertConsistent(store: Store) {
  const db = store.db;
  const { rows: lost } = await sql<{ id: string }>`
    select c.id from comments c
    left join stories s on s.id = c.story_id
    left join comments p on p.id = c.parent_id
    left join comments tp on tp.id = c.thread_parent_id
    where s.id is null
       or (c.parent_id is not null and (p.id is null or p.story_id <> c.story_id))
       or (c.thread_parent_id is not null and (tp.id is null or tp.story_id <> c.story_id))
  `.execute(db);
  assert.deepEqual(lost, [], 'comments whose story, parent or thread parent is missing');

  const { rows: wrongStories } = await sql<{ id: string; comment_count: number; n: number }>`
    select s.id, s.comment_count, coalesce(c.n, 0) as n
    from stories s
    left join (
      select story_id, count(*) as n from comments
      where status = 'approved' and deleted_at is null
      group by story_id
    ) c on c.story_id = s.id
    where s.comment_count <> coalesce(c.n, 0)
  `.execute(db);
  assert.deepEqual(wrongStories, [], "stories whose comment_count is not their comments' count");

  const { rows: wrongReplies } = await sql<{ id: string; reply_count: number; n: number }>`
    select c.id, c.reply_count, coalesce(r.n, 0) as n
    from comments c
    left join (
      select thread_parent_id, count(*) as n from comments
      where status = 'approved' and thread_parent_id is not null
      group by thread_parent_id
    ) r on r.thread_parent_id = c.id
    where c.reply_count <> coalesce(r.n, 0)
  `.execute(db);
  assert.deepEqual(wrongReplies, [], "comments whose reply_count is not their replies' count");

  const { rows: dangling } = await sql<{ target_id: string }>`
    select i.target_id from import_sources i
    left join comments c on c.id = i.target_id
    where i.kind = 'comment' and i.target_id is not null and c.id is null
  `.execute(db);
  assert.deepEqual(dangling, [], 'import_sources rows pointing at no comment');
  const { rows: untraced } = await sql<{ id: string }>`
    select c.id from comments c
    left join (
      select target_id, count(*) as n from import_sources
      where kind = 'comment' and target_id is not null
      group by target_id
    ) i on i.target_id = c.id
    where coalesce(i.n, 0) <> 1
  `.execute(db);
  assert.deepEqual(untraced, [], 'comments without exactly one import_sources row');
}
