/**
 * The moderation pipeline, in order. Every new and edited comment passes these phases (see
 * pipeline.ts for how results combine: rejections end the run, holds let later phases still
 * reject). Phases that refuse outright come first, so an author learns at once that a story is
 * closed; phases that may reject run before the ones that only hold.
 */
import type { Phase } from '../types.ts';
import { authorRestricted } from './author-restricted.ts';
import { bodyLength } from './body-length.ts';
import { classifierPhase, type Classifier } from './classifier.ts';
import { links } from './links.ts';
import { postingRate } from './posting-rate.ts';
import { premoderation } from './premoderation.ts';
import { repeatPost } from './repeat-post.ts';
import { storyClosed } from './story-closed.ts';

export interface PhaseDependencies {
  /** Scores comments; without one the classifier phase is left out. */
  classifier?: Classifier;
}

export function moderationPhases(dependencies: PhaseDependencies = {}): Phase[] {
  return [
    // Refusals: the author is told, nothing is stored.
    storyClosed,
    authorRestricted,
    bodyLength,
    repeatPost,
    // May reject.
    links,
    ...(dependencies.classifier ? [classifierPhase(dependencies.classifier)] : []),
    // Only hold.
    postingRate,
    premoderation,
  ];
}
