/**
 * Text for notifications: a comment's excerpt as plain text (the bell, mail, chat alerts) and the
 * names a comment mentions as `@Name`.
 */

/** Control characters, bidirectional overrides and isolates, zero-width and other invisible marks. */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * A comment's Markdown source as one line of plain text, cut on a word boundary: links keep their
 * words, emphasis and code marks go, quotes and lists become plain sentences. Never HTML: it is
 * escaped wherever it is shown.
 */
export function excerptOf(markdown: string, max = 200): string {
  const text = markdown
    .replace(INVISIBLE, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(>+|#{1,6}|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|~~|`+)/g, '')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,!?:;]|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/u, '')}…`;
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
  const at = /(^|[^\p{L}\p{N}_@.])@([\p{L}\p{M}\p{N}_][\p{L}\p{M}\p{N}_.'’-]*(?: [\p{L}\p{M}\p{N}_][\p{L}\p{M}\p{N}_.'’-]*){0,3})/gu;
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
