/**
 * External moderation against a real HTTP server on 127.0.0.1 (no mocks): the server checks each
 * request as a publisher's receiver would (HMAC over timestamp and raw body, constant-time compare,
 * 5-minute window) and answers verdicts; every way the service can fail holds the comment.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { renderCommentHtml } from '../../src/domain/markdown.ts';
import { moderationInput, type InputOverrides } from '../helpers/moderation.ts';
import {
  externalModeration,
  type ExternalReviewRequest,
} from '../../src/domain/moderation/phases/external.ts';
import { moderationPhases } from '../../src/domain/moderation/phases/index.ts';
import { moderate } from '../../src/domain/moderation/pipeline.ts';
import type { ExternalModerationSettings, PhaseResult } from '../../src/domain/moderation/types.ts';
import {
  createExternalModerator,
  HttpExternalModerator,
  parseExternalAnswer,
  signExternalRequest,
  verifyExternalSignature,
} from '../../src/services/external-moderation.ts';

const SECRET = 'publisher-shared-secret';

/**
 * The receiver's check, written here independently of the client, as a publisher would write it:
 * recompute the HMAC of "<timestamp>.<raw body>", compare in constant time, refuse stale requests.
 */
function receiverAccepts(
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature?.startsWith('sha256=')) return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', SECRET).update(`${timestamp}.${rawBody}`).digest();
  const given = Buffer.from(signature.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface Received {
  path: string;
  method: string;
  contentType: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  accepted: boolean;
}

const received: Received[] = [];
let server: Server;
let base: string;

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const path = new URL(req.url ?? '/', 'http://receiver').pathname;
  const timestamp = header(req, 'x-parley-timestamp');
  const signature = header(req, 'x-parley-signature');
  const accepted = receiverAccepts({ timestamp, signature }, rawBody);
  received.push({
    path,
    method: req.method ?? '',
    contentType: header(req, 'content-type'),
    timestamp,
    signature,
    rawBody,
    accepted,
  });
  if (!accepted) return json(res, 401, { error: 'bad signature' });
  switch (path) {
    case '/approve':
      return json(res, 200, { decision: 'approve', tags: ['trusted-reader'] });
    case '/hold':
      return json(res, 200, { decision: 'hold', tags: ['legal', 'needs-context'] });
    case '/reject':
      return json(res, 200, {
        decision: 'reject',
        tags: ['doxxing'],
        reason: 'Personal information about a private person.',
      });
    case '/tags-only':
      return json(res, 200, { tags: ['sports'], extra: 'ignored' });
    case '/slow': {
      const timer = setTimeout(() => json(res, 200, { decision: 'approve' }), 3000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    case '/error':
      return json(res, 500, { error: 'boom' });
    case '/invalid-json':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"decision": "approve"');
      return;
    case '/wrong-shape':
      return json(res, 200, { decision: 'maybe' });
    case '/too-many-tags':
      return json(res, 200, { decision: 'approve', tags: Array.from({ length: 21 }, String) });
    case '/oversized':
      return json(res, 200, { decision: 'approve', tags: [], note: 'x'.repeat(70 * 1024) });
    case '/oversized-chunked': {
      // No content-length: the client must stop reading once past the cap.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('error', () => {});
      res.write('{"decision":"approve","note":"');
      for (let i = 0; i < 80; i++) res.write('x'.repeat(1024));
      res.end('"}');
      return;
    }
    case '/redirect':
      res.writeHead(307, { location: '/approve' }).end();
      return;
    default:
      return json(res, 404, { error: 'not found' });
  }
}

before(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
});

const external = (path: string, extra: Partial<ExternalModerationSettings> = {}) => ({
  url: `${base}${path}`,
  secret: SECRET,
  timeoutMs: 1000,
  ...extra,
});

const CONTEXT = { siteId: 'site_1', storyId: 'story_1', commentId: null, authorId: 'user_1' };

const input = (overrides: InputOverrides = {}) =>
  moderationInput({ context: CONTEXT, ...overrides });

const moderator = createExternalModerator();
const phase = externalModeration(moderator);
const runPhase = async (path: string, overrides: InputOverrides = {}, extra = {}) =>
  (await phase(
    input({ ...overrides, settings: { ...overrides.settings, external: external(path, extra) } }),
  )) as PhaseResult | undefined;

const codes = (result: PhaseResult | undefined) => result?.reasons?.map((r) => r.code);

describe('HttpExternalModerator', () => {
  it('posts the comment as signed JSON that the receiver accepts', async () => {
    const request: ExternalReviewRequest = {
      comment: {
        id: null,
        body: 'Hello *there* — ünïcode ✓',
        html: '<p>Hello <em>there</em> — ünïcode ✓</p>',
        authorId: 'user_1',
        storyId: 'story_1',
        siteId: 'site_1',
      },
      event: 'created',
    };
    const verdict = await moderator.review(external('/approve'), request);
    assert.deepEqual(verdict, { decision: 'approved', tags: ['trusted-reader'] });
    assert.equal(received.length, 1);
    const [got] = received;
    assert.ok(got);
    assert.equal(got.method, 'POST');
    assert.equal(got.contentType, 'application/json');
    assert.ok(got.accepted, 'the receiver verified the signature and the timestamp');
    assert.deepEqual(JSON.parse(got.rawBody), request);
    assert.ok(Math.abs(Number(got.timestamp) - Date.now() / 1000) < 5);
    assert.match(got.signature ?? '', /^sha256=[0-9a-f]{64}$/);
  });

  it('maps hold and reject, with tags and reason', async () => {
    const request: ExternalReviewRequest = {
      comment: { id: 'c_1', body: 'b', html: '<p>b</p>', authorId: 'u', storyId: 's', siteId: 'x' },
      event: 'edited',
    };
    assert.deepEqual(await moderator.review(external('/hold'), request), {
      decision: 'pending',
      tags: ['legal', 'needs-context'],
    });
    assert.deepEqual(await moderator.review(external('/reject'), request), {
      decision: 'rejected',
      tags: ['doxxing'],
      reason: 'Personal information about a private person.',
    });
  });

  it("signs the body: the receiver's check fails for a modified body, timestamp or secret", async () => {
    await runPhase('/approve');
    const [got] = received;
    assert.ok(got?.accepted);
    const { timestamp, signature, rawBody } = got;
    const tampered = rawBody.replace('A reasonable comment', 'A tampered comment');
    assert.notEqual(tampered, rawBody);
    assert.equal(receiverAccepts({ timestamp, signature }, rawBody), true);
    assert.equal(receiverAccepts({ timestamp, signature }, tampered), false, 'modified body');
    assert.equal(
      receiverAccepts({ timestamp: String(Number(timestamp) - 1), signature }, rawBody),
      false,
      'modified timestamp',
    );
    assert.equal(
      receiverAccepts({ timestamp, signature }, rawBody, Number(timestamp) + 301),
      false,
      'older than 5 minutes',
    );
    // The exported helper agrees with the receiver written above.
    const check = { secret: SECRET, timestamp, signature };
    assert.equal(verifyExternalSignature({ ...check, body: rawBody }), true);
    assert.equal(verifyExternalSignature({ ...check, body: tampered }), false);
    assert.equal(verifyExternalSignature({ ...check, secret: 'other', body: rawBody }), false);
    assert.equal(
      verifyExternalSignature({ ...check, body: rawBody, now: Number(timestamp) + 301 }),
      false,
    );
    assert.equal(signExternalRequest(SECRET, Number(timestamp), rawBody), signature);
  });

  it('validates the answer shape', () => {
    assert.deepEqual(parseExternalAnswer('{}'), {});
    assert.deepEqual(parseExternalAnswer('{"decision":null,"tags":null}'), {});
    const bad = [
      '[]',
      'null',
      '"approve"',
      '{"decision":"approved"}',
      '{"decision":"toString"}',
      '{"tags":"a"}',
      '{"tags":[1]}',
      '{"tags":[""]}',
      `{"tags":["${'t'.repeat(65)}"]}`,
      `{"reason":"${'r'.repeat(501)}"}`,
      '{"reason":5}',
    ];
    for (const text of bad) assert.throws(() => parseExternalAnswer(text), /answer/, text);
    assert.deepEqual(
      parseExternalAnswer(`{"tags":["${'t'.repeat(64)}"],"reason":"${'r'.repeat(500)}"}`),
      { tags: ['t'.repeat(64)], reason: 'r'.repeat(500) },
    );
  });

  it('refuses URLs that are not http(s) without sending anything', async () => {
    const request = { comment: { ...CONTEXT, id: null, body: 'b', html: 'b' }, event: 'created' };
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/x', 'not a url']) {
      await assert.rejects(
        new HttpExternalModerator().review(
          { url, secret: SECRET, timeoutMs: 1000 },
          request as ExternalReviewRequest,
        ),
        /URL/,
      );
    }
  });
});

describe('external moderation phase', () => {
  it('approves, holds and rejects as the service says, with prefixed tags', async () => {
    const approved = await runPhase('/approve');
    assert.equal(approved?.decision, 'approved');
    assert.deepEqual(codes(approved), ['EXTERNAL_APPROVE']);
    assert.deepEqual(approved?.tags, ['external:trusted-reader']);

    const held = await runPhase('/hold');
    assert.equal(held?.decision, 'pending');
    assert.deepEqual(codes(held), ['EXTERNAL_HOLD']);
    assert.deepEqual(held?.tags, ['external:legal', 'external:needs-context']);
    assert.ok(held?.reasons?.[0]?.message, 'a default message when the service gives none');

    const rejected = await runPhase('/reject');
    assert.equal(rejected?.decision, 'rejected');
    assert.deepEqual(rejected?.reasons, [
      { code: 'EXTERNAL_REJECT', message: 'Personal information about a private person.' },
    ]);
    assert.deepEqual(rejected?.tags, ['external:doxxing']);
    assert.ok(received.every((r) => r.accepted));
  });

  it('only tags when the service gives no decision', async () => {
    const result = await runPhase('/tags-only');
    assert.deepEqual(result, { tags: ['external:sports'] });
  });

  it('sends the ids from the context and the event kind', async () => {
    await runPhase('/approve');
    await runPhase('/approve', { context: { ...CONTEXT, commentId: 'c_42' } });
    const [created, edited] = received.map((r) => JSON.parse(r.rawBody) as ExternalReviewRequest);
    assert.deepEqual(created, {
      comment: {
        id: null,
        body: 'A reasonable comment about the talks.',
        html: renderCommentHtml('A reasonable comment about the talks.'),
        authorId: 'user_1',
        storyId: 'story_1',
        siteId: 'site_1',
      },
      event: 'created',
    });
    assert.equal(edited?.event, 'edited');
    assert.equal(edited?.comment.id, 'c_42');
  });

  it('does nothing when the site has no external service', async () => {
    assert.equal(await phase(input()), undefined);
    assert.equal(received.length, 0);
  });

  const failures: [name: string, path: string, extra?: Partial<ExternalModerationSettings>][] = [
    ['a server slower than the timeout', '/slow', { timeoutMs: 200 }],
    ['a 500', '/error'],
    ['invalid JSON', '/invalid-json'],
    ['an unknown decision', '/wrong-shape'],
    ['too many tags', '/too-many-tags'],
    ['an oversized answer', '/oversized'],
    ['an oversized answer without content-length', '/oversized-chunked'],
    ['a redirect (never followed)', '/redirect'],
    ['a wrong secret (the receiver answers 401)', '/approve', { secret: 'wrong' }],
  ];
  for (const [name, path, extra] of failures) {
    it(`holds the comment with EXTERNAL_UNAVAILABLE on ${name}`, async () => {
      const result = await runPhase(path, {}, extra);
      assert.equal(result?.decision, 'pending');
      assert.deepEqual(codes(result), ['EXTERNAL_UNAVAILABLE']);
      assert.equal(result?.tags, undefined);
    });
  }

  it('names the timeout in the held reason, and does not wait for the slow server', async () => {
    const started = Date.now();
    const result = await runPhase('/slow', {}, { timeoutMs: 200 });
    assert.ok(Date.now() - started < 2000);
    assert.match(result?.reasons?.[0]?.message ?? '', /200 ms/);
  });

  it('follows no redirect: only the configured URL receives the comment', async () => {
    const result = await runPhase('/redirect');
    assert.match(result?.reasons?.[0]?.message ?? '', /redirect/);
    assert.deepEqual(
      received.map((r) => r.path),
      ['/redirect'],
    );
  });

  it('holds when the receiver refuses a stale timestamp', async () => {
    const stale = externalModeration(
      createExternalModerator({ now: () => Date.now() - 6 * 60 * 1000 }),
    );
    const result = await stale(input({ settings: { external: external('/approve') } }));
    assert.deepEqual(codes(result ?? undefined), ['EXTERNAL_UNAVAILABLE']);
    assert.equal(received[0]?.accepted, false);
  });

  it('holds when the network fails', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await phase(
      input({
        settings: {
          external: { url: `http://127.0.0.1:${port}/`, secret: SECRET, timeoutMs: 1000 },
        },
      }),
    );
    assert.deepEqual(codes(result ?? undefined), ['EXTERNAL_UNAVAILABLE']);
  });
});

describe('external moderation in the pipeline', () => {
  const run = (path: string, overrides: InputOverrides = {}) =>
    moderate(
      moderationPhases({ external: moderator }),
      input({ ...overrides, settings: { ...overrides.settings, external: external(path) } }),
    );

  it("a service's approval skips the hold-only phases", async () => {
    const outcome = await run('/approve', { settings: { premoderateAll: true } });
    assert.equal(outcome.decision, 'approved');
    assert.equal(outcome.decidedBy, 'external');
    assert.deepEqual(
      outcome.reasons.map((r) => r.code),
      ['EXTERNAL_APPROVE'],
    );
    assert.deepEqual(outcome.tags, ['external:trusted-reader']);
  });

  it("a service's rejection rejects, with its reason for the author", async () => {
    const outcome = await run('/reject');
    assert.equal(outcome.decision, 'rejected');
    assert.equal(outcome.refuse, undefined);
    assert.equal(outcome.reasons[0]?.message, 'Personal information about a private person.');
  });

  it('a hold from the service, or its failure, holds the comment', async () => {
    assert.equal((await run('/hold')).decision, 'pending');
    const failed = await run('/error', { settings: { premoderateAll: true } });
    assert.equal(failed.decision, 'pending');
    assert.equal(failed.decidedBy, 'external');
    assert.deepEqual(
      failed.reasons.map((r) => r.code),
      ['EXTERNAL_UNAVAILABLE', 'PREMOD_SITE'],
    );
  });

  it('is not consulted for comments refused or rejected earlier', async () => {
    const refused = await run('/approve', { story: { closed: true } });
    assert.equal(refused.refuse?.code, 'STORY_CLOSED');
    const rejected = await run('/approve', {
      body: 'buy at www.spamshop.com now',
      settings: { links: { holdLinks: false, allowDomains: [], denyDomains: ['spamshop.com'] } },
    });
    assert.equal(rejected.decision, 'rejected');
    assert.equal(rejected.decidedBy, 'links');
    assert.equal(received.length, 0);
  });

  it('without a service dependency, external settings are ignored', async () => {
    const outcome = await moderate(
      moderationPhases(),
      input({ settings: { external: external('/reject') } }),
    );
    assert.equal(outcome.decision, 'approved');
    assert.equal(received.length, 0);
  });
});
