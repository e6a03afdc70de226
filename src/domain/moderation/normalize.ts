/**
 * Text normalisation for matching (word lists now, the classifier later). Nothing here changes what
 * is stored or shown: these functions produce a canonical form that two spellings of the same word
 * share, so that a list entry and a comment that dodges it compare equal.
 *
 * Two layers:
 *
 * - {@link normalizeForMatching} removes what a reader cannot see or does not read as different:
 *   invisible and bidi control characters, compatibility forms (full-width, mathematical and
 *   circled letters), case, accents on Latin letters, look-alike letters from other scripts, Arabic
 *   harakat, tatweel and letter variants, Hebrew niqqud and final forms. Every step is a fixed,
 *   context-free mapping, so the same input always gives the same output in every script, and the
 *   function is idempotent.
 * - {@link foldEvasions} then undoes deliberate disguises that change what is typed but not what is
 *   read: leetspeak, letters spaced or dotted apart, stretched letters. It is lossy on purpose
 *   ("2000" becomes "2o") and is for matching only.
 *
 * The confusables table ({@link CONFUSABLES}) is applied always, not only to mixed-script words.
 * That keeps it predictable, at a price: real Cyrillic and Greek words come out part Latin
 * ("привет" → "пpиbet"). Both a list entry and the text go through the same table, so Russian or
 * Greek entries still match Russian or Greek text, in any case. Where a Greek capital looks like
 * one Latin letter and its small letter like another (Η/η, Ν/ν, Μ/μ, Υ/υ), the small letter's
 * look-alike wins, because folding happens after case folding; a disguise made of those capitals
 * (a Greek capital eta for "H") is not undone.
 */

/**
 * Characters removed outright: every Unicode format character (General Category Cf: zero-width
 * space, ZWNJ, ZWJ, LRM, RLM, U+202A–U+202E embeddings and overrides, U+2060–U+2064, U+2066–U+2069
 * isolates, BOM U+FEFF, Arabic letter mark U+061C, Mongolian vowel separator U+180E, soft hyphen
 * U+00AD, tag characters), plus invisible characters that are not Cf: the combining grapheme joiner
 * U+034F, Mongolian free variation selectors, variation selectors U+FE00–U+FE0F and
 * U+E0100–U+E01EF, and the Hangul fillers U+115F, U+1160, U+3164, U+FFA0.
 */
const INVISIBLE =
  /[\p{Cf}\u034F\u115F\u1160\u180B-\u180F\u3164\uFE00-\uFE0F\uFFA0\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;

/**
 * The confusables table: one character (already lower-cased, decomposed) → its Latin look-alike or
 * canonical spelling. Covers:
 *
 * - Cyrillic: а в г е і ј ӏ к м н о п р с т у х ѕ һ ԁ ԛ ԝ ү ѵ (and, through NFD, ё ї ў, whose
 *   marks are then stripped as Latin marks);
 * - Greek: α β γ ε η ι κ μ ν ο ρ τ υ χ ω ϳ (with tonos or breathings too, through NFD), and the
 *   micro sign µ (NFKC makes it μ); not the lunate sigma ϲ, which NFKC turns into σ first;
 * - Armenian: օ ս ո հ;
 * - Latin letters that do not decompose: æ→ae, œ→oe, ø→o, ł→l, đ→d, ħ→h, dotless ı→i, ȷ→j, the
 *   IPA forms ɑ ɡ ɩ ɪ, and the small capitals ᴀ ʙ ᴄ ᴅ ᴇ ꜰ ɢ ʜ ᴊ ᴋ ʟ ᴍ ɴ ᴏ ᴘ ꞯ ʀ ꜱ ᴛ ᴜ ᴠ ᴡ ʏ ᴢ;
 * - the letter-like symbols NFKC leaves alone: regional indicators 🇦–🇿, negative circled 🅐–🅩
 *   and negative squared 🅰–🆉 letters → a–z;
 * - case folding beyond toLowerCase: ß→ss, final ς→σ;
 * - the modifier apostrophe ʼ → ' (so "lʼidiot" splits like "l'idiot");
 * - Arabic: alef wasla ٱ→ا, alef maqsura ى→ي, Farsi yeh ی→ي, ta marbuta ة→ه, keheh ک→ك (the hamza
 *   and madda forms أ إ آ ؤ ئ need no entry: NFD splits them into ا و ي plus a removed mark);
 * - Hebrew final forms: ך→כ ם→מ ן→נ ף→פ ץ→צ.
 *
 * Full-width, mathematical, circled, parenthesised, superscript and other compatibility letters
 * need no entry: NFKC already makes them plain Latin.
 */
export const CONFUSABLES: Readonly<Record<string, string>> = buildConfusables();

function buildConfusables(): Record<string, string> {
  const table: Record<string, string> = {
    // Case folding that toLowerCase leaves undone.
    ß: 'ss',
    ς: 'σ',
    ʼ: "'",
    // Latin letters without a decomposition.
    æ: 'ae',
    œ: 'oe',
    ø: 'o',
    ł: 'l',
    đ: 'd',
    ħ: 'h',
    ı: 'i',
    ȷ: 'j',
    ɑ: 'a',
    ɡ: 'g',
    ɩ: 'i',
    ɪ: 'i',
    // Latin small capitals ("fancy text" generators).
    ᴀ: 'a',
    ʙ: 'b',
    ᴄ: 'c',
    ᴅ: 'd',
    ᴇ: 'e',
    ꜰ: 'f',
    ɢ: 'g',
    ʜ: 'h',
    ᴊ: 'j',
    ᴋ: 'k',
    ʟ: 'l',
    ᴍ: 'm',
    ɴ: 'n',
    ᴏ: 'o',
    ᴘ: 'p',
    ꞯ: 'q',
    ʀ: 'r',
    ꜱ: 's',
    ᴛ: 't',
    ᴜ: 'u',
    ᴠ: 'v',
    ᴡ: 'w',
    ʏ: 'y',
    ᴢ: 'z',
    // Cyrillic.
    а: 'a',
    в: 'b',
    г: 'r',
    е: 'e',
    і: 'i',
    ј: 'j',
    ӏ: 'l',
    к: 'k',
    м: 'm',
    н: 'h',
    о: 'o',
    п: 'n',
    р: 'p',
    с: 'c',
    т: 't',
    у: 'y',
    х: 'x',
    ѕ: 's',
    һ: 'h',
    ԁ: 'd',
    ԛ: 'q',
    ԝ: 'w',
    ү: 'y',
    ѵ: 'v',
    // Greek.
    α: 'a',
    β: 'b',
    γ: 'y',
    ε: 'e',
    η: 'n',
    ι: 'i',
    κ: 'k',
    μ: 'u',
    ν: 'v',
    ο: 'o',
    ρ: 'p',
    τ: 't',
    υ: 'u',
    χ: 'x',
    ω: 'w',
    ϳ: 'j',
    // Armenian.
    օ: 'o',
    ս: 'u',
    ո: 'n',
    հ: 'h',
    // Arabic letter variants.
    ٱ: 'ا',
    ى: 'ي',
    ی: 'ي',
    ة: 'ه',
    ک: 'ك',
    // Hebrew final forms.
    ך: 'כ',
    ם: 'מ',
    ן: 'נ',
    ף: 'פ',
    ץ: 'צ',
  };
  // Regional indicators, negative circled and negative squared capitals: a run of 26 letters each.
  for (const first of [0x1f1e6, 0x1f150, 0x1f170]) {
    for (let i = 0; i < 26; i++)
      table[String.fromCodePoint(first + i)] = String.fromCharCode(97 + i);
  }
  return table;
}

const CONFUSABLE = new Map<number, string>(
  Object.entries(CONFUSABLES).map(([from, to]) => [from.codePointAt(0) ?? 0, to]),
);

// Character kinds, computed once per character (lazily, with Unicode property regexes) and cached,
// so that the per-comment passes below are plain loops over char codes.
/** A mark removed whatever it sits on: Arabic harakat and tatweel, Hebrew points (see below). */
const REMOVE = 1;
/** Any other combining mark (\p{M}). */
const MARK = 2;
/** A letter of the Latin script. */
const LATIN = 3;
/** A letter of any other script. */
const LETTER = 4;
/** A digit or other number (\p{N}). */
const DIGIT = 5;
/** Anything else: punctuation, symbols, spaces. */
const OTHER = 6;
const KIND = 7;
/** Flag on a letter: its script is written without spaces between words. */
const UNSPACED = 8;

/**
 * Marks that belong to Arabic and Hebrew and are removed whatever they sit on (after NFD):
 * Arabic Quranic signs U+0610–U+061A, harakat U+064B–U+065F (which also holds the hamza and madda
 * that NFD splits off أ إ آ ؤ ئ), superscript alef U+0670, Quranic annotation U+06D6–U+06ED,
 * extended marks U+08D3–U+08FF and tatweel U+0640; Hebrew points and cantillation (the marks in
 * U+0591–U+05C7, not maqaf, paseq, sof pasuq or nun hafukha, which are punctuation) and U+FB1E.
 */
const SCRIPT_MARK =
  /^[\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7\uFB1E\u0610-\u061A\u0640\u064B-\u065F\u0670\u06D6-\u06ED\u08D3-\u08FF]$/;
/**
 * Scripts written without spaces between words: Han, Hiragana, Katakana and Hangul (with the
 * punctuation and marks they share, by Script_Extensions), Thai, Lao, Khmer, Myanmar.
 */
const UNSPACED_SCRIPT =
  /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
const IS_MARK = /\p{M}/u;
const IS_LETTER = /\p{L}/u;
const IS_LATIN = /\p{Script=Latin}/u;
const IS_NUMBER = /\p{N}/u;

function computeKind(codePoint: number): number {
  const char = String.fromCodePoint(codePoint);
  if (SCRIPT_MARK.test(char)) return REMOVE;
  if (IS_MARK.test(char)) return MARK;
  if (IS_LETTER.test(char)) {
    if (IS_LATIN.test(char)) return LATIN;
    return UNSPACED_SCRIPT.test(char) ? LETTER | UNSPACED : LETTER;
  }
  if (IS_NUMBER.test(char)) return DIGIT;
  return OTHER;
}

const bmpKinds = new Uint8Array(0x10000);
const astralKinds = new Map<number, number>();
for (let c = 0; c < 0x80; c++) bmpKinds[c] = computeKind(c);

function kindOf(codePoint: number): number {
  if (codePoint < 0x10000) {
    let kind = bmpKinds[codePoint] ?? 0;
    if (kind === 0) bmpKinds[codePoint] = kind = computeKind(codePoint);
    return kind;
  }
  let kind = astralKinds.get(codePoint);
  if (kind === undefined) astralKinds.set(codePoint, (kind = computeKind(codePoint)));
  return kind;
}

const isWordKind = (kind: number): boolean => (kind & KIND) <= DIGIT;

/**
 * The per-character pass of {@link normalizeForMatching}, on lower-cased NFD text: removes Arabic and
 * Hebrew marks, applies {@link CONFUSABLES}, and removes combining marks that sit on a Latin letter
 * (or on a digit, punctuation, a symbol, a space, or nothing), so é, è, ê, ë all read e and stacked
 * "Zalgo" marks vanish. Marks on letters of other scripts are kept (Cyrillic й stays й, Japanese が
 * stays が). One exception: the tilde of ñ is kept, because Spanish reads "año" and "ano" as
 * different words.
 */
function foldCharacters(text: string): string {
  let out = '';
  let from = 0;
  let stripMarks = true;
  let baseIsN = false;
  let keptTilde = false;
  for (let i = 0; i < text.length;) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      stripMarks = true;
      baseIsN = code === 0x6e;
      keptTilde = false;
      i++;
      continue;
    }
    const codePoint = text.codePointAt(i) ?? code;
    const width = codePoint > 0xffff ? 2 : 1;
    const kind = kindOf(codePoint) & KIND;
    let replacement: string | undefined;
    if (kind === REMOVE) {
      replacement = '';
    } else if (kind === MARK) {
      if (stripMarks) {
        if (baseIsN && codePoint === 0x303 && !keptTilde) keptTilde = true;
        else replacement = '';
      }
    } else {
      replacement = CONFUSABLE.get(codePoint);
      if (replacement !== undefined) {
        stripMarks = replacement.charCodeAt(replacement.length - 1) < 0x80;
        baseIsN = replacement === 'n';
      } else {
        stripMarks = kind !== LETTER;
        baseIsN = false;
      }
      keptTilde = false;
    }
    if (replacement !== undefined) {
      out += text.slice(from, i) + replacement;
      from = i + width;
    }
    i += width;
  }
  return from === 0 ? text : out + text.slice(from);
}

const ASCII_ONLY = /^[\x00-\x7F]*$/;
/** Whitespace that is not a single plain space. */
const LOOSE_WHITESPACE = /\s{2,}|[^\S ]/g;

/**
 * The canonical form of `text` for matching, in this order: invisible and bidi control characters
 * removed (see {@link INVISIBLE}); Unicode NFKC (full-width ＦＵＣＫ, 𝐟𝐮𝐜𝐤, ⓕⓤⓒⓚ → fuck);
 * lower-cased; decomposed (NFD); Arabic harakat, Quranic marks and tatweel, and Hebrew niqqud and
 * cantillation removed; the {@link CONFUSABLES} table applied (homoglyphs to Latin, ß→ss, Arabic
 * alef/ya/ta marbuta variants unified, Hebrew final letters folded); combining marks on Latin
 * letters removed (é→e, but ñ kept); recomposed (NFC); runs of whitespace collapsed to one space
 * and the ends trimmed.
 *
 * Deterministic and idempotent: `normalizeForMatching(normalizeForMatching(x))` equals
 * `normalizeForMatching(x)`.
 */
export function normalizeForMatching(text: string): string {
  let out = text;
  if (!ASCII_ONLY.test(out)) {
    out = foldCharacters(
      out.replace(INVISIBLE, '').normalize('NFKC').toLowerCase().normalize('NFD'),
    ).normalize('NFC');
  } else {
    out = out.toLowerCase();
  }
  return out.replace(LOOSE_WHITESPACE, ' ').trim();
}

/** Leetspeak digits, read as letters wherever they are. */
const LEET_DIGIT = /[0134578]/g;
const LEET_SYMBOL = /[@$€|!]/g;
const LEET_SYMBOL_TEST = /[@$€|!]/;
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '€': 'e',
  '|': 'l',
  '!': 'i',
};
const foldLeet = (c: string): string => LEET[c] ?? c;
const isLeetSymbol = (code: number): boolean =>
  code === 0x40 || code === 0x24 || code === 0x20ac || code === 0x7c || code === 0x21;

/** Options of {@link unmaskEvasions}. */
export interface UnmaskOptions {
  /**
   * Read an "@" at the start of a word as a mention sign and drop it ("@idiot" → "idiot") instead
   * of reading it as the letter a ("@ss" → "ass"). Default false. A matcher that wants both readings
   * runs both.
   */
  atAsMention?: boolean;
}

/** Reads the leet symbols of one run of letters, digits and symbols that has a symbol in it. */
function unmaskPiece(piece: string, atAsMention: boolean): string {
  // A "!" at either end of a word is punctuation ("idiot!"); only one inside reads as i ("sh!t").
  let start = 0;
  let end = piece.length;
  while (start < end && piece[start] === '!') start++;
  while (end > start && piece[end - 1] === '!') end--;
  let body = piece.slice(start, end);
  if (atAsMention) body = body.replace(/^@+/, '');
  return piece.slice(0, start) + body.replace(LEET_SYMBOL, foldLeet) + piece.slice(end);
}

/**
 * The kind (without flags) of the UTF-16 code unit at `i`; the second half of a surrogate pair has
 * the kind of the pair, so a loop over code units never splits one.
 */
function kindAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 0x80) return bmpKinds[code] ?? OTHER;
  if (code >= 0xdc00 && code <= 0xdfff && i > 0) {
    return kindOf(text.codePointAt(i - 1) ?? code) & KIND;
  }
  return kindOf(text.codePointAt(i) ?? code) & KIND;
}

const SYMBOL_FINDER = /[@$€|!]/g;

/** 0: not part of a leet word; 1: a leet symbol or a mark; 2: a letter or digit. */
function pieceKind(text: string, i: number): number {
  if (isLeetSymbol(text.charCodeAt(i))) return 1;
  const kind = kindAt(text, i);
  return kind === LATIN || kind === LETTER || kind === DIGIT ? 2 : kind <= DIGIT ? 1 : 0;
}

/** Applies {@link unmaskPiece} to each run of word characters and leet symbols that has a symbol. */
function unmaskSymbols(text: string, atAsMention: boolean): string {
  let out = '';
  let from = 0;
  SYMBOL_FINDER.lastIndex = 0;
  for (let found = SYMBOL_FINDER.exec(text); found; found = SYMBOL_FINDER.exec(text)) {
    let hasWord = false;
    let start = found.index;
    for (let kind = 0; start > from && (kind = pieceKind(text, start - 1)) > 0; start--) {
      if (kind === 2) hasWord = true;
    }
    let end = found.index + 1;
    for (let kind = 0; end < text.length && (kind = pieceKind(text, end)) > 0; end++) {
      if (kind === 2) hasWord = true;
    }
    if (hasWord) {
      out += text.slice(from, start) + unmaskPiece(text.slice(start, end), atAsMention);
      from = end;
    }
    SYMBOL_FINDER.lastIndex = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Joins three or more single letters in a row, each separated from the next by one to three
 * characters that are not letters, marks or digits ("f u c k", "f.u.c.k", "f - u - c - k",
 * "f_u_c_k", "(f)(u)(c)(k)" → "fuck"). A single letter is one letter and its combining marks.
 */
function joinSpacedLetters(text: string): string {
  let out = '';
  let from = 0;
  // The current chain of single letters: where it starts and ends, its letters, how many.
  let chainStart = 0;
  let chainEnd = 0;
  let chainLetters = '';
  let chainLength = 0;
  let i = 0;
  while (i < text.length) {
    // One word, [start, i). A word that is one letter (and its marks) can join a chain.
    const start = i;
    let letters = 0;
    let single = true;
    for (; i < text.length; i++) {
      const kind = kindAt(text, i);
      if (kind > DIGIT) break;
      if (kind === MARK || kind === REMOVE) {
        if (i === start) single = false;
      } else if (kind === DIGIT || ++letters > 1) {
        single = false;
      }
    }
    const isWord = i > start;
    if (isWord && single && chainLength > 0 && start - chainEnd <= 3) {
      chainLetters += text.slice(start, i);
      chainLength++;
      chainEnd = i;
    } else if (isWord) {
      if (chainLength >= 3) {
        out += text.slice(from, chainStart) + chainLetters;
        from = chainEnd;
      }
      chainLength = 0;
      if (single) {
        chainStart = start;
        chainEnd = i;
        chainLetters = text.slice(start, i);
        chainLength = 1;
      }
    }
    // The separator after it.
    while (i < text.length && kindAt(text, i) > DIGIT) i++;
  }
  if (chainLength >= 3) {
    out += text.slice(from, chainStart) + chainLetters;
    from = chainEnd;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * {@link foldEvasions} without the last step: leetspeak read as letters and spaced-out letters
 * joined, but stretched letters left as typed. A matcher that compares run lengths (so that "as"
 * does not match "ass" though both fold to "as") starts from this.
 *
 * - Digits 0 1 3 4 5 7 8 → o i e a s t b, everywhere.
 * - Symbols @ $ € | → a s e l inside any run of letters and digits ("@ss", "a$$", "fai|");
 *   ! → i only with word characters on both sides ("sh!t" but not "idiot!"). A symbol standing
 *   alone is left as it is.
 * - Three or more single letters separated by 1–3 non-word characters are joined ("i d i o t",
 *   "i.d.i.o.t", "i-d-i-o-t", "i_d_i_o_t" → "idiot"); two are left apart ("a b").
 */
export function unmaskEvasions(normalized: string, options: UnmaskOptions = {}): string {
  let text = normalized.replace(LEET_DIGIT, foldLeet);
  if (LEET_SYMBOL_TEST.test(text)) text = unmaskSymbols(text, options.atAsMention === true);
  return joinSpacedLetters(text);
}

const REPEATED = /(.)\1+/gsu;

/** Collapses every run of the same character to one ("idiooooot" → "idiot", "cool" → "col"). */
export function collapseRuns(text: string): string {
  return text.replace(REPEATED, '$1');
}

/**
 * Undoes the disguises commenters use to slip past word lists, for matching only. Takes the output
 * of {@link normalizeForMatching}; applies {@link unmaskEvasions} (leetspeak, spaced or dotted
 * letters) then {@link collapseRuns} (stretched letters).
 *
 * Runs are collapsed to a single character, so a list entry must be folded the same way before
 * comparing: "cool" and "cooool" both become "col". Collapsing alone also makes "ass" equal "as"
 * and "butt" equal "but"; the word-list matcher avoids that by also requiring each run in the text
 * to be at least as long as in the entry.
 */
export function foldEvasions(normalized: string): string {
  return collapseRuns(unmaskEvasions(normalized));
}

/**
 * The words of `text`: maximal runs of letters, combining marks and digits, in order. With
 * `spacedOnly`, letters of scripts written without spaces (Chinese, Japanese, Korean, Thai, Lao,
 * Khmer, Myanmar) break words instead of belonging to them, so "你是idiot" gives ["idiot"].
 */
export function splitWords(text: string, spacedOnly = false): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length;) {
    let inWord = false;
    let width = 1;
    if (i < text.length) {
      const code = text.charCodeAt(i);
      if (code < 0x80) {
        inWord = (bmpKinds[code] ?? OTHER) <= DIGIT;
      } else {
        const codePoint = text.codePointAt(i) ?? code;
        const kind = kindOf(codePoint);
        width = codePoint > 0xffff ? 2 : 1;
        inWord = isWordKind(kind) && !(spacedOnly && (kind & UNSPACED) !== 0);
      }
    }
    if (inWord) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.push(text.slice(start, i));
      start = -1;
    }
    i += width;
  }
  return words;
}

/** Whether `text` has a letter of a script written without spaces between words. */
export function hasUnspacedScript(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Every such letter is at U+0E00 (Thai) or above.
    if (code >= 0x0e00 && (kindOf(text.codePointAt(i) ?? code) & UNSPACED) !== 0) return true;
  }
  return false;
}
