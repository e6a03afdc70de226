/**
 * Turns a comment into what the network reads: a bag of hashed sparse features and a few dense
 * context features.
 *
 * Sparse features come from the folded comment (the moderation normaliser's
 * {@link normalizeForMatching} then {@link foldEvasions}, so disguised spellings share features
 * with plain ones), tokenized with scopes by {@link readContext}: word unigrams and bigrams, each
 * also hashed with its scope when it is negated or quoted; character 2–5-grams of words padded
 * with a space (shared by every scope: they carry spelling, for evasions and unseen inflections);
 * words as typed (before evasions are undone); character 1–3-grams of runs of Chinese and other
 * unspaced scripts, with their scopes; and a few named features (lexicon hits, a link, shouting).
 * Sparse features each carry 1/√n (n = how many there are) so long and short comments score on
 * one scale; named ones carry their own value. Hashes are full 32-bit: each table of the model
 * takes the bits it has.
 *
 * Dense features ({@link DENSE_FEATURES}) describe the comment's shape: negations, a quotation,
 * a second person, a question, exclamations, length.
 */
import {
  foldEvasions,
  normalizeForMatching,
  splitWords,
  hasUnspacedScript,
} from '../domain/moderation/normalize.ts';
import { SCOPE_NONE, readContext } from './context.ts';
import type { Context } from './context.ts';
import { combineHashes, fnvStep, seedFor } from './hash.ts';
import { countLexiconHits } from './lexicon-matcher.ts';

export interface FeatureVector {
  /** Full 32-bit hash of each feature; a hash may repeat. Only the first `length` are valid. */
  hashes: Uint32Array;
  values: Float32Array;
  length: number;
  /** One value per {@link DENSE_FEATURES} entry. */
  dense: Float32Array;
  /** For explanations: the token each sparse feature came from (-1: none). */
  tokenOf: Int32Array;
}

/** A comment after normalisation: what language identification and features read. */
export interface PreparedText {
  normalized: string;
  folded: string;
}

export function prepareText(text: string): PreparedText {
  const normalized = normalizeForMatching(text);
  return { normalized, folded: foldEvasions(normalized) };
}

const WORD_SEED = seedFor('word');
const RAW_WORD_SEED = seedFor('raw-word');
const BIGRAM_SEED = seedFor('bigram');
const CHAR_SEED = seedFor('char');
const CJK_SEED = seedFor('cjk');
const SCOPE_SEEDS = [0, seedFor('scope:negated'), seedFor('scope:quoted'), seedFor('scope:both')];
const MIN_CHAR_GRAM = 2;
const MAX_CHAR_GRAM = 5;
const MAX_WORD_CHARS = 24;
const MAX_FEATURES = 8192;

/** Named features, each hashed to a bucket of its own. */
export const NAMED_FEATURES = [
  'lex:insult',
  'lex:slur',
  'lex:threat',
  'shape:link',
  'shape:shouting',
  'shape:empty',
] as const;
export type NamedFeature = (typeof NAMED_FEATURES)[number];

export const DENSE_FEATURES = [
  'negations',
  'quoted',
  'second-person',
  'question',
  'exclamations',
  'length',
  'lex:insult',
  'lex:slur',
  'lex:threat',
] as const;

/** Final avalanche (murmur3 fmix32) so that the low bits used as the bucket are well mixed. */
export function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const NAMED_HASHES = Object.fromEntries(
  NAMED_FEATURES.map((name) => [name, mix(seedFor(`named:${name}`))]),
) as Record<NamedFeature, number>;

const LINK = /https?:\/\/|www\.|\.com\b|\.ly\//i;

/**
 * Extracts features into reusable buffers. Not reentrant: one extractor per thread of use (the
 * classifier is synchronous, so one per classifier). The returned vector is overwritten by the next
 * call.
 */
export class FeatureExtractor {
  private readonly vector: FeatureVector = {
    hashes: new Uint32Array(MAX_FEATURES),
    values: new Float32Array(MAX_FEATURES),
    length: 0,
    dense: new Float32Array(DENSE_FEATURES.length),
    tokenOf: new Int32Array(MAX_FEATURES),
  };
  /** The last comment's tokens (explanations map features back to them). */
  context: Context | undefined;

  extract(raw: string, prepared: PreparedText = prepareText(raw)): FeatureVector {
    const { folded } = prepared;
    const out = this.vector;
    const { hashes, tokenOf } = out;
    let n = 0;
    const context = readContext(folded);
    this.context = context;
    const { tokens } = context;
    let previous = 0;
    let previousScope = SCOPE_NONE;
    for (let t = 0; t < tokens.length && n < MAX_FEATURES - 400; t++) {
      const token = tokens[t];
      if (token === undefined) continue;
      const { text } = token;
      if (token.unspaced) {
        previous = 0;
        const scopes = token.charScopes;
        for (let i = 0; i < text.length && n < MAX_FEATURES - 400; i++) {
          let hash = CJK_SEED;
          const scope = scopes?.[i] ?? 0;
          for (let k = 0; k < 3 && i + k < text.length; k++) {
            hash = fnvStep(hash, text.charCodeAt(i + k));
            tokenOf[n] = t;
            hashes[n++] = mix(hash);
            if (scope !== SCOPE_NONE && k < 2) {
              tokenOf[n] = t;
              hashes[n++] = mix(combineHashes(SCOPE_SEEDS[scope] ?? 0, hash));
            }
          }
        }
        continue;
      }
      const scope = token.scope;
      let wordHash = WORD_SEED;
      for (let i = 0; i < text.length; i++) wordHash = fnvStep(wordHash, text.charCodeAt(i));
      tokenOf[n] = t;
      hashes[n++] = mix(wordHash);
      if (scope !== SCOPE_NONE) {
        tokenOf[n] = t;
        hashes[n++] = mix(combineHashes(SCOPE_SEEDS[scope] ?? 0, wordHash));
      }
      if (previous !== 0) {
        const bigram = combineHashes(previous, wordHash) ^ BIGRAM_SEED;
        tokenOf[n] = t;
        hashes[n++] = mix(bigram);
        const pairScope = scope | previousScope;
        if (pairScope !== SCOPE_NONE) {
          tokenOf[n] = t;
          hashes[n++] = mix(combineHashes(SCOPE_SEEDS[pairScope] ?? 0, bigram));
        }
      }
      previous = wordHash;
      previousScope = scope;
      const length = Math.min(text.length, MAX_WORD_CHARS);
      // Positions -1 and `length` are the padding spaces.
      for (let start = -1; start < length; start++) {
        let hash = CHAR_SEED;
        for (let k = 0; k < MAX_CHAR_GRAM; k++) {
          const at = start + k;
          if (at > length) break;
          hash = fnvStep(hash, at < 0 || at === length ? 32 : text.charCodeAt(at));
          if (k + 1 >= MIN_CHAR_GRAM) {
            tokenOf[n] = t;
            hashes[n++] = mix(hash);
          }
        }
      }
    }
    // Words as typed (before leetspeak and stretched letters are undone): digits, prices and
    // repeated letters are themselves signals, of spam especially.
    for (const word of splitWords(prepared.normalized, true)) {
      if (n >= MAX_FEATURES - 16) break;
      let hash = RAW_WORD_SEED;
      for (let i = 0; i < word.length; i++) hash = fnvStep(hash, word.charCodeAt(i));
      tokenOf[n] = -1;
      hashes[n++] = mix(hash);
    }
    const textFeatures = n;
    const weight = textFeatures > 0 ? 1 / Math.sqrt(textFeatures) : 0;
    out.values.fill(weight, 0, textFeatures);
    const hits = countLexiconHits(folded, splitWords(folded, true), hasUnspacedScript(folded));
    const insult = Math.min(hits.insult, 2);
    const slur = Math.min(hits.slur, 2);
    const threat = Math.min(hits.threat, 2);
    n = this.addNamed(n, 'lex:insult', insult);
    n = this.addNamed(n, 'lex:slur', slur);
    n = this.addNamed(n, 'lex:threat', threat);
    n = this.addNamed(n, 'shape:link', LINK.test(raw) ? 1 : 0);
    n = this.addNamed(n, 'shape:shouting', isShouting(raw) ? 1 : 0);
    n = this.addNamed(n, 'shape:empty', textFeatures === 0 ? 1 : 0);
    out.length = n;
    const { dense } = out;
    dense[0] = Math.min(context.negations, 3) / 3;
    dense[1] = context.quoted ? 1 : 0;
    dense[2] = context.secondPerson ? 1 : 0;
    dense[3] = context.question ? 1 : 0;
    dense[4] = Math.min(context.exclamations, 3) / 3;
    dense[5] = Math.min(Math.log1p(raw.length) / 7, 1);
    dense[6] = insult / 2;
    dense[7] = slur / 2;
    dense[8] = threat / 2;
    return out;
  }

  private addNamed(n: number, name: NamedFeature, value: number): number {
    if (value === 0) return n;
    this.vector.hashes[n] = NAMED_HASHES[name];
    this.vector.values[n] = value;
    this.vector.tokenOf[n] = -1;
    return n + 1;
  }
}

/** At least 8 Latin letters, and more than 70% of them capitals. */
function isShouting(raw: string): boolean {
  let upper = 0;
  let letters = 0;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code >= 65 && code <= 90) {
      upper++;
      letters++;
    } else if (code >= 97 && code <= 122) {
      letters++;
    }
  }
  return letters >= 8 && upper / letters > 0.7;
}
