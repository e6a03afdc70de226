/**
 * The documentation agrees with the server: every HTTP example in docs/*.md (the format is in
 * ./markdown-examples.ts) is sent, in order, file by file, to one Parley listening on a port, on
 * SQLite, and answers with the documented status, headers and JSON
 * shape. Each example's route must be in the OpenAPI document (or, outside /api, be served), and
 * every `METHOD /path` the docs name in their text and tables must be served.
 *
 * Placeholders the examples may use without an earlier answer giving them: `{siteId}` (a site whose
 * allowed origin is https://news.example), `{adminToken}`, `{moderatorToken}` and `{moderatorId}`
 * (a moderator of that site), `{readerToken}` and `{readerId}` (a confirmed reader, Ada Reader),
 * `{otherReaderToken}` and `{otherReaderId}` (another, Ben Reader), `{today}` (the UTC date), and
 * `{mailedToken}`: the token in the link of the latest mail Parley queued.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Classifier } from '../../src/domain/moderation/phases/classifier.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  compareJson,
  fillJson,
  fillText,
  matchesText,
  mentionedRoutes,
  readExamples,
  requestLine,
  statusLine,
  templateMatches,
  type Bindings,
  type DocExample,
} from './markdown-examples.ts';

const DOCS = new URL('../../docs/', import.meta.url);
/** Examples marked not-run (they need an SMTP server, an identity provider, time to pass). */
const MOST_NOT_RUN = 5;
/** Fewer examples found than this means the parser lost them. */
const FEWEST_EXAMPLES = 140;

const files = readdirSync(DOCS)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => {
    const markdown = readFileSync(new URL(name, DOCS), 'utf8');
    return { name, markdown, examples: readExamples(`docs/${name}`, markdown) };
  });
const examples = files.flatMap((file) => file.examples);
const notRun = examples.filter((example) => example.notRun !== undefined);

/**
 * Scores "idiot" as toxic and insulting and anything else as harmless, so that the examples do not
 * change when the shipped model is retrained.
 */
const insultClassifier: Classifier = {
  classify(text) {
    const insult = /\bidiot\b/i.test(text);
    const score = (high: number) => (insult ? high : 0.02);
    return {
      scores: {
        toxicity: score(0.91),
        severe_toxicity: score(0.12),
        identity_attack: score(0.03),
        insult: score(0.88),
        profanity: score(0.04),
        threat: score(0.02),
        spam: score(0.02),
      },
      language: 'en',
      model: 'docs-insults',
    };
  },
};

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

describe("the documentation's HTTP examples", () => {
  let app: TestApp;
  let origin: string;
  let openApi: { paths: Record<string, Record<string, unknown>> };
  const seeds: Bindings = new Map();

  before(async () => {
    app = await createTestApp(
      'sqlite',
      { PARLEY_WRITE_RATE_LIMIT: '10000', PARLEY_AUTH_RATE_LIMIT: '10000' },
      { classifier: insultClassifier },
    );
    await app.app.listen({ host: '127.0.0.1', port: 0 });
    origin = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
    openApi = app.app.swagger() as typeof openApi;

    const adminToken = await app.admin();
    const reader = await app.signup('Ada Reader');
    const otherReader = await app.signup('Ben Reader');
    const moderator = await app.signup('Mo Moderator');
    const promoted = await app.request({
      method: 'PUT',
      url: `/api/v1/admin/users/${moderator.id}/role`,
      token: adminToken,
      body: { role: 'moderator', siteIds: [app.site.id] },
    });
    assert.equal(promoted.status, 200, promoted.text);
    Object.entries({
      siteId: app.site.id,
      adminToken,
      moderatorToken: moderator.token,
      moderatorId: moderator.id,
      readerToken: reader.token,
      readerId: reader.id,
      otherReaderToken: otherReader.token,
      otherReaderId: otherReader.id,
      today: new Date().toISOString().slice(0, 10),
    }).forEach(([name, value]) => seeds.set(name, value));
  });

  after(async () => {
    await app.close();
  });

  /** The token in the link of the latest mail queued (admins read held mail in the dashboard). */
  async function latestMailedToken(): Promise<string> {
    const token = seeds.get('adminToken') as string;
    const list = await app.request({ method: 'GET', url: '/api/v1/admin/mail', token });
    for (const { id } of list.json.items as { id: string }[]) {
      const mail = await app.request({ method: 'GET', url: `/api/v1/admin/mail/${id}`, token });
      const link = /[?&]token=([\w-]+)/.exec(mail.json.text as string);
      if (link) return link[1]!;
    }
    throw new Error('no mail with a link was queued');
  }

  function isDocumentedRoute(method: string, path: string): boolean {
    const operations = Object.entries(openApi.paths).filter(([template]) =>
      templateMatches(template, path),
    );
    return operations.some(([, operation]) => method.toLowerCase() in operation);
  }

  /** A route the server has, hidden from the OpenAPI document or not (not the dashboard's pages). */
  function isServedRoute(method: string, path: string): boolean {
    if (path.startsWith('/api/v1/') && isDocumentedRoute(method, path)) return true;
    const url = path.replace(/\{[^}]+\}|(?<=\/):\w+/g, 'x1');
    const found = app.app.findRoute({ method: method as 'GET', url });
    return found !== null && !('*' in (found.params ?? {}));
  }

  async function send(example: DocExample, bindings: Bindings): Promise<Answer> {
    const { method, target } = requestLine(example);
    const headers = new Headers(
      example.request.headers.map(([name, value]): [string, string] => [
        name,
        fillText(value, bindings),
      ]),
    );
    let body: string | undefined;
    if (example.request.body) {
      const json = (headers.get('content-type') ?? '').startsWith('application/json');
      body = json
        ? JSON.stringify(fillJson(JSON.parse(example.request.body), bindings))
        : fillText(example.request.body, bindings);
    }
    const response = await fetch(origin + fillText(target, bindings, encodeURIComponent), {
      method,
      headers,
      ...(body !== undefined && { body }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** What in the answer differs from the example's. */
  function differences(example: DocExample, answer: Answer, bindings: Bindings): string[] {
    const { status, reason } = statusLine(example);
    const found: string[] = [];
    if (reason !== STATUS_CODES[status]) {
      found.push(`status line: ${status} is "${STATUS_CODES[status]}", not "${reason}"`);
    }
    if (answer.status !== status) {
      return [...found, `status: documented ${status}, answered ${answer.status}: ${answer.text}`];
    }
    for (const [name, value] of example.response.headers) {
      const actual = answer.headers.get(name);
      const matches =
        actual !== null &&
        (name.toLowerCase() === 'content-type'
          ? actual.split(';')[0] === value.split(';')[0]
          : matchesText(value, actual, bindings));
      if (!matches) found.push(`header ${name}: documented "${value}", answered "${actual}"`);
    }
    const documented = example.response.body;
    if (!documented) {
      if (answer.text) found.push(`body: documented none, answered ${answer.text.slice(0, 200)}`);
    } else if (/^[[{]/.test(documented)) {
      let actual: unknown;
      try {
        actual = JSON.parse(answer.text);
      } catch {
        return [...found, `body: documented JSON, answered ${answer.text.slice(0, 200)}`];
      }
      found.push(...compareJson(JSON.parse(documented), actual, bindings));
    } else if (!matchesText(documented, answer.text.replace(/\r\n/g, '\n').trim(), bindings)) {
      found.push(`body: documented "${documented}", answered "${answer.text.slice(0, 300)}"`);
    }
    return found;
  }

  it(`are many, and at most ${MOST_NOT_RUN} are not run`, () => {
    assert.ok(examples.length >= FEWEST_EXAMPLES, `only ${examples.length} examples found`);
    assert.ok(
      notRun.length <= MOST_NOT_RUN,
      `${notRun.length} examples not run: ${notRun.map((e) => `${e.file}:${e.line}`).join(', ')}`,
    );
  });

  for (const file of files) {
    describe(file.name, () => {
      const bindings: Bindings = new Map();
      before(() => seeds.forEach((value, name) => bindings.set(name, value)));

      for (const example of file.examples) {
        const title = `${example.file}:${example.line} ${example.request.start}`;
        it(title, { skip: example.notRun }, async () => {
          const { method, target } = requestLine(example);
          const path = target.split('?')[0]!;
          const inOpenApi = path.startsWith('/api/')
            ? isDocumentedRoute(method, path)
            : isServedRoute(method, path);
          assert.ok(inOpenApi, `${title}: no such route in the OpenAPI document`);

          if (/\{mailedToken\}/.test(example.request.body + target)) {
            bindings.set('mailedToken', await latestMailedToken());
          }
          // Notifications, alerts and webhook deliveries are made from what has happened so far.
          await app.dispatcher.drain();
          const answer = await send(example, bindings);
          const found = differences(example, answer, bindings);
          if (found.length > 0) {
            assert.fail(
              `${title} answers otherwise:\n  ${found.join('\n  ')}\n` +
                `The whole answer: ${answer.status} ${answer.text.slice(0, 4000)}`,
            );
          }
        });
      }

      it('names only routes the server has', () => {
        const missing = mentionedRoutes(file.markdown).filter(
          ({ method, path }) =>
            !isServedRoute(method, path) && !isServedRoute(method, `/api/v1${path}`),
        );
        assert.deepEqual(missing, []);
      });
    });
  }
});
