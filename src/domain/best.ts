/**
 * The "Best" order of a thread (docs/sorting.md): a comment's respects (reactions) against the
 * readers who saw it, as the lower bound of the Wilson score interval, decayed with age.
 *
 * Ranking by `lb · 2^(-(now - created) / H)` changes with `now`, but only by a factor common to
 * every comment: its logarithm is `ln(lb) - now·ln2/H + created·ln2/H`. Dropping the `now` term
 * leaves a key that orders comments the same way at every instant, so it is stored with the
 * comment (comments.best_key) and recomputed only when its respects or views change.
 */

/** 95% two-sided normal quantile. */
export const BEST_Z = 1.96;

/** Half-life of a comment's standing: 18 hours. */
export const BEST_HALF_LIFE_SECONDS = 18 * 3600;

/**
 * What a comment with no evidence at all (no respect yet) scores instead of ln(0): a comment with
 * no respect sinks as if it were ln(1/0.002)/ln2 ≈ 9 half-lives (about a week) older than one
 * with a perfect but tiny record, and the newest of them still lead each other.
 */
export const BEST_EPSILON = 0.002;

/** Lower bound of the Wilson score interval for `successes` out of `trials`. */
export function wilsonLowerBound(successes: number, trials: number, z = BEST_Z): number {
  if (trials <= 0) return 0;
  const p = Math.min(Math.max(successes / trials, 0), 1);
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return Math.max(0, (centre - spread) / (1 + z2 / trials));
}

export interface BestEvidence {
  /** Reactions (respects). */
  respects: number;
  /** Readers who saw the comment, as the widget reported them. */
  views: number;
  /** When it was written (ISO 8601 or a Date). */
  createdAt: string | Date;
}

/**
 * The stored key: higher ranks first. Views are never fewer than respects (a reader who reacted
 * saw the comment, even when the widget could not report it), and never fewer than one.
 */
export function bestKey(evidence: BestEvidence): number {
  const respects = Math.max(0, Math.floor(evidence.respects));
  const trials = Math.max(Math.floor(evidence.views), respects, 1);
  const lb = wilsonLowerBound(respects, trials);
  const createdSeconds = new Date(evidence.createdAt).getTime() / 1000;
  return Math.log(lb + BEST_EPSILON) + (createdSeconds * Math.LN2) / BEST_HALF_LIFE_SECONDS;
}

/** The decayed score itself at `now` (for docs and tests: the key orders comments like it). */
export function bestScore(evidence: BestEvidence, now: Date): number {
  const respects = Math.max(0, Math.floor(evidence.respects));
  const trials = Math.max(Math.floor(evidence.views), respects, 1);
  const ageSeconds = (now.getTime() - new Date(evidence.createdAt).getTime()) / 1000;
  return (
    (wilsonLowerBound(respects, trials) + BEST_EPSILON) *
    2 ** (-ageSeconds / BEST_HALF_LIFE_SECONDS)
  );
}
