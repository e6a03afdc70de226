/**
 * What the benchmark parts share: timestamped progress lines, waiting for a server, stopping a
 * child process, and loading a set of targets with autocannon in interleaved rounds.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
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
  /** CPU used during the measured runs, by process, as a share of one core (loadGroups' `cpu`). */
  cpu?: Record<string, number>;
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

/** Busy CPU time of the whole machine (every core, every process), in ms (Linux /proc/stat). */
export function machineBusyMs(): number {
  const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (
    (((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) *
      1000) /
    100
  );
}

/** Targets loaded at the same time (one autocannon each), their figures summed as one. */
export interface Group {
  name: string;
  targets: Target[];
}

/**
 * Like loadAll, for groups of targets loaded at once: each group's total `connections` are split
 * between its targets (several processes behind a round-robin, from the one load generator).
 * Requests per second are the sum over the group's targets; latencies are the worst target's.
 */
export async function loadGroups(
  groups: Group[],
  settings: LoadSettings,
  /** Cumulative CPU time (ms) of the processes to watch, by name. */
  cpu?: () => Record<string, number>,
): Promise<Figures[]> {
  const { connections, duration, runs: rounds } = settings;
  const runGroup = (group: Group, seconds: number) =>
    Promise.all(
      group.targets.map(({ url, headers, options }, i) => {
        onlyLoopback(url);
        const n = group.targets.length;
        const share = Math.floor(connections / n) + (i < connections % n ? 1 : 0);
        return autocannon({
          url,
          headers,
          ...options,
          connections: Math.max(1, share),
          duration: seconds,
        });
      }),
    );
  for (const group of groups) await runGroup(group, 2);
  const results = groups.map((): autocannon.Result[][] => []);
  const cpuUsed = groups.map((): Record<string, number> => ({}));
  const elapsedMs = groups.map(() => 0);
  for (let run = 1; run <= rounds; run++) {
    for (const [i, group] of groups.entries()) {
      const started = Date.now();
      const before = cpu?.() ?? {};
      const ticker = setInterval(() => {
        const elapsed = Math.round((Date.now() - started) / 1000);
        process.stdout.write(
          `\r\x1b[K          round ${run}/${rounds}: ${group.name} ${elapsed}/${duration} s`,
        );
      }, 1000);
      results[i]?.push(await runGroup(group, duration));
      clearInterval(ticker);
      if (cpu) {
        const used = cpuUsed[i] as Record<string, number>;
        for (const [key, ms] of Object.entries(cpu())) {
          used[key] = (used[key] ?? 0) + ms - (before[key] ?? 0);
        }
        elapsedMs[i] = (elapsedMs[i] ?? 0) + Date.now() - started;
      }
    }
  }
  process.stdout.write('\r\x1b[K');
  return groups.map(({ name }, i) => {
    const runs = results[i] ?? [];
    const statuses: Record<string, number> = {};
    for (const r of runs.flat()) {
      for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) {
        statuses[code] = (statuses[code] ?? 0) + (count ?? 0);
      }
    }
    const sum = (parts: autocannon.Result[]) => parts.reduce((s, r) => s + r.requests.average, 0);
    const worst = (parts: autocannon.Result[], pick: (r: autocannon.Result) => number) =>
      Math.max(...parts.map(pick));
    const figures: Figures = {
      name,
      rps: median(runs.map(sum)),
      p50: median(runs.map((parts) => worst(parts, (r) => r.latency.p50))),
      p90: median(runs.map((parts) => worst(parts, (r) => r.latency.p90))),
      p99: median(runs.map((parts) => worst(parts, (r) => r.latency.p99))),
      errors: runs.flat().reduce((s, r) => s + r.errors + r.non2xx, 0),
      spread: runs.map((parts) => Math.round(sum(parts))).join(' / '),
      statuses,
      requests: runs.flat().reduce((s, r) => s + r.requests.total, 0),
      ...(cpu && {
        cpu: Object.fromEntries(
          Object.entries(cpuUsed[i] ?? {}).map(([key, ms]) => [
            key,
            ms / Math.max(1, elapsedMs[i] ?? 0),
          ]),
        ),
      }),
    };
    log(
      `${name}: ${figures.rps.toFixed(0)} req/s (runs ${figures.spread}), p50 ${figures.p50} ms, p99 ${figures.p99} ms, non-2xx/errors ${figures.errors}`,
    );
    return figures;
  });
}
