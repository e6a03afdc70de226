/**
 * The model file (models/parley-N.bin): the bytes "PRLY", a little-endian uint32 header length,
 * the header as UTF-8 JSON, padding to a multiple of 4, then the weights as int8, one row of
 * `labels.length` weights per hash bucket. Each label's weights are quantised with its own scale
 * (weight = int8 × scale), which keeps the file at a quarter of float32 and loses nothing that
 * shows in the metrics.
 */
import type { ClassifierLabel } from '../domain/moderation/phases/classifier.ts';
import type { FeatureOptions } from './features.ts';
import type { LatinLanguageModel } from './language.ts';

const MAGIC = 'PRLY';

export interface ModelHeader {
  /** Stored with every score, e.g. "parley-1". */
  id: string;
  format: 1;
  bucketBits: number;
  /** Optional feature families (absent: none). */
  features?: FeatureOptions;
  labels: ClassifierLabel[];
  /** Per label: weight = int8 × scale. */
  scales: number[];
  biases: number[];
  /** Per label: probability = sigmoid(slope × logit + intercept), fitted on held-out train data. */
  calibration: { slope: number; intercept: number }[];
  /** The defaults recommended in the model card. */
  thresholds: { hold: number; reject: number };
  training: Record<string, unknown>;
  languageModel: LatinLanguageModel;
}

export interface LinearModel {
  header: ModelHeader;
  /** bucket × label, row-major. */
  weights: Int8Array;
}

export function encodeModel(model: LinearModel): Buffer {
  const json = Buffer.from(JSON.stringify(model.header), 'utf8');
  const headerEnd = 8 + json.length;
  const weightsStart = Math.ceil(headerEnd / 4) * 4;
  const out = Buffer.alloc(weightsStart + model.weights.length);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  Buffer.from(model.weights.buffer, model.weights.byteOffset, model.weights.length).copy(
    out,
    weightsStart,
  );
  return out;
}

export function decodeModel(bytes: Uint8Array): LinearModel {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.toString('latin1', 0, 4) !== MAGIC) throw new Error('Not a Parley model file');
  const length = buffer.readUInt32LE(4);
  const header = JSON.parse(buffer.toString('utf8', 8, 8 + length)) as ModelHeader;
  if (header.format !== 1) throw new Error(`Unsupported model format ${String(header.format)}`);
  const weightsStart = Math.ceil((8 + length) / 4) * 4;
  const expected = (1 << header.bucketBits) * header.labels.length;
  if (buffer.length - weightsStart !== expected) {
    throw new Error(`Model file has ${buffer.length - weightsStart} weights, expected ${expected}`);
  }
  const weights = new Int8Array(expected);
  weights.set(new Int8Array(buffer.buffer, buffer.byteOffset + weightsStart, expected));
  return { header, weights };
}

/** Quantises float weights (bucket × label, row-major) to int8 with one scale per label. */
export function quantize(
  weights: Float32Array,
  labels: number,
): { weights: Int8Array; scales: number[] } {
  const maxAbs = new Array<number>(labels).fill(0);
  for (let i = 0; i < weights.length; i++) {
    const label = i % labels;
    const value = Math.abs(weights[i] ?? 0);
    if (value > (maxAbs[label] ?? 0)) maxAbs[label] = value;
  }
  const scales = maxAbs.map((max) => (max > 0 ? max / 127 : 1));
  const out = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    out[i] = Math.round((weights[i] ?? 0) / (scales[i % labels] ?? 1));
  }
  return { weights: out, scales };
}
