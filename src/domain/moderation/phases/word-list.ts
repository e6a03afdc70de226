/**
 * Word list: a comment containing a term the site bans is rejected; one containing only terms the
 * site finds suspect is held for a moderator. Matching (and every disguise it sees through) is the
 * compiled matcher's job (see ../word-list.ts); this phase only turns matches into a decision.
 *
 * The author is told how many terms were found, never which: echoing them back would teach a
 * determined author exactly what to disguise next. Moderators see the terms as `word:<term>` tags,
 * in the list's own spelling.
 */
import type { ModerationInput, PhaseResult } from '../types.ts';

const terms = (count: number) => (count === 1 ? '1 term' : `${count} terms`);

export function wordList({
  body,
  words,
}: Pick<ModerationInput, 'body' | 'words'>): PhaseResult | undefined {
  if (!words) return undefined;
  const matches = words.match(body);
  if (matches.length === 0) return undefined;
  const tags = matches.map((m) => `word:${m.term}`);
  const banned = matches.filter((m) => m.strength === 'banned').length;
  if (banned > 0) {
    return {
      decision: 'rejected',
      tags,
      reasons: [
        {
          code: 'WORD_BANNED',
          message: `Comment contains ${terms(banned)} not allowed on this site.`,
        },
      ],
    };
  }
  return {
    decision: 'pending',
    tags,
    reasons: [
      {
        code: 'WORD_SUSPECT',
        message: `Comment contains ${terms(matches.length)} this site reviews before publishing.`,
      },
    ],
  };
}
