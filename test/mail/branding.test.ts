/**
 * The branding API (GET/PUT /api/v1/admin/sites/:siteId/branding) on both engines: an admin reads
 * the defaults, sets every field (the colour normalised, the change in the audit log), clears one
 * and keeps the others; bad input (an http or javascript: logo, user information in an address,
 * a colour that is not #rrggbb, huge or multi-line or direction-overriding names, unknown fields)
 * answers 400 and changes nothing; moderators and readers get 403, strangers 401, an unknown site
 * 404. What is stored but unusable (written by hand) reads as not set.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readBranding } from '../../src/domain/branding.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const ENV = { PARLEY_WRITE_RATE_LIMIT: '10000', PARLEY_AUTH_RATE_LIMIT: '1000' };

for (const engine of await testEngines()) {
  describe(`site branding API (${engine})`, () => {
    let app: TestApp;
    let adminToken: string;
    let url: string;

    before(async () => {
      app = await createTestApp(engine, ENV);
      adminToken = await app.admin();
      url = `/api/v1/admin/sites/${app.site.id}/branding`;
    });
    after(async () => app.close());

    const put = (body: unknown, token = adminToken) =>
      app.request({ method: 'PUT', url, token, body });
    const stored = async () =>
      (
        await app.store.db
          .selectFrom('sites')
          .select('branding')
          .where('id', '=', app.site.id)
          .executeTakeFirstOrThrow()
      ).branding;

    it('reads the defaults, sets every field, clears one and keeps the rest', async () => {
      const empty = await app.request({ method: 'GET', url, token: adminToken });
      assert.equal(empty.status, 200, empty.text);
      assert.deepEqual(empty.json, {
        siteName: 'Test News',
        branding: {
          logoUrl: null,
          accentColor: null,
          guidelinesUrl: null,
          senderName: null,
          signoff: null,
        },
      });

      const set = await put({
        logoUrl: 'https://news.example/brand/logo.png',
        accentColor: '#B5121B',
        guidelinesUrl: 'https://news.example/community',
        senderName: '  Test News Comments ',
        signoff: 'The Test News community desk',
      });
      assert.equal(set.status, 200, set.text);
      const expected = {
        logoUrl: 'https://news.example/brand/logo.png',
        accentColor: '#b5121b',
        guidelinesUrl: 'https://news.example/community',
        senderName: 'Test News Comments',
        signoff: 'The Test News community desk',
      };
      assert.deepEqual(set.json.branding, expected);
      const read = await app.request({ method: 'GET', url, token: adminToken });
      assert.deepEqual(read.json.branding, expected);

      const audit = await app.store.db
        .selectFrom('moderation_actions')
        .select(['action', 'after'])
        .where('action', '=', 'site.branding')
        .where('site_id', '=', app.site.id)
        .execute();
      assert.equal(audit.length, 1);
      assert.deepEqual(JSON.parse(audit[0]?.after ?? '{}'), expected);

      const cleared = await put({ accentColor: null, signoff: '' });
      assert.equal(cleared.status, 200, cleared.text);
      assert.deepEqual(cleared.json.branding, { ...expected, accentColor: null, signoff: null });
      assert.deepEqual(JSON.parse(await stored()), {
        logoUrl: expected.logoUrl,
        guidelinesUrl: expected.guidelinesUrl,
        senderName: expected.senderName,
      });
    });

    it('refuses bad input with a 400 and changes nothing', async () => {
      const before = await stored();
      const bad: Array<[string, unknown]> = [
        ['an http logo', { logoUrl: 'http://news.example/logo.png' }],
        ['a javascript: logo', { logoUrl: 'javascript:alert(1)' }],
        ['a data: logo', { logoUrl: 'data:image/png;base64,AAAA' }],
        ['a relative logo', { logoUrl: '/logo.png' }],
        ['credentials in an address', { guidelinesUrl: 'https://user:pw@news.example/rules' }],
        ['an http guidelines page', { guidelinesUrl: 'http://news.example/rules' }],
        ['a named colour', { accentColor: 'red' }],
        ['a short colour', { accentColor: '#12345' }],
        ['a colour with alpha', { accentColor: '#1234567' }],
        ['markup as a colour', { accentColor: '#12"><x' }],
        ['a huge logo address', { logoUrl: `https://news.example/${'a'.repeat(5000)}` }],
        ['a huge sender name', { senderName: 'N'.repeat(10_000) }],
        ['a sender name over its limit', { senderName: 'N'.repeat(81) }],
        ['a huge sign-off', { signoff: 'S'.repeat(20_000) }],
        ['a sign-off over its limit', { signoff: 'S'.repeat(201) }],
        ['a line break in the sender name', { senderName: 'Desk\r\nBcc: x@evil.example' }],
        ['a bidi override in the sign-off', { signoff: 'The \u202Ekcatta\u202C desk' }],
        ['a control character', { senderName: 'Desk\u0007' }],
        ['an unknown field', { logo: 'https://news.example/logo.png' }],
        ['a number', { accentColor: 123456 }],
        ['not an object', ['#123456']],
      ];
      for (const [label, body] of bad) {
        const response = await put(body);
        assert.equal(response.status, 400, `${label}: ${response.text}`);
        assert.ok(response.json?.error?.code, label);
      }
      assert.equal(await stored(), before);
    });

    it('is for admins only', async () => {
      const before = await stored();
      const reader = await app.signup('Branding reader');
      const moderator = await app.signup('Branding moderator');
      await app.store.db
        .updateTable('users')
        .set({ role: 'moderator' })
        .where('id', '=', moderator.id)
        .execute();
      for (const [label, token, status] of [
        ['moderator', moderator.token, 403],
        ['reader', reader.token, 403],
        ['stranger', undefined, 401],
      ] as const) {
        const read = await app.request({ method: 'GET', url, ...(token && { token }) });
        assert.equal(read.status, status, `${label} GET: ${read.text}`);
        const write = await app.request({
          method: 'PUT',
          url,
          ...(token && { token }),
          body: { senderName: 'Taken over' },
        });
        assert.equal(write.status, status, `${label} PUT: ${write.text}`);
      }
      assert.equal(await stored(), before);
      const missing = await app.request({
        method: 'GET',
        url: '/api/v1/admin/sites/01J00000000000000000000000/branding',
        token: adminToken,
      });
      assert.equal(missing.status, 404, missing.text);
      assert.equal(missing.json.error.code, 'SITE_NOT_FOUND');
    });
  });
}

describe('stored branding', () => {
  it('reads anything unusable as not set', () => {
    assert.deepEqual(
      readBranding(
        JSON.stringify({
          logoUrl: 'http://news.example/logo.png',
          accentColor: 'blue',
          guidelinesUrl: 42,
          senderName: 'Desk\nBcc: x',
          signoff: '  Yours, the desk  ',
        }),
      ),
      {
        logoUrl: null,
        accentColor: null,
        guidelinesUrl: null,
        senderName: null,
        signoff: 'Yours, the desk',
      },
    );
    assert.deepEqual(readBranding('not json'), readBranding('{}'));
  });
});
