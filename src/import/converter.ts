/**
 * Converting an import's bodies on worker threads while the main thread reads the file and writes
 * the database: the HTML-to-Markdown conversion, Markdown rendering and sanitising are about 40% of
 * an import's work and need nothing but the text. Each batch is split across the threads; results
 * come back in order. With no threads (or when a worker cannot start) conversion runs in place.
 *
 * Which file a worker runs: the bundle's build/server/import-worker.mjs when Parley runs from its
 * bundle (scripts/build-server.ts builds both), the TypeScript source otherwise, loaded through
 * tsx as the process itself is.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { convertBody, type ConvertedBody } from './convert.ts';
import type { ConvertRequest } from './convert-worker.ts';
import type { SourceBody } from './records.ts';

interface Pending {
  resolve: (results: ConvertedBody[]) => void;
  reject: (error: Error) => void;
}

function workerFile(): { url: URL; execArgv: string[] } {
  const bundled = new URL('./import-worker.mjs', import.meta.url);
  if (import.meta.url.endsWith('.mjs') && fs.existsSync(fileURLToPath(bundled))) {
    return { url: bundled, execArgv: [] };
  }
  return {
    url: new URL('./convert-worker.ts', import.meta.url),
    execArgv: ['--import', import.meta.resolve('tsx')],
  };
}

class ConvertWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  failed: Error | null = null;

  constructor() {
    const { url, execArgv } = workerFile();
    this.worker = new Worker(url, { execArgv });
    // It keeps the process alive only while it has work: a run that ends without closing it
    // (refused, failed) must still let the process exit.
    this.worker.unref();
    this.worker.on(
      'message',
      (message: { id: number; results?: ConvertedBody[]; error?: string }) => {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        if (message.results) pending.resolve(message.results);
        else pending.reject(new Error(`converting bodies failed: ${message.error}`));
      },
    );
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`an import worker stopped (exit code ${code})`));
    });
  }

  private fail(error: Error) {
    this.failed ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  convert(bodies: SourceBody[], maxLength: number): Promise<ConvertedBody[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, bodies, maxLength } satisfies ConvertRequest);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

export class Converter {
  private readonly workers: ConvertWorker[];

  constructor(threads: number) {
    this.workers = Array.from({ length: Math.max(0, threads) }, () => new ConvertWorker());
  }

  async convert(bodies: SourceBody[], maxLength: number): Promise<ConvertedBody[]> {
    const workers = this.workers.filter((worker) => !worker.failed);
    if (workers.length === 0 || bodies.length === 0) {
      return bodies.map((body) => convertBody(body, maxLength));
    }
    const size = Math.ceil(bodies.length / workers.length);
    try {
      const parts = await Promise.all(
        workers.map((worker, i) =>
          worker.convert(bodies.slice(i * size, (i + 1) * size), maxLength),
        ),
      );
      return parts.flat();
    } catch {
      // A worker that died is left out from now on; this batch is converted here.
      return bodies.map((body) => convertBody(body, maxLength));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
