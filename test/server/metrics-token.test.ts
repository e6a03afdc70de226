/**
 * `/metrics` behind `PARLEY_METRICS_TOKEN`: with the token set, only `Authorization: Bearer
 * <token>` reads the metrics (anything else is a 401 JSON error, a reader's own session included);
 * without it, `/metrics` answers as before. The token does not get in the way of readers' sessions
 * on the API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

describe('/metrics with PARLEY_METRICS_TOKEN', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp('sqlite', { PARLEY_METRICS_TOKEN: TOKEN });
  });
  after(() => app.close());

  const metrics = (authorization?: string) =>
    app.request({
      method: 'GET',
      url: '/metrics',
      origin: null,
      ...(authorization !== undefined && { headers: { authorization } }),
    });

  it('serves the metrics to the bearer of the token', async () => {
    const response = await metrics(`Bearer ${TOKEN}`);
    assert.equal(response.status, 200, response.text);
    assert.match(response.text, /^# TYPE parley_http_request_duration_seconds histogram$/m);
  });

  for (const [label, authorization] of [
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer metrics-token-0123456789abcdeX'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token without "Bearer"', TOKEN],
    ['the token as Basic credentials', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`],
  ] as const) {
    it(`refuses ${label} with 401 and a JSON error`, async () => {
      const response = await metrics(authorization);
      assert.equal(response.status, 401);
      assert.equal(response.json.error.code, 'UNAUTHENTICATED');
      assert.match(String(response.headers['www-authenticate']), /^Bearer/);
      assert.doesNotMatch(response.text, /parley_/);
    });
  }

  it("refuses a reader's session token, and the token does not sign anyone in elsewhere", async () => {
    const reader = await app.signup('Reader');
    assert.equal((await metrics(`Bearer ${reader.token}`)).status, 401);
    const me = await app.request({ method: 'GET', url: '/api/v1/auth/me', token: reader.token });
    assert.equal(me.status, 200, me.text);
    const asToken = await app.request({ method: 'GET', url: '/api/v1/auth/me', token: TOKEN });
    assert.equal(asToken.status, 401);
  });
});

describe('/metrics without PARLEY_METRICS_TOKEN', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp('sqlite');
  });
  after(() => app.close());

  it('answers anyone, as before (the proxy keeps it from the public)', async () => {
    const response = await app.request({ method: 'GET', url: '/metrics', origin: null });
    assert.equal(response.status, 200);
    assert.match(response.text, /parley_http_request_duration_seconds/);
  });
});

describe('PARLEY_METRICS_TOKEN', () => {
  it('is unset by default, and refused when too short to resist guessing', () => {
    assert.equal(loadConfig({}).metricsToken, null);
    assert.equal(loadConfig({ PARLEY_METRICS_TOKEN: TOKEN }).metricsToken, TOKEN);
    assert.throws(() => loadConfig({ PARLEY_METRICS_TOKEN: 'short' }), /PARLEY_METRICS_TOKEN/);
  });
});
