/**
 * The log's two forms (src/server/logging.ts): which one a process gets, what the pretty printer
 * makes of pino's lines, and that a server logging in words at debug level still writes no secret
 * (the words are made from the JSON lines, after redaction).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { buildApp, type ParleyApp } from '../../src/server/app.ts';
import { chooseLogOutput, prettyLine } from '../../src/server/logging.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts';

const SECRET = 'session-token-0123456789abcdefghijklmnop';

describe('log output', () => {
  it('is for a person only in the demo, in a terminal, unless PARLEY_LOG_FORMAT says', () => {
    const choose = (
      configured: 'json' | 'pretty' | undefined,
      demo: boolean,
      production: boolean,
      terminal: boolean,
    ) => chooseLogOutput({ configured, demo, production, terminal });
    const pretty = { format: 'pretty', requests: 'info' };
    const quiet = { format: 'json', requests: 'debug' };
    const production = { format: 'json', requests: 'fastify' };
    assert.deepEqual(choose(undefined, true, false, true), pretty, 'npm start in a terminal');
    assert.deepEqual(choose(undefined, true, false, false), quiet, 'npm start into a file');
    assert.deepEqual(choose(undefined, true, true, true), production, 'NODE_ENV=production');
    assert.deepEqual(choose(undefined, false, false, true), production, 'start without --demo');
    assert.deepEqual(choose('json', true, false, true), production, 'asked for JSON');
    assert.deepEqual(choose('pretty', false, true, false), pretty, 'asked for words');
  });

  it('prints a request as one short line, anything else with its level and fields', () => {
    const time = new Date(2026, 11, 7, 9, 5, 3).getTime();
    const request = JSON.stringify({
      level: 30,
      time,
      reqId: 'req-1',
      req: { method: 'GET', url: '/api/v1/stories?token=[redacted]' },
      res: { statusCode: 404 },
      responseTime: 3.14159,
      msg: 'request completed',
    });
    assert.equal(prettyLine(request), '09:05:03 GET /api/v1/stories?token=[redacted] 404 3.1 ms');
    const warning = JSON.stringify({ level: 40, time, msg: 'redis: down', attempt: 3, at: 'x' });
    assert.equal(prettyLine(warning), '09:05:03 WARN  redis: down  attempt=3  at=x');
    const failure = JSON.stringify({
      level: 50,
      time,
      msg: 'request failed',
      err: { message: 'boom', stack: 'Error: boom\n    at here' },
    });
    assert.equal(
      prettyLine(failure),
      '09:05:03 ERROR request failed\n  Error: boom\n      at here',
    );
    assert.equal(prettyLine('not json'), 'not json');
    assert.equal(prettyLine('42'), '42');
  });

  it('prints no control character a request or a message carried', () => {
    const hostile = JSON.stringify({
      level: 40,
      time: 0,
      msg: 'odd \u001b[2J\u001b[31mred\u202e',
      req: { method: 'GET', url: '/x\u001b]0;title\u0007\r\nFAKE' },
      note: '\u001b[1mbold',
      err: { message: 'line one\n\u001b[31mline two' },
    });
    const printed = prettyLine(hostile);
    assert.doesNotMatch(printed, /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E]/);
    assert.match(printed, /\uFFFD\[2J/);
    assert.match(
      printed,
      /\n {2}line one\n {2}\uFFFD\[31mline two$/,
      'only the error keeps its lines',
    );
  });

  describe('a server logging in words at debug level', () => {
    let database: TestDatabase;
    let parley: ParleyApp;
    let output = '';

    before(async () => {
      database = await createTestDatabase('sqlite');
      const config = {
        ...loadConfig({
          PUBLIC_URL: 'http://parley.test',
          PARLEY_CLASSIFIER: '0',
          LOG_LEVEL: 'debug',
        }),
        database: database.config,
      };
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          output += chunk.toString('utf8');
          done();
        },
      });
      parley = await buildApp(config, {
        logger: { stream },
        runJobs: false,
        log: { format: 'pretty', requests: 'info' },
      });
    });
    after(async () => {
      await parley?.close();
      await database?.drop();
    });

    it('writes a line per request, masks tokens and writes no JSON', async () => {
      await parley.app.inject({ method: 'GET', url: '/healthz' });
      await parley.app.inject({
        method: 'GET',
        url: `/api/v1/stories/unknown/events?token=${SECRET}`,
        headers: { authorization: `Bearer ${SECRET}`, cookie: `s=${SECRET}` },
      });
      await parley.app.inject({ method: 'GET', url: '/no/such/page' });
      await parley.app.inject({ method: 'GET', url: `/api/v1/no/such/route?token=${SECRET}` });
      assert.match(output, /^\d\d:\d\d:\d\d GET \/healthz 200 \d+\.\d ms$/m);
      assert.match(
        output,
        /^\d\d:\d\d:\d\d GET \/api\/v1\/stories\/unknown\/events\?token=\[redacted\] \d{3} /m,
      );
      assert.match(output, /^\d\d:\d\d:\d\d GET \/no\/such\/page 404 /m);
      assert.ok(!output.includes(SECRET), output);
      assert.doesNotMatch(output, /^\{/m);
      assert.equal(output.match(/GET \/healthz/g)?.length, 1, 'one line per request');
    });
  });
});
