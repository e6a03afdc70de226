/**
 * Shapes of the objects exchanged with the Parley HTTP API v1 (see docs/api.md).
 * Only the fields the widget reads are spelled out.
 */

import type { Role } from '../../../../src/domain/vocabulary.js';

// The shared words have one definition, the server's.
export { REPORT_REASONS, type ReportReason, type Role } from '../../../../src/domain/vocabulary.js';

export interface User {
  readonly id: string;
  readonly displayName: string;
  readonly role: Role;
  /** A moderator's warning to acknowledge before posting again (the viewer's own, from "me"). */
  readonly warning?: { readonly message: string } | null;
  /** The viewer's own: false until they follow the link mailed to their address. */
  readonly emailVerified?: boolean;
  /** The publisher's picture of the person (SSO `avatar`, OIDC `picture`), if any. */
  readonly avatarUrl?: string | null;
  /** Labels the publisher gives the person (e.g. subscriber, verified, staff). */
  readonly badges?: readonly string[];
}

/** The publisher's brand (GET /sites/:siteId/brand), also on the story. */
export interface Brand {
  readonly siteId: string;
  readonly name: string;
  readonly logoUrl: string | null;
  readonly accentColor: string | null;
  readonly guidelinesUrl: string | null;
}

export interface Story {
  readonly id: string;
  readonly siteId: string;
  readonly commentCount: number;
  readonly closed: boolean;
  /** Absent from servers older than the brand. */
  readonly brand?: Brand;
}

export type CommentStatus = 'approved' | 'pending' | 'rejected' | 'deleted';

export interface ViewerFlags {
  readonly reacted: boolean;
  readonly reported: boolean;
  readonly own: boolean;
}

/** A comment as the widget keeps it: without the nested replies of a thread page. */
export interface CommentData {
  readonly id: string;
  readonly storyId?: string;
  readonly parentId: string | null;
  readonly threadParentId: string | null;
  readonly replyToName: string | null;
  readonly depth: number;
  readonly author: User | null;
  readonly html: string;
  readonly body?: string;
  readonly status: CommentStatus;
  readonly deleted: boolean;
  readonly createdAt: string;
  readonly editedAt: string | null;
  readonly editableUntil: string | null;
  readonly replyCount: number;
  readonly reactionCount: number;
  readonly featured?: boolean;
  /** Why a moderator removed it: on the viewer's own rejected comments only. */
  readonly rejection?: { readonly code: string; readonly note: string | null } | null;
  /** Why it waits for a moderator (the pipeline's codes): on the viewer's own pending comments. */
  readonly held?: { readonly reasons: readonly string[] };
  readonly viewer: ViewerFlags;
}

/** A comment as a thread page delivers it: with its first replies and a cursor for the rest. */
export interface ThreadComment extends CommentData {
  readonly replies?: readonly ThreadComment[];
  readonly repliesCursor?: string | null;
}

export type SortOrder = 'newest' | 'oldest' | 'replies' | 'reactions';
export const SORT_ORDERS: readonly SortOrder[] = ['newest', 'oldest', 'replies', 'reactions'];
/** What the thread lists: all comments in a sort order, or the featured ones (newest first). */
export type ListOrder = SortOrder | 'featured';

/** A notice of illegal content's fields, as the report form holds them (goodFaith: ticked). */
export type NoticeFields = Readonly<Record<string, string | boolean>>;

export interface StoryTarget {
  readonly storyId?: string;
  readonly siteId?: string;
  readonly url: string;
}

export interface ResolvedStory {
  readonly story: Story;
}

export interface ThreadPage {
  readonly story: Story;
  readonly comments: readonly ThreadComment[];
  readonly nextCursor: string | null;
  readonly pending?: readonly ThreadComment[];
  /** How many featured comments the story has; on first pages. */
  readonly featuredCount?: number;
}

export interface RepliesPage {
  readonly comments: readonly ThreadComment[];
  readonly nextCursor: string | null;
}

/** What every sign-in (and refresh) answers: see docs/identity.md, "Sessions". */
export interface AuthResult {
  readonly token: string;
  readonly refreshToken: string;
  readonly user: User;
}

/** The ways a site lets readers sign in (GET /sites/:siteId/auth-methods). */
export interface AuthMethods {
  readonly local: boolean;
  readonly sso: boolean;
  readonly oidc: { readonly label: string } | false;
}

export interface ReactionResult {
  readonly reactionCount: number;
  readonly reacted: boolean;
}

/** What a reader is told about (GET /notifications). */
export type NotificationKind =
  'reply' | 'staff' | 'mention' | 'approved' | 'rejected' | 'featured' | 'appeal';

export interface NotificationItem {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly siteId: string;
  readonly storyId: string;
  readonly storyTitle: string | null;
  readonly storyUrl: string;
  /** The comment it is about: the reply, the mention, the reader's own approved comment… */
  readonly commentId: string;
  /** Who wrote it (a reply, a mention); null for moderators' decisions. */
  readonly actorName: string | null;
  /** The start of the comment, as plain text. */
  readonly excerpt: string;
  readonly rejection: { readonly code: string; readonly note: string | null } | null;
  /** For an appeal decided: the outcome and the moderator's explanation. */
  readonly appeal?: {
    readonly outcome: 'upheld' | 'reversed';
    readonly note: string | null;
  } | null;
  readonly createdAt: string;
  readonly readAt: string | null;
}

export interface NotificationPage {
  readonly items: readonly NotificationItem[];
  readonly unread: number;
  readonly nextCursor: string | null;
}

/** The `notification` event of a story's stream (and of the reader's own stream). */
export interface NotificationEvent {
  readonly notification: NotificationItem;
  readonly unread: number;
}

export type EmailMode = 'off' | 'immediate' | 'hourly' | 'daily';
export const EMAIL_MODES: readonly EmailMode[] = ['off', 'immediate', 'hourly', 'daily'];

/** Which kinds of event reach the reader's mail. */
export interface NotificationKinds {
  readonly reply: boolean;
  readonly staff: boolean;
  readonly mention: boolean;
  readonly moderation: boolean;
  readonly featured: boolean;
}

export interface NotificationSettings {
  readonly email: EmailMode;
  readonly kinds: NotificationKinds;
  /** Mail is sent only to a confirmed address. */
  readonly emailConfirmed: boolean;
  /** Mail to the address bounced: none is sent until it is confirmed again. */
  readonly bounced: boolean;
}

/** GET /comments/:id/context: a comment and the comments it answers, the top-level one first. */
export interface CommentContext {
  readonly comment: CommentData;
  readonly ancestors: readonly CommentData[];
}
