/**
 * Per-site word lists: terms a site bans (the comment is rejected) or finds suspect (the comment is
 * held for a moderator). A list is compiled once into a {@link WordListMatcher}; matching a comment
 * then costs a normalisation pass and a few hash lookups per word, whatever the size of the list.
 *
 * Matching rules:
 *
 * - The list terms and the comment go through the same steps: {@link normalizeForMatching} then
 *   {@link unmaskEvasions} (leetspeak, spaced letters), and stretched letters are compared by run:
 *   a word matches when it spells the term with each run of a repeated letter at least as long as
 *   in the term. "idiooooot" matches "idiot" and "cool" matches "cool", but "as" does not match
 *   "ass" nor "but" "butt".
 * - In scripts written with spaces (Latin, Cyrillic, Greek, Arabic, Hebrew, …) a term matches whole
 *   words: "ass" matches neither "class" nor "assassin" (the Scunthorpe problem). A term of several
 *   words matches those words in a row, whatever separates them ("son of a bitch" matches
 *   "son-of-a-bitch"). A term ending in `*` matches as a prefix of its last word: "idiot*" matches
 *   "idiots" and "idiotic".
 * - Arabic words may carry an attached prefix: a word also matches when it is one of و ف ب ل ال
 *   وال بال فال لل followed by the term, leaving at least two letters ("كلب" matches "والكلب" and
 *   "للكلب").
 * - A term containing Chinese, Japanese or Korean characters (or Thai, Lao, Khmer, Myanmar, which
 *   are also written without spaces) matches anywhere as a substring ("傻逼" in "你真是个傻逼吧"),
 *   also when spaces, dots, dashes, underscores or asterisks are slipped between the characters.
 *   A term with no letters or digits at all (an emoji, say) also matches as a substring.
 * - An "@" at the start of a word is read both as the letter a ("@ss") and as a mention sign
 *   ("@idiot"); either reading can match.
 *
 * Known limits: Hebrew attached prefixes (ה ו ב כ ל מ ש) are not stripped, so "כלב" does not match
 * "והכלב" unless listed; a trailing `*` is the only wildcard; a word split by a letter pair
 * ("fu ck") or by single letters fewer than three ("f uck") is not rejoined; look-alikes outside
 * the confusables table (Cherokee, Lisu, most symbols) and letters drawn with punctuation ("|\|")
 * are not undone; a confusable can make a word of another script equal a Latin term (Russian
 * "сок" reads "cok").
 */
import {
  hasUnspacedScript,
  normalizeForMatching,
  splitWords,
  unmaskEvasions,
} from './normalize.ts';

export type WordListStrength = 'banned' | 'suspect';

/** One term of a site's list, as the site wrote it. */
export interface WordListEntry {
  term: string;
  strength: WordListStrength;
}

/** A term found in a text: the list's own spelling of it and its strength. */
export interface WordListMatch {
  term: string;
  strength: WordListStrength;
}

export interface WordListMatcher {
  /**
   * The terms found in `text`, each once: banned terms first, then suspect ones, each group in list
   * order. A term listed twice counts once, with the stronger strength. Empty when nothing matches.
   */
  match(text: string): WordListMatch[];
  /** How many distinct terms the list compiled to (blank entries and duplicates dropped). */
  readonly size: number;
}

/** Letters of scripts written without spaces between words (as in hasUnspacedScript). */
const UNSPACED =
  '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Hangul}\\p{sc=Thai}\\p{sc=Lao}\\p{sc=Khmer}\\p{sc=Myanmar}';
/** Padding slipped between two unspaced letters ("傻 逼", "傻.逼", "傻_逼"). */
const UNSPACED_PADDING = new RegExp(`(?<=[${UNSPACED}])[\\s._*~·•\\-]+(?=[${UNSPACED}])`, 'gu');
/** An "@" that starts a word and could be a mention. */
const LEADING_AT = /(?<![\p{L}\p{M}\p{N}@$€|!])@+[\p{L}\p{N}]/u;
const ARABIC_PREFIXES = ['وال', 'بال', 'فال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل'];

/** A word as typed (after unmasking) and with its runs collapsed, the key it is looked up by. */
interface Word {
  raw: string;
  key: string;
}

/** A compiled term. Word terms have `words`; substring terms have `substring` (one shape for both). */
interface Term {
  /** Position in the compiled list: the order results are reported in, within a strength. */
  id: number;
  term: string;
  strength: WordListStrength;
  /** The words to match in a row; empty for a substring term. */
  words: Word[];
  /** The last word is a prefix (the term ended in `*`). */
  prefix: boolean;
  /** What to find anywhere in the text; empty for a word term. */
  substring: string;
}

/** `word` with each run of one UTF-16 code unit collapsed to one. */
function collapse(word: string): string {
  let i = 1;
  while (i < word.length && word.charCodeAt(i) !== word.charCodeAt(i - 1)) i++;
  if (i >= word.length) return word;
  let out = word.slice(0, i);
  for (; i < word.length; i++) {
    if (word.charCodeAt(i) !== word.charCodeAt(i - 1)) out += word[i];
  }
  return out;
}

const toWord = (raw: string): Word => ({ raw, key: collapse(raw) });

/**
 * Whether the word `text` spells `term` with every run at least as long, given that `term`'s
 * collapsed key equals `text`'s (or is a prefix of it, for a prefix term).
 */
function runsCover(text: string, term: string): boolean {
  if (text === term) return true;
  let i = 0;
  let j = 0;
  while (j < term.length) {
    const c = term.charCodeAt(j);
    let wanted = 0;
    while (j < term.length && term.charCodeAt(j) === c) {
      j++;
      wanted++;
    }
    let found = 0;
    while (i < text.length && text.charCodeAt(i) === c) {
      i++;
      found++;
    }
    if (found < wanted) return false;
  }
  return true;
}

function wordMatches(form: Word, word: Word, prefix: boolean): boolean {
  return (
    (prefix ? form.key.startsWith(word.key) : form.key === word.key) &&
    runsCover(form.raw, word.raw)
  );
}

/** The ways one word of a text can be read: as it is and, in Arabic, without an attached prefix. */
function readings(raw: string): Word[] {
  const forms = [toWord(raw)];
  const first = raw.charCodeAt(0);
  if (first >= 0x0620 && first <= 0x064a) {
    for (const prefix of ARABIC_PREFIXES) {
      if (raw.length > prefix.length + 1 && raw.startsWith(prefix)) {
        forms.push(toWord(raw.slice(prefix.length)));
      }
    }
  }
  return forms;
}

const NONE: readonly Term[] = [];

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function escapeForClass(char: string): string {
  return `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
}

/**
 * Compiles a site's list once; the matcher is then reused for every comment on the site. Terms are
 * normalised like the text (case, accents, homoglyphs, leetspeak…), so "IDIOT", "idiot" and "id10t"
 * in a list are the same term. Blank entries are ignored.
 */
export function compileWordList(entries: readonly WordListEntry[]): WordListMatcher {
  const terms: Term[] = [];
  const byKey = new Map<string, Term>();
  /** Word terms other than one-word prefixes, by the key of their first word. */
  const byFirstWord = new Map<string, Term[]>();
  /** One-word prefix terms, by the key of their prefix. */
  const byPrefix = new Map<string, Term[]>();
  /** Substring terms, by their first character. */
  const substrings = new Map<string, Term[]>();

  for (const entry of entries) {
    let source = entry.term.trim();
    const prefix = source.endsWith('*');
    if (prefix) source = source.replace(/[*\s]+$/u, '');
    const unmasked = unmaskEvasions(normalizeForMatching(source)).trim();
    if (unmasked === '') continue;
    const words = hasUnspacedScript(unmasked) ? [] : splitWords(unmasked).map(toWord);
    const isWords = words.length > 0;
    const substring = isWords ? '' : unmasked.replace(UNSPACED_PADDING, '');
    const dedupKey = isWords
      ? `w${prefix ? '*' : ' '}${words.map((w) => w.raw).join(' ')}`
      : `s${substring}`;

    const known = byKey.get(dedupKey);
    if (known) {
      if (known.strength === 'suspect' && entry.strength === 'banned') {
        known.strength = 'banned';
        known.term = entry.term;
      }
      continue;
    }
    const compiled: Term = {
      id: terms.length,
      term: entry.term,
      strength: entry.strength,
      words,
      prefix: isWords && prefix,
      substring,
    };
    const first = words[0];
    if (!first) push(substrings, String.fromCodePoint(substring.codePointAt(0) ?? 0), compiled);
    else if (prefix && words.length === 1) push(byPrefix, first.key, compiled);
    else push(byFirstWord, first.key, compiled);
    byKey.set(dedupKey, compiled);
    terms.push(compiled);
  }

  const prefixLengths = [...new Set([...byPrefix.keys()].map((key) => key.length))].sort(
    (a, b) => a - b,
  );
  const substringStart =
    substrings.size > 0
      ? new RegExp(`[${[...substrings.keys()].map(escapeForClass).join('')}]`, 'gu')
      : null;
  const hasWordTerms = byFirstWord.size > 0 || byPrefix.size > 0;

  function matchWords(unmasked: string, hits: Set<number>): void {
    const words = splitWords(unmasked, true).map(readings);
    for (let i = 0; i < words.length; i++) {
      for (const form of words[i] as Word[]) {
        for (const term of byFirstWord.get(form.key) ?? NONE) {
          if (!hits.has(term.id) && phraseMatches(term, words, i, form)) hits.add(term.id);
        }
        for (const length of prefixLengths) {
          if (length > form.key.length) break;
          for (const term of byPrefix.get(form.key.slice(0, length)) ?? NONE) {
            if (!hits.has(term.id) && runsCover(form.raw, (term.words[0] as Word).raw)) {
              hits.add(term.id);
            }
          }
        }
      }
    }
  }

  function phraseMatches(term: Term, words: Word[][], at: number, first: Word): boolean {
    const last = term.words.length - 1;
    if (!wordMatches(first, term.words[0] as Word, term.prefix && last === 0)) return false;
    if (at + last >= words.length) return false;
    for (let j = 1; j <= last; j++) {
      const wanted = term.words[j] as Word;
      const isPrefix = term.prefix && j === last;
      if (!(words[at + j] as Word[]).some((form) => wordMatches(form, wanted, isPrefix))) {
        return false;
      }
    }
    return true;
  }

  function matchSubstrings(unmasked: string, hits: Set<number>): void {
    if (!substringStart) return;
    const text = hasUnspacedScript(unmasked) ? unmasked.replace(UNSPACED_PADDING, '') : unmasked;
    substringStart.lastIndex = 0;
    for (let m = substringStart.exec(text); m; m = substringStart.exec(text)) {
      for (const term of substrings.get(m[0]) ?? NONE) {
        if (!hits.has(term.id) && text.startsWith(term.substring, m.index)) hits.add(term.id);
      }
    }
  }

  return {
    size: terms.length,
    match(text: string): WordListMatch[] {
      if (terms.length === 0) return [];
      const normalized = normalizeForMatching(text);
      const hits = new Set<number>();
      const unmaskedTexts = [unmaskEvasions(normalized)];
      if (LEADING_AT.test(normalized)) {
        unmaskedTexts.push(unmaskEvasions(normalized, { atAsMention: true }));
      }
      for (const unmasked of unmaskedTexts) {
        if (hasWordTerms) matchWords(unmasked, hits);
        matchSubstrings(unmasked, hits);
      }
      if (hits.size === 0) return [];
      return [...hits]
        .map((id) => terms[id] as Term)
        .sort(
          (a, b) =>
            (a.strength === 'banned' ? 0 : 1) - (b.strength === 'banned' ? 0 : 1) || a.id - b.id,
        )
        .map(({ term, strength }) => ({ term, strength }));
    },
  };
}
