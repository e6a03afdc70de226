/**
 * Readers' notifications in the widget, in Chromium against the real `parley` process: reader A
 * replies to reader B's comment and B's bell counts 1 without a reload; B opens the list, which
 * marks what B has seen read, chooses the notification and lands on the reply (scrolled into
 * view, focused, highlighted). A link to a reply whose thread is on a later page opens it there,
 * its thread pinned first with "Show the whole discussion". The offer to be emailed, unticked,
 * turns mail on when ticked; "@" and a name's start suggest the story's readers. Screenshots of
 * the open bell (English, Arabic) go to artefacts/.
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
import { createReader, signInThroughPopup, type Reader } from '../helpers/reader.ts';

const skip = browserSkipReason();
const ARTEFACTS = path.resolve(import.meta.dirname, '../../artefacts');
const EVENTS = /\/api\/v1\/stories\/[^/]+\/events/;
const STORY = 'beijing-unity-talks';

const commentByText = (page: Page, text: string) =>
  page.locator('[data-comment-id]').filter({ hasText: text }).first();
const bell = (page: Page) => page.locator('#parley-comments button.bell');

/** Evaluated in the page: what the widget's shadow root says of `id`'s article. */
function articleState(page: Page, id: string) {
  return page.evaluate((id) => {
    const root = document.querySelector('#parley-comments')!.shadowRoot!;
    const article = root.querySelector<HTMLElement>(`article[data-comment-id="${id}"]`);
    if (!article) return null;
    const box = article.getBoundingClientRect();
    return {
      linked: article.hasAttribute('data-linked'),
      focused: root.activeElement === article,
      inView: box.top >= 0 && box.bottom <= window.innerHeight,
      animation: getComputedStyle(article).animationName,
    };
  }, id);
}

/** Waits until `id`'s article is highlighted and (smoothly scrolled) in view. */
function landedOn(page: Page, id: string) {
  return page.waitForFunction((id) => {
    const root = document.querySelector('#parley-comments')?.shadowRoot;
    const article = root?.querySelector(`article[data-comment-id="${id}"][data-linked]`);
    const box = article?.getBoundingClientRect();
    return box && box.top >= 0 && box.bottom <= window.innerHeight;
  }, id);
}

describe('notifications in the widget', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let db: SQLite.Database;
  let admin: string;
  let demo: Demo;

  before(async () => {
    demo = await startDemo('notify', { PARLEY_SESSION_CACHE_MS: undefined });
    ({ parley, db, browser } = demo);
    admin = await logIn({ email: 'admin@localhost', password: adminPassword(parley) });
    fs.mkdirSync(ARTEFACTS, { recursive: true });
  });
  after(() => demo?.close());

  async function api<T>(method: string, url: string, token: string, body?: unknown): Promise<T> {
    const response = await fetch(`${parley.url}/api/v1${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        origin: parley.url,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${url}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  async function logIn(reader: Pick<Reader, 'email' | 'password'>): Promise<string> {
    const response = await fetch(`${parley.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: parley.url },
      body: JSON.stringify({ email: reader.email, password: reader.password }),
    });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    return (JSON.parse(text) as { token: string }).token;
  }

  const storyId = () =>
    (db.prepare(`select id from stories where external_id = ?`).get(STORY) as { id: string }).id;

  /** Opens the demo story (at `hash`); resolves once its comments show and its stream is open. */
  /** The paths each page asked for. */
  const requested = new WeakMap<Page, string[]>();
  const featureFiles = (page: Page) =>
    (requested.get(page) ?? []).filter((path) => path.startsWith('/notify/'));

  async function open(
    options: { lang?: 'ar'; hash?: string; reducedMotion?: boolean } = {},
  ): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width: 900, height: 900 },
      ...(options.reducedMotion && { reducedMotion: 'reduce' as const }),
    });
    if (options.lang) {
      await page.route(`${parley.url}/`, async (route) => {
        const response = await route.fetch();
        const html = (await response.text()).replace(
          '<html lang="en">',
          `<html lang="${options.lang}" dir="rtl">`,
        );
        await route.fulfill({ response, body: html });
      });
    }
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    requested.set(page, requests);
    const streaming = page.waitForResponse((r) => EVENTS.test(r.url()));
    await page.goto(`${parley.url}/${options.hash ?? ''}`);
    await page.locator('[data-comment-id]').first().waitFor();
    assert.equal((await streaming).status(), 200);
    return page;
  }

  /** A new reader signed in through the widget (the stream reopens with their token). */
  async function signUp(page: Page, name: string, signInLabel = 'Sign in'): Promise<Reader> {
    const reader = await createReader(parley.url, db, name);
    const restreamed = page.waitForResponse((r) => EVENTS.test(r.url()) && /token=/.test(r.url()));
    await signInThroughPopup(page, reader, signInLabel);
    assert.equal((await restreamed).status(), 200);
    return reader;
  }

  async function post(page: Page, text: string, label = 'Post comment'): Promise<string> {
    const form = page.locator('form.composer');
    await form.locator('textarea[name="body"]').fill(text);
    await form.getByRole('button', { name: label }).click();
    await commentByText(page, text).waitFor();
    const id = await commentByText(page, text).getAttribute('data-comment-id');
    assert.ok(id);
    return id;
  }

  async function reply(page: Page, parentText: string, text: string): Promise<string> {
    const parent = commentByText(page, parentText);
    await parent.getByRole('button', { name: 'Reply' }).first().click();
    const form = parent.locator('form');
    await form.locator('textarea[name="body"]').fill(text);
    await form.getByRole('button', { name: 'Post reply' }).click();
    await commentByText(page, text).waitFor();
    const id = await commentByText(page, text).getAttribute('data-comment-id');
    assert.ok(id);
    return id;
  }

  it("counts A's reply on B's bell without a reload; B opens it and lands on the reply, read", async () => {
    const b = await open();
    const bruno = await signUp(b, 'Bruno');
    const a = await open();
    await signUp(a, 'Amal');
    await bell(b).waitFor();
    assert.equal(await bell(b).getAttribute('aria-label'), 'Notifications');
    assert.equal(await bell(b).getAttribute('aria-expanded'), 'false');

    const stamp = Date.now().toString(36);
    const mine = `Bruno wonders about the timetable ${stamp}`;
    await post(b, mine);
    // Marks this page: a reload would lose it.
    await b.evaluate(() => ((window as { unreloaded?: boolean }).unreloaded = true));

    // A reads B's comment (it waits behind "1 new comment" on A's page) and replies.
    await a.locator('.fresh button').click();
    const answer = `Amal answers Bruno ${stamp}`;
    const replyId = await reply(a, mine, answer);

    await b.locator('button.bell[aria-label="Notifications, 1 unread"]').waitFor();
    assert.equal(await b.locator('.bell-count').innerText(), '1');
    await b.locator('#parley-comments .account').screenshot({
      path: path.join(ARTEFACTS, 'notifications-bell-count-en.png'),
    });
    assert.equal(
      await b.evaluate(() => (window as { unreloaded?: boolean }).unreloaded),
      true,
      'no reload',
    );
    await b.waitForFunction(() =>
      document
        .querySelector('#parley-comments')
        ?.shadowRoot?.querySelector('[aria-live="polite"]')
        ?.textContent?.includes('New notification: Amal replied to your comment'),
    );

    // Opening the list moves focus into it and marks what is seen read.
    await bell(b).click();
    assert.equal(await bell(b).getAttribute('aria-expanded'), 'true');
    const panel = b.locator('#parley-inbox');
    await panel.waitFor();
    const entry = panel.locator('li').filter({ hasText: 'Amal replied to your comment' });
    await entry.waitFor();
    assert.match(await entry.innerText(), new RegExp(answer));
    assert.equal(
      await b.evaluate(
        () => document.querySelector('#parley-comments')?.shadowRoot?.activeElement?.tagName,
      ),
      'H3',
      'focus is on the list',
    );
    await b.locator('button.bell[aria-label="Notifications"]').waitFor();
    assert.match(await entry.getAttribute('class').then(String), /is-new/, 'still shown as new');

    const screenshot = async (page: Page, name: string) => {
      await page.locator('#parley-comments .account').evaluate((bar) => bar.scrollIntoView());
      await page.screenshot({ path: path.join(ARTEFACTS, name) });
    };
    await screenshot(b, 'notifications-bell-en.png');

    // On a publisher's dark theme the list takes the theme's colours and stays readable.
    // (Through the CSSOM: the demo page's Content-Security-Policy refuses inline styles.)
    await b.evaluate(`(() => {
      document.body.style.background = '#121212';
      const theme = {
        '--parley-text': '#ececec', '--parley-muted': '#b9b9b9', '--parley-soft': '#1f1f1f',
        '--parley-line': '#3b3b3b', '--parley-field': '#8a8a8a', '--parley-accent': '#ff7a70',
      };
      const host = document.querySelector('#parley-comments');
      for (const [name, value] of Object.entries(theme)) host.style.setProperty(name, value);
    })()`);
    const colours = await panel.evaluate((section) => ({
      background: getComputedStyle(section).backgroundColor,
      texts: ['.what', '.excerpt', 'time', 'h3'].map(
        (selector) => getComputedStyle(section.querySelector(selector)!).color,
      ),
    }));
    const contrasts = colours.texts.map((text) => contrast(text, colours.background));
    for (const ratio of contrasts) assert.ok(ratio >= 4.5, `contrast ${ratio.toFixed(2)}`);
    await screenshot(b, 'notifications-bell-dark.png');

    // Choosing it closes the list and lands on the reply.
    await entry.getByRole('button').click();
    assert.equal(await panel.count(), 0, 'the list closed');
    await landedOn(b, replyId);
    assert.deepEqual(await articleState(b, replyId), {
      linked: true,
      focused: true,
      inView: true,
      animation: 'parley-linked',
    });

    const token = await logIn(bruno);
    const list = await api<{
      items: { commentId: string; readAt: string | null }[];
      unread: number;
    }>('GET', '/notifications', token);
    assert.equal(list.unread, 0);
    const read = list.items.find((item) => item.commentId === replyId);
    assert.ok(read && read.readAt, 'the notification is read');

    // Escape closes the list and gives focus back to the bell.
    await bell(b).click();
    await panel.waitFor();
    await b.keyboard.press('Escape');
    assert.equal(await panel.count(), 0);
    assert.equal(
      await b.evaluate(
        () => document.querySelector('#parley-comments')?.shadowRoot?.activeElement?.id,
      ),
      'parley-bell',
    );

    // The same list in Arabic, right to left.
    const arabic = await open({ lang: 'ar' });
    await signInThroughPopup(arabic, bruno, 'تسجيل الدخول');
    await bell(arabic).click();
    await arabic.locator('#parley-inbox li').first().waitFor();
    assert.equal(await arabic.locator('#parley-inbox h3').innerText(), 'الإشعارات');
    const said = await arabic.locator('#parley-inbox li').first().innerText();
    assert.ok(said.includes('ردّ Amal على تعليقك'), said);
    await screenshot(arabic, 'notifications-bell-ar.png');

    for (const page of [a, b, arabic]) await page.close();
  });

  it('opens a linked reply whose thread is on a later page, pinned first', async () => {
    await api('PATCH', `/admin/sites/${siteId()}/settings`, admin, {
      moderation: { maxPostsPerMinute: 1000, repeatWindowSeconds: 0 },
    });
    const writer = await createReader(parley.url, db, 'Pages');
    const token = await logIn(writer);
    const stamp = Date.now().toString(36);
    const post = (body: string, parentId?: string) =>
      api<{ comment: { id: string } }>('POST', `/stories/${storyId()}/comments`, token, {
        body,
        ...(parentId && { parentId }),
      }).then(({ comment }) => comment.id);
    const root = await post(`An old thread ${stamp}`);
    const target = await post(`The reply a mail links to ${stamp}`, root);
    await post(`Another reply in the old thread ${stamp}`, root);
    // Twenty newer comments push the old thread off the first page (newest first).
    for (let n = 0; n < 20; n++) await post(`Newer comment ${n} ${stamp}`);

    // Readers who are not signed in load the features module too (it reports the comments they
    // saw, docs/sorting.md), but only after the first page of comments, never before it.
    const plain = await open();
    await plain.getByRole('button', { name: 'Sign in' }).first().waitFor();
    await plain.waitForFunction(() =>
      performance.getEntriesByType('resource').some((entry) => entry.name.includes('/notify/')),
    );
    const paths = requested.get(plain) ?? [];
    // The demo article brings its first page with it (its server-rendered thread, whose
    // stylesheet it loads), so the widget asks for none; without it, the module must come after.
    const firstPage = paths.findIndex((path) => /^\/api\/v1\/stories\/\w+\/comments$/.test(path));
    const rendered = paths.indexOf('/embed/rendered.css');
    assert.ok(firstPage >= 0 || rendered >= 0, paths.join(' '));
    assert.ok(
      paths.findIndex((path) => path.startsWith('/notify/')) > Math.max(firstPage, rendered),
      `the module comes after the comments: ${paths.join(' ')}`,
    );
    assert.equal(featureFiles(plain).length, 1);
    await plain.close();

    // A reader who prefers less motion: scrolled there at once, highlighted without fading.
    const page = await open({ hash: `#parley-comment-${target}`, reducedMotion: true });
    await page.waitForFunction(
      (id) =>
        document
          .querySelector('#parley-comments')
          ?.shadowRoot?.querySelector(`article[data-comment-id="${id}"][data-linked]`),
      target,
    );
    assert.deepEqual(await articleState(page, target), {
      linked: true,
      focused: true,
      inView: true,
      animation: 'none',
    });
    const [file, ...others] = featureFiles(page);
    assert.match(file ?? '', /^\/notify\/en\.[0-9a-f]+\.js$/);
    assert.deepEqual(others, []);
    const served = await fetch(`${parley.url}${file}`, {
      headers: { origin: 'https://elsewhere.example' },
    });
    assert.equal(served.status, 200);
    assert.match(served.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(served.headers.get('access-control-allow-origin'), '*');
    assert.equal((await fetch(`${parley.url}/notify/en.0000000000.js`)).status, 404);
    assert.equal((await fetch(`${parley.url}/notify/..%2Fembed.js`)).status, 404);
    // The thread is first in the list, the reply under its parent; the rest of it on request.
    const first = page.locator('ol.thread > li').first();
    assert.equal(await first.locator('article').first().getAttribute('data-comment-id'), root);
    assert.equal(await first.locator(`article[data-comment-id="${target}"]`).count(), 1);
    assert.equal(await commentByText(page, `Another reply in the old thread ${stamp}`).count(), 0);
    await page.getByRole('button', { name: 'Show the whole discussion' }).click();
    await commentByText(page, `Another reply in the old thread ${stamp}`).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Show the whole discussion' }).count(), 0);
    // Loading the next page does not show the old thread twice.
    await page.getByRole('button', { name: 'Load more comments' }).click();
    await commentByText(page, `Newer comment 0 ${stamp}`).waitFor();
    assert.equal(await page.locator(`article[data-comment-id="${root}"]`).count(), 1);

    // A link to a comment that is not there says so.
    const gone = await open({ hash: '#parley-comment-01JAAAAAAAAAAAAAAAAAAAAAAA' });
    await gone.getByText('The comment you followed a link to is no longer available.').waitFor();
    await page.close();
    await gone.close();
  });

  it('offers mail, unticked, on the first comment: ticked, it turns mail on', async () => {
    const page = await open();
    const reader = await signUp(page, 'Chiara');
    const token = await logIn(reader);
    const form = page.locator('form.composer');
    const offer = form.getByRole('checkbox', { name: 'Email me when someone replies' });
    await offer.waitFor();
    assert.equal(await offer.isChecked(), false, 'never ticked for the reader');
    assert.equal(
      (await api<{ email: string }>('GET', '/notifications/settings', token)).email,
      'off',
    );
    await offer.check();
    await post(page, `Chiara asks to be told ${Date.now().toString(36)}`);
    await page.waitForFunction(() =>
      document
        .querySelector('#parley-comments')
        ?.shadowRoot?.querySelector('[aria-live="polite"]')
        ?.textContent?.startsWith('We will email you when someone replies.'),
    );
    assert.equal(
      (await api<{ email: string }>('GET', '/notifications/settings', token)).email,
      'immediate',
    );
    assert.equal(await offer.count(), 0, 'offered once');

    // The settings under the bell show the choice.
    await bell(page).click();
    await page.getByRole('button', { name: 'Email settings' }).click();
    assert.equal(await page.getByRole('radio', { name: 'Straight away' }).isChecked(), true);
    await page.getByRole('radio', { name: 'In a daily digest' }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    assert.equal(
      (await api<{ email: string }>('GET', '/notifications/settings', token)).email,
      'daily',
    );
    await page.close();
  });

  it('suggests the names of the story’s readers after "@"', async () => {
    const page = await open();
    await signUp(page, 'Dalia');
    const field = page.locator('form.composer textarea[name="body"]');
    await field.click();
    await field.pressSequentially('Thanks @Om');
    const listbox = page.getByRole('listbox', { name: 'Readers of this discussion' });
    await listbox.getByRole('option', { name: 'Omar Khalidi' }).waitFor();
    assert.equal(await field.getAttribute('aria-autocomplete'), 'list');
    const active = await field.getAttribute('aria-activedescendant');
    assert.equal(
      await page.locator(`[id="${active}"]`).innerText(),
      'Omar Khalidi',
      'the first name is active',
    );
    await field.press('Enter');
    assert.equal(await field.inputValue(), 'Thanks @Omar Khalidi ');
    assert.equal(await field.getAttribute('aria-activedescendant'), null, 'closed');
    // Escape closes the suggestions, not the form.
    await field.pressSequentially('and @Om');
    await listbox.getByRole('option').first().waitFor();
    await field.press('Escape');
    assert.equal(await field.getAttribute('aria-activedescendant'), null, 'closed');
    assert.equal(await field.inputValue(), 'Thanks @Omar Khalidi and @Om');
    await page.close();
  });

  it('lists them live on Your account, with the same mail settings', async () => {
    const reader = await createReader(parley.url, db, 'Esther');
    const token = await logIn(reader);
    const stamp = Date.now().toString(36);
    const post = (author: string, body: string, parentId?: string) =>
      api<{ comment: { id: string } }>('POST', `/stories/${storyId()}/comments`, author, {
        body,
        ...(parentId && { parentId }),
      }).then(({ comment }) => comment.id);
    const mine = await post(token, `Esther has a question ${stamp}`);

    const page = await browser.newPage({ viewport: { width: 700, height: 1400 } });
    const streaming = page.waitForResponse((r) => r.url().includes('/notifications/events'));
    await page.goto(`${parley.url}/account`);
    await page.getByLabel('Email').fill(reader.email);
    await page.getByLabel('Password').fill(reader.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    const section = page.getByRole('region', { name: 'Notifications' });
    await section.getByText('Nothing unread.').waitFor();
    assert.equal((await streaming).status(), 200);
    assert.equal(await section.getByRole('radio', { name: 'Never' }).isChecked(), true);

    // A reply arrives on the reader's own stream: listed without a reload.
    const other = await logIn(await createReader(parley.url, db, 'Farid'));
    await post(other, `Farid answers Esther ${stamp}`, mine);
    await section.getByText('1 unread notification').waitFor();
    const link = section.getByRole('link', { name: /Farid replied to your comment/ });
    await link.waitFor();
    assert.match((await link.getAttribute('href')) ?? '', /#parley-comment-[0-9A-Z]+$/);
    await page.screenshot({ path: path.join(ARTEFACTS, 'notifications-account-en.png') });
    await section.getByRole('button', { name: 'Mark all read' }).click();
    await section.getByText('Nothing unread.').waitFor();
    assert.equal((await api<{ unread: number }>('GET', '/notifications', token)).unread, 0);

    await section.getByRole('radio', { name: 'In an hourly digest' }).check();
    await section.getByRole('checkbox', { name: 'Mentions of my name' }).uncheck();
    await section.getByRole('button', { name: 'Save settings' }).click();
    await section.getByText('Your notification settings are saved.').waitFor();
    const saved = await api<{ email: string; kinds: { mention: boolean; reply: boolean } }>(
      'GET',
      '/notifications/settings',
      token,
    );
    assert.equal(saved.email, 'hourly');
    assert.deepEqual([saved.kinds.mention, saved.kinds.reply], [false, true]);
    await page.close();

    // In Arabic, right to left, with the choices just saved.
    const arabic = await browser.newPage({ viewport: { width: 700, height: 1400 } });
    await arabic.goto(`${parley.url}/account?lang=ar`);
    await arabic.locator('input[name="email"]').fill(reader.email);
    await arabic.locator('input[name="password"]').fill(reader.password);
    await arabic.locator('form button[type="submit"]').first().click();
    const inArabic = arabic.getByRole('region', { name: 'الإشعارات' });
    await inArabic.getByText('لا شيء غير مقروء.').waitFor();
    assert.equal(await inArabic.getByRole('radio', { name: 'في ملخّص كل ساعة' }).isChecked(), true);
    assert.ok((await inArabic.innerText()).includes('ردّ Farid على تعليقك'));
    await inArabic.scrollIntoViewIfNeeded();
    await arabic.screenshot({ path: path.join(ARTEFACTS, 'notifications-account-ar.png') });
    await arabic.close();
  });

  const siteId = () =>
    (
      db.prepare(`select site_id from stories where external_id = ?`).get(STORY) as {
        site_id: string;
      }
    ).site_id;
});

/** The WCAG contrast ratio of two CSS rgb() colours. */
function contrast(one: string, other: string): number {
  const luminance = (colour: string) => {
    const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const channel = (value = 0) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const [light, dark] = [luminance(one), luminance(other)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

function adminPassword(parley: ParleyProcess): string {
  const password = /password: (\S+)/.exec(parley.output())?.[1];
  assert.ok(password, 'the first start prints the admin password');
  return password;
}
