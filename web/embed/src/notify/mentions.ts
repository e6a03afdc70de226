/**
 * Finding the @mention being typed in a comment and putting a chosen name in its place: the
 * suggestions (ui/Mentions.tsx) ask the story's readers for names that begin with what follows
 * the "@" just before the caret.
 */

/** "@" at the start or after anything but a letter, digit or underscore (not in an address). */
const TYPED = /(^|[^\p{L}\p{N}_])@([\p{L}\p{M}\p{N}_.'’-][\p{L}\p{M}\p{N}_.'’ -]{0,39})$/u;

export interface Mention {
  /** Where the "@" is. */
  readonly start: number;
  /** What follows it, up to the caret. */
  readonly query: string;
}

/** The mention being typed when the caret is at `caret`, or null. */
export function mentionAt(text: string, caret: number): Mention | null {
  const before = text.slice(0, caret);
  const match = TYPED.exec(before);
  if (!match) return null;
  const query = match[2] as string;
  // Names may have a few words; a space at the end, two together or a fourth word end them.
  if (/ $/.test(query) || / {2}/.test(query) || query.split(' ').length > 3) return null;
  return { start: before.length - query.length - 1, query };
}

/** The text with the mention replaced by "@Name " and where the caret goes after it. */
export function insertMention(
  text: string,
  mention: Mention,
  name: string,
): { text: string; caret: number } {
  const end = mention.start + 1 + mention.query.length;
  const inserted = `@${name} `;
  const after = text.slice(end).replace(/^ /, '');
  return {
    text: text.slice(0, mention.start) + inserted + after,
    caret: mention.start + inserted.length,
  };
}
