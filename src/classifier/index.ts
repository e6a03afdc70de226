/**
 * The built-in classifier: loads the model committed under models/ and scores comments in process.
 * `loadShippedClassifier()` is what the server calls once at start; `loadModel()` also reports how
 * long loading took, for the start-up log line.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeModel } from './model-file.ts';
import type { ModelHeader } from './model-file.ts';
import { NetworkClassifier } from './network-classifier.ts';

export { NetworkClassifier } from './network-classifier.ts';
export type { ModelHeader, ShippedModel } from './model-file.ts';

/** The model file that ships with Parley. */
export const SHIPPED_MODEL_PATH = fileURLToPath(
  new URL('../../models/parley-2.bin', import.meta.url),
);

export interface LoadedModel {
  classifier: NetworkClassifier;
  header: ModelHeader;
  /** Milliseconds spent reading and decoding the file. */
  loadMs: number;
  bytes: number;
}

/** Reads and decodes a model file (synchronously: it runs once at start). */
export function loadModel(path: string = SHIPPED_MODEL_PATH): LoadedModel {
  const started = performance.now();
  const bytes = readFileSync(path);
  const classifier = new NetworkClassifier(decodeModel(bytes));
  return {
    classifier,
    header: classifier.header,
    loadMs: Math.round((performance.now() - started) * 10) / 10,
    bytes: bytes.length,
  };
}

let shipped: NetworkClassifier | undefined;

/** The shipped classifier, loaded on first use and shared afterwards. */
export function loadShippedClassifier(): NetworkClassifier {
  shipped ??= loadModel().classifier;
  return shipped;
}
