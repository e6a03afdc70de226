/**
 * The classifier's network: a wide part and a deep part over the same hashed features, summed
 * into one logit per label.
 *
 * - **Wide**: a weight per (feature bucket, label), the linear model over n-grams that learns
 *   words and their spellings.
 * - **Deep**: each feature's embedding (a vector of `dims`), averaged over the comment with the
 *   features' values, joined with the dense context features (negation, quotation, second person,
 *   …), then a hidden layer (ReLU) and a linear head per label. The hidden layer is what lets the
 *   model see combinations no single n-gram carries: a group named and a derogation, a threat verb
 *   and a target, a condemnation around a quotation.
 *
 * The same `forward` serves training (float weights) and inference (int8 tables with a scale per
 * table or per label), so what is trained is exactly what runs.
 */
import type { FeatureVector } from './features.ts';

export interface NetworkShape {
  labels: number;
  /** The wide table has 2^wideBits rows of `labels` weights. */
  wideBits: number;
  /** The embedding table has 2^embeddingBits rows of `dims` values. */
  embeddingBits: number;
  dims: number;
  hidden: number;
  /** How many dense features join the averaged embedding. */
  dense: number;
}

/** Weights in whatever storage: Float32Array while training, Int8Array × scale once shipped. */
export interface NetworkWeights {
  wide: ArrayLike<number>;
  /** Per label: the wide weight is wide[i] × wideScale[label]. */
  wideScale: ArrayLike<number>;
  embedding: ArrayLike<number>;
  embeddingScale: number;
  /** hidden × (dims + dense), row-major. */
  w1: Float32Array;
  b1: Float32Array;
  /** labels × hidden, row-major. */
  w2: Float32Array;
  b2: Float32Array;
}

/** What a forward pass leaves behind: the logits, and what backpropagation reads. */
export interface Activations {
  logits: Float64Array;
  /** The averaged embedding joined with the dense features (dims + dense). */
  input: Float32Array;
  hidden: Float32Array;
}

export function newActivations(shape: NetworkShape): Activations {
  return {
    logits: new Float64Array(shape.labels),
    input: new Float32Array(shape.dims + shape.dense),
    hidden: new Float32Array(shape.hidden),
  };
}

export function forward(
  shape: NetworkShape,
  weights: NetworkWeights,
  vector: FeatureVector,
  out: Activations,
): Activations {
  const { labels, dims, hidden: hiddenSize } = shape;
  const inputSize = dims + shape.dense;
  const wideMask = (2 ** shape.wideBits - 1) >>> 0;
  const embeddingMask = (2 ** shape.embeddingBits - 1) >>> 0;
  const { wide, wideScale, embedding, embeddingScale, w1, b1, w2, b2 } = weights;
  const { logits, input, hidden } = out;
  const { hashes, values, length, dense } = vector;
  input.fill(0);
  logits.fill(0);
  for (let i = 0; i < length; i++) {
    const hash = hashes[i] as number;
    const value = values[i] as number;
    const wideRow = ((hash & wideMask) >>> 0) * labels;
    for (let l = 0; l < labels; l++) {
      logits[l] = (logits[l] as number) + value * (wide[wideRow + l] as number);
    }
    const row = ((hash & embeddingMask) >>> 0) * dims;
    for (let d = 0; d < dims; d++) {
      input[d] = (input[d] as number) + value * (embedding[row + d] as number);
    }
  }
  for (let d = 0; d < dims; d++) input[d] = (input[d] as number) * embeddingScale;
  for (let k = 0; k < shape.dense; k++) input[dims + k] = dense[k] as number;
  for (let h = 0; h < hiddenSize; h++) {
    let z = b1[h] as number;
    const row = h * inputSize;
    for (let j = 0; j < inputSize; j++) z += (w1[row + j] as number) * (input[j] as number);
    hidden[h] = z > 0 ? z : 0;
  }
  for (let l = 0; l < labels; l++) {
    let z = (b2[l] as number) + (logits[l] as number) * (wideScale[l] as number);
    const row = l * hiddenSize;
    for (let h = 0; h < hiddenSize; h++) z += (w2[row + h] as number) * (hidden[h] as number);
    logits[l] = z;
  }
  return out;
}
