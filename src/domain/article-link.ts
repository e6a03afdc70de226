/**
 * The article a reader signed up from, remembered so that the page a mailed link opens can offer a
 * way back to it (docs/identity.md, "Local accounts"). It travels in the mailed link's query
 * string, which anyone can edit, so it is checked each time it is read, never trusted: an http(s)
 * address, without user information, on one of the site's allowed origins. Anything else is no
 * link at all, so no page of Parley's becomes an open redirect.
 */

export const ARTICLE_LINK_MAX = 2000;

/** The address to link back to, or null when it is not one of the site's pages. */
export function articleLink(
  value: string | null | undefined,
  allowedOrigins: readonly string[],
): string | null {
  if (!value || value.length > ARTICLE_LINK_MAX || /[\s\u0000-\u001F\u007F]/.test(value)) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || !allowedOrigins.includes(url.origin)) return null;
  // The fragment is the page's own business (a comment's anchor): not needed to go back.
  url.hash = '';
  return url.href;
}
