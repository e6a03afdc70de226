/**
 * The HTML fragment a publisher includes in an article page (docs/server-rendering.md): a wrapper
 * the widget recognises and takes over (hydration), the fragment's stylesheet, the thread's
 * markup (./markup.ts: the widget's own DOM), the discussion as schema.org JSON-LD, and the page
 * of comments as JSON, so that the widget starts from it without a request.
 */
import { RIGHT_TO_LEFT_LANGUAGES, type InterfaceLanguage } from '../../domain/vocabulary.ts';
import { escapeHtml } from '../../domain/html.ts';
import { jsonForScript } from './escape.ts';
import { discussionJsonLd } from './json-ld.ts';
import { renderThreadMarkup } from './markup.ts';
import type { AnonymousPage, SiteSettingsJson } from './page-data.ts';

export const directionOf = (lang: InterfaceLanguage): 'rtl' | 'ltr' =>
  RIGHT_TO_LEFT_LANGUAGES.includes(lang) ? 'rtl' : 'ltr';

export interface FragmentInput {
  page: AnonymousPage;
  site: SiteSettingsJson;
  storyCreatedAt: string;
  lang: InterfaceLanguage;
  sort: string;
  /** The plain page's next page, when there are more comments than this page shows. */
  moreHref: string | null;
  /** The fragment's stylesheet, on Parley's public origin. */
  stylesheetHref: string;
  /** Parley's public origin: links in the thread (authors' profiles) lead there. */
  origin: string;
}

/** The structured data of the page, as a script element. */
export const jsonLdScript = (input: Pick<FragmentInput, 'page' | 'site' | 'storyCreatedAt'>) =>
  `<script type="application/ld+json">${jsonForScript(
    discussionJsonLd(input.page, {
      siteName: input.site.name,
      storyCreatedAt: input.storyCreatedAt,
    }),
  )}</script>`;

/** The thread's markup alone (the plain and AMP pages wrap it themselves). */
export const threadMarkup = (
  input: Pick<FragmentInput, 'page' | 'site' | 'lang' | 'moreHref' | 'sort' | 'origin'>,
) =>
  renderThreadMarkup({
    page: input.page,
    site: input.site,
    lang: input.lang,
    moreHref: input.moreHref,
    sort: input.sort,
    origin: input.origin,
  });

export function renderFragment(input: FragmentInput): string {
  const { page, site, lang } = input;
  return (
    `<div class="parley-rendered" data-parley-rendered="1" data-story-id="${escapeHtml(page.story.id)}"` +
    ` data-sort="${escapeHtml(input.sort)}" lang="${lang}" dir="${directionOf(lang)}">` +
    `<link rel="stylesheet" href="${escapeHtml(input.stylesheetHref)}">` +
    threadMarkup(input) +
    jsonLdScript(input) +
    `<script type="application/json" data-parley-page>${jsonForScript({ ...page, site })}</script>` +
    `</div>`
  );
}
