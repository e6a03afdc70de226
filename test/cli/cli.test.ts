/**
 * The `parley` command as an operator meets it: run as a child process from the repository, on a
 * database in a temporary directory, judged only by exit code, output and what ends up on disk.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { ID_PATTERN } from '../../src/domain/ids.ts';
import { verifyPassword } from '../../src/credentials/passwords.ts';
import { buildServer, SERVER_BUNDLE } from '../../scripts/build-server.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COMMANDS = [
  'start',
  'migrate',
  'create-admin',
  'create-site',
  'classifier',
  'import',
  'export',
  'backup',
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/parley.js ...args` with DATABASE_URL set to `database` (and `env`). */
function parley(
  args: string[],
  database: string,
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['bin/parley.js', ...args],
      {
        cwd: ROOT,
        timeout: options.timeoutMs ?? 60_000,
        env: {
          ...process.env,
          DATABASE_URL: database,
          LOG_LEVEL: 'warn',
          NODE_OPTIONS: '',
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        if (error && error.killed) return reject(new Error(`parley ${args.join(' ')} timed out`));
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A usage error: exit 2, a one-line explanation on stderr and a pointer to --help, no stack trace. */
function assertUsageError(run: Run, message: RegExp): void {
  assert.equal(run.code, 2, `exit code (stderr: ${run.stderr})`);
  assert.match(run.stderr, message);
  assert.match(run.stderr, /parley --help/);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
}

const SITE_ID = new RegExp(ID_PATTERN.slice(1, -1));

describe('parley CLI', () => {
  let dir: string;
  let database: string;
  const readOnly = () => new SQLite(database, { readonly: true, fileMustExist: true });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
    database = path.join(dir, 'x.db');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('help and usage errors', { concurrency: 2 }, () => {
    for (const flag of ['--help', '-h']) {
      it(`${flag} lists the commands and exits 0`, async () => {
        const run = await parley([flag], database);
        assert.equal(run.code, 0, run.stderr);
        for (const command of COMMANDS)
          assert.match(run.stdout, new RegExp(`^\\s+${command}\\b`, 'm'));
        assert.match(run.stdout, /DATABASE_URL/);
        assert.equal(fs.existsSync(database), false, 'help touches no database');
      });
    }

    it('without a command shows the usage and exits non-zero', async () => {
      const run = await parley([], database);
      assert.notEqual(run.code, 0);
      assert.match(run.stdout + run.stderr, /Usage: parley <command>/);
    });

    const usageErrors: [string[], RegExp][] = [
      [['bogus'], /unknown command "bogus"/],
      [['create-site', '--name', 'Daily'], /--origin/],
      [['create-site', '--origin', 'https://daily.example'], /--name/],
      [
        ['create-site', '--name', 'Daily', '--origin', 'daily.example'],
        /not an http\(s\) origin: daily\.example/,
      ],
      [['create-admin', '--password', 'long password 1'], /--email/],
      [['migrate', '--bogus'], /bogus/],
      [['create-site', '--name'], /--name/],
    ];
    for (const [args, message] of usageErrors) {
      it(`parley ${args.join(' ')} → exit 2 with a message on stderr`, async () => {
        const run = await parley(args, database);
        assertUsageError(run, message);
        assert.equal(run.stdout, '');
      });
    }
  });

  describe('the server bundle', () => {
    const notice = /running the TypeScript sources/;

    it('runs the bundle when it is newer than the sources, and the sources when it is not', async () => {
      await buildServer();
      const built = fs.statSync(SERVER_BUNDLE);
      const bundled = await parley(['migrate'], path.join(dir, 'bundled.db'));
      assert.equal(bundled.code, 0, bundled.stderr);
      assert.doesNotMatch(bundled.stderr, notice);
      assert.match(bundled.stdout, /Applied: 0001_core/);

      // As if the sources had been edited since the build: the sources run, and it says why.
      const longAgo = new Date('2020-01-01T00:00:00Z');
      fs.utimesSync(SERVER_BUNDLE, longAgo, longAgo);
      try {
        const sources = await parley(['migrate'], path.join(dir, 'sources.db'));
        assert.equal(sources.code, 0, sources.stderr);
        assert.match(sources.stderr, notice);
        assert.match(sources.stderr, /npm run build/);
        assert.match(sources.stdout, /Applied: 0001_core/);
      } finally {
        fs.utimesSync(SERVER_BUNDLE, built.atime, built.mtime);
      }
    });
  });

  describe('on a database of its own', () => {
    it('migrate creates the SQLite file and its tables', async () => {
      assert.equal(fs.existsSync(database), false);
      const run = await parley(['migrate'], database);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(fs.existsSync(database), 'database file created');
      const db = readOnly();
      try {
        const tables = db
          .prepare("select name from sqlite_master where type = 'table'")
          .all()
          .map((row) => (row as { name: string }).name);
        for (const table of ['sites', 'stories', 'users', 'comments', 'jobs']) {
          assert.ok(tables.includes(table), `table ${table}`);
        }
      } finally {
        db.close();
      }
    });

    it('migrate says what it applied on a new database, and that an up-to-date one is up to date', async () => {
      const fresh = path.join(dir, 'fresh.db');
      const first = await parley(['migrate'], fresh);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Applied: 0001_core/, `first run said: ${first.stdout.trim()}`);
      const second = await parley(['migrate'], fresh);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /up to date/);
    });

    it('create-site prints the site id and stores only the origin of the URL given', async () => {
      const run = await parley(
        ['create-site', '--name', 'Daily', '--origin', 'https://daily.example/path?q=1#top'],
        database,
      );
      assert.equal(run.code, 0, run.stderr);
      const id = SITE_ID.exec(run.stdout)?.[0];
      assert.ok(id, `an id in ${JSON.stringify(run.stdout)}`);
      const db = readOnly();
      try {
        const row = db.prepare('select name, allowed_origins from sites where id = ?').get(id) as
          { name: string; allowed_origins: string } | undefined;
        assert.ok(row, `site ${id} is stored`);
        assert.equal(row.name, 'Daily');
        assert.deepEqual(JSON.parse(row.allowed_origins), ['https://daily.example']);
      } finally {
        db.close();
      }
    });

    it('import: usage, a dry run, the report on stdout and progress on stderr, then nothing to do', async () => {
      const fixture = path.join(ROOT, 'test/import/fixtures/disqus/export.xml');
      const site = await parley(
        ['create-site', '--name', 'Imports', '--origin', 'https://news.example'],
        database,
      );
      const id = SITE_ID.exec(site.stdout)?.[0];
      assert.ok(id, site.stderr);
      assertUsageError(await parley(['import', 'disqus', fixture], database), /--site/);
      assertUsageError(await parley(['import', 'disqus'], database), /a format and a file/);
      const unknown = await parley(['import', 'livefyre', fixture, '--site', id], database);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /unknown format "livefyre"; one of:\n\s+disqus/);
      const noSite = await parley(['import', 'disqus', fixture, '--site', 'NOSUCHSITE'], database);
      assert.equal(noSite.code, 1);
      assert.match(noSite.stderr, /no site with id NOSUCHSITE/);

      const dry = await parley(['import', 'disqus', fixture, '--site', id, '--dry-run'], database);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /^Dry run of export\.xml \(disqus\): done/);
      assert.match(dry.stdout, /9 to import \(6 published, 1 pending, 1 rejected as spam/);
      const run = await parley(['import', 'disqus', fixture, '--site', id], database);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /9 imported \(6 published/);
      assert.match(run.stdout, /1 orphan \(answers a comment not imported\)\n\s+e\.g\. 5010/);
      assert.match(run.stderr, /\[#+\] 100% {2}16 items read, 9 comments written/);
      const again = await parley(['import', 'disqus', fixture, '--site', id, '--json'], database);
      assert.equal(again.code, 0, again.stderr);
      const report = JSON.parse(again.stdout) as {
        comments: { imported: number; unchanged: number };
      };
      assert.deepEqual([report.comments.imported, report.comments.unchanged], [0, 13]);
      const bad = path.join(dir, 'cut.xml');
      fs.writeFileSync(bad, fs.readFileSync(fixture, 'utf8').slice(0, 3000));
      const cut = await parley(['import', 'disqus', bad, '--site', id], database);
      assert.equal(cut.code, 1);
      assert.match(cut.stdout, /state: failed|: failed in/);
      assert.match(cut.stdout, /error: the file ends inside <\w+> .*cut short \(at line \d+/);
      assert.doesNotMatch(cut.stderr, /^\s+at /m, 'no stack trace');
    });

    it('create-site takes several --origin flags', async () => {
      const run = await parley(
        [
          'create-site',
          '--name',
          'Two',
          '--origin',
          'https://a.example/',
          '--origin',
          'http://b.example:8080/x',
        ],
        database,
      );
      assert.equal(run.code, 0, run.stderr);
      const id = SITE_ID.exec(run.stdout)?.[0];
      const db = readOnly();
      try {
        const row = db.prepare('select allowed_origins from sites where id = ?').get(id) as {
          allowed_origins: string;
        };
        assert.deepEqual(JSON.parse(row.allowed_origins), [
          'https://a.example',
          'http://b.example:8080',
        ]);
      } finally {
        db.close();
      }
    });

    for (const origin of ['file:///var/www/index.html', 'javascript:alert(1)']) {
      it(`create-site refuses ${origin}, which has no web origin (it would store "null")`, async () => {
        const run = await parley(['create-site', '--name', 'Bad', '--origin', origin], database);
        assertUsageError(run, /origin|URL/i);
        const db = readOnly();
        try {
          const stored = db.prepare("select count(*) as n from sites where name = 'Bad'").get() as {
            n: number;
          };
          assert.equal(stored.n, 0, 'no site was created');
        } finally {
          db.close();
        }
      });
    }

    it('create-admin creates an admin once; a second time is a usage error', async () => {
      const args = ['create-admin', '--email', 'a@b.c', '--password', 'long password 1'];
      const first = await parley(args, database);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Created admin a@b\.c/);
      assert.doesNotMatch(first.stdout, /long password 1/, 'a password given is not echoed');
      const db = readOnly();
      try {
        const user = db
          .prepare("select role, password_hash from users where email = 'a@b.c'")
          .get() as {
          role: string;
          password_hash: string;
        };
        assert.equal(user.role, 'admin');
        assert.ok(
          await verifyPassword(user.password_hash, 'long password 1'),
          'the password works',
        );
      } finally {
        db.close();
      }

      assertUsageError(await parley(args, database), /already exists/);
      assertUsageError(
        await parley(
          ['create-admin', '--email', 'A@B.C', '--password', 'other password 2'],
          database,
        ),
        /already exists/,
      );
    });

    it('start on a port already in use says so and exits non-zero, instead of lingering', async () => {
      const occupier = net.createServer();
      await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
      const { port } = occupier.address() as net.AddressInfo;
      try {
        const started = Date.now();
        // Without a bound the test would wait for a process that never ends: the helper's timeout.
        const run = await parley(['start'], path.join(dir, 'start.db'), {
          env: { PORT: String(port), HOST: '127.0.0.1', PARLEY_CLASSIFIER: '0' },
          timeoutMs: 45_000,
        });
        assert.equal(run.code, 1, `exit code (stderr: ${run.stderr})`);
        assert.match(run.stderr, new RegExp(`127\\.0\\.0\\.1:${port}.*EADDRINUSE`));
        assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
        assert.doesNotMatch(run.stdout, /Parley is running/);
        assert.ok(Date.now() - started < 45_000);
      } finally {
        occupier.close();
      }
    });

    it('start on a database it cannot migrate says so and exits non-zero', async () => {
      // A database from a newer Parley: a migration this one does not know is recorded as applied.
      const newer = path.join(dir, 'newer.db');
      assert.equal((await parley(['migrate'], newer)).code, 0);
      const db = new SQLite(newer);
      db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run(
        '0000_from_the_future',
        new Date().toISOString(),
      );
      db.close();
      const run = await parley(['start'], newer, {
        env: { PORT: '0', HOST: '127.0.0.1', PARLEY_CLASSIFIER: '0' },
        timeoutMs: 45_000,
      });
      assert.equal(run.code, 1, `exit code (stderr: ${run.stderr})`);
      assert.match(run.stderr, /parley: cannot start: the database could not be migrated/);
      assert.doesNotMatch(run.stdout, /Parley is running/);
    });

    it('create-admin without --password prints a generated password that works', async () => {
      const run = await parley(['create-admin', '--email', 'editor@daily.example'], database);
      assert.equal(run.code, 0, run.stderr);
      const password = /with password (\S+)/.exec(run.stdout)?.[1];
      assert.ok(password && password.length >= 12, `a password in ${JSON.stringify(run.stdout)}`);
      const db = readOnly();
      try {
        const user = db
          .prepare("select password_hash from users where email = 'editor@daily.example'")
          .get() as { password_hash: string };
        assert.ok(await verifyPassword(user.password_hash, password));
      } finally {
        db.close();
      }
    });
  });
});
