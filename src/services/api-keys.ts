/**
 * The analysis endpoint's API keys (Perspective's interface): an admin creates and revokes them,
 * each change with its audit entry in the same transaction; the endpoint counts each key's
 * requests and adds them to its totals every few seconds rather than once per request. A key is
 * shown once, when created; Parley keeps only its digest and a short prefix.
 */
import { ParleyError } from '../domain/errors.ts';
import { newApiKey, tokenDigest } from '../credentials/tokens.ts';
import {
  addApiKeyUsage,
  insertApiKey,
  revokeApiKey as revokeStoredKey,
  type ApiKey,
} from '../store/api-keys.ts';
import type { Store } from '../store/db.ts';
import { insertAction } from '../store/audit.ts';
import type { User } from '../store/rows.ts';

/** Requests per minute a key gets when its creator names no other rate. */
const DEFAULT_RATE_PER_MINUTE = 600;

/** What the audit log keeps to name a key (never its digest). */
const named = (key: ApiKey) => ({ id: key.id, name: key.name, prefix: key.prefix });

/** Creates a key for `admin`; the answer's `key` is the only time the key itself is shown. */
export async function createApiKey(
  store: Store,
  admin: User,
  input: { name: string; ratePerMinute?: number | undefined },
): Promise<{ key: string; apiKey: ApiKey }> {
  const key = newApiKey();
  const apiKey = await store.db.transaction().execute(async (trx) => {
    const created = await insertApiKey(trx, {
      name: input.name.trim(),
      prefix: key.slice(0, 10),
      keyHash: tokenDigest(key),
      ratePerMinute: input.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE,
      createdBy: admin.id,
    });
    await insertAction(trx, {
      actorId: admin.id,
      action: 'apikey.create',
      siteId: null,
      commentId: null,
      userId: null,
      reason: null,
      before: null,
      after: named(created),
      undoable: false,
    });
    return created;
  });
  return { key, apiKey };
}

/** Revokes a live key; NOT_FOUND when no live key has that id (unknown, or revoked already). */
export async function revokeApiKey(store: Store, admin: User, id: string): Promise<ApiKey> {
  const apiKey = await store.db.transaction().execute(async (trx) => {
    const revoked = await revokeStoredKey(trx, id);
    if (!revoked) return undefined;
    await insertAction(trx, {
      actorId: admin.id,
      action: 'apikey.revoke',
      siteId: null,
      commentId: null,
      userId: null,
      reason: null,
      before: named(revoked),
      after: { revokedAt: revoked.revokedAt },
      undoable: false,
    });
    return revoked;
  });
  if (!apiKey) throw new ParleyError('NOT_FOUND', 'No live API key has that id.');
  return apiKey;
}

/** Requests counted per key since the last flush, written to the keys' totals in one go. */
export class ApiKeyUsage {
  private counted = new Map<string, { requests: number; lastUsedAt: Date }>();

  constructor(private readonly store: Store) {}

  /** One more request made with this key, now. */
  count(keyId: string): void {
    const counted = this.counted.get(keyId);
    this.counted.set(keyId, { requests: (counted?.requests ?? 0) + 1, lastUsedAt: new Date() });
  }

  /** Adds what was counted to the stored totals (requests counted meanwhile wait for the next). */
  async flush(): Promise<void> {
    if (this.counted.size === 0) return;
    const batch = this.counted;
    this.counted = new Map();
    await addApiKeyUsage(this.store.db, batch);
  }
}
