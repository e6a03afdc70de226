/** Binary classification metrics for the evaluation table. */

export interface BinaryMetrics {
  macroF1: number;
  precision: number;
  recall: number;
  accuracy: number;
  falsePositiveRate: number;
  count: number;
}

const f1 = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

export function binaryMetrics(predicted: boolean[], actual: boolean[]): BinaryMetrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  predicted.forEach((yes, i) => {
    if (yes && actual[i]) tp++;
    else if (yes) fp++;
    else if (actual[i]) fn++;
    else tn++;
  });
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const negPrecision = tn + fn > 0 ? tn / (tn + fn) : 0;
  const negRecall = tn + fp > 0 ? tn / (tn + fp) : 0;
  return {
    macroF1: (f1(precision, recall) + f1(negPrecision, negRecall)) / 2,
    precision,
    recall,
    accuracy: (tp + tn) / Math.max(predicted.length, 1),
    falsePositiveRate: fp + tn > 0 ? fp / (fp + tn) : 0,
    count: predicted.length,
  };
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/**
 * Area under the ROC curve: the chance that a random positive scores above a random negative
 * (ties count half). 0.5 when one class is missing.
 */
export function rocAuc(scores: number[], actual: boolean[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]?.[0] === order[i]?.[0]) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (actual[order[k]?.[1] ?? 0]) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
