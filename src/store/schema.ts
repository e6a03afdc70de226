/**
 * Table types as Kysely sees them. Booleans are written as 0/1 (accepted by both engines) and
 * timestamps as ISO strings; rows read back differ by engine (0/1 vs boolean, string vs Date), which
 * the row mappers in rows.ts normalise.
 */
import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../domain/vocabulary.ts';

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
  /** JSON of the site's sign-in settings: methods offered, SSO keys, OIDC provider, deletion policy. */
  auth: ColumnType<string, string | undefined, string>;
  /** JSON of the publisher's brand: logo, accent colour, guidelines link, mail sender and sign-off. */
  branding: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The thread order readers get unless they choose (one of SORTS or 'featured'). */
  default_sort: ColumnType<string, string | undefined, string>;
  /** Featured and newsroom comments lead the default order's first page. */
  pin_newsroom: ColumnType<number | boolean, number | boolean | undefined, number | boolean>;
  /** Serves the rendered fragment and the plain and AMP pages (migration 0013). */
  rendering: ColumnType<number | boolean, number | undefined, number>;
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
  /** Live updates on this story (the site's switch must be on too). */
  live_updates: ColumnType<number | boolean, number | undefined, number>;
  metadata_fetched_at: NullableTimestamp;
  created_at: Timestamp;
  /** 'comments', or 'qa': readers ask questions the story's experts answer (migration 0010). */
  mode: ColumnType<StoryMode, StoryMode | undefined, StoryMode>;
  /** A Q&A that takes questions and votes (closed: still readable). */
  qa_open: ColumnType<number | boolean, number | undefined, number>;
  /** The page's section (the widget's data-section), matched against the site's Q&A defaults. */
  section: OptionalText;
}

export type StoryMode = 'comments' | 'qa';

export type { Role };

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
  /** Null until the address is confirmed (SSO and verified OIDC addresses count as confirmed). */
  email_verified_at: OptionalTimestamp;
  /** Interface language chosen at sign-up (mail is written in it). */
  locale: OptionalText;
  avatar_url: OptionalText;
  /** JSON array of short labels a publisher gives its readers (SSO `badges`). */
  badges: OptionalText;
  display_name_changed_at: OptionalTimestamp;
  /** Deletion asked for, and when it will be carried out unless cancelled. */
  deletion_requested_at: OptionalTimestamp;
  deletion_due_at: OptionalTimestamp;
  /** Set when the profile has been erased; the row stays as the author of kept comments. */
  deleted_at: OptionalTimestamp;
  /** An imported author's address as a SHA-256 hex hash (lowercased first); null once claimed. */
  claim_email_hash: OptionalText;
  /** Set on the profile of an author brought in by an import (never signs in, never mailed). */
  imported_at: OptionalTimestamp;
  /** A hard bounce: notification mail stops until the address is confirmed again. */
  mail_bounced_at: OptionalTimestamp;
}

/** An account's sign-in through a publisher (`sso:<siteId>`) or an OIDC provider (`oidc:<siteId>`). */
export interface UserIdentityTable {
  provider: string;
  subject: string;
  user_id: string;
  created_at: Timestamp;
}

/**
 * `sign-up` is not mailed: it binds a sign-up to the browser that made it (docs/identity.md,
 * "Local accounts"), stored as a digest of the account's id and the hash the browser sent.
 */
export type EmailTokenPurpose = 'verify' | 'reset' | 'change-email' | 'sign-up';

/** A link sent by mail: single use, short lived, stored only as a SHA-256 hash. */
export interface EmailTokenTable {
  id: string;
  user_id: string;
  purpose: EmailTokenPurpose;
  token_hash: string;
  /** For change-email: the address that becomes the account's when the link is followed. */
  new_email: string | null;
  expires_at: Timestamp;
  used_at: OptionalTimestamp;
  created_at: Timestamp;
}

/** Failed sign-ins per key (`account:<hash of email>`, `ip:<address>`) and the backoff they earned. */
export interface AuthThrottleTable {
  key: string;
  failures: number;
  first_failure_at: Timestamp;
  blocked_until: OptionalTimestamp;
}

/** SSO token ids (`jti`) already used on a site, kept until the token would have expired. */
export interface SsoTokenUseTable {
  site_id: string;
  jti: string;
  expires_at: Timestamp;
}

/** An OpenID Connect sign-in between the redirect to the provider and its callback. */
export interface OidcStateTable {
  state: string;
  site_id: string;
  /** The publisher origin the popup hands the session to. */
  origin: string;
  nonce: string;
  code_verifier: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** queued: waiting for the job; sent: accepted by SMTP; held: no SMTP configured (read it in the
 * dashboard); failed: the last attempt failed (retried until attempts run out). */
export type MailState = 'queued' | 'sent' | 'held' | 'failed';

export interface MailOutboxTable {
  id: string;
  user_id: string | null;
  to_address: string;
  template: string;
  locale: string;
  subject: string;
  text_body: string;
  html_body: string;
  state: MailState;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: OptionalText;
  message_id: OptionalText;
  created_at: Timestamp;
  sent_at: OptionalTimestamp;
  /** One-click unsubscribe (List-Unsubscribe and List-Unsubscribe-Post, RFC 8058). */
  unsubscribe_url: OptionalText;
  /** The publisher's sender name shown in From (the address stays MAIL_FROM's). */
  from_name: OptionalText;
}

/**
 * A signed-in device: a short-lived access token (`token_hash`, until `expires_at`) and a refresh
 * token that rotates on every use (`refresh_hash`); presenting the one it replaced
 * (`previous_refresh_hash`) means it was stolen, and revokes the session.
 */
export interface SessionTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  refresh_hash: OptionalText;
  refresh_expires_at: OptionalTimestamp;
  previous_refresh_hash: OptionalText;
  revoked_at: OptionalTimestamp;
  /** password, sso, oidc */
  method: OptionalText;
  ip: OptionalText;
  user_agent: OptionalText;
  last_refreshed_at: OptionalTimestamp;
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
  /** Kept for abuse handling, erased by the retention job (PARLEY_IP_RETENTION_DAYS). */
  author_ip: OptionalText;
  author_user_agent: OptionalText;
  /** Q&A (migration 0010): readers' votes on a question. */
  vote_count: ColumnType<number, number | undefined, number>;
  /** Q&A: when a question got its first published answer; null: unanswered (or not a question). */
  answered_at: OptionalTimestamp;
  /** Q&A: a reply to a question by one of the story's experts or the site's staff. */
  qa_answer: ColumnType<number | boolean, number | undefined, number>;
  /** Readers the widget reported as having seen it (docs/sorting.md). */
  view_count: ColumnType<number, number | undefined, number>;
  /** Its key in the Best order (src/domain/best.ts), kept in step with respects and views. */
  best_key: ColumnType<number, number | undefined, number>;
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
  /** A notice of illegal content (reason 'illegal', migration 0009); null otherwise. */
  legal_ground: OptionalText;
  explanation: OptionalText;
  reporter_name: OptionalText;
  reporter_email: OptionalText;
  good_faith: ColumnType<number | boolean | null, number | null | undefined, number | null>;
}

/** moot: closed undecided, the decision appealed no longer standing (undone, or the comment deleted). */
export type AppealState = 'open' | 'upheld' | 'reversed' | 'moot';

/** An author's appeal of a decision on their comment (docs/dsa.md). */
export interface AppealTable {
  id: string;
  site_id: string;
  comment_id: string;
  decision_id: string;
  decided_by: string | null;
  author_id: string;
  text: string;
  created_at: Timestamp;
  state: AppealState;
  reviewer_id: OptionalText;
  reviewed_at: OptionalTimestamp;
  review_note: OptionalText;
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
  /** When the story's last event was written: streams of stories quiet for long are closed. */
  last_event_at: OptionalTimestamp;
  /** How far the story's events have been dispatched (src/notify/dispatcher.ts). */
  dispatched_seq: ColumnType<number | string, number | undefined, number>;
}

/** A site's own layer over the classifier, learned from its moderators (docs/site-models.md). */
export type SiteModelStatus = 'active' | 'not_better' | 'unmeasured' | 'superseded' | 'rolled_back';

export interface SiteModelTable {
  id: string;
  site_id: string;
  /** The classifier whose representation the layer reads. */
  base_model: string;
  /** JSON: SiteModelWeights. */
  weights: string;
  trained_at: Timestamp;
  decisions: number;
  held_out: number;
  /** JSON: the held-out comparison of the base rule and the adapted rule. */
  metrics: string;
  status: SiteModelStatus;
  active: Flag;
  rolled_back_at: OptionalTimestamp;
  /** Why it was rolled back or not measured, in a sentence. */
  note: OptionalText;
}

/** What an imported row came from (src/import/): running a file again finds it here. */
export interface ImportSourceTable {
  site_id: string;
  source: string;
  kind: 'story' | 'comment' | 'author';
  source_id: string;
  /** Null: read and deliberately not imported (a skipped item is not reported twice). */
  target_id: string | null;
}

export type ImportRunState = 'running' | 'done' | 'failed';

export interface ImportRunTable {
  id: string;
  site_id: string;
  format: string;
  file_name: string;
  file_bytes: number;
  state: ImportRunState;
  dry_run: Flag;
  started_by: string | null;
  started_at: Timestamp;
  /** When the run last committed a batch: a running run silent for long has died. */
  heartbeat_at: Timestamp;
  finished_at: OptionalTimestamp;
  /** JSON: ImportReport. */
  report: string;
  error: OptionalText;
}

export type EmailMode = 'off' | 'immediate' | 'hourly' | 'daily';

export interface NotificationSettingsTable {
  user_id: string;
  email: EmailMode;
  /** JSON: which kinds of notification reach the mail (NotificationKinds). */
  kinds: string;
  updated_at: Timestamp;
}

export type NotificationKind =
  | 'reply'
  | 'staff'
  | 'mention'
  | 'approved'
  | 'rejected'
  | 'featured'
  // An appeal of a decision on the reader's comment was decided (docs/dsa.md).
  | 'appeal'
  // The reader's question in a Q&A was answered by the story's expert (docs/qa.md).
  | 'answer';
export type NotificationEmailState = 'immediate' | 'digest' | 'sent' | 'skipped';

export interface NotificationTable {
  id: string;
  user_id: string;
  site_id: string;
  story_id: string;
  comment_id: string;
  kind: NotificationKind;
  created_at: Timestamp;
  read_at: OptionalTimestamp;
  email_state: ColumnType<
    NotificationEmailState | null,
    NotificationEmailState | null | undefined,
    NotificationEmailState | null
  >;
}

export type AlertMode = 'off' | 'immediate' | 'digest';
export type ChatFormat = 'slack' | 'teams' | 'discord';

export interface ModeratorAlertTable {
  user_id: string;
  site_id: string;
  pending: AlertMode;
  reported: AlertMode;
  digest_minutes: number;
  report_threshold: number;
  spike_per_hour: number;
  by_email: number;
  chat_url: string | null;
  chat_format: ChatFormat;
  digest_sent_at: OptionalTimestamp;
  updated_at: Timestamp;
}

export interface WebhookEndpointTable {
  id: string;
  site_id: string;
  url: string;
  description: string;
  /** JSON array of event types. */
  events: string;
  /** JSON array of {secret, createdAt, expiresAt}, newest first. */
  secrets: string;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  failing_since: OptionalTimestamp;
  disabled_at: OptionalTimestamp;
  disabled_reason: OptionalText;
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface WebhookDeliveryTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  ordering_key: string;
  payload: string;
  state: WebhookDeliveryState;
  attempts: number;
  next_attempt_at: Timestamp;
  locked_until: OptionalTimestamp;
  last_status: ColumnType<number | null, number | null | undefined, number | null>;
  last_error: OptionalText;
  created_at: Timestamp;
  delivered_at: OptionalTimestamp;
}

export interface WebhookAttemptTable {
  id: string;
  delivery_id: string;
  attempted_at: Timestamp;
  status: number | null;
  latency_ms: number;
  error: string | null;
  response: string | null;
}

export interface InstallationSecretTable {
  name: string;
  value: string;
  created_at: Timestamp;
}

/** A reader's choice about their public profile (docs/profiles.md); no row: the defaults. */
export interface ProfileSettingsTable {
  user_id: string;
  /** Their comment history is kept off their profile (others see name, picture and badges). */
  private: Flag;
  updated_at: Timestamp;
}

/** A reader (`user_id`) ignores another (`ignored_user_id`): their comments collapse for them. */
export interface IgnoreTable {
  user_id: string;
  ignored_user_id: string;
  created_at: Timestamp;
}

/** Q&A (docs/qa.md): who answers a story's questions. */
export interface StoryExpertTable {
  story_id: string;
  user_id: string;
  /** Shown beside the expert's name ("Climate reporter"). */
  title: string | null;
  created_at: Timestamp;
}

/** Q&A: a reader's vote for a question ("I want to know too"). */
export interface QuestionVoteTable {
  comment_id: string;
  user_id: string;
  created_at: Timestamp;
}

/** Q&A: the sections whose new stories start as Q&A, per site. */
export interface QaSectionTable {
  site_id: string;
  section: string;
}

export interface Database {
  sites: SiteTable;
  stories: StoryTable;
  users: UserTable;
  sessions: SessionTable;
  comments: CommentTable;
  reactions: ReactionTable;
  reports: ReportTable;
  appeals: AppealTable;
  jobs: JobTable;
  moderation_actions: ModerationActionTable;
  user_notes: UserNoteTable;
  api_keys: ApiKeyTable;
  live_events: LiveEventTable;
  live_streams: LiveStreamTable;
  user_identities: UserIdentityTable;
  email_tokens: EmailTokenTable;
  auth_throttle: AuthThrottleTable;
  sso_token_uses: SsoTokenUseTable;
  oidc_states: OidcStateTable;
  mail_outbox: MailOutboxTable;
  site_models: SiteModelTable;
  import_sources: ImportSourceTable;
  import_runs: ImportRunTable;
  notification_settings: NotificationSettingsTable;
  notifications: NotificationTable;
  moderator_alerts: ModeratorAlertTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  installation_secrets: InstallationSecretTable;
  story_experts: StoryExpertTable;
  question_votes: QuestionVoteTable;
  qa_sections: QaSectionTable;
  profile_settings: ProfileSettingsTable;
  ignores: IgnoreTable;
}
