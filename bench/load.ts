/**
 * What the benchmark parts share: timestamped progress lines, waiting for a server, stopping a
 * child process, and loading a set of targets with autocannon in interleaved rounds.
 */
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';

export interface Figures {
  name: string;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  /** Requests per second of each run, to show the spread behind the median. */
  spread: string;
  /** Responses by status code, summed over the measured runs. */
  statuses: Record<string, number>;
  /** Requests answered in the measured runs. */
  requests: number;
}

export interface LoadSettings {
  connections: number;
  duration: number;
  runs: number;
}

export function log(line: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${line}\n`);
}

export async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export interface Target {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** Further autocannon options (method, body, a request list with setupRequest...). */
  options?: Partial<autocannon.Options>;
}

const onlyLoopback = (url: string): void => {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`bench targets loopback only: ${url}`);
};

/**
 * Warms each target up for 2 s, then measures the targets in turn, `runs` rounds of them, so that a
 * slow patch of the shared machine hits every target alike; each figure is the median of its runs.
 */
export async function loadAll(targets: Target[], settings: LoadSettings): Promise<Figures[]> {
  const { connections, duration, runs: rounds } = settings;
  const optionsOf = ({ url, headers, options }: Target, seconds: number): autocannon.Options => {
    onlyLoopback(url);
    return { url, headers, ...options, connections, duration: seconds };
  };
  for (const target of targets) await autocannon(optionsOf(target, 2));
  const results = targets.map((): autocannon.Result[] => []);
  for (let run = 1; run <= rounds; run++) {
    for (const [i, target] of targets.entries()) {
      const started = Date.now();
      const ticker = setInterval(() => {
        const elapsed = Math.round((Date.now() - started) / 1000);
        process.stdout.write(
          `\r\x1b[K          round ${run}/${rounds}: ${target.name} ${elapsed}/${duration} s`,
        );
      }, 1000);
      results[i]?.push(await autocannon(optionsOf(target, duration)));
      clearInterval(ticker);
    }
  }
  process.stdout.write('\r\x1b[K');
  return targets.map(({ name }, i) => {
    const runs = results[i] ?? [];
    const statuses: Record<string, number> = {};
    for (const r of runs) {
      for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) {
        statuses[code] = (statuses[code] ?? 0) + (count ?? 0);
      }
    }
    const figures = {
      name,
      rps: median(runs.map((r) => r.requests.average)),
      p50: median(runs.map((r) => r.latency.p50)),
      p90: median(runs.map((r) => r.latency.p90)),
      p99: median(runs.map((r) => r.latency.p99)),
      errors: runs.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
      spread: runs.map((r) => Math.round(r.requests.average)).join(' / '),
      statuses,
      requests: runs.reduce((sum, r) => sum + r.requests.total, 0),
    };
    log(
      `${name}: ${figures.rps.toFixed(0)} req/s (runs ${figures.spread}), p50 ${figures.p50} ms, p99 ${figures.p99} ms, non-2xx/errors ${figures.errors}`,
    );
    return figures;
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
