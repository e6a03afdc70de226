import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinearClassifier } from '../../src/classifier/linear-classifier.ts';
import { FeatureExtractor } from '../../src/classifier/features.ts';
import { trainLatinLanguageModel } from '../../src/classifier/language.ts';
import { decodeModel, encodeModel, quantize } from '../../src/classifier/model-file.ts';
import type { LinearModel } from '../../src/classifier/model-file.ts';
import { fitPlatt, trainLogistic } from '../../src/classifier/training/logistic.ts';
import { binaryMetrics } from '../../src/classifier/training/metrics.ts';
import { parseDelimited } from '../../src/classifier/training/csv.ts';

const BITS = 12;
const LABELS = ['toxicity', 'identity_attack', 'threat', 'spam'] as const;

/** A hand-built model: one weight on the bucket of the word "idiot" for toxicity. */
function tinyModel(): LinearModel {
  const extractor = new FeatureExtractor(BITS);
  const weights = new Float32Array((1 << BITS) * LABELS.length);
  const vector = extractor.extract('idiot');
  for (let i = 0; i < vector.length; i++) weights[(vector.indices[i] ?? 0) * LABELS.length] = 2;
  const quantized = quantize(weights, LABELS.length);
  return {
    header: {
      id: 'tiny-1',
      format: 1,
      bucketBits: BITS,
      labels: [...LABELS],
      scales: quantized.scales,
      biases: [-2, -2, -2, -2],
      calibration: LABELS.map(() => ({ slope: 1, intercept: 0 })),
      thresholds: { hold: 0.7, reject: 0.97 },
      training: {},
      languageModel: trainLatinLanguageModel({ en: ['the idiot'], fr: ['le crétin'] }),
    },
    weights: quantized.weights,
  };
}

test('the model file round-trips', () => {
  const model = tinyModel();
  const decoded = decodeModel(encodeModel(model));
  assert.deepEqual(decoded.header, model.header);
  assert.deepEqual([...decoded.weights], [...model.weights]);
  assert.throws(() => decodeModel(Buffer.from('nope, not a model')), /Not a Parley model/);
});

test('quantisation keeps each weight within half a step', () => {
  const weights = Float32Array.from([0.5, -1, 0.25, 2, -0.125, 0.75, 0, -2]);
  const { weights: q, scales } = quantize(weights, 2);
  weights.forEach((w, i) => {
    assert.ok(Math.abs((q[i] ?? 0) * (scales[i % 2] ?? 1) - w) <= (scales[i % 2] ?? 1) / 2 + 1e-9);
  });
});

test('scores are probabilities with the language and the model id', () => {
  const classifier = new LinearClassifier(tinyModel());
  const insult = classifier.classify('idiot');
  const benign = classifier.classify('hello there');
  assert.equal(insult.model, 'tiny-1');
  assert.ok(insult.scores.toxicity > benign.scores.toxicity);
  for (const label of LABELS) {
    assert.ok(insult.scores[label] >= 0 && insult.scores[label] <= 1);
  }
  assert.equal(classifier.classify('שלום').language, 'he');
  assert.ok(Number.isFinite(classifier.classify('').scores.toxicity));
});

test('logistic regression learns a separable toy problem and is deterministic', () => {
  const extractor = new FeatureExtractor(BITS);
  const make = (text: string, y: 0 | 1) => {
    const v = extractor.extract(text);
    return {
      indices: v.indices.slice(0, v.length),
      values: v.values.slice(0, v.length),
      targets: [y, null, null, null] as (0 | 1 | null)[],
      weights: [1, 0, 0, 0],
    };
  };
  const data = [
    make('you are a fool', 1),
    make('what a fool', 1),
    make('fool fool', 1),
    make('you are kind', 0),
    make('what a day', 0),
    make('thanks a lot', 0),
  ];
  const options = { bucketBits: BITS, labels: 4, epochs: 30, learningRate: 0.5, l2: 0, seed: 1 };
  const a = trainLogistic(data, options);
  const b = trainLogistic(data, options);
  assert.deepEqual([...a.weights], [...b.weights]);
  const logit = (e: (typeof data)[number]) =>
    e.indices.reduce(
      (z, index, i) => z + (a.weights[index * 4] ?? 0) * (e.values[i] ?? 0),
      a.biases[0] ?? 0,
    );
  for (const e of data) assert.equal(logit(e) > 0, e.targets[0] === 1);
});

test('Platt scaling recovers a known slope and intercept', () => {
  const logits: number[] = [];
  const targets: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const x = (i / 2000) * 8 - 4;
    logits.push(x);
    // Deterministic targets drawn from sigmoid(2x + 1).
    targets.push(((i * 7919) % 1000) / 1000 < 1 / (1 + Math.exp(-(2 * x + 1))) ? 1 : 0);
  }
  const { slope, intercept } = fitPlatt(
    logits,
    targets,
    logits.map(() => 1),
  );
  assert.ok(Math.abs(slope - 2) < 0.3, `slope ${slope}`);
  assert.ok(Math.abs(intercept - 1) < 0.3, `intercept ${intercept}`);
});

test('metrics: macro-F1, precision and recall of the positive class', () => {
  const m = binaryMetrics([true, true, false, false], [true, false, true, false]);
  assert.equal(m.precision, 0.5);
  assert.equal(m.recall, 0.5);
  assert.equal(m.macroF1, 0.5);
  assert.equal(m.falsePositiveRate, 0.5);
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
