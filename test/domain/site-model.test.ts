/**
 * A site's own layer over the classifier, as pure functions (src/domain/moderation/site-model.ts
 * and its phase): the logistic regression fits, repeats bit for bit and shrinks with its penalty;
 * the rules are scored by precision, recall and macro-F1 as defined; decisions are deduplicated
 * and split by time; the phase holds (never rejects) at the site's hold threshold.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { moderate } from '../../src/domain/moderation/pipeline.ts';
import { moderationPhases } from '../../src/domain/moderation/phases/index.ts';
import { siteModelPhase, type SiteLayers } from '../../src/domain/moderation/phases/site-model.ts';
import {
  baseHolds,
  compareRules,
  enoughDecisions,
  fitSiteModel,
  isBetter,
  isWorse,
  measurable,
  readSiteModelWeights,
  scoreRule,
  siteModelProbability,
  splitByTime,
  standingDecisions,
} from '../../src/domain/moderation/site-model.ts';
import { moderationInput } from '../helpers/moderation.ts';
import { seeded } from '../helpers/site-model.ts';

/** Two overlapping clouds in 6 dimensions; the label follows dimensions 0 and 3. */
function clouds(n: number, seed: number) {
  const random = seeded(seed);
  const gauss = () => {
    const u = Math.max(1e-12, random());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const rows: Float32Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = random() < 0.3 ? 1 : 0;
    const row = Float32Array.from({ length: 6 }, () => gauss());
    row[0]! += label ? 2 : -1;
    row[3]! -= label ? 1.5 : 0;
    row[5] = 4; // constant: must weigh nothing
    rows.push(row);
    labels.push(label);
  }
  return { rows, labels };
}

const norm = (w: number[]) => Math.sqrt(w.reduce((s, x) => s + x * x, 0));

describe('site model: fitting', () => {
  it('learns the direction that separates the classes, and ignores a constant feature', () => {
    const { rows, labels } = clouds(600, 1);
    const model = fitSiteModel(rows, labels);
    assert.equal(model.dims, 6);
    assert.ok(model.weights[0]! > 0.5, `w0 ${model.weights[0]}`);
    assert.ok(model.weights[3]! < -0.3, `w3 ${model.weights[3]}`);
    assert.equal(model.scale[5], 0);
    const test = clouds(400, 2);
    let correct = 0;
    test.rows.forEach((row, i) => {
      if (siteModelProbability(model, row) >= 0.5 === (test.labels[i] === 1)) correct++;
    });
    assert.ok(correct / 400 > 0.85, `accuracy ${correct / 400}`);
  });

  it('gives the same weights every time (no randomness anywhere)', () => {
    const { rows, labels } = clouds(300, 3);
    assert.deepEqual(fitSiteModel(rows, labels), fitSiteModel(rows, labels));
  });

  it('shrinks the weights as the penalty grows', () => {
    const { rows, labels } = clouds(300, 4);
    const small = fitSiteModel(rows, labels, { l2Grid: [0.001] });
    const large = fitSiteModel(rows, labels, { l2Grid: [1] });
    assert.equal(small.l2, 0.001);
    assert.ok(norm(large.weights) < norm(small.weights) / 2);
  });

  it('weighs the classes equally: a rare class still gets probabilities above one half', () => {
    const { rows, labels } = clouds(500, 5);
    const model = fitSiteModel(rows, labels);
    const positives = rows.filter((_, i) => labels[i] === 1);
    const above = positives.filter((row) => siteModelProbability(model, row) >= 0.5).length;
    assert.ok(above / positives.length > 0.8, `${above} of ${positives.length}`);
  });

  it('refuses decisions of one kind only, and rows of different lengths', () => {
    assert.throws(() => fitSiteModel([[1], [2]], [0, 0]), /both kinds/);
    assert.throws(() => fitSiteModel([[1], [2, 3]], [0, 1]), /different lengths/);
  });

  it('reads back what it stores (JSON) to the same probabilities, and refuses what is not one', () => {
    const { rows, labels } = clouds(200, 6);
    const model = fitSiteModel(rows, labels);
    const read = readSiteModelWeights(JSON.stringify(model));
    assert.ok(read);
    for (const row of rows.slice(0, 20)) {
      assert.equal(siteModelProbability(read, row), siteModelProbability(model, row));
    }
    for (const bad of ['', 'null', '{}', JSON.stringify({ ...model, weights: [1] })]) {
      assert.equal(readSiteModelWeights(bad), undefined, bad);
    }
    assert.throws(() => siteModelProbability(model, [1, 2]), /reads 6 values/);
  });
});

describe('site model: measuring', () => {
  it('scores a rule by precision, recall and F1 of each class and their mean', () => {
    const score = scoreRule([true, true, false, false, true], [true, false, true, false, true]);
    assert.deepEqual(score.reject, { precision: 0.6667, recall: 0.6667, f1: 0.6667 });
    assert.deepEqual(score.approve, { precision: 0.5, recall: 0.5, f1: 0.5 });
    assert.equal(score.macroF1, 0.5833);
    assert.equal(score.held, 3);
    // A rule that never holds: rejection precision 0 (0/0), approval recall 1.
    const never = scoreRule([false, false], [true, false]);
    assert.deepEqual(never.reject, { precision: 0, recall: 0, f1: 0 });
    assert.deepEqual(never.approve, { precision: 0.5, recall: 1, f1: 0.6667 });
  });

  it('compares the base rule with base-or-layer at the hold threshold', () => {
    const cases = [
      { rejected: true, baseHolds: true, probability: 0.1 },
      { rejected: true, baseHolds: false, probability: 0.8 },
      { rejected: true, baseHolds: false, probability: 0.6 },
      { rejected: false, baseHolds: false, probability: 0.2 },
      { rejected: false, baseHolds: false, probability: 0.55 },
      { rejected: false, baseHolds: true, probability: 0.1 },
    ];
    const at = compareRules(cases, 0.7);
    assert.equal(at.decisions, 6);
    assert.equal(at.rejected, 3);
    assert.equal(at.base.held, 2);
    assert.equal(at.site.held, 3, 'the layer adds the one at 0.8');
    assert.ok(at.site.macroF1 > at.base.macroF1);
    assert.ok(isBetter(at, 0.02));
    assert.ok(!isBetter(at, 0.5));
    assert.ok(!isWorse(at));
    const low = compareRules(cases, 0.5);
    assert.equal(low.site.held, 5);
    assert.equal(low.site.macroF1, 0.625);
    assert.equal(low.base.macroF1, 0.4857);
    // Holding everything: every approval is a false alarm, worse than the classifier alone.
    const everything = compareRules(cases, 0.1);
    assert.equal(everything.site.held, 6);
    assert.equal(everything.site.approve.f1, 0);
    assert.ok(isWorse(everything));
    assert.ok(!isBetter(everything, 0));
  });

  it('holds on any score but profanity at the threshold', () => {
    const zero = {
      toxicity: 0,
      severe_toxicity: 0,
      identity_attack: 0,
      insult: 0,
      profanity: 0,
      threat: 0,
      spam: 0,
    };
    assert.equal(baseHolds(zero, 0.5), false);
    assert.equal(baseHolds({ ...zero, insult: 0.5 }, 0.5), true);
    assert.equal(baseHolds({ ...zero, profanity: 0.99 }, 0.5), false);
  });

  it('needs five of each kind among held-out decisions to measure', () => {
    assert.equal(measurable([...Array(5).fill(true), ...Array(5).fill(false)]), true);
    assert.equal(measurable([...Array(4).fill(true), ...Array(50).fill(false)]), false);
  });
});

describe('site model: which decisions', () => {
  const d = (commentId: string, decidedAt: string, rejected: boolean) => ({
    commentId,
    decidedAt,
    rejected,
  });

  it('keeps each comment’s last decision, oldest first, the most recent `max`', () => {
    const standing = standingDecisions(
      [
        d('c', '2026-01-03T00:00:00.000Z', false),
        d('a', '2026-01-01T00:00:00.000Z', true),
        d('b', '2026-01-02T00:00:00.000Z', false),
        d('a', '2026-01-04T00:00:00.000Z', false),
      ],
      10,
    );
    assert.deepEqual(
      standing.map((x) => [x.commentId, x.rejected]),
      [
        ['b', false],
        ['c', false],
        ['a', false],
      ],
    );
    assert.deepEqual(
      standingDecisions(standing, 2).map((x) => x.commentId),
      ['c', 'a'],
    );
  });

  it('holds out the most recent fifth', () => {
    const { train, heldOut } = splitByTime([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.2);
    assert.deepEqual(heldOut, [9, 10, 11]);
    assert.deepEqual(train, [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('needs enough decisions, and enough of each kind', () => {
    const minimum = { total: 200, each: 30 };
    assert.equal(enoughDecisions({ approved: 170, rejected: 30 }, minimum), true);
    assert.equal(enoughDecisions({ approved: 180, rejected: 29 }, minimum), false);
    assert.equal(enoughDecisions({ approved: 100, rejected: 99 }, minimum), false);
  });
});

describe('site model phase', () => {
  const layers = (probability: number): SiteLayers => ({
    layerFor: (siteId) =>
      siteId === 'site-1' ? { id: 'layer-1', probability: () => probability } : undefined,
  });
  const context = { siteId: 'site-1', storyId: 's', commentId: null, authorId: 'u' };

  it('holds at the site’s hold threshold, with its reason and tag, and keeps the probability', async () => {
    const phase = siteModelPhase(layers(0.7));
    const held = await phase(moderationInput({ context }));
    assert.equal(held?.decision, 'pending');
    assert.deepEqual(
      held?.reasons?.map((r) => r.code),
      ['SITE_MODEL_HOLD'],
    );
    assert.ok(held?.tags?.includes('site-model'));
    assert.deepEqual(held?.scores, { site_model: 0.7 });
    const below = await siteModelPhase(layers(0.69))(moderationInput({ context }));
    assert.deepEqual(below, { scores: { site_model: 0.69 } });
  });

  it('never rejects, and leaves alone sites without a layer or with learning off', async () => {
    const phase = siteModelPhase(layers(1));
    assert.equal((await phase(moderationInput({ context })))?.decision, 'pending');
    const other = { ...context, siteId: 'site-2' };
    assert.equal(await phase(moderationInput({ context: other })), undefined);
    const off = moderationInput({ context, settings: { learnFromModerators: false } });
    assert.equal(await phase(off), undefined);
  });

  it('runs in the pipeline, which holds the comment as the site model phase decided', async () => {
    const outcome = await moderate(
      moderationPhases({ siteModel: layers(0.95) }),
      moderationInput({ context }),
    );
    assert.equal(outcome.decision, 'pending');
    assert.equal(outcome.decidedBy, 'siteModel');
  });
});
