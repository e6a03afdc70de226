/**
 * The widget's themes in Chromium, on the demo newsroom served by the real `parley` process: the
 * demo page is rewritten on its way to the browser (page.route) to carry data-theme or data-font
 * on its container, another language, a dark page of its own (the newsroom's colours turned
 * dark, as a publisher's dark mode would) or a publisher's theme of custom properties and ::part()
 * rules. Checked: the contrast of every visible text (4.5:1, 3:1 when large) and focus indicator
 * (3:1) in the light, dark and auto-on-a-dark-page themes, in English and Arabic, signed out and
 * signed in with the tabs, badges, notices, forms and the notification list showing; that
 * data-theme forces a theme and "auto" follows the page and the reader's preference;
 * data-font="inherit"; custom properties reaching text boxes and menus; ::part() rules from the
 * page. Screenshots of the demo in the light, dark and newspaper themes are written to artefacts/
 * (PARLEY_THEME_SCREENSHOTS=docs/img writes those of docs/theming.md).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type SQLite from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkipReason } from '../helpers/browser.ts';
import { startDemo, type Demo } from '../helpers/demo.ts';
import { auditContrast, type ContrastReport } from '../helpers/contrast.ts';
import type { ParleyProcess } from '../helpers/process.ts';
import { createReader, signInThroughPopup } from '../helpers/reader.ts';

const skip = browserSkipReason();
const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.resolve(ROOT, process.env.PARLEY_THEME_SCREENSHOTS || 'artefacts');

/** The demo newsroom's own colours turned dark: a publisher's dark page. */
const DARK_PAGE = `:root {
  --ink: #e8e6e1; --ink-soft: #c9c5bd; --ink-faint: #a9a49b; --paper: #121314;
  --rule: #3a3a3a; --rule-strong: #e8e6e1; --accent: #ff8f8f; --accent-soft: #3a2222;
  --banner-bg: #1d2733; --banner-ink: #cfe0f2; --focus: #8ab4f8; color-scheme: dark;
}
.tags a, .related-note, .byline-avatar { background: #1d1e20; }`;

/** A publisher's theme: the one docs/theming.md shows (keep them in step). */
const NEWSPAPER_THEME = `#parley-comments {
  --parley-accent: #0b4f6c;
  --parley-accent-soft: #e3eef3;
  --parley-text: #20201d;
  --parley-muted: #57554f;
  --parley-soft: #f3efe4;
  --parley-line: #cfc6b0;
  --parley-field: #8a8270;
  --parley-field-background: #fffdf7;
  --parley-sans: 'Helvetica Neue', Arial, sans-serif;
  --parley-serif: Georgia, 'Times New Roman', serif;
  --parley-radius: 0;
  --parley-spacing: 1.15em;
}
#parley-comments::part(heading) {
  border-top-width: 6px;
  font-variant: small-caps;
}
#parley-comments::part(author) {
  color: #0b4f6c;
  font-variant: small-caps;
  letter-spacing: 0.03em;
}
#parley-comments::part(comment-body) {
  font-size: 1.125em;
}
#parley-comments::part(button primary) {
  text-transform: uppercase;
  letter-spacing: 0.06em;
}`;

interface PageOptions {
  /** Attributes added to the widget's container, e.g. { 'data-theme': 'dark' }. */
  readonly attributes?: Record<string, string>;
  /** A stylesheet added to the page. */
  readonly css?: string;
  readonly lang?: 'en' | 'ar';
}

/**
 * Pages opened by a test, closed after it: each holds a live stream, and Chromium opens no more
 * than six connections to a host.
 */
const opened: Page[] = [];

/** Opens the demo article, rewritten as `options` say, and waits for its comments. */
async function openDemo(context: BrowserContext, url: string, options: PageOptions = {}) {
  const page = await context.newPage();
  opened.push(page);
  // tsx names functions with a helper that pages lack (auditContrast runs in the page).
  await page.addInitScript('globalThis.__name = (fn) => fn');
  await page.route(url, async (route) => {
    const response = await route.fetch();
    let html = await response.text();
    const attributes = Object.entries(options.attributes ?? {})
      .map(([name, value]) => ` ${name}="${value}"`)
      .join('');
    html = html.replace('<div id="parley-comments"', `<div id="parley-comments"${attributes}`);
    if (options.css) html = html.replace('</head>', `<style>${options.css}</style></head>`);
    if (options.lang === 'ar')
      html = html.replace('<html lang="en">', '<html lang="ar" dir="rtl">');
    // A publisher's page, with its own styles: without Parley's own pages' policy.
    const headers = { ...response.headers() };
    delete headers['content-security-policy'];
    await route.fulfill({ response, headers, body: html });
  });
  await page.goto(url);
  await page.locator('[data-comment-id]').first().waitFor();
  return page;
}

/** The theme the widget chose: the class of the element holding it in its shadow root. */
function themeOf(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      document.querySelector('#parley-comments')?.shadowRoot?.querySelector('.theme')?.className ??
      '',
  );
}

function widgetStyle(page: Page, selector: string, property: string): Promise<string> {
  return page.evaluate(
    ([selector, property]) => {
      const element = document
        .querySelector('#parley-comments')
        ?.shadowRoot?.querySelector(selector!);
      if (!element) throw new Error(`no ${selector} in the widget`);
      return getComputedStyle(element).getPropertyValue(property!);
    },
    [selector, property],
  );
}

function failureList(report: ContrastReport): string {
  return report.failures
    .map(
      (f) =>
        `${f.element} "${f.text}": ${f.foreground} on ${f.background} = ${f.ratio} < ${f.required}`,
    )
    .join('\n');
}

describe('widget themes in Chromium', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let db: SQLite.Database;
  let signedIn: BrowserContext;
  let demo: Demo;

  before(async () => {
    demo = await startDemo('theming');
    ({ parley, db, browser } = demo);
    // What a reader can see: a featured comment (the tabs), the staff badge (seeded), and a
    // signed-in reader's own comments awaiting review and removed with a reason.
    db.prepare(
      `update comments set featured = 1 where id = (
         select c.id from comments c join stories s on s.id = c.story_id
         where s.external_id = 'beijing-unity-talks' and c.thread_parent_id is null
           and c.status = 'approved' order by c.id limit 1)`,
    ).run();
    signedIn = await browser.newContext();
    const page = await signedIn.newPage();
    await page.goto(`${parley.url}/`);
    await signInThroughPopup(page, await createReader(parley.url, db, 'Mariam'));
    for (const text of ['First thoughts from Mariam', 'A harsher word from Mariam']) {
      const form = page.locator('form.composer');
      await form.locator('textarea').fill(text);
      await form.locator('button[type="submit"]').click();
      await page.locator('[data-comment-id]').filter({ hasText: text }).first().waitFor();
    }
    db.prepare(
      `update comments set status = 'pending' where body = 'First thoughts from Mariam'`,
    ).run();
    db.prepare(
      `update comments set status = 'rejected', rejection_code = 'HATE',
         rejection_note = 'Argue with the idea, not the person.'
       where body = 'A harsher word from Mariam'`,
    ).run();
    await page.close();
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((page) => page.close()));
  });
  after(async () => {
    await signedIn?.close();
    await demo?.close();
  });

  const THEMES: Record<string, PageOptions> = {
    light: { attributes: { 'data-theme': 'light' } },
    dark: { attributes: { 'data-theme': 'dark' } },
    'auto on a dark page': { css: DARK_PAGE },
    'newspaper (docs/theming.md)': { css: NEWSPAPER_THEME },
  };

  for (const [theme, options] of Object.entries(THEMES)) {
    for (const lang of ['en', 'ar'] as const) {
      it(`reads at 4.5:1 (3:1 large text, focus) in the ${theme} theme, ${lang}, signed in`, async () => {
        const page = await openDemo(signedIn, `${parley.url}/`, { ...options, lang });
        const widget = page.locator('#parley-comments');
        await widget.locator('form.composer').waitFor();
        // Everything at once: the tabs, a draft, the badges and reasons of the reader's own
        // comments, a report form, the notification list.
        await widget.locator('[role="tab"]').first().waitFor();
        await widget.locator('form.composer textarea').fill('A draft, typed in the box ١٢٣');
        await widget.locator('.badge.pending').first().waitFor();
        await widget.locator('.badge.rejected').first().waitFor();
        await widget.locator('[data-action="report"]').first().click();
        await widget.locator('form.panel input[type="radio"]').first().waitFor();
        await widget.locator('.bell').click();
        await widget.locator('.inbox').waitFor();
        await page.keyboard.press('Tab');
        const report = await page.evaluate(auditContrast, '#parley-comments');
        assert.ok(report.checked > 60, `only ${report.checked} texts measured`);
        assert.ok(report.focusChecked > 20, `only ${report.focusChecked} focus rings measured`);
        assert.equal(report.failures.length, 0, failureList(report));
        await page.close();
      });
    }
    it(`reads at 4.5:1 in the ${theme} theme, signed out`, async () => {
      const context = await browser.newContext();
      const page = await openDemo(context, `${parley.url}/`, options);
      await page.keyboard.press('Tab');
      const report = await page.evaluate(auditContrast, '#parley-comments');
      assert.ok(report.checked > 60, `only ${report.checked} texts measured`);
      assert.equal(report.failures.length, 0, failureList(report));
      await context.close();
    });
  }

  it('forces a theme with data-theme, and paints its background then', async () => {
    const context = await browser.newContext();
    const dark = await openDemo(context, `${parley.url}/`, {
      attributes: { 'data-theme': 'dark' },
    });
    assert.equal(await themeOf(dark), 'theme dark painted');
    assert.equal(await widgetStyle(dark, '.theme', 'background-color'), 'rgb(23, 24, 26)');
    assert.equal(await widgetStyle(dark, '.theme', 'color-scheme'), 'dark');
    assert.equal(
      await widgetStyle(dark, 'textarea, select', 'background-color'),
      'rgb(34, 35, 38)',
    );
    const light = await openDemo(context, `${parley.url}/`, {
      attributes: { 'data-theme': 'light' },
      css: DARK_PAGE,
    });
    assert.equal(await themeOf(light), 'theme light painted');
    assert.equal(await widgetStyle(light, '.theme', 'background-color'), 'rgb(255, 255, 255)');
    assert.equal(await widgetStyle(light, '.theme', 'color-scheme'), 'light');
    await context.close();
  });

  it('follows the page behind it, and the reader when the canvas shows through', async () => {
    const context = await browser.newContext({ colorScheme: 'light' });
    // The demo page is light: the light theme, with the page's own background showing.
    const page = await openDemo(context, `${parley.url}/`);
    assert.equal(await themeOf(page), 'theme light');
    assert.equal(await widgetStyle(page, '.theme', 'background-color'), 'rgba(0, 0, 0, 0)');
    // The site switches to its dark mode (a class on the root): the widget follows.
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = '.night body { background: #101010; color: #eee }';
      document.head.append(style);
      document.documentElement.classList.add('night');
    });
    await page.waitForFunction(() =>
      document.querySelector('#parley-comments')?.shadowRoot?.querySelector('.theme.dark'),
    );
    assert.equal(await themeOf(page), 'theme dark');
    // Backgrounds written in oklch() or lab() compute so: their lightness decides.
    for (const [background, theme] of [
      ['oklch(0.22 0.03 250)', 'theme dark'],
      ['oklch(0.97 0.01 90)', 'theme light'],
      ['lab(12 2 -8)', 'theme dark'],
    ]) {
      const page = await openDemo(context, `${parley.url}/`, {
        css: `body { background: ${background} }`,
      });
      assert.equal(await themeOf(page), theme, background);
    }
    // A mid-grey page, where neither theme's grey text would read on it: the widget paints.
    const grey = await openDemo(context, `${parley.url}/`, { css: 'body { background: #8a8a8a }' });
    assert.equal(await themeOf(grey), 'theme light painted');

    // No background anywhere: the reader's preference decides, and changes with it.
    const bare = await openDemo(context, `${parley.url}/`, {
      css: 'html, body, body * { background: none !important }',
    });
    assert.equal(await themeOf(bare), 'theme light painted');
    await bare.emulateMedia({ colorScheme: 'dark' });
    await bare.waitForFunction(() =>
      document.querySelector('#parley-comments')?.shadowRoot?.querySelector('.theme.dark'),
    );
    assert.equal(await themeOf(bare), 'theme dark painted');
    await context.close();

    const darkReader = await browser.newContext({ colorScheme: 'dark' });
    const opened = await openDemo(darkReader, `${parley.url}/`, {
      css: 'html, body, body * { background: none !important }',
    });
    assert.equal(await themeOf(opened), 'theme dark painted');
    // The demo's own (light) page wins over the preference: it is what the widget sits on.
    const onLight = await openDemo(darkReader, `${parley.url}/`);
    assert.equal(await themeOf(onLight), 'theme light');
    await darkReader.close();
  });

  it('takes the page\'s font with data-font="inherit"', async () => {
    const context = await browser.newContext();
    const css = '#parley-comments { font-family: "Trebuchet MS", Verdana, sans-serif }';
    const inherit = await openDemo(context, `${parley.url}/`, {
      attributes: { 'data-font': 'inherit' },
      css,
    });
    for (const selector of ['.heading', '.body', '.meta', '.account button', 'select']) {
      assert.equal(
        await widgetStyle(inherit, selector, 'font-family'),
        '"Trebuchet MS", Verdana, sans-serif',
        selector,
      );
    }
    const own = await openDemo(context, `${parley.url}/`, { css });
    assert.match(await widgetStyle(own, '.body', 'font-family'), /^Georgia/);
    assert.match(await widgetStyle(own, '.meta', 'font-family'), /^system-ui/);
    await context.close();
  });

  it('lets custom properties colour the text boxes, the menu and the tabs', async () => {
    const css = `#parley-comments {
      --parley-field-background: rgb(1, 2, 3); --parley-text: rgb(250, 240, 230);
      --parley-field: rgb(200, 100, 0); --parley-accent: rgb(0, 90, 160);
      --parley-accent-soft: rgb(210, 230, 250); --parley-error: rgb(120, 0, 0);
      --parley-radius: 0px; --parley-focus: rgb(255, 0, 255)
    }`;
    for (const attributes of [{}, { 'data-theme': 'dark' }] as Record<string, string>[]) {
      const page = await openDemo(signedIn, `${parley.url}/`, { attributes, css });
      // The comment form comes with the features module, a moment after the comments.
      await page.locator('form.composer textarea').waitFor();
      for (const selector of ['form.composer textarea', 'select']) {
        assert.equal(
          await widgetStyle(page, selector, 'background-color'),
          'rgb(1, 2, 3)',
          selector,
        );
        assert.equal(await widgetStyle(page, selector, 'color'), 'rgb(250, 240, 230)', selector);
        assert.equal(await widgetStyle(page, selector, 'border-top-color'), 'rgb(200, 100, 0)');
        assert.equal(await widgetStyle(page, selector, 'border-top-left-radius'), '0px');
      }
      assert.equal(
        await widgetStyle(page, '[role="tab"][aria-selected="true"]', 'color'),
        'rgb(0, 90, 160)',
      );
      assert.equal(
        await widgetStyle(page, '[role="tab"][aria-selected="true"]', 'background-color'),
        'rgb(210, 230, 250)',
      );
      assert.equal(await widgetStyle(page, '.primary', 'background-color'), 'rgb(0, 90, 160)');
      assert.equal(
        await widgetStyle(page, '.badge.rejected', 'background-color'),
        'rgb(120, 0, 0)',
      );
      await page.locator('#parley-comments select').focus();
      assert.equal(await widgetStyle(page, 'select', 'outline-color'), 'rgb(255, 0, 255)');
      await page.close();
    }
  });

  it('lets the page style the widget through ::part()', async () => {
    const parts = [
      'comment',
      'comment-body',
      'author',
      'comment-meta',
      'heading',
      'tabs',
      'tab',
      'toolbar',
      'account',
      'button',
      'textarea',
      'select',
      'composer',
      'actions',
      'thread',
      'replies',
      'widget',
    ];
    const css = parts
      .map((part) => `#parley-comments::part(${part}) { outline: 3px dotted rgb(0, 128, 0) }`)
      .join('\n');
    const page = await openDemo(signedIn, `${parley.url}/`, { css });
    await page.locator('#parley-comments form.composer').waitFor();
    const styled = await page.evaluate((parts) => {
      const root = document.querySelector('#parley-comments')!.shadowRoot!;
      return parts.map((part) => {
        const element = root.querySelector(`[part~="${part}"]`);
        return `${part}: ${element ? getComputedStyle(element).outlineColor : 'missing'}`;
      });
    }, parts);
    assert.deepEqual(
      styled,
      parts.map((part) => `${part}: rgb(0, 128, 0)`),
    );
    await page.close();
  });

  it('takes the screenshots of docs/theming.md', async () => {
    const shots: [string, PageOptions, BrowserContext][] = [
      ['theme-light.png', {}, signedIn],
      ['theme-dark.png', { css: DARK_PAGE }, signedIn],
      ['theme-newspaper.png', { css: NEWSPAPER_THEME }, signedIn],
    ];
    for (const [name, options, context] of shots) {
      const page = await openDemo(context, `${parley.url}/`, options);
      await page.setViewportSize({ width: 900, height: 1000 });
      await page.locator('#parley-comments .badge.pending').first().waitFor();
      const section = page.locator('section[aria-labelledby="comments-heading"]');
      await section.scrollIntoViewIfNeeded();
      await page.evaluate(() =>
        document.querySelector('section[aria-labelledby="comments-heading"]')!.scrollIntoView(),
      );
      const box = await section.boundingBox();
      assert.ok(box);
      const file = path.join(SHOTS, name);
      await page.screenshot({
        path: file,
        clip: {
          x: Math.max(0, box.x - 24),
          y: 0,
          width: Math.min(box.width + 48, 900),
          height: 1000,
        },
      });
      assert.ok(fs.statSync(file).size > 10_000);
      await page.close();
    }
  });
});
