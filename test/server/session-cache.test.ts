/**
 * The in-memory session cache (PARLEY_SESSION_CACHE_MS), on both engines: a signed-in user is
 * served from memory for the TTL, and every change made through this process — log-out, a ban and
 * its undo, a warning and its acknowledgement, a role — takes effect on the very next request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

for (const engine of await testEngines()) {
  describe(`session cache (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    before(async () => {
      app = await createTestApp(engine, { PARLEY_SESSION_CACHE_MS: '60000' });
      admin = await app.admin();
    });
    after(async () => app.close());

    const me = (token: string) => app.request({ method: 'GET', url: '/api/v1/auth/me', token });
    const adminCall = (method: 'POST' | 'PUT', url: string, body: unknown = {}) =>
      app.request({ method, url: `/api/v1/admin${url}`, token: admin, body });

    it('serves a signed-in user from memory within the TTL', async () => {
      const reader = await app.signup('Cached');
      assert.equal((await me(reader.token)).status, 200);
      // Removed behind Parley's back: this process keeps serving it until the TTL runs out.
      await app.store.db.deleteFrom('sessions').where('user_id', '=', reader.id).execute();
      assert.equal((await me(reader.token)).status, 200);
    });

    it('forgets a token at log-out', async () => {
      const reader = await app.signup('Leaving');
      assert.equal((await me(reader.token)).status, 200);
      const out = await app.request({
        method: 'POST',
        url: '/api/v1/auth/logout',
        token: reader.token,
      });
      assert.equal(out.status, 204);
      assert.equal((await me(reader.token)).status, 401);
    });

    it('applies bans, warnings and roles made through this process at once', async () => {
      const reader = await app.signup('Restricted');
      const story = await app.story();
      assert.equal((await app.post(story, reader.token, 'Before anything.')).status, 201);

      const ban = await adminCall('POST', `/users/${reader.id}/ban`, { reason: 'test' });
      assert.equal(ban.status, 200, ban.text);
      assert.equal((await app.post(story, reader.token, 'While banned.')).status, 403);
      const undo = await adminCall('POST', `/actions/${ban.json.action.id}/undo`);
      assert.equal(undo.status, 200, undo.text);
      assert.equal((await app.post(story, reader.token, 'After the undo.')).status, 201);

      assert.equal(
        (await adminCall('POST', `/users/${reader.id}/warn`, { message: 'Be civil.' })).status,
        200,
      );
      const warned = await app.post(story, reader.token, 'While warned.');
      assert.equal(warned.json.error.code, 'WARNING_UNACKNOWLEDGED');
      const ack = await app.request({
        method: 'POST',
        url: '/api/v1/auth/me/warning/acknowledge',
        token: reader.token,
      });
      assert.equal(ack.status, 200);
      assert.equal((await app.post(story, reader.token, 'Acknowledged.')).status, 201);

      assert.equal(
        (await app.request({ method: 'GET', url: '/api/v1/admin/me', token: reader.token })).status,
        403,
      );
      const role = await adminCall('PUT', `/users/${reader.id}/role`, { role: 'moderator' });
      assert.equal(role.status, 200, role.text);
      const asModerator = await app.request({
        method: 'GET',
        url: '/api/v1/admin/me',
        token: reader.token,
      });
      assert.equal(asModerator.status, 200);
      assert.equal(asModerator.json.user.role, 'moderator');
    });
  });
}
