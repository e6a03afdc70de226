/**
 * The Digital Services Act end to end, in Chromium against the real `parley` process (docs/dsa.md):
 * a reader reports a comment as illegal content from the widget (legal ground, explanation, their
 * name and address, good faith), and the dashboard's illegal queue shows the ground and the
 * explanation; a moderator rejects the comment; its author appeals from the widget; an admin (who
 * did not decide) reverses the decision in the dashboard's appeals queue, which publishes the
 * comment again and tells the author; the transparency report of the day downloads as CSV.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type SQLite from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason } from '../helpers/browser.ts';
import { startDemo, type Demo } from '../helpers/demo.ts';
import type { ParleyProcess } from '../helpers/process.ts';
import { createReader, signInThroughPopup, type Reader } from '../helpers/reader.ts';

const skip = browserSkipReason();
const EVENTS = /\/api\/v1\/stories\/[^/]+\/events/;
const LEGAL_GROUND = 'Defamation <b>(§ 186 StGB)</b>';
const EXPLANATION = 'It says a named official took bribes, which is untrue.';
const APPEAL = 'I quoted a court ruling; the official was convicted.';

const commentByText = (page: Page, text: string) =>
  page.locator('#parley-comments [data-comment-id]').filter({ hasText: text }).first();

describe('the Digital Services Act in the widget and the dashboard', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let db: SQLite.Database;
  let adminPassword: string;
  let demo: Demo;

  before(async () => {
    demo = await startDemo('dsa', { PARLEY_SESSION_CACHE_MS: undefined });
    ({ parley, db, browser } = demo);
    const password = /password: (\S+)/.exec(parley.output())?.[1];
    assert.ok(password, 'the first start prints the admin password');
    adminPassword = password;
  });
  after(() => demo?.close());

  async function logIn(email: string, password: string): Promise<string> {
    const response = await fetch(`${parley.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: parley.url },
      body: JSON.stringify({ email, password }),
    });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    return (JSON.parse(text) as { token: string }).token;
  }

  async function api(method: string, url: string, token: string, body?: unknown) {
    const response = await fetch(`${parley.url}/api/v1${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        origin: parley.url,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${url}: ${response.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  /** The demo story, with a reader signed in through the widget. */
  async function openAs(reader: Reader): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
    const streaming = page.waitForResponse((r) => EVENTS.test(r.url()));
    await page.goto(`${parley.url}/`);
    await page.locator('#parley-comments [data-comment-id]').first().waitFor();
    await streaming;
    await signInThroughPopup(page, reader);
    return page;
  }

  async function openDashboard(): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
    });
    await page.goto(`${parley.url}/admin`);
    await page.locator('input[name="email"]').fill('admin@localhost');
    await page.locator('input[name="password"]').fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    return page;
  }

  it('takes a notice of illegal content, an appeal and its review, and reports on them', async () => {
    const author = await createReader(parley.url, db, 'Author');
    const notifier = await createReader(parley.url, db, 'Notifier');
    const text = `The minister took bribes, everyone knows it ${Date.now()}.`;

    // The author posts.
    const authorPage = await openAs(author);
    const composer = authorPage.locator('#parley-comments form.composer');
    await composer.locator('textarea[name="body"]').fill(text);
    await composer.getByRole('button', { name: 'Post comment' }).click();
    await commentByText(authorPage, text).waitFor();
    const commentId = await commentByText(authorPage, text).getAttribute('data-comment-id');
    assert.ok(commentId);

    // Another reader reports it as illegal content, with the notice's fields.
    const notifierPage = await openAs(notifier);
    const comment = commentByText(notifierPage, text);
    await comment.locator('[data-action="report"]').click();
    const form = comment.locator('form');
    await form.locator('input[name="reason"][value="illegal"]').check();
    await form.locator('input[name="legalGround"]').fill(LEGAL_GROUND);
    await form.locator('textarea[name="explanation"]').fill(EXPLANATION);
    await form.locator('input[name="reporterName"]').fill('Nora Notifier');
    await form.locator('input[name="reporterEmail"]').fill('nora@example.org');
    // Without the statement of good faith the browser does not send it.
    await form.getByRole('button', { name: 'Send report' }).click();
    assert.equal(await form.locator('input[name="goodFaith"]:invalid').count(), 1);
    await form.locator('input[name="goodFaith"]').check();
    await form.getByRole('button', { name: 'Send report' }).click();
    await form.waitFor({ state: 'detached' });
    const stored = db
      .prepare(
        `select reason, legal_ground, explanation, reporter_name, reporter_email, good_faith
         from reports where comment_id = ?`,
      )
      .all(commentId);
    assert.deepEqual(stored, [
      {
        reason: 'illegal',
        legal_ground: LEGAL_GROUND,
        explanation: EXPLANATION,
        reporter_name: 'Nora Notifier',
        reporter_email: 'nora@example.org',
        good_faith: 1,
      },
    ]);

    // The dashboard's illegal queue shows the ground and the explanation, as text.
    const dashboard = await openDashboard();
    await dashboard.goto(`${parley.url}/admin/queues/illegal`);
    const card = dashboard.locator(`ol.items [data-comment-id="${commentId}"]`);
    await card.waitFor();
    assert.equal(await card.locator('[data-dsa="legal-ground"]').innerText(), LEGAL_GROUND);
    assert.equal(await card.locator('[data-dsa="explanation"]').innerText(), EXPLANATION);
    assert.equal(await card.locator('[data-dsa="notices"] b').count(), 0, 'markup stays text');

    // A moderator rejects it.
    const moderator = await createReader(parley.url, db, 'Decider');
    db.prepare(`update users set role = 'moderator' where email = ?`).run(moderator.email);
    const moderatorToken = await logIn(moderator.email, moderator.password);
    await api('POST', `/admin/comments/${commentId}/reject`, moderatorToken, {
      reason: 'ILLEGAL',
      note: 'Defamatory.',
    });

    // The author appeals from the widget.
    await authorPage.reload();
    const own = commentByText(authorPage, text);
    await own.getByRole('button', { name: 'Appeal this decision' }).click();
    await own.locator('form.appeal textarea[name="text"]').fill(APPEAL);
    await own.getByRole('button', { name: 'Send appeal' }).click();
    await own.getByText('Your appeal was sent').waitFor();
    const appeal = db
      .prepare(`select id, state, text, decided_by from appeals where comment_id = ?`)
      .get(commentId) as { id: string; state: string; text: string; decided_by: string };
    assert.equal(appeal.state, 'open');
    assert.equal(appeal.text, APPEAL);

    // The admin, who did not decide, reverses it in the appeals queue.
    await dashboard.goto(`${parley.url}/admin/queues/appeals`);
    const appealed = dashboard.locator(`ol.items [data-comment-id="${commentId}"]`);
    await appealed.waitFor();
    assert.equal(await appealed.locator('[data-dsa="appeal-text"]').innerText(), APPEAL);
    await appealed.click();
    const review = dashboard.locator('[data-dsa="review"]');
    await review.locator('textarea').fill('A quotation of a ruling is not defamation.');
    await review.getByRole('button', { name: 'Reverse and publish' }).click();
    await review.getByText('Decision reversed').waitFor();
    const after = db
      .prepare(
        `select c.status, a.state from comments c join appeals a on a.comment_id = c.id
         where c.id = ?`,
      )
      .get(commentId);
    assert.deepEqual(after, { status: 'approved', state: 'reversed' });
    const authorToken = await logIn(author.email, author.password);
    const bell = (await api('GET', '/notifications', authorToken)) as {
      items: { kind: string; commentId: string; appeal?: { outcome: string } }[];
    };
    const told = bell.items.find((n) => n.kind === 'appeal' && n.commentId === commentId);
    assert.equal(told?.appeal?.outcome, 'reversed');

    // The transparency report of today downloads as CSV.
    const today = new Date().toISOString().slice(0, 10);
    await dashboard
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: 'Transparency' })
      .click();
    await dashboard.locator('input[name="from"]').fill(today);
    await dashboard.locator('input[name="to"]').fill(today);
    await dashboard.locator('[data-figure="appeals"]').getByText('1 (0 · 1 · 0)').waitFor();
    const downloading = dashboard.waitForEvent('download');
    await dashboard.getByRole('button', { name: 'Download CSV' }).click();
    const download = await downloading;
    assert.match(download.suggestedFilename(), /^transparency-.+\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'section,item,value');
    assert.ok(lines.includes('reports by reason,illegal,1'), csv);
    assert.ok(lines.includes('appeals,reversed,1'), csv);
    assert.ok(lines.includes(`period,from,${today}`), csv);

    // A legal ground and an explanation that happen to read "on" are sent as text (only the
    // statement of good faith is a checkbox).
    const literal = await createReader(parley.url, db, 'Literal');
    const literalPage = await openAs(literal);
    const again = commentByText(literalPage, text);
    await again.locator('[data-action="report"]').click();
    const second = again.locator('form');
    await second.locator('input[name="reason"][value="illegal"]').check();
    await second.locator('input[name="legalGround"]').fill('on');
    await second.locator('textarea[name="explanation"]').fill('on');
    await second.locator('input[name="goodFaith"]').check();
    await second.getByRole('button', { name: 'Send report' }).click();
    await second.waitFor({ state: 'detached' });
    const literalRow = db
      .prepare(
        `select r.legal_ground, r.explanation, r.good_faith from reports r
         join users u on u.id = r.user_id where r.comment_id = ? and u.email = ?`,
      )
      .get(commentId, literal.email);
    assert.deepEqual(literalRow, { legal_ground: 'on', explanation: 'on', good_faith: 1 });
  });
});
