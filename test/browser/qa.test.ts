/**
 * Q&A with the newsroom (docs/qa.md) end to end in Chromium, on the demo newsroom served by the
 * real `parley` process, its article page showing a story of its own (qa-town-hall): an admin
 * switches the story to Q&A in the dashboard and names an expert with a title; a reader asks
 * ("Ask a question"), another wants to know too; the Unanswered tab puts the most wanted first;
 * the expert sees "Answer" and opens it, and the asker's page says "Now answering: …" (the story
 * stream's qa.answering); the answer moves the question to Answered on the readers' pages as it
 * arrives, with the expert's badge and title; closing the Q&A keeps it readable, with no form to
 * ask and the votes disabled. Also the Arabic widget (right to left) and screenshots of both.
 *
 * Screenshots go to artefacts/ (not committed), or to PARLEY_SCREENSHOT_DIR.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type SQLite from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../helpers/axe.ts';
import { browserSkipReason } from '../helpers/browser.ts';
import { startDemo, type Demo } from '../helpers/demo.ts';
import type { ParleyProcess } from '../helpers/process.ts';
import { createReader, signInThroughPopup, type Reader } from '../helpers/reader.ts';

const skip = browserSkipReason();
const STORY = 'qa-town-hall';
const ROOT = path.resolve(import.meta.dirname, '../..');
const screenshots = process.env.PARLEY_SCREENSHOT_DIR ?? path.join(ROOT, 'artefacts');
const EXPERT_TITLE = 'Diplomatic editor';
const FIRST = 'What did the factions agree about the border crossings?';
const SECOND = 'Who will pay for the reconstruction?';
const ANSWER = 'They agreed to a joint committee; the crossings stay as they are for now.';
const HOSTILE =
  '<img src=x onerror="window.__pwned=1"> Is this <script>window.__pwned=2</script> safe?';

describe('Q&A with the newsroom in Chromium', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let db: SQLite.Database;
  let storyId: string;
  let admin: Reader & { token: string };
  let expert: Reader & { id: string };
  const pageErrors: string[] = [];
  const contexts: BrowserContext[] = [];
  let demo: Demo;

  before(async () => {
    demo = await startDemo('qa');
    ({ parley, db, browser } = demo);
    fs.mkdirSync(screenshots, { recursive: true });

    const adminReader = await createReader(parley.url, db, 'Desk Admin');
    db.prepare(`update users set role = 'admin' where email = ?`).run(adminReader.email);
    admin = { ...adminReader, token: (await logIn(adminReader)).token };
    const expertReader = await createReader(parley.url, db, 'Nadia Haddad');
    db.prepare(`update users set role = 'staff' where email = ?`).run(expertReader.email);
    expert = { ...expertReader, id: (await logIn(expertReader)).user.id };
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await demo?.close();
  });

  async function logIn(reader: Reader): Promise<{ token: string; user: { id: string } }> {
    const response = await fetch(`${parley.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { origin: parley.url, 'content-type': 'application/json' },
      body: JSON.stringify({ email: reader.email, password: reader.password }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as { token: string; user: { id: string } };
  }

  async function call(method: string, url: string, token?: string, body?: unknown) {
    const response = await fetch(`${parley.url}/api/v1${url}`, {
      method,
      headers: {
        origin: parley.url,
        ...(token && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as any, text };
  }

  /**
   * The demo article, showing the Q&A story instead of the demo's own (and, for `lang`, in that
   * language), in a browser context of its own (each reader has their own session).
   */
  async function open(options: { lang?: string; dir?: 'rtl' | 'ltr'; wait?: boolean } = {}) {
    const context = await browser.newContext({ viewport: { width: 900, height: 1200 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('dialog', (dialog) => void dialog.dismiss());
    await page.route(`${parley.url}/`, async (route) => {
      const response = await route.fetch();
      let html = (await response.text())
        .replace('data-story-id="beijing-unity-talks"', `data-story-id="${STORY}"`)
        // An address of its own, by which the dashboard finds the story.
        .replace(
          '<link rel="icon" href="data:," />',
          `<link rel="icon" href="data:," /><link rel="canonical" href="${parley.url}/articles/${STORY}" />`,
        );
      if (options.lang)
        html = html.replace(
          '<html lang="en">',
          `<html lang="${options.lang}" dir="${options.dir}">`,
        );
      await route.fulfill({ response, body: html });
    });
    await page.goto(`${parley.url}/`);
    if (options.wait !== false) await widget(page).locator('.qa [role=tablist]').waitFor();
    return page;
  }

  const widget = (page: Page) => page.locator('#parley-comments');
  const question = (page: Page, text: string) =>
    widget(page).locator('.qa-question').filter({ hasText: text });
  const tab = (page: Page, name: string, exact = false) =>
    widget(page).getByRole('tab', { name, exact });
  const panelTexts = (page: Page) =>
    widget(page).locator('[role=tabpanel] .qa-question .body').allInnerTexts();

  async function ask(page: Page, text: string): Promise<void> {
    const form = widget(page).locator('form.composer');
    await form.locator('textarea').fill(text);
    await form.getByRole('button', { name: 'Ask a question' }).click();
    await question(page, text).waitFor();
  }

  it('an admin switches the story to Q&A in the dashboard and names an expert', async () => {
    // The article page creates the story (the widget resolves it on an allowed origin).
    const first = await open({ wait: false });
    await widget(first).locator('.heading').waitFor();
    const row = db.prepare(`select id from stories where external_id = ?`).get(STORY) as
      { id: string } | undefined;
    assert.ok(row, 'the page created the story');
    storyId = row.id;
    // Not a Q&A yet: the ordinary composer's place and sort menu, no Q&A.
    assert.equal(await widget(first).locator('.qa').count(), 0);
    assert.equal(await widget(first).locator('select[name="sort"]').count(), 1);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${parley.url}/admin`);
    await page.locator('input[name="email"]').fill(admin.email);
    await page.locator('input[name="password"]').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    await page.goto(`${parley.url}/admin/stories`);
    const toolbar = page.getByRole('search', { name: 'Find stories' });
    await toolbar.locator('input[name="q"]').fill(STORY);
    await toolbar.getByRole('button', { name: 'Find' }).click();
    const open_ = page.getByRole('button', { name: /: Q&A of “/ });
    await open_.first().waitFor();
    // The list is the search's once it has shrunk to what matches (it showed every story before).
    for (let tries = 0; tries < 50 && (await open_.count()) !== 1; tries++) {
      await page.waitForTimeout(100);
    }
    assert.equal(await open_.count(), 1, 'one story matches');
    await open_.click();
    const form = page.locator('form.qa-story');
    await form.locator('input[name="enabled"]').waitFor();
    assert.equal(await form.locator('input[name="enabled"]').isChecked(), false);
    await form.locator('input[name="enabled"]').check();
    await form.locator('input[name="expert-q"]').fill('Nadia');
    await form.getByRole('button', { name: 'Find', exact: true }).click();
    await form.getByRole('button', { name: 'Add Nadia Haddad as an expert' }).click();
    await form.locator(`input[name="title-${expert.id}"]`).fill(EXPERT_TITLE);
    await form.getByRole('button', { name: 'Save Q&A' }).click();
    await form.getByRole('status').filter({ hasText: 'is a Q&A, open for questions' }).waitFor();

    const { json } = await call('GET', `/stories/${storyId}`);
    assert.equal(json.story.mode, 'qa');
    assert.equal(json.story.qa.open, true);
    assert.deepEqual(
      json.story.qa.experts.map((one: { id: string; title?: string }) => [one.id, one.title]),
      [[expert.id, EXPERT_TITLE]],
    );
    await page.screenshot({ path: path.join(screenshots, 'qa-dashboard.png') });

    // The site's Q&A sections, in Sites: new stories of these sections start as Q&A.
    await page.goto(`${parley.url}/admin/sites`);
    const sections = page.locator('form').filter({
      has: page.getByRole('heading', { name: 'Q&A sections' }),
    });
    const field = sections.locator('textarea[name="qaSections"]');
    await field.and(page.locator(':enabled')).waitFor();
    await field.fill('Politics\n  Science  \nPolitics');
    await sections.getByRole('button', { name: 'Save sections' }).click();
    await sections.getByRole('status').filter({ hasText: 'start as a Q&A' }).waitFor();
    const siteId = (
      db.prepare(`select site_id from stories where id = ?`).get(storyId) as { site_id: string }
    ).site_id;
    const saved = await call('GET', `/admin/sites/${siteId}/qa-defaults`, admin.token);
    assert.deepEqual(saved.json.sections, ['Politics', 'Science']);
    assert.equal(await field.inputValue(), 'Politics\nScience');
    assert.deepEqual(pageErrors, []);
  });

  let asker: Page;
  let voter: Page;

  it('a reader asks, another wants to know too, and Unanswered puts the most wanted first', async () => {
    asker = await open();
    // No answers yet: Unanswered is the tab shown.
    assert.equal(await tab(asker, 'Unanswered').getAttribute('aria-selected'), 'true');
    // The experts, named with their title, above the questions.
    assert.match(await widget(asker).locator('.qa-experts').innerText(), /Nadia Haddad/);
    assert.match(await widget(asker).locator('.qa-experts').innerText(), new RegExp(EXPERT_TITLE));
    await signInThroughPopup(asker, await createReader(parley.url, db, 'Amal Asker'));
    assert.equal(
      await widget(asker).locator('form.composer label').first().innerText(),
      'Your question',
    );
    await ask(asker, FIRST);
    // No "I want to know too" on one's own question.
    assert.equal(await question(asker, FIRST).locator('[data-action="vote"]').count(), 0);

    // A later question, newer than the first: by newest it would come first.
    const other = await logIn(await createReader(parley.url, db, 'Omar Other'));
    const posted = await call('POST', `/stories/${storyId}/comments`, other.token, {
      body: SECOND,
    });
    assert.equal(posted.status, 201, posted.text);
    const hostile = await call('POST', `/stories/${storyId}/comments`, other.token, {
      body: HOSTILE,
    });
    assert.equal(hostile.status, 201, hostile.text);

    voter = await open();
    // Signed out: wanting to know asks the reader to sign in.
    const popup = voter.waitForEvent('popup');
    await question(voter, FIRST).locator('[data-action="vote"]').click();
    // Signed in through that very popup.
    const bea = await createReader(parley.url, db, 'Bea Voter');
    const window_ = await popup;
    await window_.locator('input[name="email"]').fill(bea.email);
    await window_.locator('input[name="password"]').fill(bea.password);
    const closed = window_.waitForEvent('close');
    await window_.locator('form button[type="submit"]').first().click();
    await closed;
    await widget(voter).locator('form.composer').waitFor();
    const vote = question(voter, FIRST).getByRole('button', { name: 'I want to know too' });
    assert.equal(await vote.getAttribute('aria-pressed'), 'false');
    await vote.click();
    await widget(voter)
      .locator('.qa-question [aria-pressed="true"]')
      .filter({ hasText: 'I want to know too' })
      .waitFor();
    assert.equal(
      await question(voter, FIRST).locator('.qa-votes').innerText(),
      '1 reader wants to know',
    );

    // The tab read again: the most wanted first, though it is the older.
    await tab(voter, 'Answered', true).click();
    await tab(voter, 'Unanswered').click();
    await question(voter, SECOND).waitFor();
    const order = await panelTexts(voter);
    assert.equal(order.length, 3);
    assert.deepEqual([order[0], order[2]], [FIRST, SECOND]);
    // The hostile question is text: no element of it, no script run.
    assert.match(order[1] as string, /safe\?/);
    const hostileBody = question(voter, 'safe?').locator('.body');
    assert.equal(await hostileBody.locator('img, script').count(), 0);
    assert.equal(await voter.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
    const api = await call('GET', `/stories/${storyId}/questions?tab=unanswered`);
    assert.deepEqual(
      api.json.questions.map((one: { votes: number }) => one.votes),
      [1, 0, 0],
    );
  });

  it('the expert answers: "Now answering" live, then the question moves to Answered', async () => {
    const desk = await open();
    await signInThroughPopup(desk, expert);
    const answer = question(desk, FIRST).getByRole('button', { name: 'Answer' });
    await answer.waitFor();
    // Readers have no "Answer".
    assert.equal(await widget(asker).getByRole('button', { name: 'Answer' }).count(), 0);
    await answer.click();

    const answering = question(asker, FIRST).locator('.qa-answering');
    await answering.waitFor();
    assert.equal(await answering.innerText(), 'Now answering: Nadia Haddad');
    await asker
      .locator('#parley-comments')
      .screenshot({ path: path.join(screenshots, 'qa-answering.png') });
    await desk
      .locator('#parley-comments')
      .screenshot({ path: path.join(screenshots, 'qa-expert.png') });

    // The voter waits on the Answered tab (empty so far).
    await tab(voter, 'Answered', true).click();
    await widget(voter).locator('[role=tabpanel] .note').waitFor();

    const form = widget(desk).locator('form.qa-answer-form');
    await form.locator('textarea').fill(ANSWER);
    await form.getByRole('button', { name: 'Post answer' }).click();

    // Live: gone from the asker's Unanswered, and on the voter's Answered with the badge.
    await question(asker, FIRST).waitFor({ state: 'detached' });
    assert.deepEqual(await panelTexts(asker), []);
    // The other reader's questions, asked since the asker's page opened, waits behind a button.
    await widget(asker).getByRole('button', { name: '2 new questions' }).click();
    await question(asker, SECOND).waitFor();
    const left = await panelTexts(asker);
    assert.equal(left.length, 2);
    assert.equal(left[1], SECOND);
    const answered = question(voter, FIRST);
    await answered.waitFor();
    const shown = widget(voter).locator('.qa-answer').filter({ hasText: ANSWER });
    await shown.waitFor();
    assert.equal(await shown.locator('.badge.qa-expert').innerText(), 'Expert');
    assert.equal(await shown.locator('.qa-title').innerText(), EXPERT_TITLE);
    assert.equal(await shown.locator('.author').innerText(), 'Nadia Haddad');
    assert.equal(await widget(voter).locator('.qa-answering').count(), 0);

    // Read again, Answered is the tab a reader sees first.
    const later = await open();
    assert.equal(await tab(later, 'Answered', true).getAttribute('aria-selected'), 'true');
    await widget(later).locator('.qa-answer').filter({ hasText: ANSWER }).waitFor();
    const violations = await axeViolations(later, ['#parley-comments']);
    assert.deepEqual(violations, [], violations.join('\n'));
    await later
      .locator('#parley-comments')
      .screenshot({ path: path.join(screenshots, 'qa-widget.png') });
  });

  it('closing the Q&A keeps it readable, with no asking and no votes', async () => {
    const closed = await call('PUT', `/admin/stories/${storyId}/qa`, admin.token, {
      enabled: true,
      open: false,
    });
    assert.equal(closed.status, 200, closed.text);
    // The asker, still signed in, reads the page again.
    const page = asker;
    await page.reload();
    await widget(page).getByRole('button', { name: 'Sign out' }).waitFor();
    await widget(page).locator('.qa-closed').waitFor();
    assert.match(await widget(page).locator('.qa-closed').innerText(), /closed/);
    assert.equal(await widget(page).locator('form.composer').count(), 0);
    await widget(page).locator('.qa-answer').filter({ hasText: ANSWER }).waitFor();
    await tab(page, 'Unanswered').click();
    const vote = question(page, SECOND).locator('[data-action="vote"]');
    await vote.waitFor();
    assert.equal(await vote.isDisabled(), true);
    const secondId = await question(page, SECOND).getAttribute('data-comment-id');
    const refused = await call('PUT', `/comments/${secondId}/vote`, admin.token);
    assert.equal(refused.status, 409, refused.text);
  });

  it('reads right to left in Arabic', async () => {
    const page = await open({ lang: 'ar', dir: 'rtl' });
    const root = widget(page).locator('.parley').first();
    assert.equal(await root.getAttribute('dir'), 'rtl');
    await tab(page, 'تمت الإجابة').waitFor();
    assert.equal(await widget(page).locator('.qa-answer .badge.qa-expert').innerText(), 'خبير');
    await page
      .locator('#parley-comments')
      .screenshot({ path: path.join(screenshots, 'qa-widget-ar.png') });
    assert.deepEqual(pageErrors, []);
  });
});
