/**
 * The JSON of the Parley API v1 (docs/api.md) as the widget reads it: aliases of the types
 * generated from the server's OpenAPI document (web/shared/openapi.ts), so a changed response
 * schema fails the widget's type check. Types only: nothing here reaches the widget's bundle but
 * the lists of words it offers. Hand-written only what the document cannot say, each saying why.
 */
import {
  everyWordOf,
  type BodyOf,
  type QueryOf,
  type ResponseOf,
} from '../../../shared/openapi.js';

// The shared words have one definition, the server's.
export { REPORT_REASONS, type ReportReason, type Role } from '../../../../src/domain/vocabulary.js';

/** The signed-in reader (GET /auth/me, and every sign-in's answer). */
export type User = ResponseOf<'/api/v1/auth/me', 'get'>['user'];
/** What every sign-in (and refresh) answers: see docs/identity.md, "Sessions". */
export type AuthResult = ResponseOf<'/api/v1/auth/sso', 'post'>;
/** The ways a site lets readers sign in (GET /sites/:siteId/auth-methods). */
export type AuthMethods = ResponseOf<'/api/v1/sites/{siteId}/auth-methods', 'get'>;

/** The publisher's brand (GET /sites/:siteId/brand), also on the story. */
export type Brand = ResponseOf<'/api/v1/sites/{siteId}/brand', 'get'>;
export type Story = ResponseOf<'/api/v1/stories/{storyId}', 'get'>['story'];
export type StoryTarget = BodyOf<'/api/v1/stories/resolve', 'post'>;
export type ResolvedStory = ResponseOf<'/api/v1/stories/resolve', 'post'>;

/** A comment as the widget keeps it: without the nested replies of a thread page. */
export type CommentData = ResponseOf<'/api/v1/stories/{storyId}/comments', 'post'>['comment'];
export type Author = NonNullable<CommentData['author']>;
export type CommentStatus = CommentData['status'];
export type ViewerFlags = CommentData['viewer'];
export type ThreadPage = ResponseOf<'/api/v1/stories/{storyId}/comments', 'get'>;
export type RepliesPage = ResponseOf<'/api/v1/comments/{id}/replies', 'get'>;
/**
 * A comment as thread and reply pages deliver it, with a cursor for the rest of its replies: a
 * thread page's top-level comments carry their first replies too.
 */
export type ThreadComment = RepliesPage['comments'][number] & {
  readonly replies?: readonly ThreadComment[];
};
/** GET /comments/:id/context: a comment and the comments it answers, the top-level one first. */
export type CommentContext = ResponseOf<'/api/v1/comments/{id}/context', 'get'>;
export type ReactionResult = ResponseOf<'/api/v1/comments/{id}/reaction', 'put'>;

/** What the thread lists: all comments in a sort order, or the featured ones (newest first). */
export type ListOrder = NonNullable<QueryOf<'/api/v1/stories/{storyId}/comments', 'get'>['sort']>;
export type SortOrder = Exclude<ListOrder, 'featured'>;
export const SORT_ORDERS = /* @__PURE__ */ everyWordOf<SortOrder>()([
  'newest',
  'oldest',
  'replies',
  'reactions',
  'best',
]);

/**
 * A notice of illegal content's fields, as the report form holds them (goodFaith: ticked).
 * Hand-written: the form's own, spread into the report's body.
 */
export type NoticeFields = Readonly<Record<string, string | boolean>>;

/** What a reader is told about (GET /notifications). */
export type NotificationPage = ResponseOf<'/api/v1/notifications', 'get'>;
export type NotificationItem = NotificationPage['items'][number];
export type NotificationKind = NotificationItem['kind'];
/**
 * The `notification` event of a story's stream (and of the reader's own stream). Hand-written:
 * the document describes the streams' routes, not the events they send (docs/live.md).
 */
export interface NotificationEvent {
  readonly notification: NotificationItem;
  readonly unread: number;
}

export type NotificationSettings = ResponseOf<'/api/v1/notifications/settings', 'get'>;
export type EmailMode = NotificationSettings['email'];
export const EMAIL_MODES = /* @__PURE__ */ everyWordOf<EmailMode>()([
  'off',
  'immediate',
  'hourly',
  'daily',
]);
/** Which kinds of event reach the reader's mail. */
export type NotificationKinds = NotificationSettings['kinds'];
