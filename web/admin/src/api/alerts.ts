/**
 * GET/PUT /admin/sites/:siteId/alerts and POST …/alerts/test: a moderator's own alerts for a site
 * (docs/notifications.md, "Moderator alerts"), as the API answers them.
 */

export type AlertMode = 'off' | 'immediate' | 'digest';
export type ChatFormat = 'slack' | 'teams' | 'discord';

export interface AlertSettings {
  readonly siteId: string;
  readonly pending: AlertMode;
  readonly reported: AlertMode;
  readonly digestMinutes: number;
  readonly reportThreshold: number;
  readonly spikePerHour: number;
  readonly byEmail: boolean;
  /** Where mail alerts go: the moderator's own address. */
  readonly email: string;
  /** Masked (scheme, host, last four characters); null: none. */
  readonly chatUrl: string | null;
  readonly chatFormat: ChatFormat;
  readonly digestSentAt: string | null;
  /** Null: never saved (the defaults). */
  readonly updatedAt: string | null;
}

/** Fields left out keep their value; `chatUrl: null` removes the webhook. */
export interface AlertSettingsBody {
  pending?: AlertMode;
  reported?: AlertMode;
  digestMinutes?: number;
  reportThreshold?: number;
  spikePerHour?: number;
  byEmail?: boolean;
  chatUrl?: string | null;
  chatFormat?: ChatFormat;
}

export interface AlertTestOutcome {
  readonly channel: 'email' | 'chat';
  readonly ok: boolean;
  readonly detail: string;
  readonly status?: number | null;
}
