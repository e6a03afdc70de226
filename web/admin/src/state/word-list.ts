/**
 * Editing a site's word list on the client: the API stores the whole list (PATCH replaces it), so
 * the dashboard turns each edit into a change (terms to add or re-grade, terms to remove) and
 * applies it to the list as the server has it just then.
 */
import type { WordListEntry } from '../api/types.js';

/** The API's limits. */
export const MAX_TERMS = 10_000;
export const MAX_TERM_LENGTH = 100;

/** What makes two terms the same entry: case and compatibility forms do not count. */
export const termKey = (term: string): string => term.trim().normalize('NFKC').toLowerCase();

export interface WordChange {
  readonly add?: readonly WordListEntry[];
  readonly remove?: readonly string[];
}

/** Applies adds (replacing a term's strength if it is there) and removals to a list. */
export function applyWordChange(
  list: readonly WordListEntry[],
  change: WordChange,
): WordListEntry[] {
  const removed = new Set((change.remove ?? []).map(termKey));
  const added = new Map<string, WordListEntry>();
  for (const entry of change.add ?? []) added.set(termKey(entry.term), entry);
  const result: WordListEntry[] = [];
  for (const entry of list) {
    const key = termKey(entry.term);
    if (removed.has(key)) continue;
    const replacement = added.get(key);
    if (replacement) {
      result.push({ term: entry.term, strength: replacement.strength });
      added.delete(key);
    } else {
      result.push(entry);
    }
  }
  return [...result, ...added.values()];
}

/** Pasted text as terms: one per line, trimmed, blank lines and repeats dropped. */
export function parseTerms(text: string): { terms: string[]; tooLong: string[] } {
  const seen = new Set<string>();
  const terms: string[] = [];
  const tooLong: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const term = line.trim();
    if (!term) continue;
    if (term.length > MAX_TERM_LENGTH) {
      tooLong.push(term);
      continue;
    }
    const key = termKey(term);
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
  }
  return { terms, tooLong };
}
