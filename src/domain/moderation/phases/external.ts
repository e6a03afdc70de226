/**
 * External moderation: a publisher may run its own moderation service. When the site configures
 * one, every comment that reaches this phase is sent to it, and its answer approves, holds or
 * rejects the comment (or only tags it). The service's tags are kept, prefixed `external:`.
 *
 * The comment is never lost to a failing service: if it cannot be reached, times out, or answers
 * anything but a well-formed verdict, the comment is held for a moderator (EXTERNAL_UNAVAILABLE).
 *
 * This module only defines what the domain needs from such a service; the HTTP client (signing,
 * timeout, size cap, answer validation) is services/external-moderation.ts.
 */
import type { Decision, ExternalModerationSettings, ModerationInput, Phase } from '../types.ts';

/** What the service is sent about the comment. */
export interface ExternalReviewRequest {
  comment: {
    /** The comment's id when it is being edited; null for a new comment (not stored yet). */
    id: string | null;
    body: string;
    html: string;
    authorId: string | null;
    storyId: string | null;
    siteId: string | null;
  };
  event: 'created' | 'edited';
}

/** The service's answer, already validated and mapped to Parley's decisions. */
export interface ExternalVerdict {
  decision?: Decision;
  tags?: string[];
  reason?: string;
}

/** Anything that reviews a comment for a site: the HTTP client, or a stand-in in tests. */
export interface ExternalModerator {
  /** Resolves with the verdict; rejects when no valid verdict could be had (the comment is held). */
  review(
    settings: ExternalModerationSettings,
    request: ExternalReviewRequest,
  ): Promise<ExternalVerdict>;
}

const REASON_CODES: Record<Decision, string> = {
  approved: 'EXTERNAL_APPROVE',
  pending: 'EXTERNAL_HOLD',
  rejected: 'EXTERNAL_REJECT',
};

const DEFAULT_MESSAGES: Record<Decision, string> = {
  approved: "Approved by the publisher's moderation service.",
  pending: "Held by the publisher's moderation service.",
  rejected: "Rejected by the publisher's moderation service.",
};

/** Longest error detail kept in an EXTERNAL_UNAVAILABLE reason. */
const MAX_DETAIL = 200;

export function externalModeration(moderator: ExternalModerator): Phase {
  return async function external({
    body,
    html,
    settings,
    context,
  }: Pick<ModerationInput, 'body' | 'html' | 'settings' | 'context'>) {
    if (!settings.external) return undefined;
    const request: ExternalReviewRequest = {
      comment: {
        id: context?.commentId ?? null,
        body,
        html,
        authorId: context?.authorId ?? null,
        storyId: context?.storyId ?? null,
        siteId: context?.siteId ?? null,
      },
      event: context?.commentId ? 'edited' : 'created',
    };
    let verdict: ExternalVerdict;
    try {
      verdict = await moderator.review(settings.external, request);
    } catch (error) {
      const detail = (error instanceof Error ? error.message : String(error)).slice(0, MAX_DETAIL);
      return {
        decision: 'pending',
        reasons: [
          {
            code: 'EXTERNAL_UNAVAILABLE',
            message: `The publisher's moderation service gave no verdict (${detail}); held for review.`,
          },
        ],
      };
    }
    const tags = (verdict.tags ?? []).map((tag) => `external:${tag}`);
    // No decision: the service only tagged the comment; later phases decide.
    if (!verdict.decision) return tags.length > 0 ? { tags } : undefined;
    return {
      decision: verdict.decision,
      tags,
      reasons: [
        {
          code: REASON_CODES[verdict.decision],
          message: verdict.reason || DEFAULT_MESSAGES[verdict.decision],
        },
      ],
    };
  };
}
