/**
 * The unsubscribe links' signing key and limits, on both engines: processes that create the key
 * at the same moment all end up with the one the database kept; a link signs its reader and kind
 * and nothing else; the stylesheet its page loads is same-origin (the page's policy allows no
 * other); and the routes are rate limited per client address.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  checkUnsubscribeLink,
  installationSecret,
  unsubscribeKey,
  unsubscribeToken,
  unsubscribeUrl,
} from '../../src/notify/unsubscribe.ts';
import { openStore } from '../../src/store/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

for (const engine of await testEngines()) {
  describe(`unsubscribe links (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp(engine, { PARLEY_READ_RATE_LIMIT: '5' });
    });
    after(async () => app.close());

    it('makes one key however many processes race to create it', async () => {
      const others = [openStore(app.config.database), openStore(app.config.database)];
      try {
        const keys = await Promise.all([
          installationSecret(app.store.db, 'race-test'),
          ...others.map((store) => installationSecret(store.db, 'race-test')),
          ...others.map((store) => installationSecret(store.db, 'race-test')),
        ]);
        assert.equal(keys[0]?.length, 32);
        for (const key of keys) assert.ok(key.equals(keys[0] as Buffer));
        const rows = await app.store.db
          .selectFrom('installation_secrets')
          .select('name')
          .where('name', '=', 'race-test')
          .execute();
        assert.equal(rows.length, 1);
        // The unsubscribe key is another, and stays the same.
        const key = await unsubscribeKey(app.store.db);
        assert.ok(!key.equals(keys[0] as Buffer));
        assert.ok((await unsubscribeKey(others[0]!.db)).equals(key));
      } finally {
        await Promise.all(others.map((store) => store.close()));
      }
    });

    it('signs the reader and the kind, and nothing else', async () => {
      const key = await unsubscribeKey(app.store.db);
      const user = '01J9ZZZZZZZZZZZZZZZZZZZZZZ';
      const url = new URL(unsubscribeUrl('https://comments.example', key, user, 'mention'));
      assert.equal(url.origin + url.pathname, 'https://comments.example/unsubscribe');
      const query = Object.fromEntries(url.searchParams);
      assert.deepEqual(checkUnsubscribeLink(key, query), { userId: user, kind: 'mention' });
      assert.equal(checkUnsubscribeLink(key, { ...query, kind: 'reply' }), null);
      assert.equal(
        checkUnsubscribeLink(key, { ...query, user: '01J9ZZZZZZZZZZZZZZZZZZZZZY' }),
        null,
      );
      assert.equal(checkUnsubscribeLink(Buffer.alloc(32, 1), query), null, 'another key');
      assert.equal(checkUnsubscribeLink(key, { ...query, token: ['a'] }), null);
      assert.notEqual(unsubscribeToken(key, user, 'reply'), unsubscribeToken(key, user, 'staff'));
    });

    it('serves its stylesheet and limits requests per address', async () => {
      const css = await app.request({ method: 'GET', url: '/unsubscribe/style.css', origin: null });
      assert.equal(css.status, 200);
      assert.match(String(css.headers['content-type']), /^text\/css/);
      let limited = 0;
      for (let i = 0; i < 8; i++) {
        const response = await app.request({
          method: 'POST',
          url: '/unsubscribe?user=x&kind=reply&token=y',
          origin: null,
          raw: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        if (response.status === 429) limited++;
        else assert.equal(response.status, 400, response.text);
      }
      assert.ok(limited >= 2, `${limited} refused`);
    });
  });
}
