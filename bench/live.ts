/**
 * Live fan-out: one Parley process (`parley start`, SQLite) holding N readers' event streams of one
 * story, and a new comment every second posted through the API. For every comment and every reader
 * it measures the time from the POST's acknowledgement (in the bench process) to the moment the
 * reader's client read the comment's `comment.created` event, and it samples the server process's
 * resident memory (RSS) before the readers connect, once they are connected, and throughout.
 *
 * The readers run in separate client processes (this file, started with PARLEY_BENCH_LIVE_CLIENT=1):
 * each stream is a raw `http.request` whose body is split into events by hand, as lean as a client
 * can be, so that the figures are the server's. Both sides take their time from
 * `performance.timeOrigin + performance.now()` (the same machine's clock, sub-millisecond).
 *
 * Everything listens on 127.0.0.1. The per-address stream limits are raised through the
 * environment (every reader comes from 127.0.0.1), and the file-descriptor limit of the processes
 * is raised up to the hard limit when the soft one is too low for the readers (Node does the same
 * at start; the hard limit is the one that counts, and the bench says when it is too low).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = path.resolve(import.meta.dirname, '..');
const PORT = 18_084;
const now = () => performance.timeOrigin + performance.now();
/** The comment bodies carry their serial number, which the readers look for. */
const MARK = /live-bench-(\d+)-/;

// The client side -----------------------------------------------------------------------------

type ToClient =
  | { type: 'connect'; url: string; readers: number; concurrency: number }
  | { type: 'report' }
  | { type: 'close' };
type FromClient =
  | { type: 'progress'; connected: number; failed: number }
  | { type: 'connected'; connected: number; failed: number; errors: string[] }
  | { type: 'report'; receipts: (number | null)[][]; duplicates: number; dropped: number };

async function client(): Promise<void> {
  const send = (message: FromClient) => process.send?.(message);
  /** receipts[serial][reader]: when that reader read that comment. */
  const receipts: Float64Array[] = [];
  let duplicates = 0;
  let dropped = 0;
  let readers = 0;
  const requests: http.ClientRequest[] = [];

  const heard = (reader: number, serial: number, at: number) => {
    let row = receipts[serial];
    if (!row) row = receipts[serial] = new Float64Array(readers).fill(NaN);
    if (!Number.isNaN(row[reader] as number)) duplicates++;
    else row[reader] = at;
  };

  const open = (url: string, reader: number) =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(url, { agent: false, headers: { accept: 'text/event-stream' } });
      requests.push(request);
      request.on('error', reject);
      request.on('response', (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`status ${response.statusCode}`));
          return;
        }
        response.setEncoding('utf8');
        let buffer = '';
        let ready = false;
        response.on('data', (chunk: string) => {
          const at = now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!ready && block.includes('event: ready')) {
              ready = true;
              resolve();
            } else if (block.includes('event: comment.created')) {
              const serial = MARK.exec(block)?.[1];
              if (serial !== undefined) heard(reader, Number(serial), at);
            }
          }
        });
        response.on('close', () => {
          if (ready) dropped++;
        });
      });
      request.end();
    });

  process.on('message', (message: ToClient) => {
    if (message.type === 'connect') {
      readers = message.readers;
      let next = 0;
      let connected = 0;
      let failed = 0;
      const errors = new Map<string, number>();
      const ticker = setInterval(() => send({ type: 'progress', connected, failed }), 1000);
      const worker = async () => {
        while (next < readers) {
          const reader = next++;
          try {
            await open(message.url, reader);
            connected++;
          } catch (error) {
            failed++;
            const key = (error as Error).message;
            errors.set(key, (errors.get(key) ?? 0) + 1);
          }
        }
      };
      const workers = Array.from({ length: message.concurrency }, worker);
      void Promise.all(workers).then(() => {
        clearInterval(ticker);
        send({
          type: 'connected',
          connected,
          failed,
          errors: [...errors].map(([error, n]) => `${error} ×${n}`),
        });
      });
    } else if (message.type === 'report') {
      send({
        type: 'report',
        receipts: receipts.map((row) =>
          row ? Array.from(row, (t) => (Number.isNaN(t) ? null : t)) : [],
        ),
        duplicates,
        dropped,
      });
    } else {
      for (const request of requests) request.destroy();
      process.exit(0);
    }
  });
}

if (process.env.PARLEY_BENCH_LIVE_CLIENT === '1') await client();

// The bench side ------------------------------------------------------------------------------

export interface LiveOptions {
  readers: number;
  /** Comments posted, one a second. */
  comments: number;
  /** Client processes the readers are spread over. */
  clients: number;
  /** The V8 heap limit of the server process (`--max-old-space-size`, MB); undefined: Node's default. */
  heapLimitMb?: number;
  log: (line: string) => void;
}

export interface LiveResult {
  heapLimitMb: number | undefined;
  readers: number;
  connected: number;
  failed: number;
  connectErrors: string[];
  connectSeconds: number;
  comments: number;
  clients: number;
  /** Milliseconds from the POST's acknowledgement to a reader reading the event. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Per comment, the time until the last reader had it: median and worst over the comments. */
  lastReaderMedian: number;
  lastReaderMax: number;
  /** Receipts that arrived before the POST's answer did (counted as 0 ms). */
  beforeAck: number;
  missing: number;
  duplicates: number;
  dropped: number;
  /** The POST's own latency, median and worst, in ms. */
  postP50: number;
  postMax: number;
  /** Server RSS in MB: after start and a first comment, with the readers connected, highest seen. */
  rssIdle: number;
  rssConnected: number;
  rssPeak: number;
  /** Server CPU time while the comments were posted, as a share of one core. */
  cpuShare: number;
  /** The whole machine's busy CPU time meanwhile (every process), as a share of one core. */
  machineShare: number;
  /** The server's JS heap in use (its /metrics), MB: idle, with the readers, after posting. */
  heapIdle: number;
  heapConnected: number;
  heapEnd: number;
  fdLimit: { soft: number; hard: number; used: number };
}

/** Resident memory of a process, in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** user + system CPU time of a process, in ms (Linux /proc). */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

export function fdLimits(): { soft: number; hard: number } {
  const read = (flag: string) =>
    Number(spawnSync('sh', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).stdout.trim());
  return { soft: read('-n'), hard: read('-Hn') };
}

/**
 * Spawns node with the file-descriptor limit raised to `fds` (as far as the hard limit allows),
 * through a shell's `ulimit -n`, with an IPC channel when asked.
 */
export function spawnNode(
  args: string[],
  options: { env: NodeJS.ProcessEnv; fds: number; ipc?: boolean },
): ChildProcess {
  const { hard } = fdLimits();
  const fds = Math.min(options.fds, hard);
  return spawn(
    'sh',
    ['-c', `ulimit -n ${fds} 2>/dev/null; exec "$0" "$@"`, process.execPath, ...args],
    {
      cwd: ROOT,
      env: options.env,
      stdio: options.ipc
        ? ['ignore', 'inherit', 'inherit', 'ipc']
        : ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** The JS heap in use of a Parley process, in MB, from its Prometheus metrics. */
async function heapMb(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^parley_nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1] ?? NaN) / 2 ** 20;
}

/** The p-th quantile (0–1) of ascending values; NaN when there are none. */
export const percentile = (sorted: Float64Array | number[], p: number) =>
  sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number);

export async function benchLive(options: LiveOptions): Promise<LiveResult> {
  const { readers, comments, clients, heapLimitMb, log } = options;
  // Imported here so that the client processes stay lean.
  const { openStore } = await import('../src/store/db.ts');
  const { migrate } = await import('../src/store/migrate.ts');
  const { insertSite } = await import('../src/store/sites.ts');
  const { findOrInsertStory } = await import('../src/store/stories.ts');
  const { createTestDatabase } = await import('../test/helpers/engines.ts');
  const { machineBusyMs, stop, waitFor } = await import('./load.ts');

  const limits = fdLimits();
  const serverFds = readers + 1000;
  const clientFds = Math.ceil(readers / clients) + 1000;
  if (limits.hard < serverFds || limits.hard < clientFds) {
    log(
      `[live] file-descriptor hard limit ${limits.hard} is below what ${readers} readers need ` +
        `(${serverFds} in the server); connections beyond it will fail`,
    );
  }

  const database = await createTestDatabase('sqlite');
  const store = openStore(database.config);
  await migrate(store);
  const base = `http://127.0.0.1:${PORT}`;
  const origin = 'https://live-bench.example';
  const site = await insertSite(store.db, {
    name: 'Live bench',
    allowedOrigins: [origin],
    editWindowSeconds: 300,
    maxDepth: 3,
    moderation: { maxPostsPerMinute: 100_000 },
  });
  const { story } = await findOrInsertStory(store.db, site.id, {
    externalId: 'live-bench',
    url: `${origin}/live-bench`,
  });
  const { loginReader, seedReader } = await import('./seed.ts');
  const writerEmail = `live.${Date.now()}@example.com`;
  await seedReader(store.db, writerEmail, 'Live bench writer');
  await store.close();

  const databaseUrl = database.config.engine === 'sqlite' ? database.config.file : '';
  const server = spawnNode([path.join(ROOT, 'bin/parley.js'), 'start'], {
    fds: serverFds,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      PUBLIC_URL: base,
      LOG_LEVEL: 'warn',
      PARLEY_SCRAPE_METADATA: '0',
      // autocannon keeps sending on a connection the server closes after its 1,000th request
      // (browsers and proxies open another): no per-connection request limit under load.
      PARLEY_MAX_REQUESTS_PER_SOCKET: '0',
      PARLEY_MAX_SSE: String(readers + 1000),
      PARLEY_MAX_SSE_PER_IP: String(readers + 1000),
      PARLEY_SSE_CONNECT_RATE_LIMIT: String(readers * 10),
      PARLEY_WRITE_RATE_LIMIT: '100000',
      NODE_OPTIONS: [
        process.env.NODE_OPTIONS,
        heapLimitMb !== undefined && `--max-old-space-size=${heapLimitMb}`,
      ]
        .filter(Boolean)
        .join(' '),
    },
  });
  const children: ChildProcess[] = [server];
  try {
    await waitFor(`${base}/healthz`);
    const pid = server.pid as number;
    const call = async (url: string, body: unknown, token?: string) => {
      const response = await fetch(`${base}/api/v1${url}`, {
        method: 'POST',
        headers: {
          origin,
          'content-type': 'application/json',
          ...(token && { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text}`);
      return JSON.parse(text) as { token: string; comment: { status: string } };
    };
    const token = await loginReader(base, writerEmail);
    const post = (body: string) => call(`/stories/${story.id}/comments`, { body }, token);
    // A first comment, so that the pipeline is warm and its memory counted as idle.
    await post('A first comment before the readers arrive.');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssIdle = rssMb(pid);
    const heapIdle = await heapMb(base);
    log(
      `[live] Parley up (pid ${pid}), RSS ${rssIdle.toFixed(0)} MB; fd limit ${limits.soft} (hard ${limits.hard})`,
    );

    // The readers.
    const url = `${base}/api/v1/stories/${story.id}/events`;
    const shares = Array.from(
      { length: clients },
      (_, i) => Math.floor(readers / clients) + (i < readers % clients ? 1 : 0),
    );
    const progress = new Map<ChildProcess, { connected: number; failed: number }>();
    const started = Date.now();
    const ticker = setInterval(() => {
      let connected = 0;
      let failed = 0;
      for (const p of progress.values()) {
        connected += p.connected;
        failed += p.failed;
      }
      log(
        `[live]   readers connected ${connected}/${readers}${failed ? `, failed ${failed}` : ''}, ` +
          `server RSS ${rssMb(pid).toFixed(0)} MB`,
      );
    }, 2000);
    const connectedAll = await Promise.all(
      shares.map((share) => {
        const child = spawnNode(['--import', 'tsx', import.meta.filename], {
          fds: clientFds,
          ipc: true,
          env: { ...process.env, PARLEY_BENCH_LIVE_CLIENT: '1' },
        });
        children.push(child);
        progress.set(child, { connected: 0, failed: 0 });
        return new Promise<Extract<FromClient, { type: 'connected' }>>((resolve, reject) => {
          child.once('exit', (code) => reject(new Error(`a reader process exited (${code})`)));
          child.on('message', (message: FromClient) => {
            if (message.type === 'progress') progress.set(child, message);
            else if (message.type === 'connected') resolve(message);
          });
          child.send({ type: 'connect', url, readers: share, concurrency: 100 } satisfies ToClient);
        });
      }),
    ).finally(() => clearInterval(ticker));
    const connectSeconds = (Date.now() - started) / 1000;
    const connected = connectedAll.reduce((sum, c) => sum + c.connected, 0);
    const failed = connectedAll.reduce((sum, c) => sum + c.failed, 0);
    const connectErrors = connectedAll.flatMap((c) => c.errors);
    log(
      `[live] ${connected} readers connected in ${connectSeconds.toFixed(1)} s${failed ? `; ${failed} failed: ${connectErrors.join(', ')}` : ''}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rssConnected = rssMb(pid);
    const heapConnected = await heapMb(base);
    log(`[live] server RSS with the readers: ${rssConnected.toFixed(0)} MB`);

    // One comment a second.
    let rssPeak = rssConnected;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 200);
    const acks: number[] = [];
    const postMs: number[] = [];
    const cpuBefore = cpuMs(pid);
    const machineBefore = machineBusyMs();
    const postingStarted = now();
    for (let serial = 0; serial < comments; serial++) {
      const due = postingStarted + serial * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - now())));
      const sent = now();
      const { comment } = await post(
        `Comment live-bench-${serial}- on the story, posted while ${connected} readers follow it.`,
      );
      const ack = now();
      if (comment.status !== 'approved') throw new Error(`comment ${serial} was ${comment.status}`);
      acks[serial] = ack;
      postMs.push(ack - sent);
      if (serial % 5 === 4) log(`[live]   posted ${serial + 1}/${comments}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const cpuShare = (cpuMs(pid) - cpuBefore) / (now() - postingStarted);
    const machineShare = (machineBusyMs() - machineBefore) / (now() - postingStarted);
    clearInterval(sampler);
    const heapEnd = await heapMb(base);
    const used = Number(
      spawnSync('sh', ['-c', `ls /proc/${pid}/fd | wc -l`], { encoding: 'utf8' }).stdout.trim(),
    );

    // Gather what the readers read.
    const reports = await Promise.all(
      children.slice(1).map(
        (child) =>
          new Promise<Extract<FromClient, { type: 'report' }>>((resolve) => {
            child.on('message', (message: FromClient) => {
              if (message.type === 'report') resolve(message);
            });
            child.send({ type: 'report' } satisfies ToClient);
          }),
      ),
    );
    const latencies: number[] = [];
    const lastReader: number[] = [];
    let beforeAck = 0;
    let missing = 0;
    for (let serial = 0; serial < comments; serial++) {
      const ack = acks[serial] as number;
      let last = 0;
      for (const [r, report] of reports.entries()) {
        const row = report.receipts[serial] ?? [];
        const expected = connectedAll[r]?.connected ?? 0;
        let got = 0;
        for (const at of row) {
          if (at === null) continue;
          got++;
          let latency = at - ack;
          if (latency < 0) {
            beforeAck++;
            latency = 0;
          }
          latencies.push(latency);
          last = Math.max(last, latency);
        }
        missing += Math.max(0, expected - got);
      }
      lastReader.push(last);
    }
    log(
      `[live]   last reader, comment by comment: ${lastReader.map((ms) => ms.toFixed(0)).join(' ')} ms`,
    );
    const sorted = Float64Array.from(latencies).sort();
    const sortedLast = [...lastReader].sort((a, b) => a - b);
    const sortedPost = [...postMs].sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    const result: LiveResult = {
      heapLimitMb,
      readers,
      connected,
      failed,
      connectErrors,
      connectSeconds,
      comments,
      clients,
      p50: round(percentile(sorted, 0.5)),
      p90: round(percentile(sorted, 0.9)),
      p99: round(percentile(sorted, 0.99)),
      max: round(sorted[sorted.length - 1] ?? NaN),
      lastReaderMedian: round(percentile(sortedLast, 0.5)),
      lastReaderMax: round(sortedLast[sortedLast.length - 1] ?? NaN),
      beforeAck,
      missing,
      duplicates: reports.reduce((sum, r) => sum + r.duplicates, 0),
      dropped: reports.reduce((sum, r) => sum + r.dropped, 0),
      postP50: round(percentile(sortedPost, 0.5)),
      postMax: round(sortedPost[sortedPost.length - 1] ?? NaN),
      rssIdle,
      rssConnected,
      rssPeak,
      cpuShare,
      machineShare,
      heapIdle,
      heapConnected,
      heapEnd,
      fdLimit: { ...limits, used },
    };
    log(
      `[live] ${connected} readers × ${comments} comments: p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms; ` +
        `last reader median ${result.lastReaderMedian} ms; missing ${missing}, duplicates ${result.duplicates}; ` +
        `RSS ${rssIdle.toFixed(0)} → ${rssConnected.toFixed(0)} MB (peak ${rssPeak.toFixed(0)}), ` +
        `machine CPU ${Math.round(machineShare * 100)}% of one core`,
    );
    return result;
  } finally {
    for (const child of children.slice(1)) {
      if (child.connected) child.send({ type: 'close' } satisfies ToClient);
    }
    await Promise.all(children.slice(1).map((child) => stop(child)));
    await stop(server);
    await database.drop();
  }
}
