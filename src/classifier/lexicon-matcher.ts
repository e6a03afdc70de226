/**
 * Counts hits of the project lexicons ({@link LEXICON}) in a comment that has already been
 * normalised and folded (normalizeForMatching, then foldEvasions). Spaced scripts are matched word
 * by word (phrases as runs of words, with the Hebrew and Arabic one-letter prefixes and the Arabic
 * article peeled off when the bare word does not match); Chinese entries are matched as
 * substrings.
 */
import { foldEvasions, normalizeForMatching, splitWords } from '../domain/moderation/normalize.ts';
import { LEXICON, LEXICON_KINDS, LEXICON_LANGUAGES } from './lexicon.ts';
import type { LexiconKind } from './lexicon.ts';

export interface LexiconHits {
  insult: number;
  slur: number;
  threat: number;
}

interface Phrase {
  rest: string[];
  /** The last word may be followed by more letters ("מוות ל*"). */
  openEnded: boolean;
  kind: LexiconKind;
}

/** Folds a lexicon entry exactly as comment text is folded. */
export const foldEntry = (entry: string): string => foldEvasions(normalizeForMatching(entry));

const singleWords = new Map<string, LexiconKind[]>();
const phrasesByFirstWord = new Map<string, Phrase[]>();
const openSingles: { stem: string; kind: LexiconKind }[] = [];
const substrings: { text: string; kind: LexiconKind }[] = [];

for (const language of LEXICON_LANGUAGES) {
  for (const kind of LEXICON_KINDS) {
    for (const raw of LEXICON[language][kind]) {
      const openEnded = raw.endsWith('*');
      const folded = foldEntry(openEnded ? raw.slice(0, -1) : raw);
      if (language === 'zh') {
        substrings.push({ text: folded, kind });
        continue;
      }
      const words = splitWords(folded, true);
      const [first, ...rest] = words;
      if (first === undefined) continue;
      if (rest.length === 0 && !openEnded) {
        const kinds = singleWords.get(first) ?? [];
        if (!kinds.includes(kind)) kinds.push(kind);
        singleWords.set(first, kinds);
      } else if (rest.length === 0) {
        openSingles.push({ stem: first, kind });
      } else {
        const list = phrasesByFirstWord.get(first) ?? [];
        list.push({ rest, openEnded, kind });
        phrasesByFirstWord.set(first, list);
      }
    }
  }
}

const HEBREW_PREFIXES = new Set(['ו', 'ה', 'ש', 'ב', 'ל', 'כ', 'מ']);
const ARABIC_PREFIXES = ['وال', 'بال', 'فال', 'كال', 'لل', 'ال', 'و', 'ب', 'ل', 'ف'];

/** The word, then the word with one or two clitic prefixes removed (Hebrew, Arabic). */
function variants(word: string): string[] {
  const code = word.charCodeAt(0);
  if (code >= 0x05d0 && code <= 0x05ea && word.length > 3) {
    const out = [word];
    if (HEBREW_PREFIXES.has(word[0] ?? '')) {
      out.push(word.slice(1));
      if (word.length > 4 && HEBREW_PREFIXES.has(word[1] ?? '')) out.push(word.slice(2));
    }
    return out;
  }
  if (code >= 0x0620 && code <= 0x064a && word.length > 3) {
    const out = [word];
    for (const prefix of ARABIC_PREFIXES) {
      if (word.startsWith(prefix) && word.length - prefix.length >= 2)
        out.push(word.slice(prefix.length));
    }
    return out;
  }
  return [word];
}

function matchesAt(words: readonly string[], start: number, phrase: Phrase): boolean {
  const { rest, openEnded } = phrase;
  if (start + rest.length >= words.length) return false;
  for (let k = 0; k < rest.length; k++) {
    const word = words[start + 1 + k] ?? '';
    const expected = rest[k] ?? '';
    const last = k === rest.length - 1;
    if (last && openEnded ? !word.startsWith(expected) : word !== expected) return false;
  }
  return true;
}

/**
 * Lexicon hits in `folded` (the folded comment) whose spaced-script words are `words`
 * (splitWords(folded, true)).
 */
export function countLexiconHits(
  folded: string,
  words: readonly string[],
  hasUnspaced: boolean,
): LexiconHits {
  const hits: LexiconHits = { insult: 0, slur: 0, threat: 0 };
  for (let i = 0; i < words.length; i++) {
    for (const word of variants(words[i] ?? '')) {
      const kinds = singleWords.get(word);
      if (kinds !== undefined) {
        for (const kind of kinds) hits[kind]++;
        break;
      }
    }
    for (const word of variants(words[i] ?? '')) {
      const phrases = phrasesByFirstWord.get(word);
      if (phrases === undefined) continue;
      for (const phrase of phrases) if (matchesAt(words, i, phrase)) hits[phrase.kind]++;
    }
    for (const { stem, kind } of openSingles) if ((words[i] ?? '').startsWith(stem)) hits[kind]++;
  }
  if (hasUnspaced) {
    for (const { text, kind } of substrings) if (folded.includes(text)) hits[kind]++;
  }
  return hits;
}
