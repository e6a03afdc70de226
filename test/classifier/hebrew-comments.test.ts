import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hebrewCommentExamples } from '../../src/classifier/training/hebrew-comments.ts';

test('the project Hebrew comments are deterministic, have both classes and every subject on both sides', () => {
  const examples = hebrewCommentExamples();
  assert.deepEqual(hebrewCommentExamples(), examples);
  const offensive = examples.filter((e) => e.targets[0] === 1);
  const benign = examples.filter((e) => e.targets[0] === 0);
  assert.ok(offensive.length > 100 && benign.length > 100);
  for (const e of examples) {
    assert.equal(e.source, 'project-he');
    assert.equal(e.targets[1], null, 'identity_attack is left unknown');
    assert.match(e.text, /[\u05d0-\u05ea]/);
  }
  for (const subject of ['ראש הממשלה', 'השמאלנים', 'הימנים', 'ביבי']) {
    assert.ok(
      offensive.some((e) => e.text.startsWith(subject)),
      subject,
    );
    assert.ok(
      benign.some((e) => e.text.startsWith(subject)),
      subject,
    );
  }
});
