/**
 * The moderation pipeline, in order. Every new and edited comment passes these phases (see
 * pipeline.ts for how results combine: rejections end the run, holds let later phases still
 * reject). Phases that refuse outright come first, so an author learns at once that a story is
 * closed; phases that may reject run before the ones that only hold.
 *
 * The publisher's external service runs last of those that may reject, because it may also
 * approve, and an approval ends the run (pipeline.ts): a comment the publisher's service vouches
 * for skips the hold-only phases (posting rate, pre-moderation). Earlier rejections have already
 * ended the run, so it never overrides one; but it does override a hold raised earlier in the
 * "may reject" group (a suspect word, a held link, a classifier hold), whose reasons are kept.
 */
import type { Phase } from '../types.ts';
import { authorRestricted } from './author-restricted.ts';
import { bodyLength } from './body-length.ts';
import { classifierPhase, type Classifier } from './classifier.ts';
import { externalModeration, type ExternalModerator } from './external.ts';
import { links } from './links.ts';
import { postingRate } from './posting-rate.ts';
import { premoderation } from './premoderation.ts';
import { repeatPost } from './repeat-post.ts';
import { siteModelPhase, type SiteLayers } from './site-model.ts';
import { storyClosed } from './story-closed.ts';
import { wordList } from './word-list.ts';

export interface PhaseDependencies {
  /** Scores comments; without one the classifier phase is left out. */
  classifier?: Classifier;
  /** Calls a site's own moderation service; without one the external phase is left out. */
  external?: ExternalModerator;
  /** Sites' own layers learned from their moderators (site-model.ts); without, left out. */
  siteModel?: SiteLayers;
}

export function moderationPhases(dependencies: PhaseDependencies = {}): Phase[] {
  return [
    // Refusals: the author is told, nothing is stored.
    storyClosed,
    authorRestricted,
    bodyLength,
    repeatPost,
    // May reject.
    wordList,
    links,
    ...(dependencies.classifier ? [classifierPhase(dependencies.classifier)] : []),
    // Only holds, but before the external phase, whose approval overrides it as a classifier hold.
    ...(dependencies.siteModel ? [siteModelPhase(dependencies.siteModel)] : []),
    // May also approve, which ends the run (see above); only for sites that configure a service.
    ...(dependencies.external ? [externalModeration(dependencies.external)] : []),
    // Only hold.
    postingRate,
    premoderation,
  ];
}
