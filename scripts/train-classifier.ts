/**
 * Trains the built-in classifier from the labelled data beside the project and writes
 * models/parley-1.bin. `npm run train:classifier [-- --seed=7 --epochs=8 --bits=19 --lr=0.1
 * --l2=1e-6 --weight=source:x --out=path]`.
 *
 * Only the sets the data README marks "train" are read (see src/classifier/training/datasets.ts),
 * plus the project's own generated examples. A seeded 10% of them is held out to fit each label's
 * calibration and to print a sanity check; the shipped weights are then trained on everything.
 * Deterministic for a given seed. Exits with code 2 when the data is not there.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLASSIFIER_LABELS } from '../src/domain/moderation/phases/classifier.ts';
import { DEFAULT_MODERATION_SETTINGS } from '../src/domain/moderation/settings.ts';
import { compactFeatures, FeatureExtractor, prepareText } from '../src/classifier/features.ts';
import { LanguageIdentifier, trainLatinLanguageModel } from '../src/classifier/language.ts';
import type { FeatureOptions } from '../src/classifier/features.ts';
import { countLexiconHits } from '../src/classifier/lexicon-matcher.ts';
import { hashString, seedFor } from '../src/classifier/hash.ts';
import { encodeModel, quantize } from '../src/classifier/model-file.ts';
import type { ModelHeader } from '../src/classifier/model-file.ts';
import {
  DatasetsMissingError,
  LABEL_INDEX,
  loadTrainingSets,
  resolveDatasetsDir,
} from '../src/classifier/training/datasets.ts';
import type { Target, TrainingExample } from '../src/classifier/training/datasets.ts';
import { splitWords, hasUnspacedScript } from '../src/domain/moderation/normalize.ts';
import { fitPlatt, trainLogistic } from '../src/classifier/training/logistic.ts';
import type { SparseExample } from '../src/classifier/training/logistic.ts';
import { binaryMetrics } from '../src/classifier/training/metrics.ts';
import { hebrewCommentExamples } from '../src/classifier/training/hebrew-comments.ts';
import { newsCommentExamples } from '../src/classifier/training/news-comments.ts';
import { syntheticExamples } from '../src/classifier/training/synthetic.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
}

const SEED = option('seed', 7);
const EPOCHS = option('epochs', 8);
const BUCKET_BITS = option('bits', 19);
const LEARNING_RATE = option('lr', 0.1);
const L2 = option('l2', 1e-6);
const MODEL_ID = 'parley-1';
const stringOption = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const FEATURES: FeatureOptions = {
  languageFeatures: stringOption('language-features', 'none') as FeatureOptions['languageFeatures'],
};
const OUT =
  process.argv.find((a) => a.startsWith('--out='))?.slice(6) ??
  join(repoRoot, 'models', `${MODEL_ID}.bin`);
const labels = CLASSIFIER_LABELS.length;

const log = (message: string) => console.log(`[train] ${message}`);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;

function loadExamples(): TrainingExample[] {
  const dir = resolveDatasetsDir(repoRoot);
  let real: TrainingExample[];
  try {
    real = loadTrainingSets(dir);
  } catch (error) {
    if (error instanceof DatasetsMissingError) {
      console.error(
        `train:classifier: the training data is not there (${error.message}).\n` +
          `Put the moderation data sets at ${dir} or set PARLEY_DATASETS to their folder.`,
      );
      process.exit(2);
    }
    throw error;
  }
  // The labelled sets say nothing about threats: a comment that hits a threat phrase is left
  // unknown for that label rather than taught as "not a threat".
  for (const example of real) {
    const { folded } = prepareText(example.text);
    const hits = countLexiconHits(folded, splitWords(folded, true), hasUnspacedScript(folded));
    if (hits.threat > 0) example.targets[LABEL_INDEX.threat] = null;
  }
  return [
    ...real,
    ...syntheticExamples(),
    ...projectBenignExamples(),
    ...newsCommentExamples(),
    // `--hebrew-comments=0` leaves the project's Hebrew political comments out (experiments).
    ...(option('hebrew-comments', 1) > 0 ? hebrewCommentExamples() : []),
  ];
}

/**
 * The project's own everyday sentences (models/langid/*.txt, also the language identifier's
 * samples): benign for every label. Without them "thanks for the article" looked like YouTube spam,
 * the only other source of short friendly English.
 */
function projectBenignExamples(): TrainingExample[] {
  return Object.values(languageSamples()).flatMap((lines) =>
    lines.map((text) => ({ text, source: 'project-benign', targets: [0, 0, 0, 0] as Target[] })),
  );
}

function languageSamples(): Record<string, string[]> {
  return Object.fromEntries(
    ['en', 'fr', 'es'].map((language) => [
      language,
      readFileSync(join(repoRoot, 'models', 'langid', `${language}.txt`), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    ]),
  );
}

/** Labels of these sources are noisy (the data README says so): they count for half. */
const SOURCE_WEIGHT: Record<string, number> = { 'mlma-en': 0.5, 'mlma-fr': 0.5, 'mlma-ar': 0.5 };
// `--weight=source:0.5` overrides one (repeatable), for experiments.
for (const arg of process.argv.filter((a) => a.startsWith('--weight='))) {
  const [source = '', value = ''] = arg.slice('--weight='.length).split(':');
  SOURCE_WEIGHT[source] = Number(value);
}
/**
 * Weight of an example in a source that has only one class for a label (every davidson tweet is
 * "not spam"): small, so that 80,000 such negatives do not drown the few hundred positives of spam
 * and threat.
 */
const ONE_CLASS_WEIGHT = option('one-class', 0.1);
/** One-class sources that are there to teach exactly that class, at full weight. */
const TEACHING_SOURCES = new Set([
  'synthetic-groups',
  'project-benign',
  'project-news',
  'project-he',
]);
/**
 * Spam: the sources without spam (every tweet set, the project's generated examples) are pooled as
 * spam negatives. Together they weigh SPAM_NEGATIVES times the total weight of YouTube's spam, each
 * source an equal share of that (so COLD's 32,000 do not outweigh OSACT4's 7,000), abusive and
 * not: spam and abuse are different things.
 */
const SPAM_NEGATIVES = option('spam-negatives', 1);
/**
 * Labels calibrated on every held-out example (with its training weight, so the pooled spam
 * negatives count) rather than on the two-class sources only, and labels whose threshold is then
 * chosen on the held-out training examples (best weighted macro-F1) and moved to 0.5.
 * `--calibrate-all=` and `--tune-threshold=` (empty) give the earlier behaviour.
 */
const listOption = (name: string, fallback: string) =>
  new Set(
    (process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback)
      .split(',')
      .filter(Boolean),
  );
const CALIBRATE_ALL = listOption('calibrate-all', 'spam');
const TUNE_THRESHOLD = listOption('tune-threshold', 'spam');

/**
 * Per source and label, weights that give both classes equal total weight (capped at 10×), times
 * the source's weight. identity_attack is only half-balanced (square root of the factor): it is
 * rare and its labels are the noisiest, and full balance made every mention of a group suspect.
 */
function balanceWeights(examples: TrainingExample[]): number[][] {
  const counts = new Map<string, number[]>();
  for (const { source, targets } of examples) {
    targets.forEach((target, l) => {
      if (target === null) return;
      const key = `${source}|${l}`;
      const row = counts.get(key) ?? [0, 0];
      row[target] = (row[target] ?? 0) + 1;
      counts.set(key, row);
    });
  }
  const spam = LABEL_INDEX.spam;
  const oneClassSpamSources = [...counts]
    .filter(([key, [, positives = 0]]) => key.endsWith(`|${spam}`) && positives === 0)
    .map(([key, [negatives = 0]]) => [key.slice(0, key.lastIndexOf('|')), negatives] as const);
  const [youtubeNegatives = 0, youtubePositives = 0] = counts.get(`youtube-spam|${spam}`) ?? [];
  const spamPool = SPAM_NEGATIVES * (youtubeNegatives + youtubePositives);
  const spamNegativeWeight = new Map(
    (SPAM_NEGATIVES > 0 ? oneClassSpamSources : []).map(([source, n]) => [
      source,
      spamPool / oneClassSpamSources.length / n,
    ]),
  );
  return examples.map(({ source, targets }) =>
    targets.map((target, l) => {
      if (target === null) return 0;
      if (l === spam && spamNegativeWeight.has(source)) return spamNegativeWeight.get(source) ?? 0;
      const [negatives = 0, positives = 0] = counts.get(`${source}|${l}`) ?? [];
      const sourceWeight = SOURCE_WEIGHT[source] ?? 1;
      if (negatives === 0 || positives === 0) {
        return (TEACHING_SOURCES.has(source) ? 1 : ONE_CLASS_WEIGHT) * sourceWeight;
      }
      const mine = target === 1 ? positives : negatives;
      const balance = Math.min(10, (negatives + positives) / (2 * mine));
      return sourceWeight * (l === LABEL_INDEX.identity_attack ? Math.sqrt(balance) : balance);
    }),
  );
}

/**
 * The threshold (0.30–0.95) with the best weighted macro-F1 on held-out training examples; ties go
 * to the one nearest 0.5.
 */
function bestThreshold(probabilities: number[], targets: number[], weights: number[]): number {
  let best = 0.5;
  let bestScore = -1;
  for (let t = 0.3; t <= 0.951; t += 0.01) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    probabilities.forEach((p, i) => {
      const w = weights[i] ?? 1;
      const yes = p >= t;
      if (targets[i] === 1) {
        if (yes) tp += w;
        else fn += w;
      } else if (yes) fp += w;
      else tn += w;
    });
    const f1 = (a: number, b: number, c: number) => (a === 0 ? 0 : (2 * a) / (2 * a + b + c));
    const score = (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2;
    if (
      score > bestScore + 1e-9 ||
      (Math.abs(score - bestScore) <= 1e-9 && Math.abs(t - 0.5) < Math.abs(best - 0.5))
    ) {
      bestScore = score;
      best = Math.round(t * 100) / 100;
    }
  }
  return best;
}

/**
 * The held-out sources whose macro-F1 (abuse, or spam for YouTube) is averaged into the score that
 * variants of the training are compared on: the labelled sets with both classes and clean labels
 * (MLMA's are noisy and nearly all hostile), never an evaluation set. `--probe-only` stops there.
 */
const SELECTION_SOURCES = ['davidson-en', 'cold-zh', 'osact4-ar', 'youtube-spam'];

function main() {
  log(`seed ${SEED}, ${EPOCHS} epochs, 2^${BUCKET_BITS} buckets`);
  const all = loadExamples();
  const bySource = new Map<string, number>();
  for (const e of all) bySource.set(e.source, (bySource.get(e.source) ?? 0) + 1);
  log(
    `${all.length} examples: ${[...bySource].map(([s, n]) => `${s} ${n}`).join(', ')} (${elapsed()})`,
  );

  const extractor = new FeatureExtractor(BUCKET_BITS, FEATURES);
  const languageModel = trainLatinLanguageModel(languageSamples());
  const languages = new LanguageIdentifier(languageModel);
  const weights = balanceWeights(all);
  const sparse: SparseExample[] = all.map((example, i) => {
    if (i > 0 && i % 20000 === 0) log(`features ${i}/${all.length} (${elapsed()})`);
    const { text } = example;
    const vector = extractor.extract(text, prepareText(text), languages.identify(text));
    const { indices, values } = compactFeatures(vector);
    return { indices, values, targets: example.targets, weights: weights[i] ?? [] };
  });
  log(`features done (${elapsed()})`);

  // The held-out tenth is chosen by a hash of each example (its source, text and the seed), not by
  // its position, so that adding or removing examples elsewhere does not reshuffle it and variants
  // are compared on the same held-out examples.
  const heldOut = new Set(
    all.flatMap((example, i) =>
      hashString(`${example.source}\u0000${example.text}`, seedFor(`held-out:${SEED}`)) % 10 === 0
        ? [i]
        : [],
    ),
  );
  const trainPart = sparse.filter((_, i) => !heldOut.has(i));
  const options = {
    bucketBits: BUCKET_BITS,
    labels,
    epochs: EPOCHS,
    learningRate: LEARNING_RATE,
    l2: L2,
    seed: SEED,
    onEpoch: (epoch: number, loss: number) =>
      log(`epoch ${epoch}/${EPOCHS}: loss ${loss.toFixed(4)} (${elapsed()})`),
  };
  log(`calibration run on ${trainPart.length} examples, ${heldOut.size} held out`);
  const probe = trainLogistic(trainPart, options);

  const logitOf = (
    model: { weights: Float32Array; biases: number[] },
    e: SparseExample,
    l: number,
  ) => {
    let z = model.biases[l] ?? 0;
    for (let i = 0; i < e.indices.length; i++) {
      z += (model.weights[(e.indices[i] ?? 0) * labels + l] ?? 0) * (e.values[i] ?? 0);
    }
    return z;
  };
  // Each label is calibrated on the held-out examples of the sources that have both of its
  // classes (spam: YouTube only), so that the many one-class negatives do not pull it down; a
  // label without such a source (threat) is calibrated on everything.
  const twoClass = (l: number) => {
    const seen = new Map<string, Set<number>>();
    all.forEach(({ source, targets }) => {
      const target = targets[l];
      if (target !== null && target !== undefined)
        seen.set(source, (seen.get(source) ?? new Set()).add(target));
    });
    return new Set([...seen].filter(([, classes]) => classes.size === 2).map(([source]) => source));
  };
  const calibration = CLASSIFIER_LABELS.map((name, l) => {
    const xs: number[] = [];
    const ys: number[] = [];
    const ws: number[] = [];
    const sources = CALIBRATE_ALL.has(name) ? new Set<string>() : twoClass(l);
    for (const i of heldOut) {
      const e = sparse[i];
      const target = e?.targets[l];
      if (e === undefined || target === null || target === undefined) continue;
      if (sources.size > 0 && !sources.has(all[i]?.source ?? '')) continue;
      xs.push(logitOf(probe, e, l));
      ys.push(target);
      ws.push(e.weights[l] ?? 1);
    }
    const positives = ys.filter((y) => y === 1).length;
    const fit = positives >= 20 ? fitPlatt(xs, ys, ws) : { slope: 1, intercept: 0 };
    log(
      `calibration ${name}: slope ${fit.slope.toFixed(3)}, intercept ${fit.intercept.toFixed(3)} (${positives} positives held out)`,
    );
    if (TUNE_THRESHOLD.has(name) && positives >= 20) {
      // The held-out threshold with the best weighted macro-F1 becomes the 0.5 point.
      const best = bestThreshold(
        xs.map((x) => 1 / (1 + Math.exp(-(fit.slope * x + fit.intercept)))),
        ys,
        ws,
      );
      fit.intercept -= Math.log(best / (1 - best));
      log(`calibration ${name}: held-out threshold ${best.toFixed(2)} moved to 0.5`);
    }
    return {
      slope: Math.round(fit.slope * 1e4) / 1e4,
      intercept: Math.round(fit.intercept * 1e4) / 1e4,
    };
  });

  const hold = DEFAULT_MODERATION_SETTINGS.classifier.hold;
  const selection: number[] = [];
  for (const source of bySource.keys()) {
    const indices = [...heldOut].filter((i) => all[i]?.source === source);
    const l =
      source === 'youtube-spam' || source === 'project-news'
        ? LABEL_INDEX.spam
        : source === 'synthetic-threat'
          ? LABEL_INDEX.threat
          : LABEL_INDEX.toxicity;
    const scored = indices.filter((i) => sparse[i]?.targets[l] !== null);
    if (scored.length === 0) continue;
    const probability = (e: SparseExample, label: number) => {
      const { slope, intercept } = calibration[label] ?? { slope: 1, intercept: 0 };
      return 1 / (1 + Math.exp(-(slope * logitOf(probe, e, label) + intercept)));
    };
    // Abuse is scored as the evaluation does: max(toxicity, identity_attack, threat).
    const predicted = scored.map((i) => {
      const e = sparse[i] as SparseExample;
      const score =
        l === LABEL_INDEX.toxicity
          ? Math.max(
              probability(e, LABEL_INDEX.toxicity),
              probability(e, LABEL_INDEX.identity_attack),
              probability(e, LABEL_INDEX.threat),
            )
          : probability(e, l);
      return score >= hold;
    });
    const m = binaryMetrics(
      predicted,
      scored.map((i) => sparse[i]?.targets[l] === 1),
    );
    if (SELECTION_SOURCES.includes(source)) selection.push(m.macroF1);
    log(
      `held out ${source} (${l === LABEL_INDEX.toxicity ? 'abuse' : CLASSIFIER_LABELS[l]}, n=${m.count}): macro-F1 ${m.macroF1.toFixed(3)} at ${hold}`,
    );
  }
  log(
    `held-out selection score (mean macro-F1 of ${SELECTION_SOURCES.join(', ')}): ${(
      selection.reduce((a, b) => a + b, 0) / Math.max(selection.length, 1)
    ).toFixed(4)}`,
  );

  if (process.argv.includes('--probe-only')) return;
  log(`final run on all ${sparse.length} examples`);
  const final = trainLogistic(sparse, options);
  const quantized = quantize(final.weights, labels);

  const header: ModelHeader = {
    id: MODEL_ID,
    format: 1,
    bucketBits: BUCKET_BITS,
    ...(FEATURES.languageFeatures === 'none' ? {} : { features: FEATURES }),
    labels: [...CLASSIFIER_LABELS],
    scales: quantized.scales,
    biases: final.biases.map((b) => Math.round(b * 1e6) / 1e6),
    calibration,
    thresholds: { ...DEFAULT_MODERATION_SETTINGS.classifier },
    training: {
      seed: SEED,
      epochs: EPOCHS,
      learningRate: LEARNING_RATE,
      l2: L2,
      examples: Object.fromEntries(bySource),
    },
    languageModel,
  };
  const bytes = encodeModel({ header, weights: quantized.weights });
  writeFileSync(OUT, bytes);
  log(`wrote ${OUT}: ${(bytes.length / 1024 / 1024).toFixed(2)} MB (${elapsed()})`);
}

main();
