/**
 * The moderation dashboard from 360 px to wide screens, in Chromium: at 1,440, 1,280, 1,024, 768,
 * 390 and 360 px nothing is wider than the window (nor cut off by a box that does not scroll), the
 * selected comment's actions and "Sign out" are on screen, and the menu is usable (a row of links
 * while they fit, else a "Menu" disclosure button: aria-expanded, Escape closes and gives focus
 * back, a link navigates and closes it). On a phone a comment is approved end to end from its
 * details view. A moderator stays signed in across the tabs of one browser, and signing out in one
 * signs out the others; an expired stored session is not used. Held comments say why in words
 * ("Held: posting too fast", "scored 0.82 for identity attack"), never the server's codes, and
 * each queue is explained on hover (aria-describedby) and in the help.
 *
 * Screenshots go to artefacts/ (not committed), or to PARLEY_SCREENSHOT_DIR.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildAdmin } from '../../scripts/build-web.ts';
import { renderCommentHtml } from '../../src/domain/markdown.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { ADMIN_ASSETS } from '../../src/server/admin-page.ts';
import { insertComment } from '../../src/store/comments.ts';
import type { CommentStatus } from '../../src/store/schema.ts';
import { insertUser } from '../../src/store/users.ts';
import {
  humanise,
  phaseName,
  reasonWords,
  rejectionLabel,
  tagLabel,
  verdict,
} from '../../web/admin/src/ui/format.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { freePort } from '../helpers/process.ts';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';
const ROOT = path.resolve(import.meta.dirname, '../..');
const screenshots = process.env.PARLEY_SCREENSHOT_DIR ?? path.join(ROOT, 'artefacts');
const WIDTHS = [1440, 1280, 1024, 768, 390, 360] as const;
const HEIGHTS: Record<number, number> = { 390: 844, 360: 740 };
const ADMIN = 'layout.admin@example.com';
const MODERATOR = 'layout.moderator@example.com';
/** What must never show: the server's internal names for checks, tags and reasons. */
const RAW = [
  'postingRate',
  'model:',
  'lang:',
  'POSTING_RATE',
  'CLASSIFIER_HOLD',
  'identity_attack',
  'OFF_TOPIC',
  'SHINY_NEW_CHECK',
  'decided by',
];

describe('moderation dashboard on every screen size', { skip }, () => {
  let parley: TestApp;
  let browser: Browser;
  let url: string;
  let adminToken: string;
  const ids: Record<'rate' | 'model' | 'unknown' | 'premod' | 'other', string> = {
    rate: '',
    model: '',
    unknown: '',
    premod: '',
    other: '',
  };

  before(async () => {
    if (Object.values(ADMIN_ASSETS).some((asset) => !fs.existsSync(asset.file))) {
      await buildAdmin();
    }
    fs.mkdirSync(screenshots, { recursive: true });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    parley = await createTestApp('sqlite', { PUBLIC_URL: url });
    await parley.app.listen({ port, host: '127.0.0.1' });

    const passwordHash = await hashPassword(PASSWORD);
    for (const [email, displayName, role] of [
      [ADMIN, 'Layout Admin', 'admin'],
      [MODERATOR, 'Layout Moderator', 'moderator'],
    ] as const) {
      assert.ok(await insertUser(parley.store.db, { email, displayName, passwordHash, role }));
    }
    const reader = await insertUser(parley.store.db, {
      email: 'fast.fingers@example.com',
      displayName: 'Fast Fingers With A Rather Long Display Name',
      passwordHash,
      role: 'commenter',
    });
    assert.ok(reader);
    const storyId = await parley.story('budget-debate');
    const start = Date.now() - 30 * 60_000;
    let minute = 0;
    const seed = async (
      body: string,
      moderation: {
        decidedBy: string | null;
        reasons: { code: string; message: string }[];
        scores: Record<string, number>;
        tags: string[];
      },
      status: CommentStatus = 'pending',
    ) => {
      const comment = await insertComment(parley.store.db, {
        siteId: parley.site.id,
        storyId,
        parentId: null,
        threadParentId: null,
        depth: 0,
        authorId: reader.id,
        body,
        html: renderCommentHtml(body),
        status,
        createdAt: new Date(start + ++minute * 60_000),
        moderation,
      });
      assert.ok(comment);
      return comment.id;
    };
    const low = { toxicity: 0.12, identity_attack: 0.03, threat: 0.01, insult: 0.05, spam: 0.02 };
    ids.rate = await seed('Third comment in a minute about the budget.', {
      decidedBy: 'postingRate',
      reasons: [
        { code: 'POSTING_RATE', message: 'More than 3 comments in a minute from this author.' },
      ],
      scores: low,
      tags: ['model:parley-1', 'lang:en'],
    });
    ids.model = await seed('People like them always ruin these debates.', {
      decidedBy: 'classifier',
      reasons: [{ code: 'CLASSIFIER_HOLD', message: 'Possibly identity_attack.' }],
      scores: { ...low, toxicity: 0.55, identity_attack: 0.82 },
      tags: ['model:parley-1', 'lang:en'],
    });
    ids.unknown = await seed('A comment held by a check the dashboard does not know yet.', {
      decidedBy: 'shinyNewPhase',
      reasons: [{ code: 'SHINY_NEW_CHECK', message: 'Held by a newer server.' }],
      scores: {},
      tags: ['shiny:thing'],
    });
    ids.premod = await seed(
      `A long word: ${'Donaudampfschifffahrtsgesellschaftskapitän'.repeat(3)} and a link https://example.com/${'x'.repeat(80)}`,
      {
        decidedBy: 'premoderation',
        reasons: [
          { code: 'PREMOD_SITE', message: 'Every comment on this site is reviewed first.' },
        ],
        scores: {},
        tags: [],
      },
    );
    ids.other = await seed('One more held comment, fine to publish.', {
      decidedBy: 'premoderation',
      reasons: [{ code: 'PREMOD_NEW_COMMENTER', message: 'New commenters are reviewed.' }],
      scores: {},
      tags: [],
    });
    adminToken = await logIn(ADMIN);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await parley?.close();
  });

  async function logIn(email: string): Promise<string> {
    const response = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE_ORIGIN },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { token: string }).token;
  }

  async function commentStatus(id: string): Promise<string> {
    const response = await fetch(`${url}/api/v1/admin/comments/${id}`, {
      headers: { authorization: `Bearer ${adminToken}`, origin: SITE_ORIGIN },
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { item: { comment: { status: string } } }).item.comment
      .status;
  }

  async function newContext(width: number): Promise<BrowserContext> {
    return browser.newContext({ viewport: { width, height: HEIGHTS[width] ?? 900 } });
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${url}/admin`);
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  function watch(page: Page): string[] {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    return problems;
  }

  /**
   * Nothing wider than the window: the document does not scroll sideways, and no visible element
   * reaches past the window's right edge unless a box that scrolls sideways holds it (a table in
   * its own scrolling box is fine; one cut off by `overflow: hidden` is not).
   */
  async function overflow(page: Page): Promise<string[]> {
    // A string, so the test's compiler adds no helpers the page does not have.
    return page.evaluate<string[]>(`(() => {
      const width = window.innerWidth;
      const found = [];
      if (document.documentElement.scrollWidth > width) {
        found.push('document ' + document.documentElement.scrollWidth + ' > ' + width);
      }
      // Only a table (or preformatted text) may scroll sideways, in its own box: a view that
      // scrolls sideways as a whole does not count.
      const scrolls = (element) => {
        const style = getComputedStyle(element);
        return (
          (element.tagName === 'TABLE' || element.tagName === 'PRE') &&
          (style.overflowX === 'auto' || style.overflowX === 'scroll') &&
          element.getBoundingClientRect().right <= width + 0.5
        );
      };
      for (const element of document.body.querySelectorAll('*')) {
        const rect = element.getBoundingClientRect();
        if (rect.width <= 1 || rect.height <= 1 || rect.right <= width + 0.5) continue;
        // Not what is hidden (a closed <details> keeps its layout, unrendered) or visually hidden.
        if (element.closest('.vh') || !element.checkVisibility({ visibilityProperty: true })) {
          continue;
        }
        let held = false;
        for (let up = element.parentElement; up && !held; up = up.parentElement) {
          held = scrolls(up);
        }
        if (!held) {
          const name = element.tagName.toLowerCase() + '.' + [...element.classList].join('.');
          found.push(name + ' right ' + Math.round(rect.right) + ' > ' + width);
        }
      }
      return found.slice(0, 10);
    })()`);
  }

  async function inViewport(page: Page, locator: ReturnType<Page['locator']>, what: string) {
    const box = await locator.boundingBox();
    const size = page.viewportSize();
    assert.ok(box && size, `${what} is shown`);
    assert.ok(
      box.x >= 0 &&
        box.y >= 0 &&
        box.x + box.width <= size.width + 0.5 &&
        box.y + box.height <= size.height + 0.5,
      `${what} within the ${size.width}×${size.height} window: ${JSON.stringify(box)}`,
    );
  }

  const menuState = (page: Page) => page.locator('header.topbar').getAttribute('data-menu');
  const actionBar = (page: Page) =>
    page.getByRole('group', { name: 'Actions on this comment' }).first();

  it('fits every width from 1,440 to 360 px; the menu folds and works', async () => {
    const context = await newContext(1440);
    const page = await context.newPage();
    const problems = watch(page);
    await signIn(page, ADMIN);
    const states: string[] = [];
    for (const width of WIDTHS) {
      const height = HEIGHTS[width] ?? 900;
      await page.setViewportSize({ width, height });
      await page.goto(`${url}/admin/queues/pending`);
      await page.locator('ol.items [data-comment-id]').first().waitFor();
      await page.locator(`[data-comment-id="${ids.rate}"]`).first().click();
      const bar = actionBar(page);
      await bar.getByRole('button', { name: /^Approve/ }).waitFor();
      await page.getByRole('heading', { name: /^Author:/ }).waitFor();

      for (const name of [/^Approve/, /^Reject/, /^Feature/, /^Delete/]) {
        await inViewport(page, bar.getByRole('button', { name }), `${name} at ${width} px`);
      }
      await inViewport(page, page.getByRole('button', { name: 'Sign out' }), `Sign out (${width})`);
      assert.deepEqual(await overflow(page), [], `queue at ${width} px`);
      await page.screenshot({ path: path.join(screenshots, `admin-responsive-${width}.png`) });

      const state = await menuState(page);
      states.push(`${width}:${state}`);
      const nav = page.getByRole('navigation', { name: 'Views' });
      if (state === 'compact') {
        const button = nav.getByRole('button', { name: 'Menu' });
        assert.equal(await button.getAttribute('aria-expanded'), 'false');
        assert.equal(await nav.getByRole('link', { name: 'Audit log' }).isVisible(), false);
        await button.click();
        assert.equal(await button.getAttribute('aria-expanded'), 'true');
        // Focus goes into the menu, on the current view.
        await page.waitForFunction(() =>
          document.activeElement?.matches('#menu-list a[aria-current="page"]'),
        );
        await page.screenshot({ path: path.join(screenshots, `admin-menu-${width}.png`) });
        assert.deepEqual(await overflow(page), [], `open menu at ${width} px`);
        await page.keyboard.press('Escape');
        assert.equal(await button.getAttribute('aria-expanded'), 'false');
        assert.ok(
          await button.evaluate((element) => element === document.activeElement),
          'Escape gives focus back to the button',
        );
        // Escape in the menu did not reach the queue (nothing else changed); open, navigate.
        await button.click();
        await nav.getByRole('link', { name: 'Audit log' }).click();
        await page.waitForURL(/\/admin\/audit$/);
        assert.equal(await button.getAttribute('aria-expanded'), 'false');
        await page.waitForFunction(() => document.activeElement?.classList.contains('view'));
      } else {
        assert.ok(state === 'row' || state === 'tight', String(state));
        for (const name of ['Queues', 'Audit log', 'Settings', 'Webhooks']) {
          assert.ok(await nav.getByRole('link', { name, exact: true }).isVisible(), name);
        }
        await nav.getByRole('link', { name: 'Audit log' }).click();
        await page.waitForURL(/\/admin\/audit$/);
      }
      // The other views fit too; their tables scroll in their own box.
      for (const view of [
        'search',
        'audit',
        'stats',
        'stories',
        'users',
        'settings',
        'words',
        'mail',
      ]) {
        await page.goto(`${url}/admin/${view}`);
        await page.locator('.view > *').first().waitFor();
        await page.waitForLoadState('networkidle');
        const wide = await overflow(page);
        if (wide.length > 0) {
          await page.screenshot({
            path: path.join(screenshots, `admin-overflow-${view}-${width}.png`),
          });
        }
        assert.deepEqual(wide, [], `${view} at ${width} px`);
        if (width <= 390 && (view === 'users' || view === 'audit')) {
          await page.screenshot({ path: path.join(screenshots, `admin-${view}-${width}.png`) });
        }
      }
    }
    // Wide screens show the row of links (other tests click its links at 1,280 px); phones the button.
    assert.ok(
      !states.includes('1440:compact') && !states.includes('1280:compact'),
      states.join(' '),
    );
    for (const width of [768, 390, 360])
      assert.ok(states.includes(`${width}:compact`), states.join(' '));
    assert.deepEqual(problems, []);
    console.log(`# menu: ${states.join(', ')}; screenshots in ${screenshots}`);
    await context.close();
  });

  it('approves a comment at 390 px from its details view, with the keyboard still working', async () => {
    const context = await newContext(390);
    const page = await context.newPage();
    const problems = watch(page);
    await signIn(page, MODERATOR);
    const card = page.locator(`ol.items [data-comment-id="${ids.other}"]`);
    await card.waitFor();
    // The list shows, the details do not.
    assert.equal(await page.locator('aside.column-details').isVisible(), false);
    await card.click();
    const bar = actionBar(page);
    await bar.getByRole('button', { name: /^Approve/ }).waitFor();
    assert.equal(await page.locator('section.column-list').isVisible(), false);
    const back = page.getByRole('button', { name: 'Back to the list' });
    assert.ok(await back.evaluate((element) => element === document.activeElement));
    // The action bar stays at the bottom of the screen while the details scroll.
    await page.locator('.workspace').evaluate((element) => element.scrollTo(0, 10_000));
    await inViewport(
      page,
      bar.getByRole('button', { name: /^Approve/ }),
      'Approve after scrolling',
    );
    await page.screenshot({ path: path.join(screenshots, 'admin-phone-details.png') });

    await bar.getByRole('button', { name: /^Approve/ }).click();
    await bar.getByText(/^Approved the comment by /).waitFor();
    assert.equal(await commentStatus(ids.other), 'approved');
    await page.screenshot({ path: path.join(screenshots, 'admin-phone-approved.png') });

    // Back to the list: the approved comment has left it; Escape also goes back.
    await back.click();
    await page.locator('ol.items').waitFor();
    assert.equal(await page.locator(`ol.items [data-comment-id="${ids.other}"]`).count(), 0);
    await page.locator(`ol.items [data-comment-id="${ids.premod}"]`).click();
    await back.waitFor();
    await page.keyboard.press('Escape');
    await page.locator('ol.items').waitFor();
    assert.equal(await page.locator('aside.column-details').isVisible(), false);
    // j/k still move the selection at this width.
    const selected = () =>
      page.locator('ol.items [aria-current="true"]').getAttribute('data-comment-id');
    const before = await selected();
    await page.keyboard.press('k');
    await page.waitForFunction(
      (id) =>
        document
          .querySelector('ol.items [aria-current="true"]')
          ?.getAttribute('data-comment-id') !== id,
      before,
    );
    await page.screenshot({ path: path.join(screenshots, 'admin-phone-list.png') });
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('stays signed in across tabs, and signing out in one signs out all', async () => {
    const context = await newContext(1280);
    const first = await context.newPage();
    await signIn(first, MODERATOR);
    const second = await context.newPage();
    await second.goto(`${url}/admin`);
    await second.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.equal(await second.locator('input[name="password"]').count(), 0);
    // Not kept per tab any more, and the refresh token is kept (the session outlives an hour).
    const stored = await second.evaluate(() => ({
      local: localStorage.getItem('parley:admin:session'),
      session: sessionStorage.getItem('parley:admin:session'),
    }));
    assert.equal(stored.session, null);
    const session = JSON.parse(stored.local ?? '{}') as Record<string, unknown>;
    assert.equal(typeof session.refreshToken, 'string');
    assert.ok(typeof session.expiresAt === 'number' && session.expiresAt > Date.now());

    await second.getByRole('button', { name: 'Sign out' }).click();
    await second.locator('input[name="password"]').waitFor();
    await first.locator('input[name="password"]').waitFor();
    await first.getByText('You signed out in another tab.').waitFor();
    assert.equal(await first.getByRole('button', { name: 'Sign out' }).count(), 0);
    // The token was revoked on the server too.
    const token = session.token as string;
    const me = await fetch(`${url}/api/v1/admin/me`, {
      headers: { authorization: `Bearer ${token}`, origin: SITE_ORIGIN },
    });
    assert.equal(me.status, 401);

    // Signing in again in one tab signs the other in.
    await first.locator('input[name="email"]').fill(MODERATOR);
    await first.locator('input[name="password"]').fill(PASSWORD);
    await first.getByRole('button', { name: 'Sign in' }).click();
    await second.getByRole('button', { name: 'Sign out' }).waitFor();
    await context.close();
  });

  it('does not use a stored session past its expiry', async () => {
    const context = await newContext(1280);
    const page = await context.newPage();
    await page.goto(`${url}/admin`);
    const token = await logIn(MODERATOR);
    await page.evaluate((value) => {
      localStorage.setItem(
        'parley:admin:session',
        JSON.stringify({
          token: value,
          user: { id: 'x', displayName: 'Layout Moderator', role: 'moderator', email: 'x@x' },
          expiresAt: Date.now() - 1000,
        }),
      );
    }, token);
    await page.reload();
    await page.locator('input[name="password"]').waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('parley:admin:session')), null);
    await context.close();
  });

  it('says why comments were held in words, and explains the queues', async () => {
    const context = await newContext(1440);
    const page = await context.newPage();
    const problems = watch(page);
    await signIn(page, ADMIN);
    const card = (id: string) => page.locator(`ol.items [data-comment-id="${id}"]`);
    await card(ids.rate).waitFor();
    assert.equal(
      await card(ids.rate).locator('[data-verdict]').innerText(),
      'Held: posting too fast · by the posting rate limit',
    );
    assert.match(
      await card(ids.model).locator('[data-verdict]').innerText(),
      /^Held: scored 0\.82 for identity attack · by the toxicity model$/,
    );
    assert.match(
      await card(ids.unknown).locator('[data-verdict]').innerText(),
      /^Held: shiny new check · by shiny new phase$/,
    );
    assert.deepEqual(await card(ids.rate).locator('.tags .tag').allInnerTexts(), [
      'Model parley-1',
      'Language: English',
    ]);
    const list = page.locator('section.column-list');
    await page.locator(`[data-comment-id="${ids.model}"]`).first().click();
    await page.getByRole('heading', { name: /^Author:/ }).waitFor();
    const text = `${await list.innerText()}\n${await page.locator('aside.column-details').innerText()}`;
    const titles = await page
      .locator('[title]')
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('title')));
    for (const raw of RAW) {
      assert.ok(!text.includes(raw), `no “${raw}” in the text`);
      assert.ok(!titles.some((title) => title?.includes(raw)), `no “${raw}” in a tooltip`);
    }
    await page
      .locator(`[data-comment-id="${ids.model}"]`)
      .first()
      .screenshot({ path: path.join(screenshots, 'admin-card-plain-words.png') });

    // A rejection's toast names the reason in words.
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog', { name: /^Reject/ });
    await dialog.getByText('Off topic').click();
    assert.ok(!(await dialog.innerText()).includes('OFF_TOPIC'));
    await dialog.getByRole('button', { name: /^Reject/ }).click();
    await page
      .locator('.statusbar-text', { hasText: /^Rejected the comment by .*: Off topic\.$/ })
      .waitFor();

    // The queues explained: on hover and to screen readers (aria-describedby), and in the help.
    const link = page.getByRole('navigation', { name: 'Queues' }).getByRole('link', {
      name: /^Unmoderated/,
    });
    const about = await link.getAttribute('aria-describedby');
    assert.ok(about);
    assert.match(
      (await page.locator(`#${about}`).textContent()) ?? '',
      /published at once, never reviewed by a person/,
    );
    assert.match((await link.getAttribute('title')) ?? '', /never reviewed by a person/);
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: /Keyboard shortcuts/ });
    await help.waitFor();
    for (const queue of [
      'Pending',
      'Reported',
      'Unmoderated',
      'Approved',
      'Rejected',
      'Featured',
    ]) {
      await help.locator('dt', { hasText: queue }).first().waitFor();
    }
    await help.getByText(/Published at once, never reviewed by a person/).waitFor();
    await help.screenshot({ path: path.join(screenshots, 'admin-help.png') });
    await page.keyboard.press('Escape');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('has words for every code the server writes', () => {
    // The reason codes of the pipeline's phases and of the importer, read from the server's source.
    const sources = [
      ...fs
        .readdirSync(path.join(ROOT, 'src/domain/moderation/phases'))
        .map((file) => path.join(ROOT, 'src/domain/moderation/phases', file)),
      path.join(ROOT, 'src/import/importer.ts'),
    ].map((file) => fs.readFileSync(file, 'utf8'));
    const codes = new Set<string>();
    const phases = new Set<string>();
    for (const source of sources) {
      for (const match of source.matchAll(/code: '([A-Z_]+)'/g)) codes.add(match[1]!);
      for (const match of source.matchAll(/(?:approved|pending|rejected): '([A-Z_]+)'/g)) {
        codes.add(match[1]!);
      }
      for (const match of source.matchAll(/_HOLD = '([A-Z_]+)'/g)) codes.add(match[1]!);
      for (const match of source.matchAll(/return (?:async )?function (\w+)\(/g)) {
        phases.add(match[1]!);
      }
      for (const match of source.matchAll(/^export function (\w+)\(\{/gm)) phases.add(match[1]!);
    }
    assert.ok(codes.size >= 20, [...codes].join(' '));
    for (const code of codes) {
      assert.notEqual(reasonWords(code), humanise(code).toLowerCase(), `words for ${code}`);
    }
    assert.ok(phases.has('postingRate') && phases.has('classifier'), [...phases].join(' '));
    for (const phase of phases) {
      assert.notEqual(phaseName(phase), humanise(phase).toLowerCase(), `words for ${phase}`);
    }
    assert.equal(phaseName('import:disqus'), 'an import from Disqus');
    assert.equal(rejectionLabel('OFF_TOPIC'), 'Off topic');
    assert.equal(rejectionLabel('NEW_REASON'), 'New reason');
    assert.equal(tagLabel('model:parley-1'), 'Model parley-1');
    assert.equal(tagLabel('site-model:abc'), 'Site’s own model');
    assert.equal(tagLabel('review-imported'), 'Imported, to check');
    assert.deepEqual(
      verdict({
        decidedBy: 'classifier',
        reasons: [{ code: 'CLASSIFIER_REJECT', message: 'Scored as threat, insult.' }],
        scores: { threat: 0.91, insult: 0.97, toxicity: 0.99 },
      }),
      {
        verb: 'Rejected',
        why: 'scored 0.97 for insult, 0.91 for threat',
        by: 'the toxicity model',
      },
    );
    assert.equal(verdict({ decidedBy: null, reasons: [], scores: { toxicity: 0.1 } }), null);
  });
});
