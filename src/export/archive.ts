/**
 * The schema of Parley's own export archive (docs/export.md): which record types there are, in
 * which order they come, and each one's fields, declared once so that the exporter (ndjson.ts)
 * and the restore (restore.ts) cannot disagree about them.
 *
 * A field is declared by its name in the archive (camelCase) and its kind; its column is the same
 * name in snake_case. The kind says how the value looks in the archive, whatever the engine stored
 * it as: timestamps as ISO 8601 strings, flags as booleans, JSON columns as the JSON value itself.
 * Only the columns declared here are ever read, so a column left out (a password hash, a client's
 * address) cannot reach an archive by accident.
 */
import { SORTS } from '../domain/thread.ts';
import type { Database } from '../store/schema.ts';

/**
 * The archive's format version: a reader refuses a newer one (fields may have changed meaning).
 * Version 2 added Q&A, readers' profile choices and ignores, and the Best order's evidence;
 * version 1 archives still restore (what they lack takes the defaults: see FieldSpec.absent).
 */
export const ARCHIVE_VERSION = 2;

/** The first line's `type`. */
export const HEADER_TYPE = 'parley-export';

/** The last line's `type`; a file without it was cut short. */
export const END_TYPE = 'end';

export type FieldKind = 'text' | 'text?' | 'int' | 'flag' | 'time' | 'time?' | 'json' | 'json?';

export interface FieldSpec {
  /** The field's name in the archive. */
  name: string;
  /** Its column. */
  column: string;
  kind: FieldKind;
  /** For a text field that takes one of a few values (a role, a status). */
  values?: readonly string[];
  /**
   * For a field added after version 1: what a record without it means (its value in the archive,
   * the column's default), so that older archives restore as they always meant.
   */
  absent?: string | number | boolean;
}

export interface RecordSpec {
  /** The record's `type` in the archive. */
  type: RecordType;
  table: keyof Database;
  /** The primary key's columns: pages are read in this order. */
  key: readonly string[];
  fields: readonly FieldSpec[];
}

/** The record types, in the order an archive holds them: each after what it refers to. */
export const RECORD_TYPES = [
  'site',
  'qa_section',
  'story',
  'user',
  'identity',
  'profile_setting',
  'ignore',
  'story_expert',
  'comment',
  'reaction',
  'question_vote',
  'report',
  'moderation_action',
  'user_note',
  'import_source',
  'import_run',
] as const;

export type RecordType = (typeof RECORD_TYPES)[number];

export type RecordCounts = Record<RecordType, number>;

export const emptyCounts = (): RecordCounts =>
  Object.fromEntries(RECORD_TYPES.map((type) => [type, 0])) as RecordCounts;

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

type FieldDeclaration = readonly [
  name: string,
  kind: FieldKind,
  values?: readonly string[] | null,
  absent?: string | number | boolean,
];

function spec(
  type: RecordType,
  table: keyof Database,
  key: readonly string[],
  fields: readonly FieldDeclaration[],
): RecordSpec {
  return {
    type,
    table,
    key,
    fields: fields.map(([name, kind, values, absent]) => ({
      name,
      column: snakeCase(name),
      kind,
      ...(values && { values }),
      ...(absent !== undefined && { absent }),
    })),
  };
}

const ROLES = ['commenter', 'staff', 'moderator', 'admin'] as const;
const COMMENT_STATUSES = ['approved', 'pending', 'rejected', 'deleted'] as const;

export const SPECS: Record<RecordType, RecordSpec> = {
  site: spec(
    'site',
    'sites',
    ['id'],
    [
      ['id', 'text'],
      ['name', 'text'],
      ['allowedOrigins', 'json'],
      ['editWindowSeconds', 'int'],
      ['maxDepth', 'int'],
      ['locale', 'text?'],
      // Both without their secrets (see stripSecrets).
      ['moderation', 'json'],
      ['auth', 'json'],
      ['createdAt', 'time'],
      ['updatedAt', 'time'],
      // Version 2 (migrations 0012 and 0013).
      ['defaultSort', 'text', SORTS, 'newest'],
      ['pinNewsroom', 'flag', null, false],
      ['rendering', 'flag', null, true],
    ],
  ),
  // The sections whose new stories start as Q&A (docs/qa.md).
  qa_section: spec(
    'qa_section',
    'qa_sections',
    ['site_id', 'section'],
    [
      ['siteId', 'text'],
      ['section', 'text'],
    ],
  ),
  story: spec(
    'story',
    'stories',
    ['id'],
    [
      ['id', 'text'],
      ['siteId', 'text'],
      ['externalId', 'text?'],
      ['url', 'text'],
      ['title', 'text?'],
      ['author', 'text?'],
      ['description', 'text?'],
      ['imageUrl', 'text?'],
      ['publishedAt', 'time?'],
      ['closed', 'flag'],
      ['commentCount', 'int'],
      ['premoderated', 'flag'],
      ['liveUpdates', 'flag'],
      ['metadataFetchedAt', 'time?'],
      ['createdAt', 'time'],
      // Version 2: Q&A (migration 0010).
      ['mode', 'text', ['comments', 'qa'], 'comments'],
      ['qaOpen', 'flag', null, true],
      ['section', 'text?'],
    ],
  ),
  // No password hash: a restored account has none (docs/export.md, "Accounts").
  user: spec(
    'user',
    'users',
    ['id'],
    [
      ['id', 'text'],
      ['email', 'text'],
      ['displayName', 'text'],
      ['role', 'text', ROLES],
      ['createdAt', 'time'],
      ['bannedAt', 'time?'],
      ['banReason', 'text?'],
      ['bannedSiteIds', 'json?'],
      ['suspendedUntil', 'time?'],
      ['suspendReason', 'text?'],
      ['warning', 'text?'],
      ['warningAcknowledgedAt', 'time?'],
      ['alwaysPremoderate', 'flag'],
      ['moderatorSiteIds', 'json?'],
      ['emailVerifiedAt', 'time?'],
      ['locale', 'text?'],
      ['avatarUrl', 'text?'],
      ['badges', 'json?'],
      ['displayNameChangedAt', 'time?'],
      ['deletionRequestedAt', 'time?'],
      ['deletionDueAt', 'time?'],
      ['deletedAt', 'time?'],
      ['claimEmailHash', 'text?'],
      ['importedAt', 'time?'],
    ],
  ),
  // Which SSO or OIDC account signs in as which user: names, no secret.
  identity: spec(
    'identity',
    'user_identities',
    ['provider', 'subject'],
    [
      ['provider', 'text'],
      ['subject', 'text'],
      ['userId', 'text'],
      ['createdAt', 'time'],
    ],
  ),
  // A reader's choice to keep their comment history off their profile (docs/profiles.md): a row
  // only for readers who made one. Left out, a private history would be public after a restore.
  profile_setting: spec(
    'profile_setting',
    'profile_settings',
    ['user_id'],
    [
      ['userId', 'text'],
      ['private', 'flag'],
      ['updatedAt', 'time'],
    ],
  ),
  // A reader (userId) ignores another (ignoredUserId).
  ignore: spec(
    'ignore',
    'ignores',
    ['user_id', 'ignored_user_id'],
    [
      ['userId', 'text'],
      ['ignoredUserId', 'text'],
      ['createdAt', 'time'],
    ],
  ),
  // Who answers a Q&A story's questions.
  story_expert: spec(
    'story_expert',
    'story_experts',
    ['story_id', 'user_id'],
    [
      ['storyId', 'text'],
      ['userId', 'text'],
      ['title', 'text?'],
      ['createdAt', 'time'],
    ],
  ),
  // No author_ip, no author_user_agent (docs/export.md, "What is left out"). No Best key either:
  // it follows from the respects, views and date, and a restore computes it.
  comment: spec(
    'comment',
    'comments',
    ['id'],
    [
      ['id', 'text'],
      ['siteId', 'text'],
      ['storyId', 'text'],
      ['parentId', 'text?'],
      ['threadParentId', 'text?'],
      ['depth', 'int'],
      ['authorId', 'text'],
      ['body', 'text'],
      ['html', 'text'],
      ['status', 'text', COMMENT_STATUSES],
      ['replyCount', 'int'],
      ['reactionCount', 'int'],
      ['createdAt', 'time'],
      ['editedAt', 'time?'],
      ['deletedAt', 'time?'],
      ['moderation', 'json'],
      ['featured', 'flag'],
      ['reviewedAt', 'time?'],
      ['rejectionCode', 'text?'],
      ['rejectionNote', 'text?'],
      ['openReports', 'int'],
      // Version 2: Q&A (migration 0010) and the Best order's views (0012).
      ['voteCount', 'int', null, 0],
      ['answeredAt', 'time?'],
      ['qaAnswer', 'flag', null, false],
      ['viewCount', 'int', null, 0],
    ],
  ),
  reaction: spec(
    'reaction',
    'reactions',
    ['comment_id', 'user_id'],
    [
      ['commentId', 'text'],
      ['userId', 'text'],
      ['createdAt', 'time'],
    ],
  ),
  // A reader's vote for a Q&A question.
  question_vote: spec(
    'question_vote',
    'question_votes',
    ['comment_id', 'user_id'],
    [
      ['commentId', 'text'],
      ['userId', 'text'],
      ['createdAt', 'time'],
    ],
  ),
  report: spec(
    'report',
    'reports',
    ['id'],
    [
      ['id', 'text'],
      ['commentId', 'text'],
      ['userId', 'text'],
      ['reason', 'text'],
      ['note', 'text?'],
      ['createdAt', 'time'],
    ],
  ),
  moderation_action: spec(
    'moderation_action',
    'moderation_actions',
    ['id'],
    [
      ['id', 'text'],
      ['createdAt', 'time'],
      ['actorId', 'text?'],
      ['action', 'text'],
      ['siteId', 'text?'],
      ['commentId', 'text?'],
      ['userId', 'text?'],
      ['reason', 'text?'],
      ['before', 'json?'],
      ['after', 'json?'],
      ['undoable', 'flag'],
      ['undoneAt', 'time?'],
    ],
  ),
  user_note: spec(
    'user_note',
    'user_notes',
    ['id'],
    [
      ['id', 'text'],
      ['userId', 'text'],
      ['authorId', 'text?'],
      ['text', 'text'],
      ['createdAt', 'time'],
    ],
  ),
  import_source: spec(
    'import_source',
    'import_sources',
    ['site_id', 'source', 'kind', 'source_id'],
    [
      ['siteId', 'text'],
      ['source', 'text'],
      ['kind', 'text', ['story', 'comment', 'author']],
      ['sourceId', 'text'],
      ['targetId', 'text?'],
    ],
  ),
  import_run: spec(
    'import_run',
    'import_runs',
    ['id'],
    [
      ['id', 'text'],
      ['siteId', 'text'],
      ['format', 'text'],
      ['fileName', 'text'],
      ['fileBytes', 'int'],
      ['state', 'text', ['running', 'done', 'failed']],
      ['dryRun', 'flag'],
      ['startedBy', 'text?'],
      ['startedAt', 'time'],
      ['heartbeatAt', 'time'],
      ['finishedAt', 'time?'],
      ['report', 'json'],
      ['error', 'text?'],
    ],
  ),
};

export interface ArchiveHeader {
  type: typeof HEADER_TYPE;
  version: number;
  exportedAt: string;
  /** The engine it was exported from (for the curious: the archive reads the same either way). */
  engine: string;
  /** The one site exported, or null: the whole instance. */
  siteId: string | null;
}

export interface ArchiveEnd {
  type: typeof END_TYPE;
  counts: RecordCounts;
}

/** Keys of settings objects that hold secrets: never written to an archive. */
const SECRET_KEY = /secret|password|api_?key|private_?key/i;

/**
 * A copy of a settings value without its secrets (the SSO shared secret, the OIDC client secret,
 * the external moderation service's signing secret, and any key named like a secret), and the
 * paths of what was removed (`sso.secret`), so that the archive can say what to enter again.
 */
export function stripSecrets(value: unknown, path = ''): { value: unknown; removed: string[] } {
  if (Array.isArray(value)) {
    const removed: string[] = [];
    const items = value.map((item, i) => {
      const stripped = stripSecrets(item, `${path}${i}.`);
      removed.push(...stripped.removed);
      return stripped.value;
    });
    return { value: items, removed };
  }
  if (typeof value !== 'object' || value === null) return { value, removed: [] };
  const removed: string[] = [];
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) {
      if (item !== null && item !== '') removed.push(`${path}${key}`);
      continue;
    }
    const stripped = stripSecrets(item, `${path}${key}.`);
    removed.push(...stripped.removed);
    kept[key] = stripped.value;
  }
  return { value: kept, removed };
}
