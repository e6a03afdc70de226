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

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether a URL Parley fetches keys or talks OAuth through is safe to use: https, or plain http
 * only to this machine (a provider run beside Parley, and the tests'). Anything else could be
 * read or altered on the way.
 */
export function isSecureOrLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.username || url.password) return false;
    return (
      url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
    );
  } catch {
    return false;
  }
}
