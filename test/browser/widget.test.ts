/**
 * The widget in a real browser: Chromium opens the demo newsroom served by the real `parley`
 * process, a new reader signs up, posts a comment and a reply, reloads and sees both; hostile
 * comments show as text and run nothing. Moderators' decisions as readers see them (written
 * straight to the process's database): the Featured tab, the author's own removed comment with
 * the moderator's reasons, and a warning to acknowledge before posting. Then the widget embedded
 * on another origin (a publisher's page) with third-party cookies blocked, and the interface
 * language: English built in, another language loaded from its own file. Finally, with the shipped
 * classifier on, the suggestion to revise a draft before posting it, in English and in Arabic.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type SQLite from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromiumProfile } from '../helpers/browser.ts';
import { startDemo, type Demo } from '../helpers/demo.ts';
import { freePort, type ParleyProcess } from '../helpers/process.ts';
import { createReader, signInThroughPopup } from '../helpers/reader.ts';

const skip = browserSkipReason();

/** A new reader with a confirmed address, signed in through the widget's popup (Parley's page). */
async function signUp(page: Page, db: SQLite.Database, name: string): Promise<void> {
  await signInThroughPopup(page, await createReader(new URL(page.url()).origin, db, name));
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

/** Serves the demo newsroom as a page in another language (its <html lang> and dir changed). */
async function asLanguage(page: Page, url: string, lang: string, dir: 'ltr' | 'rtl') {
  await page.route(url, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      '<html lang="en">',
      `<html lang="${lang}" dir="${dir}">`,
    );
    assert.match(html, new RegExp(`<html lang="${lang}"`));
    await route.fulfill({ response, body: html });
  });
}

/** Paths of the requests the page makes, in the order it makes them. */
function recordRequests(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

const ARTEFACTS = path.resolve(import.meta.dirname, '../../artefacts');

describe('embed widget in Chromium', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let db: SQLite.Database;
  const dialogs: string[] = [];
  // The process's database is opened beside it to play the moderator; its pages are not cached,
  // so a reload shows what was written.
  let demo: Demo;

  before(async () => {
    // startDemo's defaults matter here. The classifier is off, as in the API suites: what these
    // tests check should not change when the model is retrained (the suggestion to revise has a
    // suite of its own below). Moderators' decisions are written straight to the database, behind
    // the process's back: no cached thread pages or signed-in users may hide them.
    demo = await startDemo('widget');
    ({ parley, db, browser } = demo);
  });
  after(() => demo?.close());

  async function open(url: string, setup?: (page: Page) => Promise<void>): Promise<Page> {
    const page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await setup?.(page);
    await page.goto(url);
    return page;
  }

  it('shows the demo article with its seeded multilingual discussion', async () => {
    let requests: string[] = [];
    const page = await open(`${parley.url}/`, async (page) => {
      requests = recordRequests(page);
    });
    await page.locator('[data-comment-id]').first().waitFor();
    assert.deepEqual(
      requests.filter((path) => path.startsWith('/i18n/')),
      [],
      'English is built into embed.js: no request for it',
    );
    assert.match(await page.locator('h1').first().innerText(), /Beijing/);
    const comments = await page.locator('[data-comment-id]').count();
    assert.ok(comments >= 20, `only ${comments} comments shown`);
    const bodies = await page.locator('[data-comment-id] [dir="auto"]').allInnerTexts();
    const text = bodies.join('\n');
    assert.match(text, /[\u0600-\u06FF]/, 'an Arabic comment');
    assert.match(text, /[\u0590-\u05FF]/, 'a Hebrew comment');
    assert.match(text, /[\u4E00-\u9FFF]/, 'a Chinese comment');
    assert.equal(await page.getByRole('tablist').count(), 0, 'no Featured tab without featured');
    // The demo serves the article as a publisher's template would: the thread is in its HTML
    // (src/server/demo-page.ts), so the widget took it over instead of asking for the first page.
    const html = await (await fetch(`${parley.url}/`)).text();
    assert.match(
      html,
      /<div id="parley-comments" data-story-id="beijing-unity-talks">\s*<div class="parley-rendered"/,
    );
    assert.equal(
      requests.filter((path) => /^\/api\/v1\/stories\/[^/]+\/comments/.test(path)).length,
      0,
      'the first page came with the article',
    );
    await page.close();
  });

  it('reaches every published comment of the demo, replies of replies included', async () => {
    const page = await open(`${parley.url}/`);
    await page.locator('[data-comment-id]').first().waitFor();
    // Opens whatever the widget offers ("Load more comments", "Show N more replies") until it
    // offers nothing more.
    const more = page.getByRole('button', { name: /^(Load more comments|Show .*more repl)/ });
    for (let round = 0; round < 200 && (await more.count()) > 0; round++) {
      const before = await page.locator('[data-comment-id]').count();
      await more.first().click();
      // The widget draws in a shadow root: the locator reaches into it (a page script would not).
      await page.locator('[data-comment-id]').nth(before).waitFor({ timeout: 5000 });
    }
    assert.equal(await more.count(), 0, 'nothing left to open');
    const shown = await page
      .locator('[data-comment-id]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-comment-id')));
    const story = db
      .prepare('SELECT story_id FROM comments WHERE id = ?')
      .pluck()
      .get(shown[0]) as string;
    const published = db
      .prepare("SELECT id FROM comments WHERE story_id = ? AND status = 'approved'")
      .pluck()
      .all(story) as string[];
    assert.ok(
      published.some((id) => {
        const depth = db.prepare('SELECT depth FROM comments WHERE id = ?').pluck().get(id);
        return Number(depth) >= 2;
      }),
      'the demo has replies of replies',
    );
    assert.deepEqual([...new Set(shown)].sort(), [...published].sort());
    await page.close();
  });

  it('lets a new reader sign up, comment and reply, and keeps both across a reload', async () => {
    const page = await open(`${parley.url}/`);
    await signUp(page, db, 'Mariam');
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
      (await page.getByRole('button', { name: 'Sign out' }).count()) > 0,
      true,
      'still signed in after reload',
    );
    await page.close();
  });

  it('shows hostile comments as text and runs nothing', async () => {
    const page = await open(`${parley.url}/`);
    await signUp(page, db, 'Mallory');
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
    await signUp(page, db, 'Noor');
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
    await signUp(page, db, 'Karim');
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

  it("loads a page's language from its own file, alongside the first API call", async () => {
    let requests: string[] = [];
    const page = await open(`${parley.url}/`, async (page) => {
      requests = recordRequests(page);
      await asLanguage(page, `${parley.url}/`, 'he', 'rtl');
    });
    const heading = page.locator('h2.heading');
    await heading.waitFor();
    assert.match(await heading.innerText(), /תגובות/);
    const widget = page.locator('.parley');
    assert.equal(await widget.getAttribute('dir'), 'rtl');
    assert.equal(await widget.getAttribute('lang'), 'he');
    await page.getByRole('button', { name: 'התחברות' }).first().waitFor(); // "Sign in"

    const languageFiles = requests.filter((path) => path.startsWith('/i18n/'));
    assert.equal(languageFiles.length, 1, requests.join('\n'));
    assert.match(languageFiles[0]!, /^\/i18n\/he\.[0-9a-f]+\.js$/);
    const listed = requests.findIndex((path) => /^\/api\/v1\/stories\/[^/]+\/comments$/.test(path));
    assert.ok(
      requests.indexOf(languageFiles[0]!) < listed,
      'requested before the story was resolved, not after the first API answer',
    );

    const response = await fetch(`${parley.url}${languageFiles[0]}`, {
      headers: { origin: 'https://elsewhere.example' },
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(response.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal((await fetch(`${parley.url}/i18n/he.0000000000.js`)).status, 404);
    assert.equal((await fetch(`${parley.url}/i18n/..%2Fembed.js`)).status, 404);
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
    const blocked = await launchChromiumProfile({ blockThirdPartyCookies: true });
    try {
      const page = await blocked.newPage();
      const requests = recordRequests(page);
      await page.goto(`${publisher}/article`);
      // French, from the language file on Parley's origin (a cross-origin module import).
      await page.getByRole('button', { name: 'Se connecter' }).first().waitFor();
      assert.equal(requests.filter((path) => path.startsWith('/i18n/fr.')).length, 1);
      const stamp = Date.now().toString(36);
      await signInThroughPopup(page, await createReader(parley.url, db, 'Lina'), 'Se connecter');
      await page
        .locator('form.composer textarea[name="body"]')
        .fill(`Bonjour depuis un autre site ${stamp}`);
      await page.locator('form.composer button[type="submit"]').click();
      await commentByText(page, `Bonjour depuis un autre site ${stamp}`).waitFor();
      const cookies = await blocked.cookies(parley.url);
      assert.deepEqual(cookies, [], 'Parley sets no cookies');
    } finally {
      await blocked.close();
      server.close();
    }
  });
});

describe('the suggestion to revise a draft, with the shipped classifier', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let db: SQLite.Database;
  const QUESTION = 'This comment may break the discussion’s rules. Would you like to revise it?';
  // The process's database is opened beside it to confirm the readers' addresses.
  let demo: Demo;

  before(async () => {
    demo = await startDemo('nudge', { PARLEY_SESSION_CACHE_MS: undefined, PARLEY_CLASSIFIER: '1' });
    ({ parley, db, browser } = demo);
    fs.mkdirSync(ARTEFACTS, { recursive: true });
  });
  after(() => demo?.close());

  const activeElement = (page: Page) =>
    page.evaluate(() => {
      const active = document.querySelector('#parley-comments')?.shadowRoot?.activeElement;
      return active ? `${active.tagName.toLowerCase()}:${active.closest('form')?.className}` : '';
    });

  it('asks once; "Revise" goes back to the text, "Post anyway" holds it for review', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    await page.goto(`${parley.url}/`);
    await signUp(page, db, 'Sami');
    const stamp = Date.now().toString(36);
    const composer = page.locator('form.composer');
    const textarea = composer.locator('textarea[name="body"]');

    const abusive = `You are a stupid worthless idiot. ${stamp}`;
    await postComment(page, abusive);
    const question = composer.getByRole('alert').filter({ hasText: QUESTION });
    await question.waitFor();
    assert.equal(await textarea.inputValue(), abusive, 'the draft stays in the box');
    assert.equal(await commentByText(page, abusive).count(), 0, 'nothing was posted');
    await question.scrollIntoViewIfNeeded();
    await composer.screenshot({ path: path.join(ARTEFACTS, 'widget-nudge-en.png') });

    // "Revise", by keyboard: back to the text; the question stays until the text changes.
    await question.getByRole('button', { name: 'Revise' }).focus();
    await page.keyboard.press('Enter');
    assert.equal(await activeElement(page), 'textarea:form composer');
    assert.equal(await question.count(), 1, 'still shown until the draft is edited');
    assert.match((await textarea.getAttribute('aria-describedby')) ?? '', /\S+ \S+/);
    const civil = `I disagree with you, but thanks for explaining your view. ${stamp}`;
    await textarea.fill(civil);
    assert.equal(await question.count(), 0, 'gone once the draft is edited');
    await composer.getByRole('button', { name: 'Post comment' }).click();
    const published = commentByText(page, civil);
    await published.waitFor();
    assert.doesNotMatch(await published.innerText(), /Awaiting review/);
    assert.equal(await textarea.inputValue(), '');

    // Asked again about another draft: "Post anyway" holds it for a moderator.
    const second = `Only a stupid worthless idiot would write this. ${stamp}`;
    await postComment(page, second);
    await question.waitFor();
    await question.getByRole('button', { name: 'Post anyway' }).click();
    const held = commentByText(page, second);
    await held.waitFor();
    assert.match(await held.innerText(), /Awaiting review/);
    assert.equal(await question.count(), 0);
    assert.equal(await textarea.inputValue(), '');

    // A reply is asked the same question, in its own form.
    await published.getByRole('button', { name: 'Reply' }).click();
    const replyForm = published.locator('form');
    const reply = `Shut up, you pathetic moron. ${stamp}`;
    await replyForm.locator('textarea[name="body"]').fill(reply);
    await replyForm.getByRole('button', { name: 'Post reply' }).click();
    const replyQuestion = replyForm.getByRole('alert').filter({ hasText: QUESTION });
    await replyQuestion.waitFor();
    assert.equal(await composer.getByRole('alert').count(), 0, 'only the reply form asks');
    await replyQuestion.getByRole('button', { name: 'Post anyway' }).click();
    const heldReply = commentByText(page, reply);
    await heldReply.waitFor();
    assert.match(await heldReply.innerText(), /Awaiting review/);

    // Another reader sees the published comment only.
    const other = await browser.newPage();
    await other.goto(`${parley.url}/`);
    await commentByText(other, civil).waitFor();
    assert.equal(await commentByText(other, second).count(), 0);
    assert.equal(await commentByText(other, reply).count(), 0);
    await other.close();
    await page.close();
  });

  it('asks in Arabic, right to left, on an Arabic page', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    await asLanguage(page, `${parley.url}/`, 'ar', 'rtl');
    await page.goto(`${parley.url}/`);
    const huda = await createReader(parley.url, db, 'Huda');
    await signInThroughPopup(page, huda, 'تسجيل الدخول'); // "Sign in"
    const composer = page.locator('form.composer');
    await composer.waitFor();
    await composer.locator('textarea[name="body"]').fill('أنت غبي وأحمق ولا قيمة لك.');
    await composer.getByRole('button', { name: 'نشر التعليق' }).click();
    const question = composer.getByRole('alert');
    await question.waitFor();
    assert.equal(
      await question.locator('p').innerText(),
      'قد يخالف هذا التعليق قواعد النقاش. هل تودّ مراجعته؟',
    );
    assert.equal(await question.evaluate((element) => getComputedStyle(element).direction), 'rtl');
    await question.getByRole('button', { name: 'مراجعة التعليق' }).waitFor(); // "Revise"
    await question.getByRole('button', { name: 'النشر رغم ذلك' }).waitFor(); // "Post anyway"
    await question.scrollIntoViewIfNeeded();
    await composer.screenshot({ path: path.join(ARTEFACTS, 'widget-nudge-ar.png') });
    await page.close();
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
