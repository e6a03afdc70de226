/**
 * Live updates in the widget, in Chromium against the real `parley` process: two pages on the
 * demo story, one posts, the other sees "1 new comment" appear over its list (which does not
 * move), shows it, and gets replies and edits in place; held comments reach their author and,
 * once approved, everyone; a rejection takes a comment off the pages that showed it. A page
 * hidden for a while closes its stream and, when shown again, resumes after the last event it
 * heard; without EventSource the widget polls the count and offers the same button.
 * Screenshots of the button (English, Arabic) go to artefacts/.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type SQLite from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason } from '../helpers/browser.ts';
import { startDemo, type Demo } from '../helpers/demo.ts';
import type { ParleyProcess } from '../helpers/process.ts';
import { createReader, signInThroughPopup } from '../helpers/reader.ts';

const skip = browserSkipReason();
const ARTEFACTS = path.resolve(import.meta.dirname, '../../artefacts');
const EVENTS = /\/api\/v1\/stories\/[^/]+\/events/;

function commentByText(page: Page, text: string) {
  return page.locator('[data-comment-id]').filter({ hasText: text }).first();
}

const newCommentsButton = (page: Page) => page.locator('.fresh button');

/** The id of the comment whose article contains the text. */
async function idOf(page: Page, text: string): Promise<string> {
  const id = await commentByText(page, text).getAttribute('data-comment-id');
  assert.ok(id, text);
  return id;
}

/** Where the first comment of the list is, from the top of the document (to check it does not move). */
async function firstCommentTop(page: Page): Promise<number> {
  return page
    .locator('ol.thread > li > article')
    .first()
    .evaluate((article) => article.getBoundingClientRect().top + window.scrollY);
}

/**
 * Reads until `accept` takes the value or 10 s have passed, and returns the last value read (the
 * assertion after it says what was expected). For what arrives in a live event of its own, such
 * as a story's count, which follows the comment's event and may not have been applied yet.
 */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** The text of the polite live region. */
const announced = (page: Page) => page.locator('[aria-live="polite"]').innerText();

/** Pretends that the page is hidden (another tab in front) or shown again. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  // A string, not a function: tsx would wrap the inner functions in a helper the page lacks.
  await page.evaluate(`(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${hidden} });
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => '${hidden ? 'hidden' : 'visible'}',
    });
    document.dispatchEvent(new Event('visibilitychange'));
  })()`);
}

describe('live updates in the widget', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let db: SQLite.Database;
  let admin: string;
  let storyId: string;
  let demo: Demo;

  before(async () => {
    demo = await startDemo('live', { PARLEY_SESSION_CACHE_MS: undefined });
    ({ parley, db, browser } = demo);
    admin = await adminLogin(parley);
    fs.mkdirSync(ARTEFACTS, { recursive: true });
  });
  after(() => demo?.close());

  /** Opens the demo story; resolves once its first comments are shown and its stream is open. */
  async function open(
    options: { lang?: 'ar'; setup?: (page: Page) => Promise<void>; stream?: boolean } = {},
  ): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    if (options.lang) {
      const url = `${parley.url}/`;
      await page.route(url, async (route) => {
        const response = await route.fetch();
        const html = (await response.text()).replace(
          '<html lang="en">',
          `<html lang="${options.lang}" dir="rtl">`,
        );
        await route.fulfill({ response, body: html });
      });
    }
    await options.setup?.(page);
    const streaming =
      options.stream === false ? null : page.waitForResponse((r) => EVENTS.test(r.url()));
    await page.goto(`${parley.url}/`);
    await page.locator('[data-comment-id]').first().waitFor();
    const response = await streaming;
    if (response) assert.equal(response.status(), 200);
    return page;
  }

  /** A new reader, signed in through the widget's popup; signing in reconnects the stream. */
  async function signUp(page: Page, name: string): Promise<void> {
    const restreamed = page.waitForResponse((r) => EVENTS.test(r.url()) && /token=/.test(r.url()));
    await signInThroughPopup(page, await createReader(parley.url, db, name));
    assert.equal((await restreamed).status(), 200);
  }

  async function post(page: Page, text: string): Promise<string> {
    const form = page.locator('form.composer');
    await form.locator('textarea[name="body"]').fill(text);
    await form.getByRole('button', { name: 'Post comment' }).click();
    await commentByText(page, text).waitFor();
    return idOf(page, text);
  }

  async function reply(page: Page, parentText: string, text: string): Promise<void> {
    const parent = commentByText(page, parentText);
    await parent.getByRole('button', { name: 'Reply' }).first().click();
    const form = parent.locator('form');
    await form.locator('textarea[name="body"]').fill(text);
    await form.getByRole('button', { name: 'Post reply' }).click();
    await commentByText(page, text).waitFor();
  }

  async function moderate(id: string, action: 'approve' | 'reject'): Promise<void> {
    const response = await fetch(`${parley.url}/api/v1/admin/comments/${id}/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(action === 'reject' ? { reason: 'SPAM' } : {}),
    });
    assert.equal(response.status, 200, await response.text());
  }

  async function premoderate(on: boolean): Promise<void> {
    storyId ||= (
      db.prepare(`select id from stories where external_id = 'beijing-unity-talks'`).get() as {
        id: string;
      }
    ).id;
    const response = await fetch(`${parley.url}/api/v1/admin/stories/${storyId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ premoderated: on }),
    });
    assert.equal(response.status, 200, await response.text());
  }

  it('collects a new comment behind "1 new comment" without moving the list; replies and edits appear in place', async () => {
    const a = await open();
    await signUp(a, 'Amal');
    const b = await open();
    const arabic = await open({ lang: 'ar' });
    const top = await firstCommentTop(b);
    const heading = await b.locator('h2.heading').innerText();

    const stamp = Date.now().toString(36);
    const text = `Live from Amal ${stamp}`;
    const id = await post(a, text);

    const button = newCommentsButton(b);
    await button.waitFor();
    assert.equal(await button.innerText(), '1 new comment');
    assert.equal(await firstCommentTop(b), top, 'the list did not move');
    assert.equal(await commentByText(b, text).count(), 0, 'not shown before the button is pressed');
    const counted = await eventually(
      () => b.locator('h2.heading').innerText(),
      (text) => text !== heading,
    );
    assert.notEqual(counted, heading, 'the count went up');
    await b.waitForFunction(() =>
      document
        .querySelector('#parley-comments')
        ?.shadowRoot?.querySelector('[aria-live="polite"]')
        ?.textContent?.startsWith('1 new comment'),
    );
    assert.match(await announced(b), /^1 new comment/);

    const arabicButton = newCommentsButton(arabic);
    await arabicButton.waitFor();
    assert.equal(await arabicButton.innerText(), 'تعليق جديد واحد');

    // Screenshots of the button over the list, in English and in Arabic (right to left).
    for (const [page, name] of [
      [b, 'live-new-comments-en.png'],
      [arabic, 'live-new-comments-ar.png'],
    ] as const) {
      await page.locator('ol.thread').evaluate((list) => list.scrollIntoView());
      await page.screenshot({ path: path.join(ARTEFACTS, name) });
    }

    // A second comment: "2 new comments", still without moving anything.
    const second = `And again from Amal ${stamp}`;
    await post(a, second);
    await b.waitForFunction(
      () =>
        document.querySelector('#parley-comments')?.shadowRoot?.querySelector('.fresh button')
          ?.textContent === '2 new comments',
    );
    assert.equal(await firstCommentTop(b), top, 'the list did not move');
    await arabic.waitForFunction(
      () =>
        document.querySelector('#parley-comments')?.shadowRoot?.querySelector('.fresh button')
          ?.textContent === 'تعليقان جديدان',
    );

    await button.click();
    await commentByText(b, second).waitFor();
    await commentByText(b, text).waitFor();
    assert.equal(await button.count(), 0, 'the button is gone');
    const order = await b
      .locator('ol.thread > li > article')
      .evaluateAll((articles) =>
        articles.slice(0, 2).map((a) => a.getAttribute('data-comment-id')),
      );
    assert.deepEqual(order, [await idOf(b, second), id], 'the newest first');
    assert.equal(
      await b
        .evaluate(
          () =>
            document.querySelector('#parley-comments')?.shadowRoot?.activeElement?.textContent ??
            '',
        )
        .then((text) => text.includes(second)),
      true,
      'focus moved to the newest',
    );
    const headings = await eventually(
      () => Promise.all([b, a].map((page) => page.locator('h2.heading').innerText())),
      ([onB, onA]) => onB === onA,
    );
    assert.equal(headings[0], headings[1], 'both pages count the same');

    // A reply appears under its parent at once.
    const replyText = `Amal answers herself ${stamp}`;
    await reply(a, text, replyText);
    const shownReply = commentByText(b, replyText);
    await shownReply.waitFor();
    assert.equal(
      await shownReply.evaluate(
        (article) =>
          article.closest('.replies')?.parentElement?.querySelector('article')?.dataset.commentId,
      ),
      id,
    );
    assert.equal(await button.count(), 0, 'a reply does not wait behind the button');

    // An edit updates the comment in place.
    const mine = a.locator(`article[data-comment-id="${id}"]`);
    await mine.getByRole('button', { name: 'Edit' }).first().click();
    await mine.locator('textarea[name="body"]').fill(`${text} (edited)`);
    await mine.getByRole('button', { name: 'Save' }).click();
    await commentByText(b, `${text} (edited)`).waitFor();

    // A reaction in A updates the count in B.
    const seeded = a.locator('ol.thread > li > article').nth(3);
    const seededId = await seeded.getAttribute('data-comment-id');
    const before = Number(await seeded.locator('.count').first().innerText());
    await seeded.getByRole('button', { name: 'Respect' }).click();
    await b.waitForFunction(
      ([id, count]) =>
        document
          .querySelector('#parley-comments')
          ?.shadowRoot?.querySelector(`article[data-comment-id="${id}"] .count`)?.textContent ===
        String(count),
      [seededId, before + 1] as const,
    );

    for (const page of [a, b, arabic]) await page.close();
  });

  it('shows a held comment to its author only until it is approved; a rejection takes a comment off the pages', async () => {
    await premoderate(true);
    try {
      const a = await open();
      await signUp(a, 'Basel');
      const b = await open();
      const moderator = await open();
      await logIn(moderator, 'admin@localhost', adminPassword(parley));
      const stamp = Date.now().toString(36);

      const held = `Held for review, from Basel ${stamp}`;
      const id = await post(a, held);
      const mine = a.locator(`article[data-comment-id="${id}"]`);
      assert.match(await mine.innerText(), /Awaiting review/);
      await b.waitForTimeout(1000);
      assert.equal(await newCommentsButton(b).count(), 0, 'B hears nothing of a held comment');
      assert.equal(await commentByText(b, held).count(), 0);

      // The moderator hears of it (the token is in the stream's URL), held.
      await newCommentsButton(moderator).click();
      await commentByText(moderator, held).getByText('Awaiting review').waitFor();

      await moderate(id, 'approve');
      await newCommentsButton(b).waitFor();
      assert.equal(await newCommentsButton(b).innerText(), '1 new comment');
      await a.waitForFunction(
        (id) =>
          document
            .querySelector('#parley-comments')
            ?.shadowRoot?.querySelector(`article[data-comment-id="${id}"]`)
            ?.classList.contains('is-approved'),
        id,
      );
      assert.doesNotMatch(await mine.innerText(), /Awaiting review/);
      await newCommentsButton(b).click();
      await commentByText(b, held).waitFor();
      await moderator.waitForFunction(
        (id) =>
          document
            .querySelector('#parley-comments')
            ?.shadowRoot?.querySelector(`article[data-comment-id="${id}"]`)
            ?.classList.contains('is-approved'),
        id,
      );

      // Rejected now that both pages show it: gone from B; A, its author, sees why.
      await moderate(id, 'reject');
      await commentByText(b, held).waitFor({ state: 'detached' });
      await commentByText(moderator, held).waitFor({ state: 'detached' });
      await mine.getByText('Removed by a moderator').waitFor();

      // Another held comment, rejected before anyone else saw it: its author sees it removed.
      const other = `Another held one from Basel ${stamp}`;
      const otherId = await post(a, other);
      await moderate(otherId, 'reject');
      await a
        .locator(`article[data-comment-id="${otherId}"]`)
        .getByText('Removed by a moderator')
        .waitFor();
      assert.equal(await commentByText(b, other).count(), 0);
      assert.equal(await newCommentsButton(b).count(), 0);
      for (const page of [a, b, moderator]) await page.close();
    } finally {
      await premoderate(false);
    }
  });

  it('closes the stream while the page is hidden and resumes after the last event heard', async () => {
    const a = await open();
    await signUp(a, 'Dana');
    const streams: string[] = [];
    const b = await open({
      setup: async (page) => {
        await page.clock.install();
        page.on('request', (request) => {
          if (EVENTS.test(request.url())) streams.push(request.url());
        });
      },
    });
    assert.equal(streams.length, 1);
    assert.doesNotMatch(streams[0]!, /lastEventId=/);

    await setHidden(b, true);
    await b.clock.fastForward(61_000);
    const stamp = Date.now().toString(36);
    const text = `Posted while B looked away ${stamp}`;
    await post(a, text);
    await b.waitForTimeout(1000);
    assert.equal(await newCommentsButton(b).count(), 0, 'the stream was closed');

    const reopened = b.waitForResponse((r) => EVENTS.test(r.url()));
    await setHidden(b, false);
    assert.equal((await reopened).status(), 200);
    assert.equal(streams.length, 2);
    assert.match(streams[1]!, /lastEventId=\d+/);
    await newCommentsButton(b).waitFor();
    assert.equal(await newCommentsButton(b).innerText(), '1 new comment');
    await newCommentsButton(b).click();
    await commentByText(b, text).waitFor();
    await a.close();
    await b.close();
  });

  for (const [how, setup] of [
    [
      'without EventSource',
      (page: Page) =>
        page.addInitScript(() => {
          delete (window as { EventSource?: unknown }).EventSource;
        }),
    ],
    [
      'when the stream is refused (503)',
      (page: Page) =>
        page.route(EVENTS, (route) =>
          route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: '{"error":{"code":"UNAVAILABLE","message":"Too many streams"}}',
          }),
        ),
    ],
  ] as const) {
    it(`polls the count ${how} and offers the same button`, async () => {
      const a = await open();
      await signUp(a, 'Farah');
      const b = await open({
        stream: false,
        setup: async (page) => {
          await page.clock.install();
          await setup(page);
        },
      });
      const stamp = Date.now().toString(36);
      const text = `Found by polling ${stamp}`;
      await post(a, text);
      const polled = b.waitForResponse((r) => /\/api\/v1\/stories\/[^/]+$/.test(r.url()));
      await b.clock.fastForward(61_000);
      assert.equal((await polled).status(), 200);
      await newCommentsButton(b).waitFor();
      assert.equal(await newCommentsButton(b).innerText(), '1 new comment');
      await newCommentsButton(b).click();
      await commentByText(b, text).waitFor();
      assert.equal(await newCommentsButton(b).count(), 0);
      await a.close();
      await b.close();
    });
  }
});

function adminPassword(parley: ParleyProcess): string {
  const password = /password: (\S+)/.exec(parley.output())?.[1];
  assert.ok(password, 'the first start prints the admin password');
  return password;
}

async function logIn(page: Page, email: string, password: string): Promise<void> {
  const restreamed = page.waitForResponse((r) => EVENTS.test(r.url()) && /token=/.test(r.url()));
  await signInThroughPopup(page, { name: 'Admin', email, password });
  assert.equal((await restreamed).status(), 200);
}

async function adminLogin(parley: ParleyProcess): Promise<string> {
  const response = await fetch(`${parley.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@localhost', password: adminPassword(parley) }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { token: string }).token;
}
