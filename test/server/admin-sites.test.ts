/**
 * Sites as the dashboard's Sites view manages them (POST/GET/PATCH /api/v1/sites, GET/PUT
 * /api/v1/admin/sites/{id}/branding), on both engines: creation and changes of name and origins
 * are audit-logged with who made them; origins are checked with a message that says how to write
 * one; hostile names and origins are refused or returned as plain JSON text; only admins may.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/domain/ids.ts';
import { createTestApp, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const ENV = { PARLEY_AUTH_RATE_LIMIT: '1000', PARLEY_WRITE_RATE_LIMIT: '100000' };

function assertError(response: ApiResponse, status: number, code: string, label: string) {
  const context = `${label} → ${response.status} ${response.text.slice(0, 300)}`;
  assert.equal(response.status, status, context);
  assert.equal(response.json?.error?.code, code, context);
  assert.equal(typeof response.json?.error?.message, 'string', context);
}

for (const engine of await testEngines()) {
  describe(`sites in the dashboard (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    let adminId: string;
    let moderator: string;
    let siteId: string;

    const call = (
      method: 'GET' | 'POST' | 'PATCH' | 'PUT',
      url: string,
      token?: string,
      body?: unknown,
    ) =>
      app.request({
        method,
        url: `/api/v1${url}`,
        ...(token && { token }),
        ...(body !== undefined && { body }),
      });
    const auditOf = async (action: string) => {
      const response = await call('GET', `/admin/audit?action=${action}&siteId=${siteId}`, admin);
      assert.equal(response.status, 200, response.text);
      return response.json.entries;
    };

    before(async () => {
      app = await createTestApp(engine, ENV);
      admin = await app.admin();
      adminId = (await call('GET', '/auth/me', admin)).json.user.id;
      const mod = await app.signup('Moderator Mo');
      await app.store.db
        .updateTable('users')
        .set({ role: 'moderator' })
        .where('id', '=', mod.id)
        .execute();
      moderator = mod.token;
    });
    after(async () => app.close());

    it('creates a site and records who did', async () => {
      const created = await call('POST', '/sites', admin, {
        name: '  The Evening Post  ',
        allowedOrigins: ['https://www.evening.example', 'HTTPS://WWW.EVENING.EXAMPLE:443/'],
      });
      assert.equal(created.status, 201, created.text);
      siteId = created.json.site.id;
      assert.equal(created.json.site.name, 'The Evening Post');
      assert.deepEqual(created.json.site.allowedOrigins, ['https://www.evening.example']);
      const [entry] = await auditOf('site.create');
      assert.equal(entry.actor.id, adminId);
      assert.equal(entry.after.name, 'The Evening Post');
      const listed = await call('GET', '/sites', admin);
      assert.ok(listed.json.sites.some((site: { id: string }) => site.id === siteId));
    });

    it('changes origins, at once for the widget, and records before and after', async () => {
      const origins = ['https://www.evening.example', 'https://m.evening.example:8443'];
      const patched = await call('PATCH', `/sites/${siteId}`, admin, { allowedOrigins: origins });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.json.site.allowedOrigins, origins);
      const resolved = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        origin: 'https://m.evening.example:8443',
        body: { url: 'https://m.evening.example:8443/a', siteId },
      });
      assert.equal(resolved.status, 200, resolved.text);
      const [entry] = await auditOf('site.update');
      assert.equal(entry.actor.id, adminId);
      assert.deepEqual(entry.before, { allowedOrigins: ['https://www.evening.example'] });
      assert.deepEqual(entry.after, { allowedOrigins: origins });
    });

    it('refuses what is not an origin with a message that says how to write one', async () => {
      for (const bad of [
        'javascript:alert(1)',
        'https://www.evening.example/comments',
        'https://www.evening.example/?x=1',
        'https://user:pw@www.evening.example',
        'ftp://files.example',
        'www.evening.example',
        '<script>alert(1)</script>',
        'https://evil.example\u202E',
        ' ',
      ]) {
        const response = await call('PATCH', `/sites/${siteId}`, admin, { allowedOrigins: [bad] });
        assertError(response, 400, 'VALIDATION_FAILED', JSON.stringify(bad));
        assert.match(response.json.error.message, /origin/i);
      }
      const long = await call('PATCH', `/sites/${siteId}`, admin, {
        allowedOrigins: [`https://${'a'.repeat(400)}.example`],
      });
      assertError(long, 400, 'VALIDATION_FAILED', 'an over-long origin');
      const none = await call('PATCH', `/sites/${siteId}`, admin, { allowedOrigins: [] });
      assertError(none, 400, 'VALIDATION_FAILED', 'no origin at all');
      const many = await call('POST', '/sites', admin, {
        name: 'Too many',
        allowedOrigins: Array.from({ length: 51 }, (_, i) => `https://s${i}.example`),
      });
      assertError(many, 400, 'VALIDATION_FAILED', '51 origins');
      const site = (await call('GET', `/sites/${siteId}`, admin)).json.site;
      assert.equal(site.allowedOrigins.length, 2, 'nothing refused was stored');
    });

    it('keeps a hostile name as text, and refuses names that deceive', async () => {
      const hostile = '<img src=x onerror=alert(1)> "Post" & Co';
      const renamed = await call('PATCH', `/sites/${siteId}`, admin, { name: hostile });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.json.site.name, hostile);
      const brand = await call('GET', `/sites/${siteId}/brand`);
      assert.equal(brand.json.name, hostile);
      for (const [bad, code] of [
        ['Evil\u202Egnp.exe', 'INVALID_UNICODE'],
        ['Two\nlines', 'INVALID_UNICODE'],
        ['', 'VALIDATION_FAILED'],
        ['x'.repeat(201), 'VALIDATION_FAILED'],
      ] as const) {
        const response = await call('PATCH', `/sites/${siteId}`, admin, { name: bad });
        assertError(response, 400, code, JSON.stringify(bad.slice(0, 20)));
      }
      const unknownField = await call('PATCH', `/sites/${siteId}`, admin, { owner: 'me' });
      assertError(unknownField, 400, 'VALIDATION_FAILED', 'an unknown field');
    });

    it('sets branding for the site, shown in its public brand', async () => {
      const put = await call('PUT', `/admin/sites/${siteId}/branding`, admin, {
        logoUrl: 'https://www.evening.example/logo.svg',
        accentColor: '#AA3300',
        guidelinesUrl: 'https://www.evening.example/rules',
        senderName: 'Evening Post desk',
        signoff: 'The Evening Post team',
      });
      assert.equal(put.status, 200, put.text);
      const brand = await call('GET', `/sites/${siteId}/brand`);
      assert.equal(brand.json.logoUrl, 'https://www.evening.example/logo.svg');
      assert.equal(brand.json.accentColor, '#aa3300');
      const bad = await call('PUT', `/admin/sites/${siteId}/branding`, admin, {
        logoUrl: 'javascript:alert(1)',
      });
      assertError(bad, 400, 'VALIDATION_FAILED', 'a javascript: logo');
    });

    it('answers unknown and malformed ids with JSON errors', async () => {
      assertError(
        await call('PATCH', `/sites/${newId()}`, admin, { name: 'X' }),
        404,
        'SITE_NOT_FOUND',
        'unknown',
      );
      assertError(await call('GET', `/sites/${newId()}`, admin), 404, 'SITE_NOT_FOUND', 'unknown');
      const malformed = await call('PATCH', `/sites/not-an-id`, admin, { name: 'X' });
      assert.equal(malformed.status, 400, malformed.text);
    });

    it('lets only admins list, create or change sites', async () => {
      const attempts = [
        () => call('GET', '/sites', moderator),
        () => call('GET', `/sites/${siteId}`, moderator),
        () =>
          call('POST', '/sites', moderator, {
            name: 'Mine',
            allowedOrigins: ['https://m.example'],
          }),
        () =>
          call('PATCH', `/sites/${siteId}`, moderator, { allowedOrigins: ['https://m.example'] }),
        () => call('GET', `/admin/sites/${siteId}/branding`, moderator),
      ];
      for (const attempt of attempts) assertError(await attempt(), 403, 'FORBIDDEN', 'moderator');
      const anonymous = await call('POST', '/sites', undefined, {
        name: 'Mine',
        allowedOrigins: ['https://m.example'],
      });
      assert.equal(anonymous.status, 401, anonymous.text);
      const site = (await call('GET', `/sites/${siteId}`, admin)).json.site;
      assert.ok(!site.allowedOrigins.includes('https://m.example'), 'nothing refused was stored');
    });
  });
}
