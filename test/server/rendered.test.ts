/**
 * Server-rendered threads over real HTTP (the server listening on a port, read with fetch), on
 * SQLite and PostgreSQL: the fragment (by story id, and by site with the publisher's identifier or
 * the article's address, which never creates a story), Parley's plain page per story and its AMP
 * page. What is checked: only approved comments; the fragment's wrapper, stylesheet, JSON-LD and
 * the JSON page the widget seeds itself from (exactly the anonymous JSON page, plus the site);
 * hostile text (a comment holding `</script>`, markup in names and titles, a bidi override, line
 * separators) stays text; links carry `nofollow ugc`; ETag and 304, dropped on a write; caching
 * and CORS headers; the "more comments" link and the plain page's pagination, canonical link,
 * theme, language and Content-Security-Policy (its inline style allowed by hash, no script); the
 * AMP page's one script, by hash, and who may frame it; the per-site switch; 4xx JSON for bad
 * input; and the public read limit on every route.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { insertUser } from '../../src/store/users.ts';
import { issueSession } from '../../src/services/sessions.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

async function listen(app: TestApp): Promise<string> {
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.app.server.address() as net.AddressInfo).port}`;
}

/** The text of every `<script ...>` element whose opening tag contains `marker`. */
function scripts(html: string, marker: string): string[] {
  const found: string[] = [];
  const pattern = /<script([^>]*)>([\s\S]*?)<\/script>/g;
  for (const match of html.matchAll(pattern)) {
    if ((match[1] ?? '').includes(marker)) found.push(match[2] ?? '');
  }
  return found;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const HOSTILE_BODY =
  'Closing early </script><script>alert(1)</script> and <img src=x onerror=alert(2)> ' +
  'with a link https://evil.example/path and a line\u2028separator';

for (const engine of await testEngines()) {
  describe(`server-rendered threads over HTTP (${engine})`, () => {
    let app: TestApp;
    let base: string;
    let reader: { token: string; id: string };
    let adminToken: string;

    before(async () => {
      app = await createTestApp(engine, { PARLEY_WRITE_RATE_LIMIT: '1000' });
      base = await listen(app);
      reader = await app.signup('Rana');
      adminToken = await app.admin();
    });
    after(async () => app.close());

    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { headers });
    const posted = async (story: string, body: string, token = reader.token, parentId?: string) => {
      const response = await app.post(story, token, body, parentId);
      assert.equal(response.status, 201, response.text);
      return response.json.comment.id as string;
    };
    /** A story with a title, made the way the widget makes it. */
    const story = async (externalId: string, title?: string) => {
      const response = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        body: { url: `${SITE_ORIGIN}/news/${externalId}`, storyId: externalId, title },
      });
      assert.equal(response.status, 200, response.text);
      return response.json.story.id as string;
    };
    const errorOf = async (response: Response) => {
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      return ((await response.json()) as { error: { code: string } }).error.code;
    };

    it('renders the first page: wrapper, stylesheet, markup, JSON-LD and the JSON page', async () => {
      const id = await story('fragment-basics', 'Budget <script>alert("t")</script> vote');
      const first = await posted(id, 'First comment, **bold**.');
      await posted(id, 'A reply.', reader.token, first);
      const hostile = await posted(id, HOSTILE_BODY);
      const held = await posted(id, 'Held for review.');
      const rejected = await posted(id, 'Rejected by a moderator.');
      await app.store.db
        .updateTable('comments')
        .set({ status: 'pending' })
        .where('id', '=', held)
        .execute();
      await app.store.db
        .updateTable('comments')
        .set({ status: 'rejected' })
        .where('id', '=', rejected)
        .execute();

      const response = await get(`/api/v1/stories/${id}/rendered`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.match(response.headers.get('cache-control') ?? '', /public, max-age=\d+/);
      assert.ok(response.headers.get('etag'));
      const html = await response.text();

      assert.ok(
        html.startsWith(
          `<div class="parley-rendered" data-parley-rendered="1" data-story-id="${id}" ` +
            `data-sort="newest" lang="en" dir="ltr">`,
        ),
        html.slice(0, 200),
      );
      assert.ok(html.endsWith('</div>'));
      assert.ok(
        html.includes('<link rel="stylesheet" href="http://parley.test/embed/rendered.css">'),
      );
      // Only approved comments, each with its anchor.
      assert.ok(html.includes(`id="parley-comment-${first}"`));
      assert.ok(html.includes(`id="parley-comment-${hostile}"`));
      assert.ok(!html.includes(held) && !html.includes('Held for review'));
      assert.ok(!html.includes(rejected) && !html.includes('Rejected by a moderator'));
      // Hostile text stays text: the only script elements are the fragment's two.
      assert.equal(html.match(/<script/g)?.length, 2);
      assert.equal(html.match(/<\/script>/g)?.length, 2);
      assert.ok(!html.includes('<img'));
      for (const script of scripts(html, 'application/')) {
        assert.ok(!script.includes('\u2028'), 'line separators are escaped in the scripts');
        assert.ok(!/[<>]/.test(script), 'no angle brackets in the scripts');
      }
      // The comment's link as the widget shows it (sanitised once, on write).
      assert.match(html, /<a href="https:\/\/evil\.example\/path" rel="nofollow ugc[^"]*"/);

      const [pageJson] = scripts(html, 'data-parley-page');
      assert.ok(pageJson);
      const seeded = JSON.parse(pageJson) as Record<string, unknown>;
      const anonymous = await get(`/api/v1/stories/${id}/comments`);
      const resolved = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        body: { url: `${SITE_ORIGIN}/news/fragment-basics`, storyId: 'fragment-basics' },
      });
      assert.deepEqual(seeded, { ...(await anonymous.json()), site: resolved.json.site });

      const [ldText] = scripts(html, 'application/ld+json');
      const ld = JSON.parse(ldText ?? '') as {
        '@type': string;
        headline: string;
        url: string;
        comment: { '@type': string; url: string; text: string; comment?: unknown[] }[];
      };
      assert.equal(ld['@type'], 'DiscussionForumPosting');
      assert.equal(ld.headline, 'Budget <script>alert("t")</script> vote');
      assert.equal(ld.url, `${SITE_ORIGIN}/news/fragment-basics`);
      assert.equal(ld.comment.length, 2);
      const firstItem = ld.comment.find((c) => c.url.endsWith(`#parley-comment-${first}`));
      assert.equal(firstItem?.text, 'First comment, bold.');
      assert.equal(firstItem?.comment?.length, 1, 'the reply nests under its parent');

      // The plain and AMP pages escape the title too, and run nothing of a comment's.
      for (const path of [`/stories/${id}`, `/amp/stories/${id}`]) {
        const text = await (await get(path)).text();
        assert.ok(
          text.includes('Budget &lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; vote'),
          path,
        );
        assert.ok(!text.includes('<script>alert'), path);
        assert.ok(!text.includes('<img'), path);
      }
    });

    it('answers 304 to a matching ETag and renders again after a write', async () => {
      const id = await story('fragment-etag');
      await posted(id, 'Before.');
      const first = await get(`/api/v1/stories/${id}/rendered`);
      const etag = first.headers.get('etag') ?? '';
      await first.text();
      const again = await get(`/api/v1/stories/${id}/rendered`, { 'if-none-match': etag });
      assert.equal(again.status, 304);
      assert.equal(again.headers.get('etag'), etag);
      const listed = await get(`/api/v1/stories/${id}/rendered`, {
        'if-none-match': `W/"other", ${etag}`,
      });
      assert.equal(listed.status, 304);

      await posted(id, 'After the page was cached.');
      const changed = await get(`/api/v1/stories/${id}/rendered`, { 'if-none-match': etag });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('etag'), etag);
      assert.ok((await changed.text()).includes('After the page was cached.'));
    });

    it('finds the story by site and identifier or address, and never creates one', async () => {
      const id = await story('by-site');
      await posted(id, 'Found by the site.');
      const site = app.site.id;
      const byIdentifier = await get(`/api/v1/sites/${site}/rendered?storyIdentifier=by-site`);
      assert.equal(byIdentifier.status, 200);
      assert.ok((await byIdentifier.text()).includes(`data-story-id="${id}"`));

      const address = await story('by-address-only-url');
      const url = encodeURIComponent(`${SITE_ORIGIN}/news/by-address`);
      // Stories made with an identifier are found by it; one made from its address alone by that.
      await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        body: { url: `${SITE_ORIGIN}/news/by-address` },
      });
      const byUrl = await get(`/api/v1/sites/${site}/rendered?url=${url}`);
      assert.equal(byUrl.status, 200);
      assert.ok(!(await byUrl.text()).includes(address));

      const count = async () =>
        Number(
          (
            await app.store.db
              .selectFrom('stories')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const unknown = await get(
        `/api/v1/sites/${site}/rendered?url=${encodeURIComponent(`${SITE_ORIGIN}/news/never-seen`)}`,
      );
      assert.equal(unknown.status, 404);
      assert.equal(await errorOf(unknown), 'STORY_NOT_FOUND');
      const unknownId = await get(`/api/v1/sites/${site}/rendered?storyIdentifier=never-seen`);
      assert.equal(await errorOf(unknownId), 'STORY_NOT_FOUND');
      assert.equal(await count(), before, 'a read never creates a story');

      const neither = await get(`/api/v1/sites/${site}/rendered`);
      assert.equal(neither.status, 400);
      assert.equal(await errorOf(neither), 'VALIDATION_FAILED');
      const badUrl = await get(`/api/v1/sites/${site}/rendered?url=javascript:alert(1)`);
      assert.equal(await errorOf(badUrl), 'INVALID_URL');
      const noSite = await get(
        `/api/v1/sites/01ARZ3NDEKTSV4RRFFQ69G5FAV/rendered?storyIdentifier=x`,
      );
      assert.equal(noSite.status, 404);
      assert.equal(await errorOf(noSite), 'SITE_NOT_FOUND');
    });

    it('links to the plain page when there are more, which paginates with no script', async () => {
      const id = await story('paginated', 'Pages \u202Eevil title');
      const ids: string[] = [];
      for (let n = 1; n <= 25; n++) ids.push(await posted(id, `Comment number ${n}.`));
      const fragment = await (await get(`/api/v1/stories/${id}/rendered?limit=20`)).text();
      const more = /href="(http:\/\/parley\.test\/stories\/[^"]+)"/.exec(fragment)?.[1];
      assert.ok(more, 'a "more comments" link');
      const path = more.replace('http://parley.test', '').replace(/&amp;/g, '&');
      assert.match(path, new RegExp(`^/stories/${id}\\?cursor=`));

      const second = await get(path);
      assert.equal(second.status, 200);
      assert.equal(second.headers.get('content-type'), 'text/html; charset=utf-8');
      const page = await second.text();
      // Newest first: the second page holds the five oldest.
      for (const n of [1, 5]) assert.ok(page.includes(`Comment number ${n}.`), `comment ${n}`);
      assert.ok(!page.includes('Comment number 6.'));
      assert.ok(page.includes(`<link rel="canonical" href="${SITE_ORIGIN}/news/paginated">`));
      assert.ok(page.includes(`<a href="${SITE_ORIGIN}/news/paginated">`), 'back to the article');
      assert.ok(page.includes(`href="/stories/${id}"`), 'a link to the first page');
      assert.ok(page.includes('<bdi>Pages \u202Eevil title</bdi>'), 'the title is isolated');
      assert.ok(!page.includes('<script>'), 'no script on the plain page');
      assert.equal(scripts(page, 'application/ld+json').length, 1);

      const csp = second.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
      assert.ok(csp.includes(sha256(style)), 'the inline style is allowed by its hash');
      // No style attribute to allow (avatars take their colour from the stylesheet, by index).
      assert.doesNotMatch(page, / style="/);
      assert.match(page, /<span class="avatar" aria-hidden="true" data-colour="[0-7]">/);
      assert.doesNotMatch(csp, /'unsafe-hashes'|'unsafe-inline'/);

      const first = await (await get(`/stories/${id}`)).text();
      // The orders are links (a select needs a script), the current one marked.
      assert.match(first, /<a href="[^"]*" aria-current="page">Newest<\/a>/);
      assert.ok(first.includes(`<a href="/stories/${id}?sort=oldest">Oldest</a>`));
      const oldest = await (await get(`/stories/${id}?sort=oldest`)).text();
      assert.ok(oldest.indexOf('Comment number 1.') < oldest.indexOf('Comment number 2.'));
      assert.ok(!oldest.includes('Comment number 25.'));
      assert.ok(first.includes('Comment number 25.') && !first.includes('Comment number 5.'));
      assert.match(first, new RegExp(`href="/stories/${id}\\?cursor=`));
    });

    it('themes the plain page and speaks the language asked for, right to left', async () => {
      const id = await story('themed');
      await posted(id, 'Themed.');
      const dark = await get(`/stories/${id}?theme=dark&lang=ar`);
      const html = await dark.text();
      assert.match(html, /<html lang="ar" dir="rtl" data-theme="dark">/);
      assert.ok(html.includes('color-scheme:dark'));
      assert.ok(html.includes('العودة إلى المقال'));
      const csp = dark.headers.get('content-security-policy') ?? '';
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
      assert.ok(csp.includes(sha256(style)));
      const fragment = await (await get(`/api/v1/stories/${id}/rendered?lang=he`)).text();
      assert.match(fragment, /lang="he" dir="rtl"/);
    });

    it('writes a title with replacement patterns ($& and $`) as it is, escaped', async () => {
      const title = 'Costs $& savings $` and <b>$1</b>';
      const id = await story('dollars', title);
      await posted(id, 'Priced.');
      const html = await (await get(`/stories/${id}?lang=en`)).text();
      const escaped = 'Costs $&amp; savings $` and &lt;b&gt;$1&lt;/b&gt;';
      const heading = /<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '';
      assert.ok(heading.includes(`<bdi>${escaped}</bdi>`), heading);
      assert.ok(!heading.includes('{title}'), heading);
      const documentTitle = /<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '';
      assert.ok(documentTitle.includes(`“${escaped}”`), documentTitle);
      assert.ok(!html.includes('<b>$1</b>'), 'markup in the title is text');
    });

    it('serves the AMP page with its one script allowed by hash, framed by AMP hosts', async () => {
      const id = await story('amp');
      await posted(id, 'Seen in AMP.');
      const response = await get(`/amp/stories/${id}`);
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.ok(html.includes('Seen in AMP.'));
      assert.equal(response.headers.get('x-frame-options'), null);
      const csp = response.headers.get('content-security-policy') ?? '';
      const inline = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
      assert.ok(inline.includes("sentinel:'amp',type:'embed-size'"));
      assert.equal(html.match(/<script/g)?.length, 2, 'the JSON-LD and the resize script');
      assert.ok(csp.includes(`script-src ${sha256(inline)}`));
      assert.match(
        csp,
        new RegExp(`frame-ancestors ${SITE_ORIGIN} https://\\*\\.ampproject\\.org`),
      );
      assert.ok(html.includes('<base target="_blank">'));
      const paged = await get(`/amp/stories/${id}?cursor=abc`);
      assert.equal(paged.status, 400);
    });

    it('isolates names written to deceive and keeps them out of the structured data', async () => {
      // An imported or SSO account may bypass the sign-up checks: the pages must still hold.
      const user = await insertUser(app.store.db, {
        email: `trick${Date.now()}@example.com`,
        displayName: 'Admin\u202E<b>x</b>',
        passwordHash: null,
        role: 'commenter',
      });
      assert.ok(user);
      const { token } = await issueSession(app.store, user.id, { method: 'password' });
      const id = await story('names');
      await posted(id, 'Hello.', token);
      const html = await (await get(`/api/v1/stories/${id}/rendered`)).text();
      assert.ok(!html.includes('<b>x</b>'), 'markup in a name is escaped');
      // Shown in an element of its own direction (dir="auto" isolates it), escaped.
      assert.match(
        html,
        /<(bdi|span|a) [^>]*dir="auto"[^>]*>Admin\u202E&lt;b&gt;x&lt;\/b&gt;<\/(bdi|span|a)>/,
      );
      // Links in the fragment (the author's profile) lead to Parley, not to the publisher's page.
      assert.doesNotMatch(html, /href="\/(?!\/)/);
      const ld = JSON.parse(scripts(html, 'application/ld+json')[0] ?? '') as {
        comment: { author: { name: string } }[];
      };
      assert.equal(ld.comment[0]?.author.name, 'Admin<b>x</b>', 'no override in the data');
    });

    it("follows the site's default order unless the reader's link asks for another", async () => {
      const id = await story('default-sort');
      const older = await posted(id, 'Older.');
      const newer = await posted(id, 'Newer.');
      const order = (html: string) =>
        [older, newer].sort(
          (a, b) => html.indexOf(`parley-comment-${a}`) - html.indexOf(`parley-comment-${b}`),
        );
      const setSort = (defaultSort: string) =>
        app.request({
          method: 'PATCH',
          url: `/api/v1/sites/${app.site.id}`,
          token: adminToken,
          body: { defaultSort },
        });
      assert.deepEqual(order(await (await get(`/api/v1/stories/${id}/rendered`)).text()), [
        newer,
        older,
      ]);
      assert.equal((await setSort('oldest')).status, 200);
      try {
        const html = await (await get(`/api/v1/stories/${id}/rendered`)).text();
        assert.match(html, /data-sort="oldest"/);
        assert.deepEqual(order(html), [older, newer]);
        const asked = await (await get(`/api/v1/stories/${id}/rendered?sort=newest`)).text();
        assert.deepEqual(order(asked), [newer, older]);
      } finally {
        await setSort('newest');
      }
    });

    it('refuses bad input with 4xx JSON', async () => {
      const id = await story('bad-input');
      const cases: [string, number, string][] = [
        ['/api/v1/stories/not-an-id/rendered', 400, 'VALIDATION_FAILED'],
        ['/api/v1/stories/01ARZ3NDEKTSV4RRFFQ69G5FAV/rendered', 404, 'STORY_NOT_FOUND'],
        [`/api/v1/stories/${id}/rendered?sort=random`, 400, 'VALIDATION_FAILED'],
        [`/api/v1/stories/${id}/rendered?lang=de`, 400, 'VALIDATION_FAILED'],
        [`/api/v1/stories/${id}/rendered?limit=0`, 400, 'VALIDATION_FAILED'],
        [`/api/v1/stories/${id}/rendered?limit=1000`, 400, 'VALIDATION_FAILED'],
        [`/api/v1/stories/${id}/rendered?cursor=abc`, 400, 'VALIDATION_FAILED'],
        [`/api/v1/stories/${id}/rendered?lang=%3Cscript%3E`, 400, 'VALIDATION_FAILED'],
        [`/stories/${id}?cursor=not-a-cursor`, 400, 'INVALID_CURSOR'],
        [`/stories/${id}?theme=neon`, 400, 'VALIDATION_FAILED'],
        [`/stories/${id}?sort=%22%3E%3Cscript%3E`, 400, 'VALIDATION_FAILED'],
        ['/stories/01ARZ3NDEKTSV4RRFFQ69G5FAV', 404, 'STORY_NOT_FOUND'],
        ['/amp/stories/nope', 400, 'VALIDATION_FAILED'],
      ];
      for (const [path, status, code] of cases) {
        const response = await get(path);
        assert.equal(response.status, status, path);
        assert.equal(await errorOf(response), code, path);
      }
    });

    it('answers 404 RENDERING_DISABLED on every route while the site turns rendering off', async () => {
      const id = await story('switch');
      await posted(id, 'Switched.');
      const routes = [
        `/api/v1/stories/${id}/rendered`,
        `/api/v1/sites/${app.site.id}/rendered?storyIdentifier=switch`,
        `/stories/${id}`,
        `/amp/stories/${id}`,
      ];
      for (const path of routes) assert.equal((await get(path)).status, 200, path);
      const patch = (rendering: boolean) =>
        app.request({
          method: 'PATCH',
          url: `/api/v1/sites/${app.site.id}`,
          token: adminToken,
          body: { rendering },
        });
      const off = await patch(false);
      assert.equal(off.status, 200, off.text);
      assert.equal(off.json.site.rendering, false);
      try {
        for (const path of routes) {
          const response = await get(path);
          assert.equal(response.status, 404, path);
          assert.equal(await errorOf(response), 'RENDERING_DISABLED', path);
        }
        // Only an admin turns it.
        const byReader = await app.request({
          method: 'PATCH',
          url: `/api/v1/sites/${app.site.id}`,
          token: reader.token,
          body: { rendering: true },
        });
        assert.equal(byReader.status, 403);
      } finally {
        const on = await patch(true);
        assert.equal(on.json.site.rendering, true);
      }
      for (const path of routes) assert.equal((await get(path)).status, 200, path);
    });
  });
}

describe('server-rendered threads are rate limited like other public reads', () => {
  let app: TestApp;
  let base: string;
  before(async () => {
    app = await createTestApp('sqlite', { PARLEY_READ_RATE_LIMIT: '2' });
    base = await listen(app);
  });
  after(async () => app.close());

  it('answers 429 past the read limit on every route', async () => {
    const id = await app.story('limited');
    for (const path of [
      `/api/v1/stories/${id}/rendered`,
      `/api/v1/sites/${app.site.id}/rendered?storyIdentifier=limited`,
      `/stories/${id}`,
      `/amp/stories/${id}`,
    ]) {
      const codes: number[] = [];
      for (let n = 0; n < 3; n++) codes.push((await fetch(`${base}${path}`)).status);
      assert.deepEqual(codes, [200, 200, 429], path);
    }
  });
});
