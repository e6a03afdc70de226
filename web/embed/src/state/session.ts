/**
 * The signed-in viewer and their bearer token. The token lives in localStorage under a key that
 * names the API origin, so two Parley installations on one publisher page never share a token.
 */
import type { User } from '../api/types.js';
import { Emitter } from './emitter.js';

const SESSION = 'session';

export class Session extends Emitter<typeof SESSION> {
  static readonly key = SESSION;
  private readonly storageKey: string;
  private currentToken: string | null;
  private currentUser: User | null = null;

  constructor(apiOrigin: string) {
    super();
    this.storageKey = `parley:token:${apiOrigin}`;
    this.currentToken = readStorage(this.storageKey);
  }

  get token(): string | null {
    return this.currentToken;
  }

  get user(): User | null {
    return this.currentUser;
  }

  signIn(token: string, user: User): void {
    this.currentToken = token;
    writeStorage(this.storageKey, token);
    this.setUser(user);
  }

  setUser(user: User): void {
    this.currentUser = user;
    this.emit(SESSION);
  }

  clear(): void {
    this.currentToken = null;
    this.currentUser = null;
    writeStorage(this.storageKey, null);
    this.emit(SESSION);
  }
}

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage may be blocked by the browser; the session then lasts as long as the page.
  }
}
