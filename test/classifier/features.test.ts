/**
 * Features (src/classifier/features.ts): full 32-bit hashes of words, word pairs and character
 * n-grams of the folded comment, extra hashes for negated and quoted words, named features, and
 * the dense context features; plus the FNV hash and the lexicon matcher they are built on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineHashes, hashString, seedFor } from '../../src/classifier/hash.ts';
import {
  DENSE_FEATURES,
  FeatureExtractor,
  mix,
  prepareText,
} from '../../src/classifier/features.ts';
import type { FeatureVector } from '../../src/classifier/features.ts';
import { countLexiconHits } from '../../src/classifier/lexicon-matcher.ts';
import { splitWords, hasUnspacedScript } from '../../src/domain/moderation/normalize.ts';

/** The hashes of a comment's features, sorted (a copy: the extractor reuses its buffers). */
const hashesOf = (text: string, extractor = new FeatureExtractor()): number[] => {
  const vector = extractor.extract(text, prepareText(text));
  return [...vector.hashes.subarray(0, vector.length)].sort((a, b) => a - b);
};

/** A copy of the vector (the extractor's is overwritten by its next call). */
const vectorOf = (text: string): FeatureVector => {
  const v = new FeatureExtractor().extract(text, prepareText(text));
  return {
    hashes: v.hashes.slice(0, v.length),
    values: v.values.slice(0, v.length),
    length: v.length,
    dense: v.dense.slice(),
    tokenOf: v.tokenOf.slice(0, v.length),
  };
};

/** How often each hash occurs. */
const counts = (hashes: number[]): Map<number, number> => {
  const out = new Map<number, number>();
  for (const h of hashes) out.set(h, (out.get(h) ?? 0) + 1);
  return out;
};

/** `small` ⊆ `large` as multisets; returns how many of `large` are left over. */
const extraOver = (large: number[], small: number[]): number => {
  const left = counts(large);
  for (const h of small) {
    const n = left.get(h) ?? 0;
    assert.ok(n > 0, `hash ${h} of the plain comment is missing`);
    left.set(h, n - 1);
  }
  return [...left.values()].reduce((a, b) => a + b, 0);
};

/** The word feature of a folded word, computed as the extractor does. */
const wordHash = (word: string) => hashString(word, seedFor('word'));
const dense = (vector: FeatureVector, name: (typeof DENSE_FEATURES)[number]) =>
  vector.dense[DENSE_FEATURES.indexOf(name)];

const hitsOf = (text: string) => {
  const { folded } = prepareText(text);
  return countLexiconHits(folded, splitWords(folded, true), hasUnspacedScript(folded));
};

test('FNV-1a matches the published test vectors and seeds separate feature kinds', () => {
  assert.equal(hashString(''), 0x811c9dc5);
  assert.equal(hashString('a'), 0xe40c292c);
  assert.equal(hashString('foobar'), 0xbf9cf968);
  assert.notEqual(hashString('ab', seedFor('word')), hashString('ab', seedFor('char')));
  assert.notEqual(combineHashes(1, 2), combineHashes(2, 1));
});

test('features are deterministic full 32-bit hashes, with values 1/sqrt(n)', () => {
  const text = 'The minister spoke about the budget.';
  const first = hashesOf(text);
  assert.deepEqual(hashesOf(text, new FeatureExtractor()), first);
  assert.ok(first.length > 20);
  assert.ok(first.every((h) => Number.isInteger(h) && h >= 0 && h <= 0xffffffff));
  // Full width: the high bits are used (a table takes the low bits it has).
  assert.ok(first.some((h) => h >= 2 ** 31));
  const vector = vectorOf(text);
  const n = vector.length;
  assert.ok([...vector.values].every((v) => Math.abs(v - 1 / Math.sqrt(n)) < 1e-6));
  // tokenOf points each word feature at its token; raw (as typed) words at none.
  assert.ok(vector.tokenOf.every((t) => t >= -1 && t < 6));
  assert.ok(vector.tokenOf.includes(-1));
});

test('named features keep their own value; text features share 1/sqrt(n)', () => {
  const vector = vectorOf('you idiot');
  const insult = mix(seedFor('named:lex:insult'));
  const at = [...vector.hashes].indexOf(insult);
  assert.ok(at >= 0, 'the lexicon feature is present');
  assert.equal(vector.values[at], 1);
  assert.equal(vector.tokenOf[at], -1);
  const textCount = vector.length - 1;
  assert.ok(Math.abs((vector.values[0] ?? 0) - 1 / Math.sqrt(textCount)) < 1e-6);
  assert.equal(dense(vector, 'lex:insult'), 0.5);
  // An empty comment is one named feature, "empty".
  const empty = vectorOf('');
  assert.deepEqual([...empty.hashes], [mix(seedFor('named:shape:empty'))]);
  assert.ok(
    vectorOf('Check out https://spam.example now').hashes.includes(
      mix(seedFor('named:shape:link')),
    ),
  );
  assert.ok(
    vectorOf('THIS IS OUTRAGEOUS, FIX IT').hashes.includes(mix(seedFor('named:shape:shouting'))),
  );
});

test('a negated word gets a hash of its own besides the plain one', () => {
  // The same words, bigrams and characters; the full stop ends the negation's reach.
  const negated = hashesOf('i do not hate them');
  const plain = hashesOf('i do not. hate them');
  // "hate", "them", "not hate" and "hate them" each get a scoped copy.
  assert.equal(extraOver(negated, plain), 4);
  const hate = wordHash('hate');
  assert.ok(plain.includes(mix(hate)) && negated.includes(mix(hate)), 'the plain word stays');
  const scoped = mix(combineHashes(seedFor('scope:negated'), hate));
  assert.ok(negated.includes(scoped));
  assert.ok(!plain.includes(scoped));
  // A cue after the words negates nothing.
  assert.equal(extraOver(hashesOf('they hate them not'), hashesOf('they hate them. not')), 0);
});

test('a quoted word gets a hash of its own, different from a negated one', () => {
  const quoted = hashesOf('he said "they are vermin"');
  const plain = hashesOf('he said they are vermin');
  // 3 quoted words and 3 bigrams touching them ("said they" included).
  assert.equal(extraOver(quoted, plain), 6);
  const vermin = wordHash('vermin');
  const asQuoted = mix(combineHashes(seedFor('scope:quoted'), vermin));
  assert.ok(quoted.includes(asQuoted));
  assert.notEqual(asQuoted, mix(combineHashes(seedFor('scope:negated'), vermin)));
  // Typographic quotes give exactly the same features as ASCII ones.
  assert.deepEqual(hashesOf('he said “they are vermin”'), quoted);
});

test('disguised spellings share features with the plain word', () => {
  const plain = hashesOf('idiot');
  // Invisible characters, width and look-alike letters vanish in normalisation: the same vector.
  for (const disguised of ['ＩＤＩＯＴ', 'idi\u200Bot', 'іdіот']) {
    assert.deepEqual(hashesOf(disguised), plain, disguised);
  }
  // Leetspeak, dots and stretched letters are undone for every feature but the word as typed:
  // "1d10t" has the word hash of "idiot".
  const idiot = mix(wordHash('idiot'));
  for (const disguised of ['1d10t', 'i.d.i.o.t', 'idiiiooot']) {
    const hashes = hashesOf(disguised);
    assert.ok(hashes.includes(idiot), `${disguised} has the word hash of "idiot"`);
    const shared = plain.filter((h) => hashes.includes(h)).length;
    assert.ok(shared >= plain.length - 1, `${disguised}: ${shared}/${plain.length}`);
  }
});

test('Chinese runs give character n-grams (scoped after a negation); marks change nothing', () => {
  const chinese = vectorOf('你是傻逼');
  // 4 + 3 + 2 character 1–3-grams, all from token 0 (no spaced words, so no raw-word features),
  // and the lexicon's insult hit.
  assert.deepEqual([...chinese.tokenOf], [0, 0, 0, 0, 0, 0, 0, 0, 0, -1]);
  assert.equal(dense(chinese, 'second-person'), 1);
  assert.equal(dense(chinese, 'lex:insult'), 0.5);
  // "我讨厌你": 9 n-grams. "我不讨厌你": 5 + 4 + 3 = 12, and a scoped copy of each 1- and 2-gram
  // starting at a character in the negation's scope (不讨厌你: 4 + 3).
  assert.equal(hashesOf('我讨厌你').length, 9);
  assert.equal(hashesOf('我不讨厌你').length, 12 + 7);
  assert.deepEqual(hashesOf('حَقِير'), hashesOf('حقير'));
  assert.deepEqual(hashesOf('מְטוּמטָם'), hashesOf('מטומטם'));
});

test('dense features reflect second person, question, quotation, negation and length', () => {
  assert.deepEqual(
    [...DENSE_FEATURES],
    [
      'negations',
      'quoted',
      'second-person',
      'question',
      'exclamations',
      'length',
      'lex:insult',
      'lex:slur',
      'lex:threat',
    ],
  );
  const plain = vectorOf('The council met on Tuesday.');
  for (const name of ['negations', 'quoted', 'second-person', 'question', 'exclamations'] as const)
    assert.equal(dense(plain, name), 0, name);
  const asked = vectorOf('Why do you not read "the report" first?');
  assert.equal(dense(asked, 'second-person'), 1);
  assert.equal(dense(asked, 'question'), 1);
  assert.equal(dense(asked, 'quoted'), 1);
  assert.ok(Math.abs((dense(asked, 'negations') ?? 0) - 1 / 3) < 1e-6);
  assert.equal(dense(vectorOf('Stop! Now! Enough! Really!'), 'exclamations'), 1);
  const short = dense(vectorOf('ok'), 'length') ?? 0;
  const long = dense(vectorOf('ok '.repeat(200)), 'length') ?? 0;
  assert.ok(short > 0 && short < long && long <= 1);
});

test('the lexicon matcher finds insults, slurs and threats through disguises and prefixes', () => {
  assert.equal(hitsOf('you are an 1d10t').insult, 1);
  assert.equal(hitsOf("I'll kill you").threat, 1);
  assert.equal(hitsOf('je vais te tuer').threat, 1);
  assert.equal(hitsOf('te voy a matar').threat, 1);
  assert.equal(hitsOf('והמטומטם הזה').insult, 1, 'Hebrew prefixes are peeled off');
  assert.equal(hitsOf('מוות לערבים').threat, 1, 'open-ended phrase');
  assert.equal(hitsOf('يا حمار').insult >= 1, true);
  assert.equal(hitsOf('你这个傻逼').insult, 1);
  assert.deepEqual(hitsOf('The minister spoke about the budget.'), {
    insult: 0,
    slur: 0,
    threat: 0,
  });
  assert.deepEqual(hitsOf('She passed the class with flying colours'), {
    insult: 0,
    slur: 0,
    threat: 0,
  });
});

test('lexicon: political insults in English and Hebrew are hits, plain disagreement is not', () => {
  assert.ok(hitsOf('what a bunch of libtards and hypocrites').insult >= 2);
  assert.ok(hitsOf('השר הזה טמבל ועלוב נפש').insult >= 2);
  assert.equal(hitsOf('I disagree with the minister about the budget').insult, 0);
  assert.equal(hitsOf('אני לא מסכים עם השר בעניין התקציב').insult, 0);
});
