/**
 * The moderation dashboard in a real browser: Chromium opens /admin on a Parley server listening
 * on a loopback port, with an admin, a moderator, commenters and held and published comments
 * seeded through the store or posted through the public API. The admin works the pending queue
 * with the keyboard (j/k, a, r with a reason and a note, u, bulk); a moderator rejects one comment
 * and approves another and a reader's view of the story follows; a comment held while the queue is
 * open arrives over the moderators' live feed within about a second, without a reload and without
 * moving the selection, and leaves when another session approves it; with the feed refused the
 * queue polls, says so, and goes live again when the feed is back; signing out closes the feed; the
 * statistics, site
 * settings, word lists, stories and users views do what they say, and settings stay read-only for
 * moderators; the dashboard renders its queue in under a second; a commenter is told plainly that
 * they have no access.
 *
 * Screenshots of every view go to artefacts/ (not committed), or to PARLEY_SCREENSHOT_DIR.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildAdmin } from '../../scripts/build-web.ts';
import { renderCommentHtml } from '../../src/domain/markdown.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { ADMIN_ASSETS } from '../../src/server/admin-page.ts';
import { insertComment } from '../../src/store/comments.ts';
import type { CommentStatus, Role } from '../../src/store/schema.ts';
import { updateSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { excerptPieces, highlightPieces } from '../../web/admin/src/state/highlights.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { freePort } from '../helpers/process.ts';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';
const ROOT = path.resolve(import.meta.dirname, '../..');
const screenshots = process.env.PARLEY_SCREENSHOT_DIR ?? path.join(ROOT, 'artefacts');
/** EventSource.CLOSED, which Node does not define. */
const EventSource_CLOSED = 2;

describe('moderation dashboard in Chromium', { skip }, () => {
  let parley: TestApp;
  let browser: Browser;
  let url: string;
  let adminToken: string;
  let readerToken: string;
  let storyId: string;
  const held: { id: string; body: string }[] = [];
  const accounts = {
    admin: 'desk.editor@example.com',
    moderator: 'night.moderator@example.com',
    reader: 'reader.rita@example.com',
    newcomer: 'morgan.newhire@example.com',
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
    const account = async (email: string, displayName: string, role: Role) => {
      const user = await insertUser(parley.store.db, { email, displayName, passwordHash, role });
      assert.ok(user, email);
      return user;
    };
    await account(accounts.admin, 'Desk Editor', 'admin');
    await account(accounts.moderator, 'Night Moderator', 'moderator');
    await account(accounts.newcomer, 'Morgan Newhire', 'commenter');
    const reader = await account(accounts.reader, 'Rita Reader', 'commenter');

    storyId = await parley.story('council-vote');
    const start = Date.now() - 60 * 60_000;
    const seed = async (body: string, status: CommentStatus, minute: number) => {
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
        createdAt: new Date(start + minute * 60_000),
        moderation: {
          decidedBy: status === 'pending' ? 'premoderation' : null,
          reasons:
            status === 'pending'
              ? [{ code: 'PREMOD_SITE', message: 'Every comment on this site is held.' }]
              : [],
          scores: { toxicity: 0.42, identity_attack: 0.05, threat: 0.01, spam: 0.2 },
          tags: ['model:test'],
        },
      });
      assert.ok(comment, `seeded ${body}`);
      return { id: comment.id, body };
    };
    held.push(await seed('First held comment about the council vote.', 'pending', 1));
    held.push(await seed('هذا تعليق باللغة العربية عن التصويت.', 'pending', 2));
    held.push(await seed('Third held comment, a little spammy perhaps.', 'pending', 3));
    held.push(await seed('Fourth held comment, fine to publish.', 'pending', 4));
    const reported = await seed('An approved comment.', 'approved', 5);
    await seed('Another approved comment.', 'approved', 6);

    adminToken = (await logIn(url, accounts.admin)).token;
    readerToken = (await logIn(url, accounts.reader)).token;
    // Readers' reports, for the reported queue and the most reported stories.
    for (const email of [accounts.admin, accounts.newcomer]) {
      const { token } = await logIn(url, email);
      const response = await call('POST', `/api/v1/comments/${reported.id}/reports`, token, {
        reason: 'abuse',
      });
      assert.equal(response.status, 201, await response.clone().text());
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await parley?.close();
  });

  /** A request to the server as a browser on the publisher's page would send it. */
  function call(method: string, route: string, token: string | null, body?: unknown) {
    const headers: Record<string, string> = { origin: SITE_ORIGIN };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${url}${route}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  }

  async function adminGet<T>(route: string): Promise<T> {
    const response = await call('GET', `/api/v1/admin${route}`, adminToken);
    assert.equal(response.status, 200, `${route}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  }

  async function settings(patch: unknown): Promise<void> {
    const response = await call(
      'PATCH',
      `/api/v1/admin/sites/${parley.site.id}/settings`,
      adminToken,
      patch,
    );
    assert.equal(response.status, 200, await response.clone().text());
  }

  /** A reader posts through the public API, as the widget does; answers the comment. */
  async function post(story: string, body: string) {
    const response = await call('POST', `/api/v1/stories/${story}/comments`, readerToken, {
      body,
    });
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { comment: { id: string; status: string } }).comment;
  }

  async function open(
    prepare?: (page: Page) => Promise<void>,
  ): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await prepare?.(page);
    await page.goto(`${url}/admin`);
    return { page, problems };
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function view(page: Page, name: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();
  }

  /** A screenshot; `tall` shows a whole scrolling page (each view scrolls inside the window). */
  async function shot(page: Page, name: string, tall?: number): Promise<void> {
    const size = page.viewportSize();
    if (tall && size) await page.setViewportSize({ width: size.width, height: tall });
    await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
    if (tall && size) await page.setViewportSize(size);
  }

  const list = (page: Page) => page.locator('ol.items [data-comment-id]');
  const selectedId = (page: Page) =>
    page.locator('ol.items [data-comment-id][aria-current="true"]').getAttribute('data-comment-id');
  const pendingCount = (page: Page) => page.locator('[data-queue-count="pending"]');
  const feedStatus = (page: Page, status: string) =>
    page.locator(`.column-queues [data-feed-status="${status}"]`);

  /** Keeps every EventSource the page opens in `window.feeds`, to see whether they are closed. */
  async function recordStreams(page: Page): Promise<void> {
    await page.addInitScript(() => {
      const Original = window.EventSource;
      const feeds: EventSource[] = [];
      (window as unknown as { feeds: EventSource[] }).feeds = feeds;
      window.EventSource = class extends Original {
        constructor(...args: ConstructorParameters<typeof EventSource>) {
          super(...args);
          feeds.push(this);
        }
      };
    });
  }
  const streamStates = (page: Page) =>
    page.evaluate(() =>
      (window as unknown as { feeds: EventSource[] }).feeds.map((feed) => ({
        url: feed.url,
        state: feed.readyState,
      })),
    );

  async function expectSelected(page: Page, id: string | undefined): Promise<void> {
    await page
      .locator(`ol.items [data-comment-id="${id}"][aria-current="true"]`)
      .waitFor({ timeout: 5000 });
  }

  /** Moves the selection down with j until it is on the comment. */
  async function selectWithKeys(page: Page, id: string): Promise<void> {
    for (let i = 0; i < 50 && (await selectedId(page)) !== id; i++) await page.keyboard.press('j');
    await expectSelected(page, id);
  }

  async function statusOf(id: string) {
    const json = await adminGet<{
      item: { comment: { status: string; moderation: { rejection: unknown } } };
    }>(`/comments/${id}`);
    return json.item.comment;
  }

  it('works a pending queue with the keyboard: approve, reject with a reason, undo', async () => {
    const { page, problems } = await open();
    await signIn(page, accounts.admin);
    await page.getByRole('heading', { name: /^Pending/, level: 1 }).waitFor();
    await waitForText(pendingCount(page), '4');
    await list(page).first().waitFor();
    assert.equal(await list(page).count(), 4);
    const [first, second, third, fourth] = held;

    // Oldest first, the first one selected; j and k move.
    await expectSelected(page, first?.id);
    await page.keyboard.press('j');
    await expectSelected(page, second?.id);
    await page.keyboard.press('j');
    await expectSelected(page, third?.id);
    await page.keyboard.press('k');
    await expectSelected(page, second?.id);
    await page.keyboard.press('k');
    await expectSelected(page, first?.id);

    // Right-to-left text reads right to left.
    const arabic = page.locator(`[data-comment-id="${second?.id}"] .comment-body`).first();
    assert.equal(await arabic.getAttribute('dir'), 'auto');
    assert.equal(await arabic.evaluate((element) => getComputedStyle(element).direction), 'rtl');

    // The details: the author's record has loaded.
    await page.getByRole('heading', { name: 'Author: Rita Reader' }).waitFor();
    await page.locator('.column-details .counts').waitFor();
    await shot(page, 'admin-queue');
    await page.locator('.column-details').screenshot({
      path: path.join(screenshots, 'admin-details.png'),
    });

    // a: approved, gone from the queue, the next one selected, the count down by one.
    await page.keyboard.press('a');
    await page.locator(`ol.items [data-comment-id="${first?.id}"]`).waitFor({ state: 'detached' });
    await expectSelected(page, second?.id);
    await waitForText(pendingCount(page), '3');
    assert.equal((await statusOf(first!.id)).status, 'approved');

    // r, 4 (spam), a note, Enter: rejected with that reason and note.
    await page.keyboard.press('j');
    await expectSelected(page, third?.id);
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.keyboard.press('4');
    assert.equal(await dialog.locator('input[value="SPAM"]').isChecked(), true);
    await dialog.locator('textarea[name="note"]').fill('Links to a shop are advertising.');
    await shot(page, 'admin-reject-dialog');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`ol.items [data-comment-id="${third?.id}"]`).waitFor({ state: 'detached' });
    await expectSelected(page, fourth?.id);
    await waitForText(pendingCount(page), '2');
    const rejected = await statusOf(third!.id);
    assert.equal(rejected.status, 'rejected');
    assert.deepEqual(rejected.moderation.rejection, {
      code: 'SPAM',
      note: 'Links to a shop are advertising.',
    });

    // Escape cancels the dialog without acting.
    await page.keyboard.press('r');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await statusOf(fourth!.id)).status, 'pending');

    // u: the rejection is undone and the comment is back, selected.
    await page.keyboard.press('u');
    await page.locator(`ol.items [data-comment-id="${third?.id}"]`).waitFor();
    await expectSelected(page, third?.id);
    await waitForText(pendingCount(page), '3');
    assert.equal((await statusOf(third!.id)).status, 'pending');
    assert.equal(await selectedId(page), third?.id);

    // Bulk: tick two and approve them together.
    await page
      .getByRole('checkbox', { name: /Select the comment/ })
      .nth(0)
      .check();
    await page
      .getByRole('checkbox', { name: /Select the comment/ })
      .nth(1)
      .check();
    await page.getByRole('button', { name: /Approve selected/ }).click();
    await waitForText(pendingCount(page), '1');
    assert.equal(await list(page).count(), 1);
    await page.locator('.statusbar-text', { hasText: 'Approved 2 comments.' }).waitFor();

    // The help lists the shortcuts.
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');

    assert.deepEqual(problems, [], 'no errors or CSP violations in the console');
    await page.close();
  });

  it('a moderator rejects one comment and approves another, and readers see the outcome', async () => {
    // The site holds every comment; the reader posts two through the public API.
    await settings({ moderation: { premoderateAll: true } });
    const story = await parley.story('budget-debate');
    const spam = await post(story, 'Cheap watches at my shop, best prices in town!');
    const fair = await post(story, 'The budget debate deserves a second reading.');
    assert.equal(spam.status, 'pending');
    assert.equal(fair.status, 'pending');
    const readerView = async (token: string | null) => {
      const response = await call('GET', `/api/v1/stories/${story}/comments`, token);
      assert.equal(response.status, 200);
      return (await response.json()) as {
        comments: { id: string; status: string }[];
        pending: { id: string; status: string; rejection?: { code: string; note: string } }[];
      };
    };
    assert.deepEqual((await readerView(null)).comments, [], 'held comments are not shown');

    const { page, problems } = await open();
    await signIn(page, accounts.moderator);
    await page.getByRole('heading', { name: /^Pending/, level: 1 }).waitFor();
    await page.locator(`ol.items [data-comment-id="${fair.id}"]`).waitFor();

    // r, 4 (spam), a note for the author, Enter.
    await selectWithKeys(page, spam.id);
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.keyboard.press('4');
    await dialog.locator('textarea[name="note"]').fill('Advertising is not allowed here.');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`ol.items [data-comment-id="${spam.id}"]`).waitFor({ state: 'detached' });

    // a on the other one.
    await selectWithKeys(page, fair.id);
    await page.keyboard.press('a');
    await page.locator(`ol.items [data-comment-id="${fair.id}"]`).waitFor({ state: 'detached' });
    await page.locator('.statusbar-text', { hasText: /Approved the comment/ }).waitFor();
    await shot(page, 'admin-moderator-queue');

    // Anyone reading the story sees the approved comment and not the rejected one.
    const anonymous = await readerView(null);
    assert.deepEqual(
      anonymous.comments.map((comment) => comment.id),
      [fair.id],
    );
    // The author sees their rejected comment beside the thread, with the statement of reasons.
    const author = await readerView(readerToken);
    assert.deepEqual(
      author.comments.map((comment) => comment.id),
      [fair.id],
    );
    const own = author.pending.find((comment) => comment.id === spam.id);
    assert.equal(own?.status, 'rejected');
    assert.deepEqual(own?.rejection, { code: 'SPAM', note: 'Advertising is not allowed here.' });

    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows a comment held while the queue is open at once over the live feed, without a reload or moving the selection', async () => {
    await settings({ moderation: { premoderateAll: true } });
    const story = await parley.story('night-shift');
    const early = await post(story, 'A comment waiting before the moderator arrives.');
    const { page, problems } = await open(recordStreams);
    await signIn(page, accounts.admin);
    await page.getByRole('heading', { name: /^Pending/, level: 1 }).waitFor();
    await page.locator(`ol.items [data-comment-id="${early.id}"]`).waitFor();
    await selectWithKeys(page, early.id);
    await feedStatus(page, 'live').waitFor({ timeout: 5000 });
    const before = Number(await pendingCount(page).textContent());
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));

    const started = Date.now();
    const late = await post(story, 'A comment posted while the queue is open.');
    assert.equal(late.status, 'pending');
    const arrival = page.locator(`ol.items [data-comment-id="${late.id}"]`);
    await arrival.waitFor({ timeout: 5000 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`# a held comment appeared in the open queue after ${seconds.toFixed(2)} s (live)`);
    assert.ok(seconds < 2.5, `appeared after ${seconds} s (the old poll took up to 3 s)`);

    assert.equal(await selectedId(page), early.id, 'the selection stayed where it was');
    assert.match((await arrival.getAttribute('class')) ?? '', /item-new/, 'marked as new');
    assert.equal(
      await list(page).last().getAttribute('data-comment-id'),
      late.id,
      'added at the end',
    );
    await waitForText(pendingCount(page), String(before + 1), 3000);
    const shown = page.locator(`ol.items [data-comment-id="${late.id}"]`);
    assert.equal(await shown.count(), 1, 'shown once (the event and the poll agree)');
    // The chip scrolls the new comment into view; the selection stays.
    await page.getByRole('button', { name: '1 new below' }).click();
    await arrival.evaluate(
      (element) =>
        new Promise<void>((resolve) => {
          new IntersectionObserver((entries, observer) => {
            if (entries.some((entry) => entry.isIntersecting)) {
              observer.disconnect();
              resolve();
            }
          }).observe(element);
        }),
    );
    assert.equal(await selectedId(page), early.id);
    await shot(page, 'admin-queue-new-item');
    await page.locator('.column-queues').screenshot({
      path: path.join(screenshots, 'admin-queue-live-indicator.png'),
    });

    // Another moderator approves it: it leaves the queue, the count goes down.
    const approved = await call(
      'POST',
      `/api/v1/admin/comments/${late.id}/approve`,
      (await logIn(url, accounts.moderator)).token,
    );
    assert.equal(approved.status, 200, await approved.clone().text());
    await arrival.waitFor({ state: 'detached', timeout: 3000 });
    await waitForText(pendingCount(page), String(before), 3000);
    assert.equal(await selectedId(page), early.id, 'the selection still did not move');
    assert.deepEqual(navigations, [], 'no reload');

    // Signing out closes the feed.
    const streams = await streamStates(page);
    assert.ok(
      streams.some(
        (stream) => stream.url.includes('/api/v1/admin/events?token=') && stream.state === 1,
      ),
      `an open feed: ${JSON.stringify(streams)}`,
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('input[name="email"]').waitFor();
    assert.deepEqual(
      (await streamStates(page)).map((stream) => stream.state),
      streams.map(() => EventSource_CLOSED),
      'every stream closed',
    );

    // Leave the queue empty for the tests that follow.
    await call('POST', '/api/v1/admin/comments/bulk', adminToken, {
      action: 'approve',
      ids: (await adminGet<{ items: { comment: { id: string } }[] }>('/queues/pending')).items.map(
        (item) => item.comment.id,
      ),
    });
    await settings({ moderation: { premoderateAll: false } });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('polls when the feed is refused, says so, and goes live again when it is back', async () => {
    await settings({ moderation: { premoderateAll: true } });
    const story = await parley.story('feed-refused');
    let refused = 0;
    const { page, problems } = await open(async (page) => {
      await page.route('**/api/v1/admin/events?*', async (route) => {
        refused++;
        await route.fulfill({
          status: 429,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many streams.' } }),
        });
      });
    });
    await signIn(page, accounts.admin);
    await page.getByRole('heading', { name: /^Pending/, level: 1 }).waitFor();
    const polling = feedStatus(page, 'polling');
    await polling.waitFor({ timeout: 5000 });
    assert.match((await polling.innerText()).trim(), /^Polling · 10 s/);
    assert.ok(refused >= 1);

    // Polling still brings held comments (every 10 s instead of at once).
    const started = Date.now();
    const held = await post(story, 'Held while the feed is refused.');
    await page.locator(`ol.items [data-comment-id="${held.id}"]`).waitFor({ timeout: 15_000 });
    console.log(
      `# with the feed refused, a held comment appeared after ${((Date.now() - started) / 1000).toFixed(1)} s (polling)`,
    );
    await shot(page, 'admin-queue-polling');
    const tries = refused;
    assert.ok(tries >= 2, `retried the feed (${tries} tries)`);

    // The feed comes back: the dashboard reconnects by itself (2 s, 4 s, 8 s… apart).
    await page.unroute('**/api/v1/admin/events?*');
    await feedStatus(page, 'live').waitFor({ timeout: 40_000 });
    const next = await post(story, 'Held once the feed is back.');
    await page.locator(`ol.items [data-comment-id="${next.id}"]`).waitFor({ timeout: 2500 });

    await call('POST', '/api/v1/admin/comments/bulk', adminToken, {
      action: 'approve',
      ids: (await adminGet<{ items: { comment: { id: string } }[] }>('/queues/pending')).items.map(
        (item) => item.comment.id,
      ),
    });
    await settings({ moderation: { premoderateAll: false } });
    // Chromium logs each refused stream as a failed resource; nothing else may go wrong.
    assert.deepEqual(
      problems.filter((problem) => !/status of 429/.test(problem)),
      [],
    );
    await page.close();
  });

  it('draws the statistics as accessible SVG charts', async () => {
    const { page, problems } = await open();
    await signIn(page, accounts.admin);
    await view(page, 'Statistics');
    const chart = page.getByRole('img', { name: /Comments per day/ });
    await chart.waitFor();
    assert.match((await chart.locator('desc').textContent()) ?? '', /approved/);
    assert.ok((await chart.locator('rect.bar').count()) > 0, 'bars are drawn');

    const hours = page.getByRole('img', { name: /Comments per hour/ });
    await hours.waitFor();
    assert.match((await hours.locator('desc').textContent()) ?? '', /in the last 24 hours/);
    assert.ok((await hours.locator('rect.bar').count()) > 0, 'hourly bars are drawn');

    const top = page.getByRole('list', { name: 'Stories by number of reports' });
    await top.waitFor();
    assert.match(await top.innerText(), /council-vote[\s\S]*2/);
    await shot(page, 'admin-stats', 1900);

    await view(page, 'Audit log');
    await page.getByRole('table').locator('tbody tr').first().waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('edits site settings as an admin; a moderator only reads them', async () => {
    const { page, problems } = await open();
    await signIn(page, accounts.admin);
    await view(page, 'Settings');
    const form = page.getByRole('form', { name: 'Settings of Test News' });
    await form.waitFor();
    const newcomers = form.getByLabel('Hold new commenters until they have');
    assert.equal(await newcomers.inputValue(), '0');
    await newcomers.fill('3');
    await form.getByLabel('Hold comments that contain a link').check();
    await form.getByLabel('Allowed domains (one per line)').fill('example.org\nGov.UK');
    await form.getByLabel('Hold at or above').fill('0.6');
    await form.getByLabel('Edit window').fill('600');
    // An external service: the secret is write-only.
    await form.getByLabel('Send every comment to the publisher’s own service').check();
    await form.getByLabel('Address (https)').fill('https://127.0.0.1:9/parley-hook');
    await form.getByLabel(/Shared secret/).fill('short');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByRole('alert').filter({ hasText: '16 to 200 characters' }).waitFor();
    await form.getByLabel(/Shared secret/).fill('a shared secret of some length');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form
      .getByRole('status')
      .filter({ hasText: 'Saved the settings of Test News.' })
      .waitFor();
    await form.getByText('secret set').waitFor();
    assert.equal(await form.getByLabel(/Shared secret/).inputValue(), '');
    await shot(page, 'admin-settings', 1700);

    type Settings = {
      site: {
        editWindowSeconds: number;
        moderation: {
          premoderateNewCommenters: number;
          links: { holdLinks: boolean; allowDomains: string[] };
          classifier: { hold: number; reject: number };
          external: { url: string; secretSet: boolean; secret?: string } | null;
        };
      };
    };
    const saved = await adminGet<Settings>(`/sites/${parley.site.id}/settings`);
    assert.equal(saved.site.editWindowSeconds, 600);
    assert.equal(saved.site.moderation.premoderateNewCommenters, 3);
    assert.deepEqual(saved.site.moderation.links, {
      holdLinks: true,
      allowDomains: ['example.org', 'gov.uk'],
      denyDomains: [],
    });
    assert.deepEqual(saved.site.moderation.classifier, { hold: 0.6, reject: 0.97 });
    assert.equal(saved.site.moderation.external?.secretSet, true);
    assert.equal(saved.site.moderation.external?.secret, undefined);

    // Put the pipeline back as the other tests expect it.
    await newcomers.fill('0');
    await form.getByLabel('Hold comments that contain a link').uncheck();
    await form.getByLabel('Send every comment to the publisher’s own service').uncheck();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const restored = await adminGet<Settings>(`/sites/${parley.site.id}/settings`);
    assert.equal(restored.site.moderation.external, null);
    assert.equal(restored.site.moderation.premoderateNewCommenters, 0);
    assert.deepEqual(problems, []);
    await page.close();

    // A moderator reads the same settings with every control disabled.
    const other = await open();
    await signIn(other.page, accounts.moderator);
    await view(other.page, 'Settings');
    await other.page.getByText('Only administrators can change site settings.').waitFor();
    assert.equal(
      await other.page.getByLabel('Hold new commenters until they have').isDisabled(),
      true,
    );
    assert.equal(await other.page.getByRole('button', { name: 'Save changes' }).count(), 0);
    await view(other.page, 'Word lists');
    await other.page.getByText('Only administrators can change word lists.').waitFor();
    assert.equal(await other.page.getByLabel('New term').count(), 0);
    assert.deepEqual(other.problems, []);
    await other.page.close();
  });

  it('manages a word list of thousands of terms: add, paste, search, change, remove', async () => {
    const words = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        term: `zq${i.toString(36).padStart(4, '0')}term`,
        strength: (i % 5 === 0 ? 'banned' : 'suspect') as 'banned' | 'suspect',
      }));
    // 5,000 terms, stored directly: more than one request body may carry (64 KB).
    const site = await parley.sites.get(parley.site.id);
    assert.ok(site);
    await updateSite(parley.store.db, site.id, {
      moderation: { ...site.moderation, wordList: words(5000) },
    });
    await parley.sites.refresh();

    const { page, problems } = await open();
    await signIn(page, accounts.admin);
    await view(page, 'Word lists');
    await page.getByRole('heading', { name: /Word lists\s*5,000 terms/ }).waitFor();
    await page.getByText('Showing 200 of 5,000.').waitFor();
    // Searching thousands of terms (the time is printed, not judged: see the benchmarks).
    const search = page.getByLabel('Search the list');
    const started = Date.now();
    await search.fill('zq00');
    await page.getByText('1,296 matches', { exact: true }).waitFor();
    const searchMs = Date.now() - started;
    console.log(`# searching 5,000 terms answered in ${searchMs} ms`);
    await search.fill('');

    // Editing: 1,200 terms, as much as one request carries today.
    await settings({ moderation: { wordList: words(1200) } });
    await view(page, 'Settings');
    await view(page, 'Word lists');
    await page.getByRole('heading', { name: /Word lists\s*1,200 terms/ }).waitFor();
    await page.getByLabel('New term').fill('Scumbag');
    await page
      .getByRole('form', { name: 'Add a term' })
      .getByLabel('Strength')
      .selectOption('banned');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Added “Scumbag” as banned.' }).waitFor();

    await page.getByRole('button', { name: 'Paste many…' }).click();
    await page.getByLabel('Terms, one per line').fill('moron\n\nidiot\nMORON\nscumbag\n');
    await page.getByText('3 terms: 2 new, 1 already listed').waitFor();
    await page.getByRole('button', { name: 'Add 3 terms' }).click();
    await page.getByRole('status').filter({ hasText: 'Added 2 terms as suspect' }).waitFor();

    await search.fill('o');
    await page.getByRole('cell', { name: 'moron', exact: true }).waitFor();
    await shot(page, 'admin-words');
    await page.getByRole('button', { name: 'Make “moron” banned' }).click();
    await page.getByRole('status').filter({ hasText: '“moron” is now banned.' }).waitFor();
    await page.getByRole('button', { name: 'Remove “idiot”' }).click();
    await page.getByRole('status').filter({ hasText: 'Removed “idiot”.' }).waitFor();

    const saved = await adminGet<{
      site: { moderation: { wordList: { term: string; strength: string }[] } };
    }>(`/sites/${parley.site.id}/settings`);
    const list = saved.site.moderation.wordList;
    assert.equal(list.length, 1202);
    const find = (term: string) => list.find((entry) => entry.term === term)?.strength;
    assert.equal(find('Scumbag'), 'suspect', 'pasting again changed its strength');
    assert.equal(find('moron'), 'banned');
    assert.equal(find('idiot'), undefined);

    // Back to an empty list for the tests that follow.
    await settings({ moderation: { wordList: [] } });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('closes and pre-moderates stories, and changes a role with a moderator’s sites', async () => {
    const { page, problems } = await open();
    await signIn(page, accounts.admin);
    await parley.story('budget-debate');
    await view(page, 'Stories');
    const close = page.getByRole('checkbox', { name: /^Close “.*council-vote” to new comments$/ });
    await close.waitFor();
    await close.check();
    await page.getByRole('status').filter({ hasText: 'is closed to new comments' }).waitFor();
    await page.getByRole('checkbox', { name: /^Pre-moderate “.*budget-debate”$/ }).check();
    await page.getByRole('status').filter({ hasText: 'held for a moderator' }).waitFor();
    await shot(page, 'admin-stories');
    type Stories = { stories: { id: string; closed: boolean; premoderated: boolean }[] };
    const stories = (await adminGet<Stories>('/stories')).stories;
    assert.equal(stories.find((story) => story.id === storyId)?.closed, true);
    const refused = await call('POST', `/api/v1/stories/${storyId}/comments`, readerToken, {
      body: 'Can I still comment?',
    });
    assert.notEqual(refused.status, 201, 'a closed story takes no comments');
    await close.uncheck();
    await page.getByRole('status').filter({ hasText: 'is open for comments' }).waitFor();

    await view(page, 'Users');
    await page.getByLabel('Name or email contains').fill('morgan');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'Morgan Newhire' }).click();
    const panel = page.getByRole('complementary', { name: 'Account of Morgan Newhire' });
    await panel.getByLabel('Role of Morgan Newhire').selectOption('moderator');
    await panel.getByLabel('Only these sites:').check();
    await panel.getByRole('checkbox', { name: 'Test News' }).check();
    await panel.getByRole('button', { name: 'Change role' }).click();
    await panel.getByRole('status').filter({ hasText: 'is now moderator of 1 site' }).waitFor();
    await page.getByRole('row', { name: /Morgan Newhire.*Moderator · Test News/ }).waitFor();
    await shot(page, 'admin-users');
    type Users = { users: { id: string; role: string; moderatorSiteIds: string[] | null }[] };
    const [morgan] = (await adminGet<Users>('/users?q=morgan')).users;
    assert.equal(morgan?.role, 'moderator');
    assert.deepEqual(morgan?.moderatorSiteIds, [parley.site.id]);

    // Listing by role.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page
      .getByRole('form', { name: 'Find users' })
      .getByRole('combobox', { name: /^Role/ })
      .selectOption('moderator');
    await page.getByRole('button', { name: 'Rita Reader' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Night Moderator' }).waitFor();
    await page.getByRole('button', { name: 'Morgan Newhire' }).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  // The time to the rendered queue is printed (a figure, not a pass mark: timings belong to the
  // benchmarks, and a busy CI machine would make a threshold flaky).
  it('renders the queue from a stored session on cold loads, and prints how long it took', async () => {
    const session = await logIn(url, accounts.admin);
    await settings({ moderation: { premoderateAll: true } });
    await post(await parley.story('timing'), 'Something for the queue to show.');
    await settings({ moderation: { premoderateAll: false } });
    const runs: number[] = [];
    for (let run = 0; run < 5; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript((stored: string) => {
        sessionStorage.setItem('parley:admin:session', stored);
        new MutationObserver((_, observer) => {
          if (document.querySelector('ol.items [data-comment-id]')) {
            (window as unknown as { rendered: number }).rendered = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      }, JSON.stringify(session));
      const page = await context.newPage();
      await page.goto(`${url}/admin/queues/pending`);
      await page.locator('ol.items [data-comment-id]').first().waitFor();
      runs.push(await page.evaluate(() => (window as unknown as { rendered: number }).rendered));
      await context.close();
    }
    const sorted = [...runs].sort((a, b) => a - b);
    const median = sorted[2]!;
    const sizes = Object.values(ADMIN_ASSETS).map(
      (asset) =>
        `${path.basename(asset.file)} ${(fs.statSync(asset.file).size / 1024).toFixed(1)} KB`,
    );
    console.log(
      `# /admin to the queue rendered: median ${median.toFixed(0)} ms ` +
        `(runs ${runs.map((ms) => ms.toFixed(0)).join(', ')}); ${sizes.join(', ')}`,
    );
    assert.equal(runs.length, 5);
    assert.ok(
      runs.every((ms) => Number.isFinite(ms) && ms > 0),
      'each cold load rendered the queue',
    );
  });

  it('marks the words the classifier reacted to, as text, clipping and ignoring bad spans', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const body =
      'Honestly, you people are idiots and should go back where you came from. ' +
      `Read this first ${hostile}`;
    const span = (text: string, labels: Record<string, number>, from = 0) => {
      const begin = body.indexOf(text, from);
      assert.ok(begin >= 0, text);
      return { begin, end: begin + text.length, labels };
    };
    const people = span('you people', { identity_attack: 0.42, toxicity: 0.3 });
    const highlights = [
      span('idiots', { insult: 0.38, toxicity: 0.21 }),
      people,
      // Inside "you people": already marked, ignored.
      span('people', { identity_attack: 0.2 }),
      span('go back where you came from', { identity_attack: 0.27, threat: 0.04 }),
      span('idiots', { insult: 0.38, toxicity: 0.21 }),
      // Past the end of the text: clipped to it.
      { begin: body.indexOf(hostile), end: body.length + 40, labels: { spam: 0.12 } },
      // Outside the text, reversed, empty, or moving nothing: ignored.
      { begin: -20, end: -3, labels: { toxicity: 0.5 } },
      { begin: body.length + 2, end: body.length + 9, labels: { toxicity: 0.5 } },
      { begin: 30, end: 12, labels: { toxicity: 0.5 } },
      { begin: 5, end: 5, labels: { toxicity: 0.5 } },
      span('Honestly', { toxicity: 0 }),
      span('Read', {}),
    ];
    const story = await parley.story('highlights');
    const user = await insertUser(parley.store.db, {
      email: 'angry.andy@example.com',
      displayName: 'Angry Andy',
      passwordHash: await hashPassword(PASSWORD),
      role: 'commenter',
    });
    assert.ok(user);
    const comment = await insertComment(parley.store.db, {
      siteId: parley.site.id,
      storyId: story,
      parentId: null,
      threadParentId: null,
      depth: 0,
      authorId: user.id,
      body,
      html: renderCommentHtml(body),
      status: 'pending',
      moderation: {
        decidedBy: 'classifier',
        reasons: [{ code: 'CLASSIFIER_HOLD', message: 'Possibly identity_attack, insult.' }],
        scores: {
          toxicity: 0.71,
          severe_toxicity: 0.12,
          identity_attack: 0.83,
          insult: 0.66,
          profanity: 0.04,
          threat: 0.09,
          spam: 0.18,
        },
        tags: ['model:parley-2', 'lang:en'],
        highlights,
      },
    });
    assert.ok(comment);

    const { page, problems } = await open();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, accounts.admin);
    await page.getByRole('heading', { name: /^Pending/, level: 1 }).waitFor();
    const card = page.locator(`ol.items [data-comment-id="${comment.id}"]`);
    await selectWithKeys(page, comment.id);
    const section = card.getByRole('region', { name: 'What the classifier reacted to' });
    await section.waitFor();

    // The marks: around those words, in order, each saying what it raised, once.
    const marks = section.locator('mark');
    const marked = await marks.evaluateAll((elements) =>
      elements.map((mark) => ({
        hidden: mark.querySelector('.vh')?.textContent,
        word: [...mark.childNodes]
          .filter((node) => node.nodeType === Node.TEXT_NODE)
          .map((node) => node.textContent)
          .join(''),
        title: mark.getAttribute('title'),
      })),
    );
    assert.deepEqual(
      marked.map((mark) => mark.word),
      ['you people', 'idiots', 'go back where you came from', hostile],
    );
    assert.ok(marked.every((mark) => mark.hidden === 'flagged: '));
    assert.equal(marked[0]?.title, 'Raised identity attack by 0.42, toxicity by 0.30');
    assert.equal(marked[1]?.title, 'Raised insult by 0.38, toxicity by 0.21');
    // The rest is the text as written, as text.
    const text = section.locator('.highlights-text');
    assert.equal(
      (await text.evaluate((element) => element.textContent))?.replaceAll('flagged: ', ''),
      body,
    );
    assert.match(
      await section.getByRole('list', { name: 'Words that drove the scores' }).innerText(),
      /you people\s+identity attack \+0\.42, toxicity \+0\.30/,
    );
    assert.match(await section.innerText(), /not proof/);

    // The hostile markup is text, inside its mark, and nothing ran.
    assert.equal(await card.locator('img').count(), 0);
    assert.equal(await marks.last().locator('*:not(.vh)').count(), 0);
    assert.deepEqual(dialogs, []);

    // Scores in order with their names; the phase and tags in words.
    assert.deepEqual(await card.locator('.score-name').allInnerTexts(), [
      'Toxicity',
      'Identity attack',
      'Threat',
      'Insult',
      'Severe toxicity',
      'Profanity',
      'Spam',
    ]);
    assert.match(
      await card.locator('[data-verdict]').innerText(),
      /^Held: scored 0\.83 for identity attack, 0\.66 for insult · by the toxicity model$/,
    );
    assert.deepEqual(await card.locator('.tags .tag').allInnerTexts(), [
      'Model parley-2',
      'Language: English',
    ]);

    assert.equal(
      await card.locator('.reasons-found li').innerText(),
      'Classifier Possibly identity attack, insult.',
    );

    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: path.join(screenshots, 'admin-card-highlights.png') });
    // On a phone: the dashboard's three columns do not reflow (the page scrolls sideways), so the
    // card is given a phone's width to see how its findings wrap.
    await page.setViewportSize({ width: 390, height: 844 });
    await card.evaluate((element: HTMLElement) => {
      element.style.width = '374px';
    });
    await card.scrollIntoViewIfNeeded();
    assert.ok(
      await section.evaluate((element) => element.scrollWidth <= element.clientWidth),
      'nothing overflows the highlights at 390 px',
    );
    await card.screenshot({ path: path.join(screenshots, 'admin-card-highlights-390.png') });
    assert.deepEqual(problems, [], 'no errors or CSP violations in the console');
    await page.close();

    // Whatever the stored JSON holds, the pieces are the text, whole, in order.
    const pieces = (value: unknown, text = body) =>
      highlightPieces(text, value as Parameters<typeof highlightPieces>[1]);
    const joined = (value: unknown, text = body) =>
      pieces(value, text)
        .map((piece) => piece.text)
        .join('');
    for (const bad of [
      undefined,
      null,
      'x',
      [null, 1, 'x', {}],
      [{ begin: '0', end: 5, labels: { toxicity: 0.5 } }],
      [{ begin: 0.5, end: 5, labels: { toxicity: 0.5 } }],
      [{ begin: 0, end: 5, labels: { toxicity: Number.NaN, insult: -0.2 } }],
      [{ begin: 0, end: 5, labels: [0.5] }],
      [{ begin: 0, end: 5 }],
    ]) {
      assert.deepEqual(pieces(bad), [{ text: body }], JSON.stringify(bad));
    }
    const overlapping = pieces([
      { begin: 0, end: 8, labels: { toxicity: 0.2 } },
      { begin: 4, end: 14, labels: { insult: 0.3 } },
    ]);
    assert.deepEqual(
      overlapping.map((piece) => [piece.text, piece.drops?.[0]?.[0]]),
      [
        ['Honestly', 'toxicity'],
        [', you ', 'insult'],
        [body.slice(14), undefined],
      ],
    );
    // A surrogate pair is never split.
    const emoji = 'so 😡 angry';
    assert.deepEqual(
      pieces([{ begin: 4, end: 5, labels: { toxicity: 0.2 } }], emoji).map((piece) => piece.text),
      ['so ', '😡', ' angry'],
    );
    assert.equal(joined([{ begin: 3, end: 4, labels: { toxicity: 0.2 } }], emoji), emoji);
    // A long comment is shown around its marks.
    const long = `${'word '.repeat(200)}idiot ${'word '.repeat(200)}`;
    const excerpt = excerptPieces(
      pieces([{ begin: 1000, end: 1005, labels: { insult: 0.5 } }], long),
    );
    assert.equal(excerpt.length, 3);
    assert.equal(excerpt[1]?.text, 'idiot');
    assert.ok(excerpt[0]!.text.startsWith('…') && excerpt[0]!.text.length < 100);
    assert.ok(excerpt[2]!.text.endsWith('…') && excerpt[2]!.text.length < 100);
  });

  it('tells a commenter plainly that they have no access', async () => {
    const { page } = await open();
    await signIn(page, accounts.reader);
    await page.getByRole('heading', { name: 'You do not have access to moderation' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Only moderators and administrators/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('input[name="email"]').waitFor();
    await page.close();
  });
});

async function logIn(url: string, email: string): Promise<{ token: string; user: unknown }> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as { token: string; user: unknown };
}

async function waitForText(
  locator: ReturnType<Page['locator']>,
  text: string,
  timeout = 8000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.textContent())?.trim() ?? '';
    if (last === text) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`expected "${text}", still "${last}" after ${timeout} ms`);
}
