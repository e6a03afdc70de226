/** An author posting faster than the site allows has the extra comments held for a moderator. */
import type { ModerationInput, PhaseResult } from '../types.ts';

export function postingRate({
  author,
  history,
  settings,
}: Pick<ModerationInput, 'author' | 'history' | 'settings'>): PhaseResult | undefined {
  if (author.role !== 'commenter' || history.postsLastMinute < settings.maxPostsPerMinute) {
    return undefined;
  }
  return {
    decision: 'pending',
    reasons: [
      {
        code: 'POSTING_RATE',
        message: `More than ${settings.maxPostsPerMinute} comments in a minute from this author.`,
      },
    ],
  };
}
