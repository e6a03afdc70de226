/** The site's length limits, counted in characters (code points), not bytes. */
import type { ModerationInput, PhaseResult } from '../types.ts';

export function bodyLength({
  body,
  settings,
}: Pick<ModerationInput, 'body' | 'settings'>): PhaseResult | undefined {
  const length = [...body.trim()].length;
  if (length < settings.minLength) {
    return {
      refuse: {
        code: 'TEXT_TOO_SHORT',
        message: `Comments here need at least ${settings.minLength} characters.`,
      },
    };
  }
  if (length > settings.maxLength) {
    return {
      refuse: {
        code: 'TEXT_TOO_LONG',
        message: `Comments here may have at most ${settings.maxLength} characters; this one has ${length}.`,
      },
    };
  }
  return undefined;
}
