/**
 * The dashboard's "Learning from moderators" panel (web/admin/src/state/site-model.ts): a sentence
 * for each status, and the held-out figures of the classifier alone against the classifier with
 * the site's layer, marked better or worse.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelSummary, SiteModelReport } from '../../web/admin/src/api/site-model.ts';
import { figureRows, shownModel, statusSentence } from '../../web/admin/src/state/site-model.ts';

const rule = (reject: number, approve: number, macroF1: number) => ({
  reject: { precision: reject, recall: reject, f1: reject },
  approve: { precision: approve, recall: approve, f1: approve },
  macroF1,
  held: 3,
});

const model = (status: ModelSummary['status'], trainedAt: string): ModelSummary => ({
  id: `m-${trainedAt}`,
  status,
  active: status === 'active',
  trainedAt,
  baseModel: 'parley-2',
  decisions: 300,
  heldOut: 60,
  base: rule(0.4, 0.8, 0.6),
  site: rule(0.9, 0.8, 0.85),
  previous: null,
  rolledBackAt: null,
  note: null,
});

const report = (overrides: Partial<SiteModelReport>): SiteModelReport => ({
  siteId: 'site',
  status: 'not_enough_decisions',
  disabledReason: null,
  learnFromModerators: true,
  decisions: { approved: 120, rejected: 12, sinceLastTraining: null },
  needed: { decisions: 200, each: 30, retrainAfter: 100, margin: 0.02 },
  active: null,
  history: [],
  trainingQueued: false,
  ...overrides,
});

describe('site model panel', () => {
  it('says what is missing before learning starts', () => {
    assert.equal(
      statusSentence(report({})),
      'Not enough decisions yet: 120 approvals and 12 rejections so far; learning starts at ' +
        '200 decisions in all, 30 rejections.',
    );
  });

  it('says why learning is off, and what each other status means', () => {
    assert.equal(
      statusSentence(report({ status: 'disabled', disabledReason: 'Off on this server.' })),
      'Off on this server.',
    );
    for (const status of ['not_trained_yet', 'active', 'not_better', 'rolled_back'] as const) {
      assert.ok(statusSentence(report({ status })).length > 20, status);
    }
    assert.match(statusSentence(report({ status: 'active' })), /held for review/);
    assert.match(statusSentence(report({ status: 'rolled_back' })), /worse/);
  });

  it('shows the layer in use, else the latest training', () => {
    const older = model('superseded', '2026-01-01T00:00:00.000Z');
    const active = model('active', '2026-02-01T00:00:00.000Z');
    const latest = model('not_better', '2026-03-01T00:00:00.000Z');
    assert.equal(shownModel(report({ active, history: [latest, active, older] })), active);
    assert.equal(shownModel(report({ history: [latest, older] })), latest);
    assert.equal(shownModel(report({})), null);
  });

  it('lays the figures side by side, marking where the layer does better or worse', () => {
    const rows = figureRows(rule(0.4, 0.8, 0.6), rule(0.9, 0.75, 0.85));
    assert.deepEqual(
      rows.map((r) => [r.label, r.base, r.site, r.change]),
      [
        ['Macro-F1', '60%', '85%', 'better'],
        ['Rejections caught (recall)', '40%', '90%', 'better'],
        ['Holds that were rejected (precision)', '40%', '90%', 'better'],
        ['Approvals let through (recall)', '80%', '75%', 'worse'],
      ],
    );
  });
});
