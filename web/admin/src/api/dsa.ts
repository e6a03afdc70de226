/**
 * The Digital Services Act's JSON (docs/dsa.md), as the dashboard reads it: notices of illegal
 * content and appeals on a moderation item, an appeal's decision, and the transparency report of
 * a period. Aliases of the types generated from the server's OpenAPI document.
 */
import type { BodyOf, ResponseOf } from '../../../shared/openapi.js';
import type { ModerationComment } from './types.js';

export type IllegalNotice = NonNullable<ModerationComment['illegalNotices']>[number];
export type Appeal = NonNullable<ModerationComment['appeal']>;
export type AppealOutcome = BodyOf<'/api/v1/admin/appeals/{id}/decide', 'post'>['outcome'];
export type AppealDecision = ResponseOf<'/api/v1/admin/appeals/{id}/decide', 'post'>;
/** The report as JSON (the route answers CSV text too, with `format=csv`). */
export type TransparencyReport = Exclude<
  ResponseOf<'/api/v1/admin/sites/{siteId}/transparency', 'get'>,
  string
>;
