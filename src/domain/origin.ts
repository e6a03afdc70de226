/** Web origins as browsers send them in the Origin header: scheme, host, and a non-default port. */

/** The origin of an http(s) URL, or undefined for anything else (file:, javascript:, garbage). */
export function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
