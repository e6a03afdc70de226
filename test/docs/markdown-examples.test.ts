/**
 * The reader of the documentation's HTTP examples and its rule for answers (./markdown-examples.ts):
 * what it takes from Markdown, and that it finds each kind of difference, so that
 * test/docs/examples.test.ts passing means the docs agree with the server.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareJson,
  fillJson,
  fillText,
  mentionedRoutes,
  readExamples,
  templateMatches,
  type Bindings,
} from './markdown-examples.ts';

const fence = '```';
const markdown = `# A page

Sign up:

${fence}http
POST /api/v1/auth/signup
Content-Type: application/json

{ "email": "rana@example.com" }
${fence}

${fence}http
HTTP/1.1 202 Accepted

{ "status": "verification_sent" }
${fence}

- In a list:

  <!-- example: not-run (needs a provider) -->

  ${fence}http
  GET /api/v1/auth/oidc/start?siteId={siteId}
  ${fence}

  ${fence}http
  HTTP/1.1 302 Found
  ${fence}

${fence}json
{ "not": "an example" }
${fence}

| method | path           |
| ------ | -------------- |
| POST   | \`/auth/login\` |

Also \`DELETE /comments/:id\`, and \`GET /sites/{siteId}/brand?x=1\` (not \`GET\` alone).
`;

describe('reading examples from Markdown', () => {
  it('takes each request with the answer that follows it, and the reason one is not run', () => {
    const examples = readExamples('docs/page.md', markdown);
    assert.equal(examples.length, 2);
    const [signup, oidc] = examples;
    assert.equal(signup!.line, 5);
    assert.equal(signup!.request.start, 'POST /api/v1/auth/signup');
    assert.deepEqual(signup!.request.headers, [['Content-Type', 'application/json']]);
    assert.equal(signup!.request.body, '{ "email": "rana@example.com" }');
    assert.equal(signup!.response.start, 'HTTP/1.1 202 Accepted');
    assert.equal(signup!.response.body, '{ "status": "verification_sent" }');
    assert.equal(signup!.notRun, undefined);
    assert.equal(oidc!.request.start, 'GET /api/v1/auth/oidc/start?siteId={siteId}');
    assert.equal(oidc!.notRun, 'needs a provider');
  });

  it('refuses a request without its answer', () => {
    const alone = `${fence}http\nGET /healthz\n${fence}\n\n${fence}json\n{}\n${fence}\n`;
    assert.throws(() => readExamples('docs/x.md', alone), /docs\/x\.md:1: GET \/healthz/);
  });

  it('finds the routes named in text and tables', () => {
    assert.deepEqual(mentionedRoutes(markdown), [
      { method: 'DELETE', path: '/comments/:id' },
      { method: 'GET', path: '/sites/{siteId}/brand' },
      { method: 'POST', path: '/auth/login' },
    ]);
  });
});

describe('filling placeholders', () => {
  const bindings: Bindings = new Map<string, unknown>([
    ['storyId', 'S1'],
    ['limit', 5],
  ]);

  it('puts known values in text and JSON, and refuses unknown ones', () => {
    assert.equal(fillText('/stories/{storyId}?q={storyId}', bindings), '/stories/S1?q=S1');
    assert.deepEqual(fillJson({ id: '{storyId}', n: '{limit}', s: 'at {limit}' }, bindings), {
      id: 'S1',
      n: 5,
      s: 'at 5',
    });
    assert.throws(() => fillText('{commentId}', bindings), /\{commentId\} is neither seeded/);
  });
});

describe('comparing an answer with the documented one', () => {
  const compare = (documented: unknown, actual: unknown, bindings: Bindings = new Map()) =>
    compareJson(documented, actual, bindings);

  it('accepts the same shape and values', () => {
    assert.deepEqual(compare({ a: 'x', b: [true, null] }, { a: 'x', b: [true, null] }), []);
  });

  it('names missing and undocumented keys, and values that differ', () => {
    assert.deepEqual(compare({ a: 1, b: 'x' }, { b: 'y', c: 2 }), [
      '$.a: documented, not answered',
      '$.b: documented "x", answered "y"',
      '$.c: answered 2, not documented',
    ]);
    assert.deepEqual(compare({ a: { b: [false] } }, { a: { b: [true] } }), [
      '$.a.b[0]: documented false, answered true',
    ]);
    assert.deepEqual(compare({ a: null }, { a: 'x' }), ['$.a: documented null, answered "x"']);
    assert.deepEqual(compare([1], [1, 2]), ['$: documented 1 items, answered 2: [1,2]']);
  });

  it('compares whole numbers, and takes any number for one with a fraction', () => {
    assert.deepEqual(compare({ n: 3600 }, { n: 900 }), ['$.n: documented 3600, answered 900']);
    assert.deepEqual(compare({ score: 0.93 }, { score: 0.2 }), []);
    assert.deepEqual(compare({ score: 0.93 }, { score: '0.93' }), [
      '$.score: documented 0.93, answered "0.93"',
    ]);
  });

  it('takes any time for a time, and any text for …', () => {
    assert.deepEqual(
      compare({ at: '2026-03-02T09:14:07.498Z' }, { at: '2027-01-01T00:00:00Z' }),
      [],
    );
    assert.deepEqual(compare({ day: '2026-03-02' }, { day: '2027-12-31' }), []);
    assert.deepEqual(compare({ at: '2026-03-02T09:14:07.498Z' }, { at: 'soon' }), [
      '$.at: documented a date or time, answered "soon"',
    ]);
    assert.deepEqual(compare({ key: 'pk_…' }, { key: 'pk_abc' }), []);
    assert.deepEqual(compare({ key: 'pk_…' }, { key: 'sk_abc' }), [
      '$.key: documented "pk_…", answered "sk_abc"',
    ]);
  });

  it('lets an object with "…" hold more keys, and an array ending in "…" more items', () => {
    assert.deepEqual(compare({ a: 1, '…': '…' }, { a: 1, b: 2 }), []);
    assert.deepEqual(compare({ a: 1, '…': '…' }, { b: 2 }), ['$.a: documented, not answered']);
    assert.deepEqual(compare([1, '…'], [1, 2, 3]), []);
    assert.deepEqual(compare([1, 2, '…'], [1]), ['$: documented 2 or more items, answered 1: [1]']);
  });

  it('binds a placeholder to what is answered, then holds it to that value', () => {
    const bindings: Bindings = new Map();
    assert.deepEqual(compare({ id: '{storyId}' }, { id: 'S1' }, bindings), []);
    assert.equal(bindings.get('storyId'), 'S1');
    assert.deepEqual(compare({ story: '{storyId}' }, { story: 'S2' }, bindings), [
      '$.story: documented {storyId} = "S1", answered "S2"',
    ]);
    assert.deepEqual(compare({ url: '/s/{storyId}/{part}' }, { url: '/s/S1/c' }, bindings), []);
    assert.equal(bindings.get('part'), 'c');
  });
});

describe('matching paths with OpenAPI templates', () => {
  it('lets a template parameter stand for a value or a placeholder of any name', () => {
    assert.ok(templateMatches('/api/v1/stories/{storyId}', '/api/v1/stories/{id}'));
    assert.ok(templateMatches('/api/v1/admin/queues/{queue}', '/api/v1/admin/queues/pending'));
    assert.ok(!templateMatches('/api/v1/stories/{storyId}', '/api/v1/stories/{id}/comments'));
    assert.ok(!templateMatches('/api/v1/stories/{storyId}/comments', '/api/v1/comments/x'));
  });
});
