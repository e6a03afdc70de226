/**
 * Accounts of readers who sign in through someone else: a publisher's SSO or an OpenID Connect
 * provider (docs/identity.md). The identity (`sso:<siteId>` or `oidc:<siteId>`, subject) finds the
 * account, creating it on first sight; the profile the provider gives (address, name, avatar,
 * badges, role) is applied on every sign-in, in one transaction.
 *
 * Linking: when a new identity comes with an address that another account already has, the two
 * become one only if both sides vouch for the address (the account's is verified, and so is the
 * provider's) and the account holds no moderation rights, since a publisher's keys must not open a
 * Parley admin's or moderator's account. Otherwise the address is taken (409 EMAIL_TAKEN).
 */
import { DISPLAY_NAME_MAX } from '../domain/display-name.ts';
import { ParleyError } from '../domain/errors.ts';
import { checkText } from '../domain/text.ts';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../store/constraints.ts';
import type { Store } from '../store/db.ts';
import { spendEmailTokens } from '../store/email-tokens.ts';
import {
  findIdentityUser,
  insertExternalUser,
  listIdentityProviders,
  insertIdentity,
  updateExternalProfile,
  type ExternalProfilePatch,
} from '../store/identities.ts';
import { insertAction } from '../store/audit.ts';
import { identityOf, type User } from '../store/rows.ts';
import type { Database } from '../store/schema.ts';
import { claimImportedProfiles, findUserByEmail } from '../store/users.ts';

type Db = Kysely<Database>;

const MAX_BADGES = 10;
const BADGE_MAX = 30;
const AVATAR_URL_MAX = 2000;

/** The `role` a provider may claim: moderator only where the site trusts it, admin never. */
export type RoleClaim = 'commenter' | 'staff' | 'moderator';

export interface ExternalProfile {
  /** `sso:<siteId>` or `oidc:<siteId>`. */
  provider: string;
  subject: string;
  /** Lower-cased, checked (normaliseEmail). */
  email: string;
  /** The provider vouches for the address (always for SSO; `email_verified` for OIDC). */
  emailVerified: boolean;
  displayName: string;
  /** Undefined: leave as it is (OIDC gives no badges). */
  avatarUrl?: string | null;
  badges?: string[];
  /** Undefined: the account keeps its role. */
  role?: RoleClaim;
}

export interface SignInContext {
  siteId: string;
  /** The site applies a `moderator` role claim (scoped to itself). */
  trustRoles: boolean;
}

// --- Cleaning what providers send ------------------------------------------------------------

// One plain address as HTML's <input type=email> takes it (the sign-up form's rule too): no
// display name, quotes, commas or angle brackets, which a mailer would read as a list of recipients.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// With the `u` flag a well-formed pair is one code point, so this matches only lone halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * A provider's identifier (`sub`, `jti`), or null when it is not 1 to 255 characters of
 * well-formed text without control characters (PostgreSQL cannot store a NUL, and an identifier
 * is compared, never shown).
 */
export function cleanIdentifier(raw: unknown): string | null {
  return typeof raw === 'string' &&
    raw.length > 0 &&
    raw.length <= 255 &&
    !LONE_SURROGATE.test(raw) &&
    !CONTROL.test(raw)
    ? raw
    : null;
}

/** The address lower-cased, or null when it is not one. */
export function normaliseEmail(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const email = raw.trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : null;
}

/** A display name as Parley shows it (cut to 50 characters), or null when it is not acceptable. */
export function cleanDisplayName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  try {
    const name = checkText(raw, { field: 'name', maxLength: 500, multiline: false });
    return [...name].slice(0, DISPLAY_NAME_MAX).join('').trim() || null;
  } catch {
    return null;
  }
}

/** An http(s) picture address, or null (anything else is dropped, never shown). */
export function cleanAvatarUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > AVATAR_URL_MAX) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Short labels, at most ten; entries that are not acceptable text are dropped. */
export function cleanBadges(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const badges: string[] = [];
  for (const value of raw) {
    if (typeof value !== 'string') continue;
    try {
      const badge = checkText(value, { field: 'badge', maxLength: BADGE_MAX, multiline: false });
      if (!badges.includes(badge)) badges.push(badge);
    } catch {
      // dropped
    }
    if (badges.length === MAX_BADGES) break;
  }
  return badges;
}

export function readRoleClaim(raw: unknown): RoleClaim | undefined {
  return raw === 'commenter' || raw === 'staff' || raw === 'moderator' ? raw : undefined;
}

// --- Roles ---------------------------------------------------------------------------------

type RoleState = Pick<User, 'role' | 'moderatorSiteIds'>;

/**
 * The role after a provider's claim. Admins are never changed. `moderator` (trusted sites only)
 * adds this site to a moderator's sites; `staff` or `commenter` sets the role, except that a
 * moderator stays one: a trusting site takes back only its own site, and an untrusting site's
 * claim does not touch moderation rights Parley's admins gave.
 */
export function roleAfterClaim(
  current: RoleState,
  claim: RoleClaim | undefined,
  context: SignInContext,
): RoleState {
  if (claim === undefined || current.role === 'admin') return current;
  const { siteId, trustRoles } = context;
  if (claim === 'moderator') {
    if (!trustRoles) return current;
    if (current.role !== 'moderator') return { role: 'moderator', moderatorSiteIds: [siteId] };
    const sites = current.moderatorSiteIds;
    if (sites === null || sites.includes(siteId)) return current;
    return { role: 'moderator', moderatorSiteIds: [...sites, siteId] };
  }
  if (current.role !== 'moderator') return { role: claim, moderatorSiteIds: null };
  const sites = current.moderatorSiteIds;
  if (!trustRoles || sites === null || !sites.includes(siteId)) return current;
  const remaining = sites.filter((id) => id !== siteId);
  return remaining.length > 0
    ? { role: 'moderator', moderatorSiteIds: remaining }
    : { role: claim, moderatorSiteIds: null };
}

const sameRole = (a: RoleState, b: RoleState) =>
  a.role === b.role && JSON.stringify(a.moderatorSiteIds) === JSON.stringify(b.moderatorSiteIds);

// --- Signing in ----------------------------------------------------------------------------

type EmailTakenReason =
  'unverified-account' | 'unverified-provider' | 'privileged' | 'other-site' | 'changed' | 'race';

/**
 * Why an account holding the address may not be linked to a new identity (undefined: it may).
 * `holderProviders`: the sign-ins the account already has. An account that signs in through
 * another site's publisher or provider is never linked: on an installation shared by several
 * publishers, one of them (or a leaked key) must not reach another's readers by their address.
 */
function linkRefusal(
  holder: User,
  holderProviders: string[],
  profile: ExternalProfile,
): EmailTakenReason | undefined {
  // First, so that someone who only claims an address learns nothing about its account (whether
  // it is a moderator's, or confirmed); the address's owner may be told why.
  if (!profile.emailVerified) return 'unverified-provider';
  if (holder.role === 'admin' || holder.role === 'moderator') return 'privileged';
  if (holder.emailVerifiedAt === null || holder.deletedAt !== null) return 'unverified-account';
  const site = siteOfProvider(profile.provider);
  if (holderProviders.some((provider) => siteOfProvider(provider) !== site)) return 'other-site';
  return undefined;
}

/** `sso:<siteId>` and `oidc:<siteId>` → the site id. */
const siteOfProvider = (provider: string) => provider.slice(provider.indexOf(':') + 1);

/** Finds or creates the account for this identity and applies the provider's profile. */
export async function signInExternal(
  store: Store,
  profile: ExternalProfile,
  context: SignInContext,
): Promise<{ user: User; created: boolean }> {
  try {
    return await store.transact(async (trx) => {
      let user = await findIdentityUser(trx, profile.provider, profile.subject);
      let created = false;
      if (!user) {
        ({ user, created } = await attachIdentity(trx, profile));
      }
      const updated = await applyProfile(trx, user, profile, context);
      if (updated.emailVerifiedAt) await claimImportedProfiles(trx, updated.id, updated.email);
      // As the viewer sees it: signed in through this provider (local if it also has a password).
      return {
        user: { ...updated, identity: identityOf(updated.passwordHash, profile.provider) },
        created,
      };
    });
  } catch (error) {
    // Another account took the new address between the check and the write (PostgreSQL).
    if (isUniqueViolation(error)) throw emailTaken(profile.email, 'race');
    throw error;
  }
}

/** A new identity: a new account, or an existing one it may be linked to. */
async function attachIdentity(
  trx: Db,
  profile: ExternalProfile,
): Promise<{ user: User; created: boolean }> {
  const verifiedAt = profile.emailVerified ? new Date().toISOString() : null;
  let user = await insertExternalUser(trx, {
    email: profile.email,
    displayName: profile.displayName,
    role: 'commenter',
    emailVerifiedAt: verifiedAt,
    avatarUrl: profile.avatarUrl ?? null,
    badges: profile.badges ?? [],
  });
  const created = user !== undefined;
  if (!user) {
    const holder = await findUserByEmail(trx, profile.email);
    if (!holder) throw emailTaken(profile.email, 'race');
    const refusal = linkRefusal(holder, await listIdentityProviders(trx, holder.id), profile);
    if (refusal) throw emailTaken(profile.email, refusal);
    user = holder;
  }
  const linked = await insertIdentity(trx, {
    provider: profile.provider,
    subject: profile.subject,
    userId: user.id,
  });
  if (!linked) {
    // A simultaneous first sign-in with the same identity got there first: use its account.
    const winner = await findIdentityUser(trx, profile.provider, profile.subject);
    if (!winner) throw emailTaken(profile.email, 'race');
    return { user: winner, created: false };
  }
  return { user, created };
}

/** Applies the provider's profile (what differs) and role claim; audits a role change. */
async function applyProfile(
  trx: Db,
  user: User,
  profile: ExternalProfile,
  context: SignInContext,
): Promise<User> {
  const patch: ExternalProfilePatch = {};
  if (profile.email !== user.email) {
    const holder = await findUserByEmail(trx, profile.email);
    if (holder && holder.id !== user.id) throw emailTaken(profile.email, 'changed');
    patch.email = profile.email;
    patch.emailVerifiedAt = profile.emailVerified ? new Date().toISOString() : null;
    // Links mailed to the old address must not confirm the new one (a verify or reset link marks
    // the account's address, whatever it is by then, as confirmed).
    await spendEmailTokens(trx, user.id, ['verify', 'reset', 'change-email']);
  } else if (profile.emailVerified && user.emailVerifiedAt === null) {
    patch.emailVerifiedAt = new Date().toISOString();
  }
  if (profile.displayName !== user.displayName) patch.displayName = profile.displayName;
  if (profile.avatarUrl !== undefined && profile.avatarUrl !== user.avatarUrl) {
    patch.avatarUrl = profile.avatarUrl;
  }
  if (profile.badges !== undefined && !sameList(profile.badges, user.badges)) {
    patch.badges = profile.badges;
  }
  const before: RoleState = { role: user.role, moderatorSiteIds: user.moderatorSiteIds };
  const after = roleAfterClaim(before, profile.role, context);
  const roleChanged = !sameRole(before, after);
  if (roleChanged) {
    patch.role = after.role;
    patch.moderatorSiteIds = after.moderatorSiteIds;
    await insertAction(trx, {
      actorId: null,
      action: 'user.role',
      siteId: context.siteId,
      commentId: null,
      userId: user.id,
      reason: `Role given by ${profile.provider}`,
      before,
      after,
      undoable: false,
    });
  }
  if (Object.keys(patch).length === 0) return user;
  return updateExternalProfile(trx, user.id, patch);
}

const sameList = (a: string[], b: string[]) =>
  a.length === b.length && a.every((value, i) => value === b[i]);

const EMAIL_TAKEN_MESSAGES: Record<EmailTakenReason, string> = {
  'unverified-account':
    'Another Parley account uses this address but has not confirmed it. Confirm it from that ' +
    'account (the link in its welcome mail), then sign in here again to link the two.',
  'unverified-provider':
    'Another Parley account uses this address, and your provider has not verified it, so the ' +
    'two cannot be linked. Sign in to that account with its password.',
  privileged:
    'This address belongs to a Parley moderator or admin account, which is never linked to a ' +
    'sign-in from elsewhere. Sign in to it with its password.',
  'other-site':
    'Another Parley account uses this address and signs in through another site, so the two ' +
    'are not linked. Ask the site to give you another address.',
  changed:
    'Your address changed to one that another Parley account already uses. Sign in to that ' +
    'account, or ask the site to give you another address.',
  race: 'Another Parley account took this address at the same moment; try again.',
};

function emailTaken(email: string, reason: EmailTakenReason): ParleyError {
  return new ParleyError('EMAIL_TAKEN', `${email}: ${EMAIL_TAKEN_MESSAGES[reason]}`);
}
