/**
 * Parley's own pages of a story's comments, for readers without JavaScript (the fragment's "more
 * comments" link leads here) and for AMP articles (an `amp-iframe`): a whole HTML document around
 * the thread's markup, with the publisher's brand, a theme, a link back to the article (also its
 * `rel=canonical`: the article is what search engines should index) and the discussion's JSON-LD.
 *
 * The plain page runs no script at all; the AMP page one inline script that tells the AMP host
 * its height. Each page's Content-Security-Policy allows its own inline style (and the AMP page's
 * script) by hash, nothing else inline.
 */
import { createHash } from 'node:crypto';
import { readableAccent } from '../../domain/contrast.ts';
import { escapeHtml } from '../../domain/html.ts';
import { THREAD_WORDS } from '../../domain/thread-words/index.ts';
import type { InterfaceLanguage } from '../../domain/vocabulary.ts';
import type { Site } from '../../store/rows.ts';
import { brandHtml } from '../page-html.ts';
import { directionOf, jsonLdScript, threadMarkup } from './fragment.ts';
import type { AnonymousPage, SiteSettingsJson } from './page-data.ts';
import { RENDERED_WORDS } from './words.ts';

export type Theme = 'light' | 'dark';

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The page's own style: its background and text in the widget's colours for the theme, and the
 * site's accent (when white text on it stays readable, as the widget's buttons need) handed to the
 * thread's stylesheet through its theming property, in the light theme.
 */
function pageStyle(theme: Theme, accent: string | null): string {
  const colours =
    theme === 'dark'
      ? ':root{color-scheme:dark;--page-bg:#17181a;--page-fg:#ebe9e4;--page-link:#8ab4f8}'
      : ':root{color-scheme:light;--page-bg:#fff;--page-fg:#1a1a1a;--page-link:#1a4f9c' +
        (accent ? `;--parley-accent:${accent};--page-link:${accent}` : '') +
        '}';
  return (
    colours +
    'body{margin:0;background:var(--page-bg);color:var(--page-fg);' +
    'font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}' +
    'a{color:var(--page-link)}' +
    '.parley-page{max-width:46rem;margin:0 auto;padding:1rem}' +
    '.parley-brand{display:flex;align-items:center;gap:.75rem;padding:.75rem 1rem;' +
    'border-bottom:1px solid color-mix(in srgb,var(--page-fg) 15%,transparent)}' +
    '.parley-brand img{max-height:2.5rem;max-width:12rem}' +
    '.parley-brand-name{font-weight:600;font-size:1.1rem}' +
    '.parley-page h1{font-size:1.4rem;line-height:1.3}' +
    '.parley-pages{display:flex;flex-wrap:wrap;gap:1rem;margin:1.5rem 0}' +
    '.parley-sorts{display:flex;flex-wrap:wrap;gap:.75rem;margin:0 0 1rem}' +
    '.parley-sorts [aria-current]{font-weight:600;text-decoration:none;color:inherit}' +
    // The widget's controls need its script: without it they would do nothing, so they are not
    // shown here (sorting is by the links above, more comments by the link below).
    '.parley-page .account,.parley-page .toolbar,.parley-page .actions{display:none!important}'
  );
}

/** The script of the AMP page: tells the host page (`amp-iframe`) its height, whenever it changes. */
export const AMP_RESIZE_SCRIPT =
  '(function(){var last=0;function send(){var h=Math.ceil(document.documentElement.scrollHeight);' +
  "if(h===last)return;last=h;window.parent.postMessage({sentinel:'amp',type:'embed-size',height:h},'*')}" +
  "window.addEventListener('load',send);" +
  'if(window.ResizeObserver){new ResizeObserver(send).observe(document.body)}send()})();';

/** Frame ancestors of the AMP page besides the site's own origins: AMP caches and viewers. */
export const AMP_FRAME_ANCESTORS = [
  'https://*.ampproject.org',
  'https://*.ampproject.net',
  'https://*.amp.cloudflare.com',
  'https://www.google.com',
  'https://www.bing.com',
  'https://*.bing-amp.com',
];

export interface StoryPageInput {
  page: AnonymousPage;
  site: Site;
  siteSettings: SiteSettingsJson;
  storyCreatedAt: string;
  lang: InterfaceLanguage;
  theme: Theme;
  sort: string;
  /** The next page (relative to the page), or null on the last one. */
  moreHref: string | null;
  /** The first page, when this is not it. */
  firstHref: string | null;
  /** Parley's public origin: links in the thread (authors' profiles) lead there. */
  origin: string;
  /** The plain page in each order the widget offers (the current one first marked). */
  sortLinks?: { order: string; href: string }[];
  /** The AMP page's link to the plain page. */
  fullHref?: string;
  stylesheetHref: string;
}

/** Links to the page in each order (a select would need a script). */
function sortNav(input: StoryPageInput): string {
  const words = THREAD_WORDS[input.lang];
  const labels = words.sorts as Partial<Record<string, string>>;
  const links = (input.sortLinks ?? [])
    .filter((link) => labels[link.order])
    .map(
      (link) =>
        `<a href="${escapeHtml(link.href)}"${link.order === input.sort ? ' aria-current="page"' : ''}>` +
        `${escapeHtml(labels[link.order] as string)}</a>`,
    );
  if (links.length === 0) return '';
  return `<nav class="parley-sorts" aria-label="${escapeHtml(words.sortBy)}">${links.join('')}</nav>`;
}

const themed = (markup: string, theme: Theme) =>
  theme === 'dark' ? markup.replace('<div class="theme light"', '<div class="theme dark"') : markup;

function document(input: StoryPageInput, options: { amp: boolean }): string {
  const { page, lang } = input;
  const words = RENDERED_WORDS[lang];
  const style = pageStyle(input.theme, readableAccent(input.site.branding.accentColor));
  const title = page.story.title?.trim();
  const articleUrl = escapeHtml(page.story.url);
  const heading = title
    ? escapeHtml(words.commentsOn).replace('{title}', () => `<bdi>${escapeHtml(title)}</bdi>`)
    : escapeHtml(words.comments);
  const documentTitle = title
    ? words.commentsOn.replace('{title}', () => `“${title}”`)
    : `${words.comments} · ${input.site.name}`;
  const link = (href: string | null | undefined, text: string) =>
    href ? `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>` : '';
  const pages = (
    options.amp
      ? [link(input.fullHref, words.openFullPage)]
      : [link(input.firstHref, words.firstPage)]
  ).filter(Boolean);
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(documentTitle)}</title>`,
    options.amp
      ? '<meta name="robots" content="noindex"><base target="_blank">'
      : `<link rel="canonical" href="${articleUrl}">`,
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="${escapeHtml(input.stylesheetHref)}">`,
    `<style>${style}</style>`,
    jsonLdScript({ page, site: input.siteSettings, storyCreatedAt: input.storyCreatedAt }),
    options.amp ? `<script>${AMP_RESIZE_SCRIPT}</script>` : '',
  ];
  const body = [
    options.amp ? '' : brandHtml(input.site, 'parley-'),
    '<main class="parley-page">',
    options.amp ? '' : `<p><a href="${articleUrl}">${escapeHtml(words.backToArticle)}</a></p>`,
    options.amp ? '' : `<h1>${heading}</h1>`,
    options.amp ? '' : sortNav(input),
    `<div class="parley-rendered" lang="${lang}" dir="${directionOf(lang)}">`,
    // The markup draws the widget's light theme; the dark page asks for its dark one.
    themed(
      threadMarkup({
        page,
        site: input.siteSettings,
        lang,
        sort: input.sort,
        origin: input.origin,
        moreHref: options.amp ? null : input.moreHref,
      }),
      input.theme,
    ),
    '</div>',
    pages.length > 0 ? `<nav class="parley-pages">${pages.join('')}</nav>` : '',
    '</main>',
  ];
  return (
    '<!doctype html>\n' +
    `<html lang="${lang}" dir="${directionOf(lang)}" data-theme="${input.theme}">\n` +
    `<head>\n${head.filter(Boolean).join('\n')}\n</head>\n` +
    `<body>\n${body.filter(Boolean).join('\n')}\n</body>\n</html>\n`
  );
}

/** The plain page: no script at all. */
export const renderStoryPage = (input: StoryPageInput): string => document(input, { amp: false });

/**
 * The AMP page: the first page of the thread with a link to the plain page (in a new window: the
 * `<base target>`), framed by AMP hosts and the site's own origins only.
 */
export const renderAmpPage = (input: StoryPageInput): string => document(input, { amp: true });

/**
 * A page's Content-Security-Policy: its inline style by hash (it depends on the theme and the
 * site's accent; the thread's markup writes no style attribute: avatars take their colour from
 * the stylesheet), no script but the AMP page's own, framed only where the page may be.
 */
export function storyPagePolicy(site: Site, theme: Theme, amp: boolean): string {
  const style = pageStyle(theme, readableAccent(site.branding.accentColor));
  const ancestors = amp ? [...site.allowedOrigins, ...AMP_FRAME_ANCESTORS].join(' ') : "'none'";
  return [
    "default-src 'none'",
    `script-src ${amp ? hashOf(AMP_RESIZE_SCRIPT) : "'none'"}`,
    `style-src 'self' ${hashOf(style)}`,
    "img-src 'self' data: https:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}
