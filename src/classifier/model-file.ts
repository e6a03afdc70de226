/**
 * The model file (models/parley-N.bin): the bytes "PRLY", a little-endian uint32 header length,
 * the header as UTF-8 JSON, then the network's tables, each starting at a multiple of 4: the wide
 * table and the embeddings as int8 (wide weights with a scale per label, embeddings with one
 * scale), then the hidden layer and heads as float32 (w1, b1, w2, b2). int8 keeps the file at a
 * quarter of float32 and loses nothing that shows in the metrics (the training script checks it).
 */
import type { ClassifierLabel } from '../domain/moderation/phases/classifier.ts';
import type { LatinLanguageModel } from './language.ts';
import type { NetworkShape, NetworkWeights } from './network.ts';

const MAGIC = 'PRLY';

export interface Calibration {
  slope: number;
  intercept: number;
}

export interface ModelHeader {
  /** Stored with every score, e.g. "parley-2". */
  id: string;
  format: 2;
  labels: ClassifierLabel[];
  shape: NetworkShape;
  wideScale: number[];
  embeddingScale: number;
  /**
   * Per language, then per label: probability = sigmoid(slope × logit + intercept), fitted on the
   * training data's dev split. "*" is every language together, for languages without their own.
   */
  calibration: Record<string, Calibration[]>;
  /** The defaults recommended in the model card. */
  thresholds: { hold: number; reject: number };
  training: Record<string, unknown>;
  languageModel: LatinLanguageModel;
}

export interface ShippedModel {
  header: ModelHeader;
  weights: NetworkWeights & { wide: Int8Array; embedding: Int8Array };
}

const align = (n: number) => Math.ceil(n / 4) * 4;

export function encodeModel(model: ShippedModel): Buffer {
  const json = Buffer.from(JSON.stringify(model.header), 'utf8');
  const { wide, embedding, w1, b1, w2, b2 } = model.weights;
  const parts: Uint8Array[] = [
    new Uint8Array(wide.buffer, wide.byteOffset, wide.byteLength),
    new Uint8Array(embedding.buffer, embedding.byteOffset, embedding.byteLength),
    ...[w1, b1, w2, b2].map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)),
  ];
  let size = align(8 + json.length);
  for (const part of parts) size = align(size + part.length);
  const out = Buffer.alloc(size);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  let at = align(8 + json.length);
  for (const part of parts) {
    out.set(part, at);
    at = align(at + part.length);
  }
  return out;
}

export function decodeModel(bytes: Uint8Array): ShippedModel {
  // The tables are views into the file's bytes (no copy: loading stays a read of the file), which
  // needs the bytes to start at a multiple of 4; a file read whole does, anything else is copied.
  const source = bytes.byteOffset % 4 === 0 ? bytes : Uint8Array.from(bytes);
  const buffer = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  if (buffer.toString('latin1', 0, 4) !== MAGIC) throw new Error('Not a Parley model file');
  const length = buffer.readUInt32LE(4);
  const header = JSON.parse(buffer.toString('utf8', 8, 8 + length)) as ModelHeader;
  if (header.format !== 2) throw new Error(`Unsupported model format ${String(header.format)}`);
  const { labels, wideBits, embeddingBits, dims, hidden, dense } = header.shape;
  let at = align(8 + length);
  const take = <T>(make: (offset: number, count: number) => T, count: number, width: number): T => {
    const end = at + count * width;
    if (end > buffer.length) throw new Error('Model file is truncated');
    const out = make(source.byteOffset + at, count);
    at = align(end);
    return out;
  };
  const int8 = (offset: number, n: number) => new Int8Array(source.buffer, offset, n);
  const float = (offset: number, n: number) => new Float32Array(source.buffer, offset, n);
  const wide = take(int8, 2 ** wideBits * labels, 1);
  const embedding = take(int8, 2 ** embeddingBits * dims, 1);
  const w1 = take(float, hidden * (dims + dense), 4);
  const b1 = take(float, hidden, 4);
  const w2 = take(float, labels * hidden, 4);
  const b2 = take(float, labels, 4);
  if (at !== buffer.length) throw new Error('Model file has trailing bytes');
  return {
    header,
    weights: {
      wide,
      wideScale: Float32Array.from(header.wideScale),
      embedding,
      embeddingScale: header.embeddingScale,
      w1,
      b1,
      w2,
      b2,
    },
  };
}

/**
 * Quantises a float table to int8 with one scale per column group: `columns` = 1 gives one scale
 * for the whole table; `columns` = labels gives one per label of a row-major (row × label) table.
 */
export function quantize(
  table: Float32Array,
  columns: number,
): { values: Int8Array; scales: number[] } {
  const maxAbs = new Array<number>(columns).fill(0);
  for (let i = 0; i < table.length; i++) {
    const column = i % columns;
    const value = Math.abs(table[i] as number);
    if (value > (maxAbs[column] as number)) maxAbs[column] = value;
  }
  const scales = maxAbs.map((max) => (max > 0 ? max / 127 : 1));
  const values = new Int8Array(table.length);
  for (let i = 0; i < table.length; i++) {
    values[i] = Math.round((table[i] as number) / (scales[i % columns] as number));
  }
  return { values, scales };
}
