/**
 * The shipped classifier: a linear model per label over hashed features of the normalised comment
 * (see features.ts), int8 weights, a calibration per label, and the language identifier.
 * Synchronous and allocation-light: one comment costs a normalisation pass, a few hundred hash
 * computations and as many table reads.
 */
import type {
  Classifier,
  ClassifierLabel,
  ClassifierScores,
} from '../domain/moderation/phases/classifier.ts';
import { FeatureExtractor, prepareText } from './features.ts';
import { LanguageIdentifier } from './language.ts';
import type { LinearModel } from './model-file.ts';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export class LinearClassifier implements Classifier {
  readonly id: string;
  readonly labels: readonly ClassifierLabel[];
  private readonly model: LinearModel;
  private readonly extractor: FeatureExtractor;
  private readonly languages: LanguageIdentifier;
  private readonly sums: Float64Array;

  constructor(model: LinearModel) {
    this.model = model;
    this.id = model.header.id;
    this.labels = model.header.labels;
    this.extractor = new FeatureExtractor(model.header.bucketBits, model.header.features);
    this.languages = new LanguageIdentifier(model.header.languageModel);
    this.sums = new Float64Array(this.labels.length);
  }

  /** Raw (uncalibrated) logits per label, in the order of `labels`. */
  logits(text: string, language: string = this.languages.identify(text)): number[] {
    const { weights, header } = this.model;
    const labels = this.labels.length;
    const vector = this.extractor.extract(text, prepareText(text), language);
    const sums = this.sums;
    sums.fill(0);
    for (let i = 0; i < vector.length; i++) {
      const row = (vector.indices[i] ?? 0) * labels;
      const value = vector.values[i] ?? 0;
      for (let l = 0; l < labels; l++) sums[l] = (sums[l] ?? 0) + value * (weights[row + l] ?? 0);
    }
    return header.labels.map(
      (_, l) => (header.biases[l] ?? 0) + (sums[l] ?? 0) * (header.scales[l] ?? 1),
    );
  }

  classify(text: string): ClassifierScores {
    const { calibration } = this.model.header;
    const language = this.languages.identify(text);
    const logits = this.logits(text, language);
    const scores = {} as Record<ClassifierLabel, number>;
    this.labels.forEach((label, l) => {
      const { slope, intercept } = calibration[l] ?? { slope: 1, intercept: 0 };
      scores[label] = Math.round(sigmoid(slope * (logits[l] ?? 0) + intercept) * 1e4) / 1e4;
    });
    return { scores, language, model: this.id };
  }

  /** The language alone (the Perspective endpoint reports it). */
  detectLanguage(text: string): string {
    return this.languages.identify(text);
  }
}
