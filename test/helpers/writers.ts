/**
 * Signed-in commenters made straight in a database, for suites that post through a real Parley
 * process under load: one session token per writer.
 */
import assert from 'node:assert/strict';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { issueSession } from '../../src/services/sessions.ts';
import type { Store } from '../../src/store/db.ts';
import { insertUser } from '../../src/store/users.ts';

export async function signedInWriters(
  store: Store,
  count: number,
  prefix: string,
  displayName = 'Reader',
): Promise<string[]> {
  const passwordHash = await hashPassword('a long enough password');
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = await insertUser(store.db, {
      email: `${prefix}${i}@example.com`,
      displayName: `${displayName} ${i}`,
      passwordHash,
      role: 'commenter',
    });
    assert.ok(user);
    tokens.push((await issueSession(store, user.id, { method: 'password' })).token);
  }
  return tokens;
}
