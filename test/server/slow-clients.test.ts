/**
 * Slow and greedy clients, over real sockets (docs/operations.md, "Slow and greedy clients"):
 * headers or a body sent a byte at a time, and a body shorter than its Content-Length, are
 * answered 408 and cut within the configured time (set low here); idle keep-alive connections are
 * closed; one address holds at most its cap of connections while another is served, and its live
 * streams are counted apart. The database plays no part: SQLite only.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { uncappedPeers } from '../../src/server/connections.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';

const HEADERS_MS = 500;
const REQUEST_MS = 1000;
const KEEP_ALIVE_MS = 300;
/** Node checks the deadlines every 100 ms here; a loaded machine adds some more. */
const SLACK_MS = 800;

async function listen(app: TestApp): Promise<number> {
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  return (app.app.server.address() as net.AddressInfo).port;
}

/** A raw connection from `from` (a loopback address of this host), once connected. */
function connect(port: number, from = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: from });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** What the server sends until it closes the connection, and how long after `since` it closed. */
function untilClosed(
  socket: net.Socket,
  since = Date.now(),
): Promise<{ text: string; afterMs: number }> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', () => undefined);
    socket.once('close', () => resolve({ text, afterMs: Date.now() - since }));
  });
}

/** Writes `bytes` one at a time, one every `everyMs`, until they run out or the socket closes. */
function trickle(socket: net.Socket, bytes: string, everyMs: number): void {
  let next = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || next >= bytes.length) clearInterval(timer);
    else socket.write(bytes.charAt(next++));
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

/** A 408 in the API's error shape, sent after the deadline and not much later. */
function assertCutAt(result: { text: string; afterMs: number }, deadlineMs: number): void {
  assert.match(result.text, /^HTTP\/1\.1 408 /, result.text);
  assert.match(result.text, /"code":"REQUEST_TIMEOUT"/);
  assert.ok(result.afterMs >= deadlineMs - 50, `cut after ${result.afterMs} ms`);
  assert.ok(result.afterMs < deadlineMs + SLACK_MS, `cut after ${result.afterMs} ms`);
}

/** A GET over a connection of its own from `from`: its status, once the headers arrive. */
function get(
  port: number,
  path: string,
  from: string,
): Promise<{ status: number; request: http.ClientRequest; response: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: '127.0.0.1',
        port,
        path,
        localAddress: from,
        agent: false,
        headers: { origin: SITE_ORIGIN },
      },
      (response) => resolve({ status: response.statusCode ?? 0, request, response }),
    );
    request.once('error', reject);
  });
}

describe('slow clients are cut at the configured deadlines', () => {
  let app: TestApp;
  let port: number;
  before(async () => {
    app = await createTestApp('sqlite', {
      PARLEY_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
      PARLEY_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
      PARLEY_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
      PARLEY_MAX_REQUESTS_PER_SOCKET: '2',
    });
    port = await listen(app);
  });
  after(async () => app.close());

  it('answers 408 and closes when the headers come a byte at a time', async () => {
    const socket = await connect(port);
    const closed = untilClosed(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: parley.test\r\n');
    trickle(socket, `X-Slow: ${'a'.repeat(200)}\r\n\r\n`, 50);
    assertCutAt(await closed, HEADERS_MS);
  });

  it('answers 408 and closes when the body comes a byte at a time', async () => {
    const body = JSON.stringify({ email: 'slow@example.com', password: 'x'.repeat(200) });
    const socket = await connect(port);
    const closed = untilClosed(socket);
    socket.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: parley.test\r\n' +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    trickle(socket, body, 50);
    assertCutAt(await closed, REQUEST_MS);
  });

  it('answers 408 and closes when the body is shorter than its Content-Length', async () => {
    const socket = await connect(port);
    const closed = untilClosed(socket);
    socket.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: parley.test\r\n' +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":"short@example.com"}',
    );
    assertCutAt(await closed, REQUEST_MS);
  });

  it('closes an idle keep-alive connection, and one that has had its requests', async () => {
    const idle = await connect(port);
    const idleClosed = untilClosed(idle);
    idle.write('GET /healthz HTTP/1.1\r\nHost: parley.test\r\n\r\n');
    const answered = await new Promise<number>((resolve) =>
      idle.once('data', () => resolve(Date.now())),
    );
    const { text, afterMs } = await idleClosed;
    assert.match(text, /^HTTP\/1\.1 200 /);
    // Node closes a second after the time it announces (Keep-Alive: timeout=…), so that a client
    // that goes by the announcement never sends on a connection being closed.
    const idleFor = Date.now() - answered;
    assert.ok(afterMs > 0 && idleFor >= KEEP_ALIVE_MS - 50, `closed after ${idleFor} ms idle`);
    assert.ok(idleFor < KEEP_ALIVE_MS + 1000 + SLACK_MS, `closed after ${idleFor} ms idle`);

    // Two requests per connection here: the second answer says so, and the server closes it.
    const busy = await connect(port);
    const busyClosed = untilClosed(busy);
    const request = 'GET /healthz HTTP/1.1\r\nHost: parley.test\r\n\r\n';
    busy.write(request + request);
    const answers = (await busyClosed).text.split(/(?=HTTP\/1\.1 )/);
    assert.equal(answers.length, 2, answers.join('\n---\n'));
    assert.match(answers[0] ?? '', /^HTTP\/1\.1 200 [^]*connection: keep-alive/i);
    assert.match(answers[1] ?? '', /^HTTP\/1\.1 200 [^]*connection: close/i);
  });
});

describe('one address holds at most its cap of connections, its live streams apart', () => {
  const CAP = 3;
  let app: TestApp;
  let port: number;
  before(async () => {
    app = await createTestApp(
      'sqlite',
      { PARLEY_MAX_CONNECTIONS_PER_IP: String(CAP), PARLEY_READ_RATE_LIMIT: '100000' },
      { capLoopback: true },
    );
    port = await listen(app);
  });
  after(async () => app.close());

  /** A connection the server has taken in (it answered a request on it), then left idle. */
  async function held(from: string): Promise<net.Socket> {
    const socket = await connect(port, from);
    socket.on('error', () => undefined);
    socket.write('GET /healthz HTTP/1.1\r\nHost: parley.test\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    return socket;
  }

  /** Whether a new connection from `from` is served (a request on it is answered 200). */
  async function served(from: string): Promise<boolean> {
    const socket = await connect(port, from);
    const closed = untilClosed(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: parley.test\r\nConnection: close\r\n\r\n');
    return /^HTTP\/1\.1 200 /.test((await closed).text);
  }

  it('closes connections beyond the cap from one address as they arrive, and serves another', async () => {
    const sockets = [];
    for (let i = 0; i < CAP; i++) sockets.push(await held('127.0.0.1'));
    const refused = await connect(port, '127.0.0.1');
    const refusal = untilClosed(refused);
    refused.write('GET /healthz HTTP/1.1\r\nHost: parley.test\r\n\r\n');
    const { text, afterMs } = await refusal;
    assert.equal(text, '', 'nothing is served over the cap');
    assert.ok(afterMs < 1000, `closed after ${afterMs} ms`);

    assert.equal(await served('127.0.0.2'), true, 'another address is served');

    // A connection closed makes room for another.
    const closing = untilClosed(sockets[0] as net.Socket);
    sockets[0]?.destroy();
    await closing;
    let again = false;
    for (let attempt = 0; attempt < 20 && !again; attempt++) {
      again = await served('127.0.0.1');
      if (!again) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.ok(again, 'served again once one of its connections closed');
    for (const socket of sockets) socket.destroy();
  });

  it('counts live streams apart: an address with streams open still loads pages', async () => {
    const story = await app.story('slow-clients-live');
    const streams = [];
    for (let i = 0; i < CAP; i++) {
      const stream = await get(port, `/api/v1/stories/${story}/events`, '127.0.0.3');
      assert.equal(stream.status, 200);
      streams.push(stream);
    }
    assert.equal(app.live.streamsFrom('127.0.0.3'), CAP);
    assert.equal(await served('127.0.0.3'), true);
    const page = await get(port, `/api/v1/stories/${story}/comments`, '127.0.0.3');
    assert.equal(page.status, 200);
    page.response.resume();
    for (const stream of streams) stream.request.destroy();
  });
});

describe('which peers are capped', () => {
  it('caps every peer but this host by default, and no trusted proxy', () => {
    const direct = uncappedPeers(false);
    assert.equal(direct('203.0.113.7'), false);
    assert.equal(direct('::ffff:203.0.113.7'), false);
    assert.equal(direct('2001:db8::7'), false);
    assert.equal(direct('127.0.0.1'), true);
    assert.equal(direct('::ffff:127.0.0.1'), true);
    assert.equal(direct('::1'), true);
    assert.equal(uncappedPeers(false, true)('127.0.0.1'), false);

    assert.equal(
      uncappedPeers(1)('203.0.113.7'),
      true,
      'behind a hop count, every peer is a proxy',
    );
    const listed = uncappedPeers(['10.0.0.0/8', '192.0.2.5', 'fd00::/8']);
    assert.equal(listed('10.1.2.3'), true);
    assert.equal(listed('::ffff:192.0.2.5'), true);
    assert.equal(listed('fd00::1'), true);
    assert.equal(listed('192.0.2.6'), false);
  });
});
