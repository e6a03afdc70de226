/**
 * Reads a story's metadata from the <head> of its article page: Open Graph and article: meta tags,
 * then <title> and <link rel=canonical>. A tolerant scan of tags, not a full HTML parser: the input
 * is capped in size by the caller and only these few tags matter.
 */
export interface PageMetadata {
  title: string | null;
  author: string | null;
  description: string | null;
  imageUrl: string | null;
  publishedAt: string | null;
  canonicalUrl: string | null;
  /** The page's section (`article:section`); a site's Q&A sections start stories as Q&A. */
  section: string | null;
}

// Attribute values may contain '>' inside quotes.
const TAG = /<(meta|link)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTRIBUTE = /([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(?:#(\d{1,8})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos));/gi;

/** What HTML does with a numeric reference to NUL, a surrogate, a control or beyond Unicode. */
function codePointText(code: number): string {
  const unusable =
    code === 0 ||
    code > 0x10ffff ||
    (code >= 0xd800 && code <= 0xdfff) ||
    (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
    (code >= 0x7f && code <= 0x9f);
  return unusable ? '\uFFFD' : String.fromCodePoint(code);
}

/** One pass, so that `&amp;#39;` stays `&#39;` instead of being decoded twice. */
function decodeEntities(text: string): string {
  return text.replace(ENTITY, (_, decimal?: string, hex?: string, name?: string) => {
    if (decimal !== undefined) return codePointText(Number(decimal));
    if (hex !== undefined) return codePointText(parseInt(hex, 16));
    return NAMED[(name ?? '').toLowerCase()] ?? '';
  });
}

function attributes(source: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = match[1]?.toLowerCase();
    if (name) map.set(name, decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return map;
}

function clean(value: string | undefined, max = 500): string | null {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? [...text].slice(0, max).join('') : null;
}

function httpUrl(value: string | undefined, base: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

export function parsePageMetadata(html: string, pageUrl: string): PageMetadata {
  const meta = new Map<string, string>();
  let canonical: string | undefined;
  for (const match of html.matchAll(TAG)) {
    const attrs = attributes(match[2] ?? '');
    if (match[1]?.toLowerCase() === 'link') {
      if (attrs.get('rel')?.toLowerCase() === 'canonical') canonical ??= attrs.get('href');
      continue;
    }
    const key = (attrs.get('property') ?? attrs.get('name'))?.toLowerCase();
    const content = attrs.get('content');
    if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
  }
  const titleTag = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1];
  return {
    title: clean(meta.get('og:title') ?? (titleTag && decodeEntities(titleTag))),
    author: clean(meta.get('article:author') ?? meta.get('author'), 200),
    description: clean(meta.get('og:description') ?? meta.get('description'), 1000),
    imageUrl: httpUrl(meta.get('og:image'), pageUrl),
    publishedAt: isoDate(meta.get('article:published_time')),
    canonicalUrl: httpUrl(canonical ?? meta.get('og:url'), pageUrl),
    section: clean(meta.get('article:section'), 100),
  };
}
