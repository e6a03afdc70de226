/**
 * Q&A with the newsroom (docs/qa.md), as the dashboard reads it: a story's Q&A switch, whether it
 * takes questions, its experts, and a site's Q&A sections. Aliases of the types generated from the
 * server's OpenAPI document.
 */
import type { BodyOf, ResponseOf } from '../../../shared/openapi.js';

/** A story as readers get it, with its mode and, for a Q&A, whether open and its experts. */
export type QaStoryState = ResponseOf<'/api/v1/admin/stories/{storyId}/qa', 'put'>['story'];
export type QaExpert = NonNullable<QaStoryState['qa']>['experts'][number];
/** PUT /admin/stories/:id/qa. */
export type StoryQaBody = BodyOf<'/api/v1/admin/stories/{storyId}/qa', 'put'>;
export type QaSectionsResult = ResponseOf<'/api/v1/admin/sites/{siteId}/qa-defaults', 'get'>;
