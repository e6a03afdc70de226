/**
 * Following an import run (GET /admin/imports/:runId/events): a Server-Sent Events stream of the
 * run as its row says. The row is read every half second, so the stream follows a run whichever
 * process runs it: a `progress` event at once and whenever the row changes (the importer writes
 * its report after every batch), then a `done` event once the run has ended, and the stream
 * closes. Each event's data is `{ run }`, as GET /admin/imports/:runId answers it.
 */
import type { FastifyReply } from 'fastify';
import type { Store } from '../store/db.ts';
import { getImportRun, type ImportRunRow } from '../store/imports.ts';
import { presentImportRun } from './presenters.ts';

export interface RunStreamOptions {
  pollMs: number;
  /** A comment line after this long without an event, so that proxies keep the stream open. */
  heartbeatMs: number;
}

const DEFAULTS: RunStreamOptions = { pollMs: 500, heartbeatMs: 25_000 };

export class ImportRunStreams {
  private readonly ends = new Set<() => void>();
  private readonly options: RunStreamOptions;

  constructor(
    private readonly store: Store,
    options: Partial<RunStreamOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Takes the response over from Fastify and follows the run until it ends or the client goes. */
  follow(reply: FastifyReply, first: ImportRunRow): void {
    const { pollMs, heartbeatMs } = this.options;
    reply.hijack();
    const res = reply.raw;
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) headers[name] = value;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // A run that ends is not followed again: the client closes on `done`, and a long retry keeps
    // one that does not from asking at once.
    res.write('retry: 10000\n\n');

    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    let last = '';
    let lastWrite = Date.now();
    const end = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      this.ends.delete(end);
      if (!res.writableEnded) res.end();
    };
    this.ends.add(end);
    res.on('close', end);
    res.on('error', end);

    const write = (text: string) => {
      if (closed) return;
      res.write(text);
      lastWrite = Date.now();
    };
    const poll = () => {
      timer = setTimeout(() => {
        getImportRun(this.store.db, first.id).then(show, () => poll());
      }, pollMs);
    };
    const show = (run: ImportRunRow | undefined) => {
      if (closed) return;
      // Gone with its site.
      if (!run) return end();
      const data = JSON.stringify({ run: presentImportRun(run) });
      if (data !== last) {
        write(`event: progress\ndata: ${data}\n\n`);
        last = data;
      } else if (Date.now() - lastWrite >= heartbeatMs) {
        write(':\n\n');
      }
      if (run.state !== 'running') {
        write(`event: done\ndata: ${data}\n\n`);
        return end();
      }
      poll();
    };
    show(first);
  }

  /** Ends every stream (the server is closing: it would wait for them). */
  close(): void {
    for (const end of [...this.ends]) end();
  }
}
