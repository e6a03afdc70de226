/**
 * Group commit on SQLite: writes that arrive together share one transaction, each is answered only
 * once it is on disk (another connection to the file sees it), and one failing write leaves the
 * others in its batch intact.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { groupCommit } from '../../src/store/group-commit.ts';
import type { Database } from '../../src/store/schema.ts';

describe('group commit (SQLite)', () => {
  let dir: string;
  let file: string;
  let db: Kysely<Database>;
  const batches: number[] = [];
  let transact: ReturnType<typeof groupCommit>;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-group-'));
    file = path.join(dir, 'g.db');
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    await sql`create table notes (id integer primary key, text text not null unique)`.execute(db);
    transact = groupCommit(db, { maxBatch: 8, onBatch: (size) => batches.push(size) });
  });
  after(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const insert = (text: string) =>
    transact(async (trx) => {
      await sql`insert into notes (text) values (${text})`.execute(trx);
      return text;
    });

  it('commits writes that arrive together in shared batches, each visible once answered', async () => {
    batches.length = 0;
    const reader = new SQLite(file, { readonly: true });
    try {
      const texts = Array.from({ length: 20 }, (_, i) => `note ${i}`);
      const answered = await Promise.all(
        texts.map((text) =>
          insert(text).then((value) => {
            // Answered means committed: a separate connection already sees the row.
            const row = reader.prepare('select text from notes where text = ?').get(value);
            assert.ok(row, `${value} visible to another connection when answered`);
            return value;
          }),
        ),
      );
      assert.deepEqual(answered, texts);
      assert.deepEqual(batches, [8, 8, 4], 'twenty writes in three commits of at most eight');
    } finally {
      reader.close();
    }
  });

  it('rolls back only the write that failed', async () => {
    batches.length = 0;
    const results = await Promise.allSettled([
      insert('kept 1'),
      insert('note 0'), // violates the unique constraint
      transact(async (trx) => {
        await sql`insert into notes (text) values ('half done')`.execute(trx);
        throw new Error('changed my mind');
      }),
      insert('kept 2'),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
    );
    const rows = await sql<{
      text: string;
    }>`select text from notes where text in ('kept 1', 'kept 2', 'half done') order by text`.execute(
      db,
    );
    assert.deepEqual(
      rows.rows.map((r) => r.text),
      ['kept 1', 'kept 2'],
    );
    assert.deepEqual(batches, [2]);
  });

  it('keeps working after a failed batch and for a lone write', async () => {
    assert.equal(await insert('alone'), 'alone');
  });
});
