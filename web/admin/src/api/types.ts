/**
 * The JSON shapes of the moderation API (docs/moderation-api.md), as the dashboard reads them.
 */

export type Role = 'admin' | 'moderator' | 'staff' | 'commenter';
export type CommentStatus = 'approved' | 'pending' | 'rejected' | 'deleted';

export const QUEUES = [
  'pending',
  'reported',
  'unmoderated',
  'approved',
  'rejected',
  'featured',
] as const;
export type QueueName = (typeof QUEUES)[number];
export type QueueCounts = Record<QueueName, number>;

export const REJECTION_CODES = [
  'ABUSE',
  'HATE',
  'THREAT',
  'SPAM',
  'OFF_TOPIC',
  'ILLEGAL',
  'PRIVACY',
  'MISINFORMATION',
  'OTHER',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Viewer {
  readonly id: string;
  readonly displayName: string;
  readonly role: Role;
  readonly email: string;
}

export interface Session {
  readonly token: string;
  readonly user: Viewer;
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
    readonly scores: Record<string, number>;
    readonly tags: string[];
    readonly rejection: { readonly code: RejectionCode; readonly note: string | null } | null;
  };
  readonly reports: { readonly total: number; readonly byReason: Record<string, number> };
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

export interface BulkActionResult {
  readonly items: ModerationItem[];
  readonly actions: ActionRef[];
}

export interface UserActionResult {
  readonly user: ModerationUser;
  readonly action: ActionRef;
}

export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  readonly actor: { readonly id: string; readonly name: string } | null;
  readonly action: string;
  readonly siteId: string | null;
  readonly commentId: string | null;
  readonly userId: string | null;
  readonly reason: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly undoneAt: string | null;
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

export interface Stats {
  readonly days: DayStats[];
  readonly decidedBy: Record<string, number>;
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
