/**
 * A site's sign-in settings, for admins (GET and PUT /admin/sites/:siteId/auth): which methods the
 * widget offers, the publisher's SSO keys (a shared secret or a JWKS URL), the OpenID Connect
 * provider, whether local accounts must confirm their address, and what becomes of a deleted
 * account's comments. Secrets are write only: the fields start empty and, left empty, keep them.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import type { SignInSettingsResponse } from '../api/types.js';
import {
  buildSignInBody,
  LABEL_MAX,
  MIN_SECRET_BYTES,
  signInFormChanged,
  signInFormFrom,
  type SignInForm,
} from '../state/sign-in-form.js';
import { useDashboard } from './context.js';
import { Section, SettingsActions } from './SettingsView.js';
import { OneSiteSelect, useOneSite } from './SiteSelect.js';

type TextKey = {
  [K in keyof SignInForm]: SignInForm[K] extends string ? K : never;
}[keyof SignInForm];
type FlagKey = {
  [K in keyof SignInForm]: SignInForm[K] extends boolean ? K : never;
}[keyof SignInForm];

export function SignInSettingsView() {
  const { api, me, announce, siteName } = useDashboard();
  const siteId = useOneSite();
  const [stored, setStored] = useState<SignInSettingsResponse | null>(null);
  const [form, setForm] = useState<SignInForm | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!siteId || me.user.role !== 'admin') return undefined;
    const controller = new AbortController();
    setStored(null);
    setForm(null);
    setError(null);
    setProblem(null);
    setSaved(null);
    api.signInSettings(siteId, controller.signal).then(
      (result) => {
        setStored(result);
        setForm(signInFormFrom(result.auth));
      },
      (failure: unknown) => {
        if (!isAbort(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [siteId]);

  if (me.user.role !== 'admin') {
    return (
      <div class="page">
        <h1 class="view-title">Sign-in</h1>
        <p class="notice">Only administrators manage how readers sign in.</p>
      </div>
    );
  }

  const changed = stored !== null && form !== null && signInFormChanged(form, stored.auth);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!siteId || !stored || !form || busy) return;
    const body = buildSignInBody(form, stored.auth);
    if (typeof body === 'string') {
      setProblem(body);
      return;
    }
    setBusy(true);
    setProblem(null);
    setSaved(null);
    try {
      const result = await api.updateSignInSettings(siteId, body);
      setStored(result);
      setForm(signInFormFrom(result.auth));
      const text = `Saved how readers sign in to ${siteName(siteId) ?? 'the site'}.`;
      setSaved(text);
      announce(text);
    } catch (failure) {
      setProblem(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const update = (next: Partial<SignInForm>) => {
    setSaved(null);
    setProblem(null);
    setForm((current) => (current ? { ...current, ...next } : current));
  };
  const flag = (key: FlagKey) => ({
    checked: form?.[key] ?? false,
    onChange: (event: Event) =>
      update({ [key]: (event.currentTarget as HTMLInputElement).checked }),
  });
  const text = (key: TextKey) => ({
    value: form?.[key] ?? '',
    onInput: (event: Event) => update({ [key]: (event.currentTarget as HTMLInputElement).value }),
  });
  const choice = <K extends 'ssoKind' | 'deletedComments'>(key: K, value: SignInForm[K]) => ({
    type: 'radio',
    name: key,
    checked: form?.[key] === value,
    onChange: () => update({ [key]: value } as Partial<SignInForm>),
  });

  const sso = stored?.auth.sso;
  const oidc = stored?.auth.oidc;

  return (
    <div class="page">
      <div class="page-head">
        <h1 class="view-title">Sign-in</h1>
        <div class="toolbar">
          <OneSiteSelect />
        </div>
      </div>
      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      {!siteId && <p class="empty">There is no site yet.</p>}
      {siteId && !form && !error && <p class="muted page-body">Loading…</p>}
      {stored && form && (
        <form class="page-body settings" noValidate onSubmit={save} aria-label="Sign-in settings">
          <fieldset class="settings-body" disabled={busy}>
            <Section title="Methods offered to readers" id="signin-methods">
              <label class="check">
                <input type="checkbox" {...flag('local')} />
                Email and password (Parley accounts)
              </label>
              <label class="check">
                <input type="checkbox" {...flag('requireVerifiedEmail')} disabled={!form.local} />
                Readers confirm their address before they post
              </label>
              <label class="check">
                <input type="checkbox" {...flag('sso')} />
                The publisher’s own accounts (SSO)
              </label>
              <label class="check">
                <input type="checkbox" {...flag('oidc')} />
                An OpenID Connect provider
              </label>
            </Section>

            <Section title="Publisher SSO" id="signin-sso">
              <p class="field-hint">
                The publisher’s page gives the widget a signed token (JWT) about its reader: sub,
                email, name, exp, iat and jti; avatar, badges and role if it wishes.
              </p>
              <div class="settings-choices" role="radiogroup" aria-label="How tokens are signed">
                <label class="check">
                  <input {...choice('ssoKind', 'secret')} />A shared secret (HS256)
                </label>
                <label class="check">
                  <input {...choice('ssoKind', 'jwks')} />
                  The publisher’s keys (RS256 or ES256, published as a JWKS)
                </label>
              </div>
              {form.ssoKind === 'secret' ? (
                <label class="field">
                  <span class="field-label">
                    Shared secret{' '}
                    {sso?.hasSecret ? (
                      <span class="badge badge-info">secret set</span>
                    ) : (
                      <span class="badge badge-caution">no secret</span>
                    )}
                  </span>
                  <input
                    type="password"
                    autocomplete="new-password"
                    spellcheck={false}
                    placeholder={
                      sso?.hasSecret
                        ? 'Leave empty to keep the stored secret'
                        : `${MIN_SECRET_BYTES} bytes or more`
                    }
                    {...text('ssoSecret')}
                  />
                  <span class="field-hint">Never shown again once saved.</span>
                </label>
              ) : (
                <label class="field">
                  <span class="field-label">JWKS address (https)</span>
                  <input
                    type="url"
                    inputMode="url"
                    spellcheck={false}
                    placeholder="https://accounts.example.com/.well-known/jwks.json"
                    {...text('ssoJwksUrl')}
                  />
                </label>
              )}
              <div class="settings-pair">
                <label class="field">
                  <span class="field-label">Issuer (optional)</span>
                  <input type="text" spellcheck={false} {...text('ssoIssuer')} />
                  <span class="field-hint">When set, a token’s iss must be exactly this.</span>
                </label>
                <label class="field">
                  <span class="field-label">Longest token lifetime</span>
                  <span class="input-unit">
                    <input type="number" min={30} max={86_400} step="1" {...text('ssoMaxAge')} />
                    <span class="unit">seconds</span>
                  </span>
                </label>
              </div>
              <label class="check">
                <input type="checkbox" {...flag('ssoTrustRoles')} />
                Trust the token’s role: “moderator” makes the reader a moderator of this site
              </label>
              <p class="field-hint">“staff” is always applied; “admin” never is.</p>
            </Section>

            <Section title="OpenID Connect provider" id="signin-oidc">
              <label class="field">
                <span class="field-label">Issuer URL</span>
                <input
                  type="url"
                  inputMode="url"
                  spellcheck={false}
                  placeholder="https://accounts.example.com"
                  {...text('oidcIssuer')}
                />
                <span class="field-hint">Its discovery document is read from there.</span>
              </label>
              <div class="settings-pair">
                <label class="field">
                  <span class="field-label">Client id</span>
                  <input type="text" spellcheck={false} {...text('oidcClientId')} />
                </label>
                <label class="field">
                  <span class="field-label">
                    Client secret{' '}
                    {oidc?.hasClientSecret && <span class="badge badge-info">secret set</span>}
                  </span>
                  <input
                    type="password"
                    autocomplete="new-password"
                    spellcheck={false}
                    placeholder={
                      oidc?.hasClientSecret ? 'Leave empty to keep the stored secret' : ''
                    }
                    {...text('oidcClientSecret')}
                  />
                  <span class="field-hint">Kept only while the issuer stays the same.</span>
                </label>
              </div>
              <div class="settings-pair">
                <label class="field">
                  <span class="field-label">Button label</span>
                  <input type="text" maxLength={LABEL_MAX} {...text('oidcLabel')} />
                  <span class="field-hint">“Sign in with …”; the provider’s host if empty.</span>
                </label>
                <label class="field">
                  <span class="field-label">Scopes besides openid</span>
                  <input type="text" spellcheck={false} {...text('oidcScopes')} />
                </label>
              </div>
              <p class="field-hint">
                Register this redirect URI with the provider: <code>{stored.oidcRedirectUri}</code>
              </p>
            </Section>

            <Section title="Deleted accounts" id="signin-deleted">
              <div
                class="settings-choices"
                role="radiogroup"
                aria-label="A deleted account’s comments"
              >
                <label class="check">
                  <input {...choice('deletedComments', 'anonymise')} />
                  Keep their comments as “[deleted]” (replies keep their context)
                </label>
                <label class="check">
                  <input {...choice('deletedComments', 'remove')} />
                  Remove their comments
                </label>
              </div>
            </Section>
          </fieldset>
          <SettingsActions
            busy={busy}
            changed={changed}
            problem={problem}
            saved={saved}
            unsaved
            onDiscard={() => {
              setForm(signInFormFrom(stored.auth));
              setProblem(null);
            }}
          />
        </form>
      )}
    </div>
  );
}
