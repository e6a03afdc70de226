/**
 * Sites, for admins: the publisher sites Parley serves, a new one created from here, and for each
 * its name, the origins allowed to embed the widget, its branding (logo, accent colour, guidelines,
 * the name and sign-off of its mail, with a live preview) and a link to its sign-in methods
 * (SignInSettingsView). The server checks everything (POST/PATCH /sites, PUT
 * /admin/sites/:id/branding); its message is shown next to the field it is about.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import type { AdminSite, Branding } from '../api/types.js';
import { useDashboard } from './context.js';
import { QaSections } from './qa/QaSections.js';
import { SortingSection } from './SortingSection.js';
import './records.css';

type BrandingForm = { [K in keyof Branding]: string };
const BRANDING_FIELDS: readonly (keyof Branding)[] = [
  'logoUrl',
  'accentColor',
  'guidelinesUrl',
  'senderName',
  'signoff',
];
const EMPTY_BRANDING: BrandingForm = {
  logoUrl: '',
  accentColor: '',
  guidelinesUrl: '',
  senderName: '',
  signoff: '',
};

/** Which field a server message is about, by the words it uses (src/domain/branding.ts). */
const BRANDING_WORDS: readonly [keyof Branding, RegExp][] = [
  ['logoUrl', /logo/i],
  ['accentColor', /accent|colou?r/i],
  ['guidelinesUrl', /guidelines/i],
  ['senderName', /sender/i],
  ['signoff', /sign-?off/i],
];

const ACCENT = /^#[0-9a-f]{6}$/i;
const HTTPS = /^https:\/\/\S+$/i;

/** Dark or light text on the accent colour, whichever reads better. */
function textOn(accent: string): string {
  const channel = (offset: number) => {
    const value = parseInt(accent.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.179 ? '#1b1f24' : '#ffffff';
}

function messageOf(failure: unknown): string {
  return describeError(failure);
}

export function SitesView() {
  const { api, me } = useDashboard();
  const [sites, setSites] = useState<AdminSite[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (me.user.role !== 'admin') return undefined;
    const controller = new AbortController();
    api.sitesList(controller.signal).then(
      (result) => {
        setSites(result.sites);
        setSelectedId((current) => current ?? result.sites[0]?.id ?? null);
      },
      (failure: unknown) => {
        if (!isAbort(failure)) setError(messageOf(failure));
      },
    );
    return () => controller.abort();
  }, []);

  if (me.user.role !== 'admin') {
    return (
      <div class="page">
        <div class="page-body">
          <p class="empty">Only administrators manage sites.</p>
        </div>
      </div>
    );
  }

  const replace = (site: AdminSite) =>
    setSites((current) => (current ?? []).map((one) => (one.id === site.id ? site : one)));
  const selected = sites?.find((site) => site.id === selectedId) ?? null;

  return (
    <div class="page">
      <div class="page-head">
        <h1 class="view-title">Sites</h1>
      </div>
      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      <div class="page-body sites">
        <div>
          <NewSiteForm
            onCreated={(site) => {
              setSites((current) => [...(current ?? []), site]);
              setSelectedId(site.id);
            }}
          />
          <h2 class="side-title">Your sites</h2>
          {sites === null && !error && <p class="muted">Loading…</p>}
          {sites && (
            <ul class="sites-list" aria-label="Sites">
              {sites.map((site) => (
                <li key={site.id}>
                  <button
                    type="button"
                    aria-current={site.id === selectedId ? 'true' : undefined}
                    onClick={() => setSelectedId(site.id)}
                  >
                    <span dir="auto">{site.name}</span>
                    <span class="site-origins">{site.allowedOrigins.join(', ')}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        {selected && <SitePanel key={selected.id} site={selected} onChange={replace} />}
      </div>
    </div>
  );
}

function FieldError(props: { id: string; message: string | null | undefined }) {
  return props.message ? (
    <p id={props.id} class="field-error" role="alert">
      {props.message}
    </p>
  ) : null;
}

function NewSiteForm(props: { onCreated: (site: AdminSite) => void }) {
  const { api, announce } = useDashboard();
  const [name, setName] = useState('');
  const [origin, setOrigin] = useState('');
  const [errors, setErrors] = useState<{ name?: string; origin?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const missing = {
      ...(!name.trim() && { name: 'Give the site a name.' }),
      ...(!origin.trim() && { origin: 'Give at least one origin, like https://www.example.com.' }),
    };
    setErrors(missing);
    if (missing.name || missing.origin) return;
    setBusy(true);
    try {
      const { site } = await api.createSite({ name: name.trim(), allowedOrigins: [origin.trim()] });
      setName('');
      setOrigin('');
      announce(`Site ${site.name} created.`);
      props.onCreated(site);
    } catch (failure) {
      const message = messageOf(failure);
      setErrors(/origin/i.test(message) ? { origin: message } : { name: message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="site-section" aria-labelledby="new-site-title" onSubmit={submit} noValidate>
      <h2 id="new-site-title">New site</h2>
      <label class="field">
        <span class="field-label">Name</span>
        <input
          name="name"
          value={name}
          maxLength={200}
          aria-invalid={errors.name ? 'true' : undefined}
          aria-describedby={errors.name ? 'new-site-name-error' : undefined}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </label>
      <FieldError id="new-site-name-error" message={errors.name} />
      <label class="field">
        <span class="field-label">Origin of its pages</span>
        <input
          name="origin"
          type="url"
          placeholder="https://www.example.com"
          value={origin}
          aria-invalid={errors.origin ? 'true' : undefined}
          aria-describedby={errors.origin ? 'new-site-origin-error' : undefined}
          onInput={(event) => setOrigin(event.currentTarget.value)}
        />
      </label>
      <FieldError id="new-site-origin-error" message={errors.origin} />
      <div class="button-row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create site'}
        </button>
      </div>
    </form>
  );
}

function SitePanel(props: { site: AdminSite; onChange: (site: AdminSite) => void }) {
  const { site } = props;
  return (
    <div class="site-panel">
      <NameSection site={site} onChange={props.onChange} />
      <OriginsSection site={site} onChange={props.onChange} />
      <section class="site-section" aria-labelledby="site-signin-title">
        <h2 id="site-signin-title">Sign-in methods</h2>
        <p>
          How readers sign in to comment on this site (Parley accounts, your own accounts, an OpenID
          Connect provider):{' '}
          <a href={`/admin/signin?site=${encodeURIComponent(site.id)}`}>
            change the sign-in methods
          </a>
          .
        </p>
      </section>
      <BrandingSection site={site} />
      <SortingSection site={site} onChange={props.onChange} />
      <RenderingSection site={site} onChange={props.onChange} />
      <QaSections siteId={site.id} />
    </div>
  );
}

function NameSection(props: { site: AdminSite; onChange: (site: AdminSite) => void }) {
  const { api, announce } = useDashboard();
  const [name, setName] = useState(props.site.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const { site } = await api.updateSite(props.site.id, { name });
      setError(null);
      setName(site.name);
      props.onChange(site);
      announce('Name saved.');
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="site-section" aria-labelledby="site-name-title" onSubmit={submit} noValidate>
      <h2 id="site-name-title" dir="auto">
        {props.site.name}
      </h2>
      <div class="field-row">
        <label class="field">
          <span class="field-label">Name</span>
          <input
            name="siteName"
            value={name}
            maxLength={200}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'site-name-error' : undefined}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </label>
        <button
          type="submit"
          class="btn"
          disabled={busy || name.trim() === props.site.name || !name.trim()}
        >
          Rename
        </button>
      </div>
      <FieldError id="site-name-error" message={error} />
    </form>
  );
}

/**
 * Server-rendered comments (docs/server-rendering.md): the HTML fragment publishers include in
 * their articles, and Parley's plain and AMP pages of a story. On by default; off, those routes
 * answer 404 RENDERING_DISABLED.
 */
function RenderingSection(props: { site: AdminSite; onChange: (site: AdminSite) => void }) {
  const { api, announce } = useDashboard();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Shown as clicked at once; put back if the server refuses.
  const [on, setOn] = useState(props.site.rendering);

  const toggle = async (rendering: boolean) => {
    setBusy(true);
    setOn(rendering);
    try {
      const { site } = await api.updateSite(props.site.id, { rendering });
      setError(null);
      setOn(site.rendering);
      props.onChange(site);
      announce(
        rendering ? 'Server-rendered comments are served.' : 'Server-rendered comments are off.',
      );
    } catch (failure) {
      setOn(!rendering);
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="site-section" aria-labelledby="site-rendering-title">
      <h2 id="site-rendering-title">Server-rendered comments</h2>
      <p>
        The first page of each story's comments as HTML, for your servers to include in the article
        (readable without JavaScript and by search engines), and Parley's own pages of a story's
        comments, plain and for AMP.
      </p>
      <label class="check">
        <input
          type="checkbox"
          name="rendering"
          checked={on}
          disabled={busy}
          aria-describedby={error ? 'site-rendering-error' : undefined}
          onChange={(event) => void toggle(event.currentTarget.checked)}
        />{' '}
        Serve server-rendered comments
      </label>
      <FieldError id="site-rendering-error" message={error} />
    </section>
  );
}

function OriginsSection(props: { site: AdminSite; onChange: (site: AdminSite) => void }) {
  const { api, announce } = useDashboard();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const origins = props.site.allowedOrigins;

  const save = async (next: string[], done: string) => {
    setBusy(true);
    try {
      const { site } = await api.updateSite(props.site.id, { allowedOrigins: next });
      setError(null);
      props.onChange(site);
      announce(done);
      return true;
    } catch (failure) {
      setError(messageOf(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="site-section" aria-labelledby="site-origins-title">
      <h2 id="site-origins-title">Allowed origins</h2>
      <p class="muted">
        The widget loads only on pages of these origins (scheme and host, like
        https://www.example.com).
      </p>
      <ul class="origin-list">
        {origins.map((origin) => (
          <li key={origin}>
            <code>{origin}</code>
            <button
              type="button"
              class="btn btn-small"
              disabled={busy || origins.length === 1}
              title={origins.length === 1 ? 'A site needs at least one origin' : undefined}
              aria-label={`Remove ${origin}`}
              onClick={() =>
                void save(
                  origins.filter((one) => one !== origin),
                  `${origin} removed.`,
                )
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          const value = draft.trim();
          if (!value) {
            setError('Write an origin, like https://www.example.com.');
            return;
          }
          if (await save([...origins, value], `${value} added.`)) setDraft('');
        }}
      >
        <div class="field-row">
          <label class="field">
            <span class="field-label">Add an origin</span>
            <input
              name="origin"
              type="url"
              placeholder="https://www.example.com"
              value={draft}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'site-origin-error' : undefined}
              onInput={(event) => setDraft(event.currentTarget.value)}
            />
          </label>
          <button type="submit" class="btn" disabled={busy}>
            Add
          </button>
        </div>
        <FieldError id="site-origin-error" message={error} />
      </form>
    </section>
  );
}

function BrandingSection(props: { site: AdminSite }) {
  const { api, announce } = useDashboard();
  const [stored, setStored] = useState<BrandingForm | null>(null);
  const [form, setForm] = useState<BrandingForm>(EMPTY_BRANDING);
  const [errors, setErrors] = useState<Partial<Record<keyof Branding | 'form', string>>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api.branding(props.site.id, controller.signal).then(
      (result) => {
        const loaded = Object.fromEntries(
          BRANDING_FIELDS.map((key) => [key, result.branding[key] ?? '']),
        ) as BrandingForm;
        setStored(loaded);
        setForm(loaded);
      },
      (failure: unknown) => {
        if (!isAbort(failure)) setErrors({ form: messageOf(failure) });
      },
    );
    return () => controller.abort();
  }, [props.site.id]);

  const changed = stored !== null && BRANDING_FIELDS.some((key) => form[key] !== stored[key]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!stored) return;
    const patch = Object.fromEntries(
      BRANDING_FIELDS.filter((key) => form[key] !== stored[key]).map((key) => [
        key,
        form[key].trim() === '' ? null : form[key].trim(),
      ]),
    ) as Partial<Branding>;
    setBusy(true);
    setSaved(null);
    try {
      const result = await api.updateBranding(props.site.id, patch);
      const next = Object.fromEntries(
        BRANDING_FIELDS.map((key) => [key, result.branding[key] ?? '']),
      ) as BrandingForm;
      setStored(next);
      setForm(next);
      setErrors({});
      setSaved('Branding saved.');
      announce('Branding saved.');
    } catch (failure) {
      const message = messageOf(failure);
      const field =
        BRANDING_FIELDS.find((key) => message.includes(`"${key}"`)) ??
        BRANDING_WORDS.find(([, words]) => words.test(message))?.[0];
      setErrors(field ? { [field]: message } : { form: message });
    } finally {
      setBusy(false);
    }
  };

  const input = (
    key: keyof Branding,
    label: string,
    attributes: { type?: string; placeholder?: string; maxLength?: number } = {},
  ) => (
    <div>
      <label class="field">
        <span class="field-label">{label}</span>
        <input
          {...attributes}
          name={key}
          value={form[key]}
          aria-invalid={errors[key] ? 'true' : undefined}
          aria-describedby={errors[key] ? `branding-${key}-error` : undefined}
          onInput={(event) => setForm({ ...form, [key]: event.currentTarget.value })}
        />
      </label>
      <FieldError id={`branding-${key}-error`} message={errors[key]} />
    </div>
  );

  const accent = ACCENT.test(form.accentColor.trim()) ? form.accentColor.trim() : null;
  const logo = HTTPS.test(form.logoUrl.trim()) ? form.logoUrl.trim() : null;
  const previewStyle = (
    accent ? { '--preview-accent': accent, '--preview-on-accent': textOn(accent) } : {}
  ) as JSX.CSSProperties;

  return (
    <section class="site-section" aria-labelledby="site-branding-title">
      <h2 id="site-branding-title">Branding</h2>
      {stored === null && !errors.form && <p class="muted">Loading…</p>}
      {stored !== null && (
        <form class="branding-form" onSubmit={submit} noValidate>
          <div class="branding-fields">
            {input('logoUrl', 'Logo address (https)', {
              type: 'url',
              placeholder: 'https://www.example.com/logo.png',
            })}
            <div>
              <span class="field-label" id="accent-label">
                Accent colour
              </span>
              <div class="color-field">
                <input
                  type="color"
                  aria-labelledby="accent-label"
                  value={accent ?? '#1d5fc4'}
                  onInput={(event) => setForm({ ...form, accentColor: event.currentTarget.value })}
                />
                <input
                  name="accentColor"
                  aria-labelledby="accent-label"
                  placeholder="#1d5fc4"
                  maxLength={16}
                  value={form.accentColor}
                  aria-invalid={errors.accentColor ? 'true' : undefined}
                  aria-describedby={errors.accentColor ? 'branding-accentColor-error' : undefined}
                  onInput={(event) => setForm({ ...form, accentColor: event.currentTarget.value })}
                />
              </div>
              <FieldError id="branding-accentColor-error" message={errors.accentColor} />
            </div>
            {input('guidelinesUrl', 'Community guidelines (https)', {
              type: 'url',
              placeholder: 'https://www.example.com/guidelines',
            })}
            {input('senderName', 'Mail sender name', { maxLength: 80 })}
            {input('signoff', 'Mail sign-off', { maxLength: 200 })}
            <div class="button-row">
              <button type="submit" class="btn btn-primary" disabled={busy || !changed}>
                {busy ? 'Saving…' : 'Save branding'}
              </button>
              <button
                type="button"
                class="btn"
                disabled={busy || !changed}
                onClick={() => {
                  setForm(stored);
                  setErrors({});
                }}
              >
                Discard changes
              </button>
            </div>
            {saved && (
              <p class="saved" role="status">
                {saved}
              </p>
            )}
          </div>
          <div class="brand-preview" aria-label="Preview of the branding">
            <p class="field-label">Preview</p>
            <div class="brand-preview-card" data-testid="brand-preview" style={previewStyle}>
              {logo && (
                <img class="brand-preview-logo" src={logo} alt={`${props.site.name} logo`} />
              )}
              <p class="brand-preview-name" dir="auto">
                {props.site.name}
              </p>
              <span class="brand-preview-button">Post comment</span>
              {form.guidelinesUrl.trim() && (
                <span class="brand-preview-link">Community guidelines</span>
              )}
            </div>
          </div>
        </form>
      )}
      {errors.form && (
        <p class="error" role="alert">
          {errors.form}
        </p>
      )}
    </section>
  );
}
