/**
 * GET/PUT /admin/sites/:siteId/alerts and POST …/alerts/test: a moderator's own alerts for a site
 * (docs/notifications.md, "Moderator alerts"). Aliases of the types generated from the server's
 * OpenAPI document.
 */
import type { BodyOf, ResponseOf } from '../../../shared/openapi.js';

export type AlertSettings = ResponseOf<'/api/v1/admin/sites/{siteId}/alerts', 'get'>['alerts'];
export type AlertMode = AlertSettings['pending'];
export type ChatFormat = AlertSettings['chatFormat'];
/** Fields left out keep their value; `chatUrl: null` removes the webhook. */
export type AlertSettingsBody = BodyOf<'/api/v1/admin/sites/{siteId}/alerts', 'put'>;
export type AlertTestOutcome = ResponseOf<
  '/api/v1/admin/sites/{siteId}/alerts/test',
  'post'
>['results'][number];
