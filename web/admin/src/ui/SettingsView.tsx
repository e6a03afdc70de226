/**
 * A site's moderation settings (GET and PATCH /admin/sites/:siteId/settings): commenting and the
 * edit window, pre-moderation, the link policy, flood guards, the classifier's thresholds and the
 * publisher's external moderation service. Moderators may read them; only admins change them (the
 * form is disabled for everyone else). Only the keys that changed are sent; the word list has its
 * own view and is never sent from here.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import type { SiteSettings } from '../api/types.js';
import { buildPatch, formFrom, type SettingsForm, type TextKey } from '../state/settings-form.js';
import { useDashboard } from './context.js';
import { formatDuration, plural } from './format.js';
import { OneSiteSelect, useOneSite } from './SiteSelect.js';
import { SiteModelPanel } from './SiteModelPanel.js';
import { AlertsPanel } from './AlertsPanel.js';

export function SettingsView() {
  const { api, me, announce } = useDashboard();
  const siteId = useOneSite();
  const isAdmin = me.user.role === 'admin';
  const [site, setSite] = useState<SiteSettings | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!siteId) return undefined;
    const controller = new AbortController();
    setSite(null);
    setForm(null);
    setError(null);
    setProblem(null);
    setSaved(null);
    api.siteSettings(siteId, controller.signal).then(
      (result) => {
        setSite(result.site);
        setForm(formFrom(result.site));
      },
      (failure: unknown) => {
        if (!isAbort(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [siteId]);

  const patch = site && form ? buildPatch(site, form) : null;
  const changed = patch !== null && (typeof patch === 'string' || Object.keys(patch).length > 0);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!site || !form || busy || !isAdmin) return;
    const body = buildPatch(site, form);
    if (typeof body === 'string') {
      setProblem(body);
      return;
    }
    if (Object.keys(body).length === 0) return;
    setBusy(true);
    setProblem(null);
    setSaved(null);
    try {
      const result = await api.updateSiteSettings(site.id, body);
      setSite(result.site);
      setForm(formFrom(result.site));
      const text = `Saved the settings of ${result.site.name}.`;
      setSaved(text);
      announce(text);
    } catch (failure) {
      setProblem(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const update = (next: Partial<SettingsForm>) => {
    setSaved(null);
    setProblem(null);
    setForm((current) => (current ? { ...current, ...next } : current));
  };
  const check = (key: 'commentingDisabled' | 'premoderateAll' | 'holdLinks' | 'externalOn') => ({
    checked: form?.[key] ?? false,
    onChange: (event: Event) =>
      update({ [key]: (event.currentTarget as HTMLInputElement).checked }),
  });
  const text = (key: TextKey) => ({
    value: form?.[key] ?? '',
    onInput: (event: Event) =>
      update({ [key]: (event.currentTarget as HTMLInputElement | HTMLTextAreaElement).value }),
  });

  return (
    <div class="page">
      <div class="page-head">
        <h1 class="view-title">Site settings</h1>
        <div class="toolbar">
          <OneSiteSelect />
        </div>
      </div>
      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      {!siteId && <p class="empty">You do not moderate any site yet.</p>}
      {siteId && !form && !error && <p class="muted page-body">Loading…</p>}
      {site && form && (
        <form
          class="page-body settings"
          noValidate
          onSubmit={save}
          aria-label={`Settings of ${site.name}`}
        >
          {!isAdmin && (
            <p class="notice" role="note">
              Only administrators can change site settings. You can read them here.
            </p>
          )}
          <fieldset class="settings-body" disabled={!isAdmin || busy}>
            <Section title="Commenting" id="set-commenting">
              <label class="check">
                <input type="checkbox" {...check('commentingDisabled')} />
                Commenting disabled on the whole site (stories stay readable)
              </label>
              <NumberField
                label="Close stories to new comments after"
                unit="days"
                hint={
                  Number(form.closeAfterDays) > 0
                    ? `Counted from each story's publication; readers see it closed after that.`
                    : 'Stories stay open until closed by hand (0).'
                }
                min={0}
                max={3650}
                {...text('closeAfterDays')}
              />
              <NumberField
                label="Edit window"
                unit="seconds"
                hint={`Authors may edit their comment for ${formatDuration(Number(form.editWindowSeconds))} after posting.`}
                min={0}
                max={86_400}
                {...text('editWindowSeconds')}
              />
              <div class="settings-pair">
                <NumberField
                  label="Shortest comment"
                  unit="characters"
                  min={0}
                  max={1000}
                  {...text('minLength')}
                />
                <NumberField
                  label="Longest comment"
                  unit="characters"
                  min={1}
                  max={20_000}
                  {...text('maxLength')}
                />
              </div>
            </Section>

            <Section title="Pre-moderation" id="set-premod">
              <label class="check">
                <input type="checkbox" {...check('premoderateAll')} />
                Hold every new comment for a moderator
              </label>
              <NumberField
                label="Hold new commenters until they have"
                unit="approved comments"
                hint={
                  Number(form.premoderateNewCommenters) > 0
                    ? `Authors with fewer than ${plural(Number(form.premoderateNewCommenters), 'approved comment')} are held.`
                    : '0 turns this off.'
                }
                min={0}
                max={1000}
                {...text('premoderateNewCommenters')}
              />
              <p class="field-hint">
                Single stories are pre-moderated from the Stories view, single authors from their
                record.
              </p>
            </Section>

            <Section title="Links" id="set-links">
              <label class="check">
                <input type="checkbox" {...check('holdLinks')} />
                Hold comments that contain a link (except to allowed domains)
              </label>
              <div class="settings-pair">
                <label class="field">
                  <span class="field-label">Allowed domains (one per line)</span>
                  <textarea rows={4} spellcheck={false} {...text('allowDomains')} />
                  <span class="field-hint">Links here never hold a comment; subdomains too.</span>
                </label>
                <label class="field">
                  <span class="field-label">Denied domains (one per line)</span>
                  <textarea rows={4} spellcheck={false} {...text('denyDomains')} />
                  <span class="field-hint">A link here gets the comment rejected.</span>
                </label>
              </div>
            </Section>

            <Section title="Flood guards" id="set-flood">
              <div class="settings-pair">
                <NumberField
                  label="Repeat window"
                  unit="seconds"
                  hint="The same text by the same author within this time is refused (0: off)."
                  min={0}
                  max={86_400}
                  {...text('repeatWindowSeconds')}
                />
                <NumberField
                  label="Posting rate"
                  unit="comments per minute"
                  hint="An author’s comments beyond this are held."
                  min={0}
                  max={10_000}
                  {...text('maxPostsPerMinute')}
                />
              </div>
            </Section>

            <Section title="Classifier" id="set-classifier">
              <div class="settings-pair">
                <NumberField
                  label="Hold at or above"
                  unit="probability"
                  step="0.01"
                  min={0}
                  max={1}
                  hint="Comments the model scores this high wait for a moderator."
                  {...text('classifierHold')}
                />
                <NumberField
                  label="Reject at or above"
                  unit="probability"
                  step="0.01"
                  min={0}
                  max={1}
                  hint="Much higher: rejected without a person (never on identity attack alone)."
                  {...text('classifierReject')}
                />
              </div>
            </Section>

            <Section title="External moderation service" id="set-external">
              <label class="check">
                <input type="checkbox" {...check('externalOn')} />
                Send every comment to the publisher’s own service
              </label>
              {form.externalOn && (
                <>
                  <label class="field">
                    <span class="field-label">Address (https)</span>
                    <input
                      type="url"
                      inputMode="url"
                      placeholder="https://moderation.example.com/parley"
                      spellcheck={false}
                      {...text('externalUrl')}
                    />
                  </label>
                  <div class="settings-pair">
                    <NumberField
                      label="Timeout"
                      unit="milliseconds"
                      hint="No answer in time: the comment is held, never lost."
                      min={100}
                      max={10_000}
                      {...text('externalTimeoutMs')}
                    />
                    <label class="field">
                      <span class="field-label">
                        Shared secret{' '}
                        {site.moderation.external?.secretSet ? (
                          <span class="badge badge-info">secret set</span>
                        ) : (
                          <span class="badge badge-caution">no secret</span>
                        )}
                      </span>
                      <input
                        type="password"
                        autocomplete="new-password"
                        placeholder={
                          site.moderation.external?.secretSet
                            ? 'Leave empty to keep the stored secret'
                            : '16 characters or more'
                        }
                        {...text('externalSecret')}
                      />
                      <span class="field-hint">
                        Signs each request (HMAC-SHA256); never shown again once saved.
                      </span>
                    </label>
                  </div>
                </>
              )}
            </Section>
          </fieldset>
          {isAdmin && (
            <SettingsActions
              busy={busy}
              changed={changed}
              problem={problem}
              saved={saved}
              unsaved={typeof patch !== 'string'}
              onDiscard={() => {
                setForm(formFrom(site));
                setProblem(null);
              }}
            />
          )}
        </form>
      )}
      {site && <AlertsPanel siteId={site.id} siteName={site.name} />}
      {site && <SiteModelPanel siteId={site.id} isAdmin={isAdmin} />}
    </div>
  );
}

/** A titled card of settings (also used by the sign-in settings). */
/**
 * The foot of a settings form: save and discard (only when something changed), and what became
 * of the last save: the problem, the confirmation, or that changes are waiting.
 */
export function SettingsActions(props: {
  busy: boolean;
  changed: boolean;
  problem: string | null;
  saved: string | null;
  /** The changes are savable as they stand (say "Unsaved changes." for them). */
  unsaved: boolean;
  onDiscard: () => void;
}) {
  const { busy, changed, problem, saved } = props;
  return (
    <div class="settings-actions">
      <button type="submit" class="btn btn-primary" disabled={busy || !changed}>
        {busy ? 'Saving…' : 'Save changes'}
      </button>
      <button type="button" class="btn" disabled={busy || !changed} onClick={props.onDiscard}>
        Discard changes
      </button>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {saved && (
        <p class="saved" role="status">
          {saved}
        </p>
      )}
      {!problem && !saved && changed && props.unsaved && <p class="muted">Unsaved changes.</p>}
    </div>
  );
}

export function Section(props: { title: string; id: string; children: ComponentChildren }) {
  return (
    <section class="settings-card" aria-labelledby={props.id}>
      <h2 id={props.id} class="settings-title">
        {props.title}
      </h2>
      {props.children}
    </section>
  );
}

function NumberField(props: {
  label: string;
  unit: string;
  hint?: string;
  min: number;
  max: number;
  step?: string;
  value: string;
  onInput: (event: Event) => void;
}) {
  return (
    <label class="field">
      <span class="field-label">{props.label}</span>
      <span class="input-unit">
        <input
          type="number"
          min={props.min}
          max={props.max}
          step={props.step ?? '1'}
          value={props.value}
          onInput={props.onInput}
        />
        <span class="unit">{props.unit}</span>
      </span>
      {props.hint && <span class="field-hint">{props.hint}</span>}
    </label>
  );
}
