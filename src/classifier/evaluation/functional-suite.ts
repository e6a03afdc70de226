/**
 * Parley's functional test suite for abusive-language detection (evaluation only: never trained on).
 *
 * Built the way published functional suites are (HateCheck, Multilingual HateCheck): per language, a
 * data file under data/functional-suite/<lang>.json holds word lists (identity terms, slurs, insults,
 * institutions, names…) and, per behaviour, templates with an expected moderation decision. This
 * module expands templates × lists deterministically (a seeded PRNG, never Math.random) and derives
 * the spelling-evasion variants from hateful cases by code.
 *
 * Template syntax (see the data files):
 *   {list} / {list.form}  a list entry, or one of its named forms ("term" when no form is given).
 *                         {group} draws from lists.group and lists.people; {people} only from the
 *                         newsroom's subject groups. Entries lacking a form a template needs are not
 *                         used with that template. An entry with a `group` field (a slur) is only
 *                         combined with its own group when the template names both.
 *   {list.form@}          the entry's `form_f` instead when the governing gender (below) is f.
 *   <a|b|c>               grammatical agreement: picks by the `gender` (m, f, n) of the first filled
 *                         entry that has one; <slot:a|b> picks by that slot's entry.
 *   [[word]]              the key hateful word, which the evasion variants misspell; a filled {slur}
 *                         is the key word when nothing is marked.
 * A slot at the start of a sentence (or of a quotation after a colon) is capitalised.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../domain/seeded-random.ts';

export const SUITE_LANGUAGES = ['en', 'ar', 'he', 'zh', 'fr', 'es', 'de', 'pt'] as const;
export type SuiteLanguage = (typeof SUITE_LANGUAGES)[number];

export const ATTRIBUTES = [
  'TOXICITY',
  'SEVERE_TOXICITY',
  'IDENTITY_ATTACK',
  'INSULT',
  'PROFANITY',
  'THREAT',
] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

export type Target = 'group' | 'individual' | 'institution' | 'object' | 'none';

export interface FunctionalCase {
  /** Stable, e.g. "en-threat_direct-0007". */
  id: string;
  language: string;
  /** One of BEHAVIOURS. */
  behaviour: string;
  text: string;
  /** What a newsroom's moderator would do. */
  expected: 'hold' | 'allow';
  /** Optional attribute expectations: true = this attribute must be high, false = must be low. */
  attributes: Partial<Record<Attribute, boolean>>;
  target: Target;
  /** Evasion variants only: the id of the hateful case they misspell. */
  source?: string;
}

/** Every behaviour the suite knows, with what it tests. */
export const BEHAVIOUR_DESCRIPTIONS = {
  derogation_explicit: 'Strong negative emotion or description aimed at a protected group.',
  dehumanisation: 'A group compared to animals, vermin, disease or filth.',
  derogation_implicit: 'Derogation by implication or stereotype, without swear words.',
  threat_direct: 'A direct threat of violence against a group ("I will…", "we are going to…").',
  threat_normative: 'A group should / deserves to / needs to suffer violence.',
  slur: 'A slur used hatefully, alone or in a short sentence.',
  hate_question: 'Hate phrased as a question.',
  hate_opinion: 'Hate phrased as an opinion.',
  hate_pronoun_reference:
    'A group named in one sentence and attacked through a pronoun in the next.',
  subject_attack_people:
    "The newsroom's subject: criticism_government's sentiments aimed at a people instead.",
  insult_commenter: 'An insult aimed at another commenter (not identity-based).',
  profanity_at_person: 'Profanity aimed at a person.',
  evasion_swap: 'A hateful case with two adjacent letters of the key word swapped.',
  evasion_missing: 'A hateful case with a letter of the key word dropped.',
  evasion_repeat: 'A hateful case with letters of the key word repeated.',
  evasion_nospace: 'A hateful case with the spaces around the key word removed.',
  evasion_addspace: 'A hateful case with spaces inserted inside the key word.',
  evasion_leet: 'A hateful case with the key word in leetspeak (Latin-script languages).',
  evasion_homoglyph:
    'A hateful case with Cyrillic/Greek look-alike letters in the key word (Latin-script languages).',
  evasion_mixed:
    'A hateful case with script tricks inside the key word: tatweel or separators (ar, he, zh).',
  evasion_transliteration:
    'Hate written in Latin letters: Arabizi, Hebrew in Latin letters, pinyin mixed with hanzi.',
  group_neutral: 'A neutral statement naming a group.',
  group_positive: 'A positive statement about a group.',
  counter_quote: 'Hate quoted in order to condemn it.',
  counter_reference: 'Hate referred to, without quoting it, in order to condemn it.',
  negated_hate: 'A hateful statement negated.',
  reclaimed_slur: 'A slur reclaimed by the group it names, used in-group.',
  profanity_untargeted: 'Profanity aimed at no one.',
  abuse_object: 'Abuse aimed at an object.',
  abuse_idea: 'Abuse aimed at an idea, a policy or an institution in general.',
  criticism_government:
    'Criticism, even harsh, of a government, armed movement, party, army or ministry: not an attack on a people.',
} as const satisfies Record<string, string>;

export type Behaviour = keyof typeof BEHAVIOUR_DESCRIPTIONS;
export const BEHAVIOURS: readonly Behaviour[] = Object.keys(BEHAVIOUR_DESCRIPTIONS) as Behaviour[];

type EvasionKind = Extract<Behaviour, `evasion_${string}`>;
type GeneratedEvasion = Exclude<EvasionKind, 'evasion_transliteration'>;

const LATIN: ReadonlySet<string> = new Set(['en', 'fr', 'es', 'de', 'pt']);

/** Which generated evasions apply to a language, or why one does not. */
function evasionApplies(kind: GeneratedEvasion, language: string): true | string {
  const latin = LATIN.has(language);
  switch (kind) {
    case 'evasion_leet':
    case 'evasion_homoglyph':
      return latin || 'Latin-script languages only (the data use evasion_mixed for ar, he and zh).';
    case 'evasion_mixed':
      return !latin || 'ar, he and zh only (Latin-script languages have leet and homoglyphs).';
    case 'evasion_nospace':
      return language !== 'zh' || 'Chinese is written without spaces between words.';
    case 'evasion_swap':
    case 'evasion_missing':
    case 'evasion_repeat':
      return (
        language !== 'zh' ||
        'The key words are one- to three-character hanzi words: swapping, dropping or repeating a character does not make a realistic misspelling (zh has evasion_addspace, evasion_mixed and evasion_transliteration).'
      );
    case 'evasion_addspace':
      return true;
  }
}

const GENERATED_EVASIONS: readonly GeneratedEvasion[] = [
  'evasion_swap',
  'evasion_missing',
  'evasion_repeat',
  'evasion_nospace',
  'evasion_addspace',
  'evasion_leet',
  'evasion_homoglyph',
  'evasion_mixed',
];

/** The hateful behaviours the generated evasions start from. */
const EVASION_SOURCES: ReadonlySet<string> = new Set([
  'derogation_explicit',
  'dehumanisation',
  'threat_direct',
  'threat_normative',
  'slur',
  'hate_question',
  'hate_opinion',
  'hate_pronoun_reference',
  'subject_attack_people',
]);

const DEFAULT_COUNT = 40;
const EVASION_COUNT = 40;

// ---------------------------------------------------------------------------------------------
// Data files

type Entry = Readonly<Record<string, string>> & { readonly term: string };

interface TemplateObject {
  text: string;
  target?: Target;
}

interface BehaviourSpec {
  expected: 'hold' | 'allow';
  target: Target;
  attributes?: Partial<Record<Attribute, boolean>>;
  /** How many cases to draw (all of them when the templates yield fewer). */
  count?: number;
  note?: string;
  templates: (string | TemplateObject)[];
}

interface SuiteFile {
  language: string;
  notes?: string[];
  /** Behaviours the language leaves out on purpose, with the reason. */
  omitted?: Record<string, string>;
  lists: Record<string, (string | Record<string, string>)[]>;
  behaviours: Record<string, BehaviourSpec>;
}

const DATA_DIR = new URL('../../../data/functional-suite/', import.meta.url);

const files = new Map<string, SuiteFile>();

function readSuiteFile(language: string): SuiteFile {
  let file = files.get(language);
  if (!file) {
    const path = fileURLToPath(new URL(`${language}.json`, DATA_DIR));
    file = JSON.parse(readFileSync(path, 'utf8')) as SuiteFile;
    if (file.language !== language) throw new Error(`${path}: language is ${file.language}`);
    for (const name of Object.keys(file.behaviours)) {
      const generated = name.startsWith('evasion_') && name !== 'evasion_transliteration';
      if (!(name in BEHAVIOUR_DESCRIPTIONS) || generated)
        throw new Error(`${path}: unknown or generated behaviour ${name}`);
    }
    files.set(language, file);
  }
  return file;
}

function entriesOf(file: SuiteFile, list: string): Entry[] {
  const raw = file.lists[list];
  if (!raw) throw new Error(`${file.language}: no list "${list}"`);
  return raw.map((e) => (typeof e === 'string' ? { term: e } : (e as Entry)));
}

function listFor(file: SuiteFile, slot: string): Entry[] {
  if (slot === 'group') return [...entriesOf(file, 'group'), ...entriesOf(file, 'people')];
  return entriesOf(file, slot);
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

type Rng = () => number;

/** The project's seeded generator, seeded from a string. */
function rngFor(seed: string): Rng {
  return seededRandom(hashString(seed));
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Template expansion

const SLOT = /\{(\w+)(?:\.(\w+))?@?\}/g;
const TOKEN = /\[\[|\]\]|\{(\w+)(?:\.(\w+))?(@)?\}|<(?:(\w+):)?([^<>|]*(?:\|[^<>|]*)+)>/g;
const GENDER_INDEX: Readonly<Record<string, number>> = { m: 0, f: 1, n: 2 };
const SENTENCE_END = /[.!?…。！？]/;
const OPENING = /["'«“„‘(\s]/;

type Combo = ReadonlyMap<string, Entry>;

interface Rendered {
  text: string;
  key?: [number, number];
}

function slotsOf(template: string): Map<string, Set<string>> {
  const slots = new Map<string, Set<string>>();
  for (const m of template.matchAll(SLOT)) {
    const forms = slots.get(m[1]!) ?? new Set<string>();
    forms.add(m[2] ?? 'term');
    slots.set(m[1]!, forms);
  }
  return slots;
}

function combosOf(file: SuiteFile, template: string): Combo[] {
  const slots = slotsOf(template);
  let combos: Map<string, Entry>[] = [new Map()];
  for (const [slot, forms] of slots) {
    const entries = listFor(file, slot).filter((e) => [...forms].every((f) => f in e));
    if (entries.length === 0)
      throw new Error(
        `${file.language}: no ${slot} entry has ${[...forms].join(', ')}: ${template}`,
      );
    combos = combos.flatMap((c) => entries.map((e) => new Map(c).set(slot, e)));
  }
  const groupSlot = slots.has('group') ? 'group' : slots.has('people') ? 'people' : undefined;
  if (!groupSlot) return combos;
  // A slur (any entry naming its group) only goes with its own group.
  return combos.filter((c) =>
    [...c].every(
      ([slot, e]) => slot === groupSlot || !e.group || e.group === c.get(groupSlot)!.term,
    ),
  );
}

function capitalise(s: string): string {
  const first = s.codePointAt(0);
  if (first === undefined) return s;
  const ch = String.fromCodePoint(first);
  return ch.toLocaleUpperCase() + s.slice(ch.length);
}

/** At the start of the text or of a sentence, or of a quotation after a colon. */
function startsSentence(before: string): boolean {
  let i = before.length - 1;
  let quoted = false;
  for (; i >= 0 && OPENING.test(before[i]!); i--) quoted ||= !/\s/.test(before[i]!);
  return i < 0 || SENTENCE_END.test(before[i]!) || (quoted && before[i] === ':');
}

function render(template: string, combo: Combo): Rendered {
  let genderOf: string | undefined;
  for (const m of template.matchAll(SLOT)) {
    genderOf ??= combo.get(m[1]!)?.gender;
  }
  let text = '';
  let last = 0;
  let keyStart: number | undefined;
  let key: [number, number] | undefined;
  let slurSpan: [number, number] | undefined;
  for (const m of template.matchAll(TOKEN)) {
    text += template.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[0] === '[[') keyStart = text.length;
    else if (m[0] === ']]') {
      if (keyStart === undefined) throw new Error(`unbalanced ]]: ${template}`);
      key = [keyStart, text.length];
    } else if (m[1] !== undefined) {
      const entry = combo.get(m[1])!;
      const form = m[2] ?? 'term';
      let value = (m[3] && genderOf === 'f' ? entry[`${form}_f`] : undefined) ?? entry[form]!;
      if (startsSentence(text)) value = capitalise(value);
      if (m[1] === 'slur') slurSpan = [text.length, text.length + value.length];
      text += value;
    } else {
      if (m[5]!.includes('{')) throw new Error(`a slot inside <…|…>: ${template}`);
      const alternatives = m[5]!.split('|');
      const gender = m[4] !== undefined ? combo.get(m[4])?.gender : genderOf;
      text += alternatives[GENDER_INDEX[gender ?? 'm'] ?? 0] ?? alternatives[0]!;
    }
  }
  text += template.slice(last);
  const span = key ?? slurSpan;
  return span ? { text, key: span } : { text };
}

interface Draft extends FunctionalCase {
  key?: [number, number];
}

function expandBehaviour(
  file: SuiteFile,
  behaviour: string,
  spec: BehaviourSpec,
  seen: Set<string>,
): Draft[] {
  const rng = rngFor(`${file.language}/${behaviour}`);
  const count = spec.count ?? DEFAULT_COUNT;
  const templates = spec.templates.map((t) => (typeof t === 'string' ? { text: t } : t));
  const pools = templates.map((t) => shuffle(rng, combosOf(file, t.text)));
  const usage = new Map<string, number>();
  const used = (c: Combo) => {
    let n = 0;
    for (const [slot, e] of c) n += usage.get(`${slot}:${e.term}`) ?? 0;
    return n;
  };
  const out: Draft[] = [];
  let progress = true;
  while (out.length < count && progress) {
    progress = false;
    for (const [i, template] of templates.entries()) {
      if (out.length >= count) break;
      const pool = pools[i]!;
      if (pool.length === 0) continue;
      progress = true;
      // The least used fillers first, so that groups (and names, insults…) are spread evenly.
      let best = 0;
      for (let j = 1; j < pool.length; j++) if (used(pool[j]!) < used(pool[best]!)) best = j;
      const [combo] = pool.splice(best, 1) as [Combo];
      const rendered = render(template.text, combo);
      if (seen.has(rendered.text)) continue;
      seen.add(rendered.text);
      for (const [slot, e] of combo) {
        const k = `${slot}:${e.term}`;
        usage.set(k, (usage.get(k) ?? 0) + 1);
      }
      out.push({
        id: `${file.language}-${behaviour}-${String(out.length + 1).padStart(4, '0')}`,
        language: file.language,
        behaviour,
        text: rendered.text,
        expected: spec.expected,
        attributes: { ...(spec.attributes ?? {}) },
        target: template.target ?? spec.target,
        ...(rendered.key ? { key: rendered.key } : {}),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evasions

const LETTER = /[\p{L}\p{M}]/u;
const WORD = /[\p{L}\p{M}]+/gu;
const VOWELS = /[aeiouyàáâãäåèéêëìíîïòóôõöùúûüAEIOUYاويוי]/;
const LEET: Readonly<Record<string, readonly string[]>> = {
  a: ['4', '@'],
  e: ['3'],
  i: ['1', '!'],
  o: ['0'],
  s: ['5', '$'],
  t: ['7'],
  A: ['4', '@'],
  E: ['3'],
  I: ['1'],
  O: ['0'],
  S: ['5', '$'],
  T: ['7'],
};
const HOMOGLYPHS: Readonly<Record<string, string>> = {
  a: 'а',
  c: 'с',
  e: 'е',
  o: 'о',
  p: 'р',
  x: 'х',
  y: 'у',
  i: 'і',
  A: 'А',
  B: 'В',
  C: 'С',
  E: 'Е',
  H: 'Н',
  K: 'К',
  M: 'М',
  O: 'О',
  P: 'Р',
  T: 'Т',
  X: 'Х',
  v: 'ν',
};
/** Arabic letters that do not join the next one (no tatweel after them). */
const ARABIC_NON_JOINING = new Set([...'اأإآدذرزوؤءةى']);
const SEPARATORS: Readonly<Record<string, readonly string[]>> = {
  ar: ['.', '*', '_', '-'],
  he: ['.', '*', '_', '-'],
  zh: ['*', '丶', '.', '/', '_', '-', '·', '|'],
};

/** The longest word inside the key span: the one the evasions misspell. */
function keyWord(text: string, [start, end]: [number, number]): [number, number] | undefined {
  let best: [number, number] | undefined;
  for (const m of text.slice(start, end).matchAll(WORD))
    if (!best || m[0].length > best[1] - best[0])
      best = [start + m.index, start + m.index + m[0].length];
  return best;
}

function replaceWord(text: string, [s, e]: [number, number], chars: readonly string[]): string {
  return text.slice(0, s) + chars.join('') + text.slice(e);
}

function evade(
  kind: GeneratedEvasion,
  language: string,
  text: string,
  span: [number, number],
  rng: Rng,
): string | undefined {
  const word = keyWord(text, span);
  if (!word) return undefined;
  // Letters with their combining marks (Arabic harakat), so that no mark is split from its letter.
  const chars = text.slice(word[0], word[1]).match(/\P{M}\p{M}*/gu) ?? [];
  const n = chars.length;
  const interior = (from: number, to: number) =>
    Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
  switch (kind) {
    case 'evasion_swap': {
      const at = interior(1, n - 2).filter((i) => chars[i] !== chars[i + 1]);
      if (n < 4 || at.length === 0) return undefined;
      const i = pick(rng, at);
      [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
      return replaceWord(text, word, chars);
    }
    case 'evasion_missing': {
      if (n < 4) return undefined;
      chars.splice(pick(rng, interior(1, n - 1)), 1);
      return replaceWord(text, word, chars);
    }
    case 'evasion_repeat': {
      if (n < 3) return undefined;
      const vowels = interior(0, n).filter((i) => VOWELS.test(chars[i]!));
      const i = pick(rng, vowels.length > 0 ? vowels : interior(1, n));
      chars[i] = chars[i]!.repeat(2 + Math.floor(rng() * 3));
      return replaceWord(text, word, chars);
    }
    case 'evasion_addspace': {
      // Chinese key words are mostly two characters long: "恶 心" is already an evasion.
      if (n < (language === 'zh' ? 2 : 3)) return undefined;
      if (rng() < 0.6 || n < 4) return replaceWord(text, word, [chars.join(' ')]);
      const cut = 1 + Math.floor(rng() * (n - 2));
      return replaceWord(text, word, [...chars.slice(0, cut), ' ', ...chars.slice(cut)]);
    }
    case 'evasion_nospace': {
      const tokens = [...text.matchAll(/\S+/g)].map((m) => [m.index, m.index + m[0].length]);
      const k = tokens.findIndex(([s, e]) => s! <= word[0] && word[1] <= e!);
      if (k < 0 || tokens.length < 2) return undefined;
      const from = Math.max(0, Math.min(k - 2, tokens.length - 3));
      const to = Math.min(tokens.length - 1, from + 2);
      const a = tokens[from]![0]!;
      const b = tokens[to]![1]!;
      return text.slice(0, a) + text.slice(a, b).replace(/\s+/g, '') + text.slice(b);
    }
    case 'evasion_leet': {
      const at = interior(0, n).filter((i) => chars[i]! in LEET);
      if (at.length === 0) return undefined;
      let changed = 0;
      for (const i of at)
        if (rng() < 0.6 || (changed === 0 && i === at[at.length - 1])) {
          chars[i] = pick(rng, LEET[chars[i]!]!);
          changed++;
        }
      return replaceWord(text, word, chars);
    }
    case 'evasion_homoglyph': {
      const at = shuffle(
        rng,
        interior(0, n).filter((i) => chars[i]! in HOMOGLYPHS),
      );
      if (at.length === 0) return undefined;
      for (const i of at.slice(0, 1 + Math.floor(rng() * 2))) chars[i] = HOMOGLYPHS[chars[i]!]!;
      return replaceWord(text, word, chars);
    }
    case 'evasion_mixed': {
      if (n < 2) return undefined;
      if (language === 'ar' && rng() < 0.5) {
        const joined = chars.map((c, i) =>
          i < n - 1 && LETTER.test(chars[i + 1]!) && !ARABIC_NON_JOINING.has(c) ? c + 'ـ' : c,
        );
        if (joined.join('') !== chars.join('')) return replaceWord(text, word, joined);
      }
      const sep = pick(rng, SEPARATORS[language] ?? ['.']);
      return replaceWord(text, word, [chars.join(sep)]);
    }
  }
}

function generateEvasions(language: string, drafts: readonly Draft[], seen: Set<string>): Draft[] {
  const sources = drafts.filter((d) => d.key && EVASION_SOURCES.has(d.behaviour));
  const out: Draft[] = [];
  for (const kind of GENERATED_EVASIONS) {
    if (evasionApplies(kind, language) !== true) continue;
    const rng = rngFor(`${language}/${kind}`);
    let n = 0;
    for (const source of shuffle(rng, [...sources])) {
      if (n >= EVASION_COUNT) break;
      const text = evade(kind, language, source.text, source.key!, rng);
      if (text === undefined || text === source.text || seen.has(text)) continue;
      seen.add(text);
      n++;
      out.push({
        id: `${language}-${kind}-${String(n).padStart(4, '0')}`,
        language,
        behaviour: kind,
        text,
        expected: 'hold',
        attributes: { IDENTITY_ATTACK: true },
        target: source.target,
        source: source.id,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Public API

const suites = new Map<string, FunctionalCase[]>();

function loadLanguage(language: string): FunctionalCase[] {
  const cached = suites.get(language);
  if (cached) return cached;
  const file = readSuiteFile(language);
  const seen = new Set<string>();
  const drafts: Draft[] = [];
  for (const behaviour of BEHAVIOURS) {
    const spec = file.behaviours[behaviour];
    if (spec) drafts.push(...expandBehaviour(file, behaviour, spec, seen));
  }
  drafts.push(...generateEvasions(language, drafts, seen));
  const cases = drafts.map(({ key: _key, ...c }) => c);
  suites.set(language, cases);
  return cases;
}

/** The suite's cases for the given languages (all of them by default), in a stable order. */
export function loadFunctionalSuite(
  languages: readonly string[] = SUITE_LANGUAGES,
): FunctionalCase[] {
  // Copies, so that a caller changing a case does not change the next load.
  return languages.flatMap((l) =>
    loadLanguage(l).map((c) => ({ ...c, attributes: { ...c.attributes } })),
  );
}

/** The behaviours a language leaves out, with the reason (the script, or the data file's note). */
export function omittedBehaviours(language: string): Record<string, string> {
  const file = readSuiteFile(language);
  const omitted: Record<string, string> = { ...(file.omitted ?? {}) };
  for (const kind of GENERATED_EVASIONS) {
    const applies = evasionApplies(kind, language);
    if (applies !== true) omitted[kind] = applies;
  }
  if (!file.behaviours.evasion_transliteration && LATIN.has(language))
    omitted.evasion_transliteration ??=
      'Latin-script languages are already written in Latin letters.';
  return omitted;
}

const SURFACE_LISTS = [
  'group',
  'people',
  'slur',
  'insult',
  'profanity',
  'name',
  'institution',
  'reclaimed',
  'translit',
];
const NOT_SURFACE = new Set(['gender', 'group', 'note']);

function surfaceTerms(language: string, lists: readonly string[]): string[] {
  const file = readSuiteFile(language);
  const terms = new Set<string>();
  for (const list of lists)
    for (const entry of file.lists[list] ? entriesOf(file, list) : [])
      for (const [field, value] of Object.entries(entry))
        if (!NOT_SURFACE.has(field)) terms.add(value);
  return [...terms].sort();
}

/**
 * Every surface term the suite uses (groups, slurs, insults, profanity, names, institutions) per
 * language, for the separation check against the training generator.
 */
export function suiteVocabulary(
  language: string,
  lists: readonly string[] = SURFACE_LISTS,
): string[] {
  return surfaceTerms(language, lists);
}

/**
 * The part of suiteVocabulary both bodies may share: the newsroom's subject groups (Palestinians,
 * Israelis, Jews, Muslims, Arabs, Chinese people) and the institutions of criticism_government.
 */
export function subjectVocabulary(language: string): string[] {
  return surfaceTerms(language, ['people', 'institution']);
}
