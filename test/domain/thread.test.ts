/**
 * Threading rules: pagination cursors round-trip for every sort and anything else a client sends
 * back is refused with INVALID_CURSOR; replies nest until the site's maximum depth and are then
 * flattened beside the comment they answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParleyError } from '../../src/domain/errors.ts';
import { newId } from '../../src/domain/ids.ts';
import {
  SORTS,
  decodeCursor,
  encodeCursor,
  placeReply,
  type Cursor,
  type Sort,
} from '../../src/domain/thread.ts';

const ID = '01HZY3M9QK8W5T2N4RBXJ6CDVE';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function assertInvalid(raw: string, sort: Sort): void {
  assert.throws(
    () => decodeCursor(raw, sort),
    (error: unknown) =>
      error instanceof ParleyError && error.code === 'INVALID_CURSOR' && error.status === 400,
    `${JSON.stringify(raw.slice(0, 80))} should be INVALID_CURSOR for ${sort}`,
  );
}

describe('cursors', () => {
  const keys: Record<Sort, (number | null)[]> = {
    newest: [null],
    oldest: [null],
    replies: [0, 7, 2 ** 31 - 1],
    reactions: [0, 1234],
    best: [0, -6.2146080984222, 19_321.123456789],
  };
  for (const sort of SORTS) {
    for (const key of keys[sort]) {
      it(`round-trips a ${sort} cursor with key ${key}`, () => {
        const cursor: Cursor = { sort, key, id: newId() };
        const raw = encodeCursor(cursor);
        assert.match(raw, /^[A-Za-z0-9_-]+$/, 'URL-safe without escaping');
        assert.deepEqual(decodeCursor(raw, sort), cursor);
      });
    }
  }

  it('every sort is covered by the round-trip table', () => {
    assert.deepEqual(Object.keys(keys).sort(), [...SORTS].sort());
  });

  for (const sort of SORTS) {
    const other = SORTS.find((s) => s !== sort) as Sort;
    it(`refuses a ${other} cursor when listing by ${sort}`, () => {
      assertInvalid(encodeCursor({ sort: other, key: 3, id: ID }), sort);
    });
  }

  const garbage: [string, string][] = [
    ['empty', ''],
    ['not base64', '!!!***'],
    ['base64 of non-JSON', Buffer.from('hello world').toString('base64url')],
    ['JSON object instead of array', b64({ sort: 'newest', key: null, id: ID })],
    ['JSON null', b64(null)],
    ['array too short', b64(['newest', null])],
    ['array too long', b64(['newest', null, ID, 'extra'])],
    ['unknown sort', b64(['best', null, ID])],
    ['id too short', b64(['newest', null, ID.slice(1)])],
    ['id too long', b64(['newest', null, `${ID}0`])],
    ['lower-case id', b64(['newest', null, ID.toLowerCase()])],
    ['id with punctuation', b64(['newest', null, `${ID.slice(0, 25)}-`])],
    ['SQL in the id', b64(['newest', null, "' or 1=1 --                "])],
    ['id that is a number', b64(['newest', null, 1234567890123456])],
    ['fractional key', b64(['newest', 1.5, ID])],
    ['key as a string', b64(['newest', '3', ID])],
    ['key beyond safe integers', b64(['newest', 2 ** 60, ID])],
    ['boolean key', b64(['newest', true, ID])],
    ['huge string', 'A'.repeat(1_000_000)],
    ['huge valid-looking JSON', b64(['newest', null, 'A'.repeat(500_000)])],
  ];
  for (const [name, raw] of garbage) {
    it(`refuses ${name}`, () => assertInvalid(raw, 'newest'));
  }
  it('refuses count keys outside what the database stores (0 to 2^31 - 1)', () => {
    assertInvalid(b64(['replies', 2 ** 31, ID]), 'replies');
    assertInvalid(b64(['reactions', -1, ID]), 'reactions');
  });
});

describe('placeReply', () => {
  const chain = (maxDepth: number) => {
    // Builds a chain of replies, each answering the previous one, and returns their placements.
    const top = { id: newId(), depth: 0, threadParentId: null as string | null };
    const placed = [{ ...top, flattened: false }];
    for (let i = 0; i < maxDepth + 3; i++) {
      const parent = placed[placed.length - 1];
      assert.ok(parent);
      const placement = placeReply(parent, maxDepth);
      placed.push({ id: newId(), ...placement });
    }
    return placed;
  };

  for (const maxDepth of [1, 2, 3]) {
    it(`nests below depth ${maxDepth} and flattens at it`, () => {
      const placed = chain(maxDepth);
      assert.deepEqual(
        placed.map((p) => p.depth),
        placed.map((_, i) => Math.min(i, maxDepth)),
        'depth grows by one until the maximum, then stays',
      );
      for (let i = 1; i < placed.length; i++) {
        const reply = placed[i];
        const parent = placed[i - 1];
        assert.ok(reply && parent);
        if (i <= maxDepth) {
          assert.equal(reply.threadParentId, parent.id, `reply ${i} is listed under its parent`);
          assert.equal(reply.flattened, false);
        } else {
          assert.equal(reply.flattened, true, `reply ${i} is flattened`);
          assert.equal(
            reply.threadParentId,
            parent.threadParentId,
            'beside the comment it answers',
          );
          assert.equal(reply.depth, parent.depth);
        }
      }
      const deepest = placed.slice(maxDepth + 1);
      assert.equal(
        new Set(deepest.map((p) => p.threadParentId)).size,
        1,
        'all flattened under one comment',
      );
      assert.equal(deepest[0]?.threadParentId, placed[maxDepth - 1]?.id);
    });
  }
});
