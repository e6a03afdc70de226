/**
 * The kinds of entry the audit log holds (`moderation_actions.action`), as the filter of
 * GET /admin/audit accepts them. The dashboard imports the list (pure and browser-safe: no
 * imports) and says each in words (web/admin/src/ui/audit-words.ts, whose type makes a kind
 * without words fail the type check).
 */

/** Moderators' actions that undo can take back; each has an `<action>.undo` entry of its own. */
const UNDOABLE = [
  'comment.approve',
  'comment.reject',
  'comment.feature',
  'comment.unfeature',
  'user.warn',
  'user.suspend',
  'user.unsuspend',
  'user.ban',
  'user.unban',
  'user.premoderate',
  'user.role',
] as const;

export const AUDIT_ACTIONS = [
  ...UNDOABLE,
  ...UNDOABLE.map((action) => `${action}.undo` as const),
  'comment.delete',
  'user.note',
  'pipeline.approve',
  'pipeline.hold',
  'pipeline.reject',
  'pipeline.delete',
  'site.create',
  'site.update',
  'site.settings',
  'site.auth',
  'site.branding',
  'site.model.retrain',
  'site.model.activate',
  'site.model.rollback',
  'story.settings',
  // Q&A (docs/qa.md): a story switched to Q&A (or back, opened, closed), its experts named, and
  // the sections whose new stories start as Q&A.
  'story.qa',
  'story.experts',
  'site.qa_sections',
  // The Digital Services Act (docs/dsa.md): notices of illegal content, and authors' appeals.
  'report.illegal',
  'appeal.file',
  'appeal.decide',
  'apikey.create',
  'apikey.revoke',
  'webhook.create',
  'webhook.update',
  'webhook.delete',
  'webhook.rotate',
  'webhook.enable',
  'webhook.disable',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
