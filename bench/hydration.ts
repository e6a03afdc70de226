/**
 * The widget's time to interactive in Chromium, with and without the server-rendered fragment in
 * its container (`npm run bench -- --only hydration`). Parley runs with its demo (a story with a
 * discussion of some twenty threads); an article page (served by the bench, on Parley's origin
 * like the demo's) holds the container, empty or with the fragment of the story's first page
 * fetched from GET /api/v1/stories/{id}/rendered, and embed.js. Each run opens the page in a fresh
 * browser context (nothing cached) and notes, from a check run every frame in the page
 * (performance.now(), from the start of navigation):
 *
 * - comments shown: the first frame that shows a comment (the fragment's, or the widget's);
 * - interactive: the first frame that shows the widget's own thread with its sort select (the
 *   widget's handlers are attached as it renders); the bench then changes the order and checks
 *   that the list follows, so a run counts only when the widget did respond;
 * - the API requests made until then.
 *
 * Over loopback, and with the network throttled through the DevTools protocol (a slower link,
 * where the first page's request costs more). Medians of --runs runs (at least 9), the cases taking
 * turns.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.ts';
import { startParley } from '../test/helpers/process.ts';

const STORY = 'beijing-unity-talks';

export interface HydrationRow {
  readonly network: string;
  readonly fragment: boolean;
  readonly commentsShownMs: number;
  readonly interactiveMs: number;
  readonly apiRequests: number;
  readonly runs: readonly number[];
}

export interface HydrationResult {
  readonly rows: readonly HydrationRow[];
  readonly runs: number;
}

/** A link like a good mobile one: 40 ms each way, 10 Mbit/s down, 5 up. */
const THROTTLED = {
  offline: false,
  latency: 80,
  downloadThroughput: (10 * 1024 * 1024) / 8,
  uploadThroughput: (5 * 1024 * 1024) / 8,
};

/** Notes, every frame, when a comment first shows and when the widget's thread is there. */
const WATCH = `(() => {
  const marks = { shown: 0, interactive: 0 };
  window.__marks = marks;
  function check() {
    const container = document.getElementById('parley-comments');
    const root = container && container.shadowRoot;
    const widget = root && !root.querySelector('slot') && root.querySelector('[data-comment-id]');
    const fragment = container && !root && container.querySelector('.parley-rendered [data-comment-id]');
    if (!marks.shown && (widget || (fragment && fragment.getClientRects().length))) {
      marks.shown = performance.now();
    }
    if (widget && root.querySelector('select[name=sort]')) marks.interactive = performance.now();
    else requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();`;

export async function benchHydration(options: {
  runs: number;
  log: (line: string) => void;
}): Promise<HydrationResult> {
  const runs = Math.max(9, options.runs);
  const parley = await startParley({ demo: true, env: { PARLEY_CLASSIFIER: '0' } });
  const browser = await launchChromium();
  try {
    const resolved = await fetch(`${parley.url}/api/v1/stories/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: parley.url },
      body: JSON.stringify({ url: `${parley.url}/${STORY}`, storyId: STORY }),
    });
    const { story } = (await resolved.json()) as { story: { id: string } };
    const fragmentResponse = await fetch(`${parley.url}/api/v1/stories/${story.id}/rendered`);
    if (fragmentResponse.status !== 200) {
      throw new Error(`the fragment route answered ${fragmentResponse.status}`);
    }
    const fragment = await fragmentResponse.text();
    const article = (inside: string) => `<!doctype html><html lang="en"><head>
      <meta charset="utf-8"><title>Article</title>
      <link rel="canonical" href="${parley.url}/${STORY}"></head>
      <body><h1>An article</h1><p>${'The article’s text. '.repeat(20)}</p>
      <div id="parley-comments" data-story-id="${STORY}">${inside}</div>
      <script src="${parley.url}/embed.js" async></script></body></html>`;

    const cases = (['loopback', 'throttled'] as const).flatMap((network) =>
      [false, true].map((withFragment) => ({
        network,
        withFragment,
        html: article(withFragment ? fragment : ''),
        measured: [] as { shown: number; interactive: number; requests: number }[],
      })),
    );
    // The cases in turn, run after run, so that a busy moment of the machine falls on all alike.
    for (let run = 0; run < runs; run++) {
      for (const { network, html, measured } of cases) {
        measured.push(await measure(browser, parley.url, html, network === 'throttled'));
      }
    }
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] as number;
    };
    const rows: HydrationRow[] = [];
    {
      for (const { network, withFragment, measured } of cases) {
        const row: HydrationRow = {
          network,
          fragment: withFragment,
          commentsShownMs: median(measured.map((m) => m.shown)),
          interactiveMs: median(measured.map((m) => m.interactive)),
          apiRequests: median(measured.map((m) => m.requests)),
          runs: measured.map((m) => Math.round(m.interactive)),
        };
        options.log(
          `[hydration] ${network}, ${withFragment ? 'with' : 'without'} the fragment: comments shown ` +
            `${row.commentsShownMs.toFixed(0)} ms, interactive ${row.interactiveMs.toFixed(0)} ms`,
        );
        rows.push(row);
      }
    }
    return { rows, runs };
  } finally {
    await browser.close();
    await parley.stop();
  }
}

async function measure(
  browser: Browser,
  origin: string,
  html: string,
  throttled: boolean,
): Promise<{ shown: number; interactive: number; requests: number }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1100 } });
  try {
    const page = await context.newPage();
    if (throttled) {
      const session = await context.newCDPSession(page);
      await session.send('Network.enable');
      await session.send('Network.emulateNetworkConditions', THROTTLED);
    }
    const requests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) requests.push(request.url());
    });
    await page.addInitScript(WATCH);
    await page.route(`${origin}/articles/bench`, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }),
    );
    await page.goto(`${origin}/articles/bench`, { waitUntil: 'commit' });
    await page.waitForFunction(
      () => (window as unknown as { __marks: { interactive: number } }).__marks.interactive > 0,
    );
    const marks = await page.evaluate(
      () => (window as unknown as { __marks: { shown: number; interactive: number } }).__marks,
    );
    const before = requests.length;
    await respondsToSort(page);
    return { ...marks, requests: before };
  } finally {
    await context.close();
  }
}

/** Changes the order and waits for the widget to show the list in it. */
async function respondsToSort(page: Page): Promise<void> {
  await page
    .locator('#parley-comments')
    .getByRole('combobox', { name: 'Sort by' })
    .selectOption('oldest');
  await page.waitForFunction(() => {
    const root = document.getElementById('parley-comments')!.shadowRoot!;
    return (
      root.querySelector<HTMLSelectElement>('select[name=sort]')!.value === 'oldest' &&
      !root.querySelector('[aria-busy]')
    );
  });
}

export function hydrationSection(result: HydrationResult, measured: string): string {
  const line = (row: HydrationRow) =>
    `| ${row.network} | ${row.fragment ? 'with the fragment' : 'without'} | ${row.commentsShownMs.toFixed(0)} | ${row.interactiveMs.toFixed(0)} | ${row.apiRequests} | ${row.runs.join(', ')} |`;
  return `## The widget's time to interactive, with and without the server-rendered fragment

${measured}

Chromium opens an article page of the demo's story (twenty-odd threads) whose widget container is
empty, or holds the fragment of the story's first page (\`GET /api/v1/stories/{id}/rendered\`), which
the widget takes over (web/embed/src/state/hydrate.ts). Each of ${result.runs} runs per row uses a
fresh browser context (nothing cached); times are \`performance.now()\` from the start of navigation,
of the first frame showing a comment, and of the first frame showing the widget's own thread with its
sort select (after which the bench changes the order and waits for the list to follow). "Throttled":
80 ms of latency, 10 Mbit/s down, through the DevTools protocol. Medians; bench/hydration.ts.

| network | container | comments shown, ms | interactive, ms | API requests until interactive | interactive, ms, each run |
|---|---|---:|---:|---:|---|
${result.rows.map(line).join('\n')}

${summary(result.rows)}
`;
}

/** What the rows say, network by network: how much sooner comments show, and interactivity. */
function summary(rows: readonly HydrationRow[]): string {
  const lines = ['loopback', 'throttled'].map((network) => {
    const without = rows.find((row) => row.network === network && !row.fragment);
    const withFragment = rows.find((row) => row.network === network && row.fragment);
    if (!without || !withFragment) return '';
    const sooner = without.commentsShownMs - withFragment.commentsShownMs;
    const interactive = without.interactiveMs - withFragment.interactiveMs;
    return (
      `- ${network}: with the fragment, comments show ${sooner.toFixed(0)} ms sooner (in the ` +
      `page's own first paints) and the widget is interactive ${Math.abs(interactive).toFixed(0)} ms ` +
      `${interactive >= 0 ? 'sooner' : 'later'}, without the requests for the story and its first ` +
      'page (it still loads embed.js, and the page is heavier by the fragment).'
    );
  });
  return [
    ...lines.filter(Boolean),
    '',
    'The runs spread widely on a machine of two cores shared with other work; the medians are the figures.',
  ].join('\n');
}
