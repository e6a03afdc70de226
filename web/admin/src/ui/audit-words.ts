/**
 * The audit log in words, as a newsroom's editor would keep it: every kind of entry as what the
 * moderator did ("rejected", "banned", "restored"), every reason code as a reason. The lists of
 * kinds and codes are the server's (api/types.ts mirrors them; a server test keeps them in step),
 * so a kind or code without words fails to compile here.
 */
import {
  PIPELINE_REASON_CODES,
  REJECTION_CODES,
  type AuditAction,
  type AuditEntry,
  type PipelineReasonCode,
  type RejectionCode,
} from '../api/types.js';

/** What was done, after the name of whoever did it: "Mona rejected …". */
export const ACTION_WORDS: Record<AuditAction, string> = {
  'comment.approve': 'approved',
  'comment.reject': 'rejected',
  'comment.feature': 'featured',
  'comment.unfeature': 'stopped featuring',
  'comment.delete': 'deleted',
  'user.warn': 'warned',
  'user.suspend': 'suspended',
  'user.unsuspend': 'lifted the suspension of',
  'user.ban': 'banned',
  'user.unban': 'lifted the ban on',
  'user.premoderate': 'changed pre-moderation of',
  'user.role': 'changed the role of',
  'comment.approve.undo': 'restored',
  'comment.reject.undo': 'restored',
  'comment.feature.undo': 'restored',
  'comment.unfeature.undo': 'restored',
  'user.warn.undo': 'restored',
  'user.suspend.undo': 'restored',
  'user.unsuspend.undo': 'restored',
  'user.ban.undo': 'restored',
  'user.unban.undo': 'restored',
  'user.premoderate.undo': 'restored',
  'user.role.undo': 'restored',
  'user.note': 'wrote a note about',
  'pipeline.approve': 'published',
  'pipeline.hold': 'held for review',
  'pipeline.reject': 'rejected',
  'pipeline.delete': 'removed',
  'site.create': 'created the site',
  'site.update': 'changed the name or allowed origins of the site',
  'site.settings': 'changed the moderation settings of the site',
  'site.auth': 'changed how readers sign in to the site',
  'site.branding': 'changed the branding of the site',
  'site.model.retrain': 'asked to retrain the site’s own model',
  'site.model.activate': 'put a newly learned model to work on the site',
  'site.model.rollback': 'rolled back the site’s own model',
  'story.settings': 'changed a story’s settings (open, pre-moderated, live)',
  'story.qa': 'switched a story’s Q&A (on, off, open or closed)',
  'story.experts': 'named a Q&A story’s experts',
  'site.qa_sections': 'chose the sections whose stories start as Q&A',
  'report.illegal': 'reported as illegal',
  'appeal.file': 'appealed the decision on',
  'appeal.decide': 'decided the appeal on',
  'apikey.create': 'created an API key',
  'apikey.revoke': 'revoked an API key',
  'webhook.create': 'added a webhook',
  'webhook.update': 'changed a webhook',
  'webhook.delete': 'removed a webhook',
  'webhook.rotate': 'rotated a webhook’s secret',
  'webhook.enable': 'turned a webhook on',
  'webhook.disable': 'turned a webhook off',
};

/** Groups of the action filter, in the order moderators look for them. */
export const ACTION_GROUPS: readonly { label: string; actions: readonly AuditAction[] }[] = [
  {
    label: 'Comments',
    actions: [
      'comment.approve',
      'comment.reject',
      'comment.feature',
      'comment.unfeature',
      'comment.delete',
    ],
  },
  {
    label: 'Accounts',
    actions: [
      'user.warn',
      'user.suspend',
      'user.unsuspend',
      'user.ban',
      'user.unban',
      'user.premoderate',
      'user.role',
      'user.note',
    ],
  },
  {
    label: 'Undone',
    actions: [
      'comment.approve.undo',
      'comment.reject.undo',
      'comment.feature.undo',
      'comment.unfeature.undo',
      'user.warn.undo',
      'user.suspend.undo',
      'user.unsuspend.undo',
      'user.ban.undo',
      'user.unban.undo',
      'user.premoderate.undo',
      'user.role.undo',
    ],
  },
  {
    label: 'Reports and appeals',
    actions: ['report.illegal', 'appeal.file', 'appeal.decide'],
  },
  {
    label: 'Automatic',
    actions: ['pipeline.approve', 'pipeline.hold', 'pipeline.reject', 'pipeline.delete'],
  },
  {
    label: 'Sites and stories',
    actions: [
      'site.create',
      'site.update',
      'site.settings',
      'site.auth',
      'site.branding',
      'site.model.retrain',
      'site.model.activate',
      'site.model.rollback',
      'story.settings',
      'story.qa',
      'story.experts',
      'site.qa_sections',
    ],
  },
  {
    label: 'Integrations',
    actions: [
      'apikey.create',
      'apikey.revoke',
      'webhook.create',
      'webhook.update',
      'webhook.delete',
      'webhook.rotate',
      'webhook.enable',
      'webhook.disable',
    ],
  },
];

const isAction = (action: string): action is AuditAction =>
  Object.prototype.hasOwnProperty.call(ACTION_WORDS, action);

/** The words of an entry's kind; a kind this dashboard does not know yet reads as itself. */
export function actionWords(action: string): string {
  if (isAction(action)) return ACTION_WORDS[action];
  return action.replace(/[._]+/g, ' ');
}

/** An option of the action filter: "Rejected", "Undo of “banned”". */
export function actionLabel(action: AuditAction): string {
  if (action.endsWith('.undo')) {
    return `Undo of “${actionWords(action.slice(0, -'.undo'.length))}”`;
  }
  const words = ACTION_WORDS[action];
  return words[0]!.toUpperCase() + words.slice(1);
}

/** Why a moderator rejected a comment (the statement of reasons readers are shown). */
export const REJECTION_WORDS: Record<RejectionCode, string> = {
  ABUSE: 'abuse or harassment',
  HATE: 'hate speech',
  THREAT: 'a threat of violence',
  SPAM: 'spam or advertising',
  OFF_TOPIC: 'off topic',
  ILLEGAL: 'illegal content',
  PRIVACY: 'private information about someone',
  MISINFORMATION: 'misinformation',
  OTHER: 'another reason (see the note)',
};

/** Why the pipeline held, rejected or published a comment. */
export const PIPELINE_REASON_WORDS: Record<PipelineReasonCode, string> = {
  AUTHOR_BANNED: 'the author is banned',
  AUTHOR_SUSPENDED: 'the author is suspended',
  CLASSIFIER_HOLD: 'the classifier found it possibly harmful',
  CLASSIFIER_REJECT: 'the classifier found it harmful',
  DUPLICATE_COMMENT: 'the same comment was posted again',
  EXTERNAL_APPROVE: 'the publisher’s moderation service approved it',
  EXTERNAL_HOLD: 'the publisher’s moderation service held it',
  EXTERNAL_REJECT: 'the publisher’s moderation service rejected it',
  EXTERNAL_UNAVAILABLE: 'the publisher’s moderation service did not answer',
  IMPORT_REVIEW: 'imported, to be reviewed',
  LINKS_HELD: 'it links to a site not yet allowed',
  LINK_DENIED: 'it links to a site that is not allowed',
  POSTING_RATE: 'the author posted too often',
  PREMOD_NEW_COMMENTER: 'the author is new here',
  PREMOD_SITE: 'every comment on the site is reviewed first',
  PREMOD_STORY: 'every comment on the story is reviewed first',
  PREMOD_USER: 'the author’s comments are reviewed first',
  SITE_MODEL_HOLD: 'the site’s moderators have usually rejected comments like it',
  STORY_CLOSED: 'the story is closed to comments',
  TEXT_TOO_LONG: 'it is too long',
  TEXT_TOO_SHORT: 'it is too short',
  WARNING_UNACKNOWLEDGED: 'the author has not read a moderator’s warning',
  WORD_BANNED: 'it uses a banned word',
  WORD_SUSPECT: 'it uses a word on the watch list',
};

/** How an appeal ended (src/services/appeals.ts). */
const APPEAL_OUTCOMES: Readonly<Record<string, string>> = {
  upheld: 'the decision stands',
  reversed: 'the decision was reversed: the comment is published again',
};

const REJECTION_SET: ReadonlySet<string> = new Set(REJECTION_CODES);
const PIPELINE_SET: ReadonlySet<string> = new Set(PIPELINE_REASON_CODES);

/** One reason code in words; a code this dashboard does not know yet reads as itself. */
export function reasonCodeWords(code: string): string {
  if (REJECTION_SET.has(code)) return REJECTION_WORDS[code as RejectionCode];
  if (PIPELINE_SET.has(code)) return PIPELINE_REASON_WORDS[code as PipelineReasonCode];
  return code.replace(/_+/g, ' ').toLowerCase();
}

/**
 * An entry's reason as words: codes (a moderator's rejection, the pipeline's reasons) in words,
 * a moderator's own words (a ban's reason, a warning) quoted as written. Null: none to show (an
 * undo's reason names the entry it undid, which the page says otherwise).
 */
export function reasonWords(entry: Pick<AuditEntry, 'action' | 'reason'>): {
  text: string;
  quoted: boolean;
} | null {
  const reason = entry.reason;
  if (!reason || entry.action.endsWith('.undo')) return null;
  if (entry.action === 'comment.reject') return { text: reasonCodeWords(reason), quoted: false };
  if (entry.action === 'appeal.decide') {
    const outcome = APPEAL_OUTCOMES[reason];
    return outcome ? { text: outcome, quoted: false } : { text: reason, quoted: true };
  }
  if (entry.action.startsWith('pipeline.')) {
    const codes = reason.split(',').map((code) => code.trim());
    return { text: codes.filter(Boolean).map(reasonCodeWords).join('; '), quoted: false };
  }
  return { text: reason, quoted: true };
}

/** The queue a comment with this status sits in, for a link that opens it in the dashboard. */
export function queueOf(status: string | null): string | null {
  switch (status) {
    case 'approved':
      return 'approved';
    case 'pending':
      return 'pending';
    case 'rejected':
      return 'rejected';
    default:
      return null;
  }
}
