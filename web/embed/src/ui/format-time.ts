/**
 * Relative times ("5 minutes ago") for recent comments and a short date for older ones,
 * in the interface language.
 */

const DAY_SECONDS = 86_400;
const STEPS: readonly (readonly [Intl.RelativeTimeFormatUnit, number])[] = [
  ['week', 7 * DAY_SECONDS],
  ['day', DAY_SECONDS],
  ['hour', 3_600],
  ['minute', 60],
];
const DATE_AFTER_SECONDS = 30 * DAY_SECONDS;
const JUST_NOW_SECONDS = 45;

const formatters = new Map<string, Intl.RelativeTimeFormat>();

export function formatRelative(date: Date, locale: string, now: number = Date.now()): string {
  const seconds = (date.getTime() - now) / 1000;
  const elapsed = Math.abs(seconds);
  if (elapsed >= DATE_AFTER_SECONDS || typeof Intl.RelativeTimeFormat !== 'function') {
    return date.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' });
  }
  const relative = relativeFormatter(locale);
  if (elapsed < JUST_NOW_SECONDS) return relative.format(0, 'second');
  const [unit, size] = STEPS.find(([, stepSeconds]) => elapsed >= stepSeconds) || ['minute', 60];
  return relative.format(Math.round(seconds / size), unit);
}

export function formatFull(date: Date, locale: string): string {
  return date.toLocaleString(locale, { dateStyle: 'long', timeStyle: 'short' });
}

function relativeFormatter(locale: string): Intl.RelativeTimeFormat {
  const cached = formatters.get(locale);
  if (cached) return cached;
  const created = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  formatters.set(locale, created);
  return created;
}
