/**
 * The dashboard's site settings form (web/admin/src/state/settings-form.ts): only what changed is
 * sent, links and classifier key by key, the external service's secret only when typed, and
 * values outside the API's limits are caught with a sentence before anything is sent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SiteSettings } from '../../web/admin/src/api/types.ts';
import { buildPatch, formFrom } from '../../web/admin/src/state/settings-form.ts';

const site: SiteSettings = {
  id: 'site',
  name: 'Test News',
  editWindowSeconds: 900,
  maxDepth: 3,
  moderation: {
    commentingDisabled: false,
    closeAfterDays: 0,
    premoderateAll: false,
    premoderateNewCommenters: 0,
    minLength: 1,
    maxLength: 5000,
    links: { holdLinks: false, allowDomains: ['example.org'], denyDomains: [] },
    repeatWindowSeconds: 600,
    // Set outside what the form offers (a test site): kept as it is while untouched.
    maxPostsPerMinute: 100_000,
    classifier: { hold: 0.7, reject: 0.97 },
    wordList: [{ term: 'scumbag', strength: 'banned' }],
    external: null,
  },
};

describe('admin settings form', () => {
  it('sends nothing when nothing changed', () => {
    assert.deepEqual(buildPatch(site, formFrom(site)), {});
  });

  it('sends only the keys that changed, never the word list', () => {
    const form = {
      ...formFrom(site),
      editWindowSeconds: '600',
      premoderateNewCommenters: '3',
      allowDomains: 'example.org\nGov.UK\n\nexample.org',
      classifierHold: '0.6',
      closeAfterDays: '14',
    };
    assert.deepEqual(buildPatch(site, form), {
      editWindowSeconds: 600,
      moderation: {
        closeAfterDays: 14,
        premoderateNewCommenters: 3,
        links: { allowDomains: ['example.org', 'gov.uk'] },
        classifier: { hold: 0.6 },
      },
    });
  });

  it('says what is wrong instead of sending it', () => {
    const form = formFrom(site);
    assert.match(String(buildPatch(site, { ...form, maxPostsPerMinute: '20000' })), /Posts per/);
    assert.match(String(buildPatch(site, { ...form, editWindowSeconds: '1.5' })), /whole number/);
    assert.match(String(buildPatch(site, { ...form, closeAfterDays: '-1' })), /Closing after/);
    assert.match(String(buildPatch(site, { ...form, classifierHold: '0.99' })), /not be above/);
    assert.match(String(buildPatch(site, { ...form, classifierReject: '2' })), /from 0 to 1/);
    assert.match(
      String(buildPatch(site, { ...form, denyDomains: 'example.org' })),
      /both the allow and the deny list/,
    );
    assert.match(
      String(buildPatch(site, { ...form, denyDomains: 'https://spam.example/x' })),
      /not a domain name/,
    );
  });

  it('sends the external service’s secret only when one is typed', () => {
    const on = { ...formFrom(site), externalOn: true, externalUrl: 'https://hook.example/p' };
    assert.match(String(buildPatch(site, on)), /needs a shared secret/);
    assert.match(String(buildPatch(site, { ...on, externalSecret: 'short' })), /16 to 200/);
    assert.match(String(buildPatch(site, { ...on, externalUrl: 'http://x' })), /https/);
    assert.deepEqual(buildPatch(site, { ...on, externalSecret: 'sixteen chars ok!' }), {
      moderation: {
        external: { url: 'https://hook.example/p', timeoutMs: 2000, secret: 'sixteen chars ok!' },
      },
    });

    const withService: SiteSettings = {
      ...site,
      moderation: {
        ...site.moderation,
        external: { url: 'https://hook.example/p', timeoutMs: 2000, secretSet: true },
      },
    };
    const kept = formFrom(withService);
    assert.equal(kept.externalSecret, '', 'the secret is never shown');
    assert.deepEqual(buildPatch(withService, kept), {}, 'the stored secret is kept');
    assert.deepEqual(buildPatch(withService, { ...kept, externalTimeoutMs: '500' }), {
      moderation: { external: { url: 'https://hook.example/p', timeoutMs: 500 } },
    });
    assert.deepEqual(buildPatch(withService, { ...kept, externalOn: false }), {
      moderation: { external: null },
    });
  });
});
