/**
 * The alert settings form's state and the PUT /admin/sites/:siteId/alerts body it makes: only the
 * fields that changed, checked first against the API's limits with a sentence a person can act on.
 * The chat webhook's URL is never shown back whole: the field starts empty (the saved one stays
 * unless a new one is typed or "remove" is asked).
 */
import type { AlertMode, AlertSettings, AlertSettingsBody, ChatFormat } from '../api/alerts.js';

export interface AlertsForm {
  pending: AlertMode;
  reported: AlertMode;
  digestMinutes: string;
  reportThreshold: string;
  spikePerHour: string;
  byEmail: boolean;
  /** A new URL typed ('' keeps the saved one). */
  chatUrl: string;
  removeChat: boolean;
  chatFormat: ChatFormat;
}

export const DIGEST_LIMITS = { min: 1, max: 1440 } as const;
export const THRESHOLD_LIMITS = { min: 0, max: 10_000 } as const;

export function alertsFormFrom(alerts: AlertSettings): AlertsForm {
  return {
    pending: alerts.pending,
    reported: alerts.reported,
    digestMinutes: String(alerts.digestMinutes),
    reportThreshold: String(alerts.reportThreshold),
    spikePerHour: String(alerts.spikePerHour),
    byEmail: alerts.byEmail,
    chatUrl: '',
    removeChat: false,
    chatFormat: alerts.chatFormat,
  };
}

function whole(text: string, label: string, min: number, max: number): number | string {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    return `${label} must be a whole number from ${min} to ${max}.`;
  }
  return value;
}

/** The body to send, or a sentence saying what to fix. */
export function buildAlertsBody(
  saved: AlertSettings,
  form: AlertsForm,
): AlertSettingsBody | string {
  const body: AlertSettingsBody = {};
  if (form.pending !== saved.pending) body.pending = form.pending;
  if (form.reported !== saved.reported) body.reported = form.reported;
  if (form.byEmail !== saved.byEmail) body.byEmail = form.byEmail;
  if (form.chatFormat !== saved.chatFormat) body.chatFormat = form.chatFormat;
  const numbers = [
    ['digestMinutes', 'The digest interval', DIGEST_LIMITS],
    ['reportThreshold', 'The report threshold', THRESHOLD_LIMITS],
    ['spikePerHour', 'The comments per hour', THRESHOLD_LIMITS],
  ] as const;
  for (const [key, label, limits] of numbers) {
    const value = whole(form[key], label, limits.min, limits.max);
    if (typeof value === 'string') return value;
    if (value !== saved[key]) body[key] = value;
  }
  const typed = form.chatUrl.trim();
  if (form.removeChat) {
    if (saved.chatUrl !== null) body.chatUrl = null;
  } else if (typed !== '') {
    if (!/^https?:\/\/\S+$/i.test(typed)) {
      return 'The chat webhook must be an http or https address.';
    }
    body.chatUrl = typed;
  }
  return body;
}

const FORMAT_NAMES: Record<ChatFormat, string> = {
  slack: 'Slack',
  teams: 'Teams',
  discord: 'Discord',
};

/** What the moderator will hear, in a sentence. */
export function alertsSummary(alerts: AlertSettings): string {
  const channels = [
    ...(alerts.byEmail ? [`mail to ${alerts.email}`] : []),
    ...(alerts.chatUrl ? [`the ${FORMAT_NAMES[alerts.chatFormat]} webhook`] : []),
  ];
  const when = (mode: AlertMode) =>
    mode === 'immediate' ? 'at once' : `in a digest every ${alerts.digestMinutes} min`;
  const what = [
    alerts.pending !== 'off' && `held comments ${when(alerts.pending)}`,
    alerts.reported !== 'off' && `reports ${when(alerts.reported)}`,
    alerts.reportThreshold > 0 && `comments reported more than ${alerts.reportThreshold} times`,
    alerts.spikePerHour > 0 && `stories drawing ${alerts.spikePerHour} comments an hour`,
  ].filter((x): x is string => typeof x === 'string');
  if (what.length === 0) return 'You get no alerts for this site.';
  if (channels.length === 0) return 'Alerts are on, but no channel is: choose mail or a webhook.';
  return `You hear of ${what.join('; ')}; by ${channels.join(' and ')}.`;
}
