/**
 * Signed-in readers for the read bench: `count` readers with a session each and, unless `marks`
 * is false, marks on the story's first page (two reactions, a report and a comment awaiting
 * review), the first of them also with a published comment of their own at the top of it. Written
 * straight to the database in batched transactions, like bench/seed.ts; the reactions are counted
 * on their comments.
 */
import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import { tokenDigest } from '../src/credentials/tokens.ts';
import { newId } from '../src/domain/ids.ts';
import { renderCommentHtml } from '../src/domain/markdown.ts';
import type {
  CommentTable,
  Database,
  ReactionTable,
  ReportTable,
  SessionTable,
  UserTable,
} from '../src/store/schema.ts';
import type { Site } from '../src/store/rows.ts';

const BATCH = 500;

export interface SignedInReaders {
  /** Every reader's bearer token; the first one's also has their own comment on the page. */
  tokens: string[];
}

export async function seedSignedInReaders(
  db: Kysely<Database>,
  site: Site,
  storyId: string,
  count: number,
  options: { marks?: boolean } = {},
): Promise<SignedInReaders> {
  const withMarks = options.marks ?? true;
  const tag = withMarks ? 'signed-in' : 'plain';
  const firstPage = (
    await db
      .selectFrom('comments')
      .select('id')
      .where('story_id', '=', storyId)
      .where('thread_parent_id', 'is', null)
      .where('status', '=', 'approved')
      .orderBy('id', 'desc')
      .limit(20)
      .execute()
  ).map((r) => r.id);
  if (firstPage.length === 0) throw new Error('the story has no first page');
  const pick = (i: number) => firstPage[i % firstPage.length] as string;
  const now = new Date().toISOString();
  const tokens: string[] = [];
  const reactions = new Map<string, number>();
  const heldBody = 'Is there a source for this? https://unknown.example/report';
  const heldHtml = renderCommentHtml(heldBody);
  const moderation = JSON.stringify({
    decidedBy: 'links',
    reasons: [{ code: 'LINK_UNKNOWN', message: 'A link to a site we do not know' }],
    scores: {},
    tags: [],
  });
  for (let done = 0; done < count;) {
    const users: Insertable<UserTable>[] = [];
    const sessions: Insertable<SessionTable>[] = [];
    const marks: Insertable<ReactionTable>[] = [];
    const reports: Insertable<ReportTable>[] = [];
    const comments: Insertable<CommentTable>[] = [];
    const size = Math.min(BATCH, count - done);
    for (let i = 0; i < size; i++, done++) {
      const userId = newId();
      const token = randomBytes(24).toString('base64url');
      tokens.push(token);
      users.push({
        id: userId,
        email: `${tag}${done}.${storyId}@bench.example`,
        display_name: `${withMarks ? 'Signed-in' : 'Plain'} reader ${done}`,
        password_hash: null,
        role: 'commenter',
        created_at: now,
        email_verified_at: now,
      });
      sessions.push({
        id: newId(),
        user_id: userId,
        token_hash: tokenDigest(token),
        created_at: now,
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      });
      if (!withMarks) continue;
      for (const target of [pick(done), pick(done + 7)]) {
        marks.push({ comment_id: target, user_id: userId, created_at: now });
        reactions.set(target, (reactions.get(target) ?? 0) + 1);
      }
      reports.push({
        id: newId(),
        comment_id: pick(done + 3),
        user_id: userId,
        reason: 'off_topic',
        note: null,
        created_at: now,
      });
      const own = (body: string, status: 'approved' | 'pending') => {
        comments.push({
          id: newId(),
          site_id: site.id,
          story_id: storyId,
          parent_id: null,
          thread_parent_id: null,
          depth: 0,
          author_id: userId,
          body,
          html: status === 'pending' ? heldHtml : renderCommentHtml(body),
          status,
          reply_count: 0,
          reaction_count: 0,
          created_at: now,
          edited_at: null,
          deleted_at: null,
          moderation: status === 'pending' ? moderation : '{}',
        });
      };
      own(heldBody, 'pending');
      if (done === 0) own('My own comment, at the top of the page.', 'approved');
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(users).execute();
      await trx.insertInto('sessions').values(sessions).execute();
      if (!withMarks) return;
      await trx.insertInto('reactions').values(marks).execute();
      await trx.insertInto('reports').values(reports).execute();
      await trx.insertInto('comments').values(comments).execute();
    });
  }
  if (!withMarks) return { tokens };
  await db.transaction().execute(async (trx) => {
    for (const [id, n] of reactions) {
      await trx
        .updateTable('comments')
        .set((eb) => ({ reaction_count: eb('reaction_count', '+', n) }))
        .where('id', '=', id)
        .execute();
    }
    await trx
      .updateTable('stories')
      .set((eb) => ({ comment_count: eb('comment_count', '+', 1) }))
      .where('id', '=', storyId)
      .execute();
  });
  return { tokens };
}
