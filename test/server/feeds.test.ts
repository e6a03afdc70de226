/**
 * The Atom feeds of published comments, on both engines, read back with a real XML parser
 * (saxes): a story's feed and a site's feed carry the elements RFC 4287 requires (feed id, title,
 * updated, self and alternate links; entries with id, title, author name, published, updated,
 * HTML content and a link to the comment on the article page), only published comments (never
 * held, rejected or deleted ones, nor another site's), the latest 50, newest first. Hostile text
 * (a comment's HTML holding `</content>`, `]]>`, a script element, control characters; an author
 * named like markup) stays text. ETag and If-None-Match answer 304; unknown stories and sites 404
 * JSON; the public read limit applies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SaxesParser } from 'saxes';
import { matchesEtag } from '../../src/server/routes/feeds.ts';
import { renderAtom, xmlText } from '../../src/domain/atom.ts';
import { insertSite } from '../../src/store/sites.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const ATOM = 'http://www.w3.org/2005/Atom';
const OTHER_ORIGIN = 'https://other.example';

interface XmlElement {
  name: string;
  uri: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses a document into a small tree; throws on anything that is not well-formed XML. */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(tag.attributes)) {
      attributes[name] = typeof attribute === 'string' ? attribute : attribute.value;
    }
    const element: XmlElement = {
      name: tag.local,
      uri: tag.uri,
      attributes,
      children: [],
      text: '',
    };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('cdata', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  assert.ok(root, 'the document has a root element');
  return root;
}

const child = (element: XmlElement, name: string) => {
  const found = element.children.filter((c) => c.name === name && c.uri === ATOM);
  assert.equal(found.length, 1, `one <${name}> in <${element.name}>`);
  return found[0] as XmlElement;
};
const children = (element: XmlElement, name: string) =>
  element.children.filter((c) => c.name === name && c.uri === ATOM);
const allNames = (element: XmlElement): string[] => [
  element.name,
  ...element.children.flatMap(allNames),
];
const isDate = (text: string) => !Number.isNaN(Date.parse(text)) && /T.*Z$/.test(text);

/** The checks RFC 4287 asks of every entry; returns the entry's parts. */
function readEntry(entry: XmlElement) {
  const id = child(entry, 'id').text;
  assert.match(id, /^tag:parley\.test,\d{4}-\d{2}-\d{2}:comment:[0-9A-Z]{26}$/);
  assert.ok(child(entry, 'title').text.length > 0);
  const author = child(entry, 'author');
  const name = child(author, 'name').text;
  assert.deepEqual(
    author.children.map((c) => c.name),
    ['name'],
    'the author by name only',
  );
  const published = child(entry, 'published').text;
  const updated = child(entry, 'updated').text;
  assert.ok(isDate(published) && isDate(updated), `${published} ${updated}`);
  const content = child(entry, 'content');
  assert.equal(content.attributes.type, 'html');
  const link = child(entry, 'link');
  assert.equal(link.attributes.rel, 'alternate');
  return {
    id,
    name,
    html: content.text,
    link: link.attributes.href as string,
    title: child(entry, 'title').text,
  };
}

describe('Atom text', () => {
  it('escapes markup once and drops what XML cannot carry', () => {
    assert.equal(xmlText(`a & <b> "c" 'd'`), 'a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;');
    assert.equal(xmlText('x\u0000\u0001\u0008\u000b\u001f\u007f\u0085\ufffe\uffff\ud800y'), 'xy');
    assert.equal(xmlText('tab\tnew\nline\r\u00e9\u{1f600}'), 'tab\tnew\nline\r\u00e9\u{1f600}');
    // An already escaped entity is escaped again (it is text), and comes back whole.
    const xml = renderAtom({
      id: 'urn:x',
      title: '&amp; ]]> </title>',
      updated: '2026-01-01T00:00:00.000Z',
      links: [],
      entries: [],
    });
    assert.equal(child(parseXml(xml), 'title').text, '&amp; ]]> </title>');
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    assert.ok(matchesEtag('"a", W/"b"', '"b"'));
    assert.ok(matchesEtag('*', '"b"'));
    assert.ok(!matchesEtag('"a"', '"b"'));
    assert.ok(!matchesEtag(undefined, '"b"'));
  });
});

for (const engine of await testEngines()) {
  describe(`Atom feeds of comments (${engine})`, () => {
    let app: TestApp;
    let storyId: string;
    let secondStory: string;
    let heldStory: string;
    let otherSiteId: string;
    let reader: { token: string; id: string };
    const published: string[] = [];
    const hostile = {
      html: '<p>Closing </content> and ]]> and <script>alert(1)</script> and \u0001\u000b\u007f end</p>',
      author: '<script>Eve</script> & </name>',
    };
    let hostileId: string;
    let notShown: string[] = [];

    const post = async (story: string, body: string, token = reader.token, origin?: string) => {
      const response = await app.request({
        method: 'POST',
        url: `/api/v1/stories/${story}/comments`,
        token,
        body: { body },
        ...(origin && { origin }),
      });
      assert.equal(response.status, 201, response.text);
      return response.json.comment as { id: string; status: string };
    };
    const feed = (url: string, headers: Record<string, string> = {}) =>
      app.request({ method: 'GET', url, origin: null, headers });

    before(async () => {
      app = await createTestApp(engine, {
        PARLEY_THREAD_CACHE_TTL_MS: '0',
        PARLEY_WRITE_RATE_LIMIT: '100000',
        PARLEY_READ_RATE_LIMIT: '100000',
      });
      reader = await app.signup('Rana');
      storyId = await app.story('feeds-main');
      secondStory = await app.story('feeds-second');
      heldStory = await app.story('feeds-held');
      await app.store.db
        .updateTable('stories')
        .set({ premoderated: 1, title: 'Held & <b>bold</b> story' })
        .where('id', '=', heldStory)
        .execute();
      await app.store.db
        .updateTable('stories')
        .set({ title: 'Budget talks & "numbers" <live>' })
        .where('id', '=', storyId)
        .execute();

      for (let i = 1; i <= 3; i++)
        published.push((await post(storyId, `Published comment ${i}`)).id);
      // Hostile text no writer could post (the API refuses control characters): written directly.
      const evil = await app.signup('Eve');
      hostileId = (await post(storyId, 'To be replaced', evil.token)).id;
      await app.store.db
        .updateTable('comments')
        .set({ html: hostile.html })
        .where('id', '=', hostileId)
        .execute();
      await app.store.db
        .updateTable('users')
        .set({ display_name: hostile.author })
        .where('id', '=', evil.id)
        .execute();
      published.push(hostileId);
      published.push((await post(secondStory, 'On the second story')).id);

      const held = await post(heldStory, 'Held for review');
      assert.equal(held.status, 'pending');
      const admin = await app.admin();
      const rejected = (await post(storyId, 'Rejected later')).id;
      const rejection = await app.request({
        method: 'POST',
        url: `/api/v1/admin/comments/${rejected}/reject`,
        token: admin,
        body: { reason: 'SPAM' },
      });
      assert.equal(rejection.status, 200, rejection.text);
      const deleted = (await post(storyId, 'Deleted by its author')).id;
      const removal = await app.request({
        method: 'DELETE',
        url: `/api/v1/comments/${deleted}`,
        token: reader.token,
      });
      assert.equal(removal.status, 200, removal.text);

      const other = await insertSite(app.store.db, {
        name: 'Other News',
        allowedOrigins: [OTHER_ORIGIN],
        editWindowSeconds: 300,
        maxDepth: 3,
        moderation: { repeatWindowSeconds: 0, maxPostsPerMinute: 100_000 },
      });
      otherSiteId = other.id;
      await app.sites.refresh();
      const resolved = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        origin: OTHER_ORIGIN,
        body: { url: `${OTHER_ORIGIN}/news/elsewhere`, storyId: 'elsewhere' },
      });
      assert.equal(resolved.status, 200, resolved.text);
      const elsewhere = await post(
        resolved.json.story.id,
        'On the other site',
        reader.token,
        OTHER_ORIGIN,
      );
      notShown = [held.id, rejected, deleted, elsewhere.id];
    });
    after(async () => app.close());

    it("serves a story's published comments as Atom 1.0, newest first", async () => {
      const response = await feed(`/api/v1/stories/${storyId}/comments.atom`);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.headers['content-type'], 'application/atom+xml; charset=utf-8');
      assert.equal(response.headers['cache-control'], 'no-cache');
      assert.ok(response.text.startsWith('<?xml version="1.0" encoding="utf-8"?>'));
      const root = parseXml(response.text);
      assert.equal(root.name, 'feed');
      assert.equal(root.uri, ATOM);
      assert.match(
        child(root, 'id').text,
        new RegExp(`^tag:parley\\.test,\\d{4}-\\d{2}-\\d{2}:story:${storyId}:comments$`),
      );
      assert.equal(child(root, 'title').text, 'Comments on Budget talks & "numbers" <live>');
      assert.ok(isDate(child(root, 'updated').text));
      const links = children(root, 'link');
      const self = links.find((l) => l.attributes.rel === 'self');
      assert.equal(
        self?.attributes.href,
        `http://parley.test/api/v1/stories/${storyId}/comments.atom`,
      );
      assert.equal(self?.attributes.type, 'application/atom+xml');
      const alternate = links.find((l) => l.attributes.rel === 'alternate');
      assert.equal(alternate?.attributes.href, `${SITE_ORIGIN}/news/feeds-main`);

      const entries = children(root, 'entry').map(readEntry);
      const onThisStory = published.filter((id) => id !== published.at(-1));
      assert.deepEqual(
        entries.map((e) => e.id.split(':').at(-1)),
        [...onThisStory].reverse(),
        'only the published comments of this story, newest first',
      );
      for (const entry of entries) {
        const id = entry.id.split(':').at(-1);
        assert.equal(entry.link, `${SITE_ORIGIN}/news/feeds-main#parley-comment-${id}`);
      }
      const first = entries.find((e) => e.id.endsWith(published[0] as string));
      const stored = await app.store.db
        .selectFrom('comments')
        .select('html')
        .where('id', '=', published[0] as string)
        .executeTakeFirstOrThrow();
      assert.equal(first?.html, stored.html, 'the stored HTML, unchanged');
      assert.match(stored.html, /^<p>Published comment 1<\/p>/);
      assert.equal(first?.name, 'Rana');
      // The feed's updated time is its newest entry's.
      assert.equal(
        child(root, 'updated').text,
        child(children(root, 'entry')[0] as XmlElement, 'updated').text,
      );
    });

    it('keeps hostile text as text: no element escapes its content, no control character', async () => {
      const response = await feed(`/api/v1/stories/${storyId}/comments.atom`);
      assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(response.text));
      const root = parseXml(response.text);
      assert.ok(!allNames(root).includes('script'), 'no script element in the document');
      const entry = children(root, 'entry')
        .map(readEntry)
        .find((e) => e.id.endsWith(hostileId));
      assert.ok(entry);
      assert.equal(
        entry.html,
        '<p>Closing </content> and ]]> and <script>alert(1)</script> and  end</p>',
      );
      assert.equal(entry.name, hostile.author);
      assert.equal(entry.title, `Comment by ${hostile.author}`);
      assert.ok(!response.text.includes('<script>'), 'the markup is escaped in the bytes');
    });

    it("serves a site's latest comments on every story, not another site's", async () => {
      const response = await feed(`/api/v1/sites/${app.site.id}/comments.atom`);
      assert.equal(response.status, 200, response.text);
      const root = parseXml(response.text);
      assert.match(child(root, 'id').text, new RegExp(`:site:${app.site.id}:comments$`));
      assert.equal(child(root, 'title').text, 'Latest comments on Test News');
      const links = children(root, 'link');
      assert.equal(
        links.find((l) => l.attributes.rel === 'self')?.attributes.href,
        `http://parley.test/api/v1/sites/${app.site.id}/comments.atom`,
      );
      assert.equal(
        links.find((l) => l.attributes.rel === 'alternate')?.attributes.href,
        SITE_ORIGIN,
      );
      const entries = children(root, 'entry').map(readEntry);
      const ids = entries.map((e) => e.id.split(':').at(-1));
      assert.deepEqual(ids, [...published].reverse());
      for (const id of notShown) assert.ok(!ids.includes(id), `${id} is not in the feed`);
      const second = entries[0];
      assert.equal(second?.title, `Rana on “${SITE_ORIGIN}/news/feeds-second”`);
      assert.equal(
        second?.link,
        `${SITE_ORIGIN}/news/feeds-second#parley-comment-${published.at(-1)}`,
      );

      const theirs = parseXml((await feed(`/api/v1/sites/${otherSiteId}/comments.atom`)).text);
      assert.deepEqual(
        children(theirs, 'entry').map((e) => readEntry(e).id.split(':').at(-1)),
        [notShown[3]],
      );
    });

    it('answers 304 to the same ETag, and a new one once a comment is published', async () => {
      const url = `/api/v1/stories/${storyId}/comments.atom`;
      const first = await feed(url);
      const etag = first.headers.etag as string;
      assert.match(etag, /^"[\w-]+"$/);
      const again = await feed(url, { 'if-none-match': etag });
      assert.equal(again.status, 304);
      assert.equal(again.text, '');
      assert.equal(again.headers.etag, etag);
      const weak = await feed(url, { 'if-none-match': `"nope", W/${etag}` });
      assert.equal(weak.status, 304);

      const added = await post(storyId, 'A newer comment');
      const changed = await feed(url, { 'if-none-match': etag });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.etag, etag);
      const newest = readEntry(children(parseXml(changed.text), 'entry')[0] as XmlElement);
      assert.ok(newest.id.endsWith(added.id));
      published.splice(published.length - 1, 0, added.id);
    });

    it('lists the latest 50 only', async () => {
      const busy = await app.story('feeds-busy');
      const ids: string[] = [];
      for (let i = 0; i < 53; i++) ids.push((await post(busy, `Busy comment number ${i}`)).id);
      const root = parseXml((await feed(`/api/v1/stories/${busy}/comments.atom`)).text);
      const entries = children(root, 'entry').map((e) => readEntry(e).id.split(':').at(-1));
      assert.equal(entries.length, 50);
      assert.deepEqual(entries, ids.slice(3).reverse());
    });

    it('answers unknown stories and sites with 404 JSON, bad ids with 400', async () => {
      const missing = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
      const story = await feed(`/api/v1/stories/${missing}/comments.atom`);
      assert.equal(story.status, 404);
      assert.equal(story.json.error.code, 'STORY_NOT_FOUND');
      assert.match(String(story.headers['content-type']), /application\/json/);
      const site = await feed(`/api/v1/sites/${missing}/comments.atom`);
      assert.equal(site.status, 404);
      assert.equal(site.json.error.code, 'SITE_NOT_FOUND');
      const bad = await feed('/api/v1/stories/not-an-id/comments.atom');
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.code, 'VALIDATION_FAILED');
    });

    it('is listed in the OpenAPI document', async () => {
      const docs = await app.request({ method: 'GET', url: '/api/docs/json' });
      assert.ok(docs.json.paths['/api/v1/stories/{storyId}/comments.atom']?.get);
      assert.ok(docs.json.paths['/api/v1/sites/{siteId}/comments.atom']?.get);
    });
  });
}

describe('Atom feeds: the public read limit', () => {
  it('refuses a client address over PARLEY_READ_RATE_LIMIT with 429', async () => {
    const app = await createTestApp('sqlite', { PARLEY_READ_RATE_LIMIT: '3' });
    try {
      const story = await app.story('limited');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (
            await app.request({
              method: 'GET',
              url: `/api/v1/stories/${story}/comments.atom`,
              origin: null,
            })
          ).status,
        );
      }
      assert.deepEqual(statuses, [200, 200, 200, 429]);
    } finally {
      await app.close();
    }
  });
});
