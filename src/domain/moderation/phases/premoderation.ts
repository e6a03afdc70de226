/**
 * Pre-moderation: the whole site, one story, new commenters until they have enough approved
 * comments, and authors flagged "always pre-moderate". Staff, moderators and admins are exempt.
 */
import type { ModerationInput, PhaseResult, Reason } from '../types.ts';

export function premoderation({
  author,
  story,
  settings,
}: Pick<ModerationInput, 'author' | 'story' | 'settings'>): PhaseResult | undefined {
  if (author.role !== 'commenter') return undefined;
  const reasons: Reason[] = [];
  if (settings.premoderateAll) {
    reasons.push({ code: 'PREMOD_SITE', message: 'Every comment on this site is reviewed first.' });
  }
  if (story.premoderated) {
    reasons.push({
      code: 'PREMOD_STORY',
      message: 'Every comment on this story is reviewed first.',
    });
  }
  if (author.alwaysPremoderate) {
    reasons.push({
      code: 'PREMOD_USER',
      message: "This author's comments are always reviewed first.",
    });
  }
  if (author.approvedCount < settings.premoderateNewCommenters) {
    reasons.push({
      code: 'PREMOD_NEW_COMMENTER',
      message: `New commenter: ${author.approvedCount} of ${settings.premoderateNewCommenters} approved comments so far.`,
    });
  }
  return reasons.length ? { decision: 'pending', reasons } : undefined;
}
