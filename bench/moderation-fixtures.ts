/**
 * What the moderation benchmarks feed the pipeline, shared by the end-to-end write bench and the
 * per-phase micro-benchmark: a synthetic word list of 2,000 terms in several scripts, the site
 * settings with every phase on (the external service off; the classifier is the shipped model), and
 * a stream of distinct, multilingual comment bodies of which a few carry a listed term (sometimes
 * disguised), a link, or a sentence the classifier scores high.
 *
 * Everything is drawn from a seeded generator, so two runs see the same inputs.
 */
import type { ModerationSettings } from '../src/domain/moderation/types.ts';
import type { WordListEntry } from '../src/domain/moderation/word-list.ts';
import { seededRandom } from '../src/domain/seeded-random.ts';

/** The project's seeded generator (src/domain/seeded-random.ts), under the benches' name. */
export const random = seededRandom;

const pick = <T>(next: () => number, items: readonly T[]): T =>
  items[Math.floor(next() * items.length)] as T;

/**
 * Syllables per script, chosen so that the made-up terms are not real words of the sample
 * sentences (a real list would hit some of them; the mix of hits is set by the body generator).
 */
const SYLLABLES: Record<string, readonly string[]> = {
  latin: ['zor', 'vak', 'qui', 'dex', 'mul', 'trab', 'gof', 'yen', 'plix', 'wub', 'krot', 'snar'],
  cyrillic: ['жуп', 'щар', 'брыз', 'хлеч', 'дзю', 'фыр', 'шмак', 'цвол'],
  greek: ['ξαρ', 'ψιλ', 'ζωκ', 'θυμπ', 'φλεγ', 'δρακ'],
  arabic: ['زرق', 'خمط', 'ظفر', 'غشب', 'قحل', 'ضبع'],
  hebrew: ['זרק', 'חמט', 'צפר', 'גשב', 'קחל', 'טבע'],
  chinese: ['龘', '靐', '齉', '爩', '龖', '厵', '灪', '籱'],
};
const SCRIPTS = Object.keys(SYLLABLES);

/** One made-up term: a word (or two, or a prefix with `*`) of 2–3 syllables; CJK: 2–3 characters. */
function makeTerm(next: () => number, script: string): string {
  const syllables = SYLLABLES[script] as readonly string[];
  const word = () => {
    let w = '';
    const count = 2 + Math.floor(next() * 2);
    for (let i = 0; i < count; i++) w += pick(next, syllables);
    return w;
  };
  if (script === 'chinese') return word();
  const roll = next();
  if (roll < 0.1) return `${word()} ${word()}`;
  if (roll < 0.2) return `${word()}*`;
  return word();
}

/** 2,000 distinct terms by default, half banned and half suspect, over six scripts. */
export function benchWordList(size = 2000, seed = 2026): WordListEntry[] {
  const next = random(seed);
  const seen = new Set<string>();
  const entries: WordListEntry[] = [];
  while (entries.length < size) {
    const term = makeTerm(next, SCRIPTS[entries.length % SCRIPTS.length] as string);
    if (seen.has(term)) continue;
    seen.add(term);
    entries.push({ term, strength: entries.length % 2 === 0 ? 'banned' : 'suspect' });
  }
  return entries;
}

/** The site's settings for the benchmarks: every phase on, the external service off. */
export function benchModerationSettings(wordList: WordListEntry[]): Partial<ModerationSettings> {
  return {
    commentingDisabled: false,
    premoderateAll: false,
    premoderateNewCommenters: PREMODERATE_NEW_COMMENTERS,
    minLength: 2,
    maxLength: 5000,
    links: {
      holdLinks: true,
      allowDomains: ['news.example', 'wikipedia.org', 'un.org'],
      denyDomains: ['spam.example', 'casino.example', 'pills.example'],
    },
    repeatWindowSeconds: 600,
    maxPostsPerMinute: MAX_POSTS_PER_MINUTE,
    classifier: { hold: 0.5, reject: 0.97 },
    wordList,
    external: null,
  };
}

/** New commenters are held until they have this many approved comments (the bench seeds them). */
export const PREMODERATE_NEW_COMMENTERS = 2;
/** Per-author posting rate above which comments are held; the write bench stays under it. */
export const MAX_POSTS_PER_MINUTE = 20;

const SENTENCES = [
  'The Beijing round follows the one in Moscow, and the sequencing matters.',
  'Who administers Gaza the morning after an agreement is the real question.',
  'I read the whole statement and it says less than the headline suggests.',
  'Elections within a year sound good on paper; the last timetable slipped twice.',
  '> both sides expressed political will\nWords are cheap; a *timetable* is not.',
  'Does anyone know whether the donors conference is still planned for spring?',
  'لا بد من حكومة وحدة وطنية قبل أي انتخابات.',
  'المصالحة فشلت مرات عديدة، فما الذي تغير هذه المرة؟',
  'השאלה היא מה יקרה ביום שאחרי ההסכם.',
  'הכתבה מאוזנת יותר ממה שציפיתי.',
  '北京这次的斡旋值得关注，但细节仍不清楚。',
  '如果没有时间表，这份声明意义不大。',
  "La réconciliation a déjà échoué plusieurs fois ; qu'est-ce qui change ?",
  'Die Frage ist, wer die Grenzübergänge kontrolliert.',
  'Переговоры в Пекине важны, но без гарантий это только слова.',
  'Η συμφωνία χρειάζεται χρονοδιάγραμμα και εγγυήσεις.',
  'Spot on. 👍 The analysis in the third paragraph is the best part.',
];
const TOXIC_SENTENCES = ['Anyone who believes this is an idiot.', 'What a stupid liar.'];
const SPAM_SENTENCES = ['Huge crypto giveaway today, promo inside!'];
const LINKS = [
  'Background: https://en.wikipedia.org/wiki/Palestinian_reconciliation',
  'The full text is at https://news.example/statement and worth reading.',
  'See https://www.un.org/unispal/ for the resolutions.',
  'My blog covers this: https://blog.example.net/gaza-talks',
  'Cheap tickets at www.casino.example right now',
];

/** Disguises a term the way commenters do: case, leetspeak, spacing, stretching, zero-width joins. */
function disguise(next: () => number, term: string): string {
  const plain = term.replace(/\*$/, 's');
  switch (Math.floor(next() * 5)) {
    case 0:
      return plain.toUpperCase();
    case 1:
      return plain.replace(/o/g, '0').replace(/e/g, '3').replace(/a/g, '@');
    case 2:
      return [...plain].join(' ');
    case 3:
      return plain.replace(/([aeiouыаоъ])/u, '$1$1$1');
    default:
      return [...plain].join('\u200b');
  }
}

/** How often a body carries each kind of trouble (the rest are ordinary comments). */
export const BODY_MIX = {
  suspectTerm: 0.04,
  bannedTerm: 0.02,
  link: 0.06,
  toxic: 0.02,
  spam: 0.01,
} as const;

/**
 * The i-th comment body of a stream: 1–3 sentences, a serial so that no two bodies are equal (the
 * repeat-post phase would refuse a repeat), and now and then a listed term, a link, or a sentence
 * the classifier holds.
 */
export function commentBodies(wordList: readonly WordListEntry[], seed = 7) {
  const next = random(seed);
  const banned = wordList.filter((e) => e.strength === 'banned').map((e) => e.term);
  const suspect = wordList.filter((e) => e.strength === 'suspect').map((e) => e.term);
  return (i: number): string => {
    const parts: string[] = [];
    const count = 1 + Math.floor(next() * 3);
    for (let s = 0; s < count; s++) parts.push(pick(next, SENTENCES));
    let roll = next();
    const take = (share: number) => (roll -= share) < 0;
    if (take(BODY_MIX.suspectTerm)) parts.push(`Frankly, ${disguise(next, pick(next, suspect))}.`);
    else if (take(BODY_MIX.bannedTerm)) parts.push(`${disguise(next, pick(next, banned))}!`);
    else if (take(BODY_MIX.link)) parts.push(pick(next, LINKS));
    else if (take(BODY_MIX.toxic)) parts.push(pick(next, TOXIC_SENTENCES));
    else if (take(BODY_MIX.spam)) parts.push(pick(next, SPAM_SENTENCES));
    parts.push(`(${i})`);
    return parts.join(' ');
  };
}
