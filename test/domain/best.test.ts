/**
 * The Best order's key (src/domain/best.ts): the Wilson lower bound of respects over views,
 * decayed with age, stored as a time-invariant logarithm.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BEST_HALF_LIFE_SECONDS,
  bestKey,
  bestScore,
  wilsonLowerBound,
} from '../../src/domain/best.ts';
import { decodeCursor, encodeCursor } from '../../src/domain/thread.ts';

const at = '2026-12-07T12:00:00.000Z';
const hoursAfter = (hours: number) => new Date(Date.parse(at) + hours * 3600_000).toISOString();

describe('wilsonLowerBound', () => {
  it('matches known values and stays within [0, p]', () => {
    assert.equal(wilsonLowerBound(0, 0), 0);
    assert.equal(wilsonLowerBound(0, 10), 0);
    assert.ok(Math.abs(wilsonLowerBound(1, 1) - 0.2065) < 1e-3);
    assert.ok(Math.abs(wilsonLowerBound(60, 100) - 0.502) < 1e-3);
    for (const [s, n] of [
      [1, 2],
      [5, 7],
      [99, 100],
      [100, 100],
    ]) {
      const lb = wilsonLowerBound(s as number, n as number);
      assert.ok(lb > 0 && lb <= (s as number) / (n as number), `${s}/${n}: ${lb}`);
    }
  });
});

describe('bestKey', () => {
  it('grows with respects, other things equal', () => {
    let previous = -Infinity;
    for (let respects = 0; respects <= 200; respects++) {
      const key = bestKey({ respects, views: 200, createdAt: at });
      assert.ok(key > previous, `respects ${respects}`);
      previous = key;
    }
  });

  it('ranks more views with the same respects lower', () => {
    let previous = Infinity;
    for (const views of [5, 10, 50, 100, 1000, 10_000]) {
      const key = bestKey({ respects: 5, views, createdAt: at });
      assert.ok(key < previous, `views ${views}`);
      previous = key;
    }
  });

  it('ranks the newer of two comments with equal evidence higher', () => {
    for (const [respects, views] of [
      [0, 0],
      [3, 10],
      [50, 60],
    ]) {
      const older = bestKey({
        respects: respects as number,
        views: views as number,
        createdAt: at,
      });
      const newer = bestKey({
        respects: respects as number,
        views: views as number,
        createdAt: hoursAfter(1),
      });
      assert.ok(newer > older);
    }
  });

  it('does not let a comment with little evidence jump over a well-established one', () => {
    const established = bestKey({ respects: 60, views: 100, createdAt: at });
    for (const [respects, views] of [
      [1, 1],
      [2, 2],
      [3, 3],
      [1, 0], // reacted, views not reported yet: counted as seen
    ]) {
      const lucky = bestKey({
        respects: respects as number,
        views: views as number,
        createdAt: at,
      });
      assert.ok(lucky < established, `${respects}/${views}`);
    }
    // The mean ratio would put 1/1 (100%) above 60/100: the bound is what prevents it.
    assert.ok(1 / 1 > 60 / 100);
  });

  it('never counts fewer views than respects, and survives nonsense counts', () => {
    assert.equal(
      bestKey({ respects: 5, views: 0, createdAt: at }),
      bestKey({ respects: 5, views: 5, createdAt: at }),
    );
    for (const views of [-1, 0, 0.5]) {
      assert.ok(Number.isFinite(bestKey({ respects: 0, views, createdAt: at })));
    }
  });

  it('orders comments as the decayed score does, whenever it is read', () => {
    const comments = [
      { respects: 0, views: 0, createdAt: hoursAfter(0) },
      { respects: 10, views: 40, createdAt: hoursAfter(-30) },
      { respects: 2, views: 3, createdAt: hoursAfter(-2) },
      { respects: 40, views: 400, createdAt: hoursAfter(-72) },
      { respects: 1, views: 30, createdAt: hoursAfter(-1) },
    ];
    const byKey = [...comments.keys()].sort(
      (a, b) => bestKey(comments[b]!) - bestKey(comments[a]!),
    );
    for (const hours of [0, 5, 48, 24 * 30]) {
      const now = new Date(Date.parse(hoursAfter(hours)));
      const byScore = [...comments.keys()].sort(
        (a, b) => bestScore(comments[b]!, now) - bestScore(comments[a]!, now),
      );
      assert.deepEqual(byScore, byKey, `after ${hours} h`);
    }
  });

  it('halves a comment’s standing every half-life', () => {
    const c = { respects: 10, views: 20, createdAt: at };
    const now = new Date(Date.parse(at) + BEST_HALF_LIFE_SECONDS * 1000);
    assert.ok(Math.abs(bestScore(c, now) / bestScore(c, new Date(at)) - 0.5) < 1e-9);
  });
});

describe('best cursors', () => {
  it('carry the float key and refuse what is not one', () => {
    const key = bestKey({ respects: 3, views: 9, createdAt: at });
    const id = '01HZY3M9QK8W5T2N4RBXJ6CDVE';
    assert.deepEqual(decodeCursor(encodeCursor({ sort: 'best', key, id }), 'best'), {
      sort: 'best',
      key,
      id,
    });
    for (const bad of [1e12, 'x', true]) {
      const raw = Buffer.from(JSON.stringify(['best', bad, id])).toString('base64url');
      assert.throws(() => decodeCursor(raw, 'best'), { code: 'INVALID_CURSOR' });
    }
    // A reactions cursor still wants a count.
    const raw = Buffer.from(JSON.stringify(['reactions', 1.5, id])).toString('base64url');
    assert.throws(() => decodeCursor(raw, 'reactions'), { code: 'INVALID_CURSOR' });
  });
});
