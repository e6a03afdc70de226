/**
 * The server-rendered fragment's throughput (docs/server-rendering.md): the first page of a big
 * story as `GET /api/v1/stories/{id}/rendered` (an HTML fragment: the thread's markup, JSON-LD and
 * the JSON page for the widget), beside the raw node:http ceiling answering with the same bytes,
 * and the JSON first page beside its own ceiling, for comparison. Seeds a story like the read part
 * (bench/seed.ts), starts the built server (`parley start`, production settings) and two raw
 * servers in processes of their own, and loads them in interleaved rounds (bench/load.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineName } from '../test/helpers/engines.ts';
import { loadGroups, stop, waitFor, type Figures, type LoadSettings } from './load.ts';
import { prepareBigStory, startParleyForLoad } from './parley.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PARLEY_PORT = 18_090;
const RAW_JSON_PORT = 18_091;
const RAW_FRAGMENT_PORT = 18_092;

export interface RenderedResult {
  engine: EngineName;
  comments: number;
  fragmentBytes: number;
  jsonBytes: number;
  /** Raw (fragment bytes), fragment, raw (JSON bytes), JSON page. */
  rows: Figures[];
  /** CPU time of the answering process per request, µs, in the same order. */
  cpuPerRequestUs: number[];
}

/** Cumulative CPU time (user + system) of a process, ms (Linux /proc). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = (fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function rawServer(port: number, body: string): Promise<ChildProcess> {
  const file = path.join(os.tmpdir(), `parley-bench-rendered-${process.pid}-${port}`);
  fs.writeFileSync(file, body);
  const child = fork(path.join(ROOT, 'bench/raw-server.ts'), [String(port), file], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  await new Promise((resolve) => child.once('message', resolve));
  return child;
}

export async function benchRendered(
  engine: EngineName,
  size: number,
  load: LoadSettings,
): Promise<RenderedResult> {
  const { database, store, storyId } = await prepareBigStory(
    engine,
    size,
    PARLEY_PORT,
    `rendered ${engine}`,
  );
  await store.close();

  const parley = startParleyForLoad(database, PARLEY_PORT);
  const raw: ChildProcess[] = [];
  try {
    const base = `http://127.0.0.1:${PARLEY_PORT}`;
    await waitFor(`${base}/healthz`);
    const fragmentUrl = `${base}/api/v1/stories/${storyId}/rendered`;
    const jsonUrl = `${base}/api/v1/stories/${storyId}/comments`;
    const fragmentAnswer = await fetch(fragmentUrl);
    if (!fragmentAnswer.ok) throw new Error(`the fragment answered ${fragmentAnswer.status}`);
    const fragment = await fragmentAnswer.text();
    const json = await (await fetch(jsonUrl)).text();
    raw.push(await rawServer(RAW_FRAGMENT_PORT, fragment));
    raw.push(await rawServer(RAW_JSON_PORT, json));
    const fragmentBytes = Buffer.byteLength(fragment);
    const jsonBytes = Buffer.byteLength(json);
    const [rawFragment, rawJson] = raw;
    // Which process answers each row, for its CPU time per request.
    const answering = ['raw-fragment', 'parley', 'raw-json', 'parley'];
    const rows = await loadGroups(
      [
        {
          name: `raw node:http (same ${fragmentBytes} B body as the fragment)`,
          targets: [{ name: 'raw', url: `http://127.0.0.1:${RAW_FRAGMENT_PORT}/` }],
        },
        {
          name: 'rendered fragment, first page (HTML + JSON-LD + JSON page)',
          targets: [{ name: 'fragment', url: fragmentUrl }],
        },
        {
          name: `raw node:http (same ${jsonBytes} B body as the JSON page)`,
          targets: [{ name: 'raw', url: `http://127.0.0.1:${RAW_JSON_PORT}/` }],
        },
        { name: 'JSON first page (anonymous)', targets: [{ name: 'json', url: jsonUrl }] },
      ],
      load,
      () => ({
        parley: cpuMs(parley.pid),
        'raw-fragment': cpuMs(rawFragment?.pid),
        'raw-json': cpuMs(rawJson?.pid),
      }),
    );
    // Share of a core × the time measured ÷ requests answered.
    const measuredMs = load.runs * load.duration * 1000;
    const cpuPerRequestUs = rows.map(
      (row, i) =>
        ((row.cpu?.[answering[i] as string] ?? 0) * measuredMs * 1000) / Math.max(1, row.requests),
    );
    return { engine, comments: size, fragmentBytes, jsonBytes, rows, cpuPerRequestUs };
  } finally {
    await Promise.all([stop(parley), ...raw.map(stop)]);
    await database.drop();
  }
}

/** The section of BENCHMARKS.md: each engine's table, the fragment against its own ceiling. */
export function renderedSection(results: RenderedResult[], measured: string): string {
  const tables = results.map((result) => {
    const [rawFragment, fragment, rawJson, json] = result.rows as [
      Figures,
      Figures,
      Figures,
      Figures,
    ];
    const share = (row: Figures, ceiling: Figures) =>
      `${((100 * row.rps) / ceiling.rps).toFixed(0)}%`;
    const us = result.cpuPerRequestUs;
    const cpuShare = (row: number, ceiling: number) =>
      `${(((us[ceiling] ?? 0) / Math.max(1e-9, us[row] ?? 0)) * 100).toFixed(0)}%`;
    const line = (row: Figures, ceiling: Figures, i: number, c: number) =>
      `| ${row.name} | ${row.rps.toFixed(0)} | ${share(row, ceiling)} | ${(us[i] ?? 0).toFixed(0)} | ${cpuShare(i, c)} | ${row.p50} | ${row.p90} | ${row.p99} | ${row.errors} | ${row.spread} |`;
    return [
      `### ${result.engine}, ${result.comments} comments`,
      '',
      '| endpoint | req/s (median) | vs its raw | µs CPU a request | vs its raw, by CPU | p50 ms | p90 ms | p99 ms | errors | req/s of each run |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      line(rawFragment, rawFragment, 0, 0),
      line(fragment, rawFragment, 1, 0),
      line(rawJson, rawJson, 2, 2),
      line(json, rawJson, 3, 2),
    ].join('\n');
  });
  return `## Reads: the server-rendered fragment

${measured}

The first page of a story's thread as the HTML fragment publishers include
in their article pages (\`GET /api/v1/stories/{id}/rendered\`: the thread's markup, its JSON-LD and
the page as JSON for the widget; docs/server-rendering.md), beside a bare \`node:http\` server
answering with the same bytes, each in its own process; and the JSON first page beside its own
ceiling, for comparison. The fragment is rendered once per page and site settings and kept with
the JSON pages in the thread cache (dropped by every write to the story), so a read is a cache
look-up and the bytes; "vs its raw" is the share of the ceiling that sends the same body. Target:
50% or more. Requests per second depend on everything else the machine runs at the time; the CPU
time the answering process spent per request (user and system, from /proc, over the measured runs)
depends much less on it, so "vs its raw, by CPU" (the raw server's CPU time a request over
Parley's) is given beside it.

${tables.join('\n\n')}`;
}
