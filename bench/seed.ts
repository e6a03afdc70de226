/**
 * Fills a database with one big story for the benchmark: `count` comments, 70% top level and 30%
 * replies spread over the first top-level comments, with reactions counted on the rows, written in
 * batched transactions (with a progress line).
 */
import type { Insertable, Kysely } from 'kysely';
import { newId } from '../src/domain/ids.ts';
import { renderCommentHtml } from '../src/domain/markdown.ts';
import type { CommentTable, Database } from '../src/store/schema.ts';
import type { Site } from '../src/store/rows.ts';
import { findOrInsertStory } from '../src/store/stories.ts';
import { hashPassword } from '../src/credentials/passwords.ts';
import { insertUser } from '../src/store/users.ts';

const BATCH = 500;
const SENTENCES = [
  'The *Beijing* round follows the one in Moscow, and the sequencing matters.',
  'Who administers Gaza the morning after an agreement is the real question.',
  'لا بد من حكومة وحدة وطنية قبل أي انتخابات.',
  'השאלה היא מה יקרה ביום שאחרי ההסכם.',
  '北京这次的斡旋值得关注，但细节仍不清楚。',
  "La réconciliation a déjà échoué plusieurs fois ; qu'est-ce qui change ?",
  '> both sides expressed political will\nWords are cheap; a timetable is not.',
];

export async function seedBigStory(
  db: Kysely<Database>,
  site: Site,
  count: number,
  progress: (done: number) => void,
): Promise<string> {
  const { story } = await findOrInsertStory(db, site.id, {
    externalId: `bench-${count}`,
    url: `${site.allowedOrigins[0]}/bench/${count}`,
  });
  const authors: string[] = [];
  for (let i = 0; i < 200; i++) {
    const user = await insertUser(db, {
      email: `bench${i}.${story.id}@example.com`,
      displayName: `Reader ${i}`,
      passwordHash: null,
      role: 'commenter',
    });
    if (user) authors.push(user.id);
  }
  const start = Date.now() - count * 1000;
  const topLevel = Math.round(count * 0.7);
  const tops: { id: string; replies: number }[] = [];
  let written = 0;
  while (written < count) {
    const rows: Insertable<CommentTable>[] = [];
    const size = Math.min(BATCH, count - written);
    for (let i = 0; i < size; i++, written++) {
      const isTop = written < topLevel || tops.length === 0;
      // A tenth of the replies answer the first comment: one long thread, for deep reply pages.
      const parent = isTop
        ? undefined
        : written % 10 === 0
          ? tops[0]
          : tops[(written * 7919) % tops.length];
      const id = newId(start + written * 1000);
      const body = SENTENCES[written % SENTENCES.length] as string;
      if (parent) parent.replies++;
      else tops.push({ id, replies: 0 });
      rows.push({
        id,
        site_id: site.id,
        story_id: story.id,
        parent_id: parent?.id ?? null,
        thread_parent_id: parent?.id ?? null,
        depth: parent ? 1 : 0,
        author_id: authors[written % authors.length] as string,
        body,
        html: renderCommentHtml(body),
        status: 'approved',
        reply_count: 0,
        reaction_count: (written * 7919) % 23,
        created_at: new Date(start + written * 1000).toISOString(),
        edited_at: null,
        deleted_at: null,
      });
    }
    await db.insertInto('comments').values(rows).execute();
    progress(written);
  }
  await db.transaction().execute(async (trx) => {
    for (const top of tops.filter((t) => t.replies > 0)) {
      await trx
        .updateTable('comments')
        .set({ reply_count: top.replies })
        .where('id', '=', top.id)
        .execute();
    }
    await trx
      .updateTable('stories')
      .set({ comment_count: count })
      .where('id', '=', story.id)
      .execute();
  });
  return story.id;
}

/** The benchmark's signed-in reader (sign-up only mails a link): confirmed, with a password. */
export const BENCH_PASSWORD = 'bench password 1';

export async function seedReader(
  db: Kysely<Database>,
  email: string,
  displayName: string,
): Promise<void> {
  await insertUser(db, {
    email,
    displayName,
    passwordHash: await hashPassword(BENCH_PASSWORD),
    role: 'commenter',
  });
}

/** Logs the seeded reader in through the API; their access token. */
export async function loginReader(base: string, email: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
