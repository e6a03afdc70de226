/**
 * Atom 1.0 documents (RFC 4287) for the comment feeds (src/server/routes/feeds.ts): a feed with
 * its id, title, updated time, self and alternate links, and entries each with an id, title,
 * author name, published and updated times, the comment's sanitised HTML as `type="html"` content
 * and a link to the comment on the article page.
 *
 * Every piece of text and every attribute goes through `xmlText` once, here and nowhere else: it
 * drops what XML 1.0 does not allow (control characters, lone surrogates, U+FFFE and U+FFFF, and
 * the C1 controls it only tolerates) and escapes `&`, `<`, `>`, `"` and `'`. HTML content is text
 * like any other, so a comment containing `</content>` or `]]>` stays inside its element.
 */

export interface AtomLink {
  rel: 'self' | 'alternate';
  href: string;
  type?: string;
}

export interface AtomEntry {
  id: string;
  title: string;
  authorName: string;
  published: string;
  updated: string;
  /** HTML (already sanitised), escaped into the document as text. */
  html: string;
  link: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  updated: string;
  links: AtomLink[];
  /** The language of the feed's text (xml:lang), when the site has one. */
  lang?: string | null;
  generator?: string;
  entries: AtomEntry[];
}

/** Characters XML 1.0 cannot carry, or only tolerates (C0 but tab and newlines, C1, non-characters). */
const NOT_IN_XML = /[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text (or an attribute value) as XML: impossible characters dropped, markup characters escaped. */
export function xmlText(value: string): string {
  return value.replace(NOT_IN_XML, '').replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** A `tag:` URI (RFC 4151) minted by `host` on `date` (YYYY-MM-DD) for `specific`. */
export function tagUri(host: string, date: string, specific: string): string {
  return `tag:${host},${date.slice(0, 10)}:${specific}`;
}

const element = (name: string, text: string, attributes = '') =>
  `<${name}${attributes}>${xmlText(text)}</${name}>`;

const linkElement = (link: AtomLink) =>
  `<link rel="${link.rel}" href="${xmlText(link.href)}"${link.type ? ` type="${xmlText(link.type)}"` : ''}/>`;

export function renderAtom(feed: AtomFeed): string {
  const lines: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom"${feed.lang ? ` xml:lang="${xmlText(feed.lang)}"` : ''}>`,
    `  ${element('id', feed.id)}`,
    `  ${element('title', feed.title)}`,
  ];
  if (feed.subtitle) lines.push(`  ${element('subtitle', feed.subtitle)}`);
  lines.push(`  ${element('updated', feed.updated)}`);
  for (const link of feed.links) lines.push(`  ${linkElement(link)}`);
  if (feed.generator) lines.push(`  ${element('generator', feed.generator)}`);
  for (const entry of feed.entries) {
    lines.push(
      '  <entry>',
      `    ${element('id', entry.id)}`,
      `    ${element('title', entry.title)}`,
      `    <author>${element('name', entry.authorName)}</author>`,
      `    ${element('published', entry.published)}`,
      `    ${element('updated', entry.updated)}`,
      `    ${linkElement({ rel: 'alternate', href: entry.link, type: 'text/html' })}`,
      `    ${element('content', entry.html, ' type="html"')}`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
