/**
 * GET /admin/sites/:siteId/site-model: how a site's own layer over the classifier stands (learned
 * from its moderators; docs/site-models.md). Aliases of the types generated from the server's
 * OpenAPI document.
 */
import type { ResponseOf } from '../../../shared/openapi.js';

export type SiteModelReport = ResponseOf<
  '/api/v1/admin/sites/{siteId}/site-model',
  'get'
>['siteModel'];
export type SiteLearningStatus = SiteModelReport['status'];
export type ModelSummary = SiteModelReport['history'][number];
export type SiteModelStatus = ModelSummary['status'];
/** A rule (the classifier alone, or with the site's layer) on the held-out decisions. */
export type RuleScore = NonNullable<ModelSummary['base']>;
export type ClassScore = RuleScore['reject'];
