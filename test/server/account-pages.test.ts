/**
 * Parley's own pages (src/server/account-pages.ts) over HTTP: the sign-in popup and "your
 * account" refuse an origin that is not one of the site's (not allowed, malformed, javascript:)
 * with a page that carries no script; every page keeps the strict Content-Security-Policy, is
 * never cached and lets a popup keep its opener; what a query string carries is never written
 * back unescaped; the language comes from ?lang= or the browser; only the built files are served.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { buildAccount } from '../../scripts/build-web.ts';
import { ACCOUNT_MANIFEST, pickPageLanguage } from '../../src/server/account-pages.ts';
import { createTestApp, SITE_ORIGIN, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>';

/** The headers every account page carries, refusals included. */
function assertPageHeaders(response: ApiResponse, label: string): void {
  const csp = String(response.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'(;|$)/, label);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, label);
  assert.match(csp, /frame-ancestors 'none'/, label);
  assert.equal(response.headers['cross-origin-opener-policy'], 'unsafe-none', label);
  assert.equal(response.headers['cache-control'], 'no-store', label);
  assert.equal(response.headers['referrer-policy'], 'no-referrer', label);
  assert.match(String(response.headers['content-type']), /^text\/html/, label);
}

/** Every script of the page is a file of Parley's own; none is inline. */
function scriptsOf(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>/gi)].map((tag) => {
    const src = /\ssrc="([^"]+)"/.exec(tag[0])?.[1];
    assert.ok(src, `inline script: ${tag[0]}`);
    return src;
  });
}

function assertNoReflection(response: ApiResponse, label: string): void {
  assert.ok(!response.text.includes('<script>alert'), `${label}: script reflected`);
  assert.ok(!response.text.includes('<img src=x'), `${label}: markup reflected`);
  assert.ok(!/javascript:/i.test(response.text), `${label}: javascript: reflected`);
}

for (const engine of await testEngines()) {
  describe(`account pages (${engine})`, () => {
    let app: TestApp;
    const page = (url: string, headers: Record<string, string> = {}) =>
      app.request({ method: 'GET', url, origin: null, headers });
    const popupUrl = (query: Record<string, string>) =>
      `/auth/popup?${new URLSearchParams(query).toString()}`;

    before(async () => {
      if (!fs.existsSync(ACCOUNT_MANIFEST)) await buildAccount();
      app = await createTestApp(engine);
    });
    after(async () => {
      await app?.close();
    });

    it('serves the sign-in popup for an allowed origin, with what the page needs', async () => {
      const response = await page(
        popupUrl({ siteId: app.site.id, origin: SITE_ORIGIN, lang: 'fr' }),
      );
      assert.equal(response.status, 200, response.text);
      assertPageHeaders(response, 'popup');
      assert.match(response.text, /<html lang="fr" dir="ltr">/);
      assert.match(response.text, /data-page="popup"/);
      assert.match(response.text, new RegExp(`data-origin="${SITE_ORIGIN}"`));
      assert.match(response.text, new RegExp(`data-site-id="${app.site.id}"`));
      const methods = /data-methods="([^"]*)"/.exec(response.text)?.[1] ?? '';
      assert.deepEqual(JSON.parse(methods.replace(/&quot;/g, '"')), {
        local: true,
        sso: false,
        oidc: false,
      });
      const [script, ...others] = scriptsOf(response.text);
      assert.deepEqual(others, []);
      assert.match(script!, /^\/account\/assets\/account\.fr\.[A-Z0-9]+\.js$/);

      const bundle = await app.request({ method: 'GET', url: script!, origin: null });
      assert.equal(bundle.status, 200);
      assert.match(String(bundle.headers['content-type']), /^text\/javascript/);
      assert.match(String(bundle.headers['cache-control']), /immutable/);
      const css = /href="(\/account\/assets\/account\.[A-Z0-9]+\.css)"/.exec(response.text)?.[1];
      assert.ok(css, 'a stylesheet');
      const own = await page(popupUrl({ siteId: app.site.id, origin: 'http://parley.test' }));
      assert.equal(own.status, 200, 'Parley’s own origin (its demo page) is accepted');
      const sheet = await app.request({ method: 'GET', url: css, origin: null });
      assert.equal(sheet.status, 200);
      assert.match(String(sheet.headers['content-type']), /^text\/css/);
    });

    it('refuses an origin that is not one of the site’s, with a page that posts nothing', async () => {
      const refused: Record<string, Record<string, string>> = {
        'another site': { siteId: app.site.id, origin: 'https://evil.example' },
        'a path': { siteId: app.site.id, origin: `${SITE_ORIGIN}/article` },
        'a trailing slash': { siteId: app.site.id, origin: `${SITE_ORIGIN}/` },
        'no scheme': { siteId: app.site.id, origin: 'news.example' },
        'javascript:': { siteId: app.site.id, origin: 'javascript:alert(1)' },
        'an opaque origin': { siteId: app.site.id, origin: 'null' },
        'the wrong scheme': { siteId: app.site.id, origin: 'http://news.example' },
        'no origin': { siteId: app.site.id },
        'no site': { origin: SITE_ORIGIN },
        'an unknown site': { siteId: UNKNOWN_ID, origin: SITE_ORIGIN },
        'a malformed site id': { siteId: '../../admin', origin: SITE_ORIGIN },
        'markup in the origin': { siteId: app.site.id, origin: `${SITE_ORIGIN}${XSS}` },
      };
      for (const [label, query] of Object.entries(refused)) {
        const response = await page(popupUrl(query));
        assert.equal(response.status, 400, `${label}: ${response.text}`);
        assertPageHeaders(response, label);
        assert.deepEqual(scriptsOf(response.text), [], `${label}: no script at all`);
        assert.doesNotMatch(response.text, /data-origin/, label);
        assert.match(response.text, /role="alert"/, label);
        assertNoReflection(response, label);
      }
    });

    it('serves "your account" for the widget (checked origin) and alone (no origin)', async () => {
      const withWidget = await page(
        `/account?${new URLSearchParams({ siteId: app.site.id, origin: SITE_ORIGIN })}`,
      );
      assert.equal(withWidget.status, 200);
      assertPageHeaders(withWidget, 'account');
      assert.match(withWidget.text, /data-page="account"/);
      assert.match(withWidget.text, new RegExp(`data-origin="${SITE_ORIGIN}"`));

      const anySite = await page(`/account?${new URLSearchParams({ origin: SITE_ORIGIN })}`);
      assert.equal(anySite.status, 200, 'an origin some site allows');

      const alone = await page('/account');
      assert.equal(alone.status, 200);
      assert.match(alone.text, /data-page="account"/);
      assert.doesNotMatch(alone.text, /data-origin/);

      for (const origin of [
        'https://evil.example',
        'javascript:alert(1)',
        `${SITE_ORIGIN}${XSS}`,
      ]) {
        const refused = await page(
          `/account?${new URLSearchParams({ siteId: app.site.id, origin })}`,
        );
        assert.equal(refused.status, 400, origin);
        assertPageHeaders(refused, origin);
        assert.deepEqual(scriptsOf(refused.text), []);
        assertNoReflection(refused, origin);
        const noSite = await page(`/account?${new URLSearchParams({ origin })}`);
        assert.equal(noSite.status, 400, `${origin} without a site`);
      }
    });

    it('serves the mailed links’ pages without writing their query back', async () => {
      for (const name of ['verify', 'reset', 'email']) {
        const response = await page(
          `/account/${name}?${new URLSearchParams({ token: XSS, lang: XSS })}`,
        );
        assert.equal(response.status, 200, name);
        assertPageHeaders(response, name);
        assert.match(response.text, new RegExp(`data-page="${name}"`));
        assert.match(response.text, /<html lang="en" dir="ltr">/, 'an unknown language: English');
        assert.ok(!response.text.includes('alert('), `${name}: the token is not in the page`);
        assertNoReflection(response, name);
      }
    });

    it('takes the language from ?lang=, else from the browser, right-to-left for ar and he', async () => {
      const url = `/account/verify?token=x`;
      const cases: [Record<string, string>, string, string][] = [
        [{}, 'en', 'ltr'],
        [{ 'accept-language': 'he-IL,he;q=0.9,en;q=0.8' }, 'he', 'rtl'],
        [{ 'accept-language': 'de-DE,de;q=0.9,zh-CN;q=0.8' }, 'zh', 'ltr'],
        [{ 'accept-language': 'es;q=0.2,ar;q=0.9' }, 'ar', 'rtl'],
      ];
      for (const [headers, lang, dir] of cases) {
        const response = await page(url, headers);
        assert.match(response.text, new RegExp(`<html lang="${lang}" dir="${dir}">`), lang);
        assert.match(response.text, new RegExp(`account\\.${lang}\\.[A-Z0-9]+\\.js`), lang);
      }
      const asked = await page(`${url}&lang=ar-EG`, { 'accept-language': 'fr' });
      assert.match(asked.text, /<html lang="ar" dir="rtl">/);
      const refusal = await page(popupUrl({ siteId: app.site.id, origin: 'x', lang: 'he' }));
      assert.match(refusal.text, /<html lang="he" dir="rtl">/, 'refusals are in the language too');
    });

    it('serves only the built files, and keeps the stricter opener policy elsewhere', async () => {
      for (const url of [
        '/account/assets/manifest.json',
        '/account/assets/..%2Fmanifest.json',
        '/account/assets/account.en.AAAAAAAA.js',
      ]) {
        const response = await page(url);
        assert.equal(response.status, 404, url);
      }
      const health = await page('/healthz');
      assert.equal(health.headers['cross-origin-opener-policy'], 'same-origin-allow-popups');
    });
  });
}

for (const engine of await testEngines()) {
  describe(`account pages under load (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      if (!fs.existsSync(ACCOUNT_MANIFEST)) await buildAccount();
      app = await createTestApp(engine, { PARLEY_READ_RATE_LIMIT: '3' });
    });
    after(async () => {
      await app?.close();
    });

    it('limits each page per client address, like the public reads', async () => {
      for (const url of [
        `/auth/popup?siteId=${app.site.id}&origin=${encodeURIComponent(SITE_ORIGIN)}`,
        '/account',
        '/account/reset',
      ]) {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) {
          statuses.push((await app.request({ method: 'GET', url, origin: null })).status);
        }
        assert.deepEqual(statuses, [200, 200, 200, 429], url);
      }
    });
  });
}

describe('page language', () => {
  it('reads ?lang= first, then the browser’s languages by preference', () => {
    assert.equal(pickPageLanguage('fr-CA', 'ar'), 'fr');
    assert.equal(pickPageLanguage('xx', 'ar'), 'ar');
    assert.equal(pickPageLanguage(undefined, 'de, en;q=0.5, he;q=0.7'), 'he');
    assert.equal(pickPageLanguage(undefined, 'he;q=0, fr;q=0.1'), 'fr');
    assert.equal(pickPageLanguage(undefined, undefined), 'en');
  });
});
