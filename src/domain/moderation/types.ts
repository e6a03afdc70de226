/**
 * The moderation pipeline's vocabulary: what a phase sees about a comment, and what it may answer.
 * A phase answers with a partial result; the first phase that decides ends the run.
 */
import type { ErrorCode } from '../errors.ts';
import type { WordListEntry, WordListMatcher } from './word-list.ts';

/** What happens to the comment: published, held for a moderator, or refused publication. */
export type Decision = 'approved' | 'pending' | 'rejected';

/** Why a phase decided or flagged something; stored with the comment and shown to moderators. */
export interface Reason {
  /** Stable code, e.g. PREMOD_SITE, WORD_BANNED, LINKS_HELD. */
  code: string;
  /** One sentence a moderator (and, for rejections, the author) can read. */
  message: string;
}

export interface PhaseResult {
  decision?: Decision;
  /** Refuse the request outright with this error (story closed, author banned): nothing is stored. */
  refuse?: { code: ErrorCode; message: string };
  reasons?: Reason[];
  /** Scores by name (e.g. classifier probabilities), kept with the comment. */
  scores?: Record<string, number>;
  tags?: string[];
  /** Parts of the text that drove a decision (the classifier's words), shown to moderators. */
  highlights?: Highlight[];
}

/** A span of the comment's text [begin, end) and the scores it drove up, with by how much. */
export interface Highlight {
  begin: number;
  end: number;
  labels: Record<string, number>;
}

export interface LinkPolicy {
  /** Hold every comment that contains a link. */
  holdLinks: boolean;
  /** Domains whose links are always allowed (and their subdomains). */
  allowDomains: string[];
  /** Domains whose links get a comment rejected (and their subdomains). */
  denyDomains: string[];
}

export interface ClassifierThresholds {
  /** Hold at or above this probability. */
  hold: number;
  /** Reject at or above this (much higher) probability; never on identity_attack alone. */
  reject: number;
}

/** A publisher's own moderation service, called for every comment (see phases/external.ts). */
export interface ExternalModerationSettings {
  /** https URL Parley POSTs the comment to. */
  url: string;
  /** Shared secret of the HMAC-SHA256 signature over timestamp and body. */
  secret: string;
  /** How long to wait for an answer before holding the comment. */
  timeoutMs: number;
}

/** A site's moderation settings, with story-level overrides already applied. */
export interface ModerationSettings {
  /** No new comments anywhere on the site (stories stay readable). */
  commentingDisabled: boolean;
  /** Close stories to new comments this many days after publication (0: never). */
  closeAfterDays: number;
  /** Push new comments to open pages (SSE); off: readers see them on their next load. */
  liveUpdates: boolean;
  premoderateAll: boolean;
  /** Hold comments from authors with fewer approved comments than this (0: off). */
  premoderateNewCommenters: number;
  minLength: number;
  maxLength: number;
  links: LinkPolicy;
  /** Seconds within which the same text by the same author counts as a repeat. */
  repeatWindowSeconds: number;
  /** Most comments an author may post per minute before the rest are held. */
  maxPostsPerMinute: number;
  classifier: ClassifierThresholds;
  /**
   * Learn the site's line from its moderators' decisions: a layer over the classifier, trained in
   * the background and used (to hold, never to reject) once measured better (site-model.ts).
   */
  learnFromModerators: boolean;
  /** The site's word lists as configured (compiled once per change into `ModerationInput.words`). */
  wordList: WordListEntry[];
  external: ExternalModerationSettings | null;
}

export interface ModerationInput {
  body: string;
  /** The sanitised HTML the body renders to; links are read from it, as readers would see them. */
  html: string;
  settings: ModerationSettings;
  /** `openedAt`: when the story was published (or first seen, when its page gives no date). */
  story: { closed: boolean; premoderated: boolean; openedAt: string };
  author: {
    role: 'commenter' | 'staff' | 'moderator' | 'admin';
    banned: boolean;
    suspendedUntil: string | null;
    alwaysPremoderate: boolean;
    /** A moderator's warning the author has not yet acknowledged. */
    unacknowledgedWarning: string | null;
    approvedCount: number;
  };
  /** The site's word list, compiled (matching is the expensive part; compile once per change). */
  words?: WordListMatcher;
  /** Identifiers an external moderation service needs to find the comment again. */
  context?: { siteId: string; storyId: string; commentId: string | null; authorId: string };
  /** What the author did recently, counted by the caller from the store. */
  history: { sameBodyWithinWindow: number; postsLastMinute: number };
  now: Date;
}

export type Phase = (
  input: ModerationInput,
) => PhaseResult | undefined | Promise<PhaseResult | undefined>;

export interface ModerationOutcome {
  decision: Decision;
  refuse?: { code: ErrorCode; message: string };
  reasons: Reason[];
  scores: Record<string, number>;
  tags: string[];
  highlights: Highlight[];
  /** Name of the phase that decided, or null when none did and the comment is approved. */
  decidedBy: string | null;
}
