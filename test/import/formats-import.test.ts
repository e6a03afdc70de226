/**
 * Every source format through the whole import, not only its reader: each fixture imports into a
 * site with its threads and counts consistent, and a second run changes nothing. (The readers'
 * own cases are in readers.test.ts; Disqus and WordPress in importer.test.ts.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { findFormat } from '../../src/import/formats/index.ts';
import { runImport } from '../../src/import/importer.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-formats-'));

/** Coral's mongoexport files are named .json; the fixtures are .jsonl so that prettier leaves them. */
function coralMongoDir(): string {
  const dir = path.join(work, 'coral-mongo');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ['users', 'stories', 'comments']) {
    fs.copyFileSync(
      path.join(FIXTURES, 'coral-mongo', `${name}.jsonl`),
      path.join(dir, `${name}.json`),
    );
  }
  return dir;
}

/** An Isso database as Isso creates it, with a thread, a reply and a comment in moderation. */
function issoDatabase(): string {
  const file = path.join(work, `comments-${Math.random().toString(36).slice(2)}.db`);
  const db = new SQLite(file);
  db.exec(`
    create table threads (id integer primary key, uri varchar(256) unique, title varchar(256));
    create table comments (tid references threads(id), id integer primary key, parent integer,
      created float not null, modified float, mode integer, remote_addr varchar, text varchar,
      author varchar, email varchar, website varchar, likes integer default 0,
      dislikes integer default 0, voters blob not null, notification integer default 0);
    insert into threads values (1, '/2024/harbour-wall/', 'Harbour wall repairs');
    insert into comments values (1, 1, null, 1710000000.5, null, 1, '192.0.2.1',
      'The wall was *patched* last winter too.', 'Ines', 'ines@example.org', null, 3, 0, x'', 0);
    insert into comments values (1, 2, 1, 1710000600.0, null, 1, '192.0.2.2',
      'And the winter before.', 'Jonas', null, null, 0, 0, x'', 0);
    insert into comments values (1, 3, null, 1710001200.0, null, 2, '192.0.2.3',
      'Waiting in moderation.', 'Anon', null, null, 0, 0, x'', 0);
  `);
  db.close();
  return file;
}

const CASES: { format: string; file: () => string; baseUrl?: string }[] = [
  { format: 'coral-csv', file: () => path.join(FIXTURES, 'coral-csv') },
  { format: 'coral-mongo', file: coralMongoDir },
  { format: 'remark42', file: () => path.join(FIXTURES, 'remark42/backup.jsonl') },
  { format: 'commento', file: () => path.join(FIXTURES, 'commento/export.json') },
  {
    format: 'commento',
    file: () => path.join(FIXTURES, 'commento/comentario-v3.json'),
    baseUrl: 'https://news.example',
  },
  { format: 'isso', file: issoDatabase, baseUrl: 'https://news.example' },
];

async function inconsistentCounts(app: TestApp): Promise<unknown[]> {
  const { rows } = await sql<{ id: string }>`
    select s.id from stories s
    where s.comment_count != (
      select count(*) from comments c
      where c.story_id = s.id and c.status = 'approved' and c.deleted_at is null
    )
    union all
    select p.id from comments p
    where p.reply_count != (
      select count(*) from comments c where c.thread_parent_id = p.id and c.status = 'approved'
    )`.execute(app.store.db);
  return rows;
}

after(() => fs.rmSync(work, { recursive: true, force: true }));

for (const engine of await testEngines()) {
  describe(`every format imports (${engine})`, () => {
    for (const { format, file, baseUrl } of CASES) {
      // A site of its own each: both Coral formats are one source system, whose ids (the
      // fixtures share them) an earlier import of the other would already hold.
      let app: TestApp;
      before(async () => {
        app = await createTestApp(engine);
      });
      after(() => app.close());
      test(`${format}${baseUrl ? ` with --base-url` : ''}`, async () => {
        const found = findFormat(format);
        assert.ok(found);
        const options = { site: app.site, format: found, file: file(), baseUrl };
        const first = await runImport(app.store, options);
        assert.equal(first.state, 'done', first.error ?? '');
        assert.ok(first.comments.imported > 0, JSON.stringify(first));
        assert.ok(first.comments.approved > 0);
        assert.deepEqual(await inconsistentCounts(app), []);
        const second = await runImport(app.store, options);
        assert.equal(second.state, 'done');
        assert.equal(second.comments.imported, 0);
        assert.equal(second.comments.unchanged, first.read.comments);
      });
    }
  });
}
