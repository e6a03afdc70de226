/**
 * "Your alerts" under a site's settings (docs/notifications.md, "Moderator alerts"): each
 * moderator's own choices for the site they are looking at: held comments and reports at once or
 * in a digest every N minutes, a report threshold, busy stories; by mail, to a chat incoming
 * webhook (Slack, Microsoft Teams or Discord format), or both; and a test alert that says what
 * each channel answered. The webhook's address is never shown whole: the field stays empty and a
 * new address replaces the saved one.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import type { AlertMode, AlertSettings, AlertTestOutcome, ChatFormat } from '../api/alerts.js';
import {
  alertsFormFrom,
  alertsSummary,
  buildAlertsBody,
  DIGEST_LIMITS,
  THRESHOLD_LIMITS,
  type AlertsForm,
} from '../state/alerts-form.js';
import { useDashboard } from './context.js';
import { Section } from './SettingsView.js';

const MODES: { value: AlertMode; label: string }[] = [
  { value: 'off', label: 'Off' },
  { value: 'immediate', label: 'At once' },
  { value: 'digest', label: 'In a digest' },
];

const FORMATS: { value: ChatFormat; label: string }[] = [
  { value: 'slack', label: 'Slack (or compatible)' },
  { value: 'teams', label: 'Microsoft Teams' },
  { value: 'discord', label: 'Discord' },
];

export function AlertsPanel(props: { siteId: string; siteName: string }) {
  const { api, announce } = useDashboard();
  const [alerts, setAlerts] = useState<AlertSettings | null>(null);
  const [form, setForm] = useState<AlertsForm | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [testing, setTesting] = useState(false);
  const [results, setResults] = useState<readonly AlertTestOutcome[] | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setAlerts(null);
    setForm(null);
    setError(null);
    setResults(null);
    api.alerts(props.siteId, controller.signal).then(
      (result) => {
        setAlerts(result.alerts);
        setForm(alertsFormFrom(result.alerts));
      },
      (failure: unknown) => {
        if (!isAbort(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [props.siteId]);

  const body = alerts && form ? buildAlertsBody(alerts, form) : null;
  const changed = body !== null && (typeof body === 'string' || Object.keys(body).length > 0);

  const update = (next: Partial<AlertsForm>) => {
    setSaved(null);
    setProblem(null);
    setForm((current) => (current ? { ...current, ...next } : current));
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!alerts || !form || busy) return;
    const next = buildAlertsBody(alerts, form);
    if (typeof next === 'string') {
      setProblem(next);
      return;
    }
    if (Object.keys(next).length === 0) return;
    setBusy(true);
    setProblem(null);
    setSaved(null);
    try {
      const result = await api.updateAlerts(props.siteId, next);
      setAlerts(result.alerts);
      setForm(alertsFormFrom(result.alerts));
      const text = `Saved your alerts for ${props.siteName}.`;
      setSaved(text);
      announce(text);
    } catch (failure) {
      setProblem(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const sendTest = async () => {
    if (testing) return;
    setTesting(true);
    setResults(null);
    setProblem(null);
    try {
      const result = await api.testAlerts(props.siteId);
      setResults(result.results);
      announce(
        result.results.every((r) => r.ok) ? 'The test alert went out.' : 'The test alert failed.',
      );
    } catch (failure) {
      setProblem(describeError(failure));
    } finally {
      setTesting(false);
    }
  };

  const digest = form?.pending === 'digest' || form?.reported === 'digest';
  const modeField = (key: 'pending' | 'reported', label: string) => (
    <label class="field">
      <span class="field-label">{label}</span>
      <select
        value={form?.[key]}
        onChange={(event) =>
          update({ [key]: (event.currentTarget as HTMLSelectElement).value as AlertMode })
        }
      >
        {MODES.map((mode) => (
          <option key={mode.value} value={mode.value}>
            {mode.label}
          </option>
        ))}
      </select>
    </label>
  );
  const numberField = (
    key: 'digestMinutes' | 'reportThreshold' | 'spikePerHour',
    label: string,
    unit: string,
    limits: { min: number; max: number },
    hint: string,
  ) => (
    <label class="field">
      <span class="field-label">{label}</span>
      <span class="input-unit">
        <input
          type="number"
          min={limits.min}
          max={limits.max}
          step="1"
          value={form?.[key] ?? ''}
          onInput={(event) => update({ [key]: (event.currentTarget as HTMLInputElement).value })}
        />
        <span class="unit">{unit}</span>
      </span>
      <span class="field-hint">{hint}</span>
    </label>
  );

  return (
    <div class="page-body settings">
      <form
        noValidate
        onSubmit={save}
        aria-label={`Your alerts for ${props.siteName}`}
        data-testid="alerts-panel"
      >
        <Section title="Your alerts" id="set-alerts">
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {!alerts && !error && <p class="muted">Loading…</p>}
          {alerts && form && (
            <fieldset class="settings-body" disabled={busy}>
              <p role="status">{alertsSummary(alerts)}</p>
              <p class="field-hint">
                These are yours alone: other moderators of {props.siteName} choose their own.
              </p>
              <div class="settings-pair">
                {modeField('pending', 'A comment is held for review')}
                {modeField('reported', 'A comment is reported')}
              </div>
              {digest &&
                numberField(
                  'digestMinutes',
                  'Send the digest every',
                  'minutes',
                  DIGEST_LIMITS,
                  'At most one digest in this time: the counts and the first five comments.',
                )}
              <div class="settings-pair">
                {numberField(
                  'reportThreshold',
                  'Tell me when a comment is reported more than',
                  'times',
                  THRESHOLD_LIMITS,
                  '0 turns this off. Once per comment until its reports are dealt with.',
                )}
                {numberField(
                  'spikePerHour',
                  'Tell me when a story draws',
                  'comments an hour',
                  THRESHOLD_LIMITS,
                  '0 turns this off. At most once an hour per story.',
                )}
              </div>
              <label class="check">
                <input
                  type="checkbox"
                  checked={form.byEmail}
                  onChange={(event) =>
                    update({ byEmail: (event.currentTarget as HTMLInputElement).checked })
                  }
                />
                By mail to {alerts.email}
              </label>
              <div class="settings-pair">
                <label class="field">
                  <span class="field-label">Chat incoming webhook</span>
                  <input
                    type="url"
                    inputMode="url"
                    spellcheck={false}
                    autoComplete="off"
                    placeholder={
                      alerts.chatUrl
                        ? `Saved: ${alerts.chatUrl}`
                        : 'https://hooks.slack.com/services/…'
                    }
                    value={form.chatUrl}
                    disabled={form.removeChat}
                    onInput={(event) =>
                      update({ chatUrl: (event.currentTarget as HTMLInputElement).value })
                    }
                  />
                  <span class="field-hint">
                    {alerts.chatUrl
                      ? 'Type a new address to replace the saved one; it is never shown whole.'
                      : 'The address your chat service gave for an incoming webhook.'}
                  </span>
                </label>
                <label class="field">
                  <span class="field-label">Message format</span>
                  <select
                    value={form.chatFormat}
                    onChange={(event) =>
                      update({
                        chatFormat: (event.currentTarget as HTMLSelectElement).value as ChatFormat,
                      })
                    }
                  >
                    {FORMATS.map((format) => (
                      <option key={format.value} value={format.value}>
                        {format.label}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              {alerts.chatUrl && (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={form.removeChat}
                    onChange={(event) =>
                      update({ removeChat: (event.currentTarget as HTMLInputElement).checked })
                    }
                  />
                  Remove the saved webhook
                </label>
              )}
            </fieldset>
          )}
          {alerts && form && (
            <>
              <div class="settings-actions">
                <button type="submit" class="btn btn-primary" disabled={busy || !changed}>
                  {busy ? 'Saving…' : 'Save my alerts'}
                </button>
                <button
                  type="button"
                  class="btn"
                  disabled={busy || !changed}
                  onClick={() => {
                    setForm(alertsFormFrom(alerts));
                    setProblem(null);
                  }}
                >
                  Discard
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
              </div>
              <div class="settings-actions">
                <button
                  type="button"
                  class="btn"
                  disabled={testing || busy || changed || (!alerts.byEmail && !alerts.chatUrl)}
                  title={changed ? 'Save your changes first' : undefined}
                  onClick={() => void sendTest()}
                >
                  {testing ? 'Sending…' : 'Send a test alert'}
                </button>
                {results && (
                  <ul
                    aria-label="What the test alert did"
                    style={{ margin: 0, paddingLeft: '1.2em' }}
                  >
                    {results.map((result) => (
                      <li key={result.channel} class={result.ok ? 'saved' : 'error'}>
                        {result.channel === 'email' ? 'Mail' : 'Chat'}: {result.detail}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </>
          )}
        </Section>
      </form>
    </div>
  );
}
