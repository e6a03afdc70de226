/** The transparency report's pure parts: periods, medians and CSV cells (docs/dsa.md). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParleyError } from '../../src/domain/errors.ts';
import { csvCell, median, parsePeriod } from '../../src/domain/transparency.ts';

describe('transparency report', () => {
  it('takes calendar dates, both included, and refuses what is not one', () => {
    const leap = parsePeriod('2028-01-01', '2028-12-31');
    assert.equal(leap.days, 366);
    assert.equal(leap.from.toISOString(), '2028-01-01T00:00:00.000Z');
    assert.equal(leap.to.toISOString(), '2029-01-01T00:00:00.000Z');
    assert.equal(parsePeriod('2026-03-01', '2026-03-01').days, 1);
    for (const [from, to] of [
      ['2026-02-29', '2026-03-01'],
      ['2026-3-1', '2026-03-02'],
      ['2026-03-02', '2026-03-01'],
      ['2024-01-01', '2026-01-02'],
      ['2026-01-01T00:00', '2026-01-02'],
      ['', '2026-01-02'],
    ] as const) {
      assert.throws(
        () => parsePeriod(from, to),
        (error: unknown) => error instanceof ParleyError && error.code === 'VALIDATION_FAILED',
        `${from}..${to}`,
      );
    }
  });

  it('finds the median of odd and even counts, and none of nothing', () => {
    assert.equal(median([]), null);
    assert.equal(median([4000, 900, 1000]), 1000);
    assert.equal(median([10, 1, 3, 100]), 7);
    assert.equal(median([5]), 5);
  });

  it('keeps a spreadsheet from reading a cell as a formula', () => {
    assert.equal(csvCell('=1+2'), `'=1+2`);
    assert.equal(csvCell('+SUM(A1)'), `'+SUM(A1)`);
    assert.equal(csvCell('-2'), `'-2`);
    assert.equal(csvCell('@cmd'), `'@cmd`);
    assert.equal(csvCell('\t=1'), `'\t=1`);
    assert.equal(csvCell('=HYPERLINK("x","y")'), `"'=HYPERLINK(""x"",""y"")"`);
    assert.equal(csvCell('a, b'), '"a, b"');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell(-3), '-3', 'numbers are numbers');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell('spam'), 'spam');
  });
});
