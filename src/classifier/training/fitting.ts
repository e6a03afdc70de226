/**
 * Multi-label logistic regression over hashed sparse features, trained with AdaGrad and L2
 * (applied lazily to the weights an example touches). One weight row per bucket holds every
 * label, which is the layout the model file stores. Examples carry a weight per label (class
 * balance per source) and may leave a label unknown (null target), which then does not train.
 */
import type { Target } from './datasets.ts';

export interface SparseExample {
  indices: Int32Array;
  values: Float32Array;
  targets: Target[];
  /** Per label; 0 where the target is unknown. */
  weights: number[];
}

export interface TrainOptions {
  bucketBits: number;
  labels: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface TrainedWeights {
  weights: Float32Array;
  biases: number[];
}

/** Mulberry32: a small seeded PRNG, so that shuffles (and so the weights) repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function trainLogistic(examples: SparseExample[], options: TrainOptions): TrainedWeights {
  const { labels, learningRate, l2 } = options;
  const size = (1 << options.bucketBits) * labels;
  const weights = new Float32Array(size);
  const squares = new Float32Array(size);
  const biases = new Array<number>(labels).fill(0);
  const biasSquares = new Array<number>(labels).fill(0);
  const random = seededRandom(options.seed);
  const order = examples.map((_, i) => i);
  const epsilon = 1e-8;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    shuffle(order, random);
    let loss = 0;
    let weightSum = 0;
    for (const e of order) {
      const example = examples[e];
      if (example === undefined) continue;
      const { indices, values, targets } = example;
      for (let l = 0; l < labels; l++) {
        const target = targets[l];
        const sampleWeight = example.weights[l] ?? 0;
        if (target === null || target === undefined || sampleWeight === 0) continue;
        let z = biases[l] ?? 0;
        for (let i = 0; i < indices.length; i++) {
          z += (weights[(indices[i] ?? 0) * labels + l] ?? 0) * (values[i] ?? 0);
        }
        const p = sigmoid(z);
        loss -= sampleWeight * Math.log(Math.max(1e-12, target === 1 ? p : 1 - p));
        weightSum += sampleWeight;
        const g = (p - target) * sampleWeight;
        for (let i = 0; i < indices.length; i++) {
          const at = (indices[i] ?? 0) * labels + l;
          const w = weights[at] ?? 0;
          const grad = g * (values[i] ?? 0) + l2 * w;
          const square = (squares[at] ?? 0) + grad * grad;
          squares[at] = square;
          weights[at] = w - (learningRate * grad) / Math.sqrt(square + epsilon);
        }
        biasSquares[l] = (biasSquares[l] ?? 0) + g * g;
        biases[l] =
          (biases[l] ?? 0) - (learningRate * g) / Math.sqrt((biasSquares[l] ?? 0) + epsilon);
      }
    }
    options.onEpoch?.(epoch, loss / Math.max(weightSum, 1));
  }
  return { weights, biases };
}

/**
 * Platt scaling: slope and intercept so that sigmoid(slope × logit + intercept) fits the
 * (weighted) targets, by Newton's method on the log loss.
 */
export function fitPlatt(
  logits: number[],
  targets: number[],
  weights: number[],
): { slope: number; intercept: number } {
  let a = 1;
  let b = 0;
  for (let iteration = 0; iteration < 50; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-6;
    let hab = 0;
    let hbb = 1e-6;
    for (let i = 0; i < logits.length; i++) {
      const x = logits[i] ?? 0;
      const w = weights[i] ?? 1;
      const p = sigmoid(a * x + b);
      const r = (p - (targets[i] ?? 0)) * w;
      const s = p * (1 - p) * w;
      ga += r * x;
      gb += r;
      haa += s * x * x;
      hab += s * x;
      hbb += s;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-7) break;
  }
  return { slope: a, intercept: b };
}
