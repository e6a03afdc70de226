/**
 * Identifiers: 26 Crockford base32 characters, time first, so that ordering ids as strings orders
 * them by creation time, strictly within one process even inside one millisecond.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ID_PATTERN, newId } from '../../src/domain/ids.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PATTERN = new RegExp(ID_PATTERN);

/** The millisecond time in an id's first ten characters. */
function timeOf(id: string): number {
  return [...id.slice(0, 10)].reduce((time, char) => time * 32 + ALPHABET.indexOf(char), 0);
}

describe('newId', () => {
  it('is 26 characters of the id alphabet', () => {
    for (let i = 0; i < 100; i++) {
      const id = newId();
      assert.equal(id.length, 26);
      assert.match(id, PATTERN);
    }
  });

  it('ID_PATTERN refuses what is not an id', () => {
    for (const bad of [
      '',
      '01HZY3M9QK8W5T2N4RBXJ6CDV',
      '01HZY3M9QK8W5T2N4RBXJ6CDVEE',
      '01hzy3m9qk8w5t2n4rbxj6cdve',
      '01HZY3M9QK8W5T2N4RBXJ6CDVI',
      '01HZY3M9QK8W5T2N4RBXJ6CDVU',
    ]) {
      assert.doesNotMatch(bad, PATTERN, bad);
    }
  });

  it('encodes the time it was made for', () => {
    for (const time of [0, 1, 31, 32, 1_000_000_000_000, Date.UTC(2024, 4, 1), 2 ** 40 + 12345]) {
      const id = newId(time);
      assert.match(id, PATTERN);
      assert.equal(timeOf(id), time, `time of ${id}`);
    }
    const before = Date.now();
    const id = newId();
    assert.ok(timeOf(id) >= before && timeOf(id) <= Date.now(), 'defaults to now');
  });

  it('10,000 ids made in a tight loop are unique and strictly increasing', () => {
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(newId());
    assert.equal(new Set(ids).size, ids.length, 'unique');
    for (let i = 1; i < ids.length; i++) {
      const [previous, current] = [ids[i - 1] as string, ids[i] as string];
      assert.ok(previous < current, `id ${i} (${current}) sorts after ${previous}`);
    }
    const times = ids.map(timeOf);
    assert.ok(
      times.length > new Set(times).size,
      'several ids shared a millisecond (the case that matters)',
    );
  });

  it('an id for an earlier time sorts before an id for a later time', () => {
    const now = Date.now();
    const pairs: [number, number][] = [
      [now - 1, now],
      [31, 32],
      [1023, 1024],
      [2 ** 35 - 1, 2 ** 35],
      [Date.UTC(2023, 0, 1), Date.UTC(2024, 0, 1)],
    ];
    for (const [earlier, later] of pairs) {
      const [a, b] = [newId(earlier), newId(later)];
      assert.ok(a < b, `${earlier} → ${a} sorts before ${later} → ${b}`);
    }
  });

  it('an id for a past time made after newer ids still encodes the past and sorts first', () => {
    const newer = [newId(), newId(), newId()];
    const past = Date.now() - 86_400_000;
    const backdated = [newId(past), newId(past)];
    for (const id of backdated) {
      assert.match(id, PATTERN);
      assert.equal(timeOf(id), past);
      for (const recent of newer) assert.ok(id < recent, `${id} sorts before ${recent}`);
    }
    assert.notEqual(backdated[0], backdated[1], 'backdated ids are still unique');
    const next = newId();
    assert.ok(
      newer.every((id) => id < next),
      'ids for now keep increasing after a backdated one',
    );
  });
});
