/**
 * Signing in where the reader signed up (docs/identity.md, "Local accounts"). The mailed link alone
 * never signs anyone in: whoever holds it may not be whoever signed up (an attacker can sign up
 * with someone else's address, or mail their own link to someone). So the sign-up binds itself to
 * this browser, and confirming the address opens a session only here:
 *
 * - at sign-up, the form makes a random secret (256 bits), keeps it in Parley's origin's storage
 *   under the address, and sends only its SHA-256 with POST /auth/signup;
 * - the confirmation page (the link opened in this browser) sends the secrets kept here with
 *   POST /auth/verify-email, and the server opens a session only when one is that sign-up's
 *   (and this is the account's first confirmation). The secret is then forgotten;
 * - the page offers that session to the sign-in popup still waiting for the address in this
 *   browser, over a BroadcastChannel of Parley's origin: the page announces the address, the
 *   first popup waiting for it claims it, the page sends the session to that popup alone, and the
 *   popup hands it to the widget that opened it (postMessage to the publisher's origin the server
 *   checked, as after a log-in) and says whether it could. So one widget gets the session, and
 *   only Parley's own pages ever see it. When no popup takes it, the page keeps it (signed in
 *   there, in memory, as the account page keeps its own); nothing is left for a later popup.
 *
 * Opened in another browser, the page finds no secret: the address is confirmed and the reader
 * logs in there with the password.
 */
import type { Session } from './api.js';

const CHANNEL = 'parley:sign-up';
/** How long the confirmation page waits for a popup to claim the session, then to take it. */
const CLAIM_MS = 1500;
const TAKE_MS = 4000;
const BINDINGS = 'parley:sign-up-bindings';
/** As long as the mailed link works (48 h): a secret older than that confirms nothing. */
const BINDING_MS = 48 * 60 * 60_000;
/** The most secrets kept (and sent with a confirmation); the server takes no more. */
const MAX_BINDINGS = 5;

type Message =
  | { type: 'confirmed'; nonce: string; email: string }
  | { type: 'claim'; nonce: string; claimant: string }
  | { type: 'session'; nonce: string; claimant: string; session: Session }
  | { type: 'taken' | 'declined'; nonce: string; claimant: string };

const random = (): string => Array.from(crypto.getRandomValues(new Uint32Array(4))).join('-');

function channel(): BroadcastChannel | null {
  try {
    return new BroadcastChannel(CHANNEL);
  } catch {
    return null;
  }
}

const isMessage = (data: unknown): data is Message =>
  typeof data === 'object' &&
  data !== null &&
  typeof (data as Message).type === 'string' &&
  typeof (data as Message).nonce === 'string';

/**
 * The popup's side: waits for the confirmation of `email`. `take` hands the session over and
 * answers whether it reached the widget. Returns what stops the waiting.
 */
export function awaitConfirmation(email: string, take: (session: Session) => boolean): () => void {
  const bus = channel();
  if (!bus) return () => undefined;
  const claimant = random();
  const wanted = email.trim().toLowerCase();
  bus.onmessage = (event: MessageEvent) => {
    const message = event.data as unknown;
    if (!isMessage(message)) return;
    if (message.type === 'confirmed' && message.email.toLowerCase() === wanted) {
      bus.postMessage({ type: 'claim', nonce: message.nonce, claimant } satisfies Message);
    } else if (message.type === 'session' && message.claimant === claimant) {
      const taken = typeof message.session?.token === 'string' && take(message.session);
      const answer = taken ? 'taken' : 'declined';
      bus.postMessage({ type: answer, nonce: message.nonce, claimant } satisfies Message);
      if (taken) bus.close();
    }
  };
  return () => bus.close();
}

/**
 * The confirmation page's side: offers the session to a popup waiting for its address; true when
 * one handed it to its widget.
 */
export function offerSession(session: Session): Promise<boolean> {
  const bus = channel();
  if (!bus) return Promise.resolve(false);
  const nonce = random();
  return new Promise((resolve) => {
    let chosen: string | null = null;
    let timer = setTimeout(() => finish(false), CLAIM_MS);
    function finish(taken: boolean) {
      clearTimeout(timer);
      bus!.close();
      resolve(taken);
    }
    bus.onmessage = (event: MessageEvent) => {
      const message = event.data as unknown;
      if (!isMessage(message) || message.nonce !== nonce) return;
      if (message.type === 'claim' && chosen === null) {
        chosen = message.claimant;
        clearTimeout(timer);
        timer = setTimeout(() => finish(false), TAKE_MS);
        bus.postMessage({ type: 'session', nonce, claimant: chosen, session } satisfies Message);
      } else if (
        (message.type === 'taken' || message.type === 'declined') &&
        message.claimant === chosen
      ) {
        finish(message.type === 'taken');
      }
    };
    bus.postMessage({ type: 'confirmed', nonce, email: session.user.email } satisfies Message);
  });
}

/** The secrets this browser keeps, by lowercased address. */
type Bindings = Record<string, { readonly secret: string; readonly until: number }>;

const normal = (email: string) => email.trim().toLowerCase();

function readBindings(): Bindings {
  try {
    const stored = JSON.parse(localStorage.getItem(BINDINGS) || '{}') as unknown;
    if (typeof stored !== 'object' || stored === null) return {};
    const fresh: Bindings = {};
    for (const [email, entry] of Object.entries(stored as Bindings)) {
      if (typeof entry?.secret === 'string' && entry.until > Date.now()) fresh[email] = entry;
    }
    return fresh;
  } catch {
    return {};
  }
}

function writeBindings(bindings: Bindings): void {
  try {
    const newest = Object.entries(bindings)
      .sort(([, a], [, b]) => b.until - a.until)
      .slice(0, MAX_BINDINGS);
    if (newest.length) localStorage.setItem(BINDINGS, JSON.stringify(Object.fromEntries(newest)));
    else localStorage.removeItem(BINDINGS);
  } catch {
    // Storage blocked: the confirmation confirms, and the reader logs in with the password.
  }
}

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/**
 * The sign-up's binding for `email`: keeps a secret for it here (the one already kept for that
 * address, while it is fresh, so that signing up twice does not lose the first) and answers its
 * SHA-256 in hex, to send with the sign-up. Null where the browser cannot keep or hash it
 * (storage blocked, a page not served over HTTPS): the sign-up then goes without one.
 */
export async function bindSignUp(email: string): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  try {
    const bindings = readBindings();
    const key = normal(email);
    const secret = bindings[key]?.secret ?? base64url(crypto.getRandomValues(new Uint8Array(32)));
    writeBindings({ ...bindings, [key]: { secret, until: Date.now() + BINDING_MS } });
    if (readBindings()[key]?.secret !== secret) return null;
    return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
  } catch {
    return null;
  }
}

/** The secrets this browser keeps from its sign-ups, newest first, to send with a confirmation. */
export function heldBindings(): string[] {
  return Object.values(readBindings())
    .sort((a, b) => b.until - a.until)
    .slice(0, MAX_BINDINGS)
    .map((entry) => entry.secret);
}

/** Forgets the secret of `email` (its confirmation spent it) and any that are stale. */
export function forgetBinding(email: string): void {
  const bindings = readBindings();
  delete bindings[normal(email)];
  writeBindings(bindings);
}

/** Removes stale secrets (any of Parley's pages does, on load). */
export function dropStale(): void {
  writeBindings(readBindings());
}
