/**
 * Broken and hostile input on every engine. Each request gets a clear 4xx with a stable error code
 * (never a 500), nothing is stored, and the server keeps answering. Legitimate text in any script
 * gets through unchanged, and what commenters write never turns into executable markup.
 * Rate limits (per user for writes, per IP for log-in) are checked on apps with small limits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeCursor } from '../../src/domain/thread.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

/** Well-formed (26 characters, Crockford base32) but never issued. */
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const MAX_COMMENT_LENGTH = 5000;
const BODY_LIMIT_BYTES = 64 * 1024;

interface Account {
  token: string;
  id: string;
  email: string;
}

function assertError(response: ApiResponse, status: number, code: string, label = ''): void {
  const context = `${label} → ${response.status} ${response.text.slice(0, 300)}`;
  assert.equal(response.status, status, context);
  assert.equal(response.json?.error?.code, code, context);
  assert.equal(typeof response.json.error.message, 'string', context);
}

const jsonBody = (body: string): string => JSON.stringify({ body });
const utf8Body = (bytes: number[]): Buffer =>
  Buffer.concat([Buffer.from('{"body":"bad '), Buffer.from(bytes), Buffer.from(' bytes"}')]);
const base64url = (text: string): string => Buffer.from(text).toString('base64url');
const escapeText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// --- What "safe HTML" means for a comment -------------------------------------------------------

const ALLOWED_TAGS = new Set(['p', 'br', 'em', 'strong', 'a', 'blockquote', 'code', 'pre']);
const ALLOWED_ATTRIBUTES = new Set(['href', 'rel', 'target']);
const LINK_REL = 'nofollow ugc noopener';

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&colon;/gi, ':')
    .replace(/&amp;/gi, '&');
}

function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const pattern = /\s([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;
  for (const [, name = '', value = ''] of tag.matchAll(pattern)) {
    attributes.set(name.toLowerCase(), decodeEntities(value.replace(/^["']|["']$/g, '')));
  }
  return attributes;
}

/**
 * Markup typed by a commenter is escaped, so every literal `<` in the html starts a tag the
 * renderer made: only allow-listed tags, no event handlers, links only to http(s) or mailto and
 * always with rel="nofollow ugc noopener".
 */
function assertSafeHtml(html: string, source: string): void {
  const context = `${JSON.stringify(source)} rendered as ${html}`;
  assert.doesNotMatch(html, /<\s*(img|script|iframe|svg|object|embed|style)\b/i, context);
  for (const [tag] of html.matchAll(/<[^>]*>/g)) {
    const name = /^<\/?([a-z0-9]+)/i.exec(tag)?.[1]?.toLowerCase() ?? '';
    assert.ok(ALLOWED_TAGS.has(name), `tag ${tag} is not allowed: ${context}`);
    if (tag.startsWith('</')) continue;
    const attributes = attributesOf(tag);
    for (const [attribute, value] of attributes) {
      assert.ok(ALLOWED_ATTRIBUTES.has(attribute), `attribute ${attribute} in ${tag}: ${context}`);
      const compact = value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      assert.doesNotMatch(compact, /(javascript|vbscript|data):/, `${tag}: ${context}`);
    }
    if (name === 'a') {
      assert.equal(attributes.get('rel'), LINK_REL, `${tag}: ${context}`);
      const href = attributes.get('href');
      if (href !== undefined) assert.match(href, /^(https?:|mailto:)/i, `${tag}: ${context}`);
    }
  }
}

// --- Tables of cases ----------------------------------------------------------------------------

const MALFORMED_JSON: Array<[string, string]> = [
  ['an unterminated object', '{"body": "x"'],
  ['unquoted keys', '{body: "x"}'],
  ['single quotes', "{'body': 'x'}"],
  ['a trailing comma', '{"body": "x",}'],
  ['trailing garbage', '{"body": "x"} and more'],
  ['a bare word', 'hello'],
  [
    'nesting deep enough to exhaust a recursive parser',
    `{"body":${'['.repeat(30_000)}${']'.repeat(30_000)}}`,
  ],
];

const EMPTY_BODIES: Array<[string, string]> = [
  ['an empty body', ''],
  ['a whitespace-only body', '  \n '],
];

const MISSING_FIELDS: Array<[string, string]> = [
  ['an empty object', '{}'],
  ['only a parentId', `{"parentId":"${UNKNOWN_ID}"}`],
];

const WRONG_TYPES: Array<[string, string]> = [
  ['a number body', '{"body": 5}'],
  ['an array body', '{"body": ["x"]}'],
  ['a null body', '{"body": null}'],
  ['a boolean body', '{"body": true}'],
  ['an object body', '{"body": {"text": "x"}}'],
  ['a number parentId', '{"body": "x", "parentId": 5}'],
  ['a top-level array', '["x"]'],
  ['a top-level string', '"x"'],
  ['a top-level null', 'null'],
];

const UNKNOWN_FIELDS: Array<[string, string]> = [
  ['an invented field', '{"body": "x", "extra": 1}'],
  ['a forged author', `{"body": "x", "authorId": "${UNKNOWN_ID}"}`],
  ['a forged status', '{"body": "x", "status": "approved"}'],
  ['forged html', '{"body": "x", "html": "<script>alert(1)</script>"}'],
  [
    'a constructor.prototype pollution attempt',
    '{"body": "x", "constructor": {"prototype": {"polluted": "yes"}}}',
  ],
];

const EMPTY_TEXTS: Array<[string, string]> = [
  ['spaces', '     '],
  ['spaces, tabs and newlines', ' \n\t \r\n '],
  ['one zero-width space', '\u200B'],
  ['a zero-width space between spaces', '  \u200B  '],
  ['a byte-order mark', '\uFEFF'],
  ['an ideographic space', '\u3000'],
];

/** Raw JSON bodies, so escapes such as a lone surrogate arrive exactly as a client could send them. */
const DECEPTIVE_UNICODE: Array<[string, string]> = [
  ['a bidi override U+202E', jsonBody('invoice\u202Efdp.exe')],
  ['a bidi isolate U+2066', jsonBody('a \u2066hidden\u2069 b')],
  ['an embedding U+202A', jsonBody('a \u202Ab')],
  ['a run of zero-width spaces', jsonBody('pay\u200B\u200Bpal')],
  ['zero-width joiner and non-joiner in a run', jsonBody('a\u200D\u200Cb')],
  [
    'tag characters outside a flag',
    jsonBody('hello \u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}'),
  ],
  ['a lone high surrogate "\\ud800"', '{"body":"broken \\ud800 half"}'],
  ['a lone low surrogate "\\udc00"', '{"body":"broken \\udc00 half"}'],
  ['a C0 control character (BEL)', '{"body":"ring \\u0007 the bell"}'],
  ['a NUL character', '{"body":"nul \\u0000 here"}'],
  ['an ANSI escape sequence', '{"body":"\\u001b[31mred\\u001b[0m"}'],
  ['a C1 control character (NEL)', jsonBody('next\u0085line')],
  ['a stack of combining marks (Zalgo)', jsonBody(`Z${'\u0301\u0316\u0347'.repeat(4)}algo`)],
  ['a run of variation selectors', jsonBody('smile\uFE0F\uFE0F\uFE0F')],
];

const LEGITIMATE_TEXTS: Array<[string, string]> = [
  ['Arabic with harakat', 'مَرْحَبًا بِكُمْ فِي النِّقَاشِ'],
  ['Hebrew with niqqud', 'שָׁלוֹם עֲלֵיכֶם'],
  ['a ZWJ emoji family', 'Our family 👨‍👩‍👧 read this'],
  ['a flag tag sequence (Scotland)', 'Go 🏴󠁧󠁢󠁳󠁣󠁴󠁿!'],
  ['an RLM inside mixed Hebrew and Latin text', 'The word \u200Fשלום\u200F means peace'],
  ['Chinese', '北京会谈取得进展，双方同意继续对话。'],
  ['Persian with a ZWNJ', 'می‌خواهم بدانم'],
  ['a single emoji with its variation selector', 'I ❤️ this'],
];

const INVALID_UTF8: Array<[string, number[]]> = [
  ['a truncated two-byte sequence (0xC3 0x28)', [0xc3, 0x28]],
  ['the byte 0xFF', [0xff]],
  ['an overlong encoding of "/" (0xC0 0xAF)', [0xc0, 0xaf]],
  ['a surrogate encoded as UTF-8 (0xED 0xA0 0x80)', [0xed, 0xa0, 0x80]],
  ['a lone continuation byte (0x80)', [0x80]],
];

const SQL_LOOKING: string[] = [
  "'); DROP TABLE comments; --",
  "Robert'); DROP TABLE stories;--",
  '" OR "1"="1',
  "' UNION SELECT password_hash FROM users WHERE '1'<>'2",
  '1; DELETE FROM users WHERE 1=1 -- & goodbye',
];

const XSS_ATTEMPTS: string[] = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x]( javascript:alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](data:text/html,<script>alert(1)</script>)',
  '[x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '[x](vbscript:msgbox(1))',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="https://ok.example" onclick="steal()">ok</a>',
  '<svg onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<javascript:alert(1)>',
  '[x](https://ok.example/"onmouseover="alert(1))',
  '[x](https://ok.example "title" onmouseover=alert(1))',
  '`<script>alert(1)</script>`',
  '```\n<script>alert(1)</script>\n```',
];

const BAD_AUTHORIZATION: Array<[string, string]> = [
  ['a token too short to be one', 'Bearer x'],
  ['the Basic scheme', 'Basic abc'],
  ['a well-formed token that was never issued', `Bearer ${'A'.repeat(43)}`],
  ['an empty bearer', 'Bearer '],
];

for (const engine of await testEngines()) {
  describe(`bad input (${engine})`, () => {
    let app: TestApp;
    let reader: Account;
    /** The story every refused write aims at; it holds one comment throughout. */
    let story: string;
    let seed: string;

    before(async () => {
      app = await createTestApp(engine, {
        PARLEY_MAX_COMMENT_LENGTH: String(MAX_COMMENT_LENGTH),
        PARLEY_WRITE_RATE_LIMIT: '100000',
        PARLEY_AUTH_RATE_LIMIT: '1000',
      });
      reader = await app.signup('Reader');
      story = await app.story();
      const posted = await app.post(story, reader.token, 'the only comment');
      assert.equal(posted.status, 201, posted.text);
      seed = posted.json.comment.id;
    });
    after(async () => app.close());

    const commentsUrl = (storyId: string) => `/api/v1/stories/${storyId}/comments`;
    const postRaw = (raw: string | Buffer, headers?: Record<string, string>) =>
      app.request({ method: 'POST', url: commentsUrl(story), token: reader.token, raw, headers });

    /** What a refused write must leave as it was. */
    async function snapshot() {
      const shown = await app.request({ method: 'GET', url: `/api/v1/stories/${story}` });
      // Signed in, so the page is read from the database rather than any cache for anonymous readers.
      const listed = await app.request({
        method: 'GET',
        url: `${commentsUrl(story)}?limit=100`,
        token: reader.token,
      });
      const rows = await app.store.db
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return {
        commentCount: shown.json.story.commentCount as number,
        listed: listed.json.comments.map((c: { id: string; html: string }) => [c.id, c.html]),
        rowsInTable: Number(rows.n),
      };
    }

    async function assertAlive(): Promise<void> {
      const health = await app.request({ method: 'GET', url: '/healthz' });
      assert.equal(health.status, 200, 'the server still answers');
    }

    async function expectRefused(
      label: string,
      send: () => Promise<ApiResponse>,
      status: number,
      code: string,
    ): Promise<ApiResponse> {
      const before = await snapshot();
      const response = await send();
      assertError(response, status, code, label);
      assert.deepEqual(await snapshot(), before, `${label}: nothing was stored`);
      await assertAlive();
      return response;
    }

    it('starts from a story with exactly one comment', async () => {
      const state = await snapshot();
      assert.equal(state.commentCount, 1);
      assert.deepEqual(
        state.listed.map(([id]: [string]) => id),
        [seed],
      );
    });

    describe('JSON syntax and shape', () => {
      for (const [name, raw] of MALFORMED_JSON) {
        it(`refuses ${name} with 400 MALFORMED_JSON`, async () => {
          await expectRefused(name, () => postRaw(raw), 400, 'MALFORMED_JSON');
        });
      }

      for (const [name, raw] of EMPTY_BODIES) {
        it(`refuses ${name} sent as application/json with 400 MALFORMED_JSON`, async () => {
          await expectRefused(name, () => postRaw(raw), 400, 'MALFORMED_JSON');
        });
      }

      it('refuses a POST with no body at all with 400 VALIDATION_FAILED', async () => {
        const send = () =>
          app.request({ method: 'POST', url: commentsUrl(story), token: reader.token });
        await expectRefused('no body', send, 400, 'VALIDATION_FAILED');
      });

      for (const [name, raw] of WRONG_TYPES) {
        it(`refuses ${name} with 400 VALIDATION_FAILED`, async () => {
          await expectRefused(name, () => postRaw(raw), 400, 'VALIDATION_FAILED');
        });
      }

      for (const [name, raw] of UNKNOWN_FIELDS) {
        it(`refuses ${name} (an unknown field) with 400 VALIDATION_FAILED`, async () => {
          const response = await expectRefused(name, () => postRaw(raw), 400, 'VALIDATION_FAILED');
          assert.match(response.json.error.message, /Unknown field/);
        });
      }

      for (const [name, raw] of MISSING_FIELDS) {
        it(`refuses ${name} (body missing) with 400 VALIDATION_FAILED naming the field`, async () => {
          const response = await expectRefused(name, () => postRaw(raw), 400, 'VALIDATION_FAILED');
          assert.match(response.json.error.message, /Missing field "body"/);
        });
      }
    });

    describe('sizes', () => {
      it('refuses a body over 64 KB with 413 BODY_TOO_LARGE', async () => {
        const raw = jsonBody('a'.repeat(BODY_LIMIT_BYTES + 1));
        await expectRefused('70 KB of ASCII', () => postRaw(raw), 413, 'BODY_TOO_LARGE');
      });

      it('measures the body limit in bytes, not characters', async () => {
        const raw = jsonBody('é'.repeat(40_000));
        assert.ok(raw.length < BODY_LIMIT_BYTES && Buffer.byteLength(raw) > BODY_LIMIT_BYTES);
        await expectRefused(
          '40 000 two-byte characters',
          () => postRaw(raw),
          413,
          'BODY_TOO_LARGE',
        );
      });

      it('refuses a comment over the length limit (but under the body limit) with TEXT_TOO_LONG', async () => {
        for (const text of ['a'.repeat(MAX_COMMENT_LENGTH + 1), 'a'.repeat(60_000)]) {
          assert.ok(Buffer.byteLength(jsonBody(text)) < BODY_LIMIT_BYTES);
          const response = await expectRefused(
            `${text.length} characters`,
            () => postRaw(jsonBody(text)),
            400,
            'TEXT_TOO_LONG',
          );
          assert.match(response.json.error.message, new RegExp(`limit is ${MAX_COMMENT_LENGTH}`));
        }
      });

      it('counts the comment length in code points, so 5000 emoji fit and 5001 do not', async () => {
        const fits = '😀'.repeat(MAX_COMMENT_LENGTH);
        assert.equal(fits.length, 2 * MAX_COMMENT_LENGTH, 'two UTF-16 units each');
        const other = await app.story();
        const accepted = await app.post(other, reader.token, fits);
        assert.equal(accepted.status, 201, accepted.text);
        assert.equal(accepted.json.comment.body, fits);
        await expectRefused(
          '5001 emoji',
          () => postRaw(jsonBody(`${fits}😀`)),
          400,
          'TEXT_TOO_LONG',
        );
      });
    });

    describe('text content', () => {
      for (const [name, text] of EMPTY_TEXTS) {
        it(`refuses a comment of only ${name} with 400 EMPTY_TEXT`, async () => {
          await expectRefused(name, () => postRaw(jsonBody(text)), 400, 'EMPTY_TEXT');
        });
      }

      for (const [name, bytes] of INVALID_UTF8) {
        it(`refuses a body containing ${name} with 400 INVALID_UTF8`, async () => {
          await expectRefused(name, () => postRaw(utf8Body(bytes)), 400, 'INVALID_UTF8');
        });
      }

      for (const [name, raw] of DECEPTIVE_UNICODE) {
        it(`refuses ${name} with 400 INVALID_UNICODE`, async () => {
          await expectRefused(name, () => postRaw(raw), 400, 'INVALID_UNICODE');
        });
      }

      for (const [name, text] of LEGITIMATE_TEXTS) {
        it(`accepts ${name} and stores it verbatim`, async () => {
          const other = await app.story();
          const posted = await app.post(other, reader.token, text);
          assert.equal(posted.status, 201, posted.text);
          assert.equal(posted.json.comment.body, text);
          assert.equal(posted.json.comment.html, `<p>${text}</p>`);
          const listed = await app.request({ method: 'GET', url: commentsUrl(other) });
          assert.equal(listed.json.comments[0].html, `<p>${text}</p>`);
          assert.equal(listed.json.story.commentCount, 1);
        });
      }

      it('applies the same checks when a comment is edited, leaving it unchanged', async () => {
        const edits: Array<[string, string, string]> = [
          ['a bidi override', 'evil\u202Etxt', 'INVALID_UNICODE'],
          ['only whitespace', ' \n ', 'EMPTY_TEXT'],
          ['too long', 'a'.repeat(MAX_COMMENT_LENGTH + 1), 'TEXT_TOO_LONG'],
        ];
        for (const [name, text, code] of edits) {
          const send = () =>
            app.request({
              method: 'PATCH',
              url: `/api/v1/comments/${seed}`,
              token: reader.token,
              body: { body: text },
            });
          await expectRefused(`edit with ${name}`, send, 400, code);
        }
      });

      it('applies the Unicode checks to display names at sign-up, creating no account', async () => {
        const names: Array<[string, string]> = [
          ['a bidi override', 'Admin\u202Enimda'],
          ['a newline', 'Two\nLines'],
          ['a run of zero-width spaces', 'Rana\u200B\u200B'],
        ];
        for (const [index, [name, displayName]] of names.entries()) {
          const email = `unicode.${index}.${Date.now()}@example.com`;
          const response = await app.request({
            method: 'POST',
            url: '/api/v1/auth/signup',
            body: { displayName, email, password: 'a long enough password' },
          });
          assertError(response, 400, 'INVALID_UNICODE', name);
          const stored = await app.store.db
            .selectFrom('users')
            .select('id')
            .where('email', '=', email)
            .execute();
          assert.deepEqual(stored, [], `${name}: no account created`);
        }
      });
    });

    describe('ids, cursors and routes', () => {
      it('answers a well-formed but unknown story id with 404 STORY_NOT_FOUND', async () => {
        for (const url of [`/api/v1/stories/${UNKNOWN_ID}`, commentsUrl(UNKNOWN_ID)]) {
          assertError(await app.request({ method: 'GET', url }), 404, 'STORY_NOT_FOUND', url);
        }
        const send = () => app.post(UNKNOWN_ID, reader.token, 'into the void');
        await expectRefused('post to unknown story', send, 404, 'STORY_NOT_FOUND');
      });

      for (const id of [
        "' OR 1=1 --",
        '../../etc',
        '01arz3ndektsv4rrffq69g5fav',
        'short',
        `${UNKNOWN_ID}X`,
      ]) {
        it(`refuses the malformed story id ${JSON.stringify(id)} with 400 VALIDATION_FAILED`, async () => {
          const encoded = encodeURIComponent(id);
          for (const url of [`/api/v1/stories/${encoded}`, commentsUrl(encoded)]) {
            assertError(await app.request({ method: 'GET', url }), 400, 'VALIDATION_FAILED', url);
          }
          const send = () => app.post(encoded, reader.token, 'sneaky');
          await expectRefused(`post to ${id}`, send, 400, 'VALIDATION_FAILED');
        });
      }

      const unroutable: Array<[string, string]> = [
        ['an id longer than the router accepts', commentsUrl('A'.repeat(300))],
        ['a path that is not valid percent-encoding', '/api/v1/stories/%E0%A4%A/comments'],
      ];
      for (const [name, url] of unroutable) {
        it(`answers ${name} with 400 VALIDATION_FAILED in the Parley error shape`, async () => {
          assertError(await app.request({ method: 'GET', url }), 400, 'VALIDATION_FAILED', name);
          await assertAlive();
        });
      }

      it('refuses bad cursors with 400 INVALID_CURSOR', async () => {
        const paged = await app.story();
        const first = (await app.post(paged, reader.token, 'one')).json.comment.id as string;
        await app.post(paged, reader.token, 'two');
        const newest = await app.request({
          method: 'GET',
          url: `${commentsUrl(paged)}?sort=newest&limit=1`,
        });
        const newestCursor = newest.json.nextCursor as string;
        assert.ok(newestCursor, 'a real cursor to misuse');
        const control = await app.request({
          method: 'GET',
          url: `${commentsUrl(paged)}?sort=newest&limit=1&cursor=${newestCursor}`,
        });
        assert.equal(control.status, 200, 'the cursor works with its own sort');

        const cases: Array<[string, string, string]> = [
          ['garbage', 'newest', 'not-a-cursor!!'],
          ['base64 of text that is not JSON', 'newest', base64url('hello world')],
          ['base64 of a JSON object', 'newest', base64url('{"sort":"newest","id":"x"}')],
          [
            'base64 of an array with an injected id',
            'newest',
            base64url(`["newest",null,"' OR 1=1 --"]`),
          ],
          [
            'a count cursor with a fractional key',
            'replies',
            base64url(`["replies",1.5,"${UNKNOWN_ID}"]`),
          ],
          ['a newest cursor used with sort=oldest', 'oldest', newestCursor],
          ['a newest cursor used with sort=reactions', 'reactions', newestCursor],
          [
            'an oldest cursor used with sort=replies',
            'replies',
            encodeCursor({ sort: 'oldest', key: null, id: first }),
          ],
        ];
        for (const [name, sort, cursor] of cases) {
          const url = `${commentsUrl(paged)}?sort=${sort}&cursor=${encodeURIComponent(cursor)}`;
          assertError(await app.request({ method: 'GET', url }), 400, 'INVALID_CURSOR', name);
        }
        const replies = `/api/v1/comments/${first}/replies?cursor=${newestCursor}`;
        assertError(
          await app.request({ method: 'GET', url: replies }),
          400,
          'INVALID_CURSOR',
          'replies',
        );
        await assertAlive();
      });

      it('refuses values PostgreSQL could not take with a 4xx, not a 500', async () => {
        const paged = await app.story();
        const huge = base64url(`["replies",${2 ** 31},"${UNKNOWN_ID}"]`);
        assertError(
          await app.request({
            method: 'GET',
            url: `${commentsUrl(paged)}?sort=replies&cursor=${huge}`,
          }),
          400,
          'INVALID_CURSOR',
          'a count beyond 32 bits',
        );
        assertError(
          await app.request({ method: 'GET', url: `${commentsUrl(paged)}?sort=newest%00` }),
          400,
          'INVALID_UNICODE',
          'NUL in the query',
        );
        const signup = await app.request({
          method: 'POST',
          url: '/api/v1/auth/signup',
          body: { name: 'Nul', email: 'nul\u0000@example.com', password: 'long enough pw' },
        });
        assertError(signup, 400, 'INVALID_UNICODE', 'NUL in an email address');
        // Under the 2000-character input limit, but percent-encoding makes it six times longer.
        const resolve = await app.request({
          method: 'POST',
          url: '/api/v1/stories/resolve',
          body: { url: `https://news.example/${'é'.repeat(1900)}`, storyId: 'long-url' },
        });
        assertError(resolve, 400, 'INVALID_URL', 'a URL that grows past the limit');
        await assertAlive();
      });

      it('answers unknown routes with a JSON 404 NOT_FOUND', async () => {
        for (const [method, url] of [
          ['GET', '/api/v1/nope'],
          ['POST', '/api/v2/stories/resolve'],
          ['DELETE', '/api/v1/stories'],
          ['GET', '/wp-admin/?x=1'],
        ] as const) {
          const response = await app.request({ method, url });
          assertError(response, 404, 'NOT_FOUND', `${method} ${url}`);
          assert.match(String(response.headers['content-type']), /^application\/json/);
        }
      });
    });

    describe('content types', () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        it(`refuses a ${type} body with 415 UNSUPPORTED_MEDIA_TYPE`, async () => {
          const send = () => postRaw(jsonBody('sent as the wrong type'), { 'content-type': type });
          await expectRefused(type, send, 415, 'UNSUPPORTED_MEDIA_TYPE');
        });
      }

      it('accepts application/json with a charset parameter', async () => {
        const other = await app.story();
        const response = await app.request({
          method: 'POST',
          url: commentsUrl(other),
          token: reader.token,
          raw: jsonBody('with a charset'),
          headers: { 'content-type': 'application/json; charset=utf-8' },
        });
        assert.equal(response.status, 201, response.text);
        assert.equal(response.json.comment.body, 'with a charset');
      });
    });

    describe('authentication', () => {
      for (const [name, header] of BAD_AUTHORIZATION) {
        it(`refuses ${name} in Authorization with 401 UNAUTHENTICATED`, async () => {
          const send = () =>
            app.request({
              method: 'POST',
              url: commentsUrl(story),
              raw: jsonBody('who am I?'),
              headers: { authorization: header },
            });
          await expectRefused(name, send, 401, 'UNAUTHENTICATED');
          const me = await app.request({
            method: 'GET',
            url: '/api/v1/auth/me',
            headers: { authorization: header },
          });
          assertError(me, 401, 'UNAUTHENTICATED', `${name} on /auth/me`);
        });
      }
    });

    describe('injection', () => {
      it('drops __proto__ from JSON bodies without polluting any prototype', async () => {
        const other = await app.story();
        const posted = await app.request({
          method: 'POST',
          url: commentsUrl(other),
          token: reader.token,
          raw: '{"body":"proto test","__proto__":{"polluted":"yes","status":"pending"}}',
        });
        assert.equal(posted.status, 201, posted.text);
        assert.equal(posted.json.comment.status, 'approved');
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);

        const smuggled = '{"__proto__":{"body":"smuggled through the prototype"}}';
        await expectRefused(
          'body only on __proto__',
          () => postRaw(smuggled),
          400,
          'VALIDATION_FAILED',
        );
      });

      it('cannot become an admin through __proto__ at sign-up', async () => {
        const email = `proto.${Date.now()}@example.com`;
        const response = await app.request({
          method: 'POST',
          url: '/api/v1/auth/signup',
          raw: JSON.stringify({
            displayName: 'Proto',
            email,
            password: 'a long enough password',
          }).replace(/}$/, ',"__proto__":{"role":"admin"}}'),
        });
        assert.equal(response.status, 202, response.text);
        const row = await app.store.db
          .selectFrom('users')
          .select('role')
          .where('email', '=', email)
          .executeTakeFirstOrThrow();
        assert.equal(row.role, 'commenter');
        assert.equal(Object.hasOwn(Object.prototype, 'role'), false);
      });

      it('stores SQL-looking text verbatim and returns it escaped in html', async () => {
        const other = await app.story();
        for (const text of SQL_LOOKING) {
          const posted = await app.post(other, reader.token, text);
          assert.equal(posted.status, 201, posted.text);
          assert.equal(posted.json.comment.body, text);
          assert.equal(posted.json.comment.html, `<p>${escapeText(text)}</p>`);
        }
        const listed = await app.request({
          method: 'GET',
          url: `${commentsUrl(other)}?sort=oldest`,
        });
        assert.deepEqual(
          listed.json.comments.map((c: { html: string }) => c.html),
          SQL_LOOKING.map((text) => `<p>${escapeText(text)}</p>`),
        );
        for (const table of ['users', 'stories', 'comments'] as const) {
          const rows = await app.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow();
          assert.ok(Number(rows.n) > 0, `${table} is still there`);
        }
      });

      for (const attempt of XSS_ATTEMPTS) {
        it(`renders ${JSON.stringify(attempt)} without executable markup`, async () => {
          const other = await app.story();
          const posted = await app.post(other, reader.token, attempt);
          assert.equal(posted.status, 201, posted.text);
          assert.equal(posted.json.comment.body, attempt, 'the source is kept as written');
          assertSafeHtml(posted.json.comment.html, attempt);
          const listed = await app.request({ method: 'GET', url: commentsUrl(other) });
          assert.equal(listed.json.comments[0].html, posted.json.comment.html);
        });
      }

      const links: Array<[string, string, string]> = [
        [
          'a markdown link',
          '[Parley](https://example.com/a?b=1&c=2)',
          'https://example.com/a?b=1&amp;c=2',
        ],
        ['an autolink', '<https://example.com/auto>', 'https://example.com/auto'],
        ['a bare URL', 'see https://example.com/bare for more', 'https://example.com/bare'],
        ['a mailto link', '[write](mailto:desk@news.example)', 'mailto:desk@news.example'],
      ];
      for (const [name, text, href] of links) {
        it(`renders ${name} with rel="${LINK_REL}"`, async () => {
          const posted = await app.post(await app.story(), reader.token, text);
          assert.equal(posted.status, 201, posted.text);
          const html: string = posted.json.comment.html;
          assert.ok(html.includes(`<a href="${href}" rel="${LINK_REL}"`), html);
          assertSafeHtml(html, text);
        });
      }
    });
  });

  describe(`rate limits (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp(engine, {
        PARLEY_WRITE_RATE_LIMIT: '3',
        PARLEY_AUTH_RATE_LIMIT: '3',
      });
    });
    after(async () => app.close());

    function assertRateLimited(response: ApiResponse, label: string): void {
      assertError(response, 429, 'RATE_LIMITED', label);
      const retryAfter = Number(response.headers['retry-after']);
      assert.ok(
        Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60,
        `retry-after ${retryAfter}`,
      );
    }

    it('refuses the fourth comment in a minute with 429 RATE_LIMITED, per user', async () => {
      const story = await app.story();
      const [eager, other] = [await app.signup('Eager'), await app.signup('Other')];
      for (let i = 1; i <= 3; i++) {
        assert.equal((await app.post(story, eager.token, `comment ${i}`)).status, 201);
      }
      assertRateLimited(await app.post(story, eager.token, 'comment 4'), 'fourth comment');
      const shown = await app.request({ method: 'GET', url: `/api/v1/stories/${story}` });
      assert.equal(shown.json.story.commentCount, 3, 'the refused comment was not stored');

      const unaffected = await app.post(story, other.token, 'my first today');
      assert.equal(unaffected.status, 201, 'another user on the same address is not limited');
    });

    it('limits log-in attempts per IP address', async () => {
      // Created directly, so that sign-up's own limit plays no part.
      const email = `target.${Date.now()}@example.com`;
      const password = 'the right password';
      await insertUser(app.store.db, {
        email,
        displayName: 'Target',
        passwordHash: await hashPassword(password),
        role: 'commenter',
      });
      const login = (attempt: string, headers?: Record<string, string>) =>
        app.request({
          method: 'POST',
          url: '/api/v1/auth/login',
          body: { email, password: attempt },
          headers,
        });
      for (let i = 0; i < 3; i++) {
        assertError(await login(`wrong guess ${i}`), 401, 'INVALID_CREDENTIALS');
      }
      assertRateLimited(await login(password), 'fourth attempt, right password');
      assertRateLimited(
        await login(password, { 'x-forwarded-for': '198.51.100.7' }),
        'a forged X-Forwarded-For does not reset the limit (the proxy is not trusted)',
      );

      const elsewhere = await app.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '198.51.100.7',
        payload: { email, password },
      });
      assert.equal(elsewhere.statusCode, 200, 'another address still logs in');
    });
  });
}
