/**
 * Reading settings stored as JSON (a site's moderation and sign-in settings): forgiving of old or
 * hand-edited values, so that a broken column gives the defaults instead of a failing site.
 */

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The stored object (a JSON string or an already parsed value); {} for anything else. */
export function storedRecord(stored: unknown): Record<string, unknown> {
  let raw: unknown = stored;
  if (typeof stored === 'string') {
    try {
      raw = JSON.parse(stored);
    } catch {
      raw = {};
    }
  }
  return isRecord(raw) ? raw : {};
}
