/**
 * Measures the shipped classifier (or `--model=path`) on the project's functional test suite
 * (data/functional-suite, eight languages, behaviour by behaviour), on every evaluation split named
 * in the data README, on the project's own fairness set (models/fairness/{en,fr,es,ar,he,zh}.json)
 * and on its benign news-discussion comments (models/fairness/benign-news-*.json, spam false
 * positives), and times inference. None of these is ever trained or calibrated on.
 * `npm run eval:classifier [-- --only=suite|public]`. A comment counts as offensive when the
 * highest of its holding scores (every label but profanity and spam) reaches the threshold (spam
 * for the YouTube split); the threshold is the model's default hold threshold unless
 * `--threshold=x` is given. Exits with code 2 when the data sets are not there (the suite, the
 * fairness set and timings are still printed).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '../src/classifier/index.ts';
import type { NetworkClassifier } from '../src/classifier/index.ts';
import {
  loadFunctionalSuite,
  SUITE_LANGUAGES,
} from '../src/classifier/evaluation/functional-suite.ts';
import { abuseScore, formatSuiteReport, scoreSuite } from '../src/classifier/evaluation/report.ts';
import {
  DatasetsMissingError,
  isSpanEvalComment,
  loadEvalSets,
  loadSpanComments,
  resolveDatasetsDir,
} from '../src/classifier/training/datasets.ts';
import type { EvalSet } from '../src/classifier/training/datasets.ts';
import { binaryMetrics, percentile, rocAuc } from '../src/classifier/training/metrics.ts';
import type { ClassifierScores } from '../src/domain/moderation/phases/classifier.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modelPath = process.argv.find((a) => a.startsWith('--model='))?.slice(8);
const thresholdArg = process.argv.find((a) => a.startsWith('--threshold='))?.slice(12);

const loaded = loadModel(modelPath);
const { classifier, header } = loaded;
const hold = thresholdArg ? Number(thresholdArg) : header.thresholds.hold;
console.log(
  `model ${header.id}: ${(loaded.bytes / 1024 / 1024).toFixed(2)} MB, loaded in ${loaded.loadMs} ms; ` +
    `thresholds hold ${header.thresholds.hold}, reject ${header.thresholds.reject}; offensive at ≥ ${hold}`,
);

const abuse = (s: ClassifierScores) => abuseScore(s.scores);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

interface Row {
  name: string;
  n: number;
  macroF1: number;
  precision: number;
  recall: number;
  extra: string;
  reference: string;
  target: string;
}

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(3));

function printTable(rows: Row[]) {
  const head = ['set', 'n', 'macro-F1', 'P(off)', 'R(off)', 'reference', 'target', 'note'];
  const cells = rows.map((r) => [
    r.name,
    String(r.n),
    fmt(r.macroF1),
    fmt(r.precision),
    fmt(r.recall),
    r.reference,
    r.target,
    r.extra,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) console.log(line(c));
}

function evaluate(set: EvalSet, model: NetworkClassifier): Row {
  const scores = set.examples.map((e) => {
    const s = model.classify(e.text);
    return set.kind === 'spam' ? s.scores.spam : abuse(s);
  });
  const actual = set.examples.map((e) => e.positive);
  const m = binaryMetrics(
    scores.map((score) => score >= hold),
    actual,
  );
  const auc = rocAuc(scores, actual);
  const met = set.target === null ? '' : m.macroF1 >= set.target ? 'met' : 'short';
  return {
    name: `${set.name} (${set.language})`,
    n: m.count,
    macroF1: m.macroF1,
    precision: m.precision,
    recall: m.recall,
    extra: [met, `acc ${m.accuracy.toFixed(3)}`, `AUC ${auc.toFixed(3)}`]
      .filter(Boolean)
      .join(', '),
    reference: `${fmt(set.reference)} ${set.referenceNote}`.trim(),
    target: fmt(set.target),
  };
}

interface FairnessFile {
  language: string;
  neutral: string[];
  abusive: string[];
}

function fairnessRows(model: NetworkClassifier): { rows: Row[]; falsePositives: string[] } {
  const dir = join(repoRoot, 'models', 'fairness');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('benign-news-'))
    .sort();
  const rows: Row[] = [];
  const falsePositives: string[] = [];
  let allNeutral = 0;
  let allFlagged = 0;
  const totals = { predicted: [] as boolean[], actual: [] as boolean[] };
  for (const file of files) {
    const set = JSON.parse(readFileSync(join(dir, file), 'utf8')) as FairnessFile;
    const flagged = set.neutral.filter((text) => {
      const over = abuse(model.classify(text)) >= hold;
      if (over) falsePositives.push(`  [${set.language}] ${text}`);
      return over;
    }).length;
    const caught = set.abusive.filter((text) => abuse(model.classify(text)) >= hold).length;
    allNeutral += set.neutral.length;
    allFlagged += flagged;
    const predicted = [
      ...set.neutral.map((t) => abuse(model.classify(t)) >= hold),
      ...set.abusive.map((t) => abuse(model.classify(t)) >= hold),
    ];
    const actual = [...set.neutral.map(() => false), ...set.abusive.map(() => true)];
    totals.predicted.push(...predicted);
    totals.actual.push(...actual);
    const m = binaryMetrics(predicted, actual);
    rows.push({
      name: `fairness ${set.language}`,
      n: m.count,
      macroF1: m.macroF1,
      precision: m.precision,
      recall: m.recall,
      extra: `neutral FPR ${flagged}/${set.neutral.length}, abusive caught ${caught}/${set.abusive.length}`,
      reference: '—',
      target: 'FPR ≤ 0.05',
    });
  }
  const m = binaryMetrics(totals.predicted, totals.actual);
  const rate = allFlagged / Math.max(allNeutral, 1);
  rows.push({
    name: 'fairness, all',
    n: m.count,
    macroF1: m.macroF1,
    precision: m.precision,
    recall: m.recall,
    extra: `neutral FPR ${rate.toFixed(3)} (${allFlagged}/${allNeutral}) ${rate <= 0.05 ? 'met' : 'OVER'}`,
    reference: '—',
    target: 'FPR ≤ 0.05',
  });
  return { rows, falsePositives };
}

interface BenignNewsFile {
  language: string;
  benign: string[];
  spam: string[];
}

/**
 * The project's benign news-discussion comments (models/fairness/benign-news-*.json, never trained
 * on): the share of them whose spam score reaches the hold threshold, and how many of the clear
 * spam examples beside them do.
 */
function benignNewsRows(model: NetworkClassifier): { rows: Row[]; falsePositives: string[] } {
  const dir = join(repoRoot, 'models', 'fairness');
  const files = readdirSync(dir)
    .filter((f) => f.startsWith('benign-news-') && f.endsWith('.json'))
    .sort();
  const rows: Row[] = [];
  const falsePositives: string[] = [];
  const totals = { predicted: [] as boolean[], actual: [] as boolean[], benign: 0, flagged: 0 };
  for (const file of files) {
    const set = JSON.parse(readFileSync(join(dir, file), 'utf8')) as BenignNewsFile;
    const spamOf = (text: string) => model.classify(text).scores.spam;
    const predicted = [...set.benign, ...set.spam].map((text) => spamOf(text) >= hold);
    const actual = [...set.benign.map(() => false), ...set.spam.map(() => true)];
    const flagged = set.benign.filter((text) => {
      const score = spamOf(text);
      if (score >= hold) falsePositives.push(`  [${set.language}] ${score.toFixed(2)} ${text}`);
      return score >= hold;
    }).length;
    const caught = set.spam.filter((text) => spamOf(text) >= hold).length;
    totals.predicted.push(...predicted);
    totals.actual.push(...actual);
    totals.benign += set.benign.length;
    totals.flagged += flagged;
    const m = binaryMetrics(predicted, actual);
    rows.push({
      name: `benign news ${set.language} (spam)`,
      n: m.count,
      macroF1: m.macroF1,
      precision: m.precision,
      recall: m.recall,
      extra: `benign spam FPR ${flagged}/${set.benign.length}, spam caught ${caught}/${set.spam.length}`,
      reference: '—',
      target: 'FPR ≤ 0.05',
    });
  }
  const m = binaryMetrics(totals.predicted, totals.actual);
  const rate = totals.flagged / Math.max(totals.benign, 1);
  rows.push({
    name: 'benign news, all (spam)',
    n: m.count,
    macroF1: m.macroF1,
    precision: m.precision,
    recall: m.recall,
    extra: `benign spam FPR ${rate.toFixed(3)} (${totals.flagged}/${totals.benign}) ${rate <= 0.05 ? 'met' : 'OVER'}`,
    reference: '—',
    target: 'FPR ≤ 0.05',
  });
  return { rows, falsePositives };
}

/**
 * Span agreement of explanations with the typed toxic spans of the news-comment set's held-out
 * tenth (never trained on): per comment, the characters at least half its raters marked against the
 * characters of the words `explain` gives a tenth or more of an abuse score; character F1 per comment (1 when
 * both are empty, as in SemEval-2021 Task 5), averaged over the comments.
 */
function spanAgreement(model: NetworkClassifier) {
  const comments = loadSpanComments(resolveDatasetsDir(repoRoot)).filter(
    (c) => isSpanEvalComment(c.id) && c.raters.length > 0,
  );
  let sum = 0;
  for (const comment of comments) {
    const votes = new Uint16Array(comment.text.length);
    for (const rater of comment.raters) {
      const marked = new Uint8Array(comment.text.length);
      for (const span of rater.spans) marked.fill(1, span.start, Math.min(span.end, marked.length));
      marked.forEach((m, i) => (votes[i] = (votes[i] ?? 0) + m));
    }
    const gold = new Set<number>();
    votes.forEach((v, i) => {
      if (v * 2 >= comment.raters.length && v > 0) gold.add(i);
    });
    const predicted = new Set<number>();
    for (const word of model.explain(comment.text)) {
      // A word counts when it carries a tenth or more of an abuse score (set before measuring).
      const abusive = Object.entries(word.drops).some(
        ([label, share]) => label !== 'spam' && (share ?? 0) >= 0.1,
      );
      if (!abusive) continue;
      for (let i = word.begin; i < word.end; i++) predicted.add(i);
    }
    if (gold.size === 0 && predicted.size === 0) {
      sum += 1;
      continue;
    }
    let both = 0;
    for (const i of predicted) if (gold.has(i)) both++;
    const precision = predicted.size > 0 ? both / predicted.size : 0;
    const recall = gold.size > 0 ? both / gold.size : 0;
    sum += precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  }
  console.log(
    `explanations against the typed toxic spans of ${comments.length} held-out news comments: ` +
      `character F1 ${(sum / Math.max(comments.length, 1)).toFixed(3)}`,
  );
}

function timings(model: NetworkClassifier, texts: string[]) {
  const comments = texts.map((t) =>
    t.length >= 300 ? t.slice(0, 300) : t.padEnd(300, ` ${t}`).slice(0, 300),
  );
  for (const text of comments.slice(0, 500)) model.classify(text);
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const text of comments) {
      const start = process.hrtime.bigint();
      model.classify(text);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  console.log(
    `inference on ${times.length} comments of 300 characters: median ${percentile(times, 50).toFixed(3)} ms, ` +
      `p99 ${percentile(times, 99).toFixed(3)} ms`,
  );
}

if (only !== 'public') {
  const languages = SUITE_LANGUAGES.filter((language) =>
    existsSync(join(repoRoot, 'data', 'functional-suite', `${language}.json`)),
  );
  if (languages.length < SUITE_LANGUAGES.length) {
    console.log(`warning: the functional suite has only ${languages.join(', ')}`);
  }
  const report = scoreSuite(
    (text) => classifier.classify(text),
    loadFunctionalSuite(languages),
    hold,
  );
  console.log(`\nfunctional test suite (data/functional-suite, ${report.cases.length} cases):`);
  console.log(formatSuiteReport(report));
  console.log('');
}

let sets: EvalSet[] = [];
let missing = false;
if (only !== 'suite') {
  try {
    sets = loadEvalSets(resolveDatasetsDir(repoRoot));
  } catch (error) {
    if (!(error instanceof DatasetsMissingError)) throw error;
    console.error(
      `eval:classifier: evaluation data not found (${error.message}); set PARLEY_DATASETS.`,
    );
    missing = true;
  }
  const rows = sets.map((set) => evaluate(set, classifier));
  const fairness = fairnessRows(classifier);
  const benignNews = benignNewsRows(classifier);
  printTable([...rows, ...fairness.rows, ...benignNews.rows]);
  if (fairness.falsePositives.length > 0) {
    console.log('neutral fairness sentences at or over the hold threshold:');
    for (const line of fairness.falsePositives) console.log(line);
  }
  if (benignNews.falsePositives.length > 0) {
    console.log('benign news comments with spam at or over the hold threshold:');
    for (const line of benignNews.falsePositives) console.log(line);
  }
}
if (only !== 'suite' && !missing) spanAgreement(classifier);
const sample = sets.flatMap((s) => s.examples.slice(0, 400).map((e) => e.text));
timings(classifier, sample.length > 0 ? sample : ['A comment of about three hundred characters.']);
if (missing) process.exit(2);
