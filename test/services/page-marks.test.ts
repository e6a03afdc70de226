/**
 * The page marks kept for signed-in readers (PageMarksCache): read once per page record and shared
 * by its concurrent readers, read again for a new record (the page read again), a reader's marks
 * found under their id only, a page with too many rows not kept, failures not kept, and the row
 * budget held.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PageMarksCache } from '../../src/services/thread-cache.ts';

type Row = { kind: string; user_id: string; comment_id: string };

function reader(rows: Row[]) {
  const calls: number[] = [];
  return {
    calls,
    read: async (limit: number) => {
      calls.push(limit);
      await Promise.resolve();
      return rows.slice(0, limit);
    },
  };
}

const rows: Row[] = [
  { kind: 'r', user_id: 'ann', comment_id: 'c1' },
  { kind: 'r', user_id: 'ann', comment_id: 'c2' },
  { kind: 'p', user_id: 'bob', comment_id: 'c1' },
  { kind: 'u', user_id: 'cat', comment_id: 'c9' },
  { kind: 'r', user_id: 'cat', comment_id: 'c9' },
];

describe('PageMarksCache', () => {
  it('reads a page once for all its readers, and files each mark under its reader', async () => {
    const cache = new PageMarksCache({ maxRows: 100, maxRowsPerPage: 10 });
    const source = reader(rows);
    const page = {};
    const [a, b] = await Promise.all([cache.get(page, source.read), cache.get(page, source.read)]);
    assert.equal(a, b);
    assert.deepEqual(source.calls, [11], 'one read, asking for one row more than it keeps');
    assert.deepEqual(a?.byUser.get('ann'), { reacted: ['c1', 'c2'], reported: [] });
    assert.deepEqual(a?.byUser.get('bob'), { reacted: [], reported: ['c1'] });
    assert.deepEqual(a?.byUser.get('cat'), { reacted: ['c9'], reported: [] });
    assert.equal(a?.byUser.get('dan'), undefined);
    assert.deepEqual([...(a?.unpublished ?? [])], ['cat']);
    await cache.get(page, source.read);
    assert.equal(source.calls.length, 1);
  });

  it('reads again for a page read again (a new record), never serving the old one’s marks', async () => {
    const cache = new PageMarksCache({ maxRows: 100, maxRowsPerPage: 10 });
    const before = await cache.get({}, reader(rows).read);
    const after = await cache.get({}, reader([]).read);
    assert.equal(before?.byUser.size, 3);
    assert.equal(after?.byUser.size, 0);
  });

  it('keeps no page with more rows than it may hold: its readers are asked about one by one', async () => {
    const cache = new PageMarksCache({ maxRows: 100, maxRowsPerPage: 4 });
    const source = reader(rows);
    const page = {};
    assert.equal(await cache.get(page, source.read), null);
    assert.deepEqual(cache.size, { pages: 0, rows: 0 });
    assert.equal(await cache.get(page, source.read), null);
    assert.equal(source.calls.length, 2);
  });

  it('keeps no failed read', async () => {
    const cache = new PageMarksCache({ maxRows: 100, maxRowsPerPage: 10 });
    const page = {};
    await assert.rejects(
      cache.get(page, () => Promise.reject(new Error('database gone'))),
      /database gone/,
    );
    assert.equal((await cache.get(page, reader(rows).read))?.byUser.size, 3);
  });

  it('stays within its row budget, least recently used pages first', async () => {
    const cache = new PageMarksCache({ maxRows: 20, maxRowsPerPage: 10 });
    const pages = Array.from({ length: 10 }, () => ({}));
    const first = pages[0] as object;
    for (const page of pages) {
      await cache.get(page, reader(rows).read);
      await cache.get(first, reader(rows).read); // the first page stays in use
      assert.ok(cache.size.rows <= 20, `rows held: ${cache.size.rows}`);
    }
    const source = reader(rows);
    await cache.get(first, source.read);
    assert.equal(source.calls.length, 0, 'the page in use was kept');
    await cache.get(pages[1] as object, source.read);
    assert.equal(source.calls.length, 1, 'an old page was let go and is read again');
  });
});
