/**
 * What the read benches share (the read part of bench/run.ts, and bench/rendered.ts): a database
 * with one site and a big story (bench/seed.ts), and the built server (`parley start`, production
 * settings) started on it, unthrottled for load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { openStore, type Store } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import type { Site } from '../src/store/rows.ts';
import { insertSite } from '../src/store/sites.ts';
import { createTestDatabase, type EngineName, type TestDatabase } from '../test/helpers/engines.ts';
import { log } from './load.ts';
import { seedBigStory } from './seed.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface BigStory {
  database: TestDatabase;
  /** Still open, for more seeding: the caller closes it before starting the server. */
  store: Store;
  site: Site;
  storyId: string;
}

/**
 * A new database of `engine` holding a site whose origin is Parley's on `port` and a story of
 * `size` comments; progress is logged behind `label`.
 */
export async function prepareBigStory(
  engine: EngineName,
  size: number,
  port: number,
  label: string,
): Promise<BigStory> {
  log(`[${label}] preparing a story of ${size} comments`);
  const database = await createTestDatabase(engine);
  const store = openStore(database.config);
  await migrate(store);
  const site = await insertSite(store.db, {
    name: 'Bench',
    allowedOrigins: [`http://127.0.0.1:${port}`],
    editWindowSeconds: 300,
    maxDepth: 3,
  });
  let lastShown = 0;
  const storyId = await seedBigStory(store.db, site, size, (done) => {
    if (done - lastShown >= size / 10 || done === size) {
      lastShown = done;
      log(`[${label}]   seeded ${done}/${size}`);
    }
  });
  return { database, store, site, storyId };
}

/** `parley start` on `database` at `port`, with no read rate limit; stop it with load.ts's stop(). */
export function startParleyForLoad(database: TestDatabase, port: number): ChildProcess {
  const databaseUrl =
    database.config.engine === 'sqlite' ? database.config.file : database.config.url;
  return spawn(process.execPath, [path.join(ROOT, 'bin/parley.js'), 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
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
  });
}
