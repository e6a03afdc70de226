/**
 * Signing in where the reader signed up (docs/identity.md, "Local accounts"). Following the mailed
 * link opens the confirmation page in a new tab (or another browser); confirming the address there
 * opens a session (POST /auth/verify-email), and this module carries it back:
 *
 * - to the sign-in popup still waiting for that address in the same browser, over a
 *   BroadcastChannel of Parley's origin: the page announces the address, the first popup waiting
 *   for it claims it, the page sends the session to that popup alone, and the popup hands it to
 *   the widget that opened it (postMessage to the publisher's origin the server checked, as after
 *   a log-in) and says whether it could. So one widget gets the session, and only Parley's own
 *   pages ever see it;
 * - otherwise the page keeps it (signed in there), and also leaves it for a short while in
 *   Parley's origin's storage, bound to the site and the publisher's origin the reader signed up
 *   from: the next sign-in popup opened by that site's widget on that origin takes it (once) and
 *   signs the widget in without asking for the password again.
 */
import type { Session } from './api.js';

const CHANNEL = 'parley:sign-up';
/** How long the confirmation page waits for a popup to claim the session, then to take it. */
const CLAIM_MS = 1500;
const TAKE_MS = 4000;
const KEPT = 'parley:confirmed-session';
/** How long a session left for the next popup waits to be taken. */
const KEPT_MS = 15 * 60_000;

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

interface Kept {
  readonly siteId: string;
  readonly origin: string;
  readonly until: number;
  readonly session: Session;
}

/** Leaves the session for the next popup of this site on the publisher's origin. */
export function keepForLater(session: Session, siteId: string, origin: string): void {
  const kept: Kept = { siteId, origin, until: Date.now() + KEPT_MS, session };
  try {
    localStorage.setItem(KEPT, JSON.stringify(kept));
  } catch {
    // Storage blocked: the reader logs in with their password instead.
  }
}

/** Removes a left session that was never taken in time (any of Parley's pages does, on load). */
export function dropStale(): void {
  try {
    const stored = localStorage.getItem(KEPT);
    if (stored && !((JSON.parse(stored) as Partial<Kept>).until! > Date.now())) {
      localStorage.removeItem(KEPT);
    }
  } catch {
    // Unreadable storage holds nothing to drop.
  }
}

/**
 * The session left for a popup of this site and origin, taken once (removed as it is read); one
 * that is stale, or for another site or origin, is removed or left alone and never returned.
 */
export function takeKept(siteId: string, origin: string): Session | null {
  try {
    const stored = localStorage.getItem(KEPT);
    if (!stored) return null;
    const kept = JSON.parse(stored) as Partial<Kept>;
    const fresh = typeof kept.until === 'number' && kept.until > Date.now();
    if (!fresh) {
      localStorage.removeItem(KEPT);
      return null;
    }
    if (kept.siteId !== siteId || kept.origin !== origin || !kept.session) return null;
    localStorage.removeItem(KEPT);
    return kept.session;
  } catch {
    return null;
  }
}
