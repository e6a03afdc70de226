/**
 * Table types as Kysely sees them. Booleans are written as 0/1 (accepted by both engines) and
 * timestamps as ISO strings; rows read back differ by engine (0/1 vs boolean, string vs Date), which
 * the row mappers in rows.ts normalise.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;
type Flag = ColumnType<number | boolean, number, number>;
type OptionalTimestamp = ColumnType<string | Date | null, string | null | undefined, string | null>;
type OptionalText = ColumnType<string | null, string | null | undefined, string | null>;

export interface SiteTable {
  id: string;
  name: string;
  /** JSON array of origins, e.g. ["https://news.example"]. */
  allowed_origins: string;
  edit_window_seconds: number;
  max_depth: number;
  locale: string | null;
  /** JSON of the site's moderation settings (missing keys take the defaults). */
  moderation: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StoryTable {
  id: string;
  site_id: string;
  external_id: string | null;
  url: string;
  title: string | null;
  author: string | null;
  description: string | null;
  image_url: string | null;
  published_at: NullableTimestamp;
  closed: Flag;
  comment_count: number;
  premoderated: ColumnType<number | boolean, number | undefined, number>;
  metadata_fetched_at: NullableTimestamp;
  created_at: Timestamp;
}

export type Role = 'commenter' | 'staff' | 'moderator' | 'admin';

export interface UserTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  role: Role;
  created_at: Timestamp;
  banned_at: OptionalTimestamp;
  ban_reason: OptionalText;
  /** JSON array of site ids; null (with banned_at set): banned everywhere. */
  banned_site_ids: OptionalText;
  suspended_until: OptionalTimestamp;
  suspend_reason: OptionalText;
  warning: OptionalText;
  warning_acknowledged_at: OptionalTimestamp;
  always_premoderate: ColumnType<number | boolean, number | undefined, number>;
  /** JSON array of site ids a moderator may act on; null: every site. */
  moderator_site_ids: OptionalText;
}

export interface SessionTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export type CommentStatus = 'approved' | 'pending' | 'rejected' | 'deleted';

export interface CommentTable {
  id: string;
  site_id: string;
  story_id: string;
  parent_id: string | null;
  thread_parent_id: string | null;
  depth: number;
  author_id: string;
  body: string;
  html: string;
  status: CommentStatus;
  reply_count: number;
  reaction_count: number;
  created_at: Timestamp;
  edited_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  /** JSON: the pipeline's decidedBy, reasons, scores and tags. */
  moderation: ColumnType<string, string | undefined, string>;
  featured: ColumnType<number | boolean, number | undefined, number>;
  /** When a person last acted on it; null: not yet seen by a person. */
  reviewed_at: OptionalTimestamp;
  rejection_code: OptionalText;
  rejection_note: OptionalText;
  /** Readers' reports not yet dealt with by a moderator. */
  open_reports: ColumnType<number, number | undefined, number>;
}

export interface ReactionTable {
  comment_id: string;
  user_id: string;
  created_at: Timestamp;
}

export interface ReportTable {
  id: string;
  comment_id: string;
  user_id: string;
  reason: string;
  note: string | null;
  created_at: Timestamp;
}

export interface JobTable {
  id: string;
  kind: string;
  payload: string;
  run_at: Timestamp;
  attempts: number;
  max_attempts: number;
  locked_until: NullableTimestamp;
  last_error: string | null;
  done_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface ModerationActionTable {
  id: string;
  created_at: Timestamp;
  /** Null: the pipeline decided. */
  actor_id: string | null;
  action: string;
  site_id: string | null;
  comment_id: string | null;
  user_id: string | null;
  reason: string | null;
  before: string | null;
  after: string | null;
  undoable: Flag;
  undone_at: OptionalTimestamp;
}

export interface UserNoteTable {
  id: string;
  user_id: string;
  author_id: string | null;
  text: string;
  created_at: Timestamp;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  /** The key's first characters, to tell keys apart in lists (the rest is never stored). */
  prefix: string;
  key_hash: string;
  rate_per_minute: number;
  created_by: string | null;
  created_at: Timestamp;
  revoked_at: OptionalTimestamp;
  last_used_at: OptionalTimestamp;
  request_count: ColumnType<number, number | undefined, number>;
}

/** An event of a story's live stream (see src/live/), kept for replay after a reconnect. */
export interface LiveEventTable {
  id: Generated<number>;
  story_id: string;
  /** The story's event number: 1, 2, 3… in commit order; the SSE `id:`. */
  seq: number;
  site_id: string;
  kind: string;
  /** Bit set of who receives it: 1 readers, 2 the comment's author, 4 the site's moderators. */
  audience: number;
  author_id: string | null;
  comment_id: string | null;
  /** JSON: the comment as it was (a CommentRecord), or the counts. */
  data: string;
  created_at: Timestamp;
}

/** Each story's last live event number (the row is locked to take the next). */
export interface LiveStreamTable {
  story_id: string;
  last_seq: number;
}

export interface Database {
  sites: SiteTable;
  stories: StoryTable;
  users: UserTable;
  sessions: SessionTable;
  comments: CommentTable;
  reactions: ReactionTable;
  reports: ReportTable;
  jobs: JobTable;
  moderation_actions: ModerationActionTable;
  user_notes: UserNoteTable;
  api_keys: ApiKeyTable;
  live_events: LiveEventTable;
  live_streams: LiveStreamTable;
}
