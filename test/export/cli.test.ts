/**
 * `parley export` as an operator runs it: a child process on a SQLite database in a temporary
 * directory, judged by exit code, output and what ends up on disk: the archive in place (never a
 * partial file), an existing file kept unless --force, standard output when no --out, WXR, and
 * the errors an operator can make.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { restoreParleyExport } from '../../src/export/restore.ts';
import { newId } from '../../src/domain/ids.ts';
import { openStore } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { tableCounts, tempDir } from './fixtures.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function parley(args: string[], database: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['bin/parley.js', ...args],
      {
        cwd: ROOT,
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, DATABASE_URL: database, LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
      },
      (error, stdout, stderr) => {
        if (error && error.killed) return reject(new Error(`parley ${args.join(' ')} timed out`));
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('parley export', () => {
  let dir: string;
  let database: string;
  let siteId: string;

  before(async () => {
    dir = tempDir();
    database = path.join(dir, 'parley.db');
    const store = openStore({ engine: 'sqlite', file: database });
    await migrate(store);
    const site = await insertSite(store.db, {
      name: 'CLI News',
      allowedOrigins: ['https://cli.example'],
      editWindowSeconds: 300,
      maxDepth: 3,
    });
    siteId = site.id;
    const user = await insertUser(store.db, {
      email: 'reader@cli.example',
      displayName: 'Reader',
      passwordHash: '$argon2id$v=19$not-a-real-hash',
      role: 'commenter',
    });
    const now = new Date().toISOString();
    const storyId = newId();
    await store.db
      .insertInto('stories')
      .values({
        id: storyId,
        site_id: site.id,
        external_id: 'a-story',
        url: 'https://cli.example/a-story',
        title: 'A story',
        closed: 0,
        comment_count: 1,
        created_at: now,
      })
      .execute();
    await store.db
      .insertInto('comments')
      .values({
        id: newId(),
        site_id: site.id,
        story_id: storyId,
        parent_id: null,
        thread_parent_id: null,
        depth: 0,
        author_id: user?.id as string,
        body: 'Hello',
        html: '<p>Hello</p>',
        status: 'approved',
        reply_count: 0,
        reaction_count: 0,
        created_at: now,
        author_ip: '203.0.113.9',
      })
      .execute();
    await store.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the archive to --out, and keeps an existing file unless --force', async () => {
    const out = path.join(dir, 'parley.ndjson');
    const run = await parley(['export', '--out', out], database);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Exported 4 records \(every site\) to .*parley\.ndjson/);
    assert.match(run.stderr, /site 1, story 1, user 1, comment 1/);
    assert.equal(run.stdout, '');
    const text = fs.readFileSync(out, 'utf8');
    const lines = text.trimEnd().split('\n');
    assert.equal(JSON.parse(lines[0] as string).type, 'parley-export');
    assert.equal(JSON.parse(lines.at(-1) as string).type, 'end');
    assert.ok(!text.includes('203.0.113.9') && !text.includes('argon2'));
    assert.deepEqual(
      fs.readdirSync(dir).filter((name) => name.includes('partial')),
      [],
      'no temporary file left behind',
    );

    fs.writeFileSync(out, 'precious');
    const refused = await parley(['export', '--out', out], database);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /parley: export failed: .*already exists.*--force/);
    assert.doesNotMatch(refused.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(fs.readFileSync(out, 'utf8'), 'precious', 'the existing file is untouched');

    const forced = await parley(['export', '--out', out, '--force'], database);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(fs.readFileSync(out, 'utf8').split('\n').length, lines.length + 1);

    // And the archive restores.
    const target = openStore({ engine: 'sqlite', file: path.join(dir, 'restored.db') });
    try {
      await migrate(target);
      const report = await restoreParleyExport(target, out);
      assert.equal(report.restored.comment, 1);
      assert.equal((await tableCounts(target)).comments, 1);
    } finally {
      await target.close();
    }
  });

  it('writes to standard output without --out, and one site as WXR', async () => {
    const run = await parley(['export', '--site', siteId], database);
    assert.equal(run.code, 0, run.stderr);
    const first = JSON.parse(run.stdout.split('\n')[0] as string);
    assert.equal(first.siteId, siteId);
    assert.match(run.stderr, /to standard output/);

    const wxr = await parley(['export', '--format', 'wxr'], database);
    assert.equal(wxr.code, 0, wxr.stderr);
    assert.match(wxr.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    assert.match(
      wxr.stdout,
      /<wp:comment_content><!\[CDATA\[<p>Hello<\/p>\]\]><\/wp:comment_content>/,
    );
    assert.match(wxr.stderr, /Exported 1 comments on 1 stories/);
  });

  it('explains what is wrong: an unknown format, an unknown site, a missing directory', async () => {
    const format = await parley(['export', '--format', 'csv'], database);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format is parley or wxr, not "csv"/);
    const site = await parley(['export', '--site', 'NOPE'], database);
    assert.equal(site.code, 1);
    assert.match(site.stderr, /export failed: there is no site with id NOPE/);
    const missing = await parley(['export', '--out', path.join(dir, 'no/such/dir/x')], database);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /the directory .* does not exist/);
  });
});
