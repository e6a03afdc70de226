/**
 * A site's moderation settings as stored (JSON, any key may be missing) and as the pipeline uses
 * them (complete, with defaults). Reading is forgiving of old or hand-edited JSON: a value of the
 * wrong type falls back to the default rather than breaking every post on the site.
 */
import type { ModerationSettings } from './types.ts';
import type { WordListEntry } from './word-list.ts';
import { isRecord, storedRecord } from '../stored-settings.ts';

export const DEFAULT_MODERATION_SETTINGS: ModerationSettings = {
  commentingDisabled: false,
  closeAfterDays: 0,
  liveUpdates: true,
  premoderateAll: false,
  premoderateNewCommenters: 0,
  minLength: 1,
  maxLength: 5000,
  links: { holdLinks: false, allowDomains: [], denyDomains: [] },
  repeatWindowSeconds: 600,
  maxPostsPerMinute: 5,
  classifier: { hold: 0.5, reject: 0.97 },
  learnFromModerators: true,
  wordList: [],
  external: null,
};

function pick<T>(value: unknown, fallback: T, valid: (v: unknown) => boolean): T {
  return valid(value) ? (value as T) : fallback;
}

const isBool = (v: unknown) => typeof v === 'boolean';
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
const isProbability = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;
const isDomains = (v: unknown) => Array.isArray(v) && v.every((d) => typeof d === 'string');
const isWordList = (v: unknown) =>
  Array.isArray(v) &&
  v.every(
    (e) =>
      isRecord(e) &&
      typeof e.term === 'string' &&
      (e.strength === 'banned' || e.strength === 'suspect'),
  );

/** Complete settings from stored JSON (a string or an already parsed value). */
export function readModerationSettings(stored: unknown): ModerationSettings {
  const s = storedRecord(stored);
  const d = DEFAULT_MODERATION_SETTINGS;
  const links = isRecord(s.links) ? s.links : {};
  const classifier = isRecord(s.classifier) ? s.classifier : {};
  const external = isRecord(s.external) ? s.external : null;
  return {
    commentingDisabled: pick(s.commentingDisabled, d.commentingDisabled, isBool),
    closeAfterDays: pick(s.closeAfterDays, d.closeAfterDays, isCount),
    liveUpdates: pick(s.liveUpdates, d.liveUpdates, isBool),
    premoderateAll: pick(s.premoderateAll, d.premoderateAll, isBool),
    premoderateNewCommenters: pick(s.premoderateNewCommenters, d.premoderateNewCommenters, isCount),
    minLength: pick(s.minLength, d.minLength, isCount),
    maxLength: pick(s.maxLength, d.maxLength, isCount),
    links: {
      holdLinks: pick(links.holdLinks, d.links.holdLinks, isBool),
      allowDomains: pick(links.allowDomains, d.links.allowDomains, isDomains),
      denyDomains: pick(links.denyDomains, d.links.denyDomains, isDomains),
    },
    repeatWindowSeconds: pick(s.repeatWindowSeconds, d.repeatWindowSeconds, isCount),
    maxPostsPerMinute: pick(s.maxPostsPerMinute, d.maxPostsPerMinute, isCount),
    classifier: {
      hold: pick(classifier.hold, d.classifier.hold, isProbability),
      reject: pick(classifier.reject, d.classifier.reject, isProbability),
    },
    learnFromModerators: pick(s.learnFromModerators, d.learnFromModerators, isBool),
    wordList: pick<WordListEntry[]>(s.wordList, d.wordList, isWordList),
    external:
      external &&
      typeof external.url === 'string' &&
      typeof external.secret === 'string' &&
      isCount(external.timeoutMs)
        ? { url: external.url, secret: external.secret, timeoutMs: external.timeoutMs as number }
        : null,
  };
}
