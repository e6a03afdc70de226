/**
 * A closed story, a story past the site's "close after N days", or a site with commenting turned
 * off takes no new comments: the author is told so and nothing is stored.
 */
import type { ModerationInput, ModerationSettings, PhaseResult } from '../types.ts';

const DAY_MS = 86_400_000;

/** Whether a story takes no more comments: closed by hand, or older than the site allows. */
export function storyIsClosed(
  story: { closed: boolean; openedAt: string },
  settings: Pick<ModerationSettings, 'closeAfterDays'>,
  now: Date,
): boolean {
  if (story.closed) return true;
  if (settings.closeAfterDays <= 0) return false;
  return now.getTime() - Date.parse(story.openedAt) > settings.closeAfterDays * DAY_MS;
}

export function storyClosed({
  story,
  settings,
  now,
}: Pick<ModerationInput, 'story' | 'settings' | 'now'>): PhaseResult | undefined {
  if (settings.commentingDisabled) {
    return { refuse: { code: 'STORY_CLOSED', message: 'Commenting is turned off on this site.' } };
  }
  if (story.closed) {
    return { refuse: { code: 'STORY_CLOSED', message: 'Commenting on this story is closed.' } };
  }
  if (!storyIsClosed(story, settings, now)) return undefined;
  return {
    refuse: {
      code: 'STORY_CLOSED',
      message: `Commenting on this story closed ${settings.closeAfterDays} days after it was published.`,
    },
  };
}
