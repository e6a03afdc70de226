/**
 * A moderator's own alerts for a site, as they manage them (docs/notifications.md, "Moderator
 * alerts"): reading and changing their settings, and a test alert on the channels they saved. The
 * site must exist and be one the moderator covers (admins cover every site); any other is "not
 * found", as on every per-site admin route. Deciding and sending alerts is src/notify/alerts.ts's.
 */
import {
  getAlertSettings,
  sendTestAlert,
  updateAlertSettings,
  type AlertDeps,
  type AlertSettings,
  type AlertSettingsChange,
  type TestOutcome,
} from '../notify/alerts.ts';
import { siteInScope, type Moderator } from './moderation-actions.ts';
import type { SiteDirectory } from './site-directory.ts';

export interface ModeratorAlertDeps extends AlertDeps {
  sites: SiteDirectory;
}

/** The moderator's settings for the site (the defaults, all off, until they save them). */
export async function readAlertSettings(
  { store, sites }: ModeratorAlertDeps,
  moderator: Moderator,
  siteId: string,
): Promise<AlertSettings> {
  await siteInScope(sites, moderator, siteId);
  return getAlertSettings(store.db, moderator, siteId);
}

/** Changes some of the moderator's settings for the site; returns them all as they are now. */
export async function changeAlertSettings(
  { store, sites, config }: ModeratorAlertDeps,
  moderator: Moderator,
  siteId: string,
  change: AlertSettingsChange,
): Promise<AlertSettings> {
  await siteInScope(sites, moderator, siteId);
  return updateAlertSettings(store.db, moderator, siteId, change, {
    allowPrivateAddresses: config.webhooks.allowPrivate,
  });
}

/** Sends the moderator a test alert on their saved channels for the site; says what happened. */
export async function testAlerts(
  deps: ModeratorAlertDeps,
  moderator: Moderator,
  siteId: string,
): Promise<TestOutcome[]> {
  await siteInScope(deps.sites, moderator, siteId);
  return sendTestAlert(deps, moderator, siteId);
}
