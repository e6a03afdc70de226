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
import type { InterfaceLanguage } from '../../domain/vocabulary.ts';
import type { Site } from '../../store/rows.ts';
import { escapeHtml } from './escape.ts';
import { directionOf, jsonLdScript, threadMarkup } from './fragment.ts';
import type { AnonymousPage, SiteSettingsJson } from './page-data.ts';
import { RENDERED_WORDS } from './words.ts';

export type Theme = 'light' | 'dark' | 'auto';

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const LIGHT =
  '--parley-bg:#ffffff;--parley-fg:#1b1b1b;--parley-muted:#5a5a5a;--parley-link:#1a56a8';
const DARK = '--parley-bg:#141414;--parley-fg:#ececec;--parley-muted:#b0b0b0;--parley-link:#8ab4f8';

/** The page's own style: colours for the theme (the site's accent for links, when readable). */
function pageStyle(theme: Theme, accent: string | null): string {
  const light = accent ? `${LIGHT};--parley-link:${accent}` : LIGHT;
  const colours =
    theme === 'dark'
      ? `:root{color-scheme:dark;${DARK}}`
      : theme === 'light'
        ? `:root{color-scheme:light;${light}}`
        : `:root{color-scheme:light dark;${light}}@media (prefers-color-scheme:dark){:root{${DARK}}}`;
  return (
    colours +
    'body{margin:0;background:var(--parley-bg);color:var(--parley-fg);' +
    'font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}' +
    'a{color:var(--parley-link)}' +
    '.parley-page{max-width:46rem;margin:0 auto;padding:1rem}' +
    '.parley-brand{display:flex;align-items:center;gap:.75rem;padding:.75rem 1rem;' +
    'border-bottom:1px solid color-mix(in srgb,var(--parley-fg) 15%,transparent)}' +
    '.parley-brand img{max-height:2.5rem;max-width:12rem}' +
    '.parley-brand-name{font-weight:600;font-size:1.1rem}' +
    '.parley-page h1{font-size:1.4rem;line-height:1.3}' +
    '.parley-pages{display:flex;flex-wrap:wrap;gap:1rem;margin:1.5rem 0}'
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
  /** The next page (relative to the page), or null on the last one. */
  moreHref: string | null;
  /** The first page, when this is not it. */
  firstHref: string | null;
  /** The AMP page's link to the plain page. */
  fullHref?: string;
  stylesheetHref: string;
}

function brandHtml(site: Site): string {
  const name = escapeHtml(site.name);
  const mark = site.branding.logoUrl
    ? `<img src="${escapeHtml(site.branding.logoUrl)}" alt="${name}" referrerpolicy="no-referrer">`
    : `<span class="parley-brand-name" dir="auto">${name}</span>`;
  return `<header class="parley-brand">${mark}</header>`;
}

function document(input: StoryPageInput, options: { amp: boolean }): string {
  const { page, lang } = input;
  const words = RENDERED_WORDS[lang];
  const style = pageStyle(input.theme, readableAccent(input.site.branding.accentColor));
  const title = page.story.title?.trim();
  const articleUrl = escapeHtml(page.story.url);
  const heading = title
    ? escapeHtml(words.commentsOn).replace('{title}', `<bdi>${escapeHtml(title)}</bdi>`)
    : escapeHtml(words.comments);
  const documentTitle = title
    ? words.commentsOn.replace('{title}', `“${title}”`)
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
    options.amp ? '' : brandHtml(input.site),
    '<main class="parley-page">',
    options.amp ? '' : `<p><a href="${articleUrl}">${escapeHtml(words.backToArticle)}</a></p>`,
    options.amp ? '' : `<h1>${heading}</h1>`,
    `<div class="parley-rendered" lang="${lang}" dir="${directionOf(lang)}">`,
    threadMarkup({
      page,
      site: input.siteSettings,
      lang,
      moreHref: options.amp ? null : input.moreHref,
    }),
    '</div>',
    pages.length > 0 ? `<nav class="parley-pages">${pages.join('')}</nav>` : '',
    '</main>',
  ];
  return (
    '<!doctype html>\n' +
    `<html lang="${lang}" dir="${directionOf(lang)}"${input.theme === 'auto' ? '' : ` data-theme="${input.theme}"`}>\n` +
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

const policies = new Map<string, string>();

/**
 * A page's Content-Security-Policy: its inline style by hash (it depends on the theme and the
 * site's accent), no script but the AMP page's own, framed only where the page may be.
 */
export function storyPagePolicy(site: Site, theme: Theme, amp: boolean): string {
  const style = pageStyle(theme, readableAccent(site.branding.accentColor));
  const ancestors = amp ? [...site.allowedOrigins, ...AMP_FRAME_ANCESTORS].join(' ') : "'none'";
  const memo = `${amp} ${ancestors} ${style}`;
  const known = policies.get(memo);
  if (known) return known;
  const policy = [
    "default-src 'none'",
    `script-src ${amp ? hashOf(AMP_RESIZE_SCRIPT) : "'none'"}`,
    `style-src 'self' ${hashOf(style)}`,
    "img-src 'self' data: https:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
  if (policies.size > 1000) policies.clear();
  policies.set(memo, policy);
  return policy;
}
