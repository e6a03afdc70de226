/**
 * The moderator's bearer token, kept in sessionStorage: it lasts as long as the browser tab and is
 * not shared with other tabs or left behind on a shared newsroom machine.
 */
import type { Viewer } from '../api/types.js';

const KEY = 'parley:admin:session';

export interface StoredSession {
  readonly token: string;
  /** Renews the access token when it expires (single use; each refresh brings the next). */
  readonly refreshToken?: string | undefined;
  readonly user: Viewer;
}

export function readSession(): StoredSession | null {
  try {
    const text = sessionStorage.getItem(KEY);
    if (!text) return null;
    const parsed = JSON.parse(text) as Partial<StoredSession>;
    return typeof parsed.token === 'string' && parsed.user ? (parsed as StoredSession) : null;
  } catch {
    return null;
  }
}

export function writeSession(session: StoredSession | null): void {
  try {
    if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: the session lasts until the page is reloaded.
  }
}

export const isStaffRole = (role: string): boolean => role === 'admin' || role === 'moderator';
