/**
 * The JSON of the moderation API (docs/moderation-api.md) and of the other routes the dashboard
 * calls, named as the dashboard reads it: aliases of the types generated from the server's
 * OpenAPI document (web/shared/openapi.ts), so a changed response schema fails the dashboard's
 * type check. Hand-written only what the document leaves open, each saying why.
 */
import {
  everyWordOf,
  type BodyOf,
  type QueryOf,
  type ResponseOf,
} from '../../../shared/openapi.js';
import type { Queue } from '../../../../src/domain/vocabulary.js';

// The shared words have one definition (the server's too); the audit log's kinds are the server's.
export {
  PIPELINE_REASON_CODES,
  QUEUES,
  REJECTION_CODES,
  ROLES,
  type PipelineReasonCode,
  type RejectionCode,
  type Role,
} from '../../../../src/domain/vocabulary.js';
export { AUDIT_ACTIONS, type AuditAction } from '../../../../src/domain/audit-actions.js';

export type QueueName = Queue;
/** Keyed by queue here: the document keys the counts by any string (the server counts them all). */
export type QueueCounts = Record<
  QueueName,
  ResponseOf<'/api/v1/admin/queues/counts', 'get'>['counts'][string]
>;

// Signing in, and who is signed in.
export type Session = ResponseOf<'/api/v1/auth/login', 'post'>;
export type Viewer = Session['user'];
export type Me = ResponseOf<'/api/v1/admin/me', 'get'>;
export type SiteRef = Me['sites'][number];

// The queues, one comment in context, and search.
export type ItemPage = ResponseOf<'/api/v1/admin/queues/{queue}', 'get'>;
export type ModerationItem = ItemPage['items'][number];
export type ModerationComment = ModerationItem['comment'];
export type ModerationUser = ModerationItem['author'];
export type CommentStatus = ModerationComment['status'];
export type Reason = ModerationComment['moderation']['reasons'][number];
export type Highlight = NonNullable<ModerationComment['moderation']['highlights']>[number];
export type CommentDetails = ResponseOf<'/api/v1/admin/comments/{id}', 'get'>;
export type SearchQuery = Omit<QueryOf<'/api/v1/admin/search', 'get'>, 'cursor' | 'limit'>;

/**
 * The built-in classifier's labels (Perspective's production attributes, plus spam), in the order
 * moderators read them: the most useful first. Hand-written: the document keys a comment's scores
 * by any string (older comments carry fewer labels, another model others).
 */
export const CLASSIFIER_LABELS = [
  'toxicity',
  'identity_attack',
  'threat',
  'insult',
  'severe_toxicity',
  'profanity',
  'spam',
] as const;
export type ClassifierLabel = (typeof CLASSIFIER_LABELS)[number];

// Deciding: comment actions, bulk actions, undo.
export type CommentActionKind = 'approve' | 'feature' | 'unfeature' | 'delete';
export type CommentActionResult = ResponseOf<'/api/v1/admin/comments/{id}/approve', 'post'>;
export type ActionRef = CommentActionResult['action'];
export type BulkActionResult = ResponseOf<'/api/v1/admin/comments/bulk', 'post'>;
export type BulkError = BulkActionResult['errors'][number];
export type UndoResult = ResponseOf<'/api/v1/admin/actions/{id}/undo', 'post'>;

// Accounts.
export type UserPage = ResponseOf<'/api/v1/admin/users', 'get'>;
export type UserDetails = ResponseOf<'/api/v1/admin/users/{id}', 'get'>;
export type UserNote = UserDetails['notes'][number];
export type UserActionResult = ResponseOf<'/api/v1/admin/users/{id}/warn', 'post'>;

// The audit log.
export type AuditPage = ResponseOf<'/api/v1/admin/audit', 'get'>;
export type AuditEntry = AuditPage['entries'][number];
export type AuditPerson = NonNullable<AuditEntry['actor']>;
export type AuditQuery = Omit<QueryOf<'/api/v1/admin/audit', 'get'>, 'cursor' | 'limit'>;

// Statistics.
export type Stats = ResponseOf<'/api/v1/admin/stats', 'get'>;
export type DayStats = Stats['days'][number];
export type HourStats = Stats['hours'][number];
export type TopReportedStory = Stats['topReported'][number];

// Sites, their branding and settings, stories.
export type AdminSite = ResponseOf<'/api/v1/sites', 'get'>['sites'][number];
export type BrandingResponse = ResponseOf<'/api/v1/admin/sites/{siteId}/branding', 'get'>;
export type Branding = BrandingResponse['branding'];
export type SiteSettingsPatch = BodyOf<'/api/v1/admin/sites/{siteId}/settings', 'patch'>;
type ModerationPatch = NonNullable<SiteSettingsPatch['moderation']>;
export type WordListEntry = NonNullable<ModerationPatch['wordList']>[number];
export type WordStrength = WordListEntry['strength'];
export type LinkPolicy = Required<NonNullable<ModerationPatch['links']>>;

/**
 * A site's moderation settings as admins and moderators read them. Hand-written: the document
 * leaves `moderation` open in the answers of GET and PATCH /admin/sites/:siteId/settings.
 */
export interface ModerationSettings {
  readonly commentingDisabled: boolean;
  /** Close stories to new comments this many days after publication (0: never). */
  readonly closeAfterDays: number;
  readonly premoderateAll: boolean;
  /** Hold comments from authors with fewer approved comments than this (0: off). */
  readonly premoderateNewCommenters: number;
  readonly minLength: number;
  readonly maxLength: number;
  readonly links: LinkPolicy;
  readonly repeatWindowSeconds: number;
  readonly maxPostsPerMinute: number;
  readonly classifier: { readonly hold: number; readonly reject: number };
  readonly wordList: WordListEntry[];
  /** The secret itself is never sent back, only whether one is stored. */
  readonly external: {
    readonly url: string;
    readonly timeoutMs: number;
    readonly secretSet: boolean;
  } | null;
}

/** GET/PATCH /admin/sites/:siteId/settings, with the open `moderation` typed. */
export type SiteSettings = Omit<
  ResponseOf<'/api/v1/admin/sites/{siteId}/settings', 'get'>['site'],
  'moderation'
> & { readonly moderation: ModerationSettings };

export type StoryPage = ResponseOf<'/api/v1/admin/stories', 'get'>;
export type AdminStory = StoryPage['stories'][number];

// The mail outbox.
export type MailPage = ResponseOf<'/api/v1/admin/mail', 'get'>;
export type MailSummary = MailPage['items'][number];
export type MailMessage = ResponseOf<'/api/v1/admin/mail/{mailId}', 'get'>;
export type MailState = MailSummary['state'];
/** `held`: no SMTP server configured (docs/identity.md, "Mail"). */
export const MAIL_STATES = /* @__PURE__ */ everyWordOf<MailState>()([
  'queued',
  'sent',
  'held',
  'failed',
]);

// Sign-in settings.
export type SignInSettingsResponse = ResponseOf<'/api/v1/admin/sites/{siteId}/auth', 'get'>;
export type SignInSettings = SignInSettingsResponse['auth'];
export type SignInSettingsBody = BodyOf<'/api/v1/admin/sites/{siteId}/auth', 'put'>;

// Imports.
export type ImportFormats = ResponseOf<'/api/v1/admin/import-formats', 'get'>;
export type ImportFormat = ImportFormats['formats'][number];
type ImportRunJson = ResponseOf<'/api/v1/admin/imports/{runId}', 'get'>['run'];
export type ImportState = ImportRunJson['state'];
/**
 * `examples` by hand: @fastify/swagger drops a property of that name (an OpenAPI keyword) from the
 * schemas it finds under `additionalProperties`, though the server sends it
 * (src/server/import-schemas.ts).
 */
export type SkipTally = ImportRunJson['report']['skipped'][string] & {
  examples: { sourceId: string; detail: string }[];
};
export type ImportReport = Omit<ImportRunJson['report'], 'skipped'> & {
  skipped: Record<string, SkipTally>;
};
export type ImportRun = Omit<ImportRunJson, 'report'> & { report: ImportReport };

// Publishers' webhooks (docs/webhooks.md).
export type WebhookList = ResponseOf<'/api/v1/admin/sites/{siteId}/webhooks', 'get'>;
export type WebhookEndpoint = WebhookList['endpoints'][number];
export type WebhookState = WebhookEndpoint['state'];
export type WebhookEventType = BodyOf<
  '/api/v1/admin/sites/{siteId}/webhooks',
  'post'
>['events'][number];
export const WEBHOOK_EVENT_TYPES = /* @__PURE__ */ everyWordOf<WebhookEventType>()([
  'comment.created',
  'comment.approved',
  'comment.rejected',
  'comment.featured',
  'comment.deleted',
  'story.created',
  'user.banned',
  'user.deleted',
]);
export type WebhookWithSecret = ResponseOf<'/api/v1/admin/sites/{siteId}/webhooks', 'post'>;
export type WebhookDeliveryPage = ResponseOf<'/api/v1/admin/webhooks/{id}/deliveries', 'get'>;
export type WebhookDelivery = WebhookDeliveryPage['items'][number];
export type WebhookDeliveryState = WebhookDelivery['state'];
export const WEBHOOK_DELIVERY_STATES = /* @__PURE__ */ everyWordOf<WebhookDeliveryState>()([
  'pending',
  'delivered',
  'failed',
  'cancelled',
]);
export type WebhookDeliveryDetails = ResponseOf<
  '/api/v1/admin/webhooks/{id}/deliveries/{deliveryId}',
  'get'
>['delivery'];
export type WebhookAttempt = WebhookDeliveryDetails['attemptLog'][number];
