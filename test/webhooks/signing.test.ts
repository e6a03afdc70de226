/**
 * Standard Webhooks signatures: the specification's published example signs to its published
 * signature; secrets have the spec's shape; verification refuses a changed body, id or timestamp,
 * a stale timestamp and a wrong secret, and accepts any one of several signatures; rotation keeps
 * the replaced secret for its overlap only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  generateSecret,
  liveSecrets,
  rotateSecrets,
  secretKey,
  sign,
  signedHeaders,
  verifyWebhook,
} from '../../src/webhooks/signing.ts';
import type { StoredSecret } from '../../src/store/webhooks.ts';
import { receiverVerifies } from '../helpers/webhook-receiver.ts';

// The example in the Standard Webhooks specification and its reference libraries' tests.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('webhook signatures (Standard Webhooks)', () => {
  it('signs the specification’s example to its published signature', () => {
    assert.equal(sign(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body), SPEC.signature);
    const headers = signedHeaders([SPEC.secret], SPEC.id, SPEC.timestamp, SPEC.body);
    const now = new Date(SPEC.timestamp * 1000 + 10_000);
    assert.deepEqual(verifyWebhook(SPEC.secret, headers, SPEC.body, { now }), { valid: true });
  });

  it('makes secrets of the specification’s shape', () => {
    const secret = generateSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.equal(secretKey(secret).byteLength, 32);
    assert.equal(secretKey(generateSecret(24)).byteLength, 24);
    assert.equal(secretKey(generateSecret(64)).byteLength, 64);
    assert.notEqual(generateSecret(), generateSecret());
    assert.throws(() => generateSecret(16), RangeError);
    assert.throws(() => secretKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), /whsec_/);
    assert.throws(() => secretKey('whsec_c2hvcnQ='), /24 to 64 bytes/);
  });

  it('refuses what was changed, stale or signed with another secret', () => {
    const secret = generateSecret();
    const now = new Date();
    const timestamp = Math.floor(now.getTime() / 1000);
    const body = '{"type":"comment.created","data":{"id":"1"}}';
    const headers = signedHeaders([secret], 'msg_1', timestamp, body);
    assert.equal(verifyWebhook(secret, headers, body, { now }).valid, true);
    assert.equal(verifyWebhook(secret, headers, body.replace('1', '2'), { now }).valid, false);
    assert.equal(
      verifyWebhook(secret, { ...headers, 'webhook-id': 'msg_2' }, body, { now }).valid,
      false,
    );
    assert.equal(
      verifyWebhook(secret, { ...headers, 'webhook-timestamp': String(timestamp + 1) }, body, {
        now,
      }).valid,
      false,
    );
    assert.deepEqual(
      verifyWebhook(secret, headers, body, { now: new Date(now.getTime() + 10 * 60_000) }),
      { valid: false, reason: 'timestamp outside the tolerance' },
    );
    assert.equal(verifyWebhook(generateSecret(), headers, body, { now }).valid, false);
    assert.deepEqual(verifyWebhook(secret, {}, body, { now }), {
      valid: false,
      reason: 'missing headers',
    });
    // The receivers' own check in the tests agrees.
    const webhook = {
      id: 'msg_1',
      timestamp: String(timestamp),
      signatures: headers['webhook-signature'].split(' '),
      body,
    };
    assert.equal(receiverVerifies(secret, webhook), true);
    assert.equal(receiverVerifies(generateSecret(), webhook), false);
  });

  it('carries one signature per secret, and any of them verifies', () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const now = new Date();
    const timestamp = Math.floor(now.getTime() / 1000);
    const headers = signedHeaders([current, previous], 'msg_x', timestamp, '{}');
    assert.equal(headers['webhook-signature'].split(' ').length, 2);
    assert.equal(verifyWebhook(current, headers, '{}', { now }).valid, true);
    assert.equal(verifyWebhook(previous, headers, '{}', { now }).valid, true);
    // Signatures of versions other than v1 are skipped, not errors.
    const mixed = { ...headers, 'webhook-signature': `v2,abc ${headers['webhook-signature']}` };
    assert.equal(verifyWebhook(previous, mixed, '{}', { now }).valid, true);
  });

  it('keeps a rotated secret for its overlap only', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const first: StoredSecret[] = [
      { secret: 'whsec_a', createdAt: start.toISOString(), expiresAt: null },
    ];
    const day = 24 * 3_600_000;
    const rotated = rotateSecrets(first, 'whsec_b', day, start);
    assert.deepEqual(
      rotated.map((s) => [s.secret, s.expiresAt]),
      [
        ['whsec_b', null],
        ['whsec_a', '2026-01-02T00:00:00.000Z'],
      ],
    );
    assert.equal(liveSecrets(rotated, new Date(start.getTime() + day - 1)).length, 2);
    assert.deepEqual(
      liveSecrets(rotated, new Date(start.getTime() + day)).map((s) => s.secret),
      ['whsec_b'],
    );
    // No overlap: the old secret stops at once.
    assert.deepEqual(
      rotateSecrets(first, 'whsec_c', 0, start).map((s) => s.secret),
      ['whsec_c'],
    );
    // Rotating again during an overlap keeps the earlier one's own expiry.
    const again = rotateSecrets(rotated, 'whsec_c', 2 * day, new Date(start.getTime() + 1000));
    assert.deepEqual(
      again.map((s) => [s.secret, s.expiresAt]),
      [
        ['whsec_c', null],
        ['whsec_b', '2026-01-03T00:00:01.000Z'],
        ['whsec_a', '2026-01-02T00:00:00.000Z'],
      ],
    );
  });
});
