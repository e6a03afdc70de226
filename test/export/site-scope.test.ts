/**
 * One site's archive (`--site`), on both engines: that site's rows and its people (who wrote,
 * reacted, reported or moderated there, and its moderators and admins), nothing of another site,
 * and it restores on its own.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { restoreParleyExport } from '../../src/export/restore.ts';
import { insertSite } from '../../src/store/sites.ts';
import { openStore } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, testEngines } from '../helpers/engines.ts';
import { exportText, records, tableCounts, tempDir } from './fixtures.ts';

const OTHER_ORIGIN = 'https://other.example';

for (const engine of await testEngines()) {
  describe(`one site's archive (${engine})`, () => {
    let app: TestApp;
    let otherSite: string;
    const people: Record<string, string> = {};
    let dir: string;

    before(async () => {
      dir = tempDir();
      app = await createTestApp(engine, { PARLEY_THREAD_CACHE_TTL_MS: '0' });
      const other = await insertSite(app.store.db, {
        name: 'Other Paper',
        allowedOrigins: [OTHER_ORIGIN],
        editWindowSeconds: 300,
        maxDepth: 3,
        moderation: { repeatWindowSeconds: 0, maxPostsPerMinute: 100_000 },
      });
      otherSite = other.id;
      await app.sites.refresh();
      const here = await app.signup('Here');
      const there = await app.signup('There');
      const reactor = await app.signup('Reactor');
      const mod = await app.signup('Scoped Here');
      const otherMod = await app.signup('Scoped There');
      Object.assign(people, {
        here: here.id,
        there: there.id,
        reactor: reactor.id,
        mod: mod.id,
        otherMod: otherMod.id,
      });
      for (const [id, site] of [
        [mod.id, app.site.id],
        [otherMod.id, otherSite],
      ] as const) {
        await app.store.db
          .updateTable('users')
          .set({ role: 'moderator', moderator_site_ids: JSON.stringify([site]) })
          .where('id', '=', id)
          .execute();
      }

      const story = await app.story('here-story');
      const posted = await app.post(story, here.token, 'On this site.');
      assert.equal(posted.status, 201, posted.text);
      const reacted = await app.request({
        method: 'PUT',
        url: `/api/v1/comments/${posted.json.comment.id}/reaction`,
        token: reactor.token,
      });
      assert.equal(reacted.status, 200, reacted.text);

      const resolved = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        origin: OTHER_ORIGIN,
        body: { url: `${OTHER_ORIGIN}/a`, storyId: 'other-story' },
      });
      assert.equal(resolved.status, 200, resolved.text);
      const elsewhere = await app.request({
        method: 'POST',
        url: `/api/v1/stories/${resolved.json.story.id}/comments`,
        origin: OTHER_ORIGIN,
        token: there.token,
        body: { body: 'On the other site.' },
      });
      assert.equal(elsewhere.status, 201, elsewhere.text);
    });
    after(async () => {
      await app?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("holds the site's rows and people, and nothing of the other site", async () => {
      const text = await exportText(app.store, app.site.id);
      const all = records(text);
      assert.equal(all[0]?.siteId, app.site.id);
      const ofType = (type: string) => all.filter((r) => r.type === type);
      assert.deepEqual(
        ofType('site').map((r) => r.id),
        [app.site.id],
      );
      assert.ok(ofType('story').every((r) => r.siteId === app.site.id));
      assert.ok(ofType('comment').every((r) => r.siteId === app.site.id));
      assert.equal(ofType('comment').length, 1);
      assert.equal(ofType('reaction').length, 1);
      const users = new Set(ofType('user').map((r) => r.id));
      assert.ok(users.has(people.here) && users.has(people.reactor) && users.has(people.mod));
      assert.ok(!users.has(people.there), 'who wrote only on the other site');
      assert.ok(!users.has(people.otherMod), "the other site's moderator");
      assert.ok(!text.includes(otherSite) && !text.includes('On the other site.'));
      assert.ok(ofType('moderation_action').every((r) => r.siteId === app.site.id));

      const file = path.join(dir, 'site.ndjson');
      fs.writeFileSync(file, text);
      const database = await createTestDatabase(engine);
      const store = openStore(database.config);
      try {
        await migrate(store);
        const report = await restoreParleyExport(store, file);
        assert.equal(report.archive.siteId, app.site.id);
        const counts = await tableCounts(store);
        assert.equal(counts.sites, 1);
        assert.equal(counts.comments, 1);
        assert.equal(counts.users, users.size);
      } finally {
        await store.close();
        await database.drop();
      }
    });
  });
}
