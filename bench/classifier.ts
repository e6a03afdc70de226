/**
 * The built-in classifier's cost: inference per comment in process (median and p99 over varied
 * 300-character comments in six languages), and the Perspective-compatible endpoint's requests per
 * second over HTTP beside a bare node:http server answering the same POST, each in its own process.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { loadModel } from '../src/classifier/index.ts';
import { newApiKey, tokenDigest } from '../src/credentials/tokens.ts';
import { insertApiKey } from '../src/store/api-keys.ts';
import { openStore } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { insertUser } from '../src/store/users.ts';
import { createTestDatabase } from '../test/helpers/engines.ts';
import { loadAll, log, median, stop, waitFor, type Figures, type LoadSettings } from './load.ts';
import { benchWordList, commentBodies } from './moderation-fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PARLEY_PORT = 18_084;
const RAW_PORT = 18_085;

export interface ClassifierResult {
  model: string;
  loadMs: number;
  bytes: number;
  comments: number;
  p50Ms: number;
  p99Ms: number;
  rows: Figures[];
}

/** Comments of exactly `length` characters, from the write bench's multilingual generator. */
function comments(count: number, length: number): string[] {
  const body = commentBodies(benchWordList(), 11);
  return Array.from({ length: count }, (_, i) => {
    let text = body(i);
    while (text.length < length) text += ` ${body(i + count + text.length)}`;
    return text.slice(0, length);
  });
}

export async function benchClassifier(
  count: number,
  settings: LoadSettings,
): Promise<ClassifierResult> {
  const loaded = loadModel();
  const texts = comments(count, 300);
  log(`[classifier] ${loaded.header.id} loaded in ${loaded.loadMs} ms; scoring ${count} comments`);
  for (const text of texts.slice(0, 500)) loaded.classifier.classify(text); // warm-up
  const times: number[] = [];
  for (const text of texts) {
    const started = performance.now();
    loaded.classifier.classify(text);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const p99 = times[Math.floor(times.length * 0.99)] ?? 0;

  log('[classifier] analysis endpoint over HTTP');
  const database = await createTestDatabase('sqlite');
  const store = openStore(database.config);
  await migrate(store);
  const key = newApiKey();
  const admin = await insertUser(store.db, {
    email: 'bench-admin@example.com',
    displayName: 'Bench admin',
    passwordHash: null,
    role: 'admin',
  });
  await insertApiKey(store.db, {
    name: 'bench',
    prefix: key.slice(0, 10),
    keyHash: tokenDigest(key),
    ratePerMinute: 1_000_000,
    createdBy: admin?.id ?? '',
  });
  await store.close();
  const databaseUrl = database.config.engine === 'sqlite' ? database.config.file : '';
  const children: ChildProcess[] = [];
  const parley = spawn(process.execPath, [path.join(ROOT, 'bin/parley.js'), 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(PARLEY_PORT),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${PARLEY_PORT}`,
      LOG_LEVEL: 'warn',
      PARLEY_SCRAPE_METADATA: '0',
      // autocannon keeps sending on a connection the server closes after its 1,000th request
      // (browsers and proxies open another): no per-connection request limit under load.
      PARLEY_MAX_REQUESTS_PER_SOCKET: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(parley);
  try {
    const base = `http://127.0.0.1:${PARLEY_PORT}`;
    await waitFor(`${base}/healthz`);
    const url = `${base}/v1alpha1/comments:analyze?key=${key}`;
    const bodies = texts.map((text) =>
      JSON.stringify({
        comment: { text },
        requestedAttributes: {
          TOXICITY: {},
          SEVERE_TOXICITY: {},
          IDENTITY_ATTACK: {},
          INSULT: {},
          PROFANITY: {},
          THREAT: {},
          SPAM: {},
        },
        doNotStore: true,
      }),
    );
    const headers = { 'content-type': 'application/json' };
    const sample = await fetch(url, { method: 'POST', headers, body: bodies[0] });
    const answer = await sample.text();
    if (sample.status !== 200) throw new Error(`sample analysis: ${sample.status} ${answer}`);
    const bodyFile = path.join(os.tmpdir(), `parley-bench-analyze-${process.pid}.json`);
    fs.writeFileSync(bodyFile, answer);
    const raw = fork(path.join(ROOT, 'bench/raw-server.ts'), [String(RAW_PORT), bodyFile], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    children.push(raw);
    await new Promise((resolve) => raw.once('message', resolve));
    let serial = 0;
    const nextAnalysis: autocannon.Request = {
      method: 'POST',
      setupRequest: (request) => ({
        ...request,
        headers,
        body: bodies[serial++ % bodies.length] as string,
      }),
    };
    const rows = await loadAll(
      [
        {
          name: `raw node:http (POST, same ${Buffer.byteLength(answer)} B answer)`,
          url: `http://127.0.0.1:${RAW_PORT}/`,
          options: { method: 'POST', headers, body: bodies[0] as string },
        },
        {
          name: 'POST /v1alpha1/comments:analyze (7 attributes, 300 characters)',
          url,
          options: { headers, requests: [nextAnalysis] },
        },
      ],
      settings,
    );
    return {
      model: loaded.header.id,
      loadMs: loaded.loadMs,
      bytes: loaded.bytes,
      comments: count,
      p50Ms: median(times),
      p99Ms: p99,
      rows,
    };
  } finally {
    await Promise.all(children.map(stop));
    await database.drop();
  }
}
