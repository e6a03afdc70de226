/**
 * Turns a comment into the sparse feature vector the linear model scores: hashed word unigrams and
 * bigrams and character 2–5-grams (of words padded with a space) for spaced scripts, words as
 * typed (before evasions are undone), character
 * 1–3-grams for runs of Chinese and other unspaced scripts, plus a few named features (lexicon
 * hits, a link, shouting). All text features come from the folded comment: the moderation
 * normaliser's {@link normalizeForMatching} then {@link foldEvasions}, so disguised spellings share
 * features with plain ones.
 *
 * Text features each carry 1/√n (n = how many there are), so long and short comments score on the
 * same scale; named features carry their own value. Buckets are `hash mod 2^bits`.
 */
import {
  foldEvasions,
  hasUnspacedScript,
  normalizeForMatching,
  splitWords,
} from '../domain/moderation/normalize.ts';
import { combineHashes, fnvStep, seedFor } from './hash.ts';
import { countLexiconHits } from './lexicon-matcher.ts';

export interface FeatureVector {
  /** Bucket of each feature; a bucket may repeat. Only the first `length` entries are valid. */
  indices: Int32Array;
  values: Float32Array;
  length: number;
}

/** A comment after normalisation: what language identification and features read. */
export interface PreparedText {
  normalized: string;
  folded: string;
}

/**
 * Which optional feature families a model uses; stored in the model header so that inference
 * extracts exactly what training did. Absent options are off (the first parley-1 had none).
 */
export interface FeatureOptions {
  /**
   * Text features also hashed together with the comment's detected language ('words': word
   * unigrams and bigrams; 'all': character n-grams too), beside the shared ones: a language
   * gets buckets of its own while what languages share (Latin n-grams, lexicon hits) still
   * transfers.
   */
  languageFeatures?: 'none' | 'words' | 'all';
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
const MIN_CHAR_GRAM = 2;
const MAX_CHAR_GRAM = 5;
const MAX_WORD_CHARS = 24;
const MAX_FEATURES = 8192;

/** Named (dense) features, each in its own hashed bucket. */
export const NAMED_FEATURES = [
  'lex:insult',
  'lex:slur',
  'lex:threat',
  'shape:link',
  'shape:shouting',
  'shape:empty',
] as const;
export type NamedFeature = (typeof NAMED_FEATURES)[number];

/** Final avalanche (murmur3 fmix32) so that the low bits used as the bucket are well mixed. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Code units of scripts written without spaces: kana, CJK ideographs, Hangul, Thai, Lao. */
function isUnspacedUnit(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x0e00 && code <= 0x0eff)
  );
}

const LINK = /https?:\/\/|www\.|\.com\b|\.ly\//i;

/**
 * Extracts features into reusable buffers. Not reentrant: one extractor per thread of use (the
 * classifier is synchronous, so one per classifier).
 */
export class FeatureExtractor {
  readonly bucketBits: number;
  private readonly mask: number;
  private readonly named: Record<NamedFeature, number>;
  private readonly vector: FeatureVector = {
    indices: new Int32Array(MAX_FEATURES),
    values: new Float32Array(MAX_FEATURES),
    length: 0,
  };

  readonly options: FeatureOptions;

  constructor(bucketBits: number, options: FeatureOptions = {}) {
    this.bucketBits = bucketBits;
    this.options = options;
    this.mask = (1 << bucketBits) - 1;
    this.named = Object.fromEntries(
      NAMED_FEATURES.map((name) => [name, mix(seedFor(`named:${name}`)) & this.mask]),
    ) as Record<NamedFeature, number>;
  }

  /** The bucket of a named feature (tests and the model card use it). */
  namedBucket(name: NamedFeature): number {
    return this.named[name];
  }

  /**
   * The features of `raw` (the comment as typed) given its prepared form and, for models with
   * language features, its detected language. The returned vector is overwritten by the next call.
   */
  extract(raw: string, prepared: PreparedText = prepareText(raw), language = 'und'): FeatureVector {
    const { folded } = prepared;
    const out = this.vector;
    const { indices } = out;
    const mask = this.mask;
    const mode = this.options.languageFeatures ?? 'none';
    // 0 when off: then no language copies are added.
    const languageSeed = mode === 'none' ? 0 : seedFor(`language:${language}`) || 1;
    const wordCopies = languageSeed !== 0;
    const charCopies = mode === 'all';
    let n = 0;
    const words = splitWords(folded, true);
    let previous = 0;
    for (let w = 0; w < words.length && n < MAX_FEATURES - 320; w++) {
      const word = words[w] ?? '';
      let wordHash = WORD_SEED;
      for (let i = 0; i < word.length; i++) wordHash = fnvStep(wordHash, word.charCodeAt(i));
      indices[n++] = mix(wordHash) & mask;
      if (wordCopies) indices[n++] = mix(combineHashes(languageSeed, wordHash)) & mask;
      if (w > 0) {
        const bigram = combineHashes(previous, wordHash) ^ BIGRAM_SEED;
        indices[n++] = mix(bigram) & mask;
        if (wordCopies) indices[n++] = mix(combineHashes(languageSeed, bigram)) & mask;
      }
      previous = wordHash;
      const length = Math.min(word.length, MAX_WORD_CHARS);
      // Positions -1 and `length` are the padding spaces.
      for (let start = -1; start < length; start++) {
        let hash = CHAR_SEED;
        for (let k = 0; k < MAX_CHAR_GRAM; k++) {
          const at = start + k;
          if (at > length) break;
          hash = fnvStep(hash, at < 0 || at === length ? 32 : word.charCodeAt(at));
          if (k + 1 >= MIN_CHAR_GRAM) {
            indices[n++] = mix(hash) & mask;
            if (charCopies) indices[n++] = mix(combineHashes(languageSeed, hash)) & mask;
          }
        }
      }
    }
    // Words as typed (before leetspeak and stretched letters are undone): digits, prices and
    // repeated letters are themselves signals, of spam especially.
    for (const word of splitWords(prepared.normalized, true)) {
      if (n >= MAX_FEATURES - 160) break;
      let hash = RAW_WORD_SEED;
      for (let i = 0; i < word.length; i++) hash = fnvStep(hash, word.charCodeAt(i));
      indices[n++] = mix(hash) & mask;
    }
    const unspaced = hasUnspacedScript(folded);
    if (unspaced) {
      for (let i = 0; i < folded.length && n < MAX_FEATURES - 16; i++) {
        if (!isUnspacedUnit(folded.charCodeAt(i))) continue;
        let hash = CJK_SEED;
        for (let k = 0; k < 3; k++) {
          const code = folded.charCodeAt(i + k);
          if (i + k >= folded.length || !isUnspacedUnit(code)) break;
          hash = fnvStep(hash, code);
          indices[n++] = mix(hash) & mask;
        }
      }
    }
    const textFeatures = n;
    const weight = textFeatures > 0 ? 1 / Math.sqrt(textFeatures) : 0;
    out.values.fill(weight, 0, textFeatures);
    const hits = countLexiconHits(folded, words, unspaced);
    n = this.addNamed(n, 'lex:insult', Math.min(hits.insult, 2));
    n = this.addNamed(n, 'lex:slur', Math.min(hits.slur, 2));
    n = this.addNamed(n, 'lex:threat', Math.min(hits.threat, 2));
    n = this.addNamed(n, 'shape:link', LINK.test(raw) ? 1 : 0);
    n = this.addNamed(n, 'shape:shouting', isShouting(raw) ? 1 : 0);
    n = this.addNamed(n, 'shape:empty', textFeatures === 0 ? 1 : 0);
    out.length = n;
    return out;
  }

  private addNamed(n: number, name: NamedFeature, value: number): number {
    if (value === 0) return n;
    this.vector.indices[n] = this.named[name];
    this.vector.values[n] = value;
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

/** Sparse form with each bucket once and values summed: what training iterates over. */
export function compactFeatures(vector: FeatureVector): {
  indices: Int32Array;
  values: Float32Array;
} {
  const sums = new Map<number, number>();
  for (let i = 0; i < vector.length; i++) {
    const index = vector.indices[i] ?? 0;
    sums.set(index, (sums.get(index) ?? 0) + (vector.values[i] ?? 0));
  }
  const sorted = [...sums.keys()].sort((a, b) => a - b);
  return {
    indices: Int32Array.from(sorted),
    values: Float32Array.from(sorted, (index) => sums.get(index) ?? 0),
  };
}
