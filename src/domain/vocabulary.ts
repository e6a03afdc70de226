/**
 * The words the server and its pages share: moderation queues, account roles, the reasons a
 * reader may report a comment for, the codes of a moderator's rejection and of the pipeline's
 * reasons, and the interface languages. Each list is defined here once; the server's schemas, its
 * store and the pages (web/*, bundled by esbuild) import it, so a new word reaches all of them.
 *
 * Pure and browser-safe: no imports, nothing but constants and the types they spell.
 */

/** The dashboard's queues (GET /admin/queues/:queue), in the order it shows them. */
export const QUEUES = [
  'pending',
  'reported',
  'unmoderated',
  'approved',
  'rejected',
  'featured',
  // The Digital Services Act (docs/dsa.md): notices of illegal content, and authors' appeals.
  'illegal',
  'appeals',
  // Q&A (docs/qa.md): questions on Q&A stories waiting for review, and published questions the
  // newsroom has not answered yet.
  'questions',
  'unanswered',
] as const;
export type Queue = (typeof QUEUES)[number];

/** Account roles, from the least trusted. */
export const ROLES = ['commenter', 'staff', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The newsroom: roles whose top-level comments a site may pin (docs/sorting.md). */
export const NEWSROOM_ROLES = ['staff', 'moderator', 'admin'] as const satisfies readonly Role[];

/** Why a reader may report a comment (POST /comments/:id/report). */
export const REPORT_REASONS = [
  'abuse',
  'spam',
  'off_topic',
  'misinformation',
  'other',
  // A notice of illegal content (Digital Services Act, Article 16; docs/dsa.md).
  'illegal',
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** Why a moderator rejected a comment, in the order the dashboard offers them. */
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

/**
 * The codes the moderation pipeline (src/domain/moderation/phases/*) and the importer give their
 * reasons, which the audit log shows in words; a test keeps the list complete.
 */
export const PIPELINE_REASON_CODES = [
  'AUTHOR_BANNED',
  'AUTHOR_SUSPENDED',
  'CLASSIFIER_HOLD',
  'CLASSIFIER_REJECT',
  'DUPLICATE_COMMENT',
  'EXTERNAL_APPROVE',
  'EXTERNAL_HOLD',
  'EXTERNAL_REJECT',
  'EXTERNAL_UNAVAILABLE',
  'IMPORT_REVIEW',
  'LINKS_HELD',
  'LINK_DENIED',
  'POSTING_RATE',
  'PREMOD_NEW_COMMENTER',
  'PREMOD_SITE',
  'PREMOD_STORY',
  'PREMOD_USER',
  'SITE_MODEL_HOLD',
  'STORY_CLOSED',
  'TEXT_TOO_LONG',
  'TEXT_TOO_SHORT',
  'WARNING_UNACKNOWLEDGED',
  'WORD_BANNED',
  'WORD_SUSPECT',
] as const;
export type PipelineReasonCode = (typeof PIPELINE_REASON_CODES)[number];

/**
 * Interface languages: the widget's, the account pages' and the mail's, and an account's
 * `locale`. English first, the default.
 */
export const INTERFACE_LANGUAGES = ['en', 'ar', 'he', 'zh', 'fr', 'es'] as const;
export type InterfaceLanguage = (typeof INTERFACE_LANGUAGES)[number];

/** The interface languages written right to left. */
export const RIGHT_TO_LEFT_LANGUAGES: readonly InterfaceLanguage[] = ['ar', 'he'];
