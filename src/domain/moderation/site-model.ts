/**
 * A site's own layer over the shipped classifier ("learning each newsroom's line"): a logistic
 * regression over what the network makes of a comment (its hidden activations and raw logits,
 * `NetworkClassifier.representation`) that predicts "a moderator of this site rejects it", and the
 * measurement that decides whether a site may use it.
 *
 * Everything here is pure and deterministic: the same decisions give the same weights, bit for
 * bit (no random initialisation, no shuffling; full-batch L-BFGS from zero).
 *
 * - Features are standardised (mean 0, variance 1 over the training rows), so that one L2 penalty
 *   suits them all; the intercept is not penalised.
 * - Classes are weighted to count equally (moderators decide far more comments one way than the
 *   other on most sites), so the layer's 0.5 is "as likely rejected as approved".
 * - The penalty is chosen among a few by the weighted log loss on the most recent part of the
 *   training rows (time order, as the held-out decisions are), by the one-standard-error rule
 *   (the strongest penalty within a standard error of the best), then the layer is fitted on
 *   them all.
 * - Weights are rounded to 7 significant digits before they are measured, so what is stored (JSON)
 *   is exactly what was measured.
 *
 * The rules compared on the held-out decisions: the base rule holds a comment when any HOLDING
 * score reaches the site's hold threshold; the adapted rule holds it when the base does, or when
 * the layer's probability reaches that threshold. A hold counts as predicting "rejected".
 */
import type { ClassifierScores } from './phases/classifier.ts';
import { HOLDING } from './phases/classifier.ts';

/** A trained layer, as stored (JSON) and used. */
export interface SiteModelWeights {
  /** Length of the representation it reads (hidden units + logits of the base network). */
  dims: number;
  /** Per feature: subtracted, then multiplied by `scale`. */
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** The L2 penalty it was fitted with. */
  l2: number;
}

export interface FitOptions {
  /** Penalties to choose among (by validation log loss); one value: no choice. */
  l2Grid?: readonly number[];
  /** Share of the training rows (the most recent) used to choose the penalty. */
  validationFraction?: number;
  maxIterations?: number;
  /** Stop when the gradient's largest component falls below this. */
  tolerance?: number;
}

export const DEFAULT_L2_GRID: readonly number[] = [0.001, 0.01, 0.1, 1];
const DEFAULT_VALIDATION_FRACTION = 0.2;
const DEFAULT_MAX_ITERATIONS = 200;
const DEFAULT_TOLERANCE = 1e-5;
/** L-BFGS memory. */
const HISTORY = 10;

const sigmoid = (z: number): number =>
  z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
/** log(1 + e^z), without overflow. */
const softplus = (z: number): number =>
  z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
const round7 = (x: number): number => (x === 0 ? 0 : Number(x.toPrecision(7)));

/** The layer's probability that a moderator of the site rejects a comment with this representation. */
export function siteModelProbability(model: SiteModelWeights, x: ArrayLike<number>): number {
  if (x.length !== model.dims) {
    throw new Error(`site model reads ${model.dims} values, got ${x.length}`);
  }
  let z = model.bias;
  for (let j = 0; j < model.dims; j++) {
    z += model.weights[j]! * ((x[j]! - model.mean[j]!) * model.scale[j]!);
  }
  return sigmoid(z);
}

/** Whether the base rule holds a comment: any HOLDING score at or above the hold threshold. */
export function baseHolds(scores: ClassifierScores['scores'], hold: number): boolean {
  return HOLDING.some((label) => (scores[label] ?? 0) >= hold);
}

/** A stored layer read back (JSON), or undefined when it is not one. */
export function readSiteModelWeights(stored: unknown): SiteModelWeights | undefined {
  let value = stored;
  if (typeof stored === 'string') {
    try {
      value = JSON.parse(stored) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const dims = v.dims;
  const numbers = (a: unknown): a is number[] =>
    Array.isArray(a) && a.length === dims && a.every((n) => typeof n === 'number' && isFinite(n));
  if (!Number.isInteger(dims) || (dims as number) < 1) return undefined;
  if (!numbers(v.mean) || !numbers(v.scale) || !numbers(v.weights)) return undefined;
  if (typeof v.bias !== 'number' || !isFinite(v.bias)) return undefined;
  return {
    dims: dims as number,
    mean: v.mean,
    scale: v.scale,
    weights: v.weights,
    bias: v.bias,
    l2: typeof v.l2 === 'number' ? v.l2 : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Fitting

/** Rows standardised into one row-major matrix, with the statistics that did it. */
interface Design {
  n: number;
  d: number;
  x: Float64Array;
  mean: Float64Array;
  scale: Float64Array;
}

function standardise(rows: readonly ArrayLike<number>[], d: number): Design {
  const n = rows.length;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j]! += row[j]!;
  for (let j = 0; j < d; j++) mean[j] = round7(mean[j]! / n);
  for (const row of rows) {
    for (let j = 0; j < d; j++) {
      const c = row[j]! - mean[j]!;
      scale[j]! += c * c;
    }
  }
  // A feature that never varies (a hidden unit the site's comments never light) weighs nothing.
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(scale[j]! / n);
    scale[j] = sd > 1e-9 ? round7(1 / sd) : 0;
  }
  const x = new Float64Array(n * d);
  rows.forEach((row, i) => {
    for (let j = 0; j < d; j++) x[i * d + j] = (row[j]! - mean[j]!) * scale[j]!;
  });
  return { n, d, x, mean, scale };
}

/** Each row's weight: the two classes count equally, each row of a class alike. */
function classWeights(labels: ArrayLike<number>): Float64Array {
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  const negatives = n - positives;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const count = labels[i] ? positives : negatives;
    out[i] = count > 0 ? n / (2 * count) : 0;
  }
  return out;
}

/**
 * The penalised mean log loss at θ = (weights…, bias) and its gradient (written into `grad`).
 * Rows [from, to) of the design take part.
 */
function lossAndGradient(
  design: Design,
  labels: ArrayLike<number>,
  rowWeights: Float64Array,
  l2: number,
  theta: Float64Array,
  grad: Float64Array,
  from = 0,
  to = design.n,
): number {
  const { d, x } = design;
  grad.fill(0);
  let loss = 0;
  let total = 0;
  for (let i = from; i < to; i++) {
    const w = rowWeights[i]!;
    if (w === 0) continue;
    let z = theta[d]!;
    const offset = i * d;
    for (let j = 0; j < d; j++) z += theta[j]! * x[offset + j]!;
    const y = labels[i]!;
    loss += w * (softplus(z) - y * z);
    const residual = w * (sigmoid(z) - y);
    for (let j = 0; j < d; j++) grad[j]! += residual * x[offset + j]!;
    grad[d]! += residual;
    total += w;
  }
  const norm = total > 0 ? 1 / total : 0;
  loss *= norm;
  for (let j = 0; j <= d; j++) grad[j]! *= norm;
  let penalty = 0;
  for (let j = 0; j < d; j++) {
    penalty += theta[j]! * theta[j]!;
    grad[j]! += l2 * theta[j]!;
  }
  return loss + (l2 / 2) * penalty;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * Minimises the penalised loss over rows [from, to) by L-BFGS with a backtracking (Armijo) line
 * search, from θ = 0. A generator: it yields after each iteration, so that a caller on a server
 * can let other work run in between; the return value is θ.
 */
function* minimise(
  design: Design,
  labels: ArrayLike<number>,
  rowWeights: Float64Array,
  l2: number,
  options: { maxIterations: number; tolerance: number },
  from = 0,
  to = design.n,
): Generator<number, Float64Array> {
  const size = design.d + 1;
  const theta = new Float64Array(size);
  const grad = new Float64Array(size);
  const next = new Float64Array(size);
  const nextGrad = new Float64Array(size);
  const direction = new Float64Array(size);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(HISTORY);
  let loss = lossAndGradient(design, labels, rowWeights, l2, theta, grad, from, to);
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    let largest = 0;
    for (let j = 0; j < size; j++) largest = Math.max(largest, Math.abs(grad[j]!));
    if (largest < options.tolerance) break;
    // Two-loop recursion: direction = -H·grad.
    direction.set(grad);
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(s[k]!, direction);
      const yk = y[k]!;
      for (let j = 0; j < size; j++) direction[j]! -= alpha[k]! * yk[j]!;
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!);
      for (let j = 0; j < size; j++) direction[j]! *= gamma;
    }
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k]! * dot(y[k]!, direction);
      const sk = s[k]!;
      for (let j = 0; j < size; j++) direction[j]! += sk[j]! * (alpha[k]! - beta);
    }
    for (let j = 0; j < size; j++) direction[j] = -direction[j]!;
    let slope = dot(grad, direction);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): start over from steepest descent.
      s.length = y.length = rho.length = 0;
      for (let j = 0; j < size; j++) direction[j] = -grad[j]!;
      slope = dot(grad, direction);
    }
    // The first step of plain gradient descent is scaled to a sensible length.
    let step = s.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let nextLoss = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let j = 0; j < size; j++) next[j] = theta[j]! + step * direction[j]!;
      nextLoss = lossAndGradient(design, labels, rowWeights, l2, next, nextGrad, from, to);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(nextLoss < loss)) break; // no progress left to make
    const sk = new Float64Array(size);
    const yk = new Float64Array(size);
    for (let j = 0; j < size; j++) {
      sk[j] = next[j]! - theta[j]!;
      yk[j] = nextGrad[j]! - grad[j]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      if (s.length === HISTORY) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    const improvement = loss - nextLoss;
    theta.set(next);
    grad.set(nextGrad);
    loss = nextLoss;
    yield iteration;
    if (improvement < 1e-10 * Math.max(1, Math.abs(loss))) break;
  }
  return theta;
}

/** Weighted mean log loss (no penalty) of θ on rows [from, to), and its standard error. */
function validationLoss(
  design: Design,
  labels: ArrayLike<number>,
  rowWeights: Float64Array,
  theta: Float64Array,
  from: number,
  to: number,
): { mean: number; standardError: number } {
  const { d, x } = design;
  const losses: number[] = [];
  const weights: number[] = [];
  for (let i = from; i < to; i++) {
    let z = theta[d]!;
    for (let j = 0; j < d; j++) z += theta[j]! * x[i * d + j]!;
    losses.push(softplus(z) - labels[i]! * z);
    weights.push(rowWeights[i]!);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const mean = losses.reduce((sum, loss, k) => sum + weights[k]! * loss, 0) / total;
  const variance =
    losses.reduce((sum, loss, k) => sum + weights[k]! * (loss - mean) ** 2, 0) / total;
  return { mean, standardError: Math.sqrt(variance / losses.length) };
}

const hasBothClasses = (labels: ArrayLike<number>, from: number, to: number): boolean => {
  let positives = 0;
  for (let i = from; i < to; i++) positives += labels[i]!;
  return positives > 0 && positives < to - from;
};

/**
 * Fits a layer on rows in time order (oldest first) with labels 1 (rejected) and 0 (approved),
 * yielding between iterations (see `minimise`). Both classes must be present.
 */
export function* fitSiteModelSteps(
  rows: readonly ArrayLike<number>[],
  given: ArrayLike<number>,
  options: FitOptions = {},
): Generator<number, SiteModelWeights> {
  const n = rows.length;
  if (n !== given.length) throw new Error('one label per row');
  const labels = Float64Array.from(given, (label) => (label ? 1 : 0));
  if (!hasBothClasses(labels, 0, n)) throw new Error('a site model needs decisions of both kinds');
  const d = rows[0]!.length;
  for (const row of rows) if (row.length !== d) throw new Error('rows of different lengths');
  const grid = options.l2Grid ?? DEFAULT_L2_GRID;
  const minimiseOptions = {
    maxIterations: options.maxIterations ?? DEFAULT_MAX_ITERATIONS,
    tolerance: options.tolerance ?? DEFAULT_TOLERANCE,
  };
  // One penalty given: that one. Several, but too few recent rows of each kind to choose on: the
  // middle one.
  let l2 = grid.length === 1 ? grid[0]! : (grid[Math.floor(grid.length / 2)] ?? 0.1);
  if (grid.length > 1) {
    // Choose the penalty on the most recent rows, standardised by the older ones alone (as the
    // final layer will meet comments it has not seen).
    const cut = n - Math.ceil(n * (options.validationFraction ?? DEFAULT_VALIDATION_FRACTION));
    if (cut > 0 && cut < n && hasBothClasses(labels, 0, cut) && hasBothClasses(labels, cut, n)) {
      const older = standardise(rows.slice(0, cut), d);
      const all = restandardise(rows, older);
      const rowWeights = new Float64Array(n);
      rowWeights.set(classWeights(labels.subarray(0, cut)), 0);
      rowWeights.set(classWeights(labels.subarray(cut)), cut);
      const losses: { l2: number; mean: number; standardError: number }[] = [];
      for (const candidate of grid) {
        const theta = yield* minimise(all, labels, rowWeights, candidate, minimiseOptions, 0, cut);
        losses.push({ l2: candidate, ...validationLoss(all, labels, rowWeights, theta, cut, n) });
      }
      // The one-standard-error rule: the strongest penalty whose loss is within a standard error
      // of the best. A few dozen recent decisions cannot tell close penalties apart, and the
      // stronger one generalises better to phrasings the moderators have not seen yet.
      const best = losses.reduce((a, b) => (b.mean < a.mean ? b : a));
      l2 = best.l2;
      for (const candidate of losses) {
        if (candidate.mean <= best.mean + best.standardError && candidate.l2 > l2) {
          l2 = candidate.l2;
        }
      }
    }
  }
  const design = standardise(rows, d);
  const theta = yield* minimise(design, labels, classWeights(labels), l2, minimiseOptions);
  return {
    dims: d,
    mean: Array.from(design.mean),
    scale: Array.from(design.scale),
    weights: Array.from(theta.subarray(0, d), round7),
    bias: round7(theta[d]!),
    l2,
  };
}

/** The rows standardised with another design's statistics. */
function restandardise(rows: readonly ArrayLike<number>[], by: Design): Design {
  const { d, mean, scale } = by;
  const x = new Float64Array(rows.length * d);
  rows.forEach((row, i) => {
    for (let j = 0; j < d; j++) x[i * d + j] = (row[j]! - mean[j]!) * scale[j]!;
  });
  return { n: rows.length, d, x, mean, scale };
}

/** `fitSiteModelSteps` run to the end at once. */
export function fitSiteModel(
  rows: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
  options: FitOptions = {},
): SiteModelWeights {
  const steps = fitSiteModelSteps(rows, labels, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** How well a rule's holds match one class of the moderators' decisions. */
export interface ClassScore {
  precision: number;
  recall: number;
  f1: number;
}

/** A rule against the moderators' decisions: per class, and the mean of the two F1s. */
export interface RuleScore {
  /** "Held" against "rejected". */
  reject: ClassScore;
  /** "Not held" against "approved". */
  approve: ClassScore;
  macroF1: number;
  /** How many of the decisions the rule would have held. */
  held: number;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

function classScore(tp: number, fp: number, fn: number): ClassScore {
  // 0/0 counts as 0 (the rule never says so, or nothing to find): see `measurable`.
  return {
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: tp + fn > 0 ? tp / (tp + fn) : 0,
    f1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0,
  };
}

const rounded = (score: ClassScore): ClassScore => ({
  precision: round4(score.precision),
  recall: round4(score.recall),
  f1: round4(score.f1),
});

/** Scores a rule's holds against the decisions (true: rejected); figures to 4 decimals. */
export function scoreRule(holds: readonly boolean[], rejected: readonly boolean[]): RuleScore {
  if (holds.length !== rejected.length) throw new Error('one hold per decision');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  holds.forEach((held, i) => {
    if (held && rejected[i]) tp++;
    else if (held) fp++;
    else if (rejected[i]) fn++;
    else tn++;
  });
  const reject = classScore(tp, fp, fn);
  const approve = classScore(tn, fn, fp);
  return {
    reject: rounded(reject),
    approve: rounded(approve),
    macroF1: round4((reject.f1 + approve.f1) / 2),
    held: tp + fp,
  };
}

/** Fewest decisions of each kind among the held-out ones for a comparison to mean anything. */
export const MIN_HELD_OUT_EACH = 5;

/** Whether held-out decisions can tell two rules apart: enough of each kind. */
export function measurable(rejected: readonly boolean[]): boolean {
  const rejections = rejected.filter(Boolean).length;
  return rejections >= MIN_HELD_OUT_EACH && rejected.length - rejections >= MIN_HELD_OUT_EACH;
}

/** A held-out decision as the comparison needs it. */
export interface HeldOutCase {
  rejected: boolean;
  /** Whether the base rule holds the comment. */
  baseHolds: boolean;
  /** The layer's probability. */
  probability: number;
}

export interface Comparison {
  decisions: number;
  rejected: number;
  base: RuleScore;
  site: RuleScore;
}

/** The base rule and the adapted rule (base, or the layer at the hold threshold) on held-out cases. */
export function compareRules(cases: readonly HeldOutCase[], hold: number): Comparison {
  const rejected = cases.map((c) => c.rejected);
  return {
    decisions: cases.length,
    rejected: rejected.filter(Boolean).length,
    base: scoreRule(
      cases.map((c) => c.baseHolds),
      rejected,
    ),
    site: scoreRule(
      cases.map((c) => c.baseHolds || c.probability >= hold),
      rejected,
    ),
  };
}

/** Whether the adapted rule beats the base by at least `margin` of macro-F1. */
export const isBetter = (comparison: Comparison, margin: number): boolean =>
  comparison.site.macroF1 >= comparison.base.macroF1 + margin - 1e-9;

/** Whether the adapted rule does worse than the base: an active layer found so is rolled back. */
export const isWorse = (comparison: Comparison): boolean =>
  comparison.site.macroF1 < comparison.base.macroF1 - 1e-9;

// ---------------------------------------------------------------------------------------------
// Which decisions

/** A moderator's standing decision on a comment, as training reads it. */
export interface Decision {
  commentId: string;
  /** ISO time of the decision. */
  decidedAt: string;
  rejected: boolean;
}

/**
 * Each comment's standing (latest) decision, oldest first by decision time, the most recent
 * `max` of them. Input in any order; a comment decided twice counts once, as last decided.
 */
export function standingDecisions<T extends Decision>(decisions: readonly T[], max: number): T[] {
  const latest = new Map<string, T>();
  for (const decision of decisions) {
    const known = latest.get(decision.commentId);
    if (!known || known.decidedAt <= decision.decidedAt) latest.set(decision.commentId, decision);
  }
  const ordered = [...latest.values()].sort((a, b) =>
    a.decidedAt < b.decidedAt
      ? -1
      : a.decidedAt > b.decidedAt
        ? 1
        : a.commentId < b.commentId
          ? -1
          : a.commentId > b.commentId
            ? 1
            : 0,
  );
  return ordered.slice(Math.max(0, ordered.length - max));
}

/** Splits decisions in time order: the most recent `fraction` (at least one) are held out. */
export function splitByTime<T>(
  ordered: readonly T[],
  fraction: number,
): { train: T[]; heldOut: T[] } {
  const held = Math.min(ordered.length, Math.max(1, Math.ceil(ordered.length * fraction)));
  return {
    train: ordered.slice(0, ordered.length - held),
    heldOut: ordered.slice(ordered.length - held),
  };
}

/** How many decisions of each kind, and whether there are enough to learn from. */
export function enoughDecisions(
  counts: { approved: number; rejected: number },
  minimum: { total: number; each: number },
): boolean {
  return (
    counts.approved + counts.rejected >= minimum.total &&
    counts.approved >= minimum.each &&
    counts.rejected >= minimum.each
  );
}
