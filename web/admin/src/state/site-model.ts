/**
 * What the "Learning from moderators" panel says about a site's own layer over the classifier
 * (docs/site-models.md): a sentence for where it stands, and the held-out figures of the
 * classifier alone against the classifier with the layer, row by row. Pure, so it is tested
 * without a browser.
 */
import type {
  ModelSummary,
  RuleScore,
  SiteModelReport,
  SiteModelStatus,
} from '../api/site-model.js';

const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** Where the site stands, in a sentence. */
export function statusSentence(report: SiteModelReport): string {
  const { decisions, needed } = report;
  switch (report.status) {
    case 'disabled':
      return report.disabledReason ?? 'Learning from moderators is off.';
    case 'not_enough_decisions': {
      const missing = [
        Math.max(0, needed.decisions - decisions.approved - decisions.rejected) > 0 &&
          `${count(needed.decisions, 'decision')} in all`,
        decisions.approved < needed.each && `${count(needed.each, 'approval')}`,
        decisions.rejected < needed.each && `${count(needed.each, 'rejection')}`,
      ].filter(Boolean);
      return (
        `Not enough decisions yet: ${count(decisions.approved, 'approval')} and ` +
        `${count(decisions.rejected, 'rejection')} so far; learning starts at ` +
        `${missing.join(', ') || 'the next check'}.`
      );
    }
    case 'not_trained_yet':
      return 'Enough decisions: the first training starts at the next check, or now.';
    case 'active':
      return 'Active: comments this site’s moderators would likely reject are held for review.';
    case 'not_better':
      return 'Trained, but not better than the classifier alone on the latest decisions: not used.';
    case 'rolled_back':
      return 'Rolled back: newer decisions found the layer worse than the classifier alone.';
  }
}

export const STATUS_LABELS: Record<SiteModelStatus, string> = {
  active: 'in use',
  not_better: 'not better',
  unmeasured: 'not measured',
  superseded: 'replaced',
  rolled_back: 'rolled back',
};

/** 0.8123 → "81%". */
export const percent = (x: number): string => `${Math.round(x * 100)}%`;

export interface FigureRow {
  readonly label: string;
  readonly base: string;
  readonly site: string;
  /** The layer does better on this row (higher), worse (lower) or the same. */
  readonly change: 'better' | 'worse' | 'same';
}

/** The held-out figures, classifier alone against classifier with the layer. */
export function figureRows(base: RuleScore, site: RuleScore): FigureRow[] {
  const row = (label: string, a: number, b: number): FigureRow => ({
    label,
    base: percent(a),
    site: percent(b),
    change:
      Math.round(b * 100) > Math.round(a * 100)
        ? 'better'
        : Math.round(b * 100) < Math.round(a * 100)
          ? 'worse'
          : 'same',
  });
  return [
    row('Macro-F1', base.macroF1, site.macroF1),
    row('Rejections caught (recall)', base.reject.recall, site.reject.recall),
    row('Holds that were rejected (precision)', base.reject.precision, site.reject.precision),
    row('Approvals let through (recall)', base.approve.recall, site.approve.recall),
  ];
}

/** The training whose figures the panel shows: the one in use, or the latest. */
export const shownModel = (report: SiteModelReport): ModelSummary | null =>
  report.active ?? report.history[0] ?? null;
