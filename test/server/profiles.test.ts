/**
 * Readers' profiles (docs/profiles.md) over real HTTP: the JSON profile and the plain page list a
 * reader's approved comments on one site's stories, newest first, a page at a time; a reader who
 * keeps their history private shows others (and the page) only their name, picture and badges,
 * and still sees their own; hostile names and titles stay text; bad ids and cursors are 4xx, an
 * erased reader is gone, and a stranger reading profiles is rate limited.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eraseAccount } from '../../src/services/privacy.ts';
import { insertSite } from '../../src/store/sites.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const OTHER_ORIGIN = 'https://other-news.example';
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  json: any;
  text: string;
  headers: Headers;
}

/** A client of the app listening on a real port. */
function client(base: string) {
  return async (
    method: string,
    path: string,
    options: {
      token?: string;
      body?: unknown;
      origin?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = {
      origin: options.origin ?? SITE_ORIGIN,
      ...options.headers,
    };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, headers: response.headers };
  };
}

async function listen(app: TestApp): Promise<string> {
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

for (const engine of await testEngines()) {
  describe(`profiles (${engine})`, () => {
    let app: TestApp;
    let call: ReturnType<typeof client>;
    let author: { token: string; id: string };
    let stranger: { token: string; id: string };
    const posted: string[] = [];
    let storyId: string;
    let otherStoryId: string;

    const profileUrl = (userId: string, query = '') =>
      `/api/v1/sites/${app.site.id}/users/${userId}/profile${query}`;

    before(async () => {
      app = await createTestApp(engine, {
        PARLEY_WRITE_RATE_LIMIT: '1000',
        PARLEY_READ_RATE_LIMIT: '4000',
      });
      call = client(await listen(app));
      author = await app.signup('Profile Author');
      stranger = await app.signup('Stranger');
      const resolved = await call('POST', '/api/v1/stories/resolve', {
        body: {
          url: `${SITE_ORIGIN}/news/profiles`,
          storyId: 'profiles',
          title: 'Budget <b>vote</b>',
        },
      });
      assert.equal(resolved.status, 200, resolved.text);
      storyId = resolved.json.story.id;
      for (let i = 0; i < 5; i += 1) {
        const response = await app.post(storyId, author.token, `Approved comment number ${i}`);
        assert.equal(response.status, 201, response.text);
        posted.push(response.json.comment.id);
      }
      // Held, rejected and deleted comments are not on a profile.
      const held = await app.post(storyId, author.token, 'This one is held for review');
      const rejected = await app.post(storyId, author.token, 'This one was rejected');
      const removed = await app.post(storyId, author.token, 'This one was deleted');
      await app.store.db
        .updateTable('comments')
        .set({ status: 'pending' })
        .where('id', '=', held.json.comment.id)
        .execute();
      await app.store.db
        .updateTable('comments')
        .set({ status: 'rejected' })
        .where('id', '=', rejected.json.comment.id)
        .execute();
      const deleted = await call('DELETE', `/api/v1/comments/${removed.json.comment.id}`, {
        token: author.token,
      });
      assert.ok(deleted.status < 300, deleted.text);
      // The same reader on another site: not on this site's profile.
      const other = await insertSite(app.store.db, {
        name: 'Other News',
        allowedOrigins: [OTHER_ORIGIN],
        editWindowSeconds: 300,
        maxDepth: 3,
        moderation: { repeatWindowSeconds: 0, maxPostsPerMinute: 100_000 },
      });
      await app.sites.refresh();
      const otherStory = await call('POST', '/api/v1/stories/resolve', {
        origin: OTHER_ORIGIN,
        body: { url: `${OTHER_ORIGIN}/news/elsewhere`, storyId: 'elsewhere', siteId: other.id },
      });
      assert.equal(otherStory.status, 200, otherStory.text);
      otherStoryId = otherStory.json.story.id;
      const elsewhere = await call('POST', `/api/v1/stories/${otherStoryId}/comments`, {
        origin: OTHER_ORIGIN,
        token: author.token,
        body: { body: 'Written on the other site' },
      });
      assert.equal(elsewhere.status, 201, elsewhere.text);
    });
    after(() => app.close());

    it('lists the approved comments on this site only, newest first, with story and link', async () => {
      const response = await call('GET', profileUrl(author.id), {
        origin: 'https://anyone.example',
      });
      assert.equal(response.status, 200, response.text);
      const profile = response.json;
      assert.equal(profile.user.displayName, 'Profile Author');
      assert.equal(profile.private, false);
      assert.equal(profile.own, false);
      assert.equal(profile.commentCount, 5);
      assert.deepEqual(
        profile.comments.map((c: { id: string }) => c.id),
        [...posted].reverse(),
      );
      const [first] = profile.comments;
      assert.equal(first.story.title, 'Budget <b>vote</b>');
      assert.equal(first.link, `${SITE_ORIGIN}/news/profiles#parley-comment-${first.id}`);
      assert.match(first.html, /Approved comment number 4/);
      assert.ok(!response.text.includes('held for review'));
      assert.ok(!response.text.includes('was rejected'));
      assert.ok(!response.text.includes('was deleted'));
      assert.ok(!response.text.includes('other site'));
      assert.ok(!('email' in profile.user), 'no address on a profile');
    });

    it('pages through the history by cursor without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await call('GET', profileUrl(author.id, query));
        assert.equal(response.status, 200, response.text);
        assert.ok(response.json.comments.length <= 2);
        seen.push(...response.json.comments.map((c: { id: string }) => c.id));
        cursor = response.json.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual(seen, [...posted].reverse());
    });

    it('refuses bad ids, cursors and limits with 4xx, and 404s readers unknown to the site', async () => {
      const codes = async (path: string) => {
        const response = await call('GET', path);
        return [response.status, response.json?.error?.code];
      };
      assert.deepEqual(await codes(profileUrl('not-an-id')), [400, 'VALIDATION_FAILED']);
      assert.deepEqual(await codes(profileUrl(author.id, '?cursor=%27%20or%201%3D1--')), [
        400,
        'VALIDATION_FAILED',
      ]);
      assert.deepEqual(await codes(profileUrl(author.id, '?limit=0')), [400, 'VALIDATION_FAILED']);
      assert.deepEqual(await codes(profileUrl(author.id, '?limit=51')), [400, 'VALIDATION_FAILED']);
      assert.deepEqual(await codes(profileUrl(UNKNOWN_ID)), [404, 'USER_NOT_FOUND']);
      assert.deepEqual(await codes(`/api/v1/sites/${UNKNOWN_ID}/users/${author.id}/profile`), [
        404,
        'SITE_NOT_FOUND',
      ]);
      // A reader who never wrote here has no profile here (a profile does not say who has an
      // account), but sees their own.
      assert.deepEqual(await codes(profileUrl(stranger.id)), [404, 'USER_NOT_FOUND']);
      const own = await call('GET', profileUrl(stranger.id), { token: stranger.token });
      assert.equal(own.status, 200, own.text);
      assert.equal(own.json.own, true);
    });

    it('hides a private history from others and from the page, not from its reader', async () => {
      const choice = await call('PATCH', '/api/v1/me/profile', {
        token: author.token,
        body: { private: true },
      });
      assert.equal(choice.status, 200, choice.text);
      assert.deepEqual(choice.json, { private: true });
      assert.deepEqual((await call('GET', '/api/v1/me/profile', { token: author.token })).json, {
        private: true,
      });
      try {
        for (const token of [undefined, stranger.token]) {
          const response = await call('GET', profileUrl(author.id), token ? { token } : {});
          assert.equal(response.status, 200, response.text);
          assert.equal(response.json.private, true);
          assert.deepEqual(response.json.comments, []);
          assert.equal(response.json.commentCount, null);
          assert.equal(response.json.nextCursor, null);
          assert.equal(response.json.user.displayName, 'Profile Author');
          assert.ok(!response.text.includes('Approved comment'));
        }
        const page = await call('GET', `/profiles/${app.site.id}/${author.id}?lang=en`);
        assert.equal(page.status, 200);
        assert.match(page.text, /This reader keeps their comments private/);
        // No picture: the initials the widget and the rendered thread draw (src/domain/avatar.ts).
        assert.match(page.text, /<span class="avatar initials" aria-hidden="true">PA<\/span>/);
        assert.ok(!page.text.includes('Approved comment'));
        assert.ok(!page.text.includes('Budget'));
        const mine = await call('GET', profileUrl(author.id), { token: author.token });
        assert.equal(mine.json.private, true);
        assert.equal(mine.json.own, true);
        assert.equal(mine.json.comments.length, 5);
      } finally {
        const back = await call('PATCH', '/api/v1/me/profile', {
          token: author.token,
          body: { private: false },
        });
        assert.equal(back.status, 200);
      }
      const shown = await call('GET', profileUrl(author.id));
      assert.equal(shown.json.comments.length, 5);
    });

    it('lets only the reader change their choice, and only to a boolean', async () => {
      assert.equal(
        (await call('PATCH', '/api/v1/me/profile', { body: { private: true } })).status,
        401,
      );
      assert.equal((await call('GET', '/api/v1/me/profile')).status, 401);
      const bad = await call('PATCH', '/api/v1/me/profile', {
        token: stranger.token,
        body: { private: 'yes' },
      });
      assert.equal(bad.status, 400);
      const extra = await call('PATCH', '/api/v1/me/profile', {
        token: stranger.token,
        body: { private: true, userId: author.id },
      });
      assert.equal(extra.status, 400);
      const still = await call('GET', profileUrl(author.id));
      assert.equal(still.json.private, false);
    });

    it('renders the page with the brand, language and direction, escaping hostile text', async () => {
      const hostile = 'Eve<script>alert(1)</script>\u202Egnp.exe';
      await app.store.db
        .updateTable('users')
        .set({ display_name: hostile, badges: JSON.stringify(['<i>vip</i>']) })
        .where('id', '=', author.id)
        .execute();
      await app.store.db
        .updateTable('stories')
        .set({ title: '<img src=x onerror=alert(2)>' })
        .where('id', '=', storyId)
        .execute();
      const page = await call('GET', `/profiles/${app.site.id}/${author.id}?lang=ar`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.match(page.text, /<html lang="ar" dir="rtl">/);
      assert.ok(!page.text.includes('<script>alert(1)'), 'the name is text');
      assert.ok(page.text.includes('Eve&lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.ok(page.text.includes('<bdi>Eve&lt;script'), 'the name is isolated');
      assert.ok(!page.text.includes('<img src=x'), 'the title is text');
      assert.ok(!page.text.includes('<i>vip</i>'), 'a badge is text');
      assert.ok(!/<script/i.test(page.text), 'no script at all');
      // The comment's stored HTML once, not escaped again.
      assert.ok(page.text.includes('<p>Approved comment number 4</p>'), page.text.slice(0, 2000));
      assert.ok(page.text.includes(`#parley-comment-${posted[4]}`));
      assert.ok(page.text.includes('Test News'));
      assert.ok(page.text.includes('/profiles/assets/profile.css'));
      const css = await call('GET', '/profiles/assets/profile.css');
      assert.equal(css.status, 200);
      assert.match(css.text, /prefers-color-scheme:dark/);
      const en = await call('GET', `/profiles/${app.site.id}/${author.id}`, {
        headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
      });
      assert.match(en.text, /<html lang="fr" dir="ltr">/);
      assert.match(en.text, /Membre depuis/);
    });

    it('pages the plain page by link, and refuses bad addresses', async () => {
      const first = await call('GET', `/profiles/${app.site.id}/${author.id}?lang=en`);
      assert.ok(!first.text.includes('rel="next"'), 'five comments fit on one page');
      const second = await call(
        'GET',
        `/profiles/${app.site.id}/${author.id}?lang=en&cursor=${posted[2]}`,
      );
      assert.equal(second.status, 200);
      assert.ok(second.text.includes('Approved comment number 1'));
      assert.ok(!second.text.includes('Approved comment number 3'));
      assert.equal((await call('GET', `/profiles/${app.site.id}/nope`)).status, 400);
      assert.equal(
        (await call('GET', `/profiles/${app.site.id}/${author.id}?cursor=x`)).status,
        400,
      );
      assert.equal((await call('GET', `/profiles/${app.site.id}/${UNKNOWN_ID}`)).status, 404);
      assert.equal((await call('GET', `/profiles/${UNKNOWN_ID}/${author.id}`)).status, 404);
      assert.equal((await call('GET', '/profiles/assets/accent-zzzzzz.css')).status, 404);
    });

    it('has no profile once the reader is erased', async () => {
      const gone = await app.signup('Soon Gone');
      const response = await app.post(storyId, gone.token, 'A comment before leaving');
      assert.equal(response.status, 201);
      assert.equal((await call('GET', profileUrl(gone.id))).status, 200);
      await eraseAccount(
        {
          store: app.store,
          config: app.config,
          sessions: { forgetUser: () => undefined },
          threads: { storyChanged: () => undefined },
        },
        gone.id,
        { immediate: true },
      );
      const after = await call('GET', profileUrl(gone.id));
      assert.equal(after.status, 404);
      assert.equal(after.json.error.code, 'USER_NOT_FOUND');
      assert.equal((await call('GET', `/profiles/${app.site.id}/${gone.id}`)).status, 404);
    });
  });
}

describe('profiles are rate limited for strangers', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp('sqlite', { PARLEY_READ_RATE_LIMIT: '8' });
  });
  after(() => app.close());

  it('answers 429 once an address has read its share', async () => {
    const call = client(await listen(app));
    const reader = await app.signup('Limited');
    const storyId = await app.story();
    await app.post(storyId, reader.token, 'Something to show');
    const url = `/api/v1/sites/${app.site.id}/users/${reader.id}/profile`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call('GET', url)).status);
    assert.deepEqual(statuses.slice(0, 2), [200, 200]);
    assert.equal(statuses[3], 429);
  });
});
