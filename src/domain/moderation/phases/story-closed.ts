/** A closed story, or a site with commenting turned off, takes no new comments: the author is told so and nothing is stored. */
import type { ModerationInput, PhaseResult } from '../types.ts';

export function storyClosed({
  story,
  settings,
}: Pick<ModerationInput, 'story' | 'settings'>): PhaseResult | undefined {
  if (settings.commentingDisabled) {
    return { refuse: { code: 'STORY_CLOSED', message: 'Commenting is turned off on this site.' } };
  }
  if (!story.closed) return undefined;
  return { refuse: { code: 'STORY_CLOSED', message: 'Commenting on this story is closed.' } };
}
