/**
 * The readers for Coral (CSV and mongoexport), Remark42, Commento/Comentario and Isso: what each
 * yields from a small export in the source's real shape (fixtures/<format>/, Isso's database made
 * here), and how each refuses a file that is malformed, truncated or of another format. The
 * importer's side (matching, states, the report) is tested with the importer.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { findFormat } from '../../src/import/formats/index.ts';
import {
  ImportFormatError,
  type ReaderProgress,
  type SourceComment,
  type SourceItem,
  type SourceStory,
} from '../../src/import/records.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-readers-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

let scratchCount = 0;
function scratchPath(name: string): string {
  scratchCount += 1;
  const dir = path.join(scratch, String(scratchCount));
  fs.mkdirSync(dir);
  return path.join(dir, name);
}

function scratchFile(name: string, content: string | Buffer): string {
  const file = scratchPath(name);
  fs.writeFileSync(file, content);
  return file;
}

/** A directory holding the given files (name to content). */
function scratchDir(files: Record<string, string | Buffer>): string {
  const dir = scratchPath('export');
  fs.mkdirSync(dir);
  for (const [name, content] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

interface Read {
  items: SourceItem[];
  progress: ReaderProgress;
  error: unknown;
}

async function read(format: string, source: string): Promise<Read> {
  const reader = findFormat(format);
  assert.ok(reader, `format ${format} is registered`);
  const progress: ReaderProgress = { bytesRead: 0, totalBytes: 0 };
  const items: SourceItem[] = [];
  try {
    for await (const item of reader.read(source, progress)) items.push(item);
    return { items, progress, error: null };
  } catch (error) {
    return { items, progress, error };
  }
}

async function readAll(format: string, source: string): Promise<Read> {
  const result = await read(format, source);
  if (result.error) throw result.error;
  return result;
}

/** The ImportFormatError reading `source` ends with; fails if it ends otherwise. */
async function formatError(format: string, source: string): Promise<ImportFormatError> {
  const { error } = await read(format, source);
  assert.ok(error instanceof ImportFormatError, `expected ImportFormatError, got ${String(error)}`);
  return error;
}

const stories = (items: SourceItem[]): SourceStory[] =>
  items.flatMap((item) => (item.kind === 'story' ? [item.story] : []));
const comments = (items: SourceItem[]): Map<string, SourceComment> =>
  new Map(
    items.flatMap((item) =>
      item.kind === 'comment' ? [[item.comment.sourceId, item.comment]] : [],
    ),
  );
const skips = (items: SourceItem[]): string[] =>
  items.flatMap((item) =>
    item.kind === 'skip' ? [`${item.reason} ${item.sourceId} ${item.detail}`] : [],
  );

function comment(map: Map<string, SourceComment>, id: string): SourceComment {
  const found = map.get(id);
  assert.ok(found, `comment ${id} was yielded`);
  return found;
}

function assertProgressComplete(progress: ReaderProgress, expectedTotal: number): void {
  assert.equal(progress.totalBytes, expectedTotal);
  assert.equal(progress.bytesRead, progress.totalBytes);
}

const dirSize = (dir: string): number =>
  fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);

const fixture = (...parts: string[]): string => path.join(FIXTURES, ...parts);
const fixtureText = (...parts: string[]): string => fs.readFileSync(fixture(...parts), 'utf8');

const DISQUS_XML =
  '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com"><thread dsq:id="1"/></disqus>\n';

describe('coral-csv', () => {
  const dir = fixture('coral-csv');

  it('yields stories, then comments with their parents, states, dates, bodies and authors', async () => {
    const { items, progress } = await readAll('coral-csv', dir);
    assertProgressComplete(progress, dirSize(dir));

    assert.deepEqual(stories(items), [
      {
        sourceId: 's1',
        url: 'https://news.example.com/2024/03/harbour-bridge',
        identifier: 's1',
        title: 'Harbour bridge reopens',
        closed: false,
        createdAt: new Date('2024-03-01T09:00:00Z'),
      },
      {
        sourceId: 's2',
        url: 'https://news.example.com/2024/03/night-market',
        identifier: 's2',
        title: 'Night market, in pictures',
        closed: true,
        createdAt: new Date('2024-03-02T16:30:00Z'),
      },
    ]);
    const firstComment = items.findIndex((item) => item.kind === 'comment');
    assert.ok(items.slice(firstComment).every((item) => item.kind !== 'story'));

    const byId = comments(items);
    assert.deepEqual([...byId.keys()], ['c1', 'c2', 'c3', 'c4', 'c5', 'c7', 'c9']);
    assert.deepEqual(comment(byId, 'c1'), {
      sourceId: 'c1',
      storySourceId: 's1',
      parentSourceId: null,
      author: { key: 'u1', name: 'Amina', email: 'amina@example.org' },
      createdAt: new Date('2024-03-01T10:15:00Z'),
      body: {
        format: 'html',
        value:
          '<p>Finally! See <a href="https://example.org/map">the map</a> and <em>mind</em> the <strong>detour</strong>.</p>',
      },
      state: 'approved',
      likes: 0,
      ip: null,
    });
    assert.equal(comment(byId, 'c2').parentSourceId, 'c1');
    assert.equal(comment(byId, 'c2').body.value, '<p>桥终于修好了，我明天就去走走。</p>');
    assert.deepEqual(comment(byId, 'c2').author, {
      key: 'u2',
      name: '王伟',
      email: 'wei@example.net',
    });
    assert.equal(comment(byId, 'c3').parentSourceId, 'c2');
    assert.equal(comment(byId, 'c3').author.name, 'ليلى');
    assert.deepEqual(comment(byId, 'c3').createdAt, new Date('2024-03-01T10:30:00.250Z'));
    assert.match(
      comment(byId, 'c3').body.value,
      /^<blockquote><p>مرحبا بالجميع<\/p><\/blockquote>/,
    );
    assert.equal(comment(byId, 'c4').state, 'spam');
    assert.match(comment(byId, 'c4').body.value, /<code>npm run build<\/code>.*<script>/);
    assert.equal(comment(byId, 'c5').state, 'approved', 'an empty status is NONE');
    assert.deepEqual(comment(byId, 'c5').author, {
      key: 'Anonymous',
      name: 'Anonymous',
      email: null,
    });
    assert.equal(
      comment(byId, 'c7').parentSourceId,
      'c404',
      'orphans are the importer’s to report',
    );
    assert.deepEqual(comment(byId, 'c7').author, { key: 'u9', name: 'Anonymous', email: null });
    assert.equal(comment(byId, 'c9').state, 'pending');
    assert.equal(comment(byId, 'c9').body.value, '<p>Line one\nline two</p>');

    assert.deepEqual(skips(items), [
      'invalid  users.csv line 4: a user without an id',
      'invalid  stories.csv line 3: a story without an id',
      'empty_body c6 comments.csv line 6: empty body',
      'invalid c8 comments.csv line 8: no valid creation date',
      'invalid  comments.csv line 9: no id',
      'invalid c10 comments.csv line 12: unknown status ESCALATED',
    ]);
  });

  it('passes over a header row', async () => {
    const withHeaders = scratchDir({
      'users.csv': `id,email,username,role,banned,created_at\n${fixtureText('coral-csv', 'users.csv')}`,
      'stories.csv': `ID,URL,Title,Author,Published_At,Closed_At,Mode\r\n${fixtureText('coral-csv', 'stories.csv')}`,
      'comments.csv': `id,author_id,story_id,created_at,body,parent_id,status,rating\n${fixtureText('coral-csv', 'comments.csv')}`,
    });
    const { items } = await readAll('coral-csv', withHeaders);
    assert.equal(stories(items).length, 2);
    assert.equal(comments(items).size, 7);
    assert.ok(skips(items).includes('invalid c10 comments.csv line 13: unknown status ESCALATED'));
  });

  it('yields the rows before an unclosed quote, then names its line', async () => {
    const truncated = scratchDir({
      'users.csv': fixtureText('coral-csv', 'users.csv'),
      'stories.csv': fixtureText('coral-csv', 'stories.csv'),
      'comments.csv':
        'c1,u1,s1,2024-03-01T10:15:00Z,<p>Fine</p>,,APPROVED,\nc2,u2,s1,2024-03-01T11:00:00Z,"<p>Cut off\n',
    });
    const { items, error } = await read('coral-csv', truncated);
    assert.deepEqual([...comments(items).keys()], ['c1']);
    assert.ok(error instanceof ImportFormatError);
    assert.equal(error.position.part, 'comments.csv');
    assert.equal(error.position.line, 2);
    assert.match(error.message, /Malformed CSV: .*quote.*\(at comments\.csv, line 2\)$/i);
  });

  it('refuses text that is not UTF-8, naming the line', async () => {
    const latin1 = scratchDir({
      'users.csv': Buffer.concat([
        Buffer.from('u1,a@example.org,Amina,,,\n'),
        Buffer.from('u2,b@example.org,Ren', 'latin1'),
        Buffer.from([0xe9]),
        Buffer.from('e,,,\n'),
      ]),
      'stories.csv': '',
      'comments.csv': '',
    });
    const error = await formatError('coral-csv', latin1);
    assert.deepEqual(error.position, { line: 2, part: 'users.csv' });
    assert.match(error.message, /not UTF-8/);
  });

  it('refuses a file, a directory without its three files, and XML', async () => {
    const notDir = await formatError('coral-csv', fixture('coral-csv', 'users.csv'));
    assert.match(
      notDir.message,
      /Expected a directory holding users\.csv, stories\.csv, comments\.csv/,
    );

    const missing = await formatError(
      'coral-csv',
      scratchDir({ 'users.csv': '', 'stories.csv': '' }),
    );
    assert.equal(missing.position.part, 'comments.csv');
    assert.match(missing.message, /no comments\.csv/);

    const xml = await formatError(
      'coral-csv',
      scratchDir({ 'users.csv': DISQUS_XML, 'stories.csv': '', 'comments.csv': '' }),
    );
    assert.match(xml.message, /Expected Coral CSV, found XML \(at users\.csv, line 1\)/);
  });
});

describe('coral-mongo', () => {
  /** The fixtures are .jsonl (so prettier leaves them alone); mongoexport names them .json. */
  const exportDir = (overrides: Record<string, string> = {}): string =>
    scratchDir({
      'users.json': fixtureText('coral-mongo', 'users.jsonl'),
      'stories.json': fixtureText('coral-mongo', 'stories.jsonl'),
      'comments.json': fixtureText('coral-mongo', 'comments.jsonl'),
      ...overrides,
    });

  it('yields stories and comments from Extended JSON, with reactions as likes', async () => {
    const dir = exportDir();
    const { items, progress } = await readAll('coral-mongo', dir);
    assertProgressComplete(progress, dirSize(dir));

    assert.deepEqual(stories(items), [
      {
        sourceId: 'story-1',
        url: 'https://news.example.com/2024/03/harbour-bridge',
        identifier: 'story-1',
        title: 'Harbour bridge reopens',
        closed: false,
        createdAt: new Date('2024-03-01T09:00:00Z'),
      },
      {
        sourceId: 'story-2',
        url: 'https://news.example.com/2024/03/night-market',
        identifier: 'story-2',
        title: 'Night market, in pictures',
        closed: true,
        createdAt: new Date(1709397000000),
      },
    ]);

    const byId = comments(items);
    assert.deepEqual([...byId.keys()], ['c1', 'c2', 'c3', 'c4', 'c5', 'c7', 'c8']);
    const c1 = comment(byId, 'c1');
    assert.match(
      c1.body.value,
      /^<p>Finally! See <a href="https:\/\/example.org\/map">/,
      'last revision',
    );
    assert.equal(c1.likes, 3);
    assert.deepEqual(c1.author, { key: 'u-amina', name: 'Amina', email: 'amina@example.org' });
    assert.deepEqual(c1.createdAt, new Date('2024-03-01T10:15:00Z'));
    const c2 = comment(byId, 'c2');
    assert.equal(c2.parentSourceId, 'c1');
    assert.equal(c2.likes, 2, '{"$numberInt": "2"}');
    assert.deepEqual(c2.createdAt, new Date(1709290800000), '{"$numberLong": ...}');
    assert.deepEqual(c2.author, { key: 'u-wei', name: '王伟', email: null });
    assert.equal(comment(byId, 'c3').parentSourceId, 'c2');
    assert.equal(comment(byId, 'c3').author.name, 'ليلى');
    assert.deepEqual(comment(byId, 'c3').createdAt, new Date('2024-03-01T10:30:00.250Z'));
    assert.equal(comment(byId, 'c4').state, 'spam');
    assert.match(comment(byId, 'c4').body.value, /<script>/);
    assert.equal(comment(byId, 'c5').state, 'pending');
    assert.deepEqual(comment(byId, 'c5').author, {
      key: 'Anonymous',
      name: 'Anonymous',
      email: null,
    });
    const c7 = comment(byId, 'c7');
    assert.equal(c7.state, 'pending');
    assert.equal(c7.parentSourceId, 'c404');
    assert.equal(c7.likes, 0);
    assert.deepEqual(c7.author, { key: 'u-gone', name: 'Anonymous', email: null });
    assert.equal(comment(byId, 'c8').state, 'deleted');
    assert.equal(comment(byId, 'c8').body.value, '');

    assert.deepEqual(skips(items), [
      'invalid  users.json line 5: a user without an id',
      'invalid  stories.json line 3: a story without an id',
      'empty_body c6 comments.json line 6: empty body',
      'invalid  comments.json line 9: no id',
      'invalid c10 comments.json line 10: no valid creation date',
    ]);
  });

  it('stops at a truncated line, naming it', async () => {
    const full = fixtureText('coral-mongo', 'comments.jsonl');
    const cut = full.slice(0, full.indexOf('"id":"c4"') + 40);
    const { items, error } = await read('coral-mongo', exportDir({ 'comments.json': cut }));
    assert.deepEqual([...comments(items).keys()], ['c1', 'c2', 'c3']);
    assert.ok(error instanceof ImportFormatError);
    assert.deepEqual(error.position, { line: 4, part: 'comments.json' });
    assert.match(error.message, /not JSON/);
  });

  it('refuses a --jsonArray export and XML', async () => {
    const array = await formatError('coral-mongo', exportDir({ 'users.json': '[{"id":"u1"}]\n' }));
    assert.match(array.message, /JSON array \(export again without --jsonArray\)/);
    assert.deepEqual(array.position, { line: 1, part: 'users.json' });
    const xml = await formatError('coral-mongo', exportDir({ 'stories.json': DISQUS_XML }));
    assert.match(xml.message, /found XML \(at stories\.json, line 1\)/);
  });
});

describe('remark42', () => {
  const backup = fixture('remark42', 'backup.jsonl');

  async function checkBackup(file: string): Promise<void> {
    const { items, progress } = await readAll('remark42', file);
    assertProgressComplete(progress, fs.statSync(file).size);

    assert.deepEqual(stories(items), [
      {
        sourceId: 'https://blog.example.com/harbour-bridge/',
        url: 'https://blog.example.com/harbour-bridge/',
        identifier: null,
        title: 'Harbour bridge reopens',
        closed: false,
        createdAt: null,
      },
      {
        sourceId: 'https://blog.example.com/night-market/',
        url: 'https://blog.example.com/night-market/',
        identifier: null,
        title: 'Night market, in pictures',
        closed: true,
        createdAt: null,
      },
      {
        sourceId: '/about/',
        url: null,
        identifier: '/about/',
        title: 'About us',
        closed: false,
        createdAt: null,
      },
    ]);
    // Each story comes just before the first comment on it.
    const order = items.map((item) =>
      item.kind === 'story'
        ? `S ${item.story.sourceId}`
        : item.kind === 'comment'
          ? item.comment.sourceId
          : '-',
    );
    assert.deepEqual(order.slice(0, 6), [
      'S https://blog.example.com/harbour-bridge/',
      'r-1',
      'r-2',
      'r-3',
      'S https://blog.example.com/night-market/',
      'r-4',
    ]);

    const byId = comments(items);
    assert.deepEqual([...byId.keys()], ['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-7']);
    const r1 = comment(byId, 'r-1');
    assert.deepEqual(r1.author, {
      key: 'github_5f2a9c',
      name: 'Amina',
      email: 'amina@example.org',
    });
    assert.equal(r1.likes, 2, 'two up-votes, one down');
    assert.equal(r1.ip, null, 'a hashed address is not an address');
    assert.deepEqual(r1.createdAt, new Date('2024-03-01T10:15:00.123Z'));
    assert.equal(r1.body.format, 'html');
    assert.match(r1.body.value, /<em>mind<\/em>.*<code>left, left, right<\/code>/);
    const r2 = comment(byId, 'r-2');
    assert.equal(r2.parentSourceId, 'r-1');
    assert.equal(r2.likes, 3, 'the score, without votes');
    assert.equal(r2.ip, '203.0.113.7');
    assert.deepEqual(r2.createdAt, new Date('2024-03-01T03:00:00Z'));
    assert.equal(r2.author.name, '王伟');
    const r3 = comment(byId, 'r-3');
    assert.equal(r3.parentSourceId, 'r-2');
    assert.equal(r3.likes, 0, 'a negative score is no likes');
    assert.deepEqual(r3.author, { key: 'anonymous_3d1f', name: 'ليلى', email: null });
    assert.match(r3.body.value, /مرحبا بالجميع/);
    assert.equal(comment(byId, 'r-4').state, 'deleted');
    assert.equal(comment(byId, 'r-5').state, 'pending', 'a blocked user’s comment waits');
    assert.match(comment(byId, 'r-5').body.value, /<script>/);
    assert.equal(comment(byId, 'r-7').parentSourceId, 'r-404');
    assert.deepEqual(comment(byId, 'r-7').author, {
      key: 'Anonymous',
      name: 'Anonymous',
      email: null,
    });

    assert.deepEqual(skips(items), [
      'empty_body r-6 line 7: empty text',
      'invalid  line 10: no id',
      'invalid r-9 line 11: no valid time',
    ]);
  }

  it('yields a story per page address and the comments on it', () => checkBackup(backup));

  it('reads the gzipped backups Remark42 makes every day', () =>
    checkBackup(scratchFile('backup-blog-20240304.gz', gzipSync(fs.readFileSync(backup)))));

  it('names the line where the file is cut off', async () => {
    const lines = fixtureText('remark42', 'backup.jsonl').split('\n');
    const cut = [...lines.slice(0, 3), (lines[3] as string).slice(0, 50)].join('\n');
    const { items, error } = await read('remark42', scratchFile('backup.jsonl', cut));
    assert.deepEqual([...comments(items).keys()], ['r-1', 'r-2']);
    assert.ok(error instanceof ImportFormatError);
    assert.deepEqual(error.position, { line: 4 });
  });

  it('refuses a truncated gzip file', async () => {
    const gz = gzipSync(fs.readFileSync(backup));
    const error = await formatError(
      'remark42',
      scratchFile('backup.gz', gz.subarray(0, gz.length - 200)),
    );
    assert.match(error.message, /ends before its gzip stream does/);
  });

  it('refuses XML, a Commento export and an unknown version on the first line', async () => {
    const xml = await formatError('remark42', scratchFile('export.xml', DISQUS_XML));
    assert.match(xml.message, /not JSON \(this looks like XML\).*\(at line 1\)$/);
    const commento = await formatError(
      'remark42',
      scratchFile('commento.json', '{"version":1,"comments":[],"commenters":[]}\n'),
    );
    assert.match(commento.message, /Commento export/);
    const version = await formatError('remark42', scratchFile('backup', '{"version":7}\n'));
    assert.match(version.message, /version 7 is not supported \(at line 1\)/);
    const empty = await formatError('remark42', scratchFile('backup', '\n\n'));
    assert.match(empty.message, /empty/);
  });
});

describe('commento', () => {
  const exportFile = fixture('commento', 'export.json');
  const hex = (c: string): string => c.repeat(64);

  async function checkExport(file: string): Promise<void> {
    const { items, progress } = await readAll('commento', file);
    assertProgressComplete(progress, 2 * fs.statSync(file).size);

    assert.deepEqual(stories(items), [
      {
        sourceId: 'blog.example.com/harbour-bridge/',
        url: 'https://blog.example.com/harbour-bridge/',
        identifier: '/harbour-bridge/',
        title: null,
        closed: false,
        createdAt: null,
      },
      {
        sourceId: 'blog.example.com/night-market/',
        url: 'https://blog.example.com/night-market/',
        identifier: '/night-market/',
        title: null,
        closed: false,
        createdAt: null,
      },
    ]);

    const byId = comments(items);
    assert.deepEqual([...byId.keys()], ['a', 'b', 'c', 'd', 'e', '1'].map(hex));
    const a = comment(byId, hex('a'));
    assert.deepEqual(a, {
      sourceId: hex('a'),
      storySourceId: 'blog.example.com/harbour-bridge/',
      parentSourceId: null,
      author: { key: 'c0ffee01', name: 'Amina', email: 'amina@example.org' },
      createdAt: new Date('2024-03-01T10:15:00.722Z'),
      body: {
        format: 'markdown',
        value:
          'Finally! See [the map](https://example.org/map) and *mind* the **detour**:\n\n> it is long\n\n`left, left, right`',
      },
      state: 'approved',
      likes: 4,
      ip: null,
    });
    const b = comment(byId, hex('b'));
    assert.equal(b.parentSourceId, hex('a'));
    assert.equal(b.likes, 0, 'a negative score is no likes');
    assert.deepEqual(b.author, { key: 'c0ffee02', name: '王伟', email: 'wei@example.net' });
    const c = comment(byId, hex('c'));
    assert.equal(c.parentSourceId, hex('b'));
    assert.equal(c.state, 'pending');
    assert.equal(c.author.name, 'ليلى');
    assert.equal(c.body.value, '> مرحبا بالجميع\n\nأتفق تماماً.');
    const d = comment(byId, hex('d'));
    assert.equal(d.state, 'spam', 'flagged by Akismet');
    assert.deepEqual(d.author, { key: 'Anonymous', name: 'Anonymous', email: null });
    assert.match(d.body.value, /<script>/);
    assert.equal(comment(byId, hex('e')).state, 'deleted');
    const orphan = comment(byId, hex('1'));
    assert.equal(orphan.parentSourceId, hex('9'));
    assert.deepEqual(orphan.author, { key: 'c0ffee99', name: 'Anonymous', email: null });

    assert.deepEqual(skips(items), [
      `empty_body ${hex('f')} comments[5]: empty markdown`,
      'invalid  comments[7]: no commentHex',
      `invalid ${hex('2')} comments[8]: no valid creationDate`,
      `invalid ${hex('3')} comments[9]: unknown state escalated`,
    ]);
  }

  it('reads commenters first, then yields stories and comments', () => checkExport(exportFile));

  it('reads the gzipped file Commento hands out', () =>
    checkExport(
      scratchFile('blog.example.com-1709900000.gz', gzipSync(fs.readFileSync(exportFile))),
    ));

  it('reads a Comentario version 3 export, whose pages are paths', async () => {
    const file = fixture('commento', 'comentario-v3.json');
    const { items, progress } = await readAll('commento', file);
    assertProgressComplete(progress, 2 * fs.statSync(file).size);
    const page1 = '5b1c0d1e-0000-4000-8000-000000000001';
    assert.deepEqual(stories(items), [
      {
        sourceId: page1,
        url: null,
        identifier: '/harbour-bridge/',
        title: 'Harbour bridge reopens',
        closed: false,
        createdAt: new Date('2024-03-01T09:00:00Z'),
      },
      {
        sourceId: '5b1c0d1e-0000-4000-8000-000000000002',
        url: null,
        identifier: '/night-market/',
        title: null,
        closed: true,
        createdAt: new Date('2024-03-02T16:30:00Z'),
      },
    ]);
    const byId = comments(items);
    const id = (n: number): string => `c3c3c3c3-0000-4000-8000-00000000000${n}`;
    assert.deepEqual([...byId.keys()], [1, 2, 3, 4, 5].map(id));
    const first = comment(byId, id(1));
    assert.equal(first.storySourceId, page1);
    assert.equal(first.state, 'approved');
    assert.equal(first.likes, 2);
    assert.deepEqual(first.body, {
      format: 'markdown',
      value: 'Finally! See [the map](https://example.org/map).',
    });
    assert.deepEqual(first.author, {
      key: 'a1a1a1a1-0000-4000-8000-000000000001',
      name: 'Amina',
      email: 'amina@example.org',
    });
    assert.equal(comment(byId, id(2)).state, 'pending');
    assert.equal(comment(byId, id(2)).parentSourceId, id(1));
    assert.equal(comment(byId, id(3)).parentSourceId, id(2));
    assert.deepEqual(comment(byId, id(3)).author, { key: 'زائر', name: 'زائر', email: null });
    assert.equal(comment(byId, id(4)).state, 'spam', 'neither approved nor pending: rejected');
    assert.deepEqual(comment(byId, id(4)).author, {
      key: 'Anonymous',
      name: 'Anonymous',
      email: null,
    });
    assert.equal(comment(byId, id(5)).state, 'deleted');
    assert.deepEqual(skips(items), [`empty_body ${id(6)} comments[5]: empty markdown`]);
  });

  it('refuses a truncated document before yielding anything', async () => {
    const whole = fs.readFileSync(exportFile);
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    const { items, error } = await read('commento', scratchFile('export.json', cut));
    assert.deepEqual(items, []);
    assert.ok(error instanceof ImportFormatError);
    assert.match(error.message, /ends before its JSON document does \(truncated\?\)/);
    assert.equal(error.position.offset, cut.length);
  });

  it('names the byte offset of malformed JSON', async () => {
    const text = fixtureText('commento', 'export.json');
    const at = text.indexOf('"commenters"');
    const broken = `${text.slice(0, at)}"commenters" "oops" ${text.slice(at + '"commenters":'.length)}`;
    const error = await formatError('commento', scratchFile('export.json', broken));
    assert.match(error.message, /Malformed JSON near here: .*expected ':'/);
    const offset = error.position.offset ?? -1;
    const byteAt = Buffer.byteLength(text.slice(0, at));
    assert.ok(offset <= byteAt && byteAt < offset + 4096, `${byteAt} is in the slice at ${offset}`);
  });

  it('refuses XML, other JSON and an unknown version', async () => {
    const xml = await formatError('commento', scratchFile('export.xml', DISQUS_XML));
    assert.match(
      xml.message,
      /Expected a Commento or Comentario JSON export, found XML \(at byte 0\)/,
    );
    const array = await formatError('commento', scratchFile('export.json', '  [1, 2]'));
    assert.match(array.message, /not a JSON object \(at byte 2\)/);
    const noVersion = await formatError('commento', scratchFile('export.json', '{"comments": []}'));
    assert.match(noVersion.message, /no "version"/);
    const v2 = await formatError(
      'commento',
      scratchFile('export.json', '{"version": 2, "comments": []}'),
    );
    assert.match(v2.message, /version 2 is not supported/);
    const empty = await formatError('commento', scratchFile('export.json', ''));
    assert.match(empty.message, /empty/);
    const latin1 = await formatError(
      'commento',
      scratchFile('export.json', Buffer.from('{"a": "\xe9"}', 'latin1')),
    );
    assert.match(latin1.message, /not UTF-8/);
  });
});

describe('isso', () => {
  /** An Isso database as isso/db creates it, with one row for each case. */
  function issoDatabase(): string {
    const file = scratchPath('comments.db');
    const db = new SQLite(file);
    db.exec(`
      CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
      CREATE TABLE comments (
        tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
        created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
        text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
        likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
        notification INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE preferences (key VARCHAR PRIMARY KEY, value VARCHAR);
    `);
    const thread = db.prepare('INSERT INTO threads (id, uri, title) VALUES (?, ?, ?)');
    thread.run(1, '/2024/03/harbour-bridge/', 'Harbour bridge reopens');
    thread.run(2, 'https://blog.example.com/night-market/', null);
    thread.run(3, '', 'No address');
    const insert = db.prepare(
      `INSERT INTO comments (tid, id, parent, created, mode, remote_addr, text, author, email,
         website, likes, dislikes, voters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, x'00')`,
    );
    const rows: unknown[][] = [
      [
        1,
        1,
        null,
        1709288100.5,
        1,
        '198.51.100.0',
        'Finally! See [the map](https://example.org/map), *mind* the `detour`.',
        'Amina',
        'amina@example.org',
        'https://amina.example.org',
        3,
        1,
      ],
      [
        1,
        2,
        1,
        1709290800,
        1,
        '2001:db8::',
        '桥终于修好了，我明天就去走走。',
        '王伟',
        null,
        null,
        0,
        0,
      ],
      [
        1,
        3,
        2,
        1709292600,
        1,
        null,
        '> مرحبا بالجميع\n\nأتفق تماماً.',
        'ليلى',
        'layla@example.com',
        null,
        1,
        0,
      ],
      [
        2,
        4,
        null,
        1709406000,
        2,
        '203.0.113.0',
        'Cheap pills <script>alert("gotcha")</script>',
        'Spammy',
        null,
        null,
        0,
        0,
      ],
      [2, 5, null, 1709406300, 4, '203.0.113.0', '', null, 'gone@example.com', null, 0, 0],
      [2, 6, 5, 1709406360, 1, null, '   ', 'Amina', 'amina@example.org', null, 0, 0],
      [
        2,
        7,
        99,
        1709406600,
        1,
        null,
        'Replying to a comment that is gone.',
        null,
        null,
        null,
        0,
        0,
      ],
      [2, 8, null, 1709407200, 3, null, 'Odd mode.', 'Amina', null, null, 0, 0],
      [2, 9, null, 'yesterday', 1, null, 'Lost in time.', 'Amina', null, null, 0, 0],
    ];
    for (const row of rows) insert.run(...row);
    db.close();
    return file;
  }

  it('yields threads as stories, then comments, in constant memory', async () => {
    const file = issoDatabase();
    const { items, progress } = await readAll('isso', file);
    assertProgressComplete(progress, fs.statSync(file).size);

    assert.deepEqual(stories(items), [
      {
        sourceId: '1',
        url: null,
        identifier: '/2024/03/harbour-bridge/',
        title: 'Harbour bridge reopens',
        closed: false,
        createdAt: null,
      },
      {
        sourceId: '2',
        url: 'https://blog.example.com/night-market/',
        identifier: 'https://blog.example.com/night-market/',
        title: null,
        closed: false,
        createdAt: null,
      },
    ]);

    const byId = comments(items);
    assert.deepEqual([...byId.keys()], ['1', '2', '3', '4', '5', '7']);
    assert.deepEqual(comment(byId, '1'), {
      sourceId: '1',
      storySourceId: '1',
      parentSourceId: null,
      author: { key: 'amina@example.org', name: 'Amina', email: 'amina@example.org' },
      createdAt: new Date(1709288100500),
      body: {
        format: 'markdown',
        value: 'Finally! See [the map](https://example.org/map), *mind* the `detour`.',
      },
      state: 'approved',
      likes: 3,
      ip: '198.51.100.0',
    });
    const second = comment(byId, '2');
    assert.equal(second.parentSourceId, '1');
    assert.deepEqual(second.author, { key: '王伟', name: '王伟', email: null });
    assert.equal(second.ip, '2001:db8::');
    assert.equal(comment(byId, '3').parentSourceId, '2');
    assert.equal(comment(byId, '3').author.name, 'ليلى');
    assert.equal(comment(byId, '4').state, 'pending');
    assert.match(comment(byId, '4').body.value, /<script>/);
    assert.equal(comment(byId, '5').state, 'deleted');
    assert.equal(comment(byId, '7').parentSourceId, '99');
    assert.deepEqual(comment(byId, '7').author, {
      key: 'Anonymous',
      name: 'Anonymous',
      email: null,
    });

    assert.deepEqual(skips(items), [
      'invalid 3 thread 3: no uri',
      'empty_body 6 comment 6: empty text',
      'invalid 8 comment 8: unknown mode 3',
      'invalid 9 comment 9: no valid created time',
    ]);
  });

  it('moves progress through the file as rows are read', async () => {
    const file = issoDatabase();
    const reader = findFormat('isso');
    assert.ok(reader);
    const progress: ReaderProgress = { bytesRead: 0, totalBytes: 0 };
    const seen: number[] = [];
    for await (const _item of reader.read(file, progress)) seen.push(progress.bytesRead);
    assert.ok(seen.every((bytes, i) => i === 0 || bytes >= (seen[i - 1] as number)));
    assert.ok((seen[0] as number) < progress.totalBytes);
    assert.equal(progress.bytesRead, progress.totalBytes);
  });

  it('refuses a file that is not SQLite, and a database that is not Isso’s', async () => {
    const text = await formatError('isso', scratchFile('comments.db', DISQUS_XML));
    assert.match(text.message, /Expected an Isso database .*not SQLite \(at byte 0\)/);

    const other = scratchPath('other.db');
    const db = new SQLite(other);
    db.exec('CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR, title VARCHAR)');
    db.close();
    const missing = await formatError('isso', other);
    assert.equal(missing.position.part, 'comments');
    assert.match(missing.message, /no comments table/);
  });
});
