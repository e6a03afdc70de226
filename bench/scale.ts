/**
 * Scale-out: read throughput of a story's first page with one, two and three Parley processes
 * (`parley start`, each its own port) on one PostgreSQL database and one Redis, beside a bare
 * node:http server answering with the same bytes. The load generator stands in for a round-robin
 * balancer: one autocannon per process, run at the same time, the total connections split evenly
 * between them, their throughputs summed. CPU time of every process is sampled during each run, so
 * that the table shows where the machine's cores went.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { openStore } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { insertSite } from '../src/store/sites.ts';
import { createTestDatabase, testEngines } from '../test/helpers/engines.ts';
import {
  loadGroups,
  machineBusyMs,
  stop,
  waitFor,
  type Figures,
  type Group,
  type LoadSettings,
} from './load.ts';
import { loginReader, seedBigStory, seedReader } from './seed.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PORTS = [18_090, 18_091, 18_092];
const RAW_PORT = 18_093;
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ScaleResult {
  comments: number;
  connections: number;
  rows: Figures[];
  /** PostgreSQL connections the Parley processes held at the end. */
  pgConnections: number;
}

/** user + system CPU time of a process, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU time used by processes named `postgres` (the database's backends come and go with the
 * connections), in ms, accumulated across calls: a process seen before counts what it used since,
 * a new one all it has used. Its first call sets the baseline.
 */
function postgresCpu(): () => number {
  const last = new Map<number, number>();
  let total = 0;
  let first = true;
  return () => {
    const seen = new Set<number>();
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (!fs.readFileSync(`/proc/${entry}/stat`, 'utf8').includes('(postgres)')) continue;
      } catch {
        continue; // gone meanwhile
      }
      const pid = Number(entry);
      const ms = cpuMs(pid);
      seen.add(pid);
      if (!first) total += ms - (last.get(pid) ?? 0);
      last.set(pid, ms);
    }
    for (const pid of last.keys()) if (!seen.has(pid)) last.delete(pid);
    first = false;
    return total;
  };
}

async function redisAnswers(): Promise<boolean> {
  const client = createClient({
    url: REDIS_URL,
    socket: { connectTimeout: 2000, reconnectStrategy: false },
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    if (client.isOpen) await client.close().catch(() => undefined);
  }
}

/** The figures, or why they could not be measured (PostgreSQL or Redis not there). */
export async function benchScale(options: {
  comments: number;
  load: LoadSettings;
  log: (line: string) => void;
}): Promise<ScaleResult | string> {
  const { comments, load, log } = options;
  if (!(await testEngines()).includes('postgres')) return 'PostgreSQL did not answer';
  if (!(await redisAnswers())) return `Redis did not answer at ${REDIS_URL}`;

  log(`[scale] preparing a story of ${comments} comments on PostgreSQL`);
  const database = await createTestDatabase('postgres');
  const databaseUrl = database.config.engine === 'postgres' ? database.config.url : '';
  const store = openStore(database.config);
  await migrate(store);
  const site = await insertSite(store.db, {
    name: 'Scale bench',
    allowedOrigins: [`http://127.0.0.1:${PORTS[0]}`],
    editWindowSeconds: 300,
    maxDepth: 3,
  });
  const storyId = await seedBigStory(store.db, site, comments, () => undefined);
  const readerEmail = `scale.${Date.now()}@example.com`;
  await seedReader(store.db, readerEmail, 'Scale reader');
  await store.close();

  const processes: ChildProcess[] = PORTS.map((port) =>
    spawn(process.execPath, [path.join(ROOT, 'bin/parley.js'), 'start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: 'warn',
        PARLEY_READ_RATE_LIMIT: '1000000000',
        PARLEY_SCRAPE_METADATA: '0',
        // autocannon keeps sending on a connection the server closes after its 1,000th request
        // (browsers and proxies open another): no per-connection request limit under load.
        PARLEY_MAX_REQUESTS_PER_SOCKET: '0',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const children: ChildProcess[] = [...processes];
  try {
    const bases = PORTS.map((port) => `http://127.0.0.1:${port}`);
    await Promise.all(bases.map((base) => waitFor(`${base}/healthz`)));
    const pageOf = (base: string) => `${base}/api/v1/stories/${storyId}/comments`;
    const first = await (await fetch(pageOf(bases[0] as string))).text();
    const token = await loginReader(bases[0] as string, readerEmail);
    const signedIn = { authorization: `Bearer ${token}` };

    const bodyFile = path.join(os.tmpdir(), `parley-bench-scale-${process.pid}.json`);
    fs.writeFileSync(bodyFile, first);
    const raw = fork(path.join(ROOT, 'bench/raw-server.ts'), [String(RAW_PORT), bodyFile], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    children.push(raw);
    await new Promise((resolve) => raw.once('message', resolve));

    const connections = load.connections * 3;
    log(`[scale] ${connections} connections in all, split between the processes loaded`);
    const group = (name: string, count: number, headers?: Record<string, string>): Group => ({
      name,
      targets: bases.slice(0, count).map((base) => ({ name, url: pageOf(base), headers })),
    });
    const groups: Group[] = [
      {
        name: `raw node:http, 1 process (same ${Buffer.byteLength(first)} B body)`,
        targets: [{ name: 'raw', url: `http://127.0.0.1:${RAW_PORT}/` }],
      },
      group('first page, 1 Parley process', 1),
      group('first page, 2 Parley processes', 2),
      group('first page, 3 Parley processes', 3),
      group('first page signed in, 1 Parley process', 1, signedIn),
      group('first page signed in, 2 Parley processes', 2, signedIn),
      group('first page signed in, 3 Parley processes', 3, signedIn),
    ];
    const pids = processes.map((p) => p.pid as number);
    const postgres = postgresCpu();
    postgres();
    const rows = await loadGroups(groups, { ...load, connections }, () => {
      const usage = process.cpuUsage();
      return {
        'load generator': (usage.user + usage.system) / 1000,
        Parley: pids.reduce((sum, pid) => sum + cpuMs(pid), 0),
        'raw server': cpuMs(raw.pid as number),
        PostgreSQL: postgres(),
        machine: machineBusyMs(),
      };
    });

    const name = new URL(databaseUrl).pathname.slice(1);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows: activity } = await client.query(
      'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    await client.end();
    return { comments, connections, rows, pgConnections: activity[0].n as number };
  } finally {
    await Promise.all(children.map(stop));
    await database.drop();
  }
}
