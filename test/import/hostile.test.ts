/**
 * Hostile and broken files given to the importer (issue 15, "Bad input"), run through `runImport`
 * on a fresh database per test, on SQLite and PostgreSQL. What it proves:
 *
 * - Entity bombs and external entities (billion laughs; `SYSTEM "file:///etc/passwd"`; an http
 *   entity and parameter entity pointing at a server of the test's own) fail the run with an error
 *   naming the DOCTYPE and a line: nothing is imported, the file's content is never read into the
 *   database and the URL is never fetched.
 * - An undeclared entity, invalid UTF-8 (the error names the exact byte offset, also when a
 *   character is split between two reads and for sequences only a strict decoder refuses), an
 *   empty file, random bytes, a WordPress file read as Disqus (the message names `<rss>` and
 *   suggests `wordpress`), an element nested 100 deep and a text value of 1,000,001 characters
 *   each fail with a clear message.
 * - A file cut short in the middle of a post after several batches fails saying so; what it
 *   committed is whole batches and consistent (stories exist, stories' comment counts and
 *   comments' reply counts are what the rows say); importing the complete file afterwards gives
 *   every comment exactly once.
 * - Hostile bodies, names, ids and titles (scripts, event handlers, javascript: and data: links,
 *   bidi overrides, control characters, SQL injection strings) are imported as inert text: the
 *   stored HTML holds no script, handler or dangerous scheme, no bidi override or control
 *   character survives, and the injection strings are stored verbatim.
 * - A message longer than 100,000 characters once converted is skipped as invalid, the rest kept.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { findFormat } from '../../src/import/formats/index.ts';
import { runImport, type ImportReport } from '../../src/import/importer.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { createTestDatabase, testEngines, type EngineName } from '../helpers/engines.ts';
import { assertConsistent } from '../helpers/import-consistency.ts';

const ORIGIN = 'https://news.example';

interface Harness {
  store: Store;
  site: Site;
}

/** A fresh database with one site, migrated, handed to `run`, and dropped afterwards. */
async function withSite(engine: EngineName, run: (h: Harness) => Promise<void>): Promise<void> {
  const database = await createTestDatabase(engine);
  const store = openStore(database.config);
  try {
    await migrate(store);
    const site = await insertSite(store.db, {
      name: 'Harbour Gazette',
      allowedOrigins: [ORIGIN],
      editWindowSeconds: 300,
      maxDepth: 3,
    });
    await run({ store, site });
  } finally {
    await store.close();
    await database.drop();
  }
}

function importDisqus(h: Harness, file: string, batchSize?: number): Promise<ImportReport> {
  const format = findFormat('disqus');
  assert.ok(format, 'the disqus format is registered');
  return runImport(h.store, { site: h.site, format, file, batchSize });
}

function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Text as a CDATA section, whatever it holds (a `]]>` is split across two sections). */
function cdata(value: string): string {
  return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

interface ThreadSpec {
  id: string;
  link: string;
  title: string;
}

interface PostSpec {
  id: string;
  thread: string;
  parent?: string;
  /** Raw XML for the message element's content (use cdata() or escapeXml()). */
  messageXml: string;
  /** Raw XML for the author's name. */
  nameXml: string;
  createdAt: string;
}

const XML_HEAD =
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n';

function threadXml(t: ThreadSpec): string {
  return (
    `  <thread dsq:id="${escapeXml(t.id)}">\n` +
    `    <id />\n    <link>${escapeXml(t.link)}</link>\n    <title>${t.title}</title>\n` +
    `    <createdAt>2024-01-01T00:00:00Z</createdAt>\n` +
    `    <isClosed>false</isClosed>\n    <isDeleted>false</isDeleted>\n  </thread>\n`
  );
}

function postXml(p: PostSpec): string {
  return (
    `  <post dsq:id="${escapeXml(p.id)}">\n` +
    `    <id />\n    <message>${p.messageXml}</message>\n` +
    `    <createdAt>${p.createdAt}</createdAt>\n` +
    `    <isDeleted>false</isDeleted>\n    <isSpam>false</isSpam>\n` +
    `    <author><name>${p.nameXml}</name><isAnonymous>true</isAnonymous></author>\n` +
    `    <thread dsq:id="${escapeXml(p.thread)}" />\n` +
    (p.parent ? `    <parent dsq:id="${escapeXml(p.parent)}" />\n` : '') +
    `  </post>\n`
  );
}

function disqusXml(threads: ThreadSpec[], posts: PostSpec[]): string {
  return XML_HEAD + threads.map(threadXml).join('') + posts.map(postXml).join('') + '</disqus>\n';
}

/**
 * A well-formed export of `count` posts over `threadCount` threads, in file order: every reply
 * comes after its parent, in the same thread. Post `i` has source id `p<i>`.
 */
function generatedExport(count: number, threadCount: number): string {
  const threads = Array.from({ length: threadCount }, (_, t) => ({
    id: `t${t}`,
    link: `${ORIGIN}/story/${t}`,
    title: `Story ${t}`,
  }));
  const posts: PostSpec[] = [];
  for (let i = 0; i < count; i++) {
    const thread = i % threadCount;
    // Every third post answers the previous post of its thread, which can nest deeper than the
    // site allows (flattened).
    const previous = i - threadCount;
    posts.push({
      id: `p${i}`,
      thread: `t${thread}`,
      parent: i % 3 === 2 && previous >= 0 ? `p${previous}` : undefined,
      messageXml: cdata(`<p>Comment number ${i}, about story ${thread}.</p>`),
      nameXml: `Reader ${i % 17}`,
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    });
  }
  return disqusXml(threads, posts);
}

async function count(store: Store, table: 'comments' | 'stories' | 'import_sources' | 'users') {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function importedCommentSources(store: Store) {
  const row = await store.db
    .selectFrom('import_sources')
    .select((eb) => [
      eb.fn.countAll<number>().as('rows'),
      eb.fn.count<number>('source_id').distinct().as('sources'),
      eb.fn.count<number>('target_id').distinct().as('targets'),
    ])
    .where('kind', '=', 'comment')
    .executeTakeFirstOrThrow();
  return { rows: Number(row.rows), sources: Number(row.sources), targets: Number(row.targets) };
}

/** Nothing of the file reached the database: no story, comment, imported author or source row. */
async function assertNothingImported(store: Store) {
  assert.equal(await count(store, 'comments'), 0, 'no comment imported');
  assert.equal(await count(store, 'stories'), 0, 'no story created');
  assert.equal(await count(store, 'import_sources'), 0, 'no source recorded');
  const imported = await store.db
    .selectFrom('users')
    .select('id')
    .where('imported_at', 'is not', null)
    .execute();
  assert.deepEqual(imported, [], 'no imported author');
}

/** The run failed, its row says so with the same error, and the error names a line. */
async function assertFailed(h: Harness, report: ImportReport, message: RegExp) {
  assert.equal(report.state, 'failed', `state (error: ${report.error})`);
  assert.ok(report.error, 'an error is reported');
  assert.match(report.error, message);
  assert.ok(report.runId, 'the run was recorded');
  const run = await h.store.db
    .selectFrom('import_runs')
    .select(['state', 'error', 'finished_at'])
    .where('id', '=', report.runId)
    .executeTakeFirstOrThrow();
  assert.equal(run.state, 'failed');
  assert.equal(run.error, report.error);
  assert.ok(run.finished_at, 'the failed run is finished');
}

/** Answers every request, counting them: an entity that was fetched would show here. */
async function startCountingServer(): Promise<{
  url: string;
  requests: () => number;
  close: () => Promise<void>;
}> {
  let requests = 0;
  const server = http.createServer((_request, response) => {
    requests++;
    response.end('FETCHED-BY-THE-IMPORTER');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every text column an import writes people's words into. */
async function storedTexts(store: Store): Promise<string[]> {
  const comments = await store.db.selectFrom('comments').select(['body', 'html']).execute();
  const stories = await store.db.selectFrom('stories').select(['title', 'url']).execute();
  const users = await store.db.selectFrom('users').select('display_name').execute();
  const runs = await store.db.selectFrom('import_runs').select(['report', 'error']).execute();
  return [
    ...comments.flatMap((c) => [c.body, c.html]),
    ...stories.flatMap((s) => [s.title ?? '', s.url]),
    ...users.map((u) => u.display_name),
    ...runs.flatMap((r) => [r.report, r.error ?? '']),
  ];
}

/** A deterministic stream of bytes that is no text format (a PNG signature, then noise). */
function binaryBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  let state = 0x2545f491;
  for (let i = 8; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

/** The 1-based line on which `needle` first appears in `text`. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `${needle} is in the file`);
  return text.slice(0, index).split('\n').length;
}

const BILLION_LAUGHS =
  '<?xml version="1.0"?>\n' +
  '<!DOCTYPE disqus [\n' +
  '  <!ENTITY lol "lol">\n' +
  Array.from(
    { length: 9 },
    (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">\n`,
  ).join('') +
  ']>\n' +
  '<disqus xmlns:dsq="http://disqus.com/disqus-internals">\n' +
  threadXml({ id: 't1', link: `${ORIGIN}/laughs`, title: '&lol9;' }) +
  postXml({
    id: 'p1',
    thread: 't1',
    messageXml: '&lol9;',
    nameXml: '&lol9;',
    createdAt: '2024-01-01T00:00:00Z',
  }) +
  '</disqus>\n';

for (const engine of await testEngines()) {
  describe(`importing hostile files (${engine})`, () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-hostile-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const write = (name: string, content: string | Buffer) => {
      const file = path.join(dir, `${engine}-${name}`);
      fs.writeFileSync(file, content);
      return file;
    };

    describe('entities', () => {
      it('refuses a billion laughs: failed, naming the DOCTYPE and a line, nothing imported', async () => {
        await withSite(engine, async (h) => {
          const report = await importDisqus(h, write('laughs.xml', BILLION_LAUGHS));
          await assertFailed(h, report, /DOCTYPE/);
          assert.match(report.error ?? '', /entit/i);
          assert.match(report.error ?? '', /\bline \d+/);
          await assertNothingImported(h.store);
          for (const text of await storedTexts(h.store)) {
            assert.doesNotMatch(text, /lollol/, 'no entity was expanded');
          }
        });
      });

      it('never reads an external file entity (file:///etc/passwd)', async () => {
        await withSite(engine, async (h) => {
          const passwd = fs.existsSync('/etc/passwd')
            ? fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0]
            : 'root:x:0:0';
          assert.ok(passwd, '/etc/passwd has a first line to look for');
          const xml =
            '<?xml version="1.0"?>\n' +
            '<!DOCTYPE disqus [\n  <!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n' +
            '<disqus xmlns:dsq="http://disqus.com/disqus-internals">\n' +
            threadXml({ id: 't1', link: `${ORIGIN}/xxe`, title: 'Leak &x;' }) +
            postXml({
              id: 'p1',
              thread: 't1',
              messageXml: 'Here it is: &x;',
              nameXml: 'Leaker &x;',
              createdAt: '2024-01-01T00:00:00Z',
            }) +
            '</disqus>\n';
          const report = await importDisqus(h, write('xxe-file.xml', xml));
          await assertFailed(h, report, /DOCTYPE/);
          assert.match(report.error ?? '', /entit/i);
          assert.match(report.error ?? '', /\bline \d+/);
          await assertNothingImported(h.store);
          const texts = await storedTexts(h.store);
          assert.ok(texts.length > 0, 'the run row is there to search');
          for (const text of texts) assert.ok(!text.includes(passwd), 'passwd never stored');
        });
      });

      it('never fetches an http entity or parameter entity', async () => {
        const server = await startCountingServer();
        try {
          await withSite(engine, async (h) => {
            const xml =
              '<?xml version="1.0"?>\n' +
              '<!DOCTYPE disqus [\n' +
              `  <!ENTITY x SYSTEM "${server.url}/entity">\n` +
              `  <!ENTITY % remote SYSTEM "${server.url}/dtd">\n` +
              '  %remote;\n' +
              ']>\n' +
              '<disqus xmlns:dsq="http://disqus.com/disqus-internals">\n' +
              threadXml({ id: 't1', link: `${ORIGIN}/xxe`, title: 'Leak' }) +
              postXml({
                id: 'p1',
                thread: 't1',
                messageXml: '&x;',
                nameXml: 'Leaker',
                createdAt: '2024-01-01T00:00:00Z',
              }) +
              '</disqus>\n';
            const report = await importDisqus(h, write('xxe-http.xml', xml));
            await assertFailed(h, report, /DOCTYPE/);
            assert.match(report.error ?? '', /\bline \d+/);
            await assertNothingImported(h.store);
            for (const text of await storedTexts(h.store)) {
              assert.doesNotMatch(text, /FETCHED-BY-THE-IMPORTER/);
            }
          });
          assert.equal(server.requests(), 0, 'the entity URLs were never requested');
        } finally {
          await server.close();
        }
      });

      it('fails on an undeclared entity, naming its line', async () => {
        await withSite(engine, async (h) => {
          const xml = disqusXml(
            [{ id: 't1', link: `${ORIGIN}/a`, title: 'A' }],
            [
              {
                id: 'p1',
                thread: 't1',
                messageXml: 'Fine.',
                nameXml: 'A',
                createdAt: '2024-01-01T00:00:00Z',
              },
              {
                id: 'p2',
                thread: 't1',
                messageXml: 'Tom &foo; Jerry',
                nameXml: 'B',
                createdAt: '2024-01-01T00:01:00Z',
              },
            ],
          );
          const report = await importDisqus(h, write('undeclared.xml', xml));
          await assertFailed(h, report, /entity/i);
          assert.match(report.error ?? '', new RegExp(`\\bline ${lineOf(xml, '&foo;')}\\b`));
          await assertNothingImported(h.store);
        });
      });
    });

    describe('encoding', () => {
      /** A small export whose bytes have `bad` inserted in the middle of a post's message. */
      const withBadBytes = (bad: number[]) => {
        const xml = disqusXml(
          [{ id: 't1', link: `${ORIGIN}/a`, title: 'A' }],
          [
            {
              id: 'p1',
              thread: 't1',
              messageXml: 'café BAD-HERE crème',
              nameXml: 'Zoë',
              createdAt: '2024-01-01T00:00:00Z',
            },
          ],
        );
        const bytes = Buffer.from(xml);
        const at = bytes.indexOf('BAD-HERE');
        return {
          bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]),
          offset: at,
        };
      };

      it('names the byte offset of an invalid byte in the middle of the file', async () => {
        await withSite(engine, async (h) => {
          const { bytes, offset } = withBadBytes([0xff]);
          const report = await importDisqus(h, write('bad-byte.xml', bytes));
          await assertFailed(h, report, /UTF-8/);
          assert.match(report.error ?? '', new RegExp(`\\bbyte ${offset}\\b`));
          await assertNothingImported(h.store);
        });
      });

      it('names the byte offset of a sequence only a strict decoder refuses (a UTF-16 surrogate)', async () => {
        await withSite(engine, async (h) => {
          const { bytes, offset } = withBadBytes([0xed, 0xa0, 0x80]);
          const report = await importDisqus(h, write('surrogate.xml', bytes));
          await assertFailed(h, report, /UTF-8/);
          assert.match(report.error ?? '', new RegExp(`\\bbyte ${offset}\\b`));
          await assertNothingImported(h.store);
        });
      });

      it('names the byte offset of an invalid byte after a character split between two reads', async () => {
        await withSite(engine, async (h) => {
          // A message of 110,000 "€" (3 bytes each) starting at an offset divisible by 3 covers
          // every power-of-two boundary up to 256 KiB and splits a character across each of them,
          // whatever the reader's chunk size; the bad byte comes after them.
          let head =
            XML_HEAD +
            threadXml({ id: 't1', link: `${ORIGIN}/a`, title: 'A' }) +
            '  <post dsq:id="p1">\n    <message>';
          head += ' '.repeat((3 - (Buffer.byteLength(head) % 3)) % 3);
          const before = Buffer.from(
            head +
              '€'.repeat(110_000) +
              '</message>\n    <createdAt>2024-01-01T00:00:00Z</createdAt>\n' +
              '    <author><name>A</name></author>\n    <thread dsq:id="t1" />\n  </post>\n' +
              '  <post dsq:id="p2">\n    <message>x',
          );
          assert.ok(before.length > 256 * 1024 + 1000);
          const bytes = Buffer.concat([
            before,
            Buffer.from([0xc3]), // a lead byte followed by no continuation byte
            Buffer.from(
              'y</message>\n    <createdAt>2024-01-01T00:00:00Z</createdAt>\n' +
                '    <author><name>B</name></author>\n    <thread dsq:id="t1" />\n' +
                '  </post>\n</disqus>\n',
            ),
          ]);
          const report = await importDisqus(h, write('split-char.xml', bytes));
          await assertFailed(h, report, /UTF-8/);
          assert.match(report.error ?? '', new RegExp(`\\bbyte ${before.length}\\b`));
          await assertConsistent(h.store);
        });
      });

      for (const [name, content] of [
        ['an empty file', ''],
        ['a file of white space', ' \n\t\n'],
        ['a file with only an XML declaration', '<?xml version="1.0" encoding="utf-8"?>\n'],
      ] as const) {
        it(`fails on ${name}, saying it is empty`, async () => {
          await withSite(engine, async (h) => {
            const report = await importDisqus(h, write(`empty-${name.length}.xml`, content));
            await assertFailed(h, report, /empty/);
            assert.match(report.error ?? '', /Disqus/);
            await assertNothingImported(h.store);
          });
        });
      }

      it('fails on a binary file, naming where', async () => {
        await withSite(engine, async (h) => {
          const report = await importDisqus(h, write('binary.xml', binaryBytes(64 * 1024)));
          await assertFailed(h, report, /UTF-8|XML|Disqus/);
          assert.match(report.error ?? '', /\b(byte|line) \d+/);
          await assertNothingImported(h.store);
        });
      });
    });

    describe('wrong shapes and sizes', () => {
      it('fails on a WordPress file given as disqus, naming the root and suggesting wordpress', async () => {
        await withSite(engine, async (h) => {
          const wxr =
            '<?xml version="1.0" encoding="UTF-8"?>\n' +
            '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">\n' +
            '<channel>\n<title>Harbour Gazette</title>\n<wp:wxr_version>1.2</wp:wxr_version>\n' +
            '<item>\n<title>Bridge vote</title>\n<link>https://news.example/bridge</link>\n' +
            '<wp:post_id>12</wp:post_id>\n<wp:comment>\n<wp:comment_id>7</wp:comment_id>\n' +
            '<wp:comment_author>Marta</wp:comment_author>\n' +
            '<wp:comment_date_gmt>2024-03-01 10:15:00</wp:comment_date_gmt>\n' +
            '<wp:comment_content><![CDATA[Who pays?]]></wp:comment_content>\n' +
            '<wp:comment_approved>1</wp:comment_approved>\n<wp:comment_parent>0</wp:comment_parent>\n' +
            '</wp:comment>\n</item>\n</channel>\n</rss>\n';
          const report = await importDisqus(h, write('wordpress.xml', wxr));
          await assertFailed(h, report, /<rss>/);
          assert.match(report.error ?? '', /Disqus/);
          assert.match(report.error ?? '', /import wordpress/);
          await assertNothingImported(h.store);
        });
      });

      it('fails on an element nested 100 deep, saying so', async () => {
        await withSite(engine, async (h) => {
          const xml = disqusXml(
            [{ id: 't1', link: `${ORIGIN}/a`, title: 'A' }],
            [
              {
                id: 'p1',
                thread: 't1',
                messageXml: '<b>'.repeat(100) + 'deep' + '</b>'.repeat(100),
                nameXml: 'A',
                createdAt: '2024-01-01T00:00:00Z',
              },
            ],
          );
          const report = await importDisqus(h, write('deep.xml', xml));
          await assertFailed(h, report, /nested/);
          assert.match(report.error ?? '', /\bline \d+/);
          await assertNothingImported(h.store);
        });
      });

      it('fails on a text value of 1,000,001 characters', async () => {
        await withSite(engine, async (h) => {
          const xml = disqusXml(
            [{ id: 't1', link: `${ORIGIN}/a`, title: 'A' }],
            [
              {
                id: 'p1',
                thread: 't1',
                messageXml: 'a'.repeat(1_000_001),
                nameXml: 'A',
                createdAt: '2024-01-01T00:00:00Z',
              },
            ],
          );
          const report = await importDisqus(h, write('huge-value.xml', xml));
          await assertFailed(h, report, /longer than 1000000 characters/);
          assert.match(report.error ?? '', /\bline \d+/);
          await assertNothingImported(h.store);
        });
      });

      it('skips a message over 100,000 characters once converted as invalid, keeping the rest', async () => {
        await withSite(engine, async (h) => {
          const xml = disqusXml(
            [{ id: 't1', link: `${ORIGIN}/a`, title: 'A' }],
            [
              {
                id: 'short',
                thread: 't1',
                messageXml: cdata('<p>A normal comment.</p>'),
                nameXml: 'A',
                createdAt: '2024-01-01T00:00:00Z',
              },
              {
                id: 'long',
                thread: 't1',
                messageXml: cdata(`<p>${'word '.repeat(30_000)}</p>`),
                nameXml: 'B',
                createdAt: '2024-01-01T00:01:00Z',
              },
              {
                id: 'reply-to-long',
                thread: 't1',
                parent: 'long',
                messageXml: cdata('<p>Too long to read.</p>'),
                nameXml: 'C',
                createdAt: '2024-01-01T00:02:00Z',
              },
            ],
          );
          const report = await importDisqus(h, write('long-message.xml', xml));
          assert.equal(report.state, 'done', report.error ?? '');
          assert.equal(report.skipped.invalid?.count, 1);
          assert.equal(report.skipped.invalid?.examples[0]?.sourceId, 'long');
          assert.equal(report.skipped.orphan?.count, 1, 'its reply has nothing to answer');
          assert.equal(report.comments.imported, 1);
          const bodies = await h.store.db.selectFrom('comments').select('body').execute();
          assert.deepEqual(
            bodies.map((c) => c.body),
            ['A normal comment.'],
          );
          await assertConsistent(h.store);
        });
      });
    });

    describe('a file cut short', () => {
      const POSTS = 300;
      const BATCH = 50;
      const CUT_IN = 249; // the post whose message the file ends in

      /** The generated export, and the same cut in the middle of post CUT_IN's message. */
      const files = () => {
        const xml = generatedExport(POSTS, 12);
        const message = xml.indexOf('Comment number', xml.indexOf(`<post dsq:id="p${CUT_IN}"`));
        assert.ok(message > 0);
        const truncated = xml.slice(0, message + 7);
        return {
          complete: write('complete.xml', xml),
          truncated: write('truncated.xml', truncated),
          lastLine: truncated.split('\n').length,
        };
      };

      it('fails saying the file was cut short, naming its last line', async () => {
        await withSite(engine, async (h) => {
          const { truncated, lastLine } = files();
          const report = await importDisqus(h, truncated, BATCH);
          await assertFailed(h, report, /cut short/);
          assert.match(report.error ?? '', new RegExp(`\\bline ${lastLine}\\b`));
        });
      });

      it('keeps whole, consistent batches; the complete file then gives each comment once', async () => {
        await withSite(engine, async (h) => {
          const { complete, truncated } = files();
          const cut = await importDisqus(h, truncated, BATCH);
          assert.equal(cut.state, 'failed');
          // Posts before the cut are all complete and in order: the batches filled by them were
          // committed, the partial batch after the last of them was not.
          const committed = Math.floor(CUT_IN / BATCH) * BATCH;
          assert.ok(committed > BATCH, 'more than one batch was committed');
          assert.equal(await count(h.store, 'comments'), committed);
          assert.equal(cut.comments.imported, committed, 'the report counts what was committed');
          assert.deepEqual(await importedCommentSources(h.store), {
            rows: committed,
            sources: committed,
            targets: committed,
          });
          await assertConsistent(h.store);

          const whole = await importDisqus(h, complete, BATCH);
          assert.equal(whole.state, 'done', whole.error ?? '');
          assert.equal(whole.comments.unchanged, committed, 'what was committed is left as it is');
          assert.equal(whole.comments.imported, POSTS - committed);
          assert.equal(await count(h.store, 'comments'), POSTS, 'every comment exactly once');
          assert.deepEqual(await importedCommentSources(h.store), {
            rows: POSTS,
            sources: POSTS,
            targets: POSTS,
          });
          const { rows: duplicates } = await sql<{ body: string }>`
            select body from comments group by body having count(*) > 1
          `.execute(h.store.db);
          assert.deepEqual(duplicates, [], 'no comment stored twice');
          assert.equal(await count(h.store, 'stories'), 12);
          await assertConsistent(h.store);
        });
      });
    });

    describe('hostile content', () => {
      const INJECTION = "'); drop table comments; --";
      const RLO = '\u202E';
      const CONTROLS = '\u007F\u0085\u009B';
      const posts: (PostSpec & { survives?: string })[] = [
        {
          id: 'script',
          thread: `t${INJECTION}`,
          messageXml: cdata('<p>Before<script>alert(document.cookie)</script> after</p>'),
          nameXml: 'Scripter',
          createdAt: '2024-01-01T00:00:00Z',
          survives: 'Before after',
        },
        {
          id: 'escaped-script',
          thread: `t${INJECTION}`,
          messageXml: cdata('<p>I typed &lt;script&gt;alert(1)&lt;/script&gt; here</p>'),
          nameXml: 'Typist',
          createdAt: '2024-01-01T00:01:00Z',
          survives: 'alert(1)',
        },
        {
          id: 'img',
          thread: `t${INJECTION}`,
          messageXml: cdata(
            '<p>Look <img src="x" onerror="alert(1)"> and <svg onload="alert(2)"></svg> ' +
              '<a href="https://ok.example/" onclick="alert(3)" onmouseover="alert(4)">ok link</a></p>',
          ),
          nameXml: 'Imager',
          createdAt: '2024-01-01T00:02:00Z',
          survives: 'ok link',
        },
        {
          id: 'javascript',
          thread: `t${INJECTION}`,
          messageXml: cdata(
            '<p><a href="javascript:alert(1)">one</a> <a href=" JaVaScRiPt:alert(2)">two</a> ' +
              '<a href="&#106;avascript:alert(3)">three</a> ' +
              '<a href="java&#x09;script:alert(4)">four</a> ' +
              '<iframe src="javascript:alert(5)"></iframe></p>',
          ),
          nameXml: 'Linker',
          createdAt: '2024-01-01T00:03:00Z',
          survives: 'three',
        },
        {
          id: 'data',
          thread: `t${INJECTION}`,
          messageXml: cdata(
            '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a> ' +
              '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;" alt="pic"></p>',
          ),
          nameXml: 'Data',
          createdAt: '2024-01-01T00:04:00Z',
          survives: 'click',
        },
        {
          id: 'bidi',
          thread: `t${INJECTION}`,
          messageXml: cdata(
            `<p>Invoice ${RLO}fdp.exe and ${CONTROLS}controls, as an entity &#x202E;too&#x9B;</p>`,
          ),
          nameXml: `Admin${RLO}nimda ${CONTROLS}&#x202E;`,
          createdAt: '2024-01-01T00:05:00Z',
          survives: 'controls',
        },
        {
          id: INJECTION,
          thread: `t${INJECTION}`,
          parent: 'script',
          messageXml: cdata(`<p>${INJECTION}</p>`),
          nameXml: escapeXml(`Robert${INJECTION}`),
          createdAt: '2024-01-01T00:06:00Z',
          survives: 'drop table comments',
        },
      ];
      const threads: ThreadSpec[] = [
        {
          id: `t${INJECTION}`,
          link: `${ORIGIN}/story?id=1${INJECTION}`,
          title: escapeXml(`Title ${INJECTION}`) + ` ${RLO}evil${CONTROLS}`,
        },
      ];

      it('stores hostile bodies, names, ids and titles as inert text', async () => {
        await withSite(engine, async (h) => {
          const report = await importDisqus(h, write('hostile.xml', disqusXml(threads, posts)));
          assert.equal(report.state, 'done', report.error ?? '');
          assert.equal(report.comments.imported, posts.length, JSON.stringify(report.skipped));

          const comments = await h.store.db
            .selectFrom('comments as c')
            .innerJoin('import_sources as i', 'i.target_id', 'c.id')
            .innerJoin('users as u', 'u.id', 'c.author_id')
            .select(['i.source_id', 'c.body', 'c.html', 'u.display_name'])
            .where('i.kind', '=', 'comment')
            .execute();
          assert.equal(comments.length, posts.length);
          for (const comment of comments) {
            const where = `comment ${comment.source_id}: ${comment.html}`;
            assert.doesNotMatch(comment.html, /<script/i, where);
            assert.doesNotMatch(comment.html, /<(img|svg|iframe)/i, where);
            assert.doesNotMatch(comment.html, /\bon[a-z]+\s*=/i, where);
            assert.doesNotMatch(comment.html, /onerror/i, where);
            assert.doesNotMatch(comment.html, /javascript:/i, where);
            assert.doesNotMatch(comment.html, /data:/i, where);
            for (const text of [comment.body, comment.html, comment.display_name]) {
              assert.doesNotMatch(
                text,
                /[\u202A-\u202E\u2066-\u2069]/,
                `bidi override in ${where}`,
              );
              assert.doesNotMatch(
                text,
                /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/,
                `control character in ${where}`,
              );
            }
            const post = posts.find((p) => p.id === comment.source_id);
            assert.ok(post, `${comment.source_id} is one of the file's posts`);
            if (post.survives) assert.ok(comment.html.includes(post.survives), where);
          }
          const byId = new Map(comments.map((c) => [c.source_id, c]));
          assert.ok(byId.get('img')?.html.includes('href="https://ok.example/"'), 'safe link kept');
          assert.equal(byId.get(INJECTION)?.display_name, `Robert${INJECTION}`, 'name verbatim');
          assert.equal(byId.get(INJECTION)?.body, INJECTION, 'body verbatim');
          assert.equal(byId.get('bidi')?.display_name, 'Adminnimda', 'bidi and controls dropped');

          const stories = await h.store.db
            .selectFrom('stories as s')
            .innerJoin('import_sources as i', 'i.target_id', 's.id')
            .select(['i.source_id', 's.title'])
            .where('i.kind', '=', 'story')
            .execute();
          assert.deepEqual(stories, [
            { source_id: `t${INJECTION}`, title: `Title ${INJECTION} evil` },
          ]);

          // The tables the strings name are still there, with everything in them.
          assert.equal(await count(h.store, 'comments'), posts.length);
          assert.equal(await count(h.store, 'stories'), 1);
          assert.ok((await count(h.store, 'users')) >= posts.length);
          await assertConsistent(h.store);
        });
      });
    });
  });
}
