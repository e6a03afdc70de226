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

  it('gives slow clients 10 s for headers and 30 s for a request, and caps connections per address', () => {
    const config = loadConfig({});
    assert.equal(config.headersTimeoutMs, 10_000);
    assert.equal(config.requestTimeoutMs, 30_000);
    assert.equal(config.keepAliveTimeoutMs, 5000);
    assert.equal(config.maxRequestsPerSocket, 1000);
    assert.equal(config.idleTimeoutMs, 60_000);
    assert.equal(config.maxConnectionsPerIp, 100);
    assert.equal(loadConfig({ PARLEY_REQUEST_TIMEOUT_MS: '0' }).requestTimeoutMs, 0);
  });

  it('refuses a request deadline before the headers’ and an idle timeout shorter than the live heartbeat', () => {
    assert.throws(
      () => loadConfig({ PARLEY_HEADERS_TIMEOUT_MS: '20000', PARLEY_REQUEST_TIMEOUT_MS: '5000' }),
      /PARLEY_REQUEST_TIMEOUT_MS/,
    );
    assert.throws(
      () => loadConfig({ PARLEY_HEADERS_TIMEOUT_MS: '0' }),
      /PARLEY_HEADERS_TIMEOUT_MS/,
    );
    assert.throws(() => loadConfig({ PARLEY_IDLE_TIMEOUT_MS: '10000' }), /PARLEY_IDLE_TIMEOUT_MS/);
    assert.equal(loadConfig({ PARLEY_IDLE_TIMEOUT_MS: '0' }).idleTimeoutMs, 0);
  });

  it('sizes the thread cache in megabytes', () => {
    assert.equal(loadConfig({}).threadCacheMaxBytes, 64 * 1024 * 1024);
    assert.equal(loadConfig({ PARLEY_THREAD_CACHE_MB: '8' }).threadCacheMaxBytes, 8 * 1024 * 1024);
    assert.throws(() => loadConfig({ PARLEY_THREAD_CACHE_MB: '0' }), /PARLEY_THREAD_CACHE_MB/);
  });
});
