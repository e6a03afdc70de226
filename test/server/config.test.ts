/**
 * Configuration from the environment: defaults, and clear refusals of values that would be unsafe
 * or meaningless.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('trusts no proxy by default', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ PARLEY_TRUST_PROXY: '0' }).trustProxy, false);
  });

  it('takes a hop count or a list of proxy addresses', () => {
    assert.equal(loadConfig({ PARLEY_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ PARLEY_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy, [
      '127.0.0.1',
      '10.0.0.0/8',
    ]);
  });

  it('refuses "trust everyone" and things that are not addresses', () => {
    assert.throws(() => loadConfig({ PARLEY_TRUST_PROXY: 'true' }), /hop count/);
    assert.throws(() => loadConfig({ PARLEY_TRUST_PROXY: 'nginx' }), /not an address/);
  });

  it('sizes the thread cache in megabytes', () => {
    assert.equal(loadConfig({}).threadCacheMaxBytes, 64 * 1024 * 1024);
    assert.equal(loadConfig({ PARLEY_THREAD_CACHE_MB: '8' }).threadCacheMaxBytes, 8 * 1024 * 1024);
    assert.throws(() => loadConfig({ PARLEY_THREAD_CACHE_MB: '0' }), /PARLEY_THREAD_CACHE_MB/);
  });
});
