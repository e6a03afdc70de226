/**
 * Server-rendered comments read with JavaScript turned off, in Chromium: a publisher's article
 * page (served by a small Node server that fetches the fragment while it renders the article, the
 * recipe of docs/server-rendering.md) shows the thread's first page; its "more comments" link
 * leads to Parley's plain page of the story, which pages on to the oldest comments and back to
 * the first page, links back to the article, and breaks no rule of its Content-Security-Policy.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { insertSite } from '../../src/store/sites.ts';
import type { Site } from '../../src/store/rows.ts';
import { createTestApp, RELAXED_MODERATION, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { freePort } from '../helpers/process.ts';

const skip = browserSkipReason();

describe('server-rendered comments with JavaScript off, in Chromium', { skip }, () => {
  let app: TestApp;
  let parley: string;
  let publisher: string;
  let site: Site;
  let server: http.Server;
  let browser: Browser;
  let context: BrowserContext;
  let storyId: string;
  const policyErrors: string[] = [];

  before(async () => {
    const port = await freePort();
    parley = `http://127.0.0.1:${port}`;
    app = await createTestApp('sqlite', { PUBLIC_URL: parley, PARLEY_WRITE_RATE_LIMIT: '1000' });
    await app.app.listen({ port, host: '127.0.0.1' });
    const publisherPort = await freePort();
    publisher = `http://localhost:${publisherPort}`;
    site = await insertSite(app.store.db, {
      name: 'The Publisher',
      allowedOrigins: [publisher],
      editWindowSeconds: app.config.editWindowSeconds,
      maxDepth: app.config.maxDepth,
      moderation: RELAXED_MODERATION,
    });
    await app.sites.refresh();

    // The story, made the way the widget makes it, and 25 comments (the fragment shows 20).
    const resolved = await app.request({
      method: 'POST',
      url: '/api/v1/stories/resolve',
      origin: publisher,
      body: { url: `${publisher}/article`, storyId: 'article-1', siteId: site.id, title: 'A vote' },
    });
    assert.equal(resolved.status, 200, resolved.text);
    storyId = resolved.json.story.id as string;
    const reader = await app.signup('Rana');
    for (let n = 1; n <= 25; n++) {
      const response = await app.request({
        method: 'POST',
        url: `/api/v1/stories/${storyId}/comments`,
        origin: publisher,
        token: reader.token,
        body: { body: `Comment number ${n}.` },
      });
      assert.equal(response.status, 201, response.text);
    }

    // The publisher's server: the article, with the fragment fetched while it renders.
    server = http.createServer((request, response) => {
      if (request.url !== '/article') return response.writeHead(404).end();
      const include = `${parley}/api/v1/sites/${site.id}/rendered?storyIdentifier=article-1`;
      fetch(include)
        .then(async (answer) => (answer.ok ? answer.text() : ''))
        .catch(() => '')
        .then((fragment) => {
          response.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            // A strict policy, as careful newsrooms send: styles from Parley's stylesheet only (no
            // style attributes), images from Parley, nothing else.
            'content-security-policy': `default-src 'none'; style-src ${parley}; img-src ${parley} https:`,
          });
          response.end(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A vote</title>' +
              '</head><body><h1>A vote</h1><p>The article.</p>' +
              `<div id="comments">${fragment}</div></body></html>`,
          );
        });
    });
    await new Promise<void>((resolve) => server.listen(publisherPort, '127.0.0.1', resolve));
    browser = await launchChromium();
    context = await browser.newContext({ javaScriptEnabled: false });
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    server?.close();
    await app?.close();
  });

  async function open(url: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) policyErrors.push(message.text());
    });
    const response = await page.goto(url);
    assert.equal(response?.status(), 200, url);
    return page;
  }

  const shown = (page: Page) =>
    page
      .locator('article.comment .body')
      .evaluateAll((bodies) =>
        bodies
          .filter((body) => (body as HTMLElement).offsetParent !== null)
          .map((body) => body.textContent?.trim() ?? ''),
      );

  it('shows the first page in the article, then pages through the plain page', async () => {
    const page = await open(`${publisher}/article`);
    const first = await shown(page);
    assert.equal(first.length, 20);
    assert.equal(first[0], 'Comment number 25.');
    assert.equal(first[19], 'Comment number 6.');
    // The stylesheet came from Parley and applies (its hidden live region is out of sight).
    const liveRegion = await page.locator('.parley-rendered .vh').boundingBox();
    assert.ok(!liveRegion || liveRegion.width <= 1, 'the fragment is styled');
    // Avatars take their colour from it too: the page's policy would block a style attribute.
    const initialsBackground = await page
      .locator('.parley-rendered .avatar')
      .first()
      .evaluate((element) => getComputedStyle(element).backgroundColor);
    assert.notEqual(initialsBackground, 'rgba(0, 0, 0, 0)', 'the avatar has its colour');

    // "More comments": Parley's plain page, second page.
    await Promise.all([page.waitForURL(/\/stories\/[0-9A-Z]{26}\?cursor=/), page.click('a.more')]);
    assert.ok(page.url().startsWith(`${parley}/stories/`));
    assert.deepEqual(
      await shown(page),
      [5, 4, 3, 2, 1].map((n) => `Comment number ${n}.`),
    );
    assert.equal(await page.locator('a.more').count(), 0, 'the last page has no more');
    // The widget's controls, which need its script, are not shown on the plain page.
    assert.equal(await page.locator('.parley-page .actions').first().isVisible(), false);
    assert.equal(await page.locator('.parley-page .account').isVisible(), false);
    // The page's inline style applies (its policy allows it by hash): 46rem and its padding, not the window's 1280 px.
    const column = await page.locator('main.parley-page').boundingBox();
    assert.ok(column && column.width <= 48 * 16, `the page's style applies (${column?.width})`);
    // And the avatars' colours (style attributes, allowed one by one).
    const avatar = await page
      .locator('.avatar')
      .first()
      .evaluate((element) => getComputedStyle(element).backgroundColor);
    assert.notEqual(avatar, 'rgba(0, 0, 0, 0)', 'the avatar has its colour');
    assert.equal(
      await page.locator('link[rel="canonical"]').getAttribute('href'),
      `${publisher}/article`,
    );

    // Back to the first page, and on again.
    await Promise.all([
      page.waitForURL((url) => !url.search.includes('cursor')),
      page.click('nav.parley-pages a'),
    ]);
    const again = await shown(page);
    assert.equal(again.length, 20);
    assert.equal(again[0], 'Comment number 25.');
    await Promise.all([page.waitForURL(/cursor=/), page.click('a.more')]);
    assert.equal((await shown(page)).length, 5);

    // Back to the article.
    await Promise.all([
      page.waitForURL(`${publisher}/article`),
      page.getByRole('link', { name: 'Back to the article' }).click(),
    ]);
    assert.deepEqual(policyErrors, [], 'no Content-Security-Policy violations');
    await page.close();
  });

  it('links every comment to its own anchor, on the article and on the plain page', async () => {
    const page = await open(`${publisher}/article`);
    const anchors = await page
      .locator('article.comment')
      .evaluateAll((items) => items.map((item) => item.id));
    assert.equal(anchors.length, 20);
    assert.ok(anchors.every((id) => /^parley-comment-[0-9A-Z]{26}$/.test(id)));
    const target = anchors[5] as string;
    await page.goto(`${parley}/stories/${storyId}#${target}`);
    const box = await page.locator(`#${target}`).boundingBox();
    assert.ok(box && box.y >= 0 && box.y < 50, `the linked comment is scrolled to (${box?.y})`);
    await page.close();
  });
});
