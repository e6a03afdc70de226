/** A closed story takes no new comments: the author is told so and nothing is stored. */
import type { ModerationInput, PhaseResult } from '../types.ts';

export function storyClosed({ story }: Pick<ModerationInput, 'story'>): PhaseResult | undefined {
  if (!story.closed) return undefined;
  return { refuse: { code: 'STORY_CLOSED', message: 'Commenting on this story is closed.' } };
}
