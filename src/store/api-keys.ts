/** SQL for the analysis endpoint's API keys (hashes only) and their usage counts. */
import { sql, type Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import type { Database } from './schema.ts';
import { toIso } from './rows.ts';

type Db = Kysely<Database>;

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  ratePerMinute: number;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  requests: number;
}

const columns = [
  'id',
  'name',
  'prefix',
  'rate_per_minute',
  'created_at',
  'revoked_at',
  'last_used_at',
  'request_count',
] as const;

function keyFromRow(row: {
  id: string;
  name: string;
  prefix: string;
  rate_per_minute: number;
  created_at: string | Date;
  revoked_at: string | Date | null;
  last_used_at: string | Date | null;
  request_count: number;
}): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    ratePerMinute: row.rate_per_minute,
    createdAt: toIso(row.created_at),
    revokedAt: toIso(row.revoked_at),
    lastUsedAt: toIso(row.last_used_at),
    requests: Number(row.request_count),
  };
}

export async function insertApiKey(
  db: Db,
  key: { name: string; prefix: string; keyHash: string; ratePerMinute: number; createdBy: string },
): Promise<ApiKey> {
  const row = await db
    .insertInto('api_keys')
    .values({
      id: newId(),
      name: key.name,
      prefix: key.prefix,
      key_hash: key.keyHash,
      rate_per_minute: key.ratePerMinute,
      created_by: key.createdBy,
      created_at: new Date().toISOString(),
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return keyFromRow(row);
}

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db.selectFrom('api_keys').select(columns).orderBy('id', 'desc').execute();
  return rows.map(keyFromRow);
}

/** The live (not revoked) key with this hash. */
export async function findLiveApiKey(db: Db, keyHash: string): Promise<ApiKey | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(columns)
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && keyFromRow(row);
}

export async function revokeApiKey(db: Db, id: string): Promise<ApiKey | undefined> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning(columns)
    .executeTakeFirst();
  return row && keyFromRow(row);
}

/** Adds counted requests to each key's total (flushed in batches, not once per request). */
export async function addApiKeyUsage(
  db: Db,
  usage: Map<string, { requests: number; lastUsedAt: Date }>,
): Promise<void> {
  for (const [id, { requests, lastUsedAt }] of usage) {
    await db
      .updateTable('api_keys')
      .set({
        request_count: sql`request_count + ${requests}`,
        last_used_at: lastUsedAt.toISOString(),
      })
      .where('id', '=', id)
      .execute();
  }
}
