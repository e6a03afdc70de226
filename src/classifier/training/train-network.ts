/**
 * Trains the network (see ../network.ts) by stochastic gradient descent with AdaGrad on every
 * weight: the wide table and the embeddings sparsely (only the rows an example touches), the
 * hidden layer and heads densely. The loss is each label's log loss, weighted per example and
 * label (class balance per source); a label an example says nothing about (null) does not train.
 * Deterministic for a seed: the shuffles and the initial weights come from one seeded generator,
 * and the arithmetic is sequential.
 */
import { forward, newActivations } from '../network.ts';
import type { NetworkShape, NetworkWeights } from '../network.ts';
import type { FeatureVector } from '../features.ts';
import type { Target } from './datasets.ts';
import { seededRandom, shuffle } from './fitting.ts';

export interface NetworkExample {
  hashes: Uint32Array;
  values: Float32Array;
  dense: Float32Array;
  targets: Target[];
  /** Per label; 0 where the target is unknown. */
  weights: number[];
}

export interface NetworkTrainOptions {
  shape: NetworkShape;
  epochs: number;
  /** AdaGrad step of the wide table, and of everything else. */
  wideRate: number;
  deepRate: number;
  /** L2 on the wide weights an example touches. */
  l2: number;
  seed: number;
  /** Called now and then within an epoch (done of total) and at each epoch's end. */
  onProgress?: (epoch: number, done: number, total: number, loss: number) => void;
  /** Called after each epoch with the weights as they are (read them, do not keep them). */
  onEpochEnd?: (epoch: number, network: TrainedNetwork) => void;
}

export interface TrainedNetwork {
  shape: NetworkShape;
  weights: NetworkWeights & {
    wide: Float32Array;
    embedding: Float32Array;
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const EPSILON = 1e-8;

/** A view of an example as the feature extractor would give it, for `forward`. */
function asVector(example: NetworkExample): FeatureVector {
  return {
    hashes: example.hashes,
    values: example.values,
    length: example.hashes.length,
    dense: example.dense,
    tokenOf: new Int32Array(0),
  };
}

export function trainNetwork(
  examples: NetworkExample[],
  options: NetworkTrainOptions,
): TrainedNetwork {
  const { shape, wideRate, deepRate, l2 } = options;
  const { labels, dims, hidden: hiddenSize } = shape;
  const inputSize = dims + shape.dense;
  const random = seededRandom(options.seed);
  const uniform = (scale: number) => (random() * 2 - 1) * scale;

  const wide = new Float32Array(2 ** shape.wideBits * labels);
  const embedding = Float32Array.from({ length: 2 ** shape.embeddingBits * dims }, () =>
    uniform(1 / dims),
  );
  const w1 = Float32Array.from({ length: hiddenSize * inputSize }, () =>
    uniform(Math.sqrt(6 / inputSize)),
  );
  const b1 = new Float32Array(hiddenSize).fill(0.01);
  const w2 = Float32Array.from({ length: labels * hiddenSize }, () =>
    uniform(Math.sqrt(6 / (hiddenSize + labels))),
  );
  const b2 = new Float32Array(labels);
  const weights = {
    wide,
    wideScale: new Float32Array(labels).fill(1),
    embedding,
    embeddingScale: 1,
    w1,
    b1,
    w2,
    b2,
  };
  const squares = {
    wide: new Float32Array(wide.length),
    embedding: new Float32Array(embedding.length),
    w1: new Float32Array(w1.length),
    b1: new Float32Array(b1.length),
    w2: new Float32Array(w2.length),
    b2: new Float32Array(b2.length),
  };
  const step = (
    params: Float32Array,
    sq: Float32Array,
    at: number,
    grad: number,
    rate: number,
  ): void => {
    const square = (sq[at] as number) + grad * grad;
    sq[at] = square;
    params[at] = (params[at] as number) - (rate * grad) / Math.sqrt(square + EPSILON);
  };

  const activations = newActivations(shape);
  const g = new Float64Array(labels);
  const gHidden = new Float64Array(hiddenSize);
  const gInput = new Float64Array(inputSize);
  const order = examples.map((_, i) => i);
  const reportEvery = Math.max(1, Math.floor(examples.length / 20));

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    shuffle(order, random);
    let loss = 0;
    let weightSum = 0;
    for (let n = 0; n < order.length; n++) {
      const example = examples[order[n] as number];
      if (example === undefined) continue;
      const vector = asVector(example);
      forward(shape, weights, vector, activations);
      const { logits, input, hidden } = activations;
      let any = false;
      for (let l = 0; l < labels; l++) {
        const target = example.targets[l];
        const w = example.weights[l] ?? 0;
        if (target === null || target === undefined || w === 0) {
          g[l] = 0;
          continue;
        }
        const p = sigmoid(logits[l] as number);
        loss -= w * Math.log(Math.max(1e-12, target === 1 ? p : 1 - p));
        weightSum += w;
        g[l] = w * (p - target);
        any = true;
      }
      if (any) {
        // Heads and the hidden layer's gradient (read before the heads move).
        gHidden.fill(0);
        for (let l = 0; l < labels; l++) {
          const gl = g[l] as number;
          if (gl === 0) continue;
          const row = l * hiddenSize;
          for (let h = 0; h < hiddenSize; h++) {
            gHidden[h] = (gHidden[h] as number) + gl * (w2[row + h] as number);
            const grad = gl * (hidden[h] as number);
            if (grad !== 0) step(w2, squares.w2, row + h, grad, deepRate);
          }
          step(b2, squares.b2, l, gl, deepRate);
        }
        gInput.fill(0);
        for (let h = 0; h < hiddenSize; h++) {
          if ((hidden[h] as number) <= 0) continue;
          const gh = gHidden[h] as number;
          if (gh === 0) continue;
          const row = h * inputSize;
          for (let j = 0; j < inputSize; j++) {
            gInput[j] = (gInput[j] as number) + gh * (w1[row + j] as number);
            const grad = gh * (input[j] as number);
            if (grad !== 0) step(w1, squares.w1, row + j, grad, deepRate);
          }
          step(b1, squares.b1, h, gh, deepRate);
        }
        const wideMask = (2 ** shape.wideBits - 1) >>> 0;
        const embeddingMask = (2 ** shape.embeddingBits - 1) >>> 0;
        const { hashes, values } = example;
        for (let i = 0; i < hashes.length; i++) {
          const hash = hashes[i] as number;
          const value = values[i] as number;
          const wideRow = ((hash & wideMask) >>> 0) * labels;
          for (let l = 0; l < labels; l++) {
            const gl = g[l] as number;
            if (gl === 0) continue;
            const at = wideRow + l;
            step(wide, squares.wide, at, gl * value + l2 * (wide[at] as number), wideRate);
          }
          const row = ((hash & embeddingMask) >>> 0) * dims;
          for (let d = 0; d < dims; d++) {
            const grad = (gInput[d] as number) * value;
            if (grad !== 0) step(embedding, squares.embedding, row + d, grad, deepRate);
          }
        }
      }
      if ((n + 1) % reportEvery === 0 && n + 1 < order.length) {
        options.onProgress?.(epoch, n + 1, order.length, loss / Math.max(weightSum, 1));
      }
    }
    options.onProgress?.(epoch, order.length, order.length, loss / Math.max(weightSum, 1));
    options.onEpochEnd?.(epoch, { shape, weights });
  }
  return { shape, weights };
}
