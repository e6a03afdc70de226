/**
 * The project's training generator: labelled sentences expanded from templates × identity terms ×
 * slurs and insults × targets, in eight languages, that teach the classifier who is attacked and
 * not only which words are used. The word lists and the templates live in
 * data/training-generator/<language>.json (written for Parley); this module only expands them.
 *
 * A language file holds:
 * - `lists`: named word lists. An item is a string or an object of grammatical forms (any string
 *   key) plus the reserved keys `g` (gender for agreement: "m", "f" or "n"), `group` (the group a
 *   slur is aimed at), `subject` (one of the newsroom's subject groups) and `lat` (romanised
 *   spelling used by the evasions, a string for the default form or an object per form). A list
 *   may instead be derived from another: `{ "from": "group", "where": { "subject": true } }`.
 *   `kind` says what a list holds; generatorVocabulary() returns the surface terms of the kinds
 *   group, slur, insult, profanity, name and institution.
 * - `shared`: template sets used by more than one behaviour (the minimal pairs: one sentence,
 *   the target swapped between a people and an institution).
 * - `behaviours`: per behaviour its six labels, its templates, optionally `use` (shared sets),
 *   `bind` (slot name → list name) and `weight` (share of `perBehaviour`).
 *
 * Template syntax: `{list}`, `{list.form}`, `{list#2.form}` (a second, different item of the same
 * list); a `*` in a form name is replaced by the gender of the sentence's head (the first slot
 * whose item has a gender, or a random gender when none has: the commenter addressed); `{g:m|f}`
 * or `{g:m|f|n}` agrees with the head, `{g@list#2:m|f}` with a given slot; `{~a|b|}` picks one
 * alternative at random.
 *
 * Deterministic: every (seed, language, behaviour) has its own mulberry32 stream, so a subset of
 * languages gives the same sentences as the full run. A share of the examples (more of the
 * abusive ones, some of the benign ones, with unchanged labels) is respelled the way commenters
 * dodge filters: letters swapped, dropped or repeated, spaces inserted or removed, leetspeak,
 * Cyrillic look-alikes, Arabizi, Hebrew in Latin letters, pinyin and pinyin initials.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { seededRandom } from '../../domain/seeded-random.ts';

export type Attribute =
  'toxicity' | 'severe_toxicity' | 'identity_attack' | 'insult' | 'profanity' | 'threat';

export const ATTRIBUTES: readonly Attribute[] = [
  'toxicity',
  'severe_toxicity',
  'identity_attack',
  'insult',
  'profanity',
  'threat',
];

export interface GeneratedExample {
  text: string;
  language: string; // en ar he zh fr es de pt
  behaviour: string;
  /** 1 yes, 0 no, for every attribute (every generated example is labelled on all six). */
  labels: Record<Attribute, 0 | 1>;
}

export const GENERATOR_LANGUAGES: readonly string[] = [
  'en',
  'ar',
  'he',
  'zh',
  'fr',
  'es',
  'de',
  'pt',
];

/** Examples per behaviour and language when the caller does not say (times the weight). */
export const DEFAULT_PER_BEHAVIOUR = 420;
export const DEFAULT_SEED = 7;

/** Share of examples respelled with an evasion: abusive (toxicity or profanity) and benign. */
const EVASION_SHARE_ABUSIVE = 0.15;
const EVASION_SHARE_BENIGN = 0.07;

/**
 * Share of `perBehaviour` per behaviour, chosen so that in every language the examples with
 * identity_attack 1 and those with identity_attack 0 come to similar totals (eleven behaviours
 * attack a group, sixteen do not). A language file may override one with `weight`.
 */
const DEFAULT_WEIGHTS: Record<string, number> = {
  institution_criticism: 1.3,
  neutral_group: 1,
  positive_group: 0.9,
  negated_hate: 0.9,
  counter_quote: 0.8,
  counter_reference: 0.8,
  benign_news: 0.8,
  insult_commenter: 0.7,
  benign_trigger_words: 0.5,
  threat_figurative: 0.5,
  profanity_untargeted: 0.5,
  profanity_at_person: 0.5,
  idea_abuse: 0.5,
  object_abuse: 0.4,
  threat_individual: 0.4,
  reclaimed_slur: 0.3,
};

/** List kinds whose terms generatorVocabulary() reports. */
const VOCABULARY_KINDS = new Set(['group', 'slur', 'insult', 'profanity', 'name', 'institution']);
const RESERVED_KEYS = new Set(['g', 'group', 'subject', 'lat', 'id']);

type Labels = Record<Attribute, 0 | 1>;

interface Item {
  forms: Record<string, string>;
  defaultForm: string;
  g?: string;
  props: Record<string, unknown>;
  lat: Record<string, string>;
}

interface List {
  kind: string;
  items: Item[];
}

interface Behaviour {
  name: string;
  labels: Labels;
  templates: string[];
  bind: Record<string, string>;
  weight: number;
}

interface Language {
  language: string;
  lists: Map<string, List>;
  behaviours: Behaviour[];
}

interface RawList {
  kind?: string;
  items?: unknown[];
  from?: string;
  where?: Record<string, unknown>;
}

interface RawBehaviour {
  labels: Record<string, number>;
  templates?: string[];
  use?: string[];
  bind?: Record<string, string>;
  weight?: number;
}

interface RawLanguage {
  language: string;
  lists: Record<string, RawList>;
  shared?: Record<string, string[]>;
  behaviours: Record<string, RawBehaviour>;
}

const DATA_DIR = new URL('../../../data/training-generator/', import.meta.url);

// ---------------------------------------------------------------------------------------------
// Loading

function toItem(raw: unknown, where: string): Item {
  if (typeof raw === 'string')
    return { forms: { base: raw }, defaultForm: 'base', props: {}, lat: {} };
  if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: bad item`);
  const record = raw as Record<string, unknown>;
  const forms: Record<string, string> = {};
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (RESERVED_KEYS.has(key)) props[key] = value;
    else if (typeof value === 'string') forms[key] = value;
    else throw new Error(`${where}: form ${key} is not a string`);
  }
  const keys = Object.keys(forms);
  if (keys.length === 0) throw new Error(`${where}: item without forms`);
  const defaultForm = 'base' in forms ? 'base' : (keys[0] as string);
  const lat: Record<string, string> = {};
  if (typeof record.lat === 'string') lat[defaultForm] = record.lat;
  else if (typeof record.lat === 'object' && record.lat !== null)
    Object.assign(lat, record.lat as Record<string, string>);
  const g = typeof record.g === 'string' ? record.g : undefined;
  return { forms, defaultForm, g, props, lat };
}

function checkLabels(raw: Record<string, number>, where: string): Labels {
  const labels = {} as Labels;
  for (const attribute of ATTRIBUTES) {
    const value = raw[attribute];
    if (value !== 0 && value !== 1) throw new Error(`${where}: label ${attribute} must be 0 or 1`);
    labels[attribute] = value;
  }
  for (const key of Object.keys(raw))
    if (!ATTRIBUTES.includes(key as Attribute)) throw new Error(`${where}: unknown label ${key}`);
  return labels;
}

function parseLanguage(raw: RawLanguage): Language {
  const lists = new Map<string, List>();
  for (const [name, list] of Object.entries(raw.lists)) {
    if (list.from !== undefined) continue;
    const items = (list.items ?? []).map((item, i) =>
      toItem(item, `${raw.language}.${name}[${i}]`),
    );
    lists.set(name, { kind: list.kind ?? 'filler', items });
  }
  for (const [name, list] of Object.entries(raw.lists)) {
    if (list.from === undefined) continue;
    const source = lists.get(list.from);
    if (!source) throw new Error(`${raw.language}.${name}: unknown list ${list.from}`);
    const where = Object.entries(list.where ?? {});
    const items = source.items.filter((item) =>
      where.every(([key, value]) => (item.props[key] ?? item.forms[key]) === value),
    );
    lists.set(name, { kind: list.kind ?? source.kind, items });
  }
  const behaviours: Behaviour[] = [];
  for (const [name, spec] of Object.entries(raw.behaviours)) {
    const templates = [...(spec.templates ?? [])];
    for (const set of spec.use ?? []) {
      const shared = raw.shared?.[set];
      if (!shared) throw new Error(`${raw.language}.${name}: unknown shared set ${set}`);
      templates.push(...shared);
    }
    if (templates.length === 0) throw new Error(`${raw.language}.${name}: no templates`);
    behaviours.push({
      name,
      labels: checkLabels(spec.labels, `${raw.language}.${name}`),
      templates,
      bind: spec.bind ?? {},
      weight: spec.weight ?? DEFAULT_WEIGHTS[name] ?? 1,
    });
  }
  return { language: raw.language, lists, behaviours };
}

const cache = new Map<string, Language>();

function loadLanguage(language: string): Language {
  const cached = cache.get(language);
  if (cached) return cached;
  if (!GENERATOR_LANGUAGES.includes(language)) throw new Error(`No generator data for ${language}`);
  const raw = JSON.parse(
    readFileSync(new URL(`${language}.json`, DATA_DIR), 'utf8'),
  ) as RawLanguage;
  if (raw.language !== language) throw new Error(`${language}.json says it is ${raw.language}`);
  const parsed = parseLanguage(raw);
  cache.set(language, parsed);
  return parsed;
}

/** The language files present (for tests: every language has one). */
export function generatorDataFiles(): string[] {
  return readdirSync(DATA_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

// ---------------------------------------------------------------------------------------------
// Randomness

function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

type Random = () => number;
const pick = <T>(random: Random, values: readonly T[]): T => {
  const value = values[Math.floor(random() * values.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
};

function shuffled<T>(random: Random, values: readonly T[]): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Templates

type Token =
  | { type: 'text'; text: string }
  | { type: 'slot'; key: string; list: string; form: string | null }
  | { type: 'agree'; key: string | null; options: string[] }
  | { type: 'choice'; options: string[] };

const SLOT = /^([a-z_]+)(#\d+)?(?:\.([a-z_*0-9]+))?$/;

function tokenize(template: string, bind: Record<string, string>): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{([^{}]+)\}/g)) {
    const index = match.index;
    if (index > last) tokens.push({ type: 'text', text: template.slice(last, index) });
    last = index + match[0].length;
    const body = match[1] as string;
    if (body.startsWith('~')) {
      tokens.push({ type: 'choice', options: body.slice(1).split('|') });
    } else if (body.startsWith('g:') || body.startsWith('g@')) {
      const colon = body.indexOf(':');
      const key = body.startsWith('g@') ? body.slice(2, colon) : null;
      const resolved = key === null ? null : resolveKey(key, bind);
      tokens.push({ type: 'agree', key: resolved, options: body.slice(colon + 1).split('|') });
    } else {
      const slot = SLOT.exec(body);
      if (!slot) throw new Error(`Bad placeholder {${body}} in: ${template}`);
      const name = slot[1] as string;
      const list = bind[name] ?? name;
      tokens.push({ type: 'slot', key: `${name}${slot[2] ?? ''}`, list, form: slot[3] ?? null });
    }
  }
  if (last < template.length) tokens.push({ type: 'text', text: template.slice(last) });
  return tokens;
}

function resolveKey(key: string, _bind: Record<string, string>): string {
  return key;
}

interface Span {
  start: number;
  end: number;
  kind: string;
  item: Item;
  form: string;
}

interface Rendered {
  text: string;
  spans: Span[];
}

const GENDER_INDEX: Record<string, number> = { m: 0, f: 1, n: 2 };
const CASED = new Set(['en', 'fr', 'es', 'de', 'pt']);

function render(tokens: Token[], language: Language, random: Random, template: string): Rendered {
  // First pass: one item per slot key, distinct items for keys of the same list.
  const chosen = new Map<string, Item>();
  const used = new Map<string, Set<Item>>();
  let head: string | undefined;
  for (const token of tokens) {
    if (token.type !== 'slot' || chosen.has(token.key)) continue;
    const list = language.lists.get(token.list);
    if (!list) throw new Error(`${language.language}: unknown list ${token.list} in: ${template}`);
    const taken = used.get(token.list) ?? new Set<Item>();
    const free = list.items.filter((item) => !taken.has(item));
    const item = pick(random, free.length > 0 ? free : list.items);
    taken.add(item);
    used.set(token.list, taken);
    chosen.set(token.key, item);
    if (head === undefined && item.g !== undefined) head = item.g;
  }
  const gender = head ?? (random() < 0.5 ? 'm' : 'f');
  let text = '';
  const spans: Span[] = [];
  for (const token of tokens) {
    if (token.type === 'text') text += token.text;
    else if (token.type === 'choice') text += pick(random, token.options);
    else if (token.type === 'agree') {
      const g = token.key === null ? gender : (chosen.get(token.key)?.g ?? gender);
      text += token.options[GENDER_INDEX[g] ?? 0] ?? token.options[0] ?? '';
    } else {
      const item = chosen.get(token.key) as Item;
      const form = token.form === null ? item.defaultForm : token.form.replace('*', gender);
      let value = item.forms[form];
      if (value === undefined && Object.keys(item.forms).length === 1) value = item.forms.base;
      if (value === undefined)
        throw new Error(
          `${language.language}: item ${JSON.stringify(item.forms)} has no form ${form} in: ${template}`,
        );
      if (CASED.has(language.language) && /(^|[.!?]\s+)["«“„¿¡]?$/.test(text))
        value = value.charAt(0).toUpperCase() + value.slice(1);
      const list = language.lists.get(token.list) as List;
      spans.push({
        start: text.length,
        end: text.length + value.length,
        kind: list.kind,
        item,
        form,
      });
      text += value;
    }
  }
  if (CASED.has(language.language)) text = text.charAt(0).toUpperCase() + text.slice(1);
  return { text: text.replace(/ {2,}/g, ' ').trim(), spans };
}

// ---------------------------------------------------------------------------------------------
// Evasions

const LEET: Record<string, string[]> = {
  a: ['4', '@'],
  e: ['3'],
  i: ['1', '!'],
  o: ['0'],
  s: ['5', '$'],
  t: ['7'],
  l: ['1'],
};
const CYRILLIC: Record<string, string> = {
  a: 'а',
  e: 'е',
  o: 'о',
  p: 'р',
  c: 'с',
  x: 'х',
  y: 'у',
  i: 'і',
  A: 'А',
  E: 'Е',
  O: 'О',
  P: 'Р',
  C: 'С',
  H: 'Н',
  K: 'К',
  M: 'М',
  T: 'Т',
  B: 'В',
};
const ARABIZI: Record<string, string> = {
  ا: 'a',
  أ: '2a',
  إ: '2e',
  آ: '2a',
  ء: '2',
  ئ: '2',
  ؤ: '2',
  ب: 'b',
  ت: 't',
  ث: 'th',
  ج: 'j',
  ح: '7',
  خ: '5',
  د: 'd',
  ذ: 'th',
  ر: 'r',
  ز: 'z',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'd',
  ط: '6',
  ظ: 'z',
  ع: '3',
  غ: 'gh',
  ف: 'f',
  ق: '2',
  ك: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'h',
  ة: 'a',
  و: 'o',
  ي: 'i',
  ى: 'a',
};

const isLetter = (c: string) => /\p{L}/u.test(c);

/** Interior positions of `word` that are letters. */
function letterPositions(word: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < word.length; i++) if (isLetter(word[i] as string)) out.push(i);
  return out;
}

function swapLetters(word: string, random: Random): string {
  const positions = letterPositions(word).filter(
    (i) => i > 0 && i < word.length - 2 && isLetter(word[i + 1] as string),
  );
  if (positions.length === 0) return word;
  const i = pick(random, positions);
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

function dropLetter(word: string, random: Random): string {
  const positions = letterPositions(word).filter((i) => i > 0 && i < word.length - 1);
  const vowels = positions.filter((i) => /[aeiouyאוי]/i.test(word[i] as string));
  const from = vowels.length > 0 ? vowels : positions;
  if (from.length === 0 || word.length < 4) return word;
  const i = pick(random, from);
  return word.slice(0, i) + word.slice(i + 1);
}

function repeatLetter(word: string, random: Random): string {
  const positions = letterPositions(word);
  if (positions.length === 0) return word;
  const i = pick(random, positions);
  return (
    word.slice(0, i + 1) +
    (word[i] as string).repeat(1 + Math.floor(random() * 3)) +
    word.slice(i + 1)
  );
}

function joinLetters(word: string, separator: string): string {
  return [...word].join(separator);
}

function maskLetter(word: string, random: Random): string {
  const positions = letterPositions(word).filter((i) => i > 0 && i < word.length - 1);
  if (positions.length === 0) return word;
  const i = pick(random, positions);
  return word.slice(0, i) + pick(random, ['*', '#', '.']) + word.slice(i + 1);
}

function leet(word: string, random: Random): string {
  let out = '';
  let changed = false;
  for (const c of word) {
    const options = LEET[c.toLowerCase()];
    if (options && (random() < 0.6 || !changed)) {
      out += pick(random, options);
      changed = true;
    } else out += c;
  }
  return out;
}

function cyrillic(word: string, random: Random): string {
  let out = '';
  let changed = false;
  for (const c of word) {
    const look = CYRILLIC[c];
    if (look && (random() < 0.5 || !changed)) {
      out += look;
      changed = true;
    } else out += c;
  }
  return out;
}

function arabizi(word: string): string {
  let out = '';
  for (const c of word) out += ARABIZI[c] ?? (/[\u064B-\u0652\u0640]/.test(c) ? '' : c);
  return out.replace(/^al/, 'el');
}

function tatweel(word: string): string {
  const letters = [...word];
  return letters
    .map((c, i) => (i < letters.length - 1 && /[بتثجحخسشصضطظعغفقكلمنهي]/.test(c) ? `${c}ـ` : c))
    .join('');
}

/** Pinyin with space-separated syllables → initials ("hei gui" → "hg"). */
const initials = (pinyin: string) =>
  pinyin
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((s) => s[0])
    .join('');

/** Respells `word` (a term or a single word); `lat` is its romanised spelling when known. */
function evadeWord(word: string, language: string, random: Random, lat?: string): string {
  const methods: Array<() => string> = [];
  if (language === 'zh') {
    const han = [...word];
    methods.push(() => joinLetters(word, pick(random, ['*', ' ', '.', '_'])));
    if (lat) {
      const syllables = lat.split(/\s+/);
      methods.push(() => syllables.join(''));
      methods.push(() => initials(lat));
      methods.push(() => (random() < 0.5 ? initials(lat).toUpperCase() : initials(lat)));
      if (syllables.length === han.length && han.length > 1)
        methods.push(() => (syllables[0] as string) + han.slice(1).join(''));
    }
  } else if (language === 'ar') {
    methods.push(() => lat ?? arabizi(word));
    methods.push(() => lat ?? arabizi(word));
    methods.push(() => tatweel(word));
    methods.push(() => joinLetters(word, ' '));
    methods.push(() => repeatLetter(word, random));
    methods.push(() => swapLetters(word, random));
  } else if (language === 'he') {
    if (lat)
      methods.push(
        () => lat,
        () => lat,
      );
    methods.push(() => joinLetters(word, pick(random, ['.', ' ', '-'])));
    methods.push(() => repeatLetter(word, random));
    methods.push(() => swapLetters(word, random));
    methods.push(() => dropLetter(word, random));
  } else {
    methods.push(() => swapLetters(word, random));
    methods.push(() => dropLetter(word, random));
    methods.push(() => repeatLetter(word, random));
    methods.push(() => joinLetters(word, pick(random, [' ', '.', '-'])));
    methods.push(() => maskLetter(word, random));
    methods.push(() => leet(word, random));
    methods.push(() => leet(word, random));
    methods.push(() => cyrillic(word, random));
    methods.push(() => word.replace(/\s+/g, ''));
  }
  for (let attempt = 0; attempt < 4; attempt++) {
    const out = pick(random, methods)();
    if (out !== word && out.trim() !== '') return out;
  }
  return word;
}

const SPAN_PREFERENCE = ['slur', 'profanity', 'insult', 'group', 'institution', 'name'];

function evade(rendered: Rendered, language: string, random: Random): string {
  const { text, spans } = rendered;
  const preferred = SPAN_PREFERENCE.map((kind) => spans.filter((s) => s.kind === kind)).find(
    (found) => found.length > 0,
  );
  if (preferred && random() < 0.85) {
    const span = pick(random, preferred);
    const term = text.slice(span.start, span.end);
    const lat = span.item.lat[span.form];
    let replacement: string;
    if (language === 'zh' || language === 'ar' || language === 'he' || term.split(' ').length === 1)
      replacement = evadeWord(term, language, random, lat);
    else if (random() < 0.3) replacement = term.replace(/\s+/g, '');
    else {
      // Several words (a multi-word insult or group): respell the longest one.
      const words = term.split(' ');
      const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
      const i = words.indexOf(longest);
      words[i] = evadeWord(longest, language, random);
      replacement = words.join(' ');
    }
    if (language === 'zh' || language === 'ar') {
      // romanised terms need a space from the script around them only where the script has spaces
      if (language === 'ar' && /[a-z]/i.test(replacement)) replacement = ` ${replacement} `;
    }
    return (text.slice(0, span.start) + replacement + text.slice(span.end))
      .replace(/ {2,}/g, ' ')
      .trim();
  }
  // No term to hide (or by chance): respell an ordinary word of the sentence.
  if (language === 'zh') {
    const runs = [...text.matchAll(/\p{Script=Han}{2,4}/gu)];
    if (runs.length === 0) return text;
    const run = pick(random, runs);
    return (
      text.slice(0, run.index) +
      joinLetters(run[0], pick(random, ['*', ' ', '.'])) +
      text.slice(run.index + run[0].length)
    );
  }
  const words = [...text.matchAll(/\p{L}{4,}/gu)];
  if (words.length === 0) return text;
  const word = pick(random, words);
  const respelled =
    language === 'ar' && random() < 0.5
      ? ` ${arabizi(word[0])} `
      : evadeWord(word[0], language, random);
  return (text.slice(0, word.index) + respelled + text.slice(word.index + word[0].length))
    .replace(/ {2,}/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Expansion

function expandBehaviour(
  language: Language,
  behaviour: Behaviour,
  count: number,
  seed: number,
  seen: Set<string>,
): GeneratedExample[] {
  const random = seededRandom(fnv1a(`${language.language}|${behaviour.name}`, seed >>> 0));
  const compiled = behaviour.templates.map((template) => ({
    template,
    tokens: tokenize(template, behaviour.bind),
  }));
  const abusive = behaviour.labels.toxicity === 1 || behaviour.labels.profanity === 1;
  const evasionShare = abusive ? EVASION_SHARE_ABUSIVE : EVASION_SHARE_BENIGN;
  const out: GeneratedExample[] = [];
  let order = shuffled(random, compiled);
  let misses = 0;
  for (let attempt = 0; out.length < count && misses < count * 4 + 200; attempt++) {
    if (attempt > 0 && attempt % order.length === 0) order = shuffled(random, compiled);
    const { template, tokens } = order[attempt % order.length] as (typeof compiled)[number];
    const rendered = render(tokens, language, random, template);
    const text =
      random() < evasionShare ? evade(rendered, language.language, random) : rendered.text;
    if (seen.has(text)) {
      misses++;
      continue;
    }
    seen.add(text);
    out.push({
      text,
      language: language.language,
      behaviour: behaviour.name,
      labels: { ...behaviour.labels },
    });
  }
  return out;
}

/**
 * The generated examples, deterministic for a seed: per language and behaviour up to
 * `perBehaviour` × the behaviour's weight distinct sentences (fewer when the templates and lists
 * do not give that many). No sentence appears twice in a language.
 */
export function generateExamples(
  options: { seed?: number; perBehaviour?: number; languages?: readonly string[] } = {},
): GeneratedExample[] {
  const seed = options.seed ?? DEFAULT_SEED;
  const perBehaviour = options.perBehaviour ?? DEFAULT_PER_BEHAVIOUR;
  const out: GeneratedExample[] = [];
  for (const code of options.languages ?? GENERATOR_LANGUAGES) {
    const language = loadLanguage(code);
    const seen = new Set<string>();
    for (const behaviour of language.behaviours) {
      const count = Math.max(1, Math.round(perBehaviour * behaviour.weight));
      out.push(...expandBehaviour(language, behaviour, count, seed, seen));
    }
  }
  return out;
}

/** The behaviours of a language with their labels and template counts (for tests and reports). */
export function generatorBehaviours(
  language: string,
): Array<{ name: string; labels: Labels; templates: string[] }> {
  return loadLanguage(language).behaviours.map(({ name, labels, templates }) => ({
    name,
    labels: { ...labels },
    templates: [...templates],
  }));
}

/** Every surface term (groups, slurs, insults, profanity, names, institutions) per language, for the separation check against the test suite. */
export function generatorVocabulary(
  language: string,
  kinds: ReadonlySet<string> = VOCABULARY_KINDS,
): string[] {
  const terms = new Set<string>();
  for (const list of loadLanguage(language).lists.values()) {
    if (!kinds.has(list.kind)) continue;
    for (const item of list.items) {
      for (const form of Object.values(item.forms)) terms.add(form);
      for (const form of Object.values(item.lat)) terms.add(form);
    }
  }
  return [...terms].sort();
}
