/**
 * The Q&A endpoints of the API v1 (docs/qa.md), called through the widget's own client. The types
 * are hand-written until the Q&A routes are in the generated API types; then they become aliases.
 */
import type { ApiClient } from '../../api/client.js';
import type { Author, CommentData } from '../../api/types.js';

export type QaTab = 'answered' | 'unanswered';

/** An answer: a reply by one of the story's experts or a member of staff. */
export type QaAnswer = CommentData & { readonly author: (Author & { expert?: boolean }) | null };

/** A question: a top-level comment of a Q&A story, with its votes and answers. */
export type Question = CommentData & {
  readonly votes: number;
  readonly answers: readonly QaAnswer[];
  readonly viewer: CommentData['viewer'] & { readonly voted?: boolean };
};

export interface QuestionPage {
  readonly questions: readonly Question[];
  readonly nextCursor: string | null;
}

export interface Expert {
  readonly id: string;
  readonly displayName: string;
  readonly avatarUrl?: string | null;
  readonly title?: string | null;
}

/** What a Q&A story adds to the story's JSON. */
export interface QaStory {
  readonly mode?: 'comments' | 'qa';
  readonly qa?: { readonly open: boolean; readonly experts: readonly Expert[] } | null;
}

export interface QaApi {
  readonly questions: (
    storyId: string,
    tab: QaTab,
    cursor?: string | null,
  ) => Promise<QuestionPage>;
  readonly vote: (questionId: string, on: boolean) => Promise<{ votes: number; voted: boolean }>;
  readonly answering: (storyId: string, questionId: string) => Promise<void>;
}

const PAGE_SIZE = 20;

export function qaApi(api: ApiClient): QaApi {
  const segment = encodeURIComponent;
  return {
    questions: (storyId, tab, cursor) =>
      api.call<QuestionPage>(
        'GET',
        `/stories/${segment(storyId)}/questions?tab=${tab}&limit=${PAGE_SIZE}${
          cursor ? `&cursor=${segment(cursor)}` : ''
        }`,
      ),
    vote: (questionId, on) =>
      api.call<{ votes: number; voted: boolean }>(
        on ? 'PUT' : 'DELETE',
        `/comments/${segment(questionId)}/vote`,
      ),
    answering: (storyId, questionId) =>
      api.call<void>('POST', `/stories/${segment(storyId)}/qa/answering`, { questionId }),
  };
}
