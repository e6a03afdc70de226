/**
 * What `parley start` prints, read as a stranger trying the demo would read it: the real command
 * as a child process on a database in a temporary directory, at the default log level. The demo
 * prints where to go and the admin's credentials, and no JSON line per request: requests are at
 * debug level when the output is not a terminal, one short line each in a terminal (a real one,
 * from `script`). PARLEY_LOG_FORMAT=json, and `start` without --demo, keep production's JSON lines;
 * PARLEY_LOG_FORMAT=pretty gives the short lines anywhere. Tokens in URLs stay masked in every
 * form. The output is read in full after the process has ended, so "no such line" is final.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/process.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'tok3n-that-must-never-show-0123456789';
/** A request line of the pretty log: time, method, path, status, duration. */
const PRETTY_REQUEST = /^\d\d:\d\d:\d\d GET \/healthz 200 \d+\.\d ms$/m;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-start-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Started {
  url: string;
  child: ChildProcess;
  /** Everything written to stdout so far (with a terminal: what the terminal showed). */
  stdout(): string;
  stderr(): string;
}

const plainText = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r\n/g, '\n');

let databases = 0;

/** Starts `parley start [--demo]` and waits for the lines that say it is ready. */
async function start(
  args: string[],
  env: Record<string, string> = {},
  terminal = false,
): Promise<Started> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const command = [process.execPath, path.join(ROOT, 'bin/parley.js'), 'start', ...args];
  const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATABASE_URL: path.join(dir, `parley-${++databases}.db`),
    PARLEY_CLASSIFIER: '0',
    PARLEY_SCRAPE_METADATA: '0',
    NODE_OPTIONS: '',
    ...env,
  };
  delete childEnv.LOG_LEVEL;
  delete childEnv.NODE_ENV;
  delete childEnv.PARLEY_LOG_FORMAT;
  Object.assign(childEnv, env);
  // `script` runs the command on a pseudo-terminal of its own: stdout is a TTY, as in a shell.
  const child = terminal
    ? spawn('script', ['-qfec', command.map(shellQuote).join(' '), '/dev/null'], {
        env: childEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(command[0]!, command.slice(1), { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      // The last of the lines that say it is ready (a new database gets an admin).
      if (/password: \S+\r?\n/.test(stdout)) {
        child.stdout?.off('data', check);
        child.off('exit', exited);
        resolve();
      }
    };
    const exited = () => reject(new Error(`parley exited early:\n${stdout}\n${stderr}`));
    child.stdout?.on('data', check);
    child.once('exit', exited);
  });
  return { url, child, stdout: () => plainText(stdout), stderr: () => stderr };
}

/** Stops the process and returns all it wrote to stdout. */
async function stop(started: Started): Promise<string> {
  if (started.child.exitCode === null && started.child.signalCode === null) {
    const exited = new Promise((resolve) => started.child.once('close', resolve));
    started.child.kill('SIGTERM');
    await exited;
  }
  return started.stdout();
}

/** What a first visit does: the page, the widget, a miss, a live stream with a token in its URL. */
async function browse(url: string): Promise<void> {
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  assert.equal((await fetch(`${url}/embed.js`)).status, 200);
  assert.equal((await fetch(`${url}/api/v1/no-such-thing`)).status, 404);
  await (await fetch(`${url}/api/v1/stories/unknown/events?token=${TOKEN}`)).arrayBuffer();
}

/** The lines of the output that are JSON objects. */
function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const isRequestLine = (entry: Record<string, unknown>) =>
  'req' in entry || 'res' in entry || /request|Route .* not found/.test(String(entry.msg));

const hasScript = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('what `parley start` prints', () => {
  it('the demo says where to go and the admin’s credentials, with no JSON line per request', async () => {
    const started = await start(['--demo']);
    const ready = started.stdout();
    assert.match(ready, new RegExp(`Demo article: +${started.url}/`));
    assert.match(ready, new RegExp(`Dashboard: +${started.url}/admin`));
    assert.match(ready, /email: +admin@localhost\n +password: +\S{12,}/);
    assert.match(ready, /Requests are logged at debug level/);
    await browse(started.url);
    const output = await stop(started);
    assert.deepEqual(jsonLines(output).filter(isRequestLine), [], 'no request in the output');
    assert.ok(!output.includes('/healthz'), output);
    assert.ok(!output.includes(TOKEN));
    assert.equal(started.stderr().includes(TOKEN), false);
  });

  it('PARLEY_LOG_FORMAT=json gives production’s JSON lines, every request included', async () => {
    const started = await start(['--demo'], { PARLEY_LOG_FORMAT: 'json' });
    await browse(started.url);
    const output = await stop(started);
    const entries = jsonLines(output);
    const urls = entries.map((entry) => (entry.req as { url?: string } | undefined)?.url);
    assert.ok(urls.includes('/healthz'), output);
    assert.ok(entries.some((entry) => entry.msg === 'request completed'));
    assert.ok(urls.includes('/api/v1/stories/unknown/events?token=[redacted]'), 'masked');
    assert.ok(!output.includes(TOKEN));
    assert.ok(!output.includes('Requests are logged at debug level'));
    assert.doesNotMatch(output, PRETTY_REQUEST);
  });

  it('without --demo (production) the log stays JSON, every request included', async () => {
    const started = await start([]);
    assert.doesNotMatch(started.stdout(), /Demo article/);
    await browse(started.url);
    const output = await stop(started);
    const entries = jsonLines(output);
    assert.ok(
      entries.some((entry) => entry.msg === 'incoming request'),
      output,
    );
    assert.ok(entries.some((entry) => entry.msg === 'request completed'));
    assert.ok(!output.includes(TOKEN));
  });

  it('PARLEY_LOG_FORMAT=pretty gives one short line per request, and no JSON', async () => {
    const started = await start(['--demo'], { PARLEY_LOG_FORMAT: 'pretty' });
    await browse(started.url);
    const output = await stop(started);
    assert.match(output, PRETTY_REQUEST);
    assert.match(output, /^\d\d:\d\d:\d\d GET \/api\/v1\/no-such-thing 404 \d+\.\d ms$/m);
    assert.match(
      output,
      /^\d\d:\d\d:\d\d GET \/api\/v1\/stories\/unknown\/events\?token=\[redacted\] /m,
    );
    assert.deepEqual(jsonLines(output), []);
    assert.ok(!output.includes(TOKEN));
    assert.doesNotMatch(output, /\u001b\[/);
  });

  it(
    'in a terminal the demo prints a short line per request by default',
    { skip: !hasScript && '`script` (util-linux) is not installed' },
    async () => {
      const started = await start(['--demo'], {}, true);
      assert.match(started.stdout(), /password: +\S{12,}/);
      await browse(started.url);
      // The terminal shows the line once the request is answered; wait for it, then stop.
      await new Promise<void>((resolve) => {
        const check = () => {
          if (PRETTY_REQUEST.test(started.stdout())) {
            started.child.stdout?.off('data', check);
            resolve();
          }
        };
        started.child.stdout?.on('data', check);
        check();
      });
      const output = await stop(started);
      assert.match(output, PRETTY_REQUEST);
      assert.deepEqual(jsonLines(output), []);
      assert.ok(!output.includes(TOKEN));
      assert.ok(!output.includes('Requests are logged at debug level'));
    },
  );

  it('refuses a PARLEY_LOG_FORMAT it does not know, saying which', () => {
    let failure: { status?: number; stderr?: Buffer } | undefined;
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'bin/parley.js'), 'start', '--demo'], {
        env: { ...process.env, PARLEY_LOG_FORMAT: 'xml', DATABASE_URL: path.join(dir, 'x.db') },
        stdio: 'pipe',
        timeout: 60_000,
      });
    } catch (error) {
      failure = error as typeof failure;
    }
    assert.ok(failure, 'it did not start');
    assert.notEqual(failure.status, 0);
    assert.match(String(failure.stderr), /PARLEY_LOG_FORMAT must be json or pretty, got "xml"/);
  });
});
