/**
 * What a bag of words cannot see: whether a word is negated ("I don't hate them"), quoted
 * (`saying "they are vermin" is vile`), and whom the comment addresses. The tokenizer reads the
 * folded comment (see features.ts) once, left to right, and marks every word with its scope:
 *
 * - **negated**: from a negation cue ("not", "n't", "ne … pas", "nunca", "kein", "não", "لا",
 *   "לא", "不", …) to the end of the clause (punctuation, "but" and its equivalents) or at most
 *   {@link NEGATION_REACH} words on;
 * - **quoted**: between quotation marks (a double quote between two letters, as in the Hebrew
 *   acronym צה"ל, is not one).
 *
 * The features then give a scoped word its own hash besides the plain one, so "hate" and negated
 * "hate" can weigh differently. Chinese and other unspaced scripts are kept as runs of characters,
 * each character with its scope (a negation cue there reaches to the end of the clause).
 */

export const SCOPE_NONE = 0;
export const SCOPE_NEGATED = 1;
export const SCOPE_QUOTED = 2;

/** Words a negation reaches past its cue when no clause boundary comes first. */
export const NEGATION_REACH = 6;

export interface Token {
  /** A word of a spaced script, or a run of unspaced characters (`unspaced`). */
  text: string;
  unspaced: boolean;
  /** SCOPE_* bits, for the word; for an unspaced run see `charScopes`. */
  scope: number;
  /** Per character of an unspaced run. */
  charScopes?: Uint8Array;
}

export interface Context {
  tokens: Token[];
  negations: number;
  quoted: boolean;
  secondPerson: boolean;
  question: boolean;
  exclamations: number;
}

/** Negation cues after folding (lower case, accents and Arabic letter variants removed). */
const NEGATION_WORDS = new Set([
  // en
  'not',
  'no',
  'never',
  'nobody',
  'nothing',
  'none',
  'neither',
  'nor',
  'without',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'cant',
  'cannot',
  'wont',
  'shouldnt',
  'wouldnt',
  'aint',
  // fr ("n'" is split off its verb like "don't")
  'ne',
  'n',
  'pas',
  'jamais',
  'aucun',
  'aucune',
  'rien',
  'non',
  'sans',
  // es
  'nunca',
  'jamas',
  'ni',
  'ningun',
  'ninguno',
  'ninguna',
  'nadie',
  'nada',
  'sin',
  'tampoco',
  // de
  'nicht',
  'kein',
  'keine',
  'keinen',
  'keinem',
  'keiner',
  'nie',
  'niemals',
  'niemand',
  'nichts',
  'ohne',
  // pt
  'nao',
  'nenhum',
  'nenhuma',
  'ninguem',
  'sem',
  'nem',
  // ar
  'لا',
  'ليس',
  'ليست',
  'ليسوا',
  'لست',
  'لسنا',
  'لم',
  'لن',
  'ما',
  'مش',
  'مو',
  'ماهم',
  'بدون',
  // he
  'לא',
  'אין',
  'אינו',
  'אינה',
  'אינם',
  'אינן',
  'איני',
  'אף',
  'בלי',
  'מעולם',
]);

/** English contractions split at the apostrophe: "don" + "t". */
const CONTRACTED = new Set([
  'don',
  'doesn',
  'didn',
  'isn',
  'aren',
  'wasn',
  'weren',
  'can',
  'won',
  'shouldn',
  'wouldn',
  'couldn',
  'ain',
  'haven',
  'hasn',
]);

/** Words that end a negation's reach: "but" and its equivalents. */
const CLAUSE_WORDS = new Set([
  'but',
  'mais',
  'pero',
  'sino',
  'aber',
  'sondern',
  'mas',
  'porem',
  'لكن',
  'بس',
  'אבל',
  'אלא',
]);

const SECOND_PERSON = new Set([
  'you',
  'your',
  'youre',
  'yours',
  'yourself',
  'u',
  'ur',
  'ya',
  'tu',
  'toi',
  'vous',
  'votre',
  'ton',
  'ta',
  'tes',
  'ti',
  'usted',
  'ustedes',
  'vosotros',
  'eres',
  'du',
  'dich',
  'dir',
  'dein',
  'deine',
  'euch',
  'voce',
  'voces',
  'vc',
  'teu',
  'tua',
  'انت',
  'انتي',
  'انتم',
  'انتو',
  'يا',
  // Not את: also the Hebrew object marker.
  'אתה',
  'אתם',
  'אתן',
  'שלך',
]);

/** Unspaced negation cues (Chinese). */
const UNSPACED_NEGATIONS = new Set(['不', '没', '別', '别', '非', '无', '未', '莫', '勿']);

const QUOTES = new Set(['"', '“', '”', '«', '»', '„', '「', '」', '『', '』', '״']);
const CLAUSE_MARKS = new Set([
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
  '،',
  '؛',
  '؟',
  '。',
  '，',
  '！',
  '？',
  '；',
  '：',
  '\n',
]);

/** Code points of scripts written without spaces: kana, CJK ideographs, Hangul, Thai, Lao. */
export function isUnspacedCode(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x0e00 && code <= 0x0eff)
  );
}

const LETTER = /[\p{L}\p{N}\p{M}]/u;
const isLetter = (ch: string | undefined): boolean => ch !== undefined && LETTER.test(ch);

/** Tokens of the folded comment with their scopes, and the comment's context features. */
export function readContext(folded: string): Context {
  const tokens: Token[] = [];
  let negations = 0;
  let quoted = false;
  let inQuote = false;
  let negationLeft = 0;
  let secondPerson = false;
  let question = false;
  let exclamations = 0;
  const chars = Array.from(folded);
  let i = 0;
  const scopeNow = () => (negationLeft > 0 ? SCOPE_NEGATED : 0) | (inQuote ? SCOPE_QUOTED : 0);
  while (i < chars.length) {
    const ch = chars[i] as string;
    const code = ch.codePointAt(0) ?? 0;
    if (isUnspacedCode(code)) {
      let text = '';
      const scopes: number[] = [];
      while (i < chars.length && isUnspacedCode(chars[i]?.codePointAt(0) ?? 0)) {
        const c = chars[i] as string;
        if (UNSPACED_NEGATIONS.has(c)) {
          negations++;
          negationLeft = 2 * NEGATION_REACH;
        }
        if (c === '你' || c === '您') secondPerson = true;
        text += c;
        scopes.push(scopeNow());
        if (negationLeft > 0 && !UNSPACED_NEGATIONS.has(c)) negationLeft--;
        i++;
      }
      tokens.push({ text, unspaced: true, scope: 0, charScopes: Uint8Array.from(scopes) });
      continue;
    }
    if (isLetter(ch) || ch === "'" || ch === '’') {
      // A word; an apostrophe inside one splits it ("don't" → "don", "t") as splitWords does.
      if (!isLetter(ch)) {
        i++;
        continue;
      }
      let word = '';
      while (
        i < chars.length &&
        isLetter(chars[i]) &&
        !isUnspacedCode(chars[i]?.codePointAt(0) ?? 0)
      ) {
        word += chars[i];
        i++;
      }
      const previous = tokens.at(-1);
      const cue =
        NEGATION_WORDS.has(word) ||
        (word === 't' && previous !== undefined && CONTRACTED.has(previous.text));
      if (CLAUSE_WORDS.has(word)) negationLeft = 0;
      if (SECOND_PERSON.has(word)) secondPerson = true;
      if (cue) {
        negations++;
        tokens.push({ text: word, unspaced: false, scope: scopeNow() });
        negationLeft = NEGATION_REACH;
        continue;
      }
      tokens.push({ text: word, unspaced: false, scope: scopeNow() });
      if (negationLeft > 0) negationLeft--;
      continue;
    }
    if (QUOTES.has(ch) && !(isLetter(chars[i - 1]) && isLetter(chars[i + 1]))) {
      inQuote = !inQuote;
      if (inQuote) quoted = true;
    } else if (CLAUSE_MARKS.has(ch)) {
      negationLeft = 0;
      if (ch === '?' || ch === '؟' || ch === '？') question = true;
      if (ch === '!' || ch === '！') exclamations++;
    }
    i++;
  }
  return { tokens, negations, quoted, secondPerson, question, exclamations };
}
