/**
 * Restoring Parley's archive from files that are not what they should be, on both engines: cut
 * short (mid-line or at a line's end), a line that is not JSON, an unknown record type, a missing
 * field, a newer version, not an archive at all. Each error names the line; what came before it is
 * committed and consistent, and restoring the complete file afterwards finishes the job. Also: an
 * account the instance already has (merged by address), replies that come before their parent,
 * comments whose parent is missing, and a pending account deletion, planned again.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ARCHIVE_VERSION } from '../../src/export/archive.ts';
import { restoreParleyExport, RestoreError } from '../../src/export/restore.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/engines.ts';
import { buildDiscussion, exportText, tableCounts, tempDir, type Discussion } from './fixtures.ts';

let source: TestApp;
let discussion: Discussion;
let lines: string[];
let dir: string;

type Parsed = Record<string, unknown> & { type: string };
const parse = (line: string) => JSON.parse(line) as Parsed;
/** The 0-based index of the first line matching. */
const indexWhere = (test: (record: Parsed) => boolean) => lines.findIndex((l) => test(parse(l)));
const count = (type: string, upTo = lines.length) =>
  lines.slice(0, upTo).filter((l) => parse(l).type === type).length;

before(async () => {
  source = await createTestApp('sqlite', { PARLEY_THREAD_CACHE_TTL_MS: '0' });
  discussion = await buildDiscussion(source);
  // A deletion asked for and not yet carried out.
  await source.store.db
    .updateTable('users')
    .set({
      deletion_requested_at: new Date().toISOString(),
      deletion_due_at: new Date(Date.now() + 86_400_000).toISOString(),
    })
    .where('id', '=', discussion.readers.held?.id as string)
    .execute();
  lines = (await exportText(source.store)).trimEnd().split('\n');
  dir = tempDir();
});
after(async () => {
  await source?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let fileCounter = 0;
function file(text: string): string {
  const name = path.join(dir, `archive-${++fileCounter}.ndjson`);
  fs.writeFileSync(name, text);
  return name;
}
const complete = () => file(`${lines.join('\n')}\n`);

/** The archive with its end record's counts made to match what it holds. */
function withCounts(kept: string[]): string {
  const counts: Record<string, number> = {};
  for (const line of kept.slice(1, -1)) {
    const { type } = parse(line);
    counts[type] = (counts[type] ?? 0) + 1;
  }
  const end = parse(kept.at(-1) as string);
  const all = end.counts as Record<string, number>;
  for (const type of Object.keys(all)) all[type] = counts[type] ?? 0;
  return `${[...kept.slice(0, -1), JSON.stringify(end)].join('\n')}\n`;
}

async function rejection(promise: Promise<unknown>): Promise<RestoreError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RestoreError, `a RestoreError, not ${String(error)}`);
    assert.doesNotMatch(error.message, /^\s+at /m);
    return error;
  }
  assert.fail('the restore should have failed');
}

for (const engine of await testEngines()) {
  describe(`restoring Parley's archive on ${engine}`, () => {
    let database: TestDatabase;
    let store: Store;

    const fresh = async () => {
      if (store) await store.close();
      if (database) await database.drop();
      database = await createTestDatabase(engine);
      store = openStore(database.config);
      await migrate(store);
      return store;
    };
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it('an archive cut in the middle of a line: an error naming it, what came before committed, and the complete file finishes', async () => {
      const db = await fresh();
      const cut = indexWhere((r) => r.type === 'comment' && r.id === discussion.comments.reported);
      const text = `${lines.slice(0, cut).join('\n')}\n${(lines[cut] as string).slice(0, 60)}`;
      const error = await rejection(restoreParleyExport(db, file(text)));
      assert.equal(error.line, cut + 1);
      assert.match(error.message, new RegExp(`^line ${cut + 1}: .*cut short`));
      const counts = await tableCounts(db);
      assert.equal(counts.comments, count('comment', cut), 'every complete comment before it');
      assert.equal(counts.users, count('user'));
      assert.equal(counts.reactions, 0);
      assert.equal(error.report.restored.comment, count('comment', cut));

      const report = await restoreParleyExport(db, complete());
      assert.equal(report.restored.comment, count('comment') - count('comment', cut));
      assert.equal(report.skippedExisting.comment, count('comment', cut));
      assert.equal((await tableCounts(db)).comments, count('comment'));
      assert.equal((await tableCounts(db)).reactions, count('reaction'));
    });

    it('an archive cut at the end of a line: "without its end record"', async () => {
      const db = await fresh();
      const cut = indexWhere((r) => r.type === 'reaction') + 1;
      const error = await rejection(
        restoreParleyExport(db, file(`${lines.slice(0, cut).join('\n')}\n`)),
      );
      assert.match(error.message, /without its end record: the file was cut short/);
      assert.equal(error.line, cut);
      assert.equal((await tableCounts(db)).reactions, 1);
      await restoreParleyExport(db, complete());
      assert.equal((await tableCounts(db)).reactions, count('reaction'));
    });

    it('a line that is not JSON: an error naming it; nothing from it on is written', async () => {
      const db = await fresh();
      const bad = indexWhere((r) => r.type === 'reaction') + 1;
      const broken = [...lines];
      broken[bad] = '{"type":"reaction","commentId":';
      const error = await rejection(restoreParleyExport(db, file(`${broken.join('\n')}\n`)));
      assert.equal(error.line, bad + 1);
      assert.match(error.message, new RegExp(`^line ${bad + 1}: not valid JSON`));
      const counts = await tableCounts(db);
      assert.equal(counts.reactions, 1, 'the reaction before the bad line');
      assert.equal(counts.reports, 0, 'nothing after it');
      assert.equal(counts.comments, count('comment'));
    });

    it('an unknown record type, a missing field, a wrong value: errors naming the line', async () => {
      const db = await fresh();
      const at = indexWhere((r) => r.type === 'reaction');
      const cases: [string, RegExp][] = [
        ['{"type":"poll","id":"1"}', /unknown record type "poll"/],
        ['"just a string"', /not a record/],
      ];
      const comment = parse(lines[indexWhere((r) => r.type === 'comment')] as string);
      const { body: _, ...withoutBody } = comment;
      cases.push([
        JSON.stringify({ ...withoutBody, id: 'X' }),
        /a comment record without its "body"/,
      ]);
      cases.push([
        JSON.stringify({ ...comment, id: 'Y', status: 'shown' }),
        /a comment record whose "status" is not one of approved, pending, rejected, deleted: "shown"/,
      ]);
      cases.push([
        JSON.stringify({ ...comment, id: 'Z', createdAt: 'yesterday' }),
        /"createdAt" is not a date and time/,
      ]);
      for (const [line, message] of cases) {
        const broken = [...lines];
        broken.splice(at, 0, line);
        const error = await rejection(restoreParleyExport(db, file(`${broken.join('\n')}\n`)));
        assert.equal(error.line, at + 1, line);
        assert.match(error.message, new RegExp(`^line ${at + 1}: `));
        assert.match(error.message, message);
      }
      const misplaced = [...lines];
      misplaced.splice(at, 0, lines[1] as string); // a site record after the comments
      const error = await rejection(restoreParleyExport(db, file(`${misplaced.join('\n')}\n`)));
      assert.match(
        error.message,
        new RegExp(`^line ${at + 1}: a site record after comment records`),
      );
    });

    it('an archive of a newer version, or not an archive: refused before anything is written', async () => {
      const db = await fresh();
      const newer = ARCHIVE_VERSION + 1;
      const header = { ...parse(lines[0] as string), version: newer };
      const newerFile = file(`${[JSON.stringify(header), ...lines.slice(1)].join('\n')}\n`);
      const error = await rejection(restoreParleyExport(db, newerFile));
      assert.equal(error.line, 1);
      assert.match(
        error.message,
        new RegExp(`version ${newer}, made by a newer Parley.*reads version ${ARCHIVE_VERSION}`),
      );
      const notOurs = file('<?xml version="1.0"?>\n<disqus></disqus>\n');
      assert.match(
        (await rejection(restoreParleyExport(db, notOurs))).message,
        /not a Parley export/,
      );
      const other = file('{"type":"comment"}\n');
      assert.match(
        (await rejection(restoreParleyExport(db, other))).message,
        /not a Parley export/,
      );
      assert.match((await rejection(restoreParleyExport(db, file('')))).message, /empty/);
      const altered = withCounts(lines).replace('"comment":14', '"comment":15');
      assert.match(
        (await rejection(restoreParleyExport(db, file(altered)))).message,
        /counts 15 comment records but the archive holds 14: it was altered/,
      );
      const counts = await tableCounts(db);
      assert.equal(counts.users, count('user'), 'only the altered archive was written');
      await fresh();
      await rejection(restoreParleyExport(store, newerFile));
      assert.equal((await tableCounts(store)).users, 0);
    });

    it('an address the instance already has: the account there takes the archive’s comments', async () => {
      const db = await fresh();
      const rana = discussion.readers.rana as { id: string; email: string };
      await db.db
        .insertInto('users')
        .values({
          id: 'EXISTING0000000000000000RA',
          email: rana.email,
          display_name: 'Rana Here',
          password_hash: 'kept',
          role: 'commenter',
          created_at: new Date().toISOString(),
        })
        .execute();
      const report = await restoreParleyExport(db, complete());
      assert.equal(report.merged.users, 1);
      assert.equal(report.restored.user, count('user') - 1);
      const authored = await db.db
        .selectFrom('comments')
        .select('id')
        .where('author_id', '=', 'EXISTING0000000000000000RA')
        .execute();
      const expected = lines.filter((l) => {
        const r = parse(l);
        return r.type === 'comment' && r.authorId === rana.id;
      }).length;
      assert.ok(expected > 0);
      assert.equal(authored.length, expected);
      const reactions = await db.db
        .selectFrom('reactions')
        .select('comment_id')
        .where('user_id', '=', 'EXISTING0000000000000000RA')
        .execute();
      assert.equal(reactions.length, 1);
      const kept = await db.db
        .selectFrom('users')
        .select(['display_name', 'password_hash'])
        .where('id', '=', 'EXISTING0000000000000000RA')
        .executeTakeFirstOrThrow();
      assert.deepEqual(kept, { display_name: 'Rana Here', password_hash: 'kept' });
      const again = await restoreParleyExport(db, complete());
      assert.equal(again.merged.users, 1);
      assert.equal(again.restored.comment, 0);
    });

    it('a reply that comes before its parent waits for it; one whose parent is missing is left out', async () => {
      const db = await fresh();
      const { comments } = discussion;
      const reordered = [...lines];
      const parent = reordered.findIndex((l) => parse(l).id === comments.reply2);
      const [reply] = reordered.splice(
        reordered.findIndex((l) => parse(l).id === comments.reply3),
        1,
      );
      reordered.splice(parent, 0, reply as string);
      const report = await restoreParleyExport(db, file(`${reordered.join('\n')}\n`));
      assert.equal(report.orphaned, 0);
      assert.equal((await tableCounts(db)).comments, count('comment'));

      const other = await fresh();
      const without = withCounts(lines.filter((l) => parse(l).id !== comments.reply1));
      const partial = await restoreParleyExport(other, file(without));
      // reply1's descendants (reply2, reply3, reply4) and the reaction given to it.
      assert.equal(partial.orphaned, 3 + 1);
      assert.equal((await tableCounts(other)).comments, count('comment') - 4);
    });

    it('plans a pending account deletion again, once', async () => {
      const db = await fresh();
      const report = await restoreParleyExport(db, complete());
      assert.equal(report.deletionsScheduled, 1);
      const held = discussion.readers.held?.id as string;
      const jobs = await db.db.selectFrom('jobs').select(['kind', 'payload', 'run_at']).execute();
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0]?.kind, 'account.delete');
      assert.deepEqual(JSON.parse(jobs[0]?.payload as string), { userId: held });
      await restoreParleyExport(db, complete());
      assert.equal((await tableCounts(db)).jobs, 1);
    });

    it('reports progress and restores a file with Windows line ends and a byte order mark', async () => {
      const db = await fresh();
      const seen: { records: number; bytesRead: number; totalBytes: number }[] = [];
      const name = file(`\uFEFF${lines.join('\r\n')}\r\n`);
      const report = await restoreParleyExport(db, name, { onProgress: (p) => seen.push(p) });
      assert.equal(report.read, lines.length - 2);
      const last = seen.at(-1);
      assert.equal(last?.records, report.read);
      assert.equal(last?.totalBytes, fs.statSync(name).size);
      assert.equal(last?.bytesRead, last?.totalBytes);
    });
  });
}
