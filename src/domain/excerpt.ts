/**
 * A comment quoted elsewhere (the bell, mail, moderators' alerts): plain text taken from its stored
 * HTML (rendered from Markdown and sanitised on write, src/domain/markdown.ts), so markup never
 * reaches a reader as markup, links read as their text and entities as the characters they stand
 * for. Direction controls and other invisible formatting are dropped (each place that shows an
 * excerpt isolates it itself: <bdi> in HTML, a line of its own in text), whitespace is folded onto
 * one line, and the text is cut on a word boundary. Also: the names a comment mentions as `@Name`.
 */
import { Parser } from 'htmlparser2';

/** How long a quoted comment may be, in characters (code points). */
export const EXCERPT_LENGTH = 300;

const BLOCKS = new Set(['p', 'br', 'blockquote', 'pre', 'li', 'div']);
/**
 * Controls, line and paragraph separators, direction marks, embeddings, overrides and isolates,
 * zero-width characters other than the joiners scripts need, and the private-use characters mail templates
 * use for their own placeholders.
 */
const INVISIBLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u2028-\u202E\u2060-\u2069\uFEFF\uE000\uE001]/g;

// With the `u` flag a well-formed pair is one code point, so this matches only lone halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;

/** The visible text of an HTML fragment, blocks separated by spaces. */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  const parser = new Parser(
    {
      ontext: (text) => parts.push(text),
      onopentag: (name) => {
        if (BLOCKS.has(name)) parts.push(' ');
      },
      onclosetag: (name) => {
        if (BLOCKS.has(name)) parts.push(' ');
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return parts.join('');
}

/** Text made safe to quote: invisible formatting dropped, whitespace folded, broken UTF-16 mended. */
export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Cuts to `max` characters, at the last space in the final stretch if there is one, with "…". */
export function cutText(text: string, max = EXCERPT_LENGTH): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = chars.slice(0, max - 1);
  const space = head.lastIndexOf(' ');
  // Words are cut only when the text has no space late enough (Chinese, a long address).
  const end = space >= Math.floor(max * 0.6) ? space : head.length;
  return `${head.slice(0, end).join('').trimEnd()}…`;
}

/** A comment's stored HTML as one line of plain text, at most `max` characters. */
export function commentExcerpt(html: string, max = EXCERPT_LENGTH): string {
  return cutText(cleanText(htmlToText(html)), max);
}

/** How many words a name may have after `@` ("@Amal Haddad" is two). */
const MAX_NAME_WORDS = 4;
const MAX_CANDIDATES = 40;

/**
 * The names a comment may be mentioning, lowercased: for each `@` at the start of a word, the
 * next one to four words (a display name may have spaces; the store keeps those that are names of
 * readers of the story). Code spans and e-mail addresses are not mentions.
 */
export function mentionedNames(markdown: string): string[] {
  const text = markdown.replace(/`[^`]*`/g, ' ').replace(INVISIBLE, '');
  const found = new Set<string>();
  const at =
    /(^|[^\p{L}\p{N}_@.])@([\p{L}\p{M}\p{N}_][\p{L}\p{M}\p{N}_.'’-]*(?: [\p{L}\p{M}\p{N}_][\p{L}\p{M}\p{N}_.'’-]*){0,3})/gu;
  for (const match of text.matchAll(at)) {
    const words = (match[2] ?? '').split(' ').slice(0, MAX_NAME_WORDS);
    for (let n = words.length; n >= 1; n--) {
      const name = words
        .slice(0, n)
        .join(' ')
        .replace(/[.,'’:;!?-]+$/u, '')
        .toLowerCase();
      if (name) found.add(name);
    }
    if (found.size >= MAX_CANDIDATES) break;
  }
  return [...found].slice(0, MAX_CANDIDATES);
}
