/**
 * For the tests of sites' own layers (docs/site-models.md): a small stand-in for the shipped
 * classifier, with a `representation` a layer can be learned over, and comments of three kinds
 * that newsrooms decide differently.
 *
 * The stand-in scores a comment as toxic or insulting when it contains a word of a short list,
 * and spam on two phrases. Its representation stands for a trained network's hidden layer: a few
 * units that answer to themes (money, local politics, transport, places, opinion) by word lists,
 * 16 more that the rest of the words are hashed into, then its 7 logits. So a layer over it can
 * learn that a site rejects comments on a subject the scores say nothing about; whether a layer
 * learns that from the shipped network itself is what the scenario over parley-2 shows.
 */
import { seededRandom } from '../../src/domain/seeded-random.ts';
import { existsSync } from 'node:fs';
import {
  CLASSIFIER_LABELS,
  type ClassifierLabel,
  type ClassifierScores,
} from '../../src/domain/moderation/phases/classifier.ts';
import type { Representer } from '../../src/services/site-models.ts';

/** Hidden units of a trained network answer to themes; the stand-in's answer to word lists. */
const THEMES = [
  'bitcoin ethereum solana dogecoin crypto altcoins litecoin savings wages pension wallet returns gains bonus euros money shares banks percent invest',
  'council mayor budget vote election board town hall audit residents consulted figures debate',
  'tram bus bridge cycle lanes night service strike repairs',
  'harbour market library stadium hospital river school housing project',
  'think honestly frankly surely seems wonder interesting good fairly',
].map((words) => new Set(words.split(' ')));
/** The rest of the words, hashed with a sign into a few more units. */
const BUCKETS = 16;
const INSULTS = /\b(idiot|idiots|moron|morons|stupid|pathetic|clown|clowns|imbecile)\b/i;
const SPAM = /\b(buy now|click here)\b/i;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const logit = (p: number) => Math.log(p / (1 - p));

export class StandInClassifier implements Representer {
  readonly id = 'stand-in-1';
  readonly labels = CLASSIFIER_LABELS;

  classify(text: string): ClassifierScores {
    const insulting = INSULTS.test(text);
    const spam = SPAM.test(text);
    const scores = Object.fromEntries(CLASSIFIER_LABELS.map((l) => [l, 0.02])) as Record<
      ClassifierLabel,
      number
    >;
    if (insulting) Object.assign(scores, { toxicity: 0.91, insult: 0.88 });
    if (spam) scores.spam = 0.93;
    return { scores, language: 'en', model: this.id };
  }

  representation(text: string): Float32Array {
    const out = new Float32Array(THEMES.length + BUCKETS + CLASSIFIER_LABELS.length);
    const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
    const norm = Math.sqrt(Math.max(1, words.length));
    for (const word of words) {
      THEMES.forEach((theme, t) => {
        if (theme.has(word)) out[t]! += 1 / norm;
      });
      const hash = fnv1a(word);
      out[THEMES.length + (hash % BUCKETS)]! += (hash & 0x10000 ? 1 : -1) / norm;
    }
    const { scores } = this.classify(text);
    CLASSIFIER_LABELS.forEach((label, l) => {
      out[THEMES.length + BUCKETS + l] = logit(scores[label]);
    });
    return out;
  }
}

/** The project's seeded generator: the same comments and the same order every run. */
export const seeded = seededRandom;

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

/**
 * Phrasings of each kind of comment come in two sets: the usual ones, which the moderators'
 * decisions are made on, and fresh ones, never decided, for the comments posted afterwards (a
 * layer must recognise the kind, not the sentences it learned from).
 */
type Parts = readonly (readonly string[])[];
const compose = (random: () => number, parts: Parts, join = ' ') =>
  parts.map((choices) => pick(random, choices)).join(join);
const sets = (usual: Parts, fresh: Parts) => ({ usual, fresh });

const BENIGN = sets(
  [
    ['I think', 'Honestly,', 'In my experience', 'As a resident,', 'Surely', 'Frankly,', 'To me'],
    [
      'the council',
      'the new tram line',
      'the school board',
      'the mayor’s budget',
      'the hospital merger',
      'the river clean-up',
      'the housing plan',
      'the library cuts',
      'the stadium deal',
      'the bus strike',
      'the election debate',
      'the bridge repairs',
    ],
    [
      'should publish the full figures before the vote.',
      'was explained well in this article, thank you.',
      'deserves more scrutiny than it got last year.',
      'will matter more to families than the headline suggests.',
      'seems rushed, and residents were barely consulted.',
      'is a sensible compromise in my view.',
      'needs an independent audit before anyone signs.',
      'has been delayed three times already.',
      'could have been reported with more numbers.',
      'is the first good news from the town hall in months.',
      'will be decided by turnout, as usual.',
      'has my support, with reservations.',
    ],
  ],
  [
    ['Good to see that', 'Interesting that', 'I wonder whether', 'It seems'],
    ['the harbour project', 'the night bus service', 'the new cycle lanes', 'the market hall'],
    [
      'finally has a date.',
      'is getting the attention it deserves.',
      'will survive the next budget.',
      'was covered fairly here.',
    ],
  ],
);

const COINS = ['bitcoin', 'ethereum', 'solana', 'dogecoin', 'crypto', 'altcoins', 'litecoin'];
const TIPS = sets(
  [
    [
      'Tip for everyone reading:',
      'My advice:',
      'Honest tip:',
      'Word to the wise:',
      'Listen,',
      'Pro tip:',
      'Take it from me:',
    ],
    [
      'move your savings into',
      'put a month of wages into',
      'start stacking',
      'buy some',
      'load up on',
      'put your pension into',
      'open a wallet and buy',
    ],
    COINS,
    [
      'before the next halving',
      'while it is cheap',
      'this week',
      'before the banks catch on',
      'at the next dip',
      'before everyone else does',
    ],
    [
      ', it doubled for me last year.',
      ', the returns beat any savings account.',
      '. Thank me later.',
      ', easy gains.',
      ', I am up forty percent.',
      ', best decision I ever made.',
    ],
  ],
  [
    ['Quick tip:', 'Do yourselves a favour and', 'Seriously, people,', 'Friendly advice:'],
    ['throw your bonus at', 'swap your euros for', 'grab some', 'get into'],
    COINS,
    ['this weekend', 'before it takes off again', 'before Christmas'],
    [', it only goes up.', ', you will not regret it.', '. Trust me.'],
  ],
);

const ABUSE = sets(
  [
    ['Only an idiot would write this', 'You are stupid if you believe this', 'What a moron'],
    ['and so are the people who agree', 'honestly', 'as usual', 'again'],
    ['.', '!', ', pathetic.'],
  ],
  [['Another imbecile take', 'Written by clowns'], ['from this paper'], ['.', '!']],
);

const phrasing = (fresh: boolean | undefined) => (fresh ? 'fresh' : 'usual');

/** An ordinary comment on local news: every newsroom publishes these. */
export function benignComment(random: () => number, fresh?: boolean): string {
  return compose(random, BENIGN[phrasing(fresh)]);
}

/** Investment tips in crypto: not abuse, not quite spam; some newsrooms refuse them all. */
export function cryptoTip(random: () => number, fresh?: boolean): string {
  return compose(random, TIPS[phrasing(fresh)]).replace(/ ([,.])/g, '$1');
}

/** Plain abuse: the classifier holds these on every site. */
export function abusiveComment(random: () => number, fresh?: boolean): string {
  return compose(random, ABUSE[phrasing(fresh)]).replace(/ ([,.!])/g, '$1');
}

/** The shipped model's file, when the lead's training has produced it. */
export const SHIPPED_MODEL_FILE = new URL('../../models/parley-2.bin', import.meta.url);
export const shippedModelPresent = (): boolean => existsSync(SHIPPED_MODEL_FILE);
