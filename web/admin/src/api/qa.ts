/**
 * Q&A with the newsroom (docs/qa.md), as the dashboard reads it: a story's Q&A switch, whether it
 * takes questions, its experts, and a site's Q&A sections. Hand-written until the Q&A routes are
 * in the generated API types (then aliases of ResponseOf/BodyOf, as ./types.ts does).
 */

/** One of a story's experts, as the story's JSON names them. */
export interface QaExpert {
  readonly id: string;
  readonly displayName: string;
  readonly avatarUrl?: string | null;
  readonly title?: string;
}

/** What a story's JSON says of its Q&A. */
export interface QaStoryState {
  readonly id: string;
  readonly mode?: 'comments' | 'qa';
  readonly qa?: { readonly open: boolean; readonly experts: readonly QaExpert[] };
}

/** PUT /admin/stories/:id/qa. */
export interface StoryQaBody {
  readonly enabled: boolean;
  readonly open?: boolean;
  readonly experts?: readonly { readonly id: string; readonly title?: string }[];
}
