/**
 * Reads how the publisher embedded the widget: the API origin from the script's own src, the
 * story from the container's data attributes or the page's canonical URL, and the language.
 */
import { SORT_ORDERS } from './api/types.js';
import type { SortOrder, StoryTarget } from './api/types.js';
import { pickLanguage } from './i18n.js';
import type { Lang } from './i18n.js';

export const CONTAINER_ID = 'parley-comments';
const SCRIPT_NAME = '/embed.js';

export interface EmbedConfig {
  readonly apiOrigin: string;
  readonly target: StoryTarget;
  readonly lang: Lang;
  readonly sort: SortOrder;
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
  const { storyId, siteId, lang, sort, ssoToken } = container.dataset;
  return {
    apiOrigin: new URL(scriptSrc).origin,
    target: {
      url: canonicalUrl(),
      ...(storyId ? { storyId } : {}),
      ...(siteId ? { siteId } : {}),
    },
    lang: pickLanguage([lang, document.documentElement.lang, navigator.language]),
    sort: SORT_ORDERS.find((order) => order === sort) || 'newest',
    ...(ssoToken ? { ssoToken } : {}),
  };
}

function canonicalUrl(): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel~="canonical"][href]');
  return (canonical && canonical.href) || location.href.split('#')[0] || location.href;
}
