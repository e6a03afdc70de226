/**
 * The WXR export, on both engines, read back with a real XML parser (saxes): well-formed, one item
 * per story with its comments, numbered so that every reply points at its parent's number, each
 * comment's state as WordPress spells it, the stored HTML intact inside CDATA (a `]]>` in it too),
 * titles escaped, addresses only where confirmed, and no IP address.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SaxesParser } from 'saxes';
import { cdata, exportWxr, WxrExportError, xmlText } from '../../src/export/wxr.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';
import { buildDiscussion, type Discussion } from './fixtures.ts';

const WP = 'http://wordpress.org/export/1.2/';

interface WxrComment {
  [field: string]: string;
}
interface WxrItem {
  fields: Record<string, string>;
  comments: WxrComment[];
}

/** The document's items, their fields and comments (text and CDATA joined), as a reader sees them. */
function readWxr(xml: string): { items: WxrItem[]; namespaces: Record<string, string> } {
  const parser = new SaxesParser({ xmlns: true });
  const items: WxrItem[] = [];
  let namespaces: Record<string, string> = {};
  let item: WxrItem | null = null;
  let comment: WxrComment | null = null;
  let text = '';
  parser.on('opentag', (tag) => {
    if (tag.name === 'rss') namespaces = { ...tag.ns };
    if (tag.name === 'item') item = { fields: {}, comments: [] };
    if (tag.local === 'comment' && tag.uri === WP) comment = {};
    text = '';
  });
  parser.on('text', (t) => (text += t));
  parser.on('cdata', (t) => (text += t));
  parser.on('closetag', (tag) => {
    if (tag.name === 'item' && item) {
      items.push(item);
      item = null;
    } else if (tag.local === 'comment' && tag.uri === WP && comment && item) {
      item.comments.push(comment);
      comment = null;
    } else if (comment) {
      comment[tag.local] = text;
    } else if (item) {
      item.fields[tag.name] = text;
    }
    text = '';
  });
  parser.write(xml).close();
  return { items, namespaces };
}

describe('WXR text', () => {
  it('escapes markup in text, and splits "]]>" across CDATA sections', () => {
    assert.equal(xmlText('Q&A <b> "x"'), 'Q&amp;A &lt;b&gt; "x"');
    assert.equal(cdata('a]]>b'), '<![CDATA[a]]]]><![CDATA[>b]]>');
    assert.equal(
      cdata('bad\u0001\uFFFEchar \uD83D\uDE00 \uD800'),
      '<![CDATA[badchar \uD83D\uDE00 ]]>',
    );
  });
});

for (const engine of await testEngines()) {
  describe(`the WXR export (${engine})`, () => {
    let app: TestApp;
    let discussion: Discussion;
    let xml: string;
    let chunks = 0;
    const tricky = '<p>Code: <code>a[b[0]]&gt;</code> and ]]> raw, &amp; a \u0001 control</p>';

    before(async () => {
      app = await createTestApp(engine, { PARLEY_THREAD_CACHE_TTL_MS: '0' });
      discussion = await buildDiscussion(app);
      const { comments, readers, stories } = discussion;
      const db = app.store.db;
      await db
        .updateTable('comments')
        .set({ html: tricky })
        .where('id', '=', comments.liked as string)
        .execute();
      await db
        .updateTable('stories')
        .set({ closed: 1 })
        .where('id', '=', stories[0] as string)
        .execute();
      // An imported author's address is a placeholder; an unconfirmed one is not known to be theirs.
      await db
        .updateTable('users')
        .set({ imported_at: new Date().toISOString() })
        .where('id', '=', readers.held?.id as string)
        .execute();
      await db
        .updateTable('users')
        .set({ email_verified_at: null })
        .where('id', '=', readers.yossi?.id as string)
        .execute();
      xml = '';
      await exportWxr(app.store, {
        siteId: app.site.id,
        write: (chunk) => {
          chunks++;
          xml += chunk;
        },
      });
    });
    after(async () => app?.close());

    it('is well-formed WXR 1.2 with the WordPress namespaces', () => {
      const { items, namespaces } = readWxr(xml);
      assert.equal(namespaces.wp, WP);
      assert.equal(namespaces.content, 'http://purl.org/rss/1.0/modules/content/');
      assert.equal(namespaces.dc, 'http://purl.org/dc/elements/1.1/');
      assert.equal(namespaces.excerpt, 'http://wordpress.org/export/1.2/excerpt/');
      assert.equal(items.length, 2);
      assert.ok(chunks >= 1);
      assert.match(xml, /<wp:wxr_version>1\.2<\/wp:wxr_version>/);
    });

    it('holds one post per story: title escaped, link, id in guid, GMT date, open or closed', async () => {
      const { items } = readWxr(xml);
      const [first, second] = items as [WxrItem, WxrItem];
      assert.equal(second.fields.title, 'Q&A: <live> "coverage"');
      assert.match(xml, /<title>Q&amp;A: &lt;live&gt; "coverage"<\/title>/);
      assert.equal(first.fields.link, 'https://news.example/news/first-story');
      assert.equal(first.fields.guid, `parley:story:${discussion.stories[0]}`);
      assert.equal(first.fields['dsq:thread_identifier'], 'first-story');
      assert.deepEqual([first.fields['wp:post_id'], second.fields['wp:post_id']], ['1', '2']);
      assert.match(first.fields['wp:post_date_gmt'] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.equal(first.fields['wp:comment_status'], 'closed');
      assert.equal(second.fields['wp:comment_status'], 'open');
      assert.equal(first.fields['wp:post_type'], 'post');
    });

    it('holds every comment, numbered in id order, each reply pointing at its parent', async () => {
      const { items } = readWxr(xml);
      const stories = [...discussion.stories].sort();
      const rows = await app.store.db
        .selectFrom('comments')
        .select(['id', 'story_id', 'parent_id', 'status', 'deleted_at', 'html', 'created_at'])
        .execute();
      const numbers = new Map<string, number>();
      for (const story of stories) {
        for (const row of rows
          .filter((r) => r.story_id === story)
          .sort((a, b) => (a.id < b.id ? -1 : 1))) {
          numbers.set(row.id, numbers.size + 1);
        }
      }
      const written = new Map(
        items.flatMap((item) => item.comments).map((c) => [Number(c.comment_id), c]),
      );
      assert.equal(written.size, rows.length);
      const approved = { approved: '1', pending: '0', rejected: 'spam', deleted: 'trash' };
      for (const row of rows) {
        const comment = written.get(numbers.get(row.id) as number);
        assert.ok(comment, `comment ${row.id} is in the document`);
        assert.equal(
          comment.comment_parent,
          String(row.parent_id ? numbers.get(row.parent_id) : 0),
        );
        // A tombstone (deleted, kept for its replies) is trash, as WordPress calls deleted.
        assert.equal(
          comment.comment_approved,
          row.deleted_at === null ? approved[row.status] : 'trash',
        );
        assert.equal(comment.comment_type, '');
        assert.match(comment.comment_date_gmt ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        const expected = row.html.replace(/\u0001/g, '');
        assert.equal(comment.comment_content, expected, 'the stored HTML, intact');
      }
      const replies = rows.filter((r) => r.parent_id !== null);
      assert.ok(replies.length >= 6, 'replies at several depths were checked');
      const liked = written.get(numbers.get(discussion.comments.liked as string) as number);
      assert.match(liked?.comment_content ?? '', /\]\]> raw/);
      assert.equal(
        written.get(numbers.get(discussion.comments.rejected as string) as number)
          ?.comment_approved,
        'spam',
      );
    });

    it('gives confirmed addresses only, and no IP address', () => {
      const { items } = readWxr(xml);
      const comments = items.flatMap((item) => item.comments);
      const byAuthor = (name: string) => comments.filter((c) => c.comment_author === name);
      const { rana, yossi, held } = discussion.readers;
      assert.ok(byAuthor('Rana').every((c) => c.comment_author_email === rana?.email));
      assert.ok(
        byAuthor('Yossi').every((c) => c.comment_author_email === ''),
        'unconfirmed',
      );
      assert.ok(byAuthor('Held Reader').length > 0);
      assert.ok(
        byAuthor('Held Reader').every((c) => c.comment_author_email === ''),
        'imported',
      );
      assert.ok(!xml.includes(yossi?.email as string) && !xml.includes(held?.email as string));
      assert.ok(comments.every((c) => c.comment_author_IP === ''));
      assert.doesNotMatch(xml, /127\.0\.0\.1|lightMyRequest/);
    });

    it('refuses a site that does not exist', async () => {
      await assert.rejects(
        exportWxr(app.store, { siteId: 'NOSUCHSITE', write: () => undefined }),
        (error) =>
          error instanceof WxrExportError && /no site with id NOSUCHSITE/.test(error.message),
      );
    });
  });
}
