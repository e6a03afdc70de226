/**
 * A worker thread of an import (converter.ts): converts the bodies it is sent, batch by batch.
 * Built beside the server's bundle as build/server/import-worker.mjs.
 */
import { parentPort } from 'node:worker_threads';
import { convertBody } from './convert.ts';
import type { SourceBody } from './records.ts';

export interface ConvertRequest {
  id: number;
  bodies: SourceBody[];
  maxLength: number;
}

parentPort?.on('message', ({ id, bodies, maxLength }: ConvertRequest) => {
  try {
    parentPort?.postMessage({ id, results: bodies.map((body) => convertBody(body, maxLength)) });
  } catch (error) {
    parentPort?.postMessage({ id, error: String(error) });
  }
});
