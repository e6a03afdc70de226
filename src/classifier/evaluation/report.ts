/**
 * Scores a classifier on the functional test suite (functional-suite.ts) the way a newsroom's
 * moderator judges it: a case is held when any holding score (every label but profanity and
 * spam) reaches the hold threshold. Reports accuracy per language and behaviour, macro-F1, ROC
 * AUC, precision and recall per language, attribute expectations, and the targets with
 * met or short for each. Evaluation only: nothing here feeds training or calibration.
 */
import type {
  ClassifierLabel,
  ClassifierScores,
} from '../../domain/moderation/phases/classifier.ts';
import { binaryMetrics, rocAuc } from '../training/metrics.ts';
import type { Attribute, FunctionalCase } from './functional-suite.ts';

/** The labels whose score holds a comment in the pipeline, spam aside. */
export const ABUSE_LABELS: readonly ClassifierLabel[] = [
  'toxicity',
  'severe_toxicity',
  'identity_attack',
  'insult',
  'threat',
];

export const abuseScore = (s: ClassifierScores['scores']): number =>
  Math.max(...ABUSE_LABELS.map((label) => s[label]));

const ATTRIBUTE_LABEL: Record<Attribute, ClassifierLabel> = {
  TOXICITY: 'toxicity',
  SEVERE_TOXICITY: 'severe_toxicity',
  IDENTITY_ATTACK: 'identity_attack',
  INSULT: 'insult',
  PROFANITY: 'profanity',
  THREAT: 'threat',
};

export interface ScoredCase {
  case: FunctionalCase;
  score: number;
  held: boolean;
  scores: ClassifierScores['scores'];
}

export interface LanguageSummary {
  language: string;
  n: number;
  accuracy: number;
  macroF1: number;
  auc: number;
  precision: number;
  recall: number;
  /** Share held, per behaviour (for allow behaviours: false holds; for hold ones: recall). */
  heldShare: Record<string, { held: number; n: number }>;
  targets: { name: string; value: number; target: string; met: boolean }[];
}

export interface SuiteReport {
  cases: ScoredCase[];
  languages: LanguageSummary[];
  /** Accuracy per behaviour × language. */
  accuracy: Record<string, Record<string, { right: number; n: number }>>;
  /** Per attribute: how many expectations (high or low) the scores met. */
  attributes: Record<string, { right: number; n: number }>;
}

const share = (x: { held: number; n: number } | undefined) => (x && x.n > 0 ? x.held / x.n : 0);

export function scoreSuite(
  classify: (text: string) => ClassifierScores,
  cases: readonly FunctionalCase[],
  hold: number,
): SuiteReport {
  const scored: ScoredCase[] = cases.map((c) => {
    const { scores } = classify(c.text);
    const score = abuseScore(scores);
    return { case: c, score, held: score >= hold, scores };
  });
  const accuracy: SuiteReport['accuracy'] = {};
  const attributes: SuiteReport['attributes'] = {};
  for (const s of scored) {
    const { behaviour, language } = s.case;
    const row = (accuracy[behaviour] ??= {});
    const cell = (row[language] ??= { right: 0, n: 0 });
    cell.n++;
    if (s.held === (s.case.expected === 'hold')) cell.right++;
    for (const [attribute, high] of Object.entries(s.case.attributes)) {
      const label = ATTRIBUTE_LABEL[attribute as Attribute];
      const tally = (attributes[`${attribute}=${high ? 'high' : 'low'}`] ??= { right: 0, n: 0 });
      tally.n++;
      if (s.scores[label] >= hold === high) tally.right++;
    }
  }
  const languages = [...new Set(scored.map((s) => s.case.language))].map((language) => {
    const mine = scored.filter((s) => s.case.language === language);
    const actual = mine.map((s) => s.case.expected === 'hold');
    const m = binaryMetrics(
      mine.map((s) => s.held),
      actual,
    );
    const heldShare: LanguageSummary['heldShare'] = {};
    for (const s of mine) {
      const tally = (heldShare[s.case.behaviour] ??= { held: 0, n: 0 });
      tally.n++;
      if (s.held) tally.held++;
    }
    const pooled = (names: string[]) => {
      const out = { held: 0, n: 0 };
      for (const name of names) {
        out.held += heldShare[name]?.held ?? 0;
        out.n += heldShare[name]?.n ?? 0;
      }
      return out;
    };
    const auc = rocAuc(
      mine.map((s) => s.score),
      actual,
    );
    const threats = share(pooled(['threat_direct', 'threat_normative']));
    const neutral = share(pooled(['group_neutral', 'group_positive']));
    const counter = share(pooled(['counter_quote', 'counter_reference']));
    const government = share(pooled(['criticism_government']));
    const targets = [
      { name: 'macro-F1', value: m.macroF1, target: '≥ 0.80', met: m.macroF1 >= 0.8 },
      { name: 'ROC AUC', value: auc, target: '≥ 0.90', met: auc >= 0.9 },
      { name: 'threat recall', value: threats, target: '≥ 0.95', met: threats >= 0.95 },
      { name: 'group mentions held', value: neutral, target: '≤ 0.05', met: neutral <= 0.05 },
      { name: 'counter-speech held', value: counter, target: '≤ 0.20', met: counter <= 0.2 },
      {
        name: 'government criticism held',
        value: government,
        target: '≤ 0.10',
        met: government <= 0.1,
      },
    ];
    return {
      language,
      n: mine.length,
      accuracy: m.accuracy,
      macroF1: m.macroF1,
      auc,
      precision: m.precision,
      recall: m.recall,
      heldShare,
      targets,
    };
  });
  return { cases: scored, languages, accuracy, attributes };
}

/** Fixed-width text table: a header row, a rule, then the rows. */
export function formatTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((x, i) => x.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The functional tables: accuracy per behaviour × language, then the per-language targets. */
export function formatSuiteReport(report: SuiteReport): string {
  const languages = report.languages.map((l) => l.language);
  const pct = (x: { right: number; n: number } | undefined) =>
    x && x.n > 0 ? `${Math.round((100 * x.right) / x.n)}` : '·';
  const behaviourRows = Object.entries(report.accuracy).map(([behaviour, cells]) => {
    const expected = report.cases.find((c) => c.case.behaviour === behaviour)?.case.expected;
    return [`${behaviour} (${expected})`, ...languages.map((language) => pct(cells[language]))];
  });
  const summaryRows = [
    ['n', ...report.languages.map((l) => String(l.n))],
    ['accuracy', ...report.languages.map((l) => l.accuracy.toFixed(3))],
    ['precision (hold)', ...report.languages.map((l) => l.precision.toFixed(3))],
    ['recall (hold)', ...report.languages.map((l) => l.recall.toFixed(3))],
    ...(report.languages[0]?.targets ?? []).map((t, i) => [
      `${t.name} ${t.target}`,
      ...report.languages.map((l) => {
        const x = l.targets[i];
        return x ? `${x.value.toFixed(2)}${x.met ? '' : '✗'}` : '';
      }),
    ]),
  ];
  const attributeRows = Object.entries(report.attributes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, x]) => [name, String(x.n), pct(x)]);
  return [
    'accuracy (%) per behaviour and language:',
    formatTable(['behaviour', ...languages], behaviourRows),
    '',
    'per language (✗: target missed):',
    formatTable(['', ...languages], summaryRows),
    '',
    'attribute expectations met (%):',
    formatTable(['attribute', 'n', '%'], attributeRows),
  ].join('\n');
}
