import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineHashes, hashString, seedFor } from '../../src/classifier/hash.ts';
import { compactFeatures, FeatureExtractor, prepareText } from '../../src/classifier/features.ts';
import { countLexiconHits } from '../../src/classifier/lexicon-matcher.ts';
import { splitWords, hasUnspacedScript } from '../../src/domain/moderation/normalize.ts';

const bucketsOf = (extractor: FeatureExtractor, text: string) => {
  const vector = extractor.extract(text);
  return [...vector.indices.subarray(0, vector.length)].sort((a, b) => a - b);
};

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

test('features are deterministic and stay inside the bucket range', () => {
  const extractor = new FeatureExtractor(12);
  const first = bucketsOf(extractor, 'The minister spoke about the budget.');
  const second = bucketsOf(new FeatureExtractor(12), 'The minister spoke about the budget.');
  assert.deepEqual(first, second);
  assert.ok(first.length > 20);
  assert.ok(first.every((b) => b >= 0 && b < 4096));
});

test('text features are scaled by 1/sqrt(n); named features keep their value', () => {
  const extractor = new FeatureExtractor(16);
  const vector = extractor.extract('you idiot');
  const insult = extractor.namedBucket('lex:insult');
  const named = [...vector.indices.subarray(0, vector.length)].indexOf(insult);
  assert.ok(named >= 0, 'lexicon feature present');
  assert.equal(vector.values[named], 1);
  const textCount = vector.length - 1;
  assert.ok(Math.abs((vector.values[0] ?? 0) - 1 / Math.sqrt(textCount)) < 1e-6);
});

test('disguised spellings share features with the plain word', () => {
  const extractor = new FeatureExtractor(18);
  const plain = bucketsOf(extractor, 'idiot');
  // Invisible characters, width and look-alike letters vanish in normalisation: the same vector.
  for (const disguised of ['ＩＤＩＯＴ', 'idi\u200Bot', 'іdіот']) {
    assert.deepEqual(bucketsOf(extractor, disguised), plain, disguised);
  }
  // Leetspeak and spacing are undone for every feature but the word as typed.
  for (const disguised of ['1d10t', 'i.d.i.o.t']) {
    const buckets = bucketsOf(extractor, disguised);
    const shared = plain.filter((bucket) => buckets.includes(bucket)).length;
    assert.ok(shared >= plain.length - 1, `${disguised}: ${shared}/${plain.length}`);
  }
});

test('Chinese text gets character n-grams, Arabic and Hebrew marks do not change features', () => {
  const extractor = new FeatureExtractor(18);
  assert.ok(extractor.extract('你是傻逼').length >= 9);
  assert.deepEqual(bucketsOf(extractor, 'حَقِير'), bucketsOf(extractor, 'حقير'));
  assert.deepEqual(bucketsOf(extractor, 'מְטוּמטָם'), bucketsOf(extractor, 'מטומטם'));
});

test('compactFeatures merges repeated buckets and sums their values', () => {
  const sparse = compactFeatures({
    indices: Int32Array.from([5, 3, 5]),
    values: Float32Array.from([0.5, 1, 0.25]),
    length: 3,
  });
  assert.deepEqual([...sparse.indices], [3, 5]);
  assert.deepEqual([...sparse.values], [1, 0.75]);
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

test('language features add per-language copies of word features and are off by default', () => {
  const text = 'the minister lied again';
  const plain = new FeatureExtractor(18).extract(text).length;
  const off = new FeatureExtractor(18, { languageFeatures: 'none' }).extract(text).length;
  assert.equal(off, plain);
  const words = new FeatureExtractor(18, { languageFeatures: 'words' });
  const prepared = prepareText(text);
  const en = [...words.extract(text, prepared, 'en').indices.subarray(0, plain + 7)];
  const fr = [...words.extract(text, prepared, 'fr').indices.subarray(0, plain + 7)];
  // 4 words and 3 bigrams get a copy each; the copies differ by language.
  assert.equal(words.extract(text, prepared, 'en').length, plain + 7);
  assert.notDeepEqual(en, fr);
});

test('lexicon: political insults in English and Hebrew are hits, plain disagreement is not', () => {
  assert.ok(hitsOf('what a bunch of libtards and hypocrites').insult >= 2);
  assert.ok(hitsOf('השר הזה טמבל ועלוב נפש').insult >= 2);
  assert.equal(hitsOf('I disagree with the minister about the budget').insult, 0);
  assert.equal(hitsOf('אני לא מסכים עם השר בעניין התקציב').insult, 0);
});
