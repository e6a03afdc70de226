/**
 * The dashboard's sign-in settings form (web/admin/src/state/sign-in-form.ts): secrets are sent
 * only when typed (left empty, the stored one is kept), switching SSO to a JWKS removes the secret,
 * an emptied provider is removed, and what the server would refuse is caught with a sentence.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SignInSettings } from '../../web/admin/src/api/types.ts';
import {
  buildSignInBody,
  signInFormChanged,
  signInFormFrom,
} from '../../web/admin/src/state/sign-in-form.ts';

const stored: SignInSettings = {
  methods: { local: true, sso: true, oidc: true },
  requireVerifiedEmail: true,
  deletedComments: 'anonymise',
  sso: {
    hasSecret: true,
    jwksUrl: null,
    issuer: null,
    trustRoles: false,
    maxTokenAgeSeconds: 3600,
  },
  oidc: {
    issuer: 'https://id.example',
    clientId: 'parley',
    hasClientSecret: true,
    label: 'Example ID',
    scopes: ['email', 'profile'],
  },
};

describe('sign-in settings form', () => {
  it('round-trips without sending the secrets it does not know', () => {
    const form = signInFormFrom(stored);
    assert.equal(signInFormChanged(form, stored), false);
    assert.deepEqual(buildSignInBody(form, stored), {
      methods: stored.methods,
      requireVerifiedEmail: true,
      deletedComments: 'anonymise',
      sso: { jwksUrl: null, issuer: null, trustRoles: false, maxTokenAgeSeconds: 3600 },
      oidc: {
        issuer: 'https://id.example',
        clientId: 'parley',
        label: 'Example ID',
        scopes: ['email', 'profile'],
      },
    });
  });

  it('sends a typed secret, and removes the secret when switching to a JWKS', () => {
    const form = { ...signInFormFrom(stored), ssoSecret: 'k'.repeat(32), oidcClientSecret: 'new' };
    const body = buildSignInBody(form, stored);
    assert.ok(typeof body !== 'string');
    assert.equal(body.sso?.secret, 'k'.repeat(32));
    assert.equal(body.oidc?.clientSecret, 'new');
    const jwks = buildSignInBody(
      { ...form, ssoKind: 'jwks', ssoJwksUrl: 'https://keys.example/jwks.json' },
      stored,
    );
    assert.ok(typeof jwks !== 'string');
    assert.deepEqual(
      [jwks.sso?.secret, jwks.sso?.jwksUrl],
      [null, 'https://keys.example/jwks.json'],
    );
  });

  it('removes a provider whose fields were emptied (when not offered)', () => {
    const form = { ...signInFormFrom(stored), oidc: false, oidcIssuer: '', oidcClientId: '' };
    const body = buildSignInBody(form, stored);
    assert.ok(typeof body !== 'string');
    assert.equal(body.oidc, null);
  });

  it('says what to fix', () => {
    const base = signInFormFrom(stored);
    const none = signInFormFrom({ ...stored, sso: null, oidc: null });
    const cases: Array<[string, ReturnType<typeof signInFormFrom>, SignInSettings, RegExp]> = [
      ['short secret', { ...base, ssoSecret: 'short' }, stored, /32 bytes/],
      ['no secret stored', { ...none, sso: true }, { ...stored, sso: null }, /shared secret/],
      [
        'plain http keys',
        { ...base, ssoKind: 'jwks', ssoJwksUrl: 'http://k.example' },
        stored,
        /https/,
      ],
      ['lifetime', { ...base, ssoMaxAge: '10' }, stored, /30 or more/],
      ['issuer', { ...base, oidcIssuer: 'id.example' }, stored, /https URL/],
      ['client id', { ...base, oidcClientId: ' ' }, stored, /client id/],
      ['label', { ...base, oidcLabel: 'x'.repeat(61) }, stored, /60/],
    ];
    for (const [label, form, settings, expected] of cases) {
      const result = buildSignInBody(form, settings);
      assert.equal(typeof result, 'string', label);
      assert.match(result as string, expected, label);
    }
  });
});
