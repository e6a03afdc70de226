/**
 * Profiles and ignoring in Chromium (docs/profiles.md), on the demo newsroom served by the real
 * `parley` process: an author's name in the widget opens their profile (a plain page on Parley's
 * origin) in a new tab, with their comments; a signed-in reader ignores that author, whose comment
 * collapses to "A comment from someone you ignore" and opens again with "Show"; in a second
 * browser (the same reader on another device) the comment is collapsed too; "Stop ignoring" in
 * the widget's settings panel undoes it. Screenshots land in PARLEY_SCREENSHOTS when it is set.
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
const SHOTS = process.env.PARLEY_SCREENSHOTS;

describe('profiles and ignoring in Chromium', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let db: SQLite.Database;
  let storyId: string;
  const pageErrors: string[] = [];
  let demo: Demo;

  before(async () => {
    demo = await startDemo('profiles');
    ({ parley, db, browser, storyId } = demo);
  });
  after(() => demo?.close());

  async function apiReader(name: string): Promise<Reader & { token: string; id: string }> {
    const reader = await createReader(parley.url, db, name);
    const response = await fetch(`${parley.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { origin: parley.url, 'content-type': 'application/json' },
      body: JSON.stringify({ email: reader.email, password: reader.password }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    const { token, user } = (await response.json()) as { token: string; user: { id: string } };
    return { ...reader, token, id: user.id };
  }

  async function apiPost(token: string, body: string): Promise<string> {
    const response = await fetch(`${parley.url}/api/v1/stories/${storyId}/comments`, {
      method: 'POST',
      headers: {
        origin: parley.url,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ body }),
    });
    const text = await response.text();
    assert.equal(response.status, 201, text);
    return (JSON.parse(text) as { comment: { id: string } }).comment.id;
  }

  async function open(page: Page): Promise<Page> {
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${parley.url}/`);
    await page.locator('[data-comment-id]').first().waitFor();
    return page;
  }

  const article = (page: Page, id: string) => page.locator(`article[data-comment-id="${id}"]`);

  async function shoot(page: Page, name: string, target?: ReturnType<Page['locator']>) {
    if (!SHOTS) return;
    fs.mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, `${name}.png`);
    if (target) await target.screenshot({ path: file });
    else await page.screenshot({ path: file, fullPage: true });
  }

  it("opens an author's profile from their name, with their comments", async () => {
    const stamp = Date.now().toString(36);
    const author = await apiReader('Nadia Profile');
    await apiPost(author.token, `First thought ${stamp}`);
    const latest = await apiPost(author.token, `Second thought with **emphasis** ${stamp}`);
    const context = await browser.newContext();
    const page = await open(await context.newPage());
    const name = article(page, latest).locator('a.author');
    assert.equal(await name.innerText(), 'Nadia Profile');
    assert.equal(await name.getAttribute('target'), '_blank');
    const opened = context.waitForEvent('page');
    await name.click();
    const profile = await opened;
    await profile.waitForLoadState();
    assert.match(profile.url(), new RegExp(`/profiles/[0-9A-Z]{26}/${author.id}\\?lang=en`));
    await profile.getByRole('heading', { level: 1, name: 'Nadia Profile' }).waitFor();
    const comments = profile.locator('ol.comments > li');
    assert.equal(await comments.count(), 2);
    assert.match(
      await comments.first().innerText(),
      new RegExp(`Second thought with emphasis ${stamp}`),
    );
    assert.equal(await comments.first().locator('strong').innerText(), 'emphasis');
    // The link goes back to the comment on the article.
    const link = comments.first().locator('p.context a');
    assert.match((await link.getAttribute('href')) ?? '', new RegExp(`#parley-comment-${latest}$`));
    await shoot(profile, 'profile-page');
    // Dark, as the reader's system prefers.
    await profile.emulateMedia({ colorScheme: 'dark' });
    const background = await profile.evaluate(
      () => getComputedStyle(document.body).backgroundColor,
    );
    assert.equal(background, 'rgb(23, 24, 26)');
    await shoot(profile, 'profile-page-dark');
    // In Arabic, right to left.
    await profile.emulateMedia({ colorScheme: 'light' });
    await profile.goto(profile.url().replace('lang=en', 'lang=ar'));
    assert.equal(await profile.locator('html').getAttribute('dir'), 'rtl');
    await profile.getByText('التعليقات').first().waitFor();
    await shoot(profile, 'profile-page-ar');
    await context.close();
  });

  it('collapses an ignored reader’s comments, on every device, until undone in settings', async () => {
    const stamp = Date.now().toString(36);
    const pest = await apiReader('Persistent Poster');
    const pestComment = await apiPost(pest.token, `Something provocative ${stamp}`);
    const me = await createReader(parley.url, db, 'Quiet Reader');

    // The first device: sign in, ignore the author.
    const laptop = await browser.newContext();
    const page = await open(await laptop.newPage());
    await signInThroughPopup(page, me);
    const comment = article(page, pestComment);
    const ignore = comment.getByRole('button', { name: 'Ignore Persistent Poster' });
    await ignore.click();
    const note = comment.locator('.ignored-note');
    await note.waitFor();
    assert.equal(await note.locator('span').innerText(), 'A comment from someone you ignore');
    assert.equal(await comment.getAttribute('data-ignored'), '');
    assert.equal(await comment.locator('.body').isVisible(), false, 'the text is hidden');
    assert.equal(await comment.locator('a.author').isVisible(), false, 'and the name');
    await shoot(page, 'ignored-comment', comment);
    // "Show" opens it; "Hide" closes it again.
    await comment.getByRole('button', { name: 'Show' }).click();
    await comment.locator('.body').waitFor({ state: 'visible' });
    assert.match(
      await comment.locator('.body').innerText(),
      new RegExp(`Something provocative ${stamp}`),
    );
    await shoot(page, 'ignored-comment-shown', comment);
    await comment.getByRole('button', { name: 'Hide' }).click();
    await note.waitFor();

    // The second device: the same reader, another browser.
    const phone = await browser.newContext();
    const other = await open(await phone.newPage());
    await signInThroughPopup(other, me);
    const there = article(other, pestComment);
    await there.locator('.ignored-note').waitFor();
    assert.equal(await there.locator('.body').isVisible(), false);

    // Undone from the widget's settings panel.
    await other.locator('#parley-bell').click();
    await other.getByRole('button', { name: 'Email settings' }).click();
    const list = other.locator('.ignore-list');
    await list.waitFor();
    assert.match(await list.innerText(), /Persistent Poster/);
    await shoot(other, 'settings-ignore-list', list);
    await list.getByRole('button', { name: 'Stop ignoring: Persistent Poster' }).click();
    await list.getByText('You ignore no one.').waitFor();
    await there.locator('.ignored-note').waitFor({ state: 'detached' });
    assert.equal(await there.locator('.body').isVisible(), true);
    assert.equal(await there.getAttribute('data-ignored'), null);

    // The first device reads the list again when it loads the widget afresh.
    await page.reload();
    await article(page, pestComment).waitFor();
    await article(page, pestComment)
      .getByRole('button', { name: 'Ignore Persistent Poster' })
      .waitFor();
    assert.equal(await article(page, pestComment).locator('.ignored-note').count(), 0);
    await laptop.close();
    await phone.close();
    assert.deepEqual(pageErrors, []);
  });

  it('lists and undoes ignores, and makes the history private, in Your account', async () => {
    const stamp = Date.now().toString(36);
    const loud = await apiReader('Loud Commenter');
    const me = await apiReader('Careful Reader');
    await apiPost(me.token, `My own view ${stamp}`);
    const put = await fetch(`${parley.url}/api/v1/me/ignores/${loud.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${me.token}` },
    });
    assert.equal(put.status, 200);
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${parley.url}/account`);
    await page.getByLabel('Email').fill(me.email);
    await page.getByLabel('Password').fill(me.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    const section = page.locator('section[aria-labelledby="readers"]');
    await section.getByText('Loud Commenter').waitFor();
    await shoot(page, 'account-section', section);

    // Private: strangers then get no comments.
    const siteId = (
      db.prepare(`select site_id from stories where id = ?`).get(storyId) as { site_id: string }
    ).site_id;
    const profileOf = async () =>
      (await (
        await fetch(`${parley.url}/api/v1/sites/${siteId}/users/${me.id}/profile`)
      ).json()) as { private: boolean; comments: unknown[] };
    assert.equal((await profileOf()).comments.length, 1);
    await section.getByLabel('Keep my comments private on my profile').check();
    await section.getByText('Your comments are now private on your profile.').waitFor();
    assert.deepEqual(await profileOf(), { ...(await profileOf()), private: true, comments: [] });

    await section.getByRole('button', { name: 'Stop ignoring Loud Commenter' }).click();
    await section.getByText('You no longer ignore Loud Commenter.').waitFor();
    await section.locator('.ignored-empty').waitFor();
    const list = await fetch(`${parley.url}/api/v1/me/ignores`, {
      headers: { authorization: `Bearer ${me.token}` },
    });
    assert.deepEqual(((await list.json()) as { items: unknown[] }).items, []);
    await context.close();
    assert.deepEqual(pageErrors, []);
  });
});
