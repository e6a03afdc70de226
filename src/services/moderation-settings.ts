/**
 * The settings moderators manage: a site's moderation settings (word lists, pre-moderation, links,
 * thresholds, an external service; admins only) and a story's (open or closed, pre-moderated, live
 * updates). Each change is written with its audit entry, before and after, in one transaction.
 */
import { ParleyError } from '../domain/errors.ts';
import { inScope } from '../domain/moderation/scope.ts';
import { readModerationSettings } from '../domain/moderation/settings.ts';
import type {
  ClassifierThresholds,
  LinkPolicy,
  ModerationSettings,
} from '../domain/moderation/types.ts';
import type { Store } from '../store/db.ts';
import { auditSiteChange } from './sites.ts';
import {
  lockStorySettings,
  writeStorySettings,
  type StorySettings,
} from '../store/moderation/stories.ts';
import type { Site } from '../store/rows.ts';
import { updateSite } from '../store/sites.ts';
import { siteInScope, type Moderator } from './moderation-actions.ts';
import type { SiteDirectory } from './site-directory.ts';

/** How long Parley waits for an external service that was given no timeout, in milliseconds. */
const EXTERNAL_TIMEOUT_MS = 2000;

/**
 * A site's moderation settings as they may be shown (to admins, and in the audit log): the
 * external service's secret is replaced by whether one is set.
 */
export function withoutSecret(settings: ModerationSettings) {
  return {
    ...settings,
    external: settings.external && {
      url: settings.external.url,
      timeoutMs: settings.external.timeoutMs,
      secretSet: settings.external.secret.length > 0,
    },
  };
}

/** What an admin changes in a site's settings: keys left out keep their value. */
export interface SiteSettingsChange {
  editWindowSeconds?: number | undefined;
  moderation?:
    | (Partial<Omit<ModerationSettings, 'links' | 'classifier' | 'external'>> & {
        links?: Partial<LinkPolicy> | undefined;
        classifier?: Partial<ClassifierThresholds> | undefined;
        /** `secret` left out keeps the stored secret, as long as the address stays the same. */
        external?: {
          url: string;
          secret?: string | undefined;
          timeoutMs?: number | undefined;
        } | null;
      })
    | undefined;
}

/** Changes a site's moderation settings (and its edit window); returns the site as changed. */
export async function changeSiteSettings(
  deps: { store: Store; sites: SiteDirectory },
  moderator: Moderator,
  siteId: string,
  change: SiteSettingsChange,
): Promise<Site> {
  if (moderator.user.role !== 'admin') {
    throw new ParleyError('FORBIDDEN', 'Only admins may change site settings.');
  }
  const site = await siteInScope(deps.sites, moderator, siteId);
  const { editWindowSeconds, moderation: patch = {} } = change;
  const before = site.moderation;
  const external =
    patch.external === undefined
      ? before.external
      : patch.external === null
        ? null
        : {
            url: patch.external.url,
            timeoutMs:
              patch.external.timeoutMs ?? before.external?.timeoutMs ?? EXTERNAL_TIMEOUT_MS,
            // A new address gets a new secret: the old one is not sent to another host.
            secret:
              patch.external.secret ??
              (before.external?.url === patch.external.url ? before.external.secret : ''),
          };
  if (external && external.secret === '') {
    throw new ParleyError(
      'VALIDATION_FAILED',
      'An external service needs a secret (a new one whenever its address changes).',
    );
  }
  const moderation = readModerationSettings({
    ...before,
    ...patch,
    links: { ...before.links, ...patch.links },
    classifier: { ...before.classifier, ...patch.classifier },
    external,
  });
  const updated = await deps.store.db.transaction().execute(async (trx) => {
    const row = await updateSite(trx, site.id, {
      moderation,
      ...(editWindowSeconds !== undefined && { editWindowSeconds }),
    });
    await auditSiteChange(trx, {
      actorId: moderator.user.id,
      action: 'site.settings',
      siteId: site.id,
      before: withoutSecret(before),
      after: withoutSecret(moderation),
    });
    return row;
  });
  if (!updated) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
  await deps.sites.refresh();
  return updated;
}

/** What a story change needs: the store, and who to tell about it once written. */
export interface StoryChangeDeps {
  store: Store;
  /** Told that the story's public pages changed. */
  storyChanged: (storyId: string) => void;
  /** Told that the story's live updates were turned off (its open streams are closed). */
  liveUpdatesOff: (storyId: string) => void;
}

/** Opens or closes a story, pre-moderates it, or turns its live updates on or off. */
export async function changeStorySettings(
  deps: StoryChangeDeps,
  moderator: Moderator,
  storyId: string,
  change: Partial<StorySettings>,
): Promise<void> {
  await deps.store.db.transaction().execute(async (trx) => {
    const before = await lockStorySettings(trx, storyId);
    if (!before || !inScope(moderator.scope, before.siteId)) {
      throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
    }
    const after: StorySettings = {
      closed: change.closed ?? before.closed,
      premoderated: change.premoderated ?? before.premoderated,
      liveUpdates: change.liveUpdates ?? before.liveUpdates,
    };
    await writeStorySettings(trx, storyId, after);
    await auditSiteChange(trx, {
      actorId: moderator.user.id,
      action: 'story.settings',
      siteId: before.siteId,
      before: {
        closed: before.closed,
        premoderated: before.premoderated,
        liveUpdates: before.liveUpdates,
      },
      after,
    });
  });
  deps.storyChanged(storyId);
  if (change.liveUpdates === false) deps.liveUpdatesOff(storyId);
}
