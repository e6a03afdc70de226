/**
 * The hash behind every feature: 32-bit FNV-1a over UTF-16 code units, started from a per-kind
 * seed so that a word, a character n-gram and a word pair with the same characters land in
 * different buckets. Computed on char codes in place, without building substrings, because
 * feature extraction runs once per comment on the posting path.
 */

export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** One FNV-1a step: folds the code unit `code` into `hash`. */
export function fnvStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME) >>> 0;
}

/** FNV-1a of `text[start, end)` from `seed`. */
export function hashRange(text: string, start: number, end: number, seed: number): number {
  let hash = seed >>> 0;
  for (let i = start; i < end; i++) hash = fnvStep(hash, text.charCodeAt(i));
  return hash;
}

/** FNV-1a of a whole string from `seed`. */
export function hashString(text: string, seed = FNV_OFFSET): number {
  return hashRange(text, 0, text.length, seed);
}

/** Combines two hashes into one (order matters), with a final avalanche so buckets spread. */
export function combineHashes(a: number, b: number): number {
  let h = Math.imul(a ^ (b + 0x9e3779b9 + (a << 6) + (a >>> 2)), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seed of one kind of feature, derived from its name. */
export function seedFor(kind: string): number {
  return hashString(kind, FNV_OFFSET);
}
