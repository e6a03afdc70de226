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
};

export const QUEUE_HINTS: Record<QueueName, string> = {
  pending: 'Held by the pipeline or pre-moderation',
  reported: 'Published, with open reports',
  unmoderated: 'Published automatically, not yet seen',
  approved: 'Published',
  rejected: 'Refused publication',
  featured: 'Picked by the newsroom',
};

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
]);

/** A pipeline reason's code as a short label: "PREMOD_SITE" → "Pre-moderated site". */
export function reasonLabel(code: string): string {
  return REASON_LABELS.get(code) ?? humanise(code);
}

const languageNames =
  typeof Intl.DisplayNames === 'function'
    ? new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' })
    : null;

/** A pipeline tag as moderators read it: "model:parley-2" → "Model parley-2". */
export function tagLabel(tag: string): string {
  const colon = tag.indexOf(':');
  const kind = colon > 0 ? tag.slice(0, colon) : '';
  const value = colon > 0 ? tag.slice(colon + 1) : '';
  if (!value) return tag;
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
    default:
      return tag;
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
