/** The same text from the same author again within the window is refused (double posts, spam). */
import type { ModerationInput, PhaseResult } from '../types.ts';

export function repeatPost({
  history,
  settings,
}: Pick<ModerationInput, 'history' | 'settings'>): PhaseResult | undefined {
  if (history.sameBodyWithinWindow === 0) return undefined;
  return {
    refuse: {
      code: 'DUPLICATE_COMMENT',
      message: `You posted this same comment in the last ${Math.round(settings.repeatWindowSeconds / 60)} minutes.`,
    },
  };
}
