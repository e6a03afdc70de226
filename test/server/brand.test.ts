/**
 * The publisher's public brand (GET /api/v1/sites/{siteId}/brand, and `brand` on the story the
 * widget loads), on both engines: its shape, caching headers and revalidation, errors for unknown
 * and malformed ids, the rate limit, and that a change of branding or name reaches every story
 * payload at once, cached thread pages included.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/domain/ids.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const HOSTILE_NAME = '<img src=x onerror=alert(1)> The "Daily" & Co';

for (const engine of await testEngines()) {
  describe(`public brand (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    let storyId: string;

    before(async () => {
      app = await createTestApp(engine, { PARLEY_WRITE_RATE_LIMIT: '1000' });
      admin = await app.admin();
      storyId = await app.story('brand-story');
    });
    after(async () => app.close());

    const brand = (headers: Record<string, string> = {}, siteId = app.site.id) =>
      app.request({
        method: 'GET',
        url: `/api/v1/sites/${siteId}/brand`,
        origin: null,
        headers,
      });

    it('answers anyone with the site name and empty branding, cacheable with an ETag', async () => {
      const response = await brand();
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.json, {
        siteId: app.site.id,
        name: 'Test News',
        logoUrl: null,
        accentColor: null,
        guidelinesUrl: null,
      });
      assert.match(String(response.headers['cache-control']), /^public, max-age=\d+$/);
      const maxAge = Number(/max-age=(\d+)/.exec(String(response.headers['cache-control']))![1]);
      assert.ok(maxAge > 0 && maxAge <= 300, `a short max-age, not ${maxAge}`);
      const etag = String(response.headers.etag);
      assert.match(etag, /^".+"$/);
      const again = await brand({ 'if-none-match': etag });
      assert.equal(again.status, 304);
      assert.equal(again.text, '');
      const stale = await brand({ 'if-none-match': '"something-else"' });
      assert.equal(stale.status, 200);
    });

    it('404s an unknown site and 400s a malformed id, as JSON', async () => {
      const unknown = await brand({}, newId());
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json.error.code, 'SITE_NOT_FOUND');
      for (const bad of ['nope', "1' OR '1'='1", '%3Cscript%3E', 'x'.repeat(150)]) {
        const response = await brand({}, bad);
        assert.equal(response.status, 400, `${bad} → ${response.status} ${response.text}`);
        assert.equal(typeof response.json.error.code, 'string');
      }
    });

    it('carries the brand on the story the widget resolves, reads and pages', async () => {
      const resolved = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        body: { url: 'https://news.example/news/brand-story', storyId: 'brand-story' },
      });
      assert.equal(resolved.status, 200, resolved.text);
      assert.deepEqual(resolved.json.story.brand, (await brand()).json);
      const one = await app.request({ method: 'GET', url: `/api/v1/stories/${storyId}` });
      assert.deepEqual(one.json.story.brand, (await brand()).json);
      const page = await app.request({
        method: 'GET',
        url: `/api/v1/stories/${storyId}/comments`,
      });
      assert.deepEqual(page.json.story.brand, (await brand()).json);
    });

    it('shows a change of branding at once, in the brand and in cached thread pages', async () => {
      const reader = await app.signup('Brand Reader');
      assert.equal((await app.post(storyId, reader.token, 'First!')).status, 201);
      const pageUrl = `/api/v1/stories/${storyId}/comments`;
      const before = await app.request({ method: 'GET', url: pageUrl });
      const cachedEtag = String(before.headers.etag);
      // Read again: the page now comes from the thread cache.
      assert.equal(
        (
          await app.request({
            method: 'GET',
            url: pageUrl,
            headers: { 'if-none-match': cachedEtag },
          })
        ).status,
        304,
      );
      const oldBrandEtag = String((await brand()).headers.etag);

      const put = await app.request({
        method: 'PUT',
        url: `/api/v1/admin/sites/${app.site.id}/branding`,
        token: admin,
        body: {
          logoUrl: 'https://news.example/logo.png',
          accentColor: '#0A5C8A',
          guidelinesUrl: 'https://news.example/guidelines',
          senderName: 'The Desk',
        },
      });
      assert.equal(put.status, 200, put.text);
      const expected = {
        siteId: app.site.id,
        name: 'Test News',
        logoUrl: 'https://news.example/logo.png',
        accentColor: '#0a5c8a',
        guidelinesUrl: 'https://news.example/guidelines',
      };
      const fresh = await brand({ 'if-none-match': oldBrandEtag });
      assert.equal(fresh.status, 200, 'the old ETag no longer matches');
      assert.deepEqual(fresh.json, expected, 'mail-only fields (sender, sign-off) stay private');

      const after = await app.request({
        method: 'GET',
        url: pageUrl,
        headers: { 'if-none-match': cachedEtag },
      });
      assert.equal(after.status, 200, 'the cached page was rendered again');
      assert.deepEqual(after.json.story.brand, expected);
      assert.equal(after.json.comments.length, 1);
      const story = await app.request({ method: 'GET', url: `/api/v1/stories/${storyId}` });
      assert.deepEqual(story.json.story.brand, expected);
    });

    it('returns a hostile site name as plain JSON text, and a renamed site at once', async () => {
      const patched = await app.request({
        method: 'PATCH',
        url: `/api/v1/sites/${app.site.id}`,
        token: admin,
        body: { name: HOSTILE_NAME },
      });
      assert.equal(patched.status, 200, patched.text);
      const response = await brand();
      assert.equal(response.json.name, HOSTILE_NAME);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      const page = await app.request({
        method: 'GET',
        url: `/api/v1/stories/${storyId}/comments`,
      });
      assert.equal(page.json.story.brand.name, HOSTILE_NAME);
    });
  });
}

describe('public brand rate limit', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp('sqlite', { PARLEY_READ_RATE_LIMIT: '3' });
  });
  after(async () => app.close());

  it('refuses the fourth request a minute from one address with 429 JSON', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await app.request({
        method: 'GET',
        url: `/api/v1/sites/${app.site.id}/brand`,
        origin: null,
      });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.equal(last?.json.error.code, 'RATE_LIMITED');
  });
});
