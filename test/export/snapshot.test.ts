/**
 * An export reads one snapshot, on both engines: rows written by another connection while it runs
 * are not in the archive (so it never holds a reaction to a comment it lacks), and the writer is
 * not blocked meanwhile.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportParley } from '../../src/export/ndjson.ts';
import { withSnapshot } from '../../src/export/snapshot.ts';
import { openStore } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestDatabase, testEngines } from '../helpers/engines.ts';
import { records } from './fixtures.ts';

for (const engine of await testEngines()) {
  describe(`an export's snapshot (${engine})`, () => {
    it('does not see what another connection writes meanwhile, nor block it', async () => {
      const database = await createTestDatabase(engine);
      const store = openStore(database.config);
      const writer = openStore(database.config);
      try {
        await migrate(store);
        await insertSite(store.db, {
          name: 'Snapshot',
          allowedOrigins: ['https://snap.example'],
          editWindowSeconds: 300,
          maxDepth: 3,
        });
        await insertUser(store.db, {
          email: 'before@snap.example',
          displayName: 'Before',
          passwordHash: null,
          role: 'commenter',
        });
        let text = '';
        let chunks = 0;
        await withSnapshot(store, (db) =>
          exportParley(store, {
            db,
            write: async (chunk) => {
              text += chunk;
              // After the sites were read (the snapshot is taken), before the users are.
              if (++chunks === 2) {
                const started = Date.now();
                await insertUser(writer.db, {
                  email: 'during@snap.example',
                  displayName: 'During',
                  passwordHash: null,
                  role: 'commenter',
                });
                assert.ok(Date.now() - started < 2000, 'the writer was not held up');
              }
            },
          }),
        );
        const users = records(text).filter((r) => r.type === 'user');
        assert.deepEqual(
          users.map((u) => u.email),
          ['before@snap.example'],
        );
        const end = records(text).at(-1) as { counts: { user: number } };
        assert.equal(end.counts.user, 1);
        const now = await store.db.selectFrom('users').select('email').execute();
        assert.equal(now.length, 2, 'the write was committed');
      } finally {
        await writer.close();
        await store.close();
        await database.drop();
      }
    });
  });
}
