/**
 * The v2 classifier's machinery on models small enough to build here (2^10 wide rows, 2^8
 * embeddings of 4, 4 hidden units): training, the model file, quantisation, the network, scoring
 * with per-language calibration, explanations; and calibration fitting and the metrics. The
 * shipped model's own quality is tested in shipped-model.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DENSE_FEATURES, FeatureExtractor, prepareText } from '../../src/classifier/features.ts';
import { trainLatinLanguageModel } from '../../src/classifier/language.ts';
import { decodeModel, encodeModel, quantize } from '../../src/classifier/model-file.ts';
import type { Calibration, ShippedModel } from '../../src/classifier/model-file.ts';
import { forward, newActivations } from '../../src/classifier/network.ts';
import type { NetworkShape } from '../../src/classifier/network.ts';
import { NetworkClassifier } from '../../src/classifier/network-classifier.ts';
import { parseDelimited } from '../../src/classifier/training/csv.ts';
import { fitPlatt, seededRandom, shuffle } from '../../src/classifier/training/fitting.ts';
import { binaryMetrics, percentile, rocAuc } from '../../src/classifier/training/metrics.ts';
import { trainNetwork } from '../../src/classifier/training/train-network.ts';
import type {
  NetworkExample,
  NetworkTrainOptions,
  TrainedNetwork,
} from '../../src/classifier/training/train-network.ts';
import { CLASSIFIER_LABELS } from '../../src/domain/moderation/phases/classifier.ts';
import type { ClassifierLabel } from '../../src/domain/moderation/phases/classifier.ts';

const LABELS = [...CLASSIFIER_LABELS];
const SHAPE: NetworkShape = {
  labels: LABELS.length,
  wideBits: 10,
  embeddingBits: 8,
  dims: 4,
  hidden: 4,
  dense: DENSE_FEATURES.length,
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

const extractor = new FeatureExtractor();
/** A training example from a comment: the labels named are 1, every other label 0. */
function example(text: string, positive: ClassifierLabel[] = []): NetworkExample {
  const v = extractor.extract(text, prepareText(text));
  return {
    hashes: v.hashes.slice(0, v.length),
    values: v.values.slice(0, v.length),
    dense: v.dense.slice(),
    targets: LABELS.map((label) => (positive.includes(label) ? 1 : 0)),
    weights: LABELS.map(() => 1),
  };
}

const INSULT: ClassifierLabel[] = ['toxicity', 'insult'];
const THREAT: ClassifierLabel[] = ['toxicity', 'severe_toxicity', 'threat'];
const EXAMPLES: NetworkExample[] = [
  ...[
    'you are an idiot',
    'what an idiot',
    'shut up you idiot',
    'idiot reporter',
    'you stupid moron',
    'only a moron would write this',
    'the author is a moron',
    'stupid idiot',
    'you fool',
    'what a fool you are',
    'אתה אידיוט',
    'eres un idiota',
  ].map((text) => example(text, INSULT)),
  ...[
    'I will kill you',
    'we will kill them all',
    'someone should kill the author',
    'I am going to hurt you',
  ].map((text) => example(text, THREAT)),
  ...['what a damn shitty game', 'holy shit that was close'].map((text) =>
    example(text, ['profanity']),
  ),
  ...[
    'buy now cheap pills http://spam.example',
    'click here to win money now',
    'cheap watches buy now',
  ].map((text) => example(text, ['spam'])),
  ...[
    'thanks for the thoughtful article',
    'the council meets again on tuesday',
    'I disagree with the minister about the budget',
    'the reporter did a good job',
    'this game was close until the end',
    'the author makes a fair point',
    'what a lovely photo',
    'we will vote next week',
    'I am going to the market',
    'you make a good point',
    'תודה על הכתבה',
    'gracias por el artículo',
    'the minister spoke about the budget',
    'great reporting as always',
  ].map((text) => example(text)),
];

const OPTIONS: NetworkTrainOptions = {
  shape: SHAPE,
  epochs: 40,
  wideRate: 0.2,
  deepRate: 0.05,
  l2: 0,
  seed: 7,
};

let trainedOnce: TrainedNetwork | undefined;
const trained = (): TrainedNetwork => (trainedOnce ??= trainNetwork(EXAMPLES, OPTIONS));

const IDENTITY: Calibration[] = LABELS.map(() => ({ slope: 1, intercept: 0 }));
const languageModel = trainLatinLanguageModel({
  en: [
    'the idiot is here',
    'the minister and the budget',
    'you are such an idiot, honestly',
    'thanks for the report on the article',
  ],
  fr: ['le crétin est ici', 'le ministre et le budget', 'merci pour le rapport'],
});

/** The trained network as a shipped model: int8 tables with their scales. */
function ship(
  network: TrainedNetwork,
  calibration: Record<string, Calibration[]> = { '*': IDENTITY },
): ShippedModel {
  const wide = quantize(network.weights.wide, LABELS.length);
  const embedding = quantize(network.weights.embedding, 1);
  const embeddingScale = embedding.scales[0] ?? 1;
  const { w1, b1, w2, b2 } = network.weights;
  return {
    header: {
      id: 'tiny-2',
      format: 2,
      labels: LABELS,
      shape: network.shape,
      wideScale: wide.scales,
      embeddingScale,
      calibration,
      thresholds: { hold: 0.7, reject: 0.95 },
      training: { seed: OPTIONS.seed, epochs: OPTIONS.epochs },
      languageModel,
    },
    weights: {
      wide: wide.values,
      wideScale: Float32Array.from(wide.scales),
      embedding: embedding.values,
      embeddingScale,
      w1,
      b1,
      w2,
      b2,
    },
  };
}

test('training fits the toy data and is deterministic for a seed', () => {
  const a = trained();
  const b = trainNetwork(EXAMPLES, OPTIONS);
  for (const table of ['wide', 'embedding', 'w1', 'b1', 'w2', 'b2'] as const) {
    assert.deepEqual(b.weights[table], a.weights[table], table);
  }
  const other = trainNetwork(EXAMPLES, { ...OPTIONS, seed: 8 });
  assert.notDeepEqual(other.weights.w1, a.weights.w1, 'another seed, other weights');
  // Every training example on the right side of 0.5, for every label.
  const activations = newActivations(SHAPE);
  for (const e of EXAMPLES) {
    const vector = {
      hashes: e.hashes,
      values: e.values,
      length: e.hashes.length,
      dense: e.dense,
      tokenOf: new Int32Array(0),
    };
    const { logits } = forward(SHAPE, a.weights, vector, activations);
    LABELS.forEach((label, l) => {
      assert.equal((logits[l] ?? 0) > 0, e.targets[l] === 1, label);
    });
  }
});

test('the model file round-trips: the header and every table', () => {
  const model = ship(trained(), { '*': IDENTITY, he: IDENTITY });
  const bytes = encodeModel(model);
  assert.equal(bytes.toString('latin1', 0, 4), 'PRLY');
  assert.equal(bytes.length % 4, 0);
  const decoded = decodeModel(bytes);
  assert.deepEqual(decoded.header, model.header);
  const { weights } = decoded;
  assert.deepEqual(weights.wide, model.weights.wide);
  assert.deepEqual(weights.embedding, model.weights.embedding);
  assert.deepEqual(weights.wideScale, model.weights.wideScale);
  assert.equal(weights.embeddingScale, model.weights.embeddingScale);
  for (const table of ['w1', 'b1', 'w2', 'b2'] as const) {
    assert.deepEqual(weights[table], model.weights[table], table);
  }
  assert.equal(weights.wide.length, 2 ** SHAPE.wideBits * SHAPE.labels);
  assert.equal(weights.embedding.length, 2 ** SHAPE.embeddingBits * SHAPE.dims);
  // The tables are views into the file's bytes, not copies.
  assert.equal(weights.wide.buffer, bytes.buffer);
  assert.equal(weights.w2.buffer, bytes.buffer);
  // Bytes that do not start at a multiple of 4 are copied first, and decode the same.
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  const copied = decodeModel(shifted.subarray(1));
  assert.deepEqual(copied.header, model.header);
  assert.deepEqual(copied.weights.w1, model.weights.w1);
  assert.deepEqual(copied.weights.embedding, model.weights.embedding);

  assert.throws(() => decodeModel(Buffer.from('nope, not a model')), /Not a Parley model/);
  assert.throws(() => decodeModel(bytes.subarray(0, bytes.length - 4)), /truncated/);
  assert.throws(() => decodeModel(Buffer.concat([bytes, Buffer.alloc(4)])), /trailing bytes/);
  const old = encodeModel({ ...model, header: { ...model.header, format: 1 as 2 } });
  assert.throws(() => decodeModel(old), /Unsupported model format 1/);
});

test('quantisation keeps each weight within half a step, with a scale per column', () => {
  const table = Float32Array.from([0.5, -1, 0.25, 2, -0.125, 0.75, 0, -2, 0.3, 0]);
  const { values, scales } = quantize(table, 2);
  assert.equal(scales.length, 2);
  assert.ok(Math.abs((scales[0] ?? 0) - 0.5 / 127) < 1e-12, 'column 0: max |w| is 0.5');
  assert.ok(Math.abs((scales[1] ?? 0) - 2 / 127) < 1e-12, 'column 1: max |w| is 2');
  table.forEach((w, i) => {
    const scale = scales[i % 2] ?? 1;
    assert.ok(Math.abs((values[i] ?? 0) * scale - w) <= scale / 2 + 1e-9, `weight ${i}`);
    assert.ok(Math.abs(values[i] ?? 0) <= 127);
  });
  // The largest weight of a column is exactly ±127 steps; an all-zero column keeps scale 1.
  assert.equal(values[3], 127);
  assert.equal(values[7], -127);
  assert.deepEqual(quantize(new Float32Array(4), 1), { values: new Int8Array(4), scales: [1] });
  // On a trained table.
  const { wide } = trained().weights;
  const q = quantize(wide, LABELS.length);
  wide.forEach((w, i) => {
    const scale = q.scales[i % LABELS.length] ?? 1;
    assert.ok(Math.abs((q.values[i] ?? 0) * scale - w) <= scale / 2 + 1e-6);
  });
});

test('the int8 network computes what the float one does, within the quantisation error', () => {
  const network = trained();
  const classifier = new NetworkClassifier(ship(network));
  const activations = newActivations(SHAPE);
  const float = new FeatureExtractor();
  for (const text of ['you are an idiot', 'I will kill you', 'thanks for the article', '']) {
    const expected = [...forward(SHAPE, network.weights, float.extract(text), activations).logits];
    const actual = [...classifier.logits(text)];
    expected.forEach((z, l) => {
      assert.ok(Math.abs((actual[l] ?? 0) - z) < 0.05 + 0.02 * Math.abs(z), `${text} ${l}`);
    });
  }
});

test('scores are probabilities of every label, with the language and the model id', () => {
  const classifier = new NetworkClassifier(ship(trained()));
  const insult = classifier.classify('you are such an idiot');
  const benign = classifier.classify('thanks for the report on the budget');
  assert.equal(insult.model, 'tiny-2');
  assert.equal(insult.language, 'en');
  assert.deepEqual(Object.keys(insult.scores), LABELS);
  for (const label of LABELS) {
    const score = insult.scores[label];
    assert.ok(score >= 0 && score <= 1, `${label} ${score}`);
    // Rounded to 4 decimals.
    assert.equal(Math.round(score * 1e4) / 1e4, score);
  }
  assert.ok(insult.scores.toxicity > benign.scores.toxicity);
  assert.ok(insult.scores.insult > benign.scores.insult);
  assert.ok(classifier.classify('we will kill you').scores.threat > benign.scores.threat);
  assert.ok(classifier.classify('buy now cheap pills').scores.spam > benign.scores.spam);
  assert.equal(classifier.classify('אתה אידיוט').language, 'he');
  assert.equal(classifier.classify('你这个傻逼').language, 'zh');
  assert.equal(classifier.classify('le crétin est ici').language, 'fr');
  const empty = classifier.classify('');
  assert.ok(LABELS.every((label) => Number.isFinite(empty.scores[label])));
  // classifyIn chooses the language among those given.
  assert.equal(classifier.classifyIn('the idiot is here', ['fr']).language, 'fr');
  assert.equal(classifier.classifyIn('אתה אידיוט', ['he', 'en']).language, 'he');
});

test("per-language calibration: a language's own table, else '*'", () => {
  const he: Calibration[] = LABELS.map(() => ({ slope: 0.5, intercept: -1 }));
  const fr: Calibration[] = LABELS.map(() => ({ slope: 2, intercept: 1.5 }));
  const global: Calibration[] = LABELS.map((_, l) => ({ slope: 1.2, intercept: 0.1 * l }));
  const classifier = new NetworkClassifier(ship(trained(), { '*': global, he, fr }));
  const expect = (text: string, table: Calibration[], languages?: string[]) => {
    const logits = [...classifier.logits(text)];
    const scores = languages ? classifier.classifyIn(text, languages) : classifier.classify(text);
    LABELS.forEach((label, l) => {
      const { slope, intercept } = table[l] ?? { slope: 1, intercept: 0 };
      const p = sigmoid(slope * (logits[l] ?? 0) + intercept);
      assert.equal(scores.scores[label], Math.round(p * 1e4) / 1e4, `${text} ${label}`);
    });
    return scores;
  };
  assert.equal(expect('אתה אידיוט', he).language, 'he');
  // Arabic has no table of its own: the global one.
  assert.equal(expect('انت غبي', global).language, 'ar');
  assert.equal(expect('the idiot is here', global).language, 'en');
  assert.equal(expect('the idiot is here', fr, ['fr']).language, 'fr');
  // The same logits give other probabilities under another language's table.
  const text = 'אתה אידיוט';
  assert.notDeepEqual(classifier.probabilities(text, 'he'), classifier.probabilities(text, 'ar'));
  assert.deepEqual(classifier.probabilities(text, 'ar'), classifier.probabilities(text, 'xx'));
});

/** The words explain() considers, as it finds them (network-classifier.ts). */
const EXPLAINED_WORD =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[@$|]?[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}'’*@$!|]*[\p{L}\p{N}\p{M}])?/gu;

test('explain: each word’s share of a score, with offsets into the raw text', () => {
  const classifier = new NetworkClassifier(ship(trained()));
  // An emoji (two UTF-16 units) before, a disguise in the word.
  const text = '😀 Honestly, you are an 1d10t. Thanks for the article.';
  const words = classifier.explain(text);
  assert.ok(words.length > 0);
  const full = classifier.probabilities(text, 'en');
  const without = (begin: number, end: number) =>
    classifier.probabilities(`${text.slice(0, begin)} ${text.slice(end)}`, 'en');
  const shares = new Map<string, number>();
  for (const word of words) {
    assert.equal(text.slice(word.begin, word.end), word.text);
    const drops = Object.entries(word.drops);
    assert.ok(drops.length > 0);
    const rest = without(word.begin, word.end);
    for (const [label, share] of drops) {
      const l = LABELS.indexOf(label as ClassifierLabel);
      assert.ok(share >= 0.05, `${word.text} ${label} ${share}`);
      // A listed word lowers the score when it is removed.
      assert.ok((rest[l] ?? 0) < (full[l] ?? 0), `${word.text} ${label}`);
      shares.set(label, (shares.get(label) ?? 0) + share);
    }
  }
  // The shares of a label add up to at most its score.
  for (const [label, total] of shares) {
    assert.ok(total <= (full[LABELS.indexOf(label as ClassifierLabel)] ?? 0) + 1e-3, label);
  }
  const insult = words.find((w) => w.text === '1d10t');
  assert.ok(insult, JSON.stringify(words));
  assert.equal(insult.begin, text.indexOf('1d10t'));
  assert.equal(insult.end, insult.begin + 5);
  assert.ok((insult.drops.toxicity ?? 0) >= 0.05);
  // Words whose removal raises every score are never listed.
  for (const match of text.matchAll(EXPLAINED_WORD)) {
    const rest = without(match.index, match.index + match[0].length);
    if (LABELS.every((_, l) => (rest[l] ?? 0) >= (full[l] ?? 0))) {
      assert.ok(!words.some((w) => w.begin === match.index), match[0]);
    }
  }
  // A benign comment explains little or nothing of its toxicity.
  const benign = classifier.explain('thanks for the article');
  assert.ok(
    benign.every((w) => (w.drops.toxicity ?? 0) < 0.2),
    JSON.stringify(benign),
  );
});

test('explain: a highlighted word excludes the punctuation and markup around it', () => {
  const classifier = new NetworkClassifier(ship(trained()));
  for (const [text, insult] of [
    ['you are an idiot!!!', 'idiot'],
    ['what a **moron**', 'moron'],
  ] as const) {
    const words = classifier.explain(text).map((w) => text.slice(w.begin, w.end));
    assert.ok(words.length > 0, text);
    for (const word of words) assert.match(word, /^[@$|]?[\p{L}\p{N}](.*[\p{L}\p{N}])?$/u);
    assert.ok(words.includes(insult), JSON.stringify(words));
  }
});

// Occlusion by the probability alone missed these: with several insults the score stays near 1
// without any one of them. Shares of the logit's fall still name them.
test('explain: a comment with several insults still has them highlighted', () => {
  const classifier = new NetworkClassifier(ship(trained()));
  // Each alone is explained…
  assert.ok(classifier.explain('what a moron').some((w) => w.text === 'moron'));
  // …and together too.
  const text = 'you stupid idiot, you moron';
  const words = classifier.explain(text).map((w) => w.text);
  assert.ok(
    ['stupid', 'idiot', 'moron'].some((w) => words.includes(w)),
    JSON.stringify(words),
  );
});

/**
 * A co-occurrence only the deep part can learn. Hand-made vectors (hashes 101, 202 and 303, value
 * 1 per occurrence, no dense features): A alone, once or twice, is 0; B alone, once or twice, is
 * 0; A with B is 1; the rest of the comment (C) is always there. A linear model cannot fit it: its
 * logit of C+A+B is exactly the mean of its logits of C+A+A and C+B+B, so if those are negative it
 * is too. The hidden layer can.
 */
test('the network learns an interaction the wide (linear) part alone cannot', () => {
  const shape: NetworkShape = {
    labels: 1,
    wideBits: 10,
    embeddingBits: 8,
    dims: 4,
    hidden: 8,
    dense: 0,
  };
  const [A, B, C] = [101, 202, 303];
  const patterns: [number[], 0 | 1][] = [
    [[C], 0],
    [[C, A], 0],
    [[C, A, A], 0],
    [[C, B], 0],
    [[C, B, B], 0],
    [[C, A, B], 1],
  ];
  const make = ([hashes, target]: [number[], 0 | 1]): NetworkExample => ({
    hashes: Uint32Array.from(hashes),
    values: new Float32Array(hashes.length).fill(1),
    dense: new Float32Array(0),
    targets: [target],
    weights: [target === 1 ? 5 : 1],
  });
  const examples = Array.from({ length: 4 }, () => patterns.map(make)).flat();
  const options = { epochs: 150, wideRate: 0.1, deepRate: 0.1, l2: 0, seed: 3 };
  const logitsOf = (network: TrainedNetwork) => {
    const activations = newActivations(network.shape);
    return patterns.map(([hashes]) => {
      const vector = {
        hashes: Uint32Array.from(hashes),
        values: new Float32Array(hashes.length).fill(1),
        length: hashes.length,
        dense: new Float32Array(0),
        tokenOf: new Int32Array(0),
      };
      return forward(network.shape, network.weights, vector, activations).logits[0] ?? 0;
    });
  };
  /** Every pattern on its side of 0.5. */
  const fits = (logits: number[], margin = 0) =>
    patterns.every(([, target], i) => (target === 1 ? 1 : -1) * (logits[i] ?? 0) > margin);

  // No hidden units: the wide table and the bias alone.
  const linear = logitsOf(trainNetwork(examples, { ...options, shape: { ...shape, hidden: 0 } }));
  const [, , caa = 0, , cbb = 0, cab = 0] = linear;
  assert.ok(Math.abs(cab - (caa + cbb) / 2) < 1e-4, `${cab} vs ${caa}, ${cbb}`);
  assert.equal(fits(linear), false, `linear logits ${linear.map((z) => z.toFixed(2)).join(' ')}`);

  const deep = logitsOf(trainNetwork(examples, { ...options, shape }));
  assert.ok(fits(deep, 1), `network logits ${deep.map((z) => z.toFixed(2)).join(' ')}`);
});

test('Platt scaling recovers a known slope and intercept', () => {
  const logits: number[] = [];
  const targets: number[] = [];
  const random = seededRandom(11);
  for (let i = 0; i < 4000; i++) {
    const x = random() * 8 - 4;
    logits.push(x);
    targets.push(random() < sigmoid(2 * x + 1) ? 1 : 0);
  }
  const { slope, intercept } = fitPlatt(
    logits,
    targets,
    logits.map(() => 1),
  );
  assert.ok(Math.abs(slope - 2) < 0.25, `slope ${slope}`);
  assert.ok(Math.abs(intercept - 1) < 0.25, `intercept ${intercept}`);
  // Weights count like repeats.
  const twice = fitPlatt(
    [...logits, ...logits],
    [...targets, ...targets],
    [...logits.map(() => 1), ...logits.map(() => 1)],
  );
  const weighted = fitPlatt(
    logits,
    targets,
    logits.map(() => 2),
  );
  assert.ok(Math.abs(twice.slope - weighted.slope) < 1e-6);
  assert.ok(Math.abs(twice.intercept - weighted.intercept) < 1e-6);
});

test('Platt scaling stays finite on perfectly separable data', () => {
  for (const scale of [1, 10, 1000]) {
    const logits = [-3, -2, -1, -0.5, 0.5, 1, 2, 3].map((x) => x * scale);
    const targets = logits.map((x) => (x > 0 ? 1 : 0));
    const { slope, intercept } = fitPlatt(
      logits,
      targets,
      logits.map(() => 1),
    );
    assert.ok(Number.isFinite(slope) && Number.isFinite(intercept), `${slope} ${intercept}`);
    assert.ok(slope > 0, 'the order is kept');
    for (let i = 0; i < logits.length; i++) {
      const p = sigmoid(slope * (logits[i] ?? 0) + intercept);
      assert.equal(p > 0.5, targets[i] === 1);
    }
  }
  // Reversed labels: a negative slope, still finite.
  const reversed = fitPlatt([-2, -1, 1, 2], [1, 1, 0, 0], [1, 1, 1, 1]);
  assert.ok(Number.isFinite(reversed.slope) && reversed.slope < 0);
  // One class only, or nothing: finite.
  for (const [l, t] of [
    [
      [1, 2, 3],
      [1, 1, 1],
    ],
    [[], []],
  ] as [number[], number[]][]) {
    const fit = fitPlatt(
      l,
      t,
      l.map(() => 1),
    );
    assert.ok(Number.isFinite(fit.slope) && Number.isFinite(fit.intercept));
  }
});

test('seeded shuffles repeat', () => {
  const a = shuffle([1, 2, 3, 4, 5, 6, 7, 8], seededRandom(5));
  const b = shuffle([1, 2, 3, 4, 5, 6, 7, 8], seededRandom(5));
  assert.deepEqual(a, b);
  assert.deepEqual([...a].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.notDeepEqual(shuffle([1, 2, 3, 4, 5, 6, 7, 8], seededRandom(6)), a);
});

test('metrics: macro-F1, precision and recall of the positive class, percentiles', () => {
  const m = binaryMetrics([true, true, false, false], [true, false, true, false]);
  assert.equal(m.precision, 0.5);
  assert.equal(m.recall, 0.5);
  assert.equal(m.macroF1, 0.5);
  assert.equal(m.falsePositiveRate, 0.5);
  assert.equal(m.accuracy, 0.5);
  assert.equal(m.count, 4);
  assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
  assert.equal(percentile([5, 1, 4, 2, 3], 100), 5);
  assert.equal(percentile([5, 1, 4, 2, 3], 0), 1);
  assert.equal(percentile([], 50), 0);
});

test('ROC AUC: perfect, reversed, ties, a known mixed case and a missing class', () => {
  assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]), 1);
  assert.equal(rocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true]), 0);
  assert.equal(rocAuc([0.5, 0.5, 0.5, 0.5], [false, true, false, true]), 0.5);
  // Pairs (positive above negative): 0.35>0.1, 0.8>0.1, 0.8>0.4; 0.35<0.4 → 3 of 4.
  assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 0.75);
  // A tie between a positive and a negative counts half: (1 + 0.5) / 2.
  assert.equal(rocAuc([0.1, 0.5, 0.5], [false, false, true]), 0.75);
  // Order of the input does not matter.
  assert.equal(rocAuc([0.8, 0.35, 0.4, 0.1], [true, true, false, false]), 0.75);
  assert.equal(rocAuc([0.1, 0.9], [true, true]), 0.5);
  assert.equal(rocAuc([0.1, 0.9], [false, false]), 0.5);
  assert.equal(rocAuc([], []), 0.5);
});

test('the CSV reader handles quotes, doubled quotes, newlines in fields and tabs', () => {
  assert.deepEqual(parseDelimited('a,b\n"x, y","say ""hi""\nthere"\n'), [
    ['a', 'b'],
    ['x, y', 'say "hi"\nthere'],
  ]);
  assert.deepEqual(parseDelimited('t\tc\r\n"a\tb"\tn', '\t'), [
    ['t', 'c'],
    ['a\tb', 'n'],
  ]);
});
