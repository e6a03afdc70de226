/** Banned, suspended and warned-but-not-yet-acknowledging authors cannot post; they are told why and until when. */
import type { ModerationInput, PhaseResult } from '../types.ts';

export function authorRestricted({
  author,
  now,
}: Pick<ModerationInput, 'author' | 'now'>): PhaseResult | undefined {
  if (author.banned) {
    return {
      refuse: { code: 'AUTHOR_BANNED', message: 'Your account may no longer comment here.' },
    };
  }
  if (author.suspendedUntil && Date.parse(author.suspendedUntil) > now.getTime()) {
    return {
      refuse: {
        code: 'AUTHOR_SUSPENDED',
        message: `Your account is suspended from commenting until ${author.suspendedUntil}.`,
      },
    };
  }
  if (author.unacknowledgedWarning !== null) {
    return {
      refuse: {
        code: 'WARNING_UNACKNOWLEDGED',
        message: `A moderator has warned you: "${author.unacknowledgedWarning}" Acknowledge the warning to comment again.`,
      },
    };
  }
  return undefined;
}
