/**
 * The thread page cache: a page read across a write is never kept, memory stays within its byte
 * budget whatever keys strangers make up, and serialised bytes follow the settings they were
 * rendered with.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateBytes, ThreadCache } from '../../src/services/thread-cache.ts';

const page = (text: string) => ({ text });

describe('ThreadCache', () => {
  it('serves a kept page until the story changes', () => {
    const cache = new ThreadCache<{ text: string }>({ ttlMs: 1000, sizeOf: estimateBytes });
    cache.set('s1', 'newest', page('a'), cache.version('s1'), 0);
    assert.equal(cache.get('s1', 'newest', 10)?.value.text, 'a');
    assert.equal(cache.get('s2', 'newest', 10), undefined, 'keys are per story');
    cache.storyChanged('s1');
    assert.equal(cache.get('s1', 'newest', 10), undefined);
    assert.equal(cache.size.entries, 0, 'a stale page is dropped when found');
  });

  it('does not keep a page that was read while the story changed', () => {
    const cache = new ThreadCache<{ text: string }>({ ttlMs: 1000, sizeOf: estimateBytes });
    const before = cache.version('s1');
    // ...the reader queries the database here, and meanwhile a comment is posted...
    cache.storyChanged('s1');
    const served = cache.set('s1', 'newest', page('read before the write'), before, 0);
    assert.equal(served.value.text, 'read before the write', 'this reader still gets its page');
    assert.equal(cache.get('s1', 'newest', 1), undefined, 'but nobody after it does');
  });

  it('expires pages after the TTL, and keeps nothing with a TTL of 0', () => {
    const cache = new ThreadCache<{ text: string }>({ ttlMs: 100, sizeOf: estimateBytes });
    cache.set('s1', 'k', page('a'), 0, 0);
    assert.ok(cache.get('s1', 'k', 99));
    assert.equal(cache.get('s1', 'k', 100), undefined);
    const off = new ThreadCache<{ text: string }>({ ttlMs: 0, sizeOf: estimateBytes });
    off.set('s1', 'k', page('a'), 0, 0);
    assert.equal(off.get('s1', 'k', 0), undefined);
    assert.deepEqual(off.size, { entries: 0, bytes: 0 });
  });

  it('stays within its byte budget, dropping the least recently used pages', () => {
    const text = 'x'.repeat(5000); // about 10 KB per page
    const cache = new ThreadCache<{ text: string }>({
      ttlMs: 60_000,
      maxBytes: 200_000,
      sizeOf: estimateBytes,
    });
    cache.set('s1', 'hot', page(text), 0, 0);
    for (let i = 0; i < 1000; i++) {
      cache.set('s1', `cursor-${i}`, page(text), 0, 0);
      if (i % 5 === 0) assert.ok(cache.get('s1', 'hot', 1), 'a page in use stays');
    }
    assert.ok(cache.size.bytes <= 200_000, `bytes held: ${cache.size.bytes}`);
    assert.ok(cache.size.entries < 25, `entries held: ${cache.size.entries}`);
    assert.ok(cache.get('s1', 'cursor-999', 1), 'the newest page is kept');
    assert.equal(cache.get('s1', 'cursor-0', 1), undefined, 'the oldest went');
  });

  it('does not keep a single page bigger than a sixteenth of the budget', () => {
    const cache = new ThreadCache<{ text: string }>({
      ttlMs: 60_000,
      maxBytes: 160_000,
      sizeOf: estimateBytes,
    });
    cache.set('s1', 'small', page('a'), 0, 0);
    const big = cache.set('s1', 'big', page('x'.repeat(6000)), 0, 0);
    assert.equal(big.value.text.length, 6000);
    assert.equal(cache.get('s1', 'big', 1), undefined);
    assert.ok(cache.get('s1', 'small', 1));
  });

  it('serialises once per rendering token and counts the bytes', () => {
    const cache = new ThreadCache<{ text: string }>({ ttlMs: 60_000, sizeOf: estimateBytes });
    const entry = cache.set('s1', 'k', page('a'), 0, 0);
    const held = cache.size.bytes;
    let renders = 0;
    const render = () => Buffer.from(`{"n":${++renders}}`);
    const settingsA = {};
    const first = cache.serialised(entry, settingsA, render);
    assert.equal(cache.serialised(entry, settingsA, render), first);
    assert.equal(renders, 1);
    assert.equal(cache.size.bytes, held + first.body.length);
    const second = cache.serialised(entry, {}, render);
    assert.equal(renders, 2, 'new settings render again');
    assert.notEqual(second.etag, first.etag);
    assert.equal(cache.size.bytes, held + second.body.length);
  });

  it('counts nothing for bytes of a page it did not keep', () => {
    const cache = new ThreadCache<{ text: string }>({ ttlMs: 60_000, sizeOf: estimateBytes });
    cache.storyChanged('s1');
    const served = cache.set('s1', 'k', page('a'), 0, 0);
    cache.serialised(served, null, () => Buffer.alloc(1000));
    assert.deepEqual(cache.size, { entries: 0, bytes: 0 });
  });
});
