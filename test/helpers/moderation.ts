/**
 * A moderation pipeline input for phase tests: an ordinary comment by an established commenter
 * under an open story, with test settings; each test overrides what it is about.
 */
import { renderCommentHtml } from '../../src/domain/markdown.ts';
import type { ModerationInput, ModerationSettings } from '../../src/domain/moderation/types.ts';

export const TEST_SETTINGS: ModerationSettings = {
  commentingDisabled: false,
  closeAfterDays: 0,
  liveUpdates: true,
  premoderateAll: false,
  premoderateNewCommenters: 0,
  minLength: 2,
  maxLength: 500,
  links: { holdLinks: false, allowDomains: [], denyDomains: [] },
  repeatWindowSeconds: 600,
  maxPostsPerMinute: 5,
  classifier: { hold: 0.7, reject: 0.95 },
  learnFromModerators: true,
  wordList: [],
  external: null,
};

export type InputOverrides = Partial<
  Omit<ModerationInput, 'settings' | 'author' | 'story' | 'history'>
> & {
  settings?: Partial<ModerationSettings>;
  author?: Partial<ModerationInput['author']>;
  story?: Partial<ModerationInput['story']>;
  history?: Partial<ModerationInput['history']>;
};

export function moderationInput(overrides: InputOverrides = {}): ModerationInput {
  const { settings, author, story, history, ...rest } = overrides;
  const body = overrides.body ?? 'A reasonable comment about the talks.';
  return {
    ...rest,
    body,
    html: overrides.html ?? renderCommentHtml(body),
    settings: { ...TEST_SETTINGS, ...settings },
    story: { closed: false, premoderated: false, openedAt: '2026-11-01T00:00:00.000Z', ...story },
    author: {
      role: 'commenter',
      banned: false,
      suspendedUntil: null,
      alwaysPremoderate: false,
      unacknowledgedWarning: null,
      approvedCount: 10,
      ...author,
    },
    history: { sameBodyWithinWindow: 0, postsLastMinute: 0, ...history },
    now: overrides.now ?? new Date('2026-11-28T12:00:00Z'),
  };
}
