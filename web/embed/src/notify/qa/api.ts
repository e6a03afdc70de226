/**
 * The Q&A endpoints of the API v1 (docs/qa.md), called through the widget's own client; their
 * types are aliases of those generated from the server's OpenAPI document.
 */
import type { ApiClient } from '../../api/client.js';
import type { Story } from '../../api/types.js';
import type { QueryOf, ResponseOf } from '../../../../shared/openapi.js';

export type QaTab = NonNullable<QueryOf<'/api/v1/stories/{storyId}/questions', 'get'>['tab']>;
export type QuestionPage = ResponseOf<'/api/v1/stories/{storyId}/questions', 'get'>;
/** A question: a top-level comment of a Q&A story, with its votes and answers. */
export type Question = QuestionPage['questions'][number];
/** An answer: a reply by one of the story's experts or a member of staff. */
export type QaAnswer = Question['answers'][number];
export type VoteResult = ResponseOf<'/api/v1/comments/{id}/vote', 'put'>;
/** One of the story's experts, with the title they answer under. */
export type Expert = NonNullable<Story['qa']>['experts'][number];

export interface QaApi {
  readonly questions: (
    storyId: string,
    tab: QaTab,
    cursor?: string | null,
  ) => Promise<QuestionPage>;
  readonly vote: (questionId: string, on: boolean) => Promise<VoteResult>;
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
      api.call<VoteResult>(on ? 'PUT' : 'DELETE', `/comments/${segment(questionId)}/vote`),
    answering: (storyId, questionId) =>
      api.call<void>('POST', `/stories/${segment(storyId)}/qa/answering`, { questionId }),
  };
}
