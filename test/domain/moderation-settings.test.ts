/** Stored moderation settings: defaults fill gaps, and values of the wrong kind fall back. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_MODERATION_SETTINGS,
  readModerationSettings,
} from '../../src/domain/moderation/settings.ts';

describe('readModerationSettings', () => {
  it('gives the defaults for empty, broken or non-object JSON', () => {
    for (const stored of ['{}', '', 'not json', '[]', 'null', '42', undefined]) {
      assert.deepEqual(readModerationSettings(stored), DEFAULT_MODERATION_SETTINGS, String(stored));
    }
  });

  it('keeps valid values and replaces invalid ones key by key', () => {
    const settings = readModerationSettings(
      JSON.stringify({
        premoderateAll: true,
        premoderateNewCommenters: -3,
        maxLength: 800,
        links: { holdLinks: true, denyDomains: ['spam.example', 7] },
        classifier: { hold: 0.6, reject: 2 },
        wordList: [{ term: 'idiot', strength: 'banned' }],
        external: { url: 'https://mod.example/check', secret: 's3cret', timeoutMs: 1500 },
      }),
    );
    assert.equal(settings.premoderateAll, true);
    assert.equal(settings.premoderateNewCommenters, 0, 'a negative count falls back');
    assert.equal(settings.maxLength, 800);
    assert.equal(settings.links.holdLinks, true);
    assert.deepEqual(settings.links.denyDomains, [], 'a list with a non-string falls back');
    assert.deepEqual(settings.classifier, { hold: 0.6, reject: 0.97 });
    assert.deepEqual(settings.wordList, [{ term: 'idiot', strength: 'banned' }]);
    assert.deepEqual(settings.external, {
      url: 'https://mod.example/check',
      secret: 's3cret',
      timeoutMs: 1500,
    });
  });

  it('drops a word list with an unknown strength and an external service without a secret', () => {
    const settings = readModerationSettings({
      wordList: [{ term: 'x', strength: 'maybe' }],
      external: { url: 'https://mod.example' },
    });
    assert.deepEqual(settings.wordList, []);
    assert.equal(settings.external, null);
  });
});
