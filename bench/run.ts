/**
 * `npm run bench`: seeds a story with many comments, starts Parley and a bare node:http server
 * (each in its own process), loads both from this process with autocannon, and writes the figures
 * and their ratio to BENCHMARKS.md.
 *
 * Options: --comments N (10000)  --duration S (5)  --runs R (3)  --connections C (10)
 *          --engines sqlite,postgres (default: both when PostgreSQL answers)
 * Loads are bounded in time and only target 127.0.0.1.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { openStore } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { insertSite } from '../src/store/sites.ts';
import { createTestDatabase, testEngines, type EngineName } from '../test/helpers/engines.ts';
import { seedBigStory } from './seed.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    comments: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    engines: { type: 'string' },
  },
});
const COMMENTS = Number(values.comments);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const RUNS = Number(values.runs);
const PARLEY_PORT = 18_080;
const RAW_PORT = 18_081;

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  /** Requests per second of each run, to show the spread behind the median. */
  spread: string;
}

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${line}\n`);
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
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

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

interface Target {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

/**
 * Warms each target up for 2 s, then measures the targets in turn, RUNS rounds of them, so that a
 * slow patch of the shared machine hits every target alike; each figure is the median of its runs.
 */
async function loadAll(targets: Target[]): Promise<Figures[]> {
  for (const { url, headers } of targets) {
    await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 });
  }
  const results = targets.map((): autocannon.Result[] => []);
  for (let run = 1; run <= RUNS; run++) {
    for (const [i, { name, url, headers }] of targets.entries()) {
      const started = Date.now();
      const ticker = setInterval(() => {
        const elapsed = Math.round((Date.now() - started) / 1000);
        process.stdout.write(
          `\r\x1b[K          round ${run}/${RUNS}: ${name} ${elapsed}/${DURATION} s`,
        );
      }, 1000);
      results[i]?.push(
        await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION }),
      );
      clearInterval(ticker);
    }
  }
  process.stdout.write('\r\x1b[K');
  return targets.map(({ name }, i) => {
    const runs = results[i] ?? [];
    const figures = {
      name,
      rps: median(runs.map((r) => r.requests.average)),
      p50: median(runs.map((r) => r.latency.p50)),
      p90: median(runs.map((r) => r.latency.p90)),
      p99: median(runs.map((r) => r.latency.p99)),
      errors: runs.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
      spread: runs.map((r) => Math.round(r.requests.average)).join(' / '),
    };
    log(
      `${name}: ${figures.rps.toFixed(0)} req/s (runs ${figures.spread}), p50 ${figures.p50} ms, p99 ${figures.p99} ms`,
    );
    return figures;
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function benchEngine(engine: EngineName): Promise<Figures[]> {
  log(`[${engine}] preparing a story of ${COMMENTS} comments`);
  const database = await createTestDatabase(engine);
  const store = openStore(database.config);
  await migrate(store);
  const site = await insertSite(store.db, {
    name: 'Bench',
    allowedOrigins: [`http://127.0.0.1:${PARLEY_PORT}`],
    editWindowSeconds: 300,
    maxDepth: 3,
  });
  let lastShown = 0;
  const storyId = await seedBigStory(store.db, site, COMMENTS, (done) => {
    if (done - lastShown >= COMMENTS / 10 || done === COMMENTS) {
      lastShown = done;
      log(`[${engine}]   seeded ${done}/${COMMENTS}`);
    }
  });
  await store.close();

  const databaseUrl =
    database.config.engine === 'sqlite' ? database.config.file : database.config.url;
  const parley = spawn(process.execPath, [path.join(ROOT, 'bin/parley.js'), 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(PARLEY_PORT),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${PARLEY_PORT}`,
      LOG_LEVEL: 'warn',
      PARLEY_READ_RATE_LIMIT: '1000000000',
      PARLEY_SCRAPE_METADATA: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const raw: ChildProcess[] = [];
  try {
    const base = `http://127.0.0.1:${PARLEY_PORT}`;
    await waitFor(`${base}/healthz`);
    const firstUrl = `${base}/api/v1/stories/${storyId}/comments`;
    const first = await (await fetch(firstUrl)).text();
    const firstPage = JSON.parse(first) as {
      nextCursor: string;
      comments: { id: string; replyCount: number }[];
    };
    let later = firstPage;
    for (let i = 0; i < 20; i++) {
      later = (await (
        await fetch(`${firstUrl}?cursor=${later.nextCursor}`)
      ).json()) as typeof firstPage;
    }
    const byReplies = (await (
      await fetch(`${firstUrl}?sort=replies&limit=1`)
    ).json()) as typeof firstPage;
    const busiest = byReplies.comments[0] as { id: string; replyCount: number };
    const signup = await fetch(`${base}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        displayName: 'Bench reader',
        email: `bench.${Date.now()}@example.com`,
        password: 'bench password 1',
      }),
    });
    const { token } = (await signup.json()) as { token: string };
    const signedIn = { authorization: `Bearer ${token}` };
    const bodyFile = path.join(os.tmpdir(), `parley-bench-body-${process.pid}.json`);
    fs.writeFileSync(bodyFile, first);
    const rawServer = fork(path.join(ROOT, 'bench/raw-server.ts'), [String(RAW_PORT), bodyFile], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    raw.push(rawServer);
    await new Promise((resolve) => rawServer.once('message', resolve));

    return await loadAll([
      {
        name: `raw node:http (same ${Buffer.byteLength(first)} B body)`,
        url: `http://127.0.0.1:${RAW_PORT}/`,
      },
      { name: 'first page (20 comments + first replies)', url: firstUrl },
      {
        name: 'first page, signed-in reader (their marks computed)',
        url: firstUrl,
        headers: signedIn,
      },
      { name: 'page 21 (cursor)', url: `${firstUrl}?cursor=${later.nextCursor}` },
      {
        name: `replies of a comment with ${busiest.replyCount} replies`,
        url: `${base}/api/v1/comments/${busiest.id}/replies`,
      },
    ]);
  } finally {
    await Promise.all([stop(parley), ...raw.map(stop)]);
    await database.drop();
  }
}

function table(engine: string, rows: Figures[]): string {
  const ceiling = rows[0]?.rps ?? 1;
  const lines = [
    `### ${engine}`,
    '',
    '| endpoint | req/s (median) | vs raw | p50 ms | p90 ms | p99 ms | errors | req/s of each run |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.rps.toFixed(0)} | ${((100 * r.rps) / ceiling).toFixed(0)}% | ${r.p50} | ${r.p90} | ${r.p99} | ${r.errors} | ${r.spread} |`,
    ),
  ];
  return lines.join('\n');
}

const engines = values.engines ? (values.engines.split(',') as EngineName[]) : await testEngines();
const sections: string[] = [];
for (const engine of engines) sections.push(table(engine, await benchEngine(engine)));

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const report = `# Benchmarks

Measured by \`npm run bench -- --comments ${COMMENTS} --duration ${DURATION} --connections ${CONNECTIONS} --runs ${RUNS}\` on
${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.

Each run seeds one story with ${COMMENTS} comments (70% top level, 30% replies), starts Parley
(\`parley start\`, production settings, rate limiter on with a high read limit, logs at warn) and a
bare \`node:http\` server that answers every request with the same bytes as Parley's first page;
each runs in its own process. Anonymous readers' thread pages are served from Parley's in-memory
page cache (invalidated by every write to the story); a signed-in reader gets the same cached page
with their own marks (reactions, reports, comments awaiting review) read from the database and laid
over it on every request, so that row measures the session lookup, three indexed queries and the
presentation of the page for one reader. autocannon loads each from the bench process with ${CONNECTIONS}
connections for ${DURATION} s, in ${RUNS} rounds that take the targets in turn (after a 2 s warm-up
of each); the table gives the median of the runs. This machine is a shared VM and single runs vary
by a third, which is why the rounds interleave the targets. "vs raw" is the share of the raw server's
throughput measured in the same run. The machine has ${os.cpus().length} cores shared by the load
generator and the server under test, so absolute figures are lower than on a dedicated host; the
ratio is the figure to compare.

${sections.join('\n\n')}
`;
fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), report);
log('wrote BENCHMARKS.md');
process.exit(0);
