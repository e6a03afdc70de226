/**
 * Reads how the publisher embedded the widget: the API origin from the script's own src, the
 * story from the container's data attributes or the page's canonical URL, the language, and the
 * theme (data-theme: "light" or "dark" forces one; anything else is "auto", see theme.ts).
 * data-font="inherit" needs no code: the stylesheet reads it from the host (ui/widget.css).
 */
import { SORT_ORDERS } from './api/types.js';
import type { SortOrder, StoryTarget } from './api/types.js';
import { pickLanguage } from './i18n.js';
import type { Lang } from './i18n.js';

export const CONTAINER_ID = 'parley-comments';

export type ThemeChoice = 'auto' | 'light' | 'dark';
const SCRIPT_NAME = '/embed.js';

export interface EmbedConfig {
  readonly apiOrigin: string;
  readonly target: StoryTarget;
  readonly lang: Lang;
  /** data-sort; when the page says none, the site's default order (docs/sorting.md). */
  readonly sort?: SortOrder;
  /** data-theme: the publisher's choice, or 'auto' (follow the page and the reader). */
  readonly theme: ThemeChoice;
  /** The publisher's SSO token for the reader of this page (data-sso-token). */
  readonly ssoToken?: string;
}

/**
 * The src of the script element running this bundle. document.currentScript is only set while
 * the bundle first executes, so call this at top level.
 */
export function embedScriptSrc(): string | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current.src;
  const scripts = Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]'));
  return scripts.find((script) => new URL(script.src).pathname.endsWith(SCRIPT_NAME))?.src ?? null;
}

export function readEmbedConfig(container: HTMLElement, scriptSrc: string): EmbedConfig {
  const { storyId, siteId, lang, sort, ssoToken, theme } = container.dataset;
  const chosen = SORT_ORDERS.find((order) => order === sort);
  return {
    apiOrigin: new URL(scriptSrc).origin,
    target: {
      url: canonicalUrl(),
      ...(storyId ? { storyId } : {}),
      ...(siteId ? { siteId } : {}),
    },
    lang: pickLanguage([lang, document.documentElement.lang, navigator.language]),
    ...(chosen && { sort: chosen }),
    theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
    ...(ssoToken ? { ssoToken } : {}),
  };
}

export function canonicalUrl(): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel~="canonical"][href]');
  return (canonical && canonical.href) || location.href.split('#')[0] || location.href;
}
