/**
 * Hydration in Chromium: an article page that includes the server-rendered thread (fetched from
 * the real route, GET /api/v1/stories/{id}/rendered, over HTTP) and embed.js. The widget takes the
 * fragment over without moving anything: the cumulative layout shift of the page, and of the
 * shifts attributed to nodes of the comment area, stays under 0.01 across load and hydration,
 * measured with a buffered PerformanceObserver('layout-shift'); it makes no request for the first
 * page; afterwards it is interactive (sort order, sign-in) and live (a comment posted through the
 * API comes). In English and in Arabic (right to left), on a dark page and on one that paints no
 * background (where the widget paints its own), under a publisher's theme (custom properties and
 * ::part rules repeated for the fragment). A signed-in reader's session is restored and
 * their own page asked for (once). A broken JSON payload, a fragment of another story or one whose
 * markup is not the thread's is ignored: the widget loads as usual. A fragment without its
 * stylesheet shows that the measurement can fail (the page's styles reach it, and the swap moves
 * the page).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type SQLite from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkipReason } from '../helpers/browser.ts';
import { startDemo, type Demo } from '../helpers/demo.ts';
import type { ParleyProcess } from '../helpers/process.ts';
import { createReader, signInThroughPopup } from '../helpers/reader.ts';

const skip = browserSkipReason();

const STORY = 'beijing-unity-talks';
/** The comments of the fragment's first page (with their replies). */
const LIMIT = 2;
/**
 * A laptop's window, not scrolled (the browser's scroll anchoring would hide shifts below it),
 * showing the article, the comments and what follows them: the layout shift score is relative to
 * the viewport (a tall one would dilute it), and counts what moves inside it.
 */
const VIEWPORT = { width: 1000, height: 1100 };

/** Typical article styles, which must not reach into the fragment (nor move it). */
const PAGE_CSS = `
  body { margin: 0 auto; max-width: 44em; padding: 1em; font: 19px/1.7 Georgia, serif; background: #fff; }
  p { margin: 0 0 1.5em; }
  article ol, article ul { list-style: decimal; padding-left: 2.5em; margin: 1em 0; }
  article li { margin: .6em 0; }
  article li::before { content: '» '; }
  a { color: #c00; text-decoration: underline wavy; }
  h2 { font-size: 2.6em; margin: 1.2em 0 .4em; text-transform: uppercase; }
  header { border-bottom: 4px double #333; padding: .5em 0; }
  button { padding: 1em 2em; font-size: 1.2em; border-radius: 1em; }
  img, span { vertical-align: middle; }
  time { font-weight: bold; }
  section { margin: 2em 0; }
`;

/**
 * Before anything else in the page (a string: the test's compiled functions may call helpers that
 * the page lacks): records every layout shift (buffered) with whether any of
 * its sources is in the comment area (the container, the fragment in it, or the widget's shadow
 * tree), and marks when the widget shows itself.
 */
const OBSERVE_SHIFTS = `(() => {
  const record = { total: 0, area: 0, entries: [] };
  window.__shifts = record;
  function inArea(node) {
    const container = document.getElementById('parley-comments');
    for (let at = node; at; ) {
      if (at === container) return true;
      const root = at.getRootNode();
      at = at.parentNode || (root instanceof ShadowRoot ? root.host : null);
    }
    return false;
  }
  function describe(node) {
    return node instanceof Element
      ? node.tagName.toLowerCase() + '.' + node.className
      : String(node && node.nodeName);
  }
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      record.total += entry.value;
      if (entry.sources.some((source) => inArea(source.node))) record.area += entry.value;
      record.entries.push({ value: entry.value, nodes: entry.sources.map((s) => describe(s.node)) });
    }
  }).observe({ type: 'layout-shift', buffered: true });
  // The widget removes the fragment's markup once it shows itself; it is kept here to compare.
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.removedNodes) {
        if (node.classList && node.classList.contains('theme')) window.__fragmentTheme = node;
      }
    }
  }).observe(document, { childList: true, subtree: true });
})();`;

/** The fragment's theme element: in the page, or as the widget removed it. */
const FRAGMENT_THEME = `(document.querySelector('.parley-rendered .theme') || window.__fragmentTheme)`;

/**
 * The fragment's tree and the widget's, each as a list of its elements (tag, classes) and texts,
 * in document order: what decides their layout. The comment's time has the same text in both;
 * attributes that name things (ids, links, titles) are left out.
 */
const SKELETONS = `(() => {
  const container = document.getElementById('parley-comments');
  function walk(node, out) {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) {
        if (child.data.trim()) out.push('"' + child.data + '"');
      } else if (child.nodeType === 1) {
        const tag = child.tagName.toLowerCase();
        // The fragment's "more comments" is a link (it works with no script), the widget's a button.
        const name = tag === 'a' && child.classList.contains('more') ? 'button' : tag;
        out.push('<' + name + '.' + [...child.classList].join('.') + '>');
        walk(child, out);
        out.push('</' + name + '>');
      }
    }
    return out;
  }
  const fragment = ${FRAGMENT_THEME};
  const widget = container.shadowRoot.querySelector('[part=widget]');
  return [walk(fragment, []), walk(widget, [])];
})()`;

interface Shifts {
  total: number;
  area: number;
  entries: { value: number; nodes: string[] }[];
}

describe('the widget takes over a server-rendered thread', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let storyId: string;
  let db: SQLite.Database;
  let demo: Demo;

  before(async () => {
    demo = await startDemo('hydration', {
      PARLEY_THREAD_CACHE_TTL_MS: undefined,
      PARLEY_SESSION_CACHE_MS: undefined,
    });
    ({ parley, db, browser } = demo);
    storyId = (await resolve(STORY)).id;
  });
  after(() => demo?.close());

  async function resolve(externalId: string): Promise<{ id: string; siteId: string }> {
    const response = await fetch(`${parley.url}/api/v1/stories/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: parley.url },
      body: JSON.stringify({ url: `${parley.url}/${externalId}`, storyId: externalId }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { story: { id: string; siteId: string } }).story;
  }

  /**
   * The story's fragment from Parley's route. Its first page is of LIMIT comments: with what
   * follows the comments inside the viewport, a change of the thread's height shows as a shift.
   */
  async function fragment(id: string, lang: string, query = ''): Promise<string> {
    const response = await fetch(
      `${parley.url}/api/v1/stories/${id}/rendered?lang=${lang}&limit=${LIMIT}${query}`,
    );
    const html = await response.text();
    assert.equal(response.status, 200, html);
    assert.match(html, /data-parley-rendered/);
    assert.match(html, /<script type="application\/json" data-parley-page>/);
    return html;
  }

  /**
   * Opens an article at `${parley.url}/articles/<name>` (served by the test: the same origin as
   * Parley, like the demo, so that the demo site's story resolves) with `fragment` in the
   * widget's container; returns the page and the paths of the API requests it makes.
   */
  async function openArticle(
    name: string,
    lang: 'en' | 'ar',
    inside: string,
    extraCss = '',
    context?: BrowserContext,
    containerAttributes = '',
  ): Promise<{ page: Page; requests: string[]; afterTop: number }> {
    const page = context ? await context.newPage() : await browser.newPage({ viewport: VIEWPORT });
    const requests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) requests.push(`${url.pathname}${url.search}`);
    });
    await page.addInitScript(OBSERVE_SHIFTS);
    const dir = lang === 'ar' ? 'rtl' : 'ltr';
    const html = `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8">
      <title>Article</title><link rel="canonical" href="${parley.url}/${STORY}"><style>${PAGE_CSS}${extraCss}</style></head>
      <body><article><h1>An article</h1><p>${'The article’s text. '.repeat(8)}</p>
      <div id="parley-comments" data-story-id="${STORY}"${containerAttributes}>${inside}</div>
      <p id="after">What follows the comments.</p></article>
      <script src="${parley.url}/embed.js" async></script></body></html>`;
    await page.route(`${parley.url}/articles/${name}`, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }),
    );
    // embed.js waits until the page has painted (as on a real network, where the script comes
    // after the HTML): shifts before the first paint would not count.
    let painted!: () => void;
    const gate = new Promise<void>((resolve) => (painted = resolve));
    await page.route(`${parley.url}/embed.js`, async (route) => {
      await gate;
      await route.continue();
    });
    await page.goto(`${parley.url}/articles/${name}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length);
    // Where what follows the comments is before the widget comes.
    await nextFrames(page);
    const afterTop = await followingTop(page);
    painted();
    return { page, requests, afterTop };
  }

  /** Waits until the widget's own thread is shown (its shadow root has no <slot> left). */
  async function widgetShown(page: Page): Promise<void> {
    await page.waitForFunction(() => {
      const root = document.getElementById('parley-comments')?.shadowRoot;
      return !!root && !root.querySelector('slot') && !!root.querySelector('[data-comment-id]');
    });
    // The features module, which every reader loads after the first paint, fills its slots
    // (views, ignore...) without moving anything either.
    await page.waitForFunction(() =>
      performance.getEntriesByType('resource').some((entry) => entry.name.includes('/notify/')),
    );
    // Layout shifts are reported for frames: let more frames be drawn.
    await nextFrames(page);
    await nextFrames(page);
  }

  /** Where what follows the comments is, in the page. */
  const followingTop = (page: Page) =>
    page.locator('#after').evaluate((p) => p.getBoundingClientRect().top + window.scrollY);

  const nextFrames = (page: Page) =>
    page.evaluate(
      () =>
        new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(0)))),
    );

  /** The widget's comments (in its shadow root; the fragment's are no longer shown). */
  const widgetTopLevel = (page: Page) =>
    page.evaluate(
      () =>
        document.getElementById('parley-comments')!.shadowRoot!.querySelectorAll('ol.thread > li')
          .length,
    );

  /** The classes of the fragment's theme element and of the widget's, in that order. */
  const themeClasses = (page: Page) =>
    page.evaluate(`[
      ${FRAGMENT_THEME}.className,
      document.getElementById('parley-comments').shadowRoot.querySelector('[part=widget]').className,
    ]`) as Promise<[string, string]>;

  const shifts = (page: Page) =>
    page.evaluate(() => (window as unknown as { __shifts: Shifts }).__shifts);

  const firstPageRequests = (requests: string[]) =>
    requests.filter((request) => request.startsWith(`/api/v1/stories/${storyId}/comments`));

  for (const lang of ['en', 'ar'] as const) {
    it(`hydrates without layout shift and without loading the first page (${lang})`, async () => {
      const html = await fragment(storyId, lang);
      const { page, requests, afterTop } = await openArticle(`hydrate-${lang}`, lang, html);
      try {
        await widgetShown(page);
        const measured = await shifts(page);
        console.log(
          `hydration CLS (${lang}): page ${measured.total}, comment area ${measured.area}`,
        );
        assert.ok(measured.total < 0.01, `page CLS ${JSON.stringify(measured)}`);
        assert.ok(measured.area < 0.01, `comment area CLS ${JSON.stringify(measured)}`);
        assert.deepEqual(firstPageRequests(requests), [], 'the first page came with the fragment');
        assert.deepEqual(
          requests.filter((request) => request.startsWith('/api/v1/stories/resolve')),
          [],
          'the story came with the fragment',
        );

        // The widget's heading, in the page's language, is the fragment's.
        const headings = (await page.evaluate(`(() => {
          const shadow = document.getElementById('parley-comments').shadowRoot;
          return [
            ${FRAGMENT_THEME}.querySelector('h2').textContent,
            shadow.querySelector('h2').textContent,
            shadow.querySelector('.parley').getAttribute('dir'),
          ];
        })()`)) as [string, string, string];
        assert.equal(headings[0], headings[1]);
        // Element for element, class for class and word for word, the fragment is the widget.
        const [fragmentTree, widgetTree] = (await page.evaluate(SKELETONS)) as [string[], string[]];
        assert.deepEqual(fragmentTree, widgetTree);
        assert.equal(headings[2], lang === 'ar' ? 'rtl' : 'ltr');
        // The fragment is no longer shown; the widget's thread is. Its markup has left the page
        // (its ids would take the comments' anchors); its structured data stays.
        assert.equal(await page.locator('.parley-rendered').isVisible(), false);
        assert.equal(await page.locator('.parley-rendered [id^="parley-comment-"]').count(), 0);
        assert.equal(
          await page.locator('.parley-rendered script[type="application/ld+json"]').count(),
          1,
        );
        assert.equal(await widgetTopLevel(page), LIMIT);
        // What follows the comments is in view, where a change of the thread's height shows.
        assert.ok(await page.locator('#after').isVisible());
        const bottom = await page
          .locator('#after')
          .evaluate((p) => p.getBoundingClientRect().bottom);
        assert.ok(bottom < VIEWPORT.height, `what follows the comments ends at ${bottom}px`);
        // ... where it was with the fragment alone.
        assert.equal(await followingTop(page), afterTop);
      } finally {
        await page.close();
      }
    });
  }

  it('takes the theme the widget will have (a dark page) and still keeps still', async () => {
    const { page, afterTop } = await openArticle(
      'dark',
      'en',
      await fragment(storyId, 'en'),
      'body { background: #121212; color: #eee; }',
    );
    try {
      await widgetShown(page);
      const classes = await themeClasses(page);
      assert.deepEqual(classes, ['theme dark', 'theme dark']);
      const measured = await shifts(page);
      console.log(`hydration CLS (dark page): page ${measured.total}`);
      assert.ok(measured.total < 0.01, JSON.stringify(measured));
      assert.equal(await followingTop(page), afterTop);
    } finally {
      await page.close();
    }
  });

  it('paints its own background where the page paints none, as the widget will', async () => {
    const { page } = await openArticle(
      'painted',
      'en',
      await fragment(storyId, 'en'),
      'body { background: none; }',
    );
    try {
      await widgetShown(page);
      const classes = await themeClasses(page);
      assert.deepEqual(classes, ['theme light painted', 'theme light painted']);
      const measured = await shifts(page);
      console.log(`hydration CLS (page with no background): page ${measured.total}`);
      // The fragment takes the widget's padding when the widget's script decides it (the server
      // cannot see the page behind): a small shift, under the bound still.
      assert.ok(measured.total < 0.01, JSON.stringify(measured));
    } finally {
      await page.close();
    }
  });

  it('keeps still under a publisher’s part theme repeated for the fragment (docs/theming.md)', async () => {
    const theme = `
      #parley-comments { --parley-spacing: 1.3em; --parley-serif: 'DejaVu Sans', sans-serif; }
      #parley-comments::part(comment-body) { font-size: 1.25em; }
      #parley-comments .parley-rendered .parley [part~='comment-body'] { font-size: 1.25em; }
      #parley-comments::part(author) { letter-spacing: 0.2em; }
      #parley-comments .parley-rendered .parley [part~='author'] { letter-spacing: 0.2em; }`;
    const { page, afterTop } = await openArticle(
      'themed',
      'en',
      await fragment(storyId, 'en'),
      theme,
    );
    try {
      await widgetShown(page);
      const measured = await shifts(page);
      console.log(`hydration CLS (a publisher's theme): page ${measured.total}`);
      assert.ok(measured.total < 0.01, JSON.stringify(measured));
      assert.equal(await followingTop(page), afterTop);
    } finally {
      await page.close();
    }
  });

  it('is interactive and live once it has taken over', async () => {
    const { page, requests } = await openArticle(
      'interactive',
      'en',
      await fragment(storyId, 'en'),
    );
    try {
      await widgetShown(page);
      // Live: a comment posted through the API reaches the widget (behind "1 new comment").
      const token = await adminToken();
      const stamp = `Posted after hydration ${Date.now().toString(36)}`;
      const posted = await fetch(`${parley.url}/api/v1/stories/${storyId}/comments`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          origin: parley.url,
        },
        body: JSON.stringify({ body: stamp }),
      });
      assert.equal(posted.status, 201, await posted.clone().text());
      await page.getByRole('button', { name: '1 new comment' }).click();
      await page.locator('#parley-comments [data-comment-id]').filter({ hasText: stamp }).waitFor();

      // The sort order responds (a request for that order, and the list follows it).
      await page
        .locator('#parley-comments')
        .getByRole('combobox', { name: 'Sort by' })
        .selectOption('oldest');
      await page.waitForFunction(
        () =>
          document.getElementById('parley-comments')!.shadowRoot!.querySelector('select')!.value ===
            'oldest' &&
          !document.getElementById('parley-comments')!.shadowRoot!.querySelector('[aria-busy]'),
      );
      assert.equal(
        requests.filter((request) => /\/comments\?sort=oldest/.test(request)).length,
        1,
        requests.join('\n'),
      );
      assert.ok(
        (await page.locator('#parley-comments [data-comment-id]').first().innerText()).length > 0,
      );
      // Sign in opens Parley's sign-in window.
      const popup = page.waitForEvent('popup');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const window = await popup;
      assert.match(window.url(), new RegExp(`^${parley.url}/`));
      await window.close();
    } finally {
      await page.close();
    }
  });

  it('restores a signed-in reader’s session and gives them their own page', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      // Signed in on the demo's page, on the same origin: the session is in the browser's storage.
      const demo = await context.newPage();
      await demo.goto(`${parley.url}/`);
      await signInThroughPopup(demo, await createReader(parley.url, db, 'Hana Reader'));
      await demo.close();

      const html = await fragment(storyId, 'en');
      const { page, requests } = await openArticle('signed-in', 'en', html, '', context);
      await widgetShown(page);
      await page.locator('#parley-comments form.composer').waitFor();
      const account = await page.evaluate(
        () =>
          document.getElementById('parley-comments')!.shadowRoot!.querySelector('.account')!
            .textContent,
      );
      assert.match(String(account), /Signed in as\s*Hana Reader/);
      // The anonymous page came with the fragment; the reader's own (their flags) was asked once.
      assert.equal(firstPageRequests(requests).length, 1, requests.join('\n'));
    } finally {
      await context.close();
    }
  });

  it('loads as usual when the fragment’s JSON is broken', async () => {
    const html = (await fragment(storyId, 'en')).replace(
      /(<script type="application\/json" data-parley-page>)[^<]*/,
      '$1{"story": {"id": ',
    );
    const { page, requests } = await openArticle('broken', 'en', html);
    try {
      await widgetShown(page);
      assert.equal(firstPageRequests(requests).length, 1, requests.join('\n'));
      assert.ok((await widgetTopLevel(page)) > LIMIT);
      // For comparison (no bound: the usual load is not asked to keep still).
      console.log(`CLS of a usual load over the fragment: page ${(await shifts(page)).total}`);
    } finally {
      await page.close();
    }
  });

  it('loads as usual when the fragment’s markup is not the thread’s', async () => {
    const html = (await fragment(storyId, 'en')).replace(/class="theme light"/, 'class="other"');
    const { page, requests } = await openArticle('no-theme', 'en', html);
    try {
      await widgetShown(page);
      assert.equal(firstPageRequests(requests).length, 1, requests.join('\n'));
    } finally {
      await page.close();
    }
  });

  it('measures the shift when the fragment does not match (its stylesheet left out)', async () => {
    // The page's own styles then reach the fragment (bigger headings, list markers, margins):
    // taken over, it gives way to the widget's thread, of another height.
    const html = (await fragment(storyId, 'en')).replace(/<link rel="stylesheet"[^>]*>/, '');
    const { page, requests, afterTop } = await openArticle('unstyled', 'en', html);
    try {
      await widgetShown(page);
      assert.deepEqual(firstPageRequests(requests), []);
      assert.notEqual(await followingTop(page), afterTop);
      const measured = await shifts(page);
      console.log(`CLS without the fragment's stylesheet: page ${measured.total}`);
      assert.ok(measured.total > 0.01, `the swap moved the page: ${JSON.stringify(measured)}`);
    } finally {
      await page.close();
    }
  });

  it('ignores a fragment of another story', async () => {
    const other = await resolve('another-story');
    const html = await fragment(other.id, 'en');
    const { page, requests } = await openArticle('other', 'en', html);
    try {
      await widgetShown(page);
      assert.equal(firstPageRequests(requests).length, 1, requests.join('\n'));
      // The widget shows its own story's comments (the other story has none).
      assert.ok((await widgetTopLevel(page)) > LIMIT);
    } finally {
      await page.close();
    }
  });

  it('keeps the fragment’s order when the page names none (a fragment asked ?sort=oldest)', async () => {
    const html = await fragment(storyId, 'en', '&sort=oldest');
    assert.match(html, /data-sort="oldest"/);
    // The container has no data-sort: the fragment's order is taken, not the site's default.
    const { page, requests } = await openArticle('oldest', 'en', html);
    try {
      await widgetShown(page);
      assert.deepEqual(firstPageRequests(requests), []);
      const widget = page.locator('#parley-comments');
      assert.equal(await widget.getByRole('combobox', { name: 'Sort by' }).inputValue(), 'oldest');
      const shown = await widgetTopLevel(page);
      assert.equal(shown, LIMIT);
      // Load more asks for the next page in that order, with the fragment's cursor, and gets it.
      const more = page.waitForResponse((response) => /\/comments\?.*cursor=/.test(response.url()));
      await widget.getByRole('button', { name: 'Load more comments' }).click();
      const answer = await more;
      assert.equal(answer.status(), 200, await answer.text());
      assert.match(answer.url(), /[?&]sort=oldest(&|$)/);
      await page.waitForFunction(
        (before) =>
          document.getElementById('parley-comments')!.shadowRoot!.querySelectorAll('ol.thread > li')
            .length > before,
        shown,
      );
    } finally {
      await page.close();
    }
  });

  it('ignores a fragment of a story on another site than the page’s', async () => {
    const html = await fragment(storyId, 'en');
    const { page, requests } = await openArticle(
      'other-site',
      'en',
      html,
      '',
      undefined,
      ' data-site-id="site_not_this_one"',
    );
    try {
      // The widget looks the story up itself (the fragment's story is not on the page's site),
      // where a fragment it takes over needs no request for it.
      await page.waitForFunction(() =>
        performance
          .getEntriesByType('resource')
          .some((entry) => entry.name.includes('/api/v1/stories/resolve')),
      );
      assert.ok(
        requests.some((request) => request.startsWith('/api/v1/stories/resolve')),
        requests.join('\n'),
      );
    } finally {
      await page.close();
    }
  });

  async function adminToken(): Promise<string> {
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
});
