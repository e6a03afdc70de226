/**
 * Starts the real `parley` command as a child process on a free loopback port, on a database of its
 * own, the way an operator would; stops it and drops the database afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseConfig } from '../../src/config.ts';
import { createTestDatabase, type EngineName } from './engines.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ParleyProcess {
  url: string;
  /** The process's own database (tests set up data in it and check what it holds). */
  database: DatabaseConfig;
  /** The exit code, or null while the process runs (a crash shows here). */
  exitCode(): number | null;
  output(): string;
  stop(): Promise<void>;
}

export async function startParley(
  options: { engine?: EngineName; demo?: boolean; env?: Record<string, string> } = {},
): Promise<ParleyProcess> {
  const database = await createTestDatabase(options.engine ?? 'sqlite');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/parley.js'), 'start', ...(options.demo ? ['--demo'] : [])],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        DATABASE_URL:
          database.config.engine === 'sqlite' ? database.config.file : database.config.url,
        LOG_LEVEL: 'warn',
        PARLEY_SCRAPE_METADATA: '0',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`parley exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok && output.includes('Parley is running')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`parley did not start within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    database: database.config,
    exitCode: () => child.exitCode ?? (child.signalCode ? -1 : null),
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await database.drop();
    },
  };
}
