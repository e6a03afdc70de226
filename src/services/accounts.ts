/**
 * Local accounts (docs/identity.md, "Local accounts" and "Sessions"): sign-up with a mailed
 * verification link, sign-in with a backoff against guessing, refresh-token rotation, signing
 * out (one session, every one, or a user by a moderator), password reset and change, address
 * change, profile changes, and acknowledging a moderator's warning.
 *
 * Answers never tell whether an address has an account: sign-up and "forgot password" answer the
 * same either way (the mail differs, and only the address's owner reads it), and a wrong password
 * costs the same Argon2 verification as an unknown address. Mail is queued in the transaction of
 * the change that causes it, so a link is never sent for a change that did not commit.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { mailAddressState } from '../store/notifications.ts';
import { ParleyError } from '../domain/errors.ts';
import { checkDisplayName } from '../domain/display-name.ts';
import type { InterfaceLanguage as Locale } from '../domain/vocabulary.ts';
import { queueMail } from '../mail/outbox.ts';
import { decoyPasswordHash, hashPassword, verifyPassword } from '../credentials/passwords.ts';
import {
  mintSessionTokens,
  newToken,
  tokenDigest,
  TOKEN_FORMAT,
  type IssuedSession,
} from '../credentials/tokens.ts';
import {
  blockUntil,
  claimAttempt,
  clearThrottle,
  countFailure,
  throttleWaitMs,
} from '../store/auth-throttle.ts';
import { isUniqueViolation } from '../store/constraints.ts';
import type { Store } from '../store/db.ts';
import {
  insertEmailToken,
  mailedSince,
  spendEmailTokens,
  takeEmailToken,
  takeUserToken,
} from '../store/email-tokens.ts';
import { identityOf, type User } from '../store/rows.ts';
import type { Database, EmailTokenPurpose } from '../store/schema.ts';
import {
  acknowledgeWarning,
  findUserByEmail,
  getUser,
  insertUser,
  markEmailVerified,
  renameUser,
  revokeSession,
  revokeSessionById,
  revokeUserSessions,
  rotateRefreshToken,
  setConfirmedEmail,
  setLocale,
  setPasswordHash,
} from '../store/users.ts';
import { reaches, type Moderator } from './moderation-actions.ts';
import { issueSession, type ClientContext } from './sessions.ts';

type Db = Kysely<Database>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type MailedPurpose = Exclude<EmailTokenPurpose, 'sign-up'>;

/** How long a mailed link works, and the page of Parley's that it opens. */
const LINKS: Record<MailedPurpose, { lifetimeMs: number; path: string }> = {
  verify: { lifetimeMs: 48 * HOUR, path: '/account/verify' },
  reset: { lifetimeMs: 30 * MINUTE, path: '/account/reset' },
  'change-email': { lifetimeMs: 24 * HOUR, path: '/account/email' },
};

/** The same mail to the same account at most this often, whoever fills in the form. */
const MAIL_INTERVAL_MS = MINUTE;
/** "You already have an account" reaches an inbox at most this often. */
const SIGNUP_EXISTING_INTERVAL_MS = 10 * MINUTE;

export const DISPLAY_NAME_INTERVAL_MS = 30 * DAY;

/** Sign-in backoff (docs/identity.md, "Brute force"). */
export const BACKOFF = {
  accountFailures: 5,
  ipFailures: 20,
  firstWaitMs: 1000,
  maxWaitMs: 15 * MINUTE,
  /** Failures older than this are forgotten. */
  windowMs: DAY,
};

/** How long the `failures`-th failure blocks a key that allows `allowed`: 1 s, doubling, 15 min at most. */
const backoffMs = (failures: number, allowed: number): number =>
  Math.min(BACKOFF.firstWaitMs * 2 ** (failures - allowed), BACKOFF.maxWaitMs);

/** Addresses are compared lower-cased and trimmed. */
export const lowerEmail = (email: string): string => email.trim().toLowerCase();

/** The backoff key of an address: a hash, so the table does not list who tried to sign in. */
export const accountThrottleKey = (email: string): string =>
  `account:${tokenDigest(lowerEmail(email))}`;
export const ipThrottleKey = (ip: string): string => `ip:${ip}`;

/** A refusal that says when to try again (the route sends it as Retry-After). */
export class RetryLaterError extends ParleyError {
  constructor(
    code: 'TOO_MANY_ATTEMPTS' | 'DISPLAY_NAME_RECENTLY_CHANGED',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}

const invalidToken = () =>
  new ParleyError('INVALID_TOKEN', 'This link is not valid any more; ask for a new one.');

export interface AccountsOptions {
  store: Store;
  publicUrl: string;
  /** The user's sessions were revoked or their account changed: forget what is cached of them. */
  forgetUser: (userId: string) => void;
  /** One access token stopped working (refresh rotated it, or its session was revoked). */
  forgetToken: (tokenHash: string) => void;
  /** Sessions of the user were revoked: close what they hold open (live streams). */
  sessionsEnded: (userId: string) => void;
}

/**
 * The site an account action happened for (the sign-in popup or the account page knew it): its
 * mail carries the site's brand, and the mailed link brings the site (and the article the reader
 * came from, already checked against the site's origins) back to the page it opens.
 */
export interface ForSite {
  siteId: string;
  /** The article to offer a way back to (src/domain/article-link.ts); only with sign-up. */
  article?: string | null;
}

/**
 * A confirmed address, and the session opened when the confirmation was the account's first (its
 * sign-up's) and came from the browser that signed up (one of `bindings` matched the sign-up's);
 * null otherwise.
 */
export interface Verified {
  user: User;
  session: IssuedSession | null;
}

/** What the browser's sign-up binding hash is stored as: tied to the account, so never shared. */
const bindingDigest = (userId: string, bindingHash: string): string =>
  tokenDigest(`sign-up:${userId}:${bindingHash}`);

/** Whether one of the secrets is the binding stored as `stored` (each compared in constant time). */
function bindingMatches(userId: string, stored: string, secrets: readonly string[]): boolean {
  const expected = Buffer.from(stored, 'utf8');
  let matched = false;
  for (const secret of secrets) {
    const given = Buffer.from(bindingDigest(userId, tokenDigest(secret)), 'utf8');
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched;
}

export class Accounts {
  private readonly store: Store;
  private readonly db: Db;

  constructor(private readonly options: AccountsOptions) {
    this.store = options.store;
    this.db = options.store.db;
  }

  // Sign-up and verification -----------------------------------------------------------------

  /** Creates an unverified account and mails its link; a known address gets a reminder instead. */
  async signup(
    input: {
      displayName: string;
      email: string;
      password: string;
      locale?: Locale | undefined;
      /** SHA-256 (hex) of the secret the signing-up browser keeps; see verifyEmail. */
      binding?: string | undefined;
    },
    site?: ForSite,
  ): Promise<void> {
    const displayName = checkDisplayName(input.displayName);
    const email = lowerEmail(input.email);
    // Hashed for a known address too: both answers take the same time.
    const passwordHash = await hashPassword(input.password);
    await this.store.transact(async (trx) => {
      const user = await insertUser(trx, {
        email,
        displayName,
        passwordHash,
        role: 'commenter',
        emailVerified: false,
        locale: input.locale ?? null,
      });
      if (user) {
        if (input.binding) {
          await insertEmailToken(trx, {
            userId: user.id,
            purpose: 'sign-up',
            tokenHash: bindingDigest(user.id, input.binding),
            expiresAt: new Date(Date.now() + LINKS.verify.lifetimeMs),
          });
        }
        await this.mailLink(trx, user, 'verify', email, null, site);
        return;
      }
      const existing = await findUserByEmail(trx, email);
      if (!existing || existing.deletedAt !== null) return;
      const since = new Date(Date.now() - SIGNUP_EXISTING_INTERVAL_MS);
      if (await mailedSince(trx, existing.id, 'signup-existing', since)) return;
      await queueMail(trx, {
        userId: existing.id,
        to: existing.email,
        template: 'signup-existing',
        locale: existing.locale ?? input.locale ?? null,
        siteId: site?.siteId ?? null,
        params: {
          name: existing.displayName,
          loginLink: `${this.options.publicUrl}/account`,
          resetLink: `${this.options.publicUrl}/account/reset`,
        },
      });
    });
  }

  /**
   * Confirms the address with the mailed link's token. A session is opened only for the sign-up's
   * own confirmation (the account had never been confirmed, and is not being deleted; not a
   * confirmation again after a bounce) sent with the secret the signing-up browser kept
   * (`bindings`: those the confirming browser holds), so that the link alone never signs anyone
   * in: a link followed in another browser (or one an attacker who signed up with someone else's
   * address, or who mails their own link, hands over) confirms the address and opens nothing.
   * The binding is spent by the first confirmation.
   */
  async verifyEmail(
    token: string,
    bindings: readonly string[],
    client: ClientContext,
  ): Promise<Verified> {
    const { userId, firstConfirmation, bound } = await this.takeToken(
      'verify',
      token,
      async (trx, taken) => {
        const before = await getUser(trx, taken.userId);
        if (!before) throw invalidToken();
        await markEmailVerified(trx, taken.userId);
        const first = before.emailVerifiedAt === null && before.deletedAt === null;
        const stored = first ? await takeUserToken(trx, taken.userId, 'sign-up') : undefined;
        return {
          userId: taken.userId,
          firstConfirmation: first,
          bound: stored !== undefined && bindingMatches(taken.userId, stored, bindings),
        };
      },
    );
    const user = await this.changed(userId);
    if (!firstConfirmation || user.deletedAt !== null || !bound) return { user, session: null };
    return { user, session: await this.openSession(user, client) };
  }

  /** Mails the verification link again (at most once a minute), unless the address is confirmed. */
  async resendVerification(user: User, site?: ForSite): Promise<void> {
    // A confirmed address that has since refused mail (a hard bounce) is confirmed again the
    // same way: the link proves the mailbox works once more, and mail to it resumes.
    if (user.emailVerifiedAt !== null && !(await mailAddressState(this.db, user.id)).bounced) {
      return;
    }
    await this.store.transact(async (trx) => {
      const since = new Date(Date.now() - MAIL_INTERVAL_MS);
      if (await mailedSince(trx, user.id, 'verify', since)) return;
      await this.mailLink(trx, user, 'verify', user.email, null, site);
    });
  }

  // Sign-in ----------------------------------------------------------------------------------

  /**
   * Opens a session for the account with this address and password; refused while the backoff
   * holds the address.
   */
  async login(
    input: { email: string; password: string },
    client: ClientContext,
  ): Promise<IssuedSession & { user: User }> {
    const email = lowerEmail(input.email);
    const user = await this.checkPassword(email, client.ip, input.password, () =>
      findUserByEmail(this.db, email),
    );
    if (!user) {
      throw new ParleyError('INVALID_CREDENTIALS', 'The email or password is not right.');
    }
    return { ...(await this.openSession(user, client)), user };
  }

  /** A new session for a user who proved who they are with a password (or its sign-up link). */
  private openSession(user: User, client: ClientContext): Promise<IssuedSession> {
    return issueSession(this.store, user.id, { method: 'password', ...client });
  }

  /**
   * Checks a password under the backoff: refused at once while the address's key is blocked; the
   * attempt is counted for the address before the password is checked (concurrent guesses are
   * counted one by one, and only those before the block are checked) and for the client when it
   * fails; a right password clears the address's count. An account without a password is checked
   * against a decoy hash, like an unknown address.
   *
   * A blocked client is refused only on addresses that have failures of their own: on any other
   * it gets one check, against that address's own count. A guesser behind an address many share
   * (an office's NAT, a carrier's, a proxy) thus never keeps the others from signing in, and still
   * gets no second guess at any account while blocked. Known and unknown addresses are treated
   * alike, so the answers tell nothing of which have accounts.
   */
  private async checkPassword(
    email: string,
    ip: string,
    password: string,
    account: () => Promise<User | undefined>,
  ): Promise<User | undefined> {
    const accountKey = accountThrottleKey(email);
    const ipKey = ipThrottleKey(ip);
    const clientWaitMs = await throttleWaitMs(this.db, [ipKey]);
    const waitMs = await claimAttempt(this.db, accountKey, {
      allowed: BACKOFF.accountFailures,
      windowMs: BACKOFF.windowMs,
      waitMs: (failures) => backoffMs(failures, BACKOFF.accountFailures),
      ...(clientWaitMs > 0 && { failingWaitMs: clientWaitMs }),
    });
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new RetryLaterError(
        'TOO_MANY_ATTEMPTS',
        `Too many failed sign-ins; try again in ${seconds} s.`,
        seconds,
      );
    }
    const user = await account();
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
    if (!user || user.passwordHash === null || user.deletedAt !== null || !ok) {
      await this.countFailure(ipKey, BACKOFF.ipFailures);
      return undefined;
    }
    await clearThrottle(this.db, accountKey);
    return user;
  }

  /** After `allowed` failures, each further one blocks the key twice as long as the last. */
  private async countFailure(key: string, allowed: number): Promise<void> {
    const now = new Date();
    const failures = await countFailure(this.db, key, BACKOFF.windowMs, now);
    if (failures < allowed) return;
    await blockUntil(this.db, key, new Date(now.getTime() + backoffMs(failures, allowed)));
  }

  /** Trades a refresh token for a new session (rotation; a used token revokes the session). */
  async refresh(refreshToken: string): Promise<IssuedSession & { user: User }> {
    const refused = () =>
      new ParleyError('INVALID_REFRESH_TOKEN', 'Your session has expired; log in again.');
    if (!TOKEN_FORMAT.test(refreshToken)) throw refused();
    const { issued, stored } = mintSessionTokens();
    const result = await rotateRefreshToken(this.db, {
      refreshHash: tokenDigest(refreshToken),
      newTokenHash: stored.tokenHash,
      expiresAt: stored.expiresAt,
      newRefreshHash: stored.refreshHash,
      refreshExpiresAt: stored.refreshExpiresAt,
    });
    if (result.outcome === 'invalid') throw refused();
    if (result.outcome === 'raced') {
      throw new ParleyError(
        'REFRESH_TOKEN_RACED',
        'This session was renewed a moment ago (in another tab?): use the newest tokens.',
      );
    }
    if (result.outcome === 'reused') {
      this.options.forgetToken(result.tokenHash);
      throw new ParleyError(
        'REFRESH_TOKEN_REUSED',
        'This sign-in was used from somewhere else, so it has been ended; log in again.',
      );
    }
    this.options.forgetToken(result.oldTokenHash);
    const user = await getUser(this.db, result.userId);
    if (!user || user.deletedAt !== null) throw refused();
    return { ...issued, user };
  }

  // Signing out ------------------------------------------------------------------------------

  /** Ends the session of this access token (the one a request came with). */
  async logout(tokenHash: string): Promise<void> {
    await revokeSession(this.db, tokenHash);
    this.options.forgetToken(tokenHash);
  }

  /** Ends one of the user's own sessions (from the sessions list); NOT_FOUND if none is open. */
  async revokeSession(user: User, sessionId: string): Promise<void> {
    const tokenHash = await revokeSessionById(this.db, user.id, sessionId);
    if (!tokenHash) throw new ParleyError('NOT_FOUND', 'You have no such open session.');
    this.options.forgetToken(tokenHash);
    // Streams are held per user: the others reconnect, the revoked one is refused.
    this.options.sessionsEnded(user.id);
  }

  /** Ends every session of the user, the asking one included. Returns how many were open. */
  async logoutEverywhere(userId: string): Promise<number> {
    const revoked = await revokeUserSessions(this.db, userId);
    this.options.forgetUser(userId);
    this.options.sessionsEnded(userId);
    return revoked;
  }

  /**
   * A moderator signs a user out everywhere: an admin anyone, a moderator only the readers they
   * reach (moderation-actions.ts) and never a moderator or an admin. Returns how many ended.
   */
  async logoutUserEverywhere(moderator: Moderator, userId: string): Promise<number> {
    const target = await getUser(this.db, userId);
    if (!target || !(await reaches(this.db, moderator, target.id))) {
      throw new ParleyError('USER_NOT_FOUND', 'That user does not exist.');
    }
    if (
      (target.role === 'admin' || target.role === 'moderator') &&
      moderator.user.role !== 'admin'
    ) {
      throw new ParleyError('FORBIDDEN', 'Only admins may act on moderators and admins.');
    }
    return this.logoutEverywhere(target.id);
  }

  // Passwords --------------------------------------------------------------------------------

  /** Mails a reset link to the account with this address, if there is one with a password. */
  async forgotPassword(emailInput: string, site?: ForSite): Promise<void> {
    const user = await findUserByEmail(this.db, lowerEmail(emailInput));
    // Accounts that sign in through SSO or OIDC only get no password this way. An account with
    // neither a password nor a provider (restored from an archive, which carries no password
    // hashes: docs/export.md) sets its first one with the link.
    if (!user || user.identity !== 'local' || user.deletedAt !== null) return;
    await this.store.transact(async (trx) => {
      const since = new Date(Date.now() - MAIL_INTERVAL_MS);
      if (await mailedSince(trx, user.id, 'reset', since)) return;
      await this.mailLink(trx, user, 'reset', user.email, null, site);
    });
  }

  /**
   * Sets a new password from a reset link: every session ends (whoever had the old password is
   * out), the backoff on the address is lifted, and the address counts as confirmed (the link
   * reached it).
   */
  async resetPassword(token: string, password: string): Promise<User> {
    if (!TOKEN_FORMAT.test(token)) throw invalidToken();
    const passwordHash = await hashPassword(password);
    const userId = await this.takeToken('reset', token, async (trx, taken) => {
      const user = await getUser(trx, taken.userId);
      if (!user || user.deletedAt !== null) throw invalidToken();
      await setPasswordHash(trx, user.id, passwordHash);
      await markEmailVerified(trx, user.id);
      await revokeUserSessions(trx, user.id);
      await spendEmailTokens(trx, user.id, ['reset']);
      await clearThrottle(trx, accountThrottleKey(user.email));
      return user.id;
    });
    this.options.sessionsEnded(userId);
    return this.changed(userId);
  }

  /** Changes the password of a signed-in account; its other sessions end. */
  async changePassword(
    user: User,
    input: {
      currentPassword: string;
      newPassword: string;
      ip: string;
      keepTokenHash: string | null;
    },
  ): Promise<void> {
    await this.requirePassword(user, input.currentPassword, input.ip);
    const passwordHash = await hashPassword(input.newPassword);
    await this.store.transact(async (trx) => {
      await setPasswordHash(trx, user.id, passwordHash);
      await revokeUserSessions(trx, user.id, { exceptTokenHash: input.keepTokenHash });
      await spendEmailTokens(trx, user.id, ['reset']);
    });
    this.options.forgetUser(user.id);
    this.options.sessionsEnded(user.id);
  }

  private async requirePassword(user: User, password: string, ip: string): Promise<void> {
    const fresh = () => getUser(this.db, user.id);
    if (!(await this.checkPassword(user.email, ip, password, fresh))) {
      throw new ParleyError('INVALID_CREDENTIALS', 'The password is not right.');
    }
  }

  // Address change ---------------------------------------------------------------------------

  /**
   * Mails a confirmation link to the new address. An address that already has an account gets
   * nothing, and the answer is the same (no enumeration through this form either).
   */
  async requestEmailChange(
    user: User,
    input: { email: string; password: string; ip: string },
    site?: ForSite,
  ): Promise<void> {
    await this.requirePassword(user, input.password, input.ip);
    const email = lowerEmail(input.email);
    if (email === user.email) {
      throw new ParleyError('VALIDATION_FAILED', 'That is already your address.');
    }
    await this.store.transact(async (trx) => {
      if (await findUserByEmail(trx, email)) return;
      await this.mailLink(trx, user, 'change-email', email, email, site);
    });
  }

  /** Makes the confirmed address the account's; the old address is told (under the site's brand). */
  async confirmEmailChange(token: string, site?: ForSite): Promise<User> {
    let userId: string;
    try {
      userId = await this.takeToken('change-email', token, async (trx, taken) => {
        const user = await getUser(trx, taken.userId);
        if (!user || user.deletedAt !== null || !taken.newEmail) throw invalidToken();
        if (await findUserByEmail(trx, taken.newEmail)) throw emailTaken();
        await setConfirmedEmail(trx, user.id, taken.newEmail);
        // Links mailed to the old address (or for another new one) vouch for nothing now.
        await spendEmailTokens(trx, user.id, ['verify', 'reset', 'change-email']);
        await queueMail(trx, {
          userId: user.id,
          to: user.email,
          template: 'email-changed',
          locale: user.locale,
          siteId: site?.siteId ?? null,
          params: { name: user.displayName, newEmail: taken.newEmail },
        });
        return user.id;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
    return this.changed(userId);
  }

  // Profile ----------------------------------------------------------------------------------

  /**
   * Changes the display name (at most once in 30 days; the first change after sign-up is free)
   * and the interface language. An SSO or OIDC account's name comes from its provider.
   */
  async updateProfile(
    viewer: User,
    patch: { displayName?: string | undefined; locale?: Locale | undefined },
  ): Promise<User> {
    if (patch.displayName !== undefined) {
      const name = checkDisplayName(patch.displayName);
      if (name !== viewer.displayName) await this.rename(viewer, name);
    }
    if (patch.locale !== undefined && patch.locale !== viewer.locale) {
      await setLocale(this.db, viewer.id, patch.locale);
    }
    return this.changed(viewer.id);
  }

  private async rename(viewer: User, name: string): Promise<void> {
    const identity = viewer.identity ?? identityOf(viewer.passwordHash, null);
    if (identity !== 'local') {
      throw new ParleyError('FORBIDDEN', 'Your name comes from the site you signed in with.');
    }
    const now = Date.now();
    if (await renameUser(this.db, viewer.id, name, new Date(now - DISPLAY_NAME_INTERVAL_MS))) {
      return;
    }
    const changedAt = (await getUser(this.db, viewer.id))?.displayNameChangedAt;
    const retryAt = new Date((changedAt ? Date.parse(changedAt) : now) + DISPLAY_NAME_INTERVAL_MS);
    throw new RetryLaterError(
      'DISPLAY_NAME_RECENTLY_CHANGED',
      `You changed your name recently; you can change it again after ${retryAt.toISOString()}.`,
      Math.max(1, Math.ceil((retryAt.getTime() - now) / 1000)),
    );
  }

  // A moderator's warning --------------------------------------------------------------------

  /**
   * The viewer acknowledges the moderator's warning, so that they may post again. Idempotent:
   * without a warning to acknowledge it changes nothing. Returns the account as it is now.
   */
  async acknowledgeWarning(viewer: User): Promise<User> {
    if (!(await acknowledgeWarning(this.db, viewer.id))) return viewer;
    this.options.forgetUser(viewer.id);
    return (await getUser(this.db, viewer.id)) ?? viewer;
  }

  // Helpers ----------------------------------------------------------------------------------

  /**
   * Writes a single-use link for the account and queues the mail carrying it (in `trx`); for a
   * site, under its brand, with the site (and the article) in the link for the page it opens.
   */
  private async mailLink(
    trx: Db,
    user: User,
    purpose: MailedPurpose,
    to: string,
    newEmail: string | null = null,
    site?: ForSite,
  ): Promise<void> {
    const token = newToken();
    const link = LINKS[purpose];
    const query = new URLSearchParams({ token });
    if (site) query.set('siteId', site.siteId);
    if (site?.article) query.set('article', site.article);
    await insertEmailToken(trx, {
      userId: user.id,
      purpose,
      tokenHash: tokenDigest(token),
      newEmail,
      expiresAt: new Date(Date.now() + link.lifetimeMs),
    });
    await queueMail(trx, {
      userId: user.id,
      to,
      template: purpose,
      locale: user.locale,
      siteId: site?.siteId ?? null,
      params: {
        name: user.displayName,
        link: `${this.options.publicUrl}${link.path}?${query}`,
      },
    });
  }

  /** Uses a mailed token and applies what it allows, in one transaction (a refusal spends nothing). */
  private async takeToken<T>(
    purpose: EmailTokenPurpose,
    token: string,
    apply: (trx: Db, taken: { userId: string; newEmail: string | null }) => Promise<T>,
  ): Promise<T> {
    if (!TOKEN_FORMAT.test(token)) throw invalidToken();
    return this.store.transact(async (trx) => {
      const taken = await takeEmailToken(trx, purpose, tokenDigest(token));
      if (!taken) throw invalidToken();
      return apply(trx, taken);
    });
  }

  /** The account as it is now, its cached sessions forgotten (it changed). */
  private async changed(userId: string): Promise<User> {
    this.options.forgetUser(userId);
    const user = await getUser(this.db, userId);
    if (!user) throw invalidToken();
    return user;
  }
}

const emailTaken = () => new ParleyError('EMAIL_TAKEN', 'Another account has this address now.');
