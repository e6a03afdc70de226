/** Times, numbers and labels as moderators read them (English, the newsroom's locale). */
import type { ClassifierLabel, QueueName, Reason, RejectionCode } from '../api/types.js';

const LOCALE = undefined; // the browser's

const relative =
  typeof Intl.RelativeTimeFormat === 'function'
    ? new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' })
    : null;

const STEPS: readonly (readonly [Intl.RelativeTimeFormatUnit, number])[] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "3 min. ago", "yesterday"; a date beyond a week. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const date = new Date(iso);
  const seconds = (date.getTime() - now) / 1000;
  const elapsed = Math.abs(seconds);
  if (!relative || elapsed >= 7 * 86_400) return formatDate(iso);
  if (elapsed < 45) return 'just now';
  const [unit, size] = STEPS.find(([, step]) => elapsed >= step) ?? ['minute', 60];
  return relative.format(Math.round(seconds / size), unit);
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString(LOCALE, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "Nov 3" for a YYYY-MM-DD day (read as a calendar day, not a UTC instant). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Date(y, m - 1, d).toLocaleDateString('en', { month: 'short', day: 'numeric' });
}

/** "14:00" for an ISO hour start, in the moderator's time zone. */
export function formatHour(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

export const formatCount = (n: number): string => n.toLocaleString('en');

export const plural = (n: number, one: string, many: string = `${one}s`): string =>
  `${formatCount(n)} ${n === 1 ? one : many}`;

export const QUEUE_LABELS: Record<QueueName, string> = {
  pending: 'Pending',
  reported: 'Reported',
  unmoderated: 'Unmoderated',
  approved: 'Approved',
  rejected: 'Rejected',
  featured: 'Featured',
  illegal: 'Illegal content',
  appeals: 'Appeals',
  questions: 'Q&A questions',
  unanswered: 'Unanswered questions',
};

export const QUEUE_HINTS: Record<QueueName, string> = {
  pending: 'Held by the pipeline or pre-moderation',
  reported: 'Published, with open reports',
  unmoderated: 'Published automatically, not yet seen',
  approved: 'Published',
  rejected: 'Refused publication',
  featured: 'Picked by the newsroom',
  illegal: 'Reported as illegal, with a legal ground',
  appeals: 'Authors asking for a second look',
  questions: 'Readers’ questions on Q&A stories, held for review',
  unanswered: 'Published questions no expert has answered yet',
};

/**
 * What each queue holds, in a sentence (the queue links' descriptions and the help). Keyed by name
 * rather than by QueueName so a queue the server adds before the dashboard knows it still reads
 * well (queueExplanation falls back to the short hint, then to the humanised name).
 */
const QUEUE_EXPLANATIONS: Readonly<Record<string, string>> = {
  pending:
    'Pending: held before publication, by an automatic check (words, links, posting rate, ' +
    'a model score) or pre-moderation. Readers do not see these until a moderator approves.',
  reported:
    'Reported: published comments that readers have reported and no moderator has dealt with ' +
    'yet. Approving keeps a comment up and closes its reports.',
  unmoderated:
    'Unmoderated: published at once, never reviewed by a person. Worth a look when there is time.',
  approved: 'Approved: published comments, whether approved by a moderator or published at once.',
  rejected:
    'Rejected: refused publication, by a moderator or an automatic check. Readers do not see ' +
    'them; approving publishes one after all.',
  featured: 'Featured: published comments the newsroom picked to show first.',
  illegal:
    'Illegal content: reports that a comment breaks the law, with the legal ground given by ' +
    'the reporter. Decide these first.',
  appeals:
    'Appeals: authors asking for a decision on their comment to be looked at again, by a ' +
    'moderator other than the one who decided.',
  questions:
    'Q&A questions: readers’ questions on Q&A stories that wait for review, like any held ' +
    'comment. Approving publishes the question for the newsroom to answer.',
  unanswered:
    'Unanswered questions: published questions on Q&A stories that none of the story’s experts ' +
    'has answered yet. Readers vote for the ones they want answered too.',
};

export function queueExplanation(name: string): string {
  const hints: Readonly<Record<string, string>> = QUEUE_HINTS;
  return (
    QUEUE_EXPLANATIONS[name] ??
    (hints[name] ? `${queueLabel(name)}: ${hints[name]}.` : queueLabel(name))
  );
}

/** The explanation without the queue's name: "Published at once, never reviewed by a person." */
export function queueAbout(name: string): string {
  const text = queueExplanation(name);
  const colon = text.indexOf(': ');
  const rest = colon < 0 ? text : text.slice(colon + 2);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

export function queueLabel(name: string): string {
  const labels: Readonly<Record<string, string>> = QUEUE_LABELS;
  return labels[name] ?? humanise(name);
}

export const REJECTION_LABELS: Record<RejectionCode, string> = {
  ABUSE: 'Abuse or harassment',
  HATE: 'Hate speech',
  THREAT: 'Threat of violence',
  SPAM: 'Spam or advertising',
  OFF_TOPIC: 'Off topic',
  ILLEGAL: 'Illegal content',
  PRIVACY: 'Private information',
  MISINFORMATION: 'Misinformation',
  OTHER: 'Other',
};

export const SCORE_LABELS: Record<ClassifierLabel, string> = {
  toxicity: 'Toxicity',
  identity_attack: 'Identity attack',
  threat: 'Threat',
  insult: 'Insult',
  severe_toxicity: 'Severe toxicity',
  profanity: 'Profanity',
  spam: 'Spam',
};

/** "identity_attack" → "Identity attack"; other scores humanised. */
export function scoreLabel(name: string): string {
  return Object.prototype.hasOwnProperty.call(SCORE_LABELS, name)
    ? SCORE_LABELS[name as ClassifierLabel]
    : humanise(name);
}

const LABEL_CODE = /\b(?:severe_toxicity|identity_attack)\b/g;

/** A pipeline message with the label codes in it in words: "Possibly identity attack, insult." */
export function reasonMessage(message: string): string {
  return message.replace(LABEL_CODE, (code) => scoreLabel(code).toLowerCase());
}

const REASON_LABELS = new Map([
  ['CLASSIFIER_HOLD', 'Classifier'],
  ['CLASSIFIER_REJECT', 'Classifier'],
  ['WORD_BANNED', 'Banned word'],
  ['WORD_SUSPECT', 'Suspect word'],
  ['LINK_DENIED', 'Link not allowed'],
  ['LINKS_HELD', 'Link'],
  ['POSTING_RATE', 'Posting rate'],
  ['PREMOD_SITE', 'Pre-moderated site'],
  ['PREMOD_STORY', 'Pre-moderated story'],
  ['PREMOD_USER', 'Pre-moderated author'],
  ['PREMOD_NEW_COMMENTER', 'New commenter'],
  ['EXTERNAL_APPROVE', 'Publisher’s service'],
  ['EXTERNAL_HOLD', 'Publisher’s service'],
  ['EXTERNAL_REJECT', 'Publisher’s service'],
  ['EXTERNAL_UNAVAILABLE', 'Service unavailable'],
  ['SITE_MODEL_HOLD', 'Site’s own model'],
  ['IMPORT_REVIEW', 'Import'],
  ['STORY_CLOSED', 'Story closed'],
  ['AUTHOR_BANNED', 'Author banned'],
  ['AUTHOR_SUSPENDED', 'Author suspended'],
  ['WARNING_UNACKNOWLEDGED', 'Unread warning'],
  ['DUPLICATE_COMMENT', 'Repeated comment'],
  ['TEXT_TOO_SHORT', 'Too short'],
  ['TEXT_TOO_LONG', 'Too long'],
]);

/** A pipeline reason's code as a short label: "PREMOD_SITE" → "Pre-moderated site". */
export function reasonLabel(code: string): string {
  return REASON_LABELS.get(code) ?? humanise(code);
}

const languageNames =
  typeof Intl.DisplayNames === 'function'
    ? new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' })
    : null;

const TAG_WORDS: Readonly<Record<string, string>> = {
  imported: 'Imported',
  'review-imported': 'Imported, to check',
  'site-model': 'Site’s own model',
};

/** A pipeline tag as moderators read it: "model:parley-2" → "Model parley-2". */
export function tagLabel(tag: string): string {
  const colon = tag.indexOf(':');
  const kind = colon > 0 ? tag.slice(0, colon) : '';
  const value = colon > 0 ? tag.slice(colon + 1) : '';
  if (!value) return TAG_WORDS[tag] ?? humanise(tag);
  switch (kind) {
    case 'model':
      return `Model ${value}`;
    case 'lang': {
      let name = value;
      try {
        name = languageNames?.of(value) ?? value;
      } catch {
        // Not a language code: shown as it is.
      }
      return `Language: ${name}`;
    }
    case 'word':
      return `Listed word “${value}”`;
    case 'external':
      return `Service tag “${value}”`;
    case 'site-model':
      return 'Site’s own model';
    default:
      return `${humanise(kind)}: ${value}`;
  }
}

const PHASE_LABELS = new Map([
  ['classifier', 'the classifier'],
  ['wordList', 'the word list'],
  ['links', 'the link rules'],
  ['postingRate', 'the posting rate limit'],
  ['premoderation', 'pre-moderation'],
  ['external', 'the publisher’s moderation service'],
  ['siteModel', 'the site’s own model (learned from its moderators)'],
]);

const REJECTING_REASONS = new Set([
  'CLASSIFIER_REJECT',
  'WORD_BANNED',
  'LINK_DENIED',
  'EXTERNAL_REJECT',
]);

/**
 * Which pipeline phase decided, as a sentence: "Held by the classifier", "Rejected by the word
 * list". The phase's own reasons say what it did (a rejection or an approval ends the run).
 */
export function decidedByLabel(phase: string, reasons: readonly Reason[]): string {
  const verb = reasons.some((reason) => REJECTING_REASONS.has(reason.code))
    ? 'Rejected'
    : reasons.some((reason) => reason.code === 'EXTERNAL_APPROVE')
      ? 'Approved'
      : 'Held';
  const by = PHASE_LABELS.get(phase) ?? humanise(phase);
  return `${verb} by ${by}`;
}

/** A rejection reason ("OFF_TOPIC") in words ("Off topic"), never the code. */
export function rejectionLabel(code: string): string {
  const labels: Readonly<Record<string, string>> = REJECTION_LABELS;
  return labels[code] ?? humanise(code);
}

const REPORT_REASON_LABELS: Readonly<Record<string, string>> = {
  abuse: 'Abuse',
  spam: 'Spam',
  off_topic: 'Off topic',
  misinformation: 'Misinformation',
  illegal: 'Illegal content',
  other: 'Other',
};

/** A reader's report reason ("off_topic") in words. */
export function reportReasonLabel(reason: string): string {
  return REPORT_REASON_LABELS[reason] ?? humanise(reason);
}

/**
 * Every reason code the server's pipeline writes (src/domain/moderation/phases/*, the importer),
 * as the end of "Held: …" / "Rejected: …". The refusals (STORY_CLOSED to TEXT_TOO_LONG) are never
 * stored with a comment, but are listed so nothing the server says shows as a code.
 */
const REASON_WORDS: Readonly<Record<string, string>> = {
  CLASSIFIER_HOLD: 'the toxicity model scored it high',
  CLASSIFIER_REJECT: 'the toxicity model scored it very high',
  WORD_BANNED: 'contains a banned word',
  WORD_SUSPECT: 'contains a word on the watch list',
  LINK_DENIED: 'links to a site that is not allowed',
  LINKS_HELD: 'contains a link to check',
  POSTING_RATE: 'posting too fast',
  PREMOD_SITE: 'every comment on this site is reviewed first',
  PREMOD_STORY: 'every comment on this story is reviewed first',
  PREMOD_USER: 'this author is always pre-moderated',
  PREMOD_NEW_COMMENTER: 'a new commenter’s first comments are reviewed',
  EXTERNAL_APPROVE: 'the publisher’s moderation service approved it',
  EXTERNAL_HOLD: 'the publisher’s moderation service held it',
  EXTERNAL_REJECT: 'the publisher’s moderation service rejected it',
  EXTERNAL_UNAVAILABLE: 'the publisher’s moderation service did not answer',
  SITE_MODEL_HOLD: 'like comments this site’s moderators usually reject',
  IMPORT_REVIEW: 'imported, to be checked',
  STORY_CLOSED: 'commenting is closed',
  AUTHOR_BANNED: 'the author is banned',
  AUTHOR_SUSPENDED: 'the author is suspended',
  WARNING_UNACKNOWLEDGED: 'the author has not read a warning',
  DUPLICATE_COMMENT: 'the same comment posted again',
  TEXT_TOO_SHORT: 'too short',
  TEXT_TOO_LONG: 'too long',
};

/** The pipeline phases by the name the server records (`decidedBy`). */
const PHASE_WORDS: Readonly<Record<string, string>> = {
  storyClosed: 'the story’s settings',
  authorRestricted: 'the author’s restrictions',
  bodyLength: 'the length limits',
  repeatPost: 'the repeat check',
  wordList: 'the word list',
  links: 'the link rules',
  classifier: 'the toxicity model',
  siteModel: 'the site’s own model',
  external: 'the publisher’s moderation service',
  postingRate: 'the posting rate limit',
  premoderation: 'pre-moderation',
};

const IMPORT_SOURCES: Readonly<Record<string, string>> = {
  disqus: 'Disqus',
  wordpress: 'WordPress',
  'coral-csv': 'Coral (CSV)',
  'coral-mongo': 'Coral (MongoDB)',
  remark42: 'Remark42',
  commento: 'Commento',
  isso: 'Isso',
};

/** Which check decided, in words: "the posting rate limit", "an import from Disqus". */
export function phaseName(phase: string): string {
  if (phase.startsWith('import:')) {
    const source = phase.slice('import:'.length);
    return `an import from ${IMPORT_SOURCES[source] ?? humanise(source)}`;
  }
  return PHASE_WORDS[phase] ?? humanise(phase).toLowerCase();
}

/** A reason code in words (for a code no list here knows: humanised, "New check" → "new check"). */
export function reasonWords(code: string): string {
  return REASON_WORDS[code] ?? humanise(code).toLowerCase();
}

const CLASSIFIER_CODES = new Set(['CLASSIFIER_HOLD', 'CLASSIFIER_REJECT', 'IMPORT_REVIEW']);
const LABEL_NAMES = /[a-z]+(?:_[a-z]+)*/g;

/**
 * "scored 0.82 for identity attack, 0.64 for insult": the labels a classifier reason names (its
 * message lists them), highest first, with their scores; without named labels, the highest score.
 */
export function scoreWords(
  message: string,
  scores: Readonly<Record<string, number>>,
): string | null {
  const valid = (name: string) => typeof scores[name] === 'number' && Number.isFinite(scores[name]);
  const named = [...new Set(message.match(LABEL_NAMES) ?? [])].filter(
    (name) => valid(name) && name !== 'site_model',
  );
  const names =
    named.length > 0
      ? named
      : Object.keys(scores)
          .filter((name) => valid(name) && name !== 'site_model')
          .sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0))
          .slice(0, 1);
  if (names.length === 0) return null;
  const parts = names
    .sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0))
    .slice(0, 3)
    .map((name) => `${(scores[name] ?? 0).toFixed(2)} for ${scoreLabel(name).toLowerCase()}`);
  return `scored ${parts.join(', ')}`;
}

/** One pipeline reason as the end of "Held: …", with the scores when a model decided. */
export function reasonPhrase(reason: Reason, scores: Readonly<Record<string, number>>): string {
  if (CLASSIFIER_CODES.has(reason.code)) {
    const scored = scoreWords(reason.message, scores);
    if (scored) return reason.code === 'IMPORT_REVIEW' ? `imported, ${scored}` : scored;
  }
  if (reason.code === 'SITE_MODEL_HOLD' && typeof scores.site_model === 'number') {
    return `scored ${scores.site_model.toFixed(2)} on this site’s own model (${reasonWords(reason.code)})`;
  }
  return reasonWords(reason.code);
}

export interface Verdict {
  /** "Held", "Rejected", "Approved", "Imported". */
  readonly verb: string;
  /** "posting too fast; every comment on this site is reviewed first". */
  readonly why: string;
  /** Who decided, in words ("the posting rate limit"), when the server said. */
  readonly by: string | null;
}

/**
 * What the pipeline did with a comment and why, in words: { verb: "Held", why: "posting too
 * fast" }. Null when no check decided (published at once) and there is nothing to tell.
 */
export function verdict(moderation: {
  readonly decidedBy: string | null;
  readonly reasons: readonly Reason[];
  readonly scores: Readonly<Record<string, number>>;
}): Verdict | null {
  const { decidedBy, reasons, scores } = moderation;
  if (!decidedBy && reasons.length === 0) return null;
  const verb = decidedBy?.startsWith('import:')
    ? 'Imported'
    : reasons.some((reason) => REJECTING_REASONS.has(reason.code))
      ? 'Rejected'
      : reasons.some((reason) => reason.code === 'EXTERNAL_APPROVE')
        ? 'Approved'
        : 'Held';
  const phrases = [...new Set(reasons.map((reason) => reasonPhrase(reason, scores)))];
  const by = decidedBy ? phaseName(decidedBy) : null;
  return { verb, why: phrases.length > 0 ? phrases.join('; ') : `by ${by ?? 'a check'}`, by };
}

/** "word-list" / "WORD_LIST" / "wordList" → "Word list". */
export function humanise(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.:-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

/** Bearable JSON for the audit log's before/after columns. */
export function formatJson(value: unknown): string {
  if (value === null || value === undefined) return '—';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

/** "15 minutes", "1 hour 30 minutes", "no time" for a number of seconds. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'no time';
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = Math.round(seconds % 60);
  const parts = [
    hours > 0 ? plural(hours, 'hour') : '',
    minutes > 0 ? plural(minutes, 'minute') : '',
    rest > 0 ? plural(rest, 'second') : '',
  ].filter(Boolean);
  return parts.join(' ');
}
