/**
 * The classifier phase: scores the comment with the site's classifier and holds it at or above the
 * hold threshold, rejects it at or above the (much higher) reject threshold. A high
 * identity_attack score alone only ever holds: naming a group is not an attack, and a person
 * decides.
 */
import type { ModerationInput, Phase, PhaseResult } from '../types.ts';

export const CLASSIFIER_LABELS = ['toxicity', 'identity_attack', 'threat', 'spam'] as const;
export type ClassifierLabel = (typeof CLASSIFIER_LABELS)[number];

export interface ClassifierScores {
  scores: Record<ClassifierLabel, number>;
  language: string;
  /** Identifies the model, stored with the scores. */
  model: string;
}

/** Anything that scores text: the shipped model, or a small one in tests. */
export interface Classifier {
  classify(text: string): ClassifierScores | Promise<ClassifierScores>;
}

const REJECTING: readonly ClassifierLabel[] = ['toxicity', 'threat', 'spam'];

export function classifierPhase(model: Classifier): Phase {
  return async function classifier({
    body,
    settings,
  }: Pick<ModerationInput, 'body' | 'settings'>): Promise<PhaseResult> {
    const result = await model.classify(body);
    const { hold, reject } = settings.classifier;
    const scores = Object.fromEntries(
      CLASSIFIER_LABELS.map((label) => [label, result.scores[label]]),
    );
    const tags = [`model:${result.model}`, `lang:${result.language}`];
    const over = (threshold: number, labels: readonly ClassifierLabel[]) =>
      labels.filter((label) => result.scores[label] >= threshold);
    const rejectFor = over(reject, REJECTING);
    if (rejectFor.length > 0) {
      return {
        decision: 'rejected',
        scores,
        tags,
        reasons: [{ code: 'CLASSIFIER_REJECT', message: `Scored as ${rejectFor.join(', ')}.` }],
      };
    }
    const holdFor = over(hold, CLASSIFIER_LABELS);
    if (holdFor.length > 0) {
      return {
        decision: 'pending',
        scores,
        tags,
        reasons: [{ code: 'CLASSIFIER_HOLD', message: `Possibly ${holdFor.join(', ')}.` }],
      };
    }
    return { scores, tags };
  };
}
