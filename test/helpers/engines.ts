/**
 * The databases a test runs against: SQLite always (a real file, WAL), and the local PostgreSQL
 * when it answers. Each test app gets a database of its own. In CI (CI=true) PostgreSQL is
 * required: a missing server fails the run instead of skipping.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.ts';

export const POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresAvailable: Promise<boolean> | undefined;

/** One try at PostgreSQL; a loaded machine may take seconds to accept a connection. */
async function answers(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probePostgres(): Promise<boolean> {
  try {
    // Three tries: a machine busy with many test processes can miss one connection's deadline.
    await answers()
      .catch(() => answers())
      .catch(() => answers());
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(
        `PostgreSQL is required in CI but ${POSTGRES_URL} did not answer: ${String(error)}`,
      );
    }
    console.warn(`# PostgreSQL not reachable at ${POSTGRES_URL}; its tests are skipped`);
    return false;
  }
}

export type EngineName = 'sqlite' | 'postgres';

/** The engines to run against, resolved once per test process. */
export async function testEngines(): Promise<EngineName[]> {
  postgresAvailable ??= probePostgres();
  return (await postgresAvailable) ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** A fresh, empty database of the given engine. */
export async function createTestDatabase(engine: EngineName): Promise<TestDatabase> {
  const name = `parley_t_${randomBytes(6).toString('hex')}`;
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
    return {
      config: { engine: 'sqlite', file: path.join(dir, `${name}.db`) },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    config: { engine: 'postgres', url: url.href },
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      // pg's Pool.end() resolves before its sockets are gone; let them leave before forcing.
      for (let i = 0; i < 50; i++) {
        const { rows } = await client.query(
          'select count(*)::int as n from pg_stat_activity where datname = $1',
          [name],
        );
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
