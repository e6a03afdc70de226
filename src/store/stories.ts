/** SQL for stories (one article under which readers comment). */
import type { Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import type { Database, StoryMode } from './schema.ts';
import { storyFromRow, type Story } from './rows.ts';
import { withExperts } from './qa.ts';

type Db = Kysely<Database>;

export async function getStory(db: Db, id: string): Promise<Story | undefined> {
  const row = await db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
  // A Q&A story is read with its experts (one more query, for Q&A stories only).
  return row && withExperts(db, storyFromRow(row));
}

export async function findStory(
  db: Db,
  siteId: string,
  key: { externalId: string | null; url: string },
): Promise<Story | undefined> {
  let query = db.selectFrom('stories').selectAll().where('site_id', '=', siteId);
  query = key.externalId
    ? query.where('external_id', '=', key.externalId)
    : query.where('url', '=', key.url).where('external_id', 'is', null);
  const row = await query.executeTakeFirst();
  return row && withExperts(db, storyFromRow(row));
}

/** Creates the story unless another request created it first; returns the stored one. */
export async function findOrInsertStory(
  db: Db,
  siteId: string,
  key: { externalId: string | null; url: string },
  details: { title?: string | null; section?: string | null; mode?: StoryMode } = {},
): Promise<{ story: Story; created: boolean }> {
  const existing = await findStory(db, siteId, key);
  if (existing) return { story: existing, created: false };
  const inserted = await db
    .insertInto('stories')
    .values({
      id: newId(),
      site_id: siteId,
      external_id: key.externalId,
      url: key.url,
      title: details.title ?? null,
      author: null,
      description: null,
      image_url: null,
      published_at: null,
      closed: 0,
      comment_count: 0,
      metadata_fetched_at: null,
      created_at: new Date().toISOString(),
      ...(details.section && { section: details.section }),
      ...(details.mode && { mode: details.mode }),
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { story: storyFromRow(inserted), created: true };
  const raced = await findStory(db, siteId, key);
  if (!raced) throw new Error('story insert conflicted but no story was found');
  return { story: raced, created: false };
}

export interface StoryMetadata {
  title: string | null;
  author: string | null;
  description: string | null;
  imageUrl: string | null;
  publishedAt: string | null;
}

export async function setStoryMetadata(db: Db, id: string, meta: StoryMetadata): Promise<void> {
  await db
    .updateTable('stories')
    .set({
      // What the page does not say leaves what the story already knows.
      ...(meta.title !== null && { title: meta.title }),
      ...(meta.author !== null && { author: meta.author }),
      ...(meta.description !== null && { description: meta.description }),
      ...(meta.imageUrl !== null && { image_url: meta.imageUrl }),
      ...(meta.publishedAt !== null && { published_at: meta.publishedAt }),
      metadata_fetched_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

export async function markMetadataAttempted(db: Db, id: string): Promise<void> {
  await db
    .updateTable('stories')
    .set({ metadata_fetched_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Comment counts for many stories of one site at once, keyed by external id and by url. */
export async function storyCounts(
  db: Db,
  siteId: string,
  externalIds: string[],
  urls: string[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (externalIds.length === 0 && urls.length === 0) return counts;
  const rows = await db
    .selectFrom('stories')
    .select(['external_id', 'url', 'comment_count'])
    .where('site_id', '=', siteId)
    .where((eb) =>
      eb.or([
        ...(externalIds.length ? [eb('external_id', 'in', externalIds)] : []),
        ...(urls.length ? [eb('url', 'in', urls)] : []),
      ]),
    )
    .execute();
  for (const row of rows) {
    if (row.external_id !== null) counts.set(row.external_id, row.comment_count);
    counts.set(row.url, row.comment_count);
  }
  return counts;
}
