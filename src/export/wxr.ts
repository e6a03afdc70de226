/**
 * A site's discussions as a WordPress eXtended RSS (WXR 1.2) document: what WordPress imports, and
 * what Disqus takes as its "custom XML import format", so that a newsroom can always leave Parley
 * with its comments (docs/export.md, "WXR").
 *
 * One `<item>` per story (a post: title, link, dates, open or closed) with its comments as
 * `<wp:comment>` elements. WXR numbers posts and comments; Parley's ids are not numbers, so each
 * export numbers them 1, 2, 3… in id order (time order): posts across the site, comments across
 * the whole document. A reply's `comment_parent` is its parent's number: WordPress resolves it
 * against the comments already read, and in id order a parent comes before its replies.
 *
 * Streamed in constant memory: stories a page at a time, and for each story only its comments'
 * ids (sorted, so a parent's number is found by binary search), then the comments themselves a
 * chunk at a time by id.
 *
 * Addresses: a comment carries its author's address only when the address was confirmed (and the
 * account is neither erased nor an imported author's profile, whose address is a placeholder):
 * never an address Parley does not know to be the reader's. Client IP addresses are never written.
 */
import type { Kysely } from 'kysely';
import { storyIsClosed } from '../domain/moderation/phases/story-closed.ts';
import type { Store } from '../store/db.ts';
import { siteFromRow, toFlag, toIso } from '../store/rows.ts';
import type { CommentStatus, Database } from '../store/schema.ts';

const STORY_PAGE = 500;
const ID_PAGE = 5000;
const COMMENT_CHUNK = 500;
/** Output is handed to `write` in chunks of about this many characters. */
const CHUNK_CHARS = 64 * 1024;

export interface WxrProgress {
  stories: number;
  comments: number;
}

export interface WxrExportOptions {
  siteId: string;
  write: (chunk: string) => Promise<void> | void;
  onProgress?: ((progress: WxrProgress) => void) | undefined;
  /** The database to read (a snapshot's transaction); default `store.db`. */
  db?: Kysely<Database> | undefined;
}

export class WxrExportError extends Error {}

/** WordPress's comment_approved for each of Parley's states. */
const APPROVED: Record<CommentStatus, string> = {
  approved: '1',
  pending: '0',
  rejected: 'spam',
  deleted: 'trash',
};

/**
 * Characters XML 1.0 cannot hold at all, dropped: controls, U+FFFE and U+FFFF, and (the `u` flag
 * reads text by code point) surrogates not in a pair.
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A CDATA section holding `value` as is; a `]]>` inside is split across two sections. */
export function cdata(value: string): string {
  return `<![CDATA[${value.replace(NOT_XML, '').replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** WXR's dates: `YYYY-MM-DD HH:MM:SS`, here always in UTC (GMT). */
function wxrDate(value: string | Date): string {
  return toIso(value).slice(0, 19).replace('T', ' ');
}

/** Index of `id` in the sorted `ids`, or -1. */
function indexOf(ids: string[], id: string): number {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = ids[middle] as string;
    if (value === id) return middle;
    if (value < id) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function exportWxr(
  store: Pick<Store, 'db'>,
  options: WxrExportOptions,
): Promise<{ stories: number; comments: number }> {
  const db = options.db ?? store.db;
  const siteRow = await db
    .selectFrom('sites')
    .selectAll()
    .where('id', '=', options.siteId)
    .executeTakeFirst();
  if (!siteRow) throw new WxrExportError(`there is no site with id ${options.siteId}`);
  const site = siteFromRow(siteRow);

  let buffer = '';
  const emit = async (text: string) => {
    buffer += text;
    if (buffer.length >= CHUNK_CHARS) {
      const chunk = buffer;
      buffer = '';
      await options.write(chunk);
    }
  };

  const home = site.allowedOrigins[0] ?? '';
  await emit(
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!-- WordPress eXtended RSS (WXR 1.2), exported by Parley: comments only. -->',
      '<rss version="2.0"',
      '  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"',
      '  xmlns:content="http://purl.org/rss/1.0/modules/content/"',
      '  xmlns:wfw="http://wellformedweb.org/CommentAPI/"',
      '  xmlns:dc="http://purl.org/dc/elements/1.1/"',
      '  xmlns:dsq="http://www.disqus.com/"',
      '  xmlns:wp="http://wordpress.org/export/1.2/">',
      '<channel>',
      `  <title>${xmlText(site.name)}</title>`,
      `  <link>${xmlText(home)}</link>`,
      '  <description></description>',
      `  <pubDate>${new Date().toUTCString()}</pubDate>`,
      `  <language>${xmlText(site.locale ?? 'en')}</language>`,
      '  <generator>Parley</generator>',
      '  <wp:wxr_version>1.2</wp:wxr_version>',
      `  <wp:base_site_url>${xmlText(home)}</wp:base_site_url>`,
      `  <wp:base_blog_url>${xmlText(home)}</wp:base_blog_url>`,
      '',
    ].join('\n'),
  );

  let postNumber = 0;
  let commentBase = 0;
  let after: string | null = null;
  const now = new Date();
  for (;;) {
    let query = db
      .selectFrom('stories')
      .select([
        'id',
        'external_id',
        'url',
        'title',
        'author',
        'published_at',
        'created_at',
        'closed',
      ])
      .where('site_id', '=', site.id);
    if (after !== null) query = query.where('id', '>', after);
    const stories = await query.orderBy('id').limit(STORY_PAGE).execute();
    for (const story of stories) {
      postNumber++;
      const posted = story.published_at ?? story.created_at;
      const closed = storyIsClosed(
        { closed: toFlag(story.closed), openedAt: toIso(posted) },
        site.moderation,
        now,
      );
      await emit(
        [
          '  <item>',
          `    <title>${xmlText(story.title ?? story.url)}</title>`,
          `    <link>${xmlText(story.url)}</link>`,
          `    <pubDate>${new Date(toIso(posted)).toUTCString()}</pubDate>`,
          `    <dc:creator>${cdata(story.author ?? '')}</dc:creator>`,
          `    <guid isPermaLink="false">parley:story:${xmlText(story.id)}</guid>`,
          '    <description></description>',
          `    <content:encoded>${cdata('')}</content:encoded>`,
          `    <excerpt:encoded>${cdata('')}</excerpt:encoded>`,
          ...(story.external_id === null
            ? []
            : [`    <dsq:thread_identifier>${xmlText(story.external_id)}</dsq:thread_identifier>`]),
          `    <wp:post_id>${postNumber}</wp:post_id>`,
          `    <wp:post_date>${wxrDate(posted)}</wp:post_date>`,
          `    <wp:post_date_gmt>${wxrDate(posted)}</wp:post_date_gmt>`,
          `    <wp:comment_status>${closed ? 'closed' : 'open'}</wp:comment_status>`,
          '    <wp:ping_status>closed</wp:ping_status>',
          '    <wp:post_name></wp:post_name>',
          '    <wp:status>publish</wp:status>',
          '    <wp:post_parent>0</wp:post_parent>',
          '    <wp:menu_order>0</wp:menu_order>',
          '    <wp:post_type>post</wp:post_type>',
          '    <wp:post_password></wp:post_password>',
          '    <wp:is_sticky>0</wp:is_sticky>',
          '',
        ].join('\n'),
      );
      const ids = await storyCommentIds(db, story.id);
      for (let i = 0; i < ids.length; i += COMMENT_CHUNK) {
        const rows = await db
          .selectFrom('comments as c')
          .innerJoin('users as u', 'u.id', 'c.author_id')
          .select([
            'c.id',
            'c.parent_id',
            'c.status',
            'c.deleted_at',
            'c.html',
            'c.created_at',
            'u.display_name',
            'u.email',
            'u.email_verified_at',
            'u.imported_at',
            'u.deleted_at as author_deleted_at',
          ])
          .where('c.id', 'in', ids.slice(i, i + COMMENT_CHUNK))
          .execute();
        for (const row of rows.sort(byId)) {
          const number = commentBase + indexOf(ids, row.id) + 1;
          const parentIndex = row.parent_id === null ? -1 : indexOf(ids, row.parent_id);
          const parent = parentIndex < 0 ? 0 : commentBase + parentIndex + 1;
          const confirmed =
            row.email_verified_at !== null &&
            row.imported_at === null &&
            row.author_deleted_at === null;
          await emit(
            [
              '    <wp:comment>',
              `      <wp:comment_id>${number}</wp:comment_id>`,
              `      <wp:comment_author>${cdata(row.display_name)}</wp:comment_author>`,
              `      <wp:comment_author_email>${confirmed ? xmlText(row.email) : ''}</wp:comment_author_email>`,
              '      <wp:comment_author_url></wp:comment_author_url>',
              '      <wp:comment_author_IP></wp:comment_author_IP>',
              `      <wp:comment_date>${wxrDate(row.created_at)}</wp:comment_date>`,
              `      <wp:comment_date_gmt>${wxrDate(row.created_at)}</wp:comment_date_gmt>`,
              `      <wp:comment_content>${cdata(row.html)}</wp:comment_content>`,
              // A deleted comment kept for its replies (a tombstone) is trash to WordPress too.
              `      <wp:comment_approved>${row.deleted_at === null ? APPROVED[row.status] : 'trash'}</wp:comment_approved>`,
              '      <wp:comment_type></wp:comment_type>',
              `      <wp:comment_parent>${parent}</wp:comment_parent>`,
              '      <wp:comment_user_id>0</wp:comment_user_id>',
              '    </wp:comment>',
              '',
            ].join('\n'),
          );
        }
      }
      commentBase += ids.length;
      await emit('  </item>\n');
      options.onProgress?.({ stories: postNumber, comments: commentBase });
    }
    if (stories.length < STORY_PAGE) break;
    after = (stories[stories.length - 1] as { id: string }).id;
  }
  await emit('</channel>\n</rss>\n');
  if (buffer) await options.write(buffer);
  return { stories: postNumber, comments: commentBase };
}

/** Every comment id of a story, sorted (read along the story's status index, a page at a time). */
async function storyCommentIds(db: Kysely<Database>, storyId: string): Promise<string[]> {
  const ids: string[] = [];
  let after: { status: CommentStatus; id: string } | null = null;
  for (;;) {
    let query = db.selectFrom('comments').select(['status', 'id']).where('story_id', '=', storyId);
    if (after !== null) {
      const { status, id } = after;
      query = query.where((eb) => eb(eb.refTuple('status', 'id'), '>', eb.tuple(status, id)));
    }
    const page = await query.orderBy('status').orderBy('id').limit(ID_PAGE).execute();
    for (const row of page) ids.push(row.id);
    if (page.length < ID_PAGE) break;
    const last = page[page.length - 1] as { status: CommentStatus; id: string };
    after = { status: last.status, id: last.id };
  }
  return ids.sort();
}
