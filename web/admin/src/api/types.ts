/**
 * The JSON shapes of the moderation API (docs/moderation-api.md), as the dashboard reads them.
 */

import type { Appeal, IllegalNotice } from './dsa.js';
import type { Queue, RejectionCode, Role } from '../../../../src/domain/vocabulary.js';

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

export type CommentStatus = 'approved' | 'pending' | 'rejected' | 'deleted';

export type QueueName = Queue;
export type QueueCounts = Record<QueueName, number>;

export interface Viewer {
  readonly id: string;
  readonly displayName: string;
  readonly role: Role;
  readonly email: string;
}

export interface Session {
  readonly token: string;
  /** Single use: POST /auth/refresh trades it for a new session. */
  readonly refreshToken?: string | undefined;
  readonly user: Viewer;
  /** Seconds the access token lasts (src/server/auth.ts). */
  readonly expiresIn?: number;
}

export interface SiteRef {
  readonly id: string;
  readonly name: string;
}

export interface Me {
  readonly user: {
    readonly id: string;
    readonly name: string;
    readonly role: Role;
    readonly moderatorSiteIds: string[] | null;
  };
  readonly sites: SiteRef[];
}

export interface Reason {
  readonly code: string;
  readonly message: string;
}

/**
 * The built-in classifier's labels (Perspective's production attributes, plus spam), in the order
 * moderators read them: the most useful first.
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

/**
 * A span of a comment's `body` (the Markdown as written) that drove an automatic hold or
 * rejection: [begin, end) in UTF-16 code units, and per label how far that score falls without
 * the span (0–1). Untrusted for rendering: spans may overlap or fall outside the text.
 */
export interface Highlight {
  readonly begin: number;
  readonly end: number;
  readonly labels: Readonly<Partial<Record<ClassifierLabel, number>> & Record<string, number>>;
}

export interface ModerationComment {
  readonly id: string;
  readonly storyId: string;
  readonly parentId: string | null;
  readonly body: string;
  /** Sanitised by the server, as readers see it. */
  readonly html: string;
  readonly status: CommentStatus;
  readonly createdAt: string;
  readonly editedAt: string | null;
  readonly featured: boolean;
  readonly reviewed: boolean;
  readonly replyCount: number;
  readonly reactionCount: number;
  readonly moderation: {
    readonly decidedBy: string | null;
    readonly reasons: Reason[];
    /** Classifier scores (0–1) by label: the seven of CLASSIFIER_LABELS, fewer on older comments. */
    readonly scores: Readonly<Partial<Record<ClassifierLabel, number>> & Record<string, number>>;
    /** `model:…`, `lang:…`, `word:…`, `external:…`. */
    readonly tags: string[];
    /** When the classifier held or rejected the comment: the spans that drove it. */
    readonly highlights?: readonly Highlight[];
    readonly rejection: { readonly code: RejectionCode; readonly note: string | null } | null;
  };
  readonly reports: {
    readonly total: number;
    /** Reports not yet dealt with (a moderator's approve or reject closes them). */
    readonly open: number;
    readonly byReason: Record<string, number>;
  };
  /** Notices of illegal content (reports with reason `illegal`), oldest first. */
  readonly illegalNotices?: readonly IllegalNotice[];
  /** The latest appeal of a decision on the comment. */
  readonly appeal?: Appeal | null;
}

export interface ModerationUser {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly banned: boolean;
  readonly suspendedUntil: string | null;
  readonly alwaysPremoderate: boolean;
  readonly warning: { readonly message: string; readonly acknowledged: boolean } | null;
  readonly counts: {
    readonly approved: number;
    readonly pending: number;
    readonly rejected: number;
  };
  /** With `banned`: the sites the ban covers, or null for every site. */
  readonly bannedSiteIds: string[] | null;
  readonly banReason: string | null;
  readonly suspendReason: string | null;
  /** For moderators: the sites they moderate, or null for all. */
  readonly moderatorSiteIds: string[] | null;
  /** Sent to admins only. */
  readonly email?: string;
}

export interface ModerationItem {
  readonly comment: ModerationComment;
  readonly story: {
    readonly id: string;
    readonly title: string | null;
    readonly url: string;
    readonly siteId: string;
  };
  readonly author: ModerationUser;
}

export interface ItemPage {
  readonly items: ModerationItem[];
  readonly nextCursor: string | null;
}

export interface CommentDetails {
  readonly item: ModerationItem;
  readonly parent: ModerationItem | null;
  readonly replies: ModerationItem[];
  readonly authorRecent: ModerationItem[];
}

export interface UserNote {
  readonly id: string;
  readonly text: string;
  readonly by: { readonly id: string; readonly name: string };
  readonly createdAt: string;
}

export interface UserDetails {
  readonly user: ModerationUser;
  readonly notes: UserNote[];
  readonly recent: ModerationItem[];
}

export interface ActionRef {
  readonly id: string;
  readonly undoable: boolean;
}

export interface CommentActionResult {
  readonly item: ModerationItem;
  readonly action: ActionRef;
}

export interface BulkError {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

export interface BulkActionResult {
  readonly items: ModerationItem[];
  readonly actions: ActionRef[];
  /** Comments that could not be decided (deleted meanwhile, out of scope); the rest went ahead. */
  readonly errors: BulkError[];
}

export interface UndoResult {
  readonly ok: true;
  readonly action: ActionRef;
}

export interface UserActionResult {
  readonly user: ModerationUser;
  readonly action: ActionRef;
}

/** Someone an audit entry names; an erased account has no name left. */
export interface AuditPerson {
  readonly id: string;
  readonly name: string | null;
  readonly erased: boolean;
}

export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  /** Null: the pipeline decided. */
  readonly actor: AuditPerson | null;
  readonly action: string;
  readonly siteId: string | null;
  readonly commentId: string | null;
  readonly userId: string | null;
  /** A rejection code, the pipeline's codes joined by ", ", or a moderator's own words. */
  readonly reason: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly undoneAt: string | null;
  /** `excerpt` is plain text; null when the comment is deleted. */
  readonly comment: {
    readonly id: string;
    readonly excerpt: string | null;
    readonly deleted: boolean;
    readonly status: string | null;
  } | null;
  readonly story: {
    readonly id: string;
    readonly title: string | null;
    readonly url: string;
  } | null;
  /** The comment's author, or the account acted on. */
  readonly user: AuditPerson | null;
  /** For an undo: the entry it took back. */
  readonly undoOf: {
    readonly id: string;
    readonly action: string;
    readonly at: string;
    readonly actor: AuditPerson | null;
  } | null;
}

export interface AuditQuery {
  readonly siteId?: string;
  readonly commentId?: string;
  readonly userId?: string;
  /** A moderator's id, or 'pipeline'. */
  readonly actorId?: string;
  readonly action?: string;
  readonly storyId?: string;
}

/** A publisher site as admins manage it (GET/POST/PATCH /api/v1/sites). */
export interface AdminSite {
  readonly id: string;
  readonly name: string;
  readonly allowedOrigins: string[];
  readonly editWindowSeconds: number;
  readonly maxDepth: number;
  readonly locale: string | null;
  readonly createdAt: string;
}

/** A site's branding (GET/PUT /admin/sites/:siteId/branding); null: not set. */
export interface Branding {
  readonly logoUrl: string | null;
  readonly accentColor: string | null;
  readonly guidelinesUrl: string | null;
  readonly senderName: string | null;
  readonly signoff: string | null;
}

export interface BrandingResponse {
  readonly siteName: string;
  readonly branding: Branding;
}

export interface AuditPage {
  readonly entries: AuditEntry[];
  readonly nextCursor: string | null;
}

export interface DayStats {
  readonly date: string;
  readonly approved: number;
  readonly pending: number;
  readonly rejected: number;
  readonly reported: number;
}

export interface HourStats {
  /** ISO start of the hour (UTC), e.g. 2026-03-01T14:00:00Z. */
  readonly hour: string;
  readonly approved: number;
  readonly pending: number;
  readonly rejected: number;
  readonly reported: number;
}

export interface TopReportedStory {
  readonly story: { readonly id: string; readonly title: string | null; readonly url: string };
  readonly reports: number;
}

export interface Stats {
  readonly days: DayStats[];
  /** The last 24 hours, oldest first. */
  readonly hours: HourStats[];
  readonly decidedBy: Record<string, number>;
  readonly topReported: TopReportedStory[];
}

export type WordStrength = 'banned' | 'suspect';

export interface WordListEntry {
  readonly term: string;
  readonly strength: WordStrength;
}

export interface LinkPolicy {
  readonly holdLinks: boolean;
  readonly allowDomains: string[];
  readonly denyDomains: string[];
}

/** A site's moderation settings as admins and moderators read them. */
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

export interface SiteSettings {
  readonly id: string;
  readonly name: string;
  readonly editWindowSeconds: number;
  readonly maxDepth: number;
  readonly moderation: ModerationSettings;
}

/** PATCH /admin/sites/:siteId/settings: every key optional; links and classifier merge. */
export interface SiteSettingsPatch {
  readonly editWindowSeconds?: number;
  readonly moderation?: {
    readonly commentingDisabled?: boolean;
    readonly closeAfterDays?: number;
    readonly premoderateAll?: boolean;
    readonly premoderateNewCommenters?: number;
    readonly minLength?: number;
    readonly maxLength?: number;
    readonly links?: Partial<LinkPolicy>;
    readonly repeatWindowSeconds?: number;
    readonly maxPostsPerMinute?: number;
    readonly classifier?: { readonly hold?: number; readonly reject?: number };
    readonly wordList?: WordListEntry[];
    readonly external?: {
      readonly url: string;
      readonly secret?: string;
      readonly timeoutMs?: number;
    } | null;
  };
}

export interface AdminStory {
  readonly id: string;
  readonly siteId: string;
  readonly externalId: string | null;
  readonly url: string;
  readonly title: string | null;
  readonly author: string | null;
  readonly publishedAt: string | null;
  readonly commentCount: number;
  readonly closed: boolean;
  readonly premoderated: boolean;
  readonly liveUpdates: boolean;
}

export interface StoryPage {
  readonly stories: AdminStory[];
  readonly nextCursor: string | null;
}

export interface UserPage {
  readonly users: ModerationUser[];
  readonly nextCursor: string | null;
}

export interface SearchQuery {
  readonly q?: string;
  readonly author?: string;
  readonly authorId?: string;
  readonly storyId?: string;
  readonly siteId?: string;
  readonly status?: string;
  readonly from?: string;
  readonly to?: string;
}

export type CommentActionKind = 'approve' | 'feature' | 'unfeature' | 'delete';

/** Account mail in the outbox (docs/identity.md, "Mail"); `held`: no SMTP server configured. */
export const MAIL_STATES = ['queued', 'sent', 'held', 'failed'] as const;
export type MailState = (typeof MAIL_STATES)[number];

export interface MailSummary {
  readonly id: string;
  readonly to: string;
  readonly template: string;
  readonly locale: string;
  readonly subject: string;
  readonly state: MailState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

export interface MailMessage extends MailSummary {
  readonly text: string;
  readonly html: string;
}

export interface MailPage {
  readonly items: MailSummary[];
  readonly nextCursor: string | null;
}

/** A site's sign-in settings as admins read them (docs/identity.md, "Site settings"). */
export interface SignInSettings {
  readonly methods: { readonly local: boolean; readonly sso: boolean; readonly oidc: boolean };
  readonly requireVerifiedEmail: boolean;
  readonly deletedComments: 'anonymise' | 'remove';
  /** Secrets are never sent back, only whether one is stored. */
  readonly sso: {
    readonly hasSecret: boolean;
    readonly jwksUrl: string | null;
    readonly issuer: string | null;
    readonly trustRoles: boolean;
    readonly maxTokenAgeSeconds: number;
  } | null;
  readonly oidc: {
    readonly issuer: string;
    readonly clientId: string;
    readonly hasClientSecret: boolean;
    readonly label: string;
    readonly scopes: string[];
  } | null;
}

export interface SignInSettingsResponse {
  readonly auth: SignInSettings;
  /** What to register with the OpenID Connect provider. */
  readonly oidcRedirectUri: string;
}

/** PUT /admin/sites/:siteId/auth: keys left out keep their value; secrets left out are kept. */
export interface SignInSettingsBody {
  readonly methods?: SignInSettings['methods'];
  readonly requireVerifiedEmail?: boolean;
  readonly deletedComments?: 'anonymise' | 'remove';
  readonly sso?: {
    readonly secret?: string | null;
    readonly jwksUrl?: string | null;
    readonly issuer?: string | null;
    readonly trustRoles?: boolean;
    readonly maxTokenAgeSeconds?: number;
  } | null;
  readonly oidc?: {
    readonly issuer: string;
    readonly clientId: string;
    readonly clientSecret?: string | null;
    readonly label?: string;
    readonly scopes?: string[];
  } | null;
}

/** GET /admin/import-formats: the formats a file can be uploaded in, and the largest file taken. */
export interface ImportFormat {
  readonly name: string;
  readonly description: string;
}

export interface ImportFormats {
  readonly formats: ImportFormat[];
  readonly maxBytes: number;
}

export type ImportState = 'running' | 'done' | 'failed';

export interface SkipTally {
  readonly count: number;
  readonly examples: { readonly sourceId: string; readonly detail: string }[];
}

/** What an import read, wrote and skipped (the same report as `parley import --json`). */
export interface ImportReport {
  readonly runId: string | null;
  readonly format: string;
  readonly file: string;
  readonly state: ImportState;
  readonly progress: { readonly bytesRead: number; readonly totalBytes: number };
  readonly read: { readonly stories: number; readonly comments: number; readonly items: number };
  readonly stories: { readonly created: number; readonly matched: number; readonly known: number };
  readonly authors: { readonly created: number; readonly merged: number; readonly known: number };
  readonly comments: {
    readonly imported: number;
    readonly unchanged: number;
    readonly approved: number;
    readonly pending: number;
    readonly rejected: number;
    readonly tombstones: number;
  };
  readonly skipped: Readonly<Record<string, SkipTally>>;
  readonly warnings: string[];
  readonly error: string | null;
  readonly durationMs: number;
}

export interface ImportRun {
  readonly id: string;
  readonly siteId: string;
  readonly format: string;
  readonly fileName: string;
  readonly fileBytes: number;
  readonly state: ImportState;
  readonly startedBy: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /** When the run last committed a batch. */
  readonly heartbeatAt: string;
  readonly error: string | null;
  readonly report: ImportReport;
}

/** Publishers' webhooks (docs/webhooks.md): the events an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'comment.created',
  'comment.approved',
  'comment.rejected',
  'comment.featured',
  'comment.deleted',
  'story.created',
  'user.banned',
  'user.deleted',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** failing: enabled, but every attempt since `failingSince` has failed. */
export type WebhookState = 'enabled' | 'failing' | 'disabled';

export interface WebhookEndpoint {
  readonly id: string;
  readonly siteId: string;
  readonly url: string;
  readonly description: string;
  readonly events: string[];
  readonly state: WebhookState;
  readonly failingSince: string | null;
  readonly disabledAt: string | null;
  readonly disabledReason: string | null;
  /** The secrets signing now, newest first, by their dates only. */
  readonly secrets: { readonly createdAt: string; readonly expiresAt: string | null }[];
  /** Deliveries waiting to go out. */
  readonly pending: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Creation and rotation answer the secret, this once. */
export interface WebhookWithSecret {
  readonly endpoint: WebhookEndpoint;
  readonly secret: string;
}

export const WEBHOOK_DELIVERY_STATES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

export interface WebhookDelivery {
  readonly id: string;
  /** The webhook-id header, the same on every attempt and every "send again". */
  readonly eventId: string;
  readonly eventType: string;
  readonly state: WebhookDeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

export interface WebhookAttempt {
  readonly id: string;
  readonly attemptedAt: string;
  /** The receiver's status; null: no answer. */
  readonly status: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
  /** The first part of the receiver's answer. */
  readonly response: string | null;
}

export interface WebhookDeliveryDetails extends WebhookDelivery {
  /** The body as sent (JSON). */
  readonly payload: string;
  readonly attemptLog: WebhookAttempt[];
}

export interface WebhookDeliveryPage {
  readonly items: WebhookDelivery[];
  readonly nextCursor: string | null;
}
