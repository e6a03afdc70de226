/**
 * The widget in a real browser: Chromium opens the demo newsroom served by the real `parley`
 * process, a new reader signs up, posts a comment and a reply, reloads and sees both; hostile
 * comments show as text and run nothing. Moderators' decisions as readers see them (written
 * straight to the process's database): the Featured tab, the author's own removed comment with
 * the moderator's reasons, and a warning to acknowledge before posting. Then the widget embedded
 * on another origin (a publisher's page) with third-party cookies blocked.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { freePort, startParley, type ParleyProcess } from '../helpers/process.ts';

const skip = browserSkipReason();

async function signUp(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign up' }).first().click();
  await page.locator('input[name="displayName"]').fill(name);
  await page.locator('input[name="email"]').fill(`${name.toLowerCase()}.${Date.now()}@example.com`);
  await page.locator('input[name="password"]').fill('a long enough password');
  await page
    .locator('form')
    .filter({ has: page.locator('input[name="displayName"]') })
    .getByRole('button', { name: 'Sign up' })
    .click();
  await page.getByRole('button', { name: /Log out|Sign out/ }).waitFor();
}

async function postComment(page: Page, text: string): Promise<void> {
  const form = page
    .locator('form')
    .filter({ has: page.getByRole('button', { name: 'Post comment' }) });
  await form.locator('textarea[name="body"]').fill(text);
  await form.getByRole('button', { name: 'Post comment' }).click();
}

function commentByText(page: Page, text: string) {
  return page.locator('[data-comment-id]').filter({ hasText: text }).first();
}

describe('embed widget in Chromium', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let db: SQLite.Database;
  const dialogs: string[] = [];
  // The process's database, opened beside it to play the moderator; its pages are not cached, so
  // a reload shows what was written.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-widget-'));

  before(async () => {
    const file = path.join(dir, 'parley.db');
    parley = await startParley({
      demo: true,
      env: { DATABASE_URL: file, PARLEY_THREAD_CACHE_TTL_MS: '0' },
    });
    db = new SQLite(file);
    db.pragma('busy_timeout = 5000');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    db?.close();
    await parley?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(url);
    return page;
  }

  it('shows the demo article with its seeded multilingual discussion', async () => {
    const page = await open(`${parley.url}/`);
    await page.locator('[data-comment-id]').first().waitFor();
    assert.match(await page.locator('h1').first().innerText(), /Beijing/);
    const comments = await page.locator('[data-comment-id]').count();
    assert.ok(comments >= 20, `only ${comments} comments shown`);
    const bodies = await page.locator('[data-comment-id] [dir="auto"]').allInnerTexts();
    const text = bodies.join('\n');
    assert.match(text, /[\u0600-\u06FF]/, 'an Arabic comment');
    assert.match(text, /[\u0590-\u05FF]/, 'a Hebrew comment');
    assert.match(text, /[\u4E00-\u9FFF]/, 'a Chinese comment');
    assert.equal(await page.getByRole('tablist').count(), 0, 'no Featured tab without featured');
    await page.close();
  });

  it('lets a new reader sign up, comment and reply, and keeps both across a reload', async () => {
    const page = await open(`${parley.url}/`);
    await signUp(page, 'Mariam');
    const stamp = Date.now().toString(36);
    await postComment(page, `Cautious hope from Mariam ${stamp}`);
    const mine = commentByText(page, `Cautious hope from Mariam ${stamp}`);
    await mine.waitFor();

    await mine.getByRole('button', { name: 'Reply' }).first().click();
    const replyForm = mine.locator('form').filter({ has: page.locator('textarea[name="body"]') });
    await replyForm.locator('textarea[name="body"]').fill(`A reply to myself ${stamp}`);
    await replyForm
      .getByRole('button', { name: /Post reply|Reply/ })
      .last()
      .click();
    await commentByText(page, `A reply to myself ${stamp}`).waitFor();

    await page.reload();
    await commentByText(page, `Cautious hope from Mariam ${stamp}`).waitFor();
    await commentByText(page, `A reply to myself ${stamp}`).waitFor();
    assert.equal(
      (await page.getByRole('button', { name: /Log out|Sign out/ }).count()) > 0,
      true,
      'still signed in after reload',
    );
    await page.close();
  });

  it('shows hostile comments as text and runs nothing', async () => {
    const page = await open(`${parley.url}/`);
    await signUp(page, 'Mallory');
    const img = '<img src=x onerror=alert(1)>';
    await postComment(page, img);
    const shown = commentByText(page, img);
    await shown.waitFor();
    assert.equal(await shown.locator('img').count(), 0);

    await postComment(page, '[x](javascript:alert(1)) and <script>alert(2)</script>');
    const link = commentByText(page, '<script>alert(2)</script>');
    await link.waitFor();
    assert.equal(await link.locator('a[href^="javascript:"]').count(), 0);
    assert.equal(await link.locator('script').count(), 0);
    await link
      .getByText('[x](javascript:alert(1))')
      .click()
      .catch(() => undefined);
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, [], 'no script ran');
    await page.close();
  });

  it('offers a Featured tab listing only the featured comments, by mouse and keyboard', async () => {
    const picked = db
      .prepare(
        `select c.id, c.body from comments c join stories s on s.id = c.story_id
         where s.external_id = 'beijing-unity-talks' and c.thread_parent_id is null
           and c.status = 'approved' and c.deleted_at is null
         order by c.id limit 2`,
      )
      .all() as { id: string; body: string }[];
    assert.equal(picked.length, 2);
    db.prepare(`update comments set featured = 1 where id in (?, ?)`).run(
      ...picked.map((c) => c.id),
    );
    const page = await open(`${parley.url}/`);
    const featuredTab = page.getByRole('tab', { name: /Featured \(2\)/ });
    await featuredTab.waitFor();
    const allTab = page.getByRole('tab', { name: /comments/ });
    assert.equal(await allTab.getAttribute('aria-selected'), 'true');
    assert.equal(await featuredTab.getAttribute('tabindex'), '-1', 'one tab stop');
    const topLevel = page.locator('[role="tabpanel"] ol.thread > li');
    assert.ok((await topLevel.count()) > 2);

    await featuredTab.click();
    await page.waitForFunction(
      () =>
        document.querySelector('#parley-comments')?.shadowRoot?.querySelectorAll('ol.thread > li')
          .length === 2,
    );
    assert.equal(await featuredTab.getAttribute('aria-selected'), 'true');
    const shown = await page
      .locator('ol.thread > li > article[data-comment-id]')
      .evaluateAll((articles) => articles.map((a) => a.getAttribute('data-comment-id')));
    assert.deepEqual(shown, picked.map((c) => c.id).reverse(), 'newest first');
    assert.equal(await page.locator('select[name="sort"]').count(), 0, 'no sort order here');

    await featuredTab.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      () =>
        (document.querySelector('#parley-comments')?.shadowRoot?.querySelectorAll('ol.thread > li')
          .length ?? 0) > 2,
    );
    assert.equal(await allTab.getAttribute('aria-selected'), 'true');
    assert.equal(
      await page.evaluate(
        () => document.querySelector('#parley-comments')?.shadowRoot?.activeElement?.role,
      ),
      'tab',
      'focus follows the selected tab',
    );
    await page.close();
  });

  it("labels the author's removed comment with the moderator's reasons, as text", async () => {
    const page = await open(`${parley.url}/`);
    await signUp(page, 'Noor');
    const stamp = Date.now().toString(36);
    await postComment(page, `Noor says something harsh ${stamp}`);
    const mine = commentByText(page, `Noor says something harsh ${stamp}`);
    await mine.waitFor();
    const id = await mine.getAttribute('data-comment-id');
    const note = '<script>alert("note")</script> Argue with the idea, not the person.';
    db.prepare(
      `update comments set status = 'rejected', rejection_code = 'HATE', rejection_note = ?
       where id = ?`,
    ).run(note, id);
    await page.reload();
    const removed = page.locator(`[data-comment-id="${id}"]`);
    await removed.getByText('Removed by a moderator').waitFor();
    assert.doesNotMatch(await removed.innerText(), /Awaiting review/);
    assert.equal(await removed.locator('strong').first().innerText(), 'Hate');
    assert.equal(await removed.locator('q').innerText(), note, 'the note, as text');
    assert.equal(await removed.locator('script').count(), 0);
    await page.waitForTimeout(200);
    assert.deepEqual(dialogs, [], 'no script ran');
    await page.close();
  });

  it('shows a warning with "I understand", then posts the draft that was refused', async () => {
    const page = await open(`${parley.url}/`);
    await signUp(page, 'Karim');
    const stamp = Date.now().toString(36);
    const message = `Karim, keep it civil <b>${stamp}</b>`;
    db.prepare(
      `update users set warning = ?, warning_acknowledged_at = null where display_name = 'Karim'`,
    ).run(message);
    const draft = `A calmer thought from Karim ${stamp}`;
    await postComment(page, draft);
    const warning = page.getByRole('alert').filter({ hasText: message });
    await warning.waitFor();
    assert.match(await warning.innerText(), /A moderator has warned you/);
    assert.equal(await warning.locator('b').count(), 0, 'the message is text');
    const composer = page.locator('form.composer');
    assert.equal(await composer.locator('textarea').inputValue(), draft, 'the draft is kept');
    assert.equal(await commentByText(page, draft).count(), 0);

    await warning.getByRole('button', { name: 'I understand' }).click();
    await warning.waitFor({ state: 'detached' });
    await composer.getByRole('button', { name: 'Post comment' }).click();
    await commentByText(page, draft).waitFor();

    // Warned again: the widget knows from "me" on the next load.
    db.prepare(
      `update users set warning = 'Second warning', warning_acknowledged_at = null
       where display_name = 'Karim'`,
    ).run();
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Second warning' }).waitFor();
    await page.close();
  });

  it('works on a publisher page on another origin with third-party cookies blocked', async () => {
    const port = await freePort();
    const publisher = `http://localhost:${port}`;
    const adminToken = await adminLogin(parley);
    const created = await fetch(`${parley.url}/api/v1/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Publisher', allowedOrigins: [publisher] }),
    });
    assert.equal(created.status, 201);
    const page404 = (response: http.ServerResponse) => response.writeHead(404).end();
    const server = http.createServer((request, response) => {
      if (request.url !== '/article') return page404(response);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="fr"><head><title>Article</title></head><body>
        <h1>Un article</h1><div id="parley-comments" data-story-id="publisher-1"></div>
        <script src="${parley.url}/embed.js" async></script></body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const strictBrowser = await launchChromium(['--test-third-party-cookie-phaseout']);
    const blocked = await strictBrowser.newContext();
    try {
      const page = await blocked.newPage();
      await page.goto(`${publisher}/article`);
      await page.getByRole('button', { name: 'S’inscrire' }).first().waitFor();
      const stamp = Date.now().toString(36);
      await page.getByRole('button', { name: 'S’inscrire' }).first().click();
      await page.locator('input[name="displayName"]').fill('Lina');
      await page.locator('input[name="email"]').fill(`lina.${stamp}@example.com`);
      await page.locator('input[name="password"]').fill('a long enough password');
      await page
        .locator('form')
        .filter({ has: page.locator('input[name="displayName"]') })
        .locator('button[type="submit"]')
        .click();
      await page.locator('textarea[name="body"]').first().waitFor();
      await page
        .locator('textarea[name="body"]')
        .first()
        .fill(`Bonjour depuis un autre site ${stamp}`);
      await page
        .locator('form')
        .filter({ has: page.locator('textarea[name="body"]') })
        .first()
        .locator('button[type="submit"]')
        .click();
      await commentByText(page, `Bonjour depuis un autre site ${stamp}`).waitFor();
      const cookies = await blocked.cookies(parley.url);
      assert.deepEqual(cookies, [], 'Parley sets no cookies');
    } finally {
      await strictBrowser.close();
      server.close();
    }
  });
});

async function adminLogin(parley: ParleyProcess): Promise<string> {
  const password = /password: (\S+)/.exec(parley.output())?.[1];
  assert.ok(password, 'the first start prints the admin password');
  const response = await fetch(`${parley.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@localhost', password }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { token: string }).token;
}
