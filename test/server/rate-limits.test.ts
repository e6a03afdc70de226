/**
 * Write limits hold per account and, more widely, per address: many accounts from one IP cannot
 * multiply the per-account allowance without bound.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.ts';

describe('write rate limits per address', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp('sqlite', {
      PARLEY_WRITE_RATE_LIMIT: '2',
      PARLEY_AUTH_RATE_LIMIT: '100',
    });
  });
  after(async () => app.close());

  it('refuses the eleventh comment a minute from one address across six accounts', async () => {
    const story = await app.story();
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<TestApp['post']>> | undefined;
    for (let account = 0; account < 6; account++) {
      const { token } = await app.signup(`Sock ${account}`);
      for (let i = 0; i < 2; i++) {
        const response = await app.post(story, token, `comment ${account}.${i}`);
        statuses.push(response.status);
        if (response.status === 429) refused ??= response;
      }
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(201));
    assert.equal(statuses[10], 429);
    assert.equal(refused?.json.error.code, 'RATE_LIMITED');
    assert.ok(Number(refused?.headers['retry-after']) > 0);
    const page = await app.request({
      method: 'GET',
      url: `/api/v1/stories/${story}/comments?limit=50`,
    });
    assert.equal(page.json.story.commentCount, 10, 'the refused comment was not stored');
  });
});

describe('write rate limits behind a reverse proxy (PARLEY_TRUST_PROXY=1)', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp('sqlite', {
      PARLEY_WRITE_RATE_LIMIT: '2',
      PARLEY_AUTH_RATE_LIMIT: '100',
      PARLEY_TRUST_PROXY: '1',
    });
  });
  after(async () => app.close());

  const postFrom = (story: string, token: string, forwardedFor: string, body: string) =>
    app.request({
      method: 'POST',
      url: `/api/v1/stories/${story}/comments`,
      token,
      body: { body },
      headers: { 'x-forwarded-for': forwardedFor },
    });

  it('limits the address the proxy saw, whatever the client claims before it', async () => {
    const story = await app.story();
    const statuses: number[] = [];
    for (let account = 0; account < 6; account++) {
      const { token } = await app.signup(`Proxy sock ${account}`);
      for (let i = 0; i < 2; i++) {
        // The client forges a fresh address each time; the proxy appends the one it saw.
        const forged = `10.0.${account}.${i}, 203.0.113.7`;
        statuses.push((await postFrom(story, token, forged, `comment ${account}.${i}`)).status);
      }
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(201));
    assert.equal(statuses[10], 429);
  });

  it('gives each real client address its own allowance', async () => {
    const story = await app.story();
    for (let account = 0; account < 6; account++) {
      const { token } = await app.signup(`Reader ${account}`);
      const response = await postFrom(story, token, `198.51.100.${account}`, 'hello');
      assert.equal(response.status, 201);
    }
  });
});
