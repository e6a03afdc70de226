/**
 * The site settings form's state and the PATCH /admin/sites/:siteId/settings body it makes: only
 * the keys that changed, checked first against the API's limits with a sentence a person can act
 * on. The word list is not part of it (it has its own view).
 */
import type { SiteSettings, SiteSettingsPatch } from '../api/types.js';

/** The form's state: numbers as the text typed, lists one entry per line. */
export interface SettingsForm {
  commentingDisabled: boolean;
  closeAfterDays: string;
  editWindowSeconds: string;
  minLength: string;
  maxLength: string;
  premoderateAll: boolean;
  premoderateNewCommenters: string;
  holdLinks: boolean;
  allowDomains: string;
  denyDomains: string;
  repeatWindowSeconds: string;
  maxPostsPerMinute: string;
  classifierHold: string;
  classifierReject: string;
  externalOn: boolean;
  externalUrl: string;
  externalTimeoutMs: string;
  externalSecret: string;
}

export function formFrom(site: SiteSettings): SettingsForm {
  const m = site.moderation;
  return {
    commentingDisabled: m.commentingDisabled,
    closeAfterDays: String(m.closeAfterDays),
    editWindowSeconds: String(site.editWindowSeconds),
    minLength: String(m.minLength),
    maxLength: String(m.maxLength),
    premoderateAll: m.premoderateAll,
    premoderateNewCommenters: String(m.premoderateNewCommenters),
    holdLinks: m.links.holdLinks,
    allowDomains: m.links.allowDomains.join('\n'),
    denyDomains: m.links.denyDomains.join('\n'),
    repeatWindowSeconds: String(m.repeatWindowSeconds),
    maxPostsPerMinute: String(m.maxPostsPerMinute),
    classifierHold: String(m.classifier.hold),
    classifierReject: String(m.classifier.reject),
    externalOn: m.external !== null,
    externalUrl: m.external?.url ?? '',
    externalTimeoutMs: String(m.external?.timeoutMs ?? 2000),
    externalSecret: '',
  };
}

export type TextKey = {
  [K in keyof SettingsForm]: SettingsForm[K] extends string ? K : never;
}[keyof SettingsForm];

const lines = (text: string): string[] => [
  ...new Set(
    text
      .split(/[\n,]/)
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  ),
];

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, index) => value === b[index]);

type NumberKey =
  | 'closeAfterDays'
  | 'editWindowSeconds'
  | 'minLength'
  | 'maxLength'
  | 'premoderateNewCommenters'
  | 'repeatWindowSeconds'
  | 'maxPostsPerMinute'
  | 'externalTimeoutMs';

const LIMITS: Record<NumberKey, readonly [number, number, string]> = {
  closeAfterDays: [0, 3650, 'Closing after'],
  editWindowSeconds: [0, 86_400, 'The edit window'],
  minLength: [0, 1000, 'The shortest comment'],
  maxLength: [1, 20_000, 'The longest comment'],
  premoderateNewCommenters: [0, 1000, 'New commenters’ approved comments'],
  repeatWindowSeconds: [0, 86_400, 'The repeat window'],
  maxPostsPerMinute: [0, 10_000, 'Posts per minute'],
  externalTimeoutMs: [100, 10_000, 'The timeout'],
};

/** The changes from `site` to `form` as a PATCH body, or a sentence saying what is wrong. */
export function buildPatch(site: SiteSettings, form: SettingsForm): SiteSettingsPatch | string {
  const m = site.moderation;
  const stored: Record<NumberKey, number> = {
    closeAfterDays: m.closeAfterDays,
    editWindowSeconds: site.editWindowSeconds,
    minLength: m.minLength,
    maxLength: m.maxLength,
    premoderateNewCommenters: m.premoderateNewCommenters,
    repeatWindowSeconds: m.repeatWindowSeconds,
    maxPostsPerMinute: m.maxPostsPerMinute,
    externalTimeoutMs: m.external?.timeoutMs ?? 2000,
  };
  const numbers = {} as Record<NumberKey, number>;
  for (const key of Object.keys(LIMITS) as NumberKey[]) {
    const [min, max, label] = LIMITS[key];
    const value = Number(form[key]);
    // A stored value outside what the form offers (set by other means) is kept as it is.
    if (form[key].trim() === String(stored[key])) {
      numbers[key] = stored[key];
      continue;
    }
    if (form[key].trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      if (key === 'externalTimeoutMs' && !form.externalOn) continue;
      return `${label} must be a whole number from ${min} to ${max}.`;
    }
    numbers[key] = value;
  }
  if (numbers.minLength > numbers.maxLength) {
    return 'The shortest comment cannot be longer than the longest.';
  }
  const hold = Number(form.classifierHold);
  const reject = Number(form.classifierReject);
  for (const [value, text] of [
    [hold, form.classifierHold],
    [reject, form.classifierReject],
  ] as const) {
    if (text.trim() === '' || !(value >= 0 && value <= 1)) {
      return 'Classifier thresholds are probabilities from 0 to 1.';
    }
  }
  if (hold > reject) return 'The hold threshold must not be above the reject threshold.';
  const allow = lines(form.allowDomains);
  const deny = lines(form.denyDomains);
  const badDomain = [...allow, ...deny].find((d) => d.length > 253 || /[\s/@]/.test(d));
  if (badDomain)
    return `“${badDomain}” is not a domain name (write example.com, without https://).`;
  const both = allow.find((domain) => deny.includes(domain));
  if (both) return `${both} is on both the allow and the deny list.`;

  const moderation: Record<string, unknown> = {};
  const set = <K extends string>(key: K, before: unknown, after: unknown) => {
    if (before !== after) moderation[key] = after;
  };
  set('commentingDisabled', m.commentingDisabled, form.commentingDisabled);
  set('closeAfterDays', m.closeAfterDays, numbers.closeAfterDays);
  set('minLength', m.minLength, numbers.minLength);
  set('maxLength', m.maxLength, numbers.maxLength);
  set('premoderateAll', m.premoderateAll, form.premoderateAll);
  set('premoderateNewCommenters', m.premoderateNewCommenters, numbers.premoderateNewCommenters);
  set('repeatWindowSeconds', m.repeatWindowSeconds, numbers.repeatWindowSeconds);
  set('maxPostsPerMinute', m.maxPostsPerMinute, numbers.maxPostsPerMinute);

  const links: Record<string, unknown> = {};
  if (m.links.holdLinks !== form.holdLinks) links.holdLinks = form.holdLinks;
  if (!sameList(m.links.allowDomains, allow)) links.allowDomains = allow;
  if (!sameList(m.links.denyDomains, deny)) links.denyDomains = deny;
  if (Object.keys(links).length > 0) moderation.links = links;

  const classifier: Record<string, number> = {};
  if (m.classifier.hold !== hold) classifier.hold = hold;
  if (m.classifier.reject !== reject) classifier.reject = reject;
  if (Object.keys(classifier).length > 0) moderation.classifier = classifier;

  const secret = form.externalSecret;
  if (!form.externalOn) {
    if (m.external) moderation.external = null;
  } else {
    const url = form.externalUrl.trim();
    if (!/^https:\/\/[^\s/]+/i.test(url)) return 'The external service needs an https:// address.';
    if (secret && (secret.length < 16 || secret.length > 200)) {
      return 'The shared secret must be 16 to 200 characters long.';
    }
    if (!secret && !m.external?.secretSet) {
      return 'The external service needs a shared secret (16 characters or more).';
    }
    const timeoutMs = numbers.externalTimeoutMs;
    if (!m.external || m.external.url !== url || m.external.timeoutMs !== timeoutMs || secret) {
      moderation.external = { url, timeoutMs, ...(secret && { secret }) };
    }
  }

  const patch: { editWindowSeconds?: number; moderation?: Record<string, unknown> } = {};
  if (site.editWindowSeconds !== numbers.editWindowSeconds) {
    patch.editWindowSeconds = numbers.editWindowSeconds;
  }
  if (Object.keys(moderation).length > 0) patch.moderation = moderation;
  return patch as SiteSettingsPatch;
}
