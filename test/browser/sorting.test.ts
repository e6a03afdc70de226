/**
 * Thread orders in Chromium, against the real `parley` process and its demo newsroom: choosing
 * "Best" shows the order the API gives; the site's default order is the one preselected when the
 * page says no data-sort, with the pinned comments marked first; and the comments a reader sees
 * are reported, so that their view counts rise in the database (docs/sorting.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type SQLite from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { bestKey } from '../../src/domain/best.ts';
import { browserSkipReason } from '../helpers/browser.ts';
import { startDemo, type Demo } from '../helpers/demo.ts';
import type { ParleyProcess } from '../helpers/process.ts';
import { createReader } from '../helpers/reader.ts';

const skip = browserSkipReason();

/** The top-level comments the widget shows, in order. */
const shownIds = (page: Page) =>
  page
    .locator('ol.thread > li > article[data-comment-id]')
    .evaluateAll((articles) => articles.map((a) => a.getAttribute('data-comment-id')));

describe('thread orders and views in Chromium', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let db: SQLite.Database;
  let admin: string;
  let storyId: string;
  let siteId: string;
  let demo: Demo;

  before(async () => {
    demo = await startDemo('sorting');
    ({ parley, db, browser, storyId, siteId } = demo);
    // An editor of the newsroom, to change the site's settings through the API.
    const editor = await createReader(parley.url, db, 'Editor');
    db.prepare(`update users set role = 'admin' where email = ?`).run(editor.email);
    const login = await fetch(`${parley.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: parley.url },
      body: JSON.stringify({ email: editor.email, password: editor.password }),
    });
    assert.equal(login.status, 200);
    admin = ((await login.json()) as { token: string }).token;
  });
  after(() => demo?.close());

  const changeSite = async (body: object) => {
    const response = await fetch(`${parley.url}/api/v1/sites/${siteId}`, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/json',
        origin: parley.url,
        authorization: `Bearer ${admin}`,
      },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, await response.text());
  };
  const apiOrder = async (sort: string) => {
    const response = await fetch(`${parley.url}/api/v1/stories/${storyId}/comments?sort=${sort}`);
    const page = (await response.json()) as { comments: { id: string }[] };
    return page.comments.map((c) => c.id);
  };

  it('reorders the thread when the reader chooses Best', async () => {
    // The oldest top-level comment earns a strong record: Best lifts it above newer ones.
    const oldest = db
      .prepare(
        `select id, created_at from comments where story_id = ? and thread_parent_id is null
           and status = 'approved' and deleted_at is null order by id limit 1`,
      )
      .get(storyId) as { id: string; created_at: string };
    db.prepare(
      `update comments set reaction_count = 40, view_count = 45, best_key = ? where id = ?`,
    ).run(bestKey({ respects: 40, views: 45, createdAt: oldest.created_at }), oldest.id);

    const page = await browser.newPage();
    await page.goto(`${parley.url}/`);
    await page.locator('[data-comment-id]').first().waitFor();
    const select = page.locator('select[name="sort"]');
    assert.equal(await select.inputValue(), 'newest', 'the site’s default: newest');
    assert.ok(
      (await select.locator('option').allTextContents()).includes('Best'),
      'Best is offered',
    );
    const before = await shownIds(page);
    const best = await apiOrder('best');
    assert.notDeepEqual(best.slice(0, before.length), before, 'Best is another order here');

    await select.selectOption('best');
    await page.waitForFunction(
      (first) =>
        document
          .querySelector('#parley-comments')
          ?.shadowRoot?.querySelector('ol.thread > li > article[data-comment-id]')
          ?.getAttribute('data-comment-id') === first,
      best[0],
    );
    assert.deepEqual(await shownIds(page), best);
    assert.equal(best[0], oldest.id);
    await page.close();
  });

  it('preselects the site’s default order and marks its pinned comments', async () => {
    const picked = db
      .prepare(
        `select id from comments where story_id = ? and thread_parent_id is null
           and status = 'approved' and deleted_at is null order by id desc limit 1 offset 2`,
      )
      .get(storyId) as { id: string };
    db.prepare(`update comments set featured = 1 where id = ?`).run(picked.id);
    await changeSite({ defaultSort: 'best', pinNewsroom: true });
    try {
      for (const lang of ['en', 'ar'] as const) {
        const page = await browser.newPage();
        if (lang === 'ar') {
          await page.route(`${parley.url}/`, async (route) => {
            const response = await route.fetch();
            const html = (await response.text()).replace(
              '<html lang="en">',
              '<html lang="ar" dir="rtl">',
            );
            await route.fulfill({ response, body: html });
          });
        }
        await page.goto(`${parley.url}/`);
        await page.locator('[data-comment-id]').first().waitFor();
        assert.equal(await page.locator('select[name="sort"]').inputValue(), 'best');
        const shown = await shownIds(page);
        assert.equal(shown[0], picked.id, 'the featured comment leads');
        const first = page.locator('ol.thread > li > article[data-comment-id]').first();
        const marker = first.locator('.badge.pinned');
        await marker.waitFor();
        assert.equal((await marker.textContent())?.trim(), lang === 'en' ? 'Pinned' : 'مثبّت');
        assert.equal(new Set(shown).size, shown.length, 'no comment listed twice');
        assert.equal(
          await page.locator('.badge.pinned').count(),
          await pinnedCount(),
          'only the pinned comments are marked',
        );
        await page.close();
      }
    } finally {
      await changeSite({ defaultSort: 'newest', pinNewsroom: false });
    }
  });

  const pinnedCount = async () => {
    const response = await fetch(`${parley.url}/api/v1/stories/${storyId}/comments?sort=best`);
    const page = (await response.json()) as { comments: { pinned?: boolean }[] };
    return page.comments.filter((c) => c.pinned).length;
  };

  it('reports the comments a reader saw: their view counts rise', async () => {
    const views = () =>
      (
        db
          .prepare(`select coalesce(sum(view_count), 0) as n from comments where story_id = ?`)
          .get(storyId) as { n: number }
      ).n;
    const before = views();
    const requests: string[] = [];
    const page = await browser.newPage();
    page.on('request', (request) => {
      if (request.url().endsWith('/views')) requests.push(request.postData() ?? '');
    });
    await page.goto(`${parley.url}/`);
    const first = page.locator('ol.thread > li > article[data-comment-id]').first();
    await first.scrollIntoViewIfNeeded();
    // Seen for a second, sent within two more, written by the server within five: waited for,
    // not timed.
    for (let i = 0; i < 60 && views() <= before; i++) await page.waitForTimeout(500);
    assert.ok(views() > before, 'the server counted the views');
    assert.ok(requests.length > 0);
    const sent = JSON.parse(requests[0]!) as { commentIds: string[] };
    assert.ok(sent.commentIds.includes((await first.getAttribute('data-comment-id'))!));
    assert.equal(
      new Set(requests.flatMap((r) => (JSON.parse(r) as { commentIds: string[] }).commentIds)).size,
      requests.flatMap((r) => (JSON.parse(r) as { commentIds: string[] }).commentIds).length,
      'each comment reported once per page load',
    );
    await page.close();
  });
});
