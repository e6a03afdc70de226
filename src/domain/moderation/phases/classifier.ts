/**
 * The classifier phase: scores the comment with the site's classifier and holds it at or above the
 * hold threshold, rejects it at or above the (much higher) reject threshold. A high
 * identity_attack score alone only ever holds: naming a group is not an attack, and a person
 * decides.
 */
import type { Highlight, ModerationInput, Phase, PhaseResult } from '../types.ts';

/**
 * Perspective's production attributes, each a head of its own, plus spam. PROFANITY alone never
 * holds a comment: swearing that attacks no one ("what a f***ing game") is for the site's word
 * list to decide, not the classifier.
 */
export const CLASSIFIER_LABELS = [
  'toxicity',
  'severe_toxicity',
  'identity_attack',
  'insult',
  'profanity',
  'threat',
  'spam',
] as const;
export type ClassifierLabel = (typeof CLASSIFIER_LABELS)[number];

export interface ClassifierScores {
  scores: Record<ClassifierLabel, number>;
  language: string;
  /** Identifies the model, stored with the scores. */
  model: string;
}

/** A word of a comment and how far each score falls without it (labels it lowers). */
export interface WordWeight {
  /** [begin, end) in UTF-16 code units of the text explained. */
  begin: number;
  end: number;
  text: string;
  drops: Partial<Record<ClassifierLabel, number>>;
}

/** Anything that scores text: the shipped model, or a small one in tests. */
export interface Classifier {
  classify(text: string): ClassifierScores | Promise<ClassifierScores>;
  /** Scores with the language chosen among `languages` (a Perspective request's). Optional. */
  classifyIn?(text: string, languages: readonly string[]): ClassifierScores;
  /** The words that drove the scores. Optional: a classifier that cannot say omits it. */
  explain?(text: string, languages?: readonly string[]): WordWeight[];
}

const REJECTING: readonly ClassifierLabel[] = ['toxicity', 'severe_toxicity', 'threat', 'spam'];
/** Every label but profanity. */
export const HOLDING: readonly ClassifierLabel[] = CLASSIFIER_LABELS.filter(
  (l) => l !== 'profanity',
);

/**
 * The words that drove a held or rejected comment's scores (a classifier that cannot say gives
 * none): what the dashboard highlights for the moderator who decides.
 */
function highlightsOf(model: Classifier, body: string): Highlight[] {
  if (!model.explain) return [];
  return model
    .explain(body)
    .map((word) => ({ begin: word.begin, end: word.end, labels: word.drops }))
    .filter((h) => Object.keys(h.labels).length > 0) as Highlight[];
}

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
        highlights: highlightsOf(model, body),
        reasons: [{ code: 'CLASSIFIER_REJECT', message: `Scored as ${rejectFor.join(', ')}.` }],
      };
    }
    const holdFor = over(hold, HOLDING);
    if (holdFor.length > 0) {
      return {
        decision: 'pending',
        scores,
        tags,
        highlights: highlightsOf(model, body),
        reasons: [{ code: 'CLASSIFIER_HOLD', message: `Possibly ${holdFor.join(', ')}.` }],
      };
    }
    return { scores, tags };
  };
}
