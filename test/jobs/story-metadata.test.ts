/**
 * The story metadata job against a real HTTP server on loopback: a new story's article page is
 * fetched in the background and its title, author, time and image stored; a page that fails leaves
 * the story usable and the failure recorded; fetchPage stops slow, huge and wandering pages, and by
 * default refuses to connect to loopback, private and other non-public addresses (the tests that
 * fetch from 127.0.0.1 opt in to them explicitly).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { jobState } from '../../src/jobs/queue.ts';
import {
  STORY_METADATA_JOB,
  fetchPage,
  isPublicAddress,
  storyMetadataJob,
  type FetchLimits,
  type FetchOptions,
} from '../../src/jobs/story-metadata.ts';
import { startWorker, type Worker } from '../../src/jobs/worker.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { freePort } from '../helpers/process.ts';

const ARTICLE_HEAD = `<!doctype html><html><head>
  <meta charset="utf-8">
  <title>Council votes on budget | Local Daily</title>
  <meta property="og:title" content="Council votes on budget &amp; taxes">
  <meta property="article:author" content="Rana Haddad">
  <meta property="article:published_time" content="2024-05-01T09:30:00+02:00">
  <meta property="og:image" content="/images/council.jpg">
</head>`;
const HUGE_BYTES = 5 * 1024 * 1024;
const LIMITS: FetchLimits = { timeoutMs: 300, maxBytes: 1000, maxRedirects: 1 };
/** The publisher server in these tests is on 127.0.0.1, which fetchPage refuses unless told. */
const LOOPBACK: FetchOptions = { allowPrivateAddresses: true };

interface Hit {
  host: string;
  path: string;
  userAgent: string | undefined;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A publisher's web server with the pages the tests need, recording every request. */
class PublisherServer {
  readonly hits: Hit[] = [];
  /** What the latest /huge response sent before the client hung up. */
  huge = { sent: 0, closedEarly: false, closed: deferred() };
  private readonly sockets = new Set<Socket>();
  private readonly server = http.createServer((request, response) =>
    this.handle(request, response),
  );
  origin = '';
  port = 0;

  async start(): Promise<void> {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.origin = `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  hitsOn(path: string): Hit[] {
    return this.hits.filter((hit) => hit.path === path);
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const path = request.url ?? '/';
    this.hits.push({
      host: request.headers.host ?? '',
      path,
      userAgent: request.headers['user-agent'],
    });
    const html = { 'content-type': 'text/html; charset=utf-8' };
    const redirect = (location: string): void => void response.writeHead(302, { location }).end();
    switch (path.replace(/\?.*$/, '')) {
      case '/article':
        response.writeHead(200, html).end(`${ARTICLE_HEAD}<body><p>Text</p></body></html>`);
        return;
      case '/broken':
        response.writeHead(500, html).end('<h1>Internal error</h1>');
        return;
      case '/redirect-same':
        return redirect('/article');
      case '/redirect-twice':
        return redirect('/redirect-same');
      case '/redirect-other':
        // Same server, other origin: the job must not follow it.
        return redirect(`http://localhost:${this.port}/article`);
      case '/slow-head':
        response.writeHead(200, html);
        response.write('<html><head><title>Never fin');
        return; // and never more
      case '/no-answer':
        return; // not even a status line
      case '/huge':
        return void this.streamHuge(response);
      default:
        response.writeHead(404, html).end('not found');
    }
  }

  /** 5 MB of <head> that never closes, written as fast as the client reads it. */
  private async streamHuge(response: http.ServerResponse): Promise<void> {
    const huge = { sent: 0, closedEarly: false, closed: deferred() };
    this.huge = huge;
    response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(HUGE_BYTES) });
    let closed = false;
    response.on('close', () => {
      closed = true;
      huge.closedEarly = huge.sent < HUGE_BYTES;
      huge.closed.resolve();
    });
    const chunk = Buffer.from(
      `<meta name="x" content="${'y'.repeat(16 * 1024 - 30)}">`.slice(0, 16 * 1024),
    );
    response.write('<html><head>');
    huge.sent += 12;
    while (huge.sent < HUGE_BYTES && !closed) {
      const piece = chunk.subarray(0, Math.min(chunk.length, HUGE_BYTES - huge.sent));
      huge.sent += piece.length;
      if (!response.write(piece)) {
        // Wait for the client to read on, or for it to hang up.
        await Promise.race([
          new Promise((resolve) => response.once('drain', resolve)),
          huge.closed.promise,
        ]);
      }
    }
    if (!closed) response.end();
  }
}

describe('story metadata job (sqlite, real HTTP)', () => {
  const publisher = new PublisherServer();
  let app: TestApp;
  /** Runs the metadata job the way the server does, except that it may fetch from loopback. */
  let worker: Worker;
  let deadOrigin: string;
  let reader: { token: string };
  let counter = 0;

  before(async () => {
    await publisher.start();
    deadOrigin = `http://127.0.0.1:${await freePort()}`;
    app = await createTestApp('sqlite', {
      PARLEY_SCRAPE_METADATA: '1',
      PARLEY_WRITE_RATE_LIMIT: '1000',
    });
    // Created through the API, which also refreshes the app's in-memory list of allowed origins.
    const created = await app.request({
      method: 'POST',
      url: '/api/v1/sites',
      token: await app.admin(),
      body: { name: 'Local Daily', allowedOrigins: [publisher.origin, deadOrigin] },
    });
    assert.equal(created.status, 201, created.text);
    reader = await app.signup('Reader');
    worker = startWorker(
      app.store,
      { [STORY_METADATA_JOB]: storyMetadataJob(app.store, undefined, LOOPBACK) },
      app.app.log,
      { autoStart: false },
    );
  });
  after(async () => {
    await worker?.stop();
    await app?.close();
    await publisher.stop();
  });

  async function resolve(pageUrl: string, title?: string): Promise<string> {
    const response = await app.request({
      method: 'POST',
      url: '/api/v1/stories/resolve',
      origin: new URL(pageUrl).origin,
      body: { url: pageUrl, storyId: `story-${++counter}`, ...(title && { title }) },
    });
    assert.equal(response.status, 200, response.text);
    return response.json.story.id as string;
  }

  async function jobFor(storyId: string): Promise<string> {
    const jobs = await app.store.db
      .selectFrom('jobs')
      .select(['id', 'payload'])
      .where('kind', '=', STORY_METADATA_JOB)
      .execute();
    const job = jobs.find(
      (j) => (JSON.parse(j.payload) as { storyId: string }).storyId === storyId,
    );
    assert.ok(job, `a metadata job was queued for ${storyId}`);
    return job.id;
  }

  const getStory = (id: string) => app.request({ method: 'GET', url: `/api/v1/stories/${id}` });

  /** The story still works: it can be read and commented on from its page. */
  async function assertUsable(storyId: string, origin: string): Promise<void> {
    const story = await getStory(storyId);
    assert.equal(story.status, 200, story.text);
    const posted = await app.request({
      method: 'POST',
      url: `/api/v1/stories/${storyId}/comments`,
      origin,
      token: reader.token,
      // A body of its own per story: the same text twice from one reader is refused as a repeat.
      body: { body: `Still open for comments on ${storyId}` },
    });
    assert.equal(posted.status, 201, posted.text);
    assert.equal((await getStory(storyId)).json.story.commentCount, 1);
  }

  /** Lets the job's backoff elapse, as if time had passed. */
  const makeDue = (jobId: string) =>
    app.store.db
      .updateTable('jobs')
      .set({ run_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', jobId)
      .execute();

  it('stores the title, author, publication time and image from the page', async () => {
    const storyId = await resolve(`${publisher.origin}/article?utm=1`);
    const before = await getStory(storyId);
    assert.equal(before.json.story.title, null, 'nothing known before the job runs');
    const jobId = await jobFor(storyId);

    assert.equal(await worker.drain(), 1, 'one job ran');
    const { story } = (await getStory(storyId)).json;
    assert.equal(story.title, 'Council votes on budget & taxes');
    assert.equal(story.author, 'Rana Haddad');
    assert.equal(story.publishedAt, '2024-05-01T07:30:00.000Z');
    assert.equal(story.imageUrl, `${publisher.origin}/images/council.jpg`);

    const state = await jobState(app.store.db, jobId);
    assert.equal(state?.attempts, 1);
    assert.ok(state.doneAt, 'the job is done');
    assert.equal(state.lastError, null);
    const [hit] = publisher.hitsOn('/article?utm=1');
    assert.equal(hit?.userAgent, 'Parley metadata reader');
    assert.equal(await worker.drain(), 0, 'nothing left to run');
  });

  it('a page answering 500 leaves the story usable, records the error and gives up after 3 attempts', async () => {
    const storyId = await resolve(`${publisher.origin}/broken`, 'Title from the widget');
    const jobId = await jobFor(storyId);

    await worker.drain();
    assert.deepEqual(
      { ...(await jobState(app.store.db, jobId)), lastError: undefined },
      { attempts: 1, doneAt: null, lastError: undefined },
    );
    assert.match((await jobState(app.store.db, jobId))?.lastError ?? '', /answered 500/);
    assert.equal(
      (await getStory(storyId)).json.story.title,
      'Title from the widget',
      'kept as it was',
    );
    await assertUsable(storyId, publisher.origin);

    for (let attempt = 2; attempt <= 3; attempt++) {
      await makeDue(jobId);
      assert.equal(await worker.drain(), 1);
    }
    const state = await jobState(app.store.db, jobId);
    assert.equal(state?.attempts, 3);
    assert.ok(state.doneAt, 'given up after the last attempt');
    assert.match(state.lastError ?? '', /answered 500/);
    assert.equal(publisher.hitsOn('/broken').length, 3);
    const row = await app.store.db
      .selectFrom('stories')
      .select(['metadata_fetched_at', 'title'])
      .where('id', '=', storyId)
      .executeTakeFirstOrThrow();
    assert.ok(row.metadata_fetched_at, 'the story is marked as attempted');
    assert.equal(row.title, 'Title from the widget');
  });

  it('a refused connection leaves the story usable and records the error', async () => {
    const storyId = await resolve(`${deadOrigin}/article`);
    const jobId = await jobFor(storyId);
    await worker.drain();
    const state = await jobState(app.store.db, jobId);
    assert.equal(state?.attempts, 1);
    assert.equal(state.doneAt, null, 'will be retried');
    assert.match(state.lastError ?? '', /failed: connect ECONNREFUSED/, 'the failure is recorded');
    await assertUsable(storyId, deadOrigin);
  });

  it('does not follow a redirect to another origin', async () => {
    const storyId = await resolve(`${publisher.origin}/redirect-other`);
    const jobId = await jobFor(storyId);
    await worker.drain();
    assert.match(
      (await jobState(app.store.db, jobId))?.lastError ?? '',
      /not on an allowed origin/,
    );
    assert.equal(publisher.hits.filter((hit) => hit.host.startsWith('localhost')).length, 0);
    assert.equal((await getStory(storyId)).json.story.title, null);
  });

  it('as the server wires it, refuses a page on 127.0.0.1: the story stays usable, the refusal is recorded', async () => {
    const path = '/article?wired=default';
    const storyId = await resolve(`${publisher.origin}${path}`);
    const jobId = await jobFor(storyId);

    assert.equal(await app.worker.drain(), 1, 'the app worker ran the job');
    const state = await jobState(app.store.db, jobId);
    assert.equal(state?.attempts, 1);
    assert.equal(state.doneAt, null, 'will be retried');
    assert.match(
      state.lastError ?? '',
      /refusing to connect to 127\.0\.0\.1: not a public address/,
    );
    await assertUsable(storyId, publisher.origin);

    for (let attempt = 2; attempt <= 3; attempt++) {
      await makeDue(jobId);
      assert.equal(await app.worker.drain(), 1);
    }
    const final = await jobState(app.store.db, jobId);
    assert.ok(final?.doneAt, 'given up after the last attempt');
    assert.match(final.lastError ?? '', /not a public address/);
    const row = await app.store.db
      .selectFrom('stories')
      .select(['metadata_fetched_at', 'title'])
      .where('id', '=', storyId)
      .executeTakeFirstOrThrow();
    assert.ok(row.metadata_fetched_at, 'the story is marked as attempted');
    assert.equal(row.title, null);
    assert.equal(publisher.hitsOn(path).length, 0, 'the page was never requested');
  });
});

describe('fetchPage limits (real HTTP)', () => {
  const publisher = new PublisherServer();
  before(() => publisher.start());
  after(() => publisher.stop());

  it('follows a redirect within the origin', async () => {
    const html = await fetchPage(
      `${publisher.origin}/redirect-same`,
      [publisher.origin],
      LIMITS,
      LOOPBACK,
    );
    assert.match(html, /Council votes on budget/);
    assert.equal(publisher.hitsOn('/article').length, 1);
  });

  it('refuses a redirect to another origin without requesting it', async () => {
    await assert.rejects(
      fetchPage(`${publisher.origin}/redirect-other`, [publisher.origin], LIMITS, LOOPBACK),
      /not on an allowed origin/,
    );
    assert.equal(publisher.hits.filter((hit) => hit.host.startsWith('localhost')).length, 0);
  });

  it('refuses a page that is not on an allowed origin without requesting it', async () => {
    const before = publisher.hits.length;
    await assert.rejects(
      fetchPage(`${publisher.origin}/article`, ['https://news.example'], LIMITS, LOOPBACK),
      /not on an allowed origin/,
    );
    assert.equal(publisher.hits.length, before);
  });

  it('stops after maxRedirects', async () => {
    await assert.rejects(
      fetchPage(`${publisher.origin}/redirect-twice`, [publisher.origin], LIMITS, LOOPBACK),
      /too many redirects/,
    );
    const html = await fetchPage(
      `${publisher.origin}/redirect-twice`,
      [publisher.origin],
      { ...LIMITS, maxRedirects: 2 },
      LOOPBACK,
    );
    assert.match(html, /og:title/);
  });

  it('reports an error status', async () => {
    await assert.rejects(
      fetchPage(`${publisher.origin}/broken`, [publisher.origin], LIMITS, LOOPBACK),
      /answered 500/,
    );
  });

  for (const path of ['/slow-head', '/no-answer']) {
    it(`cuts off ${path} at the timeout`, { timeout: 10_000 }, async () => {
      const started = performance.now();
      await assert.rejects(
        fetchPage(`${publisher.origin}${path}`, [publisher.origin], LIMITS, LOOPBACK),
      );
      const elapsed = performance.now() - started;
      assert.ok(
        elapsed >= LIMITS.timeoutMs - 50,
        `waited for the timeout (${elapsed.toFixed(0)} ms)`,
      );
      assert.ok(elapsed < 3000, `gave up soon after the timeout (${elapsed.toFixed(0)} ms)`);
    });
  }

  it('stops reading a 5 MB page without </head> at the size cap, closing the connection', async () => {
    const html = await fetchPage(`${publisher.origin}/huge`, [publisher.origin], LIMITS, LOOPBACK);
    const { huge } = publisher;
    await Promise.race([
      huge.closed.promise,
      sleep(5000, undefined, { ref: false }).then(() =>
        assert.fail('the server never saw the connection close'),
      ),
    ]);
    assert.ok(huge.closedEarly, `connection closed after ${huge.sent} of ${HUGE_BYTES} bytes`);
    assert.ok(html.startsWith('<html><head>'));
    assert.ok(html.length < 256 * 1024, `returned ${html.length} characters`);
  });

  it('returns no more than maxBytes of a page', async () => {
    const html = await fetchPage(`${publisher.origin}/huge`, [publisher.origin], LIMITS, LOOPBACK);
    assert.ok(
      Buffer.byteLength(html) <= LIMITS.maxBytes,
      `returned ${Buffer.byteLength(html)} bytes; the cap is ${LIMITS.maxBytes}`,
    );
  });
});

describe('fetchPage refuses non-public addresses by default (real HTTP)', () => {
  const publisher = new PublisherServer();
  before(() => publisher.start());
  after(() => publisher.stop());

  /** Fetches `url` with its own origin allowed, expecting a refusal before any request is made. */
  async function assertRefused(url: string, expected: RegExp): Promise<void> {
    const before = publisher.hits.length;
    await assert.rejects(fetchPage(url, [new URL(url).origin], LIMITS), expected);
    assert.equal(publisher.hits.length, before, `nothing was requested for ${url}`);
  }

  it('refuses a literal 127.0.0.1 URL on an allowed origin', async () => {
    await assertRefused(
      `${publisher.origin}/article`,
      /refusing to connect to 127\.0\.0\.1: not a public address/,
    );
  });

  it('refuses the same loopback address written differently', async () => {
    // The URL parser turns 2130706433 into 127.0.0.1; 0.0.0.0 connects to this host on Linux.
    await assertRefused(`http://2130706433:${publisher.port}/article`, /not a public address/);
    await assertRefused(`http://0.0.0.0:${publisher.port}/article`, /not a public address/);
  });

  it('refuses a host name that resolves to loopback', async () => {
    await assertRefused(
      `http://localhost:${publisher.port}/article`,
      /refusing to connect to localhost \(.*\): not a public address/,
    );
  });

  it('refuses IPv6 loopback, also as an IPv4-mapped address', async () => {
    await assertRefused(`http://[::1]:${publisher.port}/article`, /not a public address/);
    await assertRefused(
      `http://[::ffff:127.0.0.1]:${publisher.port}/article`,
      /not a public address/,
    );
  });

  it('fetches the same page when private addresses are allowed', async () => {
    const html = await fetchPage(
      `${publisher.origin}/article`,
      [publisher.origin],
      LIMITS,
      LOOPBACK,
    );
    assert.match(html, /Council votes on budget/);
  });
});

describe('isPublicAddress', () => {
  const nonPublic = {
    'IPv4 loopback': ['127.0.0.1', '127.255.255.254'],
    'IPv4 unspecified and "this network"': ['0.0.0.0', '0.1.2.3'],
    'IPv4 private': ['10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1'],
    'carrier-grade NAT': ['100.64.0.1', '100.127.255.254'],
    'IPv4 link-local, cloud metadata': ['169.254.169.254', '169.254.0.1'],
    'IPv4 multicast, reserved, broadcast': [
      '224.0.0.1',
      '239.1.1.1',
      '240.0.0.1',
      '255.255.255.255',
    ],
    'IPv4 documentation and benchmarking': [
      '192.0.2.1',
      '198.51.100.1',
      '203.0.113.1',
      '198.18.0.1',
    ],
    'IPv6 loopback and unspecified': ['::1', '::', '0:0:0:0:0:0:0:1'],
    'IPv4-mapped IPv6 of non-public IPv4': [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '::ffff:10.0.0.1',
      '::FFFF:192.168.1.1',
    ],
    'IPv4-compatible and other ::/8 forms': ['::127.0.0.1', '::7f00:1', '::ffff:0:127.0.0.1'],
    'NAT64 and 6to4 of non-public IPv4': [
      '64:ff9b::127.0.0.1',
      '2002:7f00:1::1',
      '2002:a9fe:a9fe::',
    ],
    'IPv6 unique-local': ['fc00::1', 'fd12:3456:789a::1'],
    'IPv6 link-local': ['fe80::1', 'fe80::1%eth0', 'febf::1'],
    'IPv6 site-local (deprecated)': ['fec0::1'],
    'IPv6 multicast': ['ff02::1', 'ff05::2'],
    'IPv6 documentation, Teredo, IETF': ['2001:db8::1', '3fff::1', '2001::1', '2001:2::1'],
    'not an IP address': ['', 'localhost', 'example.com', '1.2.3', '256.1.1.1', '::g', '1::2::3'],
  };
  for (const [kind, addresses] of Object.entries(nonPublic)) {
    it(`classifies ${kind} as not public`, () => {
      for (const address of addresses) {
        assert.equal(isPublicAddress(address), false, address);
      }
    });
  }

  it('classifies public IPv4 and IPv6 addresses as public', () => {
    for (const address of [
      '93.184.216.34',
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700::1',
      '2a00:1450:4001:80b::200e',
      '2001:200::1',
      '::ffff:93.184.216.34',
      '64:ff9b::8.8.8.8',
      '2002:808:808::1',
    ]) {
      assert.equal(isPublicAddress(address), true, address);
    }
  });
});
