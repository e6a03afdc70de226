/**
 * Small pieces of fitting shared by training: a seeded generator and shuffle (so that training
 * repeats exactly), and Platt scaling (each label's calibration).
 */

export { seededRandom } from '../../domain/seeded-random.ts';

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * Platt scaling: slope and intercept so that sigmoid(slope × logit + intercept) fits the
 * (weighted, possibly smoothed) targets, by Newton's method on the log loss with a backtracking
 * line search (Lin, Lin and Weng's safeguard: a plain Newton step diverges on nearly separable
 * data).
 */
export function fitPlatt(
  logits: number[],
  targets: number[],
  weights: number[],
): { slope: number; intercept: number } {
  const lossAt = (a: number, b: number) => {
    let loss = 0;
    for (let i = 0; i < logits.length; i++) {
      const z = a * (logits[i] ?? 0) + b;
      const t = targets[i] ?? 0;
      // log(1 + e^z) - t·z, computed without overflow.
      const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      loss += (weights[i] ?? 1) * (softplus - t * z);
    }
    return loss;
  };
  let a = 1;
  let b = 0;
  let loss = lossAt(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < logits.length; i++) {
      const x = logits[i] ?? 0;
      const w = weights[i] ?? 1;
      const p = 1 / (1 + Math.exp(-(a * x + b)));
      const r = (p - (targets[i] ?? 0)) * w;
      const s = p * (1 - p) * w;
      ga += r * x;
      gb += r;
      haa += s * x * x;
      hab += s * x;
      hbb += s;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = lossAt(a - da, b - db);
    while (!(next <= loss) && step > 1e-6) {
      step /= 2;
      next = lossAt(a - step * da, b - step * db);
    }
    if (!(next <= loss)) break;
    a -= step * da;
    b -= step * db;
    const improved = loss - next;
    loss = next;
    if (Math.abs(step * da) + Math.abs(step * db) < 1e-7 || improved < 1e-10) break;
  }
  return { slope: a, intercept: b };
}
