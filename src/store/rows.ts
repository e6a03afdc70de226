/**
 * Row mappers: the one place where the engines' differences disappear (0/1 vs booleans, text vs
 * Date timestamps) and where table columns become the domain's records.
 */
import type { Selectable } from 'kysely';
import { readModerationSettings } from '../domain/moderation/settings.ts';
import { readAuthSettings, type SiteAuthSettings } from '../domain/auth-settings.ts';
import { readBranding, type Branding } from '../domain/branding.ts';
import { SORTS, type Sort } from '../domain/thread.ts';
import type { ModerationSettings } from '../domain/moderation/types.ts';
import type { CommentStatus, Role, SiteTable, StoryTable, UserTable } from './schema.ts';

export function toIso(value: string | Date): string;
export function toIso(value: string | Date | null): string | null;
export function toIso(value: string | Date | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

export const toFlag = (value: number | boolean): boolean => value === true || value === 1;

export interface Site {
  id: string;
  name: string;
  allowedOrigins: string[];
  editWindowSeconds: number;
  maxDepth: number;
  locale: string | null;
  moderation: ModerationSettings;
  auth: SiteAuthSettings;
  /** Logo, accent colour, guidelines, mail sender and sign-off (src/domain/branding.ts). */
  branding: Branding;
  createdAt: string;
  /** Serves server-rendered threads: the fragment, the plain and AMP pages (default on). */
  rendering: boolean;
  /** The thread order readers get unless they choose one (docs/sorting.md). */
  defaultSort: Sort;
  /** Featured and newsroom comments lead the default order's first page (docs/sorting.md). */
  pinNewsroom: boolean;
}

const readSort = (value: string | undefined): Sort =>
  (SORTS as readonly string[]).includes(value ?? '') ? (value as Sort) : 'newest';

export function siteFromRow(row: Selectable<SiteTable>): Site {
  return {
    id: row.id,
    name: row.name,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    editWindowSeconds: row.edit_window_seconds,
    maxDepth: row.max_depth,
    locale: row.locale,
    moderation: readModerationSettings(row.moderation),
    auth: readAuthSettings(row.auth),
    branding: readBranding(row.branding),
    createdAt: toIso(row.created_at),
    rendering: row.rendering === undefined ? true : toFlag(row.rendering),
    defaultSort: readSort(row.default_sort),
    pinNewsroom: row.pin_newsroom === undefined ? false : toFlag(row.pin_newsroom),
  };
}

export interface Story {
  id: string;
  siteId: string;
  externalId: string | null;
  url: string;
  title: string | null;
  author: string | null;
  description: string | null;
  imageUrl: string | null;
  publishedAt: string | null;
  closed: boolean;
  premoderated: boolean;
  liveUpdates: boolean;
  commentCount: number;
  metadataFetchedAt: string | null;
  createdAt: string;
  /** Q&A (docs/qa.md): 'comments', or 'qa' (questions answered by the story's experts). */
  mode: 'comments' | 'qa';
  /** A Q&A taking questions and votes (a closed one stays readable). */
  qaOpen: boolean;
  section: string | null;
  /** A Q&A story's experts, as read by getStory and findStory (src/store/qa.ts); else empty. */
  experts: StoryExpert[];
}

/** Who answers a Q&A story's questions. */
export interface StoryExpert {
  id: string;
  displayName: string;
  avatarUrl: string | null;
  title: string | null;
}

export function storyFromRow(row: Selectable<StoryTable>): Story {
  return {
    id: row.id,
    siteId: row.site_id,
    externalId: row.external_id,
    url: row.url,
    title: row.title,
    author: row.author,
    description: row.description,
    imageUrl: row.image_url,
    publishedAt: toIso(row.published_at),
    closed: toFlag(row.closed),
    premoderated: toFlag(row.premoderated),
    liveUpdates: toFlag(row.live_updates),
    commentCount: row.comment_count,
    metadataFetchedAt: toIso(row.metadata_fetched_at),
    createdAt: toIso(row.created_at),
    mode: row.mode === 'qa' ? 'qa' : 'comments',
    qaOpen: row.qa_open === undefined ? true : toFlag(row.qa_open),
    section: row.section ?? null,
    experts: [],
  };
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string | null;
  createdAt: string;
  restrictions: UserRestrictions;
  /** Sites a moderator may act on; null: every site. */
  moderatorSiteIds: string[] | null;
  emailVerifiedAt: string | null;
  locale: string | null;
  avatarUrl: string | null;
  badges: string[];
  displayNameChangedAt: string | null;
  /** When a pending deletion will be carried out (null: none pending). */
  deletionDueAt: string | null;
  /** Set once the profile has been erased. */
  deletedAt: string | null;
  /**
   * How the account signs in: local (it has a password, or no external identity), or through a
   * publisher's SSO or an OpenID Connect provider. Known when the row was read with its identity
   * (src/store/users.ts); otherwise inferred from the password alone (see identityOf).
   */
  identity?: AccountIdentity;
}

export type AccountIdentity = 'local' | 'sso' | 'oidc';

/** The account's identity kind from its password and the provider of one of its identities. */
export function identityOf(
  passwordHash: string | null,
  provider: string | null | undefined,
): AccountIdentity {
  if (passwordHash !== null || !provider) return 'local';
  return provider.startsWith('oidc:') ? 'oidc' : 'sso';
}

/** What moderators have done to an account. */
export interface UserRestrictions {
  bannedAt: string | null;
  banReason: string | null;
  /** The sites the ban covers; null (when banned): every site. */
  bannedSiteIds: string[] | null;
  suspendedUntil: string | null;
  suspendReason: string | null;
  warning: string | null;
  warningAcknowledgedAt: string | null;
  alwaysPremoderate: boolean;
}

const siteIds = (json: string | null): string[] | null =>
  json === null ? null : (JSON.parse(json) as string[]);

export function userFromRow(
  row: Selectable<UserTable> & { identity_provider?: string | null },
): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: toIso(row.created_at),
    restrictions: {
      bannedAt: toIso(row.banned_at),
      banReason: row.ban_reason,
      bannedSiteIds: siteIds(row.banned_site_ids),
      suspendedUntil: toIso(row.suspended_until),
      suspendReason: row.suspend_reason,
      warning: row.warning,
      warningAcknowledgedAt: toIso(row.warning_acknowledged_at),
      alwaysPremoderate: toFlag(row.always_premoderate),
    },
    moderatorSiteIds: siteIds(row.moderator_site_ids),
    emailVerifiedAt: toIso(row.email_verified_at),
    locale: row.locale,
    avatarUrl: row.avatar_url,
    badges: row.badges ? (JSON.parse(row.badges) as string[]) : [],
    displayNameChangedAt: toIso(row.display_name_changed_at),
    deletionDueAt: toIso(row.deletion_due_at),
    deletedAt: toIso(row.deleted_at),
    ...(row.identity_provider !== undefined && {
      identity: identityOf(row.password_hash, row.identity_provider),
    }),
  };
}

/** Whether a ban keeps the user from commenting on this site. */
export function isBannedOn(user: User, siteId: string): boolean {
  const { bannedAt, bannedSiteIds } = user.restrictions;
  return bannedAt !== null && (bannedSiteIds === null || bannedSiteIds.includes(siteId));
}

/** A warning the user has not acknowledged yet, or null. */
export function pendingWarning(user: User): string | null {
  const { warning, warningAcknowledgedAt } = user.restrictions;
  return warning !== null && warningAcknowledgedAt === null ? warning : null;
}

/** A comment as read for display: the row plus its author's and (when flattened) parent's names. */
export interface CommentRecord {
  id: string;
  siteId: string;
  storyId: string;
  parentId: string | null;
  threadParentId: string | null;
  depth: number;
  authorId: string;
  authorName: string;
  authorRole: Role;
  /** The picture the publisher gives the author (SSO `avatar`, OIDC `picture`), if any. */
  authorAvatarUrl?: string | null;
  /** Labels the publisher gives the author (SSO `badges`). */
  authorBadges?: string[];
  replyToName: string | null;
  body: string;
  html: string;
  status: CommentStatus;
  replyCount: number;
  reactionCount: number;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  featured: boolean;
  /** Why a moderator rejected it (shown to its author only). */
  rejection: { code: string; note: string | null } | null;
  /**
   * Why the pipeline held it: its reasons' codes, on pending comments read with their moderation
   * (the author's own unpublished ones, and single comments); shown to its author only.
   */
  heldFor?: string[];
}

export interface CommentRow {
  id: string;
  site_id: string;
  story_id: string;
  parent_id: string | null;
  thread_parent_id: string | null;
  depth: number;
  author_id: string;
  author_name: string;
  author_role: Role;
  author_avatar_url?: string | null;
  author_badges?: string | null;
  reply_to_name: string | null;
  body: string;
  html: string;
  status: CommentStatus;
  reply_count: number;
  reaction_count: number;
  created_at: string | Date;
  edited_at: string | Date | null;
  deleted_at: string | Date | null;
  featured: number | boolean;
  rejection_code: string | null;
  rejection_note: string | null;
  /** Selected only where the held reasons are wanted (see heldFor). */
  moderation?: string | null;
}

export function commentFromRow(row: CommentRow): CommentRecord {
  const heldFor = row.status === 'pending' && row.moderation ? heldReasons(row.moderation) : null;
  return {
    id: row.id,
    siteId: row.site_id,
    storyId: row.story_id,
    parentId: row.parent_id,
    threadParentId: row.thread_parent_id,
    depth: row.depth,
    authorId: row.author_id,
    authorName: row.author_name,
    authorRole: row.author_role,
    authorAvatarUrl: row.author_avatar_url ?? null,
    authorBadges: row.author_badges ? (JSON.parse(row.author_badges) as string[]) : [],
    replyToName: row.reply_to_name,
    body: row.body,
    html: row.html,
    status: row.status,
    replyCount: row.reply_count,
    reactionCount: row.reaction_count,
    createdAt: toIso(row.created_at),
    editedAt: toIso(row.edited_at),
    deletedAt: toIso(row.deleted_at),
    featured: toFlag(row.featured),
    rejection: row.rejection_code ? { code: row.rejection_code, note: row.rejection_note } : null,
    ...(heldFor && { heldFor }),
  };
}

/** The codes of the pipeline's reasons in a comment's stored moderation (JSON). */
export function heldReasons(moderation: string): string[] {
  try {
    const parsed = JSON.parse(moderation) as { reasons?: { code?: unknown }[] };
    return (parsed.reasons ?? []).flatMap((r) => (typeof r.code === 'string' ? [r.code] : []));
  } catch {
    return [];
  }
}
